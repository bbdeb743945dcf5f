/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_WORKLOAD_H
#define EDGE_LLM_WORKLOAD_H

#include "training-recipe.h"
#include "transformer-spec.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What a study trains, fine-tunes or serves: the model, the recipe and the batch (the
 * sequences one group processes per iteration). Strategies derive everything else from it
 * (micro-batch sizes are theirs to choose).
 */
struct Workload
{
    TransformerSpec spec;   //!< the model
    TrainingRecipe recipe;  //!< how it is trained (its microBatchSize is set per round)
    uint32_t batchSize{16}; //!< sequences per iteration and group (B)

    /** \return "" when usable, otherwise "batchSize=0 is invalid: ..." or the spec's problem */
    std::string Validate() const;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_WORKLOAD_H */
