/* SPDX-License-Identifier: GPL-2.0-only */
#include "exhaustive-oracle.h"

#include "dssda-solver.h"

#include "ns3/fatal-error.h"
#include "ns3/log.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

namespace ns3
{
namespace edgellm
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmExhaustiveOracle");

namespace
{

constexpr double INF = std::numeric_limits<double>::infinity();

/// The barrier weight's growth factor per centering (Boyd and Vandenberghe suggest 10-20).
constexpr double BARRIER_GROWTH = 16.0;
/// Stop when the duality gap bound m / t is below this share of the radio cost.
constexpr double RELATIVE_GAP = 1e-9;
/// A centering stops when half the squared Newton decrement is below this (it bounds the
/// barrier function's distance to its minimum; in f0 units that distance is 1e-8 / t, far
/// below the gap bound m / t), or after QUADRATIC_STEPS full steps in the quadratic region,
/// where the gradient's round-off (t |grad f0| 1e-16) keeps the decrement from going lower.
constexpr double NEWTON_TOLERANCE = 1e-8;
/// Full Newton steps allowed once the decrement is below 1e-4 (quadratic convergence needs 2).
constexpr uint32_t QUADRATIC_STEPS = 4;

/// log(1 + e^v) without overflow or loss for large |v|.
double
Softplus(double v)
{
    return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
}

/**
 * The radio subproblem of one (partition, M) as a smooth convex program in
 * z = (log w_0..n-1, log x_0..n-1 [, log T1] [, log T2]) with x = p / w:
 *
 * minimize alpha1 T1 + alpha2 T2 + sum_i (a_i / w_i + b_i x_i) / rho_i(x_i)
 * subject to log sum_i w_i <= 0, log w_i + log x_i <= log pmax_i, log x_i <= log xcap_i,
 *            log D_i - log w_i - log rho_i(x_i) <= log T1 (M > 1), log cmax <= log T1,
 *            log P_i - log w_i - log rho_i(x_i) <= log T2,
 *
 * with rho_i(x) = s_i W log2(1 + kappa_i x), a_i = V E D_i, b_i = Q_i (E M D_i + P_i),
 * alpha1 = V E (M - 1), alpha2 = V (1 + downloadFactor). log rho_i is concave in log x, so
 * every function here is convex in z.
 */
class RadioProgram
{
  public:
    /// One active device's data.
    struct Device
    {
        double a = 0;         //!< weight of 1 / r: V E D
        double b = 0;         //!< weight of p / r: Q (E M D + P)
        double logD = 0;      //!< log of the transfer bits per micro-batch
        bool uploads = false; //!< has parameters to upload (P > 0)
        double logP = 0;      //!< log of the upload bits
        double logPmax = 0;   //!< log of the maximum power (W)
        double logXcap = INF; //!< log of the x where the spectral efficiency cap is reached
        double logKappa = 0;  //!< log of g / (Gamma N0 W)
        double logScale = 0;  //!< log(s W / ln 2): rho = exp(logScale) ln(1 + kappa x)
    };

    std::vector<Device> dev; //!< active devices
    bool useT1 = false;      //!< the pipeline bottleneck is weighted (M > 1)
    bool useT2 = false;      //!< some device uploads
    double alpha1 = 0;       //!< weight of T1
    double alpha2 = 0;       //!< weight of T2
    double logCmax = 0;      //!< log of the largest compute time

    /// Fix the layout once the data is in.
    void Setup()
    {
        const uint32_t n = dev.size();
        m_dim = 2 * n;
        m_iT1 = useT1 ? m_dim++ : 0;
        m_iT2 = useT2 ? m_dim++ : 0;
        m_constraints = 1 + n; // band, power limits
        for (const Device& d : dev)
        {
            m_constraints += std::isfinite(d.logXcap) ? 1 : 0;
            m_constraints += useT1 ? 1 : 0;
            m_constraints += (useT2 && d.uploads) ? 1 : 0;
        }
        m_constraints += useT1 ? 1 : 0;
    }

    /// \return the number of variables
    uint32_t Dimension() const
    {
        return m_dim;
    }

    /// \return m, the number of inequality constraints
    uint32_t ConstraintCount() const
    {
        return m_constraints;
    }

    /// \return index of log T1 / log T2 in z
    uint32_t IndexT1() const
    {
        return m_iT1;
    }

    /// \return index of log T2 in z
    uint32_t IndexT2() const
    {
        return m_iT2;
    }

    /// \param i device \param u log x \return log rho_i(x)
    double LogRho(uint32_t i, double u) const
    {
        return dev[i].logScale + std::log(Softplus(dev[i].logKappa + u));
    }

    /**
     * \brief Barrier function t f0(z) - sum_j log(-g_j(z)), its gradient and Hessian.
     * \param z the point
     * \param t barrier weight (t = 0: f0 alone, no barrier and no feasibility check)
     * \param[out] value the value
     * \param[out] grad when not null, the gradient
     * \param[out] hess when not null, the Hessian
     * \return false when z is not strictly feasible or a value is not finite
     */
    bool Evaluate(const Eigen::VectorXd& z,
                  double t,
                  double& value,
                  Eigen::VectorXd* grad,
                  Eigen::MatrixXd* hess) const
    {
        const uint32_t n = dev.size();
        const bool derivatives = grad != nullptr;
        double f0 = 0;
        double barrier = 0;
        Eigen::VectorXd g0;
        Eigen::MatrixXd h0;
        if (derivatives)
        {
            g0.setZero(m_dim);
            h0.setZero(m_dim, m_dim);
            grad->setZero(m_dim);
            hess->setZero(m_dim, m_dim);
        }
        Eigen::VectorXd dg(m_dim);
        // adds constraint g <= 0 with gradient dg (and a Hessian of its own, added by the
        // caller scaled by 1 / -g)
        auto addConstraint = [&](double g) -> double {
            if (!(g < 0))
            {
                return -1; // infeasible
            }
            barrier -= std::log(-g);
            if (derivatives)
            {
                *grad += dg / (-g);
                *hess += dg * dg.transpose() / (g * g);
            }
            return 1.0 / (-g);
        };
        bool feasible = true;
        for (uint32_t i = 0; i < n && feasible; ++i)
        {
            const Device& d = dev[i];
            const uint32_t iw = i;
            const uint32_t iu = n + i;
            const double lw = z[iw];
            const double u = z[iu];
            const double v = d.logKappa + u;
            const double lnRate = Softplus(v); // ln(1 + kappa x)
            if (!(lnRate > 0) || !std::isfinite(lnRate))
            {
                return false;
            }
            const double ell = d.logScale + std::log(lnRate);
            const double sigma = 1.0 / (1.0 + std::exp(-v));
            const double oneMinusSigma = 1.0 / (1.0 + std::exp(v));
            const double s1 = sigma / lnRate;                                               // ell'
            const double s2 = sigma * (oneMinusSigma * lnRate - sigma) / (lnRate * lnRate); // ell''
            const double termA = d.a * std::exp(-lw - ell);
            const double termB = d.b * std::exp(u - ell);
            f0 += termA + termB;
            if (derivatives)
            {
                g0[iw] += -termA;
                g0[iu] += -termA * s1 + termB * (1.0 - s1);
                h0(iw, iw) += termA;
                h0(iw, iu) += termA * s1;
                h0(iu, iw) += termA * s1;
                h0(iu, iu) += termA * (s1 * s1 - s2) + termB * ((1.0 - s1) * (1.0 - s1) - s2);
            }
            if (t <= 0)
            {
                continue;
            }
            // power limit: log w + log x <= log pmax
            dg.setZero();
            dg[iw] = 1;
            dg[iu] = 1;
            feasible = addConstraint(lw + u - d.logPmax) > 0;
            if (feasible && std::isfinite(d.logXcap))
            {
                dg.setZero();
                dg[iu] = 1;
                feasible = addConstraint(u - d.logXcap) > 0;
            }
            // rate constraints: log(bits) - log w - log rho(x) <= log T
            for (uint32_t which = 0; which < 2 && feasible; ++which)
            {
                const bool active = which == 0 ? useT1 : (useT2 && d.uploads);
                if (!active)
                {
                    continue;
                }
                const uint32_t it = which == 0 ? m_iT1 : m_iT2;
                const double logBits = which == 0 ? d.logD : d.logP;
                dg.setZero();
                dg[iw] = -1;
                dg[iu] = -s1;
                dg[it] = -1;
                const double inv = addConstraint(logBits - lw - ell - z[it]);
                feasible = inv > 0;
                if (feasible && derivatives)
                {
                    (*hess)(iu, iu) += -s2 * inv; // -ell'' >= 0
                }
            }
        }
        if (!feasible)
        {
            return false;
        }
        if (useT1)
        {
            const double e1 = std::exp(z[m_iT1]);
            f0 += alpha1 * e1;
            if (derivatives)
            {
                g0[m_iT1] += alpha1 * e1;
                h0(m_iT1, m_iT1) += alpha1 * e1;
            }
            if (t > 0)
            {
                dg.setZero();
                dg[m_iT1] = -1;
                if (!(addConstraint(logCmax - z[m_iT1]) > 0))
                {
                    return false;
                }
            }
        }
        if (useT2)
        {
            const double e2 = std::exp(z[m_iT2]);
            f0 += alpha2 * e2;
            if (derivatives)
            {
                g0[m_iT2] += alpha2 * e2;
                h0(m_iT2, m_iT2) += alpha2 * e2;
            }
        }
        if (t > 0)
        {
            // the band: log sum w <= 0 (log-sum-exp, convex)
            double top = -INF;
            for (uint32_t i = 0; i < n; ++i)
            {
                top = std::max(top, z[i]);
            }
            double sum = 0;
            for (uint32_t i = 0; i < n; ++i)
            {
                sum += std::exp(z[i] - top);
            }
            const double lse = top + std::log(sum);
            dg.setZero();
            for (uint32_t i = 0; i < n; ++i)
            {
                dg[i] = std::exp(z[i] - top) / sum; // softmax
            }
            const double inv = addConstraint(lse);
            if (!(inv > 0))
            {
                return false;
            }
            if (derivatives)
            {
                for (uint32_t i = 0; i < n; ++i)
                {
                    (*hess)(i, i) += dg[i] * inv;
                    for (uint32_t j = 0; j < n; ++j)
                    {
                        (*hess)(i, j) -= dg[i] * dg[j] * inv;
                    }
                }
            }
        }
        value = (t > 0 ? t * f0 : f0) + barrier;
        if (derivatives)
        {
            *grad += (t > 0 ? t : 1.0) * g0;
            *hess += (t > 0 ? t : 1.0) * h0;
        }
        return std::isfinite(value);
    }

    /// \param z a point \return f0(z), the radio cost of the epigraph program (INF if undefined)
    double Cost(const Eigen::VectorXd& z) const
    {
        double value = INF;
        return Evaluate(z, 0, value, nullptr, nullptr) ? value : INF;
    }

  private:
    uint32_t m_dim = 0;         //!< variables
    uint32_t m_iT1 = 0;         //!< index of log T1
    uint32_t m_iT2 = 0;         //!< index of log T2
    uint32_t m_constraints = 0; //!< m
};

/**
 * \brief Minimize the barrier function at weight t by damped Newton steps from z.
 * \param prog the program
 * \param t barrier weight
 * \param z start (strictly feasible); replaced by the minimiser
 * \return Newton steps taken
 */
uint32_t
Center(const RadioProgram& prog, double t, Eigen::VectorXd& z)
{
    const uint32_t dim = prog.Dimension();
    Eigen::VectorXd grad(dim);
    Eigen::MatrixXd hess(dim, dim);
    uint32_t steps = 0;
    uint32_t quadraticSteps = 0;
    for (; steps < 200; ++steps)
    {
        double value = 0;
        if (!prog.Evaluate(z, t, value, &grad, &hess))
        {
            NS_FATAL_ERROR("exhaustive oracle: the barrier method left the feasible set");
        }
        Eigen::LDLT<Eigen::MatrixXd> ldlt(hess);
        const Eigen::VectorXd step = ldlt.solve(-grad);
        const double decrement = -grad.dot(step); // lambda^2
        if (ldlt.info() != Eigen::Success || !step.allFinite() || !(decrement > 0))
        {
            break; // the Hessian is positive definite: this is round-off, at the minimum
        }
        if (decrement / 2 <= NEWTON_TOLERANCE)
        {
            break;
        }
        // Deep in the quadratic-convergence region the full step is taken as long as it stays
        // feasible: the decrease it brings is below the round-off of the barrier value, which
        // a line search could not resolve. Elsewhere, backtracking (Armijo, alpha = 0.25,
        // beta = 0.5) within the feasible set.
        bool moved = false;
        if (decrement < 1e-4)
        {
            if (++quadraticSteps > QUADRATIC_STEPS)
            {
                break;
            }
            double trialValue = 0;
            const Eigen::VectorXd trial = z + step;
            if (prog.Evaluate(trial, t, trialValue, nullptr, nullptr))
            {
                z = trial;
                moved = true;
            }
        }
        double s = 1.0;
        while (!moved && s > 1e-14)
        {
            const Eigen::VectorXd trial = z + s * step;
            double trialValue = 0;
            if (prog.Evaluate(trial, t, trialValue, nullptr, nullptr) &&
                trialValue <= value - 0.25 * s * decrement)
            {
                z = trial;
                moved = true;
                break;
            }
            s *= 0.5;
        }
        if (!moved)
        {
            break; // round-off floor: the decrement cannot be resolved any further
        }
    }
    return steps;
}

} // namespace

std::string
ExhaustiveOracle::Validate(const CollaPipeRoundModel& model)
{
    if (model.GetConfig().medium == CollaPipeMedium::SHARED_AIRTIME)
    {
        double combinations = 1;
        for (const CollaPipeDevice& d : model.GetDevices())
        {
            combinations *= d.powerLevelsW.size();
        }
        if (model.GetDeviceCount() > 5 || model.GetBlockCount() > 16 || combinations > 1e4)
        {
            std::ostringstream oss;
            oss << "instance too large for the exhaustive oracle on shared airtime: devices="
                << model.GetDeviceCount() << ", blocks=" << model.GetBlockCount()
                << ", power-level combinations=" << combinations
                << "; allowed: devices <= 5, blocks <= 16, combinations <= 10000";
            return oss.str();
        }
        return "";
    }
    if (model.GetDeviceCount() > 6 || model.GetBlockCount() > 16)
    {
        std::ostringstream oss;
        oss << "instance too large for the exhaustive oracle: devices=" << model.GetDeviceCount()
            << ", blocks=" << model.GetBlockCount() << "; allowed: devices <= 6, blocks <= 16";
        return oss.str();
    }
    return "";
}

double
ExhaustiveOracle::SolveRadio(const CollaPipeRoundModel& model,
                             const std::vector<uint32_t>& sizes,
                             uint32_t m,
                             std::vector<double>& share,
                             std::vector<double>& powerW,
                             double* gapBound)
{
    const CollaPipeConfig& cfg = model.GetConfig();
    const double e = cfg.localIterations;
    const double bw = cfg.bandwidthHz;
    const double gap = std::pow(10.0, cfg.snrGapDb / 10.0);
    RadioProgram prog;
    prog.useT1 = m > 1;
    prog.alpha1 = cfg.v * e * (double(m) - 1.0);
    prog.alpha2 = cfg.v * (1.0 + cfg.downloadFactor); // upload, then the way back
    // the control unit's and the server's compute: a floor under the bottleneck
    double cmax = std::max(model.GetControlUnitSeconds(m), model.GetServerSeconds(m));
    std::vector<uint32_t> active;
    uint32_t first = 0;
    for (uint32_t k = 0; k < sizes.size(); ++k)
    {
        if (sizes[k] == 0)
        {
            continue;
        }
        active.push_back(k);
        const double c = model.GetSegmentComputeSeconds(k, m, first, sizes[k]);
        const double dbits = 16.0 * model.GetBoundaryBytes(m, first + sizes[k] - 1);
        const double pbits = 8.0 * model.GetSegmentParameterBytes(m, first, sizes[k]);
        cmax = std::max(cmax, c);
        RadioProgram::Device d;
        d.a = cfg.v * e * dbits;
        d.b = model.GetQueues()[k] * (e * m * dbits + pbits);
        d.logD = std::log(dbits);
        d.uploads = pbits > 0;
        d.logP = d.uploads ? std::log(pbits) : 0;
        d.logPmax = std::log(model.GetMaxPowerW(k));
        const double kappa = model.GetDevices()[k].channelGain / (gap * cfg.noisePsd * bw);
        d.logKappa = std::log(kappa);
        d.logScale = std::log(model.GetDevices()[k].rateScale * bw / std::log(2.0));
        if (cfg.maxSpectralEfficiency > 0)
        {
            // log2(1 + kappa x) = eta_max
            d.logXcap = std::log(std::expm1(cfg.maxSpectralEfficiency * std::log(2.0)) / kappa);
        }
        prog.useT2 = prog.useT2 || d.uploads;
        prog.dev.push_back(d);
        first += sizes[k];
    }
    prog.logCmax = std::log(cmax);
    prog.Setup();
    const uint32_t n = active.size();
    share.assign(sizes.size(), 0.0);
    powerW.assign(sizes.size(), 0.0);
    for (uint32_t k = 0; k < sizes.size(); ++k)
    {
        powerW[k] = model.GetMaxPowerW(k);
    }
    if (n == 0)
    {
        if (gapBound != nullptr)
        {
            *gapBound = 0;
        }
        return model.Evaluate("oracle", sizes, m, share, powerW).objective;
    }

    // a strictly feasible start: half the band in equal shares, a third of the largest
    // allowed x, the epigraph variables above their constraints
    Eigen::VectorXd z(prog.Dimension());
    double logT1 = prog.logCmax;
    double logT2 = -INF;
    for (uint32_t i = 0; i < n; ++i)
    {
        const RadioProgram::Device& d = prog.dev[i];
        z[i] = std::log(0.5 / n);
        z[n + i] = std::min(d.logPmax - z[i], d.logXcap) - 1.0;
        const double ell = prog.LogRho(i, z[n + i]);
        logT1 = std::max(logT1, d.logD - z[i] - ell);
        if (d.uploads)
        {
            logT2 = std::max(logT2, d.logP - z[i] - ell);
        }
    }
    if (prog.useT1)
    {
        z[prog.IndexT1()] = logT1 + 1.0;
    }
    if (prog.useT2)
    {
        z[prog.IndexT2()] = logT2 + 1.0;
    }

    // the barrier path: t from m / f0(start), times 16 until m / t <= 1e-9 f0
    const double mCount = prog.ConstraintCount();
    double t = mCount / prog.Cost(z);
    uint32_t newtonSteps = 0;
    for (uint32_t outer = 0; outer < 100; ++outer)
    {
        newtonSteps += Center(prog, t, z);
        if (mCount / t <= RELATIVE_GAP * prog.Cost(z))
        {
            break;
        }
        t *= BARRIER_GROWTH;
    }
    const double certified = mCount / t;
    NS_LOG_LOGIC("radio solve: " << newtonSteps << " Newton steps, f0 " << prog.Cost(z)
                                 << ", gap bound " << certified);

    // back to shares and powers; the band left over (the barrier keeps a sliver) goes to the
    // devices in proportion, which at fixed power only raises every rate
    double sumW = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        sumW += std::exp(z[i]);
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint32_t k = active[i];
        share[k] = std::exp(z[i]) / sumW;
        powerW[k] = std::min(model.GetMaxPowerW(k), std::exp(z[i] + z[n + i]));
    }
    if (gapBound != nullptr)
    {
        *gapBound = certified;
    }
    return model.Evaluate("oracle", sizes, m, share, powerW).objective;
}

CollaPipeDecision
ExhaustiveOracle::Solve(const CollaPipeRoundModel& model,
                        uint32_t* evaluated,
                        bool allowIdleDevices)
{
    const std::string problem = Validate(model);
    if (!problem.empty())
    {
        NS_FATAL_ERROR(problem);
    }
    const uint32_t kCount = model.GetDeviceCount();
    const uint32_t l = model.GetBlockCount();
    const CollaPipeConfig& cfg = model.GetConfig();
    const double e = cfg.localIterations;
    const double gap = std::pow(10.0, cfg.snrGapDb / 10.0);
    CollaPipeDecision best;
    best.scheduler = "oracle";
    best.feasible = false;
    best.objective = INF;
    best.reason = "no partition fits in memory for any M";
    // every composition of L into K parts, positive or (idle devices allowed) non-negative
    const uint32_t least = allowIdleDevices ? 0 : 1;
    std::vector<std::vector<uint32_t>> compositions;
    std::vector<uint32_t> current(kCount, 0);
    std::function<void(uint32_t, uint32_t)> enumerate = [&](uint32_t k, uint32_t left) {
        if (k + 1 == kCount)
        {
            current[k] = left;
            compositions.push_back(current);
            return;
        }
        for (uint32_t s = least; s + least * (kCount - k - 1) <= left; ++s)
        {
            current[k] = s;
            enumerate(k + 1, left - s);
        }
    };
    enumerate(0, l);
    if (cfg.medium == CollaPipeMedium::SHARED_AIRTIME)
    {
        // one channel: the powers are discrete levels; every combination of every partition
        uint32_t count = 0;
        for (uint32_t m : model.GetMicroBatchCandidates())
        {
            for (const std::vector<uint32_t>& sizes : compositions)
            {
                std::vector<double> share(kCount, 1.0 / kCount);
                std::vector<double> power = DssdaSolver::MaxPowers(model);
                if (!model.Evaluate("oracle", sizes, m, share, power).feasible)
                {
                    continue; // memory does not depend on the powers
                }
                std::function<void(uint32_t)> powers = [&](uint32_t k) {
                    if (k == kCount)
                    {
                        CollaPipeDecision d = model.Evaluate("oracle", sizes, m, share, power);
                        ++count;
                        if (d.feasible && d.objective < best.objective)
                        {
                            best = d;
                        }
                        return;
                    }
                    if (sizes[k] == 0)
                    {
                        powers(k + 1); // an idle device's power changes nothing
                        return;
                    }
                    for (double level : model.GetDevices()[k].powerLevelsW)
                    {
                        power[k] = level;
                        powers(k + 1);
                    }
                    power[k] = model.GetMaxPowerW(k);
                };
                powers(0);
            }
        }
        if (evaluated != nullptr)
        {
            *evaluated = count;
        }
        return best;
    }
    // per device: the largest rate (all the band at full power) and the least energy per bit
    // (p / r is increasing in p / w, so its infimum is the limit p -> 0: ln 2 / (s W kappa))
    std::vector<double> maxRate(kCount);
    std::vector<double> minJoulePerBit(kCount);
    for (uint32_t k = 0; k < kCount; ++k)
    {
        const CollaPipeDevice& dev = model.GetDevices()[k];
        maxRate[k] = model.GetRate(k, 1.0, model.GetMaxPowerW(k));
        minJoulePerBit[k] = std::log(2.0) * gap * cfg.noisePsd / (dev.rateScale * dev.channelGain);
    }

    // every (M, partition) that fits, with a lower bound on its objective
    struct Candidate
    {
        double bound;                       //!< lower bound on the objective
        uint32_t m;                         //!< micro-batches
        const std::vector<uint32_t>* sizes; //!< the partition
    };

    std::vector<Candidate> candidates;
    for (uint32_t m : model.GetMicroBatchCandidates())
    {
        for (const std::vector<uint32_t>& sizes : compositions)
        {
            bool fits = true;
            double sum = 0;
            double bottleneck = 0;
            double upload = 0;
            double queueEnergy = 0;
            uint32_t first = 0;
            const auto stages = static_cast<uint32_t>(
                std::count_if(sizes.begin(), sizes.end(), [](uint32_t n) { return n > 0; }));
            uint32_t stage = 0;
            for (uint32_t k = 0; k < kCount && fits; ++k)
            {
                if (sizes[k] == 0)
                {
                    continue; // idle: nothing to hold, compute or send
                }
                const uint32_t inFlight =
                    CollaPipeRoundModel::GetInFlightMicroBatches(m, stages, stage++);
                if (model.GetSegmentMemoryBytes(m, first, sizes[k], inFlight) >
                    model.GetAvailableMemoryBytes(k))
                {
                    fits = false;
                    break;
                }
                const double c = model.GetSegmentComputeSeconds(k, m, first, sizes[k]);
                const double dbits = 16.0 * model.GetBoundaryBytes(m, first + sizes[k] - 1);
                const double pbits = 8.0 * model.GetSegmentParameterBytes(m, first, sizes[k]);
                sum += c + dbits / maxRate[k];
                bottleneck = std::max(bottleneck, std::max(c, dbits / maxRate[k]));
                upload = std::max(upload, pbits / maxRate[k]);
                queueEnergy += model.GetQueues()[k] *
                               (e * m * c * model.GetDevices()[k].profile.GetBusyPower() +
                                (e * m * dbits + pbits) * minJoulePerBit[k]);
                first += sizes[k];
            }
            if (!fits)
            {
                continue;
            }
            const double bound =
                cfg.v * (e * (sum + (double(m) - 1.0) * bottleneck) +
                         (1.0 + cfg.downloadFactor) * upload + cfg.lambda * model.GetPhi()) +
                queueEnergy;
            candidates.push_back({bound, m, &sizes});
        }
    }
    // cheapest bound first: a good incumbent early prunes the rest
    std::stable_sort(candidates.begin(),
                     candidates.end(),
                     [](const Candidate& x, const Candidate& y) { return x.bound < y.bound; });
    uint32_t count = 0;
    for (const Candidate& cand : candidates)
    {
        if (!(cand.bound < best.objective))
        {
            break; // every later bound is at least as large
        }
        std::vector<double> share;
        std::vector<double> power;
        SolveRadio(model, *cand.sizes, cand.m, share, power);
        CollaPipeDecision d = model.Evaluate("oracle", *cand.sizes, cand.m, share, power);
        ++count;
        if (d.feasible && d.objective < best.objective)
        {
            best = d;
        }
    }
    if (evaluated != nullptr)
    {
        *evaluated = count;
    }
    return best;
}

} // namespace edgellm
} // namespace ns3
