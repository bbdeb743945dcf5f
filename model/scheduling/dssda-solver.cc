/* SPDX-License-Identifier: GPL-2.0-only */
#include "dssda-solver.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmDssdaSolver");

namespace
{

constexpr double INF = std::numeric_limits<double>::infinity();
constexpr double GOLDEN = 0.6180339887498949;
constexpr double PENALTY = 1e30;

/// One entry of a DP state's Pareto set.
struct Label
{
    double sum;       //!< additive cost so far
    double m1;        //!< pipeline bottleneck so far
    double m2;        //!< upload bottleneck so far (shared airtime: the channel's airtime)
    double scalar;    //!< sum + A m1 + B m2
    uint32_t prevJ;   //!< blocks covered before this device
    uint32_t prevIdx; //!< label index in the previous state
};

/// Per active device data of the radio problem for a fixed partition and M.
struct RadioDevice
{
    uint32_t k;   //!< device index
    double c;     //!< compute seconds per micro-batch
    double dbits; //!< activation + gradient bits per micro-batch
    double pbits; //!< parameter bits uploaded
    double a;     //!< V E dbits: weight of 1 / r in the latency sum
    double b;     //!< Q S: weight of p / r in the queue-weighted energy
    double pmax;  //!< W
    double gn;    //!< g / (N0 W)
    double scale; //!< measured over Shannon rate (CollaPipeDevice::rateScale)
};

/// Golden-section minimisation of f on [lo, hi] (log latency targets); returns the best point
/// seen. Where both probes are infinite (targets too tight to reach) it moves right, toward
/// looser targets, since the feasible targets are an interval's upper part; near-ties move
/// left, since loose targets form a plateau.
template <typename F>
double
GoldenMin(F f, double lo, double hi, uint32_t iterations, double& bestValue)
{
    double c = hi - GOLDEN * (hi - lo);
    double d = lo + GOLDEN * (hi - lo);
    double fc = f(c);
    double fd = f(d);
    double bestX = fc <= fd ? c : d;
    bestValue = std::min(fc, fd);
    for (uint32_t i = 0; i < iterations; ++i)
    {
        // ties within the inner solves' tolerance count as ties: on a plateau (targets that
        // no longer bind) they move left, toward the binding targets
        if (fc != INF && fc <= fd + 1e-5 * std::abs(fd))
        {
            hi = d;
            d = c;
            fd = fc;
            c = hi - GOLDEN * (hi - lo);
            fc = f(c);
            if (fc < bestValue)
            {
                bestValue = fc;
                bestX = c;
            }
        }
        else
        {
            lo = c;
            c = d;
            fc = fd;
            d = lo + GOLDEN * (hi - lo);
            fd = f(d);
            if (fd < bestValue)
            {
                bestValue = fd;
                bestX = d;
            }
        }
    }
    return bestX;
}

} // namespace

bool
IsBetterDecision(const CollaPipeDecision& a, const CollaPipeDecision& b)
{
    if (a.feasible != b.feasible)
    {
        return a.feasible;
    }
    return a.objective < b.objective;
}

DssdaSolver::DssdaSolver(const DssdaOptions& options)
    : m_options(options)
{
}

std::vector<uint32_t>
DssdaSolver::EvenSizes(const CollaPipeRoundModel& model)
{
    const uint32_t k = model.GetDeviceCount();
    const uint32_t l = model.GetBlockCount();
    std::vector<uint32_t> sizes(k, l / k);
    for (uint32_t i = 0; i < l % k; ++i)
    {
        ++sizes[i];
    }
    return sizes;
}

std::vector<uint32_t>
DssdaSolver::ComputeProportionalSizes(const CollaPipeRoundModel& model)
{
    const uint32_t k = model.GetDeviceCount();
    const uint32_t l = model.GetBlockCount();
    // each device's speed: blocks per second over the whole stack (its compute time priced as
    // the round model prices it, for the first micro-batch candidate)
    const uint32_t m0 = model.GetMicroBatchCandidates().front();
    std::vector<double> speed(k);
    double total = 0;
    for (uint32_t i = 0; i < k; ++i)
    {
        speed[i] = 1.0 / model.GetSegmentComputeSeconds(i, m0, 0, l);
        total += speed[i];
    }
    // one block each, the remaining L - K by largest remainder of the proportional share
    std::vector<uint32_t> sizes(k, 1);
    std::vector<double> want(k);
    uint32_t given = k;
    for (uint32_t i = 0; i < k; ++i)
    {
        want[i] = std::max(0.0, l * speed[i] / total - 1.0);
        const uint32_t extra = static_cast<uint32_t>(std::floor(want[i]));
        sizes[i] += extra;
        given += extra;
        want[i] -= extra;
    }
    while (given > l)
    {
        // rounding cannot overshoot by construction, but stay safe: take from the largest
        auto it = std::max_element(sizes.begin(), sizes.end());
        --*it;
        --given;
    }
    std::vector<uint32_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
        return want[x] > want[y];
    });
    for (uint32_t i = 0; given < l; i = (i + 1) % k)
    {
        ++sizes[order[i]];
        ++given;
    }
    return sizes;
}

bool
DssdaSolver::OptimizePartition(const CollaPipeRoundModel& model,
                               uint32_t m,
                               const std::vector<double>& share,
                               const std::vector<double>& powerW,
                               std::vector<uint32_t>& sizes) const
{
    const uint32_t kCount = model.GetDeviceCount();
    const uint32_t l = model.GetBlockCount();
    const CollaPipeConfig& cfg = model.GetConfig();
    const double e = cfg.localIterations;
    const bool shared = cfg.medium == CollaPipeMedium::SHARED_AIRTIME;
    const double weightM1 = cfg.v * e * (double(m) - 1.0);
    // separate bands: m2 is the slowest upload (then the download); shared airtime: m2 is the
    // channel's airtime per micro-batch, which joins m1 in the bottleneck (see Scalar)
    const double weightM2 = shared ? 0.0 : cfg.v * (1.0 + cfg.downloadFactor);
    // the ends of the pipeline: the control unit's and the server's compute are stages of
    // their own (a floor under the bottleneck); on shared airtime the control unit's
    // transfers and FedAvg airtime add to the channel and to the sum
    const double floorM1 = std::max(model.GetControlUnitSeconds(m), model.GetServerSeconds(m));
    double baseSum = cfg.v * e * (model.GetControlUnitSeconds(m) + model.GetServerSeconds(m));
    double baseAirtime = 0;
    if (shared && cfg.hasControlUnit)
    {
        baseAirtime =
            model.GetEmbeddingBytes(m) * (8.0 / cfg.controlUnitUplinkBps +
                                          (cfg.directD2d ? 0.0 : 8.0 / cfg.controlUnitDownlinkBps));
        const double p0 = 8.0 * model.GetControlUnitParameterBytes(m);
        baseSum += cfg.v * e * baseAirtime +
                   cfg.v * (p0 / cfg.controlUnitUplinkBps +
                            cfg.downloadFactor * p0 / cfg.controlUnitDownlinkBps);
    }
    auto scalarOf = [&](double sum, double m1, double m2) {
        return shared ? sum + weightM1 * std::max({m1, floorM1, m2 + baseAirtime})
                      : sum + weightM1 * std::max(m1, floorM1) + weightM2 * m2;
    };

    // one segment's terms: its additive contribution (latency and queue-weighted energy), its
    // compute c, its transfer d (separate bands: activation and gradient at r; shared: the
    // airtime of the device's four transmissions per micro-batch, relays paid twice; the
    // input is as large as the output, as for every encoder block) and its upload u
    struct SegmentTerms
    {
        double add;
        double c;
        double d;
        double u;
    };

    auto termsOf = [&](uint32_t k, double c, double outBits, double paramBits, double r) {
        const double perBit = r > 0 ? 1.0 / r : INF;
        const double busy = model.GetDevices()[k].profile.GetBusyPower();
        const double q = model.GetQueues()[k];
        const double p = powerW[k];
        SegmentTerms t;
        t.c = c;
        t.u = paramBits * perBit;
        if (shared)
        {
            // outBits counts activation and gradient (16 bits per byte): in + out each way
            const double down = model.GetDevices()[k].downlinkBps;
            const double tx = outBits * perBit;
            t.d = cfg.directD2d ? tx : tx + outBits / down;
            t.add = (cfg.v * e + q * e * m * busy) * c + cfg.v * e * t.d + q * p * e * m * tx +
                    (cfg.v + q * p) * t.u + cfg.v * cfg.downloadFactor * paramBits / down;
        }
        else
        {
            t.d = outBits * perBit;
            t.add = (cfg.v * e + q * e * m * busy) * c + q * p * t.u +
                    (cfg.v * e + q * p * e * m) * t.d;
        }
        return t;
    };
    // With idle devices allowed a device may hold no block (it idles this round: no compute,
    // transfer or upload); otherwise each holds at least one and a segment at most slack + 1.
    const bool idle = m_options.allowIdleDevices;
    const uint32_t slack = idle ? l : l - kCount;
    // states (k, j): devices 0..k-1 hold blocks 0..j-1
    double transitions = 0;
    for (uint32_t k = 0; k < kCount; ++k)
    {
        transitions += double(slack + 1) * (slack + 2) / 2.0;
    }
    const uint32_t cap = static_cast<uint32_t>(
        std::max(1.0,
                 std::min<double>(m_options.maxLabels, m_options.labelWorkBudget / transitions)));
    // the model's prefix sums for this M, read by reference; the per-block tables below once
    // (the model's accessors look the M up in a map, which dominated the transitions)
    const std::vector<double>& paramPrefix = model.GetParameterBytesPrefix(m);
    // unsigned differences of these prefixes are exact
    const std::vector<uint64_t>& staticPrefix = model.GetStaticBytesPrefix(m);
    const std::vector<uint64_t>& storedPrefix = model.GetStoredBytesPrefix(m);
    std::vector<const std::vector<double>*> secondsPrefix(kCount);
    for (uint32_t k = 0; k < kCount; ++k)
    {
        secondsPrefix[k] = &model.GetComputeSecondsPrefix(k, m);
    }
    std::vector<uint64_t> workingOf(l);
    std::vector<double> boundaryBits(l);
    for (uint32_t j = 0; j < l; ++j)
    {
        workingOf[j] = model.GetBlockWorkingBytes(m, j);
        boundaryBits[j] = 16.0 * model.GetBoundaryBytes(m, j);
    }
    // 1F1B keeps min(M, D - s) micro-batches on the active device at position s of D; the
    // DP does not know how many later devices will be active, so it takes them all
    // (min(M, K - k), exact when none of them idles; Evaluate() uses the exact count)
    std::vector<uint64_t> inFlightOf(kCount);
    for (uint32_t k = 0; k < kCount; ++k)
    {
        inFlightOf[k] = CollaPipeRoundModel::GetInFlightMicroBatches(m, kCount, k);
    }
    // memory of device k holding blocks [i, j) with the given largest working bytes
    auto fitsOn = [&](uint32_t k, uint32_t i, uint32_t j, uint64_t working) {
        return staticPrefix[j] - staticPrefix[i] +
                   inFlightOf[k] * (storedPrefix[j] - storedPrefix[i]) + working <=
               model.GetAvailableMemoryBytes(k);
    };
    // the scalar of a whole partition, INF when it is not one or does not fit
    auto scalarOfPlan = [&](const std::vector<uint32_t>& plan) {
        if (plan.size() != kCount || std::accumulate(plan.begin(), plan.end(), 0u) != l ||
            (!idle && std::find(plan.begin(), plan.end(), 0u) != plan.end()))
        {
            return INF;
        }
        double sum = baseSum;
        double m1 = 0;
        double m2 = 0;
        uint32_t i = 0;
        for (uint32_t k = 0; k < kCount; ++k)
        {
            if (plan[k] == 0)
            {
                continue; // an idle device adds nothing
            }
            const uint32_t j = i + plan[k];
            uint64_t working = 0;
            for (uint32_t b = i; b < j; ++b)
            {
                working = std::max(working, workingOf[b]);
            }
            if (!fitsOn(k, i, j, working))
            {
                return INF;
            }
            const SegmentTerms t = termsOf(k,
                                           (*secondsPrefix[k])[j] - (*secondsPrefix[k])[i],
                                           boundaryBits[j - 1],
                                           8.0 * (paramPrefix[j] - paramPrefix[i]),
                                           model.GetRate(k, share[k], powerW[k]));
            sum += t.add;
            if (shared)
            {
                m1 = std::max(m1, t.c);
                m2 += t.d;
            }
            else
            {
                m1 = std::max({m1, t.c, t.d});
                m2 = std::max(m2, t.u);
            }
            i = j;
        }
        return scalarOf(sum, m1, m2);
    };
    // An upper bound on the optimum: the scalar of the partition passed in (the previous
    // plan), when it is one and fits; without one, of a compute-balanced partition (each device
    // in turn takes blocks while its compute stays within a time T and its memory allows, T the
    // least for which the blocks run out; bisection), which on big clusters is what makes the
    // first search of a round affordable. A segment whose own share of any path's scalar (the
    // parts that grow with its length) already exceeds it cannot be on an optimal path, so
    // the scan over segment ends stops there: on big clusters most long segments go.
    std::vector<uint32_t> boundPlan = sizes;
    double bound = scalarOfPlan(boundPlan);
    if (bound == INF && kCount > 1)
    {
        std::vector<uint32_t> plan(kCount);
        // fill with compute time at most t per device; true when every block is placed
        auto fill = [&](double t) {
            uint32_t i = 0;
            for (uint32_t k = 0; k < kCount; ++k)
            {
                const std::vector<double>& seconds = *secondsPrefix[k];
                // leave a block for each later device when none may idle
                const uint32_t last = idle ? l : l - (kCount - k - 1);
                uint32_t j = i;
                uint64_t working = 0;
                while (j < last && seconds[j + 1] - seconds[i] <= t &&
                       fitsOn(k, i, j + 1, std::max(working, workingOf[j])))
                {
                    working = std::max(working, workingOf[j]);
                    ++j;
                }
                if (j == i && !idle)
                {
                    if (i >= last || !fitsOn(k, i, i + 1, workingOf[i]))
                    {
                        return false;
                    }
                    j = i + 1;
                }
                plan[k] = j - i;
                i = j;
            }
            return i == l;
        };
        double lo = 0;
        double hi = 0;
        for (uint32_t k = 0; k < kCount; ++k)
        {
            hi = std::max(hi, (*secondsPrefix[k])[l]);
        }
        if (fill(hi))
        {
            for (uint32_t step = 0; step < 40; ++step)
            {
                const double mid = 0.5 * (lo + hi);
                (fill(mid) ? hi : lo) = mid;
            }
            fill(hi);
            boundPlan = plan;
            bound = scalarOfPlan(boundPlan);
        }
    }
    if (bound < INF)
    {
        bound *= 1.0 + 1e-9;
    }
    // what devices k.. add at the least (each its cheapest single block): with the labels'
    // sums before a segment, a lower bound on every path through it
    std::vector<double> suffixLeast(kCount + 1, 0.0);
    if (bound < INF && !idle) // an idle device adds nothing: with idling allowed the least is 0
    {
        for (uint32_t k = kCount; k-- > 0;)
        {
            const double r = model.GetRate(k, share[k], powerW[k]);
            double least = INF;
            for (uint32_t b = 0; b < l; ++b)
            {
                least = std::min(least,
                                 termsOf(k,
                                         (*secondsPrefix[k])[b + 1] - (*secondsPrefix[k])[b],
                                         boundaryBits[b],
                                         8.0 * (paramPrefix[b + 1] - paramPrefix[b]),
                                         r)
                                     .add);
            }
            suffixLeast[k] = suffixLeast[k + 1] + least;
        }
    }
    // states (k, j): labels of state (k, j) are pool[k][start[k][j] .. start[k][j + 1]), one
    // flat pool per device count instead of (K + 1)(L + 1) small vectors
    std::vector<std::vector<Label>> pool(kCount + 1);
    std::vector<std::vector<uint32_t>> start(kCount + 1);
    start[0].assign(l + 2, 1);
    start[0][0] = 0;
    pool[0].push_back({baseSum, 0, 0, scalarOf(baseSum, 0, 0), 0, 0});
    // candidate transitions grouped by end j; the buffers are reused across devices. With one
    // label per state only the best scalar survives: a running minimum per end (ties keep the
    // first offered, as the stable order of the general path does)
    std::vector<std::vector<Label>> byEnd(cap == 1 ? 0 : l + 1);
    std::vector<Label> bestAt(cap == 1 ? l + 1 : 0);
    std::vector<uint8_t> hasBest(cap == 1 ? l + 1 : 0, 0);
    std::vector<double> bestScalar(cap == 1 ? l + 1 : 0, INF); // the compared field, packed
    auto offer = [&](uint32_t j, const Label& lab) {
        if (cap != 1)
        {
            byEnd[j].push_back(lab);
        }
        else if (!hasBest[j] || lab.scalar < bestScalar[j])
        {
            bestScalar[j] = lab.scalar;
            bestAt[j] = lab;
            hasBest[j] = 1;
        }
    };
    for (uint32_t k = 0; k < kCount; ++k)
    {
        const double r = model.GetRate(k, share[k], powerW[k]);
        // products instead of divisions in the ~K (L - K)^2 / 2 transitions
        const std::vector<double>& seconds = *secondsPrefix[k];
        const double perBit = r > 0 ? 1.0 / r : INF;
        const double busy = model.GetDevices()[k].profile.GetBusyPower();
        const double q = model.GetQueues()[k];
        const uint64_t avail = model.GetAvailableMemoryBytes(k);
        const uint64_t inFlight = inFlightOf[k];
        // the segment's contribution per second of its compute c, of its upload u and of its
        // boundary transfer d (latency and queue-weighted energy)
        const double perC = cfg.v * e + q * e * m * busy;
        const double perU = shared ? cfg.v + q * powerW[k] : q * powerW[k];
        const double perD = cfg.v * e + q * powerW[k] * e * m;
        // shared airtime: seconds of channel per boundary bit and what they add
        const double down = shared ? model.GetDevices()[k].downlinkBps : 1.0;
        const double airPerBit = perBit + 1.0 / down;
        const double perAir = cfg.v * e;
        const double perTx = q * powerW[k] * e * m;
        const double perDownload = shared ? cfg.v * cfg.downloadFactor / down : 0.0;
        for (uint32_t i = idle ? 0 : k; i <= std::min(l, k + slack); ++i)
        {
            const Label* const prev = pool[k].data() + start[k][i];
            const uint32_t prevCount = start[k][i + 1] - start[k][i];
            if (prevCount == 0)
            {
                continue;
            }
            if (idle)
            {
                // device k idles: every label passes on unchanged
                for (uint32_t idx = 0; idx < prevCount; ++idx)
                {
                    Label lab = prev[idx];
                    lab.prevJ = i;
                    lab.prevIdx = idx;
                    offer(i, lab);
                }
            }
            double leastBefore = INF;
            for (uint32_t idx = 0; idx < prevCount; ++idx)
            {
                leastBefore = std::min(leastBefore, prev[idx].sum);
            }
            const double outside = leastBefore + suffixLeast[k + 1];
            uint64_t working = 0;
            const uint32_t lastEnd = idle ? l : i + slack + 1 - (i - k);
            for (uint32_t j = i + 1; j <= lastEnd && j <= l; ++j)
            {
                // j - 1 is the last block; leave at least one block per later device
                if (!idle && l - j < kCount - k - 1)
                {
                    break;
                }
                working = std::max(working, workingOf[j - 1]);
                if (staticPrefix[j] - staticPrefix[i] +
                        inFlight * (storedPrefix[j] - storedPrefix[i]) + working >
                    avail)
                {
                    break; // memory only grows with the segment
                }
                const double c = seconds[j] - seconds[i];
                const double paramBits = 8.0 * (paramPrefix[j] - paramPrefix[i]);
                const double u = paramBits * perBit;
                // the parts of this segment's contribution that only grow with j
                const double growingC = perC * c;
                const double growingU = perU * u + perDownload * paramBits;
                if (outside + growingC + growingU + weightM1 * c + weightM2 * u > bound)
                {
                    break;
                }
                double add;
                double m1;
                double d;
                if (shared)
                {
                    d = boundaryBits[j - 1] * airPerBit;
                    add = growingC + growingU + perAir * d + perTx * boundaryBits[j - 1] * perBit;
                    m1 = c;
                }
                else
                {
                    d = boundaryBits[j - 1] * perBit;
                    add = growingC + growingU + perD * d;
                    m1 = std::max(c, d);
                }
                if (cap == 1)
                {
                    // one label per state: the running minimum, inline (the hot path on big
                    // clusters)
                    const double sum = prev[0].sum + add;
                    const double labM1 = std::max(prev[0].m1, m1);
                    const double labM2 = shared ? prev[0].m2 + d : std::max(prev[0].m2, u);
                    const double scalar = scalarOf(sum, labM1, labM2);
                    if (scalar < bestScalar[j] || !hasBest[j])
                    {
                        bestScalar[j] = scalar;
                        bestAt[j] = {sum, labM1, labM2, scalar, i, 0};
                        hasBest[j] = 1;
                    }
                    continue;
                }
                for (uint32_t idx = 0; idx < prevCount; ++idx)
                {
                    Label lab;
                    lab.sum = prev[idx].sum + add;
                    lab.m1 = std::max(prev[idx].m1, m1);
                    lab.m2 = shared ? prev[idx].m2 + d : std::max(prev[idx].m2, u);
                    lab.scalar = scalarOf(lab.sum, lab.m1, lab.m2);
                    lab.prevJ = i;
                    lab.prevIdx = idx;
                    offer(j, lab);
                }
            }
        }
        std::vector<Label>& next = pool[k + 1];
        std::vector<uint32_t>& nextStart = start[k + 1];
        nextStart.assign(l + 2, 0);
        for (uint32_t j = 0; j <= l; ++j)
        {
            nextStart[j] = static_cast<uint32_t>(next.size());
            if (cap == 1)
            {
                if (hasBest[j])
                {
                    next.push_back(bestAt[j]);
                    hasBest[j] = 0;
                }
                continue;
            }
            std::vector<Label>& cand = byEnd[j];
            if (cand.empty())
            {
                continue;
            }
            // in scalar order a dominating label always comes first, so a single pass that
            // keeps the non-dominated ones is exact until the cap is reached
            std::sort(cand.begin(), cand.end(), [](const Label& x, const Label& y) {
                return x.scalar < y.scalar;
            });
            for (const Label& lab : cand)
            {
                bool dominated = false;
                for (size_t o = nextStart[j]; o < next.size(); ++o)
                {
                    const Label& other = next[o];
                    if (other.sum <= lab.sum && other.m1 <= lab.m1 && other.m2 <= lab.m2)
                    {
                        dominated = true;
                        break;
                    }
                }
                if (!dominated)
                {
                    next.push_back(lab);
                    if (next.size() - nextStart[j] >= cap)
                    {
                        break;
                    }
                }
            }
            cand.clear();
        }
        nextStart[l + 1] = static_cast<uint32_t>(next.size());
    }
    const Label* const final = pool[kCount].data() + start[kCount][l];
    const uint32_t finalCount = start[kCount][l + 1] - start[kCount][l];
    uint32_t best = 0;
    for (uint32_t idx = 1; idx < finalCount; ++idx)
    {
        if (final[idx].scalar < final[best].scalar)
        {
            best = idx;
        }
    }
    if (finalCount == 0)
    {
        // the labels kept (one per state on big clusters) found nothing within the bound:
        // the plan that set it fits
        if (bound < INF)
        {
            sizes = boundPlan;
            return true;
        }
        return false;
    }
    sizes.assign(kCount, 0);
    uint32_t j = l;
    uint32_t idx = best;
    for (uint32_t k = kCount; k > 0; --k)
    {
        const Label& lab = pool[k][start[k][j] + idx];
        sizes[k - 1] = j - lab.prevJ;
        j = lab.prevJ;
        idx = lab.prevIdx;
    }
    return true;
}

void
DssdaSolver::OptimizeRadio(const CollaPipeRoundModel& model,
                           const std::vector<uint32_t>& sizes,
                           uint32_t m,
                           std::vector<double>& share,
                           std::vector<double>& powerW,
                           uint32_t targetIterations,
                           RadioTargets* targets) const
{
    const CollaPipeConfig& cfg = model.GetConfig();
    if (cfg.medium == CollaPipeMedium::SHARED_AIRTIME)
    {
        OptimizeSharedPowers(model, sizes, m, share, powerW);
        return;
    }
    const double e = cfg.localIterations;
    const double bw = cfg.bandwidthHz;
    std::vector<RadioDevice> dev;
    // the control unit's and the server's compute are stages too: a floor under the bottleneck
    double cmax = std::max(model.GetControlUnitSeconds(m), model.GetServerSeconds(m));
    uint32_t first = 0;
    for (uint32_t k = 0; k < sizes.size(); ++k)
    {
        if (sizes[k] == 0)
        {
            continue;
        }
        RadioDevice rd;
        rd.k = k;
        rd.c = model.GetSegmentComputeSeconds(k, m, first, sizes[k]);
        rd.dbits = 16.0 * model.GetBoundaryBytes(m, first + sizes[k] - 1);
        rd.pbits = 8.0 * model.GetSegmentParameterBytes(m, first, sizes[k]);
        rd.a = cfg.v * e * rd.dbits;
        rd.b = model.GetQueues()[k] * (e * m * rd.dbits + rd.pbits);
        rd.pmax = model.GetMaxPowerW(k);
        rd.gn = model.GetDevices()[k].channelGain /
                (std::pow(10.0, cfg.snrGapDb / 10.0) * cfg.noisePsd * bw);
        rd.scale = model.GetDevices()[k].rateScale;
        cmax = std::max(cmax, rd.c);
        dev.push_back(rd);
        first += sizes[k];
    }
    const uint32_t n = dev.size();
    if (n == 0)
    {
        return;
    }
    const double weightT1 = cfg.v * e * (double(m) - 1.0);
    const double weightT2 = cfg.v * (1.0 + cfg.downloadFactor); // upload, then download
    // rate per unit share: Shannon with the gap folded into gn, capped where the modulation
    // and coding saturate (a minimum of concave functions: the problem stays convex)
    const double cap = cfg.maxSpectralEfficiency > 0 ? cfg.maxSpectralEfficiency : INF;
    auto rho = [bw, cap](const RadioDevice& d, double x) {
        return d.scale * bw * std::min(std::log2(1.0 + d.gn * x), cap);
    };
    // the part of the objective that (w, p) change, for active devices
    Eigen::ArrayXd w(n);
    Eigen::ArrayXd p(n);
    auto trueCost = [&](const Eigen::ArrayXd& ww, const Eigen::ArrayXd& pp) {
        if (ww.sum() > 1.0 + 1e-9)
        {
            return INF;
        }
        double sum = 0;
        double maxD = 0;
        double maxU = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            if (ww[i] <= 0 || pp[i] <= 0 || pp[i] > dev[i].pmax * (1 + 1e-12))
            {
                return INF;
            }
            const double r = ww[i] * rho(dev[i], pp[i] / ww[i]);
            sum += (dev[i].a + dev[i].b * pp[i]) / r;
            maxD = std::max(maxD, dev[i].dbits / r);
            maxU = std::max(maxU, dev[i].pbits / r);
        }
        return sum + weightT1 * std::max(cmax, maxD) + weightT2 * maxU;
    };
    for (uint32_t i = 0; i < n; ++i)
    {
        w[i] = share[dev[i].k];
        p[i] = powerW[dev[i].k];
    }
    double bestCost = trueCost(w, p);
    Eigen::ArrayXd bestW = w;
    Eigen::ArrayXd bestP = p;

    // Given required rates R and multiplier mu, each device's best (w, x = p / w): for fixed
    // x the cost a / (w rho) + b x / rho + mu w is convex in w with the closed-form minimiser
    // sqrt(a / (rho mu)), clipped to [R / rho, min(1, pmax / x)]; x by golden section in log x.
    Eigen::ArrayXd req(n);
    // the per-device search bracket of log x, fixed for this solve
    std::vector<double> logLo(n);
    std::vector<double> logHi(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        logLo[i] = std::log(dev[i].pmax * 1e-3);
        logHi[i] = std::log(dev[i].pmax * 1e3);
    }

    // The device problem is convex in (log w, y = log x), so phi(y) = min_w cost(w, y) is
    // convex in y: its minimum is where phi'(y) changes sign. phi' is analytic (envelope
    // theorem, plus the chain rule where w sits on a bound that moves with y), so a
    // safeguarded secant on phi' started from the device's last answer needs a handful of
    // evaluations where a golden-section search needs twenty.
    struct YEval
    {
        double cost;  //!< phi(y), or PENALTY times the infeasibility when no w fits
        double slope; //!< phi'(y)
        double w;     //!< the minimising share
        double x;     //!< e^y
        double r1;    //!< rho(x)
        double r1y;   //!< d rho / dy
    };

    // each device's channel terms at its last answer, where its next solve starts: they depend
    // on y only, so the first evaluation of every solve needs no exp or log
    std::vector<double> cachedY(n, std::numeric_limits<double>::quiet_NaN());
    std::vector<std::array<double, 3>> cachedChannel(n);

    auto evalY = [&](uint32_t i, double mu, double y) {
        const RadioDevice& d = dev[i];
        double x;
        double r1;
        double r1y;
        if (y == cachedY[i])
        {
            x = cachedChannel[i][0];
            r1 = cachedChannel[i][1];
            r1y = cachedChannel[i][2];
        }
        else
        {
            x = std::exp(y);
            const double gx = d.gn * x;
            const double efficiency = std::log2(1.0 + gx);
            r1 = d.scale * bw * std::min(efficiency, cap);
            // d rho / dy: zero where the spectral efficiency is capped
            r1y = efficiency >= cap ? 0.0 : d.scale * bw * gx / ((1.0 + gx) * M_LN2);
        }
        const double lo = req[i] / r1;
        const bool powerBound = d.pmax / x < 1.0;
        const double hi = powerBound ? d.pmax / x : 1.0;
        YEval out;
        out.x = x;
        out.r1 = r1;
        out.r1y = r1y;
        if (lo > hi)
        {
            // infeasible: a penalty growing with the gap, sloped toward the feasible side
            out.w = hi;
            out.cost = PENALTY * (1.0 + std::log(lo / hi));
            out.slope = PENALTY * (-r1y / r1 + (powerBound ? 1.0 : 0.0));
            return out;
        }
        double w = mu > 0 && d.a > 0 ? std::sqrt(d.a / (r1 * mu)) : hi;
        double dwdy = 0;
        if (w <= lo)
        {
            w = lo;
            dwdy = -req[i] * r1y / (r1 * r1);
        }
        else if (w >= hi)
        {
            w = hi;
            dwdy = powerBound ? -w : 0.0;
        }
        out.w = w;
        out.cost = d.a / (w * r1) + d.b * x / r1 + mu * w;
        const double dCostDy = (-d.a * r1y / w + d.b * x * (r1 - r1y)) / (r1 * r1);
        const double dCostDw = -d.a / (w * w * r1) + mu;
        out.slope = dCostDy + dCostDw * dwdy;
        return out;
    };
    // each device's last answer in y: consecutive solves differ a little in mu and targets
    std::vector<double> lastY(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        lastY[i] = std::log(std::max(p[i], 1e-12) / std::max(w[i], 1e-12));
        lastY[i] = std::min(logHi[i], std::max(logLo[i], lastY[i]));
    }
    const double yTolerance = 1e-3;
    auto deviceBest = [&](uint32_t i, double mu, double& wi, double& pi) {
        double y = lastY[i];
        YEval at = evalY(i, mu, y);
        YEval best = at;
        double bestY = y;
        auto consider = [&](double yy, const YEval& e) {
            if (e.cost < best.cost)
            {
                best = e;
                bestY = yy;
            }
        };
        // bracket the sign change of phi': secant steps on phi' from the warm start (capped,
        // and at least a small step downhill), until a step crosses the sign change
        double left = logLo[i];
        double right = logHi[i];
        YEval leftE{};
        YEval rightE{};
        bool haveLeft = false;
        bool haveRight = false;
        if (at.slope > 0)
        {
            right = y;
            rightE = at;
            haveRight = true;
        }
        else if (at.slope < 0)
        {
            left = y;
            leftE = at;
            haveLeft = true;
        }
        double prevY = y;
        YEval prev = at;
        double step = at.slope > 0 ? -0.05 : 0.05;
        for (uint32_t it = 0; it < 40 && at.slope != 0 && !(haveLeft && haveRight); ++it)
        {
            if (it > 0 && std::abs(at.slope) < 1e20 && std::abs(prev.slope) < 1e20 &&
                at.slope != prev.slope)
            {
                const double newton = -at.slope * (y - prevY) / (at.slope - prev.slope);
                // overshoot a little so the next point lands past the sign change
                const double wanted = 1.2 * newton;
                const bool downhill = (at.slope > 0) == (wanted < 0);
                if (downhill)
                {
                    step = std::copysign(
                        std::min(std::max(std::abs(wanted), 1e-3), 4 * std::abs(step) + 1.0),
                        wanted);
                }
                else
                {
                    step *= 2;
                }
            }
            const double yy = std::min(logHi[i], std::max(logLo[i], y + step));
            if (yy == y)
            {
                break; // pinned at the bracket's end
            }
            const YEval e = evalY(i, mu, yy);
            consider(yy, e);
            prevY = y;
            prev = at;
            y = yy;
            at = e;
            if (e.slope > 0)
            {
                right = yy;
                rightE = e;
                haveRight = true;
            }
            else if (e.slope < 0)
            {
                left = yy;
                leftE = e;
                haveLeft = true;
            }
            else
            {
                break;
            }
        }
        // the sign change is inside [left, right]: regula falsi on phi' (Illinois), bisecting
        // when a secant step would land near an end or the slopes are penalty-sized
        if (haveLeft && haveRight)
        {
            double sl = leftE.slope;
            double sr = rightE.slope;
            int side = 0;
            for (uint32_t it = 0; it < 60 && right - left > yTolerance; ++it)
            {
                // phi is convex: its tangents at the ends bound the minimum from below, so
                // stop once no point of the bracket can beat the best by a relative 1e-7
                if (std::abs(sl) < 1e20 && std::abs(sr) < 1e20 && leftE.cost < PENALTY &&
                    rightE.cost < PENALTY)
                {
                    const double width = right - left;
                    const double bound =
                        std::max(leftE.cost + sl * width, rightE.cost - sr * width);
                    if (best.cost - bound <= 1e-7 * best.cost)
                    {
                        break;
                    }
                }
                double mid = 0.5 * (left + right);
                const bool secantSafe = std::abs(sl) < 1e20 && std::abs(sr) < 1e20 && sr != sl;
                if (secantSafe)
                {
                    const double s = left - sl * (right - left) / (sr - sl);
                    const double margin = 0.01 * (right - left);
                    if (s > left + margin && s < right - margin)
                    {
                        mid = s;
                    }
                }
                const YEval e = evalY(i, mu, mid);
                consider(mid, e);
                if (e.slope == 0)
                {
                    break;
                }
                if (e.slope < 0)
                {
                    left = mid;
                    leftE = e;
                    sl = e.slope;
                    if (side == -1)
                    {
                        sr *= 0.5;
                    }
                    side = -1;
                }
                else
                {
                    right = mid;
                    rightE = e;
                    sr = e.slope;
                    if (side == 1)
                    {
                        sl *= 0.5;
                    }
                    side = 1;
                }
            }
        }
        lastY[i] = bestY;
        cachedY[i] = bestY;
        cachedChannel[i] = {best.x, best.r1, best.r1y};
        wi = best.w;
        pi = best.x * wi;
        return best.cost < PENALTY;
    };
    auto allocate = [&](double mu, Eigen::ArrayXd& ww, Eigen::ArrayXd& pp) {
        for (uint32_t i = 0; i < n; ++i)
        {
            double wi;
            double pi;
            if (!deviceBest(i, mu, wi, pi))
            {
                return INF;
            }
            ww[i] = wi;
            pp[i] = std::min(pi, dev[i].pmax);
        }
        return ww.sum();
    };
    double muHint = 1.0;
    // Given latency targets: the bandwidth multiplier by bisection in log mu.
    std::vector<double> fullRate(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        fullRate[i] = rho(dev[i], dev[i].pmax);
    }
    double bestT1 = 0; // the targets of the best plan found (0: the input plan is the best)
    double bestT2 = 0;

    // every solve's multiplier and device answers, by its targets: the next solve starts from
    // the nearest one's (the target searches probe ever closer points), not from the last one's
    struct Solved
    {
        double x1;              //!< log t1 (0 when unused)
        double x2;              //!< log t2
        double logMu;           //!< the multiplier found
        std::vector<double> ys; //!< the devices' last answers in y
    };

    std::vector<Solved> solved;
    auto solveTargets = [&](double t1, double t2) {
        for (uint32_t i = 0; i < n; ++i)
        {
            req[i] = std::max(t1 < INF ? dev[i].dbits / t1 : 0.0, dev[i].pbits / t2);
            if (req[i] > fullRate[i])
            {
                return INF; // beyond even the whole band at full power: no search needed
            }
        }
        const double x1 = t1 < INF ? std::log(t1) : 0.0;
        const double x2 = std::log(t2);
        const Solved* nearest = nullptr;
        for (const Solved& other : solved)
        {
            if (!nearest || std::abs(other.x1 - x1) + std::abs(other.x2 - x2) <
                                std::abs(nearest->x1 - x1) + std::abs(nearest->x2 - x2))
            {
                nearest = &other;
            }
        }
        if (nearest)
        {
            muHint = std::exp(nearest->logMu);
            lastY = nearest->ys;
        }
        // The multiplier mu on sum w <= 1: the shares' sum falls as mu grows, roughly as
        // mu^(-1/2) while shares are interior, so log(sum) is nearly linear in log(mu): a
        // secant on f(l) = log(sum(e^l)), bracketed once both signs are seen (Illinois), finds
        // it in a few allocations. Stop once the feasible side uses all but a sliver of the band.
        Eigen::ArrayXd ww(n);
        Eigen::ArrayXd pp(n);
        Eigen::ArrayXd wHi(n);
        Eigen::ArrayXd pHi(n);
        bool haveLo = false;
        bool haveHi = false;
        double lLo = 0;
        double fLo = 0;
        double lHi = 0;
        double fHi = 0;
        double usedHi = 0; // the hi side's true sum (fHi is halved by the Illinois rule)
        int side = 0;
        double lPrev = 0;
        double fPrev = 0;
        double l = std::log(muHint);
        const double lStart = l;
        for (uint32_t it = 0; it < 4 * m_options.muIterations; ++it)
        {
            const double sum = allocate(std::exp(l), ww, pp);
            if (sum == INF)
            {
                return INF; // some device cannot reach its rate at all: targets unreachable
            }
            const double f = std::log(sum);
            if (f > 0)
            {
                if (haveLo && side == -1)
                {
                    fHi *= 0.5;
                }
                haveLo = true;
                lLo = l;
                fLo = f;
                side = -1;
            }
            else
            {
                if (haveHi && side == 1)
                {
                    fLo *= 0.5;
                }
                haveHi = true;
                lHi = l;
                fHi = f;
                usedHi = sum;
                wHi = ww;
                pHi = pp;
                side = 1;
            }
            if (haveHi && usedHi >= 1.0 - 1e-4)
            {
                break;
            }
            double next;
            if (haveLo && haveHi)
            {
                next = 0.5 * (lLo + lHi);
                if (fLo != fHi)
                {
                    const double secant = lLo - fLo * (lHi - lLo) / (fHi - fLo);
                    const double margin = 0.01 * std::abs(lHi - lLo);
                    if (secant > std::min(lLo, lHi) + margin &&
                        secant < std::max(lLo, lHi) - margin)
                    {
                        next = secant;
                    }
                }
            }
            else
            {
                // extrapolate toward f = 0 with the observed slope, or -1/2 before there is one
                double slope = -0.5;
                if (it > 0 && l != lPrev)
                {
                    const double observed = (f - fPrev) / (l - lPrev);
                    if (observed < -0.05)
                    {
                        slope = observed;
                    }
                }
                double step = std::max(-30.0, std::min(30.0, -f / slope));
                // where every share sits on a bound the sum does not move: keep going, farther
                // each time (up when the band is oversubscribed, down when it is not)
                // toward an asymptote (shares pinned at their bounds) the secant creeps: grow
                // the step at least geometrically while it keeps its direction, so a bracket
                // forms (then Illinois converges) or the search range is exhausted
                if (it > 0 && (step > 0) == (l > lPrev))
                {
                    step = std::copysign(std::max(std::abs(step), 2.0 * std::abs(l - lPrev)), step);
                }
                if (std::abs(step) < 1e-3)
                {
                    step = std::copysign(1e-3, -f);
                }
                next = l + step;
                if (std::abs(next - lStart) > 140.0)
                {
                    if (!haveHi)
                    {
                        return INF; // even the minimal shares exceed the band
                    }
                    break; // even a vanishing multiplier leaves band unused
                }
            }
            lPrev = l;
            fPrev = f;
            l = next;
        }
        if (!haveHi)
        {
            return INF;
        }
        muHint = std::exp(lHi);
        solved.push_back({x1, x2, lHi, lastY});
        ww = wHi;
        pp = pHi;
        // hand the sliver of band left over to the devices in proportion: at fixed power a
        // larger share only raises the rate, so the cost can only fall
        ww /= ww.sum();
        const double cost = trueCost(ww, pp);
        if (cost < bestCost)
        {
            bestCost = cost;
            bestW = ww;
            bestP = pp;
            bestT1 = t1;
            bestT2 = t2;
        }
        return cost;
    };
    // target brackets: from what the whole band at maximum power gives to 1000 times what an
    // equal share at maximum power gives
    double t1Lo = cmax;
    double t1Hi = cmax;
    double t2Lo = 0;
    double t2Hi = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        const double rFull = rho(dev[i], dev[i].pmax);
        const double rEq = (1.0 / n) * rho(dev[i], dev[i].pmax * n);
        t1Lo = std::max(t1Lo, dev[i].dbits / rFull);
        t1Hi = std::max(t1Hi, 1e3 * dev[i].dbits / rEq);
        t2Lo = std::max(t2Lo, dev[i].pbits / rFull);
        t2Hi = std::max(t2Hi, 1e3 * dev[i].pbits / rEq);
    }
    // how far from its best point the optimum can be after this search: a golden-section
    // search keeps the minimum of a unimodal function inside its last bracket
    const double spanT1 = (std::log(t1Hi) - std::log(t1Lo)) * std::pow(GOLDEN, targetIterations);
    const double spanT2 = (std::log(t2Hi) - std::log(t2Lo)) * std::pow(GOLDEN, targetIterations);
    if (targets && targets->valid)
    {
        // a finer solve around an earlier one's targets: its brackets, within the full ones
        if (std::isfinite(targets->logT1))
        {
            t1Lo = std::max(t1Lo, std::exp(targets->logT1 - targets->spanT1));
            t1Hi = std::max(t1Lo, std::min(t1Hi, std::exp(targets->logT1 + targets->spanT1)));
        }
        t2Lo = std::max(t2Lo, std::exp(targets->logT2 - targets->spanT2));
        t2Hi = std::max(t2Lo, std::min(t2Hi, std::exp(targets->logT2 + targets->spanT2)));
    }
    // nested golden-section search over the two targets: for each pipeline target t1 the
    // best upload target t2
    auto overT2 = [&](double t1) {
        double value;
        GoldenMin([&](double x) { return solveTargets(t1, std::exp(x)); },
                  std::log(t2Lo),
                  std::log(t2Hi),
                  targetIterations,
                  value);
        return value;
    };
    if (weightT1 > 0 && t1Hi > t1Lo)
    {
        double value;
        overT2(t1Lo); // the bottleneck may well be compute: try the boundary itself
        GoldenMin([&](double x) { return overT2(std::exp(x)); },
                  std::log(t1Lo),
                  std::log(t1Hi),
                  targetIterations,
                  value);
    }
    else
    {
        overT2(INF);
    }
    if (targets)
    {
        targets->valid = bestT2 > 0;
        targets->logT1 = std::log(bestT1);
        targets->logT2 = std::log(bestT2);
        targets->spanT1 = spanT1;
        targets->spanT2 = spanT2;
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        share[dev[i].k] = bestW[i];
        powerW[dev[i].k] = bestP[i];
    }
    for (uint32_t k = 0; k < sizes.size(); ++k)
    {
        if (sizes[k] == 0)
        {
            share[k] = 0;
        }
    }
}

CollaPipeDecision
DssdaSolver::BestMicroBatches(const CollaPipeRoundModel& model,
                              const std::string& name,
                              const std::vector<uint32_t>& sizes,
                              const std::vector<double>& share,
                              const std::vector<double>& powerW)
{
    CollaPipeDecision best;
    bool have = false;
    for (uint32_t m : model.GetMicroBatchCandidates())
    {
        CollaPipeDecision d = model.Evaluate(name, sizes, m, share, powerW);
        if (!have || IsBetterDecision(d, best))
        {
            best = d;
            have = true;
        }
    }
    return best;
}

std::string
DssdaSolver::DiagnoseInfeasible(const CollaPipeRoundModel& model)
{
    const uint32_t kCount = model.GetDeviceCount();
    const uint32_t l = model.GetBlockCount();
    double bestWorst = INF;
    std::string reason;
    for (uint32_t m : model.GetMicroBatchCandidates())
    {
        // min over partitions of the largest (required - available): a min-max DP
        std::vector<std::vector<double>> f(kCount + 1, std::vector<double>(l + 1, INF));
        std::vector<std::vector<uint32_t>> from(kCount + 1, std::vector<uint32_t>(l + 1, 0));
        f[0][0] = -INF;
        for (uint32_t k = 0; k < kCount; ++k)
        {
            const double avail = double(model.GetAvailableMemoryBytes(k));
            for (uint32_t i = k; i + (kCount - k) <= l; ++i)
            {
                if (f[k][i] == INF)
                {
                    continue;
                }
                uint64_t working = 0;
                for (uint32_t j = i + 1; j + (kCount - k - 1) <= l; ++j)
                {
                    working = std::max(working, model.GetBlockWorkingBytes(m, j - 1));
                    // every device holds a block here: K active stages, device k the k-th
                    const double over =
                        double(model.GetSegmentMemoryBytes(
                            m,
                            i,
                            j - i,
                            working,
                            CollaPipeRoundModel::GetInFlightMicroBatches(m, kCount, k))) -
                        avail;
                    const double v = std::max(f[k][i], over);
                    if (v < f[k + 1][j])
                    {
                        f[k + 1][j] = v;
                        from[k + 1][j] = i;
                    }
                }
            }
        }
        if (f[kCount][l] <= 0)
        {
            return "";
        }
        if (f[kCount][l] < bestWorst)
        {
            bestWorst = f[kCount][l];
            std::vector<uint32_t> sizes(kCount);
            uint32_t j = l;
            for (uint32_t k = kCount; k > 0; --k)
            {
                sizes[k - 1] = j - from[k][j];
                j = from[k][j];
            }
            const std::vector<double> eq(kCount, 1.0 / kCount);
            std::vector<double> pmax(kCount);
            for (uint32_t k = 0; k < kCount; ++k)
            {
                pmax[k] = model.GetMaxPowerW(k);
            }
            reason = "no partition fits in memory for any M; closest (M=" + std::to_string(m) +
                     "): " + model.Evaluate("dssda", sizes, m, eq, pmax).reason;
        }
    }
    return reason;
}

double
DssdaSolver::RadioFreeBound(const CollaPipeRoundModel& model, uint32_t m)
{
    // every partition has T_iter >= (sum c + (M-1) max c) >= (sum c + (M-1) * sum c / K) and
    // sum c >= the sum over blocks of the block's least time on any device (block times add
    // up along a segment); compute energy >= Q_k E M c_k P_busy >= 0
    const CollaPipeConfig& cfg = model.GetConfig();
    double sumC = 0;
    for (uint32_t b = 0; b < model.GetBlockCount(); ++b)
    {
        double least = std::numeric_limits<double>::infinity();
        for (uint32_t k = 0; k < model.GetDeviceCount(); ++k)
        {
            least = std::min(least, model.GetSegmentComputeSeconds(k, m, b, 1));
        }
        sumC += least;
    }
    const double iter = sumC * (1.0 + (double(m) - 1.0) / model.GetDeviceCount());
    return cfg.v * (cfg.localIterations * iter + cfg.lambda * model.GetPhi());
}

CollaPipeDecision
DssdaSolver::Decide(const CollaPipeRoundModel& model) const
{
    const uint32_t kCount = model.GetDeviceCount();
    std::vector<uint32_t> ms = model.GetMicroBatchCandidates();
    const std::string name = m_options.fixedMicroBatches != 0 ? "fixed-microbatch" : "dssda";
    if (m_options.fixedMicroBatches != 0)
    {
        if (std::find(ms.begin(), ms.end(), m_options.fixedMicroBatches) == ms.end())
        {
            NS_FATAL_ERROR("fixedMicroBatches=" << m_options.fixedMicroBatches
                                                << " is invalid: must divide batchSize and be "
                                                   "at most maxMicroBatches");
        }
        ms = {m_options.fixedMicroBatches};
    }
    // small clusters can afford full precision everywhere
    const uint32_t searchIterations = kCount <= m_options.localSearchMaxDevices
                                          ? m_options.targetIterations
                                          : m_options.searchTargetIterations;
    CollaPipeDecision best;
    bool have = false;

    // One alternation step per M at a time: the partition for the current (w, p), then the
    // radio for that partition. Every M gets its first step; on big clusters only the M whose
    // first plan is within screenMargin of the best first plan keep alternating (later steps
    // improved the objective by well under 1 % in the benchmark, while the M differ by tens
    // of percent).
    struct MicroBatchSearch
    {
        uint32_t m;                      //!< micro-batches
        std::vector<double> share;       //!< w_k of the current plan
        std::vector<double> power;       //!< p_k of the current plan
        std::vector<uint32_t> sizes;     //!< its partition
        std::vector<uint32_t> lastSizes; //!< the partition of the previous step
        double previous;                 //!< the previous step's objective
        bool done;                       //!< converged, or nothing fits
    };

    RadioTargets bestTargets;
    std::vector<MicroBatchSearch> searches;
    auto step = [&](MicroBatchSearch& s) {
        if (!OptimizePartition(model, s.m, s.share, s.power, s.sizes) || s.sizes == s.lastSizes)
        {
            // nothing fits with this M; or the radio solve, which depends only on the
            // partition (its input is kept unless it finds better, and it found this input),
            // would return the same plan
            s.done = true;
            return;
        }
        s.lastSizes = s.sizes;
        RadioTargets targets;
        OptimizeRadio(model, s.sizes, s.m, s.share, s.power, searchIterations, &targets);
        CollaPipeDecision d = model.Evaluate(name, s.sizes, s.m, s.share, s.power);
        if (!have || IsBetterDecision(d, best))
        {
            best = d;
            have = true;
            bestTargets = targets;
        }
        s.done = !d.feasible || d.objective >= s.previous * (1.0 - 1e-9);
        s.previous = d.objective;
    };
    for (uint32_t m : ms)
    {
        if (have && best.feasible && RadioFreeBound(model, m) >= best.objective)
        {
            continue; // no partition with this M can beat the incumbent
        }
        MicroBatchSearch s;
        s.m = m;
        s.share.assign(kCount, 1.0 / kCount);
        s.power.resize(kCount);
        for (uint32_t k = 0; k < kCount; ++k)
        {
            s.power[k] = model.GetMaxPowerW(k);
        }
        // the incumbent's partition bounds the first DP of this M (when it fits here too)
        if (have && best.feasible)
        {
            s.sizes = best.segmentSize;
        }
        s.previous = INF;
        s.done = false;
        step(s);
        searches.push_back(s);
    }
    const double screen = kCount <= m_options.localSearchMaxDevices ? INF : m_options.screenMargin;
    const double firstBest = have && best.feasible ? best.objective : INF;
    for (MicroBatchSearch& s : searches)
    {
        for (uint32_t it = 1; it < m_options.maxAlternations && !s.done; ++it)
        {
            if (firstBest < INF && s.previous > firstBest * (1.0 + screen))
            {
                break;
            }
            step(s);
        }
    }
    // the final solve searches inside the brackets the winner's search left (see
    // DssdaOptions::finalTargetIterations)
    const uint32_t finalIterations = kCount <= m_options.localSearchMaxDevices
                                         ? m_options.targetIterations
                                         : m_options.finalTargetIterations;
    // the winner's radio at full precision (the search above used fewer target steps)
    if (have && best.feasible && m_options.targetIterations > m_options.searchTargetIterations)
    {
        std::vector<double> share = best.bandwidthShare;
        std::vector<double> power = best.txPowerW;
        OptimizeRadio(model,
                      best.segmentSize,
                      best.microBatches,
                      share,
                      power,
                      finalIterations,
                      &bestTargets);
        CollaPipeDecision d =
            model.Evaluate(name, best.segmentSize, best.microBatches, share, power);
        if (IsBetterDecision(d, best))
        {
            best = d;
        }
    }
    // With idle devices allowed, each device alone (all blocks, all bandwidth) is a start of
    // its own on small clusters: the alternation, whose first partition sees the bandwidth
    // split over every device, cannot reach a plan that leaves most devices out (seen against
    // the exhaustive oracle: 10-40% above it on communication-bound instances).
    if (m_options.allowIdleDevices && kCount > 1 && kCount <= m_options.localSearchMaxDevices)
    {
        for (uint32_t k = 0; k < kCount; ++k)
        {
            for (uint32_t m : ms)
            {
                std::vector<uint32_t> sizes(kCount, 0);
                sizes[k] = model.GetBlockCount();
                std::vector<double> share(kCount, 0.0);
                share[k] = 1.0;
                std::vector<double> power = MaxPowers(model);
                OptimizeRadio(model, sizes, m, share, power, m_options.targetIterations);
                CollaPipeDecision d = model.Evaluate(name, sizes, m, share, power);
                if (d.feasible && (!have || IsBetterDecision(d, best)))
                {
                    best = d;
                    have = true;
                }
            }
        }
    }
    // local search on the best plan: keep its partition with another micro-batch count, or
    // move one block from one segment to another (the blocks between shift along the chain, so
    // the partition stays contiguous); re-solve the radio, keep the first improvement; on small
    // clusters only. The alternation from each M's own first partition can miss a partition
    // that another M found (seen against the exhaustive oracle: 3% above it).
    for (uint32_t pass = 0; have && best.feasible && kCount <= m_options.localSearchMaxDevices &&
                            pass < 4 * model.GetBlockCount();
         ++pass)
    {
        bool improved = false;
        for (uint32_t m : ms)
        {
            if (m == best.microBatches)
            {
                continue;
            }
            std::vector<double> share = best.bandwidthShare;
            std::vector<double> power = best.txPowerW;
            OptimizeRadio(model, best.segmentSize, m, share, power, m_options.targetIterations);
            CollaPipeDecision d = model.Evaluate(name, best.segmentSize, m, share, power);
            if (d.feasible && d.objective < best.objective * (1.0 - 1e-9))
            {
                best = d;
                improved = true;
                break;
            }
        }
        // one block first, then two (one-block moves that each worsen the plan can add up to
        // a better one: seen against the oracle, 2% above it); with idle devices allowed, a
        // segment may also give half of its blocks to another device (an idle one joins: from
        // a single-device plan one- and two-block moves each worsen it, seen 6% above the
        // oracle) or all of them (it leaves)
        const bool idle = m_options.allowIdleDevices;
        for (uint32_t kind = 0; kind < (idle ? 4u : 2u) && !improved; ++kind)
        {
            for (uint32_t i = 0; i < kCount && !improved; ++i)
            {
                for (uint32_t j = 0; j < kCount && !improved; ++j)
                {
                    const uint32_t all = best.segmentSize[j];
                    const uint32_t n = kind < 2 ? kind + 1 : (kind == 2 ? (all + 1) / 2 : all);
                    if (i == j || n == 0 || all < n || (!idle && all == n) || (kind >= 2 && n <= 2))
                    {
                        continue; // no such move, or already tried as a one- or two-block move
                    }
                    std::vector<uint32_t> sizes = best.segmentSize;
                    sizes[i] += n;
                    sizes[j] -= n;
                    std::vector<double> share = best.bandwidthShare;
                    std::vector<double> power = best.txPowerW;
                    OptimizeRadio(model,
                                  sizes,
                                  best.microBatches,
                                  share,
                                  power,
                                  m_options.targetIterations);
                    CollaPipeDecision d =
                        model.Evaluate(name, sizes, best.microBatches, share, power);
                    if (d.feasible && d.objective < best.objective * (1.0 - 1e-9))
                    {
                        best = d;
                        improved = true;
                    }
                }
            }
        }
        if (!improved)
        {
            break;
        }
    }
    if (!have || !best.feasible)
    {
        CollaPipeDecision d;
        d.scheduler = name;
        d.feasible = false;
        d.reason = DiagnoseInfeasible(model);
        d.objective = INF;
        return d;
    }
    return best;
}

void
DssdaSolver::OptimizeSharedPowers(const CollaPipeRoundModel& model,
                                  const std::vector<uint32_t>& sizes,
                                  uint32_t m,
                                  const std::vector<double>& share,
                                  std::vector<double>& powerW)
{
    // One channel: a device's power picks its MCS, so its choices are its power levels (each
    // the least power of one MCS, and the maximum). Coordinate descent from the given powers:
    // each active device in turn takes the level that lowers the objective most, until a pass
    // changes nothing (each step lowers the objective and the levels are finite).
    const uint32_t kCount = model.GetDeviceCount();
    CollaPipeDecision best = model.Evaluate("dssda", sizes, m, share, powerW);
    for (uint32_t pass = 0; pass < 16; ++pass)
    {
        bool changed = false;
        for (uint32_t k = 0; k < kCount; ++k)
        {
            if (sizes[k] == 0)
            {
                continue;
            }
            for (double level : model.GetDevices()[k].powerLevelsW)
            {
                // without an energy price (empty queue) a lower power is not tried: it cannot
                // raise the goodput, so it lowers the objective only through a list-scheduling
                // anomaly of the replay (seen nowhere in the default scenario's first round)
                if (level == powerW[k] || (model.GetQueues()[k] <= 0 && level < powerW[k]))
                {
                    continue;
                }
                std::vector<double> trial = powerW;
                trial[k] = level;
                CollaPipeDecision d = model.Evaluate("dssda", sizes, m, share, trial);
                if (d.objective < best.objective * (1.0 - 1e-12))
                {
                    best = d;
                    powerW = trial;
                    changed = true;
                }
            }
        }
        if (!changed)
        {
            break;
        }
    }
}

std::vector<double>
DssdaSolver::MaxPowers(const CollaPipeRoundModel& model)
{
    std::vector<double> pmax(model.GetDeviceCount());
    for (uint32_t k = 0; k < pmax.size(); ++k)
    {
        pmax[k] = model.GetMaxPowerW(k);
    }
    return pmax;
}

std::vector<double>
DssdaSolver::EqualShares(const CollaPipeRoundModel& model)
{
    return std::vector<double>(model.GetDeviceCount(), 1.0 / model.GetDeviceCount());
}

CollaPipeDecision
DssdaSolver::Standalone(const CollaPipeRoundModel& model)
{
    // the strongest device that can hold the whole stack for some M, all bandwidth to it
    const uint32_t kCount = model.GetDeviceCount();
    const std::vector<double> pmax = MaxPowers(model);
    std::vector<uint32_t> order(kCount);
    std::iota(order.begin(), order.end(), 0);
    const uint32_t m0 = model.GetMicroBatchCandidates().front();
    const uint32_t l = model.GetBlockCount();
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
        return model.GetSegmentComputeSeconds(x, m0, 0, l) <
               model.GetSegmentComputeSeconds(y, m0, 0, l);
    });
    CollaPipeDecision decision;
    for (uint32_t k : order)
    {
        std::vector<uint32_t> sizes(kCount, 0);
        sizes[k] = model.GetBlockCount();
        std::vector<double> share(kCount, 0.0);
        share[k] = 1.0;
        CollaPipeDecision d = BestMicroBatches(model, "standalone", sizes, share, pmax);
        if (d.feasible || k == order.front())
        {
            decision = d;
        }
        if (d.feasible)
        {
            return decision;
        }
    }
    decision.reason =
        "standalone: no device can hold the whole stack; strongest: " + decision.reason;
    return decision;
}

} // namespace edgellm
} // namespace ns3
