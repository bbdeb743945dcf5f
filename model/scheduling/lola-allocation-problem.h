/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_LOLA_ALLOCATION_PROBLEM_H
#define EDGE_LLM_LOLA_ALLOCATION_PROBLEM_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One device of a LoLa DEFT round: what each block costs it and how well it reaches the
 * edge server.
 *
 * Blocks are numbered by depth from the output: block 0 is the one nearest the output head.
 * A device fine-tuning block m runs the forward pass through the whole model and the backward
 * pass from the output down to block m, so computeSeconds and the memory behind fits grow with
 * m (the "depth-aware" property CRUNCH exploits).
 */
struct LolaDevice
{
    std::vector<double> computeSeconds; //!< per block: forward + backward down to it (s)
    std::vector<bool> fits;             //!< per block: whether its memory fits the device
    /// uplink SNR over the whole band, SNR gap included: p g / (gap N0 B); spreading its power
    /// over a share beta of the band raises the SNR per hertz to snr / beta
    double snr{0};
    /// when not empty, the rate replaces Shannon's: bit/s at n resource blocks of the band's
    /// size() - 1 (non-decreasing); a share beta is beta (size() - 1) blocks on average, a mix
    /// of slots with the counts on either side (the rate interpolates between them), as the
    /// cell grants it; e.g. what the network's own model gives
    /// (NetworkState::GetOfdmaUplinkGoodputs)
    std::vector<double> rateByResourceBlocks;
    /// shared channel (LolaAllocationProblem::sharedChannel): the device's goodput alone on
    /// the channel (bit/s; 0: it does not reach the server), e.g. the Wi-Fi flow level's
    /// (NetworkState::GetWifiGoodput)
    double channelRateBps{0};
};

/**
 * \ingroup edge-llm
 * \brief The assignment of blocks to devices and the split of the uplink band: LoLa DEFT's
 * decision for one round.
 */
struct LolaAllocation
{
    std::vector<int32_t> blockOfDevice; //!< per device: its block, or -1 (not involved)
    std::vector<double> share;          //!< per device: its share of the uplink band
    double latencySeconds{0};           //!< the round: slowest compute plus upload (s)
    uint32_t iterations{0};             //!< iterations the solver ran
    /// JBBA: the band's KKT price at the solution: seconds of round latency one more unit of
    /// share would save
    double bandPrice{0};
    /// JBBA: at the last block step, the band the best matching left unused at the target
    /// (0 at the optimum: no matching finishes earlier)
    double budgetSlack{0};
    /// JBBA: a proven bound on the latency's distance to the optimum, relative (1e-6 when one
    /// more block step at 1e-6 below the latency needs more than the band; NaN: not proven)
    double certifiedGap{0};

    /** \return whether every block has a device and the latency is finite */
    bool IsFeasible() const;
};

/**
 * \ingroup edge-llm
 * \brief LoLa DEFT's allocation problem for one round, without any network (the schedulers and
 * the oracle solve it; tests build it by hand).
 *
 * Device k fine-tuning block m with a share beta of the band B finishes after
 *   T_k(m) + D_m / r_k(beta),   r_k(beta) = beta B min(cMax, log2(1 + snr_k / beta))
 * (Shannon's rate with the device's power spread over its share, as the OFDMA cell spreads a
 * UE's power over its granted resource blocks; cMax caps it at the largest MCS' efficiency,
 * 0 = no cap), or r_k from the device's rate table (the cell's own link adaptation). Each block
 * goes to exactly one device, each device fine-tunes at most one block, and the shares of the
 * involved devices sum to at most 1. The round's latency is the slowest involved device's.
 *
 * With sharedChannel (a contended channel such as Wi-Fi, where nobody grants shares) the
 * shares mean nothing: the devices that upload at once share the channel's airtime as the flow
 * level shares it (max-min fair throughput on one resource). With n uploads in progress, each
 * moves 1 / (f(n) sum_j 1 / r_j) bit/s, r_j the device's rate alone (channelRateBps) and f(n)
 * the contention factor (the lengthening of every transmission by n + 1 contenders: the
 * uploaders and the server's TCP ACKs). A device's upload starts when its compute ends, so the
 * round's latency depends on which devices overlap: GetSharedFinishSeconds times it.
 */
class LolaAllocationProblem
{
  public:
    double bandwidthHz{20e6};        //!< uplink band shared by the devices (Hz)
    double maxSpectralEfficiency{0}; //!< cMax (bit/s/Hz; 0: Shannon without a cap)
    std::vector<double> blockBits;   //!< D_m: bits of block m's gradient
    std::vector<LolaDevice> devices; //!< the devices
    /// the uplink is one contended channel: no shares, rates from channelRateBps and
    /// contentionFactor
    bool sharedChannel{false};
    /// shared channel: entry n - 1 is f(n) >= 1 for n uploads at once (the last entry beyond
    /// the table; empty: 1)
    std::vector<double> contentionFactor;

    /** \return "" when the problem is well formed, else what is wrong (naming the field) */
    std::string Validate() const;

    /** \return the number of blocks */
    uint32_t GetBlockCount() const;
    /** \return the number of devices */
    uint32_t GetDeviceCount() const;

    /**
     * \param device k
     * \param share beta in [0, 1]
     * \return r_k(beta) in bit/s (shared channel: the rate alone, whatever the share)
     */
    double GetRate(uint32_t device, double share) const;

    /**
     * \brief The least share with which \p device uploads \p bits within \p seconds (the inverse
     * of GetRate: closed form where the efficiency is capped, bisection where it is not).
     * \param device k
     * \param bits bits to upload
     * \param seconds time for the upload
     * \return beta (may exceed 1); +infinity when seconds <= 0 or the device has no rate
     */
    double GetRequiredShare(uint32_t device, double bits, double seconds) const;

    /**
     * \param device k
     * \param share beta > 0
     * \return dr_k/dbeta in bit/s per unit of share (a table: the next block's gain)
     */
    double GetRateSlope(uint32_t device, double share) const;

    /**
     * \param device k
     * \return whether the device reaches the server at all (some share gives a rate)
     */
    bool HasRate(uint32_t device) const;

    /**
     * \param device k
     * \param block m
     * \param share beta
     * \return T_k(m) + D_m / r_k(beta), +infinity when the block does not fit or beta is 0
     * (shared channel: the device alone on the channel)
     */
    double GetLatency(uint32_t device, uint32_t block, double share) const;

    /**
     * \param allocation a decision
     * \return its round latency from this problem's costs (+infinity if a block has no
     * device, a device two blocks or does not fit, or the shares exceed 1 by more than 1e-9;
     * shared channel: GetSharedFinishSeconds' latest, the shares ignored)
     */
    double Evaluate(const LolaAllocation& allocation) const;

    /**
     * \brief On a shared channel, when each involved device's upload ends: a fluid timing of
     * the uploads, each starting at its device's compute end (an event at each start and end).
     * \param blockOfDevice per device: its block or -1
     * \return per device: its compute plus upload end (s), 0 when not involved, +infinity
     * when its block does not fit or it has no rate
     */
    std::vector<double> GetSharedFinishSeconds(const std::vector<int32_t>& blockOfDevice) const;

    /**
     * \param uploads n >= 1 uploads at once
     * \return f(n)
     */
    double GetContentionFactor(uint32_t uploads) const;

    /**
     * \brief Whether every device's costs grow with the block's depth (what CRUNCH needs):
     * computeSeconds non-decreasing, fits a prefix, and D_m non-decreasing in m.
     */
    bool IsDepthMonotone() const;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_LOLA_ALLOCATION_PROBLEM_H */
