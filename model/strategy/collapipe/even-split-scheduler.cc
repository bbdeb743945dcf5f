/* SPDX-License-Identifier: GPL-2.0-only */
#include "even-split-scheduler.h"

#include "ns3/dssda-solver.h"
#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEvenSplitScheduler");
NS_OBJECT_ENSURE_REGISTERED(EvenSplitScheduler);

TypeId
EvenSplitScheduler::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EvenSplitScheduler")
                            .SetParent<CollaPipeScheduler>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<EvenSplitScheduler>();
    return tid;
}

EvenSplitScheduler::EvenSplitScheduler() = default;

std::string
EvenSplitScheduler::Decide(const CollaPipeRoundModel& model, CollaPipeDecision& decision) const
{
    decision = DssdaSolver::BestMicroBatches(
        model,
        " every device the same number of blocks (the first L mod K one more), equal bandwidth, "
        "maximum power, the best micro-batch count:even",
        DssdaSolver::EvenSizes(model),
        DssdaSolver::EqualShares(model),
        DssdaSolver::MaxPowers(model));
    return "";
}

} // namespace edgellm
} // namespace ns3
