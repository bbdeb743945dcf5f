/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-server-application.h"

#include "task-graph-execution.h"

#include "ns3/boolean.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEdgeServerApplication");

NS_OBJECT_ENSURE_REGISTERED(EdgeServerApplication);

TypeId
EdgeServerApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::EdgeServerApplication")
            .SetParent<EdgeLlmApplication>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<EdgeServerApplication>()
            .AddAttribute("Iterations",
                          "How many iterations (or rounds) the coordinator runs.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&EdgeServerApplication::m_iterations),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("StopSimulation",
                          "Stop the simulator when the last iteration finishes (beacons and "
                          "other periodic events would otherwise run forever).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&EdgeServerApplication::m_stopSimulation),
                          MakeBooleanChecker())
            .AddAttribute("FailureTimeout",
                          "How long the server waits for a node's heartbeat before it suspects "
                          "the node failed (zero: no failure detector). Nodes send heartbeats "
                          "when EdgeLlmApplication::SetHeartbeat is set; the timeout should be "
                          "several heartbeat intervals.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&EdgeServerApplication::m_failureTimeout),
                          MakeTimeChecker(Seconds(0)))
            .AddTraceSource("NodeSuspected",
                            "The failure detector suspects a node (node index): no heartbeat "
                            "arrived from it for FailureTimeout.",
                            MakeTraceSourceAccessor(&EdgeServerApplication::m_nodeSuspectedTrace),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("IterationCompleted",
                            "An iteration's last task finished (iteration, start, end).",
                            MakeTraceSourceAccessor(&EdgeServerApplication::m_iterationTrace),
                            "ns3::EdgeServerApplication::IterationTracedCallback")
            .AddTraceSource("RunCompleted",
                            "Every iteration finished (number of iterations).",
                            MakeTraceSourceAccessor(&EdgeServerApplication::m_runTrace),
                            "ns3::TracedValueCallback::Uint32");
    return tid;
}

EdgeServerApplication::EdgeServerApplication()
    : m_iterations(1),
      m_completed(0),
      m_stopSimulation(true)
{
}

EdgeServerApplication::~EdgeServerApplication() = default;

void
EdgeServerApplication::DoDispose()
{
    m_graphSource = MakeNullCallback<Ptr<TaskGraph>, uint32_t>();
    m_nodeSuspected = MakeNullCallback<void, uint32_t>();
    for (auto& [node, event] : m_silence)
    {
        event.Cancel();
    }
    m_silence.clear();
    m_network = nullptr;
    EdgeLlmApplication::DoDispose();
}

namespace
{

/// A graph source that returns the same graph for every iteration.
Ptr<TaskGraph>
SameGraph(Ptr<TaskGraph> graph, uint32_t /* iteration */)
{
    return graph;
}

} // namespace

void
EdgeServerApplication::SetGraph(Ptr<TaskGraph> graph)
{
    NS_ABORT_MSG_IF(!graph, "EdgeServerApplication::SetGraph: null graph");
    SetGraphSource(MakeBoundCallback(&SameGraph, graph));
}

void
EdgeServerApplication::SetGraphSource(GraphSource source)
{
    m_graphSource = source;
}

uint32_t
EdgeServerApplication::GetCompletedIterations() const
{
    return m_completed;
}

void
EdgeServerApplication::SetNodeSuspectedCallback(NodeSuspectedCallback callback)
{
    m_nodeSuspected = callback;
}

void
EdgeServerApplication::RestartIteration()
{
    NS_LOG_FUNCTION(this);
    m_restarting = true;
    Simulator::ScheduleNow(&EdgeServerApplication::StartIteration, this, m_completed);
}

void
EdgeServerApplication::HeartbeatReceived(uint32_t node)
{
    auto watched = m_silence.find(node);
    if (watched == m_silence.end())
    {
        return; // not watched (yet, or any more)
    }
    watched->second.Cancel();
    watched->second =
        Simulator::Schedule(m_failureTimeout, &EdgeServerApplication::Suspect, this, node);
}

void
EdgeServerApplication::Suspect(uint32_t node)
{
    NS_LOG_FUNCTION(this << node);
    m_silence.erase(node); // suspected once
    m_nodeSuspectedTrace(node);
    if (!m_nodeSuspected.IsNull())
    {
        m_nodeSuspected(node);
    }
}

void
EdgeServerApplication::StartApplication()
{
    if (!m_failureTimeout.IsZero())
    {
        GetTransport()->SetHeartbeatCallback(
            MakeCallback(&EdgeServerApplication::HeartbeatReceived, this));
    }
    EdgeLlmApplication::StartApplication();
    NS_ABORT_MSG_IF(m_graphSource.IsNull(), "EdgeServerApplication: no graph source was set");
    NS_ABORT_MSG_IF(!m_execution, "EdgeServerApplication: no TaskGraphExecution was set");
    if (m_network)
    {
        // Called at once (scheduled now) when the network is already ready.
        m_network->NotifyWhenReady(MakeCallback(&EdgeServerApplication::BeginRun, this));
    }
    else
    {
        // After every application of this instant has started listening.
        Simulator::ScheduleNow(&EdgeServerApplication::BeginRun, this);
    }
}

void
EdgeServerApplication::WaitForNetwork(Ptr<EdgeNetwork> network)
{
    m_network = network;
}

void
EdgeServerApplication::BeginRun()
{
    if (!m_failureTimeout.IsZero())
    {
        // watched from now, when every node can reach the server (Wi-Fi associated)
        for (uint32_t node = 0; node < m_execution->GetNodeCount(); ++node)
        {
            if (node != GetNodeIndex())
            {
                m_silence[node] = Simulator::Schedule(m_failureTimeout,
                                                      &EdgeServerApplication::Suspect,
                                                      this,
                                                      node);
            }
        }
    }
    StartIteration(0);
}

void
EdgeServerApplication::StartIteration(uint32_t iteration)
{
    NS_LOG_FUNCTION(this << iteration);
    if (!m_restarting)
    {
        m_iterationStart = Simulator::Now();
    }
    m_restarting = false;
    Ptr<TaskGraph> graph = m_graphSource(iteration);
    if (!graph)
    {
        // the graph source declined (a plan failed): the run ends here, the rounds before it
        // stay recorded
        NS_LOG_WARN("no graph for iteration " << iteration << "; the run stops");
        Simulator::Stop();
        return;
    }
    m_execution->Start(graph,
                       iteration,
                       MakeCallback(&EdgeServerApplication::IterationFinished, this));
}

void
EdgeServerApplication::IterationFinished(uint32_t iteration)
{
    NS_LOG_FUNCTION(this << iteration);
    m_completed = iteration + 1;
    m_iterationTrace(iteration, m_iterationStart, Simulator::Now());
    if (m_completed < m_iterations)
    {
        Simulator::ScheduleNow(&EdgeServerApplication::StartIteration, this, m_completed);
    }
    else
    {
        for (auto& [node, event] : m_silence)
        {
            event.Cancel(); // the run is over: nothing more to detect
        }
        m_silence.clear();
        m_runTrace(m_completed);
        if (m_stopSimulation)
        {
            Simulator::Stop();
        }
    }
}

} // namespace edgellm
} // namespace ns3
