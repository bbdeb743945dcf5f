/* SPDX-License-Identifier: GPL-2.0-only */
#include "exhaustive-oracle.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmExhaustiveOracle");

namespace
{

constexpr double INF = std::numeric_limits<double>::infinity();

/// The radio-dependent objective of a fixed partition and M, evaluated from scratch.
struct RadioCost
{
    const CollaPipeRoundModel* model;
    std::vector<uint32_t> active; //!< device indices with a segment
    std::vector<double> c;        //!< compute seconds
    std::vector<double> dbits;    //!< bits per micro-batch
    std::vector<double> pbits;    //!< parameter bits
    uint32_t m;                   //!< micro-batches

    double operator()(const std::vector<double>& w, const std::vector<double>& logp) const
    {
        const CollaPipeConfig& cfg = model->GetConfig();
        const double e = cfg.localIterations;
        double sum = 0;
        double bottleneck = 0;
        double upload = 0;
        double queueEnergy = 0;
        for (uint32_t i = 0; i < active.size(); ++i)
        {
            const uint32_t k = active[i];
            const double p = std::exp(logp[i]);
            const double r = model->GetRate(k, w[i], p);
            if (!(r > 0))
            {
                return INF;
            }
            const double d = dbits[i] / r;
            const double u = pbits[i] / r;
            sum += d;
            bottleneck = std::max(bottleneck, std::max(c[i], d));
            upload = std::max(upload, u);
            queueEnergy += model->GetQueues()[k] * p * (e * m * d + u);
        }
        return cfg.v * (e * (sum + (double(m) - 1.0) * bottleneck) + upload) + queueEnergy;
    }
};

} // namespace

std::string
ExhaustiveOracle::Validate(const CollaPipeRoundModel& model)
{
    if (model.GetDeviceCount() > 6 || model.GetBlockCount() > 16)
    {
        std::ostringstream oss;
        oss << "instance too large for the exhaustive oracle: devices=" << model.GetDeviceCount()
            << ", blocks=" << model.GetBlockCount() << "; allowed: devices <= 6, blocks <= 16";
        return oss.str();
    }
    return "";
}

double
ExhaustiveOracle::SolveRadio(const CollaPipeRoundModel& model,
                             const std::vector<uint32_t>& sizes,
                             uint32_t m,
                             std::vector<double>& share,
                             std::vector<double>& powerW)
{
    RadioCost cost;
    cost.model = &model;
    cost.m = m;
    uint32_t first = 0;
    for (uint32_t k = 0; k < sizes.size(); ++k)
    {
        if (sizes[k] == 0)
        {
            continue;
        }
        cost.active.push_back(k);
        cost.c.push_back(model.GetSegmentFlops(m, first, sizes[k]) / model.GetAchievedFlops(k));
        cost.dbits.push_back(16.0 * model.GetBoundaryBytes(m, first + sizes[k] - 1));
        cost.pbits.push_back(8.0 * model.GetSegmentParameterBytes(m, first, sizes[k]));
        first += sizes[k];
    }
    const uint32_t n = cost.active.size();
    std::vector<double> logPmax(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        logPmax[i] = std::log(model.GetMaxPowerW(cost.active[i]));
    }
    // three starts: equal shares at full power, shares by traffic at full power, equal shares
    // at a tenth of the power
    std::vector<std::vector<double>> startW;
    std::vector<std::vector<double>> startP;
    startW.emplace_back(n, 1.0 / n);
    startP.push_back(logPmax);
    std::vector<double> byTraffic(n);
    double traffic = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        byTraffic[i] = cost.dbits[i] + cost.pbits[i];
        traffic += byTraffic[i];
    }
    for (double& x : byTraffic)
    {
        x /= traffic;
    }
    startW.push_back(byTraffic);
    startP.push_back(logPmax);
    startW.emplace_back(n, 1.0 / n);
    std::vector<double> tenth = logPmax;
    for (double& x : tenth)
    {
        x -= std::log(10.0);
    }
    startP.push_back(tenth);

    double best = INF;
    std::vector<double> bestW;
    std::vector<double> bestP;
    for (uint32_t s = 0; s < startW.size(); ++s)
    {
        std::vector<double> w = startW[s];
        std::vector<double> lp = startP[s];
        double f = cost(w, lp);
        double step = 0.5; // on log p; bandwidth moves use step / 2 of the smaller share
        uint32_t moves = 0;
        while (step > 1e-5 && moves < 3000)
        {
            ++moves;
            bool improved = false;
            auto tryMove = [&](std::vector<double>& w2, std::vector<double>& lp2) {
                for (uint32_t i = 0; i < n; ++i)
                {
                    if (w2[i] <= 0 || lp2[i] > logPmax[i])
                    {
                        return;
                    }
                }
                const double f2 = cost(w2, lp2);
                if (f2 < f * (1 - 1e-12))
                {
                    f = f2;
                    w = w2;
                    lp = lp2;
                    improved = true;
                }
            };
            for (uint32_t i = 0; i < n; ++i)
            {
                for (double sign : {1.0, -1.0})
                {
                    std::vector<double> lp2 = lp;
                    lp2[i] = std::min(logPmax[i], lp2[i] + sign * step);
                    std::vector<double> w2 = w;
                    tryMove(w2, lp2);
                    for (uint32_t j = i + 1; j < n; ++j)
                    {
                        std::vector<double> lp3 = lp;
                        lp3[i] = std::min(logPmax[i], lp3[i] + sign * step);
                        lp3[j] = std::min(logPmax[j], lp3[j] + sign * step);
                        std::vector<double> w3 = w;
                        tryMove(w3, lp3);
                    }
                }
                for (uint32_t j = 0; j < n; ++j)
                {
                    if (i == j)
                    {
                        continue;
                    }
                    // move bandwidth from j to i, alone or with j's power following
                    const double delta = w[j] * std::min(0.9, step);
                    std::vector<double> w2 = w;
                    w2[i] += delta;
                    w2[j] -= delta;
                    std::vector<double> lp2 = lp;
                    tryMove(w2, lp2);
                    std::vector<double> w3 = w;
                    w3[i] += delta;
                    w3[j] -= delta;
                    std::vector<double> lp3 = lp;
                    lp3[j] -= step;
                    tryMove(w3, lp3);
                }
            }
            // all powers together
            for (double sign : {1.0, -1.0})
            {
                std::vector<double> lp2 = lp;
                for (uint32_t i = 0; i < n; ++i)
                {
                    lp2[i] = std::min(logPmax[i], lp2[i] + sign * step);
                }
                std::vector<double> w2 = w;
                tryMove(w2, lp2);
            }
            if (!improved)
            {
                step *= 0.5;
            }
        }
        if (f < best)
        {
            best = f;
            bestW = w;
            bestP = lp;
        }
    }
    share.assign(sizes.size(), 0.0);
    powerW.assign(sizes.size(), 0.0);
    for (uint32_t k = 0; k < sizes.size(); ++k)
    {
        powerW[k] = model.GetMaxPowerW(k);
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        share[cost.active[i]] = bestW[i];
        powerW[cost.active[i]] = std::exp(bestP[i]);
    }
    return best;
}

CollaPipeDecision
ExhaustiveOracle::Solve(const CollaPipeRoundModel& model, uint32_t* evaluated)
{
    const std::string problem = Validate(model);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    const uint32_t kCount = model.GetDeviceCount();
    const uint32_t l = model.GetBlockCount();
    const CollaPipeConfig& cfg = model.GetConfig();
    const double e = cfg.localIterations;
    CollaPipeDecision best;
    best.scheduler = "oracle";
    best.feasible = false;
    best.objective = INF;
    best.reason = "no partition fits in memory for any M";
    uint32_t count = 0;
    // every composition of L into K positive parts
    std::vector<std::vector<uint32_t>> compositions;
    std::vector<uint32_t> current(kCount, 0);
    std::function<void(uint32_t, uint32_t)> enumerate = [&](uint32_t k, uint32_t left) {
        if (k + 1 == kCount)
        {
            current[k] = left;
            compositions.push_back(current);
            return;
        }
        for (uint32_t s = 1; s + (kCount - k - 1) <= left; ++s)
        {
            current[k] = s;
            enumerate(k + 1, left - s);
        }
    };
    enumerate(0, l);
    for (uint32_t m : model.GetMicroBatchCandidates())
    {
        for (const std::vector<uint32_t>& sizes : compositions)
        {
            // memory and the radio-free lower bound
            bool fits = true;
            double sumC = 0;
            double maxC = 0;
            double queueCompute = 0;
            uint32_t first = 0;
            for (uint32_t k = 0; k < kCount; ++k)
            {
                if (model.GetSegmentMemoryBytes(m, first, sizes[k]) >
                    model.GetAvailableMemoryBytes(k))
                {
                    fits = false;
                    break;
                }
                const double c =
                    model.GetSegmentFlops(m, first, sizes[k]) / model.GetAchievedFlops(k);
                sumC += c;
                maxC = std::max(maxC, c);
                queueCompute +=
                    model.GetQueues()[k] * e * m * c * model.GetDevices()[k].profile.GetBusyPower();
                first += sizes[k];
            }
            const double bound =
                cfg.v * (e * (sumC + (double(m) - 1.0) * maxC) + cfg.lambda * model.GetPhi()) +
                queueCompute;
            if (fits && bound < best.objective)
            {
                std::vector<double> share;
                std::vector<double> power;
                SolveRadio(model, sizes, m, share, power);
                CollaPipeDecision d = model.Evaluate("oracle", sizes, m, share, power);
                ++count;
                if (d.feasible && d.objective < best.objective)
                {
                    best = d;
                }
            }
        }
    }
    if (evaluated != nullptr)
    {
        *evaluated = count;
    }
    return best;
}

} // namespace ns3
