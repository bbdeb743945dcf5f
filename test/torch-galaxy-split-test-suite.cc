/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/test.h"
#include "ns3/torch-galaxy-split.h"

#include <iostream>

/**
 * \file
 * \ingroup edge-llm-tests
 * Galaxy's hybrid split of a layer with LibTorch: uneven heads, FFN columns and tokens over
 * several devices, with ring-ordered ReduceScatters, give the whole layer's output within
 * 1e-5; splits that do not add up are refused.
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
 * \brief The LibTorch Galaxy split suite.
 */
class TorchGalaxySplitTestSuite : public TestSuite
{
  public:
    TorchGalaxySplitTestSuite()
        : TestSuite("edge-llm-torch-galaxy-split", TestSuite::UNIT)
    {
        AddTestCase(new TorchGalaxySplitTestCase);
    }
};

static TorchGalaxySplitTestSuite g_torchGalaxySplitTestSuite; //!< registration
