/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_ROUND_ROBIN_SCHEDULER_H
#define EDGE_LLM_OFDMA_ROUND_ROBIN_SCHEDULER_H

#include "ofdma-scheduler.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The round-robin policy: the devices with new data split the free RBs equally.
 *
 * Water filling: each device is offered an equal part of the free RBs (the first
 * free mod n devices in this slot's order one more); what a device does not need is split
 * again among the others, until every device has what it needs or no RB is left
 * (work-conserving). The order starts one device later every slot, so the remainder RBs
 * rotate. The policy has no attributes.
 */
class OfdmaRoundRobinScheduler : public OfdmaScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaRoundRobinScheduler();
    ~OfdmaRoundRobinScheduler() override;

  protected:
    void DoConfigure() override;
    std::vector<uint32_t> DoAllocate(const std::vector<OfdmaDemand>& demand,
                                     uint32_t free) override;

  private:
    uint32_t m_next; //!< first device of the next slot's order
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_ROUND_ROBIN_SCHEDULER_H */
