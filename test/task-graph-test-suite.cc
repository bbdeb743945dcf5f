/* SPDX-License-Identifier: GPL-2.0-only */
#include "edge-llm-test-utils.h"

#include "ns3/task-graph.h"
#include "ns3/test.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// \return a compute task on \p device labelled \p label with an explicit duration of 1 s
ComputeTask
Compute(uint32_t device, const std::string& label)
{
    ComputeTask task;
    task.device = device;
    task.kind = ComputeKind::FORWARD;
    task.duration = Seconds(1);
    task.label = label;
    return task;
}

/// \return a transfer of \p bytes from \p source to \p destination labelled \p label
TransferTask
Transfer(uint32_t source, uint32_t destination, uint64_t bytes, const std::string& label)
{
    return MakeLabelledTransfer(source, destination, bytes, label, TransferKind::ACTIVATION);
}

/// \return true when \p text contains \p part
bool
Contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief Adding tasks: ids, accessors, totals, descriptions, a valid graph.
 */
class TaskGraphAddTestCase : public TestCase
{
  public:
    TaskGraphAddTestCase()
        : TestCase("add tasks, read them back, totals and a valid graph")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<TaskGraph> g = Create<TaskGraph>(std::vector<std::string>{"phone", "tablet", "server"});
        NS_TEST_ASSERT_MSG_EQ(g->GetDeviceCount(), 3, "three named devices");
        NS_TEST_ASSERT_MSG_EQ(g->GetDeviceName(2), "server", "device name");

        ComputeTask f = Compute(0, "fwd");
        f.flops = 1e9;
        f.memoryBytes = 4e6;
        const uint32_t a = g->AddCompute(f);
        const uint32_t t = g->AddTransfer(Transfer(0, 2, 1000, "act"), {a});
        TransferTask grad = Transfer(2, 0, 300, "grad");
        grad.kind = TransferKind::GRADIENT;
        ComputeTask loss = Compute(2, "");
        loss.kind = ComputeKind::LOSS;
        loss.flops = 5e8;
        const uint32_t l = g->AddCompute(loss, {t});
        const uint32_t back = g->AddTransfer(grad, {l});
        const uint32_t b = g->AddCompute(Compute(0, "bwd"), {back, a});
        // a second identical edge changes nothing
        g->AddDependency(back, b);

        NS_TEST_ASSERT_MSG_EQ(a, 0, "ids start at 0");
        NS_TEST_ASSERT_MSG_EQ(b, 4, "ids are consecutive");
        NS_TEST_ASSERT_MSG_EQ(g->GetTaskCount(), 5, "5 tasks");
        NS_TEST_ASSERT_MSG_EQ(g->GetComputeCount(), 3, "3 compute tasks");
        NS_TEST_ASSERT_MSG_EQ(g->GetTransferCount(), 2, "2 transfers");
        NS_TEST_ASSERT_MSG_EQ(g->IsCompute(a), true, "a is compute");
        NS_TEST_ASSERT_MSG_EQ(g->IsCompute(t), false, "t is a transfer");
        NS_TEST_ASSERT_MSG_EQ((g->GetCompute(l).kind == ComputeKind::LOSS), true, "kind kept");
        NS_TEST_ASSERT_MSG_EQ(g->GetTransfer(t).bytes, 1000, "bytes kept");
        NS_TEST_ASSERT_MSG_EQ(g->GetCompute(a).HasExplicitDuration(), true, "explicit");
        NS_TEST_ASSERT_MSG_EQ(ComputeTask().HasExplicitDuration(), false, "default: model");

        NS_TEST_ASSERT_MSG_EQ(g->GetDependencies(b).size(), 2, "b waits for 2 tasks");
        NS_TEST_ASSERT_MSG_EQ(g->GetDependencies(b)[0], back, "in the order added");
        NS_TEST_ASSERT_MSG_EQ(g->GetDependencies(b)[1], a, "in the order added");
        NS_TEST_ASSERT_MSG_EQ(g->GetSuccessors(a).size(), 2, "a precedes t and b");
        NS_TEST_ASSERT_MSG_EQ(g->GetSuccessors(a)[0], t, "t first");
        NS_TEST_ASSERT_MSG_EQ(g->GetSuccessors(a)[1], b, "then b");
        NS_TEST_ASSERT_MSG_EQ(g->GetStartDevice(t), 0, "a transfer starts on its source");
        NS_TEST_ASSERT_MSG_EQ(g->GetEndDevice(t), 2, "and ends on its destination");

        // totals: 1000 + 300 bytes; 1e9 + 5e8 + 0 flops
        NS_TEST_ASSERT_MSG_EQ(g->GetTotalTransferBytes(), 1300, "total bytes");
        NS_TEST_ASSERT_MSG_EQ(g->GetTransferBytes(TransferKind::ACTIVATION), 1000, "activations");
        NS_TEST_ASSERT_MSG_EQ(g->GetTransferBytes(TransferKind::GRADIENT), 300, "gradients");
        NS_TEST_ASSERT_MSG_EQ(g->GetTransferBytes(TransferKind::BROADCAST), 0, "none");
        NS_TEST_ASSERT_MSG_EQ(g->GetBytesSent(0), 1000, "device 0 sends the activation");
        NS_TEST_ASSERT_MSG_EQ(g->GetBytesReceived(0), 300, "and receives the gradient");
        NS_TEST_ASSERT_MSG_EQ(g->GetBytesSent(1), 0, "device 1 is idle");
        NS_TEST_ASSERT_MSG_EQ_TOL(g->GetTotalFlops(), 1.5e9, 1, "total flops");
        NS_TEST_ASSERT_MSG_EQ(JoinIds(g->GetComputeTasks(0)), "0 4", "on 0");
        NS_TEST_ASSERT_MSG_EQ(JoinIds(g->GetOutgoingTransfers(2)), "3", "from 2");
        NS_TEST_ASSERT_MSG_EQ(JoinIds(g->GetIncomingTransfers(2)), "1", "to 2");

        NS_TEST_ASSERT_MSG_EQ(g->DescribeTask(t), "1 (act)", "label");
        NS_TEST_ASSERT_MSG_EQ(g->DescribeTask(l), "2 (loss on server)", "no label: kind, device");
        NS_TEST_ASSERT_MSG_EQ(g->DescribeTask(9), "9 (no such task)", "unknown id");

        NS_TEST_ASSERT_MSG_EQ(g->Validate(), "", "valid graph");
        NS_TEST_ASSERT_MSG_EQ(g->ValidateLocality(), "", "every dependency is local");
        NS_TEST_ASSERT_MSG_EQ(g->IsAncestor(a, b), true, "a precedes b");
        NS_TEST_ASSERT_MSG_EQ(g->IsAncestor(t, back), true, "t precedes back through l");
        NS_TEST_ASSERT_MSG_EQ(g->IsAncestor(b, a), false, "not backwards");
        NS_TEST_ASSERT_MSG_EQ(g->IsAncestor(a, a), true, "a task is its own ancestor");

        NS_TEST_ASSERT_MSG_EQ(ComputeKindToString(ComputeKind::AGGREGATE), "aggregate", "name");
        NS_TEST_ASSERT_MSG_EQ(TransferKindToString(TransferKind::REDUCE_SCATTER),
                              "reduce-scatter",
                              "name");
        NS_TEST_ASSERT_MSG_EQ(TransferKindToString(TransferKind::ALL_GATHER), "all-gather", "name");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Cycles are found and named.
 */
class TaskGraphCycleTestCase : public TestCase
{
  public:
    TaskGraphCycleTestCase()
        : TestCase("a cycle is reported with the tasks on it")
    {
    }

  private:
    void DoRun() override
    {
        TaskGraph g(2);
        const uint32_t s = g.AddCompute(Compute(0, "start"));
        const uint32_t a = g.AddCompute(Compute(0, "fwd mb0 stage1"), {s});
        const uint32_t t = g.AddTransfer(Transfer(0, 1, 10, "act mb0"), {a});
        const uint32_t c = g.AddCompute(Compute(1, "fwd mb0 stage2"), {t});
        const uint32_t d = g.AddCompute(Compute(1, "after"), {c});
        NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "acyclic so far");
        g.AddDependency(c, a); // closes a -> t -> c -> a; d hangs below the cycle
        NS_TEST_ASSERT_MSG_EQ(
            g.Validate(),
            "task graph has a cycle: 1 (fwd mb0 stage1) -> 2 (act mb0) -> 3 (fwd mb0 stage2) -> 1",
            "the cycle, from its lowest id");
        // Kahn's algorithm orders only the task before the cycle
        NS_TEST_ASSERT_MSG_EQ(JoinIds(g.GetTopologicalOrder()), "0", "partial order");
        NS_TEST_ASSERT_MSG_EQ(s, 0, "s exists");
        NS_TEST_ASSERT_MSG_EQ(d, 4, "d exists");

        TaskGraph self(1);
        const uint32_t x = self.AddCompute(Compute(0, "x"));
        self.AddDependency(x, x);
        NS_TEST_ASSERT_MSG_EQ(self.Validate(), "task graph has a cycle: 0 (x) -> 0", "self loop");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Every bad-input message of Validate.
 */
class TaskGraphBadInputTestCase : public TestCase
{
  public:
    TaskGraphBadInputTestCase()
        : TestCase("Validate names the task and the problem")
    {
    }

  private:
    void DoRun() override
    {
        {
            TaskGraph g(4);
            g.AddCompute(Compute(3, "ok"));
            g.AddCompute(Compute(7, "fwd s7"));
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "task 1 (fwd s7): device=7 is not in the fleet; allowed: 0..3",
                                  "unknown device");
        }
        {
            TaskGraph g(4);
            g.AddTransfer(Transfer(0, 4, 10, "out"));
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "task 0 (out): destination=4 is not in the fleet; allowed: 0..3",
                                  "unknown destination");
        }
        {
            TaskGraph g(4);
            g.AddTransfer(Transfer(9, 0, 10, "in"));
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "task 0 (in): source=9 is not in the fleet; allowed: 0..3",
                                  "unknown source");
        }
        {
            TaskGraph g(4);
            g.AddTransfer(Transfer(2, 2, 10, "loop"));
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "task 0 (loop): source=destination=2 is invalid: a transfer must "
                                  "go to another device",
                                  "self transfer");
        }
        {
            TaskGraph g(4);
            g.AddTransfer(Transfer(0, 1, 0, "empty"));
            NS_TEST_ASSERT_MSG_EQ(Contains(g.Validate(), "task 0 (empty): bytes=0 is invalid"),
                                  true,
                                  g.Validate());
        }
        {
            TaskGraph g(4);
            ComputeTask c = Compute(0, "neg");
            c.flops = -1;
            g.AddCompute(c);
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "task 0 (neg): flops=-1 is invalid: must be a finite number >= 0",
                                  "negative flops");
        }
        {
            TaskGraph g(4);
            ComputeTask c = Compute(0, "nan");
            c.memoryBytes = std::numeric_limits<double>::quiet_NaN();
            g.AddCompute(c);
            NS_TEST_ASSERT_MSG_EQ(
                Contains(g.Validate(), "task 0 (nan): memoryBytes=nan is invalid"),
                true,
                g.Validate());
        }
        {
            TaskGraph g(4);
            ComputeTask c = Compute(0, "late");
            c.duration = Seconds(-2);
            g.AddCompute(c);
            NS_TEST_ASSERT_MSG_EQ(Contains(g.Validate(), "task 0 (late): duration=-2"),
                                  true,
                                  g.Validate());
            NS_TEST_ASSERT_MSG_EQ(Contains(g.Validate(), "must be >= 0"), true, g.Validate());
        }
        {
            // unknown dependency ids are recorded, not a crash
            TaskGraph g(2);
            g.AddCompute(Compute(0, "a"));
            g.AddCompute(Compute(0, "b"));
            const uint32_t c = g.AddCompute(Compute(1, "c"), {0, 5});
            NS_TEST_ASSERT_MSG_EQ(JoinIds(g.GetDependencies(c)), "0", "valid dep kept");
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "task 2 (c): dependency 5 is not a task id; allowed: 0..1",
                                  "unknown dependency at add time");
        }
        {
            TaskGraph g(2);
            g.AddCompute(Compute(0, "a"), {0});
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "task 0 (a): dependency 0 is not a task id; allowed: none (the "
                                  "graph has no tasks added before it)",
                                  "a task cannot wait for itself at creation");
        }
        {
            TaskGraph g(2);
            g.AddCompute(Compute(0, "a"));
            g.AddCompute(Compute(0, "b"));
            g.AddDependency(9, 1);
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "task 1 (b): dependency 9 is not a task id; allowed: 0..1",
                                  "AddDependency with an unknown before");
        }
        {
            TaskGraph g(2);
            g.AddCompute(Compute(0, "a"));
            g.AddDependency(0, 3);
            NS_TEST_ASSERT_MSG_EQ(g.Validate(),
                                  "AddDependency(0, 3): after=3 is not a task id; allowed: 0..0",
                                  "AddDependency with an unknown after");
        }
        {
            TaskGraph g(0u);
            NS_TEST_ASSERT_MSG_EQ(
                g.Validate(),
                "deviceCount=0 is invalid: a task graph needs at least one device",
                "no devices");
        }
        {
            // the first problem by task id wins
            TaskGraph g(2);
            g.AddTransfer(Transfer(1, 1, 5, "first"));
            g.AddCompute(Compute(5, "second"));
            NS_TEST_ASSERT_MSG_EQ(Contains(g.Validate(), "task 0 (first)"), true, g.Validate());
        }
        NS_TEST_ASSERT_MSG_EQ(ValidateComputeCost("forwardCosts[2]", ComputeCost::FromFlops(-1, 0)),
                              "forwardCosts[2].flops=-1 is invalid: must be a finite number >= 0",
                              "ComputeCost check");
        NS_TEST_ASSERT_MSG_EQ(ValidateComputeCost("c", ComputeCost::FromDuration(Seconds(0))),
                              "",
                              "zero duration is explicit and valid");
        NS_TEST_ASSERT_MSG_EQ(ValidateComputeCost("c", ComputeCost()), "", "default: model");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Kahn's algorithm, lowest id first, respects every edge.
 */
class TaskGraphTopologicalOrderTestCase : public TestCase
{
  public:
    TaskGraphTopologicalOrderTestCase()
        : TestCase("topological order: deterministic and respects every edge")
    {
    }

  private:
    void DoRun() override
    {
        // Hand example: edges 2->0, 3->1, 0->1. Ready {2,3}: take 2; ready {0,3}: take 0;
        // 1 still waits for 3; take 3; then 1.
        TaskGraph small(1);
        for (uint32_t k = 0; k < 4; ++k)
        {
            small.AddCompute(Compute(0, "t" + std::to_string(k)));
        }
        small.AddDependency(2, 0);
        small.AddDependency(3, 1);
        small.AddDependency(0, 1);
        NS_TEST_ASSERT_MSG_EQ(JoinIds(small.GetTopologicalOrder()),
                              "2 0 3 1",
                              "lowest ready id first");

        // A larger graph whose edges follow a hidden order that is not the id order.
        const uint32_t n = 300;
        std::vector<uint32_t> hidden(n); // hidden[rank] = task id
        uint64_t state = 12345;
        auto next = [&state]() {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            return static_cast<uint32_t>(state >> 33);
        };
        for (uint32_t k = 0; k < n; ++k)
        {
            hidden[k] = k;
        }
        for (uint32_t k = n - 1; k > 0; --k)
        {
            std::swap(hidden[k], hidden[next() % (k + 1)]);
        }
        TaskGraph g(3);
        for (uint32_t k = 0; k < n; ++k)
        {
            if (k % 3 == 0)
            {
                g.AddTransfer(Transfer(k % 2, 2, 1 + k, "x"));
            }
            else
            {
                g.AddCompute(Compute(k % 3, "c"));
            }
        }
        uint32_t edges = 0;
        for (uint32_t r = 1; r < n; ++r)
        {
            for (uint32_t e = 0; e < 3; ++e)
            {
                g.AddDependency(hidden[next() % r], hidden[r]);
                ++edges;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "acyclic by construction");
        const std::vector<uint32_t> order = g.GetTopologicalOrder();
        NS_TEST_ASSERT_MSG_EQ(order.size(), n, "every task ordered");
        std::vector<uint32_t> position(n);
        for (uint32_t k = 0; k < n; ++k)
        {
            position[order[k]] = k;
        }
        uint32_t checked = 0;
        for (uint32_t id = 0; id < n; ++id)
        {
            for (uint32_t dep : g.GetDependencies(id))
            {
                NS_TEST_ASSERT_MSG_LT(position[dep], position[id], "edge respected");
                ++checked;
            }
        }
        NS_TEST_ASSERT_MSG_GT(checked, n, "many edges checked");
        NS_TEST_ASSERT_MSG_EQ(JoinIds(g.GetTopologicalOrder()), JoinIds(order), "deterministic");
        NS_TEST_ASSERT_MSG_GT(edges, 0, "edges added");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Remote dependencies are reported.
 */
class TaskGraphLocalityTestCase : public TestCase
{
  public:
    TaskGraphLocalityTestCase()
        : TestCase("ValidateLocality reports a dependency without a transfer")
    {
    }

  private:
    void DoRun() override
    {
        TaskGraph g(2);
        const uint32_t a = g.AddCompute(Compute(0, "fwd s0"));
        g.AddCompute(Compute(1, "fwd s1"), {a});
        NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "valid");
        NS_TEST_ASSERT_MSG_EQ(g.ValidateLocality(),
                              "dependency 0 -> 1 is remote: 0 (fwd s0) finishes on device 0 but 1 "
                              "(fwd s1) starts on device 1; connect them with a transfer",
                              "remote dependency");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The suite.
 */
class TaskGraphTestSuite : public TestSuite
{
  public:
    TaskGraphTestSuite()
        : TestSuite("edge-llm-task-graph", TestSuite::UNIT)
    {
        AddTestCase(new TaskGraphAddTestCase);
        AddTestCase(new TaskGraphCycleTestCase);
        AddTestCase(new TaskGraphBadInputTestCase);
        AddTestCase(new TaskGraphTopologicalOrderTestCase);
        AddTestCase(new TaskGraphLocalityTestCase);
    }
};

/// the suite's instance
static TaskGraphTestSuite g_taskGraphTestSuite;
