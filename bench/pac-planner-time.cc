/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: PAC's planner decision time, and what counting interchangeable devices saves.
 *
 * PacCostModel of PAC's settings (T5-Base, BART-Large and T5-Large with parallel adapters,
 * batch 16, sequence 128, fp32, a 1 Gbit/s switched LAN, the kernel compute model) over pools
 * of Jetson Nano boards (one device class) and a mixed pool (Nano, TX2, Xavier NX and AGX
 * Orin, two of each: four classes). Each case is planned by PacPlanner as shipped and by the
 * same planner told that every device is its own class (the plain dynamic program over device
 * subsets), side by side; the table gives the median of 5 runs (1 run of the plain program,
 * which takes up to half a minute), their ratio,
 * and checks that both plans have the same step time (counting classes is exact). The cost
 * model's tables are built before the timing (the first Solve fills them).
 */

#include "ns3/device-catalog.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/pac-cost-model.h"
#include "ns3/pac-planner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// The same costs, every device its own class: the planner without the class reduction.
class DistinctDevices : public PacPlanningProblem
{
  public:
    explicit DistinctDevices(const PacCostModel& costs)
        : m_costs(costs)
    {
    }

    uint32_t GetLayerCount() const override
    {
        return m_costs.GetLayerCount();
    }

    uint32_t GetDeviceCount() const override
    {
        return m_costs.GetDeviceCount();
    }

    uint32_t GetBatchSize() const override
    {
        return m_costs.GetBatchSize();
    }

    double GetComputeSeconds(uint32_t d, uint32_t f, uint32_t l, uint32_t n) const override
    {
        return m_costs.GetComputeSeconds(d, f, l, n);
    }

    bool Fits(uint32_t d, uint32_t f, uint32_t l, uint32_t n, uint32_t i, uint32_t m) const override
    {
        return m_costs.Fits(d, f, l, n, i, m);
    }

    double GetBoundarySeconds(uint32_t l, uint32_t n) const override
    {
        return m_costs.GetBoundarySeconds(l, n);
    }

    double GetSyncSeconds(uint32_t f, uint32_t l, uint32_t g) const override
    {
        return m_costs.GetSyncSeconds(f, l, g);
    }

  private:
    const PacCostModel& m_costs; //!< the costs
};

/// median wall seconds of \p runs calls of \p solve, and its last plan
template <typename F>
double
TimeIt(F solve, uint32_t runs, PacPlan& plan)
{
    std::vector<double> seconds;
    for (uint32_t r = 0; r < runs; ++r)
    {
        const auto start = std::chrono::steady_clock::now();
        plan = solve();
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

} // namespace

int
main()
{
    const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    const DeviceProfile nano = catalog.Get("jetson-nano");
    const std::vector<DeviceProfile> mixed = {catalog.Get("jetson-nano"),
                                              catalog.Get("jetson-nano"),
                                              catalog.Get("jetson-tx2"),
                                              catalog.Get("jetson-tx2"),
                                              catalog.Get("jetson-xavier-nx"),
                                              catalog.Get("jetson-xavier-nx"),
                                              catalog.Get("jetson-agx-orin"),
                                              catalog.Get("jetson-agx-orin")};

    struct Case
    {
        std::string model;
        std::string pool;
        std::vector<DeviceProfile> devices;
    };

    const std::vector<Case> cases = {
        {"t5-base", "4 Nano", std::vector<DeviceProfile>(4, nano)},
        {"t5-base", "8 Nano", std::vector<DeviceProfile>(8, nano)},
        {"bart-large", "8 Nano", std::vector<DeviceProfile>(8, nano)},
        {"t5-large", "8 Nano", std::vector<DeviceProfile>(8, nano)},
        {"t5-large", "2 x 4 Jetsons", mixed},
    };
    std::cout << "PAC planner decision time (median wall seconds; classes = as shipped, distinct "
                 "= every device its own class)\n\n"
              << std::left << std::setw(12) << "model" << std::setw(16) << "pool" << std::right
              << std::setw(12) << "classes" << std::setw(12) << "distinct" << std::setw(10)
              << "ratio" << std::setw(14) << "same step"
              << "  plan\n";
    bool allSame = true;
    for (const Case& c : cases)
    {
        PacCostModel::Config config;
        config.workload.spec = TransformerSpec::GetPreset(c.model);
        config.workload.spec.sequenceLength = 128;
        config.workload.recipe.kind = RecipeKind::PARALLEL_ADAPTERS;
        config.workload.recipe.adapterReduction = 8;
        config.workload.batchSize = 16;
        config.devices = c.devices;
        config.computeModel = CreateObject<KernelComputeModel>();
        config.linkBitsPerSecond = 1e9;
        PacCostModel costs;
        const std::string problem = costs.Configure(config);
        if (!problem.empty())
        {
            std::cerr << problem << "\n";
            return 1;
        }
        const PacPlannerOptions options;
        PacPlan warm = PacPlanner::Solve(costs, options); // fills the cost tables
        PacPlan shipped;
        PacPlan plain;
        const DistinctDevices distinct(costs);
        const double fast = TimeIt([&] { return PacPlanner::Solve(costs, options); }, 5, shipped);
        const double slow = TimeIt([&] { return PacPlanner::Solve(distinct, options); }, 1, plain);
        const bool same =
            std::fabs(shipped.stepSeconds - plain.stepSeconds) <= 1e-9 * plain.stepSeconds;
        allSame = allSame && same && warm.stepSeconds == shipped.stepSeconds;
        std::cout << std::left << std::setw(12) << c.model << std::setw(16) << c.pool << std::right
                  << std::fixed << std::setprecision(4) << std::setw(12) << fast << std::setw(12)
                  << slow << std::setprecision(1) << std::setw(9) << slow / fast << "x"
                  << std::setw(14) << (same ? "yes" : "NO") << "  " << shipped.ToString() << "\n";
    }
    return allSame ? 0 : 1;
}
