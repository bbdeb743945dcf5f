/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EVEN_SPLIT_SCHEDULER_H
#define EDGE_LLM_EVEN_SPLIT_SCHEDULER_H

#include "collapipe-scheduler.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief CollaPipe baseline: the even split.
 */
class EvenSplitScheduler : public CollaPipeScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    EvenSplitScheduler();

    std::string Decide(const CollaPipeRoundModel& model,
                       CollaPipeDecision& decision) const override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EVEN_SPLIT_SCHEDULER_H */
