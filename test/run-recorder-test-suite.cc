/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/boolean.h"
#include "ns3/nstime.h"
#include "ns3/run-progress.h"
#include "ns3/run-recorder.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/system-path.h"
#include "ns3/test.h"

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * The run recorder's files: exact CSV lines, trace events, determinism, the PNG, bad input.
 */

namespace ns3
{
namespace edgellm
{
namespace
{

/**
 * \param path a file
 * \return its bytes, or "" if it cannot be read
 */
std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/**
 * \param path a file
 * \return its lines, without the line ends
 */
std::vector<std::string>
ReadLines(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line))
    {
        lines.push_back(line);
    }
    return lines;
}

/**
 * The three records of the main test (two devices, iteration 0):
 *   task 1: compute "forward" on device 0, [0, 1.5] ms, 2.5e9 flops, 4096 bytes out
 *   task 2: transfer "activation" 0 -> 1, [1.5, 2.25] ms, 1048576 bytes
 *   task 3: compute "forward" on device 1, [2.25, 3] ms, 1e10 flops, label with a comma
 * Device names come from SetDeviceNames: "phone", "server".
 * \return the records
 */
std::vector<TaskRecord>
MakeRecords()
{
    TaskRecord a;
    a.taskId = 1;
    a.iteration = 0;
    a.type = TaskRecord::COMPUTE;
    a.kind = "forward";
    a.device = 0;
    a.label = "L0-5 fwd";
    a.start = Seconds(0);
    a.end = MicroSeconds(1500);
    a.bytes = 4096;
    a.flops = 2.5e9;

    TaskRecord b;
    b.taskId = 2;
    b.iteration = 0;
    b.type = TaskRecord::TRANSFER;
    b.kind = "activation";
    b.device = 0;
    b.peer = 1;
    b.label = "act mb0";
    b.start = MicroSeconds(1500);
    b.end = MicroSeconds(2250);
    b.bytes = 1048576;

    TaskRecord c;
    c.taskId = 3;
    c.iteration = 0;
    c.type = TaskRecord::COMPUTE;
    c.kind = "forward";
    c.device = 1;
    c.label = "L6-11, fwd";
    c.start = MicroSeconds(2250);
    c.end = MicroSeconds(3000);
    c.flops = 1e10;
    return {a, b, c};
}

/**
 * A recorder writing into \p directory, fed with MakeRecords and iteration 0 ended at time 0.
 * \param directory output directory
 * \return the flushed recorder
 */
Ptr<RunRecorder>
RecordAndFlush(const std::string& directory)
{
    Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
    recorder->SetAttribute("OutputDirectory", StringValue(directory));
    recorder->SetDeviceNames({"phone", "server"});
    for (const auto& r : MakeRecords())
    {
        recorder->RecordTask(r);
    }
    recorder->EndIteration(0, Seconds(0));
    recorder->Flush();
    return recorder;
}

/** \return true if a gnuplot executable is in PATH */
bool
HaveGnuplot()
{
    return std::system("command -v gnuplot > /dev/null 2>&1") == 0;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * tasks.csv, iterations.csv and iteration_devices.csv, line by line.
 */
class RunRecorderCsvTestCase : public TestCase
{
  public:
    RunRecorderCsvTestCase()
        : TestCase("CSV files")
    {
    }

  private:
    /**
     * TaskRecorded sink.
     * \param record the recorded task
     */
    void TaskRecorded(const TaskRecord& record)
    {
        m_seen.push_back(record);
    }

    void DoRun() override
    {
        std::string dir = CreateTempDirFilename("csv");
        Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
        recorder->SetAttribute("OutputDirectory", StringValue(dir));
        recorder->SetAttribute("KeepRecords", BooleanValue(true));
        recorder->TraceConnectWithoutContext(
            "TaskRecorded",
            MakeCallback(&RunRecorderCsvTestCase::TaskRecorded, this));
        recorder->SetDeviceNames({"phone", "server"});
        for (const auto& r : MakeRecords())
        {
            recorder->RecordTask(r);
        }
        NS_TEST_ASSERT_MSG_EQ(m_seen.size(), 3, "TaskRecorded fired once per task");
        NS_TEST_ASSERT_MSG_EQ(m_seen[1].deviceName, "phone", "device name filled in");
        NS_TEST_ASSERT_MSG_EQ(m_seen[1].peerName, "server", "peer name filled in");

        IterationStats s = recorder->EndIteration(0, Seconds(0));
        // latency 3 ms; busy 1.5 + 0.75 = 2.25 ms; bubble (1.5/3 + 2.25/3) / 2 = 0.625;
        // efficiency 2.25 / (2 * 3) = 0.375
        NS_TEST_ASSERT_MSG_EQ(s.latency, MicroSeconds(3000), "latency");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.bubbleFraction, 0.625, 1e-12, "bubble");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.efficiency, 0.375, 1e-12, "efficiency");
        NS_TEST_ASSERT_MSG_EQ(recorder->GetIterationStats().size(), 1, "stats stored");
        NS_TEST_ASSERT_MSG_EQ(recorder->GetRecords().size(), 3, "records stored");
        recorder->Flush();

        // Times are seconds with 9 decimals; flops in shortest round-trip form; the label with a
        // comma is quoted; a compute task has peer -1 and no peer name.
        std::vector<std::string> tasks = ReadLines(dir + "/tasks.csv");
        NS_TEST_ASSERT_MSG_EQ(tasks.size(), 4, "header and 3 rows");
        NS_TEST_ASSERT_MSG_EQ(tasks[0],
                              "task_id,iteration,type,kind,device,device_name,peer,peer_name,"
                              "micro_batch,label,start_s,end_s,duration_s,bytes,flops",
                              "tasks.csv header");
        NS_TEST_ASSERT_MSG_EQ(tasks[1],
                              "1,0,compute,forward,0,phone,-1,,0,L0-5 fwd,0.000000000,"
                              "0.001500000,0.001500000,4096,2.5e+09",
                              "tasks.csv row 1");
        NS_TEST_ASSERT_MSG_EQ(tasks[2],
                              "2,0,transfer,activation,0,phone,1,server,0,act mb0,0.001500000,"
                              "0.002250000,0.000750000,1048576,0",
                              "tasks.csv row 2");
        NS_TEST_ASSERT_MSG_EQ(tasks[3],
                              "3,0,compute,forward,1,server,-1,,0,\"L6-11, fwd\",0.002250000,"
                              "0.003000000,0.000750000,0,1e+10",
                              "tasks.csv row 3");

        // communication = 0.75 ms (the one transfer); overlap 0; flops 2.5e9 + 1e10 = 1.25e10
        std::vector<std::string> iterations = ReadLines(dir + "/iterations.csv");
        NS_TEST_ASSERT_MSG_EQ(iterations.size(), 2, "header and 1 row");
        NS_TEST_ASSERT_MSG_EQ(iterations[0],
                              "iteration,start_s,end_s,latency_s,compute_busy_s,communication_s,"
                              "overlap_s,bubble_fraction,efficiency,active_devices,devices,tasks,"
                              "compute_tasks,transfer_tasks,bytes,flops",
                              "iterations.csv header");
        NS_TEST_ASSERT_MSG_EQ(iterations[1],
                              "0,0.000000000,0.003000000,0.003000000,0.002250000,0.000750000,"
                              "0.000000000,0.625000000,0.375000000,2,2,3,2,1,1048576,1.25e+10",
                              "iterations.csv row");

        // phone: busy 1.5, comm 0.75, idle 1.5, bubble 0.5;
        // server: busy 0.75, comm 0.75, idle 2.25, bubble 0.75
        std::vector<std::string> perDevice = ReadLines(dir + "/iteration_devices.csv");
        NS_TEST_ASSERT_MSG_EQ(perDevice.size(), 3, "header and 2 rows");
        NS_TEST_ASSERT_MSG_EQ(perDevice[1],
                              "0,0,phone,1,1,1,0,1048576,0,2.5e+09,0.001500000,0.000750000,"
                              "0.000000000,0.001500000,0.500000000",
                              "iteration_devices.csv phone");
        NS_TEST_ASSERT_MSG_EQ(perDevice[2],
                              "0,1,server,1,1,0,1,0,1048576,1e+10,0.000750000,0.000750000,"
                              "0.000000000,0.002250000,0.750000000",
                              "iteration_devices.csv server");

        // One iteration: run totals equal the iteration's figures.
        std::vector<std::string> devices = ReadLines(dir + "/devices.csv");
        NS_TEST_ASSERT_MSG_EQ(devices.size(), 3, "header and 2 rows");
        NS_TEST_ASSERT_MSG_EQ(devices[2],
                              "1,server,1,1,0,1,0,1048576,1e+10,0.000750000,0.000750000,"
                              "0.000000000,0.002250000,0.750000000",
                              "devices.csv server");
    }

    std::vector<TaskRecord> m_seen; //!< records seen by the trace sink
};

/**
 * \ingroup edge-llm-tests
 * trace.json: parses, one process per device, events with ts and dur in microseconds.
 */
class RunRecorderTraceTestCase : public TestCase
{
  public:
    RunRecorderTraceTestCase()
        : TestCase("Chrome trace")
    {
    }

  private:
    void DoRun() override
    {
        std::string dir = CreateTempDirFilename("trace");
        RecordAndFlush(dir);
        nlohmann::json trace = nlohmann::json::parse(ReadFile(dir + "/trace.json"), nullptr, false);
        NS_TEST_ASSERT_MSG_EQ(trace.is_discarded(), false, "trace.json is valid JSON");
        NS_TEST_ASSERT_MSG_EQ(trace.contains("traceEvents"), true, "has traceEvents");

        std::vector<nlohmann::json> complete;
        std::map<std::pair<int, int>, std::string> threadNames;
        std::map<int, std::string> processNames;
        for (const auto& e : trace["traceEvents"])
        {
            if (e["ph"] == "X")
            {
                complete.push_back(e);
            }
            else if (e["ph"] == "M" && e["name"] == "process_name")
            {
                processNames[e["pid"].get<int>()] = e["args"]["name"].get<std::string>();
            }
            else if (e["ph"] == "M" && e["name"] == "thread_name")
            {
                threadNames[{e["pid"].get<int>(), e["tid"].get<int>()}] =
                    e["args"]["name"].get<std::string>();
            }
        }
        NS_TEST_ASSERT_MSG_EQ(processNames.size(), 2, "one process per device");
        NS_TEST_ASSERT_MSG_EQ(processNames[0], "phone", "process 0 name");
        NS_TEST_ASSERT_MSG_EQ(processNames[1], "server", "process 1 name");
        NS_TEST_ASSERT_MSG_EQ(threadNames[std::make_pair(1, 0)], "compute", "thread 0");
        NS_TEST_ASSERT_MSG_EQ(threadNames[std::make_pair(1, 1)], "send", "thread 1");
        NS_TEST_ASSERT_MSG_EQ(threadNames[std::make_pair(1, 2)], "receive", "thread 2");

        // Two compute slices, the transfer once on the sender and once on the receiver.
        NS_TEST_ASSERT_MSG_EQ(complete.size(), 4, "4 complete events");
        // task 1: compute on phone, [0, 1500] us
        NS_TEST_ASSERT_MSG_EQ(complete[0]["name"], "L0-5 fwd", "event 0 name");
        NS_TEST_ASSERT_MSG_EQ(complete[0]["cat"], "compute", "event 0 category");
        NS_TEST_ASSERT_MSG_EQ(complete[0]["pid"], 0, "event 0 pid");
        NS_TEST_ASSERT_MSG_EQ(complete[0]["tid"], 0, "event 0 on the compute thread");
        NS_TEST_ASSERT_MSG_EQ_TOL(complete[0]["ts"].get<double>(), 0.0, 1e-9, "event 0 ts");
        NS_TEST_ASSERT_MSG_EQ_TOL(complete[0]["dur"].get<double>(), 1500.0, 1e-9, "event 0 dur");
        NS_TEST_ASSERT_MSG_EQ_TOL(complete[0]["args"]["flops"].get<double>(),
                                  2.5e9,
                                  1.0,
                                  "event 0 flops");
        // task 2: send on phone (tid 1) and receive on server (tid 2), ts 1500 us, dur 750 us
        NS_TEST_ASSERT_MSG_EQ(complete[1]["pid"], 0, "send on the sender");
        NS_TEST_ASSERT_MSG_EQ(complete[1]["tid"], 1, "send thread");
        NS_TEST_ASSERT_MSG_EQ(complete[2]["pid"], 1, "receive on the receiver");
        NS_TEST_ASSERT_MSG_EQ(complete[2]["tid"], 2, "receive thread");
        for (int i : {1, 2})
        {
            NS_TEST_ASSERT_MSG_EQ(complete[i]["cat"], "transfer", "transfer category");
            NS_TEST_ASSERT_MSG_EQ_TOL(complete[i]["ts"].get<double>(), 1500.0, 1e-9, "ts in us");
            NS_TEST_ASSERT_MSG_EQ_TOL(complete[i]["dur"].get<double>(), 750.0, 1e-9, "dur in us");
            NS_TEST_ASSERT_MSG_EQ(complete[i]["args"]["bytes"], 1048576, "transfer bytes");
            NS_TEST_ASSERT_MSG_EQ(complete[i]["args"]["to"], "server", "transfer destination");
        }
        // task 3: compute on server, [2250, 3000] us, micro-batch in args
        NS_TEST_ASSERT_MSG_EQ(complete[3]["pid"], 1, "event 3 pid");
        NS_TEST_ASSERT_MSG_EQ(complete[3]["args"]["microBatch"], 0, "event 3 micro-batch");
        NS_TEST_ASSERT_MSG_EQ_TOL(complete[3]["ts"].get<double>(), 2250.0, 1e-9, "event 3 ts");
        NS_TEST_ASSERT_MSG_EQ_TOL(complete[3]["dur"].get<double>(), 750.0, 1e-9, "event 3 dur");
    }
};

/**
 * \ingroup edge-llm-tests
 * Overlapping sends of one device go to a second send lane, so slices on a thread nest.
 */
class RunRecorderLaneTestCase : public TestCase
{
  public:
    RunRecorderLaneTestCase()
        : TestCase("overlapping transfers get their own lane")
    {
    }

  private:
    void DoRun() override
    {
        std::string dir = CreateTempDirFilename("lanes");
        Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
        recorder->SetAttribute("OutputDirectory", StringValue(dir));
        recorder->SetAttribute("WritePlots", BooleanValue(false));
        // Device 0 sends to 1 during [0, 10] us and to 2 during [5, 15] us; then to 1 again
        // during [10, 20] us, which fits the first lane again (it ended at 10).
        uint32_t id = 0;
        for (auto [peer, from, to] :
             {std::make_tuple(1, 0, 10), std::make_tuple(2, 5, 15), std::make_tuple(1, 10, 20)})
        {
            TaskRecord r;
            r.taskId = id++;
            r.type = TaskRecord::TRANSFER;
            r.kind = "gradient";
            r.device = 0;
            r.peer = peer;
            r.start = MicroSeconds(from);
            r.end = MicroSeconds(to);
            r.bytes = 10;
            recorder->RecordTask(r);
        }
        recorder->Flush();
        NS_TEST_ASSERT_MSG_EQ(SystemPath::Exists(dir + "/timeline.plt"),
                              false,
                              "WritePlots false: no plot");
        nlohmann::json trace = nlohmann::json::parse(ReadFile(dir + "/trace.json"));
        std::vector<int> sendTids;
        bool secondLaneNamed = false;
        for (const auto& e : trace["traceEvents"])
        {
            if (e["ph"] == "X" && e["pid"] == 0)
            {
                sendTids.push_back(e["tid"].get<int>());
            }
            if (e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] == 0 && e["tid"] == 4)
            {
                secondLaneNamed = e["args"]["name"] == "send #2";
            }
        }
        // lanes: send = tid 1, second send lane = 1 + 3 = 4
        NS_TEST_ASSERT_MSG_EQ(sendTids.size(), 3, "three sends on device 0");
        NS_TEST_ASSERT_MSG_EQ(sendTids[0], 1, "first send on the send thread");
        NS_TEST_ASSERT_MSG_EQ(sendTids[1], 4, "overlapping send on the second send lane");
        NS_TEST_ASSERT_MSG_EQ(sendTids[2], 1, "later send back on the first lane");
        NS_TEST_ASSERT_MSG_EQ(secondLaneNamed, true, "second lane named 'send #2'");
        NS_TEST_ASSERT_MSG_EQ(recorder->GetDeviceCount(), 3, "device count from the records");
        NS_TEST_ASSERT_MSG_EQ(recorder->GetDeviceNames()[2], "device-2", "default name");
    }
};

/**
 * \ingroup edge-llm-tests
 * The files stream: after every Flush each is complete (trace.json parses, with the open
 * iteration's events), an ended iteration's events are kept once, and the recorder holds only
 * the open and the last ended iteration's records.
 */
class RunRecorderStreamingTestCase : public TestCase
{
  public:
    RunRecorderStreamingTestCase()
        : TestCase("streamed files are complete after every flush")
    {
    }

  private:
    /// \param dir output folder \return (complete events, iteration-end events) in trace.json
    static std::pair<int, int> CountEvents(const std::string& dir)
    {
        nlohmann::json trace = nlohmann::json::parse(ReadFile(dir + "/trace.json"), nullptr, false);
        if (trace.is_discarded())
        {
            return {-1, -1};
        }
        int complete = 0;
        int ends = 0;
        for (const auto& e : trace["traceEvents"])
        {
            complete += e["ph"] == "X" ? 1 : 0;
            ends += e["ph"] == "i" ? 1 : 0;
        }
        return {complete, ends};
    }

    void DoRun() override
    {
        std::string dir = CreateTempDirFilename("stream");
        Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
        recorder->SetAttribute("OutputDirectory", StringValue(dir));
        recorder->SetAttribute("WritePlots", BooleanValue(false));
        recorder->SetDeviceNames({"phone", "server"});
        // three iterations of MakeRecords, each 3 ms later than the one before
        for (uint32_t iteration = 0; iteration < 3; ++iteration)
        {
            for (TaskRecord r : MakeRecords())
            {
                r.iteration = iteration;
                r.taskId += 10 * iteration;
                r.start += MicroSeconds(3000 * iteration);
                r.end += MicroSeconds(3000 * iteration);
                recorder->RecordTask(r);
                // a row is in tasks.csv as soon as its task is recorded
                recorder->Flush();
                // per record: 1 X for compute, 2 X for a transfer (send and receive)
                auto [complete, ends] = CountEvents(dir);
                NS_TEST_ASSERT_MSG_GT(complete, 0, "trace.json parses after every flush");
                NS_TEST_ASSERT_MSG_EQ(ends, static_cast<int>(iteration), "ended iterations");
            }
            NS_TEST_ASSERT_MSG_EQ(CountEvents(dir).first,
                                  4 * static_cast<int>(iteration + 1),
                                  "the open iteration's events are in the flushed trace");
            recorder->EndIteration(iteration, MicroSeconds(3000 * iteration));
            NS_TEST_ASSERT_MSG_EQ(recorder->GetLastIterationRecords().size(),
                                  3,
                                  "the ended iteration's records");
            NS_TEST_ASSERT_MSG_EQ(recorder->GetLastIterationRecords()[0].taskId,
                                  1 + 10 * iteration,
                                  "of that iteration");
        }
        recorder->Flush();
        recorder->Flush(); // a second flush changes nothing
        auto [complete, ends] = CountEvents(dir);
        NS_TEST_ASSERT_MSG_EQ(complete, 12, "each ended event once");
        NS_TEST_ASSERT_MSG_EQ(ends, 3, "three iteration ends");
        NS_TEST_ASSERT_MSG_EQ(ReadLines(dir + "/tasks.csv").size(), 10, "header and 9 rows");
        NS_TEST_ASSERT_MSG_EQ(ReadLines(dir + "/iterations.csv").size(), 4, "header and 3 rows");
        NS_TEST_ASSERT_MSG_EQ(ReadLines(dir + "/iteration_devices.csv").size(),
                              7,
                              "header and 3 x 2 rows");
        // totals over three equal iterations: three times the phone's busy 1.5 ms
        std::vector<std::string> devices = ReadLines(dir + "/devices.csv");
        NS_TEST_ASSERT_MSG_EQ(devices.size(), 3, "header and 2 rows");
        NS_TEST_ASSERT_MSG_EQ(devices[1],
                              "0,phone,3,3,3,0,3145728,0,7.5e+09,0.004500000,0.002250000,"
                              "0.000000000,0.004500000,0.500000000",
                              "devices.csv phone: totals of three iterations");
    }
};

/**
 * \ingroup edge-llm-tests
 * Same records, same bytes; the PNG; the prefix.
 */
class RunRecorderDeterminismTestCase : public TestCase
{
  public:
    RunRecorderDeterminismTestCase()
        : TestCase("byte-identical output and timeline PNG")
    {
    }

  private:
    void DoRun() override
    {
        std::string first = CreateTempDirFilename("first run");
        std::string second = CreateTempDirFilename("second run");
        Ptr<RunRecorder> a = RecordAndFlush(first);
        Ptr<RunRecorder> b = RecordAndFlush(second);
        for (const std::string name : {"tasks.csv",
                                       "iterations.csv",
                                       "iteration_devices.csv",
                                       "devices.csv",
                                       "trace.json",
                                       "timeline.plt",
                                       "timeline.dat"})
        {
            std::string one = ReadFile(first + "/" + name);
            NS_TEST_ASSERT_MSG_EQ(one.empty(), false, name << " written");
            NS_TEST_ASSERT_MSG_EQ((one == ReadFile(second + "/" + name)),
                                  true,
                                  name << " is byte-identical");
        }
        // Flushing again rewrites the same bytes.
        std::string before = ReadFile(first + "/trace.json");
        a->Flush();
        NS_TEST_ASSERT_MSG_EQ((before == ReadFile(first + "/trace.json")), true, "re-flush");

        if (!HaveGnuplot())
        {
            std::cerr << "gnuplot not installed: timeline.png not checked" << std::endl;
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(a->IsTimelineRendered(), true, "gnuplot rendered the timeline");
        std::string png = ReadFile(first + "/timeline.png");
        const std::string signature("\x89PNG\r\n\x1a\n", 8);
        NS_TEST_ASSERT_MSG_GT(png.size(), signature.size(), "timeline.png has contents");
        NS_TEST_ASSERT_MSG_EQ(png.substr(0, 8), signature, "timeline.png is a PNG");
        NS_TEST_ASSERT_MSG_EQ(SystemPath::Exists(first + "/timeline.log"),
                              false,
                              "no gnuplot log left after success");

        // Prefix: every file name starts with it, still in the output directory.
        std::string third = CreateTempDirFilename("prefixed");
        Ptr<RunRecorder> c = CreateObject<RunRecorder>();
        c->SetAttribute("OutputDirectory", StringValue(third));
        c->SetAttribute("Prefix", StringValue("run7-"));
        for (const auto& r : MakeRecords())
        {
            c->RecordTask(r);
        }
        c->Flush();
        NS_TEST_ASSERT_MSG_EQ(c->IsTimelineRendered(), true, "prefixed timeline rendered");
        NS_TEST_ASSERT_MSG_EQ(SystemPath::Exists(third + "/run7-timeline.log"),
                              false,
                              "prefixed: no gnuplot log left after success");
        NS_TEST_ASSERT_MSG_EQ(c->GetOutputPath("tasks.csv"), third + "/run7-tasks.csv", "path");
        for (const std::string name : {"tasks.csv", "trace.json", "timeline.png"})
        {
            NS_TEST_ASSERT_MSG_EQ(SystemPath::Exists(third + "/run7-" + name),
                                  true,
                                  "prefixed " << name);
        }
        NS_TEST_ASSERT_MSG_EQ(c->GetDeviceNames()[0], "device-0", "no names set: default");
    }
};

/**
 * \ingroup edge-llm-tests
 * Bad input and the missing-gnuplot path.
 */
class RunRecorderBadInputTestCase : public TestCase
{
  public:
    RunRecorderBadInputTestCase()
        : TestCase("bad input and missing gnuplot")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(RunRecorder::CheckOutputDirectory(""),
                              "OutputDirectory='' is invalid: every output goes under the run's "
                              "output directory; set ns3::RunRecorder::OutputDirectory to a folder "
                              "path (created if missing)",
                              "empty directory");
        std::string dir = CreateTempDirFilename("bad");
        NS_TEST_ASSERT_MSG_EQ(RunRecorder::CheckOutputDirectory(dir), "", "new folder is fine");
        SystemPath::MakeDirectories(dir);
        NS_TEST_ASSERT_MSG_EQ(RunRecorder::CheckOutputDirectory(dir), "", "folder is fine");
        std::string file = dir + "/a-file";
        std::ofstream(file) << "x";
        NS_TEST_ASSERT_MSG_EQ(RunRecorder::CheckOutputDirectory(file),
                              "OutputDirectory='" + file +
                                  "' is invalid: it exists and is not a directory; allowed: a "
                                  "directory or a path to create",
                              "a file is not a directory");
        NS_TEST_ASSERT_MSG_EQ(RunRecorder::CheckPrefix("run-1_"), "", "plain prefix");
        NS_TEST_ASSERT_MSG_EQ(RunRecorder::CheckPrefix("../up"),
                              "Prefix='../up' is invalid: must be a file-name prefix without '/' "
                              "or '\\' (every output stays directly in OutputDirectory)",
                              "prefix with a slash");

        // gnuplot missing: the script and data are written, no PNG, and it says so on stderr.
        std::string out = dir + "/no-gnuplot";
        Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
        recorder->SetAttribute("OutputDirectory", StringValue(out));
        recorder->SetAttribute("GnuplotProgram", StringValue("edge-llm-no-such-gnuplot"));
        for (const auto& r : MakeRecords())
        {
            recorder->RecordTask(r);
        }
        recorder->Flush();
        NS_TEST_ASSERT_MSG_EQ(recorder->IsTimelineRendered(), false, "not rendered");
        NS_TEST_ASSERT_MSG_EQ(SystemPath::Exists(out + "/timeline.plt"), true, "script kept");
        NS_TEST_ASSERT_MSG_EQ(SystemPath::Exists(out + "/timeline.dat"), true, "data kept");
        NS_TEST_ASSERT_MSG_EQ(SystemPath::Exists(out + "/timeline.png"), false, "no PNG");
        // Iteration 0 was never ended: its tasks are in tasks.csv, iterations.csv has a header.
        NS_TEST_ASSERT_MSG_EQ(ReadLines(out + "/tasks.csv").size(), 4, "tasks kept");
        NS_TEST_ASSERT_MSG_EQ(ReadLines(out + "/iterations.csv").size(), 1, "header only");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The progress line: its text by hand; lines come about every Interval of wall time
 * while events keep the simulation busy, and the checks never keep a finished run alive.
 */
class RunProgressTestCase : public TestCase
{
  public:
    RunProgressTestCase()
        : TestCase("progress lines every interval of wall time; a finished run still ends")
    {
    }

  private:
    /// an event that takes 2 ms of wall time, then schedules the next until \p left run out
    static void Busy(uint32_t left, uint64_t* bytes)
    {
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
        while (std::chrono::steady_clock::now() < until)
        {
        }
        *bytes += 1000000;
        if (left > 1)
        {
            Simulator::Schedule(MilliSeconds(5), &Busy, left - 1, bytes);
        }
    }

    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(
            RunProgress::FormatLine("dssda", 12.3, 1234000000, 10.2, 0.25),
            "[progress] dssda: simulated 12.300 s, 1.23 GB delivered, wall 10 s, 25% done, "
            "about 31 s left",
            "line by hand: 10.2 s for a quarter, 30.6 s for the rest");
        NS_TEST_ASSERT_MSG_EQ(RunProgress::FormatLine("even", 1, 0, 3, 0),
                              "[progress] even: simulated 1.000 s, 0.00 GB delivered, wall 3 s",
                              "no estimate before any progress");

        // 150 events of 2 ms wall each (at least 0.3 s), 5 ms of simulated time apart
        uint64_t bytes = 0;
        const uint32_t events = 150;
        Simulator::Schedule(MilliSeconds(5), &Busy, events, &bytes);
        Ptr<RunProgress> progress = CreateObject<RunProgress>();
        progress->SetAttribute("Interval", TimeValue(MilliSeconds(50)));
        std::ostringstream lines;
        progress->SetStream(&lines);
        const Time end = MilliSeconds(5) * events;
        progress->Start(
            "test",
            [&bytes]() { return bytes; },
            [end]() { return Simulator::Now().GetSeconds() / end.GetSeconds(); });
        const auto start = std::chrono::steady_clock::now();
        Simulator::Run(); // must return: no Stop, the checks end with the work
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const Time last = Simulator::Now();
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_EQ(bytes, events * 1000000u, "every event ran");
        NS_TEST_ASSERT_MSG_LT(last, end + Seconds(1), "the checks stopped with the work");
        // a line at least every interval (checks about every tenth of it), not far more often
        const double expected = wall / 0.05;
        NS_TEST_ASSERT_MSG_GT_OR_EQ(progress->GetLineCount(),
                                    static_cast<uint32_t>(0.5 * expected),
                                    "lines over " << wall << " s:\n"
                                                  << lines.str());
        NS_TEST_ASSERT_MSG_LT_OR_EQ(progress->GetLineCount(),
                                    static_cast<uint32_t>(expected) + 1,
                                    "at most one line per interval");
        NS_TEST_ASSERT_MSG_NE(lines.str().find("[progress] test: simulated "),
                              std::string::npos,
                              lines.str());
        NS_TEST_ASSERT_MSG_NE(lines.str().find("% done, about "), std::string::npos, "estimate");
        progress->Dispose();
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief A quiet stretch (100 s of simulated time without events: the checks come quickly and
 * their step grows) followed by a busy one (events 5 ms of simulated time apart, 2 ms of wall
 * time each) still gives a line every interval: the step is bounded by MaxStep. (A step that
 * had grown unbounded through the quiet stretch covers the whole busy one: no line at all,
 * as a packet-level cache exchange after compute-only steps showed.)
 */
class RunProgressQuietThenBusyTestCase : public TestCase
{
  public:
    RunProgressQuietThenBusyTestCase()
        : TestCase("progress lines keep coming after a quiet stretch")
    {
    }

  private:
    /// an event that takes 2 ms of wall time, then schedules the next until \p left run out
    static void Busy(uint32_t left)
    {
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2);
        while (std::chrono::steady_clock::now() < until)
        {
        }
        if (left > 1)
        {
            Simulator::Schedule(MilliSeconds(5), &Busy, left - 1);
        }
    }

    void DoRun() override
    {
        const uint32_t events = 300; // 1.5 s of simulated time, at least 0.6 s of wall time
        Simulator::Schedule(Seconds(100), &Busy, events);
        Ptr<RunProgress> progress = CreateObject<RunProgress>();
        progress->SetAttribute("Interval", TimeValue(MilliSeconds(50)));
        std::ostringstream lines;
        progress->SetStream(&lines);
        progress->Start(
            "test",
            []() { return uint64_t(0); },
            []() { return 0.0; });
        Simulator::Run();
        Simulator::Destroy();
        const double busyWall = events * 0.002;
        NS_TEST_ASSERT_MSG_GT_OR_EQ(progress->GetLineCount(),
                                    static_cast<uint32_t>(0.5 * busyWall / 0.05),
                                    "lines:\n"
                                        << lines.str());
        progress->Dispose();
    }
};

/**
 * \ingroup edge-llm-tests
 * The run recorder suite.
 */
class RunRecorderTestSuite : public TestSuite
{
  public:
    RunRecorderTestSuite()
        : TestSuite("edge-llm-run-recorder", TestSuite::UNIT)
    {
        AddTestCase(new RunRecorderCsvTestCase);
        AddTestCase(new RunRecorderTraceTestCase);
        AddTestCase(new RunRecorderLaneTestCase);
        AddTestCase(new RunRecorderStreamingTestCase);
        AddTestCase(new RunRecorderDeterminismTestCase);
        AddTestCase(new RunRecorderBadInputTestCase);
        AddTestCase(new RunProgressTestCase);
        AddTestCase(new RunProgressQuietThenBusyTestCase);
    }
};

/** Static instance. */
static RunRecorderTestSuite g_runRecorderTestSuite;

} // namespace edgellm
} // namespace ns3
