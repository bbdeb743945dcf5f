/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SEED_SUMMARY_H
#define EDGE_LLM_SEED_SUMMARY_H

#include "round-record.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A study repeated over several ns-3 run numbers (seeds): each run's per-seed means
 * (round latency, latency per training sample, energy per round, prediction error) and, over
 * the seeds, their mean and 95% confidence interval (Student's t, n - 1 degrees of freedom);
 * and each run's latency against the first run's, paired by seed (the same network draws), as
 * a relative gain with its interval.
 */
class SeedSummary
{
  public:
    /// A run's means over the rounds of one seed.
    struct SeedMeans
    {
        uint64_t seed = 0;          //!< the ns-3 run number
        double latencySeconds = 0;  //!< mean round latency
        double msPerSample = 0;     //!< latency per training sample, ms
        double energyJ = 0;         //!< mean energy per round
        double predictionError = 0; //!< mean predicted / simulated - 1
        uint32_t rounds = 0;        //!< rounds that finished
    };

    /**
     * \brief Mean and 95% confidence half-width of values (Student's t).
     * \param values at least one value
     * \param[out] mean the mean
     * \param[out] halfWidth t(0.975, n - 1) s / sqrt(n); 0 for one value
     */
    static void MeanInterval(const std::vector<double>& values, double& mean, double& halfWidth);

    /**
     * \brief Add one run's rounds of one seed.
     * \param seed the ns-3 run number
     * \param records the run's rounds (the run's name is their run column); none: nothing
     */
    void Add(uint64_t seed, const std::vector<RoundRecord>& records);

    /** \return the runs' names in the order they were first added */
    const std::vector<std::string>& GetRuns() const;

    /** \param run a run's name \return its per-seed means, in the order added */
    const std::vector<SeedMeans>& GetSeeds(const std::string& run) const;

    /**
     * \brief Relative latency gain of the first run over \p run, paired by seed:
     * 1 - latency(first) / latency(run), per seed that both have.
     * \param run a run's name
     * \param[out] mean the mean gain
     * \param[out] halfWidth its 95% half-width
     * \return the number of seeds paired
     */
    uint32_t GetPairedGain(const std::string& run, double& mean, double& halfWidth) const;

    /**
     * \brief Print the table: per run, mean +- 95% half-width of the latency, ms per sample and
     * energy, the mean prediction error and the first run's paired gain over it.
     * \param out where
     */
    void Print(std::ostream& out) const;

    /**
     * \brief Write seeds.csv (one row per run and seed) and summary.csv (one row per run).
     * \param directory an existing folder
     * \return "" or what could not be written
     */
    std::string Write(const std::string& directory) const;

  private:
    /// a run's per-seed latency, ms per sample and energy, and its mean prediction error
    struct Columns
    {
        std::vector<double> latency;     //!< s
        std::vector<double> msPerSample; //!< ms
        std::vector<double> energy;      //!< J per round
        double predictionError = 0;      //!< mean over the seeds

        /// \param i 0, 1, 2 \return latency, msPerSample, energy
        const std::vector<double>* Get(int i) const
        {
            return i == 0 ? &latency : (i == 1 ? &msPerSample : &energy);
        }
    };

    /// \param run a run's name \return its columns over the seeds
    Columns GetColumns(const std::string& run) const;

    std::vector<std::string> m_order;                     //!< run names, first seen first
    std::map<std::string, std::vector<SeedMeans>> m_runs; //!< per run
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_SEED_SUMMARY_H */
