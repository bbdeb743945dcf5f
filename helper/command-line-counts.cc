/* SPDX-License-Identifier: GPL-2.0-only */
#include "command-line-counts.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <regex>
#include <streambuf>
#include <string>

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

/// the program named in a refusal's line
std::string g_program;

/**
 * A stream buffer in front of stderr that turns ns-3's refusal text into one line.
 *
 * NS_FATAL_ERROR and NS_ABORT_MSG write 'msg="<message>", ' on std::cerr, the simulation time
 * on std::clog, then 'file=<source>, line=<n>'; NS_ABORT_MSG_IF puts 'aborted. cond="<c>", '
 * first. For a user of a program that is a crash report: this writes "<program>: <message>"
 * instead. Every other line (logs, progress, NS_ASSERT's report of a programming error, which
 * keeps its file and line) goes through unchanged. std::cerr is unit-buffered, so the buffer
 * holds a line back only while it may still become a refusal.
 */
class RefusalLineFilter : public std::streambuf
{
  public:
    /// \param target where the text goes (stderr's own buffer)
    explicit RefusalLineFilter(std::streambuf* target)
        : m_target(target)
    {
    }

    /// Write out whatever is held back, unchanged (the process is ending).
    void Release()
    {
        Write(m_block + m_line);
        m_block.clear();
        m_line.clear();
        m_target->pubsync();
    }

  protected:
    int overflow(int c) override
    {
        if (c != traits_type::eof())
        {
            Put(static_cast<char>(c));
        }
        return traits_type::not_eof(c);
    }

    std::streamsize xsputn(const char* text, std::streamsize n) override
    {
        for (std::streamsize i = 0; i < n; ++i)
        {
            Put(text[i]);
        }
        return n;
    }

    int sync() override
    {
        // a partial line that cannot start a refusal goes out now (a prompt, a progress line)
        if (m_block.empty() && !MayStartRefusal(m_line))
        {
            Write(m_line);
            m_line.clear();
        }
        return m_target->pubsync();
    }

  private:
    /// \return true if \p line is, or may grow into, the first line of a refusal
    static bool MayStartRefusal(const std::string& line)
    {
        for (const std::string marker : {"msg=\"", "aborted. cond=\""})
        {
            const size_t n = std::min(line.size(), marker.size());
            if (line.compare(0, n, marker, 0, n) == 0)
            {
                return true;
            }
        }
        return false;
    }

    /// \param c the next character
    void Put(char c)
    {
        m_line += c;
        if (c != '\n')
        {
            return;
        }
        std::string line;
        line.swap(m_line);
        if (m_block.empty() && !MayStartRefusal(line))
        {
            Write(line);
            return;
        }
        m_block += line;
        static const std::regex end(R"re(file=[^\n]*, line=[0-9]+\n$)re");
        static const std::regex refusal(
            R"re(^(?:aborted\. cond="[\s\S]*?", )?msg="([\s\S]*)", [^\n]*?file=[^\n]*, line=[0-9]+\n$)re");
        if (!std::regex_search(line, end))
        {
            return; // the message goes on over several lines
        }
        std::smatch match;
        if (std::regex_match(m_block, match, refusal))
        {
            Write(g_program + ": " + match[1].str() + "\n");
        }
        else
        {
            Write(m_block);
        }
        m_block.clear();
    }

    /// \param text written to the target as is
    void Write(const std::string& text)
    {
        m_target->sputn(text.data(), static_cast<std::streamsize>(text.size()));
    }

    std::streambuf* m_target; //!< stderr's buffer
    std::string m_line;       //!< the current line, not yet ended
    std::string m_block;      //!< lines of a refusal in progress
};

/// the filter in front of std::cerr and std::clog, once installed
RefusalLineFilter* g_filter = nullptr;

/// std::terminate's handler for programs: keep what was written, exit 2 without a core dump
[[noreturn]] void
TerminateWithExitCode()
{
    std::cout.flush();
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
    std::cerr.flush();
    if (g_filter)
    {
        g_filter->Release();
    }
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
    if (!g_filter)
    {
        // lives until the process ends: the streams use it to the last line
        g_filter = new RefusalLineFilter(std::cerr.rdbuf());
        std::cerr.rdbuf(g_filter);
        std::clog.rdbuf(g_filter);
        // a last line without its newline still goes out at a normal exit
        std::atexit([]() { g_filter->Release(); });
    }
    std::set_terminate(&TerminateWithExitCode);
}

} // namespace edgellm
} // namespace ns3
