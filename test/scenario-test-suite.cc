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
        for (const std::string network : {"wifi", "ofdma"})
        {
            Scenario scenario;
            NS_TEST_ASSERT_MSG_EQ(
                Scenario::LoadFile(GetEdgeLlmScenarioPath("collapipe-" + network + ".json"),
                                   scenario),
                "",
                network);
            NS_TEST_ASSERT_MSG_EQ(scenario.study.GetNetworkHelper().GetNetwork(), network, "kind");
            NS_TEST_ASSERT_MSG_EQ(scenario.runs.size(), 6u, "runs");
            NS_TEST_ASSERT_MSG_EQ(scenario.study.GetRounds(), 20u, "rounds");
            NS_TEST_ASSERT_MSG_EQ(scenario.study.GetFidelity(), "flow", "fidelity");
            const Fleet& fleet = scenario.study.GetFleet();
            NS_TEST_ASSERT_MSG_EQ(fleet.GetGroupCount(), 2u, "repeat: 2 clusters");
            NS_TEST_ASSERT_MSG_EQ(fleet.GetDeviceCount(), 8u, "devices");
            NS_TEST_ASSERT_MSG_EQ(fleet.GetNodeCount(), 10u, "devices and control units");
            NS_TEST_ASSERT_MSG_EQ(fleet.GetControlUnitNode(1), 9u, "control units after devices");
            NS_TEST_ASSERT_MSG_EQ(fleet.GetProfile(5).GetName(), "jetson-xavier-nx", "order");
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
            NS_TEST_ASSERT_MSG_EQ(m.Get(), 4u, "attribute from the file");
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
        s["network"]["kind"] = "lte";
        Expect(s, "bad.json: network.kind: network='lte' is not a known network");

        s = BaseScenario();
        s["network"]["cellBandwidthMHz"] = 7;
        Expect(s, "bad.json: network.cellBandwidthMHz: bandwidthMHz=7 is not in the table");

        s = BaseScenario();
        s["fidelity"] = "exact";
        Expect(s, "bad.json: fidelity: fidelity='exact' is not a known network fidelity");

        s = BaseScenario();
        s["runs"][0]["strategy"]["type"] = "ns3::PacStrategy";
        Expect(s,
               "bad.json: runs[0].strategy.type: 'ns3::PacStrategy' is not a known TypeId (a "
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
        s["fleet"]["groups"][0]["repeat"] = 0;
        Expect(s, "bad.json: fleet.groups[0].repeat: 0 is invalid: must be an integer in [1, 256]");

        Scenario scenario;
        NS_TEST_EXPECT_MSG_EQ(Scenario::LoadFile("/nonexistent/s.json", scenario),
                              "scenario='/nonexistent/s.json' cannot be opened",
                              "missing file");
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
    }
};

static ScenarioTestSuite g_scenarioTestSuite; //!< registration

} // namespace edgellm
} // namespace ns3
