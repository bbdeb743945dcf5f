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

#include "ns3/command-line-counts.h"
#include "ns3/command-line-lists.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/scenario-runner.h"

#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

/// The command line's own options.
struct Options
{
    std::string path;      //!< the scenario file
    std::string runs;      //!< runs to do
    int64_t rounds{0};     //!< rounds per run (0: the file's)
    int64_t seeds{0};      //!< run numbers to repeat over (0: the file's)
    std::string fidelity;  //!< flow or packet ("": the file's)
    std::string outputDir; //!< output folder ("": the file's)
};

/// Declare the options on \p cmd.
void
AddOptions(CommandLine& cmd, Options& options)
{
    cmd.Usage("Runs the study a JSON scenario file describes.");
    cmd.AddNonOption("scenario", "The scenario file (JSON)", options.path);
    cmd.AddValue("runs", "Comma-separated names of the runs to do (default: all)", options.runs);
    cmd.AddValue("rounds", "Rounds per run (default: the file's)", options.rounds);
    cmd.AddValue("seeds",
                 "Repeat over this many ns-3 run numbers from --RngRun and add the table of "
                 "means and 95% intervals (default: the file's, 1)",
                 options.seeds);
    cmd.AddValue("fidelity", "flow or packet (default: the file's)", options.fidelity);
    cmd.AddValue("outputDir", "Output folder (default: the file's)", options.outputDir);
}

int
main(int argc, char* argv[])
{
    ExitOnRefusal("edge-llm-run"); // a refusal exits 2 with its message, not SIGABRT
    // The file is read before the command line is parsed, so that what the command line sets
    // (attribute defaults, RngRun) wins over the file.
    Options options;
    for (int i = 1; i < argc && options.path.empty(); ++i)
    {
        if (std::string(argv[i]).rfind("--", 0) != 0)
        {
            options.path = argv[i];
        }
    }
    if (options.path.empty())
    {
        CommandLine help(__FILE__); // --PrintHelp, --PrintAttributes=... need no scenario
        AddOptions(help, options);
        help.Parse(argc, argv);
        std::cerr << "edge-llm-run: scenario: missing; usage: edge-llm-run SCENARIO.json "
                     "[--runs=a,b] [--rounds=N] [--fidelity=flow|packet] [--outputDir=DIR] "
                     "[--ns3::Type::Attribute=value]\n";
        return 1;
    }
    Scenario scenario;
    std::string problem = Scenario::LoadFile(options.path, scenario);
    if (!problem.empty())
    {
        std::cerr << "edge-llm-run: " << problem << "\n";
        return 1;
    }
    RngSeedManager::SetSeed(scenario.seed);
    RngSeedManager::SetRun(scenario.run);
    CommandLine cmd(__FILE__);
    AddOptions(cmd, options);
    cmd.Parse(argc, argv);

    if (options.rounds < 0 || options.rounds > 1000000)
    {
        problem =
            "rounds=" + std::to_string(options.rounds) + " is invalid: must be in [1, 1000000]";
    }
    else if (options.seeds < 0 || options.seeds > Scenario::MAX_SEEDS)
    {
        problem = "seeds=" + std::to_string(options.seeds) + " is invalid: must be in [1, " +
                  std::to_string(Scenario::MAX_SEEDS) + "]";
    }
    else if (cmd.GetNExtraNonOptions() > 0)
    {
        problem = "unexpected argument '" + cmd.GetExtraNonOption(0) + "'";
    }
    else if (!options.fidelity.empty())
    {
        problem = EdgeLlmRuntimeHelper::CheckFidelity(options.fidelity);
    }
    if (problem.empty() && !options.runs.empty())
    {
        problem = scenario.SelectRuns(SplitCommaSeparated(options.runs));
    }
    if (!problem.empty())
    {
        std::cerr << "edge-llm-run: " << problem << "\n";
        return 1;
    }
    if (options.rounds > 0)
    {
        scenario.study.SetRounds(options.rounds);
    }
    if (options.seeds > 0)
    {
        scenario.seeds = options.seeds;
    }
    if (!options.fidelity.empty())
    {
        scenario.study.SetFidelity(options.fidelity);
    }
    if (!options.outputDir.empty())
    {
        scenario.outputDir = options.outputDir;
        scenario.study.SetOutputDirectory(options.outputDir);
    }
    return ScenarioRunner::Run(scenario, std::cout, std::cerr);
}
