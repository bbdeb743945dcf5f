/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PIPELINE_SCHEDULE_BUILDER_H
#define EDGE_LLM_PIPELINE_SCHEDULE_BUILDER_H

#include "task-graph.h"

#include "ns3/data-type.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Order of forward and backward passes on each pipeline stage.
 */
enum class PipelineSchedule
{
    GPIPE,       //!< every forward, then every backward (ascending micro-batch)
    ONE_F_ONE_B, //!< PipeDream-flush / Megatron 1F1B: warm-up forwards, 1F1B, cool-down
};

/**
 * \param schedule a schedule
 * \return its name: "gpipe" or "1f1b"
 */
std::string PipelineScheduleToString(PipelineSchedule schedule);

/**
 * \brief Parse a schedule name.
 * \param name "gpipe" or "1f1b"
 * \param[out] schedule the schedule, untouched on error
 * \return "" or the problem, naming the value and what is allowed
 */
std::string ParsePipelineSchedule(const std::string& name, PipelineSchedule& schedule);

/**
 * \ingroup edge-llm
 * \brief The device that feeds stage 0: one input transfer per micro-batch (e.g. a cluster's
 * control unit sending the embedding output).
 */
struct PipelineSource
{
    uint32_t device{0};                     //!< the source device (not a stage device)
    uint64_t inputBytes{0};                 //!< bytes sent to stage 0 per micro-batch (> 0)
    std::optional<ComputeCost> forwardCost; //!< EMBEDDING compute per micro-batch before sending
    /// bytes stage 0 sends back per micro-batch after its backward (gradient of the input);
    /// 0 = no gradient returns to the source
    uint64_t gradientBytes{0};
    /// EMBEDDING backward per micro-batch once its gradient arrived (needs gradientBytes > 0)
    std::optional<ComputeCost> backwardCost;
    /// OPTIMIZER step on the source after its last task that finishes there
    std::optional<ComputeCost> optimizerCost;
};

/**
 * \ingroup edge-llm
 * \brief The device after the last stage (e.g. the edge server running the decoder and loss):
 * per micro-batch the last stage sends activations, the head runs one LOSS compute (forward
 * and backward of the head fused) and sends the gradient back.
 */
struct PipelineHead
{
    uint32_t device{0};                       //!< the head device (not a stage device)
    uint64_t activationBytes{0};              //!< last stage -> head per micro-batch (> 0)
    ComputeCost lossCost;                     //!< LOSS compute per micro-batch
    uint64_t gradientBytes{0};                //!< head -> last stage per micro-batch (> 0)
    std::optional<ComputeCost> optimizerCost; //!< OPTIMIZER step after the last LOSS
};

/**
 * \ingroup edge-llm
 * \brief Input of PipelineScheduleBuilder: one training iteration over a chain of S stages
 * with M micro-batches.
 */
struct PipelineSpec
{
    PipelineSchedule schedule{PipelineSchedule::ONE_F_ONE_B}; //!< per-stage order
    std::vector<uint32_t> stageDevices;      //!< device of stage i (distinct devices)
    uint32_t microBatches{0};                //!< M (> 0)
    std::vector<ComputeCost> forwardCosts;   //!< per stage: forward of one micro-batch
    std::vector<ComputeCost> backwardCosts;  //!< per stage: backward of one micro-batch
    std::vector<uint64_t> activationBytes;   //!< per boundary b (stage b -> b+1), S-1 entries
    std::vector<uint64_t> gradientBytes;     //!< per boundary b (stage b+1 -> b), S-1 entries
    std::vector<ComputeCost> optimizerCosts; //!< per stage OPTIMIZER after its last backward;
                                             //!< empty = no optimizer tasks
    DataType dtype{DataType::FP32};          //!< dtype of every compute task
    std::optional<PipelineSource> source;    //!< optional device feeding stage 0
    std::optional<PipelineHead> head;        //!< optional device after the last stage
    std::vector<uint32_t> after;             //!< tasks that must precede everything
    /// per device: tasks that must precede the first task this pipeline starts on that device
    /// (keeps dependencies local, see TaskGraph)
    std::map<uint32_t, std::vector<uint32_t>> afterOnDevice;
    std::string label; //!< prefix of every task label, e.g. "c0"
};

/**
 * \ingroup edge-llm
 * \brief One entry of a stage's program: a forward or a backward of one micro-batch.
 */
struct PipelineStep
{
    bool forward;        //!< forward (true) or backward (false)
    uint32_t microBatch; //!< micro-batch index
};

/**
 * \ingroup edge-llm
 * \brief Ids of the tasks PipelineScheduleBuilder added. NO_TASK where a task does not exist.
 */
struct PipelineTasks
{
    std::vector<std::vector<uint32_t>> forward;             //!< [stage][microBatch]
    std::vector<std::vector<uint32_t>> backward;            //!< [stage][microBatch]
    std::vector<std::vector<uint32_t>> activationTransfers; //!< [boundary][microBatch]
    std::vector<std::vector<uint32_t>> gradientTransfers;   //!< [boundary][microBatch]
    std::vector<std::vector<uint32_t>> program; //!< [stage]: compute ids in program order
    std::vector<uint32_t> optimizer;            //!< [stage]; empty without optimizer tasks
    /// [stage]: the last task that finishes on the stage's device (optimizer or last backward)
    std::vector<uint32_t> lastTask;

    std::vector<uint32_t> sourceForward;           //!< [microBatch] EMBEDDING on the source
    std::vector<uint32_t> inputTransfers;          //!< [microBatch] source -> stage 0
    std::vector<uint32_t> sourceGradientTransfers; //!< [microBatch] stage 0 -> source
    std::vector<uint32_t> sourceBackward;          //!< [microBatch] EMBEDDING backward
    uint32_t sourceOptimizer{TaskGraph::NO_TASK};  //!< OPTIMIZER on the source
    /// last task that finishes on the source; NO_TASK when nothing does (inputs only)
    uint32_t sourceLastTask{TaskGraph::NO_TASK};

    std::vector<uint32_t> headActivationTransfers; //!< [microBatch] last stage -> head
    std::vector<uint32_t> loss;                    //!< [microBatch] LOSS on the head
    std::vector<uint32_t> headGradientTransfers;   //!< [microBatch] head -> last stage
    uint32_t headOptimizer{TaskGraph::NO_TASK};    //!< OPTIMIZER on the head
    uint32_t headLastTask{TaskGraph::NO_TASK};     //!< last task that finishes on the head
};

/**
 * \ingroup edge-llm
 * \brief Builds one training iteration of a pipeline (GPipe or 1F1B) into a TaskGraph.
 *
 * Per micro-batch m: forward F(i,m) on stage i, activation transfer stage i -> i+1 after it;
 * backward B(i,m) after F(i,m) and after the gradient from stage i+1 (or from the head). The
 * per-stage order is encoded as program-order dependencies between consecutive compute tasks
 * of the stage, so the schedule never rests on the runtime's tie-breaking.
 *
 * 1F1B (PipeDream-flush, Megatron-LM's non-interleaved schedule): stage i of a pipeline of
 * depth P runs min(P-i-1, M) warm-up forwards, then alternates one forward and one backward,
 * then the remaining backwards. P is the number of stages S, plus one when there is a head: the
 * head behaves as a last stage whose forward and backward are fused into its LOSS task, so the
 * last device stage keeps one micro-batch in flight while the head works.
 * Peak activations kept per stage: min(P-i, M) for 1F1B, M for GPipe.
 *
 * The source runs all its EMBEDDING forwards in micro-batch order, then its backwards; the
 * head runs its LOSS tasks in micro-batch order. Stage, source and head devices must differ.
 * The \c after tasks precede the first task each device starts (and every input transfer
 * when the source has no forward compute), so every task of the iteration follows them.
 *
 * Labels: "fwd s<i> mb<m>", "bwd s<i> mb<m>", "act s<i>->s<i+1> mb<m>",
 * "grad s<i+1>->s<i> mb<m>", "opt s<i>", "emb mb<m>", "input mb<m>", "input-grad mb<m>",
 * "emb-bwd mb<m>", "opt source", "head-act mb<m>", "loss mb<m>", "head-grad mb<m>",
 * "opt head"; prefixed by spec.label and a space when it is not empty. Source and head
 * compute tasks have stage NO_STAGE; optimizer tasks have microBatch NO_MICRO_BATCH.
 */
class PipelineScheduleBuilder
{
  public:
    /**
     * \brief Check a spec against the graph it will be built into.
     * \param graph the graph (for the fleet size and existing task ids)
     * \param spec the spec
     * \return "" or the first problem, e.g. "microBatches=0 is invalid: must be a positive
     *         integer"
     */
    static std::string Validate(const TaskGraph& graph, const PipelineSpec& spec);

    /**
     * \brief Add the iteration's tasks to \p graph; stops the program (NS_FATAL_ERROR) with
     * Validate's message when the spec is invalid.
     * \param graph the graph to extend
     * \param spec the spec
     * \return the ids of the added tasks
     */
    static PipelineTasks Build(TaskGraph& graph, const PipelineSpec& spec);

    /**
     * \brief The order of one stage's forward and backward passes.
     * \param schedule GPipe or 1F1B
     * \param depth pipeline depth P (stages, plus one for a head)
     * \param stage the stage index (< depth)
     * \param microBatches M
     * \return the program: each micro-batch's forward and backward once
     */
    static std::vector<PipelineStep> GetStageProgram(PipelineSchedule schedule,
                                                     uint32_t depth,
                                                     uint32_t stage,
                                                     uint32_t microBatches);

    /**
     * \param program a program
     * \return e.g. "F0 F1 B0 F2 B1 B2"
     */
    static std::string ProgramToString(const std::vector<PipelineStep>& program);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PIPELINE_SCHEDULE_BUILDER_H */
