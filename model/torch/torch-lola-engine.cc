/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-lola-engine.h"

#include "synthetic-classification-task.h"
#include "torch-encoder-block.h"
#include "torch-thread-guard.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/lola-deft-strategy.h"

#include <chrono>
#include <cstring>
#include <map>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTorchLolaEngine");
NS_OBJECT_ENSURE_REGISTERED(TorchLolaEngine);

namespace
{
/// One copy of the model: frozen embeddings and classifier, the encoder blocks.
struct Replica
{
    torch::nn::Embedding tokens{nullptr};    //!< token table (frozen)
    torch::nn::Embedding positions{nullptr}; //!< position table (frozen)
    std::vector<TorchEncoderBlock> blocks;   //!< the encoder blocks, input to output
    torch::nn::Linear classifier{nullptr};   //!< head (frozen)
};

/// a replica of \p spec with the weights seed \p seed gives (every replica alike)
Replica
MakeReplica(const TransformerSpec& spec, uint64_t seed)
{
    torch::manual_seed(seed);
    Replica r;
    r.tokens = torch::nn::Embedding(spec.vocabulary, spec.hidden);
    r.positions = torch::nn::Embedding(spec.sequenceLength, spec.hidden);
    TorchEncoderBlockOptions options;
    options.hidden = spec.hidden;
    options.heads = spec.heads;
    options.ffn = spec.ffn;
    options.recipe = RecipeKind::FULL;
    for (uint32_t l = 0; l < spec.encoderLayers; ++l)
    {
        r.blocks.emplace_back(options);
    }
    r.classifier = torch::nn::Linear(spec.hidden, SyntheticClassificationTask::CLASSES);
    for (auto& p : r.tokens->parameters())
    {
        p.requires_grad_(false);
    }
    for (auto& p : r.positions->parameters())
    {
        p.requires_grad_(false);
    }
    for (auto& p : r.classifier->parameters())
    {
        p.requires_grad_(false);
    }
    return r;
}
} // namespace

/// The replicas, the master, the data and what is in flight.
struct TorchLolaEngine::Impl
{
    TorchLolaConfig config;                            //!< settings
    bool configured{false};                            //!< Configure ran
    std::vector<Replica> devices;                      //!< one replica per device
    Replica master;                                    //!< the server's copy
    std::unique_ptr<SyntheticClassificationTask> task; //!< the data
    /// per block: its encoder blocks (first, last), input to output
    std::vector<std::pair<uint32_t, uint32_t>> blockLayers;
    std::map<std::pair<uint32_t, uint32_t>, TensorPayload> outbox; //!< (device, block): gradient
    std::map<uint32_t, TensorPayload> inbox;                       //!< block: gradient arrived
    std::map<uint32_t, std::vector<int32_t>> assignments;          //!< round: device -> block

    /// the parameters of block m of a replica, in order
    std::vector<torch::Tensor> BlockParameters(const Replica& r, uint32_t m) const
    {
        std::vector<torch::Tensor> out;
        for (uint32_t l = blockLayers[m].first; l <= blockLayers[m].second; ++l)
        {
            for (const auto& p : r.blocks[l]->parameters())
            {
                out.push_back(p);
            }
        }
        return out;
    }

    /// block m's gradient on a replica, for batch \p batch, flattened
    std::vector<float> Gradient(Replica& r, uint32_t m, uint64_t batch) const
    {
        const uint32_t b = config.batchSize;
        const int64_t s = config.spec.sequenceLength;
        std::vector<int64_t> tokens;
        std::vector<int64_t> labels;
        task->Generate(batch, b, tokens, labels);
        std::vector<torch::Tensor> trained = BlockParameters(r, m);
        for (auto& block : r.blocks)
        {
            for (auto& p : block->parameters())
            {
                p.requires_grad_(false);
                p.mutable_grad() = torch::Tensor();
            }
        }
        for (auto& p : trained)
        {
            p.requires_grad_(true);
        }
        auto ids = torch::tensor(tokens, torch::kLong).view({static_cast<int64_t>(b), s});
        auto x = r.tokens(ids) + r.positions(torch::arange(s, torch::kLong)).unsqueeze(0);
        for (auto& block : r.blocks)
        {
            x = block(x);
        }
        auto logits = r.classifier(x.mean(1));
        auto loss =
            torch::nn::functional::cross_entropy(logits, torch::tensor(labels, torch::kLong));
        loss.backward();
        std::vector<float> flat;
        for (const auto& p : trained)
        {
            auto g = p.grad().reshape({-1}).contiguous();
            flat.insert(flat.end(), g.data_ptr<float>(), g.data_ptr<float>() + g.numel());
        }
        return flat;
    }

    /// SGD on block m of a replica with a flattened gradient
    void Apply(Replica& r, uint32_t m, const float* gradient) const
    {
        torch::NoGradGuard noGrad;
        size_t offset = 0;
        for (auto& p : BlockParameters(r, m))
        {
            auto g =
                torch::from_blob(const_cast<float*>(gradient + offset), p.sizes(), torch::kFloat);
            p.sub_(g * config.learningRate);
            offset += p.numel();
        }
    }

    /// every block of a replica, flattened
    std::vector<float> AllBlocks(const Replica& r) const
    {
        std::vector<float> flat;
        for (uint32_t m = 0; m < blockLayers.size(); ++m)
        {
            for (const auto& p : BlockParameters(r, m))
            {
                auto v = p.detach().reshape({-1}).contiguous();
                flat.insert(flat.end(), v.data_ptr<float>(), v.data_ptr<float>() + v.numel());
            }
        }
        return flat;
    }

    /// load a flattened copy of every block into a replica
    void LoadAll(Replica& r, const float* values) const
    {
        torch::NoGradGuard noGrad;
        size_t offset = 0;
        for (uint32_t m = 0; m < blockLayers.size(); ++m)
        {
            for (auto& p : BlockParameters(r, m))
            {
                std::memcpy(p.data_ptr<float>(), values + offset, p.numel() * sizeof(float));
                offset += p.numel();
            }
        }
    }

    /// the position of \p node among the devices (NS_FATAL_ERROR when it is none)
    uint32_t DeviceOf(uint32_t node) const
    {
        for (uint32_t k = 0; k < config.nodes.size(); ++k)
        {
            if (config.nodes[k] == node)
            {
                return k;
            }
        }
        NS_FATAL_ERROR("TorchLolaEngine: node " << node << " is not one of the devices");
        return 0;
    }
};

TypeId
TorchLolaEngine::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TorchLolaEngine").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

TorchLolaEngine::TorchLolaEngine()
    : m_impl(std::make_unique<Impl>())
{
}

TorchLolaEngine::~TorchLolaEngine() = default;

void
TorchLolaEngine::DoDispose()
{
    m_impl = std::make_unique<Impl>();
    Object::DoDispose();
}

std::string
TorchLolaEngine::Validate(const TorchLolaConfig& config)
{
    std::ostringstream out;
    const TransformerSpec& spec = config.spec;
    const std::string model = CheckSmallEncoder(spec);
    if (!model.empty())
    {
        return model;
    }
    if (config.nodes.empty() || config.nodes.size() > 64)
    {
        out << "devices=" << config.nodes.size() << " is not supported: 1 to 64";
        return out.str();
    }
    if (config.layersPerBlock == 0 || config.layersPerBlock > spec.encoderLayers)
    {
        out << "layersPerBlock=" << config.layersPerBlock << " is invalid: 1 to "
            << spec.encoderLayers;
        return out.str();
    }
    if (config.batchSize == 0 || config.batchSize > 256)
    {
        out << "batchSize=" << config.batchSize << " is invalid: 1 to 256";
        return out.str();
    }
    if (!(config.learningRate > 0))
    {
        out << "learningRate=" << config.learningRate << " is invalid: must be positive";
        return out.str();
    }
    return SyntheticClassificationTask::Validate(spec.vocabulary, spec.sequenceLength);
}

void
TorchLolaEngine::Configure(const TorchLolaConfig& config)
{
    const std::string problem = Validate(config);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("TorchLolaEngine: " << problem);
    }
    TorchThreadGuard threads(1);
    Impl& m = *m_impl;
    m.config = config;
    m.devices.clear();
    for (size_t k = 0; k < config.nodes.size(); ++k)
    {
        m.devices.push_back(MakeReplica(config.spec, config.seed));
    }
    m.master = MakeReplica(config.spec, config.seed);
    m.task = std::make_unique<SyntheticClassificationTask>(config.seed,
                                                           config.spec.vocabulary,
                                                           config.spec.sequenceLength);
    // blocks from the output down, the deepest takes what is left (as LolaDeftCostModel)
    m.blockLayers.clear();
    const uint32_t layers = config.spec.encoderLayers;
    for (uint32_t i = 0; i < layers; i += config.layersPerBlock)
    {
        const uint32_t end = std::min(i + config.layersPerBlock, layers);
        m.blockLayers.emplace_back(layers - end, layers - 1 - i);
    }
    m.outbox.clear();
    m.inbox.clear();
    m.assignments.clear();
    m.configured = true;
}

void
TorchLolaEngine::Connect(Ptr<TaskGraphExecution> execution)
{
    NS_ABORT_MSG_IF(!execution, "TorchLolaEngine::Connect: null execution");
    execution->SetTensorCallbacks(MakeCallback(&TorchLolaEngine::RunKernel, this),
                                  MakeCallback(&TorchLolaEngine::ProvideTensor, this),
                                  MakeCallback(&TorchLolaEngine::ConsumeTensor, this));
}

uint32_t
TorchLolaEngine::GetBlockCount() const
{
    return static_cast<uint32_t>(m_impl->blockLayers.size());
}

uint64_t
TorchLolaEngine::GetBlockBytes(uint32_t block) const
{
    uint64_t bytes = 0;
    for (const auto& p : m_impl->BlockParameters(m_impl->master, block))
    {
        bytes += p.numel() * sizeof(float);
    }
    return bytes;
}

std::vector<float>
TorchLolaEngine::GetServerParameters() const
{
    return m_impl->AllBlocks(m_impl->master);
}

std::vector<std::vector<int32_t>>
TorchLolaEngine::GetAssignments() const
{
    std::vector<std::vector<int32_t>> rounds;
    for (const auto& [round, assignment] : m_impl->assignments)
    {
        rounds.push_back(assignment);
    }
    return rounds;
}

double
TorchLolaEngine::RunKernel(uint32_t node, uint64_t kernelId, uint32_t iteration)
{
    NS_ABORT_MSG_IF(!m_impl->configured, "TorchLolaEngine: Configure must come first");
    TorchThreadGuard threads(1);
    Impl& m = *m_impl;
    LolaTaskOp op;
    uint32_t device;
    uint32_t block;
    LolaDeftStrategy::DecodeTaskId(kernelId, op, device, block);
    const auto start = std::chrono::steady_clock::now();
    if (op == LolaTaskOp::GRADIENT)
    {
        NS_ABORT_MSG_IF(m.DeviceOf(node) != device,
                        "TorchLolaEngine: gradient of device " << device << " asked on node "
                                                               << node);
        auto& assignment = m.assignments[iteration];
        assignment.resize(m.config.nodes.size(), -1);
        assignment[device] = static_cast<int32_t>(block);
        const uint64_t batch = static_cast<uint64_t>(iteration) * m.config.nodes.size() + device;
        auto flat = std::make_shared<std::vector<uint8_t>>();
        const std::vector<float> gradient = m.Gradient(m.devices[device], block, batch);
        flat->resize(gradient.size() * sizeof(float));
        std::memcpy(flat->data(), gradient.data(), flat->size());
        m.outbox[{device, block}] = flat;
    }
    else if (op == LolaTaskOp::UPDATE)
    {
        NS_ABORT_MSG_IF(node != m.config.serverNode, "TorchLolaEngine: update off the server");
        auto found = m.inbox.find(block);
        NS_ABORT_MSG_IF(found == m.inbox.end(),
                        "TorchLolaEngine: block " << block << " updated before its gradient came");
        m.Apply(m.master, block, reinterpret_cast<const float*>(found->second->data()));
        m.inbox.erase(found);
    }
    else
    {
        NS_FATAL_ERROR("TorchLolaEngine: kernel id " << kernelId << " names no kernel");
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TensorPayload
TorchLolaEngine::ProvideTensor(uint32_t node, uint64_t tensorId, uint32_t /* iteration */)
{
    Impl& m = *m_impl;
    LolaTaskOp op;
    uint32_t device;
    uint32_t block;
    LolaDeftStrategy::DecodeTaskId(tensorId, op, device, block);
    if (op == LolaTaskOp::UPLOAD)
    {
        auto found = m.outbox.find({device, block});
        NS_ABORT_MSG_IF(found == m.outbox.end(),
                        "TorchLolaEngine: device " << device << " sends block " << block
                                                   << "'s gradient before computing it");
        TensorPayload payload = found->second;
        m.outbox.erase(found);
        return payload;
    }
    NS_ABORT_MSG_IF(op != LolaTaskOp::PARAMETERS || node != m.config.serverNode,
                    "TorchLolaEngine: tensor id " << tensorId << " on node " << node);
    const std::vector<float> values = m.AllBlocks(m.master);
    auto bytes = std::make_shared<std::vector<uint8_t>>(values.size() * sizeof(float));
    std::memcpy(bytes->data(), values.data(), bytes->size());
    return bytes;
}

void
TorchLolaEngine::ConsumeTensor(uint32_t node,
                               uint64_t tensorId,
                               uint32_t /* iteration */,
                               TensorPayload bytes)
{
    Impl& m = *m_impl;
    LolaTaskOp op;
    uint32_t device;
    uint32_t block;
    LolaDeftStrategy::DecodeTaskId(tensorId, op, device, block);
    if (op == LolaTaskOp::UPLOAD)
    {
        NS_ABORT_MSG_IF(node != m.config.serverNode, "TorchLolaEngine: a gradient off the server");
        m.inbox[block] = bytes;
        return;
    }
    NS_ABORT_MSG_IF(op != LolaTaskOp::PARAMETERS, "TorchLolaEngine: tensor id " << tensorId);
    m.LoadAll(m.devices[m.DeviceOf(node)], reinterpret_cast<const float*>(bytes->data()));
}

std::vector<float>
TorchLolaEngine::Reference(const std::vector<std::vector<int32_t>>& assignments) const
{
    TorchThreadGuard threads(1);
    const Impl& m = *m_impl;
    Replica master = MakeReplica(m.config.spec, m.config.seed);
    for (uint32_t round = 0; round < assignments.size(); ++round)
    {
        std::vector<std::pair<uint32_t, std::vector<float>>> gradients;
        for (uint32_t k = 0; k < assignments[round].size(); ++k)
        {
            const int32_t block = assignments[round][k];
            if (block >= 0)
            {
                const uint64_t batch = static_cast<uint64_t>(round) * m.config.nodes.size() + k;
                gradients.emplace_back(block, m.Gradient(master, block, batch));
            }
        }
        for (const auto& [block, gradient] : gradients)
        {
            m.Apply(master, block, gradient.data());
        }
    }
    return m.AllBlocks(master);
}

} // namespace edgellm
} // namespace ns3
