/* SPDX-License-Identifier: GPL-2.0-only */
#include "fleet.h"

#include "ns3/abort.h"

#include <algorithm>

namespace ns3
{
namespace edgellm
{

void
Fleet::AddGroup(const std::vector<DeviceProfile>& devices)
{
    m_groupFirst.push_back(m_deviceCount);
    m_controlUnitsBefore.push_back(static_cast<uint32_t>(m_controlUnitGroups.size()));
    m_deviceCount += devices.size();
    m_groups.push_back(Group{devices, false, DeviceProfile()});
}

void
Fleet::AddGroup(const std::vector<DeviceProfile>& devices, const DeviceProfile& controlUnit)
{
    AddGroup(devices);
    m_groups.back().hasControlUnit = true;
    m_groups.back().controlUnit = controlUnit;
    m_controlUnitGroups.push_back(static_cast<uint32_t>(m_groups.size() - 1));
}

void
Fleet::SetServer(const DeviceProfile& server)
{
    m_server = server;
    m_hasServer = true;
}

std::string
Fleet::Validate() const
{
    if (m_groups.empty())
    {
        return "fleet: no device group; add at least one";
    }
    for (uint32_t g = 0; g < m_groups.size(); ++g)
    {
        if (m_groups[g].devices.empty())
        {
            return "fleet: group " + std::to_string(g) + " has no device; name at least one";
        }
        if (GetGroupSize(g) == 0)
        {
            return "fleet: every device of group " + std::to_string(g) + " has left";
        }
    }
    if (!m_hasServer)
    {
        return "fleet: no edge server profile";
    }
    if (m_cells > m_groups.size())
    {
        return "fleet: cells=" + std::to_string(m_cells) + " is more than its " +
               std::to_string(m_groups.size()) + " groups; every cell needs a group";
    }
    return "";
}

void
Fleet::SetCellCount(uint32_t cells)
{
    NS_ABORT_MSG_IF(cells < 1, "Fleet::SetCellCount: cells=" << cells << " needs at least 1");
    m_cells = cells;
}

uint32_t
Fleet::GetCellCount() const
{
    return m_cells;
}

uint32_t
Fleet::GetGroupCell(uint32_t group) const
{
    NS_ABORT_MSG_IF(group >= m_groups.size(), "group=" << group << " is not a fleet group");
    return static_cast<uint32_t>(uint64_t{group} * m_cells / m_groups.size());
}

uint32_t
Fleet::GetCellServerNode(uint32_t cell) const
{
    NS_ABORT_MSG_IF(cell >= m_cells,
                    "cell=" << cell << " is not a cell of the fleet; allowed: 0.." << m_cells - 1);
    return m_cells > 1 ? GetTerminalCount() + cell : GetServerNode();
}

uint32_t
Fleet::GetGroupServerNode(uint32_t group) const
{
    return GetCellServerNode(GetGroupCell(group));
}

uint32_t
Fleet::GetTerminalCount() const
{
    return m_deviceCount + static_cast<uint32_t>(m_controlUnitGroups.size());
}

std::vector<uint32_t>
Fleet::GetTerminalCells() const
{
    std::vector<uint32_t> cells;
    for (uint32_t g = 0; g < m_groups.size(); ++g)
    {
        cells.insert(cells.end(), m_groups[g].devices.size(), GetGroupCell(g));
    }
    for (uint32_t g = 0; g < m_groups.size(); ++g)
    {
        if (m_groups[g].hasControlUnit)
        {
            cells.push_back(GetGroupCell(g));
        }
    }
    return cells;
}

uint32_t
Fleet::GetGroupCount() const
{
    return m_groups.size();
}

uint32_t
Fleet::GetGroupSize(uint32_t group) const
{
    NS_ABORT_MSG_IF(group >= m_groups.size(), "group=" << group << " is not a fleet group");
    const uint32_t first = GetFirstNode(group);
    uint32_t present = 0;
    for (uint32_t i = 0; i < m_groups[group].devices.size(); ++i)
    {
        present += m_departed.count(first + i) == 0 ? 1 : 0;
    }
    return present;
}

uint32_t
Fleet::GetFirstNode(uint32_t group) const
{
    return m_groupFirst[group];
}

std::string
Fleet::MarkDeparted(uint32_t node)
{
    if (node >= GetDeviceCount())
    {
        return "node " + std::to_string(node) + " is " +
               (node >= GetTerminalCount() ? std::string("an edge server")
                                           : std::string("a control unit")) +
               "; only group devices may leave a fleet";
    }
    m_departed.insert(node);
    return "";
}

bool
Fleet::HasDeparted(uint32_t node) const
{
    return m_departed.count(node) > 0;
}

uint32_t
Fleet::GetDeviceCount() const
{
    return m_deviceCount;
}

bool
Fleet::HasControlUnit(uint32_t group) const
{
    NS_ABORT_MSG_IF(group >= m_groups.size(), "group=" << group << " is not a fleet group");
    return m_groups[group].hasControlUnit;
}

uint32_t
Fleet::GetDeviceNode(uint32_t group, uint32_t i) const
{
    NS_ABORT_MSG_IF(i >= GetGroupSize(group),
                    "device " << i << " of group " << group << " does not exist");
    // the i-th device still present
    uint32_t node = GetFirstNode(group);
    for (uint32_t present = 0;; ++node)
    {
        if (m_departed.count(node) == 0 && present++ == i)
        {
            return node;
        }
    }
}

uint32_t
Fleet::GetControlUnitNode(uint32_t group) const
{
    NS_ABORT_MSG_IF(!HasControlUnit(group), "group " << group << " has no control unit");
    return m_deviceCount + m_controlUnitsBefore[group];
}

uint32_t
Fleet::GetNodeCount() const
{
    return GetTerminalCount() + (m_cells > 1 ? m_cells : 0);
}

uint32_t
Fleet::GetServerNode() const
{
    return GetNodeCount();
}

const DeviceProfile&
Fleet::GetProfile(uint32_t node) const
{
    if (node < m_deviceCount)
    {
        // the last group that starts at or before the node (groups have at least one device)
        const auto group =
            static_cast<uint32_t>(std::upper_bound(m_groupFirst.begin(), m_groupFirst.end(), node) -
                                  m_groupFirst.begin() - 1);
        return m_groups[group].devices[node - m_groupFirst[group]];
    }
    if (node < GetTerminalCount())
    {
        return m_groups[m_controlUnitGroups[node - m_deviceCount]].controlUnit;
    }
    // the cells' servers (with several cells) and the server share the server's profile
    NS_ABORT_MSG_IF(node > GetServerNode(),
                    "node=" << node << " is not in the fleet (" << GetServerNode() + 1
                            << " nodes)");
    return m_server;
}

std::vector<DeviceProfile>
Fleet::GetProfiles() const
{
    std::vector<DeviceProfile> profiles;
    for (uint32_t node = 0; node <= GetServerNode(); ++node)
    {
        profiles.push_back(GetProfile(node));
    }
    return profiles;
}

std::vector<std::string>
Fleet::GetNodeNames() const
{
    std::vector<std::string> names;
    for (uint32_t node = 0; node <= GetServerNode(); ++node)
    {
        names.push_back(GetProfile(node).GetName() + "-" + std::to_string(node));
    }
    return names;
}

} // namespace edgellm
} // namespace ns3
