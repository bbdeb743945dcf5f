/* SPDX-License-Identifier: GPL-2.0-only */
#include "host-memory-retention-guard.h"

#include <climits>
#include <malloc.h>

namespace ns3
{
namespace edgellm
{

namespace
{
/// Guards alive (nesting depth).
int g_depth = 0;
/// Whether glibc accepted the outermost guard's options.
bool g_active = false;
/// glibc's default M_MMAP_MAX (mallopt(3)).
constexpr int GLIBC_DEFAULT_MMAP_MAX = 65536;
/// glibc's default M_TRIM_THRESHOLD and M_MMAP_THRESHOLD, 128 KiB (mallopt(3)).
constexpr int GLIBC_DEFAULT_THRESHOLD = 128 * 1024;
/// Heap top kept on free() while a guard is alive: more than any probe's step holds.
constexpr int KEPT_TOP_BYTES = INT_MAX;
} // namespace

HostMemoryRetentionGuard::HostMemoryRetentionGuard()
{
    if (g_depth++ == 0)
    {
        // mallopt returns 1 on success
        g_active = mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, KEPT_TOP_BYTES) == 1;
    }
}

HostMemoryRetentionGuard::~HostMemoryRetentionGuard()
{
    if (--g_depth == 0)
    {
        mallopt(M_MMAP_MAX, GLIBC_DEFAULT_MMAP_MAX);
        mallopt(M_TRIM_THRESHOLD, GLIBC_DEFAULT_THRESHOLD);
        mallopt(M_MMAP_THRESHOLD, GLIBC_DEFAULT_THRESHOLD);
        malloc_trim(0);
        g_active = false;
    }
}

bool
HostMemoryRetentionGuard::IsActive()
{
    return g_active;
}

} // namespace edgellm
} // namespace ns3
