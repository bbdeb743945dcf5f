/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_TRAINING_GRAPH_BUILDER_H
#define EDGE_LLM_TORCH_TRAINING_GRAPH_BUILDER_H

#include "torch-compute-engine.h"

#include "ns3/pipeline-schedule-builder.h"
#include "ns3/ptr.h"
#include "ns3/task-graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Where one replica (a CollaPipe cluster) runs: the data owner that runs the embedding,
 * then one device per segment, in pipeline order.
 */
struct TorchClusterLayout
{
    uint32_t source{0};                 //!< node of the embedding (control unit, data owner)
    std::vector<uint32_t> stageDevices; //!< node of segment s (one per segment)
};

/**
 * \ingroup edge-llm
 * \brief One round of real training: every cluster trains \c localIterations pipeline steps,
 * then (optionally) FedAvg over the clusters.
 */
struct TorchTrainingPlan
{
    std::vector<TorchClusterLayout> clusters; //!< one per replica of the engine
    uint32_t server{0};                       //!< node of the heads, the loss and FedAvg
    uint32_t localIterations{1};              //!< pipeline steps per round (0 only with FedAvg)
    bool fedAvg{false};                       //!< end the round with FedAvg
    PipelineSchedule schedule{PipelineSchedule::ONE_F_ONE_B}; //!< per-stage order
};

/**
 * \ingroup edge-llm
 * \brief Builds the task graph of a TorchTrainingPlan with real kernels (ComputeTask::kernelId)
 * and real tensors (TransferTask::tensorId) of a TorchComputeEngine.
 *
 * Each local iteration of each cluster is a PipelineScheduleBuilder pipeline (source =
 * embedding, stages = segments, head = the server's head and loss); a node's iteration e+1
 * follows its own iteration e. FedAvg: every source and stage device uploads the parameters of
 * its unit to the server (PARAMETERS transfers), the server averages each unit over the
 * clusters (AGGREGATE with the FEDAVG kernel; the heads are averaged in place) and sends the
 * mean back, and each device installs it (AGGREGATE with the LOAD_PARAMETERS kernel). Every
 * transfer's bytes are the engine's GetTensorBytes of its tensor; compute costs are the
 * engine's EstimateFlops, priced by the run's ComputeModel.
 */
class TorchTrainingGraphBuilder
{
  public:
    /**
     * \brief Check a plan against the engine's configuration.
     * \param config the engine's configuration
     * \param plan the plan
     * \param nodeCount nodes of the run
     * \return "" or the first problem, e.g. "clusters[0].stageDevices has 2 devices but
     *         segmentLayers has 3 segments; give one device per segment"
     */
    static std::string Validate(const TorchEngineConfig& config,
                                const TorchTrainingPlan& plan,
                                uint32_t nodeCount);

    /**
     * \brief Build one round; NS_FATAL_ERROR with Validate's message on bad input.
     * \param engine a configured engine (its ids and tensor sizes are used)
     * \param plan the plan
     * \param nodeCount nodes of the run
     * \return the graph
     */
    static Ptr<TaskGraph> BuildRound(Ptr<TorchComputeEngine> engine,
                                     const TorchTrainingPlan& plan,
                                     uint32_t nodeCount);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_TRAINING_GRAPH_BUILDER_H */
