/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PAC_COST_MODEL_H
#define EDGE_LLM_PAC_COST_MODEL_H

#include "ns3/compute-model.h"
#include "ns3/device-profile.h"
#include "ns3/layer-cost.h"
#include "ns3/layer-kernels.h"
#include "ns3/pac-planning-problem.h"
#include "ns3/ptr.h"
#include "ns3/task-graph.h"
#include "ns3/workload.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Where the activation cache lives and how fast it is.
 */
struct ActivationCacheStore
{
    bool inMemory{false};                //!< held in device memory (true) or on its storage
    double readBytesPerSecond{87e6};     //!< storage read rate (UHS-I microSD class)
    double writeBytesPerSecond{40e6};    //!< storage write rate
    uint64_t capacityBytes{64ULL << 30}; //!< storage free for the cache, per device
};

/**
 * \ingroup edge-llm
 * \brief The costs of one PAC training step for a workload on a fleet: what the planner
 * optimises (PacPlanningProblem) and what the graph builder emits, from the same numbers.
 *
 * Two phases. PIPELINE (the first epoch, and every epoch without the cache): every layer of
 * the workload's recipe, forward and backward priced by the runtime's compute model from the
 * layers' kernels; with the cache on, each device also writes the backbone's hidden states
 * its layers produce (the side network's taps) to the cache. CACHED (later epochs): the
 * backbone blocks are skipped and released; a device runs the side network of every layer
 * and the output head (where the side stream joins the backbone's last state) on taps read
 * from the cache. A block's side-network time is the parallel-adapters recipe's forward minus
 * the inference recipe's forward (the backbone alone), plus the side backward.
 *
 * The network is one medium of a given rate (a Wi-Fi channel, a hub) or links of that rate
 * per pair (a switch): boundary tensors move at that rate; a group of g devices AllReduces
 * its trainable gradients as a ring (2 (g - 1) / g of them per device; on a shared medium all
 * g devices' shares queue on it).
 */
class PacCostModel : public PacPlanningProblem
{
  public:
    /// What a cost model is built from.
    struct Config
    {
        Workload workload;                    //!< model, recipe (its micro-batch size unused), B
        std::vector<DeviceProfile> devices;   //!< the devices that may take part
        Ptr<const ComputeModel> computeModel; //!< prices kernels (null: analytic roofline)
        double linkBitsPerSecond{1e9};        //!< the network's rate per link or medium
        bool sharedMedium{false};             //!< all transfers share one medium of that rate
        double usableMemoryFraction{0.9};     //!< share of a device's available memory usable
        bool cached{false};                   //!< the CACHED phase (parallel adapters only)
        bool writeCache{false};               //!< PIPELINE phase that fills the cache
        ActivationCacheStore store;           //!< the cache's storage (every device)
        /// per device (as devices) or empty: each device's own storage, in place of store
        std::vector<ActivationCacheStore> deviceStores;
    };

    /**
     * \param config the inputs
     * \return "" or the problem naming the parameter
     */
    std::string Configure(const Config& config);

    /** \return the configuration */
    const Config& GetConfig() const;

    /**
     * \param device a device
     * \return the storage its cache lives on (its own, or the common one)
     */
    const ActivationCacheStore& GetStore(uint32_t device) const;

    uint32_t GetLayerCount() const override;
    uint32_t GetDeviceCount() const override;
    uint32_t GetBatchSize() const override;
    /// devices with the same profile name are one class
    uint32_t GetDeviceClass(uint32_t device) const override;
    double GetComputeSeconds(uint32_t device,
                             uint32_t first,
                             uint32_t last,
                             uint32_t samples) const override;
    bool Fits(uint32_t device,
              uint32_t first,
              uint32_t last,
              uint32_t samples,
              uint32_t inFlight,
              uint32_t microBatches) const override;
    double GetBoundarySeconds(uint32_t last, uint32_t samples) const override;
    double GetSyncSeconds(uint32_t first, uint32_t last, uint32_t groupSize) const override;

    /**
     * \param samples samples of a micro-batch (1 to B)
     * \return the workload's layer costs at that micro-batch size
     */
    const std::vector<LayerCost>& GetLayers(uint32_t samples) const;

    /**
     * \param device a device \param first first layer \param last last layer
     * \param samples samples \param forward forward (true) or backward (false)
     * \return the compute task's cost: kernels in the PIPELINE phase (plus the cache write as
     * time), an explicit duration in the CACHED phase
     */
    ComputeCost GetStageCost(uint32_t device,
                             uint32_t first,
                             uint32_t last,
                             uint32_t samples,
                             bool forward) const;

    /** \param last layer before the boundary \param samples samples \return forward bytes */
    uint64_t GetActivationBytes(uint32_t last, uint32_t samples) const;
    /**
     * \param last layer before the boundary \param samples samples
     * \return backward bytes: the side stream's gradient under parallel adapters (0 where no
     * side stream crosses yet), otherwise the gradient of everything that crossed forward (0
     * after a frozen embedding)
     */
    uint64_t GetGradientBytes(uint32_t last, uint32_t samples) const;
    /** \param first first layer \param last last layer \return trainable parameter bytes */
    uint64_t GetTrainableBytes(uint32_t first, uint32_t last) const;
    /**
     * \param device a device \param first first layer \param last last layer \param samples
     * samples \param inFlight micro-batches held \param microBatches M
     * \return the device's memory need (bytes)
     */
    uint64_t GetMemoryBytes(uint32_t device,
                            uint32_t first,
                            uint32_t last,
                            uint32_t samples,
                            uint32_t inFlight,
                            uint32_t microBatches) const;
    /** \param device a device \return the bytes its model tensors may use */
    uint64_t GetAvailableBytes(uint32_t device) const;

    /**
     * \param spec the model \param recipe its recipe (the dtype counts)
     * \return bytes the cache holds per sample: the output hidden state of every block with a
     * side block (the taps of the side network), e x sequence x hidden per block
     */
    static uint64_t GetCacheBytesPerSample(const TransformerSpec& spec,
                                           const TrainingRecipe& recipe);

    /**
     * \param first first layer \param last last layer
     * \return cache bytes per sample of the taps of those layers
     */
    uint64_t GetCacheBytesPerSample(uint32_t first, uint32_t last) const;

    /** \return the optimizer step's cost for layers [first, last] of trainable parameters */
    ComputeCost GetOptimizerCost(uint32_t first, uint32_t last) const;

  private:
    /// per samples (index samples - 1): per device, per layer: forward and backward seconds
    struct Table
    {
        std::vector<LayerCost> layers;           //!< costs at this micro-batch size
        std::vector<LayerKernels> kernels;       //!< kernels at this size (PIPELINE)
        std::vector<std::vector<double>> prefix; //!< [device][l + 1]: seconds of layers < l
    };

    /// the table of a micro-batch size, built on first use
    const Table& GetTable(uint32_t samples) const;
    /// seconds of one layer on one device in this phase
    double LayerSeconds(uint32_t device,
                        const Table& table,
                        const LayerKernels* inference,
                        uint32_t layer,
                        uint32_t samples) const;

    Config m_config;                     //!< inputs
    uint32_t m_layerCount{0};            //!< layers of the model
    mutable std::vector<Table> m_tables; //!< by samples - 1
    mutable std::vector<bool> m_built;   //!< which tables exist
    std::vector<uint64_t> m_tapBytes;    //!< per layer: cache bytes per sample
    /// memory needs by (first, last, samples, in flight, micro-batches): the same on every
    /// device
    mutable std::map<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t, uint32_t>, uint64_t>
        m_memory;
    /// stage costs by (device class, first, last, samples, forward): built once and shared by
    /// every task of every step (one kernel list, not one per task)
    mutable std::map<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t, bool>, ComputeCost>
        m_stageCosts;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PAC_COST_MODEL_H */
