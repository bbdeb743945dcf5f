/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_DEVICE_CATALOG_H
#define EDGE_LLM_DEVICE_CATALOG_H

#include "device-profile.h"

#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A named set of DeviceProfile, read from a JSON file such as data/devices.json.
 *
 * The file is either an array of device objects or an object
 * `{"description": "...", "devices": [ ... ]}`. Each device object has exactly these fields
 * (an unknown field is an error, so a typo cannot silently drop a figure):
 *
 * - "name" (string), "description" (string), "notes" (string, optional)
 * - "peak_tflops": {"fp32": x, "fp16": x, "bf16": x} in 10^12 FLOP/s, dense
 * - "efficiency": fraction of peak reached on dense Transformer layers, in (0, 1]
 * - "memory_gib": usable memory in GiB (2^30 bytes)
 * - "memory_bandwidth_gb_per_s": peak memory bandwidth in GB/s (10^9 bytes/s)
 * - "busy_power_w", "idle_power_w": watts
 * - "max_tx_power_dbm": the radio's maximum transmit power in dBm
 * - optional, all three or none: "storage_gb" (storage free for a cache of activations, GB of
 *   10^9 bytes), "storage_read_mb_per_s" and "storage_write_mb_per_s" (sequential rates, MB/s
 *   of 10^6 bytes)
 * - "sources": {field: "document title, URL"} with one entry for each figure above
 *
 * Loading is all or nothing: on a problem the catalog keeps its previous content.
 */
class DeviceCatalog
{
  public:
    /** An empty catalog. */
    DeviceCatalog();

    /**
     * \brief Replace the content with the devices of a JSON file.
     * \param path the file
     * \return an empty string on success, otherwise the problem
     */
    std::string LoadFile(const std::string& path);

    /**
     * \brief Replace the content with the devices of a JSON text.
     * \param json the text
     * \param origin where the text comes from, used in messages (a path or a label)
     * \return an empty string on success, otherwise the problem
     */
    std::string LoadString(const std::string& json, const std::string& origin);

    /**
     * \brief Add one device built in code.
     * \param device the profile; must validate and have a name not yet in the catalog
     * \return an empty string on success, otherwise the problem
     */
    std::string Add(const DeviceProfile& device);

    /**
     * \brief Look a device up.
     * \param name the device name
     * \param[out] out the profile, untouched when not found
     * \return an empty string when found, otherwise the problem listing the allowed names
     */
    std::string Find(const std::string& name, DeviceProfile& out) const;

    /**
     * \brief Look several devices up, in order (a fleet given by names).
     * \param names the device names
     * \param[out] out their profiles, appended up to the first name not found
     * \return an empty string when all were found, otherwise Find's problem for the first
     */
    std::string FindAll(const std::vector<std::string>& names,
                        std::vector<DeviceProfile>& out) const;

    /**
     * \param name a device name
     * \return true when the catalog has a device of that name
     */
    bool Contains(const std::string& name) const;

    /** \return the device names in file order */
    std::vector<std::string> GetNames() const;

    /** \return the number of devices */
    std::size_t GetN() const;

    /** \return where the content was loaded from (path or label), empty if never loaded */
    std::string GetOrigin() const;

    /**
     * \brief Look a device up, stopping the run when it is not there.
     * \param name the device name
     * \return the profile
     */
    DeviceProfile Get(const std::string& name) const;

    /**
     * \brief The catalog shipped with the module: GetEdgeLlmDataPath("devices.json").
     *
     * Stops the run with the problem when the file is missing or invalid.
     *
     * \return the loaded catalog
     */
    static DeviceCatalog LoadDefault();

  private:
    std::string m_origin;                 //!< path or label of the loaded content
    std::vector<DeviceProfile> m_devices; //!< devices in file order
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_DEVICE_CATALOG_H */
