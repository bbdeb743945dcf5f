/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: Galaxy's planner decision time, every ring against the k-fastest rings.
 *
 * GalaxyCostModel of GPT2-large, fp16, a 256-token prompt, on a switched 1 Gbit/s LAN (50 us
 * per ring step) and the kernel compute model, over fleets of 2 to 10 devices: all Jetson Nano,
 * and mixed (Nano, TX2, Xavier NX in turn). Each fleet is planned twice, side by side: trying
 * every subset of the devices as the ring (exact, as shipped up to 10 devices) and trying only
 * the k fastest devices for each k (what the planner does beyond 10). The table gives the
 * median wall time of 3 runs of each, their ratio, the rings tried and the layer time of each
 * plan (equal when the fastest-k rings contain the optimum).
 */

#include "ns3/device-catalog.h"
#include "ns3/galaxy-cost-model.h"
#include "ns3/galaxy-planner.h"
#include "ns3/kernel-compute-model.h"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// \return the median of 3 timed plans, seconds, and the plan
std::pair<double, GalaxyPlan>
TimePlanner(const GalaxyCostModel& model, uint32_t maxEnumerated)
{
    std::vector<double> seconds;
    GalaxyPlan plan;
    for (int run = 0; run < 3; ++run)
    {
        uint64_t checks = 0;
        const auto start = std::chrono::steady_clock::now();
        plan = GalaxyPlanner::Solve(model, checks, maxEnumerated);
        seconds.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return {seconds[1], plan};
}

} // namespace

int
main()
{
    const DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    TransformerSpec spec = TransformerSpec::GetPreset("gpt2-large");
    spec.sequenceLength = 256;
    std::cout << "Galaxy planner, GPT2-large fp16 s256, 1 Gbit/s LAN: every ring vs the k "
                 "fastest (median of 3)\n"
              << std::setw(7) << "fleet" << std::setw(5) << "D" << std::setw(12) << "all (ms)"
              << std::setw(12) << "k-fast (ms)" << std::setw(8) << "ratio" << std::setw(14)
              << "layer all" << std::setw(14) << "layer k-fast"
              << "\n";
    const std::vector<std::string> mixedNames = {"jetson-nano", "jetson-tx2", "jetson-xavier-nx"};
    for (const std::string fleetKind : {"nano", "mixed"})
    {
        for (uint32_t devices = 2; devices <= 10; devices += 2)
        {
            std::vector<DeviceProfile> fleet;
            for (uint32_t i = 0; i < devices; ++i)
            {
                fleet.push_back(
                    catalog.Get(fleetKind == "nano" ? "jetson-nano" : mixedNames[i % 3]));
            }
            const GalaxyCostModel model(spec,
                                        DataType::FP16,
                                        64,
                                        fleet,
                                        CreateObject<KernelComputeModel>(),
                                        GalaxyCollectiveLink{false, 1e9, 50e-6});
            const auto [all, allPlan] = TimePlanner(model, GalaxyPlanner::MAX_ENUMERATED);
            const auto [fast, fastPlan] = TimePlanner(model, 0);
            std::cout << std::setw(7) << fleetKind << std::setw(5) << devices << std::fixed
                      << std::setprecision(2) << std::setw(12) << all * 1e3 << std::setw(12)
                      << fast * 1e3 << std::setw(8) << std::setprecision(1) << all / fast
                      << std::setprecision(5) << std::setw(14) << allPlan.layerSeconds
                      << std::setw(14) << fastPlan.layerSeconds << "\n";
        }
    }
    return 0;
}
