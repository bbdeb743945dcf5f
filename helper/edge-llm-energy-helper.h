/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDGE_LLM_ENERGY_HELPER_H
#define EDGE_LLM_EDGE_LLM_ENERGY_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/basic-energy-source-helper.h"
#include "ns3/basic-energy-source.h"
#include "ns3/compute-energy-model.h"
#include "ns3/device-energy-model-container.h"
#include "ns3/device-profile.h"
#include "ns3/edge-network.h"
#include "ns3/energy-source-container.h"
#include "ns3/object-factory.h"
#include "ns3/wifi-radio-energy-meter.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Per-node energy of a run through ns-3's energy framework: compute energy from the
 * device profile, radio energy from ns-3's WifiRadioEnergyModel where the link is Wi-Fi.
 *
 * For every node of the network (the devices, then the server), Install puts:
 * - a BasicEnergySource (BasicEnergySourceInitialEnergyJ 1e9 J by default, large enough not to
 *   deplete; change it and any other BasicEnergySource attribute with SetSourceAttribute);
 * - a ComputeEnergyModel on that source, BusyPowerW and IdlePowerW from the node's
 *   DeviceProfile, connected to the node's EdgeLlmApplication "ComputeStarted" and
 *   "ComputeFinished" traces;
 * - on a Wi-Fi network (EdgeNetwork kind "wifi"), a WifiRadioEnergyMeter on each of the node's
 *   WifiNetDevices, on the same source: ns-3's WifiRadioEnergyModel's currents and state
 *   machine (its attributes with SetRadioAttribute or Config::SetDefault, TxCurrentModel
 *   included) without the events that model leaves in the scheduler on every state change
 *   (see WifiRadioEnergyMeter). Other kinds (csma, p2p, ofdma) have no radio energy model
 *   here: compute only, and HasRadioEnergy says so.
 *
 * \code
 *   ApplicationContainer apps = runtime.Install(network);
 *   EdgeLlmEnergyHelper energy;
 *   energy.Install(network, apps, profiles);     // before Simulator::Run
 *   Simulator::Run();
 *   double joules = energy.GetTotalEnergyJ(0);   // before Simulator::Destroy
 * \endcode
 *
 * Energy is counted from Install (install at time 0). Read it before Simulator::Destroy, which
 * disposes the sources and radio models. As with any ns-3 energy source, a BasicEnergySource
 * updates itself periodically, so a run needs an end (EdgeServerApplication's StopSimulation,
 * on by default, or Simulator::Stop).
 */
class EdgeLlmEnergyHelper
{
  public:
    EdgeLlmEnergyHelper();

    /**
     * \param name an attribute of ns3::BasicEnergySource, e.g. "BasicEnergySourceInitialEnergyJ"
     *        or "BasicEnergySupplyVoltageV"
     * \param value its value
     */
    void SetSourceAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \param name an attribute of ns3::WifiRadioEnergyModel, e.g. "TxCurrentA"
     * \param value its value
     */
    void SetRadioAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Check the arguments of Install.
     * \param network the network
     * \param apps the runtime's applications (EdgeLlmRuntimeHelper::Install), one per node
     * \param profiles one per node: the devices in order, then the server
     * \return "" when fine, otherwise the first problem (null network, count mismatch, an
     *         application that is not an EdgeLlmApplication or not on the network, a node with
     *         none or two, a profile with a negative or non-finite power)
     */
    static std::string CheckInstall(Ptr<EdgeNetwork> network,
                                    const ApplicationContainer& apps,
                                    const std::vector<DeviceProfile>& profiles);

    /**
     * \brief Install the energy sources and models on every node of \p network.
     * NS_FATAL_ERROR with CheckInstall's message on bad input, or when called twice.
     * \param network the network (devices first, server last)
     * \param apps the runtime's applications, one per node
     * \param profiles one per node: the devices in order, then the server
     * \return the energy sources, in node order
     */
    EnergySourceContainer Install(Ptr<EdgeNetwork> network,
                                  ApplicationContainer apps,
                                  const std::vector<DeviceProfile>& profiles);

    /** \return the number of nodes installed (0 before Install) */
    uint32_t GetNodeCount() const;

    /**
     * \brief Check a node index for the accessors.
     * \param node the index
     * \return "" when Install ran and node < GetNodeCount(), otherwise the problem
     */
    std::string CheckNode(uint32_t node) const;

    /**
     * \param node a node index
     * \return true when the node's radio energy is modelled (Wi-Fi), false when compute only
     */
    bool HasRadioEnergy(uint32_t node) const;

    /**
     * \param node a node index
     * \return compute energy of the node up to now, in J
     */
    double GetComputeEnergyJ(uint32_t node) const;

    /**
     * \param node a node index
     * \return radio energy of the node up to now (sum over its WifiRadioEnergyModels), in J;
     *         0 when HasRadioEnergy(node) is false
     */
    double GetRadioEnergyJ(uint32_t node) const;

    /**
     * \param node a node index
     * \return GetComputeEnergyJ(node) + GetRadioEnergyJ(node)
     */
    double GetTotalEnergyJ(uint32_t node) const;

    /**
     * \param node a node index
     * \return the node's energy source
     */
    Ptr<BasicEnergySource> GetEnergySource(uint32_t node) const;

    /**
     * \param node a node index
     * \return the node's compute energy model
     */
    Ptr<ComputeEnergyModel> GetComputeEnergyModel(uint32_t node) const;

    /**
     * \param node a node index
     * \return the node's WifiRadioEnergyModels (empty when compute only)
     */
    DeviceEnergyModelContainer GetRadioEnergyModels(uint32_t node) const;

  private:
    /**
     * \brief Abort with CheckNode's message when \p node is not valid.
     * \param node the index
     */
    void RequireNode(uint32_t node) const;

    BasicEnergySourceHelper m_sourceHelper; //!< BasicEnergySource factory
    ObjectFactory m_radioCurrents; //!< a WifiRadioEnergyModel whose currents the meters take
    bool m_installed;              //!< Install ran
    std::vector<Ptr<BasicEnergySource>> m_sources;         //!< per node
    std::vector<Ptr<ComputeEnergyModel>> m_computeModels;  //!< per node
    std::vector<DeviceEnergyModelContainer> m_radioModels; //!< per node
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EDGE_LLM_ENERGY_HELPER_H */
