/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/iteration-stats.h"
#include "ns3/task-record.h"
#include "ns3/test.h"

#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * Statistics of one iteration against hand computations.
 */

namespace ns3
{
namespace edgellm
{
namespace
{

/**
 * \param id task id
 * \param iteration iteration
 * \param device device
 * \param startMs start (ms)
 * \param endMs end (ms)
 * \param flops floating-point operations
 * \return a compute record
 */
TaskRecord
MakeCompute(uint32_t id,
            uint32_t iteration,
            uint32_t device,
            uint64_t startMs,
            uint64_t endMs,
            double flops)
{
    TaskRecord r;
    r.taskId = id;
    r.iteration = iteration;
    r.type = TaskRecord::COMPUTE;
    r.kind = "forward";
    r.device = device;
    r.peer = -1;
    r.start = MilliSeconds(startMs);
    r.end = MilliSeconds(endMs);
    r.flops = flops;
    return r;
}

/**
 * \param id task id
 * \param iteration iteration
 * \param from source
 * \param to destination
 * \param startMs start (ms)
 * \param endMs end (ms)
 * \param bytes bytes
 * \return a transfer record
 */
TaskRecord
MakeTransfer(uint32_t id,
             uint32_t iteration,
             uint32_t from,
             int64_t to,
             uint64_t startMs,
             uint64_t endMs,
             uint64_t bytes)
{
    TaskRecord r;
    r.taskId = id;
    r.iteration = iteration;
    r.type = TaskRecord::TRANSFER;
    r.kind = "activation";
    r.device = from;
    r.peer = to;
    r.start = MilliSeconds(startMs);
    r.end = MilliSeconds(endMs);
    r.bytes = bytes;
    return r;
}

/**
 * The records of the 4-device scenario (times in ms); device 3 has no work.
 *
 *   d0 compute [0,10] and [12,22]
 *   d0 -> d1   [10,14] 100 B and [13,18] 200 B   (the two transfers overlap)
 *   d1 compute [14,24]
 *   d1 -> d2   [24,30] 300 B
 *   d0 -> d2   [22,26] 400 B                     (overlaps d1 -> d2 at d2)
 *   d2 compute [30,40]
 *
 * \param iteration iteration of the records
 * \param offsetMs added to every time
 * \return the records
 */
std::vector<TaskRecord>
MakeScenario(uint32_t iteration, uint64_t offsetMs)
{
    uint64_t o = offsetMs;
    return {MakeCompute(1, iteration, 0, o + 0, o + 10, 1e9),
            MakeCompute(2, iteration, 0, o + 12, o + 22, 1e9),
            MakeTransfer(3, iteration, 0, 1, o + 10, o + 14, 100),
            MakeTransfer(4, iteration, 0, 1, o + 13, o + 18, 200),
            MakeCompute(5, iteration, 1, o + 14, o + 24, 2e9),
            MakeTransfer(6, iteration, 1, 2, o + 24, o + 30, 300),
            MakeTransfer(7, iteration, 0, 2, o + 22, o + 26, 400),
            MakeCompute(8, iteration, 2, o + 30, o + 40, 3e9)};
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Unions of intervals.
 */
class IntervalUnionTestCase : public TestCase
{
  public:
    IntervalUnionTestCase()
        : TestCase("union of intervals")
    {
    }

  private:
    void DoRun() override
    {
        // [0,5] u [3,8] = [0,8] (8); [10,12] u [12,13] = [10,13] (3); [20,20] is empty and the
        // reversed [30,25] counts as nothing: 8 + 3 = 11.
        std::vector<TimeInterval> intervals{{Seconds(10), Seconds(12)},
                                            {Seconds(0), Seconds(5)},
                                            {Seconds(20), Seconds(20)},
                                            {Seconds(12), Seconds(13)},
                                            {Seconds(3), Seconds(8)},
                                            {Seconds(30), Seconds(25)}};
        NS_TEST_ASSERT_MSG_EQ(GetUnionLength(intervals), Seconds(11), "union length");
        auto merged = MergeIntervals(intervals);
        NS_TEST_ASSERT_MSG_EQ(merged.size(), 2, "two disjoint intervals");
        NS_TEST_ASSERT_MSG_EQ(merged[0].first, Seconds(0), "first starts at 0");
        NS_TEST_ASSERT_MSG_EQ(merged[0].second, Seconds(8), "first ends at 8");
        NS_TEST_ASSERT_MSG_EQ(merged[1].first, Seconds(10), "second starts at 10");
        NS_TEST_ASSERT_MSG_EQ(merged[1].second, Seconds(13), "second ends at 13");
        NS_TEST_ASSERT_MSG_EQ(GetUnionLength({}), Time(), "empty union");
    }
};

/**
 * \ingroup edge-llm-tests
 * Four devices, overlapping transfers and computation, one device without work.
 */
class FourDeviceStatsTestCase : public TestCase
{
  public:
    FourDeviceStatsTestCase()
        : TestCase("iteration statistics, four devices")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<TaskRecord> records = MakeScenario(0, 0);
        // A record of another iteration must be ignored.
        records.push_back(MakeCompute(99, 1, 3, 50, 90, 1e12));

        IterationStats s = ComputeIterationStats(records, 0, 4, Seconds(0));
        NS_TEST_ASSERT_MSG_EQ(s.iteration, 0, "iteration");
        NS_TEST_ASSERT_MSG_EQ(s.deviceCount, 4, "device count");
        NS_TEST_ASSERT_MSG_EQ(s.devices.size(), 4, "one entry per device");
        NS_TEST_ASSERT_MSG_EQ(s.taskCount, 8, "records of iteration 0");
        NS_TEST_ASSERT_MSG_EQ(s.computeTasks, 4, "compute records");
        NS_TEST_ASSERT_MSG_EQ(s.transferTasks, 4, "transfer records");
        // bytes = 100 + 200 + 300 + 400 = 1000; flops = 1e9 + 1e9 + 2e9 + 3e9 = 7e9
        NS_TEST_ASSERT_MSG_EQ(s.bytes, 1000, "bytes");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.flops, 7e9, 1.0, "flops");
        // window [0, 40]: latency 40 ms
        NS_TEST_ASSERT_MSG_EQ(s.start, Seconds(0), "start");
        NS_TEST_ASSERT_MSG_EQ(s.end, MilliSeconds(40), "end");
        NS_TEST_ASSERT_MSG_EQ(s.latency, MilliSeconds(40), "latency");

        // d0: busy = 10 + 10 = 20; comm = [10,14]u[13,18]u[22,26] = [10,18] + [22,26] = 8 + 4
        // = 12; overlap = ([0,10]u[12,22]) n ([10,18]u[22,26]) = [12,18] = 6;
        // idle = 40 - 20 = 20; bubble = 20 / 40 = 0.5
        const DeviceIterationStats& d0 = s.devices[0];
        NS_TEST_ASSERT_MSG_EQ(d0.active, true, "d0 active");
        NS_TEST_ASSERT_MSG_EQ(d0.busy, MilliSeconds(20), "d0 busy");
        NS_TEST_ASSERT_MSG_EQ(d0.communication, MilliSeconds(12), "d0 communication");
        NS_TEST_ASSERT_MSG_EQ(d0.overlap, MilliSeconds(6), "d0 overlap");
        NS_TEST_ASSERT_MSG_EQ(d0.idle, MilliSeconds(20), "d0 idle");
        NS_TEST_ASSERT_MSG_EQ_TOL(d0.bubbleFraction, 0.5, 1e-12, "d0 bubble");
        NS_TEST_ASSERT_MSG_EQ(d0.computeTasks, 2, "d0 compute tasks");
        NS_TEST_ASSERT_MSG_EQ(d0.transfersSent, 3, "d0 sends");
        NS_TEST_ASSERT_MSG_EQ(d0.transfersReceived, 0, "d0 receives");
        // 100 + 200 + 400 = 700 bytes sent
        NS_TEST_ASSERT_MSG_EQ(d0.bytesSent, 700, "d0 bytes sent");
        NS_TEST_ASSERT_MSG_EQ_TOL(d0.flops, 2e9, 1.0, "d0 flops");

        // d1: busy = [14,24] = 10; comm = recv [10,14]u[13,18] = [10,18] (8) + send [24,30] (6)
        // = 14; overlap = [14,24] n ([10,18]u[24,30]) = [14,18] = 4; idle = 30; bubble = 0.75
        const DeviceIterationStats& d1 = s.devices[1];
        NS_TEST_ASSERT_MSG_EQ(d1.busy, MilliSeconds(10), "d1 busy");
        NS_TEST_ASSERT_MSG_EQ(d1.communication, MilliSeconds(14), "d1 communication");
        NS_TEST_ASSERT_MSG_EQ(d1.overlap, MilliSeconds(4), "d1 overlap");
        NS_TEST_ASSERT_MSG_EQ(d1.idle, MilliSeconds(30), "d1 idle");
        NS_TEST_ASSERT_MSG_EQ_TOL(d1.bubbleFraction, 0.75, 1e-12, "d1 bubble");
        // received 100 + 200 = 300, sent 300
        NS_TEST_ASSERT_MSG_EQ(d1.bytesReceived, 300, "d1 bytes received");
        NS_TEST_ASSERT_MSG_EQ(d1.bytesSent, 300, "d1 bytes sent");

        // d2: busy = [30,40] = 10; comm = [24,30]u[22,26] = [22,30] = 8; overlap = 0;
        // idle = 30; bubble = 0.75
        const DeviceIterationStats& d2 = s.devices[2];
        NS_TEST_ASSERT_MSG_EQ(d2.busy, MilliSeconds(10), "d2 busy");
        NS_TEST_ASSERT_MSG_EQ(d2.communication, MilliSeconds(8), "d2 communication");
        NS_TEST_ASSERT_MSG_EQ(d2.overlap, Time(), "d2 overlap");
        NS_TEST_ASSERT_MSG_EQ(d2.idle, MilliSeconds(30), "d2 idle");
        NS_TEST_ASSERT_MSG_EQ(d2.transfersReceived, 2, "d2 receives");
        NS_TEST_ASSERT_MSG_EQ(d2.bytesReceived, 700, "d2 bytes received (300 + 400)");

        // d3: nothing to do: inactive, idle the whole 40 ms.
        const DeviceIterationStats& d3 = s.devices[3];
        NS_TEST_ASSERT_MSG_EQ(d3.active, false, "d3 inactive");
        NS_TEST_ASSERT_MSG_EQ(d3.busy, Time(), "d3 busy");
        NS_TEST_ASSERT_MSG_EQ(d3.idle, MilliSeconds(40), "d3 idle");
        NS_TEST_ASSERT_MSG_EQ_TOL(d3.bubbleFraction, 1.0, 1e-12, "d3 bubble");

        // computeBusy = 20 + 10 + 10 + 0 = 40; communication = union of all transfers
        // = [10,18] + [22,30] = 16; overlap = 6 + 4 + 0 = 10
        NS_TEST_ASSERT_MSG_EQ(s.computeBusy, MilliSeconds(40), "compute busy (sum)");
        NS_TEST_ASSERT_MSG_EQ(s.communication, MilliSeconds(16), "communication (union)");
        NS_TEST_ASSERT_MSG_EQ(s.overlap, MilliSeconds(10), "overlap (sum)");
        // bubble over the 3 active devices: (0.5 + 0.75 + 0.75) / 3 = 2/3;
        // efficiency over all 4 devices: 40 / (4 * 40) = 0.25
        NS_TEST_ASSERT_MSG_EQ(s.activeDevices, 3, "active devices");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.bubbleFraction, 2.0 / 3.0, 1e-12, "bubble fraction");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.efficiency, 0.25, 1e-12, "efficiency");

        // Same records with three devices: efficiency = 40 / (3 * 40) = 1/3 = 1 - bubble.
        IterationStats three = ComputeIterationStats(MakeScenario(0, 0), 0, 3, Seconds(0));
        NS_TEST_ASSERT_MSG_EQ_TOL(three.efficiency, 1.0 / 3.0, 1e-12, "efficiency, 3 devices");
        NS_TEST_ASSERT_MSG_EQ_TOL(three.efficiency,
                                  1.0 - three.bubbleFraction,
                                  1e-12,
                                  "all devices active: efficiency = 1 - bubble");
    }
};

/**
 * \ingroup edge-llm-tests
 * The window: from the first task, or from a given iteration start.
 */
class IterationWindowTestCase : public TestCase
{
  public:
    IterationWindowTestCase()
        : TestCase("iteration window and latency")
    {
    }

  private:
    void DoRun() override
    {
        // The scenario shifted to [100, 140] ms as iteration 5.
        std::vector<TaskRecord> records = MakeScenario(5, 100);
        IterationStats fromFirst = ComputeIterationStats(records, 5, 3);
        NS_TEST_ASSERT_MSG_EQ(fromFirst.start, MilliSeconds(100), "start = first task start");
        NS_TEST_ASSERT_MSG_EQ(fromFirst.latency, MilliSeconds(40), "latency 140 - 100");
        NS_TEST_ASSERT_MSG_EQ_TOL(fromFirst.bubbleFraction,
                                  2.0 / 3.0,
                                  1e-12,
                                  "shifting does not change the bubble");

        // Iteration started at 95 ms: latency 140 - 95 = 45; d0 idle 45 - 20 = 25, d1 and d2
        // 45 - 10 = 35; bubble = (25 + 35 + 35) / 45 / 3 = 95 / 135; efficiency = 40 / (3 * 45)
        IterationStats fromStart = ComputeIterationStats(records, 5, 3, MilliSeconds(95));
        NS_TEST_ASSERT_MSG_EQ(fromStart.start, MilliSeconds(95), "start = iteration start");
        NS_TEST_ASSERT_MSG_EQ(fromStart.latency, MilliSeconds(45), "latency 140 - 95");
        NS_TEST_ASSERT_MSG_EQ(fromStart.devices[0].idle, MilliSeconds(25), "d0 idle");
        NS_TEST_ASSERT_MSG_EQ_TOL(fromStart.bubbleFraction, 95.0 / 135.0, 1e-12, "bubble");
        NS_TEST_ASSERT_MSG_EQ_TOL(fromStart.efficiency, 40.0 / 135.0, 1e-12, "efficiency");

        // Two devices in sequence: d0 computes [0,3], sends [3,5], d1 computes [5,9] (ms).
        // latency 9; busy 3 and 4; bubble = (6/9 + 5/9) / 2 = 11/18; efficiency = 7/18.
        std::vector<TaskRecord> pipe{MakeCompute(1, 0, 0, 0, 3, 1),
                                     MakeTransfer(2, 0, 0, 1, 3, 5, 10),
                                     MakeCompute(3, 0, 1, 5, 9, 1)};
        IterationStats p = ComputeIterationStats(pipe, 0, 2);
        NS_TEST_ASSERT_MSG_EQ(p.latency, MilliSeconds(9), "two devices: latency");
        NS_TEST_ASSERT_MSG_EQ(p.devices[0].communication, MilliSeconds(2), "d0 comm");
        NS_TEST_ASSERT_MSG_EQ(p.devices[1].communication, MilliSeconds(2), "d1 comm");
        NS_TEST_ASSERT_MSG_EQ_TOL(p.bubbleFraction, 11.0 / 18.0, 1e-12, "two devices: bubble");
        NS_TEST_ASSERT_MSG_EQ_TOL(p.efficiency, 7.0 / 18.0, 1e-12, "two devices: efficiency");

        // No record: everything zero, no division by zero.
        IterationStats empty = ComputeIterationStats({}, 0, 2, Seconds(1));
        NS_TEST_ASSERT_MSG_EQ(empty.taskCount, 0, "empty: no task");
        NS_TEST_ASSERT_MSG_EQ(empty.latency, Time(), "empty: latency 0");
        NS_TEST_ASSERT_MSG_EQ(empty.start, Seconds(1), "empty: start as given");
        NS_TEST_ASSERT_MSG_EQ(empty.bubbleFraction, 0.0, "empty: bubble 0");
        NS_TEST_ASSERT_MSG_EQ(empty.efficiency, 0.0, "empty: efficiency 0");
        NS_TEST_ASSERT_MSG_EQ(empty.devices.size(), 2, "empty: devices listed");

        // A device index beyond deviceCount raises the count instead of being dropped.
        IterationStats raised = ComputeIterationStats(pipe, 0, 1);
        NS_TEST_ASSERT_MSG_EQ(raised.deviceCount, 2, "count raised to cover device 1");
        NS_TEST_ASSERT_MSG_EQ(raised.devices[1].busy, MilliSeconds(4), "device 1 counted");
    }
};

/**
 * \ingroup edge-llm-tests
 * Every inconsistent record and its message.
 */
class RecordCheckTestCase : public TestCase
{
  public:
    RecordCheckTestCase()
        : TestCase("record checks and messages")
    {
    }

  private:
    void DoRun() override
    {
        TaskRecord good = MakeCompute(4, 2, 0, 1, 2, 10);
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(good, 2), "", "a good compute record");
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(MakeTransfer(5, 2, 0, 1, 1, 2, 8), 2),
                              "",
                              "a good transfer record");

        TaskRecord r = good;
        r.type = "sleep";
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(r, 2),
                              "task 4 (iteration 2): type='sleep' is not a task type; allowed: "
                              "compute, transfer",
                              "bad type");
        r = good;
        r.end = MicroSeconds(500);
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(r, 2),
                              "task 4 (iteration 2): end=500000ns is invalid: must not be before "
                              "start=1000000ns",
                              "end before start");
        r = good;
        r.start = Seconds(-0.001);
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(r, 2),
                              "task 4 (iteration 2): start=-1000000ns is invalid: must not be "
                              "negative",
                              "negative start");
        r = good;
        r.flops = -1;
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(r, 2),
                              "task 4 (iteration 2): flops=-1 is invalid: must be finite and "
                              "non-negative",
                              "negative flops");
        r = good;
        r.device = 2;
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(r, 2),
                              "task 4 (iteration 2): device=2 is invalid: must be below the "
                              "device count 2",
                              "device out of range");
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(r, 0), "", "device count unknown: not checked");
        r = good;
        r.peer = 1;
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(r, 2),
                              "task 4 (iteration 2): peer=1 is invalid for a compute task: must "
                              "be -1",
                              "compute with a peer");
        TaskRecord t = MakeTransfer(5, 2, 0, -1, 1, 2, 8);
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(t, 2),
                              "task 5 (iteration 2): peer=-1 is invalid for a transfer: must be "
                              "the destination device index (>= 0)",
                              "transfer without destination");
        t.peer = 3;
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(t, 2),
                              "task 5 (iteration 2): peer=3 is invalid: must be below the device "
                              "count 2",
                              "destination out of range");
        t.peer = 0;
        NS_TEST_ASSERT_MSG_EQ(CheckTaskRecord(t, 2),
                              "task 5 (iteration 2): peer=0 is invalid: a transfer needs a "
                              "destination other than its source device=0",
                              "transfer to itself");

        std::vector<TaskRecord> records = MakeScenario(0, 10);
        NS_TEST_ASSERT_MSG_EQ(CheckIterationRecords(records, 0, 3, MilliSeconds(10)),
                              "",
                              "scenario is consistent");
        NS_TEST_ASSERT_MSG_EQ(CheckIterationRecords(records, 0, 0, MilliSeconds(10)),
                              "deviceCount=0 is invalid: must be a positive integer",
                              "no device");
        NS_TEST_ASSERT_MSG_EQ(CheckIterationRecords(records, 0, 3, MilliSeconds(11)),
                              "task 1 (iteration 0): start=10000000ns is invalid: must not be "
                              "before the iteration start 11000000ns",
                              "task before the iteration start");
        NS_TEST_ASSERT_MSG_EQ(CheckIterationRecords(records, 0, 2, MilliSeconds(10)),
                              "task 6 (iteration 0): peer=2 is invalid: must be below the device "
                              "count 2",
                              "record checks apply");
        NS_TEST_ASSERT_MSG_EQ(CheckIterationRecords(records, 7, 1, MilliSeconds(99)),
                              "",
                              "other iterations are not checked");
    }
};

/**
 * \ingroup edge-llm-tests
 * The iteration statistics suite.
 */
class IterationStatsTestSuite : public TestSuite
{
  public:
    IterationStatsTestSuite()
        : TestSuite("edge-llm-iteration-stats", TestSuite::UNIT)
    {
        AddTestCase(new IntervalUnionTestCase);
        AddTestCase(new FourDeviceStatsTestCase);
        AddTestCase(new IterationWindowTestCase);
        AddTestCase(new RecordCheckTestCase);
    }
};

/** Static instance. */
static IterationStatsTestSuite g_iterationStatsTestSuite;

} // namespace edgellm
} // namespace ns3
