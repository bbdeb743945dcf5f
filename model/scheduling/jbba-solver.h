/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_JBBA_SOLVER_H
#define EDGE_LLM_JBBA_SOLVER_H

#include "lola-allocation-problem.h"

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Settings of JBBA's iterations.
 */
struct JbbaOptions
{
    uint32_t maxIterations{100}; //!< block-and-bandwidth iterations at most
};

/**
 * \ingroup edge-llm
 * \brief Joint bandwidth-and-block allocation (JBBA) of LoLa DEFT: which device fine-tunes
 * which block, and which share of the uplink band each involved device gets, so that the
 * slowest device's compute plus upload is least.
 *
 * The paper's formulation is not public; doc/lola-deft.rst gives the one reconstructed here.
 * Device-involvement variables z_k (a device gets band only when it holds a block) separate
 * the Lagrangian L + nu (sum_k z_k beta_k(L) - 1) of the problem "least L such that the
 * matched devices' shares fit the band", where beta_k(L) = r_k^-1(D_m / (L - T_k(m))) is the
 * least share with which device k finishes block m by L. Solve() alternates:
 * - block step, at the current latency target L: CRUNCH's cut (pairs with T_k(m) >= L or not
 *   fitting are out) and check (a matching remains), then the matching that minimises the
 *   Lagrangian at L for any price nu > 0, i.e. needs the least total share (the Hungarian
 *   method);
 * - bandwidth step: the KKT split of that matching (LolaBandwidthSplit::Split: every involved
 *   device finishes at the same time; closed form where the efficiency is capped), which gives
 *   the next target and the band's price nu.
 * The target never rises, and it stops falling exactly when no matching needs less than the
 * band at it, which is then the optimum (each beta_k(L) falls strictly with L). The price-only
 * dual ascent tried first (pairs buying shares at a common price, CRUNCH on the latencies
 * they give, the price following the band's overrun) stopped 1.6% above the optimum on
 * average and up to 9.5% on the test's 40 instances.
 *
 * SolveByBisection reaches the same optimum independently: bisection on L, each target
 * checked by the least-total-share matching.
 *
 * On a shared channel (LolaAllocationProblem::sharedChannel: Wi-Fi) there is no band to split:
 * Solve is the block step alone, SharedChannelMatcher::Match, which times each candidate's
 * overlapping uploads.
 */
class JbbaSolver
{
  public:
    /**
     * \param problem a problem Validate() accepts (NS_FATAL_ERROR otherwise)
     * \param options the iteration limit
     * \return the allocation, its iterations, the band's price and the last slack
     */
    static LolaAllocation Solve(const LolaAllocationProblem& problem, const JbbaOptions& options);

    /**
     * \param problem a problem Validate() accepts (NS_FATAL_ERROR otherwise)
     * \return the allocation of least latency (to a relative 1e-12), iterations = bisection
     * steps
     */
    static LolaAllocation SolveByBisection(const LolaAllocationProblem& problem);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_JBBA_SOLVER_H */
