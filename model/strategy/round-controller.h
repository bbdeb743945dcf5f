/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_ROUND_CONTROLLER_H
#define EDGE_LLM_ROUND_CONTROLLER_H

#include "network-state.h"
#include "strategy.h"

#include "ns3/callback.h"
#include "ns3/edge-network.h"
#include "ns3/edge-server-application.h"
#include "ns3/object.h"
#include "ns3/round-record.h"
#include "ns3/run-recorder.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Runs any Strategy round after round on the runtime, at either fidelity, over any
 * network kind.
 *
 * It is the server's graph source: before each round it gives the strategy the network state
 * (channel gains drawn from the network's own loss chain), applies the plan's radio grants
 * (transmit powers; bandwidth shares where the OFDMA cell grants them) and hands the strategy's
 * graph to the server. When the recorder reports the round's statistics, it measures each
 * device's energy (compute from its profile, radio from ns-3's radio energy model where one is
 * installed, otherwise transmit power x sending time), lets the strategy observe them, and
 * keeps the round's record. A plan that fails stops the run: GetError() says why, and the
 * rounds before it are kept.
 *
 * \par Failures
 * When the server's failure detector (EdgeServerApplication FailureTimeout) suspects a device,
 * the controller abandons the round's attempt (TaskGraphExecution::Abort: compute in progress
 * is dropped, messages in flight are discarded when they arrive), tells every other node's
 * transport to forget the lost node, removes the device from the strategy's fleet
 * (Strategy::RemoveDevice) and restarts the round: the strategy plans it anew without the
 * device. The round's record says which nodes were lost, the time the failed attempts cost
 * (lostSeconds), the bytes abandoned, and its samples: those of its first plan, and of those
 * the ones the completed attempt did not train (dropped, with the reason). A lost control unit
 * or server, or a strategy that cannot re-plan, stops the run with the reason.
 */
class RoundController : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RoundController();
    ~RoundController() override;

    /// TracedCallback signature of RoundPlanned.
    typedef void (*RoundPlannedCallback)(uint32_t round, Ptr<const RoundPlan> plan);
    /// TracedCallback signature of RoundEnded.
    typedef void (*RoundEndedCallback)(const RoundRecord& record);
    /// TracedCallback signature of DeviceLost.
    typedef void (*DeviceLostCallback)(uint32_t round, uint32_t node);

    /**
     * \brief Cumulative radio energy (J) of a node, or a negative value when the node has no
     * radio energy model.
     */
    typedef Callback<double, uint32_t> RadioEnergySource;

    /**
     * \brief Wire a run: configure the strategy with the fleet and workload, become the
     * server's graph source and listen to the recorder's rounds.
     * \param runName the run's name in every record
     * \param strategy the system to run
     * \param fleet the devices (node layout as the network was installed)
     * \param workload the model, recipe and batch
     * \param network the installed network
     * \param server the runtime's server application
     * \param recorder the runtime's recorder
     * \return "" when wired, otherwise the strategy's or the fleet's problem
     */
    std::string Setup(const std::string& runName,
                      Ptr<Strategy> strategy,
                      const Fleet& fleet,
                      const Workload& workload,
                      Ptr<EdgeNetwork> network,
                      Ptr<EdgeServerApplication> server,
                      Ptr<RunRecorder> recorder);

    /** \param source the radio energy meter (ns-3's radio energy models, packet level) */
    void SetRadioEnergySource(RadioEnergySource source);

    /** \return every finished round's record, in order */
    const std::vector<RoundRecord>& GetRecords() const;

    /** \return "" or why the run stopped early */
    const std::string& GetError() const;

    /** \return the bytes the running round's task graph moves (0 before the first round) */
    uint64_t GetRoundBytes() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief Each node's Wi-Fi radio energy in a round at the flow level, by ns-3's
     * WifiRadioEnergyModel's currents per state (defaults) over the round's airtimes.
     * \param stats the round
     * \return joules per node
     */
    std::vector<double> EstimateWifiRadioEnergy(const IterationStats& stats);

    /// the server's graph source
    Ptr<TaskGraph> NextRound(uint32_t round);
    /// the recorder's round statistics
    void RoundEnded(const IterationStats& stats);
    /// stop the run with a problem
    Ptr<TaskGraph> Fail(uint32_t round, const std::string& problem);
    /// the server's failure detector suspects \p node: abandon the round, re-plan, restart
    void NodeSuspected(uint32_t node);
    /// \param graph a round's graph \return its samples: (first, count) per task, sorted
    static std::vector<std::pair<uint64_t, uint64_t>> GetSampleRanges(const TaskGraph& graph);

    std::string m_runName;                 //!< the run's name
    Ptr<Strategy> m_strategy;              //!< the system
    Fleet m_fleet;                         //!< the devices
    Ptr<EdgeNetwork> m_network;            //!< the network
    Ptr<RunRecorder> m_recorder;           //!< the runtime's recorder (the rounds' task records)
    std::unique_ptr<NetworkState> m_state; //!< what the strategy may know of it
    Ptr<const RoundPlan> m_plan;           //!< the running round's plan
    Ptr<const TaskGraph> m_graph;          //!< the running round's task graph
    RadioEnergySource m_radioEnergy;       //!< radio energy meter, or null
    std::vector<double> m_lastRadioJ;      //!< per device: meter reading at the last round end
    std::vector<RoundRecord> m_records;    //!< finished rounds
    std::string m_error;                   //!< why the run stopped early
    Ptr<EdgeServerApplication> m_server;   //!< the runtime's server (restarts rounds)
    bool m_restarting{false};              //!< the next NextRound restarts the round
    Time m_roundStart;                     //!< when the running round began
    Time m_attemptStart;                   //!< when its current attempt began
    /// samples of the running round's first plan: (first, count), sorted
    std::vector<std::pair<uint64_t, uint64_t>> m_plannedSamples;
    std::vector<uint32_t> m_roundFailures; //!< nodes lost in the running round
    /// samples abandoned attempts trained that the round kept (it resumed from them)
    std::vector<std::pair<uint64_t, uint64_t>> m_carriedSamples;
    uint64_t m_roundBytesLost{0};                         //!< in flight or queued when abandoned
    uint64_t m_discardedAtRoundStart{0};                  //!< the execution's discarded bytes then
    TracedCallback<uint32_t, uint32_t> m_deviceLostTrace; //!< DeviceLost
    bool m_warnedShares{false}; //!< shares ignored by this network were logged

    TracedCallback<uint32_t, Ptr<const RoundPlan>> m_roundPlannedTrace; //!< RoundPlanned
    TracedCallback<const RoundRecord&> m_roundEndedTrace;               //!< RoundEnded
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_ROUND_CONTROLLER_H */
