/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-energy-helper.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/edge-llm-application.h"
#include "ns3/log.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-radio-energy-model.h"

#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEnergyHelper");

namespace
{

/// EdgeLlmApplication "ComputeStarted" sink: the model counts the task as running.
void
OnComputeStarted(Ptr<ComputeEnergyModel> model, uint32_t taskId, Time duration)
{
    model->ComputeStarted();
}

/// EdgeLlmApplication "ComputeFinished" sink: the model counts the task as done.
void
OnComputeFinished(Ptr<ComputeEnergyModel> model, uint32_t taskId, Time duration)
{
    model->ComputeFinished();
}

/**
 * \param network the network
 * \param node an ns-3 node
 * \return its index in \p network, or the node count when it is not one of its nodes
 */
uint32_t
FindNodeIndex(Ptr<EdgeNetwork> network, Ptr<Node> node)
{
    for (uint32_t i = 0; i < network->GetNodeCount(); ++i)
    {
        if (network->GetNode(i) == node)
        {
            return i;
        }
    }
    return network->GetNodeCount();
}

} // namespace

EdgeLlmEnergyHelper::EdgeLlmEnergyHelper()
    : m_installed(false)
{
    // Large enough that no run depletes it: the figures then are pure consumption.
    m_sourceHelper.Set("BasicEnergySourceInitialEnergyJ", DoubleValue(1e9));
    m_radioCurrents.SetTypeId("ns3::WifiRadioEnergyModel");
}

void
EdgeLlmEnergyHelper::SetSourceAttribute(const std::string& name, const AttributeValue& value)
{
    m_sourceHelper.Set(name, value);
}

void
EdgeLlmEnergyHelper::SetRadioAttribute(const std::string& name, const AttributeValue& value)
{
    m_radioCurrents.Set(name, value);
}

std::string
EdgeLlmEnergyHelper::CheckInstall(Ptr<EdgeNetwork> network,
                                  const ApplicationContainer& apps,
                                  const std::vector<DeviceProfile>& profiles)
{
    std::ostringstream os;
    if (!network)
    {
        return "network is null: give the EdgeNetwork that EdgeNetworkHelper::Install returned";
    }
    const uint32_t nodeCount = network->GetNodeCount();
    if (profiles.size() != nodeCount)
    {
        os << "profiles has " << profiles.size() << " entries for " << nodeCount
           << " nodes; give one per node (the devices in order, then the server)";
        return os.str();
    }
    if (apps.GetN() != nodeCount)
    {
        os << "apps has " << apps.GetN() << " applications for " << nodeCount
           << " nodes; give the ApplicationContainer EdgeLlmRuntimeHelper::Install returned";
        return os.str();
    }
    std::set<uint32_t> seen;
    for (uint32_t a = 0; a < apps.GetN(); ++a)
    {
        Ptr<EdgeLlmApplication> app = DynamicCast<EdgeLlmApplication>(apps.Get(a));
        if (!app)
        {
            os << "apps[" << a << "] is not an EdgeLlmApplication";
            return os.str();
        }
        const uint32_t node = FindNodeIndex(network, app->GetNode());
        if (node == nodeCount)
        {
            os << "apps[" << a << "] is installed on a node that is not part of the network";
            return os.str();
        }
        if (!seen.insert(node).second)
        {
            os << "node " << node << " has more than one EdgeLlmApplication in apps; give one "
               << "per node";
            return os.str();
        }
    }
    for (uint32_t i = 0; i < nodeCount; ++i)
    {
        const DeviceProfile& profile = profiles[i];
        for (const auto& [name, watts] :
             {std::make_pair(std::string("busyPower"), profile.GetBusyPower()),
              std::make_pair(std::string("idlePower"), profile.GetIdlePower())})
        {
            const std::string problem = ComputeEnergyModel::CheckPower(name, watts);
            if (!problem.empty())
            {
                os << "profile of node " << i << " ('" << profile.GetName() << "'): " << problem;
                return os.str();
            }
        }
    }
    return "";
}

EnergySourceContainer
EdgeLlmEnergyHelper::Install(Ptr<EdgeNetwork> network,
                             ApplicationContainer apps,
                             const std::vector<DeviceProfile>& profiles)
{
    NS_LOG_FUNCTION(this << network);
    NS_ABORT_MSG_IF(m_installed,
                    "EdgeLlmEnergyHelper::Install: already installed; use one helper per run");
    const std::string problem = CheckInstall(network, apps, profiles);
    NS_ABORT_MSG_IF(!problem.empty(), "EdgeLlmEnergyHelper::Install: " << problem);

    const uint32_t nodeCount = network->GetNodeCount();
    std::vector<Ptr<EdgeLlmApplication>> appOfNode(nodeCount);
    for (uint32_t a = 0; a < apps.GetN(); ++a)
    {
        Ptr<EdgeLlmApplication> app = DynamicCast<EdgeLlmApplication>(apps.Get(a));
        appOfNode[FindNodeIndex(network, app->GetNode())] = app;
    }

    const bool wifi = network->GetKind() == "wifi";
    EnergySourceContainer sources;
    m_sources.assign(nodeCount, nullptr);
    m_computeModels.assign(nodeCount, nullptr);
    m_radioModels.assign(nodeCount, DeviceEnergyModelContainer());
    for (uint32_t i = 0; i < nodeCount; ++i)
    {
        Ptr<Node> node = network->GetNode(i);
        // The helper also aggregates an EnergySourceContainer to the node, as ns-3 tools expect.
        Ptr<BasicEnergySource> source =
            DynamicCast<BasicEnergySource>(m_sourceHelper.Install(node).Get(0));
        sources.Add(source);
        m_sources[i] = source;

        Ptr<ComputeEnergyModel> compute = CreateObject<ComputeEnergyModel>();
        compute->SetBusyPowerW(profiles[i].GetBusyPower());
        compute->SetIdlePowerW(profiles[i].GetIdlePower());
        compute->SetNode(node);
        compute->SetEnergySource(source);
        source->AppendDeviceEnergyModel(compute);
        appOfNode[i]->TraceConnectWithoutContext("ComputeStarted",
                                                 MakeBoundCallback(&OnComputeStarted, compute));
        appOfNode[i]->TraceConnectWithoutContext("ComputeFinished",
                                                 MakeBoundCallback(&OnComputeFinished, compute));
        m_computeModels[i] = compute;

        if (wifi)
        {
            NetDeviceContainer devices = network->GetNetDevices(i);
            for (uint32_t d = 0; d < devices.GetN(); ++d)
            {
                if (DynamicCast<WifiNetDevice>(devices.Get(d)))
                {
                    Ptr<WifiRadioEnergyMeter> meter = CreateObject<WifiRadioEnergyMeter>();
                    meter->SetCurrentsFrom(m_radioCurrents.Create<WifiRadioEnergyModel>());
                    meter->SetEnergySource(source);
                    meter->Attach(DynamicCast<WifiNetDevice>(devices.Get(d))->GetPhy());
                    source->AppendDeviceEnergyModel(meter);
                    m_radioModels[i].Add(meter);
                }
            }
        }
        NS_LOG_INFO("node " << i << ": compute " << profiles[i].GetBusyPower() << " W busy, "
                            << profiles[i].GetIdlePower() << " W idle; " << m_radioModels[i].GetN()
                            << " radio energy model(s)");
    }
    m_installed = true;
    return sources;
}

uint32_t
EdgeLlmEnergyHelper::GetNodeCount() const
{
    return m_installed ? m_sources.size() : 0;
}

std::string
EdgeLlmEnergyHelper::CheckNode(uint32_t node) const
{
    if (!m_installed)
    {
        return "EdgeLlmEnergyHelper: nothing installed yet; call Install first";
    }
    if (node >= m_sources.size())
    {
        std::ostringstream os;
        os << "node=" << node << " is invalid: must be below the node count " << m_sources.size();
        return os.str();
    }
    return "";
}

void
EdgeLlmEnergyHelper::RequireNode(uint32_t node) const
{
    const std::string problem = CheckNode(node);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
}

bool
EdgeLlmEnergyHelper::HasRadioEnergy(uint32_t node) const
{
    RequireNode(node);
    return m_radioModels[node].GetN() > 0;
}

double
EdgeLlmEnergyHelper::GetComputeEnergyJ(uint32_t node) const
{
    RequireNode(node);
    return m_computeModels[node]->GetTotalEnergyConsumption();
}

double
EdgeLlmEnergyHelper::GetRadioEnergyJ(uint32_t node) const
{
    RequireNode(node);
    double joules = 0.0;
    for (auto it = m_radioModels[node].Begin(); it != m_radioModels[node].End(); ++it)
    {
        joules += (*it)->GetTotalEnergyConsumption();
    }
    return joules;
}

double
EdgeLlmEnergyHelper::GetTotalEnergyJ(uint32_t node) const
{
    return GetComputeEnergyJ(node) + GetRadioEnergyJ(node);
}

Ptr<BasicEnergySource>
EdgeLlmEnergyHelper::GetEnergySource(uint32_t node) const
{
    RequireNode(node);
    return m_sources[node];
}

Ptr<ComputeEnergyModel>
EdgeLlmEnergyHelper::GetComputeEnergyModel(uint32_t node) const
{
    RequireNode(node);
    return m_computeModels[node];
}

DeviceEnergyModelContainer
EdgeLlmEnergyHelper::GetRadioEnergyModels(uint32_t node) const
{
    RequireNode(node);
    return m_radioModels[node];
}

} // namespace edgellm
} // namespace ns3
