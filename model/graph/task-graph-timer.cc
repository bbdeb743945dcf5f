/* SPDX-License-Identifier: GPL-2.0-only */
#include "task-graph-timer.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
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
    for (uint32_t id = 0; id < n; ++id)
    {
        std::ostringstream os;
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
