/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_HOST_MEMORY_RETENTION_GUARD_H
#define EDGE_LLM_HOST_MEMORY_RETENTION_GUARD_H

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Keeps the memory LibTorch frees inside the process for a scope, as a caching
 * allocator does, so that timed runs measure compute and not the operating system's page
 * faults.
 *
 * LibTorch's CPU allocator is glibc's malloc. glibc serves large blocks (a layer's activations,
 * attention scores) with fresh mmap()s and returns them on free(), and trims the heap's top
 * above 128 KiB, so every training step touches its stored activations as new pages: one page
 * fault and one zeroed page per 4 KiB. Measured with edge-llm-calibrate's full grid on this
 * project's VM: BERT-base b16 s256 forward+backward took 3.36 s against 2.02 s with the memory
 * kept, a third of the process's CPU time was system time, and 5 training points were off the
 * model by 28% to 49%; with the memory kept, every point was within 13%. GPU frameworks keep
 * their memory in a caching allocator, and PyTorch's CPU performance guides recommend jemalloc
 * or tcmalloc for the same reason; the guard gets that steady state from glibc itself:
 * mallopt(M_MMAP_MAX, 0) (large blocks from the heap) and a trim threshold of 2 GiB.
 *
 * The destructor of the outermost guard restores glibc's documented defaults (65536 mmaps,
 * 128 KiB thresholds; the dynamic mmap threshold stays off) and returns the kept memory with
 * malloc_trim(0). Nested guards share the outermost one. Not thread safe: the probes that use
 * it run on one thread.
 */
class HostMemoryRetentionGuard
{
  public:
    /** \brief Keep freed memory in the process (the outermost guard sets glibc's options). */
    HostMemoryRetentionGuard();
    /** \brief The outermost guard restores glibc's defaults and trims the heap. */
    ~HostMemoryRetentionGuard();

    HostMemoryRetentionGuard(const HostMemoryRetentionGuard&) = delete;
    HostMemoryRetentionGuard& operator=(const HostMemoryRetentionGuard&) = delete;

    /** \return true while a guard is alive and glibc took its options */
    static bool IsActive();
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_HOST_MEMORY_RETENTION_GUARD_H */
