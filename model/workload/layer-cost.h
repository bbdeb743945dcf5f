/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LAYER_COST_H
#define EDGE_LLM_LAYER_COST_H

#include "training-recipe.h"
#include "transformer-spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The role of one entry of the layer list.
 */
enum class LayerKind
{
    EMBEDDING,     //!< token/position/segment lookup of the first stack
    ENCODER_BLOCK, //!< one encoder Transformer block
    /// encoder-decoder only: the encoder's final norm and the decoder's input embedding
    DECODER_EMBEDDING,
    DECODER_BLOCK, //!< one decoder Transformer block (causal; with cross-attention in enc-dec)
    OUTPUT_HEAD,   //!< pooler, final norm of the last stack, LM head
};

/**
 * \param kind a layer kind
 * \return "embedding", "encoder-block", "decoder-embedding", "decoder-block" or "output-head"
 */
std::string LayerKindToString(LayerKind kind);

/**
 * \ingroup edge-llm
 * \brief The cost of one layer for one micro-batch of b sequences under a recipe.
 *
 * FLOPs count a multiply-add as 2. Bytes are exact for the stated formulas (doc/edge-llm.rst,
 * "Workload model", derives each one). Parameters added by the recipe (adapters, LoRA, the
 * side network) belong to the layer they sit in and are included in parameterCount.
 */
struct LayerCost
{
    LayerKind kind = LayerKind::EMBEDDING; //!< role of the layer
    uint32_t index = 0;                    //!< position among the layers of the same kind
    double forwardFlops = 0;               //!< forward FLOPs, backbone plus added modules
    double backboneForwardFlops = 0;       //!< the part of forwardFlops in pretrained weights
    double backwardFlops = 0;              //!< backward FLOPs (0 for inference)
    uint64_t parameterCount = 0;           //!< parameters held, backbone plus added
    uint64_t trainableParameterCount = 0;  //!< parameters that receive gradients
    uint64_t parameterBytes = 0;           //!< parameterCount * dtype bytes
    uint64_t trainableParameterBytes = 0;  //!< trainableParameterCount * dtype bytes
    uint64_t gradientBytes = 0;            //!< trainableParameterCount * dtype bytes
    uint64_t optimizerStateBytes = 0;      //!< optimizer moments and fp32 master copy
    /// parameters of the shared token table this layer reads (tied LM head, decoder input);
    /// held by the EMBEDDING layer and not part of parameterCount: a device that holds this
    /// layer without the EMBEDDING layer needs a copy
    uint64_t tiedParameterCount = 0;
    uint64_t tiedParameterBytes = 0;      //!< bytes of that copy
    uint64_t tiedGradientBytes = 0;       //!< gradient bytes of that copy (FULL only)
    uint64_t tiedOptimizerStateBytes = 0; //!< optimizer bytes of that copy (FULL only)
    /// bytes of the tensors that leave this layer per micro-batch: what crosses a pipeline cut
    /// placed after it (the same bytes flow back as gradients in training)
    uint64_t boundaryActivationBytes = 0;
    /// bytes autograd keeps from forward for backward per micro-batch, as LibTorch keeps them
    /// (0 for inference); doc/workload-model.rst derives every term
    uint64_t storedActivationBytes = 0;
    /// transient forward peak of one micro-batch beyond storedActivationBytes: in training the
    /// tensors alive at the forward peak that autograd does not keep (the output, eager
    /// intermediates, the layer input when it is not stored); in inference the input, output and
    /// largest intermediates
    uint64_t workingBytes = 0;
    /// transient backward peak beyond storedActivationBytes and the weight gradients: the
    /// activation gradients alive at the layer's backward peak and the layer input when it is
    /// not stored (0 for inference)
    uint64_t backwardWorkingBytes = 0;
    /// weight gradients of the layer already allocated at that peak when gradients are None at
    /// the start of the step (FULL: the last FFN linear's and the last norm's)
    uint64_t backwardGradientBytes = 0;
    /// temporaries of one optimizer step over the layer's trainable tensors: LibTorch's Adam
    /// makes two fp32 copies of one moment tensor at a time (sqrt, then the bias-correction
    /// division), so twice the largest trainable tensor; 0 for SGD and inference
    uint64_t optimizerWorkingBytes = 0;
    /// estimate of device-memory traffic of the forward pass: weights read, stored activations
    /// written, working tensors
    uint64_t forwardMemoryBytes = 0;
    /// estimate of device-memory traffic of the backward pass (0 when backwardFlops is 0)
    uint64_t backwardMemoryBytes = 0;
};

/**
 * \ingroup edge-llm
 * \brief Computes the LayerCost list of a model under a recipe.
 *
 * The list is in execution order: EMBEDDING, ENCODER_BLOCK x encoderLayers, DECODER_EMBEDDING
 * (encoder-decoder only), DECODER_BLOCK x decoderLayers, OUTPUT_HEAD. A pipeline segment is a
 * contiguous range [first, last] of list positions.
 */
class LayerCostModel
{
  public:
    /**
     * \brief Check a model and a recipe together.
     * \param spec the model
     * \param recipe the recipe
     * \return an empty string when Compute() accepts them, otherwise the first problem
     */
    static std::string Validate(const TransformerSpec& spec, const TrainingRecipe& recipe);

    /**
     * \brief The per-layer costs, in execution order.
     * \param spec the model
     * \param recipe the recipe
     * \return the layers; NS_FATAL_ERROR with the Validate() message on invalid input
     */
    static std::vector<LayerCost> Compute(const TransformerSpec& spec,
                                          const TrainingRecipe& recipe);

    /**
     * \brief Check a segment range.
     * \param layers a layer list
     * \param first first position of the segment
     * \param last last position of the segment (inclusive)
     * \return an empty string when 0 <= first <= last < layers.size(), otherwise the problem,
     * e.g. "last=30 is out of range: the model has 14 layers, positions 0 to 13"
     */
    static std::string ValidateRange(const std::vector<LayerCost>& layers,
                                     uint32_t first,
                                     uint32_t last);

    /**
     * \brief Aggregate a segment [first, last].
     *
     * FLOPs, parameters, bytes and stored activations are summed; kind and index are those of
     * layer first; boundaryActivationBytes is that of layer last (what leaves the segment);
     * workingBytes, backwardWorkingBytes, backwardGradientBytes, optimizerWorkingBytes and the
     * tied fields are the maxima (one copy, one transient at a time).
     *
     * \param layers a layer list
     * \param first first position
     * \param last last position (inclusive)
     * \return the aggregate; NS_FATAL_ERROR with the ValidateRange() message on a bad range
     */
    static LayerCost Sum(const std::vector<LayerCost>& layers, uint32_t first, uint32_t last);

    /**
     * \param layers a layer list
     * \param first first position
     * \param last last position (inclusive)
     * \return the forward FLOPs of [first, last]; NS_FATAL_ERROR on a bad range
     */
    static double SumForwardFlops(const std::vector<LayerCost>& layers,
                                  uint32_t first,
                                  uint32_t last);

    /**
     * \param layers a layer list
     * \param first first position
     * \param last last position (inclusive)
     * \return the backward FLOPs of [first, last]; NS_FATAL_ERROR on a bad range
     */
    static double SumBackwardFlops(const std::vector<LayerCost>& layers,
                                   uint32_t first,
                                   uint32_t last);

    /**
     * \param layers a layer list
     * \param first first position
     * \param last last position (inclusive)
     * \return the parameters of [first, last]; NS_FATAL_ERROR on a bad range
     */
    static uint64_t SumParameterCount(const std::vector<LayerCost>& layers,
                                      uint32_t first,
                                      uint32_t last);

    /**
     * \param layers a layer list
     * \param first first position
     * \param last last position (inclusive)
     * \return the trainable parameters of [first, last]; NS_FATAL_ERROR on a bad range
     */
    static uint64_t SumTrainableParameterCount(const std::vector<LayerCost>& layers,
                                               uint32_t first,
                                               uint32_t last);

    /**
     * \brief Stored activation bytes of one self-attention block (encoder block or decoder-only
     * block) under full training, as autograd keeps them (LibTorch 1.13, eager attention). With
     * N = b*s tokens, e the element bytes, k the mask bytes, A = a*b*s^2 and D = 1 when the
     * recipe has dropout: e*(8*N*h + 2*N*f + A) + L + D*((e+k)*A + 2*k*N*h), where L = 2*N*e*c
     * are the two norms' statistics (c = 2, mean and rstd, for LayerNorm; 1 for RMSNorm). With
     * e = 2, k = 1, f = 4h and dropout this is Korthikanti et al.'s s*b*h*(34 + 5*a*s/h) plus L.
     * \param spec the model (hidden, heads, ffn, normBias)
     * \param recipe dtype, microBatchSize (b), dropout and dropoutMaskBytes
     * \param sequenceLength s
     * \return the bytes
     */
    static uint64_t GetFullBlockStoredBytes(const TransformerSpec& spec,
                                            const TrainingRecipe& recipe,
                                            uint64_t sequenceLength);

    /**
     * \brief Stored activation bytes of the backbone of the same block when its weights are
     * frozen (activation gradients only: no input of a frozen linear layer is kept, except the
     * GELU input, which GELU's own backward needs): e*(5*N*h + N*f + A) + L + D*((e+k)*A +
     * 2*k*N*h). The recipe's modules (LoRA, adapters) add their own terms.
     * \param spec the model (hidden, heads, ffn, normBias)
     * \param recipe dtype, microBatchSize (b), dropout and dropoutMaskBytes
     * \param sequenceLength s
     * \return the bytes
     */
    static uint64_t GetFrozenBlockStoredBytes(const TransformerSpec& spec,
                                              const TrainingRecipe& recipe,
                                              uint64_t sequenceLength);

    /**
     * \brief FLOPs of one optimizer step over a segment's trainable parameters: Adam about 12
     * per parameter (two moment updates of 3 each, bias corrections, square root, division and
     * update), SGD 2 (scale and add); 0 for inference.
     * \param segment a layer or the Sum of a segment
     * \param recipe the recipe (its optimizer)
     * \return the FLOPs
     */
    static double GetOptimizerStepFlops(const LayerCost& segment, const TrainingRecipe& recipe);

    /**
     * \brief Device-memory traffic of one optimizer step: it reads the trainable parameters,
     * their gradients and the optimizer state, and writes the parameters and the state back.
     * \param segment a layer or the Sum of a segment
     * \return the bytes
     */
    static double GetOptimizerStepBytes(const LayerCost& segment);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LAYER_COST_H */
