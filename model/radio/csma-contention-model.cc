/* SPDX-License-Identifier: GPL-2.0-only */
#include "csma-contention-model.h"

#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <random>
#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmCsmaContentionModel");

namespace
{

/**
 * Slots of one backoff with \p retries retries so far, as Backoff::GetBackoffTime draws them:
 * (uint32_t) U(minSlots, maxSlot) with maxSlot = min(2^min(retries, ceiling) - 1, maxSlots),
 * i.e. each of minSlots..maxSlot-1 with equal probability (minSlots when they are equal; the
 * values maxSlot..minSlots-1 when maxSlot is below minSlots).
 * \param p the parameters
 * \param retries retries so far (>= 1)
 * \param[out] lowest the smallest slot count
 * \return the number of equally likely slot counts (lowest, lowest + 1, ...)
 */
uint32_t
BackoffChoices(const CsmaContentionParameters& p, uint32_t retries, uint32_t& lowest)
{
    const uint32_t exponent = (p.ceiling > 0 && retries > p.ceiling) ? p.ceiling : retries;
    const uint64_t full = exponent >= 63 ? UINT64_MAX : (uint64_t{1} << exponent) - 1;
    const uint32_t maxSlot = static_cast<uint32_t>(std::min<uint64_t>(full, p.maxSlots));
    if (maxSlot == p.minSlots)
    {
        lowest = p.minSlots;
        return 1;
    }
    lowest = std::min(maxSlot, p.minSlots);
    return std::max(maxSlot, p.minSlots) - lowest;
}

/// A frame: data of one flow (possibly carrying an ACK of the reverse flow) or a pure ACK.
struct EmuFrame
{
    int32_t dataFlow{-1}; //!< flow whose data segment this is, or -1
    int32_t ackFlow{-1};  //!< flow this frame acknowledges, or -1
    uint64_t ackNo{0};    //!< segments of ackFlow received in order
    uint32_t bytes{0};    //!< bytes on the wire
};

/// Event kinds, named after the ns-3 functions they stand for.
enum class EmuEventKind : uint8_t
{
    TRANSMIT_START,    //!< CsmaNetDevice::TransmitStart
    TRANSMIT_COMPLETE, //!< CsmaNetDevice::TransmitCompleteEvent
    RECEIVE,           //!< CsmaNetDevice::Receive at the addressed node (then TCP)
    PROPAGATION_DONE,  //!< CsmaChannel::PropagationCompleteEvent
    TRANSMIT_READY,    //!< CsmaNetDevice::TransmitReadyEvent
};

/// A scheduled event; equal times run in scheduling order, as in ns-3's scheduler.
struct EmuEvent
{
    int64_t time;      //!< ns
    uint64_t seq;      //!< scheduling order
    EmuEventKind kind; //!< what
    uint32_t node;     //!< device

    /// \return true when this event runs after \p other
    bool operator>(const EmuEvent& other) const
    {
        return time != other.time ? time > other.time : seq > other.seq;
    }
};

/// The replay of one flow set: CsmaNetDevice's transmit machine, CsmaChannel, TCP windows.
class CsmaEmulator
{
  public:
    CsmaEmulator(const CsmaContentionParameters& p,
                 const std::vector<CsmaFlowSpec>& flows,
                 uint32_t measured)
        : m_p(p),
          m_measured(measured),
          m_rng(p.seed),
          m_delay(p.delay.GetNanoSeconds()),
          m_gap(p.interframeGap.GetNanoSeconds()),
          m_slot(p.slot.GetNanoSeconds())
    {
        uint32_t nodes = 0;
        for (const auto& spec : flows)
        {
            nodes = std::max(nodes, std::max(spec.sender, spec.receiver) + 1);
            Flow flow;
            flow.spec = spec;
            m_flows.push_back(flow);
        }
        for (auto& flow : m_flows)
        {
            for (uint32_t g = 0; g < m_flows.size(); ++g)
            {
                if (m_flows[g].spec.sender == flow.spec.receiver &&
                    m_flows[g].spec.receiver == flow.spec.sender)
                {
                    flow.reverse = static_cast<int32_t>(g);
                }
            }
        }
        m_nodes.resize(nodes);
        m_heap = nodes > 16;
    }

    /**
     * \param[out] shares each flow's fraction of the data frames measured
     * \return channel ns per data frame, measured after the warm-up
     */
    double Run(std::vector<double>& shares)
    {
        uint64_t tokens = 0;
        for (const auto& flow : m_flows)
        {
            tokens += flow.spec.window;
        }
        const uint64_t warm = m_p.warmUpFrames + 3 * tokens;
        const uint64_t end = warm + m_measured;
        for (uint32_t f = 0; f < m_flows.size(); ++f)
        {
            if (m_p.segmentsPerAck == 0)
            {
                // no ACKs: the sender is always backlogged
                SendData(f);
                SendData(f);
            }
            else
            {
                Pump(f);
            }
        }
        int64_t start = 0;
        std::vector<uint64_t> before(m_flows.size(), 0);
        while (!m_events.empty() && m_delivered < end)
        {
            EmuEvent event = PopNext();
            m_now = event.time;
            Handle(event);
            if (m_delivered == warm && start == 0)
            {
                start = m_now;
                for (uint32_t f = 0; f < m_flows.size(); ++f)
                {
                    before[f] = m_flows[f].received;
                }
            }
        }
        shares.assign(m_flows.size(), 0.0);
        for (uint32_t f = 0; f < m_flows.size(); ++f)
        {
            shares[f] = static_cast<double>(m_flows[f].received - before[f]) /
                        static_cast<double>(m_measured);
        }
        return static_cast<double>(m_now - start) / static_cast<double>(m_measured);
    }

  private:
    /// CsmaNetDevice's transmit state machine.
    enum class TxState : uint8_t
    {
        READY,
        BUSY,
        GAP,
        BACKOFF
    };

    /// CsmaChannel's state.
    enum class ChannelState : uint8_t
    {
        IDLE,
        TRANSMITTING,
        PROPAGATING
    };

    /// One device.
    struct Node
    {
        TxState state{TxState::READY}; //!< transmit machine
        std::deque<EmuFrame> queue;    //!< device queue (FIFO)
        EmuFrame current;              //!< frame being sent or backing off
        uint32_t retries{0};           //!< backoff retries of the current frame
    };

    /// One TCP direction.
    struct Flow
    {
        CsmaFlowSpec spec;    //!< sender, receiver, window
        int32_t reverse{-1};  //!< the flow of the other direction on the same pair, or -1
        uint64_t sent{0};     //!< segments handed to the device
        uint64_t acked{0};    //!< highest ACK received
        uint64_t received{0}; //!< segments received
        uint32_t unacked{0};  //!< segments received since the last ACK sent
    };

    void Schedule(int64_t delay, EmuEventKind kind, uint32_t node)
    {
        m_events.push_back(EmuEvent{m_now + delay, m_seq++, kind, node});
        if (m_heap)
        {
            std::push_heap(m_events.begin(), m_events.end(), std::greater<EmuEvent>());
        }
    }

    /// \return the earliest event, removed (about one pending event per device: a linear scan
    /// beats a heap for a few devices; both give the same order)
    EmuEvent PopNext()
    {
        if (m_heap)
        {
            std::pop_heap(m_events.begin(), m_events.end(), std::greater<EmuEvent>());
            EmuEvent event = m_events.back();
            m_events.pop_back();
            return event;
        }
        size_t best = 0;
        for (size_t i = 1; i < m_events.size(); ++i)
        {
            if (m_events[best] > m_events[i])
            {
                best = i;
            }
        }
        EmuEvent event = m_events[best];
        m_events[best] = m_events.back();
        m_events.pop_back();
        return event;
    }

    int64_t TxTime(uint32_t bytes) const
    {
        return static_cast<int64_t>(std::llround(bytes * 8.0 / m_p.dataRate * 1e9));
    }

    /// CsmaNetDevice::SendFrom: queue, and start at once when READY.
    void Send(uint32_t node, const EmuFrame& frame)
    {
        Node& n = m_nodes[node];
        n.queue.push_back(frame);
        if (n.state == TxState::READY)
        {
            n.current = n.queue.front();
            n.queue.pop_front();
            TransmitStart(node);
        }
    }

    void TransmitStart(uint32_t node)
    {
        Node& n = m_nodes[node];
        if (m_channel != ChannelState::IDLE)
        {
            // Back off and sense again: one event per attempt, so that attempts at equal times
            // run in ns-3's order (by when they were scheduled).
            n.state = TxState::BACKOFF;
            ++n.retries;
            uint32_t lowest = 0;
            const uint32_t choices = BackoffChoices(m_p, n.retries, lowest);
            const double u = static_cast<double>(m_rng() >> 11) * 0x1.0p-53;
            const uint32_t slots = lowest + static_cast<uint32_t>(u * choices);
            Schedule(static_cast<int64_t>(slots) * m_slot, EmuEventKind::TRANSMIT_START, node);
            return;
        }
        m_channel = ChannelState::TRANSMITTING;
        n.retries = 0;
        n.state = TxState::BUSY;
        Schedule(TxTime(n.current.bytes), EmuEventKind::TRANSMIT_COMPLETE, node);
    }

    void Handle(const EmuEvent& event)
    {
        Node& n = m_nodes[event.node];
        switch (event.kind)
        {
        case EmuEventKind::TRANSMIT_START:
            TransmitStart(event.node);
            break;
        case EmuEventKind::TRANSMIT_COMPLETE: {
            // CsmaChannel::TransmitEnd: receptions and the end of propagation after the delay
            // (the reception first), then the sender's interframe gap.
            n.state = TxState::GAP;
            m_channel = ChannelState::PROPAGATING;
            // One frame at a time is on the channel: it is received (at the delay, before the
            // channel turns idle, so before any other frame can start).
            m_onChannel = n.current;
            const EmuFrame& frame = m_onChannel;
            const uint32_t to = frame.dataFlow >= 0 ? m_flows[frame.dataFlow].spec.receiver
                                                    : m_flows[frame.ackFlow].spec.sender;
            Schedule(m_delay, EmuEventKind::RECEIVE, to);
            Schedule(m_delay, EmuEventKind::PROPAGATION_DONE, event.node);
            Schedule(m_gap, EmuEventKind::TRANSMIT_READY, event.node);
            if (m_p.segmentsPerAck == 0 && frame.dataFlow >= 0)
            {
                SendData(static_cast<uint32_t>(frame.dataFlow));
            }
            break;
        }
        case EmuEventKind::PROPAGATION_DONE:
            m_channel = ChannelState::IDLE;
            break;
        case EmuEventKind::TRANSMIT_READY:
            n.state = TxState::READY;
            if (!n.queue.empty())
            {
                n.current = n.queue.front();
                n.queue.pop_front();
                TransmitStart(event.node);
            }
            break;
        case EmuEventKind::RECEIVE:
            Receive(m_onChannel);
            break;
        }
    }

    /// TCP at the addressed node: the ACK field first, then the data.
    void Receive(const EmuFrame& frame)
    {
        if (frame.ackFlow >= 0)
        {
            Flow& flow = m_flows[frame.ackFlow];
            if (frame.ackNo > flow.acked)
            {
                flow.acked = frame.ackNo;
                Pump(static_cast<uint32_t>(frame.ackFlow));
            }
        }
        if (frame.dataFlow >= 0)
        {
            Flow& flow = m_flows[frame.dataFlow];
            ++flow.received;
            ++m_delivered;
            if (m_p.segmentsPerAck > 0 && ++flow.unacked >= m_p.segmentsPerAck)
            {
                flow.unacked = 0;
                EmuFrame ack;
                ack.ackFlow = frame.dataFlow;
                ack.ackNo = flow.received;
                ack.bytes = m_p.ackFrameBytes;
                Send(flow.spec.receiver, ack);
            }
        }
    }

    /// TCP sender: send while the window allows (backlogged: data is always there).
    void Pump(uint32_t f)
    {
        while (m_flows[f].sent - m_flows[f].acked < m_flows[f].spec.window)
        {
            SendData(f);
        }
    }

    /// One data segment of flow \p f; it carries the ACK of the reverse direction.
    void SendData(uint32_t f)
    {
        Flow& flow = m_flows[f];
        ++flow.sent;
        EmuFrame data;
        data.dataFlow = static_cast<int32_t>(f);
        data.bytes = m_p.dataFrameBytes;
        if (flow.reverse >= 0)
        {
            Flow& reverse = m_flows[flow.reverse];
            data.ackFlow = flow.reverse;
            data.ackNo = reverse.received;
            reverse.unacked = 0;
        }
        Send(flow.spec.sender, data);
    }

    const CsmaContentionParameters& m_p;        //!< parameters
    uint64_t m_measured;                        //!< data frames to measure
    std::mt19937_64 m_rng;                      //!< backoff draws
    int64_t m_delay;                            //!< ns
    int64_t m_gap;                              //!< ns
    int64_t m_slot;                             //!< ns
    std::vector<Node> m_nodes;                  //!< devices
    std::vector<Flow> m_flows;                  //!< flows
    ChannelState m_channel{ChannelState::IDLE}; //!< channel state
    EmuFrame m_onChannel;                       //!< the frame sent last (being received)
    std::vector<EmuEvent> m_events;             //!< pending events (a heap when m_heap)
    bool m_heap{false};                         //!< many devices: keep m_events a heap
    int64_t m_now{0};                           //!< ns
    uint64_t m_seq{0};                          //!< events scheduled
    uint64_t m_delivered{0};                    //!< data frames received
};

} // namespace

CsmaContentionModel::CsmaContentionModel(const CsmaContentionParameters& parameters)
    : m_parameters(parameters),
      m_evaluations(0)
{
    const std::string problem = CheckParameters(parameters);
    NS_ABORT_MSG_IF(!problem.empty(), "CsmaContentionModel: " << problem);
}

std::string
CsmaContentionModel::CheckParameters(const CsmaContentionParameters& p)
{
    std::ostringstream os;
    if (!(p.dataRate > 0.0) || !std::isfinite(p.dataRate))
    {
        os << "dataRate=" << p.dataRate << " is invalid: must be a positive bit rate";
    }
    else if (p.delay.IsNegative() || p.interframeGap.IsNegative())
    {
        os << "delay=" << p.delay.As(Time::NS) << ", interframeGap=" << p.interframeGap.As(Time::NS)
           << " are invalid: must be >= 0";
    }
    else if (!p.slot.IsStrictlyPositive())
    {
        os << "slot=" << p.slot.As(Time::NS) << " is invalid: must be > 0";
    }
    else if (p.minSlots == 0 || p.maxSlots < p.minSlots)
    {
        os << "minSlots=" << p.minSlots << ", maxSlots=" << p.maxSlots
           << " are invalid: need 1 <= minSlots <= maxSlots";
    }
    else if (p.dataFrameBytes == 0 || p.ackFrameBytes == 0)
    {
        os << "dataFrameBytes=" << p.dataFrameBytes << ", ackFrameBytes=" << p.ackFrameBytes
           << " are invalid: must be positive";
    }
    else if (p.initialWindow == 0 || p.maxWindow < p.initialWindow || p.growthClamp == 0)
    {
        os << "initialWindow=" << p.initialWindow << ", maxWindow=" << p.maxWindow
           << ", growthClamp=" << p.growthClamp
           << " are invalid: need 1 <= initialWindow <= maxWindow and growthClamp >= 1";
    }
    else if (p.measuredFrames == 0)
    {
        os << "measuredFrames=0 is invalid: must be positive";
    }
    return os.str();
}

const CsmaContentionParameters&
CsmaContentionModel::GetParameters() const
{
    return m_parameters;
}

void
CsmaContentionModel::SetSeed(uint64_t seed)
{
    m_parameters.seed = seed;
}

double
CsmaContentionModel::GetExpectedGapAfterOwnFrame(const CsmaContentionParameters& p)
{
    // Probability of each (attempt time, retries) still before the channel turns idle at the
    // delay d; an attempt at or after d finds it idle (the channel's end of propagation was
    // scheduled first, so it runs first at an equal time).
    const int64_t d = p.delay.GetNanoSeconds();
    const int64_t slot = p.slot.GetNanoSeconds();
    std::map<std::pair<int64_t, uint32_t>, double> pending{
        {{p.interframeGap.GetNanoSeconds(), 0}, 1.0}};
    double expected = 0.0;
    while (!pending.empty())
    {
        std::map<std::pair<int64_t, uint32_t>, double> next;
        for (const auto& [state, probability] : pending)
        {
            const auto [time, retries] = state;
            if (time >= d)
            {
                expected += probability * static_cast<double>(time - d);
                continue;
            }
            uint32_t lowest = 0;
            const uint32_t choices = BackoffChoices(p, retries + 1, lowest);
            for (uint32_t k = 0; k < choices; ++k)
            {
                next[{time + static_cast<int64_t>(lowest + k) * slot, retries + 1}] +=
                    probability / choices;
            }
        }
        pending.swap(next);
    }
    return expected * 1e-9;
}

double
CsmaContentionModel::GetWindow(const CsmaContentionParameters& p, double segmentsAcked)
{
    const double initial = p.initialWindow;
    const double exit = p.slowStartExitWindow;
    double window;
    if (p.slowStartExitWindow == 0)
    {
        window = initial + segmentsAcked; // slow start until the buffer limits it
    }
    else if (initial >= exit)
    {
        window = initial + segmentsAcked / p.growthClamp;
    }
    else if (initial + segmentsAcked < exit)
    {
        window = initial + segmentsAcked;
    }
    else
    {
        window = exit + (segmentsAcked - (exit - initial)) / p.growthClamp;
    }
    return std::min<double>(window, p.maxWindow);
}

uint32_t
CsmaContentionModel::QuantizeWindow(double window)
{
    // half-octave steps: the frame time changes by about 2 % per step at small windows and
    // less at large ones, and the cache stays small
    const double k = std::round(2.0 * std::log2(std::max(1.0, window)));
    return std::max<uint32_t>(1, static_cast<uint32_t>(std::lround(std::exp2(k / 2.0))));
}

CsmaContentionResult
CsmaContentionModel::Evaluate(const std::vector<CsmaFlowSpec>& flows, uint32_t frames)
{
    // frames to measure: a power of two times 1000 up to measuredFrames
    uint32_t measured = m_parameters.measuredFrames;
    if (frames > 0)
    {
        measured = 1000;
        while (measured < frames && measured < m_parameters.measuredFrames)
        {
            measured *= 2;
        }
        measured = std::min(measured, m_parameters.measuredFrames);
    }
    NS_ABORT_MSG_IF(flows.empty(), "CsmaContentionModel::Evaluate: no flows");
    // Canonical labels: flows sorted by (sender, receiver), nodes numbered in order of first
    // appearance, so that the same pattern on other nodes hits the cache and emulates alike.
    std::vector<uint32_t> order(flows.size());
    for (uint32_t i = 0; i < order.size(); ++i)
    {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&flows](uint32_t a, uint32_t b) {
        return std::tie(flows[a].sender, flows[a].receiver, flows[a].window) <
               std::tie(flows[b].sender, flows[b].receiver, flows[b].window);
    });
    std::map<uint32_t, uint32_t> label;
    auto relabel = [&label](uint32_t node) {
        return label.emplace(node, static_cast<uint32_t>(label.size())).first->second;
    };
    std::vector<CsmaFlowSpec> canonical;
    for (uint32_t i : order)
    {
        const CsmaFlowSpec& spec = flows[i];
        NS_ABORT_MSG_IF(spec.sender == spec.receiver,
                        "CsmaContentionModel::Evaluate: flow from node " << spec.sender
                                                                         << " to itself");
        const uint32_t window =
            std::min(std::max<uint32_t>(1, spec.window), m_parameters.maxWindow);
        const uint32_t sender = relabel(spec.sender);
        canonical.push_back({sender, relabel(spec.receiver), window});
    }
    // The emulation is a pure function of the parameters and the canonical flows, so one cache
    // serves every model of the process (a sweep of runs emulates each flow set once).
    std::ostringstream id;
    const CsmaContentionParameters& p = m_parameters;
    id << p.dataRate << ' ' << p.delay.GetNanoSeconds() << ' ' << p.interframeGap.GetNanoSeconds()
       << ' ' << p.slot.GetNanoSeconds() << ' ' << p.minSlots << ' ' << p.maxSlots << ' '
       << p.ceiling << ' ' << p.dataFrameBytes << ' ' << p.ackFrameBytes << ' ' << p.segmentsPerAck
       << ' ' << p.warmUpFrames << ' ' << measured << ' ' << p.seed << ' ' << p.maxWindow << ':';
    for (const auto& c : canonical)
    {
        id << ' ' << c.sender << '>' << c.receiver << '/' << c.window;
    }
    static std::map<std::string, CsmaContentionResult> cache;
    auto cached = cache.find(id.str());
    if (cached == cache.end())
    {
        cached = cache.emplace(id.str(), Emulate(canonical, measured)).first;
    }
    CsmaContentionResult result;
    result.frameTime = cached->second.frameTime;
    result.shares.assign(flows.size(), 0.0);
    for (uint32_t k = 0; k < order.size(); ++k)
    {
        result.shares[order[k]] = cached->second.shares[k];
    }
    return result;
}

CsmaContentionResult
CsmaContentionModel::Emulate(const std::vector<CsmaFlowSpec>& flows, uint32_t measured)
{
    ++m_evaluations;
    CsmaEmulator emulator(m_parameters, flows, measured);
    CsmaContentionResult result;
    result.frameTime = emulator.Run(result.shares) * 1e-9;
    // Flows in the same position (window, and how many flows their sender sends and their
    // receiver receives, and whether the pair carries the reverse direction) share alike:
    // their measured shares differ only by the emulation's noise.
    std::map<uint32_t, uint32_t> sends;
    std::map<uint32_t, uint32_t> receives;
    std::set<std::pair<uint32_t, uint32_t>> pairs;
    for (const auto& f : flows)
    {
        ++sends[f.sender];
        ++receives[f.receiver];
        pairs.emplace(f.sender, f.receiver);
    }
    std::map<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, bool>,
             std::vector<uint32_t>>
        groups;
    for (uint32_t i = 0; i < flows.size(); ++i)
    {
        const CsmaFlowSpec& f = flows[i];
        groups[std::make_tuple(f.window,
                               sends[f.sender],
                               receives[f.sender],
                               sends[f.receiver],
                               receives[f.receiver],
                               pairs.count({f.receiver, f.sender}) > 0)]
            .push_back(i);
    }
    for (const auto& [signature, members] : groups)
    {
        double sum = 0.0;
        for (uint32_t i : members)
        {
            sum += result.shares[i];
        }
        for (uint32_t i : members)
        {
            result.shares[i] = sum / members.size();
        }
    }
    NS_LOG_INFO("emulated " << flows.size() << " flows: " << result.frameTime * 1e6
                            << " us per data frame");
    return result;
}

uint64_t
CsmaContentionModel::GetEvaluationCount() const
{
    return m_evaluations;
}

} // namespace edgellm
} // namespace ns3
