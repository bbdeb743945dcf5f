/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/core-module.h"
#include "ns3/nr-link-adaptation.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/ofdma-cell-helper.h"
#include "ns3/ofdma-ue-net-device.h"
#include "ns3/test.h"

#include <cmath>
#include <limits>

/**
 * \file
 * \ingroup edge-llm-tests
 * The OFDMA cell at the MAC level (no IP): goodput against the link adaptation's prediction,
 * bandwidth shares, transmit power, Rayleigh fading, HARQ, co-channel interference, bad input.
 */

using namespace ns3;

namespace
{

/// UE power per RB over the noise per RB: the SINR of a device with \p rbs RBs, hand-computed.
double
HandSinrDb(double txPowerDbm, uint32_t rbs, double pathLossDb, double noiseFigureDb, uint32_t mu)
{
    // Noise per RB: kT (290 K) = -173.975 dBm/Hz, + 10 log10(12 * 15 kHz * 2^mu) + NF.
    double kTDbm = 10 * std::log10(1.380649e-23 * 290) + 30;
    double noiseDbm =
        kTDbm + 10 * std::log10(NrNumerology::GetResourceBlockBandwidthHz(mu)) + noiseFigureDb;
    return txPowerDbm - 10 * std::log10(rbs) - pathLossDb - noiseDbm;
}

/// A cell without IP, its devices kept backlogged by TopUp.
struct MacCell
{
    NodeContainer devices;                 //!< UE nodes
    Ptr<Node> server;                      //!< BS node
    Ptr<OfdmaBsNetDevice> bs;              //!< base station
    std::vector<Ptr<OfdmaUeNetDevice>> ue; //!< UEs
};

MacCell
BuildCell(OfdmaCellHelper& helper, uint32_t n)
{
    MacCell cell;
    cell.devices.Create(n);
    cell.server = CreateObject<Node>();
    NetDeviceContainer devices = helper.Install(cell.server, cell.devices);
    cell.bs = DynamicCast<OfdmaBsNetDevice>(devices.Get(n));
    for (uint32_t i = 0; i < n; ++i)
    {
        cell.ue.push_back(DynamicCast<OfdmaUeNetDevice>(devices.Get(i)));
    }
    helper.AssignStreams(7);
    return cell;
}

/// Keep every queue of the chosen directions above 150 kB until \p stop.
void
TopUp(MacCell* cell, bool uplink, bool downlink, Time stop)
{
    for (uint32_t i = 0; i < cell->ue.size(); ++i)
    {
        while (uplink && cell->ue[i]->GetQueue().GetBytes() < 150000)
        {
            cell->ue[i]->Send(Create<Packet>(1500), cell->bs->GetAddress(), 0x0800);
        }
        while (downlink && cell->bs->GetDownlinkQueueBytes(i) < 150000)
        {
            cell->bs->Send(Create<Packet>(1500), cell->ue[i]->GetAddress(), 0x0800);
        }
    }
    if (Simulator::Now() + MilliSeconds(1) < stop)
    {
        Simulator::Schedule(MilliSeconds(1), &TopUp, cell, uplink, downlink, stop);
    }
}

/// Delivered bytes of every (device, direction) at a time.
void
Snapshot(MacCell* cell, std::vector<uint64_t>* bytes)
{
    bytes->clear();
    for (uint32_t i = 0; i < cell->ue.size(); ++i)
    {
        bytes->push_back(cell->bs->GetChannelMonitor()->GetDeliveredBytes(i, false));
        bytes->push_back(cell->bs->GetChannelMonitor()->GetDeliveredBytes(i, true));
    }
}

/**
 * One device, all 51 RBs, fixed path loss (fixed SINR): the measured SINR is the hand value
 * and the goodput the one the link adaptation predicts, within 3%.
 */
class FixedSinrGoodputTestCase : public TestCase
{
  public:
    /// \param linkAdaptation "mcs" or "shannon"
    FixedSinrGoodputTestCase(const std::string& linkAdaptation)
        : TestCase("one device, every RB, fixed SINR: goodput as predicted, " + linkAdaptation),
          m_linkAdaptation(linkAdaptation)
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        OfdmaCellHelper helper;
        helper.SetNumerology(1);
        helper.SetBandwidthMHz(20); // 51 RB
        helper.SetPathLoss("fixed");
        helper.SetFixedPathLossDb(100);
        helper.SetLinkAdaptation(m_linkAdaptation);
        helper.SetBsAttribute("ShannonGapDb", DoubleValue(3));
        MacCell cell = BuildCell(helper, 1);
        Time stop = Seconds(1.1);
        Simulator::Schedule(Seconds(0), &TopUp, &cell, true, true, stop);
        std::vector<uint64_t> start;
        std::vector<uint64_t> end;
        Simulator::Schedule(Seconds(0.1), &Snapshot, &cell, &start);
        Simulator::Schedule(Seconds(1.1), &Snapshot, &cell, &end);
        Simulator::Stop(stop + MilliSeconds(1));
        Simulator::Run();

        // Uplink: 23 dBm over 51 RB = 5.924 dBm per RB; noise per RB -173.975 + 10 log10(360
        // kHz) + 7 = -111.412 dBm; SINR = 5.924 - 100 + 111.412 = 17.337 dB.
        double ulSinr = HandSinrDb(23, 51, 100, 7, 1);
        NS_TEST_ASSERT_MSG_EQ_TOL(ulSinr, 17.3365, 1e-3, "hand value");
        // Downlink: 30 dBm over 51 RB: SINR = 30 - 17.076 - 100 + 111.412 = 24.337 dB.
        double dlSinr = HandSinrDb(30, 51, 100, 7, 1);
        Ptr<OfdmaChannelMonitor> monitor = cell.bs->GetChannelMonitor();
        NS_TEST_ASSERT_MSG_EQ_TOL(monitor->GetLastSinrDb(0, false), ulSinr, 1e-6, "UL SINR");
        NS_TEST_ASSERT_MSG_EQ_TOL(monitor->GetLastSinrDb(0, true), dlSinr, 1e-6, "DL SINR");

        for (bool downlink : {false, true})
        {
            double sinr = downlink ? dlSinr : ulSinr;
            // Prediction per slot (0.5 ms), written out with the table functions.
            double bits;
            if (m_linkAdaptation == "mcs")
            {
                uint32_t mcs = NrLinkAdaptation::SelectMcs(sinr, 1.0);
                double bler = NrLinkAdaptation::GetBler(mcs, sinr, 1.0, 1.5);
                bits = NrLinkAdaptation::GetTransportBlockSizeBits(mcs, 51) * (1 - bler);
            }
            else
            {
                // floor(log2(1 + 10^((SINR - 3)/10)) * 156 * 51), rounded down to bytes.
                bits =
                    std::floor(NrLinkAdaptation::GetShannonEfficiency(sinr, 3) * 156 * 51 / 8) * 8;
            }
            double predicted = bits / 0.5e-3;
            double measured = (end[downlink] - start[downlink]) * 8.0 / 1.0;
            NS_TEST_ASSERT_MSG_EQ_TOL(measured / predicted,
                                      1.0,
                                      0.03,
                                      (downlink ? "DL" : "UL")
                                          << " goodput " << measured / 1e6 << " Mbit/s against "
                                          << predicted / 1e6 << " predicted");
            NS_TEST_ASSERT_MSG_EQ_TOL(monitor->GetAchievableRateBps(0, downlink) / predicted,
                                      1.0,
                                      1e-9,
                                      "the monitor predicts the same");
        }
        Simulator::Destroy();
    }

    std::string m_linkAdaptation; //!< "mcs" or "shannon"
};

/// Two backlogged devices granted 30% and 70% of the RBs: goodputs 30:70 within 5%.
class SharesTestCase : public TestCase
{
  public:
    SharesTestCase()
        : TestCase("two backlogged devices granted 30% and 70%: goodputs 30:70")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(2);
        OfdmaCellHelper helper;
        helper.SetPathLoss("fixed");
        helper.SetFixedPathLossDb(100);
        MacCell cell = BuildCell(helper, 2);
        cell.bs->SetBandwidthShare(0, 0.3);
        cell.bs->SetBandwidthShare(1, 0.7);
        // The uplink power spreads over the granted RBs: give both the same power per RB (hence
        // the same SINR and MCS), 23 dBm for 70% and 23 + 10 log10(0.3/0.7) = 19.32 dBm for 30%.
        cell.bs->SetTxPowerDbm(0, 23 + 10 * std::log10(0.3 / 0.7));
        cell.bs->SetTxPowerDbm(1, 23);
        Time stop = Seconds(1.1);
        Simulator::Schedule(Seconds(0), &TopUp, &cell, true, true, stop);
        std::vector<uint64_t> start;
        std::vector<uint64_t> end;
        Simulator::Schedule(Seconds(0.1), &Snapshot, &cell, &start);
        Simulator::Schedule(Seconds(1.1), &Snapshot, &cell, &end);
        Simulator::Stop(stop + MilliSeconds(1));
        Simulator::Run();
        for (int dl = 0; dl < 2; ++dl)
        {
            double g0 = end[dl] - start[dl];
            double g1 = end[2 + dl] - start[2 + dl];
            NS_TEST_ASSERT_MSG_GT(g0, 0, "device 0 delivered");
            NS_TEST_ASSERT_MSG_EQ_TOL((g0 / g1) / (0.3 / 0.7),
                                      1.0,
                                      0.05,
                                      (dl ? "DL" : "UL") << " goodputs " << g0 << " : " << g1);
        }
        Simulator::Destroy();
    }
};

/// Noise-limited: +3 dB transmit power gives +3 dB measured SINR; above the maximum it is capped.
class PowerTestCase : public TestCase
{
  public:
    PowerTestCase()
        : TestCase("+3 dB transmit power gives +3 dB SINR when noise-limited; power is capped")
    {
    }

  private:
    static void Record(Ptr<OfdmaChannelMonitor> monitor, double* sinr)
    {
        *sinr = monitor->GetLastSinrDb(0, false);
    }

    void DoRun() override
    {
        OfdmaCellHelper helper;
        helper.SetPathLoss("logdistance"); // deterministic, 50 m
        helper.SetUeTxPowerDbm(10);
        MacCell cell = BuildCell(helper, 1);
        double before = 0;
        double after = 0;
        double capped = 0;
        Time stop = Seconds(0.3);
        Simulator::Schedule(Seconds(0), &TopUp, &cell, true, false, stop);
        Ptr<OfdmaChannelMonitor> monitor = cell.bs->GetChannelMonitor();
        Simulator::Schedule(Seconds(0.1), &Record, monitor, &before);
        Simulator::Schedule(Seconds(0.1), &OfdmaBsNetDevice::SetTxPowerDbm, cell.bs, 0, 13.0);
        Simulator::Schedule(Seconds(0.2), &Record, monitor, &after);
        Simulator::Schedule(Seconds(0.2), &OfdmaBsNetDevice::SetTxPowerDbm, cell.bs, 0, 40.0);
        Simulator::Schedule(Seconds(0.3), &Record, monitor, &capped);
        Simulator::Stop(stop);
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ_TOL(after - before, 3.0, 0.1, "+3 dB power, +3 dB SINR");
        // 40 dBm is capped at MaxTxPowerDbm = 23 dBm: 13 dB above 10 dBm.
        NS_TEST_ASSERT_MSG_EQ_TOL(capped - before, 13.0, 0.1, "capped at 23 dBm");
        NS_TEST_ASSERT_MSG_EQ_TOL(cell.ue[0]->GetTxPowerDbm(), 23, 1e-12, "capped");
        // Log-distance: 3.5 GHz, reference loss 20 log10(4 pi f / c) at 1 m = 43.32 dB,
        // exponent 3; 2D distance 50 m, heights 10 and 1.5 m: d = sqrt(2500 + 72.25) = 50.72 m;
        // PL = 43.32 + 30 log10(50.72) = 94.48 dB; SINR(10 dBm) = 10 - 17.076 - 94.48 + 111.412.
        double d = std::sqrt(50.0 * 50 + 8.5 * 8.5);
        double pl = 20 * std::log10(4 * M_PI * 3.5e9 / 299792458.0) + 30 * std::log10(d);
        NS_TEST_ASSERT_MSG_EQ_TOL(before, HandSinrDb(10, 51, pl, 7, 1), 1e-6, "hand SINR");
        Simulator::Destroy();
    }
};

/// Rayleigh fading: the mean received power over many slots is the path loss's.
class RayleighTestCase : public TestCase
{
  public:
    /// \param fading "rayleigh" or "nakagami" (m = 2)
    RayleighTestCase(const std::string& fading)
        : TestCase(fading + " fading: mean received power over many slots matches the path loss"),
          m_fading(fading)
    {
    }

  private:
    /// Accumulates linear power.
    struct Sum
    {
        double watts{0};     //!< sum
        uint64_t count{0};   //!< samples
        double minDbm{1e9};  //!< smallest
        double maxDbm{-1e9}; //!< largest
    };

    static void OnRxPower(Sum* sum, uint32_t device, double dbm)
    {
        sum->watts += std::pow(10.0, (dbm - 30) / 10);
        sum->count++;
        sum->minDbm = std::min(sum->minDbm, dbm);
        sum->maxDbm = std::max(sum->maxDbm, dbm);
    }

    void DoRun() override
    {
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(1);
        OfdmaCellHelper helper;
        helper.SetPathLoss("fixed");
        helper.SetFixedPathLossDb(100);
        helper.SetFading(m_fading);
        helper.SetNakagamiM(2);
        MacCell cell = BuildCell(helper, 1);
        Sum ul;
        Sum dl;
        cell.bs->GetUplinkPhy()->TraceConnectWithoutContext("RxPower",
                                                            MakeBoundCallback(&OnRxPower, &ul));
        cell.ue[0]->GetDownlinkPhy()->TraceConnectWithoutContext(
            "RxPower",
            MakeBoundCallback(&OnRxPower, &dl));
        Time stop = Seconds(2);
        Simulator::Schedule(Seconds(0), &TopUp, &cell, true, true, stop);
        Simulator::Stop(stop);
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT(ul.count, 3000, "many slots");
        NS_TEST_ASSERT_MSG_GT(dl.count, 3000, "many slots");
        // UL: 23 dBm - 100 dB = -77 dBm; DL: 30 dBm - 100 dB = -70 dBm (all RBs used).
        NS_TEST_ASSERT_MSG_EQ_TOL(10 * std::log10(ul.watts / ul.count) + 30, -77, 0.5, "UL mean");
        NS_TEST_ASSERT_MSG_EQ_TOL(10 * std::log10(dl.watts / dl.count) + 30, -70, 0.5, "DL mean");
        // It does fade: an exponential (Gamma, m = 2) power spans over 10 dB in 3000 draws.
        NS_TEST_ASSERT_MSG_GT(ul.maxDbm - ul.minDbm, 10, "fading spread");
        Simulator::Destroy();
    }

    std::string m_fading; //!< "rayleigh" or "nakagami"
};

/// HARQ retransmits injected transport block errors, and drops after the 4th transmission.
class HarqTestCase : public TestCase
{
  public:
    HarqTestCase()
        : TestCase("HARQ recovers injected transport block errors, drops after 4 transmissions")
    {
    }

  private:
    /// What the traces saw.
    struct Seen
    {
        std::vector<std::pair<uint32_t, bool>> harq; //!< (transmissions, delivered)
        uint32_t failures{0};                        //!< failed receptions
        uint64_t rxBytes{0};                         //!< passed up at the receivers
    };

    static void OnHarq(Seen* seen, uint32_t device, bool dl, uint64_t id, uint32_t tx, bool ok)
    {
        seen->harq.emplace_back(tx, ok);
    }

    static void OnTbRx(Seen* seen,
                       uint32_t device,
                       bool dl,
                       uint32_t mcs,
                       uint32_t bits,
                       double sinr,
                       uint32_t tx,
                       bool ok)
    {
        seen->failures += ok ? 0 : 1;
    }

    static void OnMacRx(Seen* seen, Ptr<const Packet> packet)
    {
        seen->rxBytes += packet->GetSize();
    }

    void DoRun() override
    {
        OfdmaCellHelper helper;
        helper.SetPathLoss("fixed");
        helper.SetFixedPathLossDb(90);
        MacCell cell = BuildCell(helper, 1);
        Seen seen;
        cell.bs->TraceConnectWithoutContext("Harq", MakeBoundCallback(&OnHarq, &seen));
        cell.bs->TraceConnectWithoutContext("TbRx", MakeBoundCallback(&OnTbRx, &seen));
        cell.bs->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&OnMacRx, &seen));
        cell.ue[0]->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&OnMacRx, &seen));
        Ptr<OfdmaUeNetDevice> ue = cell.ue[0];
        Ptr<OfdmaBsNetDevice> bs = cell.bs;
        // 1: a 100-byte uplink packet (one TB: MCS 0 on 51 RB carries 1672 bits = 209 bytes)
        // with 3 injected errors: delivered at the 4th transmission.
        Simulator::Schedule(MilliSeconds(10), [ue, bs]() {
            bs->InjectTransportBlockErrors(0, false, 3);
            ue->Send(Create<Packet>(100), bs->GetAddress(), 0x0800);
        });
        // 2: 4 injected errors: dropped after the 4th transmission.
        Simulator::Schedule(MilliSeconds(50), [ue, bs]() {
            bs->InjectTransportBlockErrors(0, false, 4);
            ue->Send(Create<Packet>(100), bs->GetAddress(), 0x0800);
        });
        // 3: the downlink, 2 errors: delivered at the 3rd transmission.
        Simulator::Schedule(MilliSeconds(90), [ue, bs]() {
            bs->InjectTransportBlockErrors(0, true, 2);
            bs->Send(Create<Packet>(100), ue->GetAddress(), 0x0800);
        });
        Simulator::Stop(MilliSeconds(150));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(seen.harq.size(), 3, "three HARQ processes ended");
        NS_TEST_ASSERT_MSG_EQ(seen.harq[0].first, 4, "1: four transmissions");
        NS_TEST_ASSERT_MSG_EQ(seen.harq[0].second, true, "1: delivered");
        NS_TEST_ASSERT_MSG_EQ(seen.harq[1].first, 4, "2: four transmissions");
        NS_TEST_ASSERT_MSG_EQ(seen.harq[1].second, false, "2: dropped");
        NS_TEST_ASSERT_MSG_EQ(seen.harq[2].first, 3, "3: three transmissions");
        NS_TEST_ASSERT_MSG_EQ(seen.harq[2].second, true, "3: delivered");
        NS_TEST_ASSERT_MSG_EQ(seen.failures, 3 + 4 + 2, "every injected error failed a TB");
        NS_TEST_ASSERT_MSG_EQ(seen.rxBytes, 200, "the two recovered packets, not the dropped one");
        Simulator::Destroy();
    }
};

/// Co-channel interference: a second cell on the same carriers lowers the SINR as computed.
class InterferenceTestCase : public TestCase
{
  public:
    InterferenceTestCase()
        : TestCase("a co-channel cell's transmissions add to the interference in the SINR")
    {
    }

  private:
    void DoRun() override
    {
        OfdmaCellHelper helper;
        helper.SetPathLoss("fixed");
        helper.SetFixedPathLossDb(100);
        MacCell first = BuildCell(helper, 1);
        helper.SetCellId(2);
        helper.SetChannels(helper.GetUplinkChannel(), helper.GetDownlinkChannel());
        MacCell second = BuildCell(helper, 1);
        Time stop = Seconds(0.1);
        Simulator::Schedule(Seconds(0), &TopUp, &first, true, false, stop);
        Simulator::Schedule(Seconds(0), &TopUp, &second, true, false, stop);
        Simulator::Stop(stop);
        Simulator::Run();
        // Both UEs use all 51 RBs, every path loses 100 dB: S = I, S/N = 17.337 dB = 54.16;
        // SINR = S / (N + I) = 54.16 / 55.16 = -0.079 dB.
        double snr = std::pow(10.0, HandSinrDb(23, 51, 100, 7, 1) / 10);
        double expected = 10 * std::log10(snr / (1 + snr));
        NS_TEST_ASSERT_MSG_EQ_TOL(first.bs->GetChannelMonitor()->GetLastSinrDb(0, false),
                                  expected,
                                  1e-6,
                                  "cell 1 uplink SINR");
        NS_TEST_ASSERT_MSG_EQ_TOL(second.bs->GetChannelMonitor()->GetLastSinrDb(0, false),
                                  expected,
                                  1e-6,
                                  "cell 2 uplink SINR");
        Simulator::Destroy();
    }
};

/// Round robin and proportional fair split the carriers among backlogged devices.
class PolicyTestCase : public TestCase
{
  public:
    /// \param policy "rr" or "pf"
    PolicyTestCase(const std::string& policy)
        : TestCase("scheduler " + policy + ": equal devices get equal goodput, all RBs used"),
          m_policy(policy)
    {
    }

  private:
    static void OnGrant(uint64_t* rbs,
                        uint64_t slot,
                        uint32_t device,
                        bool downlink,
                        uint32_t firstRb,
                        uint32_t count,
                        uint32_t mcs,
                        uint32_t bits)
    {
        rbs[downlink ? 1 : 0] += count;
    }

    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(4);
        OfdmaCellHelper helper;
        helper.SetPathLoss("fixed");
        helper.SetFixedPathLossDb(100);
        helper.SetScheduler(m_policy);
        MacCell cell = BuildCell(helper, 3);
        uint64_t rbs[2] = {0, 0};
        cell.bs->TraceConnectWithoutContext("Grant", MakeBoundCallback(&OnGrant, rbs));
        Time stop = Seconds(0.5);
        Simulator::Schedule(Seconds(0), &TopUp, &cell, true, true, stop);
        std::vector<uint64_t> start;
        std::vector<uint64_t> end;
        Simulator::Schedule(Seconds(0.1), &Snapshot, &cell, &start);
        Simulator::Schedule(Seconds(0.5), &Snapshot, &cell, &end);
        Simulator::Stop(stop);
        Simulator::Run();
        for (int dl = 0; dl < 2; ++dl)
        {
            double g0 = end[dl] - start[dl];
            for (uint32_t i = 1; i < 3; ++i)
            {
                double gi = end[2 * i + dl] - start[2 * i + dl];
                NS_TEST_ASSERT_MSG_EQ_TOL(gi / g0, 1.0, 0.05, "device " << i << " dl " << dl);
            }
            // 1000 slots in 0.5 s, 51 RB each: work conserving while everyone is backlogged.
            NS_TEST_ASSERT_MSG_EQ(rbs[dl], 1000 * 51, "every RB of every slot granted");
        }
        Simulator::Destroy();
    }

    std::string m_policy; //!< "rr" or "pf"
};

/// Device-to-device packets and broadcasts are relayed by the base station.
class RelayTestCase : public TestCase
{
  public:
    RelayTestCase()
        : TestCase("the base station relays device-to-device packets and broadcasts")
    {
    }

  private:
    static void Count(std::vector<uint32_t>* sizes, Ptr<const Packet> packet)
    {
        sizes->push_back(packet->GetSize());
    }

    void DoRun() override
    {
        OfdmaCellHelper helper;
        helper.SetPathLoss("fixed");
        helper.SetFixedPathLossDb(90);
        MacCell cell = BuildCell(helper, 3);
        std::vector<uint32_t> atBs;
        std::vector<uint32_t> atUe[3];
        cell.bs->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&Count, &atBs));
        for (uint32_t i = 0; i < 3; ++i)
        {
            cell.ue[i]->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&Count, &atUe[i]));
        }
        Ptr<OfdmaUeNetDevice> ue0 = cell.ue[0];
        Address to1 = cell.ue[1]->GetAddress();
        // A 3000-byte packet (two or more transport blocks at the first, robust MCS) to
        // device 1, then a broadcast.
        Simulator::Schedule(MilliSeconds(5), [ue0, to1]() {
            ue0->Send(Create<Packet>(3000), to1, 0x0800);
            ue0->Send(Create<Packet>(42), Mac48Address::GetBroadcast(), 0x0806);
        });
        Simulator::Stop(MilliSeconds(100));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(atUe[1].size(), 2, "device 1: the packet and the broadcast");
        NS_TEST_ASSERT_MSG_EQ(atUe[1][0], 3000, "whole packet, reassembled");
        NS_TEST_ASSERT_MSG_EQ(atUe[2].size(), 1, "device 2: the broadcast only");
        NS_TEST_ASSERT_MSG_EQ(atUe[0].size(), 0, "the sender does not hear itself");
        NS_TEST_ASSERT_MSG_EQ(atBs.size(), 1, "the server's stack: the broadcast only");
        Simulator::Destroy();
    }
};

/// TR 38.901 UMi line of sight with Rayleigh fading: the mean received power is the path loss's.
class UmiRayleighTestCase : public TestCase
{
  public:
    UmiRayleighTestCase()
        : TestCase("UMi line of sight + Rayleigh: mean received power = TR 38.901 path loss")
    {
    }

  private:
    static void OnRxPower(std::pair<double, uint64_t>* sum, uint32_t device, double dbm)
    {
        sum->first += std::pow(10.0, (dbm - 30) / 10);
        sum->second++;
    }

    void DoRun() override
    {
        RngSeedManager::SetSeed(5);
        RngSeedManager::SetRun(1);
        OfdmaCellHelper helper;
        helper.SetPathLoss("umi");
        helper.SetChannelCondition("los");
        helper.SetFading("rayleigh");
        helper.SetDistance(50);
        MacCell cell = BuildCell(helper, 1);
        std::pair<double, uint64_t> ul{0, 0};
        cell.bs->GetUplinkPhy()->TraceConnectWithoutContext("RxPower",
                                                            MakeBoundCallback(&OnRxPower, &ul));
        Time stop = Seconds(1.5);
        Simulator::Schedule(Seconds(0), &TopUp, &cell, true, false, stop);
        Simulator::Stop(stop);
        Simulator::Run();
        // TR 38.901 Table 7.4.1-1, UMi street canyon LOS, d2D = 50 m below the breakpoint
        // d'BP = 4 (10 - 1)(1.5 - 1) 3.5 GHz / c = 210 m: PL = 32.4 + 21 log10(d3D)
        // + 20 log10(3.5) with d3D = sqrt(50^2 + 8.5^2) = 50.72 m: 32.4 + 35.81 + 10.88 = 79.09.
        double d3d = std::sqrt(50.0 * 50 + 8.5 * 8.5);
        double pathLoss = 32.4 + 21 * std::log10(d3d) + 20 * std::log10(3.5);
        NS_TEST_ASSERT_MSG_GT(ul.second, 2000, "many slots");
        NS_TEST_ASSERT_MSG_EQ_TOL(10 * std::log10(ul.first / ul.second) + 30,
                                  23 - pathLoss,
                                  0.5,
                                  "mean received power");
        Simulator::Destroy();
    }
};

/// Same seed, same figures; another run number, other figures.
class DeterminismTestCase : public TestCase
{
  public:
    DeterminismTestCase()
        : TestCase("same seed and run: identical results; another run: different fading")
    {
    }

  private:
    /// \param run the RngSeedManager run
    /// \return delivered uplink and downlink bytes and the last SINRs
    static std::vector<double> RunOnce(uint32_t run)
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(run);
        OfdmaCellHelper helper;
        helper.SetPathLoss("uma");
        helper.SetFading("rayleigh");
        MacCell cell = BuildCell(helper, 2);
        Time stop = Seconds(0.2);
        Simulator::Schedule(Seconds(0), &TopUp, &cell, true, true, stop);
        Simulator::Stop(stop);
        Simulator::Run();
        std::vector<double> result;
        Ptr<OfdmaChannelMonitor> monitor = cell.bs->GetChannelMonitor();
        for (uint32_t i = 0; i < 2; ++i)
        {
            for (bool dl : {false, true})
            {
                result.push_back(monitor->GetDeliveredBytes(i, dl));
                result.push_back(monitor->GetLastSinrDb(i, dl));
            }
        }
        Simulator::Destroy();
        return result;
    }

    void DoRun() override
    {
        std::vector<double> first = RunOnce(1);
        std::vector<double> again = RunOnce(1);
        std::vector<double> other = RunOnce(2);
        for (size_t k = 0; k < first.size(); ++k)
        {
            NS_TEST_ASSERT_MSG_EQ(first[k], again[k], "figure " << k << " reproduced exactly");
        }
        NS_TEST_ASSERT_MSG_NE(first[1], other[1], "another run draws other fading");
    }
};

/// Every bad setting is named.
class BadInputTestCase : public TestCase
{
  public:
    BadInputTestCase()
        : TestCase("bad settings: bandwidth, numerology, scheduler, shares, power are named")
    {
    }

  private:
    void DoRun() override
    {
        {
            OfdmaCellHelper helper;
            NS_TEST_ASSERT_MSG_EQ(helper.Validate(), "", "defaults are fine");
            helper.SetBandwidthMHz(7);
            NS_TEST_ASSERT_MSG_EQ(helper.Validate().find("bandwidthMHz=7 is not in the table for "
                                                         "numerology=1"),
                                  0,
                                  helper.Validate());
            helper.SetBandwidthMHz(100);
            helper.SetNumerology(0);
            NS_TEST_ASSERT_MSG_EQ(helper.Validate().find("bandwidthMHz=100 is not in the table "
                                                         "for numerology=0"),
                                  0,
                                  helper.Validate());
            helper.SetNumerology(4);
            NS_TEST_ASSERT_MSG_EQ(helper.Validate(),
                                  "numerology=4 is invalid: allowed 0, 1, 2, 3",
                                  "");
        }
        const std::vector<std::pair<std::function<void(OfdmaCellHelper&)>, std::string>> cases = {
            {[](OfdmaCellHelper& h) { h.SetScheduler("edf"); },
             "scheduler='edf' is not known; allowed: shares, pf, rr"},
            {[](OfdmaCellHelper& h) { h.SetLinkAdaptation("ideal"); },
             "linkAdaptation='ideal' is not known; allowed: mcs, shannon"},
            {[](OfdmaCellHelper& h) { h.SetPathLoss("cost231"); },
             "pathLoss='cost231' is not known; allowed: logdistance, friis, umi, uma, inh, "
             "fixed"},
            {[](OfdmaCellHelper& h) { h.SetChannelCondition("mostly-los"); },
             "channelCondition='mostly-los' is not known; allowed: 3gpp, los, nlos"},
            {[](OfdmaCellHelper& h) { h.SetFading("jakes"); },
             "fading='jakes' is not known; allowed: none, rayleigh, nakagami"},
            {[](OfdmaCellHelper& h) { h.SetDistance(-1); },
             "distance=-1 is invalid: must be a positive number of metres"},
            {[](OfdmaCellHelper& h) { h.SetCarrierFrequencies(3.5e9, 0); },
             "carrierFrequencyHz=0 is invalid"},
        };
        for (const auto& [set, expected] : cases)
        {
            OfdmaCellHelper helper;
            set(helper);
            NS_TEST_ASSERT_MSG_EQ(helper.Validate().find(expected), 0, helper.Validate());
        }

        OfdmaCellHelper helper;
        MacCell cell = BuildCell(helper, 2);
        NS_TEST_ASSERT_MSG_EQ(cell.bs->CheckBandwidthShare(0, 0.6), "", "fine");
        cell.bs->SetBandwidthShare(0, 0.6);
        NS_TEST_ASSERT_MSG_EQ(cell.bs->CheckBandwidthShare(1, 0.5),
                              "shares sum to 1.1 is invalid: must be at most 1",
                              "");
        NS_TEST_ASSERT_MSG_EQ(cell.bs->CheckBandwidthShare(1, -0.2),
                              "share=-0.2 of device 1 is invalid: must be in [0, 1]",
                              "");
        NS_TEST_ASSERT_MSG_EQ(cell.bs->CheckBandwidthShare(2, 0.1),
                              "device=2 is invalid: the cell has 2 devices",
                              "");
        // Replacing device 0's own share is checked against the others only.
        NS_TEST_ASSERT_MSG_EQ(cell.bs->CheckBandwidthShare(0, 1.0), "", "replaces its own");
        NS_TEST_ASSERT_MSG_EQ(cell.bs->GetBandwidthShare(1), 0.4, "the remainder");
        NS_TEST_ASSERT_MSG_EQ(cell.bs->CheckTxPowerDbm(0, std::nan("")),
                              "txPowerDbm=nan is invalid: must be a finite number",
                              "");
        NS_TEST_ASSERT_MSG_EQ(cell.bs->CheckTxPowerDbm(5, 10),
                              "device=5 is invalid: the cell has 2 devices",
                              "");
        Simulator::Destroy();
    }
};

} // namespace

/**
 * \ingroup edge-llm-tests
 * The OFDMA cell's PHY and MAC.
 */
class OfdmaCellTestSuite : public TestSuite
{
  public:
    OfdmaCellTestSuite()
        : TestSuite("edge-llm-ofdma-cell", TestSuite::SYSTEM)
    {
        AddTestCase(new FixedSinrGoodputTestCase("mcs"));
        AddTestCase(new FixedSinrGoodputTestCase("shannon"));
        AddTestCase(new SharesTestCase);
        AddTestCase(new PowerTestCase);
        AddTestCase(new RayleighTestCase("rayleigh"));
        AddTestCase(new RayleighTestCase("nakagami"));
        AddTestCase(new HarqTestCase);
        AddTestCase(new InterferenceTestCase);
        AddTestCase(new PolicyTestCase("rr"));
        AddTestCase(new PolicyTestCase("pf"));
        AddTestCase(new RelayTestCase);
        AddTestCase(new UmiRayleighTestCase);
        AddTestCase(new DeterminismTestCase);
        AddTestCase(new BadInputTestCase);
    }
};

/// The suite's instance.
static OfdmaCellTestSuite g_ofdmaCellTestSuite;
