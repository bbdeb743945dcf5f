/* SPDX-License-Identifier: GPL-2.0-only */
#include "segment-memory.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmSegmentMemory");

std::string
SegmentMemory::Validate(const std::vector<LayerCost>& layers,
                        uint32_t first,
                        uint32_t last,
                        uint32_t inFlightMicroBatches)
{
    const std::string problem = LayerCostModel::ValidateRange(layers, first, last);
    if (!problem.empty())
    {
        return problem;
    }
    if (inFlightMicroBatches == 0)
    {
        return "inFlightMicroBatches=0 is invalid: must be at least 1";
    }
    return "";
}

SegmentMemory
SegmentMemory::Compute(const std::vector<LayerCost>& layers,
                       uint32_t first,
                       uint32_t last,
                       uint32_t inFlightMicroBatches)
{
    return Compute(layers, first, last, inFlightMicroBatches, inFlightMicroBatches);
}

SegmentMemory
SegmentMemory::Compute(const std::vector<LayerCost>& layers,
                       uint32_t first,
                       uint32_t last,
                       uint32_t inFlightMicroBatches,
                       uint32_t microBatches)
{
    const std::string problem = Validate(layers, first, last, inFlightMicroBatches);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    if (microBatches < inFlightMicroBatches)
    {
        NS_FATAL_ERROR("microBatches=" << microBatches << " is invalid: must be at least "
                                       << "inFlightMicroBatches=" << inFlightMicroBatches);
    }
    const LayerCost sum = LayerCostModel::Sum(layers, first, last);
    SegmentMemory m;
    m.parameterBytes = sum.parameterBytes;
    m.gradientBytes = sum.gradientBytes;
    m.optimizerStateBytes = sum.optimizerStateBytes;
    // The token table lives in the EMBEDDING layer (position 0); a segment without it that still
    // reads the table keeps its own copy.
    if (first > 0 && sum.tiedParameterCount > 0)
    {
        m.parameterBytes += sum.tiedParameterBytes;
        m.gradientBytes += sum.tiedGradientBytes;
        m.optimizerStateBytes += sum.tiedOptimizerStateBytes;
    }
    m.storedActivationBytesPerMicroBatch = sum.storedActivationBytes;
    for (uint32_t i = first; i <= last; ++i)
    {
        uint64_t forward = 0;
        uint64_t backward = 0;
        uint64_t optimizer = 0;
        GetLayerTransients(layers[i], microBatches, forward, backward, optimizer);
        m.forwardWorkingBytes = std::max(m.forwardWorkingBytes, forward);
        m.backwardWorkingBytes = std::max(m.backwardWorkingBytes, backward);
        m.optimizerWorkingBytes = std::max(m.optimizerWorkingBytes, optimizer);
    }
    m.workingBytes =
        std::max({m.forwardWorkingBytes, m.backwardWorkingBytes, m.optimizerWorkingBytes});
    m.activationBytes = uint64_t(inFlightMicroBatches) * sum.storedActivationBytes + m.workingBytes;
    m.totalBytes = m.parameterBytes + m.gradientBytes + m.optimizerStateBytes + m.activationBytes;
    NS_LOG_FUNCTION(first << last << inFlightMicroBatches << m.totalBytes);
    return m;
}

void
SegmentMemory::GetLayerTransients(const LayerCost& layer,
                                  uint32_t microBatches,
                                  uint64_t& forward,
                                  uint64_t& backward,
                                  uint64_t& optimizer)
{
    auto less = [](uint64_t a, uint64_t b) { return a > b ? a - b : 0; };
    if (microBatches <= 1)
    {
        // Gradients are None until this micro-batch's backward: gradientBytes, counted in full,
        // covers the forward and whatever the layer's backward has allocated by its peak.
        forward = less(layer.workingBytes, layer.gradientBytes);
        backward =
            less(layer.backwardWorkingBytes + layer.backwardGradientBytes, layer.gradientBytes);
    }
    else
    {
        forward = layer.workingBytes;
        backward = layer.backwardWorkingBytes;
    }
    optimizer = less(layer.optimizerWorkingBytes, layer.storedActivationBytes);
}

uint64_t
SegmentMemory::GetLayerWorkingBytes(const LayerCost& layer, uint32_t microBatches)
{
    uint64_t forward = 0;
    uint64_t backward = 0;
    uint64_t optimizer = 0;
    GetLayerTransients(layer, microBatches, forward, backward, optimizer);
    return std::max({forward, backward, optimizer});
}

std::string
SegmentMemory::ValidateFit(uint64_t deviceMemoryBytes, double usableFraction)
{
    std::ostringstream oss;
    if (deviceMemoryBytes == 0)
    {
        return "deviceMemoryBytes=0 is invalid: must be a positive number of bytes";
    }
    if (!std::isfinite(usableFraction) || usableFraction <= 0 || usableFraction > 1)
    {
        oss << "usableFraction=" << usableFraction << " is invalid: must be in (0, 1]";
        return oss.str();
    }
    return "";
}

MemoryFit
SegmentMemory::CheckFit(const SegmentMemory& memory,
                        uint64_t deviceMemoryBytes,
                        double usableFraction)
{
    MemoryFit fit;
    fit.requiredBytes = memory.totalBytes;
    const std::string problem = ValidateFit(deviceMemoryBytes, usableFraction);
    if (!problem.empty())
    {
        fit.fits = false;
        fit.reason = problem;
        return fit;
    }
    // long double keeps the product exact for any realistic memory size.
    fit.availableBytes = static_cast<uint64_t>(
        std::floor(static_cast<long double>(deviceMemoryBytes) * usableFraction));
    fit.fits = fit.requiredBytes <= fit.availableBytes;
    if (!fit.fits)
    {
        fit.shortBytes = fit.requiredBytes - fit.availableBytes;
        std::ostringstream oss;
        oss << "the segment needs " << fit.requiredBytes << " bytes but only " << fit.availableBytes
            << " of " << deviceMemoryBytes << " bytes are usable (usableFraction=" << usableFraction
            << "): short by " << fit.shortBytes << " bytes";
        fit.reason = oss.str();
    }
    return fit;
}

} // namespace edgellm
} // namespace ns3
