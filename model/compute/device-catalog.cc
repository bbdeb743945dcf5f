/* SPDX-License-Identifier: GPL-2.0-only */
#include "device-catalog.h"

#include "ns3/edge-llm-paths.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <array>
#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmDeviceCatalog");

namespace
{

using nlohmann::json;

/// Bytes in one GiB: memory_gib is binary, as devices report their memory.
constexpr double BYTES_PER_GIB = 1073741824.0;
/// memory_gib above this (64 TiB) is a typing mistake for any single device.
constexpr double MAX_MEMORY_GIB = 65536.0;
/// kernel_overhead_us above this (1 s) is a typing mistake.
constexpr double MAX_KERNEL_OVERHEAD_US = 1e6;
/// peak_tflops above this (100 PFLOP/s, 50 times the largest accelerator's sparse fp16 rate)
/// is a typing mistake for any single device.
constexpr double MAX_PEAK_TFLOPS = 1e5;
/// memory_bandwidth_gb_per_s above this (100 TB/s, 30 times HBM3's) is a typing mistake.
constexpr double MAX_BANDWIDTH_GB_PER_S = 1e5;
/// busy_power_w and idle_power_w above this (100 kW, a rack) are a typing mistake for a device.
constexpr double MAX_POWER_W = 1e5;
/// FLOP/s in one TFLOP/s.
constexpr double FLOPS_PER_TFLOPS = 1e12;
/// Bytes/s in one GB/s (decimal, as vendors quote bandwidth).
constexpr double BYTES_PER_S_PER_GB_PER_S = 1e9;

/// The figures every device must give, each with its source.
const std::vector<std::string> SOURCED_FIELDS = {"peak_tflops",
                                                 "efficiency",
                                                 "attention_efficiency",
                                                 "memory_efficiency",
                                                 "kernel_overhead_us",
                                                 "autograd_overhead_us",
                                                 "overlap_compute_and_memory",
                                                 "runtime_reserve_gib",
                                                 "memory_gib",
                                                 "memory_bandwidth_gb_per_s",
                                                 "busy_power_w",
                                                 "idle_power_w",
                                                 "max_tx_power_dbm"};

/// Every field a device object may have.
const std::vector<std::string> DEVICE_FIELDS = {"name",
                                                "description",
                                                "notes",
                                                "peak_tflops",
                                                "efficiency",
                                                "attention_efficiency",
                                                "memory_efficiency",
                                                "kernel_overhead_us",
                                                "autograd_overhead_us",
                                                "overlap_compute_and_memory",
                                                "elementwise_16bit_time_ratio",
                                                "normalization_16bit_time_ratio",
                                                "matmul_16bit_overhead_us",
                                                "autograd_16bit_overhead_us",
                                                "runtime_reserve_gib",
                                                "memory_gib",
                                                "memory_bandwidth_gb_per_s",
                                                "busy_power_w",
                                                "idle_power_w",
                                                "max_tx_power_dbm",
                                                "storage_gb",
                                                "storage_read_mb_per_s",
                                                "storage_write_mb_per_s",
                                                "sources"};

/// The storage figures: optional, but all three or none, each with its source.
const std::vector<std::string> STORAGE_FIELDS = {"storage_gb",
                                                 "storage_read_mb_per_s",
                                                 "storage_write_mb_per_s"};
/// storage_gb above this (1 PB) is a typing mistake for one device.
constexpr double MAX_STORAGE_GB = 1e6;
/// storage rates above this (100 GB/s) are a typing mistake for one device.
constexpr double MAX_STORAGE_MB_PER_S = 1e5;

/// The keys of "peak_tflops", in DataType order.
const std::vector<std::string> DTYPE_FIELDS = {"fp32", "fp16", "bf16"};

/// The keys an object at the top level may have.
const std::vector<std::string> TOP_LEVEL_FIELDS = {"description", "devices"};

std::string
Join(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items)
    {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

bool
IsIn(const std::string& item, const std::vector<std::string>& items)
{
    for (const auto& candidate : items)
    {
        if (candidate == item)
        {
            return true;
        }
    }
    return false;
}

/**
 * The first key of \p object not in \p allowed, as a message, or "".
 * nlohmann's object keeps keys sorted, so the key reported is deterministic.
 */
std::string
CheckKnownFields(const json& object,
                 const std::vector<std::string>& allowed,
                 const std::string& prefix,
                 const std::string& path)
{
    for (auto it = object.begin(); it != object.end(); ++it)
    {
        if (!IsIn(it.key(), allowed))
        {
            return prefix + "unknown field '" + path + it.key() + "'; allowed: " + Join(allowed);
        }
    }
    return "";
}

/** Read a required number; the message names the field as written in the file. */
std::string
ReadNumber(const json& object,
           const std::string& key,
           const std::string& prefix,
           const std::string& path,
           double& out)
{
    auto it = object.find(key);
    if (it == object.end())
    {
        return prefix + "missing field '" + path + key + "'";
    }
    if (!it->is_number())
    {
        return prefix + "field '" + path + key + "' must be a number, got " + it->type_name() +
               " " + it->dump();
    }
    out = it->get<double>();
    return "";
}

/** Read a required true/false; the message names the field as written in the file. */
std::string
ReadBool(const json& object, const std::string& key, const std::string& prefix, bool& out)
{
    auto it = object.find(key);
    if (it == object.end())
    {
        return prefix + "missing field '" + key + "'";
    }
    if (!it->is_boolean())
    {
        return prefix + "field '" + key + "' must be true or false, got " + it->type_name() + " " +
               it->dump();
    }
    out = it->get<bool>();
    return "";
}

/** Read a string field; \p required says whether its absence is a problem. */
std::string
ReadString(const json& object,
           const std::string& key,
           const std::string& prefix,
           const std::string& path,
           bool required,
           std::string& out)
{
    auto it = object.find(key);
    if (it == object.end())
    {
        return required ? prefix + "missing field '" + path + key + "'" : "";
    }
    if (!it->is_string())
    {
        return prefix + "field '" + path + key + "' must be a string, got " + it->type_name() +
               " " + it->dump();
    }
    out = it->get<std::string>();
    return "";
}

/** Read a required object field. */
std::string
ReadObject(const json& object, const std::string& key, const std::string& prefix, const json*& out)
{
    auto it = object.find(key);
    if (it == object.end())
    {
        return prefix + "missing field '" + key + "'";
    }
    if (!it->is_object())
    {
        return prefix + "field '" + key + "' must be an object, got " + it->type_name() + " " +
               it->dump();
    }
    out = &(*it);
    return "";
}

std::string
Invalid(const std::string& prefix, const std::string& field, double value, const std::string& rule)
{
    std::ostringstream oss;
    oss << prefix << field << "=" << value << " is invalid: " << rule;
    return oss.str();
}

/** Turn one device object into a profile, checking every field against the file's rules. */
std::string
ParseDevice(const json& entry, std::size_t index, const std::string& origin, DeviceProfile& profile)
{
    std::string prefix = "device #" + std::to_string(index + 1) + " in '" + origin + "': ";
    if (!entry.is_object())
    {
        return prefix + "must be a JSON object, got " + entry.type_name() + " " + entry.dump();
    }
    std::string name;
    std::string problem = ReadString(entry, "name", prefix, "", true, name);
    if (!problem.empty())
    {
        return problem;
    }
    if (name.empty())
    {
        return prefix + "field 'name' is empty: must be a non-empty identifier";
    }
    prefix = "device '" + name + "' in '" + origin + "': ";

    problem = CheckKnownFields(entry, DEVICE_FIELDS, prefix, "");
    if (!problem.empty())
    {
        return problem;
    }

    std::string description;
    std::string notes;
    problem = ReadString(entry, "description", prefix, "", true, description);
    if (problem.empty())
    {
        problem = ReadString(entry, "notes", prefix, "", false, notes);
    }
    if (!problem.empty())
    {
        return problem;
    }

    const json* peaks = nullptr;
    problem = ReadObject(entry, "peak_tflops", prefix, peaks);
    if (problem.empty())
    {
        problem = CheckKnownFields(*peaks, DTYPE_FIELDS, prefix, "peak_tflops.");
    }
    if (!problem.empty())
    {
        return problem;
    }
    double peakTflops[3] = {0.0, 0.0, 0.0};
    for (std::size_t i = 0; i < DTYPE_FIELDS.size(); ++i)
    {
        problem = ReadNumber(*peaks, DTYPE_FIELDS[i], prefix, "peak_tflops.", peakTflops[i]);
        if (!problem.empty())
        {
            return problem;
        }
        if (peakTflops[i] > MAX_PEAK_TFLOPS)
        {
            std::ostringstream rule;
            rule << "must be at most " << static_cast<int64_t>(MAX_PEAK_TFLOPS)
                 << " TFLOP/s (100 PFLOP/s for one device is a typing mistake)";
            return Invalid(prefix, "peak_tflops." + DTYPE_FIELDS[i], peakTflops[i], rule.str());
        }
        if (!(peakTflops[i] > 0.0))
        {
            return Invalid(prefix,
                           "peak_tflops." + DTYPE_FIELDS[i],
                           peakTflops[i],
                           "must be positive (where the hardware has no native support, give "
                           "the rate it reaches by emulation, usually the fp32 rate)");
        }
    }

    double efficiency = 0.0;
    double memoryGib = 0.0;
    double bandwidthGbPerS = 0.0;
    double busyPowerW = 0.0;
    double idlePowerW = 0.0;
    double maxTxPowerDbm = 0.0;
    double attentionEfficiency = 0.0;
    double memoryEfficiency = 0.0;
    double kernelOverheadUs = 0.0;
    double autogradOverheadUs = 0.0;
    double runtimeReserveGib = 0.0;
    const std::vector<std::pair<std::string, double*>> numbers = {
        {"efficiency", &efficiency},
        {"attention_efficiency", &attentionEfficiency},
        {"memory_efficiency", &memoryEfficiency},
        {"kernel_overhead_us", &kernelOverheadUs},
        {"autograd_overhead_us", &autogradOverheadUs},
        {"runtime_reserve_gib", &runtimeReserveGib},
        {"memory_gib", &memoryGib},
        {"memory_bandwidth_gb_per_s", &bandwidthGbPerS},
        {"busy_power_w", &busyPowerW},
        {"idle_power_w", &idlePowerW},
        {"max_tx_power_dbm", &maxTxPowerDbm}};
    for (const auto& [key, target] : numbers)
    {
        problem = ReadNumber(entry, key, prefix, "", *target);
        if (!problem.empty())
        {
            return problem;
        }
    }
    bool overlap = true;
    problem = ReadBool(entry, "overlap_compute_and_memory", prefix, overlap);
    if (!problem.empty())
    {
        return problem;
    }

    // optional, each with its source: native 16-bit arithmetic until given
    struct Optional16BitField
    {
        const char* key;  //!< field name
        double value;     //!< its value, or the native default
        double low;       //!< smallest allowed (exclusive when lowOpen)
        bool lowOpen;     //!< whether low itself is refused
        double high;      //!< largest allowed
        const char* hint; //!< said after the range
        bool given;       //!< present in the entry
    };

    std::array<Optional16BitField, 4> optional16Bit = {{
        {"elementwise_16bit_time_ratio",
         0.5,
         0,
         true,
         MAX_16BIT_TIME_RATIO,
         " (0.5: native 16-bit arithmetic)",
         false},
        {"normalization_16bit_time_ratio",
         0.5,
         0,
         true,
         MAX_16BIT_TIME_RATIO,
         " (0.5: native 16-bit arithmetic)",
         false},
        {"matmul_16bit_overhead_us", 0, 0, false, 1e6, " us (0: one path for both types)", false},
        {"autograd_16bit_overhead_us",
         0,
         0,
         false,
         1e6,
         " us (0: both types cost the same to record)",
         false},
    }};
    for (auto& field : optional16Bit)
    {
        field.given = entry.contains(field.key);
        if (!field.given)
        {
            continue;
        }
        problem = ReadNumber(entry, field.key, prefix, "", field.value);
        if (!problem.empty())
        {
            return problem;
        }
        if (!(field.lowOpen ? field.value > field.low : field.value >= field.low) ||
            !(field.value <= field.high))
        {
            std::ostringstream oss;
            oss << prefix << "field '" << field.key << "' is " << field.value << ": must be in "
                << (field.lowOpen ? "(" : "[") << field.low << ", " << field.high << "]"
                << field.hint;
            return oss.str();
        }
    }
    if (!(efficiency > 0.0) || efficiency > 1.0)
    {
        return Invalid(prefix, "efficiency", efficiency, "must be in (0, 1]");
    }
    if (!(attentionEfficiency > 0.0) || attentionEfficiency > 1.0)
    {
        return Invalid(prefix, "attention_efficiency", attentionEfficiency, "must be in (0, 1]");
    }
    if (!(memoryEfficiency > 0.0) || memoryEfficiency > 1.0)
    {
        return Invalid(prefix, "memory_efficiency", memoryEfficiency, "must be in (0, 1]");
    }
    if (!(kernelOverheadUs >= 0.0) || kernelOverheadUs > MAX_KERNEL_OVERHEAD_US)
    {
        std::ostringstream rule;
        rule << "must be in [0, " << static_cast<int64_t>(MAX_KERNEL_OVERHEAD_US) << "] us";
        return Invalid(prefix, "kernel_overhead_us", kernelOverheadUs, rule.str());
    }
    if (!(autogradOverheadUs >= 0.0) || autogradOverheadUs > MAX_KERNEL_OVERHEAD_US)
    {
        std::ostringstream rule;
        rule << "must be in [0, " << static_cast<int64_t>(MAX_KERNEL_OVERHEAD_US) << "] us";
        return Invalid(prefix, "autograd_overhead_us", autogradOverheadUs, rule.str());
    }
    if (!(memoryGib > 0.0) || memoryGib > MAX_MEMORY_GIB)
    {
        std::ostringstream rule;
        rule << "must be in (0, " << MAX_MEMORY_GIB << "] GiB";
        return Invalid(prefix, "memory_gib", memoryGib, rule.str());
    }
    if (!(runtimeReserveGib >= 0.0) || runtimeReserveGib >= memoryGib)
    {
        std::ostringstream rule;
        rule << "must be >= 0 and less than memory_gib=" << memoryGib;
        return Invalid(prefix, "runtime_reserve_gib", runtimeReserveGib, rule.str());
    }
    if (!(bandwidthGbPerS > 0.0) || bandwidthGbPerS > MAX_BANDWIDTH_GB_PER_S)
    {
        std::ostringstream rule;
        rule << "must be in (0, " << static_cast<int64_t>(MAX_BANDWIDTH_GB_PER_S) << "] GB/s";
        return Invalid(prefix, "memory_bandwidth_gb_per_s", bandwidthGbPerS, rule.str());
    }
    if (!(idlePowerW >= 0.0) || idlePowerW > MAX_POWER_W)
    {
        std::ostringstream rule;
        rule << "must be in [0, " << static_cast<int64_t>(MAX_POWER_W) << "] W";
        return Invalid(prefix, "idle_power_w", idlePowerW, rule.str());
    }
    if (!(busyPowerW > 0.0) || busyPowerW > MAX_POWER_W)
    {
        std::ostringstream rule;
        rule << "must be in (0, " << static_cast<int64_t>(MAX_POWER_W) << "] W";
        return Invalid(prefix, "busy_power_w", busyPowerW, rule.str());
    }
    if (busyPowerW < idlePowerW)
    {
        std::ostringstream rule;
        rule << "must be >= idle_power_w=" << idlePowerW;
        return Invalid(prefix, "busy_power_w", busyPowerW, rule.str());
    }

    // storage (optional): all three figures or none
    std::vector<double> storage(STORAGE_FIELDS.size(), 0.0);
    size_t storageGiven = 0;
    for (size_t i = 0; i < STORAGE_FIELDS.size(); ++i)
    {
        if (entry.find(STORAGE_FIELDS[i]) == entry.end())
        {
            continue;
        }
        ++storageGiven;
        problem = ReadNumber(entry, STORAGE_FIELDS[i], prefix, "", storage[i]);
        if (!problem.empty())
        {
            return problem;
        }
        const double limit = i == 0 ? MAX_STORAGE_GB : MAX_STORAGE_MB_PER_S;
        if (!(storage[i] > 0.0) || storage[i] > limit)
        {
            std::ostringstream rule;
            rule << "must be in (0, " << static_cast<int64_t>(limit) << "]"
                 << (i == 0 ? " GB" : " MB/s");
            return Invalid(prefix, STORAGE_FIELDS[i], storage[i], rule.str());
        }
    }
    if (storageGiven != 0 && storageGiven != STORAGE_FIELDS.size())
    {
        return prefix + "give all of " + Join(STORAGE_FIELDS) + " or none (" +
               std::to_string(storageGiven) + " given)";
    }
    std::vector<std::string> sourced = SOURCED_FIELDS;
    if (storageGiven != 0)
    {
        sourced.insert(sourced.end(), STORAGE_FIELDS.begin(), STORAGE_FIELDS.end());
    }
    for (const auto& field : optional16Bit)
    {
        if (field.given)
        {
            sourced.push_back(field.key);
        }
    }

    const json* sources = nullptr;
    problem = ReadObject(entry, "sources", prefix, sources);
    if (problem.empty())
    {
        std::vector<std::string> allowed = SOURCED_FIELDS;
        allowed.insert(allowed.end(), STORAGE_FIELDS.begin(), STORAGE_FIELDS.end());
        for (const auto& field : optional16Bit)
        {
            allowed.push_back(field.key);
        }
        problem = CheckKnownFields(*sources, allowed, prefix, "sources.");
    }
    if (!problem.empty())
    {
        return problem;
    }
    std::vector<std::pair<std::string, std::string>> sourceTexts;
    for (const auto& field : sourced)
    {
        std::string text;
        problem = ReadString(*sources, field, prefix, "sources.", true, text);
        if (!problem.empty())
        {
            return problem;
        }
        if (text.empty())
        {
            return prefix + "field 'sources." + field +
                   "' is empty: say which document or page the figure comes from";
        }
        sourceTexts.emplace_back(field, text);
    }

    DeviceProfile device;
    device.SetName(name);
    device.SetDescription(description);
    device.SetNotes(notes);
    device.SetPeakFlops(DataType::FP32, peakTflops[0] * FLOPS_PER_TFLOPS);
    device.SetPeakFlops(DataType::FP16, peakTflops[1] * FLOPS_PER_TFLOPS);
    device.SetPeakFlops(DataType::BF16, peakTflops[2] * FLOPS_PER_TFLOPS);
    device.SetEfficiency(efficiency);
    device.SetAttentionEfficiency(attentionEfficiency);
    device.SetMemoryEfficiency(memoryEfficiency);
    device.SetKernelOverhead(kernelOverheadUs * 1e-6);
    device.SetComputeMemoryOverlap(overlap);
    device.SetElementwise16BitTimeRatio(optional16Bit[0].value);
    device.SetNormalization16BitTimeRatio(optional16Bit[1].value);
    device.SetMatmul16BitOverhead(optional16Bit[2].value * 1e-6);
    device.SetAutograd16BitOverhead(optional16Bit[3].value * 1e-6);
    device.SetAutogradOverhead(autogradOverheadUs * 1e-6);
    device.SetRuntimeReserveBytes(
        static_cast<uint64_t>(std::llround(runtimeReserveGib * BYTES_PER_GIB)));
    device.SetMemoryBytes(static_cast<uint64_t>(std::llround(memoryGib * BYTES_PER_GIB)));
    device.SetMemoryBandwidth(bandwidthGbPerS * BYTES_PER_S_PER_GB_PER_S);
    device.SetBusyPower(busyPowerW);
    device.SetIdlePower(idlePowerW);
    device.SetMaxTxPowerDbm(maxTxPowerDbm);
    if (storageGiven != 0)
    {
        device.SetStorage(static_cast<uint64_t>(std::llround(storage[0] * 1e9)),
                          storage[1] * 1e6,
                          storage[2] * 1e6);
    }
    for (const auto& [field, text] : sourceTexts)
    {
        device.SetSource(field, text);
    }
    // The checks above use the file's field names; this catches what they do not cover
    // (the name's characters, the transmit power range).
    problem = device.Validate();
    if (!problem.empty())
    {
        return problem + " (in '" + origin + "')";
    }
    profile = device;
    return "";
}

/**
 * Parser callback that records the first key repeated inside one JSON object: nlohmann keeps
 * the last value silently, which would hide a typo such as two "efficiency" entries.
 */
class DuplicateKeyFinder
{
  public:
    bool operator()(int /* depth */, json::parse_event_t event, json& parsed)
    {
        switch (event)
        {
        case json::parse_event_t::object_start:
            m_keys.emplace_back();
            break;
        case json::parse_event_t::object_end:
            if (!m_keys.empty())
            {
                m_keys.pop_back();
            }
            break;
        case json::parse_event_t::key:
            if (!m_keys.empty() && parsed.is_string())
            {
                const auto& key = parsed.get_ref<const std::string&>();
                if (!m_keys.back().insert(key).second && m_duplicate.empty())
                {
                    m_duplicate = key;
                }
            }
            break;
        default:
            break;
        }
        return true;
    }

    std::vector<std::set<std::string>> m_keys; //!< keys seen, one set per open object
    std::string m_duplicate;                   //!< the first repeated key, or ""
};

} // namespace

DeviceCatalog::DeviceCatalog()
{
}

std::string
DeviceCatalog::LoadFile(const std::string& path)
{
    NS_LOG_FUNCTION(this << path);
    std::ifstream in(path);
    if (!in.is_open())
    {
        return "devices file '" + path + "' cannot be opened";
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
    {
        return "devices file '" + path + "' cannot be read";
    }
    return LoadString(text.str(), path);
}

std::string
DeviceCatalog::LoadString(const std::string& text, const std::string& origin)
{
    NS_LOG_FUNCTION(this << origin);
    json document;
    // nlohmann copies the callback, so the finder reports through a shared result.
    auto finder = std::make_shared<DuplicateKeyFinder>();
    try
    {
        document = json::parse(text, [finder](int depth, json::parse_event_t event, json& parsed) {
            return (*finder)(depth, event, parsed);
        });
    }
    catch (const json::parse_error& e)
    {
        return "devices file '" + origin + "' is not valid JSON: " + e.what();
    }
    catch (const json::exception& e)
    {
        // For example a number too large for a double.
        return "devices file '" + origin + "' cannot be read as JSON: " + e.what();
    }
    if (!finder->m_duplicate.empty())
    {
        return "devices file '" + origin + "': key '" + finder->m_duplicate +
               "' appears twice in one object; each field may be given once";
    }

    const json* list = nullptr;
    if (document.is_array())
    {
        list = &document;
    }
    else if (document.is_object())
    {
        std::string prefix = "devices file '" + origin + "': ";
        std::string problem = CheckKnownFields(document, TOP_LEVEL_FIELDS, prefix, "");
        if (!problem.empty())
        {
            return problem;
        }
        auto it = document.find("devices");
        if (it == document.end())
        {
            return prefix + "missing field 'devices'";
        }
        if (!it->is_array())
        {
            return prefix + "field 'devices' must be an array, got " + it->type_name();
        }
        list = &(*it);
    }
    else
    {
        return "devices file '" + origin +
               "': the top level must be an array of devices or an object with a 'devices' "
               "array, got " +
               document.type_name();
    }
    if (list->empty())
    {
        return "devices file '" + origin + "' defines no devices";
    }

    std::vector<DeviceProfile> devices;
    for (std::size_t i = 0; i < list->size(); ++i)
    {
        DeviceProfile device;
        std::string problem = ParseDevice((*list)[i], i, origin, device);
        if (!problem.empty())
        {
            return problem;
        }
        for (std::size_t j = 0; j < devices.size(); ++j)
        {
            if (devices[j].GetName() == device.GetName())
            {
                return "device '" + device.GetName() + "' in '" + origin +
                       "': duplicate name: devices #" + std::to_string(j + 1) + " and #" +
                       std::to_string(i + 1) + " are both called '" + device.GetName() + "'";
            }
        }
        devices.push_back(device);
    }
    m_devices = devices;
    m_origin = origin;
    NS_LOG_INFO("loaded " << m_devices.size() << " devices from '" << origin << "'");
    return "";
}

std::string
DeviceCatalog::Add(const DeviceProfile& device)
{
    std::string problem = device.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    if (Contains(device.GetName()))
    {
        return "device '" + device.GetName() + "': duplicate name: already in " +
               (m_origin.empty() ? std::string("the catalog") : "'" + m_origin + "'");
    }
    m_devices.push_back(device);
    return "";
}

std::string
DeviceCatalog::Find(const std::string& name, DeviceProfile& out) const
{
    for (const auto& device : m_devices)
    {
        if (device.GetName() == name)
        {
            out = device;
            return "";
        }
    }
    std::vector<std::string> names = GetNames();
    return "device='" + name + "' is not in " +
           (m_origin.empty() ? std::string("the catalog") : "'" + m_origin + "'") +
           "; allowed: " + (names.empty() ? std::string("(none)") : Join(names));
}

std::string
DeviceCatalog::FindAll(const std::vector<std::string>& names, std::vector<DeviceProfile>& out) const
{
    for (const std::string& name : names)
    {
        DeviceProfile profile;
        const std::string problem = Find(name, profile);
        if (!problem.empty())
        {
            return problem;
        }
        out.push_back(profile);
    }
    return "";
}

bool
DeviceCatalog::Contains(const std::string& name) const
{
    for (const auto& device : m_devices)
    {
        if (device.GetName() == name)
        {
            return true;
        }
    }
    return false;
}

std::vector<std::string>
DeviceCatalog::GetNames() const
{
    std::vector<std::string> names;
    names.reserve(m_devices.size());
    for (const auto& device : m_devices)
    {
        names.push_back(device.GetName());
    }
    return names;
}

std::size_t
DeviceCatalog::GetN() const
{
    return m_devices.size();
}

std::string
DeviceCatalog::GetOrigin() const
{
    return m_origin;
}

DeviceProfile
DeviceCatalog::Get(const std::string& name) const
{
    DeviceProfile device;
    std::string problem = Find(name, device);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return device;
}

DeviceCatalog
DeviceCatalog::LoadDefault()
{
    DeviceCatalog catalog;
    std::string path = GetEdgeLlmDataPath("devices.json");
    std::string problem = catalog.LoadFile(path);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem << " (the file comes with the module in data/; the environment "
                                  "variable EDGE_LLM_DATA_DIR can point to another folder)");
    }
    return catalog;
}

} // namespace edgellm
} // namespace ns3
