/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/layer-cost.h"
#include "ns3/segment-memory.h"
#include "ns3/test.h"
#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * Every bad input of the workload model and its exact message.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \ingroup edge-llm-tests
 * \brief Bad model specs.
 */
class BadSpecTestCase : public TestCase
{
  public:
    BadSpecTestCase()
        : TestCase("bad presets and model dimensions")
    {
    }

  private:
    /**
     * \brief Assert the message of a modified bert-base.
     * \param edit changes bert-base
     * \param expected the message
     */
    template <typename Edit>
    void Expect(Edit edit, const std::string& expected)
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        edit(spec);
        NS_TEST_EXPECT_MSG_EQ(spec.Validate(), expected, "spec message");
        TrainingRecipe recipe;
        NS_TEST_EXPECT_MSG_EQ(LayerCostModel::Validate(spec, recipe),
                              expected,
                              "LayerCostModel passes it on");
    }

    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("distilbert");
        NS_TEST_ASSERT_MSG_EQ(TransformerSpec::FromPreset("bert-huge", spec),
                              "model='bert-huge' is not a known preset; allowed: bert-base, "
                              "bert-large, distilbert, roberta-base, roberta-large, t5-base, "
                              "t5-large, bart-large, gpt2-large, opt-1.3b, opt-2.7b, tiny-encoder, "
                              "mini-encoder",
                              "unknown preset");
        NS_TEST_ASSERT_MSG_EQ(spec.name, "distilbert", "spec untouched on error");

        NS_TEST_ASSERT_MSG_EQ(TransformerSpec().Validate(),
                              "encoderLayers=0 is invalid for an encoder-only model: must be a "
                              "positive integer",
                              "an empty spec is not silently usable");

        Expect([](TransformerSpec& s) { s.hidden = 0; },
               "hidden=0 is invalid: must be a positive integer");
        Expect([](TransformerSpec& s) { s.heads = 0; },
               "heads=0 is invalid: must be a positive integer");
        Expect([](TransformerSpec& s) { s.ffn = 0; },
               "ffn=0 is invalid: must be a positive integer");
        Expect([](TransformerSpec& s) { s.vocabulary = 0; },
               "vocabulary=0 is invalid: must be a positive integer");
        Expect([](TransformerSpec& s) { s.sequenceLength = 0; },
               "sequenceLength=0 is invalid: must be a positive integer");
        Expect([](TransformerSpec& s) { s.encoderLayers = 0; },
               "encoderLayers=0 is invalid for an encoder-only model: must be a positive integer");
        Expect([](TransformerSpec& s) { s.decoderLayers = 2; },
               "decoderLayers=2 is invalid for an encoder-only model: must be 0");
        // A negative number that wrapped into the unsigned field.
        Expect([](TransformerSpec& s) { s.hidden = static_cast<uint32_t>(-1); },
               "hidden=4294967295 is invalid: must be at most 1048576");
        Expect([](TransformerSpec& s) { s.encoderLayers = 5000; },
               "encoderLayers=5000 is invalid: must be between 0 and 1024");
        Expect([](TransformerSpec& s) { s.heads = 7; },
               "heads=7 does not divide hidden=768: hidden must be a multiple of heads");
        Expect([](TransformerSpec& s) { s.sequenceLength = 1024; },
               "sequenceLength=1024 exceeds maxPositions=512: must be between 1 and maxPositions");
        Expect(
            [](TransformerSpec& s) {
                s.maxPositions = 0;
                s.positionOffset = 2;
            },
            "positionOffset=2 is invalid with maxPositions=0: must be 0 when there is no position "
            "table");
        Expect([](TransformerSpec& s) { s.tiedOutputEmbedding = true; },
               "tiedOutputEmbedding=true is invalid with lmHead=false: a tied output embedding "
               "needs an LM head");
        Expect([](TransformerSpec& s) { s.gatedFfn = true; },
               "gatedFfn=true is not supported: must be false (the cost formulas assume two FFN "
               "projections)");
        Expect([](TransformerSpec& s) { s.decoderSequenceLength = 64; },
               "decoderSequenceLength=64 is invalid for an encoder-only model: must be 0 (only "
               "encoder-decoder models have a separate target length; set sequenceLength)");

        TransformerSpec t5 = TransformerSpec::GetPreset("t5-base");
        t5.decoderLayers = 0;
        NS_TEST_ASSERT_MSG_EQ(
            t5.Validate(),
            "decoderLayers=0 is invalid for an encoder-decoder model: must be a positive integer",
            "encoder-decoder without decoder");
        t5 = TransformerSpec::GetPreset("t5-base");
        t5.decoderSequenceLength = 0;
        NS_TEST_ASSERT_MSG_EQ(t5.Validate(),
                              "decoderSequenceLength=0 is invalid for an encoder-decoder model: "
                              "must be a positive integer",
                              "encoder-decoder without target length");
        TransformerSpec bart = TransformerSpec::GetPreset("bart-large");
        bart.decoderSequenceLength = 2000;
        NS_TEST_ASSERT_MSG_EQ(bart.Validate(),
                              "decoderSequenceLength=2000 exceeds maxPositions=1024: must be "
                              "between 1 and maxPositions",
                              "target longer than the position table");
        TransformerSpec gpt = TransformerSpec::GetPreset("gpt2-large");
        gpt.encoderLayers = 1;
        NS_TEST_ASSERT_MSG_EQ(gpt.Validate(),
                              "encoderLayers=1 is invalid for a decoder-only model: must be 0",
                              "decoder-only with an encoder");

        TransformerArchitecture arch = TransformerArchitecture::DECODER_ONLY;
        NS_TEST_ASSERT_MSG_EQ(ParseTransformerArchitecture("bidirectional", arch),
                              "architecture='bidirectional' is not a known architecture; allowed: "
                              "encoder-only, decoder-only, encoder-decoder",
                              "architecture name");
        NS_TEST_ASSERT_MSG_EQ((arch == TransformerArchitecture::DECODER_ONLY), true, "untouched");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Bad recipes.
 */
class BadRecipeTestCase : public TestCase
{
  public:
    BadRecipeTestCase()
        : TestCase("bad recipe names and recipe fields")
    {
    }

  private:
    void DoRun() override
    {
        RecipeKind kind = RecipeKind::LORA;
        NS_TEST_ASSERT_MSG_EQ(TrainingRecipe::ParseRecipeKind("prefix-tuning", kind),
                              "recipe='prefix-tuning' is not a known recipe; allowed: full, "
                              "adapters, lora, parallel-adapters, inference",
                              "recipe name");
        NS_TEST_ASSERT_MSG_EQ(TrainingRecipe::ParseRecipeKind("Full", kind),
                              "recipe='Full' is not a known recipe; allowed: full, adapters, "
                              "lora, parallel-adapters, inference",
                              "names are case-sensitive");
        NS_TEST_ASSERT_MSG_EQ((kind == RecipeKind::LORA), true, "untouched on error");
        NS_TEST_ASSERT_MSG_EQ(TrainingRecipe::ParseRecipeKind("parallel-adapters", kind),
                              "",
                              "good name");
        NS_TEST_ASSERT_MSG_EQ((kind == RecipeKind::PARALLEL_ADAPTERS), true, "parsed");
        OptimizerKind optimizer = OptimizerKind::SGD;
        NS_TEST_ASSERT_MSG_EQ(TrainingRecipe::ParseOptimizer("adagrad", optimizer),
                              "optimizer='adagrad' is not a known optimizer; allowed: adam, sgd",
                              "optimizer name");
        NS_TEST_ASSERT_MSG_EQ((optimizer == OptimizerKind::SGD), true, "untouched");
        DataType dtype = DataType::FP32;
        NS_TEST_ASSERT_MSG_EQ(ParseDataType("int8", dtype),
                              "dtype='int8' is not a known data type; allowed: fp32, fp16, bf16",
                              "dtype name");

        TrainingRecipe recipe;
        recipe.microBatchSize = 0;
        NS_TEST_ASSERT_MSG_EQ(recipe.Validate(),
                              "microBatchSize=0 is invalid: must be a positive integer",
                              "micro-batch 0");
        recipe.microBatchSize = static_cast<uint32_t>(-8);
        NS_TEST_ASSERT_MSG_EQ(recipe.Validate(),
                              "microBatchSize=4294967288 is invalid: must be at most 65536",
                              "wrapped negative micro-batch");

        recipe = TrainingRecipe();
        recipe.kind = RecipeKind::LORA;
        recipe.loraRank = 0;
        NS_TEST_ASSERT_MSG_EQ(recipe.Validate(),
                              "loraRank=0 is invalid for recipe 'lora': must be a positive integer",
                              "lora rank 0");
        recipe.kind = RecipeKind::FULL;
        NS_TEST_ASSERT_MSG_EQ(recipe.Validate(), "", "the rank only matters for lora");

        // Dropout: a probability in [0, 1); mask bytes 0 (the data type) or 1 to 8.
        for (double bad : {1.0, -0.1, 1.5, std::nan("")})
        {
            TrainingRecipe r;
            r.dropout = bad;
            std::ostringstream expected;
            expected << "dropout=" << bad << " is invalid: must be a probability in [0, 1)";
            NS_TEST_ASSERT_MSG_EQ(r.Validate(), expected.str(), "dropout " << bad);
        }
        TrainingRecipe masks;
        masks.dropoutMaskBytes = 9;
        NS_TEST_ASSERT_MSG_EQ(masks.Validate(),
                              "dropoutMaskBytes=9 is invalid: must be 0 (the data type's size, as "
                              "LibTorch's CPU dropout keeps it) or between 1 and 8 (1: a CUDA "
                              "bool mask)",
                              "mask bytes 9");
        masks.dropoutMaskBytes = 0;
        masks.dropout = 0;
        NS_TEST_ASSERT_MSG_EQ(masks.Validate(), "", "no dropout, CPU masks");
        NS_TEST_ASSERT_MSG_EQ(masks.HasDropout(), false, "dropout 0");
        masks.dtype = DataType::BF16;
        NS_TEST_ASSERT_MSG_EQ(masks.GetDropoutMaskBytes(), 2, "0: the data type's size");
        masks.dropoutMaskBytes = 1;
        NS_TEST_ASSERT_MSG_EQ(masks.GetDropoutMaskBytes(), 1, "CUDA bool mask");

        const TransformerSpec bert = TransformerSpec::GetPreset("bert-base");
        recipe.kind = RecipeKind::LORA;
        recipe.loraRank = 1024;
        NS_TEST_ASSERT_MSG_EQ(recipe.ValidateFor(bert),
                              "loraRank=1024 exceeds hidden=768 of model 'bert-base': must be "
                              "between 1 and hidden",
                              "lora rank above hidden");
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::Validate(bert, recipe),
                              recipe.ValidateFor(bert),
                              "LayerCostModel passes it on");

        recipe = TrainingRecipe();
        recipe.kind = RecipeKind::ADAPTERS;
        recipe.adapterReduction = 0;
        NS_TEST_ASSERT_MSG_EQ(
            recipe.Validate(),
            "adapterReduction=0 is invalid for recipe 'adapters': must be a positive integer",
            "reduction 0");
        recipe.kind = RecipeKind::PARALLEL_ADAPTERS;
        NS_TEST_ASSERT_MSG_EQ(recipe.Validate(),
                              "adapterReduction=0 is invalid for recipe 'parallel-adapters': must "
                              "be a positive integer",
                              "reduction 0, side network");
        recipe.adapterReduction = 1000;
        NS_TEST_ASSERT_MSG_EQ(recipe.ValidateFor(bert),
                              "adapterReduction=1000 exceeds hidden=768 of model 'bert-base': "
                              "must be between 1 and hidden so that the width "
                              "hidden/adapterReduction is at least 1",
                              "reduction above hidden");
        recipe.adapterReduction = 768;
        NS_TEST_ASSERT_MSG_EQ(recipe.ValidateFor(bert), "", "width 1 is allowed");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Bad segments and fit arguments.
 */
class BadSegmentTestCase : public TestCase
{
  public:
    BadSegmentTestCase()
        : TestCase("bad segment ranges, in-flight count and usable fraction")
    {
    }

  private:
    void DoRun() override
    {
        const auto layers =
            LayerCostModel::Compute(TransformerSpec::GetPreset("bert-base"), TrainingRecipe());
        NS_TEST_ASSERT_MSG_EQ(SegmentMemory::Validate(layers, 0, 30, 1),
                              "last=30 is out of range: the model has 14 layers, positions 0 to 13",
                              "last out of range");
        NS_TEST_ASSERT_MSG_EQ(SegmentMemory::Validate(layers, 20, 30, 1),
                              "last=30 is out of range: the model has 14 layers, positions 0 to 13",
                              "both out of range");
        NS_TEST_ASSERT_MSG_EQ(SegmentMemory::Validate(layers, 5, 3, 1),
                              "first=5 is after last=3: a segment [first, last] needs first <= "
                              "last",
                              "first after last");
        NS_TEST_ASSERT_MSG_EQ(SegmentMemory::Validate(std::vector<LayerCost>(), 0, 0, 1),
                              "layers is empty: compute the layer costs before choosing a segment",
                              "no layers");
        NS_TEST_ASSERT_MSG_EQ(SegmentMemory::Validate(layers, 1, 3, 0),
                              "inFlightMicroBatches=0 is invalid: must be at least 1",
                              "no micro-batch in flight");
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::ValidateRange(layers, 0, 14),
                              "last=14 is out of range: the model has 14 layers, positions 0 to 13",
                              "one past the end");
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::ValidateRange(layers, 13, 13), "", "last layer");

        const SegmentMemory m = SegmentMemory::Compute(layers, 1, 3, 1);

        struct BadFraction
        {
            double fraction;
            std::string message;
        };

        const std::vector<BadFraction> bad = {
            {0.0, "usableFraction=0 is invalid: must be in (0, 1]"},
            {1.5, "usableFraction=1.5 is invalid: must be in (0, 1]"},
            {-0.25, "usableFraction=-0.25 is invalid: must be in (0, 1]"},
            {std::numeric_limits<double>::quiet_NaN(),
             "usableFraction=nan is invalid: must be in (0, 1]"},
            {std::numeric_limits<double>::infinity(),
             "usableFraction=inf is invalid: must be in (0, 1]"},
        };
        for (const auto& b : bad)
        {
            NS_TEST_ASSERT_MSG_EQ(SegmentMemory::ValidateFit(1ULL << 30, b.fraction),
                                  b.message,
                                  "fraction message");
            const MemoryFit fit = SegmentMemory::CheckFit(m, 1ULL << 30, b.fraction);
            NS_TEST_ASSERT_MSG_EQ(fit.fits, false, "invalid input never fits");
            NS_TEST_ASSERT_MSG_EQ(fit.reason, b.message, "the reason is the message");
        }
        NS_TEST_ASSERT_MSG_EQ(SegmentMemory::ValidateFit(0, 0.9),
                              "deviceMemoryBytes=0 is invalid: must be a positive number of bytes",
                              "no memory");
        NS_TEST_ASSERT_MSG_EQ(SegmentMemory::ValidateFit(1, 1.0), "", "fraction 1 is allowed");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The workload bad-input test suite.
 */
class WorkloadBadInputTestSuite : public TestSuite
{
  public:
    WorkloadBadInputTestSuite()
        : TestSuite("edge-llm-workload-bad-input", TestSuite::UNIT)
    {
        AddTestCase(new BadSpecTestCase);
        AddTestCase(new BadRecipeTestCase);
        AddTestCase(new BadSegmentTestCase);
    }
};

/// The suite's static instance.
WorkloadBadInputTestSuite g_workloadBadInputTestSuite;

} // namespace
