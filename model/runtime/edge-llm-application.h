/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDGE_LLM_APPLICATION_H
#define EDGE_LLM_EDGE_LLM_APPLICATION_H

#include "tensor-transport.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <set>

namespace ns3
{
namespace edgellm
{

class TaskGraphExecution;

/**
 * \ingroup edge-llm
 * \brief Executes one node's part of a task graph: its compute tasks on one compute stream,
 * its transfers through its TensorTransport, concurrently with compute.
 *
 * Among its ready compute tasks, a node starts the lowest task id (the TaskGraph's execution
 * rule); builders encode any other order with dependencies. EdgeDeviceApplication and
 * EdgeServerApplication are its two roles.
 */
class EdgeLlmApplication : public Application
{
  public:
    /**
     * TracedCallback signature for compute events.
     * \param [in] taskId the compute task
     * \param [in] duration how long it runs
     */
    typedef void (*ComputeTracedCallback)(uint32_t taskId, Time duration);

    /**
     * TracedCallback signature for transfer events.
     * \param [in] taskId the transfer task
     * \param [in] peer the other node
     * \param [in] bytes payload bytes
     */
    typedef void (*TransferTracedCallback)(uint32_t taskId, uint32_t peer, uint64_t bytes);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    EdgeLlmApplication();
    ~EdgeLlmApplication() override;

    /// \return this node's index in the run
    uint32_t GetNodeIndex() const;

    /// \param transport how this node moves messages (set before the application starts)
    void SetTransport(Ptr<TensorTransport> transport);
    /// \return this node's transport
    Ptr<TensorTransport> GetTransport() const;

    /// \param execution the run's execution bookkeeping
    void SetExecution(Ptr<TaskGraphExecution> execution);

    /**
     * \brief A compute task of this node is ready.
     * \param taskId the task
     */
    void EnqueueCompute(uint32_t taskId);

    /**
     * \brief A transfer from this node is ready: send it.
     * \param taskId the task
     * \param destination the receiving node
     * \param messageId the message id on the wire
     * \param bytes exact payload bytes
     * \param payload the real bytes (LibTorch mode), or null for a virtual payload
     */
    void StartTransfer(uint32_t taskId,
                       uint32_t destination,
                       uint64_t messageId,
                       uint64_t bytes,
                       TensorPayload payload = nullptr);

    /// \param peer a node this node will exchange messages with
    void PrepareConnection(uint32_t peer);

    /// \return the total time this node's compute stream has been busy
    Time GetComputeBusyTime() const;

    /// \return the run's execution bookkeeping (null before SetExecution)
    Ptr<TaskGraphExecution> GetExecution() const;

    /**
     * \brief Drop this node's running and ready compute tasks (TaskGraphExecution::Abort): the
     * running one ends now, its ComputeFinished trace fired with the time it ran.
     * \return 1 when a task was running, else 0
     */
    uint32_t AbortCompute();

    /**
     * \brief The node is gone (it left, or its battery is empty): it computes and sends
     * nothing more, ignores what arrives and stops its heartbeats. Its sockets stay as they
     * are (a dead node closes nothing).
     */
    void Halt();

    /**
     * \brief Send a heartbeat to \p server every \p interval (TensorTransport::SendHeartbeat),
     * from when the application starts, so that the server's failure detector hears it.
     * \param server the server's node index
     * \param interval the period; zero sends none (the default)
     */
    void SetHeartbeat(uint32_t server, Time interval);

  protected:
    void DoDispose() override;
    void StartApplication() override;
    void StopApplication() override;

    Ptr<TaskGraphExecution> m_execution; //!< the run's execution bookkeeping

  private:
    void StartNextCompute();
    void FinishCompute(uint32_t taskId, Time duration);
    void HandleDelivered(uint32_t peer, uint64_t messageId, uint64_t bytes);
    void HandlePayload(uint32_t peer, uint64_t messageId, TensorPayload payload);
    void SendHeartbeat();

    uint32_t m_nodeIndex;             //!< this node's index in the run
    Ptr<TensorTransport> m_transport; //!< message transport
    std::set<uint32_t> m_ready;       //!< ready compute tasks, lowest id first
    bool m_computing;                 //!< whether the compute stream is busy
    bool m_startPending;              //!< a StartNextCompute is scheduled for this instant
    EventId m_computeEvent;           //!< end of the running compute task
    Time m_computeBusy;               //!< accumulated compute time
    uint32_t m_computingTask{0};      //!< the running compute task (when m_computing)
    Time m_computeStart;              //!< when it started
    bool m_halted{false};             //!< Halt was called
    uint32_t m_heartbeatServer{0};    //!< where heartbeats go
    Time m_heartbeatInterval;         //!< their period; zero: none
    EventId m_heartbeatEvent;         //!< the next heartbeat

    TracedCallback<uint32_t, Time> m_computeStartedTrace;                //!< compute task started
    TracedCallback<uint32_t, Time> m_computeFinishedTrace;               //!< compute task finished
    TracedCallback<uint32_t, uint32_t, uint64_t> m_transferStartedTrace; //!< send started
    TracedCallback<uint32_t, uint32_t, uint64_t> m_transferDeliveredTrace; //!< message arrived
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EDGE_LLM_APPLICATION_H */
