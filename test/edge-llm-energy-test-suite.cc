/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/analytic-compute-model.h"
#include "ns3/basic-energy-source.h"
#include "ns3/compute-energy-model.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/edge-llm-energy-helper.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/iteration-stats.h"
#include "ns3/map-scheduler.h"
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/run-recorder.h"
#include "ns3/test.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy-state-helper.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-radio-energy-model-helper.h"
#include "ns3/wifi-radio-energy-model.h"

#include <limits>
#include <map>
#include <vector>

/**
 * \file
 * \ingroup edge-llm-tests
 * Per-node energy through ns-3's energy framework: the compute energy model against hand
 * computations and against the runtime's own busy times, the Wi-Fi radio energy beside it,
 * determinism, and bad input.
 */

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// The figures one run produced, per node.
struct EnergyObservation
{
    Time end;                            //!< simulation time when the run stopped
    std::vector<double> compute;         //!< J, helper's compute energy
    std::vector<double> radio;           //!< J, helper's radio energy
    std::vector<double> radioDirect;     //!< J, summed from the node's radio meters
    std::vector<double> radioNs3;        //!< J, ns-3's WifiRadioEnergyModels beside them
    std::vector<double> radioFromStates; //!< J, from the PHY state durations and the currents
    std::vector<double> sourceUsed;      //!< J, initial - remaining energy of the node's source
    std::vector<uint32_t> radioCount;    //!< radio energy models per node
    std::vector<bool> hasRadio;          //!< HasRadioEnergy
    std::vector<Time> busy;              //!< union of the node's compute intervals, from records
    std::vector<uint64_t> bytesSent;     //!< from records
    std::vector<double> busyPower;       //!< W, from the profiles
    std::vector<double> idlePower;       //!< W, from the profiles
    double idleCurrentA{0};              //!< WifiRadioEnergyModel IdleCurrentA
    double voltage{0};                   //!< source supply voltage
};

/// Time one Wi-Fi PHY spent in each state, from WifiPhyStateHelper's "State" trace.
struct PhyStateTimes
{
    std::map<int, Time> time; //!< state -> total time logged
    Time logged;              //!< sum of the logged durations
};

void
OnPhyState(PhyStateTimes* times, Time start, Time duration, WifiPhyState state)
{
    times->time[state] += duration;
    times->logged += duration;
}

/**
 * \param model a WifiRadioEnergyModel
 * \param state a PHY state
 * \return the model's current in that state, read from its attributes
 */
double
GetStateCurrentA(Ptr<WifiRadioEnergyModel> model, int state)
{
    static const std::map<int, std::string> names = {{WifiPhyState::IDLE, "IdleCurrentA"},
                                                     {WifiPhyState::CCA_BUSY, "CcaBusyCurrentA"},
                                                     {WifiPhyState::TX, "TxCurrentA"},
                                                     {WifiPhyState::RX, "RxCurrentA"},
                                                     {WifiPhyState::SWITCHING, "SwitchingCurrentA"},
                                                     {WifiPhyState::SLEEP, "SleepCurrentA"}};
    auto it = names.find(state);
    if (it == names.end())
    {
        return 0.0; // OFF
    }
    DoubleValue current;
    model->GetAttribute(it->second, current);
    return current.Get();
}

/// A 1F1B pipeline of \p stages stages on devices 0..stages-1, explicit compute times.
Ptr<TaskGraph>
MakePipeline(uint32_t nodes, uint32_t stages, uint32_t microBatches, uint64_t bytes)
{
    std::vector<Time> forward;
    std::vector<Time> backward;
    for (uint32_t s = 0; s < stages; ++s)
    {
        forward.push_back(MilliSeconds(2 + s));
        backward.push_back(MilliSeconds(4 + 2 * s));
    }
    Ptr<TaskGraph> graph = Create<TaskGraph>(nodes);
    PipelineScheduleBuilder::Build(*graph,
                                   MakeChainPipelineSpec(PipelineSchedule::ONE_F_ONE_B,
                                                         microBatches,
                                                         forward,
                                                         backward,
                                                         bytes));
    return graph;
}

/// Three heterogeneous devices and the server: their profiles from the catalog.
std::vector<DeviceProfile>
MakeProfiles()
{
    DeviceCatalog catalog = DeviceCatalog::LoadDefault();
    return {catalog.Get("jetson-tx2"),
            catalog.Get("jetson-nano"),
            catalog.Get("jetson-xavier-nx"),
            catalog.Get("edge-server-a100")};
}

/**
 * \brief Installs the runtime on every node and starts 2 iterations of a 3-stage, 3-micro-batch
 * pipeline over the network's devices.
 * \param runtime the runtime helper (kept by the caller for the recorder)
 * \param network 3 devices and the server
 * \param profiles theirs
 * \param bytes activation bytes per micro-batch
 * \return the applications
 */
ApplicationContainer
StartPipeline(EdgeLlmRuntimeHelper& runtime,
              Ptr<EdgeNetwork> network,
              const std::vector<DeviceProfile>& profiles,
              uint64_t bytes)
{
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(2));
    ApplicationContainer apps = runtime.Install(network);
    const uint32_t devices = network->GetNodeCount() - 1;
    runtime.GetServer()->SetGraph(MakePipeline(devices + 1, devices, 3, bytes));
    runtime.GetServer()->WaitForNetwork(network);
    apps.Start(Seconds(0));
    return apps;
}

/// Runs a 3-stage pipeline for 2 iterations over Wi-Fi with the energy helper installed.
EnergyObservation
RunWifiPipeline(uint32_t run, const std::string& outputDir)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(run);
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork("wifi");
    networkHelper.SetFading("rayleigh");
    networkHelper.SetDistance(10);
    const uint32_t devices = 3;
    Ptr<EdgeNetwork> network = networkHelper.Install(devices);
    networkHelper.AssignStreams(network, 100);

    const std::vector<DeviceProfile> profiles = MakeProfiles();
    EdgeLlmRuntimeHelper runtime;
    ApplicationContainer apps = StartPipeline(runtime, network, profiles, 150000);

    Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
    recorder->SetAttribute("OutputDirectory", StringValue(outputDir));
    recorder->SetAttribute("WritePlots", BooleanValue(false));
    recorder->SetAttribute("WriteTrace", BooleanValue(false));
    recorder->SetAttribute("KeepRecords", BooleanValue(true));
    runtime.EnableRecorder(recorder, {"tx2", "nano", "nx", "server"});

    EdgeLlmEnergyHelper energy;
    // A small source keeps initial - remaining exact to about 1e-11 J.
    energy.SetSourceAttribute("BasicEnergySourceInitialEnergyJ", DoubleValue(1e5));
    energy.Install(network, apps, profiles);

    // Independent paths for the radio energy: ns-3's own WifiRadioEnergyModel beside each
    // meter (on a source of its own), and the PHY's own state log.
    const uint32_t nodes = network->GetNodeCount();
    WifiRadioEnergyModelHelper ns3Radio;
    std::vector<DeviceEnergyModelContainer> ns3Models(nodes);
    // the test's own sources: nothing else disposes them, and ns-3's source and radio model
    // hold each other (a cycle that only Dispose breaks)
    std::vector<Ptr<BasicEnergySource>> ownSources;
    for (uint32_t i = 0; i < nodes; ++i)
    {
        NetDeviceContainer netDevices = network->GetNetDevices(i);
        for (uint32_t d = 0; d < netDevices.GetN(); ++d)
        {
            if (DynamicCast<WifiNetDevice>(netDevices.Get(d)))
            {
                Ptr<BasicEnergySource> own = CreateObject<BasicEnergySource>();
                own->SetInitialEnergy(1e5);
                own->SetNode(network->GetNode(i));
                ns3Models[i].Add(ns3Radio.Install(netDevices.Get(d), own));
                ownSources.push_back(own);
            }
        }
    }
    std::vector<std::vector<PhyStateTimes>> phyTimes(nodes);
    std::vector<std::vector<Ptr<WifiPhy>>> phys(nodes);
    for (uint32_t i = 0; i < nodes; ++i)
    {
        NetDeviceContainer netDevices = network->GetNetDevices(i);
        for (uint32_t d = 0; d < netDevices.GetN(); ++d)
        {
            if (Ptr<WifiNetDevice> wifi = DynamicCast<WifiNetDevice>(netDevices.Get(d)))
            {
                phys[i].push_back(wifi->GetPhy());
            }
        }
        phyTimes[i].resize(phys[i].size());
        for (uint32_t r = 0; r < phys[i].size(); ++r)
        {
            phys[i][r]->GetState()->TraceConnectWithoutContext(
                "State",
                MakeBoundCallback(&OnPhyState, &phyTimes[i][r]));
        }
    }

    Simulator::Stop(Seconds(600));
    Simulator::Run();

    EnergyObservation observation;
    observation.end = Simulator::Now();
    observation.busy.assign(nodes, Time());
    observation.bytesSent.assign(nodes, 0);
    std::vector<std::vector<TimeInterval>> intervals(nodes);
    for (const TaskRecord& record : recorder->GetRecords())
    {
        if (record.IsCompute())
        {
            intervals[record.device].push_back({record.start, record.end});
        }
        else
        {
            observation.bytesSent[record.device] += record.bytes;
        }
    }
    for (uint32_t i = 0; i < nodes; ++i)
    {
        observation.busy[i] = GetUnionLength(intervals[i]);
        observation.compute.push_back(energy.GetComputeEnergyJ(i));
        observation.radio.push_back(energy.GetRadioEnergyJ(i));
        observation.hasRadio.push_back(energy.HasRadioEnergy(i));
        DeviceEnergyModelContainer radios = energy.GetRadioEnergyModels(i);
        observation.radioCount.push_back(radios.GetN());
        double direct = 0;
        for (uint32_t r = 0; r < radios.GetN(); ++r)
        {
            direct += radios.Get(r)->GetTotalEnergyConsumption();
        }
        observation.radioDirect.push_back(direct);
        double ns3 = 0;
        for (uint32_t r = 0; r < ns3Models[i].GetN(); ++r)
        {
            ns3 += ns3Models[i].Get(r)->GetTotalEnergyConsumption();
        }
        observation.radioNs3.push_back(ns3);
        // the meters take ns-3's model's currents: its defaults here
        Ptr<WifiRadioEnergyModel> model = CreateObject<WifiRadioEnergyModel>();
        DoubleValue idle;
        model->GetAttribute("IdleCurrentA", idle);
        observation.idleCurrentA = idle.Get();
        double fromStates = 0;
        for (uint32_t r = 0; r < phys[i].size() && r < radios.GetN(); ++r)
        {
            // The state the PHY is in now has not been logged yet: it lasts until the end.
            phyTimes[i][r].time[phys[i][r]->GetState()->GetState()] +=
                observation.end - phyTimes[i][r].logged;
            for (const auto& [state, time] : phyTimes[i][r].time)
            {
                fromStates += GetStateCurrentA(model, state) * time.GetSeconds();
            }
        }
        observation.radioFromStates.push_back(fromStates *
                                              energy.GetEnergySource(i)->GetSupplyVoltage());
        Ptr<BasicEnergySource> source = energy.GetEnergySource(i);
        source->UpdateEnergySource();
        observation.sourceUsed.push_back(source->GetInitialEnergy() - source->GetRemainingEnergy());
        observation.voltage = source->GetSupplyVoltage();
        observation.busyPower.push_back(profiles[i].GetBusyPower());
        observation.idlePower.push_back(profiles[i].GetIdlePower());
    }
    Simulator::Destroy();
    for (Ptr<BasicEnergySource> source : ownSources)
    {
        source->Dispose();
    }
    return observation;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * ComputeEnergyModel alone on a BasicEnergySource: overlapping tasks count once, energy matches
 * a hand computation, and the source loses exactly that energy.
 */
class ComputeEnergyModelTestCase : public TestCase
{
  public:
    ComputeEnergyModelTestCase()
        : TestCase("compute energy = busy W x busy s + idle W x idle s, overlaps counted once")
    {
    }

  private:
    /// Values read during the run.
    struct Probe
    {
        double energyAt3500ms{-1};   //!< J at t = 3.5 s
        uint32_t runningAt2500ms{0}; //!< running tasks at t = 2.5 s
        int stateAt4500ms{-1};       //!< state at t = 4.5 s
        double lastTraced{-1};       //!< last TotalEnergyConsumption trace value
    };

    static void Traced(Probe* probe, double oldValue, double newValue)
    {
        probe->lastTraced = newValue;
    }

    static void Read(Probe* probe, Ptr<ComputeEnergyModel> model, int what)
    {
        if (what == 0)
        {
            probe->energyAt3500ms = model->GetTotalEnergyConsumption();
        }
        else if (what == 1)
        {
            probe->runningAt2500ms = model->GetRunningTasks();
        }
        else
        {
            probe->stateAt4500ms = model->GetState();
        }
    }

    void DoRun() override
    {
        Ptr<BasicEnergySource> source = CreateObject<BasicEnergySource>();
        source->SetInitialEnergy(1000);
        source->SetSupplyVoltage(5);
        Ptr<ComputeEnergyModel> model = CreateObject<ComputeEnergyModel>();
        model->SetAttribute("BusyPowerW", DoubleValue(10));
        model->SetAttribute("IdlePowerW", DoubleValue(2));
        model->SetEnergySource(source);
        source->AppendDeviceEnergyModel(model);
        source->Initialize(); // periodic source updates, as in a real run

        Probe probe;
        model->TraceConnectWithoutContext(
            "TotalEnergyConsumption",
            MakeBoundCallback(&ComputeEnergyModelTestCase::Traced, &probe));
        // Task A [1, 3] s, task B [2, 4] s overlapping it, task C [5, 6.5] s.
        Simulator::Schedule(Seconds(1), &ComputeEnergyModel::ComputeStarted, model);
        Simulator::Schedule(Seconds(2), &ComputeEnergyModel::ComputeStarted, model);
        Simulator::Schedule(Seconds(3), &ComputeEnergyModel::ComputeFinished, model);
        Simulator::Schedule(Seconds(4), &ComputeEnergyModel::ComputeFinished, model);
        Simulator::Schedule(Seconds(5), &ComputeEnergyModel::ComputeStarted, model);
        Simulator::Schedule(Seconds(6.5), &ComputeEnergyModel::ComputeFinished, model);
        Simulator::Schedule(Seconds(3.5), &ComputeEnergyModelTestCase::Read, &probe, model, 0);
        Simulator::Schedule(Seconds(2.5), &ComputeEnergyModelTestCase::Read, &probe, model, 1);
        Simulator::Schedule(Seconds(4.5), &ComputeEnergyModelTestCase::Read, &probe, model, 2);
        Simulator::Stop(Seconds(10));
        Simulator::Run();

        // At 3.5 s: idle [0, 1] 2 W x 1 s = 2 J, busy [1, 3.5] 10 W x 2.5 s = 25 J: 27 J.
        NS_TEST_ASSERT_MSG_EQ_TOL(probe.energyAt3500ms, 27.0, 1e-12, "energy at 3.5 s");
        NS_TEST_ASSERT_MSG_EQ(probe.runningAt2500ms, 2, "two tasks run at 2.5 s");
        NS_TEST_ASSERT_MSG_EQ(probe.stateAt4500ms,
                              ComputeEnergyModel::IDLE,
                              "idle between the busy periods");
        // Last change at 6.5 s: idle 1 + 1 = 2 s (4 J), busy 3 + 1.5 = 4.5 s (45 J): 49 J.
        NS_TEST_ASSERT_MSG_EQ_TOL(probe.lastTraced, 49.0, 1e-12, "traced energy at 6.5 s");
        // At 10 s: busy [1, 4] + [5, 6.5] = 4.5 s; idle 10 - 4.5 = 5.5 s.
        // energy = 10 W x 4.5 s + 2 W x 5.5 s = 45 + 11 = 56 J.
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetTotalEnergyConsumption(), 56.0, 1e-12, "energy");
        NS_TEST_ASSERT_MSG_EQ(model->GetBusyTime(), Seconds(4.5), "busy time");
        NS_TEST_ASSERT_MSG_EQ(model->GetIdleTime(), Seconds(5.5), "idle time");
        NS_TEST_ASSERT_MSG_EQ(model->GetRunningTasks(), 0, "no task left running");
        // Current drawn from the 5 V source: idle 2 W / 5 V = 0.4 A.
        NS_TEST_ASSERT_MSG_EQ_TOL(model->GetCurrentA(), 0.4, 1e-15, "idle current");
        // The source integrated the same energy: 1000 - 56 = 944 J remain.
        source->UpdateEnergySource();
        NS_TEST_ASSERT_MSG_EQ_TOL(source->GetRemainingEnergy(), 944.0, 1e-9, "remaining");
        Simulator::Destroy();
        source->Dispose(); // the source and its model hold each other
    }
};

/**
 * \ingroup edge-llm-tests
 * A pipeline over Wi-Fi with the runtime: compute energy from the runtime's own busy times,
 * radio energy from the meters, checked against ns-3's WifiRadioEnergyModel beside them and the
 * PHY's state log, and the source's balance.
 */
class WifiPipelineEnergyTestCase : public TestCase
{
  public:
    WifiPipelineEnergyTestCase()
        : TestCase("pipeline over Wi-Fi: compute energy from busy times, radio energy as "
                   "WifiRadioEnergyModel's, the source loses their sum")
    {
    }

  private:
    void DoRun() override
    {
        const EnergyObservation o = RunWifiPipeline(1, CreateTempDirFilename("energy-run"));
        const double seconds = o.end.GetSeconds();
        NS_TEST_ASSERT_MSG_GT(seconds, 0.0, "the run took time");
        for (uint32_t i = 0; i < o.compute.size(); ++i)
        {
            // Independent path: busy = union of the node's compute intervals in the recorder's
            // task records; idle = the rest of [0, end].
            const double busy = o.busy[i].GetSeconds();
            const double expected = o.busyPower[i] * busy + o.idlePower[i] * (seconds - busy);
            NS_TEST_ASSERT_MSG_EQ_TOL(o.compute[i],
                                      expected,
                                      1e-9 * expected,
                                      "compute energy of node " << i << ": busy " << busy
                                                                << " s of " << seconds << " s");
            if (i < 3)
            {
                NS_TEST_ASSERT_MSG_GT(busy, 0.0, "device " << i << " computed");
            }
            NS_TEST_ASSERT_MSG_EQ(o.hasRadio[i], true, "Wi-Fi node " << i << " has radio energy");
            NS_TEST_ASSERT_MSG_GT(o.radioCount[i], 0, "node " << i << " has a radio model");
            NS_TEST_ASSERT_MSG_EQ_TOL(o.radio[i],
                                      o.radioDirect[i],
                                      1e-12 * o.radioDirect[i],
                                      "radio energy is the meters'");
            // the meters count what ns-3's WifiRadioEnergyModel counts on the same PHYs
            NS_TEST_ASSERT_MSG_GT(o.radioNs3[i], 0.0, "ns-3's model metered");
            NS_TEST_ASSERT_MSG_EQ_TOL(o.radio[i],
                                      o.radioNs3[i],
                                      1e-9 * o.radioNs3[i],
                                      "node " << i << ": meter against WifiRadioEnergyModel");
            // Independent path: sum over PHY states of current x supply voltage x time in state,
            // from WifiPhyStateHelper's log. ns-3 3.37's energy model follows the PHY through its
            // listener, which sees slightly less time in RX and TX than the state log (observed
            // up to 4e-4 relative here), so the tolerance is 1e-3: still ten times tighter than
            // the gap to idle listening alone (about 1%).
            NS_TEST_ASSERT_MSG_EQ_TOL(o.radio[i],
                                      o.radioFromStates[i],
                                      1e-3 * o.radioFromStates[i],
                                      "radio energy of node " << i << " from the PHY state log");
            if (o.bytesSent[i] > 0)
            {
                // Idle listening alone: IdleCurrentA x V x t per radio; sending and receiving
                // draw more (TX 0.38 A, RX 0.313 A against idle 0.273 A by default).
                const double idleOnly = o.radioCount[i] * o.idleCurrentA * o.voltage * seconds;
                NS_TEST_ASSERT_MSG_GT(o.radio[i], idleOnly, "node " << i << " sent bytes");
            }
            // One source per node carries both models: it lost exactly their sum.
            NS_TEST_ASSERT_MSG_EQ_TOL(o.sourceUsed[i],
                                      o.compute[i] + o.radio[i],
                                      1e-6,
                                      "energy balance of node " << i);
        }
        NS_TEST_ASSERT_MSG_GT(o.bytesSent[0], 0, "device 0 sent activations");
    }
};

/**
 * \ingroup edge-llm-tests
 * Same seed and run, same energies, bit for bit; another run number changes the radio energy.
 */
class EnergyDeterminismTestCase : public TestCase
{
  public:
    EnergyDeterminismTestCase()
        : TestCase("same seed and run give the same energies")
    {
    }

  private:
    void DoRun() override
    {
        const EnergyObservation a = RunWifiPipeline(1, CreateTempDirFilename("energy-a"));
        const EnergyObservation b = RunWifiPipeline(1, CreateTempDirFilename("energy-b"));
        NS_TEST_ASSERT_MSG_EQ(a.end, b.end, "same end time");
        for (uint32_t i = 0; i < a.compute.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(a.compute[i], b.compute[i], "compute energy of node " << i);
            NS_TEST_ASSERT_MSG_EQ(a.radio[i], b.radio[i], "radio energy of node " << i);
        }
        const EnergyObservation c = RunWifiPipeline(2, CreateTempDirFilename("energy-c"));
        bool differs = false;
        for (uint32_t i = 0; i < a.radio.size(); ++i)
        {
            differs = differs || a.radio[i] != c.radio[i];
        }
        NS_TEST_ASSERT_MSG_EQ(differs, true, "another run number changes fading, so radio energy");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief ns-3's map scheduler that counts the events it holds, cancelled ones included (a
 * cancelled event stays until its time comes).
 */
class CountingScheduler : public MapScheduler
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::edgellm::CountingScheduler")
                                .SetParent<MapScheduler>()
                                .SetGroupName("EdgeLlm")
                                .AddConstructor<CountingScheduler>();
        return tid;
    }

    void Insert(const Event& ev) override
    {
        MapScheduler::Insert(ev);
        s_held++;
        s_peak = std::max(s_peak, s_held);
    }

    Event RemoveNext() override
    {
        s_held--;
        return MapScheduler::RemoveNext();
    }

    void Remove(const Event& ev) override
    {
        s_held--;
        MapScheduler::Remove(ev);
    }

    static uint64_t s_held; //!< events held now
    static uint64_t s_peak; //!< the most held at once
};

uint64_t CountingScheduler::s_held = 0;
uint64_t CountingScheduler::s_peak = 0;

/**
 * \ingroup edge-llm-tests
 * \brief The radio energy meter keeps the scheduler's queue as it is without metering, where
 * ns-3's WifiRadioEnergyModel leaves an event per state change (the packet level's memory
 * build-up, hardening issue).
 */
class EnergyEventQueueTestCase : public TestCase
{
  public:
    EnergyEventQueueTestCase()
        : TestCase("radio metering adds no lasting events to the scheduler's queue")
    {
    }

  private:
    /**
     * \param metering "none", "meter" (EdgeLlmEnergyHelper) or "ns3" (WifiRadioEnergyModel)
     * \return the most events the scheduler held at once over the pipeline's run
     */
    static uint64_t PeakEvents(const std::string& metering)
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        ObjectFactory counting;
        counting.SetTypeId(CountingScheduler::GetTypeId());
        Simulator::SetScheduler(counting);
        CountingScheduler::s_held = 0;
        CountingScheduler::s_peak = 0;
        EdgeNetworkHelper::ConfigureTcpDefaults();
        EdgeNetworkHelper networkHelper;
        networkHelper.SetNetwork("wifi");
        networkHelper.SetDistance(10);
        Ptr<EdgeNetwork> network = networkHelper.Install(3);
        networkHelper.AssignStreams(network, 100);
        const std::vector<DeviceProfile> profiles = MakeProfiles();
        EdgeLlmRuntimeHelper runtime;
        ApplicationContainer apps = StartPipeline(runtime, network, profiles, 400000);
        EdgeLlmEnergyHelper energy;
        WifiRadioEnergyModelHelper ns3Radio;
        if (metering == "meter")
        {
            energy.Install(network, apps, profiles);
        }
        std::vector<Ptr<BasicEnergySource>> ownSources;
        for (uint32_t i = 0; metering == "ns3" && i < network->GetNodeCount(); ++i)
        {
            NetDeviceContainer devices = network->GetNetDevices(i);
            for (uint32_t d = 0; d < devices.GetN(); ++d)
            {
                Ptr<BasicEnergySource> source = CreateObject<BasicEnergySource>();
                source->SetInitialEnergy(1e9); // as EdgeLlmEnergyHelper's: lasts the run
                source->SetNode(network->GetNode(i));
                ns3Radio.Install(devices.Get(d), source);
                ownSources.push_back(source);
            }
        }
        Simulator::Stop(Seconds(600));
        Simulator::Run();
        Simulator::Destroy();
        // nothing else disposes the test's own sources (ns-3's source and radio model hold
        // each other)
        for (Ptr<BasicEnergySource> source : ownSources)
        {
            source->Dispose();
        }
        ObjectFactory map;
        map.SetTypeId(MapScheduler::GetTypeId());
        Simulator::SetScheduler(map);
        return CountingScheduler::s_peak;
    }

    void DoRun() override
    {
        const uint64_t none = PeakEvents("none");
        const uint64_t meter = PeakEvents("meter");
        const uint64_t ns3 = PeakEvents("ns3");
        std::cout << "peak events held: no metering " << none << ", meter " << meter
                  << ", WifiRadioEnergyModel " << ns3 << std::endl;
        NS_TEST_ASSERT_MSG_GT(none, 0u, "events counted");
        // each radio adds at most its pending switch to IDLE, each source its periodic update,
        // each compute model nothing: 4 nodes, a radio each
        NS_TEST_ASSERT_MSG_LT_OR_EQ(meter, none + 2 * 4, "the meter adds no lasting events");
        // ns-3's model keeps one per state change: the build-up the meter avoids
        NS_TEST_ASSERT_MSG_GT(ns3, 10 * none, "WifiRadioEnergyModel's build-up");
    }
};

/**
 * \ingroup edge-llm-tests
 * Bad input is refused with messages; wired networks get compute energy only.
 */
class EnergyBadInputTestCase : public TestCase
{
  public:
    EnergyBadInputTestCase()
        : TestCase("bad input: null network, profile count, negative power, node index")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(ComputeEnergyModel::CheckPower("busyPower", 5), "", "valid");
        NS_TEST_ASSERT_MSG_EQ(ComputeEnergyModel::CheckPower("busyPower", 0), "", "zero is valid");
        NS_TEST_ASSERT_MSG_EQ(ComputeEnergyModel::CheckPower("busyPower", -1),
                              "busyPower=-1 W is invalid: must be finite and non-negative",
                              "negative power");
        NS_TEST_ASSERT_MSG_EQ(
            ComputeEnergyModel::CheckPower("idlePower", std::numeric_limits<double>::infinity()),
            "idlePower=inf W is invalid: must be finite and non-negative",
            "infinite power");

        std::vector<DeviceProfile> profiles = MakeProfiles();
        NS_TEST_ASSERT_MSG_EQ(
            EdgeLlmEnergyHelper::CheckInstall(nullptr, ApplicationContainer(), profiles),
            "network is null: give the EdgeNetwork that EdgeNetworkHelper::Install returned",
            "null network");

        EdgeNetworkHelper networkHelper;
        networkHelper.SetNetwork("p2p");
        Ptr<EdgeNetwork> network = networkHelper.Install(3);
        EdgeLlmRuntimeHelper runtime;
        runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
        runtime.SetDeviceProfiles(profiles);
        ApplicationContainer apps = runtime.Install(network);
        apps.Start(Seconds(100)); // no graph: the applications stay idle in this test

        std::vector<DeviceProfile> three(profiles.begin(), profiles.begin() + 3);
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmEnergyHelper::CheckInstall(network, apps, three),
                              "profiles has 3 entries for 4 nodes; give one per node (the devices "
                              "in order, then the server)",
                              "profile count");
        ApplicationContainer fewer;
        fewer.Add(apps.Get(0));
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmEnergyHelper::CheckInstall(network, fewer, profiles),
                              "apps has 1 applications for 4 nodes; give the ApplicationContainer "
                              "EdgeLlmRuntimeHelper::Install returned",
                              "application count");
        ApplicationContainer twice;
        twice.Add(apps.Get(0));
        twice.Add(apps.Get(0));
        twice.Add(apps.Get(2));
        twice.Add(apps.Get(3));
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmEnergyHelper::CheckInstall(network, twice, profiles),
                              "node 0 has more than one EdgeLlmApplication in apps; give one per "
                              "node",
                              "duplicate application");
        std::vector<DeviceProfile> negative = profiles;
        negative[1].SetBusyPower(-1);
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmEnergyHelper::CheckInstall(network, apps, negative),
                              "profile of node 1 ('jetson-nano'): busyPower=-1 W is invalid: must "
                              "be finite and non-negative",
                              "negative busy power");
        negative = profiles;
        negative[3].SetIdlePower(-0.5);
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmEnergyHelper::CheckInstall(network, apps, negative),
                              "profile of node 3 ('edge-server-a100'): idlePower=-0.5 W is "
                              "invalid: must be finite and non-negative",
                              "negative idle power");
        NS_TEST_ASSERT_MSG_EQ(EdgeLlmEnergyHelper::CheckInstall(network, apps, profiles),
                              "",
                              "valid input");

        EdgeLlmEnergyHelper energy;
        NS_TEST_ASSERT_MSG_EQ(energy.CheckNode(0),
                              "EdgeLlmEnergyHelper: nothing installed yet; call Install first",
                              "before Install");
        energy.Install(network, apps, profiles);
        NS_TEST_ASSERT_MSG_EQ(energy.GetNodeCount(), 4, "every node");
        NS_TEST_ASSERT_MSG_EQ(energy.CheckNode(4),
                              "node=4 is invalid: must be below the node count 4",
                              "node index");
        for (uint32_t i = 0; i < 4; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(energy.HasRadioEnergy(i), false, "p2p: compute only");
            NS_TEST_ASSERT_MSG_EQ(energy.GetRadioEnergyJ(i), 0.0, "p2p: no radio energy");
            NS_TEST_ASSERT_MSG_EQ(energy.GetComputeEnergyModel(i)->GetBusyPowerW(),
                                  profiles[i].GetBusyPower(),
                                  "busy power from the profile");
            NS_TEST_ASSERT_MSG_EQ(energy.GetComputeEnergyModel(i)->GetIdlePowerW(),
                                  profiles[i].GetIdlePower(),
                                  "idle power from the profile");
        }
        // Idle for 2 s with no task: idle W x 2 s.
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ_TOL(energy.GetTotalEnergyJ(1),
                                  profiles[1].GetIdlePower() * 2.0,
                                  1e-12,
                                  "idle energy of node 1 over 2 s");
        Simulator::Destroy();
    }
};

/**
 * \ingroup edge-llm-tests
 * Energy per node through ns-3's energy framework.
 */
class EdgeLlmEnergyTestSuite : public TestSuite
{
  public:
    EdgeLlmEnergyTestSuite()
        : TestSuite("edge-llm-energy", TestSuite::UNIT)
    {
        AddTestCase(new ComputeEnergyModelTestCase);
        AddTestCase(new WifiPipelineEnergyTestCase);
        AddTestCase(new EnergyDeterminismTestCase);
        AddTestCase(new EnergyEventQueueTestCase);
        AddTestCase(new EnergyBadInputTestCase);
    }
};

/// The suite's single instance.
static EdgeLlmEnergyTestSuite g_edgeLlmEnergyTestSuite;
