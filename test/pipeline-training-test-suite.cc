/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/command-line-counts.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/encoder-pipeline-planner.h"
#include "ns3/layer-cost.h"
#include "ns3/pipeline-training-helper.h"
#include "ns3/test.h"

#include <filesystem>
#include <numeric>
#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * What pipeline-wifi is made of: count options read as int64_t, the encoder's cut into one
 * segment per device and its pricing as a pipeline, and a whole flow-level run through
 * PipelineTrainingHelper (exact bytes on the network, the recorder's files).
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \brief Profiles of the default catalog.
 * \param names profile names
 * \return the profiles, in order
 */
std::vector<DeviceProfile>
Profiles(const std::vector<std::string>& names)
{
    DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    std::vector<DeviceProfile> profiles;
    for (const auto& name : names)
    {
        profiles.push_back(catalog.Get(name));
    }
    return profiles;
}

/**
 * \ingroup edge-llm-tests
 * \brief CheckCountOption: negative counts are named, not wrapped around.
 */
class CountOptionTestCase : public TestCase
{
  public:
    CountOptionTestCase()
        : TestCase("count options: range, negative values, messages")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(CheckCountOption("rounds", 1, 1, UINT32_MAX), "", "1 is fine");
        NS_TEST_ASSERT_MSG_EQ(CheckCountOption("rounds", UINT32_MAX, 1, UINT32_MAX),
                              "",
                              "the maximum is fine");
        NS_TEST_ASSERT_MSG_EQ(CheckCountOption("rounds", -1, 1, UINT32_MAX),
                              "rounds=-1 is invalid: must be a positive integer",
                              "negative");
        NS_TEST_ASSERT_MSG_EQ(CheckCountOption("rounds", 0, 1, UINT32_MAX),
                              "rounds=0 is invalid: must be a positive integer",
                              "zero");
        NS_TEST_ASSERT_MSG_EQ(CheckCountOption("devices", 1, 2, 10),
                              "devices=1 is invalid: must be at least 2",
                              "below another minimum");
        NS_TEST_ASSERT_MSG_EQ(CheckCountOption("clusters", 256, 1, 255),
                              "clusters=256 is invalid: must be at most 255",
                              "above the maximum");
        NS_TEST_ASSERT_MSG_EQ(CheckCountOption("rounds", 4294967296LL, 1, UINT32_MAX),
                              "rounds=4294967296 is invalid: must be at most 4294967295",
                              "above uint32_t");
        NS_TEST_ASSERT_MSG_EQ(CheckCountOption("localIterations", -5, 1, 255, "allowed 1..255"),
                              "localIterations=-5 is invalid: allowed 1..255",
                              "own words");
        NS_TEST_ASSERT_MSG_EQ(RequireCountOption("microBatches", 7, 1), 7u, "the value");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief EncoderPipelinePlanner: splits, layer ranges, costs, memory and bad input.
 */
class EncoderPipelinePlannerTestCase : public TestCase
{
  public:
    EncoderPipelinePlannerTestCase()
        : TestCase("encoder pipeline planner: splits, ranges, boundaries, memory, bad input")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(
            (EncoderPipelinePlanner::SplitEven(12, 4) == std::vector<uint32_t>{3, 3, 3, 3}),
            true,
            "12 blocks in 4");
        NS_TEST_ASSERT_MSG_EQ(
            (EncoderPipelinePlanner::SplitEven(12, 5) == std::vector<uint32_t>{3, 3, 2, 2, 2}),
            true,
            "the first parts take the remainder");

        // Proportional: the fastest device gets the most blocks, every device at least one.
        const auto devices = Profiles({"jetson-agx-orin", "jetson-nano", "jetson-tx2"});
        const auto sizes =
            EncoderPipelinePlanner::SplitBlocks(12, devices, DataType::FP32, "proportional");
        NS_TEST_ASSERT_MSG_EQ(std::accumulate(sizes.begin(), sizes.end(), 0u), 12u, "all blocks");
        NS_TEST_ASSERT_MSG_GT(sizes[0], sizes[1], "the AGX Orin gets more than the Nano");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(sizes[1], 1u, "at least one block each");

        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe recipe;
        recipe.kind = RecipeKind::FULL;
        recipe.microBatchSize = 8;
        const auto layers = LayerCostModel::Compute(spec, recipe);
        const EncoderPipelinePlan plan = EncoderPipelinePlanner::Plan(spec,
                                                                      recipe,
                                                                      devices,
                                                                      "even",
                                                                      PipelineSchedule::ONE_F_ONE_B,
                                                                      4);
        NS_TEST_ASSERT_MSG_EQ(plan.stages.size(), 3u, "a stage per device");
        NS_TEST_ASSERT_MSG_EQ(plan.stages[0].firstLayer, 0u, "the embedding on stage 0");
        NS_TEST_ASSERT_MSG_EQ(plan.stages[0].lastLayer, 4u, "embedding + 4 blocks");
        NS_TEST_ASSERT_MSG_EQ(plan.stages[1].firstLayer, 5u, "contiguous");
        NS_TEST_ASSERT_MSG_EQ(plan.stages[2].lastLayer,
                              layers.size() - 1,
                              "the head on the last stage");
        for (uint32_t s = 0; s + 1 < plan.stages.size(); ++s)
        {
            NS_TEST_ASSERT_MSG_EQ(plan.stages[s + 1].firstLayer,
                                  plan.stages[s].lastLayer + 1,
                                  "no gap between stages");
            NS_TEST_ASSERT_MSG_EQ(plan.pipeline.activationBytes[s],
                                  layers[plan.stages[s].lastLayer].boundaryActivationBytes,
                                  "boundary activations");
            NS_TEST_ASSERT_MSG_EQ(plan.pipeline.gradientBytes[s],
                                  plan.pipeline.activationBytes[s],
                                  "as many gradient bytes back");
        }
        NS_TEST_ASSERT_MSG_EQ(plan.pipeline.activationBytes.size(), 2u, "S - 1 boundaries");
        NS_TEST_ASSERT_MSG_EQ(plan.pipeline.optimizerCosts.size(), 3u, "an optimizer per stage");
        NS_TEST_ASSERT_MSG_EQ(plan.stages[0].inFlightMicroBatches, 3u, "1F1B: min(S - s, M)");
        NS_TEST_ASSERT_MSG_EQ(plan.stages[2].inFlightMicroBatches, 1u, "1F1B: last stage");
        NS_TEST_ASSERT_MSG_EQ(plan.stages[0].memory.requiredBytes,
                              SegmentMemory::Compute(layers, 0, 4, 3).totalBytes,
                              "memory of the first segment");
        NS_TEST_ASSERT_MSG_EQ(plan.stages[0].memory.fits, true, "fits the AGX Orin");
        const EncoderPipelinePlan gpipe =
            EncoderPipelinePlanner::Plan(spec, recipe, devices, "even", PipelineSchedule::GPIPE, 4);
        NS_TEST_ASSERT_MSG_EQ(gpipe.stages[2].inFlightMicroBatches, 4u, "GPipe: all M");

        NS_TEST_ASSERT_MSG_EQ(
            EncoderPipelinePlanner::Validate(spec, recipe, 13, "even", 4),
            "devices gives 13 stages but model='bert-base' has 12 encoder blocks; at most one "
            "stage per block",
            "more stages than blocks");
        NS_TEST_ASSERT_MSG_EQ(EncoderPipelinePlanner::Validate(spec, recipe, 1, "even", 4),
                              "devices gives 1 device(s); a pipeline needs at least 2",
                              "one device");
        NS_TEST_ASSERT_MSG_EQ(EncoderPipelinePlanner::Validate(spec, recipe, 2, "even", 0),
                              "microBatches=0 is invalid: must be a positive integer",
                              "no micro-batch");
        NS_TEST_ASSERT_MSG_EQ(EncoderPipelinePlanner::Validate(spec, recipe, 2, "random", 4),
                              "split='random' is not known; allowed: even, proportional",
                              "unknown split");
        const std::string noEncoder =
            EncoderPipelinePlanner::Validate(TransformerSpec::GetPreset("gpt2-large"),
                                             recipe,
                                             2,
                                             "even",
                                             4);
        NS_TEST_ASSERT_MSG_NE(noEncoder.find("model='gpt2-large' has no encoder"),
                              std::string::npos,
                              "no encoder: " << noEncoder);
        NS_TEST_ASSERT_MSG_EQ(PipelineTrainingHelper::CheckModel("bert-base"), "", "a preset");
        NS_TEST_ASSERT_MSG_NE(PipelineTrainingHelper::CheckModel("gpt2-large"), "", "decoder only");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief PipelineTrainingHelper: two iterations at the flow level over p2p carry exactly the
 * boundary tensors, and the recorder writes its files into the output folder.
 */
class PipelineTrainingRunTestCase : public TestCase
{
  public:
    PipelineTrainingRunTestCase()
        : TestCase("pipeline training helper: flow-level run, bytes and files")
    {
    }

  private:
    void DoRun() override
    {
        const std::string dir = CreateTempDirFilename("pipeline-training");
        PipelineTrainingHelper pipeline;
        pipeline.SetModel("distilbert");
        pipeline.SetDevices("jetson-agx-orin,jetson-tx2,jetson-nano",
                            GetEdgeLlmDataPath("devices.json"));
        pipeline.SetSchedule("gpipe");
        pipeline.SetMicroBatches(2);
        pipeline.SetMicroBatchSize(1);
        pipeline.SetIterations(2);
        pipeline.SetFidelity("flow");
        pipeline.SetOutputDirectory(dir);
        pipeline.GetNetworkHelper().SetNetwork("p2p");
        NS_TEST_ASSERT_MSG_EQ(pipeline.Validate(), "", "valid");
        const EncoderPipelinePlan plan = pipeline.GetPlan();
        uint64_t perIteration = 0;
        for (uint32_t b = 0; b < plan.pipeline.activationBytes.size(); ++b)
        {
            perIteration += 2 * (plan.pipeline.activationBytes[b] + plan.pipeline.gradientBytes[b]);
        }
        const std::vector<IterationStats> stats = pipeline.Run();
        NS_TEST_ASSERT_MSG_EQ(stats.size(), 2u, "both iterations finished");
        for (const auto& iteration : stats)
        {
            NS_TEST_ASSERT_MSG_EQ(iteration.bytes, perIteration, "exact tensor bytes");
            NS_TEST_ASSERT_MSG_GT(iteration.latency.GetSeconds(), 0.0, "takes time");
        }
        NS_TEST_ASSERT_MSG_EQ(std::filesystem::exists(dir + "/iterations.csv"),
                              true,
                              "iterations.csv");
        NS_TEST_ASSERT_MSG_EQ(std::filesystem::exists(dir + "/tasks.csv"), true, "tasks.csv");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The pipeline-training test suite.
 */
class PipelineTrainingTestSuite : public TestSuite
{
  public:
    PipelineTrainingTestSuite()
        : TestSuite("edge-llm-pipeline-training", TestSuite::UNIT)
    {
        AddTestCase(new CountOptionTestCase);
        AddTestCase(new EncoderPipelinePlannerTestCase);
        AddTestCase(new PipelineTrainingRunTestCase);
    }
};

/// The suite's static instance.
PipelineTrainingTestSuite g_pipelineTrainingTestSuite;

} // namespace
