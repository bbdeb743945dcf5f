/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LOLA_CENTRALIZED_STRATEGY_H
#define EDGE_LLM_LOLA_CENTRALIZED_STRATEGY_H

#include "lola-deft-cost-model.h"

#include "ns3/strategy.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief LoLa DEFT's baselines where one node fine-tunes every block: each round one iteration
 * on a batch, forward and backward through the whole model, then the optimizer step.
 *
 * Trainer "device": single-device fine-tuning, by the device of least compute time that holds
 * the whole recipe in memory (nothing crosses the network; out of memory when none can).
 * Trainer "server": computation offloading, devices in turn (round r: device r mod K) run the
 * embedding layer on their batch and upload its output (the activations, exact bytes) to the
 * edge server over the whole uplink band; the server fine-tunes every block.
 * rounds.csv's phase_s is the round from the first task to the update, beside the prediction.
 */
class LolaCentralizedStrategy : public Strategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    LolaCentralizedStrategy();
    ~LolaCentralizedStrategy() override;

    std::string Configure(const Fleet& fleet, const Workload& workload) override;
    std::string Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan) override;
    Ptr<TaskGraph> Build(uint32_t round, Ptr<const RoundPlan> plan) override;
    void Observe(const RoundObservation& observation, RoundRecord& record) override;

  private:
    std::string m_trainer{"device"};    //!< "device" or "server"
    double m_usableMemoryFraction{0.9}; //!< share of a node's memory the model may use
    LolaDeftCostModel m_devices;        //!< every block as one, on the devices
    LolaDeftCostModel m_server;         //!< the same on the server
    std::vector<uint32_t> m_nodes;      //!< the devices' nodes
    int32_t m_trainerDevice{-1};        //!< "device": the device that trains
    uint32_t m_layerCount{0};           //!< Transformer blocks of the model
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LOLA_CENTRALIZED_STRATEGY_H */
