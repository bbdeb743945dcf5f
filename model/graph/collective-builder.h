/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_COLLECTIVE_BUILDER_H
#define EDGE_LLM_COLLECTIVE_BUILDER_H

#include "task-graph.h"

#include "ns3/data-type.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief Input of the ring collectives (ReduceScatter, AllGather, AllReduce).
 *
 * Member j (group[j]) owns chunk j of the tensor. Give its size either directly
 * (\c chunkBytes) or as \c shares of \c totalBytes; CollectiveBuilder::SharesToChunkBytes
 * explains the rounding.
 */
struct RingSpec
{
    std::vector<uint32_t> group;      //!< ring order: member j sends to member (j+1) mod N
    std::vector<uint64_t> chunkBytes; //!< bytes of the chunk each member owns (> 0 each), or
    std::vector<double> shares;       //!< fractions of totalBytes (> 0, summing to 1 +- 1e-9)
    uint64_t totalBytes{0};           //!< the tensor's bytes, with \c shares
    /// ReduceScatter: add an AGGREGATE compute on the receiver after every received chunk
    bool aggregate{true};
    DataType dtype{DataType::FP32}; //!< element type: an AGGREGATE adds bytes/size elements
    /// per member (N lists) or empty: tasks that must finish before the member takes part
    std::vector<std::vector<uint32_t>> after;
    uint32_t microBatch{TransferTask::NO_MICRO_BATCH}; //!< stamped on every task
    std::string label;                                 //!< prefix of every task label
    /// real tensors (LibTorch engines): 0, none; otherwise each transfer carries tensorId +
    /// its chunk's index, and each AGGREGATE runs kernelId tensorId + the chunk it adds
    uint64_t tensorId{0};
};

/**
 * \ingroup edge-llm
 * \brief Input of Broadcast (root sends to every other member) and Gather (every other member
 * sends to the root). All transfers of one call are concurrent (different pairs).
 */
struct RootedSpec
{
    std::vector<uint32_t> group;       //!< the members, the root among them
    uint32_t root{0};                  //!< the root's device index (a member)
    uint64_t bytes{0};                 //!< bytes of every transfer, or
    std::vector<uint64_t> memberBytes; //!< per member (N entries, the root's 0, others > 0)
    std::optional<TransferKind> kind;  //!< default BROADCAST or GATHER
    /// per member (N lists) or empty: tasks that must finish before the member takes part
    std::vector<std::vector<uint32_t>> after;
    uint32_t microBatch{TransferTask::NO_MICRO_BATCH}; //!< stamped on every task
    std::string label;                                 //!< prefix of every task label
};

/**
 * \ingroup edge-llm
 * \brief Input of FedAvg: Gather parameters from the members to the root (the server),
 * AGGREGATE (weighted average) on the root, Broadcast the average back.
 */
struct FedAvgSpec
{
    std::vector<uint32_t> group;    //!< the members, the root among them (e.g. server + heads)
    uint32_t root{0};               //!< the aggregating device (a member)
    uint64_t parameterBytes{0};     //!< bytes of one model copy: each upload and each download
    DataType dtype{DataType::FP32}; //!< parameter element type
    /// AGGREGATE cost; default: K clients, P = parameterBytes / element size parameters,
    /// flops = 2 K P (one multiply and one add per parameter per client), memoryBytes =
    /// (K + 1) * parameterBytes (read K copies, write one)
    std::optional<ComputeCost> aggregateCost;
    /// per member (N lists) or empty: tasks that must finish before the member takes part
    std::vector<std::vector<uint32_t>> after;
    std::string label; //!< prefix of every task label
};

/**
 * \ingroup edge-llm
 * \brief Ids of the tasks a collective added.
 *
 * \c last[j] lists the tasks that finish on member j after which j holds the collective's
 * result, together with the member's own \c after tasks that those do not already follow. A
 * later builder's after[j] can take it as is. It is a list, not one task, because a member's
 * result can arrive from several tasks (a gather's root) or need its own earlier work too (an
 * AllGather member receives every chunk but its own).
 */
struct CollectiveTasks
{
    std::vector<uint32_t> group;             //!< the members, as in the spec
    std::vector<std::vector<uint32_t>> last; //!< [member]: see above
    std::vector<uint32_t> transfers;         //!< every transfer, in creation order
    std::vector<uint32_t> aggregates;        //!< every AGGREGATE compute
    /// [step][member]: the transfer member j sends in that step (NO_TASK if none); ring
    /// collectives have N-1 steps per phase, Broadcast and Gather one, FedAvg two
    std::vector<std::vector<uint32_t>> steps;
};

/**
 * \ingroup edge-llm
 * \brief Builds collective communication patterns into a TaskGraph.
 *
 * Ring ReduceScatter over N members, N-1 steps: in step k member j sends chunk
 * (j-k-1) mod N to member j+1, which adds it to its own copy (an AGGREGATE of
 * chunkBytes/element-size elements when \c aggregate), so that member j ends with the reduced
 * chunk j, the one its share sized. Ring AllGather, N-1 steps: in step k member j sends chunk
 * (j-k) mod N. AllReduce is ReduceScatter then AllGather: every member sends 2(N-1) chunks and
 * the ring moves 2(N-1) * totalBytes in all.
 *
 * A member's first send waits for its \c after list; later sends wait for the chunk they
 * forward (and, in ReduceScatter, for its reduction). AGGREGATE tasks of one member run in
 * step order (program order). Senders never wait for the receiver: receive buffers are not
 * modelled. Every dependency is local when the \c after lists are.
 */
class CollectiveBuilder
{
  public:
    /**
     * \brief Split \p totalBytes into chunks by \p shares: boundary j is
     * round(totalBytes * (share_0 + ... + share_{j-1})), the last boundary totalBytes, chunk j
     * the difference of consecutive boundaries. The chunks sum to totalBytes exactly.
     * \param shares fractions (> 0, summing to 1 within 1e-9)
     * \param totalBytes bytes to split (> 0)
     * \param[out] chunkBytes the chunks, filled when the result is ""
     * \return "" or the problem, e.g. "shares sum to 0.9: must sum to 1 within 1e-9"
     */
    static std::string SharesToChunkBytes(const std::vector<double>& shares,
                                          uint64_t totalBytes,
                                          std::vector<uint64_t>& chunkBytes);

    /**
     * \param graph the graph the collective will be built into
     * \param spec a ring spec
     * \return "" or the first problem, e.g. "group has 1 member: a ring needs at least 2"
     */
    static std::string ValidateRing(const TaskGraph& graph, const RingSpec& spec);
    /**
     * \param graph the graph
     * \param spec a rooted spec
     * \return "" or the first problem, e.g. "root=5 is not a member of group; members: 0, 1"
     */
    static std::string ValidateRooted(const TaskGraph& graph, const RootedSpec& spec);
    /**
     * \param graph the graph
     * \param spec a FedAvg spec
     * \return "" or the first problem
     */
    static std::string ValidateFedAvg(const TaskGraph& graph, const FedAvgSpec& spec);

    /**
     * \brief Ring ReduceScatter; NS_FATAL_ERROR with ValidateRing's message on bad input.
     * \param graph the graph to extend
     * \param spec the spec
     * \return the added tasks
     */
    static CollectiveTasks ReduceScatter(TaskGraph& graph, const RingSpec& spec);
    /**
     * \brief Ring AllGather (member j starts with chunk j); NS_FATAL_ERROR on bad input.
     * \param graph the graph to extend
     * \param spec the spec (\c aggregate is ignored: nothing is reduced)
     * \return the added tasks
     */
    static CollectiveTasks AllGather(TaskGraph& graph, const RingSpec& spec);
    /**
     * \brief Ring AllReduce = ReduceScatter then AllGather; NS_FATAL_ERROR on bad input.
     * \param graph the graph to extend
     * \param spec the spec
     * \return the added tasks (steps: N-1 ReduceScatter steps, then N-1 AllGather steps)
     */
    static CollectiveTasks AllReduce(TaskGraph& graph, const RingSpec& spec);
    /**
     * \brief Root sends to every other member, concurrently; NS_FATAL_ERROR on bad input.
     * \param graph the graph to extend
     * \param spec the spec
     * \return the added tasks
     */
    static CollectiveTasks Broadcast(TaskGraph& graph, const RootedSpec& spec);
    /**
     * \brief Every other member sends to the root, concurrently; NS_FATAL_ERROR on bad input.
     * \param graph the graph to extend
     * \param spec the spec
     * \return the added tasks
     */
    static CollectiveTasks Gather(TaskGraph& graph, const RootedSpec& spec);
    /**
     * \brief FedAvg round: Gather (PARAMETERS are sent with kind GATHER), one AGGREGATE on the
     * root, Broadcast back (kind BROADCAST); NS_FATAL_ERROR on bad input.
     * \param graph the graph to extend
     * \param spec the spec
     * \return the added tasks (aggregates: the one AGGREGATE; last[root] = {it})
     */
    static CollectiveTasks FedAvg(TaskGraph& graph, const FedAvgSpec& spec);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_COLLECTIVE_BUILDER_H */
