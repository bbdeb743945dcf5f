/* SPDX-License-Identifier: GPL-2.0-only */
#include "scenario-runner.h"

#include "ns3/rng-seed-manager.h"
#include "ns3/study-report.h"

namespace ns3
{
namespace edgellm
{

int
ScenarioRunner::Run(Scenario& scenario, std::ostream& out, std::ostream& err)
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
    for (const ScenarioRun& run : scenario.runs)
    {
        std::vector<RoundRecord> records;
        problem = study.Run(run.name, Scenario::CreateStrategy(run), records);
        report.Add(records);
        StudyReport::PrintTableRow(out, records);
        if (!problem.empty())
        {
            err << "edge-llm: " << problem << " (the rounds before it are in " << scenario.outputDir
                << "/rounds.csv)\n";
            return 1;
        }
    }
    problem = report.WritePlots(scenario.name + ": round latency per run (" + study.GetFidelity() +
                                " level)");
    if (!problem.empty())
    {
        err << "edge-llm: " << problem << "\n";
        return 1;
    }
    out << "\nrounds.csv, round_devices.csv, latency.png, queues.png (first run) and each run's "
           "tasks.csv and trace.json in "
        << scenario.outputDir << "\n";
    return 0;
}

} // namespace edgellm
} // namespace ns3
