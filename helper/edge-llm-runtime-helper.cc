/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-runtime-helper.h"

#include "ns3/double.h"
#include "ns3/edge-device-application.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/fatal-error.h"
#include "ns3/flow-tensor-transport.h"
#include "ns3/log.h"
#include "ns3/tcp-tensor-transport.h"
#include "ns3/uinteger.h"

#include <map>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRuntimeHelper");

namespace
{

/// A finished task of the execution, as a recorder row. The execution is bound as a plain
/// pointer: the callback lives in the execution's own trace, so a Ptr would keep the execution
/// (its graph, its recorder) alive forever, a reference cycle LeakSanitizer reports.
void
RecordFinishedTask(Ptr<RunRecorder> recorder,
                   const TaskGraphExecution* execution,
                   uint32_t iteration,
                   uint32_t taskId,
                   Time start,
                   Time end)
{
    const TaskGraph& graph = *execution->GetGraph();
    TaskRecord record;
    record.taskId = taskId;
    record.iteration = iteration;
    record.start = start;
    record.end = end;
    if (graph.IsCompute(taskId))
    {
        const ComputeTask& task = graph.GetCompute(taskId);
        record.type = TaskRecord::COMPUTE;
        record.kind = ComputeKindToString(task.kind);
        record.device = task.device;
        record.peer = -1;
        record.microBatch = task.microBatch == ComputeTask::NO_MICRO_BATCH ? 0 : task.microBatch;
        record.label = task.label;
        record.flops = task.flops;
    }
    else
    {
        const TransferTask& task = graph.GetTransfer(taskId);
        record.type = TaskRecord::TRANSFER;
        record.kind = TransferKindToString(task.kind);
        record.device = task.source;
        record.peer = task.destination;
        record.microBatch = task.microBatch == TransferTask::NO_MICRO_BATCH ? 0 : task.microBatch;
        record.label = task.label;
        record.bytes = task.bytes;
    }
    recorder->RecordTask(record);
}

void
RecordIteration(Ptr<RunRecorder> recorder, uint32_t iteration, Time start, Time end)
{
    recorder->EndIteration(iteration, start);
}

void
FlushRecorder(Ptr<RunRecorder> recorder, uint32_t iterations)
{
    recorder->Flush();
}

} // namespace

EdgeLlmRuntimeHelper::EdgeLlmRuntimeHelper()
    : m_fidelity("packet"),
      m_flowEfficiencySet(false)
{
    m_flowModelFactory.SetTypeId(FlowNetworkModel::GetTypeId());
    m_transportFactory.SetTypeId(TcpTensorTransport::GetTypeId());
    m_serverFactory.SetTypeId(EdgeServerApplication::GetTypeId());
    m_deviceFactory.SetTypeId(EdgeDeviceApplication::GetTypeId());
}

void
EdgeLlmRuntimeHelper::SetTransportAttribute(const std::string& name, const AttributeValue& value)
{
    m_transportFactory.Set(name, value);
}

void
EdgeLlmRuntimeHelper::SetTransportType(const std::string& typeId)
{
    m_transportFactory.SetTypeId(typeId);
}

void
EdgeLlmRuntimeHelper::SetServerAttribute(const std::string& name, const AttributeValue& value)
{
    m_serverFactory.Set(name, value);
}

void
EdgeLlmRuntimeHelper::SetDeviceAttribute(const std::string& name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value);
}

std::string
EdgeLlmRuntimeHelper::CheckFidelity(const std::string& fidelity)
{
    if (fidelity == "packet" || fidelity == "flow")
    {
        return "";
    }
    return "fidelity='" + fidelity + "' is not a known network fidelity; allowed: packet, flow";
}

void
EdgeLlmRuntimeHelper::SetFidelity(const std::string& fidelity)
{
    std::string problem = CheckFidelity(fidelity);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    m_fidelity = fidelity;
    m_transportFactory.SetTypeId(fidelity == "flow" ? FlowTensorTransport::GetTypeId()
                                                    : TcpTensorTransport::GetTypeId());
}

std::string
EdgeLlmRuntimeHelper::GetFidelity() const
{
    return m_fidelity;
}

void
EdgeLlmRuntimeHelper::SetFlowModelAttribute(const std::string& name, const AttributeValue& value)
{
    m_flowModelFactory.Set(name, value);
    m_flowEfficiencySet = m_flowEfficiencySet || name == "WifiResidualEfficiency";
}

Ptr<FlowNetworkModel>
EdgeLlmRuntimeHelper::GetFlowModel() const
{
    return m_flowModel;
}

void
EdgeLlmRuntimeHelper::SetComputeModel(Ptr<ComputeModel> model)
{
    m_computeModel = model;
}

void
EdgeLlmRuntimeHelper::SetDeviceProfiles(const std::vector<DeviceProfile>& profiles)
{
    m_profiles = profiles;
}

int64_t
EdgeLlmRuntimeHelper::AssignStreams(int64_t stream)
{
    return m_flowModel ? m_flowModel->AssignStreams(stream) : 0;
}

ApplicationContainer
EdgeLlmRuntimeHelper::Install(Ptr<EdgeNetwork> network)
{
    NS_ABORT_MSG_IF(!network, "EdgeLlmRuntimeHelper::Install: null network");
    const uint32_t nodeCount = network->GetNodes().GetN();
    NS_ABORT_MSG_IF(!m_profiles.empty() && m_profiles.size() != nodeCount,
                    "EdgeLlmRuntimeHelper: " << m_profiles.size() << " device profiles for "
                                             << nodeCount
                                             << " nodes; give one per node (devices, then server)");

    m_execution = CreateObject<TaskGraphExecution>();
    m_execution->SetComputeModel(m_computeModel);
    m_execution->SetDeviceProfiles(m_profiles);

    m_flowModel = nullptr;
    if (m_fidelity == "flow")
    {
        if (!m_flowEfficiencySet)
        {
            double efficiency = 0;
            std::string problem =
                FlowNetworkModel::LoadCalibration(GetEdgeLlmDataPath("flow-calibration.json"),
                                                  efficiency);
            NS_ABORT_MSG_IF(!problem.empty(), problem);
            m_flowModelFactory.Set("WifiResidualEfficiency", DoubleValue(efficiency));
        }
        m_flowModel = m_flowModelFactory.Create<FlowNetworkModel>();
        m_flowModel->SetNetwork(network);
    }

    ApplicationContainer applications;
    std::vector<Ptr<EdgeLlmApplication>> byIndex;
    for (uint32_t i = 0; i < nodeCount; ++i)
    {
        const bool isServer = i == network->GetServerIndex();
        Ptr<EdgeLlmApplication> application = isServer
                                                  ? m_serverFactory.Create<EdgeLlmApplication>()
                                                  : m_deviceFactory.Create<EdgeLlmApplication>();
        application->SetAttribute("NodeIndex", UintegerValue(i));
        Ptr<TensorTransport> transport = m_transportFactory.Create<TensorTransport>();
        const std::string problem = transport->Bind(TransportBinding{network, i, m_flowModel});
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        application->SetTransport(transport);
        application->SetExecution(m_execution);
        network->GetNode(i)->AddApplication(application);
        applications.Add(application);
        byIndex.push_back(application);
        if (isServer)
        {
            m_server = DynamicCast<EdgeServerApplication>(application);
            NS_ABORT_MSG_IF(!m_server,
                            "EdgeLlmRuntimeHelper: the server application type is not an "
                            "ns3::EdgeServerApplication");
        }
    }
    m_execution->SetApplications(byIndex);
    return applications;
}

void
EdgeLlmRuntimeHelper::EnableRecorder(Ptr<RunRecorder> recorder,
                                     const std::vector<std::string>& names)
{
    NS_ABORT_MSG_IF(!m_execution || !m_server,
                    "EdgeLlmRuntimeHelper::EnableRecorder must follow Install");
    NS_ABORT_MSG_IF(!recorder, "EdgeLlmRuntimeHelper::EnableRecorder: null recorder");
    m_recorder = recorder;
    recorder->SetDeviceNames(names);
    m_execution->TraceConnectWithoutContext(
        "TaskFinished",
        MakeBoundCallback(&RecordFinishedTask, recorder, PeekPointer(m_execution)));
    m_server->TraceConnectWithoutContext("IterationCompleted",
                                         MakeBoundCallback(&RecordIteration, recorder));
    m_server->TraceConnectWithoutContext("RunCompleted",
                                         MakeBoundCallback(&FlushRecorder, recorder));
}

ApplicationContainer
EdgeLlmRuntimeHelper::Install(NodeContainer nodes)
{
    NS_ABORT_MSG_IF(nodes.GetN() < 2,
                    "EdgeLlmRuntimeHelper::Install: nodes has " << nodes.GetN()
                                                                << " node(s); give the devices "
                                                                   "and then the server");
    Ptr<EdgeNetwork> network = nodes.Get(nodes.GetN() - 1)->GetObject<EdgeNetwork>();
    NS_ABORT_MSG_IF(!network,
                    "EdgeLlmRuntimeHelper::Install: the last node has no EdgeNetwork; build the "
                    "nodes with EdgeNetworkHelper (devices first, the server last)");
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        NS_ABORT_MSG_IF(i >= network->GetNodeCount() || network->GetNode(i) != nodes.Get(i),
                        "EdgeLlmRuntimeHelper::Install: node "
                            << i << " of the container is not node " << i << " of its EdgeNetwork");
    }
    NS_ABORT_MSG_IF(nodes.GetN() != network->GetNodeCount(),
                    "EdgeLlmRuntimeHelper::Install: " << nodes.GetN() << " nodes given, the "
                                                      << "network has " << network->GetNodeCount());
    return Install(network);
}

Ptr<TaskGraphExecution>
EdgeLlmRuntimeHelper::GetExecution() const
{
    return m_execution;
}

Ptr<EdgeServerApplication>
EdgeLlmRuntimeHelper::GetServer() const
{
    return m_server;
}

} // namespace edgellm
} // namespace ns3
