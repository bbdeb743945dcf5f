/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/bottleneck-matcher.h"
#include "ns3/crunch-matcher.h"
#include "ns3/jbba-solver.h"
#include "ns3/lola-bandwidth-split.h"
#include "ns3/lola-exhaustive-oracle.h"
#include "ns3/min-cost-assignment.h"
#include "ns3/test.h"

#include <cmath>
#include <limits>
#include <random>
#include <sstream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

constexpr double INF = std::numeric_limits<double>::infinity();

/**
 * \brief A random LoLa DEFT round: devices of different speeds, memories and channels, blocks
 * whose compute grows with depth, uploads comparable to the compute.
 * \param seed the instance
 * \param devices K
 * \param blocks M <= K
 * \return the problem
 */
LolaAllocationProblem
RandomProblem(uint32_t seed, uint32_t devices, uint32_t blocks, bool tables = false)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    LolaAllocationProblem p;
    p.bandwidthHz = 20e6;
    p.maxSpectralEfficiency = seed % 2 ? 5.55 : 0.0;
    // equal blocks (identical layers), or gradients growing with depth
    const bool equal = seed % 3 != 0;
    for (uint32_t m = 0; m < blocks; ++m)
    {
        p.blockBits.push_back(equal ? 40e6 : 20e6 + 10e6 * m + 5e6 * u(rng));
    }
    std::vector<double> work;
    for (uint32_t m = 0; m < blocks; ++m)
    {
        work.push_back(0.1 + u(rng));
    }
    for (uint32_t k = 0; k < devices; ++k)
    {
        LolaDevice d;
        const double speed = 0.5 + 2.5 * u(rng);
        const double base = 0.5 * u(rng);
        // memory: most devices hold every block, some only the shallow ones (in one instance
        // of five, every device may be short of memory)
        const double shortOfMemory = seed % 5 == 0 ? 1.0 : 0.3;
        const uint32_t holds =
            u(rng) < shortOfMemory ? 1 + static_cast<uint32_t>(u(rng) * blocks) : blocks;
        double t = base;
        for (uint32_t m = 0; m < blocks; ++m)
        {
            t += work[m] / speed;
            d.computeSeconds.push_back(t);
            d.fits.push_back(m < holds);
        }
        d.snr = std::pow(10.0, 3.0 * u(rng)); // 0 to 30 dB over the band
        if (tables)
        {
            // a cell of 24 RBs whose rate follows MCS steps: the Shannon rate of n RBs rounded
            // down to a step of 1/8 bit/s/Hz, kept non-decreasing
            const uint32_t rbs = 24;
            d.rateByResourceBlocks.assign(rbs + 1, 0.0);
            for (uint32_t n = 1; n <= rbs; ++n)
            {
                const double share = static_cast<double>(n) / rbs;
                const double efficiency = std::floor(8 * std::log2(1 + d.snr / share)) / 8;
                d.rateByResourceBlocks[n] =
                    std::max(d.rateByResourceBlocks[n - 1], share * p.bandwidthHz * efficiency);
            }
        }
        p.devices.push_back(d);
    }
    return p;
}

/// the latencies with a fixed share per device (what the block step sees)
std::vector<std::vector<double>>
LatencyAt(const LolaAllocationProblem& p, const std::vector<double>& share)
{
    std::vector<std::vector<double>> latency(p.GetDeviceCount());
    for (uint32_t k = 0; k < p.GetDeviceCount(); ++k)
    {
        for (uint32_t m = 0; m < p.GetBlockCount(); ++m)
        {
            latency[k].push_back(p.GetLatency(k, m, share[k]));
        }
    }
    return latency;
}

/**
 * \ingroup edge-llm-tests
 * \brief CRUNCH against enumeration and the textbook bottleneck assignment.
 */
class CrunchTestCase : public TestCase
{
  public:
    CrunchTestCase()
        : TestCase("CRUNCH: the Checking rule by hand; the least bottleneck equals enumeration's "
                   "and the augmenting-path matcher's on 120 random depth-monotone instances")
    {
    }

  private:
    void DoRun() override
    {
        // Checking by hand: prefixes {3, 1, 1} cannot cover 3 blocks (two devices can only
        // take block 0); {3, 2, 1} can
        NS_TEST_ASSERT_MSG_EQ(CrunchMatcher::CanMatchAll({3, 1, 1}, 3), false, "3,1,1");
        NS_TEST_ASSERT_MSG_EQ(CrunchMatcher::CanMatchAll({1, 3, 2}, 3), true, "3,2,1");
        NS_TEST_ASSERT_MSG_EQ(CrunchMatcher::CanMatchAll({2, 2, 0, 2}, 3), false, "no deep");
        // a hand case: device 0 fast, device 1 slow; the slow one must take the shallow block
        // (bottleneck max(4, 5) = 5, not max(2, 9) = 9)
        const BlockMatching hand = CrunchMatcher::Match({{2, 4}, {5, 9}});
        NS_TEST_ASSERT_MSG_EQ(hand.blockOfDevice[0], 1, "fast device takes the deep block");
        NS_TEST_ASSERT_MSG_EQ(hand.blockOfDevice[1], 0, "slow device the shallow one");
        NS_TEST_ASSERT_MSG_EQ(hand.bottleneckSeconds, 5.0, "bottleneck");
        NS_TEST_ASSERT_MSG_EQ(CrunchMatcher::Validate({{2, 1}, {1, 2}}).empty(),
                              false,
                              "a row falling with depth is refused");

        uint32_t instances = 0;
        uint32_t infeasible = 0;
        for (uint32_t seed = 1; seed <= 120; ++seed)
        {
            const uint32_t devices = 2 + seed % 6;
            const uint32_t blocks = 1 + (seed * 7) % devices;
            const LolaAllocationProblem p = RandomProblem(seed, devices, blocks);
            std::mt19937 rng(seed);
            std::uniform_real_distribution<double> u(0.05, 1.0);
            std::vector<double> share;
            for (uint32_t k = 0; k < devices; ++k)
            {
                share.push_back(u(rng) / devices);
            }
            const auto latency = LatencyAt(p, share);
            if (!p.IsDepthMonotone())
            {
                continue; // growing gradients can make a row fall nowhere; kept for JBBA
            }
            NS_TEST_ASSERT_MSG_EQ(CrunchMatcher::Validate(latency), "", "seed " << seed);
            const BlockMatching crunch = CrunchMatcher::Match(latency);
            const BlockMatching oracle = LolaExhaustiveOracle::MatchBlocks(latency);
            const BlockMatching textbook = BottleneckMatcher::Match(latency);
            NS_TEST_ASSERT_MSG_EQ(crunch.bottleneckSeconds,
                                  oracle.bottleneckSeconds,
                                  "seed " << seed << ": CRUNCH vs enumeration");
            NS_TEST_ASSERT_MSG_EQ(textbook.bottleneckSeconds,
                                  oracle.bottleneckSeconds,
                                  "seed " << seed << ": augmenting paths vs enumeration");
            if (crunch.IsFeasible())
            {
                // the matching is what it claims: every block once, its bottleneck as said
                std::vector<uint32_t> owners(blocks, 0);
                double worst = 0;
                for (uint32_t k = 0; k < devices; ++k)
                {
                    if (crunch.blockOfDevice[k] >= 0)
                    {
                        ++owners[crunch.blockOfDevice[k]];
                        worst = std::max(worst, latency[k][crunch.blockOfDevice[k]]);
                    }
                }
                for (uint32_t n : owners)
                {
                    NS_TEST_ASSERT_MSG_EQ(n, 1u, "seed " << seed << ": each block once");
                }
                NS_TEST_ASSERT_MSG_EQ(worst, crunch.bottleneckSeconds, "seed " << seed);
            }
            else
            {
                ++infeasible;
            }
            ++instances;
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(instances, 50u, "at least 50 instances compared");
        NS_TEST_ASSERT_MSG_GT(infeasible, 0u, "some instances have no matching (memory)");
        NS_TEST_ASSERT_MSG_LT(infeasible, instances / 2, "most have one");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The bandwidth step against hand computations.
 */
class BandwidthSplitTestCase : public TestCase
{
  public:
    BandwidthSplitTestCase()
        : TestCase("LoLa bandwidth step: the min-max split by hand (equal finish times, a "
                   "quadratic), the rate's inverse and slope")
    {
    }

  private:
    void DoRun() override
    {
        // Two devices where the efficiency is capped (c = 5 bit/s/Hz over B = 1 MHz: the
        // rate is beta 5 Mbit/s): T = 1 s and 2 s, D = 5 Mbit each. Equal finish at L:
        // beta_k = 1 / (L - T_k), sum 1 -> L^2 - 5 L + 5 = 0 -> L = (5 + sqrt 5) / 2.
        LolaAllocationProblem p;
        p.bandwidthHz = 1e6;
        p.maxSpectralEfficiency = 5;
        p.blockBits = {5e6, 5e6};
        for (double t : {1.0, 2.0})
        {
            LolaDevice d;
            d.computeSeconds = {t, t + 1};
            d.fits = {true, true};
            d.snr = 1000; // knee at 1000 / 31 > 1: capped everywhere
            p.devices.push_back(d);
        }
        NS_TEST_ASSERT_MSG_EQ(p.Validate(), "", "valid");
        const double L = (5 + std::sqrt(5.0)) / 2;
        const LolaAllocation split = LolaBandwidthSplit::Split(p, {0, 1});
        // device 1 holds block 1 (T = 3 s): beta_0 = 1 / (L - 1), beta_1 = 1 / (L - 3)
        // -> L^2 - 6 L + 7 = 0 -> L = 3 + sqrt 2
        const double L2 = 3 + std::sqrt(2.0);
        NS_TEST_ASSERT_MSG_EQ_TOL(split.latencySeconds, L2, 1e-9, "L = 3 + sqrt 2");
        NS_TEST_ASSERT_MSG_EQ_TOL(split.share[0], 1 / (L2 - 1), 1e-9, "beta_0");
        NS_TEST_ASSERT_MSG_EQ_TOL(split.share[1], 1 / (L2 - 3), 1e-9, "beta_1");
        const LolaAllocation swapped = LolaBandwidthSplit::Split(p, {1, 0});
        // device 0 on block 1 (T = 2), device 1 on block 0 (T = 2): L = 2 + 2
        NS_TEST_ASSERT_MSG_EQ_TOL(swapped.latencySeconds, 4.0, 1e-9, "equal T: halves");
        LolaAllocationProblem q = p;
        q.blockBits = {5e6};
        q.devices[0].computeSeconds = {1};
        q.devices[1].computeSeconds = {2};
        q.devices[0].fits = q.devices[1].fits = {true};
        const LolaAllocation first = LolaBandwidthSplit::Split(q, {0, -1});
        NS_TEST_ASSERT_MSG_EQ_TOL(first.latencySeconds, 2.0, 1e-9, "alone: the whole band");
        LolaAllocationProblem r = p;
        r.devices[0].computeSeconds = {1, 1};
        r.devices[1].computeSeconds = {2, 2};
        const LolaAllocation both = LolaBandwidthSplit::Split(r, {0, 1});
        NS_TEST_ASSERT_MSG_EQ_TOL(both.latencySeconds, L, 1e-9, "L = (5 + sqrt 5) / 2");
        NS_TEST_ASSERT_MSG_EQ_TOL(both.share[0], 1 / (L - 1), 1e-9, "beta_0 = 0.381966");
        NS_TEST_ASSERT_MSG_EQ_TOL(both.share[0] + both.share[1], 1.0, 1e-12, "the whole band");

        // a device of a worse channel needs more of the band for the same upload
        LolaAllocationProblem s = p;
        s.maxSpectralEfficiency = 0;
        s.devices[0].snr = 10;
        s.devices[1].snr = 1;
        NS_TEST_ASSERT_MSG_GT(s.GetRequiredShare(1, 5e6, 1.0),
                              s.GetRequiredShare(0, 5e6, 1.0),
                              "the weaker channel needs more band");
        // the slope against a finite difference
        const double h = 1e-6;
        NS_TEST_ASSERT_MSG_EQ_TOL(s.GetRateSlope(0, 0.3),
                                  (s.GetRate(0, 0.3 + h) - s.GetRate(0, 0.3 - h)) / (2 * h),
                                  1e-4 * s.GetRate(0, 0.3),
                                  "slope");
        // the inverse of the rate, on both sides of the knee and without a cap
        for (const LolaAllocationProblem* problem : {&p, &s})
        {
            for (double share : {0.01, 0.2, 0.9, 3.0})
            {
                const double bits = problem->GetRate(0, share) * 2.0;
                NS_TEST_ASSERT_MSG_EQ_TOL(problem->GetRequiredShare(0, bits, 2.0),
                                          share,
                                          1e-9 * share,
                                          "inverse at " << share);
            }
        }
        NS_TEST_ASSERT_MSG_EQ(std::isinf(s.GetRequiredShare(1, 1e12, 1.0)),
                              true,
                              "beyond B snr / ln 2 no share suffices");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief JBBA's alternation and the bisection at the joint optimum found by enumeration.
 */
class JbbaTestCase : public TestCase
{
  public:
    JbbaTestCase()
        : TestCase("JBBA: block and bandwidth steps at (the issue asks within 1% of) enumeration's "
                   "joint optimum "
                   "(and the bisection equal to it) on 80 random instances, half with rate tables; "
                   "iterations "
                   "reported, optimality certified")
    {
    }

  private:
    void DoRun() override
    {
        // the Hungarian method by hand: rows pick columns 1, 0 (cost 1 + 2)
        std::vector<uint32_t> columns;
        NS_TEST_ASSERT_MSG_EQ_TOL(MinCostAssignment::Solve({{4, 1, 3}, {2, 0, 5}}, columns),
                                  3.0,
                                  1e-12,
                                  "Hungarian");
        NS_TEST_ASSERT_MSG_EQ(columns[0], 1u, "row 0");
        NS_TEST_ASSERT_MSG_EQ(columns[1], 0u, "row 1");

        uint32_t compared = 0;
        uint32_t iterations = 0;
        uint32_t maxIterations = 0;
        double worstGap = 0;
        double meanGap = 0;
        uint32_t tabled = 0;
        for (uint32_t seed = 1; compared < 80; ++seed)
        {
            const uint32_t devices = 3 + seed % 4;
            const uint32_t blocks = 2 + (seed * 5) % (devices - 1);
            // the second half: rates from tables of MCS steps (the cell's own model)
            const bool tables = compared >= 40;
            const LolaAllocationProblem p = RandomProblem(1000 + seed, devices, blocks, tables);
            const LolaAllocation oracle = LolaExhaustiveOracle::SolveJoint(p);
            const LolaAllocation exact = JbbaSolver::SolveByBisection(p);
            const LolaAllocation dual = JbbaSolver::Solve(p, JbbaOptions());
            if (!oracle.IsFeasible())
            {
                NS_TEST_ASSERT_MSG_EQ(dual.IsFeasible(), false, "seed " << seed);
                NS_TEST_ASSERT_MSG_EQ(exact.IsFeasible(), false, "seed " << seed);
                continue;
            }
            NS_TEST_ASSERT_MSG_EQ_TOL(exact.latencySeconds,
                                      oracle.latencySeconds,
                                      (tables ? 1e-6 : 1e-9) * oracle.latencySeconds,
                                      "seed " << seed << ": exact vs enumeration");
            NS_TEST_ASSERT_MSG_EQ_TOL(p.Evaluate(dual),
                                      dual.latencySeconds,
                                      1e-9 * dual.latencySeconds,
                                      "seed " << seed << ": JBBA's allocation is what it says");
            const double gap = dual.latencySeconds / oracle.latencySeconds - 1;
            NS_TEST_ASSERT_MSG_GT_OR_EQ(gap, -1e-9, "seed " << seed << ": not below the optimum");
            NS_TEST_ASSERT_MSG_LT(gap,
                                  1e-9,
                                  "seed " << seed << ": at the optimum (the issue asks 1%)");
            tabled += tables ? 1 : 0;
            // JBBA proves it: one more block step a millionth below needs more than the band
            NS_TEST_ASSERT_MSG_EQ(dual.certifiedGap, 1e-6, "seed " << seed << ": certified");
            worstGap = std::max(worstGap, gap);
            meanGap += gap;
            iterations += dual.iterations;
            maxIterations = std::max(maxIterations, dual.iterations);
            ++compared;
        }
        std::ostringstream report;
        report << "JBBA on " << compared << " instances (" << tabled
               << " with rate tables): gap to the optimum mean " << 100 * meanGap / compared
               << "%, worst " << 100 * worstGap << "%; iterations mean "
               << static_cast<double>(iterations) / compared << ", max " << maxIterations;
        std::cout << report.str() << std::endl;
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The shared channel (Wi-Fi): the overlap timing by hand, and SharedChannelMatcher
 * against enumeration.
 */
class SharedChannelTestCase : public TestCase
{
  public:
    SharedChannelTestCase()
        : TestCase("Shared channel: overlapping uploads timed by hand; the contention-aware "
                   "block step within 1% of enumeration on 40 random instances, its gap bound "
                   "proven")
    {
    }

  private:
    void DoRun() override
    {
        // by hand: two devices at 1 Mbit/s alone, 1 Mbit each, computes end at 0 and 0.5 s,
        // 20% longer transmissions with two uploads at once. A alone moves 0.5 Mbit by 0.5 s;
        // then each moves 1 / (1.2 (1e-6 + 1e-6)) bit/s: A's last 0.5 Mbit take 1.2 s (ends
        // 1.7 s), B has 0.5 Mbit left, alone again: 0.5 s (ends 2.2 s).
        LolaAllocationProblem hand;
        hand.sharedChannel = true;
        hand.contentionFactor = {1.0, 1.2};
        hand.blockBits = {1e6, 1e6};
        for (double t : {0.0, 0.5})
        {
            LolaDevice d;
            d.computeSeconds = {t, t};
            d.fits = {true, true};
            d.channelRateBps = 1e6;
            hand.devices.push_back(d);
        }
        NS_TEST_ASSERT_MSG_EQ(hand.Validate(), "", "valid");
        const std::vector<double> finish = hand.GetSharedFinishSeconds({0, 1});
        NS_TEST_ASSERT_MSG_EQ_TOL(finish[0], 1.7, 1e-12, "A");
        NS_TEST_ASSERT_MSG_EQ_TOL(finish[1], 2.2, 1e-12, "B");
        LolaAllocation handAllocation;
        handAllocation.blockOfDevice = {1, 0};
        handAllocation.share = {0.3, 0.9}; // ignored: nobody grants shares
        NS_TEST_ASSERT_MSG_EQ_TOL(hand.Evaluate(handAllocation), 2.2, 1e-12, "latest end");
        handAllocation.blockOfDevice = {1, 1};
        NS_TEST_ASSERT_MSG_EQ(std::isinf(hand.Evaluate(handAllocation)), true, "block twice");
        // a third device, 2 Mbit/s alone, computing until 3 s, uploads alone: 3.5 s
        LolaDevice late = hand.devices[0];
        late.computeSeconds = {3, 3};
        late.channelRateBps = 2e6;
        hand.devices.push_back(late);
        NS_TEST_ASSERT_MSG_EQ_TOL(hand.GetSharedFinishSeconds({0, -1, 1})[2], 3.5, 1e-12, "late");
        hand.contentionFactor = {0.5};
        NS_TEST_ASSERT_MSG_NE(hand.Validate(), "", "a factor below 1 is refused");

        uint32_t compared = 0;
        double worstGap = 0;
        double meanGap = 0;
        double meanCertified = 0;
        double worstOblivious = 0;
        double meanOblivious = 0;
        uint32_t timed = 0;
        for (uint32_t seed = 1; compared < 40; ++seed)
        {
            const uint32_t devices = 3 + seed % 4;
            const uint32_t blocks = 2 + (seed * 5) % (devices - 1);
            LolaAllocationProblem p = RandomProblem(5000 + seed, devices, blocks);
            p.sharedChannel = true;
            std::mt19937 rng(seed);
            std::uniform_real_distribution<double> u(0, 1);
            for (LolaDevice& d : p.devices)
            {
                // 20 to 200 Mbit/s alone: uploads of 0.1 to 2 s, like the compute
                d.channelRateBps = 20e6 + 180e6 * u(rng);
            }
            for (uint32_t n = 1; n <= devices; ++n)
            {
                p.contentionFactor.push_back(1.0 + 0.05 * (n - 1));
            }
            const LolaAllocation oracle = LolaExhaustiveOracle::SolveJoint(p);
            const LolaAllocation matched = JbbaSolver::Solve(p, JbbaOptions());
            if (!oracle.IsFeasible())
            {
                NS_TEST_ASSERT_MSG_EQ(matched.IsFeasible(), false, "seed " << seed);
                continue;
            }
            NS_TEST_ASSERT_MSG_EQ_TOL(p.Evaluate(matched),
                                      matched.latencySeconds,
                                      1e-12 * matched.latencySeconds,
                                      "seed " << seed << ": the allocation is what it says");
            const double gap = matched.latencySeconds / oracle.latencySeconds - 1;
            NS_TEST_ASSERT_MSG_GT_OR_EQ(gap, -1e-12, "seed " << seed << ": not below enumeration");
            NS_TEST_ASSERT_MSG_LT(gap, 0.01, "seed " << seed << ": within 1% of enumeration");
            // the bound is a proof: the optimum is at least latency / (1 + certifiedGap)
            NS_TEST_ASSERT_MSG_GT_OR_EQ(matched.certifiedGap + 1e-12,
                                        gap,
                                        "seed " << seed << ": the gap bound holds");
            worstGap = std::max(worstGap, gap);
            meanGap += gap;
            meanCertified += matched.certifiedGap;
            // the contention-oblivious block step: the least bottleneck of the latencies alone
            std::vector<std::vector<double>> alone(devices);
            for (uint32_t k = 0; k < devices; ++k)
            {
                for (uint32_t m = 0; m < blocks; ++m)
                {
                    alone[k].push_back(p.GetLatency(k, m, 1.0));
                }
            }
            LolaAllocation oblivious;
            oblivious.blockOfDevice = BottleneckMatcher::Match(alone).blockOfDevice;
            oblivious.share.assign(devices, 0.0);
            const double obliviousGap = p.Evaluate(oblivious) / oracle.latencySeconds - 1;
            worstOblivious = std::max(worstOblivious, obliviousGap);
            meanOblivious += obliviousGap;
            timed += matched.iterations;
            ++compared;
        }
        std::cout << "Shared channel on " << compared << " instances: gap to enumeration mean "
                  << 100 * meanGap / compared << "%, worst " << 100 * worstGap
                  << "%; proven bound mean " << 100 * meanCertified / compared
                  << "%; matchings timed mean " << static_cast<double>(timed) / compared
                  << "; contention-oblivious matching mean " << 100 * meanOblivious / compared
                  << "%, worst " << 100 * worstOblivious << "% above" << std::endl;
        // the timing matters: ignoring the overlaps costs latency on some instances
        NS_TEST_ASSERT_MSG_GT(worstOblivious, 0.01, "the contention changes the best matching");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Bad problems are refused with their field named.
 */
class LolaProblemValidationTestCase : public TestCase
{
  public:
    LolaProblemValidationTestCase()
        : TestCase("LoLa allocation problem: bad inputs are named")
    {
    }

  private:
    void DoRun() override
    {
        LolaAllocationProblem p = RandomProblem(3, 3, 2);
        NS_TEST_ASSERT_MSG_EQ(p.Validate(), "", "valid");
        LolaAllocationProblem q = p;
        q.bandwidthHz = -1;
        NS_TEST_ASSERT_MSG_NE(q.Validate().find("bandwidthHz=-1"), std::string::npos, "band");
        q = p;
        q.blockBits.push_back(1);
        q.blockBits.push_back(1);
        NS_TEST_ASSERT_MSG_NE(q.Validate().find("devices=3"), std::string::npos, "too few");
        q = p;
        q.devices[1].computeSeconds[0] = -2;
        NS_TEST_ASSERT_MSG_NE(q.Validate().find("computeSeconds=-2"), std::string::npos, "t<0");
        q = p;
        q.blockBits[0] = INF;
        NS_TEST_ASSERT_MSG_NE(q.Validate().find("blockBits[0]=inf"), std::string::npos, "D");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief LoLa DEFT's optimizers, without any network.
 */
class LolaAllocationTestSuite : public TestSuite
{
  public:
    LolaAllocationTestSuite()
        : TestSuite("edge-llm-lola-allocation", TestSuite::UNIT)
    {
        AddTestCase(new CrunchTestCase(), TestCase::QUICK);
        AddTestCase(new BandwidthSplitTestCase(), TestCase::QUICK);
        AddTestCase(new JbbaTestCase(), TestCase::QUICK);
        AddTestCase(new SharedChannelTestCase(), TestCase::QUICK);
        AddTestCase(new LolaProblemValidationTestCase(), TestCase::QUICK);
    }
};

/// the suite's instance
LolaAllocationTestSuite g_lolaAllocationTestSuite;

} // namespace
