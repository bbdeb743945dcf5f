/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * Pipeline-parallel training of a Transformer encoder on heterogeneous edge devices over Wi-Fi.
 *
 * The encoder's blocks are cut into contiguous segments, one per device (the embedding rides
 * with the first, the output head with the last); M micro-batches flow through them with a
 * GPipe or 1F1B schedule. Every activation and gradient crosses the network as exactly its
 * bytes; compute times come from the analytic roofline model of each device.
 *
 *   pipeline-wifi --model=bert-base --devices=jetson-agx-orin,jetson-xavier-nx,jetson-tx2,\
 *                 smartphone-snapdragon-8-gen-2 --microBatches=4 --schedule=1f1b
 *
 * Prints each iteration's latency and bubble fraction; writes tasks.csv, iterations.csv,
 * trace.json (open in ui.perfetto.dev) and timeline.png under --outputDir.
 */

#include "ns3/analytic-compute-model.h"
#include "ns3/command-line-lists.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/layer-cost.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/run-recorder.h"
#include "ns3/segment-memory.h"

#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;
using namespace ns3::edgellm;

NS_LOG_COMPONENT_DEFINE("EdgeLlmPipelineWifiExample");

namespace
{

/// Contiguous cut of \p blocks encoder blocks into \p parts segments: sizes as equal as
/// possible ("even") or proportional to each device's achieved FLOP/s ("proportional").
std::vector<uint32_t>
SplitBlocks(uint32_t blocks,
            const std::vector<DeviceProfile>& devices,
            DataType dtype,
            const std::string& split)
{
    const auto parts = static_cast<uint32_t>(devices.size());
    std::vector<uint32_t> sizes(parts, 1);
    if (split == "even")
    {
        for (uint32_t i = 0; i < parts; ++i)
        {
            sizes[i] = blocks / parts + (i < blocks % parts ? 1 : 0);
        }
        return sizes;
    }
    // Proportional: one block each, then the rest one by one to the device whose finish time
    // (blocks / speed) would grow least.
    for (uint32_t assigned = parts; assigned < blocks; ++assigned)
    {
        uint32_t best = 0;
        double bestTime = 0;
        for (uint32_t i = 0; i < parts; ++i)
        {
            double time = (sizes[i] + 1) / devices[i].GetAchievedFlops(dtype);
            if (i == 0 || time < bestTime)
            {
                best = i;
                bestTime = time;
            }
        }
        ++sizes[best];
    }
    return sizes;
}

Ptr<TaskGraph>
ReturnGraph(Ptr<TaskGraph> graph, uint32_t iteration)
{
    return graph;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string model = "bert-base";
    std::string devices =
        "jetson-agx-orin,jetson-xavier-nx,jetson-tx2,smartphone-snapdragon-8-gen-2";
    std::string devicesFile = GetEdgeLlmDataPath("devices.json");
    std::string schedule = "1f1b";
    std::string split = "even";
    std::string network = "wifi";
    std::string dtype = "fp32";
    std::string d2d = "ap";
    std::string fading = "nakagami";
    std::string fidelity = "packet";
    uint32_t channelWidth = 80;
    uint32_t microBatches = 4;
    uint32_t microBatchSize = 8;
    uint32_t iterations = 1;
    double distance = 10;
    std::string outputDir = "results/pipeline-wifi";

    CommandLine cmd(__FILE__);
    cmd.AddValue("model",
                 "Transformer preset with an encoder (e.g. bert-base, roberta-large)",
                 model);
    cmd.AddValue("devices", "Comma-separated device names, one pipeline stage each", devices);
    cmd.AddValue("devicesFile", "JSON file of device profiles", devicesFile);
    cmd.AddValue("schedule", "Pipeline schedule: gpipe or 1f1b", schedule);
    cmd.AddValue("split", "Segment sizes: even or proportional (to achieved FLOP/s)", split);
    cmd.AddValue("microBatches", "Micro-batches per iteration (M)", microBatches);
    cmd.AddValue("microBatchSize", "Sequences per micro-batch", microBatchSize);
    cmd.AddValue("dtype", "Data type: fp32, fp16, bf16", dtype);
    cmd.AddValue("iterations", "Training iterations", iterations);
    cmd.AddValue("network", "Network: wifi, csma or p2p", network);
    cmd.AddValue("channelWidth", "Wi-Fi channel width in MHz: 20, 40, 80, 160", channelWidth);
    cmd.AddValue("d2d", "Wi-Fi device-to-device path: ap or adhoc", d2d);
    cmd.AddValue("fading", "Wi-Fi fading: none, nakagami, rayleigh", fading);
    cmd.AddValue("distance", "Device distance from the access point in metres", distance);
    cmd.AddValue("fidelity",
                 "Network fidelity: packet (ns-3 TCP) or flow (flow-level model)",
                 fidelity);
    cmd.AddValue("outputDir", "Folder for the CSV, trace and plot", outputDir);
    cmd.Parse(argc, argv);

    TransformerSpec spec;
    std::string problem = TransformerSpec::FromPreset(model, spec);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    NS_ABORT_MSG_IF(spec.encoderLayers == 0,
                    "model='" << model << "' has no encoder; this example pipelines an encoder "
                              << "(e.g. bert-base, roberta-large, distilbert)");
    PipelineSchedule pipelineSchedule;
    problem = ParsePipelineSchedule(schedule, pipelineSchedule);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    NS_ABORT_MSG_IF(split != "even" && split != "proportional",
                    "split='" << split << "' is not known; allowed: even, proportional");
    TrainingRecipe recipe;
    recipe.kind = RecipeKind::FULL;
    recipe.microBatchSize = microBatchSize;
    problem = ParseDataType(dtype, recipe.dtype);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    problem = LayerCostModel::Validate(spec, recipe);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    NS_ABORT_MSG_IF(microBatches == 0, "microBatches=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(iterations == 0, "iterations=0 is invalid: must be a positive integer");

    DeviceCatalog catalog;
    problem = catalog.LoadFile(devicesFile);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    std::vector<DeviceProfile> fleet;
    for (const auto& name : SplitCommaSeparated(devices))
    {
        DeviceProfile profile;
        problem = catalog.Find(name, profile);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        fleet.push_back(profile);
    }
    const auto stages = static_cast<uint32_t>(fleet.size());
    NS_ABORT_MSG_IF(stages < 2,
                    "devices='" << devices << "' gives " << stages
                                << " device(s); a pipeline needs at least 2");
    NS_ABORT_MSG_IF(stages > spec.encoderLayers,
                    "devices gives " << stages << " stages but model='" << model << "' has "
                                     << spec.encoderLayers
                                     << " encoder blocks; at most one stage per block");

    // Layers in execution order: embedding, encoder blocks, head. Stage i holds a contiguous
    // range; the embedding joins the first stage and the head the last.
    const std::vector<LayerCost> layers = LayerCostModel::Compute(spec, recipe);
    std::vector<uint32_t> sizes = SplitBlocks(spec.encoderLayers, fleet, recipe.dtype, split);
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    uint32_t next = 1; // layer 0 is the embedding
    for (uint32_t s = 0; s < stages; ++s)
    {
        uint32_t first = s == 0 ? 0 : next;
        uint32_t last = next + sizes[s] - 1;
        if (s + 1 == stages)
        {
            last = static_cast<uint32_t>(layers.size() - 1);
        }
        ranges.emplace_back(first, last);
        next = last + 1;
    }

    PipelineSpec pipeline;
    pipeline.schedule = pipelineSchedule;
    pipeline.microBatches = microBatches;
    pipeline.dtype = recipe.dtype;
    std::cout << spec.name << " encoder in " << stages << " segments, " << microBatches
              << " micro-batches of " << microBatchSize << ", " << schedule << ", " << network
              << "\n";
    for (uint32_t s = 0; s < stages; ++s)
    {
        const auto& [first, last] = ranges[s];
        LayerCost sum = LayerCostModel::Sum(layers, first, last);
        pipeline.stageDevices.push_back(s);
        pipeline.forwardCosts.push_back(
            ComputeCost::FromFlops(sum.forwardFlops, sum.forwardMemoryBytes));
        pipeline.backwardCosts.push_back(
            ComputeCost::FromFlops(sum.backwardFlops, sum.backwardMemoryBytes));
        pipeline.optimizerCosts.push_back(
            ComputeCost::FromFlops(LayerCostModel::GetOptimizerStepFlops(sum, recipe),
                                   LayerCostModel::GetOptimizerStepBytes(sum)));
        if (s + 1 < stages)
        {
            pipeline.activationBytes.push_back(layers[last].boundaryActivationBytes);
            pipeline.gradientBytes.push_back(layers[last].boundaryActivationBytes);
        }
        // Micro-batches in flight on stage s: all M for GPipe, min(S - s, M) for 1F1B.
        uint32_t inFlight = pipelineSchedule == PipelineSchedule::GPIPE
                                ? microBatches
                                : std::min(stages - s, microBatches);
        MemoryFit fit =
            SegmentMemory::CheckFit(SegmentMemory::Compute(layers, first, last, inFlight),
                                    fleet[s].GetMemoryBytes(),
                                    0.9);
        std::cout << "  stage " << s << " on " << fleet[s].GetName() << ": layers " << first << ".."
                  << last << ", memory " << std::fixed << std::setprecision(2)
                  << fit.requiredBytes / 1073741824.0 << " GiB of "
                  << fit.availableBytes / 1073741824.0 << " GiB"
                  << (fit.fits ? "" : "  OUT OF MEMORY: " + fit.reason) << "\n";
    }

    Ptr<TaskGraph> graph = Create<TaskGraph>(stages + 1);
    PipelineScheduleBuilder::Build(*graph, pipeline);

    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork(network);
    if (network == "wifi")
    {
        networkHelper.SetChannelWidth(channelWidth);
        networkHelper.SetD2dMode(d2d);
        networkHelper.SetFading(fading);
        networkHelper.SetDistance(distance);
    }
    Ptr<EdgeNetwork> edgeNetwork = networkHelper.Install(stages);
    networkHelper.AssignStreams(edgeNetwork, 1000);

    std::vector<DeviceProfile> profiles = fleet;
    profiles.push_back(catalog.Get("edge-server-a100"));
    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(fidelity);
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(iterations));
    ApplicationContainer apps = runtime.Install(edgeNetwork);
    runtime.GetServer()->SetGraphSource(MakeBoundCallback(&ReturnGraph, graph));
    runtime.GetServer()->WaitForNetwork(edgeNetwork);
    apps.Start(Seconds(0));

    Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
    recorder->SetAttribute("OutputDirectory", StringValue(outputDir));
    std::vector<std::string> names;
    for (const auto& profile : profiles)
    {
        names.push_back(profile.GetName());
    }
    names.back() = "edge-server";
    runtime.EnableRecorder(recorder, names);

    ShowProgress progress(Seconds(10), std::cerr);
    Simulator::Run();

    std::cout << "\niteration  latency (s)  bubble  efficiency  bytes on the network\n";
    for (const auto& stats : recorder->GetIterationStats())
    {
        std::cout << std::setw(9) << stats.iteration << "  " << std::setw(11)
                  << std::setprecision(4) << stats.latency.GetSeconds() << "  " << std::setw(6)
                  << std::setprecision(3) << stats.bubbleFraction << "  " << std::setw(10)
                  << stats.efficiency << "  " << stats.bytes << "\n";
    }
    NS_ABORT_MSG_IF(recorder->GetIterationStats().size() != iterations,
                    "only " << recorder->GetIterationStats().size() << " of " << iterations
                            << " iterations finished");
    std::cout << "\nOutputs in " << outputDir
              << ": tasks.csv, iterations.csv, trace.json, timeline.png\n";
    Simulator::Destroy();
    return 0;
}
