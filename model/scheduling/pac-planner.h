/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_PLANNER_H
#define EDGE_LLM_PAC_PLANNER_H

#include "pac-planning-problem.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Which plans a planner may choose: PAC's hybrid plans, or the families its baselines
 * are restricted to (pure data parallelism, pure pipelines, one device).
 */
struct PacPlannerOptions
{
    uint32_t maxStages{0};     //!< most stages (0: no limit)
    uint32_t maxGroupSize{0};  //!< most devices per stage (0: no limit)
    bool useAllDevices{false}; //!< every device must take part (EDDL's data parallelism)
    /// candidate micro-batch counts (each divides the batch); empty: every divisor of B
    std::vector<uint32_t> microBatchOptions;
    uint32_t minStages{0}; //!< fewest stages (0: no limit; a user's forced pipeline depth)
    /// the largest device count the dynamic program accepts (its time grows as 3^K)
    static constexpr uint32_t MAX_DEVICES = 10;
};

/**
 * \ingroup edge-llm
 * \brief PAC's planner: the step of hybrid data + pipeline parallelism of least time, by
 * dynamic programming over (suffix of layers, set of devices used, stages in the suffix).
 *
 * For each micro-batch count M, stages are prepended from the last layer backwards; a state
 * (first layer of the suffix, devices it uses, its stage count) keeps the Pareto set of
 * (bottleneck time, additive time) of its plans. Both terms only grow as stages are prepended
 * and the objective sum + (M - 1) bottleneck is increasing in both, so keeping the Pareto set
 * (rather than one best value) makes the program exact. The stage count in the state gives
 * every stage its exact 1F1B in-flight count min(M, stages after it + 1), which its memory
 * depends on.
 *
 * Within a stage, the micro-batch's samples go to the group's devices one at a time, each to
 * the device whose time after taking it is least among those it still fits (every device at
 * least one): for non-decreasing times this minimises the stage's slowest device (the split
 * rule EvaluateStage applies for the planner and the oracle alike).
 */
class PacPlanner
{
  public:
    /**
     * \param problem the costs
     * \param options the plan family
     * \return "" when the planner can solve it, otherwise the problem naming the parameter
     */
    static std::string Validate(const PacPlanningProblem& problem,
                                const PacPlannerOptions& options);

    /**
     * \param problem the costs
     * \param options the plan family
     * \return the plan of least step time, or an infeasible plan (microBatches 0) when no plan
     * fits in memory
     */
    static PacPlan Solve(const PacPlanningProblem& problem, const PacPlannerOptions& options);

    /**
     * \brief Cost one stage: split the micro-batch over the group and check memory.
     * \param problem the costs
     * \param first first layer
     * \param last last layer
     * \param devices the group (ascending)
     * \param samples samples per micro-batch (B / M)
     * \param inFlight micro-batches it holds at once
     * \param microBatches M
     * \param[out] stage the costed stage (boundarySeconds left 0)
     * \return false when the group cannot hold it (too few samples or memory)
     */
    static bool EvaluateStage(const PacPlanningProblem& problem,
                              uint32_t first,
                              uint32_t last,
                              const std::vector<uint32_t>& devices,
                              uint32_t samples,
                              uint32_t inFlight,
                              uint32_t microBatches,
                              PacStage& stage);

    /**
     * \param plan stages with their times
     * \return the step time T of the plan's costed stages
     */
    static double GetStepSeconds(const PacPlan& plan);

    /**
     * \param batchSize B
     * \param options the options
     * \return the micro-batch counts to try, ascending
     */
    static std::vector<uint32_t> GetMicroBatchCounts(uint32_t batchSize,
                                                     const PacPlannerOptions& options);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_PLANNER_H */
