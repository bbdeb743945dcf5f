/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-galaxy-engine.h"

#include "torch-encoder-block.h"
#include "torch-thread-guard.h"

#include "ns3/galaxy-graph-builder.h"
#include "ns3/log.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTorchGalaxyEngine");
NS_OBJECT_ENSURE_REGISTERED(TorchGalaxyEngine);

/// One device's tensors during a round.
struct GalaxyDeviceState
{
    std::vector<torch::Tensor> partial;  //!< per ring chunk: its running partial sum
    std::vector<torch::Tensor> incoming; //!< per ring chunk: the partial sum that arrived
    std::vector<torch::Tensor> rows;     //!< per ring chunk: the hidden state's rows
};

/// The LibTorch state of TorchGalaxyEngine.
struct TorchGalaxyEngine::Impl
{
    TorchGalaxyConfig config;              //!< the settings
    bool configured{false};                //!< Configure ran
    std::vector<TorchEncoderBlock> layers; //!< the model
    torch::Tensor prompt;                  //!< [sequence, hidden]: the input states
    GalaxyPlan plan;                       //!< the round's split
    std::vector<int32_t> memberOf;         //!< per device: its ring index, or -1
    std::vector<uint32_t> members;         //!< the ring: devices with tokens
    std::vector<int64_t> offset;           //!< per ring member: its first token
    std::vector<int64_t> headStart;        //!< per device: its first head
    std::vector<int64_t> columnStart;      //!< per device: its first FFN column
    std::vector<GalaxyDeviceState> state;  //!< per device
    uint64_t carried{0};                   //!< bytes carried so far

    /// \param node a node \return its device
    uint32_t DeviceOf(uint32_t node) const
    {
        for (uint32_t i = 0; i < config.nodes.size(); ++i)
        {
            if (config.nodes[i] == node)
            {
                return i;
            }
        }
        NS_FATAL_ERROR("TorchGalaxyEngine: node " << node << " is not a device of the plan");
    }

    /// \param device a ring member \return its ring index
    size_t MemberOf(uint32_t device) const
    {
        NS_ABORT_MSG_IF(memberOf[device] < 0,
                        "TorchGalaxyEngine: device " << device << " is not in the ring");
        return static_cast<size_t>(memberOf[device]);
    }

    /// \param chunk a ring chunk \return zeros of its shape
    torch::Tensor Zeros(size_t chunk) const
    {
        return torch::zeros({static_cast<int64_t>(plan.tokens[members[chunk]]),
                             static_cast<int64_t>(config.spec.hidden)});
    }

    /// \param s a device's state \return its full hidden state (every chunk present)
    static torch::Tensor Gathered(const GalaxyDeviceState& s)
    {
        for (const torch::Tensor& t : s.rows)
        {
            NS_ABORT_MSG_IF(!t.defined(), "TorchGalaxyEngine: a chunk has not arrived");
        }
        return torch::cat(s.rows, 0);
    }

    /// \param full a partial sum [sequence, hidden] \param s where its chunks go
    void Keep(const torch::Tensor& full, GalaxyDeviceState& s) const
    {
        for (size_t c = 0; c < members.size(); ++c)
        {
            s.partial[c] = full.narrow(0, offset[c], plan.tokens[members[c]]).clone();
        }
    }
};

TypeId
TorchGalaxyEngine::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TorchGalaxyEngine")
                            .SetParent<Object>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<TorchGalaxyEngine>();
    return tid;
}

TorchGalaxyEngine::TorchGalaxyEngine()
    : m_impl(std::make_unique<Impl>())
{
}

TorchGalaxyEngine::~TorchGalaxyEngine() = default;

void
TorchGalaxyEngine::DoDispose()
{
    m_impl.reset();
    Object::DoDispose();
}

std::string
TorchGalaxyEngine::Validate(const TorchGalaxyConfig& config)
{
    std::ostringstream os;
    const TransformerSpec& spec = config.spec;
    if (spec.decoderLayers > 0 || spec.encoderLayers == 0)
    {
        os << "model '" << spec.name
           << "' is invalid here: the engine runs encoder-only models (tiny-encoder, ...)";
        return os.str();
    }
    if (spec.heads == 0 || spec.hidden % spec.heads != 0 || spec.sequenceLength == 0)
    {
        os << "model '" << spec.name << "': heads=" << spec.heads
           << " must divide hidden=" << spec.hidden << " and the sequence must be positive";
        return os.str();
    }
    if (config.nodes.empty())
    {
        return "nodes is empty; allowed: one node per device";
    }
    if (config.columnGranule == 0 || spec.ffn % config.columnGranule != 0)
    {
        os << "columnGranule=" << config.columnGranule << " is invalid: must divide the FFN size "
           << spec.ffn;
        return os.str();
    }
    return "";
}

void
TorchGalaxyEngine::Configure(const TorchGalaxyConfig& config)
{
    const std::string problem = Validate(config);
    NS_ABORT_MSG_IF(!problem.empty(), "TorchGalaxyEngine: " << problem);
    TorchThreadGuard threads(1);
    torch::NoGradGuard noGrad;
    Impl& m = *m_impl;
    m.config = config;
    torch::manual_seed(config.seed);
    m.layers.clear();
    for (uint32_t l = 0; l < config.spec.encoderLayers; ++l)
    {
        m.layers.emplace_back(config.spec.hidden, config.spec.heads, config.spec.ffn);
        m.layers.back()->eval();
    }
    m.prompt = torch::randn({static_cast<int64_t>(config.spec.sequenceLength),
                             static_cast<int64_t>(config.spec.hidden)});
    m.state.assign(config.nodes.size(), GalaxyDeviceState());
    m.configured = true;
}

void
TorchGalaxyEngine::Connect(Ptr<TaskGraphExecution> execution)
{
    NS_ABORT_MSG_IF(!execution, "TorchGalaxyEngine::Connect: null execution");
    execution->SetTensorCallbacks(MakeCallback(&TorchGalaxyEngine::RunKernel, this),
                                  MakeCallback(&TorchGalaxyEngine::ProvideTensor, this),
                                  MakeCallback(&TorchGalaxyEngine::ConsumeTensor, this));
}

void
TorchGalaxyEngine::SetPlan(const GalaxyPlan& plan)
{
    Impl& m = *m_impl;
    NS_ABORT_MSG_IF(!m.configured, "TorchGalaxyEngine: Configure must come first");
    const size_t devices = m.config.nodes.size();
    NS_ABORT_MSG_IF(plan.tokens.size() != devices || plan.heads.size() != devices,
                    "TorchGalaxyEngine: a plan of " << plan.tokens.size() << " devices for "
                                                    << devices);
    m.plan = plan;
    m.members.clear();
    m.memberOf.assign(devices, -1);
    m.offset.clear();
    m.headStart.assign(devices, 0);
    m.columnStart.assign(devices, 0);
    int64_t token = 0;
    for (uint32_t i = 0; i < devices; ++i)
    {
        if (i > 0)
        {
            m.headStart[i] = m.headStart[i - 1] + plan.heads[i - 1];
            m.columnStart[i] = m.columnStart[i - 1] +
                               static_cast<int64_t>(plan.units[i - 1]) * m.config.columnGranule;
        }
        if (plan.tokens[i] > 0)
        {
            m.memberOf[i] = static_cast<int32_t>(m.members.size());
            m.members.push_back(i);
            m.offset.push_back(token);
            token += plan.tokens[i];
        }
    }
    for (GalaxyDeviceState& s : m.state)
    {
        s.partial.assign(m.members.size(), torch::Tensor());
        s.incoming.assign(m.members.size(), torch::Tensor());
        s.rows.assign(m.members.size(), torch::Tensor());
    }
}

double
TorchGalaxyEngine::RunKernel(uint32_t node, uint64_t kernelId, uint32_t /* iteration */)
{
    Impl& m = *m_impl;
    NS_ABORT_MSG_IF(m.members.empty(), "TorchGalaxyEngine: no plan (connect SetPlan to Planned)");
    TorchThreadGuard threads(1);
    torch::NoGradGuard noGrad;
    const auto start = std::chrono::steady_clock::now();
    GalaxyTensorOp op;
    uint32_t layer;
    uint32_t block;
    uint32_t chunk;
    GalaxyGraphBuilder::ParseTensorId(kernelId, op, layer, block, chunk);
    NS_ABORT_MSG_IF(layer >= m.layers.size(), "TorchGalaxyEngine: layer " << layer);
    const uint32_t device = m.DeviceOf(node);
    const size_t member = m.MemberOf(device);
    GalaxyDeviceState& s = m.state[device];
    TorchEncoderBlockImpl& w = *m.layers[layer];
    const int64_t d = m.config.spec.hidden;
    const int64_t k = d / m.config.spec.heads;
    if (op == GalaxyTensorOp::ATTENTION)
    {
        const torch::Tensor input = layer == 0 ? m.prompt : Impl::Gathered(s);
        const int64_t h = m.plan.heads[device];
        const int64_t first = m.headStart[device];
        const int64_t tokens = input.size(0);
        auto project = [&](int64_t part) {
            const int64_t row = part * d + first * k;
            return torch::addmm(w.m_qkv->bias.narrow(0, row, h * k),
                                input,
                                w.m_qkv->weight.narrow(0, row, h * k).t())
                .view({tokens, h, k})
                .permute({1, 0, 2});
        };
        const torch::Tensor scores =
            torch::matmul(project(0), project(1).transpose(-2, -1)) / std::sqrt(double(k));
        const torch::Tensor context = torch::matmul(torch::softmax(scores, -1), project(2))
                                          .permute({1, 0, 2})
                                          .reshape({tokens, h * k});
        m.Keep(torch::matmul(context, w.m_proj->weight.narrow(1, first * k, h * k).t()), s);
    }
    else if (op == GalaxyTensorOp::MLP)
    {
        const torch::Tensor input = Impl::Gathered(s);
        const int64_t c = static_cast<int64_t>(m.plan.units[device]) * m.config.columnGranule;
        const int64_t first = m.columnStart[device];
        const torch::Tensor inner =
            torch::gelu(torch::addmm(w.m_ff1->bias.narrow(0, first, c),
                                     input,
                                     w.m_ff1->weight.narrow(0, first, c).t()));
        m.Keep(torch::matmul(inner, w.m_ff2->weight.narrow(1, first, c).t()), s);
    }
    else if (op == GalaxyTensorOp::REDUCE_SCATTER)
    {
        // the AGGREGATE after a chunk arrived: add it to the member's own partial sum
        NS_ABORT_MSG_IF(!s.incoming[chunk].defined(), "TorchGalaxyEngine: no chunk arrived");
        s.partial[chunk] =
            s.partial[chunk].defined() ? s.partial[chunk] + s.incoming[chunk] : s.incoming[chunk];
        s.incoming[chunk] = torch::Tensor();
    }
    else if (op == GalaxyTensorOp::CONNECTIVE)
    {
        const torch::Tensor residual =
            layer == 0 && block == 0 ? m.prompt.narrow(0, m.offset[member], m.plan.tokens[device])
                                     : s.rows[member];
        const torch::Tensor sum = s.partial[member].defined() ? s.partial[member] : m.Zeros(member);
        s.rows[member] = block == 0 ? w.m_ln1(residual + sum + w.m_proj->bias)
                                    : w.m_ln2(residual + sum + w.m_ff2->bias);
        for (torch::Tensor& t : s.partial)
        {
            t = torch::Tensor(); // used: the next half starts from nothing
        }
    }
    else
    {
        NS_FATAL_ERROR("TorchGalaxyEngine: kernel id " << kernelId << " is not Galaxy's");
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TensorPayload
TorchGalaxyEngine::ProvideTensor(uint32_t node, uint64_t tensorId, uint32_t /* iteration */)
{
    Impl& m = *m_impl;
    GalaxyTensorOp op;
    uint32_t layer;
    uint32_t block;
    uint32_t chunk;
    GalaxyGraphBuilder::ParseTensorId(tensorId, op, layer, block, chunk);
    GalaxyDeviceState& s = m.state[m.DeviceOf(node)];
    NS_ABORT_MSG_IF(chunk >= m.members.size(), "TorchGalaxyEngine: chunk " << chunk);
    torch::Tensor tensor;
    if (op == GalaxyTensorOp::REDUCE_SCATTER)
    {
        tensor = s.partial[chunk].defined() ? s.partial[chunk] : m.Zeros(chunk);
    }
    else
    {
        NS_ABORT_MSG_IF(op != GalaxyTensorOp::ALL_GATHER || !s.rows[chunk].defined(),
                        "TorchGalaxyEngine: tensor id " << tensorId << " on node " << node);
        tensor = s.rows[chunk];
    }
    tensor = tensor.contiguous();
    auto bytes = std::make_shared<std::vector<uint8_t>>(tensor.numel() * sizeof(float));
    std::memcpy(bytes->data(), tensor.data_ptr<float>(), bytes->size());
    m.carried += bytes->size();
    return bytes;
}

void
TorchGalaxyEngine::ConsumeTensor(uint32_t node,
                                 uint64_t tensorId,
                                 uint32_t /* iteration */,
                                 TensorPayload bytes)
{
    Impl& m = *m_impl;
    GalaxyTensorOp op;
    uint32_t layer;
    uint32_t block;
    uint32_t chunk;
    GalaxyGraphBuilder::ParseTensorId(tensorId, op, layer, block, chunk);
    GalaxyDeviceState& s = m.state[m.DeviceOf(node)];
    torch::Tensor tensor = m.Zeros(chunk);
    NS_ABORT_MSG_IF(bytes->size() != tensor.numel() * sizeof(float),
                    "TorchGalaxyEngine: " << bytes->size() << " bytes for chunk " << chunk);
    std::memcpy(tensor.data_ptr<float>(), bytes->data(), bytes->size());
    if (op == GalaxyTensorOp::REDUCE_SCATTER)
    {
        s.incoming[chunk] = tensor;
    }
    else
    {
        s.rows[chunk] = tensor;
    }
}

std::vector<float>
TorchGalaxyEngine::GetOutput(uint32_t device) const
{
    const Impl& m = *m_impl;
    if (device >= m.state.size() || m.memberOf.empty() || m.memberOf[device] < 0)
    {
        return {};
    }
    const torch::Tensor out = Impl::Gathered(m.state[device]).contiguous();
    return std::vector<float>(out.data_ptr<float>(), out.data_ptr<float>() + out.numel());
}

std::vector<float>
TorchGalaxyEngine::Reference() const
{
    const Impl& m = *m_impl;
    TorchThreadGuard threads(1);
    torch::NoGradGuard noGrad;
    torch::Tensor h = m.prompt.unsqueeze(0);
    for (TorchEncoderBlock layer : m.layers) // a handle: forward is not const
    {
        h = layer->forward(h);
    }
    h = h.squeeze(0).contiguous();
    return std::vector<float>(h.data_ptr<float>(), h.data_ptr<float>() + h.numel());
}

uint64_t
TorchGalaxyEngine::GetCarriedBytes() const
{
    return m_impl->carried;
}

} // namespace edgellm
} // namespace ns3
