/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/galaxy-exhaustive-oracle.h"
#include "ns3/galaxy-planner.h"
#include "ns3/test.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

/**
 * \file
 * \ingroup edge-llm-tests
 * Galaxy's planner: a layer split by hand, with and without a memory limit; the exhaustive
 * oracle's optimum on random instances (ring and shared-channel collectives); no split that
 * fits is a result, not a crash.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \brief A layer over devices of given speeds: attention, MLP and connective times linear in
 * the share plus a per-kernel overhead when the share is not empty; the memory holds
 * heads x headWeight + units x unitWeight + base up to each device's capacity; the collectives
 * are a ring on equal links (each of the D - 1 steps of a ReduceScatter and of an AllGather
 * waits for the largest chunk) or a shared channel (the bytes of the whole split, serialised).
 */
class LinearGalaxyProblem : public GalaxyPlanningProblem
{
  public:
    uint32_t devices{2};                 //!< D
    uint32_t heads{4};                   //!< a
    uint32_t units{4};                   //!< U
    uint32_t tokens{4};                  //!< s
    std::vector<double> secondsPerHead;  //!< per device
    std::vector<double> secondsPerUnit;  //!< per device
    std::vector<double> secondsPerToken; //!< per device
    std::vector<double> overhead;        //!< per device, per non-empty share
    std::vector<double> capacity;        //!< per device; infinity when not limited
    double headWeight{1};                //!< memory of a head
    double unitWeight{1};                //!< memory of a unit
    double base{0};                      //!< memory every device holds
    double secondsPerChunkToken{1};      //!< ring: one step's time per token of the largest chunk
    bool sharedChannel{false};           //!< collectives on a shared channel instead of a ring

    uint32_t GetDeviceCount() const override
    {
        return devices;
    }

    uint32_t GetHeads() const override
    {
        return heads;
    }

    uint32_t GetUnits() const override
    {
        return units;
    }

    uint32_t GetTokens() const override
    {
        return tokens;
    }

    double GetAttentionSeconds(uint32_t device, uint32_t h) const override
    {
        return h == 0 ? 0 : overhead[device] + h * secondsPerHead[device];
    }

    double GetMlpSeconds(uint32_t device, uint32_t c) const override
    {
        return c == 0 ? 0 : overhead[device] + c * secondsPerUnit[device];
    }

    double GetConnectiveSeconds(uint32_t device, uint32_t t) const override
    {
        return t == 0 ? 0 : t * secondsPerToken[device];
    }

    double GetCollectiveSeconds(const std::vector<uint32_t>& split) const override
    {
        if (sharedChannel)
        {
            // every device's chunk crosses the channel D - 1 times, one after another
            return 2.0 * (devices - 1) * tokens * secondsPerChunkToken / devices;
        }
        const uint32_t largest = *std::max_element(split.begin(), split.end());
        return 2.0 * (devices - 1) * largest * secondsPerChunkToken;
    }

    bool Fits(uint32_t device, uint32_t h, uint32_t c) const override
    {
        return base + h * headWeight + c * unitWeight <= capacity[device] + 1e-12;
    }
};

/// Two devices, the first twice as fast, no overheads.
LinearGalaxyProblem
HandProblem()
{
    LinearGalaxyProblem p;
    p.secondsPerHead = {1, 2};
    p.secondsPerUnit = {1, 2};
    p.secondsPerToken = {0.1, 0.2};
    p.overhead = {0, 0};
    p.capacity = {1e9, 1e9};
    return p;
}

/**
 * \param seed the instance
 * \return a random instance within the oracle's limits
 */
LinearGalaxyProblem
RandomProblem(uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    LinearGalaxyProblem p;
    p.devices = 2 + rng() % 3;
    p.heads = 2 + rng() % 7;
    p.units = 2 + rng() % 7;
    p.tokens = 2 + rng() % 9;
    p.headWeight = 1 + u(rng);
    p.unitWeight = 1 + u(rng);
    p.base = u(rng);
    p.sharedChannel = seed % 3 == 0;
    p.secondsPerChunkToken = 0.05 * u(rng);
    double total = p.base * p.devices + p.heads * p.headWeight + p.units * p.unitWeight;
    for (uint32_t i = 0; i < p.devices; ++i)
    {
        const double speed = 0.3 + 2 * u(rng);
        p.secondsPerHead.push_back((0.5 + u(rng)) / speed);
        p.secondsPerUnit.push_back((0.5 + u(rng)) / speed);
        p.secondsPerToken.push_back(0.02 * (0.5 + u(rng)) / speed);
        p.overhead.push_back(0.2 * u(rng));
        // half the instances limit memory: 0.6 to 1.6 fair shares (some fit nothing)
        p.capacity.push_back(seed % 2 == 0 ? p.base + (0.6 + 1.0 * u(rng)) * total / p.devices
                                           : 1e9);
    }
    return p;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Two devices, the first twice as fast: heads and columns 3 + 1, tokens 2 + 2, 14.8 s by hand;
 * with device 0 holding at most 4 heads and units together, 2 + 2 of each, 16.8 s.
 */
class GalaxyHandTestCase : public TestCase
{
  public:
    GalaxyHandTestCase()
        : TestCase("Galaxy planner: a layer split by hand, with and without a memory limit")
    {
    }

  private:
    void DoRun() override
    {
        LinearGalaxyProblem p = HandProblem();
        GalaxyPlan plan = GalaxyPlanner::Solve(p);
        // heads: max(h0 x 1, (4 - h0) x 2) is least at h0 = 3 (3 s); columns alike. Tokens:
        // R = one ReduceScatter + one AllGather on the ring = 2 x (D - 1) x max t x 1 s, so
        // (2, 2) gives 2 x (4 + max(0.2, 0.4)) = 8.8 s against 2 x (6 + 0.3) for (3, 1).
        NS_TEST_ASSERT_MSG_EQ((plan.heads == std::vector<uint32_t>{3, 1}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ((plan.units == std::vector<uint32_t>{3, 1}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ((plan.tokens == std::vector<uint32_t>{2, 2}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.attentionSeconds, 3.0, 1e-12, "max(3 x 1, 1 x 2)");
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.collectiveSeconds, 4.0, 1e-12, "2 x (2 - 1) x 2 tokens");
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.connectiveSeconds, 0.4, 1e-12, "max(2 x 0.1, 2 x 0.2)");
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.layerSeconds, 3 + 3 + 2 * (4 + 0.4), 1e-12, "14.8 s");

        // device 0 holds h0 + c0 <= 4: (2, 2) gives 4 + 4 = 8 s against 9 s for (3, 1) or
        // (1, 3): the fast device gets less than its compute share, as its memory allows
        p.capacity[0] = 4;
        plan = GalaxyPlanner::Solve(p);
        NS_TEST_ASSERT_MSG_EQ((plan.heads == std::vector<uint32_t>{2, 2}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ((plan.units == std::vector<uint32_t>{2, 2}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.layerSeconds, 8 + 2 * (4 + 0.4), 1e-12, "16.8 s");

        // neither device holds half the layer: no split fits
        p.capacity = {3, 3};
        plan = GalaxyPlanner::Solve(p);
        NS_TEST_ASSERT_MSG_EQ(plan.IsFeasible(), false, plan.ToString());
        uint64_t tried = 0;
        NS_TEST_ASSERT_MSG_EQ(GalaxyExhaustiveOracle::Solve(p, tried).IsFeasible(),
                              false,
                              "the oracle agrees");
    }
};

/**
 * \ingroup edge-llm-tests
 * The planner's layer time equals the exhaustive oracle's (within 1e-9) on random instances:
 * 2-4 devices, up to 8 heads and units and 10 tokens, half with memory limits, a third with a
 * shared-channel collective.
 */
class GalaxyOracleTestCase : public TestCase
{
  public:
    /// \param instances how many random instances
    explicit GalaxyOracleTestCase(uint32_t instances)
        : TestCase("Galaxy planner equals the exhaustive oracle on " + std::to_string(instances) +
                   " random instances"),
          m_instances(instances)
    {
    }

  private:
    void DoRun() override
    {
        uint32_t infeasible = 0;
        uint32_t memoryBound = 0;
        for (uint32_t seed = 1; seed <= m_instances; ++seed)
        {
            const LinearGalaxyProblem p = RandomProblem(seed);
            uint64_t tried = 0;
            const GalaxyPlan oracle = GalaxyExhaustiveOracle::Solve(p, tried);
            const GalaxyPlan plan = GalaxyPlanner::Solve(p);
            std::ostringstream what;
            what << "instance " << seed << ": planner " << plan.ToString() << ", oracle "
                 << oracle.ToString();
            NS_TEST_ASSERT_MSG_EQ(plan.IsFeasible(), oracle.IsFeasible(), what.str());
            if (!oracle.IsFeasible())
            {
                ++infeasible;
                continue;
            }
            NS_TEST_ASSERT_MSG_EQ_TOL(plan.layerSeconds,
                                      oracle.layerSeconds,
                                      1e-9 * oracle.layerSeconds,
                                      what.str());
            // the plan is what it claims: re-costed from its lists
            GalaxyPlan again = plan;
            p.Evaluate(again);
            NS_TEST_ASSERT_MSG_EQ_TOL(again.layerSeconds, plan.layerSeconds, 1e-12, what.str());
            // memory bound: the split that ignores memory would not fit
            LinearGalaxyProblem unlimited = p;
            std::fill(unlimited.capacity.begin(), unlimited.capacity.end(), 1e9);
            GalaxyPlan free = GalaxyPlanner::Solve(unlimited);
            p.Evaluate(free);
            memoryBound += free.IsFeasible() ? 0 : 1;
        }
        // the instance set exercises both regimes
        std::clog << "  " << memoryBound << " memory-bound and " << infeasible
                  << " infeasible instances of " << m_instances << std::endl;
        NS_TEST_ASSERT_MSG_GT(memoryBound, m_instances / 10, "memory-bound instances");
        NS_TEST_ASSERT_MSG_LT(infeasible, m_instances / 2, "mostly feasible instances");
    }

    uint32_t m_instances; //!< random instances
};

/**
 * \ingroup edge-llm-tests
 * \brief The Galaxy planner suite.
 */
class GalaxyPlannerTestSuite : public TestSuite
{
  public:
    GalaxyPlannerTestSuite()
        : TestSuite("edge-llm-galaxy-planner", TestSuite::UNIT)
    {
        AddTestCase(new GalaxyHandTestCase);
        AddTestCase(new GalaxyOracleTestCase(60));
        AddTestCase(new GalaxyOracleTestCase(300), TestCase::EXTENSIVE);
    }
};

static GalaxyPlannerTestSuite g_galaxyPlannerTestSuite; //!< registration
