/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_CACHE_EXCHANGE_H
#define EDGE_LLM_PAC_CACHE_EXCHANGE_H

#include "pac-cost-model.h"

#include "ns3/pac-planning-problem.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One message of the cache exchange: the taps one device holds of samples another
 * device trains on in the cached epochs.
 */
struct PacCacheTransfer
{
    uint32_t from{0};  //!< planner device holding the taps
    uint32_t to{0};    //!< planner device that needs them
    uint64_t bytes{0}; //!< exact bytes
};

/**
 * \ingroup edge-llm
 * \brief The cache exchange between PAC's first epoch and its cached epochs (PAC section 5.2):
 * after a first epoch of several stages, each device holds the taps of its own stage's layers
 * for the samples it processed; a device of the data-parallel cached epochs needs every
 * layer's taps of the samples it trains on.
 *
 * A sample's position in its micro-batch decides which device of each stage held it (the
 * plan's sample counts, in device order, repeat every micro-batch). Samples are given to the
 * cached epochs' devices, each up to its share of the epoch (its share of the step,
 * largest remainders), position class by position class in decreasing order of the bytes the
 * device already holds of them (a greedy transport plan); every tap a sample's new owner does
 * not hold moves to it from its holder, one message per pair of devices.
 */
class PacCacheExchange
{
  public:
    /**
     * \param first the first epoch's plan (its sample counts per micro-batch)
     * \param firstCosts its costs (tap bytes per layer)
     * \param cached the cached epochs' plan (one stage)
     * \param samples the training set's samples
     * \return the messages, ordered by (from, to); empty when nothing moves
     */
    static std::vector<PacCacheTransfer> Plan(const PacPlan& first,
                                              const PacCostModel& firstCosts,
                                              const PacPlan& cached,
                                              uint64_t samples);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_CACHE_EXCHANGE_H */
