/* SPDX-License-Identifier: GPL-2.0-only */
#include "flow-network-model.h"

#include "csma-contention-model.h"
#include "edge-network.h"
#include "nr-link-adaptation.h"
#include "nr-numerology.h"
#include "ofdma-bs-net-device.h"
#include "ofdma-channel-monitor.h"
#include "ofdma-shares-scheduler.h"
#include "ofdma-spectrum-phy.h"
#include "ofdma-ue-net-device.h"
#include "wifi-link-model.h"

#include "ns3/boolean.h"
#include "ns3/channel.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/jakes-propagation-loss-model.h"
#include "ns3/log.h"
#include "ns3/lte-enb-net-device.h"
#include "ns3/mobility-model.h"
#include "ns3/nstime.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/simulator.h"
#include "ns3/spectrum-channel.h"
#include "ns3/string.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFlowNetworkModel");
NS_OBJECT_ENSURE_REGISTERED(FlowNetworkModel);

namespace
{
/// TCP maximum segment size set by EdgeNetworkHelper::ConfigureTcpDefaults.
constexpr double MSS = EdgeNetwork::TCP_SEGMENT_BYTES;
/// IPv4 (20) + TCP (20) + timestamp option (12) bytes per segment.
constexpr double TCP_IP_HEADER = 52.0;
/// PPP header of PointToPointNetDevice.
constexpr double PPP_HEADER = 2.0;
/// Ethernet header (14) + FCS (4) on CSMA: ns-3's CsmaNetDevice sends no preamble and its
/// InterframeGap is zero by default, so only these bytes take channel time.
constexpr double ETHERNET_OVERHEAD = 18.0;
/// Segments per delayed ACK (TcpSocket::DelAckCount set by ConfigureTcpDefaults).
constexpr double ACKED_SEGMENTS = 2.0;
/// Resource index of the infrastructure Wi-Fi channel's airtime.
constexpr uint32_t WIFI_INFRA = 0;
/// Resource index of the ad-hoc Wi-Fi channel's airtime.
constexpr uint32_t WIFI_ADHOC = 1;
/// First resource index of the OFDMA cell's per-device uplink slices (then downlink slices).
constexpr uint32_t OFDMA_SLICES = 1000000;
/// Multi-cell Wi-Fi: first resource index of the cells' channels (2 per channel group: the
/// infrastructure channel's airtime, then the ad-hoc channel's).
constexpr uint32_t WIFI_CELL_CHANNELS = 4000000;
/// Multi-cell: first resource index of the backhaul links (2 per cell: towards the
/// aggregation server, then back).
constexpr uint32_t BACKHAUL_LINKS = 5000000;
/// Windows along a CSMA flow's path at which the contention model is evaluated (1: the
/// middle; 2, at 1/4 and 3/4, moved the bench's round by 1 % for twice the emulations).
constexpr uint32_t CSMA_WINDOW_POINTS = 1;
/// Multi-cell: first resource index of the flows' TCP windows (one each, reused cyclically)
constexpr uint32_t WINDOW_RESOURCES = 0x40000000;
/// Multi-cell: how many window resources there are
constexpr uint32_t WINDOW_RESOURCE_COUNT = 0x3fffffff;
/// Data frames the contention model emulates per data frame the flow set carries.
constexpr double CSMA_FRAMES_PER_FRAME = 2.0;

/**
 * The current default of an attribute (Config::SetDefault changes it), as a string.
 * \param type the TypeId name
 * \param attribute the attribute name
 * \return the value, or "" when the type or the attribute does not exist
 */
std::string
AttributeDefault(const std::string& type, const std::string& attribute)
{
    TypeId tid;
    TypeId::AttributeInformation info;
    if (!TypeId::LookupByNameFailSafe(type, &tid) || !tid.LookupAttributeByName(attribute, &info))
    {
        return "";
    }
    return info.initialValue->SerializeToString(info.checker);
}

/**
 * \param type the TypeId name
 * \param attribute the attribute name
 * \param fallback returned when the attribute does not exist
 * \return the attribute's current default as an unsigned integer
 */
uint32_t
UintegerDefault(const std::string& type, const std::string& attribute, uint32_t fallback)
{
    const std::string value = AttributeDefault(type, attribute);
    return value.empty() ? fallback : static_cast<uint32_t>(std::stoul(value));
}

/**
 * \param hops a flow's resources and costs
 * \return the seconds per byte of its busiest resource (hops on one resource add up): what
 *         limits the flow alone
 */
double
GetBusiestCost(const std::vector<FlowNetworkModel::ResourceUse>& hops)
{
    std::map<uint32_t, double> cost;
    double busiest = 0.0;
    for (const auto& hop : hops)
    {
        cost[hop.resource] += hop.cost;
        busiest = std::max(busiest, cost[hop.resource]);
    }
    return busiest;
}

/**
 * Mean received power through a loss chain: a fading model in the chain (Nakagami, or Jakes:
 * both of unit mean power gain) is detached for the call, so no fading is applied and no
 * random number is drawn.
 * \param loss the chain
 * \param txDbm transmit power
 * \param from transmitter
 * \param to receiver
 * \param[out] fading the detached Nakagami model, or null
 * \param[out] jakes the detached Jakes model, or null
 * \return the received power in dBm
 */
double
MeanRxPowerDbm(Ptr<PropagationLossModel> loss,
               double txDbm,
               Ptr<MobilityModel> from,
               Ptr<MobilityModel> to,
               Ptr<NakagamiPropagationLossModel>& fading,
               Ptr<JakesPropagationLossModel>& jakes)
{
    Ptr<PropagationLossModel> beforeFading;
    fading = nullptr;
    jakes = nullptr;
    for (Ptr<PropagationLossModel> at = loss; at; at = at->GetNext())
    {
        fading = DynamicCast<NakagamiPropagationLossModel>(at->GetNext());
        jakes = DynamicCast<JakesPropagationLossModel>(at->GetNext());
        if (fading || jakes)
        {
            beforeFading = at;
            break;
        }
    }
    Ptr<PropagationLossModel> detached = beforeFading ? beforeFading->GetNext() : nullptr;
    if (beforeFading)
    {
        beforeFading->SetNext(nullptr);
    }
    const double rxDbm = loss->CalcRxPower(txDbm, from, to);
    if (beforeFading)
    {
        beforeFading->SetNext(detached);
    }
    return rxDbm;
}

} // namespace

TypeId
FlowNetworkModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FlowNetworkModel")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FlowNetworkModel>()
            .AddAttribute("WifiResidualEfficiency",
                          "Packet-level Wi-Fi goodput over the Wi-Fi link model's (WifiLinkModel: "
                          "transmission opportunities, rate control under fading, TCP ACKs, "
                          "contention): what the model leaves out, calibrated against the packet "
                          "level (data/flow-calibration.json).",
                          DoubleValue(0.6),
                          MakeDoubleAccessor(&FlowNetworkModel::m_wifiResidualEfficiency),
                          MakeDoubleChecker<double>(0.01, 1.0))
            .AddAttribute("CsmaContention",
                          "On CSMA, derive the channel time per frame from CsmaNetDevice's "
                          "backoff rules and the TCP windows (CsmaContentionModel); false: ideal "
                          "sharing of the channel rate (frame and ACK bytes only).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FlowNetworkModel::m_csmaContentionEnabled),
                          MakeBooleanChecker())
            .AddAttribute("TcpWindow",
                          "On a multi-cell Wi-Fi network, limit a flow that crosses the backhaul "
                          "by its TCP window over the path's round trip (TcpWindowModel: "
                          "TcpCubic's slow start, HyStart and growth, the window carried over "
                          "per pair); false: by the rates alone.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FlowNetworkModel::m_tcpWindowEnabled),
                          MakeBooleanChecker())
            .AddAttribute("ComponentRecompute",
                          "On a multi-cell network, recompute at a flow's start or end only the "
                          "rates of the flows that share a channel or a link with it, directly "
                          "or through others (the others' max-min rates cannot change); false: "
                          "every flow's, as on one cell.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FlowNetworkModel::m_componentRecompute),
                          MakeBooleanChecker())
            .AddAttribute("LteUplinkAckWeight",
                          "On LTE, how much a device that sends only TCP ACKs uplink counts in "
                          "the uplink's share of RBs (PfFfMacScheduler grants it a full share in "
                          "the TTIs its buffer report is non-zero); measured against the packet "
                          "level (doc/lte.rst).",
                          DoubleValue(0.3),
                          MakeDoubleAccessor(&FlowNetworkModel::m_lteUplinkAckWeight),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("LteDownlinkAckWeight",
                          "On LTE, how much a device that receives only TCP ACKs counts in the "
                          "downlink's share of RBs (the proportional fair scheduler gives RBGs to "
                          "a device with any data and a low past throughput); measured against "
                          "the packet level (doc/lte.rst).",
                          DoubleValue(0.9),
                          MakeDoubleAccessor(&FlowNetworkModel::m_lteDownlinkAckWeight),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddTraceSource("FlowRate",
                            "A flow's rate was (re)computed: source, destination, message id, "
                            "rate in bit/s.",
                            MakeTraceSourceAccessor(&FlowNetworkModel::m_rateTrace),
                            "ns3::FlowNetworkModel::FlowRateCallback");
    return tid;
}

FlowNetworkModel::FlowNetworkModel()
    : m_nodeCount(0),
      m_server(0),
      m_d2d("ap"),
      m_csmaRate(0),
      m_channelWidth(20),
      m_noiseFigureDb(7.0),
      m_wifiResidualEfficiency(0.6),
      m_wiredP2pEfficiency(GetP2pEfficiency()),
      m_wiredCsmaEfficiency(GetCsmaEfficiency()),
      m_recomputes(0),
      m_csmaContentionEnabled(true),
      m_csmaSeed(CreateObject<UniformRandomVariable>()),
      m_tcpWindowEnabled(true),
      m_tcpWindowApplies(false),
      m_windowResources(0)
{
}

FlowNetworkModel::~FlowNetworkModel()
{
}

void
FlowNetworkModel::DoDispose()
{
    m_nextCompletion.Cancel();
    m_network = nullptr;
    m_ofdma = nullptr;
    m_deliver.clear();
    m_queue.clear();
    m_active.clear();
    m_suspended.clear();
    m_signal.clear();
    m_csmaContention.reset();
    m_tcpConnections.clear();
    Object::DoDispose();
}

double
FlowNetworkModel::GetP2pEfficiency()
{
    return MSS / (MSS + TCP_IP_HEADER + PPP_HEADER);
}

double
FlowNetworkModel::GetCsmaEfficiency()
{
    return MSS / (MSS + TCP_IP_HEADER + ETHERNET_OVERHEAD);
}

std::string
FlowNetworkModel::CheckEfficiency(const std::string& name, double value)
{
    if (!std::isfinite(value) || value <= 0.0 || value > 1.0)
    {
        std::ostringstream os;
        os << name << "=" << value << " is invalid: must be in (0, 1]";
        return os.str();
    }
    return "";
}

std::string
FlowNetworkModel::LoadCalibration(const std::string& path, double& wifiResidualEfficiency)
{
    std::ifstream in(path);
    if (!in)
    {
        return "calibration file='" + path + "' cannot be opened";
    }
    nlohmann::json document;
    try
    {
        in >> document;
    }
    catch (const std::exception& e)
    {
        return "calibration file='" + path + "' is not valid JSON: " + e.what();
    }
    if (!document.is_object() || !document.contains("wifiResidualEfficiency") ||
        !document["wifiResidualEfficiency"].is_object() ||
        !document["wifiResidualEfficiency"].contains("value") ||
        !document["wifiResidualEfficiency"]["value"].is_number())
    {
        return "calibration file='" + path +
               "' has no number at wifiResidualEfficiency.value; expected "
               "{\"wifiResidualEfficiency\": {\"value\": <number in (0, 1]>, ...}}";
    }
    double value = document["wifiResidualEfficiency"]["value"].get<double>();
    std::string problem = CheckEfficiency("wifiResidualEfficiency.value", value);
    if (!problem.empty())
    {
        return "calibration file='" + path + "': " + problem;
    }
    wifiResidualEfficiency = value;
    return "";
}

uint64_t
FlowNetworkModel::DrawCsmaSeed()
{
    // two 32-bit halves of a 64-bit seed from the ns-3 stream
    const uint64_t high = static_cast<uint64_t>(m_csmaSeed->GetValue(0, 4294967296.0));
    const uint64_t low = static_cast<uint64_t>(m_csmaSeed->GetValue(0, 4294967296.0));
    return (high << 32) | low;
}

int64_t
FlowNetworkModel::AssignStreams(int64_t stream)
{
    m_csmaSeed->SetStream(stream);
    if (m_csmaContention)
    {
        m_csmaContention->SetSeed(DrawCsmaSeed());
    }
    return 1;
}

void
FlowNetworkModel::SetNetwork(Ptr<EdgeNetwork> network)
{
    NS_ABORT_MSG_IF(!network, "FlowNetworkModel::SetNetwork: null network");
    m_network = network;
    m_kind = network->GetKind();
    m_nodeCount = network->GetNodeCount();
    m_server = network->GetServerIndex();
    m_deliver.resize(m_nodeCount);
    m_tcpConnections.clear();
    // The TCP the sockets will use (the attributes' current defaults), for the backhaul's
    // window model and CSMA's contention model; both describe TcpCubic.
    const bool cubic = AttributeDefault("ns3::TcpL4Protocol", "SocketType") == "ns3::TcpCubic";
    m_tcpWindow.initialWindow = UintegerDefault("ns3::TcpSocket", "InitialCwnd", 10);
    m_tcpWindow.hyStart = AttributeDefault("ns3::TcpCubic", "HyStart") == "true";
    m_tcpWindow.hyStartLowWindow = UintegerDefault("ns3::TcpCubic", "HyStartLowWindow", 16);
    const std::string ackDelta = AttributeDefault("ns3::TcpCubic", "HyStartAckDelta");
    m_tcpWindow.hyStartAckDelta = ackDelta.empty() ? 0.002 : Time(ackDelta).GetSeconds();
    m_tcpWindow.growthClamp = UintegerDefault("ns3::TcpCubic", "CntClamp", 20);
    m_tcpWindowApplies = m_tcpWindowEnabled && m_kind == "wifi" && network->IsMultiCell() && cubic;
    const std::string windowProblem = TcpWindowModel::CheckParameters(m_tcpWindow);
    NS_ABORT_MSG_IF(m_tcpWindowApplies && !windowProblem.empty(),
                    "FlowNetworkModel: " << windowProblem
                                         << " (or set ns3::FlowNetworkModel::TcpWindow=false)");
    if (m_kind == "p2p")
    {
        m_linkRate.assign(m_nodeCount, std::vector<double>(m_nodeCount, 0.0));
        m_linkDelay.assign(m_nodeCount, std::vector<Time>(m_nodeCount, Time(0)));
        for (uint32_t a = 0; a < m_nodeCount; ++a)
        {
            for (uint32_t b = 0; b < m_nodeCount; ++b)
            {
                if (a == b)
                {
                    continue;
                }
                Ptr<NetDevice> device = network->GetLinkDevice(a, b);
                DataRateValue rate;
                device->GetAttribute("DataRate", rate);
                TimeValue delay;
                device->GetChannel()->GetAttribute("Delay", delay);
                m_linkRate[a][b] = rate.Get().GetBitRate();
                m_linkDelay[a][b] = delay.Get();
            }
        }
    }
    else if (m_kind == "csma")
    {
        Ptr<NetDevice> device = network->GetLinkDevice(0, m_server);
        DataRateValue rate;
        device->GetChannel()->GetAttribute("DataRate", rate);
        TimeValue delay;
        device->GetChannel()->GetAttribute("Delay", delay);
        m_csmaRate = rate.Get().GetBitRate();
        m_csmaDelay = delay.Get();
        if (m_csmaContentionEnabled)
        {
            // The MAC as CsmaNetDevice runs it (its Backoff keeps ns-3's defaults: 1 us slots,
            // 1 to 1000 slots, ceiling 10), the frames of MSS-sized segments and their ACKs,
            // and the TCP the sockets will use (the attributes' current defaults).
            CsmaContentionParameters p;
            p.dataRate = m_csmaRate;
            p.delay = m_csmaDelay;
            // CsmaNetDevice::Attach sets the gap to 96 bit times of the channel's rate.
            p.interframeGap = rate.Get().CalculateBytesTxTime(96 / 8);
            p.dataFrameBytes = static_cast<uint32_t>(MSS + TCP_IP_HEADER + ETHERNET_OVERHEAD);
            p.ackFrameBytes = static_cast<uint32_t>(TCP_IP_HEADER + ETHERNET_OVERHEAD);
            p.segmentsPerAck = UintegerDefault("ns3::TcpSocket", "DelAckCount", 2);
            p.initialWindow = m_tcpWindow.initialWindow;
            const uint32_t buffer =
                std::min(UintegerDefault("ns3::TcpSocket", "SndBufSize", 131072),
                         UintegerDefault("ns3::TcpSocket", "RcvBufSize", 131072));
            p.maxWindow = std::max<uint32_t>(p.initialWindow, buffer / static_cast<uint32_t>(MSS));
            if (cubic && m_tcpWindow.hyStart)
            {
                p.slowStartExitWindow = m_tcpWindow.hyStartLowWindow;
                p.growthClamp = m_tcpWindow.growthClamp;
            }
            else
            {
                // No loss on the LAN: without HyStart the window grows in slow start until the
                // buffers limit it.
                p.slowStartExitWindow = 0;
            }
            const std::string problem = CsmaContentionModel::CheckParameters(p);
            NS_ABORT_MSG_IF(!problem.empty(), "FlowNetworkModel: CSMA contention: " << problem);
            m_csmaContention = std::make_unique<CsmaContentionModel>(p);
            m_csmaContention->SetSeed(DrawCsmaSeed());
        }
    }
    else if (m_kind == "wifi")
    {
        m_d2d = network->GetAdhocPropagationLossModel() ? "adhoc" : "ap";
        Ptr<WifiNetDevice> wifi = DynamicCast<WifiNetDevice>(network->GetLinkDevice(0, m_server));
        NS_ABORT_MSG_IF(!wifi, "FlowNetworkModel: no Wi-Fi device on node 0");
        Ptr<WifiPhy> phy = wifi->GetPhy();
        m_channelWidth = phy->GetChannelWidth();
        GroupCoChannelCells(phy->GetRxSensitivity());
        // several cells: a flow's start or end changes only the rates of the flows it shares
        // a channel or a link with, directly or through others; recompute just those (one
        // cell: one channel, every flow in one component, the full recompute as always)
        m_localRecompute = network->IsMultiCell() && m_componentRecompute;
        // WifiPhy's RxNoiseFigure is write-only; EdgeNetworkHelper leaves it at its default.
        m_noiseFigureDb = 7.0;
        // The link model reads the MAC, rate manager and HE parameters from the access point's
        // device: every device of the BSS is installed alike.
        m_wifiLink = std::make_unique<WifiLinkModel>(phy, WifiLinkModel::ReadParameters(wifi));
        network->TraceConnectWithoutContext(
            "TxPowerChanged",
            MakeCallback(&FlowNetworkModel::OnTxPowerChanged, this));
    }
    else if (m_kind == "ofdma")
    {
        m_ofdma = network->GetOfdmaBaseStation();
        NS_ABORT_MSG_IF(!m_ofdma, "FlowNetworkModel: no OFDMA base station on the server");
        m_ofdmaActive.assign(2, std::vector<bool>(m_nodeCount, false));
        network->TraceConnectWithoutContext(
            "TxPowerChanged",
            MakeCallback(&FlowNetworkModel::OnTxPowerChanged, this));
    }
    else if (m_kind == "lte")
    {
        m_lteLink = std::make_unique<LteLinkModel>(network->GetLteCellParameters());
        m_ofdmaActive.assign(2, std::vector<bool>(m_nodeCount, false));
        m_lteAcksOnly.assign(2, std::vector<bool>(m_nodeCount, false));
        network->TraceConnectWithoutContext(
            "TxPowerChanged",
            MakeCallback(&FlowNetworkModel::OnTxPowerChanged, this));
    }
    else
    {
        NS_FATAL_ERROR("FlowNetworkModel: network kind='" << m_kind
                                                          << "' is not supported; allowed: "
                                                             "wifi, ofdma, lte, csma, p2p");
    }
}

double
FlowNetworkModel::GetOfdmaResourceBlocks(uint32_t device, bool downlink) const
{
    const uint32_t total = m_ofdma->GetResourceBlockCount();
    if (m_ofdma->GrantsBandwidthShares())
    {
        const double share = m_ofdma->GetBandwidthShare(device);
        Ptr<OfdmaSharesScheduler> scheduler =
            DynamicCast<OfdmaSharesScheduler>(m_ofdma->GetUplinkScheduler());
        if (!scheduler->IsWorkConserving())
        {
            // the granted share, RBs it does not use left idle (as the base station does); the
            // cell carries the fraction of an RB over to the next slots, so this is an average
            return share * total;
        }
        // Work-conserving, as the base station: the devices with data in this direction split
        // every RB in proportion to their shares (equally when those are all 0).
        double activeShares = 0;
        uint32_t active = 0;
        const std::vector<bool>& direction = m_ofdmaActive[downlink ? 1 : 0];
        for (uint32_t i = 0; i < direction.size(); ++i)
        {
            // the device asked about counts as having data, also before its flow starts
            if ((direction[i] || i == device) && i != m_server)
            {
                activeShares += m_ofdma->GetBandwidthShare(i);
                ++active;
            }
        }
        if (activeShares > 0)
        {
            return share / activeShares * total;
        }
        return total / std::max<uint32_t>(1, active);
    }
    // round robin or proportional fair over the devices with data in this direction
    uint32_t active = 0;
    for (bool a : m_ofdmaActive[downlink ? 1 : 0])
    {
        active += a ? 1 : 0;
    }
    return total / std::max<uint32_t>(1, active);
}

double
FlowNetworkModel::GetOfdmaRate(uint32_t device, bool downlink, double& sinrDb) const
{
    // a fractional average (bandwidth shares) is a mix of slots with the RB counts on either
    // side of it, in the proportion that makes the average
    const double rbs = GetOfdmaResourceBlocks(device, downlink);
    const double below = std::floor(rbs + 1e-9);
    const double fraction = std::max(0.0, rbs - below);
    const double txDbm = m_network->GetTxPowerDbm(downlink ? m_server : device);
    const double rate =
        GetOfdmaRateWith(device, downlink, static_cast<uint32_t>(below), txDbm, sinrDb);
    if (fraction < 1e-9)
    {
        return rate;
    }
    double aboveSinrDb;
    const double above =
        GetOfdmaRateWith(device, downlink, static_cast<uint32_t>(below) + 1, txDbm, aboveSinrDb);
    if (below == 0)
    {
        sinrDb = aboveSinrDb;
    }
    return (1.0 - fraction) * rate + fraction * above;
}

LteLinkEstimate
FlowNetworkModel::GetLteLink(uint32_t device, bool downlink, double active) const
{
    NS_ABORT_MSG_IF(m_kind != "lte",
                    "FlowNetworkModel: network kind='" << m_kind << "' is not lte");
    NS_ABORT_MSG_IF(device >= m_nodeCount || device == m_server,
                    "FlowNetworkModel::GetLteLink: node " << device << " is not a device");
    if (active <= 0)
    {
        // the devices with data, and at a weight those with only TCP ACKs in this direction
        const uint32_t direction = downlink ? 1 : 0;
        const double weight = downlink ? m_lteDownlinkAckWeight : m_lteUplinkAckWeight;
        active = 0;
        for (uint32_t i = 0; i < m_nodeCount; ++i)
        {
            if (m_ofdmaActive[direction][i] || i == device)
            {
                active += 1;
            }
            else if (m_lteAcksOnly[direction][i])
            {
                active += weight;
            }
        }
    }
    // mean path losses: the fading models of the chains are skipped
    Ptr<MobilityModel> ue = m_network->GetNode(device)->GetObject<MobilityModel>();
    Ptr<MobilityModel> enb = m_network->GetLteEnbMobility();
    Ptr<NakagamiPropagationLossModel> fading;
    Ptr<JakesPropagationLossModel> jakes;
    const double downlinkLossDb =
        -MeanRxPowerDbm(m_network->GetLteDownlinkLossModel(), 0.0, enb, ue, fading, jakes);
    if (downlink)
    {
        return m_lteLink->Downlink(downlinkLossDb, active);
    }
    const double uplinkLossDb =
        -MeanRxPowerDbm(m_network->GetPropagationLossModel(), 0.0, ue, enb, fading, jakes);
    return m_lteLink->Uplink(m_network->GetTxPowerDbm(device),
                             uplinkLossDb,
                             downlinkLossDb,
                             active);
}

double
FlowNetworkModel::GetOfdmaGoodputWith(uint32_t device,
                                      bool downlink,
                                      uint32_t rbs,
                                      double txPowerDbm) const
{
    NS_ABORT_MSG_IF(m_kind != "ofdma", "FlowNetworkModel: the network is not the OFDMA cell");
    double sinrDb;
    return GetOfdmaRateWith(device, downlink, rbs, txPowerDbm, sinrDb) * MSS /
           (MSS + TCP_IP_HEADER);
}

double
FlowNetworkModel::GetOfdmaRateWith(uint32_t device,
                                   bool downlink,
                                   uint32_t rbs,
                                   double txDbm,
                                   double& sinrDb) const
{
    sinrDb = -std::numeric_limits<double>::infinity();
    if (rbs == 0)
    {
        return 0.0;
    }
    Ptr<OfdmaSpectrumPhy> rxPhy =
        downlink ? m_ofdma->GetUe(device)->GetDownlinkPhy() : m_ofdma->GetUplinkPhy();
    Ptr<PropagationLossModel> loss = rxPhy->GetChannel()->GetPropagationLossModel();
    Ptr<MobilityModel> dev = m_network->GetNode(device)->GetObject<MobilityModel>();
    Ptr<MobilityModel> bs = m_network->GetNode(m_server)->GetObject<MobilityModel>();
    // The device spreads its power over its granted RBs; the base station over all of them.
    const uint32_t spreadOver = downlink ? m_ofdma->GetResourceBlockCount() : rbs;
    Ptr<NakagamiPropagationLossModel> fading;
    Ptr<JakesPropagationLossModel> jakes;
    const double rxDbm = downlink ? MeanRxPowerDbm(loss, txDbm, bs, dev, fading, jakes)
                                  : MeanRxPowerDbm(loss, txDbm, dev, bs, fading, jakes);
    const double rbHz = NrNumerology::GetResourceBlockBandwidthHz(m_ofdma->GetNumerology());
    const double noiseW = rxPhy->GetNoisePsd() * rbHz;
    const double signalW = std::pow(10.0, (rxDbm - 30.0) / 10.0) / spreadOver;
    sinrDb = 10.0 * std::log10(signalW / noiseW);
    StringValue linkAdaptation;
    m_ofdma->GetAttribute("LinkAdaptation", linkAdaptation);
    if (linkAdaptation.Get() != "mcs")
    {
        // Shannon sizing: the block carries what the measured SINR allows (no fading average).
        return m_ofdma->GetChannelMonitor()->PredictRateBps(sinrDb, rbs);
    }
    // The cell picks each new block's MCS from the last measured SINR (one fading draw) plus
    // its outer-loop offset, decodes it at another draw, retransmits it (HARQ) in the next
    // slots: NrLinkAdaptation::GetExpectedLink gives the expected goodput per slot, with the
    // offset at its equilibrium (first-transmission BLER = OllaTargetBler), over 64
    // equiprobable quantiles of the fading power gain (Gamma with shape m and mean 1:
    // Nakagami-m amplitude), no random numbers drawn; without fading, the time share between
    // the two MCS the offset alternates between.
    const NrHarqSettings settings = m_ofdma->GetHarqSettings();
    double m = 0; // no fading; -1: Jakes (Rayleigh correlated in time)
    if (fading)
    {
        DoubleValue shape;
        fading->GetAttribute("m0", shape);
        m = shape.Get();
    }
    else if (jakes)
    {
        m = -1;
    }
    // A slice's rate is asked at every recompute, and a scheduler asks a device's rate at every
    // RB count: the expectation is a pure function of its inputs, kept once per process (every
    // run of a study, the runtime's model and the planners' share it).
    using Key = std::tuple<double,
                           double,
                           uint32_t,
                           bool,
                           bool,
                           double,
                           double,
                           double,
                           double,
                           uint32_t,
                           double>;
    static std::map<Key, double> expectations;
    const Key key{settings.gapDb,
                  settings.blerSlope,
                  settings.maxTransmissions,
                  settings.combining,
                  settings.olla,
                  settings.ollaTargetBler,
                  settings.ollaMaxOffsetDb,
                  m_ofdma->GetSlotDuration().GetSeconds(),
                  sinrDb,
                  rbs,
                  m};
    auto cached = expectations.find(key);
    if (cached != expectations.end())
    {
        return cached->second;
    }
    double bitsPerSlot = 0;
    if (jakes)
    {
        // Fading slow against the slot and the feedback (the Doppler's coherence time spans
        // tens of slots): the link adaptation and the outer loop follow the channel, so the
        // goodput is the mean, over the Rayleigh power gain's quantiles, of a fading-free
        // link's at each gain
        const std::vector<double>& gains = GetFadingQuantilesDb(1.0);
        for (double gainDb : gains)
        {
            bitsPerSlot +=
                NrLinkAdaptation::GetExpectedLink(sinrDb + gainDb, rbs, {}, settings).bitsPerSlot;
        }
        bitsPerSlot /= gains.size();
    }
    else
    {
        bitsPerSlot = NrLinkAdaptation::GetExpectedLink(sinrDb,
                                                        rbs,
                                                        fading ? GetFadingQuantilesDb(m)
                                                               : std::vector<double>(),
                                                        settings)
                          .bitsPerSlot;
    }
    const double rate = bitsPerSlot / m_ofdma->GetSlotDuration().GetSeconds();
    if (expectations.size() > 1000000)
    {
        expectations.clear(); // a bound on the memory of a long sweep
    }
    expectations.emplace(key, rate);
    return rate;
}

const std::vector<double>&
FlowNetworkModel::GetFadingQuantilesDb(double m) const
{
    auto found = m_fadingQuantiles.find(m);
    if (found != m_fadingQuantiles.end())
    {
        return found->second;
    }
    return m_fadingQuantiles.emplace(m, NakagamiGainQuantilesDb(m, 64)).first->second;
}

void
FlowNetworkModel::SetDeliverCallback(uint32_t node, DeliverCallback callback)
{
    NS_ABORT_MSG_IF(node >= m_deliver.size(),
                    "FlowNetworkModel::SetDeliverCallback: node="
                        << node << " is out of range; "
                        << "allowed: 0 to " << m_nodeCount - 1 << " (call SetNetwork first)");
    m_deliver[node] = callback;
}

uint64_t
FlowNetworkModel::PairKey(uint32_t source, uint32_t destination) const
{
    return (static_cast<uint64_t>(source) << 32) | destination;
}

double
FlowNetworkModel::GetWifiPhyRate(uint32_t from, uint32_t to, int& mcs, double& snrDb) const
{
    return GetWifiPhyRateAt(from, to, m_network->GetTxPowerDbm(from), mcs, snrDb);
}

double
FlowNetworkModel::GetWifiPhyRateAt(uint32_t from,
                                   uint32_t to,
                                   double txPowerDbm,
                                   int& mcs,
                                   double& snrDb) const
{
    double nakagamiM;
    snrDb = GetWifiMeanSnrDb(from, to, txPowerDbm, nakagamiM);
    mcs = m_wifiLink->PickMcs(snrDb);
    return m_wifiLink->GetPhyRate(mcs);
}

double
FlowNetworkModel::GetWifiMeanSnrDb(uint32_t from,
                                   uint32_t to,
                                   double txPowerDbm,
                                   double& nakagamiM) const
{
    NS_ABORT_MSG_IF(m_kind != "wifi",
                    "FlowNetworkModel: network kind='" << m_kind << "' is not wifi");
    bool adhoc = m_d2d == "adhoc" && !IsAccessPoint(from) && !IsAccessPoint(to);
    Ptr<PropagationLossModel> loss =
        adhoc ? m_network->GetAdhocPropagationLossModel() : m_network->GetPropagationLossModel();
    Ptr<MobilityModel> a = m_network->GetNode(from)->GetObject<MobilityModel>();
    Ptr<MobilityModel> b = m_network->GetNode(to)->GetObject<MobilityModel>();
    // Mean power: the flow level uses path loss only and must not draw from the fading streams.
    Ptr<NakagamiPropagationLossModel> fading;
    Ptr<JakesPropagationLossModel> jakes;
    double rxDbm = MeanRxPowerDbm(loss, txPowerDbm, a, b, fading, jakes);
    nakagamiM = jakes ? -1.0 : 0.0;
    if (fading)
    {
        DoubleValue m;
        fading->GetAttribute("m0", m);
        nakagamiM = m.Get();
    }
    double noiseDbm = -174.0 + 10.0 * std::log10(m_channelWidth * 1e6) + m_noiseFigureDb;
    return rxDbm - noiseDbm;
}

double
FlowNetworkModel::GetWifiGoodputAt(uint32_t from, uint32_t to, double txPowerDbm) const
{
    return GetWifiLinkEstimate(from, to, txPowerDbm).goodput * m_wifiResidualEfficiency;
}

const WifiLinkEstimate&
FlowNetworkModel::GetWifiLinkEstimate(uint32_t from, uint32_t to, double txPowerDbm) const
{
    double nakagamiM;
    const double snrDb = GetWifiMeanSnrDb(from, to, txPowerDbm, nakagamiM);
    // The TCP ACKs travel the same path back at the receiver's power.
    const double reverseSnrDb = snrDb + m_network->GetTxPowerDbm(to) - txPowerDbm;
    if (nakagamiM >= 0)
    {
        return m_wifiLink->Estimate(snrDb, reverseSnrDb, nakagamiM);
    }
    // Jakes: fading slow against a PPDU exchange (its coherence time spans many), so the ideal
    // manager's MCS follows the channel: the hop is a fading-free one at each gain in turn,
    // and its goodput the mean over the Rayleigh power gain's quantiles (both directions fade
    // together: one channel); the airtime of a data PPDU is the mean over the gains that carry
    // data, the rest is the mean SNR's
    const auto key = std::make_pair(snrDb, reverseSnrDb);
    auto found = m_trackedWifi.find(key);
    if (found != m_trackedWifi.end())
    {
        return found->second;
    }
    WifiLinkEstimate tracked = m_wifiLink->Estimate(snrDb, reverseSnrDb, 0.0);
    const std::vector<double>& gains = GetFadingQuantilesDb(1.0);
    double goodput = 0;
    double airtime = 0;
    uint32_t carrying = 0;
    for (double gainDb : gains)
    {
        const WifiLinkEstimate& at = m_wifiLink->Estimate(snrDb + gainDb, reverseSnrDb + gainDb, 0);
        goodput += at.goodput;
        if (at.goodput > 0)
        {
            airtime += at.airtimePerPpdu;
            ++carrying;
        }
    }
    tracked.goodput = goodput / gains.size();
    if (carrying > 0)
    {
        tracked.airtimePerPpdu = airtime / carrying;
    }
    return m_trackedWifi.emplace(key, tracked).first->second;
}

double
FlowNetworkModel::GetWifiResidualEfficiency() const
{
    return m_wifiResidualEfficiency;
}

double
FlowNetworkModel::WifiHopRate(uint32_t from, uint32_t to) const
{
    return GetWifiGoodputAt(from, to, m_network->GetTxPowerDbm(from));
}

void
FlowNetworkModel::GroupCoChannelCells(double rxSensitivityDbm)
{
    const uint32_t cells = m_network->GetCellCount();
    m_cellChannelGroup.resize(cells);
    for (uint32_t c = 0; c < cells; ++c)
    {
        m_cellChannelGroup[c] = c;
    }
    if (cells < 2)
    {
        return;
    }
    // Cells on one channel whose servers hear each other at least at the PHY's preamble
    // detection level defer to each other: they share the channel's airtime, and so does
    // everything connected to them (union-find, the lowest cell of a group names it).
    std::function<uint32_t(uint32_t)> root = [this, &root](uint32_t c) {
        return m_cellChannelGroup[c] == c ? c
                                          : (m_cellChannelGroup[c] = root(m_cellChannelGroup[c]));
    };
    std::map<uint32_t, std::vector<uint32_t>> byChannel;
    for (uint32_t c = 0; c < cells; ++c)
    {
        byChannel[m_network->GetCellChannel(c)].push_back(c);
    }
    Ptr<PropagationLossModel> loss = m_network->GetPropagationLossModel();
    for (const auto& [channel, members] : byChannel)
    {
        for (size_t i = 0; i < members.size(); ++i)
        {
            const uint32_t a = m_network->GetCellServerIndex(members[i]);
            Ptr<MobilityModel> ma = m_network->GetNode(a)->GetObject<MobilityModel>();
            for (size_t j = i + 1; j < members.size(); ++j)
            {
                const uint32_t b = m_network->GetCellServerIndex(members[j]);
                Ptr<MobilityModel> mb = m_network->GetNode(b)->GetObject<MobilityModel>();
                Ptr<NakagamiPropagationLossModel> fading;
                Ptr<JakesPropagationLossModel> jakes;
                if (MeanRxPowerDbm(loss, m_network->GetTxPowerDbm(a), ma, mb, fading, jakes) >=
                    rxSensitivityDbm)
                {
                    const uint32_t ra = root(members[i]);
                    const uint32_t rb = root(members[j]);
                    m_cellChannelGroup[std::max(ra, rb)] = std::min(ra, rb);
                }
            }
        }
    }
    for (uint32_t c = 0; c < cells; ++c)
    {
        m_cellChannelGroup[c] = root(c);
    }
}

uint32_t
FlowNetworkModel::GetCellChannelGroup(uint32_t cell) const
{
    NS_ABORT_MSG_IF(cell >= m_cellChannelGroup.size(),
                    "FlowNetworkModel::GetCellChannelGroup: cell=" << cell << " is not a cell");
    return m_cellChannelGroup[cell];
}

bool
FlowNetworkModel::IsAccessPoint(uint32_t node) const
{
    return node == m_server || (m_network->IsMultiCell() && node >= m_network->GetDeviceCount());
}

FlowNetworkModel::WifiRoute
FlowNetworkModel::RouteWifi(uint32_t source, uint32_t destination) const
{
    WifiRoute route;
    if (!m_network->IsMultiCell())
    {
        if (source == m_server || destination == m_server)
        {
            route.radio.push_back({source, destination, WIFI_INFRA});
        }
        else if (m_d2d == "adhoc")
        {
            route.radio.push_back({source, destination, WIFI_ADHOC});
        }
        else
        {
            // Via the access point: two transmissions on the same channel.
            route.radio.push_back({source, m_server, WIFI_INFRA});
            route.radio.push_back({m_server, destination, WIFI_INFRA});
        }
        return route;
    }
    auto infra = [this](uint32_t cell) {
        return WIFI_CELL_CHANNELS + 2 * m_cellChannelGroup[cell];
    };
    const uint32_t from = m_network->GetCellOf(source);
    const uint32_t to = m_network->GetCellOf(destination);
    if (from == to && from != EdgeNetwork::NO_CELL)
    {
        // within a cell, as in the one-cell network with the cell's server as access point
        const uint32_t ap = m_network->GetCellServerIndex(from);
        if (source == ap || destination == ap)
        {
            route.radio.push_back({source, destination, infra(from)});
        }
        else if (m_d2d == "adhoc")
        {
            route.radio.push_back({source, destination, infra(from) + 1});
        }
        else
        {
            route.radio.push_back({source, ap, infra(from)});
            route.radio.push_back({ap, destination, infra(from)});
        }
        return route;
    }
    // between cells, or to and from the aggregation server: up the source's cell's backhaul
    // link, down the destination's
    if (from != EdgeNetwork::NO_CELL)
    {
        const uint32_t ap = m_network->GetCellServerIndex(from);
        if (source != ap)
        {
            route.radio.push_back({source, ap, infra(from)});
        }
        route.upCell = from;
    }
    if (to != EdgeNetwork::NO_CELL)
    {
        const uint32_t ap = m_network->GetCellServerIndex(to);
        if (destination != ap)
        {
            route.radio.push_back({ap, destination, infra(to)});
        }
        route.downCell = to;
    }
    return route;
}

std::vector<FlowNetworkModel::Hop>
FlowNetworkModel::HopsOf(uint32_t source, uint32_t destination) const
{
    std::vector<Hop> hops;
    if (m_kind == "p2p")
    {
        // Data on the forward direction; the receiver's delayed ACKs (one 54-byte frame per
        // two segments) on the reverse direction, which other flows may be using.
        hops.push_back({source * m_nodeCount + destination,
                        8.0 / (m_linkRate[source][destination] * m_wiredP2pEfficiency)});
        hops.push_back({destination * m_nodeCount + source,
                        8.0 * (TCP_IP_HEADER + PPP_HEADER) / (ACKED_SEGMENTS * MSS) /
                            m_linkRate[destination][source]});
    }
    else if (m_kind == "csma")
    {
        // Data and the ACK frames (52 + 38 bytes on the wire per two segments) on one segment.
        hops.push_back(
            {0,
             8.0 / (m_csmaRate * m_wiredCsmaEfficiency) +
                 8.0 * (TCP_IP_HEADER + ETHERNET_OVERHEAD) / (ACKED_SEGMENTS * MSS) / m_csmaRate});
    }
    else if (m_kind == "ofdma")
    {
        // Each device's RBs are its own (the base station partitions them), so a device's
        // flows share only its uplink slice and its downlink slice; device-to-device traffic
        // is relayed by the base station: the source's uplink, then the destination's downlink.
        // TCP/IP headers take 52 of every 1500 bytes (no RLC / MAC header in the cell).
        const double goodput = MSS / (MSS + TCP_IP_HEADER);
        auto add = [&](uint32_t device, bool downlink) {
            double sinrDb;
            const double rate = GetOfdmaRate(device, downlink, sinrDb) * goodput;
            NS_ABORT_MSG_IF(rate <= 0.0,
                            "FlowNetworkModel: device " << device << " has no "
                                                        << (downlink ? "downlink" : "uplink")
                                                        << " rate in the OFDMA cell (no RBs "
                                                           "granted, or SINR "
                                                        << sinrDb << " dB too low)");
            hops.push_back({OFDMA_SLICES + (downlink ? m_nodeCount : 0) + device, 8.0 / rate});
        };
        if (source != m_server)
        {
            add(source, false);
        }
        if (destination != m_server)
        {
            add(destination, true);
        }
    }
    else if (m_kind == "lte")
    {
        // As the OFDMA cell: each device's share of the RBs is its own; device-to-device
        // traffic goes up to the packet gateway and back down: the source's uplink, then the
        // destination's downlink. The rates are TCP payload already.
        auto add = [&](uint32_t device, bool downlink) {
            const LteLinkEstimate link = GetLteLink(device, downlink);
            NS_ABORT_MSG_IF(link.goodput <= 0.0,
                            "FlowNetworkModel: device "
                                << device << " has no LTE " << (downlink ? "downlink" : "uplink")
                                << " rate (SINR " << link.cqiSinrDb
                                << " dB per RB is below CQI 1): move it closer to the eNB");
            hops.push_back(
                {OFDMA_SLICES + (downlink ? m_nodeCount : 0) + device, 1.0 / link.goodput});
        };
        if (source != m_server)
        {
            add(source, false);
        }
        if (destination != m_server)
        {
            add(destination, true);
        }
    }
    else
    {
        // Costs in seconds of airtime per byte of flow.
        const WifiRoute route = RouteWifi(source, destination);
        for (const RadioHop& radio : route.radio)
        {
            const double rate = WifiHopRate(radio.from, radio.to);
            NS_ABORT_MSG_IF(rate <= 0.0,
                            "FlowNetworkModel: no HE MCS decodable from node "
                                << radio.from << " to node " << radio.to
                                << " at the mean SNR; move the nodes closer or raise the power");
            hops.push_back({radio.resource, 8.0 / rate});
        }
        // a backhaul link as a p2p link: data one way, the delayed ACKs the other
        auto backhaul = [&](uint32_t cell, bool up) {
            const uint32_t forward = BACKHAUL_LINKS + 2 * cell + (up ? 0 : 1);
            const uint32_t reverse = BACKHAUL_LINKS + 2 * cell + (up ? 1 : 0);
            const double rate = m_network->GetBackhaulBitRate();
            hops.push_back({forward, 8.0 / (rate * m_wiredP2pEfficiency)});
            hops.push_back(
                {reverse, 8.0 * (TCP_IP_HEADER + PPP_HEADER) / (ACKED_SEGMENTS * MSS) / rate});
        };
        if (route.upCell != EdgeNetwork::NO_CELL)
        {
            backhaul(route.upCell, true);
        }
        if (route.downCell != EdgeNetwork::NO_CELL)
        {
            backhaul(route.downCell, false);
        }
    }
    return hops;
}

double
FlowNetworkModel::GetSoloRate(uint32_t source, uint32_t destination) const
{
    if (m_kind == "csma" && m_csmaContention)
    {
        const uint32_t window =
            CsmaContentionModel::QuantizeWindow(GetCsmaWindow(source, destination));
        return 8.0 * MSS / m_csmaContention->Evaluate({{source, destination, window}}).frameTime;
    }
    // Alone, the flow is limited by its busiest resource.
    return 8.0 / GetBusiestCost(HopsOf(source, destination));
}

Time
FlowNetworkModel::PropagationDelay(uint32_t source, uint32_t destination) const
{
    if (m_kind == "p2p")
    {
        return m_linkDelay[source][destination];
    }
    if (m_kind == "csma")
    {
        return m_csmaDelay;
    }
    if (m_kind == "wifi" && m_network->IsMultiCell())
    {
        // the radio hops' propagation is negligible; each backhaul link adds its delay
        const WifiRoute route = RouteWifi(source, destination);
        return m_network->GetBackhaulDelay() * ((route.upCell != EdgeNetwork::NO_CELL ? 1 : 0) +
                                                (route.downCell != EdgeNetwork::NO_CELL ? 1 : 0));
    }
    return Time(0);
}

void
FlowNetworkModel::Send(uint32_t source,
                       uint32_t destination,
                       uint64_t messageId,
                       uint64_t payloadBytes)
{
    NS_ABORT_MSG_IF(!m_network, "FlowNetworkModel::Send before SetNetwork");
    std::string problem = m_network->CheckPeer(source, destination);
    NS_ABORT_MSG_IF(!problem.empty(), "FlowNetworkModel::Send: " << problem);
    uint64_t key = PairKey(source, destination);
    m_queue[key].push_back({messageId, payloadBytes});
    if (m_active.find(key) == m_active.end())
    {
        if (m_localRecompute)
        {
            StartNext(key);
            RecomputeAround(IndexStarted(key));
            return;
        }
        Advance();
        StartNext(key);
        Recompute();
    }
}

bool
FlowNetworkModel::UsesLocalRecompute() const
{
    return m_localRecompute;
}

std::set<uint32_t>
FlowNetworkModel::IndexStarted(uint64_t key)
{
    std::set<uint32_t> resources;
    auto found = m_active.find(key);
    if (found == m_active.end())
    {
        return resources;
    }
    found->second.baseHops = found->second.hops;
    for (const Hop& hop : found->second.hops)
    {
        m_flowsOnResource[hop.resource].insert(key);
        resources.insert(hop.resource);
    }
    return resources;
}

void
FlowNetworkModel::AdvanceFlow(uint64_t key, Flow& flow, Time now)
{
    // as Advance, for one flow
    const double elapsed = (now - flow.lastUpdate).GetSeconds();
    const uint64_t sent =
        std::min(static_cast<uint64_t>(std::floor(flow.rate * elapsed)), flow.remaining);
    flow.remaining -= sent;
    flow.lastUpdate = now;
    m_pairSegments[key] += static_cast<double>(sent) / MSS;
}

void
FlowNetworkModel::RecomputeAround(const std::set<uint32_t>& resources)
{
    ++m_recomputes;
    // The flows connected to these resources through shared resources: the others' rates do
    // not change (max-min fair rates are set component by component, and a channel's
    // contention counts only the flows on it)
    std::set<uint64_t> component;
    std::vector<uint32_t> pending(resources.begin(), resources.end());
    std::set<uint32_t> seen;
    while (!pending.empty())
    {
        const uint32_t resource = pending.back();
        pending.pop_back();
        if (!seen.insert(resource).second)
        {
            continue;
        }
        auto on = m_flowsOnResource.find(resource);
        if (on == m_flowsOnResource.end())
        {
            continue;
        }
        for (uint64_t key : on->second)
        {
            if (component.insert(key).second)
            {
                for (const Hop& hop : m_active[key].baseHops)
                {
                    pending.push_back(hop.resource);
                }
            }
        }
    }
    const Time now = Simulator::Now();
    std::vector<Flow*> flows;
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    for (uint64_t key : component)
    {
        Flow& flow = m_active[key];
        AdvanceFlow(key, flow, now);
        flow.hops = flow.baseHops;
        flows.push_back(&flow);
        pairs.emplace_back(flow.source, flow.destination);
    }
    const auto factor = WifiContentionByChannel(pairs);
    for (Flow* flow : flows)
    {
        for (auto& hop : flow->hops)
        {
            auto found = factor.find(hop.resource);
            if (found != factor.end())
            {
                hop.cost *= found->second;
            }
        }
    }
    FillMaxMin(flows);
    auto key = component.begin();
    for (Flow* flow : flows)
    {
        m_finishOrder.erase({flow->finish, *key});
        // Whole nanoseconds, rounded up, so that floor(rate * elapsed) >= remaining then.
        const double ns = std::ceil(static_cast<double>(flow->remaining) / flow->rate * 1e9);
        flow->finish = now + NanoSeconds(static_cast<int64_t>(ns));
        m_finishOrder.insert({flow->finish, *key});
        m_rateTrace(flow->source, flow->destination, flow->messageId, flow->rate * 8.0);
        ++key;
    }
    ScheduleNextCompletion();
}

void
FlowNetworkModel::ScheduleNextCompletion()
{
    if (m_finishOrder.empty())
    {
        m_nextCompletion.Cancel();
        return;
    }
    const Time next = m_finishOrder.begin()->first;
    if (m_nextCompletion.IsRunning() && Time(m_nextCompletion.GetTs()) == next)
    {
        return;
    }
    m_nextCompletion.Cancel();
    m_nextCompletion =
        Simulator::Schedule(next - Simulator::Now(), &FlowNetworkModel::OnCompletion, this);
}

void
FlowNetworkModel::RebuildIndex()
{
    m_flowsOnResource.clear();
    m_finishOrder.clear();
    for (auto& [key, flow] : m_active)
    {
        for (const Hop& hop : flow.baseHops)
        {
            m_flowsOnResource[hop.resource].insert(key);
        }
        m_finishOrder.insert({flow.finish, key});
    }
}

void
FlowNetworkModel::StartNext(uint64_t key)
{
    auto queue = m_queue.find(key);
    if (queue == m_queue.end() || queue->second.empty() ||
        m_disconnected.count(static_cast<uint32_t>(key >> 32)) > 0 ||
        m_disconnected.count(static_cast<uint32_t>(key & 0xffffffffu)) > 0)
    {
        return;
    }
    Pending next = queue->second.front();
    queue->second.pop_front();
    Flow flow;
    flow.source = static_cast<uint32_t>(key >> 32);
    flow.destination = static_cast<uint32_t>(key & 0xffffffffu);
    flow.messageId = next.messageId;
    flow.payload = next.payload;
    flow.remaining = next.payload + FRAME_BYTES;
    flow.rate = 0.0;
    flow.lastUpdate = Simulator::Now();
    flow.finish = Time::Max();
    flow.hops = HopsOf(flow.source, flow.destination);
    AddWindowHop(key, flow);
    m_active[key] = flow;
}

void
FlowNetworkModel::AddWindowHop(uint64_t key, Flow& flow)
{
    if (!m_tcpWindowApplies)
    {
        return;
    }
    const double delay = PropagationDelay(flow.source, flow.destination).GetSeconds();
    if (delay <= 0)
    {
        return; // within a cell: the window opens within microseconds
    }
    // The flow alone: its busiest resource sets the time per segment; the round trip adds
    // the backhaul's delay both ways and a segment's and an ACK's transmission.
    const double busiest = GetBusiestCost(flow.hops);
    const double segmentTime = MSS * busiest;
    const double ackTime = 8.0 * (TCP_IP_HEADER + PPP_HEADER) / m_network->GetBackhaulBitRate();
    const double rtt = 2.0 * delay + segmentTime + ackTime;
    const uint64_t segments =
        (flow.remaining + static_cast<uint64_t>(MSS) - 1) / static_cast<uint64_t>(MSS);
    const double sendTime =
        TcpWindowModel::GetSendTime(m_tcpWindow, segmentTime, rtt, segments, m_tcpConnections[key]);
    // the time the window adds to the rate's (the model counts whole segments)
    const double waiting = sendTime - static_cast<double>(segments) * segmentTime;
    if (waiting <= 1e-12)
    {
        return; // the window does not limit it
    }
    // The window's own resource: alone, the flow takes the model's time; sharing, it can
    // take no more than that average.
    const double atRate = static_cast<double>(flow.remaining) * busiest;
    flow.window = {WINDOW_RESOURCES + m_windowResources++ % WINDOW_RESOURCE_COUNT,
                   (atRate + waiting) / static_cast<double>(flow.remaining)};
    flow.hops.push_back(flow.window);
}

std::vector<double>
FlowNetworkModel::GetRates(const std::vector<std::pair<uint32_t, uint32_t>>& pairs)
{
    NS_ABORT_MSG_IF(!m_network, "FlowNetworkModel::GetRates before SetNetwork");
    NS_ABORT_MSG_IF(!m_active.empty(),
                    "FlowNetworkModel::GetRates: the model carries flows; ask a planning "
                    "instance that carries none");
    NS_ABORT_MSG_IF(m_kind == "csma" && m_csmaContention,
                    "FlowNetworkModel::GetRates: not with the CSMA contention model");
    // The flows as Recompute sees them: who has data in each direction decides the cell's
    // split, the hops their resources, progressive filling their rates
    for (const auto& [source, destination] : pairs)
    {
        NS_ABORT_MSG_IF(source == destination || source >= m_nodeCount ||
                            destination >= m_nodeCount,
                        "FlowNetworkModel::GetRates: no flow from node " << source << " to node "
                                                                         << destination);
        Flow flow;
        flow.source = source;
        flow.destination = destination;
        flow.messageId = 0;
        flow.payload = 0;
        flow.remaining = 0;
        flow.rate = 0.0;
        m_active[PairKey(source, destination)] = flow;
    }
    MarkOfdmaActive();
    for (auto& entry : m_active)
    {
        entry.second.hops = HopsOf(entry.second.source, entry.second.destination);
    }
    ApplyWifiContention();
    ComputeMaxMinRates();
    std::vector<double> rates;
    for (const auto& [source, destination] : pairs)
    {
        rates.push_back(m_active[PairKey(source, destination)].rate);
    }
    m_active.clear();
    MarkOfdmaActive();
    return rates;
}

void
FlowNetworkModel::Advance()
{
    // Integer bytes: a flow is credited floor(rate * elapsed) bytes, never more than remain;
    // its last bytes are credited by its completion event.
    Time now = Simulator::Now();
    for (auto& entry : m_active)
    {
        Flow& flow = entry.second;
        double elapsed = (now - flow.lastUpdate).GetSeconds();
        uint64_t sent =
            std::min(static_cast<uint64_t>(std::floor(flow.rate * elapsed)), flow.remaining);
        flow.remaining -= sent;
        flow.lastUpdate = now;
        // the pair's TCP window grows with the segments it has carried
        m_pairSegments[entry.first] += static_cast<double>(sent) / MSS;
    }
}

double
FlowNetworkModel::GetCsmaWindow(uint32_t source, uint32_t destination) const
{
    NS_ABORT_MSG_IF(!m_csmaContention,
                    "FlowNetworkModel::GetCsmaWindow: no CSMA contention model (network kind='"
                        << m_kind << "', CsmaContention="
                        << (m_csmaContentionEnabled ? "true" : "false") << ")");
    auto found = m_pairSegments.find(PairKey(source, destination));
    return CsmaContentionModel::GetWindow(m_csmaContention->GetParameters(),
                                          found == m_pairSegments.end() ? 0.0 : found->second);
}

CsmaContentionModel*
FlowNetworkModel::GetCsmaContentionModel() const
{
    return m_csmaContention.get();
}

void
FlowNetworkModel::ComputeCsmaRates()
{
    // The contention model gives the channel time per data frame for this set of flows and
    // TCP windows, and each flow's share of the frames; a flow's rate is MSS bytes per
    // (frame time / share). A window grows while its flow runs, so the model is evaluated at
    // CSMA_WINDOW_POINTS points spread over the segments the flows send until the first one
    // ends, and the times per frame averaged.
    if (m_active.empty())
    {
        return;
    }
    const CsmaContentionParameters& p = m_csmaContention->GetParameters();
    std::vector<Flow*> flows;
    std::vector<double> carried;
    for (auto& entry : m_active)
    {
        flows.push_back(&entry.second);
        auto found = m_pairSegments.find(entry.first);
        carried.push_back(found == m_pairSegments.end() ? 0.0 : found->second);
    }
    const size_t n = flows.size();
    // Until the first flow ends, every flow sends about what the shortest has left (shares
    // taken equal for this estimate); the set then carries n times that many data frames.
    uint64_t shortest = std::numeric_limits<uint64_t>::max();
    for (const Flow* flow : flows)
    {
        shortest = std::min(shortest, flow->remaining);
    }
    const double segments = static_cast<double>(shortest) / MSS;
    // Emulate twice the frames the set carries (CsmaContentionModel rounds it to 1000 times a
    // power of two, at most measuredFrames): a short-lived set needs less precision.
    const uint32_t frames =
        static_cast<uint32_t>(std::min(1e9, CSMA_FRAMES_PER_FRAME * n * segments)) + 1;
    // seconds per own data frame of each flow, its window taken `ahead` segments later
    auto perFrame = [&](double ahead) {
        std::vector<CsmaFlowSpec> specs;
        for (size_t i = 0; i < n; ++i)
        {
            specs.push_back({flows[i]->source,
                             flows[i]->destination,
                             CsmaContentionModel::QuantizeWindow(
                                 CsmaContentionModel::GetWindow(p, carried[i] + ahead))});
        }
        const CsmaContentionResult result = m_csmaContention->Continue(specs, frames);
        std::vector<double> seconds(n);
        for (size_t i = 0; i < n; ++i)
        {
            // a share measured as zero is below one frame in the emulation: bound it there
            const double floor = 0.5 / static_cast<double>(std::max<uint64_t>(1, result.frames));
            seconds[i] = result.frameTime / std::max(result.shares[i], floor);
        }
        return seconds;
    };
    std::vector<double> total(n, 0.0);
    for (uint32_t k = 0; k < CSMA_WINDOW_POINTS; ++k)
    {
        const std::vector<double> seconds = perFrame(segments * (k + 0.5) / CSMA_WINDOW_POINTS);
        for (size_t i = 0; i < n; ++i)
        {
            total[i] += seconds[i];
        }
    }
    for (size_t i = 0; i < n; ++i)
    {
        flows[i]->rate = MSS * CSMA_WINDOW_POINTS / total[i];
    }
}

void
FlowNetworkModel::ComputeMaxMinRates()
{
    std::vector<Flow*> flows;
    for (auto& entry : m_active)
    {
        flows.push_back(&entry.second);
    }
    FillMaxMin(flows);
}

void
FlowNetworkModel::FillMaxMin(const std::vector<Flow*>& flows)
{
    std::vector<const std::vector<ResourceUse>*> uses;
    for (const Flow* flow : flows)
    {
        uses.push_back(&flow->hops);
    }
    const std::vector<double> rates = GetMaxMinRates(uses);
    for (std::size_t i = 0; i < flows.size(); ++i)
    {
        flows[i]->rate = rates[i];
    }
}

std::vector<double>
FlowNetworkModel::GetMaxMinRates(const std::vector<const std::vector<ResourceUse>*>& flows)
{
    // Max-min fair progressive filling: every unfrozen flow's rate grows at the same pace
    // until a resource is full; the flows crossing it freeze. Capacity of every resource is 1
    // (a link's time, or a channel's airtime); a flow at x bytes/s uses x * cost of it.
    std::vector<double> rate(flows.size(), 0.0);
    std::map<uint32_t, double> capacity;
    std::vector<std::size_t> unfrozen;
    for (std::size_t f = 0; f < flows.size(); ++f)
    {
        unfrozen.push_back(f);
        for (const auto& hop : *flows[f])
        {
            capacity.emplace(hop.resource, 1.0);
        }
    }
    double level = 0.0;
    while (!unfrozen.empty())
    {
        std::map<uint32_t, double> load;
        for (std::size_t f : unfrozen)
        {
            for (const auto& hop : *flows[f])
            {
                load[hop.resource] += hop.cost; // seconds per byte; rates are bytes/s
            }
        }
        double increment = std::numeric_limits<double>::infinity();
        for (const auto& entry : load)
        {
            increment = std::min(increment, capacity[entry.first] / entry.second);
        }
        level += increment;
        std::set<uint32_t> full;
        for (const auto& entry : load)
        {
            capacity[entry.first] -= increment * entry.second;
            if (capacity[entry.first] <= 1e-12)
            {
                full.insert(entry.first);
            }
        }
        std::vector<std::size_t> still;
        for (std::size_t f : unfrozen)
        {
            bool frozen = false;
            for (const auto& hop : *flows[f])
            {
                frozen = frozen || full.count(hop.resource) > 0;
            }
            if (frozen)
            {
                rate[f] = level;
            }
            else
            {
                still.push_back(f);
            }
        }
        if (still.size() == unfrozen.size())
        {
            // Numerical safety: freeze everything at the current level.
            for (std::size_t f : still)
            {
                rate[f] = level;
            }
            break;
        }
        unfrozen.swap(still);
    }
    return rate;
}

void
FlowNetworkModel::MarkOfdmaActive()
{
    if (m_kind != "ofdma" && m_kind != "lte")
    {
        return;
    }
    // who has data in each direction decides the RR / PF split
    for (auto& direction : m_ofdmaActive)
    {
        std::fill(direction.begin(), direction.end(), false);
    }
    for (const auto& entry : m_active)
    {
        if (entry.second.source != m_server)
        {
            m_ofdmaActive[0][entry.second.source] = true;
        }
        if (entry.second.destination != m_server)
        {
            m_ofdmaActive[1][entry.second.destination] = true;
        }
    }
    if (m_kind == "lte")
    {
        // the TCP ACKs go the other way: uplink from a receiving device, downlink to a
        // sending one
        for (auto& direction : m_lteAcksOnly)
        {
            std::fill(direction.begin(), direction.end(), false);
        }
        for (const auto& entry : m_active)
        {
            if (entry.second.destination != m_server)
            {
                m_lteAcksOnly[0][entry.second.destination] =
                    !m_ofdmaActive[0][entry.second.destination];
            }
            if (entry.second.source != m_server)
            {
                m_lteAcksOnly[1][entry.second.source] = !m_ofdmaActive[1][entry.second.source];
            }
        }
    }
}

std::map<uint32_t, double>
FlowNetworkModel::WifiContentionByChannel(
    const std::vector<std::pair<uint32_t, uint32_t>>& pairs) const
{
    // Every node of an active flow contends on the flow's channel: the sender for its data,
    // the receiver for its TCP ACKs, the access point for what it relays.
    std::map<uint32_t, std::set<uint32_t>> contenders;
    std::map<uint32_t, double> txop;
    for (const auto& [source, destination] : pairs)
    {
        for (const RadioHop& radio : RouteWifi(source, destination).radio)
        {
            contenders[radio.resource].insert(radio.from);
            contenders[radio.resource].insert(radio.to);
            if (txop.count(radio.resource) == 0)
            {
                // a typical transmission of the channel: half of a data PPDU's exchange with
                // its share of TCP ACKs (the link model's airtime per data PPDU)
                txop[radio.resource] =
                    GetWifiLinkEstimate(radio.from, radio.to, m_network->GetTxPowerDbm(radio.from))
                        .airtimePerPpdu /
                    2.0;
            }
        }
    }
    std::map<uint32_t, double> factor;
    for (const auto& [resource, nodes] : contenders)
    {
        factor[resource] = m_wifiLink->GetContentionFactor(nodes.size(), txop[resource]);
    }
    return factor;
}

double
FlowNetworkModel::GetWifiContention(const std::vector<std::pair<uint32_t, uint32_t>>& pairs) const
{
    NS_ABORT_MSG_IF(m_kind != "wifi",
                    "FlowNetworkModel::GetWifiContention: network kind='" << m_kind
                                                                          << "' is not wifi");
    // the pairs share one channel (the access point's, or the devices' own): its factor
    double worst = 1.0;
    for (const auto& [resource, factor] : WifiContentionByChannel(pairs))
    {
        worst = std::max(worst, factor);
    }
    return worst;
}

void
FlowNetworkModel::ApplyWifiContention()
{
    if (m_kind != "wifi")
    {
        return;
    }
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    for (const auto& entry : m_active)
    {
        pairs.emplace_back(entry.second.source, entry.second.destination);
    }
    const auto factor = WifiContentionByChannel(pairs);
    for (auto& entry : m_active)
    {
        for (auto& hop : entry.second.hops)
        {
            auto found = factor.find(hop.resource);
            if (found != factor.end())
            {
                hop.cost *= found->second;
            }
        }
    }
}

void
FlowNetworkModel::Recompute()
{
    ++m_recomputes;
    MarkOfdmaActive();
    if (m_kind == "wifi" || m_kind == "ofdma" || m_kind == "lte")
    {
        // Powers and positions may have changed since the flows started.
        for (auto& entry : m_active)
        {
            entry.second.hops = HopsOf(entry.second.source, entry.second.destination);
            if (entry.second.window.cost > 0)
            {
                entry.second.hops.push_back(entry.second.window);
            }
            entry.second.baseHops = entry.second.hops;
        }
        ApplyWifiContention();
    }
    if (m_kind == "csma" && m_csmaContention)
    {
        ComputeCsmaRates();
    }
    else
    {
        ComputeMaxMinRates();
    }
    Time now = Simulator::Now();
    Time earliest = Time::Max();
    for (auto& entry : m_active)
    {
        Flow& flow = entry.second;
        // Whole nanoseconds, rounded up, so that floor(rate * elapsed) >= remaining then.
        double ns = std::ceil(static_cast<double>(flow.remaining) / flow.rate * 1e9);
        flow.finish = now + NanoSeconds(static_cast<int64_t>(ns));
        earliest = std::min(earliest, flow.finish);
        m_rateTrace(flow.source, flow.destination, flow.messageId, flow.rate * 8.0);
    }
    m_nextCompletion.Cancel();
    if (m_localRecompute)
    {
        RebuildIndex();
    }
    if (!m_active.empty())
    {
        m_nextCompletion =
            Simulator::Schedule(earliest - now, &FlowNetworkModel::OnCompletion, this);
    }
}

void
FlowNetworkModel::OnCompletion()
{
    if (m_localRecompute)
    {
        // the flows due now, in key order (as the full scan finds them); the others' rates
        // change only where they share a resource with these or with those that start
        const Time now = Simulator::Now();
        std::set<uint64_t> due;
        while (!m_finishOrder.empty() && m_finishOrder.begin()->first <= now)
        {
            due.insert(m_finishOrder.begin()->second);
            m_finishOrder.erase(m_finishOrder.begin());
        }
        std::set<uint32_t> touched;
        for (uint64_t key : due)
        {
            Flow flow = m_active[key];
            m_active.erase(key);
            for (const Hop& hop : flow.baseHops)
            {
                // (a relayed flow crosses its channel twice: its second hop finds it gone)
                auto on = m_flowsOnResource.find(hop.resource);
                if (on != m_flowsOnResource.end())
                {
                    on->second.erase(key);
                    if (on->second.empty())
                    {
                        m_flowsOnResource.erase(on);
                    }
                }
                touched.insert(hop.resource);
            }
            ScheduleDelivery(flow);
            StartNext(key);
            const std::set<uint32_t> started = IndexStarted(key);
            touched.insert(started.begin(), started.end());
        }
        RecomputeAround(touched);
        return;
    }
    Advance();
    Time now = Simulator::Now();
    std::vector<uint64_t> done;
    for (auto& entry : m_active)
    {
        if (entry.second.finish <= now)
        {
            done.push_back(entry.first);
        }
    }
    for (uint64_t key : done)
    {
        Flow flow = m_active[key];
        m_active.erase(key);
        ScheduleDelivery(flow);
        StartNext(key);
    }
    Recompute();
}

void
FlowNetworkModel::ScheduleDelivery(const Flow& flow)
{
    Simulator::Schedule(PropagationDelay(flow.source, flow.destination),
                        &FlowNetworkModel::Deliver,
                        this,
                        flow.source,
                        flow.destination,
                        flow.messageId,
                        flow.payload);
}

void
FlowNetworkModel::Deliver(uint32_t source,
                          uint32_t destination,
                          uint64_t messageId,
                          uint64_t payload)
{
    if (destination < m_deliver.size() && !m_deliver[destination].IsNull())
    {
        m_deliver[destination](source, destination, messageId, payload);
    }
}

void
FlowNetworkModel::OnTxPowerChanged(uint32_t node, double dbm)
{
    if (!m_active.empty())
    {
        Advance();
        Recompute();
    }
}

void
FlowNetworkModel::StopNode(uint32_t node)
{
    Advance();
    for (auto it = m_queue.begin(); it != m_queue.end(); ++it)
    {
        if ((it->first >> 32) == node)
        {
            it->second.clear();
        }
    }
    for (auto it = m_active.begin(); it != m_active.end();)
    {
        it = (it->first >> 32) == node ? m_active.erase(it) : std::next(it);
    }
    Recompute();
}

void
FlowNetworkModel::SetNodeConnected(uint32_t node, bool connected)
{
    NS_LOG_FUNCTION(this << node << connected);
    Advance();
    auto touches = [node](uint64_t key) {
        return static_cast<uint32_t>(key >> 32) == node ||
               static_cast<uint32_t>(key & 0xffffffffu) == node;
    };
    if (!connected)
    {
        m_disconnected.insert(node);
        for (auto it = m_active.begin(); it != m_active.end();)
        {
            if (touches(it->first))
            {
                m_suspended[it->first] = it->second;
                it = m_active.erase(it);
            }
            else
            {
                ++it;
            }
        }
    }
    else
    {
        m_disconnected.erase(node);
        auto connectedPair = [this](uint64_t key) {
            return m_disconnected.count(static_cast<uint32_t>(key >> 32)) == 0 &&
                   m_disconnected.count(static_cast<uint32_t>(key & 0xffffffffu)) == 0;
        };
        for (auto it = m_suspended.begin(); it != m_suspended.end();)
        {
            if (connectedPair(it->first))
            {
                Flow flow = it->second;
                flow.lastUpdate = Simulator::Now();
                m_active[it->first] = flow;
                it = m_suspended.erase(it);
            }
            else
            {
                ++it;
            }
        }
        for (const auto& [key, queue] : m_queue)
        {
            if (!queue.empty() && m_active.count(key) == 0 && m_suspended.count(key) == 0)
            {
                StartNext(key);
            }
        }
    }
    Recompute();
}

uint64_t
FlowNetworkModel::ForgetNode(uint32_t node)
{
    NS_LOG_FUNCTION(this << node);
    Advance();
    uint64_t dropped = 0;
    auto touches = [node](uint64_t key) {
        return static_cast<uint32_t>(key >> 32) == node ||
               static_cast<uint32_t>(key & 0xffffffffu) == node;
    };
    for (auto* flows : {&m_active, &m_suspended})
    {
        for (auto it = flows->begin(); it != flows->end();)
        {
            if (touches(it->first))
            {
                // the frame is sent first: what remains beyond it is payload
                dropped += std::min(it->second.payload, it->second.remaining);
                it = flows->erase(it);
            }
            else
            {
                ++it;
            }
        }
    }
    for (auto& [key, queue] : m_queue)
    {
        if (touches(key))
        {
            for (const Pending& pending : queue)
            {
                dropped += pending.payload;
            }
            queue.clear();
        }
    }
    Recompute();
    return dropped;
}

uint64_t
FlowNetworkModel::CancelMessages(uint32_t source, std::function<bool(uint64_t)> stale)
{
    NS_LOG_FUNCTION(this << source);
    Advance();
    uint64_t dropped = 0;
    std::vector<uint64_t> restart;
    for (auto* flows : {&m_active, &m_suspended})
    {
        for (auto it = flows->begin(); it != flows->end();)
        {
            if (it->second.source == source && stale(it->second.messageId))
            {
                dropped += std::min(it->second.payload, it->second.remaining);
                restart.push_back(it->first);
                it = flows->erase(it);
            }
            else
            {
                ++it;
            }
        }
    }
    for (auto& [key, queue] : m_queue)
    {
        if (static_cast<uint32_t>(key >> 32) != source)
        {
            continue;
        }
        for (auto it = queue.begin(); it != queue.end();)
        {
            if (stale(it->messageId))
            {
                dropped += it->payload;
                it = queue.erase(it);
            }
            else
            {
                ++it;
            }
        }
    }
    for (uint64_t key : restart)
    {
        StartNext(key); // the pair's next message, if any survived
    }
    Recompute();
    return dropped;
}

void
FlowNetworkModel::SendSignal(uint32_t source, uint32_t destination)
{
    if (m_disconnected.count(source) > 0 || m_disconnected.count(destination) > 0)
    {
        return;
    }
    Simulator::Schedule(PropagationDelay(source, destination),
                        &FlowNetworkModel::ArriveSignal,
                        this,
                        source,
                        destination);
}

void
FlowNetworkModel::ArriveSignal(uint32_t source, uint32_t destination)
{
    auto receiver = m_signal.find(destination);
    if (m_disconnected.count(source) > 0 || m_disconnected.count(destination) > 0 ||
        receiver == m_signal.end() || receiver->second.IsNull())
    {
        return;
    }
    receiver->second(source);
}

void
FlowNetworkModel::SetSignalCallback(uint32_t node, Callback<void, uint32_t> callback)
{
    m_signal[node] = callback;
}

uint32_t
FlowNetworkModel::GetActiveFlowCount() const
{
    return m_active.size();
}

uint64_t
FlowNetworkModel::GetRecomputeCount() const
{
    return m_recomputes;
}

} // namespace edgellm
} // namespace ns3
