/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_STRATEGY_H
#define EDGE_LLM_PAC_STRATEGY_H

#include "pac-training-strategy.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief PAC: hybrid data + pipeline parallelism over device groups planned by PacPlanner, parallel
 * adapters beside the frozen backbone, and (attribute ActivationCache) the cache that lets epochs
 * after the first train the side network alone, data parallel on every device.
 */
class PacStrategy : public PacTrainingStrategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PacStrategy();
    ~PacStrategy() override;

  protected:
    PacPlannerOptions GetPlannerOptions() const override;
    std::string GetSystemName() const override;
    bool UsesActivationCache() const override;

  private:
    bool m_activationCache; //!< epochs after the first train on the cache
    uint32_t m_stages;      //!< forced pipeline depth (0: the planner's choice)
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_STRATEGY_H */
