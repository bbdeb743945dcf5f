/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/collective-builder.h"
#include "ns3/core-module.h"
#include "ns3/edge-network-helper.h"
#include "ns3/flow-network-model.h"
#include "ns3/node.h"
#include "ns3/test.h"
#include "ns3/wifi-link-model.h"
#include "ns3/wifi-net-device.h"

#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * A network built for the flow level only (no packet device on its nodes) against the same
 * network with its devices installed: the same link rates for every pair, the same round to
 * the nanosecond, no event scheduled by the radio, and the device cap lifted.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// A network the tests build both ways.
struct FlowOnlySetup
{
    std::string kind{"wifi"}; //!< wifi, lte, csma, p2p
    std::string d2d{"ap"};    //!< Wi-Fi device-to-device mode
    uint32_t devices{4};      //!< devices
    double distance{4};       //!< radio: device spacing
    bool flowOnly{false};     //!< build without packet devices
};

/// Installs the network of \p setup (seed 1, run 1, streams from 100).
Ptr<EdgeNetwork>
InstallSetup(const FlowOnlySetup& setup)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper helper;
    helper.SetNetwork(setup.kind);
    if (setup.kind == "wifi")
    {
        helper.SetD2dMode(setup.d2d);
        helper.SetPlacement("line");
        helper.SetDistance(setup.distance);
        helper.SetPathLossExponent(3.0);
        helper.SetDeviceTxPowerDbm(16);
    }
    else if (setup.kind == "lte")
    {
        helper.SetPlacement("line");
        helper.SetDistance(40);
        helper.SetCellBandwidthMHz(10);
    }
    else
    {
        helper.SetDataRate(DataRate("200Mbps"));
        helper.SetDelay(MicroSeconds(300));
    }
    helper.SetFlowOnly(setup.flowOnly);
    Ptr<EdgeNetwork> network = helper.Install(setup.devices);
    helper.AssignStreams(network, 100);
    return network;
}

/// What the flow level sees of a network.
struct FlowView
{
    std::vector<double> soloRates;         //!< every ordered pair's lone-flow rate
    std::vector<double> loweredPowerRates; //!< the same after device 0 drops to 5 dBm
    std::vector<Time> iterationLatency;    //!< the pipeline + FedAvg round, twice
    std::vector<uint64_t> payloadBytes;    //!< per node
    WifiLinkParameters wifiParameters;     //!< Wi-Fi: what the link model read
    uint32_t installedDevices{0};          //!< NetDevices on the network's nodes
    bool hasPacketDevices{true};           //!< EdgeNetwork::HasPacketDevices
};

/// A 1F1B pipeline over the devices to the server, then FedAvg of 3 MB per device.
Ptr<TaskGraph>
MakeRoundGraph(uint32_t devices)
{
    Ptr<TaskGraph> graph = Create<TaskGraph>(devices + 1);
    std::vector<Time> forward(devices, MilliSeconds(12));
    std::vector<Time> backward(devices, MilliSeconds(25));
    PipelineTasks tasks =
        BuildPipelineToServer(*graph, 4, 600000, forward, backward, MilliSeconds(4));
    RootedSpec gather;
    gather.root = devices;
    std::tie(gather.group, gather.after) = GroupAfterPipeline(tasks, devices);
    gather.bytes = 3000000;
    gather.label = "fedavg-up";
    CollectiveTasks up = CollectiveBuilder::Gather(*graph, gather);
    RootedSpec broadcast = gather;
    broadcast.after.assign(devices + 1, std::vector<uint32_t>{});
    broadcast.after[devices] = up.last[devices];
    broadcast.label = "fedavg-down";
    CollectiveBuilder::Broadcast(*graph, broadcast);
    return graph;
}

FlowView
Observe(const FlowOnlySetup& setup)
{
    FlowView view;
    {
        Ptr<EdgeNetwork> network = InstallSetup(setup);
        view.hasPacketDevices = network->HasPacketDevices();
        for (uint32_t node = 0; node < network->GetNodeCount(); ++node)
        {
            view.installedDevices += network->GetNode(node)->GetNDevices();
        }
        Ptr<FlowNetworkModel> model = CreateObject<FlowNetworkModel>();
        model->SetNetwork(network);
        model->AssignStreams(7);
        const uint32_t nodes = network->GetNodeCount();
        for (uint32_t a = 0; a < nodes; ++a)
        {
            for (uint32_t b = 0; b < nodes; ++b)
            {
                if (a != b)
                {
                    view.soloRates.push_back(model->GetSoloRate(a, b));
                }
            }
        }
        if (setup.kind == "wifi" || setup.kind == "lte")
        {
            network->SetTxPowerDbm(0, 5.0);
            for (uint32_t b = 1; b < nodes; ++b)
            {
                view.loweredPowerRates.push_back(model->GetSoloRate(0, b));
            }
        }
        if (setup.kind == "wifi")
        {
            view.wifiParameters = WifiLinkModel::ReadParameters(
                DynamicCast<WifiNetDevice>(network->GetLinkDevice(0, network->GetServerIndex())));
        }
        Simulator::Destroy();
    }
    Ptr<EdgeNetwork> network = InstallSetup(setup);
    FixedGraphRunSettings run;
    run.fidelity = "flow";
    run.iterations = 2;
    // CSMA's contention emulation draws from the runtime's streams: fix them for both networks
    // (an installed network uses more streams before them, so a study's numbering differs)
    run.beforeRun = [](EdgeLlmRuntimeHelper& runtime, ApplicationContainer&) {
        runtime.AssignStreams(5000);
    };
    FixedGraphRunResult result = RunFixedGraph(MakeRoundGraph(setup.devices), network, run);
    view.iterationLatency = result.iterationLatency;
    view.payloadBytes = result.payloadBytesPerNode;
    return view;
}

/**
 * \ingroup edge-llm-tests
 * The flow-only network against the installed one: every pair's rate (and after a power
 * change), the link model's parameters, and a pipeline + FedAvg round run twice, equal.
 */
class FlowOnlyMatchesInstalledTestCase : public TestCase
{
  public:
    /**
     * \param kind the network kind
     * \param d2d Wi-Fi's device-to-device mode
     */
    FlowOnlyMatchesInstalledTestCase(const std::string& kind, const std::string& d2d)
        : TestCase("flow-only " + kind + (kind == "wifi" ? " d2d=" + d2d : "") +
                   " equals the installed network at the flow level"),
          m_kind(kind),
          m_d2d(d2d)
    {
    }

  private:
    void DoRun() override
    {
        FlowOnlySetup setup;
        setup.kind = m_kind;
        setup.d2d = m_d2d;
        const FlowView installed = Observe(setup);
        setup.flowOnly = true;
        const FlowView flowOnly = Observe(setup);

        NS_TEST_ASSERT_MSG_EQ(installed.hasPacketDevices, true, "installed network");
        NS_TEST_ASSERT_MSG_GT(installed.installedDevices, setup.devices, "devices installed");
        NS_TEST_ASSERT_MSG_EQ(flowOnly.hasPacketDevices, false, "flow-only network");
        NS_TEST_ASSERT_MSG_EQ(flowOnly.installedDevices, 0, "no device on any node");

        NS_TEST_ASSERT_MSG_EQ(flowOnly.soloRates.size(), installed.soloRates.size(), "pairs");
        for (std::size_t i = 0; i < installed.soloRates.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_GT(installed.soloRates[i], 0, "pair " << i << " has a rate");
            NS_TEST_EXPECT_MSG_EQ(flowOnly.soloRates[i], installed.soloRates[i], "pair " << i);
        }
        for (std::size_t i = 0; i < installed.loweredPowerRates.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(flowOnly.loweredPowerRates[i],
                                  installed.loweredPowerRates[i],
                                  "after the power change, pair (0, " << i + 1 << ")");
        }
        if (m_kind == "wifi" || m_kind == "lte")
        {
            // a lower power lowers the device-to-server rate (the test can see a change)
            NS_TEST_EXPECT_MSG_LT(installed.loweredPowerRates.back(),
                                  installed.soloRates[setup.devices - 1],
                                  "5 dBm is slower than 16 dBm");
        }
        if (m_kind == "wifi")
        {
            const WifiLinkParameters& a = installed.wifiParameters;
            const WifiLinkParameters& b = flowOnly.wifiParameters;
            NS_TEST_EXPECT_MSG_EQ(b.maxAmpduBytes, a.maxAmpduBytes, "A-MPDU");
            NS_TEST_EXPECT_MSG_EQ(b.cwMin, a.cwMin, "CWmin");
            NS_TEST_EXPECT_MSG_EQ(b.cwMax, a.cwMax, "CWmax");
            NS_TEST_EXPECT_MSG_EQ(b.aifsn, a.aifsn, "AIFSN");
            NS_TEST_EXPECT_MSG_EQ(b.mpduBufferSize, a.mpduBufferSize, "Block Ack buffer");
            NS_TEST_EXPECT_MSG_EQ(b.guardIntervalNs, a.guardIntervalNs, "guard interval");
        }
        NS_TEST_ASSERT_MSG_EQ(installed.iterationLatency.size(), 2, "two rounds");
        NS_TEST_ASSERT_MSG_EQ(flowOnly.iterationLatency.size(), 2, "two rounds");
        for (std::size_t i = 0; i < 2; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(flowOnly.iterationLatency[i],
                                  installed.iterationLatency[i],
                                  "round " << i << " to the ns");
        }
        NS_TEST_EXPECT_MSG_EQ((flowOnly.payloadBytes == installed.payloadBytes),
                              true,
                              "the same bytes reach every node");
    }

    std::string m_kind; //!< network kind
    std::string m_d2d;  //!< Wi-Fi d2d mode
};

/**
 * \ingroup edge-llm-tests
 * A flow-only Wi-Fi network of 2000 devices (twice the installed network's cap) schedules no
 * event: nothing beacons, scans or associates; an installed network of 4 runs hundreds.
 */
class FlowOnlyIsQuietTestCase : public TestCase
{
  public:
    FlowOnlyIsQuietTestCase()
        : TestCase("a flow-only Wi-Fi network of 2000 devices schedules no event")
    {
    }

  private:
    /// \return events executed in 5 simulated seconds after installing \p setup
    uint64_t EventsIn5s(const FlowOnlySetup& setup)
    {
        Ptr<EdgeNetwork> network = InstallSetup(setup);
        NS_TEST_EXPECT_MSG_EQ(network->IsReady(), setup.flowOnly, "ready at once when flow-only");
        const uint64_t before = Simulator::GetEventCount();
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        const uint64_t events = Simulator::GetEventCount() - before;
        Simulator::Destroy();
        return events;
    }

    void DoRun() override
    {
        FlowOnlySetup setup;
        setup.devices = 4;
        const uint64_t installed = EventsIn5s(setup);
        NS_TEST_EXPECT_MSG_GT(installed, 100, "an installed BSS beacons and associates");
        setup.devices = 2000;
        setup.distance = 0.01;
        setup.flowOnly = true;
        // the Simulator::Stop event and the nodes' initialization, nothing of a radio
        NS_TEST_EXPECT_MSG_LT(EventsIn5s(setup), 2 * setup.devices + 10, "no radio event");
        setup.kind = "csma";
        NS_TEST_EXPECT_MSG_LT(EventsIn5s(setup), 2 * setup.devices + 10, "no CSMA event");
    }
};

/**
 * \ingroup edge-llm-tests
 * What a flow-only network refuses: the OFDMA cell, a 100001st device, p2p beyond its mesh.
 */
class FlowOnlyRefusalsTestCase : public TestCase
{
  public:
    FlowOnlyRefusalsTestCase()
        : TestCase("flow-only refusals: the OFDMA cell, the device caps")
    {
    }

  private:
    void DoRun() override
    {
        for (const std::string kind : {"ofdma"})
        {
            EdgeNetworkHelper helper;
            helper.SetNetwork(kind);
            helper.SetFlowOnly(true);
            const std::string problem = helper.Validate(4);
            NS_TEST_EXPECT_MSG_NE(problem.find("flow-only"), std::string::npos, problem);
            NS_TEST_EXPECT_MSG_NE(problem.find(kind), std::string::npos, problem);
        }
        EdgeNetworkHelper helper;
        helper.SetNetwork("wifi");
        NS_TEST_EXPECT_MSG_NE(helper.Validate(1001), "", "installed Wi-Fi: at most 1000");
        helper.SetFlowOnly(true);
        NS_TEST_EXPECT_MSG_EQ(helper.Validate(1001), "", "flow-only Wi-Fi: more");
        NS_TEST_EXPECT_MSG_EQ(helper.Validate(EdgeNetworkHelper::MAX_FLOW_ONLY_DEVICES), "", "cap");
        const std::string problem = helper.Validate(EdgeNetworkHelper::MAX_FLOW_ONLY_DEVICES + 1);
        NS_TEST_EXPECT_MSG_NE(problem.find("deviceCount=100001"), std::string::npos, problem);
        helper.SetNetwork("p2p");
        NS_TEST_EXPECT_MSG_NE(helper.Validate(129), "", "p2p stays a mesh of at most 128");
    }
};

/**
 * \ingroup edge-llm-tests
 * The flow-only network: the flow level without packet devices.
 */
class FlowOnlyNetworkTestSuite : public TestSuite
{
  public:
    FlowOnlyNetworkTestSuite()
        : TestSuite("edge-llm-flow-only", UNIT)
    {
        AddTestCase(new FlowOnlyMatchesInstalledTestCase("wifi", "ap"), TestCase::QUICK);
        AddTestCase(new FlowOnlyMatchesInstalledTestCase("wifi", "adhoc"), TestCase::QUICK);
        AddTestCase(new FlowOnlyMatchesInstalledTestCase("lte", "ap"), TestCase::QUICK);
        AddTestCase(new FlowOnlyMatchesInstalledTestCase("csma", "ap"), TestCase::QUICK);
        AddTestCase(new FlowOnlyMatchesInstalledTestCase("p2p", "ap"), TestCase::QUICK);
        AddTestCase(new FlowOnlyIsQuietTestCase, TestCase::QUICK);
        AddTestCase(new FlowOnlyRefusalsTestCase, TestCase::QUICK);
    }
};

/// The suite's instance.
FlowOnlyNetworkTestSuite g_flowOnlyNetworkTestSuite;

} // namespace
