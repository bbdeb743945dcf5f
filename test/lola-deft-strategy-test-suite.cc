/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/device-catalog.h"
#include "ns3/layer-kernels.h"
#include "ns3/lola-centralized-strategy.h"
#include "ns3/lola-deft-cost-model.h"
#include "ns3/lola-deft-strategy.h"
#include "ns3/scenario.h"
#include "ns3/test.h"
#include "ns3/transformer-spec.h"

#include <cmath>
#include <map>
#include <sstream>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// a RoBERTa-base workload of a recipe, batch 16, sequence 128
Workload
RobertaWorkload(RecipeKind kind)
{
    Workload w;
    w.spec = TransformerSpec::GetPreset("roberta-base");
    w.spec.sequenceLength = 128;
    w.recipe.kind = kind;
    w.batchSize = 16;
    return w;
}

/// the catalog's profiles of the given names
std::vector<DeviceProfile>
Profiles(const std::vector<std::string>& names)
{
    static const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    std::vector<DeviceProfile> profiles;
    for (const std::string& name : names)
    {
        profiles.push_back(catalog.Get(name));
    }
    return profiles;
}

/// GEMM and attention FLOPs of some kernels
double
MatrixFlops(const KernelWork& work)
{
    return work.GetClassFlops(KernelClass::GEMM) + work.GetClassFlops(KernelClass::ATTENTION);
}

/**
 * \ingroup edge-llm-tests
 * \brief LoLa DEFT's costs by hand: gradient bytes, backward FLOPs by depth, monotone time and
 * memory.
 */
class LolaDeftCostModelTestCase : public TestCase
{
  public:
    LolaDeftCostModelTestCase()
        : TestCase("LoLa DEFT cost model: block bytes of RoBERTa-base by hand (full 28,351,488 B, "
                   "LoRA 98,304 B), each block deeper adds one pass-through layer's backward "
                   "(F + 2A FLOPs), compute time and memory grow with depth")
    {
    }

  private:
    void DoRun() override
    {
        LolaDeftCostModel costs;
        LolaDeftCostModel::Config config;
        config.workload = RobertaWorkload(RecipeKind::FULL);
        config.devices = Profiles({"jetson-nano", "jetson-agx-orin"});
        NS_TEST_ASSERT_MSG_EQ(costs.Configure(config), "", "configure");
        NS_TEST_ASSERT_MSG_EQ(costs.GetBlockCount(), 12u, "one block per layer");
        // a RoBERTa-base layer: QKV 3 (h^2 + h), output h^2 + h, two norms 2 x 2h, FFN
        // h f + f and f h + h: 7,087,872 parameters of 4 bytes
        const uint64_t h = 768;
        const uint64_t f = 3072;
        const uint64_t layer = 3 * (h * h + h) + (h * h + h) + 4 * h + (h * f + f) + (f * h + h);
        NS_TEST_ASSERT_MSG_EQ(layer, 7087872u, "hand count");
        for (uint32_t m = 0; m < 12; ++m)
        {
            NS_TEST_ASSERT_MSG_EQ(costs.GetGradientBytes(m), 4 * layer, "block " << m);
        }
        NS_TEST_ASSERT_MSG_EQ(costs.GetTrainableBytes(), 12 * 4 * layer, "all blocks");

        // per layer, forward: GEMMs F = 2 T (4 h^2 + 2 h f) over T = b s tokens, attention
        // products A = 2 x 2 b s^2 h; a trained layer's backward 2F + 2A, a pass-through
        // layer's F + 2A (input gradients only)
        const double tokens = 16.0 * 128;
        const double F = 2 * tokens * (4.0 * h * h + 2.0 * h * f);
        const double A = 2 * 2 * 16.0 * 128 * 128 * h;
        TrainingRecipe recipe = config.workload.recipe;
        recipe.microBatchSize = 16;
        const auto through = LayerKernelModel::Compute(config.workload.spec, recipe, false);
        const double head = MatrixFlops(through.back().backward);
        const double forward0 = MatrixFlops(costs.GetKernels(0).forward);
        for (uint32_t m = 0; m < 12; ++m)
        {
            const LayerKernels& k = costs.GetKernels(m);
            NS_TEST_ASSERT_MSG_EQ_TOL(MatrixFlops(k.forward),
                                      forward0,
                                      1e-9 * forward0,
                                      "the forward is the whole model's at every depth");
            NS_TEST_ASSERT_MSG_EQ_TOL(MatrixFlops(k.backward),
                                      head + m * (F + 2 * A) + (2 * F + 2 * A),
                                      1e-9 * F,
                                      "block " << m << ": head, m pass-through layers, the block");
        }
        for (uint32_t k = 0; k < 2; ++k)
        {
            for (uint32_t m = 1; m < 12; ++m)
            {
                NS_TEST_ASSERT_MSG_GT(costs.GetComputeSeconds(k, m),
                                      costs.GetComputeSeconds(k, m - 1),
                                      "time grows with depth");
            }
        }
        const SegmentMemory& shallow = costs.GetMemory(0);
        for (uint32_t m = 1; m < 12; ++m)
        {
            const SegmentMemory& memory = costs.GetMemory(m);
            NS_TEST_ASSERT_MSG_GT(memory.totalBytes,
                                  costs.GetMemory(m - 1).totalBytes,
                                  "memory grows with depth");
            // every device holds the whole model and one block's gradient and Adam moments
            NS_TEST_ASSERT_MSG_EQ(memory.parameterBytes, shallow.parameterBytes, "weights");
            NS_TEST_ASSERT_MSG_EQ(memory.gradientBytes, 4 * layer, "one block's gradient");
            NS_TEST_ASSERT_MSG_EQ(memory.optimizerStateBytes, 8 * layer, "Adam's two moments");
            NS_TEST_ASSERT_MSG_GT(memory.storedActivationBytesPerMicroBatch,
                                  costs.GetMemory(m - 1).storedActivationBytesPerMicroBatch,
                                  "one more layer's activations kept");
        }
        // the verdicts follow the bytes
        for (uint32_t m = 0; m < 12; ++m)
        {
            const bool fits = costs.GetMemory(m).totalBytes <= costs.GetAvailableBytes(0);
            NS_TEST_ASSERT_MSG_EQ(costs.Fits(0, m), fits, "verdict");
        }

        // LoRA of rank 8 on the query and value: 2 x (h r + r h) parameters of 4 bytes
        LolaDeftCostModel lora;
        config.workload = RobertaWorkload(RecipeKind::LORA);
        NS_TEST_ASSERT_MSG_EQ(lora.Configure(config), "", "LoRA");
        NS_TEST_ASSERT_MSG_EQ(lora.GetGradientBytes(5), 2u * (h * 8 + 8 * h) * 4, "98,304 B");
        // groups of 5 layers from the output: 5, 5 and the 2 deepest
        LolaDeftCostModel grouped;
        config.layersPerBlock = 5;
        NS_TEST_ASSERT_MSG_EQ(grouped.Configure(config), "", "grouped");
        NS_TEST_ASSERT_MSG_EQ(grouped.GetBlockCount(), 3u, "3 blocks");
        NS_TEST_ASSERT_MSG_EQ(grouped.GetGradientBytes(0), 5 * lora.GetGradientBytes(0), "5");
        NS_TEST_ASSERT_MSG_EQ(grouped.GetGradientBytes(2), 2 * lora.GetGradientBytes(0), "2");
        NS_TEST_ASSERT_MSG_EQ(grouped.GetBlockLayers(0).second, 12u, "block 0 ends at the last");

        // refusals name what is wrong
        config.layersPerBlock = 13;
        NS_TEST_ASSERT_MSG_NE(grouped.Configure(config).find("LayersPerBlock=13"),
                              std::string::npos,
                              "too many layers per block");
        config.layersPerBlock = 1;
        config.workload.recipe.kind = RecipeKind::PARALLEL_ADAPTERS;
        NS_TEST_ASSERT_MSG_NE(grouped.Configure(config).find("recipe=parallel-adapters"),
                              std::string::npos,
                              "a side network has no blocks of the backbone");
    }
};

/// a small LoLa DEFT study on the cell (or Wi-Fi): 8 devices, a 4-layer encoder trained in full
std::string
TinyScenario(bool sendUpdates, bool wifi = false)
{
    std::ostringstream s;
    s << R"({
  "name": "lola-tiny",
  "defaults": {"ns3::OfdmaSharesScheduler::WorkConserving": false},
  "workload": {"model": "tiny-encoder", "recipe": "full", "sequenceLength": 64, "batchSize": 16},
  "fleet": {"server": "edge-server-a100", "groups": [{"devices": [
    "smartphone-snapdragon-8-gen-2", "jetson-agx-orin", "jetson-xavier-nx", "jetson-tx2",
    "jetson-nano", "raspberry-pi-4", "smartphone-snapdragon-8-gen-2", "jetson-xavier-nx"]}]},
  "network": )"
      << (wifi ? R"({"kind": "wifi", "placement": "disc", "distance": 25})"
               : R"({"kind": "ofdma", "fading": "nakagami", "cellBandwidthMHz": 5,
              "placement": "disc", "distance": 400})")
      << R"(,
  "rounds": 2, "fidelity": "flow", "seed": 1, "run": 1,
  "runs": [
    {"name": "jbba", "strategy": {"type": "ns3::LolaDeftStrategy", "attributes": {"SendUpdates": )"
      << (sendUpdates ? "true" : "false") << R"(}}},
    {"name": "block-only", "strategy": {"type": "ns3::LolaDeftStrategy"},
     "scheduler": {"type": "ns3::BlockOnlyScheduler"}},
    {"name": "bandwidth-only", "strategy": {"type": "ns3::LolaDeftStrategy"},
     "scheduler": {"type": "ns3::FixedAssignmentScheduler",
                   "attributes": {"Bandwidth": "optimal"}}},
    {"name": "equal-round-robin", "strategy": {"type": "ns3::LolaDeftStrategy"},
     "scheduler": {"type": "ns3::FixedAssignmentScheduler"}},
    {"name": "equal-random", "strategy": {"type": "ns3::LolaDeftStrategy"},
     "scheduler": {"type": "ns3::FixedAssignmentScheduler",
                   "attributes": {"Assignment": "random"}}},
    {"name": "single-device", "strategy": {"type": "ns3::LolaCentralizedStrategy"}},
    {"name": "offloading", "strategy": {"type": "ns3::LolaCentralizedStrategy",
                                        "attributes": {"Trainer": "server"}}}
  ]
})";
    return s.str();
}

/**
 * \brief Runs the tiny study.
 * \param fidelity flow or packet
 * \param sendUpdates the strategy's SendUpdates (first run)
 * \param names the runs to do
 * \param directory output folder
 * \param wifi on Wi-Fi instead of the cell
 * \return per run its records
 */
std::map<std::string, std::vector<RoundRecord>>
RunTiny(const std::string& fidelity,
        bool sendUpdates,
        const std::vector<std::string>& names,
        const std::string& directory,
        bool wifi = false)
{
    Scenario scenario;
    const std::string problem =
        Scenario::LoadString(TinyScenario(sendUpdates, wifi), "lola-tiny", ".", scenario);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    NS_ABORT_MSG_IF(!scenario.SelectRuns(names).empty(), "runs");
    scenario.study.SetFidelity(fidelity);
    scenario.study.SetOutputDirectory(directory);
    std::map<std::string, std::vector<RoundRecord>> runs;
    for (const ScenarioRun& run : scenario.runs)
    {
        std::vector<RoundRecord> records;
        const std::string failed =
            scenario.study.Run(run.name, Scenario::CreateStrategy(run), records);
        NS_ABORT_MSG_IF(!failed.empty(), run.name << ": " << failed);
        runs[run.name] = records;
    }
    return runs;
}

/**
 * \ingroup edge-llm-tests
 * \brief The strategy on the cell at flow level: exact bytes, one device per block, the
 * scheduler's prediction, JBBA against its baselines.
 */
class LolaDeftStrategyTestCase : public TestCase
{
  public:
    LolaDeftStrategyTestCase()
        : TestCase("LoLa DEFT on the cell, flow level: exact uplink bytes, one device per "
                   "block, the band in full, prediction as simulated, JBBA fastest; updates; "
                   "single-device and offloading")
    {
    }

  private:
    void DoRun() override
    {
        const auto runs =
            RunTiny("flow",
                    false,
                    {"jbba", "block-only", "bandwidth-only", "equal-round-robin", "equal-random"},
                    CreateTempDirFilename("lola-flow"));
        // a tiny-encoder layer (h 256, f 1024): 4 h^2 + 4 h + 2 h f + f + h + 4 h = 789,760
        // parameters of 4 bytes; 4 blocks
        const uint64_t block =
            4 * (4 * 256 * 256 + 4 * 256 + 2 * 256 * 1024 + 1024 + 256 + 4 * 256);
        NS_TEST_ASSERT_MSG_EQ(block, 3159040u, "hand count");
        for (const auto& [name, records] : runs)
        {
            NS_TEST_ASSERT_MSG_EQ(records.size(), 2u, name << ": two rounds");
            if (name == "single-device" || name == "offloading")
            {
                continue; // below
            }
            for (const RoundRecord& r : records)
            {
                NS_TEST_ASSERT_MSG_EQ(r.phaseBytes, 4 * block, name << ": the 4 gradients");
                NS_TEST_ASSERT_MSG_EQ(r.bytes, 4 * block, name << ": nothing else moves");
                std::vector<uint32_t> owners(4, 0);
                double shares = 0;
                for (const DeviceRoundRecord& d : r.devices)
                {
                    if (d.block >= 0)
                    {
                        ++owners.at(d.block);
                        shares += d.bandwidthShare;
                        NS_TEST_ASSERT_MSG_GT(d.uploadSeconds, 0.0, name << ": it uploaded");
                        NS_TEST_ASSERT_MSG_GT(d.computeSeconds, 0.0, name << ": it computed");
                    }
                }
                for (uint32_t n : owners)
                {
                    NS_TEST_ASSERT_MSG_EQ(n, 1u, name << ": one device per block");
                }
                NS_TEST_ASSERT_MSG_EQ_TOL(shares, 1.0, 1e-9, name << ": the band in full");
                // the scheduler plans with the flow level's own rates
                NS_TEST_ASSERT_MSG_EQ_TOL(r.phasePredictedSeconds / r.phaseSeconds,
                                          1.0,
                                          1e-4,
                                          name << " round " << r.round);
                NS_TEST_ASSERT_MSG_GT_OR_EQ(r.phaseSeconds,
                                            runs.at("jbba")[r.round].phaseSeconds * (1 - 1e-6),
                                            name << ": JBBA is the fastest");
            }
        }
        // JBBA beats the depth-blind baselines clearly here
        NS_TEST_ASSERT_MSG_LT(runs.at("jbba")[0].phaseSeconds,
                              0.8 * runs.at("equal-round-robin")[0].phaseSeconds,
                              "JBBA 20% below equal band, round-robin blocks");

        // one node fine-tunes everything: the fastest device that holds it, nothing on the
        // network; or the server, after a device (in turn) uploads its batch's embedding output,
        // 16 x 64 tokens x 256 x 4 bytes
        const auto central = RunTiny("flow",
                                     false,
                                     {"single-device", "offloading"},
                                     CreateTempDirFilename("lola-c"));
        for (const RoundRecord& r : central.at("single-device"))
        {
            NS_TEST_ASSERT_MSG_EQ(r.bytes, 0u, "standalone: nothing crosses the network");
            NS_TEST_ASSERT_MSG_EQ(r.devices.at(1).blocks, 4u, "the AGX Orin, fastest, takes all");
            NS_TEST_ASSERT_MSG_EQ_TOL(r.phaseSeconds / r.phasePredictedSeconds,
                                      1.0,
                                      1e-6,
                                      "its compute as predicted");
        }
        for (const RoundRecord& r : central.at("offloading"))
        {
            NS_TEST_ASSERT_MSG_EQ(r.bytes, 16u * 64 * 256 * 4, "one batch's activations");
            NS_TEST_ASSERT_MSG_EQ(r.phaseBytes, r.bytes, "the upload");
            NS_TEST_ASSERT_MSG_EQ_TOL(r.devices.at(r.round).bandwidthShare,
                                      1.0,
                                      0,
                                      "device r uploads over the whole band");
            NS_TEST_ASSERT_MSG_EQ_TOL(r.phaseSeconds / r.phasePredictedSeconds,
                                      1.0,
                                      1e-4,
                                      "upload and server compute as predicted");
        }
        // RoBERTa-large fully fine-tuned fits none of the memory-limited devices
        Ptr<LolaCentralizedStrategy> standalone = CreateObject<LolaCentralizedStrategy>();
        Fleet fleet;
        fleet.SetServer(Profiles({"edge-server-a100"}).front());
        fleet.AddGroup(Profiles({"smartphone-snapdragon-8-gen-2",
                                 "jetson-xavier-nx",
                                 "jetson-nano",
                                 "raspberry-pi-4"}));
        Workload large = RobertaWorkload(RecipeKind::FULL);
        large.spec = TransformerSpec::GetPreset("roberta-large");
        large.spec.sequenceLength = 128;
        NS_TEST_ASSERT_MSG_NE(standalone->Configure(fleet, large).find("out of memory"),
                              std::string::npos,
                              "single-device fine-tuning of RoBERTa-large is out of memory");
        NS_TEST_ASSERT_MSG_EQ(standalone->Configure(fleet, RobertaWorkload(RecipeKind::FULL)),
                              "",
                              "RoBERTa-base fits a phone");

        // with SendUpdates the second round first downloads every block to the involved
        const auto updated =
            RunTiny("flow", true, {"jbba"}, CreateTempDirFilename("lola-flow-updates"));
        const std::vector<RoundRecord>& u = updated.at("jbba");
        NS_TEST_ASSERT_MSG_EQ(u[0].bytes, 4 * block, "round 0: nothing to download");
        NS_TEST_ASSERT_MSG_EQ(u[1].bytes, 4 * block + 4 * (4 * block), "4 devices x 4 blocks");
        NS_TEST_ASSERT_MSG_EQ_TOL(u[1].phaseSeconds,
                                  runs.at("jbba")[1].phaseSeconds,
                                  1e-6 * u[1].phaseSeconds,
                                  "the paper's latency leaves the download out");
        NS_TEST_ASSERT_MSG_GT(u[1].latencySeconds, u[1].phaseSeconds, "the round includes it");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief One round of the tiny study at packet level against the flow level.
 */
class LolaDeftPacketTestCase : public TestCase
{
  public:
    LolaDeftPacketTestCase()
        : TestCase("LoLa DEFT packet level: JBBA's and block-only's upload phase within 6% of the "
                   "flow level (the scheduler's prediction)")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<std::string> names{"jbba", "block-only"};
        const auto flow = RunTiny("flow", false, names, CreateTempDirFilename("lola-f"));
        const auto packet = RunTiny("packet", false, names, CreateTempDirFilename("lola-p"));
        for (const std::string& name : names)
        {
            for (uint32_t round = 0; round < 2; ++round)
            {
                const RoundRecord& f = flow.at(name)[round];
                const RoundRecord& p = packet.at(name)[round];
                NS_TEST_ASSERT_MSG_EQ(p.phaseBytes, f.phaseBytes, name << ": same bytes");
                NS_TEST_ASSERT_MSG_EQ_TOL(
                    p.phaseSeconds / f.phaseSeconds,
                    1.0,
                    0.06,
                    name << " round " << round << ": packet " << p.phaseSeconds << " s, flow "
                         << f.phaseSeconds << " s, predicted " << p.phasePredictedSeconds << " s");
            }
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief LoLa DEFT with Wi-Fi as the uplink: no shares, the overlapping uploads contend.
 */
class LolaDeftWifiTestCase : public TestCase
{
  public:
    LolaDeftWifiTestCase()
        : TestCase("LoLa DEFT on Wi-Fi: exact bytes, no shares, the contention-aware prediction "
                   "as the flow level simulates, JBBA no slower than the baselines, packet level "
                   "within 10%; a band split refused")
    {
    }

  private:
    void DoRun() override
    {
        const std::vector<std::string> names{"jbba",
                                             "block-only",
                                             "equal-round-robin",
                                             "equal-random"};
        const auto flow = RunTiny("flow", false, names, CreateTempDirFilename("lw-f"), true);
        const uint64_t block = 3159040; // bytes of a tiny-encoder layer's gradient (above)
        for (const auto& [name, records] : flow)
        {
            for (const RoundRecord& r : records)
            {
                NS_TEST_ASSERT_MSG_EQ(r.phaseBytes, 4 * block, name << ": the 4 gradients");
                NS_TEST_ASSERT_MSG_EQ(r.bytes, 4 * block, name << ": nothing else moves");
                for (const DeviceRoundRecord& d : r.devices)
                {
                    NS_TEST_ASSERT_MSG_EQ(d.bandwidthShare, 0.0, name << ": nobody grants");
                }
                // the scheduler times the overlaps as the flow level shares the airtime
                NS_TEST_ASSERT_MSG_EQ_TOL(r.phasePredictedSeconds / r.phaseSeconds,
                                          1.0,
                                          0.01,
                                          name << " round " << r.round << ": predicted "
                                               << r.phasePredictedSeconds << " s, simulated "
                                               << r.phaseSeconds << " s");
                NS_TEST_ASSERT_MSG_LT_OR_EQ(flow.at("jbba")[r.round].phaseSeconds,
                                            r.phaseSeconds * (1 + 1e-3),
                                            name << ": JBBA no slower");
            }
        }
        const auto packet = RunTiny("packet", false, {"jbba"}, CreateTempDirFilename("lw-p"), true);
        for (uint32_t round = 0; round < 2; ++round)
        {
            const RoundRecord& f = flow.at("jbba")[round];
            const RoundRecord& p = packet.at("jbba")[round];
            NS_TEST_ASSERT_MSG_EQ(p.phaseBytes, f.phaseBytes, "same bytes");
            NS_TEST_ASSERT_MSG_EQ_TOL(p.phaseSeconds / f.phaseSeconds,
                                      1.0,
                                      0.10,
                                      "round " << round << ": packet " << p.phaseSeconds
                                               << " s, flow " << f.phaseSeconds << " s");
            std::cout << "LoLa DEFT on Wi-Fi, round " << round << ": packet " << p.phaseSeconds
                      << " s, flow " << f.phaseSeconds << " s, predicted "
                      << f.phasePredictedSeconds << " s" << std::endl;
        }
        // a band split has no meaning where nobody grants shares
        Scenario scenario;
        NS_TEST_ASSERT_MSG_EQ(
            Scenario::LoadString(TinyScenario(false, true), "lola-tiny", ".", scenario),
            "",
            "loads");
        NS_TEST_ASSERT_MSG_EQ(scenario.SelectRuns({"bandwidth-only"}), "", "selects");
        scenario.study.SetOutputDirectory(CreateTempDirFilename("lw-b"));
        std::vector<RoundRecord> records;
        const std::string refused =
            scenario.study.Run(scenario.runs.front().name,
                               Scenario::CreateStrategy(scenario.runs.front()),
                               records);
        NS_TEST_ASSERT_MSG_NE(refused.find("Bandwidth=optimal is not allowed on a shared channel"),
                              std::string::npos,
                              refused);
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief LoLa DEFT's costs, strategy and schedulers on the cell.
 */
class LolaDeftStrategyTestSuite : public TestSuite
{
  public:
    LolaDeftStrategyTestSuite()
        : TestSuite("edge-llm-lola-deft", TestSuite::UNIT)
    {
        AddTestCase(new LolaDeftCostModelTestCase);
        AddTestCase(new LolaDeftStrategyTestCase);
        AddTestCase(new LolaDeftPacketTestCase);
        AddTestCase(new LolaDeftWifiTestCase);
    }
};

/// the suite's instance
LolaDeftStrategyTestSuite g_lolaDeftStrategyTestSuite;

} // namespace
