/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_STUDY_REPORT_H
#define EDGE_LLM_STUDY_REPORT_H

#include "round-record.h"

#include "ns3/gnuplot.h"

#include <fstream>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The tables of a study of several runs (strategies or schedulers on one scenario):
 * rounds.csv (one row per run and round) and round_devices.csv (one row per run, round and fleet
 * device), written and flushed as each run ends, so a run that stops early loses nothing
 * before it; the per-run means as a printed table; latency.png over the rounds of every run
 * and queues.png of the first run's energy queues (gnuplot scripts, rendered when gnuplot is
 * installed).
 */
class StudyReport
{
  public:
    /**
     * \brief Create the folder and the two CSV files with their headers.
     * \param directory the study's output folder
     * \return "" or "outputDir='...' is not writable"
     */
    std::string Open(const std::string& directory);

    /**
     * \brief Append a run's rounds to both files and flush them.
     * \param records the run's rounds, in order
     */
    void Add(const std::vector<RoundRecord>& records);

    /**
     * \param row a round
     * \return the scheduler's predicted latency over the simulated one, minus 1 (positive:
     * the prediction was too long); 0 when the round has no prediction or no latency
     */
    static double GetPredictionError(const RoundRecord& row);

    /**
     * \brief Print the header line of the per-run table.
     * \param out where
     */
    static void PrintTableHeader(std::ostream& out);

    /**
     * \brief Print one run's means over its rounds (latency, compute, communication, bubble,
     * efficiency, the largest memory, energy per round).
     * \param out where
     * \param records the run's rounds
     */
    static void PrintTableRow(std::ostream& out, const std::vector<RoundRecord>& records);

    /**
     * \brief Write latency.plt (every run added) and queues.plt (the first run), and render
     * them with gnuplot when it is installed.
     * \param title the latency plot's title
     * \return "" or what could not be written
     */
    std::string WritePlots(const std::string& title) const;

    /**
     * \return true when the first run's energy queues were ever above 0 (the budget bound);
     * otherwise WritePlots writes no queues.png
     */
    bool HasQueues() const;

    /**
     * \brief Write a Gnuplot as dir/name.plt (PNG terminal, output name.png) and render it when
     * gnuplot is installed.
     * \param plot the plot
     * \param dir an existing folder
     * \param name the file name without extension
     * \return "" or "outputDir='...' is not writable"
     */
    static std::string WritePlot(Gnuplot& plot, const std::string& dir, const std::string& name);

  private:
    std::string m_directory;                      //!< output folder
    std::ofstream m_rounds;                       //!< rounds.csv
    std::ofstream m_devices;                      //!< round_devices.csv
    std::vector<std::vector<RoundRecord>> m_runs; //!< every run added
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_STUDY_REPORT_H */
