/* SPDX-License-Identifier: GPL-2.0-only */
#include "lola-deft-cost-model.h"

#include "ns3/analytic-compute-model.h"
#include "ns3/layer-kernels.h"
#include "ns3/log.h"

#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLolaDeftCostModel");

std::string
LolaDeftCostModel::Configure(const Config& config)
{
    std::ostringstream out;
    std::string problem = config.workload.Validate();
    if (!problem.empty())
    {
        return "LoLa DEFT: " + problem;
    }
    const RecipeKind kind = config.workload.recipe.kind;
    if (kind == RecipeKind::INFERENCE || kind == RecipeKind::PARALLEL_ADAPTERS)
    {
        return "LoLa DEFT: recipe=" + RecipeKindToString(kind) +
               " is not allowed; full, adapters or lora (blocks of the backbone's own layers "
               "fine-tune)";
    }
    if (config.devices.empty())
    {
        return "LoLa DEFT: no device";
    }
    if (!(config.usableMemoryFraction > 0) || config.usableMemoryFraction > 1)
    {
        out << "LoLa DEFT: usableMemoryFraction=" << config.usableMemoryFraction
            << " is not allowed; (0, 1]";
        return out.str();
    }
    m_config = config;
    if (!m_config.computeModel)
    {
        m_config.computeModel = CreateObject<AnalyticComputeModel>();
    }
    TrainingRecipe recipe = config.workload.recipe;
    recipe.microBatchSize = config.workload.batchSize;
    m_layers = LayerCostModel::Compute(config.workload.spec, recipe);
    const std::vector<LayerKernels> trained =
        LayerKernelModel::Compute(config.workload.spec, recipe, true);
    const std::vector<LayerKernels> through =
        LayerKernelModel::Compute(config.workload.spec, recipe, false);
    TrainingRecipe frozen = recipe;
    frozen.kind = RecipeKind::INFERENCE;
    const std::vector<LayerCost> inferenceLayers =
        LayerCostModel::Compute(config.workload.spec, frozen);
    const std::vector<LayerKernels> inference =
        LayerKernelModel::Compute(config.workload.spec, frozen);
    // the Transformer blocks, from the output down
    std::vector<uint32_t> positions;
    for (uint32_t l = static_cast<uint32_t>(m_layers.size()); l-- > 0;)
    {
        if (m_layers[l].kind == LayerKind::ENCODER_BLOCK ||
            m_layers[l].kind == LayerKind::DECODER_BLOCK)
        {
            positions.push_back(l);
        }
    }
    if (config.layersPerBlock == 0 || config.layersPerBlock > positions.size())
    {
        out << "LoLa DEFT: LayersPerBlock=" << config.layersPerBlock << " is not allowed; 1.."
            << positions.size() << " (" << config.workload.spec.name << " has " << positions.size()
            << " Transformer blocks)";
        return out.str();
    }
    m_blocks.clear();
    for (uint32_t i = 0; i < positions.size(); i += config.layersPerBlock)
    {
        // the deepest block takes what is left
        const uint32_t end = std::min<uint32_t>(i + config.layersPerBlock, positions.size());
        m_blocks.emplace_back(positions[end - 1], positions[i]);
    }
    const uint32_t blocks = static_cast<uint32_t>(m_blocks.size());
    m_gradientBytes.assign(blocks, 0);
    m_kernels.assign(blocks, LayerKernels());
    m_memory.assign(blocks, SegmentMemory());
    for (uint32_t m = 0; m < blocks; ++m)
    {
        const auto [first, last] = m_blocks[m];
        std::vector<LayerCost> mixed;
        for (uint32_t l = 0; l < m_layers.size(); ++l)
        {
            const bool inBlock = l >= first && l <= last &&
                                 (m_layers[l].kind == LayerKind::ENCODER_BLOCK ||
                                  m_layers[l].kind == LayerKind::DECODER_BLOCK);
            if (l < first)
            {
                m_kernels[m].forward.Append(inference[l].forward);
                mixed.push_back(inferenceLayers[l]);
                continue;
            }
            const LayerKernels& kernels = inBlock ? trained[l] : through[l];
            m_kernels[m].forward.Append(kernels.forward);
            m_kernels[m].backward.Append(kernels.backward);
            LayerCost cost = m_layers[l];
            if (inBlock)
            {
                m_gradientBytes[m] += cost.trainableParameterBytes;
            }
            else
            {
                // frozen for this device: no gradient, no optimizer state
                cost.trainableParameterCount = 0;
                cost.trainableParameterBytes = 0;
                cost.gradientBytes = 0;
                cost.optimizerStateBytes = 0;
                cost.tiedGradientBytes = 0;
                cost.tiedOptimizerStateBytes = 0;
                cost.backwardGradientBytes = 0;
            }
            mixed.push_back(cost);
        }
        if (m_gradientBytes[m] == 0)
        {
            out << "LoLa DEFT: recipe=" << RecipeKindToString(kind) << " trains nothing in block "
                << m;
            return out.str();
        }
        m_memory[m] = SegmentMemory::Compute(mixed, 0, static_cast<uint32_t>(mixed.size()) - 1, 1);
    }
    m_seconds.assign(config.devices.size(), std::vector<double>(blocks, 0.0));
    for (uint32_t k = 0; k < config.devices.size(); ++k)
    {
        for (uint32_t m = 0; m < blocks; ++m)
        {
            m_seconds[k][m] =
                m_config.computeModel
                    ->GetWorkTime(config.devices[k], recipe.dtype, m_kernels[m].forward)
                    .GetSeconds() +
                m_config.computeModel
                    ->GetWorkTime(config.devices[k], recipe.dtype, m_kernels[m].backward)
                    .GetSeconds();
        }
    }
    return "";
}

const LolaDeftCostModel::Config&
LolaDeftCostModel::GetConfig() const
{
    return m_config;
}

uint32_t
LolaDeftCostModel::GetBlockCount() const
{
    return static_cast<uint32_t>(m_blocks.size());
}

std::pair<uint32_t, uint32_t>
LolaDeftCostModel::GetBlockLayers(uint32_t block) const
{
    return m_blocks.at(block);
}

uint64_t
LolaDeftCostModel::GetGradientBytes(uint32_t block) const
{
    return m_gradientBytes.at(block);
}

uint64_t
LolaDeftCostModel::GetTrainableBytes() const
{
    uint64_t bytes = 0;
    for (uint64_t b : m_gradientBytes)
    {
        bytes += b;
    }
    return bytes;
}

const LayerKernels&
LolaDeftCostModel::GetKernels(uint32_t block) const
{
    return m_kernels.at(block);
}

double
LolaDeftCostModel::GetComputeSeconds(uint32_t device, uint32_t block) const
{
    return m_seconds.at(device).at(block);
}

const SegmentMemory&
LolaDeftCostModel::GetMemory(uint32_t block) const
{
    return m_memory.at(block);
}

uint64_t
LolaDeftCostModel::GetAvailableBytes(uint32_t device) const
{
    return static_cast<uint64_t>(
        std::floor(static_cast<long double>(m_config.devices[device].GetAvailableMemoryBytes()) *
                   m_config.usableMemoryFraction));
}

bool
LolaDeftCostModel::Fits(uint32_t device, uint32_t block) const
{
    return m_memory.at(block).totalBytes <= GetAvailableBytes(device);
}

ComputeCost
LolaDeftCostModel::GetUpdateCost(uint32_t block) const
{
    const auto [first, last] = m_blocks.at(block);
    const LayerCost segment = LayerCostModel::Sum(m_layers, first, last);
    return ComputeCost::FromFlops(
        LayerCostModel::GetOptimizerStepFlops(segment, m_config.workload.recipe),
        LayerCostModel::GetOptimizerStepBytes(segment));
}

} // namespace edgellm
} // namespace ns3
