/* SPDX-License-Identifier: GPL-2.0-only */
#include "tcp-tensor-transport.h"

#include "ns3/edge-network.h"
#include "ns3/fatal-error.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTcpTensorTransport");

NS_OBJECT_ENSURE_REGISTERED(TcpTensorTransport);

TypeId
TcpTensorTransport::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TcpTensorTransport")
            .SetParent<TensorTransport>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<TcpTensorTransport>()
            .AddAttribute("Port",
                          "TCP port every node of the run listens on.",
                          UintegerValue(50000),
                          MakeUintegerAccessor(&TcpTensorTransport::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddTraceSource("Connected",
                            "A connection with a peer is established (peer index).",
                            MakeTraceSourceAccessor(&TcpTensorTransport::m_connectedTrace),
                            "ns3::TracedValueCallback::Uint32");
    return tid;
}

TcpTensorTransport::TcpTensorTransport()
    : m_self(0),
      m_port(50000),
      m_running(false),
      m_payloadBytesReceived(0)
{
}

TcpTensorTransport::~TcpTensorTransport() = default;

std::string
TcpTensorTransport::Bind(const TransportBinding& binding)
{
    if (!binding.network || binding.node >= binding.network->GetNodeCount())
    {
        return "TcpTensorTransport: node " + std::to_string(binding.node) +
               " is not a node of the run's network";
    }
    m_network = binding.network;
    m_node = binding.network->GetNode(binding.node);
    return "";
}

void
TcpTensorTransport::Start(uint32_t self)
{
    NS_LOG_FUNCTION(this << self);
    NS_ABORT_MSG_IF(!m_node || !m_network, "TcpTensorTransport: Bind must be called before Start");
    m_self = self;
    m_listener = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
    if (m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0)
    {
        NS_FATAL_ERROR("TcpTensorTransport: node " << m_self << " cannot listen on Port=" << m_port
                                                   << " (already in use?)");
    }
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeCallback(&TcpTensorTransport::HandleConnectionRequest, this),
                                  MakeCallback(&TcpTensorTransport::HandleAccept, this));
    if (IsHeartbeatListener())
    {
        m_heartbeatSocket = Socket::CreateSocket(m_node, UdpSocketFactory::GetTypeId());
        if (m_heartbeatSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port + 1)) != 0)
        {
            NS_FATAL_ERROR("TcpTensorTransport: node " << m_self
                                                       << " cannot listen for heartbeats on "
                                                          "Port+1="
                                                       << m_port + 1 << " (already in use?)");
        }
        m_heartbeatSocket->SetRecvCallback(
            MakeCallback(&TcpTensorTransport::HandleHeartbeat, this));
    }
    m_running = true;
}

void
TcpTensorTransport::SendHeartbeat(uint32_t peer)
{
    if (!m_running)
    {
        return;
    }
    if (!m_heartbeatSocket)
    {
        m_heartbeatSocket = Socket::CreateSocket(m_node, UdpSocketFactory::GetTypeId());
        m_heartbeatSocket->Bind();
    }
    std::array<uint8_t, 4> sender{};
    for (uint32_t i = 0; i < 4; ++i)
    {
        sender[i] = static_cast<uint8_t>(m_self >> (8 * i));
    }
    m_heartbeatSocket->SendTo(Create<Packet>(sender.data(), sender.size()),
                              0,
                              InetSocketAddress(m_network->GetPeerAddress(m_self, peer),
                                                static_cast<uint16_t>(m_port + 1)));
}

uint64_t
TcpTensorTransport::CancelMessages(std::function<bool(uint64_t)> stale)
{
    uint64_t dropped = 0;
    for (auto& [peer, connection] : m_connections)
    {
        auto& queue = connection.outgoing;
        for (auto it = queue.begin(); it != queue.end();)
        {
            // a message whose frame is written finishes: the stream must stay framed
            if (!it->frameSent && stale(it->id))
            {
                dropped += it->bytes;
                it = queue.erase(it);
            }
            else
            {
                ++it;
            }
        }
    }
    return dropped;
}

void
TcpTensorTransport::HandleHeartbeat(Ptr<Socket> socket)
{
    while (Ptr<Packet> packet = socket->Recv())
    {
        if (!m_running || packet->GetSize() != 4)
        {
            continue;
        }
        std::array<uint8_t, 4> sender{};
        packet->CopyData(sender.data(), sender.size());
        uint32_t peer = 0;
        for (uint32_t i = 0; i < 4; ++i)
        {
            peer |= uint32_t{sender[i]} << (8 * i);
        }
        NotifyHeartbeat(peer);
    }
}

uint64_t
TcpTensorTransport::ForgetPeer(uint32_t peer)
{
    NS_LOG_FUNCTION(this << peer);
    m_forgotten.insert(peer);
    auto it = m_connections.find(peer);
    if (it == m_connections.end())
    {
        return 0;
    }
    uint64_t dropped = 0;
    for (const OutgoingMessage& message : it->second.outgoing)
    {
        dropped += message.bytes - message.payloadSent;
    }
    it->second.outgoing.clear();
    if (it->second.socket)
    {
        // nothing more is read from or written to it; TCP may still retransmit what it holds
        it->second.socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        it->second.socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    }
    return dropped;
}

void
TcpTensorTransport::Stop()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    for (auto& [peer, connection] : m_connections)
    {
        if (connection.socket)
        {
            connection.socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
            connection.socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
            connection.socket->Close();
        }
    }
    m_connections.clear();
    m_socketPeer.clear();
    if (m_listener)
    {
        m_listener->Close();
        m_listener = nullptr;
    }
    if (m_heartbeatSocket)
    {
        m_heartbeatSocket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_heartbeatSocket->Close();
        m_heartbeatSocket = nullptr;
    }
}

void
TcpTensorTransport::DoDispose()
{
    Stop();
    m_node = nullptr;
    m_network = nullptr;
    TensorTransport::DoDispose();
}

void
TcpTensorTransport::Connect(uint32_t peer)
{
    NS_LOG_FUNCTION(this << peer);
    NS_ABORT_MSG_IF(peer == m_self,
                    "TcpTensorTransport: node " << m_self << " cannot connect to itself");
    auto& connection = m_connections[peer];
    if (!connection.socket && m_self < peer)
    {
        OpenConnection(peer);
    }
}

void
TcpTensorTransport::OpenConnection(uint32_t peer)
{
    Ipv4Address address = m_network->GetPeerAddress(m_self, peer);
    NS_LOG_INFO("node " << m_self << " connects to node " << peer << " at " << address);
    Ptr<Socket> socket = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
    socket->Bind();
    socket->SetConnectCallback(MakeCallback(&TcpTensorTransport::HandleConnected, this),
                               MakeCallback(&TcpTensorTransport::HandleConnectionFailed, this));
    m_socketPeer[socket] = peer;
    m_connections[peer].socket = socket;
    socket->Connect(InetSocketAddress(address, m_port));
}

void
TcpTensorTransport::HandleConnected(Ptr<Socket> socket)
{
    Attach(PeerOf(socket), socket);
}

void
TcpTensorTransport::HandleConnectionFailed(Ptr<Socket> socket)
{
    NS_FATAL_ERROR("TcpTensorTransport: node " << m_self << " could not connect to node "
                                               << PeerOf(socket));
}

bool
TcpTensorTransport::HandleConnectionRequest(Ptr<Socket> socket, const Address& from)
{
    return m_running;
}

void
TcpTensorTransport::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    Ipv4Address source = InetSocketAddress::ConvertFrom(from).GetIpv4();
    uint32_t owner = 0;
    if (!m_network->LookupNode(source, owner))
    {
        NS_FATAL_ERROR("TcpTensorTransport: node " << m_self << " accepted a connection from "
                                                   << source << ", which is no node of the run");
    }
    m_socketPeer[socket] = owner;
    Attach(owner, socket);
}

void
TcpTensorTransport::Attach(uint32_t peer, Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << peer);
    auto& connection = m_connections[peer];
    connection.socket = socket;
    connection.connected = true;
    socket->SetRecvCallback(MakeCallback(&TcpTensorTransport::HandleRead, this));
    socket->SetSendCallback(MakeCallback(&TcpTensorTransport::HandleSendSpace, this));
    socket->SetCloseCallbacks(MakeCallback(&TcpTensorTransport::HandlePeerClose, this),
                              MakeCallback(&TcpTensorTransport::HandleErrorClose, this));
    m_connectedTrace(peer);
    Pump(peer);
}

uint32_t
TcpTensorTransport::PeerOf(Ptr<Socket> socket) const
{
    auto it = m_socketPeer.find(socket);
    NS_ABORT_MSG_IF(it == m_socketPeer.end(),
                    "TcpTensorTransport: node " << m_self << ": event on an unknown socket");
    return it->second;
}

void
TcpTensorTransport::Send(uint32_t peer, uint64_t messageId, uint64_t bytes)
{
    NS_LOG_FUNCTION(this << peer << messageId << bytes);
    NS_ABORT_MSG_IF(!m_running,
                    "TcpTensorTransport: node " << m_self << " sends message " << messageId
                                                << " while not running");
    Enqueue(peer, messageId, bytes, nullptr);
}

void
TcpTensorTransport::SendPayload(uint32_t peer, uint64_t messageId, TensorPayload payload)
{
    NS_LOG_FUNCTION(this << peer << messageId);
    NS_ABORT_MSG_IF(!m_running,
                    "TcpTensorTransport: node " << m_self << " sends message " << messageId
                                                << " while not running");
    NS_ABORT_MSG_IF(!payload || payload->empty(),
                    "TcpTensorTransport: node " << m_self << ": message " << messageId
                                                << " has an empty payload; a message carries at "
                                                   "least one byte");
    Enqueue(peer, messageId, payload->size(), payload);
}

void
TcpTensorTransport::Enqueue(uint32_t peer,
                            uint64_t messageId,
                            uint64_t bytes,
                            TensorPayload payload)
{
    Connect(peer);
    m_connections[peer].outgoing.push_back(
        OutgoingMessage{messageId, bytes, false, 0, std::move(payload)});
    Pump(peer);
}

void
TcpTensorTransport::HandleSendSpace(Ptr<Socket> socket, uint32_t available)
{
    Pump(PeerOf(socket));
}

void
TcpTensorTransport::Pump(uint32_t peer)
{
    auto& connection = m_connections[peer];
    if (!connection.connected)
    {
        return;
    }
    Ptr<Socket> socket = connection.socket;
    while (!connection.outgoing.empty())
    {
        OutgoingMessage& message = connection.outgoing.front();
        if (!message.frameSent)
        {
            if (socket->GetTxAvailable() < TensorFrameHeader::SERIALIZED_SIZE)
            {
                return;
            }
            TensorFrameHeader frame;
            frame.SetMessageId(message.id);
            frame.SetPayloadLength(message.bytes);
            Ptr<Packet> packet = Create<Packet>();
            packet->AddHeader(frame);
            if (socket->Send(packet) < 0)
            {
                return;
            }
            message.frameSent = true;
        }
        while (message.payloadSent < message.bytes)
        {
            uint64_t available = socket->GetTxAvailable();
            if (available == 0)
            {
                return; // resumed from the send callback
            }
            auto chunk =
                static_cast<uint32_t>(std::min(available, message.bytes - message.payloadSent));
            Ptr<Packet> packet =
                message.payload
                    ? Create<Packet>(message.payload->data() + message.payloadSent, chunk)
                    : Create<Packet>(chunk);
            if (socket->Send(packet) < 0)
            {
                return;
            }
            message.payloadSent += chunk;
        }
        m_sentTrace(peer, message.id, message.bytes);
        connection.outgoing.pop_front();
    }
}

void
TcpTensorTransport::HandleRead(Ptr<Socket> socket)
{
    uint32_t peer = PeerOf(socket);
    Ptr<Packet> packet;
    while ((packet = socket->Recv()) && packet->GetSize() > 0)
    {
        Consume(peer, m_connections[peer], packet);
    }
}

void
TcpTensorTransport::Consume(uint32_t peer, Connection& connection, Ptr<Packet> packet)
{
    const uint32_t size = packet->GetSize();
    uint32_t offset = 0;
    // Payload mode: copy the segment's bytes once, then slice payload bytes out of it.
    std::vector<uint8_t> bytes;
    if (IsPayloadMode())
    {
        bytes.resize(size);
        packet->CopyData(bytes.data(), size);
    }
    while (offset < size)
    {
        if (!connection.inPayload)
        {
            // Only the frame's bytes are copied; a frame may straddle two segments.
            uint32_t take =
                std::min(TensorFrameHeader::SERIALIZED_SIZE - connection.frameBytes, size - offset);
            packet->CreateFragment(offset, take)
                ->CopyData(connection.frame.data() + connection.frameBytes, take);
            connection.frameBytes += take;
            offset += take;
            if (connection.frameBytes < TensorFrameHeader::SERIALIZED_SIZE)
            {
                continue;
            }
            Ptr<Packet> framePacket =
                Create<Packet>(connection.frame.data(), TensorFrameHeader::SERIALIZED_SIZE);
            TensorFrameHeader frame;
            framePacket->RemoveHeader(frame);
            connection.frameBytes = 0;
            connection.messageId = frame.GetMessageId();
            connection.payloadLength = frame.GetPayloadLength();
            connection.payloadRemaining = connection.payloadLength;
            connection.inPayload = true;
            if (IsPayloadMode())
            {
                connection.received = std::make_shared<std::vector<uint8_t>>();
                connection.received->reserve(connection.payloadLength);
            }
        }
        else
        {
            uint64_t take = std::min<uint64_t>(connection.payloadRemaining, size - offset);
            if (connection.received)
            {
                connection.received->insert(connection.received->end(),
                                            bytes.begin() + offset,
                                            bytes.begin() + offset + take);
            }
            connection.payloadRemaining -= take;
            m_payloadBytesReceived += take;
            offset += static_cast<uint32_t>(take);
        }
        if (connection.inPayload && connection.payloadRemaining == 0)
        {
            connection.inPayload = false;
            if (connection.received)
            {
                TensorPayload payload = std::move(connection.received);
                connection.received = nullptr;
                NotifyPayload(peer, connection.messageId, payload);
            }
            NotifyDelivered(peer, connection.messageId, connection.payloadLength);
        }
    }
}

void
TcpTensorTransport::HandlePeerClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    CheckClose(socket, "closed by the peer");
}

void
TcpTensorTransport::HandleErrorClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    CheckClose(socket, "failed (socket error " + std::to_string(socket->GetErrno()) + ")");
}

void
TcpTensorTransport::CheckClose(Ptr<Socket> socket, const std::string& how)
{
    if (!m_running)
    {
        return;
    }
    auto it = m_socketPeer.find(socket);
    if (it == m_socketPeer.end() || m_forgotten.count(it->second) > 0)
    {
        return;
    }
    const auto& connection = m_connections[it->second];
    NS_ABORT_MSG_IF(!connection.outgoing.empty() || connection.inPayload,
                    "TcpTensorTransport: node "
                        << m_self << ": connection with node " << it->second << " " << how
                        << " with messages in flight (" << connection.outgoing.size() << " to send"
                        << (connection.inPayload ? ", one arriving" : "") << ")");
}

uint64_t
TcpTensorTransport::GetPayloadBytesReceived() const
{
    return m_payloadBytesReceived;
}

} // namespace edgellm
} // namespace ns3
