/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TCP_TENSOR_TRANSPORT_H
#define EDGE_LLM_TCP_TENSOR_TRANSPORT_H

#include "tensor-frame-header.h"
#include "tensor-transport.h"

#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/socket.h"

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <set>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Tensor messages over ns-3 TCP sockets: a frame (message id, 64-bit length), then
 * exactly the payload bytes.
 *
 * One TCP connection per pair of nodes, opened once (by the lower node index) and reused in
 * both directions. The sender writes in chunks that fit TcpSocket::GetTxAvailable() and resumes
 * from the socket's send callback, so a message of any size costs events, not memory (payloads
 * are virtual packet bytes). The receiver collects only the frame's 16 bytes, which may straddle
 * segments, and counts payload bytes down; it never reassembles a payload.
 *
 * Payload mode (LibTorch): a message sent with SendPayload is written as real packet bytes
 * (one Create<Packet>(buffer, size) per chunk), and a receiver with a PayloadCallback copies the
 * payload bytes of each message into one buffer it hands over when the last byte arrives.
 * Without a payload the path above is unchanged.
 */
class TcpTensorTransport : public TensorTransport
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TcpTensorTransport();
    ~TcpTensorTransport() override;

    /**
     * \brief Run on the binding's node; reach peers at EdgeNetwork::GetPeerAddress and
     * recognise them by EdgeNetwork::LookupNode.
     * \param binding the network and this node
     * \return "" or the problem (no network, node out of range)
     */
    std::string Bind(const TransportBinding& binding) override;

    void Start(uint32_t self) override;
    void Stop() override;
    void Connect(uint32_t peer) override;
    void Send(uint32_t peer, uint64_t messageId, uint64_t bytes) override;
    void SendPayload(uint32_t peer, uint64_t messageId, TensorPayload payload) override;
    /// A UDP datagram of 4 bytes (the sender's index) to the peer's Port + 1.
    void SendHeartbeat(uint32_t peer) override;
    uint64_t ForgetPeer(uint32_t peer) override;
    uint64_t CancelMessages(std::function<bool(uint64_t)> stale) override;

    /// \return payload bytes received so far, over all connections
    uint64_t GetPayloadBytesReceived() const;

  protected:
    void DoDispose() override;

  private:
    /// A message waiting for, or in, the send path.
    struct OutgoingMessage
    {
        uint64_t id;           //!< message id
        uint64_t bytes;        //!< payload length
        bool frameSent;        //!< whether the frame is written
        uint64_t payloadSent;  //!< payload bytes written so far
        TensorPayload payload; //!< real bytes, or null for a virtual payload
    };

    /// One TCP connection with a peer and the state of both directions.
    struct Connection
    {
        Ptr<Socket> socket;                   //!< the connected socket (null until connected)
        bool connected{false};                //!< whether the socket may send
        std::deque<OutgoingMessage> outgoing; //!< messages to send, in order
        std::array<uint8_t, TensorFrameHeader::SERIALIZED_SIZE> frame; //!< partial frame bytes
        uint32_t frameBytes{0};                                        //!< frame bytes collected
        bool inPayload{false};                          //!< whether the frame is complete
        uint64_t messageId{0};                          //!< message being received
        uint64_t payloadLength{0};                      //!< its payload length
        uint64_t payloadRemaining{0};                   //!< its payload bytes still to come
        std::shared_ptr<std::vector<uint8_t>> received; //!< payload collected (payload mode)
    };

    void OpenConnection(uint32_t peer);
    void HandleHeartbeat(Ptr<Socket> socket);
    void HandleConnected(Ptr<Socket> socket);
    void HandleConnectionFailed(Ptr<Socket> socket);
    bool HandleConnectionRequest(Ptr<Socket> socket, const Address& from);
    void HandleAccept(Ptr<Socket> socket, const Address& from);
    void HandleSendSpace(Ptr<Socket> socket, uint32_t available);
    void HandleRead(Ptr<Socket> socket);
    void HandlePeerClose(Ptr<Socket> socket);
    /// The connection failed (TCP gave up retransmitting, or a reset): as HandlePeerClose
    /// with the reason in the message.
    void HandleErrorClose(Ptr<Socket> socket);
    /// \param socket the closed socket \param how "closed by the peer" or "failed"
    void CheckClose(Ptr<Socket> socket, const std::string& how);
    void Attach(uint32_t peer, Ptr<Socket> socket);
    void Enqueue(uint32_t peer, uint64_t messageId, uint64_t bytes, TensorPayload payload);
    void Pump(uint32_t peer);
    void Consume(uint32_t peer, Connection& connection, Ptr<Packet> packet);
    uint32_t PeerOf(Ptr<Socket> socket) const;

    Ptr<Node> m_node;                             //!< this node
    uint32_t m_self;                              //!< this node's index
    uint16_t m_port;                              //!< listening port, the same on every node
    bool m_running;                               //!< between Start and Stop
    Ptr<Socket> m_listener;                       //!< listening socket
    Ptr<Socket> m_heartbeatSocket;                //!< UDP: heartbeats in (listener) or out
    std::set<uint32_t> m_forgotten;               //!< peers declared lost (ForgetPeer)
    Ptr<EdgeNetwork> m_network;                   //!< peers' addresses and owners
    std::map<uint32_t, Connection> m_connections; //!< by peer index
    std::map<Ptr<Socket>, uint32_t> m_socketPeer; //!< socket to peer index
    uint64_t m_payloadBytesReceived;              //!< total payload bytes received

    /// Fired when a connection to a peer is established (peer index).
    TracedCallback<uint32_t> m_connectedTrace;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TCP_TENSOR_TRANSPORT_H */
