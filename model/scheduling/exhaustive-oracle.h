/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EXHAUSTIVE_ORACLE_H
#define EDGE_LLM_EXHAUSTIVE_ORACLE_H

#include "collapipe-round-model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup edge-llm
 * \brief Solves the CollaPipe per-round objective by enumeration, for small instances.
 *
 * Every candidate M and every contiguous partition into K non-empty segments that fits in
 * memory is tried; for each, bandwidth shares and powers come from a derivative-free pattern
 * search (coordinate, pairwise-bandwidth and joint-power moves with a shrinking step, from
 * three starting points): a method independent of DSSDA's KKT / golden-section solver.
 * Partitions whose radio-free lower bound (compute latency and compute energy) cannot beat
 * the incumbent are skipped, which does not change the result.
 */
class ExhaustiveOracle
{
  public:
    /**
     * \param model the round
     * \return "" when small enough (K <= 6, L <= 16), otherwise the problem
     */
    static std::string Validate(const CollaPipeRoundModel& model);

    /**
     * \param model the round; NS_FATAL_ERROR with the Validate() message when too large
     * \param[out] evaluated when not null, the (partition, M) pairs whose radio problem was
     * solved (after pruning)
     * \return the best decision found (infeasible when no partition fits)
     */
    static CollaPipeDecision Solve(const CollaPipeRoundModel& model, uint32_t* evaluated = nullptr);

    /**
     * \brief The radio subproblem alone, by pattern search.
     * \param model the round
     * \param sizes blocks per device
     * \param m micro-batches
     * \param[out] share w_k
     * \param[out] powerW p_k
     * \return the objective reached
     */
    static double SolveRadio(const CollaPipeRoundModel& model,
                             const std::vector<uint32_t>& sizes,
                             uint32_t m,
                             std::vector<double>& share,
                             std::vector<double>& powerW);
};

} // namespace ns3

#endif /* EDGE_LLM_EXHAUSTIVE_ORACLE_H */
