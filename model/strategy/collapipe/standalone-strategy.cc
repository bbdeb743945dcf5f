/* SPDX-License-Identifier: GPL-2.0-only */
#include "standalone-strategy.h"

#include "ns3/dssda-solver.h"
#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmStandaloneStrategy");
NS_OBJECT_ENSURE_REGISTERED(StandaloneStrategy);

TypeId
StandaloneStrategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::StandaloneStrategy")
                            .SetParent<ClusterTrainingStrategy>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<StandaloneStrategy>();
    return tid;
}

StandaloneStrategy::StandaloneStrategy() = default;
StandaloneStrategy::~StandaloneStrategy() = default;

std::string
StandaloneStrategy::DecideCluster(const CollaPipeRoundModel& model,
                                  CollaPipeDecision& decision) const
{
    decision = DssdaSolver::Standalone(model);
    return "";
}

} // namespace edgellm
} // namespace ns3
