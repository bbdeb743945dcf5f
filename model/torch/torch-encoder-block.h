/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_ENCODER_BLOCK_H
#define EDGE_LLM_TORCH_ENCODER_BLOCK_H

// INTERNAL header: it includes LibTorch and is not installed (not in edge_llm_headers). Only the
// LibTorch files of the module (model/torch/*.cc) include it.

#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <cstdint>
#include <string>
#include <torch/torch.h>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The shape and recipe of a TorchEncoderBlock.
 *
 * The defaults (recipe FULL, dropout 0) are the block of TorchComputeEngine.
 */
struct TorchEncoderBlockOptions
{
    int64_t hidden = 0;                   //!< model width h
    int64_t heads = 1;                    //!< attention heads a (must divide hidden)
    int64_t ffn = 0;                      //!< feed-forward width f
    RecipeKind recipe = RecipeKind::FULL; //!< which modules are added and which weights train
    double dropout = 0;                   //!< BERT's three dropouts; 0: none (no op at all)
    int64_t loraRank = 0;                 //!< r (LORA only)
    int64_t adapterWidth = 0;             //!< m (ADAPTERS) or w (PARALLEL_ADAPTERS)
};

/**
 * \ingroup edge-llm
 * \brief One post-norm Transformer encoder block (BERT form): fused QKV projection, scaled
 * dot-product attention, output projection, residual and LayerNorm, GELU FFN, residual and
 * LayerNorm; optionally with the modules of a parameter-efficient recipe.
 *
 * The backbone modules are registered first, in the order qkv, proj, ln1, ff1, ff2, ln2, and
 * drawn from LibTorch's default generator in that order, so that the FULL block without dropout
 * is the block TorchComputeEngine has always built. The recipe's modules are registered after
 * them and mirror LayerCostModel (model/workload/layer-cost.cc, AddSelfBlockRecipe):
 *  - LORA: rank-r adapters on the query and the value: x -> xA (h x r) -> xAB (r x h), added
 *    to the q and v slices of the fused QKV output; B starts at zero; no bias.
 *  - ADAPTERS: two Houlsby adapters, x + up(GELU(down(x))) with down h x m + bias and up m x h
 *    + bias: after the attention output projection (and its dropout) and after the second FFN
 *    linear (and its dropout), each before the residual add.
 *  - PARALLEL_ADAPTERS: a side block of width w: u = z + x A + a (A: h x w), z' = u + GELU(u B
 *    + c) (B: w x w), with x the backbone block's output (SideForward()).
 * Under ADAPTERS, LORA, PARALLEL_ADAPTERS and INFERENCE the backbone's parameters do not
 * require gradients; under INFERENCE nothing does.
 *
 * Dropout (p > 0, only in training mode): on the attention probabilities, after the attention
 * output projection and after the second FFN linear, as BERT does.
 */
struct TorchEncoderBlockImpl : torch::nn::Module
{
    /**
     * \brief The engine's block: recipe FULL, no dropout.
     * \param hidden model width
     * \param heads attention heads
     * \param ffn feed-forward width
     */
    TorchEncoderBlockImpl(int64_t hidden, int64_t heads, int64_t ffn);

    /**
     * \brief A block with a recipe's modules.
     * \param options shape, recipe and dropout (not validated here: TorchLayerProbe validates)
     */
    explicit TorchEncoderBlockImpl(const TorchEncoderBlockOptions& options);

    /**
     * \brief The backbone block (with the LoRA or adapter modules of the recipe).
     * \param x [batch, sequence, hidden]
     * \return the same shape
     */
    torch::Tensor forward(const torch::Tensor& x);

    /**
     * \brief The side block of PARALLEL_ADAPTERS: z' = u + GELU(u B + c), u = z + x A + a.
     * \param x the backbone block's output [batch, sequence, hidden]
     * \param z the side state [batch, sequence, w]
     * \return z' [batch, sequence, w]
     */
    torch::Tensor SideForward(const torch::Tensor& x, const torch::Tensor& z);

    /// \return the parameters of the backbone (qkv, proj, ln1, ff1, ff2, ln2)
    std::vector<torch::Tensor> BackboneParameters() const;

    /// \return the parameters the recipe adds (empty for FULL and INFERENCE)
    std::vector<torch::Tensor> AddedParameters() const;

    TorchEncoderBlockOptions m_options;        //!< shape and recipe
    int64_t m_heads;                           //!< attention heads
    torch::nn::Linear m_qkv;                   //!< fused query, key, value projection h -> 3h
    torch::nn::Linear m_proj;                  //!< attention output projection
    torch::nn::LayerNorm m_ln1;                //!< norm after attention
    torch::nn::Linear m_ff1;                   //!< FFN h -> f
    torch::nn::Linear m_ff2;                   //!< FFN f -> h
    torch::nn::LayerNorm m_ln2;                //!< norm after the FFN
    torch::nn::Linear m_loraQA{nullptr};       //!< LORA: query A (h x r)
    torch::nn::Linear m_loraQB{nullptr};       //!< LORA: query B (r x h)
    torch::nn::Linear m_loraVA{nullptr};       //!< LORA: value A (h x r)
    torch::nn::Linear m_loraVB{nullptr};       //!< LORA: value B (r x h)
    torch::nn::Linear m_adapter1Down{nullptr}; //!< ADAPTERS: attention adapter down (h x m)
    torch::nn::Linear m_adapter1Up{nullptr};   //!< ADAPTERS: attention adapter up (m x h)
    torch::nn::Linear m_adapter2Down{nullptr}; //!< ADAPTERS: FFN adapter down (h x m)
    torch::nn::Linear m_adapter2Up{nullptr};   //!< ADAPTERS: FFN adapter up (m x h)
    torch::nn::Linear m_sideA{nullptr};        //!< PARALLEL_ADAPTERS: A (h x w) + a
    torch::nn::Linear m_sideB{nullptr};        //!< PARALLEL_ADAPTERS: B (w x w) + c

  private:
    /// Register the recipe's modules and freeze the backbone when the recipe says so.
    void AddRecipeModules();

    /**
     * \param x a tensor
     * \return x after dropout when p > 0 and the module trains, else x itself
     */
    torch::Tensor Dropout(const torch::Tensor& x);
};

TORCH_MODULE(TorchEncoderBlock);

/**
 * \brief What the module's LibTorch trainers accept as a model: encoder-only, hidden at most
 * 1024 and a multiple of the heads.
 * \param spec the model
 * \return "" or what is not supported
 */
std::string CheckSmallEncoder(const TransformerSpec& spec);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_ENCODER_BLOCK_H */
