/* SPDX-License-Identifier: GPL-2.0-only */
#include "plain-fl-strategy.h"

#include "collapipe-graph-builder.h"

#include "ns3/boolean.h"
#include "ns3/dssda-solver.h"
#include "ns3/log.h"

#include <numeric>

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
                            .AddConstructor<PlainFlStrategy>()
                            .AddAttribute("EqualSamples",
                                          "Each device trains ceil(B G / N) sequences per local "
                                          "iteration (G clusters of B, N devices): the samples "
                                          "of a CollaPipe round, for a fair comparison; false: "
                                          "B per device (N / G times CollaPipe's samples).",
                                          BooleanValue(true),
                                          MakeBooleanAccessor(&PlainFlStrategy::m_equalSamples),
                                          MakeBooleanChecker());
    return tid;
}

PlainFlStrategy::PlainFlStrategy()
    : m_equalSamples(true)
{
}

PlainFlStrategy::~PlainFlStrategy() = default;

bool
PlainFlStrategy::ChoosesMicroBatches() const
{
    return false;
}

std::string
PlainFlStrategy::DecideCluster(const CollaPipeRoundModel& model, CollaPipeDecision& decision) const
{
    decision =
        model.EvaluatePlainFl(DssdaSolver::EqualShares(model), DssdaSolver::MaxPowers(model));
    return "";
}

uint32_t
PlainFlStrategy::GetTrainingBatchSize() const
{
    const uint32_t batch = GetWorkload().batchSize;
    if (!m_equalSamples)
    {
        return batch;
    }
    const Fleet& fleet = GetFleet();
    // every device's shard as the fleet began (a client that leaves takes its own shard)
    const uint64_t samples = uint64_t(batch) * fleet.GetGroupCount();
    const uint64_t devices = fleet.GetDeviceCount();
    return static_cast<uint32_t>((samples + devices - 1) / devices);
}

uint32_t
PlainFlStrategy::GetTrainingPipelineCount() const
{
    const Fleet& fleet = GetFleet();
    uint32_t clients = 0;
    for (uint32_t node = 0; node < fleet.GetDeviceCount(); ++node)
    {
        clients += fleet.HasDeparted(node) ? 0 : 1;
    }
    return clients;
}

Ptr<TaskGraph>
PlainFlStrategy::Build(uint32_t round, Ptr<const RoundPlan> basePlan)
{
    const Fleet& fleet = GetFleet();
    Ptr<const ClusterRoundPlan> plan = DynamicCast<const ClusterRoundPlan>(basePlan);
    NS_ABORT_MSG_IF(!plan, "PlainFlStrategy::Build: not a ClusterRoundPlan");
    std::vector<uint32_t> all(fleet.GetGroupCount());
    std::iota(all.begin(), all.end(), 0);
    return BuildGroupRound(*plan, all);
}

Ptr<TaskGraph>
PlainFlStrategy::BuildGroupRound(const ClusterRoundPlan& plan,
                                 const std::vector<uint32_t>& clusters) const
{
    const Fleet& fleet = GetFleet();
    PlainFlPlan flPlan;
    flPlan.server = fleet.GetServerNode();
    flPlan.microBatches = plan.microBatches;
    flPlan.localIterations = m_localIterations;
    for (uint32_t c : clusters)
    {
        // the group's devices still present, in node order
        for (uint32_t i = 0; i < fleet.GetGroupSize(c); ++i)
        {
            flPlan.devices.push_back(fleet.GetDeviceNode(c, i));
        }
    }
    return CollaPipeGraphBuilder::BuildPlainFlRound(GetWorkload().spec,
                                                    GetRoundRecipe(plan),
                                                    flPlan,
                                                    fleet.GetNodeCount() + 1);
}

} // namespace edgellm
} // namespace ns3
