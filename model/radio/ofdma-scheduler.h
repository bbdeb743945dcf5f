/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_SCHEDULER_H
#define EDGE_LLM_OFDMA_SCHEDULER_H

#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What the scheduler knows about one device in one slot and direction.
 */
struct OfdmaDemand
{
    bool active{false};   //!< has data to send or a HARQ retransmission pending
    uint32_t rbNeeded{0}; //!< RBs that would carry its whole queue at its current MCS
    double bitsPerRb{0};  //!< transport block bits one RB carries at its current MCS
    uint32_t fixedRbs{0}; //!< >0: a HARQ retransmission that needs exactly this many RBs
};

/**
 * \ingroup edge-llm
 * \brief Resource block allocation of one carrier of the OFDMA cell, per slot.
 *
 * Policies:
 * - "shares": each device receives its bandwidth share s_i of the N RBs on average: a credit
 *   grows by s_i N per active slot and the grant is its integer part (the fraction carries to
 *   the next slot). Devices without a share split 1 - sum(set shares) equally. The grant is
 *   capped at what the device needs; RBs a device does not use are left idle (the
 *   application-layer scheduler's partition is enforced exactly, not work-conserving).
 * - "rr": round robin: the active devices split the N RBs equally (the remainder rotates);
 *   RBs a device does not need go to the others.
 * - "pf": proportional fair: devices in order of (bits per RB) / (average served bits),
 *   each granted what it needs from what is left; averages are exponential with the
 *   time constant PfTimeConstantSlots.
 *
 * A pending HARQ retransmission is granted first with the RBs of its first transmission.
 */
class OfdmaScheduler : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaScheduler();

    /**
     * \param name a scheduler name
     * \return "" for "shares", "pf" or "rr", otherwise the problem
     */
    static std::string CheckSchedulerName(const std::string& name);

    /**
     * \brief Check a set of bandwidth shares (NaN = not set).
     * \param shares one per device
     * \return "" when every set share is finite and in [0, 1] and they sum to at most 1
     */
    static std::string CheckShares(const std::vector<double>& shares);

    /**
     * \param name "shares", "pf" or "rr"; NS_FATAL_ERROR with CheckSchedulerName's message
     */
    void SetPolicy(const std::string& name);
    /// \return the policy name
    std::string GetPolicy() const;

    /**
     * \param devices the number of devices; resets the scheduler's state
     * \param resourceBlocks the carrier's RBs
     */
    void Configure(uint32_t devices, uint32_t resourceBlocks);

    /**
     * \param shares one per device, NaN for not set; NS_FATAL_ERROR with CheckShares's message
     */
    void SetShares(const std::vector<double>& shares);

    /// \return the effective share of each device (unset ones split the remainder)
    std::vector<double> GetEffectiveShares() const;

    /**
     * \brief Allocate the RBs of one slot.
     * \param demand one per device
     * \return RBs granted per device (sum <= RBs)
     */
    std::vector<uint32_t> Allocate(const std::vector<OfdmaDemand>& demand);

  private:
    /// \copydoc Allocate
    std::vector<uint32_t> AllocateShares(const std::vector<OfdmaDemand>& demand, uint32_t free);
    /// \copydoc Allocate
    std::vector<uint32_t> AllocateRoundRobin(const std::vector<OfdmaDemand>& demand, uint32_t free);
    /// \copydoc Allocate
    std::vector<uint32_t> AllocateProportionalFair(const std::vector<OfdmaDemand>& demand,
                                                   uint32_t free);

    std::string m_policy;          //!< "shares", "pf", "rr"
    uint32_t m_resourceBlocks;     //!< N
    std::vector<double> m_shares;  //!< per device, NaN = not set
    std::vector<double> m_credit;  //!< shares: carried fraction
    std::vector<double> m_average; //!< pf: average served bits per slot
    uint32_t m_next;               //!< rr: first device of the next slot
    double m_pfTimeConstant;       //!< pf: slots
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_SCHEDULER_H */
