/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark: LoLa DEFT's joint block-and-bandwidth decision time (JBBA) against the
 * independent exact method (bisection on the latency, each target checked by the Hungarian
 * method) and, up to 8 devices, against enumeration of every block-device matching, side by
 * side on the same random rounds; it also checks that all give the same latency.
 *
 * A round: K devices of random speed (0.5x to 3x), memory (a third of them hold only the
 * shallower blocks) and uplink SNR (0 to 30 dB over a 20 MHz band, rates capped at 5.55
 * bit/s/Hz), M = min(K, 12) blocks of 28 MB gradients (RoBERTa-base layers) whose compute grows
 * with depth. The table gives the median over 5 rounds of each method's time, their ratio to
 * JBBA, and JBBA's iterations.
 */

#include "ns3/jbba-solver.h"
#include "ns3/lola-exhaustive-oracle.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <random>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// a random round of \p devices devices
LolaAllocationProblem
MakeRound(uint32_t seed, uint32_t devices)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    LolaAllocationProblem p;
    p.bandwidthHz = 20e6;
    p.maxSpectralEfficiency = 5.55;
    const uint32_t blocks = std::min<uint32_t>(devices, 12);
    p.blockBits.assign(blocks, 8.0 * 28351488);
    for (uint32_t k = 0; k < devices; ++k)
    {
        LolaDevice d;
        const double speed = 0.5 + 2.5 * u(rng);
        const uint32_t holds = k % 3 == 2 ? 1 + static_cast<uint32_t>(u(rng) * blocks) : blocks;
        for (uint32_t m = 0; m < blocks; ++m)
        {
            d.computeSeconds.push_back((2.0 + 1.5 * m) / speed);
            d.fits.push_back(m < holds);
        }
        d.snr = std::pow(10.0, 3.0 * u(rng));
        p.devices.push_back(d);
    }
    return p;
}

/// seconds of one call of \p f
template <typename F>
double
Time(F f)
{
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double
Median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int
main()
{
    std::cout
        << "JBBA decision time (median of 5 rounds), against the bisection and enumeration\n\n"
        << std::setw(8) << "devices" << std::setw(8) << "blocks" << std::setw(12) << "JBBA ms"
        << std::setw(9) << "iters" << std::setw(14) << "bisection ms" << std::setw(8) << "ratio"
        << std::setw(14) << "enumerate ms" << std::setw(10) << "ratio" << std::setw(12) << "same L"
        << "\n";
    for (uint32_t devices : {4u, 6u, 8u, 16u, 32u, 64u})
    {
        std::vector<double> jbba;
        std::vector<double> bisection;
        std::vector<double> enumeration;
        double iterations = 0;
        bool same = true;
        for (uint32_t seed = 1; seed <= 5; ++seed)
        {
            const LolaAllocationProblem p = MakeRound(seed * 977 + devices, devices);
            LolaAllocation a;
            LolaAllocation b;
            jbba.push_back(Time([&] { a = JbbaSolver::Solve(p, JbbaOptions()); }));
            bisection.push_back(Time([&] { b = JbbaSolver::SolveByBisection(p); }));
            iterations += a.iterations / 5.0;
            same = same && std::abs(a.latencySeconds - b.latencySeconds) <=
                               1e-9 * std::max(1.0, b.latencySeconds);
            if (devices <= 8)
            {
                LolaAllocation c;
                enumeration.push_back(Time([&] { c = LolaExhaustiveOracle::SolveJoint(p); }));
                same = same && std::abs(a.latencySeconds - c.latencySeconds) <=
                                   1e-9 * std::max(1.0, c.latencySeconds);
            }
        }
        const double j = Median(jbba);
        std::cout << std::fixed << std::setw(8) << devices << std::setw(8)
                  << std::min<uint32_t>(devices, 12) << std::setprecision(3) << std::setw(12)
                  << 1e3 * j << std::setprecision(1) << std::setw(9) << iterations
                  << std::setprecision(3) << std::setw(14) << 1e3 * Median(bisection)
                  << std::setprecision(1) << std::setw(7) << Median(bisection) / j << "x";
        if (!enumeration.empty())
        {
            std::cout << std::setprecision(3) << std::setw(14) << 1e3 * Median(enumeration)
                      << std::setprecision(0) << std::setw(9) << Median(enumeration) / j << "x";
        }
        else
        {
            std::cout << std::setw(14) << "-" << std::setw(10) << "-";
        }
        std::cout << std::setw(12) << (same ? "yes" : "NO") << "\n";
    }
    return 0;
}
