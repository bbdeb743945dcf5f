/* SPDX-License-Identifier: GPL-2.0-only */
#include "cluster-training-strategy.h"

#include "collapipe-graph-builder.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/ofdma-spectrum-phy.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

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
    m_rateScale.assign(fleet.GetDeviceCount(), 1.0);
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
ClusterTrainingStrategy::MakeRoundModel(uint32_t cluster,
                                        NetworkState& network,
                                        std::unique_ptr<CollaPipeRoundModel>& model) const
{
    const Fleet& fleet = GetFleet();
    const uint32_t clusters = fleet.GetGroupCount();
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
    std::vector<CollaPipeDevice> devices;
    std::vector<double> queues;
    for (uint32_t i = 0; i < fleet.GetGroupSize(cluster); ++i)
    {
        const uint32_t node = fleet.GetDeviceNode(cluster, i);
        CollaPipeDevice device;
        device.profile = fleet.GetProfile(node);
        device.channelGain = network.GetUplinkGain(node);
        device.energyBudget = m_energyBudgetJ;
        device.rateScale = m_rateScale[node];
        devices.push_back(device);
        queues.push_back(m_queues->GetQueues()[node]);
    }
    // a fleet or attributes the model cannot take stop the run with the reason, not an abort
    const std::string problem = CollaPipeRoundModel::Validate(config, devices, queues);
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
    const Fleet& fleet = GetFleet();
    const uint32_t clusters = fleet.GetGroupCount();
    const bool cell = network.GetOfdmaBaseStation() != nullptr;
    Ptr<ClusterRoundPlan> plan = Create<ClusterRoundPlan>();
    for (uint32_t c = 0; c < clusters; ++c)
    {
        std::unique_ptr<CollaPipeRoundModel> roundModel;
        std::string problem = MakeRoundModel(c, network, roundModel);
        if (!problem.empty())
        {
            return "cluster " + std::to_string(c) + ": " + problem;
        }
        const CollaPipeRoundModel& model = *roundModel;
        CollaPipeDecision decision;
        problem = DecideCluster(model, decision);
        if (!problem.empty())
        {
            return "cluster " + std::to_string(c) + ": " + problem;
        }
        if (!decision.feasible)
        {
            return "cluster " + std::to_string(c) + ", scheduler '" + decision.scheduler +
                   "': infeasible: " + decision.reason;
        }
        // Every cluster runs the same M (one pipeline schedule per round): the first
        // cluster's; the others are re-evaluated with it.
        if (c == 0)
        {
            plan->microBatches = decision.microBatches;
        }
        else if (decision.microBatches != plan->microBatches)
        {
            decision = model.Evaluate(decision.scheduler,
                                      decision.segmentSize,
                                      plan->microBatches,
                                      decision.bandwidthShare,
                                      decision.txPowerW);
        }
        for (uint32_t i = 0; i < fleet.GetGroupSize(c); ++i)
        {
            const uint32_t node = fleet.GetDeviceNode(c, i);
            plan->txPowerW[node] = decision.txPowerW[i];
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
    result = plan;
    return "";
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
    CollaPipePlan graphPlan;
    graphPlan.server = fleet.GetServerNode();
    graphPlan.localIterations = m_localIterations;
    graphPlan.microBatches = plan->microBatches;
    for (uint32_t c = 0; c < fleet.GetGroupCount(); ++c)
    {
        const CollaPipeDecision& decision = plan->decisions[c];
        CollaPipeCluster cluster;
        cluster.controlUnit = fleet.GetControlUnitNode(c);
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
                                             GetRoundRecipe(*plan),
                                             graphPlan,
                                             fleet.GetNodeCount() + 1);
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
            const DeviceIterationStats& device = observation.stats.devices[node];
            // Wi-Fi does not honor a bandwidth share: learn what share of the predicted rate
            // this device's transfers really got (contention with the other stations, MAC and
            // TCP overhead) and predict with it next round; a geometric moving average
            // (weight 1/2) follows changes without chasing noise
            const double bits = 8.0 * (device.bytesSent + device.bytesReceived);
            const double seconds = device.communication.GetSeconds();
            if (bits > 0 && seconds > 0 && decision.rateBps[i] > 0)
            {
                const double measured = bits / seconds;
                const double estimate = m_rateScale[node] * measured / decision.rateBps[i];
                m_rateScale[node] = std::sqrt(m_rateScale[node] * estimate);
            }
            record.devices[node].rateScale = m_rateScale[node];
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
