/* SPDX-License-Identifier: GPL-2.0-only */
#include "collapipe-round-model.h"

#include "ns3/fatal-error.h"
#include "ns3/layer-kernels.h"
#include "ns3/log.h"
#include "ns3/segment-memory.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmCollaPipeRoundModel");

namespace
{

/// Blocks that are partitioned: the encoder's, or a decoder-only model's decoder blocks.
std::vector<uint32_t>
FindBlockPositions(const std::vector<LayerCost>& layers)
{
    std::vector<uint32_t> enc;
    std::vector<uint32_t> dec;
    for (uint32_t i = 0; i < layers.size(); ++i)
    {
        if (layers[i].kind == LayerKind::ENCODER_BLOCK)
        {
            enc.push_back(i);
        }
        else if (layers[i].kind == LayerKind::DECODER_BLOCK)
        {
            dec.push_back(i);
        }
    }
    return enc.empty() ? dec : enc;
}

bool
IsPositiveFinite(double x)
{
    return std::isfinite(x) && x > 0;
}

} // namespace

std::string
CollaPipeConfig::Validate() const
{
    std::ostringstream oss;
    if (!IsPositiveFinite(v))
    {
        oss << "v=" << v << " is invalid: the Lyapunov weight V must be positive";
        return oss.str();
    }
    if (!std::isfinite(lambda) || lambda < 0)
    {
        oss << "lambda=" << lambda << " is invalid: must be >= 0";
        return oss.str();
    }
    if (batchSize == 0)
    {
        return "batchSize=0 is invalid: must be a positive integer";
    }
    if (maxMicroBatches == 0)
    {
        return "maxMicroBatches=0 is invalid: must be at least 1";
    }
    if (localIterations == 0)
    {
        return "localIterations=0 is invalid: must be at least 1";
    }
    if (!IsPositiveFinite(bandwidthHz))
    {
        oss << "bandwidthHz=" << bandwidthHz << " is invalid: must be positive (Hz)";
        return oss.str();
    }
    if (!(std::isfinite(snrGapDb) && snrGapDb >= 0))
    {
        oss << "snrGapDb=" << snrGapDb << " is invalid: must be a finite gap >= 0 dB";
        return oss.str();
    }
    if (!(std::isfinite(maxSpectralEfficiency) && maxSpectralEfficiency >= 0))
    {
        oss << "maxSpectralEfficiency=" << maxSpectralEfficiency
            << " is invalid: must be >= 0 bit/s/Hz (0: no cap)";
        return oss.str();
    }
    if (!IsPositiveFinite(noisePsd))
    {
        oss << "noisePsd=" << noisePsd << " is invalid: must be positive (W/Hz)";
        return oss.str();
    }
    if (!std::isfinite(learningRate) || learningRate < 0 || !std::isfinite(gradientVariance) ||
        gradientVariance < 0 || !std::isfinite(gradientBound) || gradientBound < 0)
    {
        oss << "learningRate=" << learningRate << ", gradientVariance=" << gradientVariance
            << ", gradientBound=" << gradientBound << " are invalid: each must be >= 0";
        return oss.str();
    }
    if (!(std::isfinite(downloadFactor) && downloadFactor >= 0))
    {
        oss << "downloadFactor=" << downloadFactor
            << " is invalid: must be a finite ratio >= 0 (download over upload time)";
        return oss.str();
    }
    if (!(usableMemoryFraction > 0 && usableMemoryFraction <= 1))
    {
        oss << "usableMemoryFraction=" << usableMemoryFraction << " is invalid: must be in (0, 1]";
        return oss.str();
    }
    if (hasControlUnit)
    {
        const std::string problem = controlUnitProfile.Validate();
        if (!problem.empty())
        {
            return "control unit: " + problem;
        }
        if (medium == CollaPipeMedium::SHARED_AIRTIME &&
            !(IsPositiveFinite(controlUnitUplinkBps) && IsPositiveFinite(controlUnitDownlinkBps)))
        {
            oss << "controlUnitUplinkBps=" << controlUnitUplinkBps
                << ", controlUnitDownlinkBps=" << controlUnitDownlinkBps
                << " are invalid: on shared airtime both must be positive (bit/s)";
            return oss.str();
        }
    }
    if (hasServer)
    {
        const std::string problem = serverProfile.Validate();
        if (!problem.empty())
        {
            return "server: " + problem;
        }
    }
    if (!recipe.IsTraining())
    {
        return "recipe='inference' is invalid: CollaPipe trains; allowed: full, adapters, lora, "
               "parallel-adapters";
    }
    std::string problem = spec.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    TrainingRecipe r = recipe;
    r.microBatchSize = batchSize;
    return r.ValidateFor(spec);
}

std::string
CollaPipeRoundModel::Validate(const CollaPipeConfig& config,
                              const std::vector<CollaPipeDevice>& devices,
                              const std::vector<double>& queues)
{
    std::string problem = config.Validate();
    if (!problem.empty())
    {
        return problem;
    }
    std::ostringstream oss;
    if (devices.empty())
    {
        return "devices: none given: a cluster needs at least 1 device";
    }
    const uint32_t blocks =
        config.spec.HasEncoder() ? config.spec.encoderLayers : config.spec.decoderLayers;
    if (devices.size() > blocks)
    {
        oss << "devices=" << devices.size() << " is invalid: the model has " << blocks
            << " blocks to partition, so at most " << blocks << " devices";
        return oss.str();
    }
    for (uint32_t k = 0; k < devices.size(); ++k)
    {
        problem = devices[k].profile.Validate();
        if (!problem.empty())
        {
            return problem;
        }
        if (!IsPositiveFinite(devices[k].channelGain))
        {
            oss << "device " << k << " (" << devices[k].profile.GetName()
                << "): channelGain=" << devices[k].channelGain
                << " is invalid: must be a positive linear power gain";
            return oss.str();
        }
        if (!IsPositiveFinite(devices[k].rateScale))
        {
            oss << "device " << k << " (" << devices[k].profile.GetName()
                << "): rateScale=" << devices[k].rateScale
                << " is invalid: must be a positive factor on the Shannon rate";
            return oss.str();
        }
        if (config.medium == CollaPipeMedium::SHARED_AIRTIME)
        {
            const CollaPipeDevice& d = devices[k];
            bool ok = !d.powerLevelsW.empty() && d.uplinkBps.size() == d.powerLevelsW.size() &&
                      IsPositiveFinite(d.downlinkBps);
            for (uint32_t i = 0; ok && i < d.powerLevelsW.size(); ++i)
            {
                ok = IsPositiveFinite(d.powerLevelsW[i]) && std::isfinite(d.uplinkBps[i]) &&
                     d.uplinkBps[i] >= 0 && (i == 0 || d.powerLevelsW[i] > d.powerLevelsW[i - 1]);
            }
            if (!ok)
            {
                oss << "device " << k << " (" << d.profile.GetName()
                    << "): " << d.powerLevelsW.size() << " power levels, " << d.uplinkBps.size()
                    << " uplink rates, downlinkBps=" << d.downlinkBps
                    << " are invalid: on shared airtime give ascending positive power levels, "
                       "one uplink rate >= 0 per level and a positive downlink rate";
                return oss.str();
            }
        }
        if (!IsPositiveFinite(devices[k].energyBudget))
        {
            oss << "device " << k << " (" << devices[k].profile.GetName()
                << "): energyBudget=" << devices[k].energyBudget
                << " is invalid: must be a positive energy per round (J)";
            return oss.str();
        }
    }
    if (queues.size() != devices.size())
    {
        oss << "queues: " << queues.size() << " values given for " << devices.size()
            << " devices: need one per device";
        return oss.str();
    }
    for (uint32_t k = 0; k < queues.size(); ++k)
    {
        if (!std::isfinite(queues[k]) || queues[k] < 0)
        {
            oss << "queue " << k << "=" << queues[k] << " is invalid: must be >= 0";
            return oss.str();
        }
    }
    return "";
}

CollaPipeRoundModel::CollaPipeRoundModel(const CollaPipeConfig& config,
                                         const std::vector<CollaPipeDevice>& devices,
                                         const std::vector<double>& queues)
    : m_config(config),
      m_devices(devices),
      m_queues(queues)
{
    const std::string problem = Validate(config, devices, queues);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    for (uint32_t m = 1; m <= std::min(config.maxMicroBatches, config.batchSize); ++m)
    {
        if (config.batchSize % m == 0)
        {
            m_candidates.push_back(m);
        }
    }
    for (uint32_t m : m_candidates)
    {
        Tables t;
        TrainingRecipe r = config.recipe;
        r.microBatchSize = config.batchSize / m;
        t.layers = LayerCostModel::Compute(config.spec, r);
        t.positions = FindBlockPositions(t.layers);
        const uint32_t n = t.positions.size();
        t.flops.assign(n + 1, 0);
        t.params.assign(n + 1, 0);
        t.staticBytes.assign(n + 1, 0);
        t.stored.assign(n + 1, 0);
        for (uint32_t i = 0; i < n; ++i)
        {
            const LayerCost& c = t.layers[t.positions[i]];
            t.flops[i + 1] = t.flops[i] + c.forwardFlops + c.backwardFlops;
            t.params[i + 1] = t.params[i] + c.trainableParameterBytes; // what FedAvg uploads
            t.staticBytes[i + 1] =
                t.staticBytes[i] + c.parameterBytes + c.gradientBytes + c.optimizerStateBytes;
            t.stored[i + 1] = t.stored[i] + c.storedActivationBytes;
        }
        // Per device, each block's time: its kernels priced by the runtime's compute model.
        std::vector<LayerKernels> kernels;
        if (config.computeModel)
        {
            kernels = LayerKernelModel::Compute(config.spec, r);
        }
        t.seconds.assign(devices.size(), std::vector<double>(n + 1, 0.0));
        for (uint32_t k = 0; k < devices.size(); ++k)
        {
            const DeviceProfile& profile = devices[k].profile;
            for (uint32_t i = 0; i < n; ++i)
            {
                double block;
                if (config.computeModel)
                {
                    const LayerKernels& lk = kernels[t.positions[i]];
                    block = config.computeModel->GetWorkTime(profile, r.dtype, lk.forward)
                                .GetSeconds() +
                            config.computeModel->GetWorkTime(profile, r.dtype, lk.backward)
                                .GetSeconds();
                }
                else
                {
                    block = (t.flops[i + 1] - t.flops[i]) / profile.GetAchievedFlops(r.dtype);
                }
                t.seconds[k][i + 1] = t.seconds[k][i] + block;
            }
        }
        // the stages at the ends: the layers before the first block on the control unit, the
        // layers after the last on the server, priced the same way
        auto price = [&](const DeviceProfile& profile, uint32_t from, uint32_t to) {
            double seconds = 0;
            for (uint32_t i = from; i < to; ++i)
            {
                const LayerCost& c = t.layers[i];
                if (config.computeModel)
                {
                    const LayerKernels& lk = kernels[i];
                    seconds += config.computeModel->GetWorkTime(profile, r.dtype, lk.forward)
                                   .GetSeconds() +
                               config.computeModel->GetWorkTime(profile, r.dtype, lk.backward)
                                   .GetSeconds();
                }
                else
                {
                    seconds +=
                        (c.forwardFlops + c.backwardFlops) / profile.GetAchievedFlops(r.dtype);
                }
            }
            return seconds;
        };
        const uint32_t firstBlock = t.positions.front();
        const uint32_t lastBlock = t.positions.back();
        for (uint32_t i = 0; i < firstBlock; ++i)
        {
            t.controlUnitParams += t.layers[i].trainableParameterBytes;
        }
        t.embeddingBytes =
            firstBlock > 0 ? double(t.layers[firstBlock - 1].boundaryActivationBytes) : 0.0;
        if (config.hasControlUnit)
        {
            t.controlUnitSeconds = price(config.controlUnitProfile, 0, firstBlock);
        }
        if (config.hasServer)
        {
            t.serverSeconds = price(config.serverProfile, lastBlock + 1, t.layers.size());
        }
        m_blocks = n;
        m_tables.emplace(m, std::move(t));
    }
}

uint32_t
CollaPipeRoundModel::GetDeviceCount() const
{
    return m_devices.size();
}

uint32_t
CollaPipeRoundModel::GetBlockCount() const
{
    return m_blocks;
}

const std::vector<uint32_t>&
CollaPipeRoundModel::GetMicroBatchCandidates() const
{
    return m_candidates;
}

const CollaPipeConfig&
CollaPipeRoundModel::GetConfig() const
{
    return m_config;
}

const std::vector<CollaPipeDevice>&
CollaPipeRoundModel::GetDevices() const
{
    return m_devices;
}

const std::vector<double>&
CollaPipeRoundModel::GetQueues() const
{
    return m_queues;
}

double
CollaPipeRoundModel::GetPhi() const
{
    const double e1 = double(m_config.localIterations) - 1.0;
    return m_config.learningRate * m_config.learningRate *
           (m_config.gradientVariance / m_config.batchSize +
            8.0 * e1 * e1 * m_config.gradientBound * m_config.gradientBound);
}

double
CollaPipeRoundModel::GetMaxPowerW(uint32_t k) const
{
    if (m_config.medium == CollaPipeMedium::SHARED_AIRTIME)
    {
        return m_devices.at(k).powerLevelsW.back();
    }
    return std::pow(10.0, (m_devices.at(k).profile.GetMaxTxPowerDbm() - 30.0) / 10.0);
}

double
CollaPipeRoundModel::GetAchievedFlops(uint32_t k) const
{
    return m_devices.at(k).profile.GetAchievedFlops(m_config.recipe.dtype);
}

double
CollaPipeRoundModel::GetRate(uint32_t k, double share, double powerW) const
{
    if (m_config.medium == CollaPipeMedium::SHARED_AIRTIME)
    {
        // the MCS is a step function of the power: the highest level the power reaches
        const CollaPipeDevice& d = m_devices[k];
        double rate = 0;
        for (uint32_t i = 0; i < d.powerLevelsW.size(); ++i)
        {
            if (d.powerLevelsW[i] <= powerW * (1.0 + 1e-9))
            {
                rate = d.uplinkBps[i];
            }
        }
        return rate;
    }
    if (share <= 0 || powerW <= 0)
    {
        return 0;
    }
    const double bw = share * m_config.bandwidthHz;
    const double gap = std::pow(10.0, m_config.snrGapDb / 10.0);
    double efficiency =
        std::log2(1.0 + powerW * m_devices[k].channelGain / (gap * m_config.noisePsd * bw));
    if (m_config.maxSpectralEfficiency > 0)
    {
        efficiency = std::min(efficiency, m_config.maxSpectralEfficiency);
    }
    return m_devices[k].rateScale * bw * efficiency;
}

const CollaPipeRoundModel::Tables&
CollaPipeRoundModel::GetTables(uint32_t m) const
{
    auto it = m_tables.find(m);
    if (it == m_tables.end())
    {
        NS_FATAL_ERROR("microBatches="
                       << m << " is not a candidate: M must divide batchSize=" << m_config.batchSize
                       << " and be at most maxMicroBatches=" << m_config.maxMicroBatches);
    }
    return it->second;
}

double
CollaPipeRoundModel::GetSegmentFlops(uint32_t m, uint32_t first, uint32_t count) const
{
    const Tables& t = GetTables(m);
    return t.flops[first + count] - t.flops[first];
}

double
CollaPipeRoundModel::GetSegmentComputeSeconds(uint32_t k,
                                              uint32_t m,
                                              uint32_t first,
                                              uint32_t count) const
{
    const std::vector<double>& prefix = GetTables(m).seconds.at(k);
    return prefix.at(first + count) - prefix.at(first);
}

double
CollaPipeRoundModel::RadioEnergyJoules(double transmitSeconds,
                                       double busySeconds,
                                       double roundSeconds,
                                       double txPowerW) const
{
    const RadioStateCurrents& radio = m_config.radioCurrents;
    if (radio.volts <= 0 || !std::isfinite(roundSeconds))
    {
        return radio.volts <= 0 ? 0.0 : std::numeric_limits<double>::infinity();
    }
    // with direct device-to-device links each device listens on two channels; its own
    // transmissions take at most the round
    const double radios = m_config.directD2d ? 2.0 : 1.0;
    return radio.GetJoules(std::min(transmitSeconds, roundSeconds),
                           busySeconds,
                           radios * roundSeconds,
                           txPowerW);
}

const std::vector<double>&
CollaPipeRoundModel::GetComputeSecondsPrefix(uint32_t k, uint32_t m) const
{
    return GetTables(m).seconds.at(k);
}

const std::vector<double>&
CollaPipeRoundModel::GetParameterBytesPrefix(uint32_t m) const
{
    return GetTables(m).params;
}

const std::vector<uint64_t>&
CollaPipeRoundModel::GetStaticBytesPrefix(uint32_t m) const
{
    return GetTables(m).staticBytes;
}

const std::vector<uint64_t>&
CollaPipeRoundModel::GetStoredBytesPrefix(uint32_t m) const
{
    return GetTables(m).stored;
}

double
CollaPipeRoundModel::GetControlUnitSeconds(uint32_t m) const
{
    return GetTables(m).controlUnitSeconds;
}

double
CollaPipeRoundModel::GetServerSeconds(uint32_t m) const
{
    return GetTables(m).serverSeconds;
}

double
CollaPipeRoundModel::GetEmbeddingBytes(uint32_t m) const
{
    return GetTables(m).embeddingBytes;
}

double
CollaPipeRoundModel::GetControlUnitParameterBytes(uint32_t m) const
{
    return GetTables(m).controlUnitParams;
}

double
CollaPipeRoundModel::GetBoundaryBytes(uint32_t m, uint32_t last) const
{
    const Tables& t = GetTables(m);
    return double(t.layers[t.positions[last]].boundaryActivationBytes);
}

double
CollaPipeRoundModel::GetSegmentParameterBytes(uint32_t m, uint32_t first, uint32_t count) const
{
    const Tables& t = GetTables(m);
    return t.params[first + count] - t.params[first];
}

uint64_t
CollaPipeRoundModel::GetBlockWorkingBytes(uint32_t m, uint32_t block) const
{
    const Tables& t = GetTables(m);
    return SegmentMemory::GetLayerWorkingBytes(t.layers[t.positions[block]], m);
}

uint32_t
CollaPipeRoundModel::GetInFlightMicroBatches(uint32_t m, uint32_t stages, uint32_t stage)
{
    NS_ABORT_MSG_IF(stage >= stages,
                    "stage=" << stage << " is invalid: must be below stages=" << stages);
    return std::min(m, stages - stage);
}

uint64_t
CollaPipeRoundModel::GetSegmentStaticBytes(uint32_t m, uint32_t first, uint32_t count) const
{
    const Tables& t = GetTables(m);
    return t.staticBytes[first + count] - t.staticBytes[first];
}

uint64_t
CollaPipeRoundModel::GetSegmentStoredBytes(uint32_t m, uint32_t first, uint32_t count) const
{
    const Tables& t = GetTables(m);
    return t.stored[first + count] - t.stored[first];
}

uint64_t
CollaPipeRoundModel::GetSegmentMemoryBytes(uint32_t m,
                                           uint32_t first,
                                           uint32_t count,
                                           uint64_t maxWorkingBytes,
                                           uint32_t inFlight) const
{
    NS_ABORT_MSG_IF(inFlight == 0 || inFlight > m,
                    "inFlight=" << inFlight << " is invalid: must be in [1, M=" << m << "]");
    // 1F1B: inFlight micro-batches' stored activations coexist on this stage
    return GetSegmentStaticBytes(m, first, count) +
           uint64_t(inFlight) * GetSegmentStoredBytes(m, first, count) + maxWorkingBytes;
}

uint64_t
CollaPipeRoundModel::GetSegmentMemoryBytes(uint32_t m,
                                           uint32_t first,
                                           uint32_t count,
                                           uint32_t inFlight) const
{
    uint64_t working = 0;
    for (uint32_t b = first; b < first + count; ++b)
    {
        working = std::max(working, GetBlockWorkingBytes(m, b));
    }
    return GetSegmentMemoryBytes(m, first, count, working, inFlight);
}

uint64_t
CollaPipeRoundModel::GetAvailableMemoryBytes(uint32_t k) const
{
    return static_cast<uint64_t>(
        std::floor(static_cast<long double>(m_devices.at(k).profile.GetAvailableMemoryBytes()) *
                   m_config.usableMemoryFraction));
}

const std::vector<LayerCost>&
CollaPipeRoundModel::GetLayers(uint32_t m) const
{
    return GetTables(m).layers;
}

uint32_t
CollaPipeRoundModel::GetLayerPosition(uint32_t m, uint32_t block) const
{
    return GetTables(m).positions.at(block);
}

CollaPipeDecision
CollaPipeRoundModel::Evaluate(const std::string& scheduler,
                              const std::vector<uint32_t>& sizes,
                              uint32_t m,
                              const std::vector<double>& share,
                              const std::vector<double>& powerW) const
{
    const uint32_t k = GetDeviceCount();
    uint32_t total = 0;
    for (uint32_t s : sizes)
    {
        total += s;
    }
    if (sizes.size() != k || share.size() != k || powerW.size() != k || total != m_blocks)
    {
        NS_FATAL_ERROR("Evaluate: need " << k << " segment sizes summing to " << m_blocks
                                         << " blocks and " << k << " shares and powers; got "
                                         << sizes.size() << " sizes summing to " << total);
    }
    const double inf = std::numeric_limits<double>::infinity();
    const double e = m_config.localIterations;
    CollaPipeDecision d;
    d.scheduler = scheduler;
    d.microBatches = m;
    d.microBatchSize = m_config.batchSize / m;
    d.segmentSize = sizes;
    d.bandwidthShare = share;
    d.txPowerW = powerW;
    d.segmentFirst.assign(k, 0);
    d.rateBps.assign(k, 0);
    d.computeSeconds.assign(k, 0);
    d.transferSeconds.assign(k, 0);
    d.uploadSeconds.assign(k, 0);
    d.energyJ.assign(k, 0);
    d.memoryBytes.assign(k, 0);
    d.memoryAvailableBytes.assign(k, 0);
    d.memoryFits.assign(k, true);
    d.feasible = true;
    const bool shared = m_config.medium == CollaPipeMedium::SHARED_AIRTIME;
    const double c0 = GetControlUnitSeconds(m);
    const double cs = GetServerSeconds(m);
    double sum = c0 + cs;
    double bottleneck = std::max(c0, cs);
    double upload = 0;  // separate bands: the slowest upload
    double airtime = 0; // shared airtime: the channel's time per micro-batch
    double fedAvg = 0;  // shared airtime: the uploads' and downloads' airtime
    double queueEnergy = 0;
    uint64_t worstShort = 0;
    uint32_t first = 0;
    // the activation bytes entering the next active device: the embedding's output
    double inBytes = GetEmbeddingBytes(m);
    if (shared && m_config.hasControlUnit)
    {
        // the embedding to the first device (relayed: up and down again), or sent directly
        const double perByte = 8.0 / m_config.controlUnitUplinkBps +
                               (m_config.directD2d ? 0.0 : 8.0 / m_config.controlUnitDownlinkBps);
        airtime += inBytes * perByte;
        const double p0 = 8.0 * GetControlUnitParameterBytes(m);
        fedAvg += p0 / m_config.controlUnitUplinkBps +
                  m_config.downloadFactor * p0 / m_config.controlUnitDownlinkBps;
    }
    // per-state radio energy needs the round's length: charged after it is known
    const bool perState = shared && m_config.radioCurrents.volts > 0;
    std::vector<double> ownTransmit(k, 0.0);
    // 1F1B over the active devices: stage s of D keeps min(M, D - s) micro-batches
    const auto stages = static_cast<uint32_t>(
        std::count_if(sizes.begin(), sizes.end(), [](uint32_t n) { return n > 0; }));
    uint32_t stage = 0;
    for (uint32_t i = 0; i < k; ++i)
    {
        d.segmentFirst[i] = first;
        d.memoryAvailableBytes[i] = GetAvailableMemoryBytes(i);
        if (sizes[i] == 0)
        {
            continue;
        }
        const double r = GetRate(i, share[i], powerW[i]);
        d.rateBps[i] = r;
        const double c = GetSegmentComputeSeconds(i, m, first, sizes[i]);
        const double outBytes = GetBoundaryBytes(m, first + sizes[i] - 1);
        const double pbits = 8.0 * GetSegmentParameterBytes(m, first, sizes[i]);
        double dk;
        double txk; // this device's own transmit time per micro-batch
        if (shared)
        {
            const double down = m_devices[i].downlinkBps;
            dk = r > 0 ? 8.0 * (inBytes + outBytes) *
                             (1.0 / r + (m_config.directD2d ? 0.0 : 1.0 / down))
                       : inf;
            txk = r > 0 ? 8.0 * (inBytes + outBytes) / r : inf;
            fedAvg += (r > 0 ? pbits / r : inf) + m_config.downloadFactor * pbits / down;
            airtime += dk;
        }
        else
        {
            dk = r > 0 ? 16.0 * outBytes / r : inf;
            txk = dk;
            bottleneck = std::max(bottleneck, dk);
        }
        const double uk = r > 0 ? pbits / r : inf;
        d.computeSeconds[i] = c;
        d.transferSeconds[i] = dk;
        d.uploadSeconds[i] = uk;
        d.energyJ[i] = e * m * c * m_devices[i].profile.GetBusyPower() +
                       (perState ? 0.0 : powerW[i] * (e * m * txk + uk));
        ownTransmit[i] = (e * m * txk + uk) / std::max(1u, m_config.channelClusters);
        sum += shared ? c : c + dk; // shared: the channel's airtime is added once below
        bottleneck = std::max(bottleneck, c);
        upload = std::max(upload, uk);
        d.memoryBytes[i] =
            GetSegmentMemoryBytes(m, first, sizes[i], GetInFlightMicroBatches(m, stages, stage));
        ++stage;
        if (d.memoryBytes[i] > d.memoryAvailableBytes[i])
        {
            d.memoryFits[i] = false;
            d.feasible = false;
            const uint64_t shortBy = d.memoryBytes[i] - d.memoryAvailableBytes[i];
            if (shortBy > worstShort)
            {
                worstShort = shortBy;
                std::ostringstream oss;
                oss << "device " << i << " (" << m_devices[i].profile.GetName() << ") needs "
                    << d.memoryBytes[i] << " bytes for blocks " << first << ".."
                    << first + sizes[i] - 1 << " with M=" << m << " but has "
                    << d.memoryAvailableBytes[i] << " usable: short by " << shortBy << " bytes";
                d.reason = oss.str();
            }
        }
        first += sizes[i];
        inBytes = outBytes;
    }
    if (shared)
    {
        // every transmission of the first micro-batch lies on the path (the control unit's
        // too); the channel is one more stage
        sum += airtime;
        bottleneck = std::max(bottleneck, airtime);
    }
    d.iterationSeconds = sum + (double(m) - 1.0) * bottleneck;
    // the FedAvg upload, then the averaged segment's way back
    d.roundSeconds =
        e * d.iterationSeconds + (shared ? fedAvg : (1.0 + m_config.downloadFactor) * upload);
    if (m_config.roundTimer && d.feasible)
    {
        d.roundSeconds = m_config.roundTimer(d);
    }
    // the channels' busy time: every micro-batch's transmissions and FedAvg's (the rates are
    // the cluster's share, so these are the channel's, every cluster's frames included)
    const double busy = e * m * airtime + fedAvg;
    for (uint32_t i = 0; i < k; ++i)
    {
        if (perState)
        {
            d.energyJ[i] += RadioEnergyJoules(ownTransmit[i], busy, d.roundSeconds, powerW[i]);
        }
        queueEnergy += m_queues[i] * d.energyJ[i];
    }
    d.phi = GetPhi();
    d.objective = m_config.v * (d.roundSeconds + m_config.lambda * d.phi) + queueEnergy;
    return d;
}

CollaPipeDecision
CollaPipeRoundModel::EvaluatePlainFl(const std::vector<double>& share,
                                     const std::vector<double>& powerW) const
{
    const uint32_t k = GetDeviceCount();
    const double e = m_config.localIterations;
    CollaPipeDecision d;
    d.scheduler = "plain-fl";
    d.segmentFirst.assign(k, 0);
    d.segmentSize.assign(k, m_blocks);
    d.bandwidthShare = share;
    d.txPowerW = powerW;
    d.rateBps.assign(k, 0);
    d.computeSeconds.assign(k, 0);
    d.transferSeconds.assign(k, 0);
    d.uploadSeconds.assign(k, 0);
    d.energyJ.assign(k, 0);
    d.memoryBytes.assign(k, 0);
    d.memoryAvailableBytes.assign(k, 0);
    d.memoryFits.assign(k, false);
    // smallest M (gradient accumulation, one micro-batch of activations at a time) that fits
    // every device
    uint32_t chosen = 0;
    uint64_t bestShort = std::numeric_limits<uint64_t>::max();
    for (uint32_t m : m_candidates)
    {
        uint64_t worst = 0;
        uint32_t worstDevice = 0;
        // gradient accumulation: one micro-batch's activations at a time
        const uint64_t need = GetSegmentMemoryBytes(m, 0, m_blocks, 1);
        for (uint32_t i = 0; i < k; ++i)
        {
            const uint64_t avail = GetAvailableMemoryBytes(i);
            if (need > avail && need - avail > worst)
            {
                worst = need - avail;
                worstDevice = i;
            }
        }
        if (worst == 0)
        {
            chosen = m;
            break;
        }
        if (worst < bestShort)
        {
            bestShort = worst;
            std::ostringstream oss;
            oss << "plain-fl: device " << worstDevice << " ("
                << m_devices[worstDevice].profile.GetName() << ") cannot hold the whole stack "
                << "even with M=" << m << ": short by " << worst << " bytes";
            d.reason = oss.str();
        }
    }
    d.feasible = chosen != 0;
    const uint32_t m = chosen != 0 ? chosen : m_candidates.back();
    d.microBatches = m;
    d.microBatchSize = m_config.batchSize / m;
    if (d.feasible)
    {
        d.reason.clear();
    }
    const uint64_t need = GetSegmentMemoryBytes(m, 0, m_blocks, 1);
    double roundSeconds = 0;
    double queueEnergy = 0;
    for (uint32_t i = 0; i < k; ++i)
    {
        const double r = GetRate(i, share[i], powerW[i]);
        d.rateBps[i] = r;
        d.computeSeconds[i] = m * GetSegmentComputeSeconds(i, m, 0, m_blocks);
        d.uploadSeconds[i] = r > 0 ? 8.0 * GetSegmentParameterBytes(m, 0, m_blocks) / r
                                   : std::numeric_limits<double>::infinity();
        d.energyJ[i] = e * d.computeSeconds[i] * m_devices[i].profile.GetBusyPower() +
                       powerW[i] * d.uploadSeconds[i];
        d.memoryBytes[i] = need;
        d.memoryAvailableBytes[i] = GetAvailableMemoryBytes(i);
        d.memoryFits[i] = need <= d.memoryAvailableBytes[i];
        d.iterationSeconds = std::max(d.iterationSeconds, d.computeSeconds[i]);
        roundSeconds = std::max(roundSeconds,
                                e * d.computeSeconds[i] +
                                    (1.0 + m_config.downloadFactor) * d.uploadSeconds[i]);
        queueEnergy += m_queues[i] * d.energyJ[i];
    }
    if (m_config.medium == CollaPipeMedium::SHARED_AIRTIME)
    {
        // one channel serves the uploads as they come (work-conserving: the last ends at
        // max over i of (ready_i + the airtime of every upload ready at or after ready_i)),
        // then the averaged stacks go back one after another
        const double pbits = 8.0 * GetSegmentParameterBytes(m, 0, m_blocks);
        double downloads = 0;
        std::vector<std::pair<double, double>> ready; // (compute end, upload airtime)
        for (uint32_t i = 0; i < k; ++i)
        {
            ready.emplace_back(e * d.computeSeconds[i], d.uploadSeconds[i]);
            downloads += m_config.downloadFactor * pbits / m_devices[i].downlinkBps;
        }
        std::sort(ready.begin(), ready.end());
        double later = 0;
        roundSeconds = 0;
        for (uint32_t i = k; i-- > 0;)
        {
            later += ready[i].second;
            roundSeconds = std::max(roundSeconds, ready[i].first + later);
        }
        roundSeconds += downloads;
        if (m_config.radioCurrents.volts > 0)
        {
            // radio energy per state: each device sends its upload and hears the rest
            double busy = downloads;
            for (const auto& r : ready)
            {
                busy += r.second;
            }
            const double clusters = std::max(1u, m_config.channelClusters);
            for (uint32_t i = 0; i < k; ++i)
            {
                const double radioJ = RadioEnergyJoules(d.uploadSeconds[i] / clusters,
                                                        busy,
                                                        roundSeconds,
                                                        d.txPowerW[i]);
                queueEnergy += m_queues[i] * (radioJ - d.txPowerW[i] * d.uploadSeconds[i]);
                d.energyJ[i] += radioJ - d.txPowerW[i] * d.uploadSeconds[i];
            }
        }
    }
    d.roundSeconds = roundSeconds;
    d.phi = GetPhi();
    d.objective = m_config.v * (d.roundSeconds + m_config.lambda * d.phi) + queueEnergy;
    return d;
}

} // namespace edgellm
} // namespace ns3
