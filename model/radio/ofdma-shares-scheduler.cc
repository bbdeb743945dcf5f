/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-shares-scheduler.h"

#include "ns3/boolean.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaSharesScheduler");
NS_OBJECT_ENSURE_REGISTERED(OfdmaSharesScheduler);

TypeId
OfdmaSharesScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OfdmaSharesScheduler")
            .SetParent<OfdmaScheduler>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<OfdmaSharesScheduler>()
            .AddAttribute("WorkConserving",
                          "RBs the shares leave unused (idle devices, short "
                          "queues, shares summing below 1) go to the devices "
                          "that still have data, in proportion to their "
                          "shares; false leaves them idle (a strict partition).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&OfdmaSharesScheduler::m_workConserving),
                          MakeBooleanChecker());
    return tid;
}

OfdmaSharesScheduler::OfdmaSharesScheduler() = default;

OfdmaSharesScheduler::~OfdmaSharesScheduler() = default;

std::string
OfdmaSharesScheduler::CheckShares(const std::vector<double>& shares)
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

std::vector<double>
OfdmaSharesScheduler::ComputeEffectiveShares(const std::vector<double>& shares)
{
    double set = 0;
    uint32_t unset = 0;
    for (double s : shares)
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
    for (double s : shares)
    {
        effective.push_back(std::isnan(s) ? rest : s);
    }
    return effective;
}

void
OfdmaSharesScheduler::DoConfigure()
{
    m_shares.assign(GetDeviceCount(), std::numeric_limits<double>::quiet_NaN());
    m_credit.assign(GetDeviceCount(), 0);
}

void
OfdmaSharesScheduler::SetShares(const std::vector<double>& shares)
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
OfdmaSharesScheduler::GetShares() const
{
    return m_shares;
}

std::vector<double>
OfdmaSharesScheduler::GetEffectiveShares() const
{
    return ComputeEffectiveShares(m_shares);
}

bool
OfdmaSharesScheduler::IsWorkConserving() const
{
    return m_workConserving;
}

std::vector<uint32_t>
OfdmaSharesScheduler::DoAllocate(const std::vector<OfdmaDemand>& demand, uint32_t free)
{
    const uint32_t resourceBlocks = GetResourceBlockCount();
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
        m_credit[i] += share[i] * resourceBlocks;
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
    if (!m_workConserving)
    {
        return grant;
    }
    // Work conservation: hand what is left to the devices that still have data, in proportion
    // to their shares (equally when those are all 0), without touching their credit.
    uint32_t left = free - total;
    while (left > 0)
    {
        std::vector<size_t> wanting;
        double weight = 0;
        for (size_t i = 0; i < demand.size(); ++i)
        {
            if (demand[i].active && demand[i].fixedRbs == 0 && grant[i] < demand[i].rbNeeded)
            {
                wanting.push_back(i);
                weight += share[i];
            }
        }
        if (wanting.empty())
        {
            break;
        }
        uint32_t given = 0;
        for (size_t i : wanting)
        {
            const double part = weight > 0 ? share[i] / weight : 1.0 / wanting.size();
            const uint32_t extra = std::min(static_cast<uint32_t>(std::floor(part * left + 1e-9)),
                                            demand[i].rbNeeded - grant[i]);
            grant[i] += extra;
            given += extra;
        }
        if (given == 0)
        {
            // fewer RBs than devices wanting them: one each, in a rotating order across slots
            for (size_t n = 0; n < demand.size() && given < left; ++n)
            {
                const size_t i = (m_rotation + n) % demand.size();
                if (demand[i].active && demand[i].fixedRbs == 0 && grant[i] < demand[i].rbNeeded)
                {
                    grant[i]++;
                    given++;
                }
            }
            m_rotation = (m_rotation + 1) % demand.size();
        }
        left -= given;
    }
    return grant;
}

} // namespace edgellm
} // namespace ns3
