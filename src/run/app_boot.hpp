// Booting the user's app as a probe does, and as `check --boot` does once for the baseline: a
// port, the placeholders, the environment with the chunk variables, the process, and readiness.
// The caller drives the load and stops the app.
#pragma once

#include "leakbisect/app/app_process.hpp"
#include "leakbisect/core/expected.hpp"
#include "leakbisect/load/driver.hpp"
#include "leakbisect/recipe/placeholders.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/recipe/recipe.hpp"

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace leakbisect {

struct BootedApp {
    std::unique_ptr<AppProcess> process;
    Placeholders values; // {port}, {run_dir}, {probe_dir} as the app got them
    LoadTarget target;
    EnvList environment; // the app's whole environment (a load command gets it too)
};

// Starts the app with `enabled` on, logging to probe_dir/app.log, and waits until it is ready.
// Fails with ErrorKind::interrupted when `cancel` becomes true; a started app is stopped on failure.
Expected<BootedApp> boot_app(const Recipe& recipe, const ChunkSet& enabled,
                             const std::filesystem::path& run_dir, const std::filesystem::path& probe_dir,
                             const std::atomic<bool>& cancel);

// The last `count` non-empty lines of a log, each cut at kLogLineWidth (none when it cannot be
// read): the app's own words on why it failed ("Missing secret_key_base") belong on the terminal
// when a boot fails, not one `tail` away.
inline constexpr std::size_t kLogTailLines = 5;
inline constexpr std::size_t kLogLineWidth = 300;
std::vector<std::string> log_tail(const std::filesystem::path& file, std::size_t count = kLogTailLines);

} // namespace leakbisect
