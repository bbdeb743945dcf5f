/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * Calibrates a device profile for the machine it runs on (its CPU, through LibTorch), writes it
 * as a devices file that DeviceCatalog reads, and validates the kernel-level time model with it
 * against measured encoder blocks:
 *
 *   edge-llm-calibrate --name=my-laptop --outputFile=results/my-laptop.json
 *   edge-llm-calibrate --grid=full --dtype=fp32,bf16 --threads=1
 *
 * Writes the devices file (one device, every figure with its source), beside it
 * <file>.validation.csv (per grid point: measured and modelled forward and forward+backward
 * times, their errors, measured and modelled peak memory) and <file>.microbenchmarks.csv, and
 * prints the validation table. doc/calibration.rst describes the measurements and the fit.
 */

#include "ns3/command-line-counts.h"
#include "ns3/command-line-lists.h"
#include "ns3/core-module.h"
#include "ns3/device-calibrator.h"
#include "ns3/device-catalog.h"

#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

int
main(int argc, char* argv[])
{
    ExitOnRefusal("edge-llm-calibrate"); // a refusal exits 2 with its message, not SIGABRT
    DeviceCalibratorSettings settings;
    std::string outputFile = "edge-llm-results/calibrate/host-cpu.json";
    std::string dtypes = "fp32";
    std::string description;
    int64_t threads = 1; // counts are read signed: "-1" must not wrap around
    int64_t seed = 1;
    bool validate = true;
    double busyPowerW = 15;
    double idlePowerW = 5;
    double maxTxPowerDbm = 20;

    CommandLine cmd(__FILE__);
    cmd.Usage("Calibrates a device profile of this machine's CPU (LibTorch) and validates the "
              "kernel-level time model against measured encoder blocks.");
    cmd.AddValue("name", "Device name (lower-case letters, digits, '-')", settings.name);
    cmd.AddValue("description", "One-line description (default: the CPU model)", description);
    cmd.AddValue("outputFile", "The devices file to write (JSON)", outputFile);
    cmd.AddValue("threads", "LibTorch and OpenBLAS threads of every measurement", threads);
    cmd.AddValue("grid", "Validation grid: quick, full, wide or test", settings.grid);
    cmd.AddValue("dtype",
                 "Data types: fp32, or fp32,bf16 (bf16 kernels, and the grid again in bf16: half "
                 "fitted, half held out)",
                 dtypes);
    cmd.AddValue("validate", "Measure the grid's encoder blocks and fit to them", validate);
    cmd.AddValue("seed", "LibTorch seed of every measurement", seed);
    cmd.AddValue("busyPowerW", "Busy power to record (not measured), W", busyPowerW);
    cmd.AddValue("idlePowerW", "Idle power to record (not measured), W", idlePowerW);
    cmd.AddValue("maxTxPowerDbm",
                 "Radio transmit power to record (not measured), dBm",
                 maxTxPowerDbm);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);

    std::string problem = CheckCountOption("threads", threads, 1, 1024);
    if (problem.empty())
    {
        problem = CheckCountOption("seed", seed, 0, INT64_MAX, "must be a non-negative integer");
    }
    if (problem.empty())
    {
        settings.dtypes.clear();
        for (const auto& name : SplitCommaSeparated(dtypes))
        {
            DataType dtype = DataType::FP32;
            problem = ParseDataType(name, dtype);
            if (!problem.empty())
            {
                break;
            }
            settings.dtypes.push_back(dtype);
        }
    }
    if (problem.empty() && cmd.GetNExtraNonOptions() > 0)
    {
        problem = "unexpected argument '" + cmd.GetExtraNonOption(0) + "'";
    }
    if (problem.empty())
    {
        settings.threads = static_cast<uint32_t>(threads);
        settings.seed = static_cast<uint64_t>(seed);
        settings.validate = validate;
        problem = DeviceCalibrator::Validate(settings);
    }
    if (problem.empty())
    {
        // A complete stand-in profile, so that its only possible problems are these three.
        DeviceProfile power;
        power.SetName(settings.name);
        for (DataType dtype : {DataType::FP32, DataType::FP16, DataType::BF16})
        {
            power.SetPeakFlops(dtype, 1);
        }
        power.SetEfficiency(1);
        power.SetMemoryBytes(1);
        power.SetMemoryBandwidth(1);
        power.SetBusyPower(busyPowerW);
        power.SetIdlePower(idlePowerW);
        power.SetMaxTxPowerDbm(maxTxPowerDbm);
        problem = power.Validate();
    }
    if (problem.empty())
    {
        problem = DeviceCalibrator::CheckOutputFile(outputFile);
    }
    if (!problem.empty())
    {
        std::cerr << "edge-llm-calibrate: " << problem << "\n";
        return 1;
    }

    std::cout << "edge-llm-calibrate: " << DeviceCalibrator::GetCpuModel() << ", LibTorch "
              << DeviceCalibrator::GetTorchVersion() << ", " << settings.threads << " thread(s), "
              << "grid " << settings.grid << std::endl;
    DeviceCalibration calibration = DeviceCalibrator::Calibrate(settings, std::cout);
    problem = DeviceCalibrator::SetUnmeasuredFields(calibration,
                                                    description,
                                                    busyPowerW,
                                                    idlePowerW,
                                                    maxTxPowerDbm);
    if (problem.empty())
    {
        problem = DeviceCalibrator::WriteOutputs(calibration, outputFile);
    }
    if (!problem.empty())
    {
        std::cerr << "edge-llm-calibrate: " << problem << "\n";
        return 1;
    }
    std::cout << "\n";
    DeviceCalibrator::PrintSummary(calibration, settings.targetError, std::cout);
    std::cout << "wrote " << outputFile << " (" << calibration.seconds << " s)" << std::endl;
    return 0;
}
