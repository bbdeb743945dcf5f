/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_CPU_AFFINITY_GUARD_H
#define EDGE_LLM_CPU_AFFINITY_GUARD_H

// INTERNAL header of the LibTorch files (model/torch/*.cc); not installed.

#include <sched.h>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Pins the calling thread to one CPU for a scope and restores its previous affinity.
 *
 * The CPUs of a virtual machine need not be alike: on this project's 2-vCPU VM the same bf16
 * encoder block ran, at times, 15% to 30% slower on one vCPU than on the other (fp32 alike on
 * both), and the operating system moves a thread between them at will. A calibration that moved
 * would fit one profile to two machines. The guard pins to the lowest-numbered CPU the thread may
 * run on, so that repeated calibrations measure the same CPU. Linux only; elsewhere, and when
 * the affinity cannot be read or set, it does nothing (IsPinned() says so).
 */
class CpuAffinityGuard
{
  public:
    /** \brief Pin the calling thread to the first CPU of its affinity mask. */
    CpuAffinityGuard();
    /** \brief Restore the affinity mask the thread had. */
    ~CpuAffinityGuard();

    CpuAffinityGuard(const CpuAffinityGuard&) = delete;
    CpuAffinityGuard& operator=(const CpuAffinityGuard&) = delete;

    /** \return whether the thread is pinned */
    bool IsPinned() const;
    /** \return the CPU the thread is pinned to, or -1 */
    int GetCpu() const;

  private:
#ifdef __linux__
    cpu_set_t m_previous; //!< the affinity mask before the guard
#endif
    int m_cpu; //!< the CPU pinned to, -1 if none
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_CPU_AFFINITY_GUARD_H */
