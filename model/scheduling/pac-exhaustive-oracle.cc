/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-exhaustive-oracle.h"

#include "ns3/abort.h"

#include <functional>
#include <tuple>
#include <vector>

namespace ns3
{
namespace edgellm
{

PacPlan
PacExhaustiveOracle::Solve(const PacPlanningProblem& problem,
                           const PacPlannerOptions& options,
                           uint64_t& plansTried)
{
    const std::string problemText = PacPlanner::Validate(problem, options);
    NS_ABORT_MSG_IF(!problemText.empty(), problemText);
    const uint32_t layers = problem.GetLayerCount();
    const uint32_t devices = problem.GetDeviceCount();
    NS_ABORT_MSG_IF(devices > MAX_DEVICES || layers > MAX_LAYERS,
                    "PAC oracle: " << devices << " devices and " << layers
                                   << " layers is too large; at most " << MAX_DEVICES << " and "
                                   << MAX_LAYERS);
    const uint32_t all = (1U << devices) - 1;
    plansTried = 0;
    PacPlan best;
    // one stage: (first layer, last layer, device mask)
    using Cut = std::tuple<uint32_t, uint32_t, uint32_t>;
    std::vector<Cut> cuts;
    for (uint32_t m : PacPlanner::GetMicroBatchCounts(problem.GetBatchSize(), options))
    {
        const uint32_t samples = problem.GetBatchSize() / m;
        std::function<void(uint32_t, uint32_t)> extend = [&](uint32_t first, uint32_t used) {
            if (first == layers)
            {
                if ((options.useAllDevices && used != all) || cuts.size() < options.minStages)
                {
                    return;
                }
                ++plansTried;
                PacPlan plan;
                plan.microBatches = m;
                const uint32_t count = static_cast<uint32_t>(cuts.size());
                for (uint32_t s = 0; s < count; ++s)
                {
                    const auto [from, to, mask] = cuts[s];
                    std::vector<uint32_t> group;
                    for (uint32_t d = 0; d < devices; ++d)
                    {
                        if (mask >> d & 1U)
                        {
                            group.push_back(d);
                        }
                    }
                    PacStage stage;
                    if (!PacPlanner::EvaluateStage(problem,
                                                   from,
                                                   to,
                                                   group,
                                                   samples,
                                                   std::min(m, count - s),
                                                   m,
                                                   stage))
                    {
                        return;
                    }
                    if (s + 1 < count)
                    {
                        stage.boundarySeconds = problem.GetBoundarySeconds(to, samples);
                    }
                    plan.stages.push_back(stage);
                }
                plan.stepSeconds = PacPlanner::GetStepSeconds(plan);
                if (plan.stepSeconds < best.stepSeconds)
                {
                    best = plan;
                }
                return;
            }
            if (options.maxStages && cuts.size() == options.maxStages)
            {
                return;
            }
            const uint32_t free = all & ~used;
            for (uint32_t last = first; last < layers; ++last)
            {
                for (uint32_t group = 1; group <= all; ++group)
                {
                    if ((group & ~free) != 0 ||
                        (options.maxGroupSize &&
                         static_cast<uint32_t>(__builtin_popcount(group)) > options.maxGroupSize))
                    {
                        continue;
                    }
                    cuts.emplace_back(first, last, group);
                    extend(last + 1, used | group);
                    cuts.pop_back();
                }
            }
        };
        extend(0, 0);
    }
    return best;
}

} // namespace edgellm
} // namespace ns3
