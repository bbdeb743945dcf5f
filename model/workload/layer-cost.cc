/* SPDX-License-Identifier: GPL-2.0-only */
#include "layer-cost.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLayerCost");

namespace
{

/**
 * \brief The recipe-independent description of one layer, from which LayerCost is derived.
 *
 * Splitting the backbone FLOPs into weight projections and the attention core (QK^T and
 * attention times V) matters for frozen backbones: a frozen projection needs only its input
 * gradient (1x forward), while both operands of the attention core are activations whose
 * gradients are both needed (2x forward).
 */
struct LayerParts
{
    LayerKind kind = LayerKind::EMBEDDING; //!< role
    uint32_t index = 0;                    //!< position among layers of the same kind
    uint64_t backboneParameters = 0;       //!< pretrained parameters
    uint64_t addedParameters = 0;          //!< adapter / LoRA / side-network parameters
    uint64_t tiedParameters = 0;           //!< shared token table read by this layer
    double projectionFlops = 0;            //!< forward FLOPs of backbone weight matmuls
    double attentionCoreFlops = 0;         //!< forward FLOPs of QK^T and attention x V
    double addedFlops = 0;                 //!< forward FLOPs of the added modules
    /// the part of addedFlops in modules whose input needs no gradient (the side network's tap
    /// of the frozen backbone): their backward is the weight gradient alone
    double addedTapFlops = 0;
    /// the backbone's input gradient must be computed here under a frozen-backbone recipe
    bool needsInputGradient = false;
    uint64_t storedBytes = 0;           //!< activations kept for backward
    uint64_t boundaryBytes = 0;         //!< tensors leaving the layer
    uint64_t workingBytes = 0;          //!< transient forward peak beyond storedBytes
    uint64_t backwardBytes = 0;         //!< transient backward peak beyond storedBytes (training)
    uint64_t backwardGradientBytes = 0; //!< weight gradients allocated by that peak
    /// elements of the largest pretrained tensor (what the optimizer touches at once, FULL)
    uint64_t largestBackboneTensor = 0;
    uint64_t largestAddedTensor = 0; //!< elements of the largest added tensor
};

/**
 * \brief Turn LayerParts into a LayerCost for a recipe.
 * \param p the parts
 * \param recipe the recipe
 * \return the cost
 */
LayerCost
Finish(const LayerParts& p, const TrainingRecipe& recipe)
{
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const uint64_t optimizerBytes = recipe.GetOptimizerBytesPerTrainableParameter();
    LayerCost c;
    c.kind = p.kind;
    c.index = p.index;
    c.backboneForwardFlops = p.projectionFlops + p.attentionCoreFlops;
    c.forwardFlops = c.backboneForwardFlops + p.addedFlops;
    c.parameterCount = p.backboneParameters + p.addedParameters;
    switch (recipe.kind)
    {
    case RecipeKind::FULL:
        // Activation gradients plus weight gradients: twice the forward (Kaplan et al. 2020).
        c.backwardFlops = 2 * c.forwardFlops;
        c.trainableParameterCount = c.parameterCount;
        break;
    case RecipeKind::ADAPTERS:
    case RecipeKind::LORA:
        c.backwardFlops =
            (p.needsInputGradient ? p.projectionFlops + 2 * p.attentionCoreFlops : 0) +
            2 * p.addedFlops;
        c.trainableParameterCount = p.addedParameters;
        break;
    case RecipeKind::PARALLEL_ADAPTERS:
        // Gradients never enter the backbone blocks; only the head, where the side network joins
        // the backbone again, is back-propagated through (input gradient only).
        c.backwardFlops = (p.kind == LayerKind::OUTPUT_HEAD ? p.projectionFlops : 0) +
                          2 * p.addedFlops - p.addedTapFlops;
        c.trainableParameterCount = p.addedParameters;
        break;
    case RecipeKind::INFERENCE:
        c.backwardFlops = 0;
        c.trainableParameterCount = 0;
        break;
    }
    c.parameterBytes = c.parameterCount * e;
    c.trainableParameterBytes = c.trainableParameterCount * e;
    c.gradientBytes = c.trainableParameterBytes;
    c.optimizerStateBytes = c.trainableParameterCount * optimizerBytes;
    c.tiedParameterCount = p.tiedParameters;
    c.tiedParameterBytes = p.tiedParameters * e;
    if (recipe.kind == RecipeKind::FULL)
    {
        // The copy trains with the table it mirrors (as Megatron-LM's first and last stages do).
        c.tiedGradientBytes = c.tiedParameterBytes;
        c.tiedOptimizerStateBytes = p.tiedParameters * optimizerBytes;
    }
    c.storedActivationBytes = recipe.IsTraining() ? p.storedBytes : 0;
    c.boundaryActivationBytes = p.boundaryBytes;
    c.workingBytes = p.workingBytes;
    c.backwardWorkingBytes = recipe.IsTraining() ? p.backwardBytes : 0;
    c.backwardGradientBytes = recipe.IsTraining() ? p.backwardGradientBytes : 0;
    if (recipe.IsTraining() && recipe.optimizer == OptimizerKind::ADAM)
    {
        // Two temporaries of one moment tensor, in the moments' type.
        const uint64_t largest = recipe.kind == RecipeKind::FULL
                                     ? std::max(p.largestBackboneTensor, p.largestAddedTensor)
                                     : p.largestAddedTensor;
        c.optimizerWorkingBytes = 2 * uint64_t(recipe.GetAdamMomentBytes()) * largest;
    }
    c.forwardMemoryBytes =
        c.parameterBytes + c.tiedParameterBytes + c.workingBytes + c.storedActivationBytes;
    if (c.backwardFlops > 0)
    {
        c.backwardMemoryBytes = c.parameterBytes + c.tiedParameterBytes + c.gradientBytes +
                                c.tiedGradientBytes + c.storedActivationBytes + c.workingBytes;
    }
    return c;
}

/**
 * \brief Bytes of the normalization statistics autograd keeps for one norm: LayerNorm keeps
 * mean and rstd per token, RMSNorm rstd only; LibTorch's CPU keeps them in the data type (CUDA
 * keeps fp32 for 16-bit types: 4 bytes per token more per norm, left out).
 * \param spec the model (normBias tells LayerNorm from RMSNorm)
 * \param e element bytes
 * \param tokens tokens normalized
 * \return bytes
 */
uint64_t
NormStatsBytes(const TransformerSpec& spec, uint64_t e, uint64_t tokens)
{
    return tokens * e * (spec.normBias ? 2 : 1);
}

/**
 * \brief Bytes dropout adds to what autograd keeps: per dropout on a tensor of n elements the
 * mask (k bytes each); on the attention probabilities also the dropped probabilities (e bytes
 * each), which attention x V then keeps besides the softmax output.
 * \param recipe the recipe (dropout, mask bytes, dtype)
 * \param hiddenElements elements of all hidden-state dropouts together
 * \param attentionElements elements of all attention-probability dropouts together
 * \return bytes; 0 without dropout
 */
uint64_t
DropoutStoredBytes(const TrainingRecipe& recipe,
                   uint64_t hiddenElements,
                   uint64_t attentionElements)
{
    if (!recipe.HasDropout())
    {
        return 0;
    }
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const uint64_t k = recipe.GetDropoutMaskBytes();
    return k * hiddenElements + (e + k) * attentionElements;
}

/**
 * \brief Transient peak of a block's forward when autograd keeps nothing (inference, or the
 * frozen backbone of PARALLEL_ADAPTERS), eager LibTorch: the largest of the attention phases
 * (projection outputs, then either the contiguous copies of Q and K with the scores, or the
 * scores with their scaled copy, or with training-mode dropout also its mask and output) and the
 * FFN phase (its input, the first linear's output and the GELU output). The block's input is not
 * included.
 * \param e element bytes
 * \param k dropout mask bytes
 * \param dropout true when dropout runs (training mode, p > 0)
 * \param nq query tokens b*sq
 * \param nkv tokens of the cross-attention keys and values (0 when none)
 * \param h hidden
 * \param scores elements of the self-attention score matrix a*b*sq*sq
 * \param crossScores elements of the cross-attention score matrix a*b*sq*skv
 * \param f ffn
 * \return bytes
 */
uint64_t
NoGradBlockWorkingBytes(uint64_t e,
                        uint64_t k,
                        bool dropout,
                        uint64_t nq,
                        uint64_t nkv,
                        uint64_t h,
                        uint64_t scores,
                        uint64_t crossScores,
                        uint64_t f)
{
    auto attention = [&](uint64_t kv, uint64_t a) {
        const uint64_t projections = e * (nq + 2 * kv) * h;
        const uint64_t copies = e * (nq + kv) * h + e * a;
        const uint64_t scaled = 2 * e * a + (dropout ? (e + k) * a : 0);
        return projections + std::max(copies, scaled);
    };
    uint64_t peak = attention(nq, scores);
    if (nkv > 0)
    {
        peak = std::max(peak, attention(nkv, crossScores));
    }
    uint64_t ffn = e * (nq * h + 2 * nq * f);
    if (dropout)
    {
        ffn = std::max(ffn, e * (3 * nq * h + nq * f) + k * nq * h);
    }
    return std::max(peak, ffn);
}

/**
 * \brief Forward and backward transients of a trained block whose FFN comes last (every block
 * kind), beyond its stored activations, as measured with TorchLayerProbe on LibTorch 1.13:
 *  - FULL: forward, the output and one residual sum (2*e*N*h); backward peak at the second FFN
 *    linear: its input gradient (e*N*f) and weight gradients with the last norm's (e*(h*f +
 *    3h)), plus with dropout the output gradient that replaces the mask ((e-k)*N*h);
 *  - ADAPTERS, LORA: forward, the GELU output and one hidden-size tensor (the first norm's
 *    output, or the block input the adapters do not keep), plus the dropout output; backward
 *    peak at GELU: its output and input gradients (2*e*N*f), less the freed mask after the FFN
 *    (ADAPTERS: the block input, not stored, is alive; its FFN adapter's input is freed);
 *  - PARALLEL_ADAPTERS: the frozen backbone runs without autograd (its eager transients, input
 *    included, beyond what the side network then keeps); backward, the side network's
 *    gradients and the block inputs.
 * \param p the block's parts (storedBytes set), updated
 * \param recipe the recipe
 * \param spec the model
 * \param nq tokens of the block b*sq
 * \param nkv tokens of cross-attention keys and values (0 when none)
 * \param scores elements of the self-attention scores
 * \param crossScores elements of the cross-attention scores
 */
void
SetTrainingTransients(LayerParts& p,
                      const TrainingRecipe& recipe,
                      const TransformerSpec& spec,
                      uint64_t nq,
                      uint64_t nkv,
                      uint64_t scores,
                      uint64_t crossScores)
{
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const uint64_t k = recipe.GetDropoutMaskBytes();
    const bool d = recipe.HasDropout();
    const uint64_t h = spec.hidden;
    const uint64_t f = spec.ffn;
    const uint64_t hidden = e * nq * h;
    const uint64_t inner = e * nq * f;
    switch (recipe.kind)
    {
    case RecipeKind::FULL:
        p.workingBytes = 2 * hidden;
        p.backwardBytes = inner + (d && e > k ? (e - k) * nq * h : 0);
        p.backwardGradientBytes = e * (h * f + 3 * h);
        break;
    case RecipeKind::LORA:
        p.workingBytes = hidden + inner + (d ? hidden : 0);
        p.backwardBytes = 2 * inner - (d ? k * nq * h : 0);
        break;
    case RecipeKind::ADAPTERS:
        p.workingBytes = hidden + inner + (d ? hidden : 0);
        // The block input, alive (not stored), takes the place of the FFN adapter's freed input.
        p.backwardBytes = 2 * inner - (d ? k * nq * h : 0);
        break;
    case RecipeKind::PARALLEL_ADAPTERS: {
        if (p.addedParameters == 0)
        {
            // no side block here: the frozen block runs as in inference
            p.workingBytes = hidden + e * nkv * h +
                             NoGradBlockWorkingBytes(e, k, d, nq, nkv, h, scores, crossScores, f);
            break;
        }
        const uint64_t w = recipe.GetAdapterWidth(spec);
        const uint64_t inputs = hidden + e * nkv * h + e * nq * w;
        const uint64_t backbone =
            inputs + NoGradBlockWorkingBytes(e, k, d, nq, nkv, h, scores, crossScores, f);
        p.workingBytes = backbone > p.storedBytes ? backbone - p.storedBytes : 0;
        p.backwardBytes = inputs + 2 * e * nq * w;
        if (recipe.sideTransformer)
        {
            // The side block trains in full: the FULL rule at the side's shape (forward: its
            // output and one residual sum; backward peak at its second FFN linear)
            const TransformerSpec side = recipe.GetSideBlockSpec(spec);
            p.workingBytes = std::max(p.workingBytes, 2 * e * nq * side.hidden);
            p.backwardBytes += e * nq * side.ffn;
            p.backwardGradientBytes = e * (side.hidden * side.ffn + 3 * side.hidden);
        }
        break;
    }
    case RecipeKind::INFERENCE:
        // Input (and the encoder output a cross-attention reads) plus the eager transients.
        p.workingBytes = hidden + e * nkv * h +
                         NoGradBlockWorkingBytes(e, k, false, nq, nkv, h, scores, crossScores, f);
        break;
    }
}

/**
 * \brief The PARALLEL_ADAPTERS side block beside a backbone block over n tokens per sequence:
 * the tap u = z + x A + a (A: h x w), then either the ladder layer z' = u + GELU(u B + c)
 * (B: w x w) or, with recipe.sideTransformer, a Transformer block of the side's shape
 * (TrainingRecipe::GetSideBlockSpec) trained in full. The block output x (the only backbone
 * activation the side network needs) is kept for the tap's weight gradient; the side state
 * travels with the hidden state.
 * \param p the block's parts, updated
 * \param recipe the recipe
 * \param spec the model
 * \param b micro-batch size
 * \param n tokens per sequence of the block
 */
void
AddSideBlock(LayerParts& p,
             const TrainingRecipe& recipe,
             const TransformerSpec& spec,
             uint64_t b,
             uint64_t n)
{
    if (!recipe.HasSideBlock(spec, p.kind == LayerKind::DECODER_BLOCK, p.index))
    {
        return; // the frozen backbone block alone
    }
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const uint64_t h = spec.hidden;
    const uint64_t w = recipe.GetAdapterWidth(spec);
    p.addedTapFlops = 2.0 * b * n * h * w;
    p.boundaryBytes += e * b * n * w;
    if (!recipe.sideTransformer)
    {
        p.addedParameters = h * w + w + w * w + w;
        p.addedFlops = 2.0 * b * n * (h * w + w * w);
        // x, u and the GELU input
        p.storedBytes = e * b * n * h + 2 * e * b * n * w;
        p.largestAddedTensor = h * w;
        return;
    }
    const TransformerSpec side = recipe.GetSideBlockSpec(spec);
    const uint64_t f = side.ffn;
    p.addedParameters = h * w + w + side.GetEncoderLayerParameterCount();
    p.addedFlops =
        2.0 * b * n * h * w + 2.0 * b * n * (4.0 * w * w + 2.0 * w * f) + 4.0 * b * n * n * w;
    // x, and what a fully trained block of the side's shape keeps (its input u among them)
    p.storedBytes = e * b * n * h + LayerCostModel::GetFullBlockStoredBytes(side, recipe, n);
    p.largestAddedTensor = std::max({h * w, w * f, w * w});
}

/**
 * \brief Add the recipe's modules to a block (encoder block or decoder-only block) that
 * attends over its own sequence of length s.
 * \param p the block's parts, updated
 * \param recipe the recipe
 * \param spec the model
 * \param b micro-batch size
 * \param s sequence length
 */
void
AddSelfBlockRecipe(LayerParts& p,
                   const TrainingRecipe& recipe,
                   const TransformerSpec& spec,
                   uint64_t b,
                   uint64_t s)
{
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const uint64_t h = spec.hidden;
    switch (recipe.kind)
    {
    case RecipeKind::FULL:
        p.storedBytes = LayerCostModel::GetFullBlockStoredBytes(spec, recipe, s);
        break;
    case RecipeKind::LORA: {
        const uint64_t r = recipe.loraRank;
        // Two modules (query, value), each x -> xA (h x r) -> xAB (r x h).
        p.addedParameters = 2 * (h * r + r * h);
        p.addedFlops = 2.0 * (2.0 * b * s * h * r + 2.0 * b * s * r * h);
        // Both A's read the attention input (kept once); each B reads its xA.
        p.storedBytes = LayerCostModel::GetFrozenBlockStoredBytes(spec, recipe, s) + e * b * s * h +
                        2 * e * b * s * r;
        p.largestAddedTensor = h * r;
        break;
    }
    case RecipeKind::ADAPTERS: {
        const uint64_t m = recipe.GetAdapterWidth(spec);
        // Two Houlsby adapters, each x + up(GELU(down(x))): down h x m + bias m, up m x h + bias h.
        p.addedParameters = 2 * (h * m + m + m * h + h);
        p.addedFlops = 2.0 * (2.0 * b * s * h * m + 2.0 * b * s * m * h);
        // Each adapter keeps its input (for down's weight gradient), the GELU input and the
        // GELU output (up's input).
        p.storedBytes = LayerCostModel::GetFrozenBlockStoredBytes(spec, recipe, s) +
                        2 * (e * b * s * h + 2 * e * b * s * m);
        p.largestAddedTensor = h * m;
        break;
    }
    case RecipeKind::PARALLEL_ADAPTERS:
        AddSideBlock(p, recipe, spec, b, s);
        break;
    case RecipeKind::INFERENCE:
        break;
    }
}

} // namespace

std::string
LayerKindToString(LayerKind kind)
{
    switch (kind)
    {
    case LayerKind::EMBEDDING:
        return "embedding";
    case LayerKind::ENCODER_BLOCK:
        return "encoder-block";
    case LayerKind::DECODER_EMBEDDING:
        return "decoder-embedding";
    case LayerKind::DECODER_BLOCK:
        return "decoder-block";
    case LayerKind::OUTPUT_HEAD:
        return "output-head";
    }
    NS_FATAL_ERROR("unknown LayerKind value " << static_cast<int>(kind));
}

uint64_t
LayerCostModel::GetFullBlockStoredBytes(const TransformerSpec& spec,
                                        const TrainingRecipe& recipe,
                                        uint64_t sequenceLength)
{
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const uint64_t n = uint64_t(recipe.microBatchSize) * sequenceLength;
    const uint64_t h = spec.hidden;
    const uint64_t f = spec.ffn;
    const uint64_t scores =
        uint64_t(spec.heads) * recipe.microBatchSize * sequenceLength * sequenceLength;
    // qkv input, Q, K, V (the contiguous copies matmul makes), attention x V keeps the softmax
    // output, proj input, two norm inputs, ff1 input; GELU input and output; two norms' stats.
    return e * (8 * n * h + 2 * n * f + scores) + 2 * NormStatsBytes(spec, e, n) +
           DropoutStoredBytes(recipe, 2 * n * h, scores);
}

double
LayerCostModel::GetOptimizerStepFlops(const LayerCost& segment, const TrainingRecipe& recipe)
{
    if (!recipe.IsTraining())
    {
        return 0;
    }
    const double perParameter = recipe.optimizer == OptimizerKind::ADAM ? 12.0 : 2.0;
    return perParameter * static_cast<double>(segment.trainableParameterCount);
}

double
LayerCostModel::GetOptimizerStepBytes(const LayerCost& segment)
{
    return 2.0 *
               static_cast<double>(segment.trainableParameterBytes + segment.optimizerStateBytes) +
           static_cast<double>(segment.gradientBytes);
}

uint64_t
LayerCostModel::GetFrozenBlockStoredBytes(const TransformerSpec& spec,
                                          const TrainingRecipe& recipe,
                                          uint64_t sequenceLength)
{
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const uint64_t n = uint64_t(recipe.microBatchSize) * sequenceLength;
    const uint64_t h = spec.hidden;
    const uint64_t f = spec.ffn;
    const uint64_t scores =
        uint64_t(spec.heads) * recipe.microBatchSize * sequenceLength * sequenceLength;
    // Q, K, V copies, softmax output, two norm inputs; GELU input; two norms' stats.
    return e * (5 * n * h + n * f + scores) + 2 * NormStatsBytes(spec, e, n) +
           DropoutStoredBytes(recipe, 2 * n * h, scores);
}

std::string
LayerCostModel::Validate(const TransformerSpec& spec, const TrainingRecipe& recipe)
{
    std::string problem = spec.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    return recipe.ValidateFor(spec);
}

std::vector<LayerCost>
LayerCostModel::Compute(const TransformerSpec& spec, const TrainingRecipe& recipe)
{
    const std::string problem = Validate(spec, recipe);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    NS_LOG_FUNCTION(spec.name << RecipeKindToString(recipe.kind) << DataTypeToString(recipe.dtype)
                              << recipe.microBatchSize);

    const bool full = recipe.kind == RecipeKind::FULL;
    const bool frozen = recipe.kind == RecipeKind::ADAPTERS || recipe.kind == RecipeKind::LORA;
    const bool side = recipe.kind == RecipeKind::PARALLEL_ADAPTERS;
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const uint64_t b = recipe.microBatchSize;
    const uint64_t h = spec.hidden;
    const uint64_t a = spec.heads;
    const uint64_t f = spec.ffn;
    const uint64_t vocab = spec.vocabulary;
    const uint64_t s = spec.sequenceLength;                  // first stack
    const uint64_t sd = spec.GetDecoderSideSequenceLength(); // decoder stack
    const uint64_t w = side ? recipe.GetAdapterWidth(spec) : 0;
    const bool encDec = spec.architecture == TransformerArchitecture::ENCODER_DECODER;
    const double hd = h;

    std::vector<LayerCost> layers;

    // Embedding: lookups and additions only, no FLOPs counted. Full training keeps the
    // embedding norm's input and statistics and the dropout mask.
    {
        LayerParts p;
        p.kind = LayerKind::EMBEDDING;
        p.backboneParameters = spec.GetEmbeddingParameterCount();
        p.largestBackboneTensor = vocab * h;
        if (full)
        {
            p.storedBytes =
                (spec.embeddingLayerNorm ? e * b * s * h + NormStatsBytes(spec, e, b * s) : 0) +
                DropoutStoredBytes(recipe, b * s * h, 0);
        }
        p.boundaryBytes = e * b * s * h;
        p.workingBytes = e * b * s * h;
        layers.push_back(Finish(p, recipe));
    }

    // Encoder blocks (s tokens, bidirectional self-attention).
    for (uint32_t i = 0; i < spec.encoderLayers; ++i)
    {
        LayerParts p;
        p.kind = LayerKind::ENCODER_BLOCK;
        p.index = i;
        p.backboneParameters = spec.GetEncoderLayerParameterCount();
        p.projectionFlops = 2.0 * b * s * (4.0 * hd * hd + 2.0 * hd * f);
        p.attentionCoreFlops = 4.0 * b * s * s * hd;
        p.needsInputGradient = true;
        p.boundaryBytes = e * b * s * h;
        p.largestBackboneTensor = std::max(h * f, h * h);
        AddSelfBlockRecipe(p, recipe, spec, b, s);
        SetTrainingTransients(p, recipe, spec, b * s, 0, a * b * s * s, 0);
        layers.push_back(Finish(p, recipe));
    }

    // Encoder-decoder: the encoder's final norm and the decoder's input embedding.
    if (encDec)
    {
        LayerParts p;
        p.kind = LayerKind::DECODER_EMBEDDING;
        p.backboneParameters = spec.GetDecoderEmbeddingParameterCount();
        p.tiedParameters = spec.GetTiedEmbeddingParameterCount();
        if (full)
        {
            // Encoder output (the key/value input of every cross-attention, kept once), the
            // encoder final norm's and the decoder embedding norm's inputs and statistics, the
            // dropout mask.
            p.storedBytes =
                e * b * s * h +
                (spec.finalLayerNorm ? e * b * s * h + NormStatsBytes(spec, e, b * s) : 0) +
                (spec.embeddingLayerNorm ? e * b * sd * h + NormStatsBytes(spec, e, b * sd) : 0) +
                DropoutStoredBytes(recipe, b * sd * h, 0);
        }
        else if (frozen)
        {
            // Back-propagation to the encoder passes the encoder's final norm; LoRA on the
            // cross-attention values also needs the encoder output itself.
            p.storedBytes =
                (spec.finalLayerNorm ? e * b * s * h + NormStatsBytes(spec, e, b * s) : 0) +
                (recipe.kind == RecipeKind::LORA ? e * b * s * h : 0);
        }
        else if (side)
        {
            // Connector: the encoder side stream, mean-pooled over positions, mapped by a
            // w x w matrix plus bias, starts the decoder side stream.
            p.addedParameters = w * w + w;
            p.addedFlops = 2.0 * b * w * w;
            p.storedBytes = e * b * w;
            p.largestAddedTensor = w * w;
        }
        p.largestBackboneTensor = p.backboneParameters; // position table and norms
        p.boundaryBytes = e * b * (sd + s) * h + e * b * sd * w;
        p.workingBytes = e * b * (sd + s) * h;
        layers.push_back(Finish(p, recipe));
    }

    // Decoder blocks.
    for (uint32_t i = 0; i < spec.decoderLayers; ++i)
    {
        LayerParts p;
        p.kind = LayerKind::DECODER_BLOCK;
        p.index = i;
        p.backboneParameters = spec.GetDecoderLayerParameterCount();
        p.needsInputGradient = true;
        if (!encDec)
        {
            // Causal self-attention block: the same work as an encoder block (the masked half
            // of the score matrix is computed anyway by standard kernels).
            p.projectionFlops = 2.0 * b * sd * (4.0 * hd * hd + 2.0 * hd * f);
            p.attentionCoreFlops = 4.0 * b * sd * sd * hd;
            p.boundaryBytes = e * b * sd * h;
            p.largestBackboneTensor = std::max(h * f, h * h);
            AddSelfBlockRecipe(p, recipe, spec, b, sd);
            SetTrainingTransients(p, recipe, spec, b * sd, 0, a * b * sd * sd, 0);
            layers.push_back(Finish(p, recipe));
            continue;
        }
        // Self-attention (sd), cross-attention (queries sd, keys and values from s encoder
        // tokens) and the FFN.
        p.projectionFlops =
            2.0 * b * sd * (6.0 * hd * hd + 2.0 * hd * f) + 2.0 * b * s * (2.0 * hd * hd);
        p.attentionCoreFlops = 4.0 * b * sd * sd * hd + 4.0 * b * sd * s * hd;
        const bool last = i + 1 == spec.decoderLayers;
        // The encoder output travels with the decoder state to the next decoder block.
        p.boundaryBytes = e * b * sd * h + (last ? 0 : e * b * s * h);
        p.largestBackboneTensor = std::max(h * f, h * h);
        const uint64_t scores = a * b * sd * sd;
        const uint64_t crossScores = a * b * sd * s;
        // Both attentions keep their softmax outputs; three norms keep their statistics; with
        // dropout, the masks of both attentions and of the three hidden-state dropouts.
        const uint64_t attentionCore =
            e * (scores + crossScores) + 3 * NormStatsBytes(spec, e, b * sd) +
            DropoutStoredBytes(recipe, 3 * b * sd * h, scores + crossScores);
        switch (recipe.kind)
        {
        case RecipeKind::FULL:
            // Self-attention 6 (qkv input, Q, K, V, proj input, norm input), cross-attention 4
            // (q input, Q, proj input, norm input) plus K and V of the encoder tokens, FFN 2 (ff1
            // input, norm input) plus GELU input and output.
            p.storedBytes =
                12 * e * b * sd * h + 2 * e * b * sd * f + 2 * e * b * s * h + attentionCore;
            break;
        case RecipeKind::LORA: {
            const uint64_t r = recipe.loraRank;
            // Query and value of the self-attention and of the cross-attention.
            p.addedParameters = 4 * (h * r + r * h);
            p.addedFlops = 2.0 * (2.0 * b * sd * h * r + 2.0 * b * sd * r * h) // self q, v
                           + (2.0 * b * sd * h * r + 2.0 * b * sd * r * h)     // cross q
                           + (2.0 * b * s * h * r + 2.0 * b * s * r * h);      // cross v
            p.largestAddedTensor = h * r;
            p.storedBytes = 7 * e * b * sd * h + e * b * sd * f + 2 * e * b * s * h +
                            attentionCore + (e * b * sd * h + 2 * e * b * sd * r) // self
                            + (e * b * sd * h + e * b * sd * r)                   // cross q
                            + e * b * s * r;                                      // cross v
            break;
        }
        case RecipeKind::ADAPTERS: {
            const uint64_t m = recipe.GetAdapterWidth(spec);
            p.addedParameters = 2 * (h * m + m + m * h + h);
            p.addedFlops = 2.0 * (2.0 * b * sd * h * m + 2.0 * b * sd * m * h);
            p.largestAddedTensor = h * m;
            p.storedBytes = 7 * e * b * sd * h + e * b * sd * f + 2 * e * b * s * h +
                            attentionCore + 2 * (e * b * sd * h + 2 * e * b * sd * m);
            break;
        }
        case RecipeKind::PARALLEL_ADAPTERS:
            // the side decoder block attends over the decoder's tokens only
            AddSideBlock(p, recipe, spec, b, sd);
            break;
        case RecipeKind::INFERENCE:
            break;
        }
        SetTrainingTransients(p, recipe, spec, b * sd, b * s, scores, crossScores);
        layers.push_back(Finish(p, recipe));
    }

    // Output head: pooler (first token only), final norm, LM head over every output token.
    {
        const uint64_t so = spec.HasDecoder() ? sd : s;
        LayerParts p;
        p.kind = LayerKind::OUTPUT_HEAD;
        p.backboneParameters = spec.GetOutputHeadParameterCount();
        p.tiedParameters = (spec.lmHead && spec.tiedOutputEmbedding) ? vocab * h : 0;
        p.projectionFlops = (spec.pooler ? 2.0 * b * hd * hd : 0.0) +
                            (spec.lmHead ? 2.0 * b * so * hd * vocab : 0.0);
        p.needsInputGradient = true;
        if (full)
        {
            // Pooler input and tanh output, final norm input, LM head input, fp32 logits for the
            // cross-entropy backward.
            p.storedBytes =
                (spec.pooler ? 2 * e * b * h : 0) +
                (spec.finalLayerNorm ? e * b * so * h + NormStatsBytes(spec, e, b * so) : 0) +
                (spec.lmHead ? e * b * so * h + 4 * b * so * vocab : 0);
        }
        else if (recipe.HasFrozenBackbone())
        {
            // Frozen weights: no inputs for weight gradients; tanh output, norm input, logits.
            p.storedBytes =
                (spec.pooler ? e * b * h : 0) +
                (spec.finalLayerNorm ? e * b * so * h + NormStatsBytes(spec, e, b * so) : 0) +
                (spec.lmHead ? 4 * b * so * vocab : 0);
        }
        if (side)
        {
            // The side stream's output, up-projected (w x h plus bias), joins the backbone's last
            // hidden state before the head.
            p.addedParameters = w * h + h;
            p.addedFlops = 2.0 * b * so * w * h;
            p.storedBytes += e * b * so * w;
        }
        if (spec.lmHead)
        {
            p.boundaryBytes = e * b * so * vocab;
        }
        else if (spec.pooler)
        {
            p.boundaryBytes = e * b * h;
        }
        else
        {
            p.boundaryBytes = e * b * so * h;
        }
        p.workingBytes = e * b * so * h + p.boundaryBytes;
        // Backward: the loss's gradient of the fp32 logits and the input gradient.
        p.backwardBytes = (spec.lmHead ? 4 * b * so * vocab : 0) + e * b * so * h;
        p.largestBackboneTensor =
            spec.lmHead && !spec.tiedOutputEmbedding ? vocab * h : (spec.pooler ? h * h : 0);
        p.largestAddedTensor = side ? w * h : 0;
        layers.push_back(Finish(p, recipe));
    }
    return layers;
}

std::string
LayerCostModel::ValidateRange(const std::vector<LayerCost>& layers, uint32_t first, uint32_t last)
{
    std::ostringstream oss;
    if (layers.empty())
    {
        return "layers is empty: compute the layer costs before choosing a segment";
    }
    if (last >= layers.size())
    {
        oss << "last=" << last << " is out of range: the model has " << layers.size()
            << " layers, positions 0 to " << layers.size() - 1;
        return oss.str();
    }
    if (first > last)
    {
        oss << "first=" << first << " is after last=" << last
            << ": a segment [first, last] needs first <= last";
        return oss.str();
    }
    return "";
}

LayerCost
LayerCostModel::Sum(const std::vector<LayerCost>& layers, uint32_t first, uint32_t last)
{
    const std::string problem = ValidateRange(layers, first, last);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    LayerCost sum;
    sum.kind = layers[first].kind;
    sum.index = layers[first].index;
    for (uint32_t i = first; i <= last; ++i)
    {
        const LayerCost& c = layers[i];
        sum.forwardFlops += c.forwardFlops;
        sum.backboneForwardFlops += c.backboneForwardFlops;
        sum.backwardFlops += c.backwardFlops;
        sum.parameterCount += c.parameterCount;
        sum.trainableParameterCount += c.trainableParameterCount;
        sum.parameterBytes += c.parameterBytes;
        sum.trainableParameterBytes += c.trainableParameterBytes;
        sum.gradientBytes += c.gradientBytes;
        sum.optimizerStateBytes += c.optimizerStateBytes;
        sum.tiedParameterCount = std::max(sum.tiedParameterCount, c.tiedParameterCount);
        sum.tiedParameterBytes = std::max(sum.tiedParameterBytes, c.tiedParameterBytes);
        sum.tiedGradientBytes = std::max(sum.tiedGradientBytes, c.tiedGradientBytes);
        sum.tiedOptimizerStateBytes =
            std::max(sum.tiedOptimizerStateBytes, c.tiedOptimizerStateBytes);
        sum.storedActivationBytes += c.storedActivationBytes;
        sum.workingBytes = std::max(sum.workingBytes, c.workingBytes);
        sum.backwardWorkingBytes = std::max(sum.backwardWorkingBytes, c.backwardWorkingBytes);
        sum.backwardGradientBytes = std::max(sum.backwardGradientBytes, c.backwardGradientBytes);
        sum.optimizerWorkingBytes = std::max(sum.optimizerWorkingBytes, c.optimizerWorkingBytes);
        sum.forwardMemoryBytes += c.forwardMemoryBytes;
        sum.backwardMemoryBytes += c.backwardMemoryBytes;
    }
    sum.boundaryActivationBytes = layers[last].boundaryActivationBytes;
    return sum;
}

double
LayerCostModel::SumForwardFlops(const std::vector<LayerCost>& layers, uint32_t first, uint32_t last)
{
    return Sum(layers, first, last).forwardFlops;
}

double
LayerCostModel::SumBackwardFlops(const std::vector<LayerCost>& layers,
                                 uint32_t first,
                                 uint32_t last)
{
    return Sum(layers, first, last).backwardFlops;
}

uint64_t
LayerCostModel::SumParameterCount(const std::vector<LayerCost>& layers,
                                  uint32_t first,
                                  uint32_t last)
{
    return Sum(layers, first, last).parameterCount;
}

uint64_t
LayerCostModel::SumTrainableParameterCount(const std::vector<LayerCost>& layers,
                                           uint32_t first,
                                           uint32_t last)
{
    return Sum(layers, first, last).trainableParameterCount;
}

} // namespace edgellm
} // namespace ns3
