/* SPDX-License-Identifier: GPL-2.0-only */
#include "feasibility-report.h"

#include "ns3/fatal-error.h"
#include "ns3/layer-cost.h"
#include "ns3/layer-kernels.h"
#include "ns3/log.h"

#include <cstdio>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFeasibilityReport");

std::string
FeasibilityReport::Validate(const TransformerSpec& spec,
                            const std::vector<DeviceProfile>& devices,
                            const std::vector<TrainingRecipe>& recipes,
                            double usableFraction)
{
    std::string problem = spec.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    if (devices.empty())
    {
        return "devices is empty: give at least one device";
    }
    for (const auto& device : devices)
    {
        problem = device.Validate();
        if (!problem.empty())
        {
            return problem;
        }
    }
    if (recipes.empty())
    {
        return "recipes is empty: give at least one recipe";
    }
    for (const auto& recipe : recipes)
    {
        problem = LayerCostModel::Validate(spec, recipe);
        if (!problem.empty())
        {
            return problem;
        }
    }
    return SegmentMemory::ValidateFit(1, usableFraction);
}

FeasibilityRow
FeasibilityReport::ComputeRow(const TransformerSpec& spec,
                              const DeviceProfile& device,
                              const TrainingRecipe& recipe,
                              Ptr<ComputeModel> model,
                              double usableFraction)
{
    const std::vector<LayerCost> layers = LayerCostModel::Compute(spec, recipe);
    const auto last = static_cast<uint32_t>(layers.size() - 1);
    FeasibilityRow row;
    row.device = device.GetName();
    row.recipe = recipe;
    row.memory = SegmentMemory::Compute(layers, 0, last, 1);
    row.fit = SegmentMemory::CheckFit(row.memory, device.GetAvailableMemoryBytes(), usableFraction);
    row.forwardTime = Time(0);
    row.backwardTime = Time(0);
    const LayerKernels whole =
        LayerKernelModel::Sum(LayerKernelModel::Compute(spec, recipe), 0, last);
    row.forwardTime = model->GetWorkTime(device, recipe.dtype, whole.forward);
    if (!whole.backward.IsEmpty())
    {
        row.backwardTime = model->GetWorkTime(device, recipe.dtype, whole.backward);
    }
    return row;
}

std::vector<FeasibilityRow>
FeasibilityReport::Compute(const TransformerSpec& spec,
                           const std::vector<DeviceProfile>& devices,
                           const std::vector<TrainingRecipe>& recipes,
                           Ptr<ComputeModel> model,
                           double usableFraction)
{
    std::string problem = Validate(spec, devices, recipes, usableFraction);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    NS_ABORT_MSG_IF(!model, "FeasibilityReport: no compute model");
    std::vector<FeasibilityRow> rows;
    for (const auto& device : devices)
    {
        for (const auto& recipe : recipes)
        {
            rows.push_back(ComputeRow(spec, device, recipe, model, usableFraction));
        }
    }
    return rows;
}

std::string
FeasibilityReport::GetCsvHeader()
{
    return "device,recipe,dtype,micro_batch,parameter_bytes,gradient_bytes,optimizer_bytes,"
           "activation_bytes,required_bytes,available_bytes,fits,short_bytes,forward_s,backward_s";
}

std::string
FeasibilityReport::ToCsv(const FeasibilityRow& row)
{
    char times[64];
    std::snprintf(times,
                  sizeof(times),
                  "%.9f,%.9f",
                  row.forwardTime.GetSeconds(),
                  row.backwardTime.GetSeconds());
    std::ostringstream os;
    os << row.device << ',' << RecipeKindToString(row.recipe.kind) << ','
       << DataTypeToString(row.recipe.dtype) << ',' << row.recipe.microBatchSize << ','
       << row.memory.parameterBytes << ',' << row.memory.gradientBytes << ','
       << row.memory.optimizerStateBytes << ',' << row.memory.activationBytes << ','
       << row.fit.requiredBytes << ',' << row.fit.availableBytes << ',' << (row.fit.fits ? 1 : 0)
       << ',' << row.fit.shortBytes << ',' << times;
    return os.str();
}

std::string
FeasibilityReport::GetTableHeader()
{
    char line[160];
    std::snprintf(line,
                  sizeof(line),
                  "%-30s %-18s %11s %11s %-5s %12s %12s",
                  "device",
                  "recipe",
                  "need (GiB)",
                  "have (GiB)",
                  "fits",
                  "fwd (ms)",
                  "bwd (ms)");
    return line;
}

std::string
FeasibilityReport::ToTableLine(const FeasibilityRow& row)
{
    constexpr double GIB = 1024.0 * 1024.0 * 1024.0;
    char line[200];
    std::snprintf(line,
                  sizeof(line),
                  "%-30s %-18s %11.2f %11.2f %-5s %12.2f %12.2f",
                  row.device.c_str(),
                  RecipeKindToString(row.recipe.kind).c_str(),
                  static_cast<double>(row.fit.requiredBytes) / GIB,
                  static_cast<double>(row.fit.availableBytes) / GIB,
                  row.fit.fits ? "yes" : "no",
                  row.forwardTime.GetSeconds() * 1e3,
                  row.backwardTime.GetSeconds() * 1e3);
    return line;
}

} // namespace edgellm
} // namespace ns3
