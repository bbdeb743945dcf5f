/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-scheduler.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaScheduler");
NS_OBJECT_ENSURE_REGISTERED(OfdmaScheduler);

TypeId
OfdmaScheduler::GetTypeId()
{
    // Abstract: no constructor; the policies are its subclasses.
    static TypeId tid = TypeId("ns3::OfdmaScheduler").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

OfdmaScheduler::OfdmaScheduler()
    : m_devices(0),
      m_resourceBlocks(0)
{
}

OfdmaScheduler::~OfdmaScheduler() = default;

void
OfdmaScheduler::Configure(uint32_t devices, uint32_t resourceBlocks)
{
    NS_LOG_FUNCTION(this << devices << resourceBlocks);
    m_devices = devices;
    m_resourceBlocks = resourceBlocks;
    DoConfigure();
}

uint32_t
OfdmaScheduler::GetDeviceCount() const
{
    return m_devices;
}

uint32_t
OfdmaScheduler::GetResourceBlockCount() const
{
    return m_resourceBlocks;
}

void
OfdmaScheduler::DoConfigure()
{
}

std::vector<uint32_t>
OfdmaScheduler::Allocate(const std::vector<OfdmaDemand>& demand)
{
    NS_ABORT_MSG_IF(demand.size() != m_devices,
                    "OfdmaScheduler::Allocate: " << demand.size() << " demands for " << m_devices
                                                 << " devices");
    // HARQ retransmissions first, with their original RB count.
    std::vector<uint32_t> grant(demand.size(), 0);
    uint32_t free = m_resourceBlocks;
    for (size_t i = 0; i < demand.size(); ++i)
    {
        if (demand[i].active && demand[i].fixedRbs > 0)
        {
            grant[i] = std::min(demand[i].fixedRbs, free);
            free -= grant[i];
        }
    }
    std::vector<uint32_t> more = DoAllocate(demand, free);
    NS_ABORT_MSG_IF(more.size() != demand.size(),
                    GetInstanceTypeId().GetName() << "::DoAllocate returned " << more.size()
                                                  << " grants for " << demand.size() << " devices");
    for (size_t i = 0; i < demand.size(); ++i)
    {
        grant[i] += more[i];
    }
    return grant;
}

Ptr<OfdmaScheduler>
OfdmaScheduler::Copy() const
{
    TypeId tid = GetInstanceTypeId();
    ObjectFactory factory;
    factory.SetTypeId(tid);
    // Every attribute the policy (and its bases up to this class) can read and construct with.
    for (TypeId t = tid;; t = t.GetParent())
    {
        for (uint32_t i = 0; i < t.GetAttributeN(); ++i)
        {
            TypeId::AttributeInformation info = t.GetAttribute(i);
            if ((info.flags & TypeId::ATTR_GET) && (info.flags & TypeId::ATTR_CONSTRUCT) &&
                info.accessor->HasGetter() && info.accessor->HasSetter())
            {
                Ptr<AttributeValue> value = info.checker->Create();
                GetAttribute(info.name, *value);
                factory.Set(info.name, *value);
            }
        }
        if (t == OfdmaScheduler::GetTypeId() || t == t.GetParent())
        {
            break;
        }
    }
    return factory.Create<OfdmaScheduler>();
}

} // namespace edgellm
} // namespace ns3
