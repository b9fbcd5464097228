#include "leftovers.hpp"

#include "leakbisect/app/cgroup.hpp"
#include "leakbisect/app/process_guard.hpp"

#include <fmt/format.h>
#include <set>
#include <string>
#include <vector>

namespace leakbisect {

void stop_leftover_processes(const std::filesystem::path& run_dir, const Console& console) {
    const std::filesystem::path record = run_dir / kProcessRecordName;
    std::error_code ignored;
    if (!std::filesystem::exists(record, ignored)) {
        return;
    }
    const std::vector<ProcessId> stopped = stop_recorded_processes(record);
    // Then the cgroups it made: whatever the tags missed in them dies, and the folders go.
    const RecordedCgroups cgroups = remove_recorded_cgroups(record);
    std::set<pid_t> pids(cgroups.killed.begin(), cgroups.killed.end());
    for (const ProcessId& process : stopped) {
        pids.insert(process.pid);
    }
    if (!cgroups.removed.empty()) {
        std::vector<std::string> paths;
        for (const std::filesystem::path& path : cgroups.removed) {
            paths.push_back(path.string());
        }
        console.problem(fmt::format("removed {} cgroup{} an earlier, killed leakbisect left for {}: {}",
                                    paths.size(), paths.size() == 1 ? "" : "s", run_dir.string(),
                                    fmt::join(paths, ", ")));
    }
    if (pids.empty()) {
        return;
    }
    console.problem(fmt::format("stopped {} process{} an earlier, killed leakbisect left running for {} "
                                "(pid {})",
                                pids.size(), pids.size() == 1 ? "" : "es", run_dir.string(),
                                fmt::join(pids, ", ")));
}

void stop_leftovers_in_runs(const std::filesystem::path& runs_dir, const Console& console) {
    std::error_code failure;
    for (const auto& entry : std::filesystem::directory_iterator(runs_dir, failure)) {
        if (entry.is_directory(failure)) {
            stop_leftover_processes(entry.path(), console);
        }
    }
}

} // namespace leakbisect
