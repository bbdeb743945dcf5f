/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * Flow level against packet level: the same CollaPipe-like round (a 1F1B pipeline of BERT-base
 * encoder segments over the devices, the server as head, then FedAvg of every segment's
 * parameters at the server) at both fidelities in one process: simulated latency, wall time,
 * speedup; then how the flow level's wall time grows with devices and with bytes per round.
 *
 *   edge-llm-bench-flow-vs-packet [--network=wifi] [--devices=8] [--microBatches=4]
 *       [--microBatchSize=8] [--growth=1] [--packet=1] [--gatherOnly=0] [--parameterScale=1]
 *       [--channelWidth=80] [--fading=none] [--distance=10] [--run=1] [--maxError=0]
 *       [--minSpeedup=0] [--flowRepeats=3]
 *
 * Times are those of Simulator::Run of each level (wall and this thread's CPU time), not the
 * process's start nor the set-up; the speedup is the ratio of the CPU times, measured side by
 * side in one process. With --maxError / --minSpeedup it exits 1 when the flow level's latency
 * error or that speedup misses the bound (the CTest case edge-llm-csma-flow-vs-packet).
 * The flow level runs flowRepeats times and its times are the smallest of those runs, the usual
 * guard against a shared machine's hiccups on a run of a few tens of milliseconds; its latency
 * is the first run's (the later runs draw from later ns-3 streams: another realization of the
 * same round, the same bytes). A CSMA flow level's round emulates with
 * CsmaContentionModel::Continue, which caches nothing, so every repeat does all the work (the
 * growth table's solo rates use the process-wide cache of Evaluate).
 *
 * With --gatherOnly=1 every device sends parameterScale encoder layers to the server at once:
 * the runs of data/flow-calibration.json.
 */

#include "edge-llm-test-utils.h"

#include "ns3/collective-builder.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/transformer-spec.h"

#include <cstdio>
#include <ctime>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// \return CPU seconds this thread has used (the simulation runs on one thread; other
/// processes on a shared machine do not count)
double
ThreadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

/// One run's figures.
struct BenchResult
{
    double latency{0};     //!< simulated seconds of the round
    double wall{0};        //!< wall seconds of Simulator::Run
    double cpu{0};         //!< CPU seconds of Simulator::Run (this thread)
    uint64_t bytes{0};     //!< payload bytes received, all nodes
    bool completed{false}; //!< the round finished
};

/**
 * The round: encoder layers split as evenly as possible over the devices (stage i holds
 * layers[i]; devices beyond the layer count hold one layer each, repeated, so large fleets keep
 * a realistic per-device load), a 1F1B pipeline with the server as head, then each device
 * uploads its segment's parameters, the server averages, and sends them back.
 */
Ptr<TaskGraph>
MakeRound(uint32_t devices,
          uint32_t microBatches,
          uint64_t activationBytes,
          uint64_t layerBytes,
          uint32_t layers,
          double parameterScale)
{
    Ptr<TaskGraph> graph = Create<TaskGraph>(devices + 1);
    std::vector<uint64_t> segmentBytes;
    std::vector<Time> forward;
    std::vector<Time> backward;
    for (uint32_t s = 0; s < devices; ++s)
    {
        uint32_t held = devices >= layers ? 1 : layers / devices + (s < layers % devices ? 1 : 0);
        segmentBytes.push_back(static_cast<uint64_t>(held * layerBytes * parameterScale));
        forward.push_back(MilliSeconds(15 * held));
        backward.push_back(MilliSeconds(30 * held));
    }
    PipelineTasks tasks = BuildPipelineToServer(*graph,
                                                microBatches,
                                                activationBytes,
                                                forward,
                                                backward,
                                                MilliSeconds(5));

    RootedSpec gather;
    gather.root = devices;
    std::tie(gather.group, gather.after) = GroupAfterPipeline(tasks, devices);
    gather.memberBytes = segmentBytes;
    gather.memberBytes.push_back(0);
    gather.label = "fedavg-up";
    CollectiveTasks up = CollectiveBuilder::Gather(*graph, gather);
    ComputeTask average;
    average.device = devices;
    average.kind = ComputeKind::AGGREGATE;
    average.duration = MilliSeconds(20);
    average.label = "fedavg-average";
    uint32_t averageId = graph->AddCompute(average, up.last[devices]);
    RootedSpec broadcast = gather;
    broadcast.after.assign(devices + 1, std::vector<uint32_t>{});
    broadcast.after[devices] = {averageId};
    broadcast.label = "fedavg-down";
    CollectiveBuilder::Broadcast(*graph, broadcast);
    return graph;
}

/// Every device sends \p bytes to the server at once (one direction only).
Ptr<TaskGraph>
MakeGather(uint32_t devices, double bytes)
{
    Ptr<TaskGraph> graph = Create<TaskGraph>(devices + 1);
    RootedSpec gather;
    gather.root = devices;
    gather.bytes = static_cast<uint64_t>(bytes);
    for (uint32_t i = 0; i <= devices; ++i)
    {
        gather.group.push_back(i);
    }
    CollectiveBuilder::Gather(*graph, gather);
    return graph;
}

BenchResult
Run(Ptr<TaskGraph> graph,
    uint32_t devices,
    TestNetworkSettings networkSettings,
    const std::string& fidelity)
{
    // The flow level runs on a flow-only network: no device to associate, beacon or warm up.
    networkSettings.flowOnly = fidelity == "flow";
    Ptr<EdgeNetwork> network = InstallTestNetwork(devices, networkSettings);
    FixedGraphRunSettings settings;
    settings.fidelity = fidelity;
    // The flow level needs no association: it starts at once.
    settings.waitForNetwork = fidelity == "packet";
    settings.stopTime = Seconds(1e6);
    // CPU time around Simulator::Run only (the hooks run just before and just after it): not
    // the process's start, the network's installation nor the graph's set-up
    double cpuBefore = 0;
    double cpuAfter = 0;
    settings.beforeRun = [&cpuBefore](EdgeLlmRuntimeHelper&, ApplicationContainer&) {
        cpuBefore = ThreadCpuSeconds();
    };
    settings.afterRun = [&cpuAfter](EdgeLlmRuntimeHelper&, ApplicationContainer&) {
        cpuAfter = ThreadCpuSeconds();
    };
    FixedGraphRunResult run = RunFixedGraph(graph, network, settings);
    BenchResult result;
    result.completed = !run.iterationLatency.empty();
    result.latency = result.completed ? run.iterationLatency.back().GetSeconds() : 0;
    result.wall = run.wallSeconds;
    result.cpu = cpuAfter - cpuBefore;
    result.bytes = run.payloadBytes;
    return result;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string network = "wifi";
    uint32_t devices = 8;
    uint32_t microBatches = 4;
    uint32_t microBatchSize = 8;
    double parameterScale = 1.0;
    bool growth = true;
    bool packet = true;
    bool gatherOnly = false;
    uint32_t maxGrowth = 512;
    std::string fading = "none";
    uint32_t channelWidth = 80;
    double distance = 10;
    uint32_t run = 1;
    double maxError = 0;
    int64_t flowRepeats = 3;
    double minSpeedup = 0;
    CommandLine cmd(__FILE__);
    cmd.AddValue("network", "wifi, csma or p2p", network);
    cmd.AddValue("devices", "devices in the pipeline", devices);
    cmd.AddValue("microBatches", "micro-batches per round", microBatches);
    cmd.AddValue("microBatchSize", "samples per micro-batch", microBatchSize);
    cmd.AddValue("parameterScale",
                 "fraction of each segment's parameters in FedAvg",
                 parameterScale);
    cmd.AddValue("growth", "print the flow level's growth table", growth);
    cmd.AddValue("packet", "run the packet level too", packet);
    cmd.AddValue("maxGrowth", "largest fleet of the growth table (8, 64, 512)", maxGrowth);
    cmd.AddValue("gatherOnly", "only a gather of parameterScale layers per device", gatherOnly);
    cmd.AddValue("fading", "Wi-Fi fading: none, nakagami (m = 2), rayleigh", fading);
    cmd.AddValue("channelWidth", "Wi-Fi channel width (MHz): 20, 40, 80, 160", channelWidth);
    cmd.AddValue("distance", "Wi-Fi station distance from the access point (m)", distance);
    cmd.AddValue("run", "ns-3 run number", run);
    cmd.AddValue("flowRepeats",
                 "runs of the flow level (1 to 100); its times are the smallest",
                 flowRepeats);
    cmd.AddValue("maxError",
                 "with the packet level: fail (exit 1) when the flow level's latency error "
                 "exceeds this many percent (0: no check)",
                 maxError);
    cmd.AddValue("minSpeedup",
                 "with the packet level: fail (exit 1) when the packet level's CPU time of "
                 "Simulator::Run is less than this many times the flow level's (0: no check)",
                 minSpeedup);
    cmd.Parse(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    NS_ABORT_MSG_IF(devices == 0, "devices=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(microBatches == 0, "microBatches=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(microBatchSize == 0, "microBatchSize=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(!EdgeNetworkHelper::CheckFading(fading).empty(),
                    EdgeNetworkHelper::CheckFading(fading));
    NS_ABORT_MSG_IF(!EdgeNetworkHelper::CheckChannelWidth(channelWidth).empty(),
                    EdgeNetworkHelper::CheckChannelWidth(channelWidth));
    NS_ABORT_MSG_IF(!EdgeNetworkHelper::CheckDistance(distance).empty(),
                    EdgeNetworkHelper::CheckDistance(distance));
    NS_ABORT_MSG_IF(run == 0, "run=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(!(maxError >= 0), "maxError=" << maxError << " is invalid: must be >= 0");
    NS_ABORT_MSG_IF(flowRepeats < 1 || flowRepeats > 100,
                    "flowRepeats=" << flowRepeats << " is invalid: must be 1 to 100");
    NS_ABORT_MSG_IF(!(minSpeedup >= 0), "minSpeedup=" << minSpeedup << " is invalid: must be >= 0");
    TestNetworkSettings networkSettings;
    networkSettings.kind = network;
    networkSettings.run = run;
    if (network == "wifi")
    {
        networkSettings.distance = distance;
        networkSettings.fading = fading;
        networkSettings.channelWidth = channelWidth;
    }
    NS_ABORT_MSG_IF(!(parameterScale > 0 && parameterScale <= 100),
                    "parameterScale=" << parameterScale << " is invalid: must be in (0, 100]");

    // BERT-base: 12 encoder layers of 7,087,872 parameters (FP32: 28,351,488 bytes); the
    // activation between stages is microBatchSize x sequence x hidden FP32 values.
    TransformerSpec bert = TransformerSpec::GetPreset("bert-base");
    uint64_t layerBytes = bert.GetEncoderLayerParameterCount() * 4;
    uint64_t activationBytes =
        static_cast<uint64_t>(microBatchSize) * bert.sequenceLength * bert.hidden * 4;
    std::printf("CollaPipe-like round, BERT-base (%u layers, %llu bytes/layer FP32), %u %s "
                "devices, %u micro-batches of %llu activation bytes, FedAvg x%.3g\n",
                bert.encoderLayers,
                static_cast<unsigned long long>(layerBytes),
                devices,
                network.c_str(),
                microBatches,
                static_cast<unsigned long long>(activationBytes),
                parameterScale);

    Ptr<TaskGraph> graph = gatherOnly ? MakeGather(devices, layerBytes * parameterScale)
                                      : MakeRound(devices,
                                                  microBatches,
                                                  activationBytes,
                                                  layerBytes,
                                                  bert.encoderLayers,
                                                  parameterScale);
    BenchResult flow = Run(graph, devices, networkSettings, "flow");
    for (int64_t k = 1; k < flowRepeats; ++k)
    {
        const BenchResult again = Run(graph, devices, networkSettings, "flow");
        NS_ABORT_MSG_IF(!again.completed || again.bytes != flow.bytes,
                        "flow level run " << k + 1 << " carried " << again.bytes
                                          << " bytes against " << flow.bytes);
        flow.cpu = std::min(flow.cpu, again.cpu);
        flow.wall = std::min(flow.wall, again.wall);
    }
    std::printf("%-8s %14s %12s %12s %16s\n",
                "level",
                "latency (s)",
                "wall (s)",
                "CPU (s)",
                "bytes");
    int status = 0;
    if (packet)
    {
        BenchResult pkt = Run(graph, devices, networkSettings, "packet");
        std::printf("%-8s %14.6f %12.4f %12.4f %16llu%s\n",
                    "packet",
                    pkt.latency,
                    pkt.wall,
                    pkt.cpu,
                    static_cast<unsigned long long>(pkt.bytes),
                    pkt.completed ? "" : "  (did not complete)");
        std::printf("%-8s %14.6f %12.6f %12.6f %16llu\n",
                    "flow",
                    flow.latency,
                    flow.wall,
                    flow.cpu,
                    static_cast<unsigned long long>(flow.bytes));
        const double error = (flow.latency - pkt.latency) / pkt.latency * 100.0;
        const double speedup = pkt.cpu / flow.cpu;
        std::printf("latency error flow vs packet: %+.2f %%; speedup of Simulator::Run: %.0fx CPU, "
                    "%.0fx wall\n",
                    error,
                    speedup,
                    pkt.wall / flow.wall);
        if (!pkt.completed || !flow.completed || pkt.bytes != flow.bytes)
        {
            std::printf("FAIL: a level did not complete, or the levels carried different bytes\n");
            status = 1;
        }
        if (maxError > 0 && std::abs(error) > maxError)
        {
            std::printf("FAIL: latency error %+.2f %% beyond maxError=%g %%\n", error, maxError);
            status = 1;
        }
        if (minSpeedup > 0 && speedup < minSpeedup)
        {
            std::printf("FAIL: CPU speedup %.0fx below minSpeedup=%gx\n", speedup, minSpeedup);
            status = 1;
        }
    }
    else
    {
        std::printf("%-8s %14.6f %12.6f %12.6f %16llu\n",
                    "flow",
                    flow.latency,
                    flow.wall,
                    flow.cpu,
                    static_cast<unsigned long long>(flow.bytes));
    }

    std::vector<uint32_t> growthDevices;
    for (uint32_t n : {8u, 64u, 512u})
    {
        if (n <= maxGrowth)
        {
            growthDevices.push_back(n);
        }
    }
    if (growth)
    {
        std::printf("\nflow level wall time growth (%s)\n", network.c_str());
        std::printf("%8s %10s %16s %14s %12s\n",
                    "devices",
                    "FedAvg x",
                    "bytes/round",
                    "latency (s)",
                    "wall (s)");
        for (uint32_t n : growthDevices)
        {
            for (double scale : {1.0, 4.0})
            {
                Ptr<TaskGraph> g = MakeRound(n,
                                             microBatches,
                                             activationBytes,
                                             layerBytes,
                                             bert.encoderLayers,
                                             scale);
                BenchResult r = Run(g, n, networkSettings, "flow");
                std::printf("%8u %10.0f %16llu %14.4f %12.4f\n",
                            n,
                            scale,
                            static_cast<unsigned long long>(r.bytes),
                            r.latency,
                            r.wall);
            }
        }
    }
    return status;
}
