/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm-tests
 * The TCP window model of the multi-cell flow level: its rounds by hand, and its transfer
 * times against ns-3's own TCP (TcpCubic over a point-to-point link, the module's TCP
 * settings) at packet level.
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/edge-network-helper.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/tcp-window-model.h"
#include "ns3/test.h"

#include <cmath>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Seconds per 1448-byte segment on a point-to-point link (IP, TCP with timestamps, PPP).
double
SegmentTime(double bitRate)
{
    return 1502 * 8 / bitRate;
}

/// The round trip of a segment and its 54-byte ACK on an idle link of \p delay seconds.
double
RoundTrip(double bitRate, double delay)
{
    return 2 * delay + SegmentTime(bitRate) + 54 * 8 / bitRate;
}

/// Last byte's arrival at the sink.
void
RecordArrival(Time* last, Ptr<const Packet>, const Address&)
{
    *last = Simulator::Now();
}

/**
 * ns-3's packet level: one bulk transfer of \p bytes from node 0 to node 1 over a
 * point-to-point link, TCP as EdgeNetworkHelper::ConfigureTcpDefaults sets it.
 * \return seconds from the first data segment leaving (the SYN's round trip after the start)
 * to the last byte's arrival
 */
double
PacketLevelTransfer(double bitRate, double delay, uint64_t bytes)
{
    EdgeNetworkHelper::ConfigureTcpDefaults();
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper link;
    link.SetDeviceAttribute("DataRate", DataRateValue(DataRate(static_cast<uint64_t>(bitRate))));
    link.SetChannelAttribute("Delay", TimeValue(Seconds(delay)));
    NetDeviceContainer devices = link.Install(nodes);
    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper addresses("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = addresses.Assign(devices);
    const uint16_t port = 9;
    BulkSendHelper sender("ns3::TcpSocketFactory",
                          InetSocketAddress(interfaces.GetAddress(1), port));
    sender.SetAttribute("MaxBytes", UintegerValue(bytes));
    sender.SetAttribute("SendSize", UintegerValue(1448));
    ApplicationContainer source = sender.Install(nodes.Get(0));
    source.Start(Seconds(1));
    PacketSinkHelper sink("ns3::TcpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer receiver = sink.Install(nodes.Get(1));
    receiver.Start(Seconds(0));
    Time last;
    receiver.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&RecordArrival, &last));
    Simulator::Stop(Seconds(30));
    Simulator::Run();
    Simulator::Destroy();
    // the SYN (60 bytes on the wire) and the SYN-ACK each cross the link first
    return last.GetSeconds() - 1.0 - 2 * (delay + 62 * 8 / bitRate);
}

/**
 * \ingroup edge-llm-tests
 * The rounds by hand: slow start from a fresh connection, HyStart's early exit on a short
 * round trip, the window carried over to the next transfer.
 */
class TcpWindowRoundsTestCase : public TestCase
{
  public:
    TcpWindowRoundsTestCase()
        : TestCase("tcp window: rounds by hand (slow start, HyStart's exit, carried over)")
    {
    }

  private:
    void DoRun() override
    {
        const TcpWindowParameters p;
        // 500 Mbit/s, 3 ms: 70 segments go as 10, 18, 36 a round trip apart, the last 6 a
        // round trip later (no round fills the 6 ms round trip)
        double t = SegmentTime(500e6);
        double rtt = RoundTrip(500e6, 0.003);
        // (the assertions evaluate their arguments more than once: the calls come first, as
        // each moves the connection on)
        TcpConnectionState fresh;
        const double first = TcpWindowModel::GetSendTime(p, t, rtt, 70, fresh);
        NS_TEST_ASSERT_MSG_EQ_TOL(first, 3 * rtt + 6 * t, 1e-15, "slow start");
        NS_TEST_ASSERT_MSG_EQ(fresh.rounds, 4, "four rounds");
        NS_TEST_ASSERT_MSG_EQ(fresh.saturated, false, "the window still limits");
        // the same connection carries on with the next window (144), then 288 segments fill
        // the round trip: from there the link's rate
        const double next = TcpWindowModel::GetSendTime(p, t, rtt, 1000, fresh);
        NS_TEST_ASSERT_MSG_EQ_TOL(next, 1 * rtt + (1000 - 144) * t, 1e-15, "carried over");
        NS_TEST_ASSERT_MSG_EQ(fresh.saturated, true, "the link limits from now on");
        const double third = TcpWindowModel::GetSendTime(p, t, rtt, 500, fresh);
        NS_TEST_ASSERT_MSG_EQ_TOL(third, 500 * t, 1e-15, "and stays at the link's rate");

        // 500 Mbit/s, 1 ms: the ACK trains of the first round are 1.83 ms apart, within
        // HyStart's 2 ms, so slow start ends after it (window 19 >= 16); round 1 still sends
        // 18, later rounds grow by one segment per 20 acknowledged: 18, 19, 20, 21
        rtt = RoundTrip(500e6, 0.001);
        TcpConnectionState early;
        const double exited = TcpWindowModel::GetSendTime(p, t, rtt, 100, early);
        NS_TEST_ASSERT_MSG_EQ_TOL(exited, 5 * rtt + 15 * t, 1e-15, "HyStart's early exit");
        NS_TEST_ASSERT_MSG_EQ(early.avoidanceFrom, 2, "congestion avoidance from round 2");
        TcpWindowParameters off = p;
        off.hyStart = false;
        TcpConnectionState doubling;
        // without HyStart: 10, 18, 36, 72 (the fourth fills the 2 ms round trip), the last
        // 36 right after
        const double doubled = TcpWindowModel::GetSendTime(off, t, rtt, 100, doubling);
        NS_TEST_ASSERT_MSG_EQ_TOL(doubled, 3 * rtt + 36 * t, 1e-15, "without HyStart");
        NS_TEST_ASSERT_MSG_EQ(TcpWindowModel::CheckParameters(p), "", "defaults usable");
        off.growthClamp = 0;
        NS_TEST_ASSERT_MSG_EQ(TcpWindowModel::CheckParameters(off),
                              "ns3::TcpCubic::CntClamp=0 is invalid for the TCP window model: "
                              "must be at least 1",
                              "named");
    }
};

/**
 * \ingroup edge-llm-tests
 * Against ns-3's TCP at packet level: transfers over a point-to-point link, with and without
 * HyStart's early exit, within 1 %.
 */
class TcpWindowPacketLevelTestCase : public TestCase
{
  public:
    TcpWindowPacketLevelTestCase()
        : TestCase("tcp window: transfer times against ns-3's TcpCubic at packet level")
    {
    }

  private:
    void DoRun() override
    {
        struct Case
        {
            double bitRate; //!< link rate
            double delay;   //!< one-way delay, s
            uint64_t bytes; //!< transfer
        };

        // slow start filling the link (3 ms), HyStart's early exit (1 ms), a short transfer
        const std::vector<Case> cases = {{500e6, 0.003, 1200000},
                                         {1e9, 0.001, 1200000},
                                         {500e6, 0.003, 100000}};
        for (const Case& c : cases)
        {
            const double measured = PacketLevelTransfer(c.bitRate, c.delay, c.bytes);
            TcpConnectionState fresh;
            const double model = TcpWindowModel::GetSendTime(TcpWindowParameters(),
                                                             SegmentTime(c.bitRate),
                                                             RoundTrip(c.bitRate, c.delay),
                                                             (c.bytes + 1447) / 1448,
                                                             fresh) +
                                 c.delay;
            NS_TEST_ASSERT_MSG_EQ_TOL(model,
                                      measured,
                                      0.01 * measured,
                                      c.bitRate / 1e6 << " Mbit/s, " << c.delay * 1e3 << " ms, "
                                                      << c.bytes << " bytes");
            // the rate alone is far from it: the window is what the model adds
            const double atRate = c.bytes * 8.0 / c.bitRate * 1502 / 1448 + c.delay;
            NS_TEST_ASSERT_MSG_GT(measured, 1.5 * atRate, "the window limits");
        }
    }
};

class TcpWindowModelTestSuite : public TestSuite
{
  public:
    TcpWindowModelTestSuite()
        : TestSuite("edge-llm-tcp-window-model", TestSuite::UNIT)
    {
        AddTestCase(new TcpWindowRoundsTestCase);
        AddTestCase(new TcpWindowPacketLevelTestCase);
    }
};

} // namespace

/// The suite's instance.
static TcpWindowModelTestSuite g_tcpWindowModelTestSuite;
