/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/core-module.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/flow-network-model.h"
#include "ns3/lte-enb-net-device.h"
#include "ns3/lte-link-model.h"
#include "ns3/lte-network-helper.h"
#include "ns3/lte-spectrum-value-helper.h"
#include "ns3/lte-ue-net-device.h"
#include "ns3/lte-ue-phy.h"
#include "ns3/lte-ue-power-control.h"
#include "ns3/test.h"

#include <cmath>
#include <iostream>
#include <map>

/**
 * \file
 * \ingroup edge-llm-tests
 * ns-3's LTE module as an EdgeNetwork: task graphs with exact bytes, TS 36.213 uplink power
 * control against a hand computation, the flow level's LTE model against the packet level.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// How a test builds the LTE network.
struct LteSetup
{
    uint32_t devices{1};            //!< UEs
    double distance{50};            //!< placement "line": device i at (i + 1) x distance
    std::string placement{"line"};  //!< placement
    double alpha{1.0};              //!< TS 36.213 alpha
    double p0{-80};                 //!< P_O_NOMINAL_PUSCH
    double pcmaxDbm{23};            //!< devices' P_CMAX
    double enbDbm{30};              //!< eNB power
    std::string fidelity{"packet"}; //!< packet or flow
};

/// What one run observed.
struct LteObservation
{
    std::map<uint32_t, std::pair<Time, Time>> times; //!< task -> (start, end)
    FixedGraphRunResult result;                      //!< the run's result
    /// per device: (RBs, PUSCH power) of every PUSCH transmission
    std::map<uint32_t, std::vector<std::pair<uint32_t, double>>> pusch;
    std::vector<double> distanceM; //!< per device, to the eNB
};

void
OnTaskFinished(LteObservation* observation,
               uint32_t iteration,
               uint32_t taskId,
               Time start,
               Time end)
{
    observation->times[taskId] = {start, end};
}

/// The PUSCH power of each transmission, with its RB count (the UE's PHY reports the RBs of
/// its grant through the power control's M, which the trace does not carry: read it back)
void
OnPuschPower(LteObservation* observation,
             uint32_t device,
             uint16_t cellId,
             uint16_t rnti,
             double dbm)
{
    observation->pusch[device].emplace_back(0, dbm);
}

Ptr<EdgeNetwork>
InstallLte(const LteSetup& setup)
{
    EdgeNetworkHelper helper;
    helper.SetNetwork("lte");
    helper.SetPlacement(setup.placement);
    helper.SetDistance(setup.distance);
    helper.SetLteAlpha(setup.alpha);
    helper.SetLteP0NominalPuschDbm(setup.p0);
    helper.SetDeviceTxPowerDbm(setup.pcmaxDbm);
    helper.SetServerTxPowerDbm(setup.enbDbm);
    Ptr<EdgeNetwork> network = helper.Install(setup.devices);
    helper.AssignStreams(network, 100);
    return network;
}

/**
 * Runs \p graph once over a fresh LTE network.
 * \param graph the graph (nodes: devices, then the server)
 * \param setup the network
 * \param runNumber the ns-3 run number
 * \return what happened
 */
LteObservation
RunOverLte(Ptr<TaskGraph> graph, const LteSetup& setup, uint64_t runNumber = 1)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(runNumber);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    Ptr<EdgeNetwork> network = InstallLte(setup);
    LteObservation observation;
    FixedGraphRunSettings run;
    run.fidelity = setup.fidelity;
    run.stopTime = Seconds(120);
    run.beforeRun = [&observation, network, setup](EdgeLlmRuntimeHelper& runtime,
                                                   ApplicationContainer&) {
        runtime.GetExecution()->TraceConnectWithoutContext(
            "TaskFinished",
            MakeBoundCallback(&OnTaskFinished, &observation));
        Ptr<MobilityModel> enb = network->GetLteEnb()->GetNode()->GetObject<MobilityModel>();
        for (uint32_t i = 0; i < setup.devices; ++i)
        {
            Ptr<LteUeNetDevice> ue = DynamicCast<LteUeNetDevice>(network->GetNetDevices(i).Get(0));
            ue->GetPhy()->GetUplinkPowerControl()->TraceConnectWithoutContext(
                "ReportPuschTxPower",
                MakeBoundCallback(&OnPuschPower, &observation, i));
            observation.distanceM.push_back(
                network->GetNode(i)->GetObject<MobilityModel>()->GetDistanceFrom(enb));
        }
    };
    observation.result = RunFixedGraph(graph, network, run);
    return observation;
}

/// \return a graph of independent transfers (source, destination, bytes) on \p nodes nodes
Ptr<TaskGraph>
Transfers(uint32_t nodes, const std::vector<std::tuple<uint32_t, uint32_t, uint64_t>>& list)
{
    Ptr<TaskGraph> graph = Create<TaskGraph>(nodes);
    for (const auto& [source, destination, bytes] : list)
    {
        TransferTask task;
        task.source = source;
        task.destination = destination;
        task.bytes = bytes;
        graph->AddTransfer(task);
    }
    return graph;
}

/// the Friis loss at 1 m at the downlink carrier (EARFCN 100: 2120 MHz), by hand
double
FriisAtOneMetreDb(double hz)
{
    return 20.0 * std::log10(4.0 * M_PI * hz / 299792458.0);
}

/**
 * \ingroup edge-llm-tests
 * \brief Task graphs over LTE carry their exact bytes, uplink, downlink and device to device
 * (through the packet gateway), at both fidelities.
 */
class ExactBytesTestCase : public TestCase
{
  public:
    /// \param fidelity packet or flow
    explicit ExactBytesTestCase(const std::string& fidelity)
        : TestCase("a task graph over LTE at " + fidelity +
                   " level: every tensor's exact bytes arrive once, in dependency order"),
          m_fidelity(fidelity)
    {
    }

  private:
    void DoRun() override
    {
        // nodes 0..3 devices, 4 the server: uplink, downlink, device to device, then a
        // dependent transfer back
        Ptr<TaskGraph> graph = Create<TaskGraph>(5);
        auto transfer = [&](uint32_t from, uint32_t to, uint64_t bytes) {
            TransferTask task;
            task.source = from;
            task.destination = to;
            task.bytes = bytes;
            return task;
        };
        const uint32_t up = graph->AddTransfer(transfer(0, 4, 1000003));
        graph->AddTransfer(transfer(4, 1, 777777));
        const uint32_t d2d = graph->AddTransfer(transfer(2, 3, 123457));
        // (the locality rule: a dependency ends where its dependant starts)
        const uint32_t back = graph->AddTransfer(transfer(3, 0, 55555), {d2d});
        std::map<uint32_t, uint64_t> expected{{4, 1000003}, {1, 777777}, {3, 123457}, {0, 55555}};
        LteSetup setup;
        setup.devices = 4;
        setup.placement = "circle";
        setup.fidelity = m_fidelity;
        LteObservation o = RunOverLte(graph, setup);
        NS_TEST_ASSERT_MSG_EQ(o.result.completedIterations, 1u, "the graph completed");
        NS_TEST_ASSERT_MSG_EQ(o.times.size(), 4u, "every transfer ran");
        for (uint32_t node = 0; node < 5; ++node)
        {
            NS_TEST_EXPECT_MSG_EQ(o.result.payloadBytesPerNode[node],
                                  expected[node],
                                  "payload bytes received by node " << node);
        }
        NS_TEST_EXPECT_MSG_GT_OR_EQ(o.times[back].first, o.times[d2d].second, "after the d2d");
        NS_TEST_EXPECT_MSG_GT(o.times[up].second, Seconds(0), "the upload ran");
    }

    std::string m_fidelity; //!< packet or flow
};

/**
 * \ingroup edge-llm-tests
 * \brief The same seed gives the same run over LTE at the packet level, to the nanosecond;
 * another run number, another one (the streams reach the LTE stack).
 */
class DeterminismTestCase : public TestCase
{
  public:
    DeterminismTestCase()
        : TestCase("LTE at packet level: the same seed gives the same task times, to the ns")
    {
    }

  private:
    void DoRun() override
    {
        auto run = [](uint64_t runNumber) {
            Ptr<TaskGraph> graph =
                Transfers(5, {{0, 4, 2000000}, {4, 1, 1500000}, {2, 3, 700000}, {3, 4, 900000}});
            LteSetup setup;
            setup.devices = 4;
            setup.placement = "disc"; // positions drawn from the seed
            setup.distance = 100;
            LteObservation o = RunOverLte(graph, setup, runNumber);
            std::ostringstream times;
            for (const auto& [id, t] : o.times)
            {
                times << id << ":" << t.first.GetNanoSeconds() << "-" << t.second.GetNanoSeconds()
                      << " ";
            }
            return times.str();
        };
        const std::string first = run(1);
        NS_TEST_EXPECT_MSG_EQ(run(1), first, "the same seed, the same times");
        NS_TEST_EXPECT_MSG_NE(run(2), first, "another run number, other positions and times");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief TS 36.213 5.1.1.1 uplink power control against a hand computation: three devices at
 * 1, 2 and 3 times a distance upload one after the other (each alone, so the scheduler gives
 * it all 100 RBs); each one's PUSCH power must be min(P_CMAX, 10 log10(100) + P0 + alpha PL),
 * PL the log-distance loss at the downlink carrier (the reference signal's), and the flow
 * level's LteLinkModel must say the same.
 */
class PowerControlTestCase : public TestCase
{
  public:
    /**
     * \param alpha TS 36.213 alpha
     * \param p0 P_O_NOMINAL_PUSCH
     * \param distance the first device's distance
     */
    PowerControlTestCase(double alpha, double p0, double distance)
        : TestCase("uplink power control, alpha " + std::to_string(alpha).substr(0, 3) + ", P0 " +
                   std::to_string(static_cast<int>(p0)) + " dBm, devices at " +
                   std::to_string(static_cast<int>(distance)) +
                   " m steps: PUSCH power as TS 36.213 gives it by hand"),
          m_alpha(alpha),
          m_p0(p0),
          m_distance(distance)
    {
    }

  private:
    void DoRun() override
    {
        // each upload waits for a 1 kB go-ahead from the server (the locality rule)
        Ptr<TaskGraph> graph = Create<TaskGraph>(4);
        uint32_t last = 0;
        for (uint32_t device = 0; device < 3; ++device)
        {
            TransferTask task;
            task.source = device;
            task.destination = 3;
            task.bytes = 300000;
            if (device > 0)
            {
                TransferTask go;
                go.source = 3;
                go.destination = device;
                go.bytes = 1000;
                last = graph->AddTransfer(go, {last});
            }
            last = device == 0 ? graph->AddTransfer(task) : graph->AddTransfer(task, {last});
        }
        LteSetup setup;
        setup.devices = 3;
        setup.distance = m_distance;
        setup.alpha = m_alpha;
        setup.p0 = m_p0;
        setup.pcmaxDbm = 23;
        LteObservation o = RunOverLte(graph, setup);
        NS_TEST_ASSERT_MSG_EQ(o.result.completedIterations, 1u, "the uploads completed");
        const double friis = FriisAtOneMetreDb(2120e6);
        std::vector<double> measured;
        for (uint32_t device = 0; device < 3; ++device)
        {
            const double pathLossDb = friis + 30.0 * std::log10((device + 1) * m_distance);
            const double expected =
                std::min(23.0, 10.0 * std::log10(100.0) + m_p0 + m_alpha * pathLossDb);
            // the power of most of its transmissions (the first ones precede the converged
            // RSRP filter)
            std::map<long, uint32_t> count;
            for (const auto& [rbs, dbm] : o.pusch[device])
            {
                ++count[std::lround(dbm * 1000)];
            }
            NS_TEST_ASSERT_MSG_EQ(count.empty(), false, "device " << device << " sent");
            auto mode = std::max_element(count.begin(), count.end(), [](auto& a, auto& b) {
                return a.second < b.second;
            });
            const double dbm = mode->first / 1000.0;
            measured.push_back(dbm);
            std::cout << GetName() << ": device " << device << " PUSCH " << dbm << " dBm (expected "
                      << expected << ", " << mode->second << " of " << o.pusch[device].size()
                      << " transmissions)" << std::endl;
            NS_TEST_EXPECT_MSG_EQ_TOL(dbm,
                                      expected,
                                      0.01,
                                      "device " << device << " at " << (device + 1) * m_distance
                                                << " m, path loss " << pathLossDb << " dB");
            LteCellParameters cell;
            cell.alpha = m_alpha;
            cell.p0NominalPuschDbm = static_cast<int>(m_p0);
            NS_TEST_EXPECT_MSG_EQ_TOL(LteLinkModel(cell).GetPuschTxPowerDbm(23, 100, pathLossDb),
                                      expected,
                                      1e-9,
                                      "the flow level's power for device " << device);
        }
        // below the cap, a device twice as far sends alpha x 30 log10(2) dB more
        if (measured[1] < 23 - 1e-6)
        {
            NS_TEST_EXPECT_MSG_EQ_TOL(measured[1] - measured[0],
                                      m_alpha * 30.0 * std::log10(2.0),
                                      0.01,
                                      "power follows alpha x the path loss");
        }
    }

    double m_alpha;    //!< alpha
    double m_p0;       //!< P0
    double m_distance; //!< m
};

/**
 * \ingroup edge-llm-tests
 * \brief The LTE link model's pieces against hand computations: PUSCH power and its clamps,
 * PfFfMacScheduler's uplink share, the uplink CQI against TS 36.213 Table 7.2.3-1.
 */
class LinkModelTestCase : public TestCase
{
  public:
    LinkModelTestCase()
        : TestCase("LTE link model: power clamps, uplink RB shares, CQI from TS 36.213's table")
    {
    }

  private:
    void DoRun() override
    {
        // the settings' checks name the value and what is allowed
        NS_TEST_EXPECT_MSG_EQ(LteNetworkHelper::CheckBandwidthMHz(1.4), "", "1.4 MHz");
        NS_TEST_EXPECT_MSG_EQ(LteNetworkHelper::GetResourceBlocks(1.4), 6u, "6 RBs");
        NS_TEST_EXPECT_MSG_EQ(LteNetworkHelper::GetResourceBlocks(3), 15u, "15 RBs");
        NS_TEST_EXPECT_MSG_EQ(LteNetworkHelper::GetResourceBlocks(15), 75u, "75 RBs");
        NS_TEST_EXPECT_MSG_NE(LteNetworkHelper::CheckEnbTxPower(20.5).find("server-tx-power=20.5"),
                              std::string::npos,
                              "a fractional eNB power is refused");
        NS_TEST_EXPECT_MSG_NE(LteNetworkHelper::CheckAlpha(-1).find("lteAlpha=-1"),
                              std::string::npos,
                              "a negative alpha is refused");
        LteCellParameters cell; // ns-3's defaults: alpha 1, P0 -80, Pcmin -40
        LteLinkModel model(cell);
        NS_TEST_EXPECT_MSG_EQ_TOL(model.GetPuschTxPowerDbm(23, 10, 90), 20.0, 1e-12, "open loop");
        NS_TEST_EXPECT_MSG_EQ_TOL(model.GetPuschTxPowerDbm(23, 100, 90), 23.0, 1e-12, "P_CMAX");
        NS_TEST_EXPECT_MSG_EQ_TOL(model.GetPuschTxPowerDbm(23, 1, 20), -40.0, 1e-12, "Pcmin");
        // SRS over the 100-RB band, P_SRS_OFFSET 7: -10.5 + 10.5 + 20 - 80 + PL
        NS_TEST_EXPECT_MSG_EQ_TOL(model.GetSrsTxPowerDbm(30, 75), 15.0, 1e-12, "SRS power");
        NS_TEST_EXPECT_MSG_EQ_TOL(model.GetUplinkRbsPerDevice(3), 33.0, 1e-12, "floor(100 / 3)");
        NS_TEST_EXPECT_MSG_EQ_TOL(model.GetUplinkRbsPerDevice(40), 3.0, 1e-12, "at least 3");
        NS_TEST_EXPECT_MSG_EQ_TOL(model.GetUplinkRbsPerDevice(1.25), 80.0, 1e-12, "a fraction");
        // TS 36.213 Table 7.2.3-1: spectral efficiency of CQI 1..15
        const double table[] = {0.1523,
                                0.2344,
                                0.3770,
                                0.6016,
                                0.8770,
                                1.1758,
                                1.4766,
                                1.9141,
                                2.4063,
                                2.7305,
                                3.3223,
                                3.9023,
                                4.5234,
                                5.1152,
                                5.5547};
        const double gap = -std::log(5.0 * 5e-5) / 1.5; // PfFfMacScheduler's, BER 5e-5
        for (double pathLoss : {80.0, 95.0, 105.0, 112.0, 118.0})
        {
            // P_CMAX 23 caps the SRS; the SINR per RB it gives, by hand
            const double srs = std::min(23.0, 20.0 - 80.0 + pathLoss);
            const double noise = -174.0 + 10.0 * std::log10(180e3) + 5.0; // eNB noise figure 5
            const double sinrDb = srs - 20.0 - pathLoss - noise;
            const double efficiency = std::log2(1.0 + std::pow(10.0, sinrDb / 10.0) / gap);
            int cqi = 0;
            while (cqi < 15 && table[cqi] < efficiency)
            {
                ++cqi;
            }
            const LteLinkEstimate link = model.Uplink(23, pathLoss, pathLoss, 1);
            NS_TEST_EXPECT_MSG_EQ_TOL(link.cqiSinrDb, sinrDb, 1e-9, "SRS SINR at " << pathLoss);
            NS_TEST_EXPECT_MSG_EQ(link.cqi, cqi, "CQI at path loss " << pathLoss);
            NS_TEST_EXPECT_MSG_EQ_TOL(link.goodput,
                                      link.tbsBits / 8.0 * 1000.0 * 1448.0 / 1504.0,
                                      1e-6,
                                      "a TB per ms, less TCP/IP and PDCP/RLC headers");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The flow level's LTE model against the packet level: 8 MB transfers among 4 devices
 * and the server in several mixes of uplink, downlink and device-to-device; each transfer's
 * time within 15% (the flow level has no TCP slow start: a lone flow is about 12% short).
 */
class FlowAgainstPacketTestCase : public TestCase
{
  public:
    /**
     * \param name the mix
     * \param transfers (source, destination) pairs, 8 MB each; node 4 is the server
     */
    FlowAgainstPacketTestCase(const std::string& name,
                              const std::vector<std::pair<uint32_t, uint32_t>>& transfers,
                              double tolerance = 0.15)
        : TestCase("LTE flow level within " + std::to_string(std::lround(tolerance * 100)) +
                   "% of the packet level: " + name),
          m_transfers(transfers),
          m_tolerance(tolerance)
    {
    }

  private:
    void DoRun() override
    {
        std::vector<std::tuple<uint32_t, uint32_t, uint64_t>> list;
        for (const auto& [from, to] : m_transfers)
        {
            list.emplace_back(from, to, 8000000);
        }
        std::map<std::string, LteObservation> runs;
        for (std::string fidelity : {"packet", "flow"})
        {
            LteSetup setup;
            setup.devices = 4;
            setup.placement = "circle";
            setup.fidelity = fidelity;
            runs[fidelity] = RunOverLte(Transfers(5, list), setup);
            NS_TEST_ASSERT_MSG_EQ(runs[fidelity].result.completedIterations, 1u, fidelity);
        }
        for (const auto& [id, times] : runs["packet"].times)
        {
            const double packet = (times.second - times.first).GetSeconds();
            const auto& flowTimes = runs["flow"].times[id];
            const double flow = (flowTimes.second - flowTimes.first).GetSeconds();
            std::cout << GetName() << ": transfer " << id << " packet " << packet << " s, flow "
                      << flow << " s (" << 100.0 * (flow / packet - 1.0) << "%)" << std::endl;
            NS_TEST_EXPECT_MSG_EQ_TOL(flow / packet, 1.0, m_tolerance, "transfer " << id);
        }
    }

    std::vector<std::pair<uint32_t, uint32_t>> m_transfers; //!< the mix
    double m_tolerance;                                     //!< relative error allowed
};

/**
 * \ingroup edge-llm-tests
 * \brief The collapipe-lte scenario's rounds at the flow level against the packet level
 * (rounds 1 and 2: round 0 also opens the TCP connections).
 */
class CollaPipeOverLteTestCase : public TestCase
{
  public:
    /**
     * \param run the scenario's run (dssda, even)
     * \param tolerance the relative error allowed
     */
    CollaPipeOverLteTestCase(const std::string& run, double tolerance)
        : TestCase("collapipe-lte, " + run + ": flow-level rounds within " +
                   std::to_string(static_cast<int>(tolerance * 100)) + "% of the packet level"),
          m_run(run),
          m_tolerance(tolerance)
    {
    }

  private:
    void DoRun() override
    {
        std::map<std::string, std::vector<double>> latency;
        for (std::string fidelity : {"flow", "packet"})
        {
            const std::string dir = CreateTempDirFilename("lte-" + m_run + "-" + fidelity);
            NS_TEST_ASSERT_MSG_EQ(RunShippedScenario("collapipe-lte.json", m_run, 3, fidelity, dir),
                                  "",
                                  fidelity);
            for (const auto& fields : ReadCsvRows(dir + "/rounds.csv"))
            {
                latency[fidelity].push_back(std::stod(fields[2]));
                NS_TEST_EXPECT_MSG_EQ(fields[11], "16", "16 samples trained");
            }
            NS_TEST_ASSERT_MSG_EQ(latency[fidelity].size(), 3u, fidelity << ": 3 rounds");
        }
        for (uint32_t round = 1; round < 3; ++round)
        {
            std::cout << GetName() << ": round " << round << " packet " << latency["packet"][round]
                      << " s, flow " << latency["flow"][round] << " s" << std::endl;
            NS_TEST_EXPECT_MSG_EQ_TOL(latency["flow"][round] / latency["packet"][round],
                                      1.0,
                                      m_tolerance,
                                      "round " << round);
        }
    }

    std::string m_run;  //!< the scenario's run
    double m_tolerance; //!< relative error allowed
};

/// The LTE network's test suite.
class LteNetworkTestSuite : public TestSuite
{
  public:
    LteNetworkTestSuite()
        : TestSuite("edge-llm-lte", UNIT)
    {
        AddTestCase(new LinkModelTestCase(), TestCase::QUICK);
        AddTestCase(new ExactBytesTestCase("packet"), TestCase::QUICK);
        AddTestCase(new ExactBytesTestCase("flow"), TestCase::QUICK);
        AddTestCase(new DeterminismTestCase(), TestCase::QUICK);
        // alpha 0.8 below the cap; alpha 1: the third device (30 m) reaches P_CMAX
        AddTestCase(new PowerControlTestCase(0.8, -90, 40), TestCase::QUICK);
        AddTestCase(new PowerControlTestCase(1.0, -80, 10), TestCase::QUICK);
    }
};

/// The suite's one instance.
LteNetworkTestSuite g_lteNetworkTestSuite;

/// The flow level's LTE model against the packet level (long: left out under the sanitizers).
class LteFlowTestSuite : public TestSuite
{
  public:
    LteFlowTestSuite()
        : TestSuite("edge-llm-lte-flow", UNIT)
    {
        AddTestCase(new FlowAgainstPacketTestCase("4 uplinks", {{0, 4}, {1, 4}, {2, 4}, {3, 4}}),
                    TestCase::QUICK);
        AddTestCase(new FlowAgainstPacketTestCase("an uplink and a downlink", {{0, 4}, {4, 1}}),
                    TestCase::QUICK);
        AddTestCase(new FlowAgainstPacketTestCase("device to device", {{0, 1}}), TestCase::QUICK);
        AddTestCase(
            new FlowAgainstPacketTestCase("an uplink, two downlinks", {{0, 4}, {4, 1}, {4, 2}}),
            TestCase::QUICK);
        AddTestCase(new FlowAgainstPacketTestCase("4 downlinks", {{4, 0}, {4, 1}, {4, 2}, {4, 3}}),
                    TestCase::EXTENSIVE);
        AddTestCase(
            new FlowAgainstPacketTestCase("two uplinks, a downlink", {{0, 4}, {1, 4}, {4, 2}}),
            TestCase::EXTENSIVE);
        AddTestCase(new FlowAgainstPacketTestCase("two device-to-device pairs", {{0, 1}, {2, 3}}),
                    TestCase::EXTENSIVE);
        AddTestCase(new FlowAgainstPacketTestCase("an uplink and a device-to-device pair",
                                                  {{0, 4}, {1, 2}}),
                    TestCase::EXTENSIVE);
        // a known gap (doc/lte.rst): the packet level spreads a chain's flows from -39% to +52%
        // of the flow level's equal rates
        AddTestCase(new FlowAgainstPacketTestCase("a pipeline chain (known gap)",
                                                  {{4, 0}, {0, 1}, {1, 2}, {2, 3}, {3, 4}},
                                                  0.55),
                    TestCase::EXTENSIVE);
        AddTestCase(new CollaPipeOverLteTestCase("dssda", 0.15), TestCase::QUICK);
        // the even split's pipelined device-to-device transfers: see doc/lte.rst
        AddTestCase(new CollaPipeOverLteTestCase("even", 0.30), TestCase::EXTENSIVE);
    }
};

/// The suite's one instance.
LteFlowTestSuite g_lteFlowTestSuite;

} // namespace
