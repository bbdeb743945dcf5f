/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COMMAND_LINE_COUNTS_H
#define EDGE_LLM_COMMAND_LINE_COUNTS_H

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

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COMMAND_LINE_COUNTS_H */
