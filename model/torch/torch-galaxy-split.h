/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TORCH_GALAXY_SPLIT_H
#define EDGE_LLM_TORCH_GALAXY_SPLIT_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A Transformer layer and a Galaxy split of it, for TorchGalaxySplit.
 */
struct TorchGalaxySplitConfig
{
    int64_t hidden{64};                //!< model width d
    int64_t heads{4};                  //!< attention heads (divide d)
    int64_t ffn{256};                  //!< FFN width
    int64_t sequence{16};              //!< tokens of the prompt
    std::vector<uint32_t> headShare;   //!< heads per device (sum: heads)
    std::vector<uint32_t> columnShare; //!< FFN columns per device (sum: ffn)
    std::vector<uint32_t> tokenShare;  //!< tokens per device, each > 0 (sum: sequence)
    uint64_t seed{1};                  //!< weights and input
};

/**
 * \ingroup edge-llm
 * \brief Galaxy's hybrid split of one post-norm encoder layer computed with LibTorch, device by
 * device, against the whole layer (TorchEncoderBlock) on the same weights and input.
 *
 * Device i computes the attention of its heads (its rows of the fused Q, K, V projection) and
 * its partial sum of the output projection (its columns of the weight); a ring ReduceScatter,
 * emulated in CollectiveBuilder's order (step k: member m adds the chunk m - k - 1 it receives
 * from m - 1 to its own partial and forwards it), leaves member m the sum over its tokens; it
 * adds the bias and the residual and applies the layer norm to its tokens; an AllGather
 * concatenates the hidden state; the MLP likewise over the FFN columns (its columns of the
 * first projection, GELU, its rows of the second), ReduceScatter, residual and norm on its
 * tokens, AllGather. The split is arithmetic only: the tensors do not cross the simulated
 * network here.
 */
class TorchGalaxySplit
{
  public:
    /**
     * \param config the layer and the split
     * \return "" or what is wrong, naming the value
     */
    static std::string Validate(const TorchGalaxySplitConfig& config);

    /**
     * \param config the layer and the split (NS_FATAL_ERROR with Validate's message if bad)
     * \param[out] maxDifference the largest absolute difference between the split's output
     * and the whole layer's
     * \param[out] maxMagnitude the largest absolute value of the whole layer's output
     */
    static void Compare(const TorchGalaxySplitConfig& config,
                        double& maxDifference,
                        double& maxMagnitude);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TORCH_GALAXY_SPLIT_H */
