/* SPDX-License-Identifier: GPL-2.0-only */
#include "radio-state-currents.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/pointer.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ns3
{
namespace edgellm
{

RadioStateCurrents
RadioStateCurrents::FromWifiDefaults()
{
    auto initial = [](const std::string& type, const std::string& name) {
        TypeId::AttributeInformation info;
        NS_ABORT_MSG_IF(!TypeId::LookupByName(type).LookupAttributeByName(name, &info),
                        "no attribute " << type << "::" << name);
        return info.initialValue;
    };
    auto number = [&initial](const std::string& type, const std::string& name) {
        return DynamicCast<const DoubleValue>(initial(type, name))->Get();
    };
    RadioStateCurrents c;
    c.volts = number("ns3::BasicEnergySource", "BasicEnergySupplyVoltageV");
    c.txA = number("ns3::WifiRadioEnergyModel", "TxCurrentA");
    c.rxA = number("ns3::WifiRadioEnergyModel", "RxCurrentA");
    c.idleA = number("ns3::WifiRadioEnergyModel", "IdleCurrentA");
    c.txModel =
        DynamicCast<const PointerValue>(initial("ns3::WifiRadioEnergyModel", "TxCurrentModel"))
            ->Get<WifiTxCurrentModel>();
    return c;
}

double
RadioStateCurrents::GetTxCurrentA(double txPowerW) const
{
    return txModel ? txModel->CalcTxCurrent(10 * std::log10(txPowerW * 1000)) : txA;
}

double
RadioStateCurrents::GetJoules(double transmitSeconds,
                              double busySeconds,
                              double onSeconds,
                              double txPowerW) const
{
    const double transmit = std::min(transmitSeconds, onSeconds);
    const double receive =
        std::min(std::max(busySeconds - transmitSeconds, 0.0), onSeconds - transmit);
    return volts * (GetTxCurrentA(txPowerW) * transmit + rxA * receive +
                    idleA * (onSeconds - transmit - receive));
}

} // namespace edgellm
} // namespace ns3
