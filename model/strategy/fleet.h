/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_FLEET_H
#define EDGE_LLM_FLEET_H

#include "ns3/device-profile.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The devices of a study and where each one sits in the network.
 *
 * Devices come in groups (CollaPipe's clusters, PAC's device pool, Galaxy's devices); a group
 * may have a control unit (CollaPipe's cluster head). Node indices, as EdgeNetworkHelper
 * installs them: the groups' devices group by group, then the control units in group order,
 * then (with several cells) the cells' edge servers, then the edge server, whose index is
 * GetNodeCount().
 */
class Fleet
{
  public:
    /**
     * \brief Add a group without a control unit.
     * \param devices its devices, in order
     */
    void AddGroup(const std::vector<DeviceProfile>& devices);

    /**
     * \brief Add a group with a control unit.
     * \param devices its devices, in order
     * \param controlUnit its control unit
     */
    void AddGroup(const std::vector<DeviceProfile>& devices, const DeviceProfile& controlUnit);

    /** \param server the edge server's profile */
    void SetServer(const DeviceProfile& server);

    /** \return "" when usable, otherwise what is missing ("fleet: no device group", ...) */
    std::string Validate() const;

    /** \return the number of groups */
    uint32_t GetGroupCount() const;
    /** \param group a group \return its device count (the devices that have not left) */
    uint32_t GetGroupSize(uint32_t group) const;
    /**
     * \return the devices of all groups (control units and the server excluded), those that
     * left included: the node layout, which never changes
     */
    uint32_t GetDeviceCount() const;
    /**
     * \brief A device left the fleet (it failed, or its battery is empty): the groups no longer
     * list it (GetGroupSize, GetDeviceNode); its node index stays its own.
     * \param node a group device's node
     * \return "" or why it cannot leave (a control unit or the server)
     */
    std::string MarkDeparted(uint32_t node);
    /** \param node a node \return whether it left (MarkDeparted) */
    bool HasDeparted(uint32_t node) const;
    /** \param group a group \return whether it has a control unit */
    bool HasControlUnit(uint32_t group) const;
    /**
     * \param group a group \param i its i-th device still present
     * \return the node index
     */
    uint32_t GetDeviceNode(uint32_t group, uint32_t i) const;
    /** \param group a group with a control unit \return the control unit's node index */
    uint32_t GetControlUnitNode(uint32_t group) const;
    /**
     * \brief Spread the groups over C cells (default 1): group g in cell floor(g C / G), each
     * cell with an edge server of its own (a copy of the server's profile) at node
     * GetTerminalCount() + c, before the server, which then aggregates over the cells.
     * \param cells C >= 1 (Validate checks C <= groups)
     */
    void SetCellCount(uint32_t cells);
    /** \return the cell count C */
    uint32_t GetCellCount() const;
    /** \param group a group \return its cell */
    uint32_t GetGroupCell(uint32_t group) const;
    /**
     * \param cell a cell
     * \return its edge server's node: GetTerminalCount() + cell with C > 1 cells, the server
     *         with one
     */
    uint32_t GetCellServerNode(uint32_t cell) const;
    /** \param group a group \return the edge server of its cell (GetCellServerNode) */
    uint32_t GetGroupServerNode(uint32_t group) const;
    /** \return the devices and control units (what EdgeNetworkHelper::Install takes) */
    uint32_t GetTerminalCount() const;
    /**
     * \return the cell of each device and control unit, in node order (what
     *         EdgeNetworkHelper::SetDeviceCells takes)
     */
    std::vector<uint32_t> GetTerminalCells() const;
    /** \return the nodes besides the server: devices, control units and cell servers */
    uint32_t GetNodeCount() const;
    /** \return the server's node index (= GetNodeCount()) */
    uint32_t GetServerNode() const;
    /** \param node a node index \return its profile */
    const DeviceProfile& GetProfile(uint32_t node) const;
    /** \return every node's profile by index, the server's last */
    std::vector<DeviceProfile> GetProfiles() const;
    /** \return "<profile>-<node>" for every node, the recorder's device names */
    std::vector<std::string> GetNodeNames() const;

  private:
    /// one group
    struct Group
    {
        std::vector<DeviceProfile> devices; //!< in order
        bool hasControlUnit{false};         //!< whether controlUnit is used
        DeviceProfile controlUnit;          //!< its control unit
    };

    /// \param group a group \return its first device's node (departed or not)
    uint32_t GetFirstNode(uint32_t group) const;

    std::vector<Group> m_groups;                //!< in order
    std::vector<uint32_t> m_groupFirst;         //!< per group, its first device's node
    std::vector<uint32_t> m_controlUnitsBefore; //!< per group, control units of earlier groups
    std::vector<uint32_t> m_controlUnitGroups;  //!< the groups with a control unit, in order
    uint32_t m_deviceCount{0};                  //!< devices of all groups
    std::set<uint32_t> m_departed;              //!< devices that left
    DeviceProfile m_server;                     //!< the edge server
    uint32_t m_cells{1};                        //!< cells (SetCellCount)
    bool m_hasServer{false};                    //!< SetServer was called
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_FLEET_H */
