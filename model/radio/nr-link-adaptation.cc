/* SPDX-License-Identifier: GPL-2.0-only */
#include "nr-link-adaptation.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <utility>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmNrLinkAdaptation");

namespace
{

/// TS 38.214 Table 5.1.3.1-1: MCS index table 1 for PDSCH, indices 0..28.
const NrMcsEntry MCS_TABLE_1[] = {
    {2, 120}, {2, 157}, {2, 193}, {2, 251}, {2, 308}, {2, 379}, {2, 449}, {2, 526},
    {2, 602}, {2, 679}, {4, 340}, {4, 378}, {4, 434}, {4, 490}, {4, 553}, {4, 616},
    {4, 658}, {6, 438}, {6, 466}, {6, 517}, {6, 567}, {6, 616}, {6, 666}, {6, 719},
    {6, 772}, {6, 822}, {6, 873}, {6, 910}, {6, 948},
};

/// TS 38.214 Table 5.2.2.1-2: 4-bit CQI table 1, CQI 1..15 (CQI 0 is out of range).
const NrMcsEntry CQI_TABLE_1[] = {
    {2, 78},
    {2, 120},
    {2, 193},
    {2, 308},
    {2, 449},
    {2, 602},
    {4, 378},
    {4, 490},
    {4, 616},
    {6, 466},
    {6, 567},
    {6, 666},
    {6, 772},
    {6, 873},
    {6, 948},
};

} // namespace

std::string
NrLinkAdaptation::CheckCqi(uint32_t cqi)
{
    if (cqi < 1 || cqi > 15)
    {
        return "cqi=" + std::to_string(cqi) + " is invalid: allowed 1..15 (TS 38.214 table 1)";
    }
    return "";
}

NrMcsEntry
NrLinkAdaptation::GetCqi(uint32_t cqi)
{
    std::string problem = CheckCqi(cqi);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return CQI_TABLE_1[cqi - 1];
}

uint32_t
NrLinkAdaptation::SelectCqi(double sinrDb, double gapDb)
{
    uint32_t best = 0;
    for (uint32_t cqi = 1; cqi <= 15; ++cqi)
    {
        NrMcsEntry entry = CQI_TABLE_1[cqi - 1];
        double efficiency = entry.modulationOrder * entry.codeRateX1024 / 1024.0;
        if (10 * std::log10(std::pow(2.0, efficiency) - 1) + gapDb <= sinrDb)
        {
            best = cqi;
        }
    }
    return best;
}

std::string
NrLinkAdaptation::CheckMcs(uint32_t mcs)
{
    if (mcs > MAX_MCS)
    {
        return "mcs=" + std::to_string(mcs) + " is invalid: allowed 0..28 (TS 38.214 table 1)";
    }
    return "";
}

NrMcsEntry
NrLinkAdaptation::GetMcs(uint32_t mcs)
{
    if (mcs > MAX_MCS)
    {
        NS_FATAL_ERROR(CheckMcs(mcs));
    }
    return MCS_TABLE_1[mcs];
}

double
NrLinkAdaptation::GetSpectralEfficiency(uint32_t mcs)
{
    NrMcsEntry entry = GetMcs(mcs);
    return entry.modulationOrder * entry.codeRateX1024 / 1024.0;
}

const std::vector<uint32_t>&
NrLinkAdaptation::GetTbsTable()
{
    // TS 38.214 Table 5.1.3.2-1: TBS for N_info <= 3824.
    static const std::vector<uint32_t> table = {
        24,   32,   40,   48,   56,   64,   72,   80,   88,   96,   104,  112,  120,  128,
        136,  144,  152,  160,  168,  176,  184,  192,  208,  224,  240,  256,  272,  288,
        304,  320,  336,  352,  368,  384,  408,  432,  456,  480,  504,  528,  552,  576,
        608,  640,  672,  704,  736,  768,  808,  848,  888,  928,  984,  1032, 1064, 1128,
        1160, 1192, 1224, 1256, 1288, 1320, 1352, 1416, 1480, 1544, 1608, 1672, 1736, 1800,
        1864, 1928, 2024, 2088, 2152, 2216, 2280, 2408, 2472, 2536, 2600, 2664, 2728, 2792,
        2856, 2976, 3104, 3240, 3368, 3496, 3624, 3752, 3824,
    };
    return table;
}

uint32_t
NrLinkAdaptation::GetTransportBlockSizeBits(uint32_t mcs, uint32_t nPrb)
{
    NrMcsEntry entry = GetMcs(mcs);
    if (nPrb == 0)
    {
        return 0;
    }
    // Step 1: N_RE = min(156, N'_RE) * n_PRB; N_info = N_RE * R * Qm * v (v = 1 layer).
    double r = entry.codeRateX1024 / 1024.0;
    double nRe = static_cast<double>(std::min<uint32_t>(156, DATA_RE_PER_PRB)) * nPrb;
    double nInfo = nRe * r * entry.modulationOrder;
    if (nInfo <= 3824)
    {
        // Step 3: n = max(3, floor(log2 N_info) - 6); N'_info = max(24, 2^n floor(N_info/2^n));
        // the closest table entry not smaller than N'_info.
        int n = std::max(3, static_cast<int>(std::floor(std::log2(nInfo))) - 6);
        double step = std::pow(2.0, n);
        double nInfoQ = std::max(24.0, step * std::floor(nInfo / step));
        const auto& table = GetTbsTable();
        auto it = std::lower_bound(table.begin(), table.end(), static_cast<uint32_t>(nInfoQ));
        return it == table.end() ? table.back() : *it;
    }
    // Step 4: n = floor(log2(N_info - 24)) - 5; N'_info = max(3840, 2^n round((N_info-24)/2^n)).
    int n = static_cast<int>(std::floor(std::log2(nInfo - 24))) - 5;
    double step = std::pow(2.0, n);
    double nInfoQ = std::max(3840.0, step * std::round((nInfo - 24) / step));
    double tbs;
    if (r <= 0.25)
    {
        double c = std::ceil((nInfoQ + 24) / 3816);
        tbs = 8 * c * std::ceil((nInfoQ + 24) / (8 * c)) - 24;
    }
    else if (nInfoQ > 8424)
    {
        double c = std::ceil((nInfoQ + 24) / 8424);
        tbs = 8 * c * std::ceil((nInfoQ + 24) / (8 * c)) - 24;
    }
    else
    {
        tbs = 8 * std::ceil((nInfoQ + 24) / 8) - 24;
    }
    return static_cast<uint32_t>(tbs);
}

double
NrLinkAdaptation::GetSinrThresholdDb(uint32_t mcs, double gapDb)
{
    // The gap-free thresholds, computed once: link adaptation asks for them every slot.
    static const std::vector<double> base = []() {
        std::vector<double> thresholds;
        for (const NrMcsEntry& entry : MCS_TABLE_1)
        {
            double efficiency = entry.modulationOrder * entry.codeRateX1024 / 1024.0;
            thresholds.push_back(10 * std::log10(std::pow(2.0, efficiency) - 1));
        }
        return thresholds;
    }();
    if (mcs > MAX_MCS)
    {
        NS_FATAL_ERROR(CheckMcs(mcs));
    }
    return base[mcs] + gapDb;
}

double
NrLinkAdaptation::GetBler(uint32_t mcs, double sinrDb, double gapDb, double slope)
{
    double x = slope * (sinrDb - GetSinrThresholdDb(mcs, gapDb)) + std::log(9.0);
    return 1.0 / (1.0 + std::exp(x));
}

uint32_t
NrLinkAdaptation::SelectMcs(double sinrDb, double gapDb)
{
    uint32_t best = 0;
    for (uint32_t mcs = 0; mcs <= MAX_MCS; ++mcs)
    {
        // Table 1 has one non-monotone step (MCS 16 -> 17); take the highest that qualifies.
        if (GetSinrThresholdDb(mcs, gapDb) <= sinrDb)
        {
            best = mcs;
        }
    }
    return best;
}

double
NrLinkAdaptation::GetShannonEfficiency(double sinrDb, double gapDb)
{
    return std::log2(1 + std::pow(10.0, (sinrDb - gapDb) / 10));
}

uint32_t
NrLinkAdaptation::GetShannonTransportBlockSizeBits(double sinrDb, double gapDb, uint32_t nPrb)
{
    return static_cast<uint32_t>(
        std::floor(GetShannonEfficiency(sinrDb, gapDb) * DATA_RE_PER_PRB * nPrb));
}

double
NrLinkAdaptation::GetEffectiveSinrDb(const std::vector<double>& sinrLinear)
{
    if (sinrLinear.empty())
    {
        NS_FATAL_ERROR("GetEffectiveSinrDb needs at least one resource block");
    }
    double sum = 0;
    for (double s : sinrLinear)
    {
        sum += 10 * std::log10(std::max(s, 1e-30));
    }
    return sum / sinrLinear.size();
}

std::string
NrLinkAdaptation::CheckLinkAdaptation(const std::string& name)
{
    if (name == "mcs" || name == "shannon")
    {
        return "";
    }
    return "linkAdaptation='" + name + "' is not known; allowed: mcs, shannon";
}

std::string
NrLinkAdaptation::CheckOllaTargetBler(double target)
{
    if (!(target > 0 && target < 1))
    {
        std::ostringstream message;
        message << "OllaTargetBler=" << target << " is invalid: must be in (0, 1), exclusive";
        return message.str();
    }
    return "";
}

std::string
NrLinkAdaptation::CheckOllaStepDb(double stepDb)
{
    if (!(stepDb > 0 && stepDb <= 1))
    {
        std::ostringstream message;
        message << "OllaStepDb=" << stepDb << " is invalid: must be in (0, 1] dB";
        return message.str();
    }
    return "";
}

std::string
NrLinkAdaptation::CheckOllaMaxOffsetDb(double maxOffsetDb)
{
    if (!(maxOffsetDb > 0 && maxOffsetDb <= 60))
    {
        std::ostringstream message;
        message << "OllaMaxOffsetDb=" << maxOffsetDb << " is invalid: must be in (0, 60] dB";
        return message.str();
    }
    return "";
}

double
NrLinkAdaptation::UpdateOllaOffsetDb(double offsetDb,
                                     bool ack,
                                     uint32_t mcs,
                                     double stepDb,
                                     double target,
                                     double maxOffsetDb)
{
    // Zero mean drift when P(NACK) = target: (1 - target) up = target down.
    double next = ack ? offsetDb + stepDb : offsetDb - stepDb * (1 - target) / target;
    // Anti-windup: at the end of the MCS table the offset only moves back toward 0.
    if (ack && mcs >= MAX_MCS)
    {
        next = std::max(offsetDb, std::min(next, 0.0));
    }
    else if (!ack && mcs == 0)
    {
        next = std::min(offsetDb, std::max(next, 0.0));
    }
    return std::max(-maxOffsetDb, std::min(maxOffsetDb, next));
}

std::vector<double>
NrLinkAdaptation::GetHarqFailureProbabilities(uint32_t mcs,
                                              double meanSinrDb,
                                              const std::vector<double>& gainsDb,
                                              double gapDb,
                                              double slope,
                                              uint32_t maxTransmissions,
                                              bool combining)
{
    // Above this many accumulated-gain values the recursion moves to a grid.
    constexpr size_t EXACT_POINTS = 256;
    constexpr double GRID_DB = 0.1;
    // Paths less likely than this are dropped (they cannot move any figure).
    constexpr double NEGLIGIBLE = 1e-15;
    const double threshold = GetSinrThresholdDb(mcs, gapDb);
    const double ln9 = std::log(9.0);
    std::vector<double> gains;
    for (double g : gainsDb)
    {
        gains.push_back(std::pow(10.0, g / 10));
    }
    if (gains.empty())
    {
        gains.push_back(1.0);
    }
    // From the third transmission on, groups of 4 consecutive equiprobable gains are merged
    // into their (linear) mean: those late terms are small, and this keeps the cost per MCS
    // near 64 x 64 evaluations.
    std::vector<double> coarse;
    if (gains.size() > 16 && gains.size() % 4 == 0)
    {
        for (size_t i = 0; i < gains.size(); i += 4)
        {
            coarse.push_back((gains[i] + gains[i + 1] + gains[i + 2] + gains[i + 3]) / 4);
        }
    }
    else
    {
        coarse = gains;
    }
    std::vector<double> q(maxTransmissions + 1, 0.0);
    q[0] = 1.0;
    // (accumulated linear gain, probability of the paths that failed every transmission so far)
    std::vector<std::pair<double, double>> points{{0.0, 1.0}};
    for (uint32_t k = 1; k <= maxTransmissions && !points.empty(); ++k)
    {
        const std::vector<double>& draws = k <= 2 ? gains : coarse;
        const double each = 1.0 / draws.size();
        std::vector<std::pair<double, double>> next;
        next.reserve(points.size() * draws.size());
        double total = 0;
        for (const auto& [accumulated, weight] : points)
        {
            for (double g : draws)
            {
                double a = combining ? accumulated + g : g;
                double sinrDb = meanSinrDb + 10 * std::log10(a);
                double bler = 1.0 / (1.0 + std::exp(slope * (sinrDb - threshold) + ln9));
                double w = weight * each * bler;
                if (w > NEGLIGIBLE)
                {
                    next.emplace_back(a, w);
                    total += w;
                }
            }
        }
        q[k] = total;
        if (k == maxTransmissions)
        {
            break;
        }
        points.clear();
        if (next.size() <= EXACT_POINTS)
        {
            // Exact: merge equal gains (every path without combining, or without fading).
            std::sort(next.begin(), next.end());
            for (const auto& point : next)
            {
                if (!points.empty() && points.back().first == point.first)
                {
                    points.back().second += point.second;
                }
                else
                {
                    points.push_back(point);
                }
            }
        }
        else
        {
            std::map<int64_t, double> grid;
            for (const auto& [a, w] : next)
            {
                double position = 10 * std::log10(a) / GRID_DB;
                double below = std::floor(position);
                double fraction = position - below;
                grid[static_cast<int64_t>(below)] += w * (1 - fraction);
                grid[static_cast<int64_t>(below) + 1] += w * fraction;
            }
            for (const auto& [index, w] : grid)
            {
                points.emplace_back(std::pow(10.0, index * GRID_DB / 10), w);
            }
        }
    }
    return q;
}

double
NrLinkAdaptation::GetExpectedFirstBler(double meanSinrDb,
                                       double offsetDb,
                                       const std::vector<double>& gainsDb,
                                       double gapDb,
                                       double slope)
{
    const std::vector<double> gains = gainsDb.empty() ? std::vector<double>{0.0} : gainsDb;
    double sum = 0;
    for (double h1 : gains)
    {
        uint32_t mcs = SelectMcs(meanSinrDb + h1 + offsetDb, gapDb);
        for (double h2 : gains)
        {
            sum += GetBler(mcs, meanSinrDb + h2, gapDb, slope);
        }
    }
    return sum / (gains.size() * gains.size());
}

NrLinkExpectation
NrLinkAdaptation::GetExpectedLink(double meanSinrDb,
                                  uint32_t nPrb,
                                  const std::vector<double>& gainsDb,
                                  const NrHarqSettings& settings)
{
    const std::vector<double> gains = gainsDb.empty() ? std::vector<double>{0.0} : gainsDb;
    const uint32_t n = std::max<uint32_t>(1, settings.maxTransmissions);
    const double count = gains.size();
    // First-transmission BLER of every MCS (over the decoding draw): cheap, all needed.
    std::vector<double> firstBler(MAX_MCS + 1, 0.0);
    for (uint32_t mcs = 0; mcs <= MAX_MCS; ++mcs)
    {
        for (double h : gains)
        {
            firstBler[mcs] +=
                GetBler(mcs, meanSinrDb + h, settings.gapDb, settings.blerSlope) / count;
        }
    }
    // The whole HARQ recursion only for the MCS the equilibrium uses.
    std::vector<std::vector<double>> failures(MAX_MCS + 1);
    auto failuresOf = [&](uint32_t mcs) -> const std::vector<double>& {
        if (failures[mcs].empty())
        {
            failures[mcs] = GetHarqFailureProbabilities(mcs,
                                                        meanSinrDb,
                                                        gains,
                                                        settings.gapDb,
                                                        settings.blerSlope,
                                                        n,
                                                        settings.combining);
        }
        return failures[mcs];
    };
    // The outer loop's mean drift per block, in units of the NACK step times target:
    // (1 - target) P(NACK, MCS > 0) - target P(ACK, MCS < 28).
    const double target = settings.ollaTargetBler;
    // Anti-windup (UpdateOllaOffsetDb): a NACK at MCS 0 counts above offset 0 only, an ACK
    // at MCS 28 below it only.
    auto driftOf = [&](uint32_t mcs, double offsetDb) {
        double nack = mcs > 0 || offsetDb > 0 ? firstBler[mcs] : 0.0;
        double ack = mcs < MAX_MCS || offsetDb < 0 ? 1 - firstBler[mcs] : 0.0;
        return (1 - target) * nack - target * ack;
    };
    auto driftAt = [&](double offsetDb) {
        double sum = 0;
        for (double h1 : gains)
        {
            sum += driftOf(SelectMcs(meanSinrDb + h1 + offsetDb, settings.gapDb), offsetDb);
        }
        return sum / count;
    };

    // One side of the equilibrium: the blocks sent with a given offset.
    struct Side
    {
        double first{0};     // first-transmission BLER
        double drift{0};     // the outer loop's drift
        double delivered{0}; // bits delivered per block
        double slots{0};     // transmissions per block
        double residual{0};  // dropped per block
        uint32_t mcs{0};     // MCS of the first gain point
    };

    auto sideAt = [&](double offsetDb) {
        Side side;
        for (uint32_t i = 0; i < gains.size(); ++i)
        {
            uint32_t mcs = SelectMcs(meanSinrDb + gains[i] + offsetDb, settings.gapDb);
            const std::vector<double>& q = failuresOf(mcs);
            if (i == 0)
            {
                side.mcs = mcs;
            }
            side.first += firstBler[mcs] / count;
            side.drift += driftOf(mcs, offsetDb) / count;
            side.delivered += GetTransportBlockSizeBits(mcs, nPrb) * (1 - q[n]) / count;
            for (uint32_t k = 0; k < n; ++k)
            {
                side.slots += q[k] / count;
            }
            side.residual += q[n] / count;
        }
        return side;
    };

    NrLinkExpectation result;
    Side below;
    Side above;
    double share = 0;
    if (!settings.olla)
    {
        below = sideAt(0);
        above = below;
    }
    else
    {
        // The drift steps where meanSinrDb + h + offset crosses an MCS threshold.
        const double bound = settings.ollaMaxOffsetDb;
        std::vector<double> steps{0.0}; // where the anti-windup rules change
        for (uint32_t mcs = 0; mcs <= MAX_MCS; ++mcs)
        {
            for (double h : gains)
            {
                double step = GetSinrThresholdDb(mcs, settings.gapDb) - meanSinrDb - h;
                if (step > -bound && step < bound)
                {
                    steps.push_back(step);
                }
            }
        }
        std::sort(steps.begin(), steps.end());
        steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
        // Interval j spans [steps[j - 1], steps[j]) (the bounds at the ends); the drift is
        // constant on it and non-decreasing in j: find the first interval where it is >= 0.
        const size_t intervals = steps.size() + 1;
        auto middle = [&](size_t j) {
            double low = j == 0 ? -bound : steps[j - 1];
            double high = j == steps.size() ? bound : steps[j];
            return (low + high) / 2;
        };
        size_t low = 0;
        size_t high = intervals; // driftAt(middle(j)) >= 0 for j >= high
        while (low < high)
        {
            size_t mid = (low + high) / 2;
            if (driftAt(middle(mid)) >= 0)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }
        if (high == 0)
        {
            // Even the lowest offset fails too often: pinned at the lower bound (or, with
            // anti-windup, anywhere in the lowest interval; the blocks are the same).
            below = sideAt(-bound);
            above = below;
            result.offsetDb = -bound;
        }
        else if (high == intervals)
        {
            // Never reaches the target (e.g. the highest MCS): pinned at the upper bound.
            below = sideAt(bound);
            above = below;
            result.offsetDb = bound;
        }
        else
        {
            below = sideAt(middle(high - 1));
            above = sideAt(middle(high));
            result.offsetDb = steps[high - 1];
            // Zero drift: (1 - u) drift_below + u drift_above = 0.
            share = -below.drift / (above.drift - below.drift);
            share = std::max(0.0, std::min(1.0, share));
        }
    }
    result.upperShare = share;
    result.lowerMcs = below.mcs;
    result.upperMcs = above.mcs;
    result.firstBler = (1 - share) * below.first + share * above.first;
    result.residualBler = (1 - share) * below.residual + share * above.residual;
    result.transmissionsPerTb = (1 - share) * below.slots + share * above.slots;
    result.bitsPerSlot =
        ((1 - share) * below.delivered + share * above.delivered) / result.transmissionsPerTb;
    return result;
}

} // namespace edgellm
} // namespace ns3
