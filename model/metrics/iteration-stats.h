/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_ITERATION_STATS_H
#define EDGE_LLM_ITERATION_STATS_H

#include "task-record.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Time accounting of one device in one iteration.
 *
 * All durations are lengths of unions of intervals inside the iteration's window, so a moment is
 * counted once however many tasks share it.
 */
struct DeviceIterationStats
{
    uint32_t device{0};            //!< device index
    bool active{false};            //!< true if the device ran at least one compute task
    uint32_t computeTasks{0};      //!< compute tasks it ran
    uint32_t transfersSent{0};     //!< transfers it sent
    uint32_t transfersReceived{0}; //!< transfers it received
    uint64_t bytesSent{0};         //!< bytes it sent
    uint64_t bytesReceived{0};     //!< bytes it received
    double flops{0.0};             //!< floating-point operations of its compute tasks
    Time busy;                     //!< compute-busy time: union of its compute intervals
    Time communication;            //!< union of the intervals in which it sends or receives
    Time overlap;                  //!< time both computing and communicating
    Time idle;                     //!< latency - busy (bubble)
    double bubbleFraction{0.0};    //!< idle / latency (0 when latency is 0)
};

/**
 * \ingroup edge-llm
 * \brief Statistics of one iteration (or round), computed from its task records.
 *
 * Definitions (doc/metrics.rst repeats them):
 * - window: [start, end] with end = the last task end and start = the iteration start given by
 *   the caller, or the first task start when none is given; latency = end - start.
 * - per device d: busy(d) = length of the union of d's compute intervals (compute tasks of one
 *   device do not overlap, so this is their sum); communication(d) = length of the union of the
 *   intervals of the transfers d sends or receives; overlap(d) = length of the
 *   intersection of the two unions;
 *   idle(d) = latency - busy(d); bubble(d) = idle(d) / latency.
 * - a device is active if it ran at least one compute task in the iteration.
 * - bubbleFraction = mean of bubble(d) over the active devices (0 if none).
 * - efficiency = sum over all devices of busy(d) / (deviceCount * latency). When every device is
 *   active, efficiency = 1 - bubbleFraction; devices without work lower the efficiency only.
 * - communication (iteration) = length of the union of all transfer intervals: the time at least
 *   one transfer is in flight.
 * - when latency is 0, bubble(d), bubbleFraction and efficiency are 0.
 */
struct IterationStats
{
    uint32_t iteration{0};                     //!< iteration index
    uint32_t deviceCount{0};                   //!< devices accounted (indices 0 .. deviceCount-1)
    Time start;                                //!< window start
    Time end;                                  //!< window end: last task end
    Time latency;                              //!< end - start
    uint32_t taskCount{0};                     //!< records of the iteration
    uint32_t computeTasks{0};                  //!< compute records
    uint32_t transferTasks{0};                 //!< transfer records
    uint64_t bytes{0};                         //!< bytes of all transfers
    double flops{0.0};                         //!< floating-point operations of all compute tasks
    Time computeBusy;                          //!< sum over devices of busy(d)
    Time communication;                        //!< union of all transfer intervals
    Time overlap;                              //!< sum over devices of overlap(d)
    uint32_t activeDevices{0};                 //!< devices with at least one compute task
    double bubbleFraction{0.0};                //!< mean bubble(d) over active devices
    double efficiency{0.0};                    //!< sum busy / (deviceCount * latency)
    std::vector<DeviceIterationStats> devices; //!< one entry per device, by index
};

/** A time interval [first, second]. */
using TimeInterval = std::pair<Time, Time>;

/**
 * \param intervals intervals (any order, may overlap; empty or reversed ones count as nothing)
 * \return the length of their union
 */
Time GetUnionLength(std::vector<TimeInterval> intervals);

/**
 * \param intervals intervals (any order, may overlap)
 * \return their union as sorted, disjoint, non-empty intervals
 */
std::vector<TimeInterval> MergeIntervals(std::vector<TimeInterval> intervals);

/**
 * \brief Check the records of one iteration before computing its statistics.
 *
 * \param records records; those of other iterations are ignored
 * \param iteration the iteration
 * \param deviceCount number of devices (must be positive)
 * \param iterationStart start of the iteration window; no task may start before it
 * \return "" if fine, otherwise the first problem found
 */
std::string CheckIterationRecords(const std::vector<TaskRecord>& records,
                                  uint32_t iteration,
                                  uint32_t deviceCount,
                                  Time iterationStart);

/**
 * \brief Statistics of one iteration, with the window starting at its first task.
 *
 * \param records records; those of other iterations are ignored
 * \param iteration the iteration
 * \param deviceCount number of devices; records must name devices below it
 *        (see CheckIterationRecords; a larger index raises the count rather than being dropped)
 * \return the statistics; all zero if the iteration has no record
 */
IterationStats ComputeIterationStats(const std::vector<TaskRecord>& records,
                                     uint32_t iteration,
                                     uint32_t deviceCount);

/**
 * \brief Statistics of one iteration, with the window starting at \p iterationStart.
 *
 * \param records records; those of other iterations are ignored
 * \param iteration the iteration
 * \param deviceCount number of devices; records must name devices below it
 * \param iterationStart window start; no task may start before it (see CheckIterationRecords)
 * \return the statistics
 */
IterationStats ComputeIterationStats(const std::vector<TaskRecord>& records,
                                     uint32_t iteration,
                                     uint32_t deviceCount,
                                     Time iterationStart);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_ITERATION_STATS_H */
