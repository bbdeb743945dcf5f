/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-server-application.h"

#include "task-graph-execution.h"

#include "ns3/boolean.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
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
EdgeServerApplication::StartApplication()
{
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
    StartIteration(0);
}

void
EdgeServerApplication::StartIteration(uint32_t iteration)
{
    NS_LOG_FUNCTION(this << iteration);
    m_iterationStart = Simulator::Now();
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
        m_runTrace(m_completed);
        if (m_stopSimulation)
        {
            Simulator::Stop();
        }
    }
}

} // namespace edgellm
} // namespace ns3
