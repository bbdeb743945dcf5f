/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_CSMA_CONTENTION_MODEL_H
#define EDGE_LLM_CSMA_CONTENTION_MODEL_H

#include "ns3/nstime.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The parameters of ns-3's CsmaNetDevice / CsmaChannel and of the TCP senders that the
 * CSMA contention model reproduces (ns-3.37 defaults unless the network changes them).
 */
struct CsmaContentionParameters
{
    double dataRate{100e6};               //!< channel rate, bit/s
    Time delay{NanoSeconds(6560)};        //!< channel delay: the channel stays busy this long
    Time interframeGap{NanoSeconds(960)}; //!< 96 bit times (CsmaNetDevice::Attach)
    Time slot{MicroSeconds(1)};           //!< Backoff::m_slotTime
    uint32_t minSlots{1};                 //!< Backoff::m_minSlots
    uint32_t maxSlots{1000};              //!< Backoff::m_maxSlots
    uint32_t ceiling{10};                 //!< Backoff::m_ceiling
    uint32_t dataFrameBytes{1518};        //!< a full TCP segment on the wire
    uint32_t ackFrameBytes{70};           //!< a pure TCP ACK on the wire
    uint32_t segmentsPerAck{2};           //!< TcpSocket::DelAckCount; 0: no ACKs, always backlogged
    uint32_t initialWindow{10};           //!< TcpSocket::InitialCwnd, segments
    uint32_t slowStartExitWindow{16};     //!< TcpCubic::HyStartLowWindow (0: no exit)
    uint32_t growthClamp{20};             //!< TcpCubic::CntClamp: +1 segment per this many acked
    uint32_t maxWindow{2896};             //!< the smaller socket buffer, in segments
    uint32_t warmUpFrames{1000};          //!< data frames before measuring, plus:
    uint32_t warmUpPerSegment{3};         //!< data frames before measuring per window segment
    /// Continue: data frames before measuring per segment a change of the flows hands over
    uint32_t continueWarmUpPerSegment{2};
    /// Continue: stop at this relative standard error of the frame time (0: never), on a set
    /// asked for fewer than measuredFrames frames (a longer one stops at tolerance)
    double continueTolerance{0.02};
    uint32_t measuredFrames{20000}; //!< data frames measured at most
    uint32_t batchFrames{500};      //!< data frames per batch of the batch means
    uint32_t minBatches{4};         //!< batches measured at least (>= 2)
    double tolerance{
        0.01}; //!< stop when the frame time's relative standard error is this (0: never)
    uint64_t seed{20261123}; //!< generator of the emulated backoff draws
};

/**
 * \ingroup edge-llm
 * \brief One way a device's attempts after its own frame can end, when it has another frame
 * queued: its first attempt once the channel is idle again (times from the end of the
 * transmission).
 */
struct CsmaOwnGapOutcome
{
    double probability; //!< of this outcome
    int64_t time;       //!< the attempt, ns after the end of the transmission (>= the delay)
    int64_t scheduled;  //!< when that attempt was scheduled (the previous attempt), ns after it
    uint32_t retries;   //!< backoff retries so far
};

/**
 * \ingroup edge-llm
 * \brief A TCP flow on the CSMA segment as the contention model sees it.
 */
struct CsmaFlowSpec
{
    uint32_t sender;   //!< node sending the data
    uint32_t receiver; //!< node sending the ACKs
    uint32_t window;   //!< TCP window in segments (congestion window, at most maxWindow)
};

/**
 * \ingroup edge-llm
 * \brief What the contention model says about a set of flows.
 */
struct CsmaContentionResult
{
    double frameTime{0};        //!< channel seconds per data frame, all flows together
    std::vector<double> shares; //!< each flow's fraction of the data frames (sum 1)
    uint64_t frames{0};         //!< data frames the emulation measured
    double relativeError{0};    //!< the batch means' relative standard error of frameTime
    uint64_t warmUp{0};         //!< data frames replayed before measuring
};

class CsmaEmulator;

/**
 * \ingroup edge-llm
 * \brief Channel time per data frame on ns-3's CSMA segment for a set of window-limited TCP
 * flows, derived from CsmaNetDevice's backoff rules.
 *
 * CsmaNetDevice transmits when it finds the channel IDLE; otherwise it backs off
 * floor(U(minSlots, 2^min(retries, ceiling) - 1)) slots (at most maxSlots) and senses again,
 * the retry count growing until it transmits. The channel stays busy for the delay after
 * every frame, and a device waits the interframe gap after its own frame, so a device with
 * another frame queued finds the channel busy and backs off (GetExpectedGapAfterOwnFrame), and
 * a device that has waited through long frames has a large retry count: it rarely wins the
 * short idle gaps, and once the holder's queue runs dry the channel idles until that late
 * attempt. TCP ties the queues together (ACKs release data, data releases ACKs), so how long
 * the channel idles depends on which nodes send data and ACKs and on the TCP windows.
 *
 * Evaluate computes this with the exact rules: a replay of the devices' transmit state
 * machines and the channel's states (frame, delay, interframe gap, backoff, event order of
 * ns-3's scheduler) with TCP reduced to its window and delayed ACKs (every segmentsPerAck
 * segments; an ACK piggybacks on data of the reverse direction), all flows backlogged. It
 * steps from frame to frame: attempts that fall while the channel is busy back off without an
 * event, and a device's attempts after its own frame are drawn at once from their exact
 * distribution (GetOwnGapOutcomes). After a warm-up it measures batches of batchFrames data
 * frames and stops once the batch means put the frame time's relative standard error at
 * tolerance or below (at least minBatches batches, at most the frames asked for). The backoff
 * draws come from a generator seeded by FlowNetworkModel from an ns-3 random stream (the
 * run's seed and run number, AssignStreams): the same seed gives the same result; the result
 * is cached per flow set and seed.
 */
class CsmaContentionModel
{
  public:
    /**
     * \param parameters the MAC and TCP parameters
     */
    explicit CsmaContentionModel(const CsmaContentionParameters& parameters);
    ~CsmaContentionModel();
    CsmaContentionModel(const CsmaContentionModel&) = delete;
    CsmaContentionModel& operator=(const CsmaContentionModel&) = delete;

    /**
     * \brief Check the parameters.
     * \param parameters the parameters
     * \return "" when usable, otherwise the problem
     */
    static std::string CheckParameters(const CsmaContentionParameters& parameters);

    /// \return the parameters
    const CsmaContentionParameters& GetParameters() const;

    /**
     * \brief Seed the emulated backoff draws (FlowNetworkModel draws it from an ns-3 random
     * stream, so the run's seed and run number reach it).
     * \param seed the generator's seed (Continue's emulation starts over)
     */
    void SetSeed(uint64_t seed);

    /**
     * \brief Expected time from the channel becoming idle after a device's own frame to that
     * device's next attempt, when it has another frame queued: exact, from the backoff rules.
     *
     * After its frame the device waits the interframe gap g and senses at g; the channel is
     * busy until the delay d, so it backs off 1 slot (retry 1: floor(U(1, 1)) = 1), then
     * floor(U(1, 3)) slots, floor(U(1, 7)), ... until its attempt falls after d.
     * \param parameters the MAC parameters
     * \return the expected idle time before the attempt, in seconds
     */
    static double GetExpectedGapAfterOwnFrame(const CsmaContentionParameters& parameters);

    /**
     * \brief The distribution behind GetExpectedGapAfterOwnFrame: every way the device's
     * attempts can go until the first falls at or after the delay, exact from the backoff rules
     * (the emulation draws from it instead of replaying those attempts one by one).
     * \param parameters the MAC parameters
     * \param maxOutcomes the most outcomes to tabulate
     * \return the outcomes, probabilities summing to 1; empty when there would be more than
     *         \p maxOutcomes (a delay of many slots)
     */
    static std::vector<CsmaOwnGapOutcome> GetOwnGapOutcomes(
        const CsmaContentionParameters& parameters,
        size_t maxOutcomes = 1000000);

    /**
     * \brief Congestion window after \p segmentsAcked segments were acknowledged on a fresh
     * connection: slow start (one segment per segment acked, RFC 3465) from initialWindow
     * until slowStartExitWindow (HyStart's low window: on a LAN its ACK-train test fires at
     * once), then one segment per growthClamp segments acked (CUBIC without any loss: its
     * cubic term is negligible and CntClamp bounds the count), at most maxWindow.
     * \param parameters the TCP parameters
     * \param segmentsAcked segments acknowledged so far
     * \return the window in segments
     */
    static double GetWindow(const CsmaContentionParameters& parameters, double segmentsAcked);

    /**
     * \brief Mean channel time per data frame (all flows together) for these flows, backlogged
     * and window-limited: frame and ACK airtime, the delay after each frame and the idle
     * gaps; and how the data frames divide among the flows (a flow with more segments in
     * flight gets more, as TCP flows sharing a FIFO without loss do). Cached for the whole
     * process by parameters and flow set (node labels canonical, windows as given).
     * \param flows the flows (at least one; sender != receiver)
     * \param frames data frames to measure at most (rounded up to 1000 times a power of two,
     *        at most measuredFrames; fewer once the estimate is within tolerance); 0:
     *        measuredFrames
     * \return the frame time and the shares, in the order of \p flows
     */
    CsmaContentionResult Evaluate(const std::vector<CsmaFlowSpec>& flows, uint32_t frames = 0);

    /**
     * \brief Like Evaluate, but the model's one running emulation goes on from where the last
     * call left it, with these flows (a flow is its sender and receiver: a pair that ran
     * before keeps its queues and counters; flows that left stop, their queued data removed;
     * new ones start), instead of a fresh emulation per flow set. A run's flow sets follow one
     * another, each one flow apart from the last, so the devices' queues and backoff state are
     * close to what the new set starts from: the warm-up is continueWarmUpPerSegment frames
     * per segment the change hands to the devices (warmUpFrames more on the first call), not
     * the full warm-up; it stops at continueTolerance, or at tolerance when \p frames is 0 or
     * at least measuredFrames (a long set is much of a run's error; short ones average out).
     * The result depends on the calls before: it is not cached.
     * \param flows the flows (at least one; sender != receiver; one per pair)
     * \param frames data frames to measure at most, as Evaluate
     * \return the frame time and the shares, in the order of \p flows
     */
    CsmaContentionResult Continue(const std::vector<CsmaFlowSpec>& flows, uint32_t frames = 0);

    /// \return the number of Continue calls
    uint64_t GetContinuationCount() const;

    /// \return the number of emulations this model ran (flow sets not yet in the process-wide
    /// cache)
    uint64_t GetEvaluationCount() const;

    /**
     * \brief Quantize a window to the grid the cache uses: 2^(k/2) segments, rounded.
     * \param window a window in segments (>= 1)
     * \return the grid window
     */
    static uint32_t QuantizeWindow(double window);

  private:
    /**
     * \param flows canonical flows
     * \param measured data frames to measure
     * \return the emulated frame time and shares
     */
    CsmaContentionResult Emulate(const std::vector<CsmaFlowSpec>& flows, uint32_t measured);

    /**
     * \param frames data frames asked for (0: measuredFrames)
     * \return data frames to measure at most: 1000 times a power of two, at most measuredFrames
     */
    uint32_t GetMeasuredFrames(uint32_t frames) const;

    CsmaContentionParameters m_parameters;                  //!< parameters
    std::unique_ptr<CsmaEmulator> m_running;                //!< Continue's emulation
    uint64_t m_evaluations;                                 //!< emulations run by this model
    uint64_t m_continuations;                               //!< Continue calls
    std::vector<CsmaOwnGapOutcome> m_ownGap;                //!< GetOwnGapOutcomes of the parameters
    std::vector<std::pair<double, uint32_t>> m_ownGapAlias; //!< their alias table
};

} // namespace edgellm
} // namespace ns3

#endif // EDGE_LLM_CSMA_CONTENTION_MODEL_H
