/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_KERNEL_BENCH_H
#define EDGE_LLM_TORCH_KERNEL_BENCH_H

#include "ns3/data-type.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The element-wise (memory-bound) operators TorchKernelBench times.
 */
enum class TorchElementwiseOp
{
    ADD,        //!< a + b, both [rows, cols]
    GELU,       //!< GELU (erf form) of [rows, cols]
    LAYER_NORM, //!< LayerNorm over cols, with weight and bias
    SOFTMAX,    //!< softmax over cols
    DROPOUT,    //!< dropout with p = 0.1 in training mode
};

/**
 * \ingroup edge-llm
 * \brief How TorchKernelBench runs each micro-benchmark.
 */
struct TorchKernelBenchSettings
{
    uint32_t warmUpRuns = 2; //!< untimed calls first
    uint32_t repeats = 5;    //!< timed samples; the result is their median
    uint32_t threads = 1;    //!< LibTorch intra-op threads (restored afterwards)
    uint64_t seed = 1;       //!< torch::manual_seed before the operands are drawn
    /// keep freed memory in the process while measuring (HostMemoryRetentionGuard): outputs
    /// reuse pages already touched, as inside a training loop with a caching allocator
    bool retainFreedMemory = true;
};

/**
 * \ingroup edge-llm
 * \brief Kernel-level LibTorch CPU micro-benchmarks, for fitting a kernel-level time model
 * (GEMM, batched matmul, element-wise operators, per-operator framework overhead).
 *
 * Each function draws its operands once, calls the operator warmUpRuns times untimed, then
 * repeats times timed, and returns the median wall-clock seconds of one call. The operators
 * allocate their outputs as they do inside a layer (no out= variants), so the times include
 * LibTorch's allocation and dispatch. Forward operators only. Bad arguments stop the run
 * (NS_FATAL_ERROR) with a message naming the argument, its value and what is allowed.
 */
class TorchKernelBench
{
  public:
    /**
     * \param settings the settings
     * \return an empty string when usable, otherwise the first problem
     */
    static std::string Validate(const TorchKernelBenchSettings& settings);

    /**
     * \brief Parse an element-wise operator name.
     * \param name "add", "gelu", "layer-norm", "softmax" or "dropout"
     * \param[out] op the parsed value, untouched on error
     * \return an empty string on success, otherwise the problem
     */
    static std::string ParseElementwiseOp(const std::string& name, TorchElementwiseOp& op);

    /**
     * \param op an operator
     * \return its name, as ParseElementwiseOp() reads it
     */
    static std::string ElementwiseOpToString(TorchElementwiseOp op);

    /** \return the names of all element-wise operators */
    static std::vector<std::string> GetElementwiseOpNames();

    /**
     * \brief Time torch::mm of (m x k) by (k x n).
     * \param m rows of the result
     * \param n columns of the result
     * \param k inner dimension
     * \param dtype fp32 or bf16
     * \param settings runs and threads
     * \return median seconds of one call
     */
    static double MeasureGemmSeconds(uint64_t m,
                                     uint64_t n,
                                     uint64_t k,
                                     DataType dtype,
                                     const TorchKernelBenchSettings& settings = {});

    /**
     * \brief Time torch::bmm of [batch, m, k] by [batch, k, n].
     * \param batch independent products
     * \param m rows of each result
     * \param n columns of each result
     * \param k inner dimension
     * \param dtype fp32 or bf16
     * \param settings runs and threads
     * \return median seconds of one call
     */
    static double MeasureBatchedMatmulSeconds(uint64_t batch,
                                              uint64_t m,
                                              uint64_t n,
                                              uint64_t k,
                                              DataType dtype,
                                              const TorchKernelBenchSettings& settings = {});

    /**
     * \brief Time an element-wise operator on [rows, cols].
     * \param op the operator
     * \param rows rows (e.g. b * s)
     * \param cols columns (e.g. hidden; the normalized dimension of layer-norm and softmax)
     * \param dtype fp32 or bf16
     * \param settings runs and threads
     * \return median seconds of one call
     */
    static double MeasureElementwiseSeconds(TorchElementwiseOp op,
                                            uint64_t rows,
                                            uint64_t cols,
                                            DataType dtype,
                                            const TorchKernelBenchSettings& settings = {});

    /**
     * \brief Per-operator framework overhead: the time of adding two one-element fp32 tensors
     * (dispatch, output allocation, autograd bookkeeping off), timed in samples of 100 calls.
     * \param settings runs and threads
     * \return median seconds of one call
     */
    static double MeasureDispatchSeconds(const TorchKernelBenchSettings& settings = {});
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_KERNEL_BENCH_H */
