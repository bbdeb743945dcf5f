/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LOLA_DEFT_SCHEDULER_H
#define EDGE_LLM_LOLA_DEFT_SCHEDULER_H

#include "ns3/lola-allocation-problem.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Decides a LoLa DEFT round: which device fine-tunes which block and which share of the
 * uplink band each gets. LolaDeftStrategy's Scheduler attribute takes one (JbbaScheduler by
 * default); the baselines are schedulers too.
 */
class LolaDeftScheduler : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ~LolaDeftScheduler() override;

    /**
     * \param problem the round's costs and channels
     * \param round the round index (round-robin baselines rotate with it)
     * \return the allocation; infeasible (infinite latency) when no block-device matching fits
     */
    virtual LolaAllocation Allocate(const LolaAllocationProblem& problem, uint32_t round) = 0;

    /** \return "" when the attributes are valid, else which one is not and why */
    virtual std::string Validate() const;

    /**
     * \param problem a round's problem
     * \return "" when the scheduler can decide it, else why not (e.g. a band split asked of a
     * shared channel)
     */
    virtual std::string CheckProblem(const LolaAllocationProblem& problem) const;

    /**
     * \brief Fix the random streams the scheduler draws from (LolaDeftStrategy gives a fixed
     * one, so that a run's draws depend on the seed and run number alone, at either fidelity).
     * \param stream first stream index
     * \return streams used (0: the scheduler draws nothing)
     */
    virtual int64_t AssignStreams(int64_t stream);

    /**
     * \brief The equal split: every involved device 1 / M of the band.
     * \param problem the costs
     * \param blockOfDevice per device: its block or -1
     * \return the allocation with its latency
     */
    static LolaAllocation EqualShares(const LolaAllocationProblem& problem,
                                      const std::vector<int32_t>& blockOfDevice);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LOLA_DEFT_SCHEDULER_H */
