/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_BS_NET_DEVICE_H
#define EDGE_LLM_OFDMA_BS_NET_DEVICE_H

#include "nr-link-adaptation.h"
#include "ofdma-channel-monitor.h"
#include "ofdma-net-device.h"
#include "ofdma-scheduler.h"
#include "ofdma-spectrum-phy.h"

#include "ns3/channel-condition-model.h"
#include "ns3/event-id.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/random-variable-stream.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

class OfdmaUeNetDevice;

/**
 * \ingroup edge-llm
 * \brief The base station of the OFDMA cell, on the edge server node: it schedules both FDD
 * carriers slot by slot, chooses the MCS, runs HARQ and relays device-to-device traffic.
 *
 * Each slot (1 ms / 2^mu) it grants uplink RBs to the UEs with queued bytes or a pending
 * retransmission and downlink RBs to the UEs whose downlink queue holds bytes, with an
 * OfdmaScheduler per carrier, chosen by TypeId (the Scheduler attribute; OfdmaCellHelper's
 * SetSchedulerTypeId): OfdmaSharesScheduler (the default), OfdmaRoundRobinScheduler or
 * OfdmaProportionalFairScheduler. A new transport block's size follows from its RBs and the
 * link adaptation:
 * - "mcs": the highest MCS of TS 38.214 table 1 whose threshold is at most the last measured
 *   effective SINR of the link (InitialSinrDb before the first measurement; on the uplink
 *   scaled to the block's RBs and the UE's power, since a UE spreads its power over its
 *   grant) plus the outer-loop offset, TBS per TS 38.214 5.1.3.2; it fails with the
 *   probability of the BLER model.
 * - "shannon": floor(log2(1 + SINR/gap) * 156 * RBs) bits at the last measured SINR; it fails
 *   when the SINR at reception (HARQ-combined) is below the SINR it was sized for.
 *
 * HARQ: one stop-and-wait process per UE and direction with ideal, immediate feedback; a
 * failed transport block is sent again in the next slot with the same size, MCS and number
 * of RBs, its SINR added (Chase combining, HarqCombining) to the earlier transmissions'; after
 * MaxHarqTransmissions it is dropped and TCP recovers.
 *
 * Outer-loop link adaptation (OuterLoopLinkAdaptation, "mcs" only): per UE and direction an
 * offset (dB) is added to the measured SINR before the MCS choice; the HARQ feedback of every
 * first transmission moves it, up by OllaStepDb on an ACK, down by
 * OllaStepDb (1 - OllaTargetBler) / OllaTargetBler on a NACK, within +-OllaMaxOffsetDb, so that
 * the first-transmission BLER settles at OllaTargetBler whatever the fading.
 *
 * Device-to-device traffic: the base station relays it at layer 2 (an uplink packet addressed
 * to another UE's MAC address goes to that UE's downlink queue), so the server's IP stack does
 * not route it. Broadcasts (ARP) go up the server's stack and to every other UE.
 *
 * Downlink power: TxPowerDbm spread evenly over all RBs of the carrier (the per-RB power does
 * not depend on how many RBs are used).
 */
class OfdmaBsNetDevice : public OfdmaNetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaBsNetDevice();
    ~OfdmaBsNetDevice() override;

    /**
     * TracedCallback signature for a grant.
     * \param slot the slot number (time / slot duration)
     * \param device the device index
     * \param downlink the direction
     * \param firstRb the first RB
     * \param rbs the number of RBs
     * \param mcs the MCS index (0 with Shannon link adaptation)
     * \param tbBits the transport block size in bits
     */
    typedef void (*GrantTracedCallback)(uint64_t slot,
                                        uint32_t device,
                                        bool downlink,
                                        uint32_t firstRb,
                                        uint32_t rbs,
                                        uint32_t mcs,
                                        uint32_t tbBits);
    /**
     * TracedCallback signature for a received transport block.
     * \param device the device index
     * \param downlink the direction
     * \param mcs the MCS index
     * \param tbBits the transport block size
     * \param sinrDb its effective SINR in this transmission
     * \param transmission 1 for the first transmission, 2.. for retransmissions
     * \param success decoded
     */
    typedef void (*TbRxTracedCallback)(uint32_t device,
                                       bool downlink,
                                       uint32_t mcs,
                                       uint32_t tbBits,
                                       double sinrDb,
                                       uint32_t transmission,
                                       bool success);
    /**
     * TracedCallback signature for the end of a transport block's HARQ process.
     * \param device the device index
     * \param downlink the direction
     * \param tbId the transport block's id
     * \param transmissions how many transmissions it took
     * \param delivered true when decoded, false when dropped after the last transmission
     */
    typedef void (*HarqTracedCallback)(uint32_t device,
                                       bool downlink,
                                       uint64_t tbId,
                                       uint32_t transmissions,
                                       bool delivered);
    /**
     * TracedCallback signature for an outer-loop link adaptation update.
     * \param device the device index
     * \param downlink the direction
     * \param offsetDb the new offset (dB) added to the measured SINR before the MCS choice
     */
    typedef void (*OllaOffsetTracedCallback)(uint32_t device, bool downlink, double offsetDb);

    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;

    /**
     * \brief Configure the cell (helper).
     * \param cellId the cell id (signals of other cells are interference)
     * \param numerology mu
     * \param bandwidthMHz the channel bandwidth of each carrier
     * \param ulPhy the uplink PHY (receives)
     * \param dlPhy the downlink PHY (transmits)
     */
    void Configure(uint32_t cellId,
                   uint32_t numerology,
                   double bandwidthMHz,
                   Ptr<OfdmaSpectrumPhy> ulPhy,
                   Ptr<OfdmaSpectrumPhy> dlPhy);

    /**
     * \brief Add a UE (helper); its index is the number of UEs before it.
     * \param ue the UE
     */
    void AddUe(Ptr<OfdmaUeNetDevice> ue);

    /// \return the cell id
    uint32_t GetCellId() const;
    /// \return mu
    uint32_t GetNumerology() const;
    /// \return the RBs per carrier
    uint32_t GetResourceBlockCount() const;
    /// \return the slot duration
    Time GetSlotDuration() const;
    /// \return the number of UEs
    uint32_t GetUeCount() const;
    /**
     * \param device the device index
     * \return its UE
     */
    Ptr<OfdmaUeNetDevice> GetUe(uint32_t device) const;
    /// \return the uplink PHY
    Ptr<OfdmaSpectrumPhy> GetUplinkPhy() const;
    /// \return the downlink PHY
    Ptr<OfdmaSpectrumPhy> GetDownlinkPhy() const;
    /**
     * \param device the device index
     * \return the bytes waiting in its downlink queue
     */
    uint64_t GetDownlinkQueueBytes(uint32_t device) const;
    /// \return the channel monitor (measured SINR and achievable rates)
    Ptr<OfdmaChannelMonitor> GetChannelMonitor() const;

    /**
     * \brief Set the RB scheduler (the Scheduler attribute): \p scheduler serves the uplink
     *        carrier, a copy of it (OfdmaScheduler::Copy: same TypeId and attributes, its own
     *        state) the downlink carrier. Both are configured for the UEs already added.
     * \param scheduler the scheduler (the default is an OfdmaSharesScheduler; null selects a
     *        new one), of this base station alone. NS_FATAL_ERROR when bandwidth shares are
     *        set and it is not an OfdmaSharesScheduler (ClearBandwidthShares first).
     */
    void SetScheduler(Ptr<OfdmaScheduler> scheduler);
    /// \return the uplink scheduler (the Scheduler attribute)
    Ptr<OfdmaScheduler> GetUplinkScheduler() const;
    /// \return the downlink scheduler (the uplink one's copy)
    Ptr<OfdmaScheduler> GetDownlinkScheduler() const;
    /// \return true when the scheduler honours bandwidth shares (an OfdmaSharesScheduler)
    bool GrantsBandwidthShares() const;

    /**
     * \brief Check a bandwidth share before it is set.
     * \param device the device index
     * \param share the fraction of the RBs of both carriers
     * \return "" when allowed, otherwise the problem (bad index, a scheduler that does not
     *         grant shares, not in [0, 1], the shares would sum to more than 1)
     */
    std::string CheckBandwidthShare(uint32_t device, double share) const;
    /**
     * \brief Set a device's share of the RBs (uplink and downlink); only the
     *        OfdmaSharesScheduler grants shares.
     * \param device the device index
     * \param share the share; NS_FATAL_ERROR with CheckBandwidthShare's message when not allowed
     */
    void SetBandwidthShare(uint32_t device, double share);
    /// Forget every share (unset devices split what the set ones leave); allowed with any
    /// scheduler.
    void ClearBandwidthShares();
    /**
     * \param device the device index
     * \return its effective share (set, or its part of the remainder): what the
     *         OfdmaSharesScheduler grants it; 1/n for every device when no share is set
     */
    double GetBandwidthShare(uint32_t device) const;

    /**
     * \param device the device index
     * \param dbm the uplink transmit power
     * \return "" when allowed (valid index, finite power), otherwise the problem
     */
    std::string CheckTxPowerDbm(uint32_t device, double dbm) const;
    /**
     * \brief Set a UE's uplink transmit power (capped at its MaxTxPowerDbm).
     * \param device the device index
     * \param dbm the power; NS_FATAL_ERROR with CheckTxPowerDbm's message when not allowed
     */
    void SetTxPowerDbm(uint32_t device, double dbm);

    /**
     * \param device the device index
     * \return "" when the cell has that device, otherwise the problem
     */
    std::string CheckDevice(uint32_t device) const;

    /**
     * \brief The outer-loop offset of a link (0 until its first HARQ feedback, and whenever
     *        OuterLoopLinkAdaptation is off or LinkAdaptation is "shannon").
     * \param device the device index; NS_FATAL_ERROR with CheckDevice's message when unknown
     * \param downlink the direction
     * \return the offset in dB
     */
    double GetOllaOffsetDb(uint32_t device, bool downlink) const;

    /**
     * \return the HARQ and OLLA settings of the cell (the attributes), for expectations
     *         (NrLinkAdaptation::GetExpectedLink)
     */
    NrHarqSettings GetHarqSettings() const;

    /**
     * \brief Make the next \p count transport blocks received on a link fail, whatever their
     *        SINR (testing HARQ).
     * \param device the device index
     * \param downlink the direction
     * \param count how many
     */
    void InjectTransportBlockErrors(uint32_t device, bool downlink, uint32_t count);

    /**
     * \brief Record the random models of the cell's carriers (helper), so that AssignStreams
     *        fixes them too.
     * \param losses the propagation loss chains (path loss, fading) of the carriers
     * \param conditions the 3GPP channel condition models
     */
    void SetRandomModels(const std::vector<Ptr<PropagationLossModel>>& losses,
                         const std::vector<Ptr<ChannelConditionModel>>& conditions);

    /**
     * \brief Fix every random stream of the cell: the BLER draws, then the loss chains (fading,
     *        shadowing) and channel condition models given by SetRandomModels.
     * \param stream the first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// Start the slot clock if it is stopped (a queue received bytes).
    void NotifyPending();

    /**
     * \brief Decide whether a received transport block decodes (HARQ, BLER, traces, monitor).
     * \param tb the transport block
     * \param sinr the linear SINR of each of its RBs
     * \param rxPowerW its received power
     * \return true when decoded
     */
    bool DecodeTransportBlock(std::shared_ptr<OfdmaTransportBlock> tb,
                              const std::vector<double>& sinr,
                              double rxPowerW);

    /**
     * \brief The bits a transport block of \p rbs RBs carries at \p sinrDb with this cell's
     *        link adaptation.
     * \param sinrDb the SINR in dB
     * \param rbs the number of RBs
     * \param[out] mcs the MCS chosen (0 with Shannon)
     * \return the TBS in bits (a multiple of 8)
     */
    uint32_t GetTransportBlockBits(double sinrDb, uint32_t rbs, uint32_t& mcs) const;

  protected:
    void DoDispose() override;

  private:
    /// Configure both schedulers for the UEs and hand the shares to an OfdmaSharesScheduler.
    void ConfigureSchedulers();
    /// Hand the shares to the schedulers that grant them (OfdmaSharesScheduler).
    void ConfigureShares();
    /// \param name the link adaptation (attribute setter)
    void SetLinkAdaptation(std::string name);
    /// \return the link adaptation
    std::string GetLinkAdaptation() const;
    /// \param target the OLLA BLER target (attribute setter, validated)
    void SetOllaTargetBler(double target);
    /// \return the OLLA BLER target
    double GetOllaTargetBler() const;
    /// \param stepDb the OLLA up step (attribute setter, validated)
    void SetOllaStepDb(double stepDb);
    /// \return the OLLA up step
    double GetOllaStepDb() const;
    /// \param maxOffsetDb the OLLA offset bound (attribute setter, validated)
    void SetOllaMaxOffsetDb(double maxOffsetDb);
    /// \return the OLLA offset bound
    double GetOllaMaxOffsetDb() const;
    /// \return true when the outer loop acts (OuterLoopLinkAdaptation and "mcs")
    bool IsOllaActive() const;
    /// \param bytes the capacity of every downlink queue (attribute setter)
    void SetMaxQueueBytes(uint64_t bytes);
    /// \return the capacity of the downlink queues
    uint64_t GetMaxQueueBytes() const;
    /// Copy the link adaptation settings to the monitor.
    void UpdateMonitor() const;
    /// One slot: schedule and transmit both carriers.
    void Slot();
    /**
     * \param downlink the carrier
     * \return true when a transport block was sent
     */
    bool ScheduleCarrier(bool downlink);
    /**
     * \param device the device index
     * \param downlink the direction
     * \param rbs the RBs of the grant it is for
     * \return the SINR link adaptation uses: the last measured one (on the uplink scaled from
     *         the RBs and power of the measured block to \p rbs and the power now), else
     *         InitialSinrDb, plus the outer-loop offset when it is active
     */
    double GetLinkSinrDb(uint32_t device, bool downlink, uint32_t rbs) const;
    /**
     * \param bytes queued bytes
     * \param device the device index
     * \param downlink the direction
     * \return the fewest RBs whose block carries them (at most all)
     */
    uint32_t GetRbsNeeded(uint64_t bytes, uint32_t device, bool downlink) const;
    /// \return true when a queue holds bytes or a retransmission is pending
    bool HasPending() const;
    /**
     * \brief An uplink transport block ended at the PHY.
     * \param tb the transport block
     * \param sinr per-RB SINR
     * \param rxPowerW received power
     */
    void ReceiveUplink(std::shared_ptr<OfdmaTransportBlock> tb,
                       const std::vector<double>& sinr,
                       double rxPowerW);
    /**
     * \brief Deliver or relay an uplink SDU.
     * \param from the sending device
     * \param sdu the SDU
     */
    void ForwardUplink(uint32_t from, std::shared_ptr<const OfdmaSdu> sdu);
    /**
     * \param device the device index
     * \param packet the packet
     * \param source its source MAC
     * \param dest its destination MAC
     * \param protocol its EtherType
     * \return false when the downlink queue is full
     */
    bool EnqueueDownlink(uint32_t device,
                         Ptr<Packet> packet,
                         Mac48Address source,
                         Mac48Address dest,
                         uint16_t protocol);

    uint32_t m_cellId;                                           //!< cell id
    uint32_t m_numerology;                                       //!< mu
    double m_bandwidthMHz;                                       //!< per carrier
    uint32_t m_rbs;                                              //!< RBs per carrier
    Time m_slot;                                                 //!< slot duration
    Ptr<OfdmaSpectrumPhy> m_ulPhy;                               //!< uplink PHY
    Ptr<OfdmaSpectrumPhy> m_dlPhy;                               //!< downlink PHY
    std::vector<Ptr<OfdmaUeNetDevice>> m_ues;                    //!< by index
    std::map<Mac48Address, uint32_t> m_ueByMac;                  //!< MAC -> index
    std::vector<OfdmaByteQueue> m_dlQueues;                      //!< per UE
    std::vector<OfdmaReassembler> m_ulReassembly;                //!< per UE
    std::vector<std::shared_ptr<OfdmaTransportBlock>> m_harq[2]; //!< [dl][ue] awaiting retx
    std::vector<uint32_t> m_injected[2];                         //!< [dl][ue] errors to inject
    std::vector<double> m_ollaOffsetDb[2];                       //!< [dl][ue] OLLA offsets
    std::vector<uint32_t> m_measuredRbs[2]; //!< [dl][ue] RBs of the last measured block
    std::vector<double> m_measuredPowerDbm; //!< [ue] uplink power of the last measured block
    Ptr<OfdmaScheduler> m_scheduler[2];     //!< [dl]
    Ptr<OfdmaChannelMonitor> m_monitor;     //!< measurements
    Ptr<UniformRandomVariable> m_blerRv;    //!< BLER draws
    std::vector<Ptr<PropagationLossModel>> m_losses;      //!< carriers' loss chains
    std::vector<Ptr<ChannelConditionModel>> m_conditions; //!< channel condition models
    std::vector<double> m_shares;                         //!< per UE, NaN = not set
    std::string m_linkAdaptation;                         //!< attribute LinkAdaptation
    double m_mcsGapDb;                                    //!< attribute McsGapDb
    double m_shannonGapDb;                                //!< attribute ShannonGapDb
    double m_blerSlope;                                   //!< attribute BlerSlope
    double m_txPowerDbm;                                  //!< attribute TxPowerDbm
    double m_initialSinrDb;                               //!< attribute InitialSinrDb
    uint32_t m_maxHarqTransmissions;                      //!< attribute MaxHarqTransmissions
    bool m_harqCombining;                                 //!< attribute HarqCombining
    bool m_olla;                                          //!< attribute OuterLoopLinkAdaptation
    double m_ollaTargetBler;                              //!< attribute OllaTargetBler
    double m_ollaStepDb;                                  //!< attribute OllaStepDb
    double m_ollaMaxOffsetDb;                             //!< attribute OllaMaxOffsetDb
    uint64_t m_maxQueueBytes;                             //!< attribute MaxQueueBytes
    bool m_running;                                       //!< slot clock running
    Time m_lastSlot;                                      //!< time of the last slot
    bool m_anySlot;                                       //!< a slot ran
    uint64_t m_nextTbId;                                  //!< TB ids
    TracedCallback<uint64_t, uint32_t, bool, uint32_t, uint32_t, uint32_t, uint32_t>
        m_grantTrace; //!< Grant
    TracedCallback<uint32_t, bool, uint32_t, uint32_t, double, uint32_t, bool>
        m_tbRxTrace;                                                      //!< TbRx
    TracedCallback<uint32_t, bool, uint64_t, uint32_t, bool> m_harqTrace; //!< Harq
    TracedCallback<uint32_t, bool, double> m_ollaTrace;                   //!< OllaOffset
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_BS_NET_DEVICE_H */
