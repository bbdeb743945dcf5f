/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_CSMA_NETWORK_HELPER_H
#define EDGE_LLM_CSMA_NETWORK_HELPER_H

#include "wired-network-helper.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The CSMA network of an EdgeNetwork: one segment with every node (the server first,
 * 10.0.0.1); the delay is 6.56 us unless set (ns-3's CSMA channel stays busy for each frame
 * plus the delay).
 */
class CsmaNetworkHelper : public WiredNetworkHelper
{
  public:
    void Install(Ptr<EdgeNetwork> network, bool populateArpCache) const override;

  protected:
    Ptr<NetDevice> CreatePrototype() const override;

  private:
    /// \return the propagation delay: SetDelay's, or the default
    Time GetDelay() const;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_CSMA_NETWORK_HELPER_H */
