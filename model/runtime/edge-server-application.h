/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDGE_SERVER_APPLICATION_H
#define EDGE_LLM_EDGE_SERVER_APPLICATION_H

#include "edge-llm-application.h"

#include "ns3/callback.h"
#include "ns3/edge-network.h"
#include "ns3/event-id.h"
#include "ns3/task-graph.h"

#include <map>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The application on the edge server: executes the server's own tasks and hosts the
 * run's coordinator, which obtains each iteration's task graph (from a strategy and, later, its
 * scheduler), starts it on every node, and starts the next when the last task finishes.
 */
class EdgeServerApplication : public EdgeLlmApplication
{
  public:
    /// Gives the task graph of an iteration (iteration number).
    typedef Callback<Ptr<TaskGraph>, uint32_t> GraphSource;

    /**
     * TracedCallback signature for a finished iteration.
     * \param [in] iteration iteration number
     * \param [in] start when it started
     * \param [in] end when its last task finished
     */
    typedef void (*IterationTracedCallback)(uint32_t iteration, Time start, Time end);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    EdgeServerApplication();
    ~EdgeServerApplication() override;

    /// \param source gives the graph of each iteration
    void SetGraphSource(GraphSource source);

    /// \param graph the graph every iteration runs (a graph source that always returns it)
    void SetGraph(Ptr<TaskGraph> graph);

    /**
     * \brief Start the first iteration only once \p network is ready (Wi-Fi stations
     * associated), so that association time is not counted as iteration time.
     * \param network the run's network
     */
    void WaitForNetwork(Ptr<EdgeNetwork> network);

    /// \return the iterations finished so far
    uint32_t GetCompletedIterations() const;

    /// Called with a node the failure detector suspects (its heartbeats stopped).
    typedef Callback<void, uint32_t> NodeSuspectedCallback;

    /**
     * \param callback told of every node the failure detector suspects (FailureTimeout), once
     * per node
     */
    void SetNodeSuspectedCallback(NodeSuspectedCallback callback);

    /**
     * \brief Run the current iteration again from its start (after TaskGraphExecution::Abort):
     * the graph source is asked for it anew; the iteration keeps its original start time, so
     * its latency includes the failed attempt.
     */
    void RestartIteration();

  protected:
    void DoDispose() override;
    void StartApplication() override;

  private:
    void BeginRun();
    void StartIteration(uint32_t iteration);
    void IterationFinished(uint32_t iteration);
    /// a heartbeat from \p node arrived
    void HeartbeatReceived(uint32_t node);
    /// \p node was silent for FailureTimeout
    void Suspect(uint32_t node);

    uint32_t m_iterations;                 //!< iterations to run
    uint32_t m_completed;                  //!< iterations finished
    bool m_stopSimulation;                 //!< stop the simulator after the last iteration
    Time m_iterationStart;                 //!< start of the current iteration
    GraphSource m_graphSource;             //!< graph per iteration
    Ptr<EdgeNetwork> m_network;            //!< waited for before the first iteration
    bool m_restarting{false};              //!< the next StartIteration restarts the current one
    Time m_failureTimeout;                 //!< silence that makes a node suspect; zero: no detector
    std::map<uint32_t, EventId> m_silence; //!< per watched node: when it becomes suspect
    NodeSuspectedCallback m_nodeSuspected; //!< the round loop's listener
    TracedCallback<uint32_t> m_nodeSuspectedTrace;         //!< NodeSuspected
    TracedCallback<uint32_t, Time, Time> m_iterationTrace; //!< an iteration finished
    TracedCallback<uint32_t> m_runTrace;                   //!< every iteration finished
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EDGE_SERVER_APPLICATION_H */
