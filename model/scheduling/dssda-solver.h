/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_DSSDA_SOLVER_H
#define EDGE_LLM_DSSDA_SOLVER_H

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
 * \brief Tuning of the DSSDA solver; the defaults are what the tests and the benchmark use.
 */
struct DssdaOptions
{
    uint32_t maxAlternations = 4;   //!< partition <-> (w, p) rounds per micro-batch count
    uint32_t maxLabels = 16;        //!< Pareto labels kept per DP state (exact when not reached)
    double labelWorkBudget = 2e6;   //!< label extensions per DP; lowers the label cap on big K
    uint32_t fixedMicroBatches = 0; //!< 0: search M; otherwise use this M ("fixed-microbatch")
    uint32_t targetIterations = 12; //!< golden-section steps per latency target (final solve)
    /// golden-section steps per latency target while M and the partition are searched; the
    /// winner is then re-solved with targetIterations
    uint32_t searchTargetIterations = 4;
    /// golden-section steps per latency target of the winner's final solve on clusters of
    /// more than localSearchMaxDevices, inside the brackets its search left (the best targets
    /// +- 0.618^searchTargetIterations of the range): a resolution of 2 x 0.618^(4 + 7) of the
    /// range at the defaults, against 0.618^12 for targetIterations steps over the whole range,
    /// in less than half the solves (the benchmark's objectives agree within 0.02%)
    uint32_t finalTargetIterations = 7;
    uint32_t muIterations = 12; //!< bisection steps on the bandwidth multiplier
    /// after the alternation, a local search on the best plan (its partition with another
    /// micro-batch count, moves of one or two blocks between segments, each with a radio
    /// re-solve) while that improves, on clusters of at most this many devices
    uint32_t localSearchMaxDevices = 6;
    /// on clusters of more than localSearchMaxDevices, only the micro-batch counts whose first
    /// plan is within this fraction of the best first plan keep alternating
    double screenMargin = 0.02;
    /// a device may hold no block when that lowers the objective: it idles this round (no
    /// compute, no transfer, no upload, no bandwidth) and the pipeline skips it; false keeps
    /// every device in the pipeline with at least one block
    bool allowIdleDevices = true;
};

/**
 * \ingroup edge-llm
 * \brief Where a radio solve found its best latency targets, so that a finer solve of the same
 * partition and M can search around them instead of over the whole range.
 */
struct RadioTargets
{
    bool valid = false; //!< false: no targets (search the whole range)
    double logT1 = 0;   //!< log of the pipeline-bottleneck target (s); +inf when unused
    double logT2 = 0;   //!< log of the upload target (s)
    double spanT1 = 0;  //!< half-width of the log t1 bracket that still holds the optimum
    double spanT2 = 0;  //!< half-width of the log t2 bracket that still holds the optimum
};

/**
 * \ingroup edge-llm
 * \brief The DSSDA per-round optimizer of CollaPipe (this module's formulation) and the
 * partitions of its baselines, all evaluated with CollaPipeRoundModel. The schedulers a
 * strategy selects by TypeId (DssdaScheduler, EvenSplitScheduler, ...) call it.
 *
 * For every candidate micro-batch count M (a one-dimensional search), DSSDA alternates:
 *  - partition: for fixed M and rates, a dynamic program over contiguous partitions whose
 *    labels are Pareto sets of (additive cost, pipeline bottleneck, upload bottleneck); the
 *    additive part (per-device latency and queue-weighted energy) and the two maxima are
 *    combined only at the end, so the DP is exact while the label cap is not reached;
 *  - bandwidth and power: for fixed partition and M, latency targets t1 (pipeline bottleneck)
 *    and t2 (upload) by golden-section search; given the targets, a Lagrange multiplier on
 *    sum w <= 1 found by bisection; given the multiplier, each device's problem in
 *    (w, x = p / w) has a closed-form w and a one-dimensional search on x (KKT);
 * from equal bandwidth and maximum power, until the objective stops improving; then, on small
 * clusters, a local search that moves one block at a time between segments with a radio
 * re-solve (the alternation alone can stop in a local optimum of the joint problem).
 */
class DssdaSolver
{
  public:
    /** \param options solver tuning */
    explicit DssdaSolver(const DssdaOptions& options = DssdaOptions());

    /**
     * \brief DSSDA (with options.fixedMicroBatches when non-zero).
     * \param model the round
     * \return the decision; infeasible with the best candidate's shortfall when nothing fits
     */
    CollaPipeDecision Decide(const CollaPipeRoundModel& model) const;

    /**
     * \brief The partition step: best memory-feasible contiguous partition for fixed M and
     * (w, p).
     * \param model the round
     * \param m micro-batches
     * \param share w_k
     * \param powerW p_k
     * \param[out] sizes blocks per device
     * \return false when no partition fits in memory
     */
    bool OptimizePartition(const CollaPipeRoundModel& model,
                           uint32_t m,
                           const std::vector<double>& share,
                           const std::vector<double>& powerW,
                           std::vector<uint32_t>& sizes) const;

    /**
     * \brief The bandwidth / power step for a fixed partition and M. Keeps the input when it
     * finds nothing better.
     * \param model the round
     * \param sizes blocks per device (0 = idle: gets no bandwidth)
     * \param m micro-batches
     * \param[in,out] share w_k
     * \param[in,out] powerW p_k
     * \param targetIterations golden-section steps per latency target
     * \param[in,out] targets when not null: in, if valid, the brackets to search (around an
     * earlier solve's best targets); out, where this solve found its best (valid only when it
     * improved on the input plan)
     */
    void OptimizeRadio(const CollaPipeRoundModel& model,
                       const std::vector<uint32_t>& sizes,
                       uint32_t m,
                       std::vector<double>& share,
                       std::vector<double>& powerW,
                       uint32_t targetIterations,
                       RadioTargets* targets = nullptr) const;

    /**
     * \brief The radio step on shared airtime: each active device's power level by coordinate
     * descent on the objective (the shares are not a decision there).
     * \param model the round (CollaPipeMedium::SHARED_AIRTIME)
     * \param sizes the partition
     * \param m micro-batches
     * \param share the shares (passed through)
     * \param[in,out] powerW the start, then the powers found
     */
    static void OptimizeSharedPowers(const CollaPipeRoundModel& model,
                                     const std::vector<uint32_t>& sizes,
                                     uint32_t m,
                                     const std::vector<double>& share,
                                     std::vector<double>& powerW);

    /**
     * \brief Why nothing fits: the partition and M that minimize the largest shortfall.
     * \param model the round
     * \return e.g. "no partition fits in memory for any M; closest: device 1 (jetson-nano)
     * needs ... short by N bytes", or "" when some partition fits
     */
    static std::string DiagnoseInfeasible(const CollaPipeRoundModel& model);

    /**
     * \param model the round
     * \return the even split (first L mod K devices one block more)
     */
    static std::vector<uint32_t> EvenSizes(const CollaPipeRoundModel& model);

    /**
     * \param model the round
     * \return sizes proportional to achieved FLOP/s, each >= 1 (largest remainder)
     */
    static std::vector<uint32_t> ComputeProportionalSizes(const CollaPipeRoundModel& model);

    /**
     * \brief A lower bound of the objective of any decision with \p m micro-batches that
     * ignores the radio (used to skip hopeless M).
     * \param model the round
     * \param m micro-batches
     * \return the bound
     */
    static double RadioFreeBound(const CollaPipeRoundModel& model, uint32_t m);

    /**
     * \brief The best micro-batch count for a fixed partition and radio plan.
     * \param model the round
     * \param name the scheduler name the decision carries
     * \param sizes blocks per device
     * \param share w_k
     * \param powerW p_k
     * \return the best decision over the model's micro-batch candidates
     */
    static CollaPipeDecision BestMicroBatches(const CollaPipeRoundModel& model,
                                              const std::string& name,
                                              const std::vector<uint32_t>& sizes,
                                              const std::vector<double>& share,
                                              const std::vector<double>& powerW);

    /**
     * \param model the round
     * \return every device's maximum transmit power (W)
     */
    static std::vector<double> MaxPowers(const CollaPipeRoundModel& model);

    /**
     * \param model the round
     * \return 1/K for each of the K devices
     */
    static std::vector<double> EqualShares(const CollaPipeRoundModel& model);

    /**
     * \brief The standalone baseline: the strongest device that can hold the whole stack for
     * some M trains alone with all the bandwidth.
     * \param model the round
     * \return its decision; infeasible (with the strongest device's shortfall) when none can
     */
    static CollaPipeDecision Standalone(const CollaPipeRoundModel& model);

  private:
    DssdaOptions m_options; //!< solver tuning
};

/**
 * \brief True when a is a better decision than b: feasible first, then lower objective.
 * \param a a decision
 * \param b another
 * \return whether a is preferred
 */
bool IsBetterDecision(const CollaPipeDecision& a, const CollaPipeDecision& b);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_DSSDA_SOLVER_H */
