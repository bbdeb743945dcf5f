/* SPDX-License-Identifier: GPL-2.0-only */
// A LibTorch test file: compiled only when LibTorch is found (cmake/edge-llm-torch.cmake).
#include "ns3/abort.h"
#include "ns3/host-memory-retention-guard.h"
#include "ns3/layer-cost.h"
#include "ns3/memory-tracking-allocator.h"
#include "ns3/memory-tracking-scope.h"
#include "ns3/segment-memory.h"
#include "ns3/test.h"
#include "ns3/torch-kernel-bench.h"
#include "ns3/torch-layer-probe.h"

#include <c10/core/CPUAllocator.h>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <sys/resource.h>
#include <thread>
#include <torch/torch.h>
#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * The LibTorch measurement side of the calibration tool: exact CPU memory accounting
 * (MemoryTrackingAllocator, MemoryTrackingScope), TorchLayerProbe's block measurements under
 * every recipe (parameter, gradient, optimizer and saved-activation bytes against hand counts),
 * its input validation, TorchKernelBench, and HostMemoryRetentionGuard (page faults counted). No
 * timing assertions beyond "positive".
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// \return "" when \p problem contains \p expected, else a message for the assertion
std::string
Contains(const std::string& problem, const std::string& expected)
{
    return problem.find(expected) != std::string::npos
               ? ""
               : "'" + problem + "' does not contain '" + expected + "'";
}

/// The tiny block of the tests: hidden 64, 4 heads, FFN 256, b 2, s 16, one timed run.
TorchLayerProbeConfig
TinyConfig(RecipeKind kind)
{
    TorchLayerProbeConfig config;
    config.spec.name = "tiny-block";
    config.spec.hidden = 64;
    config.spec.heads = 4;
    config.spec.ffn = 256;
    config.recipe.kind = kind;
    config.recipe.loraRank = 8;
    config.recipe.adapterReduction = 16; // m = w = 4
    config.batch = 2;
    config.sequence = 16;
    config.warmUpRuns = 0;
    config.repeats = 1;
    return config;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * The allocator counts exactly, frees decrement, the peak stays, scopes restore LibTorch's
 * allocator, raw allocations and other threads are counted.
 */
class MemoryTrackingTestCase : public TestCase
{
  public:
    MemoryTrackingTestCase()
        : TestCase("the tracking allocator counts CPU tensor bytes exactly and restores the "
                   "previous allocator")
    {
    }

  private:
    void DoRun() override
    {
        c10::Allocator* original = c10::GetCPUAllocator();
        NS_TEST_ASSERT_MSG_EQ(MemoryTrackingAllocator::IsInstalled(), false, "not installed");
        torch::Tensor outlives;
        uint64_t base = 0;
        {
            MemoryTrackingScope scope;
            NS_TEST_ASSERT_MSG_EQ(MemoryTrackingAllocator::IsInstalled(), true, "installed");
            NS_TEST_ASSERT_MSG_NE(c10::GetCPUAllocator(), original, "wrapper registered");
            base = scope.GetCurrentBytes();
            NS_TEST_ASSERT_MSG_EQ(scope.GetBaselineBytes(), base, "baseline");
            const uint64_t count = scope.GetAllocationCount();
            auto t = torch::empty({1000}, torch::kFloat);
            NS_TEST_ASSERT_MSG_EQ(scope.GetCurrentBytes() - base, 4000, "1000 floats");
            NS_TEST_ASSERT_MSG_EQ(scope.GetAllocationCount() - count, 1, "one allocation");
            NS_TEST_ASSERT_MSG_EQ(scope.GetPeakBytes() - base, 4000, "peak");
            {
                auto u = torch::empty({10, 10}, torch::kBFloat16);
                NS_TEST_ASSERT_MSG_EQ(scope.GetCurrentBytes() - base, 4200, "plus 100 bf16");
            }
            t = torch::Tensor();
            NS_TEST_ASSERT_MSG_EQ(scope.GetCurrentBytes(), base, "frees decrement");
            NS_TEST_ASSERT_MSG_EQ(scope.GetPeakBytes() - base, 4200, "the peak stays");
            scope.ResetPeak();
            NS_TEST_ASSERT_MSG_EQ(scope.GetPeakBytes(), base, "ResetPeak");

            // LibTorch's raw_allocate (temporary buffers of some kernels) is counted too.
            void* raw = c10::GetCPUAllocator()->raw_allocate(100);
            NS_TEST_ASSERT_MSG_EQ(scope.GetCurrentBytes() - base, 100, "raw allocation");
            c10::GetCPUAllocator()->raw_deallocate(raw);
            NS_TEST_ASSERT_MSG_EQ(scope.GetCurrentBytes(), base, "raw free");

            // Nested scopes share the outer installation.
            {
                MemoryTrackingScope inner;
                auto v = torch::empty({8}, torch::kDouble);
                NS_TEST_ASSERT_MSG_EQ(inner.GetCurrentBytes() - base, 64, "inner scope counts");
            }
            NS_TEST_ASSERT_MSG_EQ(MemoryTrackingAllocator::IsInstalled(), true, "still installed");
            NS_TEST_ASSERT_MSG_EQ(scope.GetCurrentBytes(), base, "inner tensor freed");

            // Other threads: every allocation counted, every free subtracted.
            const uint64_t before = scope.GetAllocationCount();
            std::vector<std::thread> threads;
            for (int i = 0; i < 4; ++i)
            {
                threads.emplace_back([] {
                    for (int j = 0; j < 250; ++j)
                    {
                        auto w = torch::empty({16 + j}, torch::kFloat);
                    }
                });
            }
            for (auto& thread : threads)
            {
                thread.join();
            }
            NS_TEST_ASSERT_MSG_EQ(scope.GetAllocationCount() - before, 1000, "4 x 250 allocations");
            NS_TEST_ASSERT_MSG_EQ(scope.GetCurrentBytes(), base, "all freed");

            outlives = torch::empty({250}, torch::kFloat);
        }
        NS_TEST_ASSERT_MSG_EQ(c10::GetCPUAllocator(), original, "allocator restored");
        NS_TEST_ASSERT_MSG_EQ(MemoryTrackingAllocator::IsInstalled(), false, "uninstalled");
        NS_TEST_ASSERT_MSG_EQ(MemoryTrackingAllocator::GetCurrentBytes() - base,
                              1000,
                              "a tracked tensor alive after the scope");
        auto untracked = torch::empty({1000}, torch::kFloat);
        NS_TEST_ASSERT_MSG_EQ(MemoryTrackingAllocator::GetCurrentBytes() - base,
                              1000,
                              "not counted once restored");
        outlives = torch::Tensor();
        NS_TEST_ASSERT_MSG_EQ(MemoryTrackingAllocator::GetCurrentBytes(),
                              base,
                              "its free is still counted after the scope");
    }
};

/**
 * \ingroup edge-llm-tests
 * MeasureBlock on a tiny block under every recipe: parameter, gradient and Adam bytes, and the
 * exact bytes autograd saves, as found for LibTorch 1.13 (doc/torch-engine.rst has the table).
 */
class ProbeRecipesTestCase : public TestCase
{
  public:
    ProbeRecipesTestCase()
        : TestCase("MeasureBlock counts parameters, gradients, optimizer state and saved tensors "
                   "exactly under every recipe")
    {
    }

  private:
    /**
     * \brief Measure one configuration and check it against the hand counts.
     * \param config the configuration
     */
    void Check(const TorchLayerProbeConfig& config)
    {
        const RecipeKind kind = config.recipe.kind;
        const std::string label = RecipeKindToString(kind) + " " +
                                  DataTypeToString(config.recipe.dtype) +
                                  " dropout=" + std::to_string(config.dropout) + " " +
                                  OptimizerKindToString(config.recipe.optimizer);
        const uint64_t e = GetDataTypeBytes(config.recipe.dtype);
        const uint64_t h = config.spec.hidden;
        const uint64_t a = config.spec.heads;
        const uint64_t f = config.spec.ffn;
        const uint64_t b = config.batch;
        const uint64_t s = config.sequence;
        const uint64_t r = config.recipe.loraRank;
        const uint64_t m = config.recipe.GetAdapterWidth(config.spec); // adapter / side width
        const uint64_t n = b * s;                                      // tokens
        const bool dropout = config.dropout > 0;

        // Parameters as layer-cost.cc counts them: qkv 3h^2 + 3h, proj h^2 + h, two LayerNorms
        // 2h each, ff1 hf + f, ff2 fh + h; plus the recipe's modules.
        const uint64_t backbone = 4 * h * h + 4 * h + 4 * h + 2 * h * f + f + h;
        uint64_t added = 0;
        uint64_t saved = 0;
        uint64_t retained = 0;
        bool inputSaved = false;
        bool outputSaved = false;
        switch (kind)
        {
        case RecipeKind::FULL:
            saved = e * 2 * n * h         // Q and K: contiguous copies matmul makes for bmm
                    + e * n * h           // V: the same copy for attention x V
                    + e * a * b * s * s   // softmax output (its backward and attention x V)
                    + e * n * h           // context, the input of proj
                    + e * n * h           // LayerNorm 1 input
                    + e * n * h           // LayerNorm 1 output = ff1 input
                    + e * n * f           // GELU input (ff1 output)
                    + e * n * f           // GELU output = ff2 input
                    + e * n * h           // LayerNorm 2 input
                    + 2 * 2 * e * n;      // mean and rstd of both LayerNorms, in dtype
            retained = saved + e * n * h; // the block input, for qkv's weight gradient
            inputSaved = true;
            break;
        case RecipeKind::LORA:
            added = 2 * (h * r + r * h);
            // Frozen projections keep nothing of their inputs.
            saved = e * 3 * n * h         // Q, K, V copies for the two bmm
                    + e * a * b * s * s   // softmax output
                    + e * 2 * n * h       // both LayerNorm inputs
                    + e * n * f           // GELU input
                    + 2 * 2 * e * n       // LayerNorm statistics
                    + 2 * e * n * r;      // xA of the query and of the value (B's input)
            retained = saved + e * n * h; // the block input, read by both A (weight gradients)
            inputSaved = true;
            break;
        case RecipeKind::ADAPTERS:
            added = 2 * (h * m + m + m * h + h);
            saved = e * 3 * n * h + e * a * b * s * s + e * 2 * n * h + e * n * f +
                    2 * 2 * e * n
                    // each adapter: its input (down's weight gradient), GELU input, GELU output
                    + 2 * (e * n * h + 2 * e * n * m);
            retained = saved; // the frozen qkv does not need the block input
            break;
        case RecipeKind::PARALLEL_ADAPTERS:
            added = h * m + m + m * m + m;
            saved = e * n * m             // u, the input of B (B's weight gradient)
                    + e * n * m;          // GELU input
            retained = saved + e * n * h; // the backbone output x, A's input: also the output
            outputSaved = true;
            break;
        case RecipeKind::INFERENCE:
            break;
        }
        if (dropout && kind != RecipeKind::PARALLEL_ADAPTERS)
        {
            // The CPU dropout multiplies by a kept/(1-p) noise tensor of the input's type (not a
            // 1-byte mask): the noise on the probabilities and the dropped probabilities (the
            // input of attention x V), the noise after proj and after ff2.
            saved += 2 * e * a * b * s * s + 2 * e * n * h;
            retained += 2 * e * a * b * s * s + 2 * e * n * h;
        }
        const uint64_t trainable = kind == RecipeKind::FULL
                                       ? backbone + added
                                       : (kind == RecipeKind::INFERENCE ? 0 : added);
        const bool adam = config.recipe.optimizer == OptimizerKind::ADAM;

        TorchLayerMeasurement result = TorchLayerProbe::MeasureBlock(config);
        NS_TEST_ASSERT_MSG_EQ(result.parameterCount, backbone + added, label);
        NS_TEST_ASSERT_MSG_EQ(result.parameterBytes, e * (backbone + added), label);
        NS_TEST_ASSERT_MSG_EQ(result.trainableParameterCount, trainable, label);
        NS_TEST_ASSERT_MSG_EQ(result.trainableParameterBytes, e * trainable, label);
        NS_TEST_ASSERT_MSG_EQ(result.gradientBytes, e * trainable, label);
        const uint64_t state = adam ? 2 * e * trainable : 0; // exp_avg, exp_avg_sq in dtype
        NS_TEST_ASSERT_MSG_EQ(result.optimizerStateBytes, state, label);
        const uint64_t side = kind == RecipeKind::PARALLEL_ADAPTERS ? e * n * m : 0;
        NS_TEST_ASSERT_MSG_EQ(result.inputBytes, e * n * h + side, label);
        NS_TEST_ASSERT_MSG_EQ(result.outputBytes, e * n * h + side, label);
        NS_TEST_ASSERT_MSG_EQ(result.savedBytes, saved, label);
        NS_TEST_ASSERT_MSG_EQ(result.retainedBytes, retained, label);
        NS_TEST_ASSERT_MSG_EQ(result.inputSaved, inputSaved, label);
        NS_TEST_ASSERT_MSG_EQ(result.outputSaved, outputSaved, label);
        NS_TEST_ASSERT_MSG_GT(result.forwardSeconds, 0, label);
        NS_TEST_ASSERT_MSG_GT(result.forwardPeakBytes, 0, label);
        NS_TEST_ASSERT_MSG_GT(result.forwardAllocations, 0, label);
        if (kind == RecipeKind::INFERENCE)
        {
            NS_TEST_ASSERT_MSG_GT(result.inferencePeakBytes,
                                  result.parameterBytes + result.inputBytes + result.outputBytes -
                                      1,
                                  label);
            NS_TEST_ASSERT_MSG_EQ(result.stepPeakBytes, 0, label);
            NS_TEST_ASSERT_MSG_EQ(result.forwardBackwardSeconds, 0, label);
            NS_TEST_ASSERT_MSG_EQ(result.forwardAfterStepSeconds, 0, label);
        }
        else
        {
            NS_TEST_ASSERT_MSG_GT(result.backwardSeconds, 0, label);
            NS_TEST_ASSERT_MSG_GT(result.optimizerStepSeconds, 0, label);
            NS_TEST_ASSERT_MSG_GT(result.forwardAfterStepSeconds, 0, label);
            NS_TEST_ASSERT_MSG_GT(result.forwardBackwardSeconds, 0, label);
            // Everything alive at the peak: at least weights, input, state, and either the
            // retained activations or the gradients.
            NS_TEST_ASSERT_MSG_GT(result.stepPeakBytes,
                                  result.parameterBytes + result.inputBytes +
                                      result.optimizerStateBytes +
                                      std::max(result.retainedBytes, result.gradientBytes) - 1,
                                  label);
            NS_TEST_ASSERT_MSG_EQ(result.inferencePeakBytes, 0, label);
        }
    }

    void DoRun() override
    {
        for (auto kind : {RecipeKind::FULL,
                          RecipeKind::LORA,
                          RecipeKind::ADAPTERS,
                          RecipeKind::PARALLEL_ADAPTERS,
                          RecipeKind::INFERENCE})
        {
            Check(TinyConfig(kind));
        }
        for (auto kind : {RecipeKind::FULL,
                          RecipeKind::LORA,
                          RecipeKind::ADAPTERS,
                          RecipeKind::PARALLEL_ADAPTERS})
        {
            TorchLayerProbeConfig config = TinyConfig(kind);
            config.dropout = 0.1;
            Check(config);
        }
        for (auto kind : {RecipeKind::FULL, RecipeKind::LORA})
        {
            TorchLayerProbeConfig config = TinyConfig(kind);
            config.recipe.dtype = DataType::BF16;
            Check(config);
        }
        TorchLayerProbeConfig sgd = TinyConfig(RecipeKind::ADAPTERS);
        sgd.recipe.optimizer = OptimizerKind::SGD;
        Check(sgd);
        // Another shape: odd sizes, 3 heads.
        TorchLayerProbeConfig odd = TinyConfig(RecipeKind::FULL);
        odd.spec.hidden = 96;
        odd.spec.heads = 3;
        odd.spec.ffn = 200;
        odd.batch = 3;
        odd.sequence = 10;
        Check(odd);
        NS_TEST_ASSERT_MSG_EQ(MemoryTrackingAllocator::IsInstalled(), false, "restored");
    }
};

/**
 * \ingroup edge-llm-tests
 * Every bad field of a probe configuration or bench setting is rejected with its message.
 */
class ProbeBadInputTestCase : public TestCase
{
  public:
    ProbeBadInputTestCase()
        : TestCase("bad probe configurations name the field, its value and what is allowed")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(TorchLayerProbe::Validate(TinyConfig(RecipeKind::FULL)),
                              "",
                              "the tiny configuration is valid");

        struct BadCase
        {
            std::function<void(TorchLayerProbeConfig&)> change;
            std::string expected;
        };

        std::vector<BadCase> cases = {
            {[](TorchLayerProbeConfig& c) { c.spec.hidden = 0; },
             "spec.hidden=0 is invalid: must be between 1 and 65536"},
            {[](TorchLayerProbeConfig& c) { c.spec.heads = 5; },
             "spec.heads=5 is invalid: must be a positive divisor of spec.hidden=64"},
            {[](TorchLayerProbeConfig& c) { c.spec.ffn = 0; }, "spec.ffn=0 is invalid"},
            {[](TorchLayerProbeConfig& c) { c.spec.linearBias = false; },
             "is not supported: the probe's block has the BERT form"},
            {[](TorchLayerProbeConfig& c) { c.recipe.dtype = DataType::FP16; },
             "recipe.dtype=fp16 is not supported"},
            {[](TorchLayerProbeConfig& c) {
                 c.recipe.kind = RecipeKind::LORA;
                 c.recipe.loraRank = 65;
             },
             "recipe.loraRank=65 is invalid for recipe 'lora': must be between 1 and "
             "spec.hidden=64"},
            {[](TorchLayerProbeConfig& c) {
                 c.recipe.kind = RecipeKind::PARALLEL_ADAPTERS;
                 c.recipe.adapterReduction = 0;
             },
             "recipe.adapterReduction=0 is invalid for recipe 'parallel-adapters'"},
            {[](TorchLayerProbeConfig& c) { c.batch = 0; },
             "batch=0 is invalid: must be between 1 and 65536"},
            {[](TorchLayerProbeConfig& c) { c.sequence = 70000; },
             "sequence=70000 is invalid: must be between 1 and 65536"},
            {[](TorchLayerProbeConfig& c) {
                 c.batch = 4096;
                 c.sequence = 4096;
             },
             "is too large: the largest tensor would have"},
            {[](TorchLayerProbeConfig& c) { c.dropout = 1; },
             "dropout=1 is invalid: must be in [0, 1)"},
            {[](TorchLayerProbeConfig& c) { c.dropout = -0.5; }, "dropout=-0.5 is invalid"},
            {[](TorchLayerProbeConfig& c) {
                 c.recipe.kind = RecipeKind::INFERENCE;
                 c.dropout = 0.1;
             },
             "dropout=0.1 is invalid for recipe 'inference'"},
            {[](TorchLayerProbeConfig& c) { c.warmUpRuns = 200000; },
             "warmUpRuns=200000 is invalid: must be between 0 and 100000"},
            {[](TorchLayerProbeConfig& c) { c.repeats = 0; },
             "repeats=0 is invalid: must be between 1 and 100000"},
            {[](TorchLayerProbeConfig& c) { c.threads = 0; },
             "threads=0 is invalid: must be between 1 and 1024"},
        };
        for (const auto& bad : cases)
        {
            TorchLayerProbeConfig config = TinyConfig(RecipeKind::FULL);
            bad.change(config);
            const std::string problem = TorchLayerProbe::Validate(config);
            NS_TEST_ASSERT_MSG_EQ(Contains(problem, bad.expected), "", bad.expected);
        }

        TorchKernelBenchSettings settings;
        NS_TEST_ASSERT_MSG_EQ(TorchKernelBench::Validate(settings), "", "default settings");
        settings.repeats = 0;
        NS_TEST_ASSERT_MSG_EQ(
            Contains(TorchKernelBench::Validate(settings), "repeats=0 is invalid"),
            "",
            "bench repeats");
        settings.repeats = 1;
        settings.threads = 0;
        NS_TEST_ASSERT_MSG_EQ(
            Contains(TorchKernelBench::Validate(settings), "threads=0 is invalid"),
            "",
            "bench threads");
        TorchElementwiseOp op = TorchElementwiseOp::ADD;
        NS_TEST_ASSERT_MSG_EQ(Contains(TorchKernelBench::ParseElementwiseOp("relu", op),
                                       "op='relu' is not a known element-wise operator; allowed: "
                                       "add, gelu, layer-norm, softmax, dropout"),
                              "",
                              "unknown operator");
        for (const auto& name : TorchKernelBench::GetElementwiseOpNames())
        {
            NS_TEST_ASSERT_MSG_EQ(TorchKernelBench::ParseElementwiseOp(name, op), "", name);
            NS_TEST_ASSERT_MSG_EQ(TorchKernelBench::ElementwiseOpToString(op), name, name);
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * The kernel micro-benchmarks run and return positive times, and restore the thread count.
 */
class KernelBenchTestCase : public TestCase
{
  public:
    KernelBenchTestCase()
        : TestCase("kernel micro-benchmarks return positive times and restore the thread count")
    {
    }

  private:
    void DoRun() override
    {
        const int threads = torch::get_num_threads();
        TorchKernelBenchSettings settings;
        settings.warmUpRuns = 1;
        settings.repeats = 3;
        for (auto dtype : {DataType::FP32, DataType::BF16})
        {
            const std::string name = DataTypeToString(dtype);
            NS_TEST_ASSERT_MSG_GT(TorchKernelBench::MeasureGemmSeconds(64, 32, 48, dtype, settings),
                                  0,
                                  "gemm " << name);
            NS_TEST_ASSERT_MSG_GT(
                TorchKernelBench::MeasureBatchedMatmulSeconds(4, 16, 16, 8, dtype, settings),
                0,
                "bmm " << name);
            for (const auto& opName : TorchKernelBench::GetElementwiseOpNames())
            {
                TorchElementwiseOp op = TorchElementwiseOp::ADD;
                TorchKernelBench::ParseElementwiseOp(opName, op);
                NS_TEST_ASSERT_MSG_GT(
                    TorchKernelBench::MeasureElementwiseSeconds(op, 32, 64, dtype, settings),
                    0,
                    opName << " " << name);
            }
        }
        NS_TEST_ASSERT_MSG_GT(TorchKernelBench::MeasureDispatchSeconds(settings), 0, "dispatch");
        NS_TEST_ASSERT_MSG_EQ(torch::get_num_threads(), threads, "thread count restored");
    }
};

/**
 * \ingroup edge-llm-tests
 * The memory model (LayerCostModel + SegmentMemory) against what LibTorch allocates: for a
 * one-block segment with one micro-batch, stored activations equal the probe's retained bytes
 * and the modelled peak of a training step (inference: of a forward) is within 10% of the
 * probe's stepPeakBytes (inferencePeakBytes), under every recipe, with and without dropout (CPU
 * masks: dropoutMaskBytes 0).
 */
class MemoryModelVsProbeTestCase : public TestCase
{
  public:
    /// One shape of the grid.
    struct Point
    {
        uint32_t hidden; //!< h
        uint32_t heads;  //!< a
        uint32_t ffn;    //!< f
        uint32_t batch;  //!< b
        uint32_t seq;    //!< s
    };

    /**
     * \param extensive false: the quick grid; true: three models' shapes, b 1-16, s 32-256
     */
    explicit MemoryModelVsProbeTestCase(bool extensive)
        : TestCase(extensive ? "memory model within 10% of LibTorch over 3 shapes, b 1-16, s "
                               "32-256"
                             : "memory model within 10% of LibTorch on a quick grid"),
          m_extensive(extensive)
    {
    }

  private:
    /**
     * \brief Measure one configuration and compare.
     * \param point the shape
     * \param kind the recipe
     * \param dtype the data type (bf16 runs use SGD: the probe's Adam keeps bf16 moments)
     * \param dropout the dropout probability
     */
    void Check(const Point& point, RecipeKind kind, DataType dtype, double dropout)
    {
        TorchLayerProbeConfig config;
        config.spec = TransformerSpec::GetPreset("bert-base");
        config.spec.hidden = point.hidden;
        config.spec.heads = point.heads;
        config.spec.ffn = point.ffn;
        config.spec.encoderLayers = 1;
        config.spec.sequenceLength = point.seq;
        config.recipe.kind = kind;
        config.recipe.dtype = dtype;
        config.recipe.loraRank = 8;
        config.recipe.adapterReduction = 16;
        config.recipe.optimizer =
            dtype == DataType::FP32 ? OptimizerKind::ADAM : OptimizerKind::SGD;
        config.recipe.fp32MasterWeights = false; // the probe trains in pure bf16
        config.recipe.microBatchSize = point.batch;
        config.recipe.dropout = dropout;
        config.recipe.dropoutMaskBytes = 0; // LibTorch's CPU dropout keeps e-byte noise
        config.batch = point.batch;
        config.sequence = point.seq;
        config.dropout = dropout;
        config.warmUpRuns = 0;
        config.repeats = 1;
        config.threads = 2;

        const auto layers = LayerCostModel::Compute(config.spec, config.recipe);
        const SegmentMemory model = SegmentMemory::Compute(layers, 1, 1, 1);
        const TorchLayerMeasurement measured = TorchLayerProbe::MeasureBlock(config);
        std::ostringstream label;
        label << RecipeKindToString(kind) << " " << DataTypeToString(dtype) << " h=" << point.hidden
              << " b=" << point.batch << " s=" << point.seq << " dropout=" << dropout;
        const double reference =
            kind == RecipeKind::INFERENCE ? measured.inferencePeakBytes : measured.stepPeakBytes;
        const double error = (double(model.totalBytes) - reference) / reference;
        // SegmentMemory is additive (gradients + stored activations + one transient), a bound
        // of the step's phases. Fully trained, its slack is largest where the block's gradients
        // are about as large as its activations (h = 512, b = 1, s = 256 with dropout: +10.5%);
        // doc/workload-model.rst, "Segment memory". 10% everywhere else.
        const double tolerance = kind == RecipeKind::FULL && m_extensive ? 0.12 : 0.10;
        NS_TEST_EXPECT_MSG_LT(std::abs(error),
                              tolerance,
                              label.str() << ": model " << model.totalBytes << " vs measured "
                                          << uint64_t(reference));
        NS_TEST_EXPECT_MSG_EQ(model.parameterBytes, measured.parameterBytes, label.str());
        // Stored activations are exact, except LoRA with b = 1: the key is then a view of the
        // fused QKV output that keeps all of it (2*e*N*h more than the copies counted).
        if (!(kind == RecipeKind::LORA && point.batch == 1))
        {
            NS_TEST_EXPECT_MSG_EQ(model.storedActivationBytesPerMicroBatch,
                                  measured.retainedBytes,
                                  label.str());
        }
    }

    void DoRun() override
    {
        std::vector<Point> points;
        if (m_extensive)
        {
            for (const Point& shape :
                 {Point{256, 4, 1024, 0, 0}, Point{512, 8, 2048, 0, 0}, Point{768, 12, 3072, 0, 0}})
            {
                for (uint32_t b : {1, 4, 16})
                {
                    for (uint32_t s : {32, 128, 256})
                    {
                        if (shape.hidden == 768 && b * s > 2048)
                        {
                            continue; // keeps the run under a few minutes
                        }
                        points.push_back({shape.hidden, shape.heads, shape.ffn, b, s});
                    }
                }
            }
        }
        else
        {
            points = {{128, 2, 512, 4, 64}, {256, 4, 1024, 4, 128}};
        }
        for (const Point& point : points)
        {
            for (auto kind : {RecipeKind::FULL,
                              RecipeKind::LORA,
                              RecipeKind::ADAPTERS,
                              RecipeKind::PARALLEL_ADAPTERS})
            {
                for (double dropout : {0.0, 0.1})
                {
                    Check(point, kind, DataType::FP32, dropout);
                }
            }
            Check(point, RecipeKind::INFERENCE, DataType::FP32, 0);
        }
        // bf16, where activations outweigh the gradients (SGD: no optimizer state to hide the
        // FULL bound's slack, doc/workload-model.rst).
        const Point bf16Point{128, 2, 512, 8, 64};
        for (auto kind : {RecipeKind::FULL,
                          RecipeKind::LORA,
                          RecipeKind::ADAPTERS,
                          RecipeKind::PARALLEL_ADAPTERS})
        {
            Check(bf16Point, kind, DataType::BF16, 0.1);
        }
        Check(bf16Point, RecipeKind::INFERENCE, DataType::BF16, 0);
    }

    bool m_extensive; //!< run the larger grid
};

/**
 * \ingroup edge-llm-tests
 * HostMemoryRetentionGuard: a 64 MiB block freed and allocated again is touched as new pages
 * (one minor page fault per 4 KiB page: glibc mmaps a block above its 32 MiB mmap threshold and
 * unmaps it on free) without the guard, and reuses its pages with the guard; after the guard,
 * glibc's behaviour is back.
 */
class HostMemoryRetentionTestCase : public TestCase
{
  public:
    HostMemoryRetentionTestCase()
        : TestCase("HostMemoryRetentionGuard: a freed block's pages are reused, not faulted again")
    {
    }

  private:
    static constexpr std::size_t BLOCK_BYTES = 64u << 20; //!< above glibc's mmap threshold
    static constexpr std::size_t PAGE_BYTES = 4096;       //!< x86-64 base page

    /// \return the process's minor page faults so far
    static long MinorFaults()
    {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        return usage.ru_minflt;
    }

    /// \brief Allocate the block, write one byte per page (volatile: not optimised away), free.
    static void TouchBlock()
    {
        auto* block = static_cast<volatile char*>(std::malloc(BLOCK_BYTES));
        NS_ABORT_MSG_IF(block == nullptr, "HostMemoryRetentionTestCase: malloc failed");
        for (std::size_t i = 0; i < BLOCK_BYTES; i += PAGE_BYTES)
        {
            block[i] = 1;
        }
        std::free(const_cast<char*>(block));
    }

    /// \return the minor page faults of touching the block once more after a first time
    static long FaultsOfSecondTouch()
    {
        TouchBlock();
        const long before = MinorFaults();
        TouchBlock();
        return MinorFaults() - before;
    }

    void DoRun() override
    {
        const long pages = BLOCK_BYTES / PAGE_BYTES;
        const long without = FaultsOfSecondTouch();
        long with = 0;
        {
            HostMemoryRetentionGuard guard;
            NS_TEST_ASSERT_MSG_EQ(HostMemoryRetentionGuard::IsActive(), true, "glibc took it");
            with = FaultsOfSecondTouch();
        }
        NS_TEST_ASSERT_MSG_EQ(HostMemoryRetentionGuard::IsActive(), false, "guard ended");
        const long after = FaultsOfSecondTouch();
        NS_TEST_ASSERT_MSG_GT(without, 9 * pages / 10, "without the guard every page faults");
        NS_TEST_ASSERT_MSG_LT(with, pages / 20, "with the guard the pages are reused");
        NS_TEST_ASSERT_MSG_GT(after, 9 * pages / 10, "after the guard, glibc's defaults again");
    }
};

/**
 * \ingroup edge-llm-tests
 * The measurement side of the LibTorch calibration tool.
 */
class TorchLayerProbeTestSuite : public TestSuite
{
  public:
    TorchLayerProbeTestSuite()
        : TestSuite("edge-llm-torch-layer-probe", TestSuite::UNIT)
    {
        AddTestCase(new MemoryTrackingTestCase);
        AddTestCase(new ProbeRecipesTestCase);
        AddTestCase(new ProbeBadInputTestCase);
        AddTestCase(new KernelBenchTestCase);
        AddTestCase(new HostMemoryRetentionTestCase);
        AddTestCase(new MemoryModelVsProbeTestCase(false));
        AddTestCase(new MemoryModelVsProbeTestCase(true), TestCase::EXTENSIVE);
    }
};

/// the suite's instance
static TorchLayerProbeTestSuite g_torchLayerProbeTestSuite;
