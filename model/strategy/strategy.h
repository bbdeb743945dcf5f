/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_STRATEGY_H
#define EDGE_LLM_STRATEGY_H

#include "fleet.h"
#include "network-state.h"
#include "round-plan.h"

#include "ns3/compute-model.h"
#include "ns3/iteration-stats.h"
#include "ns3/object.h"
#include "ns3/round-record.h"
#include "ns3/task-graph-timer.h"
#include "ns3/task-graph.h"
#include "ns3/task-record.h"
#include "ns3/workload.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What a round measured, handed back to the strategy that planned it.
 */
struct RoundObservation
{
    const IterationStats& stats;      //!< the round's per-node timing and bytes
    Ptr<const RoundPlan> plan;        //!< the plan the round ran
    std::vector<double> energyJ;      //!< per fleet device: compute plus radio energy (J)
    std::vector<double> radioEnergyJ; //!< per fleet device: radio energy (J)
    /// the round's task records (start and end of every task), in recording order
    std::vector<TaskRecord> tasks;
};

/**
 * \ingroup edge-llm
 * \brief A collaborative-learning system (CollaPipe, plain FL, PAC, ...): the life cycle every
 * system shares, driven by RoundController.
 *
 * Once, Configure() with the fleet and the workload; then every round: Plan() from the network
 * state (its scheduler decides), Build() the round's task graph from the plan, and, after the
 * runtime executed it, Observe() the measured records (energy, timing) and fill the strategy's
 * part of the round's record. A strategy never touches sockets or radios: the plan carries the
 * radio grants and RoundController applies them.
 *
 * A new system is a subclass (with its schedulers as Objects chosen by TypeId); the
 * controller, the helpers and the recorder stay as they are.
 */
class Strategy : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ~Strategy() override;

    /**
     * \brief Take the fleet and the workload before the first round.
     * \param fleet the devices and the node layout
     * \param workload the model, recipe and batch
     * \return "" when the strategy can run them, otherwise why not (naming the parameter)
     */
    virtual std::string Configure(const Fleet& fleet, const Workload& workload);

    /**
     * \return whether the strategy runs on a multi-cell network (each cell's clusters served
     *         by its cell's edge server, aggregated over the backhaul); the default is false,
     *         and RoundController::Setup refuses such a network
     */
    virtual bool SupportsCells() const;

    /**
     * \brief Decide a round.
     * \param round round index
     * \param network what may be known of the network this round
     * \param[out] plan the decision
     * \return "" on success, otherwise why no round can be planned (the run stops there)
     */
    virtual std::string Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan) = 0;

    /**
     * \brief The round's task graph.
     * \param round round index
     * \param plan what Plan() decided
     * \return the graph over the fleet's nodes and the server
     */
    virtual Ptr<TaskGraph> Build(uint32_t round, Ptr<const RoundPlan> plan) = 0;

    /**
     * \brief The round's predicted latency, asked once its graph is built and its radio grants
     * are applied, before it runs (what rounds.csv puts beside the simulated latency).
     * \param round the round
     * \param network what the strategy may know of the network (grants applied)
     * \param plan the plan
     * \param graph the graph Build returned
     * \return seconds; the default keeps plan->predictedSeconds
     */
    virtual double PredictRound(uint32_t round,
                                NetworkState& network,
                                Ptr<const RoundPlan> plan,
                                const TaskGraph& graph);

    /**
     * \brief Learn from the round that ran and fill the strategy's part of its record
     * (prediction, micro-batches, memory, per-device blocks, queues, rate scales).
     * \param observation what was measured
     * \param[in,out] record the round's record, measured part already filled
     */
    virtual void Observe(const RoundObservation& observation, RoundRecord& record) = 0;

    /**
     * \brief A device failed (the failure detector declared it lost): plan without it from
     * the next Plan() on. The default refuses, naming the strategy: a system that can re-plan
     * overrides it (ClusterTrainingStrategy: CollaPipe re-partitions the cluster, plain FL
     * drops the client).
     * \param node the lost device's node
     * \return "" or why the strategy cannot go on without it
     */
    virtual std::string RemoveDevice(uint32_t node);

    /**
     * \brief The round's attempt was abandoned after a failure (before RemoveDevice): a
     * strategy that checkpoints may resume the round from what survives instead of restarting
     * it. The default keeps nothing: the round restarts from its beginning.
     * \param round the round
     * \param graph the abandoned attempt's graph
     * \param finished per task of \p graph: whether it finished (as the nodes that ran it saw)
     * \return the samples (first, count) the abandoned attempt trained that the next attempt
     *         keeps and will not train again
     */
    virtual std::vector<std::pair<uint64_t, uint64_t>> AttemptAbandoned(
        uint32_t round,
        const TaskGraph& graph,
        const std::vector<bool>& finished);

    /**
     * \brief The compute model the runtime prices the graph's compute tasks with, so that the
     * strategy's planners predict the times the run takes (StudyHelper gives both the same).
     * \param model the model; null (the default) lets planners fall back to the one-number
     * roofline (FLOPs at the achieved FLOP/s)
     */
    void SetComputeModel(Ptr<const ComputeModel> model);

    /** \return the compute model SetComputeModel() gave, or null */
    Ptr<const ComputeModel> GetComputeModel() const;

  protected:
    void DoDispose() override;

    /** \return the fleet Configure() took, less the devices RemoveDevice() removed */
    const Fleet& GetFleet() const;

    /**
     * \brief Remove a device from the fleet the strategy plans over (Fleet::MarkDeparted), for
     * strategies whose RemoveDevice re-plans without it.
     * \param node the device's node
     * \return "" or why the fleet cannot lose it (a control unit, a group left empty)
     */
    std::string RemoveFromFleet(uint32_t node);
    /** \return the workload Configure() took */
    const Workload& GetWorkload() const;

    /// \return the runtime's price of a compute task (the compute model on the fleet's
    /// profiles; the analytic roofline when none was set)
    TaskGraphTimer::ComputeTimeCallback GetComputeTime() const;

    /**
     * \brief A graph timed as the flow level runs it on a network with its own rate per set of
     * flows (the OFDMA cell with this round's grants applied, p2p): each set of flows in
     * progress gets the rates NetworkState::GetFlowRates gives it (each set asked once).
     * \param network what the strategy may know of the network
     * \param graph the round's graph
     * \return its makespan in seconds
     */
    double TimeWithFlowRates(NetworkState& network, const TaskGraph& graph) const;

    /**
     * \brief One rate for planners that price transfers between any devices: the harmonic mean
     * of every ordered pair's rate alone (NetworkState::GetFlowRates).
     * \param network what the strategy may know of the network
     * \param nodes the devices' nodes
     * \param[out] bitsPerSecond the mean (1e9 when there is no pair)
     * \return "" or the problem, "node a cannot reach node b (no rate); move the devices closer"
     */
    std::string GetMeanPairRate(NetworkState& network,
                                const std::vector<uint32_t>& nodes,
                                double& bitsPerSecond) const;

  private:
    Fleet m_fleet; //!< set by Configure
    /// every node's profile by index, set by Configure
    std::shared_ptr<const std::vector<DeviceProfile>> m_profiles;
    Workload m_workload;                    //!< set by Configure
    Ptr<const ComputeModel> m_computeModel; //!< the runtime's compute model, or null
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_STRATEGY_H */
