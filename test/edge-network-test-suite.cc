/* SPDX-License-Identifier: GPL-2.0-only */

// Tests of EdgeNetworkHelper and EdgeNetwork: addresses, bytes delivered over each network
// kind, transmit power control, fading statistics and determinism, the TCP timing of the
// point-to-point mesh, and every bad-input message.

#include "ns3/ampdu-subframe-header.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/config.h"
#include "ns3/edge-network-helper.h"
#include "ns3/edge-network.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4.h"
#include "ns3/mobility-model.h"
#include "ns3/network-state.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/ofdma-ue-net-device.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-disc.h"
#include "ns3/queue.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/udp-client-server-helper.h"
#include "ns3/uinteger.h"
#include "ns3/wifi-mac-header.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-mpdu-type.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"

#include <cmath>
#include <fstream>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \brief Read the MAC header of an MPDU reported by the MonitorSnifferRx trace.
 * \param packet the MPDU, with its A-MPDU subframe header unless a normal MPDU
 * \param info the MPDU type
 * \param[out] header the MAC header
 */
void
ReadMacHeader(Ptr<const Packet> packet, const MpduInfo& info, WifiMacHeader& header)
{
    Ptr<Packet> copy = packet->Copy();
    if (info.type != NORMAL_MPDU)
    {
        AmpduSubframeHeader subframe;
        copy->RemoveHeader(subframe);
    }
    copy->PeekHeader(header);
}

/**
 * \param device a NetDevice
 * \return its MAC address as a Mac48Address
 */
Mac48Address
MacOf(Ptr<NetDevice> device)
{
    return Mac48Address::ConvertFrom(device->GetAddress());
}

/**
 * \brief Install a PacketSink on a node.
 * \param node the node
 * \param port the TCP port
 * \return the sink
 */
Ptr<PacketSink>
InstallSink(Ptr<Node> node, uint16_t port)
{
    PacketSinkHelper helper("ns3::TcpSocketFactory",
                            InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer apps = helper.Install(node);
    apps.Start(Seconds(0));
    return DynamicCast<PacketSink>(apps.Get(0));
}

/**
 * \brief Install a BulkSendApplication that sends \p bytes to \p address:\p port, starting now
 *        + \p start.
 * \param node the sender
 * \param address the receiver's address
 * \param port the TCP port
 * \param bytes the number of bytes
 * \param start the start delay
 */
void
InstallBulkSend(Ptr<Node> node, Ipv4Address address, uint16_t port, uint64_t bytes, Time start)
{
    BulkSendHelper helper("ns3::TcpSocketFactory", InetSocketAddress(address, port));
    helper.SetAttribute("MaxBytes", UintegerValue(bytes));
    ApplicationContainer apps = helper.Install(node);
    apps.Start(start);
}

/** Transmit power of the tests, dBm. */
constexpr double TX_DBM = 20.0;

/**
 * Free-space loss at 1 m and 5180 MHz (channel 36, the 20 MHz infrastructure channel), the
 * log-distance reference loss: 20 log10(4 pi f / c) = 20 log10(4 pi x 5.18e9 / 299792458)
 * = 20 log10(217.1295) = 46.7344 dB.
 */
constexpr double REFERENCE_LOSS_5180_DB = 46.7344;

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief Wi-Fi, device-to-device through the access point: addresses, readiness, bytes
 *        delivered device to device (relayed by the AP) and device to server.
 */
class EdgeNetworkWifiApTestCase : public TestCase
{
  public:
    EdgeNetworkWifiApTestCase()
        : TestCase("Wi-Fi (d2d through the AP): addresses and 200 kB delivered d2d and to server")
    {
    }

  private:
    void DoRun() override;

    /** ConfigureTcpDefaults changed global defaults: restore them for the next tests. */
    void DoTeardown() override
    {
        Config::Reset();
    }

    /** Start the transfers once the stations are associated. */
    void Start();

    /**
     * \brief Count the frames device 1 receives.
     * \param packet the MPDU
     * \param channelFreqMhz the channel
     * \param txVector the TX vector
     * \param aMpdu MPDU info
     * \param signalNoise the signal and noise
     * \param staId the station ID
     */
    void Device1Sniffer(Ptr<const Packet> packet,
                        uint16_t channelFreqMhz,
                        WifiTxVector txVector,
                        MpduInfo aMpdu,
                        SignalNoiseDbm signalNoise,
                        uint16_t staId);

    Ptr<EdgeNetwork> m_network;     //!< the network
    Time m_readyTime{Seconds(-1)};  //!< when the stations were associated
    uint64_t m_fromApBytes{0};      //!< data bytes device 1 received from the AP
    uint64_t m_fromDevice0Bytes{0}; //!< data bytes device 1 received straight from device 0
};

void
EdgeNetworkWifiApTestCase::Start()
{
    m_readyTime = Simulator::Now();
    uint32_t server = m_network->GetServerIndex();
    InstallBulkSend(m_network->GetNode(0),
                    m_network->GetPeerAddress(0, 1),
                    5000,
                    200000,
                    Seconds(0));
    InstallBulkSend(m_network->GetNode(0),
                    m_network->GetPeerAddress(0, server),
                    5001,
                    200000,
                    Seconds(0));
}

void
EdgeNetworkWifiApTestCase::Device1Sniffer(Ptr<const Packet> packet,
                                          uint16_t channelFreqMhz,
                                          WifiTxVector txVector,
                                          MpduInfo aMpdu,
                                          SignalNoiseDbm signalNoise,
                                          uint16_t staId)
{
    WifiMacHeader header;
    ReadMacHeader(packet, aMpdu, header);
    if (!header.IsData() || header.GetAddr1() != MacOf(m_network->GetNetDevices(1).Get(0)))
    {
        return;
    }
    if (header.GetAddr2() == MacOf(m_network->GetNetDevices(3).Get(0)))
    {
        m_fromApBytes += packet->GetSize();
    }
    else if (header.GetAddr2() == MacOf(m_network->GetNetDevices(0).Get(0)))
    {
        m_fromDevice0Bytes += packet->GetSize();
    }
}

void
EdgeNetworkWifiApTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper helper;
    m_network = helper.Install(3);
    helper.AssignStreams(m_network, 1000);

    NS_TEST_ASSERT_MSG_EQ(m_network->GetKind(), "wifi", "kind");
    NS_TEST_ASSERT_MSG_EQ(m_network->GetDeviceCount(), 3, "device count");
    NS_TEST_ASSERT_MSG_EQ(m_network->GetNodes().GetN(), 4, "devices + server");
    NS_TEST_ASSERT_MSG_EQ(m_network->GetServerIndex(), 3, "server is last");
    // Addresses: the AP (server) is assigned first, 10.0.0.1; device i is 10.0.0.(i+2).
    NS_TEST_ASSERT_MSG_EQ(m_network->GetPeerAddress(0, 3), Ipv4Address("10.0.0.1"), "0->server");
    NS_TEST_ASSERT_MSG_EQ(m_network->GetPeerAddress(2, 3), Ipv4Address("10.0.0.1"), "2->server");
    NS_TEST_ASSERT_MSG_EQ(m_network->GetPeerAddress(0, 1), Ipv4Address("10.0.0.3"), "0->1");
    NS_TEST_ASSERT_MSG_EQ(m_network->GetPeerAddress(3, 2), Ipv4Address("10.0.0.4"), "server->2");
    NS_TEST_ASSERT_MSG_EQ(m_network->GetAddresses(1).size(), 1, "one interface per device");
    NS_TEST_ASSERT_MSG_EQ(m_network->GetAddresses(1)[0], Ipv4Address("10.0.0.3"), "device 1");
    // The address really is on the node's IPv4 stack.
    Ptr<Ipv4> ipv4 = m_network->GetNode(1)->GetObject<Ipv4>();
    NS_TEST_ASSERT_MSG_EQ(
        ipv4->GetAddress(ipv4->GetInterfaceForDevice(m_network->GetLinkDevice(1, 0)), 0).GetLocal(),
        Ipv4Address("10.0.0.3"),
        "stack address of device 1");
    uint32_t node = 99;
    NS_TEST_ASSERT_MSG_EQ(m_network->LookupNode(Ipv4Address("10.0.0.4"), node), true, "lookup");
    NS_TEST_ASSERT_MSG_EQ(node, 2, "10.0.0.4 is device 2");
    NS_TEST_ASSERT_MSG_EQ(m_network->LookupNode(Ipv4Address("10.9.9.9"), node), false, "unknown");
    // Defaults: 20 dBm on every radio.
    NS_TEST_ASSERT_MSG_EQ_TOL(m_network->GetTxPowerDbm(0), 20.0, 1e-12, "device power");
    NS_TEST_ASSERT_MSG_EQ_TOL(m_network->GetTxPowerDbm(3), 20.0, 1e-12, "server power");
    NS_TEST_ASSERT_MSG_EQ(m_network->IsReady(), false, "nobody associated before the run");

    Ptr<PacketSink> d2dSink = InstallSink(m_network->GetNode(1), 5000);
    Ptr<PacketSink> serverSink = InstallSink(m_network->GetNode(3), 5001);
    Ptr<WifiNetDevice> device1 = DynamicCast<WifiNetDevice>(m_network->GetNetDevices(1).Get(0));
    device1->GetPhy()->TraceConnectWithoutContext(
        "MonitorSnifferRx",
        MakeCallback(&EdgeNetworkWifiApTestCase::Device1Sniffer, this));
    m_network->NotifyWhenReady(MakeCallback(&EdgeNetworkWifiApTestCase::Start, this));

    Simulator::Stop(Seconds(3));
    Simulator::Run();

    NS_TEST_ASSERT_MSG_EQ(m_network->IsReady(), true, "stations associated");
    // Active probing: association takes a probe exchange and an association exchange, a few
    // ms, not a beacon interval (102.4 ms).
    NS_TEST_ASSERT_MSG_GT(m_readyTime, Seconds(0), "ready callback ran");
    NS_TEST_ASSERT_MSG_LT(m_readyTime, MilliSeconds(100), "associated within 100 ms");
    NS_TEST_ASSERT_MSG_EQ(d2dSink->GetTotalRx(), 200000, "device 0 -> device 1 bytes");
    NS_TEST_ASSERT_MSG_EQ(serverSink->GetTotalRx(), 200000, "device 0 -> server bytes");
    // In a BSS every frame to device 1 is sent by the AP: at least the 200 kB of payload
    // (plus headers) came from the AP, none straight from device 0.
    NS_TEST_ASSERT_MSG_GT(m_fromApBytes, 200000, "relayed by the AP");
    NS_TEST_ASSERT_MSG_EQ(m_fromDevice0Bytes, 0, "no direct device-to-device frames");
    Simulator::Destroy();
}

/**
 * \ingroup edge-llm-tests
 * \brief Wi-Fi with an ad-hoc device-to-device interface: addresses on the ad-hoc subnet, bytes
 *        through the ad-hoc NetDevice.
 */
class EdgeNetworkWifiAdhocTestCase : public TestCase
{
  public:
    EdgeNetworkWifiAdhocTestCase()
        : TestCase("Wi-Fi (d2d ad hoc): d2d addresses on the ad-hoc subnet, bytes over it")
    {
    }

  private:
    void DoRun() override;

    /** ConfigureTcpDefaults changed global defaults: restore them for the next tests. */
    void DoTeardown() override
    {
        Config::Reset();
    }

    /**
     * \brief PacketSink Rx trace: record the sender's address.
     * \param packet the packet
     * \param from the sender
     */
    void SinkRx(Ptr<const Packet> packet, const Address& from);

    std::vector<Ipv4Address> m_senders; //!< source addresses seen by the sink
};

void
EdgeNetworkWifiAdhocTestCase::SinkRx(Ptr<const Packet> packet, const Address& from)
{
    Ipv4Address sender = InetSocketAddress::ConvertFrom(from).GetIpv4();
    if (m_senders.empty() || m_senders.back() != sender)
    {
        m_senders.push_back(sender);
    }
}

void
EdgeNetworkWifiAdhocTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper helper;
    helper.SetD2dMode("adhoc");
    helper.SetChannelWidth(40);
    Ptr<EdgeNetwork> network = helper.Install(3);
    helper.AssignStreams(network, 1000);

    // Ad-hoc subnet 10.1.0.0/16: device i is 10.1.0.(i+1); infrastructure as before.
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(0, 1), Ipv4Address("10.1.0.2"), "0->1 ad hoc");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(1, 0), Ipv4Address("10.1.0.1"), "1->0 ad hoc");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(0, 3), Ipv4Address("10.0.0.1"), "0->server");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(3, 1), Ipv4Address("10.0.0.3"), "server->1");
    std::vector<Ipv4Address> addresses = network->GetAddresses(1);
    NS_TEST_ASSERT_MSG_EQ(addresses.size(), 2, "two interfaces");
    NS_TEST_ASSERT_MSG_EQ(addresses[0], Ipv4Address("10.0.0.3"), "infrastructure first");
    NS_TEST_ASSERT_MSG_EQ(addresses[1], Ipv4Address("10.1.0.2"), "then ad hoc");
    NS_TEST_ASSERT_MSG_EQ(network->GetAddresses(3).size(), 1, "the server has no ad-hoc radio");
    uint32_t node = 99;
    NS_TEST_ASSERT_MSG_EQ(network->LookupNode(Ipv4Address("10.1.0.2"), node), true, "lookup");
    NS_TEST_ASSERT_MSG_EQ(node, 1, "10.1.0.2 is device 1");

    Ptr<WifiNetDevice> infra1 = DynamicCast<WifiNetDevice>(network->GetNetDevices(1).Get(0));
    Ptr<WifiNetDevice> adhoc1 = DynamicCast<WifiNetDevice>(network->GetNetDevices(1).Get(1));
    NS_TEST_ASSERT_MSG_EQ(network->GetLinkDevice(1, 0), Ptr<NetDevice>(adhoc1), "link device");
    NS_TEST_ASSERT_MSG_EQ(network->GetLinkDevice(1, 3), Ptr<NetDevice>(infra1), "to server");
    // Different, non-overlapping 40 MHz channels: 38 (5190 MHz) and 151 (5755 MHz).
    NS_TEST_ASSERT_MSG_EQ(+infra1->GetPhy()->GetChannelNumber(), 38, "infrastructure channel");
    NS_TEST_ASSERT_MSG_EQ(+adhoc1->GetPhy()->GetChannelNumber(), 151, "ad-hoc channel");
    NS_TEST_ASSERT_MSG_EQ(adhoc1->GetPhy()->GetFrequency(), 5755, "ad-hoc frequency");
    NS_TEST_ASSERT_MSG_EQ(adhoc1->GetPhy()->GetChannelWidth(), 40, "ad-hoc width");

    // MacRx counts MSDUs (LLC/SNAP + IP + TCP + payload) handed up by a MAC. Only full TCP
    // segments are counted: the 1-byte warm-up frames (EtherType 0x88B5) pass both MACs.
    uint64_t adhocBytes = 0;
    uint64_t infraSegments = 0;
    adhoc1->GetMac()->TraceConnectWithoutContext("MacRx",
                                                 MakeBoundCallback(
                                                     +[](uint64_t* bytes, Ptr<const Packet> p) {
                                                         *bytes +=
                                                             p->GetSize() > 1000 ? p->GetSize() : 0;
                                                     },
                                                     &adhocBytes));
    infra1->GetMac()->TraceConnectWithoutContext(
        "MacRx",
        MakeBoundCallback(
            +[](uint64_t* segments, Ptr<const Packet> p) { *segments += p->GetSize() > 1000; },
            &infraSegments));

    Ptr<PacketSink> sink = InstallSink(network->GetNode(1), 5000);
    sink->TraceConnectWithoutContext("Rx",
                                     MakeCallback(&EdgeNetworkWifiAdhocTestCase::SinkRx, this));
    network->NotifyWhenReady(MakeBoundCallback(
        +[](Ptr<EdgeNetwork> network) {
            InstallBulkSend(network->GetNode(0),
                            network->GetPeerAddress(0, 1),
                            5000,
                            200000,
                            Seconds(0));
        },
        network));

    Simulator::Stop(Seconds(3));
    Simulator::Run();

    NS_TEST_ASSERT_MSG_EQ(sink->GetTotalRx(), 200000, "bytes delivered");
    NS_TEST_ASSERT_MSG_EQ(m_senders.size(), 1, "one sender address");
    NS_TEST_ASSERT_MSG_EQ(m_senders.at(0), Ipv4Address("10.1.0.1"), "from device 0's ad-hoc IP");
    NS_TEST_ASSERT_MSG_GT(adhocBytes, 200000, "payload arrived through the ad-hoc device");
    NS_TEST_ASSERT_MSG_EQ(infraSegments, 0, "no segment through the infrastructure device");
    Simulator::Destroy();
}

/**
 * \ingroup edge-llm-tests
 * \brief Wi-Fi under a synchronized start: every device uploads to and downloads from the
 *        server and three device pairs exchange data, all 11 transfers starting in the same
 *        event when the network is ready. Without the Block Ack warm-up, this pattern often
 *        left a link stalled for good in ns-3.37, or aborted the simulator.
 */
class EdgeNetworkWifiBurstTestCase : public TestCase
{
  public:
    EdgeNetworkWifiBurstTestCase()
        : TestCase("Wi-Fi: 11 transfers started together when ready all complete")
    {
    }

  private:
    void DoRun() override;

    /** ConfigureTcpDefaults changed global defaults: restore them for the next tests. */
    void DoTeardown() override
    {
        Config::Reset();
    }

    /** Start every transfer (the network is ready). */
    void Start();

    Ptr<EdgeNetwork> m_network;                         //!< the network
    std::vector<std::pair<uint32_t, uint32_t>> m_flows; //!< (from, to)
    Time m_readyTime;                                   //!< when Start ran
};

void
EdgeNetworkWifiBurstTestCase::Start()
{
    m_readyTime = Simulator::Now();
    uint16_t port = 6000;
    for (const auto& flow : m_flows)
    {
        InstallBulkSend(m_network->GetNode(flow.first),
                        m_network->GetPeerAddress(flow.first, flow.second),
                        port++,
                        300000,
                        Seconds(0));
    }
}

void
EdgeNetworkWifiBurstTestCase::DoRun()
{
    m_flows =
        {{0, 4}, {1, 4}, {2, 4}, {3, 4}, {4, 0}, {4, 1}, {4, 2}, {4, 3}, {0, 1}, {2, 3}, {1, 0}};
    for (uint32_t run : {1, 2})
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(run);
        EdgeNetworkHelper::ConfigureTcpDefaults();
        EdgeNetworkHelper helper;
        m_network = helper.Install(4);
        helper.AssignStreams(m_network, 100);
        std::vector<Ptr<PacketSink>> sinks;
        uint16_t port = 6000;
        for (const auto& flow : m_flows)
        {
            sinks.push_back(InstallSink(m_network->GetNode(flow.second), port++));
        }
        m_network->NotifyWhenReady(MakeCallback(&EdgeNetworkWifiBurstTestCase::Start, this));
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        // 11 x 300 kB = 3.3 MB (4.3 MB of airtime with the relayed pairs) at an 80 MHz HE
        // link of several hundred Mb/s takes well under a second once started.
        NS_TEST_ASSERT_MSG_LT(m_readyTime, MilliSeconds(200), "ready");
        for (std::size_t i = 0; i < sinks.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(sinks[i]->GetTotalRx(),
                                  300000,
                                  "run " << run << ": transfer " << m_flows[i].first << " -> "
                                         << m_flows[i].second);
        }
        Simulator::Destroy();
        m_network = nullptr;
    }
}

/**
 * \ingroup edge-llm-tests
 * \brief Transmit power: with log-distance path loss and no fading, +3 dB at the station is
 *        +3 dB at the access point, measured on frames during the run.
 */
class EdgeNetworkTxPowerTestCase : public TestCase
{
  public:
    EdgeNetworkTxPowerTestCase()
        : TestCase("Wi-Fi: SetTxPowerDbm during the run moves the AP's received power by 3 dB")
    {
    }

  private:
    void DoRun() override;

    /**
     * \brief Record the received power of the station's frames at the AP.
     * \param packet the MPDU
     * \param channelFreqMhz the channel
     * \param txVector the TX vector
     * \param aMpdu MPDU info
     * \param signalNoise the signal and noise
     * \param staId the station ID
     */
    void ApSniffer(Ptr<const Packet> packet,
                   uint16_t channelFreqMhz,
                   WifiTxVector txVector,
                   MpduInfo aMpdu,
                   SignalNoiseDbm signalNoise,
                   uint16_t staId);

    Ptr<EdgeNetwork> m_network;    //!< the network
    std::vector<double> m_before;  //!< dBm before the change
    std::vector<double> m_after;   //!< dBm after the change
    std::vector<double> m_changes; //!< TxPowerChanged trace values
};

void
EdgeNetworkTxPowerTestCase::ApSniffer(Ptr<const Packet> packet,
                                      uint16_t channelFreqMhz,
                                      WifiTxVector txVector,
                                      MpduInfo aMpdu,
                                      SignalNoiseDbm signalNoise,
                                      uint16_t staId)
{
    WifiMacHeader header;
    ReadMacHeader(packet, aMpdu, header);
    if (header.GetAddr2() != MacOf(m_network->GetNetDevices(0).Get(0)))
    {
        return;
    }
    // A-MPDU subframes share one PPDU and one power: count each PPDU once.
    if (aMpdu.type == MIDDLE_MPDU_IN_AGGREGATE || aMpdu.type == LAST_MPDU_IN_AGGREGATE)
    {
        return;
    }
    (Simulator::Now() < Seconds(1) ? m_before : m_after).push_back(signalNoise.signal);
}

void
EdgeNetworkTxPowerTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper helper;
    helper.SetChannelWidth(20);
    helper.SetDistance(10.0);
    helper.SetPathLoss("log-distance");
    helper.SetPathLossExponent(3.0);
    helper.SetFading("none");
    helper.SetDeviceTxPowerDbm(TX_DBM);
    m_network = helper.Install(1);
    helper.AssignStreams(m_network, 1000);
    m_network->TraceConnectWithoutContext(
        "TxPowerChanged",
        MakeBoundCallback(
            +[](std::vector<double>* changes, uint32_t node, double dbm) {
                changes->push_back(node * 1000 + dbm);
            },
            &m_changes));

    Ptr<WifiNetDevice> ap = DynamicCast<WifiNetDevice>(m_network->GetNetDevices(1).Get(0));
    ap->GetPhy()->TraceConnectWithoutContext(
        "MonitorSnifferRx",
        MakeCallback(&EdgeNetworkTxPowerTestCase::ApSniffer, this));

    // A UDP frame every 10 ms from the station to the server, 0.2 s to 1.8 s.
    UdpServerHelper server(9);
    server.Install(m_network->GetNode(1)).Start(Seconds(0));
    UdpClientHelper client(m_network->GetPeerAddress(0, 1), 9);
    client.SetAttribute("MaxPackets", UintegerValue(1000));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(10)));
    client.SetAttribute("PacketSize", UintegerValue(1000));
    ApplicationContainer clients = client.Install(m_network->GetNode(0));
    clients.Start(Seconds(0.2));
    clients.Stop(Seconds(1.8));
    Simulator::Schedule(Seconds(1), &EdgeNetwork::SetTxPowerDbm, m_network, 0, TX_DBM + 3.0);

    Simulator::Stop(Seconds(2));
    Simulator::Run();

    NS_TEST_ASSERT_MSG_GT(m_before.size(), 50, "frames before the change");
    NS_TEST_ASSERT_MSG_GT(m_after.size(), 50, "frames after the change");
    // Hand computation: received = tx - L0 - 10 n log10(d / 1 m)
    //   = 20 - 46.7344 - 10 x 3 x log10(10) = 20 - 46.7344 - 30 = -56.7344 dBm
    // (no antenna gains; Yans reports the whole received power).
    double expected = TX_DBM - REFERENCE_LOSS_5180_DB - 30.0;
    for (double dbm : m_before)
    {
        NS_TEST_ASSERT_MSG_EQ_TOL(dbm, expected, 0.01, "received power at 20 dBm");
    }
    for (double dbm : m_after)
    {
        NS_TEST_ASSERT_MSG_EQ_TOL(dbm - m_before.front(), 3.0, 0.1, "+3 dB at the AP");
    }
    NS_TEST_ASSERT_MSG_EQ_TOL(m_network->GetTxPowerDbm(0), TX_DBM + 3.0, 1e-12, "getter");
    NS_TEST_ASSERT_MSG_EQ_TOL(m_network->GetTxPowerDbm(1), 20.0, 1e-12, "server unchanged");
    NS_TEST_ASSERT_MSG_EQ(m_changes.size(), 1, "one TxPowerChanged");
    NS_TEST_ASSERT_MSG_EQ_TOL(m_changes.at(0), 23.0, 1e-12, "node 0, 23 dBm");
    Simulator::Destroy();
}

/**
 * \ingroup edge-llm-tests
 * \brief Fading and path loss, computed directly on the channel's loss chain: Rayleigh and
 *        Nakagami keep the path-loss mean, have the right spread, and follow their streams;
 *        the 3GPP indoor office loss matches TR 38.901.
 */
class EdgeNetworkFadingTestCase : public TestCase
{
  public:
    EdgeNetworkFadingTestCase()
        : TestCase("Fading: mean power, spread and streams; 3GPP InH line-of-sight loss")
    {
    }

  private:
    void DoRun() override;

    /**
     * \brief Mean and squared coefficient of variation of received power in mW.
     * \param network the network
     * \param samples the number of draws
     * \param[out] meanMw the mean
     * \param[out] cv2 variance / mean^2
     */
    static void Statistics(Ptr<EdgeNetwork> network, uint32_t samples, double& meanMw, double& cv2);

    /**
     * \brief Draw a few received powers device 0 -> server.
     * \param network the network
     * \return the powers in dBm
     */
    static std::vector<double> Draw(Ptr<EdgeNetwork> network);
};

void
EdgeNetworkFadingTestCase::Statistics(Ptr<EdgeNetwork> network,
                                      uint32_t samples,
                                      double& meanMw,
                                      double& cv2)
{
    Ptr<PropagationLossModel> loss = network->GetPropagationLossModel();
    Ptr<MobilityModel> a = network->GetNode(0)->GetObject<MobilityModel>();
    Ptr<MobilityModel> b = network->GetNode(network->GetServerIndex())->GetObject<MobilityModel>();
    double sum = 0.0;
    double sumSquares = 0.0;
    for (uint32_t i = 0; i < samples; ++i)
    {
        double mw = std::pow(10.0, loss->CalcRxPower(TX_DBM, a, b) / 10.0);
        sum += mw;
        sumSquares += mw * mw;
    }
    meanMw = sum / samples;
    cv2 = (sumSquares / samples - meanMw * meanMw) / (meanMw * meanMw);
}

std::vector<double>
EdgeNetworkFadingTestCase::Draw(Ptr<EdgeNetwork> network)
{
    Ptr<PropagationLossModel> loss = network->GetPropagationLossModel();
    Ptr<MobilityModel> a = network->GetNode(0)->GetObject<MobilityModel>();
    Ptr<MobilityModel> b = network->GetNode(network->GetServerIndex())->GetObject<MobilityModel>();
    std::vector<double> values;
    for (int i = 0; i < 8; ++i)
    {
        values.push_back(loss->CalcRxPower(TX_DBM, a, b));
    }
    return values;
}

void
EdgeNetworkFadingTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    // Path loss only at 10 m, 20 MHz (5180 MHz), exponent 3 (see the tx power test):
    // 20 - 46.7344 - 30 = -56.7344 dBm = 10^(-5.67344) mW = 2.1212e-6 mW.
    double pathLossOnlyDbm = TX_DBM - REFERENCE_LOSS_5180_DB - 30.0;
    const uint32_t samples = 20000;
    {
        EdgeNetworkHelper helper;
        helper.SetChannelWidth(20);
        helper.SetDistance(10.0);
        helper.SetFading("rayleigh");
        Ptr<EdgeNetwork> network = helper.Install(1);
        helper.AssignStreams(network, 100);
        double meanMw = 0;
        double cv2 = 0;
        Statistics(network, samples, meanMw, cv2);
        // Rayleigh: the power is exponential with the path-loss mean; the mean of 20000 draws
        // is within 3 x 1/sqrt(20000) = 2.1% (0.09 dB) of it, well inside 0.5 dB.
        NS_TEST_ASSERT_MSG_EQ_TOL(10.0 * std::log10(meanMw), pathLossOnlyDbm, 0.5, "mean");
        NS_TEST_ASSERT_MSG_EQ_TOL(10.0 * std::log10(meanMw), pathLossOnlyDbm, 0.1, "mean, tight");
        // Exponential: variance = mean^2, so cv2 = 1/m = 1.
        NS_TEST_ASSERT_MSG_EQ_TOL(cv2, 1.0, 0.1, "Rayleigh spread (m = 1)");

        // Same streams, same draws; another stream, other draws.
        helper.AssignStreams(network, 100);
        std::vector<double> first = Draw(network);
        helper.AssignStreams(network, 100);
        std::vector<double> again = Draw(network);
        helper.AssignStreams(network, 200);
        std::vector<double> other = Draw(network);
        for (std::size_t i = 0; i < first.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(first[i], again[i], "same stream, same sequence");
            NS_TEST_ASSERT_MSG_NE(first[i], other[i], "other stream, other sequence");
        }
        // Fading varies from frame to frame.
        NS_TEST_ASSERT_MSG_NE(first[0], first[1], "draws differ");
    }
    // ns-3 allocates each address once per simulation: one network per simulation.
    Simulator::Destroy();
    {
        EdgeNetworkHelper helper;
        helper.SetChannelWidth(20);
        helper.SetDistance(10.0);
        helper.SetFading("nakagami");
        helper.SetNakagamiM(2.0);
        Ptr<EdgeNetwork> network = helper.Install(1);
        helper.AssignStreams(network, 100);
        double meanMw = 0;
        double cv2 = 0;
        Statistics(network, samples, meanMw, cv2);
        NS_TEST_ASSERT_MSG_EQ_TOL(10.0 * std::log10(meanMw), pathLossOnlyDbm, 0.1, "mean");
        // Gamma with shape m: cv2 = 1/m = 0.5.
        NS_TEST_ASSERT_MSG_EQ_TOL(cv2, 0.5, 0.05, "Nakagami spread (m = 2)");
    }
    Simulator::Destroy();
    {
        EdgeNetworkHelper helper;
        helper.SetChannelWidth(20);
        helper.SetDistance(5.0);
        helper.SetPathLoss("3gpp-inh");
        helper.SetChannelCondition("los");
        Ptr<EdgeNetwork> network = helper.Install(1);
        helper.AssignStreams(network, 100);
        // Server at 3 m, device at 1 m, 5 m apart: d3D = sqrt(5^2 + 2^2) = 5.3852 m.
        // TR 38.901 InH-Office LOS: PL = 32.4 + 17.3 log10(d3D) + 20 log10(fc / 1 GHz)
        //   = 32.4 + 17.3 x 0.73120 + 20 x 0.71433 = 32.4 + 12.6498 + 14.2866 = 59.3363 dB.
        std::vector<double> values = Draw(network);
        NS_TEST_ASSERT_MSG_EQ_TOL(values[0], TX_DBM - 59.3363, 0.001, "InH LOS loss");
        NS_TEST_ASSERT_MSG_EQ(values[0], values[1], "no fading, no shadowing: constant");
    }
    Simulator::Destroy();
}

/**
 * \ingroup edge-llm-tests
 * \brief Point-to-point mesh: link addresses, and 1 MB over 100 Mb/s, 1 ms takes the time the
 *        goodput predicts; with 1 % loss the bytes still all arrive.
 */
class EdgeNetworkP2pTestCase : public TestCase
{
  public:
    EdgeNetworkP2pTestCase()
        : TestCase("p2p mesh: link addresses; 1 MB over 100 Mbps 1 ms in the predicted time")
    {
    }

  private:
    void DoRun() override;

    /** ConfigureTcpDefaults changed global defaults: restore them for the next tests. */
    void DoTeardown() override
    {
        Config::Reset();
    }

    /**
     * \brief PacketSink Rx trace: record the time of the last byte.
     * \param packet the packet
     * \param from the sender
     */
    void SinkRx(Ptr<const Packet> packet, const Address& from);

    Time m_lastRx; //!< time of the last received byte
};

void
EdgeNetworkP2pTestCase::SinkRx(Ptr<const Packet> packet, const Address& from)
{
    m_lastRx = Simulator::Now();
}

void
EdgeNetworkP2pTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper helper;
    helper.SetNetwork("p2p");
    helper.SetDataRate(DataRate("100Mbps"));
    helper.SetDelay(MilliSeconds(1));
    Ptr<EdgeNetwork> network = helper.Install(2);
    helper.AssignStreams(network, 1000);

    NS_TEST_ASSERT_MSG_EQ(network->GetKind(), "p2p", "kind");
    // Links in pair order: (0,1) 10.1.0.0/24, (0,2) 10.1.1.0/24, (1,2) 10.1.2.0/24; the lower
    // index is .1. Node 2 is the server.
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(0, 1), Ipv4Address("10.1.0.2"), "0->1");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(1, 0), Ipv4Address("10.1.0.1"), "1->0");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(0, 2), Ipv4Address("10.1.1.2"), "0->server");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(2, 0), Ipv4Address("10.1.1.1"), "server->0");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(1, 2), Ipv4Address("10.1.2.2"), "1->server");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(2, 1), Ipv4Address("10.1.2.1"), "server->1");
    NS_TEST_ASSERT_MSG_EQ(network->GetAddresses(2).size(), 2, "the server has two links");
    // Each pair shares a subnet: the peer's address and the sender's link address agree in
    // the first 24 bits.
    for (uint32_t from = 0; from < 3; ++from)
    {
        for (uint32_t to = 0; to < 3; ++to)
        {
            if (from == to)
            {
                continue;
            }
            Ptr<NetDevice> device = network->GetLinkDevice(from, to);
            Ptr<Ipv4> ipv4 = network->GetNode(from)->GetObject<Ipv4>();
            Ipv4Address local = ipv4->GetAddress(ipv4->GetInterfaceForDevice(device), 0).GetLocal();
            NS_TEST_ASSERT_MSG_EQ(local.CombineMask(Ipv4Mask("/24")),
                                  network->GetPeerAddress(from, to).CombineMask(Ipv4Mask("/24")),
                                  "same link subnet");
            NS_TEST_ASSERT_MSG_EQ(local, network->GetPeerAddress(to, from), "symmetric");
        }
    }

    // Queues: no queue disc (FqCoDel would drop), the device's DropTail queue holds 100000.
    Ptr<PointToPointNetDevice> link =
        DynamicCast<PointToPointNetDevice>(network->GetLinkDevice(0, 1));
    NS_TEST_ASSERT_MSG_EQ(
        network->GetNode(0)->GetObject<TrafficControlLayer>()->GetRootQueueDiscOnDevice(link),
        nullptr,
        "no queue disc");
    NS_TEST_ASSERT_MSG_EQ(link->GetQueue()->GetMaxSize(),
                          QueueSize(QueueSizeUnit::PACKETS, 100000),
                          "device queue");

    Ptr<PacketSink> sink = InstallSink(network->GetNode(1), 5000);
    sink->TraceConnectWithoutContext("Rx", MakeCallback(&EdgeNetworkP2pTestCase::SinkRx, this));
    const Time start = Seconds(0.1);
    InstallBulkSend(network->GetNode(0), network->GetPeerAddress(0, 1), 5000, 1000000, start);
    Simulator::Stop(Seconds(2));
    Simulator::Run();

    NS_TEST_ASSERT_MSG_EQ(sink->GetTotalRx(), 1000000, "bytes delivered");
    // Expected time from start to the last byte at the receiver:
    //  - handshake: SYN out and SYN-ACK back, 2 x 1 ms; data follows the final ACK at once.
    //  - serialisation: segments of MSS 1448 bytes, each + 20 IPv4 + 20 TCP + 12 timestamp
    //    option (= 52) + 2 PPP = 54 bytes on the wire. 1e6 / 1448 = 690.6 -> 691 segments
    //    (690 full + 880 bytes). Wire bytes = 1e6 + 691 x 54 = 1,037,314 -> x 8 / 1e8
    //    = 82.985 ms; i.e. goodput = 100 Mb/s x 1448 / 1502 = 96.40 Mb/s.
    //  - the last segment's propagation: 1 ms.
    //  Total 2 + 82.985 + 1 = 85.985 ms. Slow start (10 segments initially, doubling per
    //  round trip, ~17 segments fill the 2 ms pipe) adds about 1 ms: within 5 %.
    double expectedMs = 2.0 + 1037314.0 * 8.0 / 100e6 * 1e3 + 1.0;
    double measuredMs = (m_lastRx - start).GetSeconds() * 1e3;
    NS_TEST_ASSERT_MSG_EQ_TOL(measuredMs, expectedMs, 0.05 * expectedMs, "transfer time");
    NS_TEST_ASSERT_MSG_GT_OR_EQ(measuredMs, expectedMs - 0.01, "not faster than the wire");
    Simulator::Destroy();
}

/**
 * \ingroup edge-llm-tests
 * \brief Wired loss and CSMA: with a 1 % packet loss on a CSMA segment, TCP still delivers
 *        every byte and the error models really drop about 1 % of the packets.
 */
class EdgeNetworkCsmaLossTestCase : public TestCase
{
  public:
    EdgeNetworkCsmaLossTestCase()
        : TestCase("csma: addresses; 1 % loss drops packets and TCP still delivers all bytes")
    {
    }

  private:
    void DoRun() override;

    /** ConfigureTcpDefaults changed global defaults: restore them for the next tests. */
    void DoTeardown() override
    {
        Config::Reset();
    }
};

void
EdgeNetworkCsmaLossTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper helper;
    helper.SetNetwork("csma");
    helper.SetErrorRate(0.01);
    // Existing nodes; the server already has an Internet stack, which is kept.
    NodeContainer devices(2);
    Ptr<Node> server = CreateObject<Node>();
    InternetStackHelper().Install(server);
    Ptr<EdgeNetwork> network = helper.Install(devices, server);
    NS_TEST_ASSERT_MSG_EQ(server->GetObject<EdgeNetwork>(), network, "aggregated to the server");
    NS_TEST_ASSERT_MSG_EQ(network->GetNode(0), devices.Get(0), "device 0 is the given node");
    NS_TEST_ASSERT_MSG_EQ(network->GetNode(2), server, "the server is the given node");
    // one stream per CsmaNetDevice (its backoff) and per receive error model (one per device)
    NS_TEST_ASSERT_MSG_EQ(helper.AssignStreams(network, 1000), 3 + 3, "streams assigned");

    NS_TEST_ASSERT_MSG_EQ(network->GetKind(), "csma", "kind");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(0, 2), Ipv4Address("10.0.0.1"), "server");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(0, 1), Ipv4Address("10.0.0.3"), "device 1");
    NS_TEST_ASSERT_MSG_EQ(network->GetPeerAddress(2, 0), Ipv4Address("10.0.0.2"), "device 0");
    NS_TEST_ASSERT_MSG_EQ_TOL(network->GetErrorRate(), 0.01, 1e-15, "error rate");

    uint64_t received = 0;
    uint64_t dropped = 0;
    Ptr<NetDevice> device1 = network->GetNetDevices(1).Get(0);
    device1->TraceConnectWithoutContext("MacRx",
                                        MakeBoundCallback(
                                            +[](uint64_t* n, Ptr<const Packet>) { ++*n; },
                                            &received));
    device1->TraceConnectWithoutContext("PhyRxDrop",
                                        MakeBoundCallback(
                                            +[](uint64_t* n, Ptr<const Packet>) { ++*n; },
                                            &dropped));

    Ptr<PacketSink> sink = InstallSink(network->GetNode(1), 5000);
    InstallBulkSend(network->GetNode(0), network->GetPeerAddress(0, 1), 5000, 1000000, Seconds(0));
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    NS_TEST_ASSERT_MSG_EQ(sink->GetTotalRx(), 1000000, "every byte despite loss");
    // About 700 data packets reach device 1; at 1 % about 7 are dropped (binomial, sd 2.6).
    NS_TEST_ASSERT_MSG_GT(dropped, 0, "the error model drops packets");
    double rate = double(dropped) / double(dropped + received);
    NS_TEST_ASSERT_MSG_EQ_TOL(rate, 0.01, 0.008, "about 1 % dropped");

    // Off again at run time: no more drops.
    network->SetErrorRate(0.0);
    NS_TEST_ASSERT_MSG_EQ_TOL(network->GetErrorRate(), 0.0, 0.0, "disabled");
    Simulator::Destroy();
}

/**
 * \ingroup edge-llm-tests
 * \brief Placement, mobility, the 3GPP UMi model and transmit power on two radios.
 */
class EdgeNetworkPlacementTestCase : public TestCase
{
  public:
    EdgeNetworkPlacementTestCase()
        : TestCase("placement (circle, line), random walk and its streams, 3GPP UMi, ad-hoc power")
    {
    }

  private:
    void DoRun() override;

    /**
     * \brief Run 3 s of a random walk of one device and return where it ends.
     * \param stream the first random stream
     * \return the device's final position
     */
    static Vector Walk(int64_t stream);
};

Vector
EdgeNetworkPlacementTestCase::Walk(int64_t stream)
{
    EdgeNetworkHelper helper;
    helper.SetDistance(5.0);
    helper.SetMobility("random-walk");
    helper.SetRandomWalkSpeed(2.0);
    Ptr<EdgeNetwork> network = helper.Install(1);
    helper.AssignStreams(network, stream);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    Vector position = network->GetNode(0)->GetObject<MobilityModel>()->GetPosition();
    Simulator::Destroy();
    return position;
}

void
EdgeNetworkPlacementTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    {
        EdgeNetworkHelper helper;
        helper.SetPlacement("line");
        helper.SetDistance(4.0);
        Ptr<EdgeNetwork> network = helper.Install(3);
        Ptr<MobilityModel> server = network->GetNode(3)->GetObject<MobilityModel>();
        // Line: device i at (i + 1) x 4 m.
        for (uint32_t i = 0; i < 3; ++i)
        {
            double distance =
                network->GetNode(i)->GetObject<MobilityModel>()->GetDistanceFrom(server);
            NS_TEST_ASSERT_MSG_EQ_TOL(distance, 4.0 * (i + 1), 1e-9, "line distance");
        }
    }
    Simulator::Destroy();
    {
        // Disc: 200 devices between 1 m and the radius, their mean squared distance that of a
        // uniform point of the annulus, (R^2 + 1) / 2 (10 m: 50.5 m^2; standard error of the
        // mean of 200 about 2 m^2); the same positions again with the same run number, others
        // with another
        auto place = [](uint64_t run) {
            RngSeedManager::SetRun(run);
            EdgeNetworkHelper helper;
            helper.SetPlacement("disc");
            helper.SetDistance(10.0);
            Ptr<EdgeNetwork> network = helper.Install(200);
            std::vector<Vector> positions;
            for (uint32_t i = 0; i < 200; ++i)
            {
                positions.push_back(network->GetNode(i)->GetObject<MobilityModel>()->GetPosition());
            }
            Simulator::Destroy();
            return positions;
        };
        const std::vector<Vector> first = place(1);
        double squares = 0;
        for (const Vector& p : first)
        {
            const double r2 = p.x * p.x + p.y * p.y;
            const bool inside = r2 >= 1.0 - 1e-9 && r2 <= 100.0 + 1e-9;
            NS_TEST_ASSERT_MSG_EQ(inside, true, "in the annulus");
            squares += r2;
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(squares / 200, 50.5, 8.0, "uniform over the area");
        const std::vector<Vector> again = place(1);
        const std::vector<Vector> other = place(2);
        NS_TEST_ASSERT_MSG_EQ_TOL(again[7].x, first[7].x, 1e-12, "same run, same place");
        const bool moved = std::abs(other[7].x - first[7].x) > 1e-6;
        NS_TEST_ASSERT_MSG_EQ(moved, true, "another run");
        RngSeedManager::SetRun(1);
    }
    Simulator::Destroy();
    {
        EdgeNetworkHelper helper;
        helper.SetPlacement("circle");
        helper.SetDistance(5.0);
        Ptr<EdgeNetwork> network = helper.Install(4);
        Ptr<MobilityModel> server = network->GetNode(4)->GetObject<MobilityModel>();
        for (uint32_t i = 0; i < 4; ++i)
        {
            double distance =
                network->GetNode(i)->GetObject<MobilityModel>()->GetDistanceFrom(server);
            NS_TEST_ASSERT_MSG_EQ_TOL(distance, 5.0, 1e-9, "circle distance");
        }
        // Four devices a quarter turn apart: device 1 at (0, 5), devices 0 and 2 10 m apart.
        Vector p1 = network->GetNode(1)->GetObject<MobilityModel>()->GetPosition();
        NS_TEST_ASSERT_MSG_EQ_TOL(p1.x, 0.0, 1e-9, "device 1 x");
        NS_TEST_ASSERT_MSG_EQ_TOL(p1.y, 5.0, 1e-9, "device 1 y");
        double across = network->GetNode(0)->GetObject<MobilityModel>()->GetDistanceFrom(
            network->GetNode(2)->GetObject<MobilityModel>());
        NS_TEST_ASSERT_MSG_EQ_TOL(across, 10.0, 1e-9, "opposite devices");
    }
    Simulator::Destroy();
    {
        EdgeNetworkHelper helper;
        helper.SetChannelWidth(20);
        helper.SetPathLoss("3gpp-umi");
        helper.SetChannelCondition("los");
        helper.SetDistance(20.0);
        Ptr<EdgeNetwork> network = helper.Install(1);
        Ptr<MobilityModel> device = network->GetNode(0)->GetObject<MobilityModel>();
        Ptr<MobilityModel> server = network->GetNode(1)->GetObject<MobilityModel>();
        NS_TEST_ASSERT_MSG_EQ_TOL(server->GetPosition().z, 10.0, 0, "UMi base station height");
        NS_TEST_ASSERT_MSG_EQ_TOL(device->GetPosition().z, 1.5, 0, "UMi device height");
        // TR 38.901 UMi-Street Canyon LOS, d2D = 20 m below the breakpoint
        // d'BP = 4 (10 - 1)(1.5 - 1) 5.18e9 / c = 311 m, so PL1:
        // d3D = sqrt(20^2 + 8.5^2) = 21.7313 m;
        // PL = 32.4 + 21 log10(21.7313) + 20 log10(5.18) = 32.4 + 28.0788 + 14.2866 = 74.7654.
        double rx = network->GetPropagationLossModel()->CalcRxPower(TX_DBM, device, server);
        NS_TEST_ASSERT_MSG_EQ_TOL(rx, TX_DBM - 74.7654, 0.001, "UMi LOS loss");
    }
    Simulator::Destroy();
    {
        EdgeNetworkHelper helper;
        helper.SetD2dMode("adhoc");
        Ptr<EdgeNetwork> network = helper.Install(2);
        network->SetTxPowerDbm(1, 12.5);
        NetDeviceContainer radios = network->GetNetDevices(1);
        NS_TEST_ASSERT_MSG_EQ(radios.GetN(), 2, "two radios");
        for (uint32_t i = 0; i < radios.GetN(); ++i)
        {
            Ptr<WifiPhy> phy = DynamicCast<WifiNetDevice>(radios.Get(i))->GetPhy();
            NS_TEST_ASSERT_MSG_EQ_TOL(phy->GetTxPowerStart(), 12.5, 0, "TxPowerStart");
            NS_TEST_ASSERT_MSG_EQ_TOL(phy->GetTxPowerEnd(), 12.5, 0, "TxPowerEnd");
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(network->GetTxPowerDbm(0), 20.0, 0, "device 0 unchanged");
    }
    Simulator::Destroy();

    // Random walk at 2 m/s inside the automatic box (half side 2 x 5 m = 10 m).
    Vector start(5.0, 0.0, 0.0);
    Vector end = Walk(7);
    NS_TEST_ASSERT_MSG_GT(CalculateDistance(start, end), 0.1, "the device moved");
    NS_TEST_ASSERT_MSG_LT_OR_EQ(CalculateDistance(start, end), 2.0 * 3 + 1e-9, "at most 6 m");
    NS_TEST_ASSERT_MSG_LT_OR_EQ(std::abs(end.x), 10.0, "inside the box (x)");
    NS_TEST_ASSERT_MSG_LT_OR_EQ(std::abs(end.y), 10.0, "inside the box (y)");
    // Same streams, same walk; other streams, another walk.
    Vector again = Walk(7);
    NS_TEST_ASSERT_MSG_EQ_TOL(again.x, end.x, 0, "same walk (x)");
    NS_TEST_ASSERT_MSG_EQ_TOL(again.y, end.y, 0, "same walk (y)");
    Vector other = Walk(5000);
    NS_TEST_ASSERT_MSG_GT(CalculateDistance(other, end), 1e-6, "other streams, other walk");
}

/**
 * \ingroup edge-llm-tests
 * \brief Every bad input and its message.
 */
class EdgeNetworkBadInputTestCase : public TestCase
{
  public:
    EdgeNetworkBadInputTestCase()
        : TestCase("bad input: each setter's, Validate's and EdgeNetwork's messages")
    {
    }

  private:
    void DoRun() override;
};

void
EdgeNetworkBadInputTestCase::DoRun()
{
    using H = EdgeNetworkHelper;
    NS_TEST_ASSERT_MSG_EQ(H::CheckNetwork("wifi"), "", "wifi");
    NS_TEST_ASSERT_MSG_EQ(H::CheckNetwork("csma"), "", "csma");
    NS_TEST_ASSERT_MSG_EQ(H::CheckNetwork("p2p"), "", "p2p");
    NS_TEST_ASSERT_MSG_EQ(H::CheckNetwork("5g"),
                          "network='5g' is not a known network; allowed: wifi, ofdma, lte, csma, "
                          "p2p",
                          "network");
    NS_TEST_ASSERT_MSG_EQ(H::CheckChannelWidth(160), "", "160 MHz");
    NS_TEST_ASSERT_MSG_EQ(H::CheckChannelWidth(30),
                          "channel-width=30 MHz is not an 802.11ax channel width in the 5 GHz "
                          "band; allowed: 20, 40, 80, 160",
                          "width");
    NS_TEST_ASSERT_MSG_EQ(H::CheckDistance(-5),
                          "distance=-5 m is invalid: must be a positive number of metres",
                          "negative distance");
    NS_TEST_ASSERT_MSG_EQ(H::CheckDistance(0),
                          "distance=0 m is invalid: must be a positive number of metres",
                          "zero distance");
    NS_TEST_ASSERT_MSG_EQ(H::CheckDistance(std::nan("")),
                          "distance=nan m is invalid: must be a positive number of metres",
                          "NaN distance");
    NS_TEST_ASSERT_MSG_EQ(H::CheckFading("ricean"),
                          "fading='ricean' is not a known fading model; allowed: none, nakagami, "
                          "rayleigh, jakes",
                          "fading");
    NS_TEST_ASSERT_MSG_EQ(H::CheckDopplerHz(0),
                          "dopplerHz=0 is invalid: must be in (0, 10000] Hz",
                          "zero Doppler");
    NS_TEST_ASSERT_MSG_EQ(H::CheckPathLoss("3gpp"),
                          "path-loss='3gpp' is not a known path loss model; allowed: "
                          "log-distance, 3gpp-inh, 3gpp-umi",
                          "path loss");
    NS_TEST_ASSERT_MSG_EQ(H::CheckD2dMode("mesh"),
                          "d2d='mesh' is not a known device-to-device mode; allowed: ap, adhoc",
                          "d2d");
    NS_TEST_ASSERT_MSG_EQ(H::CheckRateControl("minstrel"),
                          "rate-control='minstrel' is not a known rate control; allowed: ideal, "
                          "constant",
                          "rate control");
    NS_TEST_ASSERT_MSG_EQ(H::CheckHeMcs(11), "", "MCS 11");
    NS_TEST_ASSERT_MSG_EQ(H::CheckHeMcs(12), "he-mcs=12 is not an HE MCS; allowed: 0..11", "mcs");
    NS_TEST_ASSERT_MSG_EQ(H::CheckGuardInterval(400),
                          "guard-interval=400 ns is not an HE guard interval; allowed: 800, 1600, "
                          "3200",
                          "guard interval");
    NS_TEST_ASSERT_MSG_EQ(H::CheckTxPower("device-tx-power", 31, -20, 30),
                          "device-tx-power=31 dBm is out of range; allowed: -20 to 30 dBm",
                          "tx power");
    NS_TEST_ASSERT_MSG_EQ(H::CheckPathLossExponent(0.5),
                          "path-loss-exponent=0.5 is invalid: must be between 1 and 8",
                          "exponent");
    NS_TEST_ASSERT_MSG_EQ(H::CheckChannelCondition("sometimes"),
                          "channel-condition='sometimes' is not a known channel condition; "
                          "allowed: 3gpp, los, nlos",
                          "condition");
    NS_TEST_ASSERT_MSG_EQ(H::CheckNakagamiM(0.3),
                          "nakagami-m=0.3 is invalid: must be between 0.5 and 100",
                          "m");
    NS_TEST_ASSERT_MSG_EQ(H::CheckPlacement("grid"),
                          "placement='grid' is not a known placement; allowed: circle, line, disc",
                          "placement");
    NS_TEST_ASSERT_MSG_EQ(H::CheckMobility("teleport"),
                          "mobility='teleport' is not a known mobility; allowed: static, "
                          "random-walk, ns2",
                          "mobility");
    NS_TEST_ASSERT_MSG_EQ(H::CheckMobilityTrace("/nonexistent/trace.ns2"),
                          "mobilityTrace='/nonexistent/trace.ns2' cannot be opened; give an ns-2 "
                          "mobility trace file",
                          "trace");
    NS_TEST_ASSERT_MSG_EQ(H::CheckSpeed(0), "speed=0 m/s is invalid: must be in (0, 50]", "speed");
    NS_TEST_ASSERT_MSG_EQ(H::CheckDataRate(DataRate(0)),
                          "data-rate=0bps is invalid: must be positive",
                          "rate");
    NS_TEST_ASSERT_MSG_EQ(H::CheckDelay(MilliSeconds(-1)),
                          "delay=-1ms is invalid: must not be negative",
                          "delay");
    NS_TEST_ASSERT_MSG_EQ(H::CheckErrorRate(1.0),
                          "error-rate=1 is invalid: must be a probability in [0, 1)",
                          "error rate");
    NS_TEST_ASSERT_MSG_EQ(H::CheckQueueSize(0),
                          "queue-size=0 packets is invalid; allowed: 1..10000000",
                          "queue");

    // Combinations.
    {
        EdgeNetworkHelper helper;
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(3), "", "defaults are fine");
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(0),
                              "deviceCount=0 is invalid for network='wifi'; allowed: 1..1000",
                              "no devices");
        helper.SetNetwork("p2p");
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(129),
                              "deviceCount=129 is invalid for network='p2p'; allowed: 1..128",
                              "mesh too large");
        helper.SetD2dMode("adhoc");
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(3),
                              "d2d='adhoc' needs network='wifi' (network='p2p' connects devices "
                              "directly)",
                              "adhoc on p2p");
        helper.SetD2dMode("ap");
        helper.SetFading("rayleigh");
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(3),
                              "fading='rayleigh' needs a radio network (network='p2p' has no "
                              "radio channel)",
                              "fading on p2p");
    }
    {
        EdgeNetworkHelper helper;
        helper.SetErrorRate(0.01);
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(3),
                              "error-rate=0.01 needs a wired network (network='csma' or 'p2p'); "
                              "on network='wifi' losses come from the radio channel",
                              "loss on wifi");
    }
    {
        EdgeNetworkHelper helper;
        helper.SetMobility("random-walk");
        helper.SetPlacement("line");
        helper.SetDistance(10);
        helper.SetRandomWalkBoxHalfSide(25);
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(3),
                              "box-half-side=25 m is too small: placement='line' puts a device "
                              "30 m from the server",
                              "box");
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(2), "", "two devices fit");
    }

    // EdgeNetwork: transmit power on a wired network, out of range, bad nodes and pairs.
    {
        EdgeNetworkHelper helper;
        helper.SetNetwork("p2p");
        Ptr<EdgeNetwork> wired = helper.Install(1);
        NS_TEST_ASSERT_MSG_EQ(wired->CheckTxPowerDbm(0, 10.0),
                              "SetTxPowerDbm is only available on radio networks: network='p2p' "
                              "has no radio (allowed: network='wifi', 'ofdma' or 'lte')",
                              "power on p2p");
        NS_TEST_ASSERT_MSG_EQ(wired->CheckErrorRate(0.01), "", "loss on p2p is fine");
        NS_TEST_ASSERT_MSG_EQ(wired->CheckErrorRate(-0.1),
                              "error-rate=-0.1 is invalid: must be a probability in [0, 1)",
                              "negative loss");
        NS_TEST_ASSERT_MSG_EQ(wired->CheckPeer(1, 1),
                              "from=1 and to=1 are the same node: a node has no peer address to "
                              "itself",
                              "same node");
        NS_TEST_ASSERT_MSG_EQ(wired->CheckPeer(0, 2),
                              "to=2 is not a node of this network; allowed: 0..1 (devices 0..0, "
                              "server 1)",
                              "bad node");
    }
    Simulator::Destroy();
    {
        EdgeNetworkHelper helper;
        Ptr<EdgeNetwork> wifi = helper.Install(2);
        NS_TEST_ASSERT_MSG_EQ(wifi->CheckTxPowerDbm(0, 30.0), "", "at the maximum");
        NS_TEST_ASSERT_MSG_EQ(wifi->CheckTxPowerDbm(0, 30.5),
                              "tx-power=30.5 dBm is out of range for node 0; allowed: -20 to 30 "
                              "dBm",
                              "above the maximum");
        NS_TEST_ASSERT_MSG_EQ(wifi->CheckTxPowerDbm(1, -25),
                              "tx-power=-25 dBm is out of range for node 1; allowed: -20 to 30 "
                              "dBm",
                              "below the minimum");
        wifi->SetMaxTxPowerDbm(1, 18.0);
        NS_TEST_ASSERT_MSG_EQ(wifi->CheckTxPowerDbm(1, 20.0),
                              "tx-power=20 dBm is out of range for node 1; allowed: -20 to 18 dBm",
                              "above the node's own maximum");
        NS_TEST_ASSERT_MSG_EQ(wifi->CheckTxPowerDbm(5, 10.0),
                              "node=5 is not a node of this network; allowed: 0..2 (devices "
                              "0..1, server 2)",
                              "bad node");
        NS_TEST_ASSERT_MSG_EQ(wifi->CheckErrorRate(0.01),
                              "SetErrorRate is only available on wired networks: on "
                              "network='wifi' losses come from the radio channel (allowed: "
                              "network='csma' or 'p2p')",
                              "loss on wifi");
    }
    Simulator::Destroy();
}

/**
 * \ingroup edge-llm-tests
 * \brief network='ofdma' through EdgeNetworkHelper: the cell's devices, transmit power and
 * bandwidth shares reach the base station; other kinds refuse a share.
 */
/**
 * \ingroup edge-llm-tests
 * Mobility from an ns-2 trace (Ns2MobilityHelper), on the OFDMA cell and on Wi-Fi: device 0
 * starts 50 m from the server and, from t = 1 s, moves at 250 m/s to 300 m; device 1, which the
 * trace does not name, keeps its placement. The uplink gain NetworkState reads at t = 0.5 s
 * and t = 3 s differs by the log-distance law at the two distances (exponent 3:
 * 30 log10(d1 / d0) dB, distances from the positions), and the cell's uplink goodput at every
 * RB count drops with it; random-walk devices move on the cell too.
 */
class EdgeNetworkMobilityTestCase : public TestCase
{
  public:
    EdgeNetworkMobilityTestCase()
        : TestCase("mobility: an ns-2 trace moves a device on the OFDMA cell and on Wi-Fi; the "
                   "round's channel follows it")
    {
    }

  private:
    /// What a check time saw.
    struct Seen
    {
        double gainDb{0};        //!< device 0's uplink gain
        double distance{0};      //!< device 0's distance from the server
        double otherDistance{0}; //!< device 1's
        double goodput{0};       //!< the cell's uplink goodput at 10 RBs (ofdma)
    };

    /// Read the channel now.
    static void Read(Ptr<EdgeNetwork> network, Seen* seen)
    {
        NetworkState state(network);
        state.BeginRound();
        const uint32_t server = network->GetServerIndex();
        Ptr<MobilityModel> at = network->GetNode(server)->GetObject<MobilityModel>();
        seen->gainDb = 10 * std::log10(state.GetUplinkGain(0));
        seen->distance = network->GetNode(0)->GetObject<MobilityModel>()->GetDistanceFrom(at);
        seen->otherDistance = network->GetNode(1)->GetObject<MobilityModel>()->GetDistanceFrom(at);
        if (network->GetKind() == "ofdma")
        {
            seen->goodput = state.GetOfdmaUplinkGoodputs(0, 0.2)[10];
        }
    }

    void DoRun() override
    {
        const std::string trace = CreateTempDirFilename("mobility.ns_movements");
        {
            std::ofstream out(trace);
            out << "$node_(0) set X_ 50.0\n$node_(0) set Y_ 0.0\n$node_(0) set Z_ 1.5\n"
                << "$ns_ at 1.0 \"$node_(0) setdest 300.0 0.0 250.0\"\n";
        }
        for (const std::string kind : {"ofdma", "wifi"})
        {
            EdgeNetworkHelper helper;
            helper.SetNetwork(kind);
            helper.SetPathLoss("log-distance");
            helper.SetDistance(20);
            helper.SetMobility("ns2");
            helper.SetMobilityTrace(trace);
            Ptr<EdgeNetwork> network = helper.Install(2);
            Seen before;
            Seen after;
            Simulator::Schedule(Seconds(0.5), &Read, network, &before);
            Simulator::Schedule(Seconds(3), &Read, network, &after);
            Simulator::Stop(Seconds(3.1));
            Simulator::Run();
            Simulator::Destroy();
            std::cout << kind << ": device 0 at " << before.distance << " m then " << after.distance
                      << " m, gain " << before.gainDb << " then " << after.gainDb
                      << " dB; device 1 at " << after.otherDistance << " m" << std::endl;
            NS_TEST_ASSERT_MSG_EQ_TOL(before.distance, 50, 10, kind << ": the trace's start");
            NS_TEST_ASSERT_MSG_EQ_TOL(after.distance, 300, 10, kind << ": the trace's end");
            NS_TEST_ASSERT_MSG_EQ_TOL(before.gainDb - after.gainDb,
                                      30 * std::log10(after.distance / before.distance),
                                      1e-6,
                                      kind << ": the log-distance law at the new place");
            NS_TEST_ASSERT_MSG_EQ_TOL(after.otherDistance,
                                      before.otherDistance,
                                      1e-9,
                                      kind << ": device 1 keeps its placement");
            NS_TEST_ASSERT_MSG_EQ_TOL(after.otherDistance, 20, 10, kind << ": at its placement");
            if (kind == "ofdma")
            {
                NS_TEST_ASSERT_MSG_LT(after.goodput, 0.5 * before.goodput, "the cell's goodput");
            }
        }
        // random walk on the cell: the devices move
        EdgeNetworkHelper walk;
        walk.SetNetwork("ofdma");
        walk.SetMobility("random-walk");
        walk.SetRandomWalkSpeed(20);
        walk.SetDistance(50);
        Ptr<EdgeNetwork> network = walk.Install(2);
        Seen start;
        Seen later;
        Simulator::Schedule(Seconds(0), &Read, network, &start);
        Simulator::Schedule(Seconds(2), &Read, network, &later);
        Simulator::Stop(Seconds(2.1));
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_EQ_TOL(start.distance, std::sqrt(50.0 * 50 + 8.5 * 8.5), 1e-6, "start");
        NS_TEST_ASSERT_MSG_GT(std::abs(later.distance - start.distance), 1, "it walked");
        NS_TEST_ASSERT_MSG_GT(std::abs(later.gainDb - start.gainDb), 0.01, "the gain follows");
    }
};

class EdgeNetworkOfdmaTestCase : public TestCase
{
  public:
    EdgeNetworkOfdmaTestCase()
        : TestCase("network=ofdma: power and bandwidth shares reach the cell")
    {
    }

  private:
    void DoRun() override
    {
        EdgeNetworkHelper helper;
        helper.SetNetwork("ofdma");
        helper.SetDeviceTxPowerDbm(20);
        Ptr<EdgeNetwork> network = helper.Install(3);
        NS_TEST_ASSERT_MSG_EQ(network->GetKind(), "ofdma", "kind");
        NS_TEST_ASSERT_MSG_EQ(network->IsWireless(), true, "a radio network");
        Ptr<OfdmaBsNetDevice> bs = network->GetOfdmaBaseStation();
        NS_TEST_ASSERT_MSG_NE(bs, nullptr, "base station on the server");
        NS_TEST_ASSERT_MSG_EQ(bs->GetUeCount(), 3, "one UE per device");
        NS_TEST_ASSERT_MSG_EQ_TOL(network->GetTxPowerDbm(1), 20.0, 1e-12, "initial power");
        network->SetTxPowerDbm(1, 17.0);
        NS_TEST_ASSERT_MSG_EQ_TOL(bs->GetUe(1)->GetTxPowerDbm(), 17.0, 1e-12, "power at the UE");
        NS_TEST_ASSERT_MSG_EQ_TOL(network->GetTxPowerDbm(1), 17.0, 1e-12, "read back");
        network->SetBandwidthShare(0, 0.3);
        network->SetBandwidthShare(2, 0.7);
        NS_TEST_ASSERT_MSG_EQ_TOL(bs->GetBandwidthShare(0), 0.3, 1e-12, "share of device 0");
        NS_TEST_ASSERT_MSG_EQ_TOL(bs->GetBandwidthShare(2), 0.7, 1e-12, "share of device 2");
        NS_TEST_ASSERT_MSG_NE(network->CheckBandwidthShare(1, -0.5), "", "negative share");
        NS_TEST_ASSERT_MSG_EQ(network->CheckBandwidthShare(3, 0.1),
                              "node=3 is the server (the base station): bandwidth shares are per "
                              "device",
                              "server");
        Simulator::Destroy();

        EdgeNetworkHelper wifiHelper;
        Ptr<EdgeNetwork> wifi = wifiHelper.Install(2);
        NS_TEST_ASSERT_MSG_EQ(wifi->CheckBandwidthShare(0, 0.5),
                              "SetBandwidthShare is only available on the OFDMA cell: "
                              "network='wifi' cannot honor a bandwidth share (allowed: "
                              "network='ofdma')",
                              "Wi-Fi refuses a share");
        EdgeNetworkHelper lossy;
        lossy.SetNetwork("ofdma");
        lossy.SetErrorRate(0.01);
        NS_TEST_ASSERT_MSG_EQ(lossy.Validate(2),
                              "error-rate=0.01 needs a wired network (network='csma' or 'p2p'); "
                              "on network='ofdma' losses come from the radio channel",
                              "no wired loss on the cell");
        EdgeNetworkHelper moving;
        moving.SetNetwork("ofdma");
        moving.SetMobility("random-walk");
        NS_TEST_ASSERT_MSG_EQ(moving.Validate(2), "", "mobility on the cell");
        moving.SetMobility("ns2");
        NS_TEST_ASSERT_MSG_EQ(moving.Validate(2),
                              "mobility='ns2' needs a mobilityTrace (an ns-2 mobility trace file)",
                              "a trace for ns2");
        Simulator::Destroy();
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The edge network suite.
 */
class EdgeNetworkTestSuite : public TestSuite
{
  public:
    EdgeNetworkTestSuite()
        : TestSuite("edge-llm-edge-network", TestSuite::UNIT)
    {
        AddTestCase(new EdgeNetworkBadInputTestCase);
        AddTestCase(new EdgeNetworkWifiApTestCase);
        AddTestCase(new EdgeNetworkWifiAdhocTestCase);
        AddTestCase(new EdgeNetworkWifiBurstTestCase);
        AddTestCase(new EdgeNetworkTxPowerTestCase);
        AddTestCase(new EdgeNetworkFadingTestCase);
        AddTestCase(new EdgeNetworkP2pTestCase);
        AddTestCase(new EdgeNetworkCsmaLossTestCase);
        AddTestCase(new EdgeNetworkPlacementTestCase);
        AddTestCase(new EdgeNetworkOfdmaTestCase);
        AddTestCase(new EdgeNetworkMobilityTestCase);
    }
};

/** Static instance. */
static EdgeNetworkTestSuite g_edgeNetworkTestSuite;
