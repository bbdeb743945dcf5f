/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PAC against its baselines on a pool of Jetson Nano boards (scenarios/pac-lan.json): the
 * total fine-tuning time of each method over the epochs, its first and cached epochs, its
 * peak memory per device, and PAC's speedup over it; a method that fits nowhere is OOM.
 *
 *   ./pac --model=bart-large --epochs=3 --samples=3668
 */
#include "ns3/boolean.h"
#include "ns3/command-line-counts.h"
#include "ns3/command-line.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/pac-strategy.h"
#include "ns3/scenario.h"
#include "ns3/study-report.h"
#include "ns3/uinteger.h"

#include <iomanip>
#include <iostream>
#include <map>

using namespace ns3;
using namespace ns3::edgellm;

int
main(int argc, char* argv[])
{
    ExitOnRefusal("pac"); // a refusal exits 2 with its message, not SIGABRT
    std::string model = "t5-base";
    std::string task;
    int64_t epochs = 3;
    int64_t samples = 3668;
    int64_t steps = 2;
    int64_t stages = 0;
    int64_t microBatches = 0;
    std::string fidelity = "flow";
    std::string outputDir = "results/pac";
    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "t5-base, bart-large or t5-large (any preset)", model);
    cmd.AddValue("task",
                 "A GLUE task of PAC's Table 2, setting samples and epochs: mrpc (3668, 3), "
                 "stsb (5749, 3), sst2 (67349, 1), qnli (104743, 1)",
                 task);
    cmd.AddValue("epochs", "Epochs (rounds); PAC trains on the cache from the second", epochs);
    cmd.AddValue("samples", "Training-set samples (MRPC 3668, STS-B 5749, SST-2 67349)", samples);
    cmd.AddValue("steps", "Steps simulated per epoch (0: all); the epoch's time is scaled", steps);
    cmd.AddValue("stages", "PAC's pipeline stages (0: its planner chooses)", stages);
    cmd.AddValue("microBatches",
                 "Micro-batches per pipelined step (0: planners choose)",
                 microBatches);
    cmd.AddValue("fidelity", "flow (default) or packet", fidelity);
    cmd.AddValue("outputDir", "Output folder", outputDir);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);
    // GLUE training-set sizes; PAC trains MRPC and STS-B 3 epochs, SST-2 and QNLI one
    const std::map<std::string, std::pair<int64_t, int64_t>> tasks = {{"mrpc", {3668, 3}},
                                                                      {"stsb", {5749, 3}},
                                                                      {"sst2", {67349, 1}},
                                                                      {"qnli", {104743, 1}}};
    if (!task.empty())
    {
        auto found = tasks.find(task);
        if (found == tasks.end())
        {
            std::cerr << "pac: task='" << task << "' is not allowed; mrpc, stsb, sst2 or qnli\n";
            return 1;
        }
        samples = found->second.first;
        epochs = found->second.second;
    }
    const uint32_t rounds = RequireCountOption("epochs", epochs, 1, 100);
    const uint32_t trainingSamples = RequireCountOption("samples", samples, 1, 100000000);
    const uint32_t simulatedSteps = RequireCountOption("steps", steps, 0, 100000);
    const uint32_t pacStages = RequireCountOption("stages", stages, 0, 10);
    const uint32_t pipelineMicroBatches = RequireCountOption("microBatches", microBatches, 0, 4096);

    Scenario scenario;
    std::string problem = Scenario::LoadFile(GetEdgeLlmScenarioPath("pac-lan.json"), scenario);
    Workload workload = scenario.study.GetWorkload();
    if (problem.empty())
    {
        problem = TransformerSpec::FromPreset(model, workload.spec);
        workload.spec.sequenceLength = 128;
    }
    if (!problem.empty())
    {
        std::cerr << "pac: " << problem << "\n";
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
        std::cerr << "pac: " << problem << "\n";
        return 1;
    }

    std::cout << model << (task.empty() ? "" : ", " + task) << ", "
              << scenario.study.GetFleet().GetDeviceCount() << " Jetson Nano, 1000 Mbit/s LAN, "
              << trainingSamples << " samples, batch " << workload.batchSize << ", " << rounds
              << " epochs, " << fidelity << " level\n\n"
              << std::left << std::setw(18) << "method" << std::right << std::setw(12)
              << "total (h)" << std::setw(14) << "epoch 1 (s)" << std::setw(14) << "later (s)"
              << std::setw(12) << "peak GiB" << std::setw(12) << "network GB" << std::setw(12)
              << "pred. err" << std::setw(14) << "PAC speedup"
              << "\n";
    std::map<std::string, double> totals;
    double pacTotal = 0;
    for (ScenarioRun& run : scenario.runs)
    {
        run.strategy.Set("TrainingSamples", UintegerValue(trainingSamples));
        run.strategy.Set("SimulatedSteps", UintegerValue(simulatedSteps));
        run.strategy.Set("MicroBatches", UintegerValue(pipelineMicroBatches));
        if (run.strategy.GetTypeId() == PacStrategy::GetTypeId())
        {
            run.strategy.Set("Stages", UintegerValue(pacStages));
        }
        if (rounds == 1 && run.name == "pac")
        {
            // one epoch: a cache would be written and never read
            run.strategy.Set("ActivationCache", BooleanValue(false));
        }
        Ptr<PacTrainingStrategy> strategy =
            DynamicCast<PacTrainingStrategy>(Scenario::CreateStrategy(run));
        std::vector<RoundRecord> records;
        problem = scenario.study.Run(run.name, strategy, records);
        report.Add(records);
        std::cout << std::left << std::setw(18) << run.name << std::right << std::fixed;
        if (problem.find("out of memory") != std::string::npos && records.empty())
        {
            std::cout << std::setw(12) << "OOM"
                      << "\n";
            continue;
        }
        if (!problem.empty())
        {
            std::cout << "\n";
            std::cerr << "pac: " << problem << "\n";
            return 1;
        }
        double total = 0;
        double error = 0;
        uint64_t peak = 0;
        double bytes = 0;
        for (const RoundRecord& record : records)
        {
            total += record.phaseSeconds;
            bytes += record.phaseBytes;
            error += record.predictedSeconds / record.latencySeconds - 1.0;
            peak = std::max(peak, record.maxMemoryBytes);
        }
        if (run.name == "pac")
        {
            pacTotal = total;
        }
        std::cout << std::setprecision(3) << std::setw(12) << total / 3600 << std::setprecision(1)
                  << std::setw(14) << records.front().phaseSeconds << std::setw(14)
                  << records.back().phaseSeconds << std::setprecision(3) << std::setw(12)
                  << peak / 1073741824.0 << std::setprecision(1) << std::setw(12) << bytes / 1e9
                  << std::setw(11) << 100.0 * error / records.size() << "%" << std::setprecision(2)
                  << std::setw(13) << (pacTotal > 0 ? total / pacTotal : 0.0) << "x\n";
    }
    std::cout << "\nrounds.csv (phase, phase_s: each epoch's scaled time) and each run's traces in "
              << outputDir << "\n";
    return 0;
}
