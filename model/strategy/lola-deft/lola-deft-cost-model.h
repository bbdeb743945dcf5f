/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LOLA_DEFT_COST_MODEL_H
#define EDGE_LLM_LOLA_DEFT_COST_MODEL_H

#include "ns3/compute-model.h"
#include "ns3/device-profile.h"
#include "ns3/layer-cost.h"
#include "ns3/layer-kernels.h"
#include "ns3/ptr.h"
#include "ns3/segment-memory.h"
#include "ns3/task-graph.h"
#include "ns3/workload.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What fine-tuning one parameter block costs each device in LoLa DEFT.
 *
 * The fine-tuning parameters (the recipe's trainable ones in the Transformer blocks: full
 * layer weights, LoRA or adapters) are cut into blocks of LayersPerBlock consecutive
 * Transformer blocks, numbered by depth from the output: block 0 holds the last ones. The
 * embedding and the output head stay frozen. A device fine-tuning block m on a batch:
 * - runs the layers below the block forward only, as in inference (nothing kept for backward);
 * - runs the block and every layer above it forward with autograd recording, and backward from
 *   the loss down to the block: input gradients through the layers above (their weights
 *   frozen for it: LayerKernelModel::Compute without weight gradients), input and weight
 *   gradients in the block;
 * - holds every layer's weights, the block's gradients and optimizer state, and the
 *   activations autograd keeps from the block up (SegmentMemory over that mixed list).
 * So compute time and memory grow with m: what CRUNCH exploits. The block's gradient, its
 * upload, is its trainable parameters' exact bytes.
 */
class LolaDeftCostModel
{
  public:
    /// inputs of the model
    struct Config
    {
        Workload workload;                    //!< model, recipe, batch (one iteration each)
        std::vector<DeviceProfile> devices;   //!< the devices
        Ptr<const ComputeModel> computeModel; //!< prices kernels (null: analytic roofline)
        uint32_t layersPerBlock{1};           //!< Transformer blocks per parameter block
        double usableMemoryFraction{0.9};     //!< share of a device's available memory usable
    };

    /**
     * \param config the inputs
     * \return "" or why they cannot be costed (naming the parameter)
     */
    std::string Configure(const Config& config);

    /** \return the inputs */
    const Config& GetConfig() const;
    /** \return the number of parameter blocks M */
    uint32_t GetBlockCount() const;
    /**
     * \param block m
     * \return positions [first, last] of its Transformer blocks in LayerCostModel's list
     */
    std::pair<uint32_t, uint32_t> GetBlockLayers(uint32_t block) const;
    /**
     * \param block m
     * \return bytes of its gradient (= of its trainable parameters)
     */
    uint64_t GetGradientBytes(uint32_t block) const;
    /** \return bytes of every block's parameters (what the server sends back each round) */
    uint64_t GetTrainableBytes() const;
    /**
     * \param block m
     * \return the kernels of one iteration on it: forward of every layer, backward down to it
     */
    const LayerKernels& GetKernels(uint32_t block) const;
    /**
     * \param device k
     * \param block m
     * \return seconds the device computes the iteration (priced by the compute model)
     */
    double GetComputeSeconds(uint32_t device, uint32_t block) const;
    /**
     * \param block m
     * \return memory a device needs to fine-tune it
     */
    const SegmentMemory& GetMemory(uint32_t block) const;
    /**
     * \param device k
     * \return bytes of its memory the model may use
     */
    uint64_t GetAvailableBytes(uint32_t device) const;
    /**
     * \param device k
     * \param block m
     * \return whether the device holds what fine-tuning the block needs
     */
    bool Fits(uint32_t device, uint32_t block) const;
    /**
     * \param block m
     * \return the server's optimizer step for the block
     */
    ComputeCost GetUpdateCost(uint32_t block) const;

  private:
    Config m_config;                                     //!< inputs
    std::vector<std::pair<uint32_t, uint32_t>> m_blocks; //!< per block: its layer positions
    std::vector<uint64_t> m_gradientBytes;               //!< per block
    std::vector<LayerKernels> m_kernels;                 //!< per block
    std::vector<SegmentMemory> m_memory;                 //!< per block
    std::vector<std::vector<double>> m_seconds;          //!< [device][block]
    std::vector<LayerCost> m_layers;                     //!< the recipe's costs (batch)
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LOLA_DEFT_COST_MODEL_H */
