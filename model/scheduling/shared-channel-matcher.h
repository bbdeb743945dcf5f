/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SHARED_CHANNEL_MATCHER_H
#define EDGE_LLM_SHARED_CHANNEL_MATCHER_H

#include "lola-allocation-problem.h"

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief LoLa DEFT's block step on a shared, contended uplink (Wi-Fi): which device fine-tunes
 * which block when nobody grants bandwidth and the uploads that overlap share the airtime.
 *
 * A matching's latency is no longer its slowest pair's: an upload slows down while others are
 * in progress, so it depends on which devices finish computing at about the same time
 * (LolaAllocationProblem::GetSharedFinishSeconds times it). Match():
 * - candidates: for each latency target L from the least bottleneck of the devices' latencies
 *   alone (CRUNCH's cut), the matching of least total airtime among the pairs that finish by L
 *   alone (the Hungarian method), timed with the contention; targets at or above the best
 *   latency found cannot help and are skipped;
 * - then a local search from the best: swap two devices' blocks, or move a block to an idle
 *   device, while the timed latency falls.
 * It is not proven optimal: the result carries a proven bound on its gap
 * (LolaAllocation::certifiedGap) from two lower bounds on every matching's latency: the least
 * bottleneck alone, and the earliest compute end plus the least total airtime. The unit tests
 * compare it with the exhaustive optimum on small instances.
 */
class SharedChannelMatcher
{
  public:
    /**
     * \param problem a problem with sharedChannel, Validate() accepting it (NS_FATAL_ERROR
     * otherwise)
     * \param maxPasses local-search passes at most
     * \return the allocation (shares 0); iterations = matchings timed; certifiedGap = the
     * latency over the larger lower bound, less 1 (infinite latency: infeasible)
     */
    static LolaAllocation Match(const LolaAllocationProblem& problem, uint32_t maxPasses = 100);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_SHARED_CHANNEL_MATCHER_H */
