// Which processes belong to an app, so none outlives its probe or the run. Every process an app
// starts inherits LEAKBISECT_OWNER=<tag> in its environment (a tag unique to this leakbisect and
// this app), which survives `setsid`, double forks and re-parenting. A process is named by its pid
// and its start time (/proc/PID/stat field 22), so a recycled pid is never mistaken for it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace leakbisect {

inline constexpr std::string_view kOwnerVariable = "LEAKBISECT_OWNER";
// The run folder's record of every process its apps started: "PID START_TIME OWNER_TAG" lines.
inline constexpr std::string_view kProcessRecordName = "processes.txt";

struct ProcessId {
    pid_t pid = 0;
    std::uint64_t start_time = 0; // clock ticks after boot

    bool operator<(const ProcessId& other) const {
        return pid != other.pid ? pid < other.pid : start_time < other.start_time;
    }
    bool operator==(const ProcessId& other) const = default;
};

// The process's start time, or nothing when it has gone (or is a zombie).
std::optional<std::uint64_t> live_start_time(pid_t pid);

// Whether the leakbisect that made `tag` ("<pid>.<start time>.<n>") has ended: its pid is gone or
// now names another process. An unreadable tag counts as ended.
bool owner_has_ended(std::string_view tag);

// A new tag for one app: "<our pid>.<our start time>.<n>".
std::string new_owner_tag();

// Live processes whose LEAKBISECT_OWNER is `tag` (or starts with it, for a prefix such as "1234.5.").
std::vector<ProcessId> processes_owned_by(std::string_view tag, bool prefix = false);

// SIGKILLs the process if it is still the same one (same start time); false when it had gone.
bool kill_if_same(const ProcessId& process, int signal);

// Appends one record line to `record_file`; trouble writing is ignored (the tag scan still works).
void record_process(const std::filesystem::path& record_file, const ProcessId& process, std::string_view tag);

// Stops what a killed leakbisect left: every recorded process still alive with its recorded start
// time, and every live process carrying a recorded tag, unless the leakbisect that made the tag
// still runs (this one, or another run into the same folder). Returns what it killed.
std::vector<ProcessId> stop_recorded_processes(const std::filesystem::path& record_file);

// Forks a small guardian that outlives a SIGKILL of this process and then kills every process
// whose tag this process made (our pid and start time). Call once, first thing, before any thread
// starts and before become_subreaper() (so the guardian is not our descendant).
void start_guardian();

} // namespace leakbisect
