/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_TRAINING_STRATEGY_H
#define EDGE_LLM_PAC_TRAINING_STRATEGY_H

#include "pac-cache-exchange.h"
#include "pac-cost-model.h"

#include "ns3/pac-planner.h"
#include "ns3/strategy.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A PAC round's plan: the step plan of its phase and how many steps the round runs.
 */
class PacRoundPlan : public RoundPlan
{
  public:
    PacPlan step;                      //!< the planner's step (planner device indices)
    bool cached{false};                //!< the CACHED phase
    bool writeCache{false};            //!< the PIPELINE phase fills the cache
    uint32_t steps{0};                 //!< steps the round simulates
    uint64_t epochSteps{0};            //!< steps of the epoch the round stands for
    std::vector<uint64_t> memoryBytes; //!< per planner device: memory need (0: idle)
    PacCostModel costs;                //!< the phase's costs the step was planned with
    /// the first cached epoch: the cache exchange that precedes its steps (planner devices)
    std::vector<PacCacheTransfer> exchange;
    double exchangeSeconds{0}; //!< the exchange's predicted time (in predictedSeconds)
};

/**
 * \ingroup edge-llm
 * \brief Fine-tuning on a pool of edge devices, the way PAC and its baselines share: one
 * round is one epoch over TrainingSamples samples in steps of the workload's batch; each
 * round's step is planned by PacPlanner within the family of plans the system allows
 * (GetPlannerOptions), its graph built by PacGraphBuilder, and SimulatedSteps identical steps
 * of it simulated (every step of an epoch has the same plan, costs and network, so the epoch
 * takes those steps' time scaled by epoch steps / simulated steps; the record says both).
 *
 * All devices of the fleet's groups take part (control units and the server do not train);
 * the planner sees the network as one rate: the harmonic mean of the flow level's rates of
 * every device pair alone, a shared medium on Wi-Fi, the OFDMA cell and CSMA, links per pair
 * on p2p.
 */
class PacTrainingStrategy : public Strategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    PacTrainingStrategy();
    ~PacTrainingStrategy() override;

    std::string Configure(const Fleet& fleet, const Workload& workload) override;
    std::string Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan) override;
    Ptr<TaskGraph> Build(uint32_t round, Ptr<const RoundPlan> plan) override;
    void Observe(const RoundObservation& observation, RoundRecord& record) override;

    /**
     * \brief Plan a round's step without a network: what the planner decides at a given
     * link rate (the feasibility tables use it).
     * \param round the round (epoch)
     * \param linkBitsPerSecond the network's rate
     * \param sharedMedium whether all transfers share one medium
     * \param[out] plan the round's plan
     * \return "" or why no plan fits (naming the devices' memory)
     */
    std::string PlanAt(uint32_t round,
                       double linkBitsPerSecond,
                       bool sharedMedium,
                       Ptr<PacRoundPlan>& plan) const;

    /**
     * TracedCallback signature of Planned: a round's plan, once made.
     * \param [in] round the round (epoch)
     * \param [in] plan its plan
     */
    typedef void (*PlannedCallback)(uint32_t round, Ptr<const PacRoundPlan> plan);

    /** \return the steps of an epoch: ceil(TrainingSamples / batch) */
    uint64_t GetEpochSteps() const;

  protected:
    void DoDispose() override;

    /** \return the plans this system may choose */
    virtual PacPlannerOptions GetPlannerOptions() const = 0;
    /** \return whether epochs after the first train on the activation cache */
    virtual bool UsesActivationCache() const;
    /** \return the system's name in messages */
    virtual std::string GetSystemName() const = 0;

  private:
    /// the cost model of a round's phase at a rate
    std::string MakeCosts(uint32_t round,
                          double linkBitsPerSecond,
                          bool sharedMedium,
                          PacCostModel& costs) const;

    uint64_t m_trainingSamples;            //!< samples per epoch
    uint32_t m_simulatedSteps;             //!< steps simulated per round (0: all)
    double m_usableMemoryFraction;         //!< share of available memory usable
    double m_cacheReadMBps;                //!< cache storage read rate (MB/s)
    double m_cacheStorageGB;               //!< storage free for the cache per device (GB)
    double m_cacheWriteMBps;               //!< cache storage write rate (MB/s)
    std::string m_recipe;                  //!< the recipe, or "" for the workload's
    uint32_t m_microBatches;               //!< micro-batches in pipelined epochs (0: planner)
    Ptr<const PacRoundPlan> m_firstEpoch;  //!< the plan of the epoch that filled the cache
    std::vector<uint32_t> m_nodes;         //!< planner device -> node
    std::vector<DeviceProfile> m_profiles; //!< planner device -> profile
    /// Planned trace source
    TracedCallback<uint32_t, Ptr<const PacRoundPlan>> m_planned;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_TRAINING_STRATEGY_H */
