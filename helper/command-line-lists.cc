/* SPDX-License-Identifier: GPL-2.0-only */
#include "command-line-lists.h"

#include <sstream>

namespace ns3
{
namespace edgellm
{

std::vector<std::string>
SplitCommaSeparated(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ','))
    {
        if (!item.empty())
        {
            items.push_back(item);
        }
    }
    return items;
}

} // namespace edgellm
} // namespace ns3
