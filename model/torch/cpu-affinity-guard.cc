/* SPDX-License-Identifier: GPL-2.0-only */
#include "cpu-affinity-guard.h"

namespace ns3
{
namespace edgellm
{

CpuAffinityGuard::CpuAffinityGuard()
    : m_cpu(-1)
{
#ifdef __linux__
    CPU_ZERO(&m_previous);
    if (sched_getaffinity(0, sizeof(m_previous), &m_previous) != 0)
    {
        return;
    }
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    {
        if (CPU_ISSET(cpu, &m_previous))
        {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            if (sched_setaffinity(0, sizeof(one), &one) == 0)
            {
                m_cpu = cpu;
            }
            return;
        }
    }
#endif
}

CpuAffinityGuard::~CpuAffinityGuard()
{
#ifdef __linux__
    if (m_cpu >= 0)
    {
        sched_setaffinity(0, sizeof(m_previous), &m_previous);
    }
#endif
}

bool
CpuAffinityGuard::IsPinned() const
{
    return m_cpu >= 0;
}

int
CpuAffinityGuard::GetCpu() const
{
    return m_cpu;
}

} // namespace edgellm
} // namespace ns3
