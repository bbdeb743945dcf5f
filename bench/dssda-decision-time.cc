/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: DSSDA's decision time for clusters of 8, 32 and 128 devices.
 *
 * The model is a synthetic deep stack, BERT-base blocks (hidden 768, sequence 128) with 256
 * encoder layers, so that every device can hold at least one block (K <= L). Devices cycle
 * through the mobile devices of data/devices.json; channel gains span 30 dB and queues are
 * random (fixed seed). Batch 16, M in {1, 2, 4, 8}, E = 2, W = 20 MHz. The decision time
 * includes everything Decide() does (M search, DP, radio solves); building the round model
 * (layer costs) is outside the timing. Each size runs several times; the table gives the
 * median, the target (50 ms for 128 devices) and the ratio to the even-split baseline's
 * decision time measured the same way.
 *
 * Then the ratio to the exhaustive oracle (ExhaustiveOracle: every partition, every M, the
 * radio solved to its certified optimum) on random instances of 5 devices and 12 blocks (the
 * size the oracle still solves in tens of milliseconds): DSSDA's objective over the oracle's
 * (1 = optimal), and the two decision times.
 */

#include "edge-llm-test-utils.h"

#include "ns3/collapipe-round-model.h"
#include "ns3/dssda-scheduler.h"
#include "ns3/even-split-scheduler.h"
#include "ns3/exhaustive-oracle.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <random>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

double
Median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

CollaPipeRoundModel
MakeRound(uint32_t devices, uint32_t blocks)
{
    const std::vector<DeviceProfile> fleet = GetCatalogMobileDevices();
    CollaPipeConfig cfg = MakeBertBaseStackConfig(blocks);
    cfg.bandwidthHz = 20e6;
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> gainDb(-115, -85);
    std::uniform_real_distribution<double> queue(0, 5);
    std::vector<CollaPipeDevice> devs(devices);
    std::vector<double> queues(devices);
    for (uint32_t k = 0; k < devices; ++k)
    {
        devs[k].profile = fleet[k % fleet.size()];
        devs[k].channelGain = std::pow(10.0, gainDb(rng) / 10.0);
        devs[k].energyBudget = 1;
        queues[k] = queue(rng);
    }
    return CollaPipeRoundModel(cfg, devs, queues);
}

} // namespace

int
main(int argc, char* argv[])
{
    const uint32_t blocks = 256;
    const uint32_t runs = 5;
    std::cout << "DSSDA decision time (synthetic 256-block BERT-base stack, M in {1,2,4,8}, "
              << runs << " runs, median)\n";
    std::cout << std::left << std::setw(9) << "devices" << std::setw(8) << "blocks" << std::setw(14)
              << "dssda_ms" << std::setw(14) << "even_ms" << std::setw(12) << "ratio"
              << std::setw(12) << "target_ms" << std::setw(8) << "meets"
              << "objective dssda/even\n";
    for (uint32_t devices : {8u, 32u, 128u})
    {
        const CollaPipeRoundModel model = MakeRound(devices, blocks);
        Ptr<CollaPipeScheduler> scheduler = CreateObject<DssdaScheduler>();
        Ptr<CollaPipeScheduler> evenSplit = CreateObject<EvenSplitScheduler>();
        std::vector<double> dssdaMs;
        std::vector<double> evenMs;
        CollaPipeDecision dssda;
        CollaPipeDecision even;
        for (uint32_t r = 0; r < runs; ++r)
        {
            auto t0 = std::chrono::steady_clock::now();
            scheduler->Decide(model, dssda);
            auto t1 = std::chrono::steady_clock::now();
            evenSplit->Decide(model, even);
            auto t2 = std::chrono::steady_clock::now();
            dssdaMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            evenMs.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
        }
        const double d = Median(dssdaMs);
        const double e = Median(evenMs);
        const bool hasTarget = devices == 128;
        std::cout << std::left << std::setw(9) << devices << std::setw(8) << blocks << std::setw(14)
                  << std::setprecision(4) << d << std::setw(14) << e << std::setw(12) << d / e
                  << std::setw(12) << (hasTarget ? "50" : "-") << std::setw(8)
                  << (hasTarget ? (d <= 50 ? "yes" : "no") : "-")
                  << (dssda.feasible && even.feasible
                          ? std::to_string(dssda.objective / even.objective)
                          : std::string(dssda.feasible ? "even infeasible" : "dssda infeasible"))
                  << "\n";
    }

    // against the exhaustive oracle on small random instances
    const uint32_t instances = 20;
    std::mt19937 rng(7);
    const std::vector<DeviceProfile> fleet = GetCatalogMobileDevices();
    std::uniform_int_distribution<size_t> pick(0, fleet.size() - 1);
    std::uniform_real_distribution<double> gainDb(-115, -85);
    std::uniform_real_distribution<double> queue(0, 5);
    std::vector<double> ratios;
    std::vector<double> solverMs;
    std::vector<double> oracleMs;
    for (uint32_t n = 0; n < instances; ++n)
    {
        CollaPipeConfig cfg = MakeBertBaseStackConfig(12);
        cfg.bandwidthHz = 20e6;
        std::vector<CollaPipeDevice> devs(5);
        std::vector<double> queues(5);
        for (uint32_t k = 0; k < 5; ++k)
        {
            devs[k].profile = fleet[pick(rng)];
            devs[k].channelGain = std::pow(10.0, gainDb(rng) / 10.0);
            devs[k].energyBudget = 1;
            queues[k] = queue(rng);
        }
        const CollaPipeRoundModel model(cfg, devs, queues);
        Ptr<CollaPipeScheduler> scheduler = CreateObject<DssdaScheduler>();
        CollaPipeDecision dssda;
        auto t0 = std::chrono::steady_clock::now();
        scheduler->Decide(model, dssda);
        auto t1 = std::chrono::steady_clock::now();
        const CollaPipeDecision oracle = ExhaustiveOracle::Solve(model);
        auto t2 = std::chrono::steady_clock::now();
        if (!oracle.feasible || !dssda.feasible)
        {
            continue; // nothing fits: both say so (the tests check the reasons)
        }
        ratios.push_back(dssda.objective / oracle.objective);
        solverMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        oracleMs.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::cout << "\nDSSDA against the exhaustive oracle (" << ratios.size() << " feasible of "
              << instances << " random instances, 5 devices, 12 blocks)\n";
    if (!ratios.empty())
    {
        std::cout << "objective dssda/oracle: median " << std::setprecision(6) << Median(ratios)
                  << ", max " << *std::max_element(ratios.begin(), ratios.end())
                  << "; decision time median " << std::setprecision(4) << Median(solverMs)
                  << " ms against " << Median(oracleMs) << " ms for the oracle\n";
    }
    return 0;
}
