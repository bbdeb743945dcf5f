/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COLLAPIPE_TORCH_HELPER_H
#define EDGE_LLM_COLLAPIPE_TORCH_HELPER_H

#include "edge-network-helper.h"

#include "ns3/device-catalog.h"
#include "ns3/torch-compute-engine.h"
#include "ns3/torch-round-recorder.h"
#include "ns3/torch-training-graph-builder.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief CollaPipe with real tensors (LibTorch): clusters of devices train a small Transformer
 * encoder pipeline-parallel on a synthetic sequence-classification task; the edge server runs
 * the classification head and the loss, and averages the clusters (FedAvg) every round.
 *
 * In each cluster the first device is the control unit (it holds the data and runs the
 * embedding); the others run contiguous segments of encoder blocks, split as evenly as
 * possible (the first segments take the remainder). Nodes: cluster by cluster (control unit,
 * then segment devices), the server last. Install() builds the TorchComputeEngine, the network
 * (EdgeNetworkHelper, Wi-Fi by default, configured through GetNetworkHelper()), the runtime at
 * packet or flow fidelity with the analytic compute model (or, with timing "measured", kernel
 * wall time scaled by host / device FLOP/s), the round's graph (TorchTrainingGraphBuilder) and
 * a TorchRoundRecorder; Run() runs the rounds and destroys the simulator; the recorder then
 * holds every round and writes rounds.csv and steps.csv.
 *
 * \code
 *   CollaPipeTorchHelper collapipe;
 *   collapipe.SetModel("mini-encoder");
 *   collapipe.SetRounds(3);
 *   collapipe.Install();
 *   NS_ABORT_IF(collapipe.Run() != 3);
 *   collapipe.GetRecorder()->Write();
 * \endcode
 *
 * Setters of values that stand alone (counts, fidelity, timing, device) stop the run
 * (NS_FATAL_ERROR) on a bad value with a message naming it, its value and what is allowed;
 * Install() checks the rest (Validate(): the model against the LibTorch engine's limits, the
 * segments against the model's blocks, the optimizer and learning rate).
 */
class CollaPipeTorchHelper
{
  public:
    /** A helper with the defaults documented on each setter; the network is Wi-Fi. */
    CollaPipeTorchHelper();

    /** \return the network helper Install uses */
    EdgeNetworkHelper& GetNetworkHelper();

    /** \param model a small encoder preset (default "mini-encoder"); checked by Validate */
    void SetModel(const std::string& model);
    /** \param clusters model replicas averaged by FedAvg, > 0 (default 2) */
    void SetClusters(uint32_t clusters);
    /** \param devices per cluster: a control unit and the segment devices, >= 2 (default 3) */
    void SetDevicesPerCluster(uint32_t devices);
    /** \param rounds FedAvg rounds, > 0 (default 12) */
    void SetRounds(uint32_t rounds);
    /** \param localIterations pipeline steps per cluster per round (E), 1..255 (default 5) */
    void SetLocalIterations(uint32_t localIterations);
    /** \param microBatches micro-batches per step (M, default 2); checked by Validate */
    void SetMicroBatches(uint32_t microBatches);
    /** \param microBatchSize sequences per micro-batch (default 8); checked by Validate */
    void SetMicroBatchSize(uint32_t microBatchSize);
    /** \param optimizer "adam" (default) or "sgd"; checked by Validate */
    void SetOptimizer(const std::string& optimizer);
    /** \param learningRate the learning rate (default 1e-3); checked by Validate */
    void SetLearningRate(double learningRate);
    /** \param fidelity "packet" (default) or "flow" */
    void SetFidelity(const std::string& fidelity);
    /**
     * \param timing a timing name
     * \return "" for "analytic" or "measured", otherwise the problem
     */
    static std::string CheckTiming(const std::string& timing);
    /**
     * \param timing compute time: "analytic" (roofline, reproducible; default) or "measured"
     *        (kernel wall time x host / device FLOP/s, the host calibrated with a matmul)
     */
    void SetTiming(const std::string& timing);
    /** \param samples held-out sequences for the accuracy, > 0 (default 512) */
    void SetEvalSamples(uint32_t samples);
    /** \param device the profile of every device, a name of the default catalog
     *         (default "jetson-tx2") */
    void SetDevice(const std::string& device);
    /** \param directory the folder of rounds.csv and steps.csv
     *         (default "results/collapipe-torch") */
    void SetOutputDirectory(const std::string& directory);

    /**
     * \brief Check the combination of settings.
     * \return "" when fine, otherwise the first problem
     */
    std::string Validate() const;
    /**
     * \return the engine's configuration: the model, the blocks of each segment, replicas,
     *         micro-batches, optimizer (NS_FATAL_ERROR with Validate's message when invalid)
     */
    TorchEngineConfig GetEngineConfig() const;

    /**
     * \brief Build the engine, the network, the runtime, the round's graph and the recorder,
     * and start the applications; NS_FATAL_ERROR with Validate's message when invalid.
     */
    void Install();
    /// \return the host's measured FLOP/s with timing "measured" (after Install), else 0
    double GetHostFlops() const;
    /// \return the engine (after Install)
    Ptr<TorchComputeEngine> GetEngine() const;
    /// \return the recorder of the rounds (after Install)
    Ptr<TorchRoundRecorder> GetRecorder() const;

    /**
     * \brief Run the rounds (at most 36000 simulated seconds) and destroy the simulator.
     * \return the rounds that finished
     */
    uint32_t Run();

  private:
    /**
     * \brief The engine's configuration from the settings.
     * \param[out] config the configuration
     * \return "" or the first problem (the device aside)
     */
    std::string MakeEngineConfig(TorchEngineConfig& config) const;

    EdgeNetworkHelper m_network;                        //!< network settings
    DeviceCatalog m_catalog;                            //!< the default catalog
    std::string m_model{"mini-encoder"};                //!< preset
    uint32_t m_clusters{2};                             //!< replicas
    uint32_t m_devicesPerCluster{3};                    //!< control unit + segment devices
    uint32_t m_rounds{12};                              //!< FedAvg rounds
    uint32_t m_localIterations{5};                      //!< E
    uint32_t m_microBatches{2};                         //!< M
    uint32_t m_microBatchSize{8};                       //!< sequences per micro-batch
    std::string m_optimizer{"adam"};                    //!< optimizer
    double m_learningRate{1e-3};                        //!< learning rate
    std::string m_fidelity{"packet"};                   //!< runtime fidelity
    std::string m_timing{"analytic"};                   //!< compute time
    uint32_t m_evalSamples{512};                        //!< held-out sequences
    std::string m_device{"jetson-tx2"};                 //!< profile of every device
    std::string m_outputDir{"results/collapipe-torch"}; //!< recorder folder
    Ptr<TorchComputeEngine> m_engine;                   //!< created by Install
    Ptr<TorchRoundRecorder> m_recorder;                 //!< created by Install
    Ptr<EdgeServerApplication> m_server;                //!< created by Install
    double m_hostFlops{0};                              //!< measured timing's calibration
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COLLAPIPE_TORCH_HELPER_H */
