/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/layer-cost.h"
#include "ns3/segment-memory.h"
#include "ns3/test.h"
#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * Memory of pipeline segments and the fit check against hand computations.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \brief Layers of a preset under a recipe.
 * \param preset the preset
 * \param kind the recipe kind
 * \param dtype the data type
 * \param microBatch b
 * \return the layers
 */
std::vector<LayerCost>
Layers(const std::string& preset, RecipeKind kind, DataType dtype, uint32_t microBatch)
{
    TransformerSpec spec = TransformerSpec::GetPreset(preset);
    TrainingRecipe recipe;
    recipe.kind = kind;
    recipe.dtype = dtype;
    recipe.microBatchSize = microBatch;
    return LayerCostModel::Compute(spec, recipe);
}

/// Hand total of the 3-block BERT-base segment (see ThreeBlockSegmentTestCase).
constexpr uint64_t THREE_BLOCK_TOTAL = 747589632ULL;

/**
 * \ingroup edge-llm-tests
 * \brief Three BERT-base encoder blocks, full fp32 Adam training, b=4, s=128, 4 micro-batches
 * in flight, by hand.
 */
class ThreeBlockSegmentTestCase : public TestCase
{
  public:
    ThreeBlockSegmentTestCase()
        : TestCase("3 bert-base blocks, full fp32 Adam, b=4 s=128 M=4: hand total")
    {
    }

  private:
    void DoRun() override
    {
        const auto layers = Layers("bert-base", RecipeKind::FULL, DataType::FP32, 4);
        // Blocks 0..2 are list positions 1..3.
        const SegmentMemory m = SegmentMemory::Compute(layers, 1, 3, 4);
        // Parameters: 3 * 7,087,872 = 21,263,616; bytes * 4 = 85,054,464.
        NS_TEST_ASSERT_MSG_EQ(m.parameterBytes, 85054464ULL, "parameters");
        // fp32 gradients: the same 85,054,464.
        NS_TEST_ASSERT_MSG_EQ(m.gradientBytes, 85054464ULL, "gradients");
        // Adam, two fp32 moments, no master copy in fp32: 8 * 21,263,616 = 170,108,928.
        NS_TEST_ASSERT_MSG_EQ(m.optimizerStateBytes, 170108928ULL, "optimizer");
        // Stored per block, e=4, b=4, s=128, h=768, f=3072, a=12:
        //   b*s*h*(8e+2)    = 393,216 * 34        = 13,369,344
        //   2e*b*s*f        = 8 * 4*128*3072      = 12,582,912
        //   a*b*s^2*(2e+1)  = 12*4*16,384 * 9     =  7,077,888
        //                                   block = 33,030,144; 3 blocks = 99,090,432
        NS_TEST_ASSERT_MSG_EQ(m.storedActivationBytesPerMicroBatch, 99090432ULL, "stored");
        // Working peak: e*b*(2*s*h + max(3*s*h + a*s^2, s*f))
        //   = 16 * (196,608 + max(294,912 + 196,608, 393,216)) = 16 * 688,128 = 11,010,048
        NS_TEST_ASSERT_MSG_EQ(m.workingBytes, 11010048ULL, "working");
        // Activations: 4 in flight * 99,090,432 + 11,010,048 = 407,371,776
        NS_TEST_ASSERT_MSG_EQ(m.activationBytes, 407371776ULL, "activations");
        // Total: 85,054,464 * 2 + 170,108,928 + 407,371,776 = 747,589,632
        NS_TEST_ASSERT_MSG_EQ(m.totalBytes, THREE_BLOCK_TOTAL, "total");

        // 1F1B on the last of 4 stages keeps one micro-batch: 3 * 99,090,432 less.
        const SegmentMemory one = SegmentMemory::Compute(layers, 1, 3, 1);
        NS_TEST_ASSERT_MSG_EQ(m.totalBytes - one.totalBytes, 3ULL * 99090432ULL, "in flight");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Fit and no fit with the exact shortfall.
 */
class FitTestCase : public TestCase
{
  public:
    FitTestCase()
        : TestCase("fit check: exact short bytes")
    {
    }

  private:
    void DoRun() override
    {
        const auto layers = Layers("bert-base", RecipeKind::FULL, DataType::FP32, 4);
        const SegmentMemory m = SegmentMemory::Compute(layers, 1, 3, 4);

        MemoryFit exact = SegmentMemory::CheckFit(m, THREE_BLOCK_TOTAL, 1.0);
        NS_TEST_ASSERT_MSG_EQ(exact.fits, true, "exactly enough");
        NS_TEST_ASSERT_MSG_EQ(exact.shortBytes, 0, "no shortfall");
        NS_TEST_ASSERT_MSG_EQ(exact.reason, "", "no reason");

        MemoryFit oneShort = SegmentMemory::CheckFit(m, THREE_BLOCK_TOTAL - 1, 1.0);
        NS_TEST_ASSERT_MSG_EQ(oneShort.fits, false, "one byte short");
        NS_TEST_ASSERT_MSG_EQ(oneShort.shortBytes, 1, "one byte short");

        // 1 GiB at half: 536,870,912 usable; 747,589,632 - 536,870,912 = 210,718,720 short.
        MemoryFit half = SegmentMemory::CheckFit(m, 1073741824ULL, 0.5);
        NS_TEST_ASSERT_MSG_EQ(half.fits, false, "does not fit");
        NS_TEST_ASSERT_MSG_EQ(half.requiredBytes, THREE_BLOCK_TOTAL, "required");
        NS_TEST_ASSERT_MSG_EQ(half.availableBytes, 536870912ULL, "available");
        NS_TEST_ASSERT_MSG_EQ(half.shortBytes, 210718720ULL, "short");
        NS_TEST_ASSERT_MSG_EQ(half.reason,
                              "the segment needs 747589632 bytes but only 536870912 of 1073741824 "
                              "bytes are usable (usableFraction=0.5): short by 210718720 bytes",
                              "reason");

        MemoryFit roomy = SegmentMemory::CheckFit(m, 2147483648ULL, 0.5);
        NS_TEST_ASSERT_MSG_EQ(roomy.fits, true, "1 GiB usable of 2 GiB");
        NS_TEST_ASSERT_MSG_EQ(roomy.availableBytes, 1073741824ULL, "available");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Tied token table copy, whole-model inference memory.
 */
class TiedCopyAndInferenceTestCase : public TestCase
{
  public:
    TiedCopyAndInferenceTestCase()
        : TestCase("tied LM head copy on a segment without the embedding; inference memory")
    {
    }

  private:
    void DoRun() override
    {
        // gpt2-large: positions 0 (embedding), 1..36 (blocks), 37 (head with ln_f, tied LM head).
        const auto layers = Layers("gpt2-large", RecipeKind::FULL, DataType::FP16, 1);
        NS_TEST_ASSERT_MSG_EQ(layers.size(), 38, "gpt2-large layers");
        const SegmentMemory head = SegmentMemory::Compute(layers, 37, 37, 1);
        // ln_f 2,560 + a copy of the 50,257 x 1,280 = 64,328,960 token table, fp16.
        NS_TEST_ASSERT_MSG_EQ(head.parameterBytes, (2560ULL + 64328960ULL) * 2, "head + copy");
        NS_TEST_ASSERT_MSG_EQ(head.gradientBytes, (2560ULL + 64328960ULL) * 2, "grads too");
        NS_TEST_ASSERT_MSG_EQ(head.optimizerStateBytes,
                              (2560ULL + 64328960ULL) * 12,
                              "master + moments");
        const SegmentMemory whole = SegmentMemory::Compute(layers, 0, 37, 1);
        NS_TEST_ASSERT_MSG_EQ(whole.parameterBytes, 774030080ULL * 2, "no copy with embedding");

        // bert-base inference in fp16, b=8, s=128: parameters 109,482,240 * 2 = 218,964,480;
        // no stored activations; working peak of a block 2*8*(196,608 + 491,520) = 11,010,048.
        const auto inference = Layers("bert-base", RecipeKind::INFERENCE, DataType::FP16, 8);
        const SegmentMemory all = SegmentMemory::Compute(inference, 0, 13, 1);
        NS_TEST_ASSERT_MSG_EQ(all.gradientBytes + all.optimizerStateBytes, 0, "nothing trains");
        NS_TEST_ASSERT_MSG_EQ(all.storedActivationBytesPerMicroBatch, 0, "nothing stored");
        NS_TEST_ASSERT_MSG_EQ(all.totalBytes, 218964480ULL + 11010048ULL, "inference total");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The SegmentMemory test suite.
 */
class SegmentMemoryTestSuite : public TestSuite
{
  public:
    SegmentMemoryTestSuite()
        : TestSuite("edge-llm-segment-memory", TestSuite::UNIT)
    {
        AddTestCase(new ThreeBlockSegmentTestCase);
        AddTestCase(new FitTestCase);
        AddTestCase(new TiedCopyAndInferenceTestCase);
    }
};

/// The suite's static instance.
SegmentMemoryTestSuite g_segmentMemoryTestSuite;

} // namespace
