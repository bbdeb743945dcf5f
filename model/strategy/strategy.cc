/* SPDX-License-Identifier: GPL-2.0-only */
#include "strategy.h"

#include "ns3/log.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmStrategy");
NS_OBJECT_ENSURE_REGISTERED(Strategy);

TypeId
Strategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::Strategy").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

Strategy::~Strategy() = default;

std::string
Strategy::Configure(const Fleet& fleet, const Workload& workload)
{
    std::string problem = fleet.Validate();
    if (problem.empty())
    {
        problem = workload.Validate();
    }
    if (!problem.empty())
    {
        return problem;
    }
    m_fleet = fleet;
    m_workload = workload;
    return "";
}

void
Strategy::DoDispose()
{
    m_computeModel = nullptr;
    Object::DoDispose();
}

void
Strategy::SetComputeModel(Ptr<const ComputeModel> model)
{
    m_computeModel = model;
}

double
Strategy::PredictRound(uint32_t round,
                       NetworkState& network,
                       Ptr<const RoundPlan> plan,
                       const TaskGraph& graph)
{
    return plan->predictedSeconds;
}

Ptr<const ComputeModel>
Strategy::GetComputeModel() const
{
    return m_computeModel;
}

const Fleet&
Strategy::GetFleet() const
{
    return m_fleet;
}

const Workload&
Strategy::GetWorkload() const
{
    return m_workload;
}

} // namespace edgellm
} // namespace ns3
