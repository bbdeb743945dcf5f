/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SCENARIO_RUNNER_H
#define EDGE_LLM_SCENARIO_RUNNER_H

#include "scenario.h"

#include "ns3/seed-summary.h"

#include <ostream>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Runs every run of a Scenario in turn (same seed, same network draws), writes
 * rounds.csv, round_devices.csv and the plots under the scenario's output folder (each run's
 * tasks.csv and trace.json in its sub-folder) and prints the per-run table. A run that stops
 * early (a plan that cannot be made) ends the study: what finished before is written, the
 * problem is printed, and Run returns 1. With Scenario::seeds above 1 the study is repeated
 * for each ns-3 run number from the current one (each in its folder run-N) and a SeedSummary
 * (seeds.csv, summary.csv, the table of means and 95% intervals) follows.
 */
class ScenarioRunner
{
  public:
    /**
     * \param scenario the study
     * \param out where the table goes
     * \param err where a problem goes
     * \return 0 on success, 1 when the study stopped early or could not write its output
     */
    static int Run(Scenario& scenario, std::ostream& out, std::ostream& err);

  private:
    /// Run() over scenario.seeds run numbers
    static int RunSeeds(Scenario& scenario, std::ostream& out, std::ostream& err);
    /// one study with the current run number; each run's means go to \p summary when given
    static int RunOnce(Scenario& scenario,
                       std::ostream& out,
                       std::ostream& err,
                       SeedSummary* summary);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_SCENARIO_RUNNER_H */
