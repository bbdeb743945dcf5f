/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_OFDMA_CELL_REPORT_H
#define EDGE_LLM_OFDMA_CELL_REPORT_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/ofdma-bs-net-device.h"

#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief What OfdmaCellReport measured on one link (device and direction).
 */
struct OfdmaLinkRow
{
    uint32_t device{0};     //!< the device index
    bool downlink{false};   //!< the direction
    double share{0};        //!< the share of the RBs the prediction assumes
    double sinrDb{0};       //!< the recent (averaged) effective SINR
    uint32_t mcs{0};        //!< the MCS of the link's last grant (0 with Shannon)
    double goodputBps{0};   //!< delivered bits per second between warm-up and stop
    double predictedBps{0}; //!< the link adaptation's rate at sinrDb with that share
};

/**
 * \ingroup edge-llm
 * \brief Measures every link of an OFDMA cell against the link adaptation's prediction: the
 * goodput delivered between a warm-up time and a stop time (the channel monitor's delivered
 * bytes), the recent SINR, the MCS of the last grant (the Grant trace), and the rate
 * OfdmaChannelMonitor::PredictRateBps gives at that SINR for the device's share: its bandwidth
 * share with OfdmaSharesScheduler, 1/n with the other schedulers (backlogged devices).
 *
 * \code
 *   OfdmaCellHelper::KeepBacklogged(bs, Seconds(2));
 *   OfdmaCellReport report(bs, Seconds(0.2), Seconds(2));
 *   Simulator::Stop(Seconds(2.001));
 *   Simulator::Run();
 *   report.Print(std::cout);
 * \endcode
 *
 * The report schedules two events and connects to the base station's Grant trace: it must
 * outlive Simulator::Run (its destructor cancels and disconnects them).
 */
class OfdmaCellReport
{
  public:
    /**
     * \brief Start measuring.
     * \param bs the base station
     * \param warmUp start of the goodput measurement (absolute time, at least now)
     * \param stop its end (after warmUp)
     */
    OfdmaCellReport(Ptr<OfdmaBsNetDevice> bs, Time warmUp, Time stop);
    ~OfdmaCellReport();

    OfdmaCellReport(const OfdmaCellReport&) = delete;
    OfdmaCellReport& operator=(const OfdmaCellReport&) = delete;

    /// \return one row per device and direction (uplink first); NS_FATAL_ERROR before stop
    std::vector<OfdmaLinkRow> GetRows() const;

    /**
     * \brief Print the rows as an aligned table (share, SINR, MCS or "-" with Shannon, goodput
     *        and predicted Mb/s, their ratio).
     * \param os the stream (its format flags are restored)
     */
    void Print(std::ostream& os) const;

    /**
     * \brief Write the rows as CSV: device,direction,share,sinr_db,mcs,goodput_mbps,
     *        predicted_mbps,ratio.
     * \param path the file
     * \return false when the file cannot be written
     */
    bool WriteCsv(const std::string& path) const;

  private:
    /**
     * \brief Grant trace sink: remember the link's MCS.
     * \param slot the slot
     * \param device the device
     * \param downlink the direction
     * \param firstRb the first RB
     * \param rbs the RBs
     * \param mcs the MCS
     * \param bits the TB bits
     */
    void OnGrant(uint64_t slot,
                 uint32_t device,
                 bool downlink,
                 uint32_t firstRb,
                 uint32_t rbs,
                 uint32_t mcs,
                 uint32_t bits);
    /// \param[out] bytes the delivered bytes of every link now
    void Snapshot(std::vector<uint64_t>* bytes);

    Ptr<OfdmaBsNetDevice> m_bs;    //!< the base station
    Time m_warmUp;                 //!< measurement start
    Time m_stop;                   //!< measurement end
    std::vector<uint32_t> m_mcs;   //!< last MCS per (device, direction)
    std::vector<uint64_t> m_start; //!< delivered bytes at warm-up
    std::vector<uint64_t> m_end;   //!< delivered bytes at stop
    EventId m_startEvent;          //!< warm-up snapshot
    EventId m_endEvent;            //!< stop snapshot
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_OFDMA_CELL_REPORT_H */
