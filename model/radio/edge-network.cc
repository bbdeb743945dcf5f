/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-network.h"

#include "ofdma-bs-net-device.h"
#include "ofdma-ue-net-device.h"
#include "propagation-loss-chain.h"

#include "ns3/ap-wifi-mac.h"
#include "ns3/arp-cache.h"
#include "ns3/channel-condition-model.h"
#include "ns3/csma-net-device.h"
#include "ns3/double.h"
#include "ns3/epc-helper.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/lte-enb-net-device.h"
#include "ns3/lte-enb-phy.h"
#include "ns3/lte-helper.h"
#include "ns3/lte-ue-net-device.h"
#include "ns3/lte-ue-phy.h"
#include "ns3/lte-ue-power-control.h"
#include "ns3/mobility-model.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/qos-txop.h"
#include "ns3/simulator.h"
#include "ns3/sta-wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"
#include "ns3/yans-wifi-channel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEdgeNetwork");

namespace
{
/// how long after a UE's NAS is active its device counts as ready (LteNasStateChanged)
const Time LTE_BEARER_SETTLE = MilliSeconds(10);
} // namespace

NS_OBJECT_ENSURE_REGISTERED(EdgeNetwork);

namespace
{
/** EtherType of the warm-up frames: IEEE 802 Local Experimental EtherType 1. */
constexpr uint16_t WARM_UP_PROTOCOL = 0x88B5;
/** Payload of a warm-up frame, bytes. */
constexpr uint32_t WARM_UP_BYTES = 1;
/** How long to wait for warm-up frames before going on without them. */
const Time WARM_UP_TIMEOUT = MilliSeconds(100);
} // namespace

TypeId
EdgeNetwork::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::EdgeNetwork")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<EdgeNetwork>()
            .AddAttribute("MaxTxPowerDbm",
                          "Highest transmit power SetTxPowerDbm accepts, in dBm, for nodes "
                          "without their own maximum (SetMaxTxPowerDbm). 30 dBm is the FCC "
                          "conducted limit in the 5 GHz U-NII-1 band.",
                          DoubleValue(30.0),
                          MakeDoubleAccessor(&EdgeNetwork::m_defaultMaxTxPowerDbm),
                          MakeDoubleChecker<double>(-100.0, 60.0))
            .AddAttribute("ReadyTimeout",
                          "Simulated time a run waits for every Wi-Fi station to associate "
                          "(and warm up) before it stops with the stations that did not: a "
                          "device out of range would otherwise keep the run waiting forever.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&EdgeNetwork::m_readyTimeout),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MinTxPowerDbm",
                          "Lowest transmit power SetTxPowerDbm accepts, in dBm.",
                          DoubleValue(-20.0),
                          MakeDoubleAccessor(&EdgeNetwork::m_minTxPowerDbm),
                          MakeDoubleChecker<double>(-100.0, 60.0))
            .AddTraceSource("TxPowerChanged",
                            "The transmit power of a node's radios was changed.",
                            MakeTraceSourceAccessor(&EdgeNetwork::m_txPowerChangedTrace),
                            "ns3::EdgeNetwork::TxPowerChangedCallback")
            .AddTraceSource(
                "Ready",
                "The network is ready: every Wi-Fi station associated and warmed up, every "
                "ad-hoc pair warmed up (fired once).",
                MakeTraceSourceAccessor(&EdgeNetwork::m_readyTrace),
                "ns3::EdgeNetwork::ReadyCallback");
    return tid;
}

EdgeNetwork::EdgeNetwork()
    : m_flowOnly(false),
      m_deviceCount(0),
      m_cellCount(1),
      m_backhaulBitRate(0.0),
      m_defaultMaxTxPowerDbm(30.0),
      m_minTxPowerDbm(-20.0),
      m_errorRate(0.0),
      m_upCount(0),
      m_readyCount(0),
      m_readyFired(false),
      m_populateArp(false),
      m_warmUp(false),
      m_nextAdhocPair(0),
      m_warmUpRunning(false),
      m_warmUpAdhoc(false),
      m_warmUpA(0),
      m_warmUpB(0),
      m_warmUpMissing(0)
{
    NS_LOG_FUNCTION(this);
}

EdgeNetwork::~EdgeNetwork()
{
    NS_LOG_FUNCTION(this);
}

void
EdgeNetwork::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_nodes = NodeContainer();
    m_devices.clear();
    m_linkDevice.clear();
    if (m_linkPrototype)
    {
        // no node lists it, so no node disposes it: its MAC, PHY and channel point back at it
        m_linkPrototype->Dispose();
        m_linkPrototype = nullptr;
    }
    m_infrastructureChannel = nullptr;
    DisposeTimeCorrelatedFading(m_infrastructureLoss);
    m_infrastructureLoss = nullptr;
    m_adhocChannel = nullptr;
    DisposeTimeCorrelatedFading(m_adhocLoss);
    m_adhocLoss = nullptr;
    m_moreWifiChannels.clear();
    for (auto& loss : m_moreWifiLosses)
    {
        DisposeTimeCorrelatedFading(loss);
    }
    m_moreWifiLosses.clear();
    m_lteHelper = nullptr;
    m_epcHelper = nullptr;
    m_lteEnb = nullptr;
    m_lteEnbMobility = nullptr;
    DisposeTimeCorrelatedFading(m_lteDownlinkLoss);
    m_lteDownlinkLoss = nullptr;
    m_conditions.clear();
    m_errorModels.clear();
    m_readyCallbacks.clear();
    m_warmUpTimeout.Cancel();
    Object::DoDispose();
}

std::string
EdgeNetwork::GetKind() const
{
    return m_kind;
}

bool
EdgeNetwork::IsWireless() const
{
    return m_kind == "wifi" || m_kind == "ofdma" || m_kind == "lte";
}

Ptr<LteEnbNetDevice>
EdgeNetwork::GetLteEnb() const
{
    return m_lteEnb;
}

Ptr<PropagationLossModel>
EdgeNetwork::GetLteDownlinkLossModel() const
{
    return m_lteDownlinkLoss;
}

const LteCellParameters&
EdgeNetwork::GetLteCellParameters() const
{
    NS_ABORT_MSG_IF(m_kind != "lte", "EdgeNetwork: network kind='" << m_kind << "' is not lte");
    return m_lteCell;
}

void
EdgeNetwork::SetLteCell(Ptr<LteHelper> lte,
                        Ptr<EpcHelper> epc,
                        Ptr<LteEnbNetDevice> enb,
                        Ptr<MobilityModel> enbMobility,
                        Ptr<PropagationLossModel> uplinkLoss,
                        Ptr<PropagationLossModel> downlinkLoss,
                        const LteCellParameters& parameters)
{
    NS_LOG_FUNCTION(this << lte << enb);
    m_lteHelper = lte;
    m_epcHelper = epc;
    m_lteEnb = enb;
    m_lteEnbMobility = enbMobility;
    m_infrastructureLoss = uplinkLoss;
    m_lteDownlinkLoss = downlinkLoss;
    m_lteCell = parameters;
    for (uint32_t node = 0; node < m_deviceCount; ++node)
    {
        for (uint32_t i = 0; i < m_devices[node].GetN(); ++i)
        {
            if (auto ue = DynamicCast<LteUeNetDevice>(m_devices[node].Get(i)))
            {
                ue->GetNas()->TraceConnectWithoutContext(
                    "StateTransition",
                    MakeCallback(&EdgeNetwork::LteNasStateChanged, this).Bind(node));
            }
        }
    }
}

void
EdgeNetwork::LteNasStateChanged(uint32_t node, EpcUeNas::State from, EpcUeNas::State to)
{
    NS_LOG_FUNCTION(this << node << from << to);
    if (to == EpcUeNas::ACTIVE && m_state[node] != READY)
    {
        m_state[node] = UP; // StationReady counts UP -> READY
        // The NAS is active when the UE has its bearer; the serving gateway learns the eNB's
        // tunnel end from S11 messages right after (microseconds later): a packet sent to the
        // device in between is dropped, and a lost SYN costs TCP's 1 s connection timeout.
        Simulator::Schedule(LTE_BEARER_SETTLE, &EdgeNetwork::StationReady, this, node);
    }
    else if (to != EpcUeNas::ACTIVE && m_state[node] == READY)
    {
        m_state[node] = DOWN;
        --m_readyCount;
    }
}

Ptr<MobilityModel>
EdgeNetwork::GetLteEnbMobility() const
{
    return m_lteEnbMobility;
}

Ptr<OfdmaBsNetDevice>
EdgeNetwork::GetOfdmaBaseStation() const
{
    if (m_kind != "ofdma")
    {
        return nullptr;
    }
    const NetDeviceContainer& server = m_devices[GetServerIndex()];
    for (uint32_t i = 0; i < server.GetN(); ++i)
    {
        if (auto bs = DynamicCast<OfdmaBsNetDevice>(server.Get(i)))
        {
            return bs;
        }
    }
    return nullptr;
}

std::string
EdgeNetwork::CheckBandwidthShare(uint32_t node, double share) const
{
    if (m_kind != "ofdma")
    {
        return "SetBandwidthShare is only available on the OFDMA cell: network='" + m_kind +
               "' cannot honor a bandwidth share (allowed: network='ofdma')";
    }
    std::string problem = CheckNodeIndex("node", node);
    if (!problem.empty())
    {
        return problem;
    }
    if (node == GetServerIndex())
    {
        return "node=" + std::to_string(node) +
               " is the server (the base station): bandwidth shares are per device";
    }
    return GetOfdmaBaseStation()->CheckBandwidthShare(node, share);
}

void
EdgeNetwork::SetBandwidthShare(uint32_t node, double share)
{
    NS_LOG_FUNCTION(this << node << share);
    std::string problem = CheckBandwidthShare(node, share);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    GetOfdmaBaseStation()->SetBandwidthShare(node, share);
}

NodeContainer
EdgeNetwork::GetNodes() const
{
    return m_nodes;
}

uint32_t
EdgeNetwork::GetDeviceCount() const
{
    return m_deviceCount;
}

uint32_t
EdgeNetwork::GetNodeCount() const
{
    return m_nodes.GetN();
}

uint32_t
EdgeNetwork::GetServerIndex() const
{
    return m_nodes.GetN() - 1;
}

uint32_t
EdgeNetwork::GetCellCount() const
{
    return m_cellCount;
}

bool
EdgeNetwork::IsMultiCell() const
{
    return m_cellCount > 1;
}

uint32_t
EdgeNetwork::GetCellServerIndex(uint32_t cell) const
{
    NS_ABORT_MSG_IF(cell >= m_cellCount,
                    "cell=" << cell << " is not a cell of this network; allowed: 0.."
                            << m_cellCount - 1);
    return m_cellCount > 1 ? m_deviceCount + cell : GetServerIndex();
}

uint32_t
EdgeNetwork::GetCellOf(uint32_t node) const
{
    const std::string problem = CheckNodeIndex("node", node);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    return m_cellOf[node];
}

uint32_t
EdgeNetwork::GetAccessServer(uint32_t node) const
{
    const uint32_t cell = GetCellOf(node);
    return cell == NO_CELL ? node : GetCellServerIndex(cell);
}

double
EdgeNetwork::GetBackhaulBitRate() const
{
    return m_backhaulBitRate;
}

Time
EdgeNetwork::GetBackhaulDelay() const
{
    return m_backhaulDelay;
}

void
EdgeNetwork::SetNodeConnected(uint32_t node, bool connected)
{
    if (m_flowOnly)
    {
        // no IP interfaces: the flow model cuts the node off (FlowNetworkModel::SetNodeConnected)
        return;
    }
    Ptr<Ipv4L3Protocol> ipv4 = GetNode(node)->GetObject<Ipv4L3Protocol>();
    NS_ABORT_MSG_IF(!ipv4, "EdgeNetwork::SetNodeConnected: node " << node << " has no IPv4");
    // interface 0 is the loopback
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); ++i)
    {
        if (connected)
        {
            ipv4->GetInterface(i)->SetUp();
        }
        else
        {
            ipv4->GetInterface(i)->SetDown();
        }
    }
}

std::string
EdgeNetwork::CheckNodeIndex(const std::string& parameter, uint32_t node) const
{
    if (m_nodes.GetN() == 0)
    {
        return "the network has no nodes yet: build it with EdgeNetworkHelper::Install";
    }
    if (node >= m_nodes.GetN())
    {
        std::ostringstream os;
        os << parameter << "=" << node << " is not a node of this network; allowed: 0.."
           << m_nodes.GetN() - 1 << " (devices 0.." << m_deviceCount - 1;
        if (m_cellCount > 1)
        {
            os << ", cell servers " << m_deviceCount << ".." << m_deviceCount + m_cellCount - 1;
        }
        os << ", server " << GetServerIndex() << ")";
        return os.str();
    }
    return "";
}

Ptr<Node>
EdgeNetwork::GetNode(uint32_t node) const
{
    std::string problem = CheckNodeIndex("node", node);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return m_nodes.Get(node);
}

std::string
EdgeNetwork::CheckPeer(uint32_t from, uint32_t to) const
{
    std::string problem = CheckNodeIndex("from", from);
    if (problem.empty())
    {
        problem = CheckNodeIndex("to", to);
    }
    if (problem.empty() && from == to)
    {
        std::ostringstream os;
        os << "from=" << from << " and to=" << to
           << " are the same node: a node has no peer address to itself";
        problem = os.str();
    }
    return problem;
}

Ipv4Address
EdgeNetwork::GetPeerAddress(uint32_t from, uint32_t to) const
{
    std::string problem = CheckPeer(from, to);
    if (problem.empty() && m_flowOnly)
    {
        problem = "GetPeerAddress: the network was built for the flow level only, without "
                  "packet devices or addresses (use fidelity='packet' for sockets)";
    }
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    NS_ABORT_MSG_IF(m_peerAddress.empty(), "EdgeNetwork: no route was recorded");
    return m_peerAddress[from][to];
}

Ptr<NetDevice>
EdgeNetwork::GetLinkDevice(uint32_t from, uint32_t to) const
{
    std::string problem = CheckPeer(from, to);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    if (m_flowOnly)
    {
        return m_linkPrototype;
    }
    NS_ABORT_MSG_IF(m_linkDevice.empty(), "EdgeNetwork: no route was recorded");
    return m_linkDevice[from][to];
}

std::vector<Ipv4Address>
EdgeNetwork::GetAddresses(uint32_t node) const
{
    std::string problem = CheckNodeIndex("node", node);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return m_addresses[node];
}

bool
EdgeNetwork::LookupNode(Ipv4Address address, uint32_t& node) const
{
    auto found = m_addressToNode.find(address.Get());
    if (found == m_addressToNode.end())
    {
        return false;
    }
    node = found->second;
    return true;
}

NetDeviceContainer
EdgeNetwork::GetNetDevices(uint32_t node) const
{
    std::string problem = CheckNodeIndex("node", node);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return m_devices[node];
}

double
EdgeNetwork::GetMaxTxPowerDbm(uint32_t node) const
{
    std::string problem = CheckNodeIndex("node", node);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return std::isnan(m_maxTxPowerDbm[node]) ? m_defaultMaxTxPowerDbm : m_maxTxPowerDbm[node];
}

void
EdgeNetwork::SetMaxTxPowerDbm(uint32_t node, double dbm)
{
    NS_LOG_FUNCTION(this << node << dbm);
    std::string problem = CheckNodeIndex("node", node);
    if (problem.empty() && (!std::isfinite(dbm) || dbm < m_minTxPowerDbm))
    {
        std::ostringstream os;
        os << "max-tx-power=" << dbm << " dBm is invalid for node " << node
           << ": must be a finite number of dBm, at least MinTxPowerDbm=" << m_minTxPowerDbm;
        problem = os.str();
    }
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_maxTxPowerDbm[node] = dbm;
}

std::string
EdgeNetwork::CheckTxPowerDbm(uint32_t node, double dbm) const
{
    if (!IsWireless())
    {
        return "SetTxPowerDbm is only available on radio networks: network='" + m_kind +
               "' has no radio (allowed: network='wifi', 'ofdma' or 'lte')";
    }
    std::string problem = CheckNodeIndex("node", node);
    if (!problem.empty())
    {
        return problem;
    }
    if (m_kind == "lte" && node == GetServerIndex() && dbm != GetTxPowerDbm(node))
    {
        std::ostringstream os;
        os << "tx-power=" << dbm << " dBm for the server: on network='lte' the eNB keeps the "
           << GetTxPowerDbm(node)
           << " dBm it was installed with (SIB2 carries it to the UEs' path loss estimate)";
        return os.str();
    }
    double max = GetMaxTxPowerDbm(node);
    if (!std::isfinite(dbm) || dbm < m_minTxPowerDbm || dbm > max)
    {
        std::ostringstream os;
        os << "tx-power=" << dbm << " dBm is out of range for node " << node
           << "; allowed: " << m_minTxPowerDbm << " to " << max << " dBm";
        return os.str();
    }
    return "";
}

void
EdgeNetwork::SetTxPowerDbm(uint32_t node, double dbm)
{
    NS_LOG_FUNCTION(this << node << dbm);
    std::string problem = CheckTxPowerDbm(node, dbm);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    if (m_flowOnly)
    {
        m_flowTxPowerDbm[node] = dbm;
    }
    for (uint32_t i = 0; i < m_devices[node].GetN(); ++i)
    {
        Ptr<WifiNetDevice> wifi = DynamicCast<WifiNetDevice>(m_devices[node].Get(i));
        if (wifi)
        {
            // One power level (TxPowerLevels = 1): WifiPhy sends every frame at TxPowerStart,
            // and requires TxPowerEnd == TxPowerStart in that case.
            wifi->GetPhy()->SetTxPowerStart(dbm);
            wifi->GetPhy()->SetTxPowerEnd(dbm);
        }
        if (auto ue = DynamicCast<OfdmaUeNetDevice>(m_devices[node].Get(i)))
        {
            ue->SetTxPowerDbm(dbm);
        }
        if (auto bs = DynamicCast<OfdmaBsNetDevice>(m_devices[node].Get(i)))
        {
            bs->SetAttribute("TxPowerDbm", DoubleValue(dbm));
        }
        if (auto ue = DynamicCast<LteUeNetDevice>(m_devices[node].Get(i)))
        {
            // TS 36.213 power control decides the power; the decision caps it (P_CMAX)
            ue->GetPhy()->GetUplinkPowerControl()->SetPcmax(dbm);
        }
    }
    m_txPowerChangedTrace(node, dbm);
}

double
EdgeNetwork::GetTxPowerDbm(uint32_t node) const
{
    std::string problem;
    if (!IsWireless())
    {
        problem = "GetTxPowerDbm is only available on radio networks: network='" + m_kind +
                  "' has no radio (allowed: network='wifi', 'ofdma' or 'lte')";
    }
    else
    {
        problem = CheckNodeIndex("node", node);
    }
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    if (m_flowOnly)
    {
        return m_flowTxPowerDbm[node];
    }
    if (m_lteEnb && node == GetServerIndex())
    {
        return m_lteEnb->GetPhy()->GetTxPower();
    }
    for (uint32_t i = 0; i < m_devices[node].GetN(); ++i)
    {
        Ptr<WifiNetDevice> wifi = DynamicCast<WifiNetDevice>(m_devices[node].Get(i));
        if (wifi)
        {
            return wifi->GetPhy()->GetTxPowerStart();
        }
        if (auto ue = DynamicCast<OfdmaUeNetDevice>(m_devices[node].Get(i)))
        {
            return ue->GetTxPowerDbm();
        }
        if (auto bs = DynamicCast<OfdmaBsNetDevice>(m_devices[node].Get(i)))
        {
            DoubleValue dbm;
            bs->GetAttribute("TxPowerDbm", dbm);
            return dbm.Get();
        }
        if (auto ue = DynamicCast<LteUeNetDevice>(m_devices[node].Get(i)))
        {
            // the cap; the power itself follows TS 36.213 per transmission
            return ue->GetPhy()->GetUplinkPowerControl()->GetPcmax();
        }
    }
    NS_FATAL_ERROR("node " << node << " has no radio device");
    return 0.0;
}

std::string
EdgeNetwork::CheckErrorRate(double rate) const
{
    if (IsWireless())
    {
        return "SetErrorRate is only available on wired networks: on network='" + m_kind +
               "' losses come from the radio channel (allowed: network='csma' or 'p2p')";
    }
    if (!std::isfinite(rate) || rate < 0.0 || rate >= 1.0)
    {
        std::ostringstream os;
        os << "error-rate=" << rate << " is invalid: must be a probability in [0, 1)";
        return os.str();
    }
    return "";
}

void
EdgeNetwork::SetErrorRate(double rate)
{
    NS_LOG_FUNCTION(this << rate);
    std::string problem = CheckErrorRate(rate);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_errorRate = rate;
    for (auto& model : m_errorModels)
    {
        model->SetRate(rate);
        // A disabled model draws no random number: rate 0 costs nothing.
        if (rate > 0.0)
        {
            model->Enable();
        }
        else
        {
            model->Disable();
        }
    }
}

double
EdgeNetwork::GetErrorRate() const
{
    return m_errorRate;
}

Ptr<PropagationLossModel>
EdgeNetwork::GetPropagationLossModel() const
{
    return m_infrastructureLoss;
}

Ptr<PropagationLossModel>
EdgeNetwork::GetAdhocPropagationLossModel() const
{
    return m_adhocLoss;
}

bool
EdgeNetwork::IsReady() const
{
    if (m_flowOnly)
    {
        return true; // nothing to associate or attach
    }
    // Wi-Fi has an association (and a Block Ack warm-up) to wait for, LTE an attach
    if (m_kind == "lte")
    {
        return m_readyCount == m_deviceCount;
    }
    return m_kind != "wifi" || (m_readyCount == m_deviceCount && !m_warmUpRunning &&
                                m_nextAdhocPair == m_adhocPairs.size());
}

void
EdgeNetwork::NotifyWhenReady(Callback<void> callback)
{
    if (IsReady())
    {
        Simulator::ScheduleNow([callback]() { callback(); });
    }
    else
    {
        m_readyCallbacks.push_back(callback);
        if (!m_readyCheck.IsRunning())
        {
            m_readyCheck =
                Simulator::Schedule(m_readyTimeout, &EdgeNetwork::CheckReadyTimeout, this);
        }
    }
}

void
EdgeNetwork::CheckReadyTimeout()
{
    if (IsReady() || m_readyCallbacks.empty())
    {
        return;
    }
    std::ostringstream os;
    const bool lte = m_kind == "lte";
    os << "the " << (lte ? "LTE" : "Wi-Fi") << " network is not ready after "
       << m_readyTimeout.As(Time::S) << " (EdgeNetwork::ReadyTimeout):";
    for (uint32_t node = 0; node < m_deviceCount; ++node)
    {
        if (m_state[node] == READY)
        {
            continue;
        }
        Ptr<MobilityModel> ap =
            (lte ? m_nodes.Get(GetServerIndex()) : m_nodes.Get(GetAccessServer(node)))
                ->GetObject<MobilityModel>();
        os << " device " << node << " "
           << (lte ? "never attached"
                   : (m_state[node] == DOWN ? "never associated" : "did not finish its warm-up"));
        Ptr<MobilityModel> here = m_nodes.Get(node)->GetObject<MobilityModel>();
        if (ap && here)
        {
            os << " (" << here->GetDistanceFrom(ap) << " m from the "
               << (lte ? "eNB" : "access point") << ")";
        }
        os << ";";
    }
    os << " move the devices closer, raise their power or use fading";
    NS_FATAL_ERROR(os.str());
}

int64_t
EdgeNetwork::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    int64_t current = stream;
    for (const auto& devices : m_devices)
    {
        for (uint32_t i = 0; i < devices.GetN(); ++i)
        {
            if (auto bs = DynamicCast<OfdmaBsNetDevice>(devices.Get(i)))
            {
                // the cell's own draws: BLER, fading, shadowing, channel conditions
                current += bs->AssignStreams(current);
                continue;
            }
            if (auto csma = DynamicCast<CsmaNetDevice>(devices.Get(i)))
            {
                // its backoff draws: otherwise they depend on what ran before in the process
                current += csma->AssignStreams(current);
                continue;
            }
            Ptr<WifiNetDevice> wifi = DynamicCast<WifiNetDevice>(devices.Get(i));
            if (!wifi)
            {
                continue;
            }
            // The same order as WifiHelper::AssignStreams: PHY, rate control, MAC.
            current += wifi->GetPhy()->AssignStreams(current);
            current += wifi->GetRemoteStationManager()->AssignStreams(current);
            Ptr<WifiMac> mac = wifi->GetMac();
            for (const auto& name : {"VO_Txop", "VI_Txop", "BE_Txop", "BK_Txop"})
            {
                PointerValue ptr;
                mac->GetAttribute(name, ptr);
                current += ptr.Get<QosTxop>()->AssignStreams(current);
            }
            if (auto ap = DynamicCast<ApWifiMac>(mac))
            {
                current += ap->AssignStreams(current);
            }
            if (auto sta = DynamicCast<StaWifiMac>(mac))
            {
                current += sta->AssignStreams(current);
            }
        }
    }
    if (m_lteHelper)
    {
        // the cell's PHYs and MACs and the EPC, in LteHelper's order
        NetDeviceContainer lte(m_lteEnb);
        for (uint32_t node = 0; node < m_deviceCount; ++node)
        {
            lte.Add(m_devices[node]);
        }
        current += m_lteHelper->AssignStreams(lte, current);
    }
    if (m_kind == "lte")
    {
        current += m_infrastructureLoss->AssignStreams(current);
        current += m_lteDownlinkLoss->AssignStreams(current);
    }
    // The channels assign their loss chains (path loss, then fading).
    if (m_infrastructureChannel)
    {
        current += m_infrastructureChannel->AssignStreams(current);
    }
    if (m_adhocChannel)
    {
        current += m_adhocChannel->AssignStreams(current);
    }
    for (auto& channel : m_moreWifiChannels)
    {
        current += channel->AssignStreams(current);
    }
    for (auto& condition : m_conditions)
    {
        current += condition->AssignStreams(current);
    }
    for (uint32_t i = 0; i < m_nodes.GetN(); ++i)
    {
        Ptr<MobilityModel> mobility = m_nodes.Get(i)->GetObject<MobilityModel>();
        if (mobility)
        {
            current += mobility->AssignStreams(current);
        }
    }
    for (auto& model : m_errorModels)
    {
        current += model->AssignStreams(current);
    }
    return current - stream;
}

void
EdgeNetwork::SetNodes(const std::string& kind, const NodeContainer& devices, Ptr<Node> server)
{
    NS_LOG_FUNCTION(this << kind << devices.GetN() << server);
    m_kind = kind;
    m_deviceCount = devices.GetN();
    m_nodes = NodeContainer(devices, NodeContainer(server));
    uint32_t n = m_nodes.GetN();
    m_devices.assign(n, NetDeviceContainer());
    m_addresses.assign(n, std::vector<Ipv4Address>());
    m_addressToNode.clear();
    // the per-pair tables are sized by the first SetRoute: a flow-only network has none
    m_peerAddress.clear();
    m_linkDevice.clear();
    m_maxTxPowerDbm.assign(n, std::numeric_limits<double>::quiet_NaN());
    m_state.assign(m_deviceCount, DOWN);
    m_pending.assign(m_deviceCount, false);
    m_upCount = 0;
    m_readyCount = 0;
    m_cellCount = 1;
    m_cellChannel.assign(1, 0);
    m_cellOf.assign(n, 0);
    m_backhaulBitRate = 0.0;
    m_backhaulDelay = Time(0);
}

void
EdgeNetwork::SetCells(const std::vector<uint32_t>& deviceCells,
                      const NodeContainer& cellServers,
                      double backhaulBitRate,
                      Time backhaulDelay,
                      const std::vector<uint32_t>& channels)
{
    NS_LOG_FUNCTION(this << cellServers.GetN() << backhaulBitRate << backhaulDelay);
    const uint32_t cells = cellServers.GetN();
    NS_ABORT_MSG_IF(m_nodes.GetN() != m_deviceCount + 1 || m_flowOnly || !m_peerAddress.empty(),
                    "EdgeNetwork::SetCells: call it once, after SetNodes, before the radios");
    NS_ABORT_MSG_IF(cells < 2, "EdgeNetwork::SetCells: cells=" << cells << " needs at least 2");
    NS_ABORT_MSG_IF(channels.size() != cells,
                    "EdgeNetwork::SetCells: " << channels.size() << " channels for " << cells
                                              << " cells");
    NS_ABORT_MSG_IF(deviceCells.size() != m_deviceCount,
                    "EdgeNetwork::SetCells: " << deviceCells.size() << " device cells for "
                                              << m_deviceCount << " devices");
    NS_ABORT_MSG_IF(!(backhaulBitRate > 0) || backhaulDelay.IsStrictlyNegative(),
                    "EdgeNetwork::SetCells: backhaul rate " << backhaulBitRate << " bit/s, delay "
                                                            << backhaulDelay
                                                            << " are invalid: need a rate > 0 "
                                                               "and a delay >= 0");
    Ptr<Node> server = m_nodes.Get(m_deviceCount);
    NodeContainer devices;
    for (uint32_t i = 0; i < m_deviceCount; ++i)
    {
        devices.Add(m_nodes.Get(i));
    }
    m_nodes = NodeContainer(devices, cellServers, NodeContainer(server));
    const uint32_t n = m_nodes.GetN();
    m_devices.assign(n, NetDeviceContainer());
    m_addresses.assign(n, std::vector<Ipv4Address>());
    m_maxTxPowerDbm.assign(n, std::numeric_limits<double>::quiet_NaN());
    m_cellCount = cells;
    m_cellOf.assign(n, NO_CELL);
    for (uint32_t i = 0; i < m_deviceCount; ++i)
    {
        NS_ABORT_MSG_IF(deviceCells[i] >= cells,
                        "EdgeNetwork::SetCells: device " << i << " is in cell " << deviceCells[i]
                                                         << "; allowed: 0.." << cells - 1);
        m_cellOf[i] = deviceCells[i];
    }
    for (uint32_t c = 0; c < cells; ++c)
    {
        m_cellOf[m_deviceCount + c] = c;
    }
    m_backhaulBitRate = backhaulBitRate;
    m_backhaulDelay = backhaulDelay;
    m_cellChannel = channels;
}

void
EdgeNetwork::AddWifiChannel(Ptr<YansWifiChannel> channel, Ptr<PropagationLossModel> loss)
{
    NS_ABORT_MSG_IF(!channel || !loss, "EdgeNetwork::AddWifiChannel: null channel or loss");
    m_moreWifiChannels.push_back(channel);
    m_moreWifiLosses.push_back(loss);
}

uint32_t
EdgeNetwork::GetCellChannel(uint32_t cell) const
{
    NS_ABORT_MSG_IF(cell >= m_cellCount,
                    "cell=" << cell << " is not a cell of this network; allowed: 0.."
                            << m_cellCount - 1);
    return m_cellCount > 1 ? m_cellChannel[cell] : 0;
}

void
EdgeNetwork::SetFlowOnly(Ptr<NetDevice> prototype, const std::vector<double>& txPowerDbm)
{
    NS_LOG_FUNCTION(this << prototype);
    NS_ABORT_MSG_IF(!prototype && m_kind != "lte",
                    "EdgeNetwork::SetFlowOnly: null prototype device");
    if (Ptr<Node> node = prototype ? prototype->GetNode() : nullptr)
    {
        for (uint32_t i = 0; i < node->GetNDevices(); ++i)
        {
            NS_ABORT_MSG_IF(node->GetDevice(i) == prototype,
                            "EdgeNetwork::SetFlowOnly: the prototype device must be on no "
                            "node's list of devices (it would start with the node)");
        }
    }
    NS_ABORT_MSG_IF(IsWireless() ? txPowerDbm.size() != m_nodes.GetN() : !txPowerDbm.empty(),
                    "EdgeNetwork::SetFlowOnly: one transmit power per node on a radio network, "
                    "none on a wired one");
    NS_ABORT_MSG_IF(!m_peerAddress.empty(),
                    "EdgeNetwork::SetFlowOnly: routes were already recorded on this network");
    m_flowOnly = true;
    m_linkPrototype = prototype;
    m_flowTxPowerDbm = txPowerDbm;
    m_state.assign(m_deviceCount, READY);
    m_upCount = m_deviceCount;
    m_readyCount = m_deviceCount;
}

bool
EdgeNetwork::HasPacketDevices() const
{
    return !m_flowOnly;
}

void
EdgeNetwork::AddNetDevice(uint32_t node, Ptr<NetDevice> device, Ipv4Address address)
{
    NS_LOG_FUNCTION(this << node << device << address);
    m_devices.at(node).Add(device);
    m_addresses.at(node).push_back(address);
    m_addressToNode[address.Get()] = node;
}

void
EdgeNetwork::SetRoute(uint32_t from, uint32_t to, Ipv4Address address, Ptr<NetDevice> device)
{
    NS_ABORT_MSG_IF(m_flowOnly, "EdgeNetwork::SetRoute: a flow-only network has no routes");
    if (m_peerAddress.empty())
    {
        const uint32_t n = m_nodes.GetN();
        m_peerAddress.assign(n, std::vector<Ipv4Address>(n, Ipv4Address()));
        m_linkDevice.assign(n, std::vector<Ptr<NetDevice>>(n, nullptr));
    }
    m_peerAddress.at(from).at(to) = address;
    m_linkDevice.at(from).at(to) = device;
}

void
EdgeNetwork::AddOneDevicePerNode(const std::vector<Ptr<NetDevice>>& devices,
                                 const std::vector<Ipv4Address>& addresses)
{
    NS_ABORT_MSG_IF(devices.size() != m_nodes.GetN() || addresses.size() != m_nodes.GetN(),
                    "EdgeNetwork::AddOneDevicePerNode: one device and one address per node");
    for (uint32_t node = 0; node < devices.size(); ++node)
    {
        AddNetDevice(node, devices[node], addresses[node]);
    }
    for (uint32_t from = 0; from < devices.size(); ++from)
    {
        for (uint32_t to = 0; to < devices.size(); ++to)
        {
            if (from != to)
            {
                SetRoute(from, to, addresses[to], devices[from]);
            }
        }
    }
}

void
EdgeNetwork::SetWifiChannels(Ptr<YansWifiChannel> infrastructure,
                             Ptr<PropagationLossModel> infrastructureLoss,
                             Ptr<YansWifiChannel> adhoc,
                             Ptr<PropagationLossModel> adhocLoss)
{
    m_infrastructureChannel = infrastructure;
    m_infrastructureLoss = infrastructureLoss;
    m_adhocChannel = adhoc;
    m_adhocLoss = adhocLoss;
}

void
EdgeNetwork::AddChannelConditionModel(Ptr<ChannelConditionModel> model)
{
    m_conditions.push_back(model);
}

void
EdgeNetwork::AddErrorModel(Ptr<RateErrorModel> model)
{
    m_errorModels.push_back(model);
    model->SetRate(m_errorRate);
    if (m_errorRate > 0.0)
    {
        model->Enable();
    }
    else
    {
        model->Disable();
    }
}

void
EdgeNetwork::WatchAssociation()
{
    NS_LOG_FUNCTION(this);
    m_macToNode.clear();
    for (uint32_t node = 0; node < m_nodes.GetN(); ++node)
    {
        for (uint32_t i = 0; i < m_devices[node].GetN(); ++i)
        {
            Ptr<WifiNetDevice> wifi = DynamicCast<WifiNetDevice>(m_devices[node].Get(i));
            if (!wifi)
            {
                continue;
            }
            m_macToNode[Mac48Address::ConvertFrom(wifi->GetAddress())] = node;
            if (m_warmUp)
            {
                m_nodes.Get(node)->RegisterProtocolHandler(
                    MakeCallback(&EdgeNetwork::WarmUpReceived, this),
                    WARM_UP_PROTOCOL,
                    wifi);
            }
            Ptr<StaWifiMac> sta = DynamicCast<StaWifiMac>(wifi->GetMac());
            if (sta)
            {
                sta->TraceConnectWithoutContext(
                    "Assoc",
                    MakeCallback(&EdgeNetwork::StationAssociated, this).Bind(node));
                sta->TraceConnectWithoutContext(
                    "DeAssoc",
                    MakeCallback(&EdgeNetwork::StationDisassociated, this).Bind(node));
            }
        }
    }
    m_adhocPairs.clear();
    m_nextAdhocPair = 0;
    if (m_warmUp && m_adhocChannel)
    {
        for (uint32_t a = 0; a < m_deviceCount; ++a)
        {
            for (uint32_t b = a + 1; b < m_deviceCount; ++b)
            {
                if (m_cellOf[a] == m_cellOf[b]) // ad-hoc links stay within a cell
                {
                    m_adhocPairs.emplace_back(a, b);
                }
            }
        }
        // The ad-hoc channel needs no association: start at once.
        Simulator::ScheduleNow(&EdgeNetwork::NextWarmUp, this);
    }
}

void
EdgeNetwork::SetWarmUp(bool enable)
{
    m_warmUp = enable;
}

void
EdgeNetwork::SendWarmUp(Ptr<NetDevice> from, Ptr<NetDevice> to)
{
    from->Send(Create<Packet>(WARM_UP_BYTES), to->GetAddress(), WARM_UP_PROTOCOL);
}

void
EdgeNetwork::NextWarmUp()
{
    if (m_warmUpRunning)
    {
        return;
    }
    // Stations first, once all are associated (association frames would contend with the
    // warm-up's), or at once for a station that re-associates later.
    if (!m_warmUpQueue.empty() && (m_upCount == m_deviceCount || m_readyFired))
    {
        uint32_t station = m_warmUpQueue.front();
        m_warmUpQueue.pop_front();
        if (m_state[station] != UP)
        {
            Simulator::ScheduleNow(&EdgeNetwork::NextWarmUp, this);
            return;
        }
        NS_LOG_LOGIC("warm-up of station " << station);
        m_warmUpRunning = true;
        m_warmUpAdhoc = false;
        m_warmUpA = station;
        m_warmUpB = GetAccessServer(station);
        m_warmUpMissing = 2;
        m_warmUpTimeout = Simulator::Schedule(WARM_UP_TIMEOUT, &EdgeNetwork::WarmUpTimedOut, this);
        // The access point answers when the station's frame arrives: by then it counts the
        // station associated (it drops frames to stations it does not).
        SendWarmUp(m_devices[station].Get(0), m_devices[m_warmUpB].Get(0));
        return;
    }
    if (m_nextAdhocPair < m_adhocPairs.size())
    {
        auto pair = m_adhocPairs[m_nextAdhocPair++];
        NS_LOG_LOGIC("ad-hoc warm-up of " << pair.first << " and " << pair.second);
        m_warmUpRunning = true;
        m_warmUpAdhoc = true;
        m_warmUpA = pair.first;
        m_warmUpB = pair.second;
        m_warmUpMissing = 2;
        m_warmUpTimeout = Simulator::Schedule(WARM_UP_TIMEOUT, &EdgeNetwork::WarmUpTimedOut, this);
        SendWarmUp(m_devices[pair.first].Get(1), m_devices[pair.second].Get(1));
        return;
    }
    CheckReady();
}

void
EdgeNetwork::WarmUpTimedOut()
{
    NS_LOG_WARN("warm-up of nodes " << m_warmUpA << " and " << m_warmUpB
                                    << (m_warmUpAdhoc ? " (ad hoc)" : "")
                                    << " did not complete; going on");
    WarmUpDone();
}

void
EdgeNetwork::WarmUpDone()
{
    m_warmUpTimeout.Cancel();
    m_warmUpRunning = false;
    if (!m_warmUpAdhoc && m_state[m_warmUpA] == UP)
    {
        StationReady(m_warmUpA);
    }
    NextWarmUp();
}

void
EdgeNetwork::WarmUpReceived(Ptr<NetDevice> device,
                            Ptr<const Packet> packet,
                            uint16_t protocol,
                            const Address& from,
                            const Address& to,
                            NetDevice::PacketType packetType)
{
    auto receiver = m_macToNode.find(Mac48Address::ConvertFrom(device->GetAddress()));
    auto sender = m_macToNode.find(Mac48Address::ConvertFrom(from));
    if (!m_warmUpRunning || receiver == m_macToNode.end() || sender == m_macToNode.end())
    {
        return;
    }
    NS_LOG_FUNCTION(this << sender->second << receiver->second);
    bool adhoc = device != m_devices[receiver->second].Get(0);
    if (adhoc != m_warmUpAdhoc ||
        !((sender->second == m_warmUpA && receiver->second == m_warmUpB) ||
          (sender->second == m_warmUpB && receiver->second == m_warmUpA)))
    {
        return; // a late frame of an earlier, timed-out warm-up
    }
    if (m_warmUpMissing == 2)
    {
        // First frame in: answer it, so the other direction is set up after this one.
        SendWarmUp(device, m_devices[sender->second].Get(adhoc ? 1 : 0));
    }
    if (--m_warmUpMissing == 0)
    {
        WarmUpDone();
    }
}

void
EdgeNetwork::StationAssociated(uint32_t node, Mac48Address bssid)
{
    NS_LOG_FUNCTION(this << node << bssid);
    // StaWifiMac fires "Assoc" before it marks itself associated and before the link-up
    // callbacks, one of which flushes the ARP cache: go on in a later event, when the
    // station can send.
    m_pending[node] = true;
    Simulator::ScheduleNow(&EdgeNetwork::StationUp, this, node);
}

void
EdgeNetwork::StationUp(uint32_t node)
{
    NS_LOG_FUNCTION(this << node);
    if (!m_pending[node])
    {
        return; // disassociated meanwhile
    }
    m_pending[node] = false;
    if (m_populateArp)
    {
        PopulateArpCache(node);
    }
    if (m_state[node] == DOWN)
    {
        m_state[node] = UP;
        ++m_upCount;
    }
    if (!m_warmUp)
    {
        StationReady(node);
        return;
    }
    m_warmUpQueue.push_back(node);
    NextWarmUp();
}

void
EdgeNetwork::StationReady(uint32_t node)
{
    NS_LOG_FUNCTION(this << node);
    if (m_state[node] == UP)
    {
        m_state[node] = READY;
        ++m_readyCount;
    }
    CheckReady();
}

void
EdgeNetwork::CheckReady()
{
    if (!IsReady())
    {
        return;
    }
    m_readyCheck.Cancel();
    if (!m_readyFired)
    {
        m_readyFired = true;
        NS_LOG_INFO("network ready at " << Simulator::Now().As(Time::MS));
        m_readyTrace();
    }
    // Callbacks registered while a station was (re)associating run now.
    std::vector<Callback<void>> callbacks;
    callbacks.swap(m_readyCallbacks);
    for (auto& callback : callbacks)
    {
        callback();
    }
}

void
EdgeNetwork::StationDisassociated(uint32_t node, Mac48Address bssid)
{
    NS_LOG_FUNCTION(this << node << bssid);
    m_pending[node] = false;
    if (m_state[node] == READY)
    {
        --m_readyCount;
    }
    if (m_state[node] != DOWN)
    {
        --m_upCount;
    }
    m_state[node] = DOWN;
    if (m_warmUpRunning && !m_warmUpAdhoc && m_warmUpA == node)
    {
        WarmUpDone();
    }
}

void
EdgeNetwork::SetPopulateArpCache(bool enable)
{
    m_populateArp = enable;
}

void
EdgeNetwork::PopulateArpCache(uint32_t node)
{
    NS_LOG_FUNCTION(this << node);
    // The node's infrastructure interface learns every other node's infrastructure address,
    // as ns-3's NeighborCacheHelper does (auto-generated entries never expire).
    Ptr<NetDevice> device = m_devices[node].Get(0);
    Ptr<Ipv4L3Protocol> ipv4 = m_nodes.Get(node)->GetObject<Ipv4L3Protocol>();
    int32_t index = ipv4 ? ipv4->GetInterfaceForDevice(device) : -1;
    Ptr<ArpCache> cache = index >= 0 ? ipv4->GetInterface(index)->GetArpCache() : nullptr;
    if (!cache)
    {
        return;
    }
    for (uint32_t other = 0; other < m_nodes.GetN(); ++other)
    {
        // the nodes of its BSS (every node but itself with one cell)
        if (other == node || m_cellOf[other] != m_cellOf[node])
        {
            continue;
        }
        Ipv4Address address = m_addresses[other][0];
        ArpCache::Entry* entry = cache->Lookup(address);
        if (!entry)
        {
            entry = cache->Add(address);
        }
        entry->SetMacAddress(m_devices[other].Get(0)->GetAddress());
        entry->MarkAutoGenerated();
    }
}

} // namespace edgellm
} // namespace ns3
