/* SPDX-License-Identifier: GPL-2.0-only */
#include "layer-partition-planner.h"

#include "ns3/fatal-error.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

bool
LayerPartitionPlanner::Partition::IsFeasible() const
{
    return !layers.empty();
}

double
LayerPartitionPlanner::Evaluate(const Problem& problem, const std::vector<uint32_t>& layers)
{
    if (layers.size() != problem.layerSeconds.size())
    {
        return std::numeric_limits<double>::infinity();
    }
    double seconds = 0;
    uint32_t placed = 0;
    uint32_t stages = 0;
    for (size_t i = 0; i < layers.size(); ++i)
    {
        if (layers[i] > problem.capacity[i])
        {
            return std::numeric_limits<double>::infinity();
        }
        seconds += layers[i] * problem.layerSeconds[i];
        placed += layers[i];
        stages += layers[i] > 0 ? 1 : 0;
    }
    if (placed != problem.layers)
    {
        return std::numeric_limits<double>::infinity();
    }
    if (stages > 1)
    {
        seconds += (stages - 1) * problem.hopSeconds + problem.loopSeconds;
    }
    return seconds;
}

LayerPartitionPlanner::Partition
LayerPartitionPlanner::Solve(const Problem& problem)
{
    const size_t devices = problem.layerSeconds.size();
    if (devices == 0 || problem.capacity.size() != devices || problem.layers == 0 ||
        !(problem.hopSeconds >= 0) || !(problem.loopSeconds >= 0))
    {
        NS_FATAL_ERROR("LayerPartitionPlanner: " << devices << " devices, " << problem.layers
                                                 << " layers, hop " << problem.hopSeconds
                                                 << " s, loop " << problem.loopSeconds
                                                 << " s; allowed: devices and layers > 0, one "
                                                    "cap per device, costs >= 0");
    }
    const uint32_t total = problem.layers;
    const double infinity = std::numeric_limits<double>::infinity();
    // best[i][l]: least cost of l layers on devices 0..i-1, a hop counted for every stage
    std::vector<std::vector<double>> best(devices + 1, std::vector<double>(total + 1, infinity));
    std::vector<std::vector<uint32_t>> choice(devices + 1, std::vector<uint32_t>(total + 1, 0));
    best[0][0] = 0;
    for (size_t i = 1; i <= devices; ++i)
    {
        const double c = problem.layerSeconds[i - 1];
        for (uint32_t l = 0; l <= total; ++l)
        {
            best[i][l] = best[i - 1][l]; // device i-1 runs nothing
            for (uint32_t n = 1; n <= std::min(l, problem.capacity[i - 1]); ++n)
            {
                const double cost = best[i - 1][l - n] + n * c + problem.hopSeconds;
                if (cost < best[i][l])
                {
                    best[i][l] = cost;
                    choice[i][l] = n;
                }
            }
        }
    }
    Partition partition;
    if (best[devices][total] == infinity)
    {
        return partition;
    }
    partition.layers.assign(devices, 0);
    uint32_t l = total;
    for (size_t i = devices; i > 0; --i)
    {
        partition.layers[i - 1] = choice[i][l];
        l -= choice[i][l];
    }
    partition.seconds = Evaluate(problem, partition.layers);
    // the program priced the first stage's hop and not the loop: exact when its best is one
    // stage (no multi-stage plan can then beat it); otherwise the best single device may
    for (size_t i = 0; i < devices; ++i)
    {
        std::vector<uint32_t> alone(devices, 0);
        alone[i] = total;
        const double seconds = Evaluate(problem, alone);
        if (seconds < partition.seconds)
        {
            partition.layers = alone;
            partition.seconds = seconds;
        }
    }
    return partition;
}

} // namespace edgellm
} // namespace ns3
