/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm-tests
 * The flow level's Wi-Fi link model: the airtime of a transmission opportunity against a
 * hand-built sum of ns-3's own durations, fading against its limits, Bianchi's contention
 * against an independent solution of his fixed point.
 */

#include "ns3/edge-network-helper.h"
#include "ns3/he-phy.h"
#include "ns3/ofdm-phy.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/wifi-link-model.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"

#include <Eigen/Dense>
#include <cmath>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// The access point's device of a one-station 802.11ax network of \p width MHz.
Ptr<WifiNetDevice>
InstallAccessPoint(uint32_t width)
{
    EdgeNetworkHelper helper;
    helper.SetNetwork("wifi");
    helper.SetChannelWidth(width);
    helper.SetDistance(10);
    Ptr<EdgeNetwork> network = helper.Install(1);
    return DynamicCast<WifiNetDevice>(network->GetLinkDevice(1, 0));
}

/// \return duration of an HE SU PPDU of \p bytes at HE MCS \p mcs
double
HeSeconds(Ptr<WifiPhy> phy, int mcs, uint32_t bytes)
{
    WifiTxVector v;
    v.SetMode(HePhy::GetHeMcs(mcs));
    v.SetPreambleType(WIFI_PREAMBLE_HE_SU);
    v.SetChannelWidth(phy->GetChannelWidth());
    v.SetGuardInterval(800);
    v.SetNss(1);
    v.SetNTx(1);
    return WifiPhy::CalculateTxDuration(bytes, v, phy->GetPhyBand()).GetSeconds();
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Without fading every PPDU goes through: the goodput is the TCP payload of one A-MPDU over
 * the airtime of its exchange and of the receiver's TCP ACK exchange, summed by hand here.
 */
class WifiLinkAirtimeTestCase : public TestCase
{
  public:
    WifiLinkAirtimeTestCase()
        : TestCase("Wi-Fi link model: airtime of an exchange, by hand")
    {
    }

  private:
    void DoRun() override
    {
        for (uint32_t width : {20u, 160u})
        {
            Ptr<WifiNetDevice> device = InstallAccessPoint(width);
            Ptr<WifiPhy> phy = device->GetPhy();
            const WifiLinkParameters parameters = WifiLinkModel::ReadParameters(device);
            NS_TEST_ASSERT_MSG_EQ(parameters.maxAmpduBytes, 65535u, "ns-3.37's BE_MaxAmpduSize");
            NS_TEST_ASSERT_MSG_EQ(parameters.cwMin, 15u, "EDCA BE CWmin");
            NS_TEST_ASSERT_MSG_EQ(parameters.aifsn, 3u, "EDCA BE AIFSN");
            WifiLinkModel link(phy, parameters);
            const double snrDb = 45.0; // MCS 11 at every width, no loss
            const WifiLinkEstimate& e = link.Estimate(snrDb, snrDb, 0.0);
            NS_TEST_ASSERT_MSG_EQ(e.meanSnrMcs, 11, "MCS 11 at 45 dB");
            // a 1448-byte segment: 1500 bytes of IP, 38 of MAC framing, a 4-byte delimiter,
            // padded to 1544; 65535 bytes hold 42 of them
            const uint32_t n = 42;
            NS_TEST_ASSERT_MSG_EQ_TOL(e.mpdusPerPpdu, double(n), 1e-9, "A-MPDU of 42");
            NS_TEST_ASSERT_MSG_EQ_TOL(e.deliveryRatio, 1.0, 1e-6, "no loss at 45 dB");
            WifiTxVector ack;
            ack.SetMode(OfdmPhy::GetOfdmRate24Mbps());
            ack.SetPreambleType(WIFI_PREAMBLE_LONG);
            ack.SetChannelWidth(20);
            const double blockAck =
                WifiPhy::CalculateTxDuration(32, ack, phy->GetPhyBand()).GetSeconds();
            const double sifs = phy->GetSifs().GetSeconds();
            const double slot = phy->GetSlot().GetSeconds();
            const double access = sifs + 3 * slot + 7.5 * slot;
            const double data = access + HeSeconds(phy, 11, n * 1544) + sifs + blockAck;
            // 21 TCP ACKs (52 bytes of IP + 38 of framing, 96 as subframes) back
            const double acks = access + HeSeconds(phy, 11, 21 * 96) + sifs + blockAck;
            const double expected = n * 1448 * 8.0 / (data + acks);
            NS_TEST_ASSERT_MSG_EQ_TOL(e.goodput, expected, expected * 1e-9, "width " << width);
            // the share of the PHY rate that carries TCP payload falls with the width
            const double efficiency = e.goodput / e.phyRate;
            const bool plausible = efficiency > 0.3 && efficiency < 0.9;
            NS_TEST_ASSERT_MSG_EQ(plausible, true, "efficiency " << efficiency);
            Simulator::Destroy();
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * Fading: far above MCS 11's threshold it costs nothing; near the thresholds the stale MCS
 * loses MPDUs; a fading that barely varies (large m) comes back to the case without it.
 */
class WifiLinkFadingTestCase : public TestCase
{
  public:
    WifiLinkFadingTestCase()
        : TestCase("Wi-Fi link model: the ideal manager under per-PPDU fading")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<WifiNetDevice> device = InstallAccessPoint(160);
        WifiLinkModel link(device->GetPhy(), WifiLinkModel::ReadParameters(device));
        const double high = link.Estimate(70, 70, 0).goodput;
        NS_TEST_ASSERT_MSG_EQ_TOL(link.Estimate(70, 70, 2).goodput,
                                  high,
                                  high * 1e-3,
                                  "25 dB above MCS 11: fading loses nothing");
        const double snr = link.GetThresholdDb(9) + 1.0;
        const WifiLinkEstimate still = link.Estimate(snr, snr, 0);
        const WifiLinkEstimate faded = link.Estimate(snr, snr, 2);
        NS_TEST_ASSERT_MSG_LT(faded.goodput, 0.95 * still.goodput, "fading costs near MCS 9");
        NS_TEST_ASSERT_MSG_LT(faded.deliveryRatio, 0.99, "stale MCS loses MPDUs");
        NS_TEST_ASSERT_MSG_GT(faded.deliveryRatio, 0.3, "but most get through");
        const WifiLinkEstimate calm = link.Estimate(snr, snr, 100);
        NS_TEST_ASSERT_MSG_EQ_TOL(calm.goodput,
                                  still.goodput,
                                  0.05 * still.goodput,
                                  "m = 100: nearly no fading");
        NS_TEST_ASSERT_MSG_GT(calm.goodput, faded.goodput, "less fading, more goodput");
        Simulator::Destroy();
    }
};

/**
 * \ingroup edge-llm-tests
 * Contention: two contenders are the reference; more cost more, as Bianchi's model says,
 * solved here independently by bisection on the collision probability.
 */
class WifiLinkContentionTestCase : public TestCase
{
  public:
    WifiLinkContentionTestCase()
        : TestCase("Wi-Fi link model: Bianchi contention")
    {
    }

  private:
    /// Bianchi's channel time per success, his fixed point solved by bisection on p.
    static double TimePerSuccess(double n, double txop, double slot)
    {
        const double w = 16;
        const double m = 6;
        auto tauOf = [&](double p) {
            return 2 * (1 - 2 * p) / ((1 - 2 * p) * (w + 1) + p * w * (1 - std::pow(2 * p, m)));
        };
        double lo = 0;
        double hi = 0.999; // p may pass 1/2 with many contenders
        for (int i = 0; i < 200; ++i)
        {
            const double p = (lo + hi) / 2;
            // p - (1 - (1 - tau(p))^(n - 1)) rises with p
            if (p - (1 - std::pow(1 - tauOf(p), n - 1)) > 0)
            {
                hi = p;
            }
            else
            {
                lo = p;
            }
        }
        const double tau = tauOf((lo + hi) / 2);
        const double ptr = 1 - std::pow(1 - tau, n);
        const double ps = n * tau * std::pow(1 - tau, n - 1) / ptr;
        return ((1 - ptr) * slot + ptr * txop) / (ptr * ps);
    }

    void DoRun() override
    {
        Ptr<WifiNetDevice> device = InstallAccessPoint(80);
        WifiLinkModel link(device->GetPhy(), WifiLinkModel::ReadParameters(device));
        const double txop = 600e-6;
        const double slot = device->GetPhy()->GetSlot().GetSeconds();
        NS_TEST_ASSERT_MSG_EQ(link.GetContentionFactor(1, txop), 1.0, "alone");
        NS_TEST_ASSERT_MSG_EQ(link.GetContentionFactor(2, txop), 1.0, "the reference");
        double last = 1.0;
        for (uint32_t n : {3u, 5u, 11u, 30u})
        {
            const double factor = link.GetContentionFactor(n, txop);
            const double expected = TimePerSuccess(n, txop, slot) / TimePerSuccess(2, txop, slot);
            NS_TEST_ASSERT_MSG_EQ_TOL(factor, expected, 1e-6 * expected, "n=" << n);
            NS_TEST_ASSERT_MSG_GT(factor, last, "more contenders, more time");
            last = factor;
        }
        Simulator::Destroy();
    }
};

/**
 * \ingroup edge-llm-tests
 * The Wi-Fi link model's suite.
 */
/**
 * \ingroup edge-llm-tests
 * The retry chain's stationary distribution in closed form (GetStationaryDistribution)
 * against the full chain's balance equations solved by LU, built here from the chain's
 * rules: random success probabilities and MCS choices, 1 to 16 draws, 1 to 8 attempts, links
 * that always or never get through.
 */
class WifiRetryChainTestCase : public TestCase
{
  public:
    WifiRetryChainTestCase()
        : TestCase("retry chain: closed form equals the full chain's balance equations")
    {
    }

  private:
    /// the full chain, as the rules say, solved by LU
    static std::vector<double> SolveFullChain(const std::vector<double>& dataOk,
                                              const std::vector<int>& nextMcs,
                                              uint32_t attempts)
    {
        const int n = WifiLinkModel::HE_MCS_COUNT;
        const uint32_t draws = nextMcs.size();
        const uint32_t states = n * attempts * 2;
        auto index = [attempts](int c, uint32_t r, bool bar) {
            return (c * attempts + r) * 2 + (bar ? 1 : 0);
        };
        Eigen::MatrixXd transition = Eigen::MatrixXd::Zero(states, states);
        for (int c = 0; c < n; ++c)
        {
            for (uint32_t r = 0; r < attempts; ++r)
            {
                for (bool bar : {false, true})
                {
                    const uint32_t from = index(c, r, bar);
                    double fail = 0;
                    for (uint32_t k = 0; k < draws; ++k)
                    {
                        const double ok = bar ? 1.0 : dataOk[c * draws + k];
                        transition(from, index(nextMcs[k], bar ? r : 0, false)) += ok / draws;
                        fail += (1.0 - ok) / draws;
                    }
                    transition(from,
                               r + 1 < attempts ? index(c, r + 1, true) : index(0, 0, false)) +=
                        fail;
                }
            }
        }
        Eigen::MatrixXd balance =
            transition.transpose() - Eigen::MatrixXd::Identity(states, states);
        balance.row(states - 1).setOnes();
        Eigen::VectorXd rhs = Eigen::VectorXd::Zero(states);
        rhs(states - 1) = 1.0;
        const Eigen::VectorXd pi = balance.partialPivLu().solve(rhs);
        return std::vector<double>(pi.data(), pi.data() + states);
    }

    void DoRun() override
    {
        const int n = WifiLinkModel::HE_MCS_COUNT;
        Ptr<UniformRandomVariable> uniform = CreateObject<UniformRandomVariable>();
        uniform->SetStream(42);
        uint32_t cases = 0;
        for (uint32_t draws : {1u, 3u, 16u})
        {
            for (uint32_t attempts : {1u, 2u, 8u})
            {
                for (int kind = 0; kind < 3; ++kind)
                {
                    // kind 0: random links; 1: every A-MPDU gets through; 2: none above MCS 3
                    std::vector<double> dataOk(n * draws);
                    std::vector<int> nextMcs(draws);
                    for (uint32_t k = 0; k < draws; ++k)
                    {
                        nextMcs[k] = uniform->GetInteger(0, n - 1);
                        for (int c = 0; c < n; ++c)
                        {
                            dataOk[c * draws + k] =
                                kind == 1 ? 1.0 : (kind == 2 && c > 3 ? 0.0 : uniform->GetValue());
                        }
                    }
                    const std::vector<double> closed =
                        WifiLinkModel::GetStationaryDistribution(dataOk, nextMcs, attempts);
                    const std::vector<double> full = SolveFullChain(dataOk, nextMcs, attempts);
                    NS_TEST_ASSERT_MSG_EQ(closed.size(), full.size(), "states");
                    double sum = 0;
                    for (std::size_t i = 0; i < full.size(); ++i)
                    {
                        NS_TEST_EXPECT_MSG_EQ_TOL(closed[i],
                                                  full[i],
                                                  1e-12,
                                                  "draws " << draws << ", attempts " << attempts
                                                           << ", kind " << kind << ", state " << i);
                        sum += closed[i];
                    }
                    NS_TEST_EXPECT_MSG_EQ_TOL(sum, 1.0, 1e-12, "a distribution");
                    ++cases;
                }
            }
        }
        NS_TEST_EXPECT_MSG_EQ(cases, 27, "every case ran");
    }
};

class WifiLinkModelTestSuite : public TestSuite
{
  public:
    WifiLinkModelTestSuite()
        : TestSuite("edge-llm-wifi-link-model", TestSuite::UNIT)
    {
        AddTestCase(new WifiLinkAirtimeTestCase);
        AddTestCase(new WifiLinkFadingTestCase);
        AddTestCase(new WifiLinkContentionTestCase);
        AddTestCase(new WifiRetryChainTestCase);
    }
};

/// The suite's instance.
static WifiLinkModelTestSuite g_wifiLinkModelTestSuite;
