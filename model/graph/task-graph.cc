/* SPDX-License-Identifier: GPL-2.0-only */
#include "task-graph.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTaskGraph");

std::string
ComputeKindToString(ComputeKind kind)
{
    switch (kind)
    {
    case ComputeKind::FORWARD:
        return "forward";
    case ComputeKind::BACKWARD:
        return "backward";
    case ComputeKind::LOSS:
        return "loss";
    case ComputeKind::OPTIMIZER:
        return "optimizer";
    case ComputeKind::AGGREGATE:
        return "aggregate";
    case ComputeKind::EMBEDDING:
        return "embedding";
    case ComputeKind::OTHER:
        return "other";
    }
    NS_FATAL_ERROR("unknown ComputeKind value " << static_cast<int>(kind));
}

std::string
TransferKindToString(TransferKind kind)
{
    switch (kind)
    {
    case TransferKind::ACTIVATION:
        return "activation";
    case TransferKind::GRADIENT:
        return "gradient";
    case TransferKind::PARAMETERS:
        return "parameters";
    case TransferKind::REDUCE_SCATTER:
        return "reduce-scatter";
    case TransferKind::ALL_GATHER:
        return "all-gather";
    case TransferKind::BROADCAST:
        return "broadcast";
    case TransferKind::GATHER:
        return "gather";
    case TransferKind::OTHER:
        return "other";
    }
    NS_FATAL_ERROR("unknown TransferKind value " << static_cast<int>(kind));
}

ComputeCost
ComputeCost::FromDuration(Time duration)
{
    ComputeCost cost;
    cost.duration = duration;
    return cost;
}

ComputeCost
ComputeCost::FromFlops(double flops, double memoryBytes)
{
    ComputeCost cost;
    cost.flops = flops;
    cost.memoryBytes = memoryBytes;
    return cost;
}

ComputeCost
ComputeCost::FromKernels(const KernelWork& work)
{
    ComputeCost cost;
    cost.flops = work.GetTotalFlops();
    cost.memoryBytes = work.GetTotalBytes();
    cost.kernels = std::make_shared<const KernelWork>(work);
    return cost;
}

void
ComputeCost::ApplyTo(ComputeTask& task) const
{
    task.flops = flops;
    task.memoryBytes = memoryBytes;
    task.duration = duration;
    task.kernels = kernels;
}

namespace
{

/// \return the problem of a quantity that must be finite and >= 0, or ""
std::string
CheckNonNegative(const std::string& name, double value)
{
    if (!std::isfinite(value) || value < 0)
    {
        std::ostringstream os;
        os << name << "=" << value << " is invalid: must be a finite number >= 0";
        return os.str();
    }
    return "";
}

/// \return the problem of a duration that must be >= 0 or UseComputeModel(), or ""
std::string
CheckDuration(const std::string& name, Time duration)
{
    if (duration.IsStrictlyNegative() && duration != ComputeTask::UseComputeModel())
    {
        std::ostringstream os;
        os << name << "=" << duration.As(Time::S)
           << " is invalid: must be >= 0, or ComputeTask::UseComputeModel() to let the "
              "compute model price it";
        return os.str();
    }
    return "";
}

/// \return "allowed: 0..n-1" for a set of n indices
std::string
AllowedRange(uint32_t count, const std::string& what)
{
    if (count == 0)
    {
        return "allowed: none (the graph has no " + what + ")";
    }
    return "allowed: 0.." + std::to_string(count - 1);
}

} // namespace

std::string
ValidateComputeCost(const std::string& name, const ComputeCost& cost)
{
    std::string problem = CheckNonNegative(name + ".flops", cost.flops);
    if (problem.empty())
    {
        problem = CheckNonNegative(name + ".memoryBytes", cost.memoryBytes);
    }
    if (problem.empty())
    {
        problem = CheckDuration(name + ".duration", cost.duration);
    }
    return problem;
}

TaskGraph::TaskGraph(uint32_t deviceCount)
    : m_deviceCount(deviceCount)
{
    NS_LOG_FUNCTION(this << deviceCount);
}

TaskGraph::TaskGraph(const std::vector<std::string>& deviceNames)
    : m_deviceCount(static_cast<uint32_t>(deviceNames.size())),
      m_deviceNames(deviceNames)
{
    NS_LOG_FUNCTION(this << deviceNames.size());
}

uint32_t
TaskGraph::AddTask(Task task, const std::vector<uint32_t>& dependencies)
{
    const auto id = static_cast<uint32_t>(m_tasks.size());
    m_tasks.push_back(std::move(task));
    for (uint32_t dep : dependencies)
    {
        if (dep >= id)
        {
            // Record, do not crash: Validate reports it with the task's name.
            m_tasks[id].problems.push_back("dependency " + std::to_string(dep) +
                                           " is not a task id; " +
                                           AllowedRange(id, "tasks added before it"));
            continue;
        }
        AddDependency(dep, id);
    }
    return id;
}

uint32_t
TaskGraph::AddCompute(const ComputeTask& task, const std::vector<uint32_t>& dependencies)
{
    Task t;
    t.isCompute = true;
    t.compute = task;
    const uint32_t id = AddTask(std::move(t), dependencies);
    NS_LOG_FUNCTION(this << id << task.label);
    return id;
}

uint32_t
TaskGraph::AddTransfer(const TransferTask& task, const std::vector<uint32_t>& dependencies)
{
    Task t;
    t.isCompute = false;
    t.transfer = task;
    const uint32_t id = AddTask(std::move(t), dependencies);
    NS_LOG_FUNCTION(this << id << task.label);
    return id;
}

void
TaskGraph::AddDependency(uint32_t before, uint32_t after)
{
    NS_LOG_FUNCTION(this << before << after);
    const auto count = static_cast<uint32_t>(m_tasks.size());
    if (after >= count)
    {
        m_edgeProblems.push_back("AddDependency(" + std::to_string(before) + ", " +
                                 std::to_string(after) + "): after=" + std::to_string(after) +
                                 " is not a task id; " + AllowedRange(count, "tasks"));
        return;
    }
    if (before >= count)
    {
        m_tasks[after].problems.push_back("dependency " + std::to_string(before) +
                                          " is not a task id; " + AllowedRange(count, "tasks"));
        return;
    }
    auto& deps = m_tasks[after].deps;
    for (uint32_t d : deps)
    {
        if (d == before)
        {
            return;
        }
    }
    deps.push_back(before);
    m_tasks[before].succs.push_back(after);
}

uint32_t
TaskGraph::GetTaskCount() const
{
    return static_cast<uint32_t>(m_tasks.size());
}

uint32_t
TaskGraph::GetComputeCount() const
{
    uint32_t n = 0;
    for (const auto& t : m_tasks)
    {
        n += t.isCompute ? 1 : 0;
    }
    return n;
}

uint32_t
TaskGraph::GetTransferCount() const
{
    return GetTaskCount() - GetComputeCount();
}

uint32_t
TaskGraph::GetDeviceCount() const
{
    return m_deviceCount;
}

std::string
TaskGraph::GetDeviceName(uint32_t device) const
{
    if (device < m_deviceNames.size() && !m_deviceNames[device].empty())
    {
        return m_deviceNames[device];
    }
    return "device " + std::to_string(device);
}

void
TaskGraph::CheckId(uint32_t id, const char* caller) const
{
    NS_ABORT_MSG_IF(id >= m_tasks.size(),
                    "TaskGraph::" << caller << ": id=" << id << " is not a task id; "
                                  << AllowedRange(GetTaskCount(), "tasks"));
}

bool
TaskGraph::IsCompute(uint32_t id) const
{
    CheckId(id, "IsCompute");
    return m_tasks[id].isCompute;
}

const ComputeTask&
TaskGraph::GetCompute(uint32_t id) const
{
    CheckId(id, "GetCompute");
    NS_ABORT_MSG_IF(!m_tasks[id].isCompute,
                    "TaskGraph::GetCompute: task " << DescribeTask(id) << " is a transfer");
    return m_tasks[id].compute;
}

void
TaskGraph::SetSamples(uint32_t id, uint64_t firstSample, uint32_t samples)
{
    CheckId(id, "SetSamples");
    NS_ABORT_MSG_IF(!m_tasks[id].isCompute,
                    "TaskGraph::SetSamples: task " << DescribeTask(id) << " is a transfer");
    m_tasks[id].compute.firstSample = firstSample;
    m_tasks[id].compute.samples = samples;
}

const TransferTask&
TaskGraph::GetTransfer(uint32_t id) const
{
    CheckId(id, "GetTransfer");
    NS_ABORT_MSG_IF(m_tasks[id].isCompute,
                    "TaskGraph::GetTransfer: task " << DescribeTask(id) << " is a compute task");
    return m_tasks[id].transfer;
}

const std::vector<uint32_t>&
TaskGraph::GetDependencies(uint32_t id) const
{
    CheckId(id, "GetDependencies");
    return m_tasks[id].deps;
}

const std::vector<uint32_t>&
TaskGraph::GetSuccessors(uint32_t id) const
{
    CheckId(id, "GetSuccessors");
    return m_tasks[id].succs;
}

uint32_t
TaskGraph::GetStartDevice(uint32_t id) const
{
    CheckId(id, "GetStartDevice");
    const Task& t = m_tasks[id];
    return t.isCompute ? t.compute.device : t.transfer.source;
}

uint32_t
TaskGraph::GetEndDevice(uint32_t id) const
{
    CheckId(id, "GetEndDevice");
    const Task& t = m_tasks[id];
    return t.isCompute ? t.compute.device : t.transfer.destination;
}

std::string
TaskGraph::DescribeTask(uint32_t id) const
{
    if (id >= m_tasks.size())
    {
        return std::to_string(id) + " (no such task)";
    }
    const Task& t = m_tasks[id];
    const std::string& label = t.isCompute ? t.compute.label : t.transfer.label;
    std::ostringstream os;
    os << id << " (";
    if (!label.empty())
    {
        os << label;
    }
    else if (t.isCompute)
    {
        os << ComputeKindToString(t.compute.kind) << " on " << GetDeviceName(t.compute.device);
    }
    else
    {
        os << TransferKindToString(t.transfer.kind) << " " << t.transfer.source << "->"
           << t.transfer.destination;
    }
    os << ")";
    return os.str();
}

std::vector<uint32_t>
TaskGraph::GetComputeTasks(uint32_t device) const
{
    std::vector<uint32_t> ids;
    for (uint32_t id = 0; id < m_tasks.size(); ++id)
    {
        if (m_tasks[id].isCompute && m_tasks[id].compute.device == device)
        {
            ids.push_back(id);
        }
    }
    return ids;
}

std::vector<uint32_t>
TaskGraph::GetOutgoingTransfers(uint32_t device) const
{
    std::vector<uint32_t> ids;
    for (uint32_t id = 0; id < m_tasks.size(); ++id)
    {
        if (!m_tasks[id].isCompute && m_tasks[id].transfer.source == device)
        {
            ids.push_back(id);
        }
    }
    return ids;
}

std::vector<uint32_t>
TaskGraph::GetIncomingTransfers(uint32_t device) const
{
    std::vector<uint32_t> ids;
    for (uint32_t id = 0; id < m_tasks.size(); ++id)
    {
        if (!m_tasks[id].isCompute && m_tasks[id].transfer.destination == device)
        {
            ids.push_back(id);
        }
    }
    return ids;
}

uint64_t
TaskGraph::SumTransferBytes(const std::function<bool(const TransferTask&)>& counts) const
{
    uint64_t total = 0;
    for (const auto& t : m_tasks)
    {
        if (!t.isCompute && counts(t.transfer))
        {
            total += t.transfer.bytes;
        }
    }
    return total;
}

uint64_t
TaskGraph::GetTotalTransferBytes() const
{
    return SumTransferBytes([](const TransferTask&) { return true; });
}

uint64_t
TaskGraph::GetTransferBytes(TransferKind kind) const
{
    return SumTransferBytes([kind](const TransferTask& t) { return t.kind == kind; });
}

uint64_t
TaskGraph::GetBytesSent(uint32_t device) const
{
    return SumTransferBytes([device](const TransferTask& t) { return t.source == device; });
}

uint64_t
TaskGraph::GetBytesReceived(uint32_t device) const
{
    return SumTransferBytes([device](const TransferTask& t) { return t.destination == device; });
}

double
TaskGraph::GetTotalFlops() const
{
    double total = 0;
    for (const auto& t : m_tasks)
    {
        total += t.isCompute ? t.compute.flops : 0;
    }
    return total;
}

std::string
TaskGraph::ValidateTask(uint32_t id) const
{
    const Task& t = m_tasks[id];
    // the messages are built only for a problem: a timer validates every graph it times
    auto prefix = [this, id]() { return "task " + DescribeTask(id) + ": "; };
    auto fleet = [this]() { return AllowedRange(m_deviceCount, "devices"); };
    if (t.isCompute)
    {
        const ComputeTask& c = t.compute;
        if (c.device >= m_deviceCount)
        {
            return prefix() + "device=" + std::to_string(c.device) + " is not in the fleet; " +
                   fleet();
        }
        std::string problem = CheckNonNegative("flops", c.flops);
        if (problem.empty())
        {
            problem = CheckNonNegative("memoryBytes", c.memoryBytes);
        }
        if (problem.empty())
        {
            problem = CheckDuration("duration", c.duration);
        }
        if (!problem.empty())
        {
            return prefix() + problem;
        }
    }
    else
    {
        const TransferTask& x = t.transfer;
        if (x.source >= m_deviceCount)
        {
            return prefix() + "source=" + std::to_string(x.source) + " is not in the fleet; " +
                   fleet();
        }
        if (x.destination >= m_deviceCount)
        {
            return prefix() + "destination=" + std::to_string(x.destination) +
                   " is not in the fleet; " + fleet();
        }
        if (x.source == x.destination)
        {
            return prefix() + "source=destination=" + std::to_string(x.source) +
                   " is invalid: a transfer must go to another device";
        }
        if (x.bytes == 0)
        {
            return prefix() +
                   "bytes=0 is invalid: a transfer carries at least one byte; order tasks "
                   "without data by a dependency";
        }
    }
    if (!t.problems.empty())
    {
        return prefix() + t.problems.front();
    }
    return "";
}

std::string
TaskGraph::Validate() const
{
    if (m_deviceCount == 0)
    {
        return "deviceCount=0 is invalid: a task graph needs at least one device";
    }
    for (uint32_t id = 0; id < m_tasks.size(); ++id)
    {
        std::string problem = ValidateTask(id);
        if (!problem.empty())
        {
            return problem;
        }
    }
    if (!m_edgeProblems.empty())
    {
        return m_edgeProblems.front();
    }
    if (GetTopologicalOrder().size() != m_tasks.size())
    {
        return DescribeCycle();
    }
    return "";
}

std::string
TaskGraph::ValidateLocality() const
{
    for (uint32_t id = 0; id < m_tasks.size(); ++id)
    {
        const uint32_t starts = GetStartDevice(id);
        for (uint32_t dep : m_tasks[id].deps)
        {
            const uint32_t finishes = GetEndDevice(dep);
            if (finishes != starts)
            {
                std::ostringstream os;
                os << "dependency " << dep << " -> " << id << " is remote: " << DescribeTask(dep)
                   << " finishes on " << GetDeviceName(finishes) << " but " << DescribeTask(id)
                   << " starts on " << GetDeviceName(starts) << "; connect them with a transfer";
                return os.str();
            }
        }
    }
    return "";
}

std::vector<uint32_t>
TaskGraph::GetTopologicalOrder() const
{
    const auto n = static_cast<uint32_t>(m_tasks.size());
    std::vector<uint32_t> waiting(n);
    std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<uint32_t>> ready;
    for (uint32_t id = 0; id < n; ++id)
    {
        waiting[id] = static_cast<uint32_t>(m_tasks[id].deps.size());
        if (waiting[id] == 0)
        {
            ready.push(id);
        }
    }
    std::vector<uint32_t> order;
    order.reserve(n);
    while (!ready.empty())
    {
        const uint32_t id = ready.top();
        ready.pop();
        order.push_back(id);
        for (uint32_t s : m_tasks[id].succs)
        {
            if (--waiting[s] == 0)
            {
                ready.push(s);
            }
        }
    }
    return order;
}

std::string
TaskGraph::DescribeCycle() const
{
    // Tasks Kahn's algorithm could not order each have an unordered predecessor; walking
    // predecessors from one of them must therefore come back to a task already seen.
    const auto n = static_cast<uint32_t>(m_tasks.size());
    std::vector<bool> ordered(n, false);
    for (uint32_t id : GetTopologicalOrder())
    {
        ordered[id] = true;
    }
    uint32_t current = 0;
    while (current < n && ordered[current])
    {
        ++current;
    }
    NS_ABORT_MSG_IF(current == n, "TaskGraph::DescribeCycle called on an acyclic graph");
    std::vector<uint32_t> path;
    std::vector<int64_t> position(n, -1);
    while (position[current] < 0)
    {
        position[current] = static_cast<int64_t>(path.size());
        path.push_back(current);
        uint32_t next = NO_TASK;
        for (uint32_t dep : m_tasks[current].deps)
        {
            if (!ordered[dep] && dep < next)
            {
                next = dep;
            }
        }
        current = next;
    }
    // path[position[current]..] walks the cycle backwards; reverse it and start at its lowest id.
    std::vector<uint32_t> cycle(path.rbegin(), path.rend() - position[current]);
    auto lowest = std::min_element(cycle.begin(), cycle.end());
    std::rotate(cycle.begin(), lowest, cycle.end());
    std::ostringstream os;
    os << "task graph has a cycle: ";
    for (uint32_t id : cycle)
    {
        os << DescribeTask(id) << " -> ";
    }
    os << cycle.front();
    return os.str();
}

std::string
TaskGraph::CheckDeviceIndex(const std::string& name, uint32_t device) const
{
    if (device >= m_deviceCount)
    {
        return name + "=" + std::to_string(device) + " is not in the fleet; " +
               AllowedRange(m_deviceCount, "devices");
    }
    return "";
}

std::string
TaskGraph::CheckTaskIds(const std::string& name, const std::vector<uint32_t>& ids) const
{
    for (size_t k = 0; k < ids.size(); ++k)
    {
        if (ids[k] >= m_tasks.size())
        {
            return name + "[" + std::to_string(k) + "]=" + std::to_string(ids[k]) +
                   " is not a task id of the graph; " + AllowedRange(GetTaskCount(), "tasks");
        }
    }
    return "";
}

bool
TaskGraph::IsAncestor(uint32_t ancestor, uint32_t task) const
{
    CheckId(ancestor, "IsAncestor");
    CheckId(task, "IsAncestor");
    if (ancestor > task)
    {
        return false; // a task's dependencies were added before it: ids grow along every path
    }
    // walk back from the task, never below the ancestor's id, so that the search stays within
    // the tasks added since (a builder asks about recent tasks of a long graph)
    std::vector<bool> seen(task - ancestor + 1, false);
    std::vector<uint32_t> stack{task};
    seen[task - ancestor] = true;
    while (!stack.empty())
    {
        const uint32_t id = stack.back();
        stack.pop_back();
        if (id == ancestor)
        {
            return true;
        }
        for (uint32_t dep : m_tasks[id].deps)
        {
            if (dep >= ancestor && !seen[dep - ancestor])
            {
                seen[dep - ancestor] = true;
                stack.push_back(dep);
            }
        }
    }
    return false;
}

} // namespace edgellm
} // namespace ns3
