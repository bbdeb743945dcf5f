/* SPDX-License-Identifier: GPL-2.0-only */
#include "pac-planning-problem.h"

#include <sstream>

namespace ns3
{
namespace edgellm
{

PacPlanningProblem::~PacPlanningProblem() = default;

uint32_t
PacPlanningProblem::GetDeviceClass(uint32_t device) const
{
    return device;
}

bool
PacPlan::IsFeasible() const
{
    return microBatches > 0 && !stages.empty();
}

std::string
PacPlan::ToString() const
{
    if (!IsFeasible())
    {
        return "infeasible";
    }
    std::ostringstream out;
    out << "M=" << microBatches;
    for (const PacStage& stage : stages)
    {
        out << " [" << stage.firstLayer << "-" << stage.lastLayer << "]{";
        for (size_t i = 0; i < stage.devices.size(); ++i)
        {
            out << (i ? "," : "") << stage.devices[i];
        }
        out << "}x(";
        for (size_t i = 0; i < stage.samples.size(); ++i)
        {
            out << (i ? "," : "") << stage.samples[i];
        }
        out << ")";
    }
    return out.str();
}

} // namespace edgellm
} // namespace ns3
