/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/core-module.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/ofdma-cell-helper.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/test.h"

#include <iostream>
#include <map>

/**
 * \file
 * \ingroup edge-llm-tests
 * The runtime over the OFDMA cell: TCP over the cell's NetDevices, device-to-device relay,
 * a CollaPipe-like pipeline round, and the bandwidth shares' effect on each device's rate.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// What one run observed.
struct Observation
{
    std::map<uint32_t, std::pair<Time, Time>> times; //!< task -> (start, end)
    uint32_t completedIterations{0};                 //!< server's count
    uint64_t payloadBytes{0};                        //!< received by every transport
    std::vector<double> sinrDb;                      //!< uplink SINR per device at the end
    double fullBandRateBps[8]{};                     //!< monitor's prediction, all RBs, UL
    uint32_t harqDrops{0};                           //!< TBs dropped after 4 transmissions
};

void
OnHarq(Observation* observation, uint32_t device, bool dl, uint64_t id, uint32_t tx, bool ok)
{
    observation->harqDrops += ok ? 0 : 1;
}

void
OnTaskFinished(Observation* observation, uint32_t iteration, uint32_t taskId, Time start, Time end)
{
    observation->times[taskId] = {start, end};
}

/**
 * Runs \p graph once over a fresh cell of \p devices devices.
 * \param graph the graph
 * \param devices device count
 * \param shares bandwidth share per device (empty: none set)
 * \param injectErrorsAt when >0, inject 4 uplink TB errors on device 0 at this time (a TB
 *        dropped by HARQ that TCP must recover)
 * \return what happened
 */
Observation
RunOverCell(Ptr<TaskGraph> graph,
            uint32_t devices,
            const std::vector<double>& shares,
            Time injectErrorsAt = Time())
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    NodeContainer deviceNodes;
    deviceNodes.Create(devices);
    Ptr<Node> server = CreateObject<Node>();
    OfdmaCellHelper cell;
    cell.SetPathLoss("log-distance");
    cell.SetDistance(50);
    Ptr<EdgeNetwork> network = cell.InstallEdgeNetwork(deviceNodes, server);
    cell.AssignStreams(100);
    Ptr<OfdmaBsNetDevice> bs = OfdmaCellHelper::GetBaseStation(server);
    for (uint32_t i = 0; i < shares.size(); ++i)
    {
        bs->SetBandwidthShare(i, shares[i]);
    }
    if (injectErrorsAt.IsStrictlyPositive())
    {
        Simulator::Schedule(injectErrorsAt,
                            &OfdmaBsNetDevice::InjectTransportBlockErrors,
                            bs,
                            0,
                            false,
                            4);
    }

    Observation observation;
    FixedGraphRunSettings run;
    // The helper aggregated the EdgeNetwork to the server: install on the nodes, ns-3 style.
    run.nodes = NodeContainer(deviceNodes, NodeContainer(server));
    run.stopTime = Seconds(60);
    run.beforeRun = [&observation, bs](EdgeLlmRuntimeHelper& runtime, ApplicationContainer&) {
        runtime.GetExecution()->TraceConnectWithoutContext(
            "TaskFinished",
            MakeBoundCallback(&OnTaskFinished, &observation));
        bs->TraceConnectWithoutContext("Harq", MakeBoundCallback(&OnHarq, &observation));
    };
    run.afterRun = [&observation, bs, devices](EdgeLlmRuntimeHelper&, ApplicationContainer&) {
        Ptr<OfdmaChannelMonitor> monitor = bs->GetChannelMonitor();
        for (uint32_t i = 0; i < devices && i < 8; ++i)
        {
            observation.sinrDb.push_back(monitor->GetSinrDb(i, false));
            observation.fullBandRateBps[i] =
                monitor->PredictRateBps(monitor->GetSinrDb(i, false), bs->GetResourceBlockCount());
        }
    };
    FixedGraphRunResult result = RunFixedGraph(graph, network, run);
    observation.completedIterations = result.completedIterations;
    observation.payloadBytes = result.payloadBytes;
    return observation;
}

/// A CollaPipe-like round: encoder segments on 3 devices, embedding and decoder on the server.
class PipelineRoundTestCase : public TestCase
{
  public:
    PipelineRoundTestCase()
        : TestCase("a CollaPipe-like pipeline round runs over the cell, bytes exact, one "
                   "transport block lost to HARQ and recovered by TCP")
    {
    }

  private:
    void DoRun() override
    {
        // Nodes 0..2: devices (encoder segments), 3: the cluster's control unit (embedding),
        // 4: the server (decoder and loss).
        Ptr<TaskGraph> graph = Create<TaskGraph>(5);
        PipelineSpec spec = MakeSourceToHeadPipelineSpec(PipelineSchedule::ONE_F_ONE_B,
                                                         MilliSeconds(5),
                                                         MilliSeconds(10),
                                                         {300000, 300000},
                                                         300000);
        PipelineScheduleBuilder::Build(*graph, spec);
        uint64_t expected = 0;
        uint32_t transfers = 0;
        for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
        {
            if (!graph->IsCompute(id))
            {
                expected += graph->GetTransfer(id).bytes;
                transfers++;
            }
        }
        // Device 0's uplink loses a whole transport block 50 ms in (4 injected errors).
        Observation observation = RunOverCell(graph, 4, {}, MilliSeconds(50));
        NS_TEST_ASSERT_MSG_EQ(observation.completedIterations, 1, "the round completed");
        NS_TEST_ASSERT_MSG_EQ(observation.harqDrops, 1, "one transport block was dropped");
        NS_TEST_ASSERT_MSG_EQ(observation.times.size(), graph->GetTaskCount(), "every task ran");
        NS_TEST_ASSERT_MSG_EQ(observation.payloadBytes,
                              expected,
                              "every tensor's bytes arrived once (" << transfers << " transfers)");
        for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
        {
            for (uint32_t dependency : graph->GetDependencies(id))
            {
                NS_TEST_ASSERT_MSG_GT_OR_EQ(observation.times[id].first,
                                            observation.times[dependency].second,
                                            "dependency order");
            }
        }
    }
};

/// The scheduler's bandwidth shares set each device's measured rate as predicted.
class SharesRateTestCase : public TestCase
{
  public:
    SharesRateTestCase()
        : TestCase("bandwidth shares change each device's measured TCP rate as predicted (10%)")
    {
    }

  private:
    void DoRun() override
    {
        // Two devices upload 2 MB each to the server at the same time.
        const uint64_t bytes = 2000000;
        Ptr<TaskGraph> graph = Create<TaskGraph>(3);
        std::vector<uint32_t> ids;
        for (uint32_t device = 0; device < 2; ++device)
        {
            TransferTask task;
            task.source = device;
            task.destination = 2;
            task.bytes = bytes;
            ids.push_back(graph->AddTransfer(task));
        }
        std::vector<std::vector<double>> settings = {{0.5, 0.5}, {0.2, 0.8}};
        std::vector<std::vector<double>> rates;
        for (const auto& shares : settings)
        {
            Observation observation = RunOverCell(graph, 2, shares);
            NS_TEST_ASSERT_MSG_EQ(observation.completedIterations, 1, "completed");
            std::vector<double> rate;
            for (uint32_t device = 0; device < 2; ++device)
            {
                auto [start, end] = observation.times[ids[device]];
                double measured = bytes * 8.0 / (end - start).GetSeconds();
                // Predicted: the share of the full-band rate at the measured SINR, times the
                // TCP payload per IP packet, 1448 of 1500 bytes (IP 20 + TCP 20 + timestamps 12).
                double predicted =
                    observation.fullBandRateBps[device] * shares[device] * 1448.0 / 1500.0;
                NS_TEST_ASSERT_MSG_EQ_TOL(measured / predicted,
                                          1.0,
                                          0.10,
                                          "device " << device << " share " << shares[device] << ": "
                                                    << measured / 1e6 << " Mbit/s, "
                                                    << predicted / 1e6 << " predicted, SINR "
                                                    << observation.sinrDb[device] << " dB");
                std::cout << "shares " << shares[0] << "/" << shares[1] << " device " << device
                          << ": measured / predicted " << measured / predicted << std::endl;
                rate.push_back(measured);
            }
            rates.push_back(rate);
        }
        // Moving device 0 from 50% to 20% cuts its rate to about 0.4x (SINR rises with fewer
        // RBs: the power spreads over fewer), device 1's grows to about 1.6x.
        NS_TEST_ASSERT_MSG_LT(rates[1][0], 0.6 * rates[0][0], "device 0 slower");
        NS_TEST_ASSERT_MSG_GT(rates[1][1], 1.4 * rates[0][1], "device 1 faster");
    }
};

} // namespace

/**
 * \ingroup edge-llm-tests
 * The runtime over the OFDMA cell.
 */
class OfdmaRuntimeTestSuite : public TestSuite
{
  public:
    OfdmaRuntimeTestSuite()
        : TestSuite("edge-llm-ofdma-runtime", TestSuite::SYSTEM)
    {
        AddTestCase(new PipelineRoundTestCase);
        AddTestCase(new SharesRateTestCase);
    }
};

/// The suite's instance.
static OfdmaRuntimeTestSuite g_ofdmaRuntimeTestSuite;
