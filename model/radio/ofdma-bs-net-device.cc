/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-bs-net-device.h"

#include "nr-link-adaptation.h"
#include "nr-numerology.h"
#include "ofdma-shares-scheduler.h"
#include "ofdma-ue-net-device.h"
#include "propagation-loss-chain.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaBsNetDevice");
NS_OBJECT_ENSURE_REGISTERED(OfdmaBsNetDevice);

TypeId
OfdmaBsNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OfdmaBsNetDevice")
            .SetParent<OfdmaNetDevice>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<OfdmaBsNetDevice>()
            .AddAttribute("Scheduler",
                          "RB scheduler of the uplink carrier, an OfdmaScheduler "
                          "(OfdmaSharesScheduler, OfdmaRoundRobinScheduler, "
                          "OfdmaProportionalFairScheduler); the downlink carrier gets a copy "
                          "(same TypeId and attribute values, its own state). Default: an "
                          "OfdmaSharesScheduler of the base station's own.",
                          PointerValue(),
                          MakePointerAccessor(&OfdmaBsNetDevice::SetScheduler,
                                              &OfdmaBsNetDevice::GetUplinkScheduler),
                          MakePointerChecker<OfdmaScheduler>())
            .AddAttribute("LinkAdaptation",
                          "mcs (TS 38.214 table 1 with the BLER model) or shannon",
                          StringValue("mcs"),
                          MakeStringAccessor(&OfdmaBsNetDevice::SetLinkAdaptation,
                                             &OfdmaBsNetDevice::GetLinkAdaptation),
                          MakeStringChecker())
            .AddAttribute("McsGapDb",
                          "Gap (dB) of each MCS's 10% BLER threshold to Shannon capacity",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&OfdmaBsNetDevice::m_mcsGapDb),
                          MakeDoubleChecker<double>(0, 20))
            .AddAttribute("ShannonGapDb",
                          "Gap (dB) to Shannon capacity with LinkAdaptation=shannon",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&OfdmaBsNetDevice::m_shannonGapDb),
                          MakeDoubleChecker<double>(0, 20))
            .AddAttribute("BlerSlope",
                          "Slope (per dB) of the logistic BLER curve",
                          DoubleValue(1.5),
                          MakeDoubleAccessor(&OfdmaBsNetDevice::m_blerSlope),
                          MakeDoubleChecker<double>(0.01, 100))
            .AddAttribute("TxPowerDbm",
                          "Downlink transmit power (dBm), spread over all RBs",
                          DoubleValue(30),
                          MakeDoubleAccessor(&OfdmaBsNetDevice::m_txPowerDbm),
                          MakeDoubleChecker<double>(-100, 80))
            .AddAttribute("InitialSinrDb",
                          "SINR (dB) link adaptation assumes before a link's first measurement",
                          DoubleValue(0),
                          MakeDoubleAccessor(&OfdmaBsNetDevice::m_initialSinrDb),
                          MakeDoubleChecker<double>(-20, 60))
            .AddAttribute("MaxHarqTransmissions",
                          "Transmissions of a transport block before it is dropped",
                          UintegerValue(4),
                          MakeUintegerAccessor(&OfdmaBsNetDevice::m_maxHarqTransmissions),
                          MakeUintegerChecker<uint32_t>(1, 16))
            .AddAttribute("HarqCombining",
                          "Chase combining: add the SINR of a block's transmissions",
                          BooleanValue(true),
                          MakeBooleanAccessor(&OfdmaBsNetDevice::m_harqCombining),
                          MakeBooleanChecker())
            .AddAttribute("OuterLoopLinkAdaptation",
                          "Outer-loop link adaptation (LinkAdaptation=mcs): a per-link offset "
                          "added to the measured SINR before the MCS choice, moved by the HARQ "
                          "feedback of first transmissions so that their BLER settles at "
                          "OllaTargetBler (as NR base stations do); false: the MCS follows the "
                          "measured SINR alone",
                          BooleanValue(true),
                          MakeBooleanAccessor(&OfdmaBsNetDevice::m_olla),
                          MakeBooleanChecker())
            .AddAttribute("OllaTargetBler",
                          "First-transmission BLER the outer loop aims at, in (0, 1)",
                          DoubleValue(0.1),
                          MakeDoubleAccessor(&OfdmaBsNetDevice::SetOllaTargetBler,
                                             &OfdmaBsNetDevice::GetOllaTargetBler),
                          MakeDoubleChecker<double>())
            .AddAttribute("OllaStepDb",
                          "Outer-loop offset step (dB) on an ACK, in (0, 1]; a NACK lowers it by "
                          "OllaStepDb (1 - OllaTargetBler) / OllaTargetBler",
                          DoubleValue(0.01),
                          MakeDoubleAccessor(&OfdmaBsNetDevice::SetOllaStepDb,
                                             &OfdmaBsNetDevice::GetOllaStepDb),
                          MakeDoubleChecker<double>())
            .AddAttribute("OllaMaxOffsetDb",
                          "The outer-loop offset stays in [-OllaMaxOffsetDb, +OllaMaxOffsetDb] "
                          "(dB), in (0, 60]",
                          DoubleValue(20),
                          MakeDoubleAccessor(&OfdmaBsNetDevice::SetOllaMaxOffsetDb,
                                             &OfdmaBsNetDevice::GetOllaMaxOffsetDb),
                          MakeDoubleChecker<double>())
            .AddAttribute("MaxQueueBytes",
                          "Capacity of each downlink byte queue",
                          UintegerValue(8000000),
                          MakeUintegerAccessor(&OfdmaBsNetDevice::SetMaxQueueBytes,
                                               &OfdmaBsNetDevice::GetMaxQueueBytes),
                          MakeUintegerChecker<uint64_t>(1500))
            .AddTraceSource("Grant",
                            "RBs granted to a device in a slot",
                            MakeTraceSourceAccessor(&OfdmaBsNetDevice::m_grantTrace),
                            "ns3::OfdmaBsNetDevice::GrantTracedCallback")
            .AddTraceSource("TbRx",
                            "A transport block was received (decoded or not)",
                            MakeTraceSourceAccessor(&OfdmaBsNetDevice::m_tbRxTrace),
                            "ns3::OfdmaBsNetDevice::TbRxTracedCallback")
            .AddTraceSource("Harq",
                            "A transport block's HARQ process ended",
                            MakeTraceSourceAccessor(&OfdmaBsNetDevice::m_harqTrace),
                            "ns3::OfdmaBsNetDevice::HarqTracedCallback")
            .AddTraceSource("OllaOffset",
                            "A link's outer-loop offset moved (HARQ feedback of a first "
                            "transmission)",
                            MakeTraceSourceAccessor(&OfdmaBsNetDevice::m_ollaTrace),
                            "ns3::OfdmaBsNetDevice::OllaOffsetTracedCallback");
    return tid;
}

OfdmaBsNetDevice::OfdmaBsNetDevice()
    : m_cellId(0),
      m_numerology(1),
      m_bandwidthMHz(20),
      m_rbs(0),
      m_linkAdaptation("mcs"),
      m_mcsGapDb(1),
      m_shannonGapDb(0),
      m_blerSlope(1.5),
      m_txPowerDbm(30),
      m_initialSinrDb(0),
      m_maxHarqTransmissions(4),
      m_harqCombining(true),
      m_olla(true),
      m_ollaTargetBler(0.1),
      m_ollaStepDb(0.01),
      m_ollaMaxOffsetDb(20),
      m_maxQueueBytes(8000000),
      m_running(false),
      m_anySlot(false),
      m_nextTbId(1)
{
    // The default schedulers (the Scheduler attribute's initial value is null, which ns-3
    // does not pass to the setter): each base station its own.
    m_scheduler[0] = CreateObject<OfdmaSharesScheduler>();
    m_scheduler[1] = m_scheduler[0]->Copy();
    m_monitor = CreateObject<OfdmaChannelMonitor>();
    m_blerRv = CreateObject<UniformRandomVariable>();
}

OfdmaBsNetDevice::~OfdmaBsNetDevice() = default;

void
OfdmaBsNetDevice::DoDispose()
{
    m_ues.clear();
    if (m_ulPhy)
    {
        m_ulPhy->Dispose();
    }
    if (m_dlPhy)
    {
        m_dlPhy->Dispose();
    }
    m_ulPhy = nullptr;
    m_dlPhy = nullptr;
    m_harq[0].clear();
    m_harq[1].clear();
    m_dlQueues.clear();
    m_scheduler[0] = nullptr;
    m_scheduler[1] = nullptr;
    m_monitor = nullptr;
    m_blerRv = nullptr;
    for (const Ptr<PropagationLossModel>& loss : m_losses)
    {
        DisposeTimeCorrelatedFading(loss);
    }
    m_losses.clear();
    m_conditions.clear();
    OfdmaNetDevice::DoDispose();
}

void
OfdmaBsNetDevice::SetScheduler(Ptr<OfdmaScheduler> scheduler)
{
    NS_LOG_FUNCTION(this << scheduler);
    if (!scheduler)
    {
        scheduler = CreateObject<OfdmaSharesScheduler>();
    }
    bool anyShare = false;
    for (double share : m_shares)
    {
        anyShare = anyShare || !std::isnan(share);
    }
    if (anyShare && !DynamicCast<OfdmaSharesScheduler>(scheduler))
    {
        NS_FATAL_ERROR("scheduler='" << scheduler->GetInstanceTypeId().GetName()
                                     << "' cannot honor the bandwidth shares set on the cell "
                                        "(allowed: scheduler='ns3::OfdmaSharesScheduler', or "
                                        "ClearBandwidthShares first)");
    }
    m_scheduler[0] = scheduler;
    m_scheduler[1] = scheduler->Copy();
    ConfigureSchedulers();
}

void
OfdmaBsNetDevice::ConfigureSchedulers()
{
    for (const auto& scheduler : m_scheduler)
    {
        scheduler->Configure(m_ues.size(), m_rbs);
    }
    ConfigureShares();
}

bool
OfdmaBsNetDevice::GrantsBandwidthShares() const
{
    return DynamicCast<OfdmaSharesScheduler>(m_scheduler[0]) != nullptr;
}

void
OfdmaBsNetDevice::SetLinkAdaptation(std::string name)
{
    std::string problem = NrLinkAdaptation::CheckLinkAdaptation(name);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_linkAdaptation = name;
}

void
OfdmaBsNetDevice::SetMaxQueueBytes(uint64_t bytes)
{
    m_maxQueueBytes = bytes;
    for (auto& queue : m_dlQueues)
    {
        queue.SetMaxBytes(bytes);
    }
}

uint64_t
OfdmaBsNetDevice::GetMaxQueueBytes() const
{
    return m_maxQueueBytes;
}

std::string
OfdmaBsNetDevice::GetLinkAdaptation() const
{
    return m_linkAdaptation;
}

void
OfdmaBsNetDevice::SetOllaTargetBler(double target)
{
    std::string problem = NrLinkAdaptation::CheckOllaTargetBler(target);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_ollaTargetBler = target;
}

double
OfdmaBsNetDevice::GetOllaTargetBler() const
{
    return m_ollaTargetBler;
}

void
OfdmaBsNetDevice::SetOllaStepDb(double stepDb)
{
    std::string problem = NrLinkAdaptation::CheckOllaStepDb(stepDb);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_ollaStepDb = stepDb;
}

double
OfdmaBsNetDevice::GetOllaStepDb() const
{
    return m_ollaStepDb;
}

void
OfdmaBsNetDevice::SetOllaMaxOffsetDb(double maxOffsetDb)
{
    std::string problem = NrLinkAdaptation::CheckOllaMaxOffsetDb(maxOffsetDb);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_ollaMaxOffsetDb = maxOffsetDb;
    for (auto& offsets : m_ollaOffsetDb)
    {
        for (double& offset : offsets)
        {
            offset = std::max(-maxOffsetDb, std::min(maxOffsetDb, offset));
        }
    }
}

double
OfdmaBsNetDevice::GetOllaMaxOffsetDb() const
{
    return m_ollaMaxOffsetDb;
}

bool
OfdmaBsNetDevice::IsOllaActive() const
{
    return m_olla && m_linkAdaptation == "mcs";
}

NrHarqSettings
OfdmaBsNetDevice::GetHarqSettings() const
{
    NrHarqSettings settings;
    settings.gapDb = m_mcsGapDb;
    settings.blerSlope = m_blerSlope;
    settings.maxTransmissions = m_maxHarqTransmissions;
    settings.combining = m_harqCombining;
    settings.olla = IsOllaActive();
    settings.ollaTargetBler = m_ollaTargetBler;
    settings.ollaMaxOffsetDb = m_ollaMaxOffsetDb;
    return settings;
}

void
OfdmaBsNetDevice::UpdateMonitor() const
{
    // Called whenever the monitor is handed out, so attribute changes made after Install
    // reach its predictions.
    bool shannon = m_linkAdaptation == "shannon";
    m_monitor->SetRateModel(m_linkAdaptation, shannon ? m_shannonGapDb : m_mcsGapDb, m_blerSlope);
    m_monitor->SetHarqSettings(GetHarqSettings());
}

void
OfdmaBsNetDevice::Configure(uint32_t cellId,
                            uint32_t numerology,
                            double bandwidthMHz,
                            Ptr<OfdmaSpectrumPhy> ulPhy,
                            Ptr<OfdmaSpectrumPhy> dlPhy)
{
    m_cellId = cellId;
    m_numerology = numerology;
    m_bandwidthMHz = bandwidthMHz;
    m_rbs = NrNumerology::GetResourceBlockCount(bandwidthMHz, numerology);
    m_slot = NrNumerology::GetSlotDuration(numerology);
    m_ulPhy = ulPhy;
    m_dlPhy = dlPhy;
    m_ulPhy->SetRxCallback(MakeCallback(&OfdmaBsNetDevice::ReceiveUplink, this));
}

void
OfdmaBsNetDevice::AddUe(Ptr<OfdmaUeNetDevice> ue)
{
    uint32_t index = m_ues.size();
    m_ues.push_back(ue);
    m_ueByMac[Mac48Address::ConvertFrom(ue->GetAddress())] = index;
    m_dlQueues.emplace_back(m_maxQueueBytes);
    m_ulReassembly.emplace_back();
    m_shares.push_back(std::numeric_limits<double>::quiet_NaN());
    m_measuredPowerDbm.push_back(0);
    uint32_t n = m_ues.size();
    for (int dl = 0; dl < 2; ++dl)
    {
        m_harq[dl].resize(n);
        m_injected[dl].resize(n, 0);
        m_ollaOffsetDb[dl].resize(n, 0.0);
        m_measuredRbs[dl].resize(n, m_rbs);
    }
    ConfigureSchedulers();
    m_monitor->Configure(n, m_rbs, m_slot);
    UpdateMonitor();
}

uint32_t
OfdmaBsNetDevice::GetCellId() const
{
    return m_cellId;
}

uint32_t
OfdmaBsNetDevice::GetNumerology() const
{
    return m_numerology;
}

uint32_t
OfdmaBsNetDevice::GetResourceBlockCount() const
{
    return m_rbs;
}

Time
OfdmaBsNetDevice::GetSlotDuration() const
{
    return m_slot;
}

uint32_t
OfdmaBsNetDevice::GetUeCount() const
{
    return m_ues.size();
}

Ptr<OfdmaUeNetDevice>
OfdmaBsNetDevice::GetUe(uint32_t device) const
{
    return m_ues.at(device);
}

Ptr<OfdmaSpectrumPhy>
OfdmaBsNetDevice::GetUplinkPhy() const
{
    return m_ulPhy;
}

Ptr<OfdmaSpectrumPhy>
OfdmaBsNetDevice::GetDownlinkPhy() const
{
    return m_dlPhy;
}

uint64_t
OfdmaBsNetDevice::GetDownlinkQueueBytes(uint32_t device) const
{
    return m_dlQueues.at(device).GetBytes();
}

Ptr<OfdmaChannelMonitor>
OfdmaBsNetDevice::GetChannelMonitor() const
{
    if (m_monitor)
    {
        UpdateMonitor();
    }
    return m_monitor;
}

Ptr<OfdmaScheduler>
OfdmaBsNetDevice::GetUplinkScheduler() const
{
    return m_scheduler[0];
}

Ptr<OfdmaScheduler>
OfdmaBsNetDevice::GetDownlinkScheduler() const
{
    return m_scheduler[1];
}

std::string
OfdmaBsNetDevice::CheckBandwidthShare(uint32_t device, double share) const
{
    std::ostringstream message;
    if (device >= m_ues.size())
    {
        message << "device=" << device << " is invalid: the cell has " << m_ues.size()
                << " devices";
        return message.str();
    }
    if (!GrantsBandwidthShares())
    {
        // Only the shares scheduler honours shares: refuse rather than ignore them.
        return "SetBandwidthShare needs the shares scheduler: scheduler='" +
               m_scheduler[0]->GetInstanceTypeId().GetName() +
               "' cannot honor a bandwidth share (allowed: scheduler='ns3::OfdmaSharesScheduler')";
    }
    if (!std::isfinite(share) || share < 0 || share > 1)
    {
        message << "share=" << share << " of device " << device << " is invalid: must be in [0, 1]";
        return message.str();
    }
    std::vector<double> shares = m_shares;
    shares[device] = share;
    return OfdmaSharesScheduler::CheckShares(shares);
}

void
OfdmaBsNetDevice::SetBandwidthShare(uint32_t device, double share)
{
    std::string problem = CheckBandwidthShare(device, share);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_shares[device] = share;
    ConfigureShares();
}

void
OfdmaBsNetDevice::ClearBandwidthShares()
{
    m_shares.assign(m_ues.size(), std::numeric_limits<double>::quiet_NaN());
    ConfigureShares();
}

void
OfdmaBsNetDevice::ConfigureShares()
{
    for (const auto& scheduler : m_scheduler)
    {
        if (Ptr<OfdmaSharesScheduler> shares = DynamicCast<OfdmaSharesScheduler>(scheduler))
        {
            shares->SetShares(m_shares);
        }
    }
}

double
OfdmaBsNetDevice::GetBandwidthShare(uint32_t device) const
{
    return OfdmaSharesScheduler::ComputeEffectiveShares(m_shares).at(device);
}

std::string
OfdmaBsNetDevice::CheckTxPowerDbm(uint32_t device, double dbm) const
{
    std::string problem = CheckDevice(device);
    return problem.empty() ? OfdmaUeNetDevice::CheckTxPowerDbm(dbm) : problem;
}

void
OfdmaBsNetDevice::SetTxPowerDbm(uint32_t device, double dbm)
{
    std::string problem = CheckTxPowerDbm(device, dbm);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_ues[device]->SetTxPowerDbm(dbm);
}

std::string
OfdmaBsNetDevice::CheckDevice(uint32_t device) const
{
    if (device >= m_ues.size())
    {
        return "device=" + std::to_string(device) + " is invalid: the cell has " +
               std::to_string(m_ues.size()) + " devices";
    }
    return "";
}

double
OfdmaBsNetDevice::GetOllaOffsetDb(uint32_t device, bool downlink) const
{
    std::string problem = CheckDevice(device);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    return m_ollaOffsetDb[downlink ? 1 : 0][device];
}

void
OfdmaBsNetDevice::InjectTransportBlockErrors(uint32_t device, bool downlink, uint32_t count)
{
    m_injected[downlink ? 1 : 0].at(device) += count;
}

void
OfdmaBsNetDevice::SetRandomModels(const std::vector<Ptr<PropagationLossModel>>& losses,
                                  const std::vector<Ptr<ChannelConditionModel>>& conditions)
{
    m_losses = losses;
    m_conditions = conditions;
}

int64_t
OfdmaBsNetDevice::AssignStreams(int64_t stream)
{
    m_blerRv->SetStream(stream);
    int64_t used = 1;
    for (const auto& loss : m_losses)
    {
        used += loss->AssignStreams(stream + used);
    }
    for (const auto& condition : m_conditions)
    {
        used += condition->AssignStreams(stream + used);
    }
    return used;
}

bool
OfdmaBsNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    Mac48Address to = Mac48Address::ConvertFrom(dest);
    bool ok = false;
    if (to.IsGroup())
    {
        ok = true;
        for (uint32_t i = 0; i < m_ues.size(); ++i)
        {
            ok = EnqueueDownlink(i, packet->Copy(), GetMacAddress(), to, protocolNumber) && ok;
        }
    }
    else
    {
        auto it = m_ueByMac.find(to);
        ok = it != m_ueByMac.end() &&
             EnqueueDownlink(it->second, packet, GetMacAddress(), to, protocolNumber);
    }
    if (ok)
    {
        m_macTxTrace(packet);
    }
    else
    {
        m_macTxDropTrace(packet);
    }
    return ok;
}

bool
OfdmaBsNetDevice::EnqueueDownlink(uint32_t device,
                                  Ptr<Packet> packet,
                                  Mac48Address source,
                                  Mac48Address dest,
                                  uint16_t protocol)
{
    if (!m_dlQueues[device].Enqueue(packet, source, dest, protocol))
    {
        return false;
    }
    NotifyPending();
    return true;
}

void
OfdmaBsNetDevice::NotifyPending()
{
    if (m_running)
    {
        return;
    }
    m_running = true;
    // The next slot boundary of the cell's slot grid, after the last slot that ran.
    int64_t slot = m_slot.GetNanoSeconds();
    int64_t now = Simulator::Now().GetNanoSeconds();
    int64_t next = ((now + slot - 1) / slot) * slot;
    if (m_anySlot && next <= m_lastSlot.GetNanoSeconds())
    {
        next = m_lastSlot.GetNanoSeconds() + slot;
    }
    Simulator::ScheduleWithContext(GetNode()->GetId(),
                                   NanoSeconds(next - now),
                                   &OfdmaBsNetDevice::Slot,
                                   this);
}

bool
OfdmaBsNetDevice::HasPending() const
{
    for (uint32_t i = 0; i < m_ues.size(); ++i)
    {
        if (m_harq[0][i] || m_harq[1][i] || m_dlQueues[i].GetBytes() > 0 ||
            m_ues[i]->GetQueue().GetBytes() > 0)
        {
            return true;
        }
    }
    return false;
}

void
OfdmaBsNetDevice::Slot()
{
    m_lastSlot = Simulator::Now();
    m_anySlot = true;
    bool sent = ScheduleCarrier(false);
    sent = ScheduleCarrier(true) || sent;
    // Keep the clock while anything waits or a block is in flight (it may need a
    // retransmission); stop it otherwise, so that idle periods cost no events.
    if (sent || HasPending())
    {
        Simulator::Schedule(m_slot, &OfdmaBsNetDevice::Slot, this);
    }
    else
    {
        m_running = false;
    }
}

double
OfdmaBsNetDevice::GetLinkSinrDb(uint32_t device, bool downlink, uint32_t rbs) const
{
    int dl = downlink ? 1 : 0;
    double sinrDb = m_initialSinrDb;
    if (m_monitor->HasMeasurement(device, downlink))
    {
        sinrDb = m_monitor->GetLastSinrDb(device, downlink);
        if (!downlink && rbs > 0)
        {
            // A UE spreads its power over its granted RBs: the SINR per RB of a grant of
            // `rbs` RBs is the measured one scaled by the RB counts and the power change (the
            // base station knows both), so that a small block (TCP ACKs) does not make the
            // next large one too bold, nor a large one the next small one too timid.
            sinrDb += 10 * std::log10(static_cast<double>(m_measuredRbs[dl][device]) / rbs) +
                      m_ues[device]->GetTxPowerDbm() - m_measuredPowerDbm[device];
        }
    }
    if (IsOllaActive())
    {
        sinrDb += m_ollaOffsetDb[dl][device];
    }
    return sinrDb;
}

uint32_t
OfdmaBsNetDevice::GetTransportBlockBits(double sinrDb, uint32_t rbs, uint32_t& mcs) const
{
    if (m_linkAdaptation == "shannon")
    {
        mcs = 0;
        uint32_t bits =
            NrLinkAdaptation::GetShannonTransportBlockSizeBits(sinrDb, m_shannonGapDb, rbs);
        return bits / 8 * 8;
    }
    mcs = NrLinkAdaptation::SelectMcs(sinrDb, m_mcsGapDb);
    return NrLinkAdaptation::GetTransportBlockSizeBits(mcs, rbs);
}

uint32_t
OfdmaBsNetDevice::GetRbsNeeded(uint64_t bytes, uint32_t device, bool downlink) const
{
    if (bytes == 0)
    {
        return 0;
    }
    auto bitsWith = [&](uint32_t rbs) {
        uint32_t mcs;
        return GetTransportBlockBits(GetLinkSinrDb(device, downlink, rbs), rbs, mcs);
    };
    if (bitsWith(m_rbs) <= bytes * 8)
    {
        return m_rbs;
    }
    // The fewest RBs whose block holds the bytes (bisection: on the uplink the SINR per RB
    // grows as the RBs shrink, so the block size is not a simple multiple of the RBs).
    uint32_t low = 1;
    uint32_t high = m_rbs; // holds the bytes
    while (low < high)
    {
        uint32_t middle = (low + high) / 2;
        if (bitsWith(middle) >= bytes * 8)
        {
            high = middle;
        }
        else
        {
            low = middle + 1;
        }
    }
    return high;
}

bool
OfdmaBsNetDevice::ScheduleCarrier(bool downlink)
{
    int dl = downlink ? 1 : 0;
    uint32_t n = m_ues.size();
    std::vector<OfdmaDemand> demand(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        uint64_t bytes = downlink ? m_dlQueues[i].GetBytes() : m_ues[i]->GetQueue().GetBytes();
        const auto& harq = m_harq[dl][i];
        demand[i].active = harq || bytes > 0;
        if (!demand[i].active)
        {
            continue;
        }
        demand[i].fixedRbs = harq ? harq->rbs : 0;
        uint32_t mcs;
        demand[i].bitsPerRb =
            GetTransportBlockBits(GetLinkSinrDb(i, downlink, m_rbs), m_rbs, mcs) / double(m_rbs);
        demand[i].rbNeeded = GetRbsNeeded(bytes, i, downlink);
    }
    std::vector<uint32_t> grant = m_scheduler[dl]->Allocate(demand);
    uint64_t slotNumber = Simulator::Now().GetNanoSeconds() / m_slot.GetNanoSeconds();
    Time duration = m_slot - NanoSeconds(1); // ends before the next slot's decisions
    std::vector<std::shared_ptr<OfdmaTransportBlock>> tbs;
    uint32_t firstRb = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (grant[i] == 0)
        {
            continue;
        }
        std::shared_ptr<OfdmaTransportBlock> tb = m_harq[dl][i];
        if (tb)
        {
            m_harq[dl][i] = nullptr;
            tb->transmissions++;
        }
        else
        {
            tb = std::make_shared<OfdmaTransportBlock>();
            tb->id = m_nextTbId++;
            tb->device = i;
            tb->downlink = downlink;
            double sinrDb = GetLinkSinrDb(i, downlink, grant[i]);
            tb->sizeBits = GetTransportBlockBits(sinrDb, grant[i], tb->mcs);
            tb->targetSinrDb = sinrDb;
            tb->transmissions = 1;
            tb->combinedSinr = 0;
            OfdmaByteQueue& queue = downlink ? m_dlQueues[i] : m_ues[i]->GetQueue();
            tb->segments = queue.Dequeue(tb->sizeBits / 8);
        }
        tb->firstRb = firstRb;
        tb->rbs = grant[i];
        firstRb += grant[i];
        m_grantTrace(slotNumber, i, downlink, tb->firstRb, tb->rbs, tb->mcs, tb->sizeBits);
        if (downlink)
        {
            tbs.push_back(tb);
        }
        else
        {
            m_ues[i]->TransmitUplink(tb, duration);
        }
    }
    if (downlink && !tbs.empty())
    {
        Ptr<const SpectrumModel> model = m_dlPhy->GetRxSpectrumModel();
        Ptr<SpectrumValue> psd = Create<SpectrumValue>(model);
        double powerPerRbW = std::pow(10.0, (m_txPowerDbm - 30) / 10) / m_rbs;
        Bands::const_iterator band = model->Begin();
        for (const auto& tb : tbs)
        {
            for (uint32_t rb = tb->firstRb; rb < tb->firstRb + tb->rbs; ++rb)
            {
                const BandInfo& info = *(band + rb);
                (*psd)[rb] = powerPerRbW / (info.fh - info.fl);
            }
        }
        Ptr<OfdmaSignalParameters> params = Create<OfdmaSignalParameters>();
        params->psd = psd;
        params->duration = duration;
        params->cellId = m_cellId;
        params->downlink = true;
        params->tbs = std::make_shared<const std::vector<std::shared_ptr<OfdmaTransportBlock>>>(
            std::move(tbs));
        m_dlPhy->StartTx(params);
    }
    return firstRb > 0;
}

bool
OfdmaBsNetDevice::DecodeTransportBlock(std::shared_ptr<OfdmaTransportBlock> tb,
                                       const std::vector<double>& sinr,
                                       double rxPowerW)
{
    int dl = tb->downlink ? 1 : 0;
    double sinrDb = NrLinkAdaptation::GetEffectiveSinrDb(sinr);
    m_monitor->RecordSinr(tb->device, tb->downlink, sinrDb, 10 * std::log10(rxPowerW) + 30);
    m_measuredRbs[dl][tb->device] = tb->rbs;
    if (!tb->downlink)
    {
        m_measuredPowerDbm[tb->device] = m_ues[tb->device]->GetTxPowerDbm();
    }
    double linear = std::pow(10.0, sinrDb / 10);
    tb->combinedSinr = m_harqCombining ? tb->combinedSinr + linear : linear;
    double combinedDb = 10 * std::log10(tb->combinedSinr);
    bool success;
    if (m_injected[dl][tb->device] > 0)
    {
        m_injected[dl][tb->device]--;
        success = false;
    }
    else if (m_linkAdaptation == "shannon")
    {
        success = combinedDb + 1e-9 >= tb->targetSinrDb;
    }
    else
    {
        double bler = NrLinkAdaptation::GetBler(tb->mcs, combinedDb, m_mcsGapDb, m_blerSlope);
        success = m_blerRv->GetValue() >= bler;
    }
    if (tb->transmissions == 1 && IsOllaActive())
    {
        // The outer loop learns from first transmissions only: its target is their BLER.
        double& offset = m_ollaOffsetDb[dl][tb->device];
        offset = NrLinkAdaptation::UpdateOllaOffsetDb(offset,
                                                      success,
                                                      tb->mcs,
                                                      m_ollaStepDb,
                                                      m_ollaTargetBler,
                                                      m_ollaMaxOffsetDb);
        m_monitor->RecordOllaOffset(tb->device, tb->downlink, offset);
        m_ollaTrace(tb->device, tb->downlink, offset);
    }
    NS_LOG_LOGIC("device " << tb->device << (tb->downlink ? " DL" : " UL") << " tb " << tb->id
                           << " tx " << tb->transmissions << " sinr " << sinrDb << " dB "
                           << (success ? "ok" : "failed"));
    m_tbRxTrace(tb->device,
                tb->downlink,
                tb->mcs,
                tb->sizeBits,
                sinrDb,
                tb->transmissions,
                success);
    if (success)
    {
        uint64_t bytes = 0;
        for (const auto& segment : tb->segments)
        {
            bytes += segment.bytes;
        }
        m_monitor->RecordDelivered(tb->device, tb->downlink, bytes);
        m_harqTrace(tb->device, tb->downlink, tb->id, tb->transmissions, true);
    }
    else if (tb->transmissions >= m_maxHarqTransmissions)
    {
        m_harqTrace(tb->device, tb->downlink, tb->id, tb->transmissions, false);
    }
    else
    {
        m_harq[dl][tb->device] = tb;
        NotifyPending();
    }
    return success;
}

void
OfdmaBsNetDevice::ReceiveUplink(std::shared_ptr<OfdmaTransportBlock> tb,
                                const std::vector<double>& sinr,
                                double rxPowerW)
{
    if (!DecodeTransportBlock(tb, sinr, rxPowerW))
    {
        return;
    }
    for (const auto& segment : tb->segments)
    {
        std::shared_ptr<const OfdmaSdu> sdu = m_ulReassembly[tb->device].Receive(segment);
        if (sdu)
        {
            ForwardUplink(tb->device, sdu);
        }
    }
}

void
OfdmaBsNetDevice::ForwardUplink(uint32_t from, std::shared_ptr<const OfdmaSdu> sdu)
{
    if (sdu->dest == GetMacAddress())
    {
        DeliverUp(sdu);
        return;
    }
    if (sdu->dest.IsGroup())
    {
        DeliverUp(sdu);
        for (uint32_t i = 0; i < m_ues.size(); ++i)
        {
            if (i != from)
            {
                EnqueueDownlink(i, sdu->packet->Copy(), sdu->source, sdu->dest, sdu->protocol);
            }
        }
        return;
    }
    auto it = m_ueByMac.find(sdu->dest);
    if (it != m_ueByMac.end())
    {
        // Layer-2 relay of device-to-device traffic.
        if (!EnqueueDownlink(it->second, sdu->packet, sdu->source, sdu->dest, sdu->protocol))
        {
            m_macTxDropTrace(sdu->packet);
        }
        return;
    }
    NS_LOG_LOGIC("uplink packet for unknown MAC " << sdu->dest << " dropped");
}

} // namespace edgellm
} // namespace ns3
