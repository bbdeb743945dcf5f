/* SPDX-License-Identifier: GPL-2.0-only */
#include "flow-tensor-transport.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <map>
#include <tuple>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFlowTensorTransport");
NS_OBJECT_ENSURE_REGISTERED(FlowTensorTransport);

namespace
{

/// A payload in flight: (flow model, source, destination, message id).
using InFlightKey = std::tuple<const FlowNetworkModel*, uint32_t, uint32_t, uint64_t>;

/// Buffers of the payloads in flight over every flow model of the process.
std::map<InFlightKey, TensorPayload>&
GetInFlightPayloads()
{
    static std::map<InFlightKey, TensorPayload> inFlight;
    return inFlight;
}

} // namespace

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

std::string
FlowTensorTransport::Bind(const TransportBinding& binding)
{
    if (!binding.flowModel)
    {
        return "EdgeLlmRuntimeHelper: transport type ns3::FlowTensorTransport needs "
               "SetFidelity(\"flow\")";
    }
    m_model = binding.flowModel;
    return "";
}

Ptr<FlowNetworkModel>
FlowTensorTransport::GetModel() const
{
    return m_model;
}

void
FlowTensorTransport::Start(uint32_t self)
{
    NS_ABORT_MSG_IF(!m_model, "FlowTensorTransport::Start: no FlowNetworkModel (Bind)");
    m_self = self;
    m_running = true;
    m_model->SetDeliverCallback(self, MakeCallback(&FlowTensorTransport::Delivered, this));
    if (IsHeartbeatListener())
    {
        m_model->SetSignalCallback(self, MakeCallback(&FlowTensorTransport::NotifyHeartbeat, this));
    }
}

void
FlowTensorTransport::SendHeartbeat(uint32_t peer)
{
    if (m_running)
    {
        m_model->SendSignal(m_self, peer);
    }
}

uint64_t
FlowTensorTransport::CancelMessages(std::function<bool(uint64_t)> stale)
{
    return m_model ? m_model->CancelMessages(m_self, stale) : 0;
}

uint64_t
FlowTensorTransport::ForgetPeer(uint32_t peer)
{
    return m_model ? m_model->ForgetNode(peer) : 0;
}

void
FlowTensorTransport::Stop()
{
    if (m_running && m_model)
    {
        // Drop payloads still in flight to this node: a later run may reuse the model's address.
        auto& inFlight = GetInFlightPayloads();
        for (auto it = inFlight.begin(); it != inFlight.end();)
        {
            const bool mine =
                std::get<0>(it->first) == PeekPointer(m_model) && std::get<2>(it->first) == m_self;
            it = mine ? inFlight.erase(it) : std::next(it);
        }
        m_model->StopNode(m_self);
        m_model->SetDeliverCallback(m_self, FlowNetworkModel::DeliverCallback());
        m_model->SetSignalCallback(m_self, Callback<void, uint32_t>());
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
    // no send buffer at flow level: the whole message is handed over at once
    m_sentTrace(peer, messageId, bytes);
}

void
FlowTensorTransport::SendPayload(uint32_t peer, uint64_t messageId, TensorPayload payload)
{
    NS_ABORT_MSG_IF(!m_running,
                    "FlowTensorTransport::Send: transport of node " << m_self << " not started");
    NS_ABORT_MSG_IF(!payload || payload->empty(),
                    "FlowTensorTransport: node " << m_self << ": message " << messageId
                                                 << " has an empty payload; a message carries "
                                                    "at least one byte");
    GetInFlightPayloads()[InFlightKey{PeekPointer(m_model), m_self, peer, messageId}] = payload;
    m_model->Send(m_self, peer, messageId, payload->size());
    m_sentTrace(peer, messageId, payload->size());
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
    auto& inFlight = GetInFlightPayloads();
    auto it = inFlight.find(InFlightKey{PeekPointer(m_model), source, destination, messageId});
    if (it != inFlight.end())
    {
        TensorPayload payload = it->second;
        inFlight.erase(it);
        NotifyPayload(source, messageId, payload);
    }
    NotifyDelivered(source, messageId, bytes);
}

uint64_t
FlowTensorTransport::GetPayloadBytesReceived() const
{
    return m_payloadBytesReceived;
}

} // namespace edgellm
} // namespace ns3
