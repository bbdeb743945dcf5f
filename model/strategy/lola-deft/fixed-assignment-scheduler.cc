/* SPDX-License-Identifier: GPL-2.0-only */
#include "fixed-assignment-scheduler.h"

#include "ns3/abort.h"
#include "ns3/lola-bandwidth-split.h"
#include "ns3/string.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>

namespace ns3
{
namespace edgellm
{

NS_OBJECT_ENSURE_REGISTERED(FixedAssignmentScheduler);

TypeId
FixedAssignmentScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FixedAssignmentScheduler")
            .SetParent<LolaDeftScheduler>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FixedAssignmentScheduler>()
            .AddAttribute("Assignment",
                          "How blocks go to devices, blind to depth: round-robin or random.",
                          StringValue("round-robin"),
                          MakeStringAccessor(&FixedAssignmentScheduler::m_assignment),
                          MakeStringChecker())
            .AddAttribute("Bandwidth",
                          "How the band is split among the involved devices: equal, or optimal "
                          "(LoLa DEFT's KKT split: the bandwidth-only optimisation).",
                          StringValue("equal"),
                          MakeStringAccessor(&FixedAssignmentScheduler::m_bandwidth),
                          MakeStringChecker());
    return tid;
}

FixedAssignmentScheduler::FixedAssignmentScheduler()
    : m_random(CreateObject<UniformRandomVariable>())
{
}

int64_t
FixedAssignmentScheduler::AssignStreams(int64_t stream)
{
    m_random->SetStream(stream);
    return 1;
}

std::string
FixedAssignmentScheduler::Validate() const
{
    if (m_assignment != "round-robin" && m_assignment != "random")
    {
        return "FixedAssignmentScheduler: Assignment=" + m_assignment +
               " is not allowed; round-robin or random";
    }
    if (m_bandwidth != "equal" && m_bandwidth != "optimal")
    {
        return "FixedAssignmentScheduler: Bandwidth=" + m_bandwidth +
               " is not allowed; equal or optimal";
    }
    return "";
}

std::string
FixedAssignmentScheduler::CheckProblem(const LolaAllocationProblem& problem) const
{
    if (problem.sharedChannel && m_bandwidth == "optimal")
    {
        return "FixedAssignmentScheduler: Bandwidth=optimal is not allowed on a shared channel "
               "(network=wifi: the uploads contend, nobody grants shares); Bandwidth=equal";
    }
    return "";
}

LolaAllocation
FixedAssignmentScheduler::Allocate(const LolaAllocationProblem& problem, uint32_t round)
{
    const std::string invalid = Validate();
    NS_ABORT_MSG_IF(!invalid.empty(), invalid);
    const uint32_t devices = problem.GetDeviceCount();
    const uint32_t blocks = problem.GetBlockCount();
    std::vector<uint32_t> order(devices);
    std::iota(order.begin(), order.end(), 0);
    if (m_assignment == "random")
    {
        for (uint32_t i = devices; i-- > 1;)
        {
            const uint32_t j = m_random->GetInteger(0, i);
            std::swap(order[i], order[j]);
        }
    }
    else
    {
        std::rotate(order.begin(), order.begin() + round % devices, order.end());
    }
    // block m to the device its turn gives it; one that cannot hold it (memory, no rate)
    // passes it on along the order, displacing earlier choices only when no free device can
    // take it (an augmenting path), so a matching is found whenever one exists
    auto can = [&](uint32_t k, uint32_t m) {
        return problem.devices[k].fits[m] && problem.HasRate(k);
    };
    std::vector<int32_t> blockOfDevice(devices, -1);
    std::vector<bool> seen;
    std::function<bool(uint32_t, uint32_t)> place = [&](uint32_t m, uint32_t start) {
        for (uint32_t step = 0; step < devices; ++step)
        {
            const uint32_t k = order[(start + step) % devices];
            if (seen[k] || !can(k, m))
            {
                continue;
            }
            seen[k] = true;
            if (blockOfDevice[k] < 0 ||
                place(static_cast<uint32_t>(blockOfDevice[k]), blockOfDevice[k]))
            {
                blockOfDevice[k] = static_cast<int32_t>(m);
                return true;
            }
        }
        return false;
    };
    for (uint32_t m = 0; m < blocks; ++m)
    {
        seen.assign(devices, false);
        if (!place(m, m))
        {
            LolaAllocation none;
            none.blockOfDevice.assign(devices, -1);
            none.share.assign(devices, 0.0);
            none.latencySeconds = std::numeric_limits<double>::infinity();
            return none;
        }
    }
    return m_bandwidth == "optimal" ? LolaBandwidthSplit::Split(problem, blockOfDevice)
                                    : EqualShares(problem, blockOfDevice);
}

} // namespace edgellm
} // namespace ns3
