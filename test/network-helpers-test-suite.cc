/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One network helper per technology: attributes passed through to the ns-3 objects each one
 * creates, and one path-loss vocabulary across the helpers.
 */

#include "ns3/csma-channel.h"
#include "ns3/csma-net-device.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/edge-network-helper.h"
#include "ns3/nstime.h"
#include "ns3/ofdma-cell-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm-tests
 * \brief Wi-Fi PHY and MAC attributes, CSMA and point-to-point device and channel attributes
 * reach the installed objects; the facade's own settings stay in force where not overridden.
 */
class AttributePassThroughTestCase : public TestCase
{
  public:
    AttributePassThroughTestCase()
        : TestCase("network helpers pass attributes through to the ns-3 objects")
    {
    }

  private:
    void DoRun() override
    {
        {
            EdgeNetworkHelper helper;
            helper.SetNetwork("wifi");
            helper.SetChannelWidth(40);
            helper.GetWifiHelper().SetPhyAttribute("TxGain", DoubleValue(2.5));
            helper.GetWifiHelper().SetApMacAttribute("BeaconInterval",
                                                     TimeValue(MicroSeconds(204800)));
            Ptr<EdgeNetwork> network = helper.Install(2);
            uint32_t phys = 0;
            for (uint32_t node = 0; node < network->GetNodeCount(); ++node)
            {
                NetDeviceContainer devices = network->GetNetDevices(node);
                for (uint32_t d = 0; d < devices.GetN(); ++d)
                {
                    Ptr<WifiNetDevice> wifi = DynamicCast<WifiNetDevice>(devices.Get(d));
                    NS_TEST_ASSERT_MSG_NE(wifi, nullptr, "a Wi-Fi device");
                    NS_TEST_ASSERT_MSG_EQ_TOL(wifi->GetPhy()->GetTxGain(),
                                              2.5,
                                              1e-12,
                                              "PHY attribute");
                    NS_TEST_ASSERT_MSG_EQ(wifi->GetPhy()->GetChannelWidth(), 40, "facade's width");
                    if (node == network->GetServerIndex())
                    {
                        TimeValue beacon;
                        wifi->GetMac()->GetAttribute("BeaconInterval", beacon);
                        NS_TEST_ASSERT_MSG_EQ(beacon.Get(), MicroSeconds(204800), "AP MAC");
                    }
                    ++phys;
                }
            }
            NS_TEST_ASSERT_MSG_EQ(phys, 3u, "two stations and the access point");
            Simulator::Destroy();
        }
        {
            EdgeNetworkHelper helper;
            helper.SetNetwork("csma");
            helper.SetDataRate(DataRate("100Mbps"));
            helper.GetCsmaHelper().SetDeviceAttribute("Mtu", UintegerValue(1400));
            helper.GetCsmaHelper().SetChannelAttribute("DataRate",
                                                       DataRateValue(DataRate("50Mbps")));
            Ptr<EdgeNetwork> network = helper.Install(2);
            for (uint32_t node = 0; node < network->GetNodeCount(); ++node)
            {
                Ptr<CsmaNetDevice> csma =
                    DynamicCast<CsmaNetDevice>(network->GetNetDevices(node).Get(0));
                NS_TEST_ASSERT_MSG_NE(csma, nullptr, "a CSMA device");
                NS_TEST_ASSERT_MSG_EQ(csma->GetMtu(), 1400, "device attribute");
                DataRateValue rate;
                csma->GetChannel()->GetObject<CsmaChannel>()->GetAttribute("DataRate", rate);
                NS_TEST_ASSERT_MSG_EQ(rate.Get(), DataRate("50Mbps"), "channel attribute wins");
            }
            Simulator::Destroy();
        }
        {
            EdgeNetworkHelper helper;
            helper.SetNetwork("p2p");
            helper.SetDataRate(DataRate("1Gbps"));
            helper.GetP2pHelper().SetDeviceAttribute("Mtu", UintegerValue(1200));
            Ptr<EdgeNetwork> network = helper.Install(2);
            uint32_t links = 0;
            for (uint32_t node = 0; node < network->GetNodeCount(); ++node)
            {
                NetDeviceContainer devices = network->GetNetDevices(node);
                for (uint32_t d = 0; d < devices.GetN(); ++d)
                {
                    Ptr<PointToPointNetDevice> p2p =
                        DynamicCast<PointToPointNetDevice>(devices.Get(d));
                    NS_TEST_ASSERT_MSG_NE(p2p, nullptr, "a point-to-point device");
                    NS_TEST_ASSERT_MSG_EQ(p2p->GetMtu(), 1200, "device attribute");
                    DataRateValue rate;
                    p2p->GetAttribute("DataRate", rate);
                    NS_TEST_ASSERT_MSG_EQ(rate.Get(), DataRate("1Gbps"), "facade's rate");
                    ++links;
                }
            }
            NS_TEST_ASSERT_MSG_EQ(links, 6u, "3 nodes, a full mesh: 3 links, 6 ends");
            Simulator::Destroy();
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief One path-loss vocabulary: the facade and the cell helper accept the same names and
 * refuse the cell's former short names.
 */
class PathLossVocabularyTestCase : public TestCase
{
  public:
    PathLossVocabularyTestCase()
        : TestCase("one path-loss vocabulary across the network helpers")
    {
    }

  private:
    void DoRun() override
    {
        for (const std::string name : {"log-distance", "3gpp-umi", "3gpp-inh"})
        {
            NS_TEST_ASSERT_MSG_EQ(EdgeNetworkHelper::CheckPathLoss(name), "", name);
            OfdmaCellHelper cell;
            cell.SetPathLoss(name);
            NS_TEST_ASSERT_MSG_EQ(cell.Validate(), "", name);
        }
        for (const std::string name : {"logdistance", "umi", "inh"})
        {
            NS_TEST_ASSERT_MSG_NE(EdgeNetworkHelper::CheckPathLoss(name), "", name);
            OfdmaCellHelper cell;
            cell.SetPathLoss(name);
            NS_TEST_ASSERT_MSG_NE(cell.Validate().find("pathLoss='" + name + "' is not known"),
                                  std::string::npos,
                                  name);
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The network helpers per technology.
 */
class NetworkHelpersTestSuite : public TestSuite
{
  public:
    NetworkHelpersTestSuite()
        : TestSuite("edge-llm-network-helpers", TestSuite::UNIT)
    {
        AddTestCase(new AttributePassThroughTestCase);
        AddTestCase(new PathLossVocabularyTestCase);
    }
};

static NetworkHelpersTestSuite g_networkHelpersTestSuite; //!< registration

} // namespace edgellm
} // namespace ns3
