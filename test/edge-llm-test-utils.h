/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TEST_UTILS_H
#define EDGE_LLM_TEST_UTILS_H

#include "ns3/application-container.h"
#include "ns3/collapipe-round-model.h"
#include "ns3/data-rate.h"
#include "ns3/device-profile.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network.h"
#include "ns3/edge-server-application.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/task-graph.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * Set-up shared by the test suites and the benchmarks: fresh networks, the runtime running one
 * fixed task graph over them, the pipeline and CollaPipe inputs several suites build alike.
 */

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm-tests
 * \brief CollaPipe devices from the default catalog (data/devices.json).
 * \param fleet (profile name, linear uplink gain) per device, in chain order
 * \param energyBudget every device's energy budget per round (J)
 * \return the devices
 */
std::vector<CollaPipeDevice> MakeCollaPipeDevices(
    const std::vector<std::pair<std::string, double>>& fleet,
    double energyBudget);

/**
 * \ingroup edge-llm-tests
 * \brief The mobile devices of the default catalog: every profile but the A100 edge server, in
 * the catalog's order.
 * \return the profiles
 */
std::vector<DeviceProfile> GetCatalogMobileDevices();

/**
 * \ingroup edge-llm-tests
 * \brief A CollaPipe round configuration of a BERT-base-shaped encoder: \p layers blocks,
 * sequence length 128, batch 16, at most 8 micro-batches, 2 local iterations, lambda 1; the
 * other fields (bandwidth, noise, V) keep their defaults for the caller to set.
 * \param layers encoder blocks
 * \return the configuration
 */
CollaPipeConfig MakeBertBaseStackConfig(uint32_t layers);

/**
 * \ingroup edge-llm-tests
 * \brief \p devices profiles of \p device and, last, the server's.
 * \param devices how many devices
 * \param device catalog name of every device
 * \param server catalog name of the server
 * \return devices + 1 profiles, devices first
 */
std::vector<DeviceProfile> MakeFleetProfiles(uint32_t devices,
                                             const std::string& device = "jetson-tx2",
                                             const std::string& server = "edge-server-a100");

/**
 * \ingroup edge-llm-tests
 * \brief How to build a fresh network: the kind, and only the helper settings a caller gives
 * (the others keep EdgeNetworkHelper's defaults).
 */
struct TestNetworkSettings
{
    std::string kind{"p2p"};              //!< p2p, csma, wifi, ofdma
    std::optional<double> distance;       //!< radio device distance (m)
    std::optional<std::string> fading;    //!< radio fading (none, rayleigh, nakagami)
    std::optional<uint32_t> channelWidth; //!< Wi-Fi channel width (MHz)
    std::optional<DataRate> rate;         //!< wired link rate
    std::optional<Time> delay;            //!< wired link delay
    std::optional<double> errorRate;      //!< wired packet error rate
    bool flowOnly{false};                 //!< no packet devices (EdgeNetworkHelper::SetFlowOnly)
    uint32_t seed{1};                     //!< RngSeedManager seed
    uint32_t run{1};                      //!< RngSeedManager run
};

/**
 * \ingroup edge-llm-tests
 * \brief Seeds ns-3's random numbers, sets EdgeNetworkHelper's TCP defaults and installs a
 * network of \p devices devices and a server, its random streams from 100.
 * \param devices how many devices
 * \param settings the network
 * \return the network
 */
Ptr<EdgeNetwork> InstallTestNetwork(uint32_t devices, const TestNetworkSettings& settings);

/**
 * \ingroup edge-llm-tests
 * \brief Payload bytes each node's transport (TCP or flow level) received.
 * \param apps the runtime's applications, in node order
 * \return bytes by node
 */
std::vector<uint64_t> GetPayloadBytesPerNode(const ApplicationContainer& apps);

/**
 * \ingroup edge-llm-tests
 * \brief How RunFixedGraph runs the runtime.
 */
struct FixedGraphRunSettings
{
    std::string fidelity{"packet"}; //!< network fidelity (packet, flow)
    uint32_t iterations{1};         //!< the server's Iterations
    /// a profile per node; empty: Jetson TX2 devices and an A100 server (MakeFleetProfiles)
    std::vector<DeviceProfile> profiles;
    /// install on these nodes (devices, then the server) rather than on the network
    NodeContainer nodes;
    bool waitForNetwork{true};   //!< start the first iteration once the network is ready
    Time stopTime{Seconds(600)}; //!< Simulator::Stop
    /// called after the applications are started and before Simulator::Run (traces, recorders)
    std::function<void(EdgeLlmRuntimeHelper& runtime, ApplicationContainer& apps)> beforeRun;
    /// called after Simulator::Run and before Simulator::Destroy (state the run left)
    std::function<void(EdgeLlmRuntimeHelper& runtime, ApplicationContainer& apps)> afterRun;
};

/**
 * \ingroup edge-llm-tests
 * \brief What RunFixedGraph observed.
 */
struct FixedGraphRunResult
{
    std::vector<Time> iterationLatency;        //!< per completed iteration
    std::vector<uint64_t> payloadBytesPerNode; //!< payload bytes received, by node
    uint64_t payloadBytes{0};                  //!< payload bytes received, all nodes
    uint32_t completedIterations{0};           //!< the server's count
    double wallSeconds{0};                     //!< wall time of Simulator::Run
};

/**
 * \ingroup edge-llm-tests
 * \brief Runs \p graph every iteration over \p network with the runtime (analytic compute
 * model), then destroys the simulation.
 * \param graph the graph (nodes: devices, then the server)
 * \param network the network, freshly installed
 * \param settings how to run
 * \return what the run observed
 */
FixedGraphRunResult RunFixedGraph(Ptr<TaskGraph> graph,
                                  Ptr<EdgeNetwork> network,
                                  const FixedGraphRunSettings& settings);

/**
 * \ingroup edge-llm-tests
 * \brief A pipeline whose stage s runs on device s with explicit compute times; \p bytes of
 * activation and of gradient between neighbouring stages; no source, head or optimizer.
 * \param schedule the schedule
 * \param microBatches micro-batches
 * \param forward forward time per stage
 * \param backward backward time per stage (as many as \p forward)
 * \param bytes activation (and gradient) bytes between stages
 * \return the spec
 */
PipelineSpec MakeChainPipelineSpec(PipelineSchedule schedule,
                                   uint32_t microBatches,
                                   const std::vector<Time>& forward,
                                   const std::vector<Time>& backward,
                                   uint64_t bytes);

/**
 * \ingroup edge-llm-tests
 * \brief Builds a 1F1B pipeline over devices 0..n-1 (n = forward.size()) whose head, with the
 * loss, is the server (node n), into \p graph.
 * \param graph the graph (n + 1 nodes)
 * \param microBatches micro-batches
 * \param activationBytes activation (and gradient) bytes of every hop, the head's too
 * \param forward forward time per stage
 * \param backward backward time per stage
 * \param loss the head's loss time
 * \return the pipeline's tasks
 */
PipelineTasks BuildPipelineToServer(TaskGraph& graph,
                                    uint32_t microBatches,
                                    uint64_t activationBytes,
                                    const std::vector<Time>& forward,
                                    const std::vector<Time>& backward,
                                    Time loss);

/**
 * \ingroup edge-llm-tests
 * \brief Members 0..n of a collective after a pipeline over devices 0..n-1 to the server n.
 * \param tasks the pipeline's tasks
 * \param devices n
 * \return (group, after): every node, and per node its last pipeline task (none for the server)
 */
std::pair<std::vector<uint32_t>, std::vector<std::vector<uint32_t>>> GroupAfterPipeline(
    const PipelineTasks& tasks,
    uint32_t devices);

/**
 * \ingroup edge-llm-tests
 * \brief A pipeline of three stages on devices 0..2, micro-batches 3, fed by a source on
 * device 3 (1 ms forward) and ending in a head on device 4 (2 ms loss, the last boundary's
 * bytes both ways); no optimizer tasks.
 * \param schedule the schedule
 * \param forward every stage's forward time
 * \param backward every stage's backward time
 * \param boundaryBytes activation (and gradient) bytes after stage 0 and after stage 1
 * \param inputBytes the source's input bytes to stage 0
 * \return the spec
 */
PipelineSpec MakeSourceToHeadPipelineSpec(PipelineSchedule schedule,
                                          Time forward,
                                          Time backward,
                                          const std::vector<uint64_t>& boundaryBytes,
                                          uint64_t inputBytes);

/**
 * \ingroup edge-llm-tests
 * \brief A transfer with a label and no micro-batch.
 * \param source sending device
 * \param destination receiving device
 * \param bytes payload bytes
 * \param label the label
 * \param kind what it carries
 * \return the transfer
 */
TransferTask MakeLabelledTransfer(uint32_t source,
                                  uint32_t destination,
                                  uint64_t bytes,
                                  const std::string& label,
                                  TransferKind kind = TransferKind::OTHER);

/**
 * \ingroup edge-llm-tests
 * \brief "a b c" for a list of ids, to compare and print lists in assertions.
 * \param ids the ids
 * \return them joined by spaces
 */
std::string JoinIds(const std::vector<uint32_t>& ids);

/**
 * \ingroup edge-llm-tests
 * \param path a CSV file the module wrote (no quoted fields)
 * \param withHeader keep the header as the first row
 * \return its rows (without the header unless asked), each split at its commas
 */
std::vector<std::vector<std::string>> ReadCsvRows(const std::string& path, bool withHeader = false);

/**
 * \ingroup edge-llm-tests
 * \brief A value of a study's first round.
 * \param path a rounds.csv
 * \param column the column's name (e.g. "latency_s")
 * \return the first round's value, or -1 when the file, its row or the column is missing
 */
double ReadFirstRoundValue(const std::string& path, const std::string& column);

/**
 * \ingroup edge-llm-tests
 * \brief The growth exponent of a cost: the least-squares slope of log(cost) on log(size).
 * \param sizes the sizes
 * \param cost the costs
 * \return the exponent, NaN with fewer than 2 points
 */
double GetGrowthExponent(const std::vector<double>& sizes, const std::vector<double>& cost);

/**
 * \ingroup edge-llm-tests
 * \brief What a child process used, from the kernel (wait4).
 */
struct ProcessUsage
{
    bool ok{false};        //!< exited with status 0
    double cpuSeconds{0};  //!< user + system CPU time
    long peakKiB{0};       //!< peak resident set, KiB
    double wallSeconds{0}; //!< wall time
};

/**
 * \ingroup edge-llm-tests
 * \brief Run a program to completion in a child process (benchmarks: nothing of one run is
 * counted in another).
 * \param arguments the program's path and its arguments
 * \param outputPath where its standard output and error go ("/dev/null" to drop them)
 * \return what it used
 */
ProcessUsage RunProcess(const std::vector<std::string>& arguments, const std::string& outputPath);

/**
 * \ingroup edge-llm-tests
 * \brief The scale studies' CollaPipe round: BERT-base LoRA (batch 8), clusters of 7 devices
 * (Jetson TX2, Xavier NX, phone, in turn) and a laptop control unit, an A100 server, one round
 * of one local iteration at the flow level, the even split, seed 1 run 1; the caller adds the
 * network.
 * \param name the study's name
 * \param clusters the clusters
 * \return the scenario, without "network"
 */
nlohmann::json MakeClusterScaleScenario(const std::string& name, uint32_t clusters);

/**
 * \ingroup edge-llm-tests
 * \brief What a study run in a child process used, and its first round.
 */
struct StudyProcessUsage : public ProcessUsage
{
    std::string roundsCsv; //!< its rounds.csv (ReadFirstRoundValue reads it)
};

/**
 * \ingroup edge-llm-tests
 * \brief Run edge-llm-run on a scenario in a child process, its output to its own log.
 * \param program the edge-llm-run program
 * \param folder the run's folder (scenario.json and run.log there, the results under it)
 * \param scenario the scenario
 * \return what it used, and where its rounds are
 */
StudyProcessUsage RunStudyProcess(const std::string& program,
                                  const std::string& folder,
                                  const nlohmann::json& scenario);

/**
 * \ingroup edge-llm-tests
 * \brief Run one run of a shipped scenario (scenarios/) with its own seed and run number.
 * \param file the scenario's file name
 * \param run the run's name
 * \param rounds rounds
 * \param fidelity flow or packet
 * \param outputDir where its files go (rounds.csv, the run's folder)
 * \return "" or the problem (loading, selecting, or what the run wrote to its error stream)
 */
std::string RunShippedScenario(const std::string& file,
                               const std::string& run,
                               uint32_t rounds,
                               const std::string& fidelity,
                               const std::string& outputDir);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TEST_UTILS_H */
