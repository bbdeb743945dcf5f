/* SPDX-License-Identifier: GPL-2.0-only */

// Tests of DeviceProfile, DeviceCatalog and the shipped data/devices.json: the file loads, has
// the devices the scenarios need, every value matches the file and the vendors' published
// figures, and every kind of bad input is refused with its message.

#include "ns3/device-catalog.h"
#include "ns3/device-profile.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/layer-kernels.h"
#include "ns3/test.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// 2^30, bytes in one GiB.
constexpr double GIB = 1073741824.0;

/// The devices the scenarios and the documentation rely on.
const std::vector<std::string> REQUIRED_DEVICES = {"jetson-nano",
                                                   "jetson-tx2",
                                                   "jetson-xavier-nx",
                                                   "jetson-agx-orin",
                                                   "raspberry-pi-4",
                                                   "smartphone-snapdragon-8-gen-2",
                                                   "laptop-rtx-3060",
                                                   "edge-server-a100"};

/// Every figure a device must source.
const std::vector<std::string> SOURCED_FIELDS = {"peak_tflops",
                                                 "efficiency",
                                                 "attention_efficiency",
                                                 "memory_efficiency",
                                                 "kernel_overhead_us",
                                                 "autograd_overhead_us",
                                                 "overlap_compute_and_memory",
                                                 "runtime_reserve_gib",
                                                 "memory_gib",
                                                 "memory_bandwidth_gb_per_s",
                                                 "busy_power_w",
                                                 "idle_power_w",
                                                 "max_tx_power_dbm"};

/// A valid device object, to be broken one field at a time by the bad-input tests.
nlohmann::json
ValidDevice(const std::string& name = "test-device")
{
    nlohmann::json device = {{"name", name},
                             {"description", "a device for tests"},
                             {"peak_tflops", {{"fp32", 1.0}, {"fp16", 2.0}, {"bf16", 2.0}}},
                             {"efficiency", 0.5},
                             {"attention_efficiency", 0.25},
                             {"memory_efficiency", 0.8},
                             {"kernel_overhead_us", 10},
                             {"autograd_overhead_us", 5},
                             {"overlap_compute_and_memory", true},
                             {"runtime_reserve_gib", 1},
                             {"memory_gib", 4},
                             {"memory_bandwidth_gb_per_s", 100},
                             {"busy_power_w", 10},
                             {"idle_power_w", 2},
                             {"max_tx_power_dbm", 20},
                             {"sources", nlohmann::json::object()}};
    for (const auto& field : SOURCED_FIELDS)
    {
        device["sources"][field] = "test fixture";
    }
    return device;
}

/// A file text with the given devices under "devices".
std::string
FileWith(const std::vector<nlohmann::json>& devices)
{
    nlohmann::json file = {{"devices", devices}};
    return file.dump();
}

/// A valid profile built in code, named "jetson-nano" to match the message in the brief.
DeviceProfile
ValidProfile()
{
    DeviceProfile p;
    p.SetName("jetson-nano");
    p.SetDescription("hand-built");
    p.SetPeakFlops(DataType::FP32, 235.9e9);
    p.SetPeakFlops(DataType::FP16, 472e9);
    p.SetPeakFlops(DataType::BF16, 235.9e9);
    p.SetEfficiency(0.5);
    p.SetMemoryBytes(4ULL << 30);
    p.SetMemoryBandwidth(25.6e9);
    p.SetBusyPower(10);
    p.SetIdlePower(1.5);
    p.SetMaxTxPowerDbm(20);
    return p;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * The shipped data/devices.json loads, has every required device, each validates and sources
 * every figure, and spot values equal the vendors' published figures.
 */
class ShippedCatalogTestCase : public TestCase
{
  public:
    ShippedCatalogTestCase()
        : TestCase("shipped devices.json loads and matches published figures")
    {
    }

  private:
    void DoRun() override
    {
        DeviceCatalog catalog;
        std::string path = GetEdgeLlmDataPath("devices.json");
        NS_TEST_ASSERT_MSG_EQ(catalog.LoadFile(path), "", "shipped devices.json must load");
        NS_TEST_ASSERT_MSG_EQ(catalog.GetOrigin(), path, "origin is the path");

        for (const auto& name : REQUIRED_DEVICES)
        {
            DeviceProfile device;
            NS_TEST_ASSERT_MSG_EQ(catalog.Find(name, device), "", "required device " << name);
            NS_TEST_ASSERT_MSG_EQ(device.Validate(), "", "device " << name << " validates");
            NS_TEST_ASSERT_MSG_EQ(device.GetName(), name, "Find returns the named device");
            NS_TEST_ASSERT_MSG_EQ(device.GetDescription().empty(), false, name << " description");
            for (const auto& field : SOURCED_FIELDS)
            {
                NS_TEST_ASSERT_MSG_EQ(device.GetSource(field).empty(),
                                      false,
                                      name << " must source " << field);
            }
            // Emulated types never beat the native fp32 rate on these devices; no device
            // runs fp16 slower than fp32.
            NS_TEST_ASSERT_MSG_GT_OR_EQ(device.GetPeakFlops(DataType::FP16),
                                        device.GetPeakFlops(DataType::FP32),
                                        name << " fp16 >= fp32");
        }
        NS_TEST_ASSERT_MSG_EQ(catalog.GetN(), catalog.GetNames().size(), "GetN matches names");

        // LoadDefault reads the same file.
        DeviceCatalog byDefault = DeviceCatalog::LoadDefault();
        NS_TEST_ASSERT_MSG_EQ((byDefault.GetNames() == catalog.GetNames()),
                              true,
                              "LoadDefault loads data/devices.json");

        // A100 80GB PCIe datasheet: FP32 19.5 TFLOPS, FP16/BF16 tensor 312 TFLOPS dense,
        // 1,935 GB/s, 300 W, 80 GB.
        DeviceProfile a100 = catalog.Get("edge-server-a100");
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetPeakFlops(DataType::FP32), 19.5e12, 1e3, "A100 fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetPeakFlops(DataType::FP16), 312e12, 1e3, "A100 fp16");
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetPeakFlops(DataType::BF16), 312e12, 1e3, "A100 bf16");
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetMemoryBandwidth(), 1935e9, 1.0, "A100 bandwidth");
        // 80 GiB = 80 * 2^30 = 85,899,345,920 bytes.
        NS_TEST_ASSERT_MSG_EQ(a100.GetMemoryBytes(), 85899345920ULL, "A100 memory");
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetBusyPower(), 300.0, 1e-12, "A100 TDP");
        // GEMM efficiency from ml-engineering's MAMF table (torch.matmul bf16, A100 PCIe):
        // 252.9 of 312 TFLOPS = 0.8106, rounded to 0.81; achieved = 312e12 * 0.81.
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetEfficiency(), 252.9 / 312, 0.005, "A100 MAMF fraction");
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetAchievedFlops(DataType::FP16),
                                  312e12 * 0.81,
                                  1e3,
                                  "A100 achieved fp16");
        // Read bandwidth 1.80 of 2.04 TB/s (NVIDIA forum, A100 80GB SXM) = 0.882, rounded 0.88.
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetMemoryEfficiency(), 1.80 / 2.04, 0.005, "A100 memory");
        // Eager dispatch calibrated on AITemplate's launch-bound run: bert-base encoder b1 s128
        // 8.02 ms, 0.22 ms of it kernels, over the 12 x 17 = 204 kernels of the eager list (Q,
        // K, V head copies, QKV, scores, scale, softmax, context, merge, projection, add, norm,
        // FFN in, GELU, FFN out, add, norm); the list must still have 17 per block.
        TrainingRecipe inference;
        inference.kind = RecipeKind::INFERENCE;
        inference.microBatchSize = 1;
        const auto kernels =
            LayerKernelModel::Compute(TransformerSpec::GetPreset("bert-base"), inference);
        NS_TEST_ASSERT_MSG_EQ(kernels.at(1).forward.GetLaunchCount(), 17u, "eager block list");
        NS_TEST_ASSERT_MSG_EQ_TOL(a100.GetKernelOverhead(),
                                  (8.02e-3 - 0.22e-3) / 204,
                                  1e-6,
                                  "A100 eager per-kernel overhead");
        // CUDA context ~300 MB with lazy loading (pytorch#107667) plus workspaces: 0.5 GiB.
        NS_TEST_ASSERT_MSG_EQ(a100.GetRuntimeReserveBytes(), 536870912ULL, "A100 reserve");

        // Jetson Nano: 472 GFLOPS fp16; fp32 = 128 cores * 2 * 0.9216 GHz = 235.93 GFLOPS
        // (the file rounds to 0.2359 TFLOPS); 4 GB; 25.6 GB/s; 10 W MAXN.
        DeviceProfile nano = catalog.Get("jetson-nano");
        NS_TEST_ASSERT_MSG_EQ_TOL(nano.GetPeakFlops(DataType::FP16), 472e9, 1.0, "Nano fp16");
        NS_TEST_ASSERT_MSG_EQ_TOL(nano.GetPeakFlops(DataType::FP32),
                                  128 * 2 * 0.9216e9,
                                  0.1e9,
                                  "Nano fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(nano.GetPeakFlops(DataType::BF16),
                                  nano.GetPeakFlops(DataType::FP32),
                                  1.0,
                                  "Nano has no bf16: fp32 rate");
        NS_TEST_ASSERT_MSG_EQ(nano.GetMemoryBytes(), 4294967296ULL, "Nano 4 GiB");
        NS_TEST_ASSERT_MSG_EQ_TOL(nano.GetMemoryBandwidth(), 25.6e9, 1.0, "Nano bandwidth");
        NS_TEST_ASSERT_MSG_EQ_TOL(nano.GetBusyPower(), 10.0, 1e-12, "Nano 10 W mode");

        // Jetson TX2: 1.33 TFLOPS fp16, fp32 half of it, 8 GB, 59.7 GB/s, 15 W.
        DeviceProfile tx2 = catalog.Get("jetson-tx2");
        NS_TEST_ASSERT_MSG_EQ_TOL(tx2.GetPeakFlops(DataType::FP16), 1.33e12, 1.0, "TX2 fp16");
        NS_TEST_ASSERT_MSG_EQ_TOL(tx2.GetPeakFlops(DataType::FP32), 1.33e12 / 2, 1.0, "TX2 fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(tx2.GetMemoryBandwidth(), 59.7e9, 1.0, "TX2 bandwidth");
        NS_TEST_ASSERT_MSG_EQ(tx2.GetMemoryBytes(), 8ULL << 30, "TX2 8 GiB");

        // Xavier NX: fp32 = 384 * 2 * 1.1 GHz = 844.8 GFLOPS (file: 0.845);
        // tensor fp16 = 48 * 64 * 2 * 1.1 GHz = 6.7584 TFLOPS (file: 6.76); 59.7 GB/s.
        DeviceProfile nx = catalog.Get("jetson-xavier-nx");
        NS_TEST_ASSERT_MSG_EQ_TOL(nx.GetPeakFlops(DataType::FP32),
                                  384 * 2 * 1.1e9,
                                  0.5e9,
                                  "Xavier NX fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(nx.GetPeakFlops(DataType::FP16),
                                  48 * 64 * 2 * 1.1e9,
                                  2e9,
                                  "Xavier NX fp16");
        NS_TEST_ASSERT_MSG_EQ_TOL(nx.GetMemoryBandwidth(), 59.7e9, 1.0, "Xavier NX bandwidth");

        // AGX Orin 64GB: 5.3 TFLOPS fp32, 204.8 GB/s, 64 GB, 60 W.
        DeviceProfile orin = catalog.Get("jetson-agx-orin");
        NS_TEST_ASSERT_MSG_EQ_TOL(orin.GetPeakFlops(DataType::FP32), 5.3e12, 1e3, "Orin fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(orin.GetMemoryBandwidth(), 204.8e9, 1.0, "Orin bandwidth");
        NS_TEST_ASSERT_MSG_EQ(orin.GetMemoryBytes(), 64ULL << 30, "Orin 64 GiB");
        NS_TEST_ASSERT_MSG_EQ_TOL(orin.GetBusyPower(), 60.0, 1e-12, "Orin MAXN");
        // Measured roofline (infinigence/ApxInf doc/jetson-roofline.md): bf16 GEMM 33.4 to
        // 34.1 of 42.5 TFLOPS (0.786..0.802), read bandwidth 152.8 of 204.8 GB/s (0.746).
        NS_TEST_ASSERT_MSG_GT_OR_EQ(orin.GetEfficiency(), 33.4 / 42.5 - 0.005, "Orin GEMM low");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(orin.GetEfficiency(), 34.1 / 42.5, "Orin GEMM high");
        NS_TEST_ASSERT_MSG_EQ_TOL(orin.GetMemoryEfficiency(), 152.8 / 204.8, 0.005, "Orin read");

        // Raspberry Pi 4: 4 cores * 1.5 GHz * 8 FLOP/cycle = 48 GFLOPS, no native fp16/bf16;
        // LPDDR4-3200 on 32 bits = 3200e6 * 4 = 12.8 GB/s.
        DeviceProfile pi = catalog.Get("raspberry-pi-4");
        NS_TEST_ASSERT_MSG_EQ_TOL(pi.GetPeakFlops(DataType::FP32), 4 * 1.5e9 * 8, 1.0, "Pi fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(pi.GetPeakFlops(DataType::FP16), 48e9, 1.0, "Pi fp16 = fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(pi.GetPeakFlops(DataType::BF16), 48e9, 1.0, "Pi bf16 = fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(pi.GetMemoryBandwidth(), 3200e6 * 4, 1.0, "Pi bandwidth");
        // STREAM best rate 5562 MB/s on a headless Pi 4 (sci-pi.org.uk) = 0.435 of 12.8 GB/s;
        // HPL about 8 GFLOPS of the 24 GFLOPS fp64 peak at 1.5 GHz (feiereisen.net) = 0.33.
        NS_TEST_ASSERT_MSG_EQ_TOL(pi.GetMemoryEfficiency(), 5562e6 / 12.8e9, 0.01, "Pi STREAM");
        NS_TEST_ASSERT_MSG_EQ_TOL(pi.GetEfficiency(), 8.0 / 24.0, 0.01, "Pi HPL fraction");
        // A CPU's kernels add arithmetic and memory time; the GPUs' overlap them.
        NS_TEST_ASSERT_MSG_EQ(pi.GetComputeMemoryOverlap(), false, "Pi: CPU, additive");
        NS_TEST_ASSERT_MSG_EQ(catalog.Get("jetson-nano").GetComputeMemoryOverlap(), true, "GPU");

        // Phone: 3GPP power class 3 = 23 dBm; LPDDR5X 8400 MT/s * 8 bytes = 67.2 GB/s.
        DeviceProfile phone = catalog.Get("smartphone-snapdragon-8-gen-2");
        NS_TEST_ASSERT_MSG_EQ_TOL(phone.GetMaxTxPowerDbm(), 23.0, 1e-12, "UE power class 3");
        NS_TEST_ASSERT_MSG_EQ_TOL(phone.GetMemoryBandwidth(), 8400e6 * 8, 1.0, "phone bandwidth");

        // RTX 3060 Laptop: 3840 * 2 * 1.703 GHz = 13.079 TFLOPS; 14 Gbps * 192 / 8 = 336 GB/s.
        DeviceProfile laptop = catalog.Get("laptop-rtx-3060");
        NS_TEST_ASSERT_MSG_EQ_TOL(laptop.GetPeakFlops(DataType::FP32),
                                  3840 * 2 * 1.703e9,
                                  0.01e12,
                                  "RTX 3060 Laptop fp32");
        NS_TEST_ASSERT_MSG_EQ_TOL(laptop.GetMemoryBandwidth(),
                                  14e9 * 192 / 8,
                                  1.0,
                                  "RTX 3060 Laptop bandwidth");
        // torch.matmul fp16 8192^3: 22.03 TFLOPS (torch-performance-test-data #169) of 26.16.
        NS_TEST_ASSERT_MSG_EQ_TOL(laptop.GetEfficiency(), 22.03 / 26.16, 0.005, "RTX matmul");

        // Attention products: half the GEMM efficiency on every device (an estimate, see
        // doc/published-figures.rst); every efficiency within (0, 1].
        for (const auto& name : REQUIRED_DEVICES)
        {
            DeviceProfile device = catalog.Get(name);
            NS_TEST_ASSERT_MSG_EQ_TOL(device.GetAttentionEfficiency(),
                                      device.GetEfficiency() / 2,
                                      0.006,
                                      name << " attention efficiency");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(device.GetEfficiency(), 1.0, name << " efficiency");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(device.GetMemoryEfficiency(), 1.0, name << " memory");
            NS_TEST_ASSERT_MSG_LT(device.GetRuntimeReserveBytes(),
                                  device.GetMemoryBytes(),
                                  name << " reserve below memory");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * Every profile equals the file as read independently here with nlohmann-json and converted
 * with the units the file declares.
 */
class CatalogMatchesFileTestCase : public TestCase
{
  public:
    CatalogMatchesFileTestCase()
        : TestCase("every loaded value equals the shipped devices.json read independently")
    {
    }

  private:
    void DoRun() override
    {
        std::string path = GetEdgeLlmDataPath("devices.json");
        std::ifstream in(path);
        NS_TEST_ASSERT_MSG_EQ(in.is_open(), true, "open " << path);
        nlohmann::json file = nlohmann::json::parse(in);

        DeviceCatalog catalog;
        NS_TEST_ASSERT_MSG_EQ(catalog.LoadFile(path), "", "load");
        const auto& list = file.at("devices");
        NS_TEST_ASSERT_MSG_EQ(catalog.GetN(), list.size(), "one profile per file entry");
        std::vector<std::string> names = catalog.GetNames();
        for (std::size_t i = 0; i < list.size(); ++i)
        {
            const auto& entry = list[i];
            std::string name = entry.at("name").get<std::string>();
            NS_TEST_ASSERT_MSG_EQ(names[i], name, "names keep file order");
            DeviceProfile d = catalog.Get(name);
            const auto& peak = entry.at("peak_tflops");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetPeakFlops(DataType::FP32),
                                      peak.at("fp32").get<double>() * 1e12,
                                      1.0,
                                      name << " fp32");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetPeakFlops(DataType::FP16),
                                      peak.at("fp16").get<double>() * 1e12,
                                      1.0,
                                      name << " fp16");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetPeakFlops(DataType::BF16),
                                      peak.at("bf16").get<double>() * 1e12,
                                      1.0,
                                      name << " bf16");
            double eff = entry.at("efficiency").get<double>();
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetEfficiency(), eff, 1e-15, name << " efficiency");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetAchievedFlops(DataType::FP32),
                                      peak.at("fp32").get<double>() * 1e12 * eff,
                                      1.0,
                                      name << " achieved fp32");
            NS_TEST_ASSERT_MSG_EQ_TOL(static_cast<double>(d.GetMemoryBytes()),
                                      entry.at("memory_gib").get<double>() * GIB,
                                      1.0,
                                      name << " memory");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetAttentionEfficiency(),
                                      entry.at("attention_efficiency").get<double>(),
                                      1e-15,
                                      name << " attention efficiency");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetMemoryEfficiency(),
                                      entry.at("memory_efficiency").get<double>(),
                                      1e-15,
                                      name << " memory efficiency");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetKernelOverhead(),
                                      entry.at("kernel_overhead_us").get<double>() * 1e-6,
                                      1e-15,
                                      name << " kernel overhead");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetAutogradOverhead(),
                                      entry.at("autograd_overhead_us").get<double>() * 1e-6,
                                      1e-15,
                                      name << " autograd overhead");
            NS_TEST_ASSERT_MSG_EQ(d.GetComputeMemoryOverlap(),
                                  entry.at("overlap_compute_and_memory").get<bool>(),
                                  name << " overlap");
            NS_TEST_ASSERT_MSG_EQ_TOL(static_cast<double>(d.GetRuntimeReserveBytes()),
                                      entry.at("runtime_reserve_gib").get<double>() * GIB,
                                      1.0,
                                      name << " runtime reserve");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetMemoryBandwidth(),
                                      entry.at("memory_bandwidth_gb_per_s").get<double>() * 1e9,
                                      1.0,
                                      name << " bandwidth");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetBusyPower(),
                                      entry.at("busy_power_w").get<double>(),
                                      1e-12,
                                      name << " busy power");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetIdlePower(),
                                      entry.at("idle_power_w").get<double>(),
                                      1e-12,
                                      name << " idle power");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetMaxTxPowerDbm(),
                                      entry.at("max_tx_power_dbm").get<double>(),
                                      1e-12,
                                      name << " tx power");
            for (const auto& field : SOURCED_FIELDS)
            {
                NS_TEST_ASSERT_MSG_EQ(d.GetSource(field),
                                      entry.at("sources").at(field).get<std::string>(),
                                      name << " source of " << field);
            }
            // every shipped device gives its storage (PAC's activation cache), with sources
            NS_TEST_ASSERT_MSG_EQ(d.HasStorage(), true, name << " storage");
            NS_TEST_ASSERT_MSG_EQ_TOL(static_cast<double>(d.GetStorageBytes()),
                                      entry.at("storage_gb").get<double>() * 1e9,
                                      1.0,
                                      name << " storage bytes");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetStorageReadRate(),
                                      entry.at("storage_read_mb_per_s").get<double>() * 1e6,
                                      1e-6,
                                      name << " storage read");
            NS_TEST_ASSERT_MSG_EQ_TOL(d.GetStorageWriteRate(),
                                      entry.at("storage_write_mb_per_s").get<double>() * 1e6,
                                      1e-6,
                                      name << " storage write");
            for (const std::string field :
                 {"storage_gb", "storage_read_mb_per_s", "storage_write_mb_per_s"})
            {
                NS_TEST_ASSERT_MSG_EQ(d.GetSource(field).empty(), false, name << " " << field);
            }
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * DeviceProfile accessors and every Validate() message.
 */
class DeviceProfileValidateTestCase : public TestCase
{
  public:
    DeviceProfileValidateTestCase()
        : TestCase("DeviceProfile::Validate names field, value and rule")
    {
    }

  private:
    void DoRun() override
    {
        DeviceProfile p = ValidProfile();
        NS_TEST_ASSERT_MSG_EQ(p.Validate(), "", "valid profile");
        // 472e9 * 0.5 = 236e9
        NS_TEST_ASSERT_MSG_EQ_TOL(p.GetAchievedFlops(DataType::FP16), 236e9, 1.0, "achieved");
        NS_TEST_ASSERT_MSG_EQ_TOL(p.GetPeakFlops(DataType::BF16), 235.9e9, 1.0, "bf16 peak");

        DeviceProfile empty;
        NS_TEST_ASSERT_MSG_EQ((empty.Validate().find("name is empty") != std::string::npos),
                              true,
                              "empty profile is invalid");

        DeviceProfile q = ValidProfile();
        q.SetMemoryBytes(0);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': memoryBytes=0 is invalid: must be positive",
                              "memory");

        q = ValidProfile();
        q.SetEfficiency(1.5);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': efficiency=1.5 is invalid: must be in (0, 1]",
                              "efficiency above 1");
        q.SetEfficiency(0);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': efficiency=0 is invalid: must be in (0, 1]",
                              "efficiency 0");

        q = ValidProfile();
        q.SetElementwise16BitTimeRatio(-1);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': elementwise16BitTimeRatio=-1 is invalid: "
                              "must be in (0, 100] (0.5: native 16-bit arithmetic)",
                              "element-wise ratio negative");

        q = ValidProfile();
        q.SetNormalization16BitTimeRatio(150);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': normalization16BitTimeRatio=150 is invalid: "
                              "must be in (0, 100] (0.5: native 16-bit arithmetic)",
                              "normalization ratio above the bound");
        q = ValidProfile();
        q.SetAutograd16BitOverhead(2);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': autograd16BitOverhead=2 s is invalid: "
                              "must be in [0, 1] s",
                              "autograd overhead above 1 s");
        q = ValidProfile();
        q.SetMatmul16BitOverhead(-1e-6);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': matmul16BitOverhead=-1e-06 s is invalid: "
                              "must be in [0, 1] s",
                              "negative matrix-product overhead");

        q = ValidProfile();
        q.SetBusyPower(1);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': busyPowerW=1 is invalid: must be >= "
                              "idlePowerW=1.5",
                              "busy below idle");

        q = ValidProfile();
        q.SetPeakFlops(DataType::BF16, 0);
        NS_TEST_ASSERT_MSG_EQ(
            (q.Validate().find("device 'jetson-nano': peakFlops[bf16]=0 is invalid: must be a "
                               "positive finite FLOP/s") == 0),
            true,
            "bf16 peak zero: " << q.Validate());

        q = ValidProfile();
        q.SetMemoryBandwidth(-1);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': memoryBandwidth=-1 is invalid: must be a "
                              "positive finite bytes/s",
                              "bandwidth");

        q = ValidProfile();
        q.SetIdlePower(-1);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': idlePowerW=-1 is invalid: must be a finite "
                              "number >= 0",
                              "idle power");

        q = ValidProfile();
        q.SetMaxTxPowerDbm(100);
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'jetson-nano': maxTxPowerDbm=100 is invalid: must be in "
                              "[-40, 60] dBm",
                              "tx power");

        q = ValidProfile();
        q.SetName("Jetson Nano");
        NS_TEST_ASSERT_MSG_EQ(q.Validate(),
                              "device 'Jetson Nano': name='Jetson Nano' is invalid: only "
                              "lower-case letters, digits and '-' are allowed",
                              "name characters");
    }
};

/**
 * \ingroup edge-llm-tests
 * Every number of a device entry against negative, zero, huge, wrong-type, null and empty
 * values: each is refused with a message naming the field (or loads, where the value is
 * allowed: zero overheads, no reserve, 0 W idle, -1 dBm).
 */
class CatalogFieldMatrixTestCase : public TestCase
{
  public:
    CatalogFieldMatrixTestCase()
        : TestCase("every device field against negative, zero, huge, wrong-type and empty values")
    {
    }

  private:
    void DoRun() override
    {
        // field -> the values of the matrix it allows
        const std::vector<std::pair<std::string, std::set<std::string>>> fields = {
            {"peak_tflops.fp32", {}},
            {"peak_tflops.fp16", {}},
            {"peak_tflops.bf16", {}},
            {"efficiency", {}},
            {"attention_efficiency", {}},
            {"memory_efficiency", {}},
            {"kernel_overhead_us", {"zero"}},
            {"autograd_overhead_us", {"zero"}},
            {"runtime_reserve_gib", {"zero"}},
            {"memory_gib", {}},
            {"memory_bandwidth_gb_per_s", {}},
            {"busy_power_w", {}},
            {"idle_power_w", {"zero"}},
            {"max_tx_power_dbm", {"zero", "negative"}},
        };
        const std::vector<std::pair<std::string, nlohmann::json>> values = {
            {"negative", -1},
            {"zero", 0},
            {"huge", 1e30},
            {"string", "7"},
            {"empty", ""},
            {"null", nullptr},
            {"bool", true},
            {"array", nlohmann::json::array({1})},
        };
        uint32_t refused = 0;
        for (const auto& [field, allowed] : fields)
        {
            for (const auto& [label, value] : values)
            {
                nlohmann::json d = ValidDevice();
                const auto dot = field.find('.');
                if (dot == std::string::npos)
                {
                    d[field] = value;
                }
                else
                {
                    d[field.substr(0, dot)][field.substr(dot + 1)] = value;
                }
                DeviceCatalog c;
                const std::string problem = c.LoadString(FileWith({d}), "inline");
                const std::string what = field + " " + label + ": '" + problem + "'";
                if (allowed.count(label) > 0)
                {
                    NS_TEST_EXPECT_MSG_EQ(problem, "", what << " is allowed");
                    continue;
                }
                ++refused;
                NS_TEST_EXPECT_MSG_EQ(c.GetN(), 0, what << ": nothing loaded");
                // named as in the file; the radio's bound is the profile's (maxTxPowerDbm)
                const bool named = problem.find("'" + field + "'") != std::string::npos ||
                                   problem.find(field + "=") != std::string::npos ||
                                   (field == "max_tx_power_dbm" &&
                                    problem.find("maxTxPowerDbm=") != std::string::npos);
                NS_TEST_EXPECT_MSG_EQ(named, true, what << " names the field");
                NS_TEST_EXPECT_MSG_EQ((problem.find("device 'test-device'") == 0),
                                      true,
                                      what << " names the device");
                const bool typed = value.is_number();
                NS_TEST_EXPECT_MSG_EQ(
                    (problem.find(typed ? "is invalid: must be" : "must be a number, got ") !=
                     std::string::npos),
                    true,
                    what << " says what is allowed");
            }
        }
        // 14 fields x 8 values, less the 6 allowed
        NS_TEST_EXPECT_MSG_EQ(refused, 14 * 8 - 6, "refusals checked");
    }
};

/**
 * \ingroup edge-llm-tests
 * Every kind of bad catalog input is refused with its message, and a failed load keeps the
 * previous content.
 */
class CatalogBadInputTestCase : public TestCase
{
  public:
    CatalogBadInputTestCase()
        : TestCase("DeviceCatalog refuses bad input with a message naming the problem")
    {
    }

  private:
    /// Load \p json, expect the exact \p expected message.
    void ExpectExact(const std::string& json, const std::string& expected, const std::string& what)
    {
        DeviceCatalog c;
        NS_TEST_EXPECT_MSG_EQ(c.LoadString(json, "inline"), expected, what);
        NS_TEST_EXPECT_MSG_EQ(c.GetN(), 0, what << ": nothing loaded");
    }

    /// Load \p json, expect a message containing \p part.
    void ExpectContains(const std::string& json, const std::string& part, const std::string& what)
    {
        DeviceCatalog c;
        std::string problem = c.LoadString(json, "inline");
        NS_TEST_EXPECT_MSG_EQ((problem.find(part) != std::string::npos),
                              true,
                              what << ": got '" << problem << "', expected to contain '" << part
                                   << "'");
        NS_TEST_EXPECT_MSG_EQ(c.GetN(), 0, what << ": nothing loaded");
    }

    void DoRun() override
    {
        // The fixture itself is valid, in both top-level forms.
        {
            DeviceCatalog c;
            NS_TEST_ASSERT_MSG_EQ(c.LoadString(FileWith({ValidDevice()}), "inline"), "", "object");
            NS_TEST_ASSERT_MSG_EQ(c.LoadString(nlohmann::json::array({ValidDevice()}).dump(), "a"),
                                  "",
                                  "array");
            NS_TEST_ASSERT_MSG_EQ(c.GetOrigin(), "a", "origin of the last load");
        }

        // File problems.
        {
            DeviceCatalog c;
            NS_TEST_EXPECT_MSG_EQ(c.LoadFile("/nonexistent/edge-llm/devices.json"),
                                  "devices file '/nonexistent/edge-llm/devices.json' cannot be "
                                  "opened",
                                  "missing file");
        }
        ExpectContains("{\"devices\": [", "devices file 'inline' is not valid JSON: ", "malformed");
        ExpectContains("{\"devices\": [\n  {\"name\": }\n]}", "line 2, column", "parse position");
        ExpectExact("42",
                    "devices file 'inline': the top level must be an array of devices or an "
                    "object with a 'devices' array, got number",
                    "top level");
        ExpectExact("[]", "devices file 'inline' defines no devices", "empty list");
        ExpectExact("{\"description\": \"x\"}",
                    "devices file 'inline': missing field 'devices'",
                    "no devices field");
        ExpectExact("{\"devices\": {}}",
                    "devices file 'inline': field 'devices' must be an array, got object",
                    "devices not an array");
        ExpectExact("{\"devices\": [], \"device\": 1}",
                    "devices file 'inline': unknown field 'device'; allowed: description, devices",
                    "unknown top-level field");
        ExpectExact("[42]", "device #1 in 'inline': must be a JSON object, got number 42", "entry");

        // Missing fields.
        {
            nlohmann::json d = ValidDevice();
            d.erase("memory_gib");
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': missing field 'memory_gib'",
                        "missing memory_gib");
        }
        {
            nlohmann::json d = ValidDevice();
            d.erase("name");
            ExpectExact(FileWith({d}), "device #1 in 'inline': missing field 'name'", "no name");
        }
        {
            nlohmann::json d = ValidDevice();
            d["peak_tflops"].erase("bf16");
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': missing field 'peak_tflops.bf16'",
                        "missing bf16 peak");
        }
        {
            nlohmann::json d = ValidDevice();
            d["sources"].erase("idle_power_w");
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': missing field 'sources.idle_power_w'",
                        "missing source");
        }
        {
            nlohmann::json d = ValidDevice();
            d["sources"]["efficiency"] = "";
            ExpectContains(FileWith({d}),
                           "device 'test-device' in 'inline': field 'sources.efficiency' is empty",
                           "empty source");
        }

        // Wrong types.
        {
            nlohmann::json d = ValidDevice();
            d["efficiency"] = "0.5";
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': field 'efficiency' must be a number, "
                        "got string \"0.5\"",
                        "efficiency as string");
        }
        {
            nlohmann::json d = ValidDevice();
            d["peak_tflops"] = nlohmann::json::array({1, 2, 2});
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': field 'peak_tflops' must be an object, "
                        "got array [1,2,2]",
                        "peaks as array");
        }
        {
            nlohmann::json d = ValidDevice();
            d["overlap_compute_and_memory"] = 1;
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': field 'overlap_compute_and_memory' "
                        "must be true or false, got number 1",
                        "overlap as number");
        }
        {
            nlohmann::json d = ValidDevice();
            d["elementwise_16bit_time_ratio"] = 0;
            d["sources"]["elementwise_16bit_time_ratio"] = "a measurement";
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': field 'elementwise_16bit_time_ratio' "
                        "is 0: must be in (0, 100] (0.5: native 16-bit arithmetic)",
                        "element-wise ratio 0");
        }
        {
            nlohmann::json d = ValidDevice();
            d["normalization_16bit_time_ratio"] = 101;
            d["sources"]["normalization_16bit_time_ratio"] = "a measurement";
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': field 'normalization_16bit_time_ratio' "
                        "is 101: must be in (0, 100] (0.5: native 16-bit arithmetic)",
                        "normalization ratio above the bound");
        }
        {
            nlohmann::json d = ValidDevice();
            d["matmul_16bit_overhead_us"] = -1;
            d["sources"]["matmul_16bit_overhead_us"] = "a measurement";
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': field 'matmul_16bit_overhead_us' "
                        "is -1: must be in [0, 1e+06] us (0: one path for both types)",
                        "negative matrix-product overhead");
        }
        {
            nlohmann::json d = ValidDevice();
            d["matmul_16bit_overhead_us"] = 6;
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': missing field "
                        "'sources.matmul_16bit_overhead_us'",
                        "matrix-product overhead without its source");
        }
        {
            nlohmann::json d = ValidDevice();
            d["elementwise_16bit_time_ratio"] = 1.2;
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': missing field "
                        "'sources.elementwise_16bit_time_ratio'",
                        "element-wise ratio without its source");
        }
        {
            nlohmann::json d = ValidDevice();
            d.erase("overlap_compute_and_memory");
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': missing field "
                        "'overlap_compute_and_memory'",
                        "missing overlap");
        }
        {
            nlohmann::json d = ValidDevice();
            d["name"] = 7;
            ExpectExact(FileWith({d}),
                        "device #1 in 'inline': field 'name' must be a string, got number 7",
                        "name as number");
        }

        // Unknown fields.
        {
            nlohmann::json d = ValidDevice();
            d["memory_gb"] = 4;
            ExpectExact(
                FileWith({d}),
                "device 'test-device' in 'inline': unknown field 'memory_gb'; allowed: "
                "name, description, notes, peak_tflops, efficiency, "
                "attention_efficiency, memory_efficiency, kernel_overhead_us, "
                "autograd_overhead_us, overlap_compute_and_memory, elementwise_16bit_time_ratio, "
                "normalization_16bit_time_ratio, matmul_16bit_overhead_us, "
                "autograd_16bit_overhead_us, runtime_reserve_gib, "
                "memory_gib, "
                "memory_bandwidth_gb_per_s, busy_power_w, idle_power_w, "
                "max_tx_power_dbm, storage_gb, storage_read_mb_per_s, "
                "storage_write_mb_per_s, sources",
                "unknown device field");
        }
        {
            nlohmann::json d = ValidDevice();
            d["peak_tflops"]["int8"] = 4;
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': unknown field 'peak_tflops.int8'; "
                        "allowed: fp32, fp16, bf16",
                        "unknown data type");
        }
        {
            nlohmann::json d = ValidDevice();
            d["sources"]["memory"] = "x";
            ExpectContains(FileWith({d}),
                           "unknown field 'sources.memory'; allowed: peak_tflops, efficiency",
                           "unknown source field");
        }

        // Duplicates.
        ExpectExact(FileWith({ValidDevice(), ValidDevice("other"), ValidDevice()}),
                    "device 'test-device' in 'inline': duplicate name: devices #1 and #3 are both "
                    "called 'test-device'",
                    "duplicate name");
        {
            std::string text = FileWith({ValidDevice()});
            // Give "efficiency" a second time inside the same object.
            std::string key = "\"efficiency\":0.5";
            NS_TEST_ASSERT_MSG_NE(text.find(key), std::string::npos, "fixture layout");
            text.insert(text.find(key), "\"efficiency\":0.9,");
            ExpectExact(text,
                        "devices file 'inline': key 'efficiency' appears twice in one object; "
                        "each field may be given once",
                        "duplicate key");
        }

        // Invalid values, named as in the file.
        const std::vector<std::tuple<std::string, nlohmann::json, std::string>> invalid = {
            {"efficiency", 1.5, "efficiency=1.5 is invalid: must be in (0, 1]"},
            {"efficiency", 0, "efficiency=0 is invalid: must be in (0, 1]"},
            {"memory_gib", 0, "memory_gib=0 is invalid: must be in (0, 65536] GiB"},
            {"memory_bandwidth_gb_per_s",
             -5,
             "memory_bandwidth_gb_per_s=-5 is invalid: must be in (0, 100000] GB/s"},
            {"idle_power_w", -1, "idle_power_w=-1 is invalid: must be in [0, 100000] W"},
            {"busy_power_w", 2e5, "busy_power_w=200000 is invalid: must be in (0, 100000] W"},
            {"busy_power_w", 1, "busy_power_w=1 is invalid: must be >= idle_power_w=2"},
            {"attention_efficiency", 0, "attention_efficiency=0 is invalid: must be in (0, 1]"},
            {"attention_efficiency", 1.2, "attention_efficiency=1.2 is invalid: must be in (0, 1]"},
            {"memory_efficiency", -0.1, "memory_efficiency=-0.1 is invalid: must be in (0, 1]"},
            {"kernel_overhead_us",
             -3,
             "kernel_overhead_us=-3 is invalid: must be in [0, 1000000] us"},
            {"kernel_overhead_us",
             2e6,
             "kernel_overhead_us=2e+06 is invalid: must be in [0, 1000000] us"},
            {"autograd_overhead_us",
             -1,
             "autograd_overhead_us=-1 is invalid: must be in [0, 1000000] us"},
            {"runtime_reserve_gib",
             -1,
             "runtime_reserve_gib=-1 is invalid: must be >= 0 and less than memory_gib=4"},
            {"runtime_reserve_gib",
             4,
             "runtime_reserve_gib=4 is invalid: must be >= 0 and less than memory_gib=4"},
        };
        for (const auto& [field, value, message] : invalid)
        {
            nlohmann::json d = ValidDevice();
            d[field] = value;
            ExpectExact(FileWith({d}),
                        "device 'test-device' in 'inline': " + message,
                        "invalid " + field);
        }
        {
            nlohmann::json d = ValidDevice();
            d["peak_tflops"]["fp16"] = 0;
            ExpectContains(FileWith({d}),
                           "device 'test-device' in 'inline': peak_tflops.fp16=0 is invalid: "
                           "must be positive",
                           "zero peak");
        }
        {
            nlohmann::json d = ValidDevice();
            d["max_tx_power_dbm"] = 100;
            ExpectExact(FileWith({d}),
                        "device 'test-device': maxTxPowerDbm=100 is invalid: must be in [-40, 60] "
                        "dBm (in 'inline')",
                        "tx power out of range");
        }
        // Storage: optional, all three figures or none, each in range and with its source.
        {
            nlohmann::json d = ValidDevice();
            DeviceCatalog c;
            NS_TEST_ASSERT_MSG_EQ(c.LoadString(FileWith({d}), "inline"), "", "without storage");
            NS_TEST_EXPECT_MSG_EQ(c.Get("test-device").HasStorage(), false, "no storage");
            d["storage_gb"] = 48;
            d["storage_read_mb_per_s"] = 87;
            d["storage_write_mb_per_s"] = 40;
            d["sources"]["storage_gb"] = "a card";
            d["sources"]["storage_read_mb_per_s"] = "a benchmark";
            d["sources"]["storage_write_mb_per_s"] = "a benchmark";
            NS_TEST_ASSERT_MSG_EQ(c.LoadString(FileWith({d}), "inline"), "", "with storage");
            const DeviceProfile loaded = c.Get("test-device");
            NS_TEST_EXPECT_MSG_EQ(loaded.GetStorageBytes(), 48000000000ULL, "48 GB");
            NS_TEST_EXPECT_MSG_EQ_TOL(loaded.GetStorageReadRate(), 87e6, 1e-6, "87 MB/s");
            NS_TEST_EXPECT_MSG_EQ_TOL(loaded.GetStorageWriteRate(), 40e6, 1e-6, "40 MB/s");
            nlohmann::json partial = d;
            partial.erase("storage_write_mb_per_s");
            ExpectContains(FileWith({partial}),
                           "give all of storage_gb, storage_read_mb_per_s, "
                           "storage_write_mb_per_s or none (2 given)",
                           "two of three storage figures");
            nlohmann::json negative = d;
            negative["storage_read_mb_per_s"] = -87;
            ExpectContains(FileWith({negative}),
                           "storage_read_mb_per_s=-87 is invalid: must be in (0, 100000] MB/s",
                           "negative storage rate");
            nlohmann::json unsourced = d;
            unsourced["sources"].erase("storage_gb");
            ExpectContains(FileWith({unsourced}),
                           "missing field 'sources.storage_gb'",
                           "storage without its source");
        }
        {
            nlohmann::json d = ValidDevice("Bad Name");
            ExpectContains(FileWith({d}),
                           "name='Bad Name' is invalid: only lower-case letters, digits and '-'",
                           "bad name characters");
        }
        {
            nlohmann::json d = ValidDevice("");
            ExpectExact(FileWith({d}),
                        "device #1 in 'inline': field 'name' is empty: must be a non-empty "
                        "identifier",
                        "empty name");
        }

        // Unknown device name, and a failed load keeps the previous content.
        {
            DeviceCatalog c;
            NS_TEST_ASSERT_MSG_EQ(c.LoadString(FileWith({ValidDevice(), ValidDevice("b")}), "x"),
                                  "",
                                  "load");
            DeviceProfile out;
            out.SetName("untouched");
            NS_TEST_EXPECT_MSG_EQ(c.Find("jetson-nan", out),
                                  "device='jetson-nan' is not in 'x'; allowed: test-device, b",
                                  "unknown device");
            NS_TEST_EXPECT_MSG_EQ(out.GetName(), "untouched", "out untouched on failure");
            std::vector<DeviceProfile> fleet;
            NS_TEST_EXPECT_MSG_EQ(c.FindAll({"b", "test-device", "b"}, fleet), "", "a fleet");
            NS_TEST_EXPECT_MSG_EQ(fleet.size(), 3u, "in order, repeats kept");
            NS_TEST_EXPECT_MSG_EQ(fleet[1].GetName(), "test-device", "in order");
            NS_TEST_EXPECT_MSG_EQ(c.FindAll({"b", "jetson-nan", "b"}, fleet),
                                  "device='jetson-nan' is not in 'x'; allowed: test-device, b",
                                  "the first name not found");
            NS_TEST_EXPECT_MSG_EQ(fleet.size(), 4u, "appended up to it");

            NS_TEST_EXPECT_MSG_NE(c.LoadString("[", "broken"), "", "bad load");
            NS_TEST_EXPECT_MSG_EQ(c.GetN(), 2, "previous content kept");
            NS_TEST_EXPECT_MSG_EQ(c.GetOrigin(), "x", "previous origin kept");

            // Add: validation and duplicates.
            NS_TEST_EXPECT_MSG_EQ(c.Add(ValidProfile()), "", "add a valid profile");
            NS_TEST_EXPECT_MSG_EQ(c.Add(ValidProfile()),
                                  "device 'jetson-nano': duplicate name: already in 'x'",
                                  "add a duplicate");
            DeviceProfile bad = ValidProfile();
            bad.SetName("other");
            bad.SetMemoryBytes(0);
            NS_TEST_EXPECT_MSG_EQ(c.Add(bad),
                                  "device 'other': memoryBytes=0 is invalid: must be positive",
                                  "add an invalid profile");
            NS_TEST_EXPECT_MSG_EQ(c.GetN(), 3, "only the valid profile was added");
        }
        {
            DeviceCatalog c = DeviceCatalog::LoadDefault();
            DeviceProfile out;
            std::string problem = c.Find("jetson-nan", out);
            NS_TEST_EXPECT_MSG_EQ(problem.find("device='jetson-nan' is not in '" +
                                               GetEdgeLlmDataPath("devices.json") +
                                               "'; allowed: jetson-nano, jetson-tx2, "),
                                  0,
                                  "unknown device in the shipped catalog: " << problem);
        }
        {
            DeviceCatalog empty;
            DeviceProfile out;
            NS_TEST_EXPECT_MSG_EQ(empty.Find("x", out),
                                  "device='x' is not in the catalog; allowed: (none)",
                                  "empty catalog");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * The device catalog test suite.
 */
class DeviceCatalogTestSuite : public TestSuite
{
  public:
    DeviceCatalogTestSuite()
        : TestSuite("edge-llm-device-catalog", TestSuite::UNIT)
    {
        AddTestCase(new ShippedCatalogTestCase);
        AddTestCase(new CatalogMatchesFileTestCase);
        AddTestCase(new DeviceProfileValidateTestCase);
        AddTestCase(new CatalogBadInputTestCase);
        AddTestCase(new CatalogFieldMatrixTestCase);
    }
};

/// Static instance that registers the suite.
static DeviceCatalogTestSuite g_deviceCatalogTestSuite;
