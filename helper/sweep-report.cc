/* SPDX-License-Identifier: GPL-2.0-only */
#include "sweep-report.h"

#include "ns3/gnuplot.h"
#include "ns3/seed-summary.h"
#include "ns3/study-report.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

namespace ns3
{
namespace edgellm
{

namespace
{

/// the metrics gathered per run: name and rounds.csv column
const std::vector<std::pair<std::string, std::size_t>> METRICS = {{"latency_s", 2},
                                                                  {"energy_j", 10},
                                                                  {"efficiency", 7}};

/// One run's means over its rounds.
struct RunMeans
{
    bool finished{false};        //!< status ok and rounds read
    uint32_t rounds{0};          //!< rows of rounds.csv
    std::vector<double> metrics; //!< in METRICS order
};

/// \return the means of a run's rounds.csv (finished false when there is none)
RunMeans
ReadRun(const SweepRun& run)
{
    RunMeans means;
    std::ifstream in(run.folder + "/rounds.csv");
    std::string line;
    if (!in || !std::getline(in, line))
    {
        return means;
    }
    means.metrics.assign(METRICS.size(), 0.0);
    while (std::getline(in, line))
    {
        std::vector<std::string> fields;
        std::istringstream row(line);
        for (std::string field; std::getline(row, field, ',');)
        {
            fields.push_back(field);
        }
        for (std::size_t m = 0; m < METRICS.size(); ++m)
        {
            if (METRICS[m].second >= fields.size())
            {
                return RunMeans();
            }
            means.metrics[m] += std::stod(fields[METRICS[m].second]);
        }
        ++means.rounds;
    }
    if (means.rounds == 0)
    {
        return RunMeans();
    }
    for (double& metric : means.metrics)
    {
        metric /= means.rounds;
    }
    means.finished = true;
    return means;
}

/// \return \p value (JSON text) as a CSV field: strings without their quotes, a value with a
/// comma or a quote (a list, an object) quoted as RFC 4180 says
std::string
Field(const std::string& value)
{
    std::string text = value;
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    {
        text = text.substr(1, text.size() - 2);
    }
    if (text.find_first_of(",\"") == std::string::npos)
    {
        return text;
    }
    std::string quoted = "\"";
    for (char c : text)
    {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

/// \return true and the number when \p value (JSON text) is one
bool
Numeric(const std::string& value, double& number)
{
    std::istringstream in(value);
    in >> number;
    return in && in.peek() == std::char_traits<char>::eof();
}

} // namespace

std::string
SweepReport::Write(const SweepPlan& plan, std::vector<uint32_t>& unfinished)
{
    unfinished.clear();
    const std::string dir = plan.GetDirectory();
    const std::vector<std::string>& paths = plan.GetParameterPaths();
    std::ofstream runs(dir + "/runs.csv");
    if (!runs)
    {
        return "outputDir='" + dir + "' is not writable";
    }
    runs << std::setprecision(9) << "index,run,seed";
    for (const auto& path : paths)
    {
        runs << "," << path;
    }
    runs << ",status,rounds";
    for (const auto& metric : METRICS)
    {
        runs << "," << metric.first;
    }
    runs << "\n";
    // a point: the run and the parameter values; its runs' means over the seeds
    using Point = std::pair<std::string, std::vector<std::string>>;
    std::map<Point, std::vector<RunMeans>> points;
    std::vector<Point> order;
    for (const SweepRun& run : plan.GetRuns())
    {
        const std::string status = plan.GetStatus(run.index);
        RunMeans means = status == "ok" ? ReadRun(run) : RunMeans();
        if (!means.finished)
        {
            unfinished.push_back(run.index);
        }
        Point point{run.run, {}};
        runs << run.index << "," << run.run << "," << run.seed;
        for (const auto& path : paths)
        {
            point.second.push_back(run.parameters.at(path));
            runs << "," << Field(run.parameters.at(path));
        }
        runs << "," << (status.empty() ? "not-run" : (means.finished ? status : "failed")) << ","
             << means.rounds;
        for (std::size_t m = 0; m < METRICS.size(); ++m)
        {
            runs << ",";
            if (means.finished)
            {
                runs << means.metrics[m];
            }
        }
        runs << "\n";
        if (points.count(point) == 0)
        {
            order.push_back(point);
        }
        points[point].push_back(means);
    }
    std::ofstream summary(dir + "/summary.csv");
    summary << std::setprecision(9) << "run";
    for (const auto& path : paths)
    {
        summary << "," << path;
    }
    summary << ",metric,n,failed,mean,ci95_low,ci95_high\n";
    // latency per point, for the plots
    std::map<Point, std::pair<double, double>> latency;
    for (const Point& point : order)
    {
        for (std::size_t m = 0; m < METRICS.size(); ++m)
        {
            std::vector<double> values;
            uint32_t failed = 0;
            for (const RunMeans& means : points[point])
            {
                if (means.finished)
                {
                    values.push_back(means.metrics[m]);
                }
                else
                {
                    ++failed;
                }
            }
            summary << point.first;
            for (const auto& value : point.second)
            {
                summary << "," << Field(value);
            }
            summary << "," << METRICS[m].first << "," << values.size() << "," << failed;
            if (values.empty())
            {
                summary << ",,,\n";
                continue;
            }
            double mean = 0;
            double half = 0;
            SeedSummary::MeanInterval(values, mean, half);
            summary << "," << mean << "," << mean - half << "," << mean + half << "\n";
            if (m == 0)
            {
                latency[point] = {mean, half};
            }
        }
    }
    if (!summary)
    {
        return "outputDir='" + dir + "' is not writable";
    }
    // one plot per parameter axis, the others at their first values; and one of the runs
    std::vector<std::string> runNames;
    for (const Point& point : order)
    {
        if (std::find(runNames.begin(), runNames.end(), point.first) == runNames.end())
        {
            runNames.push_back(point.first);
        }
    }
    auto first = [&](std::size_t axis, const std::string& value) {
        std::vector<std::string> values;
        for (std::size_t a = 0; a < paths.size(); ++a)
        {
            const SweepRun& any = plan.GetRuns().front();
            values.push_back(a == axis ? value : any.parameters.at(paths[a]));
        }
        return values;
    };
    for (std::size_t axis = 0; axis < paths.size(); ++axis)
    {
        std::vector<std::string> axisValues;
        for (const SweepRun& run : plan.GetRuns())
        {
            const std::string& value = run.parameters.at(paths[axis]);
            if (std::find(axisValues.begin(), axisValues.end(), value) == axisValues.end())
            {
                axisValues.push_back(value);
            }
        }
        Gnuplot plot;
        plot.SetTitle("latency against " + paths[axis] + " (mean and 95% interval over seeds)");
        plot.SetLegend(paths[axis], "round latency (s)");
        std::ostringstream tics;
        bool numeric = true;
        for (std::size_t k = 0; k < axisValues.size(); ++k)
        {
            double x;
            numeric = numeric && Numeric(axisValues[k], x);
            tics << (k > 0 ? ", " : "") << "\"" << Field(axisValues[k]) << "\" " << k;
        }
        if (!numeric)
        {
            plot.AppendExtra("set xtics (" + tics.str() + ")");
        }
        // room for the first and last points' error bars
        plot.AppendExtra("set offsets graph 0.05, graph 0.05, 0, 0");
        for (const auto& name : runNames)
        {
            Gnuplot2dDataset dataset(name);
            dataset.SetStyle(Gnuplot2dDataset::LINES_POINTS);
            dataset.SetErrorBars(Gnuplot2dDataset::Y);
            for (std::size_t k = 0; k < axisValues.size(); ++k)
            {
                auto found = latency.find(Point{name, first(axis, axisValues[k])});
                double x = k;
                if (numeric)
                {
                    Numeric(axisValues[k], x);
                }
                if (found != latency.end())
                {
                    dataset.Add(x, found->second.first, found->second.second);
                }
            }
            plot.AddDataset(dataset);
        }
        std::string name = paths[axis];
        std::replace(name.begin(), name.end(), '.', '-');
        const std::string problem = StudyReport::WritePlot(plot, dir, name);
        if (!problem.empty())
        {
            return problem;
        }
    }
    Gnuplot plot;
    plot.SetTitle("latency per run (mean and 95% interval over seeds)");
    plot.SetLegend("run", "round latency (s)");
    std::ostringstream tics;
    Gnuplot2dDataset dataset("latency");
    dataset.SetStyle(Gnuplot2dDataset::POINTS);
    dataset.SetErrorBars(Gnuplot2dDataset::Y);
    for (std::size_t k = 0; k < runNames.size(); ++k)
    {
        tics << (k > 0 ? ", " : "") << "\"" << runNames[k] << "\" " << k;
        auto found = latency.find(Point{runNames[k], first(paths.size(), "")});
        if (found != latency.end())
        {
            dataset.Add(k, found->second.first, found->second.second);
        }
    }
    plot.AppendExtra("set xtics (" + tics.str() + ")");
    plot.AppendExtra("set xrange [-0.5:" + std::to_string(runNames.size() - 0.5) + "]");
    plot.AddDataset(dataset);
    return StudyReport::WritePlot(plot, dir, "runs");
}

int
SweepReport::Tell(const SweepPlan& plan, std::ostream& out, std::ostream& err)
{
    std::vector<uint32_t> unfinished;
    const std::string problem = Write(plan, unfinished);
    if (!problem.empty())
    {
        err << "edge-llm-sweep: " << problem << "\n";
        return 1;
    }
    const std::string dir = plan.GetDirectory();
    out << plan.GetRuns().size() - unfinished.size() << " of " << plan.GetRuns().size()
        << " runs finished; " << dir << "/runs.csv, " << dir << "/summary.csv and plots\n";
    if (unfinished.empty())
    {
        return 0;
    }
    out << unfinished.size() << " did not finish: runs " << SweepPlan::ArraySpec(unfinished)
        << " (each folder's status and run.log say why); start them again with --outputDir=" << dir
        << " --only=unfinished\n";
    return 3;
}

} // namespace edgellm
} // namespace ns3
