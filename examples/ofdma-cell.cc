/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * An OFDMA cell (5G NR numerology) with backlogged devices on both carriers: prints each
 * device's measured SINR, MCS and goodput next to the link adaptation's prediction for its
 * bandwidth share, and writes the table to <outputDir>/ofdma-cell.csv.
 *
 *   ./ofdma-cell --devices=4 --shares=0.1,0.2,0.3,0.4 --pathLoss=umi --distance=300
 *   ./ofdma-cell --linkAdaptation=shannon --fading=rayleigh
 *
 * The traffic is offered straight to the cell's NetDevices (kept above 150 kB queued), so
 * the goodput is the cell's, without TCP dynamics.
 */

#include "ns3/command-line-lists.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/core-module.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-cell-helper.h"

#include <fstream>
#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaCellExample");

namespace
{

/// Last MCS granted per (device, direction).
std::vector<uint32_t> g_mcs;

void
OnGrant(uint64_t slot,
        uint32_t device,
        bool downlink,
        uint32_t firstRb,
        uint32_t rbs,
        uint32_t mcs,
        uint32_t bits)
{
    g_mcs[2 * device + (downlink ? 1 : 0)] = mcs;
}

/// Keep every queue above 150 kB until \p stop.
void
TopUp(Ptr<OfdmaBsNetDevice> bs, Time stop)
{
    for (uint32_t i = 0; i < bs->GetUeCount(); ++i)
    {
        Ptr<OfdmaUeNetDevice> ue = bs->GetUe(i);
        while (ue->GetQueue().GetBytes() < 150000)
        {
            ue->Send(Create<Packet>(1500), bs->GetAddress(), 0x0800);
        }
        while (bs->GetDownlinkQueueBytes(i) < 150000)
        {
            bs->Send(Create<Packet>(1500), ue->GetAddress(), 0x0800);
        }
    }
    if (Simulator::Now() + MilliSeconds(1) < stop)
    {
        Simulator::Schedule(MilliSeconds(1), &TopUp, bs, stop);
    }
}

/// Delivered bytes of every (device, direction).
void
Snapshot(Ptr<OfdmaBsNetDevice> bs, std::vector<uint64_t>* bytes)
{
    bytes->clear();
    for (uint32_t i = 0; i < bs->GetUeCount(); ++i)
    {
        bytes->push_back(bs->GetChannelMonitor()->GetDeliveredBytes(i, false));
        bytes->push_back(bs->GetChannelMonitor()->GetDeliveredBytes(i, true));
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t devices = 4;
    uint32_t numerology = 1;
    double bandwidthMHz = 20;
    std::string pathLoss = "umi";
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
    cmd.AddValue("pathLoss", "logdistance, friis, umi, uma, inh or fixed", pathLoss);
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
    RngSeedManager::SetSeed(seed);

    OfdmaCellHelper helper;
    helper.SetNumerology(numerology);
    helper.SetBandwidthMHz(bandwidthMHz);
    helper.SetPathLoss(pathLoss);
    helper.SetFading(fading);
    helper.SetChannelCondition(channelCondition);
    helper.SetScheduler(scheduler);
    helper.SetLinkAdaptation(linkAdaptation);
    helper.SetDistance(distance);
    helper.SetUeTxPowerDbm(ueTxPowerDbm);
    helper.SetUeMaxTxPowerDbm(std::max(23.0, ueTxPowerDbm));
    std::string problem = helper.Validate();
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    NodeContainer deviceNodes;
    deviceNodes.Create(devices);
    Ptr<Node> server = CreateObject<Node>();
    // Device i at distance * (i + 1) / n, spread in angle, 1.5 m high (the helper places the
    // server and keeps these positions).
    for (uint32_t i = 0; i < devices; ++i)
    {
        double d = distance * (i + 1) / devices;
        double angle = 2 * M_PI * i / devices;
        Ptr<ConstantPositionMobilityModel> mobility = CreateObject<ConstantPositionMobilityModel>();
        mobility->SetPosition(Vector(d * std::cos(angle), d * std::sin(angle), 1.5));
        deviceNodes.Get(i)->AggregateObject(mobility);
    }
    Ptr<EdgeNetwork> network = helper.InstallEdgeNetwork(deviceNodes, server);
    helper.AssignStreams(1);
    Ptr<OfdmaBsNetDevice> bs = OfdmaCellHelper::GetBaseStation(server);

    std::vector<std::string> shareTexts = SplitCommaSeparated(shares);
    if (!shares.empty() && shareTexts.size() != devices)
    {
        NS_FATAL_ERROR("shares='" << shares << "' has " << shareTexts.size()
                                  << " entries: must have one per device (" << devices << ")");
    }
    for (uint32_t i = 0; i < shareTexts.size(); ++i)
    {
        double share = 0;
        try
        {
            share = std::stod(shareTexts[i]);
        }
        catch (const std::exception&)
        {
            NS_FATAL_ERROR("shares entry '" << shareTexts[i] << "' is not a number");
        }
        problem = bs->CheckBandwidthShare(i, share);
        if (!problem.empty())
        {
            NS_FATAL_ERROR(problem);
        }
        bs->SetBandwidthShare(i, share);
    }

    g_mcs.assign(2 * devices, 0);
    bs->TraceConnectWithoutContext("Grant", MakeCallback(&OnGrant));
    Time stop = Seconds(duration);
    Time warmUp = Seconds(0.2);
    std::vector<uint64_t> start;
    std::vector<uint64_t> end;
    Simulator::Schedule(Seconds(0), &TopUp, bs, stop);
    Simulator::Schedule(warmUp, &Snapshot, bs, &start);
    Simulator::Schedule(stop, &Snapshot, bs, &end);
    Simulator::Stop(stop + MilliSeconds(1));
    Simulator::Run();

    uint32_t rbs = bs->GetResourceBlockCount();
    std::cout << "OFDMA cell: mu=" << numerology << " ("
              << NrNumerology::GetSubcarrierSpacingHz(numerology) / 1e3 << " kHz, slot "
              << bs->GetSlotDuration().GetMicroSeconds() << " us), " << bandwidthMHz
              << " MHz = " << rbs << " RB per carrier, path loss " << pathLoss << ", fading "
              << fading << ", scheduler " << scheduler << ", link adaptation " << linkAdaptation
              << "\n\n";
    std::ostringstream csv;
    csv << "device,direction,share,sinr_db,mcs,goodput_mbps,predicted_mbps,ratio\n";
    std::cout << std::left << std::setw(7) << "device" << std::setw(5) << "dir" << std::setw(7)
              << "share" << std::setw(10) << "SINR dB" << std::setw(5) << "MCS" << std::setw(14)
              << "goodput Mb/s" << std::setw(16) << "predicted Mb/s"
              << "ratio\n";
    Ptr<OfdmaChannelMonitor> monitor = bs->GetChannelMonitor();
    double seconds = (stop - warmUp).GetSeconds();
    for (uint32_t i = 0; i < devices; ++i)
    {
        for (int dl = 0; dl < 2; ++dl)
        {
            double share = bs->GetBandwidthShare(i);
            double goodput = (end[2 * i + dl] - start[2 * i + dl]) * 8.0 / seconds;
            // Prediction: the share of the full-band rate at the recent SINR (shares); with pf
            // and rr the full band split equally.
            double predictedShare = scheduler == "shares" ? share : 1.0 / devices;
            double predicted =
                monitor->PredictRateBps(monitor->GetSinrDb(i, dl), rbs) * predictedShare;
            std::cout << std::left << std::fixed << std::setprecision(3) << std::setw(7) << i
                      << std::setw(5) << (dl ? "DL" : "UL") << std::setw(7) << predictedShare
                      << std::setprecision(2) << std::setw(10) << monitor->GetSinrDb(i, dl)
                      << std::setw(5)
                      << (linkAdaptation == "mcs" ? std::to_string(g_mcs[2 * i + dl]) : "-")
                      << std::setw(14) << goodput / 1e6 << std::setw(16) << predicted / 1e6
                      << std::setprecision(3) << (predicted > 0 ? goodput / predicted : 0) << "\n";
            csv << i << "," << (dl ? "DL" : "UL") << "," << predictedShare << ","
                << monitor->GetSinrDb(i, dl) << "," << g_mcs[2 * i + dl] << "," << goodput / 1e6
                << "," << predicted / 1e6 << "," << (predicted > 0 ? goodput / predicted : 0)
                << "\n";
        }
    }
    SystemPath::MakeDirectories(outputDir);
    std::string path = outputDir + "/ofdma-cell.csv";
    std::ofstream file(path);
    if (!file)
    {
        NS_FATAL_ERROR("outputDir='" << outputDir << "': cannot write " << path);
    }
    file << csv.str();
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
