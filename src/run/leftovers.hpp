// Before a run, resume, measure or survey does anything else: stop the processes a killed
// leakbisect left running (a guardian normally does, but it can be killed too), as its run folder
// recorded them.
#pragma once

#include "console.hpp"

#include <filesystem>

namespace leakbisect {

// Stops what `run_dir`'s processes.txt names and is still alive (same pid and start time, or
// carrying a recorded owner tag), and says so on the console.
void stop_leftover_processes(const std::filesystem::path& run_dir, const Console& console);

// The same for every run folder in `runs_dir` (the folder a command creates its run folder in).
void stop_leftovers_in_runs(const std::filesystem::path& runs_dir, const Console& console);

} // namespace leakbisect
