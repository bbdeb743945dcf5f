/* SPDX-License-Identifier: GPL-2.0-only */
// The kernel-level time model: layer kernels against the layer cost model's FLOPs, the
// per-kernel roofline by hand, the one-number roofline as its limit case, and the
// launch-bound regime of a single-sequence forward on a large GPU.

#include "ns3/analytic-compute-model.h"
#include "ns3/device-catalog.h"
#include "ns3/double.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/kernel-work.h"
#include "ns3/layer-cost.h"
#include "ns3/layer-kernels.h"
#include "ns3/nstime.h"
#include "ns3/test.h"

#include <cmath>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// A device with round numbers for hand computation.
DeviceProfile
MakeRoundDevice()
{
    DeviceProfile d;
    d.SetName("round");
    d.SetDescription("round numbers for hand computation");
    d.SetPeakFlops(DataType::FP32, 10e12);
    d.SetPeakFlops(DataType::FP16, 40e12);
    d.SetPeakFlops(DataType::BF16, 20e12);
    d.SetEfficiency(0.5);
    d.SetAttentionEfficiency(0.25);
    d.SetMemoryEfficiency(0.8);
    d.SetKernelOverhead(10e-6);
    d.SetMemoryBytes(8ULL << 30);
    d.SetMemoryBandwidth(100e9);
    d.SetBusyPower(20);
    d.SetIdlePower(5);
    d.SetMaxTxPowerDbm(20);
    return d;
}

/// Every recipe kind.
const std::vector<RecipeKind> ALL_KINDS = {RecipeKind::FULL,
                                           RecipeKind::LORA,
                                           RecipeKind::ADAPTERS,
                                           RecipeKind::PARALLEL_ADAPTERS,
                                           RecipeKind::INFERENCE};

/// The GEMM and attention FLOPs of some kernels: the layer cost model's FLOPs.
double
MatrixFlops(const KernelWork& work)
{
    return work.GetClassFlops(KernelClass::GEMM) + work.GetClassFlops(KernelClass::ATTENTION);
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * The kernels of every layer carry exactly the layer cost model's matrix FLOPs, forward and
 * backward, for every preset and recipe: two independent accountings of the same layers.
 */
class LayerKernelFlopsTestCase : public TestCase
{
  public:
    LayerKernelFlopsTestCase()
        : TestCase("layer kernels: GEMM + attention FLOPs equal LayerCost, every preset and recipe")
    {
    }

  private:
    void DoRun() override
    {
        uint32_t checked = 0;
        for (const std::string& name : TransformerSpec::GetPresetNames())
        {
            const TransformerSpec spec = TransformerSpec::GetPreset(name);
            for (RecipeKind kind : ALL_KINDS)
            {
                TrainingRecipe recipe;
                recipe.kind = kind;
                recipe.microBatchSize = 2;
                if (!LayerCostModel::Validate(spec, recipe).empty())
                {
                    continue;
                }
                const auto costs = LayerCostModel::Compute(spec, recipe);
                const auto kernels = LayerKernelModel::Compute(spec, recipe);
                const std::string what = name + " " + RecipeKindToString(kind);
                NS_TEST_ASSERT_MSG_EQ(kernels.size(), costs.size(), what << ": layer count");
                for (std::size_t i = 0; i < costs.size(); ++i)
                {
                    const double forward = costs[i].forwardFlops;
                    const double backward = costs[i].backwardFlops;
                    NS_TEST_ASSERT_MSG_EQ_TOL(MatrixFlops(kernels[i].forward),
                                              forward,
                                              1e-12 * forward + 1e-9,
                                              what << " layer " << i << " forward");
                    NS_TEST_ASSERT_MSG_EQ_TOL(MatrixFlops(kernels[i].backward),
                                              backward,
                                              1e-12 * backward + 1e-9,
                                              what << " layer " << i << " backward");
                    // Nothing trains in inference, and a frozen layer without trainable
                    // modules has no backward kernels unless gradients pass through it.
                    if (kind == RecipeKind::INFERENCE)
                    {
                        NS_TEST_ASSERT_MSG_EQ(kernels[i].backward.IsEmpty(), true, what);
                    }
                    ++checked;
                }
            }
        }
        NS_TEST_ASSERT_MSG_GT(checked, 500, "every preset and recipe was checked");

        // One BERT-base encoder block, forward, b = 1, s = 128, written out independently:
        // Q, K, V and output projections 4 * 2*N*h*h, FFN 2 * 2*N*h*f, scores and context
        // 2 * 2*b*s*s*h; 6 GEMM launches (Q, K, V fused into one in the layer list: qkv,
        // proj, ff1, ff2 = 4), 2 attention launches.
        const TransformerSpec bert = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe inference;
        inference.kind = RecipeKind::INFERENCE;
        inference.microBatchSize = 1;
        const auto layers = LayerKernelModel::Compute(bert, inference);
        const double n = 128;
        const double h = 768;
        const double f = 3072;
        const double expected = 4 * 2 * n * h * h + 2 * 2 * n * h * f + 2 * 2 * 128.0 * 128 * h;
        NS_TEST_ASSERT_MSG_EQ_TOL(MatrixFlops(layers[1].forward), expected, 1, "block FLOPs");
        uint64_t gemms = 0;
        uint64_t attention = 0;
        for (const Kernel& k : layers[1].forward.GetKernels())
        {
            gemms += k.kernelClass == KernelClass::GEMM ? k.count : 0;
            attention += k.kernelClass == KernelClass::ATTENTION ? k.count : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(gemms, 4, "qkv, proj, ff1, ff2");
        NS_TEST_ASSERT_MSG_EQ(attention, 2, "scores and context");
        NS_TEST_ASSERT_MSG_GT(layers[1].forward.GetLaunchCount(),
                              gemms + attention + 4,
                              "softmax, GELU, adds and norms are kernels of their own");

        // What autograd records: nothing in inference; every forward kernel of a fully trained
        // block and of a LoRA block (gradients pass through the frozen backbone); in a PAC side
        // network only the side kernels (the backbone runs without gradients). Every backward
        // kernel is autograd's.
        NS_TEST_ASSERT_MSG_EQ(layers[1].forward.GetAutogradLaunchCount(), 0, "inference");
        for (RecipeKind kind : {RecipeKind::FULL, RecipeKind::LORA, RecipeKind::PARALLEL_ADAPTERS})
        {
            TrainingRecipe training;
            training.kind = kind;
            training.microBatchSize = 1;
            const LayerKernels block = LayerKernelModel::Compute(bert, training).at(1);
            const uint64_t recorded = block.forward.GetAutogradLaunchCount();
            NS_TEST_ASSERT_MSG_EQ(block.backward.GetAutogradLaunchCount(),
                                  block.backward.GetLaunchCount(),
                                  RecipeKindToString(kind) << ": backward");
            if (kind == RecipeKind::PARALLEL_ADAPTERS)
            {
                NS_TEST_ASSERT_MSG_GT(recorded, 0, "side network recorded");
                NS_TEST_ASSERT_MSG_LT(recorded,
                                      layers[1].forward.GetLaunchCount(),
                                      "backbone not recorded");
            }
            else
            {
                NS_TEST_ASSERT_MSG_EQ(recorded,
                                      block.forward.GetLaunchCount(),
                                      RecipeKindToString(kind) << ": every forward kernel");
            }
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * KernelComputeModel by hand on a device with round numbers.
 */
class KernelTimeByHandTestCase : public TestCase
{
  public:
    KernelTimeByHandTestCase()
        : TestCase("kernel compute model: per-kernel roofline and overhead by hand")
    {
    }

  private:
    void DoRun() override
    {
        const DeviceProfile device = MakeRoundDevice();
        KernelWork work;
        // GEMM: rate 10e12 * 0.5 = 5e12; 1e12 FLOPs -> 0.2 s; 1e9 B at 100e9 * 0.8 -> 12.5 ms.
        work.Add(KernelClass::GEMM, 1e12, 1e9, 2);
        // Attention: rate 10e12 * 0.25 = 2.5e12; 1e10 FLOPs -> 4 ms; 4e9 B -> 50 ms: memory.
        work.Add(KernelClass::ATTENTION, 1e10, 4e9);
        // Elementwise: 8e8 B -> 10 ms each, three of them.
        work.Add(KernelClass::ELEMENTWISE, 0, 8e8, 3);

        Ptr<KernelComputeModel> model = CreateObject<KernelComputeModel>();
        KernelTimeBreakdown b = model->GetBreakdown(device, DataType::FP32, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[0], 0.4, 1e-12, "two GEMMs");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[1], 0.05, 1e-12, "attention, memory-bound");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[2], 0.03, 1e-12, "three elementwise");
        NS_TEST_ASSERT_MSG_EQ(b.launches, 6, "launches");
        NS_TEST_ASSERT_MSG_EQ(b.memoryBoundLaunches, 4, "attention and the elementwise");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.overheadSeconds, 60e-6, 1e-15, "6 x 10 us");
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetWorkTime(device, DataType::FP32, work).GetSeconds(),
                                  0.48006,
                                  1e-9,
                                  "total");
        // FP16 peak is 4x: the GEMMs take 0.05 s each, attention stays memory-bound.
        b = model->GetBreakdown(device, DataType::FP16, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[0], 0.1, 1e-12, "fp16 GEMMs");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[1], 0.05, 1e-12, "fp16 attention");

        // EfficiencyScale halves every rate and the bandwidth: 0.8 + 0.1 + 0.06 + overhead.
        model->SetAttribute("EfficiencyScale", DoubleValue(0.5));
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetWorkTime(device, DataType::FP32, work).GetSeconds(),
                                  0.96006,
                                  1e-9,
                                  "efficiency scale");
        // OverheadScale 0: a fused runtime without launch costs.
        model->SetAttribute("EfficiencyScale", DoubleValue(1.0));
        model->SetAttribute("OverheadScale", DoubleValue(0.0));
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetWorkTime(device, DataType::FP32, work).GetSeconds(),
                                  0.48,
                                  1e-9,
                                  "no overhead");
        // Out-of-range attributes are refused.
        NS_TEST_ASSERT_MSG_EQ(model->SetAttributeFailSafe("EfficiencyScale", DoubleValue(1.5)),
                              false,
                              "EfficiencyScale > 1");
        NS_TEST_ASSERT_MSG_EQ(model->SetAttributeFailSafe("OverheadScale", DoubleValue(-1)),
                              false,
                              "OverheadScale < 0");

        // A device whose kernels do not overlap arithmetic and memory (a CPU) adds the terms:
        // GEMMs 2 x (0.2 + 0.0125), attention 0.004 + 0.05, elementwise 3 x 0.01, 60 us.
        DeviceProfile cpu = device;
        cpu.SetComputeMemoryOverlap(false);
        b = model->GetBreakdown(cpu, DataType::FP32, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[0], 0.425, 1e-12, "additive GEMMs");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[1], 0.054, 1e-12, "additive attention");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[2], 0.03, 1e-12, "elementwise unchanged");

        // Autograd's overhead: 4 us more per kernel autograd records or runs. Two such kernels
        // (a recorded GEMM and its backward) of the same shapes as above, at OverheadScale 0 and
        // 1: the recorded pair is dearer by 2 x (10 + 4) us, and a recorded kernel does not merge
        // with an unrecorded one of the same shape.
        DeviceProfile trainer = device;
        trainer.SetAutogradOverhead(4e-6);
        KernelWork recorded;
        recorded.Add(KernelClass::GEMM, 1e12, 1e9, 1, true);
        recorded.Add(KernelClass::GEMM, 1e12, 1e9, 1, false);
        NS_TEST_ASSERT_MSG_EQ(recorded.GetKernels().size(), 2, "recorded and not: two kernels");
        NS_TEST_ASSERT_MSG_EQ(recorded.GetAutogradLaunchCount(), 1, "one recorded launch");
        model->SetAttribute("OverheadScale", DoubleValue(1.0));
        b = model->GetBreakdown(trainer, DataType::FP32, recorded);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.overheadSeconds, 2 * 10e-6 + 4e-6, 1e-15, "overheads");
        model->SetAttribute("OverheadScale", DoubleValue(0.0));

        // 16-bit element-wise kernels: native arithmetic (the default ratio 0.5) halves the fp32
        // time with the bytes: the work of a bf16 kernel is given at 2 bytes per element, so the
        // three 8e8-byte kernels stand for 4e8 fp32 elements: 3 x 10 ms. Converted to fp32 at
        // 1.5 times the fp32 time (a CPU): 3 x 8e8 x 2 B / 80e9 B/s x 1.5 = 90 ms. fp32 work
        // ignores the ratio.
        NS_TEST_ASSERT_MSG_EQ_TOL(device.GetElementwise16BitTimeRatio(), 0.5, 1e-15, "default");
        b = model->GetBreakdown(device, DataType::BF16, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[2], 0.03, 1e-12, "bf16 element-wise, native");
        DeviceProfile converting = device;
        converting.SetElementwise16BitTimeRatio(1.5);
        b = model->GetBreakdown(converting, DataType::BF16, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[2], 0.09, 1e-12, "bf16 element-wise, in fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[0], 0.2, 1e-12, "two GEMMs at the bf16 peak");
        b = model->GetBreakdown(converting, DataType::FP32, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[2], 0.03, 1e-12, "fp32 element-wise unchanged");

        // A normalization's forward has its own 16-bit ratio (LibTorch's CPU bf16 LayerNorm):
        // 8e8 bf16 bytes stand for 1.6e9 fp32 bytes, 20 ms in fp32, times 12 = 240 ms; in fp32
        // it is priced as an element-wise kernel (10 ms for 8e8 bytes).
        KernelWork norm;
        norm.Add(KernelClass::NORMALIZATION, 0, 8e8);
        converting.SetNormalization16BitTimeRatio(12);
        b = model->GetBreakdown(converting, DataType::BF16, norm);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[3], 0.24, 1e-12, "bf16 norm at 12x fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[2], 0.0, 1e-15, "not element-wise");
        b = model->GetBreakdown(converting, DataType::FP32, norm);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.classSeconds[3], 0.01, 1e-12, "fp32 norm: the memory rate");
        NS_TEST_ASSERT_MSG_EQ(b.memoryBoundLaunches, 1, "a norm is memory-bound");

        // A 16-bit matrix product's extra fixed cost: the 3 matrix products of the work pay it,
        // its 3 element-wise kernels do not; fp32 does not; OverheadScale scales it.
        converting.SetMatmul16BitOverhead(7e-6);
        model->SetAttribute("OverheadScale", DoubleValue(1.0));
        b = model->GetBreakdown(converting, DataType::BF16, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.overheadSeconds, 6 * 10e-6 + 3 * 7e-6, 1e-15, "bf16 extra");
        b = model->GetBreakdown(converting, DataType::FP32, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.overheadSeconds, 6 * 10e-6, 1e-15, "fp32: none");
        model->SetAttribute("OverheadScale", DoubleValue(0.5));
        b = model->GetBreakdown(converting, DataType::BF16, work);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.overheadSeconds, 0.5 * (6 * 10e-6 + 3 * 7e-6), 1e-15, "scaled");
        // and a 16-bit kernel autograd records its extra: the recorded GEMM of the two
        model->SetAttribute("OverheadScale", DoubleValue(1.0));
        converting.SetAutograd16BitOverhead(2e-6);
        NS_TEST_ASSERT_MSG_EQ(converting.GetAutogradOverhead(), 0, "no fp32 autograd term");
        b = model->GetBreakdown(converting, DataType::BF16, recorded);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.overheadSeconds,
                                  2 * 10e-6 + 2 * 7e-6 + 1 * 2e-6,
                                  1e-15,
                                  "two launches, two 16-bit products, one 16-bit autograd kernel");
        b = model->GetBreakdown(converting, DataType::FP32, recorded);
        NS_TEST_ASSERT_MSG_EQ_TOL(b.overheadSeconds, 2 * 10e-6, 1e-15, "fp32: launches only");
        model->SetAttribute("OverheadScale", DoubleValue(0.0));

        // Identical kernels merge; their count multiplies the time.
        KernelWork twice;
        twice.Add(KernelClass::ELEMENTWISE, 0, 8e8);
        twice.Add(KernelClass::ELEMENTWISE, 0, 8e8);
        NS_TEST_ASSERT_MSG_EQ(twice.GetKernels().size(), 1, "merged");
        NS_TEST_ASSERT_MSG_EQ(twice.GetLaunchCount(), 2, "two launches");
    }
};

/**
 * \ingroup edge-llm-tests
 * The one-number roofline is the limit case: one kernel, no overhead, the memory efficiency 1
 * and the attention efficiency the GEMM one give AnalyticComputeModel's time.
 */
class RooflineLimitTestCase : public TestCase
{
  public:
    RooflineLimitTestCase()
        : TestCase("kernel compute model: the one-number roofline as its limit case")
    {
    }

  private:
    void DoRun() override
    {
        DeviceProfile device = MakeRoundDevice();
        device.SetMemoryEfficiency(1.0);
        device.SetKernelOverhead(0);
        Ptr<KernelComputeModel> kernel = CreateObject<KernelComputeModel>();
        Ptr<AnalyticComputeModel> roofline = CreateObject<AnalyticComputeModel>();
        for (double flops : {0.0, 1e6, 1e9, 3e12})
        {
            for (double bytes : {0.0, 1e5, 1e9, 5e10})
            {
                if (flops == 0 && bytes == 0)
                {
                    continue;
                }
                for (DataType dtype : {DataType::FP32, DataType::FP16, DataType::BF16})
                {
                    NS_TEST_ASSERT_MSG_EQ(kernel->GetComputeTime(device, dtype, flops, bytes),
                                          roofline->GetComputeTime(device, dtype, flops, bytes),
                                          "flops " << flops << " bytes " << bytes);
                }
            }
        }
        // Without an attention efficiency of its own, attention runs at the GEMM rate.
        DeviceProfile plain = MakeRoundDevice();
        DeviceProfile unset;
        unset.SetEfficiency(0.4);
        NS_TEST_ASSERT_MSG_EQ_TOL(unset.GetAttentionEfficiency(), 0.4, 1e-15, "fallback");
        NS_TEST_ASSERT_MSG_EQ_TOL(kernel->GetClassFlops(plain, DataType::FP32, KernelClass::GEMM),
                                  5e12,
                                  1,
                                  "GEMM rate");
        NS_TEST_ASSERT_MSG_EQ_TOL(
            kernel->GetClassFlops(plain, DataType::FP32, KernelClass::ATTENTION),
            2.5e12,
            1,
            "attention rate");
    }
};

/**
 * \ingroup edge-llm-tests
 * On a large GPU a one-sequence forward is launch-bound: its modelled time grows with the
 * number of kernels, not with the FLOPs. Two models of (almost) equal FLOPs, one four times
 * deeper and half as wide, differ in time by about their kernel counts; the one-number
 * roofline sees them as equal.
 */
class LaunchBoundTestCase : public TestCase
{
  public:
    LaunchBoundTestCase()
        : TestCase("kernel compute model: a 1-sequence forward on a GPU is launch-bound")
    {
    }

  private:
    /// \return the inference forward of the whole model, kernels summed
    static KernelWork Forward(const TransformerSpec& spec)
    {
        TrainingRecipe recipe;
        recipe.kind = RecipeKind::INFERENCE;
        recipe.dtype = DataType::FP16;
        recipe.microBatchSize = 1;
        const auto layers = LayerKernelModel::Compute(spec, recipe);
        return LayerKernelModel::Sum(layers, 0, layers.size() - 1).forward;
    }

    void DoRun() override
    {
        const DeviceProfile a100 = DeviceCatalog::LoadDefault().Get("edge-server-a100");
        NS_TEST_ASSERT_MSG_GT(a100.GetKernelOverhead(), 0, "the GPU profile has a launch cost");

        TransformerSpec deep = TransformerSpec::GetPreset("bert-base");
        deep.encoderLayers = 24;
        TransformerSpec wide = deep;
        wide.encoderLayers = 6;
        wide.hidden = 1536;
        wide.heads = 24;
        wide.ffn = 6144;
        // Keep the embedding and head out of the comparison: the blocks are what differ.
        const KernelWork deepWork = Forward(deep);
        const KernelWork wideWork = Forward(wide);
        const double flopRatio = deepWork.GetTotalFlops() / wideWork.GetTotalFlops();
        NS_TEST_ASSERT_MSG_EQ_TOL(flopRatio, 1.0, 0.35, "comparable FLOPs");
        const double launchRatio =
            double(deepWork.GetLaunchCount()) / double(wideWork.GetLaunchCount());
        NS_TEST_ASSERT_MSG_GT(launchRatio, 3.0, "the deep model launches ~4x the kernels");

        Ptr<KernelComputeModel> model = CreateObject<KernelComputeModel>();
        const KernelTimeBreakdown deepTime = model->GetBreakdown(a100, DataType::FP16, deepWork);
        const KernelTimeBreakdown wideTime = model->GetBreakdown(a100, DataType::FP16, wideWork);
        // Launch-bound: the overhead is most of the time ...
        NS_TEST_ASSERT_MSG_GT(deepTime.overheadSeconds / deepTime.GetTotalSeconds(),
                              0.5,
                              "overhead share of the deep model's forward");
        // ... so the time follows the kernel count, not the FLOPs.
        const double timeRatio = deepTime.GetTotalSeconds() / wideTime.GetTotalSeconds();
        NS_TEST_ASSERT_MSG_GT(timeRatio, 2.0, "time ratio " << timeRatio);
        NS_TEST_ASSERT_MSG_GT(timeRatio, 2.0 * flopRatio, "time grows faster than FLOPs");
        // The one-number roofline (FLOPs at the achieved rate) cannot tell them apart.
        Ptr<AnalyticComputeModel> roofline = CreateObject<AnalyticComputeModel>();
        const double rooflineRatio =
            roofline->GetWorkTime(a100, DataType::FP16, deepWork).GetSeconds() /
            roofline->GetWorkTime(a100, DataType::FP16, wideWork).GetSeconds();
        NS_TEST_ASSERT_MSG_LT(rooflineRatio, 1.5, "roofline ratio " << rooflineRatio);

        // Depth: each added block adds its launches times the overhead, whatever its FLOPs.
        TransformerSpec twelve = TransformerSpec::GetPreset("bert-base");
        TransformerSpec thirteen = twelve;
        thirteen.encoderLayers = 13;
        const KernelWork w12 = Forward(twelve);
        const KernelWork w13 = Forward(thirteen);
        const double t12 = model->GetWorkTime(a100, DataType::FP16, w12).GetSeconds();
        const double t13 = model->GetWorkTime(a100, DataType::FP16, w13).GetSeconds();
        const double blockLaunches = double(w13.GetLaunchCount() - w12.GetLaunchCount());
        NS_TEST_ASSERT_MSG_GT(t13 - t12,
                              blockLaunches * a100.GetKernelOverhead(),
                              "one block costs at least its launches");
        // With the overhead removed (a fused, graph-captured runtime) the same block costs a
        // small fraction of that.
        model->SetAttribute("OverheadScale", DoubleValue(0.0));
        const double fused = model->GetWorkTime(a100, DataType::FP16, w13).GetSeconds() -
                             model->GetWorkTime(a100, DataType::FP16, w12).GetSeconds();
        NS_TEST_ASSERT_MSG_LT(fused, 0.5 * (t13 - t12), "fused block " << fused);
    }
};

/**
 * \ingroup edge-llm-tests
 * The kernel-level time model's suite.
 */
class KernelComputeModelTestSuite : public TestSuite
{
  public:
    KernelComputeModelTestSuite()
        : TestSuite("edge-llm-kernel-compute-model", UNIT)
    {
        AddTestCase(new LayerKernelFlopsTestCase, TestCase::QUICK);
        AddTestCase(new KernelTimeByHandTestCase, TestCase::QUICK);
        AddTestCase(new RooflineLimitTestCase, TestCase::QUICK);
        AddTestCase(new LaunchBoundTestCase, TestCase::QUICK);
    }
};

/// Static instance registering the suite.
static KernelComputeModelTestSuite g_kernelComputeModelTestSuite;
