/* SPDX-License-Identifier: GPL-2.0-only */
#include "flow-tensor-transport.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFlowTensorTransport");
NS_OBJECT_ENSURE_REGISTERED(FlowTensorTransport);

TypeId
FlowTensorTransport::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FlowTensorTransport")
                            .SetParent<TensorTransport>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<FlowTensorTransport>();
    return tid;
}

FlowTensorTransport::FlowTensorTransport()
    : m_self(0),
      m_running(false),
      m_payloadBytesReceived(0)
{
}

FlowTensorTransport::~FlowTensorTransport()
{
}

void
FlowTensorTransport::DoDispose()
{
    m_model = nullptr;
    TensorTransport::DoDispose();
}

void
FlowTensorTransport::SetModel(Ptr<FlowNetworkModel> model)
{
    m_model = model;
}

Ptr<FlowNetworkModel>
FlowTensorTransport::GetModel() const
{
    return m_model;
}

void
FlowTensorTransport::Start(uint32_t self)
{
    NS_ABORT_MSG_IF(!m_model, "FlowTensorTransport::Start: no FlowNetworkModel (SetModel)");
    m_self = self;
    m_running = true;
    m_model->SetDeliverCallback(self, MakeCallback(&FlowTensorTransport::Delivered, this));
}

void
FlowTensorTransport::Stop()
{
    if (m_running && m_model)
    {
        m_model->StopNode(m_self);
        m_model->SetDeliverCallback(m_self, FlowNetworkModel::DeliverCallback());
    }
    m_running = false;
}

void
FlowTensorTransport::Connect(uint32_t peer)
{
}

void
FlowTensorTransport::Send(uint32_t peer, uint64_t messageId, uint64_t bytes)
{
    NS_ABORT_MSG_IF(!m_running,
                    "FlowTensorTransport::Send: transport of node " << m_self << " not started");
    m_model->Send(m_self, peer, messageId, bytes);
}

void
FlowTensorTransport::Delivered(uint32_t source,
                               uint32_t destination,
                               uint64_t messageId,
                               uint64_t bytes)
{
    if (!m_running)
    {
        return;
    }
    m_payloadBytesReceived += bytes;
    NotifyDelivered(source, messageId, bytes);
}

uint64_t
FlowTensorTransport::GetPayloadBytesReceived() const
{
    return m_payloadBytesReceived;
}

} // namespace ns3
