/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LOLA_DEFT_STUDY_HELPER_H
#define EDGE_LLM_LOLA_DEFT_STUDY_HELPER_H

#include "ns3/study-report.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What one LoLa DEFT scheme measured over the simulated rounds.
 */
struct LolaSchemeResult
{
    bool outOfMemory{false};    //!< no device (or server) holds what the scheme needs
    double roundSeconds{0};     //!< mean upload phase (slowest compute plus upload)
    double predictedSeconds{0}; //!< mean of the scheduler's prediction of it
    double computeSeconds{0};   //!< mean over rounds of the busiest node's compute
    double uploadSeconds{0};    //!< mean over rounds of the slowest device's upload
    uint64_t memoryBytes{0};    //!< the largest memory a device needed
    double uploadedBytes{0};    //!< mean bytes uploaded per round
};

/**
 * \ingroup edge-llm
 * \brief The LoLa DEFT study of scenarios/lola-deft-cell.json with its settings changed (model,
 * recipe, fleet size, cell band, disc radius, layers per block), every scheme run and
 * summarised, the single-device baseline added (out of memory is a result); and sweeps over the
 * number of devices or the band, written as lola_sweep.csv and lola_sweep.png.
 */
class LolaDeftStudyHelper
{
  public:
    /// the default scenario file's runs, with their settings
    LolaDeftStudyHelper();

    /**
     * \param path a LoLa DEFT scenario file
     * \return "" or why it cannot be read
     */
    std::string Load(const std::string& path);

    void SetModel(const std::string& model);   //!< \param model a preset ("": the file's)
    void SetRecipe(const std::string& recipe); //!< \param recipe full, lora... ("": the file's)
    void SetDevices(uint32_t devices);         //!< \param devices the file's kinds in turn
    void SetLayersPerBlock(uint32_t layers);   //!< \param layers 0: the file's
    void SetBandwidthMHz(double mhz);          //!< \param mhz the cell's band (0: the file's)
    void SetDistance(double metres);           //!< \param metres disc radius (0: the file's)
    /** \return the model the study runs */
    std::string GetModel() const;
    /** \return the recipe the study runs */
    std::string GetRecipe() const;

    /**
     * \brief Run every scheme.
     * \param rounds rounds each
     * \param fidelity flow or packet
     * \param outputDir output folder
     * \param report where the records go (null: nowhere)
     * \param[out] results per scheme, in the file's order, single-device last
     * \return "" or the problem
     */
    std::string Run(uint32_t rounds,
                    const std::string& fidelity,
                    const std::string& outputDir,
                    StudyReport* report,
                    std::vector<std::pair<std::string, LolaSchemeResult>>& results) const;

    /**
     * \brief Run every scheme at each point of a sweep, print the table, write lola_sweep.csv
     * and lola_sweep.png in \p outputDir.
     * \param sweep devices or bandwidth
     * \param points the devices or MHz of each point
     * \param rounds rounds each
     * \param fidelity flow or packet
     * \param outputDir output folder
     * \param table where the table goes
     * \return "" or the problem
     */
    std::string Sweep(const std::string& sweep,
                      const std::vector<double>& points,
                      uint32_t rounds,
                      const std::string& fidelity,
                      const std::string& outputDir,
                      std::ostream& table);

  private:
    /// the scenario text with the settings applied
    std::string MakeText() const;

    std::string m_base;           //!< the file's JSON
    std::string m_model;          //!< "" or the preset
    std::string m_recipe;         //!< "" or the recipe
    uint32_t m_devices{16};       //!< devices
    uint32_t m_layersPerBlock{0}; //!< 0: the file's
    double m_bandwidthMHz{0};     //!< cell band (0: the file's)
    double m_distance{0};         //!< disc radius (0: the file's)
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LOLA_DEFT_STUDY_HELPER_H */
