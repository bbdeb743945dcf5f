/* SPDX-License-Identifier: GPL-2.0-only */
#include "scenario-runner.h"

#include "ns3/rng-seed-manager.h"
#include "ns3/seed-summary.h"
#include "ns3/serving-report.h"
#include "ns3/study-report.h"

namespace ns3
{
namespace edgellm
{

int
ScenarioRunner::Run(Scenario& scenario, std::ostream& out, std::ostream& err)
{
    if (scenario.seeds > 1)
    {
        return RunSeeds(scenario, out, err);
    }
    return RunOnce(scenario, out, err, nullptr);
}

int
ScenarioRunner::RunSeeds(Scenario& scenario, std::ostream& out, std::ostream& err)
{
    const std::string top = scenario.outputDir;
    const uint64_t first = RngSeedManager::GetRun();
    SeedSummary summary;
    int status = 0;
    for (uint64_t run = first; run < first + scenario.seeds && status == 0; ++run)
    {
        RngSeedManager::SetRun(run);
        scenario.outputDir = top + "/run-" + std::to_string(run);
        scenario.study.SetOutputDirectory(scenario.outputDir);
        out << "== ns-3 run number " << run << " (" << run - first + 1 << " of " << scenario.seeds
            << ") ==\n";
        status = RunOnce(scenario, out, err, &summary);
        out << "\n";
    }
    // what finished is summarised even when a seed stopped early
    scenario.outputDir = top;
    scenario.study.SetOutputDirectory(top);
    RngSeedManager::SetRun(first);
    if (summary.GetRuns().empty())
    {
        return status;
    }
    out << "Over " << summary.GetSeeds(summary.GetRuns().front()).size() << " run numbers from "
        << first << ": mean +- 95% interval (Student's t); gain = 1 - latency("
        << summary.GetRuns().front() << ") / latency(scheduler), paired by run number\n\n";
    summary.Print(out);
    const std::string problem = summary.Write(top);
    if (!problem.empty())
    {
        err << "edge-llm: " << problem << "\n";
        return 1;
    }
    out << "\nseeds.csv and summary.csv in " << top << "; each run number's study in run-N/\n";
    return status;
}

int
ScenarioRunner::RunOnce(Scenario& scenario,
                        std::ostream& out,
                        std::ostream& err,
                        SeedSummary* summary)
{
    StudyHelper& study = scenario.study;
    StudyReport report;
    std::string problem = report.Open(scenario.outputDir);
    if (!problem.empty())
    {
        err << "edge-llm: " << problem << "\n";
        return 1;
    }
    const Fleet& fleet = study.GetFleet();
    const std::string kind = study.GetNetworkHelper().GetNetwork();
    out << study.GetWorkload().spec.name << ", " << fleet.GetDeviceCount() << " devices in "
        << fleet.GetGroupCount() << " groups, " << study.GetRounds() << " rounds, " << kind << ", "
        << study.GetFidelity() << " level\n\n";
    StudyReport::PrintTableHeader(out);
    std::vector<std::vector<RoundRecord>> serving; // the runs whose rounds generated tokens
    for (const ScenarioRun& run : scenario.runs)
    {
        std::vector<RoundRecord> records;
        problem = study.Run(run.name, Scenario::CreateStrategy(run), records);
        report.Add(records);
        StudyReport::PrintTableRow(out, records);
        if (!records.empty() && records.front().generatedTokens > 0)
        {
            serving.push_back(records);
        }
        if (summary != nullptr)
        {
            summary->Add(RngSeedManager::GetRun(), records);
        }
        if (!problem.empty())
        {
            err << "edge-llm: " << problem << " (the rounds before it are in " << scenario.outputDir
                << "/rounds.csv)\n";
            return 1;
        }
    }
    problem = report.WritePlots(scenario.name + ": round latency per run (" + study.GetFidelity() +
                                " level)");
    if (problem.empty() && !serving.empty())
    {
        out << "\nserving: one request a round\n";
        ServingReport::PrintTable(out, serving);
        problem = ServingReport::WriteCdf(serving,
                                          scenario.outputDir,
                                          scenario.name + ": latency CDF (" + study.GetFidelity() +
                                              " level)");
        if (problem.empty())
        {
            problem = ServingReport::WriteMemory(serving, scenario.outputDir);
        }
        out << "latency_cdf.png: end-to-end latency and time to first token per run; "
               "memory_over_time.csv: each device's memory as its KV cache grows\n";
    }
    if (!problem.empty())
    {
        err << "edge-llm: " << problem << "\n";
        return 1;
    }
    out << "\nrounds.csv, round_devices.csv, latency.png, "
        << (report.HasQueues() ? "queues.png (first run)"
                               : "no queues.png (the energy budget never bound: queues 0)")
        << " and each run's tasks.csv and trace.json in " << scenario.outputDir << "\n";
    return 0;
}

} // namespace edgellm
} // namespace ns3
