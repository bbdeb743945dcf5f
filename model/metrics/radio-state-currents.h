/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_RADIO_STATE_CURRENTS_H
#define EDGE_LLM_RADIO_STATE_CURRENTS_H

#include "ns3/ptr.h"
#include "ns3/wifi-tx-current-model.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A radio's currents per state and its supply voltage, and the energy they give over a
 * stretch of time split into transmit, receive and idle: what ns-3's WifiRadioEnergyModel
 * meters at packet level (WifiRadioEnergyMeter), what the flow level charges
 * (RoundController) and what the schedulers predict (CollaPipeRoundModel).
 */
struct RadioStateCurrents
{
    double volts = 0; //!< supply voltage (V); 0: no per-state model
    double txA = 0;   //!< transmit current (A) when no transmit current model is set
    double rxA = 0;   //!< receive current (A)
    double idleA = 0; //!< idle-listening current (A)
    /// the transmit current per power (e.g. LinearWifiTxCurrentModel); null: txA at every power
    Ptr<const WifiTxCurrentModel> txModel;

    /**
     * \return the defaults of ns-3's WifiRadioEnergyModel (TxCurrentModel included) and
     * BasicEnergySource's voltage, as Config::SetDefault left them
     */
    static RadioStateCurrents FromWifiDefaults();

    /** \param txPowerW transmit power (W) \return the transmit current (A) at that power */
    double GetTxCurrentA(double txPowerW) const;

    /**
     * \brief Energy over onSeconds of radio time: transmit = min(transmitSeconds, onSeconds),
     * receive = min(max(busySeconds - transmitSeconds, 0), onSeconds - transmit), idle the rest.
     * \param transmitSeconds the radio's own transmit time
     * \param busySeconds the time frames are on its channel(s), its own included
     * \param onSeconds the radio time (the round, times the radios)
     * \param txPowerW the transmit power (sets the transmit current with a txModel)
     * \return joules
     */
    double GetJoules(double transmitSeconds,
                     double busySeconds,
                     double onSeconds,
                     double txPowerW) const;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_RADIO_STATE_CURRENTS_H */
