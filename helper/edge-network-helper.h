/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDGE_NETWORK_HELPER_H
#define EDGE_LLM_EDGE_NETWORK_HELPER_H

#include "csma-network-helper.h"
#include "p2p-network-helper.h"
#include "wifi-network-helper.h"

#include "ns3/data-rate.h"
#include "ns3/edge-network.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class PropagationLossModel;

namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Builds the network the edge-llm runtime runs over: n devices and one edge server.
 *
 * Five kinds (SetNetwork); "ofdma" is OfdmaCellHelper's cell, "lte" LteNetworkHelper's:
 *
 * - "wifi": IEEE 802.11ax in the 5 GHz band on a YansWifiChannel. The server is the access
 *   point (ApWifiMac), the devices are stations (StaWifiMac, active probing) of one SSID.
 *   Device-to-device traffic goes through the access point (d2d='ap', default) or over a
 *   second, ad-hoc interface (AdhocWifiMac) on another 5 GHz channel (d2d='adhoc').
 *   Path loss, then fading, then mobility as configured below. Start transfers from
 *   EdgeNetwork::NotifyWhenReady: the stations associate, fill their ARP caches and set up
 *   their Block Ack agreements first (SetPopulateArpCache, SetBlockAckWarmUp).
 * - "csma": one CSMA segment with all nodes.
 * - "p2p": a point-to-point link between every pair of nodes (full mesh), each pair on its
 *   own /24.
 *
 * Every setter validates its value and stops the run (NS_FATAL_ERROR) with the message of the
 * matching static Check function, which tests and front ends can call first. Install() checks
 * the combination (Validate()).
 *
 * The returned EdgeNetwork is also aggregated to the server node
 * (server->GetObject<EdgeNetwork>()), which keeps it alive for the simulation.
 *
 * One network per simulation: ns-3 allocates each IPv4 address once until Simulator::Destroy,
 * and every network uses the address plan below.
 *
 * Addresses: Wi-Fi infrastructure and CSMA 10.0.0.0/16 (server 10.0.0.1, device i
 * 10.0.0.(i+2)); Wi-Fi ad-hoc 10.1.0.0/16 (device i 10.1.0.(i+1)); p2p link k (pairs in the
 * order (0,1), (0,2), ..., (n-1,n)) 10.1.0.0/24 + k, the lower node index .1, the other .2.
 */
class EdgeNetworkHelper
{
  public:
    /** A helper with the defaults documented on each setter. */
    EdgeNetworkHelper();

    /**
     * \brief Set the ns-3 TCP defaults the runtime needs for realistic throughput; call before
     *        any TCP socket is created (before Install is fine).
     *
     * - TcpSocket::SegmentSize = 1448 bytes: the MSS of a 1500-byte Ethernet/Wi-Fi MTU with
     *   20 bytes IPv4 + 20 bytes TCP + 12 bytes timestamp option (ns-3 default 536).
     * - TcpSocket::SndBufSize = RcvBufSize = 4 MiB: the window never limits a flow (the
     *   bandwidth-delay product of 1 Gb/s x 30 ms is 3.75 MB; ns-3's default 128 KiB caps a
     *   flow at 128 KiB per round trip, 105 Mb/s at 10 ms), and the runtime hands a large
     *   tensor to the socket in few writes.
     * - TcpSocket::DelAckCount = 2: an ACK every second segment as Linux does; halves the ACK
     *   frames contending for Wi-Fi airtime. CUBIC counts bytes in slow start, so this does
     *   not slow the window growth.
     * - TcpSocket::DelAckTimeout = 40 ms: Linux's minimum delayed-ACK timeout (ns-3 default
     *   200 ms). With 200 ms, equal to the minimum RTO below, a sender that has one segment
     *   in flight after a timeout retransmits just before the delayed ACK arrives, every
     *   time, and a flow can crawl at one segment per 200 ms.
     * - TcpSocketBase::MinRto = 200 ms: Linux's minimum (ns-3 default 1 s, RFC 6298), so a
     *   loss that needs a timeout costs what it costs on a real device.
     * - TcpSocket::ConnTimeout = 1 s: the initial retransmission timeout of RFC 6298 and
     *   Linux for a lost SYN (ns-3 default 3 s), so a handshake lost in a burst of
     *   contention costs 1 s, not 3.
     * - TcpSocket::DataRetries = 15: Linux's net.ipv4.tcp_retries2 (ns-3 default 6). A
     *   packet-level run of the default CollaPipe scenario (160 MHz, Nakagami fading) lost a
     *   connection after 6 retransmission timeouts in its second round.
     * - TcpL4Protocol::SocketType = TcpCubic: the ns-3.37 and Linux default, stated so a
     *   change of ns-3's default cannot change results silently.
     */
    static void ConfigureTcpDefaults();

    /**
     * \param network a network kind
     * \return "" for "wifi", "csma" or "p2p", otherwise the problem
     */
    static std::string CheckNetwork(const std::string& network);
    /**
     * \param network "wifi" (default), "ofdma" (the module's NR-numerology cell), "lte" (ns-3's
     *        LTE module with an EPC: LteNetworkHelper), "csma" or "p2p"
     */
    void SetNetwork(const std::string& network);

    /**
     * \brief Channel bandwidth of the cell. The OFDMA cell (network='ofdma'), numerology 1
     *        (30 kHz subcarriers): a value of TS 38.101-1's table (5 to 100 MHz); LTE
     *        (network='lte'): 1.4, 3, 5, 10, 15 or 20 MHz each way. Validate() refuses a value
     *        not in the table.
     * \param mhz the bandwidth (default 20)
     */
    void SetCellBandwidthMHz(double mhz);
    /**
     * \param alpha LTE's path loss compensation factor of uplink power control (TS 36.213
     *        alpha; default 1, ns-3's; stops the run on a value LteNetworkHelper::CheckAlpha
     *        refuses)
     */
    void SetLteAlpha(double alpha);
    /**
     * \param dbm LTE's P_O_NOMINAL_PUSCH in dBm per RB (default -80, ns-3's; stops the run on
     *        a value LteNetworkHelper::CheckP0NominalPusch refuses)
     */
    void SetLteP0NominalPuschDbm(double dbm);
    /** \return the network kind */
    std::string GetNetwork() const;

    // Wi-Fi: forwarded to the WifiNetworkHelper (GetWifiHelper), which also passes PHY and
    // MAC attributes through.

    /** \return the Wi-Fi network's helper */
    WifiNetworkHelper& GetWifiHelper();

    /** \copydoc WifiNetworkHelper::CheckChannelWidth */
    static std::string CheckChannelWidth(uint32_t mhz);
    /** \copydoc WifiNetworkHelper::SetChannelWidth */
    void SetChannelWidth(uint32_t mhz);
    /** \copydoc WifiNetworkHelper::GetChannelWidth */
    uint32_t GetChannelWidth() const;

    /** \copydoc WifiNetworkHelper::CheckD2dMode */
    static std::string CheckD2dMode(const std::string& mode);
    /** \copydoc WifiNetworkHelper::SetD2dMode */
    void SetD2dMode(const std::string& mode);
    /** \copydoc WifiNetworkHelper::GetD2dMode */
    std::string GetD2dMode() const;

    /** \copydoc WifiNetworkHelper::CheckRateControl */
    static std::string CheckRateControl(const std::string& control);
    /** \copydoc WifiNetworkHelper::SetRateControl */
    void SetRateControl(const std::string& control);
    /** \copydoc WifiNetworkHelper::GetRateControl */
    std::string GetRateControl() const;

    /** \copydoc WifiNetworkHelper::CheckHeMcs */
    static std::string CheckHeMcs(uint32_t mcs);
    /** \copydoc WifiNetworkHelper::SetHeMcs */
    void SetHeMcs(uint32_t mcs);

    /** \copydoc WifiNetworkHelper::CheckGuardInterval */
    static std::string CheckGuardInterval(uint32_t ns);
    /** \copydoc WifiNetworkHelper::SetGuardInterval */
    void SetGuardInterval(uint32_t ns);

    /**
     * \param parameter the parameter name used in the message
     * \param dbm a transmit power
     * \param minDbm the lowest allowed
     * \param maxDbm the highest allowed
     * \return "" when finite and in [minDbm, maxDbm], otherwise the problem
     */
    static std::string CheckTxPower(const std::string& parameter,
                                    double dbm,
                                    double minDbm,
                                    double maxDbm);
    /**
     * \param dbm the devices' initial transmit power in dBm (default 20); on LTE their P_CMAX,
     *        the cap of TS 36.213's uplink power control
     */
    void SetDeviceTxPowerDbm(double dbm);
    /**
     * \param dbm the server's (access point's, base station's, eNB's) transmit power in dBm
     *        (default 20)
     */
    void SetServerTxPowerDbm(double dbm);
    /**
     * \param dbm the highest transmit power EdgeNetwork::SetTxPowerDbm accepts (the network's
     *        MaxTxPowerDbm attribute), in dBm (default 30)
     */
    void SetMaxTxPowerDbm(double dbm);

    /**
     * \param model a path loss model name
     * \return "" for "log-distance", "3gpp-inh" or "3gpp-umi", otherwise the problem
     */
    static std::string CheckPathLoss(const std::string& model);
    /**
     * \param model "log-distance" (default; LogDistancePropagationLossModel, reference loss
     *        at 1 m from Friis at the channel's centre frequency), "3gpp-inh"
     *        (ThreeGppIndoorOfficePropagationLossModel, server at 3 m, devices at 1 m) or
     *        "3gpp-umi" (ThreeGppUmiStreetCanyonPropagationLossModel, server at 10 m,
     *        devices at 1.5 m)
     */
    void SetPathLoss(const std::string& model);

    /**
     * \param exponent a log-distance path loss exponent
     * \return "" when in [1, 8], otherwise the problem
     */
    static std::string CheckPathLossExponent(double exponent);
    /** \param exponent the log-distance path loss exponent (default 3) */
    void SetPathLossExponent(double exponent);

    /**
     * \param condition a channel condition name
     * \return "" for "3gpp", "los" or "nlos", otherwise the problem
     */
    static std::string CheckChannelCondition(const std::string& condition);
    /**
     * \param condition for the 3GPP path loss models: "3gpp" (default; line of sight drawn per
     *        link with TR 38.901's probability: ThreeGppIndoorOpenOfficeChannelConditionModel or
     *        ThreeGppUmiStreetCanyonChannelConditionModel), "los" or "nlos" (every link)
     */
    void SetChannelCondition(const std::string& condition);

    /** \param enable 3GPP shadowing (log-normal, TR 38.901 Table 7.4.1-1); default false */
    void SetShadowing(bool enable);

    /**
     * \param fading a fading name
     * \return "" for "none", "nakagami", "rayleigh" or "jakes", otherwise the problem
     */
    static std::string CheckFading(const std::string& fading);
    /**
     * \param fading "none" (default), "nakagami" (NakagamiPropagationLossModel, m of
     *        SetNakagamiM) or "rayleigh" (Nakagami with m = 1), drawn per frame; or "jakes"
     *        (JakesPropagationLossModel: Rayleigh, correlated in time at SetDopplerHz)
     */
    void SetFading(const std::string& fading);

    /**
     * \param m a Nakagami shape parameter
     * \return "" when finite and in [0.5, 100], otherwise the problem
     */
    static std::string CheckNakagamiM(double m);
    /**
     * \param hz a maximum Doppler frequency
     * \return "" for (0, 10000] Hz, otherwise the problem
     */
    static std::string CheckDopplerHz(double hz);
    /**
     * \param hz the maximum Doppler frequency of fading "jakes" (default 10 Hz)
     */
    void SetDopplerHz(double hz);
    /** \param m the Nakagami m of fading "nakagami" (default 2) */
    void SetNakagamiM(double m);

    /**
     * \param placement a placement name
     * \return "" for "circle", "line" or "disc", otherwise the problem
     */
    static std::string CheckPlacement(const std::string& placement);
    /// the random stream of the "disc" placement's draws
    static constexpr int64_t DISC_PLACEMENT_STREAM = 1000003;
    /**
     * \param placement "circle" (default: devices evenly spaced on a circle of radius
     *        SetDistance around the server, all at the same distance), "line" (device i at
     *        (i + 1) x distance on the x axis: distances d, 2d, 3d, ...) or "disc" (each device
     *        at a uniformly random point of the disc of radius SetDistance around the server,
     *        at least 1 m from it; drawn from stream DISC_PLACEMENT_STREAM, so the ns-3 seed
     *        and run number decide the positions)
     */
    void SetPlacement(const std::string& placement);

    /**
     * \param metres a distance
     * \return "" when finite and > 0, otherwise the problem
     */
    static std::string CheckDistance(double metres);
    /** \param metres the device-to-server distance of the placement, in m (default 5) */
    void SetDistance(double metres);

    /**
     * \param mobility a mobility name
     * \return "" for "static", "random-walk" or "ns2", otherwise the problem
     */
    static std::string CheckMobility(const std::string& mobility);
    /**
     * \param mobility "static" (default, ConstantPositionMobilityModel), "random-walk"
     *        (devices: RandomWalk2dMobilityModel inside a square box around the server,
     *        changing direction every second; the server stays put) or "ns2" (ns-3's
     *        Ns2MobilityHelper drives each device's ConstantVelocityMobilityModel from
     *        SetMobilityTrace's file, $node_(i) being device i; devices it does not name keep
     *        their placement). Wi-Fi and the OFDMA cell (whose devices start at its places).
     */
    void SetMobility(const std::string& mobility);
    /**
     * \param path a file
     * \return "" when it can be opened, otherwise the problem naming it
     */
    static std::string CheckMobilityTrace(const std::string& path);
    /** \param path the ns-2 mobility trace of mobility "ns2" */
    void SetMobilityTrace(const std::string& path);

    /**
     * \param metresPerSecond a speed
     * \return "" when finite and in (0, 50], otherwise the problem
     */
    static std::string CheckSpeed(double metresPerSecond);
    /** \param metresPerSecond the random-walk speed (default 1 m/s, walking) */
    void SetRandomWalkSpeed(double metresPerSecond);
    /**
     * \param metres a random-walk box half side
     * \return "" or "walkBoxHalfSide=... m is invalid: must be 0 (automatic) or positive"
     */
    static std::string CheckRandomWalkBoxHalfSide(double metres);
    /**
     * \param metres the half side of the random-walk box centred on the server
     *        (default 0: twice the farthest device's distance)
     */
    void SetRandomWalkBoxHalfSide(double metres);

    /**
     * \param enable fill the ARP caches of Wi-Fi and CSMA nodes at Install (default true).
     *        ARP requests are broadcasts, unacknowledged on Wi-Fi; when transfers start
     *        together they collide, and a lost request costs ArpCache's 1 s WaitReplyTimeout,
     *        which would dominate a round's time. Real devices keep these entries warm.
     *        (Point-to-point links need no ARP.)
     */
    void SetPopulateArpCache(bool enable);

    /**
     * \brief Check that a network kind can be built for the flow level only.
     * \param network the kind
     * \return "" for wifi, lte, csma and p2p; otherwise the problem
     */
    static std::string CheckFlowOnly(const std::string& network);

    /**
     * \param enable build the network for the flow level only (default false): nodes,
     *        positions, loss chains and powers, and a prototype device per technology (LTE:
     *        the cell's parameters) from which the flow level reads the link parameters, but
     *        no device, MAC or address on the nodes (EdgeNetwork::SetFlowOnly). Nothing
     *        associates, beacons or ticks, so the cost grows with the flows, not the stations,
     *        and the device cap rises to MAX_FLOW_ONLY_DEVICES (p2p stays a full mesh of at
     *        most 128, LTE at 320). Wi-Fi, LTE, CSMA and p2p (CheckFlowOnly); Install stops
     *        on the OFDMA cell.
     */
    void SetFlowOnly(bool enable);

    /// \return whether Install builds a flow-only network
    bool GetFlowOnly() const;

    /// Most devices of a flow-only network (a bound against runaway allocations).
    static constexpr uint32_t MAX_FLOW_ONLY_DEVICES = 100000;

    /**
     * \param cells a cell count
     * \return "" when 1 <= cells <= MAX_FLOW_ONLY_DEVICES, otherwise the problem
     */
    static std::string CheckCellCount(uint64_t cells);

    /**
     * \brief Build C cells instead of one (default 1): each cell a Wi-Fi BSS of its own with an
     * edge server as its access point, the servers on a square grid (SetCellSpacing), the
     * devices placed around their cell's server as around the one server, and a
     * point-to-point backhaul link from each cell's server to the aggregation server (the
     * network's server, GetServerIndex) with SetBackhaul's rate and delay. Wi-Fi only (Validate
     * says so otherwise); at the packet level at most WifiNetworkHelper::MAX_PACKET_CELLS.
     * \param cells C >= 1
     */
    void SetCellCount(uint32_t cells);

    /// \return the cell count C
    uint32_t GetCellCount() const;

    /**
     * \param deviceCells the cell of each device, in device order (empty, the default: the
     *        devices split into C contiguous runs as even as can be)
     */
    void SetDeviceCells(const std::vector<uint32_t>& deviceCells);

    /**
     * \param bitRate a backhaul link's rate per direction, bit/s
     * \param delay its one-way delay
     * \return "" when 0 < bitRate <= 1e12 and 0 <= delay <= 10 s, otherwise the problem
     */
    static std::string CheckBackhaul(double bitRate, Time delay);

    /**
     * \param rate each backhaul link's rate per direction (default 1 Gbit/s)
     * \param delay its one-way propagation delay (default 1 ms)
     */
    void SetBackhaul(DataRate rate, Time delay);

    /**
     * \param metres the distance between neighbouring cells' servers on the grid
     * \return "" when 0 < metres <= 1e6, otherwise the problem
     */
    static std::string CheckCellSpacing(double metres);

    /// \param metres the distance between neighbouring cells' servers (default 100 m)
    void SetCellSpacing(double metres);

    /**
     * \param channels how many distinct Wi-Fi channels the cells use in turn (cell c on
     *        channel c mod K); 0, the default: one per cell, no two cells on one channel.
     *        Cells on one channel whose servers hear each other (the mean received power above
     *        the PHY's RxSensitivity, the level at which ns-3's PHY detects a preamble and
     *        defers) share that channel's airtime.
     */
    void SetCellChannels(uint32_t channels);

    /**
     * \brief Spread the network over the P ranks of ns-3's distributed (MPI) simulator: cell c
     * and its devices on rank floor(c P / C), the aggregation server on rank 0 (default 1:
     * every node on rank 0). Each node is created with its rank as its system id, so the
     * backhaul links between ranks become ns-3 remote point-to-point channels, whose delay is
     * the lookahead. A radio channel cannot span ranks: Validate refuses cells on one channel
     * in different ranks. Multi-cell Wi-Fi at the packet level only, P <= C.
     * \param partitions P >= 1 (the MPI world size)
     */
    void SetPartitionCount(uint32_t partitions);

    /// \return the partition count P
    uint32_t GetPartitionCount() const;

    /**
     * \param cell a cell index
     * \return its rank among the partitions (SetPartitionCount)
     */
    uint32_t GetCellPartition(uint32_t cell) const;

    /**
     * \param enable before the network is ready, exchange one 1-byte frame (EtherType 0x88B5,
     *        ignored by the IP stack) each way between every station and the access point,
     *        one station after the other once all are associated, and between every pair of
     *        devices on the ad-hoc channel, one pair after the other (default true). Each frame
     *        sets up the Block Ack agreement of its link (TID 0) while the channel is quiet.
     *        ns-3.37 mishandles a Block Ack setup whose ADDBA response (or its Ack) comes late:
     *        the two ends then disagree on the window and the link stops for good. Under the
     *        contention of a round starting on every device at once this stalled about one
     *        transfer in sixteen in our tests; with the warm-up, none. The frames show in MAC
     *        and PHY traces.
     */
    void SetBlockAckWarmUp(bool enable);

    // Wired: forwarded to the CSMA and point-to-point helpers (GetCsmaHelper, GetP2pHelper),
    // which also pass device and channel attributes through.

    /** \return the CSMA segment's helper */
    CsmaNetworkHelper& GetCsmaHelper();
    /** \return the point-to-point mesh's helper */
    P2pNetworkHelper& GetP2pHelper();

    /**
     * \param rate a data rate
     * \return "" when positive, otherwise the problem
     */
    static std::string CheckDataRate(DataRate rate);
    /** \param rate the wired link rate (default 100 Mb/s) */
    void SetDataRate(DataRate rate);
    /**
     * \param delay a propagation delay
     * \return "" when not negative, otherwise the problem
     */
    static std::string CheckDelay(Time delay);
    /**
     * \param delay the wired propagation delay (default: 1 ms on point-to-point links, 6.56 us on
     *        CSMA, as in ns-3's CSMA examples: ns-3's CSMA channel stays busy for each frame's
     *        transmission plus this delay, so a wide-area delay would throttle the segment to
     *        one frame per delay)
     */
    void SetDelay(Time delay);
    /**
     * \param rate a packet loss rate
     * \return "" when in [0, 1), otherwise the problem
     */
    static std::string CheckErrorRate(double rate);
    /**
     * \param rate the probability that a wired NetDevice drops a received packet
     *        (RateErrorModel, per packet, both directions); default 0
     */
    void SetErrorRate(double rate);
    /**
     * \param packets a queue size
     * \return "" when in [1, 10^7], otherwise the problem
     */
    static std::string CheckQueueSize(uint32_t packets);
    /**
     * \param packets the wired NetDevices' DropTail queue size in packets (default 100000:
     *        more than any realistic set of 4 MiB TCP windows, so the link rate alone limits)
     */
    void SetWiredQueueSize(uint32_t packets);

    /**
     * \brief Check the combination of settings for a network of \p deviceCount devices.
     * \param deviceCount the number of devices
     * \return "" when fine, otherwise the problem
     */
    std::string Validate(uint32_t deviceCount) const;

    /**
     * \param deviceCount the number of devices
     * \return "" when the network kind (installed or flow-only, SetFlowOnly) takes that many
     *         devices, otherwise the problem
     */
    std::string CheckDeviceCount(uint32_t deviceCount) const;

    /**
     * \brief Create \p deviceCount device nodes and one server node and build the network.
     * \param deviceCount the number of devices
     * \return the network
     */
    Ptr<EdgeNetwork> Install(uint32_t deviceCount);

    /**
     * \brief Build the network on existing nodes. On Wi-Fi the nodes must not have a
     *        MobilityModel (the helper places them); an Internet stack already aggregated is
     *        kept; the server must not already serve an EdgeNetwork.
     * \param devices the devices, in index order
     * \param server the edge server
     * \return the network
     */
    Ptr<EdgeNetwork> Install(NodeContainer devices, Ptr<Node> server);

    /**
     * \brief Assign fixed random streams to the network (Wi-Fi, propagation, mobility, error
     *        models); see EdgeNetwork::AssignStreams.
     * \param network the network
     * \param stream the first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(Ptr<EdgeNetwork> network, int64_t stream);

    /** \copydoc WifiNetworkHelper::GetChannelNumber */
    static uint8_t GetChannelNumber(uint32_t widthMhz, bool adhoc);

    /** \copydoc WifiNetworkHelper::GetChannelFrequencyHz */
    static double GetChannelFrequencyHz(uint32_t widthMhz, bool adhoc);

    /**
     * \brief The free-space (Friis) loss at a distance, with 0 dBi antennas:
     *        20 log10(4 pi d f / c).
     * \param frequencyHz the frequency
     * \param metres the distance
     * \return the loss in dB
     */
    static double GetFriisLossDb(double frequencyHz, double metres);

  private:
    /**
     * \param deviceCount the devices
     * \return each device's cell (SetDeviceCells, or C contiguous runs as even as can be)
     */
    std::vector<uint32_t> GetDeviceCells(uint32_t deviceCount) const;

    /**
     * \brief Stop with \p problem when it is not empty.
     * \param problem the problem
     */
    static void Require(const std::string& problem);

    /**
     * \brief Build the path loss + fading chain of one Wi-Fi channel.
     * \param network the network, to record channel condition models
     * \param frequencyHz the channel's centre frequency
     * \return the first model of the chain
     */
    Ptr<PropagationLossModel> CreateLossChain(Ptr<EdgeNetwork> network, double frequencyHz) const;

    /**
     * \brief Place the nodes (Wi-Fi).
     * \param network the network
     */
    void InstallMobility(Ptr<EdgeNetwork> network) const;
    /**
     * \param half the random-walk box's half side
     * \return a device's mobility model of the chosen kind (not yet placed)
     */
    Ptr<MobilityModel> MakeDeviceMobility(double half) const;
    /** \param devices the devices, in order: apply the ns-2 trace (mobility "ns2") */
    void ApplyMobilityTrace(const NodeContainer& devices) const;

    /** \return the half side of the random-walk box for \p deviceCount devices */
    double GetBoxHalfSide(uint32_t deviceCount) const;

    std::string m_network;               //!< "wifi", "ofdma", "csma" or "p2p"
    WifiNetworkHelper m_wifi;            //!< the Wi-Fi network's settings and installer
    CsmaNetworkHelper m_csma;            //!< the CSMA segment's
    P2pNetworkHelper m_p2p;              //!< the point-to-point mesh's
    double m_cellBandwidthMHz;           //!< OFDMA or LTE cell channel bandwidth
    double m_lteAlpha;                   //!< LTE uplink power control alpha
    int m_lteP0NominalPuschDbm;          //!< LTE P_O_NOMINAL_PUSCH
    double m_deviceTxPowerDbm;           //!< devices' initial power
    double m_serverTxPowerDbm;           //!< server's power
    double m_maxTxPowerDbm;              //!< the network's MaxTxPowerDbm
    std::string m_pathLoss;              //!< path loss model
    double m_exponent;                   //!< log-distance exponent
    std::string m_condition;             //!< 3GPP channel condition
    bool m_shadowing;                    //!< 3GPP shadowing
    std::string m_fading;                //!< fading
    double m_nakagamiM;                  //!< Nakagami m
    double m_dopplerHz;                  //!< "jakes": maximum Doppler frequency
    std::string m_placement;             //!< placement
    double m_distance;                   //!< m
    std::string m_mobility;              //!< mobility
    std::string m_mobilityTrace;         //!< "ns2": the trace file
    double m_speed;                      //!< random-walk speed, m/s
    double m_boxHalfSide;                //!< random-walk box half side, m (0: automatic)
    double m_errorRate;                  //!< wired loss rate
    bool m_populateArp;                  //!< fill ARP caches at Install
    bool m_flowOnly;                     //!< build for the flow level only (SetFlowOnly)
    uint32_t m_cells;                    //!< cells (SetCellCount)
    std::vector<uint32_t> m_deviceCells; //!< cell of each device (SetDeviceCells)
    DataRate m_backhaulRate;             //!< backhaul link rate
    Time m_backhaulDelay;                //!< backhaul link delay
    double m_cellSpacing;                //!< m between neighbouring cell servers
    uint32_t m_cellChannels;             //!< distinct channels (0: one per cell)
    uint32_t m_partitions;               //!< ranks of a distributed simulation
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_EDGE_NETWORK_HELPER_H
