/* SPDX-License-Identifier: GPL-2.0-only */
#include "collapipe-torch-helper.h"

#include "edge-llm-runtime-helper.h"

#include "ns3/abort.h"
#include "ns3/analytic-compute-model.h"
#include "ns3/application-container.h"
#include "ns3/encoder-pipeline-planner.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollaPipeTorchHelper");

namespace
{

/// Stop the run with \p problem unless it is empty.
void
Require(const std::string& problem)
{
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
}

/// "<name>=0 is invalid: must be a positive integer" when \p value is 0, else "".
std::string
CheckPositive(const std::string& name, uint32_t value)
{
    return value == 0 ? name + "=0 is invalid: must be a positive integer" : "";
}

/// The problem with a devices-per-cluster count, or "".
std::string
CheckDevicesPerCluster(uint32_t devices)
{
    return devices < 2 ? "devicesPerCluster=" + std::to_string(devices) +
                             " is invalid: a control unit and at least one segment device (>= 2)"
                       : "";
}

/// The problem with a local-iteration count, or "".
std::string
CheckLocalIterations(uint32_t localIterations)
{
    return localIterations == 0 || localIterations > 255
               ? "localIterations=" + std::to_string(localIterations) +
                     " is invalid: allowed 1..255"
               : "";
}

} // namespace

CollaPipeTorchHelper::CollaPipeTorchHelper()
    : m_catalog(DeviceCatalog::LoadDefault())
{
    m_network.SetNetwork("wifi");
}

EdgeNetworkHelper&
CollaPipeTorchHelper::GetNetworkHelper()
{
    return m_network;
}

void
CollaPipeTorchHelper::SetModel(const std::string& model)
{
    NS_LOG_FUNCTION(this << model);
    m_model = model;
}

void
CollaPipeTorchHelper::SetClusters(uint32_t clusters)
{
    NS_LOG_FUNCTION(this << clusters);
    Require(CheckPositive("clusters", clusters));
    m_clusters = clusters;
}

void
CollaPipeTorchHelper::SetDevicesPerCluster(uint32_t devices)
{
    NS_LOG_FUNCTION(this << devices);
    Require(CheckDevicesPerCluster(devices));
    m_devicesPerCluster = devices;
}

void
CollaPipeTorchHelper::SetRounds(uint32_t rounds)
{
    NS_LOG_FUNCTION(this << rounds);
    Require(CheckPositive("rounds", rounds));
    m_rounds = rounds;
}

void
CollaPipeTorchHelper::SetLocalIterations(uint32_t localIterations)
{
    NS_LOG_FUNCTION(this << localIterations);
    Require(CheckLocalIterations(localIterations));
    m_localIterations = localIterations;
}

void
CollaPipeTorchHelper::SetMicroBatches(uint32_t microBatches)
{
    NS_LOG_FUNCTION(this << microBatches);
    m_microBatches = microBatches;
}

void
CollaPipeTorchHelper::SetMicroBatchSize(uint32_t microBatchSize)
{
    NS_LOG_FUNCTION(this << microBatchSize);
    m_microBatchSize = microBatchSize;
}

void
CollaPipeTorchHelper::SetOptimizer(const std::string& optimizer)
{
    NS_LOG_FUNCTION(this << optimizer);
    m_optimizer = optimizer;
}

void
CollaPipeTorchHelper::SetLearningRate(double learningRate)
{
    NS_LOG_FUNCTION(this << learningRate);
    m_learningRate = learningRate;
}

void
CollaPipeTorchHelper::SetFidelity(const std::string& fidelity)
{
    NS_LOG_FUNCTION(this << fidelity);
    Require(EdgeLlmRuntimeHelper::CheckFidelity(fidelity));
    m_fidelity = fidelity;
}

std::string
CollaPipeTorchHelper::CheckTiming(const std::string& timing)
{
    if (timing == "analytic" || timing == "measured")
    {
        return "";
    }
    return "timing='" + timing + "' is not known; allowed: analytic, measured";
}

void
CollaPipeTorchHelper::SetTiming(const std::string& timing)
{
    NS_LOG_FUNCTION(this << timing);
    Require(CheckTiming(timing));
    m_timing = timing;
}

void
CollaPipeTorchHelper::SetEvalSamples(uint32_t samples)
{
    NS_LOG_FUNCTION(this << samples);
    Require(CheckPositive("evalSamples", samples));
    m_evalSamples = samples;
}

void
CollaPipeTorchHelper::SetDevice(const std::string& device)
{
    NS_LOG_FUNCTION(this << device);
    DeviceProfile profile;
    Require(m_catalog.Find(device, profile));
    m_device = device;
}

void
CollaPipeTorchHelper::SetOutputDirectory(const std::string& directory)
{
    NS_LOG_FUNCTION(this << directory);
    m_outputDir = directory;
}

std::string
CollaPipeTorchHelper::MakeEngineConfig(TorchEngineConfig& config) const
{
    std::string problem = TransformerSpec::FromPreset(m_model, config.spec);
    for (const std::string& check : {CheckPositive("clusters", m_clusters),
                                     CheckDevicesPerCluster(m_devicesPerCluster),
                                     CheckPositive("rounds", m_rounds),
                                     CheckLocalIterations(m_localIterations),
                                     CheckPositive("evalSamples", m_evalSamples),
                                     EdgeLlmRuntimeHelper::CheckFidelity(m_fidelity),
                                     CheckTiming(m_timing)})
    {
        if (problem.empty())
        {
            problem = check;
        }
    }
    if (!problem.empty())
    {
        return problem;
    }
    const uint32_t segments = m_devicesPerCluster - 1;
    if (segments > config.spec.encoderLayers)
    {
        return "devicesPerCluster=" + std::to_string(m_devicesPerCluster) + " gives " +
               std::to_string(segments) + " segment devices but model='" + m_model + "' has " +
               std::to_string(config.spec.encoderLayers) +
               " encoder blocks; at most one device per block";
    }
    // Even split; the first segments take the remainder.
    config.segmentLayers = EncoderPipelinePlanner::SplitEven(config.spec.encoderLayers, segments);
    config.replicas = m_clusters;
    config.microBatches = m_microBatches;
    config.microBatchSize = m_microBatchSize;
    config.optimizer = m_optimizer;
    config.learningRate = m_learningRate;
    return TorchComputeEngine::Validate(config);
}

std::string
CollaPipeTorchHelper::Validate() const
{
    TorchEngineConfig config;
    const std::string problem = MakeEngineConfig(config);
    if (!problem.empty())
    {
        return problem;
    }
    DeviceProfile profile;
    return m_catalog.Find(m_device, profile);
}

TorchEngineConfig
CollaPipeTorchHelper::GetEngineConfig() const
{
    Require(Validate());
    TorchEngineConfig config;
    MakeEngineConfig(config);
    return config;
}

void
CollaPipeTorchHelper::Install()
{
    NS_LOG_FUNCTION(this);
    const TorchEngineConfig config = GetEngineConfig();
    const uint32_t segments = m_devicesPerCluster - 1;
    // Nodes: cluster by cluster (control unit, then segment devices), the server last.
    const uint32_t devices = m_clusters * m_devicesPerCluster;
    TorchTrainingPlan plan;
    for (uint32_t c = 0; c < m_clusters; ++c)
    {
        TorchClusterLayout layout;
        layout.source = c * m_devicesPerCluster;
        for (uint32_t s = 0; s < segments; ++s)
        {
            layout.stageDevices.push_back(c * m_devicesPerCluster + 1 + s);
        }
        plan.clusters.push_back(layout);
    }
    plan.server = devices;
    plan.localIterations = m_localIterations;
    plan.fedAvg = true;
    Require(TorchTrainingGraphBuilder::Validate(config, plan, devices + 1));

    m_engine = CreateObject<TorchComputeEngine>();
    m_engine->Configure(config);
    m_engine->SetLocalIterations(m_localIterations);

    EdgeNetworkHelper::ConfigureTcpDefaults();
    Ptr<EdgeNetwork> network = m_network.Install(devices);
    m_network.AssignStreams(network, 100);
    std::vector<DeviceProfile> profiles(devices, m_catalog.Get(m_device));
    profiles.push_back(m_catalog.Get("edge-server-a100"));

    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(m_fidelity);
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(m_rounds));
    ApplicationContainer apps = runtime.Install(network);
    m_engine->Connect(runtime.GetExecution());
    m_hostFlops = 0;
    if (m_timing == "measured")
    {
        m_hostFlops = TorchComputeEngine::MeasureMatmulGflops(256, 20) * 1e9;
        runtime.GetExecution()->SetMeasuredKernelTiming(m_hostFlops);
    }
    Ptr<TaskGraph> graph = TorchTrainingGraphBuilder::BuildRound(m_engine, plan, devices + 1);
    m_server = runtime.GetServer();
    m_recorder = CreateObject<TorchRoundRecorder>();
    m_recorder->SetAttribute("EvalSamples", UintegerValue(m_evalSamples));
    m_recorder->SetAttribute("OutputDirectory", StringValue(m_outputDir));
    m_server->SetGraph(graph);
    m_server->WaitForNetwork(network);
    m_recorder->Connect(m_engine, m_server, graph, m_localIterations);
    apps.Start(Seconds(0));
}

double
CollaPipeTorchHelper::GetHostFlops() const
{
    return m_hostFlops;
}

Ptr<TorchComputeEngine>
CollaPipeTorchHelper::GetEngine() const
{
    return m_engine;
}

Ptr<TorchRoundRecorder>
CollaPipeTorchHelper::GetRecorder() const
{
    return m_recorder;
}

uint32_t
CollaPipeTorchHelper::Run()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_server, "CollaPipeTorchHelper::Run must follow Install");
    Simulator::Stop(Seconds(36000));
    Simulator::Run();
    const uint32_t completed = m_server->GetCompletedIterations();
    Simulator::Destroy();
    return completed;
}

} // namespace edgellm
} // namespace ns3
