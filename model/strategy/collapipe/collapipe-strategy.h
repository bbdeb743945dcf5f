/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COLLAPIPE_STRATEGY_H
#define EDGE_LLM_COLLAPIPE_STRATEGY_H

#include "cluster-training-strategy.h"
#include "collapipe-scheduler.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief CollaPipe: in every cluster the encoder is cut into segments pipelined over the
 * devices (1F1B), the control unit runs the embedding, the server the decoder; FedAvg across
 * clusters every round. Its Scheduler (DssdaScheduler by default, or any CollaPipeScheduler
 * chosen by TypeId) decides each cluster's segments, micro-batches, bandwidth and powers.
 */
class CollaPipeStrategy : public ClusterTrainingStrategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    CollaPipeStrategy();
    ~CollaPipeStrategy() override;

    std::string Configure(const Fleet& fleet, const Workload& workload) override;

    /** \param scheduler the scheduler (same as the Scheduler attribute) */
    void SetScheduler(Ptr<CollaPipeScheduler> scheduler);
    /** \return the scheduler (DssdaScheduler when none was set, after Configure) */
    Ptr<CollaPipeScheduler> GetScheduler() const;

  protected:
    void DoDispose() override;
    /// the scheduler's say (CollaPipeScheduler::ChoosesMicroBatches)
    bool ChoosesMicroBatches() const override;
    std::string DecideCluster(const CollaPipeRoundModel& model,
                              CollaPipeDecision& decision) const override;

  private:
    Ptr<CollaPipeScheduler> m_scheduler; //!< decides every cluster's round
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COLLAPIPE_STRATEGY_H */
