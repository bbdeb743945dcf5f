/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_GALAXY_COST_MODEL_H
#define EDGE_LLM_GALAXY_COST_MODEL_H

#include "ns3/compute-model.h"
#include "ns3/data-type.h"
#include "ns3/device-profile.h"
#include "ns3/galaxy-planning-problem.h"
#include "ns3/kernel-work.h"
#include "ns3/ptr.h"
#include "ns3/transformer-spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief How Galaxy's ring collectives cross the network.
 */
struct GalaxyCollectiveLink
{
    /// a shared channel (one Wi-Fi BSS: every transfer takes its turn on the air) or switched
    /// full-duplex links of one rate (a wired LAN: the devices of a ring step send at once)
    bool sharedChannel{true};
    double rateBps{0};        //!< goodput of one transfer alone, bit/s (> 0)
    double latencySeconds{0}; //!< added to every step of a ring (>= 0)
};

/**
 * \ingroup edge-llm
 * \brief Galaxy's costs of one Transformer layer of a model on a fleet: inference of one
 * sequence (prefill), every layer split alike (GalaxyPlanningProblem).
 *
 * - Attention of h heads (d the width, k = d / a the head size, s tokens, e bytes per
 *   element): the Q, K, V projection of its heads (GEMM 2 s d 3hk), the scores and context
 *   (ATTENTION, 2 h s^2 k each), softmax (ELEMENTWISE over h s^2), its slice of the output
 *   projection (GEMM 2 s hk d, a partial sum of the whole output).
 * - MLP of c units of g columns: the first projection's columns (GEMM 2 s d cg), the
 *   activation (ELEMENTWISE over s cg), the second projection's rows (GEMM 2 s cg d, partial).
 * - Connective block of t tokens: residual add and layer norm (ELEMENTWISE: 3 t d and 2 t d
 *   elements).
 * Each is priced by the compute model (KernelComputeModel: kernels, rates and launch costs of
 * the device). Biases are in the GEMMs' bytes.
 *
 * Collectives: a ReduceScatter and an AllGather of the hidden states (s d e bytes) in a ring of
 * the D members (the devices with a share), D - 1 steps each; device j's chunk is its t_j
 * tokens. On a shared channel every chunk crosses
 * the air D - 1 times, one transfer after another: R = 2 (D - 1) (s d e 8 / rate + latency).
 * On switched links each step waits for its largest chunk: R = 2 (D - 1) (max_j t_j d e 8 /
 * rate + latency).
 *
 * Memory: every layer's heads and columns (Galaxy keeps its share of all layers), the
 * replicated parameters (embeddings, norms, the biases summed after the partial products), and
 * the largest transient of a layer (hidden states in and out, the heads' Q, K, V, scores and
 * context, or the MLP's intermediate), within the device's available memory (its memory less
 * its runtime reserve).
 *
 * Generation (generatedTokens G > 0, a decoder with an LM head): the prefill gives the first
 * token; each of the G - 1 decode steps feeds the last token back. A decode step splits a layer
 * like the prefill (the same heads and columns) but has one token: attention of h heads over
 * a context of L cached tokens (the Q, K, V projection of the token, GEMM 2 d 3hk; scores and
 * context, ATTENTION 2 h L k each, reading the cached K and V; softmax over h L; the output
 * rows, GEMM 2 hk d), the MLP of the token (GEMM 2 d cg twice), and instead of the
 * ReduceScatter / AllGather pair a ring AllReduce of the token's partial sums (d e bytes split
 * evenly over the members by elements), after which every member runs the connective block
 * of the token. After the last layer every member applies the final norm and the LM head to
 * the token (replicated: the embedding it is tied to is on every device) and picks the same
 * next token, so no message carries it. The KV cache is split like the heads: a device with h
 * heads keeps 2 L h k e bytes per layer, up to L = s + G - 1 (the last token is not fed back).
 *
 * Sequence parallelism (the baseline Split=sequence): every device holds every weight and
 * processes t_j of the tokens through the whole layer; attention needs every token's keys and
 * values, so after the Q, K, V projection of its tokens (GEMM 2 t d 3d) a ring AllGather of the
 * keys and values (chunk j: 2 t_j d e bytes) precedes the rest: scores and context of its
 * tokens against all s (ATTENTION 2 t s d each, softmax over a t s), the output projection
 * (GEMM 2 t d d), the connective block, the MLP (GEMM 2 t d f twice), the connective block.
 */
class GalaxyCostModel : public GalaxyPlanningProblem
{
  public:
    /**
     * \param spec the model (its encoder, or its decoder when decoder-only; sequenceLength is
     * the prompt)
     * \param dtype weights and activations
     * \param columnGranule FFN columns per unit (divides the FFN size)
     * \param devices the fleet
     * \param compute prices kernel work
     * \param link the collectives' network
     * \param generatedTokens tokens to generate after the prompt (0: the prefill only; else
     * the memory holds the KV cache of the longest context)
     */
    GalaxyCostModel(const TransformerSpec& spec,
                    DataType dtype,
                    uint32_t columnGranule,
                    std::vector<DeviceProfile> devices,
                    Ptr<const ComputeModel> compute,
                    GalaxyCollectiveLink link,
                    uint32_t generatedTokens = 0);

    /**
     * \brief Check the inputs the constructor takes.
     * \return "" if usable, otherwise the problem naming the value and what is allowed
     */
    static std::string Check(const TransformerSpec& spec,
                             uint32_t columnGranule,
                             const std::vector<DeviceProfile>& devices,
                             const GalaxyCollectiveLink& link,
                             uint32_t generatedTokens = 0);

    uint32_t GetDeviceCount() const override;
    uint32_t GetHeads() const override;
    uint32_t GetUnits() const override;
    uint32_t GetTokens() const override;
    double GetAttentionSeconds(uint32_t device, uint32_t heads) const override;
    double GetMlpSeconds(uint32_t device, uint32_t units) const override;
    double GetConnectiveSeconds(uint32_t device, uint32_t tokens) const override;
    double GetCollectiveSeconds(const std::vector<uint32_t>& tokens) const override;
    bool Fits(uint32_t device, uint32_t heads, uint32_t units) const override;

    /** \return transformer layers the plan applies to */
    uint32_t GetLayerCount() const;
    /** \return the model width d */
    uint32_t GetHiddenSize() const;
    /** \return the data type */
    DataType GetDataType() const;
    /** \param heads heads \return the kernels of their attention */
    KernelWork GetAttentionWork(uint32_t heads) const;
    /** \param heads heads \return their attention up to the context (no output projection) */
    KernelWork GetAttentionCoreWork(uint32_t heads) const;
    /**
     * \param heads heads
     * \param rows tokens
     * \return their Q, K, V projection of those tokens (a tile: rows are independent)
     */
    KernelWork GetQkvWork(uint32_t heads, uint32_t rows) const;
    /**
     * \param heads heads
     * \return their scores, softmax and context over the whole sequence (after every token's
     * Q, K, V)
     */
    KernelWork GetAttentionScoresWork(uint32_t heads) const;
    /**
     * \param heads heads
     * \param rows tokens
     * \return their output projection's partial sums for those tokens (a tile)
     */
    KernelWork GetAttentionOutputWork(uint32_t heads, uint32_t rows) const;
    /** \param units units \return the kernels of their MLP */
    KernelWork GetMlpWork(uint32_t units) const;
    /** \param units units \return their first projection and activation */
    KernelWork GetMlpInputWork(uint32_t units) const;
    /**
     * \param units units
     * \param rows tokens
     * \return their first projection and activation for those tokens (a tile)
     */
    KernelWork GetMlpInputWork(uint32_t units, uint32_t rows) const;
    /**
     * \param units units
     * \param rows tokens
     * \return their second projection's partial sums for those tokens (a tile)
     */
    KernelWork GetMlpOutputWork(uint32_t units, uint32_t rows) const;
    /** \param tokens tokens \return the kernels of one connective block over them */
    KernelWork GetConnectiveWork(uint32_t tokens) const;
    /**
     * \param heads heads of every layer
     * \param units units of every layer
     * \return bytes of the parameters a device holds with them (and the replicated ones)
     */
    uint64_t GetParameterBytes(uint32_t heads, uint32_t units) const;
    /**
     * \param heads heads of a layer
     * \param units units of a layer
     * \return bytes of the largest transient tensors while a layer runs
     */
    uint64_t GetTransientBytes(uint32_t heads, uint32_t units) const;
    /**
     * \param heads heads of every layer
     * \param units units of every layer
     * \return GetParameterBytes plus GetTransientBytes, plus when generating the KV cache of
     * the longest context (GetKvCacheBytes at s + G - 1): what a device needs
     */
    uint64_t GetMemoryBytes(uint32_t heads, uint32_t units) const;

    /** \return tokens generated after the prompt (0: the prefill only) */
    uint32_t GetGeneratedTokens() const;
    /**
     * \param heads heads of every layer
     * \param context cached tokens
     * \return bytes of their keys and values over every layer: 2 layers h k context e
     */
    uint64_t GetKvCacheBytes(uint32_t heads, uint32_t context) const;
    /**
     * \param heads heads
     * \param context tokens in the cache, the new one included
     * \return the kernels of their attention to one new token (decode)
     */
    KernelWork GetDecodeAttentionWork(uint32_t heads, uint32_t context) const;
    /** \param units units \return the kernels of their MLP on one token (decode) */
    KernelWork GetDecodeMlpWork(uint32_t units) const;
    /** \return the final norm, the LM head and the choice of the next token, for one token */
    KernelWork GetOutputHeadWork() const;
    /**
     * \param members devices in the ring
     * \return the ring AllReduce of one token's hidden state (d e bytes, split evenly by
     * elements), priced like GetCollectiveSeconds
     */
    double GetTokenAllReduceSeconds(uint32_t members) const;
    /**
     * \param members devices in the ring
     * \return the bytes of each member's chunk in that AllReduce
     */
    std::vector<uint64_t> GetTokenChunkBytes(uint32_t members) const;
    /**
     * \brief The planner's price of one decode step: per layer the slowest member's attention,
     * an AllReduce (with the N - 1 adds of its ReduceScatter half on the slowest member), the
     * connective block, the slowest MLP, an AllReduce, the connective block; then the slowest
     * member's output head.
     * \param plan a feasible plan
     * \param context tokens in the cache, the new one included
     * \return seconds
     */
    double GetDecodeStepSeconds(const GalaxyPlan& plan, uint32_t context) const;
    /**
     * \param tokens tokens of a device (sequence parallelism)
     * \return the Q, K, V projection of its tokens
     */
    KernelWork GetSequenceProjectionWork(uint32_t tokens) const;
    /**
     * \param tokens tokens of a device (sequence parallelism)
     * \return the rest of the layer for its tokens, after the AllGather of keys and values:
     * attention to all tokens, output projection, connective block, MLP, connective block
     */
    KernelWork GetSequenceRestWork(uint32_t tokens) const;
    /**
     * \param tokens tokens per device (sequence parallelism; every device a member)
     * \return the bytes of each device's chunk of keys and values
     */
    std::vector<uint64_t> GetSequenceChunkBytes(const std::vector<uint32_t>& tokens) const;
    /**
     * \brief The layer time of sequence parallelism: the slowest projection, the ring
     * AllGather of keys and values (priced like GetCollectiveSeconds: on a shared channel the
     * whole 2 s d e bytes each of the D - 1 steps, on switched links the largest chunk), the
     * slowest rest.
     * \param tokens tokens per device (all positive)
     * \return seconds
     */
    double GetSequenceLayerSeconds(const std::vector<uint32_t>& tokens) const;
    /**
     * \param tokens a device's tokens (sequence parallelism)
     * \return what it needs: every parameter, and the largest transient of a layer (its
     * hidden states, its queries, every key and value, its scores and context, or its MLP
     * intermediate)
     */
    uint64_t GetSequenceMemoryBytes(uint32_t tokens) const;

    /**
     * \brief A stage of the layer-wise pipeline (the baseline Split=pipeline): every head and
     * column of \p layers consecutive layers, the shared parameters (embeddings, norms, head:
     * every stage holds them, which is pessimistic for the middle ones), the largest
     * transient, and when generating the stage's KV cache at the longest context.
     * \param layers layers of the stage
     * \return bytes
     */
    uint64_t GetStageMemoryBytes(uint32_t layers) const;
    /**
     * \param device a device
     * \param work kernels
     * \return their time on it (the compute model's price)
     */
    double GetWorkSeconds(uint32_t device, const KernelWork& work) const;
    /** \return one whole layer (prefill): every head and column, two connective blocks */
    KernelWork GetLayerWork() const;
    /**
     * \param context tokens in the cache, the new one included
     * \return one whole layer's decode step (every head and column, one token)
     */
    KernelWork GetDecodeLayerWork(uint32_t context) const;

    /**
     * \param plan a feasible plan
     * \return the slowest ring member's output head on one token, seconds
     */
    double GetOutputHeadSeconds(const GalaxyPlan& plan) const;

  private:
    /// \param heads heads \param units units \return parameters of one layer on a device
    double GetLayerParameterElements(uint32_t heads, uint32_t units) const;
    /// \return parameters every device holds whatever its share (embeddings, final norm, ...)
    double GetSharedParameterElements() const;

    TransformerSpec m_spec;               //!< the model
    DataType m_dtype;                     //!< data type
    uint32_t m_granule;                   //!< FFN columns per unit
    std::vector<DeviceProfile> m_devices; //!< the fleet
    Ptr<const ComputeModel> m_compute;    //!< kernel pricing
    GalaxyCollectiveLink m_link;          //!< the collectives' network
    uint32_t m_generated;                 //!< tokens generated after the prompt
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_COST_MODEL_H */
