/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-application.h"

#include "task-graph-execution.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmApplication");

NS_OBJECT_ENSURE_REGISTERED(EdgeLlmApplication);

TypeId
EdgeLlmApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::EdgeLlmApplication")
            .SetParent<Application>()
            .SetGroupName("EdgeLlm")
            .AddAttribute("NodeIndex",
                          "This node's index in the run (the task graph's device index).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&EdgeLlmApplication::m_nodeIndex),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Transport",
                          "The node's tensor transport (read only; its MessageSent and "
                          "MessageDelivered traces are reachable through this path)",
                          TypeId::ATTR_GET,
                          PointerValue(),
                          MakePointerAccessor(&EdgeLlmApplication::m_transport),
                          MakePointerChecker<TensorTransport>())
            .AddAttribute("Execution",
                          "The run's task-graph execution, shared by every node (read only; "
                          "its TaskFinished trace is reachable through this path)",
                          TypeId::ATTR_GET,
                          PointerValue(),
                          MakePointerAccessor(&EdgeLlmApplication::m_execution),
                          MakePointerChecker<TaskGraphExecution>())
            .AddTraceSource("ComputeStarted",
                            "A compute task started (task id, duration).",
                            MakeTraceSourceAccessor(&EdgeLlmApplication::m_computeStartedTrace),
                            "ns3::EdgeLlmApplication::ComputeTracedCallback")
            .AddTraceSource("ComputeFinished",
                            "A compute task finished, or was cut short by an abort (task id, "
                            "the time it ran).",
                            MakeTraceSourceAccessor(&EdgeLlmApplication::m_computeFinishedTrace),
                            "ns3::EdgeLlmApplication::ComputeTracedCallback")
            .AddTraceSource("TransferStarted",
                            "This node began sending a transfer (task id, destination, bytes).",
                            MakeTraceSourceAccessor(&EdgeLlmApplication::m_transferStartedTrace),
                            "ns3::EdgeLlmApplication::TransferTracedCallback")
            .AddTraceSource("TransferDelivered",
                            "A transfer's last byte arrived at this node (task id, source, bytes).",
                            MakeTraceSourceAccessor(&EdgeLlmApplication::m_transferDeliveredTrace),
                            "ns3::EdgeLlmApplication::TransferTracedCallback");
    return tid;
}

EdgeLlmApplication::EdgeLlmApplication()
    : m_nodeIndex(0),
      m_computing(false),
      m_startPending(false),
      m_computeBusy(0)
{
}

EdgeLlmApplication::~EdgeLlmApplication() = default;

void
EdgeLlmApplication::DoDispose()
{
    m_computeEvent.Cancel();
    m_heartbeatEvent.Cancel();
    m_execution = nullptr;
    if (m_transport)
    {
        m_transport->Dispose();
        m_transport = nullptr;
    }
    Application::DoDispose();
}

uint32_t
EdgeLlmApplication::GetNodeIndex() const
{
    return m_nodeIndex;
}

void
EdgeLlmApplication::SetTransport(Ptr<TensorTransport> transport)
{
    m_transport = transport;
}

Ptr<TensorTransport>
EdgeLlmApplication::GetTransport() const
{
    return m_transport;
}

void
EdgeLlmApplication::SetExecution(Ptr<TaskGraphExecution> execution)
{
    m_execution = execution;
}

void
EdgeLlmApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_transport,
                    "EdgeLlmApplication on node " << m_nodeIndex << " has no TensorTransport");
    m_transport->SetDeliveredCallback(MakeCallback(&EdgeLlmApplication::HandleDelivered, this));
    if (m_execution && m_execution->HasPayloadConsumer())
    {
        // Only then do receivers collect payload bytes; virtual messages stay as fast as before.
        m_transport->SetPayloadCallback(MakeCallback(&EdgeLlmApplication::HandlePayload, this));
    }
    m_transport->Start(m_nodeIndex);
    if (!m_heartbeatInterval.IsZero())
    {
        m_heartbeatEvent = Simulator::ScheduleNow(&EdgeLlmApplication::SendHeartbeat, this);
    }
}

void
EdgeLlmApplication::SetHeartbeat(uint32_t server, Time interval)
{
    NS_ABORT_MSG_IF(interval.IsStrictlyNegative(),
                    "EdgeLlmApplication: heartbeat interval=" << interval.As(Time::S)
                                                              << " is invalid: must be >= 0");
    m_heartbeatServer = server;
    m_heartbeatInterval = interval;
}

void
EdgeLlmApplication::SendHeartbeat()
{
    if (m_halted)
    {
        return;
    }
    m_transport->SendHeartbeat(m_heartbeatServer);
    m_heartbeatEvent =
        Simulator::Schedule(m_heartbeatInterval, &EdgeLlmApplication::SendHeartbeat, this);
}

Ptr<TaskGraphExecution>
EdgeLlmApplication::GetExecution() const
{
    return m_execution;
}

uint32_t
EdgeLlmApplication::AbortCompute()
{
    NS_LOG_FUNCTION(this);
    m_ready.clear();
    if (!m_computing)
    {
        return 0;
    }
    m_computeEvent.Cancel();
    m_computing = false;
    const Time ran = Simulator::Now() - m_computeStart;
    m_computeBusy += ran;
    m_computeFinishedTrace(m_computingTask, ran);
    return 1;
}

void
EdgeLlmApplication::Halt()
{
    NS_LOG_FUNCTION(this);
    AbortCompute();
    m_halted = true;
    m_heartbeatEvent.Cancel();
}

void
EdgeLlmApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_computeEvent.Cancel();
    m_heartbeatEvent.Cancel();
    m_computing = false;
    m_startPending = false;
    m_ready.clear();
    if (m_transport)
    {
        m_transport->Stop();
    }
}

void
EdgeLlmApplication::PrepareConnection(uint32_t peer)
{
    m_transport->Connect(peer);
}

void
EdgeLlmApplication::EnqueueCompute(uint32_t taskId)
{
    NS_LOG_FUNCTION(this << taskId);
    if (m_halted)
    {
        return;
    }
    m_ready.insert(taskId);
    if (!m_computing && !m_startPending)
    {
        // Start at the end of this instant, so every task released now competes by task id.
        m_startPending = true;
        Simulator::ScheduleNow(&EdgeLlmApplication::StartNextCompute, this);
    }
}

void
EdgeLlmApplication::StartNextCompute()
{
    m_startPending = false;
    if (m_computing)
    {
        return;
    }
    if (m_ready.empty())
    {
        m_computing = false;
        return;
    }
    uint32_t taskId = *m_ready.begin();
    m_ready.erase(m_ready.begin());
    m_computing = true;
    m_computingTask = taskId;
    m_computeStart = Simulator::Now();
    const double kernelSeconds = m_execution->RunKernel(taskId);
    Time duration = m_execution->GetComputeDuration(taskId, kernelSeconds);
    m_execution->NotifyComputeStarted(taskId);
    m_computeStartedTrace(taskId, duration);
    m_computeEvent =
        Simulator::Schedule(duration, &EdgeLlmApplication::FinishCompute, this, taskId, duration);
}

void
EdgeLlmApplication::FinishCompute(uint32_t taskId, Time duration)
{
    NS_LOG_FUNCTION(this << taskId);
    m_computeBusy += duration;
    m_computeFinishedTrace(taskId, duration);
    m_computing = false;
    m_execution->NotifyComputeFinished(taskId);
    if (!m_startPending)
    {
        m_startPending = true;
        Simulator::ScheduleNow(&EdgeLlmApplication::StartNextCompute, this);
    }
}

void
EdgeLlmApplication::StartTransfer(uint32_t taskId,
                                  uint32_t destination,
                                  uint64_t messageId,
                                  uint64_t bytes,
                                  TensorPayload payload)
{
    NS_LOG_FUNCTION(this << taskId << destination << bytes);
    if (m_halted)
    {
        return;
    }
    m_transferStartedTrace(taskId, destination, bytes);
    if (payload)
    {
        m_transport->SendPayload(destination, messageId, payload);
    }
    else
    {
        m_transport->Send(destination, messageId, bytes);
    }
}

void
EdgeLlmApplication::HandlePayload(uint32_t peer, uint64_t messageId, TensorPayload payload)
{
    if (!m_halted)
    {
        m_execution->NotifyPayloadDelivered(m_nodeIndex, peer, messageId, payload);
    }
}

void
EdgeLlmApplication::HandleDelivered(uint32_t peer, uint64_t messageId, uint64_t bytes)
{
    if (m_halted)
    {
        return;
    }
    m_transferDeliveredTrace(TaskGraphExecution::GetMessageTask(messageId), peer, bytes);
    m_execution->NotifyMessageDelivered(m_nodeIndex, peer, messageId, bytes);
}

Time
EdgeLlmApplication::GetComputeBusyTime() const
{
    return m_computeBusy;
}

} // namespace edgellm
} // namespace ns3
