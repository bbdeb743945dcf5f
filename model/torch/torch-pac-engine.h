/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_PAC_ENGINE_H
#define EDGE_LLM_TORCH_PAC_ENGINE_H

#include "ns3/object.h"
#include "ns3/pac-training-strategy.h"
#include "ns3/ptr.h"
#include "ns3/task-graph-execution.h"
#include "ns3/tensor-transport.h"
#include "ns3/training-recipe.h"
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
 * \brief Settings of TorchPacEngine.
 */
struct TorchPacConfig
{
    TransformerSpec spec;          //!< an encoder-only model (small presets)
    TrainingRecipe recipe;         //!< parallel-adapters, fp32: the side width and side blocks
    uint32_t batchSize{8};         //!< samples per step (the workload's batch)
    std::vector<uint32_t> nodes;   //!< planner device -> node (PacTrainingStrategy's order)
    std::string optimizer{"adam"}; //!< "adam" or "sgd"
    double learningRate{1e-3};     //!< the optimizer's learning rate
    uint64_t seed{1};              //!< weights and data (ns-3's seed and run number)
};

/**
 * \ingroup edge-llm
 * \brief PAC's epochs that pipeline, with real tensors (LibTorch) over the simulated network:
 * hybrid data + pipeline parallelism of the side network beside a frozen backbone, run from
 * the PacTensorId of PacGraphBuilder's tasks, the plan from PacTrainingStrategy's Planned trace
 * source (SetPlan).
 *
 * The model is the cost model's, layer for layer: layer 0 the frozen embedding (token and
 * position tables), layers 1..L the frozen encoder blocks, each with a side block when the
 * recipe gives it one (the tap u = z + x A + a, then the ladder layer u + GELU(u B + c) or,
 * with TrainingRecipe::sideTransformer, a Transformer block of the side's shape), layer L + 1
 * the head: the side stream up-projected (trainable), added to the backbone's last state,
 * mean-pooled and classified by a frozen linear layer (the backbone's head is frozen under
 * parallel adapters, as in the cost model, whose trainable bytes the AllReduce carries).
 *
 * FORWARD: a device's samples of a micro-batch (its slice: the plan's sample counts in group
 * order) through its stage's layers; the first stage embeds the seeded synthetic task's
 * batch (step index = the run's step), the last computes the loss, summed over the samples and
 * divided by the batch, so that the gradients the groups add up are the batch mean's.
 * ACTIVATION: the backbone state and the side state of the samples two devices share.
 * BACKWARD: from the loss (last stage) or from the side gradients that arrived. GRADIENT: the
 * side state's input gradient of the shared samples. ALL_REDUCE: ring chunks of the stage's
 * flattened trainable gradients (the running sum in the first phase, the reduced chunk in the
 * second); the AGGREGATE adds an arrived chunk. UPDATE: Adam on the reduced gradients.
 * Reference() trains the same model on the whole batch in one process.
 *
 * Every device starts from the same seeded weights. Labels are known to the last stage (the
 * seeded task; not sent). Refused: the CACHED phase (set the strategy's ActivationCache off),
 * a device whose layers change between rounds (no parameter migration).
 */
class TorchPacEngine : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TorchPacEngine();
    ~TorchPacEngine() override;

    /// largest model (parameters) the engine accepts: it trains on this host's CPU
    static constexpr uint64_t MAX_PARAMETERS = 20000000;

    /**
     * \param config the settings
     * \return "" or what is wrong, naming the value
     */
    static std::string Validate(const TorchPacConfig& config);

    /**
     * \brief Build every device's model and the task (NS_FATAL_ERROR with Validate's message).
     * \param config the settings
     */
    void Configure(const TorchPacConfig& config);

    /**
     * \brief Attach the kernels and tensors to a run's execution.
     * \param execution the runtime's execution
     */
    void Connect(Ptr<TaskGraphExecution> execution);

    /**
     * \brief The plan of the next round (PacTrainingStrategy's Planned trace source).
     * \param round the round
     * \param plan its plan
     */
    void SetPlan(uint32_t round, Ptr<const PacRoundPlan> plan);

    /**
     * \param device a planner device
     * \return per layer, its trainable parameters as that device holds them, flattened (empty
     * for layers outside its stage and layers that train nothing)
     */
    std::vector<std::vector<float>> GetLayerParameters(uint32_t device) const;

    /**
     * \brief Train the same model on the same batches in one process, whole batches, no
     * network.
     * \param steps steps
     * \return per layer its trainable parameters after them, flattened
     */
    std::vector<std::vector<float>> Reference(uint32_t steps) const;

    /** \return per step run so far, the batch's mean loss (before the step's update) */
    std::vector<double> GetStepLosses() const;

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

#endif /* EDGE_LLM_TORCH_PAC_ENGINE_H */
