/* SPDX-License-Identifier: GPL-2.0-only */
#include "cluster-training-strategy.h"

#include "collapipe-graph-builder.h"

#include "ns3/double.h"
#include "ns3/edge-network.h"
#include "ns3/enum.h"
#include "ns3/flow-network-model.h"
#include "ns3/log.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/ofdma-spectrum-phy.h"
#include "ns3/radio-state-currents.h"
#include "ns3/task-graph-timer.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmClusterTrainingStrategy");
NS_OBJECT_ENSURE_REGISTERED(ClusterTrainingStrategy);

TypeId
ClusterTrainingStrategy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ClusterTrainingStrategy")
            .SetParent<Strategy>()
            .SetGroupName("EdgeLlm")
            .AddAttribute("LocalIterations",
                          "Pipeline (or local) iterations per round before FedAvg (E)",
                          UintegerValue(1),
                          MakeUintegerAccessor(&ClusterTrainingStrategy::m_localIterations),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("Recovery",
                          "What a round does when a device is lost: restart (from its first "
                          "local iteration) or resume (every device and control unit "
                          "checkpoints what it trains to the server after each local "
                          "iteration; the round resumes from the last one checkpointed, each "
                          "node first receiving its new part's checkpoint)",
                          EnumValue(RESTART),
                          MakeEnumAccessor(&ClusterTrainingStrategy::m_recovery),
                          MakeEnumChecker(RESTART, "restart", RESUME, "resume"))
            .AddAttribute("MaxMicroBatches",
                          "Largest micro-batch count M a scheduler may choose (M divides the "
                          "batch)",
                          UintegerValue(8),
                          MakeUintegerAccessor(&ClusterTrainingStrategy::m_maxMicroBatches),
                          MakeUintegerChecker<uint32_t>(1, 4096))
            .AddAttribute("BandwidthMHz",
                          "Uplink bandwidth the clusters share, in MHz (the unit of every "
                          "bandwidth option of the module), on networks that do not tell it "
                          "(Wi-Fi); the OFDMA cell's comes from its resource blocks",
                          DoubleValue(80.0),
                          MakeDoubleAccessor(&ClusterTrainingStrategy::m_bandwidthMHz),
                          MakeDoubleChecker<double>(1e-3, 1e5))
            .AddAttribute("V",
                          "Lyapunov weight of latency against the energy queues",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&ClusterTrainingStrategy::m_v),
                          MakeDoubleChecker<double>(1e-12, 1e12))
            .AddAttribute("Lambda",
                          "Weight of the convergence-bound term",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&ClusterTrainingStrategy::m_lambda),
                          MakeDoubleChecker<double>(0.0, 1e12))
            .AddAttribute("EnergyBudget",
                          "Each device's time-average energy budget per round (J)",
                          DoubleValue(200.0),
                          MakeDoubleAccessor(&ClusterTrainingStrategy::m_energyBudgetJ),
                          MakeDoubleChecker<double>(1e-9, 1e12));
    return tid;
}

ClusterTrainingStrategy::ClusterTrainingStrategy() = default;
ClusterTrainingStrategy::~ClusterTrainingStrategy() = default;

std::string
ClusterTrainingStrategy::Configure(const Fleet& fleet, const Workload& workload)
{
    std::string problem = Strategy::Configure(fleet, workload);
    if (!problem.empty())
    {
        return problem;
    }
    for (uint32_t c = 0; c < fleet.GetGroupCount(); ++c)
    {
        if (!fleet.HasControlUnit(c))
        {
            return "fleet: cluster " + std::to_string(c) +
                   " has no control unit; CollaPipe's clusters need one (it runs the embedding)";
        }
    }
    if (workload.spec.encoderLayers == 0)
    {
        return "model='" + workload.spec.name + "' has no encoder; CollaPipe splits an encoder";
    }
    m_queues = std::make_unique<LyapunovEnergyQueues>(
        std::vector<double>(fleet.GetDeviceCount(), m_energyBudgetJ));
    // Share of the OFDMA cell kept for the control units, whose embedding's FedAvg upload the
    // round model does not include: in proportion to what they upload (the embedding against
    // the whole encoder), so that their upload ends with the devices'.
    const std::vector<LayerCost> layers = LayerCostModel::Compute(workload.spec, workload.recipe);
    const double embedding = layers[0].trainableParameterBytes;
    const double encoder =
        LayerCostModel::Sum(layers, 1, workload.spec.encoderLayers).trainableParameterBytes;
    m_controlUnitReserve = std::max(0.02, embedding / (embedding + encoder));
    return "";
}

std::string
ClusterTrainingStrategy::RemoveDevice(uint32_t node)
{
    // the energy queues stay indexed by node: the others keep their history
    return RemoveFromFleet(node);
}

bool
ClusterTrainingStrategy::SupportsCells() const
{
    return true;
}

const std::vector<uint32_t>&
ClusterTrainingStrategy::GetChannelClusters(NetworkState& network, uint32_t cluster) const
{
    const Fleet& fleet = GetFleet();
    if (m_channelClusters.size() != fleet.GetGroupCount())
    {
        // the cells and their channels do not change during a run: group them once
        std::map<uint32_t, std::vector<uint32_t>> byGroup;
        for (uint32_t c = 0; c < fleet.GetGroupCount(); ++c)
        {
            byGroup[network.GetCellChannelGroup(fleet.GetGroupCell(c))].push_back(c);
        }
        m_channelClusters.assign(fleet.GetGroupCount(), {});
        for (const auto& [group, clusters] : byGroup)
        {
            for (uint32_t c : clusters)
            {
                m_channelClusters[c] = clusters;
            }
        }
    }
    return m_channelClusters[cluster];
}

void
ClusterTrainingStrategy::MakeWifiPowerLevels(NetworkState& network,
                                             uint32_t cluster,
                                             uint32_t node,
                                             const std::vector<uint32_t>& peers,
                                             CollaPipeDevice& device) const
{
    // The levels are the least power of each MCS the mean SNR reaches in the node's range
    // (found on a 0.25 dB grid) and the maximum: without fading the goodput is a step function
    // of the power, with fading it rises smoothly, and the MCS steps keep the search's levels
    // few. Below the lowest MCS the node cannot send: no level there.
    const uint32_t server = GetFleet().GetGroupServerNode(cluster);
    // the clusters on the channel share its airtime equally (see MakeRoundModel)
    const double clusters = GetChannelClusters(network, cluster).size();
    const auto [minW, maxW] = network.GetTxPowerRangeW(node);
    const double minDbm = 10.0 * std::log10(minW * 1000.0);
    const double maxDbm = 10.0 * std::log10(maxW * 1000.0);
    double lastPhyRate = -1;
    for (double dbm = minDbm; dbm < maxDbm; dbm += 0.25)
    {
        const double watts = std::pow(10.0, (dbm - 30.0) / 10.0);
        // the scan asks only for MCSs; the goodput (the link model's chain) at the levels kept
        const double phyRate = network.GetWifiPhyRate(node, server, watts);
        bool reachesPeers = true;
        if (network.IsD2dDirect())
        {
            for (uint32_t peer : peers)
            {
                reachesPeers = reachesPeers && network.GetWifiPhyRate(node, peer, watts) > 0;
            }
        }
        if (phyRate > 0 && phyRate != lastPhyRate && reachesPeers)
        {
            const double rate = network.GetWifiGoodput(node, server, watts) / clusters;
            if (rate > 0)
            {
                device.powerLevelsW.push_back(watts);
                device.uplinkBps.push_back(rate);
                lastPhyRate = phyRate;
            }
        }
    }
    // and the maximum, the start of every search (at equal objective the search keeps it)
    device.powerLevelsW.push_back(maxW);
    device.uplinkBps.push_back(network.GetWifiGoodput(node, server, maxW) / clusters);
    device.downlinkBps =
        network.GetWifiGoodput(server, node, network.GetTxPowerW(server)) / clusters;
}

std::string
ClusterTrainingStrategy::MakeRoundModel(uint32_t cluster,
                                        NetworkState& network,
                                        std::unique_ptr<CollaPipeRoundModel>& model) const
{
    const Fleet& fleet = GetFleet();
    // the clusters that share this one's channel (all of them with one cell)
    const auto clusters = static_cast<uint32_t>(GetChannelClusters(network, cluster).size());
    CollaPipeConfig config;
    config.spec = GetWorkload().spec;
    config.recipe = GetWorkload().recipe;
    config.batchSize = GetTrainingBatchSize();
    config.maxMicroBatches = m_maxMicroBatches;
    config.localIterations = m_localIterations;
    // one BSS or cell: the averaged segments come back over the same airtime
    config.downloadFactor = 1.0;
    if (Ptr<OfdmaBsNetDevice> bs = network.GetOfdmaBaseStation())
    {
        // the cell's occupied band, less the control units' reserve, per cluster; its
        // receiver's noise; its MCS rule (SNR gap to Shannon, table 1's largest efficiency,
        // 64QAM at code rate 948/1024)
        const double rbHz = NrNumerology::GetResourceBlockBandwidthHz(bs->GetNumerology());
        config.bandwidthHz =
            (1.0 - m_controlUnitReserve) * bs->GetResourceBlockCount() * rbHz / clusters;
        config.noisePsd = bs->GetUplinkPhy()->GetNoisePsd();
        DoubleValue gap;
        bs->GetAttribute("McsGapDb", gap);
        config.snrGapDb = gap.Get();
        config.maxSpectralEfficiency = 6.0 * 948.0 / 1024.0;
    }
    else
    {
        config.bandwidthHz = m_bandwidthMHz * 1e6 / clusters;
    }
    config.v = m_v;
    config.lambda = m_lambda;
    config.computeModel = GetComputeModel();
    // the pipeline's ends are stages too: the control unit's embedding, the server's decoder
    // or head
    const uint32_t controlUnit = fleet.GetControlUnitNode(cluster);
    config.hasControlUnit = true;
    config.controlUnitProfile = fleet.GetProfile(controlUnit);
    config.hasServer = true;
    const uint32_t server = fleet.GetGroupServerNode(cluster);
    config.serverProfile = fleet.GetProfile(server);
    const bool wifi = network.GetKind() == "wifi";
    if (wifi)
    {
        // one BSS: the devices share its airtime, at the rates the flow level gives each hop;
        // the clusters run the same schedule side by side, so each cluster has 1 / C of the
        // airtime: its hops' rates are the goodputs times 1 / C
        config.medium = CollaPipeMedium::SHARED_AIRTIME;
        config.directD2d = network.IsD2dDirect();
        config.channelClusters = clusters;
        // radio energy per state, as the packet level meters it and the flow level charges it
        config.radioCurrents = RadioStateCurrents::FromWifiDefaults();
        // the control unit and the access point keep their powers (no decision sets them)
        config.controlUnitUplinkBps =
            network.GetWifiGoodput(controlUnit, server, network.GetTxPowerW(controlUnit)) /
            clusters;
        config.controlUnitDownlinkBps =
            network.GetWifiGoodput(server, controlUnit, network.GetTxPowerW(server)) / clusters;
        if (GetComputeModel())
        {
            // the schedulers rank their decisions by the cluster's task graph, timed as the
            // flow level runs it (the closed form only guides their search)
            // (a search evaluates one decision many times: each is timed once). The whole
            // round is timed with every cluster of this size on the decision's partition and
            // only this cluster's devices below their maximum power, so a decision at maximum
            // power times the same graph for every cluster of the size: one timing serves them
            // all (the cache lives for one network state, i.e. one Plan)
            if (m_roundTimesFor != &network)
            {
                m_roundTimes.clear();
                m_roundTimesFor = &network;
            }
            const uint32_t size = fleet.GetGroupSize(cluster);
            config.roundTimer = [this, cluster, size, &network](const CollaPipeDecision& d) {
                bool atMaximum = true;
                for (uint32_t i = 0; i < d.txPowerW.size(); ++i)
                {
                    const uint32_t node = GetFleet().GetDeviceNode(cluster, i);
                    atMaximum = atMaximum && d.txPowerW[i] == network.GetTxPowerRangeW(node).second;
                }
                std::ostringstream key;
                key << std::setprecision(17) << "size " << size << ", "
                    << (atMaximum ? std::string("any cluster")
                                  : "cluster " + std::to_string(cluster))
                    << ": " << d.microBatches;
                for (uint32_t i = 0; i < d.segmentSize.size(); ++i)
                {
                    key << ' ' << d.segmentSize[i] << ':' << d.txPowerW[i];
                }
                auto found = m_roundTimes.find(key.str());
                if (found != m_roundTimes.end())
                {
                    return found->second;
                }
                const double seconds = TimeClusterOnWifi(cluster, d, network);
                m_roundTimes[key.str()] = seconds;
                return seconds;
            };
        }
    }
    std::vector<CollaPipeDevice> devices;
    std::vector<double> queues;
    for (uint32_t i = 0; i < fleet.GetGroupSize(cluster); ++i)
    {
        const uint32_t node = fleet.GetDeviceNode(cluster, i);
        CollaPipeDevice device;
        device.profile = fleet.GetProfile(node);
        device.channelGain = network.GetUplinkGain(node);
        device.energyBudget = m_energyBudgetJ;
        if (wifi)
        {
            std::vector<uint32_t> peers{controlUnit};
            for (uint32_t j = 0; j < fleet.GetGroupSize(cluster); ++j)
            {
                if (j != i)
                {
                    peers.push_back(fleet.GetDeviceNode(cluster, j));
                }
            }
            MakeWifiPowerLevels(network, cluster, node, peers, device);
            if (device.uplinkBps.back() <= 0 || device.downlinkBps <= 0)
            {
                return "device node " + std::to_string(node) + " (" + device.profile.GetName() +
                       ") and the access point reach no Wi-Fi MCS at maximum power: move it "
                       "closer";
            }
        }
        devices.push_back(device);
        queues.push_back(m_queues->GetQueues()[node]);
    }
    // a fleet or attributes the model cannot take stop the run with the reason, not an abort
    std::string problem = CollaPipeRoundModel::Validate(config, devices, queues);
    if (problem.empty() && wifi && config.controlUnitUplinkBps <= 0)
    {
        problem = "the control unit (node " + std::to_string(controlUnit) +
                  ") reaches no Wi-Fi MCS to the access point at its maximum power";
    }
    if (problem.empty())
    {
        model = std::make_unique<CollaPipeRoundModel>(config, devices, queues);
    }
    return problem;
}

std::string
ClusterTrainingStrategy::Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& result)
{
    NS_LOG_FUNCTION(this << round);
    m_roundTimes.clear(); // a new round: the network may have changed, even at one address
    m_roundTimesFor = &network;
    const Fleet& fleet = GetFleet();
    const uint32_t clusters = fleet.GetGroupCount();
    const bool cell = network.GetOfdmaBaseStation() != nullptr;
    std::vector<std::unique_ptr<CollaPipeRoundModel>> models(clusters);
    std::vector<CollaPipeDecision> decisions(clusters);
    for (uint32_t c = 0; c < clusters; ++c)
    {
        std::string problem = MakeRoundModel(c, network, models[c]);
        if (!problem.empty())
        {
            return "cluster " + std::to_string(c) + ": " + problem;
        }
        CollaPipeDecision& decision = decisions[c];
        problem = DecideCluster(*models[c], decision);
        if (!problem.empty())
        {
            return "cluster " + std::to_string(c) + ": " + problem;
        }
        if (!decision.feasible)
        {
            return "cluster " + std::to_string(c) + ", scheduler '" + decision.scheduler +
                   "': infeasible: " + decision.reason;
        }
    }
    // Every cluster runs the same M (one pipeline schedule per round): the first cluster's,
    // the others re-evaluated with it
    Ptr<ClusterRoundPlan> plan = MakePlan(models, decisions, decisions[0].microBatches, cell);
    if (plan && network.GetKind() == "wifi" && GetComputeModel())
    {
        // On one channel the closed form the schedulers search with cannot see how the
        // clusters' and the pipeline's transmissions interleave: the round's prediction is its
        // task graph timed with the flow level's rule (the transfers share the airtime) at the
        // planned powers and the runtime's compute prices. A scheduler that chooses M keeps
        // its partitions and powers and takes the M whose whole round times best (objective:
        // V T_round + the queue-weighted energy).
        plan->predictedSeconds = PredictWifiRound(round, network, plan);
        if (ChoosesMicroBatches())
        {
            auto score = [&](Ptr<ClusterRoundPlan> candidate) {
                double energy = 0;
                for (const CollaPipeDecision& d : candidate->decisions)
                {
                    energy += d.objective - m_v * (d.roundSeconds + m_lambda * d.phi);
                }
                return m_v * candidate->predictedSeconds + energy;
            };
            double best = score(plan);
            for (uint32_t m : models[0]->GetMicroBatchCandidates())
            {
                if (m == plan->microBatches)
                {
                    continue;
                }
                Ptr<ClusterRoundPlan> candidate = MakePlan(models, decisions, m, cell);
                if (!candidate)
                {
                    continue; // a partition does not fit with this M
                }
                candidate->predictedSeconds = PredictWifiRound(round, network, candidate);
                const double value = score(candidate);
                if (value < best * (1.0 - 1e-9))
                {
                    best = value;
                    plan = candidate;
                }
            }
        }
    }
    if (!plan)
    {
        return "cluster 0's micro-batch count M=" + std::to_string(decisions[0].microBatches) +
               " does not fit another cluster's partition";
    }
    result = plan;
    return "";
}

bool
ClusterTrainingStrategy::ChoosesMicroBatches() const
{
    return true;
}

Ptr<ClusterRoundPlan>
ClusterTrainingStrategy::MakePlan(const std::vector<std::unique_ptr<CollaPipeRoundModel>>& models,
                                  const std::vector<CollaPipeDecision>& decisions,
                                  uint32_t microBatches,
                                  bool cell) const
{
    const Fleet& fleet = GetFleet();
    const uint32_t clusters = fleet.GetGroupCount();
    Ptr<ClusterRoundPlan> plan = Create<ClusterRoundPlan>();
    plan->microBatches = microBatches;
    for (uint32_t c = 0; c < clusters; ++c)
    {
        CollaPipeDecision decision = decisions[c];
        if (decision.microBatches != microBatches)
        {
            decision = models[c]->Evaluate(decision.scheduler,
                                           decision.segmentSize,
                                           microBatches,
                                           decision.bandwidthShare,
                                           decision.txPowerW);
            if (!decision.feasible && microBatches != decisions[0].microBatches)
            {
                return nullptr;
            }
        }
        for (uint32_t i = 0; i < fleet.GetGroupSize(c); ++i)
        {
            const uint32_t node = fleet.GetDeviceNode(c, i);
            plan->txPowerW[node] = decision.txPowerW[i];
            plan->predictedEnergyJ[node] = decision.energyJ[i];
            if (cell)
            {
                // the decision's share of its cluster's band, as a share of the whole cell
                plan->bandwidthShare[node] =
                    decision.bandwidthShare[i] * (1.0 - m_controlUnitReserve) / clusters;
            }
        }
        if (cell)
        {
            plan->bandwidthShare[fleet.GetControlUnitNode(c)] = m_controlUnitReserve / clusters;
        }
        plan->predictedSeconds = std::max(plan->predictedSeconds, decision.roundSeconds);
        plan->decisions.push_back(decision);
    }
    return plan;
}

double
ClusterTrainingStrategy::PredictWifiRound(uint32_t round,
                                          NetworkState& network,
                                          Ptr<ClusterRoundPlan> plan)
{
    const Fleet& fleet = GetFleet();
    std::vector<uint32_t> all(fleet.GetGroupCount());
    std::iota(all.begin(), all.end(), 0);
    if (fleet.GetCellCount() == 1)
    {
        // the round Build will make, without consuming a pending resume point (Build's)
        return TimeOnWifi(*BuildGroupRound(*plan, all), network, plan->txPowerW, 1.0);
    }
    // Several cells: the clusters of one channel group share nothing with the others until
    // their cells' averages reach the aggregation server over links of their own, so the round
    // is the longest of the groups' rounds, each timed alone (the global average's FLOPs over
    // the other groups' cells are left out: microseconds on a server)
    double longest = 0;
    std::set<uint32_t> timed;
    for (uint32_t c : all)
    {
        const std::vector<uint32_t>& group = GetChannelClusters(network, c);
        if (timed.insert(group.front()).second)
        {
            longest =
                std::max(longest,
                         TimeOnWifi(*BuildGroupRound(*plan, group), network, plan->txPowerW, 1.0));
        }
    }
    return longest;
}

Ptr<TaskGraph>
ClusterTrainingStrategy::BuildGroupRound(const ClusterRoundPlan& plan,
                                         const std::vector<uint32_t>& clusters) const
{
    // the round as Build will make it, without Build's bookkeeping of resume points
    std::vector<std::vector<uint32_t>> checkpoints;
    return BuildClusters(plan, clusters, m_firstIteration, checkpoints);
}

Ptr<TaskGraph>
ClusterTrainingStrategy::BuildClusters(const ClusterRoundPlan& plan,
                                       const std::vector<uint32_t>& clusters,
                                       uint32_t firstIteration,
                                       std::vector<std::vector<uint32_t>>& checkpoints) const
{
    const Fleet& fleet = GetFleet();
    CollaPipePlan graphPlan;
    graphPlan.server = fleet.GetServerNode();
    graphPlan.localIterations = m_localIterations;
    graphPlan.microBatches = plan.microBatches;
    graphPlan.checkpoint = m_recovery == RESUME;
    graphPlan.firstIteration = firstIteration;
    for (uint32_t c : clusters)
    {
        const CollaPipeDecision& decision = plan.decisions[c];
        CollaPipeCluster cluster;
        cluster.controlUnit = fleet.GetControlUnitNode(c);
        if (fleet.GetCellCount() > 1)
        {
            cluster.cellServer = fleet.GetGroupServerNode(c);
        }
        for (uint32_t i = 0; i < fleet.GetGroupSize(c); ++i)
        {
            if (decision.segmentSize[i] > 0)
            {
                cluster.devices.push_back(fleet.GetDeviceNode(c, i));
                cluster.segmentBlocks.push_back(decision.segmentSize[i]);
            }
        }
        graphPlan.clusters.push_back(cluster);
    }
    return CollaPipeGraphBuilder::BuildRound(GetWorkload().spec,
                                             GetRoundRecipe(plan),
                                             graphPlan,
                                             fleet.GetNodeCount() + 1,
                                             checkpoints);
}

double
ClusterTrainingStrategy::PredictRound(uint32_t round,
                                      NetworkState& network,
                                      Ptr<const RoundPlan> plan,
                                      const TaskGraph& graph)
{
    const std::string kind = network.GetKind();
    if (!GetComputeModel() || kind == "wifi" || kind == "csma")
    {
        // Wi-Fi: predicted at planning, with the planned powers; CSMA: its backoff emulation
        // is the runtime's, the closed form stays
        return plan->predictedSeconds;
    }
    // The cell (and p2p): the graph timed with the rates the flow level gives each set of
    // flows in progress, with this round's grants and powers applied
    return TimeWithFlowRates(network, graph);
}

double
ClusterTrainingStrategy::TimeOnWifi(const TaskGraph& graph,
                                    NetworkState& network,
                                    const std::map<uint32_t, double>& powerW,
                                    double airtimeScale) const
{
    const Fleet& fleet = GetFleet();
    Ptr<const EdgeNetwork> net = network.GetNetwork();
    // seconds of airtime per byte of one hop, at the planned powers; the devices without one
    // at their maximum, the access points and the control units at their powers now (no
    // decision sets theirs)
    std::set<uint32_t> fixedPower{fleet.GetServerNode()};
    for (uint32_t cell = 0; cell < fleet.GetCellCount(); ++cell)
    {
        fixedPower.insert(fleet.GetCellServerNode(cell));
    }
    for (uint32_t c = 0; c < fleet.GetGroupCount(); ++c)
    {
        fixedPower.insert(fleet.GetControlUnitNode(c));
    }
    std::map<std::pair<uint32_t, uint32_t>, double> hopCost;
    auto hop = [&](uint32_t from, uint32_t to) {
        auto key = std::make_pair(from, to);
        auto found = hopCost.find(key);
        if (found != hopCost.end())
        {
            return found->second;
        }
        auto power = powerW.find(from);
        const double watts = power != powerW.end()    ? power->second
                             : fixedPower.count(from) ? network.GetTxPowerW(from)
                                                      : network.GetTxPowerRangeW(from).second;
        const double rate = network.GetWifiGoodput(from, to, watts);
        const double cost =
            rate > 0 ? airtimeScale * 8.0 / rate : std::numeric_limits<double>::infinity();
        hopCost[key] = cost;
        return cost;
    };
    TaskGraphTimer timer(GetComputeTime(), TaskGraphTimer::ConstantTransferTime(Time(0)));
    const bool direct = network.IsD2dDirect();
    // a backhaul link's seconds per byte, and the channel ids of the links (after the radio
    // channels': 2 per channel group, the access point's then the devices' own)
    const double backhaulCost =
        net->IsMultiCell()
            ? 8.0 / (net->GetBackhaulBitRate() * FlowNetworkModel::GetP2pEfficiency())
            : 0.0;
    const uint32_t backhaulChannels = 2 * net->GetNodeCount();
    // a transfer's seconds per byte and its channel, on the path the flow level routes it
    auto route = [&](const TransferTask& task) -> std::pair<double, uint32_t> {
        const uint32_t from = net->GetCellOf(task.source);
        const uint32_t to = net->GetCellOf(task.destination);
        if (from == to && from != EdgeNetwork::NO_CELL)
        {
            // within a cell: relayed by its access point unless one end is the access point
            // or the devices have their own channel
            const uint32_t ap = net->GetCellServerIndex(from);
            const uint32_t channel = 2 * network.GetCellChannelGroup(from);
            if (task.source == ap || task.destination == ap)
            {
                return {hop(task.source, task.destination), channel};
            }
            if (direct)
            {
                return {hop(task.source, task.destination), channel + 1};
            }
            return {hop(task.source, ap) + hop(ap, task.destination), channel};
        }
        // across the backhaul: the radio hops at either end, if any, and one or two links
        double cost = 0;
        uint32_t channel = UINT32_MAX;
        if (from != EdgeNetwork::NO_CELL)
        {
            const uint32_t ap = net->GetCellServerIndex(from);
            if (task.source != ap)
            {
                cost += hop(task.source, ap);
                channel = 2 * network.GetCellChannelGroup(from);
            }
            cost += backhaulCost;
        }
        if (to != EdgeNetwork::NO_CELL)
        {
            const uint32_t ap = net->GetCellServerIndex(to);
            if (task.destination != ap)
            {
                cost += hop(ap, task.destination);
                channel = std::min(channel, 2 * network.GetCellChannelGroup(to));
            }
            cost += backhaulCost;
        }
        if (channel == UINT32_MAX)
        {
            // a cell's server to the aggregation server or back: that cell's backhaul link
            channel = from != EdgeNetwork::NO_CELL ? backhaulChannels + 2 * from
                                                   : backhaulChannels + 2 * to + 1;
        }
        return {cost, channel};
    };
    if (net->IsMultiCell())
    {
        // Several cells: a transfer may cross a radio channel and backhaul links, each shared
        // with others, so the transfers in progress get max-min fair rates over those
        // resources, as the flow level gives them: each radio hop on its channel (its cost
        // times the channel's contention), each backhaul link with its delayed ACKs back
        const double ackCost =
            8.0 * 54.0 / (2.0 * EdgeNetwork::TCP_SEGMENT_BYTES) / net->GetBackhaulBitRate();
        // (the timer calls it after this block: what the block declares goes by value)
        timer.SetFlowRates([&, ackCost](const std::vector<const TransferTask*>& transfers) {
            std::vector<std::vector<FlowNetworkModel::ResourceUse>> uses(transfers.size());
            std::map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> onChannel;
            for (std::size_t i = 0; i < transfers.size(); ++i)
            {
                const TransferTask& task = *transfers[i];
                const uint32_t from = net->GetCellOf(task.source);
                const uint32_t to = net->GetCellOf(task.destination);
                auto radio = [&](uint32_t a, uint32_t b, uint32_t channel) {
                    uses[i].push_back({channel, hop(a, b)});
                    onChannel[channel].emplace_back(task.source, task.destination);
                };
                if (from == to && from != EdgeNetwork::NO_CELL)
                {
                    const uint32_t ap = net->GetCellServerIndex(from);
                    const uint32_t channel = 2 * network.GetCellChannelGroup(from);
                    if (task.source == ap || task.destination == ap)
                    {
                        radio(task.source, task.destination, channel);
                    }
                    else if (direct)
                    {
                        radio(task.source, task.destination, channel + 1);
                    }
                    else
                    {
                        radio(task.source, ap, channel);
                        radio(ap, task.destination, channel);
                    }
                    continue;
                }
                if (from != EdgeNetwork::NO_CELL)
                {
                    const uint32_t ap = net->GetCellServerIndex(from);
                    if (task.source != ap)
                    {
                        radio(task.source, ap, 2 * network.GetCellChannelGroup(from));
                    }
                    uses[i].push_back({backhaulChannels + 2 * from, backhaulCost});
                    uses[i].push_back({backhaulChannels + 2 * from + 1, ackCost});
                }
                if (to != EdgeNetwork::NO_CELL)
                {
                    const uint32_t ap = net->GetCellServerIndex(to);
                    uses[i].push_back({backhaulChannels + 2 * to + 1, backhaulCost});
                    uses[i].push_back({backhaulChannels + 2 * to, ackCost});
                    if (task.destination != ap)
                    {
                        radio(ap, task.destination, 2 * network.GetCellChannelGroup(to));
                    }
                }
            }
            // each channel's contention, from the transfers with frames on it
            std::map<uint32_t, double> contention;
            for (auto& [channel, pairs] : onChannel)
            {
                std::sort(pairs.begin(), pairs.end());
                pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
                contention[channel] = network.GetWifiContention(pairs);
            }
            std::vector<const std::vector<FlowNetworkModel::ResourceUse>*> flows;
            for (auto& use : uses)
            {
                for (auto& [resource, cost] : use)
                {
                    auto found = contention.find(resource);
                    cost *= found != contention.end() ? found->second : 1.0;
                }
                flows.push_back(&use);
            }
            return FlowNetworkModel::GetMaxMinRates(flows);
        });
    }
    else
    {
        timer.SetSharedChannel([&](const TransferTask& task) { return route(task).first; });
        timer.SetChannelOf(
            [&](const TransferTask& task) -> uint32_t { return route(task).second; });
        // and the contention of the nodes with frames to send, as the flow level charges it
        timer.SetChannelContention([&](const std::vector<const TransferTask*>& transfers) {
            std::vector<std::pair<uint32_t, uint32_t>> pairs;
            for (const TransferTask* task : transfers)
            {
                pairs.emplace_back(task->source, task->destination);
            }
            return network.GetWifiContention(pairs);
        });
    }
    TaskGraphSchedule schedule;
    const std::string problem = timer.Run(graph, schedule);
    NS_ABORT_MSG_IF(!problem.empty(), "ClusterTrainingStrategy: " << problem);
    return schedule.makespan.GetSeconds();
}

double
ClusterTrainingStrategy::TimeClusterOnWifi(uint32_t cluster,
                                           const CollaPipeDecision& decision,
                                           NetworkState& network) const
{
    const Fleet& fleet = GetFleet();
    CollaPipePlan graphPlan;
    graphPlan.server = fleet.GetServerNode();
    graphPlan.localIterations = m_localIterations;
    graphPlan.microBatches = decision.microBatches;
    // The clusters share the channel, and how their transmissions interleave decides the
    // round: every cluster of the same size takes the same partition (symmetric clusters do),
    // the others an even split, at maximum power, and the whole round is timed (with several
    // cells, the round of the cells on the cluster's channel: the others run beside it)
    std::map<uint32_t, double> powerW;
    const uint32_t size = fleet.GetGroupSize(cluster);
    for (uint32_t c : GetChannelClusters(network, cluster))
    {
        CollaPipeCluster each;
        each.controlUnit = fleet.GetControlUnitNode(c);
        if (fleet.GetCellCount() > 1)
        {
            each.cellServer = fleet.GetGroupServerNode(c);
        }
        const uint32_t n = fleet.GetGroupSize(c);
        const uint32_t blocks = GetWorkload().spec.encoderLayers;
        for (uint32_t i = 0; i < n; ++i)
        {
            const uint32_t node = fleet.GetDeviceNode(c, i);
            const uint32_t own =
                n == size ? decision.segmentSize[i] : blocks / n + (i < blocks % n ? 1 : 0);
            if (own > 0)
            {
                each.devices.push_back(node);
                each.segmentBlocks.push_back(own);
                if (c == cluster)
                {
                    powerW[node] = decision.txPowerW[i]; // the others at their maximum
                }
            }
        }
        graphPlan.clusters.push_back(each);
    }
    TrainingRecipe recipe = GetWorkload().recipe;
    recipe.microBatchSize = GetTrainingBatchSize() / decision.microBatches;
    auto time = [&](uint32_t iterations) {
        graphPlan.localIterations = iterations;
        Ptr<TaskGraph> graph = CollaPipeGraphBuilder::BuildRound(GetWorkload().spec,
                                                                 recipe,
                                                                 graphPlan,
                                                                 fleet.GetNodeCount() + 1);
        return TimeOnWifi(*graph, network, powerW, 1.0);
    };
    if (m_localIterations <= 2)
    {
        return time(m_localIterations);
    }
    // The local iterations are the same graph again: from the second on each adds the same
    // time (the list schedule repeats), so E of them take T(2) + (E - 2) (T(2) - T(1)); a
    // search times two short graphs instead of one E times as long
    const double first = time(1);
    const double second = time(2);
    return second + (m_localIterations - 2.0) * (second - first);
}

TrainingRecipe
ClusterTrainingStrategy::GetRoundRecipe(const ClusterRoundPlan& plan) const
{
    TrainingRecipe recipe = GetWorkload().recipe;
    recipe.microBatchSize = GetTrainingBatchSize() / plan.microBatches;
    return recipe;
}

uint32_t
ClusterTrainingStrategy::GetTrainingBatchSize() const
{
    return GetWorkload().batchSize;
}

uint32_t
ClusterTrainingStrategy::GetTrainingPipelineCount() const
{
    return GetFleet().GetGroupCount();
}

Ptr<TaskGraph>
ClusterTrainingStrategy::Build(uint32_t round, Ptr<const RoundPlan> basePlan)
{
    const Fleet& fleet = GetFleet();
    Ptr<const ClusterRoundPlan> plan = DynamicCast<const ClusterRoundPlan>(basePlan);
    NS_ABORT_MSG_IF(!plan, "ClusterTrainingStrategy::Build: not a ClusterRoundPlan");
    m_builtFirstIteration = m_firstIteration;
    m_firstIteration = 0; // a resume point serves one attempt
    std::vector<uint32_t> all(fleet.GetGroupCount());
    std::iota(all.begin(), all.end(), 0);
    Ptr<TaskGraph> graph = BuildClusters(*plan, all, m_builtFirstIteration, m_checkpoints);
    return graph;
}

std::vector<std::pair<uint64_t, uint64_t>>
ClusterTrainingStrategy::AttemptAbandoned(uint32_t round,
                                          const TaskGraph& graph,
                                          const std::vector<bool>& finished)
{
    m_firstIteration = 0;
    if (m_recovery != RESUME)
    {
        return {};
    }
    // the leading local iterations whose every checkpoint reached the server (what the server
    // itself observed); the round resumes after them
    uint32_t done = 0;
    while (done < m_checkpoints.size() &&
           std::all_of(m_checkpoints[done].begin(),
                       m_checkpoints[done].end(),
                       [&finished](uint32_t id) { return finished[id]; }))
    {
        ++done;
    }
    m_firstIteration = m_builtFirstIteration + done;
    // the samples of those iterations (numbered by iteration: see CollaPipeGraphBuilder)
    std::vector<std::pair<uint64_t, uint64_t>> kept;
    const uint64_t perIteration = GetTrainingBatchSize();
    for (uint32_t id = 0; id < graph.GetTaskCount(); ++id)
    {
        if (!graph.IsCompute(id) || graph.GetCompute(id).samples == 0)
        {
            continue;
        }
        const ComputeTask& task = graph.GetCompute(id);
        const uint64_t iteration = task.firstSample / perIteration % m_localIterations;
        if (iteration < m_firstIteration && finished[id])
        {
            kept.emplace_back(task.firstSample, task.samples);
        }
    }
    return kept;
}

void
ClusterTrainingStrategy::Observe(const RoundObservation& observation, RoundRecord& record)
{
    const Fleet& fleet = GetFleet();
    Ptr<const ClusterRoundPlan> plan = DynamicCast<const ClusterRoundPlan>(observation.plan);
    NS_ABORT_MSG_IF(!plan, "ClusterTrainingStrategy::Observe: not a ClusterRoundPlan");
    record.microBatches = plan->microBatches;
    record.samples =
        uint64_t(GetTrainingBatchSize()) * m_localIterations * GetTrainingPipelineCount();
    record.predictedSeconds = plan->predictedSeconds;
    for (uint32_t c = 0; c < fleet.GetGroupCount(); ++c)
    {
        const CollaPipeDecision& decision = plan->decisions[c];
        for (uint32_t i = 0; i < fleet.GetGroupSize(c); ++i)
        {
            const uint32_t node = fleet.GetDeviceNode(c, i);
            record.devices[node].blocks = decision.segmentSize[i];
            record.maxMemoryBytes = std::max(record.maxMemoryBytes, decision.memoryBytes[i]);
        }
    }
    m_queues->Update(observation.energyJ);
    for (uint32_t node = 0; node < fleet.GetDeviceCount(); ++node)
    {
        record.devices[node].queue = m_queues->GetQueues()[node];
    }
}

} // namespace edgellm
} // namespace ns3
