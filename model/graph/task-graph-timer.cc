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

    using Pair = std::pair<uint32_t, uint32_t>;
    std::vector<uint32_t> waiting(n);
    std::vector<bool> deviceBusy(devices, false);
    std::vector<std::set<uint32_t>> deviceReady(devices); // ready compute ids, lowest first
    std::map<Pair, bool> pairBusy;
    std::map<Pair, std::deque<uint32_t>> pairQueue; // ready transfers, FIFO
    // running tasks by end time, ties by id
    using Event = std::pair<Time, uint32_t>;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> running;

    std::vector<uint32_t> newlyReady;
    for (uint32_t id = 0; id < n; ++id)
    {
        waiting[id] = static_cast<uint32_t>(graph.GetDependencies(id).size());
        if (waiting[id] == 0)
        {
            newlyReady.push_back(id);
        }
    }

    Time now(0);
    uint32_t finished = 0;
    while (true)
    {
        // Queue what became ready at this instant, ascending id (the FIFO tie rule).
        std::sort(newlyReady.begin(), newlyReady.end());
        for (uint32_t id : newlyReady)
        {
            result.ready[id] = now;
            if (graph.IsCompute(id))
            {
                deviceReady[graph.GetCompute(id).device].insert(id);
            }
            else
            {
                const TransferTask& t = graph.GetTransfer(id);
                pairQueue[{t.source, t.destination}].push_back(id);
            }
        }
        newlyReady.clear();

        // Idle devices start their lowest-id ready compute task, idle pairs their oldest transfer.
        for (uint32_t d = 0; d < devices; ++d)
        {
            if (!deviceBusy[d] && !deviceReady[d].empty())
            {
                const uint32_t id = *deviceReady[d].begin();
                deviceReady[d].erase(deviceReady[d].begin());
                deviceBusy[d] = true;
                result.start[id] = now;
                result.end[id] = now + duration[id];
                result.deviceOrder[d].push_back(id);
                result.deviceBusy[d] += duration[id];
                running.push({result.end[id], id});
            }
        }
        for (auto& [p, queue] : pairQueue)
        {
            bool& busy = pairBusy[p];
            if (!busy && !queue.empty())
            {
                const uint32_t id = queue.front();
                queue.pop_front();
                busy = true;
                result.start[id] = now;
                result.end[id] = now + duration[id];
                running.push({result.end[id], id});
            }
        }

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
            if (graph.IsCompute(id))
            {
                deviceBusy[graph.GetCompute(id).device] = false;
            }
            else
            {
                const TransferTask& t = graph.GetTransfer(id);
                pairBusy[{t.source, t.destination}] = false;
            }
            for (uint32_t s : graph.GetSuccessors(id))
            {
                if (--waiting[s] == 0)
                {
                    newlyReady.push_back(s);
                }
            }
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

    using Pair = std::pair<uint32_t, uint32_t>;
    std::vector<uint32_t> waiting(n);
    std::vector<bool> deviceBusy(devices, false);
    std::vector<std::set<uint32_t>> deviceReady(devices);
    std::map<Pair, bool> pairBusy;
    std::map<Pair, std::deque<uint32_t>> pairQueue;
    std::map<uint32_t, double> fixedEnd;  // running tasks of fixed duration: id -> end
    std::map<uint32_t, double> onChannel; // running channel transfers: id -> bytes left
    std::vector<uint32_t> newlyReady;
    for (uint32_t id = 0; id < n; ++id)
    {
        waiting[id] = static_cast<uint32_t>(graph.GetDependencies(id).size());
        if (waiting[id] == 0)
        {
            newlyReady.push_back(id);
        }
    }
    double now = 0;
    uint32_t finished = 0;
    while (true)
    {
        std::sort(newlyReady.begin(), newlyReady.end());
        for (uint32_t id : newlyReady)
        {
            ready[id] = now;
            if (graph.IsCompute(id))
            {
                deviceReady[graph.GetCompute(id).device].insert(id);
            }
            else
            {
                const TransferTask& t = graph.GetTransfer(id);
                pairQueue[{t.source, t.destination}].push_back(id);
            }
        }
        newlyReady.clear();
        for (uint32_t d = 0; d < devices; ++d)
        {
            if (!deviceBusy[d] && !deviceReady[d].empty())
            {
                const uint32_t id = *deviceReady[d].begin();
                deviceReady[d].erase(deviceReady[d].begin());
                deviceBusy[d] = true;
                start[id] = now;
                fixedEnd[id] = now + duration[id].GetSeconds();
                result.deviceOrder[d].push_back(id);
                result.deviceBusy[d] += duration[id];
            }
        }
        for (auto& [p, queue] : pairQueue)
        {
            bool& busy = pairBusy[p];
            if (!busy && !queue.empty())
            {
                const uint32_t id = queue.front();
                queue.pop_front();
                busy = true;
                start[id] = now;
                if (cost[id] > 0)
                {
                    onChannel[id] = static_cast<double>(graph.GetTransfer(id).bytes);
                }
                else
                {
                    fixedEnd[id] = now + duration[id].GetSeconds();
                }
            }
        }
        if (fixedEnd.empty() && onChannel.empty())
        {
            break;
        }
        // each flow's byte rate: the network's for this set of flows, or on one shared
        // channel the same for all, 1 / (sum of their costs); the next instant anything ends
        std::map<uint32_t, double> rate;
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
        else
        {
            double totalCost = 0;
            for (const auto& [id, left] : onChannel)
            {
                totalCost += cost[id];
            }
            for (const auto& [id, left] : onChannel)
            {
                rate[id] = 1.0 / totalCost;
            }
        }
        double next = std::numeric_limits<double>::infinity();
        for (const auto& [id, at] : fixedEnd)
        {
            next = std::min(next, at);
        }
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
        for (const auto& [id, at] : fixedEnd)
        {
            if (at <= now)
            {
                done.push_back(id);
            }
        }
        std::sort(done.begin(), done.end());
        for (uint32_t id : done)
        {
            onChannel.erase(id);
            fixedEnd.erase(id);
            end[id] = now;
            ++finished;
            if (graph.IsCompute(id))
            {
                deviceBusy[graph.GetCompute(id).device] = false;
            }
            else
            {
                const TransferTask& t = graph.GetTransfer(id);
                pairBusy[{t.source, t.destination}] = false;
            }
            for (uint32_t s : graph.GetSuccessors(id))
            {
                if (--waiting[s] == 0)
                {
                    newlyReady.push_back(s);
                }
            }
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
