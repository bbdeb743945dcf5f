/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_ANALYTIC_COMPUTE_MODEL_H
#define EDGE_LLM_ANALYTIC_COMPUTE_MODEL_H

#include "compute-model.h"

#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Roofline compute model.
 *
 * time = max(flops / (peak(dtype) * efficiency * EfficiencyScale), memoryBytes / bandwidth)
 *        + KernelOverhead
 *
 * The max assumes memory traffic and arithmetic overlap perfectly (the roofline bound); with
 * OverlapComputeAndMemory=false the two terms are added instead, an upper bound for code that
 * does not overlap them. KernelOverhead is added once per call, even for empty work.
 * The result is rounded to the simulator's time resolution (1 ns by default).
 */
class AnalyticComputeModel : public ComputeModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    AnalyticComputeModel();
    ~AnalyticComputeModel() override;

    Time GetComputeTime(const DeviceProfile& device,
                        DataType dtype,
                        double flops,
                        double memoryBytes) const override;

    /**
     * \brief Check everything GetComputeTime needs.
     * \param device the device
     * \param dtype the data type
     * \param flops floating-point operations
     * \param memoryBytes bytes moved through device memory
     * \return an empty string when valid, otherwise the problem (from DeviceProfile::Validate
     * or ComputeModel::ValidateWork)
     */
    std::string ValidateInputs(const DeviceProfile& device,
                               DataType dtype,
                               double flops,
                               double memoryBytes) const;

    /**
     * \param device the device
     * \param dtype the data type
     * \return the sustained rate used: peak(dtype) * efficiency * EfficiencyScale, in FLOP/s
     */
    double GetSustainedFlops(const DeviceProfile& device, DataType dtype) const;

    /**
     * \param device the device
     * \param dtype the data type
     * \param flops floating-point operations
     * \return the arithmetic term of the roofline, in seconds
     */
    double GetArithmeticSeconds(const DeviceProfile& device, DataType dtype, double flops) const;

    /**
     * \param device the device
     * \param memoryBytes bytes moved through device memory
     * \return the memory term of the roofline, in seconds
     */
    double GetMemorySeconds(const DeviceProfile& device, double memoryBytes) const;

    /**
     * \brief The roofline's ridge point.
     *
     * Work with more FLOP per byte than this is compute-bound, with fewer memory-bound.
     *
     * \param device the device
     * \param dtype the data type
     * \return GetSustainedFlops(device, dtype) / bandwidth, in FLOP/byte
     */
    double GetRidgeIntensity(const DeviceProfile& device, DataType dtype) const;

  private:
    Time m_kernelOverhead;    //!< added once per call
    double m_efficiencyScale; //!< multiplies every device's efficiency, (0, 1]
    bool m_overlap;           //!< max (true) or sum (false) of the two terms
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_ANALYTIC_COMPUTE_MODEL_H */
