/* SPDX-License-Identifier: GPL-2.0-only */
#include "csma-network-helper.h"

#include "ns3/csma-channel.h"
#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4.h"
#include "ns3/neighbor-cache-helper.h"
#include "ns3/queue-size.h"
#include "ns3/string.h"

namespace ns3
{
namespace edgellm
{

void
CsmaNetworkHelper::Install(Ptr<EdgeNetwork> network, bool populateArpCache) const
{
    uint32_t n = network->GetDeviceCount();
    uint32_t serverIndex = network->GetServerIndex();
    // The server first, so that it is 10.0.0.1 and the devices follow in order.
    NodeContainer nodes(network->GetNode(serverIndex));
    for (uint32_t i = 0; i < n; ++i)
    {
        nodes.Add(network->GetNode(i));
    }
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", DataRateValue(m_dataRate));
    csma.SetChannelAttribute("Delay", TimeValue(GetDelay()));
    for (const auto& [name, value] : m_channelAttributes)
    {
        csma.SetChannelAttribute(name, *value);
    }
    for (const auto& [name, value] : m_deviceAttributes)
    {
        csma.SetDeviceAttribute(name, *value);
    }
    csma.SetQueue("ns3::DropTailQueue<Packet>",
                  "MaxSize",
                  QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, m_queueSize)));
    NetDeviceContainer devices = csma.Install(nodes);

    InternetStackHelper stack;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        if (!nodes.Get(i)->GetObject<Ipv4>())
        {
            stack.Install(nodes.Get(i));
        }
    }
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.0.0");
    Ipv4InterfaceContainer interfaces = addresses.Assign(devices);
    if (populateArpCache)
    {
        NeighborCacheHelper().PopulateNeighborCache(interfaces);
    }
    // nodes[k] is the server for k = 0, device k - 1 otherwise.
    std::vector<Ipv4Address> address(n + 1);
    std::vector<Ptr<NetDevice>> device(n + 1);
    for (uint32_t k = 0; k < nodes.GetN(); ++k)
    {
        uint32_t index = k == 0 ? serverIndex : k - 1;
        address[index] = interfaces.GetAddress(k);
        device[index] = devices.Get(k);
        ConfigureWiredDevice(network, devices.Get(k));
    }
    network->AddOneDevicePerNode(device, address);
}

Time
CsmaNetworkHelper::GetDelay() const
{
    // a 1.3 km segment at 2e8 m/s when not set (the ns-3 CSMA examples' 6560 ns)
    return m_delaySet ? m_delay : NanoSeconds(6560);
}

Ptr<NetDevice>
CsmaNetworkHelper::CreatePrototype() const
{
    // what CsmaHelper::Install would build, in its order of settings
    ObjectFactory channelFactory("ns3::CsmaChannel");
    channelFactory.Set("DataRate", DataRateValue(m_dataRate));
    channelFactory.Set("Delay", TimeValue(GetDelay()));
    for (const auto& [name, value] : m_channelAttributes)
    {
        channelFactory.Set(name, *value);
    }
    ObjectFactory deviceFactory("ns3::CsmaNetDevice");
    for (const auto& [name, value] : m_deviceAttributes)
    {
        deviceFactory.Set(name, *value);
    }
    Ptr<CsmaNetDevice> device = deviceFactory.Create<CsmaNetDevice>();
    device->Attach(channelFactory.Create<CsmaChannel>());
    return device;
}

} // namespace edgellm
} // namespace ns3
