/* SPDX-License-Identifier: GPL-2.0-only */
#include "task-graph-execution.h"

#include "edge-llm-application.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTaskGraphExecution");

NS_OBJECT_ENSURE_REGISTERED(TaskGraphExecution);

TypeId
TaskGraphExecution::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TaskGraphExecution")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<TaskGraphExecution>()
            .AddTraceSource("TaskFinished",
                            "A task finished (iteration, task id, start, end).",
                            MakeTraceSourceAccessor(&TaskGraphExecution::m_taskFinishedTrace),
                            "ns3::TaskGraphExecution::TaskTracedCallback")
            .AddTraceSource("TaskStarted",
                            "A task started on this rank (iteration, task id, start): a compute "
                            "task began running, a transfer was handed to its sender.",
                            MakeTraceSourceAccessor(&TaskGraphExecution::m_taskStartedTrace),
                            "ns3::TaskGraphExecution::TaskStartedTracedCallback");
    return tid;
}

TaskGraphExecution::TaskGraphExecution()
    : m_iteration(0),
      m_running(false),
      m_finishedCount(0),
      m_hostFlops(0)
{
}

TaskGraphExecution::~TaskGraphExecution() = default;

void
TaskGraphExecution::DoDispose()
{
    m_applications.clear();
    m_computeModel = nullptr;
    m_graph = nullptr;
    m_finishedCallback = MakeNullCallback<void, uint32_t>();
    m_kernel = KernelCallback();
    m_provider = PayloadProvider();
    m_consumer = PayloadConsumer();
    Object::DoDispose();
}

void
TaskGraphExecution::SetTensorCallbacks(KernelCallback kernel,
                                       PayloadProvider provider,
                                       PayloadConsumer consumer)
{
    m_kernel = kernel;
    m_provider = provider;
    m_consumer = consumer;
}

bool
TaskGraphExecution::HasTensorCallbacks() const
{
    return !m_provider.IsNull() || !m_consumer.IsNull() || !m_kernel.IsNull();
}

bool
TaskGraphExecution::HasPayloadConsumer() const
{
    return !m_consumer.IsNull();
}

double
TaskGraphExecution::RunKernel(uint32_t taskId)
{
    const auto& task = m_graph->GetCompute(taskId);
    if (task.kernelId == 0 || m_kernel.IsNull())
    {
        return -1;
    }
    NS_LOG_LOGIC("node " << task.device << " runs kernel " << task.kernelId << " of task "
                         << taskId);
    return m_kernel(task.device, task.kernelId, m_iteration);
}

void
TaskGraphExecution::NotifyPayloadDelivered(uint32_t receiver,
                                           uint32_t sender,
                                           uint64_t messageId,
                                           TensorPayload payload)
{
    const uint32_t taskId = GetMessageTask(messageId);
    if (GetMessageExecution(messageId) != m_execution || !IsLocal(receiver))
    {
        return; // an abandoned execution's (NotifyMessageDelivered counts it)
    }
    NS_ABORT_MSG_IF(!m_running || taskId >= m_finished.size() || m_graph->IsCompute(taskId),
                    "TaskGraphExecution: node " << receiver << " received the payload of message "
                                                << messageId << " that no running transfer sent");
    const auto& transfer = m_graph->GetTransfer(taskId);
    NS_ABORT_MSG_IF(!payload || payload->size() != transfer.bytes,
                    "TaskGraphExecution: transfer "
                        << taskId << " carries " << transfer.bytes << " bytes but a payload of "
                        << (payload ? payload->size() : 0) << " bytes arrived");
    if (transfer.tensorId != 0 && !m_consumer.IsNull())
    {
        m_consumer(receiver, transfer.tensorId, m_iteration, payload);
    }
}

uint32_t
TaskGraphExecution::GetNodeCount() const
{
    return m_applications.size();
}

Ptr<EdgeLlmApplication>
TaskGraphExecution::GetApplication(uint32_t node) const
{
    NS_ABORT_MSG_IF(node >= m_applications.size(),
                    "TaskGraphExecution: node " << node << " has no application");
    return m_applications[node];
}

void
TaskGraphExecution::SetApplications(const std::vector<Ptr<EdgeLlmApplication>>& applications)
{
    m_applications = applications;
}

void
TaskGraphExecution::SetComputeModel(Ptr<ComputeModel> model)
{
    m_computeModel = model;
}

void
TaskGraphExecution::SetDeviceProfiles(const std::vector<DeviceProfile>& profiles)
{
    m_profiles = profiles;
}

std::string
TaskGraphExecution::CheckGraph(const TaskGraph& graph) const
{
    std::string problem = graph.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    if (graph.GetDeviceCount() != m_applications.size())
    {
        std::ostringstream os;
        os << "task graph has deviceCount=" << graph.GetDeviceCount() << " but the run has "
           << m_applications.size() << " nodes; they must be equal";
        return os.str();
    }
    // Only a transfer carries information between nodes.
    problem = graph.ValidateLocality();
    if (!problem.empty())
    {
        return problem;
    }
    for (uint32_t id = 0; id < graph.GetTaskCount(); ++id)
    {
        if (graph.IsCompute(id) && !graph.GetCompute(id).HasExplicitDuration())
        {
            if (!m_computeModel)
            {
                return "compute task " + std::to_string(id) +
                       " has no explicit duration and the run has no ComputeModel";
            }
            if (graph.GetCompute(id).device >= m_profiles.size())
            {
                return "compute task " + std::to_string(id) + " runs on node " +
                       std::to_string(graph.GetCompute(id).device) +
                       ", which has no device profile";
            }
        }
    }
    return "";
}

void
TaskGraphExecution::Start(Ptr<TaskGraph> graph, uint32_t iteration, FinishedCallback finished)
{
    NS_LOG_FUNCTION(this << iteration);
    NS_ABORT_MSG_IF(m_running,
                    "TaskGraphExecution: iteration " << iteration << " started while iteration "
                                                     << m_iteration << " is still running");
    NS_ABORT_MSG_IF(!graph, "TaskGraphExecution: null task graph");
    std::string problem = CheckGraph(*graph);
    NS_ABORT_MSG_IF(!problem.empty(), "TaskGraphExecution: " << problem);

    m_graph = graph;
    m_iteration = iteration;
    m_execution = m_started++;
    m_finishedCallback = finished;
    const uint32_t count = graph->GetTaskCount();
    m_pendingDependencies.assign(count, 0);
    // a transfer sent from another rank ends here with no start seen: the iteration's start
    m_startTimes.assign(count, Simulator::Now());
    m_finished.assign(count, false);
    m_released.assign(count, false);
    m_finishedCount = 0;
    m_running = true;
    // In a distributed simulation every rank holds every node, but simulates only its own.
    const uint32_t rank = Simulator::GetSystemId();
    m_local.assign(m_applications.size(), true);
    m_partitioned = false;
    for (uint32_t node = 0; node < m_applications.size(); ++node)
    {
        m_local[node] = m_applications[node]->GetNode()->GetSystemId() == rank;
        m_partitioned = m_partitioned || !m_local[node];
    }

    // Open (or reuse) one connection per pair of nodes the graph moves bytes between.
    std::set<std::pair<uint32_t, uint32_t>> pairs;
    m_endingHere = 0;
    for (uint32_t id = 0; id < count; ++id)
    {
        m_pendingDependencies[id] = graph->GetDependencies(id).size();
        m_endingHere += m_local[GetEndNode(id)] ? 1 : 0;
        if (!graph->IsCompute(id))
        {
            const auto& transfer = graph->GetTransfer(id);
            pairs.emplace(std::min(transfer.source, transfer.destination),
                          std::max(transfer.source, transfer.destination));
        }
    }
    for (const auto& [low, high] : pairs)
    {
        if (m_local[low])
        {
            m_applications[low]->PrepareConnection(high);
        }
        if (m_local[high])
        {
            m_applications[high]->PrepareConnection(low);
        }
    }
    if (m_endingHere == 0)
    {
        m_running = false;
        Simulator::ScheduleNow([this]() { m_finishedCallback(m_iteration); });
        return;
    }
    std::vector<uint32_t> roots;
    for (uint32_t id = 0; id < count; ++id)
    {
        if (m_pendingDependencies[id] == 0 && m_local[GetStartNode(id)])
        {
            roots.push_back(id);
        }
    }
    for (uint32_t id : roots)
    {
        Release(id);
    }
}

void
TaskGraphExecution::Release(uint32_t taskId)
{
    NS_LOG_FUNCTION(this << taskId);
    m_startTimes[taskId] = Simulator::Now();
    m_released[taskId] = true;
    if (m_graph->IsCompute(taskId))
    {
        m_applications[m_graph->GetCompute(taskId).device]->EnqueueCompute(taskId);
    }
    else
    {
        m_taskStartedTrace(m_iteration, taskId, Simulator::Now());
        const auto& transfer = m_graph->GetTransfer(taskId);
        TensorPayload payload;
        if (transfer.tensorId != 0 && !m_provider.IsNull())
        {
            // Serialized now, when the transfer starts: the bytes the sender holds at this time.
            payload = m_provider(transfer.source, transfer.tensorId, m_iteration);
            NS_ABORT_MSG_IF(!payload || payload->size() != transfer.bytes,
                            "TaskGraphExecution: transfer "
                                << m_graph->DescribeTask(taskId)
                                << " declares bytes=" << transfer.bytes << " but its tensor "
                                << transfer.tensorId << " has " << (payload ? payload->size() : 0)
                                << " bytes; they must be equal");
        }
        m_applications[transfer.source]->StartTransfer(taskId,
                                                       transfer.destination,
                                                       MakeMessageId(m_execution, taskId),
                                                       transfer.bytes,
                                                       payload);
    }
}

std::string
TaskGraphExecution::CheckHostFlops(double hostFlops)
{
    if (!(hostFlops >= 0) || !std::isfinite(hostFlops))
    {
        std::ostringstream os;
        os << "hostFlops=" << hostFlops
           << " is invalid: must be a finite number >= 0 (0 = analytic)";
        return os.str();
    }
    return "";
}

void
TaskGraphExecution::SetMeasuredKernelTiming(double hostFlops)
{
    std::string problem = CheckHostFlops(hostFlops);
    NS_ABORT_MSG_IF(!problem.empty(), "TaskGraphExecution: " << problem);
    m_hostFlops = hostFlops;
}

Time
TaskGraphExecution::GetComputeDuration(uint32_t taskId, double kernelSeconds) const
{
    const auto& task = m_graph->GetCompute(taskId);
    if (task.HasExplicitDuration())
    {
        return task.duration;
    }
    if (m_hostFlops > 0 && kernelSeconds >= 0 && task.kernelId != 0 &&
        task.device < m_profiles.size())
    {
        return Seconds(kernelSeconds * m_hostFlops /
                       m_profiles[task.device].GetAchievedFlops(task.dtype));
    }
    if (task.kernels)
    {
        return m_computeModel->GetWorkTime(m_profiles[task.device], task.dtype, *task.kernels);
    }
    return m_computeModel->GetComputeTime(m_profiles[task.device],
                                          task.dtype,
                                          task.flops,
                                          task.memoryBytes);
}

void
TaskGraphExecution::NotifyComputeStarted(uint32_t taskId)
{
    // A compute task's recorded start is when its device begins it, not when it became ready.
    m_startTimes[taskId] = Simulator::Now();
    m_taskStartedTrace(m_iteration, taskId, Simulator::Now());
}

void
TaskGraphExecution::NotifyComputeFinished(uint32_t taskId)
{
    NS_ABORT_MSG_IF(!m_running || taskId >= m_finished.size() || !m_graph->IsCompute(taskId),
                    "TaskGraphExecution: unexpected completion of compute task " << taskId);
    Finish(taskId);
}

void
TaskGraphExecution::NotifyMessageDelivered(uint32_t receiver,
                                           uint32_t sender,
                                           uint64_t messageId,
                                           uint64_t bytes)
{
    const uint32_t execution = GetMessageExecution(messageId);
    const uint32_t taskId = GetMessageTask(messageId);
    if (!IsLocal(receiver))
    {
        // the receiver's own rank observes it (in a distributed run nothing arrives here;
        // a single process standing in for one rank, as in the tests, delivers it anyway)
        return;
    }
    if (execution < m_execution)
    {
        // sent by an execution abandoned after a failure: it arrives, and is dropped
        m_discardedBytes += bytes;
        return;
    }
    NS_ABORT_MSG_IF(!m_running || execution != m_execution || taskId >= m_finished.size() ||
                        m_graph->IsCompute(taskId),
                    "TaskGraphExecution: node " << receiver << " received message " << messageId
                                                << " (execution " << execution << ", task "
                                                << taskId << ") that no running transfer sent");
    const auto& transfer = m_graph->GetTransfer(taskId);
    NS_ABORT_MSG_IF(transfer.source != sender || transfer.destination != receiver,
                    "TaskGraphExecution: transfer "
                        << taskId << " from " << transfer.source << " to " << transfer.destination
                        << " arrived from " << sender << " at " << receiver);
    NS_ABORT_MSG_IF(bytes != transfer.bytes,
                    "TaskGraphExecution: transfer " << taskId << " carries " << transfer.bytes
                                                    << " bytes but " << bytes << " arrived");
    NS_ABORT_MSG_IF(m_finished[taskId],
                    "TaskGraphExecution: transfer " << taskId << " arrived twice");
    Finish(taskId);
}

void
TaskGraphExecution::Finish(uint32_t taskId)
{
    NS_LOG_FUNCTION(this << taskId);
    m_finished[taskId] = true;
    ++m_finishedCount;
    m_taskFinishedTrace(m_iteration, taskId, m_startTimes[taskId], Simulator::Now());
    // Release in task-id order: transfers on one pair queue FIFO, ties broken by id.
    std::vector<uint32_t> released;
    for (uint32_t successor : m_graph->GetSuccessors(taskId))
    {
        // a local graph's successors start where their predecessor ended (CheckGraph)
        if (--m_pendingDependencies[successor] == 0 && m_local[GetStartNode(successor)])
        {
            released.push_back(successor);
        }
    }
    std::sort(released.begin(), released.end());
    for (uint32_t successor : released)
    {
        Release(successor);
    }
    if (m_finishedCount == m_endingHere)
    {
        m_running = false;
        m_finishedCallback(m_iteration);
    }
}

TaskGraphExecution::AbortReport
TaskGraphExecution::Abort()
{
    NS_LOG_FUNCTION(this);
    AbortReport report;
    if (!m_running)
    {
        return report;
    }
    for (uint32_t id = 0; id < m_graph->GetTaskCount(); ++id)
    {
        if (m_finished[id])
        {
            ++report.tasksFinished;
        }
        else if (m_released[id] && !m_graph->IsCompute(id))
        {
            ++report.transfersInFlight;
            report.bytesInFlight += m_graph->GetTransfer(id).bytes;
        }
    }
    for (const auto& application : m_applications)
    {
        report.computesRunning += application->AbortCompute();
    }
    m_running = false;
    return report;
}

uint32_t
TaskGraphExecution::GetExecutionNumber() const
{
    return m_execution;
}

uint64_t
TaskGraphExecution::GetDiscardedBytes() const
{
    return m_discardedBytes;
}

bool
TaskGraphExecution::IsFinished(uint32_t taskId) const
{
    return taskId < m_finished.size() && m_finished[taskId];
}

bool
TaskGraphExecution::IsRunning() const
{
    return m_running;
}

bool
TaskGraphExecution::IsPartitioned() const
{
    return m_partitioned;
}

bool
TaskGraphExecution::IsLocal(uint32_t node) const
{
    return node >= m_local.size() || m_local[node];
}

uint32_t
TaskGraphExecution::GetStartNode(uint32_t taskId) const
{
    return m_graph->IsCompute(taskId) ? m_graph->GetCompute(taskId).device
                                      : m_graph->GetTransfer(taskId).source;
}

uint32_t
TaskGraphExecution::GetEndNode(uint32_t taskId) const
{
    return m_graph->IsCompute(taskId) ? m_graph->GetCompute(taskId).device
                                      : m_graph->GetTransfer(taskId).destination;
}

Ptr<TaskGraph>
TaskGraphExecution::GetGraph() const
{
    return m_graph;
}

uint32_t
TaskGraphExecution::GetIteration() const
{
    return m_iteration;
}

uint64_t
TaskGraphExecution::MakeMessageId(uint32_t execution, uint32_t taskId)
{
    return (static_cast<uint64_t>(execution) << 32) | taskId;
}

uint32_t
TaskGraphExecution::GetMessageExecution(uint64_t messageId)
{
    return static_cast<uint32_t>(messageId >> 32);
}

uint32_t
TaskGraphExecution::GetMessageTask(uint64_t messageId)
{
    return static_cast<uint32_t>(messageId & 0xffffffffULL);
}

} // namespace edgellm
} // namespace ns3
