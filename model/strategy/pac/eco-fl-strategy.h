/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_ECO_FL_STRATEGY_H
#define EDGE_LLM_ECO_FL_STRATEGY_H

#include "pac-training-strategy.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Eco-FL-style pipeline training (Ye et al., ICPP 2022): the layers split into stages of one
 * device each (1F1B), stage boundaries and micro-batches chosen by the same planner restricted to
 * one device per stage; no side network cache; any recipe.
 */
class EcoFlStrategy : public PacTrainingStrategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    EcoFlStrategy();
    ~EcoFlStrategy() override;

  protected:
    PacPlannerOptions GetPlannerOptions() const override;
    std::string GetSystemName() const override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_ECO_FL_STRATEGY_H */
