/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_SIDE_NETWORK_TRAINER_H
#define EDGE_LLM_TORCH_SIDE_NETWORK_TRAINER_H

#include "ns3/transformer-spec.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What the side-network trainer trains: a small encoder (a LibTorch-sized preset) with
 * PAC's parallel adapters beside its frozen blocks, on the seeded synthetic task.
 */
struct TorchSideNetworkConfig
{
    TransformerSpec spec;         //!< an encoder-only model with BERT-form blocks
    uint32_t adapterReduction{4}; //!< side width hidden / adapterReduction
    uint32_t batchSize{8};        //!< sequences per step
    double learningRate{1e-3};    //!< Adam's learning rate
    uint64_t seed{1};             //!< weights and data (ns-3's seed and run number)
};

/**
 * \ingroup edge-llm
 * \brief One epoch of the side-network trainer.
 */
struct TorchSideEpochRecord
{
    uint32_t epoch{0};            //!< index
    double loss{0};               //!< mean cross-entropy over the epoch's steps (before updates)
    uint32_t backboneForwards{0}; //!< steps whose backbone ran (0 when all came from the cache)
};

/**
 * \ingroup edge-llm
 * \brief Trains PAC's side network for real (LibTorch): a frozen embedding and frozen encoder
 * blocks, beside each block a side block (TorchEncoderBlock's ladder layer: the tap of the
 * block's output and one GELU layer), a trainable head (the side stream up-projected, added to
 * the backbone's last state, mean-pooled, classified).
 *
 * With the cache on, an epoch whose steps are not cached yet runs the backbone without
 * autograd and stores every block's output of every step (the side network's taps, exact
 * tensors); a later epoch reads them and never runs the backbone: PAC's activation cache. The
 * steps of every epoch are the same batches (batch index = step), so epochs from the cache
 * and epochs that recompute the backbone see the same inputs.
 */
class TorchSideNetworkTrainer
{
  public:
    /**
     * \param config the configuration
     * \return "" or the problem naming the field
     */
    static std::string Validate(const TorchSideNetworkConfig& config);

    /** \param config the configuration (NS_FATAL_ERROR with Validate's message when bad) */
    explicit TorchSideNetworkTrainer(const TorchSideNetworkConfig& config);
    ~TorchSideNetworkTrainer();

    /**
     * \param steps steps of the epoch (batches 0 .. steps - 1)
     * \param useCache read the steps' taps from the cache when there, store them when not
     * \return the epoch's record
     */
    TorchSideEpochRecord TrainEpoch(uint32_t steps, bool useCache);

    /** \return the trainable parameters (side blocks and head), flattened in order */
    std::vector<float> GetTrainableParameters() const;

    /** \return bytes of the cached taps (the tensors' own bytes) */
    uint64_t GetCacheBytes() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl; //!< the LibTorch model (kept out of this header)
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_SIDE_NETWORK_TRAINER_H */
