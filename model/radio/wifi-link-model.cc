/* SPDX-License-Identifier: GPL-2.0-only */
#include "wifi-link-model.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/he-configuration.h"
#include "ns3/he-phy.h"
#include "ns3/ofdm-phy.h"
#include "ns3/qos-txop.h"
#include "ns3/table-based-error-rate-model.h"
#include "ns3/uinteger.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-remote-station-manager.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/gamma.hpp>
#include <cmath>

namespace ns3
{
namespace edgellm
{

namespace
{

/// \return the retry chain's state (MCS \p c, \p r failed attempts, a request next or data)
uint32_t
RetryStateIndex(int c, uint32_t r, bool bar, uint32_t attempts)
{
    return (c * attempts + r) * 2 + (bar ? 1 : 0);
}

/// LLC/SNAP (8), QoS Data MAC header (26), FCS (4)
constexpr uint32_t MPDU_OVERHEAD_BYTES = 8 + 26 + 4;
/// A-MPDU subframe delimiter
constexpr uint32_t DELIMITER_BYTES = 4;
/// a compressed BlockAckRequest frame
constexpr uint32_t BLOCK_ACK_REQUEST_BYTES = 24;

/// \return \p bytes as an A-MPDU subframe: delimiter, MPDU, padding to 4 bytes
uint32_t
SubframeBytes(uint32_t mpduBytes)
{
    return (DELIMITER_BYTES + mpduBytes + 3) / 4 * 4;
}

/// \return \p x rounded to hundredths, as an integer key
int64_t
Key(double x)
{
    return static_cast<int64_t>(std::llround(x * 100.0));
}

} // namespace

WifiLinkModel::WifiLinkModel(Ptr<WifiPhy> phy, const WifiLinkParameters& parameters)
    : m_phy(phy),
      m_parameters(parameters)
{
    NS_ABORT_MSG_IF(!phy, "WifiLinkModel: no PHY");
    NS_ABORT_MSG_IF(parameters.maxRetries == 0 || parameters.fadingQuantiles == 0 ||
                        parameters.segmentsPerAck == 0 || parameters.segmentBytes == 0,
                    "WifiLinkModel: maxRetries, fadingQuantiles, segmentsPerAck and "
                    "segmentBytes must be positive");
    for (int mcs = 0; mcs < HE_MCS_COUNT; ++mcs)
    {
        m_thresholdDb.push_back(10.0 *
                                std::log10(phy->CalculateSnr(HeTxVector(mcs), parameters.ber)));
        m_rate.push_back(
            static_cast<double>(HePhy::GetHeMcs(mcs).GetDataRate(phy->GetChannelWidth(),
                                                                 parameters.guardIntervalNs,
                                                                 1)));
    }
    // The Block Ack answers at the highest mandatory OFDM rate not above the data's non-HT
    // reference rate: 24 Mbit/s for the MCSs a data link uses (a compressed Block Ack of a
    // 64-MPDU window is 32 bytes).
    WifiTxVector ack;
    ack.SetMode(OfdmPhy::GetOfdmRate24Mbps());
    ack.SetPreambleType(WIFI_PREAMBLE_LONG);
    ack.SetChannelWidth(20);
    const uint32_t blockAckBytes =
        16 + 2 + 2 + std::max<uint32_t>(parameters.mpduBufferSize, 64) / 8 + 4;
    m_blockAck = WifiPhy::CalculateTxDuration(blockAckBytes, ack, phy->GetPhyBand());
    // HtFrameExchangeManager sends a BlockAckRequest with the Block Ack's TXVECTOR.
    m_blockAckRequest =
        WifiPhy::CalculateTxDuration(BLOCK_ACK_REQUEST_BYTES, ack, phy->GetPhyBand());
    m_sifs = phy->GetSifs();
    m_slot = phy->GetSlot();
    // The MPDU success probabilities come from a table-based error rate model, the model
    // WifiPhyHelper installs; check that the PHY's thresholds are that model's.
    m_errorModel = CreateObject<TableBasedErrorRateModel>();
    const WifiTxVector probe = HeTxVector(7);
    NS_ABORT_MSG_IF(std::abs(m_errorModel->CalculateSnr(probe, parameters.ber) -
                             phy->CalculateSnr(probe, parameters.ber)) >
                        1e-6 * phy->CalculateSnr(probe, parameters.ber),
                    "WifiLinkModel: the PHY's error rate model is not TableBasedErrorRateModel");
}

WifiLinkParameters
WifiLinkModel::ReadParameters(Ptr<WifiNetDevice> device)
{
    WifiLinkParameters parameters;
    Ptr<WifiMac> mac = device->GetMac();
    parameters.maxAmpduBytes = mac->GetMaxAmpduSize(AC_BE);
    Ptr<QosTxop> txop = mac->GetQosTxop(AC_BE);
    parameters.cwMin = txop->GetMinCw(0);
    parameters.cwMax = txop->GetMaxCw(0);
    parameters.aifsn = txop->GetAifsn(0);
    if (Ptr<HeConfiguration> he = device->GetHeConfiguration())
    {
        parameters.mpduBufferSize = he->GetMpduBufferSize();
        parameters.guardIntervalNs = static_cast<uint32_t>(he->GetGuardInterval().GetNanoSeconds());
    }
    // MaxSsrc can be set but not read back from a manager: its default is what devices get
    // (WifiNetworkHelper does not set it).
    TypeId::AttributeInformation info;
    if (TypeId::LookupByName("ns3::WifiRemoteStationManager")
            .LookupAttributeByName("MaxSsrc", &info))
    {
        parameters.maxRetries =
            static_cast<uint32_t>(DynamicCast<const UintegerValue>(info.initialValue)->Get());
    }
    return parameters;
}

int
WifiLinkModel::PickMcs(double snrDb) const
{
    int mcs = -1;
    for (int i = 0; i < HE_MCS_COUNT; ++i)
    {
        if (m_thresholdDb[i] < snrDb)
        {
            mcs = i;
        }
    }
    return mcs;
}

double
WifiLinkModel::GetPhyRate(int mcs) const
{
    return mcs < 0 ? 0.0 : m_rate.at(mcs);
}

double
WifiLinkModel::GetThresholdDb(int mcs) const
{
    return m_thresholdDb.at(mcs);
}

WifiTxVector
WifiLinkModel::HeTxVector(int mcs) const
{
    WifiTxVector txVector;
    txVector.SetMode(HePhy::GetHeMcs(mcs));
    txVector.SetPreambleType(WIFI_PREAMBLE_HE_SU);
    txVector.SetChannelWidth(m_phy->GetChannelWidth());
    txVector.SetGuardInterval(m_parameters.guardIntervalNs);
    txVector.SetNss(1);
    txVector.SetNTx(1);
    return txVector;
}

Time
WifiLinkModel::PpduDuration(int mcs, uint32_t bytes) const
{
    return WifiPhy::CalculateTxDuration(bytes, HeTxVector(mcs), m_phy->GetPhyBand());
}

uint32_t
WifiLinkModel::MpdusPerPpdu(int mcs, uint32_t mpduBytes, uint32_t wanted) const
{
    const uint32_t subframe = SubframeBytes(mpduBytes);
    uint32_t n = std::min(m_parameters.maxAmpduBytes / subframe, m_parameters.mpduBufferSize);
    if (wanted > 0)
    {
        n = std::min(n, wanted);
    }
    n = std::max<uint32_t>(n, 1);
    while (n > 1 && PpduDuration(mcs, n * subframe) > m_parameters.maxPpduDuration)
    {
        --n;
    }
    return n;
}

double
WifiLinkModel::MpduSuccess(int mcs, uint32_t bytes, double snrDb) const
{
    // on a 0.05 dB grid: the fading states of nearby mean SNRs share their evaluations
    snrDb = std::round(snrDb * 20.0) / 20.0;
    const auto key = std::make_tuple(mcs, bytes, Key(snrDb));
    auto found = m_successCache.find(key);
    if (found != m_successCache.end())
    {
        return found->second;
    }
    const double success = m_errorModel->GetChunkSuccessRate(HePhy::GetHeMcs(mcs),
                                                             HeTxVector(mcs),
                                                             std::pow(10.0, snrDb / 10.0),
                                                             8ULL * bytes);
    m_successCache.emplace(key, success);
    return success;
}

std::vector<double>
NakagamiGainQuantilesDb(double m, uint32_t points)
{
    // the power gain of Nakagami-m fading: Gamma(shape m, scale 1 / m), mean 1
    boost::math::gamma_distribution<double> gain(m, 1.0 / m);
    std::vector<double> quantiles;
    for (uint32_t i = 0; i < points; ++i)
    {
        quantiles.push_back(10.0 * std::log10(boost::math::quantile(gain, (i + 0.5) / points)));
    }
    return quantiles;
}

WifiLinkModel::Direction
WifiLinkModel::Solve(double snrDb,
                     const std::vector<double>& gainsDb,
                     uint32_t mpduBytes,
                     uint32_t wantedMpdus) const
{
    // States: (MCS in use, failed attempts so far, what is sent next: the A-MPDU or a
    // BlockAckRequest). The MCS in use is the one the SNR of the last PPDU that got a Block
    // Ack picks. A missed Block Ack is followed by a BlockAckRequest
    // (QosTxop::UseExplicitBarAfterMissedBlockAck) at the control rate, robust enough to get
    // through every draw of the data's link: its Block Ack carries the request's fresh SNR, so
    // the failed MPDUs go again at the MCS the new draw picks. After maxRetries failed attempts the
    // MPDUs are dropped and the manager forgets the SNR: MCS 0, which is also what it sends below
    // every threshold.
    const uint32_t attempts = m_parameters.maxRetries + 1;
    const uint32_t draws = gainsDb.size();
    const double p = 1.0 / draws;
    const uint32_t subframe = SubframeBytes(mpduBytes);
    std::vector<int> nextMcs;
    for (double g : gainsDb)
    {
        nextMcs.push_back(std::max(0, PickMcs(snrDb + g)));
    }
    std::vector<uint32_t> mpdus(HE_MCS_COUNT);
    std::vector<double> ppdu(HE_MCS_COUNT);
    std::vector<double> barPpdu(HE_MCS_COUNT);
    std::vector<double> dataOk(HE_MCS_COUNT * draws);
    std::vector<double> delivered(HE_MCS_COUNT, 0.0);
    for (int c = 0; c < HE_MCS_COUNT; ++c)
    {
        mpdus[c] = MpdusPerPpdu(c, mpduBytes, wantedMpdus);
        ppdu[c] = PpduDuration(c, mpdus[c] * subframe).GetSeconds();
        barPpdu[c] = m_blockAckRequest.GetSeconds();
        for (uint32_t k = 0; k < draws; ++k)
        {
            const double s = MpduSuccess(c, mpduBytes, snrDb + gainsDb[k]);
            dataOk[c * draws + k] = 1.0 - std::pow(1.0 - s, mpdus[c]);
            delivered[c] += p * mpdus[c] * s;
        }
    }
    auto index = [attempts](int c, uint32_t r, bool bar) {
        return RetryStateIndex(c, r, bar, attempts);
    };
    const std::vector<double> pi = GetStationaryDistribution(dataOk, nextMcs, attempts);
    Direction direction;
    const double aifs = (m_sifs + m_slot * m_parameters.aifsn).GetSeconds();
    const double response = (m_sifs + m_blockAck).GetSeconds();
    for (int c = 0; c < HE_MCS_COUNT; ++c)
    {
        for (uint32_t r = 0; r < attempts; ++r)
        {
            // EDCA doubles the contention window after each failed attempt.
            const uint32_t cw =
                std::min(m_parameters.cwMax, ((m_parameters.cwMin + 1) << std::min(r, 16u)) - 1);
            const double access = aifs + cw / 2.0 * m_slot.GetSeconds();
            const double data = pi[index(c, r, false)];
            const double bar = pi[index(c, r, true)];
            direction.airtime +=
                data * (access + ppdu[c] + response) + bar * (access + barPpdu[c] + response);
            direction.mpdusDelivered += data * delivered[c];
            direction.mpdusSent += data * mpdus[c];
            direction.ppdusSent += data;
            direction.dataAirtime += data * ppdu[c];
            direction.bitsAtPhy += data * ppdu[c] * m_rate[c];
        }
    }
    return direction;
}

std::vector<double>
WifiLinkModel::GetStationaryDistribution(const std::vector<double>& dataOk,
                                         const std::vector<int>& nextMcs,
                                         uint32_t attempts)
{
    const uint32_t draws = nextMcs.size();
    NS_ABORT_MSG_IF(attempts == 0 || draws == 0 || dataOk.size() != HE_MCS_COUNT * draws,
                    "WifiLinkModel::GetStationaryDistribution: " << attempts << " attempts, "
                                                                 << draws << " draws, "
                                                                 << dataOk.size() << " entries");
    const int n = HE_MCS_COUNT;
    const double p = 1.0 / draws;
    // q: the MCS after a BlockAckRequest; w(c, c'): a Block Ack at c, then c'; f(c): failure
    Eigen::VectorXd q = Eigen::VectorXd::Zero(n);
    Eigen::MatrixXd w = Eigen::MatrixXd::Zero(n, n);
    Eigen::VectorXd f = Eigen::VectorXd::Ones(n);
    for (uint32_t k = 0; k < draws; ++k)
    {
        q(nextMcs[k]) += p;
        for (int c = 0; c < n; ++c)
        {
            w(c, nextMcs[k]) += p * dataOk[c * draws + k];
            f(c) -= p * dataOk[c * draws + k];
        }
    }
    const double phi = q.dot(f);
    // sum of phi^r for r = 0 .. attempts - 2: the failure flows F_r / F_0 that end in a request
    double retries = 0;
    double power = 1;
    for (uint32_t r = 0; r + 1 < attempts; ++r)
    {
        retries += power;
        power *= phi;
    }
    const double dropped = power; // phi^(attempts - 1): F_{attempts-1} / F_0, back to MCS 0
    // fresh data states: pi0 = pi0 (w + f (retries q w + dropped e0)), a stochastic matrix
    Eigen::RowVectorXd afterFailure = retries * (q.transpose() * w);
    afterFailure(0) += dropped;
    Eigen::MatrixXd fresh = w + f * afterFailure;
    Eigen::MatrixXd balance = fresh.transpose() - Eigen::MatrixXd::Identity(n, n);
    balance.row(n - 1).setOnes();
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
    rhs(n - 1) = 1.0;
    const Eigen::VectorXd pi0 = balance.partialPivLu().solve(rhs);
    // the failure flow out of fresh states, and the states it feeds
    const double f0 = pi0.dot(f);
    std::vector<double> pi(n * attempts * 2, 0.0);
    auto index = [attempts](int c, uint32_t r, bool bar) {
        return RetryStateIndex(c, r, bar, attempts);
    };
    const double total = pi0.sum() + 2.0 * f0 * retries;
    std::vector<double> previous(pi0.data(), pi0.data() + n); // data states at retry r - 1
    std::vector<double> current(n);
    double flow = f0; // F_{r-1}
    for (int c = 0; c < n; ++c)
    {
        pi[index(c, 0, false)] = pi0(c) / total;
    }
    for (uint32_t r = 1; r < attempts; ++r)
    {
        for (int c = 0; c < n; ++c)
        {
            // a request after a failure at retry r - 1, then data at the MCS the request set
            pi[index(c, r, true)] = previous[c] * f(c) / total;
            current[c] = q(c) * flow;
            pi[index(c, r, false)] = current[c] / total;
        }
        previous.swap(current);
        flow *= phi;
    }
    return pi;
}

const WifiLinkEstimate&
WifiLinkModel::Estimate(double snrDb, double reverseSnrDb, double nakagamiM) const
{
    const auto key = std::make_tuple(Key(snrDb), Key(reverseSnrDb), Key(nakagamiM));
    auto found = m_cache.find(key);
    if (found != m_cache.end())
    {
        return found->second;
    }
    WifiLinkEstimate estimate;
    estimate.meanSnrMcs = PickMcs(snrDb);
    estimate.phyRate = GetPhyRate(estimate.meanSnrMcs);
    if (estimate.meanSnrMcs >= 0)
    {
        const std::vector<double> gains =
            nakagamiM > 0 ? NakagamiGainQuantilesDb(nakagamiM, m_parameters.fadingQuantiles)
                          : std::vector<double>{0.0};
        const uint32_t segmentMpdu =
            m_parameters.segmentBytes + m_parameters.tcpIpHeaderBytes + MPDU_OVERHEAD_BYTES;
        const Direction data = Solve(snrDb, gains, segmentMpdu, 0);
        // The receiver returns one TCP ACK per segmentsPerAck segments, aggregated into its
        // own PPDUs (its own access, Block Ack and rate choice on the reverse hop).
        const uint32_t ackMpdu = m_parameters.tcpIpHeaderBytes + MPDU_OVERHEAD_BYTES;
        const uint32_t acksPerPpdu =
            std::max<uint32_t>(1,
                               static_cast<uint32_t>(std::lround(data.mpdusSent / data.ppdusSent /
                                                                 m_parameters.segmentsPerAck)));
        const Direction acks = Solve(reverseSnrDb, gains, ackMpdu, acksPerPpdu);
        const double ackAirtime = acks.mpdusDelivered > 0
                                      ? data.mpdusDelivered / m_parameters.segmentsPerAck *
                                            acks.airtime / acks.mpdusDelivered
                                      : 0.0;
        const double airtime = data.airtime + ackAirtime;
        estimate.goodput = airtime > 0 && acks.mpdusDelivered > 0
                               ? data.mpdusDelivered * 8.0 * m_parameters.segmentBytes / airtime
                               : 0.0;
        estimate.mpdusPerPpdu = data.mpdusSent / data.ppdusSent;
        estimate.deliveryRatio = data.mpdusSent > 0 ? data.mpdusDelivered / data.mpdusSent : 0;
        estimate.meanPhyRate = data.dataAirtime > 0 ? data.bitsAtPhy / data.dataAirtime : 0;
        estimate.airtimePerPpdu = airtime;
    }
    return m_cache.emplace(key, estimate).first->second;
}

double
WifiLinkModel::GetContentionFactor(uint32_t contenders, double txopSeconds) const
{
    if (contenders <= 2)
    {
        return 1.0;
    }
    const auto key = std::make_pair(contenders, Key(txopSeconds * 1e6));
    auto found = m_contentionCache.find(key);
    if (found != m_contentionCache.end())
    {
        return found->second;
    }
    const double factor =
        ChannelTimePerSuccess(contenders, txopSeconds) / ChannelTimePerSuccess(2, txopSeconds);
    m_contentionCache.emplace(key, factor);
    return factor;
}

double
WifiLinkModel::ChannelTimePerSuccess(uint32_t contenders, double txopSeconds) const
{
    // Bianchi's fixed point for n saturated contenders: tau, a station's chance to transmit
    // in a slot, and p, the chance that a transmission collides, with binary exponential
    // backoff over stages 0..stages (windows cwMin+1 doubling up to cwMax+1).
    const double w = m_parameters.cwMin + 1.0;
    const double stages = std::log2((m_parameters.cwMax + 1.0) / w);
    const double n = contenders;
    double tau = 2.0 / (w + 1.0);
    for (uint32_t iteration = 0; iteration < 1000; ++iteration)
    {
        const double p = 1.0 - std::pow(1.0 - tau, n - 1.0);
        const double next =
            2.0 * (1.0 - 2.0 * p) /
            ((1.0 - 2.0 * p) * (w + 1.0) + p * w * (1.0 - std::pow(2.0 * p, stages)));
        // damped, so that the iteration settles instead of oscillating
        const double updated = 0.5 * tau + 0.5 * next;
        if (std::abs(updated - tau) < 1e-14)
        {
            tau = updated;
            break;
        }
        tau = updated;
    }
    const double transmit = 1.0 - std::pow(1.0 - tau, n);
    const double success = n * tau * std::pow(1.0 - tau, n - 1.0) / transmit;
    const double slot = m_slot.GetSeconds();
    // A collision costs about as long as a transmission opportunity (the colliding PPDUs and
    // the Block Ack timeout).
    return ((1.0 - transmit) * slot + transmit * txopSeconds) / (transmit * success);
}

} // namespace edgellm
} // namespace ns3
