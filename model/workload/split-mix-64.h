/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_SPLIT_MIX_64_H
#define EDGE_LLM_SPLIT_MIX_64_H

#include <cstdint>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014): a specified, portable 64-bit generator that passes BigCrush and costs a few
 * instructions per draw, for draws that must be cheap (the CSMA contention emulation) or the
 * same on every platform (the synthetic dataset). Seed it from ns-3's streams.
 */
class SplitMix64
{
  public:
    /// \param seed the seed
    explicit SplitMix64(uint64_t seed)
        : m_state(seed)
    {
    }

    /// \return the next 64 random bits
    uint64_t Next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    /// \param n the bound (small: the modulo bias is below 2^-40 for n < 2^24)
    /// \return a number in [0, n)
    uint64_t Below(uint64_t n)
    {
        return Next() % n;
    }

    /// \return a number in [0, 1)
    double Uniform()
    {
        return (Next() >> 11) * (1.0 / 9007199254740992.0);
    }

  private:
    uint64_t m_state; //!< state
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_SPLIT_MIX_64_H */
