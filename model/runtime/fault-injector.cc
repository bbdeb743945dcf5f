/* SPDX-License-Identifier: GPL-2.0-only */
#include "fault-injector.h"

#include "edge-llm-application.h"
#include "task-graph-execution.h"

#include "ns3/edge-network.h"
#include "ns3/flow-network-model.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmFaultInjector");
NS_OBJECT_ENSURE_REGISTERED(FaultInjector);

TypeId
FaultInjector::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FaultInjector")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<FaultInjector>()
            .AddTraceSource("Fault",
                            "Something happened to a node (node, what: leave, outage, back, "
                            "battery)",
                            MakeTraceSourceAccessor(&FaultInjector::m_faultTrace),
                            "ns3::FaultInjector::FaultCallback");
    return tid;
}

FaultInjector::FaultInjector() = default;
FaultInjector::~FaultInjector() = default;

void
FaultInjector::DoDispose()
{
    m_network = nullptr;
    m_flowModel = nullptr;
    m_execution = nullptr;
    Object::DoDispose();
}

bool
FaultInjector::ParseKind(const std::string& kind, FaultEvent::Kind& parsed)
{
    if (kind == "leave")
    {
        parsed = FaultEvent::LEAVE;
        return true;
    }
    if (kind == "outage")
    {
        parsed = FaultEvent::OUTAGE;
        return true;
    }
    return false;
}

std::string
FaultInjector::CheckEvent(const FaultEvent& event, uint32_t devices)
{
    std::ostringstream os;
    if (event.node >= devices)
    {
        os << "node=" << event.node << " cannot fail: only group devices fail, nodes 0.."
           << (devices == 0 ? 0 : devices - 1);
        return os.str();
    }
    if (event.at.IsStrictlyNegative())
    {
        os << "at=" << event.at.GetSeconds() << " is invalid: must be >= 0 (seconds)";
        return os.str();
    }
    if (event.kind == FaultEvent::OUTAGE && !event.duration.IsStrictlyPositive())
    {
        os << "duration=" << event.duration.GetSeconds()
           << " is invalid: an outage lasts > 0 seconds";
        return os.str();
    }
    return "";
}

std::string
FaultInjector::LoadChurnTrace(const std::string& path, std::vector<FaultEvent>& events)
{
    std::ifstream in(path);
    if (!in)
    {
        return "churnTrace='" + path + "' cannot be read";
    }
    std::string line;
    uint32_t number = 0;
    while (std::getline(in, line))
    {
        ++number;
        if (number == 1 || line.empty() || line[0] == '#')
        {
            continue; // the header, blank lines and comments
        }
        std::vector<std::string> fields;
        std::stringstream row(line);
        for (std::string field; std::getline(row, field, ',');)
        {
            fields.push_back(field);
        }
        const std::string where = "churnTrace='" + path + "' line " + std::to_string(number);
        if (fields.size() < 3 || fields.size() > 4)
        {
            return where + ": '" + line + "' has " + std::to_string(fields.size()) +
                   " fields; expected time_s,node,event[,duration_s]";
        }
        FaultEvent event;
        try
        {
            size_t used = 0;
            const double at = std::stod(fields[0], &used);
            const long long node = std::stoll(fields[1]);
            const double duration =
                fields.size() == 4 && !fields[3].empty() ? std::stod(fields[3]) : 0.0;
            if (!std::isfinite(at) || !std::isfinite(duration) || node < 0 ||
                node > std::numeric_limits<uint32_t>::max())
            {
                return where + ": time_s, node or duration_s out of range in '" + line + "'";
            }
            event.at = Seconds(at);
            event.node = static_cast<uint32_t>(node);
            event.duration = Seconds(duration);
        }
        catch (const std::exception&)
        {
            return where + ": '" + line + "' is not time_s,node,event[,duration_s] (numbers)";
        }
        if (!ParseKind(fields[2], event.kind))
        {
            return where + ": event='" + fields[2] + "' is invalid: allowed: leave, outage";
        }
        events.push_back(event);
    }
    return "";
}

void
FaultInjector::Setup(Ptr<EdgeNetwork> network,
                     Ptr<FlowNetworkModel> flowModel,
                     Ptr<TaskGraphExecution> execution)
{
    NS_ABORT_MSG_IF(!network || !execution, "FaultInjector::Setup needs a network and a runtime");
    m_network = network;
    m_flowModel = flowModel;
    m_execution = execution;
    m_gone.assign(network->GetNodeCount(), false);
    m_outages.assign(network->GetNodeCount(), 0);
}

void
FaultInjector::AddEvent(const FaultEvent& event)
{
    m_events.push_back(event);
}

void
FaultInjector::Start()
{
    NS_ABORT_MSG_IF(!m_network, "FaultInjector::Start before Setup");
    for (const FaultEvent& event : m_events)
    {
        NS_ABORT_MSG_IF(event.node >= m_gone.size(),
                        "FaultInjector: node " << event.node << " is not a node of the run");
        if (event.kind == FaultEvent::LEAVE)
        {
            Simulator::Schedule(event.at,
                                &FaultInjector::Leave,
                                this,
                                event.node,
                                std::string("leave"));
        }
        else
        {
            Simulator::Schedule(event.at,
                                &FaultInjector::BeginOutage,
                                this,
                                event.node,
                                event.duration);
        }
    }
}

void
FaultInjector::SetConnected(uint32_t node, bool connected)
{
    if (m_flowModel)
    {
        m_flowModel->SetNodeConnected(node, connected);
    }
    else
    {
        m_network->SetNodeConnected(node, connected);
    }
}

void
FaultInjector::Log(uint32_t node, const std::string& what, Time duration)
{
    NS_LOG_INFO(Simulator::Now().As(Time::S) << ": node " << node << " " << what);
    m_log.push_back(FaultRecord{Simulator::Now().GetSeconds(), node, what, duration.GetSeconds()});
    m_faultTrace(node, what);
}

void
FaultInjector::Leave(uint32_t node, const std::string& what)
{
    if (m_gone[node])
    {
        return;
    }
    m_gone[node] = true;
    SetConnected(node, false);
    m_execution->GetApplication(node)->Halt();
    Log(node, what, Seconds(0));
}

void
FaultInjector::NotifyBatteryDepleted(uint32_t node)
{
    NS_ABORT_MSG_IF(node >= m_gone.size(), "FaultInjector: no node " << node);
    // later in this instant: the source reports depletion from inside the energy model's own
    // state change, which the node's halt would re-enter
    Simulator::ScheduleNow(&FaultInjector::Leave, this, node, std::string("battery"));
}

void
FaultInjector::BeginOutage(uint32_t node, Time duration)
{
    if (m_gone[node])
    {
        return;
    }
    if (m_outages[node]++ == 0)
    {
        SetConnected(node, false);
    }
    Log(node, "outage", duration);
    Simulator::Schedule(duration, &FaultInjector::EndOutage, this, node);
}

void
FaultInjector::EndOutage(uint32_t node)
{
    if (--m_outages[node] > 0 || m_gone[node])
    {
        return;
    }
    SetConnected(node, true);
    Log(node, "back", Seconds(0));
}

const std::vector<FaultRecord>&
FaultInjector::GetLog() const
{
    return m_log;
}

} // namespace edgellm
} // namespace ns3
