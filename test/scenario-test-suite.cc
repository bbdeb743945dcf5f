/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scenario files: the shipped ones load as described; malformed ones stop with one line that
 * names the JSON path, the value and what is allowed.
 */

#include "ns3/collapipe-strategy.h"
#include "ns3/dssda-scheduler.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/fixed-micro-batch-scheduler.h"
#include "ns3/pointer.h"
#include "ns3/scenario.h"
#include "ns3/seed-summary.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ns3
{
namespace edgellm
{

namespace
{

/// The shipped Wi-Fi scenario as JSON.
nlohmann::json
BaseScenario()
{
    std::ifstream in(GetEdgeLlmScenarioPath("collapipe-wifi.json"));
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
}

/// Load \p scenario's text and return the problem.
std::string
Problem(const std::string& text)
{
    Scenario scenario;
    return Scenario::LoadString(text, "bad.json", ".", scenario);
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief The shipped scenarios load into what they describe.
 */
class ShippedScenarioTestCase : public TestCase
{
  public:
    ShippedScenarioTestCase()
        : TestCase("shipped scenarios load as described")
    {
    }

  private:
    void DoRun() override
    {
        // the default (CollaPipe's regime), the FedAvg-bound first default, the OFDMA cell
        struct Expected
        {
            std::string file;
            std::string network;
            uint32_t rounds;
            uint32_t seeds;
            std::string device5;
            uint32_t fixedM;
        };

        for (const Expected& e :
             {Expected{"collapipe-wifi", "wifi", 3, 5, "smartphone-snapdragon-8-gen-2", 2},
              Expected{"collapipe-wifi-fedavg-bound", "wifi", 20, 1, "jetson-xavier-nx", 4},
              Expected{"collapipe-ofdma", "ofdma", 20, 1, "jetson-xavier-nx", 4}})
        {
            const std::string network = e.file;
            Scenario scenario;
            NS_TEST_ASSERT_MSG_EQ(
                Scenario::LoadFile(GetEdgeLlmScenarioPath(e.file + ".json"), scenario),
                "",
                network);
            NS_TEST_ASSERT_MSG_EQ(scenario.study.GetNetworkHelper().GetNetwork(),
                                  e.network,
                                  "kind");
            NS_TEST_ASSERT_MSG_EQ(scenario.runs.size(), 6u, "runs");
            NS_TEST_ASSERT_MSG_EQ(scenario.study.GetRounds(), e.rounds, "rounds");
            NS_TEST_ASSERT_MSG_EQ(scenario.seeds, e.seeds, "seeds");
            NS_TEST_ASSERT_MSG_EQ(scenario.study.GetFidelity(), "flow", "fidelity");
            const Fleet& fleet = scenario.study.GetFleet();
            NS_TEST_ASSERT_MSG_EQ(fleet.GetGroupCount(), 2u, "repeat: 2 clusters");
            NS_TEST_ASSERT_MSG_EQ(fleet.GetDeviceCount(), 8u, "devices");
            NS_TEST_ASSERT_MSG_EQ(fleet.GetNodeCount(), 10u, "devices and control units");
            NS_TEST_ASSERT_MSG_EQ(fleet.GetControlUnitNode(1), 9u, "control units after devices");
            NS_TEST_ASSERT_MSG_EQ(fleet.GetProfile(5).GetName(), e.device5, "order");
            NS_TEST_ASSERT_MSG_EQ(scenario.study.GetWorkload().spec.name, "bert-base", "model");
            // a run's scheduler by TypeId, with its attribute from the file
            Ptr<Strategy> strategy = Scenario::CreateStrategy(scenario.runs[4]);
            Ptr<CollaPipeStrategy> collapipe = DynamicCast<CollaPipeStrategy>(strategy);
            NS_TEST_ASSERT_MSG_NE(collapipe, nullptr, "CollaPipe strategy");
            Ptr<FixedMicroBatchScheduler> fixed =
                DynamicCast<FixedMicroBatchScheduler>(collapipe->GetScheduler());
            NS_TEST_ASSERT_MSG_NE(fixed, nullptr, "fixed-microbatch scheduler");
            UintegerValue m;
            fixed->GetAttribute("MicroBatches", m);
            NS_TEST_ASSERT_MSG_EQ(m.Get(), e.fixedM, "attribute from the file");
            NS_TEST_ASSERT_MSG_EQ(scenario.SelectRuns({"plain-fl", "dssda"}), "", "select");
            NS_TEST_ASSERT_MSG_EQ(scenario.runs.front().name, "plain-fl", "selected order");
            NS_TEST_ASSERT_MSG_EQ(scenario.SelectRuns({"greedy"}),
                                  "runs: no run named 'greedy' (known: plain-fl, dssda)",
                                  "unknown run");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Malformed scenarios: one line each, naming the JSON path, the value, what is allowed.
 */
class MalformedScenarioTestCase : public TestCase
{
  public:
    MalformedScenarioTestCase()
        : TestCase("malformed scenarios give one-line messages")
    {
    }

  private:
    /// Expect the problem of \p scenario to start with \p expected and be one line.
    void Expect(const nlohmann::json& scenario, const std::string& expected)
    {
        const std::string problem = Problem(scenario.dump());
        NS_TEST_EXPECT_MSG_EQ(problem.substr(0, expected.size()), expected, problem);
        NS_TEST_EXPECT_MSG_EQ(problem.find('\n'), std::string::npos, "one line: " + problem);
    }

    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(Problem("{\"workload\": "), "bad.json: not valid JSON (byte 14)", "");
        nlohmann::json s = BaseScenario();
        s["fleet"]["groups"][0]["devices"][2] = "jetsn-nano";
        Expect(s,
               "bad.json: fleet.groups[0].devices[2]: unknown device profile 'jetsn-nano' "
               "(known: jetson-nano, jetson-tx2, jetson-xavier-nx,");

        s = BaseScenario();
        s["round"] = 3;
        Expect(s, "bad.json: round: unknown key (allowed: name, description, devicesFile,");

        s = BaseScenario();
        s["workload"]["model"] = "bert-huge";
        Expect(s, "bad.json: workload.model: unknown model 'bert-huge' (known: ");

        s = BaseScenario();
        s["rounds"] = -1;
        Expect(s, "bad.json: rounds: -1 is invalid: must be an integer in [1, 1000000]");

        s = BaseScenario();
        s["workload"]["batchSize"] = 2.5;
        Expect(s, "bad.json: workload.batchSize: 2.5 is invalid: must be an integer in [1, ");

        s = BaseScenario();
        s["workload"]["dropout"] = 1.5;
        Expect(s,
               "bad.json: workload.dropout: dropout=1.5 is invalid: must be a probability in "
               "[0, 1)");

        s = BaseScenario();
        s["workload"]["dropout"] = "high";
        Expect(s, "bad.json: workload.dropout: expected a finite number, got \"high\"");

        s = BaseScenario();
        s["workload"]["dropoutMaskBytes"] = 16;
        Expect(s,
               "bad.json: workload.dropoutMaskBytes: 16 is invalid: must be an integer in [0, 8]");

        s = BaseScenario();
        s["network"]["kind"] = "5g";
        Expect(s, "bad.json: network.kind: network='5g' is not a known network");

        s = BaseScenario();
        s["network"] = {{"kind", "ofdma"}, {"cellBandwidthMHz", 7}};
        Expect(s, "bad.json: network.cellBandwidthMHz: bandwidthMHz=7 is not in the table");

        s = BaseScenario();
        s["network"] = {{"kind", "lte"}, {"cellBandwidthMHz", 7}};
        Expect(s,
               "bad.json: network.cellBandwidthMHz: cellBandwidthMHz=7 is not an LTE channel "
               "bandwidth");

        s = BaseScenario();
        s["network"]["cellBandwidthMHz"] = 100;
        Expect(s,
               "bad.json: network.cellBandwidthMHz: has no effect with kind 'wifi' (it applies "
               "to ofdma, lte)");

        s = BaseScenario();
        s["network"]["dataRateMbps"] = 1000;
        Expect(s,
               "bad.json: network.dataRateMbps: has no effect with kind 'wifi' (it applies to "
               "csma, p2p)");

        s = BaseScenario();
        s["workload"]["sideBlock"] = "mlp";
        Expect(s, "bad.json: workload.sideBlock: 'mlp' is invalid");

        s = BaseScenario();
        s["fidelity"] = "exact";
        Expect(s, "bad.json: fidelity: fidelity='exact' is not a known network fidelity");

        s = BaseScenario();
        s["runs"][0]["strategy"]["type"] = "ns3::NoSuchStrategy";
        Expect(s,
               "bad.json: runs[0].strategy.type: 'ns3::NoSuchStrategy' is not a known TypeId (a "
               "ns3::Strategy subclass)");

        s = BaseScenario();
        s["runs"][0]["scheduler"]["type"] = "ns3::CollaPipeStrategy";
        Expect(s,
               "bad.json: runs[0].scheduler.type: 'ns3::CollaPipeStrategy' is not a "
               "constructible ns3::CollaPipeScheduler");

        s = BaseScenario();
        s["runs"][0]["scheduler"]["attributes"] = {{"MaxLabel", 4}};
        Expect(s,
               "bad.json: runs[0].scheduler.attributes.MaxLabel: unknown attribute of "
               "ns3::DssdaScheduler (known: MaxAlternations, MaxLabels,");

        s = BaseScenario();
        s["runs"][0]["scheduler"]["attributes"] = {{"MaxLabels", -3}};
        Expect(s,
               "bad.json: runs[0].scheduler.attributes.MaxLabels: value -3 is invalid: allowed: ");

        s = BaseScenario();
        s["runs"][4]["scheduler"]["attributes"] = {{"MicroBatches", "four"}};
        Expect(s, "bad.json: runs[4].scheduler.attributes.MicroBatches: value \"four\" is invalid");

        s = BaseScenario();
        s["runs"][3]["scheduler"] = {{"type", "ns3::DssdaScheduler"}};
        Expect(s, "bad.json: runs[3].scheduler: ns3::StandaloneStrategy takes no scheduler");

        s = BaseScenario();
        s["runs"][1]["name"] = "dssda";
        Expect(s, "bad.json: runs[1].name: 'dssda' names an earlier run too");

        s = BaseScenario();
        s.erase("runs");
        Expect(s, "bad.json: runs: missing");

        s = BaseScenario();
        s["defaults"] = {{"ns3::DssdaScheduler::MaxLabelz", 3}};
        Expect(s,
               "bad.json: defaults.ns3::DssdaScheduler::MaxLabelz: unknown attribute (expected "
               "\"ns3::Type::Attribute\")");
        s["defaults"] = {{"ns3::DssdaScheduler::MaxLabels", "many"}};
        Expect(s, "bad.json: defaults.ns3::DssdaScheduler::MaxLabels: value \"many\" is invalid");

        s = BaseScenario();
        s["seeds"] = 0;
        Expect(s, "bad.json: seeds: 0 is invalid: must be an integer in [1, 1000]");

        s = BaseScenario();
        s["network"]["placement"] = "grid";
        Expect(s, "bad.json: network.placement: placement='grid' is not a known placement");

        s = BaseScenario();
        s["fleet"]["groups"][0]["repeat"] = 0;
        Expect(s,
               "bad.json: fleet.groups[0].repeat: 0 is invalid: must be an integer in [1, 100000]");

        Scenario scenario;
        NS_TEST_EXPECT_MSG_EQ(Scenario::LoadFile("/nonexistent/s.json", scenario),
                              "scenario='/nonexistent/s.json' cannot be opened",
                              "missing file");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief SeedSummary: means and 95% intervals by hand (Student's t), the paired gain.
 */
class SeedSummaryTestCase : public TestCase
{
  public:
    SeedSummaryTestCase()
        : TestCase("seed summary: mean and 95% interval by hand, paired gain")
    {
    }

  private:
    /// one round of \p run with latency \p seconds over \p samples samples
    static std::vector<RoundRecord> Rounds(const std::string& run, double seconds, uint64_t samples)
    {
        RoundRecord r;
        r.run = run;
        r.latencySeconds = seconds;
        r.predictedSeconds = seconds * 1.1;
        r.samples = samples;
        r.energyJ = 2 * seconds;
        return {r};
    }

    void DoRun() override
    {
        double mean;
        double half;
        // 1..5: mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776445 -> 2.776445 * 1.581139 / 2.236068
        SeedSummary::MeanInterval({1, 2, 3, 4, 5}, mean, half);
        NS_TEST_ASSERT_MSG_EQ_TOL(mean, 3.0, 1e-12, "mean");
        NS_TEST_ASSERT_MSG_EQ_TOL(half, 1.963243, 1e-5, "95% half-width");
        SeedSummary::MeanInterval({7}, mean, half);
        NS_TEST_ASSERT_MSG_EQ(half, 0.0, "one value: no interval");

        SeedSummary summary;
        // dssda 8, 10 s; even 10, 20 s over 100 samples: gains 1 - 8/10 = 0.2, 1 - 10/20 = 0.5
        summary.Add(1, Rounds("dssda", 8, 100));
        summary.Add(1, Rounds("even", 10, 100));
        summary.Add(2, Rounds("dssda", 10, 100));
        summary.Add(2, Rounds("even", 20, 100));
        NS_TEST_ASSERT_MSG_EQ(summary.GetRuns().size(), 2u, "runs");
        NS_TEST_ASSERT_MSG_EQ(summary.GetSeeds("even").size(), 2u, "seeds");
        NS_TEST_ASSERT_MSG_EQ_TOL(summary.GetSeeds("even")[1].msPerSample, 200.0, 1e-9, "ms");
        NS_TEST_ASSERT_MSG_EQ_TOL(summary.GetSeeds("dssda")[0].predictionError, 0.1, 1e-12, "err");
        NS_TEST_ASSERT_MSG_EQ(summary.GetPairedGain("even", mean, half), 2u, "paired");
        // mean 0.35, s = 0.212132, t(0.975, 1) = 12.7062: 12.7062 * 0.212132 / 1.414214
        NS_TEST_ASSERT_MSG_EQ_TOL(mean, 0.35, 1e-12, "mean gain");
        NS_TEST_ASSERT_MSG_EQ_TOL(half, 1.905930, 1e-5, "gain half-width");
        std::ostringstream table;
        summary.Print(table);
        NS_TEST_ASSERT_MSG_NE(table.str().find("+35.0% +- 190.6%"), std::string::npos, table.str());
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Scenario files.
 */
class ScenarioTestSuite : public TestSuite
{
  public:
    ScenarioTestSuite()
        : TestSuite("edge-llm-scenario", TestSuite::UNIT)
    {
        AddTestCase(new ShippedScenarioTestCase);
        AddTestCase(new MalformedScenarioTestCase);
        AddTestCase(new SeedSummaryTestCase);
    }
};

static ScenarioTestSuite g_scenarioTestSuite; //!< registration

} // namespace edgellm
} // namespace ns3
