/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_RUN_RECORDER_H
#define EDGE_LLM_RUN_RECORDER_H

#include "iteration-stats.h"
#include "task-record.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
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
 * Files written by Flush under OutputDirectory (each name preceded by Prefix):
 * - tasks.csv: one row per task, in recording order;
 * - iterations.csv: one row per ended iteration;
 * - iteration_devices.csv: one row per (ended iteration, device);
 * - devices.csv: one row per device, totals over the ended iterations;
 * - trace.json: Chrome Trace Event Format (chrome://tracing, ui.perfetto.dev), if WriteTrace;
 * - timeline.plt, timeline.dat and, when gnuplot is found, timeline.png, if WritePlots.
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

    /** \return every record, in recording order */
    const std::vector<TaskRecord>& GetRecords() const;

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
    /**
     * Write tasks.csv.
     * \return "" on success, otherwise the problem
     */
    std::string WriteTasks() const;
    /**
     * Write iterations.csv, iteration_devices.csv and devices.csv.
     * \return "" on success, otherwise the problem
     */
    std::string WriteIterations() const;
    /**
     * Write trace.json.
     * \return "" on success, otherwise the problem
     */
    std::string WriteTrace() const;
    /**
     * Write timeline.plt and timeline.dat, and render timeline.png if gnuplot is found (a missing
     * or failing gnuplot is a warning, not a problem).
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
    std::string m_gnuplot;         //!< GnuplotProgram attribute

    std::vector<std::string> m_deviceNames;         //!< names set by SetDeviceNames
    std::vector<std::string> m_recordedNames;       //!< names seen in records, by index
    bool m_deviceCountFixed{false};                 //!< true once SetDeviceNames was called
    uint32_t m_deviceCount{0};                      //!< devices known
    std::vector<TaskRecord> m_records;              //!< every record
    std::map<uint32_t, std::vector<size_t>> m_open; //!< open iteration -> indices in m_records
    std::vector<IterationStats> m_stats;            //!< stats of the ended iterations
    std::map<uint32_t, size_t> m_ended;             //!< ended iteration -> index in m_stats
    bool m_timelineRendered{false};                 //!< last Flush rendered the PNG
    std::string m_failure;                          //!< the problem Fail is handling, if any

    TracedCallback<const TaskRecord&> m_taskRecordedTrace;       //!< TaskRecorded trace source
    TracedCallback<const IterationStats&> m_iterationEndedTrace; //!< IterationEnded trace source
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_RUN_RECORDER_H */
