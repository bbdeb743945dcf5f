/* SPDX-License-Identifier: GPL-2.0-only */
#include "round-plan.h"

namespace ns3
{

RoundPlan::~RoundPlan() = default;

} // namespace ns3
