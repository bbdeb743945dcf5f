/* SPDX-License-Identifier: GPL-2.0-only */
#include "torch-galaxy-split.h"

#include "torch-encoder-block.h"
#include "torch-thread-guard.h"

#include "ns3/fatal-error.h"

#include <cmath>
#include <numeric>
#include <sstream>

namespace ns3
{
namespace edgellm
{

namespace
{
/**
 * \param shares a split
 * \return its sum
 */
int64_t
Sum(const std::vector<uint32_t>& shares)
{
    return std::accumulate(shares.begin(), shares.end(), int64_t{0});
}

/**
 * The ring ReduceScatter of the members' partial sums over their token chunks, in
 * CollectiveBuilder's order.
 * \param partials per member: [sequence, hidden]
 * \param tokens per member: its tokens
 * \return per member: the reduced rows of its tokens
 */
std::vector<torch::Tensor>
RingReduceScatter(const std::vector<torch::Tensor>& partials, const std::vector<uint32_t>& tokens)
{
    const size_t n = partials.size();
    std::vector<int64_t> offset(n, 0);
    for (size_t j = 1; j < n; ++j)
    {
        offset[j] = offset[j - 1] + tokens[j - 1];
    }
    // buffer[m][c]: member m's copy of chunk c
    std::vector<std::vector<torch::Tensor>> buffer(n, std::vector<torch::Tensor>(n));
    for (size_t m = 0; m < n; ++m)
    {
        for (size_t c = 0; c < n; ++c)
        {
            buffer[m][c] = partials[m].narrow(0, offset[c], tokens[c]).clone();
        }
    }
    for (size_t k = 0; k + 1 < n; ++k)
    {
        std::vector<torch::Tensor> sent(n);
        for (size_t m = 0; m < n; ++m)
        {
            sent[m] = buffer[m][(m + 2 * n - k - 1) % n];
        }
        for (size_t m = 0; m < n; ++m)
        {
            const size_t from = (m + n - 1) % n;
            const size_t c = (from + 2 * n - k - 1) % n;
            buffer[m][c] = buffer[m][c] + sent[from]; // the receiver adds its own partial
        }
    }
    std::vector<torch::Tensor> reduced(n);
    for (size_t m = 0; m < n; ++m)
    {
        reduced[m] = buffer[m][m];
    }
    return reduced;
}
} // namespace

std::string
TorchGalaxySplit::Validate(const TorchGalaxySplitConfig& c)
{
    std::ostringstream os;
    if (c.hidden <= 0 || c.heads <= 0 || c.hidden % c.heads != 0 || c.ffn <= 0 || c.sequence <= 0)
    {
        os << "hidden=" << c.hidden << ", heads=" << c.heads << ", ffn=" << c.ffn
           << ", sequence=" << c.sequence << " is invalid: each positive, heads dividing hidden";
        return os.str();
    }
    const size_t n = c.tokenShare.size();
    if (n == 0 || c.headShare.size() != n || c.columnShare.size() != n ||
        Sum(c.headShare) != c.heads || Sum(c.columnShare) != c.ffn ||
        Sum(c.tokenShare) != c.sequence)
    {
        os << "the split of " << n << " devices is invalid: one share per device of the heads ("
           << c.heads << "), the FFN columns (" << c.ffn << ") and the tokens (" << c.sequence
           << "), each summing to its total";
        return os.str();
    }
    for (uint32_t t : c.tokenShare)
    {
        if (t == 0)
        {
            return "tokenShare has a 0: every member of the ring takes a token at least";
        }
    }
    return "";
}

void
TorchGalaxySplit::Compare(const TorchGalaxySplitConfig& config,
                          double& maxDifference,
                          double& maxMagnitude)
{
    const std::string problem = Validate(config);
    if (!problem.empty())
    {
        NS_FATAL_ERROR("TorchGalaxySplit: " << problem);
    }
    TorchThreadGuard guard(1); // one thread: the same sums in the same order every run
    torch::NoGradGuard noGrad;
    torch::manual_seed(config.seed);
    TorchEncoderBlock block(config.hidden, config.heads, config.ffn);
    block->eval();
    const int64_t s = config.sequence;
    const int64_t d = config.hidden;
    const int64_t k = d / config.heads;
    const torch::Tensor x = torch::randn({1, s, d});
    const torch::Tensor whole = block->forward(x).squeeze(0);
    const torch::Tensor x2 = x.squeeze(0);
    const size_t n = config.tokenShare.size();

    // attention: each device its heads, a partial sum of the output projection
    const torch::Tensor wqkv = block->m_qkv->weight; // [3d, d], rows: q, k, v, head by head
    const torch::Tensor bqkv = block->m_qkv->bias;
    std::vector<torch::Tensor> partials;
    int64_t head = 0;
    for (size_t i = 0; i < n; ++i)
    {
        const int64_t h = config.headShare[i];
        torch::Tensor partial = torch::zeros({s, d});
        if (h > 0)
        {
            auto project = [&](int64_t part) {
                const int64_t row = part * d + head * k;
                return torch::addmm(bqkv.narrow(0, row, h * k), x2, wqkv.narrow(0, row, h * k).t())
                    .view({s, h, k})
                    .permute({1, 0, 2}); // [h, s, k]
            };
            const torch::Tensor q = project(0);
            const torch::Tensor key = project(1);
            const torch::Tensor v = project(2);
            const torch::Tensor scores =
                torch::matmul(q, key.transpose(-2, -1)) / std::sqrt(double(k));
            const torch::Tensor context =
                torch::matmul(torch::softmax(scores, -1), v).permute({1, 0, 2}).reshape({s, h * k});
            partial = torch::matmul(context, block->m_proj->weight.narrow(1, head * k, h * k).t());
        }
        partials.push_back(partial);
        head += h;
    }
    std::vector<torch::Tensor> reduced = RingReduceScatter(partials, config.tokenShare);
    std::vector<torch::Tensor> rows;
    int64_t offset = 0;
    for (size_t m = 0; m < n; ++m)
    {
        // the connective block on its tokens: the bias, the residual, the norm
        const torch::Tensor residual = x2.narrow(0, offset, config.tokenShare[m]);
        rows.push_back(block->m_ln1(residual + reduced[m] + block->m_proj->bias));
        offset += config.tokenShare[m];
    }
    const torch::Tensor hidden = torch::cat(rows, 0); // the AllGather

    // the MLP: each device its columns
    partials.clear();
    int64_t column = 0;
    for (size_t i = 0; i < n; ++i)
    {
        const int64_t c = config.columnShare[i];
        torch::Tensor partial = torch::zeros({s, d});
        if (c > 0)
        {
            const torch::Tensor inner =
                torch::gelu(torch::addmm(block->m_ff1->bias.narrow(0, column, c),
                                         hidden,
                                         block->m_ff1->weight.narrow(0, column, c).t()));
            partial = torch::matmul(inner, block->m_ff2->weight.narrow(1, column, c).t());
        }
        partials.push_back(partial);
        column += c;
    }
    reduced = RingReduceScatter(partials, config.tokenShare);
    rows.clear();
    offset = 0;
    for (size_t m = 0; m < n; ++m)
    {
        const torch::Tensor residual = hidden.narrow(0, offset, config.tokenShare[m]);
        rows.push_back(block->m_ln2(residual + reduced[m] + block->m_ff2->bias));
        offset += config.tokenShare[m];
    }
    const torch::Tensor split = torch::cat(rows, 0);
    maxDifference = (split - whole).abs().max().item<double>();
    maxMagnitude = whole.abs().max().item<double>();
}

} // namespace edgellm
} // namespace ns3
