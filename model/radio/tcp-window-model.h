/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_TCP_WINDOW_MODEL_H
#define EDGE_LLM_TCP_WINDOW_MODEL_H

#include <cstdint>
#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The TCP settings the window model follows (ns-3.37's TcpCubic, as
 * EdgeNetworkHelper::ConfigureTcpDefaults sets it up).
 */
struct TcpWindowParameters
{
    uint32_t initialWindow{10};    //!< TcpSocket::InitialCwnd, segments
    bool hyStart{true};            //!< TcpCubic::HyStart
    uint32_t hyStartLowWindow{16}; //!< TcpCubic::HyStartLowWindow, segments
    double hyStartAckDelta{0.002}; //!< TcpCubic::HyStartAckDelta, seconds
    uint32_t growthClamp{20};      //!< TcpCubic::CntClamp: +1 segment per this many acked
};

/**
 * \ingroup edge-llm
 * \brief Where a TCP connection's window stands between two transfers (ns-3.37 has no restart
 * after idle: the window carries over).
 */
struct TcpConnectionState
{
    uint32_t rounds{0};        //!< windows sent so far
    double window{0};          //!< segments the next round sends (0: the initial window)
    bool saturated{false};     //!< a round filled the round trip: the link, not the window, limits
    int32_t avoidanceFrom{-1}; //!< round from which the window grows as congestion avoidance
    uint32_t carry{0};         //!< segments acked towards the next +1 in congestion avoidance
};

/**
 * \ingroup edge-llm
 * \brief How long a bulk transfer of TcpCubic (ns-3.37) takes to leave the sender over a path
 * with a round-trip time, when its window, not the path's rate, limits it: slow start,
 * HyStart's exit and CUBIC's growth without loss, round by round.
 *
 * Each round the sender sends a window of segments back to back at the path's rate (one
 * segment per segmentTime) and the next window is released a round trip after the first
 * segment of this one went out (or when this one is out, if that is later). ns-3.37's
 * TcpCubic counts bytes: with delayed ACKs (every second segment) the window doubles per
 * round, except that the first segment of a connection is acknowledged at once and the tenth
 * waits for the next round, so a fresh connection sends 10, 18, 36, 72, ... segments. HyStart
 * runs its ACK-train test before a new round starts, so when the gap between two ACK trains,
 * rtt - (window - 2) x segmentTime, is at most HyStartAckDelta, the first ACK of a train still
 * counts in the old one and HyStart leaves slow start (once the window is at least
 * HyStartLowWindow): the round after still doubles, later ones grow by one segment per
 * CntClamp segments acknowledged (CUBIC before any loss: its cubic term is negligible for
 * seconds). Once a round fills the round trip the path's rate limits the flow for good.
 * Checked against ns-3's packet level on point-to-point links (test suite
 * edge-llm-flow-level): within 1 % for 0.1 to 20 MB at 500 Mbit/s and 1 Gbit/s, 1 and 3 ms.
 */
class TcpWindowModel
{
  public:
    /**
     * \param parameters the TCP settings
     * \return "" when usable, otherwise the problem, naming the ns-3 attribute
     */
    static std::string CheckParameters(const TcpWindowParameters& parameters);

    /**
     * \brief Time from the transfer's first segment leaving the sender to the end of its last
     * segment's transmission (add the path's one-way delay for its arrival).
     * \param parameters the TCP settings
     * \param segmentTime seconds per segment at the path's rate (> 0)
     * \param rtt the round trip of a segment and its ACK on the idle path, seconds (> 0)
     * \param segments segments of the transfer (the last may be partial)
     * \param[in,out] state the connection before the transfer; after it on return
     * \return the sending time, seconds
     */
    static double GetSendTime(const TcpWindowParameters& parameters,
                              double segmentTime,
                              double rtt,
                              uint64_t segments,
                              TcpConnectionState& state);
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_TCP_WINDOW_MODEL_H
