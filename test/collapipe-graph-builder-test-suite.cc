/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/analytic-compute-model.h"
#include "ns3/collapipe-graph-builder.h"
#include "ns3/collapipe-round-model.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/tcp-tensor-transport.h"
#include "ns3/test.h"

#include <algorithm>

/**
 * \file
 * \ingroup edge-llm-tests
 * CollaPipe rounds as task graphs: exact activation and parameter bytes, locality, a round
 * executed over a network, bad plans; the same for the plain federated learning baseline.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Two clusters: nodes 0..3 devices of cluster 0, 4 its control unit; 5..8 and 9 for cluster
/// 1; 10 the server.
CollaPipePlan
TwoClusters(uint32_t microBatches, uint32_t localIterations)
{
    CollaPipePlan plan;
    plan.server = 10;
    plan.microBatches = microBatches;
    plan.localIterations = localIterations;
    plan.clusters.push_back({4, {0, 1, 2, 3}, {3, 3, 3, 3}});
    plan.clusters.push_back({9, {5, 6, 7, 8}, {2, 4, 4, 2}});
    return plan;
}

/**
 * Run one graph over a point-to-point mesh of \p devices Raspberry Pi 4s and an A100 server
 * (TCP, the runtime), seed 1 run 1.
 * \param graph the graph (nodes: devices, then the server)
 * \param devices how many devices
 * \param[out] completed iterations the server completed
 * \return payload bytes the nodes' transports received
 */
uint64_t
RunOverP2p(Ptr<TaskGraph> graph, uint32_t devices, uint32_t& completed)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork("p2p");
    Ptr<EdgeNetwork> network = networkHelper.Install(devices);
    DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    std::vector<DeviceProfile> profiles(devices, catalog.Get("raspberry-pi-4"));
    profiles.push_back(catalog.Get("edge-server-a100"));
    EdgeLlmRuntimeHelper runtime;
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(profiles);
    ApplicationContainer apps = runtime.Install(network->GetNodes());
    runtime.GetServer()->SetGraph(graph);
    apps.Start(Seconds(0));
    Simulator::Stop(Seconds(3600));
    Simulator::Run();
    completed = runtime.GetServer()->GetCompletedIterations();
    uint64_t received = 0;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        auto app = DynamicCast<EdgeLlmApplication>(apps.Get(i));
        received += DynamicCast<TcpTensorTransport>(app->GetTransport())->GetPayloadBytesReceived();
    }
    Simulator::Destroy();
    return received;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Bytes of a BERT-base round by hand.
 */
class CollaPipeBytesTestCase : public TestCase
{
  public:
    CollaPipeBytesTestCase()
        : TestCase("BERT-base round: activation, gradient and FedAvg parameter bytes by hand")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe recipe;
        recipe.kind = RecipeKind::FULL;
        recipe.microBatchSize = 4;
        const uint32_t m = 3;
        const uint32_t e = 2;
        Ptr<TaskGraph> graph =
            CollaPipeGraphBuilder::BuildRound(spec, recipe, TwoClusters(m, e), 11);
        NS_TEST_ASSERT_MSG_EQ(graph->Validate(), "", "valid graph");
        NS_TEST_ASSERT_MSG_EQ(graph->ValidateLocality(), "", "local graph");

        // One boundary tensor: b * s * h * 4 = 4 * 128 * 768 * 4 = 1,572,864 bytes. Per
        // micro-batch a cluster of 4 devices sends 5 activations (control unit -> device 0,
        // three boundaries, device 3 -> server) and 5 gradients back: 2 clusters, E=2, M=3.
        const uint64_t boundary = 4ULL * 128 * 768 * 4;
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferBytes(TransferKind::ACTIVATION),
                              2ULL * e * m * 5 * boundary,
                              "activation bytes");
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferBytes(TransferKind::GRADIENT),
                              2ULL * e * m * 5 * boundary,
                              "gradient bytes");

        // FedAvg moves every trained parameter up and down once per cluster, fp32:
        // embedding 30522*768 + 512*768 + 2*768 + 2*768 (LayerNorm) = 23,837,184 and
        // 12 blocks of 7,087,872 = 85,054,464: 108,891,648 parameters = 435,566,592 bytes;
        // 2 clusters, up and down: 1,742,266,368 bytes.
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferBytes(TransferKind::PARAMETERS),
                              1742266368ULL,
                              "FedAvg bytes");
        // Device 1 of cluster 1 holds blocks 3..6 (4 blocks): it uploads 4 * 7,087,872 * 4.
        NS_TEST_ASSERT_MSG_EQ(
            CollaPipeGraphBuilder::GetSegmentParameterBytes(spec,
                                                            recipe,
                                                            TwoClusters(m, e).clusters[1],
                                                            1),
            4ULL * 7087872 * 4,
            "segment bytes");
        // Every node but the server sends exactly its parameters once (plus pipeline traffic);
        // the server receives 435,566,592 * 2 parameter bytes.
        uint64_t serverParameterBytes = 0;
        for (uint32_t id : graph->GetIncomingTransfers(10))
        {
            if (graph->GetTransfer(id).kind == TransferKind::PARAMETERS)
            {
                serverParameterBytes += graph->GetTransfer(id).bytes;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(serverParameterBytes, 2ULL * 435566592, "server receives");
    }
};

/**
 * \ingroup edge-llm-tests
 * A round of the tiny encoder executed over point-to-point links.
 */
class CollaPipeRunTestCase : public TestCase
{
  public:
    CollaPipeRunTestCase()
        : TestCase("tiny-encoder round runs over the network and moves exactly its bytes")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("tiny-encoder");
        TrainingRecipe recipe;
        recipe.microBatchSize = 2;
        CollaPipePlan plan;
        plan.server = 6;
        plan.microBatches = 2;
        plan.localIterations = 2;
        plan.clusters.push_back({2, {0, 1}, {1, 3}});
        plan.clusters.push_back({5, {3, 4}, {2, 2}});
        Ptr<TaskGraph> graph = CollaPipeGraphBuilder::BuildRound(spec, recipe, plan, 7);

        uint32_t completed = 0;
        const uint64_t received = RunOverP2p(graph, 6, completed);
        NS_TEST_ASSERT_MSG_EQ(completed, 1, "round done");
        NS_TEST_ASSERT_MSG_EQ(received, graph->GetTotalTransferBytes(), "bytes on the wire");
    }
};

/**
 * \ingroup edge-llm-tests
 * A device the scheduler gives no block idles: the pipeline skips it (its neighbours exchange
 * the boundary directly), it sends and receives nothing, not even FedAvg parameters, and the
 * round runs over the network.
 */
class CollaPipeIdleDeviceTestCase : public TestCase
{
  public:
    CollaPipeIdleDeviceTestCase()
        : TestCase("a device with no blocks is skipped by the pipeline and FedAvg")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe recipe;
        recipe.microBatchSize = 4;
        CollaPipePlan plan = TwoClusters(3, 2);
        plan.clusters[0].segmentBlocks = {3, 0, 6, 3}; // device 1 idles
        Ptr<TaskGraph> graph = CollaPipeGraphBuilder::BuildRound(spec, recipe, plan, 11);
        NS_TEST_ASSERT_MSG_EQ(graph->Validate(), "", "valid graph");
        NS_TEST_ASSERT_MSG_EQ(graph->ValidateLocality(), "", "local graph");
        NS_TEST_ASSERT_MSG_EQ(graph->GetComputeTasks(1).size(), 0, "no compute on device 1");
        NS_TEST_ASSERT_MSG_EQ(graph->GetOutgoingTransfers(1).size(), 0, "device 1 sends nothing");
        NS_TEST_ASSERT_MSG_EQ(graph->GetIncomingTransfers(1).size(), 0, "receives nothing");
        // Per micro-batch cluster 0 now sends 4 activations (control unit -> 0, 0 -> 2, 2 -> 3,
        // 3 -> server) and cluster 1 five: (4 + 5) * E * M boundaries each way.
        const uint64_t boundary = 4ULL * 128 * 768 * 4;
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferBytes(TransferKind::ACTIVATION),
                              9ULL * 2 * 3 * boundary,
                              "activation bytes");
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferBytes(TransferKind::GRADIENT),
                              9ULL * 2 * 3 * boundary,
                              "gradient bytes");
        bool direct = false;
        for (uint32_t id : graph->GetOutgoingTransfers(0))
        {
            direct = direct || graph->GetTransfer(id).destination == 2;
        }
        NS_TEST_ASSERT_MSG_EQ(direct, true, "device 0 sends its boundary to device 2");
        // FedAvg bytes are unchanged: every block is still trained by someone.
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferBytes(TransferKind::PARAMETERS),
                              1742266368ULL,
                              "FedAvg bytes");

        // The tiny encoder with an idle device runs over the network.
        TransformerSpec tiny = TransformerSpec::GetPreset("tiny-encoder");
        recipe.microBatchSize = 2;
        CollaPipePlan small;
        small.server = 4;
        small.microBatches = 2;
        small.localIterations = 1;
        small.clusters.push_back({3, {0, 1, 2}, {2, 0, 2}});
        Ptr<TaskGraph> tinyGraph = CollaPipeGraphBuilder::BuildRound(tiny, recipe, small, 5);
        uint32_t completed = 0;
        const uint64_t received = RunOverP2p(tinyGraph, 4, completed);
        NS_TEST_ASSERT_MSG_EQ(completed, 1, "round done");
        NS_TEST_ASSERT_MSG_EQ(received, tinyGraph->GetTotalTransferBytes(), "bytes on the wire");
    }
};

/**
 * \ingroup edge-llm-tests
 * Bad plans give their messages.
 */
class CollaPipeBadPlanTestCase : public TestCase
{
  public:
    CollaPipeBadPlanTestCase()
        : TestCase("bad CollaPipe plans give their messages")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe recipe;
        CollaPipePlan plan = TwoClusters(2, 1);
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, recipe, plan, 11), "", "ok");

        CollaPipePlan wrongSum = plan;
        wrongSum.clusters[0].segmentBlocks = {3, 3, 3, 2};
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, recipe, wrongSum, 11),
                              "cluster 0: segmentBlocks sum to 11 but model='bert-base' has 12 "
                              "encoder blocks; they must be equal",
                              "segment sum");
        CollaPipePlan reused = plan;
        reused.clusters[1].devices[0] = 2;
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, recipe, reused, 11),
                              "cluster 1 device=2 already has a role in the plan; every node has "
                              "one role",
                              "node reused");
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, recipe, plan, 10),
                              "server=10 is not a node of the run; allowed: 0..9",
                              "node out of range");
        CollaPipePlan noMicroBatch = plan;
        noMicroBatch.microBatches = 0;
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, recipe, noMicroBatch, 11),
                              "microBatches=0 is invalid: must be a positive integer",
                              "micro-batches");
        // An idle device (no block) is a valid plan; a cluster where every device idles is not.
        CollaPipePlan emptySegment = plan;
        emptySegment.clusters[0].segmentBlocks = {0, 4, 4, 4};
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, recipe, emptySegment, 11),
                              "",
                              "an idle device");
        emptySegment.clusters[0].segmentBlocks = {0, 0, 0, 0};
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, recipe, emptySegment, 11),
                              "cluster 0: segmentBlocks sum to 0 but model='bert-base' has 12 "
                              "encoder blocks; they must be equal",
                              "every device idle");
        NS_TEST_ASSERT_MSG_EQ(
            CollaPipeGraphBuilder::Validate(TransformerSpec::GetPreset("gpt2-large"),
                                            recipe,
                                            plan,
                                            11),
            "model='gpt2-large' has no encoder; CollaPipe pipelines an encoder (e.g. bert-base, "
            "t5-base)",
            "decoder-only model");
        TrainingRecipe inference;
        inference.kind = RecipeKind::INFERENCE;
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, inference, plan, 11),
                              "recipe='inference' is invalid for CollaPipe: it trains and "
                              "averages parameters",
                              "inference");
    }
};

namespace
{

/// Sum of the FLOPs of the compute tasks of \p kind on \p device.
double
DeviceFlops(const TaskGraph& graph, uint32_t device, ComputeKind kind)
{
    double flops = 0;
    for (uint32_t id : graph.GetComputeTasks(device))
    {
        if (graph.GetCompute(id).kind == kind)
        {
            flops += graph.GetCompute(id).flops;
        }
    }
    return flops;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Bytes and structure of a BERT-base plain-FL round by hand.
 */
class PlainFlBytesTestCase : public TestCase
{
  public:
    PlainFlBytesTestCase()
        : TestCase("BERT-base plain-FL round: FedAvg parameter bytes and tasks by hand")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe recipe;
        recipe.kind = RecipeKind::FULL;
        recipe.microBatchSize = 4;
        PlainFlPlan plan;
        plan.devices = {0, 1, 2};
        plan.server = 3;
        plan.microBatches = 2;
        plan.localIterations = 2;
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::ValidatePlainFl(spec, recipe, plan, 4),
                              "",
                              "valid plan");
        Ptr<TaskGraph> graph = CollaPipeGraphBuilder::BuildPlainFlRound(spec, recipe, plan, 4);
        NS_TEST_ASSERT_MSG_EQ(graph->Validate(), "", "valid graph");
        NS_TEST_ASSERT_MSG_EQ(graph->ValidateLocality(), "", "local graph");

        // One BERT-base encoder block: attention 4 * (768*768 + 768) = 2,362,368; FFN
        // 768*3072 + 3072 + 3072*768 + 768 = 4,722,432; two LayerNorms 2 * 2 * 768 = 3,072:
        // 7,087,872 parameters. 12 blocks: 85,054,464 parameters, fp32: 340,217,856 bytes.
        const uint64_t encoderBytes = 12ULL * 7087872 * 4;
        NS_TEST_ASSERT_MSG_EQ(encoderBytes, 340217856ULL, "encoder bytes");
        // 3 devices upload 340,217,856 bytes each = 1,020,653,568 and get the same back:
        // 2,041,307,136 bytes of parameters; nothing else moves (each device has its data).
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferBytes(TransferKind::PARAMETERS),
                              2041307136ULL,
                              "FedAvg bytes");
        NS_TEST_ASSERT_MSG_EQ(graph->GetTotalTransferBytes(), 2041307136ULL, "only parameters");
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferCount(), 6, "3 uploads, 3 downloads");
        NS_TEST_ASSERT_MSG_EQ(graph->GetBytesReceived(3), 3 * encoderBytes, "server receives");
        NS_TEST_ASSERT_MSG_EQ(graph->GetBytesSent(3), 3 * encoderBytes, "server sends");
        for (uint32_t d = 0; d < 3; ++d)
        {
            NS_TEST_ASSERT_MSG_EQ(graph->GetBytesSent(d), encoderBytes, "device uploads");
            NS_TEST_ASSERT_MSG_EQ(graph->GetBytesReceived(d), encoderBytes, "device downloads");
            // E * (2M + 1) = 2 * (2 * 2 + 1) = 10 compute tasks per device, in a chain.
            const auto tasks = graph->GetComputeTasks(d);
            NS_TEST_ASSERT_MSG_EQ(tasks.size(), 10, "tasks per device");
            for (size_t i = 1; i < tasks.size(); ++i)
            {
                NS_TEST_ASSERT_MSG_EQ(graph->IsAncestor(tasks[i - 1], tasks[i]),
                                      true,
                                      "program order");
            }
            NS_TEST_ASSERT_MSG_EQ((graph->GetCompute(tasks[0]).kind == ComputeKind::FORWARD),
                                  true,
                                  "starts with a forward");
            NS_TEST_ASSERT_MSG_EQ((graph->GetCompute(tasks[4]).kind == ComputeKind::OPTIMIZER),
                                  true,
                                  "optimizer after M micro-batches");
        }
        // The average: 2 FLOPs per parameter per device: 2 * 85,054,464 * 3 = 510,326,784.
        const auto serverTasks = graph->GetComputeTasks(3);
        NS_TEST_ASSERT_MSG_EQ(serverTasks.size(), 1, "one average");
        NS_TEST_ASSERT_MSG_EQ((graph->GetCompute(serverTasks[0]).kind == ComputeKind::AGGREGATE),
                              true,
                              "aggregate");
        NS_TEST_ASSERT_MSG_EQ_TOL(graph->GetCompute(serverTasks[0]).flops,
                                  510326784.0,
                                  1e-6,
                                  "aggregate FLOPs");

        // The whole model: embedding 30522*768 + 512*768 + 2*768 + 2*768 = 23,837,184 more
        // parameters per copy, plus whatever the head trains (summed layer by layer here).
        PlainFlPlan whole = plan;
        whole.wholeModel = true;
        Ptr<TaskGraph> wholeGraph =
            CollaPipeGraphBuilder::BuildPlainFlRound(spec, recipe, whole, 4);
        NS_TEST_ASSERT_MSG_EQ(wholeGraph->Validate(), "", "valid whole-model graph");
        uint64_t allTrainable = 0;
        for (const LayerCost& layer : LayerCostModel::Compute(spec, recipe))
        {
            allTrainable += layer.trainableParameterBytes;
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(allTrainable,
                                    encoderBytes + 23837184ULL * 4,
                                    "embedding included");
        NS_TEST_ASSERT_MSG_EQ(wholeGraph->GetTransferBytes(TransferKind::PARAMETERS),
                              2 * 3 * allTrainable,
                              "whole-model bytes");
        // LoRA (rank 8 on query and value): only the adapters train and move. Per block
        // 2 projections * (768*8 + 8*768) = 24,576 parameters; 12 blocks, fp32: 1,179,648
        // bytes per device; 3 devices up and down: 7,077,888 bytes.
        TrainingRecipe lora = recipe;
        lora.kind = RecipeKind::LORA;
        Ptr<TaskGraph> loraGraph = CollaPipeGraphBuilder::BuildPlainFlRound(spec, lora, plan, 4);
        NS_TEST_ASSERT_MSG_EQ(loraGraph->GetTransferBytes(TransferKind::PARAMETERS),
                              7077888ULL,
                              "LoRA bytes");
        const auto range = CollaPipeGraphBuilder::GetPlainFlLayerRange(spec, recipe, whole);
        NS_TEST_ASSERT_MSG_EQ(range.first, 0, "from the embedding");
        NS_TEST_ASSERT_MSG_EQ(range.second + 1,
                              LayerCostModel::Compute(spec, recipe).size(),
                              "to the head");
    }
};

/**
 * \ingroup edge-llm-tests
 * The plain-FL graph's compute matches what CollaPipeRoundModel::EvaluatePlainFl prices.
 */
class PlainFlFlopsTestCase : public TestCase
{
  public:
    PlainFlFlopsTestCase()
        : TestCase("plain-FL graph FLOPs per device equal EvaluatePlainFl's computeSeconds x "
                   "achieved FLOPs per second")
    {
    }

  private:
    void DoRun() override
    {
        CollaPipeConfig cfg;
        cfg.spec = TransformerSpec::GetPreset("bert-base");
        cfg.spec.encoderLayers = 4;
        cfg.spec.sequenceLength = 128;
        cfg.batchSize = 16;
        cfg.maxMicroBatches = 8;
        cfg.localIterations = 3;
        std::vector<CollaPipeDevice> devices = MakeCollaPipeDevices(
            {{"raspberry-pi-4", 1e-9}, {"jetson-nano", 1e-9}, {"jetson-agx-orin", 1e-9}},
            5);
        // Shrink the usable memory so that the whole batch (M=1) does not fit the smallest
        // device and EvaluatePlainFl accumulates gradients over M > 1 micro-batches.
        const CollaPipeRoundModel probe(cfg, devices, {0, 0, 0});
        // (the fraction applies to what the runtime's reserve leaves)
        uint64_t smallest = devices[0].profile.GetAvailableMemoryBytes();
        for (const auto& d : devices)
        {
            smallest = std::min(smallest, d.profile.GetAvailableMemoryBytes());
        }
        cfg.usableMemoryFraction = 0.99 *
                                   static_cast<double>(probe.GetSegmentMemoryBytes(1, 0, 4, 1)) /
                                   static_cast<double>(smallest);
        const CollaPipeRoundModel model(cfg, devices, {0, 0, 0});
        const CollaPipeDecision d =
            model.EvaluatePlainFl({1.0 / 3, 1.0 / 3, 1.0 / 3}, {0.1, 0.1, 0.1});
        NS_TEST_ASSERT_MSG_EQ(d.feasible, true, "feasible: " << d.reason);
        NS_TEST_ASSERT_MSG_GT(d.microBatches, 1, "gradient accumulation");

        TrainingRecipe recipe = cfg.recipe;
        recipe.microBatchSize = d.microBatchSize;
        PlainFlPlan plan;
        plan.devices = {0, 1, 2};
        plan.server = 3;
        plan.microBatches = d.microBatches;
        plan.localIterations = cfg.localIterations;
        Ptr<TaskGraph> graph = CollaPipeGraphBuilder::BuildPlainFlRound(cfg.spec, recipe, plan, 4);
        NS_TEST_ASSERT_MSG_EQ(graph->Validate(), "", "valid graph");

        const auto layers = LayerCostModel::Compute(cfg.spec, recipe);
        const LayerCost encoder = LayerCostModel::Sum(layers, 1, 4);
        for (uint32_t i = 0; i < 3; ++i)
        {
            // EvaluatePlainFl: c_i = M * (fwd + bwd FLOPs of the 4 blocks) / achieved; a round
            // runs E * c_i of compute, i.e. E * c_i * achieved FLOPs.
            const double implied =
                cfg.localIterations * d.computeSeconds[i] * model.GetAchievedFlops(i);
            const double graphFlops = DeviceFlops(*graph, i, ComputeKind::FORWARD) +
                                      DeviceFlops(*graph, i, ComputeKind::BACKWARD);
            NS_TEST_ASSERT_MSG_EQ_TOL(graphFlops, implied, 1e-9 * implied, "device " << i);
            // Independently: E * M * (forward + backward of the encoder blocks).
            NS_TEST_ASSERT_MSG_EQ_TOL(graphFlops,
                                      cfg.localIterations * d.microBatches *
                                          (encoder.forwardFlops + encoder.backwardFlops),
                                      1e-9 * implied,
                                      "device " << i << " by layers");
            // The optimizer step, once per local iteration, is in the graph; EvaluatePlainFl
            // leaves it out (as CollaPipe's c_k does): E optimizer steps of the blocks.
            NS_TEST_ASSERT_MSG_EQ_TOL(DeviceFlops(*graph, i, ComputeKind::OPTIMIZER),
                                      cfg.localIterations *
                                          LayerCostModel::GetOptimizerStepFlops(encoder, recipe),
                                      1e-6,
                                      "optimizer " << i);
            // The upload the round model prices (8 bytes / rate) is the graph's upload.
            NS_TEST_ASSERT_MSG_EQ_TOL(8.0 * static_cast<double>(graph->GetBytesSent(i)) /
                                          d.rateBps[i],
                                      d.uploadSeconds[i],
                                      1e-9 * d.uploadSeconds[i],
                                      "upload " << i);
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * A plain-FL round of the tiny encoder executed over point-to-point links.
 */
class PlainFlRunTestCase : public TestCase
{
  public:
    PlainFlRunTestCase()
        : TestCase("tiny-encoder plain-FL round runs over the network and moves exactly its bytes")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("tiny-encoder");
        TrainingRecipe recipe;
        recipe.microBatchSize = 2;
        PlainFlPlan plan;
        plan.devices = {0, 1, 2};
        plan.server = 3;
        plan.microBatches = 2;
        plan.localIterations = 2;
        Ptr<TaskGraph> graph = CollaPipeGraphBuilder::BuildPlainFlRound(spec, recipe, plan, 4);
        // tiny-encoder block (hidden 256, FFN 1024): 4 * (256*256 + 256) = 263,168 +
        // 256*1024 + 1024 + 1024*256 + 256 = 525,568 + 2 * 2 * 256 = 1,024: 789,760
        // parameters; 4 blocks, fp32: 12,636,160 bytes; 3 devices up and down: 75,816,960.
        NS_TEST_ASSERT_MSG_EQ(graph->GetTotalTransferBytes(), 75816960ULL, "graph bytes");

        uint32_t completed = 0;
        const uint64_t received = RunOverP2p(graph, 3, completed);
        NS_TEST_ASSERT_MSG_EQ(completed, 1, "round done");
        NS_TEST_ASSERT_MSG_EQ(received, 75816960ULL, "bytes on the wire");
    }
};

/**
 * \ingroup edge-llm-tests
 * Bad plain-FL plans give their messages.
 */
class PlainFlBadPlanTestCase : public TestCase
{
  public:
    PlainFlBadPlanTestCase()
        : TestCase("bad plain-FL plans give their messages")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe recipe;
        PlainFlPlan plan;
        plan.devices = {0, 1, 2};
        plan.server = 3;
        auto check = [&](const PlainFlPlan& p, uint32_t nodes) {
            return CollaPipeGraphBuilder::ValidatePlainFl(spec, recipe, p, nodes);
        };
        NS_TEST_ASSERT_MSG_EQ(check(plan, 4), "", "ok");

        PlainFlPlan noDevices = plan;
        noDevices.devices.clear();
        NS_TEST_ASSERT_MSG_EQ(check(noDevices, 4),
                              "devices is empty: give at least one device",
                              "no devices");
        PlainFlPlan outOfRange = plan;
        outOfRange.devices[1] = 7;
        NS_TEST_ASSERT_MSG_EQ(check(outOfRange, 4),
                              "devices[1]=7 is not a node of the run; allowed: 0..3",
                              "device out of range");
        PlainFlPlan serverIsDevice = plan;
        serverIsDevice.devices[2] = 3;
        NS_TEST_ASSERT_MSG_EQ(check(serverIsDevice, 4),
                              "devices[2]=3 is the server; the server averages and trains no "
                              "copy in plain FL",
                              "server among the devices");
        PlainFlPlan noMicroBatch = plan;
        noMicroBatch.microBatches = 0;
        NS_TEST_ASSERT_MSG_EQ(check(noMicroBatch, 4),
                              "microBatches=0 is invalid: must be a positive integer",
                              "zero micro-batches");
        PlainFlPlan noIteration = plan;
        noIteration.localIterations = 0;
        NS_TEST_ASSERT_MSG_EQ(check(noIteration, 4),
                              "localIterations=0 is invalid: must be a positive integer",
                              "zero local iterations");
        PlainFlPlan twice = plan;
        twice.devices[2] = 0;
        NS_TEST_ASSERT_MSG_EQ(check(twice, 4),
                              "devices[2]=0 appears twice; every device trains one copy",
                              "device twice");
        NS_TEST_ASSERT_MSG_EQ(check(plan, 3),
                              "server=3 is not a node of the run; allowed: 0..2",
                              "server out of range");
        NS_TEST_ASSERT_MSG_EQ(check(plan, 1),
                              "nodeCount=1 is invalid: plain FL needs a server and at least one "
                              "device",
                              "too few nodes");
        NS_TEST_ASSERT_MSG_EQ(
            CollaPipeGraphBuilder::ValidatePlainFl(TransformerSpec::GetPreset("gpt2-large"),
                                                   recipe,
                                                   plan,
                                                   4),
            "model='gpt2-large' has no encoder; the plain-FL baseline of CollaPipe trains an "
            "encoder (e.g. bert-base, t5-base)",
            "decoder-only model");
        TrainingRecipe inference;
        inference.kind = RecipeKind::INFERENCE;
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::ValidatePlainFl(spec, inference, plan, 4),
                              "recipe='inference' is invalid for plain FL: it trains and "
                              "averages parameters",
                              "inference");
    }
};

/**
 * \ingroup edge-llm-tests
 * The CollaPipe graph builder's suite.
 */
class CollaPipeGraphBuilderTestSuite : public TestSuite
{
  public:
    CollaPipeGraphBuilderTestSuite()
        : TestSuite("edge-llm-collapipe-graph-builder", UNIT)
    {
        AddTestCase(new CollaPipeBytesTestCase);
        AddTestCase(new CollaPipeRunTestCase);
        AddTestCase(new CollaPipeIdleDeviceTestCase);
        AddTestCase(new CollaPipeBadPlanTestCase);
        AddTestCase(new PlainFlBytesTestCase);
        AddTestCase(new PlainFlFlopsTestCase);
        AddTestCase(new PlainFlRunTestCase);
        AddTestCase(new PlainFlBadPlanTestCase);
    }
};

/// The suite's instance.
static CollaPipeGraphBuilderTestSuite g_collaPipeGraphBuilderTestSuite;
