/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel-compute-model.h"

#include "ns3/double.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <limits>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmKernelComputeModel");

NS_OBJECT_ENSURE_REGISTERED(KernelComputeModel);

TypeId
KernelComputeModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::KernelComputeModel")
            .SetParent<ComputeModel>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<KernelComputeModel>()
            .AddAttribute("EfficiencyScale",
                          "Multiplies every device's GEMM, attention and memory efficiencies, "
                          "for sensitivity studies of a less optimised software stack. In "
                          "(0, 1], so no rate exceeds its peak.",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&KernelComputeModel::m_efficiencyScale),
                          MakeDoubleChecker<double>(std::numeric_limits<double>::min(), 1.0))
            .AddAttribute("OverheadScale",
                          "Multiplies every device's per-kernel overhead: 0 removes launch and "
                          "dispatch costs (a fused or graph-captured runtime), 1 keeps the "
                          "device's figure. In [0, 100].",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&KernelComputeModel::m_overheadScale),
                          MakeDoubleChecker<double>(0.0, 100.0));
    return tid;
}

KernelComputeModel::KernelComputeModel()
    : m_efficiencyScale(1.0),
      m_overheadScale(1.0)
{
    NS_LOG_FUNCTION(this);
}

KernelComputeModel::~KernelComputeModel()
{
    NS_LOG_FUNCTION(this);
}

double
KernelComputeModel::GetClassFlops(const DeviceProfile& device,
                                  DataType dtype,
                                  KernelClass kernelClass) const
{
    switch (kernelClass)
    {
    case KernelClass::GEMM:
        return device.GetPeakFlops(dtype) * device.GetEfficiency() * m_efficiencyScale;
    case KernelClass::ATTENTION:
        return device.GetPeakFlops(dtype) * device.GetAttentionEfficiency() * m_efficiencyScale;
    case KernelClass::ELEMENTWISE:
    case KernelClass::NORMALIZATION:
        return 0;
    }
    NS_FATAL_ERROR("unknown KernelClass value " << static_cast<int>(kernelClass));
}

KernelTimeBreakdown
KernelComputeModel::GetBreakdown(const DeviceProfile& device,
                                 DataType dtype,
                                 const KernelWork& work) const
{
    std::string problem = device.Validate();
    if (!problem.empty())
    {
        NS_FATAL_ERROR("KernelComputeModel: " << problem);
    }
    const double bandwidth =
        device.GetMemoryBandwidth() * device.GetMemoryEfficiency() * m_efficiencyScale;
    const double overhead = device.GetKernelOverhead() * m_overheadScale;
    const double autogradOverhead = device.GetAutogradOverhead() * m_overheadScale;
    const bool overlap = device.GetComputeMemoryOverlap();
    // a 16-bit memory-bound kernel takes the device's ratio of its fp32 form's time (which moves
    // 4 / e times the bytes): 0.5 of it where the arithmetic is native, the bytes then decide
    const double elementBytes = GetDataTypeBytes(dtype);
    const bool sixteenBit = elementBytes < 4;
    const double elementwiseScale =
        sixteenBit ? device.GetElementwise16BitTimeRatio() * 4.0 / elementBytes : 1.0;
    const double normalizationScale =
        sixteenBit ? device.GetNormalization16BitTimeRatio() * 4.0 / elementBytes : 1.0;
    uint64_t matmulLaunches = 0;
    KernelTimeBreakdown breakdown;
    for (const auto& kernel : work.GetKernels())
    {
        problem = ValidateWork(kernel.flops, kernel.bytes);
        if (!problem.empty())
        {
            NS_FATAL_ERROR("KernelComputeModel: " << KernelClassToString(kernel.kernelClass)
                                                  << " kernel: " << problem);
        }
        const double rate = GetClassFlops(device, dtype, kernel.kernelClass);
        const double arithmetic = rate > 0 ? kernel.flops / rate : 0.0;
        double memory = kernel.bytes / bandwidth;
        if (kernel.kernelClass == KernelClass::ELEMENTWISE)
        {
            memory *= elementwiseScale;
        }
        else if (kernel.kernelClass == KernelClass::NORMALIZATION)
        {
            memory *= normalizationScale;
        }
        else
        {
            matmulLaunches += kernel.count;
        }
        breakdown.classSeconds[static_cast<std::size_t>(kernel.kernelClass)] +=
            (overlap ? std::max(arithmetic, memory) : arithmetic + memory) * kernel.count;
        breakdown.launches += kernel.count;
        if (memory > arithmetic)
        {
            breakdown.memoryBoundLaunches += kernel.count;
        }
    }
    breakdown.overheadSeconds =
        overhead * static_cast<double>(breakdown.launches) +
        autogradOverhead * static_cast<double>(work.GetAutogradLaunchCount()) +
        (sixteenBit ? (device.GetMatmul16BitOverhead() * static_cast<double>(matmulLaunches) +
                       device.GetAutograd16BitOverhead() *
                           static_cast<double>(work.GetAutogradLaunchCount())) *
                          m_overheadScale
                    : 0.0);
    return breakdown;
}

Time
KernelComputeModel::GetWorkTime(const DeviceProfile& device,
                                DataType dtype,
                                const KernelWork& work) const
{
    const KernelTimeBreakdown breakdown = GetBreakdown(device, dtype, work);
    NS_LOG_LOGIC(device.GetName() << ": " << breakdown.launches << " kernels, gemm "
                                  << breakdown.classSeconds[0] << " s, attention "
                                  << breakdown.classSeconds[1] << " s, elementwise "
                                  << breakdown.classSeconds[2] << " s, normalization "
                                  << breakdown.classSeconds[3] << " s, overhead "
                                  << breakdown.overheadSeconds << " s");
    return Seconds(breakdown.GetTotalSeconds());
}

Time
KernelComputeModel::GetComputeTime(const DeviceProfile& device,
                                   DataType dtype,
                                   double flops,
                                   double memoryBytes) const
{
    const std::string problem = ValidateWork(flops, memoryBytes);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("KernelComputeModel::GetComputeTime: " << problem);
    }
    KernelWork work;
    work.Add(KernelClass::GEMM, flops, memoryBytes);
    return GetWorkTime(device, dtype, work);
}

} // namespace edgellm
} // namespace ns3
