/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_NR_LINK_ADAPTATION_H
#define EDGE_LLM_NR_LINK_ADAPTATION_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup edge-llm
 * \brief One row of TS 38.214 Table 5.1.3.1-1 (MCS index table 1 for PDSCH/PUSCH).
 */
struct NrMcsEntry
{
    uint32_t modulationOrder; //!< Qm: 2 (QPSK), 4 (16QAM), 6 (64QAM)
    uint32_t codeRateX1024;   //!< target code rate R x 1024
};

/**
 * \ingroup edge-llm
 * \brief Link adaptation for the OFDMA cell: pure functions.
 *
 * - MCS table 1 of TS 38.214 (Table 5.1.3.1-1), indices 0..28.
 * - Transport block size by the TS 38.214 5.1.3.2 procedure (single layer, 14 symbols,
 *   12 DMRS resource elements and no extra overhead per PRB, so N'_RE = 156), including
 *   Table 5.1.3.2-1 for N_info <= 3824.
 * - SINR threshold per MCS (the module's own): the SINR at which Shannon's capacity with the
 *   gap \p gapDb carries the MCS's spectral efficiency Qm * R:
 *   threshold = 10 log10(2^(Qm R) - 1) + gapDb.
 * - BLER (the module's own): logistic in SINR (dB) around that threshold,
 *   BLER = 1 / (1 + exp(slope * (sinrDb - threshold) + ln 9)), so BLER = 10% at the
 *   threshold and falls by a factor of about e^slope per dB above it.
 * - MCS choice: the highest MCS whose threshold is at most the effective SINR (BLER <= 10%).
 * - Shannon alternative: bits per resource element = log2(1 + SINR / gap).
 * - Effective SINR of a transport block over its resource blocks: the mean of the per-RB
 *   SINR in dB (a documented simplification; exact with frequency-flat fading).
 */
class NrLinkAdaptation
{
  public:
    /// Highest MCS index of table 1 (29..31 are reserved for retransmissions).
    static constexpr uint32_t MAX_MCS = 28;
    /// Resource elements per PRB available for data (N'_RE = 12 * 14 - 12 DMRS - 0).
    static constexpr uint32_t DATA_RE_PER_PRB = 156;

    /**
     * \param mcs an MCS index
     * \return "" when 0 <= mcs <= 28, otherwise the problem
     */
    static std::string CheckMcs(uint32_t mcs);

    /**
     * \param mcs an MCS index (0..28; NS_FATAL_ERROR otherwise)
     * \return the row of TS 38.214 Table 5.1.3.1-1
     */
    static NrMcsEntry GetMcs(uint32_t mcs);

    /**
     * \param cqi a CQI index
     * \return "" when 1 <= cqi <= 15, otherwise the problem
     */
    static std::string CheckCqi(uint32_t cqi);

    /**
     * \param cqi a CQI index (1..15; NS_FATAL_ERROR otherwise)
     * \return the row of TS 38.214 Table 5.2.2.1-2 (CQI table 1)
     */
    static NrMcsEntry GetCqi(uint32_t cqi);

    /**
     * \brief The CQI a UE would report: the highest CQI whose Shannon-gap threshold
     *        10 log10(2^(Qm R) - 1) + gapDb is at most the SINR.
     * \param sinrDb the effective SINR in dB
     * \param gapDb the gap in dB
     * \return 1..15, or 0 (out of range) below CQI 1's threshold
     */
    static uint32_t SelectCqi(double sinrDb, double gapDb);

    /**
     * \param mcs an MCS index
     * \return the spectral efficiency Qm * R in bits per resource element
     */
    static double GetSpectralEfficiency(uint32_t mcs);

    /**
     * \brief Transport block size per TS 38.214 5.1.3.2 (one layer).
     * \param mcs the MCS index (0..28)
     * \param nPrb the number of PRBs (0 gives 0)
     * \return the TBS in bits
     */
    static uint32_t GetTransportBlockSizeBits(uint32_t mcs, uint32_t nPrb);

    /**
     * \return TS 38.214 Table 5.1.3.2-1 (TBS for N_info <= 3824)
     */
    static const std::vector<uint32_t>& GetTbsTable();

    /**
     * \param mcs the MCS index
     * \param gapDb the implementation gap to Shannon capacity in dB
     * \return the SINR threshold in dB at which the MCS has 10% BLER (module's own model)
     */
    static double GetSinrThresholdDb(uint32_t mcs, double gapDb);

    /**
     * \param mcs the MCS index
     * \param sinrDb the effective SINR in dB
     * \param gapDb the gap to Shannon capacity in dB
     * \param slope the logistic slope per dB
     * \return the block error rate
     */
    static double GetBler(uint32_t mcs, double sinrDb, double gapDb, double slope);

    /**
     * \param sinrDb the effective SINR in dB
     * \param gapDb the gap to Shannon capacity in dB
     * \return the highest MCS whose threshold is <= sinrDb, 0 when none is
     */
    static uint32_t SelectMcs(double sinrDb, double gapDb);

    /**
     * \param sinrDb the SINR in dB
     * \param gapDb the Shannon gap in dB
     * \return log2(1 + sinr / gap), bits per resource element
     */
    static double GetShannonEfficiency(double sinrDb, double gapDb);

    /**
     * \brief Transport block size in Shannon mode: floor of efficiency * data REs.
     * \param sinrDb the SINR in dB
     * \param gapDb the Shannon gap in dB
     * \param nPrb the number of PRBs
     * \return bits
     */
    static uint32_t GetShannonTransportBlockSizeBits(double sinrDb, double gapDb, uint32_t nPrb);

    /**
     * \param sinrLinear per-RB SINR, linear (at least one)
     * \return the effective SINR in dB: mean of 10 log10(sinr) over the RBs
     */
    static double GetEffectiveSinrDb(const std::vector<double>& sinrLinear);

    /**
     * \param name the link adaptation name
     * \return "" for "mcs" or "shannon", otherwise the problem
     */
    static std::string CheckLinkAdaptation(const std::string& name);
};

} // namespace ns3

#endif /* EDGE_LLM_NR_LINK_ADAPTATION_H */
