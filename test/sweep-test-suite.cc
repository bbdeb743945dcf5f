/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/sweep-plan.h"
#include "ns3/sweep-report.h"
#include "ns3/test.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

/**
 * \file
 * \ingroup edge-llm-tests
 * Study sweeps: the expansion of a description into runs and scenario files, the refusals,
 * Slurm's array syntax, and the tables gathered from the runs' results (hand-computed means and
 * Student-t intervals; failed and missing runs reported, not dropped). The end-to-end runs, on
 * this machine and through a local Slurm, are the CTest test edge-llm-sweep-slurm.
 */

using namespace ns3;
using namespace ns3::edgellm;
using nlohmann::json;

namespace
{

/// \return the path of a file the test writes, with \p text in it
std::string
WriteFile(const std::string& path, const std::string& text)
{
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
}

/// \return the tiny scenario the sweeps vary, as a path
std::string
TinyScenario()
{
    return std::string(NS_TEST_SOURCEDIR) + "/scenarios/collapipe-tiny-packet.json";
}

/**
 * \ingroup edge-llm-tests
 * \brief A description's axes expand into their product, in order, each run with the scenario
 * file it stands for.
 */
class ExpansionTestCase : public TestCase
{
  public:
    ExpansionTestCase()
        : TestCase("a sweep expands into the product of its axes, each run's scenario written")
    {
    }

  private:
    void DoRun() override
    {
        const std::string dir = CreateTempDirFilename("expansion");
        json description;
        description["scenario"] = TinyScenario();
        description["rounds"] = 3;
        description["runs"] = {"even", "dssda"};
        description["seeds"] = {4, 7};
        description["parameters"] = {{"network.distance", {5, 20, 40}},
                                     {"fleet.groups.0.repeat", {1, 2}}};
        const std::string path = WriteFile(dir + "/sweep.json", description.dump());
        SweepPlan plan;
        NS_TEST_ASSERT_MSG_EQ(SweepPlan::Load(path, plan), "", "load");
        NS_TEST_ASSERT_MSG_EQ(plan.Expand(dir + "/out"), "", "expand");
        const auto& runs = plan.GetRuns();
        NS_TEST_ASSERT_MSG_EQ(runs.size(), 3u * 2 * 2 * 2, "3 x 2 distances/repeats x 2 x 2");
        // paths in order (fleet..., network...), then runs, then seeds fastest
        NS_TEST_EXPECT_MSG_EQ(plan.GetParameterPaths().front(), "fleet.groups.0.repeat", "path");
        NS_TEST_EXPECT_MSG_EQ(runs[0].run, "even", "first run");
        NS_TEST_EXPECT_MSG_EQ(runs[0].seed, 4u, "first seed");
        NS_TEST_EXPECT_MSG_EQ(runs[1].seed, 7u, "seeds vary fastest");
        NS_TEST_EXPECT_MSG_EQ(runs[2].run, "dssda", "then runs");
        NS_TEST_EXPECT_MSG_EQ(runs[4].parameters.at("network.distance"),
                              "20",
                              "then the last path");
        NS_TEST_EXPECT_MSG_EQ(runs[12].parameters.at("fleet.groups.0.repeat"),
                              "2",
                              "first slowest");
        // run 13: repeat 2, distance 5, even, seed 7
        std::ifstream in(runs[13].folder + "/scenario.json");
        const json scenario = json::parse(in);
        NS_TEST_EXPECT_MSG_EQ(scenario["network"]["distance"].get<double>(), 5.0, "distance");
        NS_TEST_EXPECT_MSG_EQ(scenario["fleet"]["groups"][0]["repeat"].get<int>(), 2, "repeat");
        NS_TEST_EXPECT_MSG_EQ(scenario["run"].get<int>(), 7, "the seed is the run number");
        NS_TEST_EXPECT_MSG_EQ(scenario["seeds"].get<int>(), 1, "one run number per run");
        NS_TEST_EXPECT_MSG_EQ(scenario["rounds"].get<int>(), 3, "rounds");
        NS_TEST_EXPECT_MSG_EQ(scenario["runs"].size(), 1u, "one run");
        NS_TEST_EXPECT_MSG_EQ(scenario["runs"][0]["name"].get<std::string>(), "even", "its run");
        NS_TEST_EXPECT_MSG_EQ(scenario["outputDir"].get<std::string>(), runs[13].folder, "folder");
        // the plan reopens as written
        SweepPlan opened;
        NS_TEST_ASSERT_MSG_EQ(SweepPlan::Open(dir + "/out", opened), "", "open");
        NS_TEST_ASSERT_MSG_EQ(opened.GetRuns().size(), runs.size(), "same runs");
        NS_TEST_EXPECT_MSG_EQ(opened.GetRuns()[13].parameters.at("network.distance"), "5", "same");
        NS_TEST_EXPECT_MSG_EQ(opened.GetUnfinished().size(), runs.size(), "none has run yet");

        NS_TEST_EXPECT_MSG_EQ(SweepPlan::ArraySpec({0, 1, 2, 3}), "0-3", "a range");
        NS_TEST_EXPECT_MSG_EQ(SweepPlan::ArraySpec({1, 4, 7}), "1,4,7", "a list");
        NS_TEST_EXPECT_MSG_EQ(SweepPlan::ArraySpec({0, 1, 2, 5, 8, 9}), "0-2,5,8-9", "both");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Bad descriptions stop with one line naming the key and what is allowed.
 */
class RefusalTestCase : public TestCase
{
  public:
    RefusalTestCase()
        : TestCase("bad sweep descriptions are refused, naming the key and what is allowed")
    {
    }

  private:
    void DoRun() override
    {
        const std::string dir = CreateTempDirFilename("refusals");
        auto problemOf = [&](json description) {
            description["scenario"] = TinyScenario();
            const std::string path = WriteFile(dir + "/sweep.json", description.dump());
            SweepPlan plan;
            std::string problem = SweepPlan::Load(path, plan);
            if (problem.empty())
            {
                problem = plan.Expand(dir + "/out");
            }
            return problem;
        };
        auto expect = [&](const json& description, const std::string& part) {
            const std::string problem = problemOf(description);
            NS_TEST_EXPECT_MSG_NE(problem.find(part), std::string::npos, problem);
        };
        expect({{"axes", 1}}, "axes: unknown key");
        expect({{"seeds", {1, -2}}}, "seeds: -2 is invalid");
        expect({{"seeds", {3, 3}}}, "seeds: 3 is invalid: a run number is an integer >= 1, once");
        expect({{"runs", {"dssda", "fast"}}}, "no run named 'fast'");
        expect({{"rounds", 0}}, "rounds: 0 is invalid");
        expect({{"fidelity", "exact"}}, "fidelity");
        expect({{"parameters", {{"network.range", {5}}}}},
               "parameters.network.range: the scenario has no value at this path");
        expect({{"parameters", {{"network.distance", json::array()}}}},
               "expected a list of 1 to 1000 values");
        expect({{"parameters", {{"run", {1, 2}}}}}, "is an axis or setting of the sweep itself");
        // a point the scenario refuses stops the expansion, naming the run and the value
        expect({{"parameters", {{"network.distance", {10, -5}}}}}, "run 2: network.distance");
        SweepPlan plan;
        NS_TEST_EXPECT_MSG_NE(SweepPlan::Load(dir + "/missing.json", plan).find("cannot be read"),
                              std::string::npos,
                              "a missing file");
        NS_TEST_EXPECT_MSG_NE(SweepPlan::Open(dir + "/nowhere", plan).find("no plan.json"),
                              std::string::npos,
                              "a folder without a plan");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The tables from the runs' results: runs.csv row by row; summary.csv's means and 95%
 * intervals by hand; a failed run and one never run counted as such.
 */
class ReportTestCase : public TestCase
{
  public:
    ReportTestCase()
        : TestCase("runs.csv and summary.csv: means and Student-t intervals by hand; failed and "
                   "missing runs reported")
    {
    }

  private:
    void DoRun() override
    {
        const std::string dir = CreateTempDirFilename("report");
        json description;
        description["scenario"] = TinyScenario();
        description["runs"] = {"dssda"};
        description["seeds"] = {1, 2, 3, 4};
        description["parameters"] = {{"network.distance", {5, 10}}};
        SweepPlan plan;
        NS_TEST_ASSERT_MSG_EQ(
            SweepPlan::Load(WriteFile(dir + "/sweep.json", description.dump()), plan),
            "",
            "load");
        NS_TEST_ASSERT_MSG_EQ(plan.Expand(dir + "/out"), "", "expand");
        // distance 5: three seeds finished (latencies of two rounds each), one failed; distance
        // 10: all four finished, run 7 (seed 4) never started
        const std::vector<std::vector<double>> latencies =
            {{1.0, 3.0}, {2.0, 4.0}, {4.0, 6.0}, {}, {1.0, 1.0}, {2.0, 2.0}, {3.0, 3.0}, {}};
        const std::string header = "scheduler,round,latency_s,compute_s,communication_s,bubble,"
                                   "predicted_s,efficiency,micro_batches,max_memory_bytes,"
                                   "energy_j\n";
        for (uint32_t i = 0; i < 8; ++i)
        {
            const std::string folder = plan.GetRuns()[i].folder;
            if (i == 3)
            {
                WriteFile(folder + "/status", "failed\nsomething broke\n");
                continue;
            }
            if (i == 7)
            {
                continue;
            }
            std::string rows = header;
            for (uint32_t round = 0; round < 2; ++round)
            {
                rows += "dssda," + std::to_string(round) + "," +
                        std::to_string(latencies[i][round]) + ",0,0,0,0,0.5,1,1,10\n";
            }
            WriteFile(folder + "/rounds.csv", rows);
            WriteFile(folder + "/status", "ok\n");
        }
        std::vector<uint32_t> unfinished;
        NS_TEST_ASSERT_MSG_EQ(SweepReport::Write(plan, unfinished), "", "write");
        NS_TEST_ASSERT_MSG_EQ(JoinIds(unfinished), "3 7", "the failed and the missing run");
        const auto runs = ReadCsvRows(dir + "/out/runs.csv");
        NS_TEST_ASSERT_MSG_EQ(runs.size(), 8u, "a row per run");
        NS_TEST_EXPECT_MSG_EQ(runs[3][4], "failed", "run 3 failed");
        NS_TEST_EXPECT_MSG_EQ(runs[7][4], "not-run", "run 7 never ran");
        NS_TEST_EXPECT_MSG_EQ(runs[0][6], "2", "run 0's mean latency");
        // summary: distance 5 latency, means 2, 3, 5: mean 10/3, sd sqrt(7/3), t(2) quantile
        const auto summary = ReadCsvRows(dir + "/out/summary.csv");
        // run,network.distance,metric,n,failed,mean,ci95_low,ci95_high
        NS_TEST_ASSERT_MSG_EQ(summary.size(), 6u, "two points x three metrics");
        NS_TEST_EXPECT_MSG_EQ(summary[0][1], "5", "distance 5");
        NS_TEST_EXPECT_MSG_EQ(summary[0][2], "latency_s", "latency first");
        NS_TEST_EXPECT_MSG_EQ(summary[0][3], "3", "three finished");
        NS_TEST_EXPECT_MSG_EQ(summary[0][4], "1", "one failed");
        const double t2 = boost::math::quantile(boost::math::students_t(2), 0.975);
        NS_TEST_EXPECT_MSG_EQ_TOL(t2, 4.302652730, 1e-8, "t(2) 97.5% quantile (tables: 4.303)");
        const double half = t2 * std::sqrt(7.0 / 3.0) / std::sqrt(3.0);
        NS_TEST_EXPECT_MSG_EQ_TOL(std::stod(summary[0][5]), 10.0 / 3.0, 1e-7, "mean");
        NS_TEST_EXPECT_MSG_EQ_TOL(std::stod(summary[0][6]), 10.0 / 3.0 - half, 1e-6, "low");
        NS_TEST_EXPECT_MSG_EQ_TOL(std::stod(summary[0][7]), 10.0 / 3.0 + half, 1e-6, "high");
        NS_TEST_EXPECT_MSG_EQ(summary[1][2], "energy_j", "energy");
        NS_TEST_EXPECT_MSG_EQ_TOL(std::stod(summary[1][5]), 10.0, 1e-9, "energy mean");
        NS_TEST_EXPECT_MSG_EQ(summary[3][1], "10", "distance 10");
        NS_TEST_EXPECT_MSG_EQ(summary[3][3], "3", "three finished");
        NS_TEST_EXPECT_MSG_EQ(summary[3][4], "1", "one missing");
        NS_TEST_EXPECT_MSG_EQ_TOL(std::stod(summary[3][5]), 2.0, 1e-9, "mean of 1, 2, 3");
        NS_TEST_EXPECT_MSG_EQ(std::filesystem::exists(dir + "/out/network-distance.plt"),
                              true,
                              "a plot per parameter");
        NS_TEST_EXPECT_MSG_EQ(JoinIds(plan.GetUnfinished()), "3 7", "to start again");
    }
};

/// The sweep's test suite.
class SweepTestSuite : public TestSuite
{
  public:
    SweepTestSuite()
        : TestSuite("edge-llm-sweep", UNIT)
    {
        AddTestCase(new ExpansionTestCase(), TestCase::QUICK);
        AddTestCase(new RefusalTestCase(), TestCase::QUICK);
        AddTestCase(new ReportTestCase(), TestCase::QUICK);
    }
};

/// The suite's one instance.
SweepTestSuite g_sweepTestSuite;

} // namespace
