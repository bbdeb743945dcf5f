/* SPDX-License-Identifier: GPL-2.0-only */
// One of the LibTorch files of the module (model/torch/*.cc): only they include LibTorch headers.
#include "torch-compute-engine.h"

#include "torch-encoder-block.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/trace-source-accessor.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <sstream>
#include <torch/torch.h>
#include <tuple>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTorchComputeEngine");

NS_OBJECT_ENSURE_REGISTERED(TorchComputeEngine);

namespace
{

/// Unit 0: token and learned position embeddings.
struct EmbeddingUnitImpl : torch::nn::Module
{
    EmbeddingUnitImpl(int64_t vocabulary, int64_t length, int64_t hidden)
        : m_tokens(register_module("tokens", torch::nn::Embedding(vocabulary, hidden))),
          m_positions(register_module("positions", torch::nn::Embedding(length, hidden)))
    {
    }

    /// \param tokens [batch, sequence] int64 \return [batch, sequence, hidden]
    torch::Tensor forward(const torch::Tensor& tokens)
    {
        auto positions = torch::arange(tokens.size(1), torch::kLong);
        return m_tokens(tokens) + m_positions(positions).unsqueeze(0);
    }

    torch::nn::Embedding m_tokens;
    torch::nn::Embedding m_positions;
};

TORCH_MODULE(EmbeddingUnit);

/// Units 1..S: consecutive encoder blocks.
struct SegmentUnitImpl : torch::nn::Module
{
    explicit SegmentUnitImpl(const std::vector<TorchEncoderBlock>& blocks)
    {
        for (size_t i = 0; i < blocks.size(); ++i)
        {
            m_blocks.push_back(register_module("block" + std::to_string(i), blocks[i]));
        }
    }

    torch::Tensor forward(torch::Tensor x)
    {
        for (auto& block : m_blocks)
        {
            x = block->forward(x);
        }
        return x;
    }

    std::vector<TorchEncoderBlock> m_blocks;
};

TORCH_MODULE(SegmentUnit);

/// Unit S+1: mean over the sequence, then a linear classifier.
struct HeadUnitImpl : torch::nn::Module
{
    HeadUnitImpl(int64_t hidden, int64_t classes)
        : m_classifier(register_module("classifier", torch::nn::Linear(hidden, classes)))
    {
    }

    torch::Tensor forward(const torch::Tensor& x)
    {
        return m_classifier(x.mean(1));
    }

    torch::nn::Linear m_classifier;
};

TORCH_MODULE(HeadUnit);

/// One copy of the whole model, cut into units, with one optimizer per unit.
struct Replica
{
    EmbeddingUnit embedding{nullptr};
    std::vector<SegmentUnit> segments;
    HeadUnit head{nullptr};
    std::vector<std::unique_ptr<torch::optim::Optimizer>> optimizers; //!< per unit

    /// \return unit \p unit as a module
    torch::nn::Module& Unit(uint32_t unit)
    {
        if (unit == 0)
        {
            return *embedding;
        }
        if (unit <= segments.size())
        {
            return *segments[unit - 1];
        }
        return *head;
    }

    /// \return the whole model's output for \p tokens
    torch::Tensor Forward(const torch::Tensor& tokens)
    {
        auto x = embedding->forward(tokens);
        for (auto& segment : segments)
        {
            x = segment->forward(x);
        }
        return head->forward(x);
    }
};

/// \return a fresh optimizer over \p parameters
std::unique_ptr<torch::optim::Optimizer>
MakeOptimizer(const TorchEngineConfig& config, const std::vector<torch::Tensor>& parameters)
{
    if (config.optimizer == "sgd")
    {
        return std::make_unique<torch::optim::SGD>(parameters,
                                                   torch::optim::SGDOptions(config.learningRate));
    }
    return std::make_unique<torch::optim::Adam>(parameters,
                                                torch::optim::AdamOptions(config.learningRate));
}

/// \return the model built from \p seed: every call with the same seed gives the same weights
Replica
BuildReplica(const TorchEngineConfig& config, uint64_t seed)
{
    torch::manual_seed(seed);
    const auto& spec = config.spec;
    Replica replica;
    replica.embedding = EmbeddingUnit(spec.vocabulary, spec.sequenceLength, spec.hidden);
    std::vector<TorchEncoderBlock> blocks;
    for (uint32_t i = 0; i < spec.encoderLayers; ++i)
    {
        blocks.push_back(TorchEncoderBlock(spec.hidden, spec.heads, spec.ffn));
    }
    replica.head = HeadUnit(spec.hidden, SyntheticClassificationTask::CLASSES);
    uint32_t next = 0;
    for (uint32_t layers : config.segmentLayers)
    {
        std::vector<TorchEncoderBlock> segment(blocks.begin() + next,
                                               blocks.begin() + next + layers);
        replica.segments.push_back(SegmentUnit(segment));
        next += layers;
    }
    for (uint32_t unit = 0; unit < config.segmentLayers.size() + 2; ++unit)
    {
        replica.optimizers.push_back(MakeOptimizer(config, replica.Unit(unit).parameters()));
    }
    return replica;
}

/// \return the parameters of \p module, flattened in its parameter order
torch::Tensor
Flatten(torch::nn::Module& module)
{
    std::vector<torch::Tensor> parts;
    for (const auto& parameter : module.parameters())
    {
        parts.push_back(parameter.detach().reshape({-1}));
    }
    return torch::cat(parts).contiguous();
}

/// Copy \p flat into the parameters of \p module.
void
Unflatten(torch::nn::Module& module, const torch::Tensor& flat)
{
    torch::NoGradGuard noGrad;
    int64_t offset = 0;
    for (auto& parameter : module.parameters())
    {
        const int64_t n = parameter.numel();
        parameter.copy_(flat.slice(0, offset, offset + n).view(parameter.sizes()));
        offset += n;
    }
}

/// Decoded kernel or tensor id fields.
struct IdFields
{
    uint8_t kind;
    uint32_t localIteration;
    uint32_t replica;
    uint32_t index;
    uint32_t microBatch;
};

IdFields
DecodeId(uint64_t id)
{
    return IdFields{static_cast<uint8_t>(id >> 48),
                    static_cast<uint32_t>((id >> 40) & 0xff),
                    static_cast<uint32_t>((id >> 32) & 0xff),
                    static_cast<uint32_t>((id >> 16) & 0xffff),
                    static_cast<uint32_t>(id & 0xffff)};
}

uint64_t
EncodeId(uint8_t kind, uint32_t localIteration, uint32_t replica, uint32_t index, uint32_t mb)
{
    NS_ABORT_MSG_IF(localIteration > 0xff || replica > 0xff || index > 0xffff || mb > 0xffff,
                    "TorchComputeEngine: id fields out of range (localIteration="
                        << localIteration << ", replica=" << replica << ", index=" << index
                        << ", microBatch=" << mb << ")");
    return (static_cast<uint64_t>(kind) << 48) | (static_cast<uint64_t>(localIteration) << 40) |
           (static_cast<uint64_t>(replica) << 32) | (static_cast<uint64_t>(index) << 16) | mb;
}

/// \return seconds since \p start
double
SecondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

/// The LibTorch state of an engine.
struct TorchComputeEngine::Impl
{
    TorchEngineConfig config;
    bool configured{false};
    uint64_t torchSeed{0};
    uint32_t localIterations{1};
    std::unique_ptr<SyntheticClassificationTask> task;
    std::vector<Replica> replicas;
    std::vector<uint64_t> unitParameters; //!< per unit
    /// tensors a node computed and will send: (node, tensor id)
    std::map<std::pair<uint32_t, uint64_t>, torch::Tensor> outbox;
    /// tensors a node received: (node, tensor id)
    std::map<std::pair<uint32_t, uint64_t>, torch::Tensor> inbox;
    /// autograd state between a forward and its backward: (replica, unit, micro-batch)
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::pair<torch::Tensor, torch::Tensor>>
        saved;
    /// batches by (step, replica): tokens [M * size, T] and labels [M * size]
    std::map<std::pair<uint32_t, uint32_t>, std::pair<torch::Tensor, torch::Tensor>> batches;
    /// loss sum (of micro-batch means), correct, samples, by (step, replica)
    std::map<std::pair<uint32_t, uint32_t>, TorchStepRecord> records;
    double segmentFlops{0};
    double segmentSeconds{0};

    uint32_t SegmentCount() const
    {
        return config.segmentLayers.size();
    }

    /// \return the batch of (step, replica): tokens and labels
    const std::pair<torch::Tensor, torch::Tensor>& Batch(uint32_t step, uint32_t replica)
    {
        auto key = std::make_pair(step, replica);
        auto it = batches.find(key);
        if (it != batches.end())
        {
            return it->second;
        }
        // Keep only recent steps.
        while (!batches.empty() && batches.begin()->first.first + 2 < step)
        {
            batches.erase(batches.begin());
        }
        const uint32_t size = config.microBatches * config.microBatchSize;
        std::vector<int64_t> tokens;
        std::vector<int64_t> labels;
        task->Generate(static_cast<uint64_t>(step) * config.replicas + replica,
                       size,
                       tokens,
                       labels);
        auto t = torch::tensor(tokens, torch::kLong).view({size, config.spec.sequenceLength});
        auto l = torch::tensor(labels, torch::kLong);
        return batches.emplace(key, std::make_pair(t, l)).first->second;
    }

    /// \return the rows of micro-batch \p mb of a batch tensor
    torch::Tensor MicroBatch(const torch::Tensor& batch, uint32_t mb) const
    {
        return batch.slice(0, mb * config.microBatchSize, (mb + 1) * config.microBatchSize);
    }

    /// \return the received tensor, removed from the node's inbox
    torch::Tensor Take(uint32_t node, uint64_t tensorId, uint64_t kernelId)
    {
        auto it = inbox.find({node, tensorId});
        NS_ABORT_MSG_IF(it == inbox.end(),
                        "TorchComputeEngine: kernel " << kernelId << " on node " << node
                                                      << " needs tensor " << tensorId
                                                      << ", which has not arrived at that node");
        torch::Tensor tensor = it->second;
        inbox.erase(it);
        return tensor;
    }

    void Put(uint32_t node, uint64_t tensorId, const torch::Tensor& tensor)
    {
        outbox[{node, tensorId}] = tensor.detach().contiguous();
    }

    Replica& GetReplica(uint32_t replica, uint64_t id)
    {
        NS_ABORT_MSG_IF(replica >= replicas.size(),
                        "TorchComputeEngine: id " << id << " names replica " << replica
                                                  << "; the engine has " << replicas.size());
        return replicas[replica];
    }
};

TypeId
TorchComputeEngine::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TorchComputeEngine")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<TorchComputeEngine>()
            .AddTraceSource("StepCompleted",
                            "The head finished a step of a replica (step, "
                            "replica, loss, accuracy).",
                            MakeTraceSourceAccessor(&TorchComputeEngine::m_stepTrace),
                            "ns3::TorchComputeEngine::StepTracedCallback")
            .AddTraceSource("KernelRan",
                            "A kernel ran (node, kernel id, wall seconds).",
                            MakeTraceSourceAccessor(&TorchComputeEngine::m_kernelTrace),
                            "ns3::TorchComputeEngine::KernelTracedCallback");
    return tid;
}

TorchComputeEngine::TorchComputeEngine()
    : m_impl(std::make_unique<Impl>())
{
}

TorchComputeEngine::~TorchComputeEngine() = default;

void
TorchComputeEngine::DoDispose()
{
    m_impl = std::make_unique<Impl>();
    Object::DoDispose();
}

std::string
TorchComputeEngine::Validate(const TorchEngineConfig& config)
{
    const auto& spec = config.spec;
    std::string problem = spec.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    if (spec.architecture != TransformerArchitecture::ENCODER_ONLY)
    {
        return "model='" + spec.name +
               "' architecture=" + TransformerArchitectureToString(spec.architecture) +
               " is not supported by the LibTorch engine; allowed: encoder-only";
    }
    if (spec.GetParameterCount() > MAX_PARAMETERS)
    {
        return "model='" + spec.name + "' has " + std::to_string(spec.GetParameterCount()) +
               " parameters, more than the LibTorch engine's limit of " +
               std::to_string(MAX_PARAMETERS) + "; use a small preset (tiny-encoder, mini-encoder)";
    }
    problem = SyntheticClassificationTask::Validate(spec.vocabulary, spec.sequenceLength);
    if (!problem.empty())
    {
        return problem;
    }
    if (config.segmentLayers.empty())
    {
        return "segmentLayers is empty: give the encoder blocks of at least one segment";
    }
    if (config.segmentLayers.size() > 0xfff0)
    {
        return "segmentLayers has " + std::to_string(config.segmentLayers.size()) +
               " segments; allowed: at most 65520";
    }
    uint64_t sum = 0;
    for (size_t i = 0; i < config.segmentLayers.size(); ++i)
    {
        if (config.segmentLayers[i] == 0)
        {
            return "segmentLayers[" + std::to_string(i) +
                   "]=0 is invalid: every segment holds at least one encoder block";
        }
        sum += config.segmentLayers[i];
    }
    if (sum != spec.encoderLayers)
    {
        return "segmentLayers sum to " + std::to_string(sum) + " but model='" + spec.name +
               "' has encoderLayers=" + std::to_string(spec.encoderLayers) + "; they must be equal";
    }
    if (config.replicas == 0 || config.replicas > 255)
    {
        return "replicas=" + std::to_string(config.replicas) + " is invalid: allowed 1..255";
    }
    if (config.microBatches == 0 || config.microBatches > 65535)
    {
        return "microBatches=" + std::to_string(config.microBatches) +
               " is invalid: allowed 1..65535";
    }
    if (config.microBatchSize == 0)
    {
        return "microBatchSize=0 is invalid: must be a positive integer";
    }
    if (config.optimizer != "adam" && config.optimizer != "sgd")
    {
        return "optimizer='" + config.optimizer + "' is not known; allowed: adam, sgd";
    }
    if (!(config.learningRate > 0) || !std::isfinite(config.learningRate))
    {
        std::ostringstream os;
        os << "learningRate=" << config.learningRate << " is invalid: must be a finite number > 0";
        return os.str();
    }
    return "";
}

void
TorchComputeEngine::Configure(const TorchEngineConfig& config)
{
    std::string problem = Validate(config);
    NS_ABORT_MSG_IF(!problem.empty(), "TorchComputeEngine: " << problem);
    // Single-threaded: deterministic reductions, and the host is shared.
    at::set_num_threads(1);
    m_impl = std::make_unique<Impl>();
    m_impl->config = config;
    const uint64_t seed = RngSeedManager::GetSeed();
    const uint64_t run = RngSeedManager::GetRun();
    m_impl->torchSeed = seed * 1000003ULL + run;
    m_impl->task = std::make_unique<SyntheticClassificationTask>(seed * 7919ULL + run * 104729ULL,
                                                                 config.spec.vocabulary,
                                                                 config.spec.sequenceLength);
    for (uint32_t r = 0; r < config.replicas; ++r)
    {
        m_impl->replicas.push_back(BuildReplica(config, m_impl->torchSeed));
    }
    for (uint32_t unit = 0; unit < GetUnitCount(); ++unit)
    {
        uint64_t count = 0;
        for (const auto& parameter : m_impl->replicas[0].Unit(unit).parameters())
        {
            count += parameter.numel();
        }
        m_impl->unitParameters.push_back(count);
    }
    m_impl->configured = true;
}

const TorchEngineConfig&
TorchComputeEngine::GetConfig() const
{
    return m_impl->config;
}

uint32_t
TorchComputeEngine::GetUnitCount() const
{
    return m_impl->config.segmentLayers.size() + 2;
}

const SyntheticClassificationTask&
TorchComputeEngine::GetTask() const
{
    NS_ABORT_MSG_IF(!m_impl->task, "TorchComputeEngine: Configure must come first");
    return *m_impl->task;
}

void
TorchComputeEngine::SetLocalIterations(uint32_t localIterations)
{
    NS_ABORT_MSG_IF(localIterations == 0 || localIterations > 255,
                    "TorchComputeEngine: localIterations=" << localIterations
                                                           << " is invalid: allowed 1..255");
    m_impl->localIterations = localIterations;
}

uint64_t
TorchComputeEngine::MakeKernelId(TorchKernelOp op,
                                 uint32_t replica,
                                 uint32_t localIteration,
                                 uint32_t unit,
                                 uint32_t microBatch)
{
    return EncodeId(static_cast<uint8_t>(op), localIteration, replica, unit, microBatch);
}

uint64_t
TorchComputeEngine::MakeTensorId(TorchTensorKind kind,
                                 uint32_t replica,
                                 uint32_t localIteration,
                                 uint32_t index,
                                 uint32_t microBatch)
{
    return EncodeId(static_cast<uint8_t>(kind), localIteration, replica, index, microBatch);
}

uint64_t
TorchComputeEngine::GetTensorNumel(uint64_t tensorId) const
{
    const auto& config = m_impl->config;
    IdFields f = DecodeId(tensorId);
    NS_ABORT_MSG_IF(!m_impl->configured, "TorchComputeEngine: Configure must come first");
    NS_ABORT_MSG_IF(f.replica >= config.replicas,
                    "TorchComputeEngine: tensor " << tensorId << " names replica " << f.replica
                                                  << "; allowed: 0.." << config.replicas - 1);
    switch (static_cast<TorchTensorKind>(f.kind))
    {
    case TorchTensorKind::ACTIVATION:
    case TorchTensorKind::GRADIENT:
        NS_ABORT_MSG_IF(f.index > m_impl->SegmentCount(),
                        "TorchComputeEngine: tensor " << tensorId << " is the output of unit "
                                                      << f.index << "; allowed: 0.."
                                                      << m_impl->SegmentCount());
        return static_cast<uint64_t>(config.microBatchSize) * config.spec.sequenceLength *
               config.spec.hidden;
    case TorchTensorKind::PARAMETERS_UP:
    case TorchTensorKind::PARAMETERS_DOWN:
        NS_ABORT_MSG_IF(f.index >= GetUnitCount(),
                        "TorchComputeEngine: tensor " << tensorId << " names unit " << f.index
                                                      << "; allowed: 0.." << GetUnitCount() - 1);
        return m_impl->unitParameters[f.index];
    }
    NS_FATAL_ERROR("TorchComputeEngine: tensor id " << tensorId << " has an unknown kind "
                                                    << int(f.kind));
}

uint64_t
TorchComputeEngine::GetTensorBytes(uint64_t tensorId) const
{
    return GetTensorNumel(tensorId) * sizeof(float);
}

uint64_t
TorchComputeEngine::GetUnitParameterCount(uint32_t unit) const
{
    NS_ABORT_MSG_IF(unit >= m_impl->unitParameters.size(),
                    "TorchComputeEngine: unit=" << unit << " does not exist; allowed: 0.."
                                                << GetUnitCount() - 1);
    return m_impl->unitParameters[unit];
}

double
TorchComputeEngine::EstimateFlops(const TorchEngineConfig& config, TorchKernelOp op, uint32_t unit)
{
    const double h = config.spec.hidden;
    const double f = config.spec.ffn;
    const double t = config.spec.sequenceLength;
    const double b = config.microBatchSize;
    const double tokens = b * t;
    const double classes = SyntheticClassificationTask::CLASSES;
    const uint32_t segments = config.segmentLayers.size();
    // Linear layers: 2 FLOPs per multiply-add; attention: Q K^T and A V.
    const double block = 2 * tokens * (4 * h * h + 2 * h * f) + 4 * b * t * t * h;
    const double layers = unit >= 1 && unit <= segments ? config.segmentLayers[unit - 1] : 0;
    double parameters = 0;
    if (unit == 0)
    {
        parameters = (config.spec.vocabulary + t) * h;
    }
    else if (unit <= segments)
    {
        parameters = layers * (4 * h * h + 2 * h * f + 9 * h + f);
    }
    else
    {
        parameters = h * classes + classes;
    }
    switch (op)
    {
    case TorchKernelOp::EMBED_FORWARD:
    case TorchKernelOp::EMBED_BACKWARD:
        return tokens * h;
    case TorchKernelOp::SEGMENT_FORWARD:
        return layers * block;
    case TorchKernelOp::SEGMENT_BACKWARD:
        return 2 * layers * block;
    case TorchKernelOp::HEAD_LOSS:
        return 3 * (2 * b * h * classes + tokens * h);
    case TorchKernelOp::OPTIMIZER_STEP:
        return 10 * parameters;
    case TorchKernelOp::FEDAVG:
        return config.replicas * parameters;
    case TorchKernelOp::LOAD_PARAMETERS:
        return parameters;
    }
    return 0;
}

void
TorchComputeEngine::Connect(Ptr<TaskGraphExecution> execution)
{
    NS_ABORT_MSG_IF(!execution, "TorchComputeEngine::Connect: null execution");
    execution->SetTensorCallbacks(MakeCallback(&TorchComputeEngine::RunKernel, this),
                                  MakeCallback(&TorchComputeEngine::ProvideTensor, this),
                                  MakeCallback(&TorchComputeEngine::ConsumeTensor, this));
}

double
TorchComputeEngine::RunKernel(uint32_t node, uint64_t kernelId, uint32_t iteration)
{
    NS_LOG_FUNCTION(this << node << kernelId << iteration);
    NS_ABORT_MSG_IF(!m_impl->configured, "TorchComputeEngine: Configure must come first");
    auto& impl = *m_impl;
    const auto& config = impl.config;
    const auto start = std::chrono::steady_clock::now();
    IdFields f = DecodeId(kernelId);
    const uint32_t step = iteration * impl.localIterations + f.localIteration;
    const uint32_t segments = impl.SegmentCount();
    const uint32_t unit = f.index;
    const uint32_t mb = f.microBatch;
    const auto op = static_cast<TorchKernelOp>(f.kind);
    NS_ABORT_MSG_IF(op != TorchKernelOp::FEDAVG && unit >= GetUnitCount(),
                    "TorchComputeEngine: kernel " << kernelId << " names unit " << unit
                                                  << "; allowed: 0.." << GetUnitCount() - 1);
    NS_ABORT_MSG_IF(mb >= config.microBatches,
                    "TorchComputeEngine: kernel " << kernelId << " names micro-batch " << mb
                                                  << "; allowed: 0.." << config.microBatches - 1);
    auto act = [&](uint32_t index) {
        return MakeTensorId(TorchTensorKind::ACTIVATION, f.replica, f.localIteration, index, mb);
    };
    auto grad = [&](uint32_t index) {
        return MakeTensorId(TorchTensorKind::GRADIENT, f.replica, f.localIteration, index, mb);
    };
    const auto key = std::make_tuple(f.replica, unit, mb);
    switch (op)
    {
    case TorchKernelOp::EMBED_FORWARD: {
        Replica& replica = impl.GetReplica(f.replica, kernelId);
        auto tokens = impl.MicroBatch(impl.Batch(step, f.replica).first, mb);
        auto y = replica.embedding->forward(tokens);
        impl.saved[key] = {torch::Tensor(), y};
        impl.Put(node, act(0), y);
        break;
    }
    case TorchKernelOp::SEGMENT_FORWARD: {
        NS_ABORT_MSG_IF(unit == 0 || unit > segments,
                        "TorchComputeEngine: kernel " << kernelId << ": unit " << unit
                                                      << " is not a segment");
        Replica& replica = impl.GetReplica(f.replica, kernelId);
        auto x = impl.Take(node, act(unit - 1), kernelId).requires_grad_(true);
        auto y = replica.segments[unit - 1]->forward(x);
        impl.saved[key] = {x, y};
        impl.Put(node, act(unit), y);
        impl.segmentFlops += EstimateFlops(config, op, unit);
        break;
    }
    case TorchKernelOp::HEAD_LOSS: {
        Replica& replica = impl.GetReplica(f.replica, kernelId);
        auto x = impl.Take(node, act(segments), kernelId).requires_grad_(true);
        auto labels = impl.MicroBatch(impl.Batch(step, f.replica).second, mb);
        auto logits = replica.head->forward(x);
        auto loss = torch::nn::functional::cross_entropy(logits, labels);
        // Micro-batches of equal size: the step's loss is the mean of their means.
        (loss / double(config.microBatches)).backward();
        impl.Put(node, grad(segments), x.grad());
        auto& record = impl.records[{step, f.replica}];
        record.step = step;
        record.replica = f.replica;
        record.loss += loss.item<double>() / config.microBatches;
        record.correct += logits.argmax(1).eq(labels).sum().item<int64_t>();
        record.samples += config.microBatchSize;
        if (record.samples == config.microBatches * config.microBatchSize)
        {
            m_stepTrace(step, f.replica, record.loss, double(record.correct) / record.samples);
        }
        break;
    }
    case TorchKernelOp::SEGMENT_BACKWARD: {
        NS_ABORT_MSG_IF(unit == 0 || unit > segments,
                        "TorchComputeEngine: kernel " << kernelId << ": unit " << unit
                                                      << " is not a segment");
        auto it = impl.saved.find(key);
        NS_ABORT_MSG_IF(it == impl.saved.end(),
                        "TorchComputeEngine: backward kernel " << kernelId << " on node " << node
                                                               << " before its forward");
        auto g = impl.Take(node, grad(unit), kernelId);
        it->second.second.backward(g);
        impl.Put(node, grad(unit - 1), it->second.first.grad());
        impl.saved.erase(it);
        impl.segmentFlops += EstimateFlops(config, op, unit);
        break;
    }
    case TorchKernelOp::EMBED_BACKWARD: {
        auto it = impl.saved.find(key);
        NS_ABORT_MSG_IF(it == impl.saved.end(),
                        "TorchComputeEngine: backward kernel " << kernelId << " on node " << node
                                                               << " before its forward");
        auto g = impl.Take(node, grad(0), kernelId);
        it->second.second.backward(g);
        impl.saved.erase(it);
        break;
    }
    case TorchKernelOp::OPTIMIZER_STEP: {
        Replica& replica = impl.GetReplica(f.replica, kernelId);
        replica.optimizers[unit]->step();
        replica.optimizers[unit]->zero_grad();
        break;
    }
    case TorchKernelOp::FEDAVG: {
        NS_ABORT_MSG_IF(unit >= GetUnitCount(),
                        "TorchComputeEngine: kernel " << kernelId << " names unit " << unit
                                                      << "; allowed: 0.." << GetUnitCount() - 1);
        const bool local = unit == segments + 1; // the heads live on the server
        torch::Tensor sum;
        for (uint32_t r = 0; r < config.replicas; ++r)
        {
            torch::Tensor flat = local ? Flatten(impl.replicas[r].Unit(unit))
                                       : impl.Take(node,
                                                   MakeTensorId(TorchTensorKind::PARAMETERS_UP,
                                                                r,
                                                                f.localIteration,
                                                                unit,
                                                                0),
                                                   kernelId);
            sum = r == 0 ? flat.clone() : sum + flat;
        }
        torch::Tensor mean = sum / double(config.replicas);
        for (uint32_t r = 0; r < config.replicas; ++r)
        {
            if (local)
            {
                Unflatten(impl.replicas[r].Unit(unit), mean);
            }
            else
            {
                impl.Put(
                    node,
                    MakeTensorId(TorchTensorKind::PARAMETERS_DOWN, r, f.localIteration, unit, 0),
                    mean);
            }
        }
        break;
    }
    case TorchKernelOp::LOAD_PARAMETERS: {
        Replica& replica = impl.GetReplica(f.replica, kernelId);
        auto flat = impl.Take(
            node,
            MakeTensorId(TorchTensorKind::PARAMETERS_DOWN, f.replica, f.localIteration, unit, 0),
            kernelId);
        Unflatten(replica.Unit(unit), flat);
        break;
    }
    default:
        NS_FATAL_ERROR("TorchComputeEngine: kernel id " << kernelId << " has an unknown operation "
                                                        << int(f.kind));
    }
    const double seconds = SecondsSince(start);
    if (op == TorchKernelOp::SEGMENT_FORWARD || op == TorchKernelOp::SEGMENT_BACKWARD)
    {
        impl.segmentSeconds += seconds;
    }
    m_kernelTrace(node, kernelId, seconds);
    return seconds;
}

TensorPayload
TorchComputeEngine::ProvideTensor(uint32_t node, uint64_t tensorId, uint32_t iteration)
{
    auto& impl = *m_impl;
    torch::Tensor tensor;
    auto it = impl.outbox.find({node, tensorId});
    if (it != impl.outbox.end())
    {
        tensor = it->second;
        impl.outbox.erase(it);
    }
    else
    {
        IdFields f = DecodeId(tensorId);
        NS_ABORT_MSG_IF(static_cast<TorchTensorKind>(f.kind) != TorchTensorKind::PARAMETERS_UP,
                        "TorchComputeEngine: node " << node << " sends tensor " << tensorId
                                                    << ", which it has not computed");
        GetTensorNumel(tensorId); // checks the replica and unit
        tensor = Flatten(impl.replicas[f.replica].Unit(f.index));
    }
    tensor = tensor.to(torch::kFloat).contiguous();
    NS_ABORT_MSG_IF(static_cast<uint64_t>(tensor.numel()) != GetTensorNumel(tensorId),
                    "TorchComputeEngine: tensor " << tensorId << " has " << tensor.numel()
                                                  << " elements; expected "
                                                  << GetTensorNumel(tensorId));
    const auto* data = reinterpret_cast<const uint8_t*>(tensor.data_ptr<float>());
    return std::make_shared<const std::vector<uint8_t>>(data,
                                                        data + tensor.numel() * sizeof(float));
}

void
TorchComputeEngine::ConsumeTensor(uint32_t node,
                                  uint64_t tensorId,
                                  uint32_t iteration,
                                  TensorPayload payload)
{
    auto& impl = *m_impl;
    const uint64_t numel = GetTensorNumel(tensorId);
    NS_ABORT_MSG_IF(!payload || payload->size() != numel * sizeof(float),
                    "TorchComputeEngine: tensor " << tensorId << " arrived at node " << node
                                                  << " with " << (payload ? payload->size() : 0)
                                                  << " bytes; expected " << numel * sizeof(float));
    IdFields f = DecodeId(tensorId);
    std::vector<int64_t> shape;
    if (static_cast<TorchTensorKind>(f.kind) == TorchTensorKind::ACTIVATION ||
        static_cast<TorchTensorKind>(f.kind) == TorchTensorKind::GRADIENT)
    {
        shape = {impl.config.microBatchSize,
                 impl.config.spec.sequenceLength,
                 impl.config.spec.hidden};
    }
    else
    {
        shape = {static_cast<int64_t>(numel)};
    }
    torch::Tensor tensor = torch::empty(shape, torch::kFloat);
    std::memcpy(tensor.data_ptr<float>(), payload->data(), payload->size());
    impl.inbox[{node, tensorId}] = tensor;
}

std::vector<float>
TorchComputeEngine::GetParameters(uint32_t replica, uint32_t unit) const
{
    NS_ABORT_MSG_IF(replica >= m_impl->replicas.size() || unit >= GetUnitCount(),
                    "TorchComputeEngine::GetParameters: replica=" << replica << ", unit=" << unit
                                                                  << " do not exist");
    torch::Tensor flat = Flatten(m_impl->replicas[replica].Unit(unit));
    return std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
}

void
TorchComputeEngine::SetParameters(uint32_t replica, uint32_t unit, const std::vector<float>& values)
{
    NS_ABORT_MSG_IF(replica >= m_impl->replicas.size() || unit >= GetUnitCount(),
                    "TorchComputeEngine::SetParameters: replica=" << replica << ", unit=" << unit
                                                                  << " do not exist");
    NS_ABORT_MSG_IF(values.size() != GetUnitParameterCount(unit),
                    "TorchComputeEngine::SetParameters: "
                        << values.size() << " values for unit " << unit << " of "
                        << GetUnitParameterCount(unit) << " parameters");
    auto flat = torch::tensor(values, torch::kFloat);
    Unflatten(m_impl->replicas[replica].Unit(unit), flat);
}

std::vector<TorchStepRecord>
TorchComputeEngine::GetStepRecords() const
{
    std::vector<TorchStepRecord> records;
    for (const auto& [key, record] : m_impl->records)
    {
        records.push_back(record);
    }
    return records;
}

namespace
{

/// \return the accuracy of \p replica on held-out batch 0 of \p task
double
EvaluateReplica(Replica& replica, const SyntheticClassificationTask& task, uint32_t samples)
{
    torch::NoGradGuard noGrad;
    std::vector<int64_t> tokens;
    std::vector<int64_t> labels;
    task.Generate(SyntheticClassificationTask::EvaluationBatchIndex(0), samples, tokens, labels);
    auto t = torch::tensor(tokens, torch::kLong).view({samples, task.GetSequenceLength()});
    auto l = torch::tensor(labels, torch::kLong);
    auto logits = replica.Forward(t);
    return logits.argmax(1).eq(l).sum().item<int64_t>() / double(samples);
}

} // namespace

double
TorchComputeEngine::Evaluate(uint32_t replica, uint32_t samples) const
{
    NS_ABORT_MSG_IF(replica >= m_impl->replicas.size(),
                    "TorchComputeEngine::Evaluate: replica=" << replica << " does not exist");
    NS_ABORT_MSG_IF(samples == 0, "TorchComputeEngine::Evaluate: samples=0 is invalid");
    return EvaluateReplica(m_impl->replicas[replica], *m_impl->task, samples);
}

std::vector<double>
TorchComputeEngine::TrainReference(uint32_t steps,
                                   uint32_t replica,
                                   double* accuracy,
                                   uint32_t samples) const
{
    NS_ABORT_MSG_IF(!m_impl->configured, "TorchComputeEngine: Configure must come first");
    const auto& config = m_impl->config;
    at::set_num_threads(1);
    // A fresh copy from the same seed: the same initial parameters as every replica.
    Replica model = BuildReplica(config, m_impl->torchSeed);
    auto optimizer = MakeOptimizer(config, [&model]() {
        std::vector<torch::Tensor> all;
        for (uint32_t unit = 0; unit < model.segments.size() + 2; ++unit)
        {
            for (const auto& parameter : model.Unit(unit).parameters())
            {
                all.push_back(parameter);
            }
        }
        return all;
    }());
    const uint32_t size = config.microBatches * config.microBatchSize;
    std::vector<double> losses;
    for (uint32_t step = 0; step < steps; ++step)
    {
        std::vector<int64_t> tokens;
        std::vector<int64_t> labels;
        m_impl->task->Generate(static_cast<uint64_t>(step) * config.replicas + replica,
                               size,
                               tokens,
                               labels);
        auto t = torch::tensor(tokens, torch::kLong).view({size, config.spec.sequenceLength});
        auto l = torch::tensor(labels, torch::kLong);
        auto loss = torch::nn::functional::cross_entropy(model.Forward(t), l);
        optimizer->zero_grad();
        loss.backward();
        optimizer->step();
        losses.push_back(loss.item<double>());
    }
    if (accuracy)
    {
        *accuracy = EvaluateReplica(model, *m_impl->task, samples);
    }
    return losses;
}

void
TorchComputeEngine::GetSegmentKernelTotals(double& flops, double& seconds) const
{
    flops = m_impl->segmentFlops;
    seconds = m_impl->segmentSeconds;
}

double
TorchComputeEngine::MeasureMatmulGflops(uint32_t n, uint32_t repeats)
{
    at::set_num_threads(1);
    torch::NoGradGuard noGrad;
    auto a = torch::rand({n, n});
    auto b = torch::rand({n, n});
    auto c = torch::matmul(a, b); // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (uint32_t i = 0; i < repeats; ++i)
    {
        c = torch::matmul(a, b);
    }
    const double seconds = SecondsSince(start);
    return 2.0 * n * n * n * repeats / seconds / 1e9;
}

} // namespace edgellm
} // namespace ns3
