/* SPDX-License-Identifier: GPL-2.0-only */
#include "tcp-window-model.h"

#include "ns3/abort.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{
namespace edgellm
{

std::string
TcpWindowModel::CheckParameters(const TcpWindowParameters& p)
{
    std::ostringstream os;
    if (p.initialWindow < 2)
    {
        os << "ns3::TcpSocket::InitialCwnd=" << p.initialWindow
           << " is invalid for the TCP window model: must be at least 2 segments";
    }
    else if (p.growthClamp == 0)
    {
        os << "ns3::TcpCubic::CntClamp=" << p.growthClamp
           << " is invalid for the TCP window model: must be at least 1";
    }
    else if (!(p.hyStartAckDelta >= 0) || !std::isfinite(p.hyStartAckDelta))
    {
        os << "ns3::TcpCubic::HyStartAckDelta=" << p.hyStartAckDelta
           << " s is invalid for the TCP window model: must be >= 0";
    }
    return os.str();
}

double
TcpWindowModel::GetSendTime(const TcpWindowParameters& p,
                            double segmentTime,
                            double rtt,
                            uint64_t segments,
                            TcpConnectionState& state)
{
    NS_ABORT_MSG_IF(!(segmentTime > 0) || !(rtt > 0),
                    "TcpWindowModel::GetSendTime: segmentTime=" << segmentTime << ", rtt=" << rtt
                                                                << ": both must be > 0");
    if (segments == 0)
    {
        return 0.0;
    }
    if (state.saturated)
    {
        return segments * segmentTime;
    }
    double start = 0.0; // the current round's first segment
    double end = 0.0;   // the end of the previous round's last segment
    uint64_t sent = 0;
    bool first = true;
    while (true)
    {
        // this round's window
        double window = state.window;
        if (state.rounds == 0)
        {
            window = p.initialWindow;
        }
        if (!first)
        {
            start = std::max(start + rtt, end);
        }
        first = false;
        const uint64_t here =
            std::min<uint64_t>(segments - sent, static_cast<uint64_t>(std::floor(window)));
        // the next round's window: byte counting in slow start (the first round's first
        // segment is acknowledged at once, its last waits a round), CntClamp after HyStart
        double next;
        if (state.rounds == 0)
        {
            next = 2.0 * (window - 1);
        }
        else if (state.avoidanceFrom >= 0 &&
                 state.rounds + 1 >= static_cast<uint32_t>(state.avoidanceFrom))
        {
            const uint64_t acked = state.carry + static_cast<uint64_t>(window);
            next = window + static_cast<double>(acked / p.growthClamp);
            state.carry = static_cast<uint32_t>(acked % p.growthClamp);
        }
        else
        {
            next = 2.0 * window;
        }
        // HyStart's early exit: the gap between this round's ACK train and the next
        const double cwnd = next + 1; // ns-3's window once this round is acknowledged
        if (p.hyStart && state.avoidanceFrom < 0 && cwnd >= p.hyStartLowWindow &&
            rtt - (window - 2) * segmentTime <= p.hyStartAckDelta)
        {
            state.avoidanceFrom = static_cast<int32_t>(state.rounds) + 2;
        }
        if (window * segmentTime >= rtt)
        {
            // the round fills the round trip: from here on the path's rate limits
            state.saturated = true;
            return start + (segments - sent) * segmentTime;
        }
        ++state.rounds;
        state.window = next;
        end = start + here * segmentTime;
        sent += here;
        if (sent >= segments)
        {
            return end;
        }
    }
}

} // namespace edgellm
} // namespace ns3
