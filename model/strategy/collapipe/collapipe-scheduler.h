/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COLLAPIPE_SCHEDULER_H
#define EDGE_LLM_COLLAPIPE_SCHEDULER_H

#include "ns3/collapipe-round-model.h"
#include "ns3/object.h"

#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What CollaPipeStrategy asks of a scheduler: one cluster's decision for one round
 * (segments, micro-batch count, bandwidth shares, transmit powers), given the round's cost
 * model (channel gains, energy queues, memory).
 *
 * Schedulers are chosen by TypeId, the way 5G-LENA's helper chooses its MAC schedulers:
 * CollaPipeStrategy's "Scheduler" attribute, or a scenario file's "scheduler" entry. A new
 * scheduler is a subclass that implements Decide(); nothing else changes.
 */
class CollaPipeScheduler : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ~CollaPipeScheduler() override;

    /**
     * \brief Decide one cluster's round.
     * \param model the round's cost model of the cluster
     * \param[out] decision the decision; an infeasible one carries its reason
     * \return "" on success, otherwise why the scheduler cannot decide with its settings (for
     * example a fixed micro-batch count that is not a candidate); the message names the
     * attribute, its value and what is allowed
     */
    virtual std::string Decide(const CollaPipeRoundModel& model,
                               CollaPipeDecision& decision) const = 0;

    /**
     * \return true (default) when the scheduler chooses the micro-batch count M; false when
     * its M is a setting (the strategy then never changes it)
     */
    virtual bool ChoosesMicroBatches() const;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COLLAPIPE_SCHEDULER_H */
