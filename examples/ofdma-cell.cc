/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * An OFDMA cell (5G NR numerology) with backlogged devices on both carriers: prints each
 * device's measured SINR, MCS and goodput next to the link adaptation's prediction for its
 * bandwidth share, and writes the table to <outputDir>/ofdma-cell.csv.
 *
 *   ./ofdma-cell --devices=4 --shares=0.1,0.2,0.3,0.4 --pathLoss=3gpp-umi --distance=300
 *   ./ofdma-cell --linkAdaptation=shannon --fading=rayleigh --scheduler=pf
 *
 * The traffic is offered straight to the cell's NetDevices (kept above 150 kB queued), so
 * the goodput is the cell's, without TCP dynamics.
 */

#include "ns3/command-line-counts.h"
#include "ns3/core-module.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-cell-helper.h"
#include "ns3/ofdma-cell-report.h"

#include <fstream>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaCellExample");

int
main(int argc, char* argv[])
{
    ExitOnRefusal("ofdma-cell"); // a refusal exits 2 with its message, not SIGABRT
    // counts parsed signed, so that a negative one is refused as itself, not as its unsigned wrap
    int64_t devices = 4;
    int64_t numerology = 1;
    double bandwidthMHz = 20;
    std::string pathLoss = "3gpp-umi";
    std::string fading = "none";
    double dopplerHz = 10;
    std::string channelCondition = "3gpp";
    std::string scheduler = "shares";
    std::string linkAdaptation = "mcs";
    std::string shares;
    double distance = 300;
    double ueTxPowerDbm = 23;
    double duration = 2;
    int64_t seed = 1;
    std::string outputDir = "results/ofdma-cell";

    CommandLine cmd(__FILE__);
    cmd.AddValue("devices", "Number of devices (UEs)", devices);
    cmd.AddValue("numerology", "NR numerology mu (0..3)", numerology);
    cmd.AddValue("bandwidthMHz", "Channel bandwidth of each carrier (TS 38.101-1)", bandwidthMHz);
    cmd.AddValue("pathLoss",
                 "log-distance, friis, 3gpp-umi, 3gpp-uma, 3gpp-inh or fixed",
                 pathLoss);
    cmd.AddValue("fading", "none, rayleigh, nakagami (i.i.d.) or jakes (correlated)", fading);
    cmd.AddValue("dopplerHz", "Maximum Doppler frequency of fading=jakes (Hz)", dopplerHz);
    cmd.AddValue("channelCondition",
                 "3GPP line of sight: 3gpp (random), los or nlos",
                 channelCondition);
    cmd.AddValue("scheduler", "shares, pf or rr", scheduler);
    cmd.AddValue("linkAdaptation", "mcs or shannon", linkAdaptation);
    cmd.AddValue("shares", "Comma-separated bandwidth share per device (scheduler=shares)", shares);
    cmd.AddValue("distance",
                 "Distance of the farthest device (device i at (i+1)/n of it, m)",
                 distance);
    cmd.AddValue("ueTxPowerDbm", "Uplink transmit power of every device (dBm)", ueTxPowerDbm);
    cmd.AddValue("duration", "Simulated seconds", duration);
    cmd.AddValue("seed", "RngSeedManager seed", seed);
    cmd.AddValue("outputDir", "Folder for ofdma-cell.csv", outputDir);
    cmd.Parse(argc, argv);

    RefuseExtraArguments(cmd);
    const uint32_t deviceCount =
        RequireCountOption("devices", devices, 1, 512, "must be in [1, 512]");
    const uint32_t mu = RequireCountOption("numerology", numerology, 0, 3, "must be in [0, 3]");
    const uint32_t seedValue = RequireCountOption("seed", seed, 1);
    if (!(duration > 0.2) || duration > 1000)
    {
        NS_FATAL_ERROR("duration=" << duration << " is invalid: must be in (0.2, 1000] seconds");
    }
    TypeId schedulerTypeId;
    std::string problem = OfdmaCellHelper::LookupSchedulerName(scheduler, schedulerTypeId);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    if (!shares.empty() && scheduler != "shares")
    {
        NS_FATAL_ERROR("shares=" << shares << " has no effect with scheduler=" << scheduler
                                 << ": only scheduler=shares grants bandwidth shares");
    }
    RngSeedManager::SetSeed(seedValue);

    OfdmaCellHelper helper;
    helper.SetNumerology(mu);
    helper.SetBandwidthMHz(bandwidthMHz);
    helper.SetPathLoss(pathLoss);
    helper.SetFading(fading);
    helper.SetDopplerHz(dopplerHz);
    helper.SetChannelCondition(channelCondition);
    helper.SetSchedulerTypeId(schedulerTypeId);
    helper.SetLinkAdaptation(linkAdaptation);
    helper.SetDistance(distance);
    std::vector<double> distances; // device i at distance (i + 1) / n, spread in angle
    for (uint32_t i = 0; i < deviceCount; ++i)
    {
        distances.push_back(distance * (i + 1) / deviceCount);
    }
    helper.SetDeviceDistances(distances);
    helper.SetUeTxPowerDbm(ueTxPowerDbm);
    helper.SetUeMaxTxPowerDbm(std::max(23.0, ueTxPowerDbm));
    problem = helper.Validate();
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    NodeContainer deviceNodes;
    deviceNodes.Create(deviceCount);
    Ptr<Node> server = CreateObject<Node>();
    Ptr<EdgeNetwork> network = helper.InstallEdgeNetwork(deviceNodes, server);
    helper.AssignStreams(1);
    Ptr<OfdmaBsNetDevice> bs = OfdmaCellHelper::GetBaseStation(server);
    problem = OfdmaCellHelper::SetBandwidthShares(bs, shares);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }

    // the output folder before the simulation, not after it
    RequireOutputDirectory("outputDir", outputDir);
    const std::string path = outputDir + "/ofdma-cell.csv";
    if (!std::ofstream(path))
    {
        NS_FATAL_ERROR("outputDir='" << outputDir << "' is not writable: cannot create " << path);
    }

    Time stop = Seconds(duration);
    OfdmaCellHelper::KeepBacklogged(bs, stop);
    OfdmaCellReport report(bs, Seconds(0.2), stop);
    Simulator::Stop(stop + MilliSeconds(1));
    Simulator::Run();

    std::cout << "OFDMA cell: mu=" << mu << " (" << NrNumerology::GetSubcarrierSpacingHz(mu) / 1e3
              << " kHz, slot " << bs->GetSlotDuration().GetMicroSeconds() << " us), "
              << bandwidthMHz << " MHz = " << bs->GetResourceBlockCount()
              << " RB per carrier, path loss " << pathLoss << ", fading " << fading
              << ", scheduler " << scheduler << ", link adaptation " << linkAdaptation << "\n\n";
    report.Print(std::cout);
    if (!report.WriteCsv(path))
    {
        NS_FATAL_ERROR("outputDir='" << outputDir << "': cannot write " << path);
    }
    if (fading == "jakes")
    {
        std::cout << "\nJakes fading is slow against the slot: the link follows it, and only a "
                     "run much longer than its coherence time (0.42 / dopplerHz s) averages it.\n";
    }
    else if (fading != "none")
    {
        std::cout << "\nWith fading the prediction (link adaptation at the recent average SINR, "
                     "as if it were constant) is an upper bound: blocks are sized on the "
                     "previous slot's SINR and fail more often.\n";
    }
    std::cout << "\nTable in " << path << "\n";
    Simulator::Destroy();
    return 0;
}
