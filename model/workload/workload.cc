/* SPDX-License-Identifier: GPL-2.0-only */
#include "workload.h"

namespace ns3
{
namespace edgellm
{

std::string
Workload::Validate() const
{
    if (batchSize == 0)
    {
        return "batchSize=0 is invalid: must be a positive integer";
    }
    return spec.Validate();
}

} // namespace edgellm
} // namespace ns3
