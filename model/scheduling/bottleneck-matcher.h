/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_BOTTLENECK_MATCHER_H
#define EDGE_LLM_BOTTLENECK_MATCHER_H

#include "crunch-matcher.h"

#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The textbook bottleneck assignment, for any latencies: binary search over the sorted
 * entries, each threshold checked by a maximum bipartite matching (augmenting paths) of the
 * pairs within it. It does not rely on latencies growing with depth, so it checks CRUNCH (and
 * serves when a model's blocks are not depth-monotone). O(K M (K + M) log(K M)).
 */
class BottleneckMatcher
{
  public:
    /**
     * \param latency per device, per block: seconds (+infinity: cannot); at least as many
     * devices as blocks (NS_FATAL_ERROR otherwise)
     * \return the matching of least bottleneck (infeasible when none is finite)
     */
    static BlockMatching Match(const std::vector<std::vector<double>>& latency);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_BOTTLENECK_MATCHER_H */
