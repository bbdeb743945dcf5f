/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Devices that leave, lose their link or run out of battery during a run: the fleet forgets
 * them, the flow level suspends and resumes their flows, the server's heartbeat detector notices
 * them (no oracle), and the round loop re-plans and restarts the round with every sample
 * accounted for.
 */

#include "edge-llm-test-utils.h"

#include "ns3/collapipe-strategy.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/even-split-scheduler.h"
#include "ns3/fault-injector.h"
#include "ns3/plain-fl-strategy.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/round-controller.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"
#include "ns3/string.h"
#include "ns3/study-helper.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

namespace ns3
{
namespace edgellm
{

namespace
{

/// One cluster of three devices and a control unit, or plain FL's three clients.
Fleet
MakeFleet()
{
    const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    Fleet fleet;
    fleet.AddGroup({catalog.Get("jetson-agx-orin"),
                    catalog.Get("jetson-xavier-nx"),
                    catalog.Get("jetson-agx-orin")},
                   catalog.Get("laptop-rtx-3060"));
    fleet.SetServer(catalog.Get("edge-server-a100"));
    return fleet;
}

/// BERT-base with LoRA (FedAvg moves little; the pipeline's activations dominate), batch 8.
Workload
MakeWorkload()
{
    Workload workload;
    workload.spec = TransformerSpec::GetPreset("bert-base");
    workload.recipe.kind = RecipeKind::LORA;
    workload.batchSize = 8;
    return workload;
}

/// A study of \p rounds rounds on \p network at \p fidelity, writing under \p name.
StudyHelper
MakeStudy(const std::string& network,
          const std::string& fidelity,
          uint32_t rounds,
          const std::string& name)
{
    StudyHelper study;
    study.GetNetworkHelper().SetNetwork(network);
    study.SetFleet(MakeFleet());
    study.SetWorkload(MakeWorkload());
    study.SetFidelity(fidelity);
    study.SetRounds(rounds);
    study.SetOutputDirectory(name);
    return study;
}

/// CollaPipe with an even split (the re-partition is then known: the devices left share it)
Ptr<Strategy>
MakeCollaPipe()
{
    Ptr<CollaPipeStrategy> strategy = CreateObject<CollaPipeStrategy>();
    strategy->SetScheduler(CreateObject<EvenSplitScheduler>());
    strategy->SetAttribute("LocalIterations", UintegerValue(2));
    return strategy;
}

/// the file's contents
std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// start and length (s) of the earliest transfer \p node sends in a run's tasks.csv
/// (task_id,iteration,type,kind,device,...,start_s,end_s,duration_s,...)
std::pair<double, double>
FirstTransferFrom(const std::string& tasksCsv, uint32_t node)
{
    std::pair<double, double> first{1e300, 0.0};
    for (const auto& fields : ReadCsvRows(tasksCsv))
    {
        if (fields.size() > 12 && fields[2] == "transfer" && std::stoul(fields[4]) == node &&
            std::stod(fields[10]) < first.first)
        {
            first = {std::stod(fields[10]), std::stod(fields[12])};
        }
    }
    return first;
}

/// the [start, end] (s) of every compute task \p node ran, from a run's tasks.csv
std::vector<std::pair<double, double>>
ComputeIntervals(const std::string& tasksCsv, uint32_t node)
{
    std::vector<std::pair<double, double>> intervals;
    for (const auto& fields : ReadCsvRows(tasksCsv))
    {
        if (fields.size() > 12 && fields[2] == "compute" && std::stoul(fields[4]) == node)
        {
            intervals.emplace_back(std::stod(fields[10]), std::stod(fields[11]));
        }
    }
    return intervals;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief A fleet forgets a device that left: its groups list the others, node indices stay.
 */
class FleetDepartureTestCase : public TestCase
{
  public:
    FleetDepartureTestCase()
        : TestCase("a fleet forgets a device that left; node indices stay")
    {
    }

  private:
    void DoRun() override
    {
        const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        Fleet fleet;
        fleet.AddGroup({catalog.Get("jetson-tx2"), catalog.Get("jetson-nano")},
                       catalog.Get("laptop-rtx-3060"));
        fleet.AddGroup({catalog.Get("jetson-agx-orin"), catalog.Get("jetson-xavier-nx")},
                       catalog.Get("laptop-rtx-3060"));
        fleet.SetServer(catalog.Get("edge-server-a100"));
        // devices 0..3, control units 4 and 5, server 6
        NS_TEST_ASSERT_MSG_EQ(fleet.MarkDeparted(2), "", "a device may leave");
        NS_TEST_EXPECT_MSG_EQ(fleet.GetGroupSize(1), 1u, "its group lists one device");
        NS_TEST_EXPECT_MSG_EQ(fleet.GetDeviceNode(1, 0), 3u, "the one left keeps node 3");
        NS_TEST_EXPECT_MSG_EQ(fleet.GetGroupSize(0), 2u, "the other group is whole");
        NS_TEST_EXPECT_MSG_EQ(fleet.GetDeviceCount(), 4u, "the node layout stays");
        NS_TEST_EXPECT_MSG_EQ(fleet.GetControlUnitNode(1), 5u, "control units keep their nodes");
        NS_TEST_EXPECT_MSG_EQ(fleet.GetServerNode(), 6u, "so does the server");
        NS_TEST_EXPECT_MSG_EQ(fleet.HasDeparted(2), true, "departed");
        NS_TEST_EXPECT_MSG_EQ(fleet.Validate(), "", "still usable");
        NS_TEST_EXPECT_MSG_NE(fleet.MarkDeparted(4), "", "a control unit cannot leave");
        NS_TEST_EXPECT_MSG_NE(fleet.MarkDeparted(6), "", "nor the server");
        NS_TEST_ASSERT_MSG_EQ(fleet.MarkDeparted(3), "", "the last device of group 1");
        NS_TEST_EXPECT_MSG_EQ(fleet.Validate(),
                              "fleet: every device of group 1 has left",
                              "an empty group is refused");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief A device leaves in the middle of a pipeline round: the server notices its silence
 * after the timeout, the round restarts re-planned over the devices left and completes, with
 * every sample of the round trained exactly once (CollaPipe: the cluster's data stays on its
 * control unit), at the packet level; the same seed gives the same files, byte for byte.
 */
class LeaveMidPipelineTestCase : public TestCase
{
  public:
    LeaveMidPipelineTestCase(const std::string& network, const std::string& fidelity)
        : TestCase("a device leaving mid-pipeline on " + network + " at " + fidelity +
                   " level: detected, re-planned, every sample trained once"),
          m_network(network),
          m_fidelity(fidelity)
    {
    }

  private:
    void DoRun() override
    {
        const std::string base = CreateTempDirFilename("leave-" + m_network + "-" + m_fidelity);
        // the round without a fault, to place the fault in its middle
        std::vector<RoundRecord> clean;
        StudyHelper reference = MakeStudy(m_network, m_fidelity, 1, base + "/clean");
        NS_TEST_ASSERT_MSG_EQ(reference.Run("clean", MakeCollaPipe(), clean), "", "clean run");
        NS_TEST_ASSERT_MSG_EQ(clean.size(), 1u, "one round");
        const double roundSeconds = clean[0].latencySeconds;
        NS_TEST_ASSERT_MSG_GT(clean[0].samplesPlanned, 0u, "the graph numbers its samples");
        NS_TEST_EXPECT_MSG_EQ(clean[0].samplesPlanned,
                              uint64_t{8} * 2,
                              "B x E samples in one cluster's round");
        NS_TEST_EXPECT_MSG_EQ(clean[0].samplesDropped, 0u, "none dropped without a fault");

        const Time heartbeat = MilliSeconds(100);
        const Time timeout = MilliSeconds(500);
        FaultEvent leave;
        leave.kind = FaultEvent::LEAVE;
        leave.node = 1;
        leave.at = Seconds(0.4 * roundSeconds);
        std::vector<std::string> rounds;
        for (uint32_t repeat = 0; repeat < 2; ++repeat)
        {
            const std::string dir = base + "/faulty" + std::to_string(repeat);
            StudyHelper study = MakeStudy(m_network, m_fidelity, 2, dir);
            study.SetFaults({leave}, {}, heartbeat, timeout);
            std::vector<RoundRecord> records;
            NS_TEST_ASSERT_MSG_EQ(study.Run("leave", MakeCollaPipe(), records), "", "run");
            NS_TEST_ASSERT_MSG_EQ(records.size(), 2u, "both rounds completed");
            const RoundRecord& hit = records[0];
            NS_TEST_ASSERT_MSG_EQ(hit.failedNodes.size(), 1u, "one device lost");
            NS_TEST_EXPECT_MSG_EQ(hit.failedNodes[0], 1u, "the one that left");
            // detected between timeout - heartbeat and timeout after it left (no oracle); at
            // the packet level a heartbeat waits in the station's Wi-Fi queue behind its TCP
            // segments, so the last one heard may be older (up to 0.2 s here)
            const double since = hit.lostSeconds - leave.at.GetSeconds();
            const double queueing = m_fidelity == "packet" ? 0.2 : 0.0;
            NS_TEST_EXPECT_MSG_GT_OR_EQ(since,
                                        (timeout - heartbeat).GetSeconds() - queueing - 1e-9,
                                        "not detected before the timeout");
            NS_TEST_EXPECT_MSG_LT_OR_EQ(since,
                                        timeout.GetSeconds() + 0.05,
                                        "detected within the timeout (and a heartbeat's trip)");
            NS_TEST_EXPECT_MSG_GT(hit.latencySeconds,
                                  hit.lostSeconds,
                                  "the round completed after its restart");
            // every sample of the round trained once; none dropped (the data is on the control
            // unit), the restarted round re-planned over the two devices left
            NS_TEST_EXPECT_MSG_EQ(hit.samplesPlanned, uint64_t{8} * 2, "planned");
            NS_TEST_EXPECT_MSG_EQ(hit.samplesDropped, 0u, "none dropped");
            NS_TEST_EXPECT_MSG_EQ(hit.devices[1].blocks, 0u, "the lost device holds no block");
            NS_TEST_EXPECT_MSG_EQ(hit.devices[0].blocks + hit.devices[2].blocks,
                                  12u,
                                  "the two left hold the whole encoder");
            NS_TEST_EXPECT_MSG_GT(hit.bytesLost, 0u, "bytes were in flight at the abandon");
            const RoundRecord& next = records[1];
            NS_TEST_EXPECT_MSG_EQ(next.failedNodes.size(), 0u, "no failure in round 1");
            NS_TEST_EXPECT_MSG_EQ(next.devices[1].blocks, 0u, "still planned without it");
            NS_TEST_EXPECT_MSG_EQ(next.samplesDropped, 0u, "round 1 trains its samples");
            // the faults log says when it left
            const auto& log = study.GetLastFaultLog();
            NS_TEST_ASSERT_MSG_EQ(log.size(), 1u, "one fault");
            NS_TEST_EXPECT_MSG_EQ(log[0].what, "leave", "a departure");
            NS_TEST_EXPECT_MSG_EQ_TOL(log[0].seconds,
                                      leave.at.GetSeconds(),
                                      1e-9,
                                      "when scheduled");
            rounds.push_back(ReadFile(dir + "/leave/tasks.csv") +
                             ReadFile(dir + "/leave/faults.csv"));
            std::ostringstream summary;
            for (const RoundRecord& r : records)
            {
                summary << r.latencySeconds << ' ' << r.bytes << ' ' << r.lostSeconds << ' '
                        << r.bytesLost << ' ' << r.bytesDiscarded << '\n';
            }
            rounds.back() += summary.str();
        }
        NS_TEST_EXPECT_MSG_EQ((rounds[0] == rounds[1]), true, "same seed, same bytes");
    }

    std::string m_network;  //!< network kind
    std::string m_fidelity; //!< fidelity
};

/**
 * \ingroup edge-llm-tests
 * \brief Plain FL drops the client that left: its shard is reported dropped, with the reason,
 * and the other clients' samples are trained once.
 */
class PlainFlDropTestCase : public TestCase
{
  public:
    PlainFlDropTestCase()
        : TestCase("plain FL drops a client that left; its shard is reported dropped")
    {
    }

  private:
    void DoRun() override
    {
        const std::string base = CreateTempDirFilename("plain-fl-drop");
        Ptr<PlainFlStrategy> reference = CreateObject<PlainFlStrategy>();
        std::vector<RoundRecord> clean;
        StudyHelper cleanStudy = MakeStudy("ofdma", "flow", 1, base + "/clean");
        NS_TEST_ASSERT_MSG_EQ(cleanStudy.Run("clean", reference, clean), "", "clean run");
        const uint64_t planned = clean[0].samplesPlanned;
        NS_TEST_ASSERT_MSG_EQ(planned % 3, 0u, "three equal shards");

        FaultEvent leave;
        leave.kind = FaultEvent::LEAVE;
        leave.node = 2;
        leave.at = Seconds(0.5 * clean[0].latencySeconds);
        StudyHelper study = MakeStudy("ofdma", "flow", 2, base + "/faulty");
        study.SetFaults({leave}, {}, MilliSeconds(100), MilliSeconds(400));
        std::vector<RoundRecord> records;
        NS_TEST_ASSERT_MSG_EQ(study.Run("fl", CreateObject<PlainFlStrategy>(), records), "", "run");
        NS_TEST_ASSERT_MSG_EQ(records.size(), 2u, "both rounds");
        NS_TEST_EXPECT_MSG_EQ(records[0].samplesPlanned, planned, "the round's first plan");
        NS_TEST_EXPECT_MSG_EQ(records[0].samplesDropped, planned / 3, "the client's shard");
        NS_TEST_EXPECT_MSG_EQ(records[0].dropReason, "the shards of lost node(s) 2", "why");
        NS_TEST_EXPECT_MSG_EQ(records[1].samplesPlanned,
                              planned / 3 * 2,
                              "round 1 plans the two clients left");
        NS_TEST_EXPECT_MSG_EQ(records[1].samplesDropped, 0u, "and trains them");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief A link outage shorter than the failure timeout delays the round and re-plans nothing;
 * a longer one is taken for a failure.
 */
class OutageTestCase : public TestCase
{
  public:
    OutageTestCase(const std::string& network, const std::string& fidelity)
        : TestCase("a link outage on " + network + " at " + fidelity +
                   " level: shorter than the timeout, no re-plan; longer, a failure"),
          m_network(network),
          m_fidelity(fidelity)
    {
    }

  private:
    void DoRun() override
    {
        const std::string base = CreateTempDirFilename("outage-" + m_network + "-" + m_fidelity);
        // the same run without the outage (heartbeats on: the same traffic)
        const Time heartbeat = MilliSeconds(100);
        const Time timeout = MilliSeconds(800);
        std::vector<RoundRecord> clean;
        StudyHelper reference = MakeStudy(m_network, m_fidelity, 1, base + "/clean");
        reference.SetFaults({}, {}, heartbeat, timeout);
        NS_TEST_ASSERT_MSG_EQ(reference.Run("clean", MakeCollaPipe(), clean), "", "clean run");
        const double roundSeconds = clean[0].latencySeconds;
        // the outage hits the first activation device 0 sends (the pipeline waits for it)
        const auto [start, length] = FirstTransferFrom(base + "/clean/clean/tasks.csv", 0);
        NS_TEST_ASSERT_MSG_GT(length, 0.0, "device 0 sends");

        FaultEvent outage;
        outage.kind = FaultEvent::OUTAGE;
        outage.node = 0;
        outage.at = Seconds(start + 0.1 * length);
        outage.duration = MilliSeconds(300);
        StudyHelper shortStudy = MakeStudy(m_network, m_fidelity, 1, base + "/short");
        shortStudy.SetFaults({outage}, {}, heartbeat, timeout);
        std::vector<RoundRecord> records;
        NS_TEST_ASSERT_MSG_EQ(shortStudy.Run("short", MakeCollaPipe(), records), "", "run");
        NS_TEST_ASSERT_MSG_EQ(records.size(), 1u, "the round completed");
        NS_TEST_EXPECT_MSG_EQ(records[0].failedNodes.size(), 0u, "no failure declared");
        NS_TEST_EXPECT_MSG_EQ(records[0].samplesDropped, 0u, "nothing dropped");
        NS_TEST_EXPECT_MSG_EQ(records[0].devices[0].blocks,
                              clean[0].devices[0].blocks,
                              "the plan kept the device");
        // the activation waited out the outage (at the packet level, and TCP's retransmission
        // timeout after it)
        NS_TEST_EXPECT_MSG_GT(records[0].latencySeconds,
                              roundSeconds + (m_fidelity == "packet" ? 0.3 : 0.0),
                              "the outage delayed the round");
        const auto& log = shortStudy.GetLastFaultLog();
        NS_TEST_ASSERT_MSG_EQ(log.size(), 2u, "down and back");
        NS_TEST_EXPECT_MSG_EQ(log[1].what, "back", "it came back");
        NS_TEST_EXPECT_MSG_EQ_TOL(log[1].seconds - log[0].seconds, 0.3, 1e-9, "after 300 ms");
        if (m_fidelity == "flow")
        {
            // the flow level resumes the suspended flows where they stopped: at most the
            // outage's length is added
            NS_TEST_EXPECT_MSG_LT_OR_EQ(records[0].latencySeconds,
                                        roundSeconds + 0.3 + 1e-6,
                                        "at most the outage added");
        }

        outage.duration = Seconds(3);
        StudyHelper longStudy = MakeStudy(m_network, m_fidelity, 1, base + "/long");
        longStudy.SetFaults({outage}, {}, heartbeat, timeout);
        records.clear();
        NS_TEST_ASSERT_MSG_EQ(longStudy.Run("long", MakeCollaPipe(), records), "", "run");
        NS_TEST_ASSERT_MSG_EQ(records.size(), 1u, "the round completed");
        NS_TEST_ASSERT_MSG_EQ(records[0].failedNodes.size(), 1u, "taken for a failure");
        NS_TEST_EXPECT_MSG_EQ(records[0].failedNodes[0], 0u, "the silent device");
        NS_TEST_EXPECT_MSG_EQ(records[0].devices[0].blocks, 0u, "re-planned without it");
    }

    std::string m_network;  //!< network kind
    std::string m_fidelity; //!< fidelity
};

/**
 * \ingroup edge-llm-tests
 * \brief A device's battery (an ns-3 BasicEnergySource fed by its compute) empties: the node
 * stops when its compute energy reaches the battery's, the server detects it, the run goes on.
 */
class BatteryDepletionTestCase : public TestCase
{
  public:
    BatteryDepletionTestCase()
        : TestCase("a depleted battery stops its node when its energy is spent; detected")
    {
    }

  private:
    void DoRun() override
    {
        const std::string base = CreateTempDirFilename("battery");
        const Fleet fleet = MakeFleet();
        // The battery holds 60% of what node 2 draws idle over round 0. Its draw, by hand:
        // idle power from time 0, plus busy - idle power while it computes (the clean run's
        // compute tasks on node 2, which the faulty run repeats until the node stops: at the
        // flow level heartbeats take no bandwidth).
        std::vector<RoundRecord> clean;
        StudyHelper reference = MakeStudy("ofdma", "flow", 3, base + "/clean");
        NS_TEST_ASSERT_MSG_EQ(reference.Run("clean", MakeCollaPipe(), clean), "", "clean run");
        const DeviceProfile& profile = fleet.GetProfile(2);
        const double battery = 0.6 * profile.GetIdlePower() * clean[0].latencySeconds;
        const auto busy = ComputeIntervals(base + "/clean/clean/tasks.csv", 2);
        auto drawnBy = [&](double t) {
            double busySeconds = 0;
            for (const auto& [start, end] : busy)
            {
                busySeconds += std::max(0.0, std::min(end, t) - start);
            }
            return profile.GetIdlePower() * t +
                   (profile.GetBusyPower() - profile.GetIdlePower()) * busySeconds;
        };
        double low = 0;
        double high = battery / profile.GetIdlePower(); // all idle: the latest it can empty
        for (int i = 0; i < 100; ++i)
        {
            const double mid = 0.5 * (low + high);
            (drawnBy(mid) < battery ? low : high) = mid;
        }
        const double empty = high;

        StudyHelper study = MakeStudy("ofdma", "flow", 3, base + "/faulty");
        std::vector<double> batteries(fleet.GetDeviceCount(), 0.0);
        batteries[2] = battery;
        study.SetFaults({}, batteries, MilliSeconds(100), MilliSeconds(500));
        std::vector<RoundRecord> records;
        NS_TEST_ASSERT_MSG_EQ(study.Run("battery", MakeCollaPipe(), records), "", "run");
        const auto& log = study.GetLastFaultLog();
        NS_TEST_ASSERT_MSG_EQ(log.size(), 1u, "one fault");
        NS_TEST_EXPECT_MSG_EQ(log[0].what, "battery", "a battery ran out");
        NS_TEST_EXPECT_MSG_EQ(log[0].node, 2u, "node 2's");
        // when its energy was spent, within the source's update interval (10 ms)
        NS_TEST_EXPECT_MSG_GT_OR_EQ(log[0].seconds, empty - 1e-6, "not before it is spent");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(log[0].seconds, empty + 0.010 + 1e-6, "nor 10 ms after");
        NS_TEST_ASSERT_MSG_EQ(records.size(), 3u, "the run went on");
        uint32_t detected = 0;
        for (const RoundRecord& r : records)
        {
            detected += std::count(r.failedNodes.begin(), r.failedNodes.end(), 2u);
        }
        NS_TEST_EXPECT_MSG_EQ(detected, 1u, "detected once");
        NS_TEST_EXPECT_MSG_EQ(records.back().devices[2].blocks, 0u, "planned without it");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The faults a scenario or a churn trace can describe, and the bad ones.
 */
class ChurnTraceTestCase : public TestCase
{
  public:
    ChurnTraceTestCase()
        : TestCase("churn traces: read row by row; bad rows named")
    {
    }

  private:
    void DoRun() override
    {
        const std::string path = CreateTempDirFilename("churn.csv");
        {
            std::ofstream out(path);
            out << "time_s,node,event,duration_s\n1.5,2,leave,\n# a comment\n0.25,1,outage,0.5\n";
        }
        std::vector<FaultEvent> events;
        NS_TEST_ASSERT_MSG_EQ(FaultInjector::LoadChurnTrace(path, events), "", "read");
        NS_TEST_ASSERT_MSG_EQ(events.size(), 2u, "two faults");
        NS_TEST_EXPECT_MSG_EQ(events[0].kind, FaultEvent::LEAVE, "leave");
        NS_TEST_EXPECT_MSG_EQ(events[0].node, 2u, "node 2");
        NS_TEST_EXPECT_MSG_EQ(events[0].at, Seconds(1.5), "at 1.5 s");
        NS_TEST_EXPECT_MSG_EQ(events[1].kind, FaultEvent::OUTAGE, "outage");
        NS_TEST_EXPECT_MSG_EQ(events[1].duration, Seconds(0.5), "for 0.5 s");
        NS_TEST_EXPECT_MSG_EQ(FaultInjector::CheckEvent(events[0], 3), "", "node 2 of 3");
        NS_TEST_EXPECT_MSG_EQ(FaultInjector::CheckEvent(events[0], 2),
                              "node=2 cannot fail: only group devices fail, nodes 0..1",
                              "node 2 of 2");
        FaultEvent zero = events[1];
        zero.duration = Seconds(0);
        NS_TEST_EXPECT_MSG_EQ(FaultInjector::CheckEvent(zero, 3),
                              "duration=0 is invalid: an outage lasts > 0 seconds",
                              "an outage without a length");
        {
            std::ofstream out(path);
            out << "time_s,node,event,duration_s\n1.5,2,explode,\n";
        }
        events.clear();
        NS_TEST_EXPECT_MSG_EQ(FaultInjector::LoadChurnTrace(path, events),
                              "churnTrace='" + path +
                                  "' line 2: event='explode' is invalid: allowed: leave, outage",
                              "a bad event named");
        {
            std::ofstream out(path);
            out << "time_s,node,event,duration_s\n1.5,-2,leave,\n";
        }
        NS_TEST_EXPECT_MSG_NE(FaultInjector::LoadChurnTrace(path, events), "", "negative node");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Resuming from the last checkpointed local iteration recovers faster than restarting
 * the round (CollaPipe, E = 4 local iterations, a device lost in the fourth): the resumed
 * attempt runs only what was not checkpointed, and every sample is trained once either way.
 */
class ResumeAgainstRestartTestCase : public TestCase
{
  public:
    /// \param network the network kind: "ofdma", or "wifi", whose planner times the round's
    ///        graph before the round runs (and must leave the resume point to the round)
    explicit ResumeAgainstRestartTestCase(const std::string& network)
        : TestCase("resuming from a checkpoint recovers faster than restarting the round (" +
                   network + ")"),
          m_network(network)
    {
    }

  private:
    /// one round of CollaPipe (even split, E = 4) with \p recovery, and \p faults
    std::vector<RoundRecord> RunOnce(const std::string& recovery,
                                     const std::vector<FaultEvent>& faults,
                                     const std::string& name)
    {
        StudyHelper study = MakeStudy(m_network, "flow", 2, CreateTempDirFilename(name));
        if (!faults.empty())
        {
            study.SetFaults(faults, {}, MilliSeconds(100), MilliSeconds(400));
        }
        Ptr<Strategy> strategy = MakeCollaPipe();
        strategy->SetAttribute("LocalIterations", UintegerValue(4));
        strategy->SetAttribute("Recovery", StringValue(recovery));
        std::vector<RoundRecord> records;
        const std::string problem = study.Run(name, strategy, records);
        NS_TEST_EXPECT_MSG_EQ(problem, "", "run " << name);
        return records;
    }

    void DoRun() override
    {
        const auto restartClean = RunOnce("restart", {}, "restart-clean");
        const auto resumeClean = RunOnce("resume", {}, "resume-clean");
        NS_TEST_ASSERT_MSG_EQ(restartClean.size(), 2u, "clean rounds");
        NS_TEST_ASSERT_MSG_EQ(resumeClean.size(), 2u, "clean rounds, checkpointing");
        // checkpoints cost bytes: every device's LoRA state after iterations 0, 1 and 2
        NS_TEST_EXPECT_MSG_GT(resumeClean[0].bytes, restartClean[0].bytes, "checkpoint bytes");
        const double overhead = resumeClean[0].latencySeconds / restartClean[0].latencySeconds;
        NS_TEST_EXPECT_MSG_GT_OR_EQ(overhead, 1.0, "checkpoints take time, or none");

        // device 1 is lost in the fourth local iteration
        FaultEvent leave;
        leave.kind = FaultEvent::LEAVE;
        leave.node = 1;
        leave.at = Seconds(0.85 * resumeClean[0].latencySeconds);
        const auto restart = RunOnce("restart", {leave}, "restart");
        const auto resume = RunOnce("resume", {leave}, "resume");
        NS_TEST_ASSERT_MSG_EQ(restart.size(), 2u, "restart: both rounds");
        NS_TEST_ASSERT_MSG_EQ(resume.size(), 2u, "resume: both rounds");
        for (const auto* records : {&restart, &resume})
        {
            NS_TEST_EXPECT_MSG_EQ((*records)[0].failedNodes.size(), 1u, "one device lost");
            NS_TEST_EXPECT_MSG_EQ((*records)[0].samplesPlanned, uint64_t{8} * 4, "B x E");
            NS_TEST_EXPECT_MSG_EQ((*records)[0].samplesDropped, 0u, "every sample trained once");
        }
        // recovery: from the fault to the round's end
        const double restartRecovery = restart[0].latencySeconds - leave.at.GetSeconds();
        const double resumeRecovery = resume[0].latencySeconds - leave.at.GetSeconds();
        // the restarted attempt is a whole round on the two devices left, which round 1 is
        NS_TEST_EXPECT_MSG_EQ_TOL(restart[0].latencySeconds - restart[0].lostSeconds,
                                  restart[1].latencySeconds,
                                  1e-6,
                                  "the restarted attempt is a whole round without the device");
        // the resumed one runs the fourth iteration only (after restoring the checkpoints):
        // less than half a round, more than a quarter of one without the checkpoints' cost
        const double resumed = resume[0].latencySeconds - resume[0].lostSeconds;
        NS_TEST_EXPECT_MSG_LT(resumed, 0.5 * resume[1].latencySeconds, "one iteration of four");
        NS_TEST_EXPECT_MSG_GT(resumed, 0.2 * restart[1].latencySeconds, "at least one iteration");
        NS_TEST_EXPECT_MSG_LT(resumeRecovery, restartRecovery, "resume recovers faster");
        std::cout << "edge-llm-dynamics: recovery after a device lost in iteration 4 of 4: "
                  << "restart " << restartRecovery << " s, resume " << resumeRecovery
                  << " s (ratio " << resumeRecovery / restartRecovery << "); checkpoints cost "
                  << (overhead - 1) * 100 << " % of a clean round\n";
    }

    std::string m_network; //!< the network kind
};

/**
 * \ingroup edge-llm-tests
 * \brief A cluster that loses its last device cannot be re-planned: the run stops with the
 * reason, and the rounds before the failure are kept.
 */
class UnrecoverableLossTestCase : public TestCase
{
  public:
    UnrecoverableLossTestCase()
        : TestCase("a cluster that loses its last device stops the run with the reason")
    {
    }

  private:
    void DoRun() override
    {
        const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        Fleet fleet;
        fleet.AddGroup({catalog.Get("jetson-agx-orin")}, catalog.Get("laptop-rtx-3060"));
        fleet.SetServer(catalog.Get("edge-server-a100"));
        StudyHelper study;
        study.GetNetworkHelper().SetNetwork("ofdma");
        study.SetFleet(fleet);
        study.SetWorkload(MakeWorkload());
        study.SetFidelity("flow");
        study.SetRounds(5);
        study.SetOutputDirectory(CreateTempDirFilename("unrecoverable"));
        std::vector<RoundRecord> clean;
        NS_TEST_ASSERT_MSG_EQ(study.Run("clean", MakeCollaPipe(), clean), "", "clean run");
        NS_TEST_ASSERT_MSG_EQ(clean.size(), 5u, "five rounds");
        // the device leaves in round 2
        FaultEvent leave;
        leave.kind = FaultEvent::LEAVE;
        leave.node = 0;
        leave.at = Seconds(2.5 * clean[0].latencySeconds);
        study.SetFaults({leave}, {}, MilliSeconds(100), MilliSeconds(400));
        std::vector<RoundRecord> records;
        const std::string problem = study.Run("faulty", MakeCollaPipe(), records);
        NS_TEST_EXPECT_MSG_EQ(problem,
                              "run 'faulty', round 2: node 0 was lost: fleet: every device of "
                              "group 0 has left",
                              "the reason");
        NS_TEST_EXPECT_MSG_EQ(records.size(), 2u, "rounds 0 and 1 kept");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The shipped churn scenario (scenarios/collapipe-churn.json): walking devices under
 * Jakes fading, a churn trace and batteries, run by the scenario runner. Each fault of the
 * trace and each battery that empties is detected once, in the round it happens, the short
 * outage is not, and every round trains all its samples; the plot marks the failures.
 */
class ChurnScenarioTestCase : public TestCase
{
  public:
    ChurnScenarioTestCase(const std::string& fidelity, uint32_t rounds)
        : TestCase("the churn scenario, " + std::to_string(rounds) + " rounds at " + fidelity +
                   " level: every fault detected once, every sample trained"),
          m_fidelity(fidelity),
          m_rounds(rounds)
    {
    }

  private:
    void DoRun() override
    {
        const std::string dir = CreateTempDirFilename("churn-" + m_fidelity);
        NS_TEST_ASSERT_MSG_EQ(
            RunShippedScenario("collapipe-churn.json", "dssda", m_rounds, m_fidelity, dir),
            "",
            "the DSSDA run");
        // rounds.csv: one row per round, the lost nodes and the samples in the last columns
        std::map<uint32_t, uint32_t> lost; // node -> times declared lost
        uint32_t rows = 0;
        double runSeconds = 0;
        for (const auto& fields : ReadCsvRows(dir + "/rounds.csv"))
        {
            NS_TEST_ASSERT_MSG_EQ(fields.size(), 35u, "rounds.csv columns");
            ++rows;
            runSeconds += std::stod(fields[2]); // rounds run back to back from time 0
            std::istringstream nodes(fields[26]);
            for (uint32_t node; nodes >> node;)
            {
                ++lost[node];
            }
            NS_TEST_EXPECT_MSG_EQ(fields[28], "16", "two clusters x B = 8 samples planned");
            NS_TEST_EXPECT_MSG_EQ(fields[29], "0", "all trained (the data is on the units)");
        }
        NS_TEST_EXPECT_MSG_EQ(rows, m_rounds, "every round completed");
        // what the run's fault log says happened, each loss detected once
        std::map<uint32_t, std::string> happened;
        std::map<uint32_t, double> when;
        for (const auto& fields : ReadCsvRows(dir + "/dssda/faults.csv"))
        {
            // time_s,node,event,duration_s
            if (fields.size() >= 3 && fields[2] != "back")
            {
                happened[std::stoul(fields[1])] = fields[2];
                when[std::stoul(fields[1])] = std::stod(fields[0]);
            }
        }
        for (const auto& [node, what] : happened)
        {
            if (when[node] > runSeconds - 2.0 - 0.5)
            {
                continue; // within a timeout (and a heartbeat) of the run's end: not yet due
            }
            const uint32_t expected = node == 5 ? 0 : 1; // node 5's outage is short
            NS_TEST_EXPECT_MSG_EQ(lost[node], expected, "node " << node << " (" << what << ")");
        }
        if (m_fidelity == "flow")
        {
            // all four faults happen within 50 rounds: the leave, both batteries, the long
            // outage, and the short outage that is not a failure
            NS_TEST_EXPECT_MSG_EQ(happened.size(), 5u, "five nodes hit");
            NS_TEST_EXPECT_MSG_EQ(happened[2], "leave", "node 2 leaves");
            NS_TEST_EXPECT_MSG_EQ(happened[3], "battery", "node 3's battery");
            NS_TEST_EXPECT_MSG_EQ(happened[7], "battery", "node 7's battery");
            NS_TEST_EXPECT_MSG_EQ(happened[6], "outage", "node 6's long outage");
            NS_TEST_EXPECT_MSG_EQ(happened[5], "outage", "node 5's short outage");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(lost[2], 1u, "the departure at 30 s is detected");
        }
        NS_TEST_EXPECT_MSG_NE(ReadFile(dir + "/latency.plt").find("a device lost"),
                              std::string::npos,
                              "the plot marks the failures");
    }

    std::string m_fidelity; //!< fidelity
    uint32_t m_rounds;      //!< rounds
};

/**
 * \ingroup edge-llm-tests
 * \brief The dynamics test suite.
 */
class DynamicsTestSuite : public TestSuite
{
  public:
    DynamicsTestSuite()
        : TestSuite("edge-llm-dynamics", UNIT)
    {
        AddTestCase(new FleetDepartureTestCase, TestCase::QUICK);
        AddTestCase(new ChurnTraceTestCase, TestCase::QUICK);
        AddTestCase(new LeaveMidPipelineTestCase("ofdma", "flow"), TestCase::QUICK);
        AddTestCase(new PlainFlDropTestCase, TestCase::QUICK);
        AddTestCase(new UnrecoverableLossTestCase, TestCase::QUICK);
        AddTestCase(new ResumeAgainstRestartTestCase("ofdma"), TestCase::QUICK);
        AddTestCase(new ResumeAgainstRestartTestCase("wifi"), TestCase::QUICK);
        AddTestCase(new OutageTestCase("ofdma", "flow"), TestCase::QUICK);
        AddTestCase(new BatteryDepletionTestCase, TestCase::QUICK);
        AddTestCase(new ChurnScenarioTestCase("flow", 50), TestCase::QUICK);
    }
};

/// Static variable for test initialization
static DynamicsTestSuite g_dynamicsTestSuite;

/**
 * \ingroup edge-llm-tests
 * \brief The same faults at the packet level on Wi-Fi (left out under the sanitizers, where
 * they take minutes; the flow-level cases above run the same recovery code there).
 */
class DynamicsPacketTestSuite : public TestSuite
{
  public:
    DynamicsPacketTestSuite()
        : TestSuite("edge-llm-dynamics-packet", UNIT)
    {
        AddTestCase(new LeaveMidPipelineTestCase("wifi", "packet"), TestCase::QUICK);
        AddTestCase(new OutageTestCase("wifi", "packet"), TestCase::QUICK);
        AddTestCase(new ChurnScenarioTestCase("packet", 18), TestCase::QUICK);
    }
};

/// Static variable for test initialization
static DynamicsPacketTestSuite g_dynamicsPacketTestSuite;

} // namespace edgellm
} // namespace ns3
