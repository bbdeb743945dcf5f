/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-cache-exchange.h"

#include "ns3/abort.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace ns3
{
namespace edgellm
{

std::vector<PacCacheTransfer>
PacCacheExchange::Plan(const PacPlan& first,
                       const PacCostModel& firstCosts,
                       const PacPlan& cached,
                       uint64_t samples)
{
    NS_ABORT_MSG_IF(!first.IsFeasible() || !cached.IsFeasible() || cached.stages.size() != 1,
                    "PacCacheExchange: needs a first-epoch plan and a one-stage cached plan");
    // per position in the micro-batch: the holder of each stage's taps
    uint32_t perMicroBatch = 0;
    for (uint32_t n : first.stages.front().samples)
    {
        perMicroBatch += n;
    }
    std::vector<std::vector<uint32_t>> holder(perMicroBatch);
    std::vector<uint64_t> stageTap;
    for (const PacStage& stage : first.stages)
    {
        stageTap.push_back(firstCosts.GetCacheBytesPerSample(stage.firstLayer, stage.lastLayer));
        uint32_t position = 0;
        for (size_t i = 0; i < stage.devices.size(); ++i)
        {
            for (uint32_t k = 0; k < stage.samples[i]; ++k)
            {
                holder[position++].push_back(stage.devices[i]);
            }
        }
    }
    // samples of each position class, and each cached device's quota (largest remainders)
    std::vector<uint64_t> classSize(perMicroBatch, samples / perMicroBatch);
    for (uint64_t k = 0; k < samples % perMicroBatch; ++k)
    {
        ++classSize[k];
    }
    const PacStage& dp = cached.stages.front();
    uint32_t stepSamples = 0;
    for (uint32_t n : dp.samples)
    {
        stepSamples += n;
    }
    std::vector<uint64_t> quota(dp.devices.size());
    std::vector<std::pair<uint64_t, size_t>> remainder;
    uint64_t given = 0;
    for (size_t j = 0; j < dp.devices.size(); ++j)
    {
        const uint64_t exact = samples * dp.samples[j];
        quota[j] = exact / stepSamples;
        given += quota[j];
        remainder.emplace_back(exact % stepSamples, j);
    }
    std::stable_sort(remainder.begin(), remainder.end(), [](const auto& a, const auto& b) {
        return a.first > b.first;
    });
    for (size_t r = 0; given < samples; ++r, ++given)
    {
        ++quota[remainder[r % remainder.size()].second];
    }
    // greedy transport: (local bytes per sample, class, device), most local first
    std::vector<std::tuple<uint64_t, uint32_t, size_t>> pairs;
    for (uint32_t k = 0; k < perMicroBatch; ++k)
    {
        for (size_t j = 0; j < dp.devices.size(); ++j)
        {
            uint64_t local = 0;
            for (size_t s = 0; s < holder[k].size(); ++s)
            {
                local += holder[k][s] == dp.devices[j] ? stageTap[s] : 0;
            }
            pairs.emplace_back(local, k, j);
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
        return std::get<0>(a) > std::get<0>(b);
    });
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> moved;
    for (const auto& [local, k, j] : pairs)
    {
        const uint64_t take = std::min(classSize[k], quota[j]);
        if (take == 0)
        {
            continue;
        }
        classSize[k] -= take;
        quota[j] -= take;
        for (size_t s = 0; s < holder[k].size(); ++s)
        {
            if (holder[k][s] != dp.devices[j] && stageTap[s] > 0)
            {
                moved[{holder[k][s], dp.devices[j]}] += take * stageTap[s];
            }
        }
    }
    std::vector<PacCacheTransfer> transfers;
    for (const auto& [pair, bytes] : moved)
    {
        transfers.push_back(PacCacheTransfer{pair.first, pair.second, bytes});
    }
    return transfers;
}

} // namespace edgellm
} // namespace ns3
