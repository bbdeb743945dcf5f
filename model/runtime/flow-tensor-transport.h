/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_FLOW_TENSOR_TRANSPORT_H
#define EDGE_LLM_FLOW_TENSOR_TRANSPORT_H

#include "tensor-transport.h"

#include "ns3/flow-network-model.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Tensor messages as flows of a FlowNetworkModel: no packets, the same byte counts
 * (payload plus the 16-byte frame) as TcpTensorTransport, FIFO per ordered pair of nodes.
 *
 * One instance per node; all of a run's instances share one FlowNetworkModel, which reports
 * each message at its destination's transport when the flow's last byte arrives.
 *
 * Payload mode: a message sent with SendPayload keeps its buffer beside the flow, and the
 * destination's transport hands that buffer to its PayloadCallback on delivery.
 */
class FlowTensorTransport : public TensorTransport
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FlowTensorTransport();
    ~FlowTensorTransport() override;

    /**
     * \brief Take the run's flow model.
     * \param binding its flowModel (SetNetwork already called)
     * \return "" or, without a flow model, that the runtime's fidelity must be "flow"
     */
    std::string Bind(const TransportBinding& binding) override;
    /// \return the run's flow model
    Ptr<FlowNetworkModel> GetModel() const;

    void Start(uint32_t self) override;
    void Stop() override;
    /// Nothing to open at flow level (no connection set-up is modelled).
    void Connect(uint32_t peer) override;
    void Send(uint32_t peer, uint64_t messageId, uint64_t bytes) override;
    void SendPayload(uint32_t peer, uint64_t messageId, TensorPayload payload) override;
    /// A signal of the flow model (FlowNetworkModel::SendSignal): no bandwidth, lost when an
    /// end is cut off.
    void SendHeartbeat(uint32_t peer) override;
    uint64_t ForgetPeer(uint32_t peer) override;
    uint64_t CancelMessages(std::function<bool(uint64_t)> stale) override;

    /// \return payload bytes received so far
    uint64_t GetPayloadBytesReceived() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief The model's delivery at this node.
     * \param source sender
     * \param destination this node
     * \param messageId message id
     * \param bytes payload bytes
     */
    void Delivered(uint32_t source, uint32_t destination, uint64_t messageId, uint64_t bytes);

    Ptr<FlowNetworkModel> m_model;   //!< shared flow model
    uint32_t m_self;                 //!< this node's index
    bool m_running;                  //!< between Start and Stop
    uint64_t m_payloadBytesReceived; //!< total payload bytes received
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_FLOW_TENSOR_TRANSPORT_H
