/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-ue-net-device.h"

#include "ofdma-bs-net-device.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaUeNetDevice");
NS_OBJECT_ENSURE_REGISTERED(OfdmaUeNetDevice);

TypeId
OfdmaUeNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OfdmaUeNetDevice")
            .SetParent<OfdmaNetDevice>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<OfdmaUeNetDevice>()
            .AddAttribute("TxPowerDbm",
                          "Uplink transmit power (dBm), spread over the granted RBs",
                          DoubleValue(23),
                          MakeDoubleAccessor(&OfdmaUeNetDevice::m_txPowerDbm),
                          MakeDoubleChecker<double>(-100, 60))
            .AddAttribute("MaxTxPowerDbm",
                          "Maximum uplink transmit power (dBm): higher settings are capped",
                          DoubleValue(23),
                          MakeDoubleAccessor(&OfdmaUeNetDevice::m_maxTxPowerDbm),
                          MakeDoubleChecker<double>(-100, 60))
            .AddAttribute("MaxQueueBytes",
                          "Capacity of the uplink byte queue",
                          UintegerValue(8000000),
                          MakeUintegerAccessor(&OfdmaUeNetDevice::SetQueueBytesAttribute,
                                               &OfdmaUeNetDevice::GetQueueBytesAttribute),
                          MakeUintegerChecker<uint64_t>(1500));
    return tid;
}

OfdmaUeNetDevice::OfdmaUeNetDevice()
    : m_index(0),
      m_txPowerDbm(23),
      m_maxTxPowerDbm(23)
{
}

OfdmaUeNetDevice::~OfdmaUeNetDevice() = default;

void
OfdmaUeNetDevice::SetQueueBytesAttribute(uint64_t bytes)
{
    m_queue.SetMaxBytes(bytes);
}

uint64_t
OfdmaUeNetDevice::GetQueueBytesAttribute() const
{
    return m_queue.GetMaxBytes();
}

void
OfdmaUeNetDevice::DoDispose()
{
    m_bs = nullptr;
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
    OfdmaNetDevice::DoDispose();
}

void
OfdmaUeNetDevice::Attach(Ptr<OfdmaBsNetDevice> bs,
                         uint32_t index,
                         Ptr<OfdmaSpectrumPhy> ulPhy,
                         Ptr<OfdmaSpectrumPhy> dlPhy)
{
    m_bs = bs;
    m_index = index;
    m_ulPhy = ulPhy;
    m_dlPhy = dlPhy;
    m_dlPhy->SetRxCallback(MakeCallback(&OfdmaUeNetDevice::ReceiveDownlink, this));
}

uint32_t
OfdmaUeNetDevice::GetIndex() const
{
    return m_index;
}

Ptr<OfdmaBsNetDevice>
OfdmaUeNetDevice::GetBs() const
{
    return m_bs;
}

Ptr<OfdmaSpectrumPhy>
OfdmaUeNetDevice::GetUplinkPhy() const
{
    return m_ulPhy;
}

Ptr<OfdmaSpectrumPhy>
OfdmaUeNetDevice::GetDownlinkPhy() const
{
    return m_dlPhy;
}

std::string
OfdmaUeNetDevice::CheckTxPowerDbm(double dbm)
{
    if (!std::isfinite(dbm))
    {
        return "txPowerDbm=" + std::to_string(dbm) + " is invalid: must be a finite number";
    }
    return "";
}

void
OfdmaUeNetDevice::SetTxPowerDbm(double dbm)
{
    std::string problem = CheckTxPowerDbm(dbm);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    m_txPowerDbm = dbm;
}

double
OfdmaUeNetDevice::GetTxPowerDbm() const
{
    return std::min(m_txPowerDbm, m_maxTxPowerDbm);
}

OfdmaByteQueue&
OfdmaUeNetDevice::GetQueue()
{
    return m_queue;
}

bool
OfdmaUeNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    if (!m_bs ||
        !m_queue.Enqueue(packet, GetMacAddress(), Mac48Address::ConvertFrom(dest), protocolNumber))
    {
        m_macTxDropTrace(packet);
        return false;
    }
    m_macTxTrace(packet);
    m_bs->NotifyPending();
    return true;
}

void
OfdmaUeNetDevice::TransmitUplink(std::shared_ptr<OfdmaTransportBlock> tb, Time duration)
{
    Ptr<const SpectrumModel> model = m_ulPhy->GetRxSpectrumModel();
    Ptr<SpectrumValue> psd = Create<SpectrumValue>(model);
    // The device's power spread evenly over its granted RBs: W per RB over the RB's width.
    double powerPerRbW = std::pow(10.0, (GetTxPowerDbm() - 30) / 10) / tb->rbs;
    Bands::const_iterator band = model->Begin();
    for (uint32_t rb = tb->firstRb; rb < tb->firstRb + tb->rbs; ++rb)
    {
        const BandInfo& info = *(band + rb);
        (*psd)[rb] = powerPerRbW / (info.fh - info.fl);
    }
    Ptr<OfdmaSignalParameters> params = Create<OfdmaSignalParameters>();
    params->psd = psd;
    params->duration = duration;
    params->cellId = m_bs->GetCellId();
    params->downlink = false;
    params->tbs = std::make_shared<const std::vector<std::shared_ptr<OfdmaTransportBlock>>>(1, tb);
    m_ulPhy->StartTx(params);
}

void
OfdmaUeNetDevice::ReceiveDownlink(std::shared_ptr<OfdmaTransportBlock> tb,
                                  const std::vector<double>& sinr,
                                  double rxPowerW)
{
    if (!m_bs->DecodeTransportBlock(tb, sinr, rxPowerW))
    {
        return;
    }
    for (const auto& segment : tb->segments)
    {
        std::shared_ptr<const OfdmaSdu> sdu = m_reassembler.Receive(segment);
        if (sdu)
        {
            DeliverUp(sdu);
        }
    }
}

} // namespace edgellm
} // namespace ns3
