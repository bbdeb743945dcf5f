/* SPDX-License-Identifier: GPL-2.0-only */
#include "compute-proportional-scheduler.h"

#include "ns3/dssda-solver.h"
#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmComputeProportionalScheduler");
NS_OBJECT_ENSURE_REGISTERED(ComputeProportionalScheduler);

TypeId
ComputeProportionalScheduler::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ComputeProportionalScheduler")
                            .SetParent<CollaPipeScheduler>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<ComputeProportionalScheduler>();
    return tid;
}

ComputeProportionalScheduler::ComputeProportionalScheduler() = default;

std::string
ComputeProportionalScheduler::Decide(const CollaPipeRoundModel& model,
                                     CollaPipeDecision& decision) const
{
    decision = DssdaSolver::BestMicroBatches(model,
                                             "compute-proportional",
                                             DssdaSolver::ComputeProportionalSizes(model),
                                             DssdaSolver::EqualShares(model),
                                             DssdaSolver::MaxPowers(model));
    return "";
}

} // namespace edgellm
} // namespace ns3
