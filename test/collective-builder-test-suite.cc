/* SPDX-License-Identifier: GPL-2.0-only */
#include "ns3/collective-builder.h"
#include "ns3/task-graph-timer.h"
#include "ns3/task-graph.h"
#include "ns3/test.h"

#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::edgellm;

namespace
{

/// \return "a b c" for a list of numbers
template <typename T>
std::string
Str(const std::vector<T>& values)
{
    std::string s;
    for (const T& v : values)
    {
        s += (s.empty() ? "" : " ") + std::to_string(v);
    }
    return s;
}

/// \return bytes of the transfers of one step, by sending member
std::string
StepBytes(const TaskGraph& graph, const std::vector<uint32_t>& step)
{
    std::vector<uint64_t> bytes;
    for (uint32_t id : step)
    {
        bytes.push_back(id == TaskGraph::NO_TASK ? 0 : graph.GetTransfer(id).bytes);
    }
    return Str(bytes);
}

/// \return "" when every task is an ancestor of a task of \p last, else a message
std::string
CoveredByLast(const TaskGraph& graph, const std::vector<std::vector<uint32_t>>& last)
{
    for (uint32_t id = 0; id < graph.GetTaskCount(); ++id)
    {
        bool covered = false;
        for (const auto& list : last)
        {
            for (uint32_t l : list)
            {
                covered = covered || graph.IsAncestor(id, l);
            }
        }
        if (!covered)
        {
            return "task " + graph.DescribeTask(id) + " precedes no last task";
        }
    }
    return "";
}

/// \return a timer with free compute and 1 s per transfer
TaskGraphTimer
UnitLinkTimer()
{
    return TaskGraphTimer([](const ComputeTask&) { return Time(0); },
                          TaskGraphTimer::ConstantTransferTime(Seconds(1)));
}

} // namespace

/**
 * \ingroup edge-llm-tests
 * \brief Ring AllReduce with equal shares.
 */
class RingEqualTestCase : public TestCase
{
  public:
    RingEqualTestCase()
        : TestCase("ring AllReduce, N=4, equal shares: counts, bytes, makespan 2(N-1)")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t N = 4;
        const uint64_t B = 4000;
        TaskGraph g(N);
        RingSpec spec;
        spec.group = {0, 1, 2, 3};
        spec.shares = {0.25, 0.25, 0.25, 0.25};
        spec.totalBytes = B;
        spec.label = "ar";
        NS_TEST_ASSERT_MSG_EQ(CollectiveBuilder::ValidateRing(g, spec), "", "valid");
        CollectiveTasks r = CollectiveBuilder::AllReduce(g, spec);
        NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "valid graph");
        NS_TEST_ASSERT_MSG_EQ(g.ValidateLocality(), "", "local");
        // 2(N-1) = 6 sends per member, N members: 24 transfers; (N-1) reductions per member
        NS_TEST_ASSERT_MSG_EQ(r.transfers.size(), 2 * (N - 1) * N, "24 transfers");
        NS_TEST_ASSERT_MSG_EQ(r.steps.size(), 2 * (N - 1), "6 steps");
        NS_TEST_ASSERT_MSG_EQ(r.aggregates.size(), (N - 1) * N, "12 reductions");
        for (uint32_t d = 0; d < N; ++d)
        {
            NS_TEST_ASSERT_MSG_EQ(g.GetOutgoingTransfers(d).size(), 2 * (N - 1), "6 sends");
            for (uint32_t id : g.GetOutgoingTransfers(d))
            {
                NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(id).bytes, B / N, "each bytes/N = 1000");
                NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(id).destination, (d + 1) % N, "to the next");
            }
        }
        // 2(N-1) * B = 6 * 4000 = 24000 bytes in all, half per phase
        NS_TEST_ASSERT_MSG_EQ(g.GetTotalTransferBytes(), 2 * (N - 1) * B, "total bytes");
        NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::REDUCE_SCATTER), 12000, "RS");
        NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::ALL_GATHER), 12000, "AG");
        // a reduction adds 1000 B / 4 B = 250 FP32 elements
        const ComputeTask& agg = g.GetCompute(r.aggregates[0]);
        NS_TEST_ASSERT_MSG_EQ((agg.kind == ComputeKind::AGGREGATE), true, "aggregate");
        NS_TEST_ASSERT_MSG_EQ_TOL(agg.flops, 250, 1e-9, "elements added");
        NS_TEST_ASSERT_MSG_EQ_TOL(agg.memoryBytes, 3000, 1e-9, "read 2, write 1");
        NS_TEST_ASSERT_MSG_EQ(CoveredByLast(g, r.last), "", "every task before a last task");
        NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(r.steps[0][2]).label, "ar rs step0 2->3", "label");
        NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(r.steps[3][0]).label, "ar ag step0 0->1", "label");

        // unit link time, free compute: one time unit per step, 2(N-1) = 6
        NS_TEST_ASSERT_MSG_EQ(UnitLinkTimer().GetMakespan(g), Seconds(6), "2(N-1) steps");
        // with 0.5 s per reduction: ReduceScatter steps take 1.5 s, AllGather steps 1 s:
        // 3 * 1.5 + 3 * 1 = 7.5 s
        TaskGraphTimer slowAdd([](const ComputeTask&) { return MilliSeconds(500); },
                               TaskGraphTimer::ConstantTransferTime(Seconds(1)));
        NS_TEST_ASSERT_MSG_EQ(slowAdd.GetMakespan(g), MilliSeconds(7500), "with reductions");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Ring collectives with uneven shares.
 */
class RingUnevenTestCase : public TestCase
{
  public:
    RingUnevenTestCase()
        : TestCase("ring with uneven shares: exact bytes per step and a hand-computed makespan")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint64_t> chunks;
        // 1/3 each of 1000: boundaries round(333.3)=333, round(666.7)=667, 1000
        NS_TEST_ASSERT_MSG_EQ(
            CollectiveBuilder::SharesToChunkBytes({1.0 / 3, 1.0 / 3, 1.0 / 3}, 1000, chunks),
            "",
            "thirds");
        NS_TEST_ASSERT_MSG_EQ(Str(chunks), "333 334 333", "thirds sum to 1000");
        NS_TEST_ASSERT_MSG_EQ(CollectiveBuilder::SharesToChunkBytes({0.1, 0.2, 0.7}, 10, chunks),
                              "",
                              "tenths");
        NS_TEST_ASSERT_MSG_EQ(Str(chunks), "1 2 7", "tenths");

        // N=3, chunks 500, 300, 200 (shares 0.5, 0.3, 0.2 of 1000)
        TaskGraph g(3);
        RingSpec spec;
        spec.group = {0, 1, 2};
        spec.shares = {0.5, 0.3, 0.2};
        spec.totalBytes = 1000;
        CollectiveTasks r = CollectiveBuilder::AllReduce(g, spec);
        NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "valid");
        // ReduceScatter step k: member j sends chunk (j-k-1) mod 3
        //   step 0: 0 sends chunk 2 (200), 1 sends chunk 0 (500), 2 sends chunk 1 (300)
        //   step 1: 0 sends chunk 1 (300), 1 sends chunk 2 (200), 2 sends chunk 0 (500)
        // AllGather step k: member j sends chunk (j-k) mod 3
        //   step 0: 500 300 200; step 1: 0 sends chunk 2 (200), 1 chunk 0 (500), 2 chunk 1 (300)
        NS_TEST_ASSERT_MSG_EQ(StepBytes(g, r.steps[0]), "200 500 300", "RS step 0");
        NS_TEST_ASSERT_MSG_EQ(StepBytes(g, r.steps[1]), "300 200 500", "RS step 1");
        NS_TEST_ASSERT_MSG_EQ(StepBytes(g, r.steps[2]), "500 300 200", "AG step 0");
        NS_TEST_ASSERT_MSG_EQ(StepBytes(g, r.steps[3]), "200 500 300", "AG step 1");
        // each chunk travels N-1 = 2 hops per phase: 2 * 2 * 1000 = 4000 bytes
        NS_TEST_ASSERT_MSG_EQ(g.GetTotalTransferBytes(), 4000, "2(N-1) * total");
        // reduction into member 0 at step 1 is chunk 0 (500 B = 125 FP32 elements): after it
        // member 0 holds reduced chunk 0, the one its share sized
        NS_TEST_ASSERT_MSG_EQ_TOL(g.GetCompute(r.aggregates[3]).flops, 125, 1e-9, "chunk 0");
        NS_TEST_ASSERT_MSG_EQ(g.GetCompute(r.aggregates[3]).device, 0, "on member 0");

        // 1 byte per ms (8000 bit/s), free compute. Hand schedule (FIFO per pair):
        // RS0: 0->1 [0,200] 1->2 [0,500] 2->0 [0,300]
        // RS1: 0->1 ready 300 [300,600]; 1->2 ready 200, pair busy to 500 [500,700];
        //      2->0 ready 500 [500,1000]
        // AG0: 0->1 ready 1000 [1000,1500]; 1->2 ready 600, pair busy to 700 [700,1000];
        //      2->0 ready 700, pair busy to 1000 [1000,1200]
        // AG1: 0->1 ready 1200, pair busy to 1500 [1500,1700]; 1->2 ready 1500 [1500,2000];
        //      2->0 ready 1000, pair busy to 1200 [1200,1500]
        TaskGraphTimer timer([](const ComputeTask&) { return Time(0); },
                             TaskGraphTimer::LinkTransferTime(8000, Time(0)));
        TaskGraphSchedule s;
        NS_TEST_ASSERT_MSG_EQ(timer.Run(g, s), "", "schedulable");
        NS_TEST_ASSERT_MSG_EQ(s.start[r.steps[1][1]], MilliSeconds(500), "RS1 1->2 queued");
        NS_TEST_ASSERT_MSG_EQ(s.end[r.steps[1][2]], MilliSeconds(1000), "RS1 2->0");
        NS_TEST_ASSERT_MSG_EQ(s.start[r.steps[2][1]], MilliSeconds(700), "AG0 1->2 queued");
        NS_TEST_ASSERT_MSG_EQ(s.end[r.steps[3][0]], MilliSeconds(1700), "AG1 0->1");
        NS_TEST_ASSERT_MSG_EQ(s.makespan, MilliSeconds(2000), "makespan");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief ReduceScatter and AllGather alone, and after lists.
 */
class RingPhasesTestCase : public TestCase
{
  public:
    RingPhasesTestCase()
        : TestCase("ReduceScatter and AllGather alone, chunkBytes, after lists, no aggregation")
    {
    }

  private:
    void DoRun() override
    {
        TaskGraph g(4);
        // each member computes its contribution first
        std::vector<std::vector<uint32_t>> after;
        for (uint32_t d = 0; d < 3; ++d)
        {
            ComputeTask c;
            c.device = d;
            c.duration = Seconds(d); // member 2 is the slowest: 2 s
            after.push_back({g.AddCompute(c)});
        }
        RingSpec spec;
        spec.group = {0, 1, 2};
        spec.chunkBytes = {100, 200, 300};
        spec.aggregate = false;
        spec.after = after;
        CollectiveTasks rs = CollectiveBuilder::ReduceScatter(g, spec);
        NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "valid");
        NS_TEST_ASSERT_MSG_EQ(g.ValidateLocality(), "", "local");
        NS_TEST_ASSERT_MSG_EQ(rs.transfers.size(), 6, "(N-1) N transfers");
        NS_TEST_ASSERT_MSG_EQ(rs.aggregates.size(), 0, "no aggregation");
        // member 0 ends with chunk 0, delivered by member 2 in the last step, and needs its own
        // contribution: last[0] = {that transfer, after[0]}
        NS_TEST_ASSERT_MSG_EQ(Str(rs.last[0]),
                              Str(std::vector<uint32_t>{rs.steps[1][2], 0}),
                              "last of member 0");
        NS_TEST_ASSERT_MSG_EQ(g.GetTransfer(rs.steps[1][2]).bytes, 100, "chunk 0");
        NS_TEST_ASSERT_MSG_EQ(CoveredByLast(g, rs.last), "", "covered");
        // unit links: both steps wait for member 2 (2 s): 2 + 1 + 1 = 4 s
        NS_TEST_ASSERT_MSG_EQ(UnitLinkTimer().GetMakespan(g), Seconds(4), "slowest member");

        TaskGraph h(3);
        RingSpec ag;
        ag.group = {2, 0, 1}; // ring order need not follow device ids
        ag.chunkBytes = {10, 20, 30};
        CollectiveTasks r = CollectiveBuilder::AllGather(h, ag);
        NS_TEST_ASSERT_MSG_EQ(r.transfers.size(), 6, "(N-1) N transfers");
        NS_TEST_ASSERT_MSG_EQ(r.aggregates.size(), 0, "AllGather adds nothing");
        NS_TEST_ASSERT_MSG_EQ(h.GetTransfer(r.steps[0][0]).source, 2, "member 0 is device 2");
        NS_TEST_ASSERT_MSG_EQ(h.GetTransfer(r.steps[0][0]).destination, 0, "to member 1");
        // step 1: member j forwards chunk (j-1): 30 (member 2's), 10, 20
        NS_TEST_ASSERT_MSG_EQ(StepBytes(h, r.steps[1]), "30 10 20", "AG step 1");
        NS_TEST_ASSERT_MSG_EQ(h.GetTotalTransferBytes(), 2 * 60, "(N-1) * total");
        NS_TEST_ASSERT_MSG_EQ(UnitLinkTimer().GetMakespan(h), Seconds(2), "N-1 steps");
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Broadcast, Gather and FedAvg.
 */
class RootedTestCase : public TestCase
{
  public:
    RootedTestCase()
        : TestCase("broadcast, gather and FedAvg: counts, bytes, last tasks, makespans")
    {
    }

  private:
    void DoRun() override
    {
        {
            TaskGraph g(4);
            RootedSpec spec;
            spec.group = {0, 1, 2, 3};
            spec.root = 2;
            spec.bytes = 500;
            CollectiveTasks r = CollectiveBuilder::Broadcast(g, spec);
            NS_TEST_ASSERT_MSG_EQ(r.transfers.size(), 3, "one per other member");
            NS_TEST_ASSERT_MSG_EQ(g.GetBytesSent(2), 1500, "3 x 500 from the root");
            NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::BROADCAST), 1500, "kind");
            NS_TEST_ASSERT_MSG_EQ(g.GetBytesReceived(3), 500, "each member receives 500");
            NS_TEST_ASSERT_MSG_EQ(r.steps[0][2], TaskGraph::NO_TASK, "root sends to no self");
            NS_TEST_ASSERT_MSG_EQ(r.last[2].size(), 0, "root: nothing new to wait for");
            NS_TEST_ASSERT_MSG_EQ(Str(r.last[0]),
                                  Str(std::vector<uint32_t>{r.steps[0][0]}),
                                  "member 0 waits for its copy");
            NS_TEST_ASSERT_MSG_EQ(UnitLinkTimer().GetMakespan(g), Seconds(1), "concurrent");
        }
        {
            TaskGraph g(4);
            RootedSpec spec;
            spec.group = {3, 1, 0};
            spec.root = 0;
            spec.memberBytes = {700, 300, 0};
            CollectiveTasks r = CollectiveBuilder::Gather(g, spec);
            NS_TEST_ASSERT_MSG_EQ(r.transfers.size(), 2, "two senders");
            NS_TEST_ASSERT_MSG_EQ(g.GetBytesReceived(0), 1000, "700 + 300 at the root");
            NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::GATHER), 1000, "kind");
            NS_TEST_ASSERT_MSG_EQ(Str(r.last[2]), Str(r.transfers), "root waits for all");
            NS_TEST_ASSERT_MSG_EQ(r.last[0].size(), 0, "senders wait for nothing");
            NS_TEST_ASSERT_MSG_EQ(CoveredByLast(g, r.last), "", "covered");
        }
        {
            // FedAvg: server 0, cluster heads 1..3, 1e6 bytes of FP32 parameters
            TaskGraph g(4);
            FedAvgSpec spec;
            spec.group = {0, 1, 2, 3};
            spec.root = 0;
            spec.parameterBytes = 1000000;
            CollectiveTasks r = CollectiveBuilder::FedAvg(g, spec);
            NS_TEST_ASSERT_MSG_EQ(g.Validate(), "", "valid");
            NS_TEST_ASSERT_MSG_EQ(g.ValidateLocality(), "", "local");
            NS_TEST_ASSERT_MSG_EQ(r.transfers.size(), 6, "3 up, 3 down");
            // up: 3 x 1e6, down: 3 x 1e6
            NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::GATHER), 3000000, "uploads");
            NS_TEST_ASSERT_MSG_EQ(g.GetTransferBytes(TransferKind::BROADCAST), 3000000, "down");
            NS_TEST_ASSERT_MSG_EQ(g.GetTotalTransferBytes(), 6000000, "total");
            NS_TEST_ASSERT_MSG_EQ(r.aggregates.size(), 1, "one average");
            // K=3 clients, P = 1e6 / 4 = 250000 parameters: 2 K P = 1.5e6 flops,
            // (K+1) * 1e6 = 4e6 bytes of memory traffic
            const ComputeTask& avg = g.GetCompute(r.aggregates[0]);
            NS_TEST_ASSERT_MSG_EQ(avg.device, 0, "on the server");
            NS_TEST_ASSERT_MSG_EQ_TOL(avg.flops, 1.5e6, 1e-6, "2 K P");
            NS_TEST_ASSERT_MSG_EQ_TOL(avg.memoryBytes, 4e6, 1e-6, "(K+1) bytes");
            NS_TEST_ASSERT_MSG_EQ(Str(r.last[0]), Str(r.aggregates), "server: the average");
            NS_TEST_ASSERT_MSG_EQ(Str(r.last[1]),
                                  Str(std::vector<uint32_t>{r.steps[1][1]}),
                                  "client 1: its download");
            NS_TEST_ASSERT_MSG_EQ(CoveredByLast(g, r.last), "", "covered");
            // unit links, free compute: upload 1 + download 1 = 2 s
            NS_TEST_ASSERT_MSG_EQ(UnitLinkTimer().GetMakespan(g), Seconds(2), "two rounds");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief Bad inputs of the collectives.
 */
class CollectiveBadInputTestCase : public TestCase
{
  public:
    CollectiveBadInputTestCase()
        : TestCase("collective spec problems are named")
    {
    }

  private:
    void DoRun() override
    {
        TaskGraph g(4);
        RingSpec ring;
        ring.group = {0, 1, 2};
        ring.chunkBytes = {1, 2, 3};
        NS_TEST_ASSERT_MSG_EQ(CollectiveBuilder::ValidateRing(g, ring), "", "good ring");
        auto check = [&g](const RingSpec& s) { return CollectiveBuilder::ValidateRing(g, s); };
        {
            RingSpec s = ring;
            s.group = {0};
            s.chunkBytes = {1};
            NS_TEST_ASSERT_MSG_EQ(check(s), "group has 1 member: a ring needs at least 2", "N=1");
        }
        {
            RingSpec s = ring;
            s.group = {0, 5, 1};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "group[1]=5 is not in the fleet; allowed: 0..3",
                                  "outside the fleet");
        }
        {
            RingSpec s = ring;
            s.group = {0, 1, 0};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "device 0 is in the group twice (group[0] and group[2])",
                                  "duplicate");
        }
        {
            RingSpec s = ring;
            s.shares = {0.5, 0.5};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "give either chunkBytes or shares with totalBytes, not both",
                                  "both");
            s.chunkBytes.clear();
            s.shares.clear();
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "give chunkBytes (one per member) or shares with totalBytes",
                                  "neither");
        }
        {
            RingSpec s = ring;
            s.chunkBytes = {1, 0, 3};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "chunkBytes[1]=0 is invalid: every member must own at least one "
                                  "byte",
                                  "empty chunk");
        }
        {
            RingSpec s = ring;
            s.chunkBytes.clear();
            s.totalBytes = 100;
            s.shares = {0.5, 0.5};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "shares has 2 entries but group has 3 members",
                                  "share count");
            s.shares = {0.5, 0.7, -0.2};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "shares[2]=-0.2 is invalid: must be > 0 (leave a member with "
                                  "nothing out of the group)",
                                  "negative share");
            s.shares = {0.5, 0.3, 0.1};
            NS_TEST_ASSERT_MSG_EQ((check(s).find("shares sum to 0.9") == 0), true, check(s));
            NS_TEST_ASSERT_MSG_EQ((check(s).find("must sum to 1 within 1e-9") != std::string::npos),
                                  true,
                                  check(s));
            s.shares = {0.5, 0.5 - 1e-12, 1e-12};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "chunk 2 is 0 bytes (shares[2]=1e-12 of totalBytes=100): every "
                                  "member must own at least one byte",
                                  "rounded to nothing");
            s.shares = {0.5, 0.3, 0.2};
            s.totalBytes = 0;
            s.chunkBytes.clear();
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "totalBytes=0 is invalid: must be a positive number of bytes",
                                  "shares of nothing");
        }
        {
            RingSpec s = ring;
            s.after = {{}, {}};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "after has 2 lists but group has 3 members: give one list per "
                                  "member, or none",
                                  "after size");
            s.after = {{}, {}, {42}};
            NS_TEST_ASSERT_MSG_EQ(check(s),
                                  "after[2][0]=42 is not a task id of the graph; allowed: none "
                                  "(the graph has no tasks)",
                                  "after id");
        }
        RootedSpec rooted;
        rooted.group = {0, 1, 2};
        rooted.root = 1;
        rooted.bytes = 10;
        auto checkRooted = [&g](const RootedSpec& s) {
            return CollectiveBuilder::ValidateRooted(g, s);
        };
        NS_TEST_ASSERT_MSG_EQ(checkRooted(rooted), "", "good rooted");
        {
            RootedSpec s = rooted;
            s.root = 3;
            NS_TEST_ASSERT_MSG_EQ(checkRooted(s),
                                  "root=3 is not a member of group; members: 0, 1, 2",
                                  "root outside");
        }
        {
            RootedSpec s = rooted;
            s.group = {1};
            NS_TEST_ASSERT_MSG_EQ(checkRooted(s),
                                  "group has 1 member: a broadcast or gather needs the root and "
                                  "another member",
                                  "only the root");
        }
        {
            RootedSpec s = rooted;
            s.bytes = 0;
            NS_TEST_ASSERT_MSG_EQ(checkRooted(s),
                                  "bytes=0 is invalid: must be a positive number of bytes",
                                  "zero bytes");
            s.memberBytes = {5, 5, 5};
            NS_TEST_ASSERT_MSG_EQ(checkRooted(s),
                                  "memberBytes[1]=5 is invalid: it is the root's entry, which must "
                                  "be 0 (the root sends nothing to itself)",
                                  "root entry");
            s.memberBytes = {5, 0, 0};
            NS_TEST_ASSERT_MSG_EQ(checkRooted(s),
                                  "memberBytes[2]=0 is invalid: must be a positive number of bytes",
                                  "empty member");
            s.bytes = 3;
            NS_TEST_ASSERT_MSG_EQ(checkRooted(s),
                                  "give either bytes (the same for every member) or memberBytes, "
                                  "not both",
                                  "both");
        }
        FedAvgSpec fed;
        fed.group = {0, 1, 2};
        fed.root = 0;
        fed.parameterBytes = 100;
        NS_TEST_ASSERT_MSG_EQ(CollectiveBuilder::ValidateFedAvg(g, fed), "", "good FedAvg");
        {
            FedAvgSpec s = fed;
            s.parameterBytes = 0;
            NS_TEST_ASSERT_MSG_EQ(CollectiveBuilder::ValidateFedAvg(g, s),
                                  "parameterBytes=0 is invalid: must be a positive number of bytes",
                                  "no parameters");
            s.parameterBytes = 100;
            s.aggregateCost = ComputeCost::FromFlops(-1, 0);
            NS_TEST_ASSERT_MSG_EQ(CollectiveBuilder::ValidateFedAvg(g, s),
                                  "aggregateCost.flops=-1 is invalid: must be a finite number >= 0",
                                  "bad cost");
            s.aggregateCost.reset();
            s.root = 9;
            NS_TEST_ASSERT_MSG_EQ(CollectiveBuilder::ValidateFedAvg(g, s),
                                  "root=9 is not a member of group; members: 0, 1, 2",
                                  "bad root");
        }
    }
};

/**
 * \ingroup edge-llm-tests
 * \brief The suite.
 */
class CollectiveBuilderTestSuite : public TestSuite
{
  public:
    CollectiveBuilderTestSuite()
        : TestSuite("edge-llm-collective-builder", TestSuite::UNIT)
    {
        AddTestCase(new RingEqualTestCase);
        AddTestCase(new RingUnevenTestCase);
        AddTestCase(new RingPhasesTestCase);
        AddTestCase(new RootedTestCase);
        AddTestCase(new CollectiveBadInputTestCase);
    }
};

/// the suite's instance
static CollectiveBuilderTestSuite g_collectiveBuilderTestSuite;
