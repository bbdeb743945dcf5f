/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Galaxy against its baselines (scenarios/galaxy-lan.json): one prompt's inference split by
 * Galaxy's planner, evenly (Megatron-style), by sequence, as a layer pipeline, or on one device;
 * latency beside the prediction, ring, memory, bytes; OOM where nothing fits. --generate: each
 * request also generates tokens (KV cache split like the heads), --requests of them arriving at
 * --rate per second or at --trace's times: TTFT, TPOT, percentiles, latency_cdf.png.
 *
 *   ./galaxy --model=opt-1.3b --prompt=512 --devices=jetson-nano,jetson-nano,jetson-tx2
 *   ./galaxy --prompt=128 --generate=32 --requests=20 --rate=0.1
 */
#include "ns3/command-line-counts.h"
#include "ns3/command-line-lists.h"
#include "ns3/command-line.h"
#include "ns3/device-catalog.h"
#include "ns3/double.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/galaxy-strategy.h"
#include "ns3/scenario.h"
#include "ns3/serving-report.h"
#include "ns3/string.h"
#include "ns3/study-report.h"
#include "ns3/uinteger.h"

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
    int64_t generate = 0;
    int64_t requests = 1;
    double rate = 0;
    std::string trace;
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
    cmd.AddValue("generate",
                 "Tokens each request generates after the prompt, 0 (prefill only) to 4096",
                 generate);
    cmd.AddValue("requests", "Requests (one a round), 1 to 10000", requests);
    cmd.AddValue("rate",
                 "Requests per second (Poisson arrivals); 0: each when the last completes",
                 rate);
    cmd.AddValue("trace", "A file of arrival times (s), one a line, instead of --rate", trace);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);
    const uint32_t tokens = RequireCountOption("prompt", prompt, 1, 4096);
    const uint32_t generated = RequireCountOption("generate", generate, 0, 4096);
    const uint32_t rounds = RequireCountOption("requests", requests, 1, 10000);
    if (!(rate >= 0) || !(rate <= 1e6))
    {
        std::cerr << "galaxy: rate=" << rate
                  << " is invalid: must be 0 (back to back) or a rate in (0, 1e6] per second\n";
        return 1;
    }

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
        problem = catalog.FindAll(SplitCommaSeparated(devices), profiles);
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
    scenario.study.SetRounds(rounds);
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
              << fidelity << " level";
    if (generated > 0)
    {
        std::cout << ", " << rounds << " requests of " << generated << " tokens";
        if (rate > 0)
        {
            std::cout << " at " << rate << " per second";
        }
    }
    std::cout << "\n\n"
              << std::left << std::setw(10) << "split" << std::right << std::setw(14)
              << "latency (ms)" << std::setw(16) << "predicted (ms)" << std::setw(12) << "pred. err"
              << std::setw(8) << "ring" << std::setw(12) << "peak GiB" << std::setw(12)
              << "network MB" << std::setw(18) << "Galaxy speedup"
              << "\n";
    double galaxySeconds = 0;
    std::vector<std::vector<RoundRecord>> serving;
    for (const std::string split : {"galaxy", "even", "sequence", "pipeline", "single"})
    {
        if (split == "sequence" && generated > 0)
        {
            continue; // a decode step has one token: nothing for sequence parallelism to split
        }
        ScenarioRun run;
        run.name = split;
        run.strategy.SetTypeId("ns3::GalaxyStrategy");
        run.strategy.Set("Split", StringValue(split));
        run.strategy.Set("GeneratedTokens", UintegerValue(generated));
        run.strategy.Set("RequestRate", DoubleValue(rate));
        run.strategy.Set("RequestTrace", StringValue(trace));
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
        if (generated > 0)
        {
            serving.push_back(records);
        }
        const RoundRecord& record = records.front();
        uint32_t ring = 0;
        for (const DeviceRoundRecord& device : record.devices)
        {
            ring += device.memoryBytes > 0 ? 1 : 0;
        }
        galaxySeconds = split == "galaxy" ? record.latencySeconds : galaxySeconds;
        std::cout << std::setprecision(1) << std::setw(14) << record.latencySeconds * 1e3
                  << std::setw(16) << record.predictedSeconds * 1e3 << std::setw(11)
                  << 100.0 * (record.predictedSeconds / record.latencySeconds - 1.0) << "%"
                  << std::setw(8) << ring << std::setprecision(3) << std::setw(12)
                  << record.maxMemoryBytes / 1073741824.0 << std::setprecision(1) << std::setw(12)
                  << record.phaseBytes / 1e6 << std::setprecision(2) << std::setw(17)
                  << (galaxySeconds > 0 ? record.latencySeconds / galaxySeconds : 0.0) << "x\n";
    }
    if (!serving.empty())
    {
        std::cout << "\nserving, one request a round (latency above: the first request)\n";
        ServingReport::PrintTable(std::cout, serving);
        problem = ServingReport::WriteCdf(serving, outputDir, model + ": latency CDF");
        problem = problem.empty() ? ServingReport::WriteMemory(serving, outputDir) : problem;
        if (!problem.empty())
        {
            std::cerr << "galaxy: " << problem << "\n";
            return 1;
        }
        std::cout << "latency_cdf.png and memory_over_time.csv in " << outputDir << "\n";
    }
    std::cout << "\nrounds.csv and each split's tasks.csv and trace.json in " << outputDir << "\n";
    return 0;
}
