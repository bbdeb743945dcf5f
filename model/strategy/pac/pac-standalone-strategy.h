/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_STANDALONE_STRATEGY_H
#define EDGE_LLM_PAC_STANDALONE_STRATEGY_H

#include "pac-training-strategy.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Standalone fine-tuning: the single device with the least step time (that holds the model)
 * trains alone; any recipe.
 */
class PacStandaloneStrategy : public PacTrainingStrategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PacStandaloneStrategy();
    ~PacStandaloneStrategy() override;

  protected:
    PacPlannerOptions GetPlannerOptions() const override;
    std::string GetSystemName() const override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_STANDALONE_STRATEGY_H */
