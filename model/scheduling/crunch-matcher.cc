/* SPDX-License-Identifier: GPL-2.0-only */
#include "crunch-matcher.h"

#include "ns3/abort.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

bool
BlockMatching::IsFeasible() const
{
    return std::isfinite(bottleneckSeconds) && !blockOfDevice.empty();
}

std::string
CrunchMatcher::Validate(const std::vector<std::vector<double>>& latency)
{
    std::ostringstream out;
    if (latency.empty() || latency.front().empty())
    {
        return "CRUNCH: no device or no block";
    }
    const size_t blocks = latency.front().size();
    if (latency.size() < blocks)
    {
        out << "CRUNCH: devices=" << latency.size() << " for blocks=" << blocks
            << "; every block needs its own device";
        return out.str();
    }
    for (size_t k = 0; k < latency.size(); ++k)
    {
        if (latency[k].size() != blocks)
        {
            out << "CRUNCH: device " << k << " has " << latency[k].size()
                << " latencies; one per block (" << blocks << ")";
            return out.str();
        }
        for (size_t m = 0; m < blocks; ++m)
        {
            if (std::isnan(latency[k][m]) || (m > 0 && latency[k][m] < latency[k][m - 1]))
            {
                out << "CRUNCH: device " << k << " latency of block " << m << " (" << latency[k][m]
                    << " s) is below that of block " << m - 1
                    << "; CRUNCH needs latencies non-decreasing in depth";
                return out.str();
            }
        }
    }
    return "";
}

bool
CrunchMatcher::CanMatchAll(std::vector<uint32_t> counts, uint32_t blocks)
{
    if (counts.size() < blocks)
    {
        return false;
    }
    std::sort(counts.begin(), counts.end(), std::greater<uint32_t>());
    for (uint32_t i = 0; i < blocks; ++i)
    {
        // the i+1 devices of the longest prefixes must cover the i+1 deepest blocks
        if (counts[i] < blocks - i)
        {
            return false;
        }
    }
    return true;
}

BlockMatching
CrunchMatcher::Match(const std::vector<std::vector<double>>& latency)
{
    const std::string problem = Validate(latency);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    const uint32_t devices = static_cast<uint32_t>(latency.size());
    const uint32_t blocks = static_cast<uint32_t>(latency.front().size());
    BlockMatching result;
    result.blockOfDevice.assign(devices, -1);
    // Cutting: the candidate thresholds
    std::vector<double> thresholds;
    for (const auto& row : latency)
    {
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
    // Recounting: each device's prefix within a threshold
    auto count = [&](double threshold) {
        std::vector<uint32_t> counts(devices);
        for (uint32_t k = 0; k < devices; ++k)
        {
            counts[k] = static_cast<uint32_t>(
                std::upper_bound(latency[k].begin(), latency[k].end(), threshold) -
                latency[k].begin());
        }
        return counts;
    };
    size_t lo = 0;
    size_t hi = thresholds.size(); // hi: first index known feasible (size: none yet)
    if (thresholds.empty() || !CanMatchAll(count(thresholds.back()), blocks))
    {
        result.checks = 1;
        result.bottleneckSeconds = std::numeric_limits<double>::infinity();
        return result;
    }
    hi = thresholds.size() - 1;
    result.checks = 1;
    while (lo < hi)
    {
        const size_t mid = lo + (hi - lo) / 2;
        ++result.checks;
        if (CanMatchAll(count(thresholds[mid]), blocks))
        {
            hi = mid;
        }
        else
        {
            lo = mid + 1;
        }
    }
    const double best = thresholds[hi];
    const std::vector<uint32_t> counts = count(best);
    // deepest block first, to the free device of the shortest prefix covering it
    std::vector<bool> used(devices, false);
    for (uint32_t m = blocks; m-- > 0;)
    {
        int32_t chosen = -1;
        for (uint32_t k = 0; k < devices; ++k)
        {
            if (!used[k] && counts[k] > m && (chosen < 0 || counts[k] < counts[chosen]))
            {
                chosen = static_cast<int32_t>(k);
            }
        }
        NS_ABORT_MSG_IF(chosen < 0, "CRUNCH: the check passed but block " << m << " has no device");
        used[chosen] = true;
        result.blockOfDevice[chosen] = static_cast<int32_t>(m);
    }
    result.bottleneckSeconds = 0;
    for (uint32_t k = 0; k < devices; ++k)
    {
        if (result.blockOfDevice[k] >= 0)
        {
            result.bottleneckSeconds =
                std::max(result.bottleneckSeconds, latency[k][result.blockOfDevice[k]]);
        }
    }
    NS_ABORT_MSG_IF(result.bottleneckSeconds != best,
                    "CRUNCH: built a matching of " << result.bottleneckSeconds
                                                   << " s for the threshold " << best << " s");
    return result;
}

} // namespace edgellm
} // namespace ns3
