/* SPDX-License-Identifier: GPL-2.0-only */
#include "synthetic-classification-task.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/split-mix-64.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmSyntheticClassificationTask");

namespace
{

/// probability that a token comes from the sequence's leaning half
constexpr double LEANING = 0.7;

} // namespace

std::string
SyntheticClassificationTask::Validate(uint32_t vocabulary, uint32_t sequenceLength)
{
    if (vocabulary < 4)
    {
        return "vocabulary=" + std::to_string(vocabulary) +
               " is invalid: the synthetic task needs at least 4 tokens";
    }
    if (sequenceLength == 0)
    {
        return "sequenceLength=0 is invalid: must be a positive integer";
    }
    return "";
}

SyntheticClassificationTask::SyntheticClassificationTask(uint64_t seed,
                                                         uint32_t vocabulary,
                                                         uint32_t sequenceLength)
    : m_seed(seed),
      m_vocabulary(vocabulary),
      m_sequenceLength(sequenceLength)
{
    std::string problem = Validate(vocabulary, sequenceLength);
    NS_ABORT_MSG_IF(!problem.empty(), "SyntheticClassificationTask: " << problem);
}

uint64_t
SyntheticClassificationTask::EvaluationBatchIndex(uint64_t index)
{
    return (1ULL << 62) | index;
}

int64_t
SyntheticClassificationTask::Label(const std::vector<int64_t>& tokens, uint32_t activeTokens)
{
    size_t upper = 0;
    for (int64_t token : tokens)
    {
        upper += token >= static_cast<int64_t>(activeTokens / 2) ? 1 : 0;
    }
    return 2 * upper > tokens.size() ? 1 : 0;
}

void
SyntheticClassificationTask::Generate(uint64_t batchIndex,
                                      uint32_t size,
                                      std::vector<int64_t>& tokens,
                                      std::vector<int64_t>& labels) const
{
    // One stream per (seed, batch): any batch can be regenerated alone.
    SplitMix64 rng(SplitMix64(m_seed ^ 0x5deece66dULL).Next() ^
                   (batchIndex * 0xd1b54a32d192ed03ULL));
    const uint32_t active = GetActiveTokens();
    const uint32_t half = active / 2;
    tokens.assign(static_cast<size_t>(size) * m_sequenceLength, 0);
    labels.assign(size, 0);
    std::vector<int64_t> sequence(m_sequenceLength);
    for (uint32_t i = 0; i < size; ++i)
    {
        const bool leansUpper = rng.Below(2) == 1;
        for (uint32_t t = 0; t < m_sequenceLength; ++t)
        {
            const bool upper = rng.Uniform() < LEANING ? leansUpper : !leansUpper;
            const uint64_t low = upper ? half : 0;
            const uint64_t count = upper ? active - half : half;
            sequence[t] = static_cast<int64_t>(low + rng.Below(count));
            tokens[static_cast<size_t>(i) * m_sequenceLength + t] = sequence[t];
        }
        labels[i] = Label(sequence, active);
    }
}

uint32_t
SyntheticClassificationTask::GetActiveTokens() const
{
    return std::min(m_vocabulary, MAX_ACTIVE_TOKENS);
}

uint32_t
SyntheticClassificationTask::GetVocabulary() const
{
    return m_vocabulary;
}

uint32_t
SyntheticClassificationTask::GetSequenceLength() const
{
    return m_sequenceLength;
}

uint64_t
SyntheticClassificationTask::GetSeed() const
{
    return m_seed;
}

} // namespace edgellm
} // namespace ns3
