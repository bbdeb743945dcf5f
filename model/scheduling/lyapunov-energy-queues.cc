/* SPDX-License-Identifier: GPL-2.0-only */
#include "lyapunov-energy-queues.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLyapunovEnergyQueues");

std::string
LyapunovEnergyQueues::Validate(const std::vector<double>& budgets)
{
    if (budgets.empty())
    {
        return "budgets: none given: need one energy budget per device";
    }
    for (uint32_t k = 0; k < budgets.size(); ++k)
    {
        if (!std::isfinite(budgets[k]) || budgets[k] <= 0)
        {
            std::ostringstream oss;
            oss << "energyBudget[" << k << "]=" << budgets[k]
                << " is invalid: must be a positive energy per round (J)";
            return oss.str();
        }
    }
    return "";
}

LyapunovEnergyQueues::LyapunovEnergyQueues(const std::vector<double>& budgets)
    : m_budgets(budgets),
      m_queues(budgets.size(), 0.0),
      m_used(budgets.size(), 0.0)
{
    const std::string problem = Validate(budgets);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
}

void
LyapunovEnergyQueues::Update(const std::vector<double>& energies)
{
    if (energies.size() != m_budgets.size())
    {
        NS_FATAL_ERROR("energies: " << energies.size() << " values for " << m_budgets.size()
                                    << " queues: need one per device");
    }
    for (uint32_t k = 0; k < energies.size(); ++k)
    {
        if (!std::isfinite(energies[k]) || energies[k] < 0)
        {
            NS_FATAL_ERROR("energies[" << k << "]=" << energies[k]
                                       << " is invalid: must be finite and >= 0");
        }
        m_queues[k] = std::max(m_queues[k] + energies[k] - m_budgets[k], 0.0);
        m_used[k] += energies[k];
    }
    ++m_rounds;
}

const std::vector<double>&
LyapunovEnergyQueues::GetQueues() const
{
    return m_queues;
}

double
LyapunovEnergyQueues::GetMaxQueue() const
{
    return *std::max_element(m_queues.begin(), m_queues.end());
}

double
LyapunovEnergyQueues::GetTimeAverageEnergy(uint32_t k) const
{
    return m_rounds == 0 ? 0.0 : m_used.at(k) / m_rounds;
}

uint32_t
LyapunovEnergyQueues::GetRounds() const
{
    return m_rounds;
}

const std::vector<double>&
LyapunovEnergyQueues::GetBudgets() const
{
    return m_budgets;
}

} // namespace edgellm
} // namespace ns3
