/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-encoder-block.h"

#include <cmath>

namespace ns3
{
namespace edgellm
{

namespace
{

/// \return the engine's options: recipe FULL, no dropout
TorchEncoderBlockOptions
EngineOptions(int64_t hidden, int64_t heads, int64_t ffn)
{
    TorchEncoderBlockOptions options;
    options.hidden = hidden;
    options.heads = heads;
    options.ffn = ffn;
    return options;
}

} // namespace

std::string
CheckSmallEncoder(const TransformerSpec& spec)
{
    if (spec.HasDecoder() || spec.encoderLayers == 0)
    {
        return "spec '" + spec.name + "' is not supported: an encoder-only model";
    }
    if (spec.hidden == 0 || spec.hidden > 1024 || spec.heads == 0 || spec.hidden % spec.heads)
    {
        return "spec.hidden=" + std::to_string(spec.hidden) +
               ", heads=" + std::to_string(spec.heads) +
               " are not supported: hidden at most 1024, a multiple of heads";
    }
    return "";
}

TorchEncoderBlockImpl::TorchEncoderBlockImpl(int64_t hidden, int64_t heads, int64_t ffn)
    : TorchEncoderBlockImpl(EngineOptions(hidden, heads, ffn))
{
}

TorchEncoderBlockImpl::TorchEncoderBlockImpl(const TorchEncoderBlockOptions& options)
    : m_options(options),
      m_heads(options.heads),
      m_qkv(register_module("qkv", torch::nn::Linear(options.hidden, 3 * options.hidden))),
      m_proj(register_module("proj", torch::nn::Linear(options.hidden, options.hidden))),
      m_ln1(register_module("ln1",
                            torch::nn::LayerNorm(torch::nn::LayerNormOptions({options.hidden})))),
      m_ff1(register_module("ff1", torch::nn::Linear(options.hidden, options.ffn))),
      m_ff2(register_module("ff2", torch::nn::Linear(options.ffn, options.hidden))),
      m_ln2(register_module("ln2",
                            torch::nn::LayerNorm(torch::nn::LayerNormOptions({options.hidden}))))
{
    AddRecipeModules();
}

void
TorchEncoderBlockImpl::AddRecipeModules()
{
    const int64_t h = m_options.hidden;
    switch (m_options.recipe)
    {
    case RecipeKind::FULL:
        return;
    case RecipeKind::LORA: {
        const int64_t r = m_options.loraRank;
        auto noBias = [](int64_t in, int64_t out) {
            return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
        };
        m_loraQA = register_module("loraQA", noBias(h, r));
        m_loraQB = register_module("loraQB", noBias(r, h));
        m_loraVA = register_module("loraVA", noBias(h, r));
        m_loraVB = register_module("loraVB", noBias(r, h));
        torch::NoGradGuard noGrad;
        m_loraQB->weight.zero_();
        m_loraVB->weight.zero_();
        break;
    }
    case RecipeKind::ADAPTERS: {
        const int64_t m = m_options.adapterWidth;
        m_adapter1Down = register_module("adapter1Down", torch::nn::Linear(h, m));
        m_adapter1Up = register_module("adapter1Up", torch::nn::Linear(m, h));
        m_adapter2Down = register_module("adapter2Down", torch::nn::Linear(h, m));
        m_adapter2Up = register_module("adapter2Up", torch::nn::Linear(m, h));
        break;
    }
    case RecipeKind::PARALLEL_ADAPTERS: {
        const int64_t w = m_options.adapterWidth;
        m_sideA = register_module("sideA", torch::nn::Linear(h, w));
        m_sideB = register_module("sideB", torch::nn::Linear(w, w));
        break;
    }
    case RecipeKind::INFERENCE:
        break;
    }
    for (auto& parameter : BackboneParameters())
    {
        parameter.requires_grad_(false);
    }
    if (m_options.recipe == RecipeKind::INFERENCE)
    {
        for (auto& parameter : parameters())
        {
            parameter.requires_grad_(false);
        }
    }
}

torch::Tensor
TorchEncoderBlockImpl::Dropout(const torch::Tensor& x)
{
    if (m_options.dropout > 0 && is_training())
    {
        return torch::dropout(x, m_options.dropout, true);
    }
    return x;
}

torch::Tensor
TorchEncoderBlockImpl::forward(const torch::Tensor& x)
{
    const int64_t batch = x.size(0);
    const int64_t length = x.size(1);
    const int64_t hidden = x.size(2);
    const int64_t headDim = hidden / m_heads;
    // Each phase in its own scope, so that its intermediates are freed when it ends (a C++ local
    // lives to the end of its scope, a temporary to the end of its full expression): what stays
    // alive is what autograd saved. The numerics do not depend on it.
    torch::Tensor h;
    {
        torch::Tensor q;
        torch::Tensor k;
        torch::Tensor v;
        if (m_options.recipe == RecipeKind::LORA)
        {
            // The LoRA outputs are added to the q and v slices of the fused projection.
            auto fused = m_qkv(x);
            auto split = [&](const torch::Tensor& t) {
                return t.view({batch, length, m_heads, headDim}).permute({0, 2, 1, 3});
            };
            q = split(fused.narrow(-1, 0, hidden) + m_loraQB(m_loraQA(x)));
            k = split(fused.narrow(-1, hidden, hidden));
            v = split(fused.narrow(-1, 2 * hidden, hidden) + m_loraVB(m_loraVA(x)));
        }
        else
        {
            // [3, batch, heads, sequence, headDim]
            auto qkv = m_qkv(x).view({batch, length, 3, m_heads, headDim}).permute({2, 0, 3, 1, 4});
            q = qkv[0];
            k = qkv[1];
            v = qkv[2];
        }
        auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(double(headDim));
        q = k = torch::Tensor();
        auto probabilities = Dropout(torch::softmax(scores, -1));
        scores = torch::Tensor();
        auto context = torch::matmul(probabilities, v);
        probabilities = v = torch::Tensor();
        context = context.permute({0, 2, 1, 3}).reshape({batch, length, hidden});
        auto attention = Dropout(m_proj(context));
        context = torch::Tensor();
        if (m_options.recipe == RecipeKind::ADAPTERS)
        {
            attention = attention + m_adapter1Up(torch::gelu(m_adapter1Down(attention)));
        }
        h = m_ln1(x + attention);
    }
    torch::Tensor ffn;
    {
        auto inner = torch::gelu(m_ff1(h));
        ffn = Dropout(m_ff2(inner));
    }
    if (m_options.recipe == RecipeKind::ADAPTERS)
    {
        ffn = ffn + m_adapter2Up(torch::gelu(m_adapter2Down(ffn)));
    }
    return m_ln2(h + ffn);
}

torch::Tensor
TorchEncoderBlockImpl::SideForward(const torch::Tensor& x, const torch::Tensor& z)
{
    auto u = z + m_sideA(x);
    return u + torch::gelu(m_sideB(u));
}

std::vector<torch::Tensor>
TorchEncoderBlockImpl::BackboneParameters() const
{
    std::vector<torch::Tensor> result;
    for (const auto* module : std::initializer_list<const torch::nn::Module*>{m_qkv.get(),
                                                                              m_proj.get(),
                                                                              m_ln1.get(),
                                                                              m_ff1.get(),
                                                                              m_ff2.get(),
                                                                              m_ln2.get()})
    {
        for (const auto& parameter : module->parameters())
        {
            result.push_back(parameter);
        }
    }
    return result;
}

std::vector<torch::Tensor>
TorchEncoderBlockImpl::AddedParameters() const
{
    std::vector<torch::Tensor> result;
    for (const auto& module : {m_loraQA,
                               m_loraQB,
                               m_loraVA,
                               m_loraVB,
                               m_adapter1Down,
                               m_adapter1Up,
                               m_adapter2Down,
                               m_adapter2Up,
                               m_sideA,
                               m_sideB})
    {
        if (!module.is_empty())
        {
            for (const auto& parameter : module->parameters())
            {
                result.push_back(parameter);
            }
        }
    }
    return result;
}

} // namespace edgellm
} // namespace ns3
