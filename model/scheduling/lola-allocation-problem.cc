/* SPDX-License-Identifier: GPL-2.0-only */
#include "lola-allocation-problem.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

namespace
{
constexpr double INF = std::numeric_limits<double>::infinity();
} // namespace

bool
LolaAllocation::IsFeasible() const
{
    return std::isfinite(latencySeconds) && !blockOfDevice.empty();
}

std::string
LolaAllocationProblem::Validate() const
{
    std::ostringstream out;
    if (!(bandwidthHz > 0) || !std::isfinite(bandwidthHz))
    {
        out << "bandwidthHz=" << bandwidthHz << " is not allowed; a positive band";
        return out.str();
    }
    if (!(maxSpectralEfficiency >= 0) || !std::isfinite(maxSpectralEfficiency))
    {
        out << "maxSpectralEfficiency=" << maxSpectralEfficiency
            << " is not allowed; >= 0 (0: no cap)";
        return out.str();
    }
    if (blockBits.empty())
    {
        return "blocks=0 is not allowed; at least one block";
    }
    if (devices.size() < blockBits.size())
    {
        out << "devices=" << devices.size() << " is not allowed with blocks=" << blockBits.size()
            << "; every block needs its own device";
        return out.str();
    }
    for (uint32_t m = 0; m < blockBits.size(); ++m)
    {
        if (!(blockBits[m] > 0) || !std::isfinite(blockBits[m]))
        {
            out << "blockBits[" << m << "]=" << blockBits[m] << " is not allowed; positive";
            return out.str();
        }
    }
    for (uint32_t k = 0; k < devices.size(); ++k)
    {
        const LolaDevice& d = devices[k];
        if (d.computeSeconds.size() != blockBits.size() || d.fits.size() != blockBits.size())
        {
            out << "device " << k << " has " << d.computeSeconds.size() << " compute times and "
                << d.fits.size() << " memory verdicts; one per block (" << blockBits.size() << ")";
            return out.str();
        }
        for (double t : d.computeSeconds)
        {
            if (!(t >= 0) || !std::isfinite(t))
            {
                out << "device " << k << " computeSeconds=" << t << " is not allowed; >= 0";
                return out.str();
            }
        }
        if (!(d.snr >= 0) || !std::isfinite(d.snr))
        {
            out << "device " << k << " snr=" << d.snr << " is not allowed; >= 0";
            return out.str();
        }
        if (d.rateByResourceBlocks.size() == 1)
        {
            out << "device " << k << " has a rate table of 1 entry; at least 2 (0 and 1 RB)";
            return out.str();
        }
        if (!(d.channelRateBps >= 0) || !std::isfinite(d.channelRateBps))
        {
            out << "device " << k << " channelRateBps=" << d.channelRateBps
                << " is not allowed; finite and >= 0";
            return out.str();
        }
        for (uint32_t n = 0; n < d.rateByResourceBlocks.size(); ++n)
        {
            const double r = d.rateByResourceBlocks[n];
            if (!(r >= 0) || !std::isfinite(r) || (n > 0 && r < d.rateByResourceBlocks[n - 1]))
            {
                out << "device " << k << " rateByResourceBlocks[" << n << "]=" << r
                    << " is not allowed; finite, >= 0 and non-decreasing in RBs";
                return out.str();
            }
        }
    }
    for (uint32_t n = 0; n < contentionFactor.size(); ++n)
    {
        if (!(contentionFactor[n] >= 1) || !std::isfinite(contentionFactor[n]))
        {
            out << "contentionFactor[" << n << "]=" << contentionFactor[n]
                << " is not allowed; finite and >= 1";
            return out.str();
        }
    }
    return "";
}

uint32_t
LolaAllocationProblem::GetBlockCount() const
{
    return static_cast<uint32_t>(blockBits.size());
}

uint32_t
LolaAllocationProblem::GetDeviceCount() const
{
    return static_cast<uint32_t>(devices.size());
}

bool
LolaAllocationProblem::HasRate(uint32_t device) const
{
    const LolaDevice& d = devices[device];
    if (sharedChannel)
    {
        return d.channelRateBps > 0;
    }
    return d.rateByResourceBlocks.empty() ? d.snr > 0 : d.rateByResourceBlocks.back() > 0;
}

double
LolaAllocationProblem::GetRateSlope(uint32_t device, double share) const
{
    const LolaDevice& d = devices[device];
    if (sharedChannel)
    {
        return 0; // nobody grants shares: more of one buys nothing
    }
    if (!d.rateByResourceBlocks.empty())
    {
        const auto& table = d.rateByResourceBlocks;
        const size_t blocks = table.size() - 1;
        const size_t n = static_cast<size_t>(std::floor(std::max(0.0, share) * blocks));
        return n < blocks ? (table[n + 1] - table[n]) * blocks : 0.0;
    }
    const double x = d.snr / share;
    const double shannon = std::log2(1.0 + x);
    if (maxSpectralEfficiency > 0 && shannon >= maxSpectralEfficiency)
    {
        return bandwidthHz * maxSpectralEfficiency;
    }
    return bandwidthHz * (shannon - x / ((1.0 + x) * std::log(2.0)));
}

double
LolaAllocationProblem::GetRate(uint32_t device, double share) const
{
    if (sharedChannel)
    {
        return devices[device].channelRateBps;
    }
    if (!(share > 0))
    {
        return 0;
    }
    const auto& table = devices[device].rateByResourceBlocks;
    if (!table.empty())
    {
        // beta N RBs on average: slots of the counts on either side, in proportion
        const double blocks = static_cast<double>(table.size() - 1);
        const double rbs = std::min(blocks, share * blocks);
        const size_t below = static_cast<size_t>(std::floor(rbs));
        if (below + 1 >= table.size())
        {
            return table.back();
        }
        const double fraction = rbs - below;
        return (1.0 - fraction) * table[below] + fraction * table[below + 1];
    }
    double efficiency = std::log2(1.0 + devices[device].snr / share);
    if (maxSpectralEfficiency > 0)
    {
        efficiency = std::min(efficiency, maxSpectralEfficiency);
    }
    return share * bandwidthHz * efficiency;
}

double
LolaAllocationProblem::GetRequiredShare(uint32_t device, double bits, double seconds) const
{
    const double snr = devices[device].snr;
    if (!(seconds > 0) || !HasRate(device))
    {
        return INF;
    }
    if (sharedChannel)
    {
        // no share buys speed: the rate alone does it or nothing does
        return bits / seconds <= devices[device].channelRateBps ? 0.0 : INF;
    }
    const double rate = bits / seconds;
    const auto& table = devices[device].rateByResourceBlocks;
    if (!table.empty())
    {
        // the first RB count that carries the rate, less the fraction of the last RB not needed
        const auto found = std::lower_bound(table.begin() + 1, table.end(), rate);
        if (found == table.end())
        {
            return INF;
        }
        const double blocks = static_cast<double>(table.size() - 1);
        const size_t n = found - table.begin();
        const double step = table[n] - table[n - 1];
        const double fraction = step > 0 ? (rate - table[n - 1]) / step : 1.0;
        return (static_cast<double>(n - 1) + fraction) / blocks;
    }
    if (maxSpectralEfficiency > 0)
    {
        // capped while snr / beta >= 2^cMax - 1, i.e. beta <= knee: the rate is linear there
        const double knee = snr / std::expm1(maxSpectralEfficiency * std::log(2.0));
        if (rate <= knee * bandwidthHz * maxSpectralEfficiency)
        {
            return rate / (bandwidthHz * maxSpectralEfficiency);
        }
    }
    // beyond the knee r(beta) is increasing and concave, bounded by B snr / ln 2
    if (rate >= bandwidthHz * snr / std::log(2.0))
    {
        return INF;
    }
    double lo = 0;
    double hi = 1;
    while (GetRate(device, hi) < rate)
    {
        lo = hi;
        hi *= 2;
        if (hi > 1e12)
        {
            return INF;
        }
    }
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i)
    {
        const double mid = 0.5 * (lo + hi);
        (GetRate(device, mid) < rate ? lo : hi) = mid;
    }
    return hi;
}

double
LolaAllocationProblem::GetLatency(uint32_t device, uint32_t block, double share) const
{
    const LolaDevice& d = devices[device];
    if (!d.fits[block])
    {
        return INF;
    }
    const double rate = GetRate(device, share);
    if (!(rate > 0))
    {
        return INF;
    }
    return d.computeSeconds[block] + blockBits[block] / rate;
}

double
LolaAllocationProblem::Evaluate(const LolaAllocation& allocation) const
{
    if (allocation.blockOfDevice.size() != devices.size() ||
        allocation.share.size() != devices.size())
    {
        return INF;
    }
    // each block exactly one device
    std::vector<uint32_t> owners(blockBits.size(), 0);
    double shares = 0;
    double latency = 0;
    for (uint32_t k = 0; k < devices.size(); ++k)
    {
        const int32_t m = allocation.blockOfDevice[k];
        if (m < 0)
        {
            continue;
        }
        if (static_cast<uint32_t>(m) >= blockBits.size())
        {
            return INF;
        }
        ++owners[m];
        shares += allocation.share[k];
        latency = std::max(latency, GetLatency(k, m, allocation.share[k]));
    }
    if (std::any_of(owners.begin(), owners.end(), [](uint32_t n) { return n != 1; }))
    {
        return INF;
    }
    if (sharedChannel)
    {
        // the shares mean nothing; the overlapping uploads decide
        const std::vector<double> finish = GetSharedFinishSeconds(allocation.blockOfDevice);
        return *std::max_element(finish.begin(), finish.end());
    }
    return shares > 1 + 1e-9 ? INF : latency;
}

double
LolaAllocationProblem::GetContentionFactor(uint32_t uploads) const
{
    if (contentionFactor.empty() || uploads == 0)
    {
        return 1.0;
    }
    return contentionFactor[std::min<size_t>(uploads, contentionFactor.size()) - 1];
}

std::vector<double>
LolaAllocationProblem::GetSharedFinishSeconds(const std::vector<int32_t>& blockOfDevice) const
{
    std::vector<double> finish(devices.size(), 0.0);
    // uploads in order of their start: (start, device)
    std::vector<std::pair<double, uint32_t>> starts;
    for (uint32_t k = 0; k < blockOfDevice.size() && k < devices.size(); ++k)
    {
        const int32_t m = blockOfDevice[k];
        if (m < 0)
        {
            continue;
        }
        if (!devices[k].fits[m] || !(devices[k].channelRateBps > 0))
        {
            finish[k] = INF;
            continue;
        }
        starts.emplace_back(devices[k].computeSeconds[m], k);
    }
    std::sort(starts.begin(), starts.end());
    std::vector<std::pair<uint32_t, double>> active; // device, bits left
    double now = 0;
    size_t next = 0;
    while (next < starts.size() || !active.empty())
    {
        if (active.empty())
        {
            now = std::max(now, starts[next].first);
        }
        while (next < starts.size() && starts[next].first <= now)
        {
            const uint32_t k = starts[next].second;
            active.emplace_back(k, blockBits[blockOfDevice[k]]);
            ++next;
        }
        // every upload in progress moves at the same rate (max-min fair on the airtime)
        double secondsPerBit = 0;
        for (const auto& [k, bits] : active)
        {
            secondsPerBit += 1.0 / devices[k].channelRateBps;
        }
        secondsPerBit *= GetContentionFactor(static_cast<uint32_t>(active.size()));
        double leastBits = INF;
        for (const auto& [k, bits] : active)
        {
            leastBits = std::min(leastBits, bits);
        }
        double step = leastBits * secondsPerBit;
        if (next < starts.size())
        {
            step = std::min(step, starts[next].first - now);
        }
        const double moved = step / secondsPerBit;
        now += step;
        std::vector<std::pair<uint32_t, double>> left;
        for (auto& [k, bits] : active)
        {
            bits -= moved;
            // the upload of least bits ends now (to rounding)
            if (bits <= leastBits * 1e-12 || bits <= 0)
            {
                finish[k] = now;
            }
            else
            {
                left.emplace_back(k, bits);
            }
        }
        active.swap(left);
    }
    return finish;
}

bool
LolaAllocationProblem::IsDepthMonotone() const
{
    for (uint32_t m = 1; m < blockBits.size(); ++m)
    {
        if (blockBits[m] < blockBits[m - 1])
        {
            return false;
        }
    }
    for (const LolaDevice& d : devices)
    {
        for (uint32_t m = 1; m < blockBits.size(); ++m)
        {
            if (d.computeSeconds[m] < d.computeSeconds[m - 1] || (d.fits[m] && !d.fits[m - 1]))
            {
                return false;
            }
        }
    }
    return true;
}

} // namespace edgellm
} // namespace ns3
