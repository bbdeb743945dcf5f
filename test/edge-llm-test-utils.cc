/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/device-catalog.h"

namespace ns3
{
namespace edgellm
{

std::vector<CollaPipeDevice>
MakeCollaPipeDevices(const std::vector<std::pair<std::string, double>>& fleet, double energyBudget)
{
    static const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    std::vector<CollaPipeDevice> devices;
    for (const auto& [name, gain] : fleet)
    {
        CollaPipeDevice device;
        device.profile = catalog.Get(name);
        device.channelGain = gain;
        device.energyBudget = energyBudget;
        devices.push_back(device);
    }
    return devices;
}

} // namespace edgellm
} // namespace ns3
