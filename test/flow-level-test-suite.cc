/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/analytic-compute-model.h"
#include "ns3/collective-builder.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-application.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/flow-network-model.h"
#include "ns3/flow-tensor-transport.h"
#include "ns3/he-phy.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/tcp-tensor-transport.h"
#include "ns3/test.h"

#include <chrono>
#include <cmath>
#include <fstream>

/**
 * \file
 * \ingroup edge-llm-tests
 * The flow-level network model: its formulas, max-min sharing, exact bytes, and the same task
 * graphs' iteration latency against the packet level (TCP over ns-3 devices).
 */

using namespace ns3;

namespace
{

/// Settings of one validation run.
struct FlowRunSettings
{
    std::string kind{"p2p"};     //!< p2p, csma, wifi, ofdma
    DataRate rate{"100Mbps"};    //!< wired link rate
    Time delay{MilliSeconds(1)}; //!< wired link delay
    double distance{10};         //!< Wi-Fi device distance (m)
    std::string fading{"none"};  //!< radio fading (none, rayleigh, nakagami)
};

/// What a run observed.
struct FlowRunResult
{
    std::vector<Time> latency;          //!< per iteration
    std::vector<uint64_t> bytesPerNode; //!< payload bytes received, by node
    double wallSeconds{0};              //!< wall time of Simulator::Run
    uint32_t iterations{0};             //!< completed
};

void
OnIteration(FlowRunResult* result, uint32_t iteration, Time start, Time end)
{
    result->latency.push_back(end - start);
}

Ptr<TaskGraph>
ReturnGraph(Ptr<TaskGraph> graph, uint32_t iteration)
{
    return graph;
}

/// Runs \p graph once over a fresh network at \p fidelity.
FlowRunResult
RunAt(Ptr<TaskGraph> graph,
      uint32_t devices,
      const FlowRunSettings& settings,
      const std::string& fidelity)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork(settings.kind);
    if (settings.kind == "wifi" || settings.kind == "ofdma")
    {
        networkHelper.SetDistance(settings.distance);
        networkHelper.SetFading(settings.fading);
    }
    else
    {
        networkHelper.SetDataRate(settings.rate);
        if (settings.kind == "p2p")
        {
            // CSMA keeps the helper's LAN delay: its channel is held for the delay per frame.
            networkHelper.SetDelay(settings.delay);
        }
    }
    Ptr<EdgeNetwork> network = networkHelper.Install(devices);
    networkHelper.AssignStreams(network, 100);
    DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    std::vector<DeviceProfile> profiles(devices, catalog.Get("jetson-tx2"));
    profiles.push_back(catalog.Get("edge-server-a100"));
    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(fidelity);
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(1));
    ApplicationContainer apps = runtime.Install(network);
    runtime.GetServer()->SetGraphSource(MakeBoundCallback(&ReturnGraph, graph));
    runtime.GetServer()->WaitForNetwork(network);
    apps.Start(Seconds(0));
    FlowRunResult result;
    runtime.GetServer()->TraceConnectWithoutContext("IterationCompleted",
                                                    MakeBoundCallback(&OnIteration, &result));
    Simulator::Stop(Seconds(600));
    auto begin = std::chrono::steady_clock::now();
    Simulator::Run();
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    result.iterations = runtime.GetServer()->GetCompletedIterations();
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<TensorTransport> transport =
            DynamicCast<EdgeLlmApplication>(apps.Get(i))->GetTransport();
        if (auto tcp = DynamicCast<TcpTensorTransport>(transport))
        {
            result.bytesPerNode.push_back(tcp->GetPayloadBytesReceived());
        }
        else
        {
            result.bytesPerNode.push_back(
                DynamicCast<FlowTensorTransport>(transport)->GetPayloadBytesReceived());
        }
    }
    Simulator::Destroy();
    return result;
}

/**
 * A CollaPipe-like round: a 1F1B pipeline over devices 0..n-1 with the server as head (the
 * decoder), then FedAvg of each device's segment parameters at the server.
 */
Ptr<TaskGraph>
MakeRound(uint32_t devices,
          uint32_t microBatches,
          uint64_t activationBytes,
          uint64_t parameterBytes,
          Time forward,
          Time backward)
{
    Ptr<TaskGraph> graph = Create<TaskGraph>(devices + 1);
    PipelineSpec spec;
    spec.schedule = PipelineSchedule::ONE_F_ONE_B;
    spec.microBatches = microBatches;
    for (uint32_t s = 0; s < devices; ++s)
    {
        spec.stageDevices.push_back(s);
        spec.forwardCosts.push_back(ComputeCost::FromDuration(forward));
        spec.backwardCosts.push_back(ComputeCost::FromDuration(backward));
        if (s + 1 < devices)
        {
            spec.activationBytes.push_back(activationBytes);
            spec.gradientBytes.push_back(activationBytes);
        }
    }
    PipelineHead head;
    head.device = devices;
    head.activationBytes = activationBytes;
    head.gradientBytes = activationBytes;
    head.lossCost = ComputeCost::FromDuration(forward);
    spec.head = head;
    PipelineTasks tasks = PipelineScheduleBuilder::Build(*graph, spec);
    FedAvgSpec fedAvg;
    for (uint32_t i = 0; i <= devices; ++i)
    {
        fedAvg.group.push_back(i);
        fedAvg.after.push_back(i < devices ? std::vector<uint32_t>{tasks.lastTask[i]}
                                           : std::vector<uint32_t>{});
    }
    fedAvg.root = devices;
    fedAvg.parameterBytes = parameterBytes;
    fedAvg.aggregateCost = ComputeCost::FromDuration(MilliSeconds(5));
    CollectiveBuilder::FedAvg(*graph, fedAvg);
    return graph;
}

/// Payload bytes each node should receive: the graph's transfers summed by destination.
std::vector<uint64_t>
ExpectedBytes(Ptr<TaskGraph> graph, uint32_t nodes)
{
    std::vector<uint64_t> bytes(nodes, 0);
    for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
    {
        if (!graph->IsCompute(id))
        {
            bytes[graph->GetTransfer(id).destination] += graph->GetTransfer(id).bytes;
        }
    }
    return bytes;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Goodput fractions and solo rates of the wired links, by hand.
 */
class FlowFormulaTestCase : public TestCase
{
  public:
    FlowFormulaTestCase()
        : TestCase("flow level: wired goodput formulas and solo rates")
    {
    }

  private:
    void DoRun() override
    {
        // p2p: MSS 1448 over 1448 + 20 (IPv4) + 20 (TCP) + 12 (timestamps) + 2 (PPP) = 1502.
        NS_TEST_ASSERT_MSG_EQ_TOL(FlowNetworkModel::GetP2pEfficiency(),
                                  1448.0 / 1502.0,
                                  1e-12,
                                  "p2p efficiency");
        // CSMA: 1448 over 1448 + 52 + 14 (Ethernet) + 4 (FCS) = 1518 (ns-3's CsmaNetDevice
        // sends no preamble and has no inter-frame gap by default).
        NS_TEST_ASSERT_MSG_EQ_TOL(FlowNetworkModel::GetCsmaEfficiency(),
                                  1448.0 / 1518.0,
                                  1e-12,
                                  "CSMA efficiency");
        EdgeNetworkHelper helper;
        helper.SetNetwork("p2p");
        helper.SetDataRate(DataRate("50Mbps"));
        Ptr<EdgeNetwork> network = helper.Install(2);
        Ptr<FlowNetworkModel> model = CreateObject<FlowNetworkModel>();
        model->SetNetwork(network);
        // 50e6 * 1448 / 1502 = 48,202,396.8 bit/s (the reverse direction's ACKs are idle)
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetSoloRate(0, 2), 50e6 * 1448 / 1502, 1, "p2p rate");
        Simulator::Destroy();
    }
};

/// Records deliveries of a bare FlowNetworkModel.
struct Deliveries
{
    std::vector<std::tuple<uint32_t, uint64_t, uint64_t, Time>> items; //!< src, id, bytes, time
};

void
RecordDelivery(Deliveries* deliveries,
               uint32_t source,
               uint32_t destination,
               uint64_t id,
               uint64_t bytes)
{
    deliveries->items.emplace_back(source, id, bytes, Simulator::Now());
}

/**
 * \ingroup edge-llm-tests
 * Max-min sharing and FIFO on a bare model: completion times by hand.
 */
class FlowSharingTestCase : public TestCase
{
  public:
    FlowSharingTestCase()
        : TestCase("flow level: CSMA max-min sharing, FIFO per pair, exact bytes")
    {
    }

  private:
    void DoRun() override
    {
        EdgeNetworkHelper helper;
        helper.SetNetwork("csma");
        helper.SetDataRate(DataRate("100Mbps"));
        helper.SetDelay(MicroSeconds(10));
        Ptr<EdgeNetwork> network = helper.Install(3);
        Ptr<FlowNetworkModel> model = CreateObject<FlowNetworkModel>();
        model->SetNetwork(network);
        Deliveries deliveries;
        model->SetDeliverCallback(3, MakeBoundCallback(&RecordDelivery, &deliveries));
        // Segment goodput C: per two 1448-byte segments the wire carries 2 x 1518 bytes of data
        // frames and one ACK frame of 52 + 18 = 70 bytes: C = 100e6 * 1448 / (1518 + 35) bit/s
        // = 11,654,861.6 bytes/s.
        // Flow A (0->3) 1,000,000 - 16 payload bytes, flow B (1->3) 3,000,000 - 16, both at 0,
        // plus flow A2 (0->3, queued behind A) 1,000,000 - 16.
        // Two flows share C/2 each: A ends at 2e6 / C = 0.174917 s; then B (2e6 left) and A2
        // share: A2 ends after 2e6 / C more (0.349834 s), B has 1e6 left, alone at C: ends at
        // 0.349834 + 1e6 / C = 0.437293 s. Each + 10 us propagation.
        model->Send(0, 3, 1, 1000000 - 16);
        model->Send(0, 3, 2, 1000000 - 16);
        model->Send(1, 3, 3, 3000000 - 16);
        Simulator::Run();
        const double c = 100e6 * 1448 / 1553 / 8;
        NS_TEST_ASSERT_MSG_EQ(deliveries.items.size(), 3, "three messages");
        std::map<uint64_t, double> at;
        for (const auto& item : deliveries.items)
        {
            at[std::get<1>(item)] = std::get<3>(item).GetSeconds();
            NS_TEST_ASSERT_MSG_EQ(std::get<2>(item),
                                  (std::get<1>(item) == 3 ? 3000000 - 16 : 1000000 - 16),
                                  "exact payload bytes");
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(at[1], 2e6 / c + 10e-6, 2e-9, "A: shares half");
        NS_TEST_ASSERT_MSG_EQ_TOL(at[2], 4e6 / c + 10e-6, 4e-9, "A2: after A (FIFO), half");
        NS_TEST_ASSERT_MSG_EQ_TOL(at[3], 5e6 / c + 10e-6, 4e-9, "B: alone at the end");
        Simulator::Destroy();
    }
};

/**
 * \ingroup edge-llm-tests
 * Wi-Fi hop rates: the MCS the flow level picks is a real HE MCS whose rate matches ns-3's.
 */
class FlowWifiRateTestCase : public TestCase
{
  public:
    FlowWifiRateTestCase()
        : TestCase("flow level: Wi-Fi HE MCS from the mean SNR")
    {
    }

  private:
    void DoRun() override
    {
        EdgeNetworkHelper helper;
        helper.SetNetwork("wifi");
        helper.SetDistance(10);
        Ptr<EdgeNetwork> network = helper.Install(1);
        Ptr<FlowNetworkModel> model = CreateObject<FlowNetworkModel>();
        model->SetNetwork(network);
        int mcs = -2;
        double snrDb = 0;
        double rate = model->GetWifiPhyRate(0, 1, mcs, snrDb);
        NS_TEST_ASSERT_MSG_GT_OR_EQ(mcs, 0, "some MCS decodable at 10 m");
        NS_TEST_ASSERT_MSG_EQ_TOL(rate,
                                  double(HePhy::GetHeMcs(mcs).GetDataRate(80, 800, 1)),
                                  1,
                                  "ns-3's HE rate");
        // Lower power, lower SNR: exactly 10 dB less.
        int mcs2 = -2;
        double snrDb2 = 0;
        network->SetTxPowerDbm(0, 10.0);
        model->GetWifiPhyRate(0, 1, mcs2, snrDb2);
        NS_TEST_ASSERT_MSG_EQ_TOL(snrDb - snrDb2, 10.0, 1e-9, "SNR follows tx power");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(mcs2, mcs, "MCS does not rise");
        Simulator::Destroy();
    }
};

/**
 * \ingroup edge-llm-tests
 * Bad input: fidelity names, efficiency values, calibration files.
 */
class FlowBadInputTestCase : public TestCase
{
  public:
    FlowBadInputTestCase()
        : TestCase("flow level: bad input messages")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmRuntimeHelper::CheckFidelity("flow"), "", "flow ok");
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmRuntimeHelper::CheckFidelity("packet"), "", "packet ok");
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmRuntimeHelper::CheckFidelity("fluid"),
                              "fidelity='fluid' is not a known network fidelity; allowed: "
                              "packet, flow",
                              "bad fidelity");
        NS_TEST_ASSERT_MSG_EQ(FlowNetworkModel::CheckEfficiency("e", 0.5), "", "0.5 ok");
        NS_TEST_ASSERT_MSG_EQ(FlowNetworkModel::CheckEfficiency("e", 0),
                              "e=0 is invalid: must be in (0, 1]",
                              "zero");
        NS_TEST_ASSERT_MSG_EQ(FlowNetworkModel::CheckEfficiency("e", 1.5),
                              "e=1.5 is invalid: must be in (0, 1]",
                              "above one");
        double efficiency = -1;
        NS_TEST_ASSERT_MSG_EQ(FlowNetworkModel::LoadCalibration("/nonexistent/c.json", efficiency),
                              "calibration file='/nonexistent/c.json' cannot be opened",
                              "missing file");
        std::string path = CreateTempDirFilename("calibration.json");
        {
            std::ofstream out(path);
            out << "{\"wifiMacEfficiency\": {\"value\": 2}}";
        }
        std::string problem = FlowNetworkModel::LoadCalibration(path, efficiency);
        NS_TEST_ASSERT_MSG_NE(problem.find("wifiMacEfficiency.value=2 is invalid"),
                              std::string::npos,
                              problem);
        {
            std::ofstream out(path);
            out << "{\"other\": 1}";
        }
        problem = FlowNetworkModel::LoadCalibration(path, efficiency);
        NS_TEST_ASSERT_MSG_NE(problem.find("has no number at wifiMacEfficiency.value"),
                              std::string::npos,
                              problem);
        {
            std::ofstream out(path);
            out << "{not json";
        }
        problem = FlowNetworkModel::LoadCalibration(path, efficiency);
        NS_TEST_ASSERT_MSG_NE(problem.find("is not valid JSON"), std::string::npos, problem);
        NS_TEST_ASSERT_MSG_EQ(efficiency, -1, "untouched on problems");
        NS_TEST_ASSERT_MSG_EQ(
            FlowNetworkModel::LoadCalibration(GetEdgeLlmDataPath("flow-calibration.json"),
                                              efficiency),
            "",
            "the shipped calibration file loads");
        NS_TEST_ASSERT_MSG_GT(efficiency, 0.0, "positive");
    }
};

/**
 * \ingroup edge-llm-tests
 * The same round at packet and flow level: latency within tolerance, identical bytes.
 */
class FlowValidationTestCase : public TestCase
{
  public:
    /**
     * \param kind network kind
     * \param devices number of devices
     * \param tolerance relative latency tolerance
     * \param activation activation bytes per micro-batch
     * \param parameters parameter bytes per device
     */
    FlowValidationTestCase(const std::string& kind,
                           uint32_t devices,
                           double tolerance,
                           uint64_t activation,
                           uint64_t parameters,
                           const std::string& fading = "none")
        : TestCase("flow vs packet: " + kind + ", " + std::to_string(devices) + " devices" +
                   (fading == "none" ? std::string() : ", " + fading + " fading")),
          m_fading(fading),
          m_kind(kind),
          m_devices(devices),
          m_tolerance(tolerance),
          m_activation(activation),
          m_parameters(parameters)
    {
    }

  private:
    void DoRun() override
    {
        Ptr<TaskGraph> graph =
            MakeRound(m_devices, 4, m_activation, m_parameters, MilliSeconds(20), MilliSeconds(40));
        FlowRunSettings settings;
        settings.kind = m_kind;
        settings.fading = m_fading;
        FlowRunResult packet = RunAt(graph, m_devices, settings, "packet");
        FlowRunResult flow = RunAt(graph, m_devices, settings, "flow");
        NS_TEST_ASSERT_MSG_EQ(packet.iterations, 1, "packet level completed");
        NS_TEST_ASSERT_MSG_EQ(flow.iterations, 1, "flow level completed");
        double p = packet.latency.at(0).GetSeconds();
        double f = flow.latency.at(0).GetSeconds();
        std::cout << "FLOWVAL " << m_kind << " " << m_fading << " devices=" << m_devices
                  << " packet=" << p << " s flow=" << f << " s error=" << (f - p) / p * 100
                  << " % wall packet=" << packet.wallSeconds << " flow=" << flow.wallSeconds
                  << std::endl;
        NS_TEST_ASSERT_MSG_EQ_TOL(f / p, 1.0, m_tolerance, "iteration latency flow vs packet");
        std::vector<uint64_t> expected = ExpectedBytes(graph, m_devices + 1);
        for (uint32_t i = 0; i <= m_devices; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(flow.bytesPerNode.at(i),
                                  packet.bytesPerNode.at(i),
                                  "node " << i << " bytes, flow vs packet");
            NS_TEST_ASSERT_MSG_EQ(flow.bytesPerNode.at(i), expected.at(i), "node " << i);
        }
    }

    std::string m_fading;  //!< radio fading
    std::string m_kind;    //!< network kind
    uint32_t m_devices;    //!< devices
    double m_tolerance;    //!< relative tolerance
    uint64_t m_activation; //!< activation bytes
    uint64_t m_parameters; //!< parameter bytes
};

/**
 * \ingroup edge-llm-tests
 * The flow-level suite.
 */
class FlowLevelTestSuite : public TestSuite
{
  public:
    FlowLevelTestSuite()
        : TestSuite("edge-llm-flow-level", TestSuite::UNIT)
    {
        AddTestCase(new FlowFormulaTestCase);
        AddTestCase(new FlowSharingTestCase);
        AddTestCase(new FlowWifiRateTestCase);
        AddTestCase(new FlowBadInputTestCase);
        AddTestCase(new FlowValidationTestCase("p2p", 4, 0.05, 2000000, 4000000));
        AddTestCase(new FlowValidationTestCase("wifi", 1, 0.15, 2000000, 8000000));
        AddTestCase(new FlowValidationTestCase("ofdma", 4, 0.15, 500000, 2000000));
        AddTestCase(new FlowValidationTestCase("ofdma", 4, 0.15, 500000, 2000000, "rayleigh"));
        AddTestCase(new FlowValidationTestCase("wifi", 4, 0.15, 1000000, 3000000));
        AddTestCase(new FlowValidationTestCase("wifi", 16, 0.15, 250000, 1000000),
                    TestCase::EXTENSIVE);
    }
};

/// The suite's instance.
static FlowLevelTestSuite g_flowLevelTestSuite;
