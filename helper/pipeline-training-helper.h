/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_PIPELINE_TRAINING_HELPER_H
#define EDGE_LLM_PIPELINE_TRAINING_HELPER_H

#include "edge-network-helper.h"

#include "ns3/device-catalog.h"
#include "ns3/encoder-pipeline-planner.h"
#include "ns3/iteration-stats.h"
#include "ns3/nstime.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Pipeline-parallel training of a Transformer encoder over edge devices, one segment
 * per device: plans the segments (EncoderPipelinePlanner), builds the GPipe or 1F1B iteration
 * (PipelineScheduleBuilder), installs the network (EdgeNetworkHelper, configured through
 * GetNetworkHelper()) with the devices first and an edge server last, the runtime at packet or
 * flow fidelity with the analytic compute model, and a RunRecorder (tasks.csv,
 * iterations.csv, trace.json, timeline.png under the output folder); runs the iterations and
 * destroys the simulator.
 *
 * \code
 *   PipelineTrainingHelper pipeline;
 *   pipeline.SetModel("bert-base");
 *   pipeline.SetDevices("jetson-agx-orin,jetson-tx2", GetEdgeLlmDataPath("devices.json"));
 *   pipeline.SetMicroBatches(4);
 *   pipeline.GetNetworkHelper().SetNetwork("wifi");
 *   pipeline.PrintPlan(std::cout);
 *   PipelineTrainingHelper::PrintIterations(pipeline.Run(), std::cout);
 * \endcode
 *
 * Every setter validates its value and stops the run (NS_FATAL_ERROR) with a message naming
 * the parameter, its value and what is allowed; GetPlan() and Run() check the combination
 * (Validate()). The edge server (profile "edge-server-a100" of the devices file) computes
 * nothing: it coordinates the iterations.
 */
class PipelineTrainingHelper
{
  public:
    /** A helper with the defaults documented on each setter. */
    PipelineTrainingHelper();

    /** \return the network helper Run installs from (network, Wi-Fi settings, ...) */
    EdgeNetworkHelper& GetNetworkHelper();

    /**
     * \param model a model preset name
     * \return "" for a preset with an encoder, otherwise the problem
     */
    static std::string CheckModel(const std::string& model);
    /** \param model a preset with an encoder (default "bert-base") */
    void SetModel(const std::string& model);
    /** \param schedule "gpipe" or "1f1b" (default) */
    void SetSchedule(const std::string& schedule);
    /** \param split "even" (default) or "proportional" (to each device's achieved FLOP/s) */
    void SetSplit(const std::string& split);
    /** \param dtype "fp32" (default), "fp16" or "bf16" */
    void SetDataType(const std::string& dtype);
    /** \param microBatches micro-batches per iteration, M > 0 (default 4) */
    void SetMicroBatches(uint32_t microBatches);
    /** \param microBatchSize sequences per micro-batch, > 0 (default 8) */
    void SetMicroBatchSize(uint32_t microBatchSize);
    /** \param iterations training iterations, > 0 (default 1) */
    void SetIterations(uint32_t iterations);
    /**
     * \brief Choose the pipeline's devices, one stage each, in pipeline order.
     * \param devices comma-separated profile names (at least 2)
     * \param devicesFile the JSON file of device profiles to find them in
     */
    void SetDevices(const std::string& devices, const std::string& devicesFile);
    /** \param fidelity "packet" (default, ns-3 TCP) or "flow" (flow-level model) */
    void SetFidelity(const std::string& fidelity);
    /** \param directory the folder of the recorder's files (default "results/pipeline-wifi") */
    void SetOutputDirectory(const std::string& directory);
    /**
     * \brief Report the simulation's progress (ns-3 ShowProgress) while Run runs.
     * \param interval wall-clock interval between reports
     * \param os where to write them
     */
    void EnableProgress(Time interval, std::ostream& os);

    /**
     * \brief Check the combination of settings.
     * \return "" when fine, otherwise the first problem
     */
    std::string Validate() const;
    /** \return the plan of the pipeline (NS_FATAL_ERROR with Validate's message when invalid) */
    const EncoderPipelinePlan& GetPlan();
    /**
     * \brief Print the plan: model, stages, micro-batches, schedule and network on one line,
     * then one line per stage (device, layers, memory needed and usable, out of memory).
     * \param os the stream
     */
    void PrintPlan(std::ostream& os);

    /**
     * \brief Install everything, run the iterations and destroy the simulator.
     * \return the statistics of the iterations that finished
     */
    std::vector<IterationStats> Run();

    /**
     * \brief Print one line per iteration: latency, bubble fraction, efficiency and bytes on
     * the network.
     * \param stats the iterations
     * \param os the stream
     */
    static void PrintIterations(const std::vector<IterationStats>& stats, std::ostream& os);

  private:
    EdgeNetworkHelper m_network;                      //!< network settings
    TransformerSpec m_spec;                           //!< the model
    TrainingRecipe m_recipe;                          //!< full training, micro-batch size, dtype
    PipelineSchedule m_schedule;                      //!< GPipe or 1F1B
    std::string m_split{"even"};                      //!< segment sizes
    uint32_t m_microBatches{4};                       //!< M
    uint32_t m_iterations{1};                         //!< training iterations
    DeviceCatalog m_catalog;                          //!< the devices file
    std::vector<DeviceProfile> m_devices;             //!< one per stage
    std::string m_fidelity{"packet"};                 //!< runtime fidelity
    std::string m_outputDir{"results/pipeline-wifi"}; //!< recorder folder
    std::optional<Time> m_progressInterval;           //!< ShowProgress interval
    std::ostream* m_progressStream{nullptr};          //!< ShowProgress stream
    std::optional<EncoderPipelinePlan> m_plan;        //!< computed by GetPlan
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_PIPELINE_TRAINING_HELPER_H */
