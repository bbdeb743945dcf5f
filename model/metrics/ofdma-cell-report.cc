/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-cell-report.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <fstream>
#include <iomanip>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaCellReport");

OfdmaCellReport::OfdmaCellReport(Ptr<OfdmaBsNetDevice> bs, Time warmUp, Time stop)
    : m_bs(bs),
      m_warmUp(warmUp),
      m_stop(stop)
{
    NS_ABORT_MSG_IF(!bs, "OfdmaCellReport: the base station is null");
    NS_ABORT_MSG_IF(warmUp < Simulator::Now() || stop <= warmUp,
                    "OfdmaCellReport: warmUp=" << warmUp.As(Time::S)
                                               << " and stop=" << stop.As(Time::S)
                                               << " are invalid: need now <= warmUp < stop");
    m_mcs.assign(2 * bs->GetUeCount(), 0);
    m_bs->TraceConnectWithoutContext("Grant", MakeCallback(&OfdmaCellReport::OnGrant, this));
    m_startEvent =
        Simulator::Schedule(warmUp - Simulator::Now(), &OfdmaCellReport::Snapshot, this, &m_start);
    m_endEvent =
        Simulator::Schedule(stop - Simulator::Now(), &OfdmaCellReport::Snapshot, this, &m_end);
}

OfdmaCellReport::~OfdmaCellReport()
{
    Simulator::Cancel(m_startEvent);
    Simulator::Cancel(m_endEvent);
    m_bs->TraceDisconnectWithoutContext("Grant", MakeCallback(&OfdmaCellReport::OnGrant, this));
}

void
OfdmaCellReport::OnGrant(uint64_t slot,
                         uint32_t device,
                         bool downlink,
                         uint32_t firstRb,
                         uint32_t rbs,
                         uint32_t mcs,
                         uint32_t bits)
{
    m_mcs.at(2 * device + (downlink ? 1 : 0)) = mcs;
}

void
OfdmaCellReport::Snapshot(std::vector<uint64_t>* bytes)
{
    bytes->clear();
    Ptr<OfdmaChannelMonitor> monitor = m_bs->GetChannelMonitor();
    for (uint32_t i = 0; i < m_bs->GetUeCount(); ++i)
    {
        bytes->push_back(monitor->GetDeliveredBytes(i, false));
        bytes->push_back(monitor->GetDeliveredBytes(i, true));
    }
}

std::vector<OfdmaLinkRow>
OfdmaCellReport::GetRows() const
{
    NS_ABORT_MSG_IF(m_end.empty(),
                    "OfdmaCellReport::GetRows: the measurement ends at "
                        << m_stop.As(Time::S) << ": run the simulation past it first");
    uint32_t devices = m_bs->GetUeCount();
    uint32_t rbs = m_bs->GetResourceBlockCount();
    Ptr<OfdmaChannelMonitor> monitor = m_bs->GetChannelMonitor();
    double seconds = (m_stop - m_warmUp).GetSeconds();
    std::vector<OfdmaLinkRow> rows;
    for (uint32_t i = 0; i < devices; ++i)
    {
        for (int dl = 0; dl < 2; ++dl)
        {
            OfdmaLinkRow row;
            row.device = i;
            row.downlink = dl == 1;
            // The share the scheduler gives a backlogged device: its bandwidth share, or an
            // equal part with the work-conserving schedulers.
            row.share = m_bs->GrantsBandwidthShares() ? m_bs->GetBandwidthShare(i) : 1.0 / devices;
            row.sinrDb = monitor->GetSinrDb(i, row.downlink);
            row.mcs = m_mcs[2 * i + dl];
            row.goodputBps = (m_end[2 * i + dl] - m_start[2 * i + dl]) * 8.0 / seconds;
            row.predictedBps = monitor->PredictRateBps(row.sinrDb, rbs) * row.share;
            rows.push_back(row);
        }
    }
    return rows;
}

void
OfdmaCellReport::Print(std::ostream& os) const
{
    StringValue linkAdaptation;
    m_bs->GetAttribute("LinkAdaptation", linkAdaptation);
    std::ios::fmtflags flags = os.flags();
    std::streamsize precision = os.precision();
    os << std::left << std::setw(7) << "device" << std::setw(5) << "dir" << std::setw(7) << "share"
       << std::setw(10) << "SINR dB" << std::setw(5) << "MCS" << std::setw(14) << "goodput Mb/s"
       << std::setw(16) << "predicted Mb/s"
       << "ratio\n";
    for (const OfdmaLinkRow& row : GetRows())
    {
        double ratio = row.predictedBps > 0 ? row.goodputBps / row.predictedBps : 0;
        os << std::left << std::fixed << std::setprecision(3) << std::setw(7) << row.device
           << std::setw(5) << (row.downlink ? "DL" : "UL") << std::setw(7) << row.share
           << std::setprecision(2) << std::setw(10) << row.sinrDb << std::setw(5)
           << (linkAdaptation.Get() == "mcs" ? std::to_string(row.mcs) : "-") << std::setw(14)
           << row.goodputBps / 1e6 << std::setw(16) << row.predictedBps / 1e6
           << std::setprecision(3) << ratio << "\n";
    }
    os.flags(flags);
    os.precision(precision);
}

bool
OfdmaCellReport::WriteCsv(const std::string& path) const
{
    std::ofstream file(path);
    if (!file)
    {
        return false;
    }
    file << "device,direction,share,sinr_db,mcs,goodput_mbps,predicted_mbps,ratio\n";
    for (const OfdmaLinkRow& row : GetRows())
    {
        double ratio = row.predictedBps > 0 ? row.goodputBps / row.predictedBps : 0;
        file << row.device << "," << (row.downlink ? "DL" : "UL") << "," << row.share << ","
             << row.sinrDb << "," << row.mcs << "," << row.goodputBps / 1e6 << ","
             << row.predictedBps / 1e6 << "," << ratio << "\n";
    }
    return static_cast<bool>(file);
}

} // namespace edgellm
} // namespace ns3
