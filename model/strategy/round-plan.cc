/* SPDX-License-Identifier: GPL-2.0-only */
#include "round-plan.h"

namespace ns3
{
namespace edgellm
{

RoundPlan::~RoundPlan() = default;

} // namespace edgellm
} // namespace ns3
