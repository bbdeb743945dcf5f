/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-strategy.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPacStrategy");
NS_OBJECT_ENSURE_REGISTERED(PacStrategy);

TypeId
PacStrategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PacStrategy")
                            .SetParent<PacTrainingStrategy>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<PacStrategy>()
                            .AddAttribute("ActivationCache",
                                          "Epochs after the first train the side network alone "
                                          "on the backbone activations the first epoch cached "
                                          "(needs recipe=parallel-adapters).",
                                          BooleanValue(true),
                                          MakeBooleanAccessor(&PacStrategy::m_activationCache),
                                          MakeBooleanChecker())
                            .AddAttribute("Stages",
                                          "Pipeline stages of the epochs that pipeline; 0: the "
                                          "planner chooses (a forced depth is for studies and "
                                          "for the LibTorch check of hybrid parallelism).",
                                          UintegerValue(0),
                                          MakeUintegerAccessor(&PacStrategy::m_stages),
                                          MakeUintegerChecker<uint32_t>());
    return tid;
}

PacStrategy::PacStrategy() = default;
PacStrategy::~PacStrategy() = default;

PacPlannerOptions
PacStrategy::GetPlannerOptions() const
{
    PacPlannerOptions options;
    // any stages (or exactly Stages), any groups: the hybrid plans
    options.minStages = m_stages;
    options.maxStages = m_stages;
    return options;
}

std::string
PacStrategy::GetSystemName() const
{
    return "PAC";
}

bool
PacStrategy::UsesActivationCache() const
{
    return m_activationCache;
}

} // namespace edgellm
} // namespace ns3
