/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_BLOCK_ONLY_SCHEDULER_H
#define EDGE_LLM_BLOCK_ONLY_SCHEDULER_H

#include "lola-deft-scheduler.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Baseline "block-only optimisation": the band split equally among the M involved
 * devices, the blocks matched by CRUNCH on the latencies that split gives.
 */
class BlockOnlyScheduler : public LolaDeftScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    LolaAllocation Allocate(const LolaAllocationProblem& problem, uint32_t round) override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_BLOCK_ONLY_SCHEDULER_H */
