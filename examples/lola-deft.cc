/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LoLa DEFT on the OFDMA cell (scenarios/lola-deft-cell.json): JBBA against block-only and
 * bandwidth-only optimisation, equal bands with round-robin or random blocks, offloading and
 * single-device fine-tuning. Per scheme: the round latency (slowest compute plus upload, as the
 * paper counts it) simulated and as the scheduler predicted it, the busiest compute and the
 * slowest upload, the fine-tuning time of the epochs, the memory a device needed, and the round
 * against JBBA's; with --sweep, the round latency against the number of devices or the cell's
 * bandwidth (lola_sweep.csv, lola_sweep.png).
 *
 *   ./lola-deft --model=roberta-base --layersPerBlock=1 --bandwidthMHz=50
 *   ./lola-deft --sweep=devices
 */
#include "ns3/command-line-counts.h"
#include "ns3/command-line.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/lola-deft-study-helper.h"
#include "ns3/study-report.h"

#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

int
main(int argc, char* argv[])
{
    ExitOnRefusal("lola-deft"); // a refusal exits 2 with its message, not SIGABRT
    std::string model;
    std::string recipe;
    int64_t devices = 16;
    int64_t layersPerBlock = 0;
    std::string network = "ofdma";
    double bandwidthMHz = 0;
    double distance = 0;
    int64_t rounds = 3;
    int64_t samples = 2490;
    int64_t epochs = 1;
    std::string sweep = "none";
    std::string fidelity = "flow";
    std::string outputDir = "results/lola-deft";
    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "Any encoder preset (default: the scenario's, roberta-large)", model);
    cmd.AddValue("recipe", "full, lora or adapters (default: the scenario's, full)", recipe);
    cmd.AddValue("devices", "Devices (the scenario's kinds in turn); one per block", devices);
    cmd.AddValue("layersPerBlock", "Layers per block (0: the scenario's, 2)", layersPerBlock);
    cmd.AddValue("network",
                 "ofdma (the NR cell grants shares) or wifi (the uploads contend)",
                 network);
    cmd.AddValue("bandwidthMHz", "The cell's bandwidth (MHz; 0: the scenario's, 20)", bandwidthMHz);
    cmd.AddValue("distance",
                 "Radius (m) of the devices' disc (0: the scenario's, 400 cell, 30 Wi-Fi)",
                 distance);
    cmd.AddValue("rounds", "Rounds simulated per scheme; the epochs' time is their mean's", rounds);
    cmd.AddValue("samples", "Training-set samples (GLUE RTE 2490, MRPC 3668)", samples);
    cmd.AddValue("epochs", "Epochs of fine-tuning (ceil(samples / 16) rounds each)", epochs);
    cmd.AddValue("sweep", "none, devices (16 to 32) or bandwidth (10 to 100 MHz)", sweep);
    cmd.AddValue("fidelity", "flow (default) or packet", fidelity);
    cmd.AddValue("outputDir", "Output folder", outputDir);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);
    LolaDeftStudyHelper study;
    study.SetDevices(RequireCountOption("devices", devices, 1, 256));
    const uint32_t roundCount = RequireCountOption("rounds", rounds, 1, 1000);
    study.SetLayersPerBlock(RequireCountOption("layersPerBlock", layersPerBlock, 0, 1000));
    const uint32_t trainingSamples = RequireCountOption("samples", samples, 1, 100000000);
    const uint32_t epochCount = RequireCountOption("epochs", epochs, 1, 1000);
    if (network != "ofdma" && network != "wifi")
    {
        std::cerr << "lola-deft: network='" << network << "' is not allowed; ofdma or wifi\n";
        return 1;
    }
    if (!(bandwidthMHz >= 0) || bandwidthMHz > 400)
    {
        std::cerr << "lola-deft: bandwidthMHz=" << bandwidthMHz
                  << " is not allowed; (0, 400] MHz (an NR numerology's band), 0: the scenario's\n";
        return 1;
    }
    if (network == "wifi" && (bandwidthMHz > 0 || sweep == "bandwidth"))
    {
        std::cerr << "lola-deft: bandwidthMHz=" << bandwidthMHz << " and sweep='" << sweep
                  << "' are not allowed with network=wifi; the cell's band: network=ofdma\n";
        return 1;
    }
    if (!(distance >= 0) || distance > 10000)
    {
        std::cerr << "lola-deft: distance=" << distance
                  << " is not allowed; (0, 10000] m, 0: the scenario's\n";
        return 1;
    }
    if (sweep != "none" && sweep != "devices" && sweep != "bandwidth")
    {
        std::cerr << "lola-deft: sweep='" << sweep
                  << "' is not allowed; none, devices or bandwidth\n";
        return 1;
    }
    study.SetBandwidthMHz(bandwidthMHz);
    study.SetDistance(distance);
    study.SetModel(model);
    study.SetRecipe(recipe);
    // the output folder first: a study that cannot be written is not run
    StudyReport report;
    std::string problem = report.Open(outputDir);
    if (problem.empty())
    {
        problem = study.Load(GetEdgeLlmScenarioPath(network == "wifi" ? "lola-deft-wifi.json"
                                                                      : "lola-deft-cell.json"));
    }
    if (!problem.empty())
    {
        std::cerr << "lola-deft: " << problem << "\n";
        return 1;
    }

    if (sweep != "none")
    {
        std::cout << study.GetModel() << " " << study.GetRecipe()
                  << ", round latency (s) against the "
                  << (sweep == "devices" ? "number of devices" : "cell's bandwidth (MHz)") << ", "
                  << fidelity << " level\n\n";
        problem = study.Sweep(sweep,
                              sweep == "devices" ? std::vector<double>{16, 20, 24, 32}
                                                 : std::vector<double>{10, 20, 50, 100},
                              roundCount,
                              fidelity,
                              outputDir,
                              std::cout);
        if (!problem.empty())
        {
            std::cerr << "lola-deft: " << problem << "\n";
            return 1;
        }
        std::cout << "\nlola_sweep.csv and lola_sweep.png in " << outputDir << "\n";
        return 0;
    }

    std::vector<std::pair<std::string, LolaSchemeResult>> results;
    problem = study.Run(roundCount, fidelity, outputDir, &report, results);
    if (!problem.empty())
    {
        std::cerr << "lola-deft: " << problem << "\n";
        return 1;
    }
    const uint64_t iterations = (trainingSamples + 15) / 16;
    const LolaSchemeResult& jbba = results.front().second;
    std::cout << study.GetModel() << " " << study.GetRecipe() << ", " << devices
              << (network == "wifi" ? " devices, Wi-Fi uplink (the uploads contend), "
                                    : " devices, NR cell uplink (the scheduler's shares), ")
              << trainingSamples << " samples x " << epochCount << " epochs ("
              << iterations * epochCount << " rounds), " << roundCount << " rounds simulated, "
              << fidelity << " level\n\n"
              << std::left << std::setw(20) << "scheme" << std::right << std::setw(11)
              << "round (s)" << std::setw(11) << "predicted" << std::setw(11) << "compute"
              << std::setw(11) << "upload" << std::setw(12) << "total (h)" << std::setw(12)
              << "memory GiB" << std::setw(11) << "MB up" << std::setw(14) << "/ JBBA"
              << "\n";
    for (const auto& [name, r] : results)
    {
        std::cout << std::left << std::setw(20) << name << std::right << std::fixed;
        if (r.outOfMemory)
        {
            std::cout << std::setw(11) << "OOM"
                      << "\n";
            continue;
        }
        std::cout << std::setprecision(2) << std::setw(11) << r.roundSeconds << std::setw(11)
                  << r.predictedSeconds << std::setw(11) << r.computeSeconds << std::setw(11)
                  << r.uploadSeconds << std::setprecision(3) << std::setw(12)
                  << r.roundSeconds * iterations * epochCount / 3600 << std::setw(12)
                  << r.memoryBytes / 1073741824.0 << std::setprecision(1) << std::setw(11)
                  << r.uploadedBytes / 1e6 << std::setprecision(2) << std::setw(13);
        if (jbba.outOfMemory)
        {
            std::cout << "-"
                      << "\n"; // JBBA had no round to compare with
        }
        else
        {
            std::cout << r.roundSeconds / jbba.roundSeconds << "x\n";
        }
    }
    problem = report.WritePlots("LoLa DEFT");
    if (!problem.empty())
    {
        std::cerr << "lola-deft: " << problem << "\n";
        return 1;
    }
    std::cout << "\nround: slowest compute + upload (rounds.csv phase_s; predicted: "
                 "phase_predicted_s); round_devices.csv: each device's block, share (0 on "
                 "Wi-Fi), compute, "
                 "upload and memory; in "
              << outputDir << "\n";
    return 0;
}
