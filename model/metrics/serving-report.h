/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SERVING_REPORT_H
#define EDGE_LLM_SERVING_REPORT_H

#include "round-record.h"

#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One run's serving metrics over its requests (one request a round): time to first
 * token (TTFT, wait included), time per output token (TPOT), end-to-end latency (wait plus
 * service), throughput, and the planner's predictions beside the measured means.
 */
struct ServingSummary
{
    std::string run;                 //!< the run's name
    uint32_t requests{0};            //!< requests (rounds)
    uint32_t generatedTokens{0};     //!< tokens each request generated
    double meanQueueSeconds{0};      //!< mean wait before service
    double firstTokenP50{0};         //!< TTFT percentiles, s
    double firstTokenP90{0};         //!< TTFT 90th percentile, s
    double firstTokenP99{0};         //!< TTFT 99th percentile, s
    double meanPerTokenSeconds{0};   //!< mean TPOT, s
    double endToEndP50{0};           //!< end-to-end percentiles, s
    double endToEndP90{0};           //!< end-to-end 90th percentile, s
    double endToEndP99{0};           //!< end-to-end 99th percentile, s
    double tokensPerSecond{0};       //!< generated tokens over first arrival to last completion
    double meanServiceFirstToken{0}; //!< mean TTFT without the wait (the prediction's measure)
    double predictedFirstToken{0};   //!< mean of the planner's TTFT (no wait), s
    double predictedPerToken{0};     //!< mean of the planner's TPOT, s
};

/**
 * \ingroup edge-llm
 * \brief Serving metrics of runs whose rounds are requests (GalaxyStrategy with
 * GeneratedTokens): percentiles, a table, and the CDF of the end-to-end latency and of the
 * time to first token as a Gnuplot (latency_cdf.png).
 */
class ServingReport
{
  public:
    /**
     * \brief The nearest-rank percentile: the smallest value with at least p % of the values at
     * or below it.
     * \param values the sample (any order; not empty)
     * \param percent in (0, 100]
     * \return the percentile
     */
    static double Percentile(std::vector<double> values, double percent);

    /**
     * \param records one run's rounds (requests)
     * \return its summary (zeros when \p records is empty)
     */
    static ServingSummary Summarize(const std::vector<RoundRecord>& records);

    /**
     * \brief Print the header line of the serving table.
     * \param out where
     */
    static void PrintTableHeader(std::ostream& out);

    /**
     * \brief Print one run's serving metrics.
     * \param out where
     * \param summary the run's summary
     */
    static void PrintTableRow(std::ostream& out, const ServingSummary& summary);

    /**
     * \brief Print the header and one row per run.
     * \param out where
     * \param runs every run's rounds
     */
    static void PrintTable(std::ostream& out, const std::vector<std::vector<RoundRecord>>& runs);

    /**
     * \brief Write memory_over_time.csv: per run, request, generated token and device, the
     * time the token was ready (from the request's arrival) and the device's memory then: its
     * memory at the longest context less the KV cache of the tokens not yet fed back (the
     * cache grows linearly: prompt + j tokens after token j).
     * \param runs every run's rounds
     * \param directory an existing folder
     * \return "" or "outputDir='...' is not writable"
     */
    static std::string WriteMemory(const std::vector<std::vector<RoundRecord>>& runs,
                                   const std::string& directory);

    /**
     * \brief Write latency_cdf.plt (and its PNG when gnuplot is installed): per run the
     * empirical CDF of the end-to-end latency and of the time to first token.
     * \param runs every run's rounds
     * \param directory an existing folder
     * \param title the plot's title
     * \return "" or what could not be written
     */
    static std::string WriteCdf(const std::vector<std::vector<RoundRecord>>& runs,
                                const std::string& directory,
                                const std::string& title);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_SERVING_REPORT_H */
