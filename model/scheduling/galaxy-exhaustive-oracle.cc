/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-exhaustive-oracle.h"

#include "ns3/fatal-error.h"

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
 * Call \p visit with every split of \p total into \p parts non-negative shares.
 * \param total what to split
 * \param parts how many shares
 * \param visit called with each split
 */
void
ForEachSplit(uint32_t total,
             uint32_t parts,
             const std::function<void(const std::vector<uint32_t>&)>& visit)
{
    std::vector<uint32_t> shares(parts, 0);
    std::function<void(uint32_t, uint32_t)> place = [&](uint32_t part, uint32_t left) {
        if (part + 1 == parts)
        {
            shares[part] = left;
            visit(shares);
            return;
        }
        for (uint32_t share = 0; share <= left; ++share)
        {
            shares[part] = share;
            place(part + 1, left - share);
        }
    };
    place(0, total);
}

} // namespace

GalaxyPlan
GalaxyExhaustiveOracle::Solve(const GalaxyPlanningProblem& problem, uint64_t& splitsTried)
{
    const uint32_t devices = problem.GetDeviceCount();
    if (devices == 0 || devices > MAX_DEVICES || problem.GetHeads() > MAX_COUNT ||
        problem.GetUnits() > MAX_COUNT || problem.GetTokens() > MAX_COUNT)
    {
        NS_FATAL_ERROR("GalaxyExhaustiveOracle: devices="
                       << devices << ", heads=" << problem.GetHeads()
                       << ", units=" << problem.GetUnits() << ", tokens=" << problem.GetTokens()
                       << " is too large; allowed: devices "
                          "1.."
                       << MAX_DEVICES << ", the others at most " << MAX_COUNT);
    }
    splitsTried = 0;
    // For each ring (the members: a subset of the devices, each with a token at least), the
    // layer time is a sum of a heads-and-units part and a tokens part with no constraint
    // between them: the best plan of that ring joins the best of each.
    GalaxyPlan best;
    for (uint32_t mask = 1; mask < (1u << devices); ++mask)
    {
        std::vector<uint32_t> members;
        for (uint32_t i = 0; i < devices; ++i)
        {
            if (mask & (1u << i))
            {
                members.push_back(i);
            }
        }
        const uint32_t n = members.size();
        GalaxyPlan ring;
        double ringComputeSeconds = std::numeric_limits<double>::infinity();
        GalaxyPlan candidate;
        candidate.heads.assign(devices, 0);
        candidate.units.assign(devices, 0);
        candidate.tokens.assign(devices, 0);
        if (problem.GetTokens() < n)
        {
            continue; // not a token for every member
        }
        // any split with a token each: the tokens are searched next
        for (uint32_t j = 0; j < n; ++j)
        {
            candidate.tokens[members[j]] = 1;
        }
        candidate.tokens[members[0]] += problem.GetTokens() - n;
        ForEachSplit(problem.GetHeads(), n, [&](const std::vector<uint32_t>& heads) {
            ForEachSplit(problem.GetUnits(), n, [&](const std::vector<uint32_t>& units) {
                ++splitsTried;
                for (uint32_t j = 0; j < n; ++j)
                {
                    candidate.heads[members[j]] = heads[j];
                    candidate.units[members[j]] = units[j];
                }
                problem.Evaluate(candidate);
                if (candidate.IsFeasible() &&
                    candidate.attentionSeconds + candidate.mlpSeconds < ringComputeSeconds)
                {
                    ringComputeSeconds = candidate.attentionSeconds + candidate.mlpSeconds;
                    ring = candidate;
                }
            });
        });
        if (ring.heads.empty())
        {
            continue;
        }
        double bestTokenSeconds = std::numeric_limits<double>::infinity();
        std::vector<uint32_t> bestTokens;
        ForEachSplit(problem.GetTokens(), n, [&](const std::vector<uint32_t>& tokens) {
            if (std::find(tokens.begin(), tokens.end(), 0u) != tokens.end())
            {
                return; // a member without tokens is not in the ring
            }
            ++splitsTried;
            double slowest = 0;
            for (uint32_t j = 0; j < n; ++j)
            {
                slowest = std::max(slowest, problem.GetConnectiveSeconds(members[j], tokens[j]));
            }
            const double seconds = 2 * (problem.GetCollectiveSeconds(tokens) + slowest);
            if (seconds < bestTokenSeconds)
            {
                bestTokenSeconds = seconds;
                bestTokens = tokens;
            }
        });
        ring.tokens.assign(devices, 0);
        for (uint32_t j = 0; j < n; ++j)
        {
            ring.tokens[members[j]] = bestTokens[j];
        }
        problem.Evaluate(ring);
        if (ring.layerSeconds < best.layerSeconds)
        {
            best = ring;
        }
    }
    return best;
}

} // namespace edgellm
} // namespace ns3
