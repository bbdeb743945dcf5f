/* SPDX-License-Identifier: GPL-2.0-only */
#include "task-record.h"

#include "ns3/log.h"

#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTaskRecord");

bool
TaskRecord::IsCompute() const
{
    return type == COMPUTE;
}

bool
TaskRecord::IsTransfer() const
{
    return type == TRANSFER;
}

Time
TaskRecord::GetDuration() const
{
    return end - start;
}

std::string
CheckTaskRecord(const TaskRecord& record, uint32_t deviceCount)
{
    std::ostringstream where;
    where << "task " << record.taskId << " (iteration " << record.iteration << "): ";
    std::ostringstream problem;
    if (!record.IsCompute() && !record.IsTransfer())
    {
        problem << "type='" << record.type << "' is not a task type; allowed: compute, transfer";
    }
    else if (record.start.IsStrictlyNegative())
    {
        problem << "start=" << record.start.GetNanoSeconds()
                << "ns is invalid: must not be negative";
    }
    else if (record.end < record.start)
    {
        problem << "end=" << record.end.GetNanoSeconds()
                << "ns is invalid: must not be before start=" << record.start.GetNanoSeconds()
                << "ns";
    }
    else if (!std::isfinite(record.flops) || record.flops < 0.0)
    {
        problem << "flops=" << record.flops << " is invalid: must be finite and non-negative";
    }
    else if (deviceCount > 0 && record.device >= deviceCount)
    {
        problem << "device=" << record.device << " is invalid: must be below the device count "
                << deviceCount;
    }
    else if (record.IsCompute() && record.peer != -1)
    {
        problem << "peer=" << record.peer << " is invalid for a compute task: must be -1";
    }
    else if (record.IsTransfer() && record.peer < 0)
    {
        problem << "peer=" << record.peer
                << " is invalid for a transfer: must be the destination device index (>= 0)";
    }
    else if (record.IsTransfer() && deviceCount > 0 && record.peer >= deviceCount)
    {
        problem << "peer=" << record.peer << " is invalid: must be below the device count "
                << deviceCount;
    }
    else if (record.IsTransfer() && record.peer == static_cast<int64_t>(record.device))
    {
        problem << "peer=" << record.peer
                << " is invalid: a transfer needs a destination other than "
                << "its source device=" << record.device;
    }
    else
    {
        return "";
    }
    return where.str() + problem.str();
}

} // namespace edgellm
} // namespace ns3
