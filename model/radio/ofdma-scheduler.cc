/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-scheduler.h"

#include "ns3/double.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaScheduler");
NS_OBJECT_ENSURE_REGISTERED(OfdmaScheduler);

TypeId
OfdmaScheduler::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OfdmaScheduler")
                            .SetParent<Object>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<OfdmaScheduler>()
                            .AddAttribute("PfTimeConstantSlots",
                                          "Time constant (slots) of the proportional fair average",
                                          DoubleValue(100),
                                          MakeDoubleAccessor(&OfdmaScheduler::m_pfTimeConstant),
                                          MakeDoubleChecker<double>(1));
    return tid;
}

OfdmaScheduler::OfdmaScheduler()
    : m_policy("shares"),
      m_resourceBlocks(0),
      m_next(0),
      m_pfTimeConstant(100)
{
}

std::string
OfdmaScheduler::CheckSchedulerName(const std::string& name)
{
    if (name == "shares" || name == "pf" || name == "rr")
    {
        return "";
    }
    return "scheduler='" + name + "' is not known; allowed: shares, pf, rr";
}

std::string
OfdmaScheduler::CheckShares(const std::vector<double>& shares)
{
    double sum = 0;
    for (size_t i = 0; i < shares.size(); ++i)
    {
        double s = shares[i];
        if (std::isnan(s))
        {
            continue;
        }
        if (!std::isfinite(s) || s < 0 || s > 1)
        {
            std::ostringstream message;
            message << "share=" << s << " of device " << i << " is invalid: must be in [0, 1]";
            return message.str();
        }
        sum += s;
    }
    if (sum > 1 + 1e-9)
    {
        std::ostringstream message;
        message << "shares sum to " << sum << " is invalid: must be at most 1";
        return message.str();
    }
    return "";
}

void
OfdmaScheduler::SetPolicy(const std::string& name)
{
    std::string problem = CheckSchedulerName(name);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_policy = name;
}

std::string
OfdmaScheduler::GetPolicy() const
{
    return m_policy;
}

void
OfdmaScheduler::Configure(uint32_t devices, uint32_t resourceBlocks)
{
    m_resourceBlocks = resourceBlocks;
    m_shares.assign(devices, std::numeric_limits<double>::quiet_NaN());
    m_credit.assign(devices, 0);
    m_average.assign(devices, 1);
    m_next = 0;
}

void
OfdmaScheduler::SetShares(const std::vector<double>& shares)
{
    std::string problem = CheckShares(shares);
    if (problem.empty() && shares.size() != m_shares.size())
    {
        problem = "shares has " + std::to_string(shares.size()) +
                  " entries: must have one per device (" + std::to_string(m_shares.size()) + ")";
    }
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_shares = shares;
}

std::vector<double>
OfdmaScheduler::GetEffectiveShares() const
{
    double set = 0;
    uint32_t unset = 0;
    for (double s : m_shares)
    {
        if (std::isnan(s))
        {
            ++unset;
        }
        else
        {
            set += s;
        }
    }
    double rest = unset > 0 ? std::max(0.0, 1 - set) / unset : 0;
    std::vector<double> effective;
    for (double s : m_shares)
    {
        effective.push_back(std::isnan(s) ? rest : s);
    }
    return effective;
}

std::vector<uint32_t>
OfdmaScheduler::Allocate(const std::vector<OfdmaDemand>& demand)
{
    NS_ABORT_MSG_IF(demand.size() != m_credit.size(),
                    "OfdmaScheduler::Allocate: " << demand.size() << " demands for "
                                                 << m_credit.size() << " devices");
    // HARQ retransmissions first, with their original RB count.
    std::vector<uint32_t> grant(demand.size(), 0);
    uint32_t free = m_resourceBlocks;
    for (size_t i = 0; i < demand.size(); ++i)
    {
        if (demand[i].active && demand[i].fixedRbs > 0)
        {
            grant[i] = std::min(demand[i].fixedRbs, free);
            free -= grant[i];
        }
    }
    std::vector<uint32_t> more;
    if (m_policy == "shares")
    {
        more = AllocateShares(demand, free);
    }
    else if (m_policy == "rr")
    {
        more = AllocateRoundRobin(demand, free);
    }
    else
    {
        more = AllocateProportionalFair(demand, free);
    }
    for (size_t i = 0; i < demand.size(); ++i)
    {
        grant[i] += more[i];
    }
    return grant;
}

std::vector<uint32_t>
OfdmaScheduler::AllocateShares(const std::vector<OfdmaDemand>& demand, uint32_t free)
{
    std::vector<double> share = GetEffectiveShares();
    std::vector<uint32_t> grant(demand.size(), 0);
    uint32_t total = 0;
    for (size_t i = 0; i < demand.size(); ++i)
    {
        if (!demand[i].active || demand[i].fixedRbs > 0)
        {
            // An idle device does not bank credit for later bursts.
            m_credit[i] = 0;
            continue;
        }
        m_credit[i] += share[i] * m_resourceBlocks;
        uint32_t whole = static_cast<uint32_t>(std::floor(m_credit[i] + 1e-9));
        grant[i] = std::min(whole, demand[i].rbNeeded);
        m_credit[i] = grant[i] < whole ? 0 : m_credit[i] - grant[i];
        total += grant[i];
    }
    // Carried fractions can round the sum above the free RBs: take the excess back from the
    // largest grants (their credit keeps it for the next slot).
    while (total > free)
    {
        size_t largest = std::max_element(grant.begin(), grant.end()) - grant.begin();
        grant[largest]--;
        m_credit[largest] += 1;
        total--;
    }
    return grant;
}

std::vector<uint32_t>
OfdmaScheduler::AllocateRoundRobin(const std::vector<OfdmaDemand>& demand, uint32_t free)
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

std::vector<uint32_t>
OfdmaScheduler::AllocateProportionalFair(const std::vector<OfdmaDemand>& demand, uint32_t free)
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
    double alpha = 1.0 / m_pfTimeConstant;
    for (size_t i = 0; i < n; ++i)
    {
        double served = grant[i] * demand[i].bitsPerRb;
        m_average[i] = std::max(1e-3, (1 - alpha) * m_average[i] + alpha * served);
    }
    return grant;
}

} // namespace edgellm
} // namespace ns3
