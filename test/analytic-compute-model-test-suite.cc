/* SPDX-License-Identifier: GPL-2.0-only */

// Tests of the roofline AnalyticComputeModel against hand computations: compute-bound,
// memory-bound, the ridge point, kernel overhead, data-type selection, the attributes and the
// validation of bad input.

#include "ns3/analytic-compute-model.h"
#include "ns3/boolean.h"
#include "ns3/device-catalog.h"
#include "ns3/double.h"
#include "ns3/nstime.h"
#include "ns3/test.h"

#include <limits>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Seconds compared to 1 ns, the default Time resolution the model rounds to.
constexpr double TIME_TOL = 1e-9;

/**
 * A made-up device with round numbers, so the hand computations are easy to follow:
 * peak fp32 10 TFLOP/s, fp16 40 TFLOP/s, bf16 20 TFLOP/s, efficiency 0.5, 100 GB/s.
 */
DeviceProfile
RoundDevice()
{
    DeviceProfile d;
    d.SetName("round");
    d.SetDescription("round numbers for hand computation");
    d.SetPeakFlops(DataType::FP32, 10e12);
    d.SetPeakFlops(DataType::FP16, 40e12);
    d.SetPeakFlops(DataType::BF16, 20e12);
    d.SetEfficiency(0.5);
    d.SetMemoryBytes(8ULL << 30);
    d.SetMemoryBandwidth(100e9);
    d.SetBusyPower(20);
    d.SetIdlePower(5);
    d.SetMaxTxPowerDbm(20);
    return d;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * The roofline terms, the max, the ridge point and the data-type selection, by hand.
 */
class RooflineTestCase : public TestCase
{
  public:
    RooflineTestCase()
        : TestCase("roofline time equals hand computation")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<AnalyticComputeModel> model = CreateObject<AnalyticComputeModel>();
        DeviceProfile d = RoundDevice();

        // Compute-bound: 1e12 FLOP, 1e6 bytes.
        // arithmetic = 1e12 / (10e12 * 0.5) = 0.2 s; memory = 1e6 / 100e9 = 1e-5 s -> 0.2 s.
        Time t = model->GetComputeTime(d, DataType::FP32, 1e12, 1e6);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.2, TIME_TOL, "compute-bound");
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetArithmeticSeconds(d, DataType::FP32, 1e12),
                                  0.2,
                                  1e-15,
                                  "arithmetic term");
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetMemorySeconds(d, 1e6), 1e-5, 1e-18, "memory term");

        // Memory-bound: 1e6 FLOP, 1e9 bytes.
        // memory = 1e9 / 100e9 = 0.01 s; arithmetic = 1e6 / 5e12 = 2e-7 s -> 0.01 s.
        t = model->GetComputeTime(d, DataType::FP32, 1e6, 1e9);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.01, TIME_TOL, "memory-bound");

        // Ridge point: sustained 10e12 * 0.5 = 5e12 FLOP/s over 100e9 B/s = 50 FLOP/byte.
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetRidgeIntensity(d, DataType::FP32),
                                  50.0,
                                  1e-12,
                                  "ridge intensity");
        // At the ridge both terms are equal: 2e9 bytes, 50 * 2e9 = 1e11 FLOP:
        // 1e11 / 5e12 = 0.02 s = 2e9 / 100e9.
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetArithmeticSeconds(d, DataType::FP32, 1e11),
                                  model->GetMemorySeconds(d, 2e9),
                                  1e-15,
                                  "terms equal at the ridge");
        t = model->GetComputeTime(d, DataType::FP32, 1e11, 2e9);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.02, TIME_TOL, "time at the ridge");
        // Just below the ridge (49 FLOP/byte) the memory term decides: 2e9 / 100e9 = 0.02 s.
        t = model->GetComputeTime(d, DataType::FP32, 49 * 2e9, 2e9);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.02, TIME_TOL, "below the ridge");
        // Just above (51 FLOP/byte) the arithmetic decides: 51 * 2e9 / 5e12 = 0.0204 s.
        t = model->GetComputeTime(d, DataType::FP32, 51 * 2e9, 2e9);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.0204, TIME_TOL, "above the ridge");

        // The data type selects the peak: 1e12 FLOP
        // fp16: 1e12 / (40e12 * 0.5) = 0.05 s; bf16: 1e12 / (20e12 * 0.5) = 0.1 s.
        t = model->GetComputeTime(d, DataType::FP16, 1e12, 0);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.05, TIME_TOL, "fp16 peak");
        t = model->GetComputeTime(d, DataType::BF16, 1e12, 0);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.1, TIME_TOL, "bf16 peak");
        // ... and so the ridge: fp16 20e12 / 100e9 = 200 FLOP/byte.
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetRidgeIntensity(d, DataType::FP16),
                                  200.0,
                                  1e-12,
                                  "fp16 ridge");

        // No work, no overhead: zero time.
        t = model->GetComputeTime(d, DataType::FP32, 0, 0);
        NS_TEST_ASSERT_MSG_EQ(t, Seconds(0), "empty work");
    }
};

/**
 * \ingroup edge-llm-tests
 * The attributes: KernelOverhead is added per call, EfficiencyScale scales the arithmetic term
 * only, OverlapComputeAndMemory=false adds the terms; their checkers refuse out-of-range values.
 */
class AttributesTestCase : public TestCase
{
  public:
    AttributesTestCase()
        : TestCase("KernelOverhead, EfficiencyScale, OverlapComputeAndMemory and their bounds")
    {
    }

  private:
    void DoRun() override
    {
        DeviceProfile d = RoundDevice();
        Ptr<AnalyticComputeModel> model = CreateObject<AnalyticComputeModel>();

        TimeValue overhead;
        model->GetAttribute("KernelOverhead", overhead);
        NS_TEST_ASSERT_MSG_EQ(overhead.Get(), Seconds(0), "default overhead is 0");

        // 5 us per call: compute-bound 0.2 s + 5e-6 s = 0.200005 s; empty work = 5 us.
        model->SetAttribute("KernelOverhead", TimeValue(MicroSeconds(5)));
        Time t = model->GetComputeTime(d, DataType::FP32, 1e12, 1e6);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.200005, TIME_TOL, "overhead added");
        NS_TEST_ASSERT_MSG_EQ(model->GetComputeTime(d, DataType::FP32, 0, 0),
                              MicroSeconds(5),
                              "overhead alone for empty work");
        model->SetAttribute("KernelOverhead", TimeValue(Seconds(0)));

        // EfficiencyScale 0.5: sustained 10e12 * 0.5 * 0.5 = 2.5e12; 1e12 FLOP -> 0.4 s.
        model->SetAttribute("EfficiencyScale", DoubleValue(0.5));
        t = model->GetComputeTime(d, DataType::FP32, 1e12, 1e6);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.4, TIME_TOL, "efficiency scale");
        // The memory term is not scaled: 1e9 / 100e9 = 0.01 s.
        t = model->GetComputeTime(d, DataType::FP32, 1e6, 1e9);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.01, TIME_TOL, "memory term unscaled");
        // Ridge moves to 2.5e12 / 100e9 = 25 FLOP/byte.
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetRidgeIntensity(d, DataType::FP32),
                                  25.0,
                                  1e-12,
                                  "scaled ridge");
        model->SetAttribute("EfficiencyScale", DoubleValue(1.0));

        // No overlap: 1e11 FLOP and 2e9 bytes -> 0.02 + 0.02 = 0.04 s instead of 0.02 s.
        model->SetAttribute("OverlapComputeAndMemory", BooleanValue(false));
        t = model->GetComputeTime(d, DataType::FP32, 1e11, 2e9);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.04, TIME_TOL, "sum without overlap");
        model->SetAttribute("OverlapComputeAndMemory", BooleanValue(true));

        // Bounds.
        NS_TEST_ASSERT_MSG_EQ(
            model->SetAttributeFailSafe("KernelOverhead", TimeValue(Seconds(-1e-6))),
            false,
            "negative overhead refused");
        NS_TEST_ASSERT_MSG_EQ(model->SetAttributeFailSafe("EfficiencyScale", DoubleValue(1.5)),
                              false,
                              "scale above 1 refused");
        NS_TEST_ASSERT_MSG_EQ(model->SetAttributeFailSafe("EfficiencyScale", DoubleValue(0.0)),
                              false,
                              "scale 0 refused");
        NS_TEST_ASSERT_MSG_EQ(model->SetAttributeFailSafe("EfficiencyScale", DoubleValue(-0.5)),
                              false,
                              "negative scale refused");
        DoubleValue scale;
        model->GetAttribute("EfficiencyScale", scale);
        NS_TEST_ASSERT_MSG_EQ_TOL(scale.Get(), 1.0, 1e-15, "refused values leave the scale");

        // The model is found by its TypeId, as helpers will create it.
        TypeId tid = TypeId::LookupByName("ns3::AnalyticComputeModel");
        NS_TEST_ASSERT_MSG_EQ(tid.GetParent(), ComputeModel::GetTypeId(), "parent TypeId");
        NS_TEST_ASSERT_MSG_EQ(tid.GetGroupName(), "EdgeLlm", "group name");
    }
};

/**
 * \ingroup edge-llm-tests
 * Negative, NaN and infinite work and invalid devices are reported by ValidateInputs.
 */
class ValidationTestCase : public TestCase
{
  public:
    ValidationTestCase()
        : TestCase("invalid work and devices are reported with their values")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<AnalyticComputeModel> model = CreateObject<AnalyticComputeModel>();
        DeviceProfile d = RoundDevice();
        NS_TEST_ASSERT_MSG_EQ(model->ValidateInputs(d, DataType::FP32, 1e9, 1e6), "", "valid");
        NS_TEST_ASSERT_MSG_EQ(model->ValidateInputs(d, DataType::FP32, 0, 0), "", "zero is valid");

        NS_TEST_EXPECT_MSG_EQ(model->ValidateInputs(d, DataType::FP32, -1, 1e6),
                              "flops=-1 is invalid: must be a finite number >= 0",
                              "negative flops");
        NS_TEST_EXPECT_MSG_EQ(model->ValidateInputs(d, DataType::FP32, 1e9, -2048),
                              "memoryBytes=-2048 is invalid: must be a finite number >= 0",
                              "negative bytes");
        double nan = std::numeric_limits<double>::quiet_NaN();
        double inf = std::numeric_limits<double>::infinity();
        NS_TEST_EXPECT_MSG_EQ(
            (model->ValidateInputs(d, DataType::FP32, nan, 0).find("flops=") == 0),
            true,
            "NaN flops");
        NS_TEST_EXPECT_MSG_EQ(model->ValidateInputs(d, DataType::FP32, 0, inf),
                              "memoryBytes=inf is invalid: must be a finite number >= 0",
                              "infinite bytes");
        NS_TEST_EXPECT_MSG_EQ(ComputeModel::ValidateWork(-1, 0),
                              "flops=-1 is invalid: must be a finite number >= 0",
                              "base-class helper");

        // An invalid device is reported before the work.
        d.SetMemoryBandwidth(0);
        NS_TEST_EXPECT_MSG_EQ(model->ValidateInputs(d, DataType::FP32, -1, 0),
                              "device 'round': memoryBandwidth=0 is invalid: must be a positive "
                              "finite bytes/s",
                              "invalid device");
    }
};

/**
 * \ingroup edge-llm-tests
 * A shipped device through the model: an fp16 GEMM on the A100 and a memory-bound decode step
 * on the Jetson Nano, by hand from the datasheet figures.
 */
class ShippedDeviceTestCase : public TestCase
{
  public:
    ShippedDeviceTestCase()
        : TestCase("shipped devices through the roofline, by hand from datasheet figures")
    {
    }

  private:
    void DoRun() override
    {
        DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        Ptr<AnalyticComputeModel> model = CreateObject<AnalyticComputeModel>();

        // fp16 GEMM 4096 x 4096 x 4096: 2 * 4096^3 = 137,438,953,472 FLOP; bytes moved at least
        // 3 * 4096^2 * 2 = 100,663,296. A100: 312e12 * 0.81 = 252.72e12 FLOP/s -> 543.84 us;
        // memory 100,663,296 / 1935e9 = 52.02 us -> compute-bound.
        double flops = 2.0 * 4096 * 4096 * 4096;
        double bytes = 3.0 * 4096 * 4096 * 2;
        Time t =
            model->GetComputeTime(catalog.Get("edge-server-a100"), DataType::FP16, flops, bytes);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(),
                                  137438953472.0 / 252.72e12,
                                  TIME_TOL,
                                  "A100 GEMM");

        // Decode step of a 1.3e9-parameter fp16 model on the Jetson Nano: reads 2.6e9 bytes of
        // weights, 2.6e9 FLOP. Memory 2.6e9 / 25.6e9 = 0.1015625 s; arithmetic
        // 2.6e9 / (472e9 * 0.7) = 0.00787 s -> memory-bound, 0.1015625 s.
        t = model->GetComputeTime(catalog.Get("jetson-nano"), DataType::FP16, 2.6e9, 2.6e9);
        NS_TEST_ASSERT_MSG_EQ_TOL(t.GetSeconds(), 0.1015625, TIME_TOL, "Nano decode step");
    }
};

/**
 * \ingroup edge-llm-tests
 * The analytic compute model test suite.
 */
class AnalyticComputeModelTestSuite : public TestSuite
{
  public:
    AnalyticComputeModelTestSuite()
        : TestSuite("edge-llm-analytic-compute-model", TestSuite::UNIT)
    {
        AddTestCase(new RooflineTestCase);
        AddTestCase(new AttributesTestCase);
        AddTestCase(new ValidationTestCase);
        AddTestCase(new ShippedDeviceTestCase);
    }
};

/// Static instance that registers the suite.
static AnalyticComputeModelTestSuite g_analyticComputeModelTestSuite;
