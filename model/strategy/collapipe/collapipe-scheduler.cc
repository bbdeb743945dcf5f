/* SPDX-License-Identifier: GPL-2.0-only */
#include "collapipe-scheduler.h"

#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollaPipeScheduler");
NS_OBJECT_ENSURE_REGISTERED(CollaPipeScheduler);

TypeId
CollaPipeScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::CollaPipeScheduler").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

CollaPipeScheduler::~CollaPipeScheduler() = default;

bool
CollaPipeScheduler::ChoosesMicroBatches() const
{
    return true;
}

} // namespace edgellm
} // namespace ns3
