/* SPDX-License-Identifier: GPL-2.0-only */
#include "study-report.h"

#include "ns3/gnuplot.h"
#include "ns3/log.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iomanip>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmStudyReport");

std::string
StudyReport::Open(const std::string& directory)
{
    m_directory = directory;
    // created here, so that a folder that cannot be is refused with its name, before any run
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
    {
        return "outputDir='" + directory + "' is not writable (" + error.message() + ")";
    }
    m_rounds.open(directory + "/rounds.csv");
    m_devices.open(directory + "/round_devices.csv");
    if (!m_rounds || !m_devices)
    {
        return "outputDir='" + directory + "' is not writable";
    }
    m_rounds
        << "scheduler,round,latency_s,compute_s,communication_s,bubble,predicted_s,"
           "efficiency,micro_batches,max_memory_bytes,energy_j,samples,prediction_error,bytes,"
           "phase,phase_s,phase_bytes,phase_predicted_s,arrival_s,queue_s,generated_tokens,ttft_s,"
           "tpot_s,predicted_ttft_s,predicted_tpot_s,failures,failed_nodes,lost_s,"
           "samples_planned,samples_dropped,drop_reason,bytes_lost,bytes_discarded,backhaul_bytes,"
           "backhaul_s\n";
    m_devices << "scheduler,round,device,name,blocks,tx_power_dbm,energy_j,radio_energy_j,queue_j,"
                 "predicted_energy_j,block,bandwidth_share,compute_s,upload_s,memory_bytes,"
                 "kv_cache_bytes\n";
    return "";
}

void
StudyReport::Add(const std::vector<RoundRecord>& records)
{
    for (const RoundRecord& row : records)
    {
        for (const DeviceRoundRecord& device : row.devices)
        {
            m_devices << row.run << ',' << row.round << ',' << device.node << ',' << device.name
                      << ',' << device.blocks << ',' << std::setprecision(3) << device.txPowerDbm
                      << ',' << std::setprecision(6) << device.energyJ << ',' << device.radioEnergyJ
                      << ',' << device.queue << ',' << device.predictedEnergyJ << ','
                      << device.block << ',' << device.bandwidthShare << ','
                      << device.computeSeconds << ',' << device.uploadSeconds << ','
                      << device.memoryBytes << ',' << device.kvCacheBytes << '\n';
        }
        m_rounds << row.run << ',' << row.round << ',' << std::setprecision(9) << row.latencySeconds
                 << ',' << row.computeSeconds << ',' << row.communicationSeconds << ','
                 << row.bubble << ',' << row.predictedSeconds << ',' << std::setprecision(6)
                 << row.efficiency << ',' << row.microBatches << ',' << row.maxMemoryBytes << ','
                 << row.energyJ << ',' << row.samples << ',' << GetPredictionError(row) << ','
                 << row.bytes << ',' << row.phase << ',' << std::setprecision(9) << row.phaseSeconds
                 << ',' << row.phaseBytes << ',' << row.phasePredictedSeconds << ','
                 << row.arrivalSeconds << ',' << row.queueSeconds << ',' << row.generatedTokens
                 << ',' << row.firstTokenSeconds << ',' << row.perTokenSeconds << ','
                 << row.predictedFirstTokenSeconds << ',' << row.predictedPerTokenSeconds << ','
                 << row.failedNodes.size() << ',';
        for (size_t i = 0; i < row.failedNodes.size(); ++i)
        {
            m_rounds << (i > 0 ? " " : "") << row.failedNodes[i];
        }
        m_rounds << ',' << row.lostSeconds << ',' << row.samplesPlanned << ',' << row.samplesDropped
                 << ',' << row.dropReason << ',' << row.bytesLost << ',' << row.bytesDiscarded
                 << ',' << row.backhaulBytes << ',' << row.backhaulSeconds << '\n';
    }
    m_rounds.flush();
    m_devices.flush();
    m_runs.push_back(records);
}

double
StudyReport::GetPredictionError(const RoundRecord& row)
{
    if (row.predictedSeconds <= 0 || row.latencySeconds <= 0)
    {
        return 0;
    }
    return row.predictedSeconds / row.latencySeconds - 1.0;
}

void
StudyReport::PrintTableHeader(std::ostream& out)
{
    out << std::left << std::setw(22) << "scheduler" << std::right << std::setw(14) << "latency (s)"
        << std::setw(12) << "compute" << std::setw(12) << "comm" << std::setw(9) << "bubble"
        << std::setw(12) << "efficiency" << std::setw(16) << "max memory GiB" << std::setw(18)
        << "energy J/round" << std::setw(12) << "ms/sample" << std::setw(12) << "pred. err"
        << "\n";
}

void
StudyReport::PrintTableRow(std::ostream& out, const std::vector<RoundRecord>& records)
{
    if (records.empty())
    {
        return;
    }
    double latency = 0;
    double compute = 0;
    double communication = 0;
    double bubble = 0;
    double efficiency = 0;
    double energy = 0;
    uint64_t memory = 0;
    double samples = 0;
    double predictionError = 0;
    for (const RoundRecord& row : records)
    {
        samples += row.samples;
        predictionError += GetPredictionError(row);
        latency += row.latencySeconds;
        compute += row.computeSeconds;
        communication += row.communicationSeconds;
        bubble += row.bubble;
        efficiency += row.efficiency;
        energy += row.energyJ;
        memory = std::max(memory, row.maxMemoryBytes);
    }
    const double n = records.size();
    const std::ios::fmtflags flags = out.flags();
    out << std::fixed << std::left << std::setw(22) << records.front().run << std::right
        << std::setw(14) << std::setprecision(3) << latency / n << std::setw(12) << compute / n
        << std::setw(12) << communication / n << std::setw(9) << bubble / n << std::setw(12)
        << efficiency / n << std::setw(16) << memory / 1073741824.0 << std::setw(18) << energy / n
        << std::setw(12) << (samples > 0 ? 1e3 * latency / samples : 0.0) << std::setw(11)
        << std::showpos << 100.0 * predictionError / n << std::noshowpos << "%"
        << "\n";
    out.flags(flags);
}

namespace
{

/// Write \p plot as \p name.plt in \p dir and render \p name.png when gnuplot is installed.
} // namespace

std::string
StudyReport::WritePlot(Gnuplot& plot, const std::string& dir, const std::string& name)
{
    plot.SetTerminal("pngcairo size 900,540");
    plot.SetOutputFilename(name + ".png");
    {
        std::ofstream out(dir + "/" + name + ".plt");
        if (!out)
        {
            return "outputDir='" + dir + "' is not writable";
        }
        plot.GenerateOutput(out);
    }
    const std::string command = "cd '" + dir + "' && command -v gnuplot > /dev/null && gnuplot '" +
                                name + ".plt' > /dev/null 2>&1";
    if (std::system(command.c_str()) != 0)
    {
        NS_LOG_WARN(name << ".png not rendered (gnuplot missing or failed); the script is " << dir
                         << "/" << name << ".plt");
    }
    return "";
}

bool
StudyReport::HasQueues() const
{
    for (const RoundRecord& row : m_runs.empty() ? std::vector<RoundRecord>{} : m_runs.front())
    {
        for (const DeviceRoundRecord& device : row.devices)
        {
            if (device.queue > 0)
            {
                return true;
            }
        }
    }
    return false;
}

std::string
StudyReport::WritePlots(const std::string& title) const
{
    Gnuplot latency;
    latency.SetTitle(title);
    latency.SetLegend("round", "latency (s)");
    for (const auto& run : m_runs)
    {
        if (run.empty())
        {
            continue;
        }
        Gnuplot2dDataset series(run.front().run);
        series.SetStyle(Gnuplot2dDataset::LINES_POINTS);
        for (const RoundRecord& row : run)
        {
            series.Add(row.round, row.latencySeconds);
        }
        latency.AddDataset(series);
    }
    for (const auto& run : m_runs)
    {
        // the rounds in which a device was lost (their latency includes the lost attempt)
        Gnuplot2dDataset failures(run.empty() ? "" : run.front().run + ": a device lost");
        failures.SetStyle(Gnuplot2dDataset::POINTS);
        bool any = false;
        for (const RoundRecord& row : run)
        {
            if (!row.failedNodes.empty())
            {
                failures.Add(row.round, row.latencySeconds);
                any = true;
            }
        }
        if (any)
        {
            latency.AddDataset(failures);
        }
    }
    std::string problem = WritePlot(latency, m_directory, "latency");
    if (!problem.empty() || m_runs.empty() || m_runs.front().empty() || !HasQueues())
    {
        return problem; // no queues.png when the energy budget never bound
    }
    const std::vector<RoundRecord>& first = m_runs.front();
    Gnuplot queues;
    queues.SetTitle("Energy virtual queues Q_k (" + first.front().run + ")");
    queues.SetLegend("round", "queue (J)");
    for (uint32_t d = 0; d < first.front().devices.size(); ++d)
    {
        Gnuplot2dDataset series("device " + std::to_string(d) + " " +
                                first.front().devices[d].name);
        series.SetStyle(Gnuplot2dDataset::LINES);
        for (const RoundRecord& row : first)
        {
            series.Add(row.round, row.devices[d].queue);
        }
        queues.AddDataset(series);
    }
    return WritePlot(queues, m_directory, "queues");
}

} // namespace edgellm
} // namespace ns3
