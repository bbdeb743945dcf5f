/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-cost-model.h"

#include "ns3/fatal-error.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

GalaxyCostModel::GalaxyCostModel(const TransformerSpec& spec,
                                 DataType dtype,
                                 uint32_t columnGranule,
                                 std::vector<DeviceProfile> devices,
                                 Ptr<const ComputeModel> compute,
                                 GalaxyCollectiveLink link,
                                 uint32_t generatedTokens)
    : m_spec(spec),
      m_dtype(dtype),
      m_granule(columnGranule),
      m_devices(std::move(devices)),
      m_compute(compute),
      m_link(link),
      m_generated(generatedTokens)
{
    const std::string problem = Check(m_spec, m_granule, m_devices, m_link, m_generated);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("GalaxyCostModel: " << problem);
    }
    if (!m_compute)
    {
        NS_FATAL_ERROR("GalaxyCostModel: no compute model");
    }
}

std::string
GalaxyCostModel::Check(const TransformerSpec& spec,
                       uint32_t columnGranule,
                       const std::vector<DeviceProfile>& devices,
                       const GalaxyCollectiveLink& link,
                       uint32_t generatedTokens)
{
    std::ostringstream os;
    std::string problem = spec.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    if (spec.encoderLayers > 0 && spec.decoderLayers > 0)
    {
        os << "model '" << spec.name
           << "' has an encoder and a decoder; allowed: an encoder-only or decoder-only model "
              "(Galaxy splits one stack of self-attention layers)";
        return os.str();
    }
    if (columnGranule == 0 || spec.ffn % columnGranule != 0)
    {
        os << "columnGranule=" << columnGranule << " is invalid: must divide the FFN size "
           << spec.ffn;
        return os.str();
    }
    if (devices.empty())
    {
        return "devices is empty; allowed: at least one device";
    }
    if (!(link.rateBps > 0) || !std::isfinite(link.rateBps))
    {
        os << "rateBps=" << link.rateBps << " is invalid: must be positive and finite";
        return os.str();
    }
    if (!(link.latencySeconds >= 0) || !std::isfinite(link.latencySeconds))
    {
        os << "latencySeconds=" << link.latencySeconds << " is invalid: must be >= 0 and finite";
        return os.str();
    }
    if (generatedTokens > 0)
    {
        if (spec.decoderLayers == 0 || !spec.lmHead)
        {
            os << "GeneratedTokens=" << generatedTokens << " is invalid for model '" << spec.name
               << "': generation needs a decoder-only model with an LM head (gpt2-large, "
                  "opt-1.3b, ...); allowed for this model: 0";
            return os.str();
        }
        const uint64_t context = static_cast<uint64_t>(spec.sequenceLength) + generatedTokens - 1;
        if (spec.maxPositions > 0 && context > spec.maxPositions)
        {
            os << "GeneratedTokens=" << generatedTokens << " is invalid: with the prompt's "
               << spec.sequenceLength << " tokens the context reaches " << context
               << ", beyond the model's " << spec.maxPositions << " positions; allowed: at most "
               << spec.maxPositions - spec.sequenceLength + 1;
            return os.str();
        }
    }
    return "";
}

uint32_t
GalaxyCostModel::GetDeviceCount() const
{
    return m_devices.size();
}

uint32_t
GalaxyCostModel::GetHeads() const
{
    return m_spec.heads;
}

uint32_t
GalaxyCostModel::GetUnits() const
{
    return m_spec.ffn / m_granule;
}

uint32_t
GalaxyCostModel::GetTokens() const
{
    return m_spec.sequenceLength;
}

uint32_t
GalaxyCostModel::GetLayerCount() const
{
    return m_spec.GetBlockCount();
}

uint32_t
GalaxyCostModel::GetHiddenSize() const
{
    return m_spec.hidden;
}

DataType
GalaxyCostModel::GetDataType() const
{
    return m_dtype;
}

KernelWork
GalaxyCostModel::GetQkvWork(uint32_t heads, uint32_t rows) const
{
    KernelWork work;
    if (heads == 0 || rows == 0)
    {
        return work;
    }
    const double e = GetDataTypeBytes(m_dtype);
    const double r = rows;
    const double d = m_spec.hidden;
    const double hk = static_cast<double>(heads) * m_spec.GetHeadDimension();
    const double bias = m_spec.linearBias ? 1 : 0;
    // Q, K, V of its heads: input r x d, weights d x 3hk (+ bias), output r x 3hk
    work.Add(KernelClass::GEMM, 2 * r * d * 3 * hk, e * (r * d + (d + bias) * 3 * hk + r * 3 * hk));
    return work;
}

KernelWork
GalaxyCostModel::GetAttentionCoreWork(uint32_t heads) const
{
    KernelWork work = GetQkvWork(heads, m_spec.sequenceLength);
    work.Append(GetAttentionScoresWork(heads));
    return work;
}

KernelWork
GalaxyCostModel::GetAttentionScoresWork(uint32_t heads) const
{
    KernelWork work;
    if (heads == 0)
    {
        return work;
    }
    const double e = GetDataTypeBytes(m_dtype);
    const double s = m_spec.sequenceLength;
    const double hk = static_cast<double>(heads) * m_spec.GetHeadDimension();
    // scores Q K^T per head: s x s from s x k and s x k
    work.Add(KernelClass::ATTENTION, 2 * s * s * hk, e * (2 * s * hk + heads * s * s));
    work.Add(KernelClass::ELEMENTWISE, 0, e * 2 * heads * s * s); // softmax
    // context: scores times V
    work.Add(KernelClass::ATTENTION, 2 * s * s * hk, e * (heads * s * s + 2 * s * hk));
    return work;
}

KernelWork
GalaxyCostModel::GetAttentionOutputWork(uint32_t heads, uint32_t rows) const
{
    KernelWork work;
    if (heads == 0 || rows == 0)
    {
        return work;
    }
    const double e = GetDataTypeBytes(m_dtype);
    const double r = rows;
    const double d = m_spec.hidden;
    const double hk = static_cast<double>(heads) * m_spec.GetHeadDimension();
    // its rows of the output projection for r tokens: a partial sum of r x d (the bias is added
    // once, after the ReduceScatter, in the connective block)
    work.Add(KernelClass::GEMM, 2 * r * hk * d, e * (r * hk + hk * d + r * d));
    return work;
}

KernelWork
GalaxyCostModel::GetAttentionWork(uint32_t heads) const
{
    KernelWork work = GetAttentionCoreWork(heads);
    work.Append(GetAttentionOutputWork(heads, m_spec.sequenceLength));
    return work;
}

KernelWork
GalaxyCostModel::GetMlpInputWork(uint32_t units) const
{
    return GetMlpInputWork(units, m_spec.sequenceLength);
}

KernelWork
GalaxyCostModel::GetMlpInputWork(uint32_t units, uint32_t rows) const
{
    KernelWork work;
    if (units == 0 || rows == 0)
    {
        return work;
    }
    const double e = GetDataTypeBytes(m_dtype);
    const double r = rows;
    const double d = m_spec.hidden;
    const double c = static_cast<double>(units) * m_granule;
    const double bias = m_spec.linearBias ? 1 : 0;
    work.Add(KernelClass::GEMM, 2 * r * d * c, e * (r * d + (d + bias) * c + r * c));
    work.Add(KernelClass::ELEMENTWISE, 0, e * 2 * r * c); // activation
    return work;
}

KernelWork
GalaxyCostModel::GetMlpOutputWork(uint32_t units, uint32_t rows) const
{
    KernelWork work;
    if (units == 0 || rows == 0)
    {
        return work;
    }
    const double e = GetDataTypeBytes(m_dtype);
    const double r = rows;
    const double d = m_spec.hidden;
    const double c = static_cast<double>(units) * m_granule;
    // its rows of the second projection for r tokens: a partial sum of r x d
    work.Add(KernelClass::GEMM, 2 * r * c * d, e * (r * c + c * d + r * d));
    return work;
}

KernelWork
GalaxyCostModel::GetMlpWork(uint32_t units) const
{
    KernelWork work = GetMlpInputWork(units);
    work.Append(GetMlpOutputWork(units, m_spec.sequenceLength));
    return work;
}

KernelWork
GalaxyCostModel::GetConnectiveWork(uint32_t tokens) const
{
    KernelWork work;
    if (tokens == 0)
    {
        return work;
    }
    const double e = GetDataTypeBytes(m_dtype);
    const double td = static_cast<double>(tokens) * m_spec.hidden;
    work.Add(KernelClass::ELEMENTWISE, 0, e * 3 * td);   // residual add (with the bias)
    work.Add(KernelClass::NORMALIZATION, 0, e * 2 * td); // layer norm
    return work;
}

double
GalaxyCostModel::GetAttentionSeconds(uint32_t device, uint32_t heads) const
{
    return heads == 0 ? 0.0
                      : m_compute->GetWorkTime(m_devices[device], m_dtype, GetAttentionWork(heads))
                            .GetSeconds();
}

double
GalaxyCostModel::GetMlpSeconds(uint32_t device, uint32_t units) const
{
    return units == 0
               ? 0.0
               : m_compute->GetWorkTime(m_devices[device], m_dtype, GetMlpWork(units)).GetSeconds();
}

double
GalaxyCostModel::GetConnectiveSeconds(uint32_t device, uint32_t tokens) const
{
    return tokens == 0
               ? 0.0
               : m_compute->GetWorkTime(m_devices[device], m_dtype, GetConnectiveWork(tokens))
                     .GetSeconds();
}

double
GalaxyCostModel::GetCollectiveSeconds(const std::vector<uint32_t>& tokens) const
{
    if (tokens.size() < 2)
    {
        return 0; // one member: nothing to exchange
    }
    const double steps = 2.0 * (tokens.size() - 1);
    const double bitsPerToken = 8.0 * m_spec.hidden * GetDataTypeBytes(m_dtype);
    double chunkTokens = 0;
    if (m_link.sharedChannel)
    {
        for (uint32_t t : tokens)
        {
            chunkTokens += t; // each step's chunks take turns on the air
        }
    }
    else
    {
        chunkTokens = *std::max_element(tokens.begin(), tokens.end());
    }
    return steps * (chunkTokens * bitsPerToken / m_link.rateBps + m_link.latencySeconds);
}

double
GalaxyCostModel::GetLayerParameterElements(uint32_t heads, uint32_t units) const
{
    const double d = m_spec.hidden;
    const double k = m_spec.GetHeadDimension();
    const double c = static_cast<double>(units) * m_granule;
    const double bias = m_spec.linearBias ? 1 : 0;
    const double norm = m_spec.normBias ? 2 : 1;
    // its heads' Q, K, V, O slices and its columns' W1 columns and W2 rows; on every device:
    // the output and FFN2 biases, two norms
    return heads * (4 * d * k + 3 * k * bias) + c * (2 * d + bias) + 2 * d * bias + 2 * norm * d;
}

double
GalaxyCostModel::GetSharedParameterElements() const
{
    const double d = m_spec.hidden;
    const double norm = m_spec.normBias ? 2 : 1;
    // embeddings (each device embeds the prompt it holds), their norm, the final norm, an
    // untied head, the pooler
    double whole = (static_cast<double>(m_spec.vocabulary) + m_spec.maxPositions +
                    m_spec.positionOffset + m_spec.typeVocabulary) *
                   d;
    whole += m_spec.embeddingLayerNorm ? norm * d : 0;
    whole += m_spec.finalLayerNorm ? norm * d : 0;
    whole += m_spec.lmHead && !m_spec.tiedOutputEmbedding ? m_spec.vocabulary * d : 0;
    whole += m_spec.pooler ? d * d + d : 0;
    return whole;
}

uint64_t
GalaxyCostModel::GetParameterBytes(uint32_t heads, uint32_t units) const
{
    const double parameters =
        GetLayerCount() * GetLayerParameterElements(heads, units) + GetSharedParameterElements();
    return static_cast<uint64_t>(parameters) * GetDataTypeBytes(m_dtype);
}

uint64_t
GalaxyCostModel::GetTransientBytes(uint32_t heads, uint32_t units) const
{
    const double s = m_spec.sequenceLength;
    const double d = m_spec.hidden;
    const double k = m_spec.GetHeadDimension();
    const double c = static_cast<double>(units) * m_granule;
    // hidden states in and out beside the attention's Q, K, V, scores and context, or beside
    // the MLP's intermediate and its activation
    const double elements = 2 * s * d + std::max(heads * (3 * s * k + s * s + s * k), 2 * s * c);
    return static_cast<uint64_t>(elements) * GetDataTypeBytes(m_dtype);
}

uint64_t
GalaxyCostModel::GetMemoryBytes(uint32_t heads, uint32_t units) const
{
    // generating, the KV cache of every layer stays until the longest context
    const uint64_t cache =
        m_generated > 0 ? GetKvCacheBytes(heads, m_spec.sequenceLength + m_generated - 1) : 0;
    return GetParameterBytes(heads, units) + GetTransientBytes(heads, units) + cache;
}

uint32_t
GalaxyCostModel::GetGeneratedTokens() const
{
    return m_generated;
}

uint64_t
GalaxyCostModel::GetKvCacheBytes(uint32_t heads, uint32_t context) const
{
    return 2ull * GetLayerCount() * heads * m_spec.GetHeadDimension() * context *
           GetDataTypeBytes(m_dtype);
}

KernelWork
GalaxyCostModel::GetDecodeAttentionWork(uint32_t heads, uint32_t context) const
{
    KernelWork work;
    if (heads == 0)
    {
        return work;
    }
    const double e = GetDataTypeBytes(m_dtype);
    const double l = context;
    const double d = m_spec.hidden;
    const double hk = static_cast<double>(heads) * m_spec.GetHeadDimension();
    const double bias = m_spec.linearBias ? 1 : 0;
    // the token's Q, K, V: reading the weights dominates (a matrix-vector product)
    work.Add(KernelClass::GEMM, 2 * d * 3 * hk, e * (d + (d + bias) * 3 * hk + 3 * hk));
    // scores of the token against the L cached keys, and the context from the L cached values
    work.Add(KernelClass::ATTENTION, 2 * l * hk, e * (hk + l * hk + heads * l));
    work.Add(KernelClass::ELEMENTWISE, 0, e * 2 * heads * l); // softmax
    work.Add(KernelClass::ATTENTION, 2 * l * hk, e * (heads * l + l * hk + hk));
    // its rows of the output projection: a partial sum of d
    work.Add(KernelClass::GEMM, 2 * hk * d, e * (hk + hk * d + d));
    return work;
}

KernelWork
GalaxyCostModel::GetDecodeMlpWork(uint32_t units) const
{
    KernelWork work;
    if (units == 0)
    {
        return work;
    }
    const double e = GetDataTypeBytes(m_dtype);
    const double d = m_spec.hidden;
    const double c = static_cast<double>(units) * m_granule;
    const double bias = m_spec.linearBias ? 1 : 0;
    work.Add(KernelClass::GEMM, 2 * d * c, e * (d + (d + bias) * c + c));
    work.Add(KernelClass::ELEMENTWISE, 0, e * 2 * c); // activation
    work.Add(KernelClass::GEMM, 2 * c * d, e * (c + c * d + d));
    return work;
}

KernelWork
GalaxyCostModel::GetOutputHeadWork() const
{
    KernelWork work;
    const double e = GetDataTypeBytes(m_dtype);
    const double d = m_spec.hidden;
    const double v = m_spec.vocabulary;
    if (m_spec.finalLayerNorm)
    {
        work.Add(KernelClass::NORMALIZATION, 0, e * 2 * d);
    }
    work.Add(KernelClass::GEMM, 2 * d * v, e * (d + d * v + v)); // the logits
    work.Add(KernelClass::ELEMENTWISE, 0, e * v);                // the next token (argmax)
    return work;
}

std::vector<uint64_t>
GalaxyCostModel::GetTokenChunkBytes(uint32_t members) const
{
    std::vector<uint64_t> chunks(members, m_spec.hidden / members);
    for (uint32_t j = 0; j < m_spec.hidden % members; ++j)
    {
        ++chunks[j];
    }
    for (uint64_t& chunk : chunks)
    {
        chunk *= GetDataTypeBytes(m_dtype);
    }
    return chunks;
}

double
GalaxyCostModel::GetTokenAllReduceSeconds(uint32_t members) const
{
    if (members < 2)
    {
        return 0;
    }
    const std::vector<uint64_t> chunks = GetTokenChunkBytes(members);
    const double bytes = m_link.sharedChannel
                             ? static_cast<double>(m_spec.hidden) * GetDataTypeBytes(m_dtype)
                             : static_cast<double>(chunks.front()); // the largest
    return 2.0 * (members - 1) * (8 * bytes / m_link.rateBps + m_link.latencySeconds);
}

double
GalaxyCostModel::GetOutputHeadSeconds(const GalaxyPlan& plan) const
{
    const KernelWork head = GetOutputHeadWork();
    double slowest = 0;
    for (uint32_t i = 0; i < m_devices.size(); ++i)
    {
        if (plan.tokens[i] > 0)
        {
            slowest =
                std::max(slowest, m_compute->GetWorkTime(m_devices[i], m_dtype, head).GetSeconds());
        }
    }
    return slowest;
}

double
GalaxyCostModel::GetDecodeStepSeconds(const GalaxyPlan& plan, uint32_t context) const
{
    double attention = 0;
    double mlp = 0;
    double connective = 0;
    uint32_t members = 0;
    for (uint32_t i = 0; i < m_devices.size(); ++i)
    {
        if (plan.tokens[i] == 0)
        {
            continue;
        }
        ++members;
        const DeviceProfile& device = m_devices[i];
        if (plan.heads[i] > 0)
        {
            attention = std::max(
                attention,
                m_compute
                    ->GetWorkTime(device, m_dtype, GetDecodeAttentionWork(plan.heads[i], context))
                    .GetSeconds());
        }
        if (plan.units[i] > 0)
        {
            mlp = std::max(mlp,
                           m_compute->GetWorkTime(device, m_dtype, GetDecodeMlpWork(plan.units[i]))
                               .GetSeconds());
        }
        connective = std::max(connective, GetConnectiveSeconds(i, 1));
    }
    // the AllReduce's ReduceScatter half adds each received chunk before forwarding it: N - 1
    // adds on its critical path, each an AGGREGATE as CollectiveBuilder prices it
    double adds = 0;
    if (members > 1)
    {
        const double chunk = GetTokenChunkBytes(members).front();
        double slowestAdd = 0;
        for (uint32_t i = 0; i < m_devices.size(); ++i)
        {
            if (plan.tokens[i] > 0)
            {
                slowestAdd = std::max(slowestAdd,
                                      m_compute
                                          ->GetComputeTime(m_devices[i],
                                                           m_dtype,
                                                           chunk / GetDataTypeBytes(m_dtype),
                                                           3 * chunk)
                                          .GetSeconds());
            }
        }
        adds = (members - 1) * slowestAdd;
    }
    const double layer =
        attention + mlp + 2 * (GetTokenAllReduceSeconds(members) + adds + connective);
    return GetLayerCount() * layer + GetOutputHeadSeconds(plan);
}

KernelWork
GalaxyCostModel::GetSequenceProjectionWork(uint32_t tokens) const
{
    const double e = GetDataTypeBytes(m_dtype);
    const double t = tokens;
    const double d = m_spec.hidden;
    const double bias = m_spec.linearBias ? 1 : 0;
    KernelWork work;
    work.Add(KernelClass::GEMM, 2 * t * d * 3 * d, e * (t * d + (d + bias) * 3 * d + t * 3 * d));
    return work;
}

KernelWork
GalaxyCostModel::GetSequenceRestWork(uint32_t tokens) const
{
    const double e = GetDataTypeBytes(m_dtype);
    const double t = tokens;
    const double s = m_spec.sequenceLength;
    const double d = m_spec.hidden;
    const double a = m_spec.heads;
    const double f = m_spec.ffn;
    const double bias = m_spec.linearBias ? 1 : 0;
    KernelWork work;
    // its queries against every key, then every value
    work.Add(KernelClass::ATTENTION, 2 * t * s * d, e * (t * d + s * d + a * t * s));
    work.Add(KernelClass::ELEMENTWISE, 0, e * 2 * a * t * s); // softmax
    work.Add(KernelClass::ATTENTION, 2 * t * s * d, e * (a * t * s + s * d + t * d));
    work.Add(KernelClass::GEMM, 2 * t * d * d, e * (t * d + (d + bias) * d + t * d));
    work.Append(GetConnectiveWork(tokens));
    work.Add(KernelClass::GEMM, 2 * t * d * f, e * (t * d + (d + bias) * f + t * f));
    work.Add(KernelClass::ELEMENTWISE, 0, e * 2 * t * f); // activation
    work.Add(KernelClass::GEMM, 2 * t * f * d, e * (t * f + (f + bias) * d + t * d));
    work.Append(GetConnectiveWork(tokens));
    return work;
}

std::vector<uint64_t>
GalaxyCostModel::GetSequenceChunkBytes(const std::vector<uint32_t>& tokens) const
{
    std::vector<uint64_t> chunks;
    for (uint32_t t : tokens)
    {
        chunks.push_back(2ull * t * m_spec.hidden * GetDataTypeBytes(m_dtype));
    }
    return chunks;
}

double
GalaxyCostModel::GetSequenceLayerSeconds(const std::vector<uint32_t>& tokens) const
{
    double projection = 0;
    double rest = 0;
    for (uint32_t i = 0; i < tokens.size(); ++i)
    {
        projection = std::max(
            projection,
            m_compute->GetWorkTime(m_devices[i], m_dtype, GetSequenceProjectionWork(tokens[i]))
                .GetSeconds());
        rest =
            std::max(rest,
                     m_compute->GetWorkTime(m_devices[i], m_dtype, GetSequenceRestWork(tokens[i]))
                         .GetSeconds());
    }
    double gather = 0;
    if (tokens.size() > 1)
    {
        const std::vector<uint64_t> chunks = GetSequenceChunkBytes(tokens);
        double bytes = 0;
        for (uint64_t chunk : chunks)
        {
            bytes = m_link.sharedChannel ? bytes + chunk : std::max(bytes, double(chunk));
        }
        gather = (tokens.size() - 1) * (8 * bytes / m_link.rateBps + m_link.latencySeconds);
    }
    return projection + gather + rest;
}

uint64_t
GalaxyCostModel::GetSequenceMemoryBytes(uint32_t tokens) const
{
    const double t = tokens;
    const double s = m_spec.sequenceLength;
    const double d = m_spec.hidden;
    const double a = m_spec.heads;
    const double f = m_spec.ffn;
    // hidden states in and out beside its queries, every key and value, its scores and
    // context, or beside its MLP intermediate and activation
    const double elements = 2 * t * d + std::max(t * d + 2 * s * d + a * t * s + t * d, 2 * t * f);
    return GetParameterBytes(GetHeads(), GetUnits()) +
           static_cast<uint64_t>(elements) * GetDataTypeBytes(m_dtype);
}

uint64_t
GalaxyCostModel::GetStageMemoryBytes(uint32_t layers) const
{
    const double parameters =
        layers * GetLayerParameterElements(GetHeads(), GetUnits()) + GetSharedParameterElements();
    const uint64_t cache =
        m_generated > 0 ? 2ull * layers * GetHeads() * m_spec.GetHeadDimension() *
                              (m_spec.sequenceLength + m_generated - 1) * GetDataTypeBytes(m_dtype)
                        : 0;
    return static_cast<uint64_t>(parameters) * GetDataTypeBytes(m_dtype) +
           GetTransientBytes(GetHeads(), GetUnits()) + cache;
}

double
GalaxyCostModel::GetWorkSeconds(uint32_t device, const KernelWork& work) const
{
    return m_compute->GetWorkTime(m_devices[device], m_dtype, work).GetSeconds();
}

KernelWork
GalaxyCostModel::GetLayerWork() const
{
    KernelWork work = GetAttentionWork(GetHeads());
    work.Append(GetConnectiveWork(GetTokens()));
    work.Append(GetMlpWork(GetUnits()));
    work.Append(GetConnectiveWork(GetTokens()));
    return work;
}

KernelWork
GalaxyCostModel::GetDecodeLayerWork(uint32_t context) const
{
    KernelWork work = GetDecodeAttentionWork(GetHeads(), context);
    work.Append(GetConnectiveWork(1));
    work.Append(GetDecodeMlpWork(GetUnits()));
    work.Append(GetConnectiveWork(1));
    return work;
}

bool
GalaxyCostModel::Fits(uint32_t device, uint32_t heads, uint32_t units) const
{
    return GetMemoryBytes(heads, units) <= m_devices[device].GetAvailableMemoryBytes();
}

} // namespace edgellm
} // namespace ns3
