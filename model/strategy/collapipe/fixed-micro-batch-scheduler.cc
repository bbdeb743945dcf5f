/* SPDX-License-Identifier: GPL-2.0-only */
#include "fixed-micro-batch-scheduler.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFixedMicroBatchScheduler");
NS_OBJECT_ENSURE_REGISTERED(FixedMicroBatchScheduler);

TypeId
FixedMicroBatchScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FixedMicroBatchScheduler")
            .SetParent<DssdaScheduler>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FixedMicroBatchScheduler>()
            .AddAttribute("MicroBatches",
                          "The micro-batch count M every round uses; must divide the batch "
                          "size and be at most the strategy's MaxMicroBatches",
                          UintegerValue(4),
                          MakeUintegerAccessor(&FixedMicroBatchScheduler::m_microBatches),
                          MakeUintegerChecker<uint32_t>(1));
    return tid;
}

FixedMicroBatchScheduler::FixedMicroBatchScheduler() = default;

std::string
FixedMicroBatchScheduler::Decide(const CollaPipeRoundModel& model,
                                 CollaPipeDecision& decision) const
{
    const std::vector<uint32_t>& ms = model.GetMicroBatchCandidates();
    if (std::find(ms.begin(), ms.end(), m_microBatches) == ms.end())
    {
        std::ostringstream oss;
        oss << "MicroBatches=" << m_microBatches
            << " is invalid: must divide batchSize=" << model.GetConfig().batchSize
            << " and be at most maxMicroBatches=" << model.GetConfig().maxMicroBatches;
        return oss.str();
    }
    DssdaOptions options = GetOptions();
    options.fixedMicroBatches = m_microBatches;
    decision = DssdaSolver(options).Decide(model);
    return "";
}

bool
FixedMicroBatchScheduler::ChoosesMicroBatches() const
{
    return false;
}

} // namespace edgellm
} // namespace ns3
