#include "leakbisect/app/app_process.hpp"
#include "leakbisect/app/readiness.hpp"
#include "leakbisect/core/text.hpp"
#include "leakbisect/load/url.hpp"
#include "leakbisect/recipe/placeholders.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/run/interrupt.hpp"
#include "leakbisect/run/orchestrator.hpp"
#include "leakbisect/run/progress.hpp"
#include "leakbisect/run/session.hpp"

#include <chrono>
#include <fmt/format.h>
#include <unistd.h>

namespace leakbisect {
namespace {

std::string describe_environment(const EnvList& environment) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : environment) {
        parts.push_back(key + "=" + value);
    }
    return join(parts, " ");
}

// Boots the baseline once in a temporary folder and waits for readiness.
int boot_baseline(const Recipe& recipe, const Console& console) {
    auto port = recipe.app.port != 0 ? Expected<std::uint16_t>(recipe.app.port) : find_free_port();
    if (!port) {
        console.problem(to_string(port.error()));
        return kExitAppFailed;
    }
    const std::filesystem::path folder =
        std::filesystem::temp_directory_path() / fmt::format("leakbisect-check-{}", ::getpid());
    std::filesystem::create_directories(folder);
    const Placeholders values{*port, recipe.dir, folder, folder};
    const auto target =
        parse_base_url(expand_placeholders(recipe.load.base_url, values), recipe.load.allow_remote);
    EnvList extra = chunk_environment(recipe, {});
    extra.emplace_back("PORT", std::to_string(*port));
    EnvList recipe_env;
    for (const auto& [key, value] : recipe.app.env) {
        recipe_env.emplace_back(key, expand_placeholders(value, values));
    }
    std::vector<std::string> argv;
    for (const std::string& argument : recipe.app.command) {
        argv.push_back(expand_placeholders(argument, values));
    }
    const std::filesystem::path log_file = folder / "app.log";
    const auto started_at = std::chrono::steady_clock::now();
    auto app = AppProcess::start(
        {argv, recipe.app.cwd, build_environment(recipe.app.inherit_env, recipe_env, extra), log_file});
    if (!app) {
        console.problem(to_string(app.error()));
        return kExitAppFailed;
    }
    const Status ready = wait_until_ready(**app, recipe.app.ready, target ? *target : LoadTarget{}, log_file,
                                          interrupt_requested());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    (*app)->stop(recipe.app.stop.signal, recipe.app.stop.grace);
    if (!ready) {
        console.problem(to_string(ready.error()));
        return ready.error().kind == ErrorKind::interrupted ? kExitInterrupted : kExitAppFailed;
    }
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
    console.line(fmt::format("boot: the baseline was ready after {:.1f}s on port {}, and stopped cleanly",
                             seconds, *port));
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
        on_off(recipe.search.confirm), (budget.search + budget.confirmation) * problem.repeats, budget.search,
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

int check_command(const std::filesystem::path& recipe_file, BootCheck boot) {
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
    const RunSession session{*recipe, {}, {}};
    const SearchProblem problem = search_problem(session);
    console.line(fmt::format("recipe {} is valid: \"{}\"", recipe->file.string(), recipe->name));
    console.line(fmt::format("app: {} (in {})", join(recipe->app.command, " "), recipe->app.cwd.string()));
    console.line(recipe->load.command.empty()
                     ? fmt::format("load: {} requests over {} connections, {} kinds of request, warm-up {}",
                                   recipe->load.requests, recipe->load.concurrency, recipe->load.mix.size(),
                                   recipe->load.warmup)
                     : fmt::format("load: the command {}", join(recipe->load.command, " ")));
    console.line(
        fmt::format("memory: {} of the {}, every {}", to_string(recipe->memory.metric),
                    recipe->memory.scope == MemoryScope::tree ? "whole process tree" : "main process",
                    format_duration(recipe->memory.interval)));
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
