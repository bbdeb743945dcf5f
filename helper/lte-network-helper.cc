/* SPDX-License-Identifier: GPL-2.0-only */
#include "lte-network-helper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/integer.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/lte-enb-net-device.h"
#include "ns3/lte-enb-phy.h"
#include "ns3/lte-enb-rrc.h"
#include "ns3/lte-helper.h"
#include "ns3/lte-link-model.h"
#include "ns3/lte-spectrum-value-helper.h"
#include "ns3/lte-ue-net-device.h"
#include "ns3/lte-ue-phy.h"
#include "ns3/lte-ue-power-control.h"
#include "ns3/point-to-point-epc-helper.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/spectrum-channel.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <sstream>
#include <vector>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmLteNetworkHelper");

namespace
{

/// RLC UM transmit buffer: above the 4 MiB TCP windows EdgeNetworkHelper sets, so the RLC never
/// drops what TCP sends (ns-3's default of 10 KiB drops a burst)
const uint32_t RLC_BUFFER_BYTES = 8 * 1024 * 1024;
/// the server's link to the packet gateway
const char* const SERVER_LINK_RATE = "100Gbps";
const Time SERVER_LINK_DELAY = MicroSeconds(100);

/// NS_FATAL_ERROR with \p problem when not empty.
/**
 * \param type a TypeId name
 * \param attribute one of its attributes
 * \return the attribute's initial value (what a new object gets: Config::SetDefault included),
 *         as a number
 */
double
NumericDefault(const std::string& type, const std::string& attribute)
{
    TypeId::AttributeInformation info;
    const bool found = TypeId::LookupByName(type).LookupAttributeByName(attribute, &info);
    NS_ABORT_MSG_IF(!found, "LteNetworkHelper: " << type << " has no attribute " << attribute);
    return std::stod(info.initialValue->SerializeToString(info.checker));
}

void
Require(const std::string& problem)
{
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
}

/// \return \p value as text, shortest form
std::string
Text(double value)
{
    std::ostringstream os;
    os << value;
    return os.str();
}

/**
 * \brief Put a loss chain in front of the channel's own model, order kept:
 * SpectrumChannel::AddPropagationLossModel makes the added model the head, with the old head
 * as its next, so the chain goes in from its tail.
 * \param channel the channel
 * \param chain the chain's first model
 */
void
PrependLossChain(Ptr<SpectrumChannel> channel, Ptr<PropagationLossModel> chain)
{
    std::vector<Ptr<PropagationLossModel>> models;
    for (Ptr<PropagationLossModel> at = chain; at; at = at->GetNext())
    {
        models.push_back(at);
    }
    for (auto it = models.rbegin(); it != models.rend(); ++it)
    {
        channel->AddPropagationLossModel(*it);
    }
}

} // namespace

std::string
LteNetworkHelper::CheckBandwidthMHz(double mhz)
{
    for (double allowed : {1.4, 3.0, 5.0, 10.0, 15.0, 20.0})
    {
        if (std::abs(mhz - allowed) < 1e-9)
        {
            return "";
        }
    }
    return "cellBandwidthMHz=" + Text(mhz) +
           " is not an LTE channel bandwidth; allowed: 1.4, 3, 5, 10, 15, 20 (TS 36.101 Table "
           "5.6-1)";
}

uint32_t
LteNetworkHelper::GetResourceBlocks(double mhz)
{
    Require(CheckBandwidthMHz(mhz));
    if (mhz < 2)
    {
        return 6;
    }
    // 3 MHz: 15 RBs, then 5 RBs per MHz
    return mhz < 4 ? 15 : static_cast<uint32_t>(std::lround(mhz * 5));
}

std::string
LteNetworkHelper::CheckAlpha(double alpha)
{
    for (double allowed : {0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0})
    {
        if (std::abs(alpha - allowed) < 1e-9)
        {
            return "";
        }
    }
    return "lteAlpha=" + Text(alpha) +
           " is not a TS 36.331 path loss compensation factor; allowed: 0, 0.4, 0.5, 0.6, "
           "0.7, 0.8, 0.9, 1";
}

std::string
LteNetworkHelper::CheckP0NominalPusch(double dbm)
{
    if (!std::isfinite(dbm) || dbm != std::floor(dbm) || dbm < -126 || dbm > 24)
    {
        return "lteP0NominalPuschDbm=" + Text(dbm) +
               " is invalid; allowed: a whole number of dBm in [-126, 24] (TS 36.331)";
    }
    return "";
}

std::string
LteNetworkHelper::CheckEnbTxPower(double dbm)
{
    if (!std::isfinite(dbm) || dbm != std::floor(dbm) || dbm < -60 || dbm > 50)
    {
        return "server-tx-power=" + Text(dbm) +
               " dBm is invalid for network='lte'; allowed: a whole number of dBm in [-60, 50] "
               "(SIB2's referenceSignalPower carries it to the UEs' path loss estimate)";
    }
    return "";
}

void
LteNetworkHelper::Install(Ptr<EdgeNetwork> network, const LteRadioSettings& radio) const
{
    Require(CheckBandwidthMHz(radio.bandwidthMHz));
    Require(CheckAlpha(radio.alpha));
    Require(CheckP0NominalPusch(radio.p0NominalPuschDbm));
    Require(CheckEnbTxPower(radio.enbTxPowerDbm));
    const uint32_t n = network->GetDeviceCount();
    NS_ABORT_MSG_IF(n < 1 || n > MAX_DEVICES,
                    "deviceCount=" << n << " is invalid for network='lte'; allowed: 1.."
                                   << MAX_DEVICES);
    const uint32_t serverIndex = network->GetServerIndex();
    Ptr<Node> server = network->GetNode(serverIndex);
    NodeContainer devices;
    for (uint32_t i = 0; i < n; ++i)
    {
        devices.Add(network->GetNode(i));
    }

    // the RLC entities are created when the bearers are set up, during the run: a default is
    // the only way to reach them
    Config::SetDefault("ns3::LteRlcUm::MaxTxBufferSize", UintegerValue(RLC_BUFFER_BYTES));

    Ptr<LteHelper> lte = CreateObject<LteHelper>();
    Ptr<PointToPointEpcHelper> epc = CreateObject<PointToPointEpcHelper>();
    lte->SetEpcHelper(epc);
    lte->SetSchedulerType("ns3::PfFfMacScheduler");
    // the channels get the network's loss chain; the helper's own model adds nothing
    lte->SetAttribute("PathlossModel", TypeIdValue(MatrixPropagationLossModel::GetTypeId()));
    lte->SetPathlossModelAttribute("DefaultLoss", DoubleValue(0.0));
    const uint32_t rbs = GetResourceBlocks(radio.bandwidthMHz);
    lte->SetEnbDeviceAttribute("DlBandwidth", UintegerValue(rbs));
    lte->SetEnbDeviceAttribute("UlBandwidth", UintegerValue(rbs));

    // the eNB where the server stands
    Ptr<Node> enbNode = CreateObject<Node>();
    Ptr<ConstantPositionMobilityModel> enbMobility = CreateObject<ConstantPositionMobilityModel>();
    Ptr<MobilityModel> serverMobility = server->GetObject<MobilityModel>();
    NS_ABORT_MSG_IF(!serverMobility, "LteNetworkHelper: the server node is not placed");
    enbMobility->SetPosition(serverMobility->GetPosition());
    enbNode->AggregateObject(enbMobility);
    Ptr<LteEnbNetDevice> enb =
        DynamicCast<LteEnbNetDevice>(lte->InstallEnbDevice(NodeContainer(enbNode)).Get(0));
    enb->GetPhy()->SetTxPower(radio.enbTxPowerDbm);
    // one SRS slot per UE within the period (LteEnbRrc aborts when a period runs out of slots)
    uint32_t srsPeriod = 40;
    while (srsPeriod < n + 1 && srsPeriod < MAX_DEVICES)
    {
        srsPeriod *= 2;
    }
    enb->GetRrc()->SetAttribute("SrsPeriodicity", UintegerValue(srsPeriod));

    const double downlinkHz = LteSpectrumValueHelper::GetCarrierFrequency(enb->GetDlEarfcn());
    const double uplinkHz = LteSpectrumValueHelper::GetCarrierFrequency(enb->GetUlEarfcn());
    Ptr<PropagationLossModel> uplinkLoss = radio.lossChain(network, uplinkHz);
    Ptr<PropagationLossModel> downlinkLoss = radio.lossChain(network, downlinkHz);
    PrependLossChain(lte->GetUplinkSpectrumChannel(), uplinkLoss);
    PrependLossChain(lte->GetDownlinkSpectrumChannel(), downlinkLoss);

    InternetStackHelper stack;
    for (uint32_t i = 0; i <= n; ++i)
    {
        if (!network->GetNode(i)->GetObject<Ipv4>())
        {
            stack.Install(network->GetNode(i));
        }
    }
    NetDeviceContainer ues = lte->InstallUeDevice(devices);
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<LteUeNetDevice> ue = DynamicCast<LteUeNetDevice>(ues.Get(i));
        Ptr<LteUePowerControl> control = ue->GetPhy()->GetUplinkPowerControl();
        control->SetAttribute("Alpha", DoubleValue(radio.alpha));
        control->SetAttribute("PoNominalPusch", IntegerValue(radio.p0NominalPuschDbm));
        control->SetAttribute("PoUePusch", IntegerValue(0));
        control->SetPcmax(radio.ueMaxTxPowerDbm);
    }
    Ipv4InterfaceContainer ueInterfaces = epc->AssignUeIpv4Address(ues);
    Ipv4StaticRoutingHelper routing;
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<Ipv4> ipv4 = devices.Get(i)->GetObject<Ipv4>();
        routing.GetStaticRouting(ipv4)->SetDefaultRoute(epc->GetUeDefaultGatewayAddress(),
                                                        ipv4->GetInterfaceForDevice(ues.Get(i)));
    }
    lte->Attach(ues, enb);

    // the server behind the packet gateway
    PointToPointHelper link;
    link.SetDeviceAttribute("DataRate", DataRateValue(DataRate(SERVER_LINK_RATE)));
    link.SetDeviceAttribute("Mtu", UintegerValue(1500));
    link.SetChannelAttribute("Delay", TimeValue(SERVER_LINK_DELAY));
    NetDeviceContainer serverLink = link.Install(epc->GetPgwNode(), server);
    Ipv4AddressHelper addresses("1.0.0.0", "255.0.0.0");
    Ipv4InterfaceContainer serverInterfaces = addresses.Assign(serverLink);
    Ptr<Ipv4> serverIpv4 = server->GetObject<Ipv4>();
    routing.GetStaticRouting(serverIpv4)
        ->AddNetworkRouteTo(Ipv4Address("7.0.0.0"),
                            Ipv4Mask("255.0.0.0"),
                            serverIpv4->GetInterfaceForDevice(serverLink.Get(1)));

    std::vector<Ipv4Address> address(n + 1);
    std::vector<Ptr<NetDevice>> device(n + 1);
    for (uint32_t i = 0; i < n; ++i)
    {
        address[i] = ueInterfaces.GetAddress(i);
        device[i] = ues.Get(i);
    }
    address[n] = serverInterfaces.GetAddress(1);
    device[n] = serverLink.Get(1);
    network->AddOneDevicePerNode(device, address);

    LteCellParameters cell;
    cell.uplinkRbs = rbs;
    cell.downlinkRbs = rbs;
    cell.downlinkEarfcn = enb->GetDlEarfcn();
    cell.enbTxPowerDbm = radio.enbTxPowerDbm;
    DoubleValue figure;
    enb->GetPhy()->GetAttribute("NoiseFigure", figure);
    cell.enbNoiseFigureDb = figure.Get();
    Ptr<LteUeNetDevice> first = DynamicCast<LteUeNetDevice>(ues.Get(0));
    first->GetPhy()->GetAttribute("NoiseFigure", figure);
    cell.ueNoiseFigureDb = figure.Get();
    BooleanValue control;
    first->GetPhy()->GetAttribute("EnableUplinkPowerControl", control);
    cell.powerControl = control.Get();
    first->GetPhy()->GetAttribute("TxPower", figure);
    cell.ueTxPowerDbm = figure.Get();
    cell.alpha = radio.alpha;
    cell.p0NominalPuschDbm = radio.p0NominalPuschDbm;
    IntegerValue integer;
    Ptr<LteUePowerControl> power = first->GetPhy()->GetUplinkPowerControl();
    cell.p0UePuschDb = 0; // set above: P0_UE_PUSCH's attribute is write-only
    power->GetAttribute("PsrsOffset", integer);
    cell.srsOffset = static_cast<int>(integer.Get());
    power->GetAttribute("Pcmin", figure);
    cell.pcminDbm = figure.Get();
    network->SetLteCell(lte, epc, enb, enbMobility, uplinkLoss, downlinkLoss, cell);
    NS_LOG_INFO("LTE cell: " << rbs << " RBs, eNB " << radio.enbTxPowerDbm << " dBm, " << n
                             << " UEs, SRS period " << srsPeriod << " ms");
}

void
LteNetworkHelper::InstallFlowOnly(Ptr<EdgeNetwork> network, const LteRadioSettings& radio) const
{
    const uint32_t n = network->GetDeviceCount();
    NS_ABORT_MSG_IF(n == 0 || n > MAX_DEVICES,
                    "deviceCount=" << n << " is invalid for network='lte'; allowed: 1.."
                                   << MAX_DEVICES);
    // the eNB's own node where the server stands, as Install places it (the loss chain's
    // channel conditions are per pair of nodes); no device on it
    Ptr<MobilityModel> serverMobility =
        network->GetNode(network->GetServerIndex())->GetObject<MobilityModel>();
    NS_ABORT_MSG_IF(!serverMobility, "LteNetworkHelper: the server node is not placed");
    Ptr<Node> enbNode = CreateObject<Node>();
    Ptr<ConstantPositionMobilityModel> enbMobility = CreateObject<ConstantPositionMobilityModel>();
    enbMobility->SetPosition(serverMobility->GetPosition());
    enbNode->AggregateObject(enbMobility);
    // what Install's devices would have: the attributes' defaults, and the radio settings
    LteCellParameters cell;
    const uint32_t rbs = GetResourceBlocks(radio.bandwidthMHz);
    cell.uplinkRbs = rbs;
    cell.downlinkRbs = rbs;
    cell.downlinkEarfcn = static_cast<uint32_t>(NumericDefault("ns3::LteEnbNetDevice", "DlEarfcn"));
    const uint32_t uplinkEarfcn =
        static_cast<uint32_t>(NumericDefault("ns3::LteEnbNetDevice", "UlEarfcn"));
    cell.enbTxPowerDbm = radio.enbTxPowerDbm;
    cell.enbNoiseFigureDb = NumericDefault("ns3::LteEnbPhy", "NoiseFigure");
    cell.ueNoiseFigureDb = NumericDefault("ns3::LteUePhy", "NoiseFigure");
    TypeId::AttributeInformation info;
    TypeId::LookupByName("ns3::LteUePhy").LookupAttributeByName("EnableUplinkPowerControl", &info);
    cell.powerControl = info.initialValue->SerializeToString(info.checker) == "true";
    cell.ueTxPowerDbm = NumericDefault("ns3::LteUePhy", "TxPower");
    cell.alpha = radio.alpha;
    cell.p0NominalPuschDbm = radio.p0NominalPuschDbm;
    cell.p0UePuschDb = 0;
    cell.srsOffset = static_cast<int>(NumericDefault("ns3::LteUePowerControl", "PsrsOffset"));
    cell.pcminDbm = NumericDefault("ns3::LteUePowerControl", "Pcmin");
    Ptr<PropagationLossModel> uplinkLoss =
        radio.lossChain(network, LteSpectrumValueHelper::GetCarrierFrequency(uplinkEarfcn));
    Ptr<PropagationLossModel> downlinkLoss =
        radio.lossChain(network, LteSpectrumValueHelper::GetCarrierFrequency(cell.downlinkEarfcn));
    std::vector<double> power(network->GetNodeCount(), radio.ueMaxTxPowerDbm);
    power[network->GetServerIndex()] = radio.enbTxPowerDbm;
    network->SetFlowOnly(nullptr, power);
    network->SetLteCell(nullptr, nullptr, nullptr, enbMobility, uplinkLoss, downlinkLoss, cell);
}

} // namespace edgellm
} // namespace ns3
