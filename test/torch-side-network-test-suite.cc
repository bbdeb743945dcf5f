/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/pac-cost-model.h"
#include "ns3/test.h"
#include "ns3/torch-side-network-trainer.h"

#include <cmath>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \ingroup edge-llm-tests
 * \brief PAC's side network trained for real (LibTorch, tiny-encoder): three epochs from the
 * activation cache give the same trainable parameters as three epochs that recompute the
 * backbone (within 1e-6); with the cache the backbone runs in the first epoch only; the cache
 * holds exactly the bytes PacCostModel counts; and the side network learns (the third epoch's
 * loss is below the first's).
 */
class TorchSideNetworkCacheTestCase : public TestCase
{
  public:
    TorchSideNetworkCacheTestCase()
        : TestCase("PAC side network: cached epochs equal recomputed ones")
    {
    }

  private:
    void DoRun() override
    {
        TorchSideNetworkConfig config;
        config.spec = TransformerSpec::GetPreset("tiny-encoder");
        config.batchSize = 8;
        config.seed = 7;
        const uint32_t steps = 6;
        TorchSideNetworkTrainer recompute(config);
        TorchSideNetworkTrainer cached(config);
        std::vector<TorchSideEpochRecord> withCache;
        std::vector<TorchSideEpochRecord> without;
        for (uint32_t epoch = 0; epoch < 3; ++epoch)
        {
            without.push_back(recompute.TrainEpoch(steps, false));
            withCache.push_back(cached.TrainEpoch(steps, true));
        }
        NS_TEST_ASSERT_MSG_EQ(withCache[0].backboneForwards, steps, "epoch 1 runs the backbone");
        NS_TEST_ASSERT_MSG_EQ(withCache[1].backboneForwards, 0U, "epoch 2 from the cache");
        NS_TEST_ASSERT_MSG_EQ(withCache[2].backboneForwards, 0U, "epoch 3 from the cache");
        NS_TEST_ASSERT_MSG_EQ(without[2].backboneForwards, steps, "recomputed every epoch");
        const std::vector<float> a = recompute.GetTrainableParameters();
        const std::vector<float> b = cached.GetTrainableParameters();
        NS_TEST_ASSERT_MSG_EQ(a.size(), b.size(), "same parameters");
        double largest = 0;
        for (size_t i = 0; i < a.size(); ++i)
        {
            largest = std::max(largest, std::fabs(double(a[i]) - double(b[i])));
        }
        NS_TEST_ASSERT_MSG_LT_OR_EQ(largest, 1e-6, "cached against recomputed epochs");
        NS_TEST_ASSERT_MSG_LT(withCache[2].loss, withCache[0].loss, "the side network learns");

        // the cache's real bytes are the cost model's count
        TrainingRecipe recipe;
        recipe.kind = RecipeKind::PARALLEL_ADAPTERS;
        recipe.adapterReduction = config.adapterReduction;
        NS_TEST_ASSERT_MSG_EQ(cached.GetCacheBytes(),
                              uint64_t(steps) * config.batchSize *
                                  PacCostModel::GetCacheBytesPerSample(config.spec, recipe),
                              "cache bytes");
        NS_TEST_ASSERT_MSG_EQ(recompute.GetCacheBytes(), 0ULL, "no cache without it");
    }
};

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief PAC's side network in LibTorch.
 */
class TorchSideNetworkTestSuite : public TestSuite
{
  public:
    TorchSideNetworkTestSuite()
        : TestSuite("edge-llm-torch-side-network", TestSuite::UNIT)
    {
        AddTestCase(new TorchSideNetworkCacheTestCase);
    }
};

/// the suite's instance
static TorchSideNetworkTestSuite g_torchSideNetworkTestSuite;
