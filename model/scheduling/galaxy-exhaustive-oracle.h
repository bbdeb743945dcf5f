/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_GALAXY_EXHAUSTIVE_ORACLE_H
#define EDGE_LLM_GALAXY_EXHAUSTIVE_ORACLE_H

#include "galaxy-planning-problem.h"

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Galaxy's planning problem solved by enumeration, to check GalaxyPlanner on small
 * instances: for every ring (subset of the devices), every split of the heads and of the
 * column units over its members (jointly, as memory couples them) and every split of the
 * tokens, each costed by the problem as given (GetCollectiveSeconds included, without the
 * planner's assumption on it). It shares nothing with the planner but
 * GalaxyPlanningProblem::Evaluate.
 */
class GalaxyExhaustiveOracle
{
  public:
    /// the largest instance it accepts: devices, and heads, units and tokens each
    static constexpr uint32_t MAX_DEVICES = 4;
    static constexpr uint32_t MAX_COUNT = 12; //!< see MAX_DEVICES

    /**
     * \param problem the costs (within MAX_DEVICES and MAX_COUNT; NS_FATAL_ERROR otherwise)
     * \param[out] splitsTried splits costed
     * \return the plan of least layer time (the first found among equals), or infeasible
     */
    static GalaxyPlan Solve(const GalaxyPlanningProblem& problem, uint64_t& splitsTried);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_EXHAUSTIVE_ORACLE_H */
