/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-channel-monitor.h"

#include "nr-link-adaptation.h"

#include "ns3/double.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/trace-source-accessor.h"

#include <cmath>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaChannelMonitor");
NS_OBJECT_ENSURE_REGISTERED(OfdmaChannelMonitor);

TypeId
OfdmaChannelMonitor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OfdmaChannelMonitor")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<OfdmaChannelMonitor>()
            .AddAttribute("Alpha",
                          "Weight of the newest measurement in the recent SINR average",
                          DoubleValue(0.1),
                          MakeDoubleAccessor(&OfdmaChannelMonitor::m_alpha),
                          MakeDoubleChecker<double>(1e-6, 1))
            .AddTraceSource("Sinr",
                            "Effective SINR of a received transport block",
                            MakeTraceSourceAccessor(&OfdmaChannelMonitor::m_sinrTrace),
                            "ns3::OfdmaChannelMonitor::SinrTracedCallback");
    return tid;
}

OfdmaChannelMonitor::OfdmaChannelMonitor()
    : m_devices(0),
      m_resourceBlocks(0),
      m_linkAdaptation("mcs"),
      m_gapDb(0),
      m_blerSlope(1),
      m_alpha(0.1)
{
}

void
OfdmaChannelMonitor::SetRateModel(const std::string& linkAdaptation, double gapDb, double blerSlope)
{
    m_linkAdaptation = linkAdaptation;
    m_gapDb = gapDb;
    m_blerSlope = blerSlope;
}

void
OfdmaChannelMonitor::SetHarqSettings(const NrHarqSettings& settings)
{
    m_harq = settings;
}

void
OfdmaChannelMonitor::RecordOllaOffset(uint32_t device, bool downlink, double offsetDb)
{
    m_ollaOffsetDb[Index(device, downlink)] = offsetDb;
}

double
OfdmaChannelMonitor::GetOllaOffsetDb(uint32_t device, bool downlink) const
{
    return m_ollaOffsetDb[Index(device, downlink)];
}

void
OfdmaChannelMonitor::Configure(uint32_t devices, uint32_t resourceBlocks, Time slot)
{
    m_devices = devices;
    m_resourceBlocks = resourceBlocks;
    m_slot = slot;
    m_lastSinrDb.assign(2 * devices, 0);
    m_averageSinrDb.assign(2 * devices, 0);
    m_lastRxPowerDbm.assign(2 * devices, 0);
    m_count.assign(2 * devices, 0);
    m_delivered.assign(2 * devices, 0);
    m_ollaOffsetDb.assign(2 * devices, 0);
}

size_t
OfdmaChannelMonitor::Index(uint32_t device, bool downlink) const
{
    if (device >= m_devices)
    {
        NS_FATAL_ERROR("device=" << device << " is invalid: the cell has " << m_devices
                                 << " devices (0.." << m_devices - 1 << ")");
    }
    return 2 * device + (downlink ? 1 : 0);
}

void
OfdmaChannelMonitor::RecordSinr(uint32_t device, bool downlink, double sinrDb, double rxPowerDbm)
{
    size_t k = Index(device, downlink);
    m_lastSinrDb[k] = sinrDb;
    m_averageSinrDb[k] =
        m_count[k] == 0 ? sinrDb : (1 - m_alpha) * m_averageSinrDb[k] + m_alpha * sinrDb;
    m_lastRxPowerDbm[k] = rxPowerDbm;
    m_count[k]++;
    m_sinrTrace(device, downlink, sinrDb);
}

void
OfdmaChannelMonitor::RecordDelivered(uint32_t device, bool downlink, uint64_t bytes)
{
    m_delivered[Index(device, downlink)] += bytes;
}

bool
OfdmaChannelMonitor::HasMeasurement(uint32_t device, bool downlink) const
{
    return m_count[Index(device, downlink)] > 0;
}

double
OfdmaChannelMonitor::GetLastSinrDb(uint32_t device, bool downlink) const
{
    return m_lastSinrDb[Index(device, downlink)];
}

double
OfdmaChannelMonitor::GetSinrDb(uint32_t device, bool downlink) const
{
    return m_averageSinrDb[Index(device, downlink)];
}

double
OfdmaChannelMonitor::GetLastRxPowerDbm(uint32_t device, bool downlink) const
{
    return m_lastRxPowerDbm[Index(device, downlink)];
}

uint64_t
OfdmaChannelMonitor::GetDeliveredBytes(uint32_t device, bool downlink) const
{
    return m_delivered[Index(device, downlink)];
}

uint64_t
OfdmaChannelMonitor::GetMeasurementCount(uint32_t device, bool downlink) const
{
    return m_count[Index(device, downlink)];
}

double
OfdmaChannelMonitor::PredictRateBps(double sinrDb, uint32_t rbs) const
{
    double bits;
    if (m_linkAdaptation == "shannon")
    {
        // Whole bytes, as the base station sizes its blocks.
        bits = NrLinkAdaptation::GetShannonTransportBlockSizeBits(sinrDb, m_gapDb, rbs) / 8 * 8;
    }
    else
    {
        NrHarqSettings settings = m_harq;
        settings.gapDb = m_gapDb;
        settings.blerSlope = m_blerSlope;
        bits = NrLinkAdaptation::GetExpectedLink(sinrDb, rbs, {}, settings).bitsPerSlot;
    }
    return bits / m_slot.GetSeconds();
}

double
OfdmaChannelMonitor::GetAchievableRateBps(uint32_t device, bool downlink, double share) const
{
    if (!HasMeasurement(device, downlink))
    {
        return 0;
    }
    auto rbs = static_cast<uint32_t>(std::round(share * m_resourceBlocks));
    return PredictRateBps(GetSinrDb(device, downlink), rbs);
}

} // namespace edgellm
} // namespace ns3
