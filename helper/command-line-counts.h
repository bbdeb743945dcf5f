/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COMMAND_LINE_COUNTS_H
#define EDGE_LLM_COMMAND_LINE_COUNTS_H

#include "ns3/command-line.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Check a count read from the command line.
 *
 * Read a count option as int64_t, not as an unsigned type: CommandLine parses "-1" into a
 * uint32_t as 4294967295, so a negative count would silently become a huge one.
 *
 * \param option the option's name, e.g. "microBatches"
 * \param value the value as parsed
 * \param min the smallest allowed value
 * \param max the largest allowed value
 * \param allowed what is allowed, in words (e.g. "allowed 1..255"); when empty: "must be a
 *        positive integer" for a value below a minimum of 1, "must be at least <min>" for
 *        another minimum, "must be at most <max>" above the maximum
 * \return "" when min <= value <= max, otherwise "<option>=<value> is invalid: <allowed>"
 */
std::string CheckCountOption(const std::string& option,
                             int64_t value,
                             int64_t min,
                             int64_t max,
                             const std::string& allowed = "");

/**
 * \ingroup edge-llm
 * \brief The count as a uint32_t, or stop the run (NS_FATAL_ERROR) with CheckCountOption's
 * message.
 * \param option the option's name
 * \param value the value as parsed
 * \param min the smallest allowed value (>= 0)
 * \param max the largest allowed value (<= UINT32_MAX)
 * \param allowed what is allowed, in words (see CheckCountOption)
 * \return the value
 */
uint32_t RequireCountOption(const std::string& option,
                            int64_t value,
                            int64_t min,
                            int64_t max = UINT32_MAX,
                            const std::string& allowed = "");

/**
 * \brief Create a program's output folder before it simulates anything, or stop with
 * NS_FATAL_ERROR "<option>='<folder>' is not writable (<reason>)".
 * \param option the option's name (outputDir)
 * \param directory the folder (created with its parents when missing)
 */
void RequireOutputDirectory(const std::string& option, const std::string& directory);

/**
 * \brief Refuse an argument the command line did not declare (a stray word, a value without
 * its --name=): NS_FATAL_ERROR "unexpected argument 'x'; options are --name=value (--help)".
 * \param cmd the parsed command line
 */
void RefuseExtraArguments(const CommandLine& cmd);

/**
 * \brief For programs: a refusal (NS_FATAL_ERROR, NS_ABORT_MSG, an uncaught exception) ends the
 * process with exit code 2 after its message, not with SIGABRT and a core dump.
 *
 * ns-3 prints the message and calls std::terminate; this installs the terminate handler that
 * flushes the output streams (what was computed before is kept), prints an uncaught
 * exception's what() as "program: message", and exits with 2. A filter in front of std::cerr
 * and std::clog rewrites ns-3's refusal text (msg="...", the time, file=..., line=...) as the
 * one line "program: message"; NS_ASSERT's reports of programming errors keep their source
 * file and line. Call it first in main().
 * \param program the program's name, for the exception's line
 */
void ExitOnRefusal(const std::string& program);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COMMAND_LINE_COUNTS_H */
