/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COLLAPIPE_GRAPH_BUILDER_H
#define EDGE_LLM_COLLAPIPE_GRAPH_BUILDER_H

#include "ns3/layer-cost.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/task-graph.h"
#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One CollaPipe cluster: a control unit that holds the data and runs the embedding, and
 * a chain of devices, each training a contiguous segment of encoder blocks.
 */
struct CollaPipeCluster
{
    uint32_t controlUnit{0};       //!< node index of the control unit
    std::vector<uint32_t> devices; //!< node indices, in pipeline order
    /// encoder blocks per device (sum = encoder layers); 0: the device idles this round, the
    /// pipeline and FedAvg skip it
    std::vector<uint32_t> segmentBlocks;
    /// the edge server of the cluster's cell, which runs its decoder (or task head) and
    /// averages its cell's clusters first; NO_CELL_SERVER (default): the plan's server (one
    /// cell)
    uint32_t cellServer{NO_CELL_SERVER};
    /// cellServer's default
    static constexpr uint32_t NO_CELL_SERVER = UINT32_MAX;
};

/**
 * \ingroup edge-llm
 * \brief What a CollaPipe round executes: the clusters, the edge server that runs the decoder
 * (or task head) and averages the encoders, the micro-batch count and the local iterations.
 */
struct CollaPipePlan
{
    std::vector<CollaPipeCluster> clusters; //!< the clusters
    /// node index of the edge server; with several cells (clusters' cellServer), the
    /// aggregation server behind the backhaul
    uint32_t server{0};
    uint32_t microBatches{1};    //!< M micro-batches per iteration
    uint32_t localIterations{1}; //!< E pipeline iterations per round, then FedAvg
    PipelineSchedule schedule{PipelineSchedule::ONE_F_ONE_B}; //!< per-stage order
    /// after each local iteration but the last, every device and control unit sends the
    /// parameters it trains to the server (a checkpoint), so that a round cut short by a
    /// failure can resume from the last iteration checkpointed (Recovery=resume)
    bool checkpoint{false};
    /// the first local iteration to run: > 0 when a round resumes from a checkpoint; the
    /// round then begins with the server sending every device and control unit the
    /// checkpointed parameters of what it now trains
    uint32_t firstIteration{0};
};

/**
 * \ingroup edge-llm
 * \brief What a plain federated learning round executes (a CollaPipe baseline): every device
 * trains its own full copy of the averaged layers on its own data, then FedAvg on the server.
 */
struct PlainFlPlan
{
    std::vector<uint32_t> devices; //!< node indices of the training devices (not the server)
    uint32_t server{0};            //!< node index of the edge server that averages
    uint32_t microBatches{1};      //!< M micro-batches per local iteration (gradient accumulation)
    uint32_t localIterations{1};   //!< E local iterations per round, then FedAvg
    /// false (default): each device trains and averages the encoder blocks only, as
    /// CollaPipeRoundModel::EvaluatePlainFl prices it; true: the whole model (embedding, encoder,
    /// decoder embedding and blocks, output head), every trainable parameter averaged
    bool wholeModel{false};
};

/**
 * \ingroup edge-llm
 * \brief Turns a CollaPipe plan into task graphs.
 *
 * Layers come from LayerCostModel in execution order: the embedding (on the control unit), the
 * encoder blocks (cut into the devices' segments), then everything after the encoder (decoder
 * embedding and blocks, output head) on the server, whose forward and backward form one LOSS
 * task per micro-batch. Per micro-batch: the embedding's output goes to the first device, each
 * segment's boundary activation to the next device, the last segment's output to the server;
 * the gradients return the same way, and every node steps its optimizer after its last
 * backward. A round is E such iterations (iteration e+1 of a node after its own iteration e),
 * then FedAvg: every device and control unit uploads its parameters to the server, the server
 * averages each layer over the clusters and sends every node the averaged parameters of the
 * layers it holds. Transfers carry the exact bytes: boundary activation (and gradient) bytes of
 * a micro-batch, parameter bytes of a segment.
 *
 * With several cells (clusters whose cellServer is not the plan's server) each cluster's
 * decoder runs on its cell's server, and FedAvg is hierarchical: each cell's server averages
 * its clusters' uploads, sends the cell's average of every trained layer (its decoder's
 * included) up the backhaul to the plan's server, which averages over the cells and sends the
 * result back down; each cell's server then sends its nodes their layers.
 */
class CollaPipeGraphBuilder
{
  public:
    /**
     * \param spec the model (with an encoder)
     * \param recipe the recipe; microBatchSize is the size of one micro-batch
     * \param plan the plan
     * \param nodeCount nodes of the run
     * \return "" or the first problem
     */
    static std::string Validate(const TransformerSpec& spec,
                                const TrainingRecipe& recipe,
                                const CollaPipePlan& plan,
                                uint32_t nodeCount);

    /**
     * \brief A round: E iterations in every cluster, then FedAvg. NS_FATAL_ERROR on bad input.
     * \param spec the model
     * \param recipe the recipe
     * \param plan the plan
     * \param nodeCount nodes of the run
     * \return the graph
     */
    static Ptr<TaskGraph> BuildRound(const TransformerSpec& spec,
                                     const TrainingRecipe& recipe,
                                     const CollaPipePlan& plan,
                                     uint32_t nodeCount);

    /**
     * \brief As BuildRound, and say which transfers checkpoint each local iteration.
     * \param spec the model
     * \param recipe the recipe
     * \param plan the plan
     * \param nodeCount nodes of the run
     * \param[out] checkpoints per local iteration (index: iteration - firstIteration), the
     *             checkpoint transfers (empty without CollaPipePlan::checkpoint)
     * \return the graph
     */
    static Ptr<TaskGraph> BuildRound(const TransformerSpec& spec,
                                     const TrainingRecipe& recipe,
                                     const CollaPipePlan& plan,
                                     uint32_t nodeCount,
                                     std::vector<std::vector<uint32_t>>& checkpoints);

    /**
     * \param spec the model
     * \param recipe the recipe
     * \param cluster a cluster
     * \param device position of a device in the cluster's chain
     * \return the parameter bytes of that device's segment (what it uploads in FedAvg)
     */
    static uint64_t GetSegmentParameterBytes(const TransformerSpec& spec,
                                             const TrainingRecipe& recipe,
                                             const CollaPipeCluster& cluster,
                                             uint32_t device);

    /**
     * \brief Check a plain-FL plan.
     * \param spec the model (with an encoder)
     * \param recipe the recipe (training); microBatchSize is the size of one micro-batch
     * \param plan the plan
     * \param nodeCount nodes of the run
     * \return "" or the first problem, e.g. "devices[1]=4 is the server; the server averages
     *         and trains no copy in plain FL"
     */
    static std::string ValidatePlainFl(const TransformerSpec& spec,
                                       const TrainingRecipe& recipe,
                                       const PlainFlPlan& plan,
                                       uint32_t nodeCount);

    /**
     * \brief A plain federated learning round; NS_FATAL_ERROR with ValidatePlainFl's message on
     * bad input.
     *
     * Which layers a device runs: by default the encoder blocks (layer-list positions
     * 1..encoderLayers) and nothing else, because CollaPipeRoundModel::EvaluatePlainFl prices
     * exactly those (c_i = M x forward+backward FLOPs of the L blocks / achieved FLOP/s) and
     * uploads exactly their parameters: the embedding and the head cost the same in every
     * scheduler and the baseline compares the encoder's work. With \c wholeModel the device also
     * runs the embedding and everything after the encoder (the decoder or task head, which the
     * server runs in CollaPipe) and every trainable parameter is averaged: in plain FL nothing
     * is split.
     *
     * On each device, in program order: for each of the E local iterations, for each of the M
     * micro-batches one FORWARD then one BACKWARD task over those layers (gradient accumulation:
     * one micro-batch of activations alive at a time), then one OPTIMIZER step. The devices
     * train concurrently on their own data, so no data moves during training. Then FedAvg: each
     * device uploads its trainable parameter bytes (LayerCostModel trainableParameterBytes) to
     * the server (kind PARAMETERS), the server averages (one AGGREGATE, 2 FLOPs per parameter
     * per device, as in BuildRound) and sends every device the same bytes back.
     * \param spec the model
     * \param recipe the recipe
     * \param plan the plan
     * \param nodeCount nodes of the run
     * \return the graph
     */
    static Ptr<TaskGraph> BuildPlainFlRound(const TransformerSpec& spec,
                                            const TrainingRecipe& recipe,
                                            const PlainFlPlan& plan,
                                            uint32_t nodeCount);

    /**
     * \param spec the model
     * \param recipe the recipe
     * \param plan the plan (its \c wholeModel chooses the layers)
     * \return the first and last layer-list position one plain-FL device runs
     */
    static std::pair<uint32_t, uint32_t> GetPlainFlLayerRange(const TransformerSpec& spec,
                                                              const TrainingRecipe& recipe,
                                                              const PlainFlPlan& plan);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COLLAPIPE_GRAPH_BUILDER_H */
