/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-study-helper.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/string.h"

#include <fstream>
#include <iomanip>
#include <limits>

namespace ns3
{
namespace edgellm
{

namespace
{
/**
 * \param cell a result
 * \return its latency in ms, or OOM
 */
std::string
Cell(const GalaxySplitResult& cell)
{
    if (cell.outOfMemory)
    {
        return "OOM";
    }
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << cell.latencySeconds * 1e3;
    return out.str();
}

/**
 * \param path a file to create
 * \param header its first line
 * \param[out] file the stream
 * \return "" or "outputDir='...' is not writable"
 */
std::string
OpenCsv(const std::string& directory,
        const std::string& name,
        const std::string& header,
        std::ofstream& file)
{
    file.open(directory + "/" + name);
    if (!file)
    {
        return "outputDir='" + directory + "' is not writable";
    }
    file << header << "\n";
    return "";
}
} // namespace

const std::vector<std::string>&
GalaxyStudyHelper::GetSplits()
{
    static const std::vector<std::string> splits = {"galaxy",
                                                    "even",
                                                    "sequence",
                                                    "pipeline",
                                                    "single"};
    return splits;
}

std::string
GalaxyStudyHelper::Load(const std::string& path)
{
    return Scenario::LoadFile(path, m_scenario);
}

void
GalaxyStudyHelper::SetModel(const std::string& model)
{
    m_model = model;
}

void
GalaxyStudyHelper::SetPrompt(uint32_t tokens)
{
    m_prompt = tokens;
}

void
GalaxyStudyHelper::SetNetwork(const std::string& kind)
{
    m_scenario.study.GetNetworkHelper().SetNetwork(kind);
}

void
GalaxyStudyHelper::SetDataRateMbps(double mbps)
{
    m_scenario.study.GetNetworkHelper().SetDataRate(
        DataRate(static_cast<uint64_t>(std::llround(mbps * 1e6))));
}

void
GalaxyStudyHelper::SetTileOverlap(bool overlap)
{
    m_overlap = overlap;
}

std::string
GalaxyStudyHelper::GetEnvironment() const
{
    return m_scenario.name;
}

std::string
GalaxyStudyHelper::RunSplit(const std::string& split,
                            const std::string& fidelity,
                            const std::string& outputDir,
                            GalaxySplitResult& result)
{
    result = GalaxySplitResult();
    StudyHelper& study = m_scenario.study;
    Workload workload = study.GetWorkload();
    if (!m_model.empty())
    {
        const std::string problem = TransformerSpec::FromPreset(m_model, workload.spec);
        if (!problem.empty())
        {
            return problem;
        }
    }
    if (m_prompt > 0)
    {
        workload.spec.sequenceLength = m_prompt;
    }
    study.SetWorkload(workload);
    study.SetFidelity(fidelity);
    study.SetRounds(1);
    study.SetOutputDirectory(outputDir);
    ScenarioRun run;
    run.name = split;
    run.strategy.SetTypeId("ns3::GalaxyStrategy");
    run.strategy.Set("Split", StringValue(split));
    run.strategy.Set("TileOverlap", BooleanValue(m_overlap));
    std::vector<RoundRecord> records;
    const std::string problem = study.Run(run.name, Scenario::CreateStrategy(run), records);
    if (records.empty() && problem.find("out of memory") != std::string::npos)
    {
        result.outOfMemory = true;
        return "";
    }
    if (!problem.empty())
    {
        return problem;
    }
    const RoundRecord& record = records.front();
    result.latencySeconds = record.latencySeconds;
    result.predictedSeconds = record.predictedSeconds;
    result.memoryBytes = record.maxMemoryBytes;
    result.bytes = record.phaseBytes;
    for (const DeviceRoundRecord& device : record.devices)
    {
        result.devicesUsed += device.memoryBytes > 0 ? 1 : 0;
    }
    return "";
}

std::string
GalaxyStudyHelper::Table(const std::vector<std::string>& environments,
                         const std::vector<std::string>& models,
                         const std::vector<std::string>& networks,
                         uint32_t prompt,
                         const std::string& fidelity,
                         const std::string& outputDir,
                         std::ostream& out)
{
    std::ofstream csv;
    std::string problem = OpenCsv(outputDir,
                                  "galaxy_table.csv",
                                  "environment,network,model,split,oom,latency_s,predicted_s,"
                                  "devices,memory_bytes,bytes",
                                  csv);
    if (!problem.empty())
    {
        return problem;
    }
    out << std::left << std::setw(13) << "environment" << std::setw(6) << "net" << std::setw(12)
        << "model" << std::right;
    for (const std::string& split : GetSplits())
    {
        out << std::setw(11) << split;
    }
    out << std::setw(22) << "Galaxy vs best other" << std::setw(18) << "Galaxy pred. err"
        << "\n";
    for (const std::string& environment : environments)
    {
        for (const std::string& network : networks)
        {
            for (const std::string& model : models)
            {
                GalaxyStudyHelper helper;
                problem = helper.Load(environment);
                if (!problem.empty())
                {
                    return problem;
                }
                helper.SetNetwork(network);
                helper.SetModel(model);
                helper.SetPrompt(prompt);
                out << std::left << std::setw(13) << helper.GetEnvironment() << std::setw(6)
                    << network << std::setw(12) << model << std::right << std::flush;
                double galaxy = 0;
                double galaxyPredicted = 0;
                double bestOther = std::numeric_limits<double>::infinity();
                for (const std::string& split : GetSplits())
                {
                    GalaxySplitResult cell;
                    problem = helper.RunSplit(split,
                                              fidelity,
                                              outputDir + "/" + helper.GetEnvironment() + "-" +
                                                  network + "-" + model,
                                              cell);
                    if (!problem.empty())
                    {
                        out << "\n";
                        return problem;
                    }
                    out << std::setw(11) << Cell(cell) << std::flush;
                    csv << helper.GetEnvironment() << ',' << network << ',' << model << ',' << split
                        << ',' << (cell.outOfMemory ? 1 : 0) << ',' << std::setprecision(9)
                        << cell.latencySeconds << ',' << cell.predictedSeconds << ','
                        << cell.devicesUsed << ',' << cell.memoryBytes << ',' << cell.bytes << "\n";
                    if (cell.outOfMemory)
                    {
                        continue;
                    }
                    if (split == "galaxy")
                    {
                        galaxy = cell.latencySeconds;
                        galaxyPredicted = cell.predictedSeconds;
                    }
                    else
                    {
                        bestOther = std::min(bestOther, cell.latencySeconds);
                    }
                }
                csv.flush();
                std::ostringstream speedup;
                if (galaxy > 0 && bestOther < std::numeric_limits<double>::infinity())
                {
                    speedup << std::fixed << std::setprecision(2) << bestOther / galaxy << "x";
                }
                else
                {
                    speedup << (galaxy > 0 ? "only Galaxy fits" : "-");
                }
                std::ostringstream error;
                if (galaxy > 0)
                {
                    error << std::fixed << std::setprecision(1) << std::showpos
                          << 100 * (galaxyPredicted / galaxy - 1) << "%";
                }
                out << std::setw(22) << speedup.str() << std::setw(18) << error.str() << "\n";
            }
        }
    }
    return "";
}

std::string
GalaxyStudyHelper::OverlapSweep(const std::string& environment,
                                const std::string& model,
                                uint32_t prompt,
                                const std::vector<double>& ratesMbps,
                                const std::string& outputDir,
                                std::ostream& out)
{
    std::ofstream csv;
    std::string problem =
        OpenCsv(outputDir,
                "galaxy_overlap.csv",
                "rate_mbps,plain_s,overlap_s,plain_predicted_s,overlap_predicted_s,devices",
                csv);
    if (!problem.empty())
    {
        return problem;
    }
    out << std::setw(12) << "LAN Mbit/s" << std::setw(14) << "no overlap" << std::setw(14)
        << "overlap" << std::setw(10) << "gain" << std::setw(9) << "ring"
        << "\n";
    for (double rate : ratesMbps)
    {
        GalaxySplitResult plain;
        GalaxySplitResult overlapped;
        for (bool overlap : {false, true})
        {
            GalaxyStudyHelper helper;
            problem = helper.Load(environment);
            if (!problem.empty())
            {
                return problem;
            }
            helper.SetModel(model);
            helper.SetPrompt(prompt);
            helper.SetDataRateMbps(rate);
            helper.SetTileOverlap(overlap);
            problem = helper.RunSplit("galaxy",
                                      "flow",
                                      outputDir + "/overlap-" + std::to_string(std::llround(rate)),
                                      overlap ? overlapped : plain);
            if (!problem.empty())
            {
                return problem;
            }
        }
        if (plain.outOfMemory || overlapped.outOfMemory)
        {
            out << std::setw(12) << rate << std::setw(14) << "OOM"
                << "\n";
            continue;
        }
        out << std::fixed << std::setprecision(0) << std::setw(12) << rate << std::setprecision(1)
            << std::setw(14) << plain.latencySeconds * 1e3 << std::setw(14)
            << overlapped.latencySeconds * 1e3 << std::setprecision(3) << std::setw(9)
            << plain.latencySeconds / overlapped.latencySeconds << "x" << std::setw(9)
            << overlapped.devicesUsed << "\n";
        csv << std::setprecision(9) << rate << ',' << plain.latencySeconds << ','
            << overlapped.latencySeconds << ',' << plain.predictedSeconds << ','
            << overlapped.predictedSeconds << ',' << overlapped.devicesUsed << "\n";
    }
    return "";
}

} // namespace edgellm
} // namespace ns3
