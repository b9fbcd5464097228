#include "leakbisect/app/app_process.hpp"

#include "leakbisect/app/cgroup.hpp"
#include "leakbisect/app/process_guard.hpp"
#include "leakbisect/core/secrets.hpp"
#include "leakbisect/memory/sampler.hpp"
#include "log_relay.hpp"

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/search_path.hpp>
#include <boost/process/start_dir.hpp>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <set>
#include <stop_token>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace leakbisect {

namespace process = boost::process;

// The main process and what keeps track of the rest: its log relay, its owner tag, and every
// process seen with that tag (or below it, or in its group), found again every kTrackInterval.
struct AppProcess::Child {
    process::child child;
    std::unique_ptr<app_detail::LogRelay> log;
    std::string tag;
    std::filesystem::path record;
    std::mutex mutex;
    std::set<ProcessId> seen;
    std::optional<ProbeCgroup> cgroup;
    std::jthread tracker;

    // Adds the app's processes alive now to `seen`, recording each new one.
    void track(pid_t main) {
        std::vector<ProcessId> found = processes_owned_by(tag);
        const auto add = [&found](pid_t pid) {
            if (const auto start = live_start_time(pid)) {
                found.push_back({pid, *start});
            }
        };
        add(main);
        for (const pid_t descendant : descendants_of(main)) {
            add(descendant);
        }
        // Ours by adoption (become_subreaper) and still in the app's group: escaped workers.
        for (const pid_t descendant : descendants_of(::getpid())) {
            if (::getpgid(descendant) == main) {
                add(descendant);
            }
        }
        const std::scoped_lock lock(mutex);
        for (const ProcessId& process : found) {
            if (seen.insert(process).second) {
                record_process(record, process, tag);
            }
        }
    }

    // The processes seen so far that are still alive (not zombies, not recycled pids).
    std::vector<ProcessId> alive() {
        const std::scoped_lock lock(mutex);
        std::vector<ProcessId> living;
        for (const ProcessId& process : seen) {
            if (live_start_time(process.pid) == process.start_time) {
                living.push_back(process);
            }
        }
        return living;
    }
};

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr auto kReapTimeout = std::chrono::seconds(5);
constexpr auto kTrackInterval = std::chrono::milliseconds(200);
constexpr auto kLogDrainTimeout = std::chrono::milliseconds(1000);
constexpr int kKillRounds = 200;

std::string quote_command(const std::vector<std::string>& argv) {
    std::vector<std::string> quoted;
    for (const std::string& argument : argv) {
        quoted.push_back(argument.find_first_of(" \t\"'") == std::string::npos ? argument
                                                                               : "'" + argument + "'");
    }
    return fmt::format("{}", fmt::join(quoted, " "));
}

// Signals the group and every process in `processes`; processes that are already gone are fine.
void signal_all(pid_t group, const std::vector<ProcessId>& processes, int signal) {
    ::kill(-group, signal);
    for (const ProcessId& process : processes) {
        kill_if_same(process, signal);
    }
}

const std::atomic<bool> kNeverCutShort{false};

// Moves the calling process into the cgroup ("0": the writer). Async-signal-safe, for the child
// between fork and exec; says why on stderr (the app's log) when it fails.
bool join_cgroup(const char* procs_file) {
    const int fd = ::open(procs_file, O_WRONLY | O_CLOEXEC);
    const bool joined = fd >= 0 && ::write(fd, "0", 1) == 1;
    if (fd >= 0) {
        ::close(fd);
    }
    if (!joined) {
        constexpr std::string_view message = "leakbisect: could not move the app into its cgroup\n";
        [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, message.data(), message.size());
    }
    return joined;
}

// Reaps orphaned descendants that this process adopted as a subreaper.
void reap_adopted(const std::set<pid_t>& pids) {
    const auto deadline = std::chrono::steady_clock::now() + kReapTimeout;
    std::set<pid_t> waiting = pids;
    while (!waiting.empty() && std::chrono::steady_clock::now() < deadline) {
        for (auto it = waiting.begin(); it != waiting.end();) {
            int status = 0;
            const pid_t result = ::waitpid(*it, &status, WNOHANG);
            // ECHILD: not our child (its own parent reaps it) or already reaped.
            if (result == *it || (result < 0 && errno == ECHILD)) {
                it = waiting.erase(it);
            } else {
                ++it;
            }
        }
        if (!waiting.empty()) {
            std::this_thread::sleep_for(kPollInterval);
        }
    }
}

} // namespace

EnvList build_environment(bool inherit, const EnvList& recipe_env, const EnvList& extra) {
    std::map<std::string, std::string> merged;
    std::vector<std::string> order;
    const auto put = [&](const std::string& key, const std::string& value) {
        if (merged.find(key) == merged.end()) {
            order.push_back(key);
        }
        merged[key] = value;
    };
    if (inherit) {
        for (char** entry = environ; *entry != nullptr; ++entry) {
            const std::string_view text(*entry);
            const std::size_t equals = text.find('=');
            if (equals != std::string_view::npos) {
                put(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
            }
        }
    }
    for (const auto& [key, value] : recipe_env) {
        put(key, value);
    }
    for (const auto& [key, value] : extra) {
        put(key, value);
    }
    EnvList environment;
    for (const std::string& key : order) {
        environment.emplace_back(key, merged[key]);
    }
    return environment;
}

std::string describe_exit(int raw_wait_status) {
    if (WIFEXITED(raw_wait_status)) {
        return fmt::format("exited with status {}", WEXITSTATUS(raw_wait_status));
    }
    if (WIFSIGNALED(raw_wait_status)) {
        const int signal = WTERMSIG(raw_wait_status);
        const char* name = ::sigabbrev_np(signal); // "SEGV"; null for a number with no name
        return name != nullptr ? fmt::format("was killed by signal {} (SIG{})", signal, name)
                               : fmt::format("was killed by signal {}", signal);
    }
    return fmt::format("ended with wait status {}", raw_wait_status);
}

void become_subreaper() {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

Expected<std::unique_ptr<AppProcess>> AppProcess::start(const LaunchSpec& spec) {
    const std::string command_line = quote_command(redact_arguments(spec.argv)); // printed and journaled
    if (spec.argv.empty()) {
        return make_error(ErrorKind::app_failed, "app.command", "the command is empty");
    }
    boost::filesystem::path executable = spec.argv.front();
    if (spec.argv.front().find('/') == std::string::npos) {
        executable = process::search_path(spec.argv.front());
        if (executable.empty()) {
            return make_error(ErrorKind::app_failed, command_line,
                              fmt::format("'{}' is not on PATH; install it or give its path in app.command",
                                          spec.argv.front()));
        }
    } else if (!executable.is_absolute()) {
        executable = boost::filesystem::path(spec.cwd.string()) / executable;
    }
    if (::access(executable.c_str(), X_OK) != 0) {
        return make_error(
            ErrorKind::app_failed, command_line,
            fmt::format("'{}' does not exist or is not executable (looked in {}); check app.command "
                        "and app.cwd, and that the app is built",
                        executable.string(), spec.cwd.string()));
    }
    if (!std::filesystem::is_directory(spec.cwd)) {
        return make_error(
            ErrorKind::app_failed, command_line,
            fmt::format("the working folder '{}' does not exist; check app.cwd", spec.cwd.string()));
    }

    auto log = app_detail::LogRelay::open(spec.log_file, spec.log_cap);
    if (!log) {
        return log.error();
    }
    auto child = std::make_unique<Child>();
    child->log = std::move(log.value());
    child->tag = new_owner_tag();
    child->record = spec.process_record;
    if (spec.cgroup != CgroupUse::none) {
        const Expected<CgroupSite>& site = machine_cgroup_site();
        auto cgroup = site ? create_probe_cgroup(*site, child->tag, spec.process_record)
                           : Expected<ProbeCgroup>(site.error());
        if (cgroup) {
            child->cgroup = std::move(cgroup.value());
        } else if (spec.cgroup == CgroupUse::required) {
            return make_error(ErrorKind::app_failed, command_line,
                              fmt::format("memory.metric = \"cgroup\" needs a cgroup of its own for the app, "
                                          "and {}; use metric = \"pss\" or \"rss\" instead",
                                          cgroup.error().message));
        }
    }
    // The child may not allocate between fork and exec: the path is ready as a C string.
    const char* cgroup_procs = child->cgroup ? child->cgroup->procs_file.c_str() : nullptr;
    process::environment environment;
    for (const auto& [key, value] : spec.environment) {
        environment[key] = value;
    }
    environment[std::string(kOwnerVariable)] = child->tag;
    const std::vector<std::string> arguments(spec.argv.begin() + 1, spec.argv.end());
    std::error_code failure;
    const pid_t parent = ::getpid();
    const int output = child->log->write_end();
    child->child = process::child(
        process::exe = executable, process::args = arguments, process::env = environment,
        process::start_dir = spec.cwd.string(), process::std_in < process::null,
        process::extend::on_exec_setup =
            [parent, output, cgroup_procs](auto&) {
                ::dup2(output, STDOUT_FILENO);
                ::dup2(output, STDERR_FILENO);
                // Its own group, so signals reach every worker; and it dies with us, even on SIGKILL.
                ::setpgid(0, 0);
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (::getppid() != parent) {
                    ::_exit(127);
                }
                // Its own cgroup before it execs, so everything it ever starts is in it too.
                if (cgroup_procs != nullptr && !join_cgroup(cgroup_procs)) {
                    ::_exit(127);
                }
            },
        failure);
    child->log->close_write_end();
    if (failure) {
        if (child->cgroup) {
            empty_and_remove(child->cgroup->path);
        }
        return make_error(ErrorKind::app_failed, command_line, "could not start: " + failure.message());
    }
    const pid_t main = child->child.id();
    child->track(main);
    child->tracker = std::jthread([&tracked = *child, main](const std::stop_token& stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, kTrackInterval, [] { return false; });
            if (!stop.stop_requested()) {
                tracked.track(main);
            }
        }
    });
    return std::unique_ptr<AppProcess>(new AppProcess(std::move(child), command_line));
}

AppProcess::AppProcess(std::unique_ptr<Child> child, std::string command_line)
    : child_(std::move(child)), command_line_(std::move(command_line)) {}

AppProcess::~AppProcess() {
    stop(SIGKILL, Milliseconds{0});
}

pid_t AppProcess::pid() const {
    return child_->child.id();
}

const ProbeCgroup* AppProcess::cgroup() const {
    return child_->cgroup ? &*child_->cgroup : nullptr;
}

bool AppProcess::running() {
    std::error_code ignored;
    return child_->child.running(ignored);
}

bool ExitStatus::succeeded() const {
    return WIFEXITED(raw_wait_status) && WEXITSTATUS(raw_wait_status) == 0;
}

std::optional<ExitStatus> AppProcess::exit_status() {
    if (running()) {
        return std::nullopt;
    }
    return ExitStatus{child_->child.native_exit_code()};
}

std::optional<std::string> AppProcess::exit_description() {
    const auto status = exit_status();
    return status ? std::optional<std::string>(status->description()) : std::nullopt;
}

void AppProcess::stop(int signal, Milliseconds grace) {
    stop(signal, grace, kNeverCutShort);
}

void AppProcess::stop(int signal, Milliseconds grace, const std::atomic<bool>& cut_short) {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    Child& child = *child_;
    child.tracker.request_stop();
    if (child.tracker.joinable()) {
        child.tracker.join();
    }
    const pid_t group = pid();
    child.track(group);
    if (running()) {
        signal_all(group, child.alive(), signal);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        while (running() && !cut_short.load() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(kPollInterval);
        }
    }
    // Whatever is left dies now: the group, workers that left it, daemons that called setsid.
    // Again and again, since a dying master may still fork; the main process's exit code is
    // left to Boost.Process, the others are reaped below.
    for (int round = 0; round < kKillRounds; ++round) {
        child.track(group);
        const std::vector<ProcessId> living = child.alive();
        if (living.empty()) {
            break;
        }
        signal_all(group, living, SIGKILL);
        std::this_thread::sleep_for(kPollInterval / 4);
    }
    std::set<pid_t> adopted;
    if (child.cgroup) {
        // Whatever the tracking missed is still in the app's cgroup: it dies with the cgroup.
        const CgroupCleanup cleanup = empty_and_remove(child.cgroup->path);
        adopted.insert(cleanup.killed.begin(), cleanup.killed.end());
    }
    std::error_code ignored;
    child.child.wait(ignored);
    for (const ProcessId& process : child.seen) {
        adopted.insert(process.pid);
    }
    adopted.erase(group);
    reap_adopted(adopted);
    child.log->finish(kLogDrainTimeout);
}

} // namespace leakbisect
