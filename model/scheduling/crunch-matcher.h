/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_CRUNCH_MATCHER_H
#define EDGE_LLM_CRUNCH_MATCHER_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A block-device matching that minimises the slowest device's latency (a bottleneck
 * assignment): per device its block, or -1.
 */
struct BlockMatching
{
    std::vector<int32_t> blockOfDevice; //!< per device: its block, or -1
    double bottleneckSeconds{0};        //!< the largest latency of an involved device
    uint32_t checks{0};                 //!< thresholds checked (CRUNCH) or matchings tried

    /** \return whether every block has a device (the bottleneck is finite) */
    bool IsFeasible() const;
};

/**
 * \ingroup edge-llm
 * \brief CRUNCH (Cutting-RecoUNting-CHecking): the optimal block-device matching when every
 * device's latency grows with the block's depth.
 *
 * latency[k][m] is device k's round latency with block m (block 0 nearest the output;
 * +infinity when it does not fit). When each row is non-decreasing in m, the blocks a device
 * can finish within a threshold form a prefix 0..c_k - 1, and prefixes are nested, so:
 * - Cutting: the optimal bottleneck is one of the matrix's finite entries; they are sorted and
 *   the threshold is found by binary search over them;
 * - Recounting: at a threshold, each device's prefix length c_k is counted (a binary search in
 *   its row);
 * - Checking: by Hall's theorem on nested sets, all M blocks can be matched iff, with the
 *   counts sorted in decreasing order, the i-th largest (i = 1..M) is at least M - i + 1.
 * The matching is built from the deepest block up, each going to the unmatched device of the
 * shortest prefix that still covers it. O(K M log(K M)) for K devices and M blocks.
 */
class CrunchMatcher
{
  public:
    /**
     * \param latency per device, per block: seconds (+infinity: cannot)
     * \return "" when every row has one entry per block, there are at least as many rows as
     * blocks, and every row is non-decreasing in depth (what CRUNCH relies on); else why not
     */
    static std::string Validate(const std::vector<std::vector<double>>& latency);

    /**
     * \param latency as Validate() accepts it (NS_FATAL_ERROR otherwise)
     * \return the matching of least bottleneck (infeasible when no matching is finite)
     */
    static BlockMatching Match(const std::vector<std::vector<double>>& latency);

    /**
     * \brief The Checking step alone.
     * \param counts per device: how many blocks (a prefix in depth) it can take
     * \param blocks M
     * \return whether all M blocks can be matched to distinct devices
     */
    static bool CanMatchAll(std::vector<uint32_t> counts, uint32_t blocks);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_CRUNCH_MATCHER_H */
