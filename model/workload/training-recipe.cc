/* SPDX-License-Identifier: GPL-2.0-only */
#include "training-recipe.h"

#include "transformer-spec.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTrainingRecipe");

namespace
{

/// Upper bound that catches a negative micro-batch size wrapped into the unsigned field.
constexpr uint32_t MAX_MICRO_BATCH = 65536;
/// Largest explicit dropout mask element (a double).
constexpr uint32_t MAX_MASK_BYTES = 8;

} // namespace

std::string
RecipeKindToString(RecipeKind kind)
{
    switch (kind)
    {
    case RecipeKind::FULL:
        return "full";
    case RecipeKind::ADAPTERS:
        return "adapters";
    case RecipeKind::LORA:
        return "lora";
    case RecipeKind::PARALLEL_ADAPTERS:
        return "parallel-adapters";
    case RecipeKind::INFERENCE:
        return "inference";
    }
    NS_FATAL_ERROR("unknown RecipeKind value " << static_cast<int>(kind));
}

std::string
OptimizerKindToString(OptimizerKind optimizer)
{
    switch (optimizer)
    {
    case OptimizerKind::ADAM:
        return "adam";
    case OptimizerKind::SGD:
        return "sgd";
    }
    NS_FATAL_ERROR("unknown OptimizerKind value " << static_cast<int>(optimizer));
}

std::string
TrainingRecipe::ParseRecipeKind(const std::string& name, RecipeKind& kind)
{
    for (auto k : {RecipeKind::FULL,
                   RecipeKind::ADAPTERS,
                   RecipeKind::LORA,
                   RecipeKind::PARALLEL_ADAPTERS,
                   RecipeKind::INFERENCE})
    {
        if (name == RecipeKindToString(k))
        {
            kind = k;
            return "";
        }
    }
    return "recipe='" + name +
           "' is not a known recipe; allowed: full, adapters, lora, parallel-adapters, inference";
}

std::string
TrainingRecipe::ParseOptimizer(const std::string& name, OptimizerKind& optimizer)
{
    for (auto o : {OptimizerKind::ADAM, OptimizerKind::SGD})
    {
        if (name == OptimizerKindToString(o))
        {
            optimizer = o;
            return "";
        }
    }
    return "optimizer='" + name + "' is not a known optimizer; allowed: adam, sgd";
}

std::string
TrainingRecipe::Validate() const
{
    std::ostringstream oss;
    if (microBatchSize == 0)
    {
        return "microBatchSize=0 is invalid: must be a positive integer";
    }
    if (microBatchSize > MAX_MICRO_BATCH)
    {
        oss << "microBatchSize=" << microBatchSize << " is invalid: must be at most "
            << MAX_MICRO_BATCH;
        return oss.str();
    }
    if (kind == RecipeKind::LORA && loraRank == 0)
    {
        return "loraRank=0 is invalid for recipe 'lora': must be a positive integer";
    }
    if ((kind == RecipeKind::ADAPTERS || kind == RecipeKind::PARALLEL_ADAPTERS) &&
        adapterReduction == 0)
    {
        return "adapterReduction=0 is invalid for recipe '" + RecipeKindToString(kind) +
               "': must be a positive integer";
    }
    if (!std::isfinite(dropout) || dropout < 0 || dropout >= 1)
    {
        oss << "dropout=" << dropout << " is invalid: must be a probability in [0, 1)";
        return oss.str();
    }
    if (dropoutMaskBytes > MAX_MASK_BYTES)
    {
        oss << "dropoutMaskBytes=" << dropoutMaskBytes
            << " is invalid: must be 0 (the data type's size, as LibTorch's CPU dropout keeps "
               "it) or between 1 and "
            << MAX_MASK_BYTES << " (1: a CUDA bool mask)";
        return oss.str();
    }
    return "";
}

std::string
TrainingRecipe::ValidateFor(const TransformerSpec& spec) const
{
    const std::string problem = Validate();
    if (!problem.empty())
    {
        return problem;
    }
    std::ostringstream oss;
    if (kind == RecipeKind::LORA && loraRank > spec.hidden)
    {
        oss << "loraRank=" << loraRank << " exceeds hidden=" << spec.hidden << " of model '"
            << spec.name << "': must be between 1 and hidden";
        return oss.str();
    }
    if ((kind == RecipeKind::ADAPTERS || kind == RecipeKind::PARALLEL_ADAPTERS) &&
        adapterReduction > spec.hidden)
    {
        oss << "adapterReduction=" << adapterReduction << " exceeds hidden=" << spec.hidden
            << " of model '" << spec.name
            << "': must be between 1 and hidden so that the width hidden/adapterReduction is at "
               "least 1";
        return oss.str();
    }
    return "";
}

bool
TrainingRecipe::IsTraining() const
{
    return kind != RecipeKind::INFERENCE;
}

bool
TrainingRecipe::HasFrozenBackbone() const
{
    return kind == RecipeKind::ADAPTERS || kind == RecipeKind::LORA ||
           kind == RecipeKind::PARALLEL_ADAPTERS;
}

bool
TrainingRecipe::UsesMasterWeights() const
{
    return IsTraining() && fp32MasterWeights && GetDataTypeBytes(dtype) < 4;
}

uint32_t
TrainingRecipe::GetAdamMomentBytes() const
{
    // The moments are created like the parameters they follow (zeros_like in LibTorch and
    // PyTorch): fp32 beside an fp32 master copy, the data type in pure 16-bit training.
    return UsesMasterWeights() ? 4 : GetDataTypeBytes(dtype);
}

uint32_t
TrainingRecipe::GetOptimizerBytesPerTrainableParameter() const
{
    if (!IsTraining())
    {
        return 0;
    }
    uint32_t bytes = optimizer == OptimizerKind::ADAM ? 2 * GetAdamMomentBytes() : 0;
    if (UsesMasterWeights())
    {
        bytes += 4;
    }
    return bytes;
}

bool
TrainingRecipe::HasDropout() const
{
    return IsTraining() && dropout > 0;
}

uint32_t
TrainingRecipe::GetDropoutMaskBytes() const
{
    return dropoutMaskBytes == 0 ? GetDataTypeBytes(dtype) : dropoutMaskBytes;
}

TransformerSpec
TrainingRecipe::GetSideBlockSpec(const TransformerSpec& spec) const
{
    TransformerSpec side = spec;
    const uint32_t r = std::max(1u, adapterReduction);
    side.hidden = std::max(1u, spec.hidden / r);
    side.ffn = std::max(1u, spec.ffn / r);
    side.heads = side.hidden % spec.heads == 0 ? spec.heads : 1;
    side.relativeAttentionBuckets = 0;
    return side;
}

bool
TrainingRecipe::HasSideBlock(const TransformerSpec& spec, bool decoder, uint32_t index) const
{
    if (kind != RecipeKind::PARALLEL_ADAPTERS)
    {
        return false;
    }
    const uint32_t stack = decoder ? spec.decoderLayers : spec.encoderLayers;
    return sideBlocks == 0 || index + std::min(sideBlocks, stack) >= stack;
}

uint32_t
TrainingRecipe::GetAdapterWidth(const TransformerSpec& spec) const
{
    return adapterReduction == 0 ? 0 : spec.hidden / adapterReduction;
}

} // namespace edgellm
} // namespace ns3
