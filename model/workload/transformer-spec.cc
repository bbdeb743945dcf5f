/* SPDX-License-Identifier: GPL-2.0-only */
#include "transformer-spec.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTransformerSpec");

namespace
{

/// Upper bounds that catch a negative number wrapped into an unsigned field.
constexpr uint32_t MAX_LAYERS = 1024;
constexpr uint32_t MAX_DIMENSION = 1u << 20;
constexpr uint32_t MAX_VOCABULARY = 1u << 24;
constexpr uint32_t MAX_SMALL_TABLE = 65536;

/**
 * \brief Check one integer field against [1, maximum].
 * \param field the field name
 * \param value its value
 * \param maximum the largest allowed value
 * \return the problem or ""
 */
std::string
CheckPositive(const std::string& field, uint32_t value, uint32_t maximum)
{
    std::ostringstream oss;
    if (value == 0)
    {
        oss << field << "=0 is invalid: must be a positive integer";
    }
    else if (value > maximum)
    {
        oss << field << "=" << value << " is invalid: must be at most " << maximum;
    }
    return oss.str();
}

/**
 * \brief Check one integer field that may be 0 against [0, maximum].
 * \param field the field name
 * \param value its value
 * \param maximum the largest allowed value
 * \return the problem or ""
 */
std::string
CheckAtMost(const std::string& field, uint32_t value, uint32_t maximum)
{
    std::ostringstream oss;
    if (value > maximum)
    {
        oss << field << "=" << value << " is invalid: must be between 0 and " << maximum;
    }
    return oss.str();
}

/**
 * \brief A BERT-like encoder (post-LN, biases, LayerNorm with bias, embedding norm).
 * \param name preset name
 * \param layers encoder blocks
 * \param hidden model width
 * \param heads attention heads
 * \param ffn intermediate size
 * \param vocabulary token vocabulary
 * \param maxPositions learned positions
 * \return the spec
 */
TransformerSpec
MakeBertLike(const std::string& name,
             uint32_t layers,
             uint32_t hidden,
             uint32_t heads,
             uint32_t ffn,
             uint32_t vocabulary,
             uint32_t maxPositions)
{
    TransformerSpec s;
    s.name = name;
    s.architecture = TransformerArchitecture::ENCODER_ONLY;
    s.encoderLayers = layers;
    s.decoderLayers = 0;
    s.hidden = hidden;
    s.heads = heads;
    s.ffn = ffn;
    s.vocabulary = vocabulary;
    s.maxPositions = maxPositions;
    s.positionOffset = 0;
    s.typeVocabulary = 2;
    s.relativeAttentionBuckets = 0;
    s.linearBias = true;
    s.normBias = true;
    s.embeddingLayerNorm = true;
    s.finalLayerNorm = false;
    s.pooler = true;
    s.lmHead = false;
    s.tiedOutputEmbedding = false;
    s.gatedFfn = false;
    s.sequenceLength = 128;
    s.decoderSequenceLength = 0;
    return s;
}

/**
 * \brief A T5 (v1.0) encoder-decoder: no biases, RMSNorm, relative positions, tied LM head.
 * \param name preset name
 * \param layers blocks per stack
 * \param hidden d_model
 * \param heads attention heads
 * \param ffn d_ff
 * \return the spec
 */
TransformerSpec
MakeT5(const std::string& name, uint32_t layers, uint32_t hidden, uint32_t heads, uint32_t ffn)
{
    TransformerSpec s = MakeBertLike(name, layers, hidden, heads, ffn, 32128, 0);
    s.architecture = TransformerArchitecture::ENCODER_DECODER;
    s.decoderLayers = layers;
    s.typeVocabulary = 0;
    s.relativeAttentionBuckets = 32;
    s.linearBias = false;
    s.normBias = false;
    s.embeddingLayerNorm = false;
    s.finalLayerNorm = true;
    s.pooler = false;
    s.lmHead = true;
    s.tiedOutputEmbedding = true;
    s.decoderSequenceLength = 128;
    return s;
}

/**
 * \brief A GPT-2 / OPT decoder-only model: pre-LN, biases, final norm, tied LM head.
 * \param name preset name
 * \param layers decoder blocks
 * \param hidden model width
 * \param heads attention heads
 * \param ffn intermediate size
 * \param vocabulary token vocabulary
 * \param maxPositions learned positions
 * \param positionOffset extra position rows
 * \return the spec
 */
TransformerSpec
MakeDecoderOnly(const std::string& name,
                uint32_t layers,
                uint32_t hidden,
                uint32_t heads,
                uint32_t ffn,
                uint32_t vocabulary,
                uint32_t maxPositions,
                uint32_t positionOffset)
{
    TransformerSpec s = MakeBertLike(name, 0, hidden, heads, ffn, vocabulary, maxPositions);
    s.architecture = TransformerArchitecture::DECODER_ONLY;
    s.decoderLayers = layers;
    s.positionOffset = positionOffset;
    s.typeVocabulary = 0;
    s.embeddingLayerNorm = false;
    s.finalLayerNorm = true;
    s.pooler = false;
    s.lmHead = true;
    s.tiedOutputEmbedding = true;
    return s;
}

/**
 * \return all presets, in the order GetPresetNames() lists them. Dimensions from the models'
 * published configurations (Hugging Face config.json of each checkpoint).
 */
std::vector<TransformerSpec>
MakePresets()
{
    std::vector<TransformerSpec> presets;
    // bert-base-uncased / bert-large-uncased (Devlin et al. 2019)
    presets.push_back(MakeBertLike("bert-base", 12, 768, 12, 3072, 30522, 512));
    presets.push_back(MakeBertLike("bert-large", 24, 1024, 16, 4096, 30522, 512));
    // distilbert-base-uncased (Sanh et al. 2019): no segment embeddings, no pooler
    TransformerSpec distil = MakeBertLike("distilbert", 6, 768, 12, 3072, 30522, 512);
    distil.typeVocabulary = 0;
    distil.pooler = false;
    presets.push_back(distil);
    // roberta-base / roberta-large (Liu et al. 2019): 514 position rows = 512 + padding offset 2,
    // one token type
    for (const auto& dims :
         {std::vector<uint32_t>{12, 768, 12, 3072}, std::vector<uint32_t>{24, 1024, 16, 4096}})
    {
        TransformerSpec r = MakeBertLike(dims[0] == 12 ? "roberta-base" : "roberta-large",
                                         dims[0],
                                         dims[1],
                                         dims[2],
                                         dims[3],
                                         50265,
                                         512);
        r.positionOffset = 2;
        r.typeVocabulary = 1;
        presets.push_back(r);
    }
    // t5-base / t5-large (Raffel et al. 2020)
    presets.push_back(MakeT5("t5-base", 12, 768, 12, 3072));
    presets.push_back(MakeT5("t5-large", 24, 1024, 16, 4096));
    // facebook/bart-large (Lewis et al. 2020): 12+12 layers, learned positions with offset 2 in
    // each stack, embedding LayerNorm in each stack, no final norm, tied LM head
    TransformerSpec bart = MakeBertLike("bart-large", 12, 1024, 16, 4096, 50265, 1024);
    bart.architecture = TransformerArchitecture::ENCODER_DECODER;
    bart.decoderLayers = 12;
    bart.positionOffset = 2;
    bart.typeVocabulary = 0;
    bart.pooler = false;
    bart.lmHead = true;
    bart.tiedOutputEmbedding = true;
    bart.decoderSequenceLength = 128;
    presets.push_back(bart);
    // gpt2-large (Radford et al. 2019)
    presets.push_back(MakeDecoderOnly("gpt2-large", 36, 1280, 20, 5120, 50257, 1024, 0));
    // facebook/opt-1.3b, facebook/opt-2.7b (Zhang et al. 2022): vocabulary 50272, positions
    // 2048 + offset 2
    presets.push_back(MakeDecoderOnly("opt-1.3b", 24, 2048, 32, 8192, 50272, 2048, 2));
    presets.push_back(MakeDecoderOnly("opt-2.7b", 32, 2560, 32, 10240, 50272, 2048, 2));
    // Small BERT-like encoders that LibTorch can really run on an edge CPU.
    TransformerSpec tiny = MakeBertLike("tiny-encoder", 4, 256, 4, 1024, 1000, 64);
    tiny.typeVocabulary = 0;
    tiny.pooler = false;
    tiny.sequenceLength = 32;
    presets.push_back(tiny);
    TransformerSpec mini = MakeBertLike("mini-encoder", 2, 128, 2, 512, 1000, 64);
    mini.typeVocabulary = 0;
    mini.pooler = false;
    mini.sequenceLength = 32;
    presets.push_back(mini);
    return presets;
}

} // namespace

std::string
TransformerArchitectureToString(TransformerArchitecture architecture)
{
    switch (architecture)
    {
    case TransformerArchitecture::ENCODER_ONLY:
        return "encoder-only";
    case TransformerArchitecture::DECODER_ONLY:
        return "decoder-only";
    case TransformerArchitecture::ENCODER_DECODER:
        return "encoder-decoder";
    }
    NS_FATAL_ERROR("unknown TransformerArchitecture value " << static_cast<int>(architecture));
}

std::string
ParseTransformerArchitecture(const std::string& name, TransformerArchitecture& architecture)
{
    for (auto a : {TransformerArchitecture::ENCODER_ONLY,
                   TransformerArchitecture::DECODER_ONLY,
                   TransformerArchitecture::ENCODER_DECODER})
    {
        if (name == TransformerArchitectureToString(a))
        {
            architecture = a;
            return "";
        }
    }
    return "architecture='" + name +
           "' is not a known architecture; allowed: encoder-only, decoder-only, encoder-decoder";
}

TransformerSpec::TransformerSpec()
    : name(""),
      architecture(TransformerArchitecture::ENCODER_ONLY),
      encoderLayers(0),
      decoderLayers(0),
      hidden(0),
      heads(0),
      ffn(0),
      vocabulary(0),
      maxPositions(0),
      positionOffset(0),
      typeVocabulary(0),
      relativeAttentionBuckets(0),
      linearBias(true),
      normBias(true),
      embeddingLayerNorm(false),
      finalLayerNorm(false),
      pooler(false),
      lmHead(false),
      tiedOutputEmbedding(false),
      gatedFfn(false),
      sequenceLength(0),
      decoderSequenceLength(0)
{
}

std::vector<std::string>
TransformerSpec::GetPresetNames()
{
    std::vector<std::string> names;
    for (const auto& p : MakePresets())
    {
        names.push_back(p.name);
    }
    return names;
}

std::string
TransformerSpec::FromPreset(const std::string& name, TransformerSpec& spec)
{
    for (const auto& p : MakePresets())
    {
        if (p.name == name)
        {
            spec = p;
            return "";
        }
    }
    std::ostringstream oss;
    oss << "model='" << name << "' is not a known preset; allowed: ";
    const auto names = GetPresetNames();
    for (std::size_t i = 0; i < names.size(); ++i)
    {
        oss << (i > 0 ? ", " : "") << names[i];
    }
    return oss.str();
}

TransformerSpec
TransformerSpec::GetPreset(const std::string& name)
{
    TransformerSpec spec;
    const std::string problem = FromPreset(name, spec);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return spec;
}

std::string
TransformerSpec::Validate() const
{
    std::ostringstream oss;
    const std::string arch = TransformerArchitectureToString(architecture);
    const std::string article = (architecture == TransformerArchitecture::ENCODER_ONLY ||
                                 architecture == TransformerArchitecture::ENCODER_DECODER)
                                    ? "an "
                                    : "a ";
    // Stacks must match the architecture.
    if (HasEncoder())
    {
        if (encoderLayers == 0)
        {
            oss << "encoderLayers=0 is invalid for " << article << arch
                << " model: must be a positive integer";
            return oss.str();
        }
    }
    else if (encoderLayers != 0)
    {
        oss << "encoderLayers=" << encoderLayers << " is invalid for " << article << arch
            << " model: must be 0";
        return oss.str();
    }
    if (HasDecoder())
    {
        if (decoderLayers == 0)
        {
            oss << "decoderLayers=0 is invalid for " << article << arch
                << " model: must be a positive integer";
            return oss.str();
        }
    }
    else if (decoderLayers != 0)
    {
        oss << "decoderLayers=" << decoderLayers << " is invalid for " << article << arch
            << " model: must be 0";
        return oss.str();
    }
    for (const auto& check :
         {CheckAtMost("encoderLayers", encoderLayers, MAX_LAYERS),
          CheckAtMost("decoderLayers", decoderLayers, MAX_LAYERS),
          CheckPositive("hidden", hidden, MAX_DIMENSION),
          CheckPositive("heads", heads, MAX_DIMENSION),
          CheckPositive("ffn", ffn, MAX_DIMENSION),
          CheckPositive("vocabulary", vocabulary, MAX_VOCABULARY),
          CheckAtMost("maxPositions", maxPositions, MAX_DIMENSION),
          CheckAtMost("positionOffset", positionOffset, MAX_SMALL_TABLE),
          CheckAtMost("typeVocabulary", typeVocabulary, MAX_SMALL_TABLE),
          CheckAtMost("relativeAttentionBuckets", relativeAttentionBuckets, MAX_SMALL_TABLE),
          CheckPositive("sequenceLength", sequenceLength, MAX_DIMENSION)})
    {
        if (!check.empty())
        {
            return check;
        }
    }
    if (hidden % heads != 0)
    {
        oss << "heads=" << heads << " does not divide hidden=" << hidden
            << ": hidden must be a multiple of heads";
        return oss.str();
    }
    if (maxPositions > 0 && sequenceLength > maxPositions)
    {
        oss << "sequenceLength=" << sequenceLength << " exceeds maxPositions=" << maxPositions
            << ": must be between 1 and maxPositions";
        return oss.str();
    }
    if (maxPositions == 0 && positionOffset != 0)
    {
        oss << "positionOffset=" << positionOffset
            << " is invalid with maxPositions=0: must be 0 when there is no position table";
        return oss.str();
    }
    if (architecture == TransformerArchitecture::ENCODER_DECODER)
    {
        if (decoderSequenceLength == 0)
        {
            return "decoderSequenceLength=0 is invalid for an encoder-decoder model: must be a "
                   "positive integer";
        }
        const std::string check =
            CheckAtMost("decoderSequenceLength", decoderSequenceLength, MAX_DIMENSION);
        if (!check.empty())
        {
            return check;
        }
        if (maxPositions > 0 && decoderSequenceLength > maxPositions)
        {
            oss << "decoderSequenceLength=" << decoderSequenceLength
                << " exceeds maxPositions=" << maxPositions
                << ": must be between 1 and maxPositions";
            return oss.str();
        }
    }
    else if (decoderSequenceLength != 0)
    {
        oss << "decoderSequenceLength=" << decoderSequenceLength << " is invalid for " << article
            << arch
            << " model: must be 0 (only encoder-decoder models have a separate target length; "
               "set sequenceLength)";
        return oss.str();
    }
    if (tiedOutputEmbedding && !lmHead)
    {
        return "tiedOutputEmbedding=true is invalid with lmHead=false: a tied output embedding "
               "needs an LM head";
    }
    if (gatedFfn)
    {
        return "gatedFfn=true is not supported: must be false (the cost formulas assume two FFN "
               "projections)";
    }
    return "";
}

bool
TransformerSpec::HasEncoder() const
{
    return architecture != TransformerArchitecture::DECODER_ONLY;
}

bool
TransformerSpec::HasDecoder() const
{
    return architecture != TransformerArchitecture::ENCODER_ONLY;
}

uint32_t
TransformerSpec::GetHeadDimension() const
{
    return heads == 0 ? 0 : hidden / heads;
}

uint32_t
TransformerSpec::GetBlockCount() const
{
    return encoderLayers + decoderLayers;
}

uint32_t
TransformerSpec::GetDecoderSideSequenceLength() const
{
    switch (architecture)
    {
    case TransformerArchitecture::ENCODER_ONLY:
        return 0;
    case TransformerArchitecture::DECODER_ONLY:
        return sequenceLength;
    case TransformerArchitecture::ENCODER_DECODER:
        return decoderSequenceLength;
    }
    return 0;
}

uint64_t
TransformerSpec::GetPositionTableRows() const
{
    return maxPositions == 0 ? 0 : uint64_t(maxPositions) + positionOffset;
}

uint64_t
TransformerSpec::GetLayerNormParameterCount() const
{
    return uint64_t(hidden) * (normBias ? 2 : 1);
}

uint64_t
TransformerSpec::GetAttentionParameterCount() const
{
    const uint64_t h = hidden;
    return 4 * h * h + (linearBias ? 4 * h : 0);
}

uint64_t
TransformerSpec::GetFfnParameterCount() const
{
    const uint64_t h = hidden;
    const uint64_t f = ffn;
    return 2 * h * f + (linearBias ? f + h : 0);
}

uint64_t
TransformerSpec::GetEmbeddingParameterCount() const
{
    const uint64_t h = hidden;
    uint64_t count = uint64_t(vocabulary) * h;
    count += GetPositionTableRows() * h;
    count += uint64_t(typeVocabulary) * h;
    if (embeddingLayerNorm)
    {
        count += GetLayerNormParameterCount();
    }
    // T5 keeps one relative-position bias table per stack, in its first block; we count it with
    // the embeddings because, like a position table, it serves every block of the stack.
    count += uint64_t(relativeAttentionBuckets) * heads;
    return count;
}

uint64_t
TransformerSpec::GetEncoderLayerParameterCount() const
{
    if (!HasEncoder())
    {
        return 0;
    }
    return GetAttentionParameterCount() + GetFfnParameterCount() + 2 * GetLayerNormParameterCount();
}

uint64_t
TransformerSpec::GetDecoderEmbeddingParameterCount() const
{
    if (architecture != TransformerArchitecture::ENCODER_DECODER)
    {
        return 0;
    }
    // The decoder's own position table, norm and relative bias; the token table is shared
    // (GetTiedEmbeddingParameterCount). The encoder's final norm runs here too: it sits between
    // the last encoder block and the decoder.
    uint64_t count = GetPositionTableRows() * hidden;
    if (embeddingLayerNorm)
    {
        count += GetLayerNormParameterCount();
    }
    count += uint64_t(relativeAttentionBuckets) * heads;
    if (finalLayerNorm)
    {
        count += GetLayerNormParameterCount();
    }
    return count;
}

uint64_t
TransformerSpec::GetDecoderLayerParameterCount() const
{
    if (!HasDecoder())
    {
        return 0;
    }
    if (architecture == TransformerArchitecture::DECODER_ONLY)
    {
        return GetAttentionParameterCount() + GetFfnParameterCount() +
               2 * GetLayerNormParameterCount();
    }
    return 2 * GetAttentionParameterCount() + GetFfnParameterCount() +
           3 * GetLayerNormParameterCount();
}

uint64_t
TransformerSpec::GetOutputHeadParameterCount() const
{
    const uint64_t h = hidden;
    uint64_t count = 0;
    if (pooler)
    {
        count += h * h + (linearBias ? h : 0);
    }
    if (finalLayerNorm)
    {
        count += GetLayerNormParameterCount();
    }
    if (lmHead && !tiedOutputEmbedding)
    {
        count += uint64_t(vocabulary) * h;
    }
    return count;
}

uint64_t
TransformerSpec::GetTiedEmbeddingParameterCount() const
{
    if ((lmHead && tiedOutputEmbedding) || architecture == TransformerArchitecture::ENCODER_DECODER)
    {
        return uint64_t(vocabulary) * hidden;
    }
    return 0;
}

uint64_t
TransformerSpec::GetParameterCount() const
{
    return GetEmbeddingParameterCount() +
           uint64_t(encoderLayers) * GetEncoderLayerParameterCount() +
           GetDecoderEmbeddingParameterCount() +
           uint64_t(decoderLayers) * GetDecoderLayerParameterCount() +
           GetOutputHeadParameterCount();
}

} // namespace edgellm
} // namespace ns3
