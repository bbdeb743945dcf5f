/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_RUN_RECORDER_H
#define EDGE_LLM_RUN_RECORDER_H

#include "iteration-stats.h"
#include "task-record.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Records what every task of a run did and writes it out: tidy CSV, a Chrome / Perfetto
 * trace and a gnuplot timeline.
 *
 * The runtime calls RecordTask when a task finishes, EndIteration when an iteration (or round)
 * is complete, and Flush at the end of the run (or on an error path: Flush writes everything
 * recorded so far, and can be called any number of times). The recorder knows nothing of task
 * graphs or applications: it takes plain TaskRecord values.
 *
 * Memory stays bounded over long runs: records stream to their files as they come (a task row
 * when the task is recorded, the iteration rows and trace events when the iteration ends), and
 * the recorder keeps only the records of the iterations still open, the last ended one and the
 * iterations' statistics. Set KeepRecords to keep every record too (GetRecords).
 *
 * Files under OutputDirectory (each name preceded by Prefix), created at the first record,
 * EndIteration or Flush; set the attributes before that:
 * - tasks.csv: one row per task, in recording order;
 * - iterations.csv: one row per ended iteration, in the order they ended;
 * - iteration_devices.csv: one row per (ended iteration, device);
 * - devices.csv: one row per device, totals over the ended iterations (rewritten by Flush);
 * - trace.json: Chrome Trace Event Format (chrome://tracing, ui.perfetto.dev), if WriteTrace:
 *   the ended iterations' events, then (written by Flush) those of the open iterations and the
 *   process and thread names; complete JSON after every Flush;
 * - timeline.plt, timeline.dat and, when gnuplot is found, timeline.png, if WritePlots (the
 *   data streams; Flush writes the script and renders).
 *
 * Output is deterministic: times are written from integer nanoseconds, numbers without the
 * locale, nothing depends on pointers or the wall clock; the same records give byte-identical
 * CSV, JSON and gnuplot files.
 */
class RunRecorder : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RunRecorder();
    ~RunRecorder() override;

    /**
     * TracedCallback signature for a recorded task.
     * \param record the task record, device names filled in
     */
    typedef void (*TaskRecordedCallback)(const TaskRecord& record);

    /**
     * TracedCallback signature for an ended iteration.
     * \param stats the iteration's statistics
     */
    typedef void (*IterationEndedCallback)(const IterationStats& stats);

    /**
     * \brief Check an output directory value.
     * \param directory the value of OutputDirectory
     * \return "" if usable, otherwise the problem
     */
    static std::string CheckOutputDirectory(const std::string& directory);

    /**
     * \brief Check a file name prefix.
     * \param prefix the value of Prefix
     * \return "" if usable, otherwise the problem
     */
    static std::string CheckPrefix(const std::string& prefix);

    /**
     * \brief Name the devices; index i is device i. Also fixes the device count: records must
     * then name devices below it.
     * \param names one name per device
     */
    void SetDeviceNames(std::vector<std::string> names);

    /**
     * \return the device names: those set, completed from the records and with "device-<i>"
     */
    std::vector<std::string> GetDeviceNames() const;

    /**
     * \return the number of devices: the names set, or one more than the largest index recorded
     */
    uint32_t GetDeviceCount() const;

    /**
     * \brief Record a finished task. Empty device and peer names are filled from the names set.
     * An inconsistent record (see CheckTaskRecord) flushes what was recorded so far and stops the
     * run with the problem.
     * \param record the task
     */
    void RecordTask(const TaskRecord& record);

    /**
     * \brief Close an iteration: compute and store its statistics.
     *
     * An inconsistent iteration (see CheckIterationRecords) flushes what was recorded so far and
     * stops the run with the problem; ending the same iteration twice too.
     *
     * \param iteration the iteration
     * \param iterationStart when it started (the latency is measured from it)
     * \return its statistics
     */
    IterationStats EndIteration(uint32_t iteration, Time iterationStart);

    /**
     * \brief Write every output file from what was recorded so far (see the class description).
     * Stops the run if OutputDirectory or Prefix is invalid or a file cannot be written.
     */
    void Flush();

    /**
     * \return every record, in recording order; needs KeepRecords (stops the run otherwise:
     * without it the records are only in tasks.csv)
     */
    const std::vector<TaskRecord>& GetRecords() const;

    /**
     * \return the records of the iteration that ended last, in recording order (empty before
     * the first EndIteration); valid until the next EndIteration
     */
    const std::vector<TaskRecord>& GetLastIterationRecords() const;

    /** \return the statistics of the ended iterations, in the order they were ended */
    const std::vector<IterationStats>& GetIterationStats() const;

    /**
     * \param fileName a file name, e.g. "tasks.csv"
     * \return its path under OutputDirectory, with Prefix
     */
    std::string GetOutputPath(const std::string& fileName) const;

    /**
     * \brief Whether the last Flush rendered timeline.png.
     * \return true if gnuplot ran and succeeded
     */
    bool IsTimelineRendered() const;

  protected:
    void DoDispose() override;

  private:
    /** A record waiting for its iteration to end, with its place in the recording order. */
    struct PendingRecord
    {
        uint64_t sequence; //!< recording order, from 0
        TaskRecord record; //!< the record, device names filled in
    };

    /// (device, lane kind) -> end of each lane's last slice
    using LaneEnds = std::map<std::pair<uint32_t, uint32_t>, std::vector<Time>>;
    /// (device, thread id) used by a slice
    using Threads = std::set<std::pair<uint32_t, uint32_t>>;

    /**
     * Create the folder and open the streamed files with their headers, once. Stops the run if
     * OutputDirectory or Prefix is invalid or a file cannot be opened.
     */
    void OpenStreams();
    /**
     * Append a record's row to tasks.csv and its boxes to timeline.dat.
     * \param pending the record
     */
    void StreamTask(const PendingRecord& pending);
    /**
     * Append an ended iteration's rows to iterations.csv and iteration_devices.csv, and add it to
     * the run totals.
     * \param stats the iteration's statistics
     */
    void StreamIteration(const IterationStats& stats);
    /**
     * Trace events of records: slices put on lanes (first fit in start order, from \p laneEnds),
     * flow arrows from send to receive. Each event starts a line, after a comma unless it is the
     * first of the file. \param records the records, in recording order \param laneEnds lane state,
     * updated \param threads threads used, updated \param events events before them in the file,
     * counted up \return the events
     */
    static std::string TraceEvents(const std::vector<PendingRecord>& records,
                                   LaneEnds& laneEnds,
                                   Threads& threads,
                                   uint64_t& events);
    /**
     * Write devices.csv.
     * \return "" on success, otherwise the problem
     */
    std::string WriteDevices() const;
    /**
     * Complete trace.json: the open iterations' events, the names, the closing brackets.
     * \return "" on success, otherwise the problem
     */
    std::string WriteTraceTail();
    /**
     * Write timeline.plt, and render timeline.png if gnuplot is found (a missing or failing
     * gnuplot is a warning, not a problem).
     * \return "" on success, otherwise the problem
     */
    std::string WritePlots();
    /**
     * Name of a device.
     * \param device the index
     * \return its name
     */
    std::string GetDeviceName(uint32_t device) const;
    /**
     * Flush what was recorded (if OutputDirectory and Prefix allow) and stop the run.
     * \param problem the message
     */
    [[noreturn]] void Fail(const std::string& problem);
    /**
     * Stop the run without flushing; inside Fail, name the original failure too.
     * \param problem the message
     */
    [[noreturn]] void Stop(const std::string& problem);

    std::string m_outputDirectory; //!< OutputDirectory attribute
    std::string m_prefix;          //!< Prefix attribute
    bool m_writePlots;             //!< WritePlots attribute
    bool m_writeTrace;             //!< WriteTrace attribute
    bool m_keepRecords;            //!< KeepRecords attribute
    std::string m_gnuplot;         //!< GnuplotProgram attribute

    std::vector<std::string> m_deviceNames;                //!< names set by SetDeviceNames
    std::vector<std::string> m_recordedNames;              //!< names seen in records, by index
    bool m_deviceCountFixed{false};                        //!< true once SetDeviceNames was called
    uint32_t m_deviceCount{0};                             //!< devices known
    uint64_t m_recordCount{0};                             //!< records so far
    std::vector<TaskRecord> m_records;                     //!< every record, if KeepRecords
    std::map<uint32_t, std::vector<PendingRecord>> m_open; //!< open iteration -> its records
    std::vector<TaskRecord> m_lastEnded;                   //!< records of the iteration ended last
    std::vector<IterationStats> m_stats;                   //!< stats of the ended iterations
    std::set<uint32_t> m_ended;                            //!< ended iterations
    std::vector<DeviceIterationStats> m_totals; //!< run totals per device, ended iterations
    std::vector<uint32_t> m_activeIterations;   //!< per device: ended iterations it was active
    Time m_totalLatency;                        //!< sum of the ended iterations' latencies
    bool m_timelineRendered{false};             //!< last Flush rendered the PNG
    std::string m_failure;                      //!< the problem Fail is handling, if any

    bool m_streamsOpen{false};            //!< OpenStreams has run
    std::ofstream m_tasksFile;            //!< tasks.csv
    std::ofstream m_iterationsFile;       //!< iterations.csv
    std::ofstream m_iterationDevicesFile; //!< iteration_devices.csv
    std::fstream m_traceFile;             //!< trace.json, if WriteTrace
    uint64_t m_traceCommitted{0};         //!< bytes of trace.json that stay (the ended events)
    uint64_t m_traceEvents{0};            //!< events in those bytes
    LaneEnds m_laneEnds;                  //!< trace lanes after the ended iterations
    Threads m_threads;                    //!< trace threads of the ended iterations
    std::ofstream m_timelineData;         //!< timeline.dat, if WritePlots (opened at a record)
    std::map<std::pair<int, std::string>, uint32_t> m_timelineGroups; //!< (type, kind) -> column
    Time m_lastEnd;                                                   //!< latest task end

    TracedCallback<const TaskRecord&> m_taskRecordedTrace;       //!< TaskRecorded trace source
    TracedCallback<const IterationStats&> m_iterationEndedTrace; //!< IterationEnded trace source
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_RUN_RECORDER_H */
