/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: the cost of simulating real distributed training.
 *
 * The same training (tiny-encoder by default, a data owner and three segment devices over
 * Wi-Fi, the server's head and loss, the same seed and batches) runs (a) as the simulated
 * distributed run (LibTorch kernels on the simulated devices, tensors as real bytes through
 * the network at the flow level and at the packet level) and (b) in one process without
 * segments or network (TorchComputeEngine::TrainReference). Reported: the wall-time ratio
 * distributed / one process (target <= 1.5 at the flow level), and this host's achieved GFLOP/s
 * in the segment kernels (estimated FLOPs over their wall time) against a plain LibTorch
 * matmul, single-threaded.
 */

#include "edge-llm-test-utils.h"

#include "ns3/core-module.h"
#include "ns3/torch-compute-engine.h"
#include "ns3/torch-training-graph-builder.h"

#include <chrono>
#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

double
Since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// One distributed run; returns its wall seconds and the engine (for kernel totals).
double
RunDistributed(const TorchEngineConfig& config,
               uint32_t steps,
               const std::string& fidelity,
               Ptr<TorchComputeEngine>& engineOut,
               double& maxLossDifference,
               const std::vector<double>& reference)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    const auto start = std::chrono::steady_clock::now();
    Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
    engine->Configure(config);
    const uint32_t devices = config.segmentLayers.size() + 1;
    TorchTrainingPlan plan;
    TorchClusterLayout layout;
    layout.source = 0;
    for (uint32_t s = 0; s < config.segmentLayers.size(); ++s)
    {
        layout.stageDevices.push_back(s + 1);
    }
    plan.clusters = {layout};
    plan.server = devices;
    TestNetworkSettings networkSettings;
    networkSettings.kind = "wifi";
    networkSettings.fading = "none";
    networkSettings.distance = 10;
    Ptr<EdgeNetwork> network = InstallTestNetwork(devices, networkSettings);
    Ptr<TaskGraph> graph = TorchTrainingGraphBuilder::BuildRound(engine, plan, devices + 1);
    FixedGraphRunSettings settings;
    settings.fidelity = fidelity;
    settings.iterations = steps;
    settings.stopTime = Seconds(36000);
    settings.beforeRun = [engine](EdgeLlmRuntimeHelper& runtime, ApplicationContainer&) {
        engine->Connect(runtime.GetExecution());
    };
    NS_ABORT_MSG_IF(RunFixedGraph(graph, network, settings).completedIterations != steps,
                    "the distributed run did not finish");
    const double wall = Since(start);
    maxLossDifference = 0;
    for (const auto& record : engine->GetStepRecords())
    {
        maxLossDifference =
            std::max(maxLossDifference, std::abs(record.loss - reference.at(record.step)));
    }
    engineOut = engine;
    return wall;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string model = "tiny-encoder";
    uint32_t steps = 10;
    uint32_t microBatches = 2;
    uint32_t microBatchSize = 8;
    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "A small encoder preset: tiny-encoder or mini-encoder", model);
    cmd.AddValue("steps", "Training steps", steps);
    cmd.AddValue("microBatches", "Micro-batches per step", microBatches);
    cmd.AddValue("microBatchSize", "Sequences per micro-batch", microBatchSize);
    cmd.Parse(argc, argv);

    TorchEngineConfig config;
    std::string problem = TransformerSpec::FromPreset(model, config.spec);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    NS_ABORT_MSG_IF(steps == 0, "steps=0 is invalid: must be a positive integer");
    // Three segments when the model has enough blocks, else one block each.
    const uint32_t layers = config.spec.encoderLayers;
    const uint32_t segments = std::min<uint32_t>(3, layers);
    for (uint32_t s = 0; s < segments; ++s)
    {
        config.segmentLayers.push_back(layers / segments + (s < layers % segments ? 1 : 0));
    }
    config.microBatches = microBatches;
    config.microBatchSize = microBatchSize;
    problem = TorchComputeEngine::Validate(config);
    NS_ABORT_MSG_IF(!problem.empty(), problem);

    // Warm LibTorch up (first-use allocations) outside the timed runs.
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    CreateObject<TorchComputeEngine>()->Configure(config);

    // (b) one process: the same model, seed and batches.
    auto start = std::chrono::steady_clock::now();
    Ptr<TorchComputeEngine> single = CreateObject<TorchComputeEngine>();
    single->Configure(config);
    single->TrainReference(1, 0);
    start = std::chrono::steady_clock::now();
    std::vector<double> reference = single->TrainReference(steps, 0);
    const double singleWall = Since(start);

    std::cout << "torch-overhead: model=" << model << ", " << segments << " segments + embedding "
              << "device + server over Wi-Fi, " << steps << " steps of " << microBatches << " x "
              << microBatchSize << " sequences\n"
              << std::fixed << std::setprecision(3) << "one process:                " << singleWall
              << " s\n";
    Ptr<TorchComputeEngine> engine;
    for (const std::string fidelity : {"flow", "packet"})
    {
        double difference = 0;
        const double wall = RunDistributed(config, steps, fidelity, engine, difference, reference);
        std::cout << "distributed (" << fidelity << " level): " << std::setw(8) << wall
                  << " s   ratio " << std::setprecision(2) << wall / singleWall
                  << (fidelity == "flow" ? " (target <= 1.5)" : "") << std::setprecision(3)
                  << "   max |loss diff| " << std::scientific << difference << std::fixed << "\n";
    }
    double flops = 0;
    double seconds = 0;
    engine->GetSegmentKernelTotals(flops, seconds);
    const double segmentGflops = flops / seconds / 1e9;
    const double matmulGflops = TorchComputeEngine::MeasureMatmulGflops(512, 20);
    std::cout << std::setprecision(2) << "segment kernels: " << segmentGflops
              << " GFLOP/s (estimated FLOPs / wall time, forward and backward)\n"
              << "plain matmul 512x512: " << matmulGflops << " GFLOP/s\n"
              << "ratio segment / matmul: " << segmentGflops / matmulGflops << std::endl;
    return 0;
}
