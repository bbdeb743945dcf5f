/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-cost-model.h"

#include "ns3/abort.h"
#include "ns3/analytic-compute-model.h"
#include "ns3/log.h"
#include "ns3/segment-memory.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPacCostModel");

std::string
PacCostModel::Configure(const Config& config)
{
    std::ostringstream out;
    std::string problem = config.workload.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    if (!config.workload.recipe.IsTraining())
    {
        return "PAC: recipe=inference is not allowed; PAC and its baselines fine-tune";
    }
    if (config.cached && config.workload.recipe.kind != RecipeKind::PARALLEL_ADAPTERS)
    {
        return "PAC: the activation cache needs recipe=parallel-adapters (with any other "
               "recipe the backbone's activations change as it trains); recipe=" +
               RecipeKindToString(config.workload.recipe.kind);
    }
    if (config.devices.empty())
    {
        return "PAC: no device to plan over";
    }
    if (!(config.linkBitsPerSecond > 0) || !std::isfinite(config.linkBitsPerSecond))
    {
        out << "PAC: linkBitsPerSecond=" << config.linkBitsPerSecond
            << " is not allowed; a positive rate";
        return out.str();
    }
    if (!(config.usableMemoryFraction > 0) || config.usableMemoryFraction > 1)
    {
        out << "PAC: usableMemoryFraction=" << config.usableMemoryFraction
            << " is not allowed; (0, 1]";
        return out.str();
    }
    if (!config.deviceStores.empty() && config.deviceStores.size() != config.devices.size())
    {
        out << "PAC: " << config.deviceStores.size() << " cache stores for "
            << config.devices.size() << " devices; one per device or none";
        return out.str();
    }
    std::vector<ActivationCacheStore> stores = config.deviceStores;
    stores.push_back(config.store);
    for (const ActivationCacheStore& store : stores)
    {
        if (!(store.readBytesPerSecond > 0) || !(store.writeBytesPerSecond > 0))
        {
            out << "PAC: cache storage rates read=" << store.readBytesPerSecond
                << " write=" << store.writeBytesPerSecond << " B/s are not allowed; positive rates";
            return out.str();
        }
    }
    m_config = config;
    if (!m_config.computeModel)
    {
        m_config.computeModel = CreateObject<AnalyticComputeModel>();
    }
    const std::vector<LayerCost> layers =
        LayerCostModel::Compute(config.workload.spec, config.workload.recipe);
    m_layerCount = static_cast<uint32_t>(layers.size());
    const TransformerSpec& spec = config.workload.spec;
    const uint64_t e = GetDataTypeBytes(config.workload.recipe.dtype);
    m_tapBytes.assign(m_layerCount, 0);
    for (uint32_t l = 0; l < m_layerCount; ++l)
    {
        const bool decoder = layers[l].kind == LayerKind::DECODER_BLOCK;
        if (config.workload.recipe.kind == RecipeKind::PARALLEL_ADAPTERS &&
            !config.workload.recipe.HasSideBlock(spec, decoder, layers[l].index))
        {
            continue; // no side block reads this block's output
        }
        if (layers[l].kind == LayerKind::ENCODER_BLOCK)
        {
            m_tapBytes[l] = e * spec.sequenceLength * spec.hidden;
        }
        else if (layers[l].kind == LayerKind::DECODER_BLOCK)
        {
            m_tapBytes[l] = e * spec.GetDecoderSideSequenceLength() * spec.hidden;
        }
    }
    m_memory.clear();
    m_stageCosts.clear();
    m_tables.assign(config.workload.batchSize, Table());
    m_built.assign(config.workload.batchSize, false);
    return "";
}

const PacCostModel::Config&
PacCostModel::GetConfig() const
{
    return m_config;
}

const ActivationCacheStore&
PacCostModel::GetStore(uint32_t device) const
{
    return m_config.deviceStores.empty() ? m_config.store : m_config.deviceStores.at(device);
}

uint32_t
PacCostModel::GetLayerCount() const
{
    return m_layerCount;
}

uint32_t
PacCostModel::GetDeviceCount() const
{
    return static_cast<uint32_t>(m_config.devices.size());
}

uint32_t
PacCostModel::GetBatchSize() const
{
    return m_config.workload.batchSize;
}

uint32_t
PacCostModel::GetDeviceClass(uint32_t device) const
{
    for (uint32_t d = 0; d < device; ++d)
    {
        if (m_config.devices[d].GetName() == m_config.devices[device].GetName())
        {
            return d;
        }
    }
    return device;
}

uint64_t
PacCostModel::GetCacheBytesPerSample(const TransformerSpec& spec, const TrainingRecipe& recipe)
{
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    uint64_t encoderTaps = 0;
    for (uint32_t i = 0; spec.HasEncoder() && i < spec.encoderLayers; ++i)
    {
        encoderTaps +=
            recipe.kind != RecipeKind::PARALLEL_ADAPTERS || recipe.HasSideBlock(spec, false, i) ? 1
                                                                                                : 0;
    }
    uint64_t decoderTaps = 0;
    for (uint32_t i = 0; spec.HasDecoder() && i < spec.decoderLayers; ++i)
    {
        decoderTaps +=
            recipe.kind != RecipeKind::PARALLEL_ADAPTERS || recipe.HasSideBlock(spec, true, i) ? 1
                                                                                               : 0;
    }
    return e * spec.hidden *
           (encoderTaps * spec.sequenceLength + decoderTaps * spec.GetDecoderSideSequenceLength());
}

uint64_t
PacCostModel::GetCacheBytesPerSample(uint32_t first, uint32_t last) const
{
    uint64_t bytes = 0;
    for (uint32_t l = first; l <= last && l < m_layerCount; ++l)
    {
        bytes += m_tapBytes[l];
    }
    return bytes;
}

double
PacCostModel::LayerSeconds(uint32_t device,
                           const Table& table,
                           const LayerKernels* inference,
                           uint32_t layer,
                           uint32_t samples) const
{
    const DeviceProfile& profile = m_config.devices[device];
    const DataType dtype = m_config.workload.recipe.dtype;
    const LayerKernels& lk = table.kernels[layer];
    const double forward =
        m_config.computeModel->GetWorkTime(profile, dtype, lk.forward).GetSeconds();
    const double backward =
        m_config.computeModel->GetWorkTime(profile, dtype, lk.backward).GetSeconds();
    const ActivationCacheStore& store = GetStore(device);
    if (!m_config.cached)
    {
        const double write =
            m_config.writeCache && !store.inMemory
                ? static_cast<double>(samples) * m_tapBytes[layer] / store.writeBytesPerSecond
                : 0.0;
        return forward + backward + write;
    }
    if (table.layers[layer].kind == LayerKind::OUTPUT_HEAD)
    {
        return forward + backward;
    }
    // the side network alone: the recipe's forward without the backbone's
    const double backbone =
        m_config.computeModel->GetWorkTime(profile, dtype, inference[layer].forward).GetSeconds();
    const double read = store.inMemory ? 0.0
                                       : static_cast<double>(samples) * m_tapBytes[layer] /
                                             store.readBytesPerSecond;
    return std::max(0.0, forward - backbone) + backward + read;
}

const PacCostModel::Table&
PacCostModel::GetTable(uint32_t samples) const
{
    NS_ABORT_MSG_IF(samples == 0 || samples > m_tables.size(),
                    "PacCostModel: samples=" << samples << " outside 1.." << m_tables.size());
    Table& table = m_tables[samples - 1];
    if (m_built[samples - 1])
    {
        return table;
    }
    TrainingRecipe recipe = m_config.workload.recipe;
    recipe.microBatchSize = samples;
    table.layers = LayerCostModel::Compute(m_config.workload.spec, recipe);
    table.kernels = LayerKernelModel::Compute(m_config.workload.spec, recipe);
    std::vector<LayerKernels> inference;
    if (m_config.cached)
    {
        TrainingRecipe backbone = recipe;
        backbone.kind = RecipeKind::INFERENCE;
        inference = LayerKernelModel::Compute(m_config.workload.spec, backbone);
    }
    table.prefix.assign(m_config.devices.size(), std::vector<double>(m_layerCount + 1, 0.0));
    for (uint32_t d = 0; d < m_config.devices.size(); ++d)
    {
        for (uint32_t l = 0; l < m_layerCount; ++l)
        {
            table.prefix[d][l + 1] =
                table.prefix[d][l] +
                LayerSeconds(d, table, inference.empty() ? nullptr : inference.data(), l, samples);
        }
    }
    m_built[samples - 1] = true;
    return table;
}

const std::vector<LayerCost>&
PacCostModel::GetLayers(uint32_t samples) const
{
    return GetTable(samples).layers;
}

double
PacCostModel::GetComputeSeconds(uint32_t device,
                                uint32_t first,
                                uint32_t last,
                                uint32_t samples) const
{
    const Table& table = GetTable(samples);
    return table.prefix[device][last + 1] - table.prefix[device][first];
}

ComputeCost
PacCostModel::GetStageCost(uint32_t device,
                           uint32_t first,
                           uint32_t last,
                           uint32_t samples,
                           bool forward) const
{
    const auto key = std::make_tuple(GetDeviceClass(device), first, last, samples, forward);
    auto found = m_stageCosts.find(key);
    if (found != m_stageCosts.end())
    {
        return found->second;
    }
    ComputeCost cost;
    if (m_config.cached)
    {
        // the side network and the head on cached taps: one task per step and device
        cost = ComputeCost::FromDuration(
            Seconds(forward ? GetComputeSeconds(device, first, last, samples) : 0.0));
    }
    else
    {
        const LayerKernels sum = LayerKernelModel::Sum(GetTable(samples).kernels, first, last);
        cost = ComputeCost::FromKernels(forward ? sum.forward : sum.backward);
    }
    m_stageCosts.emplace(key, cost);
    return cost;
}

uint64_t
PacCostModel::GetActivationBytes(uint32_t last, uint32_t samples) const
{
    return GetTable(samples).layers[last].boundaryActivationBytes;
}

uint64_t
PacCostModel::GetGradientBytes(uint32_t last, uint32_t samples) const
{
    const LayerCost& layer = GetTable(samples).layers[last];
    if (layer.kind == LayerKind::EMBEDDING && m_config.workload.recipe.HasFrozenBackbone())
    {
        return 0; // a frozen embedding has no use for the gradient of its output
    }
    if (m_config.workload.recipe.kind != RecipeKind::PARALLEL_ADAPTERS)
    {
        return layer.boundaryActivationBytes;
    }
    const TransformerSpec& spec = m_config.workload.spec;
    const TrainingRecipe& recipe = m_config.workload.recipe;
    // only the side stream's gradient goes back, and only where the side stream crosses: not
    // after the embedding, nor after a block that has no side block (before the first one)
    const bool sideCrosses =
        layer.kind == LayerKind::DECODER_EMBEDDING ||
        ((layer.kind == LayerKind::ENCODER_BLOCK || layer.kind == LayerKind::DECODER_BLOCK) &&
         recipe.HasSideBlock(spec, layer.kind == LayerKind::DECODER_BLOCK, layer.index));
    if (!sideCrosses)
    {
        return 0;
    }
    const uint64_t e = GetDataTypeBytes(recipe.dtype);
    const bool decoderSide =
        layer.kind == LayerKind::DECODER_EMBEDDING || layer.kind == LayerKind::DECODER_BLOCK;
    const uint64_t sequence =
        decoderSide ? spec.GetDecoderSideSequenceLength() : spec.sequenceLength;
    return e * samples * sequence * m_config.workload.recipe.GetAdapterWidth(spec);
}

uint64_t
PacCostModel::GetTrainableBytes(uint32_t first, uint32_t last) const
{
    const std::vector<LayerCost>& layers = GetTable(1).layers;
    uint64_t bytes = 0;
    for (uint32_t l = first; l <= last; ++l)
    {
        bytes += layers[l].trainableParameterBytes;
    }
    return bytes;
}

uint64_t
PacCostModel::GetMemoryBytes(uint32_t device,
                             uint32_t first,
                             uint32_t last,
                             uint32_t samples,
                             uint32_t inFlight,
                             uint32_t microBatches) const
{
    const auto key = std::make_tuple(first, last, samples, inFlight, microBatches);
    auto found = m_memory.find(key);
    if (found != m_memory.end())
    {
        return found->second;
    }
    const std::vector<LayerCost>& layers = GetTable(samples).layers;
    if (!m_config.cached)
    {
        const uint64_t bytes =
            SegmentMemory::Compute(layers, first, last, inFlight, microBatches).totalBytes;
        m_memory[key] = bytes;
        return bytes;
    }
    // the backbone blocks are released: their frozen weights leave memory, the head's stay
    const SegmentMemory memory = SegmentMemory::Compute(layers, first, last, 1, 1);
    uint64_t released = 0;
    for (uint32_t l = first; l <= last; ++l)
    {
        if (layers[l].kind != LayerKind::OUTPUT_HEAD)
        {
            released += layers[l].parameterBytes - layers[l].trainableParameterBytes;
        }
    }
    const uint64_t bytes = memory.totalBytes - std::min(released, memory.totalBytes);
    m_memory[key] = bytes;
    return bytes;
}

uint64_t
PacCostModel::GetAvailableBytes(uint32_t device) const
{
    return static_cast<uint64_t>(
        std::floor(static_cast<long double>(m_config.devices[device].GetAvailableMemoryBytes()) *
                   m_config.usableMemoryFraction));
}

bool
PacCostModel::Fits(uint32_t device,
                   uint32_t first,
                   uint32_t last,
                   uint32_t samples,
                   uint32_t inFlight,
                   uint32_t microBatches) const
{
    return GetMemoryBytes(device, first, last, samples, inFlight, microBatches) <=
           GetAvailableBytes(device);
}

double
PacCostModel::GetBoundarySeconds(uint32_t last, uint32_t samples) const
{
    const double bytes = static_cast<double>(GetActivationBytes(last, samples)) +
                         static_cast<double>(GetGradientBytes(last, samples));
    return 8.0 * bytes / m_config.linkBitsPerSecond;
}

ComputeCost
PacCostModel::GetOptimizerCost(uint32_t first, uint32_t last) const
{
    const LayerCost segment = LayerCostModel::Sum(GetTable(1).layers, first, last);
    return ComputeCost::FromFlops(
        LayerCostModel::GetOptimizerStepFlops(segment, m_config.workload.recipe),
        LayerCostModel::GetOptimizerStepBytes(segment));
}

double
PacCostModel::GetSyncSeconds(uint32_t first, uint32_t last, uint32_t groupSize) const
{
    const double bytes = static_cast<double>(GetTrainableBytes(first, last));
    double ring = 0;
    if (groupSize > 1)
    {
        const double perDevice = 2.0 * (groupSize - 1) / groupSize * bytes;
        ring = 8.0 * (m_config.sharedMedium ? perDevice * groupSize : perDevice) /
               m_config.linkBitsPerSecond;
    }
    // the update, on the slowest device of the fleet (the planner does not know the group)
    const ComputeCost optimizer = GetOptimizerCost(first, last);
    double update = 0;
    for (const DeviceProfile& profile : m_config.devices)
    {
        update = std::max(update,
                          m_config.computeModel
                              ->GetComputeTime(profile,
                                               m_config.workload.recipe.dtype,
                                               optimizer.flops,
                                               optimizer.memoryBytes)
                              .GetSeconds());
    }
    return ring + update;
}

} // namespace edgellm
} // namespace ns3
