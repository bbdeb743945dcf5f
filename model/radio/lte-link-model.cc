/* SPDX-License-Identifier: GPL-2.0-only */
#include "lte-link-model.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/lte-amc.h"
#include "ns3/lte-spectrum-value-helper.h"
#include "ns3/spectrum-value.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace edgellm
{

LteLinkModel::LteLinkModel(const LteCellParameters& parameters)
    : m_parameters(parameters),
      m_amc(CreateObject<LteAmc>())
{
    NS_ABORT_MSG_IF(parameters.uplinkRbs < 6 || parameters.uplinkRbs > 100 ||
                        parameters.downlinkRbs < 6 || parameters.downlinkRbs > 100,
                    "LteLinkModel: the cell's bandwidths must be 6 to 100 RBs");
}

LteLinkModel::~LteLinkModel() = default;

double
LteLinkModel::GetNoisePerRbDbm(double noiseFigureDb)
{
    // LteSpectrumValueHelper's noise: kT = -174 dBm/Hz, over 180 kHz
    return -174.0 + 10.0 * std::log10(180e3) + noiseFigureDb;
}

double
LteLinkModel::GetPuschTxPowerDbm(double pcmaxDbm, uint32_t rbs, double pathLossDb) const
{
    const LteCellParameters& p = m_parameters;
    if (!p.powerControl)
    {
        return p.ueTxPowerDbm;
    }
    const double open = 10.0 * std::log10(static_cast<double>(std::max<uint32_t>(rbs, 1))) +
                        p.p0NominalPuschDbm + p.p0UePuschDb + p.alpha * pathLossDb;
    return std::min(pcmaxDbm, std::max(p.pcminDbm, open));
}

double
LteLinkModel::GetSrsTxPowerDbm(double pcmaxDbm, double pathLossDb) const
{
    const LteCellParameters& p = m_parameters;
    if (!p.powerControl)
    {
        return p.ueTxPowerDbm;
    }
    const double open = -10.5 + 1.5 * p.srsOffset + 10.0 * std::log10(p.uplinkRbs) +
                        p.p0NominalPuschDbm + p.p0UePuschDb + p.alpha * pathLossDb;
    return std::min(pcmaxDbm, std::max(p.pcminDbm, open));
}

double
LteLinkModel::GetUplinkRbsPerDevice(double active) const
{
    active = std::max(active, 1.0);
    const double whole = std::round(active);
    // PfFfMacScheduler gives each of n devices floor(N / n) RBs (the rest of the band idle)
    double share = std::abs(active - whole) < 1e-9 ? std::floor(m_parameters.uplinkRbs / whole)
                                                   : m_parameters.uplinkRbs / active;
    // and raises a share below 3 to 3 RBs; the devices past the band's end then wait for a
    // later TTI
    return std::max(share, 3.0);
}

double
LteLinkModel::UplinkTbsBits(int mcs, double rbs) const
{
    const int below = std::max(1, static_cast<int>(std::floor(rbs)));
    const double fraction = rbs - below;
    const double low = m_amc->GetUlTbSizeFromMcs(mcs, below);
    if (fraction < 1e-9 || below >= static_cast<int>(m_parameters.uplinkRbs))
    {
        return low;
    }
    return low + fraction * (m_amc->GetUlTbSizeFromMcs(mcs, below + 1) - low);
}

double
LteLinkModel::PayloadFraction() const
{
    const LteCellParameters& p = m_parameters;
    return static_cast<double>(p.segmentBytes) /
           (p.segmentBytes + p.tcpIpHeaderBytes + p.pdcpRlcHeaderBytes);
}

LteLinkEstimate
LteLinkModel::Uplink(double pcmaxDbm,
                     double uplinkLossDb,
                     double downlinkLossDb,
                     double active) const
{
    const LteCellParameters& p = m_parameters;
    LteLinkEstimate estimate;
    active = std::max(active, 1.0);
    estimate.rbs = GetUplinkRbsPerDevice(active);
    const double noiseDbm = GetNoisePerRbDbm(p.enbNoiseFigureDb);
    estimate.txPowerDbm = GetPuschTxPowerDbm(pcmaxDbm,
                                             static_cast<uint32_t>(std::round(estimate.rbs)),
                                             downlinkLossDb);
    estimate.sinrDb =
        estimate.txPowerDbm - 10.0 * std::log10(estimate.rbs) - uplinkLossDb - noiseDbm;
    // the MCS comes from the SRS, sent over the whole band
    estimate.cqiSinrDb = GetSrsTxPowerDbm(pcmaxDbm, downlinkLossDb) -
                         10.0 * std::log10(p.uplinkRbs) - uplinkLossDb - noiseDbm;
    if (!p.powerControl)
    {
        // without power control the SRS has the PUSCH's power, spread over the band
        estimate.cqiSinrDb =
            p.ueTxPowerDbm - 10.0 * std::log10(p.uplinkRbs) - uplinkLossDb - noiseDbm;
    }
    DoubleValue ber;
    m_amc->GetAttribute("Ber", ber);
    const double gap = -std::log(5.0 * ber.Get()) / 1.5;
    const double efficiency = std::log2(1.0 + std::pow(10.0, estimate.cqiSinrDb / 10.0) / gap);
    estimate.cqi = m_amc->GetCqiFromSpectralEfficiency(efficiency);
    if (estimate.cqi == 0)
    {
        return estimate; // out of range: PfFfMacScheduler grants nothing
    }
    estimate.mcs = m_amc->GetMcsFromCqi(estimate.cqi);
    const double rbs = std::min<double>(estimate.rbs, p.uplinkRbs);
    estimate.tbsBits = UplinkTbsBits(estimate.mcs, rbs);
    // a share raised to 3 RBs serves the devices in turns: N / 3 of them per TTI
    const double turns = p.uplinkRbs / active < 3.0 ? std::floor(p.uplinkRbs / 3.0) / active : 1.0;
    estimate.goodput = estimate.tbsBits / 8.0 * 1000.0 * turns * PayloadFraction();
    return estimate;
}

LteLinkEstimate
LteLinkModel::Downlink(double downlinkLossDb, double active) const
{
    const LteCellParameters& p = m_parameters;
    LteLinkEstimate estimate;
    active = std::max(active, 1.0);
    estimate.rbs = p.downlinkRbs / active;
    estimate.txPowerDbm = p.enbTxPowerDbm;
    // LteEnbPhy spreads its power over the whole band
    estimate.sinrDb = p.enbTxPowerDbm - 10.0 * std::log10(p.downlinkRbs) - downlinkLossDb -
                      GetNoisePerRbDbm(p.ueNoiseFigureDb);
    estimate.cqiSinrDb = estimate.sinrDb;
    // the UE's periodic wideband CQI: LteAmc over the whole band at once (its MI error model
    // tries every MCS: once per loss, as the flow level asks at every rate update)
    auto known = m_downlinkCqi.find(downlinkLossDb);
    if (known == m_downlinkCqi.end())
    {
        Ptr<SpectrumValue> sinr = Create<SpectrumValue>(
            LteSpectrumValueHelper::GetSpectrumModel(p.downlinkEarfcn, p.downlinkRbs));
        *sinr = std::pow(10.0, estimate.sinrDb / 10.0);
        const std::vector<int> cqis = m_amc->CreateCqiFeedbacks(*sinr, p.downlinkRbs);
        known = m_downlinkCqi.emplace(downlinkLossDb, cqis.empty() ? 0 : std::max(0, cqis.front()))
                    .first;
    }
    estimate.cqi = known->second;
    if (estimate.cqi == 0)
    {
        return estimate;
    }
    estimate.mcs = m_amc->GetMcsFromCqi(estimate.cqi);
    // proportional fair over equal channels: each device has 1 / active of the band's blocks
    estimate.tbsBits =
        m_amc->GetDlTbSizeFromMcs(estimate.mcs, static_cast<int>(p.downlinkRbs)) / active;
    estimate.goodput = estimate.tbsBits / 8.0 * 1000.0 * PayloadFraction();
    return estimate;
}

} // namespace edgellm
} // namespace ns3
