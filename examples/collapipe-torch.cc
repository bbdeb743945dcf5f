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

#include "ns3/collapipe-torch-helper.h"
#include "ns3/command-line-counts.h"
#include "ns3/core-module.h"

#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollaPipeTorchExample");

namespace
{

/// Print one round as it ends (TorchRoundRecorder's RoundRecorded).
void
PrintRound(const TorchRoundRecord& row)
{
    std::cout << std::setw(5) << row.round << std::setw(12) << std::fixed << std::setprecision(4)
              << row.latency << std::setw(12) << row.bytes / 1e6 << std::setw(10) << row.loss
              << std::setw(10) << row.trainAccuracy << std::setw(10) << row.heldOutAccuracy
              << std::setw(10) << std::setprecision(1) << row.wallSeconds << std::endl;
}

} // namespace

int
main(int argc, char* argv[])
{
    ExitOnRefusal("collapipe-torch"); // a refusal exits 2 with its message, not SIGABRT
    std::string model = "mini-encoder";
    int64_t clusters = 2; // counts are read signed: "-1" must not wrap around
    int64_t devicesPerCluster = 3;
    int64_t rounds = 12;
    int64_t localIterations = 5;
    int64_t microBatches = 2;
    int64_t microBatchSize = 8;
    std::string optimizer = "adam";
    double learningRate = 1e-3;
    std::string fidelity = "packet";
    std::string timing = "analytic";
    double distance = 10;
    int64_t evalSamples = 512;
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
    RefuseExtraArguments(cmd);

    CollaPipeTorchHelper collapipe;
    collapipe.SetModel(model);
    collapipe.SetClusters(RequireCountOption("clusters", clusters, 1, 255));
    collapipe.SetDevicesPerCluster(
        RequireCountOption("devicesPerCluster",
                           devicesPerCluster,
                           2,
                           UINT32_MAX,
                           "a control unit and at least one segment device (>= 2)"));
    collapipe.SetRounds(RequireCountOption("rounds", rounds, 1));
    collapipe.SetLocalIterations(
        RequireCountOption("localIterations", localIterations, 1, 255, "allowed 1..255"));
    collapipe.SetEvalSamples(RequireCountOption("evalSamples", evalSamples, 1));
    collapipe.SetFidelity(fidelity);
    collapipe.SetTiming(timing);
    collapipe.SetMicroBatches(
        RequireCountOption("microBatches", microBatches, 1, 65535, "allowed 1..65535"));
    collapipe.SetMicroBatchSize(RequireCountOption("microBatchSize", microBatchSize, 1));
    collapipe.SetOptimizer(optimizer);
    collapipe.SetLearningRate(learningRate);
    collapipe.SetDevice(device);
    // the output folder before the training, not after its first round
    RequireOutputDirectory("outputDir", outputDir);
    collapipe.SetOutputDirectory(outputDir);
    collapipe.GetNetworkHelper().SetDistance(distance);
    collapipe.Install();
    if (timing == "measured")
    {
        std::cout << "host calibration: " << collapipe.GetHostFlops() / 1e9
                  << " GFLOP/s (256x256 matmul)\n";
    }
    collapipe.GetRecorder()->TraceConnectWithoutContext("RoundRecorded", MakeCallback(&PrintRound));

    std::cout << "CollaPipe (LibTorch): model=" << model << ", " << clusters << " clusters of "
              << devicesPerCluster << " devices (segments";
    for (uint32_t layers : collapipe.GetEngineConfig().segmentLayers)
    {
        std::cout << " " << layers;
    }
    std::cout << " blocks), E=" << localIterations << ", M=" << microBatches << " x "
              << microBatchSize << " sequences, " << optimizer << " lr=" << learningRate
              << ", Wi-Fi " << fidelity << " level, " << timing << " compute time\n"
              << "round  latency(s)  bytes(MB)      loss  trainAcc   testAcc   wall(s)"
              << std::endl;
    const uint32_t completed = collapipe.Run();
    NS_ABORT_MSG_IF(completed != rounds,
                    "only " << completed << " of rounds=" << rounds << " rounds finished");

    Ptr<TorchRoundRecorder> recorder = collapipe.GetRecorder();
    recorder->Write();
    std::cout << "\nFinal held-out accuracy " << std::fixed << std::setprecision(4)
              << recorder->GetRecords().back().heldOutAccuracy << "; " << recorder->GetRoundsPath()
              << ", " << recorder->GetStepsPath() << std::endl;
    return 0;
}
