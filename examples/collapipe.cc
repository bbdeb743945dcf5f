/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * CollaPipe: clusters of mobile devices train an encoder pipeline-parallel, the edge server runs
 * the decoder (or task head) and averages the clusters' encoders (FedAvg) every round; a
 * scheduler on the server chooses each round's segments, micro-batch count and transmit powers
 * from the channel gains it observes and the devices' energy queues.
 *
 *   collapipe --model=bert-base --clusters=2 --devicesPerCluster=4 --rounds=20 \
 *             --schedulers=dssda,even,compute-proportional,standalone,fixed-microbatch
 *
 * Each scheduler runs the same scenario (same seed) in turn. Per round: the coordinator samples
 * each device's uplink gain from the network's own propagation loss chain (path loss and
 * fading), decides, applies the transmit powers to the radios, and runs the round's task graph
 * (E local iterations, then FedAvg of the exact parameter bytes) on the runtime. The energy a
 * device really spent (busy time x busy power, plus transmit power x time it was sending)
 * feeds its Lyapunov queue. Writes rounds.csv and devices.csv under --outputDir and prints a
 * comparison table. Bandwidth shares are part of the decision and of its predicted latency;
 * Wi-Fi cannot grant them (the OFDMA cell will), so on Wi-Fi only the powers take effect.
 */

#include "ns3/analytic-compute-model.h"
#include "ns3/collapipe-graph-builder.h"
#include "ns3/command-line-lists.h"
#include "ns3/core-module.h"
#include "ns3/device-catalog.h"
#include "ns3/dssda-scheduler.h"
#include "ns3/edge-llm-energy-helper.h"
#include "ns3/edge-llm-paths.h"
#include "ns3/edge-llm-runtime-helper.h"
#include "ns3/edge-network-helper.h"
#include "ns3/gnuplot.h"
#include "ns3/layer-cost.h"
#include "ns3/lyapunov-energy-queues.h"
#include "ns3/mobility-model.h"
#include "ns3/nr-numerology.h"
#include "ns3/ofdma-bs-net-device.h"
#include "ns3/ofdma-spectrum-phy.h"
#include "ns3/run-recorder.h"
#include "ns3/spectrum-channel.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollaPipeExample");

namespace
{

/// Settings shared by every scheduler's run.
struct Scenario
{
    TransformerSpec spec;
    TrainingRecipe recipe;
    uint32_t clusters{2};
    uint32_t devicesPerCluster{4};
    std::vector<DeviceProfile> devices;      //!< per device node, cluster by cluster
    std::vector<DeviceProfile> controlUnits; //!< per cluster
    DeviceProfile server;
    uint32_t rounds{20};
    uint32_t batch{16};
    uint32_t maxMicroBatches{8};
    uint32_t localIterations{1};
    double bandwidthHz{80e6};
    double v{1};
    double lambda{0};
    double budgetJ{200};
    std::string fidelity{"flow"};
    std::string network{"wifi"};  //!< "wifi" (one BSS) or "ofdma" (the cell grants the shares)
    double cellBandwidthMHz{100}; //!< the OFDMA cell's channel bandwidth (numerology 1)
    uint32_t fixedMicroBatches{4};
};

/**
 * Share of the OFDMA cell's RBs kept for the control units, whose embeddings' FedAvg upload
 * the scheduler's model does not include: in proportion to what they upload (the embedding
 * against the whole encoder), so that their upload ends with the devices'. The devices share
 * the rest.
 */
double
ControlUnitReserve(const Scenario& scenario)
{
    const std::vector<LayerCost> layers = LayerCostModel::Compute(scenario.spec, scenario.recipe);
    const double embedding = layers[0].trainableParameterBytes;
    const double encoder =
        LayerCostModel::Sum(layers, 1, scenario.spec.encoderLayers).trainableParameterBytes;
    return std::max(0.02, embedding / (embedding + encoder));
}

/// What one round produced.
struct RoundRow
{
    uint32_t round;
    double latency;
    double computeSeconds;       //!< the busiest device's compute time
    double communicationSeconds; //!< union of all transfer intervals
    double bubble;               //!< mean idle fraction of the active devices
    double predicted;
    double efficiency;
    uint32_t microBatches;
    uint64_t maxMemory;
    std::vector<double> energy;
    std::vector<double> queue;
    std::vector<double> powerDbm;
    std::vector<uint32_t> blocks;
    std::vector<double> rateScale;
    std::vector<double> radioEnergy; //!< per device: J of the round's radio energy
};

/// The server-side coordinator of one scheduler's run.
class Coordinator
{
  public:
    Coordinator(const Scenario& scenario, const std::string& scheduler, Ptr<EdgeNetwork> network)
        : m_scenario(scenario),
          m_scheduler(scheduler),
          m_network(network),
          m_queues(std::vector<double>(scenario.devices.size(), scenario.budgetJ)),
          m_rateScale(scenario.devices.size(), 1.0),
          m_controlUnitReserve(ControlUnitReserve(scenario))
    {
    }

    /// Node index of device k of cluster c; control unit of c; the server.
    uint32_t DeviceNode(uint32_t c, uint32_t k) const
    {
        return c * m_scenario.devicesPerCluster + k;
    }

    uint32_t ControlUnitNode(uint32_t c) const
    {
        return m_scenario.clusters * m_scenario.devicesPerCluster + c;
    }

    Ptr<TaskGraph> NextRound(uint32_t round)
    {
        const uint32_t k = m_scenario.devicesPerCluster;
        CollaPipePlan plan;
        plan.server = m_network->GetServerIndex();
        plan.localIterations = m_scenario.localIterations;
        m_decisions.clear();
        uint32_t microBatches = 0;
        if (Ptr<OfdmaBsNetDevice> bs = m_network->GetOfdmaBaseStation())
        {
            bs->ClearBandwidthShares(); // this round's decisions replace the last round's
        }
        for (uint32_t c = 0; c < m_scenario.clusters; ++c)
        {
            CollaPipeConfig config;
            config.spec = m_scenario.spec;
            config.recipe = m_scenario.recipe;
            config.batchSize = m_scenario.batch;
            config.maxMicroBatches = m_scenario.maxMicroBatches;
            config.localIterations = m_scenario.localIterations;
            if (Ptr<OfdmaBsNetDevice> bs = m_network->GetOfdmaBaseStation())
            {
                // the cell's occupied band, less the control units' reserve, per cluster; its
                // receiver's noise; the download returns on the downlink carrier with the same
                // shares after the upload (the rate scale learns how much faster it is)
                const double rbHz = NrNumerology::GetResourceBlockBandwidthHz(bs->GetNumerology());
                config.bandwidthHz = (1.0 - m_controlUnitReserve) * bs->GetResourceBlockCount() *
                                     rbHz / m_scenario.clusters;
                config.noisePsd = bs->GetUplinkPhy()->GetNoisePsd();
                config.downloadFactor = 1.0;
                // the cell's MCS rule: its SNR gap to Shannon and table 1's largest efficiency
                // (64QAM at code rate 948/1024)
                DoubleValue gap;
                bs->GetAttribute("McsGapDb", gap);
                config.snrGapDb = gap.Get();
                config.maxSpectralEfficiency = 6.0 * 948.0 / 1024.0;
            }
            else
            {
                config.bandwidthHz = m_scenario.bandwidthHz / m_scenario.clusters;
                // one BSS: the averaged segments come back through the AP over the same airtime
                config.downloadFactor = 1.0;
            }
            config.v = m_scenario.v;
            config.lambda = m_scenario.lambda;
            std::vector<CollaPipeDevice> devices;
            std::vector<double> queues;
            for (uint32_t i = 0; i < k; ++i)
            {
                uint32_t node = DeviceNode(c, i);
                CollaPipeDevice device;
                device.profile = m_scenario.devices[node];
                device.channelGain = SampleUplinkGain(node);
                device.energyBudget = m_scenario.budgetJ;
                device.rateScale = m_rateScale[node];
                devices.push_back(device);
                queues.push_back(m_queues.GetQueues()[node]);
            }
            CollaPipeRoundModel model(config, devices, queues);
            DssdaOptions options;
            options.fixedMicroBatches = m_scenario.fixedMicroBatches;
            CollaPipeDecision decision;
            std::string problem = DssdaScheduler(options).Decide(m_scheduler, model, decision);
            NS_ABORT_MSG_IF(!problem.empty(), problem);
            NS_ABORT_MSG_IF(!decision.feasible,
                            "round " << round << ", cluster " << c << ", scheduler '" << m_scheduler
                                     << "': infeasible: " << decision.reason);
            // Every cluster runs the same M (one pipeline schedule per round): the largest
            // chosen, which divides the batch as each cluster's choice does only if equal, so
            // keep the first cluster's and re-evaluate the others with it.
            if (c == 0)
            {
                microBatches = decision.microBatches;
            }
            else if (decision.microBatches != microBatches)
            {
                decision = model.Evaluate(m_scheduler,
                                          decision.segmentSize,
                                          microBatches,
                                          decision.bandwidthShare,
                                          decision.txPowerW);
            }
            CollaPipeCluster cluster;
            cluster.controlUnit = ControlUnitNode(c);
            for (uint32_t i = 0; i < k; ++i)
            {
                if (decision.segmentSize[i] > 0)
                {
                    cluster.devices.push_back(DeviceNode(c, i));
                    cluster.segmentBlocks.push_back(decision.segmentSize[i]);
                }
                const double dbm = 10 * std::log10(decision.txPowerW[i] * 1000);
                m_network->SetTxPowerDbm(DeviceNode(c, i), dbm);
                if (m_network->GetKind() == "ofdma")
                {
                    // the decision's bandwidth share, as a share of the whole cell
                    m_network->SetBandwidthShare(DeviceNode(c, i),
                                                 decision.bandwidthShare[i] *
                                                     (1.0 - m_controlUnitReserve) /
                                                     m_scenario.clusters);
                }
            }
            if (m_network->GetKind() == "ofdma")
            {
                m_network->SetBandwidthShare(ControlUnitNode(c),
                                             m_controlUnitReserve / m_scenario.clusters);
            }
            plan.clusters.push_back(cluster);
            m_decisions.push_back(decision);
        }
        plan.microBatches = microBatches;
        TrainingRecipe recipe = m_scenario.recipe;
        recipe.microBatchSize = m_scenario.batch / microBatches;
        if (m_scheduler == "plain-fl")
        {
            // every device trains the whole encoder on its own data, then FedAvg
            PlainFlPlan flPlan;
            flPlan.server = plan.server;
            flPlan.microBatches = microBatches;
            flPlan.localIterations = m_scenario.localIterations;
            for (uint32_t c = 0; c < m_scenario.clusters; ++c)
            {
                for (uint32_t i = 0; i < k; ++i)
                {
                    flPlan.devices.push_back(DeviceNode(c, i));
                }
            }
            return CollaPipeGraphBuilder::BuildPlainFlRound(m_scenario.spec,
                                                            recipe,
                                                            flPlan,
                                                            m_network->GetNodeCount());
        }
        return CollaPipeGraphBuilder::BuildRound(m_scenario.spec,
                                                 recipe,
                                                 plan,
                                                 m_network->GetNodeCount());
    }

    /// Radio energy from ns-3's energy models (Wi-Fi at packet level); null elsewhere.
    void SetEnergyHelper(EdgeLlmEnergyHelper* energy)
    {
        m_energy = energy;
        m_lastRadioJ.assign(m_scenario.devices.size(), 0.0);
    }

    /// After round \p stats ended: the energy each device really spent feeds its queue.
    void RoundEnded(const IterationStats& stats)
    {
        const uint32_t k = m_scenario.devicesPerCluster;
        RoundRow row;
        row.round = stats.iteration;
        row.latency = stats.latency.GetSeconds();
        row.communicationSeconds = stats.communication.GetSeconds();
        row.bubble = stats.bubbleFraction;
        row.computeSeconds = 0;
        for (const auto& device : stats.devices)
        {
            row.computeSeconds = std::max(row.computeSeconds, device.busy.GetSeconds());
        }
        row.efficiency = stats.efficiency;
        row.predicted = 0;
        row.maxMemory = 0;
        row.microBatches = m_decisions.front().microBatches;
        std::vector<double> energy(m_scenario.devices.size(), 0);
        for (uint32_t c = 0; c < m_scenario.clusters; ++c)
        {
            const CollaPipeDecision& decision = m_decisions[c];
            row.predicted = std::max(row.predicted, decision.roundSeconds);
            for (uint32_t i = 0; i < k; ++i)
            {
                const uint32_t node = DeviceNode(c, i);
                const DeviceIterationStats& device = stats.devices[node];
                // compute from the device profile; radio from ns-3's radio energy model where
                // the link has one, otherwise transmit power times the time spent sending
                double radio = decision.txPowerW[i] * device.communication.GetSeconds();
                if (m_energy && m_energy->HasRadioEnergy(node))
                {
                    const double total = m_energy->GetRadioEnergyJ(node);
                    radio = total - m_lastRadioJ[node];
                    m_lastRadioJ[node] = total;
                }
                energy[node] =
                    device.busy.GetSeconds() * m_scenario.devices[node].GetBusyPower() + radio;
                row.radioEnergy.push_back(radio);
                // Wi-Fi does not honor a bandwidth share: learn what share of the predicted
                // rate this device's transfers really got (contention with the other
                // stations, MAC and TCP overhead) and predict with it next round; a geometric
                // moving average (weight 1/2) follows changes without chasing noise
                const double bits = 8.0 * (device.bytesSent + device.bytesReceived);
                const double seconds = device.communication.GetSeconds();
                if (bits > 0 && seconds > 0 && decision.rateBps[i] > 0)
                {
                    const double measured = bits / seconds;
                    const double estimate = m_rateScale[node] * measured / decision.rateBps[i];
                    m_rateScale[node] = std::sqrt(m_rateScale[node] * estimate);
                }
                row.rateScale.push_back(m_rateScale[node]);
                row.maxMemory = std::max(row.maxMemory, decision.memoryBytes[i]);
                row.powerDbm.push_back(10 * std::log10(decision.txPowerW[i] * 1000));
                row.blocks.push_back(decision.segmentSize[i]);
            }
        }
        m_queues.Update(energy);
        row.energy = energy;
        row.queue = m_queues.GetQueues();
        m_rows.push_back(row);
    }

    const std::vector<RoundRow>& GetRows() const
    {
        return m_rows;
    }

  private:
    /// Linear uplink gain device -> server this round, from the network's own propagation loss
    /// chain (path loss and, when configured, a fading draw): received over transmitted power.
    double SampleUplinkGain(uint32_t node) const
    {
        Ptr<OfdmaBsNetDevice> bs = m_network->GetOfdmaBaseStation();
        Ptr<PropagationLossModel> loss =
            bs ? bs->GetUplinkPhy()->GetChannel()->GetPropagationLossModel()
               : m_network->GetPropagationLossModel();
        Ptr<MobilityModel> from = m_network->GetNode(node)->GetObject<MobilityModel>();
        Ptr<MobilityModel> to =
            m_network->GetNode(m_network->GetServerIndex())->GetObject<MobilityModel>();
        const double rxDbm = loss->CalcRxPower(0.0, from, to);
        return std::pow(10.0, rxDbm / 10.0);
    }

    const Scenario& m_scenario;
    std::string m_scheduler;
    Ptr<EdgeNetwork> m_network;
    LyapunovEnergyQueues m_queues;
    std::vector<double> m_rateScale;        //!< per node: measured over Shannon-predicted rate
    EdgeLlmEnergyHelper* m_energy{nullptr}; //!< ns-3 radio energy (Wi-Fi, packet level)
    std::vector<double> m_lastRadioJ;       //!< per node: radio energy at the last round's end
    double m_controlUnitReserve;            //!< OFDMA cell share kept for the control units
    std::vector<CollaPipeDecision> m_decisions;
    std::vector<RoundRow> m_rows;
};

Ptr<TaskGraph>
NextRound(Coordinator* coordinator, uint32_t round)
{
    return coordinator->NextRound(round);
}

void
RoundEnded(Coordinator* coordinator, const IterationStats& stats)
{
    coordinator->RoundEnded(stats);
}

std::vector<RoundRow>
RunScheduler(const Scenario& scenario, const std::string& scheduler, const std::string& outputDir)
{
    EdgeNetworkHelper::ConfigureTcpDefaults();
    EdgeNetworkHelper networkHelper;
    networkHelper.SetNetwork(scenario.network);
    networkHelper.SetFading("nakagami");
    if (scenario.network == "ofdma")
    {
        networkHelper.SetCellBandwidthMHz(scenario.cellBandwidthMHz);
    }
    const uint32_t deviceNodes = scenario.clusters * scenario.devicesPerCluster;
    Ptr<EdgeNetwork> network = networkHelper.Install(deviceNodes + scenario.clusters);
    networkHelper.AssignStreams(network, 1000);

    std::vector<DeviceProfile> profiles = scenario.devices;
    profiles.insert(profiles.end(), scenario.controlUnits.begin(), scenario.controlUnits.end());
    profiles.push_back(scenario.server);
    EdgeLlmRuntimeHelper runtime;
    runtime.SetFidelity(scenario.fidelity);
    runtime.SetComputeModel(CreateObject<AnalyticComputeModel>());
    runtime.SetDeviceProfiles(profiles);
    runtime.SetServerAttribute("Iterations", UintegerValue(scenario.rounds));
    ApplicationContainer apps = runtime.Install(network);
    Coordinator coordinator(scenario, scheduler, network);
    EdgeLlmEnergyHelper energy;
    if (scenario.fidelity == "packet" && network->GetKind() == "wifi")
    {
        // at packet level ns-3's Wi-Fi radio energy model measures each device's radio
        energy.Install(network, apps, profiles);
        coordinator.SetEnergyHelper(&energy);
    }
    runtime.GetServer()->SetGraphSource(MakeBoundCallback(&NextRound, &coordinator));
    runtime.GetServer()->WaitForNetwork(network);
    apps.Start(Seconds(0));

    Ptr<RunRecorder> recorder = CreateObject<RunRecorder>();
    recorder->SetAttribute("OutputDirectory", StringValue(outputDir + "/" + scheduler));
    recorder->SetAttribute("WritePlots", BooleanValue(false));
    recorder->TraceConnectWithoutContext("IterationEnded",
                                         MakeBoundCallback(&RoundEnded, &coordinator));
    std::vector<std::string> names;
    for (uint32_t i = 0; i < profiles.size(); ++i)
    {
        names.push_back(profiles[i].GetName() + "-" + std::to_string(i));
    }
    runtime.EnableRecorder(recorder, names);
    Simulator::Run();
    Simulator::Destroy();
    return coordinator.GetRows();
}

} // namespace

/**
 * Write \p plot as \p name.plt in \p dir and render \p name.png with gnuplot when it is
 * installed (the script stays either way).
 */
void
WritePlot(Gnuplot& plot, const std::string& dir, const std::string& name)
{
    plot.SetTerminal("pngcairo size 900,540");
    plot.SetOutputFilename(name + ".png");
    {
        std::ofstream out(dir + "/" + name + ".plt");
        NS_ABORT_MSG_IF(!out, "outputDir='" << dir << "' is not writable");
        plot.GenerateOutput(out);
    }
    const std::string command = "cd '" + dir + "' && command -v gnuplot > /dev/null && gnuplot '" +
                                name + ".plt' > /dev/null 2>&1";
    if (std::system(command.c_str()) != 0)
    {
        std::cerr << "collapipe: " << name << ".png not rendered (gnuplot missing or failed); "
                  << "the script is " << dir << "/" << name << ".plt\n";
    }
}

int
main(int argc, char* argv[])
{
    Scenario scenario;
    std::string model = "bert-base";
    std::string devices =
        "jetson-agx-orin,jetson-xavier-nx,jetson-tx2,smartphone-snapdragon-8-gen-2";
    std::string controlUnit = "laptop-rtx-3060";
    std::string schedulers = "dssda,even,compute-proportional,standalone,fixed-microbatch,plain-fl";
    std::string devicesFile = GetEdgeLlmDataPath("devices.json");
    std::string outputDir = "results/collapipe";

    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "Transformer preset with an encoder", model);
    cmd.AddValue("devices",
                 "Device profiles of a cluster's chain (the same in every cluster)",
                 devices);
    cmd.AddValue("devicesFile", "JSON file of device profiles", devicesFile);
    cmd.AddValue("controlUnit", "Device profile of each cluster's control unit", controlUnit);
    cmd.AddValue("clusters", "Number of clusters", scenario.clusters);
    cmd.AddValue("rounds", "FedAvg rounds", scenario.rounds);
    cmd.AddValue("localIterations", "Pipeline iterations per round (E)", scenario.localIterations);
    cmd.AddValue("batch", "Sequences per iteration and cluster (B)", scenario.batch);
    cmd.AddValue("maxMicroBatches", "Largest micro-batch count M", scenario.maxMicroBatches);
    cmd.AddValue("fixedMicroBatches",
                 "M of the fixed-microbatch baseline",
                 scenario.fixedMicroBatches);
    cmd.AddValue("bandwidthHz", "Uplink bandwidth the scheduler shares (Hz)", scenario.bandwidthHz);
    cmd.AddValue("V", "Lyapunov weight of latency against the energy queues", scenario.v);
    cmd.AddValue("lambda", "Weight of the convergence-bound term", scenario.lambda);
    cmd.AddValue("budget",
                 "Each device's time-average energy budget per round (J)",
                 scenario.budgetJ);
    cmd.AddValue("schedulers", "Comma-separated schedulers to compare", schedulers);
    cmd.AddValue("fidelity", "Network fidelity: flow (default, fast) or packet", scenario.fidelity);
    cmd.AddValue("cellBandwidthMHz",
                 "OFDMA cell channel bandwidth (MHz, 30 kHz subcarriers)",
                 scenario.cellBandwidthMHz);
    cmd.AddValue(
        "network",
        "wifi (one 802.11ax BSS) or ofdma (the NR cell, which grants the bandwidth shares)",
        scenario.network);
    cmd.AddValue("outputDir", "Folder for rounds.csv, devices.csv and each run's files", outputDir);
    cmd.Parse(argc, argv);

    std::string problem = TransformerSpec::FromPreset(model, scenario.spec);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    scenario.recipe.kind = RecipeKind::FULL;
    NS_ABORT_MSG_IF(scenario.clusters == 0, "clusters=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(scenario.rounds == 0, "rounds=0 is invalid: must be a positive integer");
    NS_ABORT_MSG_IF(scenario.network != "wifi" && scenario.network != "ofdma",
                    "network='" << scenario.network
                                << "' is not supported here; allowed: wifi, "
                                   "ofdma");
    problem = EdgeLlmRuntimeHelper::CheckFidelity(scenario.fidelity);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    std::vector<std::string> schedulerList = SplitCommaSeparated(schedulers);
    NS_ABORT_MSG_IF(schedulerList.empty(), "schedulers is empty: name at least one");
    for (const auto& name : schedulerList)
    {
        problem = DssdaScheduler::ValidateSchedulerName(name);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
    }
    DeviceCatalog catalog;
    problem = catalog.LoadFile(devicesFile);
    NS_ABORT_MSG_IF(!problem.empty(), problem);
    std::vector<std::string> chain = SplitCommaSeparated(devices);
    NS_ABORT_MSG_IF(chain.empty(), "devices is empty: name at least one device");
    scenario.devicesPerCluster = static_cast<uint32_t>(chain.size());
    for (uint32_t c = 0; c < scenario.clusters; ++c)
    {
        for (const auto& name : chain)
        {
            DeviceProfile profile;
            problem = catalog.Find(name, profile);
            NS_ABORT_MSG_IF(!problem.empty(), problem);
            scenario.devices.push_back(profile);
        }
        DeviceProfile unit;
        problem = catalog.Find(controlUnit, unit);
        NS_ABORT_MSG_IF(!problem.empty(), problem);
        scenario.controlUnits.push_back(unit);
    }
    scenario.server = catalog.Get("edge-server-a100");

    SystemPath::MakeDirectories(outputDir);
    std::ofstream rounds(outputDir + "/rounds.csv");
    std::ofstream deviceRows(outputDir + "/devices.csv");
    NS_ABORT_MSG_IF(!rounds || !deviceRows, "outputDir='" << outputDir << "' is not writable");
    rounds << "scheduler,round,latency_s,compute_s,communication_s,bubble,predicted_s,efficiency,"
              "micro_batches,max_memory_bytes,energy_j\n";
    deviceRows << "scheduler,round,device,name,blocks,tx_power_dbm,energy_j,radio_energy_j,queue,"
                  "rate_scale\n";

    std::cout << scenario.spec.name << ", " << scenario.clusters << " clusters of "
              << scenario.devicesPerCluster << " devices, " << scenario.rounds << " rounds, "
              << (scenario.network == "wifi" ? "Wi-Fi" : "OFDMA cell") << ", " << scenario.fidelity
              << " level\n\n"
              << std::left << std::setw(22) << "scheduler" << std::right << std::setw(14)
              << "latency (s)" << std::setw(12) << "compute" << std::setw(12) << "comm"
              << std::setw(9) << "bubble" << std::setw(12) << "efficiency" << std::setw(16)
              << "max memory GiB" << std::setw(18) << "energy J/round"
              << "\n";
    std::cout << std::fixed;
    Gnuplot latencyPlot;
    latencyPlot.SetTitle("CollaPipe round latency per scheduler (" + scenario.fidelity + " level)");
    latencyPlot.SetLegend("round", "latency (s)");
    Gnuplot queuePlot;
    queuePlot.SetTitle("DSSDA energy virtual queues Q_k");
    queuePlot.SetLegend("round", "queue (J)");
    for (const auto& scheduler : schedulerList)
    {
        std::vector<RoundRow> rows = RunScheduler(scenario, scheduler, outputDir);
        Gnuplot2dDataset latencySeries(scheduler);
        latencySeries.SetStyle(Gnuplot2dDataset::LINES_POINTS);
        std::vector<Gnuplot2dDataset> queueSeries;
        if (scheduler == "dssda")
        {
            for (uint32_t d = 0; d < scenario.devices.size(); ++d)
            {
                queueSeries.emplace_back("device " + std::to_string(d) + " " +
                                         scenario.devices[d].GetName());
                queueSeries.back().SetStyle(Gnuplot2dDataset::LINES);
            }
        }
        double latency = 0;
        double compute = 0;
        double communication = 0;
        double bubble = 0;
        double efficiency = 0;
        double energy = 0;
        uint64_t memory = 0;
        for (const auto& row : rows)
        {
            double roundEnergy = 0;
            for (uint32_t d = 0; d < row.energy.size(); ++d)
            {
                roundEnergy += row.energy[d];
                deviceRows << scheduler << ',' << row.round << ',' << d << ','
                           << scenario.devices[d].GetName() << ',' << row.blocks[d] << ','
                           << std::setprecision(3) << row.powerDbm[d] << ',' << std::setprecision(6)
                           << row.energy[d] << ',' << row.radioEnergy[d] << ',' << row.queue[d]
                           << ',' << row.rateScale[d] << '\n';
            }
            rounds << scheduler << ',' << row.round << ',' << std::setprecision(9) << row.latency
                   << ',' << row.computeSeconds << ',' << row.communicationSeconds << ','
                   << row.bubble << ',' << row.predicted << ',' << std::setprecision(6)
                   << row.efficiency << ',' << row.microBatches << ',' << row.maxMemory << ','
                   << roundEnergy << '\n';
            latencySeries.Add(row.round, row.latency);
            for (uint32_t d = 0; d < queueSeries.size() && d < row.queue.size(); ++d)
            {
                queueSeries[d].Add(row.round, row.queue[d]);
            }
            latency += row.latency;
            compute += row.computeSeconds;
            communication += row.communicationSeconds;
            bubble += row.bubble;
            efficiency += row.efficiency;
            energy += roundEnergy;
            memory = std::max(memory, row.maxMemory);
        }
        rounds.flush();
        deviceRows.flush();
        latencyPlot.AddDataset(latencySeries);
        for (const auto& series : queueSeries)
        {
            queuePlot.AddDataset(series);
        }
        const double n = rows.empty() ? 1.0 : static_cast<double>(rows.size());
        std::cout << std::left << std::setw(22) << scheduler << std::right << std::setw(14)
                  << std::setprecision(3) << latency / n << std::setw(12) << compute / n
                  << std::setw(12) << communication / n << std::setw(9) << bubble / n
                  << std::setw(12) << efficiency / n << std::setw(16) << memory / 1073741824.0
                  << std::setw(18) << energy / n << "\n";
    }
    WritePlot(latencyPlot, outputDir, "latency");
    if (std::find(schedulerList.begin(), schedulerList.end(), "dssda") != schedulerList.end())
    {
        WritePlot(queuePlot, outputDir, "queues");
    }
    std::cout << "\nrounds.csv, devices.csv, latency.png, queues.png (DSSDA) and each "
                 "scheduler's tasks.csv and trace.json in "
              << outputDir << "\n";
    return 0;
}
