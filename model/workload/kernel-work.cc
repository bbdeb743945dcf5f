/* SPDX-License-Identifier: GPL-2.0-only */
#include "kernel-work.h"

#include "ns3/fatal-error.h"

namespace ns3
{
namespace edgellm
{

std::string
KernelClassToString(KernelClass kernelClass)
{
    switch (kernelClass)
    {
    case KernelClass::GEMM:
        return "gemm";
    case KernelClass::ATTENTION:
        return "attention";
    case KernelClass::ELEMENTWISE:
        return "elementwise";
    case KernelClass::NORMALIZATION:
        return "normalization";
    }
    NS_FATAL_ERROR("unknown KernelClass value " << static_cast<int>(kernelClass));
}

bool
IsMemoryBoundClass(KernelClass kernelClass)
{
    return kernelClass == KernelClass::ELEMENTWISE || kernelClass == KernelClass::NORMALIZATION;
}

void
KernelWork::Add(KernelClass kernelClass, double flops, double bytes, uint32_t count, bool autograd)
{
    if (count == 0)
    {
        return;
    }
    for (auto& kernel : m_kernels)
    {
        if (kernel.kernelClass == kernelClass && kernel.flops == flops && kernel.bytes == bytes &&
            kernel.autograd == autograd)
        {
            kernel.count += count;
            return;
        }
    }
    m_kernels.push_back(Kernel{kernelClass, flops, bytes, count, autograd});
}

void
KernelWork::Append(const KernelWork& other, uint32_t times)
{
    for (const auto& kernel : other.m_kernels)
    {
        Add(kernel.kernelClass, kernel.flops, kernel.bytes, kernel.count * times, kernel.autograd);
    }
}

const std::vector<Kernel>&
KernelWork::GetKernels() const
{
    return m_kernels;
}

uint64_t
KernelWork::GetLaunchCount() const
{
    uint64_t launches = 0;
    for (const auto& kernel : m_kernels)
    {
        launches += kernel.count;
    }
    return launches;
}

uint64_t
KernelWork::GetAutogradLaunchCount() const
{
    uint64_t launches = 0;
    for (const auto& kernel : m_kernels)
    {
        launches += kernel.autograd ? kernel.count : 0;
    }
    return launches;
}

double
KernelWork::GetTotalFlops() const
{
    double flops = 0;
    for (const auto& kernel : m_kernels)
    {
        flops += kernel.flops * kernel.count;
    }
    return flops;
}

double
KernelWork::GetTotalBytes() const
{
    double bytes = 0;
    for (const auto& kernel : m_kernels)
    {
        bytes += kernel.bytes * kernel.count;
    }
    return bytes;
}

double
KernelWork::GetClassFlops(KernelClass kernelClass) const
{
    double flops = 0;
    for (const auto& kernel : m_kernels)
    {
        if (kernel.kernelClass == kernelClass)
        {
            flops += kernel.flops * kernel.count;
        }
    }
    return flops;
}

bool
KernelWork::IsEmpty() const
{
    return m_kernels.empty();
}

} // namespace edgellm
} // namespace ns3
