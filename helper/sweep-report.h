/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SWEEP_REPORT_H
#define EDGE_LLM_SWEEP_REPORT_H

#include "sweep-plan.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Gathers a sweep's runs into tables and plots in its folder:
 * - runs.csv: one row per run (index, run, seed, each parameter, status, rounds, and the mean
 *   over its rounds of latency_s, energy_j and efficiency); failed and unfinished runs are
 *   rows too, with their status and no values;
 * - summary.csv (tidy): one row per point (run and parameters) and metric: n (runs that
 *   finished), failed (runs that did not), mean and the 95% interval over the seeds (Student's
 *   t, SeedSummary::MeanInterval);
 * - PARAMETER.png per parameter axis (latency against its values, one line per run, the other
 *   parameters at their first values, 95% intervals as error bars) and runs.png (latency per
 *   run at the first point).
 */
class SweepReport
{
  public:
    /**
     * \param plan an expanded (or opened) plan
     * \param[out] unfinished the runs that did not finish ("failed", "started" or never run)
     * \return "" or the problem writing the files
     */
    static std::string Write(const SweepPlan& plan, std::vector<uint32_t>& unfinished);

    /**
     * \brief Write, then say what finished and which runs to start again.
     * \param plan an expanded (or opened) plan
     * \param out where the summary goes
     * \param err where a problem goes
     * \return 0 when every run finished, 3 when some did not, 1 when the files could not be
     *         written (edge-llm-sweep's exit codes)
     */
    static int Tell(const SweepPlan& plan, std::ostream& out, std::ostream& err);
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_SWEEP_REPORT_H
