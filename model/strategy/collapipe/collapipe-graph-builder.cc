/* SPDX-License-Identifier: GPL-2.0-only */
#include "collapipe-graph-builder.h"

#include "ns3/collective-builder.h"
#include "ns3/fatal-error.h"
#include "ns3/layer-kernels.h"
#include "ns3/log.h"

#include <map>
#include <numeric>
#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollaPipeGraphBuilder");

namespace
{

/// The forward pass of a layer range, priced kernel by kernel.
ComputeCost
ForwardCost(const LayerKernels& kernels)
{
    return ComputeCost::FromKernels(kernels.forward);
}

/// The backward pass of a layer range, priced kernel by kernel.
ComputeCost
BackwardCost(const LayerKernels& kernels)
{
    return ComputeCost::FromKernels(kernels.backward);
}

ComputeCost
OptimizerCost(const LayerCost& sum, const TrainingRecipe& recipe)
{
    return ComputeCost::FromFlops(LayerCostModel::GetOptimizerStepFlops(sum, recipe),
                                  LayerCostModel::GetOptimizerStepBytes(sum));
}

/// First and last layer index of device \p k's segment (layer 0 is the embedding).
std::pair<uint32_t, uint32_t>
SegmentRange(const CollaPipeCluster& cluster, uint32_t k)
{
    uint32_t first =
        1 + std::accumulate(cluster.segmentBlocks.begin(), cluster.segmentBlocks.begin() + k, 0U);
    return {first, first + cluster.segmentBlocks[k] - 1};
}

/// \p plan without the devices that hold no block: they idle this round, so the pipeline and
/// FedAvg skip them.
CollaPipePlan
DropIdleDevices(const CollaPipePlan& plan)
{
    CollaPipePlan active = plan;
    for (CollaPipeCluster& cluster : active.clusters)
    {
        CollaPipeCluster kept = cluster;
        kept.devices.clear();
        kept.segmentBlocks.clear();
        for (size_t k = 0; k < cluster.devices.size(); ++k)
        {
            if (cluster.segmentBlocks[k] > 0)
            {
                kept.devices.push_back(cluster.devices[k]);
                kept.segmentBlocks.push_back(cluster.segmentBlocks[k]);
            }
        }
        cluster = kept;
    }
    return active;
}

/// \p task as a one-element list, or an empty list for NO_TASK.
std::vector<uint32_t>
Keep(uint32_t task)
{
    return task == TaskGraph::NO_TASK ? std::vector<uint32_t>{} : std::vector<uint32_t>{task};
}

/**
 * FedAvg after the gather's uploads: one AGGREGATE task on the root (\p flops, reading every
 * uploaded copy and writing \p writtenBytes of averages), then the same bytes back to every
 * member (a broadcast of \p gather's members after the average).
 */
uint32_t
AddAverage(TaskGraph& graph,
           const RootedSpec& gather,
           DataType dtype,
           double flops,
           double writtenBytes,
           const std::string& name)
{
    CollectiveTasks uploads = CollectiveBuilder::Gather(graph, gather);
    ComputeTask average;
    average.device = gather.root;
    average.kind = ComputeKind::AGGREGATE;
    average.dtype = dtype;
    average.flops = flops;
    average.memoryBytes =
        static_cast<double>(
            std::accumulate(gather.memberBytes.begin(), gather.memberBytes.end(), uint64_t{0})) +
        writtenBytes;
    average.label = name + " average";
    return graph.AddCompute(average, uploads.last[0]);
}

/// The averages back to \p gather's members once \p ready (on the root) have finished.
void
AddBroadcastAfter(TaskGraph& graph,
                  const RootedSpec& gather,
                  const std::vector<uint32_t>& ready,
                  const std::string& name)
{
    RootedSpec broadcast = gather;
    broadcast.label = name + " down";
    broadcast.after.assign(gather.group.size(), {});
    broadcast.after[0] = ready;
    CollectiveBuilder::Broadcast(graph, broadcast);
}

void
AddAverageAndBroadcast(TaskGraph& graph,
                       const RootedSpec& gather,
                       DataType dtype,
                       double flops,
                       double writtenBytes,
                       const std::string& name)
{
    AddBroadcastAfter(graph,
                      gather,
                      {AddAverage(graph, gather, dtype, flops, writtenBytes, name)},
                      name);
}

/**
 * The model and recipe checks of CollaPipe and of its plain-FL baseline: a valid spec and
 * recipe, an encoder, a training recipe.
 * \param system the system named in the recipe message
 * \param encoderUse what the system does with the encoder, for the no-encoder message
 */
std::string
CheckTrainedEncoder(const TransformerSpec& spec,
                    const TrainingRecipe& recipe,
                    const std::string& system,
                    const std::string& encoderUse)
{
    std::string problem = LayerCostModel::Validate(spec, recipe);
    if (!problem.empty())
    {
        return problem;
    }
    if (spec.encoderLayers == 0)
    {
        return "model='" + spec.name + "' has no encoder; " + encoderUse +
               " an encoder (e.g. bert-base, t5-base)";
    }
    if (!recipe.IsTraining())
    {
        return "recipe='inference' is invalid for " + system +
               ": it trains and averages parameters";
    }
    return "";
}

/// The micro-batch and local-iteration counts of a plan: both positive.
std::string
CheckIterationCounts(uint32_t microBatches, uint32_t localIterations)
{
    if (microBatches == 0)
    {
        return "microBatches=0 is invalid: must be a positive integer";
    }
    if (localIterations == 0)
    {
        return "localIterations=0 is invalid: must be a positive integer";
    }
    return "";
}

} // namespace

std::string
CollaPipeGraphBuilder::Validate(const TransformerSpec& spec,
                                const TrainingRecipe& recipe,
                                const CollaPipePlan& plan,
                                uint32_t nodeCount)
{
    std::string problem = CheckTrainedEncoder(spec, recipe, "CollaPipe", "CollaPipe pipelines");
    if (!problem.empty())
    {
        return problem;
    }
    if (plan.clusters.empty())
    {
        return "clusters is empty: give at least one cluster";
    }
    problem = CheckIterationCounts(plan.microBatches, plan.localIterations);
    if (!problem.empty())
    {
        return problem;
    }
    if (plan.firstIteration >= plan.localIterations)
    {
        return "firstIteration=" + std::to_string(plan.firstIteration) +
               " is invalid: must be below localIterations=" + std::to_string(plan.localIterations);
    }
    std::set<uint32_t> used;
    auto claim = [&used, nodeCount](uint32_t node, const std::string& role) -> std::string {
        if (node >= nodeCount)
        {
            return role + "=" + std::to_string(node) + " is not a node of the run; allowed: 0.." +
                   std::to_string(nodeCount - 1);
        }
        if (!used.insert(node).second)
        {
            return role + "=" + std::to_string(node) +
                   " already has a role in the plan; every node has one role";
        }
        return "";
    };
    problem = claim(plan.server, "server");
    if (!problem.empty())
    {
        return problem;
    }
    std::set<uint32_t> cellServers;
    for (size_t c = 0; c < plan.clusters.size(); ++c)
    {
        const uint32_t cellServer = plan.clusters[c].cellServer;
        if (cellServer != CollaPipeCluster::NO_CELL_SERVER && cellServer != plan.server &&
            cellServers.insert(cellServer).second)
        {
            problem = claim(cellServer, "cluster " + std::to_string(c) + " cellServer");
            if (!problem.empty())
            {
                return problem;
            }
        }
    }
    for (size_t c = 0; c < plan.clusters.size(); ++c)
    {
        const auto& cluster = plan.clusters[c];
        const std::string name = "cluster " + std::to_string(c);
        problem = claim(cluster.controlUnit, name + " controlUnit");
        if (!problem.empty())
        {
            return problem;
        }
        if (cluster.devices.empty())
        {
            return name + ": devices is empty: give at least one device";
        }
        if (cluster.segmentBlocks.size() != cluster.devices.size())
        {
            return name + ": segmentBlocks has " + std::to_string(cluster.segmentBlocks.size()) +
                   " entries for " + std::to_string(cluster.devices.size()) +
                   " devices; give one per device";
        }
        for (size_t k = 0; k < cluster.devices.size(); ++k)
        {
            problem = claim(cluster.devices[k], name + " device");
            if (!problem.empty())
            {
                return problem;
            }
        }
        const uint32_t total =
            std::accumulate(cluster.segmentBlocks.begin(), cluster.segmentBlocks.end(), 0U);
        if (total != spec.encoderLayers)
        {
            return name + ": segmentBlocks sum to " + std::to_string(total) + " but model='" +
                   spec.name + "' has " + std::to_string(spec.encoderLayers) +
                   " encoder blocks; they must be equal";
        }
    }
    return "";
}

uint64_t
CollaPipeGraphBuilder::GetSegmentParameterBytes(const TransformerSpec& spec,
                                                const TrainingRecipe& recipe,
                                                const CollaPipeCluster& cluster,
                                                uint32_t device)
{
    if (cluster.segmentBlocks.at(device) == 0)
    {
        return 0; // an idle device holds nothing
    }
    const auto layers = LayerCostModel::Compute(spec, recipe);
    const auto [first, last] = SegmentRange(cluster, device);
    return LayerCostModel::Sum(layers, first, last).trainableParameterBytes;
}

Ptr<TaskGraph>
CollaPipeGraphBuilder::BuildRound(const TransformerSpec& spec,
                                  const TrainingRecipe& recipe,
                                  const CollaPipePlan& plan,
                                  uint32_t nodeCount)
{
    std::vector<std::vector<uint32_t>> checkpoints;
    return BuildRound(spec, recipe, plan, nodeCount, checkpoints);
}

Ptr<TaskGraph>
CollaPipeGraphBuilder::BuildRound(const TransformerSpec& spec,
                                  const TrainingRecipe& recipe,
                                  const CollaPipePlan& requested,
                                  uint32_t nodeCount,
                                  std::vector<std::vector<uint32_t>>& checkpoints)
{
    checkpoints.clear();
    const std::string problem = Validate(spec, recipe, requested, nodeCount);
    NS_ABORT_MSG_IF(!problem.empty(), "CollaPipeGraphBuilder: " << problem);
    const CollaPipePlan plan = DropIdleDevices(requested);

    const std::vector<LayerCost> layers = LayerCostModel::Compute(spec, recipe);
    const std::vector<LayerKernels> kernels = LayerKernelModel::Compute(spec, recipe);
    const uint32_t lastEncoder = spec.encoderLayers;                 // layer index
    const auto lastLayer = static_cast<uint32_t>(layers.size() - 1); // server's last
    const LayerCost embedding = layers[0];
    const LayerCost serverPart = LayerCostModel::Sum(layers, lastEncoder + 1, lastLayer);
    const bool embeddingTrains = embedding.trainableParameterCount > 0;
    // The server runs the layers after the last encoder block forward, then backward.
    const LayerKernels serverRange = LayerKernelModel::Sum(kernels, lastEncoder + 1, lastLayer);
    KernelWork serverKernels = serverRange.forward;
    serverKernels.Append(serverRange.backward);
    const bool serverTrains = serverPart.trainableParameterCount > 0;

    Ptr<TaskGraph> graph = Create<TaskGraph>(nodeCount);
    // Per node: its last task so far (iteration e+1 on a node follows its own iteration e).
    std::vector<std::vector<uint32_t>> lastOnNode(nodeCount);
    // What a node trains: the embedding on the control unit (when it trains), the segment on
    // a device; what a checkpoint sends to the server, and a resumed round sends back.
    auto trainedBytes = [&](const CollaPipeCluster& cluster, int32_t k) -> uint64_t {
        if (k < 0)
        {
            return embeddingTrains ? embedding.trainableParameterBytes : 0;
        }
        const auto [first, last] = SegmentRange(cluster, static_cast<uint32_t>(k));
        return LayerCostModel::Sum(layers, first, last).trainableParameterBytes;
    };
    auto nodeOf = [](const CollaPipeCluster& cluster, int32_t k) {
        return k < 0 ? cluster.controlUnit : cluster.devices[static_cast<uint32_t>(k)];
    };
    // the server that runs a cluster's decoder, averages its cell and keeps its checkpoints
    auto serverOf = [&plan](const CollaPipeCluster& cluster) {
        return cluster.cellServer == CollaPipeCluster::NO_CELL_SERVER ? plan.server
                                                                      : cluster.cellServer;
    };
    if (plan.firstIteration > 0)
    {
        // resumed: every node first receives the checkpointed state of what it now trains
        for (const CollaPipeCluster& cluster : plan.clusters)
        {
            for (int32_t k = -1; k < static_cast<int32_t>(cluster.devices.size()); ++k)
            {
                const uint64_t bytes = trainedBytes(cluster, k);
                if (bytes > 0)
                {
                    const TransferTask restore = TransferTask::Make(serverOf(cluster),
                                                                    nodeOf(cluster, k),
                                                                    bytes,
                                                                    TransferKind::PARAMETERS,
                                                                    TransferTask::NO_MICRO_BATCH,
                                                                    "restore");
                    lastOnNode[nodeOf(cluster, k)] = {graph->AddTransfer(restore)};
                }
            }
        }
    }

    for (uint32_t iteration = plan.firstIteration; iteration < plan.localIterations; ++iteration)
    {
        for (size_t c = 0; c < plan.clusters.size(); ++c)
        {
            const CollaPipeCluster& cluster = plan.clusters[c];
            PipelineSpec pipeline;
            pipeline.schedule = plan.schedule;
            pipeline.microBatches = plan.microBatches;
            pipeline.dtype = recipe.dtype;
            pipeline.stageDevices = cluster.devices;
            pipeline.label = "c" + std::to_string(c) + " it" + std::to_string(iteration);
            for (uint32_t k = 0; k < cluster.devices.size(); ++k)
            {
                const auto [first, last] = SegmentRange(cluster, k);
                const LayerCost sum = LayerCostModel::Sum(layers, first, last);
                const LayerKernels segment = LayerKernelModel::Sum(kernels, first, last);
                pipeline.forwardCosts.push_back(ForwardCost(segment));
                pipeline.backwardCosts.push_back(BackwardCost(segment));
                pipeline.optimizerCosts.push_back(OptimizerCost(sum, recipe));
                if (k + 1 < cluster.devices.size())
                {
                    pipeline.activationBytes.push_back(layers[last].boundaryActivationBytes);
                    pipeline.gradientBytes.push_back(layers[last].boundaryActivationBytes);
                }
            }
            PipelineSource source;
            source.device = cluster.controlUnit;
            source.inputBytes = embedding.boundaryActivationBytes;
            source.forwardCost = ForwardCost(kernels[0]);
            if (embeddingTrains)
            {
                source.gradientBytes = embedding.boundaryActivationBytes;
                source.backwardCost = BackwardCost(kernels[0]);
                source.optimizerCost = OptimizerCost(embedding, recipe);
            }
            pipeline.source = source;
            const uint32_t headServer = serverOf(cluster);
            PipelineHead head;
            head.device = headServer;
            head.activationBytes = layers[lastEncoder].boundaryActivationBytes;
            head.gradientBytes = layers[lastEncoder].boundaryActivationBytes;
            head.lossCost = ComputeCost::FromKernels(serverKernels);
            if (serverTrains)
            {
                head.optimizerCost = OptimizerCost(serverPart, recipe);
            }
            pipeline.head = head;
            for (uint32_t node : cluster.devices)
            {
                pipeline.afterOnDevice[node] = lastOnNode[node];
            }
            pipeline.afterOnDevice[cluster.controlUnit] = lastOnNode[cluster.controlUnit];
            pipeline.afterOnDevice[headServer] = lastOnNode[headServer];

            PipelineTasks tasks = PipelineScheduleBuilder::Build(*graph, pipeline);
            // A micro-batch's samples are trained when its last backward ends (the embedding's
            // where it trains). Numbered by the control unit (the cluster's data stays there),
            // so a cluster re-partitioned after a device left trains the same samples.
            const uint32_t microSize = recipe.microBatchSize;
            for (uint32_t mb = 0; mb < plan.microBatches; ++mb)
            {
                graph->SetSamples(
                    embeddingTrains ? tasks.sourceBackward[mb] : tasks.backward[0][mb],
                    (uint64_t{cluster.controlUnit} * plan.localIterations + iteration) *
                            plan.microBatches * microSize +
                        uint64_t{mb} * microSize,
                    microSize);
            }
            for (uint32_t k = 0; k < cluster.devices.size(); ++k)
            {
                lastOnNode[cluster.devices[k]] = Keep(tasks.lastTask[k]);
            }
            lastOnNode[cluster.controlUnit] = Keep(tasks.sourceLastTask);
            // The server is the head of every cluster of its cell: it waits for all of them.
            if (tasks.headLastTask != TaskGraph::NO_TASK)
            {
                lastOnNode[headServer].push_back(tasks.headLastTask);
            }
        }
        if (plan.checkpoint && iteration + 1 < plan.localIterations)
        {
            // each node's state after the iteration, sent while the next one runs (FedAvg
            // follows the last iteration)
            checkpoints.emplace_back();
            for (const CollaPipeCluster& cluster : plan.clusters)
            {
                for (int32_t k = -1; k < static_cast<int32_t>(cluster.devices.size()); ++k)
                {
                    const uint64_t bytes = trainedBytes(cluster, k);
                    if (bytes > 0)
                    {
                        const TransferTask save =
                            TransferTask::Make(nodeOf(cluster, k),
                                               serverOf(cluster),
                                               bytes,
                                               TransferKind::PARAMETERS,
                                               TransferTask::NO_MICRO_BATCH,
                                               "checkpoint it" + std::to_string(iteration));
                        checkpoints.back().push_back(
                            graph->AddTransfer(save, lastOnNode[nodeOf(cluster, k)]));
                    }
                }
            }
        }
    }

    // FedAvg: every device and control unit uploads what it trains to its cell's server, which
    // averages each layer over its clusters (2 FLOPs per parameter per cluster); with one cell
    // that is the server, which sends the result back. With several, every cell's server sends
    // its average (its decoder's parameters too) up the backhaul, the server averages over the
    // cells and sends it back down, and each cell's server sends its nodes their layers.
    std::vector<uint32_t> cellServers; // in the order of their first cluster
    std::map<uint32_t, std::vector<const CollaPipeCluster*>> cellClusters;
    for (const auto& cluster : plan.clusters)
    {
        const uint32_t server = serverOf(cluster);
        if (cellClusters.count(server) == 0)
        {
            cellServers.push_back(server);
        }
        cellClusters[server].push_back(&cluster);
    }
    const bool hierarchical = cellServers.size() > 1 || cellServers[0] != plan.server;
    RootedSpec backhaul; // the cells' averages to the server
    backhaul.root = plan.server;
    backhaul.kind = TransferKind::PARAMETERS;
    backhaul.label = "fedavg backhaul up";
    backhaul.group.push_back(plan.server);
    backhaul.memberBytes.push_back(0);
    backhaul.after.push_back(lastOnNode[plan.server]);
    std::vector<RootedSpec> cellGathers;
    uint64_t cellParameters = 0; // parameters of one cell's average
    for (uint32_t server : cellServers)
    {
        RootedSpec gather;
        gather.root = server;
        gather.kind = TransferKind::PARAMETERS;
        gather.label = "fedavg up";
        gather.group.push_back(server);
        gather.memberBytes.push_back(0);
        gather.after.push_back(lastOnNode[server]);
        uint64_t averagedParameters = 0;
        for (const CollaPipeCluster* cluster : cellClusters[server])
        {
            if (embeddingTrains)
            {
                gather.group.push_back(cluster->controlUnit);
                gather.memberBytes.push_back(embedding.trainableParameterBytes);
                gather.after.push_back(lastOnNode[cluster->controlUnit]);
                averagedParameters += embedding.trainableParameterCount;
            }
            for (uint32_t k = 0; k < cluster->devices.size(); ++k)
            {
                const auto [first, last] = SegmentRange(*cluster, k);
                const LayerCost sum = LayerCostModel::Sum(layers, first, last);
                gather.group.push_back(cluster->devices[k]);
                gather.memberBytes.push_back(sum.trainableParameterBytes);
                gather.after.push_back(lastOnNode[cluster->devices[k]]);
                averagedParameters += sum.trainableParameterCount;
            }
        }
        // 2 FLOPs per parameter per cluster; the averages (one copy per layer) are written back
        const uint64_t uploaded =
            std::accumulate(gather.memberBytes.begin(), gather.memberBytes.end(), uint64_t{0});
        const auto clustersHere = static_cast<double>(cellClusters[server].size());
        if (!hierarchical)
        {
            AddAverageAndBroadcast(*graph,
                                   gather,
                                   recipe.dtype,
                                   2.0 * static_cast<double>(averagedParameters),
                                   static_cast<double>(uploaded) / clustersHere,
                                   "fedavg");
            return graph;
        }
        const uint32_t cellAverage = AddAverage(*graph,
                                                gather,
                                                recipe.dtype,
                                                2.0 * static_cast<double>(averagedParameters),
                                                static_cast<double>(uploaded) / clustersHere,
                                                "fedavg cell");
        // one copy of every trained layer: the encoder's and the embedding's (what each of the
        // cell's clusters uploaded) and the cell's decoder
        const uint64_t averageBytes = uploaded / cellClusters[server].size() +
                                      (serverTrains ? serverPart.trainableParameterBytes : 0);
        cellParameters = averagedParameters / cellClusters[server].size() +
                         (serverTrains ? serverPart.trainableParameterCount : 0);
        backhaul.group.push_back(server);
        backhaul.memberBytes.push_back(averageBytes);
        backhaul.after.push_back({cellAverage});
        cellGathers.push_back(gather);
    }
    const uint64_t backhaulBytes =
        std::accumulate(backhaul.memberBytes.begin(), backhaul.memberBytes.end(), uint64_t{0});
    const uint32_t globalAverage =
        AddAverage(*graph,
                   backhaul,
                   recipe.dtype,
                   2.0 * static_cast<double>(cellParameters) * cellServers.size(),
                   static_cast<double>(backhaulBytes) / cellServers.size(),
                   "fedavg global");
    RootedSpec down = backhaul;
    down.label = "fedavg backhaul";
    down.after.assign(backhaul.group.size(), {});
    down.after[0] = {globalAverage};
    const CollectiveTasks received = CollectiveBuilder::Broadcast(*graph, down);
    for (size_t i = 0; i < cellGathers.size(); ++i)
    {
        // member i + 1 of the backhaul broadcast is cell server i: its receipt, then its nodes
        AddBroadcastAfter(*graph, cellGathers[i], received.last[i + 1], "fedavg");
    }
    return graph;
}

std::pair<uint32_t, uint32_t>
CollaPipeGraphBuilder::GetPlainFlLayerRange(const TransformerSpec& spec,
                                            const TrainingRecipe& recipe,
                                            const PlainFlPlan& plan)
{
    if (!plan.wholeModel)
    {
        return {1, spec.encoderLayers};
    }
    const auto layers = LayerCostModel::Compute(spec, recipe);
    return {0, static_cast<uint32_t>(layers.size() - 1)};
}

std::string
CollaPipeGraphBuilder::ValidatePlainFl(const TransformerSpec& spec,
                                       const TrainingRecipe& recipe,
                                       const PlainFlPlan& plan,
                                       uint32_t nodeCount)
{
    std::string problem =
        CheckTrainedEncoder(spec, recipe, "plain FL", "the plain-FL baseline of CollaPipe trains");
    if (!problem.empty())
    {
        return problem;
    }
    if (nodeCount < 2)
    {
        return "nodeCount=" + std::to_string(nodeCount) +
               " is invalid: plain FL needs a server and at least one device";
    }
    if (plan.devices.empty())
    {
        return "devices is empty: give at least one device";
    }
    problem = CheckIterationCounts(plan.microBatches, plan.localIterations);
    if (!problem.empty())
    {
        return problem;
    }
    const std::string allowed = "; allowed: 0.." + std::to_string(nodeCount - 1);
    if (plan.server >= nodeCount)
    {
        return "server=" + std::to_string(plan.server) + " is not a node of the run" + allowed;
    }
    std::set<uint32_t> seen;
    for (size_t i = 0; i < plan.devices.size(); ++i)
    {
        const std::string name =
            "devices[" + std::to_string(i) + "]=" + std::to_string(plan.devices[i]);
        if (plan.devices[i] >= nodeCount)
        {
            return name + " is not a node of the run" + allowed;
        }
        if (plan.devices[i] == plan.server)
        {
            return name + " is the server; the server averages and trains no copy in plain FL";
        }
        if (!seen.insert(plan.devices[i]).second)
        {
            return name + " appears twice; every device trains one copy";
        }
    }
    const auto [first, last] = GetPlainFlLayerRange(spec, recipe, plan);
    const auto layers = LayerCostModel::Compute(spec, recipe);
    if (LayerCostModel::Sum(layers, first, last).trainableParameterCount == 0)
    {
        return "recipe='" + RecipeKindToString(recipe.kind) + "' trains no parameter in the " +
               (plan.wholeModel ? "model" : "encoder blocks") + " of model='" + spec.name +
               "': plain FL would have nothing to average";
    }
    return "";
}

Ptr<TaskGraph>
CollaPipeGraphBuilder::BuildPlainFlRound(const TransformerSpec& spec,
                                         const TrainingRecipe& recipe,
                                         const PlainFlPlan& plan,
                                         uint32_t nodeCount)
{
    const std::string problem = ValidatePlainFl(spec, recipe, plan, nodeCount);
    NS_ABORT_MSG_IF(!problem.empty(), "CollaPipeGraphBuilder (plain FL): " << problem);

    const std::vector<LayerCost> layers = LayerCostModel::Compute(spec, recipe);
    const auto [first, last] = GetPlainFlLayerRange(spec, recipe, plan);
    const LayerCost copy = LayerCostModel::Sum(layers, first, last);
    const LayerKernels copyKernels =
        LayerKernelModel::Sum(LayerKernelModel::Compute(spec, recipe), first, last);
    const ComputeCost forward = ForwardCost(copyKernels);
    const ComputeCost backward = BackwardCost(copyKernels);
    const ComputeCost optimizer = OptimizerCost(copy, recipe);

    Ptr<TaskGraph> graph = Create<TaskGraph>(nodeCount);
    RootedSpec gather;
    gather.root = plan.server;
    gather.kind = TransferKind::PARAMETERS;
    gather.label = "plain-fl up";
    gather.group.push_back(plan.server);
    gather.memberBytes.push_back(0);
    gather.after.emplace_back();
    for (uint32_t node : plan.devices)
    {
        const std::string name = "plain-fl d" + std::to_string(node);
        // Program order on the device: the chain of dependencies is the order it runs.
        std::vector<uint32_t> previous;
        auto add = [&](ComputeKind kind, const ComputeCost& cost, uint32_t mb, std::string label) {
            ComputeTask task;
            task.device = node;
            task.kind = kind;
            cost.ApplyTo(task);
            task.dtype = recipe.dtype;
            task.microBatch = mb;
            task.label = std::move(label);
            previous = {graph->AddCompute(task, previous)};
        };
        for (uint32_t iteration = 0; iteration < plan.localIterations; ++iteration)
        {
            const std::string it = name + " it" + std::to_string(iteration);
            for (uint32_t mb = 0; mb < plan.microBatches; ++mb)
            {
                const std::string mbName = " mb" + std::to_string(mb);
                add(ComputeKind::FORWARD, forward, mb, it + " fwd" + mbName);
                add(ComputeKind::BACKWARD, backward, mb, it + " bwd" + mbName);
                // the device's own shard, numbered by its node: its samples are trained here
                graph->SetSamples(
                    previous.front(),
                    ((uint64_t{node} * plan.localIterations + iteration) * plan.microBatches + mb) *
                        recipe.microBatchSize,
                    recipe.microBatchSize);
            }
            add(ComputeKind::OPTIMIZER, optimizer, ComputeTask::NO_MICRO_BATCH, it + " opt");
        }
        gather.group.push_back(node);
        gather.memberBytes.push_back(copy.trainableParameterBytes);
        gather.after.push_back(previous);
    }
    // 2 FLOPs per parameter per device; one average written
    const auto clients = static_cast<double>(plan.devices.size());
    AddAverageAndBroadcast(*graph,
                           gather,
                           recipe.dtype,
                           2.0 * static_cast<double>(copy.trainableParameterCount) * clients,
                           static_cast<double>(copy.trainableParameterBytes),
                           "plain-fl");
    return graph;
}

} // namespace edgellm
} // namespace ns3
