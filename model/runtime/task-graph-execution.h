/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TASK_GRAPH_EXECUTION_H
#define EDGE_LLM_TASK_GRAPH_EXECUTION_H

#include "ns3/compute-model.h"
#include "ns3/device-profile.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/task-graph.h"
#include "ns3/tensor-transport.h"
#include "ns3/traced-callback.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

class EdgeLlmApplication;

/**
 * \ingroup edge-llm
 * \brief Dependency bookkeeping of one task graph being executed by the applications of a run.
 *
 * Applications report what they observe on their own node (a compute task finished here, a
 * message's last byte arrived here); the execution releases the successors. The graph must be
 * local: every dependency of a task is observable on the node that runs it (a compute task on
 * its device, a transfer on its source), so no information crosses the network except through a
 * TransferTask. CheckGraph enforces this, so the simulated system never relies on a signal it
 * would not have.
 *
 * \par Real kernels and tensors (optional)
 * With SetTensorCallbacks (e.g. by the LibTorch engine), a compute task with kernelId != 0 runs
 * its kernel on its node when it starts, a transfer with tensorId != 0 asks the provider for
 * the tensor's bytes when it starts (their count must equal the transfer's bytes) and sends
 * them as the message's payload, and the receiving node hands the bytes that arrived to the
 * consumer before the transfer counts as finished. The simulated duration stays the compute
 * model's.
 *
 * \par Distributed runs (ns-3's MPI simulator)
 * When some nodes belong to another rank (Node::GetSystemId differs from
 * Simulator::GetSystemId), every rank runs its own execution of the same graph and does only
 * its own part: compute tasks on its nodes, transfers whose source is its node (sent) and
 * transfers whose destination is its node (observed arriving). Such a transfer's start is
 * traced on the sender's rank and its end on the receiver's; every task ends on exactly one
 * rank. The iteration counts as finished when this rank's part has (see IsPartitioned).
 */
class TaskGraphExecution : public Object
{
  public:
    /// Called when every task of the iteration has finished (iteration number).
    typedef Callback<void, uint32_t> FinishedCallback;

    /**
     * Runs a real kernel: (node, kernel id, iteration) -> the kernel's wall time in seconds.
     */
    typedef Callback<double, uint32_t, uint64_t, uint32_t> KernelCallback;
    /// Serializes a tensor for sending: (node, tensor id, iteration) -> its bytes.
    typedef Callback<TensorPayload, uint32_t, uint64_t, uint32_t> PayloadProvider;
    /// Takes a received tensor: (node, tensor id, iteration, bytes that arrived).
    typedef Callback<void, uint32_t, uint64_t, uint32_t, TensorPayload> PayloadConsumer;

    /**
     * TracedCallback signature for a finished task.
     * \param [in] iteration iteration number
     * \param [in] taskId the task
     * \param [in] start when it was released to its node (compute: when it started running)
     * \param [in] end when it finished (transfer: its last byte arrived)
     */
    typedef void (*TaskTracedCallback)(uint32_t iteration, uint32_t taskId, Time start, Time end);

    /**
     * TracedCallback signature for a task that starts on this rank.
     * \param [in] iteration iteration number
     * \param [in] taskId the task
     * \param [in] start when it started (compute: began running; transfer: handed to its
     *            sender)
     */
    typedef void (*TaskStartedTracedCallback)(uint32_t iteration, uint32_t taskId, Time start);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TaskGraphExecution();
    ~TaskGraphExecution() override;

    /// \param applications one per node of the run, indexed as the graph's devices
    void SetApplications(const std::vector<Ptr<EdgeLlmApplication>>& applications);
    /// \param model the compute model for tasks without an explicit duration
    void SetComputeModel(Ptr<ComputeModel> model);
    /// \param profiles the device profile of each node, indexed as the graph's devices
    void SetDeviceProfiles(const std::vector<DeviceProfile>& profiles);

    /**
     * \brief Attach real kernels and tensors (see the class description).
     * \param kernel runs a compute task's kernel
     * \param provider gives a transfer's bytes at the sender
     * \param consumer takes a transfer's bytes at the receiver
     */
    void SetTensorCallbacks(KernelCallback kernel,
                            PayloadProvider provider,
                            PayloadConsumer consumer);
    /// \return the number of nodes (SetApplications)
    uint32_t GetNodeCount() const;

    /// \param node a node index \return its application
    Ptr<EdgeLlmApplication> GetApplication(uint32_t node) const;

    /// \return whether SetTensorCallbacks attached any callback
    bool HasTensorCallbacks() const;
    /// \return whether received payloads have a consumer (receivers then collect the bytes)
    bool HasPayloadConsumer() const;

    /**
     * \brief Run the real kernel of a compute task that starts now, if it has one and a
     * KernelCallback is attached.
     * \param taskId a compute task of the current graph
     * \return the kernel's wall time in seconds (-1 when nothing ran)
     */
    double RunKernel(uint32_t taskId);

    /**
     * \brief The bytes of a message arrived (payload mode); called before
     * NotifyMessageDelivered of the same message.
     * \param receiver the receiving node
     * \param sender the sending node
     * \param messageId the message id
     * \param payload the bytes
     */
    void NotifyPayloadDelivered(uint32_t receiver,
                                uint32_t sender,
                                uint64_t messageId,
                                TensorPayload payload);

    /**
     * \brief Check that the applications can execute \p graph.
     * \param graph a task graph
     * \return "" when it can, otherwise the problem (graph validation, device count, a
     *         dependency not observable where the task runs)
     */
    std::string CheckGraph(const TaskGraph& graph) const;

    /**
     * \brief Execute \p graph now; NS_FATAL_ERROR with CheckGraph's message when it cannot.
     * \param graph the graph
     * \param iteration its iteration number (part of every message id)
     * \param finished called when the last task finishes
     */
    void Start(Ptr<TaskGraph> graph, uint32_t iteration, FinishedCallback finished);

    /**
     * \brief What an aborted iteration left behind.
     */
    struct AbortReport
    {
        uint32_t tasksFinished{0};     //!< tasks that had finished (their work is discarded)
        uint32_t transfersInFlight{0}; //!< transfers started and not arrived
        uint64_t bytesInFlight{0};     //!< their payload bytes (all of them, arrived or not)
        uint32_t computesRunning{0};   //!< compute tasks cut short
    };

    /**
     * \brief Abandon the running iteration (a node failed): every node's running and ready
     * compute tasks are dropped, the finished callback is not called, and the messages still in
     * flight are discarded when they arrive (they carry the abandoned execution's number).
     * \return what was in progress
     */
    AbortReport Abort();

    /// \return the number of the current (or last) execution (MakeMessageId)
    uint32_t GetExecutionNumber() const;

    /// \return payload bytes of messages that arrived for an abandoned execution (discarded)
    uint64_t GetDiscardedBytes() const;

    /// \param taskId a task of the current (or last) graph \return whether it finished
    bool IsFinished(uint32_t taskId) const;

    /// \return whether an iteration is in progress
    bool IsRunning() const;

    /**
     * \return whether some node of the run belongs to another rank of a distributed
     *         simulation (known from Start on): this rank then executes and observes only its
     *         own nodes' part of each graph (see the class description)
     */
    bool IsPartitioned() const;

    /**
     * \param node a node index
     * \return whether \p node is simulated on this rank (always, outside distributed runs)
     */
    bool IsLocal(uint32_t node) const;
    /// \return the graph of the current (or last) iteration
    Ptr<TaskGraph> GetGraph() const;
    /// \return the current (or last) iteration number
    uint32_t GetIteration() const;

    /**
     * \param taskId a compute task of the current graph
     * \param kernelSeconds the wall time of its real kernel (RunKernel), or a negative value
     *        when none ran
     * \return how long it runs: its explicit duration; else, with measured kernel timing and a
     *         kernel that ran, kernelSeconds * hostFlops / the device's achieved FLOP/s; else
     *         the compute model's time on its device's profile
     */
    Time GetComputeDuration(uint32_t taskId, double kernelSeconds = -1) const;

    /**
     * \brief Check a host FLOP/s value for SetMeasuredKernelTiming.
     * \param hostFlops the value
     * \return "" or e.g. "hostFlops=-1 is invalid: must be a finite number >= 0 (0 = analytic)"
     */
    static std::string CheckHostFlops(double hostFlops);

    /**
     * \brief Time compute tasks whose real kernel ran by the kernel's measured wall time,
     * scaled from this host to the device: duration = wall * hostFlops / achieved FLOP/s of the
     * device (in the task's dtype). Runs are then no longer reproducible to the byte (wall
     * times vary); the default, analytic timing, is.
     * \param hostFlops this host's achieved FLOP/s in the kernels' arithmetic (calibrated once,
     *        e.g. with a matmul); 0 restores analytic timing. NS_FATAL_ERROR with
     *        CheckHostFlops's message when invalid.
     */
    void SetMeasuredKernelTiming(double hostFlops);

    /// \param taskId a compute task that just started on its node
    void NotifyComputeStarted(uint32_t taskId);
    /// \param taskId a compute task that just finished on its node
    void NotifyComputeFinished(uint32_t taskId);

    /**
     * \brief A message's last byte arrived.
     * \param receiver the receiving node
     * \param sender the sending node
     * \param messageId the message id (iteration and task id)
     * \param bytes payload bytes received
     */
    void NotifyMessageDelivered(uint32_t receiver,
                                uint32_t sender,
                                uint64_t messageId,
                                uint64_t bytes);

    /**
     * \param execution the execution's number (Start calls before it: the iteration number
     *        unless an iteration was restarted after a failure)
     * \param taskId transfer task id
     * \return the message id that carries the transfer on the wire
     */
    static uint64_t MakeMessageId(uint32_t execution, uint32_t taskId);

    /**
     * \param messageId a message id made by MakeMessageId
     * \return its execution number
     */
    static uint32_t GetMessageExecution(uint64_t messageId);

    /**
     * \param messageId a message id made by MakeMessageId
     * \return its transfer task id
     */
    static uint32_t GetMessageTask(uint64_t messageId);

  protected:
    void DoDispose() override;

  private:
    void Release(uint32_t taskId);
    void Finish(uint32_t taskId);
    /// \return the node whose rank executes \p taskId (compute: its device; transfer: source)
    uint32_t GetStartNode(uint32_t taskId) const;
    /// \return the node whose rank sees \p taskId end (compute: its device; transfer: its
    ///         destination)
    uint32_t GetEndNode(uint32_t taskId) const;

    std::vector<Ptr<EdgeLlmApplication>> m_applications; //!< by node index
    Ptr<ComputeModel> m_computeModel;                    //!< for compute durations
    std::vector<DeviceProfile> m_profiles;               //!< by node index
    Ptr<TaskGraph> m_graph;                              //!< graph being executed
    uint32_t m_iteration;                                //!< its iteration number
    uint32_t m_execution{0};                             //!< Start calls before this one
    uint32_t m_started{0};                               //!< Start calls
    std::vector<bool> m_released;                        //!< per task
    uint64_t m_discardedBytes{0};                //!< payload bytes arrived for abandoned executions
    bool m_running;                              //!< between Start and the last task
    std::vector<uint32_t> m_pendingDependencies; //!< per task
    std::vector<Time> m_startTimes;              //!< per task
    std::vector<bool> m_finished;                //!< per task
    uint32_t m_finishedCount;                    //!< tasks finished
    std::vector<bool> m_local;                   //!< per node: simulated on this rank
    bool m_partitioned{false};                   //!< some node is on another rank
    uint32_t m_endingHere{0};                    //!< tasks of the graph that end on this rank
    FinishedCallback m_finishedCallback;         //!< iteration done
    KernelCallback m_kernel;                     //!< real kernels (optional)
    PayloadProvider m_provider;                  //!< tensor bytes to send (optional)
    PayloadConsumer m_consumer;                  //!< tensor bytes received (optional)
    double m_hostFlops;                          //!< measured kernel timing; 0 = off

    TracedCallback<uint32_t, uint32_t, Time, Time> m_taskFinishedTrace; //!< a task finished
    TracedCallback<uint32_t, uint32_t, Time> m_taskStartedTrace;        //!< a task started
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TASK_GRAPH_EXECUTION_H */
