/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TASK_RECORD_H
#define EDGE_LLM_TASK_RECORD_H

#include "ns3/nstime.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What happened to one task of a task graph: a plain record, independent of the graph and
 * runtime classes, so the recorder and its statistics can be used and tested on their own.
 *
 * A compute task runs on \c device; \c peer is -1. A transfer task sends \c bytes from
 * \c device (the source) to \c peer (the destination); both ends count it as communication.
 */
struct TaskRecord
{
    static constexpr const char* COMPUTE = "compute";   //!< value of \c type for a compute task
    static constexpr const char* TRANSFER = "transfer"; //!< value of \c type for a transfer task

    uint32_t taskId{0};     //!< task identifier in its graph
    uint32_t iteration{0};  //!< iteration (or round) the task belongs to
    std::string type;       //!< "compute" or "transfer"
    std::string kind;       //!< e.g. "forward", "backward", "activation", "gradient", "parameters"
    uint32_t device{0};     //!< compute: the device; transfer: the source
    int64_t peer{-1};       //!< transfer: the destination; compute: -1
    std::string deviceName; //!< name of \c device (filled by the recorder when empty)
    std::string peerName;   //!< name of \c peer (filled by the recorder when empty)
    uint32_t microBatch{0}; //!< micro-batch index
    std::string label;      //!< free text, e.g. "L0-5 fwd mb3"
    Time start;             //!< when the task started
    Time end;               //!< when the task finished
    uint64_t bytes{0};      //!< bytes carried (transfer) or produced (compute)
    double flops{0.0};      //!< floating-point operations (compute)

    /** \return true if \c type is "compute" */
    bool IsCompute() const;
    /** \return true if \c type is "transfer" */
    bool IsTransfer() const;
    /** \return end - start */
    Time GetDuration() const;
};

/**
 * \brief Check one record for consistency.
 *
 * \param record the record
 * \param deviceCount number of known devices, or 0 when not known (then device indices are not
 *        checked)
 * \return "" if the record is consistent, otherwise the problem, naming the field, its value and
 *         what is allowed
 */
std::string CheckTaskRecord(const TaskRecord& record, uint32_t deviceCount);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TASK_RECORD_H */
