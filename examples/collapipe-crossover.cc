/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * CollaPipe's crossover: DSSDA's gain over the even split and over one device alone, against
 * the round's compute / communication ratio. The default Wi-Fi scenario is swept over the BSS's
 * channel width and the local iterations per FedAvg round (flow level, one run number, one
 * round per point); the ratio is the even split's busiest device's compute time over the
 * round's communication time. Writes crossover.csv and crossover.png.
 */

#include "ns3/command-line-counts.h"
#include "ns3/command-line-lists.h"
#include "ns3/config.h"
#include "ns3/core-module.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/scenario.h"
#include "ns3/study-report.h"

#include <fstream>
#include <iomanip>
#include <iostream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Parse "a,b,c" into counts in [min, max]; "" or the problem naming the option and the value.
std::string
ParseCounts(const std::string& option,
            const std::string& text,
            int64_t min,
            int64_t max,
            std::vector<uint64_t>& values)
{
    for (const std::string& item : SplitCommaSeparated(text))
    {
        std::size_t used = 0;
        int64_t value = 0;
        try
        {
            value = std::stoll(item, &used);
        }
        catch (const std::exception&)
        {
            used = 0;
        }
        if (used == 0 || used != item.size())
        {
            return option + "='" + text + "' is invalid: '" + item + "' is not an integer";
        }
        const std::string problem = CheckCountOption(option, value, min, max);
        if (!problem.empty())
        {
            return problem;
        }
        values.push_back(value);
    }
    return values.empty() ? option + "='" + text + "' is invalid: give at least one value" : "";
}

} // namespace

int
main(int argc, char* argv[])
{
    ExitOnRefusal("collapipe-crossover"); // a refusal exits 2 with its message, not SIGABRT
    std::string widths = "20,40,80,160";
    std::string iterations = "1,10,30";
    std::string outputDir = "results/collapipe-crossover";
    CommandLine cmd(__FILE__);
    cmd.AddValue("widths", "Comma-separated Wi-Fi channel widths in MHz", widths);
    cmd.AddValue("localIterations", "Comma-separated local iterations per round", iterations);
    cmd.AddValue("outputDir", "Folder for crossover.csv and crossover.png", outputDir);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);

    std::vector<uint64_t> widthList;
    std::vector<uint64_t> iterationList;
    std::string problem = ParseCounts("widths", widths, 20, 160, widthList);
    if (problem.empty())
    {
        problem = ParseCounts("localIterations", iterations, 1, 1000, iterationList);
    }
    Scenario scenario;
    if (problem.empty())
    {
        problem = Scenario::LoadFile(GetEdgeLlmScenarioPath("collapipe-wifi.json"), scenario);
    }
    if (problem.empty())
    {
        problem = scenario.SelectRuns({"dssda", "even", "standalone"});
    }
    for (uint64_t mhz : widthList)
    {
        if (problem.empty())
        {
            problem = EdgeNetworkHelper::CheckChannelWidth(mhz);
        }
    }
    StudyReport output;
    if (problem.empty())
    {
        problem = output.Open(outputDir);
    }
    std::ofstream csv(outputDir + "/crossover.csv");
    if (problem.empty() && !csv)
    {
        problem = "outputDir='" + outputDir + "' is not writable";
    }
    if (!problem.empty())
    {
        std::cerr << "collapipe-crossover: " << problem << "\n";
        return 1;
    }
    csv << "channel_mhz,local_iterations,compute_over_communication,dssda_s,even_s,"
           "standalone_s,gain_over_even,gain_over_standalone\n";
    std::cout << std::left << std::setw(8) << "MHz" << std::setw(6) << "E" << std::right
              << std::setw(14) << "compute/comm" << std::setw(11) << "dssda (s)" << std::setw(11)
              << "even (s)" << std::setw(16) << "standalone (s)" << std::setw(13) << "gain/even"
              << std::setw(19) << "gain/standalone\n";
    Gnuplot plot;
    plot.SetTitle("CollaPipe on one BSS: DSSDA's gain against the compute / communication ratio");
    plot.SetLegend("compute / communication of the even split's round", "DSSDA's latency gain");
    plot.AppendExtra("set logscale x");
    plot.AppendExtra("set yrange [-0.1:1]");
    Gnuplot2dDataset overEven("over the even split");
    Gnuplot2dDataset overStandalone("over one device alone");
    overEven.SetStyle(Gnuplot2dDataset::POINTS);
    overStandalone.SetStyle(Gnuplot2dDataset::POINTS);
    scenario.study.SetRounds(1);
    for (uint64_t e : iterationList)
    {
        Config::SetDefault("ns3::ClusterTrainingStrategy::LocalIterations", UintegerValue(e));
        for (uint64_t mhz : widthList)
        {
            scenario.study.GetNetworkHelper().SetChannelWidth(mhz);
            scenario.study.SetOutputDirectory(outputDir + "/" + std::to_string(mhz) + "mhz-e" +
                                              std::to_string(e));
            std::map<std::string, RoundRecord> first;
            for (const ScenarioRun& run : scenario.runs)
            {
                std::vector<RoundRecord> records;
                problem = scenario.study.Run(run.name, Scenario::CreateStrategy(run), records);
                if (!problem.empty() || records.empty())
                {
                    std::cerr << "collapipe-crossover: " << mhz << " MHz, E=" << e << ": "
                              << problem << "\n";
                    return 1;
                }
                first[run.name] = records.front();
            }
            const RoundRecord& even = first["even"];
            const double ratio = even.computeSeconds / even.communicationSeconds;
            const double dssda = first["dssda"].latencySeconds;
            const double gainEven = 1 - dssda / even.latencySeconds;
            const double gainAlone = 1 - dssda / first["standalone"].latencySeconds;
            csv << mhz << ',' << e << ',' << ratio << ',' << dssda << ',' << even.latencySeconds
                << ',' << first["standalone"].latencySeconds << ',' << gainEven << ',' << gainAlone
                << '\n';
            std::cout << std::fixed << std::left << std::setw(8) << mhz << std::setw(6) << e
                      << std::right << std::setprecision(3) << std::setw(14) << ratio
                      << std::setprecision(2) << std::setw(11) << dssda << std::setw(11)
                      << even.latencySeconds << std::setw(16) << first["standalone"].latencySeconds
                      << std::setprecision(1) << std::setw(12) << 100 * gainEven << "%"
                      << std::setw(17) << 100 * gainAlone << "%\n";
            overEven.Add(ratio, gainEven);
            overStandalone.Add(ratio, gainAlone);
        }
    }
    csv.flush();
    plot.AddDataset(overEven);
    plot.AddDataset(overStandalone);
    problem = StudyReport::WritePlot(plot, outputDir, "crossover");
    if (!problem.empty() || !csv)
    {
        std::cerr << "collapipe-crossover: " << (problem.empty() ? "crossover.csv" : problem)
                  << "\n";
        return 1;
    }
    std::cout << "\ncrossover.csv and crossover.png in " << outputDir << "\n";
    return 0;
}
