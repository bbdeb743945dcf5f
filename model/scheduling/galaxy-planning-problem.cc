/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-planning-problem.h"

#include "ns3/fatal-error.h"

#include <algorithm>
#include <numeric>
#include <sstream>

namespace ns3
{
namespace edgellm
{

bool
GalaxyPlan::IsFeasible() const
{
    return layerSeconds < std::numeric_limits<double>::infinity();
}

std::string
GalaxyPlan::ToString() const
{
    std::ostringstream os;
    auto list = [&os](const char* name, const std::vector<uint32_t>& values) {
        os << name << ' ';
        for (size_t i = 0; i < values.size(); ++i)
        {
            os << (i > 0 ? "," : "") << values[i];
        }
    };
    list("heads", heads);
    list(" units", units);
    list(" tokens", tokens);
    os << ": ";
    if (IsFeasible())
    {
        os << layerSeconds << " s";
    }
    else
    {
        os << "infeasible";
    }
    return os.str();
}

GalaxyPlanningProblem::~GalaxyPlanningProblem() = default;

void
GalaxyPlanningProblem::Evaluate(GalaxyPlan& plan) const
{
    const uint32_t devices = GetDeviceCount();
    auto check = [devices](const std::vector<uint32_t>& values, uint32_t total, const char* name) {
        const uint64_t sum = std::accumulate(values.begin(), values.end(), uint64_t{0});
        if (values.size() != devices || sum != total)
        {
            NS_FATAL_ERROR("GalaxyPlanningProblem::Evaluate: "
                           << name << " has " << values.size() << " entries summing to " << sum
                           << "; allowed: " << devices << " entries summing to " << total);
        }
    };
    check(plan.heads, GetHeads(), "heads");
    check(plan.units, GetUnits(), "units");
    check(plan.tokens, GetTokens(), "tokens");
    plan.attentionSeconds = 0;
    plan.mlpSeconds = 0;
    plan.connectiveSeconds = 0;
    bool fits = true;
    for (uint32_t i = 0; i < devices; ++i)
    {
        fits = fits && Fits(i, plan.heads[i], plan.units[i]);
        plan.attentionSeconds =
            std::max(plan.attentionSeconds, GetAttentionSeconds(i, plan.heads[i]));
        plan.mlpSeconds = std::max(plan.mlpSeconds, GetMlpSeconds(i, plan.units[i]));
        plan.connectiveSeconds =
            std::max(plan.connectiveSeconds, GetConnectiveSeconds(i, plan.tokens[i]));
    }
    std::vector<uint32_t> ring; // the members' tokens
    for (uint32_t i = 0; i < devices; ++i)
    {
        if (plan.tokens[i] > 0)
        {
            ring.push_back(plan.tokens[i]);
        }
        else if (plan.heads[i] + plan.units[i] > 0)
        {
            fits = false; // a device with a share is in the ring, which needs its tokens
        }
    }
    plan.collectiveSeconds = GetCollectiveSeconds(ring);
    plan.layerSeconds = fits ? plan.attentionSeconds + plan.mlpSeconds +
                                   2 * (plan.collectiveSeconds + plan.connectiveSeconds)
                             : std::numeric_limits<double>::infinity();
}

} // namespace edgellm
} // namespace ns3
