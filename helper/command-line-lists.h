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

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COMMAND_LINE_LISTS_H */
