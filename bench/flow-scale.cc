/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: how the flow level's cost grows with the fleet, on a flow-only network (no
 * packet device) against the installed network (Wi-Fi stations that associate and beacon),
 * side by side.
 *
 * One CollaPipe round (BERT-base LoRA, the even split, clusters of 7 devices and a control
 * unit) at the flow level, for 8, 16, ... --maxDevices nodes in one Wi-Fi BSS (or one CSMA
 * segment), each run a separate edge-llm-run process: CPU seconds and peak resident memory
 * from the kernel (wait4's rusage), the simulated round latency from the study's rounds.csv.
 * The installed network runs up to --maxInstalled nodes (it grows much faster). The report
 * gives, per size, both costs and their ratio, checks that both networks simulate the same
 * latency, and fits the growth exponent of each (least squares on log cost against log
 * nodes, over the sizes from 32 nodes up, where fixed start-up costs no longer dominate).
 *
 *   edge-llm-bench-flow-scale [--network=wifi] [--maxDevices=1024] [--maxInstalled=128]
 *       [--outputDir=results/bench/flow-scale]
 */

#include "edge-llm-test-utils.h"

#include "ns3/command-line.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace ns3::edgellm;

namespace
{

/** What one run used and simulated. */
struct Usage : public ProcessUsage
{
    double latencySeconds{0}; //!< the simulated round
};

/**
 * The scenario of one size.
 * \param network the network kind
 * \param clusters clusters of 7 devices and a control unit
 * \param flowOnly build the network without packet devices
 * \return the scenario
 */
nlohmann::json
MakeScenario(const std::string& network, uint32_t clusters, bool flowOnly)
{
    nlohmann::json scenario = MakeClusterScaleScenario("flow-scale", clusters);
    scenario["network"] = {{"kind", network}, {"flowOnly", flowOnly}};
    if (network == "wifi")
    {
        scenario["network"]["channelWidthMHz"] = 160;
        scenario["network"]["placement"] = "disc";
        scenario["network"]["distance"] = 10;
    }
    return scenario;
}

/**
 * Run edge-llm-run on a scenario to completion, its output discarded.
 * \param program the edge-llm-run program
 * \param folder the run's folder (scenario.json is written there, results under it)
 * \param scenario the scenario
 * \return what it used
 */
Usage
Run(const std::string& program, const std::string& folder, const nlohmann::json& scenario)
{
    const StudyProcessUsage run = RunStudyProcess(program, folder, scenario);
    Usage usage;
    static_cast<ProcessUsage&>(usage) = run;
    usage.latencySeconds = ReadFirstRoundValue(run.roundsCsv, "latency_s");
    return usage;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string program = EDGE_LLM_RUN_PROGRAM;
    std::string network = "wifi";
    uint32_t maxDevices = 1024;
    uint32_t maxInstalled = 128;
    std::string outputDir = "results/bench/flow-scale";
    ns3::CommandLine cmd(__FILE__);
    cmd.AddValue("program", "The edge-llm-run program", program);
    cmd.AddValue("network", "wifi or csma", network);
    cmd.AddValue("maxDevices", "Largest fleet (nodes: devices and control units)", maxDevices);
    cmd.AddValue("maxInstalled", "Largest fleet run on the installed network", maxInstalled);
    cmd.AddValue("outputDir", "Output folder of the runs", outputDir);
    cmd.Parse(argc, argv);
    if (network != "wifi" && network != "csma")
    {
        std::cerr << "network='" << network << "' is invalid; allowed: wifi, csma" << std::endl;
        return 1;
    }
    if (maxDevices < 8 || maxDevices > 100000)
    {
        std::cerr << "maxDevices=" << maxDevices << " is invalid; allowed: 8..100000" << std::endl;
        return 1;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::cout << "Flow level, one CollaPipe round (BERT-base LoRA, even split, clusters of 8), "
              << network << ": flow-only network against installed devices\n"
              << std::setw(7) << "nodes" << std::setw(13) << "flow-only s" << std::setw(10)
              << "peak MiB" << std::setw(13) << "installed s" << std::setw(10) << "peak MiB"
              << std::setw(9) << "ratio" << std::setw(14) << "latency s"
              << "\n";
    std::vector<double> sizes;
    std::vector<double> flowOnlyCost;
    std::vector<double> installedSizes;
    std::vector<double> installedCost;
    bool sameLatency = true;
    double fixedFlowOnly = 0; // the 8-node runs' CPU time
    double fixedInstalled = 0;
    for (uint32_t nodes = 8; nodes <= maxDevices; nodes *= 2)
    {
        const uint32_t clusters = nodes / 8;
        const std::string base = outputDir + "/" + network + "-" + std::to_string(nodes);
        const Usage flowOnly =
            Run(program, base + "-flow-only", MakeScenario(network, clusters, true));
        if (!flowOnly.ok || flowOnly.latencySeconds <= 0)
        {
            std::cerr << "flow-scale: the flow-only run of " << nodes << " nodes failed (" << base
                      << "-flow-only)" << std::endl;
            return 1;
        }
        std::cout << std::setw(7) << nodes << std::fixed << std::setprecision(2) << std::setw(13)
                  << flowOnly.cpuSeconds << std::setprecision(0) << std::setw(10)
                  << flowOnly.peakKiB / 1024.0;
        if (nodes == 8)
        {
            fixedFlowOnly = flowOnly.cpuSeconds;
        }
        if (nodes >= 32)
        {
            sizes.push_back(nodes);
            flowOnlyCost.push_back(flowOnly.cpuSeconds);
        }
        if (nodes <= maxInstalled)
        {
            const Usage installed =
                Run(program, base + "-installed", MakeScenario(network, clusters, false));
            if (!installed.ok || installed.latencySeconds <= 0)
            {
                std::cerr << "flow-scale: the installed run of " << nodes << " nodes failed (see "
                          << base << "-installed/run.log)" << std::endl;
                return 1;
            }
            std::cout << std::setprecision(2) << std::setw(13) << installed.cpuSeconds
                      << std::setprecision(0) << std::setw(10) << installed.peakKiB / 1024.0
                      << std::setprecision(1) << std::setw(9)
                      << installed.cpuSeconds / flowOnly.cpuSeconds;
            if (nodes == 8)
            {
                fixedInstalled = installed.cpuSeconds;
            }
            if (nodes >= 32)
            {
                installedSizes.push_back(nodes);
                installedCost.push_back(installed.cpuSeconds);
            }
            // the same model of the same links: the same simulated round (on CSMA within the
            // contention emulation's noise: its stream number follows the network's streams)
            const double tolerance = network == "csma" ? 0.01 : 0.0;
            sameLatency =
                sameLatency && std::abs(installed.latencySeconds - flowOnly.latencySeconds) <=
                                   tolerance * installed.latencySeconds;
        }
        else
        {
            std::cout << std::setw(13) << "-" << std::setw(10) << "-" << std::setw(9) << "-";
        }
        std::cout << std::setprecision(6) << std::setw(14) << flowOnly.latencySeconds << "\n";
    }
    // the process's fixed start-up (libraries, LibTorch, the catalog) is most of a small run:
    // the marginal cost, less the 8-node run's, shows how the work itself grows
    auto marginal = [](std::vector<double> cost, double fixed) {
        for (double& c : cost)
        {
            c = std::max(1e-3, c - fixed);
        }
        return cost;
    };
    std::cout << std::setprecision(2) << "growth exponent of CPU time (32 nodes up): flow-only "
              << GetGrowthExponent(sizes, flowOnlyCost) << ", installed "
              << GetGrowthExponent(installedSizes, installedCost) << "; of the CPU time beyond the "
              << "8-node run's: flow-only "
              << GetGrowthExponent(sizes, marginal(flowOnlyCost, fixedFlowOnly)) << ", installed "
              << GetGrowthExponent(installedSizes, marginal(installedCost, fixedInstalled)) << "\n"
              << "simulated latency, flow-only against installed: "
              << (sameLatency ? "equal at every size run both ways (CSMA: within 1 %)"
                              : "DIFFERENT")
              << std::endl;
    return sameLatency ? 0 : 1;
}
