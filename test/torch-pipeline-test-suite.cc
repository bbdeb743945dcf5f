/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/analytic-compute-model.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/test.h"
#include "ns3/torch-compute-engine.h"
#include "ns3/torch-training-graph-builder.h"

#include <cmath>

/**
 * \file
 * \ingroup edge-llm-tests
 * Real training over simulated networks: the pipeline over Wi-Fi matches single-process
 * training step by step, every message carries exactly its tensor's bytes, FedAvg over the
 * network is the element-wise mean, and the flow level carries the same tensors.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// What a torch run observed.
struct TorchObservation
{
    Ptr<TorchComputeEngine> engine;    //!< the engine
    Ptr<TaskGraph> graph;              //!< the round's graph
    uint32_t completed{0};             //!< iterations finished
    uint64_t messages{0};              //!< messages delivered
    uint64_t mismatches{0};            //!< messages whose bytes != numel * 4 of their tensor
    uint64_t deliveredBytes{0};        //!< payload bytes over all MessageDelivered traces
    uint64_t transportPayloadBytes{0}; //!< transports' own payload counters
};

void
OnDelivered(TorchObservation* observation, uint32_t peer, uint64_t messageId, uint64_t bytes)
{
    const auto& transfer =
        observation->graph->GetTransfer(TaskGraphExecution::GetMessageTask(messageId));
    observation->messages++;
    observation->deliveredBytes += bytes;
    if (transfer.tensorId == 0 || bytes != observation->engine->GetTensorBytes(transfer.tensorId))
    {
        observation->mismatches++;
    }
}

void
OnStepCompleted(std::vector<double>* losses,
                uint32_t step,
                uint32_t replica,
                double loss,
                double accuracy)
{
    losses->push_back(loss);
}

void
OnKernelRan(uint32_t* count, uint32_t node, uint64_t kernelId, double seconds)
{
    (*count)++;
}

/**
 * Run \p iterations rounds of \p plan with \p engine (configured) over \p network with
 * \p devices devices and a server (the last node).
 */
TorchObservation
RunTorch(Ptr<TorchComputeEngine> engine,
         const TorchTrainingPlan& plan,
         uint32_t devices,
         uint32_t iterations,
         const std::string& network,
         const std::string& fidelity)
{
    TestNetworkSettings networkSettings;
    networkSettings.kind = network;
    // the caller's seed and run
    networkSettings.seed = RngSeedManager::GetSeed();
    networkSettings.run = RngSeedManager::GetRun();
    if (network == "wifi")
    {
        networkSettings.fading = "none";
        networkSettings.distance = 10;
    }
    else
    {
        networkSettings.rate = DataRate("100Mbps");
        networkSettings.delay = MilliSeconds(1);
    }
    Ptr<EdgeNetwork> edgeNetwork = InstallTestNetwork(devices, networkSettings);

    TorchObservation observation;
    observation.engine = engine;
    observation.graph = TorchTrainingGraphBuilder::BuildRound(engine, plan, devices + 1);
    engine->SetLocalIterations(std::max<uint32_t>(plan.localIterations, 1));
    FixedGraphRunSettings run;
    run.fidelity = fidelity;
    run.iterations = iterations;
    run.stopTime = Seconds(3600);
    run.beforeRun = [&observation, engine](EdgeLlmRuntimeHelper& runtime,
                                           ApplicationContainer& apps) {
        engine->Connect(runtime.GetExecution());
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            DynamicCast<EdgeLlmApplication>(apps.Get(i))
                ->GetTransport()
                ->TraceConnectWithoutContext("MessageDelivered",
                                             MakeBoundCallback(&OnDelivered, &observation));
        }
    };
    FixedGraphRunResult result = RunFixedGraph(observation.graph, edgeNetwork, run);
    observation.completed = result.completedIterations;
    observation.transportPayloadBytes = result.payloadBytes;
    return observation;
}

/// tiny-encoder on a source and three stages (blocks 2, 1, 1)
TorchEngineConfig
TinyPipelineConfig()
{
    TorchEngineConfig config;
    config.spec = TransformerSpec::GetPreset("tiny-encoder");
    config.segmentLayers = {2, 1, 1};
    config.microBatches = 2;
    config.microBatchSize = 4;
    config.optimizer = "adam";
    config.learningRate = 1e-3;
    return config;
}

/// \return the largest |distributed - reference| loss over the steps of replica 0
double
MaxLossDifference(const std::vector<TorchStepRecord>& records, const std::vector<double>& reference)
{
    double largest = 0;
    for (const auto& record : records)
    {
        largest = std::max(largest, std::abs(record.loss - reference.at(record.step)));
    }
    return largest;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Pipeline-parallel training over Wi-Fi equals single-process training, step by step.
 */
class TorchWifiPipelineTestCase : public TestCase
{
  public:
    TorchWifiPipelineTestCase()
        : TestCase("tiny-encoder pipeline on 4 Wi-Fi devices: same loss as one process for 20 "
                   "steps; every message is numel * 4 bytes")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
        engine->Configure(TinyPipelineConfig());
        TorchTrainingPlan plan;
        plan.clusters = {TorchClusterLayout{0, {1, 2, 3}}};
        plan.server = 4;
        const uint32_t steps = 20;
        std::vector<double> traced;
        engine->TraceConnectWithoutContext("StepCompleted",
                                           MakeBoundCallback(&OnStepCompleted, &traced));
        uint32_t kernels = 0;
        engine->TraceConnectWithoutContext("KernelRan", MakeBoundCallback(&OnKernelRan, &kernels));
        TorchObservation run = RunTorch(engine, plan, 4, steps, "wifi", "packet");
        NS_TEST_ASSERT_MSG_EQ(run.completed, steps, "every step finished");
        auto records = engine->GetStepRecords();
        NS_TEST_ASSERT_MSG_EQ(records.size(), steps, "one loss per step");
        std::vector<double> reference = engine->TrainReference(steps, 0);
        const double difference = MaxLossDifference(records, reference);
        std::cout << "wifi pipeline: max |loss - reference| over " << steps
                  << " steps = " << difference << " (first loss " << records.front().loss
                  << ", last " << records.back().loss << ")" << std::endl;
        NS_TEST_ASSERT_MSG_LT_OR_EQ(difference, 1e-5, "distributed equals single-process");
        NS_TEST_ASSERT_MSG_LT(records.back().loss, records.front().loss, "it learns");
        NS_TEST_ASSERT_MSG_EQ(traced.size(), steps, "StepCompleted once per step");
        NS_TEST_ASSERT_MSG_EQ(traced.back(), records.back().loss, "traced loss");
        // per step: 2 x (embedding fwd + 3 segment fwd + loss + 3 segment bwd + embedding bwd)
        // + 5 optimizer steps = 23 kernels
        NS_TEST_ASSERT_MSG_EQ(kernels, steps * 23, "KernelRan once per compute task");

        // Bytes on the wire: per step 2 micro-batches x (4 activations + 4 gradients) messages
        // of 4 sequences x 32 tokens x 256 x 4 bytes = 131072 bytes each.
        NS_TEST_ASSERT_MSG_EQ(run.mismatches, 0, "every message is its tensor's numel * 4");
        NS_TEST_ASSERT_MSG_EQ(run.messages, steps * 16, "messages");
        NS_TEST_ASSERT_MSG_EQ(run.deliveredBytes, uint64_t(steps) * 16 * 131072, "bytes");
        NS_TEST_ASSERT_MSG_EQ(run.transportPayloadBytes,
                              run.deliveredBytes,
                              "the transports received exactly those payload bytes");
    }
};

/**
 * \ingroup edge-llm-tests
 * FedAvg of two clusters over the network: every unit becomes the element-wise mean.
 */
class TorchNetworkFedAvgTestCase : public TestCase
{
  public:
    TorchNetworkFedAvgTestCase()
        : TestCase("FedAvg of two clusters over point-to-point links is the element-wise mean")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(2);
        RngSeedManager::SetRun(1);
        Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
        TorchEngineConfig config;
        config.spec = TransformerSpec::GetPreset("mini-encoder");
        config.segmentLayers = {1, 1};
        config.replicas = 2;
        engine->Configure(config);
        // Different parameters per replica: replica r, unit u, element i gets a known value.
        auto value = [](uint32_t r, uint32_t u, uint64_t i) {
            return static_cast<float>(0.01 * ((i * (u + 3) + r * 101) % 97) - 0.3 * r);
        };
        std::vector<std::vector<float>> expected;
        for (uint32_t u = 0; u < engine->GetUnitCount(); ++u)
        {
            const uint64_t n = engine->GetUnitParameterCount(u);
            std::vector<float> a(n);
            std::vector<float> b(n);
            std::vector<float> mean(n);
            for (uint64_t i = 0; i < n; ++i)
            {
                a[i] = value(0, u, i);
                b[i] = value(1, u, i);
                mean[i] = (a[i] + b[i]) / 2;
            }
            engine->SetParameters(0, u, a);
            engine->SetParameters(1, u, b);
            expected.push_back(mean);
        }
        TorchTrainingPlan plan;
        plan.clusters = {TorchClusterLayout{0, {1, 2}}, TorchClusterLayout{3, {4, 5}}};
        plan.server = 6;
        plan.localIterations = 0;
        plan.fedAvg = true;
        TorchObservation run = RunTorch(engine, plan, 6, 1, "p2p", "packet");
        NS_TEST_ASSERT_MSG_EQ(run.completed, 1, "round finished");
        NS_TEST_ASSERT_MSG_EQ(run.mismatches, 0, "parameter messages are numel * 4 bytes");
        // 3 units per cluster up and down: 2 clusters x 3 units x 2 = 12 messages of
        // (132096 + 198272 + 198272) x 4 bytes per cluster and direction
        NS_TEST_ASSERT_MSG_EQ(run.messages, 12, "uploads and downloads");
        NS_TEST_ASSERT_MSG_EQ(run.deliveredBytes, 2 * 2 * (132096 + 198272 + 198272) * 4, "bytes");
        double maxError = 0;
        for (uint32_t r = 0; r < 2; ++r)
        {
            for (uint32_t u = 0; u < engine->GetUnitCount(); ++u)
            {
                std::vector<float> got = engine->GetParameters(r, u);
                for (size_t i = 0; i < got.size(); ++i)
                {
                    maxError = std::max(maxError, double(std::abs(got[i] - expected[u][i])));
                }
            }
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(maxError, 0, 1e-7, "every unit of both replicas is the mean");
    }
};

/**
 * \ingroup edge-llm-tests
 * The flow level carries the same tensors: same losses; a CollaPipe round (two clusters, local
 * training then FedAvg) leaves both replicas equal.
 */
class TorchFlowLevelTestCase : public TestCase
{
  public:
    TorchFlowLevelTestCase()
        : TestCase("flow level: same losses as one process (1F1B and GPipe); CollaPipe rounds end "
                   "with equal replicas")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        Ptr<TorchComputeEngine> engine = CreateObject<TorchComputeEngine>();
        engine->Configure(TinyPipelineConfig());
        TorchTrainingPlan plan;
        plan.clusters = {TorchClusterLayout{0, {1, 2, 3}}};
        plan.server = 4;
        TorchObservation run = RunTorch(engine, plan, 4, 4, "wifi", "flow");
        NS_TEST_ASSERT_MSG_EQ(run.completed, 4, "steps");
        NS_TEST_ASSERT_MSG_EQ(run.mismatches, 0, "bytes per tensor");
        const double difference =
            MaxLossDifference(engine->GetStepRecords(), engine->TrainReference(4, 0));
        NS_TEST_ASSERT_MSG_LT_OR_EQ(difference, 1e-5, "flow level equals single-process");

        // GPipe keeps every micro-batch's activations until its backwards: same losses.
        RngSeedManager::SetSeed(1);
        Ptr<TorchComputeEngine> gpipe = CreateObject<TorchComputeEngine>();
        TorchEngineConfig gpipeConfig = TinyPipelineConfig();
        gpipeConfig.microBatches = 4;
        gpipeConfig.microBatchSize = 2;
        gpipe->Configure(gpipeConfig);
        plan.schedule = PipelineSchedule::GPIPE;
        TorchObservation gpipeRun = RunTorch(gpipe, plan, 4, 3, "wifi", "flow");
        NS_TEST_ASSERT_MSG_EQ(gpipeRun.completed, 3, "GPipe steps");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(
            MaxLossDifference(gpipe->GetStepRecords(), gpipe->TrainReference(3, 0)),
            1e-5,
            "GPipe, 4 micro-batches, equals single-process");

        RngSeedManager::SetSeed(4);
        Ptr<TorchComputeEngine> clusters = CreateObject<TorchComputeEngine>();
        TorchEngineConfig config;
        config.spec = TransformerSpec::GetPreset("mini-encoder");
        config.segmentLayers = {1, 1};
        config.replicas = 2;
        config.microBatches = 2;
        clusters->Configure(config);
        TorchTrainingPlan round;
        round.clusters = {TorchClusterLayout{0, {1, 2}}, TorchClusterLayout{3, {4, 5}}};
        round.server = 6;
        round.localIterations = 2;
        round.fedAvg = true;
        TorchObservation collapipe = RunTorch(clusters, round, 6, 2, "wifi", "flow");
        NS_TEST_ASSERT_MSG_EQ(collapipe.completed, 2, "rounds");
        // 2 rounds x 2 local steps x 2 clusters
        NS_TEST_ASSERT_MSG_EQ(clusters->GetStepRecords().size(), 8, "step records");
        for (uint32_t u = 0; u < clusters->GetUnitCount(); ++u)
        {
            NS_TEST_ASSERT_MSG_EQ((clusters->GetParameters(0, u) == clusters->GetParameters(1, u)),
                                  true,
                                  "unit " << u << " equal after FedAvg");
        }
    }
};

namespace
{

double
FakeKernel(uint32_t node, uint64_t kernelId, uint32_t iteration)
{
    return 0.002; // "measured" wall seconds
}

void
OnComputeFinished(std::vector<Time>* durations, uint32_t taskId, Time duration)
{
    durations->push_back(duration);
}

/// Run one compute task with a kernel on device 0 of a p2p network; return its duration.
Time
RunOneKernel(double hostFlops)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork("p2p");
    Ptr<EdgeNetwork> network = networkHelper.Install(1);
    EdgeLlmRuntimeHelper runtime;
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(MakeFleetProfiles(1));
    ApplicationContainer apps = runtime.Install(network);
    runtime.GetExecution()->SetTensorCallbacks(MakeCallback(&FakeKernel),
                                               TaskGraphExecution::PayloadProvider(),
                                               TaskGraphExecution::PayloadConsumer());
    runtime.GetExecution()->SetMeasuredKernelTiming(hostFlops);
    Ptr<TaskGraph> graph = Create<TaskGraph>(2);
    ComputeTask task;
    task.device = 0;
    task.kind = ComputeKind::FORWARD;
    task.flops = 1e9;
    task.kernelId = 5;
    graph->AddCompute(task);
    runtime.GetServer()->SetGraph(graph);
    std::vector<Time> durations;
    apps.Get(0)->TraceConnectWithoutContext("ComputeFinished",
                                            MakeBoundCallback(&OnComputeFinished, &durations));
    apps.Start(Seconds(0));
    Simulator::Stop(Seconds(100));
    Simulator::Run();
    Simulator::Destroy();
    return durations.size() == 1 ? durations[0] : Time(-1);
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Optional measured kernel timing: wall time scaled by host over device FLOP/s.
 */
class TorchMeasuredTimingTestCase : public TestCase
{
  public:
    TorchMeasuredTimingTestCase()
        : TestCase("measured kernel timing scales wall time by the ratio of host to device FLOP "
                   "per second; "
                   "analytic by default")
    {
    }

  private:
    void DoRun() override
    {
        DeviceProfile tx2 = DeviceCatalog::LoadDefault().Get("jetson-tx2");
        const double achieved = tx2.GetAchievedFlops(DataType::FP32);
        // host twice as fast as the device: 0.002 s on the host is 0.004 s on the device
        NS_TEST_ASSERT_MSG_EQ_TOL(RunOneKernel(2 * achieved).GetSeconds(), 0.004, 1e-9, "measured");
        Time analytic =
            CreateObject<AnalyticComputeModel>()->GetComputeTime(tx2, DataType::FP32, 1e9, 0);
        NS_TEST_ASSERT_MSG_EQ(RunOneKernel(0), analytic, "analytic by default");
        NS_TEST_ASSERT_MSG_EQ(TaskGraphExecution::CheckHostFlops(-1),
                              "hostFlops=-1 is invalid: must be a finite number >= 0 (0 = "
                              "analytic)",
                              "bad host FLOP/s");
    }
};

namespace
{

/// What the payload consumer saw.
struct PayloadCheck
{
    uint32_t messages{0}; //!< payloads received
    uint32_t corrupt{0};  //!< payloads whose bytes differ from what was sent
    uint64_t bytes{0};    //!< payload bytes received
};

/// byte i of the tensor whose id is its size
uint8_t
PatternByte(uint64_t tensorId, uint64_t i)
{
    return static_cast<uint8_t>((i * 131 + tensorId * 7 + (i >> 8)) & 0xff);
}

TensorPayload
ProvidePattern(uint32_t node, uint64_t tensorId, uint32_t iteration)
{
    auto bytes = std::make_shared<std::vector<uint8_t>>(tensorId);
    for (uint64_t i = 0; i < tensorId; ++i)
    {
        (*bytes)[i] = PatternByte(tensorId, i);
    }
    return bytes;
}

void
CheckPattern(PayloadCheck* check,
             uint32_t node,
             uint64_t tensorId,
             uint32_t iteration,
             TensorPayload payload)
{
    check->messages++;
    check->bytes += payload->size();
    bool same = payload->size() == tensorId;
    for (uint64_t i = 0; same && i < tensorId; ++i)
    {
        same = (*payload)[i] == PatternByte(tensorId, i);
    }
    check->corrupt += same ? 0 : 1;
}

/// Send tensors of odd sizes (id = size) over \p fidelity; return what arrived.
PayloadCheck
RunPatterns(const std::string& fidelity)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork("p2p");
    Ptr<EdgeNetwork> network = networkHelper.Install(3);
    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(fidelity);
    ApplicationContainer apps = runtime.Install(network);
    PayloadCheck check;
    runtime.GetExecution()->SetTensorCallbacks(TaskGraphExecution::KernelCallback(),
                                               MakeCallback(&ProvidePattern),
                                               MakeBoundCallback(&CheckPattern, &check));
    Ptr<TaskGraph> graph = Create<TaskGraph>(4);
    auto transfer =
        [&graph](uint32_t from, uint32_t to, uint64_t size, std::vector<uint32_t> after) {
            TransferTask task = TransferTask::Make(from, to, size, TransferKind::ACTIVATION, 0, "");
            task.tensorId = size;
            return graph->AddTransfer(task, after);
        };
    // back to back on one pair (frames straddle segments), then a chain, then to the server
    transfer(0, 1, 1, {});
    transfer(0, 1, 1447, {});
    uint32_t big = transfer(0, 1, 100003, {});
    uint32_t next = transfer(1, 2, 65536, {big});
    transfer(2, 3, 7, {next});
    transfer(1, 0, 3000, {big});
    runtime.GetServer()->SetGraph(graph);
    apps.Start(Seconds(0));
    Simulator::Stop(Seconds(100));
    Simulator::Run();
    Simulator::Destroy();
    return check;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Payload mode: the receiver gets exactly the bytes the sender provided, at both levels.
 */
class TorchPayloadIntegrityTestCase : public TestCase
{
  public:
    TorchPayloadIntegrityTestCase()
        : TestCase("payload bytes arrive unchanged over TCP and at the flow level")
    {
    }

  private:
    void DoRun() override
    {
        for (const std::string fidelity : {"packet", "flow"})
        {
            PayloadCheck check = RunPatterns(fidelity);
            NS_TEST_ASSERT_MSG_EQ(check.messages, 6, fidelity << ": every payload arrived");
            NS_TEST_ASSERT_MSG_EQ(check.corrupt, 0, fidelity << ": bytes unchanged");
            // 1 + 1447 + 100003 + 65536 + 7 + 3000
            NS_TEST_ASSERT_MSG_EQ(check.bytes, 169994, fidelity << ": payload bytes");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * Real training over simulated networks.
 */
class TorchPipelineTestSuite : public TestSuite
{
  public:
    TorchPipelineTestSuite()
        : TestSuite("edge-llm-torch-pipeline", TestSuite::SYSTEM)
    {
        AddTestCase(new TorchWifiPipelineTestCase);
        AddTestCase(new TorchNetworkFedAvgTestCase);
        AddTestCase(new TorchFlowLevelTestCase);
        AddTestCase(new TorchMeasuredTimingTestCase);
        AddTestCase(new TorchPayloadIntegrityTestCase);
    }
};

/// the suite's instance
static TorchPipelineTestSuite g_torchPipelineTestSuite;
