/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SYNTHETIC_CLASSIFICATION_TASK_H
#define EDGE_LLM_SYNTHETIC_CLASSIFICATION_TASK_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A synthetic sequence-classification data set generated from the run's seed: nothing is
 * downloaded, and the same seed gives the same batches on every host.
 *
 * Sequences use the first K = min(vocabulary, MAX_ACTIVE_TOKENS) tokens of the vocabulary, so
 * that every token occurs often enough to be learned in a short run. Rule (two classes): a
 * sequence is labelled 1 when more than half of its tokens lie in the upper half of those
 * tokens (token >= K / 2), else 0. A small Transformer learns it (a mean over the sequence of a
 * per-token feature). To keep both labels common, each sequence first draws a "leaning" class
 * at random and then takes each token from that half with probability 0.7 (uniformly within the
 * half); the label is the rule's, computed on the tokens.
 *
 * Batches are indexed: batch b of size n is the same wherever it is generated (training batches
 * use indices below 2^62, held-out evaluation batches EvaluationBatchIndex(i)). The generator is
 * SplitMix64, whose output is specified bit for bit (unlike std:: distributions).
 */
class SyntheticClassificationTask
{
  public:
    /// number of classes of the rule
    static constexpr uint32_t CLASSES = 2;
    /// largest number of distinct tokens the sequences use
    static constexpr uint32_t MAX_ACTIVE_TOKENS = 64;

    /**
     * \brief Check the task's shape.
     * \param vocabulary tokens (>= 4)
     * \param sequenceLength tokens per sequence (>= 1)
     * \return "" or the problem, e.g. "vocabulary=2 is invalid: the synthetic task needs at
     *         least 4 tokens"
     */
    static std::string Validate(uint32_t vocabulary, uint32_t sequenceLength);

    /**
     * \param seed the run's seed (e.g. from RngSeedManager seed and run)
     * \param vocabulary tokens; NS_FATAL_ERROR with Validate's message when invalid
     * \param sequenceLength tokens per sequence
     */
    SyntheticClassificationTask(uint64_t seed, uint32_t vocabulary, uint32_t sequenceLength);

    /**
     * \brief Generate one batch.
     * \param batchIndex the batch's index
     * \param size sequences in the batch
     * \param[out] tokens size * sequenceLength token ids, row-major
     * \param[out] labels size labels in [0, CLASSES)
     */
    void Generate(uint64_t batchIndex,
                  uint32_t size,
                  std::vector<int64_t>& tokens,
                  std::vector<int64_t>& labels) const;

    /**
     * \param index an evaluation batch number
     * \return the batch index of held-out evaluation batch \p index (disjoint from training)
     */
    static uint64_t EvaluationBatchIndex(uint64_t index);

    /**
     * \brief The rule itself.
     * \param tokens one sequence
     * \param activeTokens K, the tokens in use (GetActiveTokens)
     * \return 1 when more than half of the tokens are >= activeTokens / 2, else 0
     */
    static int64_t Label(const std::vector<int64_t>& tokens, uint32_t activeTokens);

    /// \return K = min(vocabulary, MAX_ACTIVE_TOKENS), the distinct tokens sequences use
    uint32_t GetActiveTokens() const;

    /// \return the vocabulary size
    uint32_t GetVocabulary() const;
    /// \return tokens per sequence
    uint32_t GetSequenceLength() const;
    /// \return the seed
    uint64_t GetSeed() const;

  private:
    uint64_t m_seed;           //!< the run's seed
    uint32_t m_vocabulary;     //!< tokens
    uint32_t m_sequenceLength; //!< tokens per sequence
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_SYNTHETIC_CLASSIFICATION_TASK_H */
