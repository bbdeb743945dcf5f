/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/boolean.h"
#include "ns3/collective-builder.h"
#include "ns3/core-module.h"
#include "ns3/csma-contention-model.h"
#include "ns3/csma-net-device.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/flow-network-model.h"
#include "ns3/he-phy.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/test.h"

#include <cmath>
#include <fstream>

/**
 * \file
 * \ingroup edge-llm-tests
 * The flow-level network model: its formulas, max-min sharing, exact bytes, and the same task
 * graphs' iteration latency against the packet level (TCP over ns-3 devices).
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Settings of one validation run.
struct FlowRunSettings
{
    std::string kind{"p2p"};     //!< p2p, csma, wifi, ofdma
    DataRate rate{"100Mbps"};    //!< wired link rate
    Time delay{MilliSeconds(1)}; //!< wired link delay
    double distance{10};         //!< Wi-Fi device distance (m)
    std::string fading{"none"};  //!< radio fading (none, rayleigh, nakagami, jakes)
};

/// Runs \p graph once over a fresh network at \p fidelity.
FixedGraphRunResult
RunAt(Ptr<TaskGraph> graph,
      uint32_t devices,
      const FlowRunSettings& settings,
      const std::string& fidelity)
{
    TestNetworkSettings network;
    network.kind = settings.kind;
    if (settings.kind == "wifi" || settings.kind == "ofdma")
    {
        network.distance = settings.distance;
        network.fading = settings.fading;
    }
    else
    {
        network.rate = settings.rate;
        if (settings.kind == "p2p")
        {
            // CSMA keeps the helper's LAN delay: its channel is held for the delay per frame.
            network.delay = settings.delay;
        }
    }
    FixedGraphRunSettings run;
    run.fidelity = fidelity;
    return RunFixedGraph(graph, InstallTestNetwork(devices, network), run);
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
    PipelineTasks tasks = BuildPipelineToServer(*graph,
                                                microBatches,
                                                activationBytes,
                                                std::vector<Time>(devices, forward),
                                                std::vector<Time>(devices, backward),
                                                forward);
    FedAvgSpec fedAvg;
    std::tie(fedAvg.group, fedAvg.after) = GroupAfterPipeline(tasks, devices);
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
        : TestCase("flow level: ideal CSMA max-min sharing, FIFO per pair, exact bytes")
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
        // the ideal sharing (no backoff model): rates by hand
        Ptr<FlowNetworkModel> model =
            CreateObjectWithAttributes<FlowNetworkModel>("CsmaContention", BooleanValue(false));
        model->SetNetwork(network);
        NS_TEST_ASSERT_MSG_EQ(model->GetCsmaContentionModel(), nullptr, "no contention model");
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
 * The CSMA contention model: the backoff after a device's own frame by hand, the TCP window,
 * and properties of the emulated channel time that hold whatever the draws.
 */
class CsmaContentionTestCase : public TestCase
{
  public:
    CsmaContentionTestCase()
        : TestCase("flow level: CSMA contention model (backoff after own frame, windows)")
    {
    }

  private:
    void DoRun() override
    {
        CsmaContentionParameters p; // ns-3.37 defaults at 100 Mbit/s, 6.56 us delay
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::CheckParameters(p), "", "defaults are valid");

        // Backoff after the device's own frame, by hand (times from the end of its frame, us).
        // It senses after the interframe gap, 0.96; the channel is busy until the delay d. Each
        // busy sense backs off floor(U(1, 2^r - 1)) slots of 1 us at retry r: r = 1 -> 1 slot,
        // r = 2 -> 1 or 2, r = 3 -> 1..6, r = 4 -> 1..14, r = 5 -> 1..30, r = 6 -> 1..62.
        // Attempts: 0.96, 1.96, then 2.96 or 3.96 (1/2 each), then + 1..6 (1/6 each).
        //
        // d = 2.5 us: 2.96 and 3.96 are both after d: gap 0.46 or 1.46, mean 0.96 us.
        CsmaContentionParameters shortDelay = p;
        shortDelay.delay = NanoSeconds(2500);
        NS_TEST_ASSERT_MSG_EQ_TOL(CsmaContentionModel::GetExpectedGapAfterOwnFrame(shortDelay),
                                  0.96e-6,
                                  1e-15,
                                  "d = 2.5 us");
        // d = 6.56 us (the helper's default):
        //  retry 3 lands after d from 2.96 with k = 4, 5, 6 (gaps 0.4, 1.4, 2.4) and from 3.96
        //   with k = 3..6 (gaps 0.4, 1.4, 2.4, 3.4), each 1/12: P = 7/12,
        //   sum gap * P = (4.2 + 7.6) / 12 = 0.983333;
        //  still busy: 3.96 (1/12), 4.96 (2/12), 5.96 (2/12); retry 4 adds 1..14 (1/14 each):
        //   lands from 3.96 with 12 values (gaps 0.4..11.4, sum 70.8), from 4.96 with 13
        //   (0.4..12.4, sum 83.2), from 5.96 with 14 (0.4..13.4, sum 96.6):
        //   P = (12 + 2 * 13 + 2 * 14) / 168 = 11/28, sum gap * P = (70.8 + 2 * 83.2 +
        //   2 * 96.6) / 168 = 2.561905;
        //  still busy: 4.96 (1/168), 5.96 (3/168); retry 5 adds 1..30: from 4.96 29 values
        //   (0.4..28.4, sum 417.6), from 5.96 all 30 (0.4..29.4, sum 447):
        //   P = 17/720, sum gap * P = (417.6 + 3 * 447) / 5040 = 0.348929;
        //  still busy: 5.96 (1/5040); retry 6 adds 1..62: gaps 0.4..61.4, mean 30.9:
        //   30.9 / 5040 = 0.006131.
        //  E[gap] = 0.983333 + 2.561905 + 0.348929 + 0.006131 = 3.900298 us (65525/16800 us).
        const double gap = CsmaContentionModel::GetExpectedGapAfterOwnFrame(p);
        NS_TEST_ASSERT_MSG_EQ_TOL(gap, 65525.0 / 16800.0 * 1e-6, 1e-13, "d = 6.56 us");
        // the distribution the emulation draws those attempts from: probabilities summing to
        // 1, every attempt at or after d, scheduled by the attempt before it (before d), P of
        // landing at retry 3 is 7/12 as above
        double total = 0.0;
        double retry3 = 0.0;
        for (const auto& outcome : CsmaContentionModel::GetOwnGapOutcomes(p))
        {
            total += outcome.probability;
            retry3 += outcome.retries == 3 ? outcome.probability : 0.0;
            NS_TEST_ASSERT_MSG_GT_OR_EQ(outcome.time, 6560, "attempt after the delay");
            NS_TEST_ASSERT_MSG_LT(outcome.scheduled, 6560, "scheduled while busy");
            NS_TEST_ASSERT_MSG_GT(outcome.time, outcome.scheduled, "scheduled before");
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(total, 1.0, 1e-12, "outcomes sum to one");
        NS_TEST_ASSERT_MSG_EQ_TOL(retry3, 7.0 / 12.0, 1e-12, "retry 3 as by hand");

        // Independent path: the emulation of one always-backlogged sender without ACKs repeats
        // frame (1518 bytes: 121.44 us), delay (6.56 us) and that gap: 131.900298 us per frame,
        // up to the sampling error of 10,000 gaps (their standard deviation is about 3 us).
        CsmaContentionParameters noAck = p;
        noAck.segmentsPerAck = 0;
        noAck.measuredFrames = 10000;
        noAck.tolerance = 0; // all 10,000 frames
        CsmaContentionModel lone(noAck);
        CsmaContentionResult alone = lone.Evaluate({{0, 1, 1}});
        NS_TEST_ASSERT_MSG_EQ_TOL(alone.frameTime,
                                  121.44e-6 + 6.56e-6 + gap,
                                  0.15e-6,
                                  "emulated lone sender");
        NS_TEST_ASSERT_MSG_EQ_TOL(alone.shares.at(0), 1.0, 1e-12, "all frames its own");
        // A long delay (300 us, as the flow-only tests use): too many outcomes to tabulate, so
        // the emulation replays those attempts one by one; the same check
        CsmaContentionParameters longDelay = noAck;
        longDelay.delay = MicroSeconds(300);
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::GetOwnGapOutcomes(longDelay, 4096).empty(),
                              true,
                              "not tabulated");
        const double longGap = CsmaContentionModel::GetExpectedGapAfterOwnFrame(longDelay);
        CsmaContentionModel slow(longDelay);
        NS_TEST_ASSERT_MSG_EQ_TOL(slow.Evaluate({{0, 1, 1}}).frameTime,
                                  121.44e-6 + 300e-6 + longGap,
                                  0.01 * (121.44e-6 + 300e-6 + longGap),
                                  "emulated lone sender, long delay");

        // TCP window (CUBIC, no loss): slow start from 10 segments, +1 per segment acked, to
        // HyStart's low window 16; then +1 per CntClamp = 20 segments acked; at most the 4 MiB
        // buffer (2896 segments).
        CsmaContentionParameters tcp = p;
        tcp.maxWindow = 2896;
        NS_TEST_ASSERT_MSG_EQ_TOL(CsmaContentionModel::GetWindow(tcp, 0), 10.0, 1e-12, "start");
        NS_TEST_ASSERT_MSG_EQ_TOL(CsmaContentionModel::GetWindow(tcp, 4), 14.0, 1e-12, "ss");
        // 6 segments acked reach 16; 26 acked: 16 + 20 / 20 = 17
        NS_TEST_ASSERT_MSG_EQ_TOL(CsmaContentionModel::GetWindow(tcp, 26), 17.0, 1e-12, "ca");
        // 2006 acked: 16 + 2000 / 20 = 116
        NS_TEST_ASSERT_MSG_EQ_TOL(CsmaContentionModel::GetWindow(tcp, 2006), 116.0, 1e-12, "ca");
        NS_TEST_ASSERT_MSG_EQ_TOL(CsmaContentionModel::GetWindow(tcp, 1e9), 2896.0, 1e-12, "cap");
        // grid of the cache, 2^(k/2): 17 (log2 4.09) -> 2^4 = 16; 20 (log2 4.32) -> 2^4.5 =
        // 22.6 -> 23; 116 (log2 6.86) -> 2^7 = 128
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::QuantizeWindow(17), 16, "grid");
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::QuantizeWindow(20), 23, "grid");
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::QuantizeWindow(116), 128, "grid");

        // With TCP: a frame costs at least its own airtime, the delay, the sender's own gap
        // and half an ACK (70 bytes: 5.6 us, plus the delay): 121.44 + 6.56 + 3.90 + 6.08 =
        // 137.98 us; the idle time on top falls as the window grows (the ACK node's queue
        // then rarely runs dry), so the frame time decreases with the window.
        p.measuredFrames = 10000;
        CsmaContentionModel model(p);
        const double bound = 121.44e-6 + 6.56e-6 + gap + (5.6e-6 + 6.56e-6) / 2;
        const double small = model.Evaluate({{0, 1, 16}}).frameTime;
        const double medium = model.Evaluate({{0, 1, 128}}).frameTime;
        const double large = model.Evaluate({{0, 1, 2048}}).frameTime;
        NS_TEST_ASSERT_MSG_GT(large, bound, "above the contention-free bound");
        NS_TEST_ASSERT_MSG_GT(medium, large * 1.02, "window 128 slower than 2048");
        NS_TEST_ASSERT_MSG_GT(small, medium * 1.05, "window 16 slower than 128");
        NS_TEST_ASSERT_MSG_LT(small, 1.5 * bound, "not absurdly slow");
        const uint64_t runs = model.GetEvaluationCount();
        // the same pattern on other nodes is the same flow set (canonical labels, cache)
        NS_TEST_ASSERT_MSG_EQ_TOL(model.Evaluate({{7, 3, 128}}).frameTime,
                                  medium,
                                  1e-15,
                                  "relabelled nodes");
        NS_TEST_ASSERT_MSG_EQ(model.GetEvaluationCount(), runs, "served from the cache");

        // Four uploads to one node with equal windows share equally; a flow with more
        // segments in flight gets more of the frames (no loss: shares follow the windows).
        CsmaContentionResult up = model.Evaluate({{1, 0, 64}, {2, 0, 64}, {3, 0, 64}, {4, 0, 64}});
        double sum = 0;
        for (double share : up.shares)
        {
            NS_TEST_ASSERT_MSG_EQ_TOL(share, up.shares[0], 1e-12, "symmetric flows alike");
            sum += share;
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(sum, 1.0, 1e-9, "shares sum to one");
        CsmaContentionResult uneven = model.Evaluate({{1, 0, 16}, {2, 0, 256}});
        NS_TEST_ASSERT_MSG_GT(uneven.shares[1], 0.7, "the larger window gets most frames");
        NS_TEST_ASSERT_MSG_EQ_TOL(uneven.shares[0] + uneven.shares[1], 1.0, 1e-9, "sum");
        // shares come back in the caller's order
        CsmaContentionResult swapped = model.Evaluate({{2, 0, 256}, {1, 0, 16}});
        NS_TEST_ASSERT_MSG_EQ_TOL(swapped.shares[0], uneven.shares[1], 1e-12, "order kept");

        // bad parameters: the message names them
        CsmaContentionParameters bad = p;
        bad.dataRate = 0;
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::CheckParameters(bad),
                              "dataRate=0 is invalid: must be a positive bit rate",
                              "rate");
        bad = p;
        bad.minSlots = 0;
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::CheckParameters(bad),
                              "minSlots=0, maxSlots=1000 are invalid: need 1 <= minSlots <= "
                              "maxSlots",
                              "slots");
        bad = p;
        bad.slot = Time(0);
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::CheckParameters(bad),
                              "slot=+0ns is invalid: must be > 0",
                              "slot");
        bad = p;
        bad.initialWindow = 0;
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::CheckParameters(bad),
                              "initialWindow=0, maxWindow=2896, growthClamp=20 are invalid: "
                              "need 1 <= initialWindow <= maxWindow and growthClamp >= 1",
                              "window");
        bad = p;
        bad.measuredFrames = 0;
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::CheckParameters(bad),
                              "batchFrames=500, measuredFrames=0 are invalid: need 1 <= "
                              "batchFrames <= measuredFrames",
                              "frames");
        bad = p;
        bad.minBatches = 1;
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::CheckParameters(bad),
                              "minBatches=1 is invalid: must be >= 2 (the batch means need two "
                              "batches for an error)",
                              "batches");
        bad = p;
        bad.tolerance = -0.5;
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::CheckParameters(bad),
                              "tolerance=-0.5 is invalid: must be a relative error >= 0 (0: "
                              "measure all the frames)",
                              "tolerance");
    }
};

/**
 * \ingroup edge-llm-tests
 * The CSMA contention model's shortcuts against references. (1) The frame-to-frame emulation
 * (attempts that fall while the channel is busy back off without an event, a device's attempts
 * after its own frame are drawn from their exact distribution, SplitMix64 draws) against the
 * event-by-event replay it replaced (one event per attempt, Mersenne Twister): the replay's
 * long-run frame times, measured before the change (mean of 8 seeds x 100,000 data frames
 * after 2000 + 3 per window segment; standard error 0.05 to 0.2 %), within 1.5 % for one
 * emulation of 100,000 frames (its own standard deviation 0.1 to 0.5 %). (2) The estimate
 * stopped by the batch means (relative standard error 1 %) against all the frames the caller
 * allows (20,000), within 3 %, with fewer frames where the sets converge early.
 */
class CsmaEmulationAccuracyTestCase : public TestCase
{
  public:
    CsmaEmulationAccuracyTestCase()
        : TestCase("flow level: CSMA emulation against the event-by-event replay, and converged")
    {
    }

  private:
    void DoRun() override
    {
        struct Reference
        {
            std::vector<CsmaFlowSpec> flows; //!< the flow set
            double frameTime;                //!< us per data frame, event-by-event replay
            std::string name;                //!< what it is
        };

        const std::vector<Reference> references = {
            {{{0, 1, 16}}, 179.747, "lone flow, window 16"},
            {{{0, 1, 256}}, 149.370, "lone flow, window 256"},
            {{{1, 0, 64}, {2, 0, 64}, {3, 0, 64}, {4, 0, 64}}, 188.975, "4 uploads to one"},
            {{{0, 1, 181}, {1, 0, 45}}, 148.438, "both directions of a pair"},
            {{{0, 1, 128}, {2, 0, 256}, {3, 2, 362}, {4, 3, 362}}, 142.283, "pipeline"},
            {{{0, 1, 724},
              {0, 2, 724},
              {0, 3, 724},
              {0, 4, 724},
              {0, 5, 724},
              {0, 6, 724},
              {0, 7, 724},
              {0, 8, 1024}},
             141.651,
             "8 downloads from one"},
            {{{0, 1, 256},
              {2, 0, 362},
              {2, 3, 45},
              {4, 3, 45},
              {5, 3, 45},
              {6, 3, 64},
              {7, 3, 91},
              {8, 3, 1448}},
             145.719,
             "8 mixed flows"},
        };
        CsmaContentionParameters replay; // the replay's warm-up, every frame measured
        replay.warmUpFrames = 2000;
        replay.warmUpPerSegment = 3;
        replay.measuredFrames = 100000;
        replay.batchFrames = 1000;
        replay.tolerance = 0;
        CsmaContentionModel longRun(replay);
        CsmaContentionParameters defaults;
        CsmaContentionModel converged(defaults);
        CsmaContentionParameters allFrames = defaults;
        allFrames.tolerance = 0;
        CsmaContentionModel full(allFrames);
        uint64_t early = 0;
        for (const auto& reference : references)
        {
            const CsmaContentionResult result = longRun.Evaluate(reference.flows, 100000);
            NS_TEST_ASSERT_MSG_EQ(result.frames, 100000, "every frame measured");
            NS_TEST_ASSERT_MSG_EQ_TOL(result.frameTime * 1e6,
                                      reference.frameTime,
                                      0.015 * reference.frameTime,
                                      reference.name << ": emulation against the replay");
            const CsmaContentionResult quick = converged.Evaluate(reference.flows, 20000);
            const CsmaContentionResult all = full.Evaluate(reference.flows, 20000);
            NS_TEST_ASSERT_MSG_EQ(all.frames, 20000, "every frame measured");
            NS_TEST_ASSERT_MSG_EQ_TOL(quick.frameTime,
                                      all.frameTime,
                                      0.03 * all.frameTime,
                                      reference.name << ": converged against all frames");
            if (quick.frames < all.frames)
            {
                ++early;
                NS_TEST_ASSERT_MSG_LT_OR_EQ(quick.relativeError,
                                            defaults.tolerance,
                                            reference.name << ": stopped within tolerance");
                NS_TEST_ASSERT_MSG_GT_OR_EQ(quick.frames,
                                            defaults.minBatches * defaults.batchFrames,
                                            reference.name << ": at least minBatches");
            }
        }
        NS_TEST_ASSERT_MSG_GT(early, 0, "some sets converge before the cap");
        // Large windows: the first sum-of-windows frames run from the senders' full queues, far
        // more efficiently than later (4 uploads at window 2896: 135 us per frame for about
        // 12,000 frames, then 177 us over 200,000 frames, 6 seeds); the warm-up must outlast
        // that start, or the batch means stop on it.
        const std::vector<CsmaFlowSpec> largeWindows = {{1, 0, 2896},
                                                        {2, 0, 2896},
                                                        {3, 0, 2896},
                                                        {4, 0, 2896}};
        NS_TEST_ASSERT_MSG_EQ_TOL(converged.Evaluate(largeWindows, 20000).frameTime * 1e6,
                                  177.07,
                                  0.03 * 177.07,
                                  "large windows: past the start");
    }
};

/**
 * \ingroup edge-llm-tests
 * CsmaContentionModel::Continue: one running emulation through a sequence of flow sets, as the
 * flow level asks it, against fresh long emulations of each set (an independent path: no
 * state carried over), and its bookkeeping (flows that leave, piggybacked ACKs, seeds).
 */
class CsmaContinuationTestCase : public TestCase
{
  public:
    CsmaContinuationTestCase()
        : TestCase("flow level: CSMA emulation continued through changing flow sets")
    {
    }

  private:
    void DoRun() override
    {
        CsmaContentionParameters fresh; // long fresh emulations, every frame measured
        fresh.warmUpFrames = 2000;
        fresh.measuredFrames = 100000;
        fresh.batchFrames = 1000;
        fresh.tolerance = 0;
        CsmaContentionModel reference(fresh);
        CsmaContentionParameters all; // Continue measuring every frame asked for
        all.continueTolerance = 0;
        all.tolerance = 0;
        CsmaContentionModel running(all);
        // the sets a pipeline goes through: 0 -> 1 alone, then 2 -> 1 joins, 0 -> 1 leaves, the
        // pair 1 <-> 0 carries both directions, one of them leaves (its queued data carried
        // ACKs of the other: they must still go, or 1 -> 0 stalls), 0 -> 1 comes back
        const std::vector<std::vector<CsmaFlowSpec>> sets = {
            {{0, 1, 64}},
            {{0, 1, 91}, {2, 1, 64}},
            {{2, 1, 91}},
            {{2, 1, 91}, {0, 1, 181}, {1, 0, 45}},
            {{2, 1, 128}, {1, 0, 64}},
            {{1, 0, 64}, {0, 1, 256}},
        };
        for (size_t k = 0; k < sets.size(); ++k)
        {
            const CsmaContentionResult continued = running.Continue(sets[k], 20000);
            NS_TEST_ASSERT_MSG_EQ(continued.frames, 20000, "set " << k << ": every frame");
            const CsmaContentionResult alone = reference.Evaluate(sets[k], 100000);
            NS_TEST_ASSERT_MSG_EQ_TOL(continued.frameTime,
                                      alone.frameTime,
                                      0.03 * alone.frameTime,
                                      "set " << k << ": continued against a fresh emulation");
            double sum = 0;
            for (size_t i = 0; i < sets[k].size(); ++i)
            {
                sum += continued.shares[i];
                // flows in the same position get alike shares in the long run
                NS_TEST_ASSERT_MSG_EQ_TOL(continued.shares[i],
                                          alone.shares[i],
                                          0.1,
                                          "set " << k << ", flow " << i << ": share");
            }
            NS_TEST_ASSERT_MSG_EQ_TOL(sum, 1.0, 1e-9, "set " << k << ": shares sum to 1");
        }
        NS_TEST_ASSERT_MSG_EQ(running.GetContinuationCount(), sets.size(), "one per call");
        // the warm-up: the full one on the first call (1000 + 3 x 64, every segment of the
        // window handed over), then 2 frames per segment a change hands over: none when a
        // flow only leaves
        // (each call moves the emulation on, and the assertions may evaluate their arguments
        // twice: the calls come first)
        CsmaContentionModel warm(all);
        const CsmaContentionResult started = warm.Continue({{0, 1, 64}, {2, 1, 64}}, 2000);
        NS_TEST_ASSERT_MSG_EQ(started.warmUp, 1000 + 3 * 128, "first call");
        const CsmaContentionResult left = warm.Continue({{2, 1, 64}}, 2000);
        NS_TEST_ASSERT_MSG_EQ(left.warmUp, 0, "a flow left");
        const CsmaContentionResult joined = warm.Continue({{2, 1, 64}, {3, 1, 32}}, 2000);
        NS_TEST_ASSERT_MSG_EQ(joined.warmUp, 2 * 32, "a flow joined: its window");
        // A small window against a large one the other way (the small flow's ACKs ride on the
        // large flow's data, which leaves the queue when the large flow leaves): the small
        // flow goes on as a fresh one would.
        CsmaContentionModel piggyback(all);
        piggyback.Continue({{0, 1, 256}, {1, 0, 4}}, 2000);
        const CsmaContentionResult small = piggyback.Continue({{1, 0, 4}}, 2000);
        NS_TEST_ASSERT_MSG_EQ(small.frames, 2000, "the small flow goes on");
        NS_TEST_ASSERT_MSG_EQ_TOL(small.frameTime,
                                  reference.Evaluate({{1, 0, 4}}, 100000).frameTime,
                                  0.05 * small.frameTime,
                                  "and runs as a fresh one");
        NS_TEST_ASSERT_MSG_EQ(running.GetEvaluationCount(), 0, "no fresh emulation");

        // the defaults stop on the batch means, and the same seed and calls give the same
        // result to the bit; SetSeed starts the emulation over
        CsmaContentionParameters defaults;
        CsmaContentionModel first(defaults);
        CsmaContentionModel second(defaults);
        std::vector<double> times;
        for (const auto& set : sets)
        {
            const CsmaContentionResult a = first.Continue(set, 20000);
            const CsmaContentionResult b = second.Continue(set, 20000);
            NS_TEST_ASSERT_MSG_EQ(a.frameTime, b.frameTime, "same seed, same calls");
            NS_TEST_ASSERT_MSG_EQ(a.frames, b.frames, "same seed, same calls");
            if (a.frames < 20000)
            {
                // a long set (20,000 frames asked for: measuredFrames) stops at tolerance
                NS_TEST_ASSERT_MSG_LT_OR_EQ(a.relativeError,
                                            defaults.tolerance,
                                            "stopped within tolerance");
            }
            times.push_back(a.frameTime);
        }
        // a short set stops at continueTolerance
        const CsmaContentionResult shortSet = first.Continue(sets[2], 8000);
        NS_TEST_ASSERT_MSG_LT(shortSet.frames, 8000, "stopped early");
        NS_TEST_ASSERT_MSG_GT(shortSet.relativeError, defaults.tolerance, "looser");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(shortSet.relativeError,
                                    defaults.continueTolerance,
                                    "within continueTolerance");
        second.SetSeed(defaults.seed);
        const CsmaContentionResult over = second.Continue(sets[0], 20000);
        NS_TEST_ASSERT_MSG_EQ(over.frameTime, times[0], "SetSeed starts over");
    }
};

/**
 * \ingroup edge-llm-tests
 * The CSMA flow level with the contention model: a lone flow's rate is the model's, windows
 * grow with the bytes a pair carried, exact bytes.
 */
class FlowCsmaContentionTestCase : public TestCase
{
  public:
    FlowCsmaContentionTestCase()
        : TestCase("flow level: CSMA rates from the contention model and the TCP windows")
    {
    }

  private:
    void DoRun() override
    {
        EdgeNetworkHelper::ConfigureTcpDefaults();
        EdgeNetworkHelper helper;
        helper.SetNetwork("csma");
        helper.SetDataRate(DataRate("100Mbps"));
        Ptr<EdgeNetwork> network = helper.Install(2);
        Ptr<FlowNetworkModel> model = CreateObject<FlowNetworkModel>();
        model->SetNetwork(network);
        CsmaContentionModel* contention = model->GetCsmaContentionModel();
        NS_TEST_ASSERT_MSG_NE(contention, nullptr, "on by default");
        // the emulation's seed comes from an ns-3 stream: same stream and run, same seed;
        // another run number, another seed
        model->AssignStreams(7);
        const uint64_t seed = contention->GetParameters().seed;
        const uint64_t run = RngSeedManager::GetRun();
        Ptr<FlowNetworkModel> same = CreateObject<FlowNetworkModel>();
        same->SetNetwork(network);
        same->AssignStreams(7);
        NS_TEST_ASSERT_MSG_EQ(same->GetCsmaContentionModel()->GetParameters().seed,
                              seed,
                              "same stream and run");
        RngSeedManager::SetRun(run + 1);
        Ptr<FlowNetworkModel> other = CreateObject<FlowNetworkModel>();
        other->SetNetwork(network);
        other->AssignStreams(7);
        NS_TEST_ASSERT_MSG_NE(other->GetCsmaContentionModel()->GetParameters().seed,
                              seed,
                              "another run number");
        RngSeedManager::SetRun(run);
        const CsmaContentionParameters& p = contention->GetParameters();
        // what the network and ConfigureTcpDefaults set
        NS_TEST_ASSERT_MSG_EQ_TOL(p.dataRate, 100e6, 1e-6, "rate");
        NS_TEST_ASSERT_MSG_EQ(p.delay, NanoSeconds(6560), "the helper's LAN delay");
        NS_TEST_ASSERT_MSG_EQ(p.interframeGap, NanoSeconds(960), "96 bit times");
        NS_TEST_ASSERT_MSG_EQ(p.dataFrameBytes, 1518, "1448 + 52 + 18");
        NS_TEST_ASSERT_MSG_EQ(p.ackFrameBytes, 70, "52 + 18");
        NS_TEST_ASSERT_MSG_EQ(p.segmentsPerAck, 2, "DelAckCount");
        NS_TEST_ASSERT_MSG_EQ(p.maxWindow, 2896, "4 MiB / 1448");
        NS_TEST_ASSERT_MSG_EQ(p.slowStartExitWindow, 16, "CUBIC's HyStart low window");
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetCsmaWindow(0, 2), 10.0, 1e-12, "fresh pair");
        // a lone flow gets the model's rate: MSS bytes per frame time, at the window's grid
        // point (10: log2 3.32 -> 2^3.5 = 11.3 -> 11)
        NS_TEST_ASSERT_MSG_EQ(CsmaContentionModel::QuantizeWindow(10), 11, "grid");
        const double frame = contention->Evaluate({{0, 2, 11}}).frameTime;
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetSoloRate(0, 2), 8 * 1448 / frame, 1e-3, "solo");

        // One 1,448,000-byte message: 1000 segments (the 16 header bytes ride in the last),
        // delivered with exactly its payload; afterwards the pair has carried ~1000 segments,
        // so its window is 16 + (1000 - 6) / 20 = 65.7.
        Deliveries deliveries;
        model->SetDeliverCallback(2, MakeBoundCallback(&RecordDelivery, &deliveries));
        model->Send(0, 2, 1, 1448000 - 16);
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(deliveries.items.size(), 1, "delivered");
        NS_TEST_ASSERT_MSG_EQ(std::get<2>(deliveries.items.at(0)), 1448000 - 16, "exact bytes");
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetCsmaWindow(0, 2), 16 + 994.0 / 20, 0.01, "grown");
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetCsmaWindow(2, 0), 10.0, 1e-12, "other direction");
        // The transfer took between the contention-free bound (1000 frames of 137.98 us) and
        // the model's time at the smallest window the flow had (16 segments).
        const double took = std::get<3>(deliveries.items.at(0)).GetSeconds() - 6.56e-6;
        const double atSmallest = 1000 * contention->Evaluate({{0, 2, 16}}).frameTime;
        NS_TEST_ASSERT_MSG_GT(took, 1000 * 137.98e-6, "above the bound");
        NS_TEST_ASSERT_MSG_LT(took, atSmallest, "faster than at window 16 throughout");
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
            out << "{\"wifiResidualEfficiency\": {\"value\": 2}}";
        }
        std::string problem = FlowNetworkModel::LoadCalibration(path, efficiency);
        NS_TEST_ASSERT_MSG_NE(problem.find("wifiResidualEfficiency.value=2 is invalid"),
                              std::string::npos,
                              problem);
        {
            std::ofstream out(path);
            out << "{\"other\": 1}";
        }
        problem = FlowNetworkModel::LoadCalibration(path, efficiency);
        NS_TEST_ASSERT_MSG_NE(problem.find("has no number at wifiResidualEfficiency.value"),
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
     * \param fading radio fading (none, rayleigh, nakagami)
     * \param distance radio device distance (m)
     * \param microBatches micro-batches of the pipeline
     */
    FlowValidationTestCase(const std::string& kind,
                           uint32_t devices,
                           double tolerance,
                           uint64_t activation,
                           uint64_t parameters,
                           const std::string& fading = "none",
                           double distance = 10,
                           uint32_t microBatches = 4)
        : TestCase("flow vs packet: " + kind + ", " + std::to_string(devices) + " devices" +
                   (fading == "none" ? std::string() : ", " + fading + " fading") +
                   (distance == 10 ? std::string()
                                   : ", " + std::to_string(static_cast<int>(distance)) + " m") +
                   (microBatches == 4 ? std::string()
                                      : ", " + std::to_string(microBatches) + " micro-batch")),
          m_fading(fading),
          m_distance(distance),
          m_microBatches(microBatches),
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
        Ptr<TaskGraph> graph = MakeRound(m_devices,
                                         m_microBatches,
                                         m_activation,
                                         m_parameters,
                                         MilliSeconds(20),
                                         MilliSeconds(40));
        FlowRunSettings settings;
        settings.kind = m_kind;
        settings.fading = m_fading;
        settings.distance = m_distance;
        FixedGraphRunResult packet = RunAt(graph, m_devices, settings, "packet");
        FixedGraphRunResult flow = RunAt(graph, m_devices, settings, "flow");
        NS_TEST_ASSERT_MSG_EQ(packet.completedIterations, 1, "packet level completed");
        NS_TEST_ASSERT_MSG_EQ(flow.completedIterations, 1, "flow level completed");
        double p = packet.iterationLatency.at(0).GetSeconds();
        double f = flow.iterationLatency.at(0).GetSeconds();
        std::cout << "FLOWVAL " << m_kind << " " << m_fading << " " << m_distance << " m "
                  << m_microBatches << " micro-batches devices=" << m_devices << " packet=" << p
                  << " s flow=" << f << " s error=" << (f - p) / p * 100
                  << " % wall packet=" << packet.wallSeconds << " flow=" << flow.wallSeconds
                  << std::endl;
        NS_TEST_ASSERT_MSG_EQ_TOL(f / p, 1.0, m_tolerance, "iteration latency flow vs packet");
        std::vector<uint64_t> expected = ExpectedBytes(graph, m_devices + 1);
        for (uint32_t i = 0; i <= m_devices; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(flow.payloadBytesPerNode.at(i),
                                  packet.payloadBytesPerNode.at(i),
                                  "node " << i << " bytes, flow vs packet");
            NS_TEST_ASSERT_MSG_EQ(flow.payloadBytesPerNode.at(i), expected.at(i), "node " << i);
        }
    }

    std::string m_fading;    //!< radio fading
    double m_distance;       //!< radio device distance
    uint32_t m_microBatches; //!< pipeline micro-batches
    std::string m_kind;      //!< network kind
    uint32_t m_devices;      //!< devices
    double m_tolerance;      //!< relative tolerance
    uint64_t m_activation;   //!< activation bytes
    uint64_t m_parameters;   //!< parameter bytes
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
        AddTestCase(new FlowValidationTestCase("wifi", 1, 0.10, 2000000, 8000000));
        AddTestCase(new FlowValidationTestCase("ofdma", 4, 0.15, 500000, 2000000));
        AddTestCase(new FlowValidationTestCase("ofdma", 4, 0.15, 500000, 2000000, "rayleigh"));
        // Low SINR with Rayleigh fading (outer-loop link adaptation in the cell, its
        // equilibrium at the flow level). One micro-batch: the pipeline's transfers do not
        // overlap, so TCP's ACK clock is not held up behind another flow's standing queue in
        // a device's downlink FIFO, which the flow level does not model (doc/flow-level.rst).
        AddTestCase(
            new FlowValidationTestCase("ofdma", 4, 0.15, 500000, 2000000, "rayleigh", 60, 1));
        // At 120 m a residual HARQ drop that TCP recovers by a timeout moves the packet level
        // by up to 15 % from one run to another (doc/flow-level.rst).
        AddTestCase(
            new FlowValidationTestCase("ofdma", 4, 0.15, 500000, 2000000, "rayleigh", 120, 1),
            TestCase::EXTENSIVE);
        AddTestCase(new FlowValidationTestCase("wifi", 4, 0.10, 1000000, 3000000));
        // per-PPDU fading: the ideal manager's stale MCS, BlockAckRequests, contention
        AddTestCase(new FlowValidationTestCase("wifi", 4, 0.10, 1000000, 3000000, "nakagami"));
        AddTestCase(new FlowValidationTestCase("wifi", 16, 0.15, 250000, 1000000),
                    TestCase::EXTENSIVE);
        // The CSMA cases last: devices created before a run shift the automatic random
        // streams of the runs after it, so the cases above see what they always saw.
        AddTestCase(new CsmaContentionTestCase);
        AddTestCase(new CsmaEmulationAccuracyTestCase);
        AddTestCase(new CsmaContinuationTestCase);
        AddTestCase(new FlowCsmaContentionTestCase);
        AddTestCase(new FlowValidationTestCase("csma", 4, 0.05, 2000000, 4000000));
        // not the round above: 8 devices, half the bytes
        AddTestCase(new FlowValidationTestCase("csma", 8, 0.05, 1000000, 2000000));
        // Time-correlated (Jakes, 10 Hz) fading at the low SINR: the flow level's tracked
        // channel against the packet level's outer loop following it (last: see above)
        AddTestCase(new FlowValidationTestCase("ofdma", 4, 0.15, 500000, 2000000, "jakes", 60, 1));
        // and on Wi-Fi: the ideal manager follows the channel (at 40 m the flow level is 28 %
        // optimistic: TCP's retransmission timeouts after deep fades, doc/flow-level.rst)
        AddTestCase(new FlowValidationTestCase("wifi", 4, 0.10, 1000000, 3000000, "jakes"));
    }
};

/// The suite's instance.
static FlowLevelTestSuite g_flowLevelTestSuite;
