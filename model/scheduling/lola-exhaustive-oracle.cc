/* SPDX-License-Identifier: GPL-2.0-only */
#include "lola-exhaustive-oracle.h"

#include "lola-bandwidth-split.h"

#include "ns3/abort.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace ns3
{
namespace edgellm
{

namespace
{
/**
 * \brief Calls \p visit with every injective map of \p blocks blocks to \p devices devices.
 * \param devices K
 * \param blocks M
 * \param visit called with per device its block or -1
 */
void
ForEachMatching(uint32_t devices,
                uint32_t blocks,
                const std::function<void(const std::vector<int32_t>&)>& visit)
{
    NS_ABORT_MSG_IF(devices > LolaExhaustiveOracle::MAX_DEVICES,
                    "LolaExhaustiveOracle: devices=" << devices << " is above its limit of "
                                                     << LolaExhaustiveOracle::MAX_DEVICES);
    std::vector<int32_t> blockOfDevice(devices, -1);
    std::function<void(uint32_t)> place = [&](uint32_t m) {
        if (m == blocks)
        {
            visit(blockOfDevice);
            return;
        }
        for (uint32_t k = 0; k < devices; ++k)
        {
            if (blockOfDevice[k] < 0)
            {
                blockOfDevice[k] = static_cast<int32_t>(m);
                place(m + 1);
                blockOfDevice[k] = -1;
            }
        }
    };
    place(0);
}
} // namespace

BlockMatching
LolaExhaustiveOracle::MatchBlocks(const std::vector<std::vector<double>>& latency)
{
    NS_ABORT_MSG_IF(latency.empty() || latency.front().empty() ||
                        latency.size() < latency.front().size(),
                    "LolaExhaustiveOracle: needs at least as many devices as blocks");
    BlockMatching best;
    best.bottleneckSeconds = std::numeric_limits<double>::infinity();
    ForEachMatching(static_cast<uint32_t>(latency.size()),
                    static_cast<uint32_t>(latency.front().size()),
                    [&](const std::vector<int32_t>& blockOfDevice) {
                        ++best.checks;
                        double bottleneck = 0;
                        for (uint32_t k = 0; k < blockOfDevice.size(); ++k)
                        {
                            if (blockOfDevice[k] >= 0)
                            {
                                bottleneck = std::max(bottleneck, latency[k][blockOfDevice[k]]);
                            }
                        }
                        if (bottleneck < best.bottleneckSeconds)
                        {
                            best.bottleneckSeconds = bottleneck;
                            best.blockOfDevice = blockOfDevice;
                        }
                    });
    if (best.blockOfDevice.empty())
    {
        best.blockOfDevice.assign(latency.size(), -1);
    }
    return best;
}

LolaAllocation
LolaExhaustiveOracle::SolveJoint(const LolaAllocationProblem& problem)
{
    LolaAllocation best;
    best.latencySeconds = std::numeric_limits<double>::infinity();
    uint32_t tried = 0;
    ForEachMatching(problem.GetDeviceCount(),
                    problem.GetBlockCount(),
                    [&](const std::vector<int32_t>& blockOfDevice) {
                        ++tried;
                        const LolaAllocation split =
                            LolaBandwidthSplit::Split(problem, blockOfDevice);
                        if (split.latencySeconds < best.latencySeconds)
                        {
                            best = split;
                        }
                    });
    best.iterations = tried;
    return best;
}

} // namespace edgellm
} // namespace ns3
