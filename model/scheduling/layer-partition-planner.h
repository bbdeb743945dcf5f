/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LAYER_PARTITION_PLANNER_H
#define EDGE_LLM_LAYER_PARTITION_PLANNER_H

#include <cstdint>
#include <limits>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A layer-wise partition of identical Transformer layers into a pipeline of devices,
 * for the latency of one request (EdgeShard-style): device i runs n_i consecutive layers
 * (n_i at most its memory's cap), the stages run one after another, and every stage after the
 * first costs a hop (the activations' transfer). With one rate between every pair of devices
 * the order of the stages does not change the latency, so the problem is
 *
 *   minimise sum_i n_i c_i + (stages - 1) hop + (stages > 1 ? loop : 0)
 *   subject to sum_i n_i = L, 0 <= n_i <= cap_i,
 *
 * with c_i the time of one layer on device i and loop a cost paid once when there is more than
 * one stage (a generated token's return to the first stage). Solve is a dynamic program over
 * devices and layers placed, O(D L^2), exact.
 */
class LayerPartitionPlanner
{
  public:
    /// The problem.
    struct Problem
    {
        uint32_t layers{0};               //!< L (> 0)
        std::vector<double> layerSeconds; //!< c_i per device (>= 0, finite)
        std::vector<uint32_t> capacity;   //!< cap_i per device: layers its memory holds
        double hopSeconds{0};             //!< per stage after the first (>= 0)
        double loopSeconds{0};            //!< once, when there are two stages or more (>= 0)
    };

    /// The partition.
    struct Partition
    {
        std::vector<uint32_t> layers; //!< n_i per device (empty: no partition fits)
        /// the objective; infinity when no partition fits
        double seconds{std::numeric_limits<double>::infinity()};
        /** \return whether a partition fits */
        bool IsFeasible() const;
    };

    /**
     * \param problem the problem (its vectors of equal, positive size; NS_FATAL_ERROR
     * otherwise)
     * \return the partition of least latency (among equals, the one with fewer stages, then
     * more layers on lower devices), or an infeasible one when the caps sum to less than L
     */
    static Partition Solve(const Problem& problem);

    /**
     * \param problem the problem
     * \param layers n_i per device
     * \return the objective of that partition (infinity if it breaks a cap or the sum)
     */
    static double Evaluate(const Problem& problem, const std::vector<uint32_t>& layers);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LAYER_PARTITION_PLANNER_H */
