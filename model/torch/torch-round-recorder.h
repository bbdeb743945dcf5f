/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_ROUND_RECORDER_H
#define EDGE_LLM_TORCH_ROUND_RECORDER_H

#include "torch-compute-engine.h"

#include "ns3/edge-server-application.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/task-graph.h"
#include "ns3/traced-callback.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One round of real training (one row of rounds.csv, plus the wall time).
 */
struct TorchRoundRecord
{
    uint32_t round{0};         //!< the round (ns-3 iteration)
    double latency{0};         //!< simulated seconds from the round's start to its end
    uint64_t bytes{0};         //!< bytes of every transfer of the round's graph
    double loss{0};            //!< mean loss over the round's steps of every replica
    double trainAccuracy{0};   //!< correct / samples over the round's steps of every replica
    double heldOutAccuracy{0}; //!< replica 0 on held-out sequences, after the round
    double wallSeconds{0};     //!< wall-clock seconds since Connect (not written to files)
};

/**
 * \ingroup edge-llm
 * \brief Records every round of a TorchComputeEngine run: when the server finishes a round
 * (its IterationCompleted trace), the round's simulated latency and bytes on the wire, the
 * mean training loss and accuracy of the round's steps (steps round * E .. round * E + E - 1
 * of every replica, E the local iterations) and the held-out accuracy of replica 0 (after
 * FedAvg every replica holds the same model). Write() puts rounds.csv (one row per round,
 * without the wall time: same seed, same file, byte for byte) and steps.csv (loss and accuracy
 * of every step of every replica) in the OutputDirectory.
 */
class TorchRoundRecorder : public Object
{
  public:
    /**
     * TracedCallback signature for a recorded round.
     * \param [in] record the round
     */
    typedef void (*RoundTracedCallback)(const TorchRoundRecord& record);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TorchRoundRecorder();
    ~TorchRoundRecorder() override;

    /**
     * \brief Record the rounds of a run; starts the wall clock.
     * \param engine the run's engine (its step records and held-out evaluation)
     * \param server the run's server (its IterationCompleted trace)
     * \param graph the graph every round runs (its transfer bytes)
     * \param localIterations steps per replica per round (E >= 1)
     */
    void Connect(Ptr<TorchComputeEngine> engine,
                 Ptr<EdgeServerApplication> server,
                 Ptr<TaskGraph> graph,
                 uint32_t localIterations);

    /// \return the rounds recorded so far
    const std::vector<TorchRoundRecord>& GetRecords() const;
    /// \return the path of rounds.csv
    std::string GetRoundsPath() const;
    /// \return the path of steps.csv
    std::string GetStepsPath() const;
    /**
     * \brief Write rounds.csv and steps.csv, creating the OutputDirectory; stops the run
     * (NS_FATAL_ERROR) when a file cannot be written.
     */
    void Write() const;

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief Record a finished round (EdgeServerApplication's IterationCompleted).
     * \param round the round
     * \param start its start
     * \param end its end
     */
    void OnRound(uint32_t round, Time start, Time end);

    Ptr<TorchComputeEngine> m_engine;                     //!< the run's engine
    Ptr<TaskGraph> m_graph;                               //!< the round's graph
    uint32_t m_localIterations{1};                        //!< E
    uint32_t m_evalSamples{512};                          //!< held-out sequences
    std::string m_outputDir;                              //!< where Write puts the files
    std::vector<TorchRoundRecord> m_records;              //!< one per round
    std::chrono::steady_clock::time_point m_wallStart;    //!< set by Connect
    TracedCallback<const TorchRoundRecord&> m_roundTrace; //!< RoundRecorded
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_ROUND_RECORDER_H */
