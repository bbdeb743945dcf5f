/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-strategy.h"

#include "galaxy-graph-builder.h"

#include "ns3/boolean.h"
#include "ns3/channel.h"
#include "ns3/double.h"
#include "ns3/edge-network.h"
#include "ns3/galaxy-planner.h"
#include "ns3/layer-partition-planner.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
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
    /// the prediction of the first token's time after the request's start (serving), s;
    /// PredictRound replaces it with the overlapped graph's
    mutable double predictedFirstToken{0};
    /// the prediction of the mean decode step (serving), s
    mutable double predictedPerToken{0};
    /// Split=pipeline: layers per device (the stages, in device order)
    std::vector<uint32_t> stageLayers;
};

/**
 * The layer-wise pipeline (Split=pipeline) of least request time (LayerPartitionPlanner),
 * with its predictions.
 * \param costs the costs
 * \param available per device: the memory its stage may use
 * \param[in,out] planned the round's plan: stageLayers, predictions
 * \return false when no partition fits the devices' memory
 */
bool
PlanLayerPipeline(const GalaxyCostModel& costs,
                  const std::vector<uint64_t>& available,
                  GalaxyRoundPlan& planned)
{
    const uint32_t devices = costs.GetDeviceCount();
    const uint32_t generated = costs.GetGeneratedTokens();
    const GalaxyCollectiveLink& link = planned.link;
    auto hop = [&link](double bytes) { return 8 * bytes / link.rateBps + link.latencySeconds; };
    const double tokenBytes =
        static_cast<double>(costs.GetHiddenSize()) * GetDataTypeBytes(costs.GetDataType());
    std::vector<double> prefill(devices);
    std::vector<std::vector<double>> decode(devices); // per device, per step
    std::vector<double> head(devices);
    LayerPartitionPlanner::Problem problem;
    problem.layers = costs.GetLayerCount();
    for (uint32_t i = 0; i < devices; ++i)
    {
        prefill[i] = costs.GetWorkSeconds(i, costs.GetLayerWork());
        head[i] = costs.GetWorkSeconds(i, costs.GetOutputHeadWork());
        double request = prefill[i];
        for (uint32_t step = 1; step < generated; ++step)
        {
            decode[i].push_back(
                costs.GetWorkSeconds(i, costs.GetDecodeLayerWork(costs.GetTokens() + step)));
            request += decode[i].back();
        }
        problem.layerSeconds.push_back(request);
        uint32_t cap = 0;
        while (cap < problem.layers && costs.GetStageMemoryBytes(cap + 1) <= available[i])
        {
            ++cap;
        }
        problem.capacity.push_back(cap);
    }
    const double steps = generated > 0 ? generated - 1 : 0;
    problem.hopSeconds = hop(costs.GetTokens() * tokenBytes) + steps * hop(tokenBytes);
    problem.loopSeconds = steps * hop(GalaxyGraphBuilder::TOKEN_ID_BYTES);
    const LayerPartitionPlanner::Partition partition = LayerPartitionPlanner::Solve(problem);
    if (!partition.IsFeasible())
    {
        return false;
    }
    planned.stageLayers = partition.layers;
    // the same sums, split into the prefill and each decode step
    uint32_t stages = 0;
    uint32_t last = 0;
    double prefillSeconds = 0;
    std::vector<double> stepSeconds(steps, 0);
    for (uint32_t i = 0; i < devices; ++i)
    {
        const uint32_t n = partition.layers[i];
        stages += n > 0 ? 1 : 0;
        last = n > 0 ? i : last;
        prefillSeconds += n * prefill[i];
        for (size_t j = 0; j < stepSeconds.size(); ++j)
        {
            stepSeconds[j] += n * decode[i][j];
        }
    }
    prefillSeconds += (stages - 1) * hop(costs.GetTokens() * tokenBytes);
    planned.predictedSeconds = prefillSeconds;
    if (generated > 0)
    {
        planned.predictedFirstToken = prefillSeconds + head[last];
        planned.predictedSeconds = planned.predictedFirstToken;
        for (double& seconds : stepSeconds)
        {
            seconds += (stages - 1) * hop(tokenBytes) + head[last] +
                       (stages > 1 ? hop(GalaxyGraphBuilder::TOKEN_ID_BYTES) : 0);
            planned.predictedSeconds += seconds;
        }
        planned.predictedPerToken =
            steps > 0 ? (planned.predictedSeconds - planned.predictedFirstToken) / steps : 0;
    }
    return true;
}

/**
 * \param costs the costs
 * \param plan a feasible plan
 * \param prefillSeconds the prefill's time
 * \return the request's time: the prefill, and when generating the first token's output head
 * and every decode step
 */
double
RequestSeconds(const GalaxyCostModel& costs, const GalaxyPlan& plan, double prefillSeconds)
{
    if (costs.GetGeneratedTokens() == 0)
    {
        return prefillSeconds;
    }
    double seconds = prefillSeconds + costs.GetOutputHeadSeconds(plan);
    for (uint32_t step = 1; step < costs.GetGeneratedTokens(); ++step)
    {
        seconds += costs.GetDecodeStepSeconds(plan, costs.GetTokens() + step);
    }
    return seconds;
}

/**
 * The prefill with tile-based overlap on both sides, which the planner's formula does not
 * price: the fused graph of two and of three layers timed, and every further layer costing the
 * third's (the layers are identical; the first and the last differ only at the ends).
 * \param two the costs of the model cut to two layers (prefill only)
 * \param three the same cut to three layers
 * \param layers the model's layers
 * \param plan a feasible plan
 * \param timer times a graph as the planner prices transfers
 * \param devices devices of the graph
 * \return seconds
 */
double
OverlappedPrefillSeconds(const GalaxyCostModel& two,
                         const GalaxyCostModel& three,
                         uint32_t layers,
                         const GalaxyPlan& plan,
                         const TaskGraphTimer& timer,
                         uint32_t devices)
{
    const double twoLayers =
        timer.GetMakespan(*GalaxyGraphBuilder::Build(two, plan, devices, GalaxyOverlap::BOTH))
            .GetSeconds();
    const double threeLayers =
        timer.GetMakespan(*GalaxyGraphBuilder::Build(three, plan, devices, GalaxyOverlap::BOTH))
            .GetSeconds();
    return twoLayers + (static_cast<double>(layers) - 2) * (threeLayers - twoLayers);
}

/**
 * Read a request trace: one arrival time in seconds per line, non-decreasing; blank lines and
 * lines starting with # are skipped.
 * \param path the file
 * \param[out] arrivals the times
 * \return "" or the problem, naming the file, the line and the value
 */
std::string
ReadArrivals(const std::string& path, std::vector<double>& arrivals)
{
    arrivals.clear();
    std::ifstream in(path);
    if (!in)
    {
        return "RequestTrace='" + path + "' cannot be opened";
    }
    std::string line;
    for (uint32_t number = 1; std::getline(in, line); ++number)
    {
        const size_t first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#')
        {
            continue;
        }
        const std::string text = line.substr(first, line.find_last_not_of(" \t\r") + 1 - first);
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        const double previous = arrivals.empty() ? 0 : arrivals.back();
        if (end == text.c_str() || *end != '\0' || !std::isfinite(value) || value < previous)
        {
            std::ostringstream out;
            out << "RequestTrace='" << path << "' line " << number << ": '" << text
                << "' is invalid: each line an arrival time in seconds, from 0, never decreasing";
            return out.str();
        }
        arrivals.push_back(value);
    }
    if (arrivals.empty())
    {
        return "RequestTrace='" + path + "' has no arrival time";
    }
    return "";
}

/// the arrivals' random stream: fixed, so that only the seed and run number move the draws
constexpr int64_t ARRIVAL_STREAM = 1000013;

/**
 * \param label a compute task's label
 * \param[out] token the generated token's index when the task is an output head
 * \return true when it is
 */
bool
ParseTokenLabel(const std::string& label, uint32_t& token)
{
    const std::string prefix = GalaxyGraphBuilder::TOKEN_LABEL;
    if (label.compare(0, prefix.size(), prefix) != 0)
    {
        return false;
    }
    token = static_cast<uint32_t>(std::stoul(label.substr(prefix.size())));
    return true;
}

/**
 * \param tokens per generated token: when the last member had it (s from the start)
 * \param[out] firstToken the first token's time
 * \param[out] perToken the mean gap between the later tokens (0 with one token)
 */
void
SummarizeTokens(const std::vector<double>& tokens, double& firstToken, double& perToken)
{
    firstToken = tokens.empty() ? 0 : tokens.front();
    perToken = tokens.size() > 1 ? (tokens.back() - tokens.front()) / (tokens.size() - 1) : 0;
}

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
                          "tensor parallelism), sequence (sequence parallelism: every device "
                          "holds every weight and an equal share of the tokens, an AllGather of "
                          "keys and values per layer; prefill only) or single (the fastest "
                          "device that holds the model, alone).",
                          StringValue("galaxy"),
                          MakeStringAccessor(&GalaxyStrategy::m_split),
                          MakeStringChecker())
            .AddAttribute("TileOverlap",
                          "Split=galaxy: fuse each ReduceScatter with the GEMM before it and each "
                          "AllGather with the row-wise GEMM after it, chunk by chunk, so that "
                          "computation overlaps the transfers (Galaxy's tile-based overlap, both "
                          "sides); the prediction is then the round's task graph timed at the "
                          "planner's rate and delay.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GalaxyStrategy::m_overlap),
                          MakeBooleanChecker())
            .AddAttribute("ColumnGranule",
                          "FFN columns per unit of the split; must divide the FFN size.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&GalaxyStrategy::m_granule),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("GeneratedTokens",
                          "Tokens each request generates after its prompt (0: the prefill only). "
                          "The model must be a decoder with an LM head, and the prompt plus "
                          "the tokens must fit its positions.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&GalaxyStrategy::m_generated),
                          MakeUintegerChecker<uint32_t>(0, 65536))
            .AddAttribute("RequestRate",
                          "Requests per second of a Poisson arrival process (one request a "
                          "round, served in arrival order); 0: each request arrives when the "
                          "previous one completes.",
                          DoubleValue(0),
                          MakeDoubleAccessor(&GalaxyStrategy::m_requestRate),
                          MakeDoubleChecker<double>(0, 1e6))
            .AddAttribute("RequestTrace",
                          "A file of request arrival times (seconds, one per line, never "
                          "decreasing; # starts a comment), one request a round, instead of "
                          "RequestRate's Poisson process; empty: none.",
                          StringValue(""),
                          MakeStringAccessor(&GalaxyStrategy::m_requestTrace),
                          MakeStringChecker())
            .AddTraceSource("Planned",
                            "A round's split, once planned (heads, FFN units and tokens per "
                            "device): what a LibTorch engine computes with.",
                            MakeTraceSourceAccessor(&GalaxyStrategy::m_planned),
                            "ns3::edgellm::GalaxyStrategy::PlannedCallback");
    return tid;
}

GalaxyStrategy::GalaxyStrategy() = default;
GalaxyStrategy::~GalaxyStrategy() = default;

std::string
GalaxyStrategy::Configure(const Fleet& fleet, const Workload& workload)
{
    if (m_split != "galaxy" && m_split != "even" && m_split != "single" && m_split != "sequence" &&
        m_split != "pipeline")
    {
        return "Galaxy: Split=" + m_split +
               " is not allowed; galaxy, even, sequence, pipeline or single";
    }
    if (m_split == "sequence" && m_generated > 0)
    {
        return "Galaxy: Split=sequence with GeneratedTokens=" + std::to_string(m_generated) +
               " is not allowed: a decode step has one token, nothing for sequence "
               "parallelism to split; use GeneratedTokens=0 or another Split";
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
                                     GalaxyCollectiveLink{true, 1, 0},
                                     m_generated);
    if (!problem.empty())
    {
        return "Galaxy: " + problem;
    }
    if (!std::isfinite(m_requestRate))
    {
        std::ostringstream out;
        out << "Galaxy: RequestRate=" << m_requestRate
            << " is invalid; allowed: 0 (back to back) or a finite positive rate";
        return out.str();
    }
    m_arrivals.clear();
    if (!m_requestTrace.empty())
    {
        if (m_requestRate > 0)
        {
            return "Galaxy: RequestTrace and RequestRate are both set; allowed: one of them";
        }
        problem = ReadArrivals(m_requestTrace, m_arrivals);
        if (!problem.empty())
        {
            return "Galaxy: " + problem;
        }
    }
    m_served = 0;
    m_interArrival = CreateObject<ExponentialRandomVariable>();
    m_interArrival->SetAttribute("Mean", DoubleValue(m_requestRate > 0 ? 1 / m_requestRate : 1));
    m_interArrival->SetStream(ARRIVAL_STREAM);
    m_lastArrival = 0;
    m_lastDeparture = 0;
    return "";
}

std::string
GalaxyStrategy::Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan)
{
    if (!m_arrivals.empty() && round >= m_arrivals.size())
    {
        std::ostringstream out;
        out << "Galaxy: RequestTrace='" << m_requestTrace << "' has " << m_arrivals.size()
            << " requests; round " << round << " has none (run at most " << m_arrivals.size()
            << " rounds)";
        return out.str();
    }
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
                                                       link,
                                                       m_generated);
    const GalaxyCostModel& costs = *planned->costs;
    GalaxyPlan& split = planned->split;
    if (m_split == "pipeline")
    {
        std::vector<uint64_t> available;
        for (const DeviceProfile& profile : m_profiles)
        {
            available.push_back(profile.GetAvailableMemoryBytes());
        }
        if (!PlanLayerPipeline(costs, available, *planned))
        {
            return "Galaxy: out of memory: no pipeline split of " + GetWorkload().spec.name +
                   " fits the devices";
        }
        NS_LOG_INFO("Galaxy pipeline: " << planned->stageLayers.size() << " devices, predicted "
                                        << planned->predictedSeconds << " s");
        plan = planned;
        return "";
    }
    if (m_split == "galaxy" && m_overlap && costs.GetLayerCount() > 3)
    {
        // the ring that is best once overlapped (overlap hides a ring's transfers, which can
        // favour more members); each ring keeps the planner's split
        const TaskGraphTimer timer = MakeTimer(link);
        TransformerSpec cut = GetWorkload().spec;
        std::vector<std::shared_ptr<GalaxyCostModel>> models;
        for (uint32_t layers : {2u, 3u})
        {
            (cut.decoderLayers > 0 ? cut.decoderLayers : cut.encoderLayers) = layers;
            models.push_back(std::make_shared<GalaxyCostModel>(cut,
                                                               GetWorkload().recipe.dtype,
                                                               m_granule,
                                                               m_profiles,
                                                               GetComputeModel(),
                                                               link));
        }
        const uint32_t graphDevices = GetFleet().GetNodeNames().size();
        uint64_t checks = 0;
        split = GalaxyPlanner::Solve(costs,
                                     checks,
                                     GalaxyPlanner::MAX_ENUMERATED,
                                     [&](const GalaxyPlan& candidate) {
                                         const double prefill =
                                             OverlappedPrefillSeconds(*models[0],
                                                                      *models[1],
                                                                      costs.GetLayerCount(),
                                                                      candidate,
                                                                      timer,
                                                                      graphDevices);
                                         return RequestSeconds(costs, candidate, prefill);
                                     });
    }
    else if (m_split == "galaxy")
    {
        // a decode step's collectives cost per ring member whatever the split (one token's
        // state, latency-bound): with tokens to generate the ring is chosen for the request
        uint64_t checks = 0;
        split = GalaxyPlanner::Solve(costs,
                                     checks,
                                     GalaxyPlanner::MAX_ENUMERATED,
                                     [&costs](const GalaxyPlan& candidate) {
                                         return RequestSeconds(costs,
                                                               candidate,
                                                               candidate.layerSeconds *
                                                                   costs.GetLayerCount());
                                     });
    }
    else if (m_split == "sequence")
    {
        // every device holds every weight and an even share of the tokens
        split.heads.assign(devices, 0);
        split.units.assign(devices, 0);
        split.tokens = Even(costs.GetTokens(), devices);
        split.layerSeconds = costs.GetSequenceLayerSeconds(split.tokens);
        for (uint32_t i = 0; i < devices; ++i)
        {
            if (split.tokens[i] == 0 || costs.GetSequenceMemoryBytes(split.tokens[i]) >
                                            m_profiles[i].GetAvailableMemoryBytes())
            {
                split.layerSeconds = std::numeric_limits<double>::infinity();
            }
        }
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
    m_planned(split);
    planned->predictedSeconds = split.layerSeconds * costs.GetLayerCount();
    if (m_generated > 0)
    {
        planned->predictedFirstToken =
            planned->predictedSeconds + costs.GetOutputHeadSeconds(split);
        double decode = 0;
        for (uint32_t step = 1; step < m_generated; ++step)
        {
            decode += costs.GetDecodeStepSeconds(split, costs.GetTokens() + step);
        }
        planned->predictedPerToken = m_generated > 1 ? decode / (m_generated - 1) : 0;
        planned->predictedSeconds = planned->predictedFirstToken + decode;
    }
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
    if (m_split == "pipeline")
    {
        return GalaxyGraphBuilder::BuildLayerPipeline(*planned->costs,
                                                      planned->stageLayers,
                                                      GetFleet().GetNodeNames().size());
    }
    if (m_split == "sequence")
    {
        return GalaxyGraphBuilder::BuildSequenceParallel(*planned->costs,
                                                         planned->split.tokens,
                                                         GetFleet().GetNodeNames().size());
    }
    return GalaxyGraphBuilder::Build(*planned->costs,
                                     planned->split,
                                     GetFleet().GetNodeNames().size(),
                                     m_split == "galaxy" && m_overlap ? GalaxyOverlap::BOTH
                                                                      : GalaxyOverlap::NONE);
}

double
GalaxyStrategy::PredictRound(uint32_t /* round */,
                             NetworkState& /* network */,
                             Ptr<const RoundPlan> plan,
                             const TaskGraph& graph)
{
    if (!(m_split == "galaxy" && m_overlap) && m_split != "sequence")
    {
        return plan->predictedSeconds;
    }
    // the planner's formula has no overlap, and sequence parallelism's bound waits for the
    // slowest member at every step (+25% on a Nano beside a TX2): time the graph itself, with
    // the rate and the per-message delay the plan used
    Ptr<const GalaxyRoundPlan> planned = DynamicCast<const GalaxyRoundPlan>(plan);
    NS_ABORT_MSG_IF(!planned, "GalaxyStrategy: PredictRound takes the plan Plan made");
    const TaskGraphTimer timer = MakeTimer(planned->link);
    TaskGraphSchedule schedule;
    const std::string problem = timer.Run(graph, schedule);
    NS_ABORT_MSG_IF(!problem.empty(), "GalaxyStrategy: its graph does not time: " << problem);
    if (m_generated > 0)
    {
        std::vector<double> tokens(m_generated, 0);
        for (uint32_t id = 0; id < graph.GetTaskCount(); ++id)
        {
            uint32_t token = 0;
            if (graph.IsCompute(id) && ParseTokenLabel(graph.GetCompute(id).label, token))
            {
                tokens[token] = std::max(tokens[token], schedule.end[id].GetSeconds());
            }
        }
        SummarizeTokens(tokens, planned->predictedFirstToken, planned->predictedPerToken);
    }
    return schedule.makespan.GetSeconds();
}

TaskGraphTimer
GalaxyStrategy::MakeTimer(const GalaxyCollectiveLink& link) const
{
    TaskGraphTimer timer(
        GetComputeTime(),
        TaskGraphTimer::LinkTransferTime(link.rateBps, Seconds(link.latencySeconds)));
    if (link.sharedChannel)
    {
        const double secondsPerByte = 8.0 / link.rateBps;
        timer.SetSharedChannel([secondsPerByte](const TransferTask&) { return secondsPerByte; });
    }
    return timer;
}

void
GalaxyStrategy::Observe(const RoundObservation& observation, RoundRecord& record)
{
    Ptr<const GalaxyRoundPlan> planned = DynamicCast<const GalaxyRoundPlan>(observation.plan);
    NS_ABORT_MSG_IF(!planned, "GalaxyStrategy: Observe takes the plan Plan made");
    record.predictedSeconds = planned->predictedSeconds;
    record.samples = 1;
    record.phase = m_generated > 0 ? "generate" : "prefill";
    record.phasePredictedSeconds = planned->predictedSeconds;
    record.phaseSeconds = record.latencySeconds;

    // the request: its arrival, its wait behind the previous ones (Lindley), its tokens
    double arrival = m_lastDeparture; // closed loop: when the previous request completed
    if (!m_arrivals.empty())
    {
        arrival = m_arrivals[std::min<size_t>(m_served, m_arrivals.size() - 1)];
    }
    else if (m_requestRate > 0)
    {
        arrival = m_lastArrival + m_interArrival->GetValue();
    }
    ++m_served;
    record.arrivalSeconds = arrival;
    record.queueSeconds = std::max(0.0, m_lastDeparture - arrival);
    m_lastArrival = arrival;
    m_lastDeparture = arrival + record.queueSeconds + record.latencySeconds;
    record.generatedTokens = m_generated;
    if (m_generated > 0)
    {
        std::vector<double> tokens(m_generated, 0);
        const double start = observation.stats.start.GetSeconds();
        for (const TaskRecord& task : observation.tasks)
        {
            uint32_t token = 0;
            if (task.IsCompute() && ParseTokenLabel(task.label, token) && token < m_generated)
            {
                tokens[token] = std::max(tokens[token], task.end.GetSeconds() - start);
            }
        }
        SummarizeTokens(tokens, record.firstTokenSeconds, record.perTokenSeconds);
        record.firstTokenSeconds += record.queueSeconds;
        record.tokenSeconds = tokens;
        record.promptTokens = planned->costs->GetTokens();
        record.predictedFirstTokenSeconds = planned->predictedFirstToken;
        record.predictedPerTokenSeconds = planned->predictedPerToken;
    }
    const GalaxyPlan& split = planned->split;
    const GalaxyCostModel& costs = *planned->costs;
    const uint32_t context = costs.GetTokens() + (m_generated > 0 ? m_generated - 1 : 0);
    for (uint32_t i = 0; i < planned->stageLayers.size(); ++i)
    {
        const uint32_t layers = planned->stageLayers[i];
        const uint32_t node = GetFleet().GetDeviceNode(0, i);
        const uint64_t memory = layers > 0 ? costs.GetStageMemoryBytes(layers) : 0;
        record.maxMemoryBytes = std::max(record.maxMemoryBytes, memory);
        if (node < record.devices.size())
        {
            record.devices[node].memoryBytes = memory;
            record.devices[node].blocks = layers;
            record.devices[node].kvCacheBytes =
                m_generated > 0 ? costs.GetKvCacheBytes(costs.GetHeads(), context) /
                                      costs.GetLayerCount() * layers
                                : 0;
        }
    }
    for (uint32_t i = 0; i < split.heads.size(); ++i)
    {
        uint64_t memory = 0;
        if (split.tokens[i] > 0)
        {
            memory = m_split == "sequence"
                         ? planned->costs->GetSequenceMemoryBytes(split.tokens[i])
                         : planned->costs->GetMemoryBytes(split.heads[i], split.units[i]);
        }
        record.maxMemoryBytes = std::max(record.maxMemoryBytes, memory);
        const uint32_t node = GetFleet().GetDeviceNode(0, i);
        if (node < record.devices.size())
        {
            record.devices[node].memoryBytes = memory;
            record.devices[node].kvCacheBytes =
                split.tokens[i] > 0 && m_generated > 0
                    ? planned->costs->GetKvCacheBytes(split.heads[i],
                                                      planned->costs->GetTokens() + m_generated - 1)
                    : 0;
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
