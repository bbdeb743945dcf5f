/* SPDX-License-Identifier: GPL-2.0-only */
#include "run-progress.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRunProgress");
NS_OBJECT_ENSURE_REGISTERED(RunProgress);

TypeId
RunProgress::GetTypeId()
{
    static TypeId tid = TypeId("ns3::edgellm::RunProgress")
                            .SetParent<Object>()
                            .SetGroupName("EdgeLlm")
                            .AddConstructor<RunProgress>()
                            .AddAttribute("Interval",
                                          "Wall time between progress lines (at most).",
                                          TimeValue(Seconds(10)),
                                          MakeTimeAccessor(&RunProgress::m_interval),
                                          MakeTimeChecker(MilliSeconds(1)))
                            .AddAttribute("MaxStep",
                                          "Most simulated time between two checks. The step "
                                          "grows while checks come quickly (compute-only "
                                          "stretches); this bound keeps one step of a "
                                          "packet-heavy stretch after them from taking "
                                          "minutes of wall time without a line.",
                                          TimeValue(MilliSeconds(100)),
                                          MakeTimeAccessor(&RunProgress::m_maxStep),
                                          MakeTimeChecker(NanoSeconds(1)));
    return tid;
}

RunProgress::RunProgress()
    : m_step(MilliSeconds(1)),
      m_os(&std::cerr)
{
}

RunProgress::~RunProgress() = default;

void
RunProgress::DoDispose()
{
    m_event.Cancel();
    m_bytes = nullptr;
    m_done = nullptr;
    Object::DoDispose();
}

void
RunProgress::SetStream(std::ostream* os)
{
    m_os = os;
}

uint32_t
RunProgress::GetLineCount() const
{
    return m_lines;
}

void
RunProgress::Start(const std::string& label,
                   std::function<uint64_t()> bytesDelivered,
                   std::function<double()> fractionDone)
{
    m_label = label;
    m_bytes = std::move(bytesDelivered);
    m_done = std::move(fractionDone);
    m_start = std::chrono::steady_clock::now();
    m_lastLine = m_start;
    m_lastCheck = m_start;
    m_event.Cancel();
    m_event = Simulator::Schedule(m_step, &RunProgress::Check, this);
}

std::string
RunProgress::FormatLine(const std::string& label,
                        double simSeconds,
                        uint64_t bytes,
                        double wallSeconds,
                        double fraction)
{
    std::ostringstream os;
    os << "[progress] " << label << ": simulated " << std::fixed << std::setprecision(3)
       << simSeconds << " s, " << std::setprecision(2) << double(bytes) / 1e9
       << " GB delivered, wall " << std::setprecision(0) << wallSeconds << " s";
    if (fraction > 0 && fraction <= 1)
    {
        os << ", " << std::setprecision(0) << 100 * fraction << "% done, about "
           << wallSeconds * (1 - fraction) / fraction << " s left";
    }
    return os.str();
}

void
RunProgress::Check()
{
    const auto now = std::chrono::steady_clock::now();
    const double sinceCheck = std::chrono::duration<double>(now - m_lastCheck).count();
    m_lastCheck = now;
    if (now - m_lastLine >= std::chrono::nanoseconds(m_interval.GetNanoSeconds()))
    {
        const double wall = std::chrono::duration<double>(now - m_start).count();
        const double fraction = m_done ? std::clamp(m_done(), 0.0, 1.0) : 0.0;
        *m_os << FormatLine(m_label,
                            Simulator::Now().GetSeconds(),
                            m_bytes ? m_bytes() : 0,
                            wall,
                            fraction)
              << std::endl;
        m_lastLine = now;
        ++m_lines;
    }
    // about ten checks per interval: stretch the simulated step while checks come quicker
    // than that, shrink it when they come slower
    const double target = m_interval.GetSeconds() / 10;
    if (sinceCheck < target / 2)
    {
        m_step = std::min(m_step * 2, m_maxStep);
    }
    else if (sinceCheck > 2 * target && m_step > NanoSeconds(1))
    {
        m_step = m_step / 2;
    }
    // nothing else to simulate: the run is over, and this check must not keep it going
    if (!Simulator::IsFinished())
    {
        m_event = Simulator::Schedule(m_step, &RunProgress::Check, this);
    }
}

} // namespace edgellm
} // namespace ns3
