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
    uint32_t fromMask;  //!< devices of that suffix
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

/// the devices of a mask, ascending
std::vector<uint32_t>
MaskDevices(uint32_t mask)
{
    std::vector<uint32_t> devices;
    for (uint32_t d = 0; mask >> d; ++d)
    {
        if (mask >> d & 1U)
        {
            devices.push_back(d);
        }
    }
    return devices;
}

uint32_t
PopCount(uint32_t mask)
{
    return static_cast<uint32_t>(std::bitset<32>(mask).count());
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
    if (problem.GetDeviceCount() == 0 ||
        problem.GetDeviceCount() > PacPlannerOptions::MAX_DEVICES)
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
    for (uint32_t m : options.microBatchOptions)
    {
        if (m == 0 || problem.GetBatchSize() % m != 0)
        {
            out << "PAC planner: microBatches=" << m << " does not divide batchSize="
                << problem.GetBatchSize() << "; allowed: its divisors";
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
    stage.syncSeconds =
        problem.GetSyncSeconds(first, last, static_cast<uint32_t>(devices.size()));
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
    const uint32_t all = (1U << devices) - 1;
    const uint32_t maxStages = options.maxStages ? options.maxStages : layers;
    const uint32_t maxGroup = options.maxGroupSize ? options.maxGroupSize : devices;

    PacPlan best;
    double bestObjective = std::numeric_limits<double>::infinity();
    for (uint32_t m : GetMicroBatchCounts(batch, options))
    {
        const uint32_t samples = batch / m;
        // state (first layer of the suffix, devices, stages) -> its labels
        const uint32_t stageSlots = std::min(maxStages, devices) + 1;
        auto index = [&](uint32_t layer, uint32_t mask, uint32_t stages) {
            return (static_cast<size_t>(layer) * (all + 1) + mask) * stageSlots + stages;
        };
        std::vector<std::vector<Label>> states(static_cast<size_t>(layers + 1) * (all + 1) *
                                               stageSlots);
        states[index(layers, 0, 0)].push_back(
            Label{0, 0, layers, 0, std::numeric_limits<uint32_t>::max()});
        // a stage's compute time (negative: does not fit), asked once
        std::unordered_map<uint64_t, double> stageTime;
        std::unordered_map<uint64_t, double> stageSync;
        auto costStage = [&](uint32_t first, uint32_t last, uint32_t group, uint32_t inFlight) {
            const uint64_t key =
                ((static_cast<uint64_t>(first) * layers + last) * (all + 1) + group) *
                    (devices + 1) +
                inFlight;
            auto found = stageTime.find(key);
            if (found == stageTime.end())
            {
                PacStage stage;
                const bool fits = EvaluateStage(problem,
                                                first,
                                                last,
                                                MaskDevices(group),
                                                samples,
                                                inFlight,
                                                m,
                                                stage);
                found = stageTime.emplace(key, fits ? stage.computeSeconds : -1.0).first;
                stageSync[key] = stage.syncSeconds;
            }
            return std::make_pair(found->second, stageSync[key]);
        };
        for (uint32_t l = layers; l >= 1; --l)
        {
            for (uint32_t mask = 0; mask <= all; ++mask)
            {
                for (uint32_t r = 0; r < stageSlots; ++r)
                {
                    std::vector<Label>& labels = states[index(l, mask, r)];
                    if (labels.empty() || r + 1 >= stageSlots)
                    {
                        continue;
                    }
                    if (l < layers)
                    {
                        KeepPareto(labels);
                    }
                    const uint32_t free = all & ~mask;
                    const uint32_t inFlight = std::min(m, r + 1);
                    const double boundary =
                        l < layers ? problem.GetBoundarySeconds(l - 1, samples) : 0.0;
                    for (uint32_t group = free; group != 0; group = (group - 1) & free)
                    {
                        const uint32_t size = PopCount(group);
                        if (size > maxGroup || size > samples)
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
                            std::vector<Label>& target = states[index(first, mask | group, r + 1)];
                            for (uint32_t i = 0; i < labels.size(); ++i)
                            {
                                const Label& from = labels[i];
                                target.push_back(
                                    Label{std::max({from.bottleneck, time, boundary}),
                                          from.additive + time + boundary + sync,
                                          l,
                                          mask,
                                          i});
                            }
                        }
                    }
                }
            }
        }
        // complete plans start at layer 0
        uint32_t bestMask = 0;
        uint32_t bestStages = 0;
        uint32_t bestLabel = 0;
        double objective = std::numeric_limits<double>::infinity();
        for (uint32_t mask = 1; mask <= all; ++mask)
        {
            if (options.useAllDevices && mask != all)
            {
                continue;
            }
            for (uint32_t r = 1; r < stageSlots; ++r)
            {
                std::vector<Label>& labels = states[index(0, mask, r)];
                KeepPareto(labels);
                for (uint32_t i = 0; i < labels.size(); ++i)
                {
                    const double value = labels[i].additive + (m - 1.0) * labels[i].bottleneck;
                    if (value < objective)
                    {
                        objective = value;
                        bestMask = mask;
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
        // follow the labels back to the stages
        PacPlan plan;
        plan.microBatches = m;
        uint32_t layer = 0;
        uint32_t mask = bestMask;
        uint32_t stages = bestStages;
        uint32_t labelIndex = bestLabel;
        while (layer < layers)
        {
            const Label& label = states[index(layer, mask, stages)][labelIndex];
            PacStage stage;
            const bool fits = EvaluateStage(problem,
                                            layer,
                                            label.fromLayer - 1,
                                            MaskDevices(mask & ~label.fromMask),
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
            mask = label.fromMask;
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
