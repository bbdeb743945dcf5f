/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_EXHAUSTIVE_ORACLE_H
#define EDGE_LLM_PAC_EXHAUSTIVE_ORACLE_H

#include "pac-planner.h"

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief PAC's planning problem solved by enumeration, to check PacPlanner on small
 * instances: every micro-batch count, every cut of the layers into contiguous stages and
 * every assignment of disjoint, non-empty device groups to them, each plan costed from the
 * front with its stages' exact in-flight counts. It shares only the within-stage split rule
 * (PacPlanner::EvaluateStage) and the step formula with the planner, none of its search.
 */
class PacExhaustiveOracle
{
  public:
    /// the largest instance it accepts (devices, layers)
    static constexpr uint32_t MAX_DEVICES = 5;
    static constexpr uint32_t MAX_LAYERS = 8; //!< see MAX_DEVICES

    /**
     * \param problem the costs (at most MAX_DEVICES devices and MAX_LAYERS layers)
     * \param options the plan family
     * \param[out] plansTried complete plans costed
     * \return the plan of least step time (the first found among equals), or infeasible
     */
    static PacPlan Solve(const PacPlanningProblem& problem,
                         const PacPlannerOptions& options,
                         uint64_t& plansTried);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_EXHAUSTIVE_ORACLE_H */
