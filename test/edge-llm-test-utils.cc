/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/abort.h"
#include "ns3/analytic-compute-model.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-application.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/edge-network-helper.h"
#include "ns3/flow-tensor-transport.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"
#include "ns3/simulator.h"
#include "ns3/tcp-tensor-transport.h"
#include "ns3/uinteger.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ns3
{
namespace edgellm
{

namespace
{

/// The default catalog, loaded once.
const DeviceCatalog&
GetDefaultCatalog()
{
    static const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    return catalog;
}

void
RecordIterationLatency(std::vector<Time>* latency, uint32_t iteration, Time start, Time end)
{
    latency->push_back(end - start);
}

} // namespace

std::vector<CollaPipeDevice>
MakeCollaPipeDevices(const std::vector<std::pair<std::string, double>>& fleet, double energyBudget)
{
    std::vector<CollaPipeDevice> devices;
    for (const auto& [name, gain] : fleet)
    {
        CollaPipeDevice device;
        device.profile = GetDefaultCatalog().Get(name);
        device.channelGain = gain;
        device.energyBudget = energyBudget;
        devices.push_back(device);
    }
    return devices;
}

std::vector<DeviceProfile>
GetCatalogMobileDevices()
{
    std::vector<DeviceProfile> out;
    for (const std::string& name : GetDefaultCatalog().GetNames())
    {
        if (name != "edge-server-a100")
        {
            out.push_back(GetDefaultCatalog().Get(name));
        }
    }
    return out;
}

CollaPipeConfig
MakeBertBaseStackConfig(uint32_t layers)
{
    CollaPipeConfig cfg;
    cfg.spec = TransformerSpec::GetPreset("bert-base");
    cfg.spec.encoderLayers = layers;
    cfg.spec.sequenceLength = 128;
    cfg.batchSize = 16;
    cfg.maxMicroBatches = 8;
    cfg.localIterations = 2;
    cfg.lambda = 1.0;
    return cfg;
}

std::vector<DeviceProfile>
MakeFleetProfiles(uint32_t devices, const std::string& device, const std::string& server)
{
    std::vector<DeviceProfile> profiles(devices, GetDefaultCatalog().Get(device));
    profiles.push_back(GetDefaultCatalog().Get(server));
    return profiles;
}

Ptr<EdgeNetwork>
InstallTestNetwork(uint32_t devices, const TestNetworkSettings& settings)
{
    RngSeedManager::SetSeed(settings.seed);
    RngSeedManager::SetRun(settings.run);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork(settings.kind);
    if (settings.distance)
    {
        networkHelper.SetDistance(*settings.distance);
    }
    if (settings.fading)
    {
        networkHelper.SetFading(*settings.fading);
    }
    if (settings.channelWidth)
    {
        networkHelper.SetChannelWidth(*settings.channelWidth);
    }
    if (settings.rate)
    {
        networkHelper.SetDataRate(*settings.rate);
    }
    if (settings.delay)
    {
        networkHelper.SetDelay(*settings.delay);
    }
    if (settings.errorRate)
    {
        networkHelper.SetErrorRate(*settings.errorRate);
    }
    networkHelper.SetFlowOnly(settings.flowOnly);
    Ptr<EdgeNetwork> network = networkHelper.Install(devices);
    networkHelper.AssignStreams(network, 100);
    return network;
}

std::vector<uint64_t>
GetPayloadBytesPerNode(const ApplicationContainer& apps)
{
    std::vector<uint64_t> bytes;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<TensorTransport> transport =
            DynamicCast<EdgeLlmApplication>(apps.Get(i))->GetTransport();
        if (auto tcp = DynamicCast<TcpTensorTransport>(transport))
        {
            bytes.push_back(tcp->GetPayloadBytesReceived());
        }
        else if (auto flow = DynamicCast<FlowTensorTransport>(transport))
        {
            bytes.push_back(flow->GetPayloadBytesReceived());
        }
        else
        {
            NS_FATAL_ERROR("GetPayloadBytesPerNode: node " << i
                                                           << " has neither a TCP nor a flow "
                                                              "transport");
        }
    }
    return bytes;
}

FixedGraphRunResult
RunFixedGraph(Ptr<TaskGraph> graph, Ptr<EdgeNetwork> network, const FixedGraphRunSettings& settings)
{
    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(settings.fidelity);
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(settings.profiles.empty()
                                  ? MakeFleetProfiles(network->GetNodeCount() - 1)
                                  : settings.profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(settings.iterations));
    ApplicationContainer apps =
        settings.nodes.GetN() > 0 ? runtime.Install(settings.nodes) : runtime.Install(network);
    runtime.GetServer()->SetGraph(graph);
    if (settings.waitForNetwork)
    {
        runtime.GetServer()->WaitForNetwork(network);
    }
    apps.Start(Seconds(0));
    FixedGraphRunResult result;
    runtime.GetServer()->TraceConnectWithoutContext(
        "IterationCompleted",
        MakeBoundCallback(&RecordIterationLatency, &result.iterationLatency));
    if (settings.beforeRun)
    {
        settings.beforeRun(runtime, apps);
    }
    Simulator::Stop(settings.stopTime);
    const auto begin = std::chrono::steady_clock::now();
    Simulator::Run();
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    result.completedIterations = runtime.GetServer()->GetCompletedIterations();
    result.payloadBytesPerNode = GetPayloadBytesPerNode(apps);
    for (uint64_t bytes : result.payloadBytesPerNode)
    {
        result.payloadBytes += bytes;
    }
    if (settings.afterRun)
    {
        settings.afterRun(runtime, apps);
    }
    Simulator::Destroy();
    return result;
}

PipelineSpec
MakeChainPipelineSpec(PipelineSchedule schedule,
                      uint32_t microBatches,
                      const std::vector<Time>& forward,
                      const std::vector<Time>& backward,
                      uint64_t bytes)
{
    NS_ABORT_MSG_IF(forward.size() != backward.size(),
                    "MakeChainPipelineSpec: " << forward.size() << " forward and "
                                              << backward.size() << " backward times");
    const uint32_t stages = forward.size();
    PipelineSpec spec;
    spec.schedule = schedule;
    spec.microBatches = microBatches;
    for (uint32_t s = 0; s < stages; ++s)
    {
        spec.stageDevices.push_back(s);
        spec.forwardCosts.push_back(ComputeCost::FromDuration(forward[s]));
        spec.backwardCosts.push_back(ComputeCost::FromDuration(backward[s]));
        if (s + 1 < stages)
        {
            spec.activationBytes.push_back(bytes);
            spec.gradientBytes.push_back(bytes);
        }
    }
    return spec;
}

PipelineTasks
BuildPipelineToServer(TaskGraph& graph,
                      uint32_t microBatches,
                      uint64_t activationBytes,
                      const std::vector<Time>& forward,
                      const std::vector<Time>& backward,
                      Time loss)
{
    PipelineSpec spec = MakeChainPipelineSpec(PipelineSchedule::ONE_F_ONE_B,
                                              microBatches,
                                              forward,
                                              backward,
                                              activationBytes);
    PipelineHead head;
    head.device = forward.size();
    head.activationBytes = activationBytes;
    head.gradientBytes = activationBytes;
    head.lossCost = ComputeCost::FromDuration(loss);
    spec.head = head;
    return PipelineScheduleBuilder::Build(graph, spec);
}

std::pair<std::vector<uint32_t>, std::vector<std::vector<uint32_t>>>
GroupAfterPipeline(const PipelineTasks& tasks, uint32_t devices)
{
    std::vector<uint32_t> group;
    std::vector<std::vector<uint32_t>> after;
    for (uint32_t i = 0; i <= devices; ++i)
    {
        group.push_back(i);
        after.push_back(i < devices ? std::vector<uint32_t>{tasks.lastTask[i]}
                                    : std::vector<uint32_t>{});
    }
    return {group, after};
}

PipelineSpec
MakeSourceToHeadPipelineSpec(PipelineSchedule schedule,
                             Time forward,
                             Time backward,
                             const std::vector<uint64_t>& boundaryBytes,
                             uint64_t inputBytes)
{
    NS_ABORT_MSG_IF(boundaryBytes.size() != 2,
                    "MakeSourceToHeadPipelineSpec: three stages have two boundaries");
    PipelineSpec spec;
    spec.schedule = schedule;
    spec.microBatches = 3;
    spec.stageDevices = {0, 1, 2};
    spec.forwardCosts.assign(3, ComputeCost::FromDuration(forward));
    spec.backwardCosts.assign(3, ComputeCost::FromDuration(backward));
    spec.activationBytes = boundaryBytes;
    spec.gradientBytes = boundaryBytes;
    PipelineSource source;
    source.device = 3;
    source.inputBytes = inputBytes;
    source.forwardCost = ComputeCost::FromDuration(MilliSeconds(1));
    spec.source = source;
    PipelineHead head;
    head.device = 4;
    head.activationBytes = boundaryBytes.back();
    head.lossCost = ComputeCost::FromDuration(MilliSeconds(2));
    head.gradientBytes = boundaryBytes.back();
    spec.head = head;
    return spec;
}

TransferTask
MakeLabelledTransfer(uint32_t source,
                     uint32_t destination,
                     uint64_t bytes,
                     const std::string& label,
                     TransferKind kind)
{
    return TransferTask::Make(source,
                              destination,
                              bytes,
                              kind,
                              TransferTask::NO_MICRO_BATCH,
                              label);
}

std::string
JoinIds(const std::vector<uint32_t>& ids)
{
    std::string s;
    for (uint32_t id : ids)
    {
        s += (s.empty() ? "" : " ") + std::to_string(id);
    }
    return s;
}

std::vector<std::vector<std::string>>
ReadCsvRows(const std::string& path, bool withHeader)
{
    std::ifstream in(path);
    std::string line;
    if (!withHeader)
    {
        std::getline(in, line); // the header
    }
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line))
    {
        rows.emplace_back();
        std::istringstream row(line);
        for (std::string field; std::getline(row, field, ',');)
        {
            rows.back().push_back(field);
        }
    }
    return rows;
}

nlohmann::json
MakeClusterScaleScenario(const std::string& name, uint32_t clusters)
{
    nlohmann::json scenario;
    scenario["name"] = name;
    scenario["workload"] = {{"model", "bert-base"}, {"recipe", "lora"}, {"batchSize", 8}};
    scenario["fleet"] = {{"server", "edge-server-a100"},
                         {"groups",
                          nlohmann::json::array({{{"devices",
                                                   {"jetson-tx2",
                                                    "jetson-xavier-nx",
                                                    "smartphone-snapdragon-8-gen-2",
                                                    "jetson-tx2",
                                                    "jetson-xavier-nx",
                                                    "smartphone-snapdragon-8-gen-2",
                                                    "jetson-tx2"}},
                                                  {"controlUnit", "laptop-rtx-3060"},
                                                  {"repeat", clusters}}})}};
    scenario["rounds"] = 1;
    scenario["fidelity"] = "flow";
    scenario["seed"] = 1;
    scenario["run"] = 1;
    scenario["runs"] =
        nlohmann::json::array({{{"name", "even"},
                                {"strategy", {{"type", "ns3::CollaPipeStrategy"}}},
                                {"scheduler", {{"type", "ns3::EvenSplitScheduler"}}}}});
    scenario["defaults"] = {{"ns3::ClusterTrainingStrategy::LocalIterations", 1}};
    scenario["seeds"] = 1;
    return scenario;
}

StudyProcessUsage
RunStudyProcess(const std::string& program,
                const std::string& folder,
                const nlohmann::json& scenario)
{
    std::filesystem::create_directories(folder);
    const std::string file = folder + "/scenario.json";
    std::ofstream(file) << scenario.dump(2) << "\n";
    StudyProcessUsage usage;
    // the run's output and progress lines go to its own log, not into a bench's table
    static_cast<ProcessUsage&>(usage) =
        RunProcess({program, file, "--outputDir=" + folder + "/results"}, folder + "/run.log");
    usage.roundsCsv = folder + "/results/rounds.csv";
    return usage;
}

double
ReadFirstRoundValue(const std::string& path, const std::string& column)
{
    const std::vector<std::vector<std::string>> rows = ReadCsvRows(path, true);
    if (rows.size() < 2)
    {
        return -1;
    }
    for (std::size_t i = 0; i < rows[0].size() && i < rows[1].size(); ++i)
    {
        if (rows[0][i] == column)
        {
            return std::stod(rows[1][i]);
        }
    }
    return -1;
}

double
GetGrowthExponent(const std::vector<double>& sizes, const std::vector<double>& cost)
{
    const std::size_t n = sizes.size();
    if (n < 2)
    {
        return std::nan("");
    }
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (std::size_t i = 0; i < n; ++i)
    {
        const double x = std::log(sizes[i]);
        const double y = std::log(cost[i]);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

ProcessUsage
RunProcess(const std::vector<std::string>& arguments, const std::string& outputPath)
{
    ProcessUsage usage;
    // what is buffered would be written twice: by the child's freopen and by this process
    std::cout.flush();
    std::fflush(nullptr);
    const auto start = std::chrono::steady_clock::now();
    pid_t child = fork();
    if (child == 0)
    {
        std::freopen(outputPath.c_str(), "w", stdout);
        std::freopen(outputPath.c_str(), "a", stderr);
        std::vector<char*> argv;
        for (const std::string& a : arguments)
        {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        std::perror(argv[0]);
        _exit(127);
    }
    if (child < 0)
    {
        std::perror("fork");
        return usage;
    }
    int status = 0;
    rusage resources{};
    if (wait4(child, &status, 0, &resources) != child)
    {
        std::perror("wait4");
        return usage;
    }
    usage.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    usage.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    usage.cpuSeconds = resources.ru_utime.tv_sec + 1e-6 * resources.ru_utime.tv_usec +
                       resources.ru_stime.tv_sec + 1e-6 * resources.ru_stime.tv_usec;
    usage.peakKiB = resources.ru_maxrss; // KiB on Linux
    return usage;
}

std::string
RunShippedScenario(const std::string& file,
                   const std::string& run,
                   uint32_t rounds,
                   const std::string& fidelity,
                   const std::string& outputDir)
{
    Scenario scenario;
    std::string problem = Scenario::LoadFile(GetEdgeLlmScenarioPath(file), scenario);
    if (problem.empty())
    {
        problem = scenario.SelectRuns({run});
    }
    if (!problem.empty())
    {
        return problem;
    }
    scenario.study.SetRounds(rounds);
    scenario.study.SetFidelity(fidelity);
    scenario.outputDir = outputDir;
    scenario.study.SetOutputDirectory(outputDir);
    RngSeedManager::SetSeed(scenario.seed);
    RngSeedManager::SetRun(scenario.run);
    std::ostringstream out;
    std::ostringstream err;
    if (ScenarioRunner::Run(scenario, out, err) != 0)
    {
        return "the run failed: " + err.str();
    }
    return "";
}

} // namespace edgellm
} // namespace ns3
