// The commands that run probes: the whole search (run, resume) and a single probe (measure).
// Each returns the process exit code of the spec; nothing here calls exit().
#pragma once

#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/report/report.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace leakbisect {

// Exit codes of the spec.
enum ExitCode : int {
    kExitNoLeak = 0,
    kExitBadUsage = 2,
    kExitAppFailed = 3,
    kExitLocalized = 10,
    kExitLeakOutsideChunks = 11,
    kExitInconclusive = 12,
    kExitInterrupted = 130,
};

struct RunOptions {
    std::filesystem::path recipe_file;
    std::optional<std::filesystem::path> out_dir; // instead of report.dir
    std::optional<Strategy> strategy;             // instead of search.strategy
};

int run_command(const RunOptions& options);
int resume_command(const std::filesystem::path& run_dir);
int report_command(const std::filesystem::path& run_dir, const std::vector<std::string>& formats);

// One probe with the given chunks on (top-level names; their sub-chunks follow).
struct MeasureOptions {
    std::filesystem::path recipe_file;
    std::optional<std::vector<std::string>> chunks; // nothing: every chunk on
    std::optional<std::filesystem::path> out_dir;
};
int measure_command(const MeasureOptions& options);

// One probe per [[load.request]] alone, every chunk on; ranks the pages by growth per request.
// Exits 10 when a page leaks, 0 when every page plateaus, 12 when undecided probes hide it.
struct SurveyOptions {
    std::filesystem::path recipe_file;
    std::optional<std::filesystem::path> out_dir;
};
int survey_command(const SurveyOptions& options);

// A survey's ranked report from its pages' journaled records (for `survey`, and `report` on a
// survey's run folder); its exit_code is the survey's.
SurveyReport survey_report(const Recipe& recipe, const std::filesystem::path& run_dir,
                           std::vector<ProbeRecord> pages);

} // namespace leakbisect

namespace leakbisect {

// Validates the recipe and prints the plan: every chunk's variable, the probes of the chosen
// strategy and their environment. With `boot`, also boots the baseline once and checks readiness.
enum class BootCheck { skip, boot_baseline };
int check_command(const std::filesystem::path& recipe_file, BootCheck boot);

} // namespace leakbisect
