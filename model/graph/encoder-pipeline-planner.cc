/* SPDX-License-Identifier: GPL-2.0-only */
#include "encoder-pipeline-planner.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/layer-cost.h"
#include "ns3/layer-kernels.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEncoderPipelinePlanner");

std::string
EncoderPipelinePlanner::CheckSplit(const std::string& split)
{
    if (split == "even" || split == "proportional")
    {
        return "";
    }
    return "split='" + split + "' is not known; allowed: even, proportional";
}

std::vector<uint32_t>
EncoderPipelinePlanner::SplitEven(uint32_t blocks, uint32_t parts)
{
    NS_ABORT_MSG_IF(parts == 0, "EncoderPipelinePlanner::SplitEven: parts=0 is invalid");
    std::vector<uint32_t> sizes(parts);
    for (uint32_t i = 0; i < parts; ++i)
    {
        sizes[i] = blocks / parts + (i < blocks % parts ? 1 : 0);
    }
    return sizes;
}

std::vector<uint32_t>
EncoderPipelinePlanner::SplitBlocks(uint32_t blocks,
                                    const std::vector<DeviceProfile>& devices,
                                    DataType dtype,
                                    const std::string& split)
{
    NS_LOG_FUNCTION(blocks << devices.size() << split);
    const auto parts = static_cast<uint32_t>(devices.size());
    NS_ABORT_MSG_IF(parts == 0 || blocks < parts,
                    "EncoderPipelinePlanner::SplitBlocks: " << blocks << " blocks cannot give "
                                                            << parts << " segments of >= 1 block");
    const std::string problem = CheckSplit(split);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    if (split == "even")
    {
        return SplitEven(blocks, parts);
    }
    // Proportional: one block each, then the rest one by one to the device whose finish time
    // (blocks / speed) would grow least.
    std::vector<uint32_t> sizes(parts, 1);
    for (uint32_t assigned = parts; assigned < blocks; ++assigned)
    {
        uint32_t best = 0;
        double bestTime = 0;
        for (uint32_t i = 0; i < parts; ++i)
        {
            double time = (sizes[i] + 1) / devices[i].GetAchievedFlops(dtype);
            if (i == 0 || time < bestTime)
            {
                best = i;
                bestTime = time;
            }
        }
        ++sizes[best];
    }
    return sizes;
}

std::string
EncoderPipelinePlanner::Validate(const TransformerSpec& spec,
                                 const TrainingRecipe& recipe,
                                 uint32_t stages,
                                 const std::string& split,
                                 uint32_t microBatches)
{
    if (spec.encoderLayers == 0)
    {
        return "model='" + spec.name +
               "' has no encoder; the pipeline cuts an encoder (e.g. bert-base, roberta-large, "
               "distilbert)";
    }
    std::string problem = CheckSplit(split);
    if (!problem.empty())
    {
        return problem;
    }
    problem = LayerCostModel::Validate(spec, recipe);
    if (!problem.empty())
    {
        return problem;
    }
    if (microBatches == 0)
    {
        return "microBatches=0 is invalid: must be a positive integer";
    }
    if (stages < 2)
    {
        return "devices gives " + std::to_string(stages) +
               " device(s); a pipeline needs at least 2";
    }
    if (stages > spec.encoderLayers)
    {
        return "devices gives " + std::to_string(stages) + " stages but model='" + spec.name +
               "' has " + std::to_string(spec.encoderLayers) +
               " encoder blocks; at most one stage per block";
    }
    return "";
}

EncoderPipelinePlan
EncoderPipelinePlanner::Plan(const TransformerSpec& spec,
                             const TrainingRecipe& recipe,
                             const std::vector<DeviceProfile>& devices,
                             const std::string& split,
                             PipelineSchedule schedule,
                             uint32_t microBatches,
                             double usableFraction)
{
    NS_LOG_FUNCTION(spec.name << devices.size() << split << microBatches << usableFraction);
    const auto stages = static_cast<uint32_t>(devices.size());
    const std::string problem = Validate(spec, recipe, stages, split, microBatches);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }

    // Layers in execution order: embedding, encoder blocks, head. Stage i holds a contiguous
    // range; the embedding joins the first stage and the head the last.
    const std::vector<LayerCost> layers = LayerCostModel::Compute(spec, recipe);
    const std::vector<LayerKernels> kernels = LayerKernelModel::Compute(spec, recipe);
    const std::vector<uint32_t> sizes =
        SplitBlocks(spec.encoderLayers, devices, recipe.dtype, split);
    EncoderPipelinePlan plan;
    PipelineSpec& pipeline = plan.pipeline;
    pipeline.schedule = schedule;
    pipeline.microBatches = microBatches;
    pipeline.dtype = recipe.dtype;
    uint32_t next = 1; // layer 0 is the embedding
    for (uint32_t s = 0; s < stages; ++s)
    {
        EncoderPipelineStage stage;
        stage.firstLayer = s == 0 ? 0 : next;
        stage.lastLayer =
            s + 1 == stages ? static_cast<uint32_t>(layers.size() - 1) : next + sizes[s] - 1;
        next = stage.lastLayer + 1;

        LayerCost sum = LayerCostModel::Sum(layers, stage.firstLayer, stage.lastLayer);
        const LayerKernels segment =
            LayerKernelModel::Sum(kernels, stage.firstLayer, stage.lastLayer);
        pipeline.stageDevices.push_back(s);
        pipeline.forwardCosts.push_back(ComputeCost::FromKernels(segment.forward));
        pipeline.backwardCosts.push_back(ComputeCost::FromKernels(segment.backward));
        pipeline.optimizerCosts.push_back(
            ComputeCost::FromFlops(LayerCostModel::GetOptimizerStepFlops(sum, recipe),
                                   LayerCostModel::GetOptimizerStepBytes(sum)));
        if (s + 1 < stages)
        {
            pipeline.activationBytes.push_back(layers[stage.lastLayer].boundaryActivationBytes);
            pipeline.gradientBytes.push_back(layers[stage.lastLayer].boundaryActivationBytes);
        }
        // Micro-batches in flight on stage s: all M for GPipe, min(S - s, M) for 1F1B.
        stage.inFlightMicroBatches =
            schedule == PipelineSchedule::GPIPE ? microBatches : std::min(stages - s, microBatches);
        stage.memory = SegmentMemory::CheckFit(SegmentMemory::Compute(layers,
                                                                      stage.firstLayer,
                                                                      stage.lastLayer,
                                                                      stage.inFlightMicroBatches,
                                                                      microBatches),
                                               devices[s].GetAvailableMemoryBytes(),
                                               usableFraction);
        plan.stages.push_back(stage);
    }
    return plan;
}

} // namespace edgellm
} // namespace ns3
