/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_NET_DEVICE_H
#define EDGE_LLM_OFDMA_NET_DEVICE_H

#include "ofdma-spectrum-phy.h"

#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <memory>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The RLC-like byte queue of one OFDMA link: whole packets in, segments out.
 *
 * A transport block takes as many bytes as it holds from the head of the queue, splitting a
 * packet across transport blocks when needed and packing several packets into one (no
 * per-segment header: the module's simplification, the TB bytes are all payload). The queue
 * holds at most maxBytes; a packet that does not fit is dropped (tail drop).
 */
class OfdmaByteQueue
{
  public:
    /// \param maxBytes the capacity in bytes
    explicit OfdmaByteQueue(uint64_t maxBytes = 8000000);
    /**
     * \param packet the packet
     * \param source its source MAC
     * \param dest its destination MAC
     * \param protocol its EtherType
     * \return false (and the packet is dropped) when the queue is full
     */
    bool Enqueue(Ptr<Packet> packet, Mac48Address source, Mac48Address dest, uint16_t protocol);
    /**
     * \param maxBytes the transport block's size in bytes
     * \return the segments filling at most maxBytes
     */
    std::vector<OfdmaSegment> Dequeue(uint32_t maxBytes);
    /// \return the bytes waiting
    uint64_t GetBytes() const;
    /// \param maxBytes the capacity in bytes
    void SetMaxBytes(uint64_t maxBytes);
    /// \return the capacity in bytes
    uint64_t GetMaxBytes() const;

  private:
    std::deque<std::shared_ptr<OfdmaSdu>> m_sdus; //!< the packets
    uint32_t m_headOffset;                        //!< bytes of the head already sent
    uint64_t m_bytes;                             //!< bytes waiting
    uint64_t m_maxBytes;                          //!< capacity
    uint64_t m_nextId;                            //!< next SDU id
};

/**
 * \ingroup edge-llm
 * \brief Reassembles the SDUs of one link from the segments of delivered transport blocks;
 * an SDU with a missing piece (its transport block dropped by HARQ) is discarded.
 */
class OfdmaReassembler
{
  public:
    /**
     * \param segment the next segment received on the link
     * \return the SDU when this segment completes it, null otherwise
     */
    std::shared_ptr<const OfdmaSdu> Receive(const OfdmaSegment& segment);

  private:
    uint64_t m_id{0};       //!< SDU being reassembled
    uint32_t m_received{0}; //!< its bytes received
    bool m_valid{false};    //!< an SDU is in progress
};

/**
 * \ingroup edge-llm
 * \brief What the base station and user equipment NetDevices of the OFDMA cell share:
 * addressing, MTU, the receive callbacks.
 *
 * Broadcast-capable with ARP (ARP requests reach the base station and are relayed to every
 * UE); the helper also fills the neighbor caches so no transfer waits for ARP.
 */
class OfdmaNetDevice : public NetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaNetDevice();
    ~OfdmaNetDevice() override;

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

    /// \param channel the channel GetChannel returns (the downlink carrier)
    void SetSpectrumChannel(Ptr<SpectrumChannel> channel);

  protected:
    void DoDispose() override;

    /**
     * \brief Pass a received SDU addressed to this device (or to a group) up the stack.
     * \param sdu the SDU
     */
    void DeliverUp(std::shared_ptr<const OfdmaSdu> sdu);

    /// \return this device's MAC address
    Mac48Address GetMacAddress() const;

    TracedCallback<Ptr<const Packet>> m_macTxTrace;     //!< MacTx
    TracedCallback<Ptr<const Packet>> m_macTxDropTrace; //!< MacTxDrop
    TracedCallback<Ptr<const Packet>> m_macRxTrace;     //!< MacRx

  private:
    Ptr<Node> m_node;                         //!< the node
    uint32_t m_ifIndex;                       //!< interface index
    Mac48Address m_address;                   //!< MAC address
    uint16_t m_mtu;                           //!< MTU
    Ptr<SpectrumChannel> m_channel;           //!< for GetChannel
    NetDevice::ReceiveCallback m_rxCallback;  //!< to the stack
    PromiscReceiveCallback m_promiscCallback; //!< promiscuous
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_NET_DEVICE_H */
