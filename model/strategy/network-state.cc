/* SPDX-License-Identifier: GPL-2.0-only */
#include "network-state.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/flow-network-model.h"
#include "ns3/mobility-model.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/ofdma-spectrum-phy.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/spectrum-channel.h"

#include <cmath>

namespace ns3
{
namespace edgellm
{

NetworkState::NetworkState(Ptr<EdgeNetwork> network)
    : m_network(network)
{
    NS_ABORT_MSG_IF(!network, "NetworkState needs a network");
}

NetworkState::~NetworkState() = default;

void
NetworkState::BeginRound()
{
    m_gain.clear();
    m_contention.clear();
    m_goodput.clear();
}

std::string
NetworkState::GetKind() const
{
    return m_network->GetKind();
}

Ptr<const EdgeNetwork>
NetworkState::GetNetwork() const
{
    return m_network;
}

Ptr<OfdmaBsNetDevice>
NetworkState::GetOfdmaBaseStation() const
{
    return m_network->GetOfdmaBaseStation();
}

double
NetworkState::GetUplinkGain(uint32_t node)
{
    auto it = m_gain.find(node);
    if (it != m_gain.end())
    {
        return it->second;
    }
    NS_ABORT_MSG_IF(node >= m_network->GetNodeCount() || m_network->GetAccessServer(node) == node,
                    "node=" << node << " has no uplink to a server");
    Ptr<OfdmaBsNetDevice> bs = m_network->GetOfdmaBaseStation();
    Ptr<PropagationLossModel> loss =
        bs ? bs->GetUplinkPhy()->GetChannel()->GetPropagationLossModel()
           : m_network->GetPropagationLossModel();
    double gain = 1.0; // wired links: no radio channel
    if (loss)
    {
        Ptr<MobilityModel> from = m_network->GetNode(node)->GetObject<MobilityModel>();
        Ptr<MobilityModel> to =
            m_network->GetNode(m_network->GetAccessServer(node))->GetObject<MobilityModel>();
        gain = std::pow(10.0, loss->CalcRxPower(0.0, from, to) / 10.0);
    }
    m_gain[node] = gain;
    return gain;
}

uint32_t
NetworkState::GetCellChannelGroup(uint32_t cell)
{
    return m_network->IsMultiCell() ? GetRateModel().GetCellChannelGroup(cell) : 0;
}

FlowNetworkModel&
NetworkState::GetRateModel()
{
    if (!m_rates)
    {
        double efficiency = 0;
        const std::string problem =
            FlowNetworkModel::LoadCalibration(GetEdgeLlmDataPath("flow-calibration.json"),
                                              efficiency);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        m_rates = CreateObject<FlowNetworkModel>();
        m_rates->SetAttribute("WifiResidualEfficiency", DoubleValue(efficiency));
        // a planning instance: rates by progressive filling (the CSMA backoff emulation is a
        // runtime's, with its own random draws)
        m_rates->SetAttribute("CsmaContention", BooleanValue(false));
        m_rates->SetNetwork(m_network);
    }
    return *m_rates;
}

double
NetworkState::GetWifiGoodput(uint32_t from, uint32_t to, double txPowerW)
{
    NS_ABORT_MSG_IF(m_network->GetKind() != "wifi",
                    "NetworkState::GetWifiGoodput: network kind='" << m_network->GetKind()
                                                                   << "' is not wifi");
    // the receiver's power too: it sends the TCP ACKs (applying a plan changes it)
    const auto key = std::make_tuple(from, to, txPowerW, m_network->GetTxPowerDbm(to));
    auto found = m_goodput.find(key);
    if (found == m_goodput.end())
    {
        found =
            m_goodput
                .emplace(
                    key,
                    GetRateModel().GetWifiGoodputAt(from, to, 10.0 * std::log10(txPowerW * 1000.0)))
                .first;
    }
    return found->second;
}

std::vector<double>
NetworkState::GetOfdmaUplinkGoodputs(uint32_t node, double txPowerW)
{
    Ptr<OfdmaBsNetDevice> bs = GetOfdmaBaseStation();
    NS_ABORT_MSG_IF(!bs,
                    "NetworkState::GetOfdmaUplinkGoodputs: network kind='" << m_network->GetKind()
                                                                           << "' is not ofdma");
    std::vector<double> goodputs(bs->GetResourceBlockCount() + 1, 0.0);
    for (uint32_t rbs = 1; rbs < goodputs.size(); ++rbs)
    {
        goodputs[rbs] = GetRateModel().GetOfdmaGoodputWith(node,
                                                           false,
                                                           rbs,
                                                           10.0 * std::log10(txPowerW * 1000.0));
    }
    return goodputs;
}

double
NetworkState::GetWifiPhyRate(uint32_t from, uint32_t to, double txPowerW)
{
    int mcs;
    double snrDb;
    return GetRateModel().GetWifiPhyRateAt(from,
                                           to,
                                           10.0 * std::log10(txPowerW * 1000.0),
                                           mcs,
                                           snrDb);
}

bool
NetworkState::IsD2dDirect() const
{
    return m_network->GetAdhocPropagationLossModel() != nullptr;
}

double
NetworkState::GetWifiContention(const std::vector<std::pair<uint32_t, uint32_t>>& pairs)
{
    auto found = m_contention.find(pairs);
    if (found == m_contention.end())
    {
        found = m_contention.emplace(pairs, GetRateModel().GetWifiContention(pairs)).first;
    }
    return found->second;
}

std::vector<double>
NetworkState::GetFlowRates(const std::vector<std::pair<uint32_t, uint32_t>>& pairs)
{
    return GetRateModel().GetRates(pairs);
}

double
NetworkState::GetTxPowerW(uint32_t node) const
{
    return std::pow(10.0, (m_network->GetTxPowerDbm(node) - 30.0) / 10.0);
}

std::pair<double, double>
NetworkState::GetTxPowerRangeW(uint32_t node) const
{
    DoubleValue min;
    m_network->GetAttribute("MinTxPowerDbm", min);
    auto watts = [](double dbm) { return std::pow(10.0, (dbm - 30.0) / 10.0); };
    return {watts(min.Get()), watts(m_network->GetMaxTxPowerDbm(node))};
}

} // namespace edgellm
} // namespace ns3
