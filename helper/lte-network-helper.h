/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LTE_NETWORK_HELPER_H
#define EDGE_LLM_LTE_NETWORK_HELPER_H

#include "ns3/edge-network.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <functional>
#include <string>

namespace ns3
{

class PropagationLossModel;

namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The radio settings of an LTE network: its loss chain and the 3GPP knobs.
 */
struct LteRadioSettings
{
    /// builds the path loss (and fading) chain of one direction for a carrier frequency in Hz
    std::function<Ptr<PropagationLossModel>(Ptr<EdgeNetwork>, double)> lossChain;
    double bandwidthMHz{20};    //!< each direction's channel (TS 36.101 Table 5.6-1)
    double enbTxPowerDbm{30};   //!< the eNB's power over the downlink band (whole dBm)
    double ueMaxTxPowerDbm{23}; //!< the devices' P_CMAX (TS 36.101 6.2.2: 23 dBm class 3)
    double alpha{1.0};          //!< TS 36.213 alpha of PUSCH power control
    int p0NominalPuschDbm{-80}; //!< TS 36.213 P_O_NOMINAL_PUSCH, dBm per RB
};

/**
 * \ingroup edge-llm
 * \brief ns-3's LTE module as an EdgeNetwork (kind "lte"): one eNB with an EPC
 * (PointToPointEpcHelper), the devices as UEs, ns-3's proportional fair scheduler
 * (PfFfMacScheduler) and TS 36.213 uplink power control in closed loop (LteUePowerControl;
 * the eNB's TPC commands come from its frequency-reuse algorithm, which ns-3 leaves as
 * LteFrNoOpAlgorithm: 0 dB, so the accumulated correction stays 0 and the power follows the
 * open-loop part, alpha times the path loss the UE estimates from the reference signal).
 *
 * The edge server is a host behind the packet gateway on a 100 Gb/s point-to-point link of
 * 0.1 ms (an edge server next to the core); the eNB stands where the server node is placed.
 * Device-to-device traffic goes up to the gateway and back down. Frequency division duplex,
 * EARFCN 100 / 18100 (band 1: 2120 / 1930 MHz), RLC unacknowledged mode with a transmit buffer
 * larger than any TCP window (LteRlcUm::MaxTxBufferSize, whose ns-3 default of 10 KiB would
 * drop a TCP burst). Addresses: devices 7.0.0.2 and up (the EPC's, in attach order), server
 * 1.0.0.2 (the gateway 1.0.0.1). The network is ready when every UE's NAS is active (its
 * default bearer is set up).
 */
class LteNetworkHelper
{
  public:
    /// the most devices one eNB takes (the longest SRS period, 320 ms, one UE per ms)
    static constexpr uint32_t MAX_DEVICES = 320;

    /**
     * \param mhz a channel bandwidth
     * \return "" for 1.4, 3, 5, 10, 15 or 20 (TS 36.101 Table 5.6-1), otherwise the problem
     */
    static std::string CheckBandwidthMHz(double mhz);
    /**
     * \param mhz a bandwidth CheckBandwidthMHz accepts
     * \return its resource blocks (6, 15, 25, 50, 75, 100)
     */
    static uint32_t GetResourceBlocks(double mhz);
    /**
     * \param alpha a path loss compensation factor
     * \return "" for 0, 0.4, 0.5, ..., 1 (TS 36.331 alpha), otherwise the problem
     */
    static std::string CheckAlpha(double alpha);
    /**
     * \param dbm a nominal PUSCH power
     * \return "" for a whole number in [-126, 24] dBm (TS 36.331), otherwise the problem
     */
    static std::string CheckP0NominalPusch(double dbm);
    /**
     * \param dbm an eNB power
     * \return "" for a whole number in [-60, 50] dBm (SIB2's referenceSignalPower carries it
     *         to the UEs' path loss estimate), otherwise the problem
     */
    static std::string CheckEnbTxPower(double dbm);

    /**
     * \brief Install the eNB, EPC, UEs, addresses and routes on a network whose nodes are set
     * and placed (devices and server), and register them with it.
     * \param network the network (kind "lte")
     * \param radio the radio settings
     */
    void Install(Ptr<EdgeNetwork> network, const LteRadioSettings& radio) const;

    /**
     * \brief Make \p network a flow-only LTE network (EdgeNetwork::SetFlowOnly): the eNB's
     * position (a node of its own, without devices), the same loss chains as Install and the
     * cell's parameters as Install's devices would have them (the attributes' defaults and
     * \p radio), but no eNB, EPC, UE or address: nothing attaches or ticks TTIs.
     * \param network the network (kind "lte"), its nodes set and placed
     * \param radio the radio settings
     */
    void InstallFlowOnly(Ptr<EdgeNetwork> network, const LteRadioSettings& radio) const;
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_LTE_NETWORK_HELPER_H
