/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-pac-engine.h"

#include "synthetic-classification-task.h"
#include "torch-encoder-block.h"
#include "torch-thread-guard.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/pac-graph-builder.h"

#include <chrono>
#include <cstring>
#include <map>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTorchPacEngine");
NS_OBJECT_ENSURE_REGISTERED(TorchPacEngine);

namespace
{

/// A side block: the tap u = z + x A + a, then the ladder layer or a Transformer block.
struct PacSideBlockImpl : torch::nn::Module
{
    /**
     * \param hidden backbone width h
     * \param side the side block's shape (GetSideBlockSpec)
     * \param transformer a Transformer block (else the ladder layer)
     */
    PacSideBlockImpl(int64_t hidden, const TransformerSpec& side, bool transformer)
        : tap(register_module("tap", torch::nn::Linear(hidden, side.hidden)))
    {
        if (transformer)
        {
            block = register_module("block", TorchEncoderBlock(side.hidden, side.heads, side.ffn));
        }
        else
        {
            ladder = register_module("ladder", torch::nn::Linear(side.hidden, side.hidden));
        }
    }

    /// \param x backbone output \param z side state \return the new side state
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& z)
    {
        const torch::Tensor u = z + tap(x);
        return block ? block(u) : u + torch::gelu(ladder(u));
    }

    torch::nn::Linear tap{nullptr};    //!< A (h x w) + a
    torch::nn::Linear ladder{nullptr}; //!< B (w x w) + c (ladder layer)
    TorchEncoderBlock block{nullptr};  //!< Transformer side block
};

TORCH_MODULE(PacSideBlock);

/// The whole model as one device holds it (every device builds the same from the seed).
struct PacModel
{
    torch::nn::Embedding tokens{nullptr};    //!< frozen token table
    torch::nn::Embedding positions{nullptr}; //!< frozen position table
    std::vector<TorchEncoderBlock> blocks;   //!< frozen backbone blocks
    std::vector<PacSideBlock> sides;         //!< per block: its side block, or empty
    torch::nn::Linear up{nullptr};           //!< side stream -> hidden (trainable)
    torch::nn::Linear classifier{nullptr};   //!< hidden -> classes (frozen)

    /// Build from LibTorch's generator (seeded by the caller).
    PacModel(const TorchPacConfig& config)
    {
        const TransformerSpec& spec = config.spec;
        const int64_t h = spec.hidden;
        const TransformerSpec side = config.recipe.GetSideBlockSpec(spec);
        tokens = torch::nn::Embedding(spec.vocabulary, h);
        positions = torch::nn::Embedding(spec.sequenceLength, h);
        Freeze(tokens->parameters());
        Freeze(positions->parameters());
        for (uint32_t l = 0; l < spec.encoderLayers; ++l)
        {
            blocks.emplace_back(h, spec.heads, spec.ffn);
            Freeze(blocks.back()->parameters());
            sides.push_back(config.recipe.HasSideBlock(spec, false, l)
                                ? PacSideBlock(h, side, config.recipe.sideTransformer)
                                : PacSideBlock(nullptr));
        }
        up = torch::nn::Linear(side.hidden, h);
        classifier = torch::nn::Linear(h, SyntheticClassificationTask::CLASSES);
        Freeze(classifier->parameters());
    }

    /// \param parameters parameters that must not train
    static void Freeze(const std::vector<torch::Tensor>& parameters)
    {
        for (const torch::Tensor& p : parameters)
        {
            p.requires_grad_(false);
        }
    }

    /// \return the layer count: embedding, blocks, head
    uint32_t GetLayerCount() const
    {
        return static_cast<uint32_t>(blocks.size()) + 2;
    }

    /// \param layer a layer \return its trainable parameters, in order
    std::vector<torch::Tensor> Trainable(uint32_t layer) const
    {
        if (layer == 0)
        {
            return {};
        }
        if (layer <= blocks.size())
        {
            const PacSideBlock& side = sides[layer - 1];
            return side ? side->parameters() : std::vector<torch::Tensor>();
        }
        return up->parameters();
    }

    /// \param layer a layer \return its trainable parameters, flattened
    std::vector<float> Flattened(uint32_t layer) const
    {
        std::vector<float> values;
        for (const torch::Tensor& p : Trainable(layer))
        {
            const torch::Tensor flat = p.detach().reshape({-1}).contiguous();
            values.insert(values.end(),
                          flat.data_ptr<float>(),
                          flat.data_ptr<float>() + flat.numel());
        }
        return values;
    }

    /**
     * \brief Run layers [first, last] on (x, z); the head's loss is summed over the samples and
     * divided by \p batch.
     * \param first first layer \param last last layer
     * \param tokens [n, s] ids (first == 0) \param labels [n] (head)
     * \param[in,out] x backbone state \param[in,out] z side state (undefined before the first
     * side block) \param batch the step's batch
     * \return the loss when the head ran, else an undefined tensor
     */
    torch::Tensor Run(uint32_t first,
                      uint32_t last,
                      const torch::Tensor& ids,
                      const torch::Tensor& labels,
                      torch::Tensor& x,
                      torch::Tensor& z,
                      uint32_t batch)
    {
        torch::Tensor loss;
        for (uint32_t layer = first; layer <= last; ++layer)
        {
            if (layer == 0)
            {
                torch::NoGradGuard noGrad;
                const int64_t s = ids.size(1);
                x = tokens(ids) + positions(torch::arange(s, torch::kLong)).unsqueeze(0);
            }
            else if (layer <= blocks.size())
            {
                {
                    torch::NoGradGuard noGrad; // the backbone never trains: no graph
                    x = blocks[layer - 1](x);
                }
                PacSideBlock& side = sides[layer - 1];
                if (side)
                {
                    if (!z.defined())
                    {
                        z = torch::zeros({x.size(0), x.size(1), up->weight.size(1)});
                    }
                    z = side(x, z);
                }
            }
            else
            {
                const torch::Tensor joined = z.defined() ? x + up(z) : x;
                loss =
                    torch::nn::functional::cross_entropy(
                        classifier(joined.mean(1)),
                        labels,
                        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
                    static_cast<double>(batch);
            }
        }
        return loss;
    }
};

/// \return the configured optimizer over \p parameters
std::unique_ptr<torch::optim::Optimizer>
MakeOptimizer(const TorchPacConfig& config, const std::vector<torch::Tensor>& parameters)
{
    if (config.optimizer == "sgd")
    {
        return std::make_unique<torch::optim::SGD>(parameters,
                                                   torch::optim::SGDOptions(config.learningRate));
    }
    return std::make_unique<torch::optim::Adam>(parameters,
                                                torch::optim::AdamOptions(config.learningRate));
}

/// Rows [begin, begin + count) of a tensor's first dimension.
torch::Tensor
Rows(const torch::Tensor& t, uint32_t begin, uint32_t count)
{
    return t.narrow(0, begin, count);
}

/// \return the bytes of the tensors, flattened one after the other
TensorPayload
Serialize(const std::vector<torch::Tensor>& tensors)
{
    size_t total = 0;
    for (const torch::Tensor& t : tensors)
    {
        total += t.numel() * sizeof(float);
    }
    auto bytes = std::make_shared<std::vector<uint8_t>>(total);
    size_t at = 0;
    for (const torch::Tensor& t : tensors)
    {
        const torch::Tensor c = t.detach().contiguous();
        std::memcpy(bytes->data() + at, c.data_ptr<float>(), c.numel() * sizeof(float));
        at += c.numel() * sizeof(float);
    }
    return bytes;
}

} // namespace

/// One micro-batch on one device.
struct PacMicroBatchState
{
    std::map<uint32_t, std::vector<torch::Tensor>> arrived; //!< sender -> (x[, z]) rows
    std::map<uint32_t, torch::Tensor> gradients;            //!< receiver -> side gradient rows
    torch::Tensor zIn;                                      //!< the side state received (leaf)
    torch::Tensor x;                                        //!< backbone state out
    torch::Tensor z;                                        //!< side state out (with its graph)
    torch::Tensor loss;                                     //!< last stage: its share of the loss
};

/// One step on one device (a neighbour's next step can begin before this one's update).
struct PacStepState
{
    std::map<uint32_t, PacMicroBatchState> batches; //!< micro-batch -> state
    std::vector<torch::Tensor> partial;             //!< ring chunks: running sums
    std::vector<torch::Tensor> incoming;            //!< ring chunks: what arrived
};

/// One device.
struct PacDeviceState
{
    std::unique_ptr<PacModel> model;                    //!< its copy of the model
    std::unique_ptr<torch::optim::Optimizer> optimizer; //!< over its stage's trainable ones
    int32_t stage{-1};                                  //!< its stage in the plan, or -1
    uint32_t index{0};                                  //!< its index in the stage's group
    uint32_t first{0};                                  //!< its stage's first layer
    uint32_t last{0};                                   //!< its stage's last layer
    std::map<uint32_t, PacStepState> steps;             //!< step of the round -> state
};

/// The LibTorch state of TorchPacEngine.
struct TorchPacEngine::Impl
{
    TorchPacConfig config;                             //!< the settings
    bool configured{false};                            //!< Configure ran
    std::unique_ptr<SyntheticClassificationTask> task; //!< the data
    std::vector<PacDeviceState> devices;               //!< per planner device
    Ptr<const PacRoundPlan> plan;                      //!< the current round's plan
    std::map<uint32_t, uint64_t> firstStep;            //!< round -> its first run step
    std::map<uint64_t, double> losses;                 //!< run step -> mean loss
    uint64_t carried{0};                               //!< bytes carried

    /// \param node a node \return its planner device
    uint32_t DeviceOf(uint32_t node) const
    {
        for (uint32_t i = 0; i < config.nodes.size(); ++i)
        {
            if (config.nodes[i] == node)
            {
                return i;
            }
        }
        NS_FATAL_ERROR("TorchPacEngine: node " << node << " is not a device of the pool");
    }

    /// \param stage a stage \param index a member \return its first sample in a micro-batch
    uint32_t Offset(uint32_t stage, uint32_t index) const
    {
        uint32_t offset = 0;
        for (uint32_t i = 0; i < index; ++i)
        {
            offset += plan->step.stages.at(stage).samples.at(i);
        }
        return offset;
    }

    /// \param stage a stage \param index a member \return its samples per micro-batch
    uint32_t Samples(uint32_t stage, uint32_t index) const
    {
        return plan->step.stages.at(stage).samples.at(index);
    }

    /// \param round a round \param step a step of it \return the run's step
    uint64_t RunStep(uint32_t round, uint32_t step) const
    {
        auto found = firstStep.find(round);
        NS_ABORT_MSG_IF(found == firstStep.end(),
                        "TorchPacEngine: no plan for round " << round
                                                             << " (connect SetPlan to Planned)");
        return found->second + step;
    }

    /**
     * \brief The samples the boundary between (stage, i) and (stage + 1, j) carries.
     * \param stage earlier stage \param i its member \param j the later stage's member
     * \param[out] begin first shared sample of the micro-batch \return their count
     */
    uint32_t Shared(uint32_t stage, uint32_t i, uint32_t j, uint32_t& begin) const
    {
        const uint32_t a = Offset(stage, i);
        const uint32_t b = Offset(stage + 1, j);
        begin = std::max(a, b);
        const uint32_t end = std::min(a + Samples(stage, i), b + Samples(stage + 1, j));
        NS_ABORT_MSG_IF(end <= begin, "TorchPacEngine: no samples shared");
        return end - begin;
    }

    /// \param s a device \return its stage's trainable gradients, flattened (zeros if none)
    torch::Tensor FlatGradients(const PacDeviceState& s) const
    {
        std::vector<torch::Tensor> parts;
        for (uint32_t layer = s.first; layer <= s.last; ++layer)
        {
            for (const torch::Tensor& p : s.model->Trainable(layer))
            {
                parts.push_back(p.grad().defined() ? p.grad().reshape({-1})
                                                   : torch::zeros({p.numel()}));
            }
        }
        return parts.empty() ? torch::zeros({0}) : torch::cat(parts);
    }

    /// \param s a device \param chunk a ring chunk \return its element range [begin, end)
    std::pair<int64_t, int64_t> Chunk(const PacDeviceState& s, uint32_t chunk) const
    {
        const int64_t n = static_cast<int64_t>(plan->step.stages.at(s.stage).devices.size());
        int64_t elements = 0;
        for (uint32_t layer = s.first; layer <= s.last; ++layer)
        {
            for (const torch::Tensor& p : s.model->Trainable(layer))
            {
                elements += p.numel();
            }
        }
        return {elements * chunk / n, elements * (chunk + 1) / n};
    }

    /// \param s a device \param step its step: start the ring from its own gradients (once)
    void StartRing(PacDeviceState& s, PacStepState& step) const
    {
        const uint32_t n = static_cast<uint32_t>(plan->step.stages.at(s.stage).devices.size());
        step.incoming.resize(n);
        if (!step.partial.empty())
        {
            return;
        }
        const torch::Tensor flat = FlatGradients(s);
        step.partial.resize(n);
        for (uint32_t c = 0; c < n; ++c)
        {
            const auto [begin, end] = Chunk(s, c);
            step.partial[c] = flat.narrow(0, begin, end - begin).clone();
        }
    }
};

TypeId
TorchPacEngine::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TorchPacEngine")
                            .SetParent<Object>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<TorchPacEngine>();
    return tid;
}

TorchPacEngine::TorchPacEngine()
    : m_impl(std::make_unique<Impl>())
{
}

TorchPacEngine::~TorchPacEngine() = default;

void
TorchPacEngine::DoDispose()
{
    m_impl.reset();
    Object::DoDispose();
}

std::string
TorchPacEngine::Validate(const TorchPacConfig& config)
{
    std::ostringstream out;
    const std::string model = CheckSmallEncoder(config.spec);
    if (!model.empty())
    {
        return model;
    }
    if (config.spec.GetParameterCount() > MAX_PARAMETERS)
    {
        out << "model '" << config.spec.name << "' has " << config.spec.GetParameterCount()
            << " parameters, more than the LibTorch engine's limit of " << MAX_PARAMETERS;
        return out.str();
    }
    if (config.recipe.kind != RecipeKind::PARALLEL_ADAPTERS)
    {
        return "recipe=" + RecipeKindToString(config.recipe.kind) +
               " is not allowed; the PAC engine trains parallel-adapters";
    }
    if (config.recipe.dtype != DataType::FP32)
    {
        return "dtype=" + DataTypeToString(config.recipe.dtype) +
               " is not allowed; the PAC engine computes in fp32";
    }
    const uint32_t w = config.recipe.GetAdapterWidth(config.spec);
    if (w == 0)
    {
        out << "adapterReduction=" << config.recipe.adapterReduction
            << " is not allowed; 1 to hidden=" << config.spec.hidden;
        return out.str();
    }
    if (config.batchSize == 0 || config.batchSize > 256)
    {
        out << "batchSize=" << config.batchSize << " is not allowed; 1 to 256";
        return out.str();
    }
    if (config.nodes.empty() || config.nodes.size() > PacPlannerOptions::MAX_DEVICES)
    {
        out << "nodes has " << config.nodes.size() << " entries; allowed: 1 to "
            << PacPlannerOptions::MAX_DEVICES << " (one per planner device)";
        return out.str();
    }
    if (config.optimizer != "adam" && config.optimizer != "sgd")
    {
        return "optimizer='" + config.optimizer + "' is not allowed; adam or sgd";
    }
    if (!(config.learningRate > 0))
    {
        out << "learningRate=" << config.learningRate << " is not allowed; must be positive";
        return out.str();
    }
    return SyntheticClassificationTask::Validate(config.spec.vocabulary,
                                                 config.spec.sequenceLength);
}

void
TorchPacEngine::Configure(const TorchPacConfig& config)
{
    const std::string problem = Validate(config);
    NS_ABORT_MSG_IF(!problem.empty(), "TorchPacEngine: " << problem);
    TorchThreadGuard threads(1);
    Impl& m = *m_impl;
    m.config = config;
    m.task = std::make_unique<SyntheticClassificationTask>(config.seed,
                                                           config.spec.vocabulary,
                                                           config.spec.sequenceLength);
    m.devices.clear();
    m.devices.resize(config.nodes.size());
    for (PacDeviceState& s : m.devices)
    {
        torch::manual_seed(config.seed); // every device starts from the same weights
        s.model = std::make_unique<PacModel>(config);
    }
    m.configured = true;
}

void
TorchPacEngine::Connect(Ptr<TaskGraphExecution> execution)
{
    NS_ABORT_MSG_IF(!execution, "TorchPacEngine::Connect: null execution");
    execution->SetTensorCallbacks(MakeCallback(&TorchPacEngine::RunKernel, this),
                                  MakeCallback(&TorchPacEngine::ProvideTensor, this),
                                  MakeCallback(&TorchPacEngine::ConsumeTensor, this));
}

void
TorchPacEngine::SetPlan(uint32_t round, Ptr<const PacRoundPlan> plan)
{
    Impl& m = *m_impl;
    NS_ABORT_MSG_IF(!m.configured, "TorchPacEngine: Configure must come first");
    NS_ABORT_MSG_IF(!plan || !plan->step.IsFeasible(), "TorchPacEngine: no feasible plan");
    NS_ABORT_MSG_IF(plan->cached,
                    "TorchPacEngine: round " << round
                                             << " trains on the activation cache, which the "
                                                "engine does not run; set the strategy's "
                                                "ActivationCache to false");
    NS_ABORT_MSG_IF(!plan->exchange.empty(), "TorchPacEngine: a cache exchange is not run");
    uint32_t layers = 0;
    for (const PacStage& stage : plan->step.stages)
    {
        layers = std::max(layers, stage.lastLayer + 1);
    }
    NS_ABORT_MSG_IF(layers != m.devices.front().model->GetLayerCount(),
                    "TorchPacEngine: the plan has " << layers << " layers, the model "
                                                    << m.devices.front().model->GetLayerCount());
    for (uint32_t s = 0; s < plan->step.stages.size(); ++s)
    {
        const PacStage& stage = plan->step.stages[s];
        for (uint32_t i = 0; i < stage.devices.size(); ++i)
        {
            NS_ABORT_MSG_IF(stage.devices[i] >= m.devices.size(),
                            "TorchPacEngine: device " << stage.devices[i] << " has no node");
            PacDeviceState& d = m.devices[stage.devices[i]];
            NS_ABORT_MSG_IF(
                d.optimizer && (d.first != stage.firstLayer || d.last != stage.lastLayer),
                "TorchPacEngine: device " << stage.devices[i] << " moves from layers " << d.first
                                          << "-" << d.last << " to " << stage.firstLayer << "-"
                                          << stage.lastLayer << " in round " << round
                                          << "; the engine does not migrate parameters");
            d.stage = static_cast<int32_t>(s);
            d.index = i;
            d.first = stage.firstLayer;
            d.last = stage.lastLayer;
            if (!d.optimizer)
            {
                std::vector<torch::Tensor> trainable;
                for (uint32_t l = d.first; l <= d.last; ++l)
                {
                    for (const torch::Tensor& p : d.model->Trainable(l))
                    {
                        trainable.push_back(p);
                    }
                }
                if (trainable.empty())
                {
                    trainable.push_back(torch::zeros({1}, torch::requires_grad()));
                }
                d.optimizer = MakeOptimizer(m.config, trainable);
            }
        }
    }
    uint64_t first = 0;
    if (round > 0)
    {
        auto before = m.firstStep.find(round - 1);
        NS_ABORT_MSG_IF(before == m.firstStep.end() || !m.plan,
                        "TorchPacEngine: round " << round << " without round " << round - 1);
        first = before->second + m.plan->steps;
    }
    m.firstStep[round] = first;
    m.plan = plan;
    for (PacDeviceState& d : m.devices)
    {
        // the last round's states: those of stages without an update (nothing trainable)
        d.steps.clear();
    }
}

double
TorchPacEngine::RunKernel(uint32_t node, uint64_t kernelId, uint32_t iteration)
{
    Impl& m = *m_impl;
    TorchThreadGuard threads(1);
    const auto start = std::chrono::steady_clock::now();
    const PacTensorId id = PacTensorId::Parse(kernelId);
    const uint32_t device = m.DeviceOf(node);
    PacDeviceState& s = m.devices[device];
    NS_ABORT_MSG_IF(s.stage != static_cast<int32_t>(id.stage) && id.op != PacTensorOp::ALL_REDUCE,
                    "TorchPacEngine: device " << device << " runs stage " << id.stage
                                              << " but the plan puts it in " << s.stage);
    const uint64_t runStep = m.RunStep(iteration, id.step);
    const uint32_t stages = static_cast<uint32_t>(m.plan->step.stages.size());
    PacStepState& state = s.steps[id.step];
    if (id.op == PacTensorOp::FORWARD)
    {
        PacMicroBatchState& b = state.batches[id.microBatch];
        const uint32_t n = m.Samples(id.stage, s.index);
        torch::Tensor ids;
        torch::Tensor labels;
        if (id.stage == 0 || id.stage + 1 == stages)
        {
            std::vector<int64_t> tokens;
            std::vector<int64_t> classes;
            m.task->Generate(runStep, m.config.batchSize, tokens, classes);
            const int64_t seq = m.config.spec.sequenceLength;
            const uint32_t perMicroBatch = m.config.batchSize / m.plan->step.microBatches;
            const uint32_t begin = id.microBatch * perMicroBatch + m.Offset(id.stage, s.index);
            ids =
                Rows(torch::tensor(tokens, torch::kLong).view({m.config.batchSize, seq}), begin, n);
            labels = Rows(torch::tensor(classes, torch::kLong), begin, n);
        }
        torch::Tensor x;
        torch::Tensor z;
        if (id.stage > 0)
        {
            std::vector<torch::Tensor> xs;
            std::vector<torch::Tensor> zs;
            for (auto& [sender, tensors] : b.arrived)
            {
                xs.push_back(tensors[0]);
                if (tensors.size() > 1)
                {
                    zs.push_back(tensors[1]);
                }
            }
            NS_ABORT_MSG_IF(xs.empty(), "TorchPacEngine: no activation arrived");
            x = torch::cat(xs, 0);
            NS_ABORT_MSG_IF(x.size(0) != n,
                            "TorchPacEngine: " << x.size(0) << " samples for " << n);
            if (!zs.empty())
            {
                b.zIn = torch::cat(zs, 0).requires_grad_(true);
                z = b.zIn;
            }
            b.arrived.clear();
        }
        b.loss = s.model->Run(s.first, s.last, ids, labels, x, z, m.config.batchSize);
        b.x = x;
        b.z = z;
        if (b.loss.defined())
        {
            m.losses[runStep] += b.loss.item<double>();
        }
    }
    else if (id.op == PacTensorOp::BACKWARD)
    {
        PacMicroBatchState& b = state.batches[id.microBatch];
        if (b.loss.defined())
        {
            b.loss.backward();
        }
        else if (b.z.defined() && b.z.requires_grad())
        {
            std::vector<torch::Tensor> parts;
            for (auto& [receiver, gradient] : b.gradients)
            {
                parts.push_back(gradient);
            }
            NS_ABORT_MSG_IF(parts.empty(), "TorchPacEngine: no side gradient arrived");
            b.z.backward(torch::cat(parts, 0));
        }
        b.gradients.clear();
        b.x = torch::Tensor();
        b.z = torch::Tensor();
        b.loss = torch::Tensor();
    }
    else if (id.op == PacTensorOp::ALL_REDUCE)
    {
        // the AGGREGATE after a chunk arrived: add it to the member's own running sum
        m.StartRing(s, state);
        NS_ABORT_MSG_IF(!state.incoming.at(id.receiver).defined(),
                        "TorchPacEngine: no chunk arrived");
        state.partial[id.receiver] += state.incoming[id.receiver];
        state.incoming[id.receiver] = torch::Tensor();
    }
    else if (id.op == PacTensorOp::UPDATE)
    {
        if (!state.partial.empty())
        {
            // the reduced gradient: the chunks of the second phase, the member's own reduced one
            std::vector<torch::Tensor> chunks;
            for (size_t c = 0; c < state.partial.size(); ++c)
            {
                chunks.push_back(state.incoming[c].defined() ? state.incoming[c]
                                                             : state.partial[c]);
            }
            const torch::Tensor flat = torch::cat(chunks);
            int64_t at = 0;
            for (uint32_t layer = s.first; layer <= s.last; ++layer)
            {
                for (const torch::Tensor& p : s.model->Trainable(layer))
                {
                    p.mutable_grad() = flat.narrow(0, at, p.numel()).view(p.sizes()).clone();
                    at += p.numel();
                }
            }
        }
        s.optimizer->step();
        s.optimizer->zero_grad();
        s.steps.erase(id.step);
    }
    else
    {
        NS_FATAL_ERROR("TorchPacEngine: kernel id " << kernelId << " is not a kernel");
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TensorPayload
TorchPacEngine::ProvideTensor(uint32_t node, uint64_t tensorId, uint32_t /* iteration */)
{
    Impl& m = *m_impl;
    TorchThreadGuard threads(1);
    const PacTensorId id = PacTensorId::Parse(tensorId);
    PacDeviceState& s = m.devices[m.DeviceOf(node)];
    TensorPayload bytes;
    PacStepState& state = s.steps[id.step];
    if (id.op == PacTensorOp::ACTIVATION)
    {
        PacMicroBatchState& b = state.batches[id.microBatch];
        uint32_t begin = 0;
        const uint32_t count = m.Shared(id.stage, id.sender, id.receiver, begin);
        const uint32_t own = begin - m.Offset(id.stage, id.sender);
        NS_ABORT_MSG_IF(!b.x.defined(), "TorchPacEngine: no forward output to send");
        std::vector<torch::Tensor> parts{Rows(b.x, own, count)};
        if (b.z.defined())
        {
            parts.push_back(Rows(b.z, own, count));
        }
        bytes = Serialize(parts);
    }
    else if (id.op == PacTensorOp::GRADIENT)
    {
        PacMicroBatchState& b = state.batches[id.microBatch];
        uint32_t begin = 0;
        const uint32_t count = m.Shared(id.stage, id.sender, id.receiver, begin);
        const uint32_t own = begin - m.Offset(id.stage + 1, id.receiver);
        NS_ABORT_MSG_IF(!b.zIn.defined() || !b.zIn.grad().defined(),
                        "TorchPacEngine: no side gradient to send back");
        bytes = Serialize({Rows(b.zIn.grad(), own, count)});
    }
    else if (id.op == PacTensorOp::ALL_REDUCE)
    {
        m.StartRing(s, state);
        const uint32_t c = id.receiver;
        bytes =
            Serialize({state.incoming.at(c).defined() ? state.incoming[c] : state.partial.at(c)});
    }
    else
    {
        NS_FATAL_ERROR("TorchPacEngine: tensor id " << tensorId << " is not a tensor");
    }
    m.carried += bytes->size();
    return bytes;
}

void
TorchPacEngine::ConsumeTensor(uint32_t node,
                              uint64_t tensorId,
                              uint32_t /* iteration */,
                              TensorPayload bytes)
{
    Impl& m = *m_impl;
    TorchThreadGuard threads(1);
    const PacTensorId id = PacTensorId::Parse(tensorId);
    PacDeviceState& s = m.devices[m.DeviceOf(node)];
    const int64_t seq = m.config.spec.sequenceLength;
    const int64_t h = m.config.spec.hidden;
    const int64_t w = m.config.recipe.GetAdapterWidth(m.config.spec);
    auto take = [&](std::vector<int64_t> shape, size_t at) {
        torch::Tensor t = torch::empty(shape);
        NS_ABORT_MSG_IF(at + t.numel() * sizeof(float) > bytes->size(),
                        "TorchPacEngine: " << bytes->size() << " bytes are too few");
        std::memcpy(t.data_ptr<float>(), bytes->data() + at, t.numel() * sizeof(float));
        return t;
    };
    PacStepState& state = s.steps[id.step];
    if (id.op == PacTensorOp::ACTIVATION)
    {
        uint32_t begin = 0;
        const int64_t count = m.Shared(id.stage, id.sender, id.receiver, begin);
        const size_t xBytes = count * seq * h * sizeof(float);
        const size_t zBytes = count * seq * w * sizeof(float);
        NS_ABORT_MSG_IF(bytes->size() != xBytes && bytes->size() != xBytes + zBytes,
                        "TorchPacEngine: " << bytes->size() << " bytes of activations for " << count
                                           << " samples");
        std::vector<torch::Tensor> tensors{take({count, seq, h}, 0)};
        if (bytes->size() > xBytes)
        {
            tensors.push_back(take({count, seq, w}, xBytes));
        }
        state.batches[id.microBatch].arrived[id.sender] = tensors;
    }
    else if (id.op == PacTensorOp::GRADIENT)
    {
        uint32_t begin = 0;
        const int64_t count = m.Shared(id.stage, id.sender, id.receiver, begin);
        NS_ABORT_MSG_IF(bytes->size() != count * seq * w * sizeof(float),
                        "TorchPacEngine: " << bytes->size() << " bytes of side gradient");
        state.batches[id.microBatch].gradients[id.receiver] = take({count, seq, w}, 0);
    }
    else if (id.op == PacTensorOp::ALL_REDUCE)
    {
        const int64_t elements = static_cast<int64_t>(bytes->size() / sizeof(float));
        if (state.incoming.empty())
        {
            state.incoming.resize(m.plan->step.stages.at(s.stage).devices.size());
        }
        state.incoming.at(id.receiver) = take({elements}, 0);
    }
    else
    {
        NS_FATAL_ERROR("TorchPacEngine: tensor id " << tensorId << " is not a tensor");
    }
}

std::vector<std::vector<float>>
TorchPacEngine::GetLayerParameters(uint32_t device) const
{
    const Impl& m = *m_impl;
    NS_ABORT_MSG_IF(device >= m.devices.size(), "TorchPacEngine: device " << device);
    const PacDeviceState& s = m.devices[device];
    std::vector<std::vector<float>> layers(s.model->GetLayerCount());
    if (s.stage >= 0)
    {
        for (uint32_t l = s.first; l <= s.last; ++l)
        {
            layers[l] = s.model->Flattened(l);
        }
    }
    return layers;
}

std::vector<std::vector<float>>
TorchPacEngine::Reference(uint32_t steps) const
{
    const Impl& m = *m_impl;
    NS_ABORT_MSG_IF(!m.configured, "TorchPacEngine: Configure must come first");
    TorchThreadGuard threads(1);
    torch::manual_seed(m.config.seed);
    PacModel model(m.config);
    std::vector<torch::Tensor> trainable;
    for (uint32_t l = 0; l < model.GetLayerCount(); ++l)
    {
        for (const torch::Tensor& p : model.Trainable(l))
        {
            trainable.push_back(p);
        }
    }
    std::unique_ptr<torch::optim::Optimizer> optimizer = MakeOptimizer(m.config, trainable);
    const int64_t seq = m.config.spec.sequenceLength;
    for (uint32_t step = 0; step < steps; ++step)
    {
        std::vector<int64_t> tokens;
        std::vector<int64_t> classes;
        m.task->Generate(step, m.config.batchSize, tokens, classes);
        torch::Tensor x;
        torch::Tensor z;
        torch::Tensor loss =
            model.Run(0,
                      model.GetLayerCount() - 1,
                      torch::tensor(tokens, torch::kLong).view({m.config.batchSize, seq}),
                      torch::tensor(classes, torch::kLong),
                      x,
                      z,
                      m.config.batchSize);
        optimizer->zero_grad();
        loss.backward();
        optimizer->step();
    }
    std::vector<std::vector<float>> layers(model.GetLayerCount());
    for (uint32_t l = 0; l < model.GetLayerCount(); ++l)
    {
        layers[l] = model.Flattened(l);
    }
    return layers;
}

std::vector<double>
TorchPacEngine::GetStepLosses() const
{
    std::vector<double> losses;
    for (const auto& [step, loss] : m_impl->losses)
    {
        losses.push_back(loss);
    }
    return losses;
}

uint64_t
TorchPacEngine::GetCarriedBytes() const
{
    return m_impl->carried;
}

} // namespace edgellm
} // namespace ns3
