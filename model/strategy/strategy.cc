/* SPDX-License-Identifier: GPL-2.0-only */
#include "strategy.h"

#include "ns3/abort.h"
#include "ns3/analytic-compute-model.h"
#include "ns3/log.h"

#include <map>

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

bool
Strategy::SupportsCells() const
{
    return false;
}

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
    // by node index, fixed for the run (a device that leaves keeps its index): shared by every
    // GetComputeTime instead of a copy per timing
    m_profiles = std::make_shared<const std::vector<DeviceProfile>>(fleet.GetProfiles());
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

std::string
Strategy::GetMeanPairRate(NetworkState& network,
                          const std::vector<uint32_t>& nodes,
                          double& bitsPerSecond) const
{
    double inverse = 0;
    uint32_t pairs = 0;
    for (uint32_t a : nodes)
    {
        for (uint32_t b : nodes)
        {
            if (a == b)
            {
                continue;
            }
            const double bytesPerSecond = network.GetFlowRates({{a, b}}).at(0);
            if (!(bytesPerSecond > 0))
            {
                return "node " + std::to_string(a) + " cannot reach node " + std::to_string(b) +
                       " (no rate); move the devices closer";
            }
            inverse += 1.0 / (8.0 * bytesPerSecond);
            ++pairs;
        }
    }
    bitsPerSecond = pairs ? pairs / inverse : 1e9;
    return "";
}

Ptr<const ComputeModel>
Strategy::GetComputeModel() const
{
    return m_computeModel;
}

std::string
Strategy::RemoveDevice(uint32_t node)
{
    return "strategy " + GetInstanceTypeId().GetName() +
           " cannot re-plan without a lost device "
           "(node " +
           std::to_string(node) + "); strategies that can: collapipe and its " +
           "cluster baselines, plain-fl";
}

std::vector<std::pair<uint64_t, uint64_t>>
Strategy::AttemptAbandoned(uint32_t round,
                           const TaskGraph& graph,
                           const std::vector<bool>& finished)
{
    return {};
}

std::string
Strategy::RemoveFromFleet(uint32_t node)
{
    Fleet fleet = m_fleet;
    std::string problem = fleet.MarkDeparted(node);
    if (problem.empty())
    {
        problem = fleet.Validate();
    }
    if (problem.empty())
    {
        m_fleet = fleet;
    }
    return problem;
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

TaskGraphTimer::ComputeTimeCallback
Strategy::GetComputeTime() const
{
    std::shared_ptr<const std::vector<DeviceProfile>> profiles = m_profiles;
    if (!profiles)
    {
        profiles = std::make_shared<const std::vector<DeviceProfile>>(GetFleet().GetProfiles());
    }
    Ptr<const ComputeModel> compute = GetComputeModel();
    if (!compute)
    {
        compute = CreateObject<AnalyticComputeModel>();
    }
    return [profiles, compute](const ComputeTask& task) {
        const DeviceProfile& profile = (*profiles)[task.device];
        return task.kernels
                   ? compute->GetWorkTime(profile, task.dtype, *task.kernels)
                   : compute->GetComputeTime(profile, task.dtype, task.flops, task.memoryBytes);
    };
}

double
Strategy::TimeWithFlowRates(NetworkState& network, const TaskGraph& graph) const
{
    std::map<std::vector<std::pair<uint32_t, uint32_t>>, std::vector<double>> asked;
    TaskGraphTimer timer(GetComputeTime(), TaskGraphTimer::ConstantTransferTime(Time(0)));
    timer.SetFlowRates([&](const std::vector<const TransferTask*>& flows) {
        std::vector<std::pair<uint32_t, uint32_t>> pairs;
        for (const TransferTask* t : flows)
        {
            pairs.emplace_back(t->source, t->destination);
        }
        auto found = asked.find(pairs);
        if (found == asked.end())
        {
            found = asked.emplace(pairs, network.GetFlowRates(pairs)).first;
        }
        return found->second;
    });
    TaskGraphSchedule schedule;
    const std::string problem = timer.Run(graph, schedule);
    NS_ABORT_MSG_IF(!problem.empty(), GetInstanceTypeId().GetName() << ": " << problem);
    return schedule.makespan.GetSeconds();
}

} // namespace edgellm
} // namespace ns3
