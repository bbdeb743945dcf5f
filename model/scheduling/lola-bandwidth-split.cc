/* SPDX-License-Identifier: GPL-2.0-only */
#include "lola-bandwidth-split.h"

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
} // namespace

LolaAllocation
LolaBandwidthSplit::Split(const LolaAllocationProblem& problem,
                          const std::vector<int32_t>& blockOfDevice)
{
    LolaAllocation result;
    result.blockOfDevice = blockOfDevice;
    result.share.assign(problem.GetDeviceCount(), 0.0);
    std::vector<uint32_t> involved;
    double lo = 0;
    for (uint32_t k = 0; k < blockOfDevice.size(); ++k)
    {
        const int32_t m = blockOfDevice[k];
        if (m < 0)
        {
            continue;
        }
        if (!problem.devices[k].fits[m] || !problem.HasRate(k))
        {
            result.latencySeconds = INF;
            return result;
        }
        involved.push_back(k);
        lo = std::max(lo, problem.devices[k].computeSeconds[m]);
    }
    if (involved.empty())
    {
        result.latencySeconds = INF;
        return result;
    }
    if (problem.sharedChannel)
    {
        // nothing to split: the channel's contention decides
        result.latencySeconds = problem.Evaluate(result);
        return result;
    }
    // equal shares are feasible: their latency bounds the optimum from above
    double hi = 0;
    for (uint32_t k : involved)
    {
        hi = std::max(hi, problem.GetLatency(k, blockOfDevice[k], 1.0 / involved.size()));
    }
    auto need = [&](double latency) {
        double total = 0;
        for (uint32_t k : involved)
        {
            const uint32_t m = blockOfDevice[k];
            total += problem.GetRequiredShare(k,
                                              problem.blockBits[m],
                                              latency - problem.devices[k].computeSeconds[m]);
            if (total > 1)
            {
                break;
            }
        }
        return total;
    };
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i)
    {
        const double mid = 0.5 * (lo + hi);
        (need(mid) <= 1.0 ? hi : lo) = mid;
    }
    double total = 0;
    for (uint32_t k : involved)
    {
        const uint32_t m = blockOfDevice[k];
        result.share[k] = problem.GetRequiredShare(k,
                                                   problem.blockBits[m],
                                                   hi - problem.devices[k].computeSeconds[m]);
        total += result.share[k];
    }
    // the band in full: each share scaled up, so each device finishes by L or earlier
    for (uint32_t k : involved)
    {
        result.share[k] /= total;
    }
    result.latencySeconds = problem.Evaluate(result);
    return result;
}

} // namespace edgellm
} // namespace ns3
