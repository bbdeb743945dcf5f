/* SPDX-License-Identifier: GPL-2.0-only */
#include "eddl-strategy.h"

#include "ns3/boolean.h"
#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEddlStrategy");
NS_OBJECT_ENSURE_REGISTERED(EddlStrategy);

TypeId
EddlStrategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EddlStrategy")
                            .SetParent<PacTrainingStrategy>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<EddlStrategy>();
    return tid;
}

EddlStrategy::EddlStrategy() = default;
EddlStrategy::~EddlStrategy() = default;

PacPlannerOptions
EddlStrategy::GetPlannerOptions() const
{
    PacPlannerOptions options;
    options.maxStages = 1;
    options.useAllDevices = true;
    return options;
}

std::string
EddlStrategy::GetSystemName() const
{
    return "EDDL";
}

} // namespace edgellm
} // namespace ns3
