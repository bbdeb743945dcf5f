/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef EDGE_LLM_MIN_COST_ASSIGNMENT_H
#define EDGE_LLM_MIN_COST_ASSIGNMENT_H

#include <cstdint>
#include <vector>

namespace ns3
{
namespace edgellm
{

/**
 * \ingroup edge-llm
 * \brief The Hungarian method (shortest augmenting paths with potentials) for a rectangular
 * assignment: every row to a distinct column, least total cost. O(n^2 m) for n rows and
 * m >= n columns.
 */
class MinCostAssignment
{
  public:
    /**
     * \param cost n rows of m >= n finite costs (NS_FATAL_ERROR otherwise)
     * \param[out] columnOfRow per row: its column
     * \return the least total cost
     */
    static double Solve(const std::vector<std::vector<double>>& cost,
                        std::vector<uint32_t>& columnOfRow);
};

} // namespace edgellm
} // namespace ns3

#endif /* EDGE_LLM_MIN_COST_ASSIGNMENT_H */
