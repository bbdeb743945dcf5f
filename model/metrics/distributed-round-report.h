/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_DISTRIBUTED_ROUND_REPORT_H
#define EDGE_LLM_DISTRIBUTED_ROUND_REPORT_H

#include "ns3/ptr.h"
#include "ns3/task-graph-execution.h"
#include "ns3/task-graph.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The round of a distributed (MPI) run, put together from its ranks: each rank records
 * the tasks that start and end on it (TaskGraphExecution's TaskStarted and TaskFinished), the
 * ranks' records are gathered (examples/edge-llm-mpi.cc, with MPI), and Write merges them into
 * one table of every task, the same whatever the number of ranks:
 *
 *   tasks.csv    task,kind,node,peer,bytes,start_ns,end_ns
 *   summary.csv  tasks,transfers,bytes,first_start_ns,last_end_ns,round_s
 */
class DistributedRoundReport
{
  public:
    /// \param execution this rank's execution, whose tasks to record from now on
    void Watch(Ptr<TaskGraphExecution> execution);

    /// \return the tasks that started on this rank: pairs of task id and start (ns)
    const std::vector<int64_t>& GetStarted() const;
    /// \return the tasks that ended on this rank: pairs of task id and end (ns)
    const std::vector<int64_t>& GetEnded() const;
    /// \return the round's graph (the same on every rank), null before a task was recorded
    Ptr<TaskGraph> GetGraph() const;

    /**
     * \brief Merge every rank's records and write tasks.csv and summary.csv.
     * \param directory an existing folder
     * \param graph the round's graph
     * \param started every rank's GetStarted, one after the other
     * \param ended every rank's GetEnded, one after the other
     * \param out where to print one line about the round
     * \return "" or why the records do not cover the round once (a task recorded by two ranks
     *         or by none), then nothing is written
     */
    static std::string Write(const std::string& directory,
                             const TaskGraph& graph,
                             const std::vector<int64_t>& started,
                             const std::vector<int64_t>& ended,
                             std::ostream& out);

  private:
    /// TaskStarted sink
    void TaskStarted(uint32_t iteration, uint32_t taskId, Time start);
    /// TaskFinished sink
    void TaskEnded(uint32_t iteration, uint32_t taskId, Time start, Time end);

    Ptr<TaskGraphExecution> m_execution; //!< this rank's execution
    Ptr<TaskGraph> m_graph;              //!< the round's graph
    std::vector<int64_t> m_started;      //!< pairs: task id, start (ns)
    std::vector<int64_t> m_ended;        //!< pairs: task id, end (ns)
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_DISTRIBUTED_ROUND_REPORT_H */
