/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_MEMORY_TRACKING_SCOPE_H
#define EDGE_LLM_MEMORY_TRACKING_SCOPE_H

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief RAII installation of MemoryTrackingAllocator: installs it on construction, restores
 * the previous CPU allocator on destruction (nested scopes share the outermost installation).
 *
 * \code
 *   MemoryTrackingScope scope;           // before creating the tensors to count
 *   auto t = torch::empty({1000});       // scope.GetCurrentBytes() == 4000
 * \endcode
 *
 * The counters are those of MemoryTrackingAllocator (process-wide); GetBaselineBytes() is the
 * current value when the scope began.
 */
class MemoryTrackingScope
{
  public:
    /** \brief Install the tracking allocator and reset its peak. */
    MemoryTrackingScope();
    /** \brief Restore the previous allocator (the outermost scope only). */
    ~MemoryTrackingScope();

    MemoryTrackingScope(const MemoryTrackingScope&) = delete;
    MemoryTrackingScope& operator=(const MemoryTrackingScope&) = delete;

    /** \return MemoryTrackingAllocator::GetCurrentBytes() when this scope began */
    uint64_t GetBaselineBytes() const;
    /** \return MemoryTrackingAllocator::GetCurrentBytes() */
    uint64_t GetCurrentBytes() const;
    /** \return MemoryTrackingAllocator::GetPeakBytes() */
    uint64_t GetPeakBytes() const;
    /** \return MemoryTrackingAllocator::GetAllocationCount() */
    uint64_t GetAllocationCount() const;
    /** \brief MemoryTrackingAllocator::ResetPeak() */
    void ResetPeak();

  private:
    uint64_t m_baseline; //!< current bytes at construction
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_MEMORY_TRACKING_SCOPE_H */
