/* SPDX-License-Identifier: GPL-2.0-only */
#include "analytic-compute-model.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <limits>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmAnalyticComputeModel");

NS_OBJECT_ENSURE_REGISTERED(AnalyticComputeModel);

TypeId
AnalyticComputeModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AnalyticComputeModel")
            .SetParent<ComputeModel>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<AnalyticComputeModel>()
            .AddAttribute("KernelOverhead",
                          "Fixed time added to every call: kernel launch and framework "
                          "dispatch. Must be >= 0.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&AnalyticComputeModel::m_kernelOverhead),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("EfficiencyScale",
                          "Multiplies every device's efficiency, for sensitivity studies of a "
                          "less optimised software stack. In (0, 1], so the sustained rate "
                          "never exceeds the peak.",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&AnalyticComputeModel::m_efficiencyScale),
                          MakeDoubleChecker<double>(std::numeric_limits<double>::min(), 1.0))
            .AddAttribute("OverlapComputeAndMemory",
                          "true: time is the max of the arithmetic and memory terms (roofline, "
                          "perfect overlap); false: their sum (no overlap, an upper bound).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&AnalyticComputeModel::m_overlap),
                          MakeBooleanChecker());
    return tid;
}

AnalyticComputeModel::AnalyticComputeModel()
    : m_kernelOverhead(Seconds(0)),
      m_efficiencyScale(1.0),
      m_overlap(true)
{
    NS_LOG_FUNCTION(this);
}

AnalyticComputeModel::~AnalyticComputeModel()
{
    NS_LOG_FUNCTION(this);
}

std::string
AnalyticComputeModel::ValidateInputs(const DeviceProfile& device,
                                     DataType dtype,
                                     double flops,
                                     double memoryBytes) const
{
    std::string problem = device.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    return ValidateWork(flops, memoryBytes);
}

double
AnalyticComputeModel::GetSustainedFlops(const DeviceProfile& device, DataType dtype) const
{
    return device.GetAchievedFlops(dtype) * m_efficiencyScale;
}

double
AnalyticComputeModel::GetArithmeticSeconds(const DeviceProfile& device,
                                           DataType dtype,
                                           double flops) const
{
    return flops / GetSustainedFlops(device, dtype);
}

double
AnalyticComputeModel::GetMemorySeconds(const DeviceProfile& device, double memoryBytes) const
{
    return memoryBytes / device.GetMemoryBandwidth();
}

double
AnalyticComputeModel::GetRidgeIntensity(const DeviceProfile& device, DataType dtype) const
{
    return GetSustainedFlops(device, dtype) / device.GetMemoryBandwidth();
}

Time
AnalyticComputeModel::GetComputeTime(const DeviceProfile& device,
                                     DataType dtype,
                                     double flops,
                                     double memoryBytes) const
{
    NS_LOG_FUNCTION(this << device.GetName() << DataTypeToString(dtype) << flops << memoryBytes);
    std::string problem = ValidateInputs(device, dtype, flops, memoryBytes);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("AnalyticComputeModel::GetComputeTime: " << problem);
    }
    double arithmetic = GetArithmeticSeconds(device, dtype, flops);
    double memory = GetMemorySeconds(device, memoryBytes);
    double seconds = m_overlap ? std::max(arithmetic, memory) : arithmetic + memory;
    NS_LOG_LOGIC(device.GetName() << " " << DataTypeToString(dtype) << ": arithmetic " << arithmetic
                                  << " s, memory " << memory << " s -> "
                                  << (arithmetic >= memory ? "compute" : "memory") << "-bound, "
                                  << seconds << " s + overhead " << m_kernelOverhead);
    return Seconds(seconds) + m_kernelOverhead;
}

} // namespace edgellm
} // namespace ns3
