/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_SPECTRUM_PHY_H
#define EDGE_LLM_OFDMA_SPECTRUM_PHY_H

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/spectrum-channel.h"
#include "ns3/spectrum-phy.h"
#include "ns3/spectrum-signal-parameters.h"
#include "ns3/spectrum-value.h"
#include "ns3/traced-callback.h"

#include <list>
#include <memory>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One link-layer packet (an IP packet and its addressing) in an OFDMA byte queue.
 */
struct OfdmaSdu
{
    Ptr<Packet> packet;  //!< the packet
    Mac48Address source; //!< sender's MAC address
    Mac48Address dest;   //!< destination MAC address
    uint16_t protocol;   //!< EtherType
    uint64_t id;         //!< sequence number on its link
    uint32_t size;       //!< packet->GetSize()
};

/**
 * \ingroup edge-llm
 * \brief A piece of an SDU carried by a transport block (RLC-like segmentation).
 */
struct OfdmaSegment
{
    std::shared_ptr<const OfdmaSdu> sdu; //!< the SDU
    uint32_t offset;                     //!< first byte of the SDU in this segment
    uint32_t bytes;                      //!< bytes of the SDU in this segment
};

/**
 * \ingroup edge-llm
 * \brief A transport block: the bytes one device sends (or receives) in one slot.
 */
struct OfdmaTransportBlock
{
    uint64_t id{0};                     //!< unique per cell
    uint32_t device{0};                 //!< the device index (RNTI-like) it belongs to
    bool downlink{false};               //!< direction
    uint32_t firstRb{0};                //!< first RB of its grant
    uint32_t rbs{0};                    //!< RBs of its grant
    uint32_t mcs{0};                    //!< MCS index (MCS link adaptation)
    uint32_t sizeBits{0};               //!< TBS in bits
    uint32_t transmissions{0};          //!< transmissions so far, this one included
    double combinedSinr{0};             //!< linear SINR accumulated over transmissions (HARQ)
    double targetSinrDb{0};             //!< SINR it was sized for (Shannon link adaptation)
    std::vector<OfdmaSegment> segments; //!< the SDU bytes it carries
};

/**
 * \ingroup edge-llm
 * \brief Signal of the OFDMA cell on a SpectrumChannel: the PSD per RB plus the transport
 * blocks it carries (one on the uplink, all of the slot's on the downlink).
 */
struct OfdmaSignalParameters : public SpectrumSignalParameters
{
    OfdmaSignalParameters() = default;
    /// \param p the object to copy
    OfdmaSignalParameters(const OfdmaSignalParameters& p) = default;
    /// \return a copy (the transport blocks are shared, the PSD pointer copied)
    Ptr<SpectrumSignalParameters> Copy() const override;

    uint32_t cellId{0};   //!< transmitting cell
    bool downlink{false}; //!< direction
    /// The transport blocks, shared by the copies the channel makes for each receiver.
    std::shared_ptr<const std::vector<std::shared_ptr<OfdmaTransportBlock>>> tbs;
};

/**
 * \ingroup edge-llm
 * \brief The PHY of an OFDMA base station or user equipment on one carrier.
 *
 * Transmits OfdmaSignalParameters on its SpectrumChannel; receives every signal on the
 * channel, keeps it for the interference of overlapping signals, and at the end of a signal
 * of its own cell meant for it computes, for each of its transport blocks, the SINR of each
 * RB: S / (N + I), with S the received PSD on the RB, N the thermal noise
 * kT * 10^(NF/10) and I the sum of the PSDs of every other signal overlapping it in time
 * (other cells' co-channel transmissions, foreign technologies).
 */
class OfdmaSpectrumPhy : public SpectrumPhy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaSpectrumPhy();
    ~OfdmaSpectrumPhy() override;

    /**
     * Callback for a received transport block.
     * \param tb the transport block
     * \param sinr the linear SINR of each of its RBs
     * \param rxPowerW the received signal power over its RBs, in W
     */
    typedef Callback<void, std::shared_ptr<OfdmaTransportBlock>, const std::vector<double>&, double>
        RxCallback;

    /**
     * TracedCallback signature for received signal power.
     * \param device the device index of the transport block
     * \param rxPowerDbm its received power in dBm over its RBs
     */
    typedef void (*RxPowerTracedCallback)(uint32_t device, double rxPowerDbm);

    // SpectrumPhy
    void SetDevice(Ptr<NetDevice> d) override;
    Ptr<NetDevice> GetDevice() const override;
    void SetMobility(Ptr<MobilityModel> m) override;
    Ptr<MobilityModel> GetMobility() const override;
    void SetChannel(Ptr<SpectrumChannel> c) override;
    Ptr<const SpectrumModel> GetRxSpectrumModel() const override;
    Ptr<Object> GetAntenna() const override;
    void StartRx(Ptr<SpectrumSignalParameters> params) override;

    /**
     * \brief Configure the PHY.
     * \param model the carrier's spectrum model (one band per RB)
     * \param cellId the cell
     * \param isBaseStation true at the base station (receives the uplink)
     * \param device the device index at a UE (ignored at the base station)
     */
    void Configure(Ptr<const SpectrumModel> model,
                   uint32_t cellId,
                   bool isBaseStation,
                   uint32_t device);

    /**
     * \brief A spectrum model with one band per resource block, centred on the carrier.
     * \param centerHz the carrier frequency
     * \param rbBandwidthHz the width of one RB
     * \param rbs the number of RBs
     * \return the model
     */
    static Ptr<const SpectrumModel> CreateSpectrumModel(double centerHz,
                                                        double rbBandwidthHz,
                                                        uint32_t rbs);

    /// \param callback called for each received transport block meant for this PHY
    void SetRxCallback(RxCallback callback);

    /// \return the channel
    Ptr<SpectrumChannel> GetChannel() const;

    /// \return the thermal noise PSD per RB (W/Hz)
    double GetNoisePsd() const;

    /**
     * \brief Transmit a signal now.
     * \param params the signal (its psd, duration and transport blocks set)
     */
    void StartTx(Ptr<OfdmaSignalParameters> params);

  protected:
    void DoDispose() override;

  private:
    /// A signal being received (or recently received).
    struct Signal
    {
        Ptr<SpectrumSignalParameters> params; //!< its parameters, received PSD
        Time start;                           //!< arrival
        Time end;                             //!< end
    };

    /**
     * \brief The end of a received signal of this cell meant for this PHY.
     * \param signal the signal
     */
    void EndRx(std::shared_ptr<Signal> signal);

    Ptr<NetDevice> m_device;                         //!< the device
    Ptr<MobilityModel> m_mobility;                   //!< its mobility
    Ptr<SpectrumChannel> m_channel;                  //!< the channel
    Ptr<const SpectrumModel> m_model;                //!< one band per RB
    uint32_t m_cellId;                               //!< the cell
    bool m_isBaseStation;                            //!< receives the uplink
    uint32_t m_deviceIndex;                          //!< at a UE
    double m_noiseFigureDb;                          //!< attribute NoiseFigure
    std::list<std::shared_ptr<Signal>> m_signals;    //!< signals for interference
    Time m_longest;                                  //!< longest signal received
    RxCallback m_rxCallback;                         //!< to the device
    TracedCallback<uint32_t, double> m_rxPowerTrace; //!< RxPower
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_SPECTRUM_PHY_H */
