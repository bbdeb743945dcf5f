/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COMPUTE_ENERGY_MODEL_H
#define EDGE_LLM_COMPUTE_ENERGY_MODEL_H

#include "ns3/device-energy-model.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <cstdint>
#include <string>

namespace ns3
{

class EnergySource;

namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The energy a device's compute stream (CPU, GPU, NPU) draws, as an ns-3
 * DeviceEnergyModel beside ns-3's radio energy models on the same EnergySource.
 *
 * Two states: IDLE (the device is on and not computing, IdlePowerW) and BUSY (at least one
 * compute task runs, BusyPowerW). ComputeStarted() and ComputeFinished() count the running
 * tasks, so nested or overlapping tasks make one busy period: busy while the count is positive.
 *
 * Energy is integrated exactly at each state change: power of the old state times the time spent
 * in it, so energy = BusyPowerW * busy time + IdlePowerW * idle time since SetEnergySource. The
 * current it draws from the source is power / the source's supply voltage, so the source's
 * remaining energy drops by the same amount. GetTotalEnergyConsumption() adds the time since the
 * last change; the TotalEnergyConsumption trace is updated at each change.
 *
 * The powers come from a DeviceProfile (GetBusyPower, GetIdlePower); EdgeLlmEnergyHelper sets
 * them and connects the model to the node's EdgeLlmApplication.
 */
class ComputeEnergyModel : public DeviceEnergyModel
{
  public:
    /** The states of the compute stream (values passed to ChangeState). */
    enum ComputeState
    {
        IDLE = 0, //!< powered on, not computing
        BUSY = 1, //!< at least one compute task running
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    ComputeEnergyModel();
    ~ComputeEnergyModel() override;

    /**
     * \brief Check a power before it is set.
     * \param name the parameter name used in the message, e.g. "busyPower"
     * \param watts the power
     * \return "" when finite and non-negative, otherwise the problem, e.g.
     *         "busyPower=-1 W is invalid: must be finite and non-negative"
     */
    static std::string CheckPower(const std::string& name, double watts);

    /**
     * \param watts power while busy; NS_FATAL_ERROR with CheckPower's message when invalid.
     *        Energy up to now is integrated with the old power first.
     */
    void SetBusyPowerW(double watts);
    /** \return power while busy, in W */
    double GetBusyPowerW() const;
    /**
     * \param watts power while idle; NS_FATAL_ERROR with CheckPower's message when invalid.
     *        Energy up to now is integrated with the old power first.
     */
    void SetIdlePowerW(double watts);
    /** \return power while idle, in W */
    double GetIdlePowerW() const;

    /** \param node the node this model belongs to */
    void SetNode(Ptr<Node> node);
    /** \return the node this model belongs to */
    Ptr<Node> GetNode() const;

    /**
     * \brief Attach the source; energy is counted from now on.
     * \param source the energy source (not null)
     */
    void SetEnergySource(Ptr<EnergySource> source) override;
    /** \return the energy source, or null before SetEnergySource */
    Ptr<EnergySource> GetEnergySource() const;

    /** \return energy consumed since SetEnergySource, up to now, in J */
    double GetTotalEnergyConsumption() const override;

    /**
     * \brief Switch state now (integrates the energy of the old state first).
     * \param newState IDLE (0) or BUSY (1); NS_FATAL_ERROR otherwise
     */
    void ChangeState(int newState) override;

    /** \return the current state */
    ComputeState GetState() const;

    /** A compute task started: BUSY from now on (if not already). */
    void ComputeStarted();
    /**
     * \brief A compute task finished: IDLE from now on when no other task runs.
     * NS_FATAL_ERROR when no task is running (a finish without a start).
     */
    void ComputeFinished();
    /** \return how many compute tasks are running now */
    uint32_t GetRunningTasks() const;

    /** \return total time spent BUSY since SetEnergySource, up to now */
    Time GetBusyTime() const;
    /** \return total time spent IDLE since SetEnergySource, up to now */
    Time GetIdleTime() const;

    /** \return true once the source reported depletion (and not recharged since) */
    bool IsDepleted() const;

    /**
     * The source is depleted: logged and traced (EnergyDepleted; a FaultInjector then stops the
     * node). Without a listener compute goes on (its energy is still counted).
     */
    void HandleEnergyDepletion() override;
    /** The source is recharged. */
    void HandleEnergyRecharged() override;
    /** The source's energy changed: nothing to do. */
    void HandleEnergyChanged() override;

  protected:
    void DoDispose() override;

  private:
    /** \return the current drawn now: power of the state / supply voltage (0 without source) */
    double DoGetCurrentA() const override;

    /** \return the power of the current state, in W */
    double GetStatePower() const;

    /** Add the energy of the current state since the last update, and notify the source. */
    void UpdateEnergy();

    double m_busyPowerW;                          //!< W while busy
    double m_idlePowerW;                          //!< W while idle
    ComputeState m_state;                         //!< current state
    uint32_t m_running;                           //!< compute tasks running
    Time m_lastUpdateTime;                        //!< time of the last integration
    Time m_busyTime;                              //!< busy time up to m_lastUpdateTime
    Time m_idleTime;                              //!< idle time up to m_lastUpdateTime
    bool m_depleted;                              //!< source depleted
    Ptr<EnergySource> m_source;                   //!< energy source
    Ptr<Node> m_node;                             //!< node
    TracedValue<double> m_totalEnergyConsumption; //!< J, up to m_lastUpdateTime
    TracedCallback<> m_depletedTrace;             //!< EnergyDepleted
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COMPUTE_ENERGY_MODEL_H */
