/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LTE_LINK_MODEL_H
#define EDGE_LLM_LTE_LINK_MODEL_H

#include "ns3/ptr.h"

#include <cstdint>
#include <map>

namespace ns3
{

class LteAmc;
class LteEnbNetDevice;
class LteUeNetDevice;

namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The settings of an ns-3 LTE cell (one eNB, its UEs, ns-3's PfFfMacScheduler and
 * LteUePowerControl) that decide a link's rate. LteNetworkHelper fills it from what it
 * installs; the values mirror ns-3.37's defaults.
 */
struct LteCellParameters
{
    uint32_t uplinkRbs{100};        //!< LteEnbNetDevice::UlBandwidth
    uint32_t downlinkRbs{100};      //!< LteEnbNetDevice::DlBandwidth
    uint32_t downlinkEarfcn{100};   //!< LteEnbNetDevice::DlEarfcn (for the spectrum model)
    double enbTxPowerDbm{30};       //!< LteEnbPhy::TxPower (whole dBm: SIB2 signals it)
    double enbNoiseFigureDb{5};     //!< LteEnbPhy::NoiseFigure
    double ueNoiseFigureDb{9};      //!< LteUePhy::NoiseFigure
    bool powerControl{true};        //!< LteUePhy::EnableUplinkPowerControl
    double ueTxPowerDbm{10};        //!< LteUePhy::TxPower, when power control is off
    double alpha{1.0};              //!< LteUePowerControl::Alpha (TS 36.213's alpha(j=1))
    int p0NominalPuschDbm{-80};     //!< LteUePowerControl::PoNominalPusch, dBm per RB
    int p0UePuschDb{0};             //!< LteUePowerControl::PoUePusch
    double pcminDbm{-40};           //!< LteUePowerControl::Pcmin
    int srsOffset{7};               //!< LteUePowerControl::PsrsOffset (P_SRS_OFFSET index)
    uint32_t segmentBytes{1448};    //!< TCP payload per segment
    uint32_t tcpIpHeaderBytes{52};  //!< IPv4 + TCP with timestamps
    uint32_t pdcpRlcHeaderBytes{4}; //!< PDCP (2) and RLC UM (2) bytes per IP packet
};

/**
 * \ingroup edge-llm
 * \brief What the LTE link model says about one device's uplink or downlink.
 */
struct LteLinkEstimate
{
    double rbs{0};        //!< resource blocks per TTI (the average share)
    double txPowerDbm{0}; //!< PUSCH power (uplink) or the eNB's power (downlink)
    double sinrDb{0};     //!< SINR per RB of the data
    double cqiSinrDb{0};  //!< SINR per RB the MCS is chosen from (uplink: the SRS's)
    int cqi{0};           //!< CQI (0: out of range, no transmission)
    int mcs{-1};          //!< MCS (-1: none)
    double tbsBits{0};    //!< transport block bits per TTI (downlink: the average share)
    double goodput{0};    //!< TCP payload bytes per second of a saturated flow
};

/**
 * \ingroup edge-llm
 * \brief Rate of an LTE link as ns-3's LTE module produces it, without packets: the flow
 * level's LTE model.
 *
 * Uplink (TS 36.213 5.1.1.1 and 5.1.3.1, as LteUePowerControl computes them; TPC
 * accumulation f = 0, the value ns-3's eNB holds it at without an FFR algorithm):
 * - PUSCH power P = min(Pcmax, max(Pcmin, 10 log10 M + P0_PUSCH + alpha PL)), where M is the
 *   device's RBs, PL the path loss the UE estimates from the downlink reference signal (the
 *   downlink channel's loss) and P0_PUSCH = P0_NOMINAL_PUSCH + P0_UE_PUSCH;
 * - SRS power (over the whole uplink band N): min(Pcmax, -10.5 + 1.5 P_SRS_OFFSET + 10 log10 N
 *   + P0_PUSCH + alpha PL); the scheduler sizes the MCS from the SRS's SINR (FfMacScheduler's
 *   UlCqiFilter SRS_UL_CQI) with PfFfMacScheduler's rule: spectral efficiency
 *   log2(1 + SINR / (-ln(5 BER) / 1.5)), LteAmc's CQI and MCS for it, TBS for M RBs;
 * - M: PfFfMacScheduler divides the uplink band equally among the devices with data (at
 *   least 3 RBs each), floor(N / active).
 * Downlink: the eNB's power spread over the whole band; the UE's wideband CQI from LteAmc
 * (ns-3's MI error model, BLER <= 0.1 over the band), the MCS for it, and the proportional
 * fair scheduler's equal share of the RBs among the devices with data (channels alike over
 * time, PF shares RBs equally on average).
 * Goodput: TBS per 1 ms TTI, less TCP/IP, PDCP and RLC headers per segment.
 * The mean path loss (no fading) is the caller's.
 */
class LteLinkModel
{
  public:
    /**
     * \param parameters the cell's settings
     */
    explicit LteLinkModel(const LteCellParameters& parameters);
    ~LteLinkModel();
    LteLinkModel(const LteLinkModel&) = delete;
    LteLinkModel& operator=(const LteLinkModel&) = delete;

    /**
     * \brief TS 36.213's PUSCH power, as LteUePowerControl computes it.
     * \param pcmaxDbm the UE's maximum power
     * \param rbs M, the RBs of the transmission (> 0)
     * \param pathLossDb the path loss the UE estimates
     * \return the power in dBm
     */
    double GetPuschTxPowerDbm(double pcmaxDbm, uint32_t rbs, double pathLossDb) const;

    /**
     * \param pcmaxDbm the UE's maximum power
     * \param pathLossDb the path loss the UE estimates
     * \return the SRS power over the whole uplink band, dBm
     */
    double GetSrsTxPowerDbm(double pcmaxDbm, double pathLossDb) const;

    /**
     * \param active devices with uplink data (>= 1; a fraction weighs devices that send only
     *        TCP ACKs, see FlowNetworkModel::LteUplinkAckWeight)
     * \return the RBs PfFfMacScheduler grants each: floor(N / active) for whole counts (at
     *         least 3), N / active on average otherwise
     */
    double GetUplinkRbsPerDevice(double active) const;

    /**
     * \param pcmaxDbm the device's maximum power
     * \param uplinkLossDb the uplink channel's path loss (what the eNB receives through)
     * \param downlinkLossDb the downlink channel's path loss (what the UE estimates)
     * \param active devices with uplink data, this one included
     * \return the uplink estimate
     */
    LteLinkEstimate Uplink(double pcmaxDbm,
                           double uplinkLossDb,
                           double downlinkLossDb,
                           double active) const;

    /**
     * \param downlinkLossDb the downlink channel's path loss
     * \param active devices with downlink data, this one included (a fraction: as Uplink)
     * \return the downlink estimate
     */
    LteLinkEstimate Downlink(double downlinkLossDb, double active) const;

    /**
     * \param noiseFigureDb a receiver's noise figure
     * \return thermal noise (290 K) plus the noise figure in one 180 kHz RB, dBm
     */
    static double GetNoisePerRbDbm(double noiseFigureDb);

  private:
    /**
     * \param mcs an uplink MCS
     * \param rbs RBs, a fraction interpolating the TBS table linearly
     * \return TBS bits
     */
    double UplinkTbsBits(int mcs, double rbs) const;
    /** \return TCP payload bytes per transport block byte */
    double PayloadFraction() const;

    LteCellParameters m_parameters; //!< the cell
    Ptr<LteAmc> m_amc;              //!< ns-3's AMC, with its default attributes (as the cell's)
    mutable std::map<double, int> m_downlinkCqi; //!< downlink path loss -> wideband CQI
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_LTE_LINK_MODEL_H
