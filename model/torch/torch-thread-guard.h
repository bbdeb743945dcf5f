/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_THREAD_GUARD_H
#define EDGE_LLM_TORCH_THREAD_GUARD_H

// INTERNAL header of the LibTorch files (model/torch/*.cc); not installed.

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Sets the CPU threads of LibTorch for a scope and restores the previous counts.
 *
 * torch::set_num_threads() sets LibTorch's intra-op (OpenMP) threads only. Debian's LibTorch
 * calls OpenBLAS (libopenblas0-pthread) for fp32 matrix products, and OpenBLAS runs its own
 * thread pool, by default one thread per core, whatever torch::set_num_threads() says: a
 * "single-threaded" GEMM then uses every core. The guard therefore also sets OpenBLAS's thread
 * count, through openblas_set_num_threads() looked up at run time (no link dependency; nothing
 * happens when the BLAS is not OpenBLAS).
 */
class TorchThreadGuard
{
  public:
    /**
     * \brief Set both thread counts.
     * \param threads threads (at least 1)
     */
    explicit TorchThreadGuard(uint32_t threads);
    /** \brief Restore both previous thread counts. */
    ~TorchThreadGuard();

    TorchThreadGuard(const TorchThreadGuard&) = delete;
    TorchThreadGuard& operator=(const TorchThreadGuard&) = delete;

    /**
     * \return OpenBLAS's current thread count, or 0 when the process does not use OpenBLAS
     */
    static int GetBlasThreads();

  private:
    int m_torchThreads; //!< previous LibTorch intra-op threads
    int m_blasThreads;  //!< previous OpenBLAS threads (0: no OpenBLAS)
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_THREAD_GUARD_H */
