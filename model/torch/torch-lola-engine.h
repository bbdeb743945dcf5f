/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_LOLA_ENGINE_H
#define EDGE_LLM_TORCH_LOLA_ENGINE_H

#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/task-graph-execution.h"
#include "ns3/tensor-transport.h"
#include "ns3/transformer-spec.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Settings of TorchLolaEngine.
 */
struct TorchLolaConfig
{
    TransformerSpec spec;        //!< an encoder-only model (small presets)
    std::vector<uint32_t> nodes; //!< the devices' nodes, in LolaDeftStrategy's order
    uint32_t serverNode{0};      //!< the edge server's node
    uint32_t layersPerBlock{1};  //!< as the strategy's LayersPerBlock
    uint32_t batchSize{4};       //!< sequences of each device's batch (the workload's batch)
    double learningRate{1e-2};   //!< SGD step size of the server's update
    uint64_t seed{1};            //!< initial weights and data
};

/**
 * \ingroup edge-llm
 * \brief LoLa DEFT with real tensors (LibTorch): every device holds a replica of the model, the
 * server the master copy; the ids of LolaDeftStrategy's graph name the work (LolaTaskOp).
 *
 * GRADIENT (device k, block m), when k's backward task starts: the batch of round r and device
 * k (task batch r K + k) through the replica, the cross-entropy of a frozen classifier on the
 * mean-pooled output, backward with only block m's parameters requiring gradients; block m's
 * gradient is kept, flattened (fp32, in the block's parameter order). UPLOAD: those bytes,
 * exactly the transfer's, consumed at the server. UPDATE (block m) at the server: SGD on the
 * master's block m with the gradient that arrived. PARAMETERS (device k): the master's every
 * block, flattened, loaded into k's replica (with SendUpdates, before k computes). Embeddings
 * and the classifier stay frozen, as in LolaDeftCostModel.
 *
 * Reference() replays the rounds in one process without any network: per round, every
 * device-block pair's gradient on the same batch from the current master, then every update.
 */
class TorchLolaEngine : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TorchLolaEngine();
    ~TorchLolaEngine() override;

    /**
     * \param config the settings
     * \return "" or what is wrong
     */
    static std::string Validate(const TorchLolaConfig& config);

    /**
     * \brief Build the replicas (NS_FATAL_ERROR with Validate's message on bad settings).
     * \param config the settings
     */
    void Configure(const TorchLolaConfig& config);

    /**
     * \brief Attach the kernels and tensors to a run's execution.
     * \param execution the runtime's execution
     */
    void Connect(Ptr<TaskGraphExecution> execution);

    /** \return the number of blocks */
    uint32_t GetBlockCount() const;
    /**
     * \param block m
     * \return bytes of its parameters (fp32)
     */
    uint64_t GetBlockBytes(uint32_t block) const;
    /** \return the master's blocks, flattened (block order, each in parameter order) */
    std::vector<float> GetServerParameters() const;
    /** \return per round: per device its block or -1, as the rounds ran */
    std::vector<std::vector<int32_t>> GetAssignments() const;
    /**
     * \param assignments per round: per device its block or -1
     * \return the master's blocks after the same rounds computed in one process
     */
    std::vector<float> Reference(const std::vector<std::vector<int32_t>>& assignments) const;

  protected:
    void DoDispose() override;

  private:
    /// kernel callback (TaskGraphExecution)
    double RunKernel(uint32_t node, uint64_t kernelId, uint32_t iteration);
    /// tensor provider (TaskGraphExecution)
    TensorPayload ProvideTensor(uint32_t node, uint64_t tensorId, uint32_t iteration);
    /// tensor consumer (TaskGraphExecution)
    void ConsumeTensor(uint32_t node, uint64_t tensorId, uint32_t iteration, TensorPayload bytes);

    struct Impl;
    std::unique_ptr<Impl> m_impl; //!< the LibTorch state
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_LOLA_ENGINE_H */
