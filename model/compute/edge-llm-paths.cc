/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/edge-llm-paths.h"

#include <cstdlib>

namespace ns3
{
namespace edgellm
{

std::string
GetEdgeLlmDataPath(const std::string& fileName)
{
    // EDGE_LLM_SOURCE_DIR is defined for this file only, so that the rest of the module compiles
    // to the same objects wherever the sources are (ccache hits across clones).
    const char* overrideDir = std::getenv("EDGE_LLM_DATA_DIR");
    std::string dir = overrideDir != nullptr ? overrideDir : EDGE_LLM_SOURCE_DIR "/data";
    return dir + "/" + fileName;
}

std::string
GetEdgeLlmScenarioPath(const std::string& fileName)
{
    const char* overrideDir = std::getenv("EDGE_LLM_SCENARIO_DIR");
    std::string dir = overrideDir != nullptr ? overrideDir : EDGE_LLM_SOURCE_DIR "/scenarios";
    return dir + "/" + fileName;
}

} // namespace edgellm
} // namespace ns3
