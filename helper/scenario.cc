/* SPDX-License-Identifier: GPL-2.0-only */
#include "scenario.h"

#include "edge-llm-runtime-helper.h"
#include "lte-network-helper.h"

#include "ns3/config.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/fault-injector.h"
#include "ns3/nr-numerology.h"
#include "ns3/pointer.h"
#include "ns3/string.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

namespace
{

using nlohmann::json;

/// A one-line problem at a JSON path; thrown inside the loader only, caught by LoadString.
struct ScenarioError
{
    std::string message; //!< "path: problem"
};

[[noreturn]] void
Fail(const std::string& path, const std::string& problem)
{
    throw ScenarioError{path + ": " + problem};
}

/// A JSON value as the user wrote it, for messages.
std::string
Show(const json& value)
{
    return value.dump();
}

std::string
Join(const std::vector<std::string>& names)
{
    std::string text;
    for (const auto& name : names)
    {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text;
}

/// Refuse keys of \p object not in \p allowed.
void
CheckKeys(const json& object, const std::string& path, const std::vector<std::string>& allowed)
{
    if (!object.is_object())
    {
        Fail(path, "expected an object, got " + Show(object));
    }
    for (const auto& item : object.items())
    {
        if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
        {
            Fail((path.empty() ? "" : path + ".") + item.key(),
                 "unknown key (allowed: " + Join(allowed) + ")");
        }
    }
}

std::string
Child(const std::string& path, const std::string& key)
{
    return path.empty() ? key : path + "." + key;
}

std::string
GetString(const json& value, const std::string& path)
{
    if (!value.is_string())
    {
        Fail(path, "expected a string, got " + Show(value));
    }
    return value.get<std::string>();
}

uint64_t
GetUnsigned(const json& value, const std::string& path, uint64_t min, uint64_t max)
{
    if (!value.is_number_integer() ||
        (value.is_number_integer() && value.get<int64_t>() < 0 && !value.is_number_unsigned()))
    {
        Fail(path,
             Show(value) + " is invalid: must be an integer in [" + std::to_string(min) + ", " +
                 std::to_string(max) + "]");
    }
    const uint64_t number = value.get<uint64_t>();
    if (number < min || number > max)
    {
        Fail(path,
             Show(value) + " is invalid: must be an integer in [" + std::to_string(min) + ", " +
                 std::to_string(max) + "]");
    }
    return number;
}

double
GetNumber(const json& value, const std::string& path)
{
    if (!value.is_number() || !std::isfinite(value.get<double>()))
    {
        Fail(path, "expected a finite number, got " + Show(value));
    }
    return value.get<double>();
}

/// Fail with \p problem at \p path when not empty.
void
Require(const std::string& problem, const std::string& path)
{
    if (!problem.empty())
    {
        Fail(path, problem);
    }
}

/// An attribute value as ns-3 deserializes it from a string.
std::string
AttributeText(const json& value, const std::string& path)
{
    if (value.is_string())
    {
        return value.get<std::string>();
    }
    if (value.is_boolean())
    {
        return value.get<bool>() ? "true" : "false";
    }
    if (value.is_number_integer())
    {
        return value.dump();
    }
    if (value.is_number_float())
    {
        std::ostringstream text;
        text.precision(17);
        text << value.get<double>();
        return text.str();
    }
    Fail(path, "expected a string, number or boolean, got " + Show(value));
}

/// A TypeId by name that is a \p base.
TypeId
GetTypeIdOf(const json& value, const std::string& path, TypeId base)
{
    const std::string name = GetString(value, path);
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(name, &tid))
    {
        Fail(path, "'" + name + "' is not a known TypeId (a " + base.GetName() + " subclass)");
    }
    if (!tid.IsChildOf(base) || !tid.HasConstructor())
    {
        Fail(path, "'" + name + "' is not a constructible " + base.GetName());
    }
    return tid;
}

/**
 * The value of an attribute from JSON, checked by the attribute's own checker. Numbers and
 * booleans must be JSON numbers and booleans: ns-3 aborts on a malformed numeric string.
 */
Ptr<AttributeValue>
CheckedValue(const TypeId::AttributeInformation& info, const json& value, const std::string& path)
{
    const std::string type = info.checker->GetValueTypeName();
    const bool numeric =
        type == "ns3::UintegerValue" || type == "ns3::IntegerValue" || type == "ns3::DoubleValue";
    bool wellTyped = true;
    if (numeric)
    {
        wellTyped = type == "ns3::DoubleValue" ? value.is_number() : value.is_number_integer();
        if (type == "ns3::UintegerValue" && value.is_number_integer() &&
            !value.is_number_unsigned())
        {
            wellTyped = false; // negative
        }
    }
    else if (type == "ns3::BooleanValue")
    {
        wellTyped = value.is_boolean();
    }
    Ptr<AttributeValue> valid =
        wellTyped ? info.checker->CreateValidValue(StringValue(AttributeText(value, path)))
                  : nullptr;
    if (!valid)
    {
        Fail(path,
             "value " + Show(value) +
                 " is invalid: allowed: " + info.checker->GetUnderlyingTypeInformation());
    }
    return valid;
}

/// Set attributes from an object {"Name": value} on \p factory, each checked.
void
SetAttributes(ObjectFactory& factory, const json& attributes, const std::string& path)
{
    if (!attributes.is_object())
    {
        Fail(path, "expected an object of attributes, got " + Show(attributes));
    }
    const TypeId tid = factory.GetTypeId();
    for (const auto& item : attributes.items())
    {
        const std::string where = path + "." + item.key();
        TypeId::AttributeInformation info;
        if (!tid.LookupAttributeByName(item.key(), &info))
        {
            std::vector<std::string> names;
            for (TypeId t = tid; t != Object::GetTypeId(); t = t.GetParent())
            {
                for (uint32_t i = 0; i < t.GetAttributeN(); ++i)
                {
                    names.push_back(t.GetAttribute(i).name);
                }
            }
            Fail(where, "unknown attribute of " + tid.GetName() + " (known: " + Join(names) + ")");
        }
        Ptr<AttributeValue> valid = CheckedValue(info, item.value(), where);
        factory.Set(item.key(), *valid);
    }
}

/// One device profile by name from the catalog.
DeviceProfile
FindProfile(const DeviceCatalog& catalog, const json& value, const std::string& path)
{
    const std::string name = GetString(value, path);
    DeviceProfile profile;
    if (!catalog.Find(name, profile).empty())
    {
        Fail(path,
             "unknown device profile '" + name + "' (known: " + Join(catalog.GetNames()) + ")");
    }
    return profile;
}

void
LoadWorkload(const json& node, Workload& workload)
{
    const std::string path = "workload";
    CheckKeys(node,
              path,
              {"model",
               "recipe",
               "batchSize",
               "dropout",
               "dropoutMaskBytes",
               "adapterReduction",
               "sideBlock",
               "sideBlocks",
               "sequenceLength",
               "decoderSequenceLength"});
    if (!node.contains("model"))
    {
        Fail(Child(path, "model"),
             "missing (a preset: " + Join(TransformerSpec::GetPresetNames()) + ")");
    }
    const std::string model = GetString(node["model"], Child(path, "model"));
    if (!TransformerSpec::FromPreset(model, workload.spec).empty())
    {
        Fail(Child(path, "model"),
             "unknown model '" + model + "' (known: " + Join(TransformerSpec::GetPresetNames()) +
                 ")");
    }
    if (node.contains("recipe"))
    {
        Require(TrainingRecipe::ParseRecipeKind(GetString(node["recipe"], Child(path, "recipe")),
                                                workload.recipe.kind),
                Child(path, "recipe"));
    }
    if (node.contains("batchSize"))
    {
        workload.batchSize = GetUnsigned(node["batchSize"], Child(path, "batchSize"), 1, 1u << 20);
    }
    if (node.contains("dropout"))
    {
        workload.recipe.dropout = GetNumber(node["dropout"], Child(path, "dropout"));
        TrainingRecipe check; // only the field's own rule, whatever the rest of the recipe
        check.dropout = workload.recipe.dropout;
        Require(check.Validate(), Child(path, "dropout"));
    }
    if (node.contains("dropoutMaskBytes"))
    {
        workload.recipe.dropoutMaskBytes = static_cast<uint32_t>(
            GetUnsigned(node["dropoutMaskBytes"], Child(path, "dropoutMaskBytes"), 0, 8));
    }
    if (node.contains("adapterReduction"))
    {
        workload.recipe.adapterReduction = static_cast<uint32_t>(
            GetUnsigned(node["adapterReduction"], Child(path, "adapterReduction"), 1, 4096));
    }
    if (node.contains("sideBlock"))
    {
        const std::string block = GetString(node["sideBlock"], Child(path, "sideBlock"));
        if (block != "ladder" && block != "transformer")
        {
            Fail(Child(path, "sideBlock"),
                 "'" + block +
                     "' is invalid: ladder (the tap and one GELU layer) or transformer "
                     "(a Transformer block of width hidden / adapterReduction, PAC's side block)");
        }
        workload.recipe.sideTransformer = block == "transformer";
    }
    if (node.contains("sideBlocks"))
    {
        workload.recipe.sideBlocks = static_cast<uint32_t>(
            GetUnsigned(node["sideBlocks"], Child(path, "sideBlocks"), 0, 1u << 16));
    }
    if (node.contains("sequenceLength"))
    {
        workload.spec.sequenceLength = static_cast<uint32_t>(
            GetUnsigned(node["sequenceLength"], Child(path, "sequenceLength"), 1, 1u << 20));
    }
    if (node.contains("decoderSequenceLength"))
    {
        if (!workload.spec.HasEncoder() || !workload.spec.HasDecoder())
        {
            Fail(Child(path, "decoderSequenceLength"),
                 "is only for encoder-decoder models; model '" + model + "' is not one");
        }
        workload.spec.decoderSequenceLength =
            static_cast<uint32_t>(GetUnsigned(node["decoderSequenceLength"],
                                              Child(path, "decoderSequenceLength"),
                                              1,
                                              1u << 20));
    }
    Require(workload.spec.Validate(), path);
    Require(workload.recipe.ValidateFor(workload.spec), path);
}

void
LoadFleet(const json& node, const DeviceCatalog& catalog, Fleet& fleet)
{
    const std::string path = "fleet";
    CheckKeys(node, path, {"server", "groups"});
    if (!node.contains("server"))
    {
        Fail(Child(path, "server"), "missing (the edge server's device profile)");
    }
    fleet.SetServer(FindProfile(catalog, node["server"], Child(path, "server")));
    if (!node.contains("groups") || !node["groups"].is_array() || node["groups"].empty())
    {
        Fail(Child(path, "groups"), "expected a non-empty array of device groups");
    }
    for (uint32_t g = 0; g < node["groups"].size(); ++g)
    {
        const json& group = node["groups"][g];
        const std::string where = path + ".groups[" + std::to_string(g) + "]";
        CheckKeys(group, where, {"devices", "controlUnit", "repeat"});
        if (!group.contains("devices") || !group["devices"].is_array() || group["devices"].empty())
        {
            Fail(Child(where, "devices"), "expected a non-empty array of device profile names");
        }
        std::vector<DeviceProfile> devices;
        for (uint32_t i = 0; i < group["devices"].size(); ++i)
        {
            devices.push_back(FindProfile(catalog,
                                          group["devices"][i],
                                          where + ".devices[" + std::to_string(i) + "]"));
        }
        const uint64_t repeat = group.contains("repeat")
                                    ? GetUnsigned(group["repeat"],
                                                  Child(where, "repeat"),
                                                  1,
                                                  EdgeNetworkHelper::MAX_FLOW_ONLY_DEVICES)
                                    : 1;
        // a bound against runaway allocations, before any is made; the network kind's own cap
        // is checked once the fidelity is known (a flow-only network takes more devices)
        const uint64_t nodes = fleet.GetNodeCount() +
                               repeat * (devices.size() + (group.contains("controlUnit") ? 1 : 0));
        if (nodes > EdgeNetworkHelper::MAX_FLOW_ONLY_DEVICES)
        {
            Fail(Child(path, "groups"),
                 std::to_string(nodes) + " nodes is invalid: at most " +
                     std::to_string(EdgeNetworkHelper::MAX_FLOW_ONLY_DEVICES));
        }
        for (uint64_t r = 0; r < repeat; ++r)
        {
            if (group.contains("controlUnit"))
            {
                fleet.AddGroup(
                    devices,
                    FindProfile(catalog, group["controlUnit"], Child(where, "controlUnit")));
            }
            else
            {
                fleet.AddGroup(devices);
            }
        }
    }
}

/**
 * network.cells: several cells, each with its own edge server, joined by a backhaul to the
 * aggregation server: {"count": C, "backhaulRateMbps": ..., "backhaulDelayMs": ...,
 * "spacing": metres, "channels": K}.
 */
void
LoadCells(const json& node, const std::string& path, EdgeNetworkHelper& helper)
{
    if (!node.is_object())
    {
        Fail(path, "expected an object: {\"count\": C, \"backhaulRateMbps\": ...}");
    }
    CheckKeys(node, path, {"count", "backhaulRateMbps", "backhaulDelayMs", "spacing", "channels"});
    if (!node.contains("count"))
    {
        Fail(Child(path, "count"), "is missing: how many cells");
    }
    const uint64_t cells = GetUnsigned(node["count"],
                                       Child(path, "count"),
                                       1,
                                       EdgeNetworkHelper::MAX_FLOW_ONLY_DEVICES);
    helper.SetCellCount(static_cast<uint32_t>(cells));
    double mbps = 1000;
    double ms = 1;
    if (node.contains("backhaulRateMbps"))
    {
        mbps = GetNumber(node["backhaulRateMbps"], Child(path, "backhaulRateMbps"));
        Require(EdgeNetworkHelper::CheckBackhaul(mbps * 1e6, Seconds(0)),
                Child(path, "backhaulRateMbps"));
    }
    if (node.contains("backhaulDelayMs"))
    {
        ms = GetNumber(node["backhaulDelayMs"], Child(path, "backhaulDelayMs"));
        Require(EdgeNetworkHelper::CheckBackhaul(1.0, Seconds(ms / 1000)),
                Child(path, "backhaulDelayMs"));
    }
    helper.SetBackhaul(DataRate(static_cast<uint64_t>(std::llround(mbps * 1e6))),
                       NanoSeconds(std::llround(ms * 1e6)));
    if (node.contains("spacing"))
    {
        const double metres = GetNumber(node["spacing"], Child(path, "spacing"));
        Require(EdgeNetworkHelper::CheckCellSpacing(metres), Child(path, "spacing"));
        helper.SetCellSpacing(metres);
    }
    if (node.contains("channels"))
    {
        helper.SetCellChannels(static_cast<uint32_t>(
            GetUnsigned(node["channels"], Child(path, "channels"), 0, cells)));
    }
}

void
LoadNetwork(const json& node, EdgeNetworkHelper& helper, const std::string& baseDir)
{
    const std::string path = "network";
    CheckKeys(node,
              path,
              {"kind",
               "fading",
               "nakagamiM",
               "dopplerHz",
               "pathLoss",
               "pathLossExponent",
               "channelCondition",
               "shadowing",
               "placement",
               "distance",
               "channelWidthMHz",
               "cellBandwidthMHz",
               "d2dMode",
               "rateControl",
               "deviceTxPowerDbm",
               "maxTxPowerDbm",
               "errorRate",
               "dataRateMbps",
               "delayMs",
               "mobility",
               "speed",
               "mobilityTrace",
               "walkBoxHalfSide",
               "lteAlpha",
               "lteP0NominalPuschDbm",
               "flowOnly",
               "cells"});
    for (const auto& item : node.items())
    {
        const std::string key = item.key();
        const std::string where = Child(path, key);
        const json& value = item.value();
        if (key == "kind")
        {
            const std::string kind = GetString(value, where);
            Require(EdgeNetworkHelper::CheckNetwork(kind), where);
            helper.SetNetwork(kind);
        }
        else if (key == "fading")
        {
            const std::string fading = GetString(value, where);
            Require(EdgeNetworkHelper::CheckFading(fading), where);
            helper.SetFading(fading);
        }
        else if (key == "nakagamiM")
        {
            const double m = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckNakagamiM(m), where);
            helper.SetNakagamiM(m);
        }
        else if (key == "mobility")
        {
            const std::string mobility = GetString(value, where);
            Require(EdgeNetworkHelper::CheckMobility(mobility), where);
            helper.SetMobility(mobility);
        }
        else if (key == "speed")
        {
            const double speed = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckSpeed(speed), where);
            helper.SetRandomWalkSpeed(speed);
        }
        else if (key == "walkBoxHalfSide")
        {
            const double metres = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckRandomWalkBoxHalfSide(metres), where);
            helper.SetRandomWalkBoxHalfSide(metres);
        }
        else if (key == "mobilityTrace")
        {
            std::string trace = GetString(value, where);
            if (!trace.empty() && trace[0] != '/')
            {
                trace = baseDir + "/" + trace; // beside the scenario file
            }
            Require(EdgeNetworkHelper::CheckMobilityTrace(trace), where);
            helper.SetMobilityTrace(trace);
        }
        else if (key == "dopplerHz")
        {
            const double hz = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckDopplerHz(hz), where);
            helper.SetDopplerHz(hz);
        }
        else if (key == "pathLoss")
        {
            const std::string model = GetString(value, where);
            Require(EdgeNetworkHelper::CheckPathLoss(model), where);
            helper.SetPathLoss(model);
        }
        else if (key == "pathLossExponent")
        {
            const double exponent = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckPathLossExponent(exponent), where);
            helper.SetPathLossExponent(exponent);
        }
        else if (key == "channelCondition")
        {
            const std::string condition = GetString(value, where);
            Require(EdgeNetworkHelper::CheckChannelCondition(condition), where);
            helper.SetChannelCondition(condition);
        }
        else if (key == "shadowing")
        {
            if (!value.is_boolean())
            {
                Fail(where, "expected true or false, got " + Show(value));
            }
            helper.SetShadowing(value.get<bool>());
        }
        else if (key == "placement")
        {
            const std::string placement = GetString(value, where);
            Require(EdgeNetworkHelper::CheckPlacement(placement), where);
            helper.SetPlacement(placement);
        }
        else if (key == "distance")
        {
            const double metres = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckDistance(metres), where);
            helper.SetDistance(metres);
        }
        else if (key == "channelWidthMHz")
        {
            const uint64_t mhz = GetUnsigned(value, where, 1, 1000);
            Require(EdgeNetworkHelper::CheckChannelWidth(mhz), where);
            helper.SetChannelWidth(mhz);
        }
        else if (key == "cellBandwidthMHz")
        {
            // checked below against the kind's table (the keys come in alphabetical order)
            helper.SetCellBandwidthMHz(GetNumber(value, where));
        }
        else if (key == "lteAlpha")
        {
            const double alpha = GetNumber(value, where);
            Require(LteNetworkHelper::CheckAlpha(alpha), where);
            helper.SetLteAlpha(alpha);
        }
        else if (key == "lteP0NominalPuschDbm")
        {
            const double dbm = GetNumber(value, where);
            Require(LteNetworkHelper::CheckP0NominalPusch(dbm), where);
            helper.SetLteP0NominalPuschDbm(dbm);
        }
        else if (key == "d2dMode")
        {
            const std::string mode = GetString(value, where);
            Require(EdgeNetworkHelper::CheckD2dMode(mode), where);
            helper.SetD2dMode(mode);
        }
        else if (key == "rateControl")
        {
            const std::string control = GetString(value, where);
            Require(EdgeNetworkHelper::CheckRateControl(control), where);
            helper.SetRateControl(control);
        }
        else if (key == "deviceTxPowerDbm")
        {
            const double dbm = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckTxPower("deviceTxPowerDbm", dbm, -30, 40), where);
            helper.SetDeviceTxPowerDbm(dbm);
        }
        else if (key == "maxTxPowerDbm")
        {
            const double dbm = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckTxPower("maxTxPowerDbm", dbm, -30, 40), where);
            helper.SetMaxTxPowerDbm(dbm);
        }
        else if (key == "errorRate")
        {
            const double rate = GetNumber(value, where);
            Require(EdgeNetworkHelper::CheckErrorRate(rate), where);
            helper.SetErrorRate(rate);
        }
        else if (key == "dataRateMbps")
        {
            // the wired networks' link (p2p) or bus (CSMA) rate
            const double mbps = GetNumber(value, where);
            if (!(mbps > 0) || mbps > 1e6)
            {
                Fail(where, Show(value) + " is invalid: must be a rate in (0, 1e6] Mbit/s");
            }
            helper.SetDataRate(DataRate(static_cast<uint64_t>(std::llround(mbps * 1e6))));
        }
        else if (key == "cells")
        {
            LoadCells(value, where, helper);
        }
        else if (key == "delayMs")
        {
            // the wired networks' propagation delay of a link (p2p) or of the bus (CSMA)
            const double ms = GetNumber(value, where);
            if (!(ms >= 0) || ms > 1e4)
            {
                Fail(where, Show(value) + " is invalid: must be a delay in [0, 1e4] ms");
            }
            helper.SetDelay(NanoSeconds(std::llround(ms * 1e6)));
        }
    }
    // a field of another network kind has no effect here: refused rather than ignored
    const std::string kind = helper.GetNetwork();
    const std::vector<std::pair<std::string, std::vector<std::string>>> only = {
        {"cellBandwidthMHz", {"ofdma", "lte"}},
        {"lteAlpha", {"lte"}},
        {"lteP0NominalPuschDbm", {"lte"}},
        {"channelWidthMHz", {"wifi"}},
        {"d2dMode", {"wifi"}},
        {"rateControl", {"wifi"}},
        {"dataRateMbps", {"csma", "p2p"}},
        {"delayMs", {"csma", "p2p"}}};
    for (const auto& [key, kinds] : only)
    {
        if (node.contains(key) && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
        {
            Fail(Child(path, key),
                 "has no effect with kind '" + kind + "' (it applies to " + Join(kinds) + ")");
        }
    }
    if (node.contains("cellBandwidthMHz"))
    {
        const double mhz = node["cellBandwidthMHz"].get<double>();
        Require(kind == "lte" ? LteNetworkHelper::CheckBandwidthMHz(mhz)
                              : NrNumerology::CheckBandwidth(mhz, 1),
                Child(path, "cellBandwidthMHz"));
    }
}

/// The "dynamics" object: faults, a churn trace, batteries, the failure detector.
void
LoadDynamics(const json& node, const Fleet& fleet, StudyHelper& study, const std::string& baseDir)
{
    CheckKeys(node,
              "dynamics",
              {"faults", "churnTrace", "batteryJ", "heartbeat", "failureTimeout"});
    const uint32_t devices = fleet.GetDeviceCount();
    std::vector<FaultEvent> faults;
    if (node.contains("faults"))
    {
        const json& list = node["faults"];
        if (!list.is_array())
        {
            Fail("dynamics.faults", "expected an array of {\"event\", \"node\", \"at\"}");
        }
        for (size_t i = 0; i < list.size(); ++i)
        {
            const std::string where = "dynamics.faults[" + std::to_string(i) + "]";
            CheckKeys(list[i], where, {"event", "node", "at", "duration"});
            for (const char* key : {"event", "node", "at"})
            {
                if (!list[i].contains(key))
                {
                    Fail(Child(where, key), "missing");
                }
            }
            FaultEvent event;
            const std::string kind = GetString(list[i]["event"], Child(where, "event"));
            if (!FaultInjector::ParseKind(kind, event.kind))
            {
                Fail(Child(where, "event"), "'" + kind + "' is invalid: allowed: leave, outage");
            }
            event.node = GetUnsigned(list[i]["node"], Child(where, "node"), 0, 4294967295u);
            event.at = Seconds(GetNumber(list[i]["at"], Child(where, "at")));
            if (list[i].contains("duration"))
            {
                event.duration = Seconds(GetNumber(list[i]["duration"], Child(where, "duration")));
            }
            Require(FaultInjector::CheckEvent(event, devices), where);
            faults.push_back(event);
        }
    }
    if (node.contains("churnTrace"))
    {
        std::string trace = GetString(node["churnTrace"], "dynamics.churnTrace");
        if (!trace.empty() && trace[0] != '/')
        {
            trace = baseDir + "/" + trace; // beside the scenario file
        }
        std::vector<FaultEvent> churn;
        Require(FaultInjector::LoadChurnTrace(trace, churn), "dynamics.churnTrace");
        for (const FaultEvent& event : churn)
        {
            Require(FaultInjector::CheckEvent(event, devices), "dynamics.churnTrace");
            faults.push_back(event);
        }
    }
    std::vector<double> batteries;
    if (node.contains("batteryJ"))
    {
        const json& value = node["batteryJ"];
        auto check = [](const json& joules, const std::string& where) {
            if (GetNumber(joules, where) < 0)
            {
                Fail(where, Show(joules) + " is invalid: must be >= 0 J (0: no battery)");
            }
            return joules.get<double>();
        };
        if (value.is_array())
        {
            if (value.size() != devices)
            {
                Fail("dynamics.batteryJ",
                     "has " + std::to_string(value.size()) +
                         " values; give one per group device (" + std::to_string(devices) +
                         ") or one number for all");
            }
            for (size_t i = 0; i < value.size(); ++i)
            {
                const std::string where = "dynamics.batteryJ[" + std::to_string(i) + "]";
                batteries.push_back(check(value[i], where));
            }
        }
        else
        {
            batteries.assign(devices, check(value, "dynamics.batteryJ"));
        }
    }
    const double heartbeat =
        node.contains("heartbeat") ? GetNumber(node["heartbeat"], "dynamics.heartbeat") : 0.5;
    const double timeout = node.contains("failureTimeout")
                               ? GetNumber(node["failureTimeout"], "dynamics.failureTimeout")
                               : 2.0;
    std::ostringstream shown;
    shown << heartbeat << " is invalid: must be in (0, 3600] seconds";
    if (!(heartbeat > 0) || heartbeat > 3600)
    {
        Fail("dynamics.heartbeat", shown.str());
    }
    shown.str("");
    shown << timeout << " is invalid: must be above heartbeat (" << heartbeat
          << " s) and at most 36000 s";
    if (!(timeout > heartbeat) || timeout > 36000)
    {
        Fail("dynamics.failureTimeout", shown.str());
    }
    study.SetFaults(faults, batteries, Seconds(heartbeat), Seconds(timeout));
}

ObjectFactory
LoadFactory(const json& node, const std::string& path, TypeId base)
{
    CheckKeys(node, path, {"type", "attributes"});
    if (!node.contains("type"))
    {
        Fail(Child(path, "type"), "missing (a " + base.GetName() + " TypeId name)");
    }
    ObjectFactory factory;
    factory.SetTypeId(GetTypeIdOf(node["type"], Child(path, "type"), base));
    if (node.contains("attributes"))
    {
        SetAttributes(factory, node["attributes"], Child(path, "attributes"));
    }
    return factory;
}

void
LoadRuns(const json& node, std::vector<ScenarioRun>& runs)
{
    const std::string path = "runs";
    if (!node.is_array() || node.empty())
    {
        Fail(path, "expected a non-empty array of runs");
    }
    std::set<std::string> names;
    for (uint32_t r = 0; r < node.size(); ++r)
    {
        const std::string where = "runs[" + std::to_string(r) + "]";
        const json& item = node[r];
        CheckKeys(item, where, {"name", "strategy", "scheduler"});
        ScenarioRun run;
        if (!item.contains("name"))
        {
            Fail(Child(where, "name"), "missing (the run's name)");
        }
        run.name = GetString(item["name"], Child(where, "name"));
        if (run.name.empty() || run.name.find_first_of("/,\"\n") != std::string::npos)
        {
            Fail(Child(where, "name"),
                 "'" + run.name + "' is invalid: must be non-empty without '/', ',', '\"'");
        }
        if (!names.insert(run.name).second)
        {
            Fail(Child(where, "name"), "'" + run.name + "' names an earlier run too");
        }
        if (!item.contains("strategy"))
        {
            Fail(Child(where, "strategy"), "missing ({\"type\": \"ns3::...Strategy\"})");
        }
        run.strategy =
            LoadFactory(item["strategy"], Child(where, "strategy"), Strategy::GetTypeId());
        if (item.contains("scheduler"))
        {
            TypeId::AttributeInformation info;
            if (!run.strategy.GetTypeId().LookupAttributeByName("Scheduler", &info))
            {
                Fail(Child(where, "scheduler"),
                     run.strategy.GetTypeId().GetName() + " takes no scheduler");
            }
            // the scheduler's base class: what the strategy's Scheduler attribute accepts
            // (a PointerChecker names it "ns3::Ptr< ns3::CollaPipeScheduler >")
            std::string base = info.checker->GetUnderlyingTypeInformation();
            const std::string::size_type open = base.find('<');
            const std::string::size_type close = base.rfind('>');
            if (open != std::string::npos && close != std::string::npos && close > open)
            {
                base = base.substr(open + 1, close - open - 1);
                base.erase(0, base.find_first_not_of(' '));
                base.erase(base.find_last_not_of(' ') + 1);
            }
            TypeId baseTid;
            if (!TypeId::LookupByNameFailSafe(base, &baseTid))
            {
                baseTid = Object::GetTypeId();
            }
            run.scheduler = LoadFactory(item["scheduler"], Child(where, "scheduler"), baseTid);
            run.hasScheduler = true;
        }
        runs.push_back(run);
    }
}

} // namespace

std::string
Scenario::LoadFile(const std::string& path, Scenario& scenario)
{
    std::ifstream in(path);
    if (!in)
    {
        return "scenario='" + path + "' cannot be opened";
    }
    std::stringstream text;
    text << in.rdbuf();
    const std::string::size_type slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    return LoadString(text.str(), path, dir, scenario);
}

std::string
Scenario::LoadString(const std::string& text,
                     const std::string& origin,
                     const std::string& baseDir,
                     Scenario& scenario)
{
    json root;
    try
    {
        root = json::parse(text);
    }
    catch (const json::parse_error& e)
    {
        return origin + ": not valid JSON (byte " + std::to_string(e.byte) + ")";
    }
    try
    {
        CheckKeys(root,
                  "",
                  {"name",
                   "description",
                   "devicesFile",
                   "defaults",
                   "workload",
                   "fleet",
                   "network",
                   "rounds",
                   "fidelity",
                   "seed",
                   "run",
                   "seeds",
                   "outputDir",
                   "dynamics",
                   "runs"});
        for (const char* key : {"workload", "fleet", "network", "runs"})
        {
            if (!root.contains(key))
            {
                Fail(key, "missing");
            }
        }
        scenario.name = root.contains("name") ? GetString(root["name"], "name") : origin;
        if (root.contains("defaults"))
        {
            // Config::SetDefault for any attribute ("ns3::DssdaScheduler::MaxLabels": 8);
            // command-line --ns3::...=... parsed after the file overrides them
            const json& defaults = root["defaults"];
            if (!defaults.is_object())
            {
                Fail("defaults", "expected an object of \"ns3::Type::Attribute\": value");
            }
            for (const auto& item : defaults.items())
            {
                const std::string where = "defaults." + item.key();
                const std::string::size_type split = item.key().rfind("::");
                TypeId tid;
                TypeId::AttributeInformation info;
                if (split == std::string::npos ||
                    !TypeId::LookupByNameFailSafe(item.key().substr(0, split), &tid) ||
                    !tid.LookupAttributeByName(item.key().substr(split + 2), &info))
                {
                    Fail(where, "unknown attribute (expected \"ns3::Type::Attribute\")");
                }
                Config::SetDefault(item.key(), *CheckedValue(info, item.value(), where));
            }
        }
        std::string devicesFile = GetEdgeLlmDataPath("devices.json");
        if (root.contains("devicesFile"))
        {
            devicesFile = GetString(root["devicesFile"], "devicesFile");
            if (!devicesFile.empty() && devicesFile[0] != '/')
            {
                devicesFile = baseDir + "/" + devicesFile;
            }
        }
        DeviceCatalog catalog;
        Require(catalog.LoadFile(devicesFile), "devicesFile");
        Workload workload;
        LoadWorkload(root["workload"], workload);
        scenario.study.SetWorkload(workload);
        Fleet fleet;
        LoadFleet(root["fleet"], catalog, fleet);
        scenario.study.SetFleet(fleet);
        LoadNetwork(root["network"], scenario.study.GetNetworkHelper(), baseDir);
        // each cell has an edge server of its own: the fleet's node layout follows
        fleet.SetCellCount(scenario.study.GetNetworkHelper().GetCellCount());
        if (fleet.GetCellCount() > fleet.GetGroupCount())
        {
            Fail("network.cells.count",
                 std::to_string(fleet.GetCellCount()) + " is more than the fleet's " +
                     std::to_string(fleet.GetGroupCount()) + " groups; allowed: 1.." +
                     std::to_string(fleet.GetGroupCount()) +
                     " (every cell holds at least one group)");
        }
        scenario.study.SetFleet(fleet);
        if (root.contains("dynamics"))
        {
            LoadDynamics(root["dynamics"], fleet, scenario.study, baseDir);
        }
        if (root.contains("rounds"))
        {
            scenario.study.SetRounds(GetUnsigned(root["rounds"], "rounds", 1, 1000000));
        }
        if (root.contains("fidelity"))
        {
            const std::string fidelity = GetString(root["fidelity"], "fidelity");
            Require(EdgeLlmRuntimeHelper::CheckFidelity(fidelity), "fidelity");
            scenario.study.SetFidelity(fidelity);
        }
        if (root["network"].contains("flowOnly"))
        {
            const json& flowOnly = root["network"]["flowOnly"];
            if (!flowOnly.is_boolean())
            {
                Fail("network.flowOnly", Show(flowOnly) + " is invalid: must be true or false");
            }
            if (flowOnly.get<bool>())
            {
                Require(EdgeNetworkHelper::CheckFlowOnly(
                            scenario.study.GetNetworkHelper().GetNetwork()),
                        "network.flowOnly");
                if (scenario.study.GetFidelity() != "flow")
                {
                    Fail("network.flowOnly",
                         "true needs fidelity 'flow' (the packet level runs "
                         "the devices)");
                }
            }
            scenario.study.SetFlowOnlyNetwork(flowOnly.get<bool>());
        }
        {
            // the network's device cap for this fidelity: a flow-only network takes more
            EdgeNetworkHelper check = scenario.study.GetNetworkHelper();
            check.SetFlowOnly(scenario.study.UsesFlowOnlyNetwork());
            Require(check.CheckDeviceCount(fleet.GetTerminalCount()), "fleet");
            if (fleet.GetCellCount() > 1)
            {
                check.SetDeviceCells(fleet.GetTerminalCells());
                Require(check.Validate(fleet.GetTerminalCount()), "network.cells");
            }
        }
        if (root.contains("seed"))
        {
            scenario.seed = GetUnsigned(root["seed"], "seed", 1, 4294967295u);
        }
        if (root.contains("run"))
        {
            scenario.run = GetUnsigned(root["run"], "run", 0, UINT64_MAX);
        }
        if (root.contains("seeds"))
        {
            scenario.seeds = GetUnsigned(root["seeds"], "seeds", 1, Scenario::MAX_SEEDS);
        }
        scenario.outputDir = root.contains("outputDir") ? GetString(root["outputDir"], "outputDir")
                                                        : "results/" + scenario.name;
        scenario.study.SetOutputDirectory(scenario.outputDir);
        scenario.runs.clear();
        LoadRuns(root["runs"], scenario.runs);
    }
    catch (const ScenarioError& error)
    {
        return origin + ": " + error.message;
    }
    catch (const json::exception& error)
    {
        // a value of an unexpected JSON type that no check above anticipated
        return origin + ": " + error.what();
    }
    return "";
}

Ptr<Strategy>
Scenario::CreateStrategy(const ScenarioRun& run)
{
    Ptr<Strategy> strategy = run.strategy.Create<Strategy>();
    if (run.hasScheduler)
    {
        strategy->SetAttribute("Scheduler", PointerValue(run.scheduler.Create<Object>()));
    }
    return strategy;
}

std::string
Scenario::SelectRuns(const std::vector<std::string>& names)
{
    std::vector<ScenarioRun> selected;
    std::vector<std::string> known;
    for (const auto& run : runs)
    {
        known.push_back(run.name);
    }
    for (const auto& name : names)
    {
        auto it = std::find_if(runs.begin(), runs.end(), [&](const ScenarioRun& run) {
            return run.name == name;
        });
        if (it == runs.end())
        {
            return "runs: no run named '" + name + "' (known: " + Join(known) + ")";
        }
        selected.push_back(*it);
    }
    runs = selected;
    return "";
}

} // namespace edgellm
} // namespace ns3
