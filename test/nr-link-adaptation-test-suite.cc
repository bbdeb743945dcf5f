/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/boolean.h"
#include "ns3/nr-link-adaptation.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-cell-helper.h"
#include "ns3/ofdma-proportional-fair-scheduler.h"
#include "ns3/ofdma-round-robin-scheduler.h"
#include "ns3/ofdma-shares-scheduler.h"
#include "ns3/test.h"

#include <cmath>
#include <limits>
#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * NR numerology, the TS 38.101-1 RB table, TS 38.214 MCS table 1 and TBS procedure, the BLER
 * and Shannon models, and the RB schedulers, each against hand computations.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Subcarrier spacing, slot duration and RB counts of TS 38.101-1 Table 5.3.2-1.
class NumerologyTestCase : public TestCase
{
  public:
    NumerologyTestCase()
        : TestCase("numerology: SCS 15*2^mu kHz, slot 1 ms over 2^mu, N_RB per TS 38.101-1")
    {
    }

  private:
    void DoRun() override
    {
        for (uint32_t mu = 0; mu <= 3; ++mu)
        {
            NS_TEST_ASSERT_MSG_EQ_TOL(NrNumerology::GetSubcarrierSpacingHz(mu),
                                      15e3 * (1 << mu),
                                      1e-9,
                                      "SCS of mu=" << mu);
            NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetSlotDuration(mu),
                                  NanoSeconds(1000000 / (1 << mu)),
                                  "slot of mu=" << mu);
        }
        // RB width: 12 subcarriers * 30 kHz = 360 kHz.
        NS_TEST_ASSERT_MSG_EQ_TOL(NrNumerology::GetResourceBlockBandwidthHz(1), 360e3, 1e-6, "");
        // TS 38.101-1 Table 5.3.2-1 (FR1).
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetResourceBlockCount(20, 1), 51, "20 MHz @ 30 kHz");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetResourceBlockCount(100, 1), 273, "100 @ 30");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetResourceBlockCount(20, 0), 106, "20 @ 15");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetResourceBlockCount(5, 0), 25, "5 @ 15");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetResourceBlockCount(50, 0), 270, "50 @ 15");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetResourceBlockCount(40, 2), 51, "40 @ 60");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetResourceBlockCount(100, 2), 135, "100 @ 60");
        // TS 38.101-2 Table 5.3.2-1 (FR2) for 120 kHz.
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::GetResourceBlockCount(100, 3), 66, "100 @ 120");
        // The occupied bandwidth fits the channel: 273 * 360 kHz = 98.28 MHz <= 100 MHz.
        NS_TEST_ASSERT_MSG_LT_OR_EQ(273 * NrNumerology::GetResourceBlockBandwidthHz(1),
                                    100e6,
                                    "273 RB fit 100 MHz");
    }
};

/// Bad numerology and bandwidth input.
class NumerologyBadInputTestCase : public TestCase
{
  public:
    NumerologyBadInputTestCase()
        : TestCase("numerology: mu out of range and bandwidths not in the table are named")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::CheckNumerology(3), "", "mu=3 allowed");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::CheckNumerology(4),
                              "numerology=4 is invalid: allowed 0, 1, 2, 3",
                              "mu=4");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::CheckBandwidth(20, 1), "", "20 MHz @ 30 kHz");
        std::string problem = NrNumerology::CheckBandwidth(7, 1);
        NS_TEST_ASSERT_MSG_EQ(problem.find("bandwidthMHz=7 is not in the table for "
                                           "numerology=1 (30 kHz); allowed: 5 10 15 20"),
                              0,
                              problem);
        // 5 MHz exists at 15 and 30 kHz but not at 60 kHz; 100 MHz not at 15 kHz.
        NS_TEST_ASSERT_MSG_NE(NrNumerology::CheckBandwidth(5, 2), "", "5 MHz @ 60 kHz");
        NS_TEST_ASSERT_MSG_NE(NrNumerology::CheckBandwidth(100, 0), "", "100 MHz @ 15 kHz");
        NS_TEST_ASSERT_MSG_NE(NrNumerology::CheckBandwidth(20.5, 1), "", "20.5 MHz");
        NS_TEST_ASSERT_MSG_NE(NrNumerology::CheckBandwidth(std::nan(""), 1), "", "NaN");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::CheckBandwidth(20, 7),
                              "numerology=7 is invalid: allowed 0, 1, 2, 3",
                              "mu checked first");
    }
};

/// MCS table 1 rows and TBS by the TS 38.214 5.1.3.2 procedure, computed by hand.
class TbsTestCase : public TestCase
{
  public:
    TbsTestCase()
        : TestCase("TS 38.214 MCS table 1 and transport block size procedure")
    {
    }

  private:
    void DoRun() override
    {
        // Table 5.1.3.1-1 rows (Qm, R x 1024).
        const std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> rows = {
            {0, 2, 120},
            {9, 2, 679},
            {10, 4, 340},
            {16, 4, 658},
            {17, 6, 438},
            {27, 6, 910},
            {28, 6, 948},
        };
        for (const auto& [mcs, qm, r] : rows)
        {
            NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetMcs(mcs).modulationOrder, qm, "Qm " << mcs);
            NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetMcs(mcs).codeRateX1024, r, "R " << mcs);
        }
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetTbsTable().size(), 93, "Table 5.1.3.2-1");
        // CQI table 1 (Table 5.2.2.1-2): CQI 1 QPSK 78, CQI 7 16QAM 378, CQI 15 64QAM 948.
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetCqi(1).codeRateX1024, 78, "CQI 1");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetCqi(7).modulationOrder, 4, "CQI 7");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetCqi(7).codeRateX1024, 378, "CQI 7");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetCqi(15).codeRateX1024, 948, "CQI 15");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckCqi(0),
                              "cqi=0 is invalid: allowed 1..15 (TS 38.214 table 1)",
                              "CQI 0 is out of range");
        // CQI 1 threshold (no gap): 10 log10(2^(2 * 78/1024) - 1) = -9.532 dB.
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::SelectCqi(-9.52, 0), 1, "just above CQI 1");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::SelectCqi(-9.54, 0), 0, "out of range");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::SelectCqi(30, 0), 15, "CQI 15");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckMcs(29),
                              "mcs=29 is invalid: allowed 0..28 (TS 38.214 table 1)",
                              "MCS 29 reserved");

        // (a) MCS 0, 1 PRB: N_RE = 156; N_info = 156 * 120/1024 * 2 = 36.5625 <= 3824;
        // n = max(3, floor(log2 36.56) - 6) = 3; N'_info = max(24, 8 floor(36.5625/8)) = 32;
        // smallest table TBS >= 32: 32.
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetTransportBlockSizeBits(0, 1), 32, "(a)");
        // (b) MCS 10, 10 PRB: N_info = 1560 * 340/1024 * 4 = 2071.875; n = max(3, 11 - 6) = 5;
        // N'_info = 32 floor(2071.875/32) = 2048; smallest table TBS >= 2048: 2088.
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetTransportBlockSizeBits(10, 10), 2088, "(b)");
        // (c) MCS 10, 30 PRB: N_info = 4680 * 1.328125 = 6215.625 > 3824;
        // n = floor(log2(6191.625)) - 5 = 7; N'_info = 128 round(6191.625/128) = 6144;
        // R > 1/4 and N'_info <= 8424: TBS = 8 ceil((6144 + 24)/8) - 24 = 6144.
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetTransportBlockSizeBits(10, 30), 6144, "(c)");
        // (d) MCS 27, 51 PRB: N_info = 7956 * 910/1024 * 6 = 42421.64; n = floor(log2
        // 42397.64) - 5 = 10; N'_info = 1024 round(41.40) = 41984; R > 1/4, N'_info > 8424:
        // C = ceil(42008/8424) = 5; TBS = 8*5 ceil(42008/40) - 24 = 40 * 1051 - 24 = 42016.
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetTransportBlockSizeBits(27, 51), 42016, "(d)");
        // (e) MCS 0, 273 PRB: N_info = 42588 * 0.234375 = 9981.56; n = 13 - 5 = 8;
        // N'_info = 256 round(9957.56/256) = 9984; R <= 1/4: C = ceil(10008/3816) = 3;
        // TBS = 24 ceil(10008/24) - 24 = 9984.
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetTransportBlockSizeBits(0, 273), 9984, "(e)");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetTransportBlockSizeBits(5, 0), 0, "no PRB");
        // TBS never shrinks with more RBs (the quantization of step 4 can keep it equal).
        for (uint32_t mcs = 0; mcs <= 28; ++mcs)
        {
            for (uint32_t rb = 1; rb < 60; ++rb)
            {
                NS_TEST_ASSERT_MSG_LT_OR_EQ(
                    NrLinkAdaptation::GetTransportBlockSizeBits(mcs, rb),
                    NrLinkAdaptation::GetTransportBlockSizeBits(mcs, rb + 1),
                    "TBS grows with RBs");
            }
        }
    }
};

/// The module's own BLER curve, MCS choice, Shannon rate and effective SINR.
class LinkModelTestCase : public TestCase
{
  public:
    LinkModelTestCase()
        : TestCase("SINR thresholds, logistic BLER, MCS choice, Shannon rate, effective SINR")
    {
    }

  private:
    void DoRun() override
    {
        // MCS 0: SE = 2 * 120/1024 = 0.234375; 10 log10(2^0.234375 - 1) = -7.5351 dB.
        NS_TEST_ASSERT_MSG_EQ_TOL(NrLinkAdaptation::GetSinrThresholdDb(0, 0), -7.5351, 1e-4, "");
        // MCS 28: SE = 6 * 948/1024 = 5.5547; 10 log10(2^5.5547 - 1) = 16.6279 dB; +1 dB gap.
        NS_TEST_ASSERT_MSG_EQ_TOL(NrLinkAdaptation::GetSinrThresholdDb(28, 1), 17.6279, 1e-4, "");
        // BLER = 10% at the threshold; 2 dB above with slope 1.5: 1/(1 + 9 e^3) = 0.005501.
        double t = NrLinkAdaptation::GetSinrThresholdDb(12, 1);
        NS_TEST_ASSERT_MSG_EQ_TOL(NrLinkAdaptation::GetBler(12, t, 1, 1.5), 0.1, 1e-12, "");
        NS_TEST_ASSERT_MSG_EQ_TOL(NrLinkAdaptation::GetBler(12, t + 2, 1, 1.5), 0.005501, 1e-6, "");
        NS_TEST_ASSERT_MSG_GT(NrLinkAdaptation::GetBler(12, t - 3, 1, 1.5), 0.9, "below");
        // MCS choice: the highest MCS whose threshold is at most the SINR.
        double t15 = NrLinkAdaptation::GetSinrThresholdDb(15, 1);
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::SelectMcs(t15 + 0.01, 1), 15, "just above 15");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::SelectMcs(t15 - 0.01, 1), 14, "just below 15");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::SelectMcs(40, 1), 28, "high SINR");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::SelectMcs(-20, 1), 0, "low SINR");
        // Shannon: 10 dB, no gap: log2(11) = 3.459432 bit/RE; 10 PRB = 1560 RE:
        // floor(3.459432 * 1560) = floor(5396.71) = 5396 bits. A 3 dB gap at 13 dB: the same.
        NS_TEST_ASSERT_MSG_EQ_TOL(NrLinkAdaptation::GetShannonEfficiency(10, 0),
                                  3.459432,
                                  1e-6,
                                  "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetShannonTransportBlockSizeBits(10, 0, 10),
                              5396,
                              "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::GetShannonTransportBlockSizeBits(13, 3, 10),
                              5396,
                              "");
        // Effective SINR: mean in dB of {1, 100} = (0 + 20) / 2 = 10 dB.
        NS_TEST_ASSERT_MSG_EQ_TOL(NrLinkAdaptation::GetEffectiveSinrDb({1, 100}), 10, 1e-12, "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckLinkAdaptation("shannon"), "", "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckLinkAdaptation("ideal"),
                              "linkAdaptation='ideal' is not known; allowed: mcs, shannon",
                              "");
    }
};

/**
 * The outer loop: bad settings, its update rule (with anti-windup) and the expectations the flow
 * level uses (HARQ failure probabilities, the outer loop's equilibrium), against hand
 * computations and closed forms.
 */
class OllaTestCase : public TestCase
{
  public:
    OllaTestCase()
        : TestCase("outer loop: settings, update rule, HARQ failures and equilibrium by hand")
    {
    }

  private:
    /// \return 64 equiprobable quantiles (dB) of the Rayleigh power gain Exp(1): -ln(1 - p)
    static std::vector<double> RayleighQuantilesDb()
    {
        std::vector<double> gains;
        for (int k = 0; k < 64; ++k)
        {
            gains.push_back(10 * std::log10(-std::log(1 - (k + 0.5) / 64)));
        }
        return gains;
    }

    void DoRun() override
    {
        // Settings.
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaTargetBler(0.1), "", "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaTargetBler(0),
                              "OllaTargetBler=0 is invalid: must be in (0, 1), exclusive",
                              "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaTargetBler(1),
                              "OllaTargetBler=1 is invalid: must be in (0, 1), exclusive",
                              "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaTargetBler(std::nan(""))
                                  .find("OllaTargetBler=nan is invalid"),
                              0,
                              "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaStepDb(0.01), "", "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaStepDb(0),
                              "OllaStepDb=0 is invalid: must be in (0, 1] dB",
                              "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaStepDb(1.5),
                              "OllaStepDb=1.5 is invalid: must be in (0, 1] dB",
                              "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaMaxOffsetDb(20), "", "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaMaxOffsetDb(-3),
                              "OllaMaxOffsetDb=-3 is invalid: must be in (0, 60] dB",
                              "");
        NS_TEST_ASSERT_MSG_EQ(NrLinkAdaptation::CheckOllaMaxOffsetDb(61),
                              "OllaMaxOffsetDb=61 is invalid: must be in (0, 60] dB",
                              "");

        // Update rule, step 0.05 dB, target 10%: +0.05 on an ACK, -0.05 * 0.9 / 0.1 = -0.45 on
        // a NACK; with P(NACK) = 0.1 the mean change is 0.9 * 0.05 - 0.1 * 0.45 = 0.
        auto update = [](double offset, bool ack, uint32_t mcs) {
            return NrLinkAdaptation::UpdateOllaOffsetDb(offset, ack, mcs, 0.05, 0.1, 20);
        };
        NS_TEST_ASSERT_MSG_EQ_TOL(update(0, true, 10), 0.05, 1e-12, "ACK");
        NS_TEST_ASSERT_MSG_EQ_TOL(update(0, false, 10), -0.45, 1e-12, "NACK");
        NS_TEST_ASSERT_MSG_EQ_TOL(0.9 * (update(1, true, 10) - 1) +
                                      0.1 * (update(1, false, 10) - 1),
                                  0,
                                  1e-12,
                                  "zero drift at the target");
        NS_TEST_ASSERT_MSG_EQ_TOL(update(19.98, true, 10), 20, 1e-12, "bounded above");
        NS_TEST_ASSERT_MSG_EQ_TOL(update(-19.8, false, 10), -20, 1e-12, "bounded below");
        // Anti-windup: at MCS 28 an ACK moves the offset up to 0 at most, at MCS 0 a NACK down
        // to 0 at most.
        NS_TEST_ASSERT_MSG_EQ_TOL(update(-1, true, 28), -0.95, 1e-12, "MCS 28, below 0");
        NS_TEST_ASSERT_MSG_EQ_TOL(update(-0.03, true, 28), 0, 1e-12, "MCS 28, up to 0");
        NS_TEST_ASSERT_MSG_EQ_TOL(update(0.5, true, 28), 0.5, 1e-12, "MCS 28, above 0");
        NS_TEST_ASSERT_MSG_EQ_TOL(update(1, false, 0), 0.55, 1e-12, "MCS 0, above 0");
        NS_TEST_ASSERT_MSG_EQ_TOL(update(0.2, false, 0), 0, 1e-12, "MCS 0, down to 0");
        NS_TEST_ASSERT_MSG_EQ_TOL(update(-1, false, 0), -1, 1e-12, "MCS 0, below 0");

        // HARQ failures without fading, MCS 10 at its threshold t10: BLER(t10) = 0.1, and after
        // k Chase-combined transmissions at the SINR t10 + 10 log10 k; without combining each
        // transmission fails with 0.1.
        const double t10 = NrLinkAdaptation::GetSinrThresholdDb(10, 1);
        std::vector<double> q =
            NrLinkAdaptation::GetHarqFailureProbabilities(10, t10, {}, 1, 1.5, 4, true);
        double expected = 1;
        for (int k = 1; k <= 4; ++k)
        {
            expected *= 1 / (1 + 9 * std::exp(1.5 * 10 * std::log10(k)));
            NS_TEST_ASSERT_MSG_EQ_TOL(q[k], expected, 1e-12, "no fading, q_" << k);
        }
        // q_2 = 0.1 / (1 + 9 e^(1.5 * 3.0103)) = 0.1 / (1 + 9 * 91.42) = 0.1 * 0.00121393
        NS_TEST_ASSERT_MSG_EQ_TOL(q[2], 0.1 * 0.00121393, 1e-9, "q_2 by hand");
        q = NrLinkAdaptation::GetHarqFailureProbabilities(10, t10, {}, 1, 1.5, 4, false);
        NS_TEST_ASSERT_MSG_EQ_TOL(q[4], 1e-4, 1e-15, "no combining: 0.1^4");

        // Rayleigh fading with a near-step BLER (slope 50 /dB: 50% at t - ln9/50): a block fails
        // its first k transmissions when the sum of k exponential gains is below
        // c = 10^((t - ln9/50 - s)/10), so q_k = P(Gamma(k, 1) < c) = 1 - e^-c sum_{j<k} c^j/j!.
        // With c = 1: 1 - 1/e = 0.6321, 1 - 2/e = 0.2642, 1 - 2.5/e = 0.0803,
        // 1 - (8/3)/e = 0.0190 (64 quantiles, 0.1 dB grid: within 2%).
        const std::vector<double> rayleigh = RayleighQuantilesDb();
        const double s50 = t10 - std::log(9.0) / 50;
        q = NrLinkAdaptation::GetHarqFailureProbabilities(10, s50, rayleigh, 1, 50, 4, true);
        const double e1 = std::exp(-1.0);
        NS_TEST_ASSERT_MSG_EQ_TOL(q[1] / (1 - e1), 1, 0.02, "q_1 " << q[1]);
        NS_TEST_ASSERT_MSG_EQ_TOL(q[2] / (1 - 2 * e1), 1, 0.02, "q_2 " << q[2]);
        NS_TEST_ASSERT_MSG_EQ_TOL(q[3] / (1 - 2.5 * e1), 1, 0.02, "q_3 " << q[3]);
        NS_TEST_ASSERT_MSG_EQ_TOL(q[4] / (1 - 8.0 / 3 * e1), 1, 0.02, "q_4 " << q[4]);
        // Without combining the first two transmissions are independent: q_2 = q_1^2.
        std::vector<double> independent =
            NrLinkAdaptation::GetHarqFailureProbabilities(10, s50, rayleigh, 1, 50, 4, false);
        NS_TEST_ASSERT_MSG_EQ_TOL(independent[2], q[1] * q[1], 1e-12, "independent");
        // The diagnosis of the drops without an outer loop, idealized: the MCS picked exactly at
        // an earlier exponential draw h1 (c = h1) fails 4 Chase-combined transmissions with
        // P(Gamma(4, 1) < Exp(1)) = E[e^-Gamma(4,1)] = (1 + 1)^-4 = 1/16.
        double dropped = 0;
        for (double h1 : rayleigh)
        {
            dropped += NrLinkAdaptation::GetHarqFailureProbabilities(10,
                                                                     s50 - h1,
                                                                     rayleigh,
                                                                     1,
                                                                     50,
                                                                     4,
                                                                     true)
                           .back() /
                       64;
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(dropped, 1.0 / 16, 0.0625 * 0.03, "1/16");

        // The outer loop's equilibrium without fading, 20 RBs, SINR s = t10 + 0.3 dB: the offset
        // alternates around t11 - s, where the MCS steps from 10 to 11, a share u of the blocks
        // at MCS 11 with (1 - u) BLER_10(s) + u BLER_11(s) = 0.1.
        NrHarqSettings settings; // the base station's defaults: gap 1 dB, slope 1.5, 4, Chase
        const double sinr = t10 + 0.3;
        const double b10 = NrLinkAdaptation::GetBler(10, sinr, 1, 1.5);
        const double b11 = NrLinkAdaptation::GetBler(11, sinr, 1, 1.5);
        const double u = (0.1 - b10) / (b11 - b10); // (0.1 - 0.06616) / (0.17244 - 0.06616)
        NS_TEST_ASSERT_MSG_EQ_TOL(u, 0.31841, 1e-5, "share by hand");
        NrLinkExpectation link = NrLinkAdaptation::GetExpectedLink(sinr, 20, {}, settings);
        NS_TEST_ASSERT_MSG_EQ(link.lowerMcs, 10, "");
        NS_TEST_ASSERT_MSG_EQ(link.upperMcs, 11, "");
        NS_TEST_ASSERT_MSG_EQ_TOL(link.upperShare, u, 1e-12, "share");
        NS_TEST_ASSERT_MSG_EQ_TOL(link.offsetDb,
                                  NrLinkAdaptation::GetSinrThresholdDb(11, 1) - sinr,
                                  1e-12,
                                  "offset");
        NS_TEST_ASSERT_MSG_EQ_TOL(link.firstBler, 0.1, 1e-12, "first-transmission BLER");
        // Goodput: per side, delivered bits TBS (1 - q_4) over slots 1 + q_1 + q_2 + q_3.
        auto side = [&](uint32_t mcs, double& bits, double& slots) {
            std::vector<double> f =
                NrLinkAdaptation::GetHarqFailureProbabilities(mcs, sinr, {}, 1, 1.5, 4, true);
            bits = NrLinkAdaptation::GetTransportBlockSizeBits(mcs, 20) * (1 - f[4]);
            slots = 1 + f[1] + f[2] + f[3];
        };
        double bits10;
        double slots10;
        double bits11;
        double slots11;
        side(10, bits10, slots10); // TBS 4096 bits
        side(11, bits11, slots11); // TBS 4608 bits
        NS_TEST_ASSERT_MSG_EQ_TOL(link.bitsPerSlot,
                                  ((1 - u) * bits10 + u * bits11) /
                                      ((1 - u) * slots10 + u * slots11),
                                  1e-9,
                                  "goodput");
        NS_TEST_ASSERT_MSG_EQ_TOL(link.bitsPerSlot, 3871.28, 0.01, "about 4096 * 0.945");
        settings.olla = false;
        link = NrLinkAdaptation::GetExpectedLink(sinr, 20, {}, settings);
        NS_TEST_ASSERT_MSG_EQ_TOL(link.bitsPerSlot, bits10 / slots10, 1e-9, "without OLLA");
        NS_TEST_ASSERT_MSG_EQ(link.offsetDb, 0, "");
        NS_TEST_ASSERT_MSG_EQ_TOL(NrLinkAdaptation::GetExpectedFirstBler(sinr, 0, {}, 1, 1.5),
                                  b10,
                                  1e-12,
                                  "");

        // Rayleigh fading, mean SINR 10 dB, 51 RBs: without the outer loop the MCS picked from
        // an independent draw fails often (first BLER 0.39) and 2.1% of the blocks are dropped;
        // the loop settles about 7.7 dB below the measurement, where the first-transmission
        // BLER is the target (a bit above it: NACKs of blocks at MCS 0 below offset 0 do not
        // count) and drops become rare. The i.i.d. fading makes the measurement worthless for
        // the next slot, so the robust MCS costs goodput.
        settings.olla = true;
        NrLinkExpectation withLoop = NrLinkAdaptation::GetExpectedLink(10, 51, rayleigh, settings);
        settings.olla = false;
        NrLinkExpectation without = NrLinkAdaptation::GetExpectedLink(10, 51, rayleigh, settings);
        NS_TEST_ASSERT_MSG_EQ_TOL(without.firstBler, 0.39, 0.01, "");
        NS_TEST_ASSERT_MSG_EQ_TOL(without.residualBler, 0.021, 0.002, "");
        NS_TEST_ASSERT_MSG_EQ_TOL(withLoop.firstBler, 0.1, 0.005, "");
        NS_TEST_ASSERT_MSG_LT(withLoop.residualBler, 1e-3, "");
        NS_TEST_ASSERT_MSG_LT(withLoop.offsetDb, -7, "");
        NS_TEST_ASSERT_MSG_GT(withLoop.offsetDb, -8.5, "");
        NS_TEST_ASSERT_MSG_LT(withLoop.bitsPerSlot, without.bitsPerSlot, "");
        // The offset sits where the first-transmission BLER steps across the target.
        NS_TEST_ASSERT_MSG_LT_OR_EQ(
            NrLinkAdaptation::GetExpectedFirstBler(10, withLoop.offsetDb - 0.5, rayleigh, 1, 1.5),
            0.1,
            "");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(
            NrLinkAdaptation::GetExpectedFirstBler(10, withLoop.offsetDb + 0.5, rayleigh, 1, 1.5),
            0.1,
            "");
        // At 40 dB every block is at MCS 28: anti-windup keeps the offset at 0, the loop changes
        // nothing.
        settings.olla = true;
        withLoop = NrLinkAdaptation::GetExpectedLink(40, 51, rayleigh, settings);
        settings.olla = false;
        without = NrLinkAdaptation::GetExpectedLink(40, 51, rayleigh, settings);
        NS_TEST_ASSERT_MSG_EQ(withLoop.offsetDb, 0, "");
        NS_TEST_ASSERT_MSG_EQ_TOL(withLoop.bitsPerSlot, without.bitsPerSlot, 1e-9, "");
    }
};

/// The RB schedulers, on hand-made demands.
class SchedulerTestCase : public TestCase
{
  public:
    SchedulerTestCase()
        : TestCase("RB schedulers: shares exact on average, round robin, proportional fair")
    {
    }

  private:
    void DoRun() override
    {
        const double unset = std::numeric_limits<double>::quiet_NaN();
        OfdmaDemand backlogged;
        backlogged.active = true;
        backlogged.rbNeeded = 51;
        backlogged.bitsPerRb = 800;

        // Shares 0.3 / 0.7 of 51 RB: 15.3 and 35.7 RB a slot; over 1000 slots 15300 and 35700
        // up to the one RB a credit may still hold (the fractions carry).
        Ptr<OfdmaSharesScheduler> shares = CreateObject<OfdmaSharesScheduler>();
        shares->Configure(2, 51);
        shares->SetShares({0.3, 0.7});
        int64_t total[2] = {0, 0};
        for (int slot = 0; slot < 1000; ++slot)
        {
            auto grant = shares->Allocate({backlogged, backlogged});
            NS_TEST_ASSERT_MSG_LT_OR_EQ(grant[0] + grant[1], 51, "at most 51 RB");
            total[0] += grant[0];
            total[1] += grant[1];
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(total[0], 15300, 1, "0.3 * 51 * 1000");
        NS_TEST_ASSERT_MSG_EQ_TOL(total[1], 35700, 1, "0.7 * 51 * 1000");

        // Unset shares split the remainder: {0.4, unset, unset} -> 0.3 each.
        shares->Configure(3, 51);
        shares->SetShares({0.4, unset, unset});
        auto effective = shares->GetEffectiveShares();
        NS_TEST_ASSERT_MSG_EQ_TOL(effective[1], 0.3, 1e-12, "remainder split");
        // A device needing 4 RB gets 4 of its 20.4. Work-conserving (the default): the others
        // get floor(15.3) = 15 each, then the 51 - 34 = 17 left in proportion to their shares
        // (0.3 : 0.3): 8 each, and the last one to the first in the rotating order that still
        // wants RBs (device 1): 24 and 23, all 51 used.
        OfdmaDemand small = backlogged;
        small.rbNeeded = 4;
        auto grant = shares->Allocate({small, backlogged, backlogged});
        NS_TEST_ASSERT_MSG_EQ(grant[0], 4, "capped at its need");
        NS_TEST_ASSERT_MSG_EQ(grant[1], 24, "15 + 8 + the last RB");
        NS_TEST_ASSERT_MSG_EQ(grant[2], 23, "15 + 8");
        // A strict partition leaves the 17 idle.
        Ptr<OfdmaSharesScheduler> strict = CreateObject<OfdmaSharesScheduler>();
        strict->SetAttribute("WorkConserving", BooleanValue(false));
        strict->Configure(3, 51);
        strict->SetShares({0.4, unset, unset});
        grant = strict->Allocate({small, backlogged, backlogged});
        NS_TEST_ASSERT_MSG_EQ(grant[0], 4, "strict: capped at its need");
        NS_TEST_ASSERT_MSG_EQ(grant[1], 15, "strict: floor(0.3 * 51)");
        NS_TEST_ASSERT_MSG_EQ(grant[2], 15, "strict: floor(0.3 * 51)");
        // Work-conserving with one device idle: the busy one takes every RB although its share
        // is 0.3, and its guarantee is unchanged when the others return (credit untouched).
        OfdmaDemand idle;
        grant = shares->Allocate({idle, backlogged, idle});
        NS_TEST_ASSERT_MSG_EQ(grant[1], 51, "every RB to the only busy device");

        // Round robin: 3 backlogged devices, 51 RB: 17 each; one needs 5: the others 23 each.
        Ptr<OfdmaScheduler> rr = CreateObject<OfdmaRoundRobinScheduler>();
        rr->Configure(3, 51);
        grant = rr->Allocate({backlogged, backlogged, backlogged});
        NS_TEST_ASSERT_MSG_EQ(grant[0] + grant[1] + grant[2], 51, "all RBs used");
        NS_TEST_ASSERT_MSG_EQ(grant[2], 17, "51 / 3");
        small.rbNeeded = 5;
        grant = rr->Allocate({small, backlogged, backlogged});
        NS_TEST_ASSERT_MSG_EQ(grant[0], 5, "its need");
        NS_TEST_ASSERT_MSG_EQ(grant[1], 23, "(51 - 5) / 2");

        // Proportional fair, two backlogged devices with equal rates: equal RBs on average.
        Ptr<OfdmaScheduler> pf = CreateObject<OfdmaProportionalFairScheduler>();
        pf->Configure(2, 51);
        uint64_t pfTotal[2] = {0, 0};
        for (int slot = 0; slot < 1000; ++slot)
        {
            grant = pf->Allocate({backlogged, backlogged});
            pfTotal[0] += grant[0];
            pfTotal[1] += grant[1];
        }
        NS_TEST_ASSERT_MSG_EQ(pfTotal[0] + pfTotal[1], 51000, "work conserving");
        NS_TEST_ASSERT_MSG_EQ_TOL(double(pfTotal[0]) / pfTotal[1], 1.0, 0.05, "fair");
    }
};

/// Bad scheduler input.
class SchedulerBadInputTestCase : public TestCase
{
  public:
    SchedulerBadInputTestCase()
        : TestCase("schedulers: unknown name, negative share, shares above 1 are named")
    {
    }

  private:
    void DoRun() override
    {
        TypeId tid;
        NS_TEST_ASSERT_MSG_EQ(OfdmaCellHelper::LookupSchedulerName("pf", tid), "", "");
        NS_TEST_ASSERT_MSG_EQ(OfdmaCellHelper::LookupSchedulerName("edf", tid),
                              "scheduler='edf' is not known; allowed: shares, pf, rr",
                              "");
        NS_TEST_ASSERT_MSG_EQ(OfdmaSharesScheduler::CheckShares({0.3, 0.7}), "", "sum 1");
        NS_TEST_ASSERT_MSG_EQ(OfdmaSharesScheduler::CheckShares({0.6, 0.5}),
                              "shares sum to 1.1 is invalid: must be at most 1",
                              "");
        NS_TEST_ASSERT_MSG_EQ(OfdmaSharesScheduler::CheckShares({-0.1, 0.5}),
                              "share=-0.1 of device 0 is invalid: must be in [0, 1]",
                              "");
        NS_TEST_ASSERT_MSG_EQ(
            OfdmaSharesScheduler::CheckShares({0.1, std::numeric_limits<double>::infinity()}),
            "share=inf of device 1 is invalid: must be in [0, 1]",
            "");
    }
};

} // namespace

/**
 * \ingroup edge-llm-tests
 * Numerology, link adaptation and schedulers of the OFDMA cell.
 */
class NrLinkAdaptationTestSuite : public TestSuite
{
  public:
    NrLinkAdaptationTestSuite()
        : TestSuite("edge-llm-nr-link-adaptation", TestSuite::UNIT)
    {
        AddTestCase(new NumerologyTestCase);
        AddTestCase(new NumerologyBadInputTestCase);
        AddTestCase(new TbsTestCase);
        AddTestCase(new LinkModelTestCase);
        AddTestCase(new OllaTestCase);
        AddTestCase(new SchedulerTestCase);
        AddTestCase(new SchedulerBadInputTestCase);
    }
};

/// The suite's instance.
static NrLinkAdaptationTestSuite g_nrLinkAdaptationTestSuite;
