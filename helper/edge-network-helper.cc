/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-network-helper.h"

#include "lte-network-helper.h"
#include "ofdma-cell-helper.h"

#include "ns3/boolean.h"
#include "ns3/channel-condition-model.h"
#include "ns3/config.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/constant-velocity-mobility-model.h"
#include "ns3/double.h"
#include "ns3/jakes-propagation-loss-model.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/nr-numerology.h"
#include "ns3/ns2-mobility-helper.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/random-variable-stream.h"
#include "ns3/random-walk-2d-mobility-model.h"
#include "ns3/rectangle.h"
#include "ns3/string.h"
#include "ns3/tcp-cubic.h"
#include "ns3/three-gpp-propagation-loss-model.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmEdgeNetworkHelper");

namespace
{

/** Speed of light in vacuum, m/s (the value ns-3's Friis model uses). */
constexpr double SPEED_OF_LIGHT = 299792458.0;
/** Largest device count of a Wi-Fi or CSMA network (one /16, and well under 2007 AIDs). */
constexpr uint32_t MAX_SHARED_DEVICES = 1000;
/** Largest device count of a p2p full mesh: 128 devices make 8256 links. */
constexpr uint32_t MAX_MESH_DEVICES = 128;
/** Installation heights (m) of the 3GPP scenarios, TR 38.901 Table 7.4.1-1 / 7.2-2. */
constexpr double INH_SERVER_HEIGHT = 3.0;
constexpr double INH_DEVICE_HEIGHT = 1.0;
constexpr double UMI_SERVER_HEIGHT = 10.0;
constexpr double UMI_DEVICE_HEIGHT = 1.5;

/**
 * \param value a value
 * \return its text, shortest form
 */
std::string
Text(double value)
{
    std::ostringstream os;
    os << value;
    return os.str();
}

} // namespace

EdgeNetworkHelper::EdgeNetworkHelper()
    : m_network("wifi"),
      m_cellBandwidthMHz(20),
      m_lteAlpha(1.0),
      m_lteP0NominalPuschDbm(-80),
      m_deviceTxPowerDbm(20.0),
      m_serverTxPowerDbm(20.0),
      m_maxTxPowerDbm(30.0),
      m_pathLoss("log-distance"),
      m_exponent(3.0),
      m_condition("3gpp"),
      m_shadowing(false),
      m_fading("none"),
      m_nakagamiM(2.0),
      m_dopplerHz(10),
      m_placement("circle"),
      m_distance(5.0),
      m_mobility("static"),
      m_speed(1.0),
      m_boxHalfSide(0.0),
      m_errorRate(0.0),
      m_populateArp(true),
      m_flowOnly(false),
      m_cells(1),
      m_backhaulRate(DataRate("1Gbps")),
      m_backhaulDelay(MilliSeconds(1)),
      m_cellSpacing(100.0),
      m_cellChannels(0),
      m_partitions(1)
{
}

std::string
EdgeNetworkHelper::CheckCellCount(uint64_t cells)
{
    if (cells >= 1 && cells <= MAX_FLOW_ONLY_DEVICES)
    {
        return "";
    }
    return "cells=" + std::to_string(cells) + " is invalid; allowed: 1.." +
           std::to_string(MAX_FLOW_ONLY_DEVICES);
}

void
EdgeNetworkHelper::SetCellCount(uint32_t cells)
{
    Require(CheckCellCount(cells));
    m_cells = cells;
}

uint32_t
EdgeNetworkHelper::GetCellCount() const
{
    return m_cells;
}

void
EdgeNetworkHelper::SetDeviceCells(const std::vector<uint32_t>& deviceCells)
{
    m_deviceCells = deviceCells;
}

std::string
EdgeNetworkHelper::CheckBackhaul(double bitRate, Time delay)
{
    if (!(bitRate > 0) || bitRate > 1e12)
    {
        return "backhaul rate=" + Text(bitRate) + " bit/s is invalid; allowed: (0, 1e12]";
    }
    if (delay.IsStrictlyNegative() || delay > Seconds(10))
    {
        return "backhaul delay=" + Text(delay.GetSeconds()) + " s is invalid; allowed: 0 to 10 s";
    }
    return "";
}

void
EdgeNetworkHelper::SetBackhaul(DataRate rate, Time delay)
{
    Require(CheckBackhaul(static_cast<double>(rate.GetBitRate()), delay));
    m_backhaulRate = rate;
    m_backhaulDelay = delay;
}

std::string
EdgeNetworkHelper::CheckCellSpacing(double metres)
{
    if (metres > 0 && metres <= 1e6)
    {
        return "";
    }
    return "cell spacing=" + Text(metres) + " m is invalid; allowed: (0, 1e6] m";
}

void
EdgeNetworkHelper::SetCellSpacing(double metres)
{
    Require(CheckCellSpacing(metres));
    m_cellSpacing = metres;
}

void
EdgeNetworkHelper::SetCellChannels(uint32_t channels)
{
    m_cellChannels = channels;
}

void
EdgeNetworkHelper::SetPartitionCount(uint32_t partitions)
{
    m_partitions = partitions;
}

uint32_t
EdgeNetworkHelper::GetPartitionCount() const
{
    return m_partitions;
}

uint32_t
EdgeNetworkHelper::GetCellPartition(uint32_t cell) const
{
    return static_cast<uint32_t>(static_cast<uint64_t>(cell) * m_partitions /
                                 std::max(1u, m_cells));
}

void
EdgeNetworkHelper::ConfigureTcpDefaults()
{
    NS_LOG_FUNCTION_NOARGS();
    Config::SetDefault("ns3::TcpSocket::SegmentSize",
                       UintegerValue(EdgeNetwork::TCP_SEGMENT_BYTES));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(4 * 1024 * 1024));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(4 * 1024 * 1024));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(2));
    Config::SetDefault("ns3::TcpSocket::DelAckTimeout", TimeValue(MilliSeconds(40)));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(MilliSeconds(200)));
    Config::SetDefault("ns3::TcpSocket::ConnTimeout", TimeValue(Seconds(1)));
    // Linux's net.ipv4.tcp_retries2 (15), not ns-3's 6: under fading a link can lose every
    // retransmission of a 6-step backoff and the connection would be dropped mid-round
    Config::SetDefault("ns3::TcpSocket::DataRetries", UintegerValue(15));
    Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpCubic::GetTypeId()));
}

void
EdgeNetworkHelper::Require(const std::string& problem)
{
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
}

std::string
EdgeNetworkHelper::CheckNetwork(const std::string& network)
{
    if (network == "wifi" || network == "ofdma" || network == "lte" || network == "csma" ||
        network == "p2p")
    {
        return "";
    }
    return "network='" + network + "' is not a known network; allowed: wifi, ofdma, lte, csma, p2p";
}

void
EdgeNetworkHelper::SetCellBandwidthMHz(double mhz)
{
    m_cellBandwidthMHz = mhz;
}

void
EdgeNetworkHelper::SetLteAlpha(double alpha)
{
    Require(LteNetworkHelper::CheckAlpha(alpha));
    m_lteAlpha = alpha;
}

void
EdgeNetworkHelper::SetLteP0NominalPuschDbm(double dbm)
{
    Require(LteNetworkHelper::CheckP0NominalPusch(dbm));
    m_lteP0NominalPuschDbm = static_cast<int>(dbm);
}

void
EdgeNetworkHelper::SetNetwork(const std::string& network)
{
    Require(CheckNetwork(network));
    m_network = network;
}

std::string
EdgeNetworkHelper::GetNetwork() const
{
    return m_network;
}

WifiNetworkHelper&
EdgeNetworkHelper::GetWifiHelper()
{
    return m_wifi;
}

std::string
EdgeNetworkHelper::CheckChannelWidth(uint32_t mhz)
{
    return WifiNetworkHelper::CheckChannelWidth(mhz);
}

void
EdgeNetworkHelper::SetChannelWidth(uint32_t mhz)
{
    m_wifi.SetChannelWidth(mhz);
}

uint32_t
EdgeNetworkHelper::GetChannelWidth() const
{
    return m_wifi.GetChannelWidth();
}

std::string
EdgeNetworkHelper::CheckD2dMode(const std::string& mode)
{
    return WifiNetworkHelper::CheckD2dMode(mode);
}

void
EdgeNetworkHelper::SetD2dMode(const std::string& mode)
{
    m_wifi.SetD2dMode(mode);
}

std::string
EdgeNetworkHelper::GetD2dMode() const
{
    return m_wifi.GetD2dMode();
}

std::string
EdgeNetworkHelper::CheckRateControl(const std::string& control)
{
    return WifiNetworkHelper::CheckRateControl(control);
}

void
EdgeNetworkHelper::SetRateControl(const std::string& control)
{
    m_wifi.SetRateControl(control);
}

std::string
EdgeNetworkHelper::GetRateControl() const
{
    return m_wifi.GetRateControl();
}

std::string
EdgeNetworkHelper::CheckHeMcs(uint32_t mcs)
{
    return WifiNetworkHelper::CheckHeMcs(mcs);
}

void
EdgeNetworkHelper::SetHeMcs(uint32_t mcs)
{
    m_wifi.SetHeMcs(mcs);
}

std::string
EdgeNetworkHelper::CheckGuardInterval(uint32_t ns)
{
    return WifiNetworkHelper::CheckGuardInterval(ns);
}

void
EdgeNetworkHelper::SetGuardInterval(uint32_t ns)
{
    m_wifi.SetGuardInterval(ns);
}

uint8_t
EdgeNetworkHelper::GetChannelNumber(uint32_t widthMhz, bool adhoc)
{
    return WifiNetworkHelper::GetChannelNumber(widthMhz, adhoc);
}

double
EdgeNetworkHelper::GetChannelFrequencyHz(uint32_t widthMhz, bool adhoc)
{
    return WifiNetworkHelper::GetChannelFrequencyHz(widthMhz, adhoc);
}

std::string
EdgeNetworkHelper::CheckTxPower(const std::string& parameter,
                                double dbm,
                                double minDbm,
                                double maxDbm)
{
    if (std::isfinite(dbm) && dbm >= minDbm && dbm <= maxDbm)
    {
        return "";
    }
    return parameter + "=" + Text(dbm) + " dBm is out of range; allowed: " + Text(minDbm) + " to " +
           Text(maxDbm) + " dBm";
}

void
EdgeNetworkHelper::SetDeviceTxPowerDbm(double dbm)
{
    // The network's MinTxPowerDbm default is -20 dBm; the maximum is this helper's.
    Require(CheckTxPower("device-tx-power", dbm, -20.0, m_maxTxPowerDbm));
    m_deviceTxPowerDbm = dbm;
}

void
EdgeNetworkHelper::SetServerTxPowerDbm(double dbm)
{
    Require(CheckTxPower("server-tx-power", dbm, -20.0, m_maxTxPowerDbm));
    m_serverTxPowerDbm = dbm;
}

void
EdgeNetworkHelper::SetMaxTxPowerDbm(double dbm)
{
    Require(CheckTxPower("max-tx-power", dbm, -20.0, 60.0));
    m_maxTxPowerDbm = dbm;
}

std::string
EdgeNetworkHelper::CheckPathLoss(const std::string& model)
{
    if (model == "log-distance" || model == "3gpp-inh" || model == "3gpp-umi")
    {
        return "";
    }
    return "path-loss='" + model +
           "' is not a known path loss model; allowed: log-distance, 3gpp-inh, 3gpp-umi";
}

void
EdgeNetworkHelper::SetPathLoss(const std::string& model)
{
    Require(CheckPathLoss(model));
    m_pathLoss = model;
}

std::string
EdgeNetworkHelper::CheckPathLossExponent(double exponent)
{
    if (std::isfinite(exponent) && exponent >= 1.0 && exponent <= 8.0)
    {
        return "";
    }
    return "path-loss-exponent=" + Text(exponent) + " is invalid: must be between 1 and 8";
}

void
EdgeNetworkHelper::SetPathLossExponent(double exponent)
{
    Require(CheckPathLossExponent(exponent));
    m_exponent = exponent;
}

std::string
EdgeNetworkHelper::CheckChannelCondition(const std::string& condition)
{
    if (condition == "3gpp" || condition == "los" || condition == "nlos")
    {
        return "";
    }
    return "channel-condition='" + condition +
           "' is not a known channel condition; allowed: 3gpp, los, nlos";
}

void
EdgeNetworkHelper::SetChannelCondition(const std::string& condition)
{
    Require(CheckChannelCondition(condition));
    m_condition = condition;
}

std::string
EdgeNetworkHelper::CheckFlowOnly(const std::string& network)
{
    if (network == "wifi" || network == "csma" || network == "p2p" || network == "lte")
    {
        return "";
    }
    return "a flow-only network (no packet devices) is not available for network='" + network +
           "': the flow level reads its cell's schedulers and grants from the installed "
           "devices; allowed: wifi, lte, csma, p2p";
}

void
EdgeNetworkHelper::SetFlowOnly(bool enable)
{
    m_flowOnly = enable;
}

bool
EdgeNetworkHelper::GetFlowOnly() const
{
    return m_flowOnly;
}

void
EdgeNetworkHelper::SetPopulateArpCache(bool enable)
{
    m_populateArp = enable;
}

void
EdgeNetworkHelper::SetBlockAckWarmUp(bool enable)
{
    m_wifi.SetBlockAckWarmUp(enable);
}

void
EdgeNetworkHelper::SetShadowing(bool enable)
{
    m_shadowing = enable;
}

std::string
EdgeNetworkHelper::CheckFading(const std::string& fading)
{
    if (fading == "none" || fading == "nakagami" || fading == "rayleigh" || fading == "jakes")
    {
        return "";
    }
    return "fading='" + fading +
           "' is not a known fading model; allowed: none, nakagami, rayleigh, jakes";
}

std::string
EdgeNetworkHelper::CheckDopplerHz(double hz)
{
    if (std::isfinite(hz) && hz > 0 && hz <= 1e4)
    {
        return "";
    }
    return "dopplerHz=" + Text(hz) + " is invalid: must be in (0, 10000] Hz";
}

void
EdgeNetworkHelper::SetDopplerHz(double hz)
{
    Require(CheckDopplerHz(hz));
    m_dopplerHz = hz;
}

void
EdgeNetworkHelper::SetFading(const std::string& fading)
{
    Require(CheckFading(fading));
    m_fading = fading;
}

std::string
EdgeNetworkHelper::CheckNakagamiM(double m)
{
    if (std::isfinite(m) && m >= 0.5 && m <= 100.0)
    {
        return "";
    }
    return "nakagami-m=" + Text(m) + " is invalid: must be between 0.5 and 100";
}

void
EdgeNetworkHelper::SetNakagamiM(double m)
{
    Require(CheckNakagamiM(m));
    m_nakagamiM = m;
}

std::string
EdgeNetworkHelper::CheckPlacement(const std::string& placement)
{
    if (placement == "circle" || placement == "line" || placement == "disc")
    {
        return "";
    }
    return "placement='" + placement + "' is not a known placement; allowed: circle, line, disc";
}

void
EdgeNetworkHelper::SetPlacement(const std::string& placement)
{
    Require(CheckPlacement(placement));
    m_placement = placement;
}

std::string
EdgeNetworkHelper::CheckDistance(double metres)
{
    if (std::isfinite(metres) && metres > 0.0)
    {
        return "";
    }
    return "distance=" + Text(metres) + " m is invalid: must be a positive number of metres";
}

void
EdgeNetworkHelper::SetDistance(double metres)
{
    Require(CheckDistance(metres));
    m_distance = metres;
}

std::string
EdgeNetworkHelper::CheckMobility(const std::string& mobility)
{
    if (mobility == "static" || mobility == "random-walk" || mobility == "ns2")
    {
        return "";
    }
    return "mobility='" + mobility + "' is not a known mobility; allowed: static, random-walk, ns2";
}

std::string
EdgeNetworkHelper::CheckMobilityTrace(const std::string& path)
{
    std::ifstream in(path);
    if (path.empty() || !in.is_open())
    {
        return "mobilityTrace='" + path + "' cannot be opened; give an ns-2 mobility trace file";
    }
    return "";
}

void
EdgeNetworkHelper::SetMobilityTrace(const std::string& path)
{
    Require(CheckMobilityTrace(path));
    m_mobilityTrace = path;
}

void
EdgeNetworkHelper::SetMobility(const std::string& mobility)
{
    Require(CheckMobility(mobility));
    m_mobility = mobility;
}

std::string
EdgeNetworkHelper::CheckSpeed(double metresPerSecond)
{
    if (std::isfinite(metresPerSecond) && metresPerSecond > 0.0 && metresPerSecond <= 50.0)
    {
        return "";
    }
    return "speed=" + Text(metresPerSecond) + " m/s is invalid: must be in (0, 50]";
}

void
EdgeNetworkHelper::SetRandomWalkSpeed(double metresPerSecond)
{
    Require(CheckSpeed(metresPerSecond));
    m_speed = metresPerSecond;
}

std::string
EdgeNetworkHelper::CheckRandomWalkBoxHalfSide(double metres)
{
    if (std::isfinite(metres) && metres >= 0.0 && metres <= 1e6)
    {
        return "";
    }
    return "walkBoxHalfSide=" + Text(metres) +
           " m is invalid: must be 0 (automatic) or positive, at most 1e6";
}

void
EdgeNetworkHelper::SetRandomWalkBoxHalfSide(double metres)
{
    Require(CheckRandomWalkBoxHalfSide(metres));
    m_boxHalfSide = metres;
}

CsmaNetworkHelper&
EdgeNetworkHelper::GetCsmaHelper()
{
    return m_csma;
}

P2pNetworkHelper&
EdgeNetworkHelper::GetP2pHelper()
{
    return m_p2p;
}

std::string
EdgeNetworkHelper::CheckDataRate(DataRate rate)
{
    if (rate.GetBitRate() > 0)
    {
        return "";
    }
    return "data-rate=0bps is invalid: must be positive";
}

void
EdgeNetworkHelper::SetDataRate(DataRate rate)
{
    Require(CheckDataRate(rate));
    m_csma.SetDataRate(rate);
    m_p2p.SetDataRate(rate);
}

std::string
EdgeNetworkHelper::CheckDelay(Time delay)
{
    if (!delay.IsNegative())
    {
        return "";
    }
    std::ostringstream os;
    os << "delay=" << delay.As(Time::MS) << " is invalid: must not be negative";
    return os.str();
}

void
EdgeNetworkHelper::SetDelay(Time delay)
{
    Require(CheckDelay(delay));
    m_csma.SetDelay(delay);
    m_p2p.SetDelay(delay);
}

std::string
EdgeNetworkHelper::CheckErrorRate(double rate)
{
    if (std::isfinite(rate) && rate >= 0.0 && rate < 1.0)
    {
        return "";
    }
    return "error-rate=" + Text(rate) + " is invalid: must be a probability in [0, 1)";
}

void
EdgeNetworkHelper::SetErrorRate(double rate)
{
    Require(CheckErrorRate(rate));
    m_errorRate = rate;
}

std::string
EdgeNetworkHelper::CheckQueueSize(uint32_t packets)
{
    if (packets >= 1 && packets <= 10000000)
    {
        return "";
    }
    return "queue-size=" + std::to_string(packets) + " packets is invalid; allowed: 1..10000000";
}

void
EdgeNetworkHelper::SetWiredQueueSize(uint32_t packets)
{
    Require(CheckQueueSize(packets));
    m_csma.SetQueueSize(packets);
    m_p2p.SetQueueSize(packets);
}

double
EdgeNetworkHelper::GetBoxHalfSide(uint32_t deviceCount) const
{
    double farthest = m_placement == "line" ? deviceCount * m_distance : m_distance;
    return m_boxHalfSide > 0.0 ? m_boxHalfSide : 2.0 * farthest;
}

std::string
EdgeNetworkHelper::CheckDeviceCount(uint32_t deviceCount) const
{
    if (m_flowOnly)
    {
        std::string problem = CheckFlowOnly(m_network);
        if (!problem.empty())
        {
            return problem;
        }
    }
    uint32_t max =
        m_network == "p2p"
            ? MAX_MESH_DEVICES
            : (m_network == "lte" ? LteNetworkHelper::MAX_DEVICES
                                  : (m_flowOnly ? MAX_FLOW_ONLY_DEVICES : MAX_SHARED_DEVICES));
    if (deviceCount < 1 || deviceCount > max)
    {
        return "deviceCount=" + std::to_string(deviceCount) + " is invalid for network='" +
               m_network + "'; allowed: 1.." + std::to_string(max);
    }
    return "";
}

std::string
EdgeNetworkHelper::Validate(uint32_t deviceCount) const
{
    const std::string countProblem = CheckDeviceCount(deviceCount);
    if (!countProblem.empty())
    {
        return countProblem;
    }
    bool wired = m_network != "wifi" && m_network != "ofdma" && m_network != "lte";
    if (m_network != "wifi" && m_wifi.GetD2dMode() != "ap")
    {
        return "d2d='" + m_wifi.GetD2dMode() + "' needs network='wifi' (network='" + m_network +
               (m_network == "ofdma"
                    ? "' relays device-to-device traffic through the base station)"
                    : (m_network == "lte" ? "' relays device-to-device traffic through the "
                                            "packet gateway)"
                                          : "' connects devices directly)"));
    }
    if (m_network == "lte")
    {
        std::string problem = LteNetworkHelper::CheckBandwidthMHz(m_cellBandwidthMHz);
        if (problem.empty())
        {
            problem = LteNetworkHelper::CheckEnbTxPower(m_serverTxPowerDbm);
        }
        if (!problem.empty())
        {
            return problem;
        }
    }
    if (m_network == "ofdma")
    {
        std::string problem = NrNumerology::CheckBandwidth(m_cellBandwidthMHz, 1);
        if (!problem.empty())
        {
            return problem;
        }
    }
    if (m_cells > 1)
    {
        if (m_network != "wifi")
        {
            return "cells=" + std::to_string(m_cells) +
                   " needs network='wifi'; the other kinds have one cell (network='" + m_network +
                   "')";
        }
        if (!m_flowOnly && m_cells > WifiNetworkHelper::MAX_PACKET_CELLS)
        {
            return "cells=" + std::to_string(m_cells) + " is too many for the packet level; " +
                   "allowed: 2.." + std::to_string(WifiNetworkHelper::MAX_PACKET_CELLS) +
                   " (the flow level, flowOnly, takes more)";
        }
        if (m_mobility != "static")
        {
            return "cells=" + std::to_string(m_cells) + " needs mobility='static' (mobility='" +
                   m_mobility + "' moves devices without handing them over between cells)";
        }
        if (!m_deviceCells.empty() && m_deviceCells.size() != deviceCount)
        {
            return "device cells: " + std::to_string(m_deviceCells.size()) + " given for " +
                   std::to_string(deviceCount) + " devices; give one per device";
        }
        for (size_t i = 0; i < m_deviceCells.size(); ++i)
        {
            if (m_deviceCells[i] >= m_cells)
            {
                return "device " + std::to_string(i) + " is in cell " +
                       std::to_string(m_deviceCells[i]) + "; allowed: 0.." +
                       std::to_string(m_cells - 1);
            }
        }
        if (m_cellChannels > m_cells)
        {
            return "cell channels=" + std::to_string(m_cellChannels) +
                   " is more than cells=" + std::to_string(m_cells) +
                   "; allowed: 0 (one per cell) to " + std::to_string(m_cells);
        }
    }
    if (m_partitions != 1)
    {
        if (m_partitions == 0 || m_cells < 2 || m_partitions > m_cells || m_flowOnly)
        {
            return "partitions=" + std::to_string(m_partitions) +
                   " is invalid for this network: a distributed run needs a multi-cell Wi-Fi "
                   "network at the packet level with at least one cell per rank (cells=" +
                   std::to_string(m_cells) + (m_flowOnly ? ", flow-only" : "") + ")";
        }
        const uint32_t channels = m_cellChannels == 0 ? m_cells : m_cellChannels;
        for (uint32_t c = channels; c < m_cells; ++c)
        {
            // cell c shares channel c mod K with the cells before it
            if (GetCellPartition(c) != GetCellPartition(c % channels))
            {
                return "partitions=" + std::to_string(m_partitions) + " puts cells " +
                       std::to_string(c % channels) + " and " + std::to_string(c) +
                       ", which share a radio channel, on different ranks; a channel cannot "
                       "span ranks: use channels=0 (one per cell) or fewer partitions";
            }
        }
    }
    if (m_mobility == "ns2" && m_mobilityTrace.empty())
    {
        return "mobility='ns2' needs a mobilityTrace (an ns-2 mobility trace file)";
    }
    if (wired && m_fading != "none")
    {
        return "fading='" + m_fading + "' needs a radio network (network='" + m_network +
               "' has no radio channel)";
    }
    if (wired && m_mobility != "static")
    {
        return "mobility='" + m_mobility + "' needs a radio network (network='" + m_network +
               "' has no radio channel)";
    }
    if (!wired && m_errorRate > 0.0)
    {
        return "error-rate=" + Text(m_errorRate) +
               " needs a wired network (network='csma' or 'p2p'); on network='" + m_network +
               "' losses "
               "come from the radio channel";
    }
    if (!wired && (m_deviceTxPowerDbm > m_maxTxPowerDbm || m_serverTxPowerDbm > m_maxTxPowerDbm))
    {
        return "device-tx-power=" + Text(m_deviceTxPowerDbm) +
               " dBm or server-tx-power=" + Text(m_serverTxPowerDbm) +
               " dBm is above max-tx-power=" + Text(m_maxTxPowerDbm) + " dBm";
    }
    if (!wired && m_mobility == "random-walk")
    {
        double farthest = m_placement == "line" ? deviceCount * m_distance : m_distance;
        double half = GetBoxHalfSide(deviceCount);
        if (farthest > half)
        {
            return "box-half-side=" + Text(half) + " m is too small: placement='" + m_placement +
                   "' puts a device " + Text(farthest) + " m from the server";
        }
    }
    return "";
}

double
EdgeNetworkHelper::GetFriisLossDb(double frequencyHz, double metres)
{
    return 20.0 * std::log10(4.0 * M_PI * metres * frequencyHz / SPEED_OF_LIGHT);
}

Ptr<PropagationLossModel>
EdgeNetworkHelper::CreateLossChain(Ptr<EdgeNetwork> network, double frequencyHz) const
{
    Ptr<PropagationLossModel> pathLoss;
    if (m_pathLoss == "log-distance")
    {
        // Reference loss: free space at 1 m at the channel's centre frequency (46.7 dB at
        // 5180 MHz); beyond 1 m the power falls with 10 x exponent dB per decade.
        Ptr<LogDistancePropagationLossModel> model =
            CreateObject<LogDistancePropagationLossModel>();
        model->SetAttribute("Exponent", DoubleValue(m_exponent));
        model->SetAttribute("ReferenceDistance", DoubleValue(1.0));
        model->SetAttribute("ReferenceLoss", DoubleValue(GetFriisLossDb(frequencyHz, 1.0)));
        pathLoss = model;
    }
    else
    {
        Ptr<ThreeGppPropagationLossModel> model;
        Ptr<ChannelConditionModel> condition;
        if (m_pathLoss == "3gpp-inh")
        {
            model = CreateObject<ThreeGppIndoorOfficePropagationLossModel>();
            if (m_condition == "3gpp")
            {
                condition = CreateObject<ThreeGppIndoorOpenOfficeChannelConditionModel>();
            }
        }
        else
        {
            model = CreateObject<ThreeGppUmiStreetCanyonPropagationLossModel>();
            if (m_condition == "3gpp")
            {
                condition = CreateObject<ThreeGppUmiStreetCanyonChannelConditionModel>();
            }
        }
        if (m_condition == "los")
        {
            condition = CreateObject<AlwaysLosChannelConditionModel>();
        }
        else if (m_condition == "nlos")
        {
            condition = CreateObject<NeverLosChannelConditionModel>();
        }
        model->SetFrequency(frequencyHz);
        model->SetAttribute("ShadowingEnabled", BooleanValue(m_shadowing));
        model->SetChannelConditionModel(condition);
        network->AddChannelConditionModel(condition);
        pathLoss = model;
    }
    if (m_fading == "jakes")
    {
        // Rayleigh fading correlated in time, per link (ns-3's Jakes model); its Doppler is a
        // JakesProcess default (the processes are made lazily, at the first frame of a link)
        Config::SetDefault("ns3::JakesProcess::DopplerFrequencyHz", DoubleValue(m_dopplerHz));
        pathLoss->SetNext(CreateObject<JakesPropagationLossModel>());
    }
    else if (m_fading != "none")
    {
        // Fading after path loss: Nakagami draws each frame's power around the path-loss mean
        // (its mean in watts is the input power). Same m at every distance.
        double m = m_fading == "rayleigh" ? 1.0 : m_nakagamiM;
        Ptr<NakagamiPropagationLossModel> fading = CreateObject<NakagamiPropagationLossModel>();
        fading->SetAttribute("m0", DoubleValue(m));
        fading->SetAttribute("m1", DoubleValue(m));
        fading->SetAttribute("m2", DoubleValue(m));
        pathLoss->SetNext(fading);
    }
    return pathLoss;
}

void
EdgeNetworkHelper::InstallMobility(Ptr<EdgeNetwork> network) const
{
    double serverHeight = 0.0;
    double deviceHeight = 0.0;
    if (m_pathLoss == "3gpp-inh")
    {
        serverHeight = INH_SERVER_HEIGHT;
        deviceHeight = INH_DEVICE_HEIGHT;
    }
    else if (m_pathLoss == "3gpp-umi")
    {
        serverHeight = UMI_SERVER_HEIGHT;
        deviceHeight = UMI_DEVICE_HEIGHT;
    }
    uint32_t n = network->GetDeviceCount();
    Ptr<Node> server = network->GetNode(network->GetServerIndex());
    Ptr<ConstantPositionMobilityModel> serverMobility =
        CreateObject<ConstantPositionMobilityModel>();
    server->AggregateObject(serverMobility);
    serverMobility->SetPosition(Vector(0.0, 0.0, serverHeight));
    // Multi-cell: the cells' servers on a square grid, row by row (the aggregation server at
    // the origin has no radio); every device is placed relative to its cell's server.
    const uint32_t cells = network->GetCellCount();
    const auto columns = static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<double>(cells))));
    std::vector<Vector> cellCentre(cells, Vector(0.0, 0.0, 0.0));
    if (network->IsMultiCell())
    {
        for (uint32_t c = 0; c < cells; ++c)
        {
            cellCentre[c] = Vector((c % columns) * m_cellSpacing, (c / columns) * m_cellSpacing, 0);
            Ptr<ConstantPositionMobilityModel> mobility =
                CreateObject<ConstantPositionMobilityModel>();
            network->GetNode(network->GetCellServerIndex(c))->AggregateObject(mobility);
            mobility->SetPosition(Vector(cellCentre[c].x, cellCentre[c].y, serverHeight));
        }
    }

    double half = GetBoxHalfSide(n);
    // "disc": a fixed stream of its own, so that the seed and run number alone decide the
    // positions, whatever else draws before the network is installed
    Ptr<UniformRandomVariable> uniform = CreateObject<UniformRandomVariable>();
    uniform->SetStream(DISC_PLACEMENT_STREAM);
    for (uint32_t i = 0; i < n; ++i)
    {
        Vector position;
        if (m_placement == "disc")
        {
            // uniform over the area between 1 m and the radius (sqrt of a uniform draw)
            const double r0 = std::min(1.0, m_distance);
            const double radius =
                std::sqrt(r0 * r0 + uniform->GetValue() * (m_distance * m_distance - r0 * r0));
            const double angle = 2.0 * M_PI * uniform->GetValue();
            position = Vector(radius * std::cos(angle), radius * std::sin(angle), 0.0);
        }
        else if (m_placement == "circle")
        {
            double angle = 2.0 * M_PI * i / n;
            position = Vector(m_distance * std::cos(angle), m_distance * std::sin(angle), 0.0);
        }
        else
        {
            position = Vector((i + 1) * m_distance, 0.0, 0.0);
        }
        const Vector& centre = cellCentre[network->GetCellOf(i)];
        position.x += centre.x;
        position.y += centre.y;
        position.z = deviceHeight;
        Ptr<MobilityModel> mobility = MakeDeviceMobility(half);
        network->GetNode(i)->AggregateObject(mobility);
        mobility->SetPosition(position);
    }
    NodeContainer devices;
    for (uint32_t i = 0; i < n; ++i)
    {
        devices.Add(network->GetNode(i));
    }
    ApplyMobilityTrace(devices);
}

Ptr<MobilityModel>
EdgeNetworkHelper::MakeDeviceMobility(double half) const
{
    if (m_mobility == "random-walk")
    {
        Ptr<MobilityModel> mobility = CreateObject<RandomWalk2dMobilityModel>();
        mobility->SetAttribute("Bounds", RectangleValue(Rectangle(-half, half, -half, half)));
        mobility->SetAttribute("Mode", StringValue("Time"));
        mobility->SetAttribute("Time", TimeValue(Seconds(1.0)));
        mobility->SetAttribute(
            "Speed",
            StringValue("ns3::ConstantRandomVariable[Constant=" + Text(m_speed) + "]"));
        return mobility;
    }
    if (m_mobility == "ns2")
    {
        // Ns2MobilityHelper drives a ConstantVelocityMobilityModel; a device the trace does
        // not name keeps its placement
        return CreateObject<ConstantVelocityMobilityModel>();
    }
    return CreateObject<ConstantPositionMobilityModel>();
}

void
EdgeNetworkHelper::ApplyMobilityTrace(const NodeContainer& devices) const
{
    if (m_mobility != "ns2")
    {
        return;
    }
    // $node_(i) of the trace is device i (the range's i-th node), whatever the node ids
    Ns2MobilityHelper trace(m_mobilityTrace);
    trace.Install(devices.Begin(), devices.End());
}

Ptr<EdgeNetwork>
EdgeNetworkHelper::Install(uint32_t deviceCount)
{
    Require(Validate(deviceCount));
    NodeContainer devices;
    // each node on its cell's rank (a distributed run), the aggregation server on rank 0
    const std::vector<uint32_t> cells = GetDeviceCells(deviceCount);
    for (uint32_t i = 0; i < deviceCount; ++i)
    {
        devices.Add(CreateObject<Node>(GetCellPartition(cells[i])));
    }
    Ptr<Node> server = CreateObject<Node>();
    return Install(devices, server);
}

std::vector<uint32_t>
EdgeNetworkHelper::GetDeviceCells(uint32_t deviceCount) const
{
    if (!m_deviceCells.empty())
    {
        return m_deviceCells;
    }
    // C contiguous runs, as even as can be
    std::vector<uint32_t> cells;
    for (uint64_t i = 0; i < deviceCount; ++i)
    {
        cells.push_back(static_cast<uint32_t>(i * m_cells / deviceCount));
    }
    return cells;
}

Ptr<EdgeNetwork>
EdgeNetworkHelper::Install(NodeContainer devices, Ptr<Node> server)
{
    NS_LOG_FUNCTION(this << devices.GetN() << server);
    Require(Validate(devices.GetN()));
    if (!server)
    {
        NS_FATAL_ERROR("server is null: Install needs a server node");
    }
    std::set<Ptr<Node>> seen{server};
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        Ptr<Node> node = devices.Get(i);
        if (!node)
        {
            NS_FATAL_ERROR("device " << i << " is null: Install needs a node per device");
        }
        if (!seen.insert(node).second)
        {
            NS_FATAL_ERROR("device " << i << " (node id " << node->GetId()
                                     << ") appears twice or is the server: each node must "
                                        "have one role");
        }
    }
    if (m_network == "wifi")
    {
        for (const auto& node : seen)
        {
            if (node->GetObject<MobilityModel>())
            {
                NS_FATAL_ERROR("node id " << node->GetId()
                                          << " already has a MobilityModel: EdgeNetworkHelper "
                                             "places the nodes itself (placement, distance)");
            }
        }
    }

    if (server->GetObject<EdgeNetwork>())
    {
        NS_FATAL_ERROR("server (node id " << server->GetId()
                                          << ") already serves an EdgeNetwork: one network per "
                                             "server node");
    }

    if (m_network == "ofdma")
    {
        // the cell builds its own EdgeNetwork (addresses, routes through the base station)
        OfdmaCellHelper cell;
        cell.SetBandwidthMHz(m_cellBandwidthMHz);
        cell.SetDistance(m_distance);
        if (m_placement != "circle")
        {
            // the cell keeps its devices on spokes around the base station; their distances
            // follow the placement (the same draws as on Wi-Fi for "disc")
            std::vector<double> distances;
            Ptr<UniformRandomVariable> uniform = CreateObject<UniformRandomVariable>();
            uniform->SetStream(DISC_PLACEMENT_STREAM);
            for (uint32_t i = 0; i < devices.GetN(); ++i)
            {
                if (m_placement == "disc")
                {
                    const double r0 = std::min(1.0, m_distance);
                    distances.push_back(std::sqrt(
                        r0 * r0 + uniform->GetValue() * (m_distance * m_distance - r0 * r0)));
                    uniform->GetValue(); // the angle Wi-Fi draws next
                }
                else
                {
                    distances.push_back((i + 1) * m_distance);
                }
            }
            cell.SetDeviceDistances(distances);
        }
        cell.SetPathLoss(m_pathLoss); // one vocabulary: the cell takes the same names
        cell.SetLogDistanceExponent(m_exponent);
        cell.SetChannelCondition(m_condition);
        cell.SetShadowing(m_shadowing);
        cell.SetFading(m_fading);
        cell.SetNakagamiM(m_nakagamiM);
        cell.SetDopplerHz(m_dopplerHz);
        cell.SetUeMaxTxPowerDbm(m_maxTxPowerDbm);
        cell.SetUeTxPowerDbm(m_deviceTxPowerDbm);
        cell.SetBsTxPowerDbm(m_serverTxPowerDbm);
        if (m_mobility != "static")
        {
            // the cell places what has no mobility yet: give the devices theirs at its places
            const double half = GetBoxHalfSide(devices.GetN());
            for (uint32_t i = 0; i < devices.GetN(); ++i)
            {
                Ptr<MobilityModel> mobility = MakeDeviceMobility(half);
                devices.Get(i)->AggregateObject(mobility);
                mobility->SetPosition(cell.GetDevicePosition(i, devices.GetN()));
            }
            ApplyMobilityTrace(devices);
        }
        Ptr<EdgeNetwork> cellNetwork = cell.InstallEdgeNetwork(devices, server);
        cellNetwork->SetAttribute("MaxTxPowerDbm", DoubleValue(m_maxTxPowerDbm));
        return cellNetwork;
    }
    Ptr<EdgeNetwork> network = CreateObject<EdgeNetwork>();
    // The server node keeps the network alive (its trace sinks are called by the stations'
    // MACs) and lets anyone find it: server->GetObject<EdgeNetwork>(). Simulator::Destroy
    // disposes it with the node, which breaks the node <-> network reference cycle.
    server->AggregateObject(network);
    network->SetAttribute("MaxTxPowerDbm", DoubleValue(m_maxTxPowerDbm));
    network->SetNodes(m_network, devices, server);
    if (m_cells > 1)
    {
        const std::vector<uint32_t> deviceCells = GetDeviceCells(devices.GetN());
        NodeContainer cellServers;
        for (uint32_t c = 0; c < m_cells; ++c)
        {
            cellServers.Add(CreateObject<Node>(GetCellPartition(c)));
        }
        std::vector<uint32_t> channels(m_cells);
        for (uint32_t c = 0; c < m_cells; ++c)
        {
            channels[c] = m_cellChannels == 0 ? c : c % m_cellChannels;
        }
        network->SetCells(deviceCells,
                          cellServers,
                          static_cast<double>(m_backhaulRate.GetBitRate()),
                          m_backhaulDelay,
                          channels);
    }
    if (m_network == "lte")
    {
        InstallMobility(network);
        LteRadioSettings radio;
        radio.lossChain = [this](Ptr<EdgeNetwork> net, double frequencyHz) {
            return CreateLossChain(net, frequencyHz);
        };
        radio.bandwidthMHz = m_cellBandwidthMHz;
        radio.enbTxPowerDbm = m_serverTxPowerDbm;
        radio.ueMaxTxPowerDbm = m_deviceTxPowerDbm;
        radio.alpha = m_lteAlpha;
        radio.p0NominalPuschDbm = m_lteP0NominalPuschDbm;
        if (m_flowOnly)
        {
            LteNetworkHelper().InstallFlowOnly(network, radio);
        }
        else
        {
            LteNetworkHelper().Install(network, radio);
        }
        return network;
    }
    if (m_network == "wifi")
    {
        InstallMobility(network);
        WifiRadioSettings radio;
        radio.lossChain = [this](Ptr<EdgeNetwork> net, double frequencyHz) {
            return CreateLossChain(net, frequencyHz);
        };
        radio.deviceTxPowerDbm = m_deviceTxPowerDbm;
        radio.serverTxPowerDbm = m_serverTxPowerDbm;
        radio.populateArpCache = m_populateArp;
        if (m_flowOnly)
        {
            m_wifi.InstallFlowOnly(network, radio);
        }
        else
        {
            m_wifi.Install(network, radio);
        }
    }
    else
    {
        const WiredNetworkHelper& wired =
            m_network == "csma" ? static_cast<const WiredNetworkHelper&>(m_csma) : m_p2p;
        if (m_flowOnly)
        {
            wired.InstallFlowOnly(network);
        }
        else
        {
            wired.Install(network, m_populateArp);
        }
    }
    if (m_network != "wifi")
    {
        network->SetErrorRate(m_errorRate);
    }
    return network;
}

int64_t
EdgeNetworkHelper::AssignStreams(Ptr<EdgeNetwork> network, int64_t stream)
{
    if (!network)
    {
        NS_FATAL_ERROR("network is null: AssignStreams needs the network Install returned");
    }
    return network->AssignStreams(stream);
}

} // namespace edgellm
} // namespace ns3
