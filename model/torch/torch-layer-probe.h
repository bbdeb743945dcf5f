/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_LAYER_PROBE_H
#define EDGE_LLM_TORCH_LAYER_PROBE_H

#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What TorchLayerProbe::MeasureBlock() runs.
 *
 * Of spec, only hidden, heads and ffn are used (plus linearBias, normBias and gatedFfn, which
 * must describe the BERT form of the block: biases everywhere, LayerNorm with bias, two-matrix
 * FFN). Of recipe: kind, dtype (fp32 or bf16), loraRank, adapterReduction and optimizer; the
 * recipe's microBatchSize is not used (batch is), and bf16 runs train in pure bf16 (no fp32
 * master copy, bf16 Adam moments: LibTorch's Adam keeps its moments in the parameter's type).
 */
struct TorchLayerProbeConfig
{
    TransformerSpec spec;    //!< the block's shape (hidden, heads, ffn)
    TrainingRecipe recipe;   //!< what trains, data type, optimizer
    uint32_t batch = 1;      //!< sequences b
    uint32_t sequence = 128; //!< tokens per sequence s
    double dropout = 0;      //!< BERT's three dropouts, in [0, 1); training recipes only
    uint32_t warmUpRuns = 1; //!< untimed runs before the timed ones
    uint32_t repeats = 3;    //!< timed runs; times are their median
    uint32_t threads = 1;    //!< LibTorch intra-op threads during the run (restored afterwards)
    uint64_t seed = 1;       //!< torch::manual_seed before the block and its inputs are drawn
    /// time with the calling thread's CPU clock (CLOCK_THREAD_CPUTIME_ID) instead of the wall
    /// clock: on a shared machine, time the operating system gives to other programs is not
    /// counted. Single-threaded runs only (threads = 1: LibTorch and OpenBLAS then compute on
    /// the calling thread).
    bool threadCpuTime = false;
    /// keep the memory LibTorch frees inside the process during the run
    /// (HostMemoryRetentionGuard), as a caching allocator does: without it glibc returns large
    /// blocks to the system and every step pays page faults on its activations (up to +65% on
    /// a large training block on this project's VM)
    bool retainFreedMemory = true;
};

/**
 * \ingroup edge-llm
 * \brief Time and exact memory of one encoder block, from TorchLayerProbe::MeasureBlock().
 *
 * Bytes are counted by MemoryTrackingAllocator (installed before the block is created): the
 * requested bytes of every CPU tensor allocation. Times are medians of wall-clock seconds over
 * the timed runs. Fields that do not apply to the recipe (backward under INFERENCE, inference
 * peak under a training recipe) are 0.
 */
struct TorchLayerMeasurement
{
    double forwardSeconds = 0;            //!< forward (training: with autograd recording)
    double backwardSeconds = 0;           //!< loss (output sum) and backward
    double optimizerStepSeconds = 0;      //!< optimizer step (one timed step)
    double forwardAfterStepSeconds = 0;   //!< the forward right after that step (one run)
    double forwardBackwardSeconds = 0;    //!< forward, loss and backward of one run
    uint64_t parameterCount = 0;          //!< all parameters of the block, recipe modules included
    uint64_t trainableParameterCount = 0; //!< parameters that require gradients
    uint64_t parameterBytes = 0;          //!< allocated by building the block
    uint64_t trainableParameterBytes = 0; //!< bytes of the trainable parameters
    uint64_t gradientBytes = 0;           //!< allocated by the first backward and kept (weights)
    uint64_t optimizerStateBytes = 0;     //!< allocated by the first optimizer step and kept
    uint64_t inputBytes = 0;              //!< the input x (and the side state z)
    uint64_t outputBytes = 0;             //!< the output (and the side output z')
    /// allocated by the forward and still alive after it, minus the output: the intermediates
    /// autograd saved for backward (0 for INFERENCE)
    uint64_t savedBytes = 0;
    /// what the autograd graph alone keeps alive once the caller drops its input and output (and
    /// the side state): savedBytes plus the input and output when autograd saved them. The
    /// input is a non-leaf tensor here, as the output of a previous block is. This is what
    /// LayerCost::storedActivationBytes models.
    uint64_t retainedBytes = 0;
    bool inputSaved = false;         //!< autograd keeps the block's input x
    bool outputSaved = false;        //!< autograd keeps the block's output
    uint64_t forwardPeakBytes = 0;   //!< peak during the forward above the level before it
    uint64_t forwardAllocations = 0; //!< CPU allocations one forward makes
    /// peak of a whole training step (forward, backward, optimizer step) counting everything
    /// alive: parameters, input, gradients, optimizer state, activations
    uint64_t stepPeakBytes = 0;
    /// INFERENCE: peak of a forward counting everything alive (parameters, input, output)
    uint64_t inferencePeakBytes = 0;
};

/**
 * \ingroup edge-llm
 * \brief Runs the module's encoder block (the block of TorchComputeEngine, with the modules of
 * a recipe) in LibTorch on the CPU and measures its time and exact memory, to validate and fit
 * LayerCostModel and the compute models.
 *
 * MeasureBlock() runs, with MemoryTrackingAllocator installed before anything is allocated:
 *  1. build the block (seeded), freeze the backbone as the recipe says, draw the input x
 *     [b, s, h] (requires grad under FULL, ADAPTERS, LORA, as the input of an intermediate
 *     layer does; under PARALLEL_ADAPTERS x does not, the side state z [b, s, w] does);
 *  2. memory run: one forward on a non-leaf copy of the input (savedBytes, retainedBytes,
 *     forwardPeakBytes), loss = output.sum(), backward (gradientBytes), one optimizer step
 *     (optimizerStateBytes); then one whole step from zeroed (None) gradients (stepPeakBytes),
 *     whose optimizer step is timed (optimizerStepSeconds);
 *  3. one forward right after that step (forwardAfterStepSeconds; its graph is dropped);
 *  4. timed runs: warmUpRuns + repeats forwards and backwards, each from None gradients, with
 *     no optimizer step between them, as a pipeline's micro-batches run (the step comes once
 *     per round). On this project's VM a forward right after an Adam step runs 35% slower than
 *     the next one on a bf16 t5-small-sized block at one 32-token sequence, and up to twice as
 *     slow on the smallest full-recipe blocks: the step leaves something behind (cause not
 *     found) that the per-layer model does not price.
 * PARALLEL_ADAPTERS runs the backbone under torch::NoGradGuard, then the side block with
 * autograd; INFERENCE runs the forward under c10::InferenceMode.
 */
class TorchLayerProbe
{
  public:
    /**
     * \brief Check every field of a configuration.
     * \param config the configuration
     * \return an empty string when usable, otherwise the first problem naming the field, its
     * value and what is allowed, e.g. "batch=0 is invalid: must be between 1 and 65536"
     */
    static std::string Validate(const TorchLayerProbeConfig& config);

    /**
     * \brief Build the block, measure it, free everything.
     * \param config the configuration; NS_FATAL_ERROR with the Validate() message if invalid
     * \return the measurement
     */
    static TorchLayerMeasurement MeasureBlock(const TorchLayerProbeConfig& config);

    /**
     * \brief The statistic the probe reports of repeated timings (also the calibrator's).
     * \param values the samples
     * \return their median (the mean of the middle two for an even count), 0 when empty
     */
    static double Median(std::vector<double> values);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_LAYER_PROBE_H */
