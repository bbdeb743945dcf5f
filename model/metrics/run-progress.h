/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_RUN_PROGRESS_H
#define EDGE_LLM_RUN_PROGRESS_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief A progress line for long runs, at least every Interval of wall time: the simulated
 * time, the bytes delivered, the wall time and an estimate of the wall time left.
 *
 * Like ns-3's ShowProgress it checks the wall clock from simulated events, spaced adaptively in
 * simulated time so that a check comes about every Interval / 10 of wall time; unlike it, it
 * knows the run's bytes and how far it is (a fraction the caller gives), and it stops checking
 * when nothing else is left to simulate, so it never keeps a run alive. Lines go to the given
 * stream (standard error by default); none at all when the run is over before the first
 * interval.
 */
class RunProgress : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    RunProgress();
    ~RunProgress() override;

    /**
     * \brief Start checking (from the current simulated time).
     * \param label what the line is about, e.g. the run's name
     * \param bytesDelivered the bytes delivered so far
     * \param fractionDone how far the run is, in [0, 1]
     */
    void Start(const std::string& label,
               std::function<uint64_t()> bytesDelivered,
               std::function<double()> fractionDone);

    /** \param os the stream for the lines (not owned; it must outlive the run) */
    void SetStream(std::ostream* os);

    /** \return the number of lines written so far */
    uint32_t GetLineCount() const;

    /**
     * \brief The line for a state of the run.
     * \param label the run
     * \param simSeconds simulated time
     * \param bytes bytes delivered
     * \param wallSeconds wall time since the start
     * \param fraction how far the run is, in [0, 1]
     * \return e.g. "[progress] dssda: simulated 12.300 s, 1.23 GB delivered, wall 10 s, 35%
     * done, about 19 s left"
     */
    static std::string FormatLine(const std::string& label,
                                  double simSeconds,
                                  uint64_t bytes,
                                  double wallSeconds,
                                  double fraction);

  private:
    void DoDispose() override;
    /// Look at the wall clock; write a line when Interval has passed; schedule the next look.
    void Check();

    Time m_interval;                                   //!< wall time between lines
    Time m_step;                                       //!< simulated time between checks (adapted)
    Time m_maxStep;                                    //!< the largest step
    std::string m_label;                               //!< the run
    std::function<uint64_t()> m_bytes;                 //!< bytes delivered so far
    std::function<double()> m_done;                    //!< fraction done
    std::ostream* m_os;                                //!< where the lines go
    std::chrono::steady_clock::time_point m_start;     //!< wall clock at Start
    std::chrono::steady_clock::time_point m_lastLine;  //!< wall clock at the last line
    std::chrono::steady_clock::time_point m_lastCheck; //!< wall clock at the last check
    EventId m_event;                                   //!< the next check
    uint32_t m_lines{0};                               //!< lines written
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_RUN_PROGRESS_H */
