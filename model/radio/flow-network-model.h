/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_FLOW_NETWORK_MODEL_H
#define EDGE_LLM_FLOW_NETWORK_MODEL_H

#include "edge-network.h"
#include "lte-link-model.h"
#include "nr-link-adaptation.h"
#include "tcp-window-model.h"
#include "wifi-link-model.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ns3
{

class WifiPhy;

namespace edgellm
{

class CsmaContentionModel;
class EdgeNetwork;
class OfdmaBsNetDevice;

/**
 * \ingroup edge-llm
 * \brief Flow-level model of an EdgeNetwork: every message is a flow whose rate comes from the
 * link model, with no packets.
 *
 * One instance per run, shared by the FlowTensorTransport of every node. Flows use resources
 * (a p2p link direction, the CSMA segment, the airtime of a Wi-Fi channel); a flow that crosses
 * a resource at throughput x uses x * cost of it, where cost = 1 / (rate of the hop). Rates
 * are max-min fair (progressive filling) and are recomputed whenever a flow starts or ends, or
 * a node's transmit power changes; the next completion is scheduled, there is no time step.
 * Messages of one ordered (source, destination) pair are FIFO: one flow active per pair.
 * Wi-Fi hop rates come from the mean received power (path loss only, fading models in the
 * chain are skipped), the HE MCS the IdealWifiManager would pick, and a calibrated MAC
 * efficiency (data/flow-calibration.json). On CSMA the rates come from CsmaContentionModel
 * (CsmaNetDevice's backoff rules, the delay and the TCP windows, which grow with the bytes a
 * pair has carried) unless the CsmaContention attribute is false. See doc/flow-level.rst for
 * every formula.
 */
class FlowNetworkModel : public Object
{
  public:
    /**
     * Called at the destination when a message's last byte arrives.
     * Arguments: source, destination, message id, payload bytes.
     */
    typedef Callback<void, uint32_t, uint32_t, uint64_t, uint64_t> DeliverCallback;

    /**
     * TracedCallback signature for FlowRate.
     * \param [in] source the sending node
     * \param [in] destination the receiving node
     * \param [in] messageId the message id
     * \param [in] bitRate the flow's new rate in bit/s
     */
    typedef void (*FlowRateCallback)(uint32_t source,
                                     uint32_t destination,
                                     uint64_t messageId,
                                     double bitRate);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FlowNetworkModel();
    ~FlowNetworkModel() override;

    /// Size of the frame header each message carries (the same as TcpTensorTransport's).
    static constexpr uint64_t FRAME_BYTES = 16;

    /// One resource a flow uses (a link direction, a channel's airtime) and its cost.
    struct ResourceUse
    {
        uint32_t resource; //!< resource index
        double cost;       //!< seconds of the resource per byte of flow
    };

    /**
     * \brief Max-min fair rates (progressive filling) of flows over resources of capacity 1
     * each: a flow at x bytes/s uses x * cost of every resource it crosses.
     * \param flows per flow, the resources it uses (a resource listed twice counts twice)
     * \return each flow's rate in bytes/s
     */
    static std::vector<double> GetMaxMinRates(
        const std::vector<const std::vector<ResourceUse>*>& flows);

    /**
     * \brief Derive the link parameters from \p network (data rates, delays, channel width,
     * noise figure, transmit powers, positions) and watch its TxPowerChanged trace.
     * \param network the network, built by EdgeNetworkHelper
     */
    void SetNetwork(Ptr<EdgeNetwork> network);

    /**
     * \brief Fix the random stream that seeds the CSMA contention emulation (call after
     * SetNetwork, before the simulation runs).
     * \param stream first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * \brief Check an efficiency factor.
     * \param name the parameter name used in the message
     * \param value the value
     * \return "" when 0 < value <= 1, otherwise the problem
     */
    static std::string CheckEfficiency(const std::string& name, double value);

    /**
     * \brief Read the calibrated Wi-Fi residual efficiency from a calibration file
     * (data/flow-calibration.json: {"wifiResidualEfficiency": {"value": ...}, ...}).
     * \param path the file
     * \param[out] wifiResidualEfficiency the value, untouched on a problem
     * \return "" when read and valid, otherwise the problem
     */
    static std::string LoadCalibration(const std::string& path, double& wifiResidualEfficiency);

    /**
     * \brief Set the delivery callback of one node (its FlowTensorTransport).
     * \param node the node index
     * \param callback called on delivery at \p node
     */
    void SetDeliverCallback(uint32_t node, DeliverCallback callback);

    /**
     * \brief Queue a message from \p source to \p destination; it starts when the pair's earlier
     * messages are done.
     * \param source the sending node
     * \param destination the receiving node
     * \param messageId the message id
     * \param payloadBytes payload bytes (the flow carries payloadBytes + FRAME_BYTES)
     */
    void Send(uint32_t source, uint32_t destination, uint64_t messageId, uint64_t payloadBytes);

    /// Drop every queued and active flow that \p node sends.
    void StopNode(uint32_t node);

    /**
     * \brief Cut a node off the network, or bring it back (a link outage, a device that
     * left): while cut, its flows (both ways) are suspended with the bytes they have left and
     * its queued messages wait; reconnected, they resume where they stopped. (TCP at the packet
     * level also waits out its retransmission timeout before it resumes; the flow level does
     * not.)
     * \param node the node
     * \param connected false to cut it off, true to bring it back
     */
    void SetNodeConnected(uint32_t node, bool connected);

    /**
     * \brief Drop every flow, suspended or queued, to or from a node the run declared lost.
     * \param node the node
     * \return the payload bytes dropped
     */
    uint64_t ForgetNode(uint32_t node);

    /**
     * \brief Drop the messages \p source sends that \p stale selects (an abandoned round's),
     * active, suspended or queued.
     * \param source the sender
     * \param stale says, by message id, which to drop
     * \return their payload bytes not yet delivered
     */
    uint64_t CancelMessages(uint32_t source, std::function<bool(uint64_t)> stale);

    /**
     * \brief A small datagram (a heartbeat): it takes the pair's propagation delay and no
     * bandwidth, and is lost when either end is cut off when it is sent or when it arrives.
     * \param source the sender
     * \param destination the receiver, whose signal callback is called with \p source
     */
    void SendSignal(uint32_t source, uint32_t destination);

    /**
     * \param node a node
     * \param callback called with the sender when a signal arrives at \p node
     */
    void SetSignalCallback(uint32_t node, Callback<void, uint32_t> callback);

    /**
     * \brief The rate a lone flow from \p source to \p destination would get, in bit/s of flow
     * bytes (frame and payload), with the current powers and positions.
     * \param source the sending node
     * \param destination the receiving node
     * \return the rate
     */
    double GetSoloRate(uint32_t source, uint32_t destination) const;

    /**
     * \brief The PHY rate of one Wi-Fi hop (bit/s) and its HE MCS, for the current powers.
     * \param from transmitter node
     * \param to receiver node
     * \param[out] mcs the HE MCS index the ideal manager would pick (-1: none)
     * \param[out] snrDb the mean SNR in dB
     * \return PHY data rate in bit/s (0 when no MCS is decodable)
     */
    double GetWifiPhyRate(uint32_t from, uint32_t to, int& mcs, double& snrDb) const;

    /**
     * \brief The same at a given transmit power (what a planner asks before it sets one).
     * \param from transmitter node
     * \param to receiver node
     * \param txPowerDbm the transmitter's power in dBm
     * \param[out] mcs the HE MCS index the ideal manager would pick (-1: none)
     * \param[out] snrDb the mean SNR in dB
     * \return PHY data rate in bit/s (0 when no MCS is decodable)
     */
    double GetWifiPhyRateAt(uint32_t from,
                            uint32_t to,
                            double txPowerDbm,
                            int& mcs,
                            double& snrDb) const;
    /**
     * \brief The goodput of one Wi-Fi hop alone on the channel at a given transmit power: the
     * link model's expected TCP goodput (WifiLinkModel: airtime per transmission opportunity,
     * the ideal manager's MCS under the fading, the receiver's TCP ACKs) times the calibrated
     * efficiency for what it leaves out (bit/s of flow bytes; one hop's airtime per byte is
     * 8 / this).
     * \param from transmitter node
     * \param to receiver node
     * \param txPowerDbm the transmitter's power in dBm
     * \return bit/s, 0 when no MCS is decodable
     */
    double GetWifiGoodputAt(uint32_t from, uint32_t to, double txPowerDbm) const;
    /**
     * \param from transmitter node
     * \param to receiver node
     * \param txPowerDbm the transmitter's power in dBm
     * \return the link model's estimate for the hop (before the calibrated efficiency)
     */
    const WifiLinkEstimate& GetWifiLinkEstimate(uint32_t from,
                                                uint32_t to,
                                                double txPowerDbm) const;
    /**
     * \brief How much longer every transmission on a channel takes while these flows are in
     * progress on it (the factor the flow level applies to their hops).
     * \param pairs the flows, (source, destination), all on one channel (the access point's,
     *        or the devices' own in ad-hoc device-to-device mode)
     * \return the factor (>= 1)
     */
    double GetWifiContention(const std::vector<std::pair<uint32_t, uint32_t>>& pairs) const;
    /**
     * \param cell a cell of a multi-cell Wi-Fi network
     * \return the lowest cell whose channel airtime it shares (itself when no other cell on
     *         its channel hears its server)
     */
    uint32_t GetCellChannelGroup(uint32_t cell) const;
    /** \return the Wi-Fi residual efficiency the model uses (WifiResidualEfficiency) */
    double GetWifiResidualEfficiency() const;
    /**
     * \brief The OFDMA cell's rate for one device and direction with the RBs it would be
     *        granted now: at the mean SINR (path loss, no fading draw), the expected goodput of
     *        the cell's link adaptation (NrLinkAdaptation::GetExpectedLink: the MCS from an
     *        earlier fading draw plus the outer-loop offset at its equilibrium, the BLER at
     *        another draw, HARQ retransmissions), or the Shannon-gap size.
     * \param device the device's node index
     * \param downlink true for base station to device
     * \param[out] sinrDb the mean SINR per RB
     * \return the rate in bit/s of MAC payload (0 with no RBs)
     */
    double GetOfdmaRate(uint32_t device, bool downlink, double& sinrDb) const;

    /**
     * \brief The LTE link model's estimate for a device with its current P_CMAX and the mean
     *        path losses between it and the eNB (network kind "lte").
     * \param device the device's node index
     * \param downlink true for eNB to device
     * \param active devices with data in that direction, this one included (0: those of the
     *        flows now active, this one included, and at LteUplinkAckWeight or
     *        LteDownlinkAckWeight those with only the TCP ACKs of a flow in that direction)
     * \return the estimate (goodput in bytes/s of TCP payload)
     */
    LteLinkEstimate GetLteLink(uint32_t device, bool downlink, double active = 0) const;

    /**
     * \brief GetOfdmaRate for a number of RBs of one's choosing (what a scheduler weighing
     *        shares asks), as TCP goodput: the MAC payload rate times the share of each segment
     *        that is TCP payload.
     * \param device the device's node index
     * \param downlink true for base station to device
     * \param rbs RBs per slot (0: none)
     * \param txPowerDbm the transmitter's power (the device's, or the base station's)
     * \return bit/s of TCP payload
     */
    double GetOfdmaGoodputWith(uint32_t device,
                               bool downlink,
                               uint32_t rbs,
                               double txPowerDbm) const;

    /**
     * \brief GetOfdmaRate with a given number of RBs.
     * \param device the device's node index
     * \param downlink true for base station to device
     * \param rbs RBs per slot
     * \param txDbm the transmitter's power
     * \param[out] sinrDb the mean SINR per RB
     * \return the rate in bit/s of MAC payload (0 with no RBs)
     */
    double GetOfdmaRateWith(uint32_t device,
                            bool downlink,
                            uint32_t rbs,
                            double txDbm,
                            double& sinrDb) const;

    /**
     * \param device the device's node index
     * \param downlink true for base station to device
     * \return the RBs the cell grants the device per slot now, on average: its share with the
     *         "shares" scheduler (a fraction of an RB is carried over to later slots), otherwise
     *         an equal split over the devices with data in that direction
     */
    double GetOfdmaResourceBlocks(uint32_t device, bool downlink) const;

    /**
     * \param m Nakagami shape
     * \return 64 equiprobable quantiles of the fading power gain (Gamma(m, 1/m), mean 1), in dB
     */
    const std::vector<double>& GetFadingQuantilesDb(double m) const;

    /**
     * \brief The rates the flow level would give these flows if they were the only ones
     * active, with the current powers, positions and grants: the same hops, the same split of
     * the cell over the devices with data, the same progressive filling. For a planning
     * instance that carries no flows (NS_FATAL_ERROR otherwise, and with CSMA contention).
     * \param pairs the flows, one per ordered (source, destination) pair
     * \return each flow's rate in bytes/s of flow bytes
     */
    std::vector<double> GetRates(const std::vector<std::pair<uint32_t, uint32_t>>& pairs);
    /// \return the number of flows currently active (transmitting)
    uint32_t GetActiveFlowCount() const;
    /// \return the number of rate recomputations so far
    uint64_t GetRecomputeCount() const;

    /// \return p2p goodput fraction 1448 / (1448 + 52 + 2)
    static double GetP2pEfficiency();
    /// \return CSMA goodput fraction 1448 / (1448 + 52 + 18) of a data frame
    static double GetCsmaEfficiency();

    /**
     * \brief The TCP window the CSMA contention model assumes for the ordered pair now, from the
     * segments the pair has carried (CsmaContentionModel::GetWindow).
     * \param source the sending node
     * \param destination the receiving node
     * \return the window in segments
     */
    double GetCsmaWindow(uint32_t source, uint32_t destination) const;

    /// \return the CSMA contention model (null unless the network is CSMA and CsmaContention is on)
    CsmaContentionModel* GetCsmaContentionModel() const;

  protected:
    void DoDispose() override;

  private:
    /// \return a 64-bit seed for the CSMA emulation from m_csmaSeed
    uint64_t DrawCsmaSeed();

    /// One hop of a flow: a resource and the cost per byte of flow on it.
    using Hop = ResourceUse;

    /// A message in flight (active) as a flow.
    struct Flow
    {
        uint32_t source;       //!< sender
        uint32_t destination;  //!< receiver
        uint64_t messageId;    //!< message id
        uint64_t payload;      //!< payload bytes
        uint64_t remaining;    //!< flow bytes (frame + payload) still to send
        double rate;           //!< current rate, bytes/s
        Time lastUpdate;       //!< when remaining was last advanced
        Time finish;           //!< expected completion at the current rate
        std::vector<Hop> hops; //!< resources used
        /// multi-cell: the hops before the channels' contention scales them
        std::vector<Hop> baseHops;
        /// multi-cell, across the backhaul: the hop TCP's window adds (its own resource, the
        /// seconds per byte the window allows over the round trip); cost 0: none
        Hop window{0, 0.0};
    };

    /// A queued message.
    struct Pending
    {
        uint64_t messageId; //!< message id
        uint64_t payload;   //!< payload bytes
    };

    /// One radio transmission of a Wi-Fi flow's path.
    struct RadioHop
    {
        uint32_t from;     //!< transmitter
        uint32_t to;       //!< receiver
        uint32_t resource; //!< the channel's airtime resource
    };

    /// A Wi-Fi flow's path: its radio hops, and the backhaul links it crosses.
    struct WifiRoute
    {
        std::vector<RadioHop> radio;             //!< in order
        uint32_t upCell{EdgeNetwork::NO_CELL};   //!< cell whose backhaul it goes up, if any
        uint32_t downCell{EdgeNetwork::NO_CELL}; //!< cell whose backhaul it comes down, if any
    };

    std::vector<Hop> HopsOf(uint32_t source, uint32_t destination) const;
    /**
     * Multi-cell: a flow that crosses the backhaul gets the hop of its TCP window
     * (TcpWindowModel over the path's round trip), when the window limits it.
     * \param key the flow's pair
     * \param flow the flow, its hops set
     */
    void AddWindowHop(uint64_t key, Flow& flow);
    /// \return the path of a flow on the Wi-Fi network (one cell or several)
    WifiRoute RouteWifi(uint32_t source, uint32_t destination) const;
    /// \return whether \p node is an access point (the server, or a cell's server)
    bool IsAccessPoint(uint32_t node) const;
    /// Groups the cells that share a channel's airtime (m_cellChannelGroup).
    void GroupCoChannelCells(double rxSensitivityDbm);
    double WifiHopRate(uint32_t from, uint32_t to) const;
    /// Scales the active flows' Wi-Fi hop costs by their channel's contention.
    void ApplyWifiContention();
    /**
     * \param pairs flows in progress
     * \return by channel resource, WifiLinkModel::GetContentionFactor of the nodes with frames
     *         to send on it (senders, receivers for their TCP ACKs, the access point relaying)
     */
    std::map<uint32_t, double> WifiContentionByChannel(
        const std::vector<std::pair<uint32_t, uint32_t>>& pairs) const;
    /**
     * \param from transmitter node
     * \param to receiver node
     * \param txPowerDbm the transmitter's power
     * \param[out] nakagamiM the fading's shape on the path (0: none; -1: Jakes, Rayleigh
     *             correlated in time)
     * \return the mean SNR of the hop (path loss only)
     */
    double GetWifiMeanSnrDb(uint32_t from, uint32_t to, double txPowerDbm, double& nakagamiM) const;
    Time PropagationDelay(uint32_t source, uint32_t destination) const;
    void StartNext(uint64_t pair);
    /// a signal arrives at \p destination (lost if an end is cut off)
    void ArriveSignal(uint32_t source, uint32_t destination);
    void Advance();
    void Recompute();
    /// the cell's devices with data in each direction, from the active flows (OFDMA only)
    void MarkOfdmaActive();
    /// CSMA with the contention model: rates from CsmaContentionModel (see the .cc)
    void ComputeCsmaRates();
    /// max-min fair rates over the flows' resources (progressive filling)
    void ComputeMaxMinRates();
    /// progressive filling over \p flows only (their resources used by no other flow)
    void FillMaxMin(const std::vector<Flow*>& flows);
    /// \return whether flows' starts and ends recompute only their component (multi-cell)
    bool UsesLocalRecompute() const;
    /**
     * \brief Index a flow StartNext just started (multi-cell).
     * \param key its pair
     * \return its resources (none when nothing started)
     */
    std::set<uint32_t> IndexStarted(uint64_t key);
    /// advance one flow's bytes to \p now at its rate (as Advance)
    void AdvanceFlow(uint64_t key, Flow& flow, Time now);
    /// recompute the rates of the flows connected to \p resources (multi-cell)
    void RecomputeAround(const std::set<uint32_t>& resources);
    /// schedule OnCompletion at the earliest finish (multi-cell)
    void ScheduleNextCompletion();
    /// rebuild the multi-cell indexes after a full Recompute
    void RebuildIndex();
    void OnCompletion();
    /// a flow's last byte has left: it arrives after the path's propagation delay
    void ScheduleDelivery(const Flow& flow);
    void OnTxPowerChanged(uint32_t node, double dbm);
    void Deliver(uint32_t source, uint32_t destination, uint64_t messageId, uint64_t payload);
    uint64_t PairKey(uint32_t source, uint32_t destination) const;

    Ptr<EdgeNetwork> m_network;                   //!< the network
    std::vector<uint32_t> m_cellChannelGroup;     //!< multi-cell Wi-Fi: per cell, its group
    std::string m_kind;                           //!< its kind
    uint32_t m_nodeCount;                         //!< nodes
    uint32_t m_server;                            //!< server index (Wi-Fi access point)
    std::string m_d2d;                            //!< "ap" or "adhoc"
    std::vector<std::vector<double>> m_linkRate;  //!< p2p [from][to] bit/s
    std::vector<std::vector<Time>> m_linkDelay;   //!< p2p [from][to]
    Ptr<OfdmaBsNetDevice> m_ofdma;                //!< the OFDMA cell's base station
    std::vector<std::vector<bool>> m_ofdmaActive; //!< [uplink, downlink][node] has data
    std::vector<std::vector<bool>> m_lteAcksOnly; //!< LTE: [uplink, downlink][node] only ACKs
    double m_lteUplinkAckWeight;                  //!< LteUplinkAckWeight
    double m_lteDownlinkAckWeight;                //!< LteDownlinkAckWeight
    mutable std::map<double, std::vector<double>> m_fadingQuantiles; //!< dB, by Nakagami m
    /// Wi-Fi hops under Jakes fading, by (SNR, reverse SNR): the tracked channel's estimate
    mutable std::map<std::pair<double, double>, WifiLinkEstimate> m_trackedWifi;
    double m_csmaRate;                                     //!< CSMA bit/s
    Time m_csmaDelay;                                      //!< CSMA propagation delay
    uint16_t m_channelWidth;                               //!< Wi-Fi MHz
    double m_noiseFigureDb;                                //!< Wi-Fi receiver noise figure
    std::unique_ptr<WifiLinkModel> m_wifiLink;             //!< Wi-Fi hop goodput
    std::unique_ptr<LteLinkModel> m_lteLink;               //!< LTE link rates
    double m_wifiResidualEfficiency;                       //!< Wi-Fi: packet level over link model
    double m_wiredP2pEfficiency;                           //!< goodput fraction, p2p
    double m_wiredCsmaEfficiency;                          //!< goodput fraction, CSMA
    std::vector<DeliverCallback> m_deliver;                //!< per node
    std::map<uint64_t, std::deque<Pending>> m_queue;       //!< per pair, waiting
    std::map<uint64_t, Flow> m_active;                     //!< per pair, transmitting
    std::map<uint64_t, Flow> m_suspended;                  //!< per pair, an end cut off
    std::set<uint32_t> m_disconnected;                     //!< nodes cut off
    std::map<uint32_t, Callback<void, uint32_t>> m_signal; //!< signal receivers, per node
    EventId m_nextCompletion;                              //!< the next completion
    uint64_t m_recomputes;                                 //!< statistics
    TracedCallback<uint32_t, uint32_t, uint64_t, double> m_rateTrace; //!< FlowRate

    bool m_csmaContentionEnabled;                          //!< CsmaContention attribute
    std::unique_ptr<CsmaContentionModel> m_csmaContention; //!< backoff model (CSMA)
    Ptr<UniformRandomVariable> m_csmaSeed;                 //!< seeds the backoff model's draws
    bool m_tcpWindowEnabled;                               //!< TcpWindow attribute
    bool m_tcpWindowApplies;         //!< TcpWindow, on a multi-cell Wi-Fi network, with TcpCubic
    TcpWindowParameters m_tcpWindow; //!< the sockets' TCP settings
    /// multi-cell: each pair's TCP connection across the backhaul (the window carries over)
    std::map<uint64_t, TcpConnectionState> m_tcpConnections;
    uint32_t m_windowResources;                //!< window resources handed out
    std::map<uint64_t, double> m_pairSegments; //!< segments carried, per ordered pair
    bool m_componentRecompute{true};           //!< ComponentRecompute attribute
    bool m_localRecompute{false}; //!< multi-cell: recompute components (RecomputeAround)
    std::map<uint32_t, std::set<uint64_t>> m_flowsOnResource; //!< multi-cell: active flows
    std::set<std::pair<Time, uint64_t>> m_finishOrder;        //!< multi-cell: by finish
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_FLOW_NETWORK_MODEL_H
