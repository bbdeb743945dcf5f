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

#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaCellExample");

int
main(int argc, char* argv[])
{
    ExitOnRefusal("ofdma-cell"); // a refusal exits 2 with its message, not SIGABRT
    uint32_t devices = 4;
    uint32_t numerology = 1;
    double bandwidthMHz = 20;
    std::string pathLoss = "3gpp-umi";
    std::string fading = "none";
    std::string channelCondition = "3gpp";
    std::string scheduler = "shares";
    std::string linkAdaptation = "mcs";
    std::string shares;
    double distance = 300;
    double ueTxPowerDbm = 23;
    double duration = 2;
    uint32_t seed = 1;
    std::string outputDir = "results/ofdma-cell";

    CommandLine cmd(__FILE__);
    cmd.AddValue("devices", "Number of devices (UEs)", devices);
    cmd.AddValue("numerology", "NR numerology mu (0..3)", numerology);
    cmd.AddValue("bandwidthMHz", "Channel bandwidth of each carrier (TS 38.101-1)", bandwidthMHz);
    cmd.AddValue("pathLoss",
                 "log-distance, friis, 3gpp-umi, 3gpp-uma, 3gpp-inh or fixed",
                 pathLoss);
    cmd.AddValue("fading", "none, rayleigh or nakagami", fading);
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

    if (devices == 0 || devices > 512)
    {
        NS_FATAL_ERROR("devices=" << devices << " is invalid: must be in [1, 512]");
    }
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
    RngSeedManager::SetSeed(seed);

    OfdmaCellHelper helper;
    helper.SetNumerology(numerology);
    helper.SetBandwidthMHz(bandwidthMHz);
    helper.SetPathLoss(pathLoss);
    helper.SetFading(fading);
    helper.SetChannelCondition(channelCondition);
    helper.SetSchedulerTypeId(schedulerTypeId);
    helper.SetLinkAdaptation(linkAdaptation);
    helper.SetDistance(distance);
    std::vector<double> distances; // device i at distance (i + 1) / n, spread in angle
    for (uint32_t i = 0; i < devices; ++i)
    {
        distances.push_back(distance * (i + 1) / devices);
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
    deviceNodes.Create(devices);
    Ptr<Node> server = CreateObject<Node>();
    Ptr<EdgeNetwork> network = helper.InstallEdgeNetwork(deviceNodes, server);
    helper.AssignStreams(1);
    Ptr<OfdmaBsNetDevice> bs = OfdmaCellHelper::GetBaseStation(server);
    problem = OfdmaCellHelper::SetBandwidthShares(bs, shares);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }

    Time stop = Seconds(duration);
    OfdmaCellHelper::KeepBacklogged(bs, stop);
    OfdmaCellReport report(bs, Seconds(0.2), stop);
    Simulator::Stop(stop + MilliSeconds(1));
    Simulator::Run();

    std::cout << "OFDMA cell: mu=" << numerology << " ("
              << NrNumerology::GetSubcarrierSpacingHz(numerology) / 1e3 << " kHz, slot "
              << bs->GetSlotDuration().GetMicroSeconds() << " us), " << bandwidthMHz
              << " MHz = " << bs->GetResourceBlockCount() << " RB per carrier, path loss "
              << pathLoss << ", fading " << fading << ", scheduler " << scheduler
              << ", link adaptation " << linkAdaptation << "\n\n";
    report.Print(std::cout);
    SystemPath::MakeDirectories(outputDir);
    std::string path = outputDir + "/ofdma-cell.csv";
    if (!report.WriteCsv(path))
    {
        NS_FATAL_ERROR("outputDir='" << outputDir << "': cannot write " << path);
    }
    if (fading != "none")
    {
        std::cout << "\nWith fading the prediction (link adaptation at the recent average SINR, "
                     "as if it were constant) is an upper bound: blocks are sized on the "
                     "previous slot's SINR and fail more often.\n";
    }
    std::cout << "\nTable in " << path << "\n";
    Simulator::Destroy();
    return 0;
}
