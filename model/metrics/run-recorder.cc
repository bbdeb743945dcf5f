/* SPDX-License-Identifier: GPL-2.0-only */
#include "run-recorder.h"

#include "ns3/boolean.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/system-path.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <locale>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRunRecorder");

NS_OBJECT_ENSURE_REGISTERED(RunRecorder);

namespace
{

/**
 * A time as seconds with 9 decimals, from integer nanoseconds: exact, locale-free.
 * \param t the time
 * \return e.g. "0.001500000"
 */
std::string
FormatSeconds(Time t)
{
    int64_t ns = t.GetNanoSeconds();
    std::string sign = ns < 0 ? "-" : "";
    uint64_t magnitude = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
    char buffer[48];
    std::snprintf(buffer,
                  sizeof(buffer),
                  "%s%llu.%09llu",
                  sign.c_str(),
                  static_cast<unsigned long long>(magnitude / 1000000000ULL),
                  static_cast<unsigned long long>(magnitude % 1000000000ULL));
    return buffer;
}

/**
 * A double with a fixed number of decimals, independent of the locale.
 * \param value the value
 * \param decimals digits after the point
 * \return the text
 */
std::string
FormatFixed(double value, int decimals)
{
    char buffer[128];
    auto result =
        std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed, decimals);
    if (result.ec != std::errc())
    {
        return "nan";
    }
    return std::string(buffer, result.ptr);
}

/**
 * The shortest text that reads back as the same double, independent of the locale.
 * \param value the value
 * \return the text
 */
std::string
FormatShortest(double value)
{
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    if (result.ec != std::errc())
    {
        return "nan";
    }
    return std::string(buffer, result.ptr);
}

/**
 * A CSV field, quoted as RFC 4180 says when it holds a comma, a quote or a line break.
 * \param text the field
 * \return the field as written
 */
std::string
CsvField(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
    {
        return text;
    }
    std::string quoted = "\"";
    for (char c : text)
    {
        quoted += c;
        if (c == '"')
        {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

/**
 * A gnuplot single-quoted string (only the quote itself needs escaping there).
 * \param text the text
 * \return the quoted text
 */
std::string
GnuplotString(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text)
    {
        quoted += c;
        if (c == '\'')
        {
            quoted += '\'';
        }
    }
    return quoted + "'";
}

/**
 * A shell single-quoted word, for std::system.
 * \param text the text
 * \return the quoted text
 */
std::string
ShellQuote(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text)
    {
        if (c == '\'')
        {
            quoted += "'\\''";
        }
        else
        {
            quoted += c;
        }
    }
    return quoted + "'";
}

/**
 * Find an executable: a path containing '/' is taken as is, a bare name is searched in PATH.
 * \param program the program
 * \return its path, or "" if not found
 */
std::string
FindExecutable(const std::string& program)
{
    auto isExecutable = [](const std::string& path) {
        struct stat info;
        return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
               access(path.c_str(), X_OK) == 0;
    };
    if (program.empty())
    {
        return "";
    }
    if (program.find('/') != std::string::npos)
    {
        return isExecutable(program) ? program : "";
    }
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
    {
        std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
        if (isExecutable(candidate))
        {
            return candidate;
        }
    }
    return "";
}

/**
 * A string stream that formats numbers the same way whatever the global locale.
 */
class ClassicStream : public std::ostringstream
{
  public:
    ClassicStream()
    {
        imbue(std::locale::classic());
    }
};

/** Trace lanes of a device: thread id = lane kind + 3 * overflow index. */
enum LaneKind : uint32_t
{
    COMPUTE_LANE = 0, //!< compute tasks
    SEND_LANE = 1,    //!< transfers the device sends
    RECEIVE_LANE = 2, //!< transfers the device receives
};

/** One slice of the trace, before lanes are assigned. */
struct Slice
{
    uint32_t pid;    //!< device
    LaneKind kind;   //!< lane kind
    size_t record;   //!< index of the record among those given
    uint32_t tid{0}; //!< assigned thread id
};

/** Microseconds of a time, for the trace's ts and dur. */
double
Microseconds(Time t)
{
    return static_cast<double>(t.GetNanoSeconds()) / 1000.0;
}

/**
 * Append a trace event on its own line, after a comma unless it is the first.
 * \param text the events so far (of this piece)
 * \param events events in the file before it, counted up
 * \param event the event
 */
void
AppendEvent(std::string& text, uint64_t& events, const nlohmann::ordered_json& event)
{
    text += events++ == 0 ? "\n" : ",\n";
    text += event.dump();
}

} // namespace

TypeId
RunRecorder::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RunRecorder")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<RunRecorder>()
            .AddAttribute("OutputDirectory",
                          "Folder every output file goes into; created if missing. Must be set: "
                          "an empty value stops the run at the first Flush.",
                          StringValue(""),
                          MakeStringAccessor(&RunRecorder::m_outputDirectory),
                          MakeStringChecker())
            .AddAttribute("Prefix",
                          "Text put before every output file name (no '/').",
                          StringValue(""),
                          MakeStringAccessor(&RunRecorder::m_prefix),
                          MakeStringChecker())
            .AddAttribute("WritePlots",
                          "Write the gnuplot timeline (timeline.plt, timeline.dat) and render "
                          "timeline.png when gnuplot is found.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&RunRecorder::m_writePlots),
                          MakeBooleanChecker())
            .AddAttribute("WriteTrace",
                          "Write trace.json in the Chrome Trace Event Format.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&RunRecorder::m_writeTrace),
                          MakeBooleanChecker())
            .AddAttribute("KeepRecords",
                          "Keep every record in memory for GetRecords, besides tasks.csv (off: "
                          "memory stays bounded over long runs).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&RunRecorder::m_keepRecords),
                          MakeBooleanChecker())
            .AddAttribute("GnuplotProgram",
                          "gnuplot executable: a name searched in PATH or a path.",
                          StringValue("gnuplot"),
                          MakeStringAccessor(&RunRecorder::m_gnuplot),
                          MakeStringChecker())
            .AddTraceSource("TaskRecorded",
                            "A finished task was recorded.",
                            MakeTraceSourceAccessor(&RunRecorder::m_taskRecordedTrace),
                            "ns3::RunRecorder::TaskRecordedCallback")
            .AddTraceSource("IterationEnded",
                            "An iteration ended; its statistics were computed.",
                            MakeTraceSourceAccessor(&RunRecorder::m_iterationEndedTrace),
                            "ns3::RunRecorder::IterationEndedCallback");
    return tid;
}

RunRecorder::RunRecorder()
    : m_writePlots(true),
      m_writeTrace(true),
      m_keepRecords(false)
{
    NS_LOG_FUNCTION(this);
}

RunRecorder::~RunRecorder()
{
    NS_LOG_FUNCTION(this);
}

void
RunRecorder::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_records.clear();
    m_open.clear();
    m_lastEnded.clear();
    m_stats.clear();
    m_ended.clear();
    m_tasksFile.close();
    m_iterationsFile.close();
    m_iterationDevicesFile.close();
    m_traceFile.close();
    m_timelineData.close();
    Object::DoDispose();
}

std::string
RunRecorder::CheckOutputDirectory(const std::string& directory)
{
    if (directory.empty())
    {
        return "OutputDirectory='' is invalid: every output goes under the run's output "
               "directory; set ns3::RunRecorder::OutputDirectory to a folder path (created if "
               "missing)";
    }
    struct stat info;
    if (stat(directory.c_str(), &info) == 0 && !S_ISDIR(info.st_mode))
    {
        return "OutputDirectory='" + directory +
               "' is invalid: it exists and is not a directory; allowed: a directory or a path "
               "to create";
    }
    return "";
}

std::string
RunRecorder::CheckPrefix(const std::string& prefix)
{
    if (prefix.find_first_of("/\\") != std::string::npos)
    {
        return "Prefix='" + prefix +
               "' is invalid: must be a file-name prefix without '/' or '\\' (every output "
               "stays directly in OutputDirectory)";
    }
    return "";
}

void
RunRecorder::SetDeviceNames(std::vector<std::string> names)
{
    NS_LOG_FUNCTION(this << names.size());
    if (names.empty())
    {
        Fail("SetDeviceNames: names is empty; allowed: one name per device, at least one");
    }
    if (names.size() < m_deviceCount)
    {
        std::ostringstream os;
        os << "SetDeviceNames: " << names.size() << " names is too few: tasks already recorded "
           << "name device indices up to " << m_deviceCount - 1;
        Fail(os.str());
    }
    m_deviceNames = std::move(names);
    m_deviceCount = m_deviceNames.size();
    m_deviceCountFixed = true;
}

std::string
RunRecorder::GetDeviceName(uint32_t device) const
{
    if (device < m_deviceNames.size() && !m_deviceNames[device].empty())
    {
        return m_deviceNames[device];
    }
    if (device < m_recordedNames.size() && !m_recordedNames[device].empty())
    {
        return m_recordedNames[device];
    }
    return "device-" + std::to_string(device);
}

std::vector<std::string>
RunRecorder::GetDeviceNames() const
{
    std::vector<std::string> names;
    for (uint32_t d = 0; d < m_deviceCount; ++d)
    {
        names.push_back(GetDeviceName(d));
    }
    return names;
}

uint32_t
RunRecorder::GetDeviceCount() const
{
    return m_deviceCount;
}

void
RunRecorder::RecordTask(const TaskRecord& record)
{
    NS_LOG_FUNCTION(this << record.taskId << record.iteration);
    std::string problem = CheckTaskRecord(record, m_deviceCountFixed ? m_deviceCount : 0);
    if (!problem.empty())
    {
        Fail("RecordTask: " + problem);
    }
    if (m_ended.count(record.iteration) > 0)
    {
        std::ostringstream os;
        os << "RecordTask: task " << record.taskId << " belongs to iteration " << record.iteration
           << ", which has already ended; record tasks before EndIteration";
        Fail(os.str());
    }

    // Remember the names the runtime gives, for devices SetDeviceNames did not name.
    auto remember = [this](uint32_t device, const std::string& name) {
        if (name.empty())
        {
            return;
        }
        if (m_recordedNames.size() <= device)
        {
            m_recordedNames.resize(device + 1);
        }
        if (m_recordedNames[device].empty())
        {
            m_recordedNames[device] = name;
        }
    };
    remember(record.device, record.deviceName);
    m_deviceCount = std::max(m_deviceCount, record.device + 1);
    if (record.IsTransfer())
    {
        remember(static_cast<uint32_t>(record.peer), record.peerName);
        m_deviceCount = std::max(m_deviceCount, static_cast<uint32_t>(record.peer) + 1);
    }

    PendingRecord pending{m_recordCount++, record};
    TaskRecord& stored = pending.record;
    if (stored.deviceName.empty())
    {
        stored.deviceName = GetDeviceName(stored.device);
    }
    if (stored.IsTransfer() && stored.peerName.empty())
    {
        stored.peerName = GetDeviceName(static_cast<uint32_t>(stored.peer));
    }
    OpenStreams();
    StreamTask(pending);
    if (m_keepRecords)
    {
        m_records.push_back(stored);
    }
    std::vector<PendingRecord>& open = m_open[stored.iteration];
    open.push_back(std::move(pending));
    m_taskRecordedTrace(open.back().record);
}

IterationStats
RunRecorder::EndIteration(uint32_t iteration, Time iterationStart)
{
    NS_LOG_FUNCTION(this << iteration << iterationStart);
    if (m_ended.count(iteration) > 0)
    {
        Fail("EndIteration: iteration " + std::to_string(iteration) + " has already ended");
    }
    auto it = m_open.find(iteration);
    std::vector<TaskRecord> records;
    if (it != m_open.end())
    {
        records.reserve(it->second.size());
        for (const PendingRecord& p : it->second)
        {
            records.push_back(p.record);
        }
    }
    if (records.empty())
    {
        NS_LOG_WARN("EndIteration: iteration " << iteration << " has no recorded task");
    }
    else
    {
        std::string problem =
            CheckIterationRecords(records, iteration, m_deviceCount, iterationStart);
        if (!problem.empty())
        {
            Fail("EndIteration: " + problem);
        }
    }
    // the records leave the open set only now: if the checks fail they are flushed as open
    std::vector<PendingRecord> pending;
    if (it != m_open.end())
    {
        pending = std::move(it->second);
        m_open.erase(it);
    }
    IterationStats stats = ComputeIterationStats(records, iteration, m_deviceCount, iterationStart);
    m_ended.insert(iteration);
    m_stats.push_back(stats);
    OpenStreams();
    StreamIteration(stats);
    if (m_writeTrace)
    {
        // Iterations follow one another, so lanes assigned iteration by iteration are those a
        // sort of the whole run would give.
        using Json = nlohmann::ordered_json;
        std::string text = TraceEvents(pending, m_laneEnds, m_threads, m_traceEvents);
        AppendEvent(text,
                    m_traceEvents,
                    Json{{"name", "iteration " + std::to_string(iteration) + " end"},
                         {"cat", "iteration"},
                         {"ph", "i"},
                         {"s", "g"},
                         {"ts", Microseconds(stats.end)},
                         {"pid", 0},
                         {"tid", 0},
                         {"args",
                          {{"latency_us", Microseconds(stats.latency)},
                           {"bubbleFraction", stats.bubbleFraction},
                           {"efficiency", stats.efficiency}}}});
        m_traceFile.seekp(static_cast<std::streamoff>(m_traceCommitted));
        m_traceFile << text;
        m_traceCommitted += text.size();
        if (!m_traceFile)
        {
            Stop("RunRecorder::EndIteration: cannot write '" + GetOutputPath("trace.json") + "'");
        }
    }
    m_lastEnded = std::move(records);
    NS_LOG_INFO("iteration " << iteration << ": latency " << stats.latency.As(Time::MS)
                             << ", bubble " << stats.bubbleFraction << ", efficiency "
                             << stats.efficiency);
    m_iterationEndedTrace(stats);
    return stats;
}

const std::vector<TaskRecord>&
RunRecorder::GetRecords() const
{
    NS_ABORT_MSG_IF(!m_keepRecords,
                    "RunRecorder::GetRecords needs KeepRecords=true (set before the first "
                    "record); without it the records are only in tasks.csv");
    return m_records;
}

const std::vector<TaskRecord>&
RunRecorder::GetLastIterationRecords() const
{
    return m_lastEnded;
}

const std::vector<IterationStats>&
RunRecorder::GetIterationStats() const
{
    return m_stats;
}

bool
RunRecorder::IsTimelineRendered() const
{
    return m_timelineRendered;
}

std::string
RunRecorder::GetOutputPath(const std::string& fileName) const
{
    return SystemPath::Append(m_outputDirectory, m_prefix + fileName);
}

void
RunRecorder::Fail(const std::string& problem)
{
    // Keep what the run computed so far: the records and statistics explain the failure.
    m_failure = problem;
    if (CheckOutputDirectory(m_outputDirectory).empty() && CheckPrefix(m_prefix).empty())
    {
        Flush();
    }
    Stop(problem);
}

void
RunRecorder::Stop(const std::string& problem)
{
    if (!m_failure.empty() && m_failure != problem)
    {
        NS_FATAL_ERROR(m_failure << "; saving what was recorded also failed: " << problem);
    }
    NS_FATAL_ERROR(problem);
}

namespace
{

/**
 * Write a file at once.
 * \param path the path
 * \param contents the bytes
 * \return "" on success, otherwise the problem
 */
std::string
WriteFile(const std::string& path, const std::string& contents)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << contents;
    out.close();
    if (!out)
    {
        return "cannot write '" + path + "'";
    }
    return "";
}

} // namespace

void
RunRecorder::OpenStreams()
{
    if (m_streamsOpen)
    {
        return;
    }
    std::string problem = CheckOutputDirectory(m_outputDirectory);
    if (problem.empty())
    {
        problem = CheckPrefix(m_prefix);
    }
    if (!problem.empty())
    {
        Stop("RunRecorder: " + problem);
    }
    // Not SystemPath::MakeDirectories: it aborts on its own, which would hide the failure Fail
    // is saving the records for; this reports the reason through Stop instead.
    std::error_code error;
    std::filesystem::create_directories(m_outputDirectory, error);
    if (error)
    {
        Stop("RunRecorder: cannot create OutputDirectory='" + m_outputDirectory +
             "': " + error.message());
    }
    m_streamsOpen = true;
    auto open = [this](std::ofstream& file, const std::string& name, const char* header) {
        file.open(GetOutputPath(name), std::ios::binary | std::ios::trunc);
        file << header;
        if (!file)
        {
            Stop("RunRecorder: cannot write '" + GetOutputPath(name) + "'");
        }
    };
    open(m_tasksFile,
         "tasks.csv",
         "task_id,iteration,type,kind,device,device_name,peer,peer_name,micro_batch,label,"
         "start_s,end_s,duration_s,bytes,flops\n");
    open(m_iterationsFile,
         "iterations.csv",
         "iteration,start_s,end_s,latency_s,compute_busy_s,communication_s,overlap_s,"
         "bubble_fraction,efficiency,active_devices,devices,tasks,compute_tasks,"
         "transfer_tasks,bytes,flops\n");
    open(m_iterationDevicesFile,
         "iteration_devices.csv",
         "iteration,device,device_name,active,compute_tasks,transfers_sent,"
         "transfers_received,bytes_sent,bytes_received,flops,busy_s,communication_s,"
         "overlap_s,idle_s,bubble_fraction\n");
    if (m_writeTrace)
    {
        const std::string path = GetOutputPath("trace.json");
        m_traceFile.open(path, std::ios::binary | std::ios::in | std::ios::out | std::ios::trunc);
        const std::string header = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[";
        m_traceFile << header;
        m_traceCommitted = header.size();
        if (!m_traceFile)
        {
            Stop("RunRecorder: cannot write '" + path + "'");
        }
    }
}

void
RunRecorder::StreamTask(const PendingRecord& pending)
{
    const TaskRecord& r = pending.record;
    m_tasksFile << r.taskId << ',' << r.iteration << ',' << CsvField(r.type) << ','
                << CsvField(r.kind) << ',' << r.device << ',' << CsvField(r.deviceName) << ','
                << r.peer << ',' << CsvField(r.peerName) << ',' << r.microBatch << ','
                << CsvField(r.label) << ',' << FormatSeconds(r.start) << ',' << FormatSeconds(r.end)
                << ',' << FormatSeconds(r.GetDuration()) << ',' << r.bytes << ','
                << FormatShortest(r.flops) << '\n';
    if (!m_tasksFile)
    {
        Stop("RunRecorder::RecordTask: cannot write '" + GetOutputPath("tasks.csv") + "'");
    }
    m_lastEnd = std::max(m_lastEnd, r.end);
    if (!m_writePlots)
    {
        return;
    }
    if (!m_timelineData.is_open())
    {
        m_timelineData.open(GetOutputPath("timeline.dat"), std::ios::binary | std::ios::trunc);
        m_timelineData << "# edge-llm timeline: x y xlow xhigh ylow yhigh (boxxyerror) group; "
                          "times in seconds, groups named in timeline.plt\n";
    }
    // Groups are numbered as they first appear; the script names and colours them.
    auto key = std::make_pair(r.IsCompute() ? 0 : 1, r.kind);
    auto group = m_timelineGroups.emplace(key, m_timelineGroups.size()).first->second;
    auto seconds = [](Time t) { return FormatShortest(t.GetNanoSeconds() / 1e9); };
    // Lanes inside a device's row (y grows downwards): compute on top, then send, then receive.
    auto box = [&](uint32_t row, double lo, double hi) {
        double ylo = row + lo;
        double yhi = row + hi;
        m_timelineData << FormatShortest((r.start + r.end).GetNanoSeconds() / 2.0 / 1e9) << ' '
                       << FormatShortest((ylo + yhi) / 2) << ' ' << seconds(r.start) << ' '
                       << seconds(r.end) << ' ' << FormatShortest(ylo) << ' ' << FormatShortest(yhi)
                       << ' ' << group << '\n';
    };
    if (r.IsCompute())
    {
        box(r.device, -0.4, 0.0);
    }
    else
    {
        box(r.device, 0.02, 0.19);
        box(static_cast<uint32_t>(r.peer), 0.21, 0.38);
    }
    if (!m_timelineData)
    {
        Stop("RunRecorder::RecordTask: cannot write '" + GetOutputPath("timeline.dat") + "'");
    }
}

void
RunRecorder::StreamIteration(const IterationStats& s)
{
    m_iterationsFile << s.iteration << ',' << FormatSeconds(s.start) << ',' << FormatSeconds(s.end)
                     << ',' << FormatSeconds(s.latency) << ',' << FormatSeconds(s.computeBusy)
                     << ',' << FormatSeconds(s.communication) << ',' << FormatSeconds(s.overlap)
                     << ',' << FormatFixed(s.bubbleFraction, 9) << ','
                     << FormatFixed(s.efficiency, 9) << ',' << s.activeDevices << ','
                     << s.deviceCount << ',' << s.taskCount << ',' << s.computeTasks << ','
                     << s.transferTasks << ',' << s.bytes << ',' << FormatShortest(s.flops) << '\n';
    m_totalLatency += s.latency;
    for (const auto& d : s.devices)
    {
        m_iterationDevicesFile << s.iteration << ',' << d.device << ','
                               << CsvField(GetDeviceName(d.device)) << ',' << (d.active ? 1 : 0)
                               << ',' << d.computeTasks << ',' << d.transfersSent << ','
                               << d.transfersReceived << ',' << d.bytesSent << ','
                               << d.bytesReceived << ',' << FormatShortest(d.flops) << ','
                               << FormatSeconds(d.busy) << ',' << FormatSeconds(d.communication)
                               << ',' << FormatSeconds(d.overlap) << ',' << FormatSeconds(d.idle)
                               << ',' << FormatFixed(d.bubbleFraction, 9) << '\n';
        if (d.device >= m_totals.size())
        {
            m_totals.resize(d.device + 1);
            m_activeIterations.resize(d.device + 1, 0);
        }
        DeviceIterationStats& t = m_totals[d.device];
        t.device = d.device;
        t.computeTasks += d.computeTasks;
        t.transfersSent += d.transfersSent;
        t.transfersReceived += d.transfersReceived;
        t.bytesSent += d.bytesSent;
        t.bytesReceived += d.bytesReceived;
        t.flops += d.flops;
        t.busy += d.busy;
        t.communication += d.communication;
        t.overlap += d.overlap;
        t.idle += d.idle;
        m_activeIterations[d.device] += d.active ? 1 : 0;
    }
    if (!m_iterationsFile || !m_iterationDevicesFile)
    {
        Stop("RunRecorder::EndIteration: cannot write '" + GetOutputPath("iterations.csv") +
             "' or '" + GetOutputPath("iteration_devices.csv") + "'");
    }
}

void
RunRecorder::Flush()
{
    NS_LOG_FUNCTION(this);
    std::string problem = CheckOutputDirectory(m_outputDirectory);
    if (problem.empty())
    {
        problem = CheckPrefix(m_prefix);
    }
    if (!problem.empty())
    {
        Stop("RunRecorder::Flush: " + problem);
    }
    OpenStreams();
    for (auto [file, name] : {std::make_pair(&m_tasksFile, "tasks.csv"),
                              std::make_pair(&m_iterationsFile, "iterations.csv"),
                              std::make_pair(&m_iterationDevicesFile, "iteration_devices.csv")})
    {
        file->flush();
        if (!*file && problem.empty())
        {
            problem = "cannot write '" + GetOutputPath(name) + "'";
        }
    }
    if (problem.empty())
    {
        problem = WriteDevices();
    }
    if (problem.empty() && m_writeTrace)
    {
        problem = WriteTraceTail();
    }
    m_timelineRendered = false;
    if (problem.empty() && m_writePlots)
    {
        problem = WritePlots();
    }
    if (!problem.empty())
    {
        Stop("RunRecorder::Flush: " + problem);
    }
}

std::string
RunRecorder::WriteDevices() const
{
    ClassicStream devices;
    devices << "device,device_name,active_iterations,compute_tasks,transfers_sent,"
               "transfers_received,bytes_sent,bytes_received,flops,busy_s,communication_s,"
               "overlap_s,idle_s,bubble_fraction\n";
    for (uint32_t d = 0; d < m_totals.size(); ++d)
    {
        const DeviceIterationStats& t = m_totals[d];
        // Over the whole run: idle time over the sum of the iteration latencies.
        double bubble = m_totalLatency.IsStrictlyPositive()
                            ? static_cast<double>(t.idle.GetTimeStep()) /
                                  static_cast<double>(m_totalLatency.GetTimeStep())
                            : 0.0;
        devices << d << ',' << CsvField(GetDeviceName(d)) << ',' << m_activeIterations[d] << ','
                << t.computeTasks << ',' << t.transfersSent << ',' << t.transfersReceived << ','
                << t.bytesSent << ',' << t.bytesReceived << ',' << FormatShortest(t.flops) << ','
                << FormatSeconds(t.busy) << ',' << FormatSeconds(t.communication) << ','
                << FormatSeconds(t.overlap) << ',' << FormatSeconds(t.idle) << ','
                << FormatFixed(bubble, 9) << '\n';
    }
    return WriteFile(GetOutputPath("devices.csv"), devices.str());
}

std::string
RunRecorder::TraceEvents(const std::vector<PendingRecord>& records,
                         LaneEnds& laneEnds,
                         Threads& threads,
                         uint64_t& events)
{
    using Json = nlohmann::ordered_json;

    // Slices: a compute task on its device's compute lane, a transfer on the sender's send lane
    // and on the receiver's receive lane.
    std::vector<Slice> slices;
    for (size_t i = 0; i < records.size(); ++i)
    {
        const TaskRecord& r = records[i].record;
        if (r.IsCompute())
        {
            slices.push_back({r.device, COMPUTE_LANE, i});
        }
        else
        {
            slices.push_back({r.device, SEND_LANE, i});
            slices.push_back({static_cast<uint32_t>(r.peer), RECEIVE_LANE, i});
        }
    }

    // Slices on one thread must nest, so overlapping ones (two concurrent sends, say) go to
    // extra lanes: first fit, in start order.
    std::vector<size_t> order(slices.size());
    for (size_t i = 0; i < order.size(); ++i)
    {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const TaskRecord& ra = records[slices[a].record].record;
        const TaskRecord& rb = records[slices[b].record].record;
        return std::tie(slices[a].pid, slices[a].kind, ra.start, ra.end) <
               std::tie(slices[b].pid, slices[b].kind, rb.start, rb.end);
    });
    for (size_t i : order)
    {
        Slice& s = slices[i];
        const TaskRecord& r = records[s.record].record;
        auto& ends = laneEnds[{s.pid, s.kind}];
        size_t lane = 0;
        while (lane < ends.size() && ends[lane] > r.start)
        {
            ++lane;
        }
        if (lane == ends.size())
        {
            ends.push_back(r.end);
        }
        else
        {
            ends[lane] = r.end;
        }
        s.tid = s.kind + 3 * static_cast<uint32_t>(lane);
        threads.insert({s.pid, s.tid});
    }

    // One event per line: readable, diffable and deterministic.
    std::string text;
    for (size_t i = 0; i < slices.size(); ++i)
    {
        const Slice& s = slices[i];
        const TaskRecord& r = records[s.record].record;
        const uint64_t id = records[s.record].sequence;
        Json args{{"task", r.taskId},
                  {"iteration", r.iteration},
                  {"kind", r.kind},
                  {"microBatch", r.microBatch},
                  {"bytes", r.bytes},
                  {"flops", r.flops}};
        if (r.IsTransfer())
        {
            args["from"] = r.deviceName;
            args["to"] = r.peerName;
        }
        std::string name = r.label.empty() ? r.kind : r.label;
        AppendEvent(text,
                    events,
                    Json{{"name", name},
                         {"cat", r.type},
                         {"ph", "X"},
                         {"ts", Microseconds(r.start)},
                         {"dur", Microseconds(r.GetDuration())},
                         {"pid", s.pid},
                         {"tid", s.tid},
                         {"args", args}});
        // A flow arrow from the send slice to the receive slice (the next slice).
        if (s.kind == SEND_LANE && i + 1 < slices.size())
        {
            const Slice& receive = slices[i + 1];
            AppendEvent(text,
                        events,
                        Json{{"name", name},
                             {"cat", r.type},
                             {"ph", "s"},
                             {"id", id},
                             {"ts", Microseconds(r.start)},
                             {"pid", s.pid},
                             {"tid", s.tid}});
            AppendEvent(text,
                        events,
                        Json{{"name", name},
                             {"cat", r.type},
                             {"ph", "f"},
                             {"bp", "e"},
                             {"id", id},
                             {"ts", Microseconds(r.start)},
                             {"pid", receive.pid},
                             {"tid", receive.tid}});
        }
    }
    return text;
}

std::string
RunRecorder::WriteTraceTail()
{
    using Json = nlohmann::ordered_json;
    // The open iterations' events go on copies of the lanes: they are rewritten at each Flush
    // until their iteration ends and commits them.
    LaneEnds laneEnds = m_laneEnds;
    Threads threads = m_threads;
    uint64_t events = m_traceEvents;
    std::string tail;
    for (const auto& [iteration, records] : m_open)
    {
        tail += TraceEvents(records, laneEnds, threads, events);
    }

    static const char* laneNames[] = {"compute", "send", "receive"};
    const uint32_t deviceCount = GetDeviceCount();
    for (uint32_t d = 0; d < deviceCount; ++d)
    {
        for (uint32_t k = 0; k < 3; ++k)
        {
            threads.insert({d, k});
        }
    }
    for (uint32_t d = 0; d < deviceCount; ++d)
    {
        AppendEvent(tail,
                    events,
                    Json{{"name", "process_name"},
                         {"ph", "M"},
                         {"pid", d},
                         {"tid", 0},
                         {"args", {{"name", GetDeviceName(d)}}}});
        AppendEvent(tail,
                    events,
                    Json{{"name", "process_sort_index"},
                         {"ph", "M"},
                         {"pid", d},
                         {"tid", 0},
                         {"args", {{"sort_index", d}}}});
    }
    for (const auto& [pid, tid] : threads)
    {
        std::string name = laneNames[tid % 3];
        if (tid >= 3)
        {
            name += " #" + std::to_string(tid / 3 + 1);
        }
        AppendEvent(tail,
                    events,
                    Json{{"name", "thread_name"},
                         {"ph", "M"},
                         {"pid", pid},
                         {"tid", tid},
                         {"args", {{"name", name}}}});
        AppendEvent(tail,
                    events,
                    Json{{"name", "thread_sort_index"},
                         {"ph", "M"},
                         {"pid", pid},
                         {"tid", tid},
                         {"args", {{"sort_index", tid}}}});
    }
    tail += "\n]}\n";

    const std::string path = GetOutputPath("trace.json");
    m_traceFile.seekp(static_cast<std::streamoff>(m_traceCommitted));
    m_traceFile << tail;
    m_traceFile.flush();
    if (!m_traceFile)
    {
        return "cannot write '" + path + "'";
    }
    // A shorter tail than the last one leaves old bytes behind it: cut them.
    std::error_code error;
    std::filesystem::resize_file(path, m_traceCommitted + tail.size(), error);
    if (error)
    {
        return "cannot write '" + path + "': " + error.message();
    }
    return "";
}

std::string
RunRecorder::WritePlots()
{
    const std::string dataName = m_prefix + "timeline.dat";
    const std::string scriptName = m_prefix + "timeline.plt";
    const std::string imageName = m_prefix + "timeline.png";
    const std::string logName = m_prefix + "timeline.log";
    if (m_recordCount == 0)
    {
        NS_LOG_INFO("no task recorded: no timeline");
        return "";
    }
    m_timelineData.flush();
    if (!m_timelineData)
    {
        return "cannot write '" + GetOutputPath("timeline.dat") + "'";
    }

    // Time unit of the x axis, from the span of the run (the data is in seconds).
    std::string unit = "us";
    double divisor = 1e3; // nanoseconds per unit
    if (m_lastEnd >= Seconds(10))
    {
        unit = "s";
        divisor = 1e9;
    }
    else if (m_lastEnd >= MilliSeconds(10))
    {
        unit = "ms";
        divisor = 1e6;
    }
    auto x = [divisor](Time t) { return FormatShortest(t.GetNanoSeconds() / divisor); };
    const std::string scale = FormatShortest(1e9 / divisor);

    static const char* palette[] = {"#1f77b4",
                                    "#ff7f0e",
                                    "#2ca02c",
                                    "#d62728",
                                    "#9467bd",
                                    "#8c564b",
                                    "#e377c2",
                                    "#7f7f7f",
                                    "#bcbd22",
                                    "#17becf"};
    uint32_t deviceCount = GetDeviceCount();
    uint32_t height = std::max(300u, 140 + 60 * deviceCount);
    ClassicStream plt;
    plt << "# edge-llm run timeline, written by ns3::RunRecorder.\n"
        << "# Render it from this folder: gnuplot " << scriptName << "\n"
        << "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
        << "    set terminal pngcairo noenhanced size 1400," << height << " font 'sans,10'\n"
        << "} else {\n"
        << "    set terminal png noenhanced size 1400," << height << "\n"
        << "}\n"
        << "set output " << GnuplotString(imageName) << "\n"
        << "set title 'Run timeline: " << m_recordCount << " tasks, " << m_stats.size()
        << " iterations ended'\n"
        << "set xlabel 'simulation time (" << unit << ")'\n"
        << "set ylabel 'device (rows: compute, send, receive)'\n"
        << "set yrange [" << FormatShortest(deviceCount - 0.5) << ":-0.5]\n"
        << "set xrange [0:*]\n"
        << "set ytics (";
    for (uint32_t d = 0; d < deviceCount; ++d)
    {
        plt << (d > 0 ? ", " : "") << GnuplotString(GetDeviceName(d)) << ' ' << d;
    }
    plt << ")\n"
        << "set grid xtics\n"
        << "set key outside below horizontal\n";
    // Dashed lines at the iteration boundaries (a few hundred at most, to stay readable).
    if (m_stats.size() <= 200)
    {
        std::set<int64_t> marks;
        for (const IterationStats& stats : m_stats)
        {
            marks.insert(stats.start.GetNanoSeconds());
            marks.insert(stats.end.GetNanoSeconds());
        }
        for (int64_t ns : marks)
        {
            plt << "set arrow from " << x(NanoSeconds(ns)) << ", graph 0 to " << x(NanoSeconds(ns))
                << ", graph 1 nohead dashtype 2 linecolor rgb '#999999'\n";
        }
    }
    // One plot per (type, kind), compute kinds first, then transfer kinds, each sorted; a row
    // of another group is undefined (1/0) and skipped.
    plt << "plot ";
    uint32_t block = 0;
    for (const auto& [key, group] : m_timelineGroups)
    {
        bool compute = key.first == 0;
        std::string color = palette[block % 10];
        plt << (block > 0 ? ", \\\n     " : "") << GnuplotString(dataName) << " using ($1*" << scale
            << "):($7==" << group << "?$2:1/0):($3*" << scale << "):($4*" << scale
            << "):5:6 with boxxyerror linecolor rgb '" << color
            << "' "
            // Compute: solid boxes; transfers: translucent, so concurrent ones stay visible.
            << (compute ? "fillstyle solid 0.9 border linecolor rgb '#333333'"
                        : "fillstyle transparent solid 0.45 border linecolor rgb '" + color + "'")
            << " title " << GnuplotString((compute ? "compute: " : "transfer: ") + key.second);
        ++block;
    }
    plt << "\n";

    const std::string scriptPath = GetOutputPath("timeline.plt");
    std::string problem = WriteFile(scriptPath, plt.str());
    if (!problem.empty())
    {
        return problem;
    }

    std::string gnuplot = FindExecutable(m_gnuplot);
    if (gnuplot.empty())
    {
        // Said aloud, not only in the log: the user expects a PNG.
        std::cerr << "RunRecorder warning: gnuplot program '" << m_gnuplot
                  << "' not found; timeline.png not rendered. Render it with: cd "
                  << ShellQuote(m_outputDirectory) << " && gnuplot " << ShellQuote(scriptName)
                  << std::endl;
        NS_LOG_WARN("gnuplot '" << m_gnuplot << "' not found; wrote " << scriptPath);
        return "";
    }
    // Relative names in the script, so it renders wherever the folder is moved: run it there.
    std::string command = "cd " + ShellQuote(m_outputDirectory) + " && " + ShellQuote(gnuplot) +
                          " " + ShellQuote(scriptName) + " > " + ShellQuote(logName) + " 2>&1";
    const std::string imagePath = GetOutputPath("timeline.png");
    const std::string logPath = GetOutputPath("timeline.log");
    std::remove(imagePath.c_str());
    int status = std::system(command.c_str());
    bool succeeded = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                     SystemPath::Exists(imagePath);
    if (!succeeded)
    {
        std::cerr << "RunRecorder warning: gnuplot failed (status " << status
                  << ") rendering timeline.png; see " << logPath << std::endl;
        NS_LOG_WARN("gnuplot failed with status " << status << "; see " << logPath);
        return "";
    }
    std::remove(logPath.c_str());
    m_timelineRendered = true;
    return "";
}

} // namespace edgellm
} // namespace ns3
