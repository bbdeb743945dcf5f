/* SPDX-License-Identifier: GPL-2.0-only */
#include "dssda-scheduler.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmDssdaScheduler");
NS_OBJECT_ENSURE_REGISTERED(DssdaScheduler);

TypeId
DssdaScheduler::GetTypeId()
{
    const DssdaOptions defaults;
    static TypeId tid =
        TypeId("ns3::DssdaScheduler")
            .SetParent<CollaPipeScheduler>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<DssdaScheduler>()
            .AddAttribute("MaxAlternations",
                          "Partition <-> (bandwidth, power) alternations per micro-batch count",
                          UintegerValue(defaults.maxAlternations),
                          MakeUintegerAccessor(&DssdaScheduler::m_maxAlternations),
                          MakeUintegerChecker<uint32_t>(1, 100))
            .AddAttribute("MaxLabels",
                          "Pareto labels kept per state of the partition DP (exact while not "
                          "reached)",
                          UintegerValue(defaults.maxLabels),
                          MakeUintegerAccessor(&DssdaScheduler::m_maxLabels),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("LabelWorkBudget",
                          "Label extensions per partition DP; lowers the label cap on large "
                          "clusters",
                          DoubleValue(defaults.labelWorkBudget),
                          MakeDoubleAccessor(&DssdaScheduler::m_labelWorkBudget),
                          MakeDoubleChecker<double>(1.0, 1e12))
            .AddAttribute("TargetIterations",
                          "Golden-section steps per latency target in the final radio solve",
                          UintegerValue(defaults.targetIterations),
                          MakeUintegerAccessor(&DssdaScheduler::m_targetIterations),
                          MakeUintegerChecker<uint32_t>(1, 200))
            .AddAttribute("SearchTargetIterations",
                          "Golden-section steps per latency target while M and the partition "
                          "are searched",
                          UintegerValue(defaults.searchTargetIterations),
                          MakeUintegerAccessor(&DssdaScheduler::m_searchTargetIterations),
                          MakeUintegerChecker<uint32_t>(1, 200))
            .AddAttribute("FinalTargetIterations",
                          "Golden-section steps of the winner's final solve inside the "
                          "search's last brackets (clusters above LocalSearchMaxDevices)",
                          UintegerValue(defaults.finalTargetIterations),
                          MakeUintegerAccessor(&DssdaScheduler::m_finalTargetIterations),
                          MakeUintegerChecker<uint32_t>(1, 200))
            .AddAttribute("MuIterations",
                          "Bisection steps on the bandwidth multiplier",
                          UintegerValue(defaults.muIterations),
                          MakeUintegerAccessor(&DssdaScheduler::m_muIterations),
                          MakeUintegerChecker<uint32_t>(1, 200))
            .AddAttribute("LocalSearchMaxDevices",
                          "Clusters of at most this many devices get the local search (other "
                          "M, moves of one or two blocks) after the alternation; 0 turns it off",
                          UintegerValue(defaults.localSearchMaxDevices),
                          MakeUintegerAccessor(&DssdaScheduler::m_localSearchMaxDevices),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ScreenMargin",
                          "On larger clusters, only the micro-batch counts whose first plan is "
                          "within this fraction of the best keep alternating",
                          DoubleValue(defaults.screenMargin),
                          MakeDoubleAccessor(&DssdaScheduler::m_screenMargin),
                          MakeDoubleChecker<double>(0.0, 10.0))
            .AddAttribute("AllowIdleDevices",
                          "A device may hold no block when that lowers the objective: it idles "
                          "the round (no compute, transfer, upload or bandwidth) and the "
                          "pipeline skips it; false keeps every device with at least one block",
                          BooleanValue(defaults.allowIdleDevices),
                          MakeBooleanAccessor(&DssdaScheduler::m_allowIdleDevices),
                          MakeBooleanChecker());
    return tid;
}

DssdaScheduler::DssdaScheduler() = default;

std::string
DssdaScheduler::Decide(const CollaPipeRoundModel& model, CollaPipeDecision& decision) const
{
    decision = DssdaSolver(GetOptions()).Decide(model);
    return "";
}

DssdaOptions
DssdaScheduler::GetOptions() const
{
    DssdaOptions options;
    options.maxAlternations = m_maxAlternations;
    options.maxLabels = m_maxLabels;
    options.allowIdleDevices = m_allowIdleDevices;
    options.labelWorkBudget = m_labelWorkBudget;
    options.targetIterations = m_targetIterations;
    options.searchTargetIterations = m_searchTargetIterations;
    options.finalTargetIterations = m_finalTargetIterations;
    options.muIterations = m_muIterations;
    options.localSearchMaxDevices = m_localSearchMaxDevices;
    options.screenMargin = m_screenMargin;
    return options;
}

} // namespace edgellm
} // namespace ns3
