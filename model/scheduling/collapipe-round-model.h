/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COLLAPIPE_ROUND_MODEL_H
#define EDGE_LLM_COLLAPIPE_ROUND_MODEL_H

#include "ns3/compute-model.h"
#include "ns3/device-profile.h"
#include "ns3/layer-cost.h"
#include "ns3/ptr.h"
#include "ns3/radio-state-currents.h"
#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief One device of a CollaPipe cluster as the scheduler sees it in a round.
 */
struct CollaPipeDevice
{
    DeviceProfile profile;   //!< compute, memory, power, maximum transmit power
    double channelGain = 0;  //!< linear uplink channel power gain g_k measured this round, > 0
    double energyBudget = 0; //!< time-average energy budget ebar_k in J per round, > 0
    /// measured over predicted rate: a correction of the Shannon rate (separate bands only);
    /// 1 = the rate as modelled, > 0
    double rateScale = 1.0;
    /// shared airtime only: the transmit powers the device may use (W, ascending, > 0); the
    /// last is its maximum
    std::vector<double> powerLevelsW;
    /// shared airtime only: the device's goodput to the access point (the server) alone on
    /// the channel at each power level (bit/s, >= 0, one per level)
    std::vector<double> uplinkBps;
    /// shared airtime only: the access point's goodput to the device (bit/s, > 0)
    double downlinkBps = 0;
};

/**
 * \ingroup edge-llm
 * \brief How the devices of a cluster share the radio.
 */
enum class CollaPipeMedium
{
    /// each device its own band (bandwidth share w_k of W, an OFDMA cell's resource blocks):
    /// transfers of different devices run in parallel, at the Shannon rate of the share
    SEPARATE_BANDS,
    /// one channel (a Wi-Fi BSS): every transmission takes the channel's airtime, relayed
    /// device-to-device traffic twice (device to access point, access point to device), and
    /// the airtime of all transfers adds up; powers choose each device's MCS
    SHARED_AIRTIME,
};

struct CollaPipeDecision;

/**
 * \ingroup edge-llm
 * \brief The round's fixed parameters: model, recipe, batch, radio and objective weights.
 *
 * Phi is the decision-dependent part of the FedAvg bound of Li et al. 2020 ("On the
 * Convergence of FedAvg on Non-IID Data", ICLR 2020, Theorem 1, term B):
 * Phi = learningRate^2 * (gradientVariance / batchSize + 8 (E-1)^2 gradientBound^2).
 * Pipelining with gradient accumulation keeps the effective batch at batchSize, so Phi does not
 * depend on the micro-batch count M: M is a pure latency / energy / memory trade-off.
 */
struct CollaPipeConfig
{
    TransformerSpec spec;         //!< the model; its encoder blocks are partitioned
    TrainingRecipe recipe;        //!< recipe; microBatchSize is set to batchSize / M
    uint32_t batchSize = 32;      //!< B, sequences per local iteration
    uint32_t maxMicroBatches = 8; //!< Mmax: M ranges over divisors of B that are <= Mmax
    uint32_t localIterations = 1; //!< E, local iterations per FedAvg round
    double bandwidthHz = 20e6;    //!< W, total uplink bandwidth shared by the devices
    double noisePsd = 3.98e-21;   //!< N0 in W/Hz (-174 dBm/Hz)
    /// SNR gap of the link's coding and modulation to Shannon (dB, >= 0): the rate is
    /// B log2(1 + SNR / gap)
    double snrGapDb = 0.0;
    /// largest spectral efficiency the link's modulation and coding reach (bit/s/Hz; 0 = no
    /// cap), e.g. 5.55 for NR MCS table 1 (64QAM, code rate 948/1024)
    double maxSpectralEfficiency = 0.0;
    double v = 1.0;                    //!< Lyapunov weight V > 0
    double lambda = 0.0;               //!< weight of Phi, >= 0
    double learningRate = 0.01;        //!< eta in Phi, >= 0
    double gradientVariance = 1.0;     //!< per-sample sigma^2 in Phi, >= 0
    double gradientBound = 1.0;        //!< G in Phi, >= 0
    double usableMemoryFraction = 0.9; //!< share of device memory a segment may use
    /// time to send the averaged parameters back over the time to upload them: 0 when the
    /// downlink is not a bottleneck (the usual assumption), 1 when they return over the same
    /// link at the same rate (one Wi-Fi BSS, where the AP's downlink shares the airtime)
    double downloadFactor = 0.0;
    /// prices each block's forward and backward kernels on each device: give the model the
    /// runtime prices the graph's compute tasks with, so that the scheduler plans with the times
    /// the run will take; null: the block's FLOPs at the device's achieved FLOP/s (the
    /// one-number roofline)
    Ptr<const ComputeModel> computeModel;
    CollaPipeMedium medium = CollaPipeMedium::SEPARATE_BANDS; //!< how the radio is shared
    /// shared airtime: clusters running the same schedule side by side on the channel (the
    /// devices' rates are then 1 / C of their goodputs, so the model's airtimes are the
    /// channel's; a device's own transmit time is 1 / C of them)
    uint32_t channelClusters = 1;

    /// Radio energy per state, as ns-3's WifiRadioEnergyModel meters it at packet level and
    /// the flow level charges it (RoundController): every radio draws its transmit current
    /// while its device sends, rxA while others' frames are on the channel, idleA otherwise.
    /// With volts = 0 (the default, and off Wi-Fi) a device's radio energy is p_k times its
    /// transmit time.
    RadioStateCurrents radioCurrents;
    /// shared airtime: the devices send activations and gradients to each other directly
    /// (device-to-device, on a channel of their own), not relayed by the access point; each
    /// such transmission is priced at the sender's goodput, once (the other channel's airtime
    /// is added to the access point's, which overestimates it: the replay of the task graph
    /// (roundTimer) times the two channels apart)
    bool directD2d = false;
    /// the pipeline's first stage: the control unit runs the embedding (every layer before
    /// the first partitioned block) and sends its output to the first active device; false:
    /// its compute and transfers are left out
    bool hasControlUnit = false;
    DeviceProfile controlUnitProfile; //!< the control unit, when hasControlUnit
    /// shared airtime: the control unit's goodput to the access point and back (bit/s, > 0)
    double controlUnitUplinkBps = 0;
    double controlUnitDownlinkBps = 0; //!< shared airtime: access point to control unit
    /// the pipeline's last stage: the server runs every layer after the last partitioned block
    /// (decoder, head) once per micro-batch; false: its compute is left out
    bool hasServer = false;
    DeviceProfile serverProfile; //!< the server, when hasServer
    /// times a feasible decision's round exactly (e.g. the strategy's replay of the cluster's
    /// task graph on the network's rates); when set, Evaluate() reports it as roundSeconds and
    /// in the objective, so every scheduler ranks its decisions by it, and the closed form
    /// (iterationSeconds) only guides the searches inside them
    std::function<double(const CollaPipeDecision&)> roundTimer;

    /**
     * \return "" when usable, otherwise the first problem (parameter, value, what is allowed)
     */
    std::string Validate() const;
};

/**
 * \ingroup edge-llm
 * \brief A scheduler's decision for one round and its predicted figures.
 *
 * Device k holds encoder blocks [segmentFirst[k], segmentFirst[k] + segmentSize[k]) (block
 * indices 0..L-1, not layer-list positions). A segment size of 0 means the device is idle
 * (only the "standalone" baseline does that).
 */
struct CollaPipeDecision
{
    std::string scheduler;                      //!< which scheduler decided
    bool feasible = false;                      //!< every active segment fits its device
    std::string reason;                         //!< why not, when infeasible
    std::vector<uint32_t> segmentFirst;         //!< first block of each device
    std::vector<uint32_t> segmentSize;          //!< blocks of each device
    uint32_t microBatches = 0;                  //!< M
    uint32_t microBatchSize = 0;                //!< b = B / M
    std::vector<double> bandwidthShare;         //!< w_k, sum <= 1
    std::vector<double> txPowerW;               //!< p_k in W
    std::vector<double> rateBps;                //!< r_k in bit/s
    std::vector<double> computeSeconds;         //!< c_k per micro-batch
    std::vector<double> transferSeconds;        //!< d_k per micro-batch (activation + gradient)
    std::vector<double> uploadSeconds;          //!< FedAvg upload of the segment parameters
    std::vector<double> energyJ;                //!< e_k in the round
    std::vector<uint64_t> memoryBytes;          //!< required memory of each segment
    std::vector<uint64_t> memoryAvailableBytes; //!< usable memory of each device
    std::vector<bool> memoryFits;               //!< per device
    double iterationSeconds = 0;                //!< T_iter
    double roundSeconds = 0;                    //!< T_round
    double phi = 0;                             //!< convergence-bound term
    double objective = 0;                       //!< V (T_round + lambda Phi) + sum_k Q_k e_k
};

/**
 * \ingroup edge-llm
 * \brief The per-round cost model of a CollaPipe cluster, shared by every scheduler.
 *
 * Per micro-batch, c_k = forward + backward time of segment k on device k (the compute model),
 * c_0 and c_S the control unit's embedding and the server's layers after the encoder (when
 * modelled).
 *
 * Separate bands: d_k = 8 * 2 * boundary bytes / r_k (activations forward, same bytes of
 * gradients back, the last device to and from the server); r_k = w_k W log2(1 + p_k g_k /
 * (gap N0 w_k W)), capped at the largest spectral efficiency.
 * T_iter = c_0 + c_S + sum_k (c_k + d_k) + (M - 1) max(c_0, c_S, max_k max(c_k, d_k));
 * T_round = E T_iter + (1 + downloadFactor) max_k 8 paramBytes_k / r_k.
 *
 * Shared airtime: every byte device k sends takes 8 / up_k of the channel, every byte it
 * receives 8 / down_k (relayed traffic pays both); per micro-batch device k receives its input
 * activation and sends its output, then receives the output's gradient and sends the input's:
 * d_k = 8 (in_k + out_k) (1 / up_k + 1 / down_k); the control unit d_0 = 8 out_0 (1 / up_0 +
 * 1 / down_0). The channel is one more pipeline stage whose time is D = d_0 + sum_k d_k:
 * T_iter = c_0 + c_S + D + sum_k c_k + (M - 1) max(c_0, c_S, D, max_k c_k);
 * FedAvg serialises too: T_round = E T_iter + sum (8 paramBytes_k / up_k + downloadFactor *
 * 8 paramBytes_k / down_k) over the devices and the control unit.
 *
 * e_k = E M c_k P_busy,k + p_k (E M t_k + 8 paramBytes_k / r_k), t_k the device's transmit
 * time per micro-batch (d_k on separate bands, 8 (in_k + out_k) / up_k on shared airtime). On
 * shared airtime with CollaPipeConfig::radioCurrents set, the radio term is instead each
 * radio's current per state over the round (RadioEnergyJoules()): TX over the device's own
 * transmit time, RX over the rest of the channel's busy time, idle the rest of T_round (two
 * radios with direct device-to-device links); every device pays it, idle ones too.
 * Memory: 1F1B, as the graph runs it: the active device at position s of D holds min(M, D - s)
 * micro-batches of stored activations (GetInFlightMicroBatches()); transients as for a step of
 * M micro-batches.
 */
class CollaPipeRoundModel
{
  public:
    /**
     * \brief Check a round's input.
     * \param config the round parameters
     * \param devices the devices in chain order
     * \param queues the virtual queue values Q_k(t), one per device, >= 0
     * \return "" when usable, otherwise the first problem
     */
    static std::string Validate(const CollaPipeConfig& config,
                                const std::vector<CollaPipeDevice>& devices,
                                const std::vector<double>& queues);

    /**
     * \brief Build the model; NS_FATAL_ERROR with the Validate() message on bad input.
     * \param config the round parameters
     * \param devices the devices in chain order
     * \param queues Q_k(t)
     */
    CollaPipeRoundModel(const CollaPipeConfig& config,
                        const std::vector<CollaPipeDevice>& devices,
                        const std::vector<double>& queues);

    /** \return K */
    uint32_t GetDeviceCount() const;
    /** \return L, the encoder blocks (decoder blocks for a decoder-only model) */
    uint32_t GetBlockCount() const;
    /** \return the candidate micro-batch counts: divisors of B up to Mmax, ascending */
    const std::vector<uint32_t>& GetMicroBatchCandidates() const;
    /** \return the configuration */
    const CollaPipeConfig& GetConfig() const;
    /** \return the devices */
    const std::vector<CollaPipeDevice>& GetDevices() const;
    /** \return the queues */
    const std::vector<double>& GetQueues() const;
    /** \return Phi (independent of the decision, see CollaPipeConfig) */
    double GetPhi() const;
    /** \param k device \return maximum transmit power in W */
    double GetMaxPowerW(uint32_t k) const;
    /** \param k device \return achieved FLOP/s in the recipe's data type */
    double GetAchievedFlops(uint32_t k) const;

    /**
     * \brief The device's uplink rate: on separate bands the Shannon rate of its share; on
     * shared airtime its goodput at the highest power level not above powerW (share unused).
     * \param k device
     * \param share w_k
     * \param powerW p_k
     * \return r_k in bit/s, 0 when share (separate bands) or power is 0
     */
    double GetRate(uint32_t k, double share, double powerW) const;

    /** \param m micro-batches \param first block \param count blocks \return fwd+bwd FLOPs */
    double GetSegmentFlops(uint32_t m, uint32_t first, uint32_t count) const;

    /**
     * \brief Time device k computes one micro-batch's forward and backward through a segment,
     * priced by CollaPipeConfig::computeModel (kernel by kernel, launches included) or, without
     * one, as the segment's FLOPs at the device's achieved FLOP/s.
     * \param k device
     * \param m micro-batches
     * \param first block
     * \param count blocks
     * \return seconds
     */
    double GetSegmentComputeSeconds(uint32_t k, uint32_t m, uint32_t first, uint32_t count) const;
    /**
     * \brief The prefix sums behind the segment accessors, for scans over many segments:
     * entry j covers blocks 0..j-1, so a segment [first, first + count) is the difference of
     * entries first + count and first.
     * \param k device
     * \param m micro-batches
     * \return L + 1 prefix sums of GetSegmentComputeSeconds(k, m, 0, j)
     */
    const std::vector<double>& GetComputeSecondsPrefix(uint32_t k, uint32_t m) const;
    /** \param m micro-batches \return L + 1 prefix sums of GetSegmentParameterBytes */
    const std::vector<double>& GetParameterBytesPrefix(uint32_t m) const;
    /** \param m micro-batches \return L + 1 prefix sums of GetSegmentStaticBytes */
    const std::vector<uint64_t>& GetStaticBytesPrefix(uint32_t m) const;
    /** \param m micro-batches \return L + 1 prefix sums of GetSegmentStoredBytes */
    const std::vector<uint64_t>& GetStoredBytesPrefix(uint32_t m) const;
    /** \param m micro-batches \return the control unit's compute seconds per micro-batch (0
     * when not modelled) */
    double GetControlUnitSeconds(uint32_t m) const;
    /** \param m micro-batches \return the server's compute seconds per micro-batch (0 when not
     * modelled) */
    double GetServerSeconds(uint32_t m) const;
    /** \param m micro-batches \return the activation bytes entering the first block */
    double GetEmbeddingBytes(uint32_t m) const;
    /** \param m micro-batches \return the trainable parameter bytes of the layers before the
     * first block (what the control unit uploads at FedAvg) */
    double GetControlUnitParameterBytes(uint32_t m) const;
    /** \param m micro-batches \param last block \return activation bytes leaving block last */
    double GetBoundaryBytes(uint32_t m, uint32_t last) const;
    /** \param m micro-batches \param first block \param count blocks \return trainable parameter
     * bytes (what FedAvg uploads) */
    double GetSegmentParameterBytes(uint32_t m, uint32_t first, uint32_t count) const;
    /**
     * \brief Micro-batches whose stored activations a pipeline stage holds at once under
     * 1F1B (the schedule the CollaPipe graph runs): min(M, stages - stage).
     * \param m micro-batches M
     * \param stages active pipeline stages (devices holding blocks)
     * \param stage this device's position among them, < stages
     * \return the in-flight count, >= 1
     */
    static uint32_t GetInFlightMicroBatches(uint32_t m, uint32_t stages, uint32_t stage);
    /**
     * \param m micro-batches M
     * \param first block
     * \param count blocks, >= 1
     * \param inFlight micro-batches of stored activations held at once (1..M;
     * GetInFlightMicroBatches())
     * \return required memory bytes, equal to SegmentMemory::Compute(layers, .., inFlight,
     * m).totalBytes
     */
    uint64_t GetSegmentMemoryBytes(uint32_t m,
                                   uint32_t first,
                                   uint32_t count,
                                   uint32_t inFlight) const;
    /**
     * \brief The same with the segment's largest per-layer working bytes given (for scans
     * that extend a segment one block at a time).
     * \param m micro-batches M
     * \param first block
     * \param count blocks, >= 1
     * \param maxWorkingBytes max of GetBlockWorkingBytes over the segment
     * \param inFlight micro-batches of stored activations held at once
     * \return required memory bytes
     */
    uint64_t GetSegmentMemoryBytes(uint32_t m,
                                   uint32_t first,
                                   uint32_t count,
                                   uint64_t maxWorkingBytes,
                                   uint32_t inFlight) const;
    /** \param m micro-batches \param first block \param count blocks \return the segment's
     * parameters, gradients and optimizer state in bytes (its memory without activations) */
    uint64_t GetSegmentStaticBytes(uint32_t m, uint32_t first, uint32_t count) const;
    /** \param m micro-batches \param first block \param count blocks \return the segment's
     * stored activation bytes per micro-batch */
    uint64_t GetSegmentStoredBytes(uint32_t m, uint32_t first, uint32_t count) const;
    /** \param m micro-batches \param block block \return the block's transient bytes,
     * SegmentMemory::GetLayerWorkingBytes() of its LayerCost */
    uint64_t GetBlockWorkingBytes(uint32_t m, uint32_t block) const;
    /**
     * \brief Radio energy of one device over a round under CollaPipeConfig::radioCurrents
     * (RadioStateCurrents::GetJoules over n radios):
     * volts (txA t + rxA r + idleA (n T - t - r)), t = min(transmit, T) and r = min(max(busy -
     * transmit, 0), n T - t), n the device's radios.
     * \param transmitSeconds the device's own transmit time in the round
     * \param busySeconds the channels' busy time in the round (every cluster's frames)
     * \param roundSeconds T
     * \param txPowerW the device's transmit power (sets the transmit current when a
     * transmit current model is given)
     * \return joules (0 when radioCurrents is unset)
     */
    double RadioEnergyJoules(double transmitSeconds,
                             double busySeconds,
                             double roundSeconds,
                             double txPowerW) const;
    /** \param k device \return floor(memory * usableMemoryFraction) */
    uint64_t GetAvailableMemoryBytes(uint32_t k) const;
    /** \param m micro-batches \return the model's layer list for b = B / m */
    const std::vector<LayerCost>& GetLayers(uint32_t m) const;
    /** \param m micro-batches \param block block index \return its layer-list position */
    uint32_t GetLayerPosition(uint32_t m, uint32_t block) const;

    /**
     * \brief Evaluate a complete decision (fills every predicted field).
     * \param scheduler name to record
     * \param sizes blocks per device (sum L; 0 = idle device)
     * \param m micro-batches, a candidate
     * \param share w_k
     * \param powerW p_k
     * \return the decision
     */
    CollaPipeDecision Evaluate(const std::string& scheduler,
                               const std::vector<uint32_t>& sizes,
                               uint32_t m,
                               const std::vector<double>& share,
                               const std::vector<double>& powerW) const;

    /**
     * \brief The plain-FL baseline: every device trains the whole stack on the whole batch
     * (gradient accumulation over the smallest candidate M that fits) and uploads it.
     * \param share w_k
     * \param powerW p_k
     * \return the decision (segmentFirst 0 and segmentSize L for every device)
     */
    CollaPipeDecision EvaluatePlainFl(const std::vector<double>& share,
                                      const std::vector<double>& powerW) const;

  private:
    /// prefix sums over blocks for one micro-batch count
    struct Tables
    {
        std::vector<LayerCost> layers;     //!< the layer list
        std::vector<uint32_t> positions;   //!< layer position of each block
        std::vector<double> flops;         //!< prefix fwd+bwd FLOPs
        std::vector<double> params;        //!< prefix parameter bytes
        std::vector<uint64_t> staticBytes; //!< prefix params + grads + optimizer
        std::vector<uint64_t> stored;      //!< prefix stored activations
        /// per device, prefix fwd+bwd compute seconds of one micro-batch
        std::vector<std::vector<double>> seconds;
        double controlUnitSeconds = 0; //!< c_0, fwd+bwd of the layers before the blocks
        double serverSeconds = 0;      //!< c_S, fwd+bwd of the layers after the blocks
        double controlUnitParams = 0;  //!< trainable parameter bytes before the blocks
        double embeddingBytes = 0;     //!< activation bytes entering the first block
    };

    const Tables& GetTables(uint32_t m) const;

    CollaPipeConfig m_config;               //!< round parameters
    std::vector<CollaPipeDevice> m_devices; //!< chain order
    std::vector<double> m_queues;           //!< Q_k(t)
    std::vector<uint32_t> m_candidates;     //!< candidate M
    std::map<uint32_t, Tables> m_tables;    //!< per candidate M
    uint32_t m_blocks = 0;                  //!< L
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COLLAPIPE_ROUND_MODEL_H */
