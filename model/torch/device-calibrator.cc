/* SPDX-License-Identifier: GPL-2.0-only */
#include "device-calibrator.h"

#include "cpu-affinity-guard.h"
#include "torch-kernel-bench.h"
#include "torch-layer-probe.h"

#include "ns3/device-catalog.h"
#include "ns3/fatal-error.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/layer-cost.h"
#include "ns3/layer-kernels.h"
#include "ns3/log.h"
#include "ns3/object.h"
#include "ns3/segment-memory.h"
#include "ns3/transformer-spec.h"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>
#include <torch/version.h>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmDeviceCalibrator");

namespace
{

constexpr uint32_t MAX_THREADS = 1024;         //!< upper bound of threads
constexpr uint32_t MAX_RUNS = 1000;            //!< upper bound of warm-up runs and repeats
constexpr uint32_t MAX_REMEASURE = 10;         //!< upper bound of remeasurements
constexpr uint32_t LORA_RANK = 8;              //!< LoRA rank of every grid point
constexpr uint32_t ADAPTER_REDUCTION = 16;     //!< adapter width = hidden / 16
constexpr double BYTES_PER_GIB = 1073741824.0; //!< 2^30
/// A square GEMM of this size joins the layer shapes when looking for the best GEMM rate.
constexpr uint64_t PEAK_GEMM_SIZE = 1024;
/// Columns of the least-squares fit: 1/GEMM rate, 1/attention rate, 1/memory rate, overhead.
constexpr int FIT_COLUMNS = 5;
/// Rounds of the fit: which matrix products are memory-bound is re-decided after each.
constexpr int FIT_ROUNDS = 6;
constexpr int POLISH_SWEEPS = 4;         //!< coordinate sweeps of the golden-section polish
constexpr int POLISH_STEPS = 30;         //!< golden-section steps per coordinate
constexpr double POLISH_LOG_RANGE = 2.3; //!< search within a factor of 10 either way

/// A block shape of the grids.
struct BlockShape
{
    const char* model; //!< label
    uint32_t hidden;   //!< h
    uint32_t heads;    //!< a
    uint32_t ffn;      //!< f
};

const BlockShape BERT_BASE{"bert-base", 768, 12, 3072};
const BlockShape T5_SMALL{"t5-small-like", 512, 8, 2048};
const BlockShape TINY{"tiny", 256, 4, 1024};
const BlockShape MINI{"mini", 128, 2, 512};

const std::vector<RecipeKind> ALL_RECIPES = {RecipeKind::FULL,
                                             RecipeKind::LORA,
                                             RecipeKind::ADAPTERS,
                                             RecipeKind::PARALLEL_ADAPTERS,
                                             RecipeKind::INFERENCE};

/**
 * \param path the devices file
 * \param suffix e.g. ".validation.csv"
 * \return the path with ".json" (if any) replaced by \p suffix
 */
std::string
SiblingPath(const std::string& path, const std::string& suffix)
{
    const std::string json = ".json";
    if (path.size() > json.size() &&
        path.compare(path.size() - json.size(), json.size(), json) == 0)
    {
        return path.substr(0, path.size() - json.size()) + suffix;
    }
    return path + suffix;
}

/// \return the one-block model of a point: its dimensions, one encoder block
TransformerSpec
MakeBlockSpec(const CalibrationPoint& point)
{
    TransformerSpec spec = TransformerSpec::GetPreset("tiny-encoder");
    spec.name = point.model;
    spec.encoderLayers = 1;
    spec.hidden = point.hidden;
    spec.heads = point.heads;
    spec.ffn = point.ffn;
    spec.sequenceLength = point.sequence;
    spec.maxPositions = std::max<uint32_t>(spec.maxPositions, point.sequence);
    return spec;
}

/// \return the recipe of a point
TrainingRecipe
MakeRecipe(const CalibrationPoint& point)
{
    TrainingRecipe recipe;
    recipe.kind = point.recipe;
    recipe.dtype = point.dtype;
    recipe.microBatchSize = point.batch;
    recipe.loraRank = LORA_RANK;
    recipe.adapterReduction = ADAPTER_REDUCTION;
    recipe.optimizer = OptimizerKind::ADAM;
    // TorchLayerProbe trains bf16 in pure bf16 (no fp32 master copy).
    recipe.fp32MasterWeights = false;
    // The blocks are measured without dropout (the probe's default), so the memory model must
    // count no masks; were there any, LibTorch's CPU kernels would keep them in the data type.
    recipe.dropout = 0.0;
    recipe.dropoutMaskBytes = 0;
    return recipe;
}

/// \return the position of the ENCODER_BLOCK layer in LayerCostModel's list
uint32_t
FindEncoderBlock(const std::vector<LayerCost>& layers)
{
    for (uint32_t i = 0; i < layers.size(); ++i)
    {
        if (layers[i].kind == LayerKind::ENCODER_BLOCK)
        {
            return i;
        }
    }
    NS_FATAL_ERROR("DeviceCalibrator: the one-block model has no ENCODER_BLOCK layer");
}

/**
 * \brief The time ratio of the memory-bound micro-benchmarks of one class measured in both types,
 * summed over the kernels (ELEMENTWISE: add, GELU, softmax; NORMALIZATION: LayerNorm; at the
 * layers' shapes): a time-weighted mean, so that each kernel counts as its time does.
 * \param samples fp32 and bf16 samples (the same kernels and shapes in both)
 * \param kernelClass the class
 * \return the sum of bf16 seconds over the sum of fp32 seconds of the same kernels, 0 when none
 * pairs
 */
double
GetMemoryBoundTimeRatio(const std::vector<KernelBenchmarkSample>& samples, KernelClass kernelClass)
{
    double fp32Seconds = 0;
    double bf16Seconds = 0;
    for (const auto& b : samples)
    {
        if (b.kernelClass != kernelClass || b.dtype != DataType::BF16)
        {
            continue;
        }
        for (const auto& f : samples)
        {
            if (f.kernelClass == kernelClass && f.dtype == DataType::FP32 && f.name == b.name &&
                f.seconds > 0)
            {
                fp32Seconds += f.seconds;
                bf16Seconds += b.seconds;
            }
        }
    }
    return fp32Seconds > 0 ? bf16Seconds / fp32Seconds : 0.0;
}

/// A matrix-product class's time as a fixed cost plus a time per FLOP.
struct LinearTimeFit
{
    double fixedSeconds{0};   //!< per call
    double secondsPerFlop{0}; //!< 1 / the rate
    uint32_t samples{0};      //!< layer-shaped micro-benchmarks fitted
};

/**
 * \brief Fit t = fixed + FLOPs * secondsPerFlop to one class's layer-shaped micro-benchmarks of
 * one type, by least squares on the relative error (a 10 us kernel counts as much as a 10 ms
 * one). With fewer than two distinct FLOP counts, or a fit that is not positive, the fixed cost
 * is 0 and the time per FLOP is their summed time over their summed FLOPs.
 * \param samples the samples
 * \param kernelClass GEMM or ATTENTION
 * \param dtype the type
 * \return the fit (samples = 0 when none matched)
 */
LinearTimeFit
FitMatmulClass(const std::vector<KernelBenchmarkSample>& samples,
               KernelClass kernelClass,
               DataType dtype)
{
    const std::string peakName = "gemm " + std::to_string(PEAK_GEMM_SIZE) + "x";
    std::vector<double> flops;
    std::vector<double> seconds;
    for (const auto& sample : samples)
    {
        if (sample.kernelClass == kernelClass && sample.dtype == dtype && sample.seconds > 0 &&
            sample.flops > 0 && sample.name.rfind(peakName, 0) != 0)
        {
            flops.push_back(sample.flops);
            seconds.push_back(sample.seconds);
        }
    }
    LinearTimeFit fit;
    fit.samples = flops.size();
    if (flops.empty())
    {
        return fit;
    }
    const double totalFlops = std::accumulate(flops.begin(), flops.end(), 0.0);
    const double totalSeconds = std::accumulate(seconds.begin(), seconds.end(), 0.0);
    fit.secondsPerFlop = totalSeconds / totalFlops;
    const auto [smallest, largest] = std::minmax_element(flops.begin(), flops.end());
    if (*largest <= *smallest * 1.01)
    {
        return fit;
    }
    Eigen::MatrixXd m(flops.size(), 2);
    Eigen::VectorXd ones = Eigen::VectorXd::Ones(flops.size());
    for (std::size_t i = 0; i < flops.size(); ++i)
    {
        m(i, 0) = 1.0 / seconds[i];
        m(i, 1) = flops[i] / seconds[i];
    }
    const Eigen::Vector2d x = m.colPivHouseholderQr().solve(ones);
    if (x(0) >= 0 && x(1) > 0)
    {
        fit.fixedSeconds = x(0);
        fit.secondsPerFlop = x(1);
    }
    return fit;
}

/**
 * \brief The bf16 terms of a profile: the peak is the fp32 peak times what bf16 gains per FLOP
 * on the layers' GEMMs, so that the fitted efficiencies price bf16 layers as the layer-shaped
 * GEMMs measured them; the memory-bound ratios and the matrix products' extra fixed cost. The
 * peak stays the fp32 one, and native ratios, when bf16 was not benchmarked.
 * \param calibration the micro-benchmarks' figures
 * \param profile the profile to set
 */
void
SetBf16Terms(const DeviceCalibration& calibration, DeviceProfile& profile)
{
    if (calibration.bf16GemmRateRatio > 0)
    {
        profile.SetPeakFlops(DataType::BF16,
                             calibration.bf16GemmRateRatio * profile.GetPeakFlops(DataType::FP32));
    }
    // LibTorch's CPU element-wise kernels convert 16-bit elements to fp32 and back: the time of
    // the fp32 kernel until the micro-benchmarks measured the ratios
    profile.SetElementwise16BitTimeRatio(
        calibration.bf16ElementwiseTimeRatio > 0 ? calibration.bf16ElementwiseTimeRatio : 1.0);
    profile.SetNormalization16BitTimeRatio(
        calibration.bf16NormalizationTimeRatio > 0 ? calibration.bf16NormalizationTimeRatio : 1.0);
    profile.SetMatmul16BitOverhead(calibration.bf16MatmulOverhead);
}

/// \return the rows of the validation summary: fp32 then bf16, every recipe in each
std::vector<std::pair<DataType, RecipeKind>>
SummaryRows()
{
    std::vector<std::pair<DataType, RecipeKind>> rows;
    for (DataType dtype : {DataType::FP32, DataType::BF16})
    {
        for (RecipeKind recipe : ALL_RECIPES)
        {
            rows.emplace_back(dtype, recipe);
        }
    }
    return rows;
}

/// \return a signed relative error, 0 when the reference is 0
double
RelativeError(double model, double measured)
{
    return measured > 0 ? (model - measured) / measured : 0.0;
}

/// \return "YYYY-MM-DD" of now, UTC
std::string
TodayUtc()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[16];
    std::strftime(text, sizeof(text), "%Y-%m-%d", &utc);
    return text;
}

/// \return a field of a /proc file ("key: value ..."), or "" when absent
std::string
ReadProcField(const std::string& path, const std::string& key)
{
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
    {
        if (line.rfind(key, 0) == 0)
        {
            const auto colon = line.find(':');
            if (colon == std::string::npos)
            {
                continue;
            }
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            return value;
        }
    }
    return "";
}

/// \return the kB figure of a /proc field ("1234 kB") in bytes, 0 when absent
uint64_t
ReadProcKilobytes(const std::string& path, const std::string& key)
{
    const std::string value = ReadProcField(path, key);
    return value.empty() ? 0 : std::stoull(value) * 1024ULL;
}

/// \return CPU seconds this process has used (every thread)
double
ProcessCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return now.tv_sec + 1e-9 * now.tv_nsec;
}

/// \return seconds since \p start
double
Since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Sums of one piece of work with the rates of a profile: the row of the linear fit.
struct FitRow
{
    /// GEMM FLOPs, attention FLOPs, bytes, launches, autograd launches
    std::array<double, FIT_COLUMNS> coefficients{0, 0, 0, 0, 0};
    double measured{0}; //!< seconds
};

/**
 * \brief Add one piece of work to a row: compute-bound matrix products add their FLOPs,
 * memory-bound kernels their bytes, every kernel a launch; without overlap a matrix product
 * adds both.
 * \param work the kernels
 * \param inverse current 1/rates (GEMM, attention, memory) to decide which bound applies
 * \param overlap the device's DeviceProfile::GetComputeMemoryOverlap()
 * \param row the row
 */
void
AddToRow(const KernelWork& work, const std::array<double, 3>& inverse, bool overlap, FitRow& row)
{
    for (const auto& kernel : work.GetKernels())
    {
        const double count = kernel.count;
        row.coefficients[3] += count;
        row.coefficients[4] += kernel.autograd ? count : 0.0;
        if (IsMemoryBoundClass(kernel.kernelClass))
        {
            row.coefficients[2] += count * kernel.bytes;
            continue;
        }
        const int column = kernel.kernelClass == KernelClass::GEMM ? 0 : 1;
        if (!overlap)
        {
            // the two terms add: the row is linear in both rates
            row.coefficients[column] += count * kernel.flops;
            row.coefficients[2] += count * kernel.bytes;
        }
        else if (kernel.flops * inverse[column] >= kernel.bytes * inverse[2])
        {
            row.coefficients[column] += count * kernel.flops;
        }
        else
        {
            row.coefficients[2] += count * kernel.bytes;
        }
    }
}

/**
 * \brief Non-negative least squares of the relative error, by enumerating the supports (four
 * unknowns: sixteen subsets); the solution is the best non-negative least-squares solution on
 * its support.
 * \param rows the rows
 * \param[out] solution the unknowns
 * \return the root-mean-square relative error
 */
double
SolveRelativeNnls(const std::vector<FitRow>& rows, std::array<double, FIT_COLUMNS>& solution)
{
    const int n = static_cast<int>(rows.size());
    Eigen::MatrixXd a(n, FIT_COLUMNS);
    Eigen::VectorXd b = Eigen::VectorXd::Ones(n);
    for (int i = 0; i < n; ++i)
    {
        for (int j = 0; j < FIT_COLUMNS; ++j)
        {
            a(i, j) = rows[i].coefficients[j] / rows[i].measured;
        }
    }
    double best = std::numeric_limits<double>::infinity();
    for (int mask = 1; mask < (1 << FIT_COLUMNS); ++mask)
    {
        std::vector<int> columns;
        for (int j = 0; j < FIT_COLUMNS; ++j)
        {
            if (mask & (1 << j))
            {
                columns.push_back(j);
            }
        }
        Eigen::MatrixXd sub(n, columns.size());
        for (size_t c = 0; c < columns.size(); ++c)
        {
            sub.col(c) = a.col(columns[c]);
        }
        // Scale columns to unit norm: the coefficients span twenty orders of magnitude.
        Eigen::VectorXd norms = sub.colwise().norm();
        if ((norms.array() <= 0).any())
        {
            continue;
        }
        for (int c = 0; c < sub.cols(); ++c)
        {
            sub.col(c) /= norms(c);
        }
        Eigen::VectorXd x = sub.colPivHouseholderQr().solve(b);
        if ((x.array() < 0).any())
        {
            continue;
        }
        const double residual = (sub * x - b).squaredNorm();
        if (residual < best)
        {
            best = residual;
            solution.fill(0);
            for (size_t c = 0; c < columns.size(); ++c)
            {
                solution[columns[c]] = x(c) / norms(c);
            }
        }
    }
    return std::sqrt(best / std::max(n, 1));
}

/// Column names of the validation CSV and table.
std::string
Percent(double fraction)
{
    std::ostringstream oss;
    oss << std::showpos << std::fixed << std::setprecision(1) << 100 * fraction << "%";
    return oss.str();
}

} // namespace

double
KernelBenchmarkSample::GetRate() const
{
    if (seconds <= 0)
    {
        return 0;
    }
    return IsMemoryBoundClass(kernelClass) ? bytes / seconds : flops / seconds;
}

std::string
CalibrationPoint::GetLabel() const
{
    std::ostringstream oss;
    oss << model << " b" << batch << " s" << sequence << " " << RecipeKindToString(recipe) << " "
        << DataTypeToString(dtype);
    return oss.str();
}

double
CalibrationPoint::GetForwardError() const
{
    return RelativeError(modelForward, measuredForward);
}

double
CalibrationPoint::GetForwardBackwardError() const
{
    return RelativeError(modelForwardBackward, measuredForwardBackward);
}

double
CalibrationPoint::GetWorstError() const
{
    return std::max(std::abs(GetForwardError()), std::abs(GetForwardBackwardError()));
}

double
CalibrationPoint::GetMemoryRatio() const
{
    return measuredPeakBytes > 0 ? double(modelPeakBytes) / double(measuredPeakBytes) : 0.0;
}

std::string
DeviceCalibrator::Validate(const DeviceCalibratorSettings& settings)
{
    std::ostringstream oss;
    const bool nameOk = !settings.name.empty() &&
                        std::all_of(settings.name.begin(), settings.name.end(), [](char c) {
                            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                        });
    if (!nameOk)
    {
        oss << "name='" << settings.name
            << "' is invalid: must be a non-empty identifier of lower-case letters, digits and "
               "'-'";
        return oss.str();
    }
    std::vector<CalibrationPoint> points;
    const std::string gridProblem = MakeGrid(settings.grid, DataType::FP32, points);
    if (!gridProblem.empty())
    {
        return gridProblem;
    }
    if (settings.dtypes.empty())
    {
        return "dtype='' is invalid: give at least one of fp32, bf16";
    }
    if (std::find(settings.dtypes.begin(), settings.dtypes.end(), DataType::FP32) ==
        settings.dtypes.end())
    {
        return "dtype list must contain fp32: the profile's fp32 rates are the reference (bf16 "
               "is calibrated against them); allowed: fp32 or fp32,bf16";
    }
    for (DataType dtype : settings.dtypes)
    {
        if (dtype == DataType::FP16)
        {
            return "dtype='fp16' is not supported: LibTorch 1.13 has no complete set of fp16 "
                   "CPU kernels; allowed: fp32, bf16";
        }
    }
    if (settings.threads == 0 || settings.threads > MAX_THREADS)
    {
        oss << "threads=" << settings.threads << " is invalid: must be between 1 and "
            << MAX_THREADS;
        return oss.str();
    }
    if (settings.kernelRepeats == 0 || settings.kernelRepeats > MAX_RUNS ||
        settings.layerRepeats == 0 || settings.layerRepeats > MAX_RUNS ||
        settings.kernelWarmUpRuns > MAX_RUNS || settings.layerWarmUpRuns > MAX_RUNS)
    {
        oss << "repeats and warm-up runs (kernel " << settings.kernelWarmUpRuns << "+"
            << settings.kernelRepeats << ", layer " << settings.layerWarmUpRuns << "+"
            << settings.layerRepeats << ") are invalid: repeats must be between 1 and " << MAX_RUNS
            << ", warm-up runs between 0 and " << MAX_RUNS;
        return oss.str();
    }
    if (!(settings.layerTimedSeconds >= 0 && settings.layerTimedSeconds <= 60) ||
        settings.maxLayerRepeats < settings.layerRepeats || settings.maxLayerRepeats > MAX_RUNS)
    {
        oss << "layerTimedSeconds=" << settings.layerTimedSeconds
            << " and maxLayerRepeats=" << settings.maxLayerRepeats
            << " are invalid: layerTimedSeconds must be in [0, 60], maxLayerRepeats between "
               "layerRepeats="
            << settings.layerRepeats << " and " << MAX_RUNS;
        return oss.str();
    }
    if (!(settings.minimumCpuShare >= 0 && settings.minimumCpuShare <= 1) ||
        settings.contentionRetries > MAX_REMEASURE)
    {
        oss << "minimumCpuShare=" << settings.minimumCpuShare
            << " and contentionRetries=" << settings.contentionRetries
            << " are invalid: minimumCpuShare must be in [0, 1], contentionRetries between 0 and "
            << MAX_REMEASURE;
        return oss.str();
    }
    if (settings.remeasurements > MAX_REMEASURE)
    {
        oss << "remeasurements=" << settings.remeasurements << " is invalid: must be between 0 and "
            << MAX_REMEASURE;
        return oss.str();
    }
    if (!(settings.targetError > 0 && settings.targetError < 1))
    {
        oss << "targetError=" << settings.targetError << " is invalid: must be in (0, 1)";
        return oss.str();
    }
    return "";
}

std::vector<std::string>
DeviceCalibrator::GetGridNames()
{
    return {"quick", "full", "wide", "test"};
}

std::string
DeviceCalibrator::MakeGrid(const std::string& grid,
                           DataType dtype,
                           std::vector<CalibrationPoint>& points)
{
    struct GridDefinition
    {
        std::vector<BlockShape> shapes;
        std::vector<uint32_t> batches;
        std::vector<uint32_t> sequences;
    };

    GridDefinition definition;
    if (grid == "full")
    {
        definition = GridDefinition{{BERT_BASE, T5_SMALL, TINY}, {1, 4, 16}, {32, 128, 256}};
    }
    else if (grid == "wide")
    {
        // the full grid up to batch 32 and sequence 512: well beyond 5 minutes, not in the tests
        definition =
            GridDefinition{{BERT_BASE, T5_SMALL, TINY}, {1, 4, 16, 32}, {32, 128, 256, 512}};
    }
    else if (grid == "quick")
    {
        definition = GridDefinition{{T5_SMALL, TINY}, {1, 4}, {32, 128}};
    }
    else if (grid == "test")
    {
        definition = GridDefinition{{TINY, MINI}, {1, 4}, {32, 64}};
    }
    else
    {
        std::string allowed;
        for (const auto& name : GetGridNames())
        {
            allowed += (allowed.empty() ? "" : ", ") + name;
        }
        return "grid='" + grid + "' is not a known grid; allowed: " + allowed;
    }
    const auto& shapes = definition.shapes;
    const auto& batches = definition.batches;
    const auto& sequences = definition.sequences;
    points.clear();
    for (const auto& shape : shapes)
    {
        for (uint32_t b : batches)
        {
            for (uint32_t s : sequences)
            {
                for (RecipeKind recipe : ALL_RECIPES)
                {
                    CalibrationPoint point;
                    point.model = shape.model;
                    point.hidden = shape.hidden;
                    point.heads = shape.heads;
                    point.ffn = shape.ffn;
                    point.batch = b;
                    point.sequence = s;
                    point.recipe = recipe;
                    point.dtype = dtype;
                    // Every other point is fitted; five recipes per shape, batch and sequence
                    // make each recipe alternate between fitted and held out.
                    point.fitted = points.size() % 2 == 0;
                    points.push_back(point);
                }
            }
        }
    }
    return "";
}

std::vector<KernelBenchmarkSample>
DeviceCalibrator::RunMicrobenchmarks(const DeviceCalibratorSettings& settings,
                                     DataType dtype,
                                     const std::vector<CalibrationPoint>& points)
{
    TorchKernelBenchSettings bench;
    bench.warmUpRuns = settings.kernelWarmUpRuns;
    bench.repeats = settings.kernelRepeats;
    bench.threads = settings.threads;
    bench.seed = settings.seed;
    const double e = GetDataTypeBytes(dtype);

    // The shapes: per block shape, the smallest, a middle and the largest token count of the
    // grid, and the (batch, sequence) pairs that give them.
    std::map<uint32_t, const CalibrationPoint*> shapes; // by hidden
    std::set<std::pair<uint32_t, uint32_t>> pairs;      // (batch, sequence)
    for (const auto& point : points)
    {
        shapes.emplace(point.hidden, &point);
        pairs.emplace(point.batch, point.sequence);
    }
    std::vector<std::pair<uint32_t, uint32_t>> ordered(pairs.begin(), pairs.end());
    std::sort(ordered.begin(), ordered.end(), [](const auto& x, const auto& y) {
        return uint64_t(x.first) * x.second < uint64_t(y.first) * y.second;
    });
    std::vector<std::pair<uint32_t, uint32_t>> chosen = {ordered.front(),
                                                         ordered[ordered.size() / 2],
                                                         ordered.back()};
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());

    std::vector<KernelBenchmarkSample> samples;
    auto add = [&](const std::string& name, KernelClass kc, double flops, double bytes, double t) {
        KernelBenchmarkSample sample;
        sample.name = name;
        sample.kernelClass = kc;
        sample.dtype = dtype;
        sample.flops = flops;
        sample.bytes = bytes;
        sample.seconds = t;
        samples.push_back(sample);
        NS_LOG_INFO(DataTypeToString(dtype)
                    << " " << name << ": " << t << " s, " << sample.GetRate() / 1e9 << " G/s");
    };
    auto gemm = [&](uint64_t m, uint64_t k, uint64_t n) {
        std::ostringstream name;
        name << "gemm " << m << "x" << k << "x" << n;
        add(name.str(),
            KernelClass::GEMM,
            2.0 * m * n * k,
            e * (m * k + k * n + m * n),
            TorchKernelBench::MeasureGemmSeconds(m, n, k, dtype, bench));
    };

    // Per-operator dispatch: fp32 by definition (one-element tensors).
    add("dispatch",
        KernelClass::ELEMENTWISE,
        0,
        3 * 4,
        TorchKernelBench::MeasureDispatchSeconds(bench));
    gemm(PEAK_GEMM_SIZE, PEAK_GEMM_SIZE, PEAK_GEMM_SIZE);
    for (const auto& [hidden, shape] : shapes)
    {
        const uint64_t h = shape->hidden;
        const uint64_t f = shape->ffn;
        const uint64_t a = shape->heads;
        const uint64_t d = h / a;
        for (const auto& [b, s] : chosen)
        {
            const uint64_t t = uint64_t(b) * s;
            gemm(t, h, 3 * h);
            gemm(t, h, h);
            gemm(t, h, f);
            gemm(t, f, h);
            std::ostringstream scores;
            scores << "bmm " << b * a << "x" << s << "x" << d << "x" << s;
            add(scores.str(),
                KernelClass::ATTENTION,
                2.0 * b * a * s * s * d,
                e * b * a * (2.0 * s * d + s * s),
                TorchKernelBench::MeasureBatchedMatmulSeconds(b * a, s, s, d, dtype, bench));
            std::ostringstream context;
            context << "bmm " << b * a << "x" << s << "x" << s << "x" << d;
            add(context.str(),
                KernelClass::ATTENTION,
                2.0 * b * a * s * s * d,
                e * b * a * (2.0 * s * d + s * s),
                TorchKernelBench::MeasureBatchedMatmulSeconds(b * a, s, d, s, dtype, bench));
            const std::vector<std::tuple<TorchElementwiseOp, uint64_t, uint64_t, double>> ops = {
                {TorchElementwiseOp::ADD, t, h, 3},
                {TorchElementwiseOp::LAYER_NORM, t, h, 2},
                {TorchElementwiseOp::GELU, t, f, 2},
                {TorchElementwiseOp::SOFTMAX, b * a * s, s, 2}};
            for (const auto& [op, rows, cols, tensors] : ops)
            {
                std::ostringstream name;
                name << TorchKernelBench::ElementwiseOpToString(op) << " " << rows << "x" << cols;
                add(name.str(),
                    op == TorchElementwiseOp::LAYER_NORM ? KernelClass::NORMALIZATION
                                                         : KernelClass::ELEMENTWISE,
                    0,
                    e * rows * cols * tensors,
                    TorchKernelBench::MeasureElementwiseSeconds(op, rows, cols, dtype, bench));
            }
        }
    }
    return samples;
}

void
DeviceCalibrator::FitBf16Terms(const std::vector<KernelBenchmarkSample>& samples,
                               DeviceCalibration& calibration)
{
    calibration.bf16ElementwiseTimeRatio =
        GetMemoryBoundTimeRatio(samples, KernelClass::ELEMENTWISE);
    calibration.bf16NormalizationTimeRatio =
        GetMemoryBoundTimeRatio(samples, KernelClass::NORMALIZATION);
    calibration.bf16GemmRateRatio = 0;
    double extra = 0;
    uint32_t count = 0;
    for (KernelClass kernelClass : {KernelClass::GEMM, KernelClass::ATTENTION})
    {
        const LinearTimeFit fp32 = FitMatmulClass(samples, kernelClass, DataType::FP32);
        const LinearTimeFit bf16 = FitMatmulClass(samples, kernelClass, DataType::BF16);
        if (fp32.samples == 0 || bf16.samples == 0)
        {
            continue;
        }
        if (kernelClass == KernelClass::GEMM)
        {
            calibration.bf16GemmRateRatio = fp32.secondsPerFlop / bf16.secondsPerFlop;
        }
        extra += (bf16.fixedSeconds - fp32.fixedSeconds) * bf16.samples;
        count += bf16.samples;
    }
    calibration.bf16MatmulOverhead = count > 0 ? std::max(0.0, extra / count) : 0.0;
}

bool
DeviceCalibrator::FitBf16ToLayers(const DeviceProfile& start,
                                  const std::vector<CalibrationPoint>& points,
                                  DeviceProfile& profile,
                                  double& residual)
{
    residual = 0;
    profile = start;
    // the bf16 peak scale (start peak / peak: the time is linear in it), the element-wise and
    // normalization ratios, the matrix-product and autograd fixed costs
    constexpr int UNKNOWNS = 5;
    constexpr int FIRST_FIXED_COST = 3; // the fixed costs may be 0, the rest must be positive
    const double startPeak = start.GetPeakFlops(DataType::BF16);
    auto apply = [&](const std::array<double, UNKNOWNS>& u) {
        DeviceProfile p = start;
        p.SetPeakFlops(DataType::BF16, startPeak / u[0]);
        p.SetElementwise16BitTimeRatio(u[1]);
        p.SetNormalization16BitTimeRatio(u[2]);
        p.SetMatmul16BitOverhead(u[3]);
        p.SetAutograd16BitOverhead(u[4]);
        return p;
    };
    const std::array<double, UNKNOWNS> base = {1.0,
                                               start.GetElementwise16BitTimeRatio(),
                                               start.GetNormalization16BitTimeRatio(),
                                               start.GetMatmul16BitOverhead(),
                                               start.GetAutograd16BitOverhead()};
    const std::array<double, UNKNOWNS> step = {1.0, 1.0, 1.0, 1e-5, 1e-5};
    // one row per fitted time: the coefficient of each unknown (from the model: it is linear in
    // each), the rest of the modelled time, the measurement
    std::vector<std::array<double, UNKNOWNS>> coefficients;
    std::vector<double> constants;
    std::vector<double> measured;
    for (const auto& point : points)
    {
        if (point.dtype != DataType::BF16 || !point.fitted || point.measuredForward <= 0)
        {
            continue;
        }
        const bool training = point.recipe != RecipeKind::INFERENCE;
        auto times = [&](const DeviceProfile& p) {
            CalibrationPoint q = point;
            Predict(p, q);
            return std::array<double, 2>{q.modelForward, q.modelForwardBackward};
        };
        const auto t0 = times(apply(base));
        std::array<std::array<double, 2>, UNKNOWNS> slopes;
        for (int j = 0; j < UNKNOWNS; ++j)
        {
            std::array<double, UNKNOWNS> u = base;
            u[j] += step[j];
            const auto t = times(apply(u));
            slopes[j] = {(t[0] - t0[0]) / step[j], (t[1] - t0[1]) / step[j]};
        }
        for (int which = 0; which < (training ? 2 : 1); ++which)
        {
            std::array<double, UNKNOWNS> row;
            double rest = t0[which];
            for (int j = 0; j < UNKNOWNS; ++j)
            {
                row[j] = slopes[j][which];
                rest -= row[j] * base[j];
            }
            coefficients.push_back(row);
            constants.push_back(rest);
            measured.push_back(which == 0 ? point.measuredForward : point.measuredForwardBackward);
        }
    }
    const int n = static_cast<int>(measured.size());
    if (n < UNKNOWNS)
    {
        return false;
    }
    // the relative error (rest + a . u) / measured - 1 over the free unknowns, the others held
    // at the given values; columns scaled to unit norm (their magnitudes span many orders)
    auto solve = [&](const std::array<bool, UNKNOWNS>& free, std::array<double, UNKNOWNS>& u) {
        std::vector<int> columns;
        for (int j = 0; j < UNKNOWNS; ++j)
        {
            if (free[j])
            {
                columns.push_back(j);
            }
        }
        const int m = static_cast<int>(columns.size());
        Eigen::MatrixXd a(n, m);
        Eigen::VectorXd b(n);
        for (int i = 0; i < n; ++i)
        {
            double held = constants[i];
            for (int j = 0; j < UNKNOWNS; ++j)
            {
                held += free[j] ? 0.0 : coefficients[i][j] * u[j];
            }
            for (int c = 0; c < m; ++c)
            {
                a(i, c) = coefficients[i][columns[c]] / measured[i];
            }
            b(i) = 1.0 - held / measured[i];
        }
        if (m == 0)
        {
            return b.squaredNorm();
        }
        const Eigen::VectorXd norms = a.colwise().norm();
        if ((norms.array() <= 0).any())
        {
            return std::numeric_limits<double>::infinity();
        }
        for (int c = 0; c < m; ++c)
        {
            a.col(c) /= norms(c);
        }
        const Eigen::VectorXd x = a.colPivHouseholderQr().solve(b);
        for (int c = 0; c < m; ++c)
        {
            u[columns[c]] = x(c) / norms(c);
        }
        return (a * x - b).squaredNorm();
    };
    // The fixed costs may be 0: every subset of them is free, the others 0. The peak and the
    // ratios must stay positive: one that the solution makes non-positive is held at its start
    // value and the rest solved again. The best admissible solution is kept.
    double best = std::numeric_limits<double>::infinity();
    std::array<double, UNKNOWNS> chosen = base;
    constexpr int FIXED_COSTS = UNKNOWNS - FIRST_FIXED_COST;
    for (int mask = 0; mask < (1 << FIXED_COSTS); ++mask)
    {
        std::array<bool, UNKNOWNS> free;
        std::array<double, UNKNOWNS> u = base;
        for (int j = 0; j < UNKNOWNS; ++j)
        {
            free[j] = j < FIRST_FIXED_COST || (mask & (1 << (j - FIRST_FIXED_COST)));
            if (!free[j])
            {
                u[j] = 0;
            }
        }
        double squared = std::numeric_limits<double>::infinity();
        for (int attempt = 0; attempt <= FIRST_FIXED_COST; ++attempt)
        {
            squared = solve(free, u);
            bool held = false;
            for (int j = 0; j < FIRST_FIXED_COST; ++j)
            {
                if (free[j] && !(u[j] > 0))
                {
                    free[j] = false;
                    u[j] = base[j];
                    held = true;
                }
            }
            if (!held)
            {
                break;
            }
        }
        bool admissible = std::isfinite(squared);
        for (int j = 0; j < UNKNOWNS; ++j)
        {
            admissible = admissible && (j < FIRST_FIXED_COST ? u[j] > 0 : u[j] >= 0);
        }
        if (admissible && squared < best && apply(u).Validate().empty())
        {
            best = squared;
            chosen = u;
        }
    }
    if (!std::isfinite(best))
    {
        NS_LOG_WARN("DeviceCalibrator: the bf16 fit gave no valid profile; the micro-benchmarks' "
                    "bf16 terms are kept");
        return false;
    }
    residual = std::sqrt(best / n);
    profile = apply(chosen);
    return true;
}

DeviceProfile
DeviceCalibrator::FitMicrobenchmarkProfile(const std::string& name,
                                           const std::vector<KernelBenchmarkSample>& samples)
{
    double overhead = 0;
    double peak = 0;
    double bandwidth = 0;
    std::array<double, 3> work{0, 0, 0};    // FLOPs (GEMM, attention), bytes (element-wise)
    std::array<double, 3> seconds{0, 0, 0}; // their time without the dispatch overhead
    for (const auto& sample : samples)
    {
        if (sample.name == "dispatch")
        {
            overhead = sample.seconds;
        }
    }
    for (const auto& sample : samples)
    {
        if (sample.name == "dispatch")
        {
            continue;
        }
        // The model adds the overhead to every kernel: the rates are those of the rest.
        const double t = std::max(sample.seconds - overhead, 0.5 * sample.seconds);
        // the two memory-bound classes share the memory rate in fp32
        const auto c = IsMemoryBoundClass(sample.kernelClass)
                           ? static_cast<size_t>(KernelClass::ELEMENTWISE)
                           : static_cast<size_t>(sample.kernelClass);
        if (IsMemoryBoundClass(sample.kernelClass))
        {
            bandwidth = std::max(bandwidth, sample.bytes / t);
            work[c] += sample.bytes;
        }
        else
        {
            peak = std::max(peak, sample.flops / t);
            if (sample.name.rfind("gemm " + std::to_string(PEAK_GEMM_SIZE) + "x", 0) == 0)
            {
                continue; // the peak probe is not a layer shape
            }
            work[c] += sample.flops;
        }
        seconds[c] += t;
    }
    NS_ABORT_MSG_IF(peak <= 0 || bandwidth <= 0,
                    "DeviceCalibrator: the micro-benchmarks measured no rate");
    DeviceProfile profile;
    profile.SetName(name);
    profile.SetPeakFlops(DataType::FP32, peak);
    profile.SetPeakFlops(DataType::FP16, peak);
    profile.SetPeakFlops(DataType::BF16, peak);
    profile.SetEfficiency(std::min(1.0, work[0] / seconds[0] / peak));
    profile.SetAttentionEfficiency(std::min(1.0, work[1] / seconds[1] / peak));
    profile.SetMemoryBandwidth(bandwidth);
    profile.SetMemoryEfficiency(std::min(1.0, work[2] / seconds[2] / bandwidth));
    profile.SetKernelOverhead(overhead);
    // LibTorch's CPU kernels: a GEMM at layer sizes packs its operands, then computes, so its
    // memory and arithmetic time add (the maximum misses the small layers by up to 28%)
    profile.SetComputeMemoryOverlap(false);
    return profile;
}

void
DeviceCalibrator::Measure(const DeviceCalibratorSettings& settings, CalibrationPoint& point)
{
    TorchLayerProbeConfig config;
    config.spec = MakeBlockSpec(point);
    config.recipe = MakeRecipe(point);
    config.dropout = config.recipe.dropout;
    config.batch = point.batch;
    config.sequence = point.sequence;
    config.warmUpRuns = settings.layerWarmUpRuns;
    const double predictedStep = std::max(point.modelForward, point.modelForwardBackward);
    config.repeats = settings.layerRepeats;
    if (predictedStep > 0)
    {
        const double wanted = std::ceil(settings.layerTimedSeconds / predictedStep);
        config.repeats = static_cast<uint32_t>(
            std::clamp(wanted, double(settings.layerRepeats), double(settings.maxLayerRepeats)));
    }
    config.threads = settings.threads;
    config.seed = settings.seed;
    config.threadCpuTime = settings.threadCpuTime && settings.threads == 1;
    const bool inference = point.recipe == RecipeKind::INFERENCE;
    // Single-threaded, the process runs on one core for the whole measurement unless the
    // operating system preempts it: a CPU time well below the wall time means another program
    // took the core, and the measurement is repeated (the fastest is kept).
    TorchLayerMeasurement m;
    for (uint32_t attempt = 0; attempt <= settings.contentionRetries; ++attempt)
    {
        const double cpu0 = ProcessCpuSeconds();
        const auto wall0 = std::chrono::steady_clock::now();
        m = TorchLayerProbe::MeasureBlock(config);
        const double share = (ProcessCpuSeconds() - cpu0) / Since(wall0) / settings.threads;
        const double forward = m.forwardSeconds;
        const double forwardBackward = inference ? 0.0 : m.forwardBackwardSeconds;
        // Keep the fastest measurement: contention on a shared machine only adds time.
        if (point.measurements == 0 ||
            forward + forwardBackward < point.measuredForward + point.measuredForwardBackward)
        {
            point.measuredForward = forward;
            point.measuredForwardBackward = forwardBackward;
            point.measuredForwardAfterStep = inference ? 0.0 : m.forwardAfterStepSeconds;
        }
        ++point.measurements;
        NS_LOG_INFO(point.GetLabel() << ": attempt " << attempt << ", " << config.repeats
                                     << " timed steps, CPU share " << share);
        if (config.threadCpuTime || settings.threads > 1 || share >= settings.minimumCpuShare)
        {
            break;
        }
    }
    point.measuredPeakBytes = inference ? m.inferencePeakBytes : m.stepPeakBytes;
}

void
DeviceCalibrator::GetBlockKernels(const CalibrationPoint& point,
                                  KernelWork& forward,
                                  KernelWork& backward)
{
    const TransformerSpec spec = MakeBlockSpec(point);
    const TrainingRecipe recipe = MakeRecipe(point);
    const uint32_t index = FindEncoderBlock(LayerCostModel::Compute(spec, recipe));
    const auto kernels = LayerKernelModel::Compute(spec, recipe).at(index);
    forward = kernels.forward;
    backward = kernels.backward;
}

bool
DeviceCalibrator::NeedsRemeasurement(const CalibrationPoint& point, double targetError)
{
    const bool slow =
        std::min(point.GetForwardError(), point.GetForwardBackwardError()) < -targetError / 2;
    return point.GetWorstError() > targetError || (slow && point.measurements == 1);
}

void
DeviceCalibrator::Predict(const DeviceProfile& profile, CalibrationPoint& point)
{
    KernelWork forward;
    KernelWork backward;
    GetBlockKernels(point, forward, backward);
    Ptr<KernelComputeModel> model = CreateObject<KernelComputeModel>();
    point.modelForward = model->GetBreakdown(profile, point.dtype, forward).GetTotalSeconds();
    point.modelForwardBackward =
        point.recipe == RecipeKind::INFERENCE
            ? 0.0
            : point.modelForward +
                  model->GetBreakdown(profile, point.dtype, backward).GetTotalSeconds();
    const TransformerSpec spec = MakeBlockSpec(point);
    const auto layers = LayerCostModel::Compute(spec, MakeRecipe(point));
    const uint32_t index = FindEncoderBlock(layers);
    point.modelPeakBytes = SegmentMemory::Compute(layers, index, index, 1).totalBytes;
}

DeviceProfile
DeviceCalibrator::FitToLayers(const DeviceProfile& start,
                              const std::vector<CalibrationPoint>& points,
                              double& residual)
{
    const DataType dtype = DataType::FP32;
    // Start from the profile's rates; re-decide which products are memory-bound each round.
    std::array<double, 3> inverse = {
        1.0 / (start.GetPeakFlops(dtype) * start.GetEfficiency()),
        1.0 / (start.GetPeakFlops(dtype) * start.GetAttentionEfficiency()),
        1.0 / (start.GetMemoryBandwidth() * start.GetMemoryEfficiency())};
    std::array<double, FIT_COLUMNS> solution{inverse[0],
                                             inverse[1],
                                             inverse[2],
                                             start.GetKernelOverhead(),
                                             start.GetAutogradOverhead()};
    residual = 0;
    for (int round = 0; round < FIT_ROUNDS; ++round)
    {
        std::vector<FitRow> rows;
        for (const auto& point : points)
        {
            if (!point.fitted || point.measuredForward <= 0 || point.dtype != dtype)
            {
                continue;
            }
            KernelWork forward;
            KernelWork backward;
            GetBlockKernels(point, forward, backward);
            FitRow row;
            AddToRow(forward, inverse, start.GetComputeMemoryOverlap(), row);
            row.measured = point.measuredForward;
            rows.push_back(row);
            if (point.recipe != RecipeKind::INFERENCE && point.measuredForwardBackward > 0)
            {
                AddToRow(backward, inverse, start.GetComputeMemoryOverlap(), row);
                row.measured = point.measuredForwardBackward;
                rows.push_back(row);
            }
        }
        if (rows.size() < FIT_COLUMNS)
        {
            NS_LOG_WARN("DeviceCalibrator: " << rows.size()
                                             << " rows are too few to fit; profile unchanged");
            return start;
        }
        std::array<double, FIT_COLUMNS> next{0, 0, 0, 0, 0};
        residual = SolveRelativeNnls(rows, next);
        NS_LOG_INFO("fit round " << round << ": " << rows.size() << " rows, GEMM "
                                 << (next[0] > 0 ? 1e-9 / next[0] : 0) << " GFLOP/s, attention "
                                 << (next[1] > 0 ? 1e-9 / next[1] : 0) << " GFLOP/s, memory "
                                 << (next[2] > 0 ? 1e-9 / next[2] : 0) << " GB/s, overhead "
                                 << next[3] * 1e6 << " us, rms " << residual);
        solution = next;
        for (int c = 0; c < 3; ++c)
        {
            // A rate the fit drops (0: no time) keeps the start's value for the bound decision.
            if (next[c] > 0)
            {
                inverse[c] = next[c];
            }
        }
    }

    // The linear fit decides the bounds once per round; polish the four values on the model's
    // own max() form by golden-section search, one coordinate at a time, in log space. A value
    // the linear fit dropped (0: no time) starts from the start profile's.
    const std::array<double, FIT_COLUMNS> fallback = {
        1.0 / (start.GetPeakFlops(dtype) * start.GetEfficiency()),
        1.0 / (start.GetPeakFlops(dtype) * start.GetAttentionEfficiency()),
        1.0 / (start.GetMemoryBandwidth() * start.GetMemoryEfficiency()),
        std::max(start.GetKernelOverhead(), 1e-7),
        std::max(start.GetKernelOverhead(), 1e-7)};
    std::array<double, FIT_COLUMNS> logValues{};
    for (int c = 0; c < FIT_COLUMNS; ++c)
    {
        logValues[c] = std::log(solution[c] > 0 ? solution[c] : fallback[c]);
    }
    std::vector<std::pair<KernelWork, double>> works; // (kernels, measured seconds)
    for (const auto& point : points)
    {
        if (!point.fitted || point.measuredForward <= 0 || point.dtype != dtype)
        {
            continue;
        }
        KernelWork forward;
        KernelWork backward;
        GetBlockKernels(point, forward, backward);
        works.emplace_back(forward, point.measuredForward);
        if (point.recipe != RecipeKind::INFERENCE && point.measuredForwardBackward > 0)
        {
            forward.Append(backward);
            works.emplace_back(forward, point.measuredForwardBackward);
        }
    }
    const bool overlap = start.GetComputeMemoryOverlap();
    auto objective = [&works, overlap](const std::array<double, FIT_COLUMNS>& logs) {
        const double gemm = std::exp(logs[0]);
        const double attention = std::exp(logs[1]);
        const double memory = std::exp(logs[2]);
        const double overhead = std::exp(logs[3]);
        const double autograd = std::exp(logs[4]);
        double sum = 0;
        for (const auto& [work, measured] : works)
        {
            double t = 0;
            for (const auto& kernel : work.GetKernels())
            {
                const double arithmetic =
                    kernel.kernelClass == KernelClass::GEMM
                        ? kernel.flops * gemm
                        : (kernel.kernelClass == KernelClass::ATTENTION ? kernel.flops * attention
                                                                        : 0.0);
                const double traffic = kernel.bytes * memory;
                t += kernel.count *
                     ((overlap ? std::max(arithmetic, traffic) : arithmetic + traffic) + overhead +
                      (kernel.autograd ? autograd : 0.0));
            }
            sum += std::pow((t - measured) / measured, 2);
        }
        return std::sqrt(sum / std::max<size_t>(works.size(), 1));
    };
    const double golden = (std::sqrt(5.0) - 1) / 2;
    for (int sweep = 0; sweep < POLISH_SWEEPS; ++sweep)
    {
        for (int c = 0; c < FIT_COLUMNS; ++c)
        {
            // No rate above the best one measured: efficiencies stay within (0, 1].
            const double floor = c >= 3 ? -std::numeric_limits<double>::infinity()
                                        : std::log(c == 2 ? 1.0 / start.GetMemoryBandwidth()
                                                          : 1.0 / start.GetPeakFlops(dtype));
            logValues[c] = std::max(logValues[c], floor);
            double lo = std::max(logValues[c] - POLISH_LOG_RANGE, floor);
            double hi = logValues[c] + POLISH_LOG_RANGE;
            auto at = [&](double v) {
                auto trial = logValues;
                trial[c] = v;
                return objective(trial);
            };
            double x1 = hi - golden * (hi - lo);
            double x2 = lo + golden * (hi - lo);
            double f1 = at(x1);
            double f2 = at(x2);
            for (int i = 0; i < POLISH_STEPS; ++i)
            {
                if (f1 < f2)
                {
                    hi = x2;
                    x2 = x1;
                    f2 = f1;
                    x1 = hi - golden * (hi - lo);
                    f1 = at(x1);
                }
                else
                {
                    lo = x1;
                    x1 = x2;
                    f1 = f2;
                    x2 = lo + golden * (hi - lo);
                    f2 = at(x2);
                }
            }
            const double candidate = 0.5 * (lo + hi);
            if (at(candidate) < objective(logValues))
            {
                logValues[c] = candidate;
            }
        }
    }
    residual = objective(logValues);
    for (int c = 0; c < FIT_COLUMNS; ++c)
    {
        solution[c] = std::exp(logValues[c]);
    }
    NS_LOG_INFO("polished: GEMM " << 1e-9 / solution[0] << " GFLOP/s, attention "
                                  << 1e-9 / solution[1] << " GFLOP/s, memory " << 1e-9 / solution[2]
                                  << " GB/s, overhead " << solution[3] * 1e6 << " us, autograd "
                                  << solution[4] * 1e6 << " us, rms " << residual);

    auto rateOr = [](double inverseRate, double fallbackRate) {
        return inverseRate > 0 ? 1.0 / inverseRate : fallbackRate;
    };
    const double gemmRate = rateOr(solution[0], start.GetPeakFlops(dtype) * start.GetEfficiency());
    const double attentionRate =
        rateOr(solution[1], start.GetPeakFlops(dtype) * start.GetAttentionEfficiency());
    const double memoryRate =
        rateOr(solution[2], start.GetMemoryBandwidth() * start.GetMemoryEfficiency());
    const double peak = std::max({start.GetPeakFlops(dtype), gemmRate, attentionRate});
    const double bandwidth = std::max(start.GetMemoryBandwidth(), memoryRate);
    DeviceProfile profile = start;
    profile.SetPeakFlops(DataType::FP32, peak);
    profile.SetPeakFlops(DataType::FP16, peak);
    profile.SetPeakFlops(DataType::BF16, peak);
    profile.SetEfficiency(gemmRate / peak);
    profile.SetAttentionEfficiency(attentionRate / peak);
    profile.SetMemoryBandwidth(bandwidth);
    profile.SetMemoryEfficiency(memoryRate / bandwidth);
    profile.SetKernelOverhead(solution[3]);
    profile.SetAutogradOverhead(solution[4]);
    return profile;
}

DeviceCalibration
DeviceCalibrator::Calibrate(const DeviceCalibratorSettings& settings, std::ostream& log)
{
    const std::string problem = Validate(settings);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("DeviceCalibrator: " << problem);
    }
    const auto start = std::chrono::steady_clock::now();
    DeviceCalibration calibration;
    calibration.cpuModel = GetCpuModel();
    calibration.torchVersion = GetTorchVersion();
    calibration.date = TodayUtc();
    calibration.threads = settings.threads;
    const uint64_t reserveBytes = ReadProcKilobytes("/proc/self/status", "VmRSS");
    const uint64_t memoryBytes = ReadProcKilobytes("/proc/meminfo", "MemTotal");

    std::vector<CalibrationPoint> points;
    MakeGrid(settings.grid, DataType::FP32, points);

    std::optional<CpuAffinityGuard> pin;
    if (settings.pinToOneCpu && settings.threads == 1)
    {
        pin.emplace();
    }
    log << "stage 1: kernel micro-benchmarks (" << settings.threads << " thread"
        << (settings.threads > 1 ? "s" : "");
    if (pin && pin->IsPinned())
    {
        calibration.pinnedCpu = pin->GetCpu();
        log << ", on CPU " << pin->GetCpu();
    }
    log << ")" << std::endl;
    calibration.samples = RunMicrobenchmarks(settings, DataType::FP32, points);
    DeviceProfile profile = FitMicrobenchmarkProfile(settings.name, calibration.samples);
    const double fp32Peak = profile.GetPeakFlops(DataType::FP32);
    if (std::find(settings.dtypes.begin(), settings.dtypes.end(), DataType::BF16) !=
        settings.dtypes.end())
    {
        auto bf16 = RunMicrobenchmarks(settings, DataType::BF16, points);
        for (const auto& sample : bf16)
        {
            if (sample.kernelClass == KernelClass::GEMM)
            {
                calibration.measuredBf16GemmFlops =
                    std::max(calibration.measuredBf16GemmFlops, sample.GetRate());
            }
        }
        calibration.samples.insert(calibration.samples.end(), bf16.begin(), bf16.end());
        FitBf16Terms(calibration.samples, calibration);
        log << "  bf16: element-wise kernels take " << calibration.bf16ElementwiseTimeRatio
            << " of their fp32 time, LayerNorm " << calibration.bf16NormalizationTimeRatio
            << " (summed; 0.5 would be native 16-bit arithmetic)" << std::endl;
        log << "  bf16: best GEMM " << calibration.measuredBf16GemmFlops / 1e9
            << " GFLOP/s vs fp32 " << fp32Peak / 1e9 << " GFLOP/s; per FLOP the layers' GEMMs "
            << "run " << calibration.bf16GemmRateRatio << " times their fp32 rate (the bf16 "
            << "peak is the fp32 peak times that), each matrix product costs "
            << 1e6 * calibration.bf16MatmulOverhead << " us more than in fp32" << std::endl;
    }
    SetBf16Terms(calibration, profile);
    // Placeholders for what a micro-benchmark cannot measure; the tool overrides them.
    profile.SetDescription("calibrated CPU");
    profile.SetMemoryBytes(memoryBytes > 0 ? memoryBytes : uint64_t(BYTES_PER_GIB));
    profile.SetRuntimeReserveBytes(std::min(reserveBytes, profile.GetMemoryBytes() / 2));
    profile.SetBusyPower(1);
    profile.SetIdlePower(0);
    profile.SetMaxTxPowerDbm(20);
    calibration.microbenchmarkProfile = profile;
    log << "  " << profile << std::endl;

    if (settings.validate)
    {
        log << "stage 3: " << points.size() << " encoder blocks of grid '" << settings.grid
            << "' measured with TorchLayerProbe" << std::endl;
        for (auto& point : points)
        {
            const auto pointStart = std::chrono::steady_clock::now();
            const auto flags = log.flags();
            Predict(calibration.microbenchmarkProfile, point);
            Measure(settings, point);
            log << "  " << std::left << std::setw(42) << point.GetLabel() << std::right
                << std::fixed << std::setprecision(2) << std::setw(9) << 1e3 * point.measuredForward
                << " ms fwd" << std::setw(9) << 1e3 * point.measuredForwardBackward
                << " ms fwd+bwd, " << point.measurements << " measurement(s), " << Since(pointStart)
                << " s" << std::endl;
            log.flags(flags);
            point.microbenchmarkForward = point.modelForward;
            point.microbenchmarkForwardBackward = point.modelForwardBackward;
        }
        // Up to settings.remeasurements rounds: the points NeedsRemeasurement() picks under the
        // current profile are measured again (the fastest measurement is kept) and the fit
        // repeated. Without the slow points' second chance, whole shapes measured in a slow
        // spell of the host pulled the fit and left the others above the target.
        auto remeasure = [&](std::vector<CalibrationPoint>& measured,
                             const std::string& which,
                             const std::function<void()>& refit) {
            for (uint32_t round = 0; round < settings.remeasurements; ++round)
            {
                uint32_t remeasured = 0;
                for (auto& point : measured)
                {
                    Predict(profile, point);
                    if (NeedsRemeasurement(point, settings.targetError))
                    {
                        Measure(settings, point);
                        ++remeasured;
                    }
                }
                if (remeasured == 0)
                {
                    break;
                }
                log << "  re-measured " << remeasured << " " << which << "points above "
                    << 100 * settings.targetError << "% error or " << 50 * settings.targetError
                    << "% slower than the model" << std::endl;
                refit();
            }
        };
        double residual = 0;
        auto fitFp32 = [&] {
            profile = FitToLayers(calibration.microbenchmarkProfile, points, residual);
        };
        fitFp32();
        remeasure(points, "", fitFp32);
        calibration.layerFitResidual = residual;
        SetBf16Terms(calibration, profile);
        if (std::find(settings.dtypes.begin(), settings.dtypes.end(), DataType::BF16) !=
            settings.dtypes.end())
        {
            // bf16: the fp32 fit stays; the five bf16 terms, started from the micro-benchmarks,
            // are fitted to half of the bf16 blocks, the other half held out
            std::vector<CalibrationPoint> bf16Points;
            MakeGrid(settings.grid, DataType::BF16, bf16Points);
            log << "stage 4: " << bf16Points.size() << " bf16 encoder blocks, half of them fitted"
                << std::endl;
            for (auto& point : bf16Points)
            {
                Predict(profile, point);
                Measure(settings, point);
                log << "  " << point.GetLabel() << ": " << 1e3 * point.measuredForward
                    << " ms fwd, " << 1e3 * point.measuredForwardBackward << " ms fwd+bwd"
                    << std::endl;
            }
            const DeviceProfile fp32Fit = profile;
            double bf16Residual = 0;
            bool bf16Fitted = false;
            auto fitBf16 = [&] {
                bf16Fitted = FitBf16ToLayers(fp32Fit, bf16Points, profile, bf16Residual);
            };
            fitBf16();
            remeasure(bf16Points, "bf16 ", fitBf16);
            calibration.bf16LayerFitResidual = bf16Residual;
            calibration.bf16LayerFitted = bf16Fitted;
            log << "  bf16 fit: peak " << profile.GetPeakFlops(DataType::BF16) / 1e9
                << " GFLOP/s, element-wise ratio " << profile.GetElementwise16BitTimeRatio()
                << ", normalization ratio " << profile.GetNormalization16BitTimeRatio()
                << ", matrix-product fixed cost " << 1e6 * profile.GetMatmul16BitOverhead()
                << " us, autograd fixed cost " << 1e6 * profile.GetAutograd16BitOverhead()
                << " us, residual (rms) " << 100 * bf16Residual << "%" << std::endl;
            points.insert(points.end(), bf16Points.begin(), bf16Points.end());
        }
        for (auto& point : points)
        {
            Predict(calibration.microbenchmarkProfile, point);
            point.microbenchmarkForward = point.modelForward;
            point.microbenchmarkForwardBackward = point.modelForwardBackward;
            Predict(profile, point);
        }
        calibration.points = points;
    }
    else
    {
        SetBf16Terms(calibration, profile);
    }
    calibration.profile = profile;
    calibration.seconds = Since(start);
    return calibration;
}

std::string
DeviceCalibrator::CheckOutputFile(const std::string& path)
{
    if (path.empty())
    {
        return "outputFile='' is invalid: give the path of the devices file to write";
    }
    std::error_code error;
    const std::filesystem::path file(path);
    if (file.has_parent_path())
    {
        std::filesystem::create_directories(file.parent_path(), error);
        if (error)
        {
            return "outputFile='" + path + "' cannot be written: its folder cannot be created (" +
                   error.message() + ")";
        }
    }
    const bool existed = std::filesystem::exists(file, error);
    {
        std::ofstream probe(path, std::ios::app);
        if (!probe.is_open())
        {
            return "outputFile='" + path + "' cannot be written";
        }
    }
    if (!existed)
    {
        std::filesystem::remove(file, error);
    }
    return "";
}

std::string
DeviceCalibrator::SetUnmeasuredFields(DeviceCalibration& calibration,
                                      const std::string& description,
                                      double busyPowerW,
                                      double idlePowerW,
                                      double maxTxPowerDbm)
{
    DeviceProfile& profile = calibration.profile;
    profile.SetDescription(description.empty()
                               ? calibration.cpuModel + " (" + std::to_string(calibration.threads) +
                                     " thread(s), LibTorch " + calibration.torchVersion + ")"
                               : description);
    profile.SetBusyPower(busyPowerW);
    profile.SetIdlePower(idlePowerW);
    profile.SetMaxTxPowerDbm(maxTxPowerDbm);
    const std::string notMeasured = "not measured by edge-llm-calibrate (it cannot measure ";
    profile.SetSource("busy_power_w",
                      notMeasured + "power): given with --busyPowerW (default 15 W, a "
                                    "placeholder); replace with a measurement");
    profile.SetSource("idle_power_w",
                      notMeasured + "power): given with --idlePowerW (default 5 W, a "
                                    "placeholder); replace with a measurement");
    profile.SetSource("max_tx_power_dbm",
                      notMeasured + "a radio): given with --maxTxPowerDbm (default 20 dBm, a "
                                    "placeholder for a Wi-Fi client)");
    return profile.Validate();
}

std::string
DeviceCalibrator::WriteOutputs(const DeviceCalibration& calibration, const std::string& path)
{
    std::string problem = WriteDevicesFile(calibration, path);
    if (problem.empty())
    {
        DeviceCatalog catalog;
        problem = catalog.LoadFile(path);
    }
    if (problem.empty() && !calibration.points.empty())
    {
        problem = WriteValidationCsv(calibration, SiblingPath(path, ".validation.csv"));
    }
    if (problem.empty())
    {
        problem = WriteMicrobenchmarksCsv(calibration, SiblingPath(path, ".microbenchmarks.csv"));
    }
    return problem;
}

void
DeviceCalibrator::PrintSummary(const DeviceCalibration& calibration,
                               double targetError,
                               std::ostream& os)
{
    for (const auto& [label, p] :
         {std::make_pair("micro-benchmark profile", &calibration.microbenchmarkProfile),
          std::make_pair("fitted profile", &calibration.profile)})
    {
        os << label << ": peak " << p->GetPeakFlops(DataType::FP32) / 1e9
           << " GFLOP/s (fp32), GEMM efficiency " << p->GetEfficiency() << ", attention "
           << p->GetAttentionEfficiency() << ", memory " << p->GetMemoryEfficiency() << " of "
           << p->GetMemoryBandwidth() / 1e9 << " GB/s, kernel overhead "
           << p->GetKernelOverhead() * 1e6 << " us, autograd overhead "
           << p->GetAutogradOverhead() * 1e6 << " us\n";
    }
    if (calibration.points.empty())
    {
        return;
    }
    os << "\n";
    PrintValidation(calibration, os);
    for (DataType dtype : {DataType::FP32, DataType::BF16})
    {
        double worst = -1;
        for (const auto& point : calibration.points)
        {
            if (point.dtype == dtype)
            {
                worst = std::max(worst, point.GetWorstError());
            }
        }
        if (worst < 0)
        {
            continue;
        }
        os << DataTypeToString(dtype) << ": largest error " << 100 * worst << "% ("
           << (worst <= targetError ? "within" : "ABOVE") << " the " << 100 * targetError
           << "% target)";
        if (dtype == DataType::FP32)
        {
            os << "; fit residual (rms) " << 100 * calibration.layerFitResidual << "%";
        }
        else if (calibration.bf16LayerFitted)
        {
            os << "; bf16 terms fitted to half the bf16 blocks, residual (rms) "
               << 100 * calibration.bf16LayerFitResidual << "%";
        }
        else
        {
            os << "; bf16 terms from the micro-benchmarks (not fitted)";
        }
        os << "\n";
        // What the timed runs leave out (TorchLayerProbe: no optimizer step between them).
        std::vector<double> slowdowns;
        for (const auto& point : calibration.points)
        {
            if (point.dtype == dtype && point.measuredForwardAfterStep > 0 &&
                point.measuredForward > 0)
            {
                slowdowns.push_back(point.measuredForwardAfterStep / point.measuredForward - 1);
            }
        }
        if (!slowdowns.empty())
        {
            os << "  " << DataTypeToString(dtype)
               << ": a forward right after an optimizer step (one run per training block, not "
                  "modelled: once per round) is "
               << std::showpos << 100 * TorchLayerProbe::Median(slowdowns) << "% (median), "
               << 100 * *std::max_element(slowdowns.begin(), slowdowns.end()) << "% (largest)"
               << std::noshowpos << "\n";
        }
    }
}

std::string
DeviceCalibrator::GetCpuModel()
{
    const std::string model = ReadProcField("/proc/cpuinfo", "model name");
    return model.empty() ? "unknown CPU" : model;
}

std::string
DeviceCalibrator::GetTorchVersion()
{
    return TORCH_VERSION;
}

std::string
DeviceCalibrator::WriteDevicesFile(const DeviceCalibration& calibration, const std::string& path)
{
    using nlohmann::ordered_json;
    const DeviceProfile& p = calibration.profile;
    std::ostringstream measured;
    measured << "measured by edge-llm-calibrate on " << calibration.cpuModel << ", LibTorch "
             << calibration.torchVersion << ", " << calibration.date << ", " << calibration.threads
             << " thread" << (calibration.threads > 1 ? "s" : "");
    const std::string by = measured.str();
    const bool fitted = !calibration.points.empty();
    const std::string fit =
        fitted ? ": least-squares fit of KernelComputeModel to the encoder blocks of the "
                 "validation grid (fitted half), started from the micro-benchmarks"
               : ": kernel micro-benchmarks only";
    const std::string bf16Fit =
        ": least-squares fit of KernelComputeModel's bf16 terms (peak, element-wise and "
        "normalization ratios, matrix-product and autograd fixed costs) to the bf16 encoder "
        "blocks of the "
        "validation grid (fitted half), the fp32 terms fixed, started from the bf16 "
        "micro-benchmarks";
    ordered_json device;
    device["name"] = p.GetName();
    device["description"] = p.GetDescription();
    std::ostringstream notes;
    notes << "CPU through LibTorch, " << calibration.threads << " thread"
          << (calibration.threads > 1 ? "s" : "")
          << ". peak = best GEMM rate measured (not the FMA peak). fp16: LibTorch has no CPU "
             "fp16 kernels, the fp32 rate is given. bf16: ";
    if (calibration.measuredBf16GemmFlops > 0)
    {
        notes << "best GEMM " << std::setprecision(3) << calibration.measuredBf16GemmFlops / 1e9
              << " GFLOP/s; the layer-shaped GEMMs gain " << calibration.bf16GemmRateRatio
              << " times per FLOP over fp32, and the peak given is "
              << (calibration.bf16LayerFitted
                      ? "fitted to the bf16 blocks, started from the fp32 peak times that"
                      : "the fp32 peak times that");
    }
    else
    {
        notes << "not benchmarked, the fp32 rate is given";
    }
    notes << ". Power and radio figures are not measured.";
    if (!p.GetNotes().empty())
    {
        notes << " " << p.GetNotes();
    }
    device["notes"] = notes.str();
    auto tflops = [](double flops) { return flops / 1e12; };
    device["peak_tflops"] = {{"fp32", tflops(p.GetPeakFlops(DataType::FP32))},
                             {"fp16", tflops(p.GetPeakFlops(DataType::FP16))},
                             {"bf16", tflops(p.GetPeakFlops(DataType::BF16))}};
    device["efficiency"] = p.GetEfficiency();
    device["attention_efficiency"] = p.GetAttentionEfficiency();
    device["memory_efficiency"] = p.GetMemoryEfficiency();
    device["kernel_overhead_us"] = p.GetKernelOverhead() * 1e6;
    device["autograd_overhead_us"] = p.GetAutogradOverhead() * 1e6;
    device["overlap_compute_and_memory"] = p.GetComputeMemoryOverlap();
    device["elementwise_16bit_time_ratio"] = p.GetElementwise16BitTimeRatio();
    device["normalization_16bit_time_ratio"] = p.GetNormalization16BitTimeRatio();
    device["matmul_16bit_overhead_us"] = p.GetMatmul16BitOverhead() * 1e6;
    device["autograd_16bit_overhead_us"] = p.GetAutograd16BitOverhead() * 1e6;
    device["runtime_reserve_gib"] = p.GetRuntimeReserveBytes() / BYTES_PER_GIB;
    device["memory_gib"] = p.GetMemoryBytes() / BYTES_PER_GIB;
    device["memory_bandwidth_gb_per_s"] = p.GetMemoryBandwidth() / 1e9;
    device["busy_power_w"] = p.GetBusyPower();
    device["idle_power_w"] = p.GetIdlePower();
    device["max_tx_power_dbm"] = p.GetMaxTxPowerDbm();
    auto source = [&](const std::string& field, const std::string& fallback) {
        const std::string given = p.GetSource(field);
        return given.empty() ? fallback : given;
    };
    device["sources"] = {
        {"peak_tflops",
         by + ": the best rate of the GEMM micro-benchmarks (torch::mm, layer shapes and " +
             std::to_string(PEAK_GEMM_SIZE) + "^3)" +
             (fitted ? ", raised to the fitted GEMM rate if that is higher" : "") +
             "; bf16: see the notes"},
        {"efficiency", by + fit + " (GEMM class)"},
        {"attention_efficiency", by + fit + " (batched-matmul class, torch::bmm)"},
        {"memory_efficiency",
         by + fit + " (element-wise and normalization classes: add, GELU, softmax, LayerNorm)"},
        {"kernel_overhead_us",
         by + (fitted ? ": least-squares fit of the per-kernel term to the encoder blocks"
                      : ": dispatch micro-benchmark (one-element add, 100 calls per sample)")},
        {"autograd_overhead_us",
         by + (fitted ? ": least-squares fit of the per-kernel term of the kernels autograd "
                        "records or runs (training forwards, backwards) to the encoder blocks"
                      : ": not measured by the micro-benchmarks (0)")},
        {"overlap_compute_and_memory",
         by + ": a CPU (LibTorch's CPU kernels); fitted with the additive form, which fits the "
              "measured layers where the maximum misses the small ones"},
        {"elementwise_16bit_time_ratio",
         calibration.bf16LayerFitted ? by + bf16Fit
         : calibration.bf16ElementwiseTimeRatio > 0
             ? by + ": summed time of the bf16 element-wise micro-benchmarks over their fp32 "
                    "twins (native 16-bit arithmetic on half the bytes would be 0.5)"
             : std::string("not measured (run with --dtype=fp32,bf16): 1, LibTorch's CPU "
                           "element-wise kernels convert 16-bit elements to fp32 and back")},
        {"normalization_16bit_time_ratio",
         calibration.bf16LayerFitted ? by + bf16Fit
         : calibration.bf16NormalizationTimeRatio > 0
             ? by + ": summed time of the bf16 LayerNorm micro-benchmarks over their fp32 twins"
             : std::string("not measured (run with --dtype=fp32,bf16): 1, as the element-wise "
                           "kernels")},
        {"matmul_16bit_overhead_us",
         calibration.bf16LayerFitted ? by + bf16Fit
         : calibration.bf16GemmRateRatio > 0
             ? by + ": fixed cost per call of the bf16 GEMM and batched-matmul micro-benchmarks "
                    "over the fp32 one, each fitted as fixed cost + FLOPs / rate by least "
                    "squares on the relative error"
             : std::string("not measured (run with --dtype=fp32,bf16): 0")},
        {"autograd_16bit_overhead_us",
         calibration.bf16LayerFitted
             ? by + bf16Fit
             : std::string("not measured (it needs the bf16 blocks: run with "
                           "--dtype=fp32,bf16 and --validate=true): 0")},
        {"runtime_reserve_gib",
         by + ": resident set size (VmRSS, /proc/self/status) of the calibration process with "
              "LibTorch loaded, before any benchmark tensor"},
        {"memory_gib", by + ": MemTotal of /proc/meminfo"},
        {"memory_bandwidth_gb_per_s",
         by + ": the best rate of the element-wise micro-benchmarks (bytes read and written per "
              "second; an achieved rate, not the DRAM peak)"},
        {"busy_power_w",
         source("busy_power_w",
                "not measured: edge-llm-calibrate cannot measure power; placeholder, replace")},
        {"idle_power_w",
         source("idle_power_w",
                "not measured: edge-llm-calibrate cannot measure power; placeholder, replace")},
        {"max_tx_power_dbm",
         source("max_tx_power_dbm",
                "not measured: edge-llm-calibrate cannot measure a radio; placeholder, replace")}};
    ordered_json document;
    document["description"] = "edge-llm device calibrated by edge-llm-calibrate on " +
                              calibration.cpuModel + ", LibTorch " + calibration.torchVersion +
                              ", " + calibration.date +
                              " (same format and units as data/devices.json)";
    document["devices"] = ordered_json::array({device});
    std::ofstream out(path);
    if (!out.is_open())
    {
        return "outputFile='" + path + "' cannot be written";
    }
    out << document.dump(2) << "\n";
    return out.good() ? "" : "outputFile='" + path + "' cannot be written";
}

std::string
DeviceCalibrator::WriteValidationCsv(const DeviceCalibration& calibration, const std::string& path)
{
    std::ofstream out(path);
    if (!out.is_open())
    {
        return "validation file '" + path + "' cannot be written";
    }
    out << "model,hidden,heads,ffn,batch,sequence,recipe,dtype,subset,measurements,"
           "measured_forward_s,model_forward_s,forward_error,measured_forward_backward_s,"
           "model_forward_backward_s,forward_backward_error,microbenchmark_forward_error,"
           "microbenchmark_forward_backward_error,measured_peak_bytes,model_peak_bytes,"
           "memory_ratio,forward_gemm_flops,forward_attention_flops,forward_elementwise_bytes,"
           "forward_matmul_bytes,forward_launches,backward_gemm_flops,backward_attention_flops,"
           "backward_elementwise_bytes,backward_matmul_bytes,backward_launches,"
           "measured_forward_after_step_s\n";
    out << std::setprecision(6);
    for (const auto& p : calibration.points)
    {
        out << p.model << "," << p.hidden << "," << p.heads << "," << p.ffn << "," << p.batch << ","
            << p.sequence << "," << RecipeKindToString(p.recipe) << "," << DataTypeToString(p.dtype)
            << "," << (p.fitted ? "fitted" : "held-out") << "," << p.measurements << ","
            << p.measuredForward << "," << p.modelForward << "," << p.GetForwardError() << ","
            << p.measuredForwardBackward << "," << p.modelForwardBackward << ","
            << p.GetForwardBackwardError() << ","
            << RelativeError(p.microbenchmarkForward, p.measuredForward) << ","
            << RelativeError(p.microbenchmarkForwardBackward, p.measuredForwardBackward) << ","
            << p.measuredPeakBytes << "," << p.modelPeakBytes << "," << p.GetMemoryRatio();
        KernelWork forward;
        KernelWork backward;
        GetBlockKernels(p, forward, backward);
        for (const KernelWork* work : {&forward, &backward})
        {
            double elementwiseBytes = 0;
            double matmulBytes = 0;
            for (const auto& kernel : work->GetKernels())
            {
                (IsMemoryBoundClass(kernel.kernelClass) ? elementwiseBytes : matmulBytes) +=
                    kernel.bytes * kernel.count;
            }
            out << "," << work->GetClassFlops(KernelClass::GEMM) << ","
                << work->GetClassFlops(KernelClass::ATTENTION) << "," << elementwiseBytes << ","
                << matmulBytes << "," << work->GetLaunchCount();
        }
        out << "," << p.measuredForwardAfterStep << "\n";
    }
    return out.good() ? "" : "validation file '" + path + "' cannot be written";
}

std::string
DeviceCalibrator::WriteMicrobenchmarksCsv(const DeviceCalibration& calibration,
                                          const std::string& path)
{
    std::ofstream out(path);
    if (!out.is_open())
    {
        return "micro-benchmark file '" + path + "' cannot be written";
    }
    out << "kernel,class,dtype,flops,bytes,seconds,rate\n" << std::setprecision(6);
    for (const auto& s : calibration.samples)
    {
        out << s.name << "," << KernelClassToString(s.kernelClass) << ","
            << DataTypeToString(s.dtype) << "," << s.flops << "," << s.bytes << "," << s.seconds
            << "," << s.GetRate() << "\n";
    }
    return out.good() ? "" : "micro-benchmark file '" + path + "' cannot be written";
}

void
DeviceCalibrator::PrintValidation(const DeviceCalibration& calibration, std::ostream& os)
{
    const auto flags = os.flags();
    os << std::left << std::setw(40) << "point" << std::right << std::setw(9) << "subset"
       << std::setw(11) << "fwd ms" << std::setw(11) << "model" << std::setw(9) << "error"
       << std::setw(12) << "fwd+bwd ms" << std::setw(11) << "model" << std::setw(9) << "error"
       << std::setw(11) << "peak MiB" << std::setw(10) << "model" << std::setw(8) << "ratio"
       << "\n";
    for (const auto& p : calibration.points)
    {
        os << std::left << std::setw(40) << p.GetLabel() << std::right << std::setw(9)
           << (p.fitted ? "fit" : "held") << std::fixed << std::setprecision(2) << std::setw(11)
           << 1e3 * p.measuredForward << std::setw(11) << 1e3 * p.modelForward << std::setw(9)
           << Percent(p.GetForwardError());
        if (p.recipe == RecipeKind::INFERENCE)
        {
            os << std::setw(12) << "-" << std::setw(11) << "-" << std::setw(9) << "-";
        }
        else
        {
            os << std::setw(12) << 1e3 * p.measuredForwardBackward << std::setw(11)
               << 1e3 * p.modelForwardBackward << std::setw(9)
               << Percent(p.GetForwardBackwardError());
        }
        os << std::setw(11) << std::setprecision(1) << p.measuredPeakBytes / 1048576.0
           << std::setw(10) << p.modelPeakBytes / 1048576.0 << std::setw(8) << std::setprecision(2)
           << p.GetMemoryRatio() << "\n";
    }
    // Summary per recipe: max |error| and median error (sign: + the model is slower).
    os << "\nsummary (error = (model - measured) / measured; held-out points only in brackets)\n"
       << std::left << std::setw(19) << "recipe" << std::right << std::setw(12) << "fwd max"
       << std::setw(12) << "fwd median" << std::setw(14) << "f+b max" << std::setw(13)
       << "f+b median" << std::setw(22) << "memory ratio min..max"
       << "\n";
    for (const auto& [dtype, recipe] : SummaryRows())
    {
        std::vector<double> forward;
        std::vector<double> both;
        double forwardMax = 0;
        double bothMax = 0;
        double heldForwardMax = 0;
        double heldBothMax = 0;
        double memoryMin = std::numeric_limits<double>::infinity();
        double memoryMax = 0;
        for (const auto& p : calibration.points)
        {
            if (p.recipe != recipe || p.dtype != dtype)
            {
                continue;
            }
            forward.push_back(p.GetForwardError());
            forwardMax = std::max(forwardMax, std::abs(p.GetForwardError()));
            memoryMin = std::min(memoryMin, p.GetMemoryRatio());
            memoryMax = std::max(memoryMax, p.GetMemoryRatio());
            if (!p.fitted)
            {
                heldForwardMax = std::max(heldForwardMax, std::abs(p.GetForwardError()));
            }
            if (recipe != RecipeKind::INFERENCE)
            {
                both.push_back(p.GetForwardBackwardError());
                bothMax = std::max(bothMax, std::abs(p.GetForwardBackwardError()));
                if (!p.fitted)
                {
                    heldBothMax = std::max(heldBothMax, std::abs(p.GetForwardBackwardError()));
                }
            }
        }
        if (forward.empty())
        {
            continue;
        }
        std::ostringstream fwdMax;
        fwdMax << std::fixed << std::setprecision(1) << 100 * forwardMax << "% ("
               << 100 * heldForwardMax << ")";
        const std::string label =
            RecipeKindToString(recipe) +
            (dtype == DataType::FP32 ? std::string() : " " + DataTypeToString(dtype));
        os << std::left << std::setw(19) << label << std::right << std::setw(12) << fwdMax.str()
           << std::setw(12) << Percent(TorchLayerProbe::Median(forward));
        if (both.empty())
        {
            os << std::setw(14) << "-" << std::setw(13) << "-";
        }
        else
        {
            std::ostringstream bMax;
            bMax << std::fixed << std::setprecision(1) << 100 * bothMax << "% ("
                 << 100 * heldBothMax << ")";
            os << std::setw(14) << bMax.str() << std::setw(13)
               << Percent(TorchLayerProbe::Median(both));
        }
        std::ostringstream memory;
        memory << std::fixed << std::setprecision(2) << memoryMin << ".." << memoryMax;
        os << std::setw(22) << memory.str() << "\n";
    }
    os.flags(flags);
}

} // namespace edgellm
} // namespace ns3
