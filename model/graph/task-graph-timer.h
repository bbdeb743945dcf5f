/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TASK_GRAPH_TIMER_H
#define EDGE_LLM_TASK_GRAPH_TIMER_H

#include "task-graph.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Times of every task of a graph, as TaskGraphTimer computes them.
 */
struct TaskGraphSchedule
{
    std::vector<Time> ready; //!< by task id: when its last dependency finished
    std::vector<Time> start; //!< by task id: when it started (>= ready: device or pair busy)
    std::vector<Time> end;   //!< by task id: when it finished
    Time makespan;           //!< latest end (zero for an empty graph)
    /// by device: its compute task ids in the order they ran
    std::vector<std::vector<uint32_t>> deviceOrder;
    /// by device: total time its compute tasks ran
    std::vector<Time> deviceBusy;
};

/**
 * \ingroup edge-llm
 * \brief Analytic list schedule of a TaskGraph under the execution rule of TaskGraph.
 *
 * An independent path to the runtime's packet-level execution: with transfer times that match
 * the network (e.g. on a point-to-point link, bytes / goodput + one-way delay) the runtime must
 * reproduce these times. The timer does not model contention between different
 * (source, destination) pairs sharing a medium: that is the network's job.
 *
 * Durations: a compute task with an explicit duration takes it; otherwise computeTime is asked.
 * A transfer takes transferTime. Both must return durations >= 0.
 *
 * A deterministic event loop: completions in time order; all completions at one instant are
 * applied first, then idle devices start their lowest-id ready compute task and idle pairs
 * their oldest ready transfer (ties by id). Zero-duration tasks complete at the same instant
 * and repeat the step.
 */
class TaskGraphTimer
{
  public:
    /// price of a compute task that has no explicit duration
    using ComputeTimeCallback = std::function<Time(const ComputeTask&)>;
    /// duration of a transfer, from when it starts until its last byte is received
    using TransferTimeCallback = std::function<Time(const TransferTask&)>;

    /**
     * \param computeTime price of compute tasks without an explicit duration; may be empty
     *        when every compute task has one
     * \param transferTime duration of a transfer; must not be empty if the graph has transfers
     */
    TaskGraphTimer(ComputeTimeCallback computeTime, TransferTimeCallback transferTime);

    /**
     * \brief Seconds of a shared channel's airtime per byte of a transfer on it (> 0), or 0
     * for a transfer that does not use the channel (transferTime then times it).
     */
    using ChannelCostCallback = std::function<double(const TransferTask&)>;

    /**
     * \brief Put transfers on one shared channel (a Wi-Fi BSS), as the flow level does: the
     * transfers on it progress together, each at the same byte rate x, with
     * x * (sum of their costs per byte) = 1 (max-min fair shares of the airtime, processor
     * sharing). A transfer takes its bytes * cost alone on the channel. Messages of one ordered
     * pair still go one at a time.
     * \param cost the channel cost of each transfer
     */
    void SetSharedChannel(ChannelCostCallback cost);

    /**
     * \brief How much longer every transmission on the shared channel takes with these
     * transfers in progress (>= 1; e.g. the collisions and backoff of their nodes' contention).
     */
    using ChannelContentionCallback =
        std::function<double(const std::vector<const TransferTask*>&)>;

    /**
     * \brief Scale the shared channel's costs by the contention of the transfers in progress,
     * asked again whenever that set changes. Only with SetSharedChannel.
     * \param contention the factor
     */
    void SetChannelContention(ChannelContentionCallback contention);

    /// \brief Which shared channel a transfer on the channels is on (default: all on 0).
    using ChannelOfCallback = std::function<uint32_t(const TransferTask&)>;

    /**
     * \brief Several shared channels (e.g. the access point's and a device-to-device one):
     * each shares its airtime among its own transfers, and the contention is asked per
     * channel with that channel's transfers. Only with SetSharedChannel.
     * \param channelOf the channel of each transfer
     */
    void SetChannelOf(ChannelOfCallback channelOf);

    /**
     * \brief The rates of the transfers in progress, in bytes/s, one per transfer given (a
     * network's fluid model, e.g. FlowNetworkModel::GetRates).
     */
    using FlowRatesCallback =
        std::function<std::vector<double>(const std::vector<const TransferTask*>&)>;

    /**
     * \brief Time every transfer as a flow whose rate the network gives for the set of
     * transfers in progress, asked again whenever that set changes (the flow level's rule on
     * any network: shared resources, the cell's split over the devices with data). Messages
     * of one ordered pair still go one at a time. Replaces SetSharedChannel.
     * \param rates the rates
     */
    void SetFlowRates(FlowRatesCallback rates);

    /**
     * \brief Schedule \p graph.
     * \param graph the graph (validated first)
     * \param[out] schedule the times, filled when the result is ""
     * \return "" or the problem: graph.Validate()'s message, a missing callback or a negative
     *         duration returned by a callback, naming the task
     */
    std::string Run(const TaskGraph& graph, TaskGraphSchedule& schedule) const;

    /**
     * \brief Makespan of \p graph; stops the program (NS_FATAL_ERROR) with Run's message when
     * the graph cannot be scheduled.
     * \param graph the graph
     * \return the makespan
     */
    Time GetMakespan(const TaskGraph& graph) const;

    /**
     * \brief Transfer time on a dedicated link: bytes * 8 / bitRate + latency.
     * \param bitRate goodput in bit/s (> 0; aborts otherwise)
     * \param latency fixed per-message time, e.g. the one-way propagation delay (>= 0)
     * \return the callback
     */
    static TransferTimeCallback LinkTransferTime(double bitRate, Time latency);

    /**
     * \brief The same duration for every transfer (unit link times in tests).
     * \param duration the duration (>= 0)
     * \return the callback
     */
    static TransferTimeCallback ConstantTransferTime(Time duration);

  private:
    /**
     * \brief Run() with a shared channel: a fluid event loop in double seconds.
     * \param graph the graph (valid)
     * \param duration fixed durations of compute tasks and off-channel transfers
     * \param cost channel seconds per byte of each task (0: not on the channel)
     * \param[out] schedule the times
     */
    void RunShared(const TaskGraph& graph,
                   const std::vector<Time>& duration,
                   const std::vector<double>& cost,
                   TaskGraphSchedule& schedule) const;

    ComputeTimeCallback m_computeTime;             //!< compute price
    TransferTimeCallback m_transferTime;           //!< transfer duration
    ChannelCostCallback m_channelCost;             //!< shared channel, when set
    ChannelContentionCallback m_channelContention; //!< on the shared channel, or empty
    ChannelOfCallback m_channelOf;                 //!< the transfers' channels, or empty
    FlowRatesCallback m_flowRates;                 //!< network rates of the flows, when set
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TASK_GRAPH_TIMER_H */
