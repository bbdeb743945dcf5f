/* SPDX-License-Identifier: GPL-2.0-only */
#include "lola-deft-study-helper.h"

#include "scenario.h"

#include "ns3/edge-llm-paths.h"
#include "ns3/gnuplot.h"

#include <fstream>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ns3
{
namespace edgellm
{

LolaDeftStudyHelper::LolaDeftStudyHelper() = default;

std::string
LolaDeftStudyHelper::Load(const std::string& path)
{
    std::ifstream file(path);
    const nlohmann::json base = nlohmann::json::parse(file, nullptr, false);
    if (!file || base.is_discarded() || !base.contains("fleet") || !base.contains("workload"))
    {
        return "scenario='" + path + "' cannot be read as a LoLa DEFT scenario";
    }
    m_base = base.dump();
    return "";
}

void
LolaDeftStudyHelper::SetModel(const std::string& model)
{
    m_model = model;
}

void
LolaDeftStudyHelper::SetRecipe(const std::string& recipe)
{
    m_recipe = recipe;
}

void
LolaDeftStudyHelper::SetDevices(uint32_t devices)
{
    m_devices = devices;
}

void
LolaDeftStudyHelper::SetLayersPerBlock(uint32_t layers)
{
    m_layersPerBlock = layers;
}

void
LolaDeftStudyHelper::SetBandwidthMHz(double mhz)
{
    m_bandwidthMHz = mhz;
}

void
LolaDeftStudyHelper::SetDistance(double metres)
{
    m_distance = metres;
}

std::string
LolaDeftStudyHelper::GetModel() const
{
    return m_model.empty() ? nlohmann::json::parse(m_base)["workload"]["model"].get<std::string>()
                           : m_model;
}

std::string
LolaDeftStudyHelper::GetRecipe() const
{
    return m_recipe.empty() ? nlohmann::json::parse(m_base)["workload"]["recipe"].get<std::string>()
                            : m_recipe;
}

std::string
LolaDeftStudyHelper::MakeText() const
{
    nlohmann::json s = nlohmann::json::parse(m_base);
    s["workload"]["model"] = GetModel();
    s["workload"]["recipe"] = GetRecipe();
    // the file's first group of device kinds, in turn
    const nlohmann::json pattern = s["fleet"]["groups"][0]["devices"];
    nlohmann::json devices = nlohmann::json::array();
    for (uint32_t i = 0; i < m_devices; ++i)
    {
        devices.push_back(pattern[i % pattern.size()]);
    }
    s["fleet"]["groups"] = nlohmann::json::array({{{"devices", devices}}});
    // 0: the file's
    if (m_bandwidthMHz > 0)
    {
        s["network"]["cellBandwidthMHz"] = m_bandwidthMHz;
    }
    if (m_distance > 0)
    {
        s["network"]["distance"] = m_distance;
    }
    for (auto& run : s["runs"])
    {
        if (m_layersPerBlock > 0 && run["strategy"]["type"] == "ns3::LolaDeftStrategy")
        {
            run["strategy"]["attributes"]["LayersPerBlock"] = m_layersPerBlock;
        }
    }
    // single-device fine-tuning: out of memory is a result, not an error, in these tables
    s["runs"].push_back(
        {{"name", "single-device"}, {"strategy", {{"type", "ns3::LolaCentralizedStrategy"}}}});
    return s.dump();
}

std::string
LolaDeftStudyHelper::Run(uint32_t rounds,
                         const std::string& fidelity,
                         const std::string& outputDir,
                         StudyReport* report,
                         std::vector<std::pair<std::string, LolaSchemeResult>>& results) const
{
    Scenario scenario;
    std::string problem =
        Scenario::LoadString(MakeText(), "lola-deft", GetEdgeLlmScenarioPath(""), scenario);
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
        std::vector<RoundRecord> records;
        problem = scenario.study.Run(run.name, Scenario::CreateStrategy(run), records);
        if (records.empty() && problem.find("out of memory") != std::string::npos)
        {
            LolaSchemeResult oom;
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
        LolaSchemeResult r;
        for (const RoundRecord& record : records)
        {
            r.roundSeconds += record.phaseSeconds / records.size();
            r.predictedSeconds += record.phasePredictedSeconds / records.size();
            r.uploadedBytes += static_cast<double>(record.phaseBytes) / records.size();
            r.memoryBytes = std::max(r.memoryBytes, record.maxMemoryBytes);
            // the busiest node's compute (the server's too), the slowest upload
            r.computeSeconds += record.computeSeconds / records.size();
            double upload = 0;
            for (const DeviceRoundRecord& d : record.devices)
            {
                upload = std::max(upload, d.uploadSeconds);
            }
            r.uploadSeconds += upload / records.size();
        }
        results.emplace_back(run.name, r);
    }
    return "";
}

std::string
LolaDeftStudyHelper::Sweep(const std::string& sweep,
                           const std::vector<double>& points,
                           uint32_t rounds,
                           const std::string& fidelity,
                           const std::string& outputDir,
                           std::ostream& table)
{
    if (sweep != "devices" && sweep != "bandwidth")
    {
        return "sweep='" + sweep + "' is not allowed; devices or bandwidth";
    }
    std::ofstream csv(outputDir + "/lola_sweep.csv");
    if (!csv)
    {
        return "outputDir='" + outputDir + "' is not writable";
    }
    csv << sweep << ",scheme,round_s,predicted_s\n";
    const uint32_t devices = m_devices;
    const double mhz = m_bandwidthMHz;
    std::map<std::string, Gnuplot2dDataset> series;
    std::vector<std::string> order;
    table << std::setw(10) << sweep << std::fixed << std::setprecision(2);
    for (double point : points)
    {
        m_devices = sweep == "devices" ? static_cast<uint32_t>(point) : devices;
        m_bandwidthMHz = sweep == "bandwidth" ? point : mhz;
        std::vector<std::pair<std::string, LolaSchemeResult>> results;
        std::string problem = Run(rounds, fidelity, outputDir + "/sweep", nullptr, results);
        if (!problem.empty())
        {
            m_devices = devices;
            m_bandwidthMHz = mhz;
            std::ostringstream out;
            out << sweep << "=" << point << ": " << problem;
            return out.str();
        }
        if (order.empty())
        {
            for (const auto& [name, r] : results)
            {
                table << std::setw(20) << name;
                order.push_back(name);
                series[name] = Gnuplot2dDataset(name);
                series[name].SetStyle(Gnuplot2dDataset::LINES_POINTS);
            }
            table << "\n";
        }
        table << std::setw(10) << point;
        for (const auto& [name, r] : results)
        {
            if (r.outOfMemory)
            {
                table << std::setw(20) << "OOM";
                csv << point << ',' << name << ",OOM,OOM\n";
                continue;
            }
            table << std::setw(20) << r.roundSeconds;
            csv << point << ',' << name << ',' << std::setprecision(9) << r.roundSeconds << ','
                << r.predictedSeconds << '\n'
                << std::setprecision(2);
            series[name].Add(point, r.roundSeconds);
        }
        table << "\n";
    }
    m_devices = devices;
    m_bandwidthMHz = mhz;
    Gnuplot plot;
    plot.SetTitle("LoLa DEFT: " + GetModel() + " " + GetRecipe());
    plot.SetLegend(sweep == "devices" ? "devices" : "cell bandwidth (MHz)",
                   "round latency (s): slowest compute + upload");
    for (const std::string& name : order)
    {
        plot.AddDataset(series[name]);
    }
    return StudyReport::WritePlot(plot, outputDir, "lola_sweep");
}

} // namespace edgellm
} // namespace ns3
