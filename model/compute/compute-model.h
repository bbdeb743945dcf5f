/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COMPUTE_MODEL_H
#define EDGE_LLM_COMPUTE_MODEL_H

#include "device-profile.h"

#include "ns3/data-type.h"
#include "ns3/kernel-work.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief How long a device takes to run a piece of work.
 *
 * The work is given as its floating-point operation count and the bytes it moves through
 * device memory (weights read, activations read and written). Implementations: the analytic
 * roofline AnalyticComputeModel and, when LibTorch is available, an engine that runs the work
 * and measures it.
 */
class ComputeModel : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ComputeModel();
    ~ComputeModel() override;

    /**
     * \brief Time to run the work on a device.
     *
     * Stops the run (NS_FATAL_ERROR) on invalid input; ValidateWork() and
     * DeviceProfile::Validate() say what is invalid without stopping.
     *
     * \param device the device that runs the work
     * \param dtype the data type the work computes in; selects the device's peak rate
     * \param flops floating-point operations, >= 0
     * \param memoryBytes bytes moved through device memory, >= 0
     * \return the compute time
     */
    virtual Time GetComputeTime(const DeviceProfile& device,
                                DataType dtype,
                                double flops,
                                double memoryBytes) const = 0;

    /**
     * \brief Time to run a piece of work given as its kernels.
     *
     * The default prices the work's total FLOPs and bytes with GetComputeTime(), as one
     * kernel; KernelComputeModel prices every kernel.
     *
     * \param device the device that runs the work
     * \param dtype the data type the work computes in
     * \param work the kernels
     * \return the compute time
     */
    virtual Time GetWorkTime(const DeviceProfile& device,
                             DataType dtype,
                             const KernelWork& work) const;

    /**
     * \brief Check the size of a piece of work.
     * \param flops floating-point operations
     * \param memoryBytes bytes moved through device memory
     * \return an empty string when both are finite and >= 0, otherwise the problem, e.g.
     * "flops=-1 is invalid: must be a finite number >= 0"
     */
    static std::string ValidateWork(double flops, double memoryBytes);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COMPUTE_MODEL_H */
