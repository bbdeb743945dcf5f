/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/boolean.h"
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
 * \param workConserving the shares scheduler's WorkConserving attribute
 * \return what happened
 */
Observation
RunOverCell(Ptr<TaskGraph> graph,
            uint32_t devices,
            const std::vector<double>& shares,
            Time injectErrorsAt = Time(),
            bool workConserving = true)
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
    cell.SetSchedulerAttribute("WorkConserving", BooleanValue(workConserving));
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

/**
 * Two devices upload to the server at the same time; each device's measured TCP rate against
 * its share of the full-band rate at its measured SINR.
 * \param shares the two devices' shares
 * \param bytes what each uploads
 * \param workConserving the scheduler's WorkConserving attribute
 * \param[out] measured each device's measured rate (bit/s)
 * \param[out] predicted each device's share of the full-band rate, TCP payload only (bit/s)
 * \param[out] finish each device's transfer end (s)
 */
void
UploadTogether(const std::vector<double>& shares,
               const std::vector<uint64_t>& bytes,
               bool workConserving,
               std::vector<double>& measured,
               std::vector<double>& predicted,
               std::vector<double>& finish)
{
    Ptr<TaskGraph> graph = Create<TaskGraph>(3);
    std::vector<uint32_t> ids;
    for (uint32_t device = 0; device < 2; ++device)
    {
        TransferTask task;
        task.source = device;
        task.destination = 2;
        task.bytes = bytes[device];
        ids.push_back(graph->AddTransfer(task));
    }
    Observation observation = RunOverCell(graph, 2, shares, Time(), workConserving);
    NS_ABORT_MSG_IF(observation.completedIterations != 1, "the uploads did not complete");
    measured.clear();
    predicted.clear();
    finish.clear();
    for (uint32_t device = 0; device < 2; ++device)
    {
        auto [start, end] = observation.times[ids[device]];
        measured.push_back(bytes[device] * 8.0 / (end - start).GetSeconds());
        // the share of the full-band rate at the measured SINR, times the TCP payload per IP
        // packet, 1448 of 1500 bytes (IP 20 + TCP 20 + timestamps 12)
        predicted.push_back(observation.fullBandRateBps[device] * shares[device] * 1448.0 / 1500.0);
        finish.push_back(end.GetSeconds());
    }
}

/// A strict partition (WorkConserving=false): each device's rate is its share's, as predicted.
class SharesRateTestCase : public TestCase
{
  public:
    SharesRateTestCase()
        : TestCase("strict partition: bandwidth shares set each device's measured TCP rate as "
                   "predicted (10%)")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<std::vector<double>> settings = {{0.5, 0.5}, {0.2, 0.8}};
        std::vector<std::vector<double>> rates;
        for (const auto& shares : settings)
        {
            std::vector<double> measured;
            std::vector<double> predicted;
            std::vector<double> finish;
            UploadTogether(shares, {2000000, 2000000}, false, measured, predicted, finish);
            for (uint32_t device = 0; device < 2; ++device)
            {
                NS_TEST_ASSERT_MSG_EQ_TOL(measured[device] / predicted[device],
                                          1.0,
                                          0.10,
                                          "device " << device << " share " << shares[device] << ": "
                                                    << measured[device] / 1e6 << " Mbit/s, "
                                                    << predicted[device] / 1e6 << " predicted");
            }
            rates.push_back(measured);
        }
        // Moving device 0 from 50% to 20% cuts its rate to about 0.4x (SINR rises with fewer
        // RBs: the power spreads over fewer), device 1's grows to about 1.6x.
        NS_TEST_ASSERT_MSG_LT(rates[1][0], 0.6 * rates[0][0], "device 0 slower");
        NS_TEST_ASSERT_MSG_GT(rates[1][1], 1.4 * rates[0][1], "device 1 faster");
    }
};

/**
 * The work-conserving cell (the default): under full load every device still receives its
 * share; the RBs a finished device leaves go to the one still sending instead of idling.
 */
class WorkConservingTestCase : public TestCase
{
  public:
    WorkConservingTestCase()
        : TestCase("work-conserving shares: honoured under full load, unused RBs reused")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<double> measured;
        std::vector<double> predicted;
        std::vector<double> finish;
        // Full load: uploads in proportion to the shares keep both devices backlogged until
        // about the same time, so each rate is its share's.
        UploadTogether({0.2, 0.8}, {800000, 3200000}, true, measured, predicted, finish);
        for (uint32_t device = 0; device < 2; ++device)
        {
            NS_TEST_ASSERT_MSG_EQ_TOL(measured[device] / predicted[device],
                                      1.0,
                                      0.10,
                                      "full load, device "
                                          << device << ": " << measured[device] / 1e6 << " Mbit/s, "
                                          << predicted[device] / 1e6 << " predicted");
        }
        // Equal uploads at 20/80: device 1 finishes first at its share's rate (or faster);
        // then device 0 receives every RB, so it finishes well before its 20% alone would
        // allow, and before the strict partition's device 0.
        UploadTogether({0.2, 0.8}, {2000000, 2000000}, true, measured, predicted, finish);
        const double sharedFinish = finish[0];
        NS_TEST_ASSERT_MSG_GT(measured[1] / predicted[1], 0.9, "device 1 keeps its share");
        NS_TEST_ASSERT_MSG_GT(measured[0] / predicted[0], 1.8, "device 0 reuses device 1's RBs");
        UploadTogether({0.2, 0.8}, {2000000, 2000000}, false, measured, predicted, finish);
        NS_TEST_ASSERT_MSG_LT(sharedFinish, 0.7 * finish[0], "the strict partition idles RBs");
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
        AddTestCase(new WorkConservingTestCase);
    }
};

/// The suite's instance.
static OfdmaRuntimeTestSuite g_ofdmaRuntimeTestSuite;
