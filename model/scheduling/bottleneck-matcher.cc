/* SPDX-License-Identifier: GPL-2.0-only */
#include "bottleneck-matcher.h"

#include "ns3/abort.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace ns3
{
namespace edgellm
{

namespace
{
/**
 * \brief Maximum matching of blocks to devices over the pairs within a threshold.
 * \param latency the latencies
 * \param threshold the largest latency allowed
 * \param[out] deviceOfBlock per block: its device or -1
 * \return the number of blocks matched
 */
uint32_t
MaxMatching(const std::vector<std::vector<double>>& latency,
            double threshold,
            std::vector<int32_t>& deviceOfBlock)
{
    const uint32_t devices = static_cast<uint32_t>(latency.size());
    const uint32_t blocks = static_cast<uint32_t>(latency.front().size());
    std::vector<int32_t> blockOfDevice(devices, -1);
    deviceOfBlock.assign(blocks, -1);
    std::vector<bool> seen;
    std::function<bool(uint32_t)> augment = [&](uint32_t m) {
        for (uint32_t k = 0; k < devices; ++k)
        {
            if (seen[k] || !(latency[k][m] <= threshold))
            {
                continue;
            }
            seen[k] = true;
            if (blockOfDevice[k] < 0 || augment(blockOfDevice[k]))
            {
                blockOfDevice[k] = static_cast<int32_t>(m);
                deviceOfBlock[m] = static_cast<int32_t>(k);
                return true;
            }
        }
        return false;
    };
    uint32_t matched = 0;
    for (uint32_t m = 0; m < blocks; ++m)
    {
        seen.assign(devices, false);
        matched += augment(m) ? 1 : 0;
    }
    return matched;
}
} // namespace

BlockMatching
BottleneckMatcher::Match(const std::vector<std::vector<double>>& latency)
{
    NS_ABORT_MSG_IF(latency.empty() || latency.front().empty() ||
                        latency.size() < latency.front().size(),
                    "BottleneckMatcher: needs at least as many devices as blocks, and a block");
    const uint32_t devices = static_cast<uint32_t>(latency.size());
    const uint32_t blocks = static_cast<uint32_t>(latency.front().size());
    std::vector<double> thresholds;
    for (const auto& row : latency)
    {
        NS_ABORT_MSG_IF(row.size() != blocks, "BottleneckMatcher: one latency per block");
        for (double t : row)
        {
            if (std::isfinite(t))
            {
                thresholds.push_back(t);
            }
        }
    }
    std::sort(thresholds.begin(), thresholds.end());
    thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
    BlockMatching result;
    result.blockOfDevice.assign(devices, -1);
    std::vector<int32_t> deviceOfBlock;
    if (thresholds.empty() || MaxMatching(latency, thresholds.back(), deviceOfBlock) < blocks)
    {
        result.checks = 1;
        result.bottleneckSeconds = std::numeric_limits<double>::infinity();
        return result;
    }
    size_t lo = 0;
    size_t hi = thresholds.size() - 1;
    result.checks = 1;
    while (lo < hi)
    {
        const size_t mid = lo + (hi - lo) / 2;
        ++result.checks;
        if (MaxMatching(latency, thresholds[mid], deviceOfBlock) == blocks)
        {
            hi = mid;
        }
        else
        {
            lo = mid + 1;
        }
    }
    MaxMatching(latency, thresholds[hi], deviceOfBlock);
    for (uint32_t m = 0; m < blocks; ++m)
    {
        result.blockOfDevice[deviceOfBlock[m]] = static_cast<int32_t>(m);
    }
    result.bottleneckSeconds = thresholds[hi];
    return result;
}

} // namespace edgellm
} // namespace ns3
