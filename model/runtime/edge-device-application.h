/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_EDGE_DEVICE_APPLICATION_H
#define EDGE_LLM_EDGE_DEVICE_APPLICATION_H

#include "edge-llm-application.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The application on an edge device (phone, Jetson, Raspberry Pi, ...): executes the
 * device's compute tasks and sends its transfers. It takes no decisions; the edge server's
 * coordinator does.
 */
class EdgeDeviceApplication : public EdgeLlmApplication
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    EdgeDeviceApplication();
    ~EdgeDeviceApplication() override;
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_EDGE_DEVICE_APPLICATION_H */
