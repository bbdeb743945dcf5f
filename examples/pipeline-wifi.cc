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

#include "ns3/command-line-counts.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/pipeline-training-helper.h"

#include <iostream>
#include <utility>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

NS_LOG_COMPONENT_DEFINE("EdgeLlmPipelineWifiExample");

int
main(int argc, char* argv[])
{
    ExitOnRefusal("pipeline-wifi"); // a refusal exits 2 with its message, not SIGABRT
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
    int64_t channelWidth = 80; // counts and widths are read signed: "-1" must not wrap around
    int64_t microBatches = 4;
    int64_t microBatchSize = 8;
    int64_t iterations = 1;
    double distance = 10;
    bool simulateOutOfMemory = false;
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
    cmd.AddValue("simulateOutOfMemory",
                 "Simulate a plan whose stages do not fit in their devices' memory (for "
                 "timing studies; otherwise such a plan is refused)",
                 simulateOutOfMemory);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);

    PipelineTrainingHelper pipeline;
    pipeline.SetModel(model);
    pipeline.SetSchedule(schedule);
    pipeline.SetSplit(split);
    pipeline.SetDataType(dtype);
    // bounds that keep a run finite: every micro-batch is a task on every stage, every
    // iteration a whole pipeline flush
    pipeline.SetMicroBatchSize(RequireCountOption("microBatchSize", microBatchSize, 1, 4096));
    pipeline.SetMicroBatches(RequireCountOption("microBatches", microBatches, 1, 1024));
    pipeline.SetIterations(RequireCountOption("iterations", iterations, 1, 1000));
    pipeline.SetDevices(devices, devicesFile);
    pipeline.SetFidelity(fidelity);
    // the output folder before the simulation, not after it
    RequireOutputDirectory("outputDir", outputDir);
    pipeline.SetOutputDirectory(outputDir);
    EdgeNetworkHelper& networkHelper = pipeline.GetNetworkHelper();
    networkHelper.SetNetwork(network);
    if (network != "wifi")
    {
        // a Wi-Fi option changed from its default on a wired network would have no effect
        const std::vector<std::pair<std::string, bool>> wifiOnly{
            {"channelWidth=" + std::to_string(channelWidth), channelWidth != 80},
            {"d2d=" + d2d, d2d != "ap"},
            {"fading=" + fading, fading != "nakagami"},
            {"distance=" + std::to_string(distance), distance != 10}};
        for (const auto& [option, given] : wifiOnly)
        {
            if (given)
            {
                NS_FATAL_ERROR(option << " has no effect with network=" << network
                                      << ": it is a Wi-Fi option (network=wifi)");
            }
        }
    }
    if (network == "wifi")
    {
        networkHelper.SetChannelWidth(RequireCountOption("channelWidth",
                                                         channelWidth,
                                                         0,
                                                         UINT32_MAX,
                                                         "allowed: 20, 40, 80, 160"));
        networkHelper.SetD2dMode(d2d);
        networkHelper.SetFading(fading);
        networkHelper.SetDistance(distance);
    }
    pipeline.PrintPlan(std::cout);
    for (const EncoderPipelineStage& stage : pipeline.GetPlan().stages)
    {
        if (!stage.memory.fits && !simulateOutOfMemory)
        {
            NS_FATAL_ERROR("the plan does not fit: layers "
                           << stage.firstLayer << ".." << stage.lastLayer << ": "
                           << stage.memory.reason
                           << "; choose other --devices, --split, --microBatches or "
                              "--microBatchSize, or --simulateOutOfMemory=true to time it anyway");
        }
    }

    pipeline.EnableProgress(Seconds(10), std::cerr);
    const std::vector<IterationStats> stats = pipeline.Run();
    PipelineTrainingHelper::PrintIterations(stats, std::cout);
    NS_ABORT_MSG_IF(stats.size() != static_cast<uint64_t>(iterations),
                    "only " << stats.size() << " of " << iterations << " iterations finished");
    std::cout << "\nOutputs in " << outputDir
              << ": tasks.csv, iterations.csv, trace.json, timeline.png\n";
    return 0;
}
