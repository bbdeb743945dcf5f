/* SPDX-License-Identifier: GPL-2.0-only */
#include "collective-builder.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollectiveBuilder");

namespace
{

/// tolerance on the sum of shares
constexpr double SHARE_SUM_TOLERANCE = 1e-9;

/**
 * \return "" or the problem of a group: size, fleet, duplicates
 * \param graph the graph
 * \param group the members
 * \param what the collective, for the size message
 */
std::string
CheckGroup(const TaskGraph& graph, const std::vector<uint32_t>& group, const std::string& what)
{
    if (group.size() < 2)
    {
        return "group has " + std::to_string(group.size()) + " member" +
               (group.size() == 1 ? "" : "s") + ": " + what;
    }
    for (size_t j = 0; j < group.size(); ++j)
    {
        std::string problem = graph.CheckDeviceIndex("group[" + std::to_string(j) + "]", group[j]);
        if (!problem.empty())
        {
            return problem;
        }
        for (size_t i = 0; i < j; ++i)
        {
            if (group[i] == group[j])
            {
                return "device " + std::to_string(group[j]) + " is in the group twice (group[" +
                       std::to_string(i) + "] and group[" + std::to_string(j) + "])";
            }
        }
    }
    return "";
}

/// \return "" or the problem of per-member after lists
std::string
CheckAfter(const TaskGraph& graph, const std::vector<std::vector<uint32_t>>& after, size_t members)
{
    if (!after.empty() && after.size() != members)
    {
        return "after has " + std::to_string(after.size()) + " lists but group has " +
               std::to_string(members) + " members: give one list per member, or none";
    }
    for (size_t j = 0; j < after.size(); ++j)
    {
        std::string problem = graph.CheckTaskIds("after[" + std::to_string(j) + "]", after[j]);
        if (!problem.empty())
        {
            return problem;
        }
    }
    return "";
}

/// \return "" or the problem of a root; \p index receives the root's member index
std::string
CheckRoot(const std::vector<uint32_t>& group, uint32_t root, size_t& index)
{
    std::string members;
    for (size_t j = 0; j < group.size(); ++j)
    {
        if (group[j] == root)
        {
            index = j;
            return "";
        }
        members += (j == 0 ? "" : ", ") + std::to_string(group[j]);
    }
    return "root=" + std::to_string(root) + " is not a member of group; members: " + members;
}

/// \return the member's after list (empty when no lists were given)
std::vector<uint32_t>
AfterOf(const std::vector<std::vector<uint32_t>>& after, size_t j)
{
    return after.empty() ? std::vector<uint32_t>{} : after[j];
}

/**
 * \return \p finals followed by the tasks of \p after that no final task already follows
 * \param graph the graph
 * \param finals tasks that finish on the member
 * \param after the member's after list
 */
std::vector<uint32_t>
LastTasks(const TaskGraph& graph,
          const std::vector<uint32_t>& finals,
          const std::vector<uint32_t>& after)
{
    std::vector<uint32_t> last = finals;
    for (uint32_t a : after)
    {
        bool covered = false;
        for (uint32_t f : last)
        {
            covered = covered || graph.IsAncestor(a, f);
        }
        if (!covered)
        {
            last.push_back(a);
        }
    }
    return last;
}

/// \return "<label> " or ""
std::string
Prefix(const std::string& label)
{
    return label.empty() ? "" : label + " ";
}

/// \return the chunk sizes of a validated ring spec
std::vector<uint64_t>
ChunksOf(const RingSpec& spec)
{
    if (!spec.chunkBytes.empty())
    {
        return spec.chunkBytes;
    }
    std::vector<uint64_t> chunks;
    const std::string problem =
        CollectiveBuilder::SharesToChunkBytes(spec.shares, spec.totalBytes, chunks);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    return chunks;
}

/**
 * \brief Add one ring phase.
 * \param graph the graph
 * \param spec the ring spec (validated)
 * \param chunks chunk bytes per member
 * \param reduce ReduceScatter (true) or AllGather (false)
 * \param after per-member lists (empty or N lists)
 * \return the phase's tasks
 */
CollectiveTasks
AddRingPhase(TaskGraph& graph,
             const RingSpec& spec,
             const std::vector<uint64_t>& chunks,
             bool reduce,
             const std::vector<std::vector<uint32_t>>& after)
{
    const auto n = static_cast<uint32_t>(spec.group.size());
    const uint32_t NO = TaskGraph::NO_TASK;
    const std::string prefix = Prefix(spec.label) + (reduce ? "rs" : "ag");
    const uint32_t elementBytes = GetDataTypeBytes(spec.dtype);
    const bool aggregate = reduce && spec.aggregate;
    CollectiveTasks r;
    r.group = spec.group;
    r.steps.assign(n - 1, std::vector<uint32_t>(n, NO));
    std::vector<std::vector<uint32_t>> reductions(n - 1, std::vector<uint32_t>(n, NO));
    for (uint32_t k = 0; k + 1 < n; ++k)
    {
        for (uint32_t j = 0; j < n; ++j)
        {
            const uint32_t next = (j + 1) % n;
            const uint32_t prev = (j + n - 1) % n;
            // ReduceScatter step k sends chunk (j-k-1) mod N, AllGather chunk (j-k) mod N.
            const uint32_t chunk = reduce ? (j + 2 * n - k - 1) % n : (j + n - k) % n;
            std::vector<uint32_t> deps;
            if (k == 0)
            {
                deps = AfterOf(after, j);
            }
            else if (aggregate)
            {
                deps.push_back(reductions[k - 1][j]);
            }
            else
            {
                deps.push_back(r.steps[k - 1][prev]);
                if (reduce)
                {
                    // the member adds its own contribution before forwarding
                    const auto own = AfterOf(after, j);
                    deps.insert(deps.end(), own.begin(), own.end());
                }
            }
            std::ostringstream label;
            label << prefix << " step" << k << " " << spec.group[j] << "->" << spec.group[next];
            TransferTask transfer =
                TransferTask::Make(spec.group[j],
                                   spec.group[next],
                                   chunks[chunk],
                                   reduce ? TransferKind::REDUCE_SCATTER : TransferKind::ALL_GATHER,
                                   spec.microBatch,
                                   label.str());
            transfer.tensorId = spec.tensorId == 0 ? 0 : spec.tensorId + chunk;
            const uint32_t id = graph.AddTransfer(transfer, deps);
            r.steps[k][j] = id;
            r.transfers.push_back(id);
        }
        if (aggregate)
        {
            for (uint32_t j = 0; j < n; ++j)
            {
                const uint32_t prev = (j + n - 1) % n;
                // member j receives what member j-1 sent: chunk (j-1-k-1) mod N
                const uint32_t chunk = (j + 2 * n - k - 2) % n;
                std::vector<uint32_t> deps{r.steps[k][prev]};
                if (k == 0)
                {
                    const auto own = AfterOf(after, j);
                    deps.insert(deps.end(), own.begin(), own.end());
                }
                else
                {
                    deps.push_back(reductions[k - 1][j]); // program order
                }
                ComputeTask task;
                task.device = spec.group[j];
                task.kind = ComputeKind::AGGREGATE;
                // one addition per element; read two operands, write one result
                task.flops = static_cast<double>(chunks[chunk]) / elementBytes;
                task.memoryBytes = 3.0 * static_cast<double>(chunks[chunk]);
                task.dtype = spec.dtype;
                task.microBatch = spec.microBatch;
                task.kernelId = spec.tensorId == 0 ? 0 : spec.tensorId + chunk;
                std::ostringstream label;
                label << Prefix(spec.label) << "reduce step" << k << " on " << spec.group[j];
                task.label = label.str();
                reductions[k][j] = graph.AddCompute(task, deps);
                r.aggregates.push_back(reductions[k][j]);
            }
        }
    }
    r.last.assign(n, {});
    for (uint32_t j = 0; j < n; ++j)
    {
        const uint32_t prev = (j + n - 1) % n;
        const uint32_t final = aggregate ? reductions[n - 2][j] : r.steps[n - 2][prev];
        r.last[j] = LastTasks(graph, {final}, AfterOf(after, j));
    }
    return r;
}

/// \return the per-member bytes of a validated rooted spec
std::vector<uint64_t>
MemberBytesOf(const RootedSpec& spec, size_t rootIndex)
{
    if (!spec.memberBytes.empty())
    {
        return spec.memberBytes;
    }
    std::vector<uint64_t> bytes(spec.group.size(), spec.bytes);
    bytes[rootIndex] = 0;
    return bytes;
}

/**
 * \brief Add the transfers of a broadcast (toRoot false) or gather (toRoot true).
 * \return the tasks, with \c last not yet set
 */
CollectiveTasks
AddRooted(TaskGraph& graph,
          const std::vector<uint32_t>& group,
          size_t rootIndex,
          const std::vector<uint64_t>& bytes,
          TransferKind kind,
          bool toRoot,
          const std::vector<std::vector<uint32_t>>& after,
          uint32_t microBatch,
          const std::string& labelStem)
{
    CollectiveTasks r;
    r.group = group;
    r.steps.assign(1, std::vector<uint32_t>(group.size(), TaskGraph::NO_TASK));
    const uint32_t root = group[rootIndex];
    for (size_t j = 0; j < group.size(); ++j)
    {
        if (j == rootIndex)
        {
            continue;
        }
        const uint32_t from = toRoot ? group[j] : root;
        const uint32_t to = toRoot ? root : group[j];
        std::ostringstream label;
        label << labelStem << " " << from << "->" << to;
        const uint32_t id =
            graph.AddTransfer(TransferTask::Make(from, to, bytes[j], kind, microBatch, label.str()),
                              AfterOf(after, toRoot ? j : rootIndex));
        r.steps[0][j] = id;
        r.transfers.push_back(id);
    }
    return r;
}

} // namespace

std::string
CollectiveBuilder::SharesToChunkBytes(const std::vector<double>& shares,
                                      uint64_t totalBytes,
                                      std::vector<uint64_t>& chunkBytes)
{
    if (shares.empty())
    {
        return "shares is empty: give one share per member";
    }
    if (totalBytes == 0)
    {
        return "totalBytes=0 is invalid: must be a positive number of bytes";
    }
    long double sum = 0;
    for (size_t j = 0; j < shares.size(); ++j)
    {
        if (!std::isfinite(shares[j]) || shares[j] <= 0)
        {
            std::ostringstream os;
            os << "shares[" << j << "]=" << shares[j]
               << " is invalid: must be > 0 (leave a member with nothing out of the group)";
            return os.str();
        }
        sum += shares[j];
    }
    if (std::fabs(static_cast<double>(sum) - 1.0) > SHARE_SUM_TOLERANCE)
    {
        std::ostringstream os;
        os.precision(17);
        os << "shares sum to " << static_cast<double>(sum) << ": must sum to 1 within 1e-9";
        return os.str();
    }
    std::vector<uint64_t> chunks(shares.size());
    long double cumulative = 0;
    uint64_t boundary = 0;
    for (size_t j = 0; j < shares.size(); ++j)
    {
        cumulative += shares[j];
        uint64_t next = j + 1 == shares.size()
                            ? totalBytes
                            : static_cast<uint64_t>(std::llround(cumulative * totalBytes));
        next = std::min(std::max(next, boundary), totalBytes);
        chunks[j] = next - boundary;
        boundary = next;
        if (chunks[j] == 0)
        {
            std::ostringstream os;
            os << "chunk " << j << " is 0 bytes (shares[" << j << "]=" << shares[j]
               << " of totalBytes=" << totalBytes << "): every member must own at least one byte";
            return os.str();
        }
    }
    chunkBytes = chunks;
    return "";
}

std::string
CollectiveBuilder::ValidateRing(const TaskGraph& graph, const RingSpec& spec)
{
    std::string problem = CheckGroup(graph, spec.group, "a ring needs at least 2");
    if (!problem.empty())
    {
        return problem;
    }
    const size_t n = spec.group.size();
    const bool byChunks = !spec.chunkBytes.empty();
    const bool byShares = !spec.shares.empty() || spec.totalBytes != 0;
    if (byChunks && byShares)
    {
        return "give either chunkBytes or shares with totalBytes, not both";
    }
    if (!byChunks && !byShares)
    {
        return "give chunkBytes (one per member) or shares with totalBytes";
    }
    if (byChunks)
    {
        if (spec.chunkBytes.size() != n)
        {
            return "chunkBytes has " + std::to_string(spec.chunkBytes.size()) +
                   " entries but group has " + std::to_string(n) + " members";
        }
        for (size_t j = 0; j < n; ++j)
        {
            if (spec.chunkBytes[j] == 0)
            {
                return "chunkBytes[" + std::to_string(j) +
                       "]=0 is invalid: every member must own at least one byte";
            }
        }
    }
    else
    {
        if (spec.shares.size() != n)
        {
            return "shares has " + std::to_string(spec.shares.size()) + " entries but group has " +
                   std::to_string(n) + " members";
        }
        std::vector<uint64_t> chunks;
        problem = SharesToChunkBytes(spec.shares, spec.totalBytes, chunks);
        if (!problem.empty())
        {
            return problem;
        }
    }
    return CheckAfter(graph, spec.after, n);
}

std::string
CollectiveBuilder::ValidateRooted(const TaskGraph& graph, const RootedSpec& spec)
{
    std::string problem =
        CheckGroup(graph, spec.group, "a broadcast or gather needs the root and another member");
    if (!problem.empty())
    {
        return problem;
    }
    size_t rootIndex = 0;
    problem = CheckRoot(spec.group, spec.root, rootIndex);
    if (!problem.empty())
    {
        return problem;
    }
    const size_t n = spec.group.size();
    if (!spec.memberBytes.empty())
    {
        if (spec.bytes != 0)
        {
            return "give either bytes (the same for every member) or memberBytes, not both";
        }
        if (spec.memberBytes.size() != n)
        {
            return "memberBytes has " + std::to_string(spec.memberBytes.size()) +
                   " entries but group has " + std::to_string(n) + " members";
        }
        for (size_t j = 0; j < n; ++j)
        {
            if (j == rootIndex && spec.memberBytes[j] != 0)
            {
                return "memberBytes[" + std::to_string(j) +
                       "]=" + std::to_string(spec.memberBytes[j]) +
                       " is invalid: it is the root's entry, which must be 0 (the root sends "
                       "nothing to itself)";
            }
            if (j != rootIndex && spec.memberBytes[j] == 0)
            {
                return "memberBytes[" + std::to_string(j) +
                       "]=0 is invalid: must be a positive number of bytes";
            }
        }
    }
    else if (spec.bytes == 0)
    {
        return "bytes=0 is invalid: must be a positive number of bytes";
    }
    return CheckAfter(graph, spec.after, n);
}

std::string
CollectiveBuilder::ValidateFedAvg(const TaskGraph& graph, const FedAvgSpec& spec)
{
    std::string problem =
        CheckGroup(graph, spec.group, "FedAvg needs the root and at least one client");
    if (!problem.empty())
    {
        return problem;
    }
    size_t rootIndex = 0;
    problem = CheckRoot(spec.group, spec.root, rootIndex);
    if (!problem.empty())
    {
        return problem;
    }
    if (spec.parameterBytes == 0)
    {
        return "parameterBytes=0 is invalid: must be a positive number of bytes";
    }
    if (spec.aggregateCost)
    {
        problem = ValidateComputeCost("aggregateCost", *spec.aggregateCost);
        if (!problem.empty())
        {
            return problem;
        }
    }
    return CheckAfter(graph, spec.after, spec.group.size());
}

CollectiveTasks
CollectiveBuilder::ReduceScatter(TaskGraph& graph, const RingSpec& spec)
{
    NS_LOG_FUNCTION(&graph << spec.group.size());
    const std::string problem = ValidateRing(graph, spec);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("CollectiveBuilder::ReduceScatter: " << problem);
    }
    return AddRingPhase(graph, spec, ChunksOf(spec), true, spec.after);
}

CollectiveTasks
CollectiveBuilder::AllGather(TaskGraph& graph, const RingSpec& spec)
{
    NS_LOG_FUNCTION(&graph << spec.group.size());
    const std::string problem = ValidateRing(graph, spec);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("CollectiveBuilder::AllGather: " << problem);
    }
    return AddRingPhase(graph, spec, ChunksOf(spec), false, spec.after);
}

CollectiveTasks
CollectiveBuilder::AllReduce(TaskGraph& graph, const RingSpec& spec)
{
    NS_LOG_FUNCTION(&graph << spec.group.size());
    const std::string problem = ValidateRing(graph, spec);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("CollectiveBuilder::AllReduce: " << problem);
    }
    const std::vector<uint64_t> chunks = ChunksOf(spec);
    CollectiveTasks r = AddRingPhase(graph, spec, chunks, true, spec.after);
    CollectiveTasks gather = AddRingPhase(graph, spec, chunks, false, r.last);
    r.transfers.insert(r.transfers.end(), gather.transfers.begin(), gather.transfers.end());
    r.steps.insert(r.steps.end(), gather.steps.begin(), gather.steps.end());
    r.last = gather.last;
    return r;
}

namespace
{

/// A broadcast (the root sends to every member) or a gather (every member sends to the root).
CollectiveTasks
BuildRooted(TaskGraph& graph, const RootedSpec& spec, bool toRoot)
{
    const std::string problem = CollectiveBuilder::ValidateRooted(graph, spec);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("CollectiveBuilder::" << (toRoot ? "Gather" : "Broadcast") << ": "
                                             << problem);
    }
    size_t rootIndex = 0;
    CheckRoot(spec.group, spec.root, rootIndex);
    CollectiveTasks r =
        AddRooted(graph,
                  spec.group,
                  rootIndex,
                  MemberBytesOf(spec, rootIndex),
                  spec.kind.value_or(toRoot ? TransferKind::GATHER : TransferKind::BROADCAST),
                  toRoot,
                  spec.after,
                  spec.microBatch,
                  Prefix(spec.label) + (toRoot ? "gather" : "bcast"));
    r.last.assign(spec.group.size(), {});
    for (size_t j = 0; j < spec.group.size(); ++j)
    {
        // A gather ends on the root with every arrival; a broadcast on each member with its own.
        std::vector<uint32_t> finals;
        if (toRoot && j == rootIndex)
        {
            finals = r.transfers;
        }
        else if (!toRoot && j != rootIndex)
        {
            finals = {r.steps[0][j]};
        }
        r.last[j] = LastTasks(graph, finals, AfterOf(spec.after, j));
    }
    return r;
}

} // namespace

CollectiveTasks
CollectiveBuilder::Broadcast(TaskGraph& graph, const RootedSpec& spec)
{
    NS_LOG_FUNCTION(&graph << spec.group.size());
    return BuildRooted(graph, spec, false);
}

CollectiveTasks
CollectiveBuilder::Gather(TaskGraph& graph, const RootedSpec& spec)
{
    NS_LOG_FUNCTION(&graph << spec.group.size());
    return BuildRooted(graph, spec, true);
}

CollectiveTasks
CollectiveBuilder::FedAvg(TaskGraph& graph, const FedAvgSpec& spec)
{
    NS_LOG_FUNCTION(&graph << spec.group.size());
    const std::string problem = ValidateFedAvg(graph, spec);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("CollectiveBuilder::FedAvg: " << problem);
    }
    size_t rootIndex = 0;
    CheckRoot(spec.group, spec.root, rootIndex);
    const size_t n = spec.group.size();
    std::vector<uint64_t> bytes(n, spec.parameterBytes);
    bytes[rootIndex] = 0;
    const std::string prefix = Prefix(spec.label);

    CollectiveTasks up = AddRooted(graph,
                                   spec.group,
                                   rootIndex,
                                   bytes,
                                   TransferKind::GATHER,
                                   true,
                                   spec.after,
                                   TransferTask::NO_MICRO_BATCH,
                                   prefix + "fedavg-up");

    ComputeCost cost;
    if (spec.aggregateCost)
    {
        cost = *spec.aggregateCost;
    }
    else
    {
        const double clients = static_cast<double>(n - 1);
        const double parameters =
            static_cast<double>(spec.parameterBytes) / GetDataTypeBytes(spec.dtype);
        cost = ComputeCost::FromFlops(2.0 * clients * parameters,
                                      (clients + 1.0) * static_cast<double>(spec.parameterBytes));
    }
    ComputeTask task;
    task.device = spec.root;
    task.kind = ComputeKind::AGGREGATE;
    cost.ApplyTo(task);
    task.dtype = spec.dtype;
    task.label = prefix + "fedavg-aggregate";
    std::vector<uint32_t> deps = up.transfers;
    const auto rootAfter = AfterOf(spec.after, rootIndex);
    deps.insert(deps.end(), rootAfter.begin(), rootAfter.end());
    const uint32_t aggregate = graph.AddCompute(task, deps);

    std::vector<std::vector<uint32_t>> downAfter(n);
    downAfter[rootIndex] = {aggregate};
    CollectiveTasks down = AddRooted(graph,
                                     spec.group,
                                     rootIndex,
                                     bytes,
                                     TransferKind::BROADCAST,
                                     false,
                                     downAfter,
                                     TransferTask::NO_MICRO_BATCH,
                                     prefix + "fedavg-down");

    CollectiveTasks r;
    r.group = spec.group;
    r.transfers = up.transfers;
    r.transfers.insert(r.transfers.end(), down.transfers.begin(), down.transfers.end());
    r.aggregates = {aggregate};
    r.steps = {up.steps[0], down.steps[0]};
    r.last.assign(n, {});
    for (size_t j = 0; j < n; ++j)
    {
        const std::vector<uint32_t> finals = j == rootIndex
                                                 ? std::vector<uint32_t>{aggregate}
                                                 : std::vector<uint32_t>{down.steps[0][j]};
        r.last[j] = LastTasks(graph, finals, AfterOf(spec.after, j));
    }
    return r;
}

} // namespace edgellm
} // namespace ns3
