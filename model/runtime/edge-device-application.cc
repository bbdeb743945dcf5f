/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-device-application.h"

#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEdgeDeviceApplication");

NS_OBJECT_ENSURE_REGISTERED(EdgeDeviceApplication);

TypeId
EdgeDeviceApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EdgeDeviceApplication")
                            .SetParent<EdgeLlmApplication>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<EdgeDeviceApplication>();
    return tid;
}

EdgeDeviceApplication::EdgeDeviceApplication() = default;

EdgeDeviceApplication::~EdgeDeviceApplication() = default;

} // namespace edgellm
} // namespace ns3
