/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_ROUND_RECORD_H
#define EDGE_LLM_ROUND_RECORD_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One fleet device in one round: a row of round_devices.csv.
 */
struct DeviceRoundRecord
{
    uint32_t node{0};           //!< node index
    std::string name;           //!< its profile's name
    uint32_t blocks{0};         //!< model blocks it held (0: idle)
    double txPowerDbm{0};       //!< transmit power the plan granted
    double energyJ{0};          //!< compute plus radio energy of the round (J)
    double radioEnergyJ{0};     //!< radio energy of the round (J)
    double queue{0};            //!< its energy virtual queue after the round (J; 0 if none)
    double predictedEnergyJ{0}; //!< the scheduler's prediction of energyJ (0: none made)
    int32_t block{-1};          //!< LoLa DEFT: the parameter block it fine-tuned (-1: none)
    double bandwidthShare{0};   //!< share of the uplink band the plan granted (0: none)
    double computeSeconds{0};   //!< measured: its compute tasks' time in the round
    double uploadSeconds{0};    //!< measured: its uploads' time in the round
    uint64_t memoryBytes{0};    //!< memory its part of the round needed (0: not reported)
    /// serving: its KV cache at the longest context, part of memoryBytes (the cache grows
    /// linearly with the context: prompt plus generated tokens fed back)
    uint64_t kvCacheBytes{0};
};

/**
 * \ingroup edge-llm
 * \brief One round of one run: a row of rounds.csv, and its devices. RoundController fills the
 * measured part, the strategy what it decided and learned.
 */
struct RoundRecord
{
    std::string run;                //!< the run's name (its scheduler or strategy)
    uint32_t round{0};              //!< round index
    double latencySeconds{0};       //!< simulated round latency
    double computeSeconds{0};       //!< the busiest node's compute time
    double communicationSeconds{0}; //!< union of all transfer intervals
    double bubble{0};               //!< mean idle fraction of the active nodes
    double predictedSeconds{0};     //!< the scheduler's prediction of the latency
    double efficiency{0};           //!< busy over (nodes x latency)
    uint32_t microBatches{0};       //!< micro-batches per iteration (0: not pipelined)
    uint64_t samples{0}; //!< training sequences the round processed (all pipelines, iterations)
    uint64_t maxMemoryBytes{0}; //!< largest memory a device needed
    double energyJ{0};          //!< sum of the devices' energy
    uint64_t bytes{0};          //!< bytes the round's transfers moved
    uint64_t backhaulBytes{0};  //!< multi-cell: bytes of the transfers across the backhaul
    double backhaulSeconds{0};  //!< multi-cell: union of those transfers' intervals
    std::vector<DeviceRoundRecord> devices; //!< the fleet's devices, by node
    /// the phase the round ran, for systems whose rounds differ in kind (PAC: "pipeline",
    /// "pipeline+cache", "cached"), or the part of the round phaseSeconds measures (LoLa DEFT:
    /// "upload"); empty otherwise
    std::string phase;
    /// PAC: the whole phase's time when the round simulated a sample of its identical steps
    /// (latency x steps of the phase / steps simulated); LoLa DEFT: when the last upload
    /// arrived (compute plus upload, the paper's round latency); 0 when not used
    double phaseSeconds{0};
    /// the phase's bytes (PAC: scaled as phaseSeconds; LoLa DEFT: the uploads'); 0 when not used
    uint64_t phaseBytes{0};
    /// the scheduler's prediction of phaseSeconds (0: none made)
    double phasePredictedSeconds{0};
    /// serving (a round is one request, Galaxy): when the request arrived, from the first
    /// request's time origin (0 when not used)
    double arrivalSeconds{0};
    double queueSeconds{0}; //!< serving: its wait before its round started
    /// serving: tokens the request generated (0: a prefill, or no serving)
    uint32_t generatedTokens{0};
    /// serving: time to first token, wait included (0 when no token was generated)
    double firstTokenSeconds{0};
    double perTokenSeconds{0};            //!< serving: mean time per later token
    double predictedFirstTokenSeconds{0}; //!< the planner's firstTokenSeconds without the wait
    double predictedPerTokenSeconds{0};   //!< the planner's perTokenSeconds
    uint32_t promptTokens{0};             //!< serving: the request's prompt
    /// serving: when each generated token was ready, from the start of the request's service
    std::vector<double> tokenSeconds;
    /// nodes the failure detector declared lost during the round, in detection order
    std::vector<uint32_t> failedNodes;
    /// when the round's last restart began, from the round's start: the time the failed
    /// attempts cost, detection included (0 without a failure)
    double lostSeconds{0};
    /// training samples of the round's first plan (its graph's ComputeTask::samples)
    uint64_t samplesPlanned{0};
    /// of those, the samples the completed attempt did not train (a device that left took its
    /// shard), each counted once
    uint64_t samplesDropped{0};
    /// why samplesDropped were dropped (empty when none were)
    std::string dropReason;
    /// payload bytes in flight when an attempt was abandoned, and queued to the lost nodes
    uint64_t bytesLost{0};
    /// payload bytes of abandoned attempts that arrived after the abandon and were discarded
    uint64_t bytesDiscarded{0};
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_ROUND_RECORD_H */
