/* SPDX-License-Identifier: GPL-2.0-only */
#include "device-profile.h"

#include "ns3/log.h"

#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmDeviceProfile");

namespace
{

/// Radio powers outside this range (0.1 uW .. 1 kW) are typing mistakes, not edge radios.
constexpr double MIN_TX_POWER_DBM = -40.0;
/// Upper end of the accepted transmit power range, see MIN_TX_POWER_DBM.
constexpr double MAX_TX_POWER_DBM = 60.0;

std::size_t
Index(DataType dtype)
{
    return static_cast<std::size_t>(dtype);
}

std::string
Str(double value)
{
    std::ostringstream oss;
    oss << value;
    return oss.str();
}

} // namespace

DeviceProfile::DeviceProfile()
    : m_peakFlops{0.0, 0.0, 0.0},
      m_efficiency(0.0),
      m_attentionEfficiency(0.0),
      m_attentionEfficiencySet(false),
      m_memoryEfficiency(1.0),
      m_kernelOverhead(0.0),
      m_computeMemoryOverlap(true),
      m_autogradOverhead(0.0),
      m_runtimeReserveBytes(0),
      m_memoryBytes(0),
      m_memoryBandwidth(0.0),
      m_busyPower(0.0),
      m_idlePower(0.0),
      m_maxTxPowerDbm(0.0)
{
}

void
DeviceProfile::SetName(const std::string& name)
{
    m_name = name;
}

std::string
DeviceProfile::GetName() const
{
    return m_name;
}

void
DeviceProfile::SetDescription(const std::string& description)
{
    m_description = description;
}

std::string
DeviceProfile::GetDescription() const
{
    return m_description;
}

void
DeviceProfile::SetPeakFlops(DataType dtype, double flopsPerSecond)
{
    m_peakFlops.at(Index(dtype)) = flopsPerSecond;
}

double
DeviceProfile::GetPeakFlops(DataType dtype) const
{
    return m_peakFlops.at(Index(dtype));
}

void
DeviceProfile::SetEfficiency(double efficiency)
{
    m_efficiency = efficiency;
}

double
DeviceProfile::GetEfficiency() const
{
    return m_efficiency;
}

double
DeviceProfile::GetAchievedFlops(DataType dtype) const
{
    return GetPeakFlops(dtype) * m_efficiency;
}

void
DeviceProfile::SetMemoryBytes(uint64_t bytes)
{
    m_memoryBytes = bytes;
}

uint64_t
DeviceProfile::GetMemoryBytes() const
{
    return m_memoryBytes;
}

void
DeviceProfile::SetMemoryBandwidth(double bytesPerSecond)
{
    m_memoryBandwidth = bytesPerSecond;
}

double
DeviceProfile::GetMemoryBandwidth() const
{
    return m_memoryBandwidth;
}

void
DeviceProfile::SetBusyPower(double watts)
{
    m_busyPower = watts;
}

double
DeviceProfile::GetBusyPower() const
{
    return m_busyPower;
}

void
DeviceProfile::SetIdlePower(double watts)
{
    m_idlePower = watts;
}

double
DeviceProfile::GetIdlePower() const
{
    return m_idlePower;
}

void
DeviceProfile::SetMaxTxPowerDbm(double dbm)
{
    m_maxTxPowerDbm = dbm;
}

double
DeviceProfile::GetMaxTxPowerDbm() const
{
    return m_maxTxPowerDbm;
}

void
DeviceProfile::SetStorage(uint64_t bytes, double readBytesPerSecond, double writeBytesPerSecond)
{
    m_storageBytes = bytes;
    m_storageReadRate = readBytesPerSecond;
    m_storageWriteRate = writeBytesPerSecond;
}

bool
DeviceProfile::HasStorage() const
{
    return m_storageBytes > 0 && m_storageReadRate > 0 && m_storageWriteRate > 0;
}

uint64_t
DeviceProfile::GetStorageBytes() const
{
    return m_storageBytes;
}

double
DeviceProfile::GetStorageReadRate() const
{
    return m_storageReadRate;
}

double
DeviceProfile::GetStorageWriteRate() const
{
    return m_storageWriteRate;
}

void
DeviceProfile::SetNotes(const std::string& notes)
{
    m_notes = notes;
}

std::string
DeviceProfile::GetNotes() const
{
    return m_notes;
}

void
DeviceProfile::SetSource(const std::string& field, const std::string& source)
{
    m_sources[field] = source;
}

std::string
DeviceProfile::GetSource(const std::string& field) const
{
    auto it = m_sources.find(field);
    return it == m_sources.end() ? std::string() : it->second;
}

const std::map<std::string, std::string>&
DeviceProfile::GetSources() const
{
    return m_sources;
}

std::string
DeviceProfile::Validate() const
{
    if (m_name.empty())
    {
        return "device '': name is empty: must be a non-empty identifier of lower-case letters, "
               "digits and '-'";
    }
    const std::string prefix = "device '" + m_name + "': ";
    for (char c : m_name)
    {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok)
        {
            return prefix + "name='" + m_name +
                   "' is invalid: only lower-case letters, digits and '-' are allowed";
        }
    }
    for (DataType dtype : {DataType::FP32, DataType::FP16, DataType::BF16})
    {
        double peak = GetPeakFlops(dtype);
        // !(x > 0) also catches NaN.
        if (!(peak > 0.0) || !std::isfinite(peak))
        {
            return prefix + "peakFlops[" + DataTypeToString(dtype) + "]=" + Str(peak) +
                   " is invalid: must be a positive finite FLOP/s (give the emulated rate, "
                   "usually the fp32 rate, where the hardware has no native support)";
        }
    }
    if (!(m_efficiency > 0.0) || m_efficiency > 1.0)
    {
        return prefix + "efficiency=" + Str(m_efficiency) + " is invalid: must be in (0, 1]";
    }
    if (m_attentionEfficiencySet && (!(m_attentionEfficiency > 0.0) || m_attentionEfficiency > 1.0))
    {
        return prefix + "attentionEfficiency=" + Str(m_attentionEfficiency) +
               " is invalid: must be in (0, 1]";
    }
    if (!(m_memoryEfficiency > 0.0) || m_memoryEfficiency > 1.0)
    {
        return prefix + "memoryEfficiency=" + Str(m_memoryEfficiency) +
               " is invalid: must be in (0, 1]";
    }
    if (!(m_kernelOverhead >= 0.0) || !std::isfinite(m_kernelOverhead) || m_kernelOverhead > 1.0)
    {
        return prefix + "kernelOverhead=" + Str(m_kernelOverhead) +
               " s is invalid: must be in [0, 1] s";
    }
    if (!(m_autogradOverhead >= 0.0) || !std::isfinite(m_autogradOverhead) ||
        m_autogradOverhead > 1.0)
    {
        return prefix + "autogradOverhead=" + Str(m_autogradOverhead) +
               " s is invalid: must be in [0, 1] s";
    }
    for (const auto& [field, ratio] :
         {std::make_pair("elementwise16BitTimeRatio", m_elementwise16BitTimeRatio),
          std::make_pair("normalization16BitTimeRatio", m_normalization16BitTimeRatio)})
    {
        if (!(ratio > 0.0) || !(ratio <= MAX_16BIT_TIME_RATIO))
        {
            return prefix + field + "=" + Str(ratio) + " is invalid: must be in (0, " +
                   Str(MAX_16BIT_TIME_RATIO) + "] (0.5: native 16-bit arithmetic)";
        }
    }
    for (const auto& [field, seconds] :
         {std::make_pair("matmul16BitOverhead", m_matmul16BitOverhead),
          std::make_pair("autograd16BitOverhead", m_autograd16BitOverhead)})
    {
        if (!(seconds >= 0.0) || !(seconds <= 1.0))
        {
            return prefix + field + "=" + Str(seconds) + " s is invalid: must be in [0, 1] s";
        }
    }
    if (m_memoryBytes == 0)
    {
        return prefix + "memoryBytes=0 is invalid: must be positive";
    }
    if (m_runtimeReserveBytes >= m_memoryBytes)
    {
        return prefix + "runtimeReserveBytes=" + std::to_string(m_runtimeReserveBytes) +
               " is invalid: must be less than memoryBytes=" + std::to_string(m_memoryBytes);
    }
    if (!(m_memoryBandwidth > 0.0) || !std::isfinite(m_memoryBandwidth))
    {
        return prefix + "memoryBandwidth=" + Str(m_memoryBandwidth) +
               " is invalid: must be a positive finite bytes/s";
    }
    if (!(m_idlePower >= 0.0) || !std::isfinite(m_idlePower))
    {
        return prefix + "idlePowerW=" + Str(m_idlePower) +
               " is invalid: must be a finite number >= 0";
    }
    if (!(m_busyPower > 0.0) || !std::isfinite(m_busyPower))
    {
        return prefix + "busyPowerW=" + Str(m_busyPower) + " is invalid: must be positive";
    }
    if (m_busyPower < m_idlePower)
    {
        return prefix + "busyPowerW=" + Str(m_busyPower) +
               " is invalid: must be >= idlePowerW=" + Str(m_idlePower);
    }
    if (!(m_maxTxPowerDbm >= MIN_TX_POWER_DBM && m_maxTxPowerDbm <= MAX_TX_POWER_DBM))
    {
        return prefix + "maxTxPowerDbm=" + Str(m_maxTxPowerDbm) + " is invalid: must be in [" +
               Str(MIN_TX_POWER_DBM) + ", " + Str(MAX_TX_POWER_DBM) + "] dBm";
    }
    return "";
}

void
DeviceProfile::SetAttentionEfficiency(double efficiency)
{
    m_attentionEfficiency = efficiency;
    m_attentionEfficiencySet = true;
}

double
DeviceProfile::GetAttentionEfficiency() const
{
    return m_attentionEfficiencySet ? m_attentionEfficiency : m_efficiency;
}

void
DeviceProfile::SetMemoryEfficiency(double efficiency)
{
    m_memoryEfficiency = efficiency;
}

double
DeviceProfile::GetMemoryEfficiency() const
{
    return m_memoryEfficiency;
}

void
DeviceProfile::SetKernelOverhead(double seconds)
{
    m_kernelOverhead = seconds;
}

double
DeviceProfile::GetKernelOverhead() const
{
    return m_kernelOverhead;
}

void
DeviceProfile::SetAutogradOverhead(double seconds)
{
    m_autogradOverhead = seconds;
}

double
DeviceProfile::GetAutogradOverhead() const
{
    return m_autogradOverhead;
}

void
DeviceProfile::SetComputeMemoryOverlap(bool overlap)
{
    m_computeMemoryOverlap = overlap;
}

bool
DeviceProfile::GetComputeMemoryOverlap() const
{
    return m_computeMemoryOverlap;
}

void
DeviceProfile::SetElementwise16BitTimeRatio(double ratio)
{
    m_elementwise16BitTimeRatio = ratio;
}

double
DeviceProfile::GetElementwise16BitTimeRatio() const
{
    return m_elementwise16BitTimeRatio;
}

void
DeviceProfile::SetNormalization16BitTimeRatio(double ratio)
{
    m_normalization16BitTimeRatio = ratio;
}

double
DeviceProfile::GetNormalization16BitTimeRatio() const
{
    return m_normalization16BitTimeRatio;
}

void
DeviceProfile::SetMatmul16BitOverhead(double seconds)
{
    m_matmul16BitOverhead = seconds;
}

double
DeviceProfile::GetMatmul16BitOverhead() const
{
    return m_matmul16BitOverhead;
}

void
DeviceProfile::SetAutograd16BitOverhead(double seconds)
{
    m_autograd16BitOverhead = seconds;
}

double
DeviceProfile::GetAutograd16BitOverhead() const
{
    return m_autograd16BitOverhead;
}

void
DeviceProfile::SetRuntimeReserveBytes(uint64_t bytes)
{
    m_runtimeReserveBytes = bytes;
}

uint64_t
DeviceProfile::GetRuntimeReserveBytes() const
{
    return m_runtimeReserveBytes;
}

uint64_t
DeviceProfile::GetAvailableMemoryBytes() const
{
    return m_memoryBytes > m_runtimeReserveBytes ? m_memoryBytes - m_runtimeReserveBytes : 0;
}

std::ostream&
operator<<(std::ostream& os, const DeviceProfile& device)
{
    os << device.GetName() << ": peak fp32=" << device.GetPeakFlops(DataType::FP32)
       << " fp16=" << device.GetPeakFlops(DataType::FP16)
       << " bf16=" << device.GetPeakFlops(DataType::BF16) << " FLOP/s, efficiency "
       << device.GetEfficiency() << ", memory " << device.GetMemoryBytes() << " B at "
       << device.GetMemoryBandwidth() << " B/s, power " << device.GetIdlePower() << ".."
       << device.GetBusyPower() << " W, tx " << device.GetMaxTxPowerDbm() << " dBm";
    return os;
}

} // namespace edgellm
} // namespace ns3
