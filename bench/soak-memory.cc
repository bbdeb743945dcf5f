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

#include "edge-llm-test-utils.h"

#include "ns3/command-line.h"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3::edgellm;

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
    std::filesystem::create_directories(outputDir);
    ProcessUsage runs[2];
    const uint32_t counts[2] = {baseline, rounds};
    for (int i = 0; i < 2; ++i)
    {
        runs[i] = RunProcess({program,
                              scenario,
                              "--rounds=" + std::to_string(counts[i]),
                              "--seeds=1",
                              "--outputDir=" + outputDir + "/" + std::to_string(counts[i])},
                             outputDir + "/run-" + std::to_string(counts[i]) + ".log");
        if (!runs[i].ok)
        {
            std::cerr << "soak-memory: " << program << " failed for " << counts[i]
                      << " rounds (see " << outputDir << "/run-" << counts[i] << ".log)"
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
