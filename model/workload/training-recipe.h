/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TRAINING_RECIPE_H
#define EDGE_LLM_TRAINING_RECIPE_H

#include "ns3/data-type.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace edgellm
{

class TransformerSpec;

/**
 * \ingroup edge-llm
 * \brief What a run does with the model.
 */
enum class RecipeKind
{
    FULL,     //!< every parameter trains (pre-training or full fine-tuning)
    ADAPTERS, //!< Houlsby serial adapters, two per block; backbone frozen
    LORA,     //!< LoRA of rank loraRank on the query and value projections; backbone frozen
    /// PAC-style side network of width hidden/adapterReduction beside a frozen backbone; the
    /// backbone runs forward only, gradients never enter it
    PARALLEL_ADAPTERS,
    INFERENCE, //!< forward only, nothing trains
};

/**
 * \ingroup edge-llm
 * \brief The optimizer of the trainable parameters.
 */
enum class OptimizerKind
{
    ADAM, //!< Adam / AdamW: two fp32 moments per trainable parameter
    SGD,  //!< plain SGD without momentum: no optimizer state
};

/**
 * \param kind a recipe kind
 * \return "full", "adapters", "lora", "parallel-adapters" or "inference"
 */
std::string RecipeKindToString(RecipeKind kind);

/**
 * \param optimizer an optimizer
 * \return "adam" or "sgd"
 */
std::string OptimizerKindToString(OptimizerKind optimizer);

/**
 * \ingroup edge-llm
 * \brief How the model is trained (or run): a plain value struct.
 *
 * The sequence lengths belong to TransformerSpec (a preset gives a default); the recipe holds
 * what the run does with the model: what trains, in which data type, with which optimizer, on
 * micro-batches of how many sequences.
 */
struct TrainingRecipe
{
    RecipeKind kind = RecipeKind::FULL; //!< what trains
    DataType dtype = DataType::FP32;    //!< weights, activations and gradients
    uint32_t microBatchSize = 8;        //!< sequences per micro-batch (b)
    uint32_t loraRank = 8;              //!< LoRA rank r (LORA only)
    uint32_t adapterReduction = 16;     //!< bottleneck = hidden / adapterReduction
    /**
     * PARALLEL_ADAPTERS: each side block is a Transformer block of width hidden / r, FFN
     * ffn / r and the model's head count (as many as divide the width, else one), fed by the
     * tap (PAC's "lightweight version of the backbone", Ladder Side-Tuning); false (default):
     * the tap and one width x width GELU layer (the side block the LibTorch engine runs).
     */
    bool sideTransformer = false;
    /**
     * PARALLEL_ADAPTERS: side blocks per stack, beside its last blocks (PAC and Ladder
     * Side-Tuning may leave the first blocks without one: e.g. 9 of 12); 0 (default): every
     * block. Blocks without one run the frozen backbone alone and feed no tap.
     */
    uint32_t sideBlocks = 0;
    OptimizerKind optimizer = OptimizerKind::ADAM; //!< optimizer of the trainable parameters
    /// Keep an fp32 master copy of the trainable parameters when dtype is fp16 or bf16 and the
    /// recipe trains (mixed precision, Micikevicius et al. 2018); false: pure 16-bit training
    bool fp32MasterWeights = true;
    /**
     * Probability of the model's dropouts in training (embeddings, attention probabilities,
     * attention output, FFN output), in [0, 1). 0 means no dropout op at all: no mask is kept
     * and the attention keeps only its softmax output. The default 0.1 is the pretraining value
     * of every preset (BERT, RoBERTa, GPT-2, OPT, T5, BART). Ignored by INFERENCE (eval mode).
     */
    double dropout = 0.1;
    /**
     * Bytes per element of a kept dropout mask: 1 (default) as CUDA keeps it (native_dropout
     * saves a bool mask), or 0 for "the data type's size" as LibTorch's CPU dropout keeps it (it
     * multiplies by a noise tensor of the input's type and saves that tensor). An explicit size
     * (1 to 8) is accepted for other back ends. The default follows CUDA because the device
     * catalog describes edge GPUs; use 0 to compare with TorchLayerProbe on the CPU.
     */
    uint32_t dropoutMaskBytes = 1;

    /**
     * \brief Parse a recipe name.
     * \param name "full", "adapters", "lora", "parallel-adapters" or "inference"
     * \param[out] kind the parsed value, untouched on error
     * \return an empty string on success, otherwise the problem, e.g.
     * "recipe='prefix' is not a known recipe; allowed: full, adapters, lora, parallel-adapters,
     * inference"
     */
    static std::string ParseRecipeKind(const std::string& name, RecipeKind& kind);

    /**
     * \brief Parse an optimizer name.
     * \param name "adam" or "sgd"
     * \param[out] optimizer the parsed value, untouched on error
     * \return an empty string on success, otherwise the problem
     */
    static std::string ParseOptimizer(const std::string& name, OptimizerKind& optimizer);

    /**
     * \brief Check the fields that do not depend on the model.
     * \return an empty string when usable, otherwise the first problem, e.g.
     * "microBatchSize=0 is invalid: must be a positive integer" or "dropout=1 is invalid: must be
     * in [0, 1)"
     */
    std::string Validate() const;

    /**
     * \brief Check the recipe against a model: Validate() plus the limits the model sets
     * (LoRA rank and adapter reduction at most hidden).
     * \param spec the model
     * \return an empty string when usable, otherwise the first problem
     */
    std::string ValidateFor(const TransformerSpec& spec) const;

    /** \return true unless the recipe is INFERENCE */
    bool IsTraining() const;

    /** \return true for ADAPTERS, LORA and PARALLEL_ADAPTERS: the pretrained weights are frozen */
    bool HasFrozenBackbone() const;

    /** \return true when training in fp16/bf16 with fp32MasterWeights */
    bool UsesMasterWeights() const;

    /**
     * \return bytes per element of an Adam moment (and of the optimizer step's temporaries):
     * 4 in fp32 and mixed-precision training, the data type's size in pure 16-bit training
     */
    uint32_t GetAdamMomentBytes() const;

    /**
     * \return optimizer bytes per trainable parameter: Adam's two moments (fp32 in fp32 or
     * mixed-precision training, the data type in pure 16-bit training: LibTorch creates them like
     * their parameters), 0 for SGD, plus 4 for the fp32 master copy when UsesMasterWeights();
     * 0 for inference
     */
    uint32_t GetOptimizerBytesPerTrainableParameter() const;

    /** \return true when the recipe trains with dropout > 0 (masks are kept for backward) */
    bool HasDropout() const;

    /**
     * \return bytes per kept dropout mask element: dropoutMaskBytes, or the data type's size
     * when dropoutMaskBytes is 0
     */
    uint32_t GetDropoutMaskBytes() const;

    /**
     * \param spec the model
     * \return the adapter bottleneck or side-network width: spec.hidden / adapterReduction
     */
    uint32_t GetAdapterWidth(const TransformerSpec& spec) const;

    /**
     * \param spec the model
     * \return the side blocks' shape when sideTransformer: hidden / r wide, ffn / r (at least
     * 1) inner, the model's heads when they divide the width (else one), biases and norms as
     * the model's, no relative position buckets
     */
    TransformerSpec GetSideBlockSpec(const TransformerSpec& spec) const;

    /**
     * \param spec the model
     * \param decoder a block of the decoder stack (else the encoder's, or a decoder-only model's
     * stack when the model has no encoder)
     * \param index the block's index in its stack
     * \return whether PARALLEL_ADAPTERS puts a side block beside it (sideBlocks)
     */
    bool HasSideBlock(const TransformerSpec& spec, bool decoder, uint32_t index) const;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TRAINING_RECIPE_H */
