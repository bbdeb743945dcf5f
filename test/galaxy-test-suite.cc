/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/device-catalog.h"
#include "ns3/galaxy-cost-model.h"
#include "ns3/galaxy-exhaustive-oracle.h"
#include "ns3/galaxy-graph-builder.h"
#include "ns3/galaxy-planner.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/layer-cost.h"
#include "ns3/layer-kernels.h"
#include "ns3/task-graph-timer.h"
#include "ns3/test.h"

#include <algorithm>
#include <cmath>
#include <limits>
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
        const double members = split.size();
        if (members < 2)
        {
            return 0;
        }
        if (sharedChannel)
        {
            // every member's chunk crosses the channel D - 1 times, one after another
            return 2.0 * (members - 1) * tokens * secondsPerChunkToken / members;
        }
        const uint32_t largest = *std::max_element(split.begin(), split.end());
        return 2.0 * (members - 1) * largest * secondsPerChunkToken;
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
 * Two devices, the first twice as fast: heads and columns 3 + 1, tokens 2 + 2, 7.6 s by hand;
 * with dear collectives the first alone, 8.8 s; with device 0 holding at most 4 heads and units
 * together, 2 + 2 of each, 9.6 s.
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
        p.secondsPerChunkToken = 0.1;
        GalaxyPlan plan = GalaxyPlanner::Solve(p);
        // heads: max(h0 x 1, (4 - h0) x 2) is least at h0 = 3 (3 s); columns alike. Tokens:
        // R = one ReduceScatter + one AllGather on the ring = 2 x (D - 1) x max t x 0.1 s, so
        // (2, 2) gives 2 x (0.4 + max(0.2, 0.4)) = 1.6 s against 2 x (0.6 + 0.3) for (3, 1).
        // Device 0 alone: 4 + 4 + 2 x 0.4 = 8.8 s, no collective.
        NS_TEST_ASSERT_MSG_EQ((plan.heads == std::vector<uint32_t>{3, 1}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ((plan.units == std::vector<uint32_t>{3, 1}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ((plan.tokens == std::vector<uint32_t>{2, 2}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.attentionSeconds, 3.0, 1e-12, "max(3 x 1, 1 x 2)");
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.collectiveSeconds, 0.4, 1e-12, "2 x (2 - 1) x 2 x 0.1");
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.connectiveSeconds, 0.4, 1e-12, "max(2 x 0.1, 2 x 0.2)");
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.layerSeconds, 3 + 3 + 2 * (0.4 + 0.4), 1e-12, "7.6 s");

        // collectives ten times dearer: the ring costs more than it saves, device 0 works alone
        p.secondsPerChunkToken = 1;
        plan = GalaxyPlanner::Solve(p);
        NS_TEST_ASSERT_MSG_EQ((plan.heads == std::vector<uint32_t>{4, 0}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.collectiveSeconds, 0.0, 1e-12, "no ring of one");
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.layerSeconds, 4 + 4 + 2 * 0.4, 1e-12, "8.8 s");

        // device 0 holds h0 + c0 <= 4: (2, 2) gives 4 + 4 = 8 s against 9 s for (3, 1) or
        // (1, 3): the fast device gets less than its compute share, as its memory allows
        p.secondsPerChunkToken = 0.1;
        p.capacity[0] = 4;
        plan = GalaxyPlanner::Solve(p);
        NS_TEST_ASSERT_MSG_EQ((plan.heads == std::vector<uint32_t>{2, 2}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ((plan.units == std::vector<uint32_t>{2, 2}), true, plan.ToString());
        NS_TEST_ASSERT_MSG_EQ_TOL(plan.layerSeconds, 8 + 2 * (0.4 + 0.4), 1e-12, "9.6 s");

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
 * GalaxyCostModel against independent paths: the FLOPs of a split layer add up to the
 * workload model's layer (and the hand formula), the parameters of a whole share to the
 * workload model's parameter count, the collectives by hand.
 */
class GalaxyCostModelTestCase : public TestCase
{
  public:
    GalaxyCostModelTestCase()
        : TestCase("Galaxy cost model: FLOPs, parameters and collectives against other paths")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        spec.sequenceLength = 128;
        const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        std::vector<DeviceProfile> fleet = {catalog.Get("jetson-agx-orin"),
                                            catalog.Get("jetson-xavier-nx"),
                                            catalog.Get("jetson-nano")};
        GalaxyCollectiveLink wifi{true, 1e8, 0};
        GalaxyCostModel model(spec,
                              DataType::FP32,
                              64,
                              fleet,
                              CreateObject<KernelComputeModel>(),
                              wifi);
        NS_TEST_ASSERT_MSG_EQ(model.GetUnits(), 3072 / 64, "units of 64 columns");

        // a split's matrix-product FLOPs add up to the whole layer's
        const std::vector<uint32_t> heads = {5, 4, 3};
        const std::vector<uint32_t> units = {20, 16, 12};
        double flops = 0;
        for (uint32_t i = 0; i < 3; ++i)
        {
            flops += model.GetAttentionWork(heads[i]).GetTotalFlops();
            flops += model.GetMlpWork(units[i]).GetTotalFlops();
        }
        const double s = 128;
        const double d = 768;
        // 4 projections of d x d and two of d x 4d: 24 s d^2; scores and context: 4 s^2 d
        NS_TEST_ASSERT_MSG_EQ_TOL(flops, 24 * s * d * d + 4 * s * s * d, 1, "hand formula");
        TrainingRecipe inference;
        inference.kind = RecipeKind::INFERENCE;
        inference.microBatchSize = 1;
        const std::vector<LayerCost> layers = LayerCostModel::Compute(spec, inference);
        const std::vector<LayerKernels> kernels = LayerKernelModel::Compute(spec, inference);
        for (size_t i = 0; i < layers.size(); ++i)
        {
            if (layers[i].kind == LayerKind::ENCODER_BLOCK)
            {
                NS_TEST_ASSERT_MSG_EQ_TOL(
                    flops,
                    kernels[i].forward.GetClassFlops(KernelClass::GEMM) +
                        kernels[i].forward.GetClassFlops(KernelClass::ATTENTION),
                    1,
                    "the workload model's encoder block");
                break;
            }
        }

        // a device holding every head and column holds the whole model
        uint64_t parameterBytes = 0;
        for (const auto& layer : layers)
        {
            parameterBytes += layer.parameterBytes;
        }
        NS_TEST_ASSERT_MSG_EQ(model.GetParameterBytes(12, 48),
                              parameterBytes,
                              "whole share = the workload model's parameters");
        NS_TEST_ASSERT_MSG_LT(model.GetParameterBytes(5, 20),
                              model.GetParameterBytes(6, 20),
                              "a head more, more memory");

        // ReduceScatter + AllGather on a 100 Mb/s shared channel: 2 (D - 1) chunks of the
        // whole hidden state each cross the air: 2 x 2 x 128 x 768 x 4 x 8 / 1e8 s
        const double shared = 4 * 128 * 768 * 32 / 1e8;
        NS_TEST_ASSERT_MSG_EQ_TOL(model.GetCollectiveSeconds({43, 43, 42}), shared, 1e-12, "air");
        NS_TEST_ASSERT_MSG_EQ_TOL(model.GetCollectiveSeconds({128, 0, 0}),
                                  shared,
                                  1e-12,
                                  "any split");
        // switched links, 1 ms per step: each step waits for the 43-token chunk
        GalaxyCostModel lan(spec,
                            DataType::FP32,
                            64,
                            fleet,
                            CreateObject<KernelComputeModel>(),
                            GalaxyCollectiveLink{false, 1e8, 1e-3});
        NS_TEST_ASSERT_MSG_EQ_TOL(lan.GetCollectiveSeconds({43, 43, 42}),
                                  4 * (43 * 768 * 32 / 1e8 + 1e-3),
                                  1e-12,
                                  "ring steps");

        // bad input names the value
        NS_TEST_ASSERT_MSG_EQ(GalaxyCostModel::Check(spec, 100, fleet, wifi),
                              "columnGranule=100 is invalid: must divide the FFN size 3072",
                              "granule");
        NS_TEST_ASSERT_MSG_EQ(
            GalaxyCostModel::Check(spec, 64, fleet, GalaxyCollectiveLink{true, -1, 0}),
            "rateBps=-1 is invalid: must be positive and finite",
            "rate");
        NS_TEST_ASSERT_MSG_NE(
            GalaxyCostModel::Check(TransformerSpec::GetPreset("t5-base"), 64, fleet, wifi)
                .find("has an encoder and a decoder"),
            std::string::npos,
            "encoder-decoder refused");
    }
};

/**
 * \ingroup edge-llm-tests
 * Jetsons, fp16, prompts of 256 tokens: where Galaxy's split pays and where it does not.
 * - Four Nanos on a switched 1 Gbit/s LAN, GPT2-large: an even four-way split, faster than one
 *   Nano alone and than the even split's cost on Wi-Fi.
 * - The same on a 400 Mbit/s Wi-Fi channel: the collectives cost more than they save, one Nano
 *   works alone (the planner prices the ring, it does not assume it).
 * - OPT-1.3B does not fit one Nano (2 GiB available): the planner spreads it over the Nanos.
 * - A Xavier NX beside the Nanos runs alone: several times a Nano's rate, it gains nothing from
 *   their help.
 */
class GalaxyJetsonFleetTestCase : public TestCase
{
  public:
    GalaxyJetsonFleetTestCase()
        : TestCase("Galaxy on Jetsons: the split pays on a LAN, not on Wi-Fi or beside an NX")
    {
    }

  private:
    /// \param model a preset \param names the fleet \param link the network \return the costs
    static GalaxyCostModel Make(const std::string& model,
                                const std::vector<std::string>& names,
                                GalaxyCollectiveLink link)
    {
        const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        TransformerSpec spec = TransformerSpec::GetPreset(model);
        spec.sequenceLength = 256;
        std::vector<DeviceProfile> fleet;
        for (const auto& name : names)
        {
            fleet.push_back(catalog.Get(name));
        }
        return GalaxyCostModel(spec,
                               DataType::FP16,
                               64,
                               fleet,
                               CreateObject<KernelComputeModel>(),
                               link);
    }

    /// \param model the costs \param device a device \return its layer time alone, or infinity
    static double Alone(const GalaxyCostModel& model, uint32_t device)
    {
        if (!model.Fits(device, model.GetHeads(), model.GetUnits()))
        {
            return std::numeric_limits<double>::infinity();
        }
        return model.GetAttentionSeconds(device, model.GetHeads()) +
               model.GetMlpSeconds(device, model.GetUnits()) +
               2 * model.GetConnectiveSeconds(device, model.GetTokens());
    }

    /// \param plan a plan \return devices with a share
    static uint32_t Members(const GalaxyPlan& plan)
    {
        uint32_t members = 0;
        for (size_t i = 0; i < plan.heads.size(); ++i)
        {
            members += plan.heads[i] + plan.units[i] + plan.tokens[i] > 0 ? 1 : 0;
        }
        return members;
    }

    void DoRun() override
    {
        const std::vector<std::string> nanos(4, "jetson-nano");
        const GalaxyCollectiveLink lan{false, 1e9, 50e-6};
        const GalaxyCollectiveLink wifi{true, 4e8, 0};

        const GalaxyCostModel gptLan = Make("gpt2-large", nanos, lan);
        const GalaxyPlan onLan = GalaxyPlanner::Solve(gptLan);
        std::clog << "  gpt2-large, 4 Nanos, LAN: " << onLan.ToString() << "; one Nano "
                  << Alone(gptLan, 0) << " s" << std::endl;
        NS_TEST_ASSERT_MSG_EQ((onLan.heads == std::vector<uint32_t>(4, 5)), true, "even heads");
        NS_TEST_ASSERT_MSG_EQ((onLan.tokens == std::vector<uint32_t>(4, 64)), true, "even tokens");
        NS_TEST_ASSERT_MSG_LT(onLan.layerSeconds, 0.8 * Alone(gptLan, 0), "faster than one Nano");

        const GalaxyCostModel gptWifi = Make("gpt2-large", nanos, wifi);
        const GalaxyPlan onWifi = GalaxyPlanner::Solve(gptWifi);
        GalaxyPlan even = onLan;
        gptWifi.Evaluate(even);
        std::clog << "  gpt2-large, 4 Nanos, Wi-Fi: " << onWifi.ToString() << "; the LAN's split "
                  << even.layerSeconds << " s" << std::endl;
        NS_TEST_ASSERT_MSG_EQ(Members(onWifi), 1, "one Nano alone on Wi-Fi");
        NS_TEST_ASSERT_MSG_EQ_TOL(onWifi.layerSeconds, Alone(gptWifi, 0), 1e-12, "its time");
        NS_TEST_ASSERT_MSG_GT(even.layerSeconds, onWifi.layerSeconds, "the ring costs more");

        const GalaxyCostModel opt = Make("opt-1.3b", nanos, lan);
        const GalaxyPlan spread = GalaxyPlanner::Solve(opt);
        std::clog << "  opt-1.3b, 4 Nanos, LAN: " << spread.ToString() << std::endl;
        NS_TEST_ASSERT_MSG_EQ(opt.Fits(0, opt.GetHeads(), opt.GetUnits()), false, "too big");
        NS_TEST_ASSERT_MSG_EQ(spread.IsFeasible(), true, "spread over the Nanos it fits");
        NS_TEST_ASSERT_MSG_GT(Members(spread), 1, "more than one Nano");
        for (uint32_t i = 0; i < 4; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(opt.Fits(i, spread.heads[i], spread.units[i]), true, "fits");
        }

        const GalaxyCostModel mixed =
            Make("gpt2-large", {"jetson-nano", "jetson-nano", "jetson-xavier-nx"}, lan);
        const GalaxyPlan nx = GalaxyPlanner::Solve(mixed);
        std::clog << "  gpt2-large, 2 Nanos and an NX, LAN: " << nx.ToString() << std::endl;
        NS_TEST_ASSERT_MSG_EQ((nx.heads == std::vector<uint32_t>{0, 0, 20}), true, "the NX alone");
        NS_TEST_ASSERT_MSG_LT(Alone(mixed, 2), 0.5 * Alone(mixed, 0), "over twice a Nano's rate");
    }
};

/**
 * \ingroup edge-llm-tests
 * The task graph of a plan, timed by TaskGraphTimer (an independent path: the ring's
 * transfers and their dependencies, the AGGREGATE adds, no formula of the planner), gives the
 * planner's prediction within 5%, never below it (the graph has the ReduceScatters' adds, which
 * the planner leaves out): GPT2-large on four Nanos over a switched LAN (+3.5%), and OPT-1.3B on
 * two Nanos over a shared Wi-Fi channel (+0.3%). The graph's bytes are the ring's exact count.
 * With tile-based overlap the graph moves the same bytes and FLOPs and finishes sooner.
 */
class GalaxyGraphTestCase : public TestCase
{
  public:
    GalaxyGraphTestCase()
        : TestCase("Galaxy graph: timed, it gives the planner's prediction and exact bytes")
    {
    }

  private:
    /**
     * \param model a preset \param devices Nanos \param link the network
     * \param[out] predicted the planner's inference time \return the graph's makespan, s
     */
    double Check(const std::string& model,
                 uint32_t devices,
                 GalaxyCollectiveLink link,
                 double& predicted)
    {
        const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        TransformerSpec spec = TransformerSpec::GetPreset(model);
        spec.sequenceLength = 256;
        const std::vector<DeviceProfile> fleet(devices, catalog.Get("jetson-nano"));
        Ptr<KernelComputeModel> compute = CreateObject<KernelComputeModel>();
        const GalaxyCostModel costs(spec, DataType::FP16, 64, fleet, compute, link);
        const GalaxyPlan plan = GalaxyPlanner::Solve(costs);
        predicted = plan.layerSeconds * costs.GetLayerCount();
        // one more graph device, as the node layout has a server: it gets no task
        Ptr<TaskGraph> graph = GalaxyGraphBuilder::Build(costs, plan, devices + 1);

        uint32_t members = 0;
        for (uint32_t t : plan.tokens)
        {
            members += t > 0 ? 1 : 0;
        }
        uint64_t bytes = 0;
        for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
        {
            if (!graph->IsCompute(id))
            {
                bytes += graph->GetTransfer(id).bytes;
                NS_TEST_EXPECT_MSG_LT(graph->GetTransfer(id).destination, devices, "no server");
            }
        }
        // two ReduceScatters and two AllGathers a layer, each moving (D - 1) whole states
        const uint64_t state = 256ull * spec.hidden * 2;
        NS_TEST_EXPECT_MSG_EQ(bytes,
                              costs.GetLayerCount() * 4ull * (members - 1) * state,
                              "ring bytes");

        TaskGraphTimer timer(
            [&](const ComputeTask& task) {
                return task.kernels
                           ? compute->GetWorkTime(fleet[task.device], task.dtype, *task.kernels)
                           : compute->GetComputeTime(fleet[task.device],
                                                     task.dtype,
                                                     task.flops,
                                                     task.memoryBytes);
            },
            TaskGraphTimer::LinkTransferTime(link.rateBps, Seconds(link.latencySeconds)));
        if (link.sharedChannel)
        {
            timer.SetSharedChannel([&link](const TransferTask&) { return 8.0 / link.rateBps; });
        }
        const double plain = timer.GetMakespan(*graph).GetSeconds();

        // tile-based overlap: the same bytes and FLOPs (the tiles add up to the GEMMs they
        // split), every transfer after what it carries, and no longer than without overlap
        Ptr<TaskGraph> fused = GalaxyGraphBuilder::Build(costs, plan, devices + 1, true);
        uint64_t fusedBytes = 0;
        double flops = 0;
        double fusedFlops = 0;
        for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
        {
            flops += graph->IsCompute(id) ? graph->GetCompute(id).flops : 0;
        }
        for (uint32_t id = 0; id < fused->GetTaskCount(); ++id)
        {
            if (fused->IsCompute(id))
            {
                fusedFlops += fused->GetCompute(id).flops;
            }
            else
            {
                fusedBytes += fused->GetTransfer(id).bytes;
            }
        }
        NS_TEST_EXPECT_MSG_EQ(fusedBytes, bytes, "overlap moves the same bytes");
        NS_TEST_EXPECT_MSG_EQ_TOL(fusedFlops, flops, 1e-9 * flops, "and computes the same FLOPs");
        m_overlapped = timer.GetMakespan(*fused).GetSeconds();
        NS_TEST_EXPECT_MSG_LT_OR_EQ(m_overlapped, plain * (1 + 1e-9), "overlap never slows");
        return plain;
    }

    double m_overlapped{0}; //!< the last Check's makespan with tile-based overlap

    void DoRun() override
    {
        double predicted = 0;
        const double lan =
            Check("gpt2-large", 4, GalaxyCollectiveLink{false, 1e9, 50e-6}, predicted);
        std::clog << "  gpt2-large, 4 Nanos, LAN: graph " << lan << " s, planner " << predicted
                  << " s" << std::endl;
        std::clog << "  with tile-based overlap: " << m_overlapped << " s" << std::endl;
        // computation hides part of the collectives: 0.975 -> 0.889 s measured
        NS_TEST_ASSERT_MSG_LT(m_overlapped, 0.97 * lan, "overlap pays on the LAN");
        // the graph adds the reductions' AGGREGATE kernels, which the planner leaves out: on
        // the Nanos' eager launch cost, 3.5% here
        NS_TEST_ASSERT_MSG_EQ_TOL(lan, predicted, 0.05 * predicted, "LAN");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(lan, predicted * (1 - 1e-9), "the adds only add");

        const double wifi = Check("opt-1.3b", 2, GalaxyCollectiveLink{true, 4e8, 0}, predicted);
        std::clog << "  opt-1.3b, 2 Nanos, Wi-Fi: graph " << wifi << " s, planner " << predicted
                  << " s" << std::endl;
        NS_TEST_ASSERT_MSG_EQ_TOL(wifi, predicted, 0.05 * predicted, "Wi-Fi");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(wifi, predicted * (1 - 1e-9), "the adds only add");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The Galaxy planner suite.
 */
class GalaxyPlannerTestSuite : public TestSuite
{
  public:
    GalaxyPlannerTestSuite()
        : TestSuite("edge-llm-galaxy", TestSuite::UNIT)
    {
        AddTestCase(new GalaxyHandTestCase);
        AddTestCase(new GalaxyCostModelTestCase);
        AddTestCase(new GalaxyJetsonFleetTestCase);
        AddTestCase(new GalaxyGraphTestCase);
        AddTestCase(new GalaxyOracleTestCase(60));
        AddTestCase(new GalaxyOracleTestCase(300), TestCase::EXTENSIVE);
    }
};

static GalaxyPlannerTestSuite g_galaxyPlannerTestSuite; //!< registration
