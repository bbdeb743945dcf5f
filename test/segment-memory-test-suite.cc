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
constexpr uint64_t THREE_BLOCK_TOTAL = 744148992ULL;

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
        // Stored per block, e=4, b=4, s=128, h=768, f=3072, a=12, dropout with 1-byte masks
        // (the default recipe):
        //   b*s*h*(8e+2)    = 393,216 * 34        = 13,369,344
        //   2e*b*s*f        = 8 * 4*128*3072      = 12,582,912
        //   a*b*s^2*(2e+1)  = 12*4*16,384 * 9     =  7,077,888
        //   norm statistics = 2 norms*2*512*4     =      8,192
        //                                   block = 33,038,336; 3 blocks = 99,115,008
        NS_TEST_ASSERT_MSG_EQ(m.storedActivationBytesPerMicroBatch, 99115008ULL, "stored");
        // Transients, 4 micro-batches in flight (gradients may be resident, nothing taken off):
        //   forward  2*e*N*h = 2*4*512*768                           = 3,145,728
        //   backward e*N*f + (e-k)*N*h = 6,291,456 + 3*393,216       = 7,471,104
        //   optimizer 2*4*h*f - stored = 18,874,368 - 33,038,336     < 0: 0
        NS_TEST_ASSERT_MSG_EQ(m.forwardWorkingBytes, 3145728ULL, "forward working");
        NS_TEST_ASSERT_MSG_EQ(m.backwardWorkingBytes, 7471104ULL, "backward working");
        NS_TEST_ASSERT_MSG_EQ(m.optimizerWorkingBytes, 0, "optimizer working");
        NS_TEST_ASSERT_MSG_EQ(m.workingBytes, 7471104ULL, "working");
        // Activations: 4 in flight * 99,115,008 + 7,471,104 = 403,931,136
        NS_TEST_ASSERT_MSG_EQ(m.activationBytes, 403931136ULL, "activations");
        // Total: 85,054,464 * 2 + 170,108,928 + 403,931,136 = 744,148,992
        NS_TEST_ASSERT_MSG_EQ(m.totalBytes, THREE_BLOCK_TOTAL, "total");

        // 1F1B on the last of 4 stages keeps one micro-batch: 3 * 99,115,008 less, and with one
        // micro-batch in flight the transients are taken less the block's gradients
        // (7,087,872 * 4 = 28,351,488): forward 3,145,728 and backward 7,471,104 + the FFN's
        // second linear and the last norm's gradients 4*(768*3072 + 3*768) = 9,446,400 are both
        // below it, so the working bytes are 0: 7,471,104 less in all.
        const SegmentMemory one = SegmentMemory::Compute(layers, 1, 3, 1);
        NS_TEST_ASSERT_MSG_EQ(one.workingBytes, 0, "one in flight: no transient on top");
        NS_TEST_ASSERT_MSG_EQ(m.totalBytes - one.totalBytes,
                              3ULL * 99115008ULL + 7471104ULL,
                              "in flight");
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

        // 1 GiB at half: 536,870,912 usable; 744,148,992 - 536,870,912 = 207,278,080 short.
        MemoryFit half = SegmentMemory::CheckFit(m, 1073741824ULL, 0.5);
        NS_TEST_ASSERT_MSG_EQ(half.fits, false, "does not fit");
        NS_TEST_ASSERT_MSG_EQ(half.requiredBytes, THREE_BLOCK_TOTAL, "required");
        NS_TEST_ASSERT_MSG_EQ(half.availableBytes, 536870912ULL, "available");
        NS_TEST_ASSERT_MSG_EQ(half.shortBytes, 207278080ULL, "short");
        NS_TEST_ASSERT_MSG_EQ(half.reason,
                              "the segment needs 744148992 bytes but only 536870912 of 1073741824 "
                              "bytes are usable (usableFraction=0.5): short by 207278080 bytes",
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
        // no stored activations. Working peak of a block (eager LibTorch, N = 1,024 tokens,
        // N*h = 786,432, scores A = 12*8*128^2 = 1,572,864): the input e*N*h = 1,572,864 plus
        // the largest phase: attention e*3Nh + max(e*(2Nh + A), 2e*A) = 4,718,592 + 6,291,456 =
        // 11,010,048, FFN e*(Nh + 2Nf) = 2*(786,432 + 6,291,456) = 14,155,776: 15,728,640.
        const auto inference = Layers("bert-base", RecipeKind::INFERENCE, DataType::FP16, 8);
        const SegmentMemory all = SegmentMemory::Compute(inference, 0, 13, 1);
        NS_TEST_ASSERT_MSG_EQ(all.gradientBytes + all.optimizerStateBytes, 0, "nothing trains");
        NS_TEST_ASSERT_MSG_EQ(all.storedActivationBytesPerMicroBatch, 0, "nothing stored");
        NS_TEST_ASSERT_MSG_EQ(all.workingBytes, 15728640ULL, "inference working");
        NS_TEST_ASSERT_MSG_EQ(all.totalBytes, 218964480ULL + 15728640ULL, "inference total");
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
