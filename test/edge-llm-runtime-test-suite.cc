/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/collective-builder.h"
#include "ns3/core-module.h"
#include "ns3/distributed-round-report.h"
#include "ns3/edge-device-application.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/run-recorder.h"
#include "ns3/task-graph-timer.h"
#include "ns3/test.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

/**
 * \file
 * \ingroup edge-llm-tests
 * The runtime executes task graphs over real ns-3 networks: exact bytes, dependency order,
 * timing against the analytic critical path, determinism.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// What a run observed: per task, its start and end, and how often it finished.
struct RunObservation
{
    std::map<uint32_t, std::pair<Time, Time>> times; //!< task -> (start, end), last iteration
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> finishCount; //!< (iteration, task) -> n
    std::vector<Time> iterationLatency;                            //!< per iteration
    uint64_t payloadBytesReceived{0};                              //!< all transports
    std::vector<uint64_t> payloadBytesPerNode;                     //!< by node
    uint32_t completedIterations{0};                               //!< server's count
    uint32_t droppedPackets{0};                                    //!< by wired error models
};

void
OnPhyRxDrop(RunObservation* observation, Ptr<const Packet> packet)
{
    observation->droppedPackets++;
}

void
OnTaskFinished(RunObservation* observation,
               uint32_t iteration,
               uint32_t taskId,
               Time start,
               Time end)
{
    observation->times[taskId] = {start, end};
    observation->finishCount[{iteration, taskId}]++;
}

/// Network settings of one run.
struct NetworkSettings
{
    std::string kind{"p2p"};     //!< p2p, csma, wifi
    DataRate rate{"100Mbps"};    //!< wired link rate
    Time delay{MilliSeconds(1)}; //!< wired link delay
    double errorRate{0};         //!< wired packet error rate
    std::string fading{"none"};  //!< wifi fading
    uint32_t seed{1};            //!< RngSeedManager seed
    uint32_t run{1};             //!< RngSeedManager run
    std::string outputDir;       //!< recorder folder ("" = none)
};

/// Runs \p graph for \p iterations over a fresh network of \p devices devices and a server.
RunObservation
RunGraph(Ptr<TaskGraph> graph,
         uint32_t devices,
         uint32_t iterations,
         const NetworkSettings& settings)
{
    TestNetworkSettings network;
    network.kind = settings.kind;
    network.seed = settings.seed;
    network.run = settings.run;
    if (settings.kind == "wifi")
    {
        network.fading = settings.fading;
        network.distance = 10;
    }
    else
    {
        network.rate = settings.rate;
        network.delay = settings.delay;
        network.errorRate = settings.errorRate;
    }
    // Tasks without an explicit duration (ring reductions) use the roofline of a Jetson TX2.
    FixedGraphRunSettings run;
    run.iterations = iterations;
    RunObservation observation;
    Ptr<RunRecorder> recorder; // lives until the simulation is destroyed
    run.beforeRun = [&observation, &recorder, &settings, devices](EdgeLlmRuntimeHelper& runtime,
                                                                  ApplicationContainer& apps) {
        runtime.GetExecution()->TraceConnectWithoutContext(
            "TaskFinished",
            MakeBoundCallback(&OnTaskFinished, &observation));
        Config::ConnectWithoutContextFailSafe(
            "/NodeList/*/DeviceList/*/$ns3::PointToPointNetDevice/PhyRxDrop",
            MakeBoundCallback(&OnPhyRxDrop, &observation));
        if (!settings.outputDir.empty())
        {
            recorder = CreateObject<RunRecorder>();
            recorder->SetAttribute("OutputDirectory", StringValue(settings.outputDir));
            recorder->SetAttribute("WritePlots", BooleanValue(false));
            std::vector<std::string> names;
            for (uint32_t i = 0; i <= devices; ++i)
            {
                names.push_back(i == devices ? "server" : "device" + std::to_string(i));
            }
            runtime.EnableRecorder(recorder, names);
        }
    };
    FixedGraphRunResult result = RunFixedGraph(graph, InstallTestNetwork(devices, network), run);
    observation.iterationLatency = result.iterationLatency;
    observation.completedIterations = result.completedIterations;
    observation.payloadBytesPerNode = result.payloadBytesPerNode;
    observation.payloadBytesReceived = result.payloadBytes;
    return observation;
}

std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

/// A pipeline of \p stages stages on devices 0..stages-1 with explicit compute times.
Ptr<TaskGraph>
MakePipeline(uint32_t nodes,
             uint32_t stages,
             uint32_t microBatches,
             PipelineSchedule schedule,
             Time forward,
             Time backward,
             uint64_t bytes)
{
    Ptr<TaskGraph> graph = Create<TaskGraph>(nodes);
    PipelineScheduleBuilder::Build(*graph,
                                   MakeChainPipelineSpec(schedule,
                                                         microBatches,
                                                         std::vector<Time>(stages, forward),
                                                         std::vector<Time>(stages, backward),
                                                         bytes));
    return graph;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Every TransferTask delivers exactly its bytes once, with and without 1% packet loss.
 */
class ExactBytesTestCase : public TestCase
{
  public:
    /// \param errorRate packet error rate on every link
    ExactBytesTestCase(double errorRate)
        : TestCase("exact bytes delivered once, packet error rate " + std::to_string(errorRate)),
          m_errorRate(errorRate)
    {
    }

  private:
    void DoRun() override
    {
        // Nodes 0..2 are devices, 3 the server. Sizes chosen to straddle segment boundaries:
        // 1 byte, one MSS minus the 16-byte frame, a few MSS plus change, and 3 MB; two
        // messages in opposite directions on one pair at once; two back to back on one pair.
        Ptr<TaskGraph> graph = Create<TaskGraph>(4);
        const std::vector<std::tuple<uint32_t, uint32_t, uint64_t>> transfers = {
            {0, 1, 1},
            {1, 0, 1432},
            {0, 3, 3 * 1448 + 7},
            {2, 3, 3000000},
            {3, 2, 1000000},
            {2, 1, 65537},
        };
        std::vector<uint32_t> ids;
        for (const auto& [source, destination, bytes] : transfers)
        {
            TransferTask task;
            task.source = source;
            task.destination = destination;
            task.bytes = bytes;
            ids.push_back(graph->AddTransfer(task));
        }
        // Back to back on 0->3, released by the first's arrival... which is on 3: so send the
        // follow-up from 3 back to 0, after the 0->3 message arrived.
        TransferTask reply;
        reply.source = 3;
        reply.destination = 0;
        reply.bytes = 777777;
        uint32_t replyId = graph->AddTransfer(reply, {ids[2]});

        NetworkSettings settings;
        settings.errorRate = m_errorRate;
        RunObservation observation = RunGraph(graph, 3, 2, settings);

        NS_TEST_ASSERT_MSG_EQ(observation.completedIterations, 2, "both iterations finished");
        uint64_t expected = 0;
        for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
        {
            expected += graph->GetTransfer(id).bytes;
            for (uint32_t iteration = 0; iteration < 2; ++iteration)
            {
                NS_TEST_ASSERT_MSG_EQ(observation.finishCount[std::make_pair(iteration, id)],
                                      1,
                                      "transfer " << id << " finished exactly once");
            }
        }
        NS_TEST_ASSERT_MSG_EQ(observation.payloadBytesReceived,
                              2 * expected,
                              "payload bytes on the wire equal the tensors' bytes");
        for (uint32_t node = 0; node < 4; ++node)
        {
            NS_TEST_ASSERT_MSG_EQ(observation.payloadBytesPerNode[node],
                                  2 * graph->GetBytesReceived(node),
                                  "node " << node << " received exactly its bytes");
        }
        // The loss is real: packets were dropped (and TCP recovered), or none without loss.
        if (m_errorRate > 0)
        {
            NS_TEST_ASSERT_MSG_GT(observation.droppedPackets, 10, "1% of ~6000 packets dropped");
        }
        else
        {
            NS_TEST_ASSERT_MSG_EQ(observation.droppedPackets, 0, "no loss configured");
        }
        NS_TEST_ASSERT_MSG_GT(observation.times[replyId].first,
                              observation.times[ids[2]].second - NanoSeconds(1),
                              "the reply left after the message it answers arrived");
    }

    double m_errorRate; //!< packet error rate
};

/**
 * \ingroup edge-llm-tests
 * Every builder's pattern runs in a valid dependency order.
 */
class PatternOrderTestCase : public TestCase
{
  public:
    PatternOrderTestCase()
        : TestCase("every pattern (GPipe, 1F1B, ring collectives, broadcast, gather, FedAvg) runs "
                   "in dependency order")
    {
    }

  private:
    void CheckOrder(Ptr<TaskGraph> graph, const std::string& name)
    {
        NetworkSettings settings;
        RunObservation observation = RunGraph(graph, graph->GetDeviceCount() - 1, 1, settings);
        NS_TEST_ASSERT_MSG_EQ(observation.completedIterations, 1, name << ": finished");
        NS_TEST_ASSERT_MSG_EQ(observation.times.size(),
                              graph->GetTaskCount(),
                              name << ": every task finished");
        for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
        {
            for (uint32_t dependency : graph->GetDependencies(id))
            {
                NS_TEST_ASSERT_MSG_GT_OR_EQ(observation.times[id].first,
                                            observation.times[dependency].second,
                                            name << ": task " << graph->DescribeTask(id)
                                                 << " started before its dependency "
                                                 << graph->DescribeTask(dependency) << " ended");
            }
        }
        // One compute stream per device: its compute tasks never overlap.
        for (uint32_t device = 0; device < graph->GetDeviceCount(); ++device)
        {
            std::vector<std::pair<Time, Time>> intervals;
            for (uint32_t id : graph->GetComputeTasks(device))
            {
                intervals.push_back(observation.times[id]);
            }
            std::sort(intervals.begin(), intervals.end());
            for (size_t k = 1; k < intervals.size(); ++k)
            {
                NS_TEST_ASSERT_MSG_GT_OR_EQ(intervals[k].first,
                                            intervals[k - 1].second,
                                            name << ": device " << device
                                                 << " ran two compute tasks at once");
            }
        }
    }

    void DoRun() override
    {
        for (auto schedule : {PipelineSchedule::GPIPE, PipelineSchedule::ONE_F_ONE_B})
        {
            Ptr<TaskGraph> graph = Create<TaskGraph>(5);
            PipelineSpec spec = MakeSourceToHeadPipelineSpec(schedule,
                                                             MilliSeconds(3),
                                                             MilliSeconds(6),
                                                             {20000, 30000},
                                                             10000);
            spec.optimizerCosts.assign(3, ComputeCost::FromDuration(MilliSeconds(1)));
            PipelineScheduleBuilder::Build(*graph, spec);
            CheckOrder(graph, PipelineScheduleToString(schedule));
        }
        {
            Ptr<TaskGraph> graph = Create<TaskGraph>(5);
            RingSpec ring;
            ring.group = {0, 1, 2, 3};
            ring.shares = {0.4, 0.3, 0.2, 0.1};
            ring.totalBytes = 400000;
            CollectiveBuilder::AllReduce(*graph, ring);
            CheckOrder(graph, "ring all-reduce");
        }
        {
            Ptr<TaskGraph> graph = Create<TaskGraph>(5);
            RootedSpec broadcast;
            broadcast.group = {0, 1, 2, 3, 4};
            broadcast.root = 4;
            broadcast.bytes = 50000;
            CollectiveTasks sent = CollectiveBuilder::Broadcast(*graph, broadcast);
            RootedSpec gather;
            gather.group = {0, 1, 2, 3, 4};
            gather.root = 4;
            gather.bytes = 60000;
            gather.after = sent.last;
            CollectiveBuilder::Gather(*graph, gather);
            CheckOrder(graph, "broadcast then gather");
        }
        {
            Ptr<TaskGraph> graph = Create<TaskGraph>(4);
            FedAvgSpec fedavg;
            fedavg.group = {0, 1, 2, 3};
            fedavg.root = 3;
            fedavg.parameterBytes = 250000;
            fedavg.aggregateCost = ComputeCost::FromDuration(MilliSeconds(2));
            CollectiveBuilder::FedAvg(*graph, fedavg);
            CheckOrder(graph, "FedAvg");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * On an ideal point-to-point link, a pipeline iteration takes the analytic critical path.
 */
class CriticalPathTestCase : public TestCase
{
  public:
    /// \param schedule the pipeline schedule
    CriticalPathTestCase(PipelineSchedule schedule)
        : TestCase("pipeline iteration on point-to-point links equals the analytic critical path "
                   "within 5% (" +
                   PipelineScheduleToString(schedule) + ")"),
          m_schedule(schedule)
    {
    }

  private:
    void DoRun() override
    {
        const DataRate rate("100Mbps");
        const Time delay = MilliSeconds(1);
        const uint64_t bytes = 1000000;
        Ptr<TaskGraph> graph =
            MakePipeline(5, 4, 4, m_schedule, MilliSeconds(40), MilliSeconds(80), bytes);
        NetworkSettings settings;
        settings.rate = rate;
        settings.delay = delay;
        // Iteration 0 pays the TCP handshakes; iteration 1 runs on warm connections.
        RunObservation observation = RunGraph(graph, 4, 2, settings);
        NS_TEST_ASSERT_MSG_EQ(observation.iterationLatency.size(), 2, "two iterations");

        // Goodput: each 1448-byte segment costs 1448 + 20 (IPv4) + 20 (TCP) + 12 (timestamps)
        // + 2 (PPP) = 1502 bytes on the wire; the 16-byte frame header rides with the payload.
        const double goodput = rate.GetBitRate() * 1448.0 / 1502.0;
        TaskGraphTimer timer(nullptr, [goodput, delay](const TransferTask& task) {
            return Seconds((task.bytes + 16) * 8.0 / goodput) + delay;
        });
        const Time analytic = timer.GetMakespan(*graph);
        const double measured = observation.iterationLatency[1].GetSeconds();
        NS_TEST_ASSERT_MSG_EQ_TOL(measured,
                                  analytic.GetSeconds(),
                                  0.05 * analytic.GetSeconds(),
                                  "simulated " << measured << " s vs analytic " << analytic);
    }

    PipelineSchedule m_schedule; //!< schedule under test
};

/**
 * \ingroup edge-llm-tests
 * Same seed and run: byte-identical outputs; another run number: different fading, different
 * results.
 */
class DeterminismTestCase : public TestCase
{
  public:
    DeterminismTestCase()
        : TestCase("same seed and run give byte-identical CSV and trace; another run differs")
    {
    }

  private:
    void DoRun() override
    {
        auto runOnce = [](uint32_t run, const std::string& dir) {
            Ptr<TaskGraph> graph = MakePipeline(4,
                                                3,
                                                2,
                                                PipelineSchedule::ONE_F_ONE_B,
                                                MilliSeconds(2),
                                                MilliSeconds(4),
                                                150000);
            NetworkSettings settings;
            settings.kind = "wifi";
            settings.fading = "rayleigh";
            settings.run = run;
            settings.outputDir = dir;
            RunGraph(graph, 3, 1, settings);
        };
        const std::string first = CreateTempDirFilename("run-a");
        const std::string second = CreateTempDirFilename("run-b");
        const std::string other = CreateTempDirFilename("run-c");
        runOnce(1, first);
        runOnce(1, second);
        runOnce(2, other);
        for (const char* file : {"tasks.csv", "iterations.csv", "trace.json"})
        {
            const std::string a = ReadFile(first + "/" + file);
            NS_TEST_ASSERT_MSG_GT(a.size(), 100, file << " was written");
            NS_TEST_ASSERT_MSG_EQ((a == ReadFile(second + "/" + file)),
                                  true,
                                  file << " differs between two runs with the same seed and run");
        }
        NS_TEST_ASSERT_MSG_EQ((ReadFile(first + "/tasks.csv") == ReadFile(other + "/tasks.csv")),
                              false,
                              "another run number must change fading and so the task times");
    }
};

/**
 * \ingroup edge-llm-tests
 * The runtime refuses graphs it cannot execute honestly, with clear messages.
 */
class GraphCheckTestCase : public TestCase
{
  public:
    GraphCheckTestCase()
        : TestCase("execution rejects cycles, unknown devices, remote dependencies and a wrong "
                   "node count")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<TaskGraphExecution> execution = CreateObject<TaskGraphExecution>();
        std::vector<Ptr<EdgeLlmApplication>> apps;
        for (uint32_t i = 0; i < 3; ++i)
        {
            apps.push_back(CreateObject<EdgeDeviceApplication>());
        }
        execution->SetApplications(apps);

        ComputeTask compute;
        compute.duration = MilliSeconds(1);

        TaskGraph cycle(3);
        compute.device = 0;
        compute.label = "a";
        uint32_t a = cycle.AddCompute(compute);
        compute.label = "b";
        uint32_t b = cycle.AddCompute(compute, {a});
        cycle.AddDependency(b, a);
        std::string problem = execution->CheckGraph(cycle);
        NS_TEST_ASSERT_MSG_NE(problem.find("task graph has a cycle"),
                              std::string::npos,
                              "cycle: " << problem);

        TaskGraph unknown(3);
        compute.device = 7;
        compute.label = "far";
        unknown.AddCompute(compute);
        problem = execution->CheckGraph(unknown);
        NS_TEST_ASSERT_MSG_NE(problem.find("device=7 is not in the fleet"),
                              std::string::npos,
                              "unknown device: " << problem);

        TaskGraph remote(3);
        compute.device = 0;
        compute.label = "here";
        uint32_t here = remote.AddCompute(compute);
        compute.device = 1;
        compute.label = "there";
        remote.AddCompute(compute, {here});
        problem = execution->CheckGraph(remote);
        NS_TEST_ASSERT_MSG_NE(problem.find("is remote"),
                              std::string::npos,
                              "remote dependency: " << problem);

        TaskGraph wrongSize(5);
        problem = execution->CheckGraph(wrongSize);
        NS_TEST_ASSERT_MSG_EQ(problem,
                              "task graph has deviceCount=5 but the run has 3 nodes; they must be "
                              "equal",
                              "node count");

        TaskGraph noModel(3);
        ComputeTask modelled;
        modelled.device = 0;
        modelled.flops = 1e9;
        noModel.AddCompute(modelled);
        problem = execution->CheckGraph(noModel);
        NS_TEST_ASSERT_MSG_NE(problem.find("no ComputeModel"),
                              std::string::npos,
                              "compute model missing: " << problem);
        execution->Dispose();
    }
};

/// What one run of the partition test observed.
struct PartitionObservation
{
    std::map<uint32_t, Time> started;                   //!< task -> TaskStarted time
    std::map<uint32_t, std::pair<Time, Time>> finished; //!< task -> TaskFinished (start, end)
    bool partitioned{false};                            //!< the execution's IsPartitioned
    uint32_t completedIterations{0};                    //!< the server's count
};

void
OnPartitionTaskStarted(PartitionObservation* observation,
                       uint32_t iteration,
                       uint32_t taskId,
                       Time start)
{
    observation->started[taskId] = start;
}

void
OnPartitionTaskFinished(PartitionObservation* observation,
                        uint32_t iteration,
                        uint32_t taskId,
                        Time start,
                        Time end)
{
    observation->finished[taskId] = {start, end};
}

/**
 * \ingroup edge-llm-tests
 * One rank's part of a distributed run (ns-3's MPI simulator), stood in for by one process
 * whose node 2 has system id 1: the rank runs the tasks of its own nodes and the transfers they
 * send, sees only the transfers into its nodes end, and counts the iteration over when its own
 * part is; each of its tasks starts and ends when it does in the run where every node is local.
 * (scripts/check-mpi.sh runs real ranks and compares the merged result with one rank's.)
 */
class PartitionedExecutionTestCase : public TestCase
{
  public:
    PartitionedExecutionTestCase()
        : TestCase("a rank of a distributed run executes and observes only its own nodes' part, "
                   "at the times of the whole run")
    {
    }

  private:
    /// Run the graph with node 2 on rank \p remoteRank (0: every node local).
    static PartitionObservation Run(uint32_t remoteRank)
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        EdgeNetworkHelper::ConfigureTcpDefaults();
        EdgeNetworkHelper helper;
        helper.SetNetwork("p2p");
        NodeContainer devices;
        devices.Add(CreateObject<Node>(0));
        devices.Add(CreateObject<Node>(0));
        devices.Add(CreateObject<Node>(remoteRank));
        Ptr<EdgeNetwork> network = helper.Install(devices, CreateObject<Node>(0));
        helper.AssignStreams(network, 100);

        // A on 0 -> B 0->1 -> C on 1 -> D 1->2 -> E on 2; F on 2 from the start
        Ptr<TaskGraph> graph = Create<TaskGraph>(4);
        ComputeTask compute;
        compute.duration = MilliSeconds(2);
        compute.device = 0;
        compute.label = "A";
        const uint32_t a = graph->AddCompute(compute);
        TransferTask transfer;
        transfer.bytes = 200000;
        transfer.source = 0;
        transfer.destination = 1;
        transfer.label = "B";
        const uint32_t b = graph->AddTransfer(transfer, {a});
        compute.device = 1;
        compute.label = "C";
        const uint32_t c = graph->AddCompute(compute, {b});
        transfer.source = 1;
        transfer.destination = 2;
        transfer.label = "D";
        const uint32_t d = graph->AddTransfer(transfer, {c});
        compute.device = 2;
        compute.label = "E";
        graph->AddCompute(compute, {d});
        compute.label = "F";
        graph->AddCompute(compute);

        PartitionObservation observation;
        FixedGraphRunSettings run;
        run.beforeRun = [&observation](EdgeLlmRuntimeHelper& runtime, ApplicationContainer&) {
            runtime.GetExecution()->TraceConnectWithoutContext(
                "TaskStarted",
                MakeBoundCallback(&OnPartitionTaskStarted, &observation));
            runtime.GetExecution()->TraceConnectWithoutContext(
                "TaskFinished",
                MakeBoundCallback(&OnPartitionTaskFinished, &observation));
        };
        run.afterRun = [&observation](EdgeLlmRuntimeHelper& runtime, ApplicationContainer&) {
            observation.partitioned = runtime.GetExecution()->IsPartitioned();
        };
        observation.completedIterations = RunFixedGraph(graph, network, run).completedIterations;
        return observation;
    }

    void DoRun() override
    {
        const PartitionObservation whole = Run(0);
        const PartitionObservation part = Run(1);
        NS_TEST_ASSERT_MSG_EQ(whole.partitioned, false, "every node local");
        NS_TEST_ASSERT_MSG_EQ(part.partitioned, true, "node 2 on rank 1");
        NS_TEST_ASSERT_MSG_EQ(whole.finished.size(), 6, "the whole run ends every task");
        NS_TEST_ASSERT_MSG_EQ(whole.completedIterations, 1, "the whole run's iteration");
        NS_TEST_ASSERT_MSG_EQ(part.completedIterations, 1, "this rank's part is over");
        // started here: A, B, C and D (sent from node 1), not E or F (node 2's)
        NS_TEST_ASSERT_MSG_EQ(part.started.size(), 4, "tasks started on rank 0");
        NS_TEST_ASSERT_MSG_EQ(part.started.count(3), 1, "D is sent from rank 0");
        NS_TEST_ASSERT_MSG_EQ(part.started.count(4) + part.started.count(5), 0, "node 2's tasks");
        // ended here: A, B and C; D ends on node 2's rank
        NS_TEST_ASSERT_MSG_EQ(part.finished.size(), 3, "tasks ended on rank 0");
        NS_TEST_ASSERT_MSG_EQ(part.finished.count(3), 0, "D ends on rank 1");
        for (const auto& [task, time] : part.started)
        {
            NS_TEST_ASSERT_MSG_EQ(time, whole.started.at(task), "task " << task << "'s start");
        }
        for (const auto& [task, times] : part.finished)
        {
            NS_TEST_ASSERT_MSG_EQ(times.second,
                                  whole.finished.at(task).second,
                                  "task " << task << "'s end");
        }
        NS_TEST_ASSERT_MSG_GT(whole.finished.at(3).second,
                              whole.finished.at(2).second,
                              "D ends after C in the whole run");

        // the ranks' records merged (DistributedRoundReport), by hand: task 0 computes on node
        // 0 from 5 to 9 ns; task 1 sends 300 bytes to node 1, from 9 ns on rank 0 to 40 ns on
        // rank 1
        Ptr<TaskGraph> graph = Create<TaskGraph>(2);
        ComputeTask compute;
        compute.duration = NanoSeconds(4);
        const uint32_t a = graph->AddCompute(compute);
        TransferTask transfer;
        transfer.bytes = 300;
        transfer.destination = 1;
        graph->AddTransfer(transfer, {a});
        const std::string dir = CreateTempDirFilename("distributed-round");
        std::filesystem::create_directories(dir);
        std::ostringstream line;
        NS_TEST_ASSERT_MSG_EQ(
            DistributedRoundReport::Write(dir, *graph, {0, 5, 1, 9}, {0, 9, 1, 40}, line),
            "",
            "merged");
        NS_TEST_EXPECT_MSG_EQ(ReadFile(dir + "/tasks.csv"),
                              "task,kind,node,peer,bytes,start_ns,end_ns\n"
                              "0,compute,0,,0,5,9\n1,transfer,0,1,300,9,40\n",
                              "tasks.csv");
        NS_TEST_EXPECT_MSG_EQ(ReadFile(dir + "/summary.csv"),
                              "tasks,transfers,bytes,first_start_ns,last_end_ns,round_s\n"
                              "2,1,300,5,40,3.5e-08\n",
                              "summary.csv");
        NS_TEST_EXPECT_MSG_EQ(
            DistributedRoundReport::Write(dir, *graph, {0, 5, 1, 9, 1, 9}, {0, 9, 1, 40}, line),
            "task 1 was recorded by two ranks",
            "a task started on two ranks");
        NS_TEST_EXPECT_MSG_NE(DistributedRoundReport::Write(dir, *graph, {0, 5, 1, 9}, {0, 9}, line)
                                  .find("has no end on any rank"),
                              std::string::npos,
                              "a task that ended nowhere");
    }
};

/**
 * \ingroup edge-llm-tests
 * The runtime's suite.
 */
class EdgeLlmRuntimeTestSuite : public TestSuite
{
  public:
    EdgeLlmRuntimeTestSuite()
        : TestSuite("edge-llm-runtime", SYSTEM)
    {
        AddTestCase(new GraphCheckTestCase);
        AddTestCase(new ExactBytesTestCase(0.0));
        AddTestCase(new ExactBytesTestCase(0.01));
        AddTestCase(new PatternOrderTestCase);
        AddTestCase(new CriticalPathTestCase(PipelineSchedule::GPIPE));
        AddTestCase(new CriticalPathTestCase(PipelineSchedule::ONE_F_ONE_B));
        AddTestCase(new DeterminismTestCase);
        AddTestCase(new PartitionedExecutionTestCase);
    }
};

/// The suite's instance.
static EdgeLlmRuntimeTestSuite g_edgeLlmRuntimeTestSuite;
