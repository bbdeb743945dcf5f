/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Galaxy against its baselines (scenarios/galaxy-lan.json): one prompt's inference with every
 * layer split by Galaxy's planner, evenly over every device (Megatron-style tensor
 * parallelism), or on the fastest device that holds the model; the simulated latency beside
 * the planner's prediction, the ring, the memory and the bytes; a split that fits nowhere is
 * OOM.
 *
 *   ./galaxy --model=opt-1.3b --prompt=512 --devices=jetson-nano,jetson-nano,jetson-tx2
 */
#include "ns3/command-line-counts.h"
#include "ns3/command-line-lists.h"
#include "ns3/command-line.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/galaxy-strategy.h"
#include "ns3/scenario.h"
#include "ns3/string.h"
#include "ns3/study-report.h"

#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

int
main(int argc, char* argv[])
{
    ExitOnRefusal("galaxy"); // a refusal exits 2 with its message, not SIGABRT
    std::string model = "gpt2-large";
    int64_t prompt = 256;
    std::string devices;
    std::string fidelity = "flow";
    std::string outputDir = "results/galaxy";
    CommandLine cmd(__FILE__);
    cmd.AddValue("model",
                 "An encoder-only or decoder-only preset (gpt2-large, opt-1.3b, ...)",
                 model);
    cmd.AddValue("prompt", "Tokens of the prompt, 1 to 4096", prompt);
    cmd.AddValue("devices",
                 "Comma-separated devices of the catalog (default: the scenario's four Jetson "
                 "Nano)",
                 devices);
    cmd.AddValue("fidelity", "flow (default) or packet", fidelity);
    cmd.AddValue("outputDir", "Output folder", outputDir);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);
    const uint32_t tokens = RequireCountOption("prompt", prompt, 1, 4096);

    Scenario scenario;
    std::string problem = Scenario::LoadFile(GetEdgeLlmScenarioPath("galaxy-lan.json"), scenario);
    Workload workload = scenario.study.GetWorkload();
    if (problem.empty())
    {
        problem = TransformerSpec::FromPreset(model, workload.spec);
        workload.spec.sequenceLength = tokens;
    }
    if (problem.empty() && !devices.empty())
    {
        const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        std::vector<DeviceProfile> profiles;
        for (const std::string& name : SplitCommaSeparated(devices))
        {
            DeviceProfile profile;
            problem = catalog.Find(name, profile);
            if (!problem.empty())
            {
                break;
            }
            profiles.push_back(profile);
        }
        if (problem.empty() && profiles.size() < 2)
        {
            problem = "devices='" + devices + "' is invalid: give at least two devices";
        }
        if (problem.empty())
        {
            Fleet fleet;
            fleet.AddGroup(profiles);
            fleet.SetServer(profiles.front()); // the node layout's last node: no task
            scenario.study.SetFleet(fleet);
        }
    }
    if (!problem.empty())
    {
        std::cerr << "galaxy: " << problem << "\n";
        return 1;
    }
    scenario.study.SetWorkload(workload);
    scenario.study.SetFidelity(fidelity);
    scenario.study.SetRounds(1);
    scenario.study.SetOutputDirectory(outputDir);
    StudyReport report;
    problem = report.Open(outputDir);
    if (!problem.empty())
    {
        std::cerr << "galaxy: " << problem << "\n";
        return 1;
    }

    std::cout << model << ", prompt " << tokens << ", "
              << scenario.study.GetFleet().GetDeviceCount() << " devices, 1000 Mbit/s LAN, "
              << fidelity << " level\n\n"
              << std::left << std::setw(10) << "split" << std::right << std::setw(14)
              << "latency (ms)" << std::setw(16) << "predicted (ms)" << std::setw(12) << "pred. err"
              << std::setw(8) << "ring" << std::setw(12) << "peak GiB" << std::setw(12)
              << "network MB" << std::setw(18) << "Galaxy speedup"
              << "\n";
    double galaxySeconds = 0;
    for (const std::string split : {"galaxy", "even", "single"})
    {
        ScenarioRun run;
        run.name = split;
        run.strategy.SetTypeId("ns3::GalaxyStrategy");
        run.strategy.Set("Split", StringValue(split));
        std::vector<RoundRecord> records;
        problem = scenario.study.Run(run.name, Scenario::CreateStrategy(run), records);
        report.Add(records);
        std::cout << std::left << std::setw(10) << split << std::right << std::fixed;
        if (problem.find("out of memory") != std::string::npos && records.empty())
        {
            std::cout << std::setw(14) << "OOM"
                      << "\n";
            continue;
        }
        if (!problem.empty())
        {
            std::cout << "\n";
            std::cerr << "galaxy: " << problem << "\n";
            return 1;
        }
        const RoundRecord& record = records.front();
        uint32_t ring = 0;
        for (const DeviceRoundRecord& device : record.devices)
        {
            ring += device.memoryBytes > 0 ? 1 : 0;
        }
        if (split == "galaxy")
        {
            galaxySeconds = record.latencySeconds;
        }
        std::cout << std::setprecision(1) << std::setw(14) << record.latencySeconds * 1e3
                  << std::setw(16) << record.predictedSeconds * 1e3 << std::setw(11)
                  << 100.0 * (record.predictedSeconds / record.latencySeconds - 1.0) << "%"
                  << std::setw(8) << ring << std::setprecision(3) << std::setw(12)
                  << record.maxMemoryBytes / 1073741824.0 << std::setprecision(1) << std::setw(12)
                  << record.phaseBytes / 1e6 << std::setprecision(2) << std::setw(17)
                  << (galaxySeconds > 0 ? record.latencySeconds / galaxySeconds : 0.0) << "x\n";
    }
    std::cout << "\nrounds.csv and each split's tasks.csv and trace.json in " << outputDir << "\n";
    return 0;
}
