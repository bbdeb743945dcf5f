/* SPDX-License-Identifier: GPL-2.0-only */
#include "command-line-lists.h"

#include <cmath>
#include <cstdlib>
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

std::string
ParseNumberList(const std::string& option,
                const std::string& text,
                double min,
                double max,
                std::vector<double>& values)
{
    values.clear();
    for (const std::string& item : SplitCommaSeparated(text))
    {
        char* end = nullptr;
        const double value = std::strtod(item.c_str(), &end);
        if (end == item.c_str() || *end != '\0' || !std::isfinite(value) || value < min ||
            value > max)
        {
            std::ostringstream out;
            out << option << "='" << text << "' is invalid: each must be a number from " << min
                << " to " << max;
            return out.str();
        }
        values.push_back(value);
    }
    return "";
}

} // namespace edgellm
} // namespace ns3
