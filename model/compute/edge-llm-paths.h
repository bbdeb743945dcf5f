/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDGE_LLM_PATHS_H
#define EDGE_LLM_EDGE_LLM_PATHS_H

#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Path of a file shipped in the module's data/ folder.
 *
 * The folder is the module source's data/ (known at build time); the environment variable
 * EDGE_LLM_DATA_DIR overrides it, for an installed or relocated module.
 *
 * \param fileName a file name inside data/, for example "devices.json"
 * \return the full path
 */
std::string GetEdgeLlmDataPath(const std::string& fileName);

/**
 * \ingroup edge-llm
 * \brief Path of a scenario file shipped in the module's scenarios/ folder
 * (EDGE_LLM_SCENARIO_DIR overrides the folder).
 * \param fileName a file name, e.g. "collapipe-wifi.json"
 * \return its path
 */
std::string GetEdgeLlmScenarioPath(const std::string& fileName);

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EDGE_LLM_PATHS_H */
