/* SPDX-License-Identifier: GPL-2.0-only */
#include "sweep-launcher.h"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ns3
{
namespace edgellm
{

namespace
{

/// \return \p text quoted for sh
std::string
Quote(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text)
    {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

} // namespace

std::string
SweepLauncher::GetProgramPath()
{
    std::error_code error;
    const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? "" : path.string();
}

std::string
SweepLauncher::RunLocal(const SweepPlan& plan,
                        const std::vector<uint32_t>& indices,
                        uint32_t jobs,
                        const std::string& program)
{
    std::map<pid_t, uint32_t> running;
    std::size_t next = 0;
    while (next < indices.size() || !running.empty())
    {
        while (next < indices.size() && running.size() < std::max<uint32_t>(jobs, 1))
        {
            const uint32_t index = indices[next++];
            const std::string folder = plan.GetRuns().at(index).folder;
            std::vector<std::string> args{program,
                                          "--mode=run",
                                          "--outputDir=" + plan.GetDirectory(),
                                          "--index=" + std::to_string(index)};
            std::vector<char*> argv;
            for (auto& arg : args)
            {
                argv.push_back(arg.data());
            }
            argv.push_back(nullptr);
            // the worker's own output (a crash's message) beside the run's files
            posix_spawn_file_actions_t actions;
            posix_spawn_file_actions_init(&actions);
            const std::string log = folder + "/worker.log";
            posix_spawn_file_actions_addopen(&actions,
                                             STDOUT_FILENO,
                                             log.c_str(),
                                             O_WRONLY | O_CREAT | O_TRUNC,
                                             0644);
            posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
            pid_t pid = 0;
            const int error =
                posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
            posix_spawn_file_actions_destroy(&actions);
            if (error != 0)
            {
                // let the ones started finish before reporting
                for (const auto& entry : running)
                {
                    int status = 0;
                    waitpid(entry.first, &status, 0);
                }
                return "cannot start '" + program + "' for run " + std::to_string(index);
            }
            running[pid] = index;
        }
        int status = 0;
        const pid_t done = waitpid(-1, &status, 0);
        if (done > 0)
        {
            running.erase(done);
        }
        else
        {
            break;
        }
    }
    return "";
}

std::string
SweepLauncher::SubmitSlurm(const SweepPlan& plan,
                           const std::vector<uint32_t>& indices,
                           const std::string& program,
                           bool wait,
                           std::string& jobId)
{
    jobId.clear();
    if (indices.empty())
    {
        return "";
    }
    const std::string dir = plan.GetDirectory();
    std::filesystem::create_directories(dir + "/logs");
    const std::string script = dir + "/sweep.sbatch";
    {
        std::ofstream out(script);
        out << "#!/bin/sh\n"
            << "#SBATCH --job-name=edge-llm-sweep\n"
            << "#SBATCH --output=" << dir << "/logs/slurm-%A_%a.log\n"
            << "#SBATCH --ntasks=1\n"
            << "#SBATCH --cpus-per-task=1\n"
            << "# one run of the sweep per array task (edge-llm-sweep --mode=run)\n"
            << "exec " << Quote(program) << " --mode=run --outputDir=" << Quote(dir)
            << " --index=\"$SLURM_ARRAY_TASK_ID\"\n";
        if (!out)
        {
            return "outputDir='" + dir + "' is not writable";
        }
    }
    const std::string command = "sbatch --parsable" + std::string(wait ? " --wait" : "") +
                                " --array=" + SweepPlan::ArraySpec(indices) + " " + Quote(script) +
                                " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
    {
        return "cannot run sbatch";
    }
    std::string output;
    char buffer[256];
    while (fgets(buffer, sizeof(buffer), pipe))
    {
        output += buffer;
    }
    const int status = pclose(pipe);
    std::istringstream lines(output);
    std::getline(lines, jobId);
    jobId = jobId.substr(0, jobId.find(';')); // "id;cluster" on federated clusters
    // with --wait sbatch exits non-zero when a task failed: the runs' status files say which
    const bool submitted =
        !jobId.empty() && jobId.find_first_not_of("0123456789") == std::string::npos;
    if (!submitted)
    {
        jobId.clear();
        return "sbatch failed (exit " + std::to_string(WEXITSTATUS(status)) + "): " + output;
    }
    return "";
}

} // namespace edgellm
} // namespace ns3
