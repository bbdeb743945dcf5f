/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_COMPUTE_ENGINE_H
#define EDGE_LLM_TORCH_COMPUTE_ENGINE_H

#include "synthetic-classification-task.h"

#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/task-graph-execution.h"
#include "ns3/tensor-transport.h"
#include "ns3/traced-callback.h"
#include "ns3/transformer-spec.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What a kernel of the LibTorch engine does (part of its kernel id).
 */
enum class TorchKernelOp : uint8_t
{
    EMBED_FORWARD = 1,    //!< token + position embedding of a micro-batch (data owner)
    SEGMENT_FORWARD = 2,  //!< forward of a segment's encoder blocks on a received activation
    HEAD_LOSS = 3,        //!< head forward, loss, head backward; sends the input gradient
    SEGMENT_BACKWARD = 4, //!< backward of a segment with a received output gradient
    EMBED_BACKWARD = 5,   //!< backward of the embedding with a received gradient
    OPTIMIZER_STEP = 6,   //!< optimizer step of one unit (then its gradients are zeroed)
    FEDAVG = 7,           //!< server: element-wise mean of one unit over the replicas
    LOAD_PARAMETERS = 8,  //!< device: install the averaged parameters of one unit
};

/**
 * \ingroup edge-llm
 * \brief What a tensor of the LibTorch engine holds (part of its tensor id).
 */
enum class TorchTensorKind : uint8_t
{
    ACTIVATION = 1,      //!< output of unit index, per micro-batch
    GRADIENT = 2,        //!< gradient of the output of unit index, per micro-batch
    PARAMETERS_UP = 3,   //!< a replica's unit parameters, flattened, to the server
    PARAMETERS_DOWN = 4, //!< averaged unit parameters, flattened, from the server
};

/**
 * \ingroup edge-llm
 * \brief The model and training set-up of a TorchComputeEngine.
 *
 * The model is cut into units: unit 0 is the embedding (token and learned position tables),
 * units 1..S are the segments (segmentLayers[s-1] consecutive encoder blocks each), unit S+1 is
 * the classification head (mean over the sequence, then a linear layer) with the
 * cross-entropy loss. Each replica (a CollaPipe cluster) holds its own copy of every unit.
 */
struct TorchEngineConfig
{
    TransformerSpec spec;                //!< an encoder-only model (small presets)
    std::vector<uint32_t> segmentLayers; //!< encoder blocks per segment (sum = encoderLayers)
    uint32_t replicas{1};                //!< model replicas (clusters), 1..255
    uint32_t microBatches{1};            //!< micro-batches per step, 1..65535
    uint32_t microBatchSize{4};          //!< sequences per micro-batch (>= 1)
    std::string optimizer{"adam"};       //!< "adam" or "sgd"
    double learningRate{1e-3};           //!< > 0
};

/**
 * \ingroup edge-llm
 * \brief Loss and accuracy of one training step of one replica, as its head computed them.
 */
struct TorchStepRecord
{
    uint32_t step{0};    //!< training step (iteration * local iterations + local iteration)
    uint32_t replica{0}; //!< replica (cluster)
    double loss{0};      //!< mean cross-entropy over the step's samples
    uint32_t correct{0}; //!< samples classified correctly (before the update)
    uint32_t samples{0}; //!< samples of the step
};

/**
 * \ingroup edge-llm
 * \brief Runs the task graph's kernels for real with LibTorch: Transformer encoder segments on
 * the devices, the classification head and loss on the server, optimizer steps, FedAvg; and
 * turns tensors into the bytes of transfers and back.
 *
 * Every tensor a kernel reads from another node is one the consumer rebuilt from the bytes that
 * arrived (TaskGraphExecution's payload callbacks), so what a device computes on is what
 * crossed the simulated network. Tensors are fp32, serialized as numel * 4 bytes in native
 * (little-endian) order; shapes are implied by the tensor id and the configuration.
 *
 * Determinism: Configure seeds LibTorch from RngSeedManager's seed and run (torch::manual_seed)
 * and runs LibTorch single-threaded; there is no dropout. Every replica starts from the same
 * parameters (the FedAvg convention). Labels of the synthetic task are known to the head (a
 * documented simplification: they are not sent over the network).
 *
 * Only torch-compute-engine.cc includes LibTorch headers (the model lives behind a pimpl).
 */
class TorchComputeEngine : public Object
{
  public:
    /**
     * TracedCallback signature for a finished step of a replica.
     * \param [in] step the training step
     * \param [in] replica the replica
     * \param [in] loss its mean cross-entropy
     * \param [in] accuracy the fraction of its samples classified correctly
     */
    typedef void (*StepTracedCallback)(uint32_t step,
                                       uint32_t replica,
                                       double loss,
                                       double accuracy);

    /**
     * TracedCallback signature for a kernel that ran.
     * \param [in] node the node
     * \param [in] kernelId the kernel
     * \param [in] seconds its wall time
     */
    typedef void (*KernelTracedCallback)(uint32_t node, uint64_t kernelId, double seconds);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    TorchComputeEngine();
    ~TorchComputeEngine() override;

    /// largest model (parameters) the engine accepts: it really trains on this host's CPU
    static constexpr uint64_t MAX_PARAMETERS = 20000000;

    /**
     * \brief Check a configuration.
     * \param config the configuration
     * \return "" or the first problem, e.g. "model='bert-base' has 109482240 parameters, more
     *         than the LibTorch engine's limit of 20000000; use a small preset (tiny-encoder,
     *         mini-encoder)" or "segmentLayers[1]=0 is invalid: every segment holds at least
     *         one encoder block"
     */
    static std::string Validate(const TorchEngineConfig& config);

    /**
     * \brief Build the model (every replica) and the synthetic task from the run's seed.
     * \param config the configuration; NS_FATAL_ERROR with Validate's message when invalid
     */
    void Configure(const TorchEngineConfig& config);

    /// \return the configuration
    const TorchEngineConfig& GetConfig() const;
    /// \return the number of units: segments + 2 (embedding, head)
    uint32_t GetUnitCount() const;
    /// \return the synthetic task (after Configure)
    const SyntheticClassificationTask& GetTask() const;

    /**
     * \param localIterations training steps per ns-3 iteration (round); a kernel of local
     *        iteration e in iteration i trains on step i * localIterations + e
     */
    void SetLocalIterations(uint32_t localIterations);

    /**
     * \brief Kernel id of a compute task (never 0).
     * \param op what it does
     * \param replica the replica (0 for FEDAVG)
     * \param localIteration local iteration within the round (< 256)
     * \param unit the unit
     * \param microBatch the micro-batch (0 when none)
     * \return the id
     */
    static uint64_t MakeKernelId(TorchKernelOp op,
                                 uint32_t replica,
                                 uint32_t localIteration,
                                 uint32_t unit,
                                 uint32_t microBatch);
    /**
     * \brief Tensor id of a transfer (never 0).
     * \param kind what it holds
     * \param replica the replica
     * \param localIteration local iteration within the round
     * \param index the unit whose output (or parameters) it is
     * \param microBatch the micro-batch (0 when none)
     * \return the id
     */
    static uint64_t MakeTensorId(TorchTensorKind kind,
                                 uint32_t replica,
                                 uint32_t localIteration,
                                 uint32_t index,
                                 uint32_t microBatch);

    /**
     * \param tensorId a tensor id
     * \return its element count; NS_FATAL_ERROR for an id the configuration has no tensor for
     */
    uint64_t GetTensorNumel(uint64_t tensorId) const;
    /**
     * \param tensorId a tensor id
     * \return its bytes on the wire: numel * 4 (fp32)
     */
    uint64_t GetTensorBytes(uint64_t tensorId) const;
    /**
     * \param unit a unit
     * \return its parameter count (per replica)
     */
    uint64_t GetUnitParameterCount(uint32_t unit) const;

    /**
     * \brief Estimated floating-point operations of one kernel of \p unit (per micro-batch for
     * forward, backward and loss; per step for the optimizer): 2 per multiply-add of the
     * linear layers and attention products; backward twice the forward.
     * \param config the configuration
     * \param op the kernel's operation
     * \param unit the unit
     * \return FLOPs
     */
    static double EstimateFlops(const TorchEngineConfig& config, TorchKernelOp op, uint32_t unit);

    /**
     * \brief Attach this engine's kernels and payload callbacks to a run's execution.
     * \param execution the run's TaskGraphExecution (EdgeLlmRuntimeHelper::GetExecution)
     */
    void Connect(Ptr<TaskGraphExecution> execution);

    /**
     * \brief Run a kernel (TaskGraphExecution::KernelCallback).
     * \param node the node running it
     * \param kernelId the kernel
     * \param iteration the ns-3 iteration (round)
     * \return wall-clock seconds it took
     */
    double RunKernel(uint32_t node, uint64_t kernelId, uint32_t iteration);
    /**
     * \brief Serialize a tensor the node computed (TaskGraphExecution::PayloadProvider).
     * Parameter uploads are serialized from the unit's parameters at this moment.
     * \param node the sending node
     * \param tensorId the tensor
     * \param iteration the ns-3 iteration
     * \return its bytes
     */
    TensorPayload ProvideTensor(uint32_t node, uint64_t tensorId, uint32_t iteration);
    /**
     * \brief Rebuild a received tensor on the node (TaskGraphExecution::PayloadConsumer).
     * \param node the receiving node
     * \param tensorId the tensor
     * \param iteration the ns-3 iteration
     * \param payload the bytes that arrived (numel * 4)
     */
    void ConsumeTensor(uint32_t node, uint64_t tensorId, uint32_t iteration, TensorPayload payload);

    /**
     * \param replica a replica
     * \param unit a unit
     * \return its parameters, flattened in the unit's parameter order
     */
    std::vector<float> GetParameters(uint32_t replica, uint32_t unit) const;
    /**
     * \param replica a replica
     * \param unit a unit
     * \param values flattened parameters (GetUnitParameterCount values)
     */
    void SetParameters(uint32_t replica, uint32_t unit, const std::vector<float>& values);

    /// \return one record per (step, replica) whose loss was computed, by step then replica
    std::vector<TorchStepRecord> GetStepRecords() const;

    /**
     * \brief Accuracy of a replica on held-out batches of the synthetic task (no training).
     * \param replica the replica
     * \param samples held-out sequences (>= 1)
     * \return the fraction classified correctly
     */
    double Evaluate(uint32_t replica, uint32_t samples) const;

    /**
     * \brief Train the same model (same initial parameters, same batches as replica
     * \p replica) in one process, without segments, micro-batches or network: the reference
     * the distributed run must match.
     * \param steps training steps
     * \param replica whose batches to use
     * \param[out] accuracy if not null, the reference's Evaluate(samples) accuracy at the end
     * \param samples held-out sequences for \p accuracy
     * \return the loss of every step (mean cross-entropy over the step's batch)
     */
    std::vector<double> TrainReference(uint32_t steps,
                                       uint32_t replica,
                                       double* accuracy = nullptr,
                                       uint32_t samples = 0) const;

    /**
     * \param[out] flops estimated FLOPs of the segment kernels run so far (forward, backward)
     * \param[out] seconds their wall time
     */
    void GetSegmentKernelTotals(double& flops, double& seconds) const;

    /**
     * \brief This host's achieved fp32 GFLOP/s in a plain LibTorch matmul (single-threaded).
     * \param n matrix size (n x n times n x n)
     * \param repeats timed repetitions (after one warm-up)
     * \return GFLOP/s
     */
    static double MeasureMatmulGflops(uint32_t n, uint32_t repeats);

  protected:
    void DoDispose() override;

  private:
    struct Impl;                  //!< the LibTorch model and mailboxes
    std::unique_ptr<Impl> m_impl; //!< hidden so that no LibTorch header leaks

    /// the head finished the last micro-batch of a step (step, replica, loss, accuracy)
    TracedCallback<uint32_t, uint32_t, double, double> m_stepTrace;
    /// a kernel ran (node, kernel id, wall seconds)
    TracedCallback<uint32_t, uint64_t, double> m_kernelTrace;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_COMPUTE_ENGINE_H */
