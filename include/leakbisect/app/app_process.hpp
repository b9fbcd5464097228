// One running instance of the user's app: spawned without a shell in its own process group (and,
// where the machine allows, its own memory cgroup, see cgroup.hpp), stdout and stderr captured to a
// bounded log file, every process it starts tracked (by tag, see process_guard.hpp, so `setsid`
// daemons too), stopped with a signal, a grace period, then SIGKILL to every process it started. The
// destructor stops it too, so no app outlives its owner.
#pragma once

#include "leakbisect/app/cgroup.hpp"
#include "leakbisect/core/expected.hpp"
#include "leakbisect/core/units.hpp"
#include "leakbisect/recipe/recipe.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace leakbisect {

// How much of an app's output its log keeps: the first `head` bytes and the last `tail` bytes,
// with a line saying how much was dropped between them. While the app runs the tail part may
// reach 2 x `tail` before it is cut back.
struct LogCap {
    Bytes head{4 << 20};
    Bytes tail{4 << 20};
};

// Whether the app runs in a memory cgroup of its own (cgroup.hpp): `none` (tools such as git or a
// load command), `if_possible` (the app of a probe: a machine without cgroups still tracks it by
// tag), or `required` (memory.metric = "cgroup": starting fails without one).
enum class CgroupUse { none, if_possible, required };

struct LaunchSpec {
    std::vector<std::string>
        argv; // placeholders already expanded; argv[0] is looked up in PATH without a '/'
    std::filesystem::path cwd;
    EnvList environment;            // the complete environment of the app (LEAKBISECT_OWNER is added)
    std::filesystem::path log_file; // stdout and stderr, written afresh, capped
    // Every process the app starts is appended here as it is seen (empty: not recorded), so a
    // later leakbisect can stop what a killed one left (stop_recorded_processes).
    std::filesystem::path process_record = {};
    LogCap log_cap = {};
    CgroupUse cgroup = CgroupUse::none;
};

// The environment of the app: inherited (when the recipe says so) + recipe env + extra
// (chunk variables, PORT), later entries overriding earlier ones.
EnvList build_environment(bool inherit, const EnvList& recipe_env, const EnvList& extra);

// "exited with status 3", "was killed by signal 11 (SIGSEGV)": read after "the app ".
std::string describe_exit(int raw_wait_status);

// How a process ended, as its wait status: decided on by value, described for people.
struct ExitStatus {
    int raw_wait_status = 0;

    bool succeeded() const; // exited with status 0
    std::string description() const { return describe_exit(raw_wait_status); }
};

class AppProcess {
  public:
    // Fails when the command cannot be started (missing, not executable, bad cwd).
    static Expected<std::unique_ptr<AppProcess>> start(const LaunchSpec& spec);

    AppProcess(const AppProcess&) = delete;
    AppProcess& operator=(const AppProcess&) = delete;
    ~AppProcess();

    pid_t pid() const;
    // The app's own cgroup; null when it runs without one.
    const ProbeCgroup* cgroup() const;
    const std::string& command_line() const { return command_line_; }

    // True while the main process runs; reaps it once it has exited.
    bool running();
    // How the main process ended, once it has.
    std::optional<ExitStatus> exit_status();
    std::optional<std::string> exit_description(); // exit_status()'s description

    // Sends `signal` to the process group and every process the app started, waits up to
    // `grace` for the app to exit (less once `cut_short` becomes true), then SIGKILLs them all
    // (and whatever else is in its cgroup, which is then removed), reaps them, and finishes the
    // log. Safe to call more than once.
    void stop(int signal, Milliseconds grace, const std::atomic<bool>& cut_short);
    void stop(int signal, Milliseconds grace);

  private:
    struct Child;
    AppProcess(std::unique_ptr<Child> child, std::string command_line);

    std::unique_ptr<Child> child_;
    std::string command_line_;
    bool stopped_ = false;
};

// Makes this process the reaper of orphaned descendants, so an app's workers that outlive
// their parent are still ours to find, kill and reap. Call once at start-up.
void become_subreaper();

} // namespace leakbisect
