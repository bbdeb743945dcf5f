/* SPDX-License-Identifier: GPL-2.0-only */
#include "distributed-round-report.h"

#include "ns3/callback.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <limits>

namespace ns3
{
namespace edgellm
{

void
DistributedRoundReport::Watch(Ptr<TaskGraphExecution> execution)
{
    m_execution = execution;
    execution->TraceConnectWithoutContext("TaskStarted",
                                          MakeCallback(&DistributedRoundReport::TaskStarted, this));
    execution->TraceConnectWithoutContext("TaskFinished",
                                          MakeCallback(&DistributedRoundReport::TaskEnded, this));
}

void
DistributedRoundReport::TaskStarted(uint32_t iteration, uint32_t taskId, Time start)
{
    m_graph = m_execution->GetGraph();
    m_started.push_back(taskId);
    m_started.push_back(start.GetNanoSeconds());
}

void
DistributedRoundReport::TaskEnded(uint32_t iteration, uint32_t taskId, Time start, Time end)
{
    m_graph = m_execution->GetGraph();
    m_ended.push_back(taskId);
    m_ended.push_back(end.GetNanoSeconds());
}

const std::vector<int64_t>&
DistributedRoundReport::GetStarted() const
{
    return m_started;
}

const std::vector<int64_t>&
DistributedRoundReport::GetEnded() const
{
    return m_ended;
}

Ptr<TaskGraph>
DistributedRoundReport::GetGraph() const
{
    return m_graph;
}

std::string
DistributedRoundReport::Write(const std::string& directory,
                              const TaskGraph& graph,
                              const std::vector<int64_t>& started,
                              const std::vector<int64_t>& ended,
                              std::ostream& out)
{
    const uint32_t count = graph.GetTaskCount();
    std::vector<int64_t> start(count, -1);
    std::vector<int64_t> end(count, -1);
    for (const auto* pairs : {&started, &ended})
    {
        std::vector<int64_t>& times = pairs == &started ? start : end;
        for (size_t i = 0; i + 1 < pairs->size(); i += 2)
        {
            const auto task = static_cast<uint64_t>((*pairs)[i]);
            if (task >= count || times[task] >= 0)
            {
                return "task " + std::to_string(task) +
                       (task >= count ? " is not in the graph" : " was recorded by two ranks");
            }
            times[task] = (*pairs)[i + 1];
        }
    }
    for (uint32_t id = 0; id < count; ++id)
    {
        if (start[id] < 0 || end[id] < 0)
        {
            return "task " + graph.DescribeTask(id) + " has no " +
                   (start[id] < 0 ? "start" : "end") + " on any rank";
        }
    }
    std::ofstream tasks(directory + "/tasks.csv");
    tasks << "task,kind,node,peer,bytes,start_ns,end_ns\n";
    uint64_t bytes = 0;
    uint32_t transfers = 0;
    int64_t first = std::numeric_limits<int64_t>::max();
    int64_t last = 0;
    for (uint32_t id = 0; id < count; ++id)
    {
        first = std::min(first, start[id]);
        last = std::max(last, end[id]);
        if (graph.IsCompute(id))
        {
            tasks << id << ",compute," << graph.GetCompute(id).device << ",,0,";
        }
        else
        {
            const auto& transfer = graph.GetTransfer(id);
            tasks << id << ",transfer," << transfer.source << ',' << transfer.destination << ','
                  << transfer.bytes << ',';
            bytes += transfer.bytes;
            ++transfers;
        }
        tasks << start[id] << ',' << end[id] << '\n';
    }
    first = count == 0 ? 0 : first;
    std::ofstream summary(directory + "/summary.csv");
    summary << "tasks,transfers,bytes,first_start_ns,last_end_ns,round_s\n"
            << count << ',' << transfers << ',' << bytes << ',' << first << ',' << last << ','
            << std::setprecision(9) << (last - first) * 1e-9 << '\n';
    out << count << " tasks, " << transfers << " transfers, " << bytes << " bytes; round "
        << std::setprecision(6) << (last - first) * 1e-9 << " s simulated\n";
    return "";
}

} // namespace edgellm
} // namespace ns3
