/* SPDX-License-Identifier: GPL-2.0-only */
#include "wifi-network-helper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/he-configuration.h"
#include "ns3/ht-configuration.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/neighbor-cache-helper.h"
#include "ns3/nstime.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/propagation-delay-model.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/qos-txop.h"
#include "ns3/ssid.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/vht-configuration.h"
#include "ns3/wifi-helper.h"
#include "ns3/wifi-mac-helper.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy-operating-channel.h"
#include "ns3/wifi-remote-station-manager.h"
#include "ns3/yans-wifi-channel.h"
#include "ns3/yans-wifi-helper.h"

#include <map>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmWifiNetworkHelper");

namespace
{

/** How long an ADDBA originator waits for the response (ns-3.37 default: 1 ms). */
const Time ADDBA_RESPONSE_TIMEOUT = MilliSeconds(50);

/// NS_FATAL_ERROR with \p problem when not empty.
void
Require(const std::string& problem)
{
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
}

} // namespace

void
WifiNetworkHelper::SetBlockAckWarmUp(bool enable)
{
    m_blockAckWarmUp = enable;
}

void
WifiNetworkHelper::SetPhyAttribute(const std::string& name, const AttributeValue& value)
{
    m_phyAttributes.emplace_back(name, value.Copy());
}

void
WifiNetworkHelper::SetStationMacAttribute(const std::string& name, const AttributeValue& value)
{
    m_stationMacAttributes.emplace_back(name, value.Copy());
}

void
WifiNetworkHelper::SetApMacAttribute(const std::string& name, const AttributeValue& value)
{
    m_apMacAttributes.emplace_back(name, value.Copy());
}

std::string
WifiNetworkHelper::CheckChannelWidth(uint32_t mhz)
{
    if (mhz == 20 || mhz == 40 || mhz == 80 || mhz == 160)
    {
        return "";
    }
    return "channel-width=" + std::to_string(mhz) +
           " MHz is not an 802.11ax channel width in the 5 GHz band; allowed: 20, 40, 80, 160";
}

void
WifiNetworkHelper::SetChannelWidth(uint32_t mhz)
{
    Require(CheckChannelWidth(mhz));
    m_channelWidth = mhz;
}

uint32_t
WifiNetworkHelper::GetChannelWidth() const
{
    return m_channelWidth;
}

std::string
WifiNetworkHelper::CheckD2dMode(const std::string& mode)
{
    if (mode == "ap" || mode == "adhoc")
    {
        return "";
    }
    return "d2d='" + mode + "' is not a known device-to-device mode; allowed: ap, adhoc";
}

void
WifiNetworkHelper::SetD2dMode(const std::string& mode)
{
    Require(CheckD2dMode(mode));
    m_d2dMode = mode;
}

std::string
WifiNetworkHelper::GetD2dMode() const
{
    return m_d2dMode;
}

std::string
WifiNetworkHelper::CheckRateControl(const std::string& control)
{
    if (control == "ideal" || control == "constant")
    {
        return "";
    }
    return "rate-control='" + control + "' is not a known rate control; allowed: ideal, constant";
}

void
WifiNetworkHelper::SetRateControl(const std::string& control)
{
    Require(CheckRateControl(control));
    m_rateControl = control;
}

std::string
WifiNetworkHelper::GetRateControl() const
{
    return m_rateControl;
}

std::string
WifiNetworkHelper::CheckHeMcs(uint32_t mcs)
{
    if (mcs <= 11)
    {
        return "";
    }
    return "he-mcs=" + std::to_string(mcs) + " is not an HE MCS; allowed: 0..11";
}

void
WifiNetworkHelper::SetHeMcs(uint32_t mcs)
{
    Require(CheckHeMcs(mcs));
    m_heMcs = mcs;
}

std::string
WifiNetworkHelper::CheckGuardInterval(uint32_t ns)
{
    if (ns == 800 || ns == 1600 || ns == 3200)
    {
        return "";
    }
    return "guard-interval=" + std::to_string(ns) +
           " ns is not an HE guard interval; allowed: 800, 1600, 3200";
}

void
WifiNetworkHelper::SetGuardInterval(uint32_t ns)
{
    Require(CheckGuardInterval(ns));
    m_guardInterval = ns;
}

uint8_t
WifiNetworkHelper::GetChannelNumber(uint32_t widthMhz, bool adhoc)
{
    Require(CheckChannelWidth(widthMhz));
    // Infrastructure: ns-3's default channel of each width in the 5 GHz band. Ad hoc: a
    // channel of the same width in U-NII-3 (or U-NII-2C for 160 MHz) that does not overlap it.
    switch (widthMhz)
    {
    case 20:
        return adhoc ? 149 : 36;
    case 40:
        return adhoc ? 151 : 38;
    case 80:
        return adhoc ? 155 : 42;
    default:
        return adhoc ? 114 : 50;
    }
}

double
WifiNetworkHelper::GetChannelFrequencyHz(uint32_t widthMhz, bool adhoc)
{
    WifiPhyOperatingChannel channel;
    channel.Set(GetChannelNumber(widthMhz, adhoc),
                0,
                widthMhz,
                WIFI_STANDARD_80211ax,
                WIFI_PHY_BAND_5GHZ);
    return channel.GetFrequency() * 1e6;
}

namespace
{

/**
 * A WifiHelper that also builds a device that no node lists: the same standard, HT/VHT/HE
 * configurations, PHY, rate manager and MAC as Install gives a node, step for step as
 * WifiHelper::Install, but the node does not add it to its devices (it only knows its node,
 * which WifiNetDevice needs to complete its configuration), so nothing initializes it: its MAC
 * never starts (no beacon, no scan) and it schedules nothing.
 */
class UnattachedWifiHelper : public WifiHelper
{
  public:
    /**
     * \param phy the PHY helper (its channel gets the prototype's PHY)
     * \param mac the MAC helper
     * \param node the node the device names as its own (it is not among the node's devices)
     * \return the device
     */
    Ptr<WifiNetDevice> CreateUnattached(const WifiPhyHelper& phy,
                                        const WifiMacHelper& mac,
                                        Ptr<Node> node) const
    {
        Ptr<WifiNetDevice> device = CreateObject<WifiNetDevice>();
        device->SetNode(node);
        device->SetStandard(m_standard);
        device->SetHtConfiguration(m_htConfig.Create<HtConfiguration>());
        device->SetVhtConfiguration(m_vhtConfig.Create<VhtConfiguration>());
        device->SetHeConfiguration(m_heConfig.Create<HeConfiguration>());
        // YansWifiPhyHelper::Create does not use the node
        std::vector<Ptr<WifiPhy>> phys = phy.Create(node, device);
        device->SetPhys(phys);
        std::vector<Ptr<WifiRemoteStationManager>> managers;
        for (auto& p : phys)
        {
            p->ConfigureStandard(m_standard);
            managers.push_back(m_stationManager.Create<WifiRemoteStationManager>());
        }
        device->SetRemoteStationManagers(managers);
        mac.Create(device, m_standard);
        return device;
    }
};

} // namespace

void
WifiNetworkHelper::ConfigureWifi(WifiHelper& wifi) const
{
    wifi.SetStandard(WIFI_STANDARD_80211ax);
    if (m_rateControl == "ideal")
    {
        wifi.SetRemoteStationManager("ns3::IdealWifiManager");
    }
    else
    {
        std::string mode = "HeMcs" + std::to_string(m_heMcs);
        wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                     "DataMode",
                                     StringValue(mode),
                                     "ControlMode",
                                     StringValue(mode));
    }
    wifi.ConfigHeOptions("GuardInterval", TimeValue(NanoSeconds(m_guardInterval)));
}

YansWifiPhyHelper
WifiNetworkHelper::MakePhyHelper(Ptr<YansWifiChannel> channel, bool adhoc) const
{
    YansWifiPhyHelper phy;
    phy.SetChannel(channel);
    std::string settings = "{" + std::to_string(GetChannelNumber(m_channelWidth, adhoc)) + ", " +
                           std::to_string(m_channelWidth) + ", BAND_5GHZ, 0}";
    phy.Set("ChannelSettings", StringValue(settings));
    for (const auto& [name, value] : m_phyAttributes)
    {
        phy.Set(name, *value);
    }
    return phy;
}

Ptr<YansWifiChannel>
WifiNetworkHelper::MakeChannel(Ptr<PropagationLossModel> loss)
{
    Ptr<YansWifiChannel> channel = CreateObject<YansWifiChannel>();
    channel->SetPropagationDelayModel(CreateObject<ConstantSpeedPropagationDelayModel>());
    channel->SetPropagationLossModel(loss);
    return channel;
}

WifiMacHelper
WifiNetworkHelper::MakeStationMacHelper(const std::string& ssid) const
{
    WifiMacHelper mac;
    // Active probing: a station associates a few ms after start instead of waiting for a
    // beacon (up to 102.4 ms).
    // No disassociation on missed beacons: in ns-3.37 a station at the edge of range whose
    // beacon watchdog expires while it waits for an Association Response keeps its Association
    // Request timer, which then fires with no BSSID and aborts the run (sta-wifi-mac.cc,
    // "No BSSID set"). Stations here do not roam; one that cannot associate is reported by
    // EdgeNetwork's ReadyTimeout, and a link lost later by the transport.
    mac.SetType("ns3::StaWifiMac",
                "Ssid",
                SsidValue(Ssid(ssid)),
                "ActiveProbing",
                BooleanValue(true),
                "MaxMissedBeacons",
                UintegerValue(100000000));
    for (const auto& [name, value] : m_stationMacAttributes)
    {
        mac.SetType("ns3::StaWifiMac", name, *value);
    }
    return mac;
}

void
WifiNetworkHelper::SetAddBaResponseTimeouts(const NetDeviceContainer& devices)
{
    // ns-3.37 waits only 1 ms for an ADDBA response. When the response comes later (the peer
    // is contending for the channel itself), the originator has meanwhile sent frames with a
    // normal Ack, then sets the agreement up one sequence number further than the recipient,
    // whose reordering buffer then waits forever for a frame it already passed up: the link
    // stops for good. 50 ms covers the response under heavy contention; the warm-up
    // (SetBlockAckWarmUp) avoids the race altogether for the runtime's traffic.
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<WifiMac> mac = DynamicCast<WifiNetDevice>(devices.Get(i))->GetMac();
        for (AcIndex ac : {AC_BE, AC_BK, AC_VI, AC_VO})
        {
            mac->GetQosTxop(ac)->SetAddBaResponseTimeout(ADDBA_RESPONSE_TIMEOUT);
        }
    }
}

WifiMacHelper
WifiNetworkHelper::MakeApMacHelper(const std::string& ssid) const
{
    WifiMacHelper mac;
    mac.SetType("ns3::ApWifiMac", "Ssid", SsidValue(Ssid(ssid)));
    for (const auto& [name, value] : m_apMacAttributes)
    {
        mac.SetType("ns3::ApWifiMac", name, *value);
    }
    return mac;
}

void
WifiNetworkHelper::InstallFlowOnly(Ptr<EdgeNetwork> network, const WifiRadioSettings& radio) const
{
    UnattachedWifiHelper wifi;
    ConfigureWifi(wifi);
    // The same loss chains (and streams) as the installed network; their channels carry no
    // PHY. The prototype is the access point's device on a channel of its own.
    Ptr<PropagationLossModel> loss =
        radio.lossChain(network, GetChannelFrequencyHz(m_channelWidth, false));
    Ptr<YansWifiChannel> channel = MakeChannel(loss);
    Ptr<YansWifiChannel> adhocChannel;
    Ptr<PropagationLossModel> adhocLoss;
    if (m_d2dMode == "adhoc")
    {
        adhocLoss = radio.lossChain(network, GetChannelFrequencyHz(m_channelWidth, true));
        adhocChannel = MakeChannel(adhocLoss);
    }
    YansWifiPhyHelper phy =
        MakePhyHelper(MakeChannel(CreateObject<FriisPropagationLossModel>()), false);
    phy.Set("TxPowerStart", DoubleValue(radio.serverTxPowerDbm));
    phy.Set("TxPowerEnd", DoubleValue(radio.serverTxPowerDbm));
    Ptr<WifiNetDevice> prototype =
        wifi.CreateUnattached(phy,
                              MakeApMacHelper(SSID),
                              network->GetNode(network->GetServerIndex()));
    std::vector<double> power(network->GetNodeCount(), radio.deviceTxPowerDbm);
    for (uint32_t cell = 0; cell < network->GetCellCount(); ++cell)
    {
        // every access point transmits at the server's power
        power[network->GetCellServerIndex(cell)] = radio.serverTxPowerDbm;
    }
    power[network->GetServerIndex()] = radio.serverTxPowerDbm;
    network->SetFlowOnly(prototype, power);
    network->SetWifiChannels(channel, loss, adhocChannel, adhocLoss);
}

void
WifiNetworkHelper::Install(Ptr<EdgeNetwork> network, const WifiRadioSettings& radio) const
{
    if (network->IsMultiCell())
    {
        InstallCells(network, radio);
        return;
    }
    uint32_t n = network->GetDeviceCount();
    uint32_t serverIndex = network->GetServerIndex();
    NodeContainer devices;
    for (uint32_t i = 0; i < n; ++i)
    {
        devices.Add(network->GetNode(i));
    }
    Ptr<Node> server = network->GetNode(serverIndex);

    WifiHelper wifi;
    ConfigureWifi(wifi);

    // Infrastructure BSS: the server is the access point.
    double frequency = GetChannelFrequencyHz(m_channelWidth, false);
    Ptr<PropagationLossModel> loss = radio.lossChain(network, frequency);
    Ptr<YansWifiChannel> channel = MakeChannel(loss);
    YansWifiPhyHelper phy = MakePhyHelper(channel, false);

    WifiMacHelper mac = MakeStationMacHelper(SSID);
    phy.Set("TxPowerStart", DoubleValue(radio.deviceTxPowerDbm));
    phy.Set("TxPowerEnd", DoubleValue(radio.deviceTxPowerDbm));
    NetDeviceContainer stations = wifi.Install(phy, mac, devices);

    phy.Set("TxPowerStart", DoubleValue(radio.serverTxPowerDbm));
    phy.Set("TxPowerEnd", DoubleValue(radio.serverTxPowerDbm));
    NetDeviceContainer ap = wifi.Install(phy, MakeApMacHelper(SSID), server);

    Ptr<YansWifiChannel> adhocChannel;
    Ptr<PropagationLossModel> adhocLoss;
    NetDeviceContainer adhocDevices;
    if (m_d2dMode == "adhoc")
    {
        double adhocFrequency = GetChannelFrequencyHz(m_channelWidth, true);
        adhocLoss = radio.lossChain(network, adhocFrequency);
        adhocChannel = MakeChannel(adhocLoss);
        YansWifiPhyHelper adhocPhy = MakePhyHelper(adhocChannel, true);
        adhocPhy.Set("TxPowerStart", DoubleValue(radio.deviceTxPowerDbm));
        adhocPhy.Set("TxPowerEnd", DoubleValue(radio.deviceTxPowerDbm));
        WifiMacHelper adhocMac;
        adhocMac.SetType("ns3::AdhocWifiMac");
        adhocDevices = wifi.Install(adhocPhy, adhocMac, devices);
    }
    network->SetWifiChannels(channel, loss, adhocChannel, adhocLoss);

    SetAddBaResponseTimeouts(NetDeviceContainer(NetDeviceContainer(stations, ap), adhocDevices));

    InternetStackHelper stack;
    for (uint32_t i = 0; i <= n; ++i)
    {
        if (!network->GetNode(i)->GetObject<Ipv4>())
        {
            stack.Install(network->GetNode(i));
        }
    }

    // The server first, so that it is 10.0.0.1.
    Ipv4AddressHelper infrastructure("10.0.0.0", "255.255.0.0");
    Ipv4InterfaceContainer apInterface = infrastructure.Assign(ap);
    Ipv4InterfaceContainer stationInterfaces = infrastructure.Assign(stations);
    network->AddNetDevice(serverIndex, ap.Get(0), apInterface.GetAddress(0));
    for (uint32_t i = 0; i < n; ++i)
    {
        network->AddNetDevice(i, stations.Get(i), stationInterfaces.GetAddress(i));
    }
    Ipv4InterfaceContainer adhocInterfaces;
    if (m_d2dMode == "adhoc")
    {
        Ipv4AddressHelper adhocAddresses("10.1.0.0", "255.255.0.0");
        adhocInterfaces = adhocAddresses.Assign(adhocDevices);
        for (uint32_t i = 0; i < n; ++i)
        {
            network->AddNetDevice(i, adhocDevices.Get(i), adhocInterfaces.GetAddress(i));
        }
    }
    if (radio.populateArpCache)
    {
        Ipv4InterfaceContainer all(apInterface);
        all.Add(stationInterfaces);
        all.Add(adhocInterfaces);
        NeighborCacheHelper().PopulateNeighborCache(all);
    }

    for (uint32_t from = 0; from <= n; ++from)
    {
        for (uint32_t to = 0; to <= n; ++to)
        {
            if (from == to)
            {
                continue;
            }
            bool d2d = from != serverIndex && to != serverIndex;
            if (d2d && m_d2dMode == "adhoc")
            {
                network->SetRoute(from, to, adhocInterfaces.GetAddress(to), adhocDevices.Get(from));
            }
            else
            {
                Ipv4Address address = to == serverIndex ? apInterface.GetAddress(0)
                                                        : stationInterfaces.GetAddress(to);
                Ptr<NetDevice> device = from == serverIndex ? ap.Get(0) : stations.Get(from);
                network->SetRoute(from, to, address, device);
            }
        }
    }
    network->SetPopulateArpCache(radio.populateArpCache);
    network->SetWarmUp(m_blockAckWarmUp);
    network->WatchAssociation();
}

void
WifiNetworkHelper::InstallCells(Ptr<EdgeNetwork> network, const WifiRadioSettings& radio) const
{
    const uint32_t n = network->GetDeviceCount();
    const uint32_t cells = network->GetCellCount();
    const uint32_t aggregator = network->GetServerIndex();
    NS_ABORT_MSG_IF(cells > MAX_PACKET_CELLS,
                    "cells=" << cells << " is too many for the packet level; allowed: 2.."
                             << MAX_PACKET_CELLS);
    WifiHelper wifi;
    ConfigureWifi(wifi);
    const bool adhoc = m_d2dMode == "adhoc";
    // One medium per radio channel: the cells on one channel share it (their frames collide
    // and defer as the PHY decides), cells on other channels never meet
    // by channel id: the medium and its loss chain
    using Media = std::map<uint32_t, std::pair<Ptr<YansWifiChannel>, Ptr<PropagationLossModel>>>;
    Media infrastructureChannels;
    Media adhocChannels;
    auto channelOf = [&](Media& channels, uint32_t id, bool direct) {
        auto found = channels.find(id);
        if (found == channels.end())
        {
            Ptr<PropagationLossModel> loss =
                radio.lossChain(network, GetChannelFrequencyHz(m_channelWidth, direct));
            found = channels.emplace(id, std::make_pair(MakeChannel(loss), loss)).first;
        }
        return found->second.first;
    };
    InternetStackHelper stack;
    for (uint32_t i = 0; i < network->GetNodeCount(); ++i)
    {
        if (!network->GetNode(i)->GetObject<Ipv4>())
        {
            stack.Install(network->GetNode(i));
        }
    }
    // per cell: its stations, its access point, its ad-hoc devices and their addresses
    std::vector<NetDeviceContainer> stations(cells);
    std::vector<NetDeviceContainer> aps(cells);
    std::vector<NetDeviceContainer> adhocDevices(cells);
    std::vector<Ipv4InterfaceContainer> stationInterfaces(cells);
    std::vector<Ipv4InterfaceContainer> apInterfaces(cells);
    std::vector<Ipv4InterfaceContainer> adhocInterfaces(cells);
    std::vector<std::vector<uint32_t>> members(cells);
    for (uint32_t i = 0; i < n; ++i)
    {
        members[network->GetCellOf(i)].push_back(i);
    }
    for (uint32_t c = 0; c < cells; ++c)
    {
        const std::string ssid = std::string(SSID) + "-" + std::to_string(c);
        const uint32_t channel = network->GetCellChannel(c);
        YansWifiPhyHelper phy =
            MakePhyHelper(channelOf(infrastructureChannels, channel, false), false);
        NodeContainer devices;
        for (uint32_t i : members[c])
        {
            devices.Add(network->GetNode(i));
        }
        phy.Set("TxPowerStart", DoubleValue(radio.deviceTxPowerDbm));
        phy.Set("TxPowerEnd", DoubleValue(radio.deviceTxPowerDbm));
        stations[c] = wifi.Install(phy, MakeStationMacHelper(ssid), devices);
        phy.Set("TxPowerStart", DoubleValue(radio.serverTxPowerDbm));
        phy.Set("TxPowerEnd", DoubleValue(radio.serverTxPowerDbm));
        aps[c] = wifi.Install(phy,
                              MakeApMacHelper(ssid),
                              network->GetNode(network->GetCellServerIndex(c)));
        // cell c's subnets: 10.(2 + c).0.0/16 for its BSS, 11.c.0.0/16 for its ad-hoc links
        Ipv4AddressHelper infrastructure(Ipv4Address((10U << 24) | ((2U + c) << 16)),
                                         "255.255.0.0");
        apInterfaces[c] = infrastructure.Assign(aps[c]);
        stationInterfaces[c] = infrastructure.Assign(stations[c]);
        if (adhoc)
        {
            YansWifiPhyHelper adhocPhy =
                MakePhyHelper(channelOf(adhocChannels, channel, true), true);
            adhocPhy.Set("TxPowerStart", DoubleValue(radio.deviceTxPowerDbm));
            adhocPhy.Set("TxPowerEnd", DoubleValue(radio.deviceTxPowerDbm));
            WifiMacHelper adhocMac;
            adhocMac.SetType("ns3::AdhocWifiMac");
            adhocDevices[c] = wifi.Install(adhocPhy, adhocMac, devices);
            Ipv4AddressHelper adhocAddresses(Ipv4Address((11U << 24) | (c << 16)), "255.255.0.0");
            adhocInterfaces[c] = adhocAddresses.Assign(adhocDevices[c]);
        }
        SetAddBaResponseTimeouts(
            NetDeviceContainer(NetDeviceContainer(stations[c], aps[c]), adhocDevices[c]));
    }
    const auto& first = infrastructureChannels.begin()->second;
    const auto none = std::make_pair(Ptr<YansWifiChannel>(), Ptr<PropagationLossModel>());
    const auto& firstAdhoc = adhoc ? adhocChannels.begin()->second : none;
    network->SetWifiChannels(first.first, first.second, firstAdhoc.first, firstAdhoc.second);
    // the other media's loss chains get fixed streams too (EdgeNetwork::AssignStreams)
    for (const Media* channels : {&infrastructureChannels, &adhocChannels})
    {
        for (auto it = channels->empty() ? channels->end() : std::next(channels->begin());
             it != channels->end();
             ++it)
        {
            network->AddWifiChannel(it->second.first, it->second.second);
        }
    }

    // The backhaul: a point-to-point link from each cell's server to the aggregation server,
    // 12.c.0.0/24 (the cell's server .1, the aggregator .2)
    PointToPointHelper backhaul;
    backhaul.SetDeviceAttribute(
        "DataRate",
        DataRateValue(DataRate(static_cast<uint64_t>(network->GetBackhaulBitRate()))));
    backhaul.SetChannelAttribute("Delay", TimeValue(network->GetBackhaulDelay()));
    std::vector<NetDeviceContainer> links(cells);
    std::vector<Ipv4InterfaceContainer> linkInterfaces(cells);
    for (uint32_t c = 0; c < cells; ++c)
    {
        links[c] = backhaul.Install(network->GetNode(network->GetCellServerIndex(c)),
                                    network->GetNode(aggregator));
        Ipv4AddressHelper addresses(Ipv4Address((12U << 24) | (c << 16)), "255.255.255.0");
        linkInterfaces[c] = addresses.Assign(links[c]);
    }

    // The nodes' devices and addresses, the infrastructure interface first
    for (uint32_t c = 0; c < cells; ++c)
    {
        for (uint32_t k = 0; k < members[c].size(); ++k)
        {
            network->AddNetDevice(members[c][k],
                                  stations[c].Get(k),
                                  stationInterfaces[c].GetAddress(k));
        }
        const uint32_t server = network->GetCellServerIndex(c);
        network->AddNetDevice(server, aps[c].Get(0), apInterfaces[c].GetAddress(0));
        network->AddNetDevice(server, links[c].Get(0), linkInterfaces[c].GetAddress(0));
        network->AddNetDevice(aggregator, links[c].Get(1), linkInterfaces[c].GetAddress(1));
    }
    if (adhoc)
    {
        for (uint32_t c = 0; c < cells; ++c)
        {
            for (uint32_t k = 0; k < members[c].size(); ++k)
            {
                network->AddNetDevice(members[c][k],
                                      adhocDevices[c].Get(k),
                                      adhocInterfaces[c].GetAddress(k));
            }
        }
    }
    if (radio.populateArpCache)
    {
        for (uint32_t c = 0; c < cells; ++c)
        {
            Ipv4InterfaceContainer all(apInterfaces[c]);
            all.Add(stationInterfaces[c]);
            all.Add(adhocInterfaces[c]);
            NeighborCacheHelper().PopulateNeighborCache(all);
        }
    }

    // Static routes: a device sends beyond its cell through its access point; a cell's server
    // sends beyond its cell up its backhaul link; the aggregator reaches each cell's BSS
    // through that cell's server
    Ipv4StaticRoutingHelper routing;
    for (uint32_t c = 0; c < cells; ++c)
    {
        const uint32_t server = network->GetCellServerIndex(c);
        for (uint32_t i : members[c])
        {
            Ptr<Ipv4> ipv4 = network->GetNode(i)->GetObject<Ipv4>();
            routing.GetStaticRouting(ipv4)->SetDefaultRoute(
                apInterfaces[c].GetAddress(0),
                ipv4->GetInterfaceForDevice(network->GetNetDevices(i).Get(0)));
        }
        Ptr<Ipv4> serverIpv4 = network->GetNode(server)->GetObject<Ipv4>();
        routing.GetStaticRouting(serverIpv4)
            ->SetDefaultRoute(linkInterfaces[c].GetAddress(1),
                              serverIpv4->GetInterfaceForDevice(links[c].Get(0)));
        Ptr<Ipv4> aggregatorIpv4 = network->GetNode(aggregator)->GetObject<Ipv4>();
        routing.GetStaticRouting(aggregatorIpv4)
            ->AddNetworkRouteTo(Ipv4Address((10U << 24) | ((2U + c) << 16)),
                                Ipv4Mask("255.255.0.0"),
                                linkInterfaces[c].GetAddress(0),
                                aggregatorIpv4->GetInterfaceForDevice(links[c].Get(1)));
    }

    // Who connects to which address: within a cell as on one cell; across cells, the
    // destination's BSS address (or, from and to the aggregator, the link's)
    const uint32_t nodes = network->GetNodeCount();
    for (uint32_t from = 0; from < nodes; ++from)
    {
        for (uint32_t to = 0; to < nodes; ++to)
        {
            if (from == to)
            {
                continue;
            }
            const uint32_t fromCell = network->GetCellOf(from);
            const uint32_t toCell = network->GetCellOf(to);
            const bool devices = from < n && to < n;
            if (devices && adhoc && fromCell == toCell)
            {
                network->SetRoute(from,
                                  to,
                                  network->GetAddresses(to)[1],
                                  network->GetNetDevices(from).Get(1));
                continue;
            }
            Ipv4Address address = network->GetAddresses(to)[0];
            if (to == aggregator)
            {
                address = linkInterfaces[fromCell].GetAddress(1);
            }
            else if (from == aggregator && to >= n)
            {
                address = linkInterfaces[toCell].GetAddress(0);
            }
            Ptr<NetDevice> device;
            if (from == aggregator)
            {
                device = links[toCell].Get(1);
            }
            else if (from >= n)
            {
                // a cell's server: its BSS within the cell, its backhaul link beyond
                device = fromCell == toCell ? aps[fromCell].Get(0) : links[fromCell].Get(0);
            }
            else
            {
                device = network->GetNetDevices(from).Get(0);
            }
            network->SetRoute(from, to, address, device);
        }
    }
    network->SetPopulateArpCache(radio.populateArpCache);
    network->SetWarmUp(m_blockAckWarmUp);
    network->WatchAssociation();
}

} // namespace edgellm
} // namespace ns3
