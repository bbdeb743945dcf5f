/* SPDX-License-Identifier: GPL-2.0-only */
#include "galaxy-planner.h"

#include "ns3/assert.h"
#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <algorithm>
#include <limits>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmGalaxyPlanner");

namespace
{

/// "no share fits": a device that cannot hold its heads even without columns
constexpr int64_t NO_FIT = -1;

/**
 * The distinct values of a table of non-decreasing rows, ascending.
 * \param table one row per device
 * \return the values
 */
std::vector<double>
Candidates(const std::vector<std::vector<double>>& table)
{
    std::vector<double> values;
    for (const auto& row : table)
    {
        values.insert(values.end(), row.begin(), row.end());
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

/**
 * The largest count whose time is within a bottleneck.
 * \param row times by count (non-decreasing)
 * \param bottleneck the bottleneck
 * \return the count (the row's times start at 0 for count 0, so at least 0)
 */
uint32_t
Cap(const std::vector<double>& row, double bottleneck)
{
    auto it = std::upper_bound(row.begin(), row.end(), bottleneck);
    return it == row.begin() ? 0 : static_cast<uint32_t>(it - row.begin() - 1);
}

/**
 * The most column units a device's memory holds beside some heads (Fits is monotone).
 * \param problem the costs
 * \param device the device
 * \param heads its heads
 * \return the units, or NO_FIT when even the heads alone do not fit
 */
int64_t
MostUnits(const GalaxyPlanningProblem& problem, uint32_t device, uint32_t heads)
{
    if (!problem.Fits(device, heads, 0))
    {
        return NO_FIT;
    }
    uint32_t low = 0;
    uint32_t high = problem.GetUnits();
    while (low < high)
    {
        const uint32_t middle = (low + high + 1) / 2;
        if (problem.Fits(device, heads, middle))
        {
            low = middle;
        }
        else
        {
            high = middle - 1;
        }
    }
    return low;
}

/// The heads-and-columns search: tables of the problem and the feasibility program.
class HeadsAndUnits
{
  public:
    explicit HeadsAndUnits(const GalaxyPlanningProblem& problem)
        : m_devices(problem.GetDeviceCount()),
          m_heads(problem.GetHeads()),
          m_units(problem.GetUnits()),
          m_attention(m_devices),
          m_mlp(m_devices),
          m_memoryUnits(m_devices)
    {
        for (uint32_t i = 0; i < m_devices; ++i)
        {
            for (uint32_t h = 0; h <= m_heads; ++h)
            {
                m_attention[i].push_back(problem.GetAttentionSeconds(i, h));
                m_memoryUnits[i].push_back(MostUnits(problem, i, h));
            }
            for (uint32_t c = 0; c <= m_units; ++c)
            {
                m_mlp[i].push_back(problem.GetMlpSeconds(i, c));
            }
        }
    }

    /**
     * Whether the bottlenecks are feasible, and a placement of heads that shows it.
     * \param attention T_A
     * \param mlp T_M
     * \param[out] heads heads per device, when feasible
     * \param[out] unitCaps units each device can take beside them, when feasible
     * \return feasible
     */
    bool Check(double attention,
               double mlp,
               std::vector<uint32_t>* heads,
               std::vector<uint32_t>* unitCaps)
    {
        ++m_checks;
        constexpr int64_t NONE = std::numeric_limits<int64_t>::min();
        // best[i][k]: the most units devices < i can take with k heads placed on them
        std::vector<std::vector<int64_t>> best(m_devices + 1,
                                               std::vector<int64_t>(m_heads + 1, NONE));
        std::vector<std::vector<uint32_t>> choice(m_devices, std::vector<uint32_t>(m_heads + 1, 0));
        best[0][0] = 0;
        for (uint32_t i = 0; i < m_devices; ++i)
        {
            const uint32_t headCap = Cap(m_attention[i], attention);
            const int64_t unitCap = Cap(m_mlp[i], mlp);
            for (uint32_t k = 0; k <= m_heads; ++k)
            {
                for (uint32_t h = 0; h <= std::min(headCap, k); ++h)
                {
                    if (best[i][k - h] == NONE || m_memoryUnits[i][h] == NO_FIT)
                    {
                        continue;
                    }
                    const int64_t value = best[i][k - h] + std::min(unitCap, m_memoryUnits[i][h]);
                    if (value > best[i + 1][k])
                    {
                        best[i + 1][k] = value;
                        choice[i][k] = h;
                    }
                }
            }
        }
        const bool feasible =
            best[m_devices][m_heads] != NONE && best[m_devices][m_heads] >= m_units;
        if (feasible && heads)
        {
            heads->assign(m_devices, 0);
            unitCaps->assign(m_devices, 0);
            uint32_t k = m_heads;
            for (uint32_t i = m_devices; i-- > 0;)
            {
                const uint32_t h = choice[i][k];
                (*heads)[i] = h;
                (*unitCaps)[i] = static_cast<uint32_t>(
                    std::min<int64_t>(Cap(m_mlp[i], mlp), m_memoryUnits[i][h]));
                k -= h;
            }
        }
        return feasible;
    }

    /**
     * Units within the caps, each next unit where it ends soonest (min-max for
     * non-decreasing times).
     * \param caps the caps (sum at least U)
     * \return units per device
     */
    std::vector<uint32_t> SpreadUnits(const std::vector<uint32_t>& caps) const
    {
        std::vector<uint32_t> units(m_devices, 0);
        for (uint32_t placed = 0; placed < m_units; ++placed)
        {
            uint32_t pick = m_devices;
            for (uint32_t i = 0; i < m_devices; ++i)
            {
                if (units[i] < caps[i] &&
                    (pick == m_devices || m_mlp[i][units[i] + 1] < m_mlp[pick][units[pick] + 1]))
                {
                    pick = i;
                }
            }
            NS_ASSERT_MSG(pick < m_devices, "caps below the units");
            ++units[pick];
        }
        return units;
    }

    const std::vector<std::vector<double>>& GetAttention() const
    {
        return m_attention;
    }

    const std::vector<std::vector<double>>& GetMlp() const
    {
        return m_mlp;
    }

    uint64_t GetChecks() const
    {
        return m_checks;
    }

  private:
    uint32_t m_devices;                              //!< D
    uint32_t m_heads;                                //!< a
    uint32_t m_units;                                //!< U
    std::vector<std::vector<double>> m_attention;    //!< A_i(h), h = 0..a
    std::vector<std::vector<double>> m_mlp;          //!< M_i(c), c = 0..U
    std::vector<std::vector<int64_t>> m_memoryUnits; //!< units beside h heads, or NO_FIT
    uint64_t m_checks{0};                            //!< Check calls
};

/**
 * The split of \p total within caps that minimises its largest share (water-filling); the
 * excess over the total comes off the highest-indexed devices at the top level.
 * \param caps the caps (sum at least total)
 * \param total what to split
 * \return the shares
 */
std::vector<uint32_t>
WaterFill(const std::vector<uint32_t>& caps, uint32_t total)
{
    uint32_t low = 0;
    uint32_t high = total;
    auto placed = [&caps](uint32_t level) {
        uint64_t sum = 0;
        for (uint32_t cap : caps)
        {
            sum += std::min(cap, level);
        }
        return sum;
    };
    while (low < high)
    {
        const uint32_t middle = (low + high) / 2;
        if (placed(middle) >= total)
        {
            high = middle;
        }
        else
        {
            low = middle + 1;
        }
    }
    std::vector<uint32_t> shares(caps.size());
    uint64_t sum = 0;
    for (size_t i = 0; i < caps.size(); ++i)
    {
        shares[i] = std::min(caps[i], low);
        sum += shares[i];
    }
    for (size_t i = caps.size(); i-- > 0 && sum > total;)
    {
        if (shares[i] == low && low > 0)
        {
            --shares[i];
            --sum;
        }
    }
    return shares;
}

/**
 * The problem's costs computed once: the searches over device subsets read them from here.
 * Fits is kept as the most units each head count leaves room for (Fits is monotone).
 */
class TabulatedProblem : public GalaxyPlanningProblem
{
  public:
    explicit TabulatedProblem(const GalaxyPlanningProblem& problem)
        : m_problem(problem)
    {
        const uint32_t devices = problem.GetDeviceCount();
        m_attention.resize(devices);
        m_mlp.resize(devices);
        m_connective.resize(devices);
        m_mostUnits.resize(devices);
        for (uint32_t i = 0; i < devices; ++i)
        {
            for (uint32_t h = 0; h <= problem.GetHeads(); ++h)
            {
                m_attention[i].push_back(problem.GetAttentionSeconds(i, h));
                m_mostUnits[i].push_back(MostUnits(problem, i, h));
            }
            for (uint32_t c = 0; c <= problem.GetUnits(); ++c)
            {
                m_mlp[i].push_back(problem.GetMlpSeconds(i, c));
            }
            for (uint32_t t = 0; t <= problem.GetTokens(); ++t)
            {
                m_connective[i].push_back(problem.GetConnectiveSeconds(i, t));
            }
        }
    }

    uint32_t GetDeviceCount() const override
    {
        return m_problem.GetDeviceCount();
    }

    uint32_t GetHeads() const override
    {
        return m_problem.GetHeads();
    }

    uint32_t GetUnits() const override
    {
        return m_problem.GetUnits();
    }

    uint32_t GetTokens() const override
    {
        return m_problem.GetTokens();
    }

    double GetAttentionSeconds(uint32_t device, uint32_t heads) const override
    {
        return m_attention[device][heads];
    }

    double GetMlpSeconds(uint32_t device, uint32_t units) const override
    {
        return m_mlp[device][units];
    }

    double GetConnectiveSeconds(uint32_t device, uint32_t tokens) const override
    {
        return m_connective[device][tokens];
    }

    double GetCollectiveSeconds(const std::vector<uint32_t>& tokens) const override
    {
        return m_problem.GetCollectiveSeconds(tokens);
    }

    bool Fits(uint32_t device, uint32_t heads, uint32_t units) const override
    {
        return m_mostUnits[device][heads] != NO_FIT &&
               static_cast<int64_t>(units) <= m_mostUnits[device][heads];
    }

  private:
    const GalaxyPlanningProblem& m_problem;        //!< the costs
    std::vector<std::vector<double>> m_attention;  //!< A_i(h)
    std::vector<std::vector<double>> m_mlp;        //!< M_i(c)
    std::vector<std::vector<double>> m_connective; //!< C_i(t)
    std::vector<std::vector<int64_t>> m_mostUnits; //!< units beside h heads, or NO_FIT
};

/// The problem restricted to some devices: the ring's members.
class MembersProblem : public GalaxyPlanningProblem
{
  public:
    MembersProblem(const GalaxyPlanningProblem& problem, std::vector<uint32_t> members)
        : m_problem(problem),
          m_members(std::move(members))
    {
    }

    uint32_t GetDeviceCount() const override
    {
        return m_members.size();
    }

    uint32_t GetHeads() const override
    {
        return m_problem.GetHeads();
    }

    uint32_t GetUnits() const override
    {
        return m_problem.GetUnits();
    }

    uint32_t GetTokens() const override
    {
        return m_problem.GetTokens();
    }

    double GetAttentionSeconds(uint32_t device, uint32_t heads) const override
    {
        return m_problem.GetAttentionSeconds(m_members[device], heads);
    }

    double GetMlpSeconds(uint32_t device, uint32_t units) const override
    {
        return m_problem.GetMlpSeconds(m_members[device], units);
    }

    double GetConnectiveSeconds(uint32_t device, uint32_t tokens) const override
    {
        return m_problem.GetConnectiveSeconds(m_members[device], tokens);
    }

    double GetCollectiveSeconds(const std::vector<uint32_t>& tokens) const override
    {
        return m_problem.GetCollectiveSeconds(tokens);
    }

    bool Fits(uint32_t device, uint32_t heads, uint32_t units) const override
    {
        return m_problem.Fits(m_members[device], heads, units);
    }

  private:
    const GalaxyPlanningProblem& m_problem; //!< all devices
    std::vector<uint32_t> m_members;        //!< the members, ascending
};

} // namespace

std::vector<uint32_t>
GalaxyPlanner::SplitTokens(const GalaxyPlanningProblem& problem)
{
    const uint32_t devices = problem.GetDeviceCount();
    const uint32_t tokens = problem.GetTokens();
    if (tokens < devices)
    {
        return {}; // every member of the ring takes a token at least
    }
    std::vector<std::vector<double>> connective(devices);
    for (uint32_t i = 0; i < devices; ++i)
    {
        for (uint32_t t = 0; t <= tokens; ++t)
        {
            connective[i].push_back(problem.GetConnectiveSeconds(i, t));
        }
    }
    std::vector<uint32_t> best;
    double bestSeconds = std::numeric_limits<double>::infinity();
    for (double bottleneck : Candidates(connective))
    {
        if (2 * bottleneck >= bestSeconds)
        {
            break; // the collectives only add
        }
        // one token each, the rest water-filled within the caps the bottleneck allows
        std::vector<uint32_t> caps(devices);
        uint64_t room = 0;
        bool everyone = true;
        for (uint32_t i = 0; i < devices; ++i)
        {
            const uint32_t cap = Cap(connective[i], bottleneck);
            everyone = everyone && cap >= 1;
            caps[i] = cap >= 1 ? cap - 1 : 0;
            room += caps[i];
        }
        if (!everyone || room < tokens - devices)
        {
            continue;
        }
        std::vector<uint32_t> split = WaterFill(caps, tokens - devices);
        double slowest = 0;
        for (uint32_t i = 0; i < devices; ++i)
        {
            ++split[i];
            slowest = std::max(slowest, connective[i][split[i]]);
        }
        const double seconds = 2 * (problem.GetCollectiveSeconds(split) + slowest);
        if (seconds < bestSeconds)
        {
            bestSeconds = seconds;
            best = split;
        }
    }
    return best;
}

namespace
{

/**
 * The best plan with every device of \p problem in the ring (see GalaxyPlanner).
 * \param problem the costs
 * \param[in,out] checks feasibility checks, counted up
 * \return the plan, or infeasible
 */
GalaxyPlan
SolveMembers(const GalaxyPlanningProblem& problem, uint64_t& checks)
{
    HeadsAndUnits search(problem);
    const std::vector<double> attention = Candidates(search.GetAttention());
    const std::vector<double> mlp = Candidates(search.GetMlp());
    // T_A ascending, T_M descending: the least feasible T_M of a larger T_A is never larger
    size_t m = mlp.size() - 1;
    double best = std::numeric_limits<double>::infinity();
    double bestAttention = 0;
    double bestMlp = 0;
    for (double a : attention)
    {
        if (a >= best)
        {
            break;
        }
        if (!search.Check(a, mlp[m], nullptr, nullptr))
        {
            continue;
        }
        while (m > 0 && search.Check(a, mlp[m - 1], nullptr, nullptr))
        {
            --m;
        }
        if (a + mlp[m] < best)
        {
            best = a + mlp[m];
            bestAttention = a;
            bestMlp = mlp[m];
        }
    }
    checks += search.GetChecks();
    GalaxyPlan plan;
    if (best == std::numeric_limits<double>::infinity())
    {
        return plan;
    }
    std::vector<uint32_t> unitCaps;
    search.Check(bestAttention, bestMlp, &plan.heads, &unitCaps);
    plan.units = search.SpreadUnits(unitCaps);
    plan.tokens = GalaxyPlanner::SplitTokens(problem);
    if (plan.tokens.empty())
    {
        return GalaxyPlan(); // fewer tokens than members
    }
    problem.Evaluate(plan);
    return plan;
}

} // namespace

GalaxyPlan
GalaxyPlanner::Solve(const GalaxyPlanningProblem& problem, uint64_t& checks, uint32_t maxEnumerated)
{
    return Solve(problem, checks, maxEnumerated, [](const GalaxyPlan& plan) {
        return plan.layerSeconds;
    });
}

GalaxyPlan
GalaxyPlanner::Solve(const GalaxyPlanningProblem& problem,
                     uint64_t& checks,
                     uint32_t maxEnumerated,
                     const RingObjective& objective)
{
    const uint32_t devices = problem.GetDeviceCount();
    if (devices == 0 || problem.GetHeads() == 0 || problem.GetUnits() == 0 ||
        problem.GetTokens() == 0)
    {
        NS_FATAL_ERROR("GalaxyPlanner: devices=" << devices << ", heads=" << problem.GetHeads()
                                                 << ", units=" << problem.GetUnits()
                                                 << ", tokens=" << problem.GetTokens()
                                                 << " is invalid: each must be positive");
    }
    checks = 0;
    const TabulatedProblem table(problem);
    // The ring's members: every subset of up to maxEnumerated devices (20 at most); beyond, the k
    // fastest for each k (fastest: least attention and MLP time for the whole layer)
    std::vector<std::vector<uint32_t>> candidates;
    if (devices <= std::min(maxEnumerated, 20u))
    {
        for (uint32_t mask = 1; mask < (1u << devices); ++mask)
        {
            std::vector<uint32_t> members;
            for (uint32_t i = 0; i < devices; ++i)
            {
                if (mask & (1u << i))
                {
                    members.push_back(i);
                }
            }
            candidates.push_back(members);
        }
    }
    else
    {
        std::vector<uint32_t> order(devices);
        for (uint32_t i = 0; i < devices; ++i)
        {
            order[i] = i;
        }
        auto whole = [&table](uint32_t i) {
            return table.GetAttentionSeconds(i, table.GetHeads()) +
                   table.GetMlpSeconds(i, table.GetUnits());
        };
        std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
            return whole(a) < whole(b);
        });
        for (uint32_t k = 1; k <= devices; ++k)
        {
            std::vector<uint32_t> members(order.begin(), order.begin() + k);
            std::sort(members.begin(), members.end());
            candidates.push_back(members);
        }
    }
    GalaxyPlan best;
    double bestObjective = std::numeric_limits<double>::infinity();
    for (const auto& members : candidates)
    {
        const MembersProblem view(table, members);
        const GalaxyPlan part = SolveMembers(view, checks);
        if (!part.IsFeasible())
        {
            continue;
        }
        GalaxyPlan plan;
        plan.heads.assign(devices, 0);
        plan.units.assign(devices, 0);
        plan.tokens.assign(devices, 0);
        for (size_t j = 0; j < members.size(); ++j)
        {
            plan.heads[members[j]] = part.heads[j];
            plan.units[members[j]] = part.units[j];
            plan.tokens[members[j]] = part.tokens[j];
        }
        problem.Evaluate(plan);
        const double value = objective(plan);
        if (value < bestObjective)
        {
            bestObjective = value;
            best = plan;
        }
    }
    if (best.IsFeasible())
    {
        NS_LOG_INFO("plan " << best.ToString() << " after " << checks << " checks");
    }
    else
    {
        NS_LOG_INFO("no split of the heads and columns fits the devices' memory");
    }
    return best;
}

GalaxyPlan
GalaxyPlanner::Solve(const GalaxyPlanningProblem& problem)
{
    uint64_t checks = 0;
    return Solve(problem, checks);
}

} // namespace edgellm
} // namespace ns3
