/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_CELL_HELPER_H
#define EDGE_LLM_OFDMA_CELL_HELPER_H

#include "ns3/channel-condition-model.h"
#include "ns3/edge-network.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/ofdma-ue-net-device.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/spectrum-channel.h"
#include "ns3/vector.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Builds an OFDMA cell: the base station (OfdmaBsNetDevice) on the edge server node,
 * a UE (OfdmaUeNetDevice) on each device node, an uplink and a downlink SpectrumChannel
 * (FDD), with path loss and fading from ns-3's propagation models.
 *
 * \code
 *   OfdmaCellHelper cell;
 *   cell.SetNumerology(1);
 *   cell.SetBandwidthMHz(20);
 *   cell.SetPathLoss("3gpp-umi");
 *   cell.SetFading("rayleigh");
 *   cell.SetSchedulerTypeId(OfdmaProportionalFairScheduler::GetTypeId());
 *   cell.SetSchedulerAttribute("TimeConstantSlots", DoubleValue(50));
 *   Ptr<EdgeNetwork> network = cell.InstallEdgeNetwork(devices, server);
 *   Ptr<OfdmaBsNetDevice> bs = OfdmaCellHelper::GetBaseStation(server);
 * \endcode
 *
 * The RB scheduler is chosen by TypeId, as 5G-LENA's helper chooses its MAC scheduler: every
 * Install creates one with an ObjectFactory (SetSchedulerTypeId, SetSchedulerAttribute) and
 * sets it as the base station's Scheduler attribute. The default, OfdmaSharesScheduler,
 * grants the bandwidth shares set with OfdmaBsNetDevice::SetBandwidthShare.
 *
 * Nodes without a MobilityModel are placed: the server at (0, 0, BS height), device i at
 * SetDistance metres (or SetDeviceDistances' i-th distance) from it at angle 2 pi i / n,
 * 1.5 m high.
 */
class OfdmaCellHelper
{
  public:
    OfdmaCellHelper();

    /// \param mu the numerology 0..3
    void SetNumerology(uint32_t mu);
    /// \param mhz the channel bandwidth of each carrier (TS 38.101-1 Table 5.3.2-1)
    void SetBandwidthMHz(double mhz);
    /**
     * \param uplinkHz the uplink carrier frequency
     * \param downlinkHz the downlink carrier frequency
     */
    void SetCarrierFrequencies(double uplinkHz, double downlinkHz);
    /// \param name "log-distance", "friis", "3gpp-umi", "3gpp-uma", "3gpp-inh" or "fixed"
    void SetPathLoss(const std::string& name);
    /// \param db the path loss of "fixed"
    void SetFixedPathLossDb(double db);
    /// \param exponent the exponent of "log-distance" (reference loss: Friis at 1 m)
    void SetLogDistanceExponent(double exponent);
    /// \param enable shadowing of the 3GPP path loss models (default false)
    void SetShadowing(bool enable);
    /**
     * \param name channel condition of the 3GPP path loss models: "3gpp" (random line of sight
     *        with the scenario's TR 38.901 probability, the default), "los" or "nlos"
     */
    void SetChannelCondition(const std::string& name);
    /**
     * \param name "none", "rayleigh" or "nakagami" (drawn independently per transmission), or
     *        "jakes" (ns-3's JakesPropagationLossModel: Rayleigh fading correlated in time, per
     *        link, at SetDopplerHz's maximum Doppler frequency)
     */
    void SetFading(const std::string& name);
    /// \param m the Nakagami m of "nakagami"
    void SetNakagamiM(double m);
    /**
     * \param i a device \param n the devices
     * \return where Install places device i of n when it has no mobility model yet: on a
     *         spoke at angle 2 pi i / n, at its distance (SetDeviceDistances or SetDistance),
     *         1.5 m high
     */
    Vector GetDevicePosition(uint32_t i, uint32_t n) const;
    /**
     * \param hz the maximum Doppler frequency of "jakes" (speed x carrier / c; default 10 Hz:
     *        a walking user at 3.5 GHz). ns-3's JakesProcess takes it as an attribute default,
     *        so one value holds for every Jakes link of a simulation.
     */
    void SetDopplerHz(double hz);
    /**
     * \brief Choose the RB scheduler of the next Installs (both carriers of each cell).
     * \param tid a subclass of OfdmaScheduler with a constructor (Validate names another):
     *        OfdmaSharesScheduler (the default), OfdmaRoundRobinScheduler,
     *        OfdmaProportionalFairScheduler
     */
    void SetSchedulerTypeId(TypeId tid);
    /**
     * \brief Set an attribute of the schedulers the next Installs create (after
     *        SetSchedulerTypeId: the attribute must belong to that TypeId).
     * \param name the attribute, e.g. "TimeConstantSlots" of OfdmaProportionalFairScheduler
     * \param value its value
     */
    void SetSchedulerAttribute(const std::string& name, const AttributeValue& value);
    /// \return the TypeId of the schedulers the next Installs create
    TypeId GetSchedulerTypeId() const;
    /**
     * \brief The short scheduler names of a command-line option: "shares"
     *        (OfdmaSharesScheduler), "pf" (OfdmaProportionalFairScheduler), "rr"
     *        (OfdmaRoundRobinScheduler).
     * \param name a short name
     * \param[out] tid its TypeId, when known
     * \return "" when known, otherwise the problem
     */
    static std::string LookupSchedulerName(const std::string& name, TypeId& tid);
    /// \param name "mcs" or "shannon"
    void SetLinkAdaptation(const std::string& name);
    /// \param metres distance of the placed devices from the server
    void SetDistance(double metres);
    /**
     * \param metres distance of each placed device from the server, in device order (one per
     *        device of the Install; empty: SetDistance for all)
     */
    void SetDeviceDistances(const std::vector<double>& metres);
    /// \param dbm every UE's uplink transmit power (capped at the maximum)
    void SetUeTxPowerDbm(double dbm);
    /// \param dbm every UE's maximum uplink transmit power
    void SetUeMaxTxPowerDbm(double dbm);
    /// \param dbm the base station's downlink power
    void SetBsTxPowerDbm(double dbm);
    /// \param db the receivers' noise figure
    void SetNoiseFigureDb(double db);
    /// \param cellId the cell id of the next Install (cells on shared channels interfere)
    void SetCellId(uint32_t cellId);
    /**
     * \brief Use existing carriers (another cell's, for co-channel interference) instead of
     *        creating new ones.
     * \param uplink the uplink channel
     * \param downlink the downlink channel
     */
    void SetChannels(Ptr<SpectrumChannel> uplink, Ptr<SpectrumChannel> downlink);
    /**
     * \param name an attribute of ns3::OfdmaBsNetDevice
     * \param value its value
     */
    void SetBsAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Check every setting.
     * \return "" when the cell can be built, otherwise the first problem
     */
    std::string Validate() const;

    /**
     * \brief Build the cell.
     * \param server the node of the base station
     * \param devices the UE nodes, in index order
     * \return the UEs in order, then the base station (last)
     */
    NetDeviceContainer Install(Ptr<Node> server, NodeContainer devices);

    /**
     * \brief Build the cell, the internet stack and addresses (10.0.0.1 the server, then the
     *        devices in order, /16), and an EdgeNetwork of kind "ofdma" aggregated to the
     *        server node, so that EdgeLlmRuntimeHelper::Install(NodeContainer) runs over it.
     * \param devices the UE nodes
     * \param server the server node
     * \return the network
     */
    Ptr<EdgeNetwork> InstallEdgeNetwork(NodeContainer devices, Ptr<Node> server);

    /**
     * \param server a server node a cell was installed on
     * \return its base station, or null
     */
    static Ptr<OfdmaBsNetDevice> GetBaseStation(Ptr<Node> server);

    /**
     * \brief Set the bandwidth shares given as comma-separated text (a command-line option),
     *        device 0 first.
     * \param bs the base station
     * \param shares one number per device, e.g. "0.1,0.2,0.3,0.4"; empty: none set
     * \return "" when all are set; otherwise the problem (entry count, not a number,
     *         OfdmaBsNetDevice::CheckBandwidthShare's message), the shares before it set
     */
    static std::string SetBandwidthShares(Ptr<OfdmaBsNetDevice> bs, const std::string& shares);

    /**
     * \brief Offer full-buffer traffic: from now until \p stop, every millisecond, fill every
     *        UE's uplink queue and the base station's downlink queue of every UE with
     *        1500-byte packets up to \p queueBytes (packets sent straight to the NetDevices,
     *        no IP, no TCP).
     * \param bs the base station
     * \param stop the last top-up is before this time
     * \param queueBytes the backlog kept in every queue
     */
    static void KeepBacklogged(Ptr<OfdmaBsNetDevice> bs, Time stop, uint64_t queueBytes = 150000);

    /**
     * \brief Fix the random streams of the cells this helper built: BLER draws, fading,
     *        shadowing and channel conditions.
     * \param stream the first stream
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// \return the uplink channel of the last Install
    Ptr<SpectrumChannel> GetUplinkChannel() const;
    /// \return the downlink channel of the last Install
    Ptr<SpectrumChannel> GetDownlinkChannel() const;

  private:
    /**
     * \param frequencyHz the carrier
     * \param[in,out] condition the cell's 3GPP channel condition model (created when null)
     * \return a new loss chain: path loss, then fading
     */
    Ptr<PropagationLossModel> CreateLossChain(double frequencyHz,
                                              Ptr<ChannelConditionModel>& condition);
    /**
     * \param frequencyHz the carrier
     * \param[in,out] condition the cell's 3GPP channel condition model (created when null)
     * \return a channel with a new loss chain
     */
    Ptr<SpectrumChannel> CreateChannel(double frequencyHz, Ptr<ChannelConditionModel>& condition);
    /**
     * \param server the server
     * \param devices the devices
     */
    void PlaceNodes(Ptr<Node> server, const NodeContainer& devices) const;

    uint32_t m_numerology;                                //!< mu
    double m_bandwidthMHz;                                //!< per carrier
    double m_uplinkHz;                                    //!< uplink carrier
    double m_downlinkHz;                                  //!< downlink carrier
    std::string m_pathLoss;                               //!< path loss model
    double m_fixedLossDb;                                 //!< "fixed"
    double m_exponent;                                    //!< "log-distance"
    bool m_shadowing;                                     //!< 3GPP shadowing
    std::string m_condition;                              //!< "3gpp", "los", "nlos"
    std::string m_fading;                                 //!< fading
    double m_nakagamiM;                                   //!< Nakagami m
    double m_dopplerHz;                                   //!< "jakes": maximum Doppler
    ObjectFactory m_schedulerFactory;                     //!< OfdmaScheduler subclass
    std::string m_linkAdaptation;                         //!< link adaptation
    double m_distance;                                    //!< placement
    std::vector<double> m_deviceDistances;                //!< per device placement
    double m_ueTxPowerDbm;                                //!< UE power
    double m_ueMaxTxPowerDbm;                             //!< UE maximum power
    double m_bsTxPowerDbm;                                //!< BS power
    double m_noiseFigureDb;                               //!< noise figure
    uint32_t m_cellId;                                    //!< next cell id
    Ptr<SpectrumChannel> m_ulChannel;                     //!< uplink
    Ptr<SpectrumChannel> m_dlChannel;                     //!< downlink
    bool m_channelsGiven;                                 //!< SetChannels used
    ObjectFactory m_bsFactory;                            //!< OfdmaBsNetDevice
    std::vector<Ptr<PropagationLossModel>> m_losses;      //!< chains built
    std::vector<Ptr<ChannelConditionModel>> m_conditions; //!< condition models built
    std::vector<Ptr<OfdmaBsNetDevice>> m_cells;           //!< base stations built
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_CELL_HELPER_H */
