/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/galaxy-strategy.h"
#include "ns3/scenario.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/torch-galaxy-engine.h"
#include "ns3/torch-galaxy-split.h"

#include <cmath>
#include <iostream>

/**
 * \file
 * \ingroup edge-llm-tests
 * Galaxy's hybrid split of a layer with LibTorch: uneven heads, FFN columns and tokens over
 * several devices, with ring-ordered ReduceScatters, give the whole layer's output within
 * 1e-5; splits that do not add up are refused; and the same with the tensors carried over the
 * simulated network (TorchGalaxyEngine) at the flow and the packet level.
 */

using namespace ns3;
using namespace ns3::edgellm;

/**
 * \ingroup edge-llm-tests
 * Three splits of a layer of width 64, 4 heads, FFN 256, 16 tokens: even over two devices;
 * uneven over three (heads 2/1/1, columns 128/64/64, tokens 7/5/4); over four with a device
 * that has tokens but no heads or columns (it only relays and normalises). Each within 1e-5 of
 * the whole layer (values of order 1 after the norm). Then a split that leaves a head out of
 * the attention (its heads sum to 3 of 4, which Validate refuses) is checked to be refused.
 */
class TorchGalaxySplitTestCase : public TestCase
{
  public:
    TorchGalaxySplitTestCase()
        : TestCase("Galaxy split with LibTorch: uneven heads, columns and tokens equal the layer")
    {
    }

  private:
    void DoRun() override
    {
        struct Split
        {
            std::vector<uint32_t> heads;   //!< per device
            std::vector<uint32_t> columns; //!< per device
            std::vector<uint32_t> tokens;  //!< per device
        };

        const std::vector<Split> splits = {{{2, 2}, {128, 128}, {8, 8}},
                                           {{2, 1, 1}, {128, 64, 64}, {7, 5, 4}},
                                           {{3, 0, 1, 0}, {192, 0, 64, 0}, {5, 3, 6, 2}}};
        for (const Split& split : splits)
        {
            TorchGalaxySplitConfig config;
            config.headShare = split.heads;
            config.columnShare = split.columns;
            config.tokenShare = split.tokens;
            NS_TEST_ASSERT_MSG_EQ(TorchGalaxySplit::Validate(config), "", "a valid split");
            double difference = 0;
            double magnitude = 0;
            TorchGalaxySplit::Compare(config, difference, magnitude);
            std::clog << "  " << split.tokens.size() << " devices: largest difference "
                      << difference << " (outputs up to " << magnitude << ")" << std::endl;
            NS_TEST_ASSERT_MSG_GT(magnitude, 0.5, "a real output");
            NS_TEST_ASSERT_MSG_LT(difference, 1e-5, "the split computes the layer");
        }
        TorchGalaxySplitConfig bad;
        bad.headShare = {2, 1};
        bad.columnShare = {128, 128};
        bad.tokenShare = {8, 8};
        NS_TEST_ASSERT_MSG_NE(TorchGalaxySplit::Validate(bad), "", "heads must sum to 4");
        bad.headShare = {2, 2};
        bad.tokenShare = {16, 0};
        NS_TEST_ASSERT_MSG_EQ(TorchGalaxySplit::Validate(bad),
                              "tokenShare has a 0: every member of the ring takes a token at least",
                              "a member without tokens");
    }
};

/**
 * \ingroup edge-llm-tests
 * Galaxy's split with the tensors over the simulated network: tiny-encoder (4 layers of width
 * 256, 4 heads, FFN 1024, 32 tokens) evenly split over a Jetson Nano, a TX2 and a Xavier NX on
 * point-to-point links (heads 2/1/1, FFN units 6/5/5, tokens 11/11/10), two rounds. Every
 * member ends with the whole model's output within 1e-5; the engine carried exactly the bytes
 * of the rounds' transfers; at the flow level and at the packet level (ns-3 TCP).
 */
class TorchGalaxyEngineTestCase : public TestCase
{
  public:
    /// \param fidelity flow or packet
    TorchGalaxyEngineTestCase(const std::string& fidelity)
        : TestCase("Galaxy with LibTorch tensors over the " + fidelity +
                   " level equals the model on one device"),
          m_fidelity(fidelity)
    {
    }

  private:
    void DoRun() override
    {
        const std::string text = R"({
  "name": "galaxy-torch",
  "workload": {"model": "tiny-encoder", "recipe": "inference", "batchSize": 1},
  "fleet": {"server": "jetson-nano", "groups": [{"devices": [
    "jetson-nano", "jetson-tx2", "jetson-xavier-nx"]}]},
  "network": {"kind": "p2p", "dataRateMbps": 1000, "delayMs": 0.1},
  "rounds": 2, "fidelity": "flow", "seed": 1, "run": 1,
  "runs": [{"name": "even", "strategy": {"type": "ns3::GalaxyStrategy",
            "attributes": {"Split": "even"}}}]
})";
        Scenario scenario;
        const std::string problem = Scenario::LoadString(text, "galaxy-torch", ".", scenario);
        NS_TEST_ASSERT_MSG_EQ(problem, "", "the scenario");
        scenario.study.SetFidelity(m_fidelity);
        scenario.study.SetOutputDirectory(CreateTempDirFilename("galaxy-torch-" + m_fidelity));
        Ptr<TorchGalaxyEngine> engine = CreateObject<TorchGalaxyEngine>();
        TorchGalaxyConfig config;
        config.spec = scenario.study.GetWorkload().spec;
        const Fleet& fleet = scenario.study.GetFleet();
        for (uint32_t i = 0; i < fleet.GetGroupSize(0); ++i)
        {
            config.nodes.push_back(fleet.GetDeviceNode(0, i));
        }
        NS_TEST_ASSERT_MSG_EQ(TorchGalaxyEngine::Validate(config), "", "valid");
        engine->Configure(config);
        scenario.study.SetExecutionCallback(MakeCallback(&TorchGalaxyEngine::Connect, engine));
        Ptr<Strategy> strategy = Scenario::CreateStrategy(scenario.runs.front());
        strategy->TraceConnectWithoutContext("Planned",
                                             MakeCallback(&TorchGalaxyEngine::SetPlan, engine));
        std::vector<RoundRecord> records;
        const std::string failed = scenario.study.Run("even", strategy, records);
        NS_TEST_ASSERT_MSG_EQ(failed, "", "the run");
        NS_TEST_ASSERT_MSG_EQ(records.size(), 2u, "two rounds");
        const std::vector<float> reference = engine->Reference();
        double magnitude = 0;
        for (float v : reference)
        {
            magnitude = std::max(magnitude, std::abs(double(v)));
        }
        NS_TEST_ASSERT_MSG_GT(magnitude, 0.5, "a real output");
        for (uint32_t device = 0; device < 3; ++device)
        {
            const std::vector<float> output = engine->GetOutput(device);
            NS_TEST_ASSERT_MSG_EQ(output.size(), reference.size(), "device " << device);
            double difference = 0;
            for (size_t i = 0; i < output.size(); ++i)
            {
                difference = std::max(difference, std::abs(double(output[i]) - reference[i]));
            }
            std::clog << "  " << m_fidelity << " level, device " << device
                      << ": largest difference " << difference << std::endl;
            NS_TEST_ASSERT_MSG_LT(difference, 1e-5, "device " << device << " has the output");
        }
        NS_TEST_ASSERT_MSG_EQ(engine->GetCarriedBytes(),
                              records[0].phaseBytes + records[1].phaseBytes,
                              "every transfer carried its tensor");
        // per layer two ReduceScatters and two AllGathers of 2 x 32 x 256 x 4 bytes
        NS_TEST_ASSERT_MSG_EQ(records[0].phaseBytes, 4u * 4 * 2 * 32 * 256 * 4, "the bytes");
    }

    std::string m_fidelity; //!< flow or packet
};

/**
 * \ingroup edge-llm-tests
 * \brief The LibTorch Galaxy split suite.
 */
class TorchGalaxySplitTestSuite : public TestSuite
{
  public:
    TorchGalaxySplitTestSuite()
        : TestSuite("edge-llm-torch-galaxy-split", TestSuite::UNIT)
    {
        AddTestCase(new TorchGalaxySplitTestCase);
        AddTestCase(new TorchGalaxyEngineTestCase("flow"));
        AddTestCase(new TorchGalaxyEngineTestCase("packet"));
    }
};

static TorchGalaxySplitTestSuite g_torchGalaxySplitTestSuite; //!< registration
