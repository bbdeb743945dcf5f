/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_FEASIBILITY_REPORT_H
#define EDGE_LLM_FEASIBILITY_REPORT_H

#include "ns3/compute-model.h"
#include "ns3/device-profile.h"
#include "ns3/nstime.h"
#include "ns3/segment-memory.h"
#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One device and one recipe: does the whole model fit, and how long does one forward
 * and one backward pass of a micro-batch take there.
 */
struct FeasibilityRow
{
    std::string device;    //!< device profile name
    TrainingRecipe recipe; //!< the recipe
    SegmentMemory memory;  //!< memory of the whole model, one micro-batch in flight
    MemoryFit fit;         //!< whether it fits the device's usable memory
    Time forwardTime;      //!< forward of one micro-batch through every layer
    Time backwardTime;     //!< backward of one micro-batch through every layer (0: inference)
};

/**
 * \ingroup edge-llm
 * \brief Which recipes of a model fit in which device, and the analytic time of a pass.
 *
 * The model runs whole on one device: every layer, one micro-batch in flight. Times are the
 * sum over layers of the compute model's time of each layer (so a roofline decides per layer
 * whether it is compute- or memory-bound).
 */
class FeasibilityReport
{
  public:
    /**
     * \brief Check the inputs of Compute.
     * \param spec the model
     * \param devices the devices
     * \param recipes the recipes
     * \param usableFraction share of each device's memory the run may use, in (0, 1]
     * \return "" or the first problem
     */
    static std::string Validate(const TransformerSpec& spec,
                                const std::vector<DeviceProfile>& devices,
                                const std::vector<TrainingRecipe>& recipes,
                                double usableFraction);

    /**
     * \brief Compute one row per device and recipe (devices outer, recipes inner);
     * NS_FATAL_ERROR with Validate's message on bad input.
     * \param spec the model
     * \param devices the devices
     * \param recipes the recipes
     * \param model the compute model
     * \param usableFraction share of each device's memory the run may use, in (0, 1]
     * \return the rows
     */
    static std::vector<FeasibilityRow> Compute(const TransformerSpec& spec,
                                               const std::vector<DeviceProfile>& devices,
                                               const std::vector<TrainingRecipe>& recipes,
                                               Ptr<ComputeModel> model,
                                               double usableFraction);

    /**
     * \brief Compute one row.
     * \param spec the model (valid)
     * \param device the device (valid)
     * \param recipe the recipe (valid for spec)
     * \param model the compute model
     * \param usableFraction share of the device's memory the run may use
     * \return the row
     */
    static FeasibilityRow ComputeRow(const TransformerSpec& spec,
                                     const DeviceProfile& device,
                                     const TrainingRecipe& recipe,
                                     Ptr<ComputeModel> model,
                                     double usableFraction);

    /// \return the CSV header line (no newline)
    static std::string GetCsvHeader();
    /**
     * \param row a row
     * \return its CSV line (no newline), fixed formatting
     */
    static std::string ToCsv(const FeasibilityRow& row);
    /**
     * \param row a row
     * \return its line of the human-readable table
     */
    static std::string ToTableLine(const FeasibilityRow& row);
    /// \return the header of the human-readable table
    static std::string GetTableHeader();
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_FEASIBILITY_REPORT_H */
