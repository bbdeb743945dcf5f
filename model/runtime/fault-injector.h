/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_FAULT_INJECTOR_H
#define EDGE_LLM_FAULT_INJECTOR_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

class EdgeNetwork;
class FlowNetworkModel;
class TaskGraphExecution;

/**
 * \ingroup edge-llm
 * \brief One fault of a run: a device leaves for good, or its link goes down for a while.
 */
struct FaultEvent
{
    /// what happens
    enum Kind
    {
        LEAVE,  //!< the device stops and is cut off for the rest of the run
        OUTAGE, //!< the device is cut off for \c duration, then comes back
    };

    Kind kind{LEAVE}; //!< what happens
    uint32_t node{0}; //!< the device's node
    Time at;          //!< when
    Time duration;    //!< OUTAGE: how long
};

/**
 * \ingroup edge-llm
 * \brief What happened to a node, in time order: a row of faults.csv.
 */
struct FaultRecord
{
    double seconds{0};  //!< when
    uint32_t node{0};   //!< which node
    std::string what;   //!< "leave", "outage", "back" (an outage ended) or "battery"
    double duration{0}; //!< an outage's length (s); 0 otherwise
};

/**
 * \ingroup edge-llm
 * \brief Makes devices fail during a run, at either fidelity: it cuts a node off the network
 * (EdgeNetwork::SetNodeConnected at the packet level, FlowNetworkModel::SetNodeConnected at
 * the flow level) and, when the device is gone for good (it left, or its battery is empty),
 * halts its application (EdgeLlmApplication::Halt).
 *
 * Nothing tells the other nodes: the server notices the silence through its failure detector
 * (heartbeats, EdgeServerApplication FailureTimeout), and the round loop re-plans
 * (RoundController). An outage shorter than the timeout costs only the transport's waiting.
 *
 * Batteries: NotifyBatteryDepleted is connected to each battery-powered node's
 * ComputeEnergyModel "EnergyDepleted" trace (StudyHelper does it): the node then leaves.
 */
class FaultInjector : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FaultInjector();
    ~FaultInjector() override;

    /// TracedCallback signature of Fault.
    typedef void (*FaultCallback)(uint32_t node, const std::string& what);

    /**
     * \brief Check a fault against a fleet.
     * \param event the fault
     * \param devices the number of group devices (nodes 0..devices-1 may fail)
     * \return "" or the problem, naming the value and what is allowed
     */
    static std::string CheckEvent(const FaultEvent& event, uint32_t devices);

    /**
     * \brief Read a churn trace: a CSV file with the header "time_s,node,event,duration_s" and
     * one fault per row (event "leave" or "outage"; duration_s for outages, else empty or 0).
     * \param path the file
     * \param[out] events the faults, in file order
     * \return "" or the problem (the file, the line, the field)
     */
    static std::string LoadChurnTrace(const std::string& path, std::vector<FaultEvent>& events);

    /// \param kind "leave" or "outage" \param[out] parsed the kind \return whether valid
    static bool ParseKind(const std::string& kind, FaultEvent::Kind& parsed);

    /**
     * \brief Attach to the run (before Start).
     * \param network the network (packet level: its IP interfaces are cut)
     * \param flowModel the flow level's model, or null at the packet level
     * \param execution the runtime's execution (the nodes' applications)
     */
    void Setup(Ptr<EdgeNetwork> network,
               Ptr<FlowNetworkModel> flowModel,
               Ptr<TaskGraphExecution> execution);

    /// \param event a fault (CheckEvent first); scheduled by Start
    void AddEvent(const FaultEvent& event);

    /// Schedule every fault added (call once, before Simulator::Run).
    void Start();

    /**
     * \brief A node's battery is empty (connect to ComputeEnergyModel "EnergyDepleted"): the
     * node leaves now.
     * \param node the node
     */
    void NotifyBatteryDepleted(uint32_t node);

    /// \return what happened so far, in time order
    const std::vector<FaultRecord>& GetLog() const;

  protected:
    void DoDispose() override;

  private:
    /// cut \p node off, or bring it back
    void SetConnected(uint32_t node, bool connected);
    /// \p node leaves for good (\p what: "leave" or "battery")
    void Leave(uint32_t node, const std::string& what);
    /// \p node's link goes down for \p duration
    void BeginOutage(uint32_t node, Time duration);
    /// \p node's outage ends
    void EndOutage(uint32_t node);
    /// log and trace
    void Log(uint32_t node, const std::string& what, Time duration);

    Ptr<EdgeNetwork> m_network;                                //!< the network
    Ptr<FlowNetworkModel> m_flowModel;                         //!< the flow level's model, or null
    Ptr<TaskGraphExecution> m_execution;                       //!< the nodes' applications
    std::vector<FaultEvent> m_events;                          //!< to schedule
    std::vector<bool> m_gone;                                  //!< per node: left for good
    std::vector<uint32_t> m_outages;                           //!< per node: outages in progress
    std::vector<FaultRecord> m_log;                            //!< what happened
    TracedCallback<uint32_t, const std::string&> m_faultTrace; //!< Fault
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_FAULT_INJECTOR_H */
