/* SPDX-License-Identifier: GPL-2.0-only */
#include "task-graph-timer.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <sstream>
#include <utility>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTaskGraphTimer");

namespace
{

/**
 * The execution rule both of the timer's loops follow: who is ready, who may start, what a
 * finished task releases. Ready compute tasks of one device start lowest id first; ready
 * transfers of one ordered pair start in the order they became ready (ties by id).
 */
class ListRule
{
  public:
    /// \param graph a valid graph
    explicit ListRule(const TaskGraph& graph)
        : m_graph(graph),
          m_waiting(graph.GetTaskCount()),
          m_deviceBusy(graph.GetDeviceCount(), false),
          m_deviceReady(graph.GetDeviceCount())
    {
        for (uint32_t id = 0; id < graph.GetTaskCount(); ++id)
        {
            m_waiting[id] = static_cast<uint32_t>(graph.GetDependencies(id).size());
            if (m_waiting[id] == 0)
            {
                m_newlyReady.push_back(id);
            }
        }
    }

    /// \return the tasks that became ready since the last call, now queued, ascending id
    std::vector<uint32_t> QueueReady()
    {
        std::vector<uint32_t> ready;
        ready.swap(m_newlyReady);
        std::sort(ready.begin(), ready.end());
        for (uint32_t id : ready)
        {
            if (m_graph.IsCompute(id))
            {
                const uint32_t device = m_graph.GetCompute(id).device;
                m_deviceReady[device].insert(id);
                m_deviceCandidates.insert(device);
            }
            else
            {
                const TransferTask& t = m_graph.GetTransfer(id);
                m_pairQueue[{t.source, t.destination}].push_back(id);
                m_pairCandidates.insert({t.source, t.destination});
            }
        }
        return ready;
    }

    /**
     * \brief Idle devices start their lowest-id ready compute task, idle pairs their oldest
     * transfer.
     * \param start called with each task started, devices first
     */
    template <typename F>
    void StartIdle(F start)
    {
        // only devices and pairs that got a ready task or finished one since the last call can
        // start anything: visiting those alone, in the same order (devices ascending, then
        // pairs), starts the same tasks as visiting all, at a cost that does not grow with the
        // graph
        for (uint32_t d : m_deviceCandidates)
        {
            if (!m_deviceBusy[d] && !m_deviceReady[d].empty())
            {
                const uint32_t id = *m_deviceReady[d].begin();
                m_deviceReady[d].erase(m_deviceReady[d].begin());
                m_deviceBusy[d] = true;
                start(id);
            }
        }
        m_deviceCandidates.clear();
        for (const Pair& p : m_pairCandidates)
        {
            std::deque<uint32_t>& queue = m_pairQueue[p];
            bool& busy = m_pairBusy[p];
            if (!busy && !queue.empty())
            {
                const uint32_t id = queue.front();
                queue.pop_front();
                busy = true;
                start(id);
            }
        }
        m_pairCandidates.clear();
    }

    /// \param id a task that ended: its device or pair is free, its successors may be ready
    void Finish(uint32_t id)
    {
        if (m_graph.IsCompute(id))
        {
            m_deviceBusy[m_graph.GetCompute(id).device] = false;
            m_deviceCandidates.insert(m_graph.GetCompute(id).device);
        }
        else
        {
            const TransferTask& t = m_graph.GetTransfer(id);
            m_pairBusy[{t.source, t.destination}] = false;
            m_pairCandidates.insert({t.source, t.destination});
        }
        for (uint32_t s : m_graph.GetSuccessors(id))
        {
            if (--m_waiting[s] == 0)
            {
                m_newlyReady.push_back(s);
            }
        }
    }

  private:
    using Pair = std::pair<uint32_t, uint32_t>;
    const TaskGraph& m_graph;                         //!< the graph
    std::vector<uint32_t> m_waiting;                  //!< unfinished dependencies per task
    std::vector<bool> m_deviceBusy;                   //!< per device
    std::vector<std::set<uint32_t>> m_deviceReady;    //!< ready compute ids, lowest first
    std::map<Pair, bool> m_pairBusy;                  //!< per ordered pair
    std::map<Pair, std::deque<uint32_t>> m_pairQueue; //!< ready transfers, FIFO
    std::vector<uint32_t> m_newlyReady;               //!< ready since the last QueueReady
    std::set<uint32_t> m_deviceCandidates;            //!< devices that may start a task
    std::set<Pair> m_pairCandidates;                  //!< pairs that may start a transfer
};

} // namespace

TaskGraphTimer::TaskGraphTimer(ComputeTimeCallback computeTime, TransferTimeCallback transferTime)
    : m_computeTime(std::move(computeTime)),
      m_transferTime(std::move(transferTime))
{
}

std::string
TaskGraphTimer::Run(const TaskGraph& graph, TaskGraphSchedule& schedule) const
{
    NS_LOG_FUNCTION(this << graph.GetTaskCount());
    std::string problem = graph.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    const uint32_t n = graph.GetTaskCount();
    const uint32_t devices = graph.GetDeviceCount();

    // Durations first, so a bad callback is reported before any scheduling.
    std::vector<Time> duration(n);
    std::vector<double> cost(n, 0.0);
    for (uint32_t id = 0; id < n; ++id)
    {
        std::ostringstream os;
        if (!graph.IsCompute(id) && m_flowRates)
        {
            cost[id] = 1.0; // every transfer is a flow; its rate comes from m_flowRates
            continue;
        }
        if (!graph.IsCompute(id) && m_channelCost)
        {
            cost[id] = m_channelCost(graph.GetTransfer(id));
            if (!(std::isfinite(cost[id]) && cost[id] >= 0))
            {
                os << "channel cost " << cost[id] << " s/byte of task " << graph.DescribeTask(id)
                   << " is invalid: must be finite and >= 0";
                return os.str();
            }
            if (cost[id] > 0)
            {
                continue;
            }
        }
        if (graph.IsCompute(id))
        {
            const ComputeTask& task = graph.GetCompute(id);
            if (task.HasExplicitDuration())
            {
                duration[id] = task.duration;
                continue;
            }
            if (!m_computeTime)
            {
                return "task " + graph.DescribeTask(id) +
                       " has no explicit duration and the timer has no computeTime callback";
            }
            duration[id] = m_computeTime(task);
            os << "computeTime";
        }
        else
        {
            if (!m_transferTime)
            {
                return "task " + graph.DescribeTask(id) +
                       " is a transfer and the timer has no transferTime callback";
            }
            duration[id] = m_transferTime(graph.GetTransfer(id));
            os << "transferTime";
        }
        if (duration[id].IsStrictlyNegative())
        {
            os << " returned " << duration[id].As(Time::S) << " for task " << graph.DescribeTask(id)
               << ": a duration must be >= 0";
            return os.str();
        }
    }

    if (m_channelCost || m_flowRates)
    {
        RunShared(graph, duration, cost, schedule);
        return "";
    }
    TaskGraphSchedule result;
    result.ready.assign(n, Time(0));
    result.start.assign(n, Time(0));
    result.end.assign(n, Time(0));
    result.deviceOrder.assign(devices, {});
    result.deviceBusy.assign(devices, Time(0));

    // running tasks by end time, ties by id
    using Event = std::pair<Time, uint32_t>;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> running;
    ListRule rule(graph);
    Time now(0);
    uint32_t finished = 0;
    while (true)
    {
        // Queue what became ready at this instant, ascending id (the FIFO tie rule).
        for (uint32_t id : rule.QueueReady())
        {
            result.ready[id] = now;
        }
        rule.StartIdle([&](uint32_t id) {
            result.start[id] = now;
            result.end[id] = now + duration[id];
            if (graph.IsCompute(id))
            {
                const uint32_t d = graph.GetCompute(id).device;
                result.deviceOrder[d].push_back(id);
                result.deviceBusy[d] += duration[id];
            }
            running.push({result.end[id], id});
        });
        if (running.empty())
        {
            break;
        }
        // Apply every completion of the next instant before anything picks its next task.
        now = running.top().first;
        while (!running.empty() && running.top().first == now)
        {
            const uint32_t id = running.top().second;
            running.pop();
            ++finished;
            NS_LOG_LOGIC("t=" << now.As(Time::S) << " finished " << graph.DescribeTask(id));
            rule.Finish(id);
        }
    }
    NS_ABORT_MSG_IF(finished != n,
                    "TaskGraphTimer: " << n - finished << " tasks never ran in a valid graph");
    result.makespan = Time(0);
    for (uint32_t id = 0; id < n; ++id)
    {
        result.makespan = std::max(result.makespan, result.end[id]);
    }
    schedule = std::move(result);
    return "";
}

void
TaskGraphTimer::SetSharedChannel(ChannelCostCallback cost)
{
    m_channelCost = std::move(cost);
    m_flowRates = nullptr;
}

void
TaskGraphTimer::SetFlowRates(FlowRatesCallback rates)
{
    m_flowRates = std::move(rates);
    m_channelCost = nullptr;
}

void
TaskGraphTimer::SetChannelContention(ChannelContentionCallback contention)
{
    m_channelContention = std::move(contention);
}

void
TaskGraphTimer::SetChannelOf(ChannelOfCallback channelOf)
{
    m_channelOf = std::move(channelOf);
}

void
TaskGraphTimer::RunShared(const TaskGraph& graph,
                          const std::vector<Time>& duration,
                          const std::vector<double>& cost,
                          TaskGraphSchedule& schedule) const
{
    const uint32_t n = graph.GetTaskCount();
    const uint32_t devices = graph.GetDeviceCount();
    std::vector<double> ready(n, 0.0);
    std::vector<double> start(n, 0.0);
    std::vector<double> end(n, 0.0);
    TaskGraphSchedule result;
    result.deviceOrder.assign(devices, {});
    result.deviceBusy.assign(devices, Time(0));

    // running tasks of fixed duration by end (the earliest first), and running channel
    // transfers: id -> bytes left
    std::set<std::pair<double, uint32_t>> fixedEnd;
    std::map<uint32_t, double> onChannel;
    std::vector<double> rate(n, 0.0); // each running transfer's byte rate
    ListRule rule(graph);
    double now = 0;
    uint32_t finished = 0;
    while (true)
    {
        for (uint32_t id : rule.QueueReady())
        {
            ready[id] = now;
        }
        rule.StartIdle([&](uint32_t id) {
            start[id] = now;
            if (graph.IsCompute(id))
            {
                const uint32_t d = graph.GetCompute(id).device;
                result.deviceOrder[d].push_back(id);
                result.deviceBusy[d] += duration[id];
            }
            if (cost[id] > 0)
            {
                onChannel[id] = static_cast<double>(graph.GetTransfer(id).bytes);
            }
            else
            {
                fixedEnd.emplace(now + duration[id].GetSeconds(), id);
            }
        });
        if (fixedEnd.empty() && onChannel.empty())
        {
            break;
        }
        // each flow's byte rate: the network's for this set of flows, or on one shared
        // channel the same for all, 1 / (sum of their costs); the next instant anything ends
        if (m_flowRates && !onChannel.empty())
        {
            std::vector<const TransferTask*> flows;
            for (const auto& [id, left] : onChannel)
            {
                flows.push_back(&graph.GetTransfer(id));
            }
            const std::vector<double> given = m_flowRates(flows);
            NS_ABORT_MSG_IF(given.size() != flows.size(),
                            "TaskGraphTimer: the flow-rate callback gave "
                                << given.size() << " rates for " << flows.size() << " flows");
            uint32_t i = 0;
            for (const auto& [id, left] : onChannel)
            {
                NS_ABORT_MSG_IF(!(given[i] > 0 && std::isfinite(given[i])),
                                "TaskGraphTimer: rate " << given[i] << " B/s for task "
                                                        << graph.DescribeTask(id)
                                                        << ": must be positive");
                rate[id] = given[i++];
            }
        }
        else if (!onChannel.empty())
        {
            // per channel: the same byte rate for all its transfers, 1 / (sum of their costs
            // times the channel's contention)
            std::map<uint32_t, double> totalCost;
            std::map<uint32_t, std::vector<const TransferTask*>> transfers;
            std::map<uint32_t, uint32_t> channelOf;
            for (const auto& [id, left] : onChannel)
            {
                const TransferTask& task = graph.GetTransfer(id);
                const uint32_t channel = m_channelOf ? m_channelOf(task) : 0;
                channelOf[id] = channel;
                totalCost[channel] += cost[id];
                transfers[channel].push_back(&task);
            }
            if (m_channelContention)
            {
                for (auto& [channel, total] : totalCost)
                {
                    const double factor = m_channelContention(transfers[channel]);
                    NS_ABORT_MSG_IF(!(factor >= 1.0 && std::isfinite(factor)),
                                    "TaskGraphTimer: channel contention factor "
                                        << factor << ": must be at least 1");
                    total *= factor;
                }
            }
            for (const auto& [id, left] : onChannel)
            {
                rate[id] = 1.0 / totalCost[channelOf[id]];
            }
        }
        double next =
            fixedEnd.empty() ? std::numeric_limits<double>::infinity() : fixedEnd.begin()->first;
        for (const auto& [id, left] : onChannel)
        {
            next = std::min(next, now + left / rate[id]);
        }
        const double elapsed = next - now;
        now = next;
        std::vector<uint32_t> done;
        for (auto& [id, left] : onChannel)
        {
            left -= rate[id] * elapsed;
            // a byte's millionth: what rounding leaves of a transfer that ends now
            if (left <= 1e-6 * std::max(1.0, static_cast<double>(graph.GetTransfer(id).bytes)))
            {
                done.push_back(id);
            }
        }
        for (auto it = fixedEnd.begin(); it != fixedEnd.end() && it->first <= now;)
        {
            done.push_back(it->second);
            it = fixedEnd.erase(it);
        }
        std::sort(done.begin(), done.end());
        for (uint32_t id : done)
        {
            onChannel.erase(id);
            end[id] = now;
            ++finished;
            rule.Finish(id);
        }
    }
    NS_ABORT_MSG_IF(finished != n,
                    "TaskGraphTimer: " << n - finished << " tasks never ran in a valid graph");
    result.ready.resize(n);
    result.start.resize(n);
    result.end.resize(n);
    result.makespan = Time(0);
    for (uint32_t id = 0; id < n; ++id)
    {
        result.ready[id] = Seconds(ready[id]);
        result.start[id] = Seconds(start[id]);
        result.end[id] = Seconds(end[id]);
        result.makespan = std::max(result.makespan, result.end[id]);
    }
    schedule = std::move(result);
}

Time
TaskGraphTimer::GetMakespan(const TaskGraph& graph) const
{
    TaskGraphSchedule schedule;
    const std::string problem = Run(graph, schedule);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return schedule.makespan;
}

TaskGraphTimer::TransferTimeCallback
TaskGraphTimer::LinkTransferTime(double bitRate, Time latency)
{
    NS_ABORT_MSG_IF(!std::isfinite(bitRate) || bitRate <= 0,
                    "bitRate=" << bitRate << " is invalid: must be a finite number > 0 (bit/s)");
    NS_ABORT_MSG_IF(latency.IsStrictlyNegative(),
                    "latency=" << latency.As(Time::S) << " is invalid: must be >= 0");
    return [bitRate, latency](const TransferTask& task) {
        return Seconds(static_cast<double>(task.bytes) * 8.0 / bitRate) + latency;
    };
}

TaskGraphTimer::TransferTimeCallback
TaskGraphTimer::ConstantTransferTime(Time duration)
{
    NS_ABORT_MSG_IF(duration.IsStrictlyNegative(),
                    "duration=" << duration.As(Time::S) << " is invalid: must be >= 0");
    return [duration](const TransferTask&) { return duration; };
}

} // namespace edgellm
} // namespace ns3
