/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_WIRED_NETWORK_HELPER_H
#define EDGE_LLM_WIRED_NETWORK_HELPER_H

#include "ns3/attribute.h"
#include "ns3/data-rate.h"
#include "ns3/edge-network.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class NetDevice;

namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What the wired networks (CSMA, point-to-point) share: the link rate, the propagation
 * delay, the devices' DropTail queue, attributes passed through to ns-3's CsmaHelper or
 * PointToPointHelper (SetDeviceAttribute, SetChannelAttribute), and the preparation of each
 * device (no queue disc, a receive error model the network's error rate drives).
 */
class WiredNetworkHelper
{
  public:
    virtual ~WiredNetworkHelper();

    /** \param rate the link rate (default 100 Mb/s) */
    void SetDataRate(DataRate rate);
    /** \param delay the propagation delay (each technology has its own default) */
    void SetDelay(Time delay);
    /** \param packets the devices' DropTail queue, in packets (default 100000) */
    void SetQueueSize(uint32_t packets);
    /**
     * \brief Set an attribute of every NetDevice (as ns-3's helper's SetDeviceAttribute).
     * \param name the attribute
     * \param value its value
     */
    void SetDeviceAttribute(const std::string& name, const AttributeValue& value);
    /**
     * \brief Set an attribute of every channel (as ns-3's helper's SetChannelAttribute).
     * \param name the attribute
     * \param value its value
     */
    void SetChannelAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Install the devices, addresses and routes on a network whose nodes are set.
     * \param network the network
     * \param populateArpCache fill the ARP caches (where the technology has ARP)
     */
    virtual void Install(Ptr<EdgeNetwork> network, bool populateArpCache) const = 0;

    /**
     * \brief Make \p network a flow-only network (EdgeNetwork::SetFlowOnly): no device, stack
     * or address on its nodes; one prototype device with its channel, configured as Install
     * configures them (rate, delay, attributes passed through) but on no node, carries the
     * link parameters the flow level reads.
     * \param network the network, its nodes set
     */
    void InstallFlowOnly(Ptr<EdgeNetwork> network) const;

  protected:
    /**
     * \return a device of the technology, attached to a channel of its own, with the rate,
     * delay and attributes of Install, on no node
     */
    virtual Ptr<NetDevice> CreatePrototype() const = 0;

    /**
     * \brief Prepare a wired NetDevice: no queue disc, a receive error model.
     * \param network the network (which drives the error models' rate)
     * \param device the device
     */
    static void ConfigureWiredDevice(Ptr<EdgeNetwork> network, Ptr<NetDevice> device);

    /// attributes passed through, in the order set
    typedef std::vector<std::pair<std::string, Ptr<AttributeValue>>> AttributeList;

    DataRate m_dataRate{"100Mbps"};    //!< link rate
    Time m_delay{MilliSeconds(1)};     //!< propagation delay, when set
    bool m_delaySet{false};            //!< SetDelay was called
    uint32_t m_queueSize{100000};      //!< DropTail queue, packets
    AttributeList m_deviceAttributes;  //!< NetDevice attributes
    AttributeList m_channelAttributes; //!< channel attributes
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_WIRED_NETWORK_HELPER_H */
