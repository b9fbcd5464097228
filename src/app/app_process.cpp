#include "leakbisect/app/app_process.hpp"

#include "leakbisect/core/secrets.hpp"
#include "leakbisect/memory/sampler.hpp"

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
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <map>
#include <set>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace leakbisect {

namespace process = boost::process;

struct AppProcess::Child {
    process::child child;
};

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr auto kReapTimeout = std::chrono::seconds(5);

std::string quote_command(const std::vector<std::string>& argv) {
    std::vector<std::string> quoted;
    for (const std::string& argument : argv) {
        quoted.push_back(argument.find_first_of(" \t\"'") == std::string::npos ? argument
                                                                               : "'" + argument + "'");
    }
    return fmt::format("{}", fmt::join(quoted, " "));
}

// Signals every process in `pids` and the group; processes that are already gone are fine.
void signal_all(pid_t group, const std::set<pid_t>& pids, int signal) {
    ::kill(-group, signal);
    for (const pid_t pid : pids) {
        ::kill(pid, signal);
    }
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
        return fmt::format("killed by signal {} ({})", signal, ::strsignal(signal));
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

    process::environment environment;
    for (const auto& [key, value] : spec.environment) {
        environment[key] = value;
    }
    const std::vector<std::string> arguments(spec.argv.begin() + 1, spec.argv.end());
    std::error_code failure;
    const pid_t parent = ::getpid();
    auto child = std::make_unique<Child>(Child{process::child(
        process::exe = executable, process::args = arguments, process::env = environment,
        process::start_dir = spec.cwd.string(),
        (process::std_out & process::std_err) > spec.log_file.string(), process::std_in < process::null,
        process::extend::on_exec_setup =
            [parent](auto&) {
                // Its own group, so signals reach every worker; and it dies with us, even on SIGKILL.
                ::setpgid(0, 0);
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (::getppid() != parent) {
                    ::_exit(127);
                }
            },
        failure)});
    if (failure) {
        return make_error(ErrorKind::app_failed, command_line, "could not start: " + failure.message());
    }
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
    if (stopped_) {
        return;
    }
    stopped_ = true;
    const pid_t group = pid();
    std::set<pid_t> family;
    for (const pid_t descendant : descendants_of(group)) {
        family.insert(descendant);
    }
    if (running()) {
        signal_all(group, family, signal);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        while (running() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(kPollInterval);
        }
    }
    // Whatever is left of the group, and workers that escaped it, die now. Orphans were
    // adopted by us (become_subreaper), so they are still found below our own pid.
    for (const pid_t descendant : descendants_of(group)) {
        family.insert(descendant);
    }
    for (const pid_t descendant : descendants_of(::getpid())) {
        if (::getpgid(descendant) == group) {
            family.insert(descendant);
        }
    }
    signal_all(group, family, SIGKILL);
    std::error_code ignored;
    child_->child.wait(ignored);
    reap_adopted(family);
}

} // namespace leakbisect
