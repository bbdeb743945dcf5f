/* SPDX-License-Identifier: GPL-2.0-only */
#include "study-helper.h"

#include "edge-llm-energy-helper.h"
#include "edge-llm-runtime-helper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/edge-llm-application.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/run-progress.h"
#include "ns3/run-recorder.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <fstream>
#include <iomanip>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmStudyHelper");

namespace
{

/// Adds a delivered transfer's bytes to a count.
void
CountDelivered(uint64_t* total, uint32_t /* taskId */, uint32_t /* peer */, uint64_t bytes)
{
    *total += bytes;
}

/// Marks where a round's bytes start: the count when the previous round ended.
void
MarkRoundStart(uint64_t* roundStart, const uint64_t* total, const RoundRecord& /* record */)
{
    *roundStart = *total;
}

/// The radio energy metered on a node (its WifiRadioEnergyMeters), or -1 where none is installed.
double
MeteredRadioEnergy(const EdgeLlmEnergyHelper* energy, uint32_t node)
{
    return energy->HasRadioEnergy(node) ? energy->GetRadioEnergyJ(node) : -1.0;
}

} // namespace

StudyHelper::StudyHelper() = default;

EdgeNetworkHelper&
StudyHelper::GetNetworkHelper()
{
    return m_network;
}

void
StudyHelper::SetFleet(const Fleet& fleet)
{
    m_fleet = fleet;
}

const Fleet&
StudyHelper::GetFleet() const
{
    return m_fleet;
}

void
StudyHelper::SetWorkload(const Workload& workload)
{
    m_workload = workload;
}

const Workload&
StudyHelper::GetWorkload() const
{
    return m_workload;
}

void
StudyHelper::SetFidelity(const std::string& fidelity)
{
    const std::string problem = EdgeLlmRuntimeHelper::CheckFidelity(fidelity);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    m_fidelity = fidelity;
}

const std::string&
StudyHelper::GetFidelity() const
{
    return m_fidelity;
}

void
StudyHelper::SetRounds(uint32_t rounds)
{
    NS_ABORT_MSG_IF(rounds == 0, "rounds=0 is invalid: must be a positive integer");
    m_rounds = rounds;
}

uint32_t
StudyHelper::GetRounds() const
{
    return m_rounds;
}

void
StudyHelper::SetOutputDirectory(const std::string& directory)
{
    m_outputDir = directory;
}

void
StudyHelper::SetFlowOnlyNetwork(bool enable)
{
    m_flowOnlyNetwork = enable;
}

bool
StudyHelper::GetFlowOnlyNetwork() const
{
    return m_flowOnlyNetwork;
}

bool
StudyHelper::UsesFlowOnlyNetwork() const
{
    return m_flowOnlyNetwork && m_fidelity == "flow" &&
           EdgeNetworkHelper::CheckFlowOnly(m_network.GetNetwork()).empty();
}

void
StudyHelper::SetControllerCallback(Callback<void, Ptr<RoundController>> callback)
{
    m_controllerCallback = callback;
}

void
StudyHelper::SetExecutionCallback(Callback<void, Ptr<TaskGraphExecution>> callback)
{
    m_executionCallback = callback;
}

void
StudyHelper::SetFaults(const std::vector<FaultEvent>& faults,
                       const std::vector<double>& batteriesJ,
                       Time heartbeat,
                       Time timeout)
{
    NS_ABORT_MSG_IF(!heartbeat.IsStrictlyPositive() || timeout <= heartbeat,
                    "heartbeat=" << heartbeat.GetSeconds()
                                 << " s, failureTimeout=" << timeout.GetSeconds()
                                 << " s are invalid: need 0 < heartbeat < failureTimeout");
    m_faults = faults;
    m_batteriesJ = batteriesJ;
    m_heartbeat = heartbeat;
    m_failureTimeout = timeout;
}

const std::vector<FaultRecord>&
StudyHelper::GetLastFaultLog() const
{
    return m_lastFaults;
}

void
StudyHelper::SetSimulationDriver(SimulationDriver driver)
{
    m_driver = driver;
}

std::string
StudyHelper::Run(const std::string& runName,
                 Ptr<Strategy> strategy,
                 std::vector<RoundRecord>& records) const
{
    records.clear();
    std::string problem = m_fleet.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    if (m_heartbeat.IsStrictlyPositive() && !m_executionCallback.IsNull())
    {
        return "dynamics: faults and the failure detector do not run with real tensors "
               "(LibTorch): a restarted round would need the tensors' state rolled back";
    }
    if (m_network.GetPartitionCount() > 1)
    {
        // a rank sees only its own part of a round, so the next round could not start where
        // the sequential run starts it (when the last rank's part ends)
        const std::string partitions =
            "partitions=" + std::to_string(m_network.GetPartitionCount());
        if (m_rounds != 1 || m_fidelity != "packet" || m_heartbeat.IsStrictlyPositive() ||
            !m_driver)
        {
            return partitions +
                   " (a distributed run) needs rounds=1 (rounds=" + std::to_string(m_rounds) +
                   "), the packet level (fidelity='" + m_fidelity +
                   "'), no faults and a simulation driver";
        }
    }
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper = m_network; // every run installs from the same settings
    // no station to associate, no MAC to run: the flow level reads the links' parameters from
    // prototype devices
    networkHelper.SetFlowOnly(UsesFlowOnlyNetwork());
    if (m_fleet.GetCellCount() != networkHelper.GetCellCount())
    {
        return "fleet: " + std::to_string(m_fleet.GetCellCount()) + " cells, but the network has " +
               std::to_string(networkHelper.GetCellCount()) +
               "; give both the same count (Fleet::SetCellCount, EdgeNetworkHelper::SetCellCount)";
    }
    if (m_fleet.GetCellCount() > 1)
    {
        // each group's devices and control unit in its cell
        networkHelper.SetDeviceCells(m_fleet.GetTerminalCells());
    }
    problem = networkHelper.Validate(m_fleet.GetTerminalCount());
    if (!problem.empty())
    {
        return "network: " + problem;
    }
    Ptr<EdgeNetwork> network = networkHelper.Install(m_fleet.GetTerminalCount());
    const int64_t networkStreams = networkHelper.AssignStreams(network, 1000);

    const std::vector<DeviceProfile> profiles = m_fleet.GetProfiles();
    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(m_fidelity);
    // one compute model prices the graph's tasks and the strategy's plans alike
    Ptr<ComputeModel> computeModel = CreateObject<KernelComputeModel>();
    runtime.SetComputeModel(computeModel);
    strategy->SetComputeModel(computeModel);
    runtime.SetDeviceProfiles(profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(m_rounds));
    // a driver decides when the simulation ends, for every rank at once
    runtime.SetServerAttribute("StopSimulation", BooleanValue(!m_driver));
    const bool detector = m_heartbeat.IsStrictlyPositive();
    if (detector)
    {
        runtime.SetServerAttribute("FailureTimeout", TimeValue(m_failureTimeout));
    }
    ApplicationContainer apps = runtime.Install(network);
    if (detector)
    {
        for (uint32_t node = 0; node < network->GetServerIndex(); ++node)
        {
            runtime.GetExecution()->GetApplication(node)->SetHeartbeat(network->GetServerIndex(),
                                                                       m_heartbeat);
        }
    }
    runtime.AssignStreams(1000 + networkStreams);
    if (!m_executionCallback.IsNull())
    {
        m_executionCallback(runtime.GetExecution());
    }

    Ptr<RoundController> controller = CreateObject<RoundController>();
    EdgeLlmEnergyHelper energy;
    const bool metered = m_fidelity == "packet" && network->GetKind() == "wifi";
    if (metered || !m_batteriesJ.empty())
    {
        // the batteries deplete when their source is empty, not at the 10% warning, noticed
        // within 10 ms (the source's periodic update; ns-3's default is 1 s)
        energy.SetSourceAttribute("BasicEnergyLowBatteryThreshold", DoubleValue(0.0));
        energy.SetSourceAttribute("PeriodicEnergyUpdateInterval", TimeValue(MilliSeconds(10)));
        energy.Install(network, apps, profiles);
    }
    if (metered)
    {
        // at packet level ns-3's Wi-Fi radio energy model measures each device's radio
        controller->SetRadioEnergySource(MakeBoundCallback(&MeteredRadioEnergy, &energy));
    }
    Ptr<FaultInjector> faults;
    if (detector)
    {
        faults = CreateObject<FaultInjector>();
        faults->Setup(network, runtime.GetFlowModel(), runtime.GetExecution());
        for (const FaultEvent& event : m_faults)
        {
            faults->AddEvent(event);
        }
        for (uint32_t node = 0; node < m_batteriesJ.size(); ++node)
        {
            if (m_batteriesJ[node] > 0)
            {
                energy.GetEnergySource(node)->SetInitialEnergy(m_batteriesJ[node]);
                energy.GetComputeEnergyModel(node)->TraceConnectWithoutContext(
                    "EnergyDepleted",
                    MakeCallback(&FaultInjector::NotifyBatteryDepleted, faults).Bind(node));
            }
        }
        faults->Start();
    }
    Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
    recorder->SetAttribute("OutputDirectory", StringValue(m_outputDir + "/" + runName));
    recorder->SetAttribute("WritePlots", BooleanValue(false));
    problem =
        controller
            ->Setup(runName, strategy, m_fleet, m_workload, network, runtime.GetServer(), recorder);
    if (!problem.empty())
    {
        Simulator::Destroy();
        return problem;
    }
    // on the server's node, the controller's traces have a Config path:
    // /NodeList/<server>/$ns3::RoundController/RoundEnded
    network->GetNode(network->GetServerIndex())->AggregateObject(controller);
    runtime.GetServer()->WaitForNetwork(network);
    apps.Start(Seconds(0));
    runtime.EnableRecorder(recorder, m_fleet.GetNodeNames());
    if (!m_controllerCallback.IsNull())
    {
        m_controllerCallback(controller);
    }
    // a progress line at least every 10 s of wall time (packet-level runs take minutes): bytes
    // delivered, and how far by rounds done plus the running round's share of its bytes
    uint64_t delivered = 0;
    uint64_t roundStart = 0;
    for (uint32_t a = 0; a < apps.GetN(); ++a)
    {
        apps.Get(a)->TraceConnectWithoutContext("TransferDelivered",
                                                MakeBoundCallback(&CountDelivered, &delivered));
    }
    controller->TraceConnectWithoutContext(
        "RoundEnded",
        MakeBoundCallback(&MarkRoundStart, &roundStart, &delivered));
    Ptr<RunProgress> progress = CreateObject<RunProgress>();
    const uint32_t rounds = m_rounds;
    progress->Start(
        runName,
        [&delivered]() { return delivered; },
        [&delivered, &roundStart, controller, rounds]() {
            const uint64_t roundBytes = controller->GetRoundBytes();
            const double inRound =
                roundBytes > 0 ? std::min(1.0, double(delivered - roundStart) / roundBytes) : 0.0;
            return (controller->GetRecords().size() + inRound) / std::max(1u, rounds);
        });
    if (m_driver)
    {
        Ptr<EdgeServerApplication> server = runtime.GetServer();
        m_driver([server, controller, rounds]() {
            return server->GetCompletedIterations() >= rounds || !controller->GetError().empty();
        });
    }
    else
    {
        Simulator::Run();
    }
    records = controller->GetRecords();
    problem = controller->GetError();
    m_lastFaults.clear();
    if (faults)
    {
        m_lastFaults = faults->GetLog();
        std::ofstream log(m_outputDir + "/" + runName + "/faults.csv");
        log << "time_s,node,event,duration_s\n";
        for (const FaultRecord& row : m_lastFaults)
        {
            log << std::setprecision(9) << row.seconds << ',' << row.node << ',' << row.what << ','
                << row.duration << '\n';
        }
        faults->Dispose();
    }
    Simulator::Destroy(); // disposes the nodes, and the controller aggregated to the server's
    progress->Dispose();
    return problem;
}

} // namespace edgellm
} // namespace ns3
