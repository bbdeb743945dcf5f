/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-training-graph-builder.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <map>
#include <set>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTorchTrainingGraphBuilder");

namespace
{

/// \return a compute cost priced by the ComputeModel: the kernel's FLOPs, its unit's weights
ComputeCost
KernelCost(const TorchEngineConfig& config, TorchKernelOp op, uint32_t unit, double weightBytes)
{
    return ComputeCost::FromFlops(TorchComputeEngine::EstimateFlops(config, op, unit), weightBytes);
}

} // namespace

std::string
TorchTrainingGraphBuilder::Validate(const TorchEngineConfig& config,
                                    const TorchTrainingPlan& plan,
                                    uint32_t nodeCount)
{
    std::string problem = TorchComputeEngine::Validate(config);
    if (!problem.empty())
    {
        return problem;
    }
    if (plan.clusters.size() != config.replicas)
    {
        return "clusters has " + std::to_string(plan.clusters.size()) +
               " entries but the engine has replicas=" + std::to_string(config.replicas) +
               "; give one cluster per replica";
    }
    if (plan.server >= nodeCount)
    {
        return "server=" + std::to_string(plan.server) + " is not a node of the run; allowed: 0.." +
               std::to_string(nodeCount - 1);
    }
    if (plan.localIterations > 255)
    {
        return "localIterations=" + std::to_string(plan.localIterations) +
               " is invalid: allowed 0..255";
    }
    if (plan.localIterations == 0 && !plan.fedAvg)
    {
        return "localIterations=0 is invalid without fedAvg: the round would be empty";
    }
    for (size_t c = 0; c < plan.clusters.size(); ++c)
    {
        const auto& cluster = plan.clusters[c];
        const std::string name = "clusters[" + std::to_string(c) + "]";
        if (cluster.stageDevices.size() != config.segmentLayers.size())
        {
            return name + ".stageDevices has " + std::to_string(cluster.stageDevices.size()) +
                   " devices but segmentLayers has " + std::to_string(config.segmentLayers.size()) +
                   " segments; give one device per segment";
        }
        std::set<uint32_t> used{plan.server};
        std::vector<std::pair<std::string, uint32_t>> nodes{{name + ".source", cluster.source}};
        for (size_t s = 0; s < cluster.stageDevices.size(); ++s)
        {
            nodes.emplace_back(name + ".stageDevices[" + std::to_string(s) + "]",
                               cluster.stageDevices[s]);
        }
        for (const auto& [field, node] : nodes)
        {
            if (node >= nodeCount)
            {
                return field + "=" + std::to_string(node) +
                       " is not a node of the run; allowed: 0.." + std::to_string(nodeCount - 1);
            }
            if (!used.insert(node).second)
            {
                return field + "=" + std::to_string(node) +
                       " is used twice in the cluster (or is the server); every unit of a "
                       "cluster needs its own node";
            }
        }
    }
    return "";
}

Ptr<TaskGraph>
TorchTrainingGraphBuilder::BuildRound(Ptr<TorchComputeEngine> engine,
                                      const TorchTrainingPlan& plan,
                                      uint32_t nodeCount)
{
    NS_ABORT_MSG_IF(!engine, "TorchTrainingGraphBuilder: null engine");
    const TorchEngineConfig& config = engine->GetConfig();
    std::string problem = Validate(config, plan, nodeCount);
    NS_ABORT_MSG_IF(!problem.empty(), "TorchTrainingGraphBuilder: " << problem);

    const uint32_t segments = config.segmentLayers.size();
    const uint32_t headUnit = segments + 1;
    const uint32_t clusters = plan.clusters.size();
    auto weightBytes = [&](uint32_t unit) { return 4.0 * engine->GetUnitParameterCount(unit); };
    auto kernel = [](TorchKernelOp op, uint32_t c, uint32_t e, uint32_t unit, uint32_t mb) {
        return TorchComputeEngine::MakeKernelId(op, c, e, unit, mb);
    };
    auto tensor = [](TorchTensorKind kind, uint32_t c, uint32_t e, uint32_t index, uint32_t mb) {
        return TorchComputeEngine::MakeTensorId(kind, c, e, index, mb);
    };
    const uint64_t activationBytes =
        engine->GetTensorBytes(tensor(TorchTensorKind::ACTIVATION, 0, 0, 0, 0));

    // The pipelines are built by PipelineScheduleBuilder, then copied with kernel and tensor ids.
    TaskGraph pipelines(nodeCount);
    std::map<uint32_t, uint64_t> kernels;
    std::map<uint32_t, uint64_t> tensors;
    // last task of each node in the previous local iteration of its cluster (server: per cluster)
    std::vector<std::map<uint32_t, uint32_t>> lastTask(clusters);
    for (uint32_t e = 0; e < plan.localIterations; ++e)
    {
        for (uint32_t c = 0; c < clusters; ++c)
        {
            const auto& cluster = plan.clusters[c];
            PipelineSpec spec;
            spec.schedule = plan.schedule;
            spec.stageDevices = cluster.stageDevices;
            spec.microBatches = config.microBatches;
            spec.label = "c" + std::to_string(c) + " e" + std::to_string(e);
            for (uint32_t s = 0; s < segments; ++s)
            {
                const uint32_t unit = s + 1;
                spec.forwardCosts.push_back(
                    KernelCost(config, TorchKernelOp::SEGMENT_FORWARD, unit, weightBytes(unit)));
                spec.backwardCosts.push_back(
                    KernelCost(config, TorchKernelOp::SEGMENT_BACKWARD, unit, weightBytes(unit)));
                spec.optimizerCosts.push_back(
                    KernelCost(config, TorchKernelOp::OPTIMIZER_STEP, unit, 4 * weightBytes(unit)));
                if (s + 1 < segments)
                {
                    spec.activationBytes.push_back(activationBytes);
                    spec.gradientBytes.push_back(activationBytes);
                }
            }
            PipelineSource source;
            source.device = cluster.source;
            source.inputBytes = activationBytes;
            source.gradientBytes = activationBytes;
            source.forwardCost =
                KernelCost(config, TorchKernelOp::EMBED_FORWARD, 0, weightBytes(0));
            source.backwardCost =
                KernelCost(config, TorchKernelOp::EMBED_BACKWARD, 0, weightBytes(0));
            source.optimizerCost =
                KernelCost(config, TorchKernelOp::OPTIMIZER_STEP, 0, 4 * weightBytes(0));
            spec.source = source;
            PipelineHead head;
            head.device = plan.server;
            head.activationBytes = activationBytes;
            head.gradientBytes = activationBytes;
            head.lossCost =
                KernelCost(config, TorchKernelOp::HEAD_LOSS, headUnit, weightBytes(headUnit));
            head.optimizerCost = KernelCost(config,
                                            TorchKernelOp::OPTIMIZER_STEP,
                                            headUnit,
                                            4 * weightBytes(headUnit));
            spec.head = head;
            for (const auto& [node, task] : lastTask[c])
            {
                spec.afterOnDevice[node] = {task};
            }
            PipelineTasks ids = PipelineScheduleBuilder::Build(pipelines, spec);

            for (uint32_t mb = 0; mb < config.microBatches; ++mb)
            {
                kernels[ids.sourceForward[mb]] = kernel(TorchKernelOp::EMBED_FORWARD, c, e, 0, mb);
                tensors[ids.inputTransfers[mb]] = tensor(TorchTensorKind::ACTIVATION, c, e, 0, mb);
                for (uint32_t s = 0; s < segments; ++s)
                {
                    kernels[ids.forward[s][mb]] =
                        kernel(TorchKernelOp::SEGMENT_FORWARD, c, e, s + 1, mb);
                    kernels[ids.backward[s][mb]] =
                        kernel(TorchKernelOp::SEGMENT_BACKWARD, c, e, s + 1, mb);
                }
                for (uint32_t b = 0; b + 1 < segments; ++b)
                {
                    // boundary b: stage b -> b+1 carries the output of unit b+1
                    tensors[ids.activationTransfers[b][mb]] =
                        tensor(TorchTensorKind::ACTIVATION, c, e, b + 1, mb);
                    tensors[ids.gradientTransfers[b][mb]] =
                        tensor(TorchTensorKind::GRADIENT, c, e, b + 1, mb);
                }
                tensors[ids.headActivationTransfers[mb]] =
                    tensor(TorchTensorKind::ACTIVATION, c, e, segments, mb);
                kernels[ids.loss[mb]] = kernel(TorchKernelOp::HEAD_LOSS, c, e, headUnit, mb);
                tensors[ids.headGradientTransfers[mb]] =
                    tensor(TorchTensorKind::GRADIENT, c, e, segments, mb);
                tensors[ids.sourceGradientTransfers[mb]] =
                    tensor(TorchTensorKind::GRADIENT, c, e, 0, mb);
                kernels[ids.sourceBackward[mb]] =
                    kernel(TorchKernelOp::EMBED_BACKWARD, c, e, 0, mb);
            }
            for (uint32_t s = 0; s < segments; ++s)
            {
                kernels[ids.optimizer[s]] = kernel(TorchKernelOp::OPTIMIZER_STEP, c, e, s + 1, 0);
                lastTask[c][cluster.stageDevices[s]] = ids.lastTask[s];
            }
            kernels[ids.sourceOptimizer] = kernel(TorchKernelOp::OPTIMIZER_STEP, c, e, 0, 0);
            kernels[ids.headOptimizer] = kernel(TorchKernelOp::OPTIMIZER_STEP, c, e, headUnit, 0);
            lastTask[c][cluster.source] = ids.sourceLastTask;
            lastTask[c][plan.server] = ids.headLastTask;
        }
    }

    // Copy with the ids: first every task, then every dependency (some point to later ids).
    Ptr<TaskGraph> graph = Create<TaskGraph>(nodeCount);
    for (uint32_t id = 0; id < pipelines.GetTaskCount(); ++id)
    {
        if (pipelines.IsCompute(id))
        {
            ComputeTask task = pipelines.GetCompute(id);
            auto it = kernels.find(id);
            NS_ABORT_MSG_IF(it == kernels.end(),
                            "TorchTrainingGraphBuilder: no kernel for "
                                << pipelines.DescribeTask(id));
            task.kernelId = it->second;
            graph->AddCompute(task);
        }
        else
        {
            TransferTask task = pipelines.GetTransfer(id);
            auto it = tensors.find(id);
            NS_ABORT_MSG_IF(it == tensors.end(),
                            "TorchTrainingGraphBuilder: no tensor for "
                                << pipelines.DescribeTask(id));
            task.tensorId = it->second;
            graph->AddTransfer(task);
        }
    }
    for (uint32_t id = 0; id < pipelines.GetTaskCount(); ++id)
    {
        for (uint32_t before : pipelines.GetDependencies(id))
        {
            graph->AddDependency(before, id);
        }
    }

    if (plan.fedAvg)
    {
        const uint32_t e = 0; // parameter tensors occur once per round
        std::vector<uint32_t> headAfter;
        for (uint32_t c = 0; c < clusters; ++c)
        {
            auto it = lastTask[c].find(plan.server);
            if (it != lastTask[c].end())
            {
                headAfter.push_back(it->second);
            }
        }
        for (uint32_t unit = 0; unit <= headUnit; ++unit)
        {
            ComputeTask average;
            average.device = plan.server;
            average.kind = ComputeKind::AGGREGATE;
            average.label = "fedavg u" + std::to_string(unit);
            average.kernelId = kernel(TorchKernelOp::FEDAVG, 0, e, unit, 0);
            const ComputeCost cost =
                KernelCost(config, TorchKernelOp::FEDAVG, unit, 4 * weightBytes(unit));
            average.flops = cost.flops;
            average.memoryBytes = cost.memoryBytes;
            if (unit == headUnit)
            {
                graph->AddCompute(average, headAfter);
                continue;
            }
            std::vector<uint32_t> uploads;
            std::vector<uint32_t> holders;
            for (uint32_t c = 0; c < clusters; ++c)
            {
                const auto& cluster = plan.clusters[c];
                const uint32_t holder = unit == 0 ? cluster.source : cluster.stageDevices[unit - 1];
                holders.push_back(holder);
                TransferTask upload;
                upload.source = holder;
                upload.destination = plan.server;
                upload.kind = TransferKind::PARAMETERS;
                upload.label = "c" + std::to_string(c) + " params-up u" + std::to_string(unit);
                upload.tensorId = tensor(TorchTensorKind::PARAMETERS_UP, c, e, unit, 0);
                upload.bytes = engine->GetTensorBytes(upload.tensorId);
                std::vector<uint32_t> after;
                auto it = lastTask[c].find(holder);
                if (it != lastTask[c].end())
                {
                    after.push_back(it->second);
                }
                uploads.push_back(graph->AddTransfer(upload, after));
            }
            const uint32_t averageId = graph->AddCompute(average, uploads);
            for (uint32_t c = 0; c < clusters; ++c)
            {
                TransferTask download;
                download.source = plan.server;
                download.destination = holders[c];
                download.kind = TransferKind::PARAMETERS;
                download.label = "c" + std::to_string(c) + " params-down u" + std::to_string(unit);
                download.tensorId = tensor(TorchTensorKind::PARAMETERS_DOWN, c, e, unit, 0);
                download.bytes = engine->GetTensorBytes(download.tensorId);
                const uint32_t downloadId = graph->AddTransfer(download, {averageId});
                ComputeTask load;
                load.device = holders[c];
                load.kind = ComputeKind::AGGREGATE;
                load.label = "c" + std::to_string(c) + " load u" + std::to_string(unit);
                load.kernelId = kernel(TorchKernelOp::LOAD_PARAMETERS, c, e, unit, 0);
                const ComputeCost loadCost =
                    KernelCost(config, TorchKernelOp::LOAD_PARAMETERS, unit, weightBytes(unit));
                load.flops = loadCost.flops;
                load.memoryBytes = loadCost.memoryBytes;
                graph->AddCompute(load, {downloadId});
            }
        }
    }
    problem = graph->Validate();
    NS_ABORT_MSG_IF(!problem.empty(),
                    "TorchTrainingGraphBuilder: built an invalid graph: " << problem);
    return graph;
}

} // namespace edgellm
} // namespace ns3
