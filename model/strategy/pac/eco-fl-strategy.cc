/* SPDX-License-Identifier: GPL-2.0-only */
#include "eco-fl-strategy.h"

#include "ns3/boolean.h"
#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEcoFlStrategy");
NS_OBJECT_ENSURE_REGISTERED(EcoFlStrategy);

TypeId
EcoFlStrategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EcoFlStrategy")
                            .SetParent<PacTrainingStrategy>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<EcoFlStrategy>();
    return tid;
}

EcoFlStrategy::EcoFlStrategy() = default;
EcoFlStrategy::~EcoFlStrategy() = default;

PacPlannerOptions
EcoFlStrategy::GetPlannerOptions() const
{
    PacPlannerOptions options;
    options.maxGroupSize = 1;
    return options;
}

std::string
EcoFlStrategy::GetSystemName() const
{
    return "Eco-FL";
}

} // namespace edgellm
} // namespace ns3
