// The commands as the command line calls them: the real probe runner, the terminal, and the
// process's Ctrl-C flag.
#include "leakbisect/run/commands.hpp"

#include "leakbisect/run/interrupt.hpp"
#include "orchestrator.hpp"

#include <fmt/format.h>
#include <string_view>

namespace leakbisect {
namespace {

// measure and survey switch chunks; a [revisions] recipe has commits instead, searched only by run.
bool refuses_revisions(const std::filesystem::path& recipe_file, std::string_view command) {
    const auto recipe = load_recipe(recipe_file);
    if (!recipe || !recipe->revisions) {
        return false; // the command itself reports a bad recipe
    }
    Console().problem(fmt::format("{}: `leakbisect {}` probes chunks, and this recipe has [revisions] "
                                  "instead: use `leakbisect run` to search its commits",
                                  recipe->file.string(), command));
    return true;
}

template <typename Command, typename Options>
ExitCode with_real_probes(Command command, const Options& options) {
    AppProbeRunner runner;
    const Console console;
    return command(options, Probing{runner, console, interrupt_requested()});
}

} // namespace

ExitCode run_command(const RunOptions& options) {
    return with_real_probes(run_search, options);
}

ExitCode resume_command(const std::filesystem::path& run_dir, WorktreesAtEnd worktrees) {
    return with_real_probes(
        [worktrees](const std::filesystem::path& dir, const Probing& probing) {
            return resume_search(dir, probing, worktrees);
        },
        run_dir);
}

ExitCode measure_command(const MeasureOptions& options) {
    if (refuses_revisions(options.recipe_file, "measure")) {
        return kExitBadUsage;
    }
    return with_real_probes(measure_chunks, options);
}

ExitCode survey_command(const SurveyOptions& options) {
    if (refuses_revisions(options.recipe_file, "survey")) {
        return kExitBadUsage;
    }
    return with_real_probes(survey_pages, options);
}

ExitCode report_command(const std::filesystem::path& run_dir, const std::vector<std::string>& formats) {
    return rewrite_reports(run_dir, formats, Console());
}

} // namespace leakbisect
