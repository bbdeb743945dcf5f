/* SPDX-License-Identifier: GPL-2.0-only */
#include "jbba-scheduler.h"

#include "ns3/jbba-solver.h"
#include "ns3/uinteger.h"

namespace ns3
{
namespace edgellm
{

NS_OBJECT_ENSURE_REGISTERED(JbbaScheduler);

TypeId
JbbaScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::JbbaScheduler")
            .SetParent<LolaDeftScheduler>()
            .SetGroupName("EdgeLlm")
            .AddConstructor<JbbaScheduler>()
            .AddAttribute("MaxIterations",
                          "Block-and-bandwidth iterations at most (it stops earlier at the "
                          "optimum, in 2-3 iterations on the test's instances).",
                          UintegerValue(100),
                          MakeUintegerAccessor(&JbbaScheduler::m_maxIterations),
                          MakeUintegerChecker<uint32_t>(1, 100000));
    return tid;
}

LolaAllocation
JbbaScheduler::Allocate(const LolaAllocationProblem& problem, uint32_t /* round */)
{
    JbbaOptions options;
    options.maxIterations = m_maxIterations;
    return JbbaSolver::Solve(problem, options);
}

} // namespace edgellm
} // namespace ns3
