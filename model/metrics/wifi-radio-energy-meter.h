/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_WIFI_RADIO_ENERGY_METER_H
#define EDGE_LLM_WIFI_RADIO_ENERGY_METER_H

#include "ns3/device-energy-model.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/wifi-phy-listener.h"
#include "ns3/wifi-phy-state.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-tx-current-model.h"

#include <memory>

namespace ns3
{

class WifiRadioEnergyModel;

namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Meters a Wi-Fi radio's energy per PHY state as ns-3's WifiRadioEnergyModel does (the
 * same currents, the same state machine as its PHY listener: TX, CCA busy and switching last
 * their announced duration, then IDLE; RX until its end; the source updated before every
 * change), without the event that model keeps for the time its source would run out.
 *
 * Why not WifiRadioEnergyModel itself: on every state change, and on every change of its
 * source's energy, it cancels and reschedules an event at the time its energy source would
 * run out, and ns-3's scheduler keeps a cancelled event until its time comes. With a source
 * that does not run out during the run, every state change leaves one event in the queue for
 * good: a packet-level CollaPipe round of 8 devices grew by gigabytes. This meter's only events
 * are the switches back to IDLE, at most the length of a PPDU ahead.
 *
 * The currents come from a WifiRadioEnergyModel (its attributes: Config::SetDefault and
 * EdgeLlmEnergyHelper::SetRadioAttribute set them), its TxCurrentModel included. The meter
 * does not switch the radio off when its source is depleted (battery depletion is the
 * dynamics issue's).
 */
class WifiRadioEnergyMeter : public DeviceEnergyModel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    WifiRadioEnergyMeter();
    ~WifiRadioEnergyMeter() override;

    /**
     * \brief Take the currents (and the transmit current model) of ns-3's model.
     * \param model a WifiRadioEnergyModel, not installed anywhere
     */
    void SetCurrentsFrom(Ptr<const WifiRadioEnergyModel> model);

    /**
     * \brief Listen to a PHY from now on (once).
     * \param phy the radio's PHY
     */
    void Attach(Ptr<WifiPhy> phy);

    /** \return the state the radio is in now */
    WifiPhyState GetState() const;

    // DeviceEnergyModel
    void SetEnergySource(Ptr<EnergySource> source) override;
    double GetTotalEnergyConsumption() const override;
    void ChangeState(int newState) override;
    void HandleEnergyDepletion() override;
    void HandleEnergyRecharged() override;
    void HandleEnergyChanged() override;

  private:
    /// Forwards the PHY's notifications to the meter.
    class Listener : public WifiPhyListener
    {
      public:
        /** \param meter the meter to notify */
        explicit Listener(WifiRadioEnergyMeter* meter);
        void NotifyRxStart(Time duration) override;
        void NotifyRxEndOk() override;
        void NotifyRxEndError() override;
        void NotifyTxStart(Time duration, double txPowerDbm) override;
        void NotifyCcaBusyStart(Time duration,
                                WifiChannelListType channelType,
                                const std::vector<Time>& per20MhzDurations) override;
        void NotifySwitchingStart(Time duration) override;
        void NotifySleep() override;
        void NotifyOff() override;
        void NotifyWakeup() override;
        void NotifyOn() override;

      private:
        WifiRadioEnergyMeter* m_meter; //!< the meter
    };

    void DoDispose() override;
    double DoGetCurrentA() const override;

    /**
     * \brief Enter a state from now on: charge the time in the previous one (and let the
     * source see it), then switch.
     * \param state the new state
     * \param duration how long it lasts before IDLE (TX, CCA busy, switching); negative: until
     * the next notification
     */
    void Enter(WifiPhyState state, Time duration);
    /// Charge the time since the last charge at the current state's current.
    void Charge();
    /// Stop listening to the PHY.
    void Detach();
    /** \param state a state \return its current (A) */
    double GetStateA(WifiPhyState state) const;

    Ptr<EnergySource> m_source;        //!< the node's source (updated before every change)
    double m_voltage{3.0};             //!< the source's supply voltage (V), read when it is set
    double m_idleA{0};                 //!< IDLE current
    double m_ccaBusyA{0};              //!< CCA_BUSY current
    double m_txA{0};                   //!< TX current at the current transmission's power
    double m_txDefaultA{0};            //!< TxCurrentA (no transmit current model)
    double m_rxA{0};                   //!< RX current
    double m_switchingA{0};            //!< SWITCHING current
    double m_sleepA{0};                //!< SLEEP current
    Ptr<WifiTxCurrentModel> m_txModel; //!< transmit current per power, when set
    WifiPhyState m_state{WifiPhyState::IDLE}; //!< the state since m_since
    Time m_since;                             //!< last charge
    EventId m_toIdle;                         //!< a timed state's end
    double m_joules{0};                       //!< energy charged so far
    Ptr<WifiPhy> m_phy;                       //!< the PHY listened to
    std::unique_ptr<Listener> m_listener;     //!< registered with m_phy
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_WIFI_RADIO_ENERGY_METER_H */
