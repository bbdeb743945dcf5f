/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PROPAGATION_LOSS_CHAIN_H
#define EDGE_LLM_PROPAGATION_LOSS_CHAIN_H

#include "ns3/propagation-loss-model.h"
#include "ns3/ptr.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Dispose the JakesPropagationLossModel of a loss chain, if it has one.
 *
 * ns-3's Jakes model keeps one JakesProcess per link, and each process keeps a pointer back to
 * the model: a reference cycle that only Dispose (PropagationCache::Cleanup) breaks, and a
 * channel does not dispose its loss chain. The network that built the chain calls this from its
 * own DoDispose. Only the Jakes model is disposed: the chain's other models (a 3GPP path loss
 * disposes the channel condition model it shares between carriers) are left to their owners.
 * \param chain the first model of the chain (null: nothing)
 */
void DisposeTimeCorrelatedFading(Ptr<PropagationLossModel> chain);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PROPAGATION_LOSS_CHAIN_H */
