/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_SHARES_SCHEDULER_H
#define EDGE_LLM_OFDMA_SHARES_SCHEDULER_H

#include "ofdma-scheduler.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The bandwidth-share policy (the default): each device receives its share of the RBs,
 * as the application-layer scheduler (DSSDA) decided.
 *
 * Device i with share s_i receives s_i N of the N RBs on average: a credit grows by s_i N per
 * slot in which the device has new data and the grant is its integer part (the fraction
 * carries to the next slot; an idle device's credit is dropped, so it cannot bank RBs for a
 * later burst). Devices without a share split 1 - sum(set shares) equally. The grant is capped
 * at what the device needs. When carried fractions round the sum of the grants above the free
 * RBs, the largest grants give one RB back each (their credit keeps it).
 *
 * The shares are guarantees, and the cell is work-conserving (WorkConserving, the default):
 * RBs that the shares leave unused (a device idle or needing less than its share, or shares
 * summing below 1) go to the devices that still have data, in proportion to their shares
 * (equally among devices whose shares are all 0), and in a rotating order for the last
 * indivisible RBs. Extra RBs never change a device's credit, so each device still receives at
 * least its share whenever it is backlogged. With WorkConserving=false the unused RBs stay
 * idle: a strict partition, as a network slice would enforce.
 *
 * The shares are set per device on the base station (OfdmaBsNetDevice::SetBandwidthShare, both
 * carriers), which hands them to this scheduler with SetShares.
 */
class OfdmaSharesScheduler : public OfdmaScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    OfdmaSharesScheduler();
    ~OfdmaSharesScheduler() override;

    /**
     * \brief Check a set of bandwidth shares (NaN = not set).
     * \param shares one per device
     * \return "" when every set share is finite and in [0, 1] and they sum to at most 1,
     *         otherwise the problem
     */
    static std::string CheckShares(const std::vector<double>& shares);

    /**
     * \brief The share each device receives: its own when set, otherwise an equal part of
     *        what the set ones leave (1 - their sum, at least 0).
     * \param shares one per device, NaN for not set
     * \return the effective shares
     */
    static std::vector<double> ComputeEffectiveShares(const std::vector<double>& shares);

    /**
     * \param shares one per device, NaN for not set; NS_FATAL_ERROR with CheckShares's message,
     *        or when there is not one per configured device
     */
    void SetShares(const std::vector<double>& shares);

    /// \return the shares as set (NaN = not set), one per device
    std::vector<double> GetShares() const;

    /// \return the effective share of each device (unset ones split the remainder)
    std::vector<double> GetEffectiveShares() const;

    /// \return whether RBs the shares leave unused go to other backlogged devices
    bool IsWorkConserving() const;

  protected:
    void DoConfigure() override;
    std::vector<uint32_t> DoAllocate(const std::vector<OfdmaDemand>& demand,
                                     uint32_t free) override;

  private:
    std::vector<double> m_shares; //!< per device, NaN = not set
    std::vector<double> m_credit; //!< per device, the carried fraction of an RB
    bool m_workConserving{true};  //!< unused RBs go to backlogged devices
    uint32_t m_rotation{0};       //!< first device offered an indivisible leftover RB
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_SHARES_SCHEDULER_H */
