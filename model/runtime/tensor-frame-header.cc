/* SPDX-License-Identifier: GPL-2.0-only */
#include "tensor-frame-header.h"

#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTensorFrameHeader");

NS_OBJECT_ENSURE_REGISTERED(TensorFrameHeader);

TensorFrameHeader::TensorFrameHeader()
    : m_messageId(0),
      m_payloadLength(0)
{
}

TypeId
TensorFrameHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TensorFrameHeader")
                            .SetParent<Header>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<TensorFrameHeader>();
    return tid;
}

TypeId
TensorFrameHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
TensorFrameHeader::GetSerializedSize() const
{
    return SERIALIZED_SIZE;
}

void
TensorFrameHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteHtonU64(m_messageId);
    start.WriteHtonU64(m_payloadLength);
}

uint32_t
TensorFrameHeader::Deserialize(Buffer::Iterator start)
{
    m_messageId = start.ReadNtohU64();
    m_payloadLength = start.ReadNtohU64();
    return SERIALIZED_SIZE;
}

void
TensorFrameHeader::Print(std::ostream& os) const
{
    os << "message=" << m_messageId << " payload=" << m_payloadLength;
}

void
TensorFrameHeader::SetMessageId(uint64_t id)
{
    m_messageId = id;
}

uint64_t
TensorFrameHeader::GetMessageId() const
{
    return m_messageId;
}

void
TensorFrameHeader::SetPayloadLength(uint64_t bytes)
{
    m_payloadLength = bytes;
}

uint64_t
TensorFrameHeader::GetPayloadLength() const
{
    return m_payloadLength;
}

} // namespace edgellm
} // namespace ns3
