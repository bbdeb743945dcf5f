/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SCENARIO_H
#define EDGE_LLM_SCENARIO_H

#include "study-helper.h"

#include "ns3/object-factory.h"
#include "ns3/strategy.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One run of a study: a strategy and, optionally, its scheduler, each by TypeId with
 * Attributes.
 */
struct ScenarioRun
{
    std::string name;         //!< its name in the tables and its output sub-folder
    ObjectFactory strategy;   //!< the Strategy
    bool hasScheduler{false}; //!< whether scheduler is set
    ObjectFactory scheduler;  //!< the scheduler, set as the strategy's "Scheduler" attribute
};

/**
 * \ingroup edge-llm
 * \brief A whole study read from a JSON scenario file: the fleet, the network, the workload,
 * the runs (strategy + scheduler with attributes), rounds, fidelity, seeds and output folder.
 * The format is documented in doc/architecture.rst; scenarios/ holds examples. A bad file
 * yields one line naming the JSON path, the value and what is allowed, e.g.
 * "fleet.groups[1].devices[2]: unknown device profile 'jetsn-nano' (known: ...)".
 */
class Scenario
{
  public:
    /// the most run numbers a study repeats over
    static constexpr uint32_t MAX_SEEDS = 1000;

    /**
     * \brief Read a scenario file.
     * \param path the file
     * \param[out] scenario the study
     * \return "" or the one-line problem, prefixed with the file name
     */
    static std::string LoadFile(const std::string& path, Scenario& scenario);

    /**
     * \brief Read a scenario from text.
     * \param text the JSON
     * \param origin what to name in messages (a file name)
     * \param baseDir folder that relative paths (devicesFile) start from
     * \param[out] scenario the study
     * \return "" or the one-line problem, prefixed with \p origin
     */
    static std::string LoadString(const std::string& text,
                                  const std::string& origin,
                                  const std::string& baseDir,
                                  Scenario& scenario);

    /**
     * \brief Create a run's strategy (and scheduler) from its factories.
     * \param run the run
     * \return the strategy
     */
    static Ptr<Strategy> CreateStrategy(const ScenarioRun& run);

    /**
     * \brief Keep only the named runs, in the given order.
     * \param names run names
     * \return "" or "runs: no run named 'x' (known: ...)"
     */
    std::string SelectRuns(const std::vector<std::string>& names);

    std::string name;      //!< the study's name
    StudyHelper study;     //!< network, fleet, workload, fidelity, rounds, output folder
    std::string outputDir; //!< the study's output folder
    uint32_t seed{1};      //!< ns-3 RngSeedManager seed
    uint64_t run{1};       //!< ns-3 RngSeedManager run number (the first, with seeds)
    /// run numbers to repeat the study over (run, run + 1, ...); above 1 the runner adds the
    /// table of means and 95% intervals over them
    uint32_t seeds{1};
    std::vector<ScenarioRun> runs; //!< the runs, in order
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_SCENARIO_H */
