/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SWEEP_LAUNCHER_H
#define EDGE_LLM_SWEEP_LAUNCHER_H

#include "sweep-plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Starts a sweep's runs: on this machine, a number at a time, or on a Slurm cluster as
 * one job array. Each run is a process of its own, `PROGRAM --mode=run --outputDir=DIR
 * --index=I` (edge-llm-sweep), which runs SweepPlan::RunOne.
 */
class SweepLauncher
{
  public:
    /** \return this program's path (/proc/self/exe), for the workers and the array tasks */
    static std::string GetProgramPath();

    /**
     * \brief Run \p indices here, \p jobs processes at a time; returns when all have ended.
     * \param plan the expanded plan
     * \param indices the runs
     * \param jobs processes at a time (>= 1)
     * \param program the edge-llm-sweep executable
     * \return "" or the problem starting a process
     */
    static std::string RunLocal(const SweepPlan& plan,
                                const std::vector<uint32_t>& indices,
                                uint32_t jobs,
                                const std::string& program);

    /**
     * \brief Write DIR/sweep.sbatch and submit \p indices as a job array (sbatch --array; its
     *        tasks' output in DIR/logs/).
     * \param plan the expanded plan
     * \param indices the runs
     * \param program the edge-llm-sweep executable, as the cluster's nodes see it
     * \param wait wait until every task has ended (sbatch --wait)
     * \param[out] jobId the array's job id
     * \return "" or the problem (sbatch missing or refusing, with its message)
     */
    static std::string SubmitSlurm(const SweepPlan& plan,
                                   const std::vector<uint32_t>& indices,
                                   const std::string& program,
                                   bool wait,
                                   std::string& jobId);
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_SWEEP_LAUNCHER_H
