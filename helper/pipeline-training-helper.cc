/* SPDX-License-Identifier: GPL-2.0-only */
#include "pipeline-training-helper.h"

#include "command-line-lists.h"
#include "edge-llm-runtime-helper.h"

#include "ns3/fatal-error.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/log.h"
#include "ns3/run-recorder.h"
#include "ns3/show-progress.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <iomanip>
#include <memory>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPipelineTrainingHelper");

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

} // namespace

PipelineTrainingHelper::PipelineTrainingHelper()
    : m_schedule(PipelineSchedule::ONE_F_ONE_B)
{
    Require(TransformerSpec::FromPreset("bert-base", m_spec));
    m_recipe.kind = RecipeKind::FULL;
    m_recipe.microBatchSize = 8;
    m_recipe.dtype = DataType::FP32;
}

EdgeNetworkHelper&
PipelineTrainingHelper::GetNetworkHelper()
{
    return m_network;
}

std::string
PipelineTrainingHelper::CheckModel(const std::string& model)
{
    TransformerSpec spec;
    std::string problem = TransformerSpec::FromPreset(model, spec);
    if (problem.empty() && spec.encoderLayers == 0)
    {
        problem = "model='" + model +
                  "' has no encoder; the pipeline cuts an encoder (e.g. bert-base, "
                  "roberta-large, distilbert)";
    }
    return problem;
}

void
PipelineTrainingHelper::SetModel(const std::string& model)
{
    NS_LOG_FUNCTION(this << model);
    Require(CheckModel(model));
    Require(TransformerSpec::FromPreset(model, m_spec));
    m_plan.reset();
}

void
PipelineTrainingHelper::SetSchedule(const std::string& schedule)
{
    NS_LOG_FUNCTION(this << schedule);
    Require(ParsePipelineSchedule(schedule, m_schedule));
    m_plan.reset();
}

void
PipelineTrainingHelper::SetSplit(const std::string& split)
{
    NS_LOG_FUNCTION(this << split);
    Require(EncoderPipelinePlanner::CheckSplit(split));
    m_split = split;
    m_plan.reset();
}

void
PipelineTrainingHelper::SetDataType(const std::string& dtype)
{
    NS_LOG_FUNCTION(this << dtype);
    Require(ParseDataType(dtype, m_recipe.dtype));
    m_plan.reset();
}

void
PipelineTrainingHelper::SetMicroBatches(uint32_t microBatches)
{
    NS_LOG_FUNCTION(this << microBatches);
    Require(microBatches == 0 ? "microBatches=0 is invalid: must be a positive integer" : "");
    m_microBatches = microBatches;
    m_plan.reset();
}

void
PipelineTrainingHelper::SetMicroBatchSize(uint32_t microBatchSize)
{
    NS_LOG_FUNCTION(this << microBatchSize);
    Require(microBatchSize == 0 ? "microBatchSize=0 is invalid: must be a positive integer" : "");
    m_recipe.microBatchSize = microBatchSize;
    m_plan.reset();
}

void
PipelineTrainingHelper::SetIterations(uint32_t iterations)
{
    NS_LOG_FUNCTION(this << iterations);
    Require(iterations == 0 ? "iterations=0 is invalid: must be a positive integer" : "");
    m_iterations = iterations;
}

void
PipelineTrainingHelper::SetDevices(const std::string& devices, const std::string& devicesFile)
{
    NS_LOG_FUNCTION(this << devices << devicesFile);
    DeviceCatalog catalog;
    Require(catalog.LoadFile(devicesFile));
    std::vector<DeviceProfile> profiles;
    for (const auto& name : SplitCommaSeparated(devices))
    {
        DeviceProfile profile;
        Require(catalog.Find(name, profile));
        profiles.push_back(profile);
    }
    if (profiles.size() < 2)
    {
        NS_FATAL_ERROR("devices='" << devices << "' gives " << profiles.size()
                                   << " device(s); a pipeline needs at least 2");
    }
    m_catalog = catalog;
    m_devices = profiles;
    m_plan.reset();
}

void
PipelineTrainingHelper::SetFidelity(const std::string& fidelity)
{
    NS_LOG_FUNCTION(this << fidelity);
    Require(EdgeLlmRuntimeHelper::CheckFidelity(fidelity));
    m_fidelity = fidelity;
}

void
PipelineTrainingHelper::SetOutputDirectory(const std::string& directory)
{
    NS_LOG_FUNCTION(this << directory);
    m_outputDir = directory;
}

void
PipelineTrainingHelper::EnableProgress(Time interval, std::ostream& os)
{
    m_progressInterval = interval;
    m_progressStream = &os;
}

std::string
PipelineTrainingHelper::Validate() const
{
    return EncoderPipelinePlanner::Validate(m_spec,
                                            m_recipe,
                                            static_cast<uint32_t>(m_devices.size()),
                                            m_split,
                                            m_microBatches);
}

const EncoderPipelinePlan&
PipelineTrainingHelper::GetPlan()
{
    if (!m_plan)
    {
        Require(Validate());
        m_plan = EncoderPipelinePlanner::Plan(m_spec,
                                              m_recipe,
                                              m_devices,
                                              m_split,
                                              m_schedule,
                                              m_microBatches);
    }
    return *m_plan;
}

void
PipelineTrainingHelper::PrintPlan(std::ostream& os)
{
    const EncoderPipelinePlan& plan = GetPlan();
    os << m_spec.name << " encoder in " << plan.stages.size() << " segments, " << m_microBatches
       << " micro-batches of " << m_recipe.microBatchSize << ", "
       << PipelineScheduleToString(m_schedule) << ", " << m_network.GetNetwork() << "\n";
    for (uint32_t s = 0; s < plan.stages.size(); ++s)
    {
        const EncoderPipelineStage& stage = plan.stages[s];
        os << "  stage " << s << " on " << m_devices[s].GetName() << ": layers " << stage.firstLayer
           << ".." << stage.lastLayer << ", memory " << std::fixed << std::setprecision(2)
           << stage.memory.requiredBytes / 1073741824.0 << " GiB of "
           << stage.memory.availableBytes / 1073741824.0 << " GiB"
           << (stage.memory.fits ? "" : "  OUT OF MEMORY: " + stage.memory.reason) << "\n";
    }
}

std::vector<IterationStats>
PipelineTrainingHelper::Run()
{
    NS_LOG_FUNCTION(this);
    const EncoderPipelinePlan& plan = GetPlan();
    const auto stages = static_cast<uint32_t>(plan.stages.size());
    Ptr<TaskGraph> graph = Create<TaskGraph>(stages + 1);
    PipelineScheduleBuilder::Build(*graph, plan.pipeline);

    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper = m_network;
    if (m_fidelity == "flow" &&
        EdgeNetworkHelper::CheckFlowOnly(networkHelper.GetNetwork()).empty())
    {
        networkHelper.SetFlowOnly(true); // the flow level needs no packet device
    }
    Ptr<EdgeNetwork> network = networkHelper.Install(stages);
    networkHelper.AssignStreams(network, 1000);

    std::vector<DeviceProfile> profiles = m_devices;
    profiles.push_back(m_catalog.Get("edge-server-a100"));
    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(m_fidelity);
    runtime.SetComputeModel(CreateObject<KernelComputeModel>());
    runtime.SetDeviceProfiles(profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(m_iterations));
    ApplicationContainer apps = runtime.Install(network);
    runtime.GetServer()->SetGraph(graph);
    runtime.GetServer()->WaitForNetwork(network);
    apps.Start(Seconds(0));

    Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
    recorder->SetAttribute("OutputDirectory", StringValue(m_outputDir));
    std::vector<std::string> names;
    for (const auto& profile : profiles)
    {
        names.push_back(profile.GetName());
    }
    names.back() = "edge-server";
    runtime.EnableRecorder(recorder, names);

    std::unique_ptr<ShowProgress> progress;
    if (m_progressInterval)
    {
        progress = std::make_unique<ShowProgress>(*m_progressInterval, *m_progressStream);
    }
    Simulator::Run();
    std::vector<IterationStats> stats = recorder->GetIterationStats();
    progress.reset();
    Simulator::Destroy();
    return stats;
}

void
PipelineTrainingHelper::PrintIterations(const std::vector<IterationStats>& stats, std::ostream& os)
{
    os << "\niteration  latency (s)  bubble  efficiency  bytes on the network\n";
    for (const auto& iteration : stats)
    {
        os << std::fixed << std::setw(9) << iteration.iteration << "  " << std::setw(11)
           << std::setprecision(4) << iteration.latency.GetSeconds() << "  " << std::setw(6)
           << std::setprecision(3) << iteration.bubbleFraction << "  " << std::setw(10)
           << iteration.efficiency << "  " << iteration.bytes << "\n";
    }
}

} // namespace edgellm
} // namespace ns3
