/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PLAIN_FL_STRATEGY_H
#define EDGE_LLM_PLAIN_FL_STRATEGY_H

#include "cluster-training-strategy.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Plain federated learning, CollaPipe's baseline: every device trains the whole encoder
 * on its own data (gradient accumulation over the micro-batches), then the server averages the
 * devices' encoders; equal bandwidth, maximum power.
 */
class PlainFlStrategy : public ClusterTrainingStrategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PlainFlStrategy();
    ~PlainFlStrategy() override;

    Ptr<TaskGraph> Build(uint32_t round, Ptr<const RoundPlan> plan) override;

  protected:
    std::string DecideCluster(const CollaPipeRoundModel& model,
                              CollaPipeDecision& decision) const override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PLAIN_FL_STRATEGY_H */
