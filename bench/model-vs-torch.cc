/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: the module's cost models against LibTorch on this machine.
 *
 * Over a grid of encoder blocks (DeviceCalibrator's grids: block shapes, batches, sequences,
 * every recipe), each block is measured with TorchLayerProbe (single-threaded by default) and
 * priced with KernelComputeModel on LayerKernelModel's kernels (time) and with LayerCostModel /
 * SegmentMemory (peak memory of one micro-batch's step). Printed: model / measured for the
 * forward, the forward+backward and the peak memory of every point, then per recipe the
 * smallest, median and largest ratio.
 *
 * The profile is either a device of a devices file (--devicesFile, --device: e.g. one written by
 * edge-llm-calibrate, so the grid is a pure test of it) or, by default, calibrated in the same
 * run (micro-benchmarks plus the layer-level fit on half of the points).
 */

#include "ns3/core-module.h"
#include "ns3/device-calibrator.h"
#include "ns3/device-catalog.h"
#include "ns3/torch-layer-probe.h"

#include <algorithm>
#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Print "min / median / max" of \p ratios in a column.
void
PrintRange(const std::vector<double>& ratios)
{
    if (ratios.empty())
    {
        std::cout << std::setw(22) << "-";
        return;
    }
    std::ostringstream oss;
    oss << std::fixed << std::setprecision(2) << *std::min_element(ratios.begin(), ratios.end())
        << " / " << TorchLayerProbe::Median(ratios) << " / "
        << *std::max_element(ratios.begin(), ratios.end());
    std::cout << std::setw(22) << oss.str();
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string grid = "quick";
    std::string devicesFile;
    std::string device;
    uint32_t threads = 1;
    CommandLine cmd(__FILE__);
    cmd.AddValue("grid", "Grid of blocks: quick, full, wide or test", grid);
    cmd.AddValue("devicesFile",
                 "Devices file with the profile to test (default: calibrate now)",
                 devicesFile);
    cmd.AddValue("device", "Device of --devicesFile (default: its first)", device);
    cmd.AddValue("threads", "LibTorch threads of the measurements", threads);
    cmd.Parse(argc, argv);

    DeviceCalibratorSettings settings;
    settings.grid = grid;
    settings.threads = threads;
    std::string problem = DeviceCalibrator::Validate(settings);
    NS_ABORT_MSG_IF(!problem.empty(), problem);

    DeviceProfile profile;
    std::vector<CalibrationPoint> points;
    std::string origin;
    if (devicesFile.empty())
    {
        DeviceCalibration calibration = DeviceCalibrator::Calibrate(settings, std::cerr);
        profile = calibration.profile;
        points = calibration.points;
        origin = "calibrated in this run (fitted on half of the points)";
    }
    else
    {
        DeviceCatalog catalog;
        problem = catalog.LoadFile(devicesFile);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        problem = catalog.Find(device.empty() ? catalog.GetNames().front() : device, profile);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        DeviceCalibrator::MakeGrid(grid, DataType::FP32, points);
        for (auto& point : points)
        {
            DeviceCalibrator::Predict(profile, point); // sets the timed steps of the probe
            DeviceCalibrator::Measure(settings, point);
            DeviceCalibrator::Predict(profile, point);
        }
        origin = "'" + profile.GetName() + "' of " + devicesFile;
    }

    std::cout << "model-vs-torch: " << DeviceCalibrator::GetCpuModel() << ", LibTorch "
              << DeviceCalibrator::GetTorchVersion() << ", " << threads << " thread(s), grid "
              << grid << ", profile " << origin << "\n"
              << "ratios are model / measured (1.00 = exact)\n\n"
              << std::left << std::setw(42) << "point" << std::right << std::setw(10) << "fwd"
              << std::setw(10) << "fwd+bwd" << std::setw(10) << "memory"
              << "\n";
    std::map<RecipeKind, std::array<std::vector<double>, 3>> byRecipe;
    for (const auto& p : points)
    {
        const double forward = p.modelForward / p.measuredForward;
        const double both = p.measuredForwardBackward > 0
                                ? p.modelForwardBackward / p.measuredForwardBackward
                                : 0.0;
        std::cout << std::left << std::setw(42) << p.GetLabel() << std::right << std::fixed
                  << std::setprecision(2) << std::setw(10) << forward << std::setw(10);
        if (both > 0)
        {
            std::cout << both;
        }
        else
        {
            std::cout << "-";
        }
        std::cout << std::setw(10) << p.GetMemoryRatio() << "\n";
        auto& ratios = byRecipe[p.recipe];
        ratios[0].push_back(forward);
        if (both > 0)
        {
            ratios[1].push_back(both);
        }
        ratios[2].push_back(p.GetMemoryRatio());
    }
    std::cout << "\nper recipe, min / median / max of model / measured\n"
              << std::left << std::setw(20) << "recipe" << std::right << std::setw(22)
              << "forward time" << std::setw(22) << "forward+backward" << std::setw(22)
              << "peak memory"
              << "\n";
    for (const auto& [recipe, ratios] : byRecipe)
    {
        std::cout << std::left << std::setw(20) << RecipeKindToString(recipe) << std::right;
        for (const auto& column : ratios)
        {
            PrintRange(column);
        }
        std::cout << "\n";
    }
    return 0;
}
