/* SPDX-License-Identifier: GPL-2.0-only */
#include "round-controller.h"

#include "ns3/double.h"
#include "ns3/edge-llm-application.h"
#include "ns3/log.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/radio-state-currents.h"
#include "ns3/simulator.h"
#include "ns3/task-graph-execution.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRoundController");
NS_OBJECT_ENSURE_REGISTERED(RoundController);

TypeId
RoundController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RoundController")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<RoundController>()
            .AddTraceSource("RoundPlanned",
                            "A round was planned; its radio grants are applied",
                            MakeTraceSourceAccessor(&RoundController::m_roundPlannedTrace),
                            "ns3::RoundController::RoundPlannedCallback")
            .AddTraceSource("RoundEnded",
                            "A round ended and the strategy observed it",
                            MakeTraceSourceAccessor(&RoundController::m_roundEndedTrace),
                            "ns3::RoundController::RoundEndedCallback")
            .AddTraceSource("DeviceLost",
                            "The failure detector declared a device lost; the round restarts "
                            "without it (round, node)",
                            MakeTraceSourceAccessor(&RoundController::m_deviceLostTrace),
                            "ns3::RoundController::DeviceLostCallback");
    return tid;
}

RoundController::RoundController() = default;

RoundController::~RoundController() = default;

void
RoundController::DoDispose()
{
    m_strategy = nullptr;
    m_network = nullptr;
    m_recorder = nullptr;
    m_server = nullptr;
    m_plan = nullptr;
    m_state.reset();
    Object::DoDispose();
}

std::string
RoundController::Setup(const std::string& runName,
                       Ptr<Strategy> strategy,
                       const Fleet& fleet,
                       const Workload& workload,
                       Ptr<EdgeNetwork> network,
                       Ptr<EdgeServerApplication> server,
                       Ptr<RunRecorder> recorder)
{
    NS_ABORT_MSG_IF(!strategy || !network || !server || !recorder,
                    "RoundController::Setup needs a strategy, a network, a server and a recorder");
    if (fleet.Validate().empty() && fleet.GetNodeCount() + 1 != network->GetNodeCount())
    {
        return "fleet: " + std::to_string(fleet.GetNodeCount() + 1) +
               " nodes with the server, but the network has " +
               std::to_string(network->GetNodeCount());
    }
    if (network->IsMultiCell() && !strategy->SupportsCells())
    {
        return "strategy '" + strategy->GetInstanceTypeId().GetName() +
               "' runs on one cell; network.cells.count=" +
               std::to_string(network->GetCellCount()) +
               " needs a strategy that aggregates over cells (CollaPipe, its baselines)";
    }
    const std::string problem = strategy->Configure(fleet, workload);
    if (!problem.empty())
    {
        return problem;
    }
    m_runName = runName;
    m_strategy = strategy;
    m_fleet = fleet;
    m_network = network;
    m_recorder = recorder;
    m_state = std::make_unique<NetworkState>(network);
    m_lastRadioJ.assign(fleet.GetDeviceCount(), 0.0);
    m_server = server;
    server->SetGraphSource(MakeCallback(&RoundController::NextRound, this));
    server->SetNodeSuspectedCallback(MakeCallback(&RoundController::NodeSuspected, this));
    recorder->TraceConnectWithoutContext("IterationEnded",
                                         MakeCallback(&RoundController::RoundEnded, this));
    return "";
}

void
RoundController::SetRadioEnergySource(RadioEnergySource source)
{
    m_radioEnergy = source;
}

const std::vector<RoundRecord>&
RoundController::GetRecords() const
{
    return m_records;
}

const std::string&
RoundController::GetError() const
{
    return m_error;
}

uint64_t
RoundController::GetRoundBytes() const
{
    uint64_t bytes = 0;
    for (uint32_t id = 0; m_graph && id < m_graph->GetTaskCount(); ++id)
    {
        if (!m_graph->IsCompute(id))
        {
            bytes += m_graph->GetTransfer(id).bytes;
        }
    }
    return bytes;
}

Ptr<TaskGraph>
RoundController::Fail(uint32_t round, const std::string& problem)
{
    m_error = "run '" + m_runName + "', round " + std::to_string(round) + ": " + problem;
    NS_LOG_WARN(m_error);
    Simulator::Stop();
    return nullptr;
}

Ptr<TaskGraph>
RoundController::NextRound(uint32_t round)
{
    NS_LOG_FUNCTION(this << round);
    const bool restart = m_restarting;
    m_restarting = false;
    m_attemptStart = Simulator::Now();
    if (!restart)
    {
        m_roundStart = Simulator::Now();
        m_roundFailures.clear();
        m_carriedSamples.clear();
        m_roundBytesLost = 0;
        m_discardedAtRoundStart = m_server->GetExecution()->GetDiscardedBytes();
    }
    m_state->BeginRound();
    Ptr<RoundPlan> plan;
    std::string problem = m_strategy->Plan(round, *m_state, plan);
    if (problem.empty() && !plan)
    {
        problem = "the strategy returned no plan";
    }
    if (!problem.empty())
    {
        return Fail(round, problem);
    }
    if (m_network->IsWireless())
    {
        for (const auto& [node, watts] : plan->txPowerW)
        {
            const double dbm = 10 * std::log10(watts * 1000);
            problem = m_network->CheckTxPowerDbm(node, dbm);
            if (!problem.empty())
            {
                return Fail(round, problem);
            }
            m_network->SetTxPowerDbm(node, dbm);
        }
    }
    if (Ptr<OfdmaBsNetDevice> bs = m_network->GetOfdmaBaseStation())
    {
        bs->ClearBandwidthShares(); // this round's grants replace the last round's
        for (const auto& [node, share] : plan->bandwidthShare)
        {
            problem = m_network->CheckBandwidthShare(node, share);
            if (!problem.empty())
            {
                return Fail(round, problem);
            }
            m_network->SetBandwidthShare(node, share);
        }
    }
    else if (!plan->bandwidthShare.empty() && !m_warnedShares)
    {
        NS_LOG_WARN("network '" << m_network->GetKind()
                                << "' cannot grant bandwidth shares; the plan's are ignored");
        m_warnedShares = true;
    }
    m_plan = plan;
    m_roundPlannedTrace(round, m_plan);
    Ptr<TaskGraph> graph = m_strategy->Build(round, m_plan);
    if (!graph)
    {
        return Fail(round, "the strategy built no task graph");
    }
    // the prediction rounds.csv puts beside the measurement, made before the round runs
    plan->predictedSeconds = m_strategy->PredictRound(round, *m_state, m_plan, *graph);
    m_graph = graph;
    if (!restart)
    {
        m_plannedSamples = GetSampleRanges(*graph);
    }
    return graph;
}

std::vector<std::pair<uint64_t, uint64_t>>
RoundController::GetSampleRanges(const TaskGraph& graph)
{
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (uint32_t id = 0; id < graph.GetTaskCount(); ++id)
    {
        if (graph.IsCompute(id) && graph.GetCompute(id).samples > 0)
        {
            ranges.emplace_back(graph.GetCompute(id).firstSample, graph.GetCompute(id).samples);
        }
    }
    std::sort(ranges.begin(), ranges.end());
    return ranges;
}

void
RoundController::NodeSuspected(uint32_t node)
{
    NS_LOG_FUNCTION(this << node);
    if (!m_error.empty() || m_fleet.GetServerNode() == node)
    {
        return;
    }
    Ptr<TaskGraphExecution> execution = m_server->GetExecution();
    const uint32_t round = m_server->GetCompletedIterations();
    const bool running = execution->IsRunning();
    if (running)
    {
        const TaskGraphExecution::AbortReport report = execution->Abort();
        m_roundBytesLost += report.bytesInFlight;
        // the survivors cancel what the abandoned attempt still had to send
        const uint32_t abandoned = execution->GetExecutionNumber();
        for (uint32_t other = 0; other < execution->GetNodeCount(); ++other)
        {
            execution->GetApplication(other)->GetTransport()->CancelMessages(
                [abandoned](uint64_t id) {
                    return TaskGraphExecution::GetMessageExecution(id) <= abandoned;
                });
        }
        // the strategy may resume from what survived (checkpoints) rather than restart
        std::vector<bool> finished(m_graph->GetTaskCount());
        for (uint32_t id = 0; id < finished.size(); ++id)
        {
            finished[id] = execution->IsFinished(id);
        }
        for (const auto& kept : m_strategy->AttemptAbandoned(round, *m_graph, finished))
        {
            m_carriedSamples.push_back(kept);
        }
        NS_LOG_INFO("round " << round << ": node " << node << " lost at "
                             << Simulator::Now().As(Time::S) << "; abandoned "
                             << report.tasksFinished << " finished tasks, "
                             << report.computesRunning << " computing, " << report.transfersInFlight
                             << " transfers in flight");
    }
    for (uint32_t other = 0; other < execution->GetNodeCount(); ++other)
    {
        if (other != node)
        {
            // what was queued to the lost node never leaves (counted if not in flight above)
            const uint64_t queued =
                execution->GetApplication(other)->GetTransport()->ForgetPeer(node);
            m_roundBytesLost += running ? 0 : queued;
        }
    }
    if (node >= m_fleet.GetDeviceCount())
    {
        m_error = "run '" + m_runName + "', round " + std::to_string(round) + ": node " +
                  std::to_string(node) +
                  " (a control unit) failed; only group devices can be re-planned around";
        Simulator::Stop();
        return;
    }
    const std::string problem = m_strategy->RemoveDevice(node);
    if (!problem.empty())
    {
        m_error = "run '" + m_runName + "', round " + std::to_string(round) + ": node " +
                  std::to_string(node) + " was lost: " + problem;
        Simulator::Stop();
        return;
    }
    m_roundFailures.push_back(node);
    m_deviceLostTrace(round, node);
    if (running)
    {
        m_restarting = true;
        m_server->RestartIteration();
    }
}

void
RoundController::RoundEnded(const IterationStats& stats)
{
    NS_LOG_FUNCTION(this << stats.iteration);
    RoundRecord record;
    record.run = m_runName;
    record.round = stats.iteration;
    record.latencySeconds = stats.latency.GetSeconds();
    record.communicationSeconds = stats.communication.GetSeconds();
    record.bubble = stats.bubbleFraction;
    record.efficiency = stats.efficiency;
    record.bytes = stats.bytes;
    for (const auto& device : stats.devices)
    {
        record.computeSeconds = std::max(record.computeSeconds, device.busy.GetSeconds());
    }
    const uint32_t devices = m_fleet.GetDeviceCount();
    RoundObservation observation{stats, m_plan, {}, {}, {}};
    // the strategy learns from the attempt that completed (its graph's tasks)
    for (const TaskRecord& task : m_recorder->GetLastIterationRecords())
    {
        if (task.start >= m_attemptStart)
        {
            observation.tasks.push_back(task);
        }
    }
    if (m_network->IsMultiCell())
    {
        // what crossed the backhaul: transfers between cells, or to and from the aggregation
        // server (the union of their intervals: the links run side by side)
        std::vector<TimeInterval> backhaul;
        for (const TaskRecord& task : observation.tasks)
        {
            if (task.IsTransfer() && task.peer >= 0 &&
                m_network->GetCellOf(task.device) !=
                    m_network->GetCellOf(static_cast<uint32_t>(task.peer)))
            {
                record.backhaulBytes += task.bytes;
                backhaul.emplace_back(task.start, task.end);
            }
        }
        record.backhaulSeconds = GetUnionLength(std::move(backhaul)).GetSeconds();
    }
    record.failedNodes = m_roundFailures;
    record.lostSeconds =
        (m_attemptStart - m_roundStart).GetSeconds() * (m_roundFailures.empty() ? 0.0 : 1.0);
    record.bytesLost = m_roundBytesLost;
    record.bytesDiscarded = m_server->GetExecution()->GetDiscardedBytes() - m_discardedAtRoundStart;
    // samples: the first plan's, and those the completed attempt's graph did not train
    auto trained = GetSampleRanges(*m_graph);
    trained.insert(trained.end(), m_carriedSamples.begin(), m_carriedSamples.end());
    for (const auto& [first, count] : m_plannedSamples)
    {
        record.samplesPlanned += count;
        uint64_t covered = 0;
        for (const auto& [tFirst, tCount] : trained)
        {
            const uint64_t begin = std::max(first, tFirst);
            const uint64_t end = std::min(first + count, tFirst + tCount);
            covered += end > begin ? end - begin : 0;
        }
        record.samplesDropped += count - std::min(count, covered);
    }
    if (record.samplesDropped > 0)
    {
        std::ostringstream reason;
        reason << "the shards of lost node(s)";
        for (uint32_t node : m_roundFailures)
        {
            reason << ' ' << node;
        }
        record.dropReason = reason.str();
    }
    std::vector<double> wifiRadio;
    if (m_network->GetKind() == "wifi" && m_radioEnergy.IsNull())
    {
        wifiRadio = EstimateWifiRadioEnergy(stats);
    }
    for (uint32_t node = 0; node < devices; ++node)
    {
        const DeviceIterationStats& measured = stats.devices[node];
        DeviceRoundRecord row;
        row.node = node;
        row.name = m_fleet.GetProfile(node).GetName();
        auto power = m_plan->txPowerW.find(node);
        const double watts = power != m_plan->txPowerW.end()
                                 ? power->second
                                 : (m_network->IsWireless()
                                        ? std::pow(10.0, m_network->GetTxPowerDbm(node) / 10) / 1000
                                        : 0.0);
        row.txPowerDbm = 10 * std::log10(watts * 1000);
        // radio: ns-3's radio energy model where one is installed; otherwise on Wi-Fi the same
        // model's currents per state over the flow level's airtimes, elsewhere transmit power
        // times the time the device was sending or receiving
        double radio =
            wifiRadio.empty() ? watts * measured.communication.GetSeconds() : wifiRadio[node];
        const double metered = m_radioEnergy.IsNull() ? -1.0 : m_radioEnergy(node);
        if (metered >= 0)
        {
            radio = metered - m_lastRadioJ[node];
            m_lastRadioJ[node] = metered;
        }
        row.radioEnergyJ = radio;
        auto predicted = m_plan->predictedEnergyJ.find(node);
        row.predictedEnergyJ =
            predicted != m_plan->predictedEnergyJ.end() ? predicted->second : 0.0;
        row.energyJ = measured.busy.GetSeconds() * m_fleet.GetProfile(node).GetBusyPower() + radio;
        observation.energyJ.push_back(row.energyJ);
        observation.radioEnergyJ.push_back(radio);
        record.energyJ += row.energyJ;
        record.devices.push_back(row);
    }
    m_strategy->Observe(observation, record);
    m_records.push_back(record);
    m_roundEndedTrace(record);
}

std::vector<double>
RoundController::EstimateWifiRadioEnergy(const IterationStats& stats)
{
    // ns-3's WifiRadioEnergyModel as EdgeLlmEnergyHelper installs it at packet level (its
    // attributes' defaults, a BasicEnergySource's voltage): a station's PHY is in TX while it
    // sends a PPDU, in RX while any other PPDU is on the channel (it receives every frame of
    // the BSS), otherwise idle (CCA idle and backoff draw the idle current). PPDU time:
    // payload bits over the PHY rate of the MCS the flow level gives the hop; every byte a
    // station receives was sent by the access point.
    // With several cells, each cell's radios hear their own channel (and the cells sharing
    // its airtime); the aggregation server has no radio.
    const RadioStateCurrents currents = RadioStateCurrents::FromWifiDefaults();
    const uint32_t nodes = m_network->GetNodeCount();
    const double round = stats.latency.GetSeconds();
    std::vector<uint32_t> channel(nodes, UINT32_MAX);
    for (uint32_t n = 0; n < nodes; ++n)
    {
        const uint32_t cell = m_network->GetCellOf(n);
        if (cell != EdgeNetwork::NO_CELL)
        {
            channel[n] = m_state->GetCellChannelGroup(cell);
        }
    }
    std::vector<double> tx(nodes, 0.0);
    for (uint32_t n = 0; n < nodes && n < stats.devices.size(); ++n)
    {
        const uint32_t ap = m_network->GetAccessServer(n);
        if (n == ap)
        {
            continue; // an access point: what it sends is its stations' receipts
        }
        const double watts = std::pow(10.0, m_network->GetTxPowerDbm(n) / 10) / 1000;
        const double up = m_state->GetWifiGoodput(n, ap, watts);
        const double apW = std::pow(10.0, m_network->GetTxPowerDbm(ap) / 10) / 1000;
        const double down = m_state->GetWifiGoodput(ap, n, apW);
        tx[n] = up > 0 ? 8.0 * stats.devices[n].bytesSent / up : 0.0;
        tx[ap] += down > 0 ? 8.0 * stats.devices[n].bytesReceived / down : 0.0;
    }
    std::map<uint32_t, double> busy; // by channel
    for (uint32_t n = 0; n < nodes; ++n)
    {
        busy[channel[n]] += tx[n];
    }
    // the transmit current at the node's power (a TxCurrentModel makes it grow with it)
    auto radioJoules = [&](uint32_t node, double transmitSeconds, double channelBusySeconds) {
        if (channel[node] == UINT32_MAX)
        {
            return 0.0; // the aggregation server of several cells: no radio
        }
        return currents.GetJoules(transmitSeconds,
                                  channelBusySeconds,
                                  round,
                                  std::pow(10.0, m_network->GetTxPowerDbm(node) / 10) / 1000);
    };
    std::vector<double> joules(nodes, 0.0);
    if (!m_state->IsD2dDirect() || !m_graph)
    {
        for (uint32_t n = 0; n < nodes; ++n)
        {
            joules[n] = radioJoules(n, tx[n], busy[channel[n]]);
        }
        return joules;
    }
    // Direct device-to-device links: every device has a second radio on the devices' own
    // channel (idle listening there too). The round's graph says which bytes took which
    // channel: device to device on the second, to and from an access point on the access
    // point's (the backhaul's bytes take no radio).
    std::vector<double> infra(nodes, 0.0);
    std::vector<double> direct(nodes, 0.0);
    for (uint32_t id = 0; id < m_graph->GetTaskCount(); ++id)
    {
        if (m_graph->IsCompute(id))
        {
            continue;
        }
        const TransferTask& t = m_graph->GetTransfer(id);
        if (t.source >= nodes || t.destination >= nodes)
        {
            continue;
        }
        const uint32_t sourceAp = m_network->GetAccessServer(t.source);
        const uint32_t destinationAp = m_network->GetAccessServer(t.destination);
        const bool sameCell = sourceAp == destinationAp;
        const bool toAccessPoint = t.source == sourceAp || t.destination == destinationAp;
        // a hop over the radio: to the first access point on the path, or direct
        const uint32_t receiver = sameCell || t.source == sourceAp ? t.destination : sourceAp;
        if (t.source == sourceAp && !sameCell)
        {
            continue; // up the backhaul
        }
        const double watts = std::pow(10.0, m_network->GetTxPowerDbm(t.source) / 10) / 1000;
        const double rate = m_state->GetWifiGoodput(t.source, receiver, watts);
        const double seconds = rate > 0 ? 8.0 * t.bytes / rate : 0.0;
        (toAccessPoint || !sameCell ? infra : direct)[t.source] += seconds;
    }
    std::map<uint32_t, double> infraBusy; // by channel
    std::map<uint32_t, double> directBusy;
    for (uint32_t n = 0; n < nodes; ++n)
    {
        infraBusy[channel[n]] += infra[n];
        directBusy[channel[n]] += direct[n];
    }
    for (uint32_t n = 0; n < nodes; ++n)
    {
        const bool accessPoint = m_network->GetAccessServer(n) == n;
        joules[n] = radioJoules(n, infra[n], infraBusy[channel[n]]) +
                    (accessPoint ? 0.0 : radioJoules(n, direct[n], directBusy[channel[n]]));
    }
    return joules;
}

} // namespace edgellm
} // namespace ns3
