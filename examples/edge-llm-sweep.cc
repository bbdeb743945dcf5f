/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * \ingroup edge-llm
 * Study sweeps: a sweep description (a scenario and axes: parameters, runs, seeds) expands into
 * one run per point, each in its own folder; the runs go to this machine (--mode=local, --jobs
 * at a time) or to a Slurm cluster as one job array (--mode=slurm); the results are gathered
 * into runs.csv, a tidy summary.csv (mean and 95% interval over the seeds per point and metric)
 * and a plot per axis. Runs that did not finish are reported and can be started again alone
 * (--only=unfinished). See doc/sweeps.rst.
 *
 *   edge-llm-sweep --sweep=sweeps/collapipe-distance.json --outputDir=out --mode=local --jobs=2
 *   edge-llm-sweep --sweep=... --outputDir=out --mode=slurm          # sbatch --array, waits
 *   edge-llm-sweep --outputDir=out --mode=slurm --only=unfinished     # the failed ones again
 *   edge-llm-sweep --outputDir=out --mode=aggregate
 */

#include "ns3/command-line-counts.h"
#include "ns3/core-module.h"
#include "ns3/sweep-launcher.h"
#include "ns3/sweep-plan.h"
#include "ns3/sweep-report.h"

#include <iostream>
using namespace ns3;
using namespace ns3::edgellm;

int
main(int argc, char* argv[])
{
    ExitOnRefusal("edge-llm-sweep");
    std::string sweep;
    std::string outputDir;
    std::string mode = "local";
    std::string only = "all";
    int64_t jobs = 2;
    int64_t index = -1;
    bool wait = true;
    CommandLine cmd(__FILE__);
    cmd.Usage("Expands a sweep (a scenario and axes) into runs, runs them here or on Slurm, and "
              "gathers them into tables and plots.");
    cmd.AddValue("sweep", "The sweep description (JSON)", sweep);
    cmd.AddValue("outputDir", "The sweep's folder (plan, one folder per run, tables)", outputDir);
    cmd.AddValue("mode",
                 "local (this machine), slurm (a job array), aggregate (tables and plots of the "
                 "runs so far), expand (the plan only), run (one run: what the workers do)",
                 mode);
    cmd.AddValue("jobs", "local: runs at a time (1..1024)", jobs);
    cmd.AddValue("only", "all (expand afresh) or unfinished (the plan's runs not ok)", only);
    cmd.AddValue("index", "run: the run's index", index);
    cmd.AddValue("wait", "slurm: wait for the array and gather (sbatch --wait)", wait);
    cmd.Parse(argc, argv);
    RefuseExtraArguments(cmd);

    std::string problem;
    if (mode != "local" && mode != "slurm" && mode != "aggregate" && mode != "expand" &&
        mode != "run")
    {
        problem = "mode='" + mode + "' is invalid; allowed: local, slurm, aggregate, expand, run";
    }
    else if (outputDir.empty())
    {
        problem = "outputDir: missing; the sweep's folder is required";
    }
    else if (only != "all" && only != "unfinished")
    {
        problem = "only='" + only + "' is invalid; allowed: all, unfinished";
    }
    else if (mode == "local")
    {
        problem = CheckCountOption("jobs", jobs, 1, 1024);
    }
    if (problem.empty() && (mode == "local" || mode == "slurm" || mode == "expand") &&
        only == "all" && sweep.empty())
    {
        problem = "sweep: missing; a sweep description is required to expand (or --only="
                  "unfinished to continue the plan in --outputDir)";
    }
    if (!problem.empty())
    {
        std::cerr << "edge-llm-sweep: " << problem << "\n";
        return 1;
    }

    SweepPlan plan;
    const bool expand = (mode == "local" || mode == "slurm" || mode == "expand") && only == "all";
    problem = expand ? SweepPlan::Load(sweep, plan) : SweepPlan::Open(outputDir, plan);
    if (problem.empty() && expand)
    {
        problem = plan.Expand(outputDir);
    }
    if (problem.empty() && mode == "run")
    {
        problem = CheckCountOption("index",
                                   index,
                                   0,
                                   static_cast<int64_t>(plan.GetRuns().size()) - 1,
                                   "allowed 0.." + std::to_string(plan.GetRuns().size() - 1));
    }
    if (!problem.empty())
    {
        std::cerr << "edge-llm-sweep: " << problem << "\n";
        return 1;
    }
    if (mode == "run")
    {
        return plan.RunOne(static_cast<uint32_t>(index));
    }
    if (mode == "expand")
    {
        std::cout << plan.GetRuns().size() << " runs in " << plan.GetDirectory() << "/plan.json\n";
        return 0;
    }
    if (mode == "aggregate")
    {
        return SweepReport::Tell(plan, std::cout, std::cerr);
    }
    std::vector<uint32_t> indices;
    if (only == "unfinished")
    {
        indices = plan.GetUnfinished();
    }
    else
    {
        for (const SweepRun& run : plan.GetRuns())
        {
            indices.push_back(run.index);
        }
    }
    std::cout << indices.size() << " of " << plan.GetRuns().size() << " runs to do"
              << (indices.empty() ? "" : ": " + SweepPlan::ArraySpec(indices)) << "\n";
    if (mode == "local")
    {
        problem = SweepLauncher::RunLocal(plan,
                                          indices,
                                          static_cast<uint32_t>(jobs),
                                          SweepLauncher::GetProgramPath());
    }
    else
    {
        std::string jobId;
        problem =
            SweepLauncher::SubmitSlurm(plan, indices, SweepLauncher::GetProgramPath(), wait, jobId);
        if (problem.empty() && !jobId.empty())
        {
            std::cout << "Slurm job array " << jobId << "\n";
        }
        if (problem.empty() && !wait)
        {
            std::cout << "gather when it has ended: edge-llm-sweep --mode=aggregate --outputDir="
                      << plan.GetDirectory() << "\n";
            return 0;
        }
    }
    if (!problem.empty())
    {
        std::cerr << "edge-llm-sweep: " << problem << "\n";
        return 1;
    }
    return SweepReport::Tell(plan, std::cout, std::cerr);
}
