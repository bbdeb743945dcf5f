/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_GALAXY_ENGINE_H
#define EDGE_LLM_TORCH_GALAXY_ENGINE_H

#include "ns3/galaxy-planning-problem.h"
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
 * \brief Settings of TorchGalaxyEngine.
 */
struct TorchGalaxyConfig
{
    TransformerSpec spec;        //!< an encoder-only model (small presets), fp32
    std::vector<uint32_t> nodes; //!< the devices' nodes, in GalaxyStrategy's device order
    uint32_t columnGranule{64};  //!< FFN columns per unit (GalaxyStrategy's ColumnGranule)
    uint64_t seed{1};            //!< the layers' weights and the prompt's hidden states
};

/**
 * \ingroup edge-llm
 * \brief Galaxy's inference with real tensors (LibTorch) over the simulated network: the ids of
 * GalaxyGraphBuilder's prefill graph without overlap (GalaxyTensorOp) name the work, the split
 * comes from GalaxyStrategy's Planned trace source (SetPlan).
 *
 * Every device starts from the same prompt states (seeded). ATTENTION (layer): the member's
 * heads of that layer and its partial sum of the output projection, kept chunk by chunk (a
 * chunk per ring member's tokens). REDUCE_SCATTER transfers carry a chunk's running sum
 * (fp32, exactly the transfer's bytes); the AGGREGATE that follows adds the arrived chunk to
 * the member's own. CONNECTIVE: the bias, the residual and the norm on the member's tokens.
 * ALL_GATHER transfers carry the members' rows; the next ATTENTION or MLP starts from their
 * concatenation. MLP: the member's FFN columns, a partial sum of the second projection.
 * Reference() is the whole model on one device (TorchEncoderBlock after TorchEncoderBlock).
 */
class TorchGalaxyEngine : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TorchGalaxyEngine();
    ~TorchGalaxyEngine() override;

    /**
     * \param config the settings
     * \return "" or what is wrong, naming the value
     */
    static std::string Validate(const TorchGalaxyConfig& config);

    /**
     * \brief Build the layers and the prompt (NS_FATAL_ERROR with Validate's message).
     * \param config the settings
     */
    void Configure(const TorchGalaxyConfig& config);

    /**
     * \brief Attach the kernels and tensors to a run's execution.
     * \param execution the runtime's execution
     */
    void Connect(Ptr<TaskGraphExecution> execution);

    /**
     * \brief The split the next round runs (GalaxyStrategy's Planned trace source).
     * \param plan heads, units and tokens per device
     */
    void SetPlan(const GalaxyPlan& plan);

    /**
     * \param device a device (GalaxyStrategy's order)
     * \return the last layer's output as that device holds it after the round, [sequence x
     * hidden] row by row (empty when it was not a ring member)
     */
    std::vector<float> GetOutput(uint32_t device) const;

    /** \return the whole model's output on one device, [sequence x hidden] row by row */
    std::vector<float> Reference() const;

    /** \return bytes the engine's tensors carried over the network so far */
    uint64_t GetCarriedBytes() const;

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

#endif /* EDGE_LLM_TORCH_GALAXY_ENGINE_H */
