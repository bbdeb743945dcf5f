/* SPDX-License-Identifier: GPL-2.0-only */
#include "nr-numerology.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <cmath>
#include <map>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmNrNumerology");

namespace
{

/// N_RB per channel bandwidth (MHz), one map per numerology.
const std::map<uint32_t, uint32_t>&
GetTable(uint32_t mu)
{
    // TS 38.101-1 V17 Table 5.3.2-1, maximum transmission bandwidth configuration N_RB (FR1).
    static const std::map<uint32_t, uint32_t> scs15 = {
        {5, 25},
        {10, 52},
        {15, 79},
        {20, 106},
        {25, 133},
        {30, 160},
        {35, 188},
        {40, 216},
        {45, 242},
        {50, 270},
    };
    static const std::map<uint32_t, uint32_t> scs30 = {
        {5, 11},
        {10, 24},
        {15, 38},
        {20, 51},
        {25, 65},
        {30, 78},
        {35, 92},
        {40, 106},
        {45, 119},
        {50, 133},
        {60, 162},
        {70, 189},
        {80, 217},
        {90, 245},
        {100, 273},
    };
    static const std::map<uint32_t, uint32_t> scs60 = {
        {10, 11},
        {15, 18},
        {20, 24},
        {25, 31},
        {30, 38},
        {35, 44},
        {40, 51},
        {45, 58},
        {50, 65},
        {60, 79},
        {70, 93},
        {80, 107},
        {90, 121},
        {100, 135},
    };
    // TS 38.101-2 Table 5.3.2-1 (FR2), 120 kHz.
    static const std::map<uint32_t, uint32_t> scs120 = {
        {50, 32},
        {100, 66},
        {200, 132},
        {400, 264},
    };
    static const std::map<uint32_t, uint32_t>* tables[] = {&scs15, &scs30, &scs60, &scs120};
    return *tables[mu];
}

void
Require(const std::string& problem)
{
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
}

} // namespace

std::string
NrNumerology::CheckNumerology(uint32_t mu)
{
    if (mu > 3)
    {
        return "numerology=" + std::to_string(mu) + " is invalid: allowed 0, 1, 2, 3";
    }
    return "";
}

double
NrNumerology::GetSubcarrierSpacingHz(uint32_t mu)
{
    Require(CheckNumerology(mu));
    return 15e3 * std::pow(2.0, mu);
}

Time
NrNumerology::GetSlotDuration(uint32_t mu)
{
    Require(CheckNumerology(mu));
    // 1 ms / 2^mu is an exact number of nanoseconds for mu <= 3.
    return NanoSeconds(1000000 >> mu);
}

double
NrNumerology::GetResourceBlockBandwidthHz(uint32_t mu)
{
    return SUBCARRIERS_PER_RB * GetSubcarrierSpacingHz(mu);
}

std::vector<uint32_t>
NrNumerology::GetAllowedBandwidthsMHz(uint32_t mu)
{
    Require(CheckNumerology(mu));
    std::vector<uint32_t> allowed;
    for (const auto& [mhz, rb] : GetTable(mu))
    {
        allowed.push_back(mhz);
    }
    return allowed;
}

std::string
NrNumerology::CheckBandwidth(double bandwidthMHz, uint32_t mu)
{
    std::string problem = CheckNumerology(mu);
    if (!problem.empty())
    {
        return problem;
    }
    const auto& table = GetTable(mu);
    double rounded = std::round(bandwidthMHz);
    if (std::isfinite(bandwidthMHz) && rounded == bandwidthMHz && rounded > 0 &&
        table.count(static_cast<uint32_t>(rounded)) == 1)
    {
        return "";
    }
    std::ostringstream message;
    message << "bandwidthMHz=" << bandwidthMHz << " is not in the table for numerology=" << mu
            << " (" << GetSubcarrierSpacingHz(mu) / 1e3 << " kHz); allowed:";
    for (const auto& [mhz, rb] : table)
    {
        message << " " << mhz;
    }
    return message.str();
}

uint32_t
NrNumerology::GetResourceBlockCount(double bandwidthMHz, uint32_t mu)
{
    Require(CheckBandwidth(bandwidthMHz, mu));
    return GetTable(mu).at(static_cast<uint32_t>(std::round(bandwidthMHz)));
}

} // namespace edgellm
} // namespace ns3
