/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-kernel-bench.h"

#include "host-memory-retention-guard.h"
#include "torch-thread-guard.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <sstream>
#include <torch/torch.h>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTorchKernelBench");

namespace
{

constexpr uint32_t MAX_RUNS = 100000;       //!< upper bound of warmUpRuns and repeats
constexpr uint32_t MAX_THREADS = 1024;      //!< upper bound of threads
constexpr double MAX_ELEMENTS = 2147483647; //!< largest operand or result (elements)
constexpr uint32_t DISPATCH_CALLS = 100;    //!< calls per timed sample of MeasureDispatchSeconds

/**
 * \brief What every measurement holds for its duration: the thread counts and, when the
 * settings ask for it, freed memory kept in the process.
 */
struct MeasurementScope
{
    /// \param settings the settings
    explicit MeasurementScope(const TorchKernelBenchSettings& settings)
        : threads(settings.threads)
    {
        if (settings.retainFreedMemory)
        {
            retention.emplace();
        }
    }

    TorchThreadGuard threads;                          //!< LibTorch and OpenBLAS threads
    std::optional<HostMemoryRetentionGuard> retention; //!< kept memory, or none
};

/**
 * \brief Stop the run on bad settings, a bad data type or a bad dimension.
 * \param what the function, for the message
 * \param dims (name, value) of each dimension
 * \param elements largest operand or result in elements
 * \param dtype the data type
 * \param settings the settings
 */
void
Check(const std::string& what,
      const std::vector<std::pair<std::string, uint64_t>>& dims,
      double elements,
      DataType dtype,
      const TorchKernelBenchSettings& settings)
{
    const std::string problem = TorchKernelBench::Validate(settings);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("TorchKernelBench::" << what << ": " << problem);
    }
    if (dtype == DataType::FP16)
    {
        NS_FATAL_ERROR("TorchKernelBench::" << what
                                            << ": dtype=fp16 is not supported on the CPU; "
                                               "allowed: fp32, bf16");
    }
    for (const auto& [name, value] : dims)
    {
        if (value == 0)
        {
            NS_FATAL_ERROR("TorchKernelBench::" << what << ": " << name
                                                << "=0 is invalid: must be a positive integer");
        }
    }
    if (elements > MAX_ELEMENTS)
    {
        NS_FATAL_ERROR("TorchKernelBench::" << what << ": the largest tensor would have "
                                            << elements << " elements; allowed: at most "
                                            << MAX_ELEMENTS);
    }
}

/// \return the LibTorch options of a data type
torch::TensorOptions
Options(DataType dtype)
{
    return torch::TensorOptions().dtype(dtype == DataType::BF16 ? torch::kBFloat16
                                                                : torch::kFloat32);
}

/// \return a standard-normal tensor of \p sizes in \p dtype
torch::Tensor
Random(torch::IntArrayRef sizes, DataType dtype)
{
    return torch::randn(sizes).to(Options(dtype));
}

/**
 * \brief Time \p call: warm-up, then samples of \p calls calls each.
 * \param call the operator call
 * \param settings runs and threads
 * \param calls calls per sample
 * \return median seconds of one call
 */
double
Time(const std::function<torch::Tensor()>& call,
     const TorchKernelBenchSettings& settings,
     uint32_t calls = 1)
{
    c10::InferenceMode inferenceMode;
    for (uint32_t i = 0; i < settings.warmUpRuns; ++i)
    {
        call();
    }
    std::vector<double> samples;
    for (uint32_t i = 0; i < settings.repeats; ++i)
    {
        const auto t0 = std::chrono::steady_clock::now();
        for (uint32_t j = 0; j < calls; ++j)
        {
            call();
        }
        const auto t1 = std::chrono::steady_clock::now();
        samples.push_back(std::chrono::duration<double>(t1 - t0).count() / calls);
    }
    std::sort(samples.begin(), samples.end());
    const size_t n = samples.size();
    return n % 2 == 1 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
}

} // namespace

std::string
TorchKernelBench::Validate(const TorchKernelBenchSettings& settings)
{
    std::ostringstream oss;
    if (settings.warmUpRuns > MAX_RUNS)
    {
        oss << "warmUpRuns=" << settings.warmUpRuns << " is invalid: must be between 0 and "
            << MAX_RUNS;
        return oss.str();
    }
    if (settings.repeats == 0 || settings.repeats > MAX_RUNS)
    {
        oss << "repeats=" << settings.repeats << " is invalid: must be between 1 and " << MAX_RUNS;
        return oss.str();
    }
    if (settings.threads == 0 || settings.threads > MAX_THREADS)
    {
        oss << "threads=" << settings.threads << " is invalid: must be between 1 and "
            << MAX_THREADS;
        return oss.str();
    }
    return "";
}

std::string
TorchKernelBench::ElementwiseOpToString(TorchElementwiseOp op)
{
    switch (op)
    {
    case TorchElementwiseOp::ADD:
        return "add";
    case TorchElementwiseOp::GELU:
        return "gelu";
    case TorchElementwiseOp::LAYER_NORM:
        return "layer-norm";
    case TorchElementwiseOp::SOFTMAX:
        return "softmax";
    case TorchElementwiseOp::DROPOUT:
        return "dropout";
    }
    NS_FATAL_ERROR("unknown TorchElementwiseOp value " << static_cast<int>(op));
}

std::vector<std::string>
TorchKernelBench::GetElementwiseOpNames()
{
    return {"add", "gelu", "layer-norm", "softmax", "dropout"};
}

std::string
TorchKernelBench::ParseElementwiseOp(const std::string& name, TorchElementwiseOp& op)
{
    for (auto o : {TorchElementwiseOp::ADD,
                   TorchElementwiseOp::GELU,
                   TorchElementwiseOp::LAYER_NORM,
                   TorchElementwiseOp::SOFTMAX,
                   TorchElementwiseOp::DROPOUT})
    {
        if (name == ElementwiseOpToString(o))
        {
            op = o;
            return "";
        }
    }
    return "op='" + name +
           "' is not a known element-wise operator; allowed: add, gelu, layer-norm, softmax, "
           "dropout";
}

double
TorchKernelBench::MeasureGemmSeconds(uint64_t m,
                                     uint64_t n,
                                     uint64_t k,
                                     DataType dtype,
                                     const TorchKernelBenchSettings& settings)
{
    const double largest = std::max({1.0 * m * k, 1.0 * k * n, 1.0 * m * n});
    Check("MeasureGemmSeconds", {{"m", m}, {"n", n}, {"k", k}}, largest, dtype, settings);
    MeasurementScope scope(settings);
    torch::manual_seed(settings.seed);
    const auto a = Random({int64_t(m), int64_t(k)}, dtype);
    const auto b = Random({int64_t(k), int64_t(n)}, dtype);
    return Time([&] { return torch::mm(a, b); }, settings);
}

double
TorchKernelBench::MeasureBatchedMatmulSeconds(uint64_t batch,
                                              uint64_t m,
                                              uint64_t n,
                                              uint64_t k,
                                              DataType dtype,
                                              const TorchKernelBenchSettings& settings)
{
    const double largest = 1.0 * batch * std::max({1.0 * m * k, 1.0 * k * n, 1.0 * m * n});
    Check("MeasureBatchedMatmulSeconds",
          {{"batch", batch}, {"m", m}, {"n", n}, {"k", k}},
          largest,
          dtype,
          settings);
    MeasurementScope scope(settings);
    torch::manual_seed(settings.seed);
    const auto a = Random({int64_t(batch), int64_t(m), int64_t(k)}, dtype);
    const auto b = Random({int64_t(batch), int64_t(k), int64_t(n)}, dtype);
    return Time([&] { return torch::bmm(a, b); }, settings);
}

double
TorchKernelBench::MeasureElementwiseSeconds(TorchElementwiseOp op,
                                            uint64_t rows,
                                            uint64_t cols,
                                            DataType dtype,
                                            const TorchKernelBenchSettings& settings)
{
    Check("MeasureElementwiseSeconds",
          {{"rows", rows}, {"cols", cols}},
          1.0 * rows * cols,
          dtype,
          settings);
    MeasurementScope scope(settings);
    torch::manual_seed(settings.seed);
    const auto a = Random({int64_t(rows), int64_t(cols)}, dtype);
    switch (op)
    {
    case TorchElementwiseOp::ADD: {
        const auto b = Random({int64_t(rows), int64_t(cols)}, dtype);
        return Time([&] { return a + b; }, settings);
    }
    case TorchElementwiseOp::GELU:
        return Time([&] { return torch::gelu(a); }, settings);
    case TorchElementwiseOp::LAYER_NORM: {
        const auto weight = torch::ones({int64_t(cols)}, Options(dtype));
        const auto bias = torch::zeros({int64_t(cols)}, Options(dtype));
        return Time([&] { return torch::layer_norm(a, {int64_t(cols)}, weight, bias); }, settings);
    }
    case TorchElementwiseOp::SOFTMAX:
        return Time([&] { return torch::softmax(a, -1); }, settings);
    case TorchElementwiseOp::DROPOUT:
        return Time([&] { return torch::dropout(a, 0.1, true); }, settings);
    }
    NS_FATAL_ERROR("unknown TorchElementwiseOp value " << static_cast<int>(op));
}

double
TorchKernelBench::MeasureDispatchSeconds(const TorchKernelBenchSettings& settings)
{
    Check("MeasureDispatchSeconds", {}, 1, DataType::FP32, settings);
    MeasurementScope scope(settings);
    const auto a = torch::ones({1});
    const auto b = torch::ones({1});
    return Time([&] { return a + b; }, settings, DISPATCH_CALLS);
}

} // namespace edgellm
} // namespace ns3
