/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_ROUND_PLAN_H
#define EDGE_LLM_ROUND_PLAN_H

#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <map>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A strategy's decision for one round. Strategies derive their own plan (segments,
 * micro-batches, ...) and keep each decision once; the part every system shares is here: the
 * scheduler's predicted round latency, reported beside the simulated one, and the radio grants
 * RoundController applies to the network before the round starts.
 */
class RoundPlan : public SimpleRefCount<RoundPlan>
{
  public:
    virtual ~RoundPlan();

    double predictedSeconds{0}; //!< the scheduler's predicted round latency (s)
    /// transmit power (W) per node; nodes not named keep their power
    std::map<uint32_t, double> txPowerW;
    /// the scheduler's predicted energy (compute plus radio, J) per node, where it made one
    std::map<uint32_t, double> predictedEnergyJ;
    /// share of the OFDMA cell's resource blocks per node (sum <= 1); ignored by networks that
    /// cannot grant bandwidth (logged)
    std::map<uint32_t, double> bandwidthShare;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_ROUND_PLAN_H */
