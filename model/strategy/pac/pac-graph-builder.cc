/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-graph-builder.h"

#include "ns3/abort.h"
#include "ns3/collective-builder.h"
#include "ns3/pipeline-schedule-builder.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace ns3
{
namespace edgellm
{

namespace
{

/// Make \p task follow \p before (when there is one).
void
Follow(TaskGraph& graph, uint32_t before, uint32_t task)
{
    if (before != TaskGraph::NO_TASK)
    {
        graph.AddDependency(before, task);
    }
}

/// \return an id of \p op with the given fields
uint64_t
MakeId(PacTensorOp op,
       uint32_t step,
       uint32_t stage,
       uint32_t microBatch = 0,
       uint32_t sender = 0,
       uint32_t receiver = 0)
{
    PacTensorId id;
    id.op = op;
    id.step = step;
    id.stage = stage;
    id.microBatch = microBatch;
    id.sender = sender;
    id.receiver = receiver;
    return id.Make();
}

} // namespace

uint64_t
PacTensorId::Make() const
{
    // the builder's limits: at most 10 devices (4 bits), 2^16 micro-batches; steps beyond 2^24
    // wrap (only a LibTorch engine reads ids, and it runs a few steps a round)
    NS_ABORT_MSG_IF(stage > 0xFF || microBatch > 0xFFFF || sender > 0xF || receiver > 0xF,
                    "PacTensorId: a field out of range (stage " << stage << ", micro-batch "
                                                                << microBatch << ")");
    return (static_cast<uint64_t>(op) << 60) | (static_cast<uint64_t>(step & 0xFFFFFF) << 36) |
           (static_cast<uint64_t>(stage) << 28) | (static_cast<uint64_t>(microBatch) << 12) |
           (static_cast<uint64_t>(sender) << 4) | receiver;
}

PacTensorId
PacTensorId::Parse(uint64_t id)
{
    PacTensorId fields;
    const uint64_t op = id >> 60;
    NS_ABORT_MSG_IF(op < static_cast<uint64_t>(PacTensorOp::FORWARD) ||
                        op > static_cast<uint64_t>(PacTensorOp::UPDATE),
                    "PacTensorId: " << id << " is not a PAC id");
    fields.op = static_cast<PacTensorOp>(op);
    fields.step = static_cast<uint32_t>(id >> 36 & 0xFFFFFF);
    fields.stage = static_cast<uint32_t>(id >> 28 & 0xFF);
    fields.microBatch = static_cast<uint32_t>(id >> 12 & 0xFFFF);
    fields.sender = static_cast<uint32_t>(id >> 4 & 0xF);
    fields.receiver = static_cast<uint32_t>(id & 0xF);
    return fields;
}

void
PacGraphBuilder::AppendStep(TaskGraph& graph,
                            const PacCostModel& costs,
                            const PacPlan& plan,
                            const std::vector<uint32_t>& nodes,
                            uint32_t step,
                            std::vector<uint32_t>& last)
{
    NS_ABORT_MSG_IF(!plan.IsFeasible(), "PacGraphBuilder: the plan is not feasible");
    const PacCostModel::Config& config = costs.GetConfig();
    const bool cached = config.cached;
    const bool writeCache = config.writeCache;
    const uint32_t stages = static_cast<uint32_t>(plan.stages.size());
    const uint32_t microBatches = plan.microBatches;
    const DataType dtype = config.workload.recipe.dtype;
    const std::string prefix = "s" + std::to_string(step);

    // [stage][device of the group][micro-batch]
    std::vector<std::vector<std::vector<uint32_t>>> forward(stages);
    std::vector<std::vector<std::vector<uint32_t>>> backward(stages);
    for (uint32_t s = 0; s < stages; ++s)
    {
        const PacStage& stage = plan.stages[s];
        const std::vector<PipelineStep> program =
            PipelineScheduleBuilder::GetStageProgram(PipelineSchedule::ONE_F_ONE_B,
                                                     stages,
                                                     s,
                                                     microBatches);
        forward[s].assign(stage.devices.size(), std::vector<uint32_t>(microBatches));
        backward[s].assign(stage.devices.size(),
                           std::vector<uint32_t>(microBatches, TaskGraph::NO_TASK));
        for (size_t i = 0; i < stage.devices.size(); ++i)
        {
            const uint32_t device = stage.devices[i];
            const uint32_t node = nodes.at(device);
            const uint32_t samples = stage.samples[i];
            const ComputeCost forwardCost =
                costs.GetStageCost(device, stage.firstLayer, stage.lastLayer, samples, true);
            const ComputeCost backwardCost =
                cached
                    ? ComputeCost()
                    : costs.GetStageCost(device, stage.firstLayer, stage.lastLayer, samples, false);
            const ActivationCacheStore& store = costs.GetStore(device);
            const double writeSeconds =
                writeCache && !store.inMemory
                    ? static_cast<double>(samples) *
                          costs.GetCacheBytesPerSample(stage.firstLayer, stage.lastLayer) /
                          store.writeBytesPerSecond
                    : 0.0;
            for (const PipelineStep& item : program)
            {
                ComputeTask task;
                task.device = node;
                task.dtype = dtype;
                task.microBatch = item.microBatch;
                task.stage = s;
                std::ostringstream label;
                label << prefix << "-st" << s << "-d" << device << "-"
                      << (cached         ? "side"
                          : item.forward ? "fwd"
                                         : "bwd")
                      << item.microBatch;
                task.label = label.str();
                task.kernelId = MakeId(item.forward ? PacTensorOp::FORWARD : PacTensorOp::BACKWARD,
                                       step,
                                       s,
                                       item.microBatch);
                if (item.forward)
                {
                    task.kind = cached ? ComputeKind::OTHER : ComputeKind::FORWARD;
                    forwardCost.ApplyTo(task);
                    const uint32_t id = graph.AddCompute(task);
                    Follow(graph, last[node], id);
                    last[node] = id;
                    forward[s][i][item.microBatch] = id;
                    if (writeSeconds > 0)
                    {
                        ComputeTask write = task;
                        write.kind = ComputeKind::OTHER;
                        write.flops = 0;
                        write.memoryBytes = 0;
                        write.kernels.reset();
                        write.kernelId = 0;
                        write.duration = Seconds(writeSeconds);
                        write.label = task.label + "-cache";
                        last[node] = graph.AddCompute(write, {id});
                    }
                }
                else if (!cached)
                {
                    task.kind = ComputeKind::BACKWARD;
                    backwardCost.ApplyTo(task);
                    const uint32_t id = graph.AddCompute(task, {forward[s][i][item.microBatch]});
                    Follow(graph, last[node], id);
                    last[node] = id;
                    backward[s][i][item.microBatch] = id;
                }
            }
        }
    }

    // boundaries: the samples two devices have in common cross between them
    for (uint32_t s = 0; s + 1 < stages; ++s)
    {
        const PacStage& from = plan.stages[s];
        const PacStage& to = plan.stages[s + 1];
        for (uint32_t mb = 0; mb < microBatches; ++mb)
        {
            uint32_t fromStart = 0;
            for (size_t i = 0; i < from.devices.size(); ++i)
            {
                const uint32_t fromEnd = fromStart + from.samples[i];
                uint32_t toStart = 0;
                for (size_t j = 0; j < to.devices.size(); ++j)
                {
                    const uint32_t toEnd = toStart + to.samples[j];
                    const uint32_t begin = std::max(fromStart, toStart);
                    const uint32_t end = std::min(fromEnd, toEnd);
                    if (begin < end)
                    {
                        const uint32_t common = end - begin;
                        const uint32_t src = nodes.at(from.devices[i]);
                        const uint32_t dst = nodes.at(to.devices[j]);
                        std::ostringstream label;
                        label << prefix << "-b" << s << "-mb" << mb << "-" << from.devices[i] << ">"
                              << to.devices[j];
                        TransferTask forwardTensors =
                            TransferTask::Make(src,
                                               dst,
                                               costs.GetActivationBytes(from.lastLayer, common),
                                               TransferKind::ACTIVATION,
                                               mb,
                                               label.str() + "-act");
                        forwardTensors.tensorId =
                            MakeId(PacTensorOp::ACTIVATION, step, s, mb, i, j);
                        const uint32_t activation =
                            graph.AddTransfer(forwardTensors, {forward[s][i][mb]});
                        graph.AddDependency(activation, forward[s + 1][j][mb]);
                        const uint64_t gradientBytes =
                            costs.GetGradientBytes(from.lastLayer, common);
                        if (gradientBytes > 0)
                        {
                            TransferTask gradientTensor = TransferTask::Make(dst,
                                                                             src,
                                                                             gradientBytes,
                                                                             TransferKind::GRADIENT,
                                                                             mb,
                                                                             label.str() + "-grad");
                            gradientTensor.tensorId =
                                MakeId(PacTensorOp::GRADIENT, step, s, mb, i, j);
                            const uint32_t gradient =
                                graph.AddTransfer(gradientTensor, {backward[s + 1][j][mb]});
                            graph.AddDependency(gradient, backward[s][i][mb]);
                        }
                    }
                    toStart = toEnd;
                }
                fromStart = fromEnd;
            }
        }
    }

    // each group: AllReduce of its trainable gradients, then every member's update
    for (uint32_t s = 0; s < stages; ++s)
    {
        const PacStage& stage = plan.stages[s];
        const uint64_t trainable = costs.GetTrainableBytes(stage.firstLayer, stage.lastLayer);
        if (trainable == 0)
        {
            continue;
        }
        std::vector<uint32_t> group;
        for (uint32_t device : stage.devices)
        {
            group.push_back(nodes.at(device));
        }
        std::vector<std::vector<uint32_t>> before(group.size());
        for (size_t i = 0; i < group.size(); ++i)
        {
            before[i] = {last[group[i]]};
        }
        if (group.size() > 1)
        {
            // equal chunks at whole elements (a LibTorch engine sends whole parameters)
            const uint64_t element = GetDataTypeBytes(dtype);
            const uint64_t elements = trainable / element;
            RingSpec ring;
            ring.group = group;
            if (elements >= group.size())
            {
                for (size_t j = 0; j < group.size(); ++j)
                {
                    ring.chunkBytes.push_back(element * (elements * (j + 1) / group.size() -
                                                         elements * j / group.size()));
                }
                ring.chunkBytes.back() += trainable - element * elements;
            }
            else
            {
                ring.shares.assign(group.size(), 1.0 / group.size());
                ring.totalBytes = trainable;
            }
            ring.tensorId = MakeId(PacTensorOp::ALL_REDUCE, step, s);
            ring.dtype = dtype;
            ring.after = before;
            ring.label = prefix + "-ar" + std::to_string(s);
            const std::string problem = CollectiveBuilder::ValidateRing(graph, ring);
            NS_ABORT_MSG_IF(!problem.empty(), "PacGraphBuilder: " << problem);
            const CollectiveTasks tasks = CollectiveBuilder::AllReduce(graph, ring);
            for (size_t i = 0; i < group.size(); ++i)
            {
                before[i] = tasks.last[i];
            }
        }
        const ComputeCost update = costs.GetOptimizerCost(stage.firstLayer, stage.lastLayer);
        for (size_t i = 0; i < group.size(); ++i)
        {
            ComputeTask task;
            task.device = group[i];
            task.kind = ComputeKind::OPTIMIZER;
            task.dtype = dtype;
            task.stage = s;
            task.label = prefix + "-st" + std::to_string(s) + "-d" +
                         std::to_string(stage.devices[i]) + "-update";
            task.kernelId = MakeId(PacTensorOp::UPDATE, step, s);
            update.ApplyTo(task);
            std::vector<uint32_t> deps = before[i];
            deps.push_back(last[group[i]]);
            std::sort(deps.begin(), deps.end());
            deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
            const uint32_t id = graph.AddCompute(task, deps);
            last[group[i]] = id;
        }
    }
}

void
PacGraphBuilder::AppendCacheExchange(TaskGraph& graph,
                                     const std::vector<PacCacheTransfer>& transfers,
                                     const std::vector<uint32_t>& nodes,
                                     std::vector<uint32_t>& last)
{
    std::map<uint32_t, std::vector<uint32_t>> incoming;
    for (const PacCacheTransfer& transfer : transfers)
    {
        const uint32_t from = nodes.at(transfer.from);
        const uint32_t to = nodes.at(transfer.to);
        std::vector<uint32_t> deps;
        if (last[from] != TaskGraph::NO_TASK)
        {
            deps.push_back(last[from]);
        }
        const uint32_t id =
            graph.AddTransfer(TransferTask::Make(from,
                                                 to,
                                                 transfer.bytes,
                                                 TransferKind::OTHER,
                                                 TransferTask::NO_MICRO_BATCH,
                                                 "cache-exchange-" + std::to_string(transfer.from) +
                                                     ">" + std::to_string(transfer.to)),
                              deps);
        incoming[to].push_back(id);
    }
    for (auto& [node, ids] : incoming)
    {
        ComputeTask ready;
        ready.device = node;
        ready.kind = ComputeKind::OTHER;
        ready.duration = Seconds(0);
        ready.label = "cache-ready";
        if (last[node] != TaskGraph::NO_TASK)
        {
            ids.push_back(last[node]);
        }
        last[node] = graph.AddCompute(ready, ids);
    }
}

} // namespace edgellm
} // namespace ns3
