/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TASK_GRAPH_H
#define EDGE_LLM_TASK_GRAPH_H

#include "ns3/data-type.h"
#include "ns3/kernel-work.h"
#include "ns3/nstime.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What a compute task does; used for traces, energy and memory accounting.
 */
enum class ComputeKind
{
    FORWARD,   //!< forward pass of a model segment
    BACKWARD,  //!< backward pass of a model segment
    LOSS,      //!< loss head: forward and backward of the last layers fused (e.g. a decoder)
    OPTIMIZER, //!< optimizer step (parameter update)
    AGGREGATE, //!< reduction of received tensors (ring reduce, FedAvg average)
    EMBEDDING, //!< token embedding (forward or its backward)
    OTHER,     //!< anything else
};

/**
 * \param kind a compute kind
 * \return its lower-case name: "forward", "backward", "loss", "optimizer", "aggregate",
 *         "embedding" or "other"
 */
std::string ComputeKindToString(ComputeKind kind);

/**
 * \ingroup edge-llm
 * \brief What a transfer carries; used for traces and byte accounting.
 */
enum class TransferKind
{
    ACTIVATION,     //!< forward activations across a pipeline boundary
    GRADIENT,       //!< activation gradients across a pipeline boundary (backward)
    PARAMETERS,     //!< model parameters (segment distribution, model upload)
    REDUCE_SCATTER, //!< one step of a ring ReduceScatter
    ALL_GATHER,     //!< one step of a ring AllGather
    BROADCAST,      //!< root to one member
    GATHER,         //!< one member to the root
    OTHER,          //!< anything else
};

/**
 * \param kind a transfer kind
 * \return its lower-case name: "activation", "gradient", "parameters", "reduce-scatter",
 *         "all-gather", "broadcast", "gather" or "other"
 */
std::string TransferKindToString(TransferKind kind);

/**
 * \ingroup edge-llm
 * \brief One computation on one device.
 *
 * Its duration is either explicit (\c duration >= 0) or left to the runtime's ComputeModel,
 * which prices \c flops and \c memoryBytes on the device's profile (\c duration ==
 * UseComputeModel(), the default). Any other negative duration is an error (Validate).
 */
struct ComputeTask
{
    /// stage value of a task that belongs to no pipeline stage
    static constexpr uint32_t NO_STAGE = std::numeric_limits<uint32_t>::max();
    /// microBatch value of a task that belongs to no single micro-batch
    static constexpr uint32_t NO_MICRO_BATCH = std::numeric_limits<uint32_t>::max();

    /// \return the duration value that asks the ComputeModel (one negative time step)
    static Time UseComputeModel()
    {
        return Time(-1);
    }

    uint32_t device{0};                   //!< device index in [0, deviceCount)
    ComputeKind kind{ComputeKind::OTHER}; //!< what the task does
    double flops{0};                      //!< floating-point operations (>= 0)
    double memoryBytes{0};                //!< bytes moved to and from device memory (>= 0)
    Time duration{UseComputeModel()};     //!< explicit duration, or UseComputeModel()
    DataType dtype{DataType::FP32};       //!< numeric format of the computation
    uint32_t microBatch{NO_MICRO_BATCH};  //!< micro-batch index, or NO_MICRO_BATCH
    uint32_t stage{NO_STAGE};             //!< pipeline stage index, or NO_STAGE
    std::string label;                    //!< short name for messages and traces
    uint64_t kernelId{0};                 //!< real kernel to run (LibTorch engine); 0 = none
    /// training samples whose step this task completes (0: none): the samples
    /// [firstSample, firstSample + samples) of the round's sample space, numbered by the
    /// strategy so that the same sample keeps its number when a round is re-planned
    uint32_t samples{0};
    uint64_t firstSample{0}; //!< first of the samples this task completes
    /// the kernels that run the task (a layer range's forward or backward), when known: the
    /// ComputeModel then prices each kernel (ComputeModel::GetWorkTime); flops and memoryBytes
    /// are their totals
    std::shared_ptr<const KernelWork> kernels;

    /// \return true when \c duration is explicit rather than left to the ComputeModel
    bool HasExplicitDuration() const
    {
        return !duration.IsStrictlyNegative();
    }
};

/**
 * \ingroup edge-llm
 * \brief One message of \c bytes bytes from one device to another.
 */
struct TransferTask
{
    /// microBatch value of a transfer that belongs to no single micro-batch
    static constexpr uint32_t NO_MICRO_BATCH = std::numeric_limits<uint32_t>::max();

    uint32_t source{0};                     //!< sending device index
    uint32_t destination{0};                //!< receiving device index (!= source)
    uint64_t bytes{0};                      //!< payload bytes (> 0): the exact tensor size
    TransferKind kind{TransferKind::OTHER}; //!< what the message carries
    uint32_t microBatch{NO_MICRO_BATCH};    //!< micro-batch index, or NO_MICRO_BATCH
    std::string label;                      //!< short name for messages and traces
    uint64_t tensorId{0};                   //!< real tensor carried (LibTorch mode); 0 = none

    /**
     * \param source sending device
     * \param destination receiving device
     * \param bytes payload bytes
     * \param kind what the message carries
     * \param microBatch micro-batch index, or NO_MICRO_BATCH
     * \param label short name
     * \return the transfer
     */
    static TransferTask Make(uint32_t source,
                             uint32_t destination,
                             uint64_t bytes,
                             TransferKind kind,
                             uint32_t microBatch,
                             const std::string& label)
    {
        TransferTask task;
        task.source = source;
        task.destination = destination;
        task.bytes = bytes;
        task.kind = kind;
        task.microBatch = microBatch;
        task.label = label;
        return task;
    }
};

/**
 * \ingroup edge-llm
 * \brief Cost of one compute task as builders take it: flops and memory traffic for the
 * ComputeModel, or an explicit duration.
 */
struct ComputeCost
{
    double flops{0};                               //!< floating-point operations (>= 0)
    double memoryBytes{0};                         //!< device memory traffic in bytes (>= 0)
    Time duration{ComputeTask::UseComputeModel()}; //!< explicit duration, or UseComputeModel()
    std::shared_ptr<const KernelWork> kernels;     //!< the kernels, when known (else null)

    /**
     * \param duration an explicit duration (>= 0)
     * \return a cost with that duration and no flops
     */
    static ComputeCost FromDuration(Time duration);
    /**
     * \param flops floating-point operations
     * \param memoryBytes device memory traffic in bytes
     * \return a cost priced by the ComputeModel
     */
    static ComputeCost FromFlops(double flops, double memoryBytes);
    /**
     * \param work the kernels that run the task
     * \return a cost priced kernel by kernel by the ComputeModel, with the kernels' total FLOPs
     * and bytes as flops and memoryBytes
     */
    static ComputeCost FromKernels(const KernelWork& work);
    /// \brief Copy this cost into a task: flops, memoryBytes, duration and kernels.
    /// \param task the task to fill
    void ApplyTo(ComputeTask& task) const;
};

/**
 * \brief Check a ComputeCost.
 * \param name how to call the cost in the message, e.g. "forwardCosts[2]"
 * \param cost the cost
 * \return "" or the problem, e.g. "forwardCosts[2].flops=-1 is invalid: must be a finite
 *         number >= 0"
 */
std::string ValidateComputeCost(const std::string& name, const ComputeCost& cost);

/**
 * \ingroup edge-llm
 * \brief A task graph: compute tasks on devices and transfers between devices, with
 * dependencies. A plain data structure: no simulation happens here.
 *
 * Devices are indices 0..deviceCount-1 fixed at construction; the runtime maps index i to
 * node i of its fleet (an edge server is just another index). Task ids are 0, 1, 2, ... in the
 * order tasks are added.
 *
 * \par Execution rule
 * The runtime (ns-3 Applications) and TaskGraphTimer both execute a graph by this rule:
 * - A task is ready when every task it depends on has finished.
 * - Each device runs its compute tasks one at a time. When it is idle, it starts the ready
 *   compute task with the lowest task id. Builders that need a particular order on a device
 *   (1F1B, for instance) encode it with dependencies between consecutive compute tasks of that
 *   device ("program order"), so the order never rests on tie-breaking.
 * - A transfer starts as soon as it is ready, except that transfers between the same ordered
 *   (source, destination) pair are serialized first-in first-out in the order they became
 *   ready (ties by task id): in the runtime they share one TCP connection. Transfers between
 *   different pairs proceed concurrently, and transfers overlap with computation.
 * - A transfer starts on its source device and finishes on its destination device (when its
 *   last byte has been received). A compute task starts and finishes on its device.
 * - Completions at the same instant are all applied before any device or pair picks its next
 *   task (in the runtime: pick in an event scheduled with Simulator::ScheduleNow).
 *
 * \par Locality
 * A dependency "a before b" is local when a finishes on the device where b starts. A runtime
 * without a global observer can only honour local dependencies; ValidateLocality reports the
 * first remote one. The builders of this module emit local graphs when their \c after lists
 * are local.
 *
 * \par Zero-byte transfers
 * A transfer must carry at least one byte (Validate rejects bytes=0): every transfer stands for
 * a real tensor. Order two tasks without data by a dependency.
 */
class TaskGraph : public SimpleRefCount<TaskGraph>
{
  public:
    /// a task id that names no task (for example a "last task" that does not exist)
    static constexpr uint32_t NO_TASK = std::numeric_limits<uint32_t>::max();

    /**
     * \param deviceCount number of devices (>= 1; Validate reports 0)
     */
    explicit TaskGraph(uint32_t deviceCount);

    /**
     * \param deviceNames one name per device, used in messages; deviceCount is their number
     */
    explicit TaskGraph(const std::vector<std::string>& deviceNames);

    /**
     * \brief Add a compute task.
     * \param task the task
     * \param dependencies ids of tasks that must finish before it starts; an id that is not an
     *        existing task is recorded as a problem (see Validate), never a crash
     * \return the new task's id
     */
    uint32_t AddCompute(const ComputeTask& task, const std::vector<uint32_t>& dependencies = {});

    /**
     * \brief Add a transfer task.
     * \param task the task
     * \param dependencies ids of tasks that must finish before it starts (as for AddCompute)
     * \return the new task's id
     */
    uint32_t AddTransfer(const TransferTask& task, const std::vector<uint32_t>& dependencies = {});

    /**
     * \brief Make \p after wait for \p before. Both must be existing tasks (otherwise the
     * problem is recorded for Validate). Adding an edge twice has no further effect.
     * \param before the task that must finish first
     * \param after the task that waits
     */
    void AddDependency(uint32_t before, uint32_t after);

    /// \return number of tasks
    uint32_t GetTaskCount() const;
    /// \return number of compute tasks
    uint32_t GetComputeCount() const;
    /// \return number of transfer tasks
    uint32_t GetTransferCount() const;
    /// \return number of devices
    uint32_t GetDeviceCount() const;
    /**
     * \param device a device index
     * \return its name, or "device <index>" when none was given
     */
    std::string GetDeviceName(uint32_t device) const;

    /**
     * \param id a task id (< GetTaskCount(); aborts otherwise)
     * \return true for a compute task, false for a transfer
     */
    bool IsCompute(uint32_t id) const;
    /**
     * \param id the id of a compute task (aborts for a transfer or an unknown id)
     * \return the task
     */
    const ComputeTask& GetCompute(uint32_t id) const;
    /**
     * \brief Say which training samples a compute task completes (ComputeTask::samples), once
     * a builder knows it (e.g. the last backward of a micro-batch a schedule builder made).
     * \param id the id of a compute task (aborts for a transfer or an unknown id)
     * \param firstSample the first sample's number in the round's sample space
     * \param samples how many
     */
    void SetSamples(uint32_t id, uint64_t firstSample, uint32_t samples);
    /**
     * \param id the id of a transfer task (aborts for a compute task or an unknown id)
     * \return the task
     */
    const TransferTask& GetTransfer(uint32_t id) const;
    /**
     * \param id a task id
     * \return the tasks it waits for, in the order the dependencies were added
     */
    const std::vector<uint32_t>& GetDependencies(uint32_t id) const;
    /**
     * \param id a task id
     * \return the tasks that wait for it, in the order the dependencies were added
     */
    const std::vector<uint32_t>& GetSuccessors(uint32_t id) const;
    /**
     * \param id a task id
     * \return the device where the task starts (compute: its device; transfer: its source)
     */
    uint32_t GetStartDevice(uint32_t id) const;
    /**
     * \param id a task id
     * \return the device where the task finishes (compute: its device; transfer: destination)
     */
    uint32_t GetEndDevice(uint32_t id) const;
    /**
     * \param id a task id
     * \return "<id> (<label>)", or with an empty label a description such as
     *         "4 (forward on device 1)" or "7 (activation 0->1)"
     */
    std::string DescribeTask(uint32_t id) const;

    /**
     * \param device a device index
     * \return ids of the compute tasks on \p device, ascending
     */
    std::vector<uint32_t> GetComputeTasks(uint32_t device) const;
    /**
     * \param device a device index
     * \return ids of the transfers \p device sends, ascending
     */
    std::vector<uint32_t> GetOutgoingTransfers(uint32_t device) const;
    /**
     * \param device a device index
     * \return ids of the transfers \p device receives, ascending
     */
    std::vector<uint32_t> GetIncomingTransfers(uint32_t device) const;

    /// \return bytes of all transfers
    uint64_t GetTotalTransferBytes() const;
    /**
     * \param kind a transfer kind
     * \return bytes of the transfers of that kind
     */
    uint64_t GetTransferBytes(TransferKind kind) const;
    /**
     * \param device a device index
     * \return bytes \p device sends
     */
    uint64_t GetBytesSent(uint32_t device) const;
    /**
     * \param device a device index
     * \return bytes \p device receives
     */
    uint64_t GetBytesReceived(uint32_t device) const;
    /// \return flops of all compute tasks
    double GetTotalFlops() const;

    /**
     * \brief Check the graph.
     *
     * In this order: the device count; then task by task (ascending id): devices outside the
     * fleet, a transfer to itself, a zero-byte transfer, negative or non-finite flops or
     * memoryBytes, a negative duration other than UseComputeModel(), dependency ids that named
     * no task when they were added; then AddDependency calls whose \c after named no task;
     * then cycles.
     * \return "" when the graph is valid, otherwise the first problem, e.g.
     *         "task 4 (fwd s3 mb0): device=7 is not in the fleet; allowed: 0..3" or
     *         "task graph has a cycle: 3 (fwd s1 mb0) -> 5 (act s1->s2 mb0) -> 3"
     */
    std::string Validate() const;

    /**
     * \brief Check that every dependency is local: the earlier task finishes on the device
     * where the later one starts.
     * \return "" or the first remote dependency (by ascending id of the later task), e.g.
     *         "dependency 2 -> 5 is remote: 2 (fwd s0 mb0) finishes on device 0 but 5 (fwd s1
     *         mb0) starts on device 1; connect them with a transfer"
     */
    std::string ValidateLocality() const;

    /**
     * \brief Kahn's algorithm, always taking the lowest ready id: deterministic.
     * \return every task in an order that respects all dependencies; if the graph has a cycle,
     *         only the tasks that could be ordered (fewer than GetTaskCount())
     */
    std::vector<uint32_t> GetTopologicalOrder() const;

    /**
     * \brief Check a device index a builder was given, for builders' Validate functions.
     * \param name the parameter, e.g. "stageDevices[2]"
     * \param device the index
     * \return "" or e.g. "stageDevices[2]=7 is not in the fleet; allowed: 0..3"
     */
    std::string CheckDeviceIndex(const std::string& name, uint32_t device) const;

    /**
     * \brief Check task ids a builder was given (its \c after lists).
     * \param name the parameter, e.g. "after"
     * \param ids the ids
     * \return "" or e.g. "after[1]=99 is not a task id of the graph; allowed: 0..12"
     */
    std::string CheckTaskIds(const std::string& name, const std::vector<uint32_t>& ids) const;

    /**
     * \param ancestor a task id
     * \param task a task id
     * \return true when \p task (transitively) depends on \p ancestor, or they are equal
     */
    bool IsAncestor(uint32_t ancestor, uint32_t task) const;

  private:
    /// one task of either kind
    struct Task
    {
        bool isCompute;                    //!< which of the two members is used
        ComputeTask compute;               //!< the compute task, when isCompute
        TransferTask transfer;             //!< the transfer task, otherwise
        std::vector<uint32_t> deps;        //!< valid dependency ids
        std::vector<uint32_t> succs;       //!< ids of tasks that depend on it
        std::vector<std::string> problems; //!< dependency problems recorded when added
    };

    /**
     * \param task a new task
     * \param dependencies its dependencies
     * \return its id
     */
    uint32_t AddTask(Task task, const std::vector<uint32_t>& dependencies);
    /**
     * \param id a task id; aborts with a message when it names no task
     * \param caller the public method, for the message
     */
    void CheckId(uint32_t id, const char* caller) const;
    /// \return a problem of one task, or ""
    std::string ValidateTask(uint32_t id) const;
    /// \return the bytes of the transfers \p counts accepts
    uint64_t SumTransferBytes(const std::function<bool(const TransferTask&)>& counts) const;
    /// \return the message naming a cycle (the graph must have one)
    std::string DescribeCycle() const;

    uint32_t m_deviceCount;                  //!< number of devices
    std::vector<std::string> m_deviceNames;  //!< names, or empty
    std::vector<Task> m_tasks;               //!< tasks by id
    std::vector<std::string> m_edgeProblems; //!< AddDependency calls with an unknown \c after
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TASK_GRAPH_H */
