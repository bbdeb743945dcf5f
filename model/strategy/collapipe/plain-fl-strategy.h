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
    /// the plain-FL round of the groups' devices (they upload to the aggregation server)
    Ptr<TaskGraph> BuildGroupRound(const ClusterRoundPlan& plan,
                                   const std::vector<uint32_t>& clusters) const override;
    /// plain FL's M is the least that fits the whole stack: fixed by memory
    bool ChoosesMicroBatches() const override;
    std::string DecideCluster(const CollaPipeRoundModel& model,
                              CollaPipeDecision& decision) const override;

    /**
     * \return with EqualSamples (the default) ceil(B G / N): the G B sequences a CollaPipe round
     * trains per local iteration (B per cluster, G clusters) spread over the N devices, so both
     * train (at least) the same samples; otherwise B per device
     */
    uint32_t GetTrainingBatchSize() const override;

    /// \return the devices: each trains on its own
    uint32_t GetTrainingPipelineCount() const override;

  private:
    bool m_equalSamples; //!< spread CollaPipe's samples over the devices
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PLAIN_FL_STRATEGY_H */
