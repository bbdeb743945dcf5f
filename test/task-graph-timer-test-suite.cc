/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/task-graph-timer.h"
#include "ns3/task-graph.h"
#include "ns3/test.h"

#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// \return a compute task on \p device of explicit duration \p duration
ComputeTask
Compute(uint32_t device, Time duration, const std::string& label)
{
    ComputeTask task;
    task.device = device;
    task.duration = duration;
    task.label = label;
    return task;
}

/// 8000 bit/s: 1000 bytes take exactly 1 s
constexpr double KBYTE_PER_SECOND = 8000;

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief One device runs its compute tasks one at a time, lowest ready id first.
 */
class TimerDeviceSerializationTestCase : public TestCase
{
  public:
    TimerDeviceSerializationTestCase()
        : TestCase("compute tasks of one device run one at a time, lowest ready id first")
    {
    }

  private:
    void DoRun() override
    {
        TaskGraphTimer timer(nullptr, TaskGraphTimer::LinkTransferTime(KBYTE_PER_SECOND, Time(0)));
        {
            // three independent tasks of 3, 1 and 2 s on device 0, one of 4 s on device 1:
            // device 0 runs 0 [0,3], 1 [3,4], 2 [4,6]; device 1 runs 3 [0,4]; makespan 6 s
            TaskGraph g(2);
            g.AddCompute(Compute(0, Seconds(3), "a"));
            g.AddCompute(Compute(0, Seconds(1), "b"));
            g.AddCompute(Compute(0, Seconds(2), "c"));
            g.AddCompute(Compute(1, Seconds(4), "d"));
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "valid");
            NS_TEST_ASSERT_MSG_EQ(s.start[0], Seconds(0), "a first");
            NS_TEST_ASSERT_MSG_EQ(s.start[1], Seconds(3), "b after a");
            NS_TEST_ASSERT_MSG_EQ(s.start[2], Seconds(4), "c after b");
            NS_TEST_ASSERT_MSG_EQ(s.end[2], Seconds(6), "c ends at 3+1+2");
            NS_TEST_ASSERT_MSG_EQ(s.start[3], Seconds(0), "device 1 in parallel");
            NS_TEST_ASSERT_MSG_EQ(s.ready[2], Seconds(0), "c was ready from the start");
            NS_TEST_ASSERT_MSG_EQ(s.makespan, Seconds(6), "makespan");
            NS_TEST_ASSERT_MSG_EQ(s.deviceBusy[0], Seconds(6), "device 0 busy 6 s");
            NS_TEST_ASSERT_MSG_EQ(s.deviceBusy[1], Seconds(4), "device 1 busy 4 s");
            NS_TEST_ASSERT_MSG_EQ(JoinIds(s.deviceOrder[0]), "0 1 2", "order on device 0");
            NS_TEST_ASSERT_MSG_EQ(timer.GetMakespan(g), Seconds(6), "GetMakespan agrees");
        }
        {
            // Lowest READY id, not arrival order: z (id 0, 3 s) waits for a 1000-byte transfer
            // (id 1, 1 s); x (id 2, 2 s) and y (id 3, 1 s) are ready at once.
            // t=0: device 0 starts x [0,2]; t=1: z ready; t=2: ready {z=0, y=3}: z [2,5];
            // y [5,6]. Makespan 6 s; order x z y.
            TaskGraph g(2);
            const uint32_t z = g.AddCompute(Compute(0, Seconds(3), "z"));
            const uint32_t t = g.AddTransfer(MakeLabelledTransfer(1, 0, 1000, "t"));
            g.AddDependency(t, z);
            const uint32_t x = g.AddCompute(Compute(0, Seconds(2), "x"));
            const uint32_t y = g.AddCompute(Compute(0, Seconds(1), "y"));
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "valid");
            NS_TEST_ASSERT_MSG_EQ(s.end[t], Seconds(1), "transfer 1000 B at 8000 bit/s");
            NS_TEST_ASSERT_MSG_EQ(s.ready[z], Seconds(1), "z ready when t ends");
            NS_TEST_ASSERT_MSG_EQ(s.start[z], Seconds(2), "z waits for x");
            NS_TEST_ASSERT_MSG_EQ(s.start[y], Seconds(5), "y after z: lower id wins at t=2");
            NS_TEST_ASSERT_MSG_EQ(s.makespan, Seconds(6), "makespan");
            NS_TEST_ASSERT_MSG_EQ(JoinIds(s.deviceOrder[0]),
                                  JoinIds({x, z, y}),
                                  "order on device 0");
        }
        {
            // Completions at one instant are all applied before a device picks: compute c
            // (id 0, device 1, 1 s) releases task hi (id 3); transfer t (id 1, 1 s) releases
            // lo (id 2). Both become ready at t=1 on device 0: lo (lower id) runs first.
            TaskGraph g(3);
            const uint32_t c = g.AddCompute(Compute(1, Seconds(1), "c"));
            const uint32_t t = g.AddTransfer(MakeLabelledTransfer(2, 0, 1000, "t"));
            const uint32_t lo = g.AddCompute(Compute(0, Seconds(1), "lo"), {t});
            const uint32_t hi = g.AddCompute(Compute(0, Seconds(1), "hi"));
            g.AddDependency(c, hi);
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "valid");
            NS_TEST_ASSERT_MSG_EQ(s.start[lo], Seconds(1), "lo first");
            NS_TEST_ASSERT_MSG_EQ(s.start[hi], Seconds(2), "hi second");
            NS_TEST_ASSERT_MSG_EQ(s.makespan, Seconds(3), "makespan");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Transfers of one ordered pair are FIFO; different pairs are concurrent.
 */
class TimerTransferTestCase : public TestCase
{
  public:
    TimerTransferTestCase()
        : TestCase("transfers: FIFO on one pair, concurrent on different pairs")
    {
    }

  private:
    void DoRun() override
    {
        TaskGraphTimer timer(nullptr, TaskGraphTimer::LinkTransferTime(KBYTE_PER_SECOND, Time(0)));
        {
            // 1000, 2000, 3000 bytes on 0->1, all ready at 0: [0,1], [1,3], [3,6]
            TaskGraph g(2);
            g.AddTransfer(MakeLabelledTransfer(0, 1, 1000, "a"));
            g.AddTransfer(MakeLabelledTransfer(0, 1, 2000, "b"));
            g.AddTransfer(MakeLabelledTransfer(0, 1, 3000, "c"));
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "valid");
            NS_TEST_ASSERT_MSG_EQ(s.start[1], Seconds(1), "b after a");
            NS_TEST_ASSERT_MSG_EQ(s.start[2], Seconds(3), "c after b");
            NS_TEST_ASSERT_MSG_EQ(s.makespan, Seconds(6), "1 + 2 + 3 s");
        }
        {
            // FIFO by ready time, not by id: a (id 0, 1000 B) waits for a 1 s compute; b (id 1,
            // 2000 B) is ready at 0 and runs [0,2]; a, ready at 1, runs [2,3].
            TaskGraph g(2);
            const uint32_t a = g.AddTransfer(MakeLabelledTransfer(0, 1, 1000, "a"));
            const uint32_t b = g.AddTransfer(MakeLabelledTransfer(0, 1, 2000, "b"));
            const uint32_t c = g.AddCompute(Compute(0, Seconds(1), "c"));
            g.AddDependency(c, a);
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "valid");
            NS_TEST_ASSERT_MSG_EQ(s.start[b], Seconds(0), "b first");
            NS_TEST_ASSERT_MSG_EQ(s.ready[a], Seconds(1), "a ready at 1");
            NS_TEST_ASSERT_MSG_EQ(s.start[a], Seconds(2), "a waits for b");
            NS_TEST_ASSERT_MSG_EQ(s.makespan, Seconds(3), "makespan");
        }
        {
            // 0->1, 1->0, 0->2 and 2->1: four pairs, 1000 B each, all concurrent: 1 s.
            // With a 10 ms latency: 1.01 s.
            TaskGraph g(3);
            g.AddTransfer(MakeLabelledTransfer(0, 1, 1000, "a"));
            g.AddTransfer(MakeLabelledTransfer(1, 0, 1000, "b"));
            g.AddTransfer(MakeLabelledTransfer(0, 2, 1000, "c"));
            g.AddTransfer(MakeLabelledTransfer(2, 1, 1000, "d"));
            NS_TEST_ASSERT_MSG_EQ(timer.GetMakespan(g), Seconds(1), "concurrent pairs");
            TaskGraphTimer withDelay(
                nullptr,
                TaskGraphTimer::LinkTransferTime(KBYTE_PER_SECOND, MilliSeconds(10)));
            NS_TEST_ASSERT_MSG_EQ(withDelay.GetMakespan(g), MilliSeconds(1010), "plus latency");
        }
        {
            // transfers overlap with computation: device 0 computes 2 s while sending 1 s
            TaskGraph g(2);
            g.AddCompute(Compute(0, Seconds(2), "c"));
            g.AddTransfer(MakeLabelledTransfer(0, 1, 1000, "t"));
            NS_TEST_ASSERT_MSG_EQ(timer.GetMakespan(g), Seconds(2), "overlap");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Transfers on one shared channel progress together (processor sharing of the
 * airtime), the flow level's Wi-Fi rule.
 */
class TimerSharedChannelTestCase : public TestCase
{
  public:
    TimerSharedChannelTestCase()
        : TestCase("shared channel: transfers share the airtime, off-channel ones do not")
    {
    }

  private:
    void DoRun() override
    {
        // a: 0->1, 1000 B at 1 ms/B (1 s alone); b: 2->1, 2000 B at 2 ms/B (4 s alone); c:
        // 0->2 off the channel (the transfer callback: 1000 B at 1 kB/s, 1 s). Together a and b
        // each move 1 / (1 + 2) ms = 333.3 B/s: a ends at 3 s; b has 1000 B left, alone at
        // 500 B/s: ends at 5 s = 1 + 4 (the channel never idles). A compute after a starts at
        // 3 s and takes 0.5 s; c runs beside them, [0, 1].
        TaskGraph g(3);
        const uint32_t a = g.AddTransfer(MakeLabelledTransfer(0, 1, 1000, "a"));
        const uint32_t b = g.AddTransfer(MakeLabelledTransfer(2, 1, 2000, "b"));
        const uint32_t c = g.AddTransfer(MakeLabelledTransfer(0, 2, 1000, "c"));
        const uint32_t after = g.AddCompute(Compute(1, MilliSeconds(500), "after-a"), {a});
        TaskGraphTimer timer(nullptr, TaskGraphTimer::LinkTransferTime(KBYTE_PER_SECOND, Time(0)));
        timer.SetSharedChannel([](const TransferTask& t) {
            if (t.destination != 1)
            {
                return 0.0; // off the channel
            }
            return t.source == 0 ? 1e-3 : 2e-3;
        });
        TaskGraphSchedule s;
        NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "valid");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.end[a].GetSeconds(), 3.0, 1e-9, "a shares the channel with b");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.end[b].GetSeconds(), 5.0, 1e-9, "b: the channel's total work");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.end[c].GetSeconds(), 1.0, 1e-9, "c off the channel");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.start[after].GetSeconds(), 3.0, 1e-9, "compute after a");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.makespan.GetSeconds(), 5.0, 1e-9, "makespan");

        // without the channel the same transfers overlap freely (pairs differ): 1 s and 2 s
        TaskGraphTimer free(nullptr, TaskGraphTimer::LinkTransferTime(KBYTE_PER_SECOND, Time(0)));
        NS_TEST_ASSERT_MSG_EQ(free.GetMakespan(g), Seconds(2), "no channel: pairs in parallel");

        // contention: while a and b are both on the channel each transmission takes 1.5 times
        // as long: together 1 / (3 ms * 1.5) = 222.2 B/s, a ends at 4.5 s; b has 1000 B left,
        // alone (factor 1) at 500 B/s: ends at 6.5 s
        TaskGraphTimer contended(nullptr,
                                 TaskGraphTimer::LinkTransferTime(KBYTE_PER_SECOND, Time(0)));
        contended.SetSharedChannel([](const TransferTask& t) {
            return t.destination != 1 ? 0.0 : (t.source == 0 ? 1e-3 : 2e-3);
        });
        contended.SetChannelContention(
            [](const std::vector<const TransferTask*>& on) { return on.size() > 1 ? 1.5 : 1.0; });
        NS_TEST_ASSERT_MSG_EQ(contended.Run(g, s), "", "valid");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.end[a].GetSeconds(), 4.5, 1e-9, "a, contended");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.end[b].GetSeconds(), 6.5, 1e-9, "b, alone at the end");
        // two channels: a on channel 0, b on channel 1, each alone on its own: 1 s and 4 s
        contended.SetChannelOf(
            [](const TransferTask& t) -> uint32_t { return t.source == 0 ? 0 : 1; });
        NS_TEST_ASSERT_MSG_EQ(contended.Run(g, s), "", "valid");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.end[a].GetSeconds(), 1.0, 1e-9, "a on its channel");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.end[b].GetSeconds(), 4.0, 1e-9, "b on its channel");

        // a negative cost is refused, naming the task
        TaskGraphTimer bad(nullptr, TaskGraphTimer::LinkTransferTime(KBYTE_PER_SECOND, Time(0)));
        bad.SetSharedChannel([](const TransferTask&) { return -1.0; });
        const bool refused = bad.Run(g, s).find("channel cost -1 s/byte") != std::string::npos;
        NS_TEST_ASSERT_MSG_EQ(refused, true, "negative cost refused");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief A chain, zero durations, the compute callback, and errors.
 */
class TimerChainAndErrorsTestCase : public TestCase
{
  public:
    TimerChainAndErrorsTestCase()
        : TestCase("chains, zero durations, the compute callback and error messages")
    {
    }

  private:
    void DoRun() override
    {
        // compute priced by the callback: 1 s per 1e9 flops
        auto perGflop = [](const ComputeTask& t) { return Seconds(t.flops / 1e9); };
        TaskGraphTimer timer(perGflop, TaskGraphTimer::ConstantTransferTime(MilliSeconds(500)));
        {
            // f (2e9 flops: 2 s) -> t (0.5 s) -> g (explicit 0.25 s) -> z (0 s) -> t2 (0.5 s):
            // 3.25 s; z starts and ends at 2.75 s
            TaskGraph g(2);
            ComputeTask f;
            f.device = 0;
            f.flops = 2e9;
            const uint32_t a = g.AddCompute(f);
            const uint32_t t = g.AddTransfer(MakeLabelledTransfer(0, 1, 10, "t"), {a});
            const uint32_t b = g.AddCompute(Compute(1, MilliSeconds(250), "g"), {t});
            const uint32_t z = g.AddCompute(Compute(1, Seconds(0), "z"), {b});
            g.AddTransfer(MakeLabelledTransfer(1, 0, 10, "t2"), {z});
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "valid");
            NS_TEST_ASSERT_MSG_EQ(s.end[a], Seconds(2), "priced by the callback");
            NS_TEST_ASSERT_MSG_EQ(s.start[z], MilliSeconds(2750), "zero-length task starts");
            NS_TEST_ASSERT_MSG_EQ(s.end[z], MilliSeconds(2750), "and ends at once");
            NS_TEST_ASSERT_MSG_EQ(s.makespan, MilliSeconds(3250), "2 + 0.5 + 0.25 + 0 + 0.5");
        }
        {
            TaskGraph empty(1);
            NS_TEST_ASSERT_MSG_EQ(timer.GetMakespan(empty), Time(0), "empty graph");
        }
        {
            TaskGraph g(2);
            g.AddTransfer(MakeLabelledTransfer(1, 1, 10, "loop"));
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), g.Validate(), "Validate's message");
        }
        {
            TaskGraph g(1);
            ComputeTask f;
            f.label = "model";
            g.AddCompute(f);
            TaskGraphTimer noModel(nullptr, nullptr);
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(
                noModel.Run(g, s),
                "task 0 (model) has no explicit duration and the timer has no computeTime callback",
                "missing compute callback");
        }
        {
            TaskGraph g(2);
            g.AddTransfer(MakeLabelledTransfer(0, 1, 10, "x"));
            TaskGraphTimer noLink(nullptr, nullptr);
            TaskGraphSchedule s;
            NS_TEST_ASSERT_MSG_EQ(noLink.Run(g, s),
                                  "task 0 (x) is a transfer and the timer has no transferTime "
                                  "callback",
                                  "missing transfer callback");
            TaskGraphTimer negative(nullptr, [](const TransferTask&) { return Seconds(-1); });
            const std::string problem = negative.Run(g, s);
            NS_TEST_ASSERT_MSG_EQ((problem.find("transferTime returned -1") == 0), true, problem);
            NS_TEST_ASSERT_MSG_EQ(
                (problem.find("for task 0 (x): a duration must be >= 0") != std::string::npos),
                true,
                problem);
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The suite.
 */
class TaskGraphTimerTestSuite : public TestSuite
{
  public:
    TaskGraphTimerTestSuite()
        : TestSuite("edge-llm-task-graph-timer", TestSuite::UNIT)
    {
        AddTestCase(new TimerDeviceSerializationTestCase);
        AddTestCase(new TimerTransferTestCase);
        AddTestCase(new TimerSharedChannelTestCase);
        AddTestCase(new TimerChainAndErrorsTestCase);
    }
};

/// the suite's instance
static TaskGraphTimerTestSuite g_taskGraphTimerTestSuite;
