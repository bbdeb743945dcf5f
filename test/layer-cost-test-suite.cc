/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/layer-cost.h"
#include "ns3/test.h"
#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * Per-layer FLOPs, parameters and bytes of LayerCostModel against hand computations.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \brief BERT-base layers for a recipe on b=8 sequences of 128 tokens.
 * \param kind the recipe kind
 * \param dtype the data type
 * \return the layers
 */
std::vector<LayerCost>
BertBase(RecipeKind kind, DataType dtype)
{
    TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
    spec.sequenceLength = 128;
    TrainingRecipe recipe;
    recipe.kind = kind;
    recipe.dtype = dtype;
    recipe.microBatchSize = 8;
    recipe.loraRank = 8;
    recipe.adapterReduction = 16;
    return LayerCostModel::Compute(spec, recipe);
}

/// Forward FLOPs of one BERT-base encoder layer, b=8, s=128, by hand: T = 8*128 = 1024 tokens;
/// projections 2*T*(4*768^2 + 2*768*3072) = 2048 * (2,359,296 + 4,718,592) = 14,495,514,624;
/// attention core 4*b*s^2*h = 4*8*16,384*768 = 402,653,184.
constexpr double BERT_PROJECTION_FLOPS = 14495514624.0;
/// See BERT_PROJECTION_FLOPS.
constexpr double BERT_ATTENTION_CORE_FLOPS = 402653184.0;

/**
 * \ingroup edge-llm-tests
 * \brief Full training: layer order, forward FLOPs by hand, backward = 2x forward.
 */
class FullTrainingFlopsTestCase : public TestCase
{
  public:
    FullTrainingFlopsTestCase()
        : TestCase("bert-base full training: hand FLOPs, backward = 2x forward")
    {
    }

  private:
    void DoRun() override
    {
        const auto layers = BertBase(RecipeKind::FULL, DataType::FP32);
        NS_TEST_ASSERT_MSG_EQ(layers.size(), 14, "embedding + 12 blocks + head");
        NS_TEST_ASSERT_MSG_EQ((layers[0].kind == LayerKind::EMBEDDING), true, "first");
        NS_TEST_ASSERT_MSG_EQ((layers[13].kind == LayerKind::OUTPUT_HEAD), true, "last");
        for (uint32_t i = 1; i <= 12; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ((layers[i].kind == LayerKind::ENCODER_BLOCK), true, "block");
            NS_TEST_ASSERT_MSG_EQ(layers[i].index, i - 1, "block index");
        }
        const LayerCost& block = layers[1];
        // 14,495,514,624 + 402,653,184 = 14,898,167,808
        NS_TEST_ASSERT_MSG_EQ_TOL(block.forwardFlops, 14898167808.0, 0.5, "forward by hand");
        NS_TEST_ASSERT_MSG_EQ_TOL(block.forwardFlops,
                                  BERT_PROJECTION_FLOPS + BERT_ATTENTION_CORE_FLOPS,
                                  0.5,
                                  "forward");
        NS_TEST_ASSERT_MSG_EQ_TOL(block.backboneForwardFlops, block.forwardFlops, 0.5, "all bb");
        for (const auto& layer : layers)
        {
            NS_TEST_ASSERT_MSG_EQ_TOL(layer.backwardFlops,
                                      2 * layer.forwardFlops,
                                      1.0,
                                      "backward is twice the forward");
            NS_TEST_ASSERT_MSG_EQ(layer.trainableParameterCount, layer.parameterCount, "all");
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(block.backwardFlops, 29796335616.0, 0.5, "2 * 14,898,167,808");
        // Embedding: lookups only. Head: pooler on the first token, 2*8*768*768 = 9,437,184.
        NS_TEST_ASSERT_MSG_EQ_TOL(layers[0].forwardFlops, 0.0, 0.0, "embedding");
        NS_TEST_ASSERT_MSG_EQ_TOL(layers[13].forwardFlops, 9437184.0, 0.5, "pooler");
        // The model total is about 2 * parameters * tokens (Kaplan et al.): the blocks'
        // 12 * 7,087,872 weights over 1,024 tokens give 1.742e11; the attention core 4.8e9 more.
        const double total = LayerCostModel::SumForwardFlops(layers, 0, 13);
        NS_TEST_ASSERT_MSG_EQ_TOL(total,
                                  12 * (BERT_PROJECTION_FLOPS + BERT_ATTENTION_CORE_FLOPS) +
                                      9437184.0,
                                  1.0,
                                  "sum over the model");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief LoRA and adapters: trainable parameters and FLOPs by hand; the frozen backbone costs
 * its input gradient only.
 */
class FrozenBackboneTestCase : public TestCase
{
  public:
    FrozenBackboneTestCase()
        : TestCase("lora and adapters: hand-counted trainables and backward")
    {
    }

  private:
    void DoRun() override
    {
        const auto lora = BertBase(RecipeKind::LORA, DataType::FP32);
        const LayerCost& lb = lora[1];
        // Query and value, each A (768 x 8) and B (8 x 768): 2 * (6,144 + 6,144) = 24,576.
        NS_TEST_ASSERT_MSG_EQ(lb.trainableParameterCount, 24576ULL, "lora per block");
        NS_TEST_ASSERT_MSG_EQ(lb.parameterCount, 7087872ULL + 24576ULL, "backbone + lora");
        // 12 * 24,576 = 294,912 (the figure PEFT prints for bert-base, r=8, query+value).
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::SumTrainableParameterCount(lora, 0, 13),
                              294912ULL,
                              "lora total");
        // Added forward: 2 modules * (2*1024*768*8 + 2*1024*8*768) = 50,331,648.
        NS_TEST_ASSERT_MSG_EQ_TOL(lb.forwardFlops - lb.backboneForwardFlops,
                                  50331648.0,
                                  0.5,
                                  "lora forward");
        // Backward: projections 1x (input gradient only), attention core 2x (both operands are
        // activations), LoRA 2x: 14,495,514,624 + 805,306,368 + 100,663,296 = 15,401,484,288.
        NS_TEST_ASSERT_MSG_EQ_TOL(lb.backwardFlops, 15401484288.0, 0.5, "lora backward");
        NS_TEST_ASSERT_MSG_EQ_TOL(lora[0].backwardFlops, 0.0, 0.0, "frozen embedding");
        NS_TEST_ASSERT_MSG_EQ_TOL(lora[13].backwardFlops, 9437184.0, 0.5, "pooler input grad");
        NS_TEST_ASSERT_MSG_EQ(lora[0].gradientBytes, 0, "no embedding gradient");
        NS_TEST_ASSERT_MSG_EQ(lb.gradientBytes, 24576ULL * 4, "lora gradients fp32");
        NS_TEST_ASSERT_MSG_EQ(lb.optimizerStateBytes, 24576ULL * 8, "adam fp32 moments");
        // Stored, e=4, b=8, s=128, h=768, f=3072, a=12, r=8:
        //   frozen block  b*s*h*(5e+2) = 786,432*22        = 17,301,504
        //                 e*b*s*f      = 4*1,024*3,072     = 12,582,912
        //                 a*b*s^2*(2e+1) = 12*8*16,384*9   = 14,155,776
        //   lora inputs   e*b*s*h      = 4*786,432         =  3,145,728
        //                 2*e*b*s*r    = 2*4*1,024*8       =     65,536
        //   norm stats    2*2*b*s*e    = 4*1,024*4         =     16,384
        //                                            total = 47,267,840
        // (the default recipe: dropout 0.1 with 1-byte masks, so b*s*h*(5e+2) and (2e+1)*A)
        NS_TEST_ASSERT_MSG_EQ(lb.storedActivationBytes, 47267840ULL, "lora stored");

        const auto adapters = BertBase(RecipeKind::ADAPTERS, DataType::FP32);
        const LayerCost& ab = adapters[1];
        // m = 768 / 16 = 48; two adapters of 768*48 + 48 + 48*768 + 768 = 74,544 -> 149,088.
        NS_TEST_ASSERT_MSG_EQ(ab.trainableParameterCount, 149088ULL, "adapters per block");
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::SumTrainableParameterCount(adapters, 0, 13),
                              12ULL * 149088ULL,
                              "adapters total 1,789,056");
        // Added forward: 2 adapters * (2*1024*768*48 + 2*1024*48*768) = 301,989,888.
        NS_TEST_ASSERT_MSG_EQ_TOL(ab.forwardFlops - ab.backboneForwardFlops,
                                  301989888.0,
                                  0.5,
                                  "adapter forward");
        NS_TEST_ASSERT_MSG_EQ_TOL(ab.backwardFlops,
                                  BERT_PROJECTION_FLOPS + 2 * BERT_ATTENTION_CORE_FLOPS +
                                      2 * 301989888.0,
                                  0.5,
                                  "adapter backward");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Parallel adapters: no backbone backward, only the side network trains.
 */
class ParallelAdaptersTestCase : public TestCase
{
  public:
    ParallelAdaptersTestCase()
        : TestCase("parallel adapters: zero backbone backward, side network by hand")
    {
    }

  private:
    void DoRun() override
    {
        const auto layers = BertBase(RecipeKind::PARALLEL_ADAPTERS, DataType::FP32);
        for (uint32_t i = 1; i <= 12; ++i)
        {
            const LayerCost& c = layers[i];
            const double side = c.forwardFlops - c.backboneForwardFlops;
            // Side block, w = 768/16 = 48: 2*T*(h*w + w*w) = 2*1024*(36,864 + 2,304) = 80,216,064
            NS_TEST_ASSERT_MSG_EQ_TOL(side, 80216064.0, 0.5, "side forward");
            // Backward: the tap x A (x the frozen block output) needs only its weight gradient,
            // 2*T*h*w = 75,497,472; B needs both, 2 * 2*T*w*w = 9,437,184.
            NS_TEST_ASSERT_MSG_EQ_TOL(c.backwardFlops, 84934656.0, 0.5, "side backward only");
            NS_TEST_ASSERT_MSG_EQ_TOL(c.backboneForwardFlops,
                                      BERT_PROJECTION_FLOPS + BERT_ATTENTION_CORE_FLOPS,
                                      0.5,
                                      "backbone still runs forward");
            // h*w + w + w*w + w = 36,864 + 48 + 2,304 + 48 = 39,264
            NS_TEST_ASSERT_MSG_EQ(c.trainableParameterCount, 39264ULL, "side block params");
            // Backbone keeps only its block output for the side network: e*b*s*h = 3,145,728;
            // the side block keeps u and the GELU input: 2*e*b*s*w = 393,216.
            NS_TEST_ASSERT_MSG_EQ(c.storedActivationBytes, 3538944ULL, "stored");
            // Hidden state plus side state cross a cut: 4*1024*(768 + 48) = 3,342,336.
            NS_TEST_ASSERT_MSG_EQ(c.boundaryActivationBytes, 3342336ULL, "boundary");
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(layers[0].backwardFlops, 0.0, 0.0, "embedding");
        // Head: up-projection 48 x 768 + 768 = 37,632 trainable.
        NS_TEST_ASSERT_MSG_EQ(layers[13].trainableParameterCount, 37632ULL, "up-projection");
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::SumTrainableParameterCount(layers, 0, 13),
                              12ULL * 39264ULL + 37632ULL,
                              "side network total 508,800");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Inference: nothing trains, nothing is stored for backward.
 */
class InferenceTestCase : public TestCase
{
  public:
    InferenceTestCase()
        : TestCase("inference: no gradients, optimizer state or stored activations")
    {
    }

  private:
    void DoRun() override
    {
        for (const auto& name : {"bert-base", "t5-base", "opt-1.3b"})
        {
            TransformerSpec spec = TransformerSpec::GetPreset(name);
            TrainingRecipe recipe;
            recipe.kind = RecipeKind::INFERENCE;
            recipe.dtype = DataType::FP16;
            for (const auto& c : LayerCostModel::Compute(spec, recipe))
            {
                NS_TEST_ASSERT_MSG_EQ(c.trainableParameterCount, 0, name);
                NS_TEST_ASSERT_MSG_EQ(c.gradientBytes, 0, name);
                NS_TEST_ASSERT_MSG_EQ(c.optimizerStateBytes, 0, name);
                NS_TEST_ASSERT_MSG_EQ(c.storedActivationBytes, 0, name);
                NS_TEST_ASSERT_MSG_EQ(c.tiedGradientBytes, 0, name);
                NS_TEST_ASSERT_MSG_EQ_TOL(c.backwardFlops, 0.0, 0.0, name);
                NS_TEST_ASSERT_MSG_EQ(c.backwardMemoryBytes, 0, name);
                NS_TEST_ASSERT_MSG_EQ(c.parameterBytes, c.parameterCount * 2, name);
            }
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Boundary bytes per data type, Korthikanti's activation formula, optimizer bytes.
 */
class BytesTestCase : public TestCase
{
  public:
    BytesTestCase()
        : TestCase("boundary bytes, Korthikanti 34 and 5, ZeRO 16 bytes per parameter")
    {
    }

  private:
    void DoRun() override
    {
        // Boundary: b*s*h*e = 8*128*768*e.
        NS_TEST_ASSERT_MSG_EQ(BertBase(RecipeKind::FULL, DataType::FP32)[5].boundaryActivationBytes,
                              786432ULL * 4,
                              "fp32");
        NS_TEST_ASSERT_MSG_EQ(BertBase(RecipeKind::FULL, DataType::FP16)[5].boundaryActivationBytes,
                              786432ULL * 2,
                              "fp16");
        NS_TEST_ASSERT_MSG_EQ(BertBase(RecipeKind::LORA, DataType::BF16)[5].boundaryActivationBytes,
                              786432ULL * 2,
                              "bf16");
        NS_TEST_ASSERT_MSG_EQ(
            BertBase(RecipeKind::INFERENCE, DataType::FP32)[5].boundaryActivationBytes,
            786432ULL * 4,
            "inference fp32");

        // Korthikanti et al. 2022: s*b*h*(34 + 5*a*s/h) at 16 bits with ffn = 4h, dropout and
        // 1-byte masks (the default recipe), plus the two LayerNorms' mean and rstd that the
        // paper leaves out: 2 norms * 2 statistics * b*s * e = 4 * 1,024 * 2 = 8,192.
        // s*b*h = 128*8*768 = 786,432; 5*a*s/h = 5*12*128/768 = 10.
        const auto fp16 = BertBase(RecipeKind::FULL, DataType::FP16);
        const uint64_t sbh = 128ULL * 8 * 768;
        NS_TEST_ASSERT_MSG_EQ(fp16[1].storedActivationBytes,
                              sbh * (34 + 10) + 8192,
                              "34 + 5as/h = 34,603,008, plus 8,192 of norm statistics");
        // Generalized, fp32 and ffn = 2h: h=512, a=8, f=1024, b=2, s=64, e=4, k=1 (N = 128):
        // e*(8Nh + 2Nf + A) = 4*(524,288 + 262,144 + 65,536) = 3,407,872;
        // norms 2*2*N*e = 2,048; dropout k*2Nh + (e+k)*A = 131,072 + 5*65,536 = 458,752;
        // total 3,868,672 (Korthikanti's b*s*h*(8e+2) + 2e*b*s*f + a*b*s^2*(2e+1) = 3,866,624
        // plus the statistics).
        TransformerSpec custom = TransformerSpec::GetPreset("tiny-encoder");
        custom.hidden = 512;
        custom.heads = 8;
        custom.ffn = 1024;
        TrainingRecipe recipe;
        recipe.microBatchSize = 2;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::GetFullBlockStoredBytes(custom, recipe, 64),
                              3868672ULL,
                              "generalized formula");
        custom.sequenceLength = 64;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::Compute(custom, recipe)[1].storedActivationBytes,
                              3868672ULL,
                              "the block uses it");
        // Without dropout: 3,407,872 + 2,048 = 3,409,920. LibTorch CPU masks (k = e = 4):
        // dropout adds 4*2Nh + 8*A = 524,288 + 524,288 = 1,048,576: 4,458,496.
        TrainingRecipe noDropout = recipe;
        noDropout.dropout = 0;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::GetFullBlockStoredBytes(custom, noDropout, 64),
                              3409920ULL,
                              "no dropout");
        TrainingRecipe cpu = recipe;
        cpu.dropoutMaskBytes = 0;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::GetFullBlockStoredBytes(custom, cpu, 64),
                              4458496ULL,
                              "CPU masks of the data type");
        // Frozen backbone: e*(5Nh + Nf + A) = 4*(327,680 + 131,072 + 65,536) = 2,097,152, plus
        // 2,048 of statistics and the same dropout terms (458,752 with k=1): 2,557,952.
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::GetFrozenBlockStoredBytes(custom, recipe, 64),
                              2557952ULL,
                              "frozen backbone");

        // BERT-base block, fp32, b=8, s=128: N = 1,024, N*h = 786,432, N*f = 3,145,728,
        // A = 12*8*128^2 = 1,572,864. Without dropout e*(8Nh + 2Nf + A) + 2 norms*2*N*e =
        // 4*(6,291,456 + 6,291,456 + 1,572,864) + 16,384 = 56,639,488 (what TorchLayerProbe
        // measures on LibTorch 1.13's CPU). Dropout with CPU masks (k = e = 4) adds
        // (e+k)*A + 2k*Nh = 12,582,912 + 6,291,456: 75,513,856 (measured too); with CUDA masks
        // (k = 1) 5*A + 2*Nh = 7,864,320 + 1,572,864: 66,076,672.
        const TransformerSpec bertSpec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe bert32;
        bert32.microBatchSize = 8;
        bert32.dropout = 0;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::Compute(bertSpec, bert32)[1].storedActivationBytes,
                              56639488ULL,
                              "bert-base fp32, no dropout");
        bert32.dropout = 0.1;
        bert32.dropoutMaskBytes = 0;
        const LayerCost cpuBlock = LayerCostModel::Compute(bertSpec, bert32)[1];
        NS_TEST_ASSERT_MSG_EQ(cpuBlock.storedActivationBytes, 75513856ULL, "CPU masks");
        bert32.dropoutMaskBytes = 1;
        const LayerCost cudaBlock = LayerCostModel::Compute(bertSpec, bert32)[1];
        NS_TEST_ASSERT_MSG_EQ(cudaBlock.storedActivationBytes, 66076672ULL, "CUDA masks");
        // Transients of the fully trained block: forward 2*e*Nh = 6,291,456; backward e*Nf =
        // 12,582,912, plus (e-k)*Nh = 3*786,432 = 2,359,296 with 1-byte masks (the dropout's
        // output gradient outlives its mask); the FFN's second linear and the last norm's
        // gradients 4*(768*3072 + 3*768) = 9,446,400; Adam 2 * 4 * 768*3072 = 18,874,368.
        NS_TEST_ASSERT_MSG_EQ(cpuBlock.workingBytes, 6291456ULL, "forward transient");
        NS_TEST_ASSERT_MSG_EQ(cpuBlock.backwardWorkingBytes, 12582912ULL, "backward, CPU");
        NS_TEST_ASSERT_MSG_EQ(cudaBlock.backwardWorkingBytes,
                              12582912ULL + 2359296ULL,
                              "backward, CUDA masks");
        NS_TEST_ASSERT_MSG_EQ(cpuBlock.backwardGradientBytes, 9446400ULL, "gradients by the peak");
        NS_TEST_ASSERT_MSG_EQ(cpuBlock.optimizerWorkingBytes, 18874368ULL, "Adam temporaries");
        // LoRA, CPU masks: frozen e*(5Nh + Nf + A) + 16,384 + (e+k)*A + 2k*Nh
        // = 4*(3,932,160 + 3,145,728 + 1,572,864) + 16,384 + 18,874,368 = 53,493,760, plus the
        // attention input e*Nh = 3,145,728 and 2*e*N*r = 65,536: 56,705,024 (measured too).
        bert32.kind = RecipeKind::LORA;
        bert32.dropoutMaskBytes = 0;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::Compute(bertSpec, bert32)[1].storedActivationBytes,
                              56705024ULL,
                              "lora, CPU masks");

        // Mixed-precision Adam: 2 (fp16 weights) + 2 (fp16 gradients) + 12 (fp32 master, two
        // fp32 moments) = 16 bytes per parameter (Rajbhandari et al., ZeRO).
        const LayerCost& b16 = fp16[1];
        NS_TEST_ASSERT_MSG_EQ(b16.parameterBytes + b16.gradientBytes + b16.optimizerStateBytes,
                              16ULL * 7087872ULL,
                              "16 bytes per parameter");
        NS_TEST_ASSERT_MSG_EQ(b16.optimizerStateBytes, 12ULL * 7087872ULL, "K = 12");
        const LayerCost b32 = BertBase(RecipeKind::FULL, DataType::FP32)[1];
        NS_TEST_ASSERT_MSG_EQ(b32.optimizerStateBytes, 8ULL * 7087872ULL, "fp32: no master");

        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe pure;
        pure.dtype = DataType::BF16;
        pure.fp32MasterWeights = false;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::Compute(spec, pure)[1].optimizerStateBytes,
                              4ULL * 7087872ULL,
                              "pure bf16 Adam: two bf16 moments");
        TrainingRecipe sgd;
        sgd.optimizer = OptimizerKind::SGD;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::Compute(spec, sgd)[1].optimizerStateBytes,
                              0,
                              "sgd fp32: no state");
        sgd.dtype = DataType::FP16;
        NS_TEST_ASSERT_MSG_EQ(LayerCostModel::Compute(spec, sgd)[1].optimizerStateBytes,
                              4ULL * 7087872ULL,
                              "sgd fp16: master copy only");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Encoder-decoder: layer order, decoder block FLOPs by hand, boundaries, tied table.
 */
class EncoderDecoderTestCase : public TestCase
{
  public:
    EncoderDecoderTestCase()
        : TestCase("t5-base: layer order, cross-attention FLOPs, boundaries")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("t5-base");
        spec.sequenceLength = 128;
        spec.decoderSequenceLength = 128;
        TrainingRecipe recipe;
        recipe.microBatchSize = 1;
        const auto layers = LayerCostModel::Compute(spec, recipe);
        NS_TEST_ASSERT_MSG_EQ(layers.size(), 27, "1 + 12 + 1 + 12 + 1");
        NS_TEST_ASSERT_MSG_EQ((layers[13].kind == LayerKind::DECODER_EMBEDDING), true, "dec emb");
        NS_TEST_ASSERT_MSG_EQ((layers[14].kind == LayerKind::DECODER_BLOCK), true, "dec block");
        NS_TEST_ASSERT_MSG_EQ((layers[26].kind == LayerKind::OUTPUT_HEAD), true, "head");
        // Decoder block, b=1, s=sd=128, h=768, f=3072:
        //   projections 2*128*(6*768^2 + 2*768*3072) = 256*8,257,536       = 2,113,929,216
        //   cross K, V on encoder tokens 2*128*(2*768^2)                      =   301,989,888
        //   self core 4*128^2*768 + cross core 4*128*128*768                  =   100,663,296
        //                                                              total  = 2,516,582,400
        NS_TEST_ASSERT_MSG_EQ_TOL(layers[14].forwardFlops, 2516582400.0, 0.5, "decoder block");
        // Encoder output travels with the decoder state except after the last decoder block:
        // 4*(128+128)*768 = 786,432 and 4*128*768 = 393,216.
        NS_TEST_ASSERT_MSG_EQ(layers[14].boundaryActivationBytes, 786432ULL, "inner boundary");
        NS_TEST_ASSERT_MSG_EQ(layers[25].boundaryActivationBytes, 393216ULL, "last boundary");
        // Tied LM head: 2*128*768*32128 = 6,316,621,824 FLOPs, reads the 24,674,304 shared rows.
        NS_TEST_ASSERT_MSG_EQ_TOL(layers[26].forwardFlops, 6316621824.0, 0.5, "lm head");
        NS_TEST_ASSERT_MSG_EQ(layers[26].tiedParameterCount, 24674304ULL, "tied head");
        NS_TEST_ASSERT_MSG_EQ(layers[13].tiedParameterCount, 24674304ULL, "decoder lookup");
        NS_TEST_ASSERT_MSG_EQ(layers[0].tiedParameterCount, 0, "owner");

        // LoRA on both self- and cross-attention query and value: 4 * 2 * 768 * 8 = 49,152.
        recipe.kind = RecipeKind::LORA;
        recipe.loraRank = 8;
        const auto lora = LayerCostModel::Compute(spec, recipe);
        NS_TEST_ASSERT_MSG_EQ(lora[14].trainableParameterCount, 49152ULL, "decoder lora");
        NS_TEST_ASSERT_MSG_EQ(lora[1].trainableParameterCount, 24576ULL, "encoder lora");
    }
};

/**
 * \ingroup edge-llm-tests
 * Optimizer step cost of one BERT-base block.
 */
class OptimizerStepTestCase : public TestCase
{
  public:
    OptimizerStepTestCase()
        : TestCase("optimizer step: Adam 12 FLOPs per parameter, traffic by hand")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe adam;
        adam.kind = RecipeKind::FULL;
        const LayerCost block = LayerCostModel::Compute(spec, adam)[1];
        // One BERT-base block: P = 7,087,872 trainable parameters, fp32 Adam.
        const double p = 7087872.0;
        NS_TEST_ASSERT_MSG_EQ_TOL(LayerCostModel::GetOptimizerStepFlops(block, adam),
                                  12 * p,
                                  1,
                                  "Adam FLOPs");
        // Reads parameters (4P), gradients (4P), moments (8P); writes parameters and moments
        // (12P): 28P bytes.
        NS_TEST_ASSERT_MSG_EQ_TOL(LayerCostModel::GetOptimizerStepBytes(block),
                                  28 * p,
                                  1,
                                  "Adam traffic");
        TrainingRecipe sgd = adam;
        sgd.optimizer = OptimizerKind::SGD;
        NS_TEST_ASSERT_MSG_EQ_TOL(LayerCostModel::GetOptimizerStepFlops(block, sgd),
                                  2 * p,
                                  1,
                                  "SGD FLOPs");
        TrainingRecipe inference = adam;
        inference.kind = RecipeKind::INFERENCE;
        NS_TEST_ASSERT_MSG_EQ(
            LayerCostModel::GetOptimizerStepFlops(LayerCostModel::Compute(spec, inference)[1],
                                                  inference),
            0,
            "no optimizer step in inference");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The LayerCost test suite.
 */
class LayerCostTestSuite : public TestSuite
{
  public:
    LayerCostTestSuite()
        : TestSuite("edge-llm-layer-cost", TestSuite::UNIT)
    {
        AddTestCase(new FullTrainingFlopsTestCase);
        AddTestCase(new FrozenBackboneTestCase);
        AddTestCase(new ParallelAdaptersTestCase);
        AddTestCase(new InferenceTestCase);
        AddTestCase(new BytesTestCase);
        AddTestCase(new EncoderDecoderTestCase);
        AddTestCase(new OptimizerStepTestCase);
    }
};

/// The suite's static instance.
LayerCostTestSuite g_layerCostTestSuite;

} // namespace
