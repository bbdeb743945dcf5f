/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-round-recorder.h"

#include "ns3/abort.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <filesystem>
#include <fstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmTorchRoundRecorder");

NS_OBJECT_ENSURE_REGISTERED(TorchRoundRecorder);

TypeId
TorchRoundRecorder::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TorchRoundRecorder")
            .SetParent<Object>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<TorchRoundRecorder>()
            .AddAttribute("EvalSamples",
                          "Held-out sequences for the accuracy after each round.",
                          UintegerValue(512),
                          MakeUintegerAccessor(&TorchRoundRecorder::m_evalSamples),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("OutputDirectory",
                          "Folder of rounds.csv and steps.csv.",
                          StringValue("results"),
                          MakeStringAccessor(&TorchRoundRecorder::m_outputDir),
                          MakeStringChecker())
            .AddTraceSource("RoundRecorded",
                            "A round finished and was recorded (its TorchRoundRecord).",
                            MakeTraceSourceAccessor(&TorchRoundRecorder::m_roundTrace),
                            "ns3::TorchRoundRecorder::RoundTracedCallback");
    return tid;
}

TorchRoundRecorder::TorchRoundRecorder()
    : m_wallStart(std::chrono::steady_clock::now())
{
    NS_LOG_FUNCTION(this);
}

TorchRoundRecorder::~TorchRoundRecorder() = default;

void
TorchRoundRecorder::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_engine = nullptr;
    m_graph = nullptr;
    Object::DoDispose();
}

void
TorchRoundRecorder::Connect(Ptr<TorchComputeEngine> engine,
                            Ptr<EdgeServerApplication> server,
                            Ptr<TaskGraph> graph,
                            uint32_t localIterations)
{
    NS_LOG_FUNCTION(this << engine << server << graph << localIterations);
    NS_ABORT_MSG_IF(!engine || !server || !graph,
                    "TorchRoundRecorder::Connect: engine, server and graph must not be null");
    NS_ABORT_MSG_IF(localIterations == 0,
                    "TorchRoundRecorder::Connect: localIterations=0 is invalid: must be a "
                    "positive integer");
    m_engine = engine;
    m_graph = graph;
    m_localIterations = localIterations;
    m_wallStart = std::chrono::steady_clock::now();
    server->TraceConnectWithoutContext("IterationCompleted",
                                       MakeCallback(&TorchRoundRecorder::OnRound, this));
}

void
TorchRoundRecorder::OnRound(uint32_t round, Time start, Time end)
{
    NS_LOG_FUNCTION(this << round << start << end);
    TorchRoundRecord record;
    record.round = round;
    record.latency = (end - start).GetSeconds();
    record.bytes = m_graph->GetTotalTransferBytes();
    // This round's steps (round * E .. round * E + E - 1), over every replica.
    double loss = 0;
    uint32_t steps = 0;
    uint32_t correct = 0;
    uint32_t samples = 0;
    for (const auto& step : m_engine->GetStepRecords())
    {
        if (step.step / m_localIterations == round)
        {
            loss += step.loss;
            steps++;
            correct += step.correct;
            samples += step.samples;
        }
    }
    record.loss = steps ? loss / steps : 0;
    record.trainAccuracy = samples ? double(correct) / samples : 0;
    // After FedAvg every replica holds the same model.
    record.heldOutAccuracy = m_engine->Evaluate(0, m_evalSamples);
    record.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_wallStart).count();
    m_records.push_back(record);
    m_roundTrace(record);
}

const std::vector<TorchRoundRecord>&
TorchRoundRecorder::GetRecords() const
{
    return m_records;
}

std::string
TorchRoundRecorder::GetRoundsPath() const
{
    return m_outputDir + "/rounds.csv";
}

std::string
TorchRoundRecorder::GetStepsPath() const
{
    return m_outputDir + "/steps.csv";
}

void
TorchRoundRecorder::Write() const
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_engine, "TorchRoundRecorder::Write must follow Connect");
    std::error_code error;
    std::filesystem::create_directories(m_outputDir, error);
    NS_ABORT_MSG_IF(error,
                    "outputDir='" << m_outputDir << "' cannot be created: " << error.message());
    const std::string path = GetRoundsPath();
    std::ofstream csv(path);
    NS_ABORT_MSG_IF(!csv, "cannot write " << path);
    // No wall time in the file: same seed, same file, byte for byte.
    csv << "round,latency_s,bytes,loss,train_accuracy,heldout_accuracy\n";
    for (const auto& record : m_records)
    {
        csv << record.round << "," << record.latency << "," << record.bytes << "," << record.loss
            << "," << record.trainAccuracy << "," << record.heldOutAccuracy << "\n";
    }
    const std::string stepsPath = GetStepsPath();
    std::ofstream steps(stepsPath);
    NS_ABORT_MSG_IF(!steps, "cannot write " << stepsPath);
    steps << "step,cluster,loss,train_accuracy\n";
    for (const auto& record : m_engine->GetStepRecords())
    {
        steps << record.step << "," << record.replica << "," << record.loss << ","
              << double(record.correct) / record.samples << "\n";
    }
}

} // namespace edgellm
} // namespace ns3
