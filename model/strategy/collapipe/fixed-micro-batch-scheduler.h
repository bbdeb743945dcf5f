/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_FIXED_MICRO_BATCH_SCHEDULER_H
#define EDGE_LLM_FIXED_MICRO_BATCH_SCHEDULER_H

#include "dssda-scheduler.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The fixed-micro-batch baseline: DSSDA's partition, bandwidth and power search with
 * the micro-batch count held at the MicroBatches attribute.
 */
class FixedMicroBatchScheduler : public DssdaScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FixedMicroBatchScheduler();

    std::string Decide(const CollaPipeRoundModel& model,
                       CollaPipeDecision& decision) const override;
    /// false: M is the MicroBatches attribute
    bool ChoosesMicroBatches() const override;

  private:
    uint32_t m_microBatches; //!< the fixed M
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_FIXED_MICRO_BATCH_SCHEDULER_H */
