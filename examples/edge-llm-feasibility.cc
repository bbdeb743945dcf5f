/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * Which training recipes of a Transformer fit in each edge device's memory, and the analytic
 * time of one forward and one backward pass of a micro-batch through the whole model there.
 *
 *   edge-llm-feasibility --model=bert-base --devices=jetson-nano,raspberry-pi-4 \
 *                        --recipes=full,lora,inference --microBatch=8 --dtype=fp32
 *
 * Writes feasibility.csv under --outputDir.
 */

#include "ns3/command-line-counts.h"
#include "ns3/command-line-lists.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/feasibility-report.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/layer-cost.h"
#include "ns3/transformer-spec.h"

#include <fstream>
#include <iostream>
#include <sstream>

using namespace ns3;
using namespace ns3::edgellm;

NS_LOG_COMPONENT_DEFINE("EdgeLlmFeasibilityExample");

int
main(int argc, char* argv[])
{
    ExitOnRefusal("edge-llm-feasibility"); // a refusal exits 2 with its message, not SIGABRT
    std::string model = "bert-base";
    std::string devices = "all";
    std::string recipes = "full,adapters,lora,parallel-adapters,inference";
    std::string dtype = "fp32";
    int64_t microBatch = 8; // counts are parsed signed: -1 is refused as -1, not 4294967295
    double dropout = 0.1;
    int64_t dropoutMaskBytes = 1;
    int64_t sequenceLength = 0;
    double usableFraction = 0.9;
    std::string devicesFile = GetEdgeLlmDataPath("devices.json");
    std::string outputDir = "results/feasibility";

    CommandLine cmd(__FILE__);
    cmd.AddValue("model",
                 "Transformer preset (" + std::to_string(TransformerSpec::GetPresetNames().size()) +
                     " presets, e.g. bert-base, t5-large, opt-1.3b)",
                 model);
    cmd.AddValue("devices",
                 "Comma-separated device names from the devices file, or 'all'",
                 devices);
    cmd.AddValue("devicesFile", "JSON file of device profiles", devicesFile);
    cmd.AddValue("recipes",
                 "Comma-separated recipes: full, adapters, lora, parallel-adapters, inference",
                 recipes);
    cmd.AddValue("dtype", "Data type: fp32, fp16, bf16", dtype);
    cmd.AddValue("microBatch", "Sequences per micro-batch", microBatch);
    cmd.AddValue("dropout", "Dropout probability in training, in [0, 1)", dropout);
    cmd.AddValue("dropoutMaskBytes",
                 "Bytes per kept dropout mask element: 1 (CUDA), 0 (the data type, LibTorch CPU)",
                 dropoutMaskBytes);
    cmd.AddValue("sequenceLength", "Sequence length (0: the preset's)", sequenceLength);
    cmd.AddValue("usableFraction",
                 "Share of a device's memory the run may use, in (0, 1]",
                 usableFraction);
    cmd.AddValue("outputDir", "Folder for feasibility.csv", outputDir);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);
    // the recipe's own check gives the upper bound
    const uint32_t microBatchSize = RequireCountOption("microBatch", microBatch, 1);
    const uint32_t maskBytes = RequireCountOption("dropoutMaskBytes", dropoutMaskBytes, 0, 8);
    const uint32_t sequence = RequireCountOption("sequenceLength",
                                                 sequenceLength,
                                                 0,
                                                 1u << 20,
                                                 "must be in [0, 1048576] (0: the preset's)");

    TransformerSpec spec;
    std::string problem = TransformerSpec::FromPreset(model, spec);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    if (sequence > 0)
    {
        spec.sequenceLength = sequence;
    }

    DeviceCatalog catalog;
    problem = catalog.LoadFile(devicesFile);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    std::vector<DeviceProfile> fleet;
    problem = catalog.FindAll(devices == "all" ? catalog.GetNames() : SplitCommaSeparated(devices),
                              fleet);
    NS_ABORT_MSG_IF(!problem.empty(), problem);

    DataType type;
    problem = ParseDataType(dtype, type);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    std::vector<TrainingRecipe> recipeList;
    for (const auto& name : SplitCommaSeparated(recipes))
    {
        TrainingRecipe recipe;
        problem = TrainingRecipe::ParseRecipeKind(name, recipe.kind);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        recipe.dtype = type;
        recipe.microBatchSize = microBatchSize;
        recipe.dropout = dropout;
        recipe.dropoutMaskBytes = maskBytes;
        problem = recipe.Validate();
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        recipeList.push_back(recipe);
    }
    problem = FeasibilityReport::Validate(spec, fleet, recipeList, usableFraction);
    NS_ABORT_MSG_IF(!problem.empty(), problem);

    RequireOutputDirectory("outputDir", outputDir);
    const std::string csvPath = outputDir + "/feasibility.csv";
    std::ofstream csv(csvPath);
    NS_ABORT_MSG_IF(!csv, "outputDir='" << outputDir << "': cannot write " << csvPath);
    csv << FeasibilityReport::GetCsvHeader() << '\n';

    std::cout << spec.name << ": " << spec.GetParameterCount() / 1e6 << " M parameters, sequence "
              << spec.sequenceLength << ", micro-batch " << microBatchSize << ", " << dtype
              << ", usable memory " << usableFraction * 100 << "%\n"
              << "Whole model on one device, one micro-batch in flight; times from the analytic "
                 "roofline model\n\n"
              << FeasibilityReport::GetTableHeader() << '\n';
    Ptr<ComputeModel> computeModel = CreateObject<KernelComputeModel>();
    for (const auto& device : fleet)
    {
        for (const auto& recipe : recipeList)
        {
            // Each row is written as soon as it is known, so an error later loses nothing.
            FeasibilityRow row =
                FeasibilityReport::ComputeRow(spec, device, recipe, computeModel, usableFraction);
            std::cout << FeasibilityReport::ToTableLine(row) << '\n';
            csv << FeasibilityReport::ToCsv(row) << '\n' << std::flush;
        }
    }
    std::cout << "\nCSV: " << csvPath << std::endl;
    return 0;
}
