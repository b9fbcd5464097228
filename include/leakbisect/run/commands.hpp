// The commands that run probes or read run folders, as the command line calls them: the whole
// search (run, resume), a single probe (measure), one probe per page (survey), the plan (check)
// and the reports (report). Each returns the exit code of the spec; nothing here calls exit().
#pragma once

#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/run/exit_code.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace leakbisect {

// Commit-range mode: each commit's checkout is removed when the run ends, or kept for a look.
enum class WorktreesAtEnd { remove, keep };
// Commit-range mode: after the commit is found, search the recipe's [[chunk]]s inside its checkout.
enum class ThenChunks { skip, run };

struct RunOptions {
    std::filesystem::path recipe_file;
    std::optional<std::filesystem::path> out_dir; // instead of report.dir
    std::optional<Strategy> strategy;             // instead of search.strategy
    WorktreesAtEnd worktrees = WorktreesAtEnd::remove;
    ThenChunks then_chunks = ThenChunks::skip;
};

ExitCode run_command(const RunOptions& options);
ExitCode resume_command(const std::filesystem::path& run_dir,
                        WorktreesAtEnd worktrees = WorktreesAtEnd::remove);
ExitCode report_command(const std::filesystem::path& run_dir, const std::vector<std::string>& formats);

// One probe with the given chunks on (top-level names; their sub-chunks follow).
struct MeasureOptions {
    std::filesystem::path recipe_file;
    std::optional<std::vector<std::string>> chunks; // nothing: every chunk on
    std::optional<std::filesystem::path> out_dir;
};
ExitCode measure_command(const MeasureOptions& options);

// One probe per [[load.request]] alone, every chunk on; ranks the pages by growth per request.
// Exits 10 when a page leaks, 0 when every page plateaus, 12 when undecided probes hide it.
struct SurveyOptions {
    std::filesystem::path recipe_file;
    std::optional<std::filesystem::path> out_dir;
};
ExitCode survey_command(const SurveyOptions& options);

// Validates the recipe and prints the plan: every chunk's variable, the probes of the chosen
// strategy and their environment. With `boot`, also boots the baseline once and checks readiness.
enum class BootCheck { skip, boot_baseline };
ExitCode check_command(const std::filesystem::path& recipe_file, BootCheck boot);

} // namespace leakbisect
