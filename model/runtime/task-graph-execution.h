/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TASK_GRAPH_EXECUTION_H
#define EDGE_LLM_TASK_GRAPH_EXECUTION_H

#include "ns3/compute-model.h"
#include "ns3/device-profile.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/task-graph.h"
#include "ns3/traced-callback.h"

#include <string>
#include <vector>

namespace ns3
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
 */
class TaskGraphExecution : public Object
{
  public:
    /// Called when every task of the iteration has finished (iteration number).
    typedef Callback<void, uint32_t> FinishedCallback;

    /**
     * TracedCallback signature for a finished task.
     * \param [in] iteration iteration number
     * \param [in] taskId the task
     * \param [in] start when it was released to its node (compute: when it started running)
     * \param [in] end when it finished (transfer: its last byte arrived)
     */
    typedef void (*TaskTracedCallback)(uint32_t iteration, uint32_t taskId, Time start, Time end);

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

    /// \return whether an iteration is in progress
    bool IsRunning() const;
    /// \return the graph of the current (or last) iteration
    Ptr<TaskGraph> GetGraph() const;
    /// \return the current (or last) iteration number
    uint32_t GetIteration() const;

    /**
     * \param taskId a compute task of the current graph
     * \return how long it runs: its explicit duration, else the compute model's time on its
     *         device's profile
     */
    Time GetComputeDuration(uint32_t taskId) const;

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
     * \param iteration iteration number
     * \param taskId transfer task id
     * \return the message id that carries the transfer on the wire
     */
    static uint64_t MakeMessageId(uint32_t iteration, uint32_t taskId);

    /**
     * \param messageId a message id made by MakeMessageId
     * \return its iteration
     */
    static uint32_t GetMessageIteration(uint64_t messageId);

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

    std::vector<Ptr<EdgeLlmApplication>> m_applications; //!< by node index
    Ptr<ComputeModel> m_computeModel;                    //!< for compute durations
    std::vector<DeviceProfile> m_profiles;               //!< by node index
    Ptr<TaskGraph> m_graph;                              //!< graph being executed
    uint32_t m_iteration;                                //!< its iteration number
    bool m_running;                                      //!< between Start and the last task
    std::vector<uint32_t> m_pendingDependencies;         //!< per task
    std::vector<Time> m_startTimes;                      //!< per task
    std::vector<bool> m_finished;                        //!< per task
    uint32_t m_finishedCount;                            //!< tasks finished
    FinishedCallback m_finishedCallback;                 //!< iteration done

    TracedCallback<uint32_t, uint32_t, Time, Time> m_taskFinishedTrace; //!< a task finished
};

} // namespace ns3

#endif /* EDGE_LLM_TASK_GRAPH_EXECUTION_H */
