/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EXHAUSTIVE_ORACLE_H
#define EDGE_LLM_EXHAUSTIVE_ORACLE_H

#include "collapipe-round-model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Solves the CollaPipe per-round objective by enumeration, for small instances.
 *
 * Every candidate M and every contiguous partition into K non-empty segments that fits in
 * memory is tried, so the combinatorial part is exact. For each (partition, M) the bandwidth
 * shares w_k and powers p_k are the solution of a convex program, solved to a certified
 * relative duality gap:
 *
 * - In the variables (log w_k, log x_k) with x_k = p_k / w_k, the rate is
 *   r_k = w_k rho_k(x_k), rho_k(x) = s_k W min(log2(1 + g_k x / (Gamma N0 W)), eta_max), and
 *   log rho_k is concave in log x (log log(1 + c e^u) is concave). Every radio-dependent term
 *   of the objective (transfer time D/r, upload time P/r, energy b p / r = b x / rho) is then
 *   log-convex, hence convex; the two maxima (pipeline bottleneck, upload) become the
 *   epigraph variables log T1, log T2 with convex constraints log(D/r) <= log T1; the band
 *   constraint log(sum w) <= 0 is convex and the power limit log w + log x <= log pmax linear.
 *   Above the spectral-efficiency cap a larger x only costs power, so log x <= log x_cap is
 *   added without loss and the program is smooth.
 * - It is solved by a primal log-barrier interior-point method with damped Newton steps
 *   (Boyd and Vandenberghe, Convex Optimization, 2004, section 11.3), the barrier weight t
 *   raised by 16 until the duality gap bound m / t (m inequality constraints) is below
 *   1e-9 of the radio cost. A convex program has no local optima other than the global one,
 *   so no starting point can trap it, and m / t bounds the distance to the optimum (up to the
 *   centering error, which the Newton-decrement stop keeps below 1e-8 / t). The band the
 *   barrier leaves unused is then shared out in proportion, which only raises every rate.
 *
 * DSSDA relies on the same convexity (a property of the problem), but not on this algorithm:
 * no Lagrangian decomposition of the band, no latency-target search, no per-device line
 * search, no alternation with the partition. The test suite also checks the result without
 * assuming convexity (random local and global perturbations never improve it).
 *
 * The (partition, M) pairs are visited in increasing order of a lower bound on their
 * objective and the scan stops at the first bound that cannot beat the incumbent, which does
 * not change the result. The bound: compute latency and energy, every radio time at the
 * device's largest rate (all the band at full power) and the radio energy at its least energy
 * per bit (the limit p -> 0 of p / r).
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
     * \param allowIdleDevices whether a device may hold no block (as DssdaOptions)
     * \return the best decision found (infeasible when no partition fits)
     */
    static CollaPipeDecision Solve(const CollaPipeRoundModel& model,
                                   uint32_t* evaluated = nullptr,
                                   bool allowIdleDevices = true);

    /**
     * \brief The radio subproblem alone (shares and powers for a fixed partition and M), by
     * the barrier method described above.
     * \param model the round
     * \param sizes blocks per device (0 = idle: share 0, maximum power)
     * \param m micro-batches, a candidate
     * \param[out] share w_k, sum <= 1
     * \param[out] powerW p_k, 0 < p_k <= pmax_k
     * \param[out] gapBound when not null, the certified bound on how far the returned radio
     * cost may be above the subproblem's optimum (in objective units)
     * \return the full objective of the returned decision (as CollaPipeRoundModel::Evaluate)
     */
    static double SolveRadio(const CollaPipeRoundModel& model,
                             const std::vector<uint32_t>& sizes,
                             uint32_t m,
                             std::vector<double>& share,
                             std::vector<double>& powerW,
                             double* gapBound = nullptr);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EXHAUSTIVE_ORACLE_H */
