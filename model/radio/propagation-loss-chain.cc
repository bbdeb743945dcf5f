/* SPDX-License-Identifier: GPL-2.0-only */
#include "propagation-loss-chain.h"

#include "ns3/jakes-propagation-loss-model.h"

namespace ns3
{
namespace edgellm
{

void
DisposeTimeCorrelatedFading(Ptr<PropagationLossModel> chain)
{
    for (Ptr<PropagationLossModel> at = chain; at; at = at->GetNext())
    {
        if (Ptr<JakesPropagationLossModel> jakes = DynamicCast<JakesPropagationLossModel>(at))
        {
            jakes->Dispose();
        }
    }
}

} // namespace edgellm
} // namespace ns3
