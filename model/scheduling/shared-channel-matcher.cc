/* SPDX-License-Identifier: GPL-2.0-only */
#include "shared-channel-matcher.h"

#include "bottleneck-matcher.h"
#include "min-cost-assignment.h"

#include "ns3/abort.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{
namespace edgellm
{

namespace
{
constexpr double INF = std::numeric_limits<double>::infinity();

/// the least total airtime matching among the pairs whose latency alone is at most \p target
/// (blocks as rows of the assignment); false when some block has no such pair
bool
LeastAirtimeMatching(const std::vector<std::vector<double>>& alone,
                     const std::vector<std::vector<double>>& airtime,
                     double target,
                     double forbidden,
                     std::vector<int32_t>& blockOfDevice)
{
    const size_t devices = alone.size();
    const size_t blocks = alone.front().size();
    std::vector<std::vector<double>> cost(blocks, std::vector<double>(devices, forbidden));
    for (size_t k = 0; k < devices; ++k)
    {
        for (size_t m = 0; m < blocks; ++m)
        {
            if (std::isfinite(alone[k][m]) && alone[k][m] <= target)
            {
                cost[m][k] = airtime[k][m];
            }
        }
    }
    std::vector<uint32_t> deviceOfBlock;
    MinCostAssignment::Solve(cost, deviceOfBlock);
    blockOfDevice.assign(devices, -1);
    for (size_t m = 0; m < blocks; ++m)
    {
        if (cost[m][deviceOfBlock[m]] >= forbidden)
        {
            return false;
        }
        blockOfDevice[deviceOfBlock[m]] = static_cast<int32_t>(m);
    }
    return true;
}
} // namespace

LolaAllocation
SharedChannelMatcher::Match(const LolaAllocationProblem& problem, uint32_t maxPasses)
{
    const std::string invalid = problem.Validate();
    NS_ABORT_MSG_IF(!invalid.empty(), "SharedChannelMatcher: " << invalid);
    NS_ABORT_MSG_IF(!problem.sharedChannel,
                    "SharedChannelMatcher: the problem has no shared channel (sharedChannel "
                    "false): JbbaSolver splits a band");
    const uint32_t devices = problem.GetDeviceCount();
    const uint32_t blocks = problem.GetBlockCount();
    std::vector<std::vector<double>> alone(devices, std::vector<double>(blocks, INF));
    std::vector<std::vector<double>> airtime(devices, std::vector<double>(blocks, INF));
    std::vector<double> targets;
    double earliestCompute = INF;
    double totalAirtime = 0;
    for (uint32_t k = 0; k < devices; ++k)
    {
        for (uint32_t m = 0; m < blocks; ++m)
        {
            alone[k][m] = problem.GetLatency(k, m, 1.0);
            if (std::isfinite(alone[k][m]))
            {
                airtime[k][m] = problem.blockBits[m] / problem.devices[k].channelRateBps;
                targets.push_back(alone[k][m]);
                earliestCompute = std::min(earliestCompute, problem.devices[k].computeSeconds[m]);
                totalAirtime += airtime[k][m];
            }
        }
    }
    LolaAllocation best;
    best.blockOfDevice.assign(devices, -1);
    best.share.assign(devices, 0.0);
    best.latencySeconds = INF;
    best.certifiedGap = std::numeric_limits<double>::quiet_NaN();
    const BlockMatching cut = BottleneckMatcher::Match(alone);
    if (!cut.IsFeasible())
    {
        return best;
    }
    // a cost no feasible matching reaches
    const double forbidden = 2.0 * totalAirtime + 1.0;
    std::vector<int32_t> candidate;
    // the lower bounds: no upload ends before its pair alone would; the channel carries the
    // whole airtime after the first compute ends
    LeastAirtimeMatching(alone, airtime, INF, forbidden, candidate);
    double leastAirtime = 0;
    for (uint32_t k = 0; k < devices; ++k)
    {
        if (candidate[k] >= 0)
        {
            leastAirtime += airtime[k][candidate[k]];
        }
    }
    const double lowerBound = std::max(cut.bottleneckSeconds, earliestCompute + leastAirtime);

    uint32_t timed = 0;
    auto consider = [&](const std::vector<int32_t>& blockOfDevice) {
        ++timed;
        LolaAllocation allocation;
        allocation.blockOfDevice = blockOfDevice;
        allocation.share.assign(devices, 0.0);
        const double latency = problem.Evaluate(allocation);
        if (latency < best.latencySeconds)
        {
            best.blockOfDevice = blockOfDevice;
            best.latencySeconds = latency;
            return true;
        }
        return false;
    };
    consider(cut.blockOfDevice);
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    for (double target : targets)
    {
        // below the cut no matching exists; at or above the best latency none can beat it
        if (target < cut.bottleneckSeconds)
        {
            continue;
        }
        if (target >= best.latencySeconds)
        {
            break;
        }
        if (LeastAirtimeMatching(alone, airtime, target, forbidden, candidate))
        {
            consider(candidate);
        }
    }
    // local search: the best swap or move of each pass, while one shortens the round
    for (uint32_t pass = 0; pass < maxPasses; ++pass)
    {
        const std::vector<int32_t> start = best.blockOfDevice;
        bool improved = false;
        for (uint32_t i = 0; i < devices; ++i)
        {
            if (start[i] < 0)
            {
                continue;
            }
            for (uint32_t j = 0; j < devices; ++j)
            {
                if (j == i || (start[j] >= 0 && j < i))
                {
                    continue; // each swap once
                }
                // a pair that does not fit times as infinite: never an improvement
                std::vector<int32_t> next = start;
                std::swap(next[i], next[j]);
                improved = consider(next) || improved;
            }
        }
        if (!improved)
        {
            break;
        }
    }
    best.iterations = timed;
    best.certifiedGap = best.latencySeconds / lowerBound - 1.0;
    return best;
}

} // namespace edgellm
} // namespace ns3
