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
     */
    GalaxyCostModel(const TransformerSpec& spec,
                    DataType dtype,
                    uint32_t columnGranule,
                    std::vector<DeviceProfile> devices,
                    Ptr<const ComputeModel> compute,
                    GalaxyCollectiveLink link);

    /**
     * \brief Check the inputs the constructor takes.
     * \return "" if usable, otherwise the problem naming the value and what is allowed
     */
    static std::string Check(const TransformerSpec& spec,
                             uint32_t columnGranule,
                             const std::vector<DeviceProfile>& devices,
                             const GalaxyCollectiveLink& link);

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
     * \return GetParameterBytes plus GetTransientBytes: what a device needs
     */
    uint64_t GetMemoryBytes(uint32_t heads, uint32_t units) const;

  private:
    TransformerSpec m_spec;               //!< the model
    DataType m_dtype;                     //!< data type
    uint32_t m_granule;                   //!< FFN columns per unit
    std::vector<DeviceProfile> m_devices; //!< the fleet
    Ptr<const ComputeModel> m_compute;    //!< kernel pricing
    GalaxyCollectiveLink m_link;          //!< the collectives' network
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_GALAXY_COST_MODEL_H */
