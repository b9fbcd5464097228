#include "leakbisect/app/process_guard.hpp"

#include "leakbisect/app/cgroup.hpp"
#include "leakbisect/core/files.hpp"

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace leakbisect {
namespace {

constexpr int kKillRounds = 100;
constexpr auto kKillRoundPause = std::chrono::milliseconds(20);

// The fields after the command name of /proc/PID/stat: [0] is field 3 (the state).
std::vector<std::string_view> stat_fields(const std::string& stat) {
    std::vector<std::string_view> fields;
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) {
        return fields;
    }
    std::string_view rest = std::string_view(stat).substr(close + 1);
    while (!rest.empty()) {
        const std::size_t start = rest.find_first_not_of(' ');
        if (start == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(start);
        const std::size_t end = rest.find(' ');
        fields.push_back(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    }
    return fields;
}

template <typename Number> std::optional<Number> parse_number(std::string_view text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::vector<pid_t> all_pids() {
    std::vector<pid_t> pids;
    if (DIR* proc = ::opendir("/proc")) {
        while (const dirent* entry = ::readdir(proc)) {
            if (const auto pid = parse_number<pid_t>(entry->d_name); pid && *pid > 0) {
                pids.push_back(*pid);
            }
        }
        ::closedir(proc);
    }
    return pids;
}

// The value of LEAKBISECT_OWNER in the process's environment as it was exec'd.
std::optional<std::string> owner_tag_of(pid_t pid) {
    const auto environ_text = read_small_file(fmt::format("/proc/{}/environ", pid));
    if (!environ_text) {
        return std::nullopt;
    }
    const std::string prefix = std::string(kOwnerVariable) + "=";
    std::string_view rest(*environ_text);
    while (!rest.empty()) {
        const std::size_t end = rest.find('\0');
        const std::string_view entry = rest.substr(0, end);
        if (entry.starts_with(prefix)) {
            return std::string(entry.substr(prefix.size()));
        }
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    }
    return std::nullopt;
}

std::string own_tag_prefix() {
    static const std::string prefix =
        fmt::format("{}.{}.", ::getpid(), live_start_time(::getpid()).value_or(0));
    return prefix;
}

// Kills every process in `tags` (exact) or under `prefix` until none is left (a forking server
// may start a worker while it is being killed); every process killed is added to `killed`.
void kill_tagged(const std::set<std::string>& tags, const std::string& prefix, std::set<ProcessId>& killed) {
    for (int round = 0; round < kKillRounds; ++round) {
        std::vector<ProcessId> found; // one pass over /proc, however many tags a run folder recorded
        for (const pid_t pid : all_pids()) {
            const auto owner = owner_tag_of(pid);
            if (!owner || !((!prefix.empty() && owner->starts_with(prefix)) || tags.count(*owner) == 1)) {
                continue;
            }
            if (const auto start = live_start_time(pid)) {
                found.push_back({pid, *start});
            }
        }
        if (found.empty()) {
            return;
        }
        for (const ProcessId& process : found) {
            if (kill_if_same(process, SIGKILL)) {
                killed.insert(process);
            }
        }
        std::this_thread::sleep_for(kKillRoundPause);
    }
}

// The guardian's whole life: wait for the pipe to close (this leakbisect ended, however), then
// kill what it left. Ignores the terminal's signals, so a Ctrl-C cannot end it first.
[[noreturn]] void guard(int pipe_read_end, const std::string& prefix) {
    for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) {
        ::signal(signal, SIG_IGN);
    }
    ::setsid();
    if (::chdir("/") != 0) {
        // stays where it was: it opens nothing relative
    }
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
    }
    ::dup2(pipe_read_end, 3);
    ::close_range(4, ~0U, 0);
    char byte = 0;
    while (true) {
        const ssize_t count = ::read(3, &byte, 1);
        if (count == 0 || (count < 0 && errno != EINTR)) {
            break; // end of file: every copy of the write end is closed, leakbisect has ended
        }
    }
    std::set<ProcessId> killed;
    kill_tagged({}, prefix, killed);
    remove_cgroups_with_tag_prefix(prefix);
    ::_exit(0);
}

} // namespace

std::optional<std::uint64_t> live_start_time(pid_t pid) {
    const auto stat = read_small_file(fmt::format("/proc/{}/stat", pid));
    if (!stat) {
        return std::nullopt;
    }
    const auto fields = stat_fields(*stat);
    constexpr std::size_t kStartTime = 22 - 3;
    if (fields.size() <= kStartTime || fields[0] == "Z" || fields[0] == "X") {
        return std::nullopt;
    }
    return parse_number<std::uint64_t>(fields[kStartTime]);
}

bool owner_has_ended(std::string_view tag) {
    const std::size_t first = tag.find('.');
    const std::size_t second = tag.find('.', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos) {
        return true;
    }
    const auto pid = parse_number<pid_t>(tag.substr(0, first));
    const auto start = parse_number<std::uint64_t>(tag.substr(first + 1, second - first - 1));
    return !pid || !start || live_start_time(*pid) != *start;
}

std::string new_owner_tag() {
    static std::atomic<unsigned> counter{0};
    return own_tag_prefix() + std::to_string(++counter);
}

std::vector<ProcessId> processes_owned_by(std::string_view tag, bool prefix) {
    std::vector<ProcessId> owned;
    if (tag.empty()) {
        return owned;
    }
    for (const pid_t pid : all_pids()) {
        const auto owner = owner_tag_of(pid);
        if (!owner || !(prefix ? owner->starts_with(tag) : *owner == tag)) {
            continue;
        }
        if (const auto start = live_start_time(pid)) {
            owned.push_back({pid, *start});
        }
    }
    return owned;
}

bool kill_if_same(const ProcessId& process, int signal) {
    if (live_start_time(process.pid) != process.start_time) {
        return false;
    }
    return ::kill(process.pid, signal) == 0;
}

void record_process(const std::filesystem::path& record_file, const ProcessId& process,
                    std::string_view tag) {
    if (record_file.empty()) {
        return;
    }
    std::ofstream out(record_file, std::ios::app);
    out << process.pid << ' ' << process.start_time << ' ' << tag << '\n';
}

std::vector<ProcessId> stop_recorded_processes(const std::filesystem::path& record_file) {
    std::set<ProcessId> killed;
    std::set<std::string> tags;
    std::ifstream in(record_file);
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        ProcessId process;
        std::string tag;
        if (!(fields >> process.pid >> process.start_time >> tag) || process.pid <= 0) {
            continue; // a line torn by a kill mid-write
        }
        if (!owner_has_ended(tag)) {
            continue; // ours, or another leakbisect's that still runs (two runs into one folder)
        }
        tags.insert(tag);
        if (kill_if_same(process, SIGKILL)) {
            killed.insert(process);
        }
    }
    kill_tagged(tags, "", killed);
    return {killed.begin(), killed.end()};
}

void start_guardian() {
    static bool started = false; // one guardian per leakbisect: it watches every tag we make
    if (started) {
        return;
    }
    started = true;
    const std::string prefix = own_tag_prefix();
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) {
        return; // no guardian: resume still stops what is recorded
    }
    const pid_t middle = ::fork();
    if (middle == 0) {
        ::close(ends[1]);
        // Double fork: the guardian is nobody's child here, so it is no descendant of ours.
        if (::fork() == 0) {
            guard(ends[0], prefix);
        }
        ::_exit(0);
    }
    ::close(ends[0]);
    if (middle > 0) {
        int status = 0;
        ::waitpid(middle, &status, 0);
    }
    // The write end stays open, close-on-exec, until this process ends.
}

} // namespace leakbisect
