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
 * layout), which get no task.
 */
class GalaxyGraphBuilder
{
  public:
    /**
     * \param costs the model, fleet and kernels
     * \param plan a feasible plan of \p costs (NS_FATAL_ERROR otherwise: a caller's mistake)
     * \param deviceCount devices of the graph (at least the fleet's)
     * \return the graph
     */
    static Ptr<TaskGraph> Build(const GalaxyCostModel& costs,
                                const GalaxyPlan& plan,
                                uint32_t deviceCount);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_GRAPH_BUILDER_H */
