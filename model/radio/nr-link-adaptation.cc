/* SPDX-License-Identifier: GPL-2.0-only */
#include "nr-link-adaptation.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>

namespace ns3
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

} // namespace ns3
