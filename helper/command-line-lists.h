/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COMMAND_LINE_LISTS_H
#define EDGE_LLM_COMMAND_LINE_LISTS_H

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Split a command-line list such as "jetson-nano,raspberry-pi-4".
 * \param text comma-separated items
 * \return the non-empty items, in order
 */
std::vector<std::string> SplitCommaSeparated(const std::string& text);

/**
 * \ingroup edge-llm
 * \brief Parse a command-line list of numbers such as "100,300,1000".
 * \param option the option's name, for the message
 * \param text comma-separated numbers (empty: no number)
 * \param min the least allowed
 * \param max the largest allowed
 * \param[out] values the numbers, in order
 * \return "" or "<option>='<text>' is invalid: each must be a number from <min> to <max>"
 */
std::string ParseNumberList(const std::string& option,
                            const std::string& text,
                            double min,
                            double max,
                            std::vector<double>& values);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COMMAND_LINE_LISTS_H */
