/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SWEEP_PLAN_H
#define EDGE_LLM_SWEEP_PLAN_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One run of a sweep: a point of its axes.
 */
struct SweepRun
{
    uint32_t index{0};                             //!< its place in the plan (Slurm's array index)
    std::string run;                               //!< the scenario's run (strategy + scheduler)
    uint64_t seed{1};                              //!< the ns-3 run number (RngRun)
    std::map<std::string, std::string> parameters; //!< dotted path -> value (as JSON text)
    std::string folder;                            //!< its output folder, absolute
};

/**
 * \ingroup edge-llm
 * \brief A sweep: a scenario file and axes (parameters, the scenario's runs, seeds), expanded
 * into one run per point of their product, each with its own folder and scenario file.
 *
 * The description (JSON):
 *
 * \code
 * {
 *   "scenario": "../scenarios/collapipe-wifi.json",     // relative to this file
 *   "rounds": 2, "fidelity": "flow",                     // optional overrides
 *   "runs": ["dssda", "even"],                           // default: all the scenario's
 *   "seeds": [1, 2, 3],                                  // ns-3 run numbers; default: the file's
 *   "parameters": {"network.distance": [5, 10, 20]}     // dotted paths into the scenario
 * }
 * \endcode
 *
 * Runs are numbered parameters first (in path order), then runs, then seeds (fastest).
 * Expand() writes DIR/plan.json and DIR/run-I/scenario.json for each run I (the scenario with
 * the point's values, its outputDir the run's folder, its run number the seed, only its run);
 * a run writes DIR/run-I/status ("started", then "ok" or "failed" and the reason).
 */
class SweepPlan
{
  public:
    /**
     * \brief Read a sweep description and check it against its scenario (every parameter path
     *        must name a value the scenario has, every run one it defines).
     * \param path the description
     * \param[out] plan the sweep, not yet expanded
     * \return "" or one line naming the key, the value and what is allowed
     */
    static std::string Load(const std::string& path, SweepPlan& plan);

    /**
     * \brief Write the plan and every run's scenario into \p directory.
     * \param directory the sweep's output folder (created)
     * \return "" or the problem
     */
    std::string Expand(const std::string& directory);

    /**
     * \brief Read a plan Expand wrote.
     * \param directory the sweep's output folder
     * \param[out] plan the sweep
     * \return "" or the problem
     */
    static std::string Open(const std::string& directory, SweepPlan& plan);

    /**
     * \brief Run one run in this process (what a Slurm array task or a local worker does),
     *        writing its status file.
     * \param index the run
     * \return 0 when it completed, otherwise non-zero (the status file says why)
     */
    int RunOne(uint32_t index) const;

    /** \return the runs */
    const std::vector<SweepRun>& GetRuns() const;
    /** \return the parameter paths, in order */
    const std::vector<std::string>& GetParameterPaths() const;
    /** \return the output folder */
    const std::string& GetDirectory() const;

    /**
     * \param index a run
     * \return "ok", "failed", "started" (it did not finish) or "" (never started)
     */
    std::string GetStatus(uint32_t index) const;
    /** \return the runs not "ok", in order */
    std::vector<uint32_t> GetUnfinished() const;

    /**
     * \param indices run indices
     * \return "0-3" or "1,4,7": Slurm's --array syntax
     */
    static std::string ArraySpec(const std::vector<uint32_t>& indices);

  private:
    std::string m_scenarioPath;                               //!< the scenario, absolute
    std::string m_scenarioText;                               //!< its JSON
    int64_t m_rounds{0};                                      //!< override (0: the file's)
    std::string m_fidelity;                                   //!< override ("": the file's)
    std::vector<std::string> m_runNames;                      //!< the runs axis
    std::vector<uint64_t> m_seeds;                            //!< the seeds axis
    std::vector<std::string> m_paths;                         //!< parameter paths
    std::map<std::string, std::vector<std::string>> m_values; //!< path -> values (JSON text)
    std::string m_directory;                                  //!< output folder
    std::vector<SweepRun> m_runs;                             //!< the expanded runs
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_SWEEP_PLAN_H
