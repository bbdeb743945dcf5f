/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_WIFI_NETWORK_HELPER_H
#define EDGE_LLM_WIFI_NETWORK_HELPER_H

#include "ns3/attribute.h"
#include "ns3/edge-network.h"
#include "ns3/ptr.h"
#include "ns3/wifi-helper.h"
#include "ns3/wifi-mac-helper.h"
#include "ns3/yans-wifi-helper.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class PropagationLossModel;
class YansWifiChannel;

namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What the Wi-Fi network takes from the radio environment EdgeNetworkHelper sets up
 * (the same for every radio): the loss chain for a carrier frequency, the transmit powers and
 * whether the ARP caches are filled.
 */
struct WifiRadioSettings
{
    /// builds the path loss (and fading) chain of the network for a carrier frequency in Hz
    std::function<Ptr<PropagationLossModel>(Ptr<EdgeNetwork>, double)> lossChain;
    double deviceTxPowerDbm{20}; //!< stations' initial transmit power
    double serverTxPowerDbm{20}; //!< the access point's transmit power
    bool populateArpCache{true}; //!< fill the ARP caches at Install
};

/**
 * \ingroup edge-llm
 * \brief The 802.11ax network of an EdgeNetwork: one BSS whose access point is the edge server,
 * device-to-device frames relayed by the access point or over a second, ad hoc interface on
 * another channel; rate control, guard interval, Block Ack warm-up. Attributes of the PHYs and
 * MACs pass through (SetPhyAttribute, SetStationMacAttribute, SetApMacAttribute), as ns-3's
 * YansWifiPhyHelper and WifiMacHelper take them. EdgeNetworkHelper holds one
 * (EdgeNetworkHelper::GetWifiHelper) and calls Install for network kind "wifi".
 */
class WifiNetworkHelper
{
  public:
    /**
     * \param mhz a channel width
     * \return "" for 20, 40, 80 or 160, otherwise the problem
     */
    static std::string CheckChannelWidth(uint32_t mhz);
    /** \param mhz the channel width in MHz: 20, 40, 80 (default) or 160 */
    void SetChannelWidth(uint32_t mhz);
    /** \return the channel width in MHz */
    uint32_t GetChannelWidth() const;

    /**
     * \param mode a device-to-device mode
     * \return "" for "ap" or "adhoc", otherwise the problem
     */
    static std::string CheckD2dMode(const std::string& mode);
    /**
     * \param mode "ap" (default: device-to-device frames relayed by the access point) or
     *        "adhoc" (a second Wi-Fi interface per device, ad hoc, on another channel)
     */
    void SetD2dMode(const std::string& mode);
    /** \return the device-to-device mode */
    std::string GetD2dMode() const;

    /**
     * \param control a rate control name
     * \return "" for "ideal" or "constant", otherwise the problem
     */
    static std::string CheckRateControl(const std::string& control);
    /**
     * \param control "ideal" (default, IdealWifiManager: the fastest MCS the receiver's SNR
     *        supports, so a transmit power change shows in the rate) or "constant"
     *        (ConstantRateWifiManager at SetHeMcs's MCS)
     */
    void SetRateControl(const std::string& control);
    /** \return the rate control */
    std::string GetRateControl() const;

    /**
     * \param mcs an HE MCS index
     * \return "" for 0..11, otherwise the problem
     */
    static std::string CheckHeMcs(uint32_t mcs);
    /** \param mcs the HE MCS of rate control "constant" (default 7) */
    void SetHeMcs(uint32_t mcs);

    /**
     * \param ns a guard interval
     * \return "" for 800, 1600 or 3200, otherwise the problem
     */
    static std::string CheckGuardInterval(uint32_t ns);
    /** \param ns the HE guard interval in ns: 800 (default), 1600 or 3200 */
    void SetGuardInterval(uint32_t ns);

    /**
     * \param enable exchange one warm-up frame per link before the network is ready, so that
     *        Block Ack agreements exist before the runtime's traffic (default true; see
     *        EdgeNetworkHelper::SetBlockAckWarmUp)
     */
    void SetBlockAckWarmUp(bool enable);

    /**
     * \brief Set an attribute of every Wi-Fi PHY (YansWifiPhy), e.g. "RxNoiseFigure".
     * \param name the attribute
     * \param value its value
     */
    void SetPhyAttribute(const std::string& name, const AttributeValue& value);
    /**
     * \brief Set an attribute of the stations' MACs (StaWifiMac).
     * \param name the attribute
     * \param value its value
     */
    void SetStationMacAttribute(const std::string& name, const AttributeValue& value);
    /**
     * \brief Set an attribute of the access point's MAC (ApWifiMac), e.g. "BeaconInterval".
     * \param name the attribute
     * \param value its value
     */
    void SetApMacAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \param widthMhz a channel width
     * \param adhoc the ad hoc channel (else the infrastructure channel)
     * \return the 5 GHz channel number used for it
     */
    static uint8_t GetChannelNumber(uint32_t widthMhz, bool adhoc);
    /**
     * \param widthMhz a channel width
     * \param adhoc the ad hoc channel (else the infrastructure channel)
     * \return its centre frequency in Hz
     */
    static double GetChannelFrequencyHz(uint32_t widthMhz, bool adhoc);

    /**
     * \brief Install the Wi-Fi devices, addresses and routes on a network whose nodes are set
     * and placed.
     * \param network the network (kind "wifi")
     * \param radio the radio environment
     */
    void Install(Ptr<EdgeNetwork> network, const WifiRadioSettings& radio) const;

    /**
     * \brief Make \p network a flow-only Wi-Fi network (EdgeNetwork::SetFlowOnly): the same
     * loss chains and channels as Install, and one prototype device (the access point's, on no
     * node) from which the flow level reads the PHY and MAC parameters; no station, MAC or
     * address exists, so nothing associates, beacons or sets up Block Ack.
     * \param network the network (kind "wifi"), its nodes set and placed
     * \param radio the radio environment
     */
    void InstallFlowOnly(Ptr<EdgeNetwork> network, const WifiRadioSettings& radio) const;

    /// Most cells of a packet-level network (each a /16 of its own).
    static constexpr uint32_t MAX_PACKET_CELLS = 200;

  private:
    /**
     * \brief Several cells (EdgeNetwork::IsMultiCell): a BSS per cell on its channel's medium
     * (SSID "edge-llm-<cell>", the cell's server as access point, 10.(2+c).0.0/16), ad-hoc links
     * per cell (11.c.0.0/16), a point-to-point backhaul link per cell to the aggregation server
     * (12.c.0.0/24) and static routes through them.
     * \param network the network, its nodes and cells set
     * \param radio the powers and loss chains
     */
    void InstallCells(Ptr<EdgeNetwork> network, const WifiRadioSettings& radio) const;
    /**
     * \param ssid the BSS's SSID
     * \return the stations' MAC helper (active probing, no beacon watchdog)
     */
    WifiMacHelper MakeStationMacHelper(const std::string& ssid) const;
    /// \param devices Wi-Fi devices whose QoS queues wait ADDBA_RESPONSE_TIMEOUT for a response
    static void SetAddBaResponseTimeouts(const NetDeviceContainer& devices);
    /// The BSS's SSID.
    static constexpr const char* SSID = "edge-llm";

    /**
     * \brief Set the standard, the rate control and the HE options Install uses.
     * \param wifi the helper to configure
     */
    void ConfigureWifi(WifiHelper& wifi) const;

    /**
     * \param channel the channel the PHYs join
     * \param adhoc true for the ad-hoc channel's settings
     * \return a PHY helper with the channel settings and the attributes passed through
     */
    YansWifiPhyHelper MakePhyHelper(Ptr<YansWifiChannel> channel, bool adhoc) const;

    /**
     * \param loss the loss chain
     * \return a channel with that chain and a constant-speed delay
     */
    static Ptr<YansWifiChannel> MakeChannel(Ptr<PropagationLossModel> loss);

    /**
     * \param ssid the BSS's SSID
     * \return the access point's MAC helper, with its attributes passed through
     */
    WifiMacHelper MakeApMacHelper(const std::string& ssid) const;

    /// attributes passed through, in the order set
    typedef std::vector<std::pair<std::string, Ptr<AttributeValue>>> AttributeList;

    uint32_t m_channelWidth{80};          //!< MHz
    std::string m_d2dMode{"ap"};          //!< "ap" or "adhoc"
    std::string m_rateControl{"ideal"};   //!< "ideal" or "constant"
    uint32_t m_heMcs{7};                  //!< constant-rate MCS
    uint32_t m_guardInterval{800};        //!< ns
    bool m_blockAckWarmUp{true};          //!< warm-up frames before Ready
    AttributeList m_phyAttributes;        //!< YansWifiPhy attributes
    AttributeList m_stationMacAttributes; //!< StaWifiMac attributes
    AttributeList m_apMacAttributes;      //!< ApWifiMac attributes
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_WIFI_NETWORK_HELPER_H */
