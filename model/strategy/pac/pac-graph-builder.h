/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_GRAPH_BUILDER_H
#define EDGE_LLM_PAC_GRAPH_BUILDER_H

#include "pac-cache-exchange.h"
#include "pac-cost-model.h"

#include "ns3/pac-planning-problem.h"
#include "ns3/task-graph.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What a task of a PAC step does, as its kernel or tensor id says (LibTorch engines).
 */
enum class PacTensorOp : uint8_t
{
    FORWARD = 1,    //!< a device's forward of its stage's layers on one micro-batch (kernel)
    BACKWARD = 2,   //!< its backward (kernel)
    ACTIVATION = 3, //!< the forward tensors of the samples two devices share (tensor)
    GRADIENT = 4,   //!< their side gradient (tensor)
    ALL_REDUCE = 5, //!< a group's ring AllReduce of trainable gradients (tensor and AGGREGATE)
    UPDATE = 6,     //!< a member's optimizer step (kernel)
};

/**
 * \ingroup edge-llm
 * \brief The fields of a PAC kernel or tensor id.
 */
struct PacTensorId
{
    PacTensorOp op{PacTensorOp::FORWARD}; //!< what it does
    uint32_t step{0};                     //!< step within the round (< 2^24)
    uint32_t stage{0};                    //!< stage (the sending stage for transfers)
    uint32_t microBatch{0};               //!< micro-batch (< 2^16)
    uint32_t sender{
        0}; //!< ACTIVATION, GRADIENT: the index in its group of the earlier stage's device
    uint32_t receiver{0}; //!< ACTIVATION, GRADIENT: index in its group of the later stage's device;
                          //!< ALL_REDUCE: the chunk (< 16)

    /** \return the id (never 0): op 4 bits, step 24, stage 8, micro-batch 16, 4 and 4 */
    uint64_t Make() const;
    /**
     * \param id an id Make gave
     * \return its fields (NS_FATAL_ERROR when the op is not PAC's)
     */
    static PacTensorId Parse(uint64_t id);
};

/**
 * \ingroup edge-llm
 * \brief Emits the task graph of PAC training steps from a plan and its cost model.
 *
 * In a step, each stage's devices split every micro-batch by the plan's sample counts (device
 * i of a group takes the next n_i samples of it). Each device runs its stage's 1F1B program
 * (PipelineScheduleBuilder::GetStageProgram) over the micro-batches. At a boundary, the
 * forward tensors of the samples device i of stage s and device j of stage s + 1 have in
 * common go from i to j (the exact bytes of those samples), and their gradients come back
 * from j to i. With the cache being filled, each forward is followed by the write of its taps
 * to storage. After the last backward, each group AllReduces its trainable gradients on a
 * ring and every device updates its parameters. In the CACHED phase (one stage, the side
 * network on cached taps), a device's step is one compute task, then the AllReduce and the
 * update.
 *
 * Every task carries a PacTensorId (ComputeTask::kernelId, TransferTask::tensorId), which
 * TorchPacEngine runs; the ring's chunks split the trainable parameters at whole elements.
 * Where no gradient goes back (GetGradientBytes 0: no side stream crosses yet), no transfer is
 * made and the earlier stage's backward does not wait for the later one's.
 */
class PacGraphBuilder
{
  public:
    /**
     * \brief Append one training step to a graph.
     * \param graph the graph (its devices are nodes)
     * \param costs the phase's costs (planner device indices)
     * \param plan the plan (planner device indices)
     * \param nodes planner device index -> graph device
     * \param step the step's index (labels)
     * \param[in,out] last per graph device: its last task so far (TaskGraph::NO_TASK: none);
     * the step's first task on a device follows it
     */
    static void AppendStep(TaskGraph& graph,
                           const PacCostModel& costs,
                           const PacPlan& plan,
                           const std::vector<uint32_t>& nodes,
                           uint32_t step,
                           std::vector<uint32_t>& last);

    /**
     * \brief Append the cache exchange: one message per pair, and on every receiving device
     * a zero-time "cache-ready" task after all its messages, which its training follows.
     * \param graph the graph
     * \param transfers the messages (planner device indices)
     * \param nodes planner device index -> graph device
     * \param[in,out] last per graph device: its last task so far
     */
    static void AppendCacheExchange(TaskGraph& graph,
                                    const std::vector<PacCacheTransfer>& transfers,
                                    const std::vector<uint32_t>& nodes,
                                    std::vector<uint32_t>& last);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_GRAPH_BUILDER_H */
