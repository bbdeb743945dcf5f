/* SPDX-License-Identifier: GPL-2.0-only */
#include "tensor-transport.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTensorTransport");

NS_OBJECT_ENSURE_REGISTERED(TensorTransport);

TypeId
TensorTransport::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TensorTransport")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddTraceSource("MessageSent",
                            "A message's last payload byte was handed to the transport "
                            "(peer, message id, bytes).",
                            MakeTraceSourceAccessor(&TensorTransport::m_sentTrace),
                            "ns3::TensorTransport::MessageTracedCallback")
            .AddTraceSource("MessageDelivered",
                            "A message's last payload byte arrived (peer, message id, bytes).",
                            MakeTraceSourceAccessor(&TensorTransport::m_deliveredTrace),
                            "ns3::TensorTransport::MessageTracedCallback");
    return tid;
}

TensorTransport::TensorTransport() = default;

TensorTransport::~TensorTransport() = default;

void
TensorTransport::SetDeliveredCallback(DeliveredCallback callback)
{
    m_delivered = callback;
}

void
TensorTransport::SetPayloadCallback(PayloadCallback callback)
{
    m_payload = callback;
}

bool
TensorTransport::IsPayloadMode() const
{
    return !m_payload.IsNull();
}

void
TensorTransport::SendPayload(uint32_t peer, uint64_t messageId, TensorPayload payload)
{
    NS_FATAL_ERROR(GetInstanceTypeId().GetName()
                   << " cannot carry payloads (message " << messageId << " to node " << peer
                   << "); use ns3::TcpTensorTransport or ns3::FlowTensorTransport");
}

void
TensorTransport::SendHeartbeat(uint32_t peer)
{
    NS_FATAL_ERROR(GetInstanceTypeId().GetName()
                   << " cannot send heartbeats (to node " << peer
                   << "); use ns3::TcpTensorTransport or ns3::FlowTensorTransport");
}

uint64_t
TensorTransport::ForgetPeer(uint32_t peer)
{
    return 0;
}

uint64_t
TensorTransport::CancelMessages(std::function<bool(uint64_t)> stale)
{
    return 0;
}

void
TensorTransport::SetHeartbeatCallback(Callback<void, uint32_t> callback)
{
    m_heartbeat = callback;
}

bool
TensorTransport::IsHeartbeatListener() const
{
    return !m_heartbeat.IsNull();
}

void
TensorTransport::NotifyHeartbeat(uint32_t peer)
{
    if (!m_heartbeat.IsNull())
    {
        m_heartbeat(peer);
    }
}

void
TensorTransport::NotifyPayload(uint32_t peer, uint64_t messageId, TensorPayload payload)
{
    NS_LOG_FUNCTION(this << peer << messageId);
    if (!m_payload.IsNull())
    {
        m_payload(peer, messageId, payload);
    }
}

void
TensorTransport::DoDispose()
{
    m_delivered = MakeNullCallback<void, uint32_t, uint64_t, uint64_t>();
    m_payload = MakeNullCallback<void, uint32_t, uint64_t, TensorPayload>();
    m_heartbeat = MakeNullCallback<void, uint32_t>();
    Object::DoDispose();
}

void
TensorTransport::NotifyDelivered(uint32_t peer, uint64_t messageId, uint64_t bytes)
{
    NS_LOG_FUNCTION(this << peer << messageId << bytes);
    m_deliveredTrace(peer, messageId, bytes);
    if (!m_delivered.IsNull())
    {
        m_delivered(peer, messageId, bytes);
    }
}

} // namespace edgellm
} // namespace ns3
