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
    console.line(fmt::format("plan ({}): at most {} probes, one fresh app each",
                             to_string(recipe->search.strategy), worst_case_probes(problem)));
    const std::size_t n = problem.chunks.size();
    console.line(fmt::format("  1. baseline: {}", describe_environment(chunk_environment(*recipe, {}))));
    console.line(fmt::format(
        "  2. all-on:   {}",
        describe_environment(chunk_environment(
            *recipe, with_sub_chunks(*recipe, ChunkSet(problem.chunks.begin(), problem.chunks.end()))))));
    console.line(
        problem.strategy == SearchStrategy::bisect
            ? fmt::format("  then binary search over the {} prefixes of the chunk order", n > 0 ? n - 1 : 0)
            : fmt::format("  then chunks 1..k on, for k = 1 .. {}, until memory stops plateauing",
                          n > 0 ? n - 1 : 0));
    if (boot == BootCheck::boot_baseline) {
        return boot_baseline(*recipe, console);
    }
    return kExitNoLeak;
}

} // namespace leakbisect
