/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_FIXED_ASSIGNMENT_SCHEDULER_H
#define EDGE_LLM_FIXED_ASSIGNMENT_SCHEDULER_H

#include "lola-deft-scheduler.h"

#include "ns3/random-variable-stream.h"

#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Baselines whose block assignment ignores depth: round-robin (block m to device
 * (m + round) mod K) or random (a random order of the devices each round, drawn from ns-3's
 * random streams), each block moving on to the next free device that holds it in memory;
 * the band split equally ("equal bandwidth") or by LoLa DEFT's KKT split ("bandwidth-only
 * optimisation").
 */
class FixedAssignmentScheduler : public LolaDeftScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FixedAssignmentScheduler();

    LolaAllocation Allocate(const LolaAllocationProblem& problem, uint32_t round) override;
    std::string Validate() const override;
    std::string CheckProblem(const LolaAllocationProblem& problem) const override;

    int64_t AssignStreams(int64_t stream) override;

  private:
    std::string m_assignment{"round-robin"}; //!< "round-robin" or "random"
    std::string m_bandwidth{"equal"};        //!< "equal" or "optimal"
    Ptr<UniformRandomVariable> m_random;     //!< the random order's draws
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_FIXED_ASSIGNMENT_SCHEDULER_H */
