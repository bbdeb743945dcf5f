/* SPDX-License-Identifier: GPL-2.0-only */
#include "p2p-network-helper.h"

#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4.h"
#include "ns3/point-to-point-channel.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-size.h"
#include "ns3/string.h"

namespace ns3
{
namespace edgellm
{

void
P2pNetworkHelper::Install(Ptr<EdgeNetwork> network, bool /* no ARP on point-to-point */) const
{
    uint32_t nodes = network->GetNodeCount();
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(m_dataRate));
    p2p.SetChannelAttribute("Delay", TimeValue(m_delay));
    for (const auto& [name, value] : m_channelAttributes)
    {
        p2p.SetChannelAttribute(name, *value);
    }
    for (const auto& [name, value] : m_deviceAttributes)
    {
        p2p.SetDeviceAttribute(name, *value);
    }
    p2p.SetQueue("ns3::DropTailQueue<Packet>",
                 "MaxSize",
                 QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, m_queueSize)));

    InternetStackHelper stack;
    for (uint32_t i = 0; i < nodes; ++i)
    {
        if (!network->GetNode(i)->GetObject<Ipv4>())
        {
            stack.Install(network->GetNode(i));
        }
    }
    // One /24 per link, 10.1.0.0/24 upwards, in pair order (0,1), (0,2), ..., (n-1,n); the
    // lower node index is .1. Every peer is one hop away, on the link's own subnet, so no
    // routing protocol is needed (and none is populated: global routing would touch every
    // node of the simulation, not only this network's).
    Ipv4AddressHelper addresses("10.1.0.0", "255.255.255.0");
    for (uint32_t i = 0; i < nodes; ++i)
    {
        for (uint32_t j = i + 1; j < nodes; ++j)
        {
            NetDeviceContainer link = p2p.Install(network->GetNode(i), network->GetNode(j));
            Ipv4InterfaceContainer interfaces = addresses.Assign(link);
            addresses.NewNetwork();
            ConfigureWiredDevice(network, link.Get(0));
            ConfigureWiredDevice(network, link.Get(1));
            network->AddNetDevice(i, link.Get(0), interfaces.GetAddress(0));
            network->AddNetDevice(j, link.Get(1), interfaces.GetAddress(1));
            network->SetRoute(i, j, interfaces.GetAddress(1), link.Get(0));
            network->SetRoute(j, i, interfaces.GetAddress(0), link.Get(1));
        }
    }
}

Ptr<NetDevice>
P2pNetworkHelper::CreatePrototype() const
{
    // what PointToPointHelper::Install would build for a link, in its order of settings
    ObjectFactory deviceFactory("ns3::PointToPointNetDevice");
    deviceFactory.Set("DataRate", DataRateValue(m_dataRate));
    for (const auto& [name, value] : m_deviceAttributes)
    {
        deviceFactory.Set(name, *value);
    }
    ObjectFactory channelFactory("ns3::PointToPointChannel");
    channelFactory.Set("Delay", TimeValue(m_delay));
    for (const auto& [name, value] : m_channelAttributes)
    {
        channelFactory.Set(name, *value);
    }
    Ptr<PointToPointNetDevice> device = deviceFactory.Create<PointToPointNetDevice>();
    device->Attach(channelFactory.Create<PointToPointChannel>());
    return device;
}

} // namespace edgellm
} // namespace ns3
