/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * CollaPipe with real tensors (LibTorch): clusters of Wi-Fi devices train a small Transformer
 * encoder pipeline-parallel on a synthetic sequence-classification task; the edge server runs
 * the classification head and the loss, and averages the clusters (FedAvg) every round.
 *
 *   collapipe-torch --model=mini-encoder --clusters=2 --devicesPerCluster=3 --rounds=12 \
 *                   --outputDir=results/collapipe-torch
 *
 * In each cluster the first device is the control unit (it holds the data and runs the
 * embedding); the others run contiguous segments of encoder blocks. Every activation,
 * gradient and parameter transfer carries the tensor's real bytes over the simulated network,
 * and the devices compute on what arrived. Simulated compute time is the analytic roofline of
 * each device's profile. Per round: simulated latency, bytes on the wire, mean training loss,
 * training accuracy and held-out accuracy (after FedAvg), and the wall time (printed only).
 * Writes rounds.csv and steps.csv (loss and accuracy of every step of every cluster) under
 * --outputDir; with analytic timing the same seed gives the same files.
 */

#include "ns3/analytic-compute-model.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/torch-compute-engine.h"
#include "ns3/torch-training-graph-builder.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollaPipeTorchExample");

namespace
{

/// One row of rounds.csv.
struct RoundRow
{
    uint32_t round;
    double latency;
    uint64_t bytes;
    double loss;
    double trainAccuracy;
    double heldOutAccuracy;
    double wallSeconds;
};

/// State the round trace needs.
struct RoundContext
{
    Ptr<TorchComputeEngine> engine;
    Ptr<TaskGraph> graph;
    uint32_t evalSamples;
    uint32_t localIterations;
    std::vector<RoundRow> rows;
    std::chrono::steady_clock::time_point wallStart;
};

Ptr<TaskGraph>
ReturnGraph(Ptr<TaskGraph> graph, uint32_t iteration)
{
    return graph;
}

void
OnRound(RoundContext* context, uint32_t round, Time start, Time end)
{
    RoundRow row;
    row.round = round;
    row.latency = (end - start).GetSeconds();
    row.bytes = context->graph->GetTotalTransferBytes();
    // This round's steps (round * E .. round * E + E - 1), over every cluster.
    double loss = 0;
    uint32_t steps = 0;
    uint32_t correct = 0;
    uint32_t samples = 0;
    for (const auto& record : context->engine->GetStepRecords())
    {
        if (record.step / context->localIterations == round)
        {
            loss += record.loss;
            steps++;
            correct += record.correct;
            samples += record.samples;
        }
    }
    row.loss = steps ? loss / steps : 0;
    row.trainAccuracy = samples ? double(correct) / samples : 0;
    // After FedAvg every replica holds the same model.
    row.heldOutAccuracy = context->engine->Evaluate(0, context->evalSamples);
    row.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - context->wallStart)
            .count();
    context->rows.push_back(row);
    std::cout << std::setw(5) << round << std::setw(12) << std::fixed << std::setprecision(4)
              << row.latency << std::setw(12) << row.bytes / 1e6 << std::setw(10) << row.loss
              << std::setw(10) << row.trainAccuracy << std::setw(10) << row.heldOutAccuracy
              << std::setw(10) << std::setprecision(1) << row.wallSeconds << std::endl;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string model = "mini-encoder";
    uint32_t clusters = 2;
    uint32_t devicesPerCluster = 3;
    uint32_t rounds = 12;
    uint32_t localIterations = 5;
    uint32_t microBatches = 2;
    uint32_t microBatchSize = 8;
    std::string optimizer = "adam";
    double learningRate = 1e-3;
    std::string fidelity = "packet";
    std::string timing = "analytic";
    double distance = 10;
    uint32_t evalSamples = 512;
    std::string device = "jetson-tx2";
    std::string outputDir = "results/collapipe-torch";

    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "A small encoder preset: tiny-encoder or mini-encoder", model);
    cmd.AddValue("clusters", "Clusters (model replicas averaged by FedAvg)", clusters);
    cmd.AddValue("devicesPerCluster",
                 "Devices per cluster: a control unit (embedding) and the segment devices",
                 devicesPerCluster);
    cmd.AddValue("rounds", "FedAvg rounds", rounds);
    cmd.AddValue("localIterations", "Pipeline steps per cluster per round (E)", localIterations);
    cmd.AddValue("microBatches", "Micro-batches per step (M)", microBatches);
    cmd.AddValue("microBatchSize", "Sequences per micro-batch", microBatchSize);
    cmd.AddValue("optimizer", "adam or sgd", optimizer);
    cmd.AddValue("learningRate", "Learning rate", learningRate);
    cmd.AddValue("fidelity", "Network fidelity: packet or flow", fidelity);
    cmd.AddValue("timing",
                 "Compute time: analytic (roofline, reproducible) or measured (kernel wall time "
                 "x host / device FLOP/s, host calibrated with a matmul)",
                 timing);
    cmd.AddValue("distance", "Device distance from the access point in metres", distance);
    cmd.AddValue("evalSamples", "Held-out sequences for the accuracy", evalSamples);
    cmd.AddValue("device", "Device profile of every device (catalog name)", device);
    cmd.AddValue("outputDir", "Folder for rounds.csv", outputDir);
    cmd.Parse(argc, argv);

    TorchEngineConfig config;
    std::string problem = TransformerSpec::FromPreset(model, config.spec);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    NS_ABORT_MSG_IF(clusters == 0, "clusters=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(devicesPerCluster < 2,
                    "devicesPerCluster=" << devicesPerCluster
                                         << " is invalid: a control unit and at least one segment "
                                            "device (>= 2)");
    NS_ABORT_MSG_IF(rounds == 0, "rounds=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(localIterations == 0 || localIterations > 255,
                    "localIterations=" << localIterations << " is invalid: allowed 1..255");
    NS_ABORT_MSG_IF(evalSamples == 0, "evalSamples=0 is invalid: must be a positive integer");
    problem = EdgeLlmRuntimeHelper::CheckFidelity(fidelity);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    NS_ABORT_MSG_IF(timing != "analytic" && timing != "measured",
                    "timing='" << timing << "' is not known; allowed: analytic, measured");
    const uint32_t segments = devicesPerCluster - 1;
    NS_ABORT_MSG_IF(segments > config.spec.encoderLayers,
                    "devicesPerCluster=" << devicesPerCluster << " gives " << segments
                                         << " segment devices but model='" << model << "' has "
                                         << config.spec.encoderLayers
                                         << " encoder blocks; at most one device per block");
    // Even split; the first segments take the remainder.
    for (uint32_t s = 0; s < segments; ++s)
    {
        config.segmentLayers.push_back(config.spec.encoderLayers / segments +
                                       (s < config.spec.encoderLayers % segments ? 1 : 0));
    }
    config.replicas = clusters;
    config.microBatches = microBatches;
    config.microBatchSize = microBatchSize;
    config.optimizer = optimizer;
    config.learningRate = learningRate;
    problem = TorchComputeEngine::Validate(config);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    DeviceProfile deviceProfile;
    problem = catalog.Find(device, deviceProfile);
    NS_ABORT_MSG_IF(!problem.empty(), problem);

    // Nodes: cluster by cluster (control unit, then segment devices), the server last.
    const uint32_t devices = clusters * devicesPerCluster;
    TorchTrainingPlan plan;
    for (uint32_t c = 0; c < clusters; ++c)
    {
        TorchClusterLayout layout;
        layout.source = c * devicesPerCluster;
        for (uint32_t s = 0; s < segments; ++s)
        {
            layout.stageDevices.push_back(c * devicesPerCluster + 1 + s);
        }
        plan.clusters.push_back(layout);
    }
    plan.server = devices;
    plan.localIterations = localIterations;
    plan.fedAvg = true;
    problem = TorchTrainingGraphBuilder::Validate(config, plan, devices + 1);
    NS_ABORT_MSG_IF(!problem.empty(), problem);

    Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
    engine->Configure(config);
    engine->SetLocalIterations(localIterations);

    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork("wifi");
    networkHelper.SetDistance(distance);
    Ptr<EdgeNetwork> network = networkHelper.Install(devices);
    networkHelper.AssignStreams(network, 100);
    std::vector<DeviceProfile> profiles(devices, deviceProfile);
    profiles.push_back(catalog.Get("edge-server-a100"));

    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(fidelity);
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(rounds));
    ApplicationContainer apps = runtime.Install(network);
    engine->Connect(runtime.GetExecution());
    if (timing == "measured")
    {
        const double hostFlops = TorchComputeEngine::MeasureMatmulGflops(256, 20) * 1e9;
        std::cout << "host calibration: " << hostFlops / 1e9 << " GFLOP/s (256x256 matmul)\n";
        runtime.GetExecution()->SetMeasuredKernelTiming(hostFlops);
    }
    RoundContext context;
    context.engine = engine;
    context.graph = TorchTrainingGraphBuilder::BuildRound(engine, plan, devices + 1);
    context.evalSamples = evalSamples;
    context.localIterations = localIterations;
    context.wallStart = std::chrono::steady_clock::now();
    runtime.GetServer()->SetGraphSource(MakeBoundCallback(&ReturnGraph, context.graph));
    runtime.GetServer()->WaitForNetwork(network);
    runtime.GetServer()->TraceConnectWithoutContext("IterationCompleted",
                                                    MakeBoundCallback(&OnRound, &context));
    apps.Start(Seconds(0));

    std::cout << "CollaPipe (LibTorch): model=" << model << ", " << clusters << " clusters of "
              << devicesPerCluster << " devices (segments";
    for (uint32_t layers : config.segmentLayers)
    {
        std::cout << " " << layers;
    }
    std::cout << " blocks), E=" << localIterations << ", M=" << microBatches << " x "
              << microBatchSize << " sequences, " << optimizer << " lr=" << learningRate
              << ", Wi-Fi " << fidelity << " level, " << timing << " compute time\n"
              << "round  latency(s)  bytes(MB)      loss  trainAcc   testAcc   wall(s)"
              << std::endl;
    Simulator::Stop(Seconds(36000));
    Simulator::Run();
    const uint32_t completed = runtime.GetServer()->GetCompletedIterations();
    Simulator::Destroy();
    NS_ABORT_MSG_IF(completed != rounds,
                    "only " << completed << " of rounds=" << rounds << " rounds finished");

    std::error_code error;
    std::filesystem::create_directories(outputDir, error);
    NS_ABORT_MSG_IF(error,
                    "outputDir='" << outputDir << "' cannot be created: " << error.message());
    const std::string path = outputDir + "/rounds.csv";
    std::ofstream csv(path);
    NS_ABORT_MSG_IF(!csv, "cannot write " << path);
    // No wall time in the file: same seed, same file, byte for byte.
    csv << "round,latency_s,bytes,loss,train_accuracy,heldout_accuracy\n";
    for (const auto& row : context.rows)
    {
        csv << row.round << "," << row.latency << "," << row.bytes << "," << row.loss << ","
            << row.trainAccuracy << "," << row.heldOutAccuracy << "\n";
    }
    const std::string stepsPath = outputDir + "/steps.csv";
    std::ofstream steps(stepsPath);
    NS_ABORT_MSG_IF(!steps, "cannot write " << stepsPath);
    steps << "step,cluster,loss,train_accuracy\n";
    for (const auto& record : engine->GetStepRecords())
    {
        steps << record.step << "," << record.replica << "," << record.loss << ","
              << double(record.correct) / record.samples << "\n";
    }
    std::cout << "\nFinal held-out accuracy " << std::setprecision(4)
              << context.rows.back().heldOutAccuracy << "; " << path << ", " << stepsPath
              << std::endl;
    return 0;
}
