/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/lola-deft-strategy.h"
#include "ns3/scenario.h"
#include "ns3/test.h"
#include "ns3/torch-lola-engine.h"

#include <cmath>
#include <sstream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// 6 devices fine-tune a 4-layer encoder block by block over a 5 MHz cell
std::string
TorchLolaScenario(bool sendUpdates, const std::string& scheduler)
{
    std::ostringstream s;
    s << R"({
  "name": "lola-torch",
  "defaults": {"ns3::OfdmaSharesScheduler::WorkConserving": false},
  "workload": {"model": "tiny-encoder", "recipe": "full", "sequenceLength": 64, "batchSize": 4},
  "fleet": {"server": "edge-server-a100", "groups": [{"devices": [
    "smartphone-snapdragon-8-gen-2", "jetson-agx-orin", "jetson-xavier-nx", "jetson-tx2",
    "jetson-nano", "raspberry-pi-4"]}]},
  "network": {"kind": "ofdma", "cellBandwidthMHz": 5, "placement": "disc", "distance": 200},
  "rounds": 3, "fidelity": "flow", "seed": 1, "run": 1,
  "runs": [{"name": "lola", "strategy": {"type": "ns3::LolaDeftStrategy",
            "attributes": {"SendUpdates": )"
      << (sendUpdates ? "true" : "false") << R"(}}, "scheduler": {"type": ")" << scheduler
      << R"(", "attributes": {}}}]
})";
    return s.str();
}

/**
 * \ingroup edge-llm-tests
 * \brief Block-wise fine-tuning with real tensors over the simulated cell equals one process.
 */
class TorchLolaEqualityTestCase : public TestCase
{
  public:
    TorchLolaEqualityTestCase()
        : TestCase("LoLa DEFT with LibTorch: block gradients over the simulated cell, the "
                   "server's updates and the downloads give the parameters one process gets "
                   "from the same block gradients (1e-5); stale devices do not")
    {
    }

  private:
    /**
     * \brief One run with the engine attached.
     * \param sendUpdates the strategy's SendUpdates
     * \param scheduler the scheduler's TypeId name
     * \param[out] records the rounds
     * \return the engine after the run
     */
    Ptr<TorchLolaEngine> Run(bool sendUpdates,
                             const std::string& scheduler,
                             std::vector<RoundRecord>& records)
    {
        Scenario scenario;
        const std::string problem = Scenario::LoadString(TorchLolaScenario(sendUpdates, scheduler),
                                                         "lola-torch",
                                                         ".",
                                                         scenario);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        scenario.study.SetOutputDirectory(CreateTempDirFilename("lola-torch"));
        Ptr<TorchLolaEngine> engine = CreateObject<TorchLolaEngine>();
        TorchLolaConfig config;
        config.spec = scenario.study.GetWorkload().spec;
        const Fleet& fleet = scenario.study.GetFleet();
        for (uint32_t i = 0; i < fleet.GetGroupSize(0); ++i)
        {
            config.nodes.push_back(fleet.GetDeviceNode(0, i));
        }
        config.serverNode = fleet.GetServerNode();
        config.batchSize = scenario.study.GetWorkload().batchSize;
        config.learningRate = 0.05;
        engine->Configure(config);
        scenario.study.SetExecutionCallback(MakeCallback(&TorchLolaEngine::Connect, engine));
        const std::string failed =
            scenario.study.Run("lola", Scenario::CreateStrategy(scenario.runs.front()), records);
        NS_ABORT_MSG_IF(!failed.empty(), failed);
        return engine;
    }

    void DoRun() override
    {
        std::vector<RoundRecord> records;
        Ptr<TorchLolaEngine> engine = Run(true, "ns3::JbbaScheduler", records);
        // a tiny-encoder layer: 789,760 fp32 parameters, as LolaDeftCostModel counts them
        NS_TEST_ASSERT_MSG_EQ(engine->GetBlockCount(), 4u, "4 blocks");
        NS_TEST_ASSERT_MSG_EQ(engine->GetBlockBytes(0), 3159040u, "a layer's bytes");
        const auto assignments = engine->GetAssignments();
        NS_TEST_ASSERT_MSG_EQ(assignments.size(), 3u, "three rounds ran their kernels");
        for (uint32_t r = 0; r < assignments.size(); ++r)
        {
            for (uint32_t k = 0; k < assignments[r].size(); ++k)
            {
                NS_TEST_ASSERT_MSG_EQ(assignments[r][k],
                                      records[r].devices[k].block,
                                      "round " << r << " device " << k << ": the plan's block");
            }
        }
        const std::vector<float> simulated = engine->GetServerParameters();
        const std::vector<float> reference = engine->Reference(assignments);
        const std::vector<float> initial = engine->Reference({});
        NS_TEST_ASSERT_MSG_EQ(simulated.size(), reference.size(), "same parameters");
        double difference = 0;
        double moved = 0;
        for (size_t i = 0; i < simulated.size(); ++i)
        {
            difference = std::max(difference, std::abs(double(simulated[i]) - reference[i]));
            moved = std::max(moved, std::abs(double(simulated[i]) - initial[i]));
        }
        std::cout << "LoLa with LibTorch: largest difference to one process " << difference
                  << ", largest change over the 3 rounds " << moved << std::endl;
        NS_TEST_ASSERT_MSG_LT_OR_EQ(difference, 1e-5, "equal to one process");
        NS_TEST_ASSERT_MSG_GT(moved, 1e-4, "the rounds trained the blocks");

        // without the downloads the devices compute on their stale replicas: not one process
        std::vector<RoundRecord> stale;
        Ptr<TorchLolaEngine> staleEngine = Run(false, "ns3::JbbaScheduler", stale);
        const std::vector<float> staleParameters = staleEngine->GetServerParameters();
        const std::vector<float> staleReference =
            staleEngine->Reference(staleEngine->GetAssignments());
        double staleDifference = 0;
        for (size_t i = 0; i < staleParameters.size(); ++i)
        {
            staleDifference =
                std::max(staleDifference, std::abs(double(staleParameters[i]) - staleReference[i]));
        }
        NS_TEST_ASSERT_MSG_GT(staleDifference, 1e-5, "stale replicas differ from one process");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief LoLa DEFT with real tensors.
 */
class TorchLolaTestSuite : public TestSuite
{
  public:
    TorchLolaTestSuite()
        : TestSuite("edge-llm-torch-lola", TestSuite::UNIT)
    {
        AddTestCase(new TorchLolaEqualityTestCase);
    }
};

/// the suite's instance
TorchLolaTestSuite g_torchLolaTestSuite;

} // namespace
