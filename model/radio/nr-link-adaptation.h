/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_NR_LINK_ADAPTATION_H
#define EDGE_LLM_NR_LINK_ADAPTATION_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
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
 * \brief The HARQ and outer-loop link adaptation (OLLA) settings of a link, for
 * NrLinkAdaptation::GetExpectedLink (OfdmaBsNetDevice's attributes of the same names).
 */
struct NrHarqSettings
{
    double gapDb{1.0};            //!< McsGapDb: gap of the 10% BLER thresholds to Shannon
    double blerSlope{1.5};        //!< BlerSlope: logistic slope per dB
    uint32_t maxTransmissions{4}; //!< MaxHarqTransmissions
    bool combining{true};         //!< HarqCombining: Chase combining of the transmissions
    bool olla{true};              //!< OuterLoopLinkAdaptation
    double ollaTargetBler{0.1};   //!< OllaTargetBler: first-transmission BLER target
    double ollaMaxOffsetDb{20};   //!< OllaMaxOffsetDb: the offset stays in [-max, +max]
};

/**
 * \ingroup edge-llm
 * \brief The expected behaviour of a backlogged link (NrLinkAdaptation::GetExpectedLink).
 */
struct NrLinkExpectation
{
    double bitsPerSlot{0};        //!< delivered bits per slot (HARQ retransmissions included)
    double offsetDb{0};           //!< OLLA offset at equilibrium (0 without OLLA)
    double upperShare{0};         //!< fraction of new TBs sent just above offsetDb
    uint32_t lowerMcs{0};         //!< without fading: the MCS just below offsetDb
    uint32_t upperMcs{0};         //!< without fading: the MCS just above offsetDb
    double firstBler{0};          //!< first-transmission BLER
    double residualBler{0};       //!< fraction of TBs dropped after the last transmission
    double transmissionsPerTb{1}; //!< transmissions per TB
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

    /**
     * \param target the OLLA first-transmission BLER target
     * \return "" when 0 < target < 1, otherwise the problem
     */
    static std::string CheckOllaTargetBler(double target);

    /**
     * \param stepDb the OLLA up step (dB)
     * \return "" when 0 < stepDb <= 1, otherwise the problem
     */
    static std::string CheckOllaStepDb(double stepDb);

    /**
     * \param maxOffsetDb the bound of the OLLA offset (dB)
     * \return "" when 0 < maxOffsetDb <= 60, otherwise the problem
     */
    static std::string CheckOllaMaxOffsetDb(double maxOffsetDb);

    /**
     * \brief One outer-loop step on the HARQ feedback of a first transmission:
     *        offset + stepDb on an ACK, offset - stepDb (1 - target) / target on a NACK,
     *        then bounded to [-maxOffsetDb, maxOffsetDb]. Its drift is zero when the
     *        first-transmission BLER equals \p target. Anti-windup: an ACK of a block at the
     *        highest MCS raises the offset to 0 at most, a NACK of a block at MCS 0 lowers it
     *        to 0 at most (the choice could not have gone further that way), so that a run of
     *        small blocks at a high SINR (TCP ACKs) cannot wind the offset up for the next
     *        large block, nor a deep fade at MCS 0 wind it down.
     * \param offsetDb the offset before
     * \param ack the first transmission decoded
     * \param mcs the block's MCS
     * \param stepDb the up step
     * \param target the BLER target
     * \param maxOffsetDb the bound
     * \return the offset after
     */
    static double UpdateOllaOffsetDb(double offsetDb,
                                     bool ack,
                                     uint32_t mcs,
                                     double stepDb,
                                     double target,
                                     double maxOffsetDb);

    /**
     * \brief The probabilities that the first k transmissions of a transport block all fail,
     *        k = 0 .. maxTransmissions, under block fading drawn independently per transmission.
     *
     * q_0 = 1, q_k = E[prod_{j <= k} BLER(mcs, meanSinrDb + 10 log10 A_j)] with A_j = g_1 + ...
     * + g_j (Chase combining) or g_j, the g independent fading power gains given as
     * equiprobable points (dB; one point 0 dB without fading). The expectation is a
     * recursion over the accumulated gain: exact while it has at most 256 values, then on a
     * 0.1 dB grid (each value split between its two neighbours, linearly in dB); from the third
     * transmission on, groups of 4 consecutive gains (when there are more than 16) are merged
     * into their linear mean (those terms are small; this bounds the cost).
     *
     * \param mcs the MCS of the block
     * \param meanSinrDb the SINR without fading (dB)
     * \param gainsDb equiprobable fading power gains (dB); empty = no fading
     * \param gapDb the MCS gap
     * \param slope the BLER slope
     * \param maxTransmissions the transmissions before the block is dropped
     * \param combining Chase combining
     * \return q_0 .. q_maxTransmissions
     */
    static std::vector<double> GetHarqFailureProbabilities(uint32_t mcs,
                                                           double meanSinrDb,
                                                           const std::vector<double>& gainsDb,
                                                           double gapDb,
                                                           double slope,
                                                           uint32_t maxTransmissions,
                                                           bool combining);

    /**
     * \brief The expected first-transmission BLER when the MCS is picked from one fading draw
     *        of the SINR plus \p offsetDb and the block is decoded at another:
     *        E[BLER(SelectMcs(s + h1 + offset), s + h2)] over the equiprobable gains.
     * \param meanSinrDb s, the SINR without fading (dB)
     * \param offsetDb the OLLA offset added before the MCS choice
     * \param gainsDb equiprobable fading power gains (dB); empty = no fading
     * \param gapDb the MCS gap
     * \param slope the BLER slope
     * \return the BLER
     */
    static double GetExpectedFirstBler(double meanSinrDb,
                                       double offsetDb,
                                       const std::vector<double>& gainsDb,
                                       double gapDb,
                                       double slope);

    /**
     * \brief The expected behaviour of a backlogged link whose base station picks each new
     *        block's MCS from the last measured SINR (an independent fading draw) plus the OLLA
     *        offset, and retransmits failed blocks (HARQ) in the following slots.
     *
     * Without OLLA the offset is 0. With OLLA, the offset settles where its mean drift
     * (UpdateOllaOffsetDb, anti-windup included) is zero:
     * G(offset) = (1 - target) P(NACK, counted) - target P(ACK, counted) = 0, where a NACK at
     * MCS 0 counts only above offset 0 and an ACK at MCS 28 only below it (without these
     * exceptions: first-transmission BLER = target). G is a non-decreasing step function (it
     * steps where s + h + offset crosses an MCS threshold, and at 0), so the offset alternates
     * between the two sides of the step where G changes sign, a fraction u of the new blocks
     * above it, with (1 - u) G_below + u G_above = 0; pinned at a bound when G keeps one sign.
     * Per side C, over the first draw h1:
     * D_C = E[TBS(mcs) (1 - q_N(mcs))] delivered bits and S_C = E[sum_{k<N} q_k(mcs)] slots per
     * block; the goodput is ((1 - u) D_below + u D_above) / ((1 - u) S_below + u S_above) bits
     * per slot.
     *
     * \param meanSinrDb the SINR without fading (dB)
     * \param nPrb the RBs of each block
     * \param gainsDb equiprobable fading power gains (dB); empty = no fading
     * \param settings the HARQ and OLLA settings
     * \return the expectation
     */
    static NrLinkExpectation GetExpectedLink(double meanSinrDb,
                                             uint32_t nPrb,
                                             const std::vector<double>& gainsDb,
                                             const NrHarqSettings& settings);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_NR_LINK_ADAPTATION_H */
