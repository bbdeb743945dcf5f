/* SPDX-License-Identifier: GPL-2.0-only */
#include "sweep-plan.h"

#include "scenario-runner.h"
#include "scenario.h"

#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/rng-seed-manager.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

using nlohmann::json;

namespace
{

/// the most runs one sweep expands into
constexpr uint64_t MAX_RUNS = 100000;

/// \return the file's text, or "" with \p ok false
std::string
ReadText(const std::string& path, bool& ok)
{
    std::ifstream in(path);
    ok = static_cast<bool>(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// \return "" or the problem writing \p text to \p path
std::string
WriteText(const std::string& path, const std::string& text)
{
    std::ofstream out(path);
    out << text;
    out.close();
    return out ? "" : "cannot write '" + path + "'";
}

/**
 * \param document the scenario
 * \param path a dotted path ("network.distance", "fleet.groups.0.repeat")
 * \return the value it names, or null when it names none
 */
json*
Find(json& document, const std::string& path)
{
    json* at = &document;
    std::istringstream parts(path);
    for (std::string part; std::getline(parts, part, '.');)
    {
        if (at->is_object() && at->contains(part))
        {
            at = &(*at)[part];
        }
        else if (at->is_array() && !part.empty() &&
                 part.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoul(part) < at->size())
        {
            at = &(*at)[std::stoul(part)];
        }
        else
        {
            return nullptr;
        }
    }
    return at;
}

} // namespace

std::string
SweepPlan::Load(const std::string& path, SweepPlan& plan)
{
    plan = SweepPlan();
    bool ok = false;
    const std::string text = ReadText(path, ok);
    if (!ok)
    {
        return "sweep='" + path + "' cannot be read";
    }
    json description;
    try
    {
        description = json::parse(text);
    }
    catch (const json::exception& e)
    {
        return path + ": not JSON: " + e.what();
    }
    auto fail = [&path](const std::string& key, const std::string& problem) {
        return path + ": " + key + ": " + problem;
    };
    if (!description.is_object())
    {
        return fail("(top)", "expected an object");
    }
    const std::set<std::string> known{"name",
                                      "description",
                                      "scenario",
                                      "rounds",
                                      "fidelity",
                                      "runs",
                                      "seeds",
                                      "parameters"};
    for (const auto& item : description.items())
    {
        if (known.count(item.key()) == 0)
        {
            return fail(item.key(),
                        "unknown key; allowed: name, description, scenario, rounds, fidelity, "
                        "runs, seeds, parameters");
        }
    }
    if (!description.contains("scenario") || !description["scenario"].is_string())
    {
        return fail("scenario", "missing: the scenario file the sweep varies");
    }
    std::filesystem::path scenarioPath = description["scenario"].get<std::string>();
    if (scenarioPath.is_relative())
    {
        scenarioPath = std::filesystem::absolute(path).parent_path() / scenarioPath;
    }
    plan.m_scenarioPath = std::filesystem::weakly_canonical(scenarioPath).string();
    Scenario scenario;
    std::string problem = Scenario::LoadFile(plan.m_scenarioPath, scenario);
    if (!problem.empty())
    {
        return fail("scenario", problem);
    }
    plan.m_scenarioText = ReadText(plan.m_scenarioPath, ok);
    if (description.contains("rounds"))
    {
        const json& rounds = description["rounds"];
        if (!rounds.is_number_integer() || rounds.get<int64_t>() < 1 ||
            rounds.get<int64_t>() > 1000000)
        {
            return fail("rounds",
                        rounds.dump() + " is invalid: must be an integer in [1, 1000000]");
        }
        plan.m_rounds = rounds.get<int64_t>();
    }
    if (description.contains("fidelity"))
    {
        const json& fidelity = description["fidelity"];
        problem = fidelity.is_string() ? EdgeLlmRuntimeHelper::CheckFidelity(fidelity)
                                       : "expected \"flow\" or \"packet\"";
        if (!problem.empty())
        {
            return fail("fidelity", problem);
        }
        plan.m_fidelity = fidelity.get<std::string>();
    }
    std::vector<std::string> names;
    for (const ScenarioRun& run : scenario.runs)
    {
        names.push_back(run.name);
    }
    if (description.contains("runs"))
    {
        const json& runs = description["runs"];
        if (!runs.is_array() || runs.empty())
        {
            return fail("runs", "expected a non-empty list of the scenario's run names");
        }
        std::set<std::string> seen;
        for (const json& run : runs)
        {
            if (!run.is_string() || !seen.insert(run.get<std::string>()).second)
            {
                return fail("runs", run.dump() + " is not a run name, or is repeated");
            }
            plan.m_runNames.push_back(run.get<std::string>());
        }
        Scenario check = scenario;
        problem = check.SelectRuns(plan.m_runNames);
        if (!problem.empty())
        {
            return fail("runs", problem);
        }
    }
    else
    {
        plan.m_runNames = names;
    }
    if (description.contains("seeds"))
    {
        const json& seeds = description["seeds"];
        if (!seeds.is_array() || seeds.empty() || seeds.size() > Scenario::MAX_SEEDS)
        {
            return fail("seeds",
                        "expected a list of 1 to " + std::to_string(Scenario::MAX_SEEDS) +
                            " ns-3 run numbers");
        }
        std::set<uint64_t> seen;
        for (const json& seed : seeds)
        {
            if (!seed.is_number_integer() || seed.get<int64_t>() < 1 ||
                !seen.insert(seed.get<uint64_t>()).second)
            {
                return fail("seeds",
                            seed.dump() + " is invalid: a run number is an integer >= 1, once");
            }
            plan.m_seeds.push_back(seed.get<uint64_t>());
        }
    }
    else
    {
        plan.m_seeds.push_back(scenario.run);
    }
    json document = json::parse(plan.m_scenarioText);
    if (description.contains("parameters"))
    {
        const json& parameters = description["parameters"];
        if (!parameters.is_object())
        {
            return fail("parameters", "expected an object: dotted path -> list of values");
        }
        for (const auto& item : parameters.items())
        {
            const std::string key = "parameters." + item.key();
            for (const char* axis : {"runs", "run", "seed", "outputDir", "rounds", "fidelity"})
            {
                if (item.key() == axis)
                {
                    return fail(key, "is an axis or setting of the sweep itself, not a parameter");
                }
            }
            if (!Find(document, item.key()))
            {
                return fail(key,
                            "the scenario has no value at this path (a dotted path such as "
                            "network.distance or fleet.groups.0.repeat)");
            }
            if (!item.value().is_array() || item.value().empty() || item.value().size() > 1000)
            {
                return fail(key, "expected a list of 1 to 1000 values");
            }
            plan.m_paths.push_back(item.key());
            for (const json& value : item.value())
            {
                plan.m_values[item.key()].push_back(value.dump());
            }
        }
    }
    uint64_t count = plan.m_runNames.size() * plan.m_seeds.size();
    for (const auto& path : plan.m_paths)
    {
        count *= plan.m_values[path].size();
        if (count > MAX_RUNS)
        {
            break;
        }
    }
    if (count > MAX_RUNS)
    {
        return fail("(axes)",
                    "the product of the axes is over " + std::to_string(MAX_RUNS) + " runs");
    }
    return "";
}

std::string
SweepPlan::Expand(const std::string& directory)
{
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error || !std::filesystem::is_directory(directory))
    {
        return "outputDir='" + directory + "' cannot be created";
    }
    m_directory = std::filesystem::canonical(directory).string();
    m_runs.clear();
    // every point of the parameters' product, the first path slowest
    std::vector<std::map<std::string, std::string>> points(1);
    for (const auto& path : m_paths)
    {
        std::vector<std::map<std::string, std::string>> next;
        for (const auto& point : points)
        {
            for (const auto& value : m_values[path])
            {
                auto extended = point;
                extended[path] = value;
                next.push_back(extended);
            }
        }
        points.swap(next);
    }
    const std::string baseDir = std::filesystem::path(m_scenarioPath).parent_path().string();
    json plan;
    plan["scenario"] = m_scenarioPath;
    plan["parameters"] = m_paths;
    plan["runs"] = json::array();
    for (const auto& point : points)
    {
        for (const auto& name : m_runNames)
        {
            for (uint64_t seed : m_seeds)
            {
                SweepRun run;
                run.index = m_runs.size();
                run.run = name;
                run.seed = seed;
                run.parameters = point;
                run.folder = m_directory + "/run-" + std::to_string(run.index);
                json document = json::parse(m_scenarioText);
                for (const auto& [path, value] : point)
                {
                    *Find(document, path) = json::parse(value);
                }
                json kept = json::array();
                for (const json& entry : document["runs"])
                {
                    if (entry.value("name", "") == name)
                    {
                        kept.push_back(entry);
                    }
                }
                document["runs"] = kept;
                document["run"] = seed;
                document["seeds"] = 1; // the seeds axis repeats the runs, one run number each
                document["outputDir"] = run.folder;
                if (m_rounds > 0)
                {
                    document["rounds"] = m_rounds;
                }
                if (!m_fidelity.empty())
                {
                    document["fidelity"] = m_fidelity;
                }
                // a point the scenario refuses stops the expansion, naming it
                Scenario check;
                std::string problem = Scenario::LoadString(document.dump(),
                                                           "run " + std::to_string(run.index),
                                                           baseDir,
                                                           check);
                if (!problem.empty())
                {
                    return problem;
                }
                std::filesystem::create_directories(run.folder, error);
                problem = WriteText(run.folder + "/scenario.json", document.dump(2) + "\n");
                if (!problem.empty())
                {
                    return problem;
                }
                json entry;
                entry["index"] = run.index;
                entry["run"] = run.run;
                entry["seed"] = run.seed;
                entry["parameters"] = run.parameters;
                entry["folder"] = run.folder;
                plan["runs"].push_back(entry);
                m_runs.push_back(run);
            }
        }
    }
    return WriteText(m_directory + "/plan.json", plan.dump(2) + "\n");
}

std::string
SweepPlan::Open(const std::string& directory, SweepPlan& plan)
{
    plan = SweepPlan();
    bool ok = false;
    const std::string text = ReadText(directory + "/plan.json", ok);
    if (!ok)
    {
        return "outputDir='" + directory + "' has no plan.json: expand the sweep first";
    }
    try
    {
        const json document = json::parse(text);
        plan.m_directory = std::filesystem::canonical(directory).string();
        plan.m_scenarioPath = document.at("scenario").get<std::string>();
        plan.m_paths = document.at("parameters").get<std::vector<std::string>>();
        for (const json& entry : document.at("runs"))
        {
            SweepRun run;
            run.index = entry.at("index").get<uint32_t>();
            run.run = entry.at("run").get<std::string>();
            run.seed = entry.at("seed").get<uint64_t>();
            run.parameters = entry.at("parameters").get<std::map<std::string, std::string>>();
            run.folder = entry.at("folder").get<std::string>();
            plan.m_runs.push_back(run);
        }
    }
    catch (const json::exception& e)
    {
        return directory + "/plan.json: " + e.what();
    }
    return "";
}

int
SweepPlan::RunOne(uint32_t index) const
{
    if (index >= m_runs.size())
    {
        return 2;
    }
    const SweepRun& run = m_runs[index];
    const std::string status = run.folder + "/status";
    WriteText(status, "started\n");
    bool ok = false;
    const std::string text = ReadText(run.folder + "/scenario.json", ok);
    Scenario scenario;
    std::string problem =
        ok ? Scenario::LoadString(text,
                                  run.folder + "/scenario.json",
                                  std::filesystem::path(m_scenarioPath).parent_path().string(),
                                  scenario)
           : run.folder + "/scenario.json cannot be read";
    if (!problem.empty())
    {
        WriteText(status, "failed\n" + problem + "\n");
        return 1;
    }
    RngSeedManager::SetSeed(scenario.seed);
    RngSeedManager::SetRun(scenario.run);
    std::ofstream log(run.folder + "/run.log");
    std::ostringstream err;
    const int code = ScenarioRunner::Run(scenario, log, err);
    log << err.str();
    WriteText(status, code == 0 ? "ok\n" : "failed\n" + err.str());
    return code;
}

const std::vector<SweepRun>&
SweepPlan::GetRuns() const
{
    return m_runs;
}

const std::vector<std::string>&
SweepPlan::GetParameterPaths() const
{
    return m_paths;
}

const std::string&
SweepPlan::GetDirectory() const
{
    return m_directory;
}

std::string
SweepPlan::GetStatus(uint32_t index) const
{
    bool ok = false;
    const std::string text = ReadText(m_runs.at(index).folder + "/status", ok);
    return ok ? text.substr(0, text.find('\n')) : "";
}

std::vector<uint32_t>
SweepPlan::GetUnfinished() const
{
    std::vector<uint32_t> unfinished;
    for (const SweepRun& run : m_runs)
    {
        if (GetStatus(run.index) != "ok")
        {
            unfinished.push_back(run.index);
        }
    }
    return unfinished;
}

std::string
SweepPlan::ArraySpec(const std::vector<uint32_t>& indices)
{
    std::ostringstream out;
    for (std::size_t i = 0; i < indices.size();)
    {
        std::size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1)
        {
            ++j;
        }
        out << (i > 0 ? "," : "") << indices[i];
        if (j > i)
        {
            out << "-" << indices[j];
        }
        i = j + 1;
    }
    return out.str();
}

} // namespace edgellm
} // namespace ns3
