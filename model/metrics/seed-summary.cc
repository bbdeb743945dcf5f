/* SPDX-License-Identifier: GPL-2.0-only */
#include "seed-summary.h"

#include "ns3/abort.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <numeric>
#include <sstream>

namespace ns3
{
namespace edgellm
{

void
SeedSummary::MeanInterval(const std::vector<double>& values, double& mean, double& halfWidth)
{
    NS_ABORT_MSG_IF(values.empty(), "SeedSummary::MeanInterval: no values");
    const double n = values.size();
    mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
    halfWidth = 0;
    if (values.size() < 2)
    {
        return;
    }
    double squares = 0;
    for (double v : values)
    {
        squares += (v - mean) * (v - mean);
    }
    const double deviation = std::sqrt(squares / (n - 1));
    const boost::math::students_t t(n - 1);
    halfWidth = boost::math::quantile(t, 0.975) * deviation / std::sqrt(n);
}

void
SeedSummary::Add(uint64_t seed, const std::vector<RoundRecord>& records)
{
    if (records.empty())
    {
        return;
    }
    SeedMeans means;
    means.seed = seed;
    double samples = 0;
    double latency = 0;
    for (const RoundRecord& row : records)
    {
        latency += row.latencySeconds;
        samples += row.samples;
        means.energyJ += row.energyJ;
        if (row.predictedSeconds > 0 && row.latencySeconds > 0)
        {
            means.predictionError += row.predictedSeconds / row.latencySeconds - 1.0;
        }
    }
    means.rounds = records.size();
    means.latencySeconds = latency / means.rounds;
    means.msPerSample = samples > 0 ? 1e3 * latency / samples : 0.0;
    means.energyJ /= means.rounds;
    means.predictionError /= means.rounds;
    const std::string& run = records.front().run;
    if (m_runs.find(run) == m_runs.end())
    {
        m_order.push_back(run);
    }
    m_runs[run].push_back(means);
}

const std::vector<std::string>&
SeedSummary::GetRuns() const
{
    return m_order;
}

const std::vector<SeedSummary::SeedMeans>&
SeedSummary::GetSeeds(const std::string& run) const
{
    auto found = m_runs.find(run);
    NS_ABORT_MSG_IF(found == m_runs.end(), "SeedSummary: no run named '" << run << "'");
    return found->second;
}

uint32_t
SeedSummary::GetPairedGain(const std::string& run, double& mean, double& halfWidth) const
{
    mean = 0;
    halfWidth = 0;
    if (m_order.empty())
    {
        return 0;
    }
    std::map<uint64_t, double> first;
    for (const SeedMeans& s : GetSeeds(m_order.front()))
    {
        first[s.seed] = s.latencySeconds;
    }
    std::vector<double> gains;
    for (const SeedMeans& s : GetSeeds(run))
    {
        auto found = first.find(s.seed);
        if (found != first.end() && s.latencySeconds > 0)
        {
            gains.push_back(1.0 - found->second / s.latencySeconds);
        }
    }
    if (!gains.empty())
    {
        MeanInterval(gains, mean, halfWidth);
    }
    return gains.size();
}

SeedSummary::Columns
SeedSummary::GetColumns(const std::string& run) const
{
    Columns c;
    for (const SeedMeans& s : GetSeeds(run))
    {
        c.latency.push_back(s.latencySeconds);
        c.msPerSample.push_back(s.msPerSample);
        c.energy.push_back(s.energyJ);
        c.predictionError += s.predictionError;
    }
    c.predictionError /= c.latency.size();
    return c;
}

void
SeedSummary::Print(std::ostream& out) const
{
    if (m_order.empty())
    {
        return;
    }
    const std::ios::fmtflags flags = out.flags();
    out << std::left << std::setw(22) << "scheduler" << std::right << std::setw(8) << "seeds"
        << std::setw(22) << "latency (s)" << std::setw(20) << "ms/sample" << std::setw(22)
        << "energy J/round" << std::setw(11) << "pred. err"
        << "   " << m_order.front() << "'s gain (paired)\n";
    for (const std::string& run : m_order)
    {
        const Columns c = GetColumns(run);
        double mean;
        double half;
        out << std::fixed << std::left << std::setw(22) << run << std::right << std::setw(8)
            << c.latency.size();
        const int widths[] = {22, 20, 22};
        for (int i = 0; i < 3; ++i)
        {
            MeanInterval(*c.Get(i), mean, half);
            std::ostringstream cell;
            cell << std::fixed << std::setprecision(2) << mean << " +- " << half;
            out << std::setw(widths[i]) << cell.str();
        }
        out << std::setw(10) << std::setprecision(2) << std::showpos << 100.0 * c.predictionError
            << std::noshowpos << "%";
        if (run != m_order.front())
        {
            GetPairedGain(run, mean, half);
            out << "   " << std::setprecision(1) << std::showpos << 100.0 * mean << std::noshowpos
                << "% +- " << 100.0 * half << "%";
        }
        out << "\n";
    }
    out.flags(flags);
}

std::string
SeedSummary::Write(const std::string& directory) const
{
    std::ofstream seeds(directory + "/seeds.csv");
    std::ofstream summary(directory + "/summary.csv");
    if (!seeds || !summary)
    {
        return "outputDir='" + directory + "' is not writable (seeds.csv, summary.csv)";
    }
    seeds << "scheduler,seed,rounds,latency_s,ms_per_sample,energy_j,prediction_error\n";
    summary << "scheduler,seeds,latency_s,latency_ci95_s,ms_per_sample,ms_per_sample_ci95,"
               "energy_j,energy_ci95_j,prediction_error,gain_of_first,gain_of_first_ci95\n";
    seeds << std::setprecision(9);
    summary << std::setprecision(9);
    for (const std::string& run : m_order)
    {
        for (const SeedMeans& s : GetSeeds(run))
        {
            seeds << run << ',' << s.seed << ',' << s.rounds << ',' << s.latencySeconds << ','
                  << s.msPerSample << ',' << s.energyJ << ',' << s.predictionError << '\n';
        }
        const Columns c = GetColumns(run);
        summary << run << ',' << c.latency.size();
        for (int i = 0; i < 3; ++i)
        {
            double mean;
            double half;
            MeanInterval(*c.Get(i), mean, half);
            summary << ',' << mean << ',' << half;
        }
        double gain;
        double half;
        GetPairedGain(run, gain, half);
        summary << ',' << c.predictionError << ',' << gain << ',' << half << '\n';
    }
    seeds.flush();
    summary.flush();
    return seeds && summary ? ""
                            : "could not write seeds.csv or summary.csv in '" + directory + "'";
}

} // namespace edgellm
} // namespace ns3
