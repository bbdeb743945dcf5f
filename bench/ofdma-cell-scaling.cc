/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: wall-clock time per simulated second of the OFDMA cell against its number of
 * devices (8, 32, 64 by default).
 *
 * Each run: one cell (mu = 1, 20 MHz = 51 RB per carrier, 3GPP UMi path loss, Rayleigh
 * fading, equal bandwidth shares), every device backlogged on both carriers (queues kept
 * above 150 kB by direct NetDevice sends), 1 simulated second. The report gives the wall time
 * per simulated second, its ratio to the smallest cell (the baseline, run in the same
 * process), the events and transport blocks per wall-clock second.
 *
 *   edge-llm-bench-ofdma-cell-scaling [--devices=8,32,64] [--seconds=1] [--repeats=3]
 */

#include "ns3/command-line-lists.h"
#include "ns3/core-module.h"
#include "ns3/ofdma-cell-helper.h"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// One run's figures.
struct Measurement
{
    double wallSeconds{0};       //!< wall-clock time of Simulator::Run
    uint64_t events{0};          //!< events executed
    uint64_t transportBlocks{0}; //!< transport blocks received
    double goodputMbps{0};       //!< delivered, both directions
};

uint64_t g_tbs = 0; //!< transport blocks received in the current run

void
OnTbRx(uint32_t device,
       bool downlink,
       uint32_t mcs,
       uint32_t bits,
       double sinr,
       uint32_t transmission,
       bool success)
{
    g_tbs++;
}

Measurement
Run(uint32_t devices, double seconds)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    OfdmaCellHelper helper;
    helper.SetPathLoss("3gpp-umi");
    helper.SetFading("rayleigh");
    helper.SetDistance(100);
    NodeContainer nodes;
    nodes.Create(devices);
    Ptr<Node> server = CreateObject<Node>();
    NetDeviceContainer cell = helper.Install(server, nodes);
    helper.AssignStreams(1);
    Ptr<OfdmaBsNetDevice> bs = DynamicCast<OfdmaBsNetDevice>(cell.Get(devices));
    bs->TraceConnectWithoutContext("TbRx", MakeCallback(&OnTbRx));
    g_tbs = 0;
    Time stop = Seconds(seconds);
    OfdmaCellHelper::KeepBacklogged(bs, stop);
    Simulator::Stop(stop);
    auto begin = std::chrono::steady_clock::now();
    Simulator::Run();
    auto end = std::chrono::steady_clock::now();
    Measurement m;
    m.wallSeconds = std::chrono::duration<double>(end - begin).count();
    m.events = Simulator::GetEventCount();
    m.transportBlocks = g_tbs;
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < devices; ++i)
    {
        bytes += bs->GetChannelMonitor()->GetDeliveredBytes(i, false) +
                 bs->GetChannelMonitor()->GetDeliveredBytes(i, true);
    }
    m.goodputMbps = bytes * 8.0 / seconds / 1e6;
    Simulator::Destroy();
    return m;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string devicesText = "8,32,64";
    double seconds = 1;
    uint32_t repeats = 3;
    CommandLine cmd(__FILE__);
    cmd.AddValue("devices", "Comma-separated cell sizes; the first is the baseline", devicesText);
    cmd.AddValue("seconds", "Simulated seconds per run", seconds);
    cmd.AddValue("repeats", "Runs per size (the median is reported)", repeats);
    cmd.Parse(argc, argv);
    if (!(seconds > 0) || seconds > 100)
    {
        NS_FATAL_ERROR("seconds=" << seconds << " is invalid: must be in (0, 100]");
    }
    if (repeats == 0 || repeats > 20)
    {
        NS_FATAL_ERROR("repeats=" << repeats << " is invalid: must be in [1, 20]");
    }
    std::vector<uint32_t> sizes;
    for (const auto& text : SplitCommaSeparated(devicesText))
    {
        int value = 0;
        try
        {
            value = std::stoi(text);
        }
        catch (const std::exception&)
        {
            value = 0;
        }
        if (value < 1 || value > 1024)
        {
            NS_FATAL_ERROR("devices entry '" << text << "' is invalid: must be in [1, 1024]");
        }
        sizes.push_back(value);
    }

    std::cout << "OFDMA cell scaling: mu=1, 20 MHz (51 RB), UMi + Rayleigh, all devices "
                 "backlogged on both carriers, "
              << seconds << " simulated s, median of " << repeats << " runs\n\n";
    std::cout << std::left << std::setw(9) << "devices" << std::setw(16) << "wall s/sim s"
              << std::setw(14) << "vs baseline" << std::setw(14) << "Mevents/s" << std::setw(14)
              << "kTB/wall s"
              << "goodput Mbit/s\n";
    double baseline = 0;
    for (uint32_t n : sizes)
    {
        std::vector<Measurement> runs;
        for (uint32_t r = 0; r < repeats; ++r)
        {
            runs.push_back(Run(n, seconds));
        }
        std::sort(runs.begin(), runs.end(), [](const Measurement& a, const Measurement& b) {
            return a.wallSeconds < b.wallSeconds;
        });
        const Measurement& m = runs[runs.size() / 2];
        double perSecond = m.wallSeconds / seconds;
        if (baseline == 0)
        {
            baseline = perSecond;
        }
        std::cout << std::left << std::fixed << std::setw(9) << n << std::setprecision(4)
                  << std::setw(16) << perSecond << std::setprecision(2) << std::setw(14)
                  << perSecond / baseline << std::setw(14) << m.events / m.wallSeconds / 1e6
                  << std::setw(14) << m.transportBlocks / m.wallSeconds / 1e3
                  << std::setprecision(1) << m.goodputMbps << "\n";
    }
    return 0;
}
