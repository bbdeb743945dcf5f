/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-training-strategy.h"

#include "pac-graph-builder.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPacTrainingStrategy");
NS_OBJECT_ENSURE_REGISTERED(PacTrainingStrategy);

namespace
{
/// the most tasks a round's graph may have (a few hundred MB of graph and records)
constexpr uint64_t MAX_ROUND_TASKS = 2000000;
} // namespace

TypeId
PacTrainingStrategy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PacTrainingStrategy")
            .SetParent<Strategy>()
            .SetGroupName("EdgeLlm")
            .AddAttribute("TrainingSamples",
                          "Samples of the training set: one round (epoch) is "
                          "ceil(TrainingSamples / batch) steps (GLUE MRPC: 3668).",
                          UintegerValue(3668),
                          MakeUintegerAccessor(&PacTrainingStrategy::m_trainingSamples),
                          MakeUintegerChecker<uint64_t>(1, 100000000))
            .AddAttribute("SimulatedSteps",
                          "Steps each round simulates (0: every step of the epoch); the "
                          "epoch's time is theirs scaled to the epoch's steps.",
                          UintegerValue(2),
                          MakeUintegerAccessor(&PacTrainingStrategy::m_simulatedSteps),
                          MakeUintegerChecker<uint32_t>(0, 100000))
            .AddAttribute("UsableMemoryFraction",
                          "Share of a device's available memory (after its runtime reserve) "
                          "the model's tensors may use.",
                          DoubleValue(0.9),
                          MakeDoubleAccessor(&PacTrainingStrategy::m_usableMemoryFraction),
                          MakeDoubleChecker<double>(0.01, 1.0))
            .AddAttribute("CacheReadMBps",
                          "Read rate of the storage holding the activation cache (MB/s) on "
                          "every device; 0: each device's storage_read_mb_per_s in the device "
                          "catalog.",
                          DoubleValue(0),
                          MakeDoubleAccessor(&PacTrainingStrategy::m_cacheReadMBps),
                          MakeDoubleChecker<double>(0, 1e6))
            .AddAttribute("CacheWriteMBps",
                          "Write rate of the storage holding the activation cache (MB/s) on "
                          "every device; 0: each device's storage_write_mb_per_s.",
                          DoubleValue(0),
                          MakeDoubleAccessor(&PacTrainingStrategy::m_cacheWriteMBps),
                          MakeDoubleChecker<double>(0, 1e6))
            .AddAttribute("CacheStorageGB",
                          "Storage each device has free for the activation cache (GB, 10^9 "
                          "bytes); 0: each device's storage_gb in the device catalog.",
                          DoubleValue(0),
                          MakeDoubleAccessor(&PacTrainingStrategy::m_cacheStorageGB),
                          MakeDoubleChecker<double>(0, 1e9))
            .AddAttribute("Recipe",
                          "The fine-tuning recipe this system runs (full, adapters, lora, "
                          "parallel-adapters); empty: the workload's. Lets each baseline run "
                          "its own recipe in one study.",
                          StringValue(""),
                          MakeStringAccessor(&PacTrainingStrategy::m_recipe),
                          MakeStringChecker())
            .AddAttribute("MicroBatches",
                          "Micro-batches per step in the epochs that pipeline (a divisor of "
                          "the batch); 0: the planner chooses.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&PacTrainingStrategy::m_microBatches),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Planned",
                            "A round's plan, once made (stages, groups, samples per device, "
                            "micro-batches, steps): what a LibTorch engine computes with.",
                            MakeTraceSourceAccessor(&PacTrainingStrategy::m_planned),
                            "ns3::edgellm::PacTrainingStrategy::PlannedCallback");
    return tid;
}

PacTrainingStrategy::PacTrainingStrategy() = default;
PacTrainingStrategy::~PacTrainingStrategy() = default;

void
PacTrainingStrategy::DoDispose()
{
    m_firstEpoch = nullptr;
    Strategy::DoDispose();
}

bool
PacTrainingStrategy::UsesActivationCache() const
{
    return false;
}

uint64_t
PacTrainingStrategy::GetEpochSteps() const
{
    const uint64_t batch = GetWorkload().batchSize;
    return (m_trainingSamples + batch - 1) / batch;
}

std::string
PacTrainingStrategy::Configure(const Fleet& fleet, const Workload& workload)
{
    Workload own = workload;
    if (!m_recipe.empty())
    {
        const std::string parsed = TrainingRecipe::ParseRecipeKind(m_recipe, own.recipe.kind);
        if (!parsed.empty())
        {
            return GetSystemName() + ": Recipe: " + parsed;
        }
    }
    std::string problem = own.Validate();
    if (!problem.empty())
    {
        return GetSystemName() + ": " + problem;
    }
    problem = Strategy::Configure(fleet, own);
    if (!problem.empty())
    {
        return problem;
    }
    m_nodes.clear();
    m_profiles.clear();
    for (uint32_t g = 0; g < fleet.GetGroupCount(); ++g)
    {
        for (uint32_t i = 0; i < fleet.GetGroupSize(g); ++i)
        {
            m_nodes.push_back(fleet.GetDeviceNode(g, i));
            m_profiles.push_back(fleet.GetProfile(m_nodes.back()));
        }
    }
    if (m_nodes.size() > PacPlannerOptions::MAX_DEVICES)
    {
        std::ostringstream out;
        out << GetSystemName() << ": devices=" << m_nodes.size() << " is not allowed; at most "
            << PacPlannerOptions::MAX_DEVICES << " devices in the pool";
        return out.str();
    }
    if (UsesActivationCache() && own.recipe.kind != RecipeKind::PARALLEL_ADAPTERS)
    {
        return GetSystemName() + ": the activation cache needs recipe=parallel-adapters; recipe=" +
               RecipeKindToString(own.recipe.kind);
    }
    if (m_microBatches != 0 && own.batchSize % m_microBatches != 0)
    {
        std::ostringstream out;
        out << GetSystemName() << ": MicroBatches=" << m_microBatches
            << " does not divide batchSize=" << own.batchSize
            << "; allowed: 0 (the planner chooses) or a divisor of the batch";
        return out.str();
    }
    const PacPlannerOptions options = GetPlannerOptions();
    const uint32_t mostStages = static_cast<uint32_t>(m_nodes.size());
    if (options.minStages > mostStages)
    {
        std::ostringstream out;
        out << GetSystemName() << ": Stages=" << options.minStages << " is not allowed with "
            << mostStages << " devices; allowed: 0 (the planner chooses) or 1 to the device count";
        return out.str();
    }
    PacCostModel probe;
    return MakeCosts(0, 1e9, false, probe);
}

std::string
PacTrainingStrategy::MakeCosts(uint32_t round,
                               double linkBitsPerSecond,
                               bool sharedMedium,
                               PacCostModel& costs) const
{
    PacCostModel::Config config;
    config.workload = GetWorkload();
    config.devices = m_profiles;
    config.computeModel = GetComputeModel();
    config.linkBitsPerSecond = linkBitsPerSecond;
    config.sharedMedium = sharedMedium;
    config.usableMemoryFraction = m_usableMemoryFraction;
    config.cached = UsesActivationCache() && round > 0;
    config.writeCache = UsesActivationCache() && round == 0;
    if (UsesActivationCache())
    {
        // each device's own storage, each figure overridden by its attribute when set
        for (uint32_t d = 0; d < m_profiles.size(); ++d)
        {
            const DeviceProfile& profile = m_profiles[d];
            if (!profile.HasStorage() &&
                (m_cacheReadMBps == 0 || m_cacheWriteMBps == 0 || m_cacheStorageGB == 0))
            {
                return GetSystemName() + ": the activation cache needs device " +
                       std::to_string(d) + "'s storage, but '" + profile.GetName() +
                       "' has no storage_gb, storage_read_mb_per_s and storage_write_mb_per_s "
                       "in the device catalog; set CacheReadMBps, CacheWriteMBps and "
                       "CacheStorageGB";
            }
            ActivationCacheStore store;
            store.readBytesPerSecond =
                m_cacheReadMBps > 0 ? m_cacheReadMBps * 1e6 : profile.GetStorageReadRate();
            store.writeBytesPerSecond =
                m_cacheWriteMBps > 0 ? m_cacheWriteMBps * 1e6 : profile.GetStorageWriteRate();
            store.capacityBytes = m_cacheStorageGB > 0
                                      ? static_cast<uint64_t>(m_cacheStorageGB * 1e9)
                                      : profile.GetStorageBytes();
            config.deviceStores.push_back(store);
        }
    }
    return costs.Configure(config);
}

std::string
PacTrainingStrategy::PlanAt(uint32_t round,
                            double linkBitsPerSecond,
                            bool sharedMedium,
                            Ptr<PacRoundPlan>& plan) const
{
    plan = Create<PacRoundPlan>();
    std::string problem = MakeCosts(round, linkBitsPerSecond, sharedMedium, plan->costs);
    if (!problem.empty())
    {
        return problem;
    }
    plan->cached = plan->costs.GetConfig().cached;
    plan->writeCache = plan->costs.GetConfig().writeCache;
    PacPlannerOptions options = GetPlannerOptions();
    if (plan->cached)
    {
        // pure data parallelism on the cache: one stage, whole micro-batches
        options.minStages = 0;
        options.maxStages = 1;
        options.microBatchOptions = {1};
    }
    else if (m_microBatches != 0)
    {
        options.microBatchOptions = {m_microBatches};
    }
    problem = PacPlanner::Validate(plan->costs, options);
    if (!problem.empty())
    {
        return GetSystemName() + ": " + problem;
    }
    plan->step = PacPlanner::Solve(plan->costs, options);
    if (!plan->step.IsFeasible())
    {
        std::ostringstream out;
        out << GetSystemName() << ": out of memory: no plan of " << GetWorkload().spec.name << " ("
            << RecipeKindToString(GetWorkload().recipe.kind) << ", batch "
            << GetWorkload().batchSize << ") fits the devices' memory (available";
        for (uint32_t d = 0; d < m_profiles.size(); ++d)
        {
            out << (d ? ", " : " ") << m_profiles[d].GetName() << " "
                << plan->costs.GetAvailableBytes(d) / 1048576.0 << " MiB";
        }
        out << ")";
        return out.str();
    }
    // the cache each device writes (first epoch) or reads (cached epochs) must fit its storage
    if (plan->writeCache || plan->cached)
    {
        uint32_t perMicroBatch = 0;
        for (uint32_t n : plan->step.stages.front().samples)
        {
            perMicroBatch += n;
        }
        for (const PacStage& stage : plan->step.stages)
        {
            const uint64_t tap =
                plan->costs.GetCacheBytesPerSample(stage.firstLayer, stage.lastLayer);
            for (size_t i = 0; i < stage.devices.size(); ++i)
            {
                const uint64_t samples =
                    (m_trainingSamples * stage.samples[i] + perMicroBatch - 1) / perMicroBatch;
                const uint64_t bytes = samples * tap;
                const uint64_t capacity = plan->costs.GetStore(stage.devices[i]).capacityBytes;
                if (bytes > capacity)
                {
                    std::ostringstream out;
                    out << GetSystemName() << ": the activation cache does not fit: device "
                        << stage.devices[i] << " (" << m_profiles[stage.devices[i]].GetName()
                        << ") would hold " << bytes / 1e9 << " GB of taps for " << samples
                        << " samples in its " << capacity / 1e9 << " GB of storage ("
                        << (m_cacheStorageGB > 0 ? "CacheStorageGB="
                                                 : "the catalog's storage_gb; "
                                                   "CacheStorageGB=")
                        << m_cacheStorageGB << ")";
                    return out.str();
                }
            }
        }
    }
    const uint64_t epochSteps = GetEpochSteps();
    plan->epochSteps = epochSteps;
    plan->steps = static_cast<uint32_t>(
        m_simulatedSteps == 0 ? epochSteps : std::min<uint64_t>(m_simulatedSteps, epochSteps));
    // a round's graph must stay of a size one process holds: count one step's tasks
    {
        TaskGraph probe(GetFleet().GetNodeCount() + 1);
        std::vector<uint32_t> last(probe.GetDeviceCount(), TaskGraph::NO_TASK);
        PacGraphBuilder::AppendStep(probe, plan->costs, plan->step, m_nodes, 0, last);
        const uint64_t tasks = static_cast<uint64_t>(probe.GetTaskCount()) * plan->steps;
        if (tasks > MAX_ROUND_TASKS)
        {
            std::ostringstream out;
            out << GetSystemName() << ": SimulatedSteps=" << m_simulatedSteps << " would simulate "
                << plan->steps << " steps of " << probe.GetTaskCount() << " tasks (" << tasks
                << " tasks); at most " << MAX_ROUND_TASKS << " tasks a round: simulate at most "
                << MAX_ROUND_TASKS / probe.GetTaskCount()
                << " steps (the epoch's time is scaled from them)";
            return out.str();
        }
    }
    plan->predictedSeconds = plan->step.stepSeconds * plan->steps;
    plan->memoryBytes.assign(m_profiles.size(), 0);
    for (const PacStage& stage : plan->step.stages)
    {
        for (size_t i = 0; i < stage.devices.size(); ++i)
        {
            plan->memoryBytes[stage.devices[i]] =
                plan->costs.GetMemoryBytes(stage.devices[i],
                                           stage.firstLayer,
                                           stage.lastLayer,
                                           stage.samples[i],
                                           stage.inFlight,
                                           plan->step.microBatches);
        }
    }
    return "";
}

std::string
PacTrainingStrategy::Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan)
{
    // one rate for the planner: the harmonic mean of every device pair's rate alone
    double rate = 0;
    const std::string unreachable = GetMeanPairRate(network, m_nodes, rate);
    if (!unreachable.empty())
    {
        return GetSystemName() + ": " + unreachable;
    }
    const bool shared = network.GetKind() != "p2p";
    Ptr<PacRoundPlan> planned;
    const std::string problem = PlanAt(round, rate, shared, planned);
    if (!problem.empty())
    {
        return problem;
    }
    if (planned->writeCache)
    {
        m_firstEpoch = planned;
    }
    else if (planned->cached && round == 1 && m_firstEpoch)
    {
        planned->exchange = PacCacheExchange::Plan(m_firstEpoch->step,
                                                   m_firstEpoch->costs,
                                                   planned->step,
                                                   m_trainingSamples);
        // shared medium: every message in turn; links per pair: the largest message
        double total = 0;
        double largest = 0;
        for (const PacCacheTransfer& transfer : planned->exchange)
        {
            total += 8.0 * transfer.bytes / rate;
            largest = std::max(largest, 8.0 * transfer.bytes / rate);
        }
        planned->exchangeSeconds = shared ? total : largest;
        planned->predictedSeconds += planned->exchangeSeconds;
    }
    NS_LOG_INFO(GetSystemName() << " round " << round << (planned->cached ? " cached" : "") << ": "
                                << planned->step.ToString() << ", rate " << rate / 1e6 << " Mbit/s"
                                << (shared ? " shared" : " per link"));
    m_planned(round, planned);
    plan = planned;
    return "";
}

Ptr<TaskGraph>
PacTrainingStrategy::Build(uint32_t round, Ptr<const RoundPlan> plan)
{
    Ptr<const PacRoundPlan> pac = DynamicCast<const PacRoundPlan>(plan);
    NS_ABORT_MSG_IF(!pac, GetSystemName() << ": Build takes the plan Plan made");
    Ptr<TaskGraph> graph = Create<TaskGraph>(GetFleet().GetNodeNames());
    std::vector<uint32_t> last(graph->GetDeviceCount(), TaskGraph::NO_TASK);
    PacGraphBuilder::AppendCacheExchange(*graph, pac->exchange, m_nodes, last);
    for (uint32_t step = 0; step < pac->steps; ++step)
    {
        PacGraphBuilder::AppendStep(*graph, pac->costs, pac->step, m_nodes, step, last);
    }
    return graph;
}

void
PacTrainingStrategy::Observe(const RoundObservation& observation, RoundRecord& record)
{
    Ptr<const PacRoundPlan> plan = DynamicCast<const PacRoundPlan>(observation.plan);
    NS_ABORT_MSG_IF(!plan, GetSystemName() << ": Observe takes the plan Plan made");
    record.predictedSeconds = plan->predictedSeconds;
    record.microBatches = plan->step.microBatches;
    record.samples = static_cast<uint64_t>(plan->steps) * GetWorkload().batchSize;
    record.phase = plan->cached ? "cached" : plan->writeCache ? "pipeline+cache" : "pipeline";
    // the exchange runs once; the steps after it stand for the epoch's
    double exchangeEnd = 0;
    for (const TaskRecord& task : observation.tasks)
    {
        if (task.label.rfind("cache-exchange", 0) == 0)
        {
            exchangeEnd = std::max(exchangeEnd, (task.end - observation.stats.start).GetSeconds());
        }
    }
    record.phaseSeconds = plan->steps ? exchangeEnd + (record.latencySeconds - exchangeEnd) *
                                                          plan->epochSteps / plan->steps
                                      : 0.0;
    uint64_t exchanged = 0;
    for (const PacCacheTransfer& transfer : plan->exchange)
    {
        exchanged += transfer.bytes;
    }
    const uint64_t stepBytes = record.bytes - std::min(exchanged, record.bytes);
    record.phaseBytes = exchanged + (plan->steps ? stepBytes / plan->steps * plan->epochSteps : 0);
    for (const PacStage& stage : plan->step.stages)
    {
        for (uint32_t device : stage.devices)
        {
            const uint32_t node = m_nodes[device];
            if (node < record.devices.size())
            {
                record.devices[node].blocks = stage.lastLayer - stage.firstLayer + 1;
            }
            record.maxMemoryBytes = std::max(record.maxMemoryBytes, plan->memoryBytes[device]);
        }
    }
}

} // namespace edgellm
} // namespace ns3
