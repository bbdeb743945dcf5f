/* SPDX-License-Identifier: GPL-2.0-only */
#include "command-line-counts.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmCommandLineCounts");

void
RequireOutputDirectory(const std::string& option, const std::string& directory)
{
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error || directory.empty())
    {
        NS_FATAL_ERROR(option << "='" << directory << "' is not writable ("
                              << (directory.empty() ? "empty" : error.message()) << ")");
    }
}

std::string
CheckCountOption(const std::string& option,
                 int64_t value,
                 int64_t min,
                 int64_t max,
                 const std::string& allowed)
{
    if (value >= min && value <= max)
    {
        return "";
    }
    std::string rule = allowed;
    if (rule.empty())
    {
        if (value < min)
        {
            rule =
                min == 1 ? "must be a positive integer" : "must be at least " + std::to_string(min);
        }
        else
        {
            rule = "must be at most " + std::to_string(max);
        }
    }
    return option + "=" + std::to_string(value) + " is invalid: " + rule;
}

uint32_t
RequireCountOption(const std::string& option,
                   int64_t value,
                   int64_t min,
                   int64_t max,
                   const std::string& allowed)
{
    NS_LOG_FUNCTION(option << value << min << max);
    if (min < 0 || max > UINT32_MAX || min > max)
    {
        NS_FATAL_ERROR("RequireCountOption: option '" << option << "' has the range [" << min
                                                      << ", " << max
                                                      << "]; allowed: within [0, 4294967295]");
    }
    const std::string problem = CheckCountOption(option, value, min, max, allowed);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return static_cast<uint32_t>(value);
}

namespace
{

/// the program named in an uncaught exception's line
std::string g_program;

/// std::terminate's handler for programs: keep what was written, exit 2 without a core dump
[[noreturn]] void
TerminateWithExitCode()
{
    if (std::exception_ptr error = std::current_exception())
    {
        try
        {
            std::rethrow_exception(error);
        }
        catch (const std::exception& e)
        {
            std::cerr << g_program << ": " << e.what() << std::endl;
        }
        catch (...)
        {
            std::cerr << g_program << ": stopped by an unknown exception" << std::endl;
        }
    }
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(2);
}

} // namespace

void
RefuseExtraArguments(const CommandLine& cmd)
{
    if (cmd.GetNExtraNonOptions() > 0)
    {
        NS_FATAL_ERROR("unexpected argument '" << cmd.GetExtraNonOption(0)
                                               << "'; options are --name=value (--help)");
    }
}

void
ExitOnRefusal(const std::string& program)
{
    g_program = program;
    std::set_terminate(&TerminateWithExitCode);
}

} // namespace edgellm
} // namespace ns3
