/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_PLANNING_PROBLEM_H
#define EDGE_LLM_PAC_PLANNING_PROBLEM_H

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
 * \brief One pipeline stage of a PAC plan: a contiguous range of layers held by a group of
 * devices that share each micro-batch (data parallelism inside the stage).
 */
struct PacStage
{
    uint32_t firstLayer{0};        //!< first layer of the stage
    uint32_t lastLayer{0};         //!< last layer (inclusive)
    std::vector<uint32_t> devices; //!< the group, ascending device index
    std::vector<uint32_t> samples; //!< per device of the group: samples of each micro-batch
    uint32_t inFlight{1};          //!< micro-batches whose activations the stage holds at once
    double computeSeconds{0};      //!< per micro-batch: the slowest device's forward + backward
    double boundarySeconds{0};     //!< per micro-batch: tensors to the next stage and back
    double syncSeconds{0};         //!< per step: the group's gradient AllReduce and update
};

/**
 * \ingroup edge-llm
 * \brief A PAC plan of one training step: micro-batches and stages (one stage: pure data
 * parallelism; one device per stage: pure pipeline parallelism).
 */
struct PacPlan
{
    uint32_t microBatches{0};     //!< M: micro-batches per step (0: no feasible plan)
    std::vector<PacStage> stages; //!< in pipeline order
    double stepSeconds{std::numeric_limits<double>::infinity()}; //!< the planner's objective

    /** \return whether the plan holds a feasible step */
    bool IsFeasible() const;
    /** \return "M=4 [0-5]{0,1}x(4,4) [6-11]{2}x(8)", one line for logs and tests */
    std::string ToString() const;
};

/**
 * \ingroup edge-llm
 * \brief What the PAC planner optimises: the costs of a step of hybrid data + pipeline
 * parallel training, given by the caller (a workload and fleet in PacCostModel, random
 * instances in the tests).
 *
 * The step time of a plan with stage times t_s, boundary times c_b and synchronisation times
 * y_s under M micro-batches is the pipeline makespan estimate of PipeDream and its successors,
 * every boundary being a stage of its own:
 *
 *   T = sum_s t_s + sum_b c_b + (M - 1) max(max_s t_s, max_b c_b) + sum_s y_s
 *
 * (the synchronisations add up: on a shared medium the groups' AllReduces do not overlap).
 */
class PacPlanningProblem
{
  public:
    virtual ~PacPlanningProblem();

    /** \return layers to split (> 0) */
    virtual uint32_t GetLayerCount() const = 0;
    /** \return devices that may take part (> 0) */
    virtual uint32_t GetDeviceCount() const = 0;
    /** \return samples per step (B > 0) */
    virtual uint32_t GetBatchSize() const = 0;

    /**
     * \param device a device
     * \return its class: devices of one class have the same costs everywhere, so the planner
     * may treat them as interchangeable (the default: every device its own class)
     */
    virtual uint32_t GetDeviceClass(uint32_t device) const;

    /**
     * \param device a device
     * \param first first layer
     * \param last last layer (inclusive)
     * \param samples samples of one micro-batch on this device (> 0)
     * \return seconds of its forward and backward of the layers (non-decreasing in samples)
     */
    virtual double GetComputeSeconds(uint32_t device,
                                     uint32_t first,
                                     uint32_t last,
                                     uint32_t samples) const = 0;

    /**
     * \param device a device
     * \param first first layer
     * \param last last layer (inclusive)
     * \param samples samples of one micro-batch on this device (> 0)
     * \param inFlight micro-batches whose activations it holds at once
     * \param microBatches micro-batches of the step
     * \return whether the device's memory holds the stage (monotone: fewer samples fit too)
     */
    virtual bool Fits(uint32_t device,
                      uint32_t first,
                      uint32_t last,
                      uint32_t samples,
                      uint32_t inFlight,
                      uint32_t microBatches) const = 0;

    /**
     * \param last the last layer before the boundary
     * \param samples samples of one micro-batch
     * \return seconds to move their tensors across the boundary forward and backward
     */
    virtual double GetBoundarySeconds(uint32_t last, uint32_t samples) const = 0;

    /**
     * \param first first layer of a stage
     * \param last last layer (inclusive)
     * \param groupSize devices of its group
     * \return seconds of the group's per-step gradient AllReduce and parameter update
     */
    virtual double GetSyncSeconds(uint32_t first, uint32_t last, uint32_t groupSize) const = 0;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_PLANNING_PROBLEM_H */
