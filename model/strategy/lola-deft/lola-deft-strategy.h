/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LOLA_DEFT_STRATEGY_H
#define EDGE_LLM_LOLA_DEFT_STRATEGY_H

#include "lola-deft-cost-model.h"
#include "lola-deft-scheduler.h"

#include "ns3/lola-allocation-problem.h"
#include "ns3/strategy.h"

#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A LoLa DEFT round's decision: the problem its scheduler saw and what it chose.
 */
class LolaRoundPlan : public RoundPlan
{
  public:
    LolaAllocationProblem problem; //!< the costs and channels the scheduler saw
    LolaAllocation allocation;     //!< its blocks and shares
};

/**
 * \ingroup edge-llm
 * \brief What a LoLa DEFT task's kernel or tensor id names (LibTorch mode: a real-tensor engine
 * decodes the ids of the round's graph; without one they are ignored).
 */
enum class LolaTaskOp : uint8_t
{
    GRADIENT = 1,   //!< kernel (device k, block m): forward, backward down to m, keep m's gradient
    UPLOAD = 2,     //!< tensor (device k, block m): that gradient, to the server
    UPDATE = 3,     //!< kernel (server, block m): the optimizer step of block m
    PARAMETERS = 4, //!< tensor (device k): every block's parameters, from the server
};

/**
 * \ingroup edge-llm
 * \brief LoLa DEFT (device-edge cooperative fine-tuning): each round every parameter block is
 * fine-tuned by one device, chosen with its uplink share by the Scheduler (JBBA by default).
 *
 * A round: every involved device downloads the parameters the last round updated (with
 * SendUpdates, from the second round on), runs one iteration on a batch (forward through the
 * model, backward down to its block) and uploads its block's gradient, its exact bytes, to the
 * edge server over the OFDMA cell, which grants the scheduler's shares (uplink and downlink),
 * or over Wi-Fi, where the uploads that overlap contend for the channel and nobody grants
 * shares (the scheduler then sees each device's goodput alone and the contention's lengthening
 * of every transmission, and times the overlaps: SharedChannelMatcher); the server applies the
 * optimizer step to each block. The scheduler sees each device's uplink gain
 * this round (path loss and fading), its maximum transmit power, the cell's band, noise and MCS
 * gap: what a base station knows. rounds.csv's phase_s is the longest time from a device's compute
 * start to its upload's arrival (the paper's round latency: slowest compute plus upload), next to
 * the scheduler's prediction of it (phase_predicted_s).
 */
class LolaDeftStrategy : public Strategy
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    LolaDeftStrategy();
    ~LolaDeftStrategy() override;

    std::string Configure(const Fleet& fleet, const Workload& workload) override;
    std::string Plan(uint32_t round, NetworkState& network, Ptr<RoundPlan>& plan) override;
    Ptr<TaskGraph> Build(uint32_t round, Ptr<const RoundPlan> plan) override;
    double PredictRound(uint32_t round,
                        NetworkState& network,
                        Ptr<const RoundPlan> plan,
                        const TaskGraph& graph) override;
    void Observe(const RoundObservation& observation, RoundRecord& record) override;

    /** \return the costs Configure() computed */
    const LolaDeftCostModel& GetCosts() const;
    /** \return the fleet nodes that fine-tune, in problem order */
    const std::vector<uint32_t>& GetNodes() const;
    /** \return the scheduler */
    Ptr<LolaDeftScheduler> GetScheduler() const;
    /**
     * \param scheduler the scheduler to use
     */
    void SetScheduler(Ptr<LolaDeftScheduler> scheduler);

    /**
     * \brief The allocation problem of a round, from the network's state.
     * \param network the network this round
     * \param[out] problem the problem
     * \return "" or why there is none
     */
    std::string MakeProblem(NetworkState& network, LolaAllocationProblem& problem) const;

    /**
     * \param op what the task does
     * \param device k, the device's position in the strategy's devices (not its node)
     * \param block m
     * \return the kernel or tensor id of the task (never 0)
     */
    static uint64_t MakeTaskId(LolaTaskOp op, uint32_t device, uint32_t block);
    /**
     * \param id an id MakeTaskId made
     * \param[out] op what the task does
     * \param[out] device k
     * \param[out] block m
     */
    static void DecodeTaskId(uint64_t id, LolaTaskOp& op, uint32_t& device, uint32_t& block);

  protected:
    void DoDispose() override;

  private:
    Ptr<LolaDeftScheduler> m_scheduler; //!< decides each round
    uint32_t m_layersPerBlock{1};       //!< Transformer blocks per parameter block
    double m_usableMemoryFraction{0.9}; //!< share of a device's memory the model may use
    bool m_broadcast{false};            //!< whether devices download the last round's update
    LolaDeftCostModel m_costs;          //!< per device and block
    std::vector<uint32_t> m_nodes;      //!< the fine-tuning devices' nodes
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LOLA_DEFT_STRATEGY_H */
