/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_JBBA_SCHEDULER_H
#define EDGE_LLM_JBBA_SCHEDULER_H

#include "lola-deft-scheduler.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief LoLa DEFT's scheduler: joint bandwidth-and-block allocation (JbbaSolver::Solve).
 */
class JbbaScheduler : public LolaDeftScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    LolaAllocation Allocate(const LolaAllocationProblem& problem, uint32_t round) override;

  private:
    uint32_t m_maxIterations{100}; //!< block-and-bandwidth iterations at most
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_JBBA_SCHEDULER_H */
