/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_STANDALONE_STRATEGY_H
#define EDGE_LLM_STANDALONE_STRATEGY_H

#include "cluster-training-strategy.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief CollaPipe's standalone baseline: in every cluster the strongest device that can hold
 * the whole encoder trains it alone, with all the cluster's bandwidth and its maximum power;
 * the control unit's embedding, the server's decoder and FedAvg as in CollaPipe.
 */
class StandaloneStrategy : public ClusterTrainingStrategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    StandaloneStrategy();
    ~StandaloneStrategy() override;

  protected:
    std::string DecideCluster(const CollaPipeRoundModel& model,
                              CollaPipeDecision& decision) const override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_STANDALONE_STRATEGY_H */
