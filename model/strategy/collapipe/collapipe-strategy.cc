/* SPDX-License-Identifier: GPL-2.0-only */
#include "collapipe-strategy.h"

#include "dssda-scheduler.h"

#include "ns3/log.h"
#include "ns3/pointer.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollaPipeStrategy");
NS_OBJECT_ENSURE_REGISTERED(CollaPipeStrategy);

TypeId
CollaPipeStrategy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::CollaPipeStrategy")
            .SetParent<ClusterTrainingStrategy>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<CollaPipeStrategy>()
            .AddAttribute("Scheduler",
                          "The CollaPipeScheduler that decides each cluster's round "
                          "(ns3::DssdaScheduler when none is set)",
                          PointerValue(),
                          MakePointerAccessor(&CollaPipeStrategy::m_scheduler),
                          MakePointerChecker<CollaPipeScheduler>());
    return tid;
}

CollaPipeStrategy::CollaPipeStrategy() = default;
CollaPipeStrategy::~CollaPipeStrategy() = default;

void
CollaPipeStrategy::DoDispose()
{
    m_scheduler = nullptr;
    ClusterTrainingStrategy::DoDispose();
}

std::string
CollaPipeStrategy::Configure(const Fleet& fleet, const Workload& workload)
{
    if (!m_scheduler)
    {
        m_scheduler = CreateObject<DssdaScheduler>();
    }
    return ClusterTrainingStrategy::Configure(fleet, workload);
}

void
CollaPipeStrategy::SetScheduler(Ptr<CollaPipeScheduler> scheduler)
{
    m_scheduler = scheduler;
}

Ptr<CollaPipeScheduler>
CollaPipeStrategy::GetScheduler() const
{
    return m_scheduler;
}

bool
CollaPipeStrategy::ChoosesMicroBatches() const
{
    return m_scheduler->ChoosesMicroBatches();
}

std::string
CollaPipeStrategy::DecideCluster(const CollaPipeRoundModel& model,
                                 CollaPipeDecision& decision) const
{
    return m_scheduler->Decide(model, decision);
}

} // namespace edgellm
} // namespace ns3
