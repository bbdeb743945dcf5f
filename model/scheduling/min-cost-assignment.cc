/* SPDX-License-Identifier: GPL-2.0-only */
#include "min-cost-assignment.h"

#include "ns3/abort.h"

#include <cmath>
#include <limits>

namespace ns3
{
namespace edgellm
{

double
MinCostAssignment::Solve(const std::vector<std::vector<double>>& cost,
                         std::vector<uint32_t>& columnOfRow)
{
    const size_t n = cost.size();
    NS_ABORT_MSG_IF(n == 0, "MinCostAssignment: no row");
    const size_t m = cost.front().size();
    NS_ABORT_MSG_IF(m < n, "MinCostAssignment: " << n << " rows need at least as many columns");
    for (const auto& row : cost)
    {
        NS_ABORT_MSG_IF(row.size() != m, "MinCostAssignment: rows of different lengths");
        for (double c : row)
        {
            NS_ABORT_MSG_IF(!std::isfinite(c), "MinCostAssignment: costs must be finite");
        }
    }
    const double inf = std::numeric_limits<double>::infinity();
    // 1-based: column 0 is the virtual start of each augmenting path
    std::vector<double> u(n + 1, 0);
    std::vector<double> v(m + 1, 0);
    std::vector<size_t> rowOfColumn(m + 1, 0);
    std::vector<size_t> previous(m + 1, 0);
    for (size_t i = 1; i <= n; ++i)
    {
        rowOfColumn[0] = i;
        size_t column = 0;
        std::vector<double> slack(m + 1, inf);
        std::vector<bool> visited(m + 1, false);
        do
        {
            visited[column] = true;
            const size_t row = rowOfColumn[column];
            double delta = inf;
            size_t next = 0;
            for (size_t j = 1; j <= m; ++j)
            {
                if (visited[j])
                {
                    continue;
                }
                const double reduced = cost[row - 1][j - 1] - u[row] - v[j];
                if (reduced < slack[j])
                {
                    slack[j] = reduced;
                    previous[j] = column;
                }
                if (slack[j] < delta)
                {
                    delta = slack[j];
                    next = j;
                }
            }
            for (size_t j = 0; j <= m; ++j)
            {
                if (visited[j])
                {
                    u[rowOfColumn[j]] += delta;
                    v[j] -= delta;
                }
                else
                {
                    slack[j] -= delta;
                }
            }
            column = next;
        } while (rowOfColumn[column] != 0);
        // flip the augmenting path
        do
        {
            const size_t before = previous[column];
            rowOfColumn[column] = rowOfColumn[before];
            column = before;
        } while (column != 0);
    }
    columnOfRow.assign(n, 0);
    double total = 0;
    for (size_t j = 1; j <= m; ++j)
    {
        if (rowOfColumn[j] != 0)
        {
            columnOfRow[rowOfColumn[j] - 1] = static_cast<uint32_t>(j - 1);
            total += cost[rowOfColumn[j] - 1][j - 1];
        }
    }
    return total;
}

} // namespace edgellm
} // namespace ns3
