/* SPDX-License-Identifier: GPL-2.0-only */
#include "wifi-radio-energy-meter.h"

#include "ns3/abort.h"
#include "ns3/energy-source.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-radio-energy-model.h"

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmWifiRadioEnergyMeter");
NS_OBJECT_ENSURE_REGISTERED(WifiRadioEnergyMeter);

TypeId
WifiRadioEnergyMeter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::edgellm::WifiRadioEnergyMeter")
                            .SetParent<DeviceEnergyModel>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<WifiRadioEnergyMeter>();
    return tid;
}

WifiRadioEnergyMeter::WifiRadioEnergyMeter()
    : m_listener(std::make_unique<Listener>(this))
{
    // ns-3's model's defaults until SetCurrentsFrom
    SetCurrentsFrom(CreateObject<WifiRadioEnergyModel>());
}

WifiRadioEnergyMeter::~WifiRadioEnergyMeter()
{
    Detach();
}

void
WifiRadioEnergyMeter::Detach()
{
    // a PHY disposed first (Simulator::Destroy disposes nodes in turn) has no state helper left
    // and no listeners to tell
    if (m_phy && m_phy->GetState())
    {
        m_phy->UnregisterListener(m_listener.get());
    }
    m_phy = nullptr;
}

void
WifiRadioEnergyMeter::DoDispose()
{
    m_toIdle.Cancel();
    m_source = nullptr;
    Detach();
    DeviceEnergyModel::DoDispose();
}

void
WifiRadioEnergyMeter::SetCurrentsFrom(Ptr<const WifiRadioEnergyModel> model)
{
    NS_ABORT_MSG_IF(!model, "WifiRadioEnergyMeter::SetCurrentsFrom: model is null");
    m_idleA = model->GetIdleCurrentA();
    m_ccaBusyA = model->GetCcaBusyCurrentA();
    m_txDefaultA = model->GetTxCurrentA();
    m_txA = m_txDefaultA;
    m_rxA = model->GetRxCurrentA();
    m_switchingA = model->GetSwitchingCurrentA();
    m_sleepA = model->GetSleepCurrentA();
    PointerValue txModel;
    model->GetAttribute("TxCurrentModel", txModel);
    m_txModel = txModel.Get<WifiTxCurrentModel>();
}

void
WifiRadioEnergyMeter::Attach(Ptr<WifiPhy> phy)
{
    NS_ABORT_MSG_IF(!phy, "WifiRadioEnergyMeter::Attach: phy is null");
    NS_ABORT_MSG_IF(m_phy, "WifiRadioEnergyMeter::Attach: already listening to a PHY");
    m_phy = phy;
    m_since = Simulator::Now();
    phy->RegisterListener(m_listener.get());
}

WifiPhyState
WifiRadioEnergyMeter::GetState() const
{
    return m_state;
}

void
WifiRadioEnergyMeter::SetEnergySource(Ptr<EnergySource> source)
{
    NS_ABORT_MSG_IF(!source, "WifiRadioEnergyMeter::SetEnergySource: source is null");
    m_source = source;
    m_voltage = source->GetSupplyVoltage();
}

double
WifiRadioEnergyMeter::GetStateA(WifiPhyState state) const
{
    switch (state)
    {
    case WifiPhyState::IDLE:
        return m_idleA;
    case WifiPhyState::CCA_BUSY:
        return m_ccaBusyA;
    case WifiPhyState::TX:
        return m_txA;
    case WifiPhyState::RX:
        return m_rxA;
    case WifiPhyState::SWITCHING:
        return m_switchingA;
    case WifiPhyState::SLEEP:
        return m_sleepA;
    case WifiPhyState::OFF:
        return 0.0;
    }
    NS_FATAL_ERROR("WifiRadioEnergyMeter: unknown state " << static_cast<int>(state));
}

void
WifiRadioEnergyMeter::Charge()
{
    const Time now = Simulator::Now();
    m_joules += GetStateA(m_state) * (now - m_since).GetSeconds() * m_voltage;
    m_since = now;
    if (m_source)
    {
        // the source drains at the current state's current up to now (it asks DoGetCurrentA)
        m_source->UpdateEnergySource();
    }
}

void
WifiRadioEnergyMeter::Enter(WifiPhyState state, Time duration)
{
    Charge();
    m_state = state;
    m_toIdle.Cancel();
    if (!duration.IsNegative())
    {
        // as ns-3's listener: the timed state turns IDLE when it ends, unless a notification
        // comes first (the cancelled event is at most a PPDU ahead)
        m_toIdle = Simulator::Schedule(duration,
                                       &WifiRadioEnergyMeter::Enter,
                                       this,
                                       WifiPhyState::IDLE,
                                       Time(-1));
    }
}

double
WifiRadioEnergyMeter::GetTotalEnergyConsumption() const
{
    return m_joules + GetStateA(m_state) * (Simulator::Now() - m_since).GetSeconds() * m_voltage;
}

void
WifiRadioEnergyMeter::ChangeState(int newState)
{
    Enter(static_cast<WifiPhyState>(newState), Time(-1));
}

void
WifiRadioEnergyMeter::HandleEnergyDepletion()
{
    NS_LOG_FUNCTION(this);
}

void
WifiRadioEnergyMeter::HandleEnergyRecharged()
{
    NS_LOG_FUNCTION(this);
}

void
WifiRadioEnergyMeter::HandleEnergyChanged()
{
    NS_LOG_FUNCTION(this);
}

double
WifiRadioEnergyMeter::DoGetCurrentA() const
{
    return GetStateA(m_state);
}

WifiRadioEnergyMeter::Listener::Listener(WifiRadioEnergyMeter* meter)
    : m_meter(meter)
{
}

void
WifiRadioEnergyMeter::Listener::NotifyRxStart(Time duration)
{
    // RX lasts until its end is notified (ns-3's listener cancels its switch to IDLE)
    m_meter->Enter(WifiPhyState::RX, Time(-1));
}

void
WifiRadioEnergyMeter::Listener::NotifyRxEndOk()
{
    m_meter->Enter(WifiPhyState::IDLE, Time(-1));
}

void
WifiRadioEnergyMeter::Listener::NotifyRxEndError()
{
    m_meter->Enter(WifiPhyState::IDLE, Time(-1));
}

void
WifiRadioEnergyMeter::Listener::NotifyTxStart(Time duration, double txPowerDbm)
{
    m_meter->Charge(); // the time before at the previous transmission's current
    m_meter->m_txA =
        m_meter->m_txModel ? m_meter->m_txModel->CalcTxCurrent(txPowerDbm) : m_meter->m_txDefaultA;
    m_meter->Enter(WifiPhyState::TX, duration);
}

void
WifiRadioEnergyMeter::Listener::NotifyCcaBusyStart(Time duration,
                                                   WifiChannelListType /* channelType */,
                                                   const std::vector<Time>& /* per20MhzDurations */)
{
    m_meter->Enter(WifiPhyState::CCA_BUSY, duration);
}

void
WifiRadioEnergyMeter::Listener::NotifySwitchingStart(Time duration)
{
    m_meter->Enter(WifiPhyState::SWITCHING, duration);
}

void
WifiRadioEnergyMeter::Listener::NotifySleep()
{
    m_meter->Enter(WifiPhyState::SLEEP, Time(-1));
}

void
WifiRadioEnergyMeter::Listener::NotifyOff()
{
    m_meter->Enter(WifiPhyState::OFF, Time(-1));
}

void
WifiRadioEnergyMeter::Listener::NotifyWakeup()
{
    m_meter->Enter(WifiPhyState::IDLE, Time(-1));
}

void
WifiRadioEnergyMeter::Listener::NotifyOn()
{
    m_meter->Enter(WifiPhyState::IDLE, Time(-1));
}

} // namespace edgellm
} // namespace ns3
