/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-standalone-strategy.h"

#include "ns3/boolean.h"
#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPacStandaloneStrategy");
NS_OBJECT_ENSURE_REGISTERED(PacStandaloneStrategy);

TypeId
PacStandaloneStrategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PacStandaloneStrategy")
                            .SetParent<PacTrainingStrategy>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<PacStandaloneStrategy>();
    return tid;
}

PacStandaloneStrategy::PacStandaloneStrategy() = default;
PacStandaloneStrategy::~PacStandaloneStrategy() = default;

PacPlannerOptions
PacStandaloneStrategy::GetPlannerOptions() const
{
    PacPlannerOptions options;
    options.maxStages = 1;
    options.maxGroupSize = 1;
    return options;
}

std::string
PacStandaloneStrategy::GetSystemName() const
{
    return "Standalone";
}

} // namespace edgellm
} // namespace ns3
