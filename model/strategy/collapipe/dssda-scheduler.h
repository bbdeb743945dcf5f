/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_DSSDA_SCHEDULER_H
#define EDGE_LLM_DSSDA_SCHEDULER_H

#include "collapipe-scheduler.h"

#include "ns3/dssda-solver.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief DSSDA, CollaPipe's drift-plus-penalty scheduler: searches the micro-batch count, the
 * partition, the bandwidth shares and the transmit powers (DssdaSolver). Its Attributes are
 * the solver's options (DssdaOptions), with the same defaults.
 */
class DssdaScheduler : public CollaPipeScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    DssdaScheduler();

    std::string Decide(const CollaPipeRoundModel& model,
                       CollaPipeDecision& decision) const override;

    /// \return the solver options the Attributes set (fixedMicroBatches 0: M is searched)
    DssdaOptions GetOptions() const;

  private:
    uint32_t m_maxAlternations;        //!< DssdaOptions::maxAlternations
    uint32_t m_maxLabels;              //!< DssdaOptions::maxLabels
    double m_labelWorkBudget;          //!< DssdaOptions::labelWorkBudget
    uint32_t m_targetIterations;       //!< DssdaOptions::targetIterations
    uint32_t m_searchTargetIterations; //!< DssdaOptions::searchTargetIterations
    uint32_t m_finalTargetIterations;  //!< DssdaOptions::finalTargetIterations
    uint32_t m_muIterations;           //!< DssdaOptions::muIterations
    uint32_t m_localSearchMaxDevices;  //!< DssdaOptions::localSearchMaxDevices
    double m_screenMargin;             //!< DssdaOptions::screenMargin
    bool m_allowIdleDevices;           //!< DssdaOptions::allowIdleDevices
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_DSSDA_SCHEDULER_H */
