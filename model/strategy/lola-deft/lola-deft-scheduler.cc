/* SPDX-License-Identifier: GPL-2.0-only */
#include "lola-deft-scheduler.h"

namespace ns3
{
namespace edgellm
{

NS_OBJECT_ENSURE_REGISTERED(LolaDeftScheduler);

TypeId
LolaDeftScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LolaDeftScheduler").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

LolaDeftScheduler::~LolaDeftScheduler() = default;

std::string
LolaDeftScheduler::Validate() const
{
    return "";
}

std::string
LolaDeftScheduler::CheckProblem(const LolaAllocationProblem& /* problem */) const
{
    return "";
}

int64_t
LolaDeftScheduler::AssignStreams(int64_t /* stream */)
{
    return 0;
}

LolaAllocation
LolaDeftScheduler::EqualShares(const LolaAllocationProblem& problem,
                               const std::vector<int32_t>& blockOfDevice)
{
    LolaAllocation allocation;
    allocation.blockOfDevice = blockOfDevice;
    allocation.share.assign(problem.GetDeviceCount(), 0.0);
    for (uint32_t k = 0; k < blockOfDevice.size(); ++k)
    {
        // a shared channel grants nothing: the shares stay 0
        if (blockOfDevice[k] >= 0 && !problem.sharedChannel)
        {
            allocation.share[k] = 1.0 / problem.GetBlockCount();
        }
    }
    allocation.latencySeconds = problem.Evaluate(allocation);
    return allocation;
}

} // namespace edgellm
} // namespace ns3
