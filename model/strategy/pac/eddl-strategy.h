/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDDL_STRATEGY_H
#define EDGE_LLM_EDDL_STRATEGY_H

#include "pac-training-strategy.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief EDDL-style data parallelism (Hao and Zhang, SEC 2021): every device holds the whole model
 * and trains its share of each step, an AllReduce of the trainable gradients per step; any recipe.
 */
class EddlStrategy : public PacTrainingStrategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    EddlStrategy();
    ~EddlStrategy() override;

  protected:
    PacPlannerOptions GetPlannerOptions() const override;
    std::string GetSystemName() const override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EDDL_STRATEGY_H */
