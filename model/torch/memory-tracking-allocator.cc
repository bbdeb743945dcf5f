/* SPDX-License-Identifier: GPL-2.0-only */
#include "memory-tracking-allocator.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <atomic>
#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <mutex>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmMemoryTrackingAllocator");

namespace
{

/// Priority of both registrations: equal priorities may replace each other (c10::SetAllocator).
constexpr uint8_t PRIORITY = 0;

std::atomic<uint64_t> g_currentBytes{0};          //!< allocated and not yet freed
std::atomic<uint64_t> g_peakBytes{0};             //!< maximum of g_currentBytes since ResetPeak
std::atomic<uint64_t> g_allocationCount{0};       //!< wrapped allocations
std::atomic<uint64_t> g_freeCount{0};             //!< wrapped frees
std::atomic<c10::Allocator*> g_original{nullptr}; //!< the allocator being wrapped
std::mutex g_installMutex;                        //!< guards g_depth and (un)registration
uint32_t g_depth = 0;                             //!< nesting depth of Install()

/**
 * Bytes in front of each wrapped allocation: the header below, padded to keep the data at
 * the original allocator's 64-byte alignment.
 */
constexpr size_t HEADER_BYTES = 64;

/// What sits in front of the data of a wrapped allocation.
struct TrackedHeader
{
    size_t bytes;                      //!< requested size (what is counted)
    void* originalContext;             //!< context of the original DataPtr
    c10::DeleterFnPtr originalDeleter; //!< deleter of the original DataPtr
};

static_assert(sizeof(TrackedHeader) <= HEADER_BYTES, "TrackedHeader must fit its padding");

/**
 * Deleter of wrapped allocations, called with the data pointer (the DataPtr's context is its
 * data, as Allocator::raw_allocate() and raw_deallocate() require; LibTorch uses them for
 * temporary buffers, e.g. in its vectorized GELU): count the free, free the original.
 */
void
DeleteTracked(void* data)
{
    if (data == nullptr)
    {
        return;
    }
    auto* header = reinterpret_cast<TrackedHeader*>(static_cast<char*>(data) - HEADER_BYTES);
    const TrackedHeader copy = *header;
    g_currentBytes.fetch_sub(copy.bytes, std::memory_order_relaxed);
    g_freeCount.fetch_add(1, std::memory_order_relaxed);
    if (copy.originalDeleter != nullptr)
    {
        copy.originalDeleter(copy.originalContext);
    }
}

/// The wrapper registered as LibTorch's CPU allocator (static lifetime, as c10 requires).
struct TrackingAllocator final : c10::Allocator
{
    c10::DataPtr allocate(size_t n) const override
    {
        const c10::Device device(c10::DeviceType::CPU);
        if (n == 0)
        {
            return c10::DataPtr(nullptr, nullptr, &DeleteTracked, device);
        }
        c10::Allocator* original = g_original.load(std::memory_order_acquire);
        c10::DataPtr inner = original->allocate(n + HEADER_BYTES);
        char* base = static_cast<char*>(inner.get());
        c10::DeleterFnPtr deleter = inner.get_deleter();
        void* context = inner.release_context();
        auto* header = reinterpret_cast<TrackedHeader*>(base);
        *header = TrackedHeader{n, context, deleter};
        void* data = base + HEADER_BYTES;
        const uint64_t now = g_currentBytes.fetch_add(n, std::memory_order_relaxed) + n;
        g_allocationCount.fetch_add(1, std::memory_order_relaxed);
        uint64_t peak = g_peakBytes.load(std::memory_order_relaxed);
        while (now > peak &&
               !g_peakBytes.compare_exchange_weak(peak, now, std::memory_order_relaxed))
        {
        }
        return c10::DataPtr(data, data, &DeleteTracked, device);
    }

    c10::DeleterFnPtr raw_deleter() const override
    {
        return &DeleteTracked;
    }
};

TrackingAllocator g_tracking; //!< the one wrapper

} // namespace

void
MemoryTrackingAllocator::Install()
{
    std::lock_guard<std::mutex> lock(g_installMutex);
    if (g_depth++ > 0)
    {
        return;
    }
    c10::Allocator* current = c10::GetCPUAllocator();
    NS_LOG_FUNCTION(current);
    g_original.store(current, std::memory_order_release);
    c10::SetAllocator(c10::DeviceType::CPU, &g_tracking, PRIORITY);
    if (c10::GetCPUAllocator() != &g_tracking)
    {
        g_depth = 0;
        NS_FATAL_ERROR("MemoryTrackingAllocator: LibTorch refused to replace its CPU allocator "
                       "(another allocator was registered with a priority above "
                       << int(PRIORITY) << "); memory cannot be tracked");
    }
}

void
MemoryTrackingAllocator::Uninstall()
{
    std::lock_guard<std::mutex> lock(g_installMutex);
    if (g_depth == 0)
    {
        NS_FATAL_ERROR("MemoryTrackingAllocator::Uninstall() without a matching Install()");
    }
    if (--g_depth > 0)
    {
        return;
    }
    c10::Allocator* original = g_original.load(std::memory_order_acquire);
    c10::SetAllocator(c10::DeviceType::CPU, original, PRIORITY);
    if (c10::GetCPUAllocator() != original)
    {
        NS_FATAL_ERROR("MemoryTrackingAllocator: LibTorch refused to restore its CPU allocator");
    }
    // g_original stays set: DataPtrs handed out keep their own original DataPtr, and a late
    // allocate() through a stale pointer to the wrapper still has an allocator to call.
}

bool
MemoryTrackingAllocator::IsInstalled()
{
    std::lock_guard<std::mutex> lock(g_installMutex);
    return g_depth > 0;
}

uint64_t
MemoryTrackingAllocator::GetCurrentBytes()
{
    return g_currentBytes.load(std::memory_order_relaxed);
}

uint64_t
MemoryTrackingAllocator::GetPeakBytes()
{
    return g_peakBytes.load(std::memory_order_relaxed);
}

uint64_t
MemoryTrackingAllocator::GetAllocationCount()
{
    return g_allocationCount.load(std::memory_order_relaxed);
}

uint64_t
MemoryTrackingAllocator::GetFreeCount()
{
    return g_freeCount.load(std::memory_order_relaxed);
}

void
MemoryTrackingAllocator::ResetPeak()
{
    g_peakBytes.store(g_currentBytes.load(std::memory_order_relaxed), std::memory_order_relaxed);
}

} // namespace edgellm
} // namespace ns3
