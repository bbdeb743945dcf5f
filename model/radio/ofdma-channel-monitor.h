/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_CHANNEL_MONITOR_H
#define EDGE_LLM_OFDMA_CHANNEL_MONITOR_H

#include "nr-link-adaptation.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What the OFDMA cell measured per device and direction, for the application-layer
 * scheduler: the recent effective SINR, the received power, the delivered bytes, and the rate
 * the device would achieve with every RB (or a share of them) at that SINR.
 *
 * The recent SINR is an exponential average in dB over received transport blocks with
 * weight Alpha for the newest one (Alpha = 1: the last one).
 *
 * Rate predictions with "mcs" are those of a backlogged link at a steady SINR
 * (NrLinkAdaptation::GetExpectedLink without fading): the MCS the link adaptation picks (with
 * the outer loop, the two MCS its offset alternates between, in the proportion that makes the
 * first-transmission BLER the target), and the slots HARQ retransmissions take.
 */
class OfdmaChannelMonitor : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaChannelMonitor();

    /**
     * TracedCallback signature for an SINR measurement.
     * \param device the device index
     * \param downlink the direction
     * \param sinrDb the effective SINR of a transport block in dB
     */
    typedef void (*SinrTracedCallback)(uint32_t device, bool downlink, double sinrDb);

    /**
     * \brief Size the tables (clears every measurement).
     * \param devices the number of devices
     * \param resourceBlocks RBs per carrier
     * \param slot the slot duration
     */
    void Configure(uint32_t devices, uint32_t resourceBlocks, Time slot);

    /**
     * \brief Set the rate model of the predictions.
     * \param linkAdaptation "mcs" or "shannon"
     * \param gapDb the gap (MCS thresholds or Shannon) in dB
     * \param blerSlope the BLER logistic slope per dB
     */
    void SetRateModel(const std::string& linkAdaptation, double gapDb, double blerSlope);

    /**
     * \brief Set the HARQ and outer-loop settings of the predictions.
     * \param settings the base station's settings
     */
    void SetHarqSettings(const NrHarqSettings& settings);

    /**
     * \brief Record a link's outer-loop offset (the base station calls it on each update).
     * \param device the device index
     * \param downlink the direction
     * \param offsetDb the offset in dB
     */
    void RecordOllaOffset(uint32_t device, bool downlink, double offsetDb);

    /**
     * \param device the device index
     * \param downlink the direction
     * \return the link's last outer-loop offset in dB (0 before any)
     */
    double GetOllaOffsetDb(uint32_t device, bool downlink) const;

    /**
     * \brief Record the measurement of one received transport block.
     * \param device the device index
     * \param downlink the direction
     * \param sinrDb its effective SINR in dB
     * \param rxPowerDbm its received power in dBm
     */
    void RecordSinr(uint32_t device, bool downlink, double sinrDb, double rxPowerDbm);

    /**
     * \brief Record bytes delivered to the receiver's upper layer.
     * \param device the device index
     * \param downlink the direction
     * \param bytes the bytes of the transport block's segments
     */
    void RecordDelivered(uint32_t device, bool downlink, uint64_t bytes);

    /**
     * \param device the device index
     * \param downlink the direction
     * \return true once a transport block was received
     */
    bool HasMeasurement(uint32_t device, bool downlink) const;
    /**
     * \param device the device index
     * \param downlink the direction
     * \return the effective SINR (dB) of the last transport block
     */
    double GetLastSinrDb(uint32_t device, bool downlink) const;
    /**
     * \param device the device index
     * \param downlink the direction
     * \return the recent (averaged) SINR in dB
     */
    double GetSinrDb(uint32_t device, bool downlink) const;
    /**
     * \param device the device index
     * \param downlink the direction
     * \return the received power (dBm) of the last transport block
     */
    double GetLastRxPowerDbm(uint32_t device, bool downlink) const;
    /**
     * \param device the device index
     * \param downlink the direction
     * \return the payload bytes delivered so far
     */
    uint64_t GetDeliveredBytes(uint32_t device, bool downlink) const;
    /**
     * \param device the device index
     * \param downlink the direction
     * \return the number of SINR measurements
     */
    uint64_t GetMeasurementCount(uint32_t device, bool downlink) const;

    /**
     * \brief The rate a device would get at its recent SINR with a share of the RBs.
     *
     * MCS: NrLinkAdaptation::GetExpectedLink at the SINR without fading, with round(share N)
     * RBs, per slot (without the outer loop and HARQ retransmissions this is about
     * TBS(MCS(sinr)) (1 - BLER)); Shannon: floor(log2(1 + sinr/gap) 156 round(share N)) / slot,
     * in whole bytes.
     *
     * \param device the device index
     * \param downlink the direction
     * \param share the fraction of the RBs (default all)
     * \return bit/s (0 before the first measurement)
     */
    double GetAchievableRateBps(uint32_t device, bool downlink, double share = 1.0) const;

    /**
     * \brief The same prediction for a given SINR (no measurement needed).
     * \param sinrDb the SINR in dB
     * \param rbs the RBs
     * \return bit/s
     */
    double PredictRateBps(double sinrDb, uint32_t rbs) const;

  private:
    /**
     * \param device the device index
     * \param downlink the direction
     * \return the index into the tables; NS_FATAL_ERROR when out of range
     */
    size_t Index(uint32_t device, bool downlink) const;

    uint32_t m_devices;                                 //!< number of devices
    uint32_t m_resourceBlocks;                          //!< RBs per carrier
    Time m_slot;                                        //!< slot duration
    std::string m_linkAdaptation;                       //!< "mcs" or "shannon"
    double m_gapDb;                                     //!< gap
    double m_blerSlope;                                 //!< BLER slope
    double m_alpha;                                     //!< averaging weight
    NrHarqSettings m_harq;                              //!< HARQ and OLLA settings
    std::vector<double> m_ollaOffsetDb;                 //!< per (device, direction)
    std::vector<double> m_lastSinrDb;                   //!< per (device, direction)
    std::vector<double> m_averageSinrDb;                //!< per (device, direction)
    std::vector<double> m_lastRxPowerDbm;               //!< per (device, direction)
    std::vector<uint64_t> m_count;                      //!< per (device, direction)
    std::vector<uint64_t> m_delivered;                  //!< per (device, direction)
    TracedCallback<uint32_t, bool, double> m_sinrTrace; //!< Sinr
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_CHANNEL_MONITOR_H */
