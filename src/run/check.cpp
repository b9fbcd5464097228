#include "app_boot.hpp"
#include "console.hpp"
#include "leakbisect/core/secrets.hpp"
#include "leakbisect/load/rehearsal.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/run/commands.hpp"
#include "leakbisect/run/interrupt.hpp"
#include "revision_session.hpp"
#include "session.hpp"

#include <algorithm>
#include <cctype>
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

// One configuration booted as a probe would be, in a temporary folder: how long the boot took, what
// each [[load.request]] answered, and the load's rate over a short burst.
struct Rehearsal {
    bool ready = false;
    double boot_seconds = 0;
    std::vector<SentOnce> answers;
    double requests_per_second = 0;
};

// The burst that measures the load's rate: enough requests for a steady rate, few enough for a check.
constexpr std::uint64_t kBurstRequests = 300;

Rehearsal rehearse(const Recipe& recipe, const ChunkSet& enabled, std::string_view label,
                   const Console& console) {
    Rehearsal rehearsal;
    const std::filesystem::path folder =
        std::filesystem::temp_directory_path() / fmt::format("leakbisect-check-{}-{}", ::getpid(), label);
    std::filesystem::create_directories(folder);
    const auto started_at = std::chrono::steady_clock::now();
    auto app = boot_app(recipe, enabled, folder, folder, interrupt_requested());
    if (!app) {
        console.problem(fmt::format("{}: {}", label, to_string(app.error())));
        const std::vector<std::string> tail = log_tail(folder / "app.log");
        if (!tail.empty()) {
            console.line("  app.log ends with:");
            for (const std::string& line : tail) {
                console.line("    | " + line);
            }
        }
    } else {
        rehearsal.ready = true;
        rehearsal.boot_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
        console.line(fmt::format("boot: {} ready after {:.1f}s on port {}", label, rehearsal.boot_seconds,
                                 app->values.port));
        if (recipe.load.command.empty()) {
            rehearsal.answers = send_each_once(app->target, recipe.load.mix, recipe.load.timeout);
            for (const SentOnce& sent : rehearsal.answers) {
                console.line(fmt::format(
                    "  {:<40} {}  {:>8.1f} ms{}", sent.request,
                    sent.status == 0 ? sent.failure : fmt::format("{} {:>7} B", sent.status, sent.bytes),
                    sent.milliseconds, sent.expected ? "" : "  <- not what it expects"));
            }
            const LoadPlan burst{app->target,
                                 recipe.load.mix,
                                 std::min(kBurstRequests, recipe.load.requests),
                                 recipe.load.concurrency,
                                 recipe.load.timeout,
                                 1};
            const LoadStats stats = run_load(burst, ProgressHook{}, interrupt_requested());
            rehearsal.requests_per_second =
                stats.elapsed_seconds > 0 ? static_cast<double>(stats.completed) / stats.elapsed_seconds : 0;
        }
        app->process->stop(recipe.app.stop.signal, recipe.app.stop.grace, interrupt_escalated());
    }
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
    return rehearsal;
}

// `check --boot`: the night rehearsed. The baseline and the all-on configuration booted once each,
// every [[load.request]] sent once to both (a route that does not answer what it expects fails the
// check: every probe would be INVALID), the wiring fingerprint compared, and the duration estimated.
ExitCode rehearse_night(const Recipe& recipe, const SearchProblem& problem, const Console& console) {
    const Rehearsal baseline = rehearse(recipe, {}, "baseline", console);
    if (interrupt_requested().load()) {
        return kExitInterrupted;
    }
    if (!baseline.ready) {
        return kExitAppFailed;
    }
    const std::vector<std::string> chunks = all_chunks(recipe);
    const Rehearsal all_on = rehearse(recipe, ChunkSet(chunks.begin(), chunks.end()), "all-on", console);
    if (interrupt_requested().load()) {
        return kExitInterrupted;
    }
    if (!all_on.ready) {
        console.problem("warning: with every chunk on the app does not become ready; `run` will search for "
                        "the chunk that makes it fail and leave it off, but fix it if you can");
    }
    ExitCode code = kExitNoLeak;
    for (const Rehearsal* rehearsal : {&baseline, &all_on}) {
        for (const SentOnce& sent : rehearsal->answers) {
            if (!sent.expected) {
                console.problem(fmt::format(
                    "{} answered {}, which it does not expect: every probe would be INVALID; fix its path "
                    "in [[load.request]] (or its expect) in {}",
                    sent.request, sent.status == 0 ? sent.failure : std::to_string(sent.status),
                    recipe.file.string()));
                code = kExitAppFailed;
            }
        }
        if (code != kExitNoLeak) {
            return code; // once is enough: the same route fails both
        }
    }
    if (!recipe.load.command.empty()) {
        console.line("wiring: not checked (the load is a command: leakbisect sends no request of its own)");
        return code;
    }
    if (all_on.ready) {
        std::size_t differ = 0;
        for (std::size_t i = 0; i < baseline.answers.size(); ++i) {
            differ += same_response(fingerprint(baseline.answers[i]), fingerprint(all_on.answers[i])) ? 0 : 1;
        }
        if (differ == 0) {
            console.problem("warning: wiring: no-effect: every request got the same answer with every chunk "
                            "on as with every chunk off: the chunk variables do not seem to reach the app "
                            "(check [chunks] env and the variables listed above against what the app reads)");
        } else {
            console.line(fmt::format("wiring: ok ({} of {} requests answer differently with every chunk on)",
                                     differ, baseline.answers.size()));
        }
    }
    // A probe: the boot, then load.requests at the measured rate (the slower configuration's).
    const double rate = all_on.ready && all_on.requests_per_second > 0
                            ? std::min(baseline.requests_per_second, all_on.requests_per_second)
                            : baseline.requests_per_second;
    if (rate > 0) {
        const double probe_seconds = std::max(baseline.boot_seconds, all_on.boot_seconds) +
                                     static_cast<double>(recipe.load.requests) / rate;
        const std::size_t probes = worst_case_probes(problem);
        console.line(fmt::format(
            "estimate: a probe takes about {} (boot + {} requests at {:.0f} req/s; longer when the verdict "
            "extends the load, up to {} requests); the whole run, at most {} probes: about {}",
            format_duration(Milliseconds(static_cast<std::int64_t>(probe_seconds * 1000))),
            recipe.load.requests, rate, recipe.verdict.max_requests, probes,
            format_duration(Milliseconds(
                static_cast<std::int64_t>(probe_seconds * 1000 * static_cast<double>(probes))))));
    }
    return code;
}

// The variable the README's helpers read for a chunk: "CHUNK_" + the name upper-cased, dots as
// underscores (Ruby's upcase.tr(".", "_"), Python's upper().replace(".", "_"), JS's replaceAll).
std::string helper_variable(const std::string& name) {
    std::string variable = "CHUNK_";
    for (const char c : name) {
        variable += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return variable;
}

// Chunk variables an app using the README's helpers would not read, and a free port the app may not
// be told about: each makes every probe run the same app, whatever the search switches.
void warn_about_variables(const Recipe& recipe, const Console& console) {
    for (const ChunkSpec& chunk : recipe.chunks) {
        const std::string helper = helper_variable(chunk.name);
        if (chunk.env.starts_with("CHUNK_") && chunk.env != helper) {
            console.problem(fmt::format(
                "warning: chunk '{}' is switched by {}, but the README's chunk helpers would read {}: "
                "rename the chunk (letters, digits, underscores and dots), or give it env = \"{}\" if "
                "that is what the app reads",
                chunk.name, chunk.env, helper, chunk.env));
        }
    }
    if (!recipe.chunk_settings.env_pattern.starts_with("CHUNK_")) {
        console.problem(
            fmt::format("warning: [chunks] env = \"{}\": the README's chunk helpers read CHUNK_<NAME>; "
                        "make sure the app reads the variables listed above",
                        recipe.chunk_settings.env_pattern));
    }
    const auto mentions_port = [](const std::string& text) {
        return text.find("{port}") != std::string::npos;
    };
    const bool told = std::any_of(recipe.app.command.begin(), recipe.app.command.end(), mentions_port) ||
                      std::any_of(recipe.app.env.begin(), recipe.app.env.end(),
                                  [&](const auto& entry) { return mentions_port(entry.second); });
    if (recipe.app.port == 0 && !told) {
        console.problem(
            "warning: app.port = 0 picks a free port per probe, but app.command and app.env do not "
            "mention {port}: the app must read it from PORT, or every probe waits for readiness "
            "on a port the app does not listen on");
    }
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
    if (Status backing = check_memory_backing(*recipe); !backing) {
        console.problem(to_string(backing.error()));
        return kExitBadUsage;
    }
    const SearchProblem problem = search_problem(*recipe);
    console.line(fmt::format("recipe {} is valid: \"{}\"", recipe->file.string(), recipe->name));
    console.line(fmt::format("app: {} (in {})", fmt::join(redact_arguments(recipe->app.command), " "),
                             recipe->app.cwd.string()));
    console.line(
        recipe->load.command.empty()
            ? fmt::format("load: {} requests over {} connections, {} kinds of request, warm-up {}",
                          recipe->load.requests, recipe->load.concurrency, recipe->load.mix.size(),
                          recipe->load.warmup)
            : fmt::format("load: the command {}", fmt::join(redact_arguments(recipe->load.command), " ")));
    console.line(
        recipe->memory.metric == MemoryMetric::cgroup
            ? fmt::format("memory: cgroup: the app's own cgroup (every process it starts) less inactive file "
                          "cache, every {}",
                          format_duration(recipe->memory.interval))
            : fmt::format("memory: {} of the {}, every {}", to_string(recipe->memory.metric),
                          recipe->memory.scope == MemoryScope::tree ? "whole process tree" : "main process",
                          format_duration(recipe->memory.interval)));
    console.line(process_tracking());
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
    warn_about_variables(*recipe, console);
    if (boot == BootCheck::boot_baseline) {
        return rehearse_night(*recipe, problem, console);
    }
    return kExitNoLeak;
}

} // namespace leakbisect
