/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-strategy.h"

#include "galaxy-graph-builder.h"

#include "ns3/boolean.h"
#include "ns3/channel.h"
#include "ns3/edge-network.h"
#include "ns3/galaxy-planner.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmGalaxyStrategy");
NS_OBJECT_ENSURE_REGISTERED(GalaxyStrategy);

namespace
{
/// A round of Galaxy: the split and the costs it was planned with.
class GalaxyRoundPlan : public RoundPlan
{
  public:
    GalaxyPlan split;                       //!< heads, units and tokens per device
    std::shared_ptr<GalaxyCostModel> costs; //!< the costs at the round's rates
    GalaxyCollectiveLink link;              //!< the collectives' rate and delay
};

/**
 * The even split of \p total over \p parts: the first total mod parts get one more.
 * \param total what to split
 * \param parts how many shares
 * \return the shares
 */
std::vector<uint32_t>
Even(uint32_t total, uint32_t parts)
{
    std::vector<uint32_t> shares(parts, total / parts);
    for (uint32_t i = 0; i < total % parts; ++i)
    {
        ++shares[i];
    }
    return shares;
}
} // namespace

TypeId
GalaxyStrategy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GalaxyStrategy")
            .SetParent<Strategy>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<GalaxyStrategy>()
            .AddAttribute("Split",
                          "How each layer is split: galaxy (GalaxyPlanner: uneven heads, "
                          "columns and tokens after speed and memory, over the best ring of "
                          "devices), even (every device an equal share, as Megatron-style "
                          "tensor parallelism) or single (the fastest device that holds the "
                          "model, alone).",
                          StringValue("galaxy"),
                          MakeStringAccessor(&GalaxyStrategy::m_split),
                          MakeStringChecker())
            .AddAttribute("TileOverlap",
                          "Split=galaxy: fuse each ReduceScatter with the GEMM before it, chunk "
                          "by chunk, so that computation overlaps the transfers (Galaxy's "
                          "tile-based overlap, ReduceScatter side); the prediction is then the "
                          "round's task graph timed at the planner's rate and delay.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GalaxyStrategy::m_overlap),
                          MakeBooleanChecker())
            .AddAttribute("ColumnGranule",
                          "FFN columns per unit of the split; must divide the FFN size.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&GalaxyStrategy::m_granule),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

GalaxyStrategy::GalaxyStrategy() = default;
GalaxyStrategy::~GalaxyStrategy() = default;

std::string
GalaxyStrategy::Configure(const Fleet& fleet, const Workload& workload)
{
    if (m_split != "galaxy" && m_split != "even" && m_split != "single")
    {
        return "Galaxy: Split=" + m_split + " is not allowed; galaxy, even or single";
    }
    std::string problem = Strategy::Configure(fleet, workload);
    if (!problem.empty())
    {
        return problem;
    }
    if (workload.recipe.kind != RecipeKind::INFERENCE)
    {
        return "Galaxy: recipe=" + RecipeKindToString(workload.recipe.kind) +
               " is not allowed; Galaxy runs inference (recipe inference)";
    }
    if (fleet.GetGroupCount() != 1)
    {
        std::ostringstream out;
        out << "Galaxy: the fleet has " << fleet.GetGroupCount()
            << " groups; allowed: one group of devices";
        return out.str();
    }
    m_profiles.clear();
    for (uint32_t i = 0; i < fleet.GetGroupSize(0); ++i)
    {
        m_profiles.push_back(fleet.GetProfile(fleet.GetDeviceNode(0, i)));
    }
    problem = GalaxyCostModel::Check(workload.spec,
                                     m_granule,
                                     m_profiles,
                                     GalaxyCollectiveLink{true, 1, 0});
    return problem.empty() ? "" : "Galaxy: " + problem;
}

std::string
GalaxyStrategy::Plan(uint32_t /* round */, NetworkState& network, Ptr<RoundPlan>& plan)
{
    // one rate for the collectives: the harmonic mean of every device pair's rate alone
    const uint32_t devices = m_profiles.size();
    std::vector<uint32_t> nodes;
    for (uint32_t i = 0; i < devices; ++i)
    {
        nodes.push_back(GetFleet().GetDeviceNode(0, i));
    }
    GalaxyCollectiveLink link;
    const std::string unreachable = GetMeanPairRate(network, nodes, link.rateBps);
    if (!unreachable.empty())
    {
        return "Galaxy: " + unreachable;
    }
    link.sharedChannel = network.GetKind() != "p2p";
    if (!link.sharedChannel && devices > 1)
    {
        // every ring step waits for its link's propagation delay too (1 ms by default)
        TimeValue delay;
        network.GetNetwork()
            ->GetLinkDevice(GetFleet().GetDeviceNode(0, 0), GetFleet().GetDeviceNode(0, 1))
            ->GetChannel()
            ->GetAttribute("Delay", delay);
        link.latencySeconds = delay.Get().GetSeconds();
    }
    Ptr<GalaxyRoundPlan> planned = Create<GalaxyRoundPlan>();
    planned->link = link;
    planned->costs = std::make_shared<GalaxyCostModel>(GetWorkload().spec,
                                                       GetWorkload().recipe.dtype,
                                                       m_granule,
                                                       m_profiles,
                                                       GetComputeModel(),
                                                       link);
    const GalaxyCostModel& costs = *planned->costs;
    GalaxyPlan& split = planned->split;
    if (m_split == "galaxy")
    {
        split = GalaxyPlanner::Solve(costs);
    }
    else if (m_split == "even")
    {
        split.heads = Even(costs.GetHeads(), devices);
        split.units = Even(costs.GetUnits(), devices);
        split.tokens = Even(costs.GetTokens(), devices);
        costs.Evaluate(split);
    }
    else
    {
        double best = std::numeric_limits<double>::infinity();
        for (uint32_t i = 0; i < devices; ++i)
        {
            GalaxyPlan alone;
            alone.heads.assign(devices, 0);
            alone.units.assign(devices, 0);
            alone.tokens.assign(devices, 0);
            alone.heads[i] = costs.GetHeads();
            alone.units[i] = costs.GetUnits();
            alone.tokens[i] = costs.GetTokens();
            costs.Evaluate(alone);
            if (alone.layerSeconds < best)
            {
                best = alone.layerSeconds;
                split = alone;
            }
        }
    }
    if (!split.IsFeasible())
    {
        std::ostringstream out;
        out << "Galaxy: out of memory: no " << m_split << " split of " << GetWorkload().spec.name
            << " fits the devices";
        return out.str();
    }
    planned->predictedSeconds = split.layerSeconds * costs.GetLayerCount();
    NS_LOG_INFO("Galaxy " << m_split << ": " << split.ToString() << ", predicted "
                          << planned->predictedSeconds << " s");
    plan = planned;
    return "";
}

Ptr<TaskGraph>
GalaxyStrategy::Build(uint32_t /* round */, Ptr<const RoundPlan> plan)
{
    Ptr<const GalaxyRoundPlan> planned = DynamicCast<const GalaxyRoundPlan>(plan);
    NS_ABORT_MSG_IF(!planned, "GalaxyStrategy: Build takes the plan Plan made");
    // plan device i is fleet device i of the one group, node i of the layout
    return GalaxyGraphBuilder::Build(*planned->costs,
                                     planned->split,
                                     GetFleet().GetNodeNames().size(),
                                     m_split == "galaxy" && m_overlap);
}

double
GalaxyStrategy::PredictRound(uint32_t /* round */,
                             NetworkState& /* network */,
                             Ptr<const RoundPlan> plan,
                             const TaskGraph& graph)
{
    if (!(m_split == "galaxy" && m_overlap))
    {
        return plan->predictedSeconds;
    }
    // the planner's formula has no overlap: time the fused graph itself, with the rate and the
    // per-message delay the planner used
    Ptr<const GalaxyRoundPlan> planned = DynamicCast<const GalaxyRoundPlan>(plan);
    NS_ABORT_MSG_IF(!planned, "GalaxyStrategy: PredictRound takes the plan Plan made");
    const GalaxyCollectiveLink& link = planned->link;
    TaskGraphTimer timer(
        GetComputeTime(),
        TaskGraphTimer::LinkTransferTime(link.rateBps, Seconds(link.latencySeconds)));
    if (link.sharedChannel)
    {
        const double secondsPerByte = 8.0 / link.rateBps;
        timer.SetSharedChannel([secondsPerByte](const TransferTask&) { return secondsPerByte; });
    }
    return timer.GetMakespan(graph).GetSeconds();
}

void
GalaxyStrategy::Observe(const RoundObservation& observation, RoundRecord& record)
{
    Ptr<const GalaxyRoundPlan> planned = DynamicCast<const GalaxyRoundPlan>(observation.plan);
    NS_ABORT_MSG_IF(!planned, "GalaxyStrategy: Observe takes the plan Plan made");
    record.predictedSeconds = planned->predictedSeconds;
    record.samples = 1;
    record.phase = "prefill";
    record.phasePredictedSeconds = planned->predictedSeconds;
    record.phaseSeconds = record.latencySeconds;
    const GalaxyPlan& split = planned->split;
    for (uint32_t i = 0; i < split.heads.size(); ++i)
    {
        const uint64_t memory = split.tokens[i] > 0
                                    ? planned->costs->GetMemoryBytes(split.heads[i], split.units[i])
                                    : 0;
        record.maxMemoryBytes = std::max(record.maxMemoryBytes, memory);
        const uint32_t node = GetFleet().GetDeviceNode(0, i);
        if (node < record.devices.size())
        {
            record.devices[node].memoryBytes = memory;
        }
    }
    for (const TaskRecord& task : observation.tasks)
    {
        if (task.type == TaskRecord::TRANSFER)
        {
            record.phaseBytes += task.bytes;
        }
        else if (task.device < record.devices.size())
        {
            record.devices[task.device].computeSeconds += (task.end - task.start).GetSeconds();
        }
    }
}

} // namespace edgellm
} // namespace ns3
