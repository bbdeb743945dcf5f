/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_GALAXY_PLANNING_PROBLEM_H
#define EDGE_LLM_GALAXY_PLANNING_PROBLEM_H

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A Galaxy split of one Transformer layer over the devices: attention heads and FFN
 * column units under tensor parallelism, tokens of the connective blocks under sequence
 * parallelism. Each list has one entry per device; a device may hold none of a kind.
 */
struct GalaxyPlan
{
    std::vector<uint32_t> heads;  //!< attention heads per device (sum: the model's heads)
    std::vector<uint32_t> units;  //!< FFN column units per device (sum: the layer's units)
    std::vector<uint32_t> tokens; //!< tokens per device in the connective blocks (sum: s)
    double attentionSeconds{0};   //!< the slowest device's attention
    double mlpSeconds{0};         //!< the slowest device's MLP
    double connectiveSeconds{0};  //!< the slowest device's connective block (one of the two)
    double collectiveSeconds{0};  //!< one ReduceScatter plus one AllGather in the ring
    /// the layer: attention + MLP + 2 x (collectives + connective); infinity when infeasible
    double layerSeconds{std::numeric_limits<double>::infinity()};

    /** \return whether the plan is feasible */
    bool IsFeasible() const;
    /** \return "heads 6,4,2 units 20,12,0 tokens 48,40,40: 0.0123 s", for logs and tests */
    std::string ToString() const;
};

/**
 * \ingroup edge-llm
 * \brief What the Galaxy planner optimises: the costs of one Transformer layer split over
 * heterogeneous devices, given by the caller (a model and a fleet in the Galaxy cost model,
 * random instances in the tests).
 *
 * Per layer, Galaxy runs attention under tensor parallelism (each device its heads), a
 * ReduceScatter over the sequence, the connective block (residual, layer norm) under sequence
 * parallelism (each device its tokens), an AllGather; then the MLP under tensor parallelism
 * (each device its FFN columns), a ReduceScatter, the connective block, an AllGather. Every
 * collective synchronises the devices, so the layer takes
 *
 *   T = max_i A_i(h_i) + max_i M_i(c_i) + 2 (R(t) + max_i C_i(t_i))
 *
 * with A, M and C each device's attention, MLP and connective times and R the time of one
 * ReduceScatter plus one AllGather of the token split t in the ring of the devices that have
 * tokens (the others stay out, and hold no heads or columns either). Memory couples heads and
 * columns: a device must hold the weights of both (Fits).
 */
class GalaxyPlanningProblem
{
  public:
    virtual ~GalaxyPlanningProblem();

    /** \return devices (> 0) */
    virtual uint32_t GetDeviceCount() const = 0;
    /** \return attention heads of the layer (> 0) */
    virtual uint32_t GetHeads() const = 0;
    /** \return FFN column units of the layer (> 0): d_ff / the column granule */
    virtual uint32_t GetUnits() const = 0;
    /** \return tokens of the sequence (> 0) */
    virtual uint32_t GetTokens() const = 0;
    /**
     * \param device a device
     * \param heads heads it computes
     * \return seconds of its attention (0 for 0 heads; non-decreasing in heads)
     */
    virtual double GetAttentionSeconds(uint32_t device, uint32_t heads) const = 0;
    /**
     * \param device a device
     * \param units FFN column units it computes
     * \return seconds of its MLP (0 for 0 units; non-decreasing in units)
     */
    virtual double GetMlpSeconds(uint32_t device, uint32_t units) const = 0;
    /**
     * \param device a device
     * \param tokens tokens it processes
     * \return seconds of its connective block (0 for 0 tokens; non-decreasing in tokens)
     */
    virtual double GetConnectiveSeconds(uint32_t device, uint32_t tokens) const = 0;
    /**
     * \param tokens the token split over the ring's members, in device order: the devices
     * with tokens (a device without leaves the ring, so it may hold no heads or columns
     * either; one member alone needs no collective)
     * \return seconds of one ReduceScatter plus one AllGather in their ring. The planner
     * assumes it does not grow when the largest share shrinks at an equal sum and member count
     * (true of a ring on equal links, where each step waits for the largest chunk, and of a
     * shared channel, where only the sum counts); the oracle uses it as given.
     */
    virtual double GetCollectiveSeconds(const std::vector<uint32_t>& tokens) const = 0;
    /**
     * \param device a device
     * \param heads heads it holds
     * \param units FFN column units it holds
     * \return whether its memory holds them (monotone: fewer of either fit too)
     */
    virtual bool Fits(uint32_t device, uint32_t heads, uint32_t units) const = 0;

    /**
     * \brief Cost a split: fill the plan's times and layer time (infinity if a device's
     * memory does not hold its share, or a device with heads or columns has no tokens).
     * \param plan the split; its lists must have one entry per device and the right sums
     * (NS_FATAL_ERROR otherwise: a caller's mistake)
     */
    void Evaluate(GalaxyPlan& plan) const;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_PLANNING_PROBLEM_H */
