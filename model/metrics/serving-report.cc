/* SPDX-License-Identifier: GPL-2.0-only */
#include "serving-report.h"

#include "study-report.h"

#include "ns3/fatal-error.h"
#include "ns3/gnuplot.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace ns3
{
namespace edgellm
{

double
ServingReport::Percentile(std::vector<double> values, double percent)
{
    if (values.empty() || !(percent > 0 && percent <= 100))
    {
        NS_FATAL_ERROR("ServingReport::Percentile: " << values.size()
                                                     << " values, percent=" << percent
                                                     << "; allowed: values, percent in (0, 100]");
    }
    std::sort(values.begin(), values.end());
    // rank ceil(p n / 100), 1-based; the small epsilon keeps 90 % of 10 values at rank 9
    const double rank = std::ceil(percent / 100.0 * values.size() - 1e-9);
    const size_t index = static_cast<size_t>(std::max(1.0, rank)) - 1;
    return values[std::min(index, values.size() - 1)];
}

ServingSummary
ServingReport::Summarize(const std::vector<RoundRecord>& records)
{
    ServingSummary summary;
    if (records.empty())
    {
        return summary;
    }
    summary.run = records.front().run;
    summary.requests = records.size();
    summary.generatedTokens = records.front().generatedTokens;
    std::vector<double> firstToken;
    std::vector<double> endToEnd;
    double tokens = 0;
    double firstArrival = records.front().arrivalSeconds;
    double lastDeparture = 0;
    for (const RoundRecord& r : records)
    {
        firstToken.push_back(r.firstTokenSeconds);
        endToEnd.push_back(r.queueSeconds + r.latencySeconds);
        summary.meanQueueSeconds += r.queueSeconds / records.size();
        summary.meanPerTokenSeconds += r.perTokenSeconds / records.size();
        summary.meanServiceFirstToken += (r.firstTokenSeconds - r.queueSeconds) / records.size();
        summary.predictedFirstToken += r.predictedFirstTokenSeconds / records.size();
        summary.predictedPerToken += r.predictedPerTokenSeconds / records.size();
        tokens += r.generatedTokens;
        firstArrival = std::min(firstArrival, r.arrivalSeconds);
        lastDeparture = std::max(lastDeparture, r.arrivalSeconds + endToEnd.back());
    }
    summary.firstTokenP50 = Percentile(firstToken, 50);
    summary.firstTokenP90 = Percentile(firstToken, 90);
    summary.firstTokenP99 = Percentile(firstToken, 99);
    summary.endToEndP50 = Percentile(endToEnd, 50);
    summary.endToEndP90 = Percentile(endToEnd, 90);
    summary.endToEndP99 = Percentile(endToEnd, 99);
    summary.tokensPerSecond =
        lastDeparture > firstArrival ? tokens / (lastDeparture - firstArrival) : 0;
    return summary;
}

void
ServingReport::PrintTableHeader(std::ostream& out)
{
    const std::ios::fmtflags flags = out.flags();
    out << std::left << std::setw(12) << "run" << std::right << std::setw(9) << "requests"
        << std::setw(8) << "tokens" << std::setw(11) << "wait (s)" << std::setw(22)
        << "TTFT p50/p90/p99 (s)" << std::setw(11) << "TPOT (ms)" << std::setw(24)
        << "e2e p50/p90/p99 (s)" << std::setw(10) << "tokens/s" << std::setw(22)
        << "pred. TTFT / TPOT err"
        << "\n";
    out.flags(flags);
}

void
ServingReport::PrintTableRow(std::ostream& out, const ServingSummary& s)
{
    const std::ios::fmtflags flags = out.flags();
    auto triple = [](double a, double b, double c) {
        std::ostringstream t;
        t << std::fixed << std::setprecision(2) << a << '/' << b << '/' << c;
        return t.str();
    };
    auto error = [](double predicted, double measured) {
        return measured > 0 ? 100.0 * (predicted / measured - 1) : 0.0;
    };
    std::ostringstream errors;
    errors << std::fixed << std::setprecision(1) << std::showpos
           << error(s.predictedFirstToken, s.meanServiceFirstToken) << "% / "
           << error(s.predictedPerToken, s.meanPerTokenSeconds) << "%";
    out << std::fixed << std::left << std::setw(12) << s.run << std::right << std::setw(9)
        << s.requests << std::setw(8) << s.generatedTokens << std::setw(11) << std::setprecision(3)
        << s.meanQueueSeconds << std::setw(22)
        << triple(s.firstTokenP50, s.firstTokenP90, s.firstTokenP99) << std::setw(11)
        << std::setprecision(1) << 1e3 * s.meanPerTokenSeconds << std::setw(24)
        << triple(s.endToEndP50, s.endToEndP90, s.endToEndP99) << std::setw(10)
        << std::setprecision(2) << s.tokensPerSecond << std::setw(22) << errors.str() << "\n";
    out.flags(flags);
}

void
ServingReport::PrintTable(std::ostream& out, const std::vector<std::vector<RoundRecord>>& runs)
{
    PrintTableHeader(out);
    for (const std::vector<RoundRecord>& records : runs)
    {
        PrintTableRow(out, Summarize(records));
    }
}

std::string
ServingReport::WriteMemory(const std::vector<std::vector<RoundRecord>>& runs,
                           const std::string& directory)
{
    std::ofstream out(directory + "/memory_over_time.csv");
    if (!out)
    {
        return "outputDir='" + directory + "' is not writable";
    }
    out << "run,request,token,time_s,device,name,memory_bytes,kv_cache_bytes\n";
    for (const std::vector<RoundRecord>& records : runs)
    {
        for (const RoundRecord& r : records)
        {
            const double longest = r.promptTokens + r.generatedTokens - 1.0;
            for (size_t j = 0; j < r.tokenSeconds.size(); ++j)
            {
                for (const DeviceRoundRecord& device : r.devices)
                {
                    if (device.memoryBytes == 0)
                    {
                        continue;
                    }
                    // after token j the cache holds the prompt and j fed-back tokens
                    const auto cache = static_cast<uint64_t>(std::llround(
                        device.kvCacheBytes * (r.promptTokens + static_cast<double>(j)) / longest));
                    out << r.run << ',' << r.round << ',' << j << ',' << std::setprecision(9)
                        << r.queueSeconds + r.tokenSeconds[j] << ',' << device.node << ','
                        << device.name << ',' << device.memoryBytes - device.kvCacheBytes + cache
                        << ',' << cache << '\n';
                }
            }
        }
    }
    return "";
}

std::string
ServingReport::WriteCdf(const std::vector<std::vector<RoundRecord>>& runs,
                        const std::string& directory,
                        const std::string& title)
{
    Gnuplot plot("latency_cdf.png", title);
    plot.SetLegend("latency (s)", "fraction of requests");
    plot.AppendExtra("set key bottom right");
    plot.AppendExtra("set yrange [0:1]");
    for (const std::vector<RoundRecord>& records : runs)
    {
        if (records.empty())
        {
            continue;
        }
        std::vector<double> endToEnd;
        std::vector<double> firstToken;
        for (const RoundRecord& r : records)
        {
            endToEnd.push_back(r.queueSeconds + r.latencySeconds);
            firstToken.push_back(r.firstTokenSeconds);
        }
        for (int which = 0; which < 2; ++which)
        {
            std::vector<double>& values = which == 0 ? endToEnd : firstToken;
            std::sort(values.begin(), values.end());
            Gnuplot2dDataset data(records.front().run + (which == 0 ? " end-to-end" : " TTFT"));
            data.SetStyle(Gnuplot2dDataset::STEPS);
            for (size_t i = 0; i < values.size(); ++i)
            {
                data.Add(values[i], static_cast<double>(i + 1) / values.size());
            }
            plot.AddDataset(data);
        }
    }
    return StudyReport::WritePlot(plot, directory, "latency_cdf");
}

} // namespace edgellm
} // namespace ns3
