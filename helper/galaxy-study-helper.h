/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_GALAXY_STUDY_HELPER_H
#define EDGE_LLM_GALAXY_STUDY_HELPER_H

#include "scenario.h"

#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One split's inference of one prompt in a Galaxy study.
 */
struct GalaxySplitResult
{
    bool outOfMemory{false};    //!< no split of this kind fits the devices
    double latencySeconds{0};   //!< simulated
    double predictedSeconds{0}; //!< the plan's prediction
    uint32_t devicesUsed{0};    //!< devices with a share (ring members or stages)
    uint64_t memoryBytes{0};    //!< the largest memory a device needed
    uint64_t bytes{0};          //!< bytes on the network
};

/**
 * \ingroup edge-llm
 * \brief Galaxy's tables: every split (GalaxyStrategy's Split: galaxy and the baselines) of one
 * prompt's inference, for models over environments (scenario files of a fleet on a network)
 * on their wired LAN and on Wi-Fi; and a sweep of the LAN's rate with and without tile-based
 * overlap. Out of memory is a cell of the table, not an error.
 */
class GalaxyStudyHelper
{
  public:
    /** \return the splits a table compares: galaxy, even, sequence, pipeline, single */
    static const std::vector<std::string>& GetSplits();

    /**
     * \param path an environment's scenario file
     * \return "" or why it cannot be read
     */
    std::string Load(const std::string& path);

    void SetModel(const std::string& model); //!< \param model a preset
    void SetPrompt(uint32_t tokens);         //!< \param tokens the prompt
    /// \param kind p2p (the file's LAN) or wifi (one 802.11ax BSS, the module's defaults)
    void SetNetwork(const std::string& kind);
    void SetDataRateMbps(double mbps); //!< \param mbps the LAN's link rate
    void SetTileOverlap(bool overlap); //!< \param overlap Galaxy's TileOverlap

    /** \return the environment's name (its scenario's) */
    std::string GetEnvironment() const;

    /**
     * \brief Run one split for one prompt.
     * \param split a Split value
     * \param fidelity flow or packet
     * \param outputDir output folder
     * \param[out] result the cell
     * \return "" (out of memory included: a result) or the problem
     */
    std::string RunSplit(const std::string& split,
                         const std::string& fidelity,
                         const std::string& outputDir,
                         GalaxySplitResult& result);

    /**
     * \brief Every split of every model in every environment on every network: print the
     * table (latency per split, OOM, Galaxy's speedup over the best baseline) and write
     * galaxy_table.csv in \p outputDir.
     * \param environments scenario files
     * \param models presets
     * \param networks p2p and/or wifi
     * \param prompt tokens
     * \param fidelity flow or packet
     * \param outputDir output folder
     * \param out where the table goes
     * \return "" or the problem
     */
    static std::string Table(const std::vector<std::string>& environments,
                             const std::vector<std::string>& models,
                             const std::vector<std::string>& networks,
                             uint32_t prompt,
                             const std::string& fidelity,
                             const std::string& outputDir,
                             std::ostream& out);

    /**
     * \brief Galaxy with and without tile-based overlap at each LAN rate: print the table and
     * write galaxy_overlap.csv in \p outputDir.
     * \param environment a scenario file
     * \param model a preset
     * \param prompt tokens
     * \param ratesMbps the LAN rates
     * \param outputDir output folder
     * \param out where the table goes
     * \return "" or the problem
     */
    static std::string OverlapSweep(const std::string& environment,
                                    const std::string& model,
                                    uint32_t prompt,
                                    const std::vector<double>& ratesMbps,
                                    const std::string& outputDir,
                                    std::ostream& out);

  private:
    Scenario m_scenario;  //!< the environment
    std::string m_model;  //!< preset ("": the file's)
    uint32_t m_prompt{0}; //!< tokens (0: the file's)
    bool m_overlap{true}; //!< TileOverlap
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_STUDY_HELPER_H */
