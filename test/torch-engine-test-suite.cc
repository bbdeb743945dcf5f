/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/core-module.h"
#include "ns3/synthetic-classification-task.h"
#include "ns3/test.h"
#include "ns3/torch-compute-engine.h"
#include "ns3/torch-training-graph-builder.h"

#include <cmath>

/**
 * \file
 * \ingroup edge-llm-tests
 * The LibTorch engine without a network: bad input, parameter counts, the synthetic task,
 * FedAvg through the engine's own serialization, determinism, learnability.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// mini-encoder cut into two segments of one block, \p replicas replicas
TorchEngineConfig
MiniConfig(uint32_t replicas = 1)
{
    TorchEngineConfig config;
    config.spec = TransformerSpec::GetPreset("mini-encoder");
    config.segmentLayers = {1, 1};
    config.replicas = replicas;
    config.microBatches = 2;
    config.microBatchSize = 4;
    return config;
}

/// \return "" when \p problem contains \p expected, else a message for the assertion
std::string
Contains(const std::string& problem, const std::string& expected)
{
    return problem.find(expected) != std::string::npos
               ? ""
               : "'" + problem + "' does not contain '" + expected + "'";
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Every bad configuration and plan is reported with its message.
 */
class TorchBadInputTestCase : public TestCase
{
  public:
    TorchBadInputTestCase()
        : TestCase("bad configurations and plans name the parameter, its value and what is allowed")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(TorchComputeEngine::Validate(MiniConfig()), "", "valid config");

        struct Case
        {
            std::function<void(TorchEngineConfig&)> change;
            std::string expected;
        };

        std::vector<Case> cases = {
            {[](TorchEngineConfig& c) {
                 c.spec = TransformerSpec::GetPreset("bert-base");
                 c.segmentLayers = {12};
             },
             "model='bert-base' has 109"},
            {[](TorchEngineConfig& c) {
                 c.spec = TransformerSpec::GetPreset("bert-base");
                 c.segmentLayers = {12};
             },
             "more than the LibTorch engine's limit of 20000000; use a small preset"},
            {[](TorchEngineConfig& c) { c.spec = TransformerSpec::GetPreset("t5-base"); },
             "architecture=encoder-decoder is not supported by the LibTorch engine; allowed: "
             "encoder-only"},
            {[](TorchEngineConfig& c) { c.segmentLayers = {}; }, "segmentLayers is empty"},
            {[](TorchEngineConfig& c) {
                 c.segmentLayers = {2, 0};
             },
             "segmentLayers[1]=0 is invalid: every segment holds at least one encoder block"},
            {[](TorchEngineConfig& c) {
                 c.segmentLayers = {1, 2};
             },
             "segmentLayers sum to 3 but model='mini-encoder' has encoderLayers=2; they must be "
             "equal"},
            {[](TorchEngineConfig& c) { c.replicas = 0; }, "replicas=0 is invalid: allowed 1..255"},
            {[](TorchEngineConfig& c) { c.microBatches = 0; },
             "microBatches=0 is invalid: allowed 1..65535"},
            {[](TorchEngineConfig& c) { c.microBatchSize = 0; },
             "microBatchSize=0 is invalid: must be a positive integer"},
            {[](TorchEngineConfig& c) { c.optimizer = "lamb"; },
             "optimizer='lamb' is not known; allowed: adam, sgd"},
            {[](TorchEngineConfig& c) { c.learningRate = 0; },
             "learningRate=0 is invalid: must be a finite number > 0"},
            {[](TorchEngineConfig& c) { c.spec.vocabulary = 2; },
             "vocabulary=2 is invalid: the synthetic task needs at least 4 tokens"},
        };
        for (size_t i = 0; i < cases.size(); ++i)
        {
            TorchEngineConfig config = MiniConfig();
            cases[i].change(config);
            NS_TEST_ASSERT_MSG_EQ(Contains(TorchComputeEngine::Validate(config), cases[i].expected),
                                  "",
                                  "case " << i);
        }

        // Plans (segment placement) against the configuration; 5 nodes of the run.
        TorchTrainingPlan plan;
        plan.clusters = {TorchClusterLayout{0, {1, 2}}};
        plan.server = 4;
        NS_TEST_ASSERT_MSG_EQ(TorchTrainingGraphBuilder::Validate(MiniConfig(), plan, 5),
                              "",
                              "valid plan");

        struct PlanCase
        {
            std::function<void(TorchTrainingPlan&)> change;
            std::string expected;
        };

        std::vector<PlanCase> planCases = {
            {[](TorchTrainingPlan& p) {
                 p.clusters[0].stageDevices = {1, 2, 3};
             },
             "clusters[0].stageDevices has 3 devices but segmentLayers has 2 segments; give one "
             "device per segment"},
            {[](TorchTrainingPlan& p) {
                 p.clusters[0].stageDevices = {1, 7};
             },
             "clusters[0].stageDevices[1]=7 is not a node of the run; allowed: 0..4"},
            {[](TorchTrainingPlan& p) {
                 p.clusters[0].stageDevices = {1, 1};
             },
             "clusters[0].stageDevices[1]=1 is used twice in the cluster"},
            {[](TorchTrainingPlan& p) { p.clusters[0].source = 4; },
             "clusters[0].source=4 is used twice in the cluster (or is the server)"},
            {[](TorchTrainingPlan& p) { p.clusters.push_back(p.clusters[0]); },
             "clusters has 2 entries but the engine has replicas=1; give one cluster per "
             "replica"},
            {[](TorchTrainingPlan& p) { p.server = 9; },
             "server=9 is not a node of the run; allowed: 0..4"},
            {[](TorchTrainingPlan& p) { p.localIterations = 0; },
             "localIterations=0 is invalid without fedAvg"},
        };
        for (size_t i = 0; i < planCases.size(); ++i)
        {
            TorchTrainingPlan changed = plan;
            planCases[i].change(changed);
            NS_TEST_ASSERT_MSG_EQ(
                Contains(TorchTrainingGraphBuilder::Validate(MiniConfig(), changed, 5),
                         planCases[i].expected),
                "",
                "plan case " << i);
        }
        NS_TEST_ASSERT_MSG_EQ(
            Contains(SyntheticClassificationTask::Validate(1000, 0), "sequenceLength=0 is invalid"),
            "",
            "task length");
    }
};

/**
 * \ingroup edge-llm-tests
 * Unit parameter counts and tensor sizes of mini-encoder, counted by hand.
 */
class TorchShapesTestCase : public TestCase
{
  public:
    TorchShapesTestCase()
        : TestCase("unit parameters and tensor bytes of mini-encoder match hand counts")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
        engine->Configure(MiniConfig());
        NS_TEST_ASSERT_MSG_EQ(engine->GetUnitCount(), 4, "embedding, 2 segments, head");
        // embedding: tokens 1000 x 128 + positions 32 x 128 = 128000 + 4096
        NS_TEST_ASSERT_MSG_EQ(engine->GetUnitParameterCount(0), 132096, "embedding");
        // block: qkv 128*384+384, proj 128*128+128, ff1 128*512+512, ff2 512*128+128,
        // two norms 2*(128+128): 49536 + 16512 + 66048 + 65664 + 512 = 198272
        NS_TEST_ASSERT_MSG_EQ(engine->GetUnitParameterCount(1), 198272, "segment 1");
        NS_TEST_ASSERT_MSG_EQ(engine->GetUnitParameterCount(2), 198272, "segment 2");
        // head: 128 x 2 + 2
        NS_TEST_ASSERT_MSG_EQ(engine->GetUnitParameterCount(3), 258, "head");
        // activation of a micro-batch: 4 sequences x 32 tokens x 128 x 4 bytes = 65536
        uint64_t act = TorchComputeEngine::MakeTensorId(TorchTensorKind::ACTIVATION, 0, 0, 1, 1);
        NS_TEST_ASSERT_MSG_EQ(engine->GetTensorBytes(act), 65536, "activation bytes");
        uint64_t up = TorchComputeEngine::MakeTensorId(TorchTensorKind::PARAMETERS_UP, 0, 0, 2, 0);
        NS_TEST_ASSERT_MSG_EQ(engine->GetTensorBytes(up), 198272 * 4, "parameter bytes");
        NS_TEST_ASSERT_MSG_NE(
            TorchComputeEngine::MakeKernelId(TorchKernelOp::EMBED_FORWARD, 0, 0, 0, 0),
            0,
            "a kernel id is never 0");
        // The FLOP estimate of a segment forward: 2 * 128 tokens * (4*128^2 + 2*128*512)
        // + 4 * 4 * 32^2 * 128 = 2*128*196608 + 2097152 = 50331648 + 2097152
        NS_TEST_ASSERT_MSG_EQ_TOL(
            TorchComputeEngine::EstimateFlops(MiniConfig(), TorchKernelOp::SEGMENT_FORWARD, 1),
            52428800.0,
            1e-6,
            "segment forward flops");
    }
};

/**
 * \ingroup edge-llm-tests
 * The synthetic task: the rule, determinism, both classes present.
 */
class TorchSyntheticTaskTestCase : public TestCase
{
  public:
    TorchSyntheticTaskTestCase()
        : TestCase("synthetic task: the majority rule, same seed same batch, balanced labels")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(SyntheticClassificationTask(1, 1000, 32).GetActiveTokens(), 64, "K");
        NS_TEST_ASSERT_MSG_EQ(SyntheticClassificationTask(1, 10, 32).GetActiveTokens(), 10, "K");
        // 10 tokens in use: upper half is 5..9
        NS_TEST_ASSERT_MSG_EQ(SyntheticClassificationTask::Label({5, 6, 1}, 10), 1, "2 of 3 upper");
        NS_TEST_ASSERT_MSG_EQ(SyntheticClassificationTask::Label({5, 1, 2}, 10), 0, "1 of 3 upper");
        NS_TEST_ASSERT_MSG_EQ(SyntheticClassificationTask::Label({9, 0}, 10), 0, "tie is 0");
        SyntheticClassificationTask a(42, 1000, 32);
        SyntheticClassificationTask b(42, 1000, 32);
        SyntheticClassificationTask c(43, 1000, 32);
        std::vector<int64_t> ta;
        std::vector<int64_t> la;
        std::vector<int64_t> tb;
        std::vector<int64_t> lb;
        std::vector<int64_t> tc;
        std::vector<int64_t> lc;
        a.Generate(7, 400, ta, la);
        b.Generate(7, 400, tb, lb);
        c.Generate(7, 400, tc, lc);
        NS_TEST_ASSERT_MSG_EQ((ta == tb && la == lb), true, "same seed, same batch");
        NS_TEST_ASSERT_MSG_EQ((ta != tc), true, "another seed, another batch");
        NS_TEST_ASSERT_MSG_EQ(ta.size(), 400u * 32, "tokens");
        uint32_t ones = 0;
        for (uint32_t i = 0; i < 400; ++i)
        {
            std::vector<int64_t> row(ta.begin() + i * 32, ta.begin() + (i + 1) * 32);
            NS_TEST_ASSERT_MSG_EQ(la[i], SyntheticClassificationTask::Label(row, 64), "rule");
            for (int64_t token : row)
            {
                // K = min(1000, 64) tokens in use
                NS_TEST_ASSERT_MSG_EQ((token >= 0 && token < 64), true, "token range");
            }
            ones += la[i];
        }
        // leaning class is a fair coin and a 0.7 lean labels it right ~98% of the time
        NS_TEST_ASSERT_MSG_EQ((ones > 140 && ones < 260), true, "both labels common: " << ones);
    }
};

/**
 * \ingroup edge-llm-tests
 * FedAvg through the engine's serialization equals the element-wise mean of two replicas.
 */
class TorchFedAvgKernelTestCase : public TestCase
{
  public:
    TorchFedAvgKernelTestCase()
        : TestCase("FedAvg of two replicas through serialized tensors is the element-wise mean")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(1);
        Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
        engine->Configure(MiniConfig(2));
        const uint32_t unit = 1;
        const uint64_t n = engine->GetUnitParameterCount(unit);
        std::vector<float> a(n);
        std::vector<float> b(n);
        for (uint64_t i = 0; i < n; ++i)
        {
            a[i] = 0.001f * static_cast<float>(i % 1000);
            b[i] = -0.5f + 0.002f * static_cast<float>(i % 777);
        }
        engine->SetParameters(0, unit, a);
        engine->SetParameters(1, unit, b);
        const uint32_t server = 9;
        for (uint32_t r = 0; r < 2; ++r)
        {
            uint64_t id =
                TorchComputeEngine::MakeTensorId(TorchTensorKind::PARAMETERS_UP, r, 0, unit, 0);
            TensorPayload bytes = engine->ProvideTensor(r, id, 0);
            NS_TEST_ASSERT_MSG_EQ(bytes->size(), n * 4, "upload is numel * 4 bytes");
            engine->ConsumeTensor(server, id, 0, bytes);
        }
        engine->RunKernel(server,
                          TorchComputeEngine::MakeKernelId(TorchKernelOp::FEDAVG, 0, 0, unit, 0),
                          0);
        for (uint32_t r = 0; r < 2; ++r)
        {
            uint64_t id =
                TorchComputeEngine::MakeTensorId(TorchTensorKind::PARAMETERS_DOWN, r, 0, unit, 0);
            engine->ConsumeTensor(r, id, 0, engine->ProvideTensor(server, id, 0));
            engine->RunKernel(
                r,
                TorchComputeEngine::MakeKernelId(TorchKernelOp::LOAD_PARAMETERS, r, 0, unit, 0),
                0);
        }
        double maxError = 0;
        for (uint32_t r = 0; r < 2; ++r)
        {
            std::vector<float> averaged = engine->GetParameters(r, unit);
            for (uint64_t i = 0; i < n; ++i)
            {
                maxError = std::max(maxError, std::abs(averaged[i] - (a[i] + b[i]) / 2.0));
            }
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(maxError, 0, 1e-7, "element-wise mean (a + b) / 2");
    }
};

/**
 * \ingroup edge-llm-tests
 * Same seed and run, same parameters; another run, other parameters.
 */
class TorchDeterminismTestCase : public TestCase
{
  public:
    TorchDeterminismTestCase()
        : TestCase("the run's seed and run number seed LibTorch")
    {
    }

  private:
    void DoRun() override
    {
        auto parameters = [](uint32_t run) {
            RngSeedManager::SetSeed(5);
            RngSeedManager::SetRun(run);
            Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
            engine->Configure(MiniConfig(2));
            return std::make_pair(engine->GetParameters(0, 1), engine->GetParameters(1, 1));
        };
        auto first = parameters(1);
        auto again = parameters(1);
        auto other = parameters(2);
        NS_TEST_ASSERT_MSG_EQ((first.first == again.first), true, "same seed and run");
        NS_TEST_ASSERT_MSG_EQ((first.first == first.second), true, "replicas start equal");
        NS_TEST_ASSERT_MSG_EQ((first.first != other.first), true, "another run");
    }
};

/**
 * \ingroup edge-llm-tests
 * The synthetic task is learnable by the small encoder (short run, one process).
 */
class TorchLearnableTestCase : public TestCase
{
  public:
    TorchLearnableTestCase()
        : TestCase("mini-encoder reaches >= 90% held-out accuracy on the synthetic task")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
        TorchEngineConfig config = MiniConfig();
        config.microBatches = 4;
        config.microBatchSize = 8;
        engine->Configure(config);
        const double before = engine->Evaluate(0, 512);
        double accuracy = 0;
        std::vector<double> losses = engine->TrainReference(40, 0, &accuracy, 512);
        NS_TEST_ASSERT_MSG_EQ((accuracy >= 0.9), true, "accuracy " << accuracy);
        std::cout << "held-out accuracy after 40 steps: " << accuracy << std::endl;
        NS_TEST_ASSERT_MSG_LT(losses.back(), losses.front(), "loss decreases");
        NS_TEST_ASSERT_MSG_LT(before, 0.75, "untrained model is not already good: " << before);
        NS_TEST_ASSERT_MSG_GT(TorchComputeEngine::MeasureMatmulGflops(128, 4), 0, "matmul rate");
    }
};

/**
 * \ingroup edge-llm-tests
 * The LibTorch engine without a network.
 */
class TorchEngineTestSuite : public TestSuite
{
  public:
    TorchEngineTestSuite()
        : TestSuite("edge-llm-torch-engine", TestSuite::UNIT)
    {
        AddTestCase(new TorchBadInputTestCase);
        AddTestCase(new TorchShapesTestCase);
        AddTestCase(new TorchSyntheticTaskTestCase);
        AddTestCase(new TorchFedAvgKernelTestCase);
        AddTestCase(new TorchDeterminismTestCase);
        AddTestCase(new TorchLearnableTestCase);
    }
};

/// the suite's instance
static TorchEngineTestSuite g_torchEngineTestSuite;
