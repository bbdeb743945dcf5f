/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: how one CollaPipe round at the flow level grows with the number of cells, and
 * whether several cells give what one cell plus the backhaul gives.
 *
 * Every cell is one Wi-Fi BSS (its own channel) of 7 devices and a control unit around its
 * edge server (a circle of 8 m: every cell alike), joined by a 1 Gbit/s, 1 ms backhaul link to
 * the aggregation server; BERT-base LoRA, the even split, one local iteration. For 8, 16, ...
 * --maxDevices nodes (cells = nodes / 8), and --devices nodes if given, each run is a separate
 * edge-llm-run process: CPU seconds and peak resident memory from the kernel, the simulated
 * latency and the backhaul's time from rounds.csv. The one-cell round (one cluster, no
 * backhaul) is the reference: a round of C cells should take it plus the backhaul's FedAvg
 * (the cells' averages up, the global one down). The report gives the growth exponent of the
 * CPU time (least squares on log cost against log nodes, 32 nodes up).
 *
 *   edge-llm-bench-multi-cell-scale [--maxDevices=1024] [--devices=10000]
 *       [--maxCpuSeconds256=10] [--maxCpuSecondsLargest=300] [--maxExponent=1.3]
 *       [--outputDir=results/bench/multi-cell-scale]
 *
 * Exits non-zero when a run fails, a round differs from one cell plus the backhaul by more
 * than 1%, the 256-node run takes more than --maxCpuSeconds256, the largest more than
 * --maxCpuSecondsLargest, or the exponent exceeds --maxExponent.
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
    double latencySeconds{0};  //!< the simulated round
    double backhaulSeconds{0}; //!< the round's time on the backhaul
};

/**
 * The scenario of one size.
 * \param cells cells of one cluster each (1: one cell, no backhaul)
 * \return the scenario
 */
nlohmann::json
MakeScenario(uint32_t cells)
{
    nlohmann::json scenario = MakeClusterScaleScenario("multi-cell-scale", cells);
    scenario["network"] = {{"kind", "wifi"},
                           {"flowOnly", true},
                           {"channelWidthMHz", 160},
                           {"placement", "circle"},
                           {"distance", 8}};
    if (cells > 1)
    {
        scenario["network"]["cells"] = {{"count", cells},
                                        {"backhaulRateMbps", 1000},
                                        {"backhaulDelayMs", 1}};
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
    usage.backhaulSeconds = ReadFirstRoundValue(run.roundsCsv, "backhaul_s");
    return usage;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string program = EDGE_LLM_RUN_PROGRAM;
    uint32_t maxDevices = 1024;
    uint32_t devices = 0;
    double maxCpuSeconds256 = 10;
    double maxCpuSecondsLargest = 300;
    double maxExponent = 1.3;
    std::string outputDir = "results/bench/multi-cell-scale";
    ns3::CommandLine cmd(__FILE__);
    cmd.AddValue("program", "The edge-llm-run program", program);
    cmd.AddValue("maxDevices", "Largest power-of-two fleet (nodes: devices and units)", maxDevices);
    cmd.AddValue("devices", "One more fleet size to run last (a multiple of 8; 0: none)", devices);
    cmd.AddValue("maxCpuSeconds256", "CPU seconds the 256-node round may take", maxCpuSeconds256);
    cmd.AddValue("maxCpuSecondsLargest",
                 "CPU seconds the largest round may take",
                 maxCpuSecondsLargest);
    cmd.AddValue("maxExponent", "Largest growth exponent of the CPU time", maxExponent);
    cmd.AddValue("outputDir", "Output folder of the runs", outputDir);
    cmd.Parse(argc, argv);
    if (maxDevices < 16 || maxDevices > 100000)
    {
        std::cerr << "maxDevices=" << maxDevices << " is invalid; allowed: 16..100000" << std::endl;
        return 1;
    }
    if (devices % 8 != 0 || devices > 100000)
    {
        std::cerr << "devices=" << devices
                  << " is invalid; allowed: 0 or a multiple of 8 up to 100000" << std::endl;
        return 1;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const Usage one = Run(program, outputDir + "/one-cell", MakeScenario(1));
    if (!one.ok || one.latencySeconds <= 0)
    {
        std::cerr << "multi-cell-scale: the one-cell run failed (" << outputDir << "/one-cell)"
                  << std::endl;
        return 1;
    }
    std::cout << "Flow level, one CollaPipe round (BERT-base LoRA, even split), cells of 7 devices "
                 "and a control unit, 1 Gbit/s 1 ms backhaul\n"
              << std::fixed << std::setprecision(6) << "one cell: " << one.latencySeconds
              << " s simulated, " << std::setprecision(2) << one.cpuSeconds << " CPU s\n"
              << std::setw(7) << "nodes" << std::setw(7) << "cells" << std::setw(9) << "CPU s"
              << std::setw(10) << "peak MiB" << std::setw(12) << "latency s" << std::setw(12)
              << "backhaul s" << std::setw(14) << "vs one+bh %"
              << "\n";
    std::vector<uint32_t> sizes;
    for (uint32_t nodes = 16; nodes <= maxDevices; nodes *= 2)
    {
        sizes.push_back(nodes);
    }
    if (devices > 0 && std::find(sizes.begin(), sizes.end(), devices) == sizes.end())
    {
        sizes.push_back(devices);
    }
    std::vector<double> fitSizes;
    std::vector<double> fitCost;
    bool ok = true;
    for (uint32_t nodes : sizes)
    {
        const uint32_t cells = nodes / 8;
        const Usage run =
            Run(program, outputDir + "/cells-" + std::to_string(cells), MakeScenario(cells));
        if (!run.ok || run.latencySeconds <= 0)
        {
            std::cerr << "multi-cell-scale: the run of " << cells << " cells failed (see "
                      << outputDir << "/cells-" << cells << "/run.log)" << std::endl;
            return 1;
        }
        // one cell's round, then the backhaul's FedAvg
        const double expected = one.latencySeconds + run.backhaulSeconds;
        const double error = 100.0 * (run.latencySeconds - expected) / expected;
        std::cout << std::setw(7) << nodes << std::setw(7) << cells << std::setprecision(2)
                  << std::setw(9) << run.cpuSeconds << std::setprecision(0) << std::setw(10)
                  << run.peakKiB / 1024.0 << std::setprecision(6) << std::setw(12)
                  << run.latencySeconds << std::setw(12) << run.backhaulSeconds
                  << std::setprecision(3) << std::setw(14) << error << "\n";
        if (std::abs(error) > 1.0)
        {
            std::cerr << "multi-cell-scale: " << cells << " cells differ from one cell plus the "
                      << "backhaul by " << error << " %" << std::endl;
            ok = false;
        }
        if (nodes == 256 && run.cpuSeconds > maxCpuSeconds256)
        {
            std::cerr << "multi-cell-scale: 256 nodes took " << run.cpuSeconds
                      << " CPU s, more than " << maxCpuSeconds256 << std::endl;
            ok = false;
        }
        if (nodes == sizes.back() && run.cpuSeconds > maxCpuSecondsLargest)
        {
            std::cerr << "multi-cell-scale: " << nodes << " nodes took " << run.cpuSeconds
                      << " CPU s, more than " << maxCpuSecondsLargest << std::endl;
            ok = false;
        }
        if (nodes >= 32)
        {
            fitSizes.push_back(nodes);
            fitCost.push_back(run.cpuSeconds);
        }
    }
    // the process's start-up (libraries, the catalog) is most of a small run: the exponent of
    // the CPU time beyond the one-cell run's shows how the work itself grows
    std::vector<double> marginal = fitCost;
    for (double& c : marginal)
    {
        c = std::max(1e-3, c - one.cpuSeconds);
    }
    const double exponent = GetGrowthExponent(fitSizes, fitCost);
    std::cout << std::setprecision(2) << "growth exponent of CPU time (32 nodes up): " << exponent
              << "; of the CPU time beyond the one-cell run's: "
              << GetGrowthExponent(fitSizes, marginal) << std::endl;
    if (fitSizes.size() >= 3 && exponent > maxExponent)
    {
        std::cerr << "multi-cell-scale: growth exponent " << exponent << " is above " << maxExponent
                  << std::endl;
        ok = false;
    }
    return ok ? 0 : 1;
}
