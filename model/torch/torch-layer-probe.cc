/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-layer-probe.h"

#include "host-memory-retention-guard.h"
#include "memory-tracking-allocator.h"
#include "memory-tracking-scope.h"
#include "torch-encoder-block.h"
#include "torch-thread-guard.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <optional>
#include <sstream>
#include <torch/torch.h>
#include <vector>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTorchLayerProbe");

namespace
{

constexpr uint32_t MAX_BATCH = 65536;       //!< upper bound of batch
constexpr uint32_t MAX_SEQUENCE = 65536;    //!< upper bound of sequence
constexpr uint32_t MAX_WIDTH = 65536;       //!< upper bound of hidden and ffn
constexpr uint32_t MAX_RUNS = 100000;       //!< upper bound of warmUpRuns and repeats
constexpr uint32_t MAX_THREADS = 1024;      //!< upper bound of threads
constexpr double MAX_ELEMENTS = 2147483647; //!< largest tensor the probe builds (elements)

/// \return the LibTorch type of a data type (fp16 is refused by Validate())
torch::ScalarType
ToScalarType(DataType dtype)
{
    return dtype == DataType::BF16 ? torch::kBFloat16 : torch::kFloat32;
}

/// \return the sum of nbytes() of \p tensors
uint64_t
SumBytes(const std::vector<torch::Tensor>& tensors)
{
    uint64_t bytes = 0;
    for (const auto& t : tensors)
    {
        bytes += t.nbytes();
    }
    return bytes;
}

/// \return the sum of numel() of \p tensors
uint64_t
SumCount(const std::vector<torch::Tensor>& tensors)
{
    uint64_t count = 0;
    for (const auto& t : tensors)
    {
        count += t.numel();
    }
    return count;
}

/// Drop the gradients of \p tensors (set them to None, as zero_grad(set_to_none) does).
void
ClearGradients(const std::vector<torch::Tensor>& tensors)
{
    for (const auto& t : tensors)
    {
        const_cast<torch::Tensor&>(t).mutable_grad().reset();
    }
}

/// One block under a recipe, with its inputs and optimizer.
struct ProbeRun
{
    TorchEncoderBlock block{nullptr};
    bool parallel = false;
    bool inference = false;
    torch::Tensor x; //!< block input [b, s, h] (a leaf)
    torch::Tensor z; //!< PARALLEL_ADAPTERS side state [b, s, w] (a leaf)
    std::vector<torch::Tensor> trainable;
    std::unique_ptr<torch::optim::Optimizer> optimizer;

    /// \return (block output, side output or block output)
    std::pair<torch::Tensor, torch::Tensor> Forward(const torch::Tensor& in,
                                                    const torch::Tensor& side)
    {
        if (!parallel)
        {
            auto y = block->forward(in);
            return {y, y};
        }
        torch::Tensor y;
        {
            torch::NoGradGuard noGrad;
            y = block->forward(in);
        }
        return {y, block->SideForward(y, side)};
    }

    /// Set the gradients of the trainable parameters and of the inputs to None.
    void ClearAllGradients()
    {
        ClearGradients(trainable);
        ClearGradients({x});
        if (z.defined())
        {
            ClearGradients({z});
        }
    }
};

} // namespace

std::string
TorchLayerProbe::Validate(const TorchLayerProbeConfig& config)
{
    std::ostringstream oss;
    const TransformerSpec& spec = config.spec;
    const TrainingRecipe& recipe = config.recipe;
    if (spec.hidden == 0 || spec.hidden > MAX_WIDTH)
    {
        oss << "spec.hidden=" << spec.hidden << " is invalid: must be between 1 and " << MAX_WIDTH;
        return oss.str();
    }
    if (spec.heads == 0 || spec.hidden % spec.heads != 0)
    {
        oss << "spec.heads=" << spec.heads << " is invalid: must be a positive divisor of "
            << "spec.hidden=" << spec.hidden;
        return oss.str();
    }
    if (spec.ffn == 0 || spec.ffn > MAX_WIDTH)
    {
        oss << "spec.ffn=" << spec.ffn << " is invalid: must be between 1 and " << MAX_WIDTH;
        return oss.str();
    }
    if (!spec.linearBias || !spec.normBias || spec.gatedFfn)
    {
        oss << "spec '" << spec.name << "' (linearBias=" << spec.linearBias
            << ", normBias=" << spec.normBias << ", gatedFfn=" << spec.gatedFfn
            << ") is not supported: the probe's block has the BERT form, which needs "
               "linearBias=1, normBias=1, gatedFfn=0";
        return oss.str();
    }
    if (recipe.dtype == DataType::FP16)
    {
        return "recipe.dtype=fp16 is not supported: LibTorch 1.13 has no complete set of fp16 "
               "kernels on the CPU; allowed: fp32, bf16";
    }
    if (recipe.kind == RecipeKind::LORA && (recipe.loraRank == 0 || recipe.loraRank > spec.hidden))
    {
        oss << "recipe.loraRank=" << recipe.loraRank
            << " is invalid for recipe 'lora': must be between 1 and spec.hidden=" << spec.hidden;
        return oss.str();
    }
    if ((recipe.kind == RecipeKind::ADAPTERS || recipe.kind == RecipeKind::PARALLEL_ADAPTERS) &&
        (recipe.adapterReduction == 0 || recipe.adapterReduction > spec.hidden))
    {
        oss << "recipe.adapterReduction=" << recipe.adapterReduction << " is invalid for recipe '"
            << RecipeKindToString(recipe.kind)
            << "': must be between 1 and spec.hidden=" << spec.hidden
            << " so that the width hidden/adapterReduction is at least 1";
        return oss.str();
    }
    if (recipe.kind == RecipeKind::PARALLEL_ADAPTERS && recipe.sideTransformer)
    {
        return "recipe.sideTransformer=true is not supported: the LibTorch block runs the ladder "
               "side layer (tap and one width x width GELU layer); allowed: false";
    }
    if (config.batch == 0 || config.batch > MAX_BATCH)
    {
        oss << "batch=" << config.batch << " is invalid: must be between 1 and " << MAX_BATCH;
        return oss.str();
    }
    if (config.sequence == 0 || config.sequence > MAX_SEQUENCE)
    {
        oss << "sequence=" << config.sequence << " is invalid: must be between 1 and "
            << MAX_SEQUENCE;
        return oss.str();
    }
    const double b = config.batch;
    const double s = config.sequence;
    const double largest = std::max({b * s * std::max(3.0 * spec.hidden, 1.0 * spec.ffn),
                                     b * spec.heads * s * s,
                                     3.0 * spec.hidden * spec.hidden,
                                     1.0 * spec.hidden * spec.ffn});
    if (largest > MAX_ELEMENTS)
    {
        oss << "batch=" << config.batch << ", sequence=" << config.sequence
            << " with hidden=" << spec.hidden << ", heads=" << spec.heads << ", ffn=" << spec.ffn
            << " is too large: the largest tensor would have " << largest
            << " elements; allowed: at most " << MAX_ELEMENTS;
        return oss.str();
    }
    if (!(config.dropout >= 0 && config.dropout < 1))
    {
        oss << "dropout=" << config.dropout << " is invalid: must be in [0, 1)";
        return oss.str();
    }
    if (config.dropout > 0 && recipe.kind == RecipeKind::INFERENCE)
    {
        oss << "dropout=" << config.dropout
            << " is invalid for recipe 'inference': dropout only runs in training; use 0";
        return oss.str();
    }
    if (config.warmUpRuns > MAX_RUNS)
    {
        oss << "warmUpRuns=" << config.warmUpRuns << " is invalid: must be between 0 and "
            << MAX_RUNS;
        return oss.str();
    }
    if (config.repeats == 0 || config.repeats > MAX_RUNS)
    {
        oss << "repeats=" << config.repeats << " is invalid: must be between 1 and " << MAX_RUNS;
        return oss.str();
    }
    if (config.threadCpuTime && config.threads != 1)
    {
        oss << "threadCpuTime=1 with threads=" << config.threads
            << " is invalid: the thread CPU clock only times single-threaded runs; use threads=1";
        return oss.str();
    }
    if (config.threads == 0 || config.threads > MAX_THREADS)
    {
        oss << "threads=" << config.threads << " is invalid: must be between 1 and " << MAX_THREADS;
        return oss.str();
    }
    return "";
}

double
TorchLayerProbe::Median(std::vector<double> values)
{
    if (values.empty())
    {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

TorchLayerMeasurement
TorchLayerProbe::MeasureBlock(const TorchLayerProbeConfig& config)
{
    const std::string problem = Validate(config);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("TorchLayerProbe: " << problem);
    }
    NS_LOG_FUNCTION(RecipeKindToString(config.recipe.kind)
                    << DataTypeToString(config.recipe.dtype) << config.spec.hidden << config.batch
                    << config.sequence);
    // The clock of the timed runs, in seconds.
    const bool cpuClock = config.threadCpuTime;
    auto now = [cpuClock]() {
        if (cpuClock)
        {
            timespec t{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
            return t.tv_sec + 1e-9 * t.tv_nsec;
        }
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    };
    using Alloc = MemoryTrackingAllocator;

    TorchThreadGuard threads(config.threads);
    std::optional<HostMemoryRetentionGuard> retention;
    if (config.retainFreedMemory)
    {
        retention.emplace();
    }
    TorchLayerMeasurement m;
    const TransformerSpec& spec = config.spec;
    const TrainingRecipe& recipe = config.recipe;
    const auto dtype = ToScalarType(recipe.dtype);
    const int64_t b = config.batch;
    const int64_t s = config.sequence;
    const int64_t h = spec.hidden;

    MemoryTrackingScope scope; // before anything of the run is allocated
    {
        const uint64_t base = scope.GetBaselineBytes();
        torch::manual_seed(config.seed);
        ProbeRun run;
        run.parallel = recipe.kind == RecipeKind::PARALLEL_ADAPTERS;
        run.inference = recipe.kind == RecipeKind::INFERENCE;

        TorchEncoderBlockOptions options;
        options.hidden = h;
        options.heads = spec.heads;
        options.ffn = spec.ffn;
        options.recipe = recipe.kind;
        options.dropout = config.dropout;
        options.loraRank = recipe.loraRank;
        options.adapterWidth = recipe.GetAdapterWidth(spec);
        run.block = TorchEncoderBlock(options);
        run.block->to(dtype);
        run.block->train(!run.inference);
        m.parameterBytes = Alloc::GetCurrentBytes() - base;
        const auto parameters = run.block->parameters();
        m.parameterCount = SumCount(parameters);
        for (const auto& p : parameters)
        {
            if (p.requires_grad())
            {
                run.trainable.push_back(p);
            }
        }
        m.trainableParameterCount = SumCount(run.trainable);
        m.trainableParameterBytes = SumBytes(run.trainable);

        // Inputs: x, and the side state z of the parallel adapters.
        uint64_t level = Alloc::GetCurrentBytes();
        run.x = torch::randn({b, s, h}, torch::TensorOptions().dtype(dtype));
        if (run.parallel)
        {
            run.z = torch::randn({b, s, static_cast<int64_t>(options.adapterWidth)},
                                 torch::TensorOptions().dtype(dtype));
            run.z.requires_grad_(true);
        }
        else if (!run.inference)
        {
            run.x.requires_grad_(true);
        }
        m.inputBytes = Alloc::GetCurrentBytes() - level;

        if (run.inference)
        {
            c10::InferenceMode inferenceMode;
            level = Alloc::GetCurrentBytes();
            const uint64_t count = Alloc::GetAllocationCount();
            Alloc::ResetPeak();
            auto y = run.block->forward(run.x);
            m.forwardAllocations = Alloc::GetAllocationCount() - count;
            m.forwardPeakBytes = Alloc::GetPeakBytes() - level;
            m.inferencePeakBytes = Alloc::GetPeakBytes() - base;
            m.outputBytes = y.nbytes();
            m.savedBytes = Alloc::GetCurrentBytes() - level - m.outputBytes;
            y = torch::Tensor();
            m.retainedBytes = Alloc::GetCurrentBytes() - level;
            std::vector<double> forward;
            for (uint32_t i = 0; i < config.warmUpRuns + config.repeats; ++i)
            {
                const auto t0 = now();
                auto out = run.block->forward(run.x);
                const auto t1 = now();
                if (i >= config.warmUpRuns)
                {
                    forward.push_back(t1 - t0);
                }
            }
            m.forwardSeconds = TorchLayerProbe::Median(forward);
            return m;
        }

        if (recipe.optimizer == OptimizerKind::SGD)
        {
            run.optimizer =
                std::make_unique<torch::optim::SGD>(run.trainable, torch::optim::SGDOptions(1e-4));
        }
        else
        {
            run.optimizer = std::make_unique<torch::optim::Adam>(run.trainable,
                                                                 torch::optim::AdamOptions(1e-4));
        }

        // Memory run. The input is a non-leaf copy, as the output of a previous block is: a
        // leaf that requires grad would be kept by its AccumulateGrad node whether or not
        // autograd saved it.
        const uint64_t start = Alloc::GetCurrentBytes();
        {
            torch::Tensor x = run.parallel ? run.x : run.x.clone();
            torch::Tensor z = run.parallel ? run.z.clone() : torch::Tensor();
            const uint64_t copies = Alloc::GetCurrentBytes() - start;
            level = Alloc::GetCurrentBytes();
            const uint64_t count = Alloc::GetAllocationCount();
            Alloc::ResetPeak();
            auto out = run.Forward(x, z);
            m.forwardAllocations = Alloc::GetAllocationCount() - count;
            m.forwardPeakBytes = Alloc::GetPeakBytes() - level;
            const uint64_t yBytes = out.first.nbytes();
            m.outputBytes = yBytes + (run.parallel ? out.second.nbytes() : 0);
            m.savedBytes = Alloc::GetCurrentBytes() - level - m.outputBytes;
            auto loss = out.second.sum();
            // Drop the output, then the input copy: what is freed was not saved.
            uint64_t before = Alloc::GetCurrentBytes();
            out = {};
            uint64_t freed = before - Alloc::GetCurrentBytes();
            m.outputSaved = freed < m.outputBytes;
            before = Alloc::GetCurrentBytes();
            if (run.parallel)
            {
                // The backbone ran without grad: its input x is never saved. Of the side state
                // z only this copy exists.
                z = torch::Tensor();
            }
            else
            {
                x = torch::Tensor();
                freed = before - Alloc::GetCurrentBytes();
                m.inputSaved = freed == 0;
            }
            m.retainedBytes = Alloc::GetCurrentBytes() - (level - copies) - loss.nbytes();
            loss.backward();
        }
        // Now alive: parameters, inputs and their gradients, weight gradients.
        ClearGradients({run.x});
        if (run.parallel)
        {
            ClearGradients({run.z});
        }
        m.gradientBytes = Alloc::GetCurrentBytes() - start;
        level = Alloc::GetCurrentBytes();
        run.optimizer->step();
        m.optimizerStateBytes = Alloc::GetCurrentBytes() - level;

        // One whole step with everything alive, from None gradients; its optimizer step is
        // timed (step 2 of the class comment).
        run.ClearAllGradients();
        Alloc::ResetPeak();
        {
            auto out = run.Forward(run.x, run.z);
            auto loss = out.second.sum();
            out = {};
            loss.backward();
            const auto t0 = now();
            run.optimizer->step();
            m.optimizerStepSeconds = now() - t0;
        }
        m.stepPeakBytes = Alloc::GetPeakBytes() - base;

        // The forward right after that step (its graph is dropped, no backward), then the timed
        // runs, with no optimizer step between them.
        run.ClearAllGradients();
        {
            const auto t0 = now();
            auto out = run.Forward(run.x, run.z);
            m.forwardAfterStepSeconds = now() - t0;
        }
        std::vector<double> forward;
        std::vector<double> backward;
        std::vector<double> forwardBackward;
        for (uint32_t i = 0; i < config.warmUpRuns + config.repeats; ++i)
        {
            run.ClearAllGradients();
            const auto t0 = now();
            auto out = run.Forward(run.x, run.z);
            const auto t1 = now();
            auto loss = out.second.sum();
            loss.backward();
            const auto t2 = now();
            if (i >= config.warmUpRuns)
            {
                forward.push_back(t1 - t0);
                backward.push_back(t2 - t1);
                forwardBackward.push_back(t2 - t0);
            }
        }
        m.forwardSeconds = TorchLayerProbe::Median(forward);
        m.backwardSeconds = TorchLayerProbe::Median(backward);
        m.forwardBackwardSeconds = TorchLayerProbe::Median(forwardBackward);
    }
    return m;
}

} // namespace edgellm
} // namespace ns3
