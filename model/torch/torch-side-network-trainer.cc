/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-side-network-trainer.h"

#include "synthetic-classification-task.h"
#include "torch-encoder-block.h"
#include "torch-thread-guard.h"

#include "ns3/fatal-error.h"

#include <map>
#include <sstream>

namespace ns3
{
namespace edgellm
{

/// The model, its optimizer, the data and the cache.
struct TorchSideNetworkTrainer::Impl
{
    TorchSideNetworkConfig config;                        //!< configuration
    int64_t width{0};                                     //!< side width
    torch::nn::Embedding tokens{nullptr};                 //!< frozen token table
    torch::nn::Embedding positions{nullptr};              //!< frozen position table
    std::vector<TorchEncoderBlock> blocks;                //!< frozen blocks with their side layers
    torch::nn::Linear up{nullptr};                        //!< side stream -> hidden
    torch::nn::Linear classifier{nullptr};                //!< hidden -> classes
    std::vector<torch::Tensor> trainable;                 //!< side and head parameters, in order
    std::unique_ptr<torch::optim::Adam> adam;             //!< their optimizer
    std::unique_ptr<SyntheticClassificationTask> task;    //!< the data
    std::map<uint32_t, std::vector<torch::Tensor>> cache; //!< step -> taps (block outputs)
    uint32_t epochs{0};                                   //!< epochs trained
};

std::string
TorchSideNetworkTrainer::Validate(const TorchSideNetworkConfig& config)
{
    std::ostringstream out;
    const TransformerSpec& spec = config.spec;
    const std::string model = CheckSmallEncoder(spec);
    if (!model.empty())
    {
        return model;
    }
    if (config.adapterReduction == 0 || config.adapterReduction > spec.hidden)
    {
        out << "adapterReduction=" << config.adapterReduction
            << " is invalid: 1 to hidden=" << spec.hidden;
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

TorchSideNetworkTrainer::TorchSideNetworkTrainer(const TorchSideNetworkConfig& config)
    : m_impl(std::make_unique<Impl>())
{
    const std::string problem = Validate(config);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("TorchSideNetworkTrainer: " << problem);
    }
    TorchThreadGuard threads(1);
    Impl& m = *m_impl;
    m.config = config;
    const TransformerSpec& spec = config.spec;
    const int64_t h = spec.hidden;
    m.width = h / config.adapterReduction;
    torch::manual_seed(config.seed);
    m.tokens = torch::nn::Embedding(spec.vocabulary, h);
    m.positions = torch::nn::Embedding(spec.sequenceLength, h);
    for (auto& parameter : m.tokens->parameters())
    {
        parameter.requires_grad_(false);
    }
    for (auto& parameter : m.positions->parameters())
    {
        parameter.requires_grad_(false);
    }
    TorchEncoderBlockOptions options;
    options.hidden = h;
    options.heads = spec.heads;
    options.ffn = spec.ffn;
    options.recipe = RecipeKind::PARALLEL_ADAPTERS; // frozen backbone, side layer added
    options.adapterWidth = m.width;
    for (uint32_t l = 0; l < spec.encoderLayers; ++l)
    {
        m.blocks.emplace_back(options);
        for (const auto& parameter : m.blocks.back()->AddedParameters())
        {
            m.trainable.push_back(parameter);
        }
    }
    m.up = torch::nn::Linear(m.width, h);
    m.classifier = torch::nn::Linear(h, SyntheticClassificationTask::CLASSES);
    for (const auto& parameter : m.up->parameters())
    {
        m.trainable.push_back(parameter);
    }
    for (const auto& parameter : m.classifier->parameters())
    {
        m.trainable.push_back(parameter);
    }
    m.adam = std::make_unique<torch::optim::Adam>(m.trainable,
                                                  torch::optim::AdamOptions(config.learningRate));
    m.task = std::make_unique<SyntheticClassificationTask>(config.seed,
                                                           spec.vocabulary,
                                                           spec.sequenceLength);
}

TorchSideNetworkTrainer::~TorchSideNetworkTrainer() = default;

TorchSideEpochRecord
TorchSideNetworkTrainer::TrainEpoch(uint32_t steps, bool useCache)
{
    TorchThreadGuard threads(1);
    Impl& m = *m_impl;
    const uint32_t b = m.config.batchSize;
    const int64_t s = m.config.spec.sequenceLength;
    TorchSideEpochRecord record;
    record.epoch = m.epochs++;
    double loss = 0;
    for (uint32_t step = 0; step < steps; ++step)
    {
        std::vector<int64_t> tokens;
        std::vector<int64_t> labels;
        m.task->Generate(step, b, tokens, labels);
        auto labelTensor = torch::tensor(labels, torch::kLong);
        std::vector<torch::Tensor> taps;
        auto cached = m.cache.find(step);
        if (useCache && cached != m.cache.end())
        {
            taps = cached->second;
        }
        else
        {
            // the frozen backbone, without autograd: its outputs are the side network's taps
            torch::NoGradGuard noGrad;
            auto ids = torch::tensor(tokens, torch::kLong).view({b, s});
            auto x = m.tokens(ids) + m.positions(torch::arange(s, torch::kLong)).unsqueeze(0);
            for (auto& block : m.blocks)
            {
                x = block(x);
                taps.push_back(x);
            }
            ++record.backboneForwards;
            if (useCache)
            {
                std::vector<torch::Tensor> copies;
                for (const auto& tap : taps)
                {
                    copies.push_back(tap.clone());
                }
                m.cache[step] = copies;
            }
        }
        auto z = torch::zeros({static_cast<int64_t>(b), s, m.width});
        for (size_t l = 0; l < m.blocks.size(); ++l)
        {
            z = m.blocks[l]->SideForward(taps[l], z);
        }
        auto logits = m.classifier((taps.back() + m.up(z)).mean(1));
        auto objective = torch::nn::functional::cross_entropy(logits, labelTensor);
        m.adam->zero_grad();
        objective.backward();
        m.adam->step();
        loss += objective.item<double>();
    }
    record.loss = steps ? loss / steps : 0.0;
    return record;
}

std::vector<float>
TorchSideNetworkTrainer::GetTrainableParameters() const
{
    std::vector<float> values;
    for (const auto& parameter : m_impl->trainable)
    {
        auto flat = parameter.detach().reshape({-1}).contiguous();
        const float* data = flat.data_ptr<float>();
        values.insert(values.end(), data, data + flat.numel());
    }
    return values;
}

uint64_t
TorchSideNetworkTrainer::GetCacheBytes() const
{
    uint64_t bytes = 0;
    for (const auto& [step, taps] : m_impl->cache)
    {
        for (const auto& tap : taps)
        {
            bytes += tap.nbytes();
        }
    }
    return bytes;
}

} // namespace edgellm
} // namespace ns3
