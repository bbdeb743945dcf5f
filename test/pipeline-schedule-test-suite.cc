/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/pipeline-schedule-builder.h"
#include "ns3/task-graph-timer.h"
#include "ns3/task-graph.h"
#include "ns3/test.h"

#include <algorithm>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/**
 * \return a pipeline of \p stages stages on devices 0..stages-1, \p microBatches micro-batches,
 *         forward tf and backward tb explicit durations per stage and micro-batch,
 *         activations of 1000 bytes and gradients of 800 bytes per boundary
 */
PipelineSpec
UniformSpec(PipelineSchedule schedule, uint32_t stages, uint32_t microBatches, Time tf, Time tb)
{
    PipelineSpec spec;
    spec.schedule = schedule;
    spec.microBatches = microBatches;
    for (uint32_t i = 0; i < stages; ++i)
    {
        spec.stageDevices.push_back(i);
        spec.forwardCosts.push_back(ComputeCost::FromDuration(tf));
        spec.backwardCosts.push_back(ComputeCost::FromDuration(tb));
        if (i + 1 < stages)
        {
            spec.activationBytes.push_back(1000);
            spec.gradientBytes.push_back(800);
        }
    }
    return spec;
}

/// \return the program of compute ids as "F0 F1 B0 ..." (optimizer "O")
std::string
ProgramOf(const TaskGraph& graph, const std::vector<uint32_t>& ids)
{
    std::string s;
    for (uint32_t id : ids)
    {
        const ComputeTask& t = graph.GetCompute(id);
        s += s.empty() ? "" : " ";
        if (t.kind == ComputeKind::OPTIMIZER)
        {
            s += "O";
            continue;
        }
        s += (t.kind == ComputeKind::FORWARD ? "F" : "B") + std::to_string(t.microBatch);
    }
    return s;
}

/// \return the largest number of micro-batches forwarded but not yet backwarded
uint32_t
PeakInFlight(const TaskGraph& graph, const std::vector<uint32_t>& ids)
{
    int32_t inFlight = 0;
    int32_t peak = 0;
    for (uint32_t id : ids)
    {
        const ComputeKind kind = graph.GetCompute(id).kind;
        inFlight += kind == ComputeKind::FORWARD ? 1 : (kind == ComputeKind::BACKWARD ? -1 : 0);
        peak = std::max(peak, inFlight);
    }
    return static_cast<uint32_t>(peak);
}

/// \return "" when every task of \p graph is an ancestor of one of \p lasts, else a message
std::string
CoveredByLast(const TaskGraph& graph, const std::vector<uint32_t>& lasts)
{
    for (uint32_t id = 0; id < graph.GetTaskCount(); ++id)
    {
        bool covered = false;
        for (uint32_t last : lasts)
        {
            covered = covered || (last != TaskGraph::NO_TASK && graph.IsAncestor(id, last));
        }
        if (!covered)
        {
            return "task " + graph.DescribeTask(id) + " precedes no last task";
        }
    }
    return "";
}

/// zero transfer time
Time
NoTransferTime(const TransferTask&)
{
    return Time(0);
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief The per-stage programs of GPipe and 1F1B.
 */
class PipelineProgramTestCase : public TestCase
{
  public:
    PipelineProgramTestCase()
        : TestCase("stage programs of GPipe and 1F1B")
    {
    }

  private:
    void DoRun() override
    {
        const auto F1B = PipelineSchedule::ONE_F_ONE_B;
        auto program = [](PipelineSchedule s, uint32_t depth, uint32_t stage, uint32_t m) {
            return PipelineScheduleBuilder::ProgramToString(
                PipelineScheduleBuilder::GetStageProgram(s, depth, stage, m));
        };
        // S=4, M=4. Stage i: w = min(S-i-1, M) warm-up forwards, then (F, B) M-w times,
        // then w backwards.
        // stage 0: w=3: F0 F1 F2 | F3 B0 | B1 B2 B3
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 4, 0, 4), "F0 F1 F2 F3 B0 B1 B2 B3", "stage 0");
        // stage 1: w=2: F0 F1 | F2 B0 F3 B1 | B2 B3
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 4, 1, 4), "F0 F1 F2 B0 F3 B1 B2 B3", "stage 1");
        // stage 2: w=1: F0 | F1 B0 F2 B1 F3 B2 | B3
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 4, 2, 4), "F0 F1 B0 F2 B1 F3 B2 B3", "stage 2");
        // stage 3: w=0: F0 B0 F1 B1 F2 B2 F3 B3
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 4, 3, 4), "F0 B0 F1 B1 F2 B2 F3 B3", "stage 3");
        // S=4, M=2 (fewer micro-batches than stages): w = min(3,2)=2 and min(2,2)=2 on
        // stages 0 and 1 (all forwards first), w=1 on stage 2, w=0 on stage 3
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 4, 0, 2), "F0 F1 B0 B1", "M<S stage 0");
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 4, 1, 2), "F0 F1 B0 B1", "M<S stage 1");
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 4, 2, 2), "F0 F1 B0 B1", "M<S stage 2");
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 4, 3, 2), "F0 B0 F1 B1", "M<S stage 3");
        // with a head the depth is S+1=5: the last device stage (3) warms up with 1 forward
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 5, 3, 4), "F0 F1 B0 F2 B1 F3 B2 B3", "head");
        // GPipe: every forward, then every backward
        NS_TEST_ASSERT_MSG_EQ(program(PipelineSchedule::GPIPE, 4, 2, 3),
                              "F0 F1 F2 B0 B1 B2",
                              "gpipe");
        NS_TEST_ASSERT_MSG_EQ(program(F1B, 1, 0, 3), "F0 B0 F1 B1 F2 B2", "single stage");

        PipelineSchedule parsed = PipelineSchedule::GPIPE;
        NS_TEST_ASSERT_MSG_EQ(ParsePipelineSchedule("1f1b", parsed), "", "parse 1f1b");
        NS_TEST_ASSERT_MSG_EQ((parsed == F1B), true, "parsed");
        NS_TEST_ASSERT_MSG_EQ(ParsePipelineSchedule("zb", parsed),
                              "schedule='zb' is not a known pipeline schedule; allowed: gpipe, "
                              "1f1b",
                              "unknown name");
        NS_TEST_ASSERT_MSG_EQ(PipelineScheduleToString(PipelineSchedule::GPIPE), "gpipe", "name");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Task counts, edges and the programs of a built S=4, M=4 pipeline.
 */
class PipelineStructureTestCase : public TestCase
{
  public:
    PipelineStructureTestCase()
        : TestCase("S=4, M=4: task counts, valid local edges, programs in the graph")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t S = 4;
        const uint32_t M = 4;
        for (auto schedule : {PipelineSchedule::GPIPE, PipelineSchedule::ONE_F_ONE_B})
        {
            TaskGraph g(S);
            PipelineTasks r =
                PipelineScheduleBuilder::Build(g,
                                               UniformSpec(schedule, S, M, Seconds(1), Seconds(2)));
            // S*M forwards + S*M backwards = 32 compute tasks;
            // 2*M*(S-1) = 24 transfers (activations and gradients)
            NS_TEST_ASSERT_MSG_EQ(g.GetComputeCount(), 2 * S * M, "32 compute tasks");
            NS_TEST_ASSERT_MSG_EQ(g.GetTransferCount(), 2 * M * (S - 1), "24 transfers");
            NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "valid");
            NS_TEST_ASSERT_MSG_EQ(g.ValidateLocality(), "", "local");
            // bytes: 4 micro-batches x 3 boundaries x 1000 B forward, x 800 B backward
            NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::ACTIVATION), 12000, "act");
            NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::GRADIENT), 9600, "grad");

            // every edge goes forward in the topological order
            const std::vector<uint32_t> order = g.GetTopologicalOrder();
            NS_TEST_ASSERT_MSG_EQ(order.size(), g.GetTaskCount(), "all ordered");
            std::vector<uint32_t> position(order.size());
            for (uint32_t k = 0; k < order.size(); ++k)
            {
                position[order[k]] = k;
            }
            for (uint32_t id = 0; id < g.GetTaskCount(); ++id)
            {
                for (uint32_t dep : g.GetDependencies(id))
                {
                    NS_TEST_ASSERT_MSG_LT(position[dep], position[id], "edge respected");
                }
            }
            // the data edges
            for (uint32_t i = 0; i < S; ++i)
            {
                for (uint32_t m = 0; m < M; ++m)
                {
                    const ComputeTask& f = g.GetCompute(r.forward[i][m]);
                    NS_TEST_ASSERT_MSG_EQ(f.device, i, "forward on its stage");
                    NS_TEST_ASSERT_MSG_EQ(f.stage, i, "stage stamped");
                    NS_TEST_ASSERT_MSG_EQ(f.microBatch, m, "micro-batch stamped");
                    NS_TEST_ASSERT_MSG_EQ(g.IsAncestor(r.forward[i][m], r.backward[i][m]),
                                          true,
                                          "F before B");
                    if (i + 1 < S)
                    {
                        const uint32_t act = r.activationTransfers[i][m];
                        NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(act).source, i, "act from i");
                        NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(act).destination, i + 1, "to i+1");
                        NS_TEST_ASSERT_MSG_EQ(g.GetDependencies(act)[0],
                                              r.forward[i][m],
                                              "act after F(i,m)");
                        const auto& next = g.GetDependencies(r.forward[i + 1][m]);
                        NS_TEST_ASSERT_MSG_EQ(std::count(next.begin(), next.end(), act),
                                              1,
                                              "F(i+1,m) after act");
                        const uint32_t grad = r.gradientTransfers[i][m];
                        NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(grad).source, i + 1, "grad from i+1");
                        NS_TEST_ASSERT_MSG_EQ(g.GetDependencies(grad)[0],
                                              r.backward[i + 1][m],
                                              "grad after B(i+1,m)");
                        const auto& back = g.GetDependencies(r.backward[i][m]);
                        NS_TEST_ASSERT_MSG_EQ(std::count(back.begin(), back.end(), grad),
                                              1,
                                              "B(i,m) after grad");
                    }
                }
                NS_TEST_ASSERT_MSG_EQ(
                    ProgramOf(g, r.program[i]),
                    PipelineScheduleBuilder::ProgramToString(
                        PipelineScheduleBuilder::GetStageProgram(schedule, S, i, M)),
                    "the graph encodes the program");
                NS_TEST_ASSERT_MSG_EQ(r.lastTask[i], r.program[i].back(), "last task");
            }
            NS_TEST_ASSERT_MSG_EQ(CoveredByLast(g, r.lastTask), "", "all tasks before a last");
            NS_TEST_ASSERT_MSG_EQ(g.GetCompute(r.forward[1][2]).label, "fwd s1 mb2", "label");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Makespans from the timer: the bubble formula, and activations in flight.
 */
class PipelineMakespanTestCase : public TestCase
{
  public:
    PipelineMakespanTestCase()
        : TestCase("GPipe and 1F1B: (M+S-1)(tf+tb) makespan; peak in-flight min(S-i,M) vs M")
    {
    }

  private:
    void DoRun() override
    {
        TaskGraphTimer timer(nullptr, &NoTransferTime);
        const Time tf = Seconds(1);
        const Time tb = Seconds(2);

        struct Case
        {
            uint32_t S;
            uint32_t M;
        };

        for (const Case& c : {Case{4, 4}, Case{4, 8}, Case{3, 2}, Case{1, 3}})
        {
            // classic bubble: (M + S - 1) * tf + (M + S - 1) * tb
            // S=4,M=4: 7*1 + 7*2 = 21 s; S=4,M=8: 11*3 = 33 s; S=3,M=2: 4*3 = 12 s;
            // S=1,M=3: 3*3 = 9 s
            const Time expected = (tf + tb) * static_cast<int64_t>(c.M + c.S - 1);
            for (auto schedule : {PipelineSchedule::GPIPE, PipelineSchedule::ONE_F_ONE_B})
            {
                TaskGraph g(c.S);
                PipelineTasks r =
                    PipelineScheduleBuilder::Build(g, UniformSpec(schedule, c.S, c.M, tf, tb));
                TaskGraphSchedule s;
                NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "valid");
                NS_TEST_ASSERT_MSG_EQ(s.makespan,
                                      expected,
                                      PipelineScheduleToString(schedule)
                                          << " S=" << c.S << " M=" << c.M);
                for (uint32_t i = 0; i < c.S; ++i)
                {
                    // the device ran exactly the program
                    NS_TEST_ASSERT_MSG_EQ(ProgramOf(g, s.deviceOrder[i]),
                                          ProgramOf(g, r.program[i]),
                                          "run order = program");
                    const uint32_t peak = PeakInFlight(g, s.deviceOrder[i]);
                    const uint32_t bound =
                        schedule == PipelineSchedule::GPIPE ? c.M : std::min(c.S - i, c.M);
                    NS_TEST_ASSERT_MSG_EQ(peak, bound, "peak in-flight activations");
                }
            }
        }
        {
            // S=4, M=4 1F1B peaks written out: min(4-i, 4) = 4, 3, 2, 1
            TaskGraph g(4);
            PipelineTasks r = PipelineScheduleBuilder::Build(
                g,
                UniformSpec(PipelineSchedule::ONE_F_ONE_B, 4, 4, tf, tb));
            NS_TEST_ASSERT_MSG_EQ(PeakInFlight(g, r.program[0]), 4, "stage 0");
            NS_TEST_ASSERT_MSG_EQ(PeakInFlight(g, r.program[1]), 3, "stage 1");
            NS_TEST_ASSERT_MSG_EQ(PeakInFlight(g, r.program[2]), 2, "stage 2");
            NS_TEST_ASSERT_MSG_EQ(PeakInFlight(g, r.program[3]), 1, "stage 3");
        }
        {
            // GPipe with a 0.5 s transfer per boundary (c <= tf, so links never queue):
            // forward fill (S-1)(tf+c), backward drain (S-1)(tb+c), plus M(tf+tb):
            // 3*(1.5) + 3*(2.5) + 4*3 = 4.5 + 7.5 + 12 = 24 s
            TaskGraph g(4);
            PipelineScheduleBuilder::Build(g, UniformSpec(PipelineSchedule::GPIPE, 4, 4, tf, tb));
            TaskGraphTimer linked(nullptr, TaskGraphTimer::ConstantTransferTime(MilliSeconds(500)));
            NS_TEST_ASSERT_MSG_EQ(linked.GetMakespan(g), Seconds(24), "with transfer time");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Source, head, optimizer, after lists.
 */
class PipelineSourceHeadTestCase : public TestCase
{
  public:
    PipelineSourceHeadTestCase()
        : TestCase("source feeding stage 0, head after the last stage, optimizers, after")
    {
    }

  private:
    void DoRun() override
    {
        // devices: 0..3 stages, 4 control unit (source), 5 server (head)
        const uint32_t S = 4;
        const uint32_t M = 4;
        TaskGraph g(6);
        const uint32_t before = g.AddCompute([] {
            ComputeTask t;
            t.device = 5;
            t.duration = Seconds(0);
            t.label = "round start";
            return t;
        }());
        PipelineSpec spec =
            UniformSpec(PipelineSchedule::ONE_F_ONE_B, S, M, Seconds(1), Seconds(2));
        spec.label = "c0";
        PipelineSource source;
        source.device = 4;
        source.inputBytes = 500;
        source.forwardCost = ComputeCost::FromDuration(MilliSeconds(100));
        source.gradientBytes = 500;
        source.backwardCost = ComputeCost::FromDuration(MilliSeconds(100));
        source.optimizerCost = ComputeCost::FromDuration(MilliSeconds(10));
        spec.source = source;
        PipelineHead head;
        head.device = 5;
        head.activationBytes = 1000;
        head.gradientBytes = 1000;
        head.lossCost = ComputeCost::FromDuration(Seconds(3));
        head.optimizerCost = ComputeCost::FromDuration(Seconds(1));
        spec.head = head;
        spec.optimizerCosts.assign(S, ComputeCost::FromDuration(MilliSeconds(50)));
        spec.afterOnDevice[5] = {before};
        NS_TEST_ASSERT_MSG_EQ(PipelineScheduleBuilder::Validate(g, spec), "", "valid spec");
        PipelineTasks r = PipelineScheduleBuilder::Build(g, spec);

        // compute: 32 F/B + 4 emb + 4 emb-bwd + 4 loss + 4 stage optimizers + source and head
        // optimizers = 50, plus the task added before
        NS_TEST_ASSERT_MSG_EQ(g.GetComputeCount(), 1 + 32 + 4 + 4 + 4 + 4 + 2, "compute count");
        // transfers: 24 between stages + 4 inputs + 4 input gradients + 4 head activations +
        // 4 head gradients = 40
        NS_TEST_ASSERT_MSG_EQ(g.GetTransferCount(), 24 + 4 + 4 + 4 + 4, "transfer count");
        NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "valid");
        NS_TEST_ASSERT_MSG_EQ(g.ValidateLocality(), "", "local: afterOnDevice on the head");
        // bytes: activations 12000 + inputs 4*500 + head 4*1000 = 18000;
        // gradients 9600 + 4*500 + 4*1000 = 15600
        NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::ACTIVATION), 18000, "act bytes");
        NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::GRADIENT), 15600, "grad bytes");

        NS_TEST_ASSERT_MSG_EQ(r.loss.size(), M, "one loss per micro-batch");
        NS_TEST_ASSERT_MSG_EQ((g.GetCompute(r.loss[2]).kind == ComputeKind::LOSS), true, "LOSS");
        NS_TEST_ASSERT_MSG_EQ(g.GetCompute(r.loss[2]).label, "c0 loss mb2", "prefixed label");
        NS_TEST_ASSERT_MSG_EQ(g.GetCompute(r.loss[0]).stage, ComputeTask::NO_STAGE, "no stage");
        NS_TEST_ASSERT_MSG_EQ(g.IsAncestor(before, r.loss[0]), true, "after on the head");
        NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(r.inputTransfers[1]).destination, 0, "to stage 0");
        NS_TEST_ASSERT_MSG_EQ(g.GetDependencies(r.inputTransfers[1])[0],
                              r.sourceForward[1],
                              "input after its embedding");
        NS_TEST_ASSERT_MSG_EQ(r.headLastTask, r.headOptimizer, "head ends with its optimizer");
        NS_TEST_ASSERT_MSG_EQ(r.sourceLastTask, r.sourceOptimizer, "source too");
        NS_TEST_ASSERT_MSG_EQ(r.lastTask[3], r.optimizer[3], "stage ends with its optimizer");
        NS_TEST_ASSERT_MSG_EQ(ProgramOf(g, r.program[3]),
                              "F0 F1 B0 F2 B1 F3 B2 B3 O",
                              "head adds one warm-up forward to the last stage");
        std::vector<uint32_t> lasts = r.lastTask;
        lasts.push_back(r.sourceLastTask);
        lasts.push_back(r.headLastTask);
        NS_TEST_ASSERT_MSG_EQ(CoveredByLast(g, lasts), "", "all tasks before a last task");

        TaskGraphTimer timer(nullptr, &NoTransferTime);
        TaskGraphSchedule s;
        NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "schedulable");
        NS_TEST_ASSERT_MSG_EQ(ProgramOf(g, s.deviceOrder[2]),
                              ProgramOf(g, r.program[2]),
                              "stage 2 runs its program");
        // the head runs the losses in order, then its optimizer
        NS_TEST_ASSERT_MSG_EQ(s.deviceOrder[5].size(), 1 + M + 1, "round start, 4 losses, opt");
        NS_TEST_ASSERT_MSG_EQ(s.deviceOrder[5][4], r.loss[3], "loss 3 last but the optimizer");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Every bad input of PipelineScheduleBuilder::Validate.
 */
class PipelineBadInputTestCase : public TestCase
{
  public:
    PipelineBadInputTestCase()
        : TestCase("pipeline spec problems are named")
    {
    }

  private:
    void DoRun() override
    {
        TaskGraph g(4);
        const auto good = UniformSpec(PipelineSchedule::GPIPE, 3, 2, Seconds(1), Seconds(1));
        NS_TEST_ASSERT_MSG_EQ(PipelineScheduleBuilder::Validate(g, good), "", "good spec");
        auto check = [&g](const PipelineSpec& spec) {
            return PipelineScheduleBuilder::Validate(g, spec);
        };
        {
            PipelineSpec s = good;
            s.stageDevices.clear();
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "stageDevices is empty: a pipeline needs at least one stage",
                                  "no stages");
        }
        {
            PipelineSpec s = good;
            s.microBatches = 0;
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "microBatches=0 is invalid: must be a positive integer",
                                  "no micro-batches");
        }
        {
            PipelineSpec s = good;
            s.stageDevices[2] = 7;
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "stageDevices[2]=7 is not in the fleet; allowed: 0..3",
                                  "device outside the fleet");
        }
        {
            PipelineSpec s = good;
            s.stageDevices[2] = 0;
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "device 0 is used twice (stageDevices[0] and stageDevices[2]): "
                                  "every stage, the source and the head need their own device",
                                  "shared device");
        }
        {
            PipelineSpec s = good;
            s.forwardCosts.pop_back();
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "forwardCosts has 2 entries but the pipeline has 3 stages",
                                  "forward costs size");
        }
        {
            PipelineSpec s = good;
            s.backwardCosts.push_back(ComputeCost());
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "backwardCosts has 4 entries but the pipeline has 3 stages",
                                  "backward costs size");
        }
        {
            PipelineSpec s = good;
            s.activationBytes = {1000, 1000, 1000};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "activationBytes has 3 entries but the pipeline has 2 stage "
                                  "boundaries (stages - 1)",
                                  "activation sizes");
        }
        {
            PipelineSpec s = good;
            s.gradientBytes = {1000};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "gradientBytes has 1 entries but the pipeline has 2 stage "
                                  "boundaries (stages - 1)",
                                  "gradient sizes");
        }
        {
            PipelineSpec s = good;
            s.optimizerCosts = {ComputeCost()};
            NS_TEST_ASSERT_MSG_EQ((check(s).find("optimizerCosts has 1 entries") == 0),
                                  true,
                                  check(s));
        }
        {
            PipelineSpec s = good;
            s.forwardCosts[1].flops = -5;
            NS_TEST_ASSERT_MSG_EQ(
                check(s),
                "forwardCosts[1].flops=-5 is invalid: must be a finite number >= 0",
                "negative flops");
        }
        {
            PipelineSpec s = good;
            s.activationBytes[1] = 0;
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "activationBytes[1]=0 is invalid: must be a positive number of "
                                  "bytes",
                                  "zero activation");
        }
        {
            PipelineSpec s = good;
            PipelineSource src;
            src.device = 3;
            s.source = src;
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "source.inputBytes=0 is invalid: must be a positive number of "
                                  "bytes",
                                  "source without bytes");
            s.source->inputBytes = 10;
            s.source->backwardCost = ComputeCost();
            NS_TEST_ASSERT_MSG_EQ((check(s).find("source.backwardCost is set but "
                                                 "source.gradientBytes=0") == 0),
                                  true,
                                  check(s));
            s.source->device = 1;
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "device 1 is used twice (stageDevices[1] and source.device): "
                                  "every stage, the source and the head need their own device",
                                  "source on a stage device");
        }
        {
            PipelineSpec s = good;
            PipelineHead h;
            h.device = 3;
            h.activationBytes = 10;
            s.head = h;
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "head.gradientBytes=0 is invalid: must be a positive number of "
                                  "bytes",
                                  "head without gradient");
            s.head->device = 9;
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "head.device=9 is not in the fleet; allowed: 0..3",
                                  "head outside the fleet");
        }
        {
            PipelineSpec s = good;
            s.after = {0};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "after[0]=0 is not a task id of the graph; allowed: none (the "
                                  "graph has no tasks)",
                                  "after in an empty graph");
        }
        {
            PipelineSpec s = good;
            s.afterOnDevice[3] = {};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "afterOnDevice has device 3, which the pipeline does not use; "
                                  "devices used: 0, 1, 2",
                                  "after on an unused device");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The suite.
 */
class PipelineScheduleTestSuite : public TestSuite
{
  public:
    PipelineScheduleTestSuite()
        : TestSuite("edge-llm-pipeline-schedule", TestSuite::UNIT)
    {
        AddTestCase(new PipelineProgramTestCase);
        AddTestCase(new PipelineStructureTestCase);
        AddTestCase(new PipelineMakespanTestCase);
        AddTestCase(new PipelineSourceHeadTestCase);
        AddTestCase(new PipelineBadInputTestCase);
    }
};

/// the suite's instance
static PipelineScheduleTestSuite g_pipelineScheduleTestSuite;
