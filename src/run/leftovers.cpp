#include "leftovers.hpp"

#include "leakbisect/app/process_guard.hpp"

#include <fmt/format.h>
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
    if (stopped.empty()) {
        return;
    }
    std::vector<pid_t> pids;
    for (const ProcessId& process : stopped) {
        pids.push_back(process.pid);
    }
    console.problem(fmt::format("stopped {} process{} an earlier, killed leakbisect left running for {} "
                                "(pid {})",
                                stopped.size(), stopped.size() == 1 ? "" : "es", run_dir.string(),
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
