/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-round-robin-scheduler.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaRoundRobinScheduler");
NS_OBJECT_ENSURE_REGISTERED(OfdmaRoundRobinScheduler);

TypeId
OfdmaRoundRobinScheduler::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OfdmaRoundRobinScheduler")
                            .SetParent<OfdmaScheduler>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<OfdmaRoundRobinScheduler>();
    return tid;
}

OfdmaRoundRobinScheduler::OfdmaRoundRobinScheduler()
    : m_next(0)
{
}

OfdmaRoundRobinScheduler::~OfdmaRoundRobinScheduler() = default;

void
OfdmaRoundRobinScheduler::DoConfigure()
{
    m_next = 0;
}

std::vector<uint32_t>
OfdmaRoundRobinScheduler::DoAllocate(const std::vector<OfdmaDemand>& demand, uint32_t free)
{
    size_t n = demand.size();
    std::vector<uint32_t> grant(n, 0);
    std::vector<size_t> order;
    for (size_t k = 0; k < n; ++k)
    {
        size_t i = (m_next + k) % n;
        if (demand[i].active && demand[i].fixedRbs == 0 && demand[i].rbNeeded > 0)
        {
            order.push_back(i);
        }
    }
    if (n > 0)
    {
        m_next = (m_next + 1) % n;
    }
    // Water filling: equal split, the RBs a device does not need go to the others.
    while (free > 0 && !order.empty())
    {
        uint32_t each = free / order.size();
        uint32_t extra = free % order.size();
        std::vector<size_t> still;
        uint32_t given = 0;
        for (size_t k = 0; k < order.size(); ++k)
        {
            size_t i = order[k];
            uint32_t offer = each + (k < extra ? 1 : 0);
            uint32_t want = demand[i].rbNeeded - grant[i];
            uint32_t take = std::min(offer, want);
            grant[i] += take;
            given += take;
            if (grant[i] < demand[i].rbNeeded)
            {
                still.push_back(i);
            }
        }
        free -= given;
        if (given == 0)
        {
            break;
        }
        order = still;
    }
    return grant;
}

} // namespace edgellm
} // namespace ns3
