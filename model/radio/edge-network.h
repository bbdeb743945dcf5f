/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDGE_NETWORK_H
#define EDGE_LLM_EDGE_NETWORK_H

#include "lte-link-model.h"

#include "ns3/callback.h"
#include "ns3/epc-ue-nas.h"
#include "ns3/error-model.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device-container.h"
#include "ns3/net-device.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

class ChannelConditionModel;
class MobilityModel;
class EpcHelper;
class LteEnbNetDevice;
class LteHelper;
class YansWifiChannel;

namespace edgellm
{

class OfdmaBsNetDevice;

/**
 * \ingroup edge-llm
 * \brief The network an EdgeNetworkHelper built: its nodes, their addresses and their radios.
 *
 * Node indices are local to the network: the devices are 0 .. n-1, the edge server is n
 * (GetServerIndex()). The runtime asks GetPeerAddress(i, j) for the address node i connects
 * to when it sends to node j, and maps an accepted connection's source address back to a node
 * with LookupNode().
 *
 * On Wi-Fi the transmit power of a node's radios can be changed while the simulation runs
 * (SetTxPowerDbm); the change applies to the next frame the PHY starts to send.
 *
 * Wi-Fi stations must be associated with the access point before they can send (a frame
 * sent before is dropped, and a lost SYN costs TCP a second). The network is ready when every
 * station is associated, its ARP cache filled and its Block Ack agreements with the access
 * point set up by the warm-up frames, and every ad-hoc pair warmed up likewise (see
 * EdgeNetworkHelper::SetBlockAckWarmUp). IsReady() says whether it is, the "Ready" trace fires
 * the first time it is, and NotifyWhenReady() runs a callback then (at once on wired
 * networks). Start the runtime's transfers from NotifyWhenReady: about 55 ms plus 1 ms per
 * station (and per ad-hoc pair) after the start.
 *
 * The building methods (SetNodes, AddNetDevice, ...) are for EdgeNetworkHelper.
 */
class EdgeNetwork : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * TCP's segment size (MSS) on every network, in bytes: EdgeNetworkHelper::ConfigureTcpDefaults
     * sets ns3::TcpSocket::SegmentSize to it and the flow level computes with it, so the packet
     * and the flow backends read the one definition (1448: Ethernet's 1500-byte MTU less the
     * IP, TCP and timestamp headers).
     */
    static constexpr uint32_t TCP_SEGMENT_BYTES = 1448;

    EdgeNetwork();
    ~EdgeNetwork() override;

    /**
     * TracedCallback signature for transmit power changes.
     * \param node the node index
     * \param dbm the new transmit power in dBm
     */
    typedef void (*TxPowerChangedCallback)(uint32_t node, double dbm);

    /**
     * TracedCallback signature for the Ready trace (all stations associated and warmed up).
     */
    typedef void (*ReadyCallback)();

    /** \return "wifi", "ofdma", "lte", "csma" or "p2p" */
    std::string GetKind() const;

    /**
     * \return true on the radio kinds (Wi-Fi, the OFDMA cell, LTE): those with a transmit
     *         power
     */
    bool IsWireless() const;

    /** \return the LTE network's eNB, or null on other kinds */
    Ptr<LteEnbNetDevice> GetLteEnb() const;
    /** \return the LTE network's downlink loss chain (the uplink's: GetPropagationLossModel) */
    Ptr<PropagationLossModel> GetLteDownlinkLossModel() const;
    /** \return the LTE eNB's position (a node of its own where the server stands), or null */
    Ptr<MobilityModel> GetLteEnbMobility() const;
    /** \return the LTE cell's settings (kind "lte") */
    const LteCellParameters& GetLteCellParameters() const;

    /** \return the OFDMA cell's base station (on the server), or null on other kinds */
    Ptr<OfdmaBsNetDevice> GetOfdmaBaseStation() const;

    /**
     * \brief Check a bandwidth share for SetBandwidthShare.
     * \param node the device's node index
     * \param share its share of the cell's resource blocks
     * \return "" or the problem (not the OFDMA cell, the server, a cell scheduler that does
     *         not grant shares, a share out of [0, 1], ...)
     */
    std::string CheckBandwidthShare(uint32_t node, double share) const;

    /**
     * \brief Grant a device a share of the OFDMA cell's resource blocks (uplink and downlink),
     *        as the application-layer scheduler decided; NS_FATAL_ERROR on bad input.
     * \param node the device's node index
     * \param share in [0, 1]; the shares of all devices sum to at most 1
     */
    void SetBandwidthShare(uint32_t node, double share);

    /** \return all nodes: the devices first, the server last */
    NodeContainer GetNodes() const;

    /**
     * \return the number of devices (n): the radio terminals (the nodes are n + 1 with the
     *         server, n + C + 1 with C > 1 cells' edge servers)
     */
    uint32_t GetDeviceCount() const;

    /** \return the number of nodes: devices, cell servers (with C > 1 cells) and server */
    uint32_t GetNodeCount() const;

    /**
     * \return the index of the edge server (the last node): the access point or base station
     *         of a one-cell network, the aggregation server behind the backhaul of a
     *         multi-cell one
     */
    uint32_t GetServerIndex() const;

    /// Returned by GetCellOf for the aggregation server of a multi-cell network.
    static constexpr uint32_t NO_CELL = UINT32_MAX;

    /** \return the number of cells C (1 unless the helper built several) */
    uint32_t GetCellCount() const;

    /** \return whether the network has several cells joined by a backhaul */
    bool IsMultiCell() const;

    /**
     * \param cell a cell index (NS_FATAL_ERROR when out of range)
     * \return the node index of its edge server (its access point): n + cell with C > 1
     *         cells, the server with one
     */
    uint32_t GetCellServerIndex(uint32_t cell) const;

    /**
     * \param node a node index (NS_FATAL_ERROR when out of range)
     * \return its cell (a cell server's is its own), NO_CELL for the aggregation server of a
     *         multi-cell network
     */
    uint32_t GetCellOf(uint32_t node) const;

    /**
     * \param node a node index
     * \return the node whose radio serves it: its cell's server (the server itself for the
     *         server and the cell servers)
     */
    uint32_t GetAccessServer(uint32_t node) const;

    /**
     * \param cell a cell index (NS_FATAL_ERROR when out of range)
     * \return the index of its radio channel (0 with one cell)
     */
    uint32_t GetCellChannel(uint32_t cell) const;

    /** \return the backhaul's rate per direction of each cell server's link, bit/s (0: none) */
    double GetBackhaulBitRate() const;

    /** \return the backhaul's one-way propagation delay */
    Time GetBackhaulDelay() const;

    /**
     * \param node a node index
     * \return the node; NS_FATAL_ERROR when the index is out of range
     */
    Ptr<Node> GetNode(uint32_t node) const;

    /**
     * \brief Cut a node off the network at the packet level, or bring it back: its IP
     * interfaces go down (ns-3's Ipv4Interface::SetDown: nothing it sends leaves, nothing that
     * arrives reaches its transport) or up again. Its radio below IP stays on: a Wi-Fi station
     * keeps acknowledging frames and stays associated, so an outage costs only the transport's
     * retransmission timeouts, not a re-association. (The flow level's counterpart is
     * FlowNetworkModel::SetNodeConnected.)
     * \param node the node
     * \param connected false to cut it off, true to bring it back
     */
    void SetNodeConnected(uint32_t node, bool connected);

    /**
     * \brief Check a node index.
     * \param parameter the parameter name used in the message
     * \param node the index
     * \return "" when 0 <= node <= n, otherwise the problem
     */
    std::string CheckNodeIndex(const std::string& parameter, uint32_t node) const;

    /**
     * \brief Check a (from, to) pair for GetPeerAddress and GetLinkDevice.
     * \param from the sending node
     * \param to the receiving node
     * \return "" when both are valid and different, otherwise the problem
     */
    std::string CheckPeer(uint32_t from, uint32_t to) const;

    /**
     * \brief The address of \p to that \p from connects to.
     *
     * Wi-Fi with d2d='ap': the infrastructure address of \p to (device-to-device traffic goes
     * through the access point). Wi-Fi with d2d='adhoc': the ad-hoc address of \p to between
     * two devices, the infrastructure address otherwise. csma: the address on the segment.
     * p2p: the address of \p to on the link between the two.
     *
     * \param from the sending node
     * \param to the receiving node
     * \return the address; NS_FATAL_ERROR on a bad pair (see CheckPeer) and on a flow-only
     *         network (it has no addresses)
     */
    Ipv4Address GetPeerAddress(uint32_t from, uint32_t to) const;

    /**
     * \param from the sending node
     * \param to the receiving node
     * \return the NetDevice of \p from that carries its traffic to \p to (on Wi-Fi d2d='ap'
     *         between devices, the device's infrastructure interface); on a flow-only network
     *         the links' prototype device, for every pair
     */
    Ptr<NetDevice> GetLinkDevice(uint32_t from, uint32_t to) const;

    /**
     * \param node a node index
     * \return all IPv4 addresses of the node's network interfaces (loopback excluded), in the
     *         order the interfaces were added
     */
    std::vector<Ipv4Address> GetAddresses(uint32_t node) const;

    /**
     * \brief Map an address back to its node.
     * \param address an address
     * \param[out] node the node index, untouched when not found
     * \return true when the address belongs to a node of this network
     */
    bool LookupNode(Ipv4Address address, uint32_t& node) const;

    /**
     * \param node a node index
     * \return the NetDevices the helper installed on the node, in order
     */
    NetDeviceContainer GetNetDevices(uint32_t node) const;

    /**
     * \brief Check a transmit power change before it is made.
     * \param node the node index
     * \param dbm the transmit power in dBm
     * \return "" when allowed, otherwise the problem (wired network, bad node, not finite,
     *         below MinTxPowerDbm or above the node's maximum)
     */
    std::string CheckTxPowerDbm(uint32_t node, double dbm) const;

    /**
     * \brief Set the transmit power of all the node's Wi-Fi radios, now.
     *
     * Sets WifiPhy TxPowerStart and TxPowerEnd (one power level); a frame the PHY is already
     * sending keeps its power, the next one uses the new power.
     *
     * \param node the node index
     * \param dbm the transmit power in dBm; NS_FATAL_ERROR with CheckTxPowerDbm's message when
     *        not allowed
     */
    void SetTxPowerDbm(uint32_t node, double dbm);

    /**
     * \param node the node index
     * \return the transmit power of the node's radios in dBm, read from its WifiPhy;
     *         NS_FATAL_ERROR on a wired network or a bad index
     */
    double GetTxPowerDbm(uint32_t node) const;

    /**
     * \brief Lower (or raise) the maximum transmit power of one node, e.g. from its
     *        DeviceProfile; the MaxTxPowerDbm attribute applies to the others.
     * \param node the node index
     * \param dbm the maximum in dBm; must be finite and at least MinTxPowerDbm
     */
    void SetMaxTxPowerDbm(uint32_t node, double dbm);

    /**
     * \param node the node index
     * \return the node's maximum transmit power in dBm
     */
    double GetMaxTxPowerDbm(uint32_t node) const;

    /**
     * \brief Check a packet loss rate for SetErrorRate.
     * \param rate the rate
     * \return "" when allowed (wired network and 0 <= rate < 1), otherwise the problem
     */
    std::string CheckErrorRate(double rate) const;

    /**
     * \brief Set the packet loss rate of every receiving wired NetDevice, now.
     * \param rate the probability that a received packet is dropped, in [0, 1); 0 disables
     *        the error models. NS_FATAL_ERROR with CheckErrorRate's message when not allowed.
     */
    void SetErrorRate(double rate);

    /** \return the current packet loss rate (0 on Wi-Fi) */
    double GetErrorRate() const;

    /**
     * \return the propagation loss chain (path loss, then fading) of the infrastructure
     *         Wi-Fi channel; null on wired networks
     */
    Ptr<PropagationLossModel> GetPropagationLossModel() const;

    /**
     * \return the propagation loss chain of the ad-hoc Wi-Fi channel; null without one
     */
    Ptr<PropagationLossModel> GetAdhocPropagationLossModel() const;

    /**
     * \return true when every station is associated and warmed up, and every ad-hoc pair
     *         warmed up (always true on wired networks)
     */
    bool IsReady() const;

    /**
     * \brief Run \p callback once all stations are associated: at once (scheduled now) when
     *        they already are or on wired networks.
     * \param callback the callback
     */
    void NotifyWhenReady(Callback<void> callback);

    /**
     * \brief Assign fixed random variable streams to everything random in the network: Wi-Fi
     *        PHY, MAC and rate control; propagation loss chains and channel condition models;
     *        mobility; wired error models.
     * \param stream the first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    // Building, for EdgeNetworkHelper.

    /**
     * \brief Set the kind and the nodes; sizes every per-node table.
     * \param kind "wifi", "csma" or "p2p"
     * \param devices the devices, in index order
     * \param server the edge server
     */
    void SetNodes(const std::string& kind, const NodeContainer& devices, Ptr<Node> server);

    /**
     * \brief Another Wi-Fi medium of a multi-cell network (a radio channel beyond the first,
     * which SetWifiChannels records): AssignStreams fixes its loss chain's streams too.
     * \param channel the medium
     * \param loss its loss chain
     */
    void AddWifiChannel(Ptr<YansWifiChannel> channel, Ptr<PropagationLossModel> loss);

    /**
     * \brief Make the network multi-cell (after SetNodes, before the radios): C cells, each
     * with an edge server of its own (nodes n .. n + C - 1, before the server, which becomes
     * the aggregation server), joined to the server by point-to-point backhaul links.
     * \param deviceCells the cell of each device (n entries, each < C)
     * \param cellServers the C cells' edge servers (C >= 2)
     * \param backhaulBitRate each backhaul link's rate per direction, bit/s (> 0)
     * \param backhaulDelay each backhaul link's one-way propagation delay
     * \param channels the radio channel of each cell (C entries): cells on one channel may
     *        share its airtime, cells on different channels never interfere
     */
    void SetCells(const std::vector<uint32_t>& deviceCells,
                  const NodeContainer& cellServers,
                  double backhaulBitRate,
                  Time backhaulDelay,
                  const std::vector<uint32_t>& channels);

    /**
     * \brief Make this a network for the flow level only: its nodes get no NetDevice, no
     *        Internet stack and no address; the link parameters come from \p prototype, a
     *        device configured as the installed ones would be but in no node's list of
     *        devices (so nothing initializes it: it sends nothing, schedules nothing and its
     *        MAC never starts). The network is ready
     *        at once. The transmit powers are kept here. Call after SetNodes, before the loss
     *        chains are recorded; the per-pair tables (GetPeerAddress) are never allocated, so
     *        memory grows with the node count, not its square.
     * \param prototype the link's prototype device (GetLinkDevice returns it for every pair);
     *        null on LTE, whose flow level reads the cell's parameters (SetLteCell)
     * \param txPowerDbm per node, its transmit power (radio kinds; empty on wired ones)
     */
    void SetFlowOnly(Ptr<NetDevice> prototype, const std::vector<double>& txPowerDbm);

    /**
     * \return true when the nodes carry packet-level devices, false on a network built for
     *         the flow level only (SetFlowOnly)
     */
    bool HasPacketDevices() const;

    /**
     * \brief Record a NetDevice the helper installed on a node and the address on it.
     * \param node the node index
     * \param device the device
     * \param address the device's IPv4 address
     */
    void AddNetDevice(uint32_t node, Ptr<NetDevice> device, Ipv4Address address);

    /**
     * \brief Record which address and device \p from uses to reach \p to.
     * \param from the sending node
     * \param to the receiving node
     * \param address the address of \p to
     * \param device the device of \p from
     */
    void SetRoute(uint32_t from, uint32_t to, Ipv4Address address, Ptr<NetDevice> device);

    /**
     * \brief Record one device and address per node (AddNetDevice) on a network where every
     *        node reaches every other through that device, at the other's address (SetRoute):
     *        a shared segment, a cell, an EPC.
     * \param devices each node's device, in node order (the server last)
     * \param addresses each node's address, in the same order
     */
    void AddOneDevicePerNode(const std::vector<Ptr<NetDevice>>& devices,
                             const std::vector<Ipv4Address>& addresses);

    /**
     * \brief Record the propagation loss chains and channels (Wi-Fi).
     * \param infrastructure the infrastructure channel
     * \param infrastructureLoss its loss chain
     * \param adhoc the ad-hoc channel, or null
     * \param adhocLoss its loss chain, or null
     */
    void SetWifiChannels(Ptr<YansWifiChannel> infrastructure,
                         Ptr<PropagationLossModel> infrastructureLoss,
                         Ptr<YansWifiChannel> adhoc,
                         Ptr<PropagationLossModel> adhocLoss);

    /**
     * \brief Record the LTE cell (LteNetworkHelper) and watch the devices attach: the network
     *        is ready when every UE's NAS is active.
     * \param lte the helper that built it (kept: it assigns the cell's streams); null on a
     *        flow-only network
     * \param epc its EPC helper (kept alive with the gateway's applications), or null
     * \param enb the eNB, or null
     * \param enbMobility the eNB's position (aggregated to the eNB's node)
     * \param uplinkLoss the uplink channel's loss chain
     * \param downlinkLoss the downlink channel's loss chain
     * \param parameters the cell's settings, for the flow level
     */
    void SetLteCell(Ptr<LteHelper> lte,
                    Ptr<EpcHelper> epc,
                    Ptr<LteEnbNetDevice> enb,
                    Ptr<MobilityModel> enbMobility,
                    Ptr<PropagationLossModel> uplinkLoss,
                    Ptr<PropagationLossModel> downlinkLoss,
                    const LteCellParameters& parameters);

    /**
     * \brief Record a channel condition model (3GPP path loss) for AssignStreams.
     * \param model the model
     */
    void AddChannelConditionModel(Ptr<ChannelConditionModel> model);

    /**
     * \brief Record a wired receive error model, for SetErrorRate and AssignStreams.
     * \param model the model, already attached to its NetDevice
     */
    void AddErrorModel(Ptr<RateErrorModel> model);

    /**
     * \brief Watch the stations' association (Wi-Fi); call after all devices were added.
     */
    void WatchAssociation();

    /**
     * \brief Refill a station's ARP cache each time it associates (StaWifiMac's link-up
     *        flushes it), so that no transfer waits for ARP.
     * \param enable true to refill (EdgeNetworkHelper::SetPopulateArpCache)
     */
    void SetPopulateArpCache(bool enable);

    /**
     * \brief Exchange one small frame each way on every Wi-Fi link before the network is
     *        ready (EdgeNetworkHelper::SetBlockAckWarmUp). Call before WatchAssociation.
     * \param enable true to warm up
     */
    void SetWarmUp(bool enable);

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief Station association trace sink.
     * \param node the node index
     * \param bssid the access point's address
     */
    void StationAssociated(uint32_t node, Mac48Address bssid);
    /**
     * \brief Complete a station's association, in the event after StaWifiMac's "Assoc".
     * \param node the node index
     */
    void StationUp(uint32_t node);
    /**
     * \brief Station disassociation trace sink.
     * \param node the node index
     * \param bssid the access point's address
     */
    void StationDisassociated(uint32_t node, Mac48Address bssid);
    /**
     * \brief A station is associated and warmed up (or its warm-up timed out).
     * \param node the node index
     */
    void StationReady(uint32_t node);
    /**
     * \brief A UE's NAS changed state (LTE): active means attached with its default bearer.
     * \param node the device
     * \param from the old state
     * \param to the new state
     */
    void LteNasStateChanged(uint32_t node, EpcUeNas::State from, EpcUeNas::State to);
    /** Fire Ready and the waiting callbacks when the network is ready. */
    void CheckReady();
    /** Start the next warm-up (infrastructure, then ad hoc) if none is running. */
    void NextWarmUp();
    /** The running warm-up did not complete in time: go on without it. */
    void WarmUpTimedOut();
    /** The running warm-up completed (or timed out): start the next. */
    void WarmUpDone();
    /**
     * \brief Send a warm-up frame.
     * \param from the sending device
     * \param to the receiving device
     */
    static void SendWarmUp(Ptr<NetDevice> from, Ptr<NetDevice> to);
    /**
     * \brief Protocol handler of the warm-up frames.
     * \param device the receiving device
     * \param packet the frame
     * \param protocol its EtherType
     * \param from the sender's MAC address
     * \param to the destination MAC address
     * \param packetType the packet type
     */
    void WarmUpReceived(Ptr<NetDevice> device,
                        Ptr<const Packet> packet,
                        uint16_t protocol,
                        const Address& from,
                        const Address& to,
                        NetDevice::PacketType packetType);
    /**
     * \brief Fill a station's ARP cache with every other node's infrastructure address.
     * \param node the node index
     */
    void PopulateArpCache(uint32_t node);

    /// Stops the run, naming the stations, when the network is still not ready.
    void CheckReadyTimeout();

    /** Association and warm-up state of a station. */
    enum StationState
    {
        DOWN,  //!< not associated
        UP,    //!< associated, waiting for its warm-up
        READY, //!< associated and warmed up
    };

    std::string m_kind;                                    //!< the kind (GetKind)
    bool m_flowOnly;                                       //!< no packet devices (SetFlowOnly)
    Ptr<NetDevice> m_linkPrototype;                        //!< flow only: the links' prototype
    std::vector<double> m_flowTxPowerDbm;                  //!< flow only: per node power
    NodeContainer m_nodes;                                 //!< devices, then the server
    uint32_t m_deviceCount;                                //!< number of devices
    std::vector<uint32_t> m_cellOf;                        //!< per node, its cell
    uint32_t m_cellCount;                                  //!< cells (SetCells)
    std::vector<uint32_t> m_cellChannel;                   //!< per cell, its channel
    double m_backhaulBitRate;                              //!< backhaul link rate, bit/s
    Time m_backhaulDelay;                                  //!< backhaul link delay
    std::vector<NetDeviceContainer> m_devices;             //!< per node, installed devices
    std::vector<std::vector<Ipv4Address>> m_addresses;     //!< per node, addresses
    std::map<uint32_t, uint32_t> m_addressToNode;          //!< address (host order) -> node
    std::vector<std::vector<Ipv4Address>> m_peerAddress;   //!< [from][to] address of to
    std::vector<std::vector<Ptr<NetDevice>>> m_linkDevice; //!< [from][to] device of from
    std::vector<double> m_maxTxPowerDbm;          //!< per node maximum, NaN: the attribute's value
    double m_defaultMaxTxPowerDbm;                //!< MaxTxPowerDbm attribute
    double m_minTxPowerDbm;                       //!< MinTxPowerDbm attribute
    Ptr<YansWifiChannel> m_infrastructureChannel; //!< Wi-Fi infrastructure channel
    Ptr<PropagationLossModel> m_infrastructureLoss;          //!< its loss chain
    Ptr<YansWifiChannel> m_adhocChannel;                     //!< Wi-Fi ad-hoc channel or null
    Ptr<PropagationLossModel> m_adhocLoss;                   //!< its loss chain or null
    std::vector<Ptr<YansWifiChannel>> m_moreWifiChannels;    //!< multi-cell: other media
    std::vector<Ptr<PropagationLossModel>> m_moreWifiLosses; //!< ... and their loss chains
    Ptr<LteHelper> m_lteHelper;                              //!< LTE: the cell's helper
    Ptr<EpcHelper> m_epcHelper;                              //!< LTE: its EPC
    Ptr<LteEnbNetDevice> m_lteEnb;                           //!< LTE: the eNB
    Ptr<MobilityModel> m_lteEnbMobility;                     //!< LTE: the eNB's position
    Ptr<PropagationLossModel> m_lteDownlinkLoss;             //!< LTE: downlink loss chain
    LteCellParameters m_lteCell;                             //!< LTE: the cell's settings
    std::vector<Ptr<ChannelConditionModel>> m_conditions;    //!< 3GPP channel conditions
    std::vector<Ptr<RateErrorModel>> m_errorModels;          //!< wired receive error models
    double m_errorRate;                                      //!< current wired loss rate
    std::vector<StationState> m_state;                       //!< per device
    std::vector<bool> m_pending;                             //!< per device, Assoc seen
    uint32_t m_upCount;                                      //!< devices UP or READY
    uint32_t m_readyCount;                                   //!< devices READY
    bool m_readyFired;                                       //!< Ready trace fired once
    bool m_populateArp;                                      //!< refill ARP on association
    bool m_warmUp;                                           //!< warm links up before Ready
    std::map<Mac48Address, uint32_t> m_macToNode;            //!< Wi-Fi MAC address -> node
    std::deque<uint32_t> m_warmUpQueue;                      //!< stations waiting
    std::vector<std::pair<uint32_t, uint32_t>> m_adhocPairs; //!< ad-hoc pairs to warm up
    std::size_t m_nextAdhocPair;                             //!< next pair to warm up
    bool m_warmUpRunning;                                    //!< a warm-up is under way
    bool m_warmUpAdhoc;                                      //!< ... on the ad-hoc channel
    uint32_t m_warmUpA;                                      //!< its first node (station)
    uint32_t m_warmUpB;                                      //!< its second node (AP or peer)
    uint32_t m_warmUpMissing;                                //!< its frames still to come
    EventId m_warmUpTimeout;                                 //!< its give-up event
    Time m_readyTimeout;                                     //!< ReadyTimeout
    EventId m_readyCheck;                                    //!< the ReadyTimeout check
    std::vector<Callback<void>> m_readyCallbacks;            //!< waiting for Ready
    TracedCallback<uint32_t, double> m_txPowerChangedTrace;  //!< TxPowerChanged
    TracedCallback<> m_readyTrace;                           //!< Ready
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_EDGE_NETWORK_H
