/* SPDX-License-Identifier: GPL-2.0-only */
#include "wired-network-helper.h"

#include "ns3/error-model.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/traffic-control-layer.h"

namespace ns3
{
namespace edgellm
{

WiredNetworkHelper::~WiredNetworkHelper() = default;

void
WiredNetworkHelper::SetDataRate(DataRate rate)
{
    m_dataRate = rate;
}

void
WiredNetworkHelper::SetDelay(Time delay)
{
    m_delay = delay;
    m_delaySet = true;
}

void
WiredNetworkHelper::SetQueueSize(uint32_t packets)
{
    m_queueSize = packets;
}

void
WiredNetworkHelper::SetDeviceAttribute(const std::string& name, const AttributeValue& value)
{
    m_deviceAttributes.emplace_back(name, value.Copy());
}

void
WiredNetworkHelper::SetChannelAttribute(const std::string& name, const AttributeValue& value)
{
    m_channelAttributes.emplace_back(name, value.Copy());
}

void
WiredNetworkHelper::InstallFlowOnly(Ptr<EdgeNetwork> network) const
{
    network->SetFlowOnly(CreatePrototype(), {});
}

void
WiredNetworkHelper::ConfigureWiredDevice(Ptr<EdgeNetwork> network, Ptr<NetDevice> device)
{
    // No queue disc: ns-3 would install FqCoDel, whose CoDel drops packets once they wait
    // more than 5 ms; validation wants the link rate to be the only limit. The device's own
    // DropTail queue (SetWiredQueueSize) holds the backlog instead.
    Ptr<TrafficControlLayer> tc = device->GetNode()->GetObject<TrafficControlLayer>();
    if (tc && tc->GetRootQueueDiscOnDevice(device))
    {
        TrafficControlHelper().Uninstall(device);
    }
    Ptr<RateErrorModel> errorModel = CreateObject<RateErrorModel>();
    errorModel->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
    device->SetAttribute("ReceiveErrorModel", PointerValue(errorModel));
    network->AddErrorModel(errorModel);
}

} // namespace edgellm
} // namespace ns3
