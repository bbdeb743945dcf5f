/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COMPUTE_PROPORTIONAL_SCHEDULER_H
#define EDGE_LLM_COMPUTE_PROPORTIONAL_SCHEDULER_H

#include "collapipe-scheduler.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief CollaPipe baseline: segments proportional to each device's achieved FLOP/s (each at least
 * one block), equal bandwidth, maximum power, the best micro-batch count.
 */
class ComputeProportionalScheduler : public CollaPipeScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ComputeProportionalScheduler();

    std::string Decide(const CollaPipeRoundModel& model,
                       CollaPipeDecision& decision) const override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COMPUTE_PROPORTIONAL_SCHEDULER_H */
