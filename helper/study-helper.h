/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_STUDY_HELPER_H
#define EDGE_LLM_STUDY_HELPER_H

#include "edge-network-helper.h"

#include "ns3/callback.h"
#include "ns3/fault-injector.h"
#include "ns3/fleet.h"
#include "ns3/round-controller.h"
#include "ns3/round-record.h"
#include "ns3/strategy.h"
#include "ns3/task-graph-execution.h"
#include "ns3/workload.h"

#include <functional>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Runs one strategy for R rounds on a network built for it: installs the network
 * (EdgeNetworkHelper, configured through GetNetworkHelper()), the runtime at the chosen
 * fidelity, ns-3's radio energy models (Wi-Fi, packet level), the recorder (tasks.csv and
 * trace.json in the run's own folder) and a RoundController; runs the simulation and destroys
 * it. Each Run starts from a fresh simulator with the same streams, so runs of one study see
 * the same channel draws.
 */
class StudyHelper
{
  public:
    StudyHelper();

    /** \return the network helper every run installs from */
    EdgeNetworkHelper& GetNetworkHelper();
    /** \param fleet the devices */
    void SetFleet(const Fleet& fleet);
    /** \return the devices */
    const Fleet& GetFleet() const;
    /** \param workload the model, recipe and batch */
    void SetWorkload(const Workload& workload);
    /** \return the workload */
    const Workload& GetWorkload() const;
    /** \param fidelity "flow" or "packet" (NS_FATAL_ERROR otherwise) */
    void SetFidelity(const std::string& fidelity);
    /** \return "flow" or "packet" */
    const std::string& GetFidelity() const;
    /**
     * \param enable at the flow level, build the network without packet devices where its
     *        kind allows it (EdgeNetworkHelper::SetFlowOnly: Wi-Fi, LTE, CSMA, p2p); default true.
     *        false keeps the devices (their association and beacons cost wall time, not
     *        simulated time: the results are the same)
     */
    void SetFlowOnlyNetwork(bool enable);
    /** \return SetFlowOnlyNetwork's value */
    bool GetFlowOnlyNetwork() const;
    /**
     * \return whether a run builds a flow-only network: the flow level, SetFlowOnlyNetwork,
     *         and a kind that has one
     */
    bool UsesFlowOnlyNetwork() const;
    /** \param rounds rounds per run, > 0 */
    void SetRounds(uint32_t rounds);
    /** \return rounds per run */
    uint32_t GetRounds() const;
    /** \param directory the study's folder; each run writes into its own sub-folder */
    void SetOutputDirectory(const std::string& directory);
    /**
     * \param callback called with each run's controller before the simulation starts (connect
     * its RoundPlanned / RoundEnded traces there)
     */
    void SetControllerCallback(Callback<void, Ptr<RoundController>> callback);

    /**
     * \param callback called with each run's task-graph execution before the simulation
     * starts: a real-tensor engine (LibTorch) attaches its kernels and tensors there
     */
    void SetExecutionCallback(Callback<void, Ptr<TaskGraphExecution>> callback);

    /**
     * \brief Make devices fail during every run (FaultInjector), and turn the failure
     * detector on: every node sends the server a heartbeat each \p heartbeat, and the server
     * suspects a node silent for \p timeout (EdgeServerApplication FailureTimeout).
     * \param faults the faults (FaultInjector::CheckEvent each)
     * \param batteriesJ per group device (in node order): its battery in J (0: mains powered),
     *        an ns-3 BasicEnergySource fed by its compute (and, at packet level on Wi-Fi, its
     *        radio); empty: none
     * \param heartbeat the heartbeat period (> 0)
     * \param timeout the failure detector's timeout (> heartbeat)
     */
    void SetFaults(const std::vector<FaultEvent>& faults,
                   const std::vector<double>& batteriesJ,
                   Time heartbeat,
                   Time timeout);
    /**
     * \return what happened to the nodes in the last run (FaultInjector::GetLog), also written
     * to faults.csv in the run's folder
     */
    const std::vector<FaultRecord>& GetLastFaultLog() const;
    /**
     * Advances the simulation of one run to its end, in place of Simulator::Run: called with
     * a predicate that tells whether this rank's part of the run is over.
     */
    typedef std::function<void(const std::function<bool()>& finished)> SimulationDriver;

    /**
     * \brief Drive the simulation with \p driver instead of one Simulator::Run that the
     * server stops after the last round. A distributed (MPI) run needs it: a rank whose part
     * is over must go on simulating until every rank's is (its nodes still acknowledge what
     * others send), so the driver runs the simulator in slices and asks all ranks between
     * them (examples/edge-llm-mpi.cc).
     * \param driver the driver (empty: Simulator::Run)
     */
    void SetSimulationDriver(SimulationDriver driver);

    /**
     * \brief Run one strategy.
     * \param runName the run's name (its sub-folder and the records' run column)
     * \param strategy the system (configured by the controller with the fleet and workload)
     * \param[out] records the rounds that finished
     * \return "" or why the run stopped early (the rounds before it are in \p records)
     */
    std::string Run(const std::string& runName,
                    Ptr<Strategy> strategy,
                    std::vector<RoundRecord>& records) const;

  private:
    EdgeNetworkHelper m_network;                                 //!< network settings
    Fleet m_fleet;                                               //!< devices
    Workload m_workload;                                         //!< model, recipe, batch
    std::string m_fidelity{"flow"};                              //!< runtime fidelity
    bool m_flowOnlyNetwork{true};                                //!< SetFlowOnlyNetwork
    uint32_t m_rounds{1};                                        //!< rounds per run
    std::string m_outputDir{"results"};                          //!< study folder
    Callback<void, Ptr<RoundController>> m_controllerCallback;   //!< user hook
    Callback<void, Ptr<TaskGraphExecution>> m_executionCallback; //!< real-tensor hook
    std::vector<FaultEvent> m_faults;                            //!< SetFaults
    std::vector<double> m_batteriesJ;                            //!< SetFaults
    Time m_heartbeat;                                            //!< zero: no detector
    Time m_failureTimeout;                                       //!< SetFaults
    mutable std::vector<FaultRecord> m_lastFaults;               //!< the last run's
    SimulationDriver m_driver;                                   //!< empty: Simulator::Run
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_STUDY_HELPER_H */
