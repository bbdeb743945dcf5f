/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LOLA_BANDWIDTH_SPLIT_H
#define EDGE_LLM_LOLA_BANDWIDTH_SPLIT_H

#include "lola-allocation-problem.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief LoLa DEFT's bandwidth step: the split of the uplink band for a given block-device
 * matching.
 */
class LolaBandwidthSplit
{
  public:
    /**
     * \brief The split of least round latency for a matching. The problem is convex (each
     * upload time D / r(beta) is convex and decreasing in beta), and its KKT conditions make
     * every involved device finish at the same time L: beta_k = r_k^-1(D_k / (L - T_k)) with
     * sum beta_k = 1. L is found by bisection (each beta_k falls as L grows); the band is
     * then handed out in full.
     * \param problem the costs
     * \param blockOfDevice per device: its block or -1
     * \return shares and latency (+infinity when an involved device does not fit or has no
     * rate; shared channel: shares 0 and the matching's timed latency)
     */
    static LolaAllocation Split(const LolaAllocationProblem& problem,
                                const std::vector<int32_t>& blockOfDevice);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LOLA_BANDWIDTH_SPLIT_H */
