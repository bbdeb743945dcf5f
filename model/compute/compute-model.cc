/* SPDX-License-Identifier: GPL-2.0-only */
#include "compute-model.h"

#include "ns3/log.h"

#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmComputeModel");

NS_OBJECT_ENSURE_REGISTERED(ComputeModel);

TypeId
ComputeModel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ComputeModel").SetParent<Object>().SetGroupName("EdgeLlm");
    return tid;
}

ComputeModel::ComputeModel()
{
    NS_LOG_FUNCTION(this);
}

ComputeModel::~ComputeModel()
{
    NS_LOG_FUNCTION(this);
}

Time
ComputeModel::GetWorkTime(const DeviceProfile& device, DataType dtype, const KernelWork& work) const
{
    return GetComputeTime(device, dtype, work.GetTotalFlops(), work.GetTotalBytes());
}

std::string
ComputeModel::ValidateWork(double flops, double memoryBytes)
{
    // !(x >= 0) also catches NaN.
    if (!(flops >= 0.0) || !std::isfinite(flops))
    {
        std::ostringstream oss;
        oss << "flops=" << flops << " is invalid: must be a finite number >= 0";
        return oss.str();
    }
    if (!(memoryBytes >= 0.0) || !std::isfinite(memoryBytes))
    {
        std::ostringstream oss;
        oss << "memoryBytes=" << memoryBytes << " is invalid: must be a finite number >= 0";
        return oss.str();
    }
    return "";
}

} // namespace edgellm
} // namespace ns3
