/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TEST_UTILS_H
#define EDGE_LLM_TEST_UTILS_H

#include "ns3/collapipe-round-model.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm-tests
 * \brief CollaPipe devices from the default catalog (data/devices.json).
 * \param fleet (profile name, linear uplink gain) per device, in chain order
 * \param energyBudget every device's energy budget per round (J)
 * \return the devices
 */
std::vector<CollaPipeDevice> MakeCollaPipeDevices(
    const std::vector<std::pair<std::string, double>>& fleet,
    double energyBudget);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_TEST_UTILS_H */
