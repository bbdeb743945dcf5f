/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * Runs a whole study from a scenario file (fleet, network, workload, runs of strategies and
 * schedulers with their attributes, rounds, fidelity, seeds, output folder):
 *
 *   edge-llm-run scenarios/collapipe-wifi.json
 *   edge-llm-run scenarios/collapipe-ofdma.json --runs=dssda,even --rounds=5
 *   edge-llm-run scenarios/collapipe-wifi.json --ns3::DssdaScheduler::MaxLabels=4 --RngRun=2
 *
 * Attribute defaults given on the command line (--ns3::Type::Attribute=value) override the
 * file's "defaults" but not attributes a run sets explicitly; --RngSeed / --RngRun override the
 * file's seed and run.
 */

#include "ns3/command-line-lists.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/scenario-runner.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    // The file is read before the command line, so that what the command line sets wins.
    std::string path;
    for (int i = 1; i < argc && path.empty(); ++i)
    {
        if (std::string(argv[i]).rfind("--", 0) != 0)
        {
            path = argv[i];
        }
    }
    Scenario scenario;
    std::string problem = path.empty() ? "scenario: missing; usage: edge-llm-run SCENARIO.json "
                                         "[--runs=a,b] [--rounds=N] [--fidelity=flow|packet] "
                                         "[--outputDir=DIR] [--ns3::Type::Attribute=value]"
                                       : Scenario::LoadFile(path, scenario);
    if (!problem.empty())
    {
        std::cerr << "edge-llm-run: " << problem << "\n";
        return 1;
    }
    RngSeedManager::SetSeed(scenario.seed);
    RngSeedManager::SetRun(scenario.run);

    std::string runs;
    int64_t rounds = 0;
    std::string fidelity;
    CommandLine cmd(__FILE__);
    cmd.Usage("Runs the study a JSON scenario file describes.");
    cmd.AddNonOption("scenario", "The scenario file (JSON)", path);
    cmd.AddValue("runs", "Comma-separated names of the runs to do (default: all)", runs);
    cmd.AddValue("rounds", "Rounds per run (default: the file's)", rounds);
    cmd.AddValue("fidelity", "flow or packet (default: the file's)", fidelity);
    cmd.AddValue("outputDir", "Output folder (default: the file's)", scenario.outputDir);
    cmd.Parse(argc, argv);

    if (rounds != 0 || cmd.GetNExtraNonOptions() > 0)
    {
        problem = rounds < 0 || rounds > 1000000
                      ? "rounds=" + std::to_string(rounds) + " is invalid: must be in [1, 1000000]"
                      : (cmd.GetNExtraNonOptions() > 0
                             ? "unexpected argument '" + cmd.GetExtraNonOption(0) + "'"
                             : "");
        if (problem.empty())
        {
            scenario.study.SetRounds(rounds);
        }
    }
    if (problem.empty() && !fidelity.empty())
    {
        problem = EdgeLlmRuntimeHelper::CheckFidelity(fidelity);
        if (problem.empty())
        {
            scenario.study.SetFidelity(fidelity);
        }
    }
    if (problem.empty() && !runs.empty())
    {
        problem = scenario.SelectRuns(SplitCommaSeparated(runs));
    }
    if (!problem.empty())
    {
        std::cerr << "edge-llm-run: " << problem << "\n";
        return 1;
    }
    scenario.study.SetOutputDirectory(scenario.outputDir);
    return ScenarioRunner::Run(scenario, std::cout, std::cerr);
}
