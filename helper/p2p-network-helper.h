/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_P2P_NETWORK_HELPER_H
#define EDGE_LLM_P2P_NETWORK_HELPER_H

#include "wired-network-helper.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The point-to-point network of an EdgeNetwork: a link between every pair of nodes
 * (full mesh), each pair on its own /24, one hop to every peer, no routing protocol.
 */
class P2pNetworkHelper : public WiredNetworkHelper
{
  public:
    void Install(Ptr<EdgeNetwork> network, bool populateArpCache) const override;

  protected:
    Ptr<NetDevice> CreatePrototype() const override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_P2P_NETWORK_HELPER_H */
