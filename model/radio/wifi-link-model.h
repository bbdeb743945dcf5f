/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_WIFI_LINK_MODEL_H
#define EDGE_LLM_WIFI_LINK_MODEL_H

#include "ns3/error-rate-model.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/wifi-tx-vector.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class WifiPhy;
class WifiNetDevice;

namespace edgellm
{

/**
 * \ingroup edge-llm
 * \param m Nakagami shape (> 0)
 * \param points how many
 * \return equiprobable quantiles of Nakagami-m fading's power gain (Gamma(m, 1/m), mean 1),
 *         in dB: the fading states the flow level averages over (Wi-Fi and the OFDMA cell)
 */
std::vector<double> NakagamiGainQuantilesDb(double m, uint32_t points);

/**
 * \ingroup edge-llm
 * \brief The MAC and TCP parameters of an 802.11ax link that the Wi-Fi link model reproduces,
 * read from the installed devices (WifiNetworkHelper keeps ns-3.37's defaults for most).
 */
struct WifiLinkParameters
{
    uint32_t maxAmpduBytes{65535}; //!< WifiMac::BE_MaxAmpduSize
    uint32_t mpduBufferSize{64};   //!< HeConfiguration::MpduBufferSize (Block Ack window)
    uint32_t maxRetries{7};        //!< WifiRemoteStationManager::MaxSsrc (MPDUs are short)
    uint32_t cwMin{15};            //!< the BE Txop's MinCw
    uint32_t cwMax{1023};          //!< the BE Txop's MaxCw
    uint32_t aifsn{3};             //!< the BE Txop's Aifsn
    uint32_t guardIntervalNs{800}; //!< HeConfiguration::GuardInterval
    double ber{1e-6};              //!< IdealWifiManager::BerThreshold
    uint32_t segmentBytes{1448};   //!< TCP payload per segment
    uint32_t tcpIpHeaderBytes{52}; //!< IPv4 + TCP with timestamps
    uint32_t segmentsPerAck{2};    //!< TcpSocket::DelAckCount
    uint32_t fadingQuantiles{64};  //!< equiprobable fading states of the expectation
    Time maxPpduDuration{MicroSeconds(5484)}; //!< aPPDUMaxTime of HE
};

/**
 * \ingroup edge-llm
 * \brief What the link model says about one hop.
 */
struct WifiLinkEstimate
{
    double goodput{0};        //!< TCP payload bit/s of a saturated flow on the hop
    double phyRate{0};        //!< PHY rate of the MCS chosen at the mean SNR, bit/s
    int meanSnrMcs{-1};       //!< that MCS (-1: none decodable)
    double mpdusPerPpdu{0};   //!< data MPDUs per PPDU at that MCS
    double deliveryRatio{0};  //!< MPDUs delivered per MPDU sent (fading, stale MCS choice)
    double meanPhyRate{0};    //!< PHY rate of the data PPDUs, averaged over their airtime
    double airtimePerPpdu{0}; //!< seconds of channel per data PPDU, its Block Ack and TCP ACKs
};

/**
 * \ingroup edge-llm
 * \brief Expected TCP goodput of a saturated 802.11ax hop (one spatial stream, HE SU PPDUs,
 * EDCA best effort, IdealWifiManager) from its mean SNR, the reverse hop's mean SNR and the
 * Nakagami-m fading of each PPDU: the flow level's Wi-Fi rate.
 *
 * Why a model and not a constant efficiency: the fixed cost of a transmission opportunity
 * (AIFS, backoff, preamble, SIFS, Block Ack, and the receiver's own opportunity for the TCP
 * ACKs) does not shrink with the channel, while an A-MPDU of at most BE_MaxAmpduSize bytes
 * does; so the share of airtime that carries data falls from about 0.8 at 20 MHz to 0.5 at
 * 160 MHz. And under per-PPDU fading the ideal manager picks each PPDU's MCS from the SNR of
 * the last PPDU that got through, so a lucky draw sends the next PPDUs at an MCS the next
 * draws cannot carry: the link model follows that as a Markov chain over (MCS in use, failed
 * attempts), the MPDUs' success from the PHY's own error rate model, and the durations from
 * WifiPhy::CalculateTxDuration. What it leaves out (collisions between contenders, TCP's
 * window dynamics) is the calibrated efficiency the flow level multiplies on top.
 */
class WifiLinkModel
{
  public:
    /// HE MCS indices 0 to 11 (one spatial stream)
    static constexpr int HE_MCS_COUNT = 12;

    /**
     * \param phy a PHY of the network (its band, width, error rate model, SIFS and slot)
     * \param parameters the MAC and TCP parameters
     */
    WifiLinkModel(Ptr<WifiPhy> phy, const WifiLinkParameters& parameters);

    /**
     * \param device an installed device of the network
     * \return its MAC, rate manager and HE parameters, TCP's defaults
     */
    static WifiLinkParameters ReadParameters(Ptr<WifiNetDevice> device);

    /**
     * \param snrDb mean SNR of the data direction (dB)
     * \param reverseSnrDb mean SNR of the reverse direction, which carries the TCP ACKs (dB)
     * \param nakagamiM the fading's shape (per-PPDU power gain Gamma(m, 1/m)); 0: no fading
     * \return the estimate, cached by the arguments rounded to 0.01 dB and 0.01
     */
    const WifiLinkEstimate& Estimate(double snrDb, double reverseSnrDb, double nakagamiM) const;

    /**
     * \param snrDb SNR (dB)
     * \return the HE MCS the ideal manager picks at this SNR (-1 below MCS 0's threshold)
     */
    int PickMcs(double snrDb) const;
    /**
     * \brief How much longer each transmission takes on a channel with \p contenders
     * saturated transmitters than with two (one flow: its sender and the receiver's TCP ACKs,
     * which is what Estimate assumes): Bianchi's model of EDCA's binary exponential backoff
     * (idle slots and collisions per successful transmission), with this link's contention
     * window and slot.
     * \param contenders nodes with frames to send on the channel
     * \param txopSeconds mean length of a transmission (PPDU, SIFS, Block Ack, AIFS)
     * \return the factor, 1 for two contenders or fewer
     */
    double GetContentionFactor(uint32_t contenders, double txopSeconds) const;

    /** \param mcs HE MCS \return its PHY rate on this channel (bit/s) */
    double GetPhyRate(int mcs) const;
    /** \param mcs HE MCS \return the SNR at which it reaches the BER target (dB) */
    double GetThresholdDb(int mcs) const;

    /**
     * \brief The stationary distribution of one direction's retry chain (see doc/flow-level.rst).
     *
     * States (MCS c in use, failed attempts r, next is a data A-MPDU or a BlockAckRequest),
     * indexed (c * attempts + r) * 2 + (bar ? 1 : 0). Each transmission sees fading draw k
     * (probability 1 / draws). A data A-MPDU at c gets its Block Ack with probability
     * dataOk[c * draws + k] and the next state is (nextMcs[k], 0, data); otherwise
     * (c, r + 1, request), or (0, 0, data) when the attempts are used up. A request always gets
     * through and moves to (nextMcs[k], r, data).
     *
     * Requests are answered whatever the draw, so the chain after a failure does not depend on
     * the MCS it failed at: the data states with r >= 1 are q F_{r-1}, with q the distribution
     * of nextMcs and F_r the failure flow out of retry r, F_r = F_0 phi^r (phi: the failure
     * probability under q). Eliminating them leaves a chain on the MCS of fresh data states
     * alone (HE_MCS_COUNT states), solved by LU; the rest follows in closed form. The same
     * distribution as the full chain's balance equations (an LU of 2 x attempts x
     * HE_MCS_COUNT states), at a thousandth of the cost.
     * \param dataOk per (MCS, draw), the probability that a data A-MPDU gets its Block Ack
     * \param nextMcs per draw, the MCS the manager picks after a Block Ack at that draw
     * \param attempts the transmissions of an MPDU before it is dropped (>= 1)
     * \return the distribution over the chain's states
     */
    static std::vector<double> GetStationaryDistribution(const std::vector<double>& dataOk,
                                                         const std::vector<int>& nextMcs,
                                                         uint32_t attempts);

  private:
    /// What one direction's transmissions cost and carry, per transmission (data PPDU or
    /// BlockAckRequest), averaged over the chain.
    struct Direction
    {
        double ppdusSent{0};      //!< data PPDUs (the rest are BlockAckRequests)
        double mpdusDelivered{0}; //!< MPDUs delivered
        double mpdusSent{0};      //!< MPDUs sent
        double airtime{0};        //!< seconds of channel, with access and Block Ack
        double dataAirtime{0};    //!< seconds of data PPDUs
        double bitsAtPhy{0};      //!< PHY bits in those data PPDUs
    };

    /**
     * \param snrDb mean SNR
     * \param gainsDb the fading states (empty: none)
     * \param mpduBytes bytes of each A-MPDU subframe
     * \param wantedMpdus MPDUs one PPDU would carry if the limits allowed (0: as many as fit)
     * \return the chain's stationary averages
     */
    Direction Solve(double snrDb,
                    const std::vector<double>& gainsDb,
                    uint32_t mpduBytes,
                    uint32_t wantedMpdus) const;
    /// \return MPDUs of \p mpduBytes that fit one PPDU at \p mcs, at most \p wanted (0: any)
    uint32_t MpdusPerPpdu(int mcs, uint32_t mpduBytes, uint32_t wanted) const;
    /// \return the TXVECTOR of an HE SU PPDU at \p mcs on this channel (one stream)
    WifiTxVector HeTxVector(int mcs) const;
    /// \return duration of an HE SU PPDU of \p bytes at \p mcs
    Time PpduDuration(int mcs, uint32_t bytes) const;
    /// \return the success probability of one MPDU of \p bytes at \p mcs and SNR \p snrDb
    double MpduSuccess(int mcs, uint32_t bytes, double snrDb) const;
    /// \return Bianchi's mean channel time per successful transmission
    double ChannelTimePerSuccess(uint32_t contenders, double txopSeconds) const;

    Ptr<WifiPhy> m_phy;                //!< the PHY (band, width, SIFS, slot)
    Ptr<ErrorRateModel> m_errorModel;  //!< MPDU success, the PHY's kind of model
    WifiLinkParameters m_parameters;   //!< MAC and TCP parameters
    std::vector<double> m_thresholdDb; //!< by MCS
    std::vector<double> m_rate;        //!< bit/s by MCS
    Time m_blockAck;                   //!< a compressed Block Ack at the control response rate
    Time m_blockAckRequest;            //!< a BlockAckRequest, sent like the Block Ack
    Time m_sifs;                       //!< SIFS
    Time m_slot;                       //!< slot
    /// estimates by (SNR, reverse SNR, m), each x100 and rounded
    mutable std::map<std::tuple<int64_t, int64_t, int64_t>, WifiLinkEstimate> m_cache;
    /// contention factors by (contenders, transmission length in us x100)
    mutable std::map<std::pair<uint32_t, int64_t>, double> m_contentionCache;
    /// MPDU success by (MCS, bytes, SNR x100)
    mutable std::map<std::tuple<int, uint32_t, int64_t>, double> m_successCache;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_WIFI_LINK_MODEL_H */
