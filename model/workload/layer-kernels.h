/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LAYER_KERNELS_H
#define EDGE_LLM_LAYER_KERNELS_H

#include "kernel-work.h"
#include "training-recipe.h"
#include "transformer-spec.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The kernels of one layer for one micro-batch: its forward pass and its backward pass
 * (empty when nothing is back-propagated through the layer).
 */
struct LayerKernels
{
    KernelWork forward;  //!< forward kernels
    KernelWork backward; //!< backward kernels (input and weight gradients)
};

/**
 * \ingroup edge-llm
 * \brief Splits every layer of LayerCostModel's list into the kernels an eager framework
 * (PyTorch / LibTorch) launches for it.
 *
 * The list has the same order and length as LayerCostModel::Compute(). Matrix products carry
 * the FLOPs (the GEMM and ATTENTION kernels sum to LayerCost's forwardFlops and backwardFlops
 * exactly); the elementwise kernels (norms, softmax, GELU, residual adds, the copy that puts
 * the heads back together, embedding lookups, the loss) carry the bytes they read and write.
 * Each kernel's bytes count every operand once: a GEMM reads its input and its weight and
 * writes its output. doc/compute-model.rst ("Kernel-level time model") lists the kernels of
 * each layer.
 */
class LayerKernelModel
{
  public:
    /**
     * \param spec the model
     * \param recipe the recipe (its micro-batch size and data type)
     * \return one entry per layer, in LayerCostModel::Compute() order; NS_FATAL_ERROR with
     * LayerCostModel::Validate()'s message on invalid input
     */
    static std::vector<LayerKernels> Compute(const TransformerSpec& spec,
                                             const TrainingRecipe& recipe);

    /**
     * \brief The kernels with or without the weight gradients of the recipe's trainable
     * modules.
     * \param spec the model
     * \param recipe the recipe (its micro-batch size and data type)
     * \param weightGradients false: the gradient passes through every layer (input
     * gradients, as when a deeper block trains) but no weight gradient is computed, as for a
     * layer whose parameters are frozen for this device (LoLa DEFT: the layers between the
     * output and a device's block)
     * \return one entry per layer, in LayerCostModel::Compute() order
     */
    static std::vector<LayerKernels> Compute(const TransformerSpec& spec,
                                             const TrainingRecipe& recipe,
                                             bool weightGradients);

    /**
     * \brief The kernels of a segment [first, last].
     * \param layers a list from Compute()
     * \param first first position
     * \param last last position (inclusive)
     * \return forward and backward kernels of the segment; NS_FATAL_ERROR on a bad range
     */
    static LayerKernels Sum(const std::vector<LayerKernels>& layers, uint32_t first, uint32_t last);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LAYER_KERNELS_H */
