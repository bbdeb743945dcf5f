/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-graph-builder.h"

#include "ns3/collective-builder.h"
#include "ns3/fatal-error.h"

#include <functional>
#include <memory>
#include <string>

namespace ns3
{
namespace edgellm
{

namespace
{

/**
 * Add one compute task per member that has work, after the member's tasks in \p after.
 * \param graph the graph
 * \param members ring members (device indices)
 * \param work per member: its kernels (empty: no task)
 * \param dtype the data type
 * \param label task label
 * \param after per member: what it waits for; replaced by the new task where one was added
 * \param kernelId the tasks' kernel id (0: none)
 */
void
AddStage(TaskGraph& graph,
         const std::vector<uint32_t>& members,
         const std::vector<KernelWork>& work,
         DataType dtype,
         const std::string& label,
         std::vector<std::vector<uint32_t>>& after,
         uint64_t kernelId = 0)
{
    for (size_t j = 0; j < members.size(); ++j)
    {
        if (work[j].GetKernels().empty())
        {
            continue; // no share of this stage: the member only relays in the collectives
        }
        ComputeTask task;
        task.device = members[j];
        task.kind = ComputeKind::FORWARD;
        task.dtype = dtype;
        task.label = label;
        task.kernelId = kernelId;
        ComputeCost::FromKernels(work[j]).ApplyTo(task);
        after[j] = {graph.AddCompute(task, after[j])};
    }
}

/**
 * Add a ring collective of the hidden states over the members, each owning its tokens.
 * \param graph the graph
 * \param members ring members
 * \param chunkBytes per member: its tokens' bytes
 * \param dtype the data type
 * \param reduce ReduceScatter (else AllGather)
 * \param label task label prefix
 * \param after per member: what it waits for; replaced by its result's tasks
 * \param tensorId the collective's tensor id (RingSpec::tensorId; 0: none)
 */
void
AddCollective(TaskGraph& graph,
              const std::vector<uint32_t>& members,
              const std::vector<uint64_t>& chunkBytes,
              DataType dtype,
              bool reduce,
              const std::string& label,
              std::vector<std::vector<uint32_t>>& after,
              uint64_t tensorId = 0)
{
    RingSpec spec;
    spec.group = members;
    spec.chunkBytes = chunkBytes;
    spec.aggregate = reduce;
    spec.dtype = dtype;
    spec.after = after;
    spec.label = label;
    spec.tensorId = tensorId;
    const CollectiveTasks tasks = reduce ? CollectiveBuilder::ReduceScatter(graph, spec)
                                         : CollectiveBuilder::AllGather(graph, spec);
    after = tasks.last;
}

/**
 * Add one tile of a GEMM split by tokens (tile-based overlap).
 * \param graph the graph
 * \param device the member's device
 * \param work the tile's kernels (empty: no heads or columns here, nothing to compute)
 * \param dtype the data type
 * \param label task label prefix
 * \param chunk the ring chunk (its tokens) the tile computes
 * \param deps what it waits for
 * \return the tile's task, or \p deps when there is nothing to compute (the member relays)
 */
std::vector<uint32_t>
AddTile(TaskGraph& graph,
        uint32_t device,
        const KernelWork& work,
        DataType dtype,
        const std::string& label,
        size_t chunk,
        const std::vector<uint32_t>& deps)
{
    if (work.GetKernels().empty())
    {
        return deps;
    }
    ComputeTask task;
    task.device = device;
    task.kind = ComputeKind::FORWARD;
    task.dtype = dtype;
    task.label = label + " tile " + std::to_string(chunk);
    ComputeCost::FromKernels(work).ApplyTo(task);
    return {graph.AddCompute(task, deps)};
}

/**
 * A ring ReduceScatter fused with the GEMM whose partial sums it reduces (tile-based overlap):
 * each member computes its partial of one chunk (a tile: that chunk's tokens) just before the
 * ring needs it, so the next tile's computation overlaps the last chunk's transfer. Member m
 * computes chunk m-1 first and sends it; at step k it computes chunk m-k-1, adds the copy
 * received from m-1 and forwards it; last it computes its own chunk m and adds the copy that
 * arrives, which leaves it the reduced chunk m (CollectiveBuilder's ring order and bytes).
 * \param graph the graph
 * \param members ring members
 * \param tokens per member: its tokens (its chunk)
 * \param tile per member and token count: the kernels of that member's tile (may be empty)
 * \param tokenBytes bytes of one token's hidden state
 * \param dtype the data type
 * \param label task label prefix
 * \param after per member: what it waits for; replaced by its reduced chunk's task
 */
void
AddOverlappedReduceScatter(TaskGraph& graph,
                           const std::vector<uint32_t>& members,
                           const std::vector<uint32_t>& tokens,
                           const std::function<KernelWork(size_t, uint32_t)>& tile,
                           uint64_t tokenBytes,
                           DataType dtype,
                           const std::string& label,
                           std::vector<std::vector<uint32_t>>& after)
{
    const size_t n = members.size();
    auto compute = [&](size_t m, size_t chunk, const std::vector<uint32_t>& deps) {
        return AddTile(graph, members[m], tile(m, tokens[chunk]), dtype, label, chunk, deps);
    };
    auto add = [&](size_t m, size_t chunk, std::vector<uint32_t> deps) {
        ComputeTask task;
        task.device = members[m];
        task.kind = ComputeKind::AGGREGATE;
        task.dtype = dtype;
        task.label = label + " add " + std::to_string(chunk);
        const double bytes = static_cast<double>(tokens[chunk]) * tokenBytes;
        ComputeCost::FromFlops(bytes / GetDataTypeBytes(dtype), 3 * bytes).ApplyTo(task);
        return graph.AddCompute(task, deps);
    };
    if (n == 1)
    {
        after[0] = compute(0, 0, after[0]);
        return;
    }
    // sends[k][m]: member m's transfer of step k
    std::vector<std::vector<uint32_t>> sends(n - 1, std::vector<uint32_t>(n));
    std::vector<std::vector<uint32_t>> ready(n); // per member: its last tile or add
    for (size_t k = 0; k + 1 < n; ++k)
    {
        for (size_t m = 0; m < n; ++m)
        {
            const size_t chunk = (m + 2 * n - k - 1) % n;
            std::vector<uint32_t> deps = compute(m, chunk, k == 0 ? after[m] : ready[m]);
            if (k > 0)
            {
                deps.push_back(sends[k - 1][(m + n - 1) % n]); // the copy from m - 1
                deps = {add(m, chunk, deps)};
            }
            sends[k][m] = graph.AddTransfer(TransferTask::Make(members[m],
                                                               members[(m + 1) % n],
                                                               tokens[chunk] * tokenBytes,
                                                               TransferKind::REDUCE_SCATTER,
                                                               TransferTask::NO_MICRO_BATCH,
                                                               label + " " + std::to_string(chunk)),
                                            deps);
            ready[m] = deps;
        }
    }
    for (size_t m = 0; m < n; ++m)
    {
        std::vector<uint32_t> deps = compute(m, m, ready[m]);
        deps.push_back(sends[n - 2][(m + n - 1) % n]);
        after[m] = {add(m, m, deps)};
    }
}

/**
 * A ring AllGather fused with the row-wise GEMM that consumes it (tile-based overlap, the
 * AllGather side): each member computes the tile of its own chunk (its tokens) at once, then
 * the tile of each chunk as it arrives from member m - 1 (in step k, chunk m - 1 - k), while
 * the ring forwards the chunks (in step k member m sends chunk m - k: CollectiveBuilder's ring
 * order and bytes). A member without work for the GEMM only relays.
 * \param graph the graph
 * \param members ring members (one: no transfer, its tile only)
 * \param tokens per member: its tokens (its chunk)
 * \param tile per member and token count: the kernels of that member's tile (may be empty)
 * \param tokenBytes bytes of one token's hidden state
 * \param dtype the data type
 * \param label task label prefix
 * \param after per member: what it waits for (its chunk); replaced by its last tile (or the
 * arrivals, without work)
 */
void
AddOverlappedAllGather(TaskGraph& graph,
                       const std::vector<uint32_t>& members,
                       const std::vector<uint32_t>& tokens,
                       const std::function<KernelWork(size_t, uint32_t)>& tile,
                       uint64_t tokenBytes,
                       DataType dtype,
                       const std::string& label,
                       std::vector<std::vector<uint32_t>>& after)
{
    const size_t n = members.size();
    auto compute = [&](size_t m, size_t chunk, const std::vector<uint32_t>& deps) {
        return AddTile(graph, members[m], tile(m, tokens[chunk]), dtype, label, chunk, deps);
    };
    std::vector<std::vector<uint32_t>> ready(n);
    for (size_t m = 0; m < n; ++m)
    {
        ready[m] = compute(m, m, after[m]); // its own chunk is there
    }
    std::vector<uint32_t> previous(n); // per member: its send of the last step
    for (size_t k = 0; k + 1 < n; ++k)
    {
        std::vector<uint32_t> sends(n);
        for (size_t m = 0; m < n; ++m)
        {
            const size_t chunk = (m + n - k) % n;
            sends[m] = graph.AddTransfer(TransferTask::Make(members[m],
                                                            members[(m + 1) % n],
                                                            tokens[chunk] * tokenBytes,
                                                            TransferKind::ALL_GATHER,
                                                            TransferTask::NO_MICRO_BATCH,
                                                            label + " " + std::to_string(chunk)),
                                         k == 0 ? after[m]
                                                : std::vector<uint32_t>{previous[(m + n - 1) % n]});
        }
        for (size_t m = 0; m < n; ++m)
        {
            std::vector<uint32_t> deps = ready[m];
            deps.push_back(sends[(m + n - 1) % n]); // chunk m - 1 - k arrived
            ready[m] = compute(m, (m + 2 * n - 1 - k) % n, deps);
        }
        previous = sends;
    }
    after = ready;
}

} // namespace

Ptr<TaskGraph>
GalaxyGraphBuilder::Build(const GalaxyCostModel& costs,
                          const GalaxyPlan& plan,
                          uint32_t deviceCount,
                          GalaxyOverlap overlap)
{
    GalaxyPlan check = plan;
    if (plan.heads.size() != costs.GetDeviceCount() || deviceCount < costs.GetDeviceCount())
    {
        NS_FATAL_ERROR("GalaxyGraphBuilder: a plan of " << plan.heads.size() << " devices into "
                                                        << deviceCount
                                                        << " graph devices; allowed: one entry "
                                                           "per fleet device, a graph at least "
                                                           "as large");
    }
    costs.Evaluate(check);
    if (!check.IsFeasible())
    {
        NS_FATAL_ERROR("GalaxyGraphBuilder: the plan " << plan.ToString() << " is infeasible");
    }
    // the ring: the devices with tokens, in device order, with their shares and kernels
    std::vector<uint32_t> members;
    std::vector<uint32_t> memberTokens;
    std::vector<uint32_t> memberHeads;
    std::vector<uint32_t> memberUnits;
    std::vector<uint64_t> chunkBytes;
    std::vector<KernelWork> attention;
    std::vector<KernelWork> attentionCore;
    std::vector<KernelWork> mlp;
    std::vector<KernelWork> mlpInput;
    std::vector<KernelWork> connective;
    const DataType dtype = costs.GetDataType();
    const uint64_t tokenBytes =
        static_cast<uint64_t>(costs.GetHiddenSize()) * GetDataTypeBytes(dtype);
    for (uint32_t i = 0; i < costs.GetDeviceCount(); ++i)
    {
        if (plan.tokens[i] == 0)
        {
            continue;
        }
        members.push_back(i);
        memberTokens.push_back(plan.tokens[i]);
        memberHeads.push_back(plan.heads[i]);
        memberUnits.push_back(plan.units[i]);
        chunkBytes.push_back(plan.tokens[i] * tokenBytes);
        attention.push_back(costs.GetAttentionWork(plan.heads[i]));
        attentionCore.push_back(costs.GetAttentionCoreWork(plan.heads[i]));
        mlp.push_back(costs.GetMlpWork(plan.units[i]));
        mlpInput.push_back(costs.GetMlpInputWork(plan.units[i]));
        connective.push_back(costs.GetConnectiveWork(plan.tokens[i]));
    }
    auto graph = Create<TaskGraph>(deviceCount);
    auto attentionTile = [&](size_t j, uint32_t rows) {
        return costs.GetAttentionOutputWork(memberHeads[j], rows);
    };
    auto mlpTile = [&](size_t j, uint32_t rows) {
        return costs.GetMlpOutputWork(memberUnits[j], rows);
    };
    auto qkvTile = [&](size_t j, uint32_t rows) { return costs.GetQkvWork(memberHeads[j], rows); };
    auto mlpInputTile = [&](size_t j, uint32_t rows) {
        return costs.GetMlpInputWork(memberUnits[j], rows);
    };
    std::vector<KernelWork> attentionScores;
    for (uint32_t heads : memberHeads)
    {
        attentionScores.push_back(costs.GetAttentionScoresWork(heads));
    }
    const bool both = overlap == GalaxyOverlap::BOTH;
    std::vector<std::vector<uint32_t>> after(members.size());
    for (uint32_t layer = 0; layer < costs.GetLayerCount(); ++layer)
    {
        const std::string l = "L" + std::to_string(layer) + " ";
        for (int block = 0; block < 2; ++block)
        {
            const bool mlpBlock = block == 1;
            const std::string name = mlpBlock ? "mlp" : "attn";
            if (overlap != GalaxyOverlap::NONE)
            {
                if (!both || (layer == 0 && !mlpBlock))
                {
                    AddStage(*graph,
                             members,
                             mlpBlock ? mlpInput : attentionCore,
                             dtype,
                             l + name + " in",
                             after);
                }
                else if (!mlpBlock)
                {
                    // the Q, K, V tiles ran as the last AllGather's chunks arrived
                    AddStage(*graph, members, attentionScores, dtype, l + "attn scores", after);
                }
                AddOverlappedReduceScatter(
                    *graph,
                    members,
                    memberTokens,
                    mlpBlock ? std::function<KernelWork(size_t, uint32_t)>(mlpTile) : attentionTile,
                    tokenBytes,
                    dtype,
                    l + name + " RS",
                    after);
            }
            else
            {
                AddStage(*graph,
                         members,
                         mlpBlock ? mlp : attention,
                         dtype,
                         l + name,
                         after,
                         MakeTensorId(mlpBlock ? GalaxyTensorOp::MLP : GalaxyTensorOp::ATTENTION,
                                      layer,
                                      block));
                if (members.size() > 1)
                {
                    AddCollective(*graph,
                                  members,
                                  chunkBytes,
                                  dtype,
                                  true,
                                  l + name + " RS",
                                  after,
                                  MakeTensorId(GalaxyTensorOp::REDUCE_SCATTER, layer, block));
                }
            }
            const bool tagged = overlap == GalaxyOverlap::NONE;
            AddStage(*graph,
                     members,
                     connective,
                     dtype,
                     l + "add+norm",
                     after,
                     tagged ? MakeTensorId(GalaxyTensorOp::CONNECTIVE, layer, block) : 0);
            const bool last = mlpBlock && layer + 1 == costs.GetLayerCount();
            if (both && !last)
            {
                // the next GEMM (the MLP's first projection, the next layer's Q, K, V) starts
                // on each chunk as it arrives
                AddOverlappedAllGather(
                    *graph,
                    members,
                    memberTokens,
                    mlpBlock ? std::function<KernelWork(size_t, uint32_t)>(qkvTile) : mlpInputTile,
                    tokenBytes,
                    dtype,
                    l + name + " AG",
                    after);
            }
            else if (members.size() > 1)
            {
                AddCollective(*graph,
                              members,
                              chunkBytes,
                              dtype,
                              false,
                              l + name + " AG",
                              after,
                              tagged ? MakeTensorId(GalaxyTensorOp::ALL_GATHER, layer, block) : 0);
            }
        }
    }
    const uint32_t generated = costs.GetGeneratedTokens();
    if (generated == 0)
    {
        return graph;
    }
    // every member holds the whole last hidden state: each picks the same next token
    const std::vector<KernelWork> head(members.size(), costs.GetOutputHeadWork());
    AddStage(*graph, members, head, dtype, std::string(TOKEN_LABEL) + "0", after);
    const std::vector<uint64_t> tokenChunks = costs.GetTokenChunkBytes(members.size());
    const std::vector<KernelWork> tokenConnective(members.size(), costs.GetConnectiveWork(1));
    std::vector<KernelWork> decodeMlp;
    for (uint32_t units : memberUnits)
    {
        decodeMlp.push_back(costs.GetDecodeMlpWork(units));
    }
    for (uint32_t step = 1; step < generated; ++step)
    {
        const uint32_t context = costs.GetTokens() + step; // the fed-back token included
        std::vector<KernelWork> decodeAttention;
        for (uint32_t heads : memberHeads)
        {
            decodeAttention.push_back(costs.GetDecodeAttentionWork(heads, context));
        }
        const std::string t = "T" + std::to_string(step) + " ";
        for (uint32_t layer = 0; layer < costs.GetLayerCount(); ++layer)
        {
            const std::string l = t + "L" + std::to_string(layer) + " ";
            for (int block = 0; block < 2; ++block)
            {
                const bool mlpBlock = block == 1;
                const std::string name = mlpBlock ? "mlp" : "attn";
                AddStage(*graph,
                         members,
                         mlpBlock ? decodeMlp : decodeAttention,
                         dtype,
                         l + name,
                         after);
                if (members.size() > 1)
                {
                    RingSpec spec;
                    spec.group = members;
                    spec.chunkBytes = tokenChunks;
                    spec.dtype = dtype;
                    spec.after = after;
                    spec.label = l + name + " AR";
                    after = CollectiveBuilder::AllReduce(*graph, spec).last;
                }
                AddStage(*graph, members, tokenConnective, dtype, l + "add+norm", after);
            }
        }
        AddStage(*graph, members, head, dtype, TOKEN_LABEL + std::to_string(step), after);
    }
    return graph;
}

uint64_t
GalaxyGraphBuilder::MakeTensorId(GalaxyTensorOp op, uint32_t layer, uint32_t block, uint32_t chunk)
{
    return (static_cast<uint64_t>(op) << 48) | (static_cast<uint64_t>(layer) << 24) |
           (static_cast<uint64_t>(block & 1) << 20) | (chunk & 0xFFFFF);
}

void
GalaxyGraphBuilder::ParseTensorId(uint64_t id,
                                  GalaxyTensorOp& op,
                                  uint32_t& layer,
                                  uint32_t& block,
                                  uint32_t& chunk)
{
    op = static_cast<GalaxyTensorOp>(id >> 48);
    layer = static_cast<uint32_t>((id >> 24) & 0xFFFFFF);
    block = static_cast<uint32_t>((id >> 20) & 1);
    chunk = static_cast<uint32_t>(id & 0xFFFFF);
}

Ptr<TaskGraph>
GalaxyGraphBuilder::BuildSequenceParallel(const GalaxyCostModel& costs,
                                          const std::vector<uint32_t>& tokens,
                                          uint32_t deviceCount)
{
    uint32_t sum = 0;
    for (uint32_t t : tokens)
    {
        sum += t;
    }
    if (tokens.size() != costs.GetDeviceCount() || deviceCount < tokens.size() ||
        sum != costs.GetTokens() || costs.GetGeneratedTokens() > 0)
    {
        NS_FATAL_ERROR("GalaxyGraphBuilder: a sequence split of "
                       << tokens.size() << " devices and " << sum << " tokens into " << deviceCount
                       << " graph devices; allowed: one entry per fleet device summing to "
                       << costs.GetTokens() << ", a prefill");
    }
    std::vector<uint32_t> members;
    std::vector<uint32_t> memberTokens;
    std::vector<KernelWork> projection;
    std::vector<KernelWork> rest;
    for (uint32_t i = 0; i < tokens.size(); ++i)
    {
        if (tokens[i] > 0)
        {
            members.push_back(i);
            memberTokens.push_back(tokens[i]);
            projection.push_back(costs.GetSequenceProjectionWork(tokens[i]));
            rest.push_back(costs.GetSequenceRestWork(tokens[i]));
        }
    }
    const std::vector<uint64_t> chunks = costs.GetSequenceChunkBytes(memberTokens);
    const DataType dtype = costs.GetDataType();
    auto graph = Create<TaskGraph>(deviceCount);
    std::vector<std::vector<uint32_t>> after(members.size());
    for (uint32_t layer = 0; layer < costs.GetLayerCount(); ++layer)
    {
        const std::string l = "L" + std::to_string(layer) + " ";
        AddStage(*graph, members, projection, dtype, l + "qkv", after);
        if (members.size() > 1)
        {
            AddCollective(*graph, members, chunks, dtype, false, l + "kv AG", after);
        }
        AddStage(*graph, members, rest, dtype, l + "attn+mlp", after);
    }
    return graph;
}

Ptr<TaskGraph>
GalaxyGraphBuilder::BuildLayerPipeline(const GalaxyCostModel& costs,
                                       const std::vector<uint32_t>& layers,
                                       uint32_t deviceCount)
{
    uint32_t sum = 0;
    std::vector<uint32_t> stages;
    for (uint32_t i = 0; i < layers.size(); ++i)
    {
        sum += layers[i];
        if (layers[i] > 0)
        {
            stages.push_back(i);
        }
    }
    if (layers.size() != costs.GetDeviceCount() || deviceCount < layers.size() ||
        sum != costs.GetLayerCount())
    {
        NS_FATAL_ERROR("GalaxyGraphBuilder: a layer partition of "
                       << layers.size() << " devices and " << sum << " layers into " << deviceCount
                       << " graph devices; allowed: one entry per fleet device "
                       << "summing to " << costs.GetLayerCount());
    }
    const DataType dtype = costs.GetDataType();
    const uint64_t tokenBytes =
        static_cast<uint64_t>(costs.GetHiddenSize()) * GetDataTypeBytes(dtype);
    auto graph = Create<TaskGraph>(deviceCount);
    std::vector<uint32_t> after;
    auto compute = [&](uint32_t device, const KernelWork& work, const std::string& label) {
        ComputeTask task;
        task.device = device;
        task.kind = ComputeKind::FORWARD;
        task.dtype = dtype;
        task.label = label;
        ComputeCost::FromKernels(work).ApplyTo(task);
        after = {graph->AddCompute(task, after)};
    };
    auto send = [&](uint32_t from, uint32_t to, uint64_t bytes, const std::string& label) {
        after = {graph->AddTransfer(TransferTask::Make(from,
                                                       to,
                                                       bytes,
                                                       TransferKind::ACTIVATION,
                                                       TransferTask::NO_MICRO_BATCH,
                                                       label),
                                    after)};
    };
    // one pass through the stages: per layer its work, between stages the activations
    auto pass =
        [&](const std::string& prefix, const KernelWork& layerWork, uint64_t activationBytes) {
            uint32_t layer = 0;
            for (size_t j = 0; j < stages.size(); ++j)
            {
                if (j > 0)
                {
                    send(stages[j - 1], stages[j], activationBytes, prefix + "act");
                }
                for (uint32_t n = 0; n < layers[stages[j]]; ++n, ++layer)
                {
                    compute(stages[j], layerWork, prefix + "L" + std::to_string(layer));
                }
            }
        };
    pass("", costs.GetLayerWork(), costs.GetTokens() * tokenBytes);
    const uint32_t generated = costs.GetGeneratedTokens();
    if (generated == 0)
    {
        return graph;
    }
    compute(stages.back(), costs.GetOutputHeadWork(), std::string(TOKEN_LABEL) + "0");
    for (uint32_t step = 1; step < generated; ++step)
    {
        const std::string t = "T" + std::to_string(step) + " ";
        if (stages.size() > 1)
        {
            send(stages.back(), stages.front(), TOKEN_ID_BYTES, t + "token id");
        }
        pass(t, costs.GetDecodeLayerWork(costs.GetTokens() + step), tokenBytes);
        compute(stages.back(), costs.GetOutputHeadWork(), TOKEN_LABEL + std::to_string(step));
    }
    return graph;
}

} // namespace edgellm
} // namespace ns3
