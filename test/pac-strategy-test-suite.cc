/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/boolean.h"
#include "ns3/device-catalog.h"
#include "ns3/double.h"
#include "ns3/eco-fl-strategy.h"
#include "ns3/eddl-strategy.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/pac-cache-exchange.h"
#include "ns3/pac-cost-model.h"
#include "ns3/pac-graph-builder.h"
#include "ns3/pac-standalone-strategy.h"
#include "ns3/pac-strategy.h"
#include "ns3/segment-memory.h"
#include "ns3/string.h"
#include "ns3/test.h"

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// 8 Jetson Nano 4 GB, PAC's testbed
Fleet
NanoPool(uint32_t devices = 8)
{
    const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    Fleet fleet;
    fleet.AddGroup(std::vector<DeviceProfile>(devices, catalog.Get("jetson-nano")));
    fleet.SetServer(catalog.Get("jetson-nano"));
    return fleet;
}

/// a workload of PAC's evaluation: batch 16, sequence 128, fp32, side network of reduction 8
Workload
PacWorkload(const std::string& model, RecipeKind recipe)
{
    Workload workload;
    workload.spec = TransformerSpec::GetPreset(model);
    workload.spec.sequenceLength = 128;
    workload.recipe.kind = recipe;
    workload.recipe.adapterReduction = 8;
    workload.recipe.sideTransformer = true; // PAC's side block
    workload.batchSize = 16;
    return workload;
}

/// a configured strategy's plan of a round on a 1 Gbit/s switched LAN, or its refusal
std::string
PlanRound(Ptr<PacTrainingStrategy> strategy,
          const Workload& workload,
          uint32_t round,
          Ptr<PacRoundPlan>& plan)
{
    strategy->SetComputeModel(CreateObject<KernelComputeModel>());
    std::string problem = strategy->Configure(NanoPool(), workload);
    if (!problem.empty())
    {
        return problem;
    }
    return strategy->PlanAt(round, 1e9, false, plan);
}

/**
 * \ingroup edge-llm-tests
 * \brief The cache's size by hand: every block's output, e x sequence x hidden, summed over
 * the blocks (PAC section 5.2: s x h x l per sequence).
 */
class PacCacheSizeTestCase : public TestCase
{
  public:
    PacCacheSizeTestCase()
        : TestCase("PAC: activation cache bytes per sample by hand")
    {
    }

  private:
    void DoRun() override
    {
        Workload workload = PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS);
        // T5-Base: 12 encoder blocks at 128 positions, 12 decoder blocks at 128, d = 768, fp32
        const uint64_t byHand = 4ULL * 768 * (12 * 128 + 12 * 128);
        NS_TEST_ASSERT_MSG_EQ(PacCostModel::GetCacheBytesPerSample(workload.spec, workload.recipe),
                              byHand,
                              "T5-Base cache per sample");
        PacCostModel costs;
        PacCostModel::Config config;
        config.workload = workload;
        config.devices = {DeviceCatalog::LoadDefault().Get("jetson-nano")};
        NS_TEST_ASSERT_MSG_EQ(costs.Configure(config), "", "configure");
        NS_TEST_ASSERT_MSG_EQ(costs.GetCacheBytesPerSample(0, costs.GetLayerCount() - 1),
                              byHand,
                              "the per-layer taps add up to the whole");
        // PAC's own figure: 500 T5-Base samples of 30 tokens take "under 1 GB"... of about
        // 1.1 GB by s x h x l (30 x 768 x 24 x 4 bytes x 500 = 1.106e9)
        workload.spec.sequenceLength = 30;
        workload.spec.decoderSequenceLength = 30;
        NS_TEST_ASSERT_MSG_EQ(
            500 * PacCostModel::GetCacheBytesPerSample(workload.spec, workload.recipe),
            1105920000ULL,
            "PAC's 500-sample example");
        // side blocks beside the last 9 of each stack's 12 blocks: 18 taps of 24
        Workload nine = PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS);
        nine.recipe.sideBlocks = 9;
        NS_TEST_ASSERT_MSG_EQ(PacCostModel::GetCacheBytesPerSample(nine.spec, nine.recipe),
                              4ULL * 768 * (9 * 128 + 9 * 128),
                              "9 of 12 side blocks");
        config.workload = nine;
        PacCostModel ninePerLayer;
        NS_TEST_ASSERT_MSG_EQ(ninePerLayer.Configure(config), "", "configure");
        NS_TEST_ASSERT_MSG_EQ(ninePerLayer.GetCacheBytesPerSample(0, costs.GetLayerCount() - 1),
                              4ULL * 768 * (9 * 128 + 9 * 128),
                              "the per-layer taps of 9 of 12");
        // the first 3 encoder blocks train nothing and have no backward
        const std::vector<LayerCost>& nineLayers = ninePerLayer.GetLayers(1);
        NS_TEST_ASSERT_MSG_EQ(nineLayers[1].trainableParameterCount, 0ULL, "block 0: none");
        NS_TEST_ASSERT_MSG_EQ(nineLayers[1].backwardFlops, 0.0, "block 0: no backward");
        NS_TEST_ASSERT_MSG_EQ(nineLayers[3].trainableParameterCount, 0ULL, "block 2: none");
        NS_TEST_ASSERT_MSG_GT(nineLayers[4].trainableParameterCount, 0ULL, "block 3: a side block");
        // bf16 halves it
        workload.recipe.dtype = DataType::BF16;
        NS_TEST_ASSERT_MSG_EQ(PacCostModel::GetCacheBytesPerSample(workload.spec, workload.recipe),
                              2ULL * 768 * (24 * 30),
                              "bf16");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief PAC's side block by hand, T5-Base (h 768, FFN 3072, 12 heads, no biases, RMSNorm),
 * r = 8: width 96, FFN 384, 12 heads of 8. Parameters: the tap 768 x 96 + 96, attention
 * 4 x 96 x 96, FFN 2 x 96 x 384, two norms of 96: 184,608 per block. Forward FLOPs of b
 * sequences of n tokens: 2bn(768 x 96) + 2bn(4 x 96^2 + 2 x 96 x 384) + 4bn^2 x 96; backward:
 * twice the side block, the tap's weight gradient once.
 */
class PacSideBlockTestCase : public TestCase
{
  public:
    PacSideBlockTestCase()
        : TestCase("PAC: the Transformer side block by hand")
    {
    }

  private:
    void DoRun() override
    {
        const Workload workload = PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS);
        TrainingRecipe recipe = workload.recipe;
        recipe.microBatchSize = 2;
        const std::vector<LayerCost> layers = LayerCostModel::Compute(workload.spec, recipe);
        const LayerCost& block = layers[1];
        NS_TEST_ASSERT_MSG_EQ((block.kind == LayerKind::ENCODER_BLOCK), true, "layer 1");
        NS_TEST_ASSERT_MSG_EQ(block.trainableParameterCount, 184608ULL, "side parameters");
        const double b = 2;
        const double n = 128;
        const double tap = 2 * b * n * 768 * 96;
        const double side = 2 * b * n * (4.0 * 96 * 96 + 2.0 * 96 * 384) + 4 * b * n * n * 96;
        NS_TEST_ASSERT_MSG_EQ_TOL(block.forwardFlops - block.backboneForwardFlops,
                                  tap + side,
                                  1e-6 * (tap + side),
                                  "side forward FLOPs");
        NS_TEST_ASSERT_MSG_EQ_TOL(block.backwardFlops,
                                  tap + 2 * side,
                                  1e-6 * (tap + 2 * side),
                                  "side backward FLOPs: no backbone backward");
        // the ladder layer it replaces: tap + one 96 x 96 layer with bias
        recipe.sideTransformer = false;
        NS_TEST_ASSERT_MSG_EQ(
            LayerCostModel::Compute(workload.spec, recipe)[1].trainableParameterCount,
            768ULL * 96 + 96 + 96 * 96 + 96,
            "ladder side parameters");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Memory of the side network's stages: the pipeline phase's need is SegmentMemory's;
 * the cached phase's is that minus the released backbone blocks' weights, computed here from
 * the layers' own fields; and the cache cuts a T5-Base device's need by at least the 74.57%
 * PAC reports for parallel adapters with the cache against without it (Fig. 8(b)).
 */
class PacStageMemoryTestCase : public TestCase
{
  public:
    PacStageMemoryTestCase()
        : TestCase("PAC: memory of side-network stages")
    {
    }

  private:
    void DoRun() override
    {
        const Workload workload = PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS);
        PacCostModel::Config config;
        config.workload = workload;
        config.devices = {DeviceCatalog::LoadDefault().Get("jetson-nano")};
        PacCostModel pipeline;
        NS_TEST_ASSERT_MSG_EQ(pipeline.Configure(config), "", "pipeline");
        config.cached = true;
        PacCostModel cached;
        NS_TEST_ASSERT_MSG_EQ(cached.Configure(config), "", "cached");
        const uint32_t last = pipeline.GetLayerCount() - 1;
        const std::vector<LayerCost>& layers = pipeline.GetLayers(2);
        NS_TEST_ASSERT_MSG_EQ(pipeline.GetMemoryBytes(0, 0, last, 2, 1, 8),
                              SegmentMemory::Compute(layers, 0, last, 1, 8).totalBytes,
                              "pipeline phase");
        uint64_t frozen = 0;
        uint64_t trainable = 0;
        for (const LayerCost& layer : layers)
        {
            trainable += layer.trainableParameterBytes;
            if (layer.kind != LayerKind::OUTPUT_HEAD)
            {
                frozen += layer.parameterCount * 4 - layer.trainableParameterCount * 4;
            }
        }
        const uint64_t whole = SegmentMemory::Compute(layers, 0, last, 1, 1).totalBytes;
        NS_TEST_ASSERT_MSG_EQ(cached.GetMemoryBytes(0, 0, last, 2, 1, 1),
                              whole - frozen,
                              "cached phase: the backbone blocks released");
        // the side network is small: 1/64 of a block's weights per block, about 1.5% in all
        NS_TEST_ASSERT_MSG_LT(trainable, frozen / 40, "side network share");
        const double cut = 1.0 - static_cast<double>(cached.GetMemoryBytes(0, 0, last, 2, 1, 1)) /
                                     pipeline.GetMemoryBytes(0, 0, last, 2, 1, 1);
        NS_TEST_ASSERT_MSG_GT(cut, 0.7457, "memory the cache saves");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The graphs: the first epoch of PAC with the cache writes every forward's taps; a
 * cached epoch has no backbone task at all (no FORWARD or BACKWARD compute), only the side
 * network's steps, the AllReduce and the updates; Eco-FL's pipeline sends exactly the planned
 * boundary bytes.
 */
class PacGraphTestCase : public TestCase
{
  public:
    PacGraphTestCase()
        : TestCase("PAC: first-epoch and cached-epoch graphs")
    {
    }

  private:
    void DoRun() override
    {
        const Workload workload = PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS);
        Ptr<PacStrategy> pac = CreateObject<PacStrategy>();
        Ptr<PacRoundPlan> first;
        NS_TEST_ASSERT_MSG_EQ(PlanRound(pac, workload, 0, first), "", "first epoch");
        Ptr<PacRoundPlan> later;
        NS_TEST_ASSERT_MSG_EQ(pac->PlanAt(1, 1e9, false, later), "", "cached epoch");
        NS_TEST_ASSERT_MSG_EQ(first->writeCache, true, "the first epoch fills the cache");
        NS_TEST_ASSERT_MSG_EQ(later->cached, true, "later epochs use it");

        Ptr<TaskGraph> graph = pac->Build(0, first);
        uint32_t forwards = 0;
        uint32_t writes = 0;
        for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
        {
            if (graph->IsCompute(id))
            {
                const ComputeTask& task = graph->GetCompute(id);
                forwards += task.kind == ComputeKind::FORWARD ? 1 : 0;
                writes += task.label.find("-cache") != std::string::npos ? 1 : 0;
            }
        }
        NS_TEST_ASSERT_MSG_GT(forwards, 0U, "first epoch forwards");
        NS_TEST_ASSERT_MSG_EQ(writes, forwards, "one cache write per forward");
        NS_TEST_ASSERT_MSG_EQ(graph->Validate(), "", "first-epoch graph");

        graph = pac->Build(1, later);
        NS_TEST_ASSERT_MSG_EQ(graph->Validate(), "", "cached graph");
        uint32_t side = 0;
        uint32_t updates = 0;
        for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
        {
            if (!graph->IsCompute(id))
            {
                continue;
            }
            const ComputeTask& task = graph->GetCompute(id);
            NS_TEST_ASSERT_MSG_EQ(
                (task.kind != ComputeKind::FORWARD && task.kind != ComputeKind::BACKWARD),
                true,
                "no backbone task in a cached epoch: " << task.label);
            side += task.kind == ComputeKind::OTHER ? 1 : 0;
            updates += task.kind == ComputeKind::OPTIMIZER ? 1 : 0;
        }
        uint32_t devices = 0;
        for (const PacStage& stage : later->step.stages)
        {
            devices += stage.devices.size();
        }
        NS_TEST_ASSERT_MSG_EQ(side, devices * later->steps, "one side step per device and step");
        NS_TEST_ASSERT_MSG_EQ(updates, devices * later->steps, "one update per device and step");
        // only the side network's gradients travel: the AllReduce moves 2 (g-1)/g of them per
        // device
        const uint64_t side_bytes =
            later->costs.GetTrainableBytes(0, later->costs.GetLayerCount() - 1);
        const double expected = 2.0 * (devices - 1) * side_bytes * later->steps;
        NS_TEST_ASSERT_MSG_EQ_TOL(static_cast<double>(graph->GetTotalTransferBytes()),
                                  expected,
                                  devices * 2.0 * later->steps,
                                  "AllReduce bytes");

        // Eco-FL: one device per stage, each boundary's bytes as the cost model gives them
        Ptr<EcoFlStrategy> ecoFl = CreateObject<EcoFlStrategy>();
        ecoFl->SetAttribute("Recipe", StringValue("lora"));
        Ptr<PacRoundPlan> pipeline;
        NS_TEST_ASSERT_MSG_EQ(PlanRound(ecoFl, workload, 0, pipeline), "", "Eco-FL");
        NS_TEST_ASSERT_MSG_GT(pipeline->step.stages.size(), 1U, "Eco-FL pipelines");
        graph = ecoFl->Build(0, pipeline);
        uint64_t boundary = 0;
        const uint32_t n = workload.batchSize / pipeline->step.microBatches;
        for (uint32_t s = 0; s + 1 < pipeline->step.stages.size(); ++s)
        {
            NS_TEST_ASSERT_MSG_EQ(pipeline->step.stages[s].devices.size(), 1U, "one per stage");
            const uint32_t lastLayer = pipeline->step.stages[s].lastLayer;
            boundary += pipeline->costs.GetActivationBytes(lastLayer, n) +
                        pipeline->costs.GetGradientBytes(lastLayer, n);
        }
        NS_TEST_ASSERT_MSG_EQ(graph->GetTransferBytes(TransferKind::ACTIVATION) +
                                  graph->GetTransferBytes(TransferKind::GRADIENT),
                              boundary * pipeline->step.microBatches * pipeline->steps,
                              "boundary bytes");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Out-of-memory verdicts on 8 Jetson Nano 4 GB (2 GB after the CUDA runtime) against
 * PAC's Table 2: BART-Large and T5-Large with LoRA do not fit one Nano (Standalone and EDDL
 * are OOM) while Eco-FL's pipeline and PAC fit; T5-Base with LoRA fits one Nano.
 */
class PacOutOfMemoryTestCase : public TestCase
{
  public:
    PacOutOfMemoryTestCase()
        : TestCase("PAC and baselines: out-of-memory verdicts of PAC's Table 2")
    {
    }

  private:
    void DoRun() override
    {
        struct Cell
        {
            std::string model;
            std::string system;
            RecipeKind recipe;
            bool fits;
        };

        const std::vector<Cell> cells = {
            {"t5-base", "standalone", RecipeKind::LORA, true},
            {"t5-base", "eddl", RecipeKind::LORA, true},
            {"bart-large", "standalone", RecipeKind::LORA, false},
            {"bart-large", "eddl", RecipeKind::LORA, false},
            {"bart-large", "eco-fl", RecipeKind::LORA, true},
            {"bart-large", "pac", RecipeKind::PARALLEL_ADAPTERS, true},
            {"t5-large", "standalone", RecipeKind::LORA, false},
            {"t5-large", "eddl", RecipeKind::LORA, false},
            {"t5-large", "eco-fl", RecipeKind::LORA, true},
            {"t5-large", "pac", RecipeKind::PARALLEL_ADAPTERS, true},
        };
        for (const Cell& cell : cells)
        {
            Ptr<PacTrainingStrategy> strategy;
            if (cell.system == "standalone")
            {
                strategy = CreateObject<PacStandaloneStrategy>();
            }
            else if (cell.system == "eddl")
            {
                strategy = CreateObject<EddlStrategy>();
            }
            else if (cell.system == "eco-fl")
            {
                strategy = CreateObject<EcoFlStrategy>();
            }
            else
            {
                strategy = CreateObject<PacStrategy>();
            }
            Ptr<PacRoundPlan> plan;
            const std::string problem =
                PlanRound(strategy, PacWorkload(cell.model, cell.recipe), 0, plan);
            NS_TEST_ASSERT_MSG_EQ(problem.empty(),
                                  cell.fits,
                                  cell.model << " " << cell.system << ": " << problem);
            if (!cell.fits)
            {
                NS_TEST_ASSERT_MSG_NE(problem.find("out of memory"),
                                      std::string::npos,
                                      "the refusal says why: " << problem);
            }
        }
        // the cache must fit each device's storage: T5-Base on MRPC writes 9.4 MB x 3668 /
        // 8 = 4.3 GB per device (pure data parallelism)
        Ptr<PacStrategy> pac = CreateObject<PacStrategy>();
        pac->SetAttribute("CacheStorageGB", DoubleValue(4));
        Ptr<PacRoundPlan> plan;
        const std::string problem =
            PlanRound(pac, PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS), 0, plan);
        NS_TEST_ASSERT_MSG_NE(problem.find("the activation cache does not fit"),
                              std::string::npos,
                              problem);
        NS_TEST_ASSERT_MSG_NE(problem.find("CacheStorageGB=4"), std::string::npos, problem);
        pac = CreateObject<PacStrategy>();
        pac->SetAttribute("CacheStorageGB", DoubleValue(5));
        NS_TEST_ASSERT_MSG_EQ(
            PlanRound(pac, PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS), 0, plan),
            "",
            "4.3 GB fit 5 GB");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Each device's cache lives on its own storage (the device catalog's figures): on two
 * Nanos (microSD, 40 MB/s writes) and two AGX Orins (eMMC, 76 MB/s), every cache write of the
 * first epoch takes its samples' taps over its own device's write rate; an attribute overrides
 * every device; a device without storage figures is refused, naming it, unless the attributes
 * give them.
 */
class PacDeviceStorageTestCase : public TestCase
{
  public:
    PacDeviceStorageTestCase()
        : TestCase("PAC: the cache on each device's own storage, from the device catalog")
    {
    }

  private:
    /// \return the largest relative error of the first epoch's cache writes against
    /// samples x taps / the write rate of each device (\p rates, by planner device)
    double WriteError(Ptr<PacStrategy> pac, const Fleet& fleet, const std::vector<double>& rates)
    {
        pac->SetComputeModel(CreateObject<KernelComputeModel>());
        const Workload workload = PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS);
        NS_ABORT_MSG_IF(!pac->Configure(fleet, workload).empty(), "configure");
        Ptr<PacRoundPlan> plan;
        NS_ABORT_MSG_IF(!pac->PlanAt(0, 1e9, false, plan).empty(), "plan");
        Ptr<TaskGraph> graph = pac->Build(0, plan);
        double error = 0;
        uint32_t writes = 0;
        for (const PacStage& stage : plan->step.stages)
        {
            const double tap =
                plan->costs.GetCacheBytesPerSample(stage.firstLayer, stage.lastLayer);
            for (size_t i = 0; i < stage.devices.size(); ++i)
            {
                const std::string tag = "-d" + std::to_string(stage.devices[i]) + "-fwd";
                const double expected = stage.samples[i] * tap / rates[stage.devices[i]];
                for (uint32_t id = 0; id < graph->GetTaskCount(); ++id)
                {
                    if (!graph->IsCompute(id))
                    {
                        continue;
                    }
                    const ComputeTask& task = graph->GetCompute(id);
                    if (task.label.find(tag) != std::string::npos &&
                        task.label.find("-cache") != std::string::npos)
                    {
                        error =
                            std::max(error, std::abs(task.duration.GetSeconds() / expected - 1.0));
                        ++writes;
                    }
                }
            }
        }
        NS_ABORT_MSG_IF(writes == 0, "no cache write");
        return error;
    }

    void DoRun() override
    {
        const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
        const DeviceProfile nano = catalog.Get("jetson-nano");
        const DeviceProfile orin = catalog.Get("jetson-agx-orin");
        NS_TEST_ASSERT_MSG_EQ_TOL(nano.GetStorageWriteRate(), 40e6, 1, "microSD");
        NS_TEST_ASSERT_MSG_EQ_TOL(orin.GetStorageWriteRate(), 76e6, 1, "eMMC");
        Fleet fleet;
        fleet.AddGroup({nano, nano, orin, orin});
        fleet.SetServer(nano);
        NS_TEST_EXPECT_MSG_LT(
            WriteError(CreateObject<PacStrategy>(), fleet, {40e6, 40e6, 76e6, 76e6}),
            1e-9,
            "each device's own write rate");
        Ptr<PacStrategy> common = CreateObject<PacStrategy>();
        common->SetAttribute("CacheWriteMBps", DoubleValue(100));
        NS_TEST_EXPECT_MSG_LT(WriteError(common, fleet, {100e6, 100e6, 100e6, 100e6}),
                              1e-9,
                              "the attribute overrides every device");

        DeviceProfile bare = nano;
        bare.SetName("bare-board");
        bare.SetStorage(0, 0, 0);
        Fleet unknown;
        unknown.AddGroup({nano, bare});
        unknown.SetServer(nano);
        const Workload workload = PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS);
        Ptr<PacStrategy> pac = CreateObject<PacStrategy>();
        const std::string problem = pac->Configure(unknown, workload);
        NS_TEST_EXPECT_MSG_NE(problem.find("the activation cache needs device 1's storage, but "
                                           "'bare-board' has no storage_gb"),
                              std::string::npos,
                              problem);
        pac = CreateObject<PacStrategy>();
        pac->SetAttribute("CacheWriteMBps", DoubleValue(40));
        pac->SetAttribute("CacheReadMBps", DoubleValue(87));
        pac->SetAttribute("CacheStorageGB", DoubleValue(48));
        NS_TEST_EXPECT_MSG_EQ(pac->Configure(unknown, workload), "", "the attributes give them");
        pac = CreateObject<PacStrategy>();
        pac->SetAttribute("ActivationCache", BooleanValue(false));
        NS_TEST_EXPECT_MSG_EQ(pac->Configure(unknown, workload), "", "no cache, no storage needed");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The cache exchange by hand. First epoch: two stages of one device each (device 0
 * the first layers, device 1 the rest), micro-batches of 4; cached epochs: both devices, 8
 * samples of each step each; 16 samples. Device 0 holds every sample's encoder taps, device 1
 * every sample's decoder taps; device 0 takes 8 samples and receives their decoder taps from
 * device 1, device 1 takes the other 8 and receives their encoder taps: half of the cache
 * moves, exactly 8 samples' taps each way. Two identical data-parallel plans move nothing.
 */
class PacCacheExchangeTestCase : public TestCase
{
  public:
    PacCacheExchangeTestCase()
        : TestCase("PAC: cache exchange between the first epoch and the cached ones")
    {
    }

  private:
    void DoRun() override
    {
        Workload workload = PacWorkload("t5-base", RecipeKind::PARALLEL_ADAPTERS);
        workload.spec.decoderSequenceLength = 16; // the encoder's taps outweigh the decoder's
        PacCostModel costs;
        PacCostModel::Config config;
        config.workload = workload;
        config.devices =
            std::vector<DeviceProfile>(2, DeviceCatalog::LoadDefault().Get("jetson-nano"));
        NS_TEST_ASSERT_MSG_EQ(costs.Configure(config), "", "configure");
        const uint32_t layers = costs.GetLayerCount();
        // the first stage ends after the encoder's last block
        uint32_t cut = 0;
        for (uint32_t l = 0; l < layers; ++l)
        {
            if (costs.GetLayers(1)[l].kind == LayerKind::ENCODER_BLOCK)
            {
                cut = l;
            }
        }
        PacPlan first;
        first.microBatches = 4;
        first.stages = {PacStage{0, cut, {0}, {4}, 2, 0, 0, 0},
                        PacStage{cut + 1, layers - 1, {1}, {4}, 1, 0, 0, 0}};
        PacPlan cached;
        cached.microBatches = 1;
        cached.stages = {PacStage{0, layers - 1, {0, 1}, {8, 8}, 1, 0, 0, 0}};
        const uint64_t encoder = costs.GetCacheBytesPerSample(0, cut);
        const uint64_t decoder = costs.GetCacheBytesPerSample(cut + 1, layers - 1);
        NS_TEST_ASSERT_MSG_EQ(encoder, 4ULL * 768 * 128 * 12, "encoder taps per sample");
        NS_TEST_ASSERT_MSG_EQ(decoder, 4ULL * 768 * 16 * 12, "decoder taps per sample");
        const std::vector<PacCacheTransfer> moved =
            PacCacheExchange::Plan(first, costs, cached, 16);
        NS_TEST_ASSERT_MSG_EQ(moved.size(), 2U, "one message each way");
        NS_TEST_ASSERT_MSG_EQ(moved[0].from, 0U, "encoder taps from device 0");
        NS_TEST_ASSERT_MSG_EQ(moved[0].to, 1U, "to device 1");
        NS_TEST_ASSERT_MSG_EQ(moved[0].bytes, 8 * encoder, "8 samples' encoder taps");
        NS_TEST_ASSERT_MSG_EQ(moved[1].from, 1U, "decoder taps from device 1");
        NS_TEST_ASSERT_MSG_EQ(moved[1].bytes, 8 * decoder, "8 samples' decoder taps");
        // data parallel before and after, same shares: every sample stays where it is
        PacPlan dp = cached;
        NS_TEST_ASSERT_MSG_EQ(PacCacheExchange::Plan(dp, costs, cached, 16).size(),
                              0U,
                              "nothing moves");
    }
};

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief PAC's cost model, graphs and verdicts.
 */
class PacStrategyTestSuite : public TestSuite
{
  public:
    PacStrategyTestSuite()
        : TestSuite("edge-llm-pac-strategy", TestSuite::UNIT)
    {
        AddTestCase(new PacCacheSizeTestCase);
        AddTestCase(new PacSideBlockTestCase);
        AddTestCase(new PacStageMemoryTestCase);
        AddTestCase(new PacGraphTestCase);
        AddTestCase(new PacOutOfMemoryTestCase);
        AddTestCase(new PacCacheExchangeTestCase);
        AddTestCase(new PacDeviceStorageTestCase);
    }
};

/// the suite's instance
static PacStrategyTestSuite g_pacStrategyTestSuite;
