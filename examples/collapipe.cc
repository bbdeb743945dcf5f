/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * CollaPipe: clusters of mobile devices train an encoder pipeline-parallel, the edge server runs
 * the decoder and averages the clusters' encoders (FedAvg) every round; a scheduler on the
 * server chooses each round's segments, micro-batch count, bandwidth shares and transmit powers
 * from the channel gains it observes and the devices' energy queues.
 *
 *   collapipe [--network=wifi|ofdma] [--fidelity=flow|packet] [--rounds=N]
 *             [--schedulers=dssda,even,compute-proportional,standalone,fixed-microbatch,plain-fl]
 *             [--ns3::ClusterTrainingStrategy::LocalIterations=10]
 *
 * The study is scenarios/collapipe-<network>.json (the fleet, the model, the runs: DSSDA and
 * its baselines, each a strategy and a scheduler chosen by TypeId); each run uses the same seed.
 * Per run, the round controller samples every device's uplink gain from the network's own
 * propagation loss chain, the scheduler decides, the grants go to the radios, the runtime runs
 * the round's task graph, and the energy each device spent feeds its Lyapunov queue. This
 * example also watches the controller's RoundEnded trace and prints the scheduler's predicted
 * round latency beside the simulated one.
 */

#include "ns3/command-line-counts.h"
#include "ns3/command-line-lists.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/scenario-runner.h"

#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

/// RoundEnded: one line per round, prediction beside simulation.
void
PrintRound(const RoundRecord& record)
{
    std::clog << "  " << record.run << " round " << record.round << ": simulated "
              << std::setprecision(4) << record.latencySeconds << " s, predicted "
              << record.predictedSeconds << " s\n";
}

/// Before each run: connect PrintRound through the controller's Config path.
void
WatchController(bool verbose, Ptr<RoundController> controller)
{
    if (verbose)
    {
        Config::ConnectWithoutContext("/NodeList/*/$ns3::RoundController/RoundEnded",
                                      MakeCallback(&PrintRound));
    }
}

int
main(int argc, char* argv[])
{
    ExitOnRefusal("collapipe"); // a refusal exits 2 with its message, not SIGABRT
    std::string network = "wifi";
    std::string fidelity = "flow";
    int64_t rounds = 0;
    int64_t seeds = 0;
    std::string schedulers;
    std::string outputDir = "results/collapipe";
    bool verbose = false;
    CommandLine cmd(__FILE__);
    cmd.AddValue("network", "wifi (one 802.11ax BSS) or ofdma (the NR cell)", network);
    cmd.AddValue("fidelity", "Network fidelity: flow (default, fast) or packet", fidelity);
    cmd.AddValue("rounds", "FedAvg rounds (default: the scenario's, 20)", rounds);
    cmd.AddValue("seeds",
                 "ns-3 run numbers to repeat over, from --RngRun, with the table of means and 95% "
                 "intervals (default: the scenario's)",
                 seeds);
    cmd.AddValue("schedulers", "Comma-separated runs to compare (default: all)", schedulers);
    cmd.AddValue("outputDir",
                 "Folder for rounds.csv, round_devices.csv and each run's files",
                 outputDir);
    cmd.AddValue("verbose", "Print every round's simulated and predicted latency", verbose);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);

    std::string problem =
        network == "wifi" || network == "ofdma"
            ? EdgeLlmRuntimeHelper::CheckFidelity(fidelity)
            : "network='" + network + "' is not supported here; allowed: wifi, ofdma";
    if (problem.empty() && (rounds < 0 || rounds > 1000000))
    {
        problem = "rounds=" + std::to_string(rounds) + " is invalid: must be in [1, 1000000]";
    }
    if (problem.empty() && (seeds < 0 || seeds > Scenario::MAX_SEEDS))
    {
        problem = "seeds=" + std::to_string(seeds) + " is invalid: must be in [1, " +
                  std::to_string(Scenario::MAX_SEEDS) + "]";
    }
    Scenario scenario;
    if (problem.empty())
    {
        problem =
            Scenario::LoadFile(GetEdgeLlmScenarioPath("collapipe-" + network + ".json"), scenario);
    }
    if (problem.empty() && !schedulers.empty())
    {
        problem = scenario.SelectRuns(SplitCommaSeparated(schedulers));
    }
    if (!problem.empty())
    {
        std::cerr << "collapipe: " << problem << "\n";
        return 1;
    }
    scenario.study.SetFidelity(fidelity);
    if (rounds > 0)
    {
        scenario.study.SetRounds(rounds);
    }
    if (seeds > 0)
    {
        scenario.seeds = seeds;
    }
    scenario.outputDir = outputDir;
    scenario.study.SetOutputDirectory(outputDir);
    scenario.study.SetControllerCallback(MakeBoundCallback(&WatchController, verbose));
    return ScenarioRunner::Run(scenario, std::cout, std::cerr);
}
