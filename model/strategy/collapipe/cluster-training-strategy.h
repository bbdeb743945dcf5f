/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_CLUSTER_TRAINING_STRATEGY_H
#define EDGE_LLM_CLUSTER_TRAINING_STRATEGY_H

#include "ns3/collapipe-round-model.h"
#include "ns3/lyapunov-energy-queues.h"
#include "ns3/strategy.h"
#include "ns3/task-graph-timer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The plan of a clustered training round: one decision per cluster (segments,
 * micro-batch count, bandwidth shares, transmit powers, the model's predictions), all clusters
 * with the same micro-batch count.
 */
class ClusterRoundPlan : public RoundPlan
{
  public:
    std::vector<CollaPipeDecision> decisions; //!< per cluster (fleet group)
    uint32_t microBatches{0};                 //!< M of every cluster
};

/**
 * \ingroup edge-llm
 * \brief What CollaPipe and its baselines share: clusters (fleet groups with a control unit)
 * train for LocalIterations iterations, then the edge server averages them (FedAvg); every
 * round each cluster's decision comes from CollaPipeRoundModel, priced with the channel gains
 * drawn this round, the devices' Lyapunov energy queues and the link-rate scales learned from
 * the rounds before. Subclasses say how a cluster decides (DecideCluster) and, for plain FL,
 * what graph runs (Build).
 */
class ClusterTrainingStrategy : public Strategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// \return true: each cluster is served by its cell's server, FedAvg goes over the cells
    bool SupportsCells() const override;

    ClusterTrainingStrategy();
    ~ClusterTrainingStrategy() override;

    std::string Configure(const Fleet& fleet, const Workload& workload) override;
    std::string Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan) override;
    Ptr<TaskGraph> Build(uint32_t round, Ptr<const RoundPlan> plan) override;
    void Observe(const RoundObservation& observation, RoundRecord& record) override;
    /// Plans the next rounds without the device: its cluster re-partitions over the devices
    /// left (CollaPipe), or its client drops out (plain FL).
    std::string RemoveDevice(uint32_t node) override;
    /// With Recovery=resume: the round resumes from the last local iteration whose checkpoints
    /// all reached the server; the samples of the iterations before it are kept.
    std::vector<std::pair<uint64_t, uint64_t>> AttemptAbandoned(
        uint32_t round,
        const TaskGraph& graph,
        const std::vector<bool>& finished) override;
    /**
     * \brief On the OFDMA cell (and p2p) the round's graph timed with the flow level's rates
     * for each set of flows in progress, grants and powers applied; on Wi-Fi the prediction made
     * at planning; without a compute model, or on CSMA, the schedulers' closed form.
     * \param round the round
     * \param network what is known of the network
     * \param plan the plan
     * \param graph its graph
     * \return seconds
     */
    double PredictRound(uint32_t round,
                        NetworkState& network,
                        Ptr<const RoundPlan> plan,
                        const TaskGraph& graph) override;

    /**
     * \brief A device's power levels on Wi-Fi and its goodput to the access point at each
     * (CollaPipeDevice::powerLevelsW, uplinkBps, downlinkBps), from the flow level's rates.
     * With direct device-to-device links, only the levels at which the device reaches every
     * peer of its cluster (at the mean SNR) count.
     * \param network what is known of the network this round
     * \param cluster the device's cluster
     * \param node the device's node
     * \param peers the other nodes of its cluster (devices and control unit)
     * \param[in,out] device the device to fill
     */
    void MakeWifiPowerLevels(NetworkState& network,
                             uint32_t cluster,
                             uint32_t node,
                             const std::vector<uint32_t>& peers,
                             CollaPipeDevice& device) const;

    /**
     * \brief The Wi-Fi round's predicted latency: the round's task graph timed with the
     * runtime's compute prices and the flow level's shared-airtime rule at the planned powers.
     * \param round the round
     * \param network what is known of the network this round
     * \param plan the round's plan (decisions made)
     * \return seconds
     */
    double PredictWifiRound(uint32_t round, NetworkState& network, Ptr<ClusterRoundPlan> plan);

    /**
     * \brief The round's graph for the clusters of one channel group (a multi-cell round's
     * prediction times each group alone): BuildClusters'.
     * \param plan the round's plan
     * \param clusters the group's clusters
     * \return the graph
     */
    virtual Ptr<TaskGraph> BuildGroupRound(const ClusterRoundPlan& plan,
                                           const std::vector<uint32_t>& clusters) const;

    /**
     * \brief The round's graph for some of the clusters (Build's, for all of them).
     * \param plan the round's plan
     * \param clusters the clusters to include
     * \param firstIteration the first local iteration (a resumed round's)
     * \param[out] checkpoints the checkpoint transfers per iteration
     * \return the graph
     */
    Ptr<TaskGraph> BuildClusters(const ClusterRoundPlan& plan,
                                 const std::vector<uint32_t>& clusters,
                                 uint32_t firstIteration,
                                 std::vector<std::vector<uint32_t>>& checkpoints) const;

    /**
     * \brief Time a task graph on the Wi-Fi channel: compute at the runtime's prices, every
     * transfer on the shared airtime (relayed ones twice) at the given powers.
     * \param graph the graph
     * \param network what is known of the network this round
     * \param powerW transmit power per node (W); nodes not listed send at their maximum
     * \param airtimeScale airtime per byte multiplier (the number of clusters sharing it)
     * \return the makespan in seconds
     */
    /**
     * \param network what is known of the network this round
     * \param cluster a cluster
     * \return the clusters whose transmissions share its channel's airtime: all of them on
     *         one cell, those of the cells in its channel group (GetCellChannelGroup) on several
     */
    const std::vector<uint32_t>& GetChannelClusters(NetworkState& network, uint32_t cluster) const;

    double TimeOnWifi(const TaskGraph& graph,
                      NetworkState& network,
                      const std::map<uint32_t, double>& powerW,
                      double airtimeScale) const;

    /**
     * \brief A cluster's decision timed in the whole round on the shared channel: every cluster
     * of its size takes the same decision, the others an even split at maximum power
     * (CollaPipeConfig::roundTimer); E local iterations from the timing of one and two.
     * \param cluster the cluster
     * \param decision its decision
     * \param network what is known of the network this round
     * \return seconds
     */
    double TimeClusterOnWifi(uint32_t cluster,
                             const CollaPipeDecision& decision,
                             NetworkState& network) const;

    /**
     * \brief The round model of one cluster, as Plan() builds it.
     * \param cluster a fleet group
     * \param network what is known of the network this round
     * \param[out] model the model, when the fleet and the attributes make a valid one
     * \return "" or why not (CollaPipeRoundModel::Validate's message)
     */
    std::string MakeRoundModel(uint32_t cluster,
                               NetworkState& network,
                               std::unique_ptr<CollaPipeRoundModel>& model) const;

  protected:
    /**
     * \brief One cluster's decision.
     * \param model the cluster's round model
     * \param[out] decision the decision
     * \return "" or why no decision can be made with the strategy's settings
     */
    virtual std::string DecideCluster(const CollaPipeRoundModel& model,
                                      CollaPipeDecision& decision) const = 0;

    /**
     * \return true when the strategy's decisions may take any micro-batch count (the round's
     * M is then the one whose whole round is predicted best on Wi-Fi); false when M is fixed
     */
    virtual bool ChoosesMicroBatches() const;

    /**
     * \param plan a plan of this strategy
     * \return the recipe of its round: the workload's, with the micro-batch size
     * GetTrainingBatchSize() / M
     */
    TrainingRecipe GetRoundRecipe(const ClusterRoundPlan& plan) const;

    /**
     * \return the sequences one pipeline (CollaPipe: a cluster) or one device (plain FL) trains
     * per local iteration; the workload's batch size B unless a strategy spreads it
     */
    virtual uint32_t GetTrainingBatchSize() const;

    /**
     * \return how many pipelines train GetTrainingBatchSize() sequences each per local
     * iteration: one per cluster (CollaPipe), one per device (plain FL)
     */
    virtual uint32_t GetTrainingPipelineCount() const;

    uint32_t m_localIterations; //!< E, local iterations per round

    /// what a round does when a device is lost
    enum RecoveryMode
    {
        RESTART, //!< from its first local iteration
        RESUME,  //!< from the last local iteration checkpointed
    };

    RecoveryMode m_recovery{RESTART};  //!< Recovery attribute
    uint32_t m_firstIteration{0};      //!< the next Build's first local iteration (a resumed round)
    uint32_t m_builtFirstIteration{0}; //!< the last Build's first local iteration
    std::vector<std::vector<uint32_t>> m_checkpoints; //!< the last Build's, per iteration
    uint32_t m_maxMicroBatches;                       //!< largest M

  private:
    /**
     * \brief The round's plan from the clusters' decisions, every cluster with M micro-batches
     * (a decision made with another M is re-evaluated with it).
     * \param models the clusters' round models
     * \param decisions their decisions
     * \param microBatches M
     * \param cell true on the OFDMA cell (the plan carries bandwidth shares)
     * \return the plan; null when M is not the first cluster's and a partition does not fit
     */
    Ptr<ClusterRoundPlan> MakePlan(const std::vector<std::unique_ptr<CollaPipeRoundModel>>& models,
                                   const std::vector<CollaPipeDecision>& decisions,
                                   uint32_t microBatches,
                                   bool cell) const;

    double m_bandwidthMHz;                          //!< uplink bandwidth shared (non-cell networks)
    double m_v;                                     //!< Lyapunov weight V
    double m_lambda;                                //!< convergence-bound weight
    double m_energyBudgetJ;                         //!< per device and round
    std::unique_ptr<LyapunovEnergyQueues> m_queues; //!< per fleet device
    double m_controlUnitReserve{0};                 //!< cell share kept for the control units
    /// whole-round timings of cluster decisions (MakeRoundModel's round timer), for one network
    /// state: shared by the clusters of a Plan
    /// per cluster, the clusters on its channel (GetChannelClusters), filled on first use
    mutable std::vector<std::vector<uint32_t>> m_channelClusters;
    mutable std::map<std::string, double> m_roundTimes;
    mutable const NetworkState* m_roundTimesFor{nullptr}; //!< the state m_roundTimes is of
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_CLUSTER_TRAINING_STRATEGY_H */
