/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TENSOR_TRANSPORT_H
#define EDGE_LLM_TENSOR_TRANSPORT_H

#include "ns3/callback.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

class EdgeNetwork;
class FlowNetworkModel;

/**
 * \ingroup edge-llm
 * \brief What a transport needs of the run it serves; EdgeLlmRuntimeHelper fills it.
 */
struct TransportBinding
{
    Ptr<EdgeNetwork> network;        //!< the installed network
    uint32_t node{0};                //!< this transport's node index
    Ptr<FlowNetworkModel> flowModel; //!< the run's flow model (flow fidelity), or null
};

/**
 * \ingroup edge-llm
 * \brief The real contents of a message (LibTorch mode): exactly the payload bytes.
 */
typedef std::shared_ptr<const std::vector<uint8_t>> TensorPayload;

/**
 * \ingroup edge-llm
 * \brief Moves tensor-sized messages from one node of the run to another.
 *
 * One instance per node. The runtime hands it messages (peer, message id, exact byte count);
 * the transport of the receiving node reports each message once, when its last byte arrives.
 * Implementations: TcpTensorTransport (packet level, ns-3 TCP sockets) and, for large sweeps,
 * a flow-level model that computes transfer times from link rates without packets.
 *
 * Messages are virtual by default (only their size matters). With a payload (SendPayload) the
 * message carries real bytes; a receiver with a PayloadCallback gets them back before the
 * delivered callback fires, so what a node computes on is what crossed the network.
 */
class TensorTransport : public Object
{
  public:
    /**
     * Callback signature for a message whose last byte has arrived at this node.
     * \param peer the sending node's index
     * \param messageId the message id
     * \param bytes the payload bytes received for it
     */
    typedef Callback<void, uint32_t, uint64_t, uint64_t> DeliveredCallback;

    /**
     * Callback signature for the contents of a message carried with a payload; called just
     * before the DeliveredCallback of the same message.
     * \param peer the sending node's index
     * \param messageId the message id
     * \param payload the bytes received, in order
     */
    typedef Callback<void, uint32_t, uint64_t, TensorPayload> PayloadCallback;

    /**
     * TracedCallback signature for message events.
     * \param [in] peer the other node's index
     * \param [in] messageId the message id
     * \param [in] bytes the payload bytes
     */
    typedef void (*MessageTracedCallback)(uint32_t peer, uint64_t messageId, uint64_t bytes);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TensorTransport();
    ~TensorTransport() override;

    /**
     * \brief Attach to the run: each backend takes what it needs (its node and the peers'
     * addresses, or the flow model), so the runtime wires every backend the same way.
     * \param binding the network, this node and the run's flow model
     * \return "" or why this backend cannot serve the run (e.g. a flow transport without a flow
     * model)
     */
    virtual std::string Bind(const TransportBinding& binding) = 0;

    /**
     * \brief Begin accepting messages.
     * \param self this node's index in the run
     */
    virtual void Start(uint32_t self) = 0;

    /// Stop: close connections, drop queued messages.
    virtual void Stop() = 0;

    /**
     * \brief Make sure a connection to \p peer exists or is being opened.
     *
     * Connections are opened once per pair of nodes and reused; the node with the lower index
     * opens it, so calling this on the higher-index node only waits for the peer.
     * \param peer the other node's index
     */
    virtual void Connect(uint32_t peer) = 0;

    /**
     * \brief Send a message of exactly \p bytes payload bytes to \p peer.
     *
     * Messages to the same peer are delivered in the order they were sent.
     * \param peer the receiving node's index
     * \param messageId an id unique among the messages in flight between this pair
     * \param bytes payload length
     */
    virtual void Send(uint32_t peer, uint64_t messageId, uint64_t bytes) = 0;

    /**
     * \brief Send a message whose payload is \p payload (its size is the payload length).
     *
     * The default implementation stops the run: a transport that carries real bytes overrides
     * it. Same ordering as Send.
     * \param peer the receiving node's index
     * \param messageId an id unique among the messages in flight between this pair
     * \param payload the bytes (at least one)
     */
    virtual void SendPayload(uint32_t peer, uint64_t messageId, TensorPayload payload);

    /**
     * \brief Send a heartbeat to \p peer: a small datagram outside the message streams (never
     * queued behind a tensor), lost when either end or the link between them is down.
     *
     * The default implementation stops the run: a transport that detects failures overrides it.
     * \param peer the receiving node's index
     */
    virtual void SendHeartbeat(uint32_t peer);

    /**
     * \brief The run declared \p peer lost: drop what is queued for it and stop expecting
     * anything from it (a connection to it may then fail without stopping the run).
     * \param peer the lost node
     * \return the payload bytes dropped (queued or partly sent to it)
     */
    virtual uint64_t ForgetPeer(uint32_t peer);

    /**
     * \brief Cancel this node's messages that \p stale selects (an abandoned round's): those
     * not yet started are dropped; a message already partly on the wire finishes at the packet
     * level (TCP cannot unsend its bytes), and is dropped too at the flow level.
     * \param stale says, by message id, which messages to cancel
     * \return the payload bytes dropped
     */
    virtual uint64_t CancelMessages(std::function<bool(uint64_t)> stale);

    /**
     * \brief Listen for heartbeats (set before Start).
     * \param callback called with the sender's index when a heartbeat arrives
     */
    void SetHeartbeatCallback(Callback<void, uint32_t> callback);

    /// \param callback called on the receiving node when a message's last byte arrives
    void SetDeliveredCallback(DeliveredCallback callback);

    /**
     * \brief Ask the transport to hand over received payloads (payload mode). Without it,
     * received bytes are only counted, as fast as virtual messages.
     * \param callback called with each received message's bytes, before its delivery
     */
    void SetPayloadCallback(PayloadCallback callback);

    /// \return whether a PayloadCallback is set (the receiver collects payload bytes)
    bool IsPayloadMode() const;

  protected:
    void DoDispose() override;

    /**
     * \brief Report a complete message to the runtime and the trace.
     * \param peer sender
     * \param messageId message id
     * \param bytes payload bytes received
     */
    void NotifyDelivered(uint32_t peer, uint64_t messageId, uint64_t bytes);

    /**
     * \brief Hand a received payload to the runtime (payload mode); call before
     * NotifyDelivered for the same message.
     * \param peer sender
     * \param messageId message id
     * \param payload the received bytes
     */
    void NotifyPayload(uint32_t peer, uint64_t messageId, TensorPayload payload);

    /**
     * \brief Report a heartbeat from \p peer to the listener, if any.
     * \param peer the sender
     */
    void NotifyHeartbeat(uint32_t peer);

    /// \return whether a heartbeat listener is set (the transport then accepts heartbeats)
    bool IsHeartbeatListener() const;

    /// Fired at the sender when a message's last payload byte is handed to the transport.
    TracedCallback<uint32_t, uint64_t, uint64_t> m_sentTrace;
    /// Fired at the receiver when a message's last payload byte arrives.
    TracedCallback<uint32_t, uint64_t, uint64_t> m_deliveredTrace;

  private:
    DeliveredCallback m_delivered;        //!< the runtime's delivery callback
    PayloadCallback m_payload;            //!< the runtime's payload consumer (payload mode)
    Callback<void, uint32_t> m_heartbeat; //!< the failure detector's listener, or null
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TENSOR_TRANSPORT_H */
