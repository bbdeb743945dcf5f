/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/analytic-compute-model.h"
#include "ns3/device-catalog.h"
#include "ns3/feasibility-report.h"
#include "ns3/layer-cost.h"
#include "ns3/test.h"

#include <algorithm>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// A device whose figures make the roofline easy to follow by hand.
DeviceProfile
MakeDevice(uint64_t memoryBytes)
{
    DeviceProfile device;
    device.SetName("hand-device");
    device.SetDescription("test device");
    device.SetPeakFlops(DataType::FP32, 1e12);
    device.SetPeakFlops(DataType::FP16, 2e12);
    device.SetPeakFlops(DataType::BF16, 2e12);
    device.SetEfficiency(0.5);
    device.SetMemoryBytes(memoryBytes);
    device.SetMemoryBandwidth(100e9);
    device.SetBusyPower(10);
    device.SetIdlePower(2);
    device.SetMaxTxPowerDbm(20);
    for (const char* field : {"peak_tflops",
                              "efficiency",
                              "memory_gib",
                              "memory_bandwidth_gb_per_s",
                              "busy_power_w",
                              "idle_power_w",
                              "max_tx_power_dbm"})
    {
        device.SetSource(field, "test");
    }
    return device;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * Rows against an independent roofline sum and the memory-fit boundary.
 */
class FeasibilityRowTestCase : public TestCase
{
  public:
    FeasibilityRowTestCase()
        : TestCase("feasibility row: the layers' kernels priced by the model, and memory fit at "
                   "the boundary")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe full;
        full.kind = RecipeKind::FULL;
        full.microBatchSize = 8;
        Ptr<ComputeModel> model = CreateObject<AnalyticComputeModel>();
        DeviceProfile device = MakeDevice(64ULL << 30);

        FeasibilityRow row = FeasibilityReport::ComputeRow(spec, device, full, model, 1.0);

        // Independent path: the layer cost model's FLOPs and bytes, priced as one roofline at
        // 0.5 TFLOP/s achieved (1e12 * 0.5) and 100 GB/s. The row prices the layers' kernels
        // (AnalyticComputeModel takes their totals); the kernels add the elementwise FLOPs
        // (softmax, GELU, layer norm: under 1% of the GEMMs) the layer costs leave out.
        double forwardFlops = 0;
        double backwardFlops = 0;
        for (const auto& layer : LayerCostModel::Compute(spec, full))
        {
            forwardFlops += layer.forwardFlops;
            backwardFlops += layer.backwardFlops;
        }
        NS_TEST_ASSERT_MSG_EQ_TOL(row.forwardTime.GetSeconds(),
                                  forwardFlops / 0.5e12,
                                  0.01 * forwardFlops / 0.5e12,
                                  "forward");
        NS_TEST_ASSERT_MSG_EQ_TOL(row.backwardTime.GetSeconds(),
                                  backwardFlops / 0.5e12,
                                  0.01 * backwardFlops / 0.5e12,
                                  "backward");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(row.forwardTime.GetSeconds(),
                                    forwardFlops / 0.5e12 - 1e-9,
                                    "the kernels' FLOPs include every GEMM of the layer costs");
        // BERT-base forward at b=8, s=128 is about 2 * 110M params * 1024 tokens = 0.22 TFLOP
        // plus attention: at 0.5 TFLOP/s this is ~0.45 s; a gross error would leave this band.
        NS_TEST_ASSERT_MSG_GT(row.forwardTime.GetSeconds(), 0.3, "forward time too small");
        NS_TEST_ASSERT_MSG_LT(row.forwardTime.GetSeconds(), 0.7, "forward time too large");
        // Full training: backward is about twice the forward.
        NS_TEST_ASSERT_MSG_EQ_TOL(row.backwardTime.GetSeconds() / row.forwardTime.GetSeconds(),
                                  2.0,
                                  0.1,
                                  "backward/forward");

        // Memory: exactly the required bytes fit; one byte less is one byte short.
        const uint64_t required = row.memory.totalBytes;
        NS_TEST_ASSERT_MSG_EQ(row.fit.requiredBytes, required, "required bytes");
        FeasibilityRow exact =
            FeasibilityReport::ComputeRow(spec, MakeDevice(required), full, model, 1.0);
        NS_TEST_ASSERT_MSG_EQ(exact.fit.fits, true, "exactly enough memory fits");
        FeasibilityRow tight =
            FeasibilityReport::ComputeRow(spec, MakeDevice(required - 1), full, model, 1.0);
        NS_TEST_ASSERT_MSG_EQ(tight.fit.fits, false, "one byte short does not fit");
        NS_TEST_ASSERT_MSG_EQ(tight.fit.shortBytes, 1, "short by one byte");

        // Inference: no backward pass, no gradients, no optimizer state, and far less memory.
        TrainingRecipe inference;
        inference.kind = RecipeKind::INFERENCE;
        inference.microBatchSize = 8;
        FeasibilityRow infer = FeasibilityReport::ComputeRow(spec, device, inference, model, 1.0);
        NS_TEST_ASSERT_MSG_EQ(infer.backwardTime, Time(0), "inference has no backward");
        NS_TEST_ASSERT_MSG_EQ(infer.memory.gradientBytes, 0, "inference has no gradients");
        NS_TEST_ASSERT_MSG_EQ(infer.memory.optimizerStateBytes, 0, "inference has no optimizer");
        NS_TEST_ASSERT_MSG_LT(infer.memory.totalBytes, row.memory.totalBytes / 2, "inference");

        // CSV line: fixed formatting, fields in the header's order.
        const std::string csv = FeasibilityReport::ToCsv(tight);
        const std::string header = FeasibilityReport::GetCsvHeader();
        NS_TEST_ASSERT_MSG_EQ(csv.rfind("hand-device,full,fp32,8,", 0), 0, "CSV prefix: " << csv);
        NS_TEST_ASSERT_MSG_EQ(std::count(csv.begin(), csv.end(), ','),
                              std::count(header.begin(), header.end(), ','),
                              "CSV fields match the header");
    }
};

/**
 * \ingroup edge-llm-tests
 * The runtime's reserve (CUDA context, framework, OS on a unified-memory board) comes off a
 * device's memory before any fit: a 4 GiB Jetson Nano does not hold GPT2-large in fp32 for
 * inference (weights alone 2.9 GiB), although 90% of its 4 GiB would.
 */
class RuntimeReserveTestCase : public TestCase
{
  public:
    RuntimeReserveTestCase()
        : TestCase(
              "feasibility: the runtime reserve decides out of memory (Jetson Nano, GPT2-large)")
    {
    }

  private:
    void DoRun() override
    {
        const TransformerSpec gpt2 = TransformerSpec::GetPreset("gpt2-large");
        TrainingRecipe inference;
        inference.kind = RecipeKind::INFERENCE;
        inference.microBatchSize = 1;
        Ptr<ComputeModel> model = CreateObject<AnalyticComputeModel>();
        DeviceProfile nano = DeviceCatalog::LoadDefault().Get("jetson-nano");
        NS_TEST_ASSERT_MSG_EQ(nano.GetMemoryBytes(), 4ULL << 30, "a 4 GiB board");
        NS_TEST_ASSERT_MSG_GT(nano.GetRuntimeReserveBytes(), 1ULL << 30, "reserve over 1 GiB");

        const FeasibilityRow row = FeasibilityReport::ComputeRow(gpt2, nano, inference, model, 0.9);
        // Weights: 774M parameters (GPT2-large with its tied head) at 4 bytes, written out.
        const uint64_t weights = gpt2.GetParameterCount() * 4;
        NS_TEST_ASSERT_MSG_GT(weights, 2.8 * (1ULL << 30), "GPT2-large fp32 weights");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(row.memory.totalBytes, weights, "need at least the weights");
        NS_TEST_ASSERT_MSG_EQ(row.fit.fits, false, "does not fit beside the runtime");
        const double usable = 0.9 * double(nano.GetMemoryBytes() - nano.GetRuntimeReserveBytes());
        NS_TEST_ASSERT_MSG_EQ_TOL(double(row.fit.availableBytes), usable, 1.0, "usable bytes");

        // Without the reserve, 90% of 4 GiB (3.6 GiB) would hold it: the reserve decides.
        DeviceProfile bare = nano;
        bare.SetRuntimeReserveBytes(0);
        const FeasibilityRow bareRow =
            FeasibilityReport::ComputeRow(gpt2, bare, inference, model, 0.9);
        NS_TEST_ASSERT_MSG_EQ(bareRow.fit.fits, true, "fits when the runtime is ignored");

        // In fp16 the weights halve (1.45 GiB) and it fits again.
        TrainingRecipe half = inference;
        half.dtype = DataType::FP16;
        NS_TEST_ASSERT_MSG_EQ(FeasibilityReport::ComputeRow(gpt2, nano, half, model, 0.9).fit.fits,
                              true,
                              "fp16 fits");
    }
};

/**
 * \ingroup edge-llm-tests
 * Bad input to the report.
 */
class FeasibilityBadInputTestCase : public TestCase
{
  public:
    FeasibilityBadInputTestCase()
        : TestCase("feasibility report: bad input gives its message")
    {
    }

  private:
    void DoRun() override
    {
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe recipe;
        DeviceProfile device = MakeDevice(8ULL << 30);
        NS_TEST_ASSERT_MSG_EQ(FeasibilityReport::Validate(spec, {device}, {recipe}, 0.9),
                              "",
                              "valid input");
        NS_TEST_ASSERT_MSG_EQ(FeasibilityReport::Validate(spec, {}, {recipe}, 0.9),
                              "devices is empty: give at least one device",
                              "no device");
        NS_TEST_ASSERT_MSG_EQ(FeasibilityReport::Validate(spec, {device}, {}, 0.9),
                              "recipes is empty: give at least one recipe",
                              "no recipe");
        std::string problem = FeasibilityReport::Validate(spec, {device}, {recipe}, 0.0);
        NS_TEST_ASSERT_MSG_NE(problem.find("usableFraction=0"),
                              std::string::npos,
                              "usable fraction named: " << problem);
        TrainingRecipe zero;
        zero.microBatchSize = 0;
        problem = FeasibilityReport::Validate(spec, {device}, {zero}, 0.9);
        NS_TEST_ASSERT_MSG_NE(problem.find("microBatchSize=0"),
                              std::string::npos,
                              "micro-batch named: " << problem);
        DeviceProfile broken = device;
        broken.SetMemoryBytes(0);
        problem = FeasibilityReport::Validate(spec, {broken}, {recipe}, 0.9);
        NS_TEST_ASSERT_MSG_NE(problem.find("memoryBytes=0"),
                              std::string::npos,
                              "device field named: " << problem);
    }
};

/**
 * \ingroup edge-llm-tests
 * The feasibility report's suite.
 */
class FeasibilityReportTestSuite : public TestSuite
{
  public:
    FeasibilityReportTestSuite()
        : TestSuite("edge-llm-feasibility-report", UNIT)
    {
        AddTestCase(new FeasibilityRowTestCase);
        AddTestCase(new RuntimeReserveTestCase);
        AddTestCase(new FeasibilityBadInputTestCase);
    }
};

/// The suite's instance.
static FeasibilityReportTestSuite g_feasibilityReportTestSuite;
