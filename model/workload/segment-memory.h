/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SEGMENT_MEMORY_H
#define EDGE_LLM_SEGMENT_MEMORY_H

#include "layer-cost.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Whether a segment fits a device's memory: a result, never a crash.
 */
struct MemoryFit
{
    bool fits = false;           //!< requiredBytes <= availableBytes and the input was valid
    uint64_t requiredBytes = 0;  //!< the segment's totalBytes
    uint64_t availableBytes = 0; //!< floor(deviceMemoryBytes * usableFraction)
    uint64_t shortBytes = 0;     //!< requiredBytes - availableBytes when it does not fit, else 0
    /// empty when it fits; otherwise why not: the shortfall, or the invalid input's message
    std::string reason;
};

/**
 * \ingroup edge-llm
 * \brief Memory a device needs to hold and run a contiguous segment [first, last] of layers.
 *
 * totalBytes = parameterBytes + gradientBytes + optimizerStateBytes + activationBytes, with
 * activationBytes = inFlightMicroBatches * storedActivationBytesPerMicroBatch + workingBytes.
 * The caller chooses inFlightMicroBatches: M for GPipe, for 1F1B the number of stages from this
 * one to the last (at most M), 1 for inference.
 *
 * workingBytes is the largest per-layer transient, GetLayerWorkingBytes(). Gradients are None
 * when a step starts (zero_grad with set_to_none, LibTorch's and PyTorch 2's default), so with
 * one micro-batch in flight the forward runs before any gradient exists and a layer's backward
 * peak holds at most that layer's gradients; gradientBytes counts them all, so the layer's
 * transients are taken less its gradients. With more micro-batches in flight the gradients of
 * earlier ones may be resident and nothing is taken off. The optimizer's temporaries are taken
 * less the layer's stored activations (the step runs once they are freed). Each term bounds the
 * true peak of its phase, so totalBytes bounds the step's peak; for one block and one
 * micro-batch it is within 10% of what LibTorch allocates when activations or optimizer state
 * outweigh the gradients (doc/workload-model.rst has the table). The segment's input is counted
 * where autograd keeps it (stored activations) and otherwise in the transients of the first
 * layer; the inputs of the other in-flight micro-batches, when autograd does not keep them, are
 * not counted.
 */
struct SegmentMemory
{
    uint64_t parameterBytes = 0;      //!< parameters, plus a tied-table copy when needed
    uint64_t gradientBytes = 0;       //!< gradients of the trainable parameters
    uint64_t optimizerStateBytes = 0; //!< optimizer moments and fp32 master copy
    /// stored activations of one micro-batch, summed over the segment
    uint64_t storedActivationBytesPerMicroBatch = 0;
    /// largest forward transient of a layer (LayerCost::workingBytes, less the layer's
    /// gradientBytes with one micro-batch in flight)
    uint64_t forwardWorkingBytes = 0;
    /// largest backward transient of a layer (backwardWorkingBytes, plus backwardGradientBytes
    /// less gradientBytes with one micro-batch in flight)
    uint64_t backwardWorkingBytes = 0;
    /// largest LayerCost::optimizerWorkingBytes beyond the layer's storedActivationBytes
    uint64_t optimizerWorkingBytes = 0;
    /// the largest of the three above: the transient on top of the stored activations
    uint64_t workingBytes = 0;
    uint64_t activationBytes = 0; //!< in-flight stored activations plus workingBytes
    uint64_t totalBytes = 0;      //!< everything above

    /**
     * \brief Check a segment request.
     * \param layers the model's layers (LayerCostModel::Compute)
     * \param first first position of the segment
     * \param last last position (inclusive)
     * \param inFlightMicroBatches micro-batches whose stored activations coexist, >= 1
     * \return an empty string when valid, otherwise the problem, e.g.
     * "inFlightMicroBatches=0 is invalid: must be at least 1"
     */
    static std::string Validate(const std::vector<LayerCost>& layers,
                                uint32_t first,
                                uint32_t last,
                                uint32_t inFlightMicroBatches);

    /**
     * \brief Memory of the segment [first, last].
     *
     * When the segment holds a layer that reads the shared token table (tied LM head, decoder
     * input embedding) but not the EMBEDDING layer (position 0), it adds one copy of the table
     * (with its gradient and optimizer state under FULL training).
     *
     * \param layers the model's layers
     * \param first first position
     * \param last last position (inclusive)
     * \param inFlightMicroBatches micro-batches whose stored activations coexist
     * \return the memory; NS_FATAL_ERROR with the Validate() message on invalid input
     */
    static SegmentMemory Compute(const std::vector<LayerCost>& layers,
                                 uint32_t first,
                                 uint32_t last,
                                 uint32_t inFlightMicroBatches);

    /**
     * \brief The same for a step of microBatches micro-batches of which inFlightMicroBatches
     * keep their stored activations at once (1F1B: fewer than the step's on every stage but the
     * first ones). The transients follow the step's count: once one micro-batch's backward has
     * run its gradients are resident during the next one's forward, even with one in flight.
     * \param layers the model's layers
     * \param first first position
     * \param last last position (inclusive)
     * \param inFlightMicroBatches micro-batches whose stored activations coexist, >= 1
     * \param microBatches micro-batches of the step, >= inFlightMicroBatches
     * \return the memory; NS_FATAL_ERROR on invalid input
     */
    static SegmentMemory Compute(const std::vector<LayerCost>& layers,
                                 uint32_t first,
                                 uint32_t last,
                                 uint32_t inFlightMicroBatches,
                                 uint32_t microBatches);

    /**
     * \brief The transients one layer adds on top of parameters, gradients, optimizer state and
     * stored activations, by phase; differences are floored at 0.
     *
     * With one micro-batch per step: forward workingBytes - gradientBytes, backward
     * backwardWorkingBytes + backwardGradientBytes - gradientBytes; with more: workingBytes and
     * backwardWorkingBytes. Optimizer: optimizerWorkingBytes - storedActivationBytes.
     * \param layer a layer's cost
     * \param microBatches micro-batches of the step (GPipe: those in flight), >= 1
     * \param[out] forward the forward transient
     * \param[out] backward the backward transient
     * \param[out] optimizer the optimizer transient
     */
    static void GetLayerTransients(const LayerCost& layer,
                                   uint32_t microBatches,
                                   uint64_t& forward,
                                   uint64_t& backward,
                                   uint64_t& optimizer);

    /**
     * \param layer a layer's cost
     * \param microBatches micro-batches of the step (GPipe: those in flight), >= 1
     * \return the largest of the layer's transients (GetLayerTransients())
     */
    static uint64_t GetLayerWorkingBytes(const LayerCost& layer, uint32_t microBatches);

    /**
     * \brief Check the arguments of CheckFit().
     * \param deviceMemoryBytes the device's memory
     * \param usableFraction the share of it the segment may use
     * \return an empty string when deviceMemoryBytes > 0 and 0 < usableFraction <= 1, otherwise
     * the problem, e.g. "usableFraction=1.5 is invalid: must be in (0, 1]"
     */
    static std::string ValidateFit(uint64_t deviceMemoryBytes, double usableFraction);

    /**
     * \brief Does a segment fit a device?
     * \param memory the segment's memory
     * \param deviceMemoryBytes the device's memory
     * \param usableFraction the share of it the segment may use (the rest: runtime, OS)
     * \return the verdict; on invalid arguments fits is false and reason is the ValidateFit()
     * message
     */
    static MemoryFit CheckFit(const SegmentMemory& memory,
                              uint64_t deviceMemoryBytes,
                              double usableFraction);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_SEGMENT_MEMORY_H */
