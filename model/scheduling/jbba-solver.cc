/* SPDX-License-Identifier: GPL-2.0-only */
#include "jbba-solver.h"

#include "bottleneck-matcher.h"
#include "crunch-matcher.h"
#include "lola-bandwidth-split.h"
#include "min-cost-assignment.h"
#include "shared-channel-matcher.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmJbbaSolver");

namespace
{
constexpr double INF = std::numeric_limits<double>::infinity();

/// the bottleneck matching of a latency matrix: CRUNCH when it is depth-monotone
BlockMatching
MatchBlocks(const std::vector<std::vector<double>>& latency)
{
    return CrunchMatcher::Validate(latency).empty() ? CrunchMatcher::Match(latency)
                                                    : BottleneckMatcher::Match(latency);
}
} // namespace

LolaAllocation
JbbaSolver::Solve(const LolaAllocationProblem& problem, const JbbaOptions& options)
{
    const std::string invalid = problem.Validate();
    NS_ABORT_MSG_IF(!invalid.empty(), "JBBA: " << invalid);
    if (problem.sharedChannel)
    {
        // no band to split: the block step alone, timed with the channel's contention
        return SharedChannelMatcher::Match(problem, options.maxIterations);
    }
    const uint32_t devices = problem.GetDeviceCount();
    const uint32_t blocks = problem.GetBlockCount();
    // start: CRUNCH's matching as if every device had an equal share 1 / M of the band
    std::vector<std::vector<double>> equal(devices, std::vector<double>(blocks));
    for (uint32_t k = 0; k < devices; ++k)
    {
        for (uint32_t m = 0; m < blocks; ++m)
        {
            equal[k][m] = problem.GetLatency(k, m, 1.0 / blocks);
        }
    }
    const BlockMatching start = MatchBlocks(equal);
    LolaAllocation current;
    current.latencySeconds = INF;
    if (!start.IsFeasible())
    {
        current.iterations = 1;
        return current;
    }
    current = LolaBandwidthSplit::Split(problem, start.blockOfDevice);
    std::vector<std::vector<double>> need(blocks, std::vector<double>(devices));
    std::vector<uint32_t> columnOfRow;
    // the least total share with which every block finishes by the target (the matching in
    // columnOfRow); false when CRUNCH's check finds no matching at all
    auto leastShare = [&](double target, double& total) {
        std::vector<uint32_t> counts(devices, 0);
        for (uint32_t k = 0; k < devices; ++k)
        {
            for (uint32_t m = 0; m < blocks; ++m)
            {
                const bool can =
                    problem.devices[k].fits[m] && problem.devices[k].computeSeconds[m] < target;
                const double s =
                    can ? problem.GetRequiredShare(k,
                                                   problem.blockBits[m],
                                                   target - problem.devices[k].computeSeconds[m])
                        : INF;
                counts[k] += can ? 1 : 0;
                need[m][k] = std::min(s, 2.0);
            }
        }
        if (problem.IsDepthMonotone() && !CrunchMatcher::CanMatchAll(counts, blocks))
        {
            total = INF;
            return false;
        }
        total = MinCostAssignment::Solve(need, columnOfRow);
        return true;
    };
    uint32_t iteration = 1;
    double slack = 0;
    while (iteration < options.maxIterations)
    {
        ++iteration;
        const double target = current.latencySeconds;
        // block step at the target: CRUNCH cuts the pairs that cannot finish by it and
        // checks that a matching remains; of those, the matching needing the least band
        // (the Lagrangian's minimiser at any band price) by the Hungarian method
        double total = 0;
        if (!leastShare(target, total))
        {
            break; // cannot happen at a feasible target; kept as CRUNCH's check
        }
        slack = 1.0 - total;
        std::vector<int32_t> blockOfDevice(devices, -1);
        for (uint32_t m = 0; m < blocks; ++m)
        {
            blockOfDevice[columnOfRow[m]] = static_cast<int32_t>(m);
        }
        if (blockOfDevice == current.blockOfDevice)
        {
            break; // no matching needs less band at the target: the target is optimal
        }
        // bandwidth step: the KKT split of the new matching; the target falls
        const LolaAllocation next = LolaBandwidthSplit::Split(problem, blockOfDevice);
        if (!(next.latencySeconds < current.latencySeconds))
        {
            break;
        }
        current = next;
    }
    // the band's price at the optimum (KKT multiplier): latency bought per unit of share,
    // 1 / sum_k |d beta_k / d L| with d beta_k / d L = -(D / (L - T)^2) / r'(beta_k)
    double sensitivity = 0;
    for (uint32_t k = 0; k < devices; ++k)
    {
        const int32_t m = current.blockOfDevice[k];
        const double slope = m >= 0 ? problem.GetRateSlope(k, current.share[k]) : 0.0;
        if (m >= 0 && current.share[k] > 0 && slope > 0)
        {
            const double left = current.latencySeconds - problem.devices[k].computeSeconds[m];
            sensitivity += problem.blockBits[m] / (left * left) / slope;
        }
    }
    current.bandPrice = sensitivity > 0 ? 1.0 / sensitivity : 0.0;
    current.iterations = iteration;
    current.budgetSlack = slack;
    // a certificate: no matching finishes a millionth earlier within the band
    double below = 0;
    leastShare(current.latencySeconds * (1 - 1e-6), below);
    current.certifiedGap = below > 1.0 ? 1e-6 : std::numeric_limits<double>::quiet_NaN();
    NS_LOG_INFO("JBBA: " << iteration << " iterations, latency " << current.latencySeconds
                         << " s, band price " << current.bandPrice << " s per share");
    return current;
}

LolaAllocation
JbbaSolver::SolveByBisection(const LolaAllocationProblem& problem)
{
    const std::string invalid = problem.Validate();
    NS_ABORT_MSG_IF(!invalid.empty(), "JBBA: " << invalid);
    NS_ABORT_MSG_IF(problem.sharedChannel,
                    "JBBA: SolveByBisection splits a band; the problem has a shared channel "
                    "(LolaExhaustiveOracle::SolveJoint times its matchings)");
    const uint32_t devices = problem.GetDeviceCount();
    const uint32_t blocks = problem.GetBlockCount();
    // below the best compute-only bottleneck no matching can finish
    std::vector<std::vector<double>> compute(devices, std::vector<double>(blocks));
    for (uint32_t k = 0; k < devices; ++k)
    {
        for (uint32_t m = 0; m < blocks; ++m)
        {
            compute[k][m] = problem.devices[k].fits[m] && problem.HasRate(k)
                                ? problem.devices[k].computeSeconds[m]
                                : INF;
        }
    }
    const BlockMatching start = MatchBlocks(compute);
    LolaAllocation best;
    best.latencySeconds = INF;
    if (!start.IsFeasible())
    {
        return best;
    }
    best = LolaBandwidthSplit::Split(problem, start.blockOfDevice);
    double lo = start.bottleneckSeconds;
    double hi = best.latencySeconds;
    // shares above the band are all alike: capping them keeps the costs finite
    std::vector<std::vector<double>> need(blocks, std::vector<double>(devices));
    std::vector<uint32_t> columnOfRow;
    auto feasible = [&](double target) {
        for (uint32_t m = 0; m < blocks; ++m)
        {
            for (uint32_t k = 0; k < devices; ++k)
            {
                const double s =
                    compute[k][m] < target
                        ? problem.GetRequiredShare(k, problem.blockBits[m], target - compute[k][m])
                        : INF;
                need[m][k] = std::min(s, 2.0);
            }
        }
        return MinCostAssignment::Solve(need, columnOfRow) <= 1.0;
    };
    uint32_t steps = 0;
    std::vector<uint32_t> bestColumns;
    while (hi - lo > 1e-12 * hi && steps < 200)
    {
        ++steps;
        const double mid = 0.5 * (lo + hi);
        if (feasible(mid))
        {
            hi = mid;
            bestColumns = columnOfRow;
        }
        else
        {
            lo = mid;
        }
    }
    if (!bestColumns.empty())
    {
        std::vector<int32_t> blockOfDevice(devices, -1);
        for (uint32_t m = 0; m < blocks; ++m)
        {
            blockOfDevice[bestColumns[m]] = static_cast<int32_t>(m);
        }
        const LolaAllocation exact = LolaBandwidthSplit::Split(problem, blockOfDevice);
        if (exact.latencySeconds < best.latencySeconds)
        {
            best = exact;
        }
    }
    best.iterations = steps;
    return best;
}

} // namespace edgellm
} // namespace ns3
