#include "app_boot.hpp"
#include "console.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/run/commands.hpp"
#include "leakbisect/run/interrupt.hpp"
#include "revision_session.hpp"
#include "session.hpp"

#include <chrono>
#include <fmt/format.h>
#include <unistd.h>

namespace leakbisect {
namespace {

std::string describe_environment(const EnvList& environment) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : environment) {
        parts.push_back(fmt::format("{}={}", key, value));
    }
    return fmt::format("{}", fmt::join(parts, " "));
}

// Boots the baseline once in a temporary folder, as a probe would, and waits for readiness.
ExitCode boot_baseline(const Recipe& recipe, const Console& console) {
    const std::filesystem::path folder =
        std::filesystem::temp_directory_path() / fmt::format("leakbisect-check-{}", ::getpid());
    std::filesystem::create_directories(folder);
    const auto started_at = std::chrono::steady_clock::now();
    auto app = boot_app(recipe, {}, folder, folder, interrupt_requested());
    if (!app) {
        console.problem(to_string(app.error()));
        return app.error().kind == ErrorKind::interrupted ? kExitInterrupted : kExitAppFailed;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    app->process->stop(recipe.app.stop.signal, recipe.app.stop.grace);
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
    console.line(fmt::format("boot: the baseline was ready after {:.1f}s on port {}, and stopped cleanly",
                             seconds, app->values.port));
    return kExitNoLeak;
}

std::string on_off(bool on) {
    return on ? "on" : "off";
}

// The stages of the search, each probe's environment where it is fixed, and the worst case.
void print_plan(const Recipe& recipe, const SearchProblem& problem, const Console& console) {
    const ProbeBudget budget = probe_budget(problem);
    const std::vector<std::string> top = top_level_chunks(recipe);
    const std::size_t n = top.size();
    console.line(fmt::format(
        "plan ({}, repeats {}, narrow {}, confirm {}): at most {} probes, one fresh app each, "
        "for a culprit that leaks alone ({} to find it{}{})",
        to_string(recipe.search.strategy), problem.repeats, on_off(recipe.search.narrow),
        on_off(recipe.search.confirm), worst_case_probes(problem), budget.search,
        budget.confirmation > 0 ? fmt::format(", {} to confirm it", budget.confirmation) : "",
        problem.repeats > 1 ? fmt::format(", each configuration {} times", problem.repeats) : ""));
    if (budget.per_partner > 0) {
        console.line(
            fmt::format("  each chunk it only leaks together with adds at most {} probes (at most {} "
                        "such chunks)",
                        budget.per_partner, kMostPartners));
    }
    if (problem.repeats > 1) {
        console.line(fmt::format("  a configuration is decided when one verdict leads by {}; disagreeing or "
                                 "inconclusive runs earn more, up to {} runs",
                                 problem.repeats, budget.max_runs_per_configuration));
    }
    console.line(fmt::format("  1. baseline: {}", describe_environment(chunk_environment(recipe, {}))));
    const std::vector<std::string> chunks = all_chunks(recipe);
    console.line(fmt::format("  2. all-on:   {}", describe_environment(chunk_environment(
                                                      recipe, ChunkSet(chunks.begin(), chunks.end())))));
    console.line(
        problem.strategy == SearchStrategy::bisect
            ? fmt::format("  3. binary search over the {} prefixes of the top-level order (sub-chunks "
                          "follow their parent)",
                          n > 0 ? n - 1 : 0)
            : fmt::format("  3. top-level chunks 1..k on, for k = 1 .. {}, until memory stops plateauing",
                          n > 0 ? n - 1 : 0));
    if (recipe.search.narrow && chunks.size() > n) {
        console.line("  4. narrow: inside the guilty chunk, its own code and then its sub-chunks one by one, "
                     "level by level");
    }
    if (recipe.search.confirm) {
        console.line(
            "  5. confirm: the culprit alone (with its parents); if it plateaus, the smallest set of "
            "chunks that leaks together");
        console.line("  6. re-check: the last plateauing and the first leaking configuration once more");
    }
}

} // namespace

ExitCode check_command(const std::filesystem::path& recipe_file, BootCheck boot) {
    const Console console;
    auto recipe = load_recipe(recipe_file);
    if (!recipe) {
        console.problem(to_string(recipe.error()));
        return kExitBadUsage;
    }
    if (Status target = check_load_target(*recipe); !target) {
        console.problem(to_string(target.error()));
        return kExitBadUsage;
    }
    const SearchProblem problem = search_problem(*recipe);
    console.line(fmt::format("recipe {} is valid: \"{}\"", recipe->file.string(), recipe->name));
    console.line(
        fmt::format("app: {} (in {})", fmt::join(recipe->app.command, " "), recipe->app.cwd.string()));
    console.line(recipe->load.command.empty()
                     ? fmt::format("load: {} requests over {} connections, {} kinds of request, warm-up {}",
                                   recipe->load.requests, recipe->load.concurrency, recipe->load.mix.size(),
                                   recipe->load.warmup)
                     : fmt::format("load: the command {}", fmt::join(recipe->load.command, " ")));
    console.line(
        fmt::format("memory: {} of the {}, every {}", to_string(recipe->memory.metric),
                    recipe->memory.scope == MemoryScope::tree ? "whole process tree" : "main process",
                    format_duration(recipe->memory.interval)));
    if (recipe->revisions) {
        const ExitCode range = check_revisions(*recipe, problem, console);
        if (range == kExitNoLeak && boot == BootCheck::boot_baseline) {
            console.line("boot: not rehearsed in commit-range mode: each commit boots in its own checkout "
                         "after its setup, which only a run makes");
        }
        return range;
    }
    console.line("chunks, in enabling order:");
    for (const ChunkSpec& chunk : recipe->chunks) {
        console.line(fmt::format("  {:<32} {}{}", chunk.name, chunk.env,
                                 chunk.note.empty() ? "" : "  # " + chunk.note));
    }
    print_plan(*recipe, problem, console);
    if (boot == BootCheck::boot_baseline) {
        return boot_baseline(*recipe, console);
    }
    return kExitNoLeak;
}

} // namespace leakbisect
