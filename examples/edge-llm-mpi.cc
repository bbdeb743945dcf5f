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
 * Cell c runs on rank floor(c P / C), the aggregation server on rank 0; the backhaul links
 * between ranks are remote channels, their delay the lookahead. Rank 0 writes OUTPUT/tasks.csv
 * and OUTPUT/summary.csv (DistributedRoundReport), the same byte for byte whatever the number
 * of ranks (scripts/check-mpi.sh compares them); each rank's recorder writes its partial view
 * to OUTPUT/rank-R/. Built only in an ns-3 tree with MPI (scripts/check-mpi.sh builds one);
 * doc/multi-cell.rst explains the partition.
 */

#include "ns3/command-line-counts.h"
#include "ns3/core-module.h"
#include "ns3/distributed-round-report.h"
#include "ns3/mpi-interface.h"
#include "ns3/scenario.h"

#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <mpi.h>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

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
    const MPI_Comm world = MpiInterface::GetCommunicator();

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
    // (the recorder creates the folders; rank 0 writes the merged round after the run)
    study.SetOutputDirectory(outputDir + "/rank-" + std::to_string(rank));
    DistributedRoundReport report;
    study.SetExecutionCallback(MakeCallback(&DistributedRoundReport::Watch, &report));
    const Time epoch = MilliSeconds(epochMs);
    double simulatorSeconds = 0;
    study.SetSimulationDriver([epoch, world, &simulatorSeconds](auto& finished) {
        const auto begin = std::chrono::steady_clock::now();
        for (int over = 0; !over;)
        {
            Simulator::Stop(epoch);
            Simulator::Run();
            int mine = finished() ? 1 : 0;
            MPI_Allreduce(&mine, &over, 1, MPI_INT, MPI_LAND, world);
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
    std::cout << "edge-llm-mpi: rank " << rank << " of " << size << ": "
              << report.GetStarted().size() / 2 << " tasks started, "
              << report.GetEnded().size() / 2 << " ended here; simulator " << std::setprecision(4)
              << simulatorSeconds << " s wall\n";
    const std::vector<int64_t> started = GatherAtRoot(report.GetStarted());
    const std::vector<int64_t> ended = GatherAtRoot(report.GetEnded());
    double slowest = 0;
    MPI_Reduce(&simulatorSeconds, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, world);
    if (rank == 0)
    {
        if (!report.GetGraph())
        {
            return fail("no task ran on rank 0");
        }
        std::cout << "edge-llm-mpi: ";
        problem =
            DistributedRoundReport::Write(outputDir, *report.GetGraph(), started, ended, std::cout);
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
