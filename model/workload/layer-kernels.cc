/* SPDX-License-Identifier: GPL-2.0-only */
#include "layer-kernels.h"

#include "layer-cost.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLayerKernels");

namespace
{

/// Which gradients the backward pass of a module computes.
struct Gradients
{
    bool input{false};  //!< the gradient of the module's input
    bool weight{false}; //!< the gradients of its weights (and bias)

    /// \return true when the module has any backward work
    bool Any() const
    {
        return input || weight;
    }
};

/**
 * \brief Appends kernels to one layer, with its element size fixed.
 */
class LayerKernelBuilder
{
  public:
    /**
     * \param e element bytes of the recipe's data type
     * \param bias whether the model's linear layers have biases
     */
    LayerKernelBuilder(double e, bool bias)
        : m_e(e),
          m_bias(bias)
    {
    }

    /**
     * \brief A linear layer y = x W (+ b) over \p tokens rows.
     *
     * Forward: one GEMM. Backward: the input gradient dx = dy W^T and the weight gradient
     * dW = x^T dy are one GEMM each, with the forward's FLOPs; the bias gradient is a reduction
     * of dy.
     *
     * \param tokens rows of x
     * \param in input width
     * \param out output width
     * \param gradients what the backward computes
     * \param bias whether this layer has a bias (the model's setting unless overridden)
     */
    void Linear(double tokens, double in, double out, Gradients gradients, bool bias)
    {
        const double flops = 2.0 * tokens * in * out;
        const double bytes = m_e * (tokens * in + in * out + tokens * out);
        // autograd records the forward of a module the backward passes through
        m_kernels.forward.Add(KernelClass::GEMM, flops, bytes, 1, gradients.Any());
        if (gradients.input)
        {
            m_kernels.backward.Add(KernelClass::GEMM, flops, bytes, 1, true);
        }
        if (gradients.weight)
        {
            m_kernels.backward.Add(KernelClass::GEMM, flops, bytes, 1, true);
            if (bias)
            {
                m_kernels.backward.Add(KernelClass::ELEMENTWISE,
                                       0,
                                       m_e * (tokens * out + out),
                                       1,
                                       true);
            }
        }
    }

    /// \copydoc Linear, with the model's bias setting
    void Linear(double tokens, double in, double out, Gradients gradients)
    {
        Linear(tokens, in, out, gradients, m_bias);
    }

    /**
     * \brief A memory-bound kernel over \p elements elements.
     * \param elements elements of the tensor it works on
     * \param forwardTensors tensors of that size the forward reads and writes
     * \param backwardTensors tensors of that size the backward reads and writes (0: none)
     * \param backward whether a backward pass runs through it
     * \param kernelClass of the forward kernel: ELEMENTWISE, or NORMALIZATION for a norm
     */
    void Elementwise(double elements,
                     double forwardTensors,
                     double backwardTensors,
                     bool backward,
                     KernelClass kernelClass = KernelClass::ELEMENTWISE)
    {
        m_kernels.forward.Add(kernelClass, 0, m_e * elements * forwardTensors, 1, backward);
        // a norm's backward is reductions and element-wise products, another kernel than its
        // forward (LibTorch's CPU bf16 LayerNorm backward takes 1.5-2x its fp32 time, its
        // forward 10-13x)
        if (backward && backwardTensors > 0)
        {
            m_kernels.backward.Add(KernelClass::ELEMENTWISE,
                                   0,
                                   m_e * elements * backwardTensors,
                                   1,
                                   true);
        }
    }

    /**
     * \brief Scaled dot-product attention of \p sq queries over \p skv keys and values: the
     * copies that lay Q, K and V out head by head (a projection's output is [tokens, hidden];
     * the batched products need [batch x heads, tokens, head dim] contiguous, so a framework
     * copies each one), scores = Q K^T, a scaling, an optional additive position bias, the
     * softmax, context = P V, and the copy that merges the heads into [tokens, hidden].
     *
     * Backward: two batched products per forward product (both operands are activations), the
     * softmax and scaling backward, and the copies that move the heads' gradients between the
     * two layouts again.
     *
     * \param b micro-batch size
     * \param a heads
     * \param sq query length
     * \param skv key length
     * \param h hidden width (a times the head dimension)
     * \param positionBias whether a bias is added to the scores (T5 relative positions)
     * \param backward whether a backward pass runs through it
     */
    void Attention(double b,
                   double a,
                   double sq,
                   double skv,
                   double h,
                   bool positionBias,
                   bool backward)
    {
        const double scores = a * b * sq * skv;
        const double product = 2.0 * b * sq * skv * h;
        const double queries = b * sq * h;
        const double keys = b * skv * h;
        // Q K^T reads Q and K and writes the scores; P V reads P and V and writes the context.
        const double scoreBytes = m_e * (queries + keys + scores);
        const double contextBytes = m_e * (scores + keys + queries);
        Elementwise(queries, 2, 2, backward); // Q into the heads' layout, and its gradient back
        Elementwise(keys, 2, 2, backward);    // K
        Elementwise(keys, 2, 2, backward);    // V
        m_kernels.forward.Add(KernelClass::ATTENTION, product, scoreBytes, 1, backward);
        Elementwise(scores, 2, 2, backward); // scaling
        if (positionBias)
        {
            Elementwise(scores, 3, 0, backward);
        }
        Elementwise(scores, 2, 3, backward); // softmax (backward reads P and dP, writes dS)
        m_kernels.forward.Add(KernelClass::ATTENTION, product, contextBytes, 1, backward);
        Elementwise(queries, 2, 2, backward); // merge heads / split their gradients
        if (backward)
        {
            m_kernels.backward.Add(KernelClass::ATTENTION, product, scoreBytes, 2, true);
            m_kernels.backward.Add(KernelClass::ATTENTION, product, contextBytes, 2, true);
        }
    }

    /**
     * \brief Residual add and layer norm over \p elements elements.
     * \param elements tokens times hidden
     * \param backward whether a backward pass runs through them
     */
    void AddAndNorm(double elements, bool backward)
    {
        Elementwise(elements, 3, 3, backward); // residual add; backward adds the two paths
        // norm; backward also reduces its weight gradients
        Elementwise(elements, 2, 4, backward, KernelClass::NORMALIZATION);
    }

    /// \return the kernels built so far
    const LayerKernels& Get() const
    {
        return m_kernels;
    }

  private:
    double m_e;             //!< element bytes
    bool m_bias;            //!< linear layers have biases
    LayerKernels m_kernels; //!< what was built
};

/**
 * \brief The recipe's trainable modules inside a block whose attention input is \p tokens rows
 * of width h (a self-attention block, or the self-attention part of a decoder block), as
 * AddSelfBlockRecipe in layer-cost.cc adds them.
 * \param k the builder
 * \param recipe the recipe
 * \param spec the model
 * \param b sequences
 * \param n tokens per sequence
 * \param withSide PARALLEL_ADAPTERS: whether the block has a side block (sideBlocks)
 */
void
AddBlockRecipeKernels(LayerKernelBuilder& k,
                      const TrainingRecipe& recipe,
                      const TransformerSpec& spec,
                      double b,
                      double n,
                      bool withSide,
                      bool weightGradients)
{
    const double tokens = b * n;
    const double h = spec.hidden;
    const Gradients both{true, weightGradients};
    switch (recipe.kind)
    {
    case RecipeKind::LORA: {
        const double r = recipe.loraRank;
        for (int module = 0; module < 2; ++module) // query and value
        {
            k.Linear(tokens, h, r, both, false);
            k.Linear(tokens, r, h, both, false);
            k.Elementwise(tokens * h, 3, 0, true); // added to the frozen projection's output
        }
        break;
    }
    case RecipeKind::ADAPTERS: {
        const double m = recipe.GetAdapterWidth(spec);
        for (int adapter = 0; adapter < 2; ++adapter)
        {
            k.Linear(tokens, h, m, both, true);
            k.Elementwise(tokens * m, 2, 3, true); // GELU
            k.Linear(tokens, m, h, both, true);
            k.Elementwise(tokens * h, 3, 3, true); // x + up(...)
        }
        break;
    }
    case RecipeKind::PARALLEL_ADAPTERS: {
        if (!withSide)
        {
            break;
        }
        const double w = recipe.GetAdapterWidth(spec);
        // The tap reads the frozen backbone's output: only its weight gradient is computed.
        k.Linear(tokens, h, w, Gradients{false, weightGradients}, true);
        k.Elementwise(tokens * w, 3, 3, true); // u = z + x A + a
        if (!recipe.sideTransformer)
        {
            k.Linear(tokens, w, w, both, true);
            k.Elementwise(tokens * w, 2, 3, true); // GELU
            k.Elementwise(tokens * w, 3, 3, true); // z' = u + GELU(...)
            break;
        }
        // a Transformer block of the side's shape, trained in full
        const TransformerSpec side = recipe.GetSideBlockSpec(spec);
        const double f = side.ffn;
        k.Linear(tokens, w, 3 * w, both, spec.linearBias);
        k.Attention(b, side.heads, n, n, w, false, true);
        k.Linear(tokens, w, w, both, spec.linearBias);
        k.AddAndNorm(tokens * w, true);
        k.Linear(tokens, w, f, both, spec.linearBias);
        k.Elementwise(tokens * f, 2, 3, true); // GELU
        k.Linear(tokens, f, w, both, spec.linearBias);
        k.AddAndNorm(tokens * w, true);
        break;
    }
    case RecipeKind::FULL:
    case RecipeKind::INFERENCE:
        break;
    }
}

} // namespace

std::vector<LayerKernels>
LayerKernelModel::Compute(const TransformerSpec& spec, const TrainingRecipe& recipe)
{
    return Compute(spec, recipe, true);
}

std::vector<LayerKernels>
LayerKernelModel::Compute(const TransformerSpec& spec,
                          const TrainingRecipe& recipe,
                          bool weightGradients)
{
    const std::string problem = LayerCostModel::Validate(spec, recipe);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    NS_LOG_FUNCTION(spec.name << RecipeKindToString(recipe.kind) << recipe.microBatchSize);

    const double e = GetDataTypeBytes(recipe.dtype);
    const double b = recipe.microBatchSize;
    const double h = spec.hidden;
    const double a = spec.heads;
    const double f = spec.ffn;
    const double vocab = spec.vocabulary;
    const double s = spec.sequenceLength;
    const double sd = spec.GetDecoderSideSequenceLength();
    // without weight gradients a FULL layer's weights are as frozen as a backbone's
    const bool full = recipe.kind == RecipeKind::FULL && weightGradients;
    const bool side = recipe.kind == RecipeKind::PARALLEL_ADAPTERS;
    const bool training = recipe.IsTraining();
    // Gradients flow through the backbone blocks under FULL, ADAPTERS and LORA.
    const bool throughBackbone = training && !side;
    const Gradients backbone{throughBackbone, full};
    const bool positionBias = spec.relativeAttentionBuckets > 0;
    const bool encDec = spec.architecture == TransformerArchitecture::ENCODER_DECODER;

    std::vector<LayerKernels> layers;

    // Embedding: token (and position, segment) lookups, their sum, the optional norm.
    {
        LayerKernelBuilder k(e, spec.linearBias);
        const double elements = b * s * h;
        k.Elementwise(elements, 2, 2, full); // token rows; backward scatters into the table
        if (spec.maxPositions > 0)
        {
            k.Elementwise(elements, 3, 2, full);
        }
        if (spec.typeVocabulary > 0)
        {
            k.Elementwise(elements, 3, 2, full);
        }
        if (spec.embeddingLayerNorm)
        {
            k.Elementwise(elements, 2, 4, full, KernelClass::NORMALIZATION);
        }
        layers.push_back(k.Get());
    }

    // A self-attention block over n tokens (encoder block or decoder-only block).
    auto selfBlock = [&](double n, bool withSide) {
        LayerKernelBuilder k(e, spec.linearBias);
        const double tokens = b * n;
        k.Linear(tokens, h, 3 * h, backbone);
        k.Attention(b, a, n, n, h, positionBias, throughBackbone);
        k.Linear(tokens, h, h, backbone);
        k.AddAndNorm(tokens * h, throughBackbone);
        k.Linear(tokens, h, f, backbone);
        k.Elementwise(tokens * f, 2, 3, throughBackbone); // GELU
        k.Linear(tokens, f, h, backbone);
        k.AddAndNorm(tokens * h, throughBackbone);
        AddBlockRecipeKernels(k, recipe, spec, b, n, withSide, weightGradients);
        return k.Get();
    };

    for (uint32_t i = 0; i < spec.encoderLayers; ++i)
    {
        layers.push_back(selfBlock(s, recipe.HasSideBlock(spec, false, i)));
    }

    if (encDec)
    {
        LayerKernelBuilder k(e, spec.linearBias);
        const bool backward = training && (full || !side);
        if (spec.finalLayerNorm)
        {
            k.Elementwise(b * s * h, 2, 4, backward, KernelClass::NORMALIZATION); // encoder's norm
        }
        k.Elementwise(b * sd * h, 2, 2, full); // decoder token rows
        if (spec.maxPositions > 0)
        {
            k.Elementwise(b * sd * h, 3, 2, full);
        }
        if (spec.embeddingLayerNorm)
        {
            k.Elementwise(b * sd * h, 2, 4, full, KernelClass::NORMALIZATION);
        }
        if (side)
        {
            const double w = recipe.GetAdapterWidth(spec);
            k.Elementwise(b * s * w, 1, 1, true); // mean over the encoder's positions
            k.Linear(b, w, w, Gradients{true, true}, true);
        }
        layers.push_back(k.Get());
    }

    for (uint32_t i = 0; i < spec.decoderLayers; ++i)
    {
        if (!encDec)
        {
            layers.push_back(selfBlock(sd, recipe.HasSideBlock(spec, true, i)));
            continue;
        }
        LayerKernelBuilder k(e, spec.linearBias);
        const double tokens = b * sd;
        const double encoderTokens = b * s;
        k.Linear(tokens, h, 3 * h, backbone);
        k.Attention(b, a, sd, sd, h, positionBias, throughBackbone);
        k.Linear(tokens, h, h, backbone);
        k.AddAndNorm(tokens * h, throughBackbone);
        k.Linear(tokens, h, h, backbone);            // cross-attention query
        k.Linear(encoderTokens, h, 2 * h, backbone); // keys and values of the encoder output
        k.Attention(b, a, sd, s, h, false, throughBackbone);
        k.Linear(tokens, h, h, backbone);
        k.AddAndNorm(tokens * h, throughBackbone);
        k.Linear(tokens, h, f, backbone);
        k.Elementwise(tokens * f, 2, 3, throughBackbone);
        k.Linear(tokens, f, h, backbone);
        k.AddAndNorm(tokens * h, throughBackbone);
        const Gradients both{true, weightGradients};
        switch (recipe.kind)
        {
        case RecipeKind::LORA: {
            const double r = recipe.loraRank;
            // Self query and value, cross query (decoder tokens), cross value (encoder tokens).
            for (double n : {tokens, tokens, tokens, encoderTokens})
            {
                k.Linear(n, h, r, both, false);
                k.Linear(n, r, h, both, false);
                k.Elementwise(n * h, 3, 0, true);
            }
            break;
        }
        case RecipeKind::ADAPTERS:
        case RecipeKind::PARALLEL_ADAPTERS:
            AddBlockRecipeKernels(k,
                                  recipe,
                                  spec,
                                  b,
                                  sd,
                                  recipe.HasSideBlock(spec, true, i),
                                  weightGradients);
            break;
        case RecipeKind::FULL:
        case RecipeKind::INFERENCE:
            break;
        }
        layers.push_back(k.Get());
    }

    // Output head: pooler on the first token, final norm, LM head, loss.
    {
        const double so = spec.HasDecoder() ? sd : s;
        LayerKernelBuilder k(e, spec.linearBias);
        const Gradients head{training, full};
        if (side)
        {
            const double w = recipe.GetAdapterWidth(spec);
            k.Linear(b * so, w, h, Gradients{true, true}, true); // up-projection of the side
            k.Elementwise(b * so * h, 3, 3, true);               // joins the backbone state
        }
        if (spec.finalLayerNorm)
        {
            k.Elementwise(b * so * h, 2, 4, training, KernelClass::NORMALIZATION);
        }
        if (spec.pooler)
        {
            k.Linear(b, h, h, head);
            k.Elementwise(b * h, 2, 3, training); // tanh
        }
        if (spec.lmHead)
        {
            k.Linear(b * so, h, vocab, head, false);
            if (training)
            {
                k.Elementwise(b * so * vocab, 2, 3, true); // log-softmax and the loss
            }
        }
        layers.push_back(k.Get());
    }
    return layers;
}

LayerKernels
LayerKernelModel::Sum(const std::vector<LayerKernels>& layers, uint32_t first, uint32_t last)
{
    if (layers.empty() || last >= layers.size() || first > last)
    {
        NS_FATAL_ERROR("LayerKernelModel::Sum: segment [" << first << ", " << last
                                                          << "] is not within the " << layers.size()
                                                          << " layers");
    }
    LayerKernels sum;
    for (uint32_t i = first; i <= last; ++i)
    {
        sum.forward.Append(layers[i].forward);
        sum.backward.Append(layers[i].backward);
    }
    return sum;
}

} // namespace edgellm
} // namespace ns3
