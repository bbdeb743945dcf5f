/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_UE_NET_DEVICE_H
#define EDGE_LLM_OFDMA_UE_NET_DEVICE_H

#include "ofdma-net-device.h"
#include "ofdma-spectrum-phy.h"

namespace ns3
{
namespace edgellm
{

class OfdmaBsNetDevice;

/**
 * \ingroup edge-llm
 * \brief The user equipment of the OFDMA cell: an uplink byte queue the base station drains
 * with its grants, an uplink PHY that transmits at the device's power spread evenly over the
 * granted RBs, and a downlink PHY.
 *
 * The control plane is ideal: the base station reads the queue size (buffer status) and
 * hands the grant and the HARQ feedback over directly, without delay or loss.
 */
class OfdmaUeNetDevice : public OfdmaNetDevice
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaUeNetDevice();
    ~OfdmaUeNetDevice() override;

    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;

    /**
     * \brief Attach to a cell (helper).
     * \param bs the base station
     * \param index this device's index in the cell
     * \param ulPhy the uplink PHY (transmits)
     * \param dlPhy the downlink PHY (receives)
     */
    void Attach(Ptr<OfdmaBsNetDevice> bs,
                uint32_t index,
                Ptr<OfdmaSpectrumPhy> ulPhy,
                Ptr<OfdmaSpectrumPhy> dlPhy);

    /// \return the index in the cell
    uint32_t GetIndex() const;
    /// \return the base station
    Ptr<OfdmaBsNetDevice> GetBs() const;
    /// \return the uplink PHY
    Ptr<OfdmaSpectrumPhy> GetUplinkPhy() const;
    /// \return the downlink PHY
    Ptr<OfdmaSpectrumPhy> GetDownlinkPhy() const;

    /**
     * \param dbm a transmit power
     * \return "" when finite, otherwise the problem (powers above MaxTxPowerDbm are capped)
     */
    static std::string CheckTxPowerDbm(double dbm);
    /**
     * \brief Set the transmit power for the next transport blocks; capped at MaxTxPowerDbm.
     * \param dbm the power in dBm; NS_FATAL_ERROR with CheckTxPowerDbm's message when not finite
     */
    void SetTxPowerDbm(double dbm);
    /// \return the power used: min(set power, MaxTxPowerDbm)
    double GetTxPowerDbm() const;

    /// \return the uplink queue
    OfdmaByteQueue& GetQueue();

    /**
     * \brief Transmit an uplink transport block now (the base station's grant).
     * \param tb the transport block
     * \param duration the transmission time
     */
    void TransmitUplink(std::shared_ptr<OfdmaTransportBlock> tb, Time duration);

  protected:
    void DoDispose() override;

  private:
    /// \param bytes the uplink queue capacity (MaxQueueBytes attribute)
    void SetQueueBytesAttribute(uint64_t bytes);
    /// \return the uplink queue capacity (MaxQueueBytes attribute)
    uint64_t GetQueueBytesAttribute() const;
    /**
     * \brief A downlink transport block for this device ended.
     * \param tb the transport block
     * \param sinr the per-RB SINR
     * \param rxPowerW the received power
     */
    void ReceiveDownlink(std::shared_ptr<OfdmaTransportBlock> tb,
                         const std::vector<double>& sinr,
                         double rxPowerW);

    Ptr<OfdmaBsNetDevice> m_bs;     //!< the base station
    uint32_t m_index;               //!< index in the cell
    Ptr<OfdmaSpectrumPhy> m_ulPhy;  //!< uplink PHY
    Ptr<OfdmaSpectrumPhy> m_dlPhy;  //!< downlink PHY
    OfdmaByteQueue m_queue;         //!< uplink queue
    OfdmaReassembler m_reassembler; //!< downlink reassembly
    double m_txPowerDbm;            //!< set power
    double m_maxTxPowerDbm;         //!< cap
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_UE_NET_DEVICE_H */
