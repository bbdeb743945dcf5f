/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-planner.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <sstream>
#include <unordered_map>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPacPlanner");

namespace
{

/// One plan of a suffix: its two cost terms and where it came from.
struct Label
{
    double bottleneck;  //!< largest stage or boundary time so far
    double additive;    //!< sum of stage, boundary and synchronisation times so far
    uint32_t fromLayer; //!< the suffix it extends starts here (= layer count: none)
    uint32_t fromMask;  //!< devices of that suffix (its code)
    uint32_t fromIndex; //!< its label's index there
};

/// Keep the labels no other label beats in both terms (ties: the first kept).
void
KeepPareto(std::vector<Label>& labels)
{
    std::stable_sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) {
        return a.bottleneck < b.bottleneck ||
               (a.bottleneck == b.bottleneck && a.additive < b.additive);
    });
    std::vector<Label> kept;
    double bestAdditive = std::numeric_limits<double>::infinity();
    for (const Label& label : labels)
    {
        if (label.additive < bestAdditive)
        {
            kept.push_back(label);
            bestAdditive = label.additive;
        }
    }
    labels.swap(kept);
}

} // namespace

std::string
PacPlanner::Validate(const PacPlanningProblem& problem, const PacPlannerOptions& options)
{
    std::ostringstream out;
    if (problem.GetLayerCount() == 0)
    {
        return "PAC planner: the model has no layer to split";
    }
    if (problem.GetDeviceCount() == 0 || problem.GetDeviceCount() > PacPlannerOptions::MAX_DEVICES)
    {
        out << "PAC planner: devices=" << problem.GetDeviceCount() << " is not allowed; 1 to "
            << PacPlannerOptions::MAX_DEVICES
            << " devices (the dynamic program grows as 3^devices)";
        return out.str();
    }
    if (problem.GetBatchSize() == 0)
    {
        return "PAC planner: batchSize=0 is not allowed; at least 1 sample per step";
    }
    const uint32_t mostStages = std::min(problem.GetLayerCount(), problem.GetDeviceCount());
    if (options.minStages > mostStages ||
        (options.maxStages != 0 && options.minStages > options.maxStages))
    {
        out << "PAC planner: stages=" << options.minStages << " is not allowed; 1 to "
            << (options.maxStages ? std::min(options.maxStages, mostStages) : mostStages)
            << " (at most one stage per layer and per device"
            << (options.maxStages ? ", and this system's limit" : "") << ")";
        return out.str();
    }
    for (uint32_t m : options.microBatchOptions)
    {
        if (m == 0 || problem.GetBatchSize() % m != 0)
        {
            out << "PAC planner: microBatches=" << m
                << " does not divide batchSize=" << problem.GetBatchSize()
                << "; allowed: its divisors";
            return out.str();
        }
    }
    return "";
}

std::vector<uint32_t>
PacPlanner::GetMicroBatchCounts(uint32_t batchSize, const PacPlannerOptions& options)
{
    std::vector<uint32_t> counts = options.microBatchOptions;
    if (counts.empty())
    {
        for (uint32_t m = 1; m <= batchSize; ++m)
        {
            if (batchSize % m == 0)
            {
                counts.push_back(m);
            }
        }
    }
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    return counts;
}

bool
PacPlanner::EvaluateStage(const PacPlanningProblem& problem,
                          uint32_t first,
                          uint32_t last,
                          const std::vector<uint32_t>& devices,
                          uint32_t samples,
                          uint32_t inFlight,
                          uint32_t microBatches,
                          PacStage& stage)
{
    stage = PacStage();
    stage.firstLayer = first;
    stage.lastLayer = last;
    stage.devices = devices;
    stage.inFlight = inFlight;
    if (devices.empty() || samples < devices.size())
    {
        return false;
    }
    std::vector<uint32_t> share(devices.size(), 1);
    std::vector<double> time(devices.size());
    for (size_t i = 0; i < devices.size(); ++i)
    {
        if (!problem.Fits(devices[i], first, last, 1, inFlight, microBatches))
        {
            return false;
        }
        time[i] = problem.GetComputeSeconds(devices[i], first, last, 1);
    }
    for (uint32_t left = samples - static_cast<uint32_t>(devices.size()); left > 0; --left)
    {
        // the next sample to the device that is done with it first, among those that hold it
        size_t best = devices.size();
        double bestTime = std::numeric_limits<double>::infinity();
        for (size_t i = 0; i < devices.size(); ++i)
        {
            if (!problem.Fits(devices[i], first, last, share[i] + 1, inFlight, microBatches))
            {
                continue;
            }
            const double t = problem.GetComputeSeconds(devices[i], first, last, share[i] + 1);
            if (t < bestTime)
            {
                best = i;
                bestTime = t;
            }
        }
        if (best == devices.size())
        {
            return false;
        }
        ++share[best];
        time[best] = bestTime;
    }
    stage.samples = share;
    stage.computeSeconds = *std::max_element(time.begin(), time.end());
    stage.syncSeconds = problem.GetSyncSeconds(first, last, static_cast<uint32_t>(devices.size()));
    return true;
}

double
PacPlanner::GetStepSeconds(const PacPlan& plan)
{
    if (!plan.IsFeasible())
    {
        return std::numeric_limits<double>::infinity();
    }
    double sum = 0;
    double bottleneck = 0;
    for (size_t s = 0; s < plan.stages.size(); ++s)
    {
        const PacStage& stage = plan.stages[s];
        sum += stage.computeSeconds + stage.syncSeconds;
        bottleneck = std::max(bottleneck, stage.computeSeconds);
        if (s + 1 < plan.stages.size())
        {
            sum += stage.boundarySeconds;
            bottleneck = std::max(bottleneck, stage.boundarySeconds);
        }
    }
    return sum + (plan.microBatches - 1.0) * bottleneck;
}

PacPlan
PacPlanner::Solve(const PacPlanningProblem& problem, const PacPlannerOptions& options)
{
    const std::string problemText = Validate(problem, options);
    NS_ABORT_MSG_IF(!problemText.empty(), problemText);
    const uint32_t layers = problem.GetLayerCount();
    const uint32_t devices = problem.GetDeviceCount();
    const uint32_t batch = problem.GetBatchSize();
    const uint32_t maxStages = options.maxStages ? options.maxStages : layers;
    const uint32_t maxGroup = options.maxGroupSize ? options.maxGroupSize : devices;

    // Interchangeable devices (one class) are counted, not named: a set of devices is a
    // count per class, coded in mixed radix, and a plan names its devices at the end.
    std::vector<std::vector<uint32_t>> members; // per class, its devices ascending
    {
        std::vector<uint32_t> classIds;
        for (uint32_t d = 0; d < devices; ++d)
        {
            const uint32_t id = problem.GetDeviceClass(d);
            auto found = std::find(classIds.begin(), classIds.end(), id);
            if (found == classIds.end())
            {
                classIds.push_back(id);
                members.emplace_back();
                found = classIds.end() - 1;
            }
            members[found - classIds.begin()].push_back(d);
        }
    }
    const uint32_t classes = static_cast<uint32_t>(members.size());
    std::vector<uint32_t> stride(classes + 1, 1);
    for (uint32_t c = 0; c < classes; ++c)
    {
        stride[c + 1] = stride[c] * (static_cast<uint32_t>(members[c].size()) + 1);
    }
    const uint32_t codes = stride[classes];
    const uint32_t all = codes - 1; // every device of every class
    auto count = [&](uint32_t code, uint32_t c) {
        return code / stride[c] % (stride[c + 1] / stride[c]);
    };
    auto size = [&](uint32_t code) {
        uint32_t n = 0;
        for (uint32_t c = 0; c < classes; ++c)
        {
            n += count(code, c);
        }
        return n;
    };
    // the devices standing for a group: the first ones of each class
    auto groupDevices = [&](uint32_t code) {
        std::vector<uint32_t> group;
        for (uint32_t c = 0; c < classes; ++c)
        {
            for (uint32_t i = 0; i < count(code, c); ++i)
            {
                group.push_back(members[c][i]);
            }
        }
        std::sort(group.begin(), group.end());
        return group;
    };
    // every non-empty sub-multiset of a code's complement
    auto groupsOf = [&](uint32_t used) {
        std::vector<uint32_t> groups;
        std::vector<uint32_t> free(classes);
        for (uint32_t c = 0; c < classes; ++c)
        {
            free[c] = static_cast<uint32_t>(members[c].size()) - count(used, c);
        }
        std::vector<uint32_t> digit(classes, 0);
        while (true)
        {
            uint32_t c = 0;
            while (c < classes && digit[c] == free[c])
            {
                digit[c] = 0;
                ++c;
            }
            if (c == classes)
            {
                break;
            }
            ++digit[c];
            uint32_t code = 0;
            for (uint32_t k = 0; k < classes; ++k)
            {
                code += digit[k] * stride[k];
            }
            groups.push_back(code);
        }
        return groups;
    };
    std::vector<std::vector<uint32_t>> groupsCache(codes);
    std::vector<bool> groupsKnown(codes, false);

    PacPlan best;
    double bestObjective = std::numeric_limits<double>::infinity();
    for (uint32_t m : GetMicroBatchCounts(batch, options))
    {
        const uint32_t samples = batch / m;
        // state (first layer of the suffix, devices, stages) -> its labels
        const uint32_t stageSlots = std::min(maxStages, devices) + 1;
        auto index = [&](uint32_t layer, uint32_t code, uint32_t stages) {
            return (static_cast<size_t>(layer) * codes + code) * stageSlots + stages;
        };
        std::vector<std::vector<Label>> states(static_cast<size_t>(layers + 1) * codes *
                                               stageSlots);
        states[index(layers, 0, 0)].push_back(
            Label{0, 0, layers, 0, std::numeric_limits<uint32_t>::max()});
        // a stage's compute time (negative: does not fit) and synchronisation, asked once
        std::unordered_map<uint64_t, std::pair<double, double>> stageCost;
        auto costStage = [&](uint32_t first, uint32_t last, uint32_t group, uint32_t inFlight) {
            const uint64_t key =
                ((static_cast<uint64_t>(first) * layers + last) * codes + group) * (devices + 1) +
                inFlight;
            auto found = stageCost.find(key);
            if (found == stageCost.end())
            {
                PacStage stage;
                const bool fits = EvaluateStage(problem,
                                                first,
                                                last,
                                                groupDevices(group),
                                                samples,
                                                inFlight,
                                                m,
                                                stage);
                found = stageCost
                            .emplace(key,
                                     std::make_pair(fits ? stage.computeSeconds : -1.0,
                                                    stage.syncSeconds))
                            .first;
            }
            return found->second;
        };
        for (uint32_t l = layers; l >= 1; --l)
        {
            for (uint32_t used = 0; used < codes; ++used)
            {
                for (uint32_t r = 0; r + 1 < stageSlots; ++r)
                {
                    std::vector<Label>& labels = states[index(l, used, r)];
                    if (labels.empty())
                    {
                        continue;
                    }
                    if (l < layers)
                    {
                        KeepPareto(labels);
                    }
                    if (!groupsKnown[used])
                    {
                        groupsCache[used] = groupsOf(used);
                        groupsKnown[used] = true;
                    }
                    const uint32_t inFlight = std::min(m, r + 1);
                    const double boundary =
                        l < layers ? problem.GetBoundarySeconds(l - 1, samples) : 0.0;
                    for (uint32_t group : groupsCache[used])
                    {
                        const uint32_t groupSize = size(group);
                        if (groupSize > maxGroup || groupSize > samples)
                        {
                            continue;
                        }
                        for (uint32_t first = 0; first < l; ++first)
                        {
                            const auto [time, sync] = costStage(first, l - 1, group, inFlight);
                            if (time < 0)
                            {
                                continue;
                            }
                            std::vector<Label>& target = states[index(first, used + group, r + 1)];
                            for (uint32_t i = 0; i < labels.size(); ++i)
                            {
                                const Label& from = labels[i];
                                target.push_back(Label{std::max({from.bottleneck, time, boundary}),
                                                       from.additive + time + boundary + sync,
                                                       l,
                                                       used,
                                                       i});
                            }
                        }
                    }
                }
            }
        }
        // complete plans start at layer 0
        uint32_t bestCode = 0;
        uint32_t bestStages = 0;
        uint32_t bestLabel = 0;
        double objective = std::numeric_limits<double>::infinity();
        for (uint32_t code = 1; code < codes; ++code)
        {
            if (options.useAllDevices && code != all)
            {
                continue;
            }
            for (uint32_t r = std::max(1U, options.minStages); r < stageSlots; ++r)
            {
                std::vector<Label>& labels = states[index(0, code, r)];
                KeepPareto(labels);
                for (uint32_t i = 0; i < labels.size(); ++i)
                {
                    const double value = labels[i].additive + (m - 1.0) * labels[i].bottleneck;
                    if (value < objective)
                    {
                        objective = value;
                        bestCode = code;
                        bestStages = r;
                        bestLabel = i;
                    }
                }
            }
        }
        if (!(objective < bestObjective))
        {
            continue;
        }
        // follow the labels back to the stages, naming each class's devices in turn
        PacPlan plan;
        plan.microBatches = m;
        std::vector<uint32_t> nextMember(classes, 0);
        uint32_t layer = 0;
        uint32_t code = bestCode;
        uint32_t stages = bestStages;
        uint32_t labelIndex = bestLabel;
        while (layer < layers)
        {
            const Label& label = states[index(layer, code, stages)][labelIndex];
            const uint32_t group = code - label.fromMask;
            std::vector<uint32_t> named;
            for (uint32_t c = 0; c < classes; ++c)
            {
                for (uint32_t i = 0; i < count(group, c); ++i)
                {
                    named.push_back(members[c][nextMember[c]++]);
                }
            }
            std::sort(named.begin(), named.end());
            PacStage stage;
            const bool fits = EvaluateStage(problem,
                                            layer,
                                            label.fromLayer - 1,
                                            named,
                                            samples,
                                            std::min(m, stages),
                                            m,
                                            stage);
            NS_ABORT_MSG_IF(!fits, "PAC planner: a planned stage no longer fits");
            if (label.fromLayer < layers)
            {
                stage.boundarySeconds = problem.GetBoundarySeconds(label.fromLayer - 1, samples);
            }
            plan.stages.push_back(stage);
            layer = label.fromLayer;
            code = label.fromMask;
            --stages;
            labelIndex = label.fromIndex;
        }
        plan.stepSeconds = GetStepSeconds(plan);
        NS_LOG_INFO("M=" << m << ": " << plan.ToString() << " step " << plan.stepSeconds
                         << " s (program " << objective << " s)");
        best = plan;
        bestObjective = objective;
    }
    return best;
}

} // namespace edgellm
} // namespace ns3
