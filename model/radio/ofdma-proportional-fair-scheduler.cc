/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-proportional-fair-scheduler.h"

#include "ns3/double.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaProportionalFairScheduler");
NS_OBJECT_ENSURE_REGISTERED(OfdmaProportionalFairScheduler);

TypeId
OfdmaProportionalFairScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OfdmaProportionalFairScheduler")
            .SetParent<OfdmaScheduler>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<OfdmaProportionalFairScheduler>()
            .AddAttribute("TimeConstantSlots",
                          "Time constant T (slots) of each device's exponential average of "
                          "served bits per slot, the denominator of the proportional fair "
                          "metric: each slot the average moves 1/T of the way to the bits just "
                          "served. Small T: short-term fairness; large T: the device with the "
                          "best channel keeps the RBs longer. In [1, 1e6].",
                          DoubleValue(100),
                          MakeDoubleAccessor(&OfdmaProportionalFairScheduler::m_timeConstant),
                          MakeDoubleChecker<double>(1, 1e6));
    return tid;
}

OfdmaProportionalFairScheduler::OfdmaProportionalFairScheduler()
    : m_timeConstant(100)
{
}

OfdmaProportionalFairScheduler::~OfdmaProportionalFairScheduler() = default;

void
OfdmaProportionalFairScheduler::DoConfigure()
{
    m_average.assign(GetDeviceCount(), 1);
}

std::vector<uint32_t>
OfdmaProportionalFairScheduler::DoAllocate(const std::vector<OfdmaDemand>& demand, uint32_t free)
{
    size_t n = demand.size();
    std::vector<uint32_t> grant(n, 0);
    std::vector<size_t> order;
    for (size_t i = 0; i < n; ++i)
    {
        if (demand[i].active && demand[i].fixedRbs == 0 && demand[i].rbNeeded > 0)
        {
            order.push_back(i);
        }
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return demand[a].bitsPerRb / m_average[a] > demand[b].bitsPerRb / m_average[b];
    });
    for (size_t i : order)
    {
        grant[i] = std::min(free, demand[i].rbNeeded);
        free -= grant[i];
    }
    double alpha = 1.0 / m_timeConstant;
    for (size_t i = 0; i < n; ++i)
    {
        double served = grant[i] * demand[i].bitsPerRb;
        m_average[i] = std::max(1e-3, (1 - alpha) * m_average[i] + alpha * served);
    }
    return grant;
}

} // namespace edgellm
} // namespace ns3
