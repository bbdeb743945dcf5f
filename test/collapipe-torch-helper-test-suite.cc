/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/collapipe-torch-helper.h"
#include "ns3/test.h"
#include "ns3/torch-round-recorder.h"

#include <fstream>
#include <string>

/**
 * \file
 * \ingroup edge-llm-tests
 * What collapipe-torch is made of: CollaPipeTorchHelper's checks and cluster layout, and a
 * short flow-level run whose TorchRoundRecorder records every round and writes rounds.csv and
 * steps.csv.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \brief Lines of a text file.
 * \param path the file
 * \return its number of lines (0 when it cannot be read)
 */
uint32_t
CountLines(const std::string& path)
{
    std::ifstream in(path);
    uint32_t lines = 0;
    std::string line;
    while (std::getline(in, line))
    {
        lines++;
    }
    return lines;
}

/// Count the recorder's RoundRecorded trace.
void
CountRound(uint32_t* count, const TorchRoundRecord& record)
{
    (*count)++;
}

/**
 * \ingroup edge-llm-tests
 * \brief The combination checks of CollaPipeTorchHelper, in the order the example relies on.
 */
class CollaPipeTorchHelperCheckTestCase : public TestCase
{
  public:
    CollaPipeTorchHelperCheckTestCase()
        : TestCase("collapipe-torch helper: checks and the even split")
    {
    }

  private:
    void DoRun() override
    {
        CollaPipeTorchHelper helper;
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(), "", "the defaults are valid");
        const TorchEngineConfig config = helper.GetEngineConfig();
        NS_TEST_ASSERT_MSG_EQ(config.segmentLayers.size(), 2u, "two segment devices");
        NS_TEST_ASSERT_MSG_EQ(config.replicas, 2u, "two clusters");
        helper.SetModel("tiny-encoder");
        helper.SetDevicesPerCluster(3);
        const TorchEngineConfig tiny = helper.GetEngineConfig();
        NS_TEST_ASSERT_MSG_EQ(tiny.segmentLayers[0] + tiny.segmentLayers[1],
                              tiny.spec.encoderLayers,
                              "every block in a segment");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(tiny.segmentLayers[0],
                                    tiny.segmentLayers[1],
                                    "the first segment takes the remainder");
        helper.SetDevicesPerCluster(tiny.spec.encoderLayers + 2);
        NS_TEST_ASSERT_MSG_NE(helper.Validate().find("at most one device per block"),
                              std::string::npos,
                              "more segment devices than blocks");
        helper.SetDevicesPerCluster(2);
        helper.SetModel("bert-base");
        NS_TEST_ASSERT_MSG_NE(helper.Validate().find("more than the LibTorch engine's limit"),
                              std::string::npos,
                              "too large for the engine");
        helper.SetModel("mini-encoder");
        helper.SetOptimizer("rmsprop");
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(),
                              "optimizer='rmsprop' is not known; allowed: adam, sgd",
                              "optimizer");
        NS_TEST_ASSERT_MSG_EQ(CollaPipeTorchHelper::CheckTiming("foo"),
                              "timing='foo' is not known; allowed: analytic, measured",
                              "timing");
        NS_TEST_ASSERT_MSG_EQ(CollaPipeTorchHelper::CheckTiming("measured"), "", "measured");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Two rounds of two clusters at the flow level: a record per round with the graph's
 * bytes, losses and accuracies, and the two files.
 */
class CollaPipeTorchHelperRunTestCase : public TestCase
{
  public:
    CollaPipeTorchHelperRunTestCase()
        : TestCase("collapipe-torch helper: flow-level rounds, records and files")
    {
    }

  private:
    void DoRun() override
    {
        const std::string dir = CreateTempDirFilename("collapipe-torch");
        CollaPipeTorchHelper helper;
        helper.SetModel("tiny-encoder");
        helper.SetClusters(2);
        helper.SetDevicesPerCluster(2);
        helper.SetRounds(2);
        helper.SetLocalIterations(2);
        helper.SetMicroBatches(2);
        helper.SetMicroBatchSize(2);
        helper.SetEvalSamples(16);
        helper.SetFidelity("flow");
        helper.SetOutputDirectory(dir);
        helper.Install();
        uint32_t traced = 0;
        helper.GetRecorder()->TraceConnectWithoutContext("RoundRecorded",
                                                         MakeBoundCallback(&CountRound, &traced));
        NS_TEST_ASSERT_MSG_EQ(helper.GetHostFlops(), 0.0, "analytic timing: no calibration");
        NS_TEST_ASSERT_MSG_EQ(helper.Run(), 2u, "both rounds finished");
        Ptr<TorchRoundRecorder> recorder = helper.GetRecorder();
        const auto& records = recorder->GetRecords();
        NS_TEST_ASSERT_MSG_EQ(records.size(), 2u, "a record per round");
        NS_TEST_ASSERT_MSG_EQ(traced, 2u, "a trace per round");
        for (uint32_t r = 0; r < records.size(); ++r)
        {
            NS_TEST_ASSERT_MSG_EQ(records[r].round, r, "in order");
            NS_TEST_ASSERT_MSG_GT(records[r].latency, 0.0, "takes simulated time");
            NS_TEST_ASSERT_MSG_GT(records[r].bytes, 0u, "tensors on the wire");
            NS_TEST_ASSERT_MSG_GT(records[r].loss, 0.0, "a loss");
            NS_TEST_ASSERT_MSG_GT_OR_EQ(records[r].trainAccuracy, 0.0, "accuracy >= 0");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(records[r].heldOutAccuracy, 1.0, "accuracy <= 1");
        }
        NS_TEST_ASSERT_MSG_EQ(records[0].bytes, records[1].bytes, "the same graph every round");
        NS_TEST_ASSERT_MSG_EQ(helper.GetEngine()->GetStepRecords().size(),
                              2u * 2u * 2u,
                              "rounds x local iterations x clusters steps");
        recorder->Write();
        NS_TEST_ASSERT_MSG_EQ(recorder->GetRoundsPath(), dir + "/rounds.csv", "rounds.csv");
        NS_TEST_ASSERT_MSG_EQ(CountLines(recorder->GetRoundsPath()), 3u, "header + 2 rounds");
        NS_TEST_ASSERT_MSG_EQ(CountLines(recorder->GetStepsPath()), 9u, "header + 8 steps");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The CollaPipeTorchHelper test suite.
 */
class CollaPipeTorchHelperTestSuite : public TestSuite
{
  public:
    CollaPipeTorchHelperTestSuite()
        : TestSuite("edge-llm-collapipe-torch-helper", TestSuite::SYSTEM)
    {
        AddTestCase(new CollaPipeTorchHelperCheckTestCase);
        AddTestCase(new CollaPipeTorchHelperRunTestCase);
    }
};

/// The suite's static instance.
CollaPipeTorchHelperTestSuite g_collaPipeTorchHelperTestSuite;

} // namespace
