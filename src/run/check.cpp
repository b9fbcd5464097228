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

void print_log_tail(const std::filesystem::path& file, const Console& console) {
    const std::vector<std::string> tail = log_tail(file);
    if (!tail.empty()) {
        console.line(fmt::format("  {} ends with:", file.filename().string()));
        for (const std::string& line : tail) {
            console.line("    | " + line);
        }
    }
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
        print_log_tail(folder / "app.log", console);
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

// Whether every request got an answer it expects; says which did not (every probe would be INVALID).
bool answers_expected(const Rehearsal& rehearsal, const Recipe& recipe, const Console& console) {
    bool expected = true;
    for (const SentOnce& sent : rehearsal.answers) {
        if (!sent.expected) {
            console.problem(fmt::format(
                "{} answered {}, which it does not expect: every probe would be INVALID; fix its path "
                "in [[load.request]] (or its expect) in {}",
                sent.request, sent.status == 0 ? sent.failure : std::to_string(sent.status),
                recipe.file.string()));
            expected = false;
        }
    }
    return expected;
}

// A probe: its setup (commit-range mode), the boot, then load.requests at the measured rate.
void print_estimate(const Recipe& recipe, double boot_seconds, double setup_seconds, double rate,
                    std::size_t probes, const Console& console) {
    if (rate <= 0) {
        return;
    }
    const double probe_seconds =
        setup_seconds + boot_seconds + static_cast<double>(recipe.load.requests) / rate;
    console.line(fmt::format(
        "estimate: a probe takes about {} ({}boot + {} requests at {:.0f} req/s; longer when the verdict "
        "extends the load, up to {} requests); the whole run, at most {} probes: about {}",
        format_duration(Milliseconds(static_cast<std::int64_t>(probe_seconds * 1000))),
        setup_seconds > 0 ? "setup + " : "", recipe.load.requests, rate, recipe.verdict.max_requests, probes,
        format_duration(
            Milliseconds(static_cast<std::int64_t>(probe_seconds * 1000 * static_cast<double>(probes))))));
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
    for (const Rehearsal* rehearsal : {&baseline, &all_on}) {
        if (!answers_expected(*rehearsal, recipe, console)) {
            return kExitAppFailed; // once is enough: the same route fails both
        }
    }
    if (!recipe.load.command.empty()) {
        console.line("wiring: not checked (the load is a command: leakbisect sends no request of its own)");
        return kExitNoLeak;
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
    // The slower configuration's rate.
    const double rate = all_on.ready && all_on.requests_per_second > 0
                            ? std::min(baseline.requests_per_second, all_on.requests_per_second)
                            : baseline.requests_per_second;
    print_estimate(recipe, std::max(baseline.boot_seconds, all_on.boot_seconds), 0, rate,
                   worst_case_probes(problem), console);
    return kExitNoLeak;
}

// `check --boot` in commit-range mode: good and bad each checked out in a temporary folder (the
// user's work tree untouched), set up, booted and sent every [[load.request]] once, as their
// probes will be; then the duration estimated with the setup's time in every probe.
ExitCode rehearse_commits(const Recipe& recipe, const RevisionRange& range, const SearchProblem& problem,
                          const Console& console) {
    const RevisionsSpec& spec = *recipe.revisions;
    const std::filesystem::path folder =
        std::filesystem::temp_directory_path() / fmt::format("leakbisect-check-{}-commits", ::getpid());
    std::filesystem::create_directories(folder);
    ExitCode code = kExitNoLeak;
    double boot_seconds = 0;
    double setup_seconds = 0;
    double rate = 0;
    {
        Worktrees worktrees(range, folder / "worktrees", Worktrees::AtEnd::remove);
        for (const auto& [label, commit] : {std::pair{"good", &range.good}, std::pair{"bad", &range.bad}}) {
            const auto checkout = worktrees.checkout(commit->hash);
            if (!checkout) {
                console.problem(fmt::format("{} {}: the checkout failed: {}", label, short_hash(commit->hash),
                                            to_string(checkout.error())));
                code = kExitAppFailed;
                break;
            }
            const std::filesystem::path app_cwd = worktrees.app_cwd(*checkout);
            if (!spec.setup.empty()) {
                const auto started_at = std::chrono::steady_clock::now();
                const std::filesystem::path log = folder / fmt::format("setup-{}.log", label);
                const Placeholders values{0, recipe.dir, folder, folder};
                const Status setup = run_setup(expand_placeholders(spec.setup, values), app_cwd, log,
                                               spec.setup_timeout, interrupt_requested());
                const double seconds =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
                if (!setup) {
                    console.problem(fmt::format("{} {}: the setup failed: {}", label,
                                                short_hash(commit->hash), to_string(setup.error())));
                    print_log_tail(log, console);
                    code = setup.error().kind == ErrorKind::interrupted ? kExitInterrupted : kExitAppFailed;
                    break;
                }
                console.line(
                    fmt::format("setup: {} {} done in {:.1f}s", label, short_hash(commit->hash), seconds));
                setup_seconds = std::max(setup_seconds, seconds);
            }
            // As its probes boot it: inside the checkout, with no chunk variables.
            Recipe in_checkout = recipe;
            in_checkout.app.cwd = app_cwd;
            in_checkout.chunks.clear();
            in_checkout.chunk_settings.list_env.clear();
            const Rehearsal rehearsal = rehearse(in_checkout, {}, label, console);
            if (interrupt_requested().load()) {
                code = kExitInterrupted;
                break;
            }
            if (!rehearsal.ready || !answers_expected(rehearsal, recipe, console)) {
                code = kExitAppFailed;
                break;
            }
            boot_seconds = std::max(boot_seconds, rehearsal.boot_seconds);
            rate = rate > 0 && rehearsal.requests_per_second > 0
                       ? std::min(rate, rehearsal.requests_per_second)
                       : std::max(rate, rehearsal.requests_per_second);
        }
    }
    // A failed setup's log stays where the message above says it is.
    std::error_code ignored;
    std::filesystem::remove_all(code == kExitNoLeak ? folder : folder / "worktrees", ignored);
    if (code == kExitNoLeak) {
        print_estimate(recipe, boot_seconds, setup_seconds, rate, worst_case_probes(problem), console);
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
        const std::optional<RevisionRange> range = check_revisions(*recipe, problem, console);
        if (!range) {
            return kExitBadUsage;
        }
        return boot == BootCheck::boot_baseline
                   ? rehearse_commits(*recipe, *range, over_commits(problem, *range), console)
                   : kExitNoLeak;
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
