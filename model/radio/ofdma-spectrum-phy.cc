/* SPDX-License-Identifier: GPL-2.0-only */
#include "ofdma-spectrum-phy.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/net-device.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmOfdmaSpectrumPhy");
NS_OBJECT_ENSURE_REGISTERED(OfdmaSpectrumPhy);

Ptr<SpectrumSignalParameters>
OfdmaSignalParameters::Copy() const
{
    return Create<OfdmaSignalParameters>(*this);
}

TypeId
OfdmaSpectrumPhy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OfdmaSpectrumPhy")
            .SetParent<SpectrumPhy>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<OfdmaSpectrumPhy>()
            .AddAttribute("NoiseFigure",
                          "Receiver noise figure (dB)",
                          DoubleValue(7),
                          MakeDoubleAccessor(&OfdmaSpectrumPhy::m_noiseFigureDb),
                          MakeDoubleChecker<double>(0, 30))
            .AddTraceSource("RxPower",
                            "Received power of a transport block over its RBs (dBm)",
                            MakeTraceSourceAccessor(&OfdmaSpectrumPhy::m_rxPowerTrace),
                            "ns3::OfdmaSpectrumPhy::RxPowerTracedCallback");
    return tid;
}

OfdmaSpectrumPhy::OfdmaSpectrumPhy()
    : m_cellId(0),
      m_isBaseStation(false),
      m_deviceIndex(0),
      m_noiseFigureDb(7)
{
}

OfdmaSpectrumPhy::~OfdmaSpectrumPhy() = default;

void
OfdmaSpectrumPhy::DoDispose()
{
    m_device = nullptr;
    m_mobility = nullptr;
    m_channel = nullptr;
    m_signals.clear();
    m_rxCallback = MakeNullCallback<void,
                                    std::shared_ptr<OfdmaTransportBlock>,
                                    const std::vector<double>&,
                                    double>();
    SpectrumPhy::DoDispose();
}

void
OfdmaSpectrumPhy::SetDevice(Ptr<NetDevice> d)
{
    m_device = d;
}

Ptr<NetDevice>
OfdmaSpectrumPhy::GetDevice() const
{
    return m_device;
}

void
OfdmaSpectrumPhy::SetMobility(Ptr<MobilityModel> m)
{
    m_mobility = m;
}

Ptr<MobilityModel>
OfdmaSpectrumPhy::GetMobility() const
{
    return m_mobility;
}

void
OfdmaSpectrumPhy::SetChannel(Ptr<SpectrumChannel> c)
{
    m_channel = c;
}

Ptr<SpectrumChannel>
OfdmaSpectrumPhy::GetChannel() const
{
    return m_channel;
}

Ptr<const SpectrumModel>
OfdmaSpectrumPhy::GetRxSpectrumModel() const
{
    return m_model;
}

Ptr<Object>
OfdmaSpectrumPhy::GetAntenna() const
{
    // Isotropic: the path loss models carry the gains.
    return nullptr;
}

void
OfdmaSpectrumPhy::Configure(Ptr<const SpectrumModel> model,
                            uint32_t cellId,
                            bool isBaseStation,
                            uint32_t device)
{
    m_model = model;
    m_cellId = cellId;
    m_isBaseStation = isBaseStation;
    m_deviceIndex = device;
}

Ptr<const SpectrumModel>
OfdmaSpectrumPhy::CreateSpectrumModel(double centerHz, double rbBandwidthHz, uint32_t rbs)
{
    std::vector<double> centers;
    double low = centerHz - rbs * rbBandwidthHz / 2;
    for (uint32_t rb = 0; rb < rbs; ++rb)
    {
        centers.push_back(low + (rb + 0.5) * rbBandwidthHz);
    }
    Bands bands;
    for (double fc : centers)
    {
        BandInfo info;
        info.fc = fc;
        info.fl = fc - rbBandwidthHz / 2;
        info.fh = fc + rbBandwidthHz / 2;
        bands.push_back(info);
    }
    return Create<SpectrumModel>(bands);
}

void
OfdmaSpectrumPhy::SetRxCallback(RxCallback callback)
{
    m_rxCallback = callback;
}

double
OfdmaSpectrumPhy::GetNoisePsd() const
{
    // kT at 290 K (W/Hz) times the noise figure.
    const double kT = 1.380649e-23 * 290;
    return kT * std::pow(10.0, m_noiseFigureDb / 10);
}

void
OfdmaSpectrumPhy::StartTx(Ptr<OfdmaSignalParameters> params)
{
    NS_LOG_FUNCTION(this);
    params->txPhy = this;
    m_channel->StartTx(params);
}

void
OfdmaSpectrumPhy::StartRx(Ptr<SpectrumSignalParameters> params)
{
    Time now = Simulator::Now();
    // Forget signals that can no longer overlap a signal in progress: one that ended more than
    // the longest signal ago cannot overlap any signal still being received.
    m_longest = std::max(m_longest, params->duration);
    while (!m_signals.empty() && m_signals.front()->end + m_longest < now)
    {
        m_signals.pop_front();
    }
    auto signal = std::make_shared<Signal>();
    signal->params = params;
    signal->start = now;
    signal->end = now + params->duration;
    m_signals.push_back(signal);

    Ptr<OfdmaSignalParameters> ofdma = DynamicCast<OfdmaSignalParameters>(params);
    if (!ofdma || ofdma->cellId != m_cellId || ofdma->downlink == m_isBaseStation)
    {
        return; // interference only
    }
    bool mine = m_isBaseStation;
    for (const auto& tb : *ofdma->tbs)
    {
        mine = mine || tb->device == m_deviceIndex;
    }
    if (mine)
    {
        Simulator::Schedule(params->duration, &OfdmaSpectrumPhy::EndRx, this, signal);
    }
}

void
OfdmaSpectrumPhy::EndRx(std::shared_ptr<Signal> signal)
{
    Ptr<OfdmaSignalParameters> params = DynamicCast<OfdmaSignalParameters>(signal->params);
    const SpectrumValue& psd = *params->psd;
    double noise = GetNoisePsd();
    // Interferers: every other signal overlapping this one in time.
    std::vector<const SpectrumValue*> interferers;
    for (const auto& other : m_signals)
    {
        if (other != signal && other->start < signal->end && other->end > signal->start)
        {
            interferers.push_back(&(*other->params->psd));
        }
    }
    Bands::const_iterator band = m_model->Begin();
    for (const auto& tb : *params->tbs)
    {
        if (!m_isBaseStation && tb->device != m_deviceIndex)
        {
            continue;
        }
        std::vector<double> sinr;
        sinr.reserve(tb->rbs);
        double rxPower = 0;
        for (uint32_t rb = tb->firstRb; rb < tb->firstRb + tb->rbs; ++rb)
        {
            double s = psd[rb];
            double i = 0;
            for (const SpectrumValue* other : interferers)
            {
                i += (*other)[rb];
            }
            sinr.push_back(s / (noise + i));
            const BandInfo& info = *(band + rb);
            rxPower += s * (info.fh - info.fl);
        }
        m_rxPowerTrace(tb->device, 10 * std::log10(rxPower) + 30);
        if (!m_rxCallback.IsNull())
        {
            m_rxCallback(tb, sinr, rxPower);
        }
    }
}

} // namespace edgellm
} // namespace ns3
