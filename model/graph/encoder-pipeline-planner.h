/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_ENCODER_PIPELINE_PLANNER_H
#define EDGE_LLM_ENCODER_PIPELINE_PLANNER_H

#include "pipeline-schedule-builder.h"

#include "ns3/device-profile.h"
#include "ns3/segment-memory.h"
#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One stage of an encoder pipeline: a contiguous range of the model's layers (positions
 * of LayerCostModel::Compute) on one device.
 */
struct EncoderPipelineStage
{
    uint32_t firstLayer{0};           //!< first layer (0, the embedding, on the first stage)
    uint32_t lastLayer{0};            //!< last layer, inclusive (the head on the last stage)
    uint32_t inFlightMicroBatches{0}; //!< micro-batches whose activations the stage keeps
    MemoryFit memory;                 //!< whether the segment fits its device
};

/**
 * \ingroup edge-llm
 * \brief Where the layers of an encoder go and the pipeline that trains them: stage s on
 * device s.
 */
struct EncoderPipelinePlan
{
    std::vector<EncoderPipelineStage> stages; //!< one per device, in pipeline order
    PipelineSpec pipeline; //!< input of PipelineScheduleBuilder; stage s on device s
};

/**
 * \ingroup edge-llm
 * \brief Cuts the encoder of a Transformer into contiguous segments, one per device, and
 * prices them as a pipeline-parallel training iteration (PipelineSpec).
 *
 * Layers in execution order are the embedding, the encoder blocks, the head
 * (LayerCostModel::Compute). The blocks are split into one segment per device ("even": sizes
 * as equal as possible, the first segments take the remainder; "proportional": one block
 * each, then every further block to the device whose finish time, blocks / achieved FLOP/s,
 * would grow least). The embedding joins the first stage and the head the last. Per stage:
 * forward, backward and optimizer costs of its layers; per boundary: the boundary activation
 * bytes forward and as many gradient bytes backward; the memory the segment needs with the
 * micro-batches it keeps in flight (M for GPipe, min(S - s, M) for 1F1B) against the share
 * of its device's memory it may use.
 */
class EncoderPipelinePlanner
{
  public:
    /// The share of a device's memory a segment may use by default.
    static constexpr double USABLE_MEMORY_FRACTION = 0.9;

    /**
     * \param split a split name
     * \return "" for "even" or "proportional", otherwise the problem
     */
    static std::string CheckSplit(const std::string& split);

    /**
     * \brief Sizes as equal as possible, the first parts taking the remainder.
     * \param blocks the blocks to split
     * \param parts the parts (> 0)
     * \return the size of each part
     */
    static std::vector<uint32_t> SplitEven(uint32_t blocks, uint32_t parts);

    /**
     * \brief Contiguous cut of \p blocks encoder blocks into one segment per device.
     * \param blocks the blocks (>= the number of devices)
     * \param devices the devices, in pipeline order (at least one)
     * \param dtype the data type (for the achieved FLOP/s)
     * \param split "even" or "proportional" (to each device's achieved FLOP/s)
     * \return the blocks of each segment, each >= 1
     */
    static std::vector<uint32_t> SplitBlocks(uint32_t blocks,
                                             const std::vector<DeviceProfile>& devices,
                                             DataType dtype,
                                             const std::string& split);

    /**
     * \brief Check a request.
     * \param spec the model
     * \param recipe the recipe (micro-batch size and data type)
     * \param stages the number of devices
     * \param split the split name
     * \param microBatches M
     * \return "" or the first problem, e.g. "devices gives 7 stages but model='distilbert' has 6
     *         encoder blocks; at most one stage per block"
     */
    static std::string Validate(const TransformerSpec& spec,
                                const TrainingRecipe& recipe,
                                uint32_t stages,
                                const std::string& split,
                                uint32_t microBatches);

    /**
     * \brief Plan the pipeline; NS_FATAL_ERROR with Validate's message on bad input.
     * \param spec the model
     * \param recipe the recipe
     * \param devices the devices, in pipeline order
     * \param split "even" or "proportional"
     * \param schedule GPipe or 1F1B
     * \param microBatches M
     * \param usableFraction the share of each device's memory a segment may use, in (0, 1]
     * \return the plan
     */
    static EncoderPipelinePlan Plan(const TransformerSpec& spec,
                                    const TrainingRecipe& recipe,
                                    const std::vector<DeviceProfile>& devices,
                                    const std::string& split,
                                    PipelineSchedule schedule,
                                    uint32_t microBatches,
                                    double usableFraction = USABLE_MEMORY_FRACTION);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_ENCODER_PIPELINE_PLANNER_H */
