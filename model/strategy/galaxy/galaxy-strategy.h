/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_GALAXY_STRATEGY_H
#define EDGE_LLM_GALAXY_STRATEGY_H

#include "galaxy-cost-model.h"

#include "ns3/random-variable-stream.h"
#include "ns3/strategy.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Galaxy: one inference of a prompt per round, every layer split over the fleet's
 * devices by GalaxyPlanner (Split=galaxy), or by a baseline: the even split of heads, columns
 * and tokens over every device, as Megatron-style tensor parallelism does (Split=even),
 * sequence parallelism (Split=sequence: every weight on every device, an even share of the
 * tokens, GalaxyGraphBuilder::BuildSequenceParallel), or the fastest device that holds the
 * model alone (Split=single).
 *
 * The workload's recipe must be inference; its sequenceLength is the prompt. The collectives'
 * rate is the harmonic mean of every device pair's rate alone (NetworkState), on a shared
 * channel unless network=p2p (switched links). The round's task graph is GalaxyGraphBuilder's;
 * the prediction beside the simulated round is the plan's layer time times the layers (the
 * pipeline: its stages' and hops' sum), or with TileOverlap (Split=galaxy) and for
 * Split=sequence the graph timed by TaskGraphTimer at the plan's rate and delay.
 * Devices are one group of the fleet (the server of the node layout gets no task).
 *
 * Serving (GeneratedTokens G > 0, a decoder with an LM head): each round is one request, its
 * prefill then G - 1 decode steps with the KV cache split like the heads
 * (GalaxyGraphBuilder). Requests arrive at RequestRate (a Poisson process drawn from the run's
 * seed) or at the times of a RequestTrace file, and are served one at a time in arrival order; the
 * rounds run back to back, and a request's wait is the Lindley recursion over the simulated service
 * times (the network carries nothing between requests, so an idle gap would change nothing). The
 * record of a round gets the request's arrival, wait, time to first token (wait + prefill + output
 * head), time per output token (the mean decode step) and the planner's predictions of both
 * (ServingReport summarises them).
 */
class GalaxyStrategy : public Strategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    GalaxyStrategy();
    ~GalaxyStrategy() override;

    std::string Configure(const Fleet& fleet, const Workload& workload) override;
    std::string Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan) override;
    Ptr<TaskGraph> Build(uint32_t round, Ptr<const RoundPlan> plan) override;
    double PredictRound(uint32_t round,
                        NetworkState& network,
                        Ptr<const RoundPlan> plan,
                        const TaskGraph& graph) override;
    void Observe(const RoundObservation& observation, RoundRecord& record) override;

    /**
     * TracedCallback signature of Planned: a round's split (heads, units, tokens per device;
     * empty lists for Split=pipeline).
     * \param [in] plan the split
     */
    typedef void (*PlannedCallback)(const GalaxyPlan& plan);

  private:
    /**
     * \param link the collectives' rate and delay
     * \return a timer of this strategy's graphs at that rate (the planner's view of the network)
     */
    TaskGraphTimer MakeTimer(const GalaxyCollectiveLink& link) const;

    std::string m_split{"galaxy"};                 //!< Split attribute
    bool m_overlap{true};                          //!< TileOverlap attribute
    uint32_t m_granule{64};                        //!< ColumnGranule attribute
    uint32_t m_generated{0};                       //!< GeneratedTokens attribute
    double m_requestRate{0};                       //!< RequestRate attribute
    std::string m_requestTrace;                    //!< RequestTrace attribute
    std::vector<double> m_arrivals;                //!< the trace's arrival times
    uint32_t m_served{0};                          //!< requests observed this run
    std::vector<DeviceProfile> m_profiles;         //!< the devices, node i = device i
    TracedCallback<const GalaxyPlan&> m_planned;   //!< Planned trace source
    Ptr<ExponentialRandomVariable> m_interArrival; //!< draws the gaps between requests
    double m_lastArrival{0};                       //!< the previous request's arrival, s
    double m_lastDeparture{0};                     //!< when the previous request completed, s
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_STRATEGY_H */
