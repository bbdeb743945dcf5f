/* SPDX-License-Identifier: GPL-2.0-only */

// End-to-end published figures against KernelComputeModel with the shipped data/devices.json.
//
// The device terms (efficiency, attention_efficiency, memory_efficiency, kernel_overhead_us) are
// SET in data/devices.json from microbenchmark-type sources (GEMM rate, memory bandwidth) and,
// for the eager per-kernel overhead, from one launch-bound run; the figures below were not used
// to set them (except where a case says "calibration") and VALIDATE them. Each figure is one
// exact published number with its device, model, data type, batch, sequence and runtime kind
// (eager framework: OverheadScale = 1; fused or graph-captured runtime: OverheadScale = 0).
// doc/published-figures.rst has the same table with the errors and the reasoning.
//
// Where the published run used another SKU than the catalog's entry, the test copies the
// catalog device and changes only the datasheet figure that differs (memory bandwidth); every
// efficiency and overhead stays the catalog's.

#include "ns3/device-catalog.h"
#include "ns3/device-profile.h"
#include "ns3/double.h"
#include "ns3/kernel-compute-model.h"
#include "ns3/layer-kernels.h"
#include "ns3/test.h"
#include "ns3/training-recipe.h"
#include "ns3/transformer-spec.h"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// Relative tolerance of every validated figure.
constexpr double TOLERANCE = 0.2;

/// NVIDIA A100 40GB datasheet: 1,555 GB/s (the SKU of the AITemplate and TensorRT runs).
constexpr double A100_40GB_BANDWIDTH = 1555e9;
/// NVIDIA A100 80GB SXM datasheet: 2,039 GB/s (DGX A100 80GB, the DeepLearningExamples runs).
constexpr double A100_80GB_SXM_BANDWIDTH = 2039e9;

/**
 * \brief Time of a piece of work under KernelComputeModel.
 * \param device the device
 * \param dtype the data type
 * \param work the kernels
 * \param overheadScale 1 for an eager framework, 0 for a fused or graph-captured runtime
 * \return seconds
 */
double
Price(const DeviceProfile& device, DataType dtype, const KernelWork& work, double overheadScale)
{
    Ptr<KernelComputeModel> model = CreateObject<KernelComputeModel>();
    model->SetAttribute("OverheadScale", DoubleValue(overheadScale));
    return model->GetBreakdown(device, dtype, work).GetTotalSeconds();
}

/**
 * \brief Forward (inference) time of a model, or of a range of its layers.
 * \param device the device
 * \param preset a TransformerSpec preset
 * \param dtype the data type
 * \param batch sequences per batch
 * \param sequence sequence length
 * \param overheadScale 1 eager, 0 fused
 * \param encoderOnly true: the encoder blocks only (no embedding, no head)
 * \return seconds
 */
double
ForwardSeconds(const DeviceProfile& device,
               const std::string& preset,
               DataType dtype,
               uint32_t batch,
               uint32_t sequence,
               double overheadScale,
               bool encoderOnly)
{
    TransformerSpec spec = TransformerSpec::GetPreset(preset);
    spec.sequenceLength = sequence;
    TrainingRecipe recipe;
    recipe.kind = RecipeKind::INFERENCE;
    recipe.dtype = dtype;
    recipe.microBatchSize = batch;
    const std::vector<LayerKernels> layers = LayerKernelModel::Compute(spec, recipe);
    const uint32_t first = encoderOnly ? 1 : 0;
    const uint32_t last =
        encoderOnly ? spec.encoderLayers : static_cast<uint32_t>(layers.size() - 1);
    return Price(device, dtype, LayerKernelModel::Sum(layers, first, last).forward, overheadScale);
}

/**
 * \brief Forward plus backward time of one micro-batch of full training.
 * \param device the device
 * \param preset a TransformerSpec preset
 * \param dtype the data type
 * \param batch micro-batch size
 * \param sequence sequence length
 * \return seconds (eager, OverheadScale = 1)
 */
double
TrainingStepSeconds(const DeviceProfile& device,
                    const std::string& preset,
                    DataType dtype,
                    uint32_t batch,
                    uint32_t sequence)
{
    TransformerSpec spec = TransformerSpec::GetPreset(preset);
    spec.sequenceLength = sequence;
    TrainingRecipe recipe;
    recipe.kind = RecipeKind::FULL;
    recipe.dtype = dtype;
    recipe.microBatchSize = batch;
    const std::vector<LayerKernels> layers = LayerKernelModel::Compute(spec, recipe);
    const LayerKernels all =
        LayerKernelModel::Sum(layers, 0, static_cast<uint32_t>(layers.size() - 1));
    KernelWork work = all.forward;
    work.Append(all.backward);
    return Price(device, dtype, work, 1.0);
}

/**
 * \brief A decoder-only LLM with grouped-query attention and a gated MLP, as its public
 * config.json gives it (no preset has these shapes: LayerKernelModel does not express a
 * gated FFN, GQA or a single decode token attending to a KV cache).
 */
struct DecoderConfig
{
    double layers;       //!< num_hidden_layers
    double hidden;       //!< hidden_size
    double qWidth;       //!< num_attention_heads * head_dim
    double kvWidth;      //!< num_key_value_heads * head_dim
    double intermediate; //!< intermediate_size (gate, up and down projections)
    double vocabulary;   //!< vocab_size (tied LM head: the table is read once per token)
};

/**
 * \brief One decode step at batch 1: every weight matrix is one GEMM over one token, so each
 * kernel reads its weights once (bytes = 2 bytes x weights in fp16, FLOPs = 2 x weights) and the
 * step is weight-bandwidth-bound. Documented approximation: the KV-cache read (a few MB at a
 * short context), the norms, the rotary embedding and the sampling are left out (under 2% of
 * the bytes at the contexts of the cited runs).
 * \param c the model
 * \return the kernels of one token
 */
KernelWork
DecodeStep(const DecoderConfig& c)
{
    const double e = 2.0; // fp16
    KernelWork work;
    auto gemv = [&](double in, double out, uint32_t count) {
        work.Add(KernelClass::GEMM, 2.0 * in * out, e * (in * out + in + out), count);
    };
    const auto layers = static_cast<uint32_t>(c.layers);
    gemv(c.hidden, c.qWidth, layers);           // q
    gemv(c.hidden, c.kvWidth, 2 * layers);      // k, v
    gemv(c.qWidth, c.hidden, layers);           // o
    gemv(c.hidden, c.intermediate, 2 * layers); // gate, up
    gemv(c.intermediate, c.hidden, layers);     // down
    gemv(c.hidden, c.vocabulary, 1);            // LM head (tied table)
    return work;
}

/**
 * \brief Relative error of a model figure against a published one.
 * \param model model value
 * \param published published value
 * \return (model - published) / published
 */
double
Error(double model, double published)
{
    return (model - published) / published;
}

/**
 * \brief Assert one figure within TOLERANCE and log it.
 */
#define CHECK_FIGURE(model, published, what)                                                       \
    do                                                                                             \
    {                                                                                              \
        const double m_ = (model);                                                                 \
        const double p_ = (published);                                                             \
        std::clog << "  " << what << ": published " << p_ << ", model " << m_ << ", error "        \
                  << 100.0 * Error(m_, p_) << " %" << std::endl;                                   \
        NS_TEST_EXPECT_MSG_EQ_TOL(m_, p_, TOLERANCE* p_, what);                                    \
    } while (false)

/**
 * \ingroup edge-llm-tests
 * A100, eager PyTorch: AITemplate's reference table "Reference Speed vs PyTorch Eager",
 * examples/03_bert/README.md of facebookincubator/AITemplate: A100-40GB, CUDA 11.6.2, PyTorch
 * 1.12 eager, Hugging Face bert-base-uncased encoder stack only (benchmark_pt.py
 * benchmark_pt_encoders_only: 12 BertLayer, fp16 input, no embedding, no head), latency in ms.
 *
 * The b1 s128 row (8.02 ms) SETS kernel_overhead_us of the A100 host (calibration: at batch 1
 * the GPU work is 0.2 ms, the rest is dispatch; (8.02 - 0.22) ms / 204 kernels = 38 us). The
 * other launch-bound rows (b1 s64, b1 s384) check that the overhead does not depend on the
 * size; the large-batch rows validate the GEMM, attention and memory efficiencies, which come
 * from microbenchmarks (MAMF matmul, memory read bandwidth).
 */
class A100EagerBertTestCase : public TestCase
{
  public:
    A100EagerBertTestCase()
        : TestCase("A100 eager PyTorch BERT-base encoder latencies (AITemplate table)")
    {
    }

  private:
    void DoRun() override
    {
        DeviceProfile a100 = DeviceCatalog::LoadDefault().Get("edge-server-a100");
        a100.SetMemoryBandwidth(A100_40GB_BANDWIDTH);

        struct Row
        {
            uint32_t batch;
            uint32_t sequence;
            double publishedMs;
            const char* role;
        };

        const std::vector<Row> rows = {
            {1, 128, 8.02, "calibration (sets kernel_overhead_us)"},
            {1, 64, 7.96, "launch-bound"},
            {1, 384, 8.72, "launch-bound"},
            {128, 128, 29.44, "compute-bound"},
            {256, 128, 56.34, "compute-bound"},
            {64, 384, 51.02, "compute-bound"},
            {128, 384, 100.26, "compute-bound"},
        };
        for (const auto& row : rows)
        {
            const double model = ForwardSeconds(a100,
                                                "bert-base",
                                                DataType::FP16,
                                                row.batch,
                                                row.sequence,
                                                1.0,
                                                true);
            std::ostringstream what;
            what << "A100 eager bert-base encoder b" << row.batch << " s" << row.sequence << " ("
                 << row.role << ")";
            CHECK_FIGURE(model * 1e3, row.publishedMs, what.str());
        }
        // The launch-bound claim: at batch 1 the kernels' own time is a few percent of the
        // total; the per-kernel overhead is the time.
        Ptr<KernelComputeModel> model = CreateObject<KernelComputeModel>();
        TransformerSpec spec = TransformerSpec::GetPreset("bert-base");
        TrainingRecipe recipe;
        recipe.kind = RecipeKind::INFERENCE;
        recipe.dtype = DataType::FP16;
        recipe.microBatchSize = 1;
        const auto layers = LayerKernelModel::Compute(spec, recipe);
        const KernelTimeBreakdown b =
            model->GetBreakdown(a100,
                                DataType::FP16,
                                LayerKernelModel::Sum(layers, 1, spec.encoderLayers).forward);
        NS_TEST_EXPECT_MSG_GT(b.overheadSeconds / b.GetTotalSeconds(),
                              0.9,
                              "bert-base b1 s128 on the A100 is launch-bound in eager mode");
    }
};

/**
 * \ingroup edge-llm-tests
 * A100, training: NVIDIA DeepLearningExamples, PyTorch/LanguageModeling/BERT/README.md,
 * "Pre-training NVIDIA DGX A100 (8x A100 80GB)": 1 GPU, phase 1 (sequence 128), mixed
 * precision, batch 256 per GPU: 580 sequences/s, i.e. 256 / 580 = 441.4 ms per micro-batch
 * (forward and backward; the LAMB step every 32 accumulation steps is amortised, under 1%).
 * pytorch:21.11-py3 container; APEX fused LayerNorm and bias-GELU, so fewer elementwise passes
 * than the eager list (the model is pessimistic there) but the MLM head on the masked positions
 * is not in the preset (about 1%). Not used to set any term.
 *
 * Phase 2 (sequence 512, 210 sequences/s) is not used: its data is length-binned (LDDL,
 * changelog January 2022), so a sequence is on average shorter than 512 and a padded-512
 * conversion exceeds what the hardware can do.
 */
class A100BertPretrainingTestCase : public TestCase
{
  public:
    A100BertPretrainingTestCase()
        : TestCase("A100 BERT-large pre-training phase 1 throughput (DeepLearningExamples)")
    {
    }

  private:
    void DoRun() override
    {
        DeviceProfile a100 = DeviceCatalog::LoadDefault().Get("edge-server-a100");
        a100.SetMemoryBandwidth(A100_80GB_SXM_BANDWIDTH);
        const double model = TrainingStepSeconds(a100, "bert-large", DataType::FP16, 256, 128);
        CHECK_FIGURE(model * 1e3,
                     256.0 / 580.0 * 1e3,
                     "A100 bert-large fp16 b256 s128 training step, ms");
    }
};

/**
 * \ingroup edge-llm-tests
 * Jetson AGX Orin 64GB, fp16 LLM decode with TensorRT (graph-captured: OverheadScale = 0):
 * NVIDIA/TensorRT-Edge-LLM issue #60 (2026-03-25), JetPack 6.2, TensorRT 10.7, CUDA 12.6,
 * W16A16 (fp16 weights and activations): Qwen2.5-3B-VL ~27.2 tokens/s, Qwen3-4B-VL
 * ~20.2 tokens/s. The language models' shapes are those of their config.json (Qwen2.5-3B:
 * 36 layers, hidden 2048, 16 heads and 2 KV heads of 128, intermediate 11008, vocabulary
 * 151936, tied; Qwen3-4B: 36 layers, hidden 2560, 32 heads and 8 KV heads of 128,
 * intermediate 9728, vocabulary 151936, tied). memory_efficiency was set from a read-bandwidth
 * microbenchmark (152.8 of 204.8 GB/s), not from these figures.
 */
class OrinDecodeTestCase : public TestCase
{
  public:
    OrinDecodeTestCase()
        : TestCase("Jetson AGX Orin fp16 LLM decode tokens per second (TensorRT-Edge-LLM)")
    {
    }

  private:
    void DoRun() override
    {
        const DeviceProfile orin = DeviceCatalog::LoadDefault().Get("jetson-agx-orin");
        const DecoderConfig qwen25{36, 2048, 16 * 128, 2 * 128, 11008, 151936};
        const DecoderConfig qwen3{36, 2560, 32 * 128, 8 * 128, 9728, 151936};
        const double t25 = Price(orin, DataType::FP16, DecodeStep(qwen25), 0.0);
        const double t3 = Price(orin, DataType::FP16, DecodeStep(qwen3), 0.0);
        CHECK_FIGURE(1.0 / t25, 27.2, "Orin Qwen2.5-3B fp16 decode, tokens/s");
        CHECK_FIGURE(1.0 / t3, 20.2, "Orin Qwen3-4B fp16 decode, tokens/s");
    }
};

/**
 * \ingroup edge-llm-tests
 * Credible figures the kernel-level model does NOT reproduce within 20% with physical terms,
 * kept here so that the gaps stay documented: each check asserts the direction and size of the
 * gap, and fails once a model change closes it (then move the figure to a validation case).
 * doc/published-figures.rst explains each gap and the proposed model change.
 */
class KnownGapsTestCase : public TestCase
{
  public:
    KnownGapsTestCase()
        : TestCase("known gaps: fused TensorRT kernels and eager dispatch overlap")
    {
    }

  private:
    void DoRun() override
    {
        DeviceProfile a100 = DeviceCatalog::LoadDefault().Get("edge-server-a100");
        a100.SetMemoryBandwidth(A100_40GB_BANDWIDTH);

        // TensorRT demo/BERT README (NVIDIA/TensorRT, release 10.15), "Inference performance:
        // NVIDIA A100 (40GB)", fp16 average latency. BERT-large s384 b128: 155.47 ms. The fused
        // multi-head attention never writes the b x a x s x s scores, the eager list does (and
        // scales and softmaxes them in separate passes): the model overcounts memory traffic.
        const double large =
            ForwardSeconds(a100, "bert-large", DataType::FP16, 128, 384, 0.0, false) * 1e3;
        std::clog << "  gap: TensorRT bert-large b128 s384: published 155.47 ms, model " << large
                  << " ms" << std::endl;
        NS_TEST_EXPECT_MSG_GT(large, 155.47 * (1 + TOLERANCE), "unfused attention overcounted");

        // Same table, BERT-base s128 b1: 0.62 ms. With OverheadScale = 0 the model gives the
        // kernels' roofline time only; TensorRT still launches ~100 kernels of a few us each.
        const double base =
            ForwardSeconds(a100, "bert-base", DataType::FP16, 1, 128, 0.0, false) * 1e3;
        std::clog << "  gap: TensorRT bert-base b1 s128: published 0.62 ms, model " << base << " ms"
                  << std::endl;
        NS_TEST_EXPECT_MSG_LT(base, 0.62 * (1 - TOLERANCE), "fused runtime has no launch cost");

        // AITemplate table (see A100EagerBertTestCase), b32 s128: 9.11 ms. The eager overhead
        // is added to every kernel, while PyTorch dispatches asynchronously: once the GPU work
        // is comparable with the dispatch time the two overlap.
        const double mid =
            ForwardSeconds(a100, "bert-base", DataType::FP16, 32, 128, 1.0, true) * 1e3;
        std::clog << "  gap: eager bert-base encoder b32 s128: published 9.11 ms, model " << mid
                  << " ms" << std::endl;
        NS_TEST_EXPECT_MSG_GT(mid, 9.11 * (1 + TOLERANCE), "dispatch and kernels do not overlap");
    }
};

} // namespace

/**
 * \ingroup edge-llm-tests
 * Published end-to-end figures against the kernel-level compute model and the shipped catalog.
 */
class PublishedFiguresTestSuite : public TestSuite
{
  public:
    PublishedFiguresTestSuite()
        : TestSuite("edge-llm-published-figures", TestSuite::UNIT)
    {
        AddTestCase(new A100EagerBertTestCase);
        AddTestCase(new A100BertPretrainingTestCase);
        AddTestCase(new OrinDecodeTestCase);
        AddTestCase(new KnownGapsTestCase);
    }
};

/// Static instance that registers the suite.
static PublishedFiguresTestSuite g_publishedFiguresTestSuite;
