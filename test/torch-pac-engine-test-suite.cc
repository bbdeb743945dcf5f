/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/pac-strategy.h"
#include "ns3/scenario.h"
#include "ns3/test.h"
#include "ns3/torch-pac-engine.h"

#include <cmath>
#include <sstream>

/**
 * \file
 * \ingroup edge-llm-tests
 * PAC's hybrid data + pipeline parallelism with real LibTorch tensors over the simulated
 * network (TorchPacEngine) against the same training in one process.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Planned trace sink: keep the last plan.
void
KeepPlan(Ptr<const PacRoundPlan>* kept, uint32_t /* round */, Ptr<const PacRoundPlan> plan)
{
    *kept = plan;
}

/// What a case runs.
struct PacTorchCase
{
    std::string name;      //!< its name
    std::string fidelity;  //!< flow or packet
    std::string sideBlock; //!< ladder or transformer
    uint32_t sideBlocks;   //!< side blocks beside the last N blocks (0: all)
    uint32_t stages;       //!< forced pipeline depth
    uint32_t microBatches; //!< micro-batches per step
    std::string optimizer; //!< adam or sgd
    double learningRate;   //!< its rate
};

/**
 * \ingroup edge-llm-tests
 * tiny-encoder (embedding, 4 blocks of width 256, head: 6 layers) with parallel adapters
 * (r = 8: side width 32), batch 8, on 4 Jetson Nanos (a TX2 among them) on 1000 Mbit/s
 * point-to-point links; PacStrategy without the cache, its depth and micro-batches forced, 2
 * epochs of 10 steps (20 steps). Every device ends with the trainable parameters of its stage's
 * layers equal to one process's after the same 20 steps (within 1e-5), which moved them; every
 * transfer carried its tensor (the engine's bytes are the rounds' bytes).
 */
class TorchPacEngineTestCase : public TestCase
{
  public:
    /// \param c the case
    explicit TorchPacEngineTestCase(const PacTorchCase& c)
        : TestCase("PAC hybrid parallelism with LibTorch tensors: " + c.name),
          m_case(c)
    {
    }

  private:
    void DoRun() override
    {
        std::ostringstream text;
        text << R"({"name": "pac-torch",
  "workload": {"model": "tiny-encoder", "recipe": "parallel-adapters", "adapterReduction": 8,
               "sideBlock": ")"
             << m_case.sideBlock << R"(", "sideBlocks": )" << m_case.sideBlocks
             << R"(, "batchSize": 8},
  "fleet": {"server": "jetson-nano", "groups": [{"devices": [
    "jetson-nano", "jetson-nano", "jetson-tx2", "jetson-nano"]}]},
  "network": {"kind": "p2p", "dataRateMbps": 1000, "delayMs": 0.1},
  "rounds": 2, "fidelity": "flow", "seed": 3, "run": 1,
  "runs": [{"name": "pac", "strategy": {"type": "ns3::PacStrategy", "attributes": {
    "ActivationCache": false, "TrainingSamples": 80, "SimulatedSteps": 0, "Stages": )"
             << m_case.stages << R"(, "MicroBatches": )" << m_case.microBatches << R"(}}}]})";
        Scenario scenario;
        const std::string problem = Scenario::LoadString(text.str(), "pac-torch", ".", scenario);
        NS_TEST_ASSERT_MSG_EQ(problem, "", "the scenario");
        scenario.study.SetFidelity(m_case.fidelity);
        scenario.study.SetOutputDirectory(CreateTempDirFilename("pac-torch-" + m_case.name));
        const Workload& workload = scenario.study.GetWorkload();
        TorchPacConfig config;
        config.spec = workload.spec;
        config.recipe = workload.recipe;
        config.batchSize = workload.batchSize;
        config.seed = 3;
        config.optimizer = m_case.optimizer;
        config.learningRate = m_case.learningRate;
        const Fleet& fleet = scenario.study.GetFleet();
        for (uint32_t i = 0; i < fleet.GetGroupSize(0); ++i)
        {
            config.nodes.push_back(fleet.GetDeviceNode(0, i));
        }
        NS_TEST_ASSERT_MSG_EQ(TorchPacEngine::Validate(config), "", "valid");
        Ptr<TorchPacEngine> engine = CreateObject<TorchPacEngine>();
        engine->Configure(config);
        scenario.study.SetExecutionCallback(MakeCallback(&TorchPacEngine::Connect, engine));
        Ptr<Strategy> strategy = Scenario::CreateStrategy(scenario.runs.front());
        strategy->TraceConnectWithoutContext("Planned",
                                             MakeCallback(&TorchPacEngine::SetPlan, engine));
        Ptr<const PacRoundPlan> plan;
        strategy->TraceConnectWithoutContext("Planned", MakeBoundCallback(&KeepPlan, &plan));
        std::vector<RoundRecord> records;
        const std::string failed = scenario.study.Run("pac", strategy, records);
        NS_TEST_ASSERT_MSG_EQ(failed, "", "the run");
        NS_TEST_ASSERT_MSG_EQ(records.size(), 2u, "two epochs");
        NS_TEST_ASSERT_MSG_EQ((plan != nullptr), true, "a plan");
        // the plan really is hybrid: a pipeline with a data-parallel group in it
        NS_TEST_ASSERT_MSG_EQ(plan->step.stages.size(), m_case.stages, plan->step.ToString());
        NS_TEST_ASSERT_MSG_EQ(plan->step.microBatches, m_case.microBatches, "micro-batches");
        size_t largestGroup = 0;
        for (const PacStage& stage : plan->step.stages)
        {
            largestGroup = std::max(largestGroup, stage.devices.size());
        }
        NS_TEST_ASSERT_MSG_GT(largestGroup, 1u, "a group " << plan->step.ToString());
        NS_TEST_ASSERT_MSG_EQ(plan->steps, 10u, "10 steps an epoch");
        std::clog << "  " << m_case.name << ": plan " << plan->step.ToString() << std::endl;

        const std::vector<std::vector<float>> reference = engine->Reference(20);
        // the layers and what one process learned differ from the start
        Ptr<TorchPacEngine> untrained = CreateObject<TorchPacEngine>();
        untrained->Configure(config);
        const std::vector<std::vector<float>> initial = untrained->Reference(0);
        double moved = 0;
        for (size_t l = 0; l < reference.size(); ++l)
        {
            for (size_t i = 0; i < reference[l].size(); ++i)
            {
                moved = std::max(moved, std::abs(double(reference[l][i]) - initial[l][i]));
            }
        }
        NS_TEST_ASSERT_MSG_GT(moved, 1e-3, "20 steps moved the side network");
        uint32_t compared = 0;
        double difference = 0;
        for (const PacStage& stage : plan->step.stages)
        {
            for (uint32_t device : stage.devices)
            {
                const std::vector<std::vector<float>> layers = engine->GetLayerParameters(device);
                NS_TEST_ASSERT_MSG_EQ(layers.size(), reference.size(), "layers");
                for (uint32_t l = stage.firstLayer; l <= stage.lastLayer; ++l)
                {
                    NS_TEST_ASSERT_MSG_EQ(layers[l].size(), reference[l].size(), "layer " << l);
                    for (size_t i = 0; i < layers[l].size(); ++i)
                    {
                        difference =
                            std::max(difference, std::abs(double(layers[l][i]) - reference[l][i]));
                        ++compared;
                    }
                }
            }
        }
        std::clog << "  " << m_case.name << ": " << compared
                  << " parameters compared, largest difference " << difference << ", largest move "
                  << moved << std::endl;
        NS_TEST_ASSERT_MSG_GT(compared, 10000u, "the side network's parameters");
        NS_TEST_ASSERT_MSG_LT(difference, 1e-5, "hybrid DP + PP equals one process");
        NS_TEST_ASSERT_MSG_EQ(engine->GetStepLosses().size(), 20u, "20 steps");
        NS_TEST_ASSERT_MSG_EQ(engine->GetCarriedBytes(),
                              records[0].bytes + records[1].bytes,
                              "every transfer carried its tensor");
    }

    PacTorchCase m_case; //!< the case
};

/**
 * \ingroup edge-llm-tests
 * \brief The LibTorch PAC engine suite.
 */
class TorchPacEngineTestSuite : public TestSuite
{
  public:
    TorchPacEngineTestSuite()
        : TestSuite("edge-llm-torch-pac-engine", TestSuite::UNIT)
    {
        AddTestCase(new TorchPacEngineTestCase(
            {"ladder, Adam, flow", "flow", "ladder", 0, 2, 2, "adam", 1e-3}));
        AddTestCase(new TorchPacEngineTestCase(
            {"ladder, Adam, packet", "packet", "ladder", 0, 2, 2, "adam", 1e-3}));
        // SGD: under Adam, the side attention's key bias (whose gradient is zero but for
        // rounding: softmax ignores a shift shared by all keys) follows the rounding noise
        // normalised to steps of the learning rate, 6.5e-5 apart after 20 steps
        AddTestCase(new TorchPacEngineTestCase({"Transformer side blocks beside the last 3, 3 "
                                                "stages, SGD, flow",
                                                "flow",
                                                "transformer",
                                                3,
                                                3,
                                                4,
                                                "sgd",
                                                0.05}));
    }
};

/// the suite's instance
static TorchPacEngineTestSuite g_torchPacEngineTestSuite;

} // namespace
