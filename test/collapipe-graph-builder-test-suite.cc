/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/analytic-compute-model.h"
#include "ns3/collapipe-graph-builder.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/tcp-tensor-transport.h"
#include "ns3/test.h"

/**
 * \file
 * \ingroup edge-llm-tests
 * CollaPipe rounds as task graphs: exact activation and parameter bytes, locality, a round
 * executed over a network, bad plans.
 */

using namespace ns3;

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

Ptr<TaskGraph>
ReturnGraph(Ptr<TaskGraph> graph, uint32_t iteration)
{
    return graph;
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

        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        EdgeNetworkHelper::ConfigureTcpDefaults();
        EdgeNetworkHelper networkHelper;
        networkHelper.SetNetwork("p2p");
        Ptr<EdgeNetwork> network = networkHelper.Install(6);
        DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        std::vector<DeviceProfile> profiles(6, catalog.Get("raspberry-pi-4"));
        profiles.push_back(catalog.Get("edge-server-a100"));
        EdgeLlmRuntimeHelper runtime;
        runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
        runtime.SetDeviceProfiles(profiles);
        ApplicationContainer apps = runtime.Install(network->GetNodes());
        runtime.GetServer()->SetGraphSource(MakeBoundCallback(&ReturnGraph, graph));
        apps.Start(Seconds(0));
        Simulator::Stop(Seconds(3600));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(runtime.GetServer()->GetCompletedIterations(), 1, "round done");
        uint64_t received = 0;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            auto app = DynamicCast<EdgeLlmApplication>(apps.Get(i));
            received +=
                DynamicCast<TcpTensorTransport>(app->GetTransport())->GetPayloadBytesReceived();
        }
        NS_TEST_ASSERT_MSG_EQ(received, graph->GetTotalTransferBytes(), "bytes on the wire");
        Simulator::Destroy();
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
        CollaPipePlan emptySegment = plan;
        emptySegment.clusters[0].segmentBlocks = {0, 4, 4, 4};
        NS_TEST_ASSERT_MSG_EQ(CollaPipeGraphBuilder::Validate(spec, recipe, emptySegment, 11),
                              "cluster 0: segmentBlocks[0]=0 is invalid: every device holds at "
                              "least one block",
                              "empty segment");
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
        AddTestCase(new CollaPipeBadPlanTestCase);
    }
};

/// The suite's instance.
static CollaPipeGraphBuilderTestSuite g_collaPipeGraphBuilderTestSuite;
