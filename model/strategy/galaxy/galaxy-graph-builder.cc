/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-graph-builder.h"

#include "ns3/collective-builder.h"
#include "ns3/fatal-error.h"

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
 */
void
AddStage(TaskGraph& graph,
         const std::vector<uint32_t>& members,
         const std::vector<KernelWork>& work,
         DataType dtype,
         const std::string& label,
         std::vector<std::vector<uint32_t>>& after)
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
 */
void
AddCollective(TaskGraph& graph,
              const std::vector<uint32_t>& members,
              const std::vector<uint64_t>& chunkBytes,
              DataType dtype,
              bool reduce,
              const std::string& label,
              std::vector<std::vector<uint32_t>>& after)
{
    RingSpec spec;
    spec.group = members;
    spec.chunkBytes = chunkBytes;
    spec.aggregate = reduce;
    spec.dtype = dtype;
    spec.after = after;
    spec.label = label;
    const CollectiveTasks tasks = reduce ? CollectiveBuilder::ReduceScatter(graph, spec)
                                         : CollectiveBuilder::AllGather(graph, spec);
    after = tasks.last;
}

} // namespace

Ptr<TaskGraph>
GalaxyGraphBuilder::Build(const GalaxyCostModel& costs,
                          const GalaxyPlan& plan,
                          uint32_t deviceCount)
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
    std::vector<uint32_t> members;
    std::vector<KernelWork> attention;
    std::vector<KernelWork> mlp;
    std::vector<KernelWork> connective;
    std::vector<uint64_t> chunkBytes;
    const uint64_t tokenBytes =
        static_cast<uint64_t>(costs.GetHiddenSize()) * GetDataTypeBytes(costs.GetDataType());
    for (uint32_t i = 0; i < costs.GetDeviceCount(); ++i)
    {
        if (plan.tokens[i] == 0)
        {
            continue;
        }
        members.push_back(i);
        attention.push_back(costs.GetAttentionWork(plan.heads[i]));
        mlp.push_back(costs.GetMlpWork(plan.units[i]));
        connective.push_back(costs.GetConnectiveWork(plan.tokens[i]));
        chunkBytes.push_back(plan.tokens[i] * tokenBytes);
    }
    auto graph = Create<TaskGraph>(deviceCount);
    const DataType dtype = costs.GetDataType();
    std::vector<std::vector<uint32_t>> after(members.size());
    for (uint32_t layer = 0; layer < costs.GetLayerCount(); ++layer)
    {
        const std::string l = "L" + std::to_string(layer) + " ";
        AddStage(*graph, members, attention, dtype, l + "attention", after);
        if (members.size() > 1)
        {
            AddCollective(*graph, members, chunkBytes, dtype, true, l + "attn RS", after);
        }
        AddStage(*graph, members, connective, dtype, l + "add+norm", after);
        if (members.size() > 1)
        {
            AddCollective(*graph, members, chunkBytes, dtype, false, l + "attn AG", after);
        }
        AddStage(*graph, members, mlp, dtype, l + "mlp", after);
        if (members.size() > 1)
        {
            AddCollective(*graph, members, chunkBytes, dtype, true, l + "mlp RS", after);
        }
        AddStage(*graph, members, connective, dtype, l + "add+norm", after);
        if (members.size() > 1)
        {
            AddCollective(*graph, members, chunkBytes, dtype, false, l + "mlp AG", after);
        }
    }
    return graph;
}

} // namespace edgellm
} // namespace ns3
