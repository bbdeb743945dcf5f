/* SPDX-License-Identifier: GPL-2.0-only */
#include "csma-contention-model.h"

#include "ns3/log.h"
#include "ns3/split-mix-64.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

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

/**
 * Walker's alias table (Vose's construction) of a discrete distribution: draw a column k
 * uniformly, then k with probability first, otherwise second.
 * \param probabilities the distribution (sums to 1)
 * \return per column: the probability of keeping it, its alias
 */
std::vector<std::pair<double, uint32_t>>
MakeAliasTable(const std::vector<double>& probabilities)
{
    const size_t n = probabilities.size();
    std::vector<std::pair<double, uint32_t>> table(n, {1.0, 0});
    std::vector<double> scaled(n);
    std::vector<uint32_t> small;
    std::vector<uint32_t> large;
    for (uint32_t i = 0; i < n; ++i)
    {
        table[i].second = i;
        scaled[i] = probabilities[i] * static_cast<double>(n);
        (scaled[i] < 1.0 ? small : large).push_back(i);
    }
    while (!small.empty() && !large.empty())
    {
        const uint32_t s = small.back();
        small.pop_back();
        const uint32_t l = large.back();
        table[s] = {scaled[s], l};
        scaled[l] -= 1.0 - scaled[s];
        if (scaled[l] < 1.0)
        {
            large.pop_back();
            small.push_back(l);
        }
    }
    // what is left keeps its column (1 up to rounding)
    return table;
}

/// Outcomes of the attempts after a device's own frame tabulated at most (the default
/// parameters have 167; a delay of many slots has millions: those are replayed one by one).
constexpr size_t MAX_OWN_GAP_OUTCOMES = 4096;

/// A frame: data of one flow (possibly carrying an ACK of the reverse flow) or a pure ACK.
struct EmuFrame
{
    int32_t dataFlow{-1}; //!< flow whose data segment this is, or -1
    int32_t ackFlow{-1};  //!< flow this frame acknowledges, or -1
    uint64_t ackNo{0};    //!< segments of ackFlow received in order
    uint32_t bytes{0};    //!< bytes on the wire
};

/**
 * A device's next transmit attempt (CsmaNetDevice::TransmitStart): when it runs, when the
 * event that runs it was scheduled, and a tie-break; attempts at equal times run in the order
 * ns-3's scheduler gives them (by when they were scheduled).
 */
struct EmuAttempt
{
    int64_t time;      //!< ns
    int64_t scheduled; //!< ns: when the event was scheduled
    uint64_t order;    //!< scheduling order among attempts scheduled at the same time
    uint32_t node;     //!< device

    /// \return true when this attempt runs after \p other
    bool operator>(const EmuAttempt& other) const
    {
        if (time != other.time)
        {
            return time > other.time;
        }
        if (scheduled != other.scheduled)
        {
            return scheduled > other.scheduled;
        }
        return order > other.order;
    }
};

/// What one emulation measured.
struct EmuMeasurement
{
    double frameTime{0};        //!< ns per data frame after the warm-up
    std::vector<double> shares; //!< each flow's fraction of the data frames measured
    uint64_t frames{0};         //!< data frames measured
    double relativeError{0};    //!< batch-means standard error of frameTime / frameTime
};

} // namespace

/**
 * The replay of one flow set: CsmaNetDevice's transmit machine, CsmaChannel, TCP windows.
 *
 * It advances from one frame on the channel to the next. Nothing but transmit attempts happens
 * while a frame is on the channel (TCP reacts only to receptions, which come at the end of the
 * frame's propagation), so an attempt that falls while the channel is busy (transmitting, or
 * propagating until the delay after the frame) is known to back off at once: it is replayed
 * without an event, as a draw, until the device's next attempt falls after the channel turns
 * idle. The earliest pending attempt then gets the channel. An attempt exactly at the end of
 * propagation finds the channel idle only when it was scheduled after the frame's end (ns-3
 * runs equal-time events in scheduling order, and CsmaChannel schedules the end of propagation
 * when the transmission ends).
 */
class CsmaEmulator
{
  public:
    /**
     * \param p the parameters
     * \param flows the flows
     * \param ownGap CsmaContentionModel::GetOwnGapOutcomes of \p p
     * \param ownGapAlias their alias table (MakeAliasTable)
     */
    CsmaEmulator(const CsmaContentionParameters& p,
                 const std::vector<CsmaFlowSpec>& flows,
                 const std::vector<CsmaOwnGapOutcome>& ownGap,
                 const std::vector<std::pair<double, uint32_t>>& ownGapAlias)
        : m_p(p),
          m_ownGap(ownGap),
          m_ownGapAlias(ownGapAlias),
          m_rng(p.seed),
          m_delay(p.delay.GetNanoSeconds()),
          m_gap(p.interframeGap.GetNanoSeconds()),
          m_slot(p.slot.GetNanoSeconds()),
          m_dataTxTime(TxTime(p.dataFrameBytes)),
          m_ackTxTime(TxTime(p.ackFrameBytes))
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
        // the backoff windows of retries 1 .. ceiling (then they stay)
        const uint32_t table = std::max<uint32_t>(p.ceiling, 1) + 1;
        for (uint32_t r = 0; r <= table; ++r)
        {
            uint32_t lowest = 0;
            const uint32_t choices = BackoffChoices(p, std::max<uint32_t>(r, 1), lowest);
            m_backoff.emplace_back(lowest, choices);
        }
    }

    /**
     * Replay \p warm data frames, then measure batches of \p batch data frames until the
     * batch means give a relative standard error of the frame time at most \p tolerance (after
     * at least \p minBatches batches) or \p maxBatches batches are measured.
     * \param warm data frames before measuring
     * \param batch data frames per batch
     * \param minBatches batches measured at least (>= 2 for an error estimate)
     * \param maxBatches batches measured at most
     * \param tolerance relative standard error to stop at (0: run maxBatches)
     * \return the measurement
     */
    EmuMeasurement Run(uint64_t warm,
                       uint64_t batch,
                       uint32_t minBatches,
                       uint32_t maxBatches,
                       double tolerance)
    {
        for (uint32_t f = 0; f < m_flows.size(); ++f)
        {
            Start(f);
        }
        return Measure(warm, batch, minBatches, maxBatches, tolerance);
    }

    /**
     * Go on from the current state with this set of flows instead (a flow is its sender and
     * receiver): flows that left stop (their queued data leaves the device queues; an ACK that
     * data carried stays as a pure ACK), flows that joined start (a pair that ran before goes
     * on with its counters), the others take their new windows.
     * \param flows the flows now (sender != receiver, window >= 1, one per pair)
     * \param[out] indices each flow's index in the emulation, in the order of \p flows
     * \return the data segments the change handed to the devices
     */
    uint64_t Configure(const std::vector<CsmaFlowSpec>& flows, std::vector<uint32_t>& indices)
    {
        const uint64_t sentBefore = m_sent;
        std::vector<bool> present(m_flows.size(), false);
        indices.clear();
        for (const auto& spec : flows)
        {
            const auto pair = std::make_pair(spec.sender, spec.receiver);
            auto found = m_pairs.find(pair);
            if (found == m_pairs.end())
            {
                found = m_pairs.emplace(pair, static_cast<uint32_t>(m_flows.size())).first;
                Flow flow;
                flow.spec = spec;
                flow.active = false;
                m_flows.push_back(flow);
                present.push_back(false);
                auto reverse = m_pairs.find(std::make_pair(spec.receiver, spec.sender));
                if (reverse != m_pairs.end())
                {
                    m_flows[found->second].reverse = static_cast<int32_t>(reverse->second);
                    m_flows[reverse->second].reverse = static_cast<int32_t>(found->second);
                }
                m_nodes.resize(
                    std::max<size_t>(m_nodes.size(), std::max(spec.sender, spec.receiver) + 1));
            }
            present[found->second] = true;
            indices.push_back(found->second);
        }
        for (uint32_t f = 0; f < m_flows.size(); ++f)
        {
            if (m_flows[f].active && !present[f])
            {
                Stop(f);
            }
        }
        for (size_t i = 0; i < flows.size(); ++i)
        {
            Flow& flow = m_flows[indices[i]];
            flow.spec.window = flows[i].window;
            if (!flow.active)
            {
                flow.active = true;
                Start(indices[i]);
            }
            else if (m_p.segmentsPerAck > 0)
            {
                Pump(indices[i]);
            }
        }
        return m_sent - sentBefore;
    }

    /**
     * Replay \p warm data frames, then measure batches of \p batch data frames until the
     * batch means give a relative standard error of the frame time at most \p tolerance (after
     * at least \p minBatches batches) or \p maxBatches batches are measured.
     * \param warm data frames before measuring
     * \param batch data frames per batch
     * \param minBatches batches measured at least (>= 2 for an error estimate)
     * \param maxBatches batches measured at most
     * \param tolerance relative standard error to stop at (0: run maxBatches)
     * \return the measurement (shares by the emulation's flow index)
     */
    EmuMeasurement Measure(uint64_t warm,
                           uint64_t batch,
                           uint32_t minBatches,
                           uint32_t maxBatches,
                           double tolerance)
    {
        Advance(m_delivered + warm);
        const int64_t start = m_now;
        std::vector<uint64_t> before(m_flows.size(), 0);
        for (uint32_t f = 0; f < m_flows.size(); ++f)
        {
            before[f] = m_flows[f].received;
        }
        // batch means: sum and sum of squares of the batches' durations
        double sum = 0.0;
        double squares = 0.0;
        uint32_t batches = 0;
        double relative = 0.0;
        int64_t batchStart = m_now;
        while (batches < maxBatches)
        {
            Advance(m_delivered + batch);
            const double duration = static_cast<double>(m_now - batchStart);
            batchStart = m_now;
            sum += duration;
            squares += duration * duration;
            ++batches;
            if (batches >= 2)
            {
                const double mean = sum / batches;
                const double variance =
                    std::max(0.0, (squares - batches * mean * mean) / (batches - 1));
                relative = std::sqrt(variance / batches) / mean;
                if (batches >= minBatches && relative <= tolerance)
                {
                    break;
                }
            }
        }
        EmuMeasurement result;
        result.frames = batches * batch;
        result.relativeError = relative;
        result.shares.assign(m_flows.size(), 0.0);
        for (uint32_t f = 0; f < m_flows.size(); ++f)
        {
            result.shares[f] = static_cast<double>(m_flows[f].received - before[f]) /
                               static_cast<double>(result.frames);
        }
        result.frameTime = static_cast<double>(m_now - start) / static_cast<double>(result.frames);
        return result;
    }

  private:
    /// A device queue: a FIFO on a ring of a power-of-two capacity (std::deque allocates and
    /// frees a block every few frames).
    class FrameQueue
    {
      public:
        bool empty() const
        {
            return m_size == 0;
        }

        void push_back(const EmuFrame& frame)
        {
            if (m_size == m_ring.size())
            {
                Grow();
            }
            m_ring[(m_head + m_size) & (m_ring.size() - 1)] = frame;
            ++m_size;
        }

        /// \return the oldest frame, removed
        EmuFrame pop_front()
        {
            const EmuFrame frame = m_ring[m_head];
            m_head = (m_head + 1) & (m_ring.size() - 1);
            --m_size;
            return frame;
        }

      private:
        void Grow()
        {
            std::vector<EmuFrame> larger(std::max<size_t>(16, 2 * m_ring.size()));
            for (size_t i = 0; i < m_size; ++i)
            {
                larger[i] = m_ring[(m_head + i) & (m_ring.size() - 1)];
            }
            m_ring.swap(larger);
            m_head = 0;
        }

        std::vector<EmuFrame> m_ring; //!< the frames, from m_head on
        size_t m_head{0};             //!< index of the oldest frame
        size_t m_size{0};             //!< frames queued
    };

    /// One device.
    struct Node
    {
        FrameQueue queue;       //!< device queue (FIFO)
        EmuFrame current;       //!< frame contending for the channel
        bool contending{false}; //!< current waits for the channel (an attempt is pending)
        bool inGap{false};      //!< after its own frame, before the interframe gap ends
        uint32_t retries{0};    //!< backoff retries of the current frame
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
        bool active{true};    //!< sending (Configure stops and starts flows)
    };

    /// A flow's first segments (CsmaNetDevice finds the channel as it is).
    void Start(uint32_t f)
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

    /// The flow's data is all sent: its segments still queued leave the sender's queue (an ACK
    /// of the reverse direction that one carries stays, as a pure ACK).
    void Stop(uint32_t f)
    {
        Flow& flow = m_flows[f];
        flow.active = false;
        Node& n = m_nodes[flow.spec.sender];
        FrameQueue kept;
        uint64_t removed = 0;
        auto strip = [&](EmuFrame& frame) {
            if (frame.dataFlow != static_cast<int32_t>(f))
            {
                return true;
            }
            ++removed;
            if (frame.ackFlow < 0)
            {
                return false;
            }
            frame.dataFlow = -1;
            frame.bytes = m_p.ackFrameBytes;
            return true;
        };
        while (!n.queue.empty())
        {
            EmuFrame frame = n.queue.pop_front();
            if (strip(frame))
            {
                kept.push_back(frame);
            }
        }
        n.queue = kept;
        if (n.contending && !strip(n.current))
        {
            // the pending attempt sends the next frame, or is withdrawn
            if (!n.queue.empty())
            {
                n.current = n.queue.pop_front();
            }
            else
            {
                n.contending = false;
                n.retries = 0;
                for (size_t i = 0; i < m_attempts.size(); ++i)
                {
                    if (m_attempts[i].node == flow.spec.sender)
                    {
                        m_attempts.erase(m_attempts.begin() + i);
                        break;
                    }
                }
                std::vector<EmuAttempt> pending;
                pending.swap(m_attempts);
                for (const auto& attempt : pending)
                {
                    Push(attempt);
                }
            }
        }
        flow.sent -= removed;
        flow.unacked = 0;
    }

    int64_t TxTime(uint32_t bytes) const
    {
        return static_cast<int64_t>(std::llround(bytes * 8.0 / m_p.dataRate * 1e9));
    }

    /// \return true when \p attempt finds the channel busy (the last frame's transmission or
    /// propagation)
    bool Busy(const EmuAttempt& attempt) const
    {
        return attempt.time < m_idleAt || (attempt.time == m_idleAt && attempt.scheduled < m_txEnd);
    }

    /// The attempt found the channel busy: Backoff::GetBackoffTime, and the next attempt.
    void BackOff(EmuAttempt& attempt)
    {
        Node& n = m_nodes[attempt.node];
        ++n.retries;
        const auto& [lowest, choices] =
            m_backoff[std::min<size_t>(n.retries, m_backoff.size() - 1)];
        uint32_t slots = lowest;
        if (choices > 1)
        {
            slots += static_cast<uint32_t>(((m_rng.Next() >> 32) * choices) >> 32);
        }
        attempt.scheduled = attempt.time;
        attempt.time += static_cast<int64_t>(slots) * m_slot;
        attempt.order = m_order++;
    }

    /// Add an attempt to the heap of pending attempts (earliest first).
    void Push(const EmuAttempt& attempt)
    {
        m_attempts.push_back(attempt);
        size_t i = m_attempts.size() - 1;
        while (i > 0)
        {
            const size_t parent = (i - 1) / 2;
            if (!(m_attempts[parent] > attempt))
            {
                break;
            }
            m_attempts[i] = m_attempts[parent];
            i = parent;
        }
        m_attempts[i] = attempt;
    }

    /// Restore the heap below the root, whose attempt became later.
    void SiftDown()
    {
        const size_t n = m_attempts.size();
        const EmuAttempt moving = m_attempts[0];
        size_t i = 0;
        while (true)
        {
            size_t child = 2 * i + 1;
            if (child >= n)
            {
                break;
            }
            if (child + 1 < n && m_attempts[child] > m_attempts[child + 1])
            {
                ++child;
            }
            if (!(moving > m_attempts[child]))
            {
                break;
            }
            m_attempts[i] = m_attempts[child];
            i = child;
        }
        m_attempts[i] = moving;
    }

    /// Replay until \p delivered data frames have been received.
    void Advance(uint64_t delivered)
    {
        while (m_delivered < delivered)
        {
            NS_ABORT_MSG_IF(m_attempts.empty(),
                            "CsmaContentionModel: the flows stall (a window below "
                            "segmentsPerAck="
                                << m_p.segmentsPerAck << " never releases an ACK)");
            EmuAttempt& earliest = m_attempts.front();
            if (Busy(earliest))
            {
                do
                {
                    BackOff(earliest);
                } while (Busy(earliest));
                SiftDown();
                continue;
            }
            const EmuAttempt winner = earliest;
            earliest = m_attempts.back();
            m_attempts.pop_back();
            if (!m_attempts.empty())
            {
                SiftDown();
            }
            Transmit(winner.node, winner.time);
        }
    }

    /// The device wins the channel at \p start: the frame, its end, its reception.
    void Transmit(uint32_t node, int64_t start)
    {
        Node& n = m_nodes[node];
        const EmuFrame frame = n.current;
        n.contending = false;
        n.retries = 0;
        m_txEnd = start + (frame.dataFlow >= 0 ? m_dataTxTime : m_ackTxTime);
        m_idleAt = m_txEnd + m_delay;
        const int64_t ready = m_txEnd + m_gap; // the end of the interframe gap
        n.inGap = true;
        if (m_p.segmentsPerAck == 0 && frame.dataFlow >= 0 && m_flows[frame.dataFlow].active)
        {
            // at the end of the transmission
            SendData(static_cast<uint32_t>(frame.dataFlow));
        }
        if (ready < m_idleAt)
        {
            // the gap ends while the frame propagates: the device senses busy and backs off
            n.inGap = false;
            Ready(node);
            Receive(frame);
        }
        else
        {
            // the reception (and the end of propagation) first
            Receive(frame);
            n.inGap = false;
            Ready(node);
        }
        m_now = m_idleAt;
    }

    /// CsmaNetDevice::TransmitReadyEvent (scheduled at the end of transmission, it runs at
    /// the end of the interframe gap) and the attempts that follow it.
    void Ready(uint32_t node)
    {
        Node& n = m_nodes[node];
        if (n.queue.empty())
        {
            return;
        }
        n.current = n.queue.pop_front();
        n.contending = true;
        if (m_ownGap.empty())
        {
            // too many outcomes to tabulate (a long delay): replay the attempts one by one,
            // from the sense at the end of the gap (scheduled at the end of transmission)
            n.retries = 0;
            Push(EmuAttempt{m_txEnd + m_gap, m_txEnd, m_order++, node});
            return;
        }
        // its attempts until the channel is idle, drawn at once from their exact distribution
        // (Walker's alias method: a column, then the column's outcome or its alias)
        const uint64_t bits = m_rng.Next();
        uint32_t k = static_cast<uint32_t>(((bits >> 32) * m_ownGap.size()) >> 32);
        if (static_cast<double>(bits & 0xffffffffULL) * 0x1.0p-32 >= m_ownGapAlias[k].first)
        {
            k = m_ownGapAlias[k].second;
        }
        const CsmaOwnGapOutcome& outcome = m_ownGap[k];
        n.retries = outcome.retries;
        Push(EmuAttempt{m_txEnd + outcome.time, m_txEnd + outcome.scheduled, m_order++, node});
    }

    /// CsmaNetDevice::SendFrom at a reception (the channel still propagating: back off at
    /// once), or at the start (the channel idle: attempt now).
    void Send(uint32_t node, const EmuFrame& frame)
    {
        Node& n = m_nodes[node];
        n.queue.push_back(frame);
        if (n.contending || n.inGap)
        {
            return;
        }
        n.current = n.queue.pop_front();
        n.contending = true;
        EmuAttempt attempt{m_now, m_now, m_order++, node};
        if (m_receiving)
        {
            BackOff(attempt);
        }
        Push(attempt);
    }

    /// TCP at the addressed node, at the end of the frame's propagation: the ACK field first,
    /// then the data.
    void Receive(const EmuFrame& frame)
    {
        m_now = m_idleAt;
        m_receiving = true;
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
        m_receiving = false;
    }

    /// TCP sender: send while the window allows (backlogged: data is always there).
    void Pump(uint32_t f)
    {
        if (!m_flows[f].active)
        {
            return;
        }
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
        ++m_sent;
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

    const CsmaContentionParameters& m_p;                           //!< parameters
    const std::vector<CsmaOwnGapOutcome>& m_ownGap;                //!< attempts after own frame
    const std::vector<std::pair<double, uint32_t>>& m_ownGapAlias; //!< their alias table
    SplitMix64 m_rng;                                              //!< backoff draws
    int64_t m_delay;                                               //!< ns
    int64_t m_gap;                                                 //!< ns
    int64_t m_slot;                                                //!< ns
    int64_t m_dataTxTime;                                          //!< ns per data frame
    int64_t m_ackTxTime;                                           //!< ns per pure ACK
    std::vector<std::pair<uint32_t, uint32_t>> m_backoff;          //!< by retries: lowest, choices
    std::vector<Node> m_nodes;                                     //!< devices
    std::vector<Flow> m_flows;                                     //!< flows
    std::vector<EmuAttempt> m_attempts;                            //!< pending attempts (a heap)
    int64_t m_txEnd{-1};                                           //!< end of the last transmission
    int64_t m_idleAt{0};     //!< the channel is idle from here
    bool m_receiving{false}; //!< in a reception
    int64_t m_now{0};        //!< ns
    uint64_t m_order{0};     //!< attempts scheduled
    uint64_t m_delivered{0}; //!< data frames received
    uint64_t m_sent{0};      //!< data segments handed to the devices (ever: Stop keeps them)
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> m_pairs; //!< flow index by sender, receiver
};

CsmaContentionModel::CsmaContentionModel(const CsmaContentionParameters& parameters)
    : m_parameters(parameters),
      m_evaluations(0),
      m_continuations(0)
{
    const std::string problem = CheckParameters(parameters);
    NS_ABORT_MSG_IF(!problem.empty(), "CsmaContentionModel: " << problem);
    m_ownGap = GetOwnGapOutcomes(parameters, MAX_OWN_GAP_OUTCOMES);
    std::vector<double> probabilities;
    for (const auto& outcome : m_ownGap)
    {
        probabilities.push_back(outcome.probability);
    }
    m_ownGapAlias = MakeAliasTable(probabilities);
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
    else if (p.batchFrames == 0 || p.measuredFrames < p.batchFrames)
    {
        os << "batchFrames=" << p.batchFrames << ", measuredFrames=" << p.measuredFrames
           << " are invalid: need 1 <= batchFrames <= measuredFrames";
    }
    else if (p.minBatches < 2)
    {
        os << "minBatches=" << p.minBatches
           << " is invalid: must be >= 2 (the batch means need two batches for an error)";
    }
    else if (!(p.tolerance >= 0.0) || !std::isfinite(p.tolerance))
    {
        os << "tolerance=" << p.tolerance
           << " is invalid: must be a relative error >= 0 (0: measure all the frames)";
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
    m_running.reset();
}

std::vector<CsmaOwnGapOutcome>
CsmaContentionModel::GetOwnGapOutcomes(const CsmaContentionParameters& p, size_t maxOutcomes)
{
    const int64_t d = p.delay.GetNanoSeconds();
    const int64_t slot = p.slot.GetNanoSeconds();
    // (attempt time, retries) -> probability of the attempts still before d; times from the
    // end of the transmission; the device senses at the end of the gap
    std::map<std::pair<int64_t, uint32_t>, double> pending{
        {{p.interframeGap.GetNanoSeconds(), 0}, 1.0}};
    // (attempt time, retries, when it was scheduled) -> probability of the first attempt at or
    // after d; the sense at the end of the gap was scheduled at the end of the transmission
    std::map<std::tuple<int64_t, uint32_t, int64_t>, double> done;
    if (p.interframeGap.GetNanoSeconds() >= d)
    {
        done[{p.interframeGap.GetNanoSeconds(), 0, 0}] = 1.0;
        pending.clear();
    }
    while (!pending.empty())
    {
        std::map<std::pair<int64_t, uint32_t>, double> next;
        for (const auto& [state, probability] : pending)
        {
            const auto [time, retries] = state;
            uint32_t lowest = 0;
            const uint32_t choices = BackoffChoices(p, retries + 1, lowest);
            for (uint32_t k = 0; k < choices; ++k)
            {
                const int64_t attempt = time + static_cast<int64_t>(lowest + k) * slot;
                if (attempt >= d)
                {
                    done[{attempt, retries + 1, time}] += probability / choices;
                }
                else
                {
                    next[{attempt, retries + 1}] += probability / choices;
                }
            }
            if (done.size() + next.size() > maxOutcomes)
            {
                return {};
            }
        }
        pending.swap(next);
    }
    std::vector<CsmaOwnGapOutcome> outcomes;
    for (const auto& [state, probability] : done)
    {
        const auto [time, retries, scheduled] = state;
        outcomes.push_back({probability, time, scheduled, retries});
    }
    return outcomes;
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

uint32_t
CsmaContentionModel::GetMeasuredFrames(uint32_t frames) const
{
    // a power of two times 1000 up to measuredFrames
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
    return measured;
}

CsmaContentionResult
CsmaContentionModel::Continue(const std::vector<CsmaFlowSpec>& flows, uint32_t frames)
{
    NS_ABORT_MSG_IF(flows.empty(), "CsmaContentionModel::Continue: no flows");
    const CsmaContentionParameters& p = m_parameters;
    std::vector<CsmaFlowSpec> specs;
    std::set<std::pair<uint32_t, uint32_t>> pairs;
    for (const auto& spec : flows)
    {
        NS_ABORT_MSG_IF(spec.sender == spec.receiver,
                        "CsmaContentionModel::Continue: flow from node " << spec.sender
                                                                         << " to itself");
        NS_ABORT_MSG_IF(!pairs.emplace(spec.sender, spec.receiver).second,
                        "CsmaContentionModel::Continue: two flows from node "
                            << spec.sender << " to node " << spec.receiver);
        specs.push_back({spec.sender,
                         spec.receiver,
                         std::min(std::max<uint32_t>(1, spec.window), p.maxWindow)});
    }
    const bool first = !m_running;
    if (first)
    {
        m_running =
            std::make_unique<CsmaEmulator>(p, std::vector<CsmaFlowSpec>{}, m_ownGap, m_ownGapAlias);
    }
    std::vector<uint32_t> indices;
    const uint64_t handed = m_running->Configure(specs, indices);
    const uint64_t warm = (first ? p.warmUpFrames + p.warmUpPerSegment * handed
                                 : p.continueWarmUpPerSegment * handed);
    const uint32_t measured = GetMeasuredFrames(frames);
    const uint32_t batches = std::max<uint32_t>(1, measured / p.batchFrames);
    // a set that will carry many frames is much of a run's error; short ones average out
    const double tolerance =
        (frames == 0 || frames >= p.measuredFrames) ? p.tolerance : p.continueTolerance;
    const EmuMeasurement measurement = m_running->Measure(warm,
                                                          p.batchFrames,
                                                          std::min(p.minBatches, batches),
                                                          batches,
                                                          tolerance);
    ++m_continuations;
    CsmaContentionResult result;
    result.frameTime = measurement.frameTime * 1e-9;
    result.frames = measurement.frames;
    result.relativeError = measurement.relativeError;
    result.warmUp = warm;
    for (uint32_t index : indices)
    {
        result.shares.push_back(measurement.shares[index]);
    }
    NS_LOG_INFO("continued " << flows.size() << " flows: warm-up " << warm << ", "
                             << measurement.frames << " data frames, " << result.frameTime * 1e6
                             << " us per data frame");
    return result;
}

CsmaContentionResult
CsmaContentionModel::Evaluate(const std::vector<CsmaFlowSpec>& flows, uint32_t frames)
{
    const uint32_t measured = GetMeasuredFrames(frames);
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
       << ' ' << p.warmUpFrames << ' ' << p.warmUpPerSegment << ' ' << p.batchFrames << ' '
       << p.minBatches << ' ' << p.tolerance << ' ' << measured << ' ' << p.seed << ' '
       << p.maxWindow << ':';
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
    result.frames = cached->second.frames;
    result.relativeError = cached->second.relativeError;
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
    CsmaEmulator emulator(m_parameters, flows, m_ownGap, m_ownGapAlias);
    uint64_t tokens = 0;
    for (const auto& flow : flows)
    {
        tokens += flow.window;
    }
    const CsmaContentionParameters& p = m_parameters;
    const uint32_t batches = std::max<uint32_t>(1, measured / p.batchFrames);
    const EmuMeasurement measurement = emulator.Run(p.warmUpFrames + p.warmUpPerSegment * tokens,
                                                    p.batchFrames,
                                                    std::min(p.minBatches, batches),
                                                    batches,
                                                    p.tolerance);
    NS_LOG_INFO("emulated " << flows.size() << " flows: " << measurement.frames << " of "
                            << batches * p.batchFrames << " data frames, relative error "
                            << measurement.relativeError);
    CsmaContentionResult result;
    result.frameTime = measurement.frameTime * 1e-9;
    result.shares = measurement.shares;
    result.frames = measurement.frames;
    result.relativeError = measurement.relativeError;
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

CsmaContentionModel::~CsmaContentionModel() = default;

uint64_t
CsmaContentionModel::GetContinuationCount() const
{
    return m_continuations;
}

uint64_t
CsmaContentionModel::GetEvaluationCount() const
{
    return m_evaluations;
}

} // namespace edgellm
} // namespace ns3
