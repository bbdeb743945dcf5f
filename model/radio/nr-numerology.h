/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_NR_NUMEROLOGY_H
#define EDGE_LLM_NR_NUMEROLOGY_H

#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief 5G NR numerology (TS 38.211 4.2) and the FR1 transmission bandwidth configuration
 * (TS 38.101-1 Table 5.3.2-1): pure functions.
 *
 * Numerology mu in {0, 1, 2, 3}: subcarrier spacing 15 * 2^mu kHz, 14 OFDM symbols per slot
 * (normal cyclic prefix), slot duration 1 ms / 2^mu. A resource block is 12 subcarriers.
 * mu = 3 (120 kHz) is FR2 only in 3GPP; for it the module uses TS 38.101-2 Table 5.3.2-1
 * (50, 100, 200, 400 MHz -> 32, 66, 132, 264 RB).
 */
class NrNumerology
{
  public:
    /// Subcarriers per resource block.
    static constexpr uint32_t SUBCARRIERS_PER_RB = 12;
    /// OFDM symbols per slot (normal cyclic prefix).
    static constexpr uint32_t SYMBOLS_PER_SLOT = 14;

    /**
     * \param mu the numerology
     * \return "" when mu is 0, 1, 2 or 3, otherwise the problem
     */
    static std::string CheckNumerology(uint32_t mu);

    /**
     * \param mu the numerology (0..3; NS_FATAL_ERROR otherwise)
     * \return the subcarrier spacing in Hz: 15 kHz * 2^mu
     */
    static double GetSubcarrierSpacingHz(uint32_t mu);

    /**
     * \param mu the numerology (0..3)
     * \return the slot duration: 1 ms / 2^mu
     */
    static Time GetSlotDuration(uint32_t mu);

    /**
     * \param mu the numerology (0..3)
     * \return the bandwidth of one resource block in Hz: 12 * 15 kHz * 2^mu
     */
    static double GetResourceBlockBandwidthHz(uint32_t mu);

    /**
     * \brief Check a channel bandwidth for a numerology.
     * \param bandwidthMHz the channel bandwidth in MHz
     * \param mu the numerology
     * \return "" when the table has an entry, otherwise the problem (naming the allowed
     *         bandwidths)
     */
    static std::string CheckBandwidth(double bandwidthMHz, uint32_t mu);

    /**
     * \brief The maximum transmission bandwidth configuration N_RB.
     * \param bandwidthMHz the channel bandwidth in MHz
     * \param mu the numerology
     * \return N_RB from TS 38.101-1 Table 5.3.2-1 (FR1, mu 0..2) or TS 38.101-2 Table 5.3.2-1
     *         (mu 3); NS_FATAL_ERROR with CheckBandwidth's message when there is no entry
     */
    static uint32_t GetResourceBlockCount(double bandwidthMHz, uint32_t mu);

    /**
     * \param mu the numerology (0..3)
     * \return the channel bandwidths (MHz) the table lists for \p mu
     */
    static std::vector<uint32_t> GetAllowedBandwidthsMHz(uint32_t mu);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_NR_NUMEROLOGY_H */
