/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDGE_LLM_RUNTIME_HELPER_H
#define EDGE_LLM_EDGE_LLM_RUNTIME_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/compute-model.h"
#include "ns3/device-profile.h"
#include "ns3/edge-network.h"
#include "ns3/edge-server-application.h"
#include "ns3/flow-network-model.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/run-recorder.h"
#include "ns3/task-graph-execution.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Installs the runtime on a network built by EdgeNetworkHelper: an EdgeDeviceApplication
 * on every device node, an EdgeServerApplication on the server node, a TensorTransport on each,
 * and the run's TaskGraphExecution.
 *
 * \code
 *   EdgeLlmRuntimeHelper runtime;
 *   runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
 *   runtime.SetDeviceProfiles(profiles);          // one per node: devices, then the server
 *   runtime.SetServerAttribute("Iterations", UintegerValue(3));
 *   ApplicationContainer apps = runtime.Install(network);
 *   runtime.GetServer()->SetGraphSource(MakeCallback(&MakeGraph));
 * \endcode
 */
class EdgeLlmRuntimeHelper
{
  public:
    EdgeLlmRuntimeHelper();

    /**
     * \param name an attribute of ns3::TcpTensorTransport (or the transport type set)
     * \param value its value
     */
    void SetTransportAttribute(const std::string& name, const AttributeValue& value);
    /// \param typeId the TensorTransport implementation (default ns3::TcpTensorTransport)
    void SetTransportType(const std::string& typeId);
    /**
     * \param name an attribute of ns3::EdgeServerApplication
     * \param value its value
     */
    void SetServerAttribute(const std::string& name, const AttributeValue& value);
    /**
     * \param name an attribute of ns3::EdgeDeviceApplication
     * \param value its value
     */
    void SetDeviceAttribute(const std::string& name, const AttributeValue& value);
    /// \param model the compute model for tasks without an explicit duration
    void SetComputeModel(Ptr<ComputeModel> model);
    /// \param profiles one per node of the network: the devices in order, then the server
    void SetDeviceProfiles(const std::vector<DeviceProfile>& profiles);

    /**
     * \brief Check a fidelity name.
     * \param fidelity the name
     * \return "" for "packet" or "flow", otherwise the problem
     */
    static std::string CheckFidelity(const std::string& fidelity);
    /**
     * \brief Choose the network fidelity: "packet" (TcpTensorTransport over the ns-3 devices,
     * the default) or "flow" (FlowTensorTransport over one FlowNetworkModel of the network,
     * Wi-Fi residual efficiency from data/flow-calibration.json). Sets the transport type.
     * \param fidelity "packet" or "flow"; NS_FATAL_ERROR with CheckFidelity's message otherwise
     */
    void SetFidelity(const std::string& fidelity);
    /// \return "packet" or "flow"
    std::string GetFidelity() const;
    /**
     * \param name an attribute of ns3::FlowNetworkModel (flow fidelity)
     * \param value its value (overrides the calibration file)
     */
    void SetFlowModelAttribute(const std::string& name, const AttributeValue& value);
    /// \return the run's flow model (after Install with fidelity "flow"), or null
    Ptr<FlowNetworkModel> GetFlowModel() const;

    /**
     * \brief Fix the random streams of what Install created (the flow model's, at flow
     * fidelity); call after Install.
     * \param stream first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * \brief Install the applications on every node of \p network.
     * \param network the network (devices first, server last)
     * \return the applications, in node order
     */
    ApplicationContainer Install(Ptr<EdgeNetwork> network);

    /**
     * \brief Install on nodes built by EdgeNetworkHelper, ns-3 style: the EdgeNetwork the
     * helper aggregated to the server node says how the nodes reach each other.
     * \param nodes every node of the network, devices first, the server last
     * \return the applications, in node order
     */
    ApplicationContainer Install(NodeContainer nodes);

    /**
     * \brief Record every task and iteration of the run (after Install): tasks when they finish,
     * iteration statistics when an iteration ends, and the files when the run completes.
     * \param recorder the recorder; its device names are set from \p names
     * \param names one name per node (devices, then the server)
     */
    void EnableRecorder(Ptr<RunRecorder> recorder, const std::vector<std::string>& names);

    /// \return the run's execution bookkeeping (after Install)
    Ptr<TaskGraphExecution> GetExecution() const;
    /// \return the server application (after Install)
    Ptr<EdgeServerApplication> GetServer() const;

  private:
    ObjectFactory m_transportFactory;      //!< TensorTransport
    ObjectFactory m_serverFactory;         //!< EdgeServerApplication
    ObjectFactory m_deviceFactory;         //!< EdgeDeviceApplication
    Ptr<ComputeModel> m_computeModel;      //!< compute model
    std::vector<DeviceProfile> m_profiles; //!< per node
    Ptr<TaskGraphExecution> m_execution;   //!< created by Install
    Ptr<EdgeServerApplication> m_server;   //!< created by Install
    Ptr<RunRecorder> m_recorder;           //!< set by EnableRecorder
    std::string m_fidelity;                //!< "packet" or "flow"
    ObjectFactory m_flowModelFactory;      //!< FlowNetworkModel
    bool m_flowEfficiencySet;              //!< WifiResidualEfficiency given by the user
    Ptr<FlowNetworkModel> m_flowModel;     //!< created by Install (flow fidelity)
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EDGE_LLM_RUNTIME_HELPER_H */
