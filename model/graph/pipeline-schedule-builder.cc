/* SPDX-License-Identifier: GPL-2.0-only */
#include "pipeline-schedule-builder.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPipelineScheduleBuilder");

std::string
PipelineScheduleToString(PipelineSchedule schedule)
{
    switch (schedule)
    {
    case PipelineSchedule::GPIPE:
        return "gpipe";
    case PipelineSchedule::ONE_F_ONE_B:
        return "1f1b";
    }
    NS_FATAL_ERROR("unknown PipelineSchedule value " << static_cast<int>(schedule));
}

std::string
ParsePipelineSchedule(const std::string& name, PipelineSchedule& schedule)
{
    if (name == "gpipe")
    {
        schedule = PipelineSchedule::GPIPE;
        return "";
    }
    if (name == "1f1b")
    {
        schedule = PipelineSchedule::ONE_F_ONE_B;
        return "";
    }
    return "schedule='" + name + "' is not a known pipeline schedule; allowed: gpipe, 1f1b";
}

namespace
{

/// \return "" or the problem of a byte count that must be positive
std::string
CheckBytes(const std::string& name, uint64_t bytes)
{
    if (bytes == 0)
    {
        return name + "=0 is invalid: must be a positive number of bytes";
    }
    return "";
}

/// \return "" or the problem of a per-stage or per-boundary list's size
std::string
CheckSize(const std::string& name, size_t size, size_t expected, const std::string& what)
{
    if (size != expected)
    {
        return name + " has " + std::to_string(size) + " entries but the pipeline has " +
               std::to_string(expected) + " " + what;
    }
    return "";
}

/// \return a compute task of the given cost
ComputeTask
MakeCompute(uint32_t device,
            ComputeKind kind,
            const ComputeCost& cost,
            DataType dtype,
            uint32_t microBatch,
            uint32_t stage,
            const std::string& label)
{
    ComputeTask task;
    task.device = device;
    task.kind = kind;
    cost.ApplyTo(task);
    task.dtype = dtype;
    task.microBatch = microBatch;
    task.stage = stage;
    task.label = label;
    return task;
}

} // namespace

std::string
PipelineScheduleBuilder::Validate(const TaskGraph& graph, const PipelineSpec& spec)
{
    const size_t stages = spec.stageDevices.size();
    if (stages == 0)
    {
        return "stageDevices is empty: a pipeline needs at least one stage";
    }
    if (spec.microBatches == 0)
    {
        return "microBatches=0 is invalid: must be a positive integer";
    }
    // Every device the pipeline uses, with the name of the field that uses it.
    std::vector<std::pair<uint32_t, std::string>> used;
    for (size_t i = 0; i < stages; ++i)
    {
        used.emplace_back(spec.stageDevices[i], "stageDevices[" + std::to_string(i) + "]");
    }
    if (spec.source)
    {
        used.emplace_back(spec.source->device, "source.device");
    }
    if (spec.head)
    {
        used.emplace_back(spec.head->device, "head.device");
    }
    for (size_t k = 0; k < used.size(); ++k)
    {
        std::string problem = graph.CheckDeviceIndex(used[k].second, used[k].first);
        if (!problem.empty())
        {
            return problem;
        }
        for (size_t j = 0; j < k; ++j)
        {
            if (used[j].first == used[k].first)
            {
                return "device " + std::to_string(used[k].first) + " is used twice (" +
                       used[j].second + " and " + used[k].second +
                       "): every stage, the source and the head need their own device";
            }
        }
    }

    std::string problem = CheckSize("forwardCosts", spec.forwardCosts.size(), stages, "stages");
    if (problem.empty())
    {
        problem = CheckSize("backwardCosts", spec.backwardCosts.size(), stages, "stages");
    }
    if (problem.empty())
    {
        problem = CheckSize("activationBytes",
                            spec.activationBytes.size(),
                            stages - 1,
                            "stage boundaries (stages - 1)");
    }
    if (problem.empty())
    {
        problem = CheckSize("gradientBytes",
                            spec.gradientBytes.size(),
                            stages - 1,
                            "stage boundaries (stages - 1)");
    }
    if (problem.empty() && !spec.optimizerCosts.empty())
    {
        problem = CheckSize("optimizerCosts",
                            spec.optimizerCosts.size(),
                            stages,
                            "stages (give one per stage, or none for no optimizer tasks)");
    }
    if (!problem.empty())
    {
        return problem;
    }
    for (size_t i = 0; i < stages; ++i)
    {
        const std::string index = "[" + std::to_string(i) + "]";
        problem = ValidateComputeCost("forwardCosts" + index, spec.forwardCosts[i]);
        if (problem.empty())
        {
            problem = ValidateComputeCost("backwardCosts" + index, spec.backwardCosts[i]);
        }
        if (problem.empty() && !spec.optimizerCosts.empty())
        {
            problem = ValidateComputeCost("optimizerCosts" + index, spec.optimizerCosts[i]);
        }
        if (problem.empty() && i + 1 < stages)
        {
            problem = CheckBytes("activationBytes" + index, spec.activationBytes[i]);
            if (problem.empty())
            {
                problem = CheckBytes("gradientBytes" + index, spec.gradientBytes[i]);
            }
        }
        if (!problem.empty())
        {
            return problem;
        }
    }
    if (spec.source)
    {
        const PipelineSource& s = *spec.source;
        problem = CheckBytes("source.inputBytes", s.inputBytes);
        if (problem.empty() && s.forwardCost)
        {
            problem = ValidateComputeCost("source.forwardCost", *s.forwardCost);
        }
        if (problem.empty() && s.backwardCost)
        {
            problem = s.gradientBytes == 0
                          ? "source.backwardCost is set but source.gradientBytes=0: the "
                            "source's backward needs the gradient stage 0 sends back"
                          : ValidateComputeCost("source.backwardCost", *s.backwardCost);
        }
        if (problem.empty() && s.optimizerCost)
        {
            problem = ValidateComputeCost("source.optimizerCost", *s.optimizerCost);
        }
        if (problem.empty() && s.optimizerCost && !s.forwardCost && s.gradientBytes == 0)
        {
            problem = "source.optimizerCost is set but the source has no forwardCost and no "
                      "gradientBytes: it would update nothing it computed";
        }
        if (!problem.empty())
        {
            return problem;
        }
    }
    if (spec.head)
    {
        const PipelineHead& h = *spec.head;
        problem = CheckBytes("head.activationBytes", h.activationBytes);
        if (problem.empty())
        {
            problem = CheckBytes("head.gradientBytes", h.gradientBytes);
        }
        if (problem.empty())
        {
            problem = ValidateComputeCost("head.lossCost", h.lossCost);
        }
        if (problem.empty() && h.optimizerCost)
        {
            problem = ValidateComputeCost("head.optimizerCost", *h.optimizerCost);
        }
        if (!problem.empty())
        {
            return problem;
        }
    }
    problem = graph.CheckTaskIds("after", spec.after);
    if (!problem.empty())
    {
        return problem;
    }
    for (const auto& [device, ids] : spec.afterOnDevice)
    {
        bool isUsed = false;
        std::string usedList;
        for (const auto& u : used)
        {
            isUsed = isUsed || u.first == device;
            usedList += (usedList.empty() ? "" : ", ") + std::to_string(u.first);
        }
        if (!isUsed)
        {
            return "afterOnDevice has device " + std::to_string(device) +
                   ", which the pipeline does not use; devices used: " + usedList;
        }
        problem = graph.CheckTaskIds("afterOnDevice[" + std::to_string(device) + "]", ids);
        if (!problem.empty())
        {
            return problem;
        }
    }
    return "";
}

std::vector<PipelineStep>
PipelineScheduleBuilder::GetStageProgram(PipelineSchedule schedule,
                                         uint32_t depth,
                                         uint32_t stage,
                                         uint32_t microBatches)
{
    NS_ABORT_MSG_IF(stage >= depth,
                    "stage=" << stage << " is invalid: must be below depth=" << depth);
    std::vector<PipelineStep> program;
    const uint32_t m = microBatches;
    if (schedule == PipelineSchedule::GPIPE)
    {
        for (uint32_t k = 0; k < m; ++k)
        {
            program.push_back({true, k});
        }
        for (uint32_t k = 0; k < m; ++k)
        {
            program.push_back({false, k});
        }
        return program;
    }
    const uint32_t warmup = std::min(depth - stage - 1, m);
    for (uint32_t k = 0; k < warmup; ++k)
    {
        program.push_back({true, k});
    }
    for (uint32_t k = 0; k < m - warmup; ++k)
    {
        program.push_back({true, warmup + k});
        program.push_back({false, k});
    }
    for (uint32_t k = m - warmup; k < m; ++k)
    {
        program.push_back({false, k});
    }
    return program;
}

std::string
PipelineScheduleBuilder::ProgramToString(const std::vector<PipelineStep>& program)
{
    std::ostringstream os;
    for (size_t k = 0; k < program.size(); ++k)
    {
        os << (k == 0 ? "" : " ") << (program[k].forward ? "F" : "B") << program[k].microBatch;
    }
    return os.str();
}

PipelineTasks
PipelineScheduleBuilder::Build(TaskGraph& graph, const PipelineSpec& spec)
{
    NS_LOG_FUNCTION(&graph << spec.stageDevices.size() << spec.microBatches);
    const std::string problem = Validate(graph, spec);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("PipelineScheduleBuilder: " << problem);
    }
    const auto S = static_cast<uint32_t>(spec.stageDevices.size());
    const uint32_t M = spec.microBatches;
    const uint32_t NO = TaskGraph::NO_TASK;
    const uint32_t NO_MB = ComputeTask::NO_MICRO_BATCH;
    const std::string prefix = spec.label.empty() ? "" : spec.label + " ";
    auto s = [](uint32_t i) { return "s" + std::to_string(i); };
    auto mb = [](uint32_t m) { return " mb" + std::to_string(m); };

    PipelineTasks r;
    r.forward.assign(S, std::vector<uint32_t>(M, NO));
    r.backward.assign(S, std::vector<uint32_t>(M, NO));
    r.activationTransfers.assign(S - 1, std::vector<uint32_t>(M, NO));
    r.gradientTransfers.assign(S - 1, std::vector<uint32_t>(M, NO));
    r.program.assign(S, {});
    r.lastTask.assign(S, NO);

    // Tasks that must precede the first task started on a device.
    auto firstDeps = [&spec](uint32_t device) {
        std::vector<uint32_t> deps = spec.after;
        auto it = spec.afterOnDevice.find(device);
        if (it != spec.afterOnDevice.end())
        {
            deps.insert(deps.end(), it->second.begin(), it->second.end());
        }
        return deps;
    };

    // Create every task first (ids grouped by micro-batch, in data-flow order), then wire the
    // program order, which may point from a later micro-batch's task to an earlier one's.
    const PipelineSource* source = spec.source ? &*spec.source : nullptr;
    const PipelineHead* head = spec.head ? &*spec.head : nullptr;
    if (source)
    {
        r.inputTransfers.assign(M, NO);
        if (source->forwardCost)
        {
            r.sourceForward.assign(M, NO);
        }
        if (source->gradientBytes > 0)
        {
            r.sourceGradientTransfers.assign(M, NO);
        }
        if (source->backwardCost)
        {
            r.sourceBackward.assign(M, NO);
        }
    }
    if (head)
    {
        r.headActivationTransfers.assign(M, NO);
        r.loss.assign(M, NO);
        r.headGradientTransfers.assign(M, NO);
    }

    for (uint32_t m = 0; m < M; ++m)
    {
        uint32_t previous = NO; // the task the next one in the data flow waits for
        if (source)
        {
            if (source->forwardCost)
            {
                previous = graph.AddCompute(MakeCompute(source->device,
                                                        ComputeKind::EMBEDDING,
                                                        *source->forwardCost,
                                                        spec.dtype,
                                                        m,
                                                        ComputeTask::NO_STAGE,
                                                        prefix + "emb" + mb(m)));
                r.sourceForward[m] = previous;
            }
            std::vector<uint32_t> deps;
            if (previous != NO)
            {
                deps.push_back(previous);
            }
            else
            {
                deps = firstDeps(source->device);
            }
            previous = graph.AddTransfer(TransferTask::Make(source->device,
                                                            spec.stageDevices[0],
                                                            source->inputBytes,
                                                            TransferKind::ACTIVATION,
                                                            m,
                                                            prefix + "input" + mb(m)),
                                         deps);
            r.inputTransfers[m] = previous;
        }
        for (uint32_t i = 0; i < S; ++i)
        {
            std::vector<uint32_t> deps;
            if (previous != NO)
            {
                deps.push_back(previous);
            }
            r.forward[i][m] = graph.AddCompute(MakeCompute(spec.stageDevices[i],
                                                           ComputeKind::FORWARD,
                                                           spec.forwardCosts[i],
                                                           spec.dtype,
                                                           m,
                                                           i,
                                                           prefix + "fwd " + s(i) + mb(m)),
                                               deps);
            previous = r.forward[i][m];
            if (i + 1 < S)
            {
                r.activationTransfers[i][m] = graph.AddTransfer(
                    TransferTask::Make(spec.stageDevices[i],
                                       spec.stageDevices[i + 1],
                                       spec.activationBytes[i],
                                       TransferKind::ACTIVATION,
                                       m,
                                       prefix + "act " + s(i) + "->" + s(i + 1) + mb(m)),
                    {previous});
                previous = r.activationTransfers[i][m];
            }
        }
        if (head)
        {
            r.headActivationTransfers[m] =
                graph.AddTransfer(TransferTask::Make(spec.stageDevices[S - 1],
                                                     head->device,
                                                     head->activationBytes,
                                                     TransferKind::ACTIVATION,
                                                     m,
                                                     prefix + "head-act" + mb(m)),
                                  {previous});
            std::vector<uint32_t> deps{r.headActivationTransfers[m]};
            if (m > 0)
            {
                deps.push_back(r.loss[m - 1]);
            }
            else
            {
                const auto first = firstDeps(head->device);
                deps.insert(deps.end(), first.begin(), first.end());
            }
            r.loss[m] = graph.AddCompute(MakeCompute(head->device,
                                                     ComputeKind::LOSS,
                                                     head->lossCost,
                                                     spec.dtype,
                                                     m,
                                                     ComputeTask::NO_STAGE,
                                                     prefix + "loss" + mb(m)),
                                         deps);
            r.headGradientTransfers[m] =
                graph.AddTransfer(TransferTask::Make(head->device,
                                                     spec.stageDevices[S - 1],
                                                     head->gradientBytes,
                                                     TransferKind::GRADIENT,
                                                     m,
                                                     prefix + "head-grad" + mb(m)),
                                  {r.loss[m]});
        }
        for (uint32_t i = S; i-- > 0;)
        {
            std::vector<uint32_t> deps{r.forward[i][m]};
            if (i + 1 < S)
            {
                deps.push_back(r.gradientTransfers[i][m]);
            }
            else if (head)
            {
                deps.push_back(r.headGradientTransfers[m]);
            }
            r.backward[i][m] = graph.AddCompute(MakeCompute(spec.stageDevices[i],
                                                            ComputeKind::BACKWARD,
                                                            spec.backwardCosts[i],
                                                            spec.dtype,
                                                            m,
                                                            i,
                                                            prefix + "bwd " + s(i) + mb(m)),
                                                deps);
            if (i > 0)
            {
                r.gradientTransfers[i - 1][m] = graph.AddTransfer(
                    TransferTask::Make(spec.stageDevices[i],
                                       spec.stageDevices[i - 1],
                                       spec.gradientBytes[i - 1],
                                       TransferKind::GRADIENT,
                                       m,
                                       prefix + "grad " + s(i) + "->" + s(i - 1) + mb(m)),
                    {r.backward[i][m]});
            }
        }
        if (source && source->gradientBytes > 0)
        {
            r.sourceGradientTransfers[m] =
                graph.AddTransfer(TransferTask::Make(spec.stageDevices[0],
                                                     source->device,
                                                     source->gradientBytes,
                                                     TransferKind::GRADIENT,
                                                     m,
                                                     prefix + "input-grad" + mb(m)),
                                  {r.backward[0][m]});
            if (source->backwardCost)
            {
                r.sourceBackward[m] = graph.AddCompute(MakeCompute(source->device,
                                                                   ComputeKind::EMBEDDING,
                                                                   *source->backwardCost,
                                                                   spec.dtype,
                                                                   m,
                                                                   ComputeTask::NO_STAGE,
                                                                   prefix + "emb-bwd" + mb(m)),
                                                       {r.sourceGradientTransfers[m]});
            }
        }
    }

    // Program order on every stage, the first task after the `after` lists.
    const uint32_t depth = S + (head ? 1 : 0);
    for (uint32_t i = 0; i < S; ++i)
    {
        uint32_t previous = NO;
        for (const PipelineStep& step : GetStageProgram(spec.schedule, depth, i, M))
        {
            const uint32_t id =
                step.forward ? r.forward[i][step.microBatch] : r.backward[i][step.microBatch];
            if (previous == NO)
            {
                for (uint32_t dep : firstDeps(spec.stageDevices[i]))
                {
                    graph.AddDependency(dep, id);
                }
            }
            else
            {
                graph.AddDependency(previous, id);
            }
            r.program[i].push_back(id);
            previous = id;
        }
        if (!spec.optimizerCosts.empty())
        {
            const uint32_t opt = graph.AddCompute(MakeCompute(spec.stageDevices[i],
                                                              ComputeKind::OPTIMIZER,
                                                              spec.optimizerCosts[i],
                                                              spec.dtype,
                                                              NO_MB,
                                                              i,
                                                              prefix + "opt " + s(i)),
                                                  {previous});
            r.optimizer.push_back(opt);
            r.program[i].push_back(opt);
            previous = opt;
        }
        r.lastTask[i] = previous;
    }

    // The source: forwards in order, then backwards in order.
    if (source)
    {
        uint32_t previous = NO;
        for (uint32_t m = 0; m < M && source->forwardCost; ++m)
        {
            if (previous == NO)
            {
                for (uint32_t dep : firstDeps(source->device))
                {
                    graph.AddDependency(dep, r.sourceForward[m]);
                }
            }
            else
            {
                graph.AddDependency(previous, r.sourceForward[m]);
            }
            previous = r.sourceForward[m];
        }
        for (uint32_t m = 0; m < M && source->backwardCost; ++m)
        {
            if (previous == NO)
            {
                for (uint32_t dep : firstDeps(source->device))
                {
                    graph.AddDependency(dep, r.sourceBackward[m]);
                }
            }
            else
            {
                graph.AddDependency(previous, r.sourceBackward[m]);
            }
            previous = r.sourceBackward[m];
        }
        if (!source->backwardCost && source->gradientBytes > 0)
        {
            // The last gradient to arrive (FIFO on one pair) is the last task finishing there.
            previous = r.sourceGradientTransfers[M - 1];
        }
        if (source->optimizerCost)
        {
            std::vector<uint32_t> deps{previous};
            if (!source->backwardCost && source->gradientBytes > 0)
            {
                // every gradient must have arrived, not only the last one queued
                deps = r.sourceGradientTransfers;
            }
            r.sourceOptimizer = graph.AddCompute(MakeCompute(source->device,
                                                             ComputeKind::OPTIMIZER,
                                                             *source->optimizerCost,
                                                             spec.dtype,
                                                             NO_MB,
                                                             ComputeTask::NO_STAGE,
                                                             prefix + "opt source"),
                                                 deps);
            previous = r.sourceOptimizer;
        }
        r.sourceLastTask = previous;
    }

    if (head)
    {
        uint32_t previous = r.loss[M - 1];
        if (head->optimizerCost)
        {
            r.headOptimizer = graph.AddCompute(MakeCompute(head->device,
                                                           ComputeKind::OPTIMIZER,
                                                           *head->optimizerCost,
                                                           spec.dtype,
                                                           NO_MB,
                                                           ComputeTask::NO_STAGE,
                                                           prefix + "opt head"),
                                               {previous});
            previous = r.headOptimizer;
        }
        r.headLastTask = previous;
    }
    return r;
}

} // namespace edgellm
} // namespace ns3
