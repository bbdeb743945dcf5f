/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/edge-llm-paths.h"
#include "ns3/scenario.h"
#include "ns3/test.h"

#include <cmath>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \ingroup edge-llm-tests
 * \brief Packet-level spot checks of PAC's scenario (scenarios/pac-lan.json: T5-Base, 8 Jetson
 * Nano, 1 Gbit/s point-to-point links): PAC's first epoch (filling the cache) and its first
 * cached epoch (with the cache exchange), and Eco-FL's pipeline with LoRA, at both fidelities.
 * Each epoch's time (phase_s) agrees within the flow level's validated error on
 * point-to-point (5 %, doc/flow-level.rst).
 */
class PacPacketSpotCheckTestCase : public TestCase
{
  public:
    PacPacketSpotCheckTestCase()
        : TestCase("PAC scenario: packet level against flow level")
    {
    }

  private:
    /// the records of the runs at one fidelity
    std::vector<std::vector<RoundRecord>> Run(const std::string& fidelity)
    {
        Scenario scenario;
        NS_TEST_EXPECT_MSG_EQ(Scenario::LoadFile(GetEdgeLlmScenarioPath("pac-lan.json"), scenario),
                              "",
                              "scenario");
        NS_TEST_EXPECT_MSG_EQ(scenario.SelectRuns({"pac", "eco-fl-lora"}), "", "runs");
        scenario.study.SetFidelity(fidelity);
        scenario.study.SetRounds(2);
        scenario.study.SetOutputDirectory(CreateTempDirFilename("pac-" + fidelity));
        std::vector<std::vector<RoundRecord>> runs;
        for (const ScenarioRun& run : scenario.runs)
        {
            std::vector<RoundRecord> records;
            NS_TEST_EXPECT_MSG_EQ(
                scenario.study.Run(run.name, Scenario::CreateStrategy(run), records),
                "",
                run.name);
            runs.push_back(records);
        }
        return runs;
    }

    void DoRun() override
    {
        const auto flow = Run("flow");
        const auto packet = Run("packet");
        NS_TEST_ASSERT_MSG_EQ(flow.size(), 2U, "two runs");
        NS_TEST_ASSERT_MSG_EQ(packet.size(), 2U, "two runs");
        for (size_t r = 0; r < flow.size(); ++r)
        {
            NS_TEST_ASSERT_MSG_EQ(flow[r].size(), 2U, "two epochs");
            NS_TEST_ASSERT_MSG_EQ(packet[r].size(), 2U, "two epochs");
            for (size_t e = 0; e < flow[r].size(); ++e)
            {
                const RoundRecord& f = flow[r][e];
                const RoundRecord& p = packet[r][e];
                NS_TEST_ASSERT_MSG_EQ(p.phase, f.phase, "same phase");
                NS_TEST_ASSERT_MSG_GT(f.phaseSeconds, 0.0, "an epoch takes time");
                NS_TEST_ASSERT_MSG_EQ_TOL(p.phaseSeconds / f.phaseSeconds,
                                          1.0,
                                          0.05,
                                          f.run << " epoch " << e << " (" << f.phase << "): packet "
                                                << p.phaseSeconds << " s, flow " << f.phaseSeconds
                                                << " s");
            }
        }
    }
};

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief PAC's scenario at packet level.
 */
class PacPacketTestSuite : public TestSuite
{
  public:
    PacPacketTestSuite()
        : TestSuite("edge-llm-pac-packet", TestSuite::SYSTEM)
    {
        AddTestCase(new PacPacketSpotCheckTestCase);
    }
};

/// the suite's instance
static PacPacketTestSuite g_pacPacketTestSuite;
