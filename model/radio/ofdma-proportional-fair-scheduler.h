/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_PROPORTIONAL_FAIR_SCHEDULER_H
#define EDGE_LLM_OFDMA_PROPORTIONAL_FAIR_SCHEDULER_H

#include "ofdma-scheduler.h"

#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The proportional fair policy: devices served in order of their rate now over their
 * average served rate.
 *
 * Every slot the devices with new data are sorted by bitsPerRb / average (ties keep device
 * order) and each is granted what it needs from the RBs left (work-conserving). Each device's
 * average of served bits per slot (starting at 1) is then updated for every device,
 * avg <- (1 - 1/T) avg + (1/T) served, with T the TimeConstantSlots attribute, and kept at least
 * 1e-3.
 */
class OfdmaProportionalFairScheduler : public OfdmaScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaProportionalFairScheduler();
    ~OfdmaProportionalFairScheduler() override;

  protected:
    void DoConfigure() override;
    std::vector<uint32_t> DoAllocate(const std::vector<OfdmaDemand>& demand,
                                     uint32_t free) override;

  private:
    std::vector<double> m_average; //!< per device, average served bits per slot
    double m_timeConstant;         //!< attribute TimeConstantSlots
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_PROPORTIONAL_FAIR_SCHEDULER_H */
