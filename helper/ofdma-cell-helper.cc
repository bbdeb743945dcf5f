/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-cell-helper.h"

#include "ns3/boolean.h"
#include "ns3/channel-condition-model.h"
#include "ns3/command-line-lists.h"
#include "ns3/config.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/double.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4.h"
#include "ns3/jakes-propagation-loss-model.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/multi-model-spectrum-channel.h"
#include "ns3/nr-link-adaptation.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-proportional-fair-scheduler.h"
#include "ns3/ofdma-round-robin-scheduler.h"
#include "ns3/ofdma-shares-scheduler.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/three-gpp-propagation-loss-model.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/traffic-control-layer.h"

#include <cmath>
#include <set>
#include <sstream>
#include <utility>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaCellHelper");

namespace
{

void
Require(const std::string& problem)
{
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
}

} // namespace

OfdmaCellHelper::OfdmaCellHelper()
    : m_numerology(1),
      m_bandwidthMHz(20),
      m_uplinkHz(3.5e9),
      m_downlinkHz(3.6e9),
      m_pathLoss("log-distance"),
      m_fixedLossDb(100),
      m_exponent(3),
      m_shadowing(false),
      m_condition("3gpp"),
      m_fading("none"),
      m_nakagamiM(1),
      m_dopplerHz(10),
      m_linkAdaptation("mcs"),
      m_distance(50),
      m_ueTxPowerDbm(23),
      m_ueMaxTxPowerDbm(23),
      m_bsTxPowerDbm(30),
      m_noiseFigureDb(7),
      m_cellId(1),
      m_channelsGiven(false)
{
    m_bsFactory.SetTypeId("ns3::OfdmaBsNetDevice");
    m_schedulerFactory.SetTypeId(OfdmaSharesScheduler::GetTypeId());
}

void
OfdmaCellHelper::SetNumerology(uint32_t mu)
{
    m_numerology = mu;
}

void
OfdmaCellHelper::SetBandwidthMHz(double mhz)
{
    m_bandwidthMHz = mhz;
}

void
OfdmaCellHelper::SetCarrierFrequencies(double uplinkHz, double downlinkHz)
{
    m_uplinkHz = uplinkHz;
    m_downlinkHz = downlinkHz;
}

void
OfdmaCellHelper::SetPathLoss(const std::string& name)
{
    m_pathLoss = name;
}

void
OfdmaCellHelper::SetFixedPathLossDb(double db)
{
    m_fixedLossDb = db;
}

void
OfdmaCellHelper::SetLogDistanceExponent(double exponent)
{
    m_exponent = exponent;
}

void
OfdmaCellHelper::SetShadowing(bool enable)
{
    m_shadowing = enable;
}

void
OfdmaCellHelper::SetChannelCondition(const std::string& name)
{
    m_condition = name;
}

void
OfdmaCellHelper::SetFading(const std::string& name)
{
    m_fading = name;
}

void
OfdmaCellHelper::SetNakagamiM(double m)
{
    m_nakagamiM = m;
}

void
OfdmaCellHelper::SetDopplerHz(double hz)
{
    m_dopplerHz = hz;
}

void
OfdmaCellHelper::SetSchedulerTypeId(TypeId tid)
{
    m_schedulerFactory.SetTypeId(tid);
}

void
OfdmaCellHelper::SetSchedulerAttribute(const std::string& name, const AttributeValue& value)
{
    m_schedulerFactory.Set(name, value);
}

TypeId
OfdmaCellHelper::GetSchedulerTypeId() const
{
    return m_schedulerFactory.GetTypeId();
}

std::string
OfdmaCellHelper::LookupSchedulerName(const std::string& name, TypeId& tid)
{
    // The one table of short names (the examples' --scheduler option).
    static const std::vector<std::pair<std::string, TypeId>> names = {
        {"shares", OfdmaSharesScheduler::GetTypeId()},
        {"pf", OfdmaProportionalFairScheduler::GetTypeId()},
        {"rr", OfdmaRoundRobinScheduler::GetTypeId()},
    };
    std::string allowed;
    for (const auto& [known, knownTid] : names)
    {
        if (known == name)
        {
            tid = knownTid;
            return "";
        }
        allowed += (allowed.empty() ? "" : ", ") + known;
    }
    return "scheduler='" + name + "' is not known; allowed: " + allowed;
}

void
OfdmaCellHelper::SetLinkAdaptation(const std::string& name)
{
    m_linkAdaptation = name;
}

void
OfdmaCellHelper::SetDistance(double metres)
{
    m_distance = metres;
}

void
OfdmaCellHelper::SetDeviceDistances(const std::vector<double>& metres)
{
    m_deviceDistances = metres;
}

void
OfdmaCellHelper::SetUeTxPowerDbm(double dbm)
{
    m_ueTxPowerDbm = dbm;
}

void
OfdmaCellHelper::SetUeMaxTxPowerDbm(double dbm)
{
    m_ueMaxTxPowerDbm = dbm;
}

void
OfdmaCellHelper::SetBsTxPowerDbm(double dbm)
{
    m_bsTxPowerDbm = dbm;
}

void
OfdmaCellHelper::SetNoiseFigureDb(double db)
{
    m_noiseFigureDb = db;
}

void
OfdmaCellHelper::SetCellId(uint32_t cellId)
{
    m_cellId = cellId;
}

void
OfdmaCellHelper::SetChannels(Ptr<SpectrumChannel> uplink, Ptr<SpectrumChannel> downlink)
{
    m_ulChannel = uplink;
    m_dlChannel = downlink;
    m_channelsGiven = uplink && downlink;
}

void
OfdmaCellHelper::SetBsAttribute(const std::string& name, const AttributeValue& value)
{
    m_bsFactory.Set(name, value);
}

std::string
OfdmaCellHelper::Validate() const
{
    std::ostringstream message;
    std::string problem = NrNumerology::CheckBandwidth(m_bandwidthMHz, m_numerology);
    if (!problem.empty())
    {
        return problem;
    }
    TypeId scheduler = m_schedulerFactory.GetTypeId();
    if (!scheduler.IsChildOf(OfdmaScheduler::GetTypeId()) || !scheduler.HasConstructor())
    {
        return "schedulerTypeId='" + scheduler.GetName() +
               "' is invalid: must be a subclass of ns3::OfdmaScheduler with a constructor";
    }
    problem = NrLinkAdaptation::CheckLinkAdaptation(m_linkAdaptation);
    if (!problem.empty())
    {
        return problem;
    }
    static const std::set<std::string> losses =
        {"log-distance", "friis", "3gpp-umi", "3gpp-uma", "3gpp-inh", "fixed"};
    if (losses.count(m_pathLoss) == 0)
    {
        return "pathLoss='" + m_pathLoss +
               "' is not known; allowed: log-distance, friis, 3gpp-umi, 3gpp-uma, 3gpp-inh, fixed";
    }
    if (m_condition != "3gpp" && m_condition != "los" && m_condition != "nlos")
    {
        return "channelCondition='" + m_condition + "' is not known; allowed: 3gpp, los, nlos";
    }
    if (m_fading != "none" && m_fading != "rayleigh" && m_fading != "nakagami" &&
        m_fading != "jakes")
    {
        return "fading='" + m_fading + "' is not known; allowed: none, rayleigh, nakagami, jakes";
    }
    if (!(m_dopplerHz > 0) || m_dopplerHz > 1e4)
    {
        message << "dopplerHz=" << m_dopplerHz << " is invalid: must be in (0, 10000] Hz";
        return message.str();
    }
    if (!(m_nakagamiM >= 0.5) || !std::isfinite(m_nakagamiM))
    {
        message << "nakagamiM=" << m_nakagamiM << " is invalid: must be at least 0.5";
        return message.str();
    }
    for (double hz : {m_uplinkHz, m_downlinkHz})
    {
        if (!std::isfinite(hz) || hz < 400e6 || hz > 100e9)
        {
            message << "carrierFrequencyHz=" << hz
                    << " is invalid: must be in [400 MHz, 100 GHz] (3GPP TR 38.901 "
                       "covers 0.5-100 GHz)";
            return message.str();
        }
    }
    if (!std::isfinite(m_distance) || m_distance <= 0)
    {
        message << "distance=" << m_distance << " is invalid: must be a positive number of metres";
        return message.str();
    }
    for (size_t i = 0; i < m_deviceDistances.size(); ++i)
    {
        if (!std::isfinite(m_deviceDistances[i]) || m_deviceDistances[i] <= 0)
        {
            message << "distance=" << m_deviceDistances[i] << " of device " << i
                    << " is invalid: must be a positive number of metres";
            return message.str();
        }
    }
    if (!std::isfinite(m_exponent) || m_exponent <= 0)
    {
        message << "logDistanceExponent=" << m_exponent << " is invalid: must be positive";
        return message.str();
    }
    if (!std::isfinite(m_fixedLossDb))
    {
        message << "fixedPathLossDb=" << m_fixedLossDb << " is invalid: must be finite";
        return message.str();
    }
    for (double dbm : {m_ueTxPowerDbm, m_ueMaxTxPowerDbm, m_bsTxPowerDbm})
    {
        if (!std::isfinite(dbm) || dbm < -100 || dbm > 60)
        {
            message << "txPowerDbm=" << dbm << " is invalid: must be in [-100, 60] dBm";
            return message.str();
        }
    }
    if (!std::isfinite(m_noiseFigureDb) || m_noiseFigureDb < 0 || m_noiseFigureDb > 30)
    {
        message << "noiseFigureDb=" << m_noiseFigureDb << " is invalid: must be in [0, 30]";
        return message.str();
    }
    return "";
}

Ptr<PropagationLossModel>
OfdmaCellHelper::CreateLossChain(double frequencyHz, Ptr<ChannelConditionModel>& condition)
{
    Ptr<PropagationLossModel> pathLoss;
    if (m_pathLoss == "fixed")
    {
        Ptr<MatrixPropagationLossModel> fixed = CreateObject<MatrixPropagationLossModel>();
        fixed->SetDefaultLoss(m_fixedLossDb);
        pathLoss = fixed;
    }
    else if (m_pathLoss == "friis")
    {
        pathLoss = CreateObject<FriisPropagationLossModel>();
        pathLoss->SetAttribute("Frequency", DoubleValue(frequencyHz));
    }
    else if (m_pathLoss == "log-distance")
    {
        // Reference loss: free space at 1 m, 20 log10(4 pi f / c).
        double reference = 20 * std::log10(4 * M_PI * frequencyHz / 299792458.0);
        pathLoss = CreateObject<LogDistancePropagationLossModel>();
        pathLoss->SetAttribute("Exponent", DoubleValue(m_exponent));
        pathLoss->SetAttribute("ReferenceDistance", DoubleValue(1));
        pathLoss->SetAttribute("ReferenceLoss", DoubleValue(reference));
    }
    else
    {
        // One channel condition model for both carriers of a cell: a device that is in line
        // of sight on the uplink is on the downlink too.
        if (!condition && m_condition == "los")
        {
            condition = CreateObject<AlwaysLosChannelConditionModel>();
        }
        else if (!condition && m_condition == "nlos")
        {
            condition = CreateObject<NeverLosChannelConditionModel>();
        }
        if (!condition)
        {
            if (m_pathLoss == "3gpp-umi")
            {
                condition = CreateObject<ThreeGppUmiStreetCanyonChannelConditionModel>();
            }
            else if (m_pathLoss == "3gpp-uma")
            {
                condition = CreateObject<ThreeGppUmaChannelConditionModel>();
            }
            else
            {
                condition = CreateObject<ThreeGppIndoorMixedOfficeChannelConditionModel>();
            }
            m_conditions.push_back(condition);
        }
        if (m_pathLoss == "3gpp-umi")
        {
            pathLoss = CreateObject<ThreeGppUmiStreetCanyonPropagationLossModel>();
        }
        else if (m_pathLoss == "3gpp-uma")
        {
            pathLoss = CreateObject<ThreeGppUmaPropagationLossModel>();
        }
        else
        {
            pathLoss = CreateObject<ThreeGppIndoorOfficePropagationLossModel>();
        }
        pathLoss->SetAttribute("Frequency", DoubleValue(frequencyHz));
        pathLoss->SetAttribute("ShadowingEnabled", BooleanValue(m_shadowing));
        pathLoss->SetAttribute("ChannelConditionModel", PointerValue(condition));
    }
    if (m_fading == "jakes")
    {
        // Rayleigh fading correlated in time: a sum of sinusoids per link (Jakes), flat over
        // the RBs; its Doppler is a JakesProcess default (the processes are made lazily)
        Config::SetDefault("ns3::JakesProcess::DopplerFrequencyHz", DoubleValue(m_dopplerHz));
        pathLoss->SetNext(CreateObject<JakesPropagationLossModel>());
    }
    else if (m_fading != "none")
    {
        // Rayleigh: Nakagami with m = 1 (exponential power); the draw is per transmission and
        // receiver, flat over the RBs (block fading per slot).
        double m = m_fading == "rayleigh" ? 1.0 : m_nakagamiM;
        Ptr<NakagamiPropagationLossModel> fading = CreateObject<NakagamiPropagationLossModel>();
        fading->SetAttribute("m0", DoubleValue(m));
        fading->SetAttribute("m1", DoubleValue(m));
        fading->SetAttribute("m2", DoubleValue(m));
        pathLoss->SetNext(fading);
    }
    m_losses.push_back(pathLoss);
    return pathLoss;
}

Ptr<SpectrumChannel>
OfdmaCellHelper::CreateChannel(double frequencyHz, Ptr<ChannelConditionModel>& condition)
{
    Ptr<MultiModelSpectrumChannel> channel = CreateObject<MultiModelSpectrumChannel>();
    channel->AddPropagationLossModel(CreateLossChain(frequencyHz, condition));
    return channel;
}

void
OfdmaCellHelper::PlaceNodes(Ptr<Node> server, const NodeContainer& devices) const
{
    double bsHeight = m_pathLoss == "3gpp-uma" ? 25 : (m_pathLoss == "3gpp-inh" ? 3 : 10);
    if (!server->GetObject<MobilityModel>())
    {
        Ptr<ConstantPositionMobilityModel> mobility = CreateObject<ConstantPositionMobilityModel>();
        mobility->SetPosition(Vector(0, 0, bsHeight));
        server->AggregateObject(mobility);
    }
    uint32_t n = devices.GetN();
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<Node> node = devices.Get(i);
        if (node->GetObject<MobilityModel>())
        {
            continue;
        }
        Ptr<ConstantPositionMobilityModel> mobility = CreateObject<ConstantPositionMobilityModel>();
        mobility->SetPosition(GetDevicePosition(i, n));
        node->AggregateObject(mobility);
    }
}

Vector
OfdmaCellHelper::GetDevicePosition(uint32_t i, uint32_t n) const
{
    const double angle = 2 * M_PI * i / n;
    const double distance = m_deviceDistances.empty() || i >= m_deviceDistances.size()
                                ? m_distance
                                : m_deviceDistances[i];
    return Vector(distance * std::cos(angle), distance * std::sin(angle), 1.5);
}

NetDeviceContainer
OfdmaCellHelper::Install(Ptr<Node> server, NodeContainer devices)
{
    NS_LOG_FUNCTION(this << server << devices.GetN());
    Require(Validate());
    if (!server)
    {
        NS_FATAL_ERROR("server is null: Install needs a server node");
    }
    std::set<Ptr<Node>> seen{server};
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        if (!devices.Get(i) || !seen.insert(devices.Get(i)).second)
        {
            NS_FATAL_ERROR("device " << i
                                     << " is null, appears twice or is the server: each node "
                                        "must have one role");
        }
    }
    if (devices.GetN() == 0)
    {
        NS_FATAL_ERROR("devices=0 is invalid: the cell needs at least one device");
    }
    if (!m_deviceDistances.empty() && m_deviceDistances.size() != devices.GetN())
    {
        NS_FATAL_ERROR("deviceDistances has " << m_deviceDistances.size()
                                              << " entries: must have one per device ("
                                              << devices.GetN() << ")");
    }
    PlaceNodes(server, devices);
    size_t lossesBefore = m_losses.size();
    size_t conditionsBefore = m_conditions.size();
    if (!m_channelsGiven)
    {
        Ptr<ChannelConditionModel> condition;
        m_ulChannel = CreateChannel(m_uplinkHz, condition);
        m_dlChannel = CreateChannel(m_downlinkHz, condition);
    }
    uint32_t rbs = NrNumerology::GetResourceBlockCount(m_bandwidthMHz, m_numerology);
    double rbWidth = NrNumerology::GetResourceBlockBandwidthHz(m_numerology);
    Ptr<const SpectrumModel> ulModel =
        OfdmaSpectrumPhy::CreateSpectrumModel(m_uplinkHz, rbWidth, rbs);
    Ptr<const SpectrumModel> dlModel =
        OfdmaSpectrumPhy::CreateSpectrumModel(m_downlinkHz, rbWidth, rbs);

    // Base station: receives the uplink, transmits the downlink.
    Ptr<OfdmaBsNetDevice> bs = m_bsFactory.Create<OfdmaBsNetDevice>();
    bs->SetAttribute("Scheduler", PointerValue(m_schedulerFactory.Create<OfdmaScheduler>()));
    bs->SetAttribute("LinkAdaptation", StringValue(m_linkAdaptation));
    bs->SetAttribute("TxPowerDbm", DoubleValue(m_bsTxPowerDbm));
    bs->SetAddress(Mac48Address::Allocate());
    bs->SetNode(server);
    server->AddDevice(bs);
    Ptr<MobilityModel> serverMobility = server->GetObject<MobilityModel>();
    Ptr<OfdmaSpectrumPhy> bsUl = CreateObject<OfdmaSpectrumPhy>();
    Ptr<OfdmaSpectrumPhy> bsDl = CreateObject<OfdmaSpectrumPhy>();
    for (const auto& [phy, model, channel] :
         {std::make_tuple(bsUl, ulModel, m_ulChannel), std::make_tuple(bsDl, dlModel, m_dlChannel)})
    {
        phy->SetAttribute("NoiseFigure", DoubleValue(m_noiseFigureDb));
        phy->Configure(model, m_cellId, true, 0);
        phy->SetDevice(bs);
        phy->SetMobility(serverMobility);
        phy->SetChannel(channel);
    }
    m_ulChannel->AddRx(bsUl);
    bs->SetSpectrumChannel(m_dlChannel);
    bs->Configure(m_cellId, m_numerology, m_bandwidthMHz, bsUl, bsDl);
    // The base station owns the random models of the carriers this Install created, so that
    // its AssignStreams (and an EdgeNetwork's, through it) fixes them.
    bs->SetRandomModels(
        std::vector<Ptr<PropagationLossModel>>(m_losses.begin() + lossesBefore, m_losses.end()),
        std::vector<Ptr<ChannelConditionModel>>(m_conditions.begin() + conditionsBefore,
                                                m_conditions.end()));

    NetDeviceContainer result;
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<Node> node = devices.Get(i);
        Ptr<OfdmaUeNetDevice> ue = CreateObject<OfdmaUeNetDevice>();
        ue->SetAttribute("MaxTxPowerDbm", DoubleValue(m_ueMaxTxPowerDbm));
        ue->SetAttribute("TxPowerDbm", DoubleValue(m_ueTxPowerDbm));
        ue->SetAddress(Mac48Address::Allocate());
        ue->SetNode(node);
        node->AddDevice(ue);
        Ptr<MobilityModel> mobility = node->GetObject<MobilityModel>();
        Ptr<OfdmaSpectrumPhy> ueUl = CreateObject<OfdmaSpectrumPhy>();
        Ptr<OfdmaSpectrumPhy> ueDl = CreateObject<OfdmaSpectrumPhy>();
        for (const auto& [phy, model, channel] : {std::make_tuple(ueUl, ulModel, m_ulChannel),
                                                  std::make_tuple(ueDl, dlModel, m_dlChannel)})
        {
            phy->SetAttribute("NoiseFigure", DoubleValue(m_noiseFigureDb));
            phy->Configure(model, m_cellId, false, i);
            phy->SetDevice(ue);
            phy->SetMobility(mobility);
            phy->SetChannel(channel);
        }
        m_dlChannel->AddRx(ueDl);
        ue->SetSpectrumChannel(m_dlChannel);
        ue->Attach(bs, i, ueUl, ueDl);
        bs->AddUe(ue);
        result.Add(ue);
    }
    result.Add(bs);
    m_cells.push_back(bs);
    return result;
}

Ptr<OfdmaBsNetDevice>
OfdmaCellHelper::GetBaseStation(Ptr<Node> server)
{
    for (uint32_t i = 0; server && i < server->GetNDevices(); ++i)
    {
        Ptr<OfdmaBsNetDevice> bs = DynamicCast<OfdmaBsNetDevice>(server->GetDevice(i));
        if (bs)
        {
            return bs;
        }
    }
    return nullptr;
}

std::string
OfdmaCellHelper::SetBandwidthShares(Ptr<OfdmaBsNetDevice> bs, const std::string& shares)
{
    std::vector<std::string> texts = SplitCommaSeparated(shares);
    if (!shares.empty() && texts.size() != bs->GetUeCount())
    {
        return "shares='" + shares + "' has " + std::to_string(texts.size()) +
               " entries: must have one per device (" + std::to_string(bs->GetUeCount()) + ")";
    }
    for (uint32_t i = 0; i < texts.size(); ++i)
    {
        double share = 0;
        try
        {
            share = std::stod(texts[i]);
        }
        catch (const std::exception&)
        {
            return "shares entry '" + texts[i] + "' is not a number";
        }
        std::string problem = bs->CheckBandwidthShare(i, share);
        if (!problem.empty())
        {
            return problem;
        }
        bs->SetBandwidthShare(i, share);
    }
    return "";
}

namespace
{

/// One top-up of KeepBacklogged, then the next one a millisecond later.
void
TopUp(Ptr<OfdmaBsNetDevice> bs, Time stop, uint64_t queueBytes)
{
    for (uint32_t i = 0; i < bs->GetUeCount(); ++i)
    {
        Ptr<OfdmaUeNetDevice> ue = bs->GetUe(i);
        while (ue->GetQueue().GetBytes() < queueBytes)
        {
            if (!ue->Send(Create<Packet>(1500), bs->GetAddress(), 0x0800))
            {
                break; // full (MaxQueueBytes below queueBytes)
            }
        }
        while (bs->GetDownlinkQueueBytes(i) < queueBytes)
        {
            if (!bs->Send(Create<Packet>(1500), ue->GetAddress(), 0x0800))
            {
                break;
            }
        }
    }
    if (Simulator::Now() + MilliSeconds(1) < stop)
    {
        Simulator::Schedule(MilliSeconds(1), &TopUp, bs, stop, queueBytes);
    }
}

} // namespace

void
OfdmaCellHelper::KeepBacklogged(Ptr<OfdmaBsNetDevice> bs, Time stop, uint64_t queueBytes)
{
    NS_ABORT_MSG_IF(!bs, "OfdmaCellHelper::KeepBacklogged: the base station is null");
    Simulator::Schedule(Seconds(0), &TopUp, bs, stop, queueBytes);
}

Ptr<EdgeNetwork>
OfdmaCellHelper::InstallEdgeNetwork(NodeContainer devices, Ptr<Node> server)
{
    NS_LOG_FUNCTION(this << devices.GetN() << server);
    Require(Validate());
    if (!server)
    {
        NS_FATAL_ERROR("server is null: InstallEdgeNetwork needs a server node");
    }
    if (server->GetObject<EdgeNetwork>())
    {
        NS_FATAL_ERROR("server (node id " << server->GetId()
                                          << ") already serves an EdgeNetwork: one network per "
                                             "server node");
    }
    NetDeviceContainer cell = Install(server, devices);
    uint32_t n = devices.GetN();
    Ptr<NetDevice> bs = cell.Get(n);

    Ptr<EdgeNetwork> network = CreateObject<EdgeNetwork>();
    // As EdgeNetworkHelper does: the server node keeps the network and lets the runtime find it.
    server->AggregateObject(network);
    network->SetNodes("ofdma", devices, server);

    InternetStackHelper stack;
    NodeContainer all(devices, NodeContainer(server));
    for (uint32_t i = 0; i < all.GetN(); ++i)
    {
        if (!all.Get(i)->GetObject<Ipv4>())
        {
            stack.Install(all.Get(i));
        }
    }
    // The server first (10.0.0.1), then the devices in order.
    NetDeviceContainer ordered(bs);
    for (uint32_t i = 0; i < n; ++i)
    {
        ordered.Add(cell.Get(i));
    }
    Ipv4AddressHelper addresses("10.0.0.0", "255.255.0.0");
    Ipv4InterfaceContainer interfaces = addresses.Assign(ordered);
    // No queue disc: the devices' byte queues hold the backlog (as on the wired networks).
    for (uint32_t k = 0; k < ordered.GetN(); ++k)
    {
        Ptr<NetDevice> device = ordered.Get(k);
        Ptr<TrafficControlLayer> tc = device->GetNode()->GetObject<TrafficControlLayer>();
        if (tc && tc->GetRootQueueDiscOnDevice(device))
        {
            TrafficControlHelper().Uninstall(device);
        }
    }
    std::vector<Ipv4Address> address(n + 1);
    std::vector<Ptr<NetDevice>> device(n + 1);
    address[n] = interfaces.GetAddress(0);
    device[n] = bs;
    for (uint32_t i = 0; i < n; ++i)
    {
        address[i] = interfaces.GetAddress(i + 1);
        device[i] = cell.Get(i);
    }
    // Device-to-device traffic is addressed to the peer directly; the base station relays it
    // at layer 2 (no IP forwarding on the server).
    network->AddOneDevicePerNode(device, address);
    for (const auto& condition : m_conditions)
    {
        network->AddChannelConditionModel(condition);
    }
    return network;
}

int64_t
OfdmaCellHelper::AssignStreams(int64_t stream)
{
    int64_t used = 0;
    for (const auto& bs : m_cells)
    {
        used += bs->AssignStreams(stream + used);
    }
    return used;
}

Ptr<SpectrumChannel>
OfdmaCellHelper::GetUplinkChannel() const
{
    return m_ulChannel;
}

Ptr<SpectrumChannel>
OfdmaCellHelper::GetDownlinkChannel() const
{
    return m_dlChannel;
}

} // namespace edgellm
} // namespace ns3
