/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LOLA_EXHAUSTIVE_ORACLE_H
#define EDGE_LLM_LOLA_EXHAUSTIVE_ORACLE_H

#include "crunch-matcher.h"
#include "lola-allocation-problem.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief LoLa DEFT's problems by enumeration of every block-device matching, to check CRUNCH
 * and JBBA on small instances (at most MAX_DEVICES devices).
 */
class LolaExhaustiveOracle
{
  public:
    static constexpr uint32_t MAX_DEVICES = 8; //!< the largest instance it accepts

    /**
     * \param latency per device, per block (+infinity: cannot)
     * \return the matching of least bottleneck; checks = matchings tried
     */
    static BlockMatching MatchBlocks(const std::vector<std::vector<double>>& latency);

    /**
     * \param problem the costs
     * \return the allocation of least latency: every matching with its best split
     * (LolaBandwidthSplit::Split); iterations = matchings tried
     */
    static LolaAllocation SolveJoint(const LolaAllocationProblem& problem);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LOLA_EXHAUSTIVE_ORACLE_H */
