/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Galaxy's table: one prompt's inference of each model in each heterogeneous environment
 * (scenarios/galaxy-env2/3/4.json: a Nano and a TX2; a Nano, a TX2 and an NX; two Nanos, a TX2
 * and an NX), on their wired LAN and on Wi-Fi, under Galaxy's planner and every baseline:
 * the even split (Megatron-style tensor parallelism), sequence parallelism, the layer-wise
 * pipeline and the best single device. Out of memory is a cell. Then Galaxy with and without
 * tile-based overlap over a sweep of the LAN's rate (scenarios/galaxy-lan.json: four Nanos).
 *
 *   ./galaxy-table                                   # the full table (a few minutes)
 *   ./galaxy-table --models=distilbert --networks=p2p --environments=galaxy-env2 --rates=1000
 */
#include "ns3/command-line-counts.h"
#include "ns3/command-line-lists.h"
#include "ns3/command-line.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/galaxy-study-helper.h"

#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

int
main(int argc, char* argv[])
{
    ExitOnRefusal("galaxy-table"); // a refusal exits 2 with its message, not SIGABRT
    std::string models = "distilbert,bert-large,gpt2-large,opt-1.3b,opt-2.7b";
    std::string environments = "galaxy-env2,galaxy-env3,galaxy-env4";
    std::string networks = "p2p,wifi";
    std::string rates = "100,300,1000,3000,10000";
    std::string sweepModel = "gpt2-large";
    std::string sweepEnvironment = "galaxy-lan";
    int64_t prompt = 256;
    std::string fidelity = "flow";
    std::string outputDir = "results/galaxy-table";
    CommandLine cmd(__FILE__);
    cmd.AddValue("models", "Comma-separated presets", models);
    cmd.AddValue("environments",
                 "Comma-separated scenarios of scenarios/ (no .json)",
                 environments);
    cmd.AddValue("networks", "Comma-separated: p2p (the files' LAN), wifi", networks);
    cmd.AddValue("prompt", "Tokens of the prompt, 1 to 4096", prompt);
    cmd.AddValue("rates", "LAN rates (Mbit/s) of the overlap sweep; empty: no sweep", rates);
    cmd.AddValue("sweepModel", "The overlap sweep's model", sweepModel);
    cmd.AddValue("sweepEnvironment", "The overlap sweep's scenario (no .json)", sweepEnvironment);
    cmd.AddValue("fidelity", "flow (default) or packet", fidelity);
    cmd.AddValue("outputDir", "Output folder", outputDir);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);
    const uint32_t tokens = RequireCountOption("prompt", prompt, 1, 4096);
    RequireOutputDirectory("outputDir", outputDir);

    std::vector<std::string> files;
    for (const std::string& name : SplitCommaSeparated(environments))
    {
        files.push_back(GetEdgeLlmScenarioPath(name + ".json"));
    }
    for (const std::string& network : SplitCommaSeparated(networks))
    {
        if (network != "p2p" && network != "wifi")
        {
            std::cerr << "galaxy-table: networks='" << networks
                      << "' is invalid: each must be p2p or wifi\n";
            return 1;
        }
    }
    std::vector<double> points;
    std::string problem = ParseNumberList("rates", rates, 1, 1e6, points);
    if (problem.empty())
    {
        std::cout << "One prompt of " << tokens << " tokens, fp32, " << fidelity
                  << " level; latency in ms\n\n";
        problem = GalaxyStudyHelper::Table(files,
                                           SplitCommaSeparated(models),
                                           SplitCommaSeparated(networks),
                                           tokens,
                                           fidelity,
                                           outputDir,
                                           std::cout);
    }
    if (problem.empty() && !points.empty())
    {
        std::cout << "\nGalaxy with and without tile-based overlap, " << sweepModel << " in "
                  << sweepEnvironment << " (flow level, ms)\n";
        problem =
            GalaxyStudyHelper::OverlapSweep(GetEdgeLlmScenarioPath(sweepEnvironment + ".json"),
                                            sweepModel,
                                            tokens,
                                            points,
                                            outputDir,
                                            std::cout);
    }
    if (!problem.empty())
    {
        std::cerr << "galaxy-table: " << problem << "\n";
        return 1;
    }
    std::cout << "\ngalaxy_table.csv and galaxy_overlap.csv in " << outputDir << "\n";
    return 0;
}
