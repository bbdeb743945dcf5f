/* SPDX-License-Identifier: GPL-2.0-only */
#include "plain-fl-strategy.h"

#include "collapipe-graph-builder.h"

#include "ns3/dssda-solver.h"
#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmPlainFlStrategy");
NS_OBJECT_ENSURE_REGISTERED(PlainFlStrategy);

TypeId
PlainFlStrategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PlainFlStrategy")
                            .SetParent<ClusterTrainingStrategy>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<PlainFlStrategy>();
    return tid;
}

PlainFlStrategy::PlainFlStrategy() = default;
PlainFlStrategy::~PlainFlStrategy() = default;

std::string
PlainFlStrategy::DecideCluster(const CollaPipeRoundModel& model, CollaPipeDecision& decision) const
{
    decision =
        model.EvaluatePlainFl(DssdaSolver::EqualShares(model), DssdaSolver::MaxPowers(model));
    return "";
}

Ptr<TaskGraph>
PlainFlStrategy::Build(uint32_t round, Ptr<const RoundPlan> basePlan)
{
    const Fleet& fleet = GetFleet();
    Ptr<const ClusterRoundPlan> plan = DynamicCast<const ClusterRoundPlan>(basePlan);
    NS_ABORT_MSG_IF(!plan, "PlainFlStrategy::Build: not a ClusterRoundPlan");
    PlainFlPlan flPlan;
    flPlan.server = fleet.GetServerNode();
    flPlan.microBatches = plan->microBatches;
    flPlan.localIterations = m_localIterations;
    for (uint32_t node = 0; node < fleet.GetDeviceCount(); ++node)
    {
        flPlan.devices.push_back(node);
    }
    return CollaPipeGraphBuilder::BuildPlainFlRound(GetWorkload().spec,
                                                    GetRoundRecipe(*plan),
                                                    flPlan,
                                                    fleet.GetNodeCount() + 1);
}

} // namespace edgellm
} // namespace ns3
