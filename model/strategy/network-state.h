/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_NETWORK_STATE_H
#define EDGE_LLM_NETWORK_STATE_H

#include "ns3/edge-network.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ns3
{
namespace edgellm
{

class FlowNetworkModel;
class OfdmaBsNetDevice;

/**
 * \ingroup edge-llm
 * \brief What a strategy may know of the network when it plans a round: the network's kind and
 * settings, and each node's uplink channel gain this round, drawn from the network's own
 * propagation loss chain (path loss and, when configured, fading).
 *
 * A gain is drawn the first time a strategy asks for it in a round and kept for the rest of the
 * round, so the draws follow the order in which the strategy asks (and a node it never asks
 * about costs no draw). RoundController calls BeginRound before each plan.
 */
class NetworkState
{
  public:
    /** \param network the network the round runs on */
    explicit NetworkState(Ptr<EdgeNetwork> network);
    ~NetworkState();

    /// Forget the last round's gains.
    void BeginRound();

    /** \return "wifi", "ofdma", "csma" or "p2p" */
    std::string GetKind() const;
    /// \return true when Wi-Fi devices send to each other directly on their own channel
    /// (d2dMode adhoc), false when the access point relays them
    bool IsD2dDirect() const;

    /** \return the network (read its settings; radio grants go in the RoundPlan) */
    Ptr<const EdgeNetwork> GetNetwork() const;

    /** \return the OFDMA cell's base station, or null on other networks */
    Ptr<OfdmaBsNetDevice> GetOfdmaBaseStation() const;

    /**
     * \param node a node (not the server)
     * \return the linear uplink gain node -> server this round (received over transmitted
     * power)
     */
    double GetUplinkGain(uint32_t node);
    /**
     * \brief The goodput of one Wi-Fi hop alone on the channel at a transmit power: the rate
     * the flow level gives it (FlowNetworkModel::GetWifiGoodputAt: the Wi-Fi link model, with
     * the calibrated residual efficiency of data/flow-calibration.json), at the mean received
     * power and its fading.
     * \param from transmitter node
     * \param to receiver node
     * \param txPowerW transmit power in W
     * \return bit/s (0 when no MCS is decodable); NS_FATAL_ERROR on networks other than Wi-Fi
     */
    double GetWifiGoodput(uint32_t from, uint32_t to, double txPowerW);
    /**
     * \param from transmitter node
     * \param to receiver node
     * \param txPowerW transmit power in W
     * \return the PHY rate (bit/s) of the HE MCS the ideal manager picks at the mean SNR (0:
     * none decodable)
     */
    double GetWifiPhyRate(uint32_t from, uint32_t to, double txPowerW);
    /**
     * \param pairs Wi-Fi flows in progress, (source, destination)
     * \return how much longer each transmission on the channel takes with them
     *         (FlowNetworkModel::GetWifiContention)
     */
    double GetWifiContention(const std::vector<std::pair<uint32_t, uint32_t>>& pairs);
    /**
     * \brief The rates the flow level gives these flows, alone on the network as it is now
     * (powers, positions, the cell's grants applied): FlowNetworkModel::GetRates of a planning
     * instance (CSMA: progressive filling, without the backoff emulation).
     * \param pairs the flows, one per ordered (source, destination) pair
     * \return bytes/s each
     */
    std::vector<double> GetFlowRates(const std::vector<std::pair<uint32_t, uint32_t>>& pairs);
    /**
     * \brief What the OFDMA cell's uplink carries for a device at each number of resource
     * blocks and a transmit power: the flow level's rate (FlowNetworkModel::GetOfdmaGoodputWith:
     * mean SINR from path loss, the link adaptation's expected goodput over the fading).
     * \param node a device's node
     * \param txPowerW its transmit power in W
     * \return bit/s of TCP payload, indexed by RBs (0 .. the cell's RB count); NS_FATAL_ERROR on
     * other networks
     */
    std::vector<double> GetOfdmaUplinkGoodputs(uint32_t node, double txPowerW);

    /**
     * \param node a node
     * \return its transmit power range in W: [MinTxPowerDbm, the node's maximum]
     */
    std::pair<double, double> GetTxPowerRangeW(uint32_t node) const;
    /**
     * \param node a node
     * \return its transmit power now, in W
     */
    double GetTxPowerW(uint32_t node) const;

    /**
     * \param cell a cell of the Wi-Fi network
     * \return the lowest cell whose channel airtime it shares (FlowNetworkModel::
     *         GetCellChannelGroup; 0 with one cell)
     */
    uint32_t GetCellChannelGroup(uint32_t cell);

  private:
    /// \return the planning instance of the flow level, created on first use
    FlowNetworkModel& GetRateModel();

    Ptr<EdgeNetwork> m_network;        //!< the network
    std::map<uint32_t, double> m_gain; //!< this round's gains drawn so far
    Ptr<FlowNetworkModel> m_rates;     //!< the flow level's rate model (Wi-Fi), on first use
    /// contention factors asked this round, by the flows in progress (a replay asks the same
    /// sets again and again)
    std::map<std::vector<std::pair<uint32_t, uint32_t>>, double> m_contention;
    /// Wi-Fi goodputs asked this round, by (from, to, power in W, receiver's power in dBm)
    std::map<std::tuple<uint32_t, uint32_t, double, double>, double> m_goodput;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_NETWORK_STATE_H */
