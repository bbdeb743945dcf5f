/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LYAPUNOV_ENERGY_QUEUES_H
#define EDGE_LLM_LYAPUNOV_ENERGY_QUEUES_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Per-device Lyapunov virtual energy queues: Q_k(t+1) = max(Q_k(t) + e_k(t) - ebar_k, 0).
 *
 * A queue grows while a device spends more than its time-average budget; the drift-plus-penalty
 * objective weighs each device's energy by its queue, which steers later rounds back under
 * budget (Neely, "Stochastic Network Optimization with Application to Communication and
 * Queueing Systems", 2010).
 */
class LyapunovEnergyQueues
{
  public:
    /**
     * \param budgets ebar_k in J per round
     * \return "" when every budget is positive and finite, otherwise the problem
     */
    static std::string Validate(const std::vector<double>& budgets);

    /**
     * \brief Queues start at 0; NS_FATAL_ERROR with the Validate() message on bad budgets.
     * \param budgets ebar_k in J per round
     */
    explicit LyapunovEnergyQueues(const std::vector<double>& budgets);

    /**
     * \brief Apply one round's energies.
     * \param energies e_k(t) in J, one per device, >= 0 (NS_FATAL_ERROR otherwise)
     */
    void Update(const std::vector<double>& energies);

    /** \return Q_k(t) */
    const std::vector<double>& GetQueues() const;
    /** \return the largest queue */
    double GetMaxQueue() const;
    /** \param k device \return energy used so far divided by the rounds applied (0 before any) */
    double GetTimeAverageEnergy(uint32_t k) const;
    /** \return the rounds applied */
    uint32_t GetRounds() const;
    /** \return ebar_k */
    const std::vector<double>& GetBudgets() const;

  private:
    std::vector<double> m_budgets; //!< ebar_k
    std::vector<double> m_queues;  //!< Q_k
    std::vector<double> m_used;    //!< energy used so far
    uint32_t m_rounds = 0;         //!< rounds applied
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LYAPUNOV_ENERGY_QUEUES_H */
