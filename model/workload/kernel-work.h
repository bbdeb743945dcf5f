/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_KERNEL_WORK_H
#define EDGE_LLM_KERNEL_WORK_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What kind of kernel a piece of work is; a device profile has one achieved rate per
 * class.
 */
enum class KernelClass : uint8_t
{
    GEMM,        //!< a dense matrix product with a weight matrix (linear layers, LM head)
    ATTENTION,   //!< a batched matrix product of two activations (QK^T, attention x V)
    ELEMENTWISE, //!< memory-bound: softmax, activations, residual adds, copies, dropout
    /// memory-bound like ELEMENTWISE, but the forward kernel of a layer or RMS norm: a
    /// framework may run its 16-bit form on another path (LibTorch 1.13's CPU bf16 LayerNorm
    /// forward takes 10-13x its fp32 time, its backward, an ELEMENTWISE kernel, 1.5-2x)
    NORMALIZATION,
};

/// Number of KernelClass values.
constexpr std::size_t KERNEL_CLASS_COUNT = 4;

/**
 * \param kernelClass a kernel class
 * \return "gemm", "attention", "elementwise" or "normalization"
 */
std::string KernelClassToString(KernelClass kernelClass);

/**
 * \param kernelClass a kernel class
 * \return true for the classes with no FLOPs counted, priced by bytes alone (ELEMENTWISE,
 * NORMALIZATION)
 */
bool IsMemoryBoundClass(KernelClass kernelClass);

/**
 * \ingroup edge-llm
 * \brief One kernel, or \c count identical kernels, as a framework launches them.
 */
struct Kernel
{
    KernelClass kernelClass{KernelClass::GEMM}; //!< which achieved rate applies
    double flops{0};                            //!< floating-point operations of one kernel
    double bytes{0};                            //!< bytes one kernel reads and writes
    uint32_t count{1};                          //!< identical kernels (a segment repeats a block)
    /// the framework's autograd records it (a training forward on the gradient path) or runs it
    /// (a backward kernel): each launch then costs the device's autograd overhead too
    bool autograd{false};
};

/**
 * \ingroup edge-llm
 * \brief A piece of work as the sequence of kernels that runs it.
 *
 * The kernel-level time model (KernelComputeModel) prices each kernel separately, so that the
 * launch overhead grows with the number of kernels and a memory-bound kernel is not hidden
 * behind the FLOPs of a GEMM. Identical kernels are merged (their counts add up), so a segment
 * of many identical blocks stays as small as one block.
 */
class KernelWork
{
  public:
    /**
     * \brief Add kernels.
     * \param kernelClass the class
     * \param flops FLOPs of one kernel (>= 0)
     * \param bytes bytes of one kernel (>= 0)
     * \param count how many identical kernels
     * \param autograd whether autograd records or runs it (Kernel::autograd)
     */
    void Add(KernelClass kernelClass,
             double flops,
             double bytes,
             uint32_t count = 1,
             bool autograd = false);
    /**
     * \brief Add every kernel of another piece of work, \p times times.
     * \param other the work to append
     * \param times how many copies
     */
    void Append(const KernelWork& other, uint32_t times = 1);

    /** \return the distinct kernels, each with its count */
    const std::vector<Kernel>& GetKernels() const;
    /** \return the number of kernel launches (sum of the counts) */
    uint64_t GetLaunchCount() const;
    /** \return the launches autograd records or runs */
    uint64_t GetAutogradLaunchCount() const;
    /** \return the FLOPs of all kernels */
    double GetTotalFlops() const;
    /** \return the bytes of all kernels */
    double GetTotalBytes() const;
    /**
     * \param kernelClass a class
     * \return the FLOPs of the kernels of that class
     */
    double GetClassFlops(KernelClass kernelClass) const;
    /** \return true when there is no kernel */
    bool IsEmpty() const;

  private:
    std::vector<Kernel> m_kernels; //!< distinct kernels in first-seen order
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_KERNEL_WORK_H */
