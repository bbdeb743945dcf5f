/* SPDX-License-Identifier: GPL-2.0-only */
#include "memory-tracking-scope.h"

#include "memory-tracking-allocator.h"

namespace ns3
{
namespace edgellm
{

MemoryTrackingScope::MemoryTrackingScope()
{
    MemoryTrackingAllocator::Install();
    MemoryTrackingAllocator::ResetPeak();
    m_baseline = MemoryTrackingAllocator::GetCurrentBytes();
}

MemoryTrackingScope::~MemoryTrackingScope()
{
    MemoryTrackingAllocator::Uninstall();
}

uint64_t
MemoryTrackingScope::GetBaselineBytes() const
{
    return m_baseline;
}

uint64_t
MemoryTrackingScope::GetCurrentBytes() const
{
    return MemoryTrackingAllocator::GetCurrentBytes();
}

uint64_t
MemoryTrackingScope::GetPeakBytes() const
{
    return MemoryTrackingAllocator::GetPeakBytes();
}

uint64_t
MemoryTrackingScope::GetAllocationCount() const
{
    return MemoryTrackingAllocator::GetAllocationCount();
}

void
MemoryTrackingScope::ResetPeak()
{
    MemoryTrackingAllocator::ResetPeak();
}

} // namespace edgellm
} // namespace ns3
