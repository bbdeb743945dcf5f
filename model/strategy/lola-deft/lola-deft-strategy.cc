/* SPDX-License-Identifier: GPL-2.0-only */
#include "lola-deft-strategy.h"

#include "jbba-scheduler.h"

#include "ns3/boolean.h"
#include "ns3/crunch-matcher.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/pointer.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLolaDeftStrategy");
NS_OBJECT_ENSURE_REGISTERED(LolaDeftStrategy);

namespace
{
/// label prefixes of the round's uploads
constexpr const char* UPLOAD_LABEL = "lola-up";
/// the scheduler's random stream (the packet level creates more random variables than the
/// flow level: automatic stream numbers would differ between them)
constexpr int64_t SCHEDULER_STREAM = 1000011;
} // namespace

TypeId
LolaDeftStrategy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LolaDeftStrategy")
            .SetParent<Strategy>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<LolaDeftStrategy>()
            .AddAttribute("Scheduler",
                          "The LolaDeftScheduler that matches blocks to devices and splits the "
                          "uplink band (ns3::JbbaScheduler when none is set)",
                          PointerValue(),
                          MakePointerAccessor(&LolaDeftStrategy::SetScheduler,
                                              &LolaDeftStrategy::GetScheduler),
                          MakePointerChecker<LolaDeftScheduler>())
            .AddAttribute("LayersPerBlock",
                          "Transformer blocks per parameter block (block 0 holds the last ones; "
                          "the deepest block takes what is left).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&LolaDeftStrategy::m_layersPerBlock),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("UsableMemoryFraction",
                          "Share of a device's available memory (after its runtime reserve) "
                          "the model's tensors may use.",
                          DoubleValue(0.9),
                          MakeDoubleAccessor(&LolaDeftStrategy::m_usableMemoryFraction),
                          MakeDoubleChecker<double>(0.01, 1.0))
            .AddAttribute("SendUpdates",
                          "Whether each involved device first downloads the parameters the last "
                          "round updated (every block's), from the second round on; the "
                          "paper's round latency (rounds.csv phase_s) leaves this out.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&LolaDeftStrategy::m_broadcast),
                          MakeBooleanChecker());
    return tid;
}

LolaDeftStrategy::LolaDeftStrategy() = default;
LolaDeftStrategy::~LolaDeftStrategy() = default;

void
LolaDeftStrategy::DoDispose()
{
    m_scheduler = nullptr;
    Strategy::DoDispose();
}

void
LolaDeftStrategy::SetScheduler(Ptr<LolaDeftScheduler> scheduler)
{
    m_scheduler = scheduler;
}

Ptr<LolaDeftScheduler>
LolaDeftStrategy::GetScheduler() const
{
    return m_scheduler;
}

const LolaDeftCostModel&
LolaDeftStrategy::GetCosts() const
{
    return m_costs;
}

const std::vector<uint32_t>&
LolaDeftStrategy::GetNodes() const
{
    return m_nodes;
}

std::string
LolaDeftStrategy::Configure(const Fleet& fleet, const Workload& workload)
{
    std::string problem = Strategy::Configure(fleet, workload);
    if (!problem.empty())
    {
        return problem;
    }
    if (!m_scheduler)
    {
        m_scheduler = CreateObject<JbbaScheduler>();
    }
    problem = m_scheduler->Validate();
    if (!problem.empty())
    {
        return "LoLa DEFT: " + problem;
    }
    m_scheduler->AssignStreams(SCHEDULER_STREAM);
    m_nodes.clear();
    LolaDeftCostModel::Config config;
    for (uint32_t g = 0; g < fleet.GetGroupCount(); ++g)
    {
        for (uint32_t i = 0; i < fleet.GetGroupSize(g); ++i)
        {
            m_nodes.push_back(fleet.GetDeviceNode(g, i));
            config.devices.push_back(fleet.GetProfile(m_nodes.back()));
        }
    }
    config.workload = workload;
    config.computeModel = GetComputeModel();
    config.layersPerBlock = m_layersPerBlock;
    config.usableMemoryFraction = m_usableMemoryFraction;
    problem = m_costs.Configure(config);
    if (!problem.empty())
    {
        return problem;
    }
    if (m_nodes.size() < m_costs.GetBlockCount())
    {
        std::ostringstream out;
        out << "LoLa DEFT: devices=" << m_nodes.size() << " is too few for "
            << m_costs.GetBlockCount() << " blocks (LayersPerBlock=" << m_layersPerBlock
            << "); every block needs its own device: raise LayersPerBlock or add devices";
        return out.str();
    }
    return "";
}

uint64_t
LolaDeftStrategy::MakeTaskId(LolaTaskOp op, uint32_t device, uint32_t block)
{
    NS_ABORT_MSG_IF(device >= (1U << 20) || block >= (1U << 20),
                    "LolaDeftStrategy::MakeTaskId: device " << device << " or block " << block
                                                            << " beyond 2^20");
    return (static_cast<uint64_t>(op) << 40) | (static_cast<uint64_t>(device) << 20) | block;
}

void
LolaDeftStrategy::DecodeTaskId(uint64_t id, LolaTaskOp& op, uint32_t& device, uint32_t& block)
{
    op = static_cast<LolaTaskOp>(id >> 40);
    device = static_cast<uint32_t>((id >> 20) & 0xFFFFF);
    block = static_cast<uint32_t>(id & 0xFFFFF);
}

std::string
LolaDeftStrategy::MakeProblem(NetworkState& network, LolaAllocationProblem& problem) const
{
    Ptr<OfdmaBsNetDevice> bs = network.GetOfdmaBaseStation();
    const bool wifi = network.GetKind() == "wifi";
    if (!bs && !wifi)
    {
        return "LoLa DEFT: network=" + network.GetKind() +
               " is not allowed; LoLa DEFT shares a radio uplink: network=ofdma (the cell "
               "grants the scheduler's shares) or network=wifi (the uploads contend)";
    }
    problem = LolaAllocationProblem();
    for (uint32_t m = 0; m < m_costs.GetBlockCount(); ++m)
    {
        problem.blockBits.push_back(8.0 * m_costs.GetGradientBytes(m));
    }
    const uint32_t server = GetFleet().GetServerNode();
    std::vector<std::pair<uint32_t, uint32_t>> uploads;
    for (uint32_t k = 0; k < m_nodes.size(); ++k)
    {
        LolaDevice device;
        for (uint32_t m = 0; m < m_costs.GetBlockCount(); ++m)
        {
            device.computeSeconds.push_back(m_costs.GetComputeSeconds(k, m));
            device.fits.push_back(m_costs.Fits(k, m));
        }
        // every rate at the device's largest power (the plan sets it), from its mean channel
        // (what the server learns from its sounding): no fading draw the round would not see
        const double powerW = network.GetTxPowerRangeW(m_nodes[k]).second;
        if (wifi)
        {
            // one contended channel: the goodput alone, and the lengthening of every
            // transmission with k + 1 uploads at once, as the flow level computes both (the
            // first k + 1 devices' uploads stand for any: the factor depends on the channel's
            // typical transmission, nearly the same for all)
            device.channelRateBps = network.GetWifiGoodput(m_nodes[k], server, powerW);
            uploads.emplace_back(m_nodes[k], server);
            problem.contentionFactor.push_back(network.GetWifiContention(uploads));
        }
        else
        {
            // the cell's own rate for each number of RBs
            device.rateByResourceBlocks = network.GetOfdmaUplinkGoodputs(m_nodes[k], powerW);
            for (uint32_t n = 1; n < device.rateByResourceBlocks.size(); ++n)
            {
                // spreading the power over more RBs can cost an MCS step; the planner takes
                // the best rate up to n RBs (rounds.csv shows what the cell then delivers)
                device.rateByResourceBlocks[n] =
                    std::max(device.rateByResourceBlocks[n], device.rateByResourceBlocks[n - 1]);
            }
        }
        problem.devices.push_back(device);
    }
    problem.sharedChannel = wifi;
    // the band the shares split (unused on a shared channel)
    problem.bandwidthHz = wifi ? 1.0
                               : bs->GetResourceBlockCount() *
                                     NrNumerology::GetResourceBlockBandwidthHz(bs->GetNumerology());
    return problem.Validate();
}

std::string
LolaDeftStrategy::Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan)
{
    Ptr<LolaRoundPlan> planned = Create<LolaRoundPlan>();
    std::string problem = MakeProblem(network, planned->problem);
    if (problem.empty())
    {
        problem = m_scheduler->CheckProblem(planned->problem);
    }
    if (!problem.empty())
    {
        return problem;
    }
    planned->allocation = m_scheduler->Allocate(planned->problem, round);
    if (!planned->allocation.IsFeasible())
    {
        // memory alone: the blocks a device holds are a prefix in depth
        std::vector<uint32_t> holds(m_nodes.size(), 0);
        for (uint32_t k = 0; k < m_nodes.size(); ++k)
        {
            while (holds[k] < m_costs.GetBlockCount() && m_costs.Fits(k, holds[k]))
            {
                ++holds[k];
            }
        }
        std::ostringstream out;
        out << "LoLa DEFT: "
            << (CrunchMatcher::CanMatchAll(holds, m_costs.GetBlockCount())
                    ? "no matching of blocks to devices with an uplink rate"
                    : "out of memory: the devices cannot hold one block each")
            << ": " << GetWorkload().spec.name << " "
            << RecipeKindToString(GetWorkload().recipe.kind) << ", batch "
            << GetWorkload().batchSize << ", " << m_costs.GetBlockCount() << " blocks needing "
            << m_costs.GetMemory(0).totalBytes / 1048576.0 << " to "
            << m_costs.GetMemory(m_costs.GetBlockCount() - 1).totalBytes / 1048576.0 << " MiB";
        return out.str();
    }
    const LolaAllocation& a = planned->allocation;
    for (uint32_t k = 0; k < m_nodes.size(); ++k)
    {
        planned->txPowerW[m_nodes[k]] = network.GetTxPowerRangeW(m_nodes[k]).second;
        if (a.blockOfDevice[k] >= 0 && !planned->problem.sharedChannel)
        {
            // a share the cell accepts (the split sums to 1 up to rounding)
            planned->bandwidthShare[m_nodes[k]] = std::min(1.0, a.share[k] * (1 - 1e-12));
        }
    }
    planned->predictedSeconds = a.latencySeconds;
    NS_LOG_INFO("LoLa DEFT round " << round << ": latency " << a.latencySeconds << " s after "
                                   << a.iterations << " iterations");
    plan = planned;
    return "";
}

Ptr<TaskGraph>
LolaDeftStrategy::Build(uint32_t round, Ptr<const RoundPlan> plan)
{
    Ptr<const LolaRoundPlan> lola = DynamicCast<const LolaRoundPlan>(plan);
    NS_ABORT_MSG_IF(!lola, "LolaDeftStrategy: Build takes the plan Plan made");
    Ptr<TaskGraph> graph = Create<TaskGraph>(GetFleet().GetNodeNames());
    const uint32_t server = GetFleet().GetServerNode();
    const DataType dtype = GetWorkload().recipe.dtype;
    for (uint32_t k = 0; k < m_nodes.size(); ++k)
    {
        const int32_t m = lola->allocation.blockOfDevice[k];
        if (m < 0)
        {
            continue;
        }
        const LayerKernels& kernels = m_costs.GetKernels(m);
        std::ostringstream label;
        label << "lola-d" << k << "-b" << m;
        std::vector<uint32_t> ready;
        if (m_broadcast && round > 0)
        {
            std::ostringstream down;
            down << "lola-down-d" << k;
            TransferTask download = TransferTask::Make(server,
                                                       m_nodes[k],
                                                       m_costs.GetTrainableBytes(),
                                                       TransferKind::PARAMETERS,
                                                       TransferTask::NO_MICRO_BATCH,
                                                       down.str());
            download.tensorId = MakeTaskId(LolaTaskOp::PARAMETERS, k, 0);
            ready.push_back(graph->AddTransfer(download));
        }
        ComputeTask forward;
        forward.device = m_nodes[k];
        forward.dtype = dtype;
        forward.kind = ComputeKind::FORWARD;
        forward.label = label.str() + "-fwd";
        ComputeCost::FromKernels(kernels.forward).ApplyTo(forward);
        const uint32_t fwd = graph->AddCompute(forward, ready);
        ComputeTask backward = forward;
        backward.kind = ComputeKind::BACKWARD;
        backward.label = label.str() + "-bwd";
        ComputeCost::FromKernels(kernels.backward).ApplyTo(backward);
        // a real engine runs the whole iteration when the backward starts
        backward.kernelId = MakeTaskId(LolaTaskOp::GRADIENT, k, m);
        const uint32_t bwd = graph->AddCompute(backward, {fwd});
        std::ostringstream up;
        up << UPLOAD_LABEL << "-d" << k << "-b" << m;
        TransferTask gradient = TransferTask::Make(m_nodes[k],
                                                   server,
                                                   m_costs.GetGradientBytes(m),
                                                   TransferKind::GRADIENT,
                                                   TransferTask::NO_MICRO_BATCH,
                                                   up.str());
        gradient.tensorId = MakeTaskId(LolaTaskOp::UPLOAD, k, m);
        const uint32_t upload = graph->AddTransfer(gradient, {bwd});
        // the server's optimizer step for the block, once its gradient is in
        ComputeTask update;
        update.device = server;
        update.dtype = dtype;
        update.kind = ComputeKind::OPTIMIZER;
        std::ostringstream updateLabel;
        updateLabel << "lola-update-b" << m;
        update.label = updateLabel.str();
        m_costs.GetUpdateCost(m).ApplyTo(update);
        update.kernelId = MakeTaskId(LolaTaskOp::UPDATE, 0, m);
        graph->AddCompute(update, {upload});
    }
    return graph;
}

double
LolaDeftStrategy::PredictRound(uint32_t /* round */,
                               NetworkState& network,
                               Ptr<const RoundPlan> /* plan */,
                               const TaskGraph& graph)
{
    // the whole round (updates and broadcast too) as the flow level times it, with this
    // round's grants applied
    return TimeWithFlowRates(network, graph);
}

void
LolaDeftStrategy::Observe(const RoundObservation& observation, RoundRecord& record)
{
    Ptr<const LolaRoundPlan> plan = DynamicCast<const LolaRoundPlan>(observation.plan);
    NS_ABORT_MSG_IF(!plan, "LolaDeftStrategy: Observe takes the plan Plan made");
    record.predictedSeconds = plan->predictedSeconds;
    record.samples = static_cast<uint64_t>(m_costs.GetBlockCount()) * GetWorkload().batchSize;
    record.phase = "upload";
    record.phasePredictedSeconds = plan->allocation.latencySeconds;
    // the paper's round latency: each device's compute start to its upload's arrival
    const std::string upload = UPLOAD_LABEL;
    std::map<uint32_t, std::pair<Time, Time>> span; // device: compute start, upload end
    for (const TaskRecord& task : observation.tasks)
    {
        if (task.device >= record.devices.size())
        {
            continue;
        }
        if (task.type == TaskRecord::TRANSFER && task.label.rfind(upload, 0) == 0)
        {
            record.phaseBytes += task.bytes;
            record.devices[task.device].uploadSeconds += (task.end - task.start).GetSeconds();
            span[task.device].second = task.end;
        }
        else if (task.type == TaskRecord::COMPUTE && task.label.rfind("lola-d", 0) == 0)
        {
            record.devices[task.device].computeSeconds += (task.end - task.start).GetSeconds();
            if (task.kind == "forward")
            {
                span[task.device].first = task.start;
            }
        }
    }
    for (const auto& [device, times] : span)
    {
        record.phaseSeconds =
            std::max(record.phaseSeconds, (times.second - times.first).GetSeconds());
    }
    for (uint32_t k = 0; k < m_nodes.size(); ++k)
    {
        const int32_t m = plan->allocation.blockOfDevice[k];
        if (m < 0 || m_nodes[k] >= record.devices.size())
        {
            continue;
        }
        DeviceRoundRecord& device = record.devices[m_nodes[k]];
        device.blocks = 1;
        device.block = m;
        device.bandwidthShare = plan->allocation.share[k];
        device.memoryBytes = m_costs.GetMemory(m).totalBytes;
        record.maxMemoryBytes = std::max(record.maxMemoryBytes, device.memoryBytes);
    }
}

} // namespace edgellm
} // namespace ns3
