/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_SCHEDULER_H
#define EDGE_LLM_OFDMA_SCHEDULER_H

#include "ns3/object.h"

#include <cstdint>
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
 * \brief Resource block allocation of one carrier of the OFDMA cell, per slot: the abstract
 * base of the policies.
 *
 * The base station holds one scheduler per carrier (OfdmaBsNetDevice's "Scheduler" attribute;
 * OfdmaCellHelper::SetSchedulerTypeId / SetSchedulerAttribute choose it, as 5G-LENA's helper
 * chooses its MAC scheduler). Every slot, Allocate() first grants each pending HARQ
 * retransmission the RBs of its first transmission, then lets the policy (DoAllocate) share
 * the RBs that are left among the devices with new data:
 * - OfdmaSharesScheduler: per-device bandwidth shares, enforced exactly (not work-conserving);
 * - OfdmaRoundRobinScheduler: equal split with water filling (work-conserving);
 * - OfdmaProportionalFairScheduler: proportional fair (work-conserving).
 *
 * A new policy derives from this class, implements DoAllocate (and DoConfigure when it keeps
 * per-device state), and registers a TypeId with a constructor.
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
    ~OfdmaScheduler() override;

    /**
     * \brief Size the scheduler for a carrier and reset its state (credits, averages, the
     *        round-robin position).
     * \param devices the number of devices
     * \param resourceBlocks the carrier's RBs
     */
    void Configure(uint32_t devices, uint32_t resourceBlocks);

    /// \return the number of devices of the last Configure
    uint32_t GetDeviceCount() const;
    /// \return the carrier's RBs of the last Configure
    uint32_t GetResourceBlockCount() const;

    /**
     * \brief Allocate the RBs of one slot: HARQ retransmissions first, with their original RB
     *        count, then the policy over the RBs left.
     * \param demand one per device; NS_FATAL_ERROR when not one per configured device
     * \return RBs granted per device (sum <= RBs)
     */
    std::vector<uint32_t> Allocate(const std::vector<OfdmaDemand>& demand);

    /**
     * \brief A new scheduler of the same TypeId with the same attribute values and no state
     *        (not configured): the base station's second carrier gets one.
     * \return the copy
     */
    Ptr<OfdmaScheduler> Copy() const;

  protected:
    /**
     * \brief Reset the policy's per-device state (called by Configure, after the device and
     *        RB counts are stored). The default keeps no state.
     */
    virtual void DoConfigure();

    /**
     * \brief The policy: share \p free RBs among the devices with new data.
     * \param demand one per device (those with fixedRbs > 0 were served already)
     * \param free the RBs left after the HARQ retransmissions
     * \return RBs granted per device on top of the retransmissions (sum <= \p free)
     */
    virtual std::vector<uint32_t> DoAllocate(const std::vector<OfdmaDemand>& demand,
                                             uint32_t free) = 0;

  private:
    uint32_t m_devices;        //!< devices of the last Configure
    uint32_t m_resourceBlocks; //!< N
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_SCHEDULER_H */
