/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_GALAXY_PLANNER_H
#define EDGE_LLM_GALAXY_PLANNER_H

#include "galaxy-planning-problem.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Galaxy's heterogeneity- and memory-aware planner: the split of one layer's heads, FFN
 * column units and tokens that minimises the layer time of GalaxyPlanningProblem.
 *
 * The layer time separates into a heads-and-columns part, max A + max M, coupled only by each
 * device's memory, and a tokens part, 2 (R + max C). Both are solved exactly:
 *
 * - Heads and columns. Every bottleneck is a value some device attains, so the planner walks
 *   the attention bottleneck T_A up through those values while the MLP bottleneck T_M walks
 *   down (the least feasible T_M never grows when T_A does): O(D a + D U) feasibility checks.
 *   A check asks whether heads can be placed, at most hcap_i(T_A) on device i, so that the
 *   columns each device can still take (at most ccap_i(T_M), and what its memory leaves beside
 *   its heads) add up to U: a dynamic program over devices and heads placed, O(D a^2).
 * - Tokens. Every member of the ring takes a token at least. For each connective bottleneck
 *   T_C the rest is water-filled within the caps it allows, which minimises the largest share;
 * exact when R depends on the split only through its largest share, non-decreasingly (a ring on
 * equal links, a shared channel).
 *
 * A device without tokens leaves the ring (and holds no heads or columns), which shortens
 * every collective, so the planner
 * solves the split for each candidate ring: every subset of the devices up to MAX_ENUMERATED
 * of them (exact), beyond that the k fastest devices for each k. Costs are computed once and
 * shared by the candidates. GalaxyExhaustiveOracle checks it by enumeration on small
 * instances.
 */
class GalaxyPlanner
{
  public:
    /// devices up to which every subset is tried as the ring (beyond: the k fastest, each k)
    static constexpr uint32_t MAX_ENUMERATED = 10;

    /**
     * \param problem the costs
     * \param[out] checks feasibility checks of the heads-and-columns search (for the bench)
     * \param maxEnumerated devices up to which every subset is tried as the ring (beyond: the
     * k fastest for each k)
     * \return the plan of least layer time, or an infeasible one (layerSeconds infinity, lists
     * empty) when no split fits the devices' memory
     */
    static GalaxyPlan Solve(const GalaxyPlanningProblem& problem,
                            uint64_t& checks,
                            uint32_t maxEnumerated = MAX_ENUMERATED);

    /// what chooses among the candidate rings: a feasible plan over every device -> seconds
    using RingObjective = std::function<double(const GalaxyPlan&)>;

    /**
     * \brief Solve, choosing among the candidate rings by another objective: each ring's split
     * is still the one of least layer time within it (exact for the layer), and the ring is
     * the one whose split minimises \p objective (for a request that generates tokens: the
     * prefill plus the decode steps, whose collectives cost per member whatever the split).
     * \param problem the costs
     * \param[out] checks feasibility checks of the heads-and-columns search
     * \param maxEnumerated as above
     * \param objective the rings' price
     * \return the plan, or an infeasible one when no split fits
     */
    static GalaxyPlan Solve(const GalaxyPlanningProblem& problem,
                            uint64_t& checks,
                            uint32_t maxEnumerated,
                            const RingObjective& objective);

    /**
     * \param problem the costs
     * \return Solve's plan
     */
    static GalaxyPlan Solve(const GalaxyPlanningProblem& problem);

    /**
     * \brief The token split of least 2 (R + max C) with a token at least for every device,
     * all of them the ring (see the class description).
     * \param problem the costs
     * \return tokens per device; empty when there are fewer tokens than devices
     */
    static std::vector<uint32_t> SplitTokens(const GalaxyPlanningProblem& problem);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_PLANNER_H */
