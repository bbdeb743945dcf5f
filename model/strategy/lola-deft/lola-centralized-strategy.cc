/* SPDX-License-Identifier: GPL-2.0-only */
#include "lola-centralized-strategy.h"

#include "ns3/double.h"
#include "ns3/layer-cost.h"
#include "ns3/log.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/string.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLolaCentralizedStrategy");
NS_OBJECT_ENSURE_REGISTERED(LolaCentralizedStrategy);

namespace
{
/**
 * \brief A centralized round's decision: who trains, who uploads, what was predicted.
 */
class CentralizedRoundPlan : public RoundPlan
{
  public:
    uint32_t trainer{0};         //!< the node that fine-tunes
    int32_t uploader{-1};        //!< the node that uploads its activations, or -1
    uint64_t activationBytes{0}; //!< bytes of the upload
    uint64_t memoryBytes{0};     //!< memory the trainer needs
};
} // namespace

TypeId
LolaCentralizedStrategy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LolaCentralizedStrategy")
            .SetParent<Strategy>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<LolaCentralizedStrategy>()
            .AddAttribute("Trainer",
                          "Who fine-tunes every block: device (the fastest device that holds "
                          "the model: single-device fine-tuning) or server (computation "
                          "offloading: a device uploads its batch's embedding output)",
                          StringValue("device"),
                          MakeStringAccessor(&LolaCentralizedStrategy::m_trainer),
                          MakeStringChecker())
            .AddAttribute("UsableMemoryFraction",
                          "Share of a node's available memory the model's tensors may use.",
                          DoubleValue(0.9),
                          MakeDoubleAccessor(&LolaCentralizedStrategy::m_usableMemoryFraction),
                          MakeDoubleChecker<double>(0.01, 1.0));
    return tid;
}

LolaCentralizedStrategy::LolaCentralizedStrategy() = default;
LolaCentralizedStrategy::~LolaCentralizedStrategy() = default;

std::string
LolaCentralizedStrategy::Configure(const Fleet& fleet, const Workload& workload)
{
    if (m_trainer != "device" && m_trainer != "server")
    {
        return "LoLa DEFT: Trainer=" + m_trainer + " is not allowed; device or server";
    }
    std::string problem = Strategy::Configure(fleet, workload);
    if (!problem.empty())
    {
        return problem;
    }
    uint32_t layers = 0;
    for (const LayerCost& layer : LayerCostModel::Compute(workload.spec, workload.recipe))
    {
        layers += layer.kind == LayerKind::ENCODER_BLOCK || layer.kind == LayerKind::DECODER_BLOCK;
    }
    LolaDeftCostModel::Config config;
    config.workload = workload;
    config.computeModel = GetComputeModel();
    config.layersPerBlock = layers; // every block as one
    m_layerCount = layers;
    config.usableMemoryFraction = m_usableMemoryFraction;
    m_nodes.clear();
    for (uint32_t g = 0; g < fleet.GetGroupCount(); ++g)
    {
        for (uint32_t i = 0; i < fleet.GetGroupSize(g); ++i)
        {
            m_nodes.push_back(fleet.GetDeviceNode(g, i));
            config.devices.push_back(fleet.GetProfile(m_nodes.back()));
        }
    }
    problem = m_devices.Configure(config);
    if (!problem.empty())
    {
        return problem;
    }
    config.devices = {fleet.GetProfile(fleet.GetServerNode())};
    problem = m_server.Configure(config);
    if (!problem.empty())
    {
        return problem;
    }
    std::ostringstream out;
    if (m_trainer == "device")
    {
        m_trainerDevice = -1;
        for (uint32_t k = 0; k < m_nodes.size(); ++k)
        {
            if (m_devices.Fits(k, 0) &&
                (m_trainerDevice < 0 || m_devices.GetComputeSeconds(k, 0) <
                                            m_devices.GetComputeSeconds(m_trainerDevice, 0)))
            {
                m_trainerDevice = static_cast<int32_t>(k);
            }
        }
        if (m_trainerDevice < 0)
        {
            out << "LoLa DEFT: out of memory: no device holds " << workload.spec.name << " ("
                << RecipeKindToString(workload.recipe.kind) << ", batch " << workload.batchSize
                << "): it needs " << m_devices.GetMemory(0).totalBytes / 1048576.0 << " MiB";
            return out.str();
        }
    }
    else if (!m_server.Fits(0, 0))
    {
        out << "LoLa DEFT: out of memory: the server does not hold " << workload.spec.name
            << ": it needs " << m_server.GetMemory(0).totalBytes / 1048576.0 << " MiB";
        return out.str();
    }
    return "";
}

std::string
LolaCentralizedStrategy::Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan)
{
    Ptr<CentralizedRoundPlan> planned = Create<CentralizedRoundPlan>();
    if (m_trainer == "device")
    {
        planned->trainer = m_nodes[m_trainerDevice];
        planned->predictedSeconds = m_devices.GetComputeSeconds(m_trainerDevice, 0);
        planned->memoryBytes = m_devices.GetMemory(0).totalBytes;
        plan = planned;
        return "";
    }
    Ptr<OfdmaBsNetDevice> bs = network.GetOfdmaBaseStation();
    const bool wifi = network.GetKind() == "wifi";
    if (!bs && !wifi)
    {
        return "LoLa DEFT: network=" + network.GetKind() +
               " is not allowed; the offloading baseline uploads over network=ofdma or wifi";
    }
    const uint32_t device = round % m_nodes.size();
    const uint32_t node = m_nodes[device];
    planned->trainer = GetFleet().GetServerNode();
    planned->uploader = static_cast<int32_t>(node);
    TrainingRecipe recipe = GetWorkload().recipe;
    recipe.microBatchSize = GetWorkload().batchSize;
    planned->activationBytes =
        LayerCostModel::Compute(GetWorkload().spec, recipe).front().boundaryActivationBytes;
    planned->memoryBytes = m_server.GetMemory(0).totalBytes;
    // the whole band (or the Wi-Fi channel alone) for the one uploader, at its largest power
    const double powerW = network.GetTxPowerRangeW(node).second;
    planned->txPowerW[node] = powerW;
    double rate = 0;
    if (wifi)
    {
        rate = network.GetWifiGoodput(node, planned->trainer, powerW);
    }
    else
    {
        planned->bandwidthShare[node] = 1.0;
        rate = network.GetOfdmaUplinkGoodputs(node, powerW).back();
    }
    if (!(rate > 0))
    {
        return "LoLa DEFT: device " + std::to_string(device) + " has no uplink rate to the server";
    }
    planned->predictedSeconds =
        8.0 * planned->activationBytes / rate + m_server.GetComputeSeconds(0, 0);
    plan = planned;
    return "";
}

Ptr<TaskGraph>
LolaCentralizedStrategy::Build(uint32_t /* round */, Ptr<const RoundPlan> plan)
{
    Ptr<const CentralizedRoundPlan> central = DynamicCast<const CentralizedRoundPlan>(plan);
    NS_ABORT_MSG_IF(!central, "LolaCentralizedStrategy: Build takes the plan Plan made");
    Ptr<TaskGraph> graph = Create<TaskGraph>(GetFleet().GetNodeNames());
    const DataType dtype = GetWorkload().recipe.dtype;
    std::vector<uint32_t> ready;
    if (central->uploader >= 0)
    {
        ready.push_back(graph->AddTransfer(TransferTask::Make(central->uploader,
                                                              central->trainer,
                                                              central->activationBytes,
                                                              TransferKind::ACTIVATION,
                                                              TransferTask::NO_MICRO_BATCH,
                                                              "lola-offload")));
    }
    const LayerKernels& kernels =
        central->uploader >= 0 ? m_server.GetKernels(0) : m_devices.GetKernels(0);
    ComputeTask forward;
    forward.device = central->trainer;
    forward.dtype = dtype;
    forward.kind = ComputeKind::FORWARD;
    forward.label = "lola-all-fwd";
    ComputeCost::FromKernels(kernels.forward).ApplyTo(forward);
    const uint32_t fwd = graph->AddCompute(forward, ready);
    ComputeTask backward = forward;
    backward.kind = ComputeKind::BACKWARD;
    backward.label = "lola-all-bwd";
    ComputeCost::FromKernels(kernels.backward).ApplyTo(backward);
    const uint32_t bwd = graph->AddCompute(backward, {fwd});
    ComputeTask update;
    update.device = central->trainer;
    update.dtype = dtype;
    update.kind = ComputeKind::OPTIMIZER;
    update.label = "lola-all-update";
    m_devices.GetUpdateCost(0).ApplyTo(update);
    graph->AddCompute(update, {bwd});
    return graph;
}

void
LolaCentralizedStrategy::Observe(const RoundObservation& observation, RoundRecord& record)
{
    Ptr<const CentralizedRoundPlan> plan =
        DynamicCast<const CentralizedRoundPlan>(observation.plan);
    NS_ABORT_MSG_IF(!plan, "LolaCentralizedStrategy: Observe takes the plan Plan made");
    record.predictedSeconds = plan->predictedSeconds;
    record.samples = GetWorkload().batchSize;
    record.phase = plan->uploader >= 0 ? "offload" : "standalone";
    record.phasePredictedSeconds = plan->predictedSeconds;
    record.maxMemoryBytes = plan->memoryBytes;
    Time first = Time::Max();
    Time backwardEnd = Time::Min();
    for (const TaskRecord& task : observation.tasks)
    {
        first = std::min(first, task.start);
        if (task.label == "lola-all-bwd")
        {
            backwardEnd = task.end;
        }
        if (task.label == "lola-offload")
        {
            record.phaseBytes += task.bytes;
            if (task.device < record.devices.size())
            {
                record.devices[task.device].uploadSeconds += (task.end - task.start).GetSeconds();
            }
        }
        else if (task.type == TaskRecord::COMPUTE && task.device < record.devices.size() &&
                 task.label != "lola-all-update")
        {
            record.devices[task.device].computeSeconds += (task.end - task.start).GetSeconds();
        }
    }
    // the paper's round: up to the gradients (the update is not counted in LolaDeftStrategy
    // either)
    record.phaseSeconds = backwardEnd > first ? (backwardEnd - first).GetSeconds() : 0.0;
    if (plan->trainer < record.devices.size())
    {
        DeviceRoundRecord& trainer = record.devices[plan->trainer];
        trainer.blocks = m_layerCount;
        trainer.memoryBytes = plan->memoryBytes;
    }
    if (plan->uploader >= 0 && static_cast<uint32_t>(plan->uploader) < record.devices.size())
    {
        record.devices[plan->uploader].bandwidthShare = 1.0;
    }
}

} // namespace edgellm
} // namespace ns3
