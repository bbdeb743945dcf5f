/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_MEMORY_TRACKING_ALLOCATOR_H
#define EDGE_LLM_MEMORY_TRACKING_ALLOCATOR_H

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Exact byte accounting of LibTorch's CPU tensor memory.
 *
 * Install() saves LibTorch's current CPU allocator (c10::GetCPUAllocator()) and registers a
 * wrapper in its place (c10::SetAllocator(DeviceType::CPU, ...)). Every CPU allocation that goes
 * through c10's allocator then passes through the wrapper, which asks the saved allocator for
 * the memory and counts the requested bytes: current bytes (allocated and not yet freed), peak
 * bytes (the maximum of current since the last ResetPeak()) and the number of allocations. The
 * wrapper asks for 64 bytes more and keeps, in front of the data, the size and the original
 * DataPtr's context and deleter; its own deleter subtracts the size and calls the original one.
 * (A DataPtr whose context is its data, rather than a separate context object, is needed:
 * LibTorch takes temporary buffers with Allocator::raw_allocate(), e.g. in its vectorized GELU,
 * and that requires it.) Frees are counted whether or not
 * the wrapper is still installed; tensors allocated before Install() are never counted, not even
 * when freed. Counters are atomics: LibTorch's intra-op threads may allocate.
 *
 * What it cannot see: memory that does not come from c10's CPU allocator. That is the scratch
 * buffers of the BLAS library (OpenBLAS packing buffers, allocated once per thread) and of
 * oneDNN (its own scratchpad when LibTorch calls it for bf16 matmuls), LibTorch's own
 * non-tensor bookkeeping (autograd nodes, TensorImpl objects, the operator dispatcher), and
 * allocator overhead (malloc headers, alignment padding, the wrapper's own 64-byte header).
 * Zero-byte allocations get a null pointer and are not counted.
 *
 * Use MemoryTrackingScope rather than Install()/Uninstall() directly. Install and uninstall
 * from one thread while no other thread runs LibTorch operators (c10::SetAllocator is not
 * thread-safe).
 */
class MemoryTrackingAllocator
{
  public:
    /**
     * \brief Wrap LibTorch's CPU allocator. Nested calls only count a depth: the outermost
     * Install() wraps, the matching outermost Uninstall() restores.
     *
     * NS_FATAL_ERROR when LibTorch refuses the wrapper (another allocator registered with a
     * higher priority).
     */
    static void Install();

    /**
     * \brief Restore the allocator saved by the outermost Install().
     *
     * NS_FATAL_ERROR when not installed or when LibTorch refuses to restore it.
     */
    static void Uninstall();

    /** \return true between the outermost Install() and its Uninstall() */
    static bool IsInstalled();

    /** \return bytes allocated through the wrapper and not yet freed */
    static uint64_t GetCurrentBytes();

    /** \return the maximum of GetCurrentBytes() since the last ResetPeak() (or since start) */
    static uint64_t GetPeakBytes();

    /** \return the number of (non-empty) allocations through the wrapper since start */
    static uint64_t GetAllocationCount();

    /** \return the number of frees of wrapped allocations since start */
    static uint64_t GetFreeCount();

    /** \brief Set the peak to the current bytes. */
    static void ResetPeak();
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_MEMORY_TRACKING_ALLOCATOR_H */
