/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-net-device.h"

#include "ns3/log.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaNetDevice");
NS_OBJECT_ENSURE_REGISTERED(OfdmaNetDevice);

OfdmaByteQueue::OfdmaByteQueue(uint64_t maxBytes)
    : m_headOffset(0),
      m_bytes(0),
      m_maxBytes(maxBytes),
      m_nextId(1)
{
}

bool
OfdmaByteQueue::Enqueue(Ptr<Packet> packet,
                        Mac48Address source,
                        Mac48Address dest,
                        uint16_t protocol)
{
    uint32_t size = packet->GetSize();
    if (size == 0 || m_bytes + size > m_maxBytes)
    {
        return false;
    }
    auto sdu = std::make_shared<OfdmaSdu>();
    sdu->packet = packet;
    sdu->source = source;
    sdu->dest = dest;
    sdu->protocol = protocol;
    sdu->id = m_nextId++;
    sdu->size = size;
    m_sdus.push_back(sdu);
    m_bytes += size;
    return true;
}

std::vector<OfdmaSegment>
OfdmaByteQueue::Dequeue(uint32_t maxBytes)
{
    std::vector<OfdmaSegment> segments;
    while (maxBytes > 0 && !m_sdus.empty())
    {
        std::shared_ptr<OfdmaSdu> head = m_sdus.front();
        uint32_t left = head->size - m_headOffset;
        uint32_t take = std::min(left, maxBytes);
        segments.push_back(OfdmaSegment{head, m_headOffset, take});
        maxBytes -= take;
        m_bytes -= take;
        if (take == left)
        {
            m_sdus.pop_front();
            m_headOffset = 0;
        }
        else
        {
            m_headOffset += take;
        }
    }
    return segments;
}

uint64_t
OfdmaByteQueue::GetBytes() const
{
    return m_bytes;
}

void
OfdmaByteQueue::SetMaxBytes(uint64_t maxBytes)
{
    m_maxBytes = maxBytes;
}

uint64_t
OfdmaByteQueue::GetMaxBytes() const
{
    return m_maxBytes;
}

std::shared_ptr<const OfdmaSdu>
OfdmaReassembler::Receive(const OfdmaSegment& segment)
{
    if (segment.offset == 0)
    {
        m_id = segment.sdu->id;
        m_received = 0;
        m_valid = true;
    }
    else if (!m_valid || segment.sdu->id != m_id || segment.offset != m_received)
    {
        // A piece before this one was lost with its transport block.
        m_valid = false;
        return nullptr;
    }
    m_received += segment.bytes;
    if (m_received == segment.sdu->size)
    {
        m_valid = false;
        return segment.sdu;
    }
    return nullptr;
}

TypeId
OfdmaNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OfdmaNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("EdgeLlm")
            .AddAttribute("Mtu",
                          "The MAC-level maximum transmission unit",
                          UintegerValue(1500),
                          MakeUintegerAccessor(&OfdmaNetDevice::SetMtu, &OfdmaNetDevice::GetMtu),
                          MakeUintegerChecker<uint16_t>(68))
            .AddTraceSource("MacTx",
                            "A packet was accepted for transmission",
                            MakeTraceSourceAccessor(&OfdmaNetDevice::m_macTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacTxDrop",
                            "A packet was dropped: queue full or unknown destination",
                            MakeTraceSourceAccessor(&OfdmaNetDevice::m_macTxDropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacRx",
                            "A packet was passed up the stack",
                            MakeTraceSourceAccessor(&OfdmaNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

OfdmaNetDevice::OfdmaNetDevice()
    : m_ifIndex(0),
      m_mtu(1500)
{
}

OfdmaNetDevice::~OfdmaNetDevice() = default;

void
OfdmaNetDevice::DoDispose()
{
    m_node = nullptr;
    m_channel = nullptr;
    m_rxCallback =
        MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_promiscCallback = MakeNullCallback<bool,
                                         Ptr<NetDevice>,
                                         Ptr<const Packet>,
                                         uint16_t,
                                         const Address&,
                                         const Address&,
                                         PacketType>();
    NetDevice::DoDispose();
}

void
OfdmaNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
OfdmaNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
OfdmaNetDevice::GetChannel() const
{
    return m_channel;
}

void
OfdmaNetDevice::SetSpectrumChannel(Ptr<SpectrumChannel> channel)
{
    m_channel = channel;
}

void
OfdmaNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
OfdmaNetDevice::GetAddress() const
{
    return m_address;
}

Mac48Address
OfdmaNetDevice::GetMacAddress() const
{
    return m_address;
}

bool
OfdmaNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
OfdmaNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
OfdmaNetDevice::IsLinkUp() const
{
    return true;
}

void
OfdmaNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    // The link never changes state.
}

bool
OfdmaNetDevice::IsBroadcast() const
{
    return true;
}

Address
OfdmaNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
OfdmaNetDevice::IsMulticast() const
{
    return true;
}

Address
OfdmaNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
OfdmaNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
OfdmaNetDevice::IsBridge() const
{
    return false;
}

bool
OfdmaNetDevice::IsPointToPoint() const
{
    return false;
}

bool
OfdmaNetDevice::SendFrom(Ptr<Packet> packet,
                         const Address& source,
                         const Address& dest,
                         uint16_t protocolNumber)
{
    NS_LOG_WARN("OfdmaNetDevice does not support SendFrom");
    return false;
}

Ptr<Node>
OfdmaNetDevice::GetNode() const
{
    return m_node;
}

void
OfdmaNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
OfdmaNetDevice::NeedsArp() const
{
    return true;
}

void
OfdmaNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
OfdmaNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
OfdmaNetDevice::SupportsSendFrom() const
{
    return false;
}

void
OfdmaNetDevice::DeliverUp(std::shared_ptr<const OfdmaSdu> sdu)
{
    PacketType type = PACKET_HOST;
    if (sdu->dest.IsBroadcast())
    {
        type = PACKET_BROADCAST;
    }
    else if (sdu->dest.IsGroup())
    {
        type = PACKET_MULTICAST;
    }
    else if (sdu->dest != m_address)
    {
        type = PACKET_OTHERHOST;
    }
    Ptr<Packet> packet = sdu->packet->Copy();
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, packet, sdu->protocol, sdu->source, sdu->dest, type);
    }
    if (type != PACKET_OTHERHOST)
    {
        m_macRxTrace(packet);
        if (!m_rxCallback.IsNull())
        {
            m_rxCallback(this, packet, sdu->protocol, sdu->source);
        }
    }
}

} // namespace edgellm
} // namespace ns3
