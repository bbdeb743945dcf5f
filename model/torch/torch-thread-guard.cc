/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-thread-guard.h"

#include <dlfcn.h>
#include <torch/torch.h>

namespace ns3
{
namespace edgellm
{

namespace
{

using SetThreads = void (*)(int);
using GetThreads = int (*)();

/// \return OpenBLAS's openblas_set_num_threads, or nullptr
SetThreads
BlasSetter()
{
    static const auto setter =
        reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    return setter;
}

/// \return OpenBLAS's openblas_get_num_threads, or nullptr
GetThreads
BlasGetter()
{
    static const auto getter =
        reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return getter;
}

} // namespace

TorchThreadGuard::TorchThreadGuard(uint32_t threads)
    : m_torchThreads(torch::get_num_threads()),
      m_blasThreads(GetBlasThreads())
{
    torch::set_num_threads(static_cast<int>(threads));
    if (m_blasThreads > 0 && BlasSetter() != nullptr)
    {
        BlasSetter()(static_cast<int>(threads));
    }
}

TorchThreadGuard::~TorchThreadGuard()
{
    torch::set_num_threads(m_torchThreads);
    if (m_blasThreads > 0 && BlasSetter() != nullptr)
    {
        BlasSetter()(m_blasThreads);
    }
}

int
TorchThreadGuard::GetBlasThreads()
{
    return BlasGetter() != nullptr ? BlasGetter()() : 0;
}

} // namespace edgellm
} // namespace ns3
