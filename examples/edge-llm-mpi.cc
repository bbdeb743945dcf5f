/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * One round of a multi-cell scenario at the packet level on ns-3's distributed simulator (MPI),
 * its cells spread over the ranks:
 *
 *   mpirun -np 2 edge-llm-mpi scenarios/collapipe-mpi.json --outputDir=results/mpi-2
 *   edge-llm-mpi scenarios/collapipe-mpi.json --outputDir=results/mpi-1     (one rank)
 *
 * Each rank holds every node and simulates its own: cell c on rank floor(c P / C), the
 * aggregation server on rank 0 (EdgeNetworkHelper::SetPartitionCount). The backhaul links
 * between ranks are ns-3 remote point-to-point channels; their delay is the lookahead. Every
 * rank plans the round (the planners are deterministic) and executes its nodes' part of the
 * task graph (TaskGraphExecution). Rank 0 gathers when each task started and ended and writes
 *
 *   OUTPUT/tasks.csv    task,kind,node,peer,bytes,start_ns,end_ns  (every task of the round)
 *   OUTPUT/summary.csv  tasks,transfers,bytes,first_start_ns,last_end_ns,round_s
 *
 * which are the same, byte for byte, whatever the number of ranks (scripts/check-mpi.sh
 * compares them). Each rank's own recorder output (its partial view) goes to
 * OUTPUT/rank-R/. Needs ns-3 built with MPI (scripts/check-mpi.sh builds it); Debian's libns3
 * has no MPI module, so the standalone build does not build this example.
 */

#include "ns3/command-line-counts.h"
#include "ns3/core-module.h"
#include "ns3/mpi-interface.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <mpi.h>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// What this rank saw of the round's tasks.
struct TaskTimes
{
    Ptr<TaskGraphExecution> execution; //!< this rank's execution
    Ptr<TaskGraph> graph;              //!< the round's graph (the same on every rank)
    std::vector<int64_t> started;      //!< pairs: task id, start (ns)
    std::vector<int64_t> ended;        //!< pairs: task id, end (ns)
};

/// Record a task that started on this rank.
void
TaskStarted(TaskTimes* times, uint32_t iteration, uint32_t taskId, Time start)
{
    times->graph = times->execution->GetGraph();
    times->started.push_back(taskId);
    times->started.push_back(start.GetNanoSeconds());
}

/// Record a task that ended on this rank.
void
TaskEnded(TaskTimes* times, uint32_t iteration, uint32_t taskId, Time start, Time end)
{
    times->graph = times->execution->GetGraph();
    times->ended.push_back(taskId);
    times->ended.push_back(end.GetNanoSeconds());
}

/// Connect this rank's execution to \p times.
void
WatchExecution(TaskTimes* times, Ptr<TaskGraphExecution> execution)
{
    times->execution = execution;
    execution->TraceConnectWithoutContext("TaskStarted", MakeBoundCallback(&TaskStarted, times));
    execution->TraceConnectWithoutContext("TaskFinished", MakeBoundCallback(&TaskEnded, times));
}

/**
 * Gather every rank's int64 values at rank 0.
 * \param values this rank's
 * \return rank 0: all ranks' values, rank by rank; others: empty
 */
std::vector<int64_t>
GatherAtRoot(const std::vector<int64_t>& values)
{
    int size = 1;
    int rank = 0;
    MPI_Comm_size(MpiInterface::GetCommunicator(), &size);
    MPI_Comm_rank(MpiInterface::GetCommunicator(), &rank);
    int count = static_cast<int>(values.size());
    std::vector<int> counts(size);
    MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MpiInterface::GetCommunicator());
    std::vector<int> offsets(size, 0);
    for (int r = 1; r < size; ++r)
    {
        offsets[r] = offsets[r - 1] + counts[r - 1];
    }
    std::vector<int64_t> all(rank == 0 ? offsets[size - 1] + counts[size - 1] : 0);
    MPI_Gatherv(values.data(),
                count,
                MPI_INT64_T,
                all.data(),
                counts.data(),
                offsets.data(),
                MPI_INT64_T,
                0,
                MpiInterface::GetCommunicator());
    return all;
}

/**
 * Write the round's tasks and summary (rank 0).
 * \return "" or why the ranks' records do not cover the round (a task seen twice or never)
 */
std::string
WriteRound(const std::string& directory,
           const TaskGraph& graph,
           const std::vector<int64_t>& started,
           const std::vector<int64_t>& ended)
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
                return "task " + std::to_string(task) + " was recorded by two ranks";
            }
            times[task] = (*pairs)[i + 1];
        }
    }
    std::ofstream tasks(directory + "/tasks.csv");
    tasks << "task,kind,node,peer,bytes,start_ns,end_ns\n";
    uint64_t bytes = 0;
    uint32_t transfers = 0;
    int64_t first = INT64_MAX;
    int64_t last = 0;
    for (uint32_t id = 0; id < count; ++id)
    {
        if (start[id] < 0 || end[id] < 0)
        {
            return "task " + graph.DescribeTask(id) + " has no " +
                   (start[id] < 0 ? "start" : "end") + " on any rank";
        }
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
    std::ofstream summary(directory + "/summary.csv");
    summary << "tasks,transfers,bytes,first_start_ns,last_end_ns,round_s\n"
            << count << ',' << transfers << ',' << bytes << ',' << first << ',' << last << ','
            << std::setprecision(9) << (last - first) * 1e-9 << '\n';
    std::cout << "edge-llm-mpi: " << count << " tasks, " << transfers << " transfers, " << bytes
              << " bytes; round " << std::setprecision(6) << (last - first) * 1e-9
              << " s simulated\n";
    return "";
}

} // namespace

int
main(int argc, char* argv[])
{
    ExitOnRefusal("edge-llm-mpi"); // a refusal exits 2 with its message, not SIGABRT
    MPI_Init(&argc, &argv);
    int size = 1;
    int rank = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (size > 1)
    {
        // before anything touches the simulator
        GlobalValue::Bind("SimulatorImplementationType",
                          StringValue("ns3::DistributedSimulatorImpl"));
    }
    MpiInterface::Enable(MPI_COMM_WORLD);

    std::string path;
    for (int i = 1; i < argc && path.empty(); ++i)
    {
        if (std::string(argv[i]).rfind("--", 0) != 0)
        {
            path = argv[i];
        }
    }
    std::string runName;
    std::string outputDir = "results/mpi";
    double epochMs = 10;
    auto fail = [](const std::string& problem) {
        std::cerr << "edge-llm-mpi: " << problem << "\n";
        MPI_Abort(MPI_COMM_WORLD, 1);
        return 1;
    };
    Scenario scenario;
    std::string problem = path.empty() ? "scenario: missing; usage: [mpirun -np P] edge-llm-mpi "
                                         "SCENARIO.json [--run=NAME] [--outputDir=DIR]"
                                       : Scenario::LoadFile(path, scenario);
    if (!problem.empty())
    {
        return fail(problem);
    }
    RngSeedManager::SetSeed(scenario.seed);
    RngSeedManager::SetRun(scenario.run);
    CommandLine cmd(__FILE__);
    cmd.Usage("One round of a multi-cell scenario at the packet level on ns-3's distributed "
              "simulator, one or more cells per MPI rank.");
    cmd.AddNonOption("scenario", "The scenario file (JSON)", path);
    cmd.AddValue("run", "The run of the scenario to do (default: its first)", runName);
    cmd.AddValue("outputDir", "Output folder", outputDir);
    cmd.AddValue("epochMs",
                 "Simulated time between the ranks' checks that the round is over, ms",
                 epochMs);
    cmd.Parse(argc, argv);
    if (!(epochMs > 0) || epochMs > 1e6)
    {
        return fail("epochMs=" + std::to_string(epochMs) + " is invalid: must be in (0, 1e6]");
    }
    if (!runName.empty())
    {
        problem = scenario.SelectRuns({runName});
    }
    else if (scenario.runs.empty())
    {
        problem = "the scenario has no run";
    }
    if (!problem.empty())
    {
        return fail(problem);
    }
    const ScenarioRun run = scenario.runs.front();
    StudyHelper& study = scenario.study;
    study.SetRounds(1);
    study.SetFidelity("packet");
    study.GetNetworkHelper().SetPartitionCount(size);
    if (rank == 0)
    {
        SystemPath::MakeDirectories(outputDir);
    }
    study.SetOutputDirectory(outputDir + "/rank-" + std::to_string(rank));
    TaskTimes times;
    study.SetExecutionCallback(MakeBoundCallback(&WatchExecution, &times));
    const Time epoch = MilliSeconds(epochMs);
    double simulatorSeconds = 0;
    study.SetSimulationDriver([epoch, &simulatorSeconds](const std::function<bool()>& finished) {
        const auto begin = std::chrono::steady_clock::now();
        for (int over = 0; !over;)
        {
            Simulator::Stop(epoch);
            Simulator::Run();
            int mine = finished() ? 1 : 0;
            MPI_Allreduce(&mine, &over, 1, MPI_INT, MPI_LAND, MpiInterface::GetCommunicator());
        }
        simulatorSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    });

    std::vector<RoundRecord> records;
    problem = study.Run(run.name, Scenario::CreateStrategy(run), records);
    if (!problem.empty())
    {
        return fail("run '" + run.name + "' on " + std::to_string(size) + " rank(s): " + problem);
    }
    std::cout << "edge-llm-mpi: rank " << rank << " of " << size << ": " << times.started.size() / 2
              << " tasks started, " << times.ended.size() / 2 << " ended here; simulator "
              << std::setprecision(4) << simulatorSeconds << " s wall\n";
    const std::vector<int64_t> started = GatherAtRoot(times.started);
    const std::vector<int64_t> ended = GatherAtRoot(times.ended);
    double slowest = 0;
    MPI_Reduce(&simulatorSeconds,
               &slowest,
               1,
               MPI_DOUBLE,
               MPI_MAX,
               0,
               MpiInterface::GetCommunicator());
    if (rank == 0)
    {
        if (!times.graph)
        {
            return fail("no task ran on rank 0");
        }
        problem = WriteRound(outputDir, *times.graph, started, ended);
        if (!problem.empty())
        {
            return fail(problem);
        }
        std::cout << "edge-llm-mpi: " << size << " rank(s): simulator " << std::setprecision(4)
                  << slowest << " s wall (the slowest rank)\n";
    }
    MpiInterface::Disable();
    MPI_Finalize();
    return 0;
}
