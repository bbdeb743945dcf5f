/* SPDX-License-Identifier: GPL-2.0-only */
#include "block-only-scheduler.h"

#include "ns3/bottleneck-matcher.h"
#include "ns3/crunch-matcher.h"

namespace ns3
{
namespace edgellm
{

NS_OBJECT_ENSURE_REGISTERED(BlockOnlyScheduler);

TypeId
BlockOnlyScheduler::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BlockOnlyScheduler")
                            .SetParent<LolaDeftScheduler>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<BlockOnlyScheduler>();
    return tid;
}

LolaAllocation
BlockOnlyScheduler::Allocate(const LolaAllocationProblem& problem, uint32_t /* round */)
{
    const uint32_t blocks = problem.GetBlockCount();
    std::vector<std::vector<double>> latency(problem.GetDeviceCount(), std::vector<double>(blocks));
    for (uint32_t k = 0; k < problem.GetDeviceCount(); ++k)
    {
        for (uint32_t m = 0; m < blocks; ++m)
        {
            latency[k][m] = problem.GetLatency(k, m, 1.0 / blocks);
        }
    }
    const BlockMatching matching = CrunchMatcher::Validate(latency).empty()
                                       ? CrunchMatcher::Match(latency)
                                       : BottleneckMatcher::Match(latency);
    return EqualShares(problem, matching.blockOfDevice);
}

} // namespace edgellm
} // namespace ns3
