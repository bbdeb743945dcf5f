/* SPDX-License-Identifier: GPL-2.0-only */
#include "compute-energy-model.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/energy-source.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmComputeEnergyModel");

NS_OBJECT_ENSURE_REGISTERED(ComputeEnergyModel);

TypeId
ComputeEnergyModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ComputeEnergyModel")
            .SetParent<DeviceEnergyModel>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<ComputeEnergyModel>()
            .AddAttribute("BusyPowerW",
                          "Power drawn while at least one compute task runs (DeviceProfile "
                          "GetBusyPower), in W.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&ComputeEnergyModel::SetBusyPowerW,
                                             &ComputeEnergyModel::GetBusyPowerW),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("IdlePowerW",
                          "Power drawn while powered on and not computing (DeviceProfile "
                          "GetIdlePower), in W.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&ComputeEnergyModel::SetIdlePowerW,
                                             &ComputeEnergyModel::GetIdlePowerW),
                          MakeDoubleChecker<double>(0.0))
            .AddTraceSource("TotalEnergyConsumption",
                            "Compute energy consumed since the source was attached, in J, "
                            "updated at each state change.",
                            MakeTraceSourceAccessor(&ComputeEnergyModel::m_totalEnergyConsumption),
                            "ns3::TracedValueCallback::Double")
            .AddTraceSource("EnergyDepleted",
                            "The energy source reported depletion (the node's battery is empty)",
                            MakeTraceSourceAccessor(&ComputeEnergyModel::m_depletedTrace),
                            "ns3::TracedValueCallback::Void");
    return tid;
}

ComputeEnergyModel::ComputeEnergyModel()
    : m_busyPowerW(0.0),
      m_idlePowerW(0.0),
      m_state(IDLE),
      m_running(0),
      m_lastUpdateTime(Simulator::Now()),
      m_depleted(false),
      m_totalEnergyConsumption(0.0)
{
    NS_LOG_FUNCTION(this);
}

ComputeEnergyModel::~ComputeEnergyModel()
{
    NS_LOG_FUNCTION(this);
}

void
ComputeEnergyModel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    // Freeze the count at this instant; the source may already be gone, so do not notify it.
    if (m_source)
    {
        const Time duration = Simulator::Now() - m_lastUpdateTime;
        if (duration.IsStrictlyPositive())
        {
            (m_state == BUSY ? m_busyTime : m_idleTime) += duration;
            m_totalEnergyConsumption += GetStatePower() * duration.GetSeconds();
            m_lastUpdateTime = Simulator::Now();
        }
    }
    m_source = nullptr;
    m_node = nullptr;
    DeviceEnergyModel::DoDispose();
}

std::string
ComputeEnergyModel::CheckPower(const std::string& name, double watts)
{
    if (!std::isfinite(watts) || watts < 0.0)
    {
        std::ostringstream os;
        os << name << "=" << watts << " W is invalid: must be finite and non-negative";
        return os.str();
    }
    return "";
}

void
ComputeEnergyModel::SetBusyPowerW(double watts)
{
    NS_LOG_FUNCTION(this << watts);
    const std::string problem = CheckPower("BusyPowerW", watts);
    NS_ABORT_MSG_IF(!problem.empty(), "ComputeEnergyModel: " << problem);
    if (m_source)
    {
        UpdateEnergy();
    }
    m_busyPowerW = watts;
}

double
ComputeEnergyModel::GetBusyPowerW() const
{
    return m_busyPowerW;
}

void
ComputeEnergyModel::SetIdlePowerW(double watts)
{
    NS_LOG_FUNCTION(this << watts);
    const std::string problem = CheckPower("IdlePowerW", watts);
    NS_ABORT_MSG_IF(!problem.empty(), "ComputeEnergyModel: " << problem);
    if (m_source)
    {
        UpdateEnergy();
    }
    m_idlePowerW = watts;
}

double
ComputeEnergyModel::GetIdlePowerW() const
{
    return m_idlePowerW;
}

void
ComputeEnergyModel::SetNode(Ptr<Node> node)
{
    m_node = node;
}

Ptr<Node>
ComputeEnergyModel::GetNode() const
{
    return m_node;
}

void
ComputeEnergyModel::SetEnergySource(Ptr<EnergySource> source)
{
    NS_LOG_FUNCTION(this << source);
    NS_ABORT_MSG_IF(!source, "ComputeEnergyModel::SetEnergySource: source is null");
    m_source = source;
    // Energy is counted from the moment the model is attached.
    m_lastUpdateTime = Simulator::Now();
}

Ptr<EnergySource>
ComputeEnergyModel::GetEnergySource() const
{
    return m_source;
}

double
ComputeEnergyModel::GetStatePower() const
{
    return m_state == BUSY ? m_busyPowerW : m_idlePowerW;
}

double
ComputeEnergyModel::GetTotalEnergyConsumption() const
{
    if (!m_source)
    {
        return m_totalEnergyConsumption;
    }
    const Time duration = Simulator::Now() - m_lastUpdateTime;
    return m_totalEnergyConsumption + GetStatePower() * duration.GetSeconds();
}

void
ComputeEnergyModel::UpdateEnergy()
{
    const Time duration = Simulator::Now() - m_lastUpdateTime;
    NS_ABORT_MSG_IF(duration.IsStrictlyNegative(),
                    "ComputeEnergyModel: time went backwards (" << duration << ")");
    (m_state == BUSY ? m_busyTime : m_idleTime) += duration;
    m_totalEnergyConsumption += GetStatePower() * duration.GetSeconds();
    m_lastUpdateTime = Simulator::Now();
    // The source integrates every model's current up to now, with the current of the old state.
    m_source->UpdateEnergySource();
}

void
ComputeEnergyModel::ChangeState(int newState)
{
    NS_LOG_FUNCTION(this << newState);
    NS_ABORT_MSG_IF(newState != IDLE && newState != BUSY,
                    "ComputeEnergyModel::ChangeState: state=" << newState
                                                              << " is invalid; allowed: 0 (IDLE), "
                                                                 "1 (BUSY)");
    NS_ABORT_MSG_IF(!m_source,
                    "ComputeEnergyModel::ChangeState: no energy source; call SetEnergySource "
                    "first");
    UpdateEnergy();
    m_state = static_cast<ComputeState>(newState);
}

ComputeEnergyModel::ComputeState
ComputeEnergyModel::GetState() const
{
    return m_state;
}

void
ComputeEnergyModel::ComputeStarted()
{
    NS_LOG_FUNCTION(this << m_running);
    ++m_running;
    if (m_running == 1)
    {
        ChangeState(BUSY);
    }
}

void
ComputeEnergyModel::ComputeFinished()
{
    NS_LOG_FUNCTION(this << m_running);
    NS_ABORT_MSG_IF(m_running == 0,
                    "ComputeEnergyModel::ComputeFinished: no compute task is running (a finish "
                    "without a matching ComputeStarted)");
    --m_running;
    if (m_running == 0)
    {
        ChangeState(IDLE);
    }
}

uint32_t
ComputeEnergyModel::GetRunningTasks() const
{
    return m_running;
}

Time
ComputeEnergyModel::GetBusyTime() const
{
    if (m_source && m_state == BUSY)
    {
        return m_busyTime + (Simulator::Now() - m_lastUpdateTime);
    }
    return m_busyTime;
}

Time
ComputeEnergyModel::GetIdleTime() const
{
    if (m_source && m_state == IDLE)
    {
        return m_idleTime + (Simulator::Now() - m_lastUpdateTime);
    }
    return m_idleTime;
}

bool
ComputeEnergyModel::IsDepleted() const
{
    return m_depleted;
}

void
ComputeEnergyModel::HandleEnergyDepletion()
{
    NS_LOG_FUNCTION(this);
    NS_LOG_WARN("ComputeEnergyModel: energy source depleted at "
                << Simulator::Now().As(Time::S) << "; compute energy still counted");
    m_depleted = true;
    m_depletedTrace();
}

void
ComputeEnergyModel::HandleEnergyRecharged()
{
    NS_LOG_FUNCTION(this);
    m_depleted = false;
}

void
ComputeEnergyModel::HandleEnergyChanged()
{
    NS_LOG_FUNCTION(this);
}

double
ComputeEnergyModel::DoGetCurrentA() const
{
    if (!m_source)
    {
        return 0.0;
    }
    const double voltage = m_source->GetSupplyVoltage();
    return voltage > 0.0 ? GetStatePower() / voltage : 0.0;
}

} // namespace edgellm
} // namespace ns3
