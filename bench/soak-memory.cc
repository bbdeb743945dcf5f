/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * \file
 * Benchmark and check: memory stays bounded over long runs.
 *
 * Runs the same flow-level CollaPipe study (bench/scenarios/collapipe-soak.json: the tiny
 * encoder over Wi-Fi with fading, DSSDA) twice, as separate edge-llm-run processes: a baseline
 * of --baseline rounds and a soak of --rounds rounds. Each process's peak resident set comes
 * from the kernel (wait4's ru_maxrss), so nothing of one run is counted in the other. The
 * report gives both peaks, their ratio and the wall time per round; the exit code is 1 when the
 * ratio exceeds --maxRatio (issue: at most 1.2 for 2,000 rounds against 50), so CTest runs it as
 * a test too.
 */

#include "ns3/command-line.h"

#include <chrono>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace
{

/** What one child process used. */
struct Usage
{
    bool ok{false};          //!< exited with status 0
    long peakKiB{0};         //!< peak resident set, KiB
    double wallSeconds{0.0}; //!< wall time
};

/**
 * Run a program to completion, its output discarded.
 * \param arguments the program and its arguments
 * \return what it used
 */
Usage
Run(const std::vector<std::string>& arguments)
{
    Usage usage;
    const auto start = std::chrono::steady_clock::now();
    pid_t child = fork();
    if (child == 0)
    {
        std::freopen("/dev/null", "w", stdout);
        std::vector<char*> argv;
        for (const std::string& a : arguments)
        {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        std::perror(argv[0]);
        _exit(127);
    }
    if (child < 0)
    {
        std::perror("fork");
        return usage;
    }
    int status = 0;
    rusage resources{};
    if (wait4(child, &status, 0, &resources) != child)
    {
        std::perror("wait4");
        return usage;
    }
    usage.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    usage.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    usage.peakKiB = resources.ru_maxrss; // KiB on Linux
    return usage;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string program = EDGE_LLM_RUN_PROGRAM;
    std::string scenario = EDGE_LLM_SOAK_SCENARIO;
    std::string outputDir = "results/bench/soak";
    uint32_t baseline = 50;
    uint32_t rounds = 2000;
    double maxRatio = 1.2;
    ns3::CommandLine cmd(__FILE__);
    cmd.AddValue("program", "The edge-llm-run program", program);
    cmd.AddValue("scenario", "The scenario file", scenario);
    cmd.AddValue("baseline", "Rounds of the baseline run", baseline);
    cmd.AddValue("rounds", "Rounds of the soak run", rounds);
    cmd.AddValue("maxRatio", "Largest peak-memory ratio soak / baseline that passes", maxRatio);
    cmd.AddValue("outputDir", "Output folder of the two runs", outputDir);
    cmd.Parse(argc, argv);

    std::cout << "Soak: peak resident memory of " << rounds << " flow-level CollaPipe rounds "
              << "against " << baseline << " (" << scenario << ")" << std::endl;
    Usage runs[2];
    const uint32_t counts[2] = {baseline, rounds};
    for (int i = 0; i < 2; ++i)
    {
        runs[i] = Run({program,
                       scenario,
                       "--rounds=" + std::to_string(counts[i]),
                       "--seeds=1",
                       "--outputDir=" + outputDir + "/" + std::to_string(counts[i])});
        if (!runs[i].ok)
        {
            std::cerr << "soak-memory: " << program << " failed for " << counts[i] << " rounds"
                      << std::endl;
            return 1;
        }
        std::cout << std::setw(6) << counts[i] << " rounds: peak " << std::fixed
                  << std::setprecision(1) << runs[i].peakKiB / 1024.0 << " MiB, wall "
                  << runs[i].wallSeconds << " s (" << std::setprecision(2)
                  << 1e3 * runs[i].wallSeconds / counts[i] << " ms per round)" << std::endl;
    }
    const double ratio = static_cast<double>(runs[1].peakKiB) / runs[0].peakKiB;
    std::cout << "peak ratio " << rounds << " / " << baseline << " rounds: " << std::setprecision(3)
              << ratio << " (pass: at most " << maxRatio << ")" << std::endl;
    return ratio <= maxRatio ? 0 : 1;
}
