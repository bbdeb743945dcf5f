/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_KERNEL_COMPUTE_MODEL_H
#define EDGE_LLM_KERNEL_COMPUTE_MODEL_H

#include "compute-model.h"

#include <array>
#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Where the time of a piece of work goes under KernelComputeModel.
 */
struct KernelTimeBreakdown
{
    /// seconds of the roofline terms per KernelClass (GEMM, ATTENTION, ELEMENTWISE,
    /// NORMALIZATION)
    std::array<double, KERNEL_CLASS_COUNT> classSeconds{0, 0, 0, 0};
    /// launches times the per-kernel overhead, plus the autograd launches times the autograd
    /// overhead, plus (16-bit work) the matrix products times the device's extra 16-bit
    /// matrix-product overhead and the autograd launches times its extra 16-bit autograd
    /// overhead (DeviceProfile::GetMatmul16BitOverhead, GetAutograd16BitOverhead)
    double overheadSeconds{0};
    uint64_t launches{0};            //!< kernels launched
    uint64_t memoryBoundLaunches{0}; //!< kernels whose memory term exceeds the arithmetic one

    /// \return the total: the class terms plus the overhead
    double GetTotalSeconds() const
    {
        double total = overheadSeconds;
        for (double seconds : classSeconds)
        {
            total += seconds;
        }
        return total;
    }
};

/**
 * \ingroup edge-llm
 * \brief The kernel-level time model: a piece of work is the sequence of kernels an eager
 * framework launches, each timed as
 * max(FLOPs / (peak * efficiency of its class), bytes / (bandwidth * memory efficiency)) (their
 * sum on a device that does not overlap them, DeviceProfile::GetComputeMemoryOverlap) plus the
 * device's per-kernel overhead (launch and dispatch), plus its autograd overhead for a kernel
 * autograd records or runs (Kernel::autograd).
 *
 * The classes (KernelClass) are GEMMs with weights (the device's efficiency), batched attention
 * products (its attention efficiency) and elementwise kernels (no FLOPs counted: memory-bound).
 * With one kernel, a memory efficiency of 1 and no overhead it is AnalyticComputeModel's
 * roofline, its limit case. Work given only as FLOPs and bytes (GetComputeTime) is priced as
 * one GEMM-class kernel. doc/compute-model.rst derives each term and gives its sources.
 */
class KernelComputeModel : public ComputeModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    KernelComputeModel();
    ~KernelComputeModel() override;

    Time GetComputeTime(const DeviceProfile& device,
                        DataType dtype,
                        double flops,
                        double memoryBytes) const override;

    Time GetWorkTime(const DeviceProfile& device,
                     DataType dtype,
                     const KernelWork& work) const override;

    /**
     * \brief The time of each part of a piece of work, unrounded.
     * \param device the device (must be valid: DeviceProfile::Validate)
     * \param dtype the data type
     * \param work the kernels (each with finite FLOPs and bytes >= 0)
     * \return the breakdown; NS_FATAL_ERROR on invalid input
     */
    KernelTimeBreakdown GetBreakdown(const DeviceProfile& device,
                                     DataType dtype,
                                     const KernelWork& work) const;

    /**
     * \param device the device
     * \param dtype the data type
     * \param kernelClass a kernel class
     * \return the arithmetic rate the class reaches, in FLOP/s (0 for ELEMENTWISE: no FLOPs are
     * counted for it)
     */
    double GetClassFlops(const DeviceProfile& device,
                         DataType dtype,
                         KernelClass kernelClass) const;

  private:
    double m_efficiencyScale; //!< multiplies every efficiency, (0, 1]
    double m_overheadScale;   //!< multiplies every device's per-kernel overhead, >= 0
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_KERNEL_COMPUTE_MODEL_H */
