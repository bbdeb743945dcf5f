/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_DEVICE_CALIBRATOR_H
#define EDGE_LLM_DEVICE_CALIBRATOR_H

#include "ns3/data-type.h"
#include "ns3/device-profile.h"
#include "ns3/kernel-work.h"
#include "ns3/training-recipe.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief How DeviceCalibrator measures and fits.
 */
struct DeviceCalibratorSettings
{
    std::string name = "host-cpu"; //!< device name of the fitted profile (DeviceProfile rules)
    std::string grid = "quick";    //!< validation grid: "quick", "full" or "test"
    std::vector<DataType> dtypes{DataType::FP32}; //!< data types to benchmark (fp32, bf16)
    uint32_t threads = 1;          //!< LibTorch and OpenBLAS threads of every measurement
    uint32_t kernelWarmUpRuns = 2; //!< untimed calls before each micro-benchmark
    uint32_t kernelRepeats = 5;    //!< timed calls of each micro-benchmark (median)
    /// untimed steps before each block's timed steps, beyond the two steps of TorchLayerProbe's
    /// memory run, which already precede them
    uint32_t layerWarmUpRuns = 0;
    uint32_t layerRepeats = 3; //!< fewest timed steps of each block measurement (median)
    /// timed seconds each block measurement aims at: a small block gets more timed steps (up
    /// to maxLayerRepeats), from the step time the current profile predicts
    double layerTimedSeconds = 0.25;
    uint32_t maxLayerRepeats = 41; //!< most timed steps of a block measurement
    /// measurements of a grid point whose error exceeds targetError, after the first; the
    /// fastest measurement is kept (contention on a shared machine only adds time)
    uint32_t remeasurements = 3;
    double targetError = 0.2; //!< relative error the validation aims at, in (0, 1)
    /// single-threaded only: time the blocks with the thread's CPU clock
    /// (TorchLayerProbeConfig::threadCpuTime), so that time the operating system gives to other
    /// programs on a shared machine is not counted
    bool threadCpuTime = true;
    /// single-threaded only: run the whole calibration on one CPU (CpuAffinityGuard: the
    /// lowest-numbered CPU the process may use), so that every measurement is of the same CPU
    bool pinToOneCpu = true;
    /// single-threaded wall-clock timing only: a block measurement during which the process got
    /// less than this
    /// share of a core (CPU time over wall time) was disturbed by another program and is
    /// repeated, at most contentionRetries times
    double minimumCpuShare = 0.9;
    uint32_t contentionRetries = 4; //!< repetitions of a disturbed measurement
    bool validate = true;           //!< measure the grid and fit the profile to it
    uint64_t seed = 1;              //!< LibTorch seed of every measurement
};

/**
 * \ingroup edge-llm
 * \brief One kernel micro-benchmark: what ran, its work and its median time.
 */
struct KernelBenchmarkSample
{
    std::string name;                           //!< e.g. "gemm 512x768x3072" or "add 512x768"
    KernelClass kernelClass{KernelClass::GEMM}; //!< which rate of the profile it informs
    DataType dtype{DataType::FP32};             //!< data type
    double flops{0};                            //!< FLOPs of one call
    double bytes{0};                            //!< bytes one call reads and writes
    double seconds{0};                          //!< median seconds of one call

    /// \return FLOP/s (matrix products) or bytes/s (element-wise kernels)
    double GetRate() const;
};

/**
 * \ingroup edge-llm
 * \brief One point of the validation grid: a block shape, a batch, a sequence, a recipe.
 */
struct CalibrationPoint
{
    std::string model;                   //!< label of the block shape, e.g. "bert-base"
    uint32_t hidden{0};                  //!< model width h
    uint32_t heads{0};                   //!< attention heads
    uint32_t ffn{0};                     //!< feed-forward width
    uint32_t batch{1};                   //!< sequences b
    uint32_t sequence{32};               //!< tokens per sequence s
    RecipeKind recipe{RecipeKind::FULL}; //!< recipe
    DataType dtype{DataType::FP32};      //!< data type
    bool fitted{false};                  //!< in the subset the layer-level fit uses
    double measuredForward{0};           //!< TorchLayerProbe forward seconds
    double measuredForwardBackward{0};   //!< forward + loss + backward (0 for INFERENCE)
    /// the forward right after an optimizer step, one run of the kept measurement (0 for
    /// INFERENCE); not fitted: a round pays it once, not per micro-batch
    double measuredForwardAfterStep{0};
    double modelForward{0};                  //!< KernelComputeModel forward seconds
    double modelForwardBackward{0};          //!< forward + backward (0 for INFERENCE)
    double microbenchmarkForward{0};         //!< forward with the micro-benchmark-only profile
    double microbenchmarkForwardBackward{0}; //!< same for forward + backward
    uint64_t measuredPeakBytes{0};           //!< stepPeakBytes, or inferencePeakBytes for INFERENCE
    uint64_t modelPeakBytes{0}; //!< SegmentMemory totalBytes of the block (1 micro-batch)
    uint32_t measurements{0};   //!< how often the block was measured

    /// \return a label such as "bert-base b4 s128 lora fp32"
    std::string GetLabel() const;
    /// \return (model - measured) / measured of the forward
    double GetForwardError() const;
    /// \return the same for forward + backward (0 for INFERENCE)
    double GetForwardBackwardError() const;
    /// \return the larger magnitude of the two errors
    double GetWorstError() const;
    /// \return modelPeakBytes / measuredPeakBytes
    double GetMemoryRatio() const;
};

/**
 * \ingroup edge-llm
 * \brief Everything one calibration produced.
 */
struct DeviceCalibration
{
    DeviceProfile profile;               //!< the fitted profile (layer-level fit when validated)
    DeviceProfile microbenchmarkProfile; //!< the profile from the micro-benchmarks alone
    std::vector<KernelBenchmarkSample> samples; //!< every micro-benchmark
    std::vector<CalibrationPoint> points;       //!< the validation grid, measured and modelled
    std::string cpuModel;                       //!< from /proc/cpuinfo
    std::string torchVersion;                   //!< LibTorch version
    std::string date;                           //!< UTC date of the run, YYYY-MM-DD
    uint32_t threads{1};                        //!< threads of every measurement
    /// the CPU every measurement ran on (DeviceCalibratorSettings::pinToOneCpu), -1 if not pinned
    int pinnedCpu{-1};
    double measuredBf16GemmFlops{0}; //!< best bf16 GEMM rate (0: not benchmarked)
    /// summed time of the bf16 element-wise micro-benchmarks (add, GELU, softmax) over their
    /// fp32 twins (0: not benchmarked); about 0.5 where 16-bit arithmetic is native, 1 or more
    /// where the kernels convert to fp32
    double bf16ElementwiseTimeRatio{0};
    /// the same for the normalization micro-benchmarks (LayerNorm; 0: not benchmarked)
    double bf16NormalizationTimeRatio{0};
    /// the layer-shaped GEMMs' fitted fp32 time per FLOP over their bf16 one (0: not
    /// benchmarked): the bf16 peak is the fp32 peak times this
    double bf16GemmRateRatio{0};
    /// the bf16 matrix products' fitted fixed cost per call over the fp32 one, seconds (>= 0)
    double bf16MatmulOverhead{0};
    double layerFitResidual{0}; //!< root-mean-square relative error of the layer-level fit
    /// the same for the fit of the bf16 terms to the bf16 blocks (0: not fitted)
    double bf16LayerFitResidual{0};
    bool bf16LayerFitted{false}; //!< whether the bf16 terms come from that fit
    double seconds{0};           //!< wall time of the whole calibration
};

/**
 * \ingroup edge-llm
 * \brief Calibrates a DeviceProfile for the machine it runs on (the CPU, through LibTorch) and
 * validates KernelComputeModel with it against measured encoder blocks.
 *
 * Calibrate() runs four stages:
 *  1. kernel micro-benchmarks (TorchKernelBench), single-threaded by default: GEMMs of the
 *     shapes of the blocks' linear layers, batched matrix products of their attention,
 *     element-wise kernels (add, GELU, LayerNorm, softmax) and the per-operator dispatch time;
 *  2. a profile from them alone (the micro-benchmark profile): the peak is the best GEMM rate
 *     measured, the GEMM and attention efficiencies the FLOP-weighted rates of the layer shapes
 *     over it, the memory bandwidth the best element-wise rate, the memory efficiency the
 *     byte-weighted rate of the layer shapes over it, the kernel overhead the dispatch time;
 *  3. with validate: every grid point's block is measured with TorchLayerProbe and priced with
 *     KernelComputeModel on LayerKernelModel's ENCODER_BLOCK kernels; the four rates (GEMM,
 *     attention, memory, per-kernel overhead) are then fitted by non-negative least squares of
 *     the relative error on half of the points (the fitted subset, every other point), and the
 *     profile built from the fit is reported on all points, the other half held out;
 *  4. with validate and bf16 among the types: the grid is measured again in bf16 and the bf16
 *     terms (FitBf16Terms from the bf16 micro-benchmarks as the start) are fitted to half of
 *     those blocks (FitBf16ToLayers), the fp32 terms kept, the other half held out.
 */
class DeviceCalibrator
{
  public:
    /**
     * \param settings settings
     * \return an empty string when usable, otherwise the first problem naming the field, its
     * value and what is allowed
     */
    static std::string Validate(const DeviceCalibratorSettings& settings);

    /** \return the grid names: "quick", "full", "test" */
    static std::vector<std::string> GetGridNames();

    /**
     * \brief The points of a grid, unmeasured.
     *
     * "full": bert-base (768/12/3072), t5-small-like (512/8/2048) and tiny (256/4/1024) blocks,
     * batch 1, 4, 16, sequence 32, 128, 256, every recipe. "quick": t5-small-like and tiny,
     * batch 1 and 4, sequence 32 and 128, every recipe. "test": mini (128/2/512) and tiny, batch 1
     * and 4, sequence 32 and 64, every recipe (for the unit test).
     *
     * \param grid a grid name
     * \param dtype the data type of every point
     * \param[out] points the points
     * \return an empty string, or the problem naming the grid and the allowed names
     */
    static std::string MakeGrid(const std::string& grid,
                                DataType dtype,
                                std::vector<CalibrationPoint>& points);

    /**
     * \brief Run every stage.
     * \param settings settings; NS_FATAL_ERROR with the Validate() message when invalid
     * \param log where progress lines go (one per stage and per grid point)
     * \return the calibration
     */
    static DeviceCalibration Calibrate(const DeviceCalibratorSettings& settings, std::ostream& log);

    /**
     * \brief Stage 1: the kernel micro-benchmarks of one data type over the shapes of \p
     * points.
     * \param settings settings
     * \param dtype data type
     * \param points the grid (its block shapes, batches and sequences choose the shapes)
     * \return the samples
     */
    static std::vector<KernelBenchmarkSample> RunMicrobenchmarks(
        const DeviceCalibratorSettings& settings,
        DataType dtype,
        const std::vector<CalibrationPoint>& points);

    /**
     * \brief What bf16 changes, from micro-benchmarks run in both types (the same kernels and
     * shapes): the summed-time ratios of the element-wise and normalization kernels, and, for the
     * layer-shaped matrix products of each class (GEMM, attention) fitted as fixed cost + FLOPs x
     * time per FLOP by least squares on the relative error, the GEMMs' fp32 over bf16 time per
     * FLOP and the bf16 fixed cost over the fp32 one (averaged over both classes' samples, at
     * least 0).
     * \param samples fp32 and bf16 samples
     * \param calibration where the four figures go (bf16ElementwiseTimeRatio,
     * bf16NormalizationTimeRatio, bf16GemmRateRatio, bf16MatmulOverhead); each stays 0 when
     * no pair of samples informs it
     */
    static void FitBf16Terms(const std::vector<KernelBenchmarkSample>& samples,
                             DeviceCalibration& calibration);

    /**
     * \brief Stage 2: a profile from micro-benchmarks alone.
     * \param name device name
     * \param samples fp32 samples (RunMicrobenchmarks)
     * \return the profile (power and radio fields are placeholders; see Calibrate())
     */
    static DeviceProfile FitMicrobenchmarkProfile(
        const std::string& name,
        const std::vector<KernelBenchmarkSample>& samples);

    /**
     * \brief Measure one grid point with TorchLayerProbe (time and memory).
     *
     * The timed steps are layerRepeats, or more when the point's model time (Predict(), if set)
     * says that fewer would time less than layerTimedSeconds; at most maxLayerRepeats.
     * \param settings settings (threads, runs, seed)
     * \param point the point; its measured fields and measurements are set
     */
    static void Measure(const DeviceCalibratorSettings& settings, CalibrationPoint& point);

    /**
     * \brief The kernels of the point's encoder block (LayerKernelModel, the ENCODER_BLOCK
     * entry of a one-block model with the point's dimensions).
     * \param point the point
     * \param[out] forward forward kernels
     * \param[out] backward backward kernels (empty for INFERENCE)
     */
    static void GetBlockKernels(const CalibrationPoint& point,
                                KernelWork& forward,
                                KernelWork& backward);

    /**
     * \brief Whether the re-measurement rounds measure a point again.
     *
     * Points above the target are measured again in every round; a point measured more than
     * half the target slower than the model (forward or forward+backward) once more, if it was
     * measured only once: another program only adds time, and on a shared host slows the
     * machine for minutes, so a second measurement at another time is the likelier truth.
     * \param point the point, priced (Predict()) and measured
     * \param targetError the target, in (0, 1)
     * \return whether to measure it again
     */
    static bool NeedsRemeasurement(const CalibrationPoint& point, double targetError);

    /**
     * \brief Price a point with KernelComputeModel and the layer cost model's memory.
     * \param profile the profile
     * \param point the point; its model fields are set
     */
    static void Predict(const DeviceProfile& profile, CalibrationPoint& point);

    /**
     * \brief Stage 3: fit GEMM, attention and memory rates and the per-kernel overhead to the
     * measured points with fitted set, by non-negative least squares of the relative error.
     * \param start the profile the fit starts from (its peak, bandwidth and other fields stay
     * unless a fitted rate exceeds them)
     * \param points measured points
     * \param[out] residual root-mean-square relative error over the fitted rows
     * \return the fitted profile
     */
    static DeviceProfile FitToLayers(const DeviceProfile& start,
                                     const std::vector<CalibrationPoint>& points,
                                     double& residual);

    /**
     * \brief Stage 4: fit the bf16 terms (the bf16 peak, the element-wise and normalization
     * 16-bit time ratios, the 16-bit matrix products' and autograd kernels' extra fixed costs)
     * to the measured bf16 points with fitted set, by least squares of the relative error, the
     * fp32 terms fixed. On a CPU profile (no compute/memory overlap) a block's modelled time is
     * linear in the five (the peak through its inverse), so each row's coefficients come from
     * the model itself. The fixed costs are kept non-negative (every subset of them is solved,
     * the best admissible solution kept); a peak scale or ratio the solution makes non-positive
     * is held at its start value and the rest solved again. With fewer rows than unknowns, or no
     * admissible solution, there is no fit.
     * \param start the profile the fit starts from (the fp32 fit with the micro-benchmarks' bf16
     * terms)
     * \param points measured points (only the fitted bf16 ones are used)
     * \param[out] profile the fitted profile, or \p start when there was no fit
     * \param[out] residual root-mean-square relative error over the fitted rows (0 without a fit)
     * \return whether the bf16 terms were fitted
     */
    static bool FitBf16ToLayers(const DeviceProfile& start,
                                const std::vector<CalibrationPoint>& points,
                                DeviceProfile& profile,
                                double& residual);

    /**
     * \brief Write a devices file (DeviceCatalog format) with the calibrated device.
     * \param calibration the calibration
     * \param path the file
     * \return an empty string on success, otherwise the problem
     */
    static std::string WriteDevicesFile(const DeviceCalibration& calibration,
                                        const std::string& path);

    /**
     * \brief Write the validation table as CSV: one row per point with measured and modelled
     * times, errors and peak memory.
     * \param calibration the calibration
     * \param path the file
     * \return an empty string on success, otherwise the problem
     */
    static std::string WriteValidationCsv(const DeviceCalibration& calibration,
                                          const std::string& path);

    /**
     * \brief Write the micro-benchmarks as CSV.
     * \param calibration the calibration
     * \param path the file
     * \return an empty string on success, otherwise the problem
     */
    static std::string WriteMicrobenchmarksCsv(const DeviceCalibration& calibration,
                                               const std::string& path);

    /**
     * \brief Print the validation table and its summary (max and median error per recipe).
     * \param calibration the calibration
     * \param os the stream
     */
    static void PrintValidation(const DeviceCalibration& calibration, std::ostream& os);

    /**
     * \brief Check that a file can be written, creating its folder, without changing an
     * existing file (so that a bad output path stops the tool before any measurement).
     * \param path the file
     * \return an empty string when writable, otherwise the problem naming outputFile
     */
    static std::string CheckOutputFile(const std::string& path);

    /**
     * \brief Fill what a calibration cannot measure into its profile: the description (the
     * CPU model when empty), the power and radio figures as given, each with a source that says
     * so.
     * \param calibration the calibration, its profile updated
     * \param description one line, or empty
     * \param busyPowerW busy power to record
     * \param idlePowerW idle power to record
     * \param maxTxPowerDbm transmit power to record
     * \return the profile's Validate() message (empty when valid)
     */
    static std::string SetUnmeasuredFields(DeviceCalibration& calibration,
                                           const std::string& description,
                                           double busyPowerW,
                                           double idlePowerW,
                                           double maxTxPowerDbm);

    /**
     * \brief Write the devices file, check that DeviceCatalog loads it, and write the
     * validation table (when the grid was measured) and the micro-benchmarks beside it
     * (NAME.validation.csv, NAME.microbenchmarks.csv for NAME.json).
     * \param calibration the calibration
     * \param path the devices file
     * \return an empty string on success, otherwise the first problem
     */
    static std::string WriteOutputs(const DeviceCalibration& calibration, const std::string& path);

    /**
     * \brief Print both profiles (micro-benchmarks only and fitted), the validation table and
     * the largest error against \p targetError.
     * \param calibration the calibration
     * \param targetError the relative error each point should stay within
     * \param os the stream
     */
    static void PrintSummary(const DeviceCalibration& calibration,
                             double targetError,
                             std::ostream& os);

    /** \return the CPU model name from /proc/cpuinfo ("unknown CPU" when absent) */
    static std::string GetCpuModel();
    /** \return the LibTorch version, e.g. "1.13.1" */
    static std::string GetTorchVersion();
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_DEVICE_CALIBRATOR_H */
