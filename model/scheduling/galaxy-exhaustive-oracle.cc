/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-exhaustive-oracle.h"

#include "ns3/fatal-error.h"

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
    // The layer time is a sum of a heads-and-units part and a tokens part with no constraint
    // between them: the best whole plan joins the best of each.
    GalaxyPlan best;
    GalaxyPlan candidate;
    // any token split will do here: the tokens part is searched next, on its own
    const std::vector<uint32_t> placeholderTokens = [&]() {
        std::vector<uint32_t> t(devices, 0);
        t[0] = problem.GetTokens();
        return t;
    }();
    ForEachSplit(problem.GetHeads(), devices, [&](const std::vector<uint32_t>& heads) {
        ForEachSplit(problem.GetUnits(), devices, [&](const std::vector<uint32_t>& units) {
            ++splitsTried;
            candidate.heads = heads;
            candidate.units = units;
            candidate.tokens = placeholderTokens;
            problem.Evaluate(candidate);
            if (candidate.IsFeasible() &&
                (best.heads.empty() || candidate.attentionSeconds + candidate.mlpSeconds <
                                           best.attentionSeconds + best.mlpSeconds))
            {
                best = candidate;
            }
        });
    });
    if (best.heads.empty())
    {
        return GalaxyPlan();
    }
    std::vector<uint32_t> bestTokens;
    double bestTokenSeconds = std::numeric_limits<double>::infinity();
    ForEachSplit(problem.GetTokens(), devices, [&](const std::vector<uint32_t>& tokens) {
        ++splitsTried;
        candidate = best;
        candidate.tokens = tokens;
        problem.Evaluate(candidate);
        const double seconds = 2 * (candidate.collectiveSeconds + candidate.connectiveSeconds);
        if (seconds < bestTokenSeconds)
        {
            bestTokenSeconds = seconds;
            bestTokens = tokens;
        }
    });
    best.tokens = bestTokens;
    problem.Evaluate(best);
    return best;
}

} // namespace edgellm
} // namespace ns3
