/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LoLa DEFT on the OFDMA cell (scenarios/lola-deft-cell.json): JBBA against block-only and
 * bandwidth-only optimisation and equal bands with round-robin or random blocks. Per scheme:
 * the round latency (slowest compute plus upload, as the paper counts it) simulated and as the
 * scheduler predicted it, the slowest device's compute and upload, the fine-tuning time of the
 * epochs, the memory a device needed, and how much JBBA saves; with --sweep, the round latency
 * against the number of devices or the cell's bandwidth (lola_sweep.csv, lola_sweep.png).
 *
 *   ./lola-deft --model=roberta-large --bandwidthMHz=50
 *   ./lola-deft --sweep=devices
 */
#include "ns3/command-line-counts.h"
#include "ns3/command-line.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/gnuplot.h"
#include "ns3/scenario.h"
#include "ns3/study-report.h"
#include "ns3/system-path.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// what one scheme measured over the simulated rounds
struct SchemeResult
{
    bool outOfMemory{false};    //!< no device (or server) holds what the scheme needs
    double roundSeconds{0};     //!< mean upload phase (slowest compute plus upload)
    double predictedSeconds{0}; //!< mean of the scheduler's prediction of it
    double computeSeconds{0};   //!< mean over rounds of the slowest device's compute
    double uploadSeconds{0};    //!< mean over rounds of the slowest device's upload
    uint64_t memoryBytes{0};    //!< the largest memory a device needed
    double uploadedBytes{0};    //!< mean bytes uploaded per round
};

/**
 * \brief Run every scheme of a scenario text.
 * \param text the scenario
 * \param rounds rounds to simulate
 * \param samples training-set size
 * \param fidelity flow or packet
 * \param outputDir output folder
 * \param report where the records go (null: nowhere)
 * \param[out] results per run name
 * \return "" or the problem
 */
std::string
RunSchemes(const std::string& text,
           uint32_t rounds,
           uint32_t samples,
           const std::string& fidelity,
           const std::string& outputDir,
           StudyReport* report,
           std::vector<std::pair<std::string, SchemeResult>>& results)
{
    Scenario scenario;
    std::string problem =
        Scenario::LoadString(text, "lola-deft-cell.json", GetEdgeLlmScenarioPath(""), scenario);
    if (!problem.empty())
    {
        return problem;
    }
    scenario.study.SetFidelity(fidelity);
    scenario.study.SetRounds(rounds);
    scenario.study.SetOutputDirectory(outputDir);
    results.clear();
    for (ScenarioRun& run : scenario.runs)
    {
        TypeId::AttributeInformation info;
        if (run.strategy.GetTypeId().LookupAttributeByName("TrainingSamples", &info))
        {
            run.strategy.Set("TrainingSamples", UintegerValue(samples));
        }
        std::vector<RoundRecord> records;
        problem = scenario.study.Run(run.name, Scenario::CreateStrategy(run), records);
        if (records.empty() && problem.find("out of memory") != std::string::npos)
        {
            SchemeResult oom;
            oom.outOfMemory = true;
            results.emplace_back(run.name, oom);
            continue;
        }
        if (!problem.empty())
        {
            return run.name + ": " + problem;
        }
        if (report)
        {
            report->Add(records);
        }
        SchemeResult r;
        for (const RoundRecord& record : records)
        {
            r.roundSeconds += record.phaseSeconds / records.size();
            r.predictedSeconds += record.phasePredictedSeconds / records.size();
            r.uploadedBytes += static_cast<double>(record.phaseBytes) / records.size();
            r.memoryBytes = std::max(r.memoryBytes, record.maxMemoryBytes);
            // the busiest node's compute (the server's too), the slowest upload
            const double compute = record.computeSeconds;
            double upload = 0;
            for (const DeviceRoundRecord& d : record.devices)
            {
                upload = std::max(upload, d.uploadSeconds);
            }
            r.computeSeconds += compute / records.size();
            r.uploadSeconds += upload / records.size();
        }
        results.emplace_back(run.name, r);
    }
    return "";
}

/**
 * \param pattern device names to cycle through
 * \param count how many devices
 * \return the first \p count names of the pattern repeated
 */
nlohmann::json
CycleDevices(const nlohmann::json& pattern, uint32_t count)
{
    nlohmann::json devices = nlohmann::json::array();
    for (uint32_t i = 0; i < count; ++i)
    {
        devices.push_back(pattern[i % pattern.size()]);
    }
    return devices;
}

} // namespace

int
main(int argc, char* argv[])
{
    ExitOnRefusal("lola-deft"); // a refusal exits 2 with its message, not SIGABRT
    std::string model;
    std::string recipe;
    int64_t devices = 16;
    int64_t layersPerBlock = 0;
    double bandwidthMHz = 20;
    double distance = 400;
    int64_t rounds = 3;
    int64_t samples = 2490;
    int64_t epochs = 1;
    std::string sweep = "none";
    std::string fidelity = "flow";
    std::string outputDir = "results/lola-deft";
    CommandLine cmd(__FILE__);
    cmd.AddValue("model",
                 "roberta-base or roberta-large (any encoder preset; default: the scenario's, "
                 "roberta-large)",
                 model);
    cmd.AddValue("recipe",
                 "What the blocks are: full (layer weights), lora or adapters (default: the "
                 "scenario's, full)",
                 recipe);
    cmd.AddValue("devices",
                 "Devices (the scenario's 8 kinds in turn); at least one per block",
                 devices);
    cmd.AddValue("layersPerBlock",
                 "Transformer layers per parameter block (blocks must not outnumber devices; "
                 "0: the scenario's, 2)",
                 layersPerBlock);
    cmd.AddValue("bandwidthMHz", "The cell's bandwidth (MHz)", bandwidthMHz);
    cmd.AddValue("distance", "Radius (m) of the disc the devices are spread over", distance);
    cmd.AddValue("rounds", "Rounds simulated per scheme; the epochs' time is their mean's", rounds);
    cmd.AddValue("samples",
                 "Training-set samples (GLUE RTE 2490, MRPC 3668, SST-2 67349)",
                 samples);
    cmd.AddValue("epochs", "Epochs of fine-tuning (ceil(samples / 16) rounds each)", epochs);
    cmd.AddValue("sweep", "none, devices (16 to 32) or bandwidth (10 to 100 MHz)", sweep);
    cmd.AddValue("fidelity", "flow (default) or packet", fidelity);
    cmd.AddValue("outputDir", "Output folder", outputDir);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);
    const uint32_t deviceCount = RequireCountOption("devices", devices, 1, 256);
    const uint32_t roundCount = RequireCountOption("rounds", rounds, 1, 1000);
    const uint32_t blockLayers = RequireCountOption("layersPerBlock", layersPerBlock, 0, 1000);
    const uint32_t trainingSamples = RequireCountOption("samples", samples, 1, 100000000);
    const uint32_t epochCount = RequireCountOption("epochs", epochs, 1, 1000);
    if (!(bandwidthMHz > 0) || bandwidthMHz > 400)
    {
        std::cerr << "lola-deft: bandwidthMHz=" << bandwidthMHz
                  << " is not allowed; (0, 400] MHz (an NR numerology's band)\n";
        return 1;
    }
    if (!(distance > 0) || distance > 10000)
    {
        std::cerr << "lola-deft: distance=" << distance << " is not allowed; (0, 10000] m\n";
        return 1;
    }
    if (sweep != "none" && sweep != "devices" && sweep != "bandwidth")
    {
        std::cerr << "lola-deft: sweep='" << sweep
                  << "' is not allowed; none, devices or bandwidth\n";
        return 1;
    }
    // the output folder first: a study that cannot be written is not run
    StudyReport report;
    std::string problem = report.Open(outputDir);
    if (!problem.empty())
    {
        std::cerr << "lola-deft: " << problem << "\n";
        return 1;
    }
    std::ifstream file(GetEdgeLlmScenarioPath("lola-deft-cell.json"));
    nlohmann::json base = nlohmann::json::parse(file, nullptr, false);
    if (base.is_discarded())
    {
        std::cerr << "lola-deft: scenarios/lola-deft-cell.json cannot be read\n";
        return 1;
    }
    const nlohmann::json pattern = base["fleet"]["groups"][0]["devices"];
    model = model.empty() ? base["workload"]["model"].get<std::string>() : model;
    recipe = recipe.empty() ? base["workload"]["recipe"].get<std::string>() : recipe;
    auto scenarioText = [&](uint32_t count, double mhz) {
        nlohmann::json s = base;
        if (!model.empty())
        {
            s["workload"]["model"] = model;
        }
        if (!recipe.empty())
        {
            s["workload"]["recipe"] = recipe;
        }
        s["fleet"]["groups"][0]["devices"] = CycleDevices(pattern, count);
        s["fleet"]["groups"][0].erase("repeat");
        s["network"]["cellBandwidthMHz"] = mhz;
        s["network"]["distance"] = distance;
        for (auto& run : s["runs"])
        {
            if (blockLayers > 0 && run["strategy"]["type"] == "ns3::LolaDeftStrategy")
            {
                run["strategy"]["attributes"]["LayersPerBlock"] = blockLayers;
            }
        }
        // single-device fine-tuning: out of memory is a result, not an error, in this table
        s["runs"].push_back(
            {{"name", "single-device"}, {"strategy", {{"type", "ns3::LolaCentralizedStrategy"}}}});
        return s.dump();
    };

    if (sweep != "none")
    {
        const std::vector<double> points = sweep == "devices"
                                               ? std::vector<double>{16, 20, 24, 32}
                                               : std::vector<double>{10, 20, 50, 100};
        std::ofstream csv(outputDir + "/lola_sweep.csv");
        csv << sweep << ",scheme,round_s,predicted_s\n";
        std::map<std::string, Gnuplot2dDataset> series;
        std::vector<std::string> order;
        std::cout << model << " " << recipe << ", round latency (s) against the "
                  << (sweep == "devices" ? "number of devices" : "cell's bandwidth (MHz)") << ", "
                  << fidelity << " level\n\n"
                  << std::setw(10) << sweep << std::fixed << std::setprecision(2);
        bool header = false;
        for (double point : points)
        {
            std::vector<std::pair<std::string, SchemeResult>> results;
            problem = RunSchemes(scenarioText(sweep == "devices" ? point : deviceCount,
                                              sweep == "devices" ? bandwidthMHz : point),
                                 roundCount,
                                 trainingSamples,
                                 fidelity,
                                 outputDir + "/sweep",
                                 nullptr,
                                 results);
            if (!problem.empty())
            {
                std::cout << "\n";
                std::cerr << "lola-deft: " << sweep << "=" << point << ": " << problem << "\n";
                return 1;
            }
            if (!header)
            {
                for (const auto& [name, r] : results)
                {
                    std::cout << std::setw(20) << name;
                    order.push_back(name);
                    series[name] = Gnuplot2dDataset(name);
                    series[name].SetStyle(Gnuplot2dDataset::LINES_POINTS);
                }
                std::cout << "\n";
                header = true;
            }
            std::cout << std::setw(10) << point << std::fixed << std::setprecision(2);
            for (const auto& [name, r] : results)
            {
                if (r.outOfMemory)
                {
                    std::cout << std::setw(20) << "OOM";
                    csv << point << ',' << name << ",OOM,OOM\n";
                    continue;
                }
                std::cout << std::setw(20) << r.roundSeconds;
                csv << point << ',' << name << ',' << std::setprecision(9) << r.roundSeconds << ','
                    << r.predictedSeconds << '\n'
                    << std::setprecision(2);
                series[name].Add(point, r.roundSeconds);
            }
            std::cout << "\n";
        }
        Gnuplot plot;
        plot.SetTitle("LoLa DEFT: " + model + " " + recipe);
        plot.SetLegend(sweep == "devices" ? "devices" : "cell bandwidth (MHz)",
                       "round latency (s): slowest compute + upload");
        for (const std::string& name : order)
        {
            plot.AddDataset(series[name]);
        }
        problem = StudyReport::WritePlot(plot, outputDir, "lola_sweep");
        if (!problem.empty() || !csv)
        {
            std::cerr << "lola-deft: " << (problem.empty() ? "lola_sweep.csv" : problem)
                      << " not written\n";
            return 1;
        }
        std::cout << "\nlola_sweep.csv and lola_sweep.png in " << outputDir << "\n";
        return 0;
    }

    std::vector<std::pair<std::string, SchemeResult>> results;
    problem = RunSchemes(scenarioText(deviceCount, bandwidthMHz),
                         roundCount,
                         trainingSamples,
                         fidelity,
                         outputDir,
                         &report,
                         results);
    if (!problem.empty())
    {
        std::cerr << "lola-deft: " << problem << "\n";
        return 1;
    }
    const uint64_t iterations = (trainingSamples + 15) / 16;
    const double jbba = results.front().second.roundSeconds;
    std::cout << model << " " << recipe << ", " << deviceCount << " devices on a disc of "
              << distance << " m, " << bandwidthMHz << " MHz cell, " << trainingSamples
              << " samples x " << epochCount << " epochs (" << iterations * epochCount
              << " rounds), " << roundCount << " rounds simulated, " << fidelity << " level\n\n"
              << std::left << std::setw(20) << "scheme" << std::right << std::setw(11)
              << "round (s)" << std::setw(11) << "predicted" << std::setw(11) << "compute"
              << std::setw(11) << "upload" << std::setw(12) << "total (h)" << std::setw(12)
              << "memory GiB" << std::setw(11) << "MB up" << std::setw(14) << "/ JBBA"
              << "\n";
    for (const auto& [name, r] : results)
    {
        if (r.outOfMemory)
        {
            std::cout << std::left << std::setw(20) << name << std::right << std::setw(11) << "OOM"
                      << "\n";
            continue;
        }
        std::cout << std::left << std::setw(20) << name << std::right << std::fixed
                  << std::setprecision(2) << std::setw(11) << r.roundSeconds << std::setw(11)
                  << r.predictedSeconds << std::setw(11) << r.computeSeconds << std::setw(11)
                  << r.uploadSeconds << std::setprecision(3) << std::setw(12)
                  << r.roundSeconds * iterations * epochCount / 3600 << std::setw(12)
                  << r.memoryBytes / 1073741824.0 << std::setprecision(1) << std::setw(11)
                  << r.uploadedBytes / 1e6 << std::setprecision(2) << std::setw(13);
        if (results.front().second.outOfMemory)
        {
            std::cout << "-"
                      << "\n"; // JBBA had no round to compare with
        }
        else
        {
            std::cout << r.roundSeconds / jbba << "x\n";
        }
    }
    problem = report.WritePlots("LoLa DEFT");
    if (!problem.empty())
    {
        std::cerr << "lola-deft: " << problem << "\n";
        return 1;
    }
    std::cout << "\nround: slowest compute + upload (rounds.csv phase_s; predicted: "
                 "phase_predicted_s); rounds.csv, round_devices.csv (blocks, shares, compute, "
                 "upload, memory per device) in "
              << outputDir << "\n";
    return 0;
}
