/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_GALAXY_GRAPH_BUILDER_H
#define EDGE_LLM_GALAXY_GRAPH_BUILDER_H

#include "galaxy-cost-model.h"

#include "ns3/galaxy-planning-problem.h"
#include "ns3/ptr.h"
#include "ns3/task-graph.h"

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Galaxy's tile-based overlap of the collectives with the GEMMs beside them.
 */
enum class GalaxyOverlap
{
    NONE,           //!< every collective after the computation it carries
    REDUCE_SCATTER, //!< each ReduceScatter fused with the GEMM that produces its partial sums
    /// also each AllGather fused with the row-wise GEMM after it (the MLP's first projection,
    /// the next layer's Q, K, V), a tile per chunk as it arrives
    BOTH,
};

/**
 * \ingroup edge-llm
 * \brief What a task of a Galaxy graph computes or carries, for a LibTorch engine: the kernel id
 * of a compute task and the tensor id of a transfer (GalaxyGraphBuilder::MakeTensorId). Tagged:
 * the prefill without overlap.
 */
enum class GalaxyTensorOp : uint8_t
{
    NONE = 0,       //!< not tagged
    ATTENTION,      //!< a member's heads and its partial sum of the output projection
    MLP,            //!< a member's FFN columns and its partial sum of the second projection
    CONNECTIVE,     //!< bias, residual and norm on a member's tokens (block 0 or 1)
    REDUCE_SCATTER, //!< a chunk of partial sums (transfer) or its addition (AGGREGATE)
    ALL_GATHER,     //!< a chunk of the hidden state
};

/**
 * \ingroup edge-llm
 * \brief Turns a Galaxy plan into the task graph of one inference: every layer of the model,
 * split as the plan says, over the ring of the devices with tokens.
 *
 * Per layer and ring member j: its attention (the kernels of its heads, if any), a ring
 * ReduceScatter of the partial sums in which member j ends with its t_j tokens reduced (chunk
 * j: t_j d e bytes; an AGGREGATE adds each received chunk), its connective block over them, an
 * AllGather that gives every member the whole hidden state; then its MLP columns, a
 * ReduceScatter, the connective block, an AllGather. The first layer starts at once (the
 * prompt is on every device); each member's next stage waits for its own result of the last.
 * Plan device i is graph device i; the graph may have more devices (the server of the node
 * layout), which get no task. With overlap, each ReduceScatter is fused with the GEMM before
 * it (GalaxyOverlap::REDUCE_SCATTER), and with GalaxyOverlap::BOTH each AllGather also with the
 * row-wise GEMM after it, which starts on each chunk as it arrives.
 */
class GalaxyGraphBuilder
{
  public:
    /**
     * \param costs the model, fleet and kernels
     * \param plan a feasible plan of \p costs (NS_FATAL_ERROR otherwise: a caller's mistake)
     * \param deviceCount devices of the graph (at least the fleet's)
     * \param overlap tile-based overlap: each ReduceScatter fused with the GEMM that produces
     * its partial sums (the output projection, the second MLP projection), computed chunk by
     * chunk so that a chunk's computation overlaps the previous chunk's transfer; with BOTH
     * also each AllGather with the GEMM that consumes its chunks row by row (the MLP's first
     * projection and activation, the next layer's Q, K, V projection: a tile per chunk as it
     * arrives, the attention's scores after the last)
     * \return the graph; when \p costs generates tokens (GetGeneratedTokens G > 0), the prefill
     * is followed by every ring member's output head on the last token (compute tasks labelled
     * TOKEN_LABEL + "0") and by G - 1 decode steps: per layer each member's attention to the
     * new token over its KV cache, a ring AllReduce of the token's partial sums, the
     * connective block, its MLP columns, an AllReduce, the connective block; then its output
     * head (TOKEN_LABEL + step)
     */
    static Ptr<TaskGraph> Build(const GalaxyCostModel& costs,
                                const GalaxyPlan& plan,
                                uint32_t deviceCount,
                                GalaxyOverlap overlap = GalaxyOverlap::NONE);

    /**
     * \brief The task graph of sequence parallelism (the baseline): every device with tokens
     * holds every weight; per layer each projects its tokens' queries, keys and values, a ring
     * AllGather gives every member every key and value (chunk j: 2 t_j d e bytes), and each
     * runs the rest of the layer on its tokens (GalaxyCostModel::GetSequenceRestWork).
     * \param costs the model, fleet and kernels (prefill only)
     * \param tokens tokens per fleet device (sum: the sequence; 0: not a member)
     * \param deviceCount devices of the graph (at least the fleet's)
     * \return the graph
     */
    static Ptr<TaskGraph> BuildSequenceParallel(const GalaxyCostModel& costs,
                                                const std::vector<uint32_t>& tokens,
                                                uint32_t deviceCount);

    /**
     * \brief The task graph of the layer-wise pipeline (the baseline): the devices with layers
     * are the stages, in device order; each runs its layers whole and sends the activations
     * (s d e bytes) to the next. When generating, the last stage's output head gives token 0;
     * each decode step sends the token's id (8 bytes) back to the first stage, runs every
     * stage's layers on the token (the stage's KV cache holds its layers' keys and values) with
     * d e bytes between stages, and ends with the output head (TOKEN_LABEL + step).
     * \param costs the model, fleet and kernels
     * \param layers layers per fleet device (sum: the model's; 0: not a stage)
     * \param deviceCount devices of the graph (at least the fleet's)
     * \return the graph
     */
    static Ptr<TaskGraph> BuildLayerPipeline(const GalaxyCostModel& costs,
                                             const std::vector<uint32_t>& layers,
                                             uint32_t deviceCount);

    /**
     * \param op what the task does
     * \param layer its layer
     * \param block 0: the attention half, 1: the MLP half
     * \param chunk the ring chunk (collectives)
     * \return the id (op, layer, block and chunk in separate bits; never 0 for an op)
     */
    static uint64_t MakeTensorId(GalaxyTensorOp op,
                                 uint32_t layer,
                                 uint32_t block,
                                 uint32_t chunk = 0);
    /**
     * \param id an id MakeTensorId made
     * \param[out] op what the task does
     * \param[out] layer its layer
     * \param[out] block its half
     * \param[out] chunk its chunk
     */
    static void ParseTensorId(uint64_t id,
                              GalaxyTensorOp& op,
                              uint32_t& layer,
                              uint32_t& block,
                              uint32_t& chunk);

    /// bytes of a generated token's id sent back to the first stage (an int64)
    static constexpr uint64_t TOKEN_ID_BYTES = 8;

    /// label prefix of the output-head tasks that produce a generated token, followed by its
    /// index (0: the prefill's)
    static constexpr const char* TOKEN_LABEL = "token ";
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_GRAPH_BUILDER_H */
