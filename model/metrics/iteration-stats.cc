/* SPDX-License-Identifier: GPL-2.0-only */
#include "iteration-stats.h"

#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmIterationStats");

std::vector<TimeInterval>
MergeIntervals(std::vector<TimeInterval> intervals)
{
    intervals.erase(std::remove_if(intervals.begin(),
                                   intervals.end(),
                                   [](const TimeInterval& i) { return i.second <= i.first; }),
                    intervals.end());
    std::sort(intervals.begin(), intervals.end());
    std::vector<TimeInterval> merged;
    for (const auto& interval : intervals)
    {
        if (!merged.empty() && interval.first <= merged.back().second)
        {
            merged.back().second = std::max(merged.back().second, interval.second);
        }
        else
        {
            merged.push_back(interval);
        }
    }
    return merged;
}

Time
GetUnionLength(std::vector<TimeInterval> intervals)
{
    Time total;
    for (const auto& interval : MergeIntervals(std::move(intervals)))
    {
        total += interval.second - interval.first;
    }
    return total;
}

namespace
{

/**
 * Length of the intersection of two unions, each given as sorted disjoint intervals.
 * \param a first union
 * \param b second union
 * \return the length of a intersected with b
 */
Time
GetIntersectionLength(const std::vector<TimeInterval>& a, const std::vector<TimeInterval>& b)
{
    Time total;
    size_t i = 0;
    size_t j = 0;
    while (i < a.size() && j < b.size())
    {
        Time lo = std::max(a[i].first, b[j].first);
        Time hi = std::min(a[i].second, b[j].second);
        if (hi > lo)
        {
            total += hi - lo;
        }
        // Advance whichever interval ends first: it cannot meet anything later in the other list.
        if (a[i].second < b[j].second)
        {
            ++i;
        }
        else
        {
            ++j;
        }
    }
    return total;
}

double
Ratio(Time numerator, Time denominator)
{
    if (!denominator.IsStrictlyPositive())
    {
        return 0.0;
    }
    // Integer time steps, so the ratio does not depend on the time unit.
    return static_cast<double>(numerator.GetTimeStep()) /
           static_cast<double>(denominator.GetTimeStep());
}

IterationStats
Compute(const std::vector<TaskRecord>& records,
        uint32_t iteration,
        uint32_t deviceCount,
        bool hasStart,
        Time iterationStart)
{
    IterationStats stats;
    stats.iteration = iteration;

    bool first = true;
    Time firstStart;
    Time lastEnd;
    uint32_t count = deviceCount;
    for (const auto& r : records)
    {
        if (r.iteration != iteration)
        {
            continue;
        }
        if (first || r.start < firstStart)
        {
            firstStart = r.start;
        }
        if (first || r.end > lastEnd)
        {
            lastEnd = r.end;
        }
        first = false;
        count = std::max(count, r.device + 1);
        if (r.IsTransfer() && r.peer >= 0)
        {
            count = std::max(count, static_cast<uint32_t>(r.peer) + 1);
        }
    }
    if (count != deviceCount)
    {
        NS_LOG_WARN("iteration " << iteration << ": records name device indices up to " << count - 1
                                 << ", beyond deviceCount=" << deviceCount << "; accounting "
                                 << count << " devices");
    }
    stats.deviceCount = count;
    if (first)
    {
        firstStart = hasStart ? iterationStart : Time();
        lastEnd = firstStart;
    }
    stats.start = hasStart ? std::min(iterationStart, firstStart) : firstStart;
    stats.end = std::max(lastEnd, stats.start);
    stats.latency = stats.end - stats.start;

    std::vector<std::vector<TimeInterval>> compute(count);
    std::vector<std::vector<TimeInterval>> comm(count);
    std::vector<TimeInterval> allTransfers;
    stats.devices.resize(count);
    for (uint32_t d = 0; d < count; ++d)
    {
        stats.devices[d].device = d;
    }
    for (const auto& r : records)
    {
        if (r.iteration != iteration)
        {
            continue;
        }
        ++stats.taskCount;
        TimeInterval interval(r.start, r.end);
        DeviceIterationStats& src = stats.devices[r.device];
        if (r.IsCompute())
        {
            ++stats.computeTasks;
            stats.flops += r.flops;
            ++src.computeTasks;
            src.flops += r.flops;
            src.active = true;
            compute[r.device].push_back(interval);
        }
        else if (r.IsTransfer() && r.peer >= 0)
        {
            DeviceIterationStats& dst = stats.devices[r.peer];
            ++stats.transferTasks;
            stats.bytes += r.bytes;
            ++src.transfersSent;
            src.bytesSent += r.bytes;
            ++dst.transfersReceived;
            dst.bytesReceived += r.bytes;
            comm[r.device].push_back(interval);
            comm[r.peer].push_back(interval);
            allTransfers.push_back(interval);
        }
    }

    double bubbleSum = 0.0;
    for (uint32_t d = 0; d < count; ++d)
    {
        DeviceIterationStats& dev = stats.devices[d];
        auto busy = MergeIntervals(std::move(compute[d]));
        auto talk = MergeIntervals(std::move(comm[d]));
        dev.busy = GetUnionLength(busy);
        dev.communication = GetUnionLength(talk);
        dev.overlap = GetIntersectionLength(busy, talk);
        dev.idle = stats.latency - dev.busy;
        dev.bubbleFraction = Ratio(dev.idle, stats.latency);
        stats.computeBusy += dev.busy;
        stats.overlap += dev.overlap;
        if (dev.active)
        {
            ++stats.activeDevices;
            bubbleSum += dev.bubbleFraction;
        }
    }
    stats.communication = GetUnionLength(std::move(allTransfers));
    stats.bubbleFraction = stats.activeDevices > 0 ? bubbleSum / stats.activeDevices : 0.0;
    stats.efficiency = count > 0 ? Ratio(stats.computeBusy, stats.latency) / count : 0.0;
    return stats;
}

} // namespace

std::string
CheckIterationRecords(const std::vector<TaskRecord>& records,
                      uint32_t iteration,
                      uint32_t deviceCount,
                      Time iterationStart)
{
    if (deviceCount == 0)
    {
        return "deviceCount=0 is invalid: must be a positive integer";
    }
    for (const auto& r : records)
    {
        if (r.iteration != iteration)
        {
            continue;
        }
        std::string problem = CheckTaskRecord(r, deviceCount);
        if (!problem.empty())
        {
            return problem;
        }
        if (r.start < iterationStart)
        {
            std::ostringstream os;
            os << "task " << r.taskId << " (iteration " << iteration
               << "): start=" << r.start.GetNanoSeconds()
               << "ns is invalid: must not be before the iteration start "
               << iterationStart.GetNanoSeconds() << "ns";
            return os.str();
        }
    }
    return "";
}

IterationStats
ComputeIterationStats(const std::vector<TaskRecord>& records,
                      uint32_t iteration,
                      uint32_t deviceCount)
{
    return Compute(records, iteration, deviceCount, false, Time());
}

IterationStats
ComputeIterationStats(const std::vector<TaskRecord>& records,
                      uint32_t iteration,
                      uint32_t deviceCount,
                      Time iterationStart)
{
    return Compute(records, iteration, deviceCount, true, iterationStart);
}

} // namespace edgellm
} // namespace ns3
