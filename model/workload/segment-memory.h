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
 * one to the last (at most M), 1 for inference. No separate receive buffer is added: in
 * training the segment's input is the first norm's input and is already among the stored
 * activations; in inference it is part of workingBytes.
 */
struct SegmentMemory
{
    uint64_t parameterBytes = 0;      //!< parameters, plus a tied-table copy when needed
    uint64_t gradientBytes = 0;       //!< gradients of the trainable parameters
    uint64_t optimizerStateBytes = 0; //!< optimizer moments and fp32 master copy
    /// stored activations of one micro-batch, summed over the segment
    uint64_t storedActivationBytesPerMicroBatch = 0;
    uint64_t workingBytes = 0;    //!< largest transient forward peak of a layer of the segment
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
