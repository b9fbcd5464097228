#include "revision_runner.hpp"

#include "leakbisect/recipe/placeholders.hpp"
#include "run_folder.hpp"

#include <cassert>
#include <chrono>
#include <fmt/format.h>

namespace leakbisect {
namespace {

ProbeOutcome skipped(std::vector<std::string> enabled, std::string failure, double wall_seconds) {
    ProbeOutcome outcome;
    outcome.record.started_at = local_time_now("%Y-%m-%dT%H:%M:%S");
    outcome.record.enabled = std::move(enabled);
    outcome.record.judgement.verdict = Verdict::skipped;
    outcome.record.failure = std::move(failure);
    outcome.record.wall_seconds = wall_seconds;
    return outcome;
}

} // namespace

const Commit& revision_of(const RevisionRange& range, const std::vector<std::string>& enabled) {
    assert(enabled.size() <= range.commits.size());
    assert(enabled.empty() || enabled.back() == range.commits[enabled.size() - 1].hash);
    return enabled.empty() ? range.good : range.commits[enabled.size() - 1];
}

RevisionProbeRunner::RevisionProbeRunner(ProbeRunner& inner, const RevisionRange& range,
                                         const RevisionsSpec& spec, const std::filesystem::path& run_dir,
                                         Worktrees::AtEnd at_end)
    : inner_(inner), range_(range), spec_(spec), worktrees_(range, run_dir / "worktrees", at_end) {}

ProbeOutcome RevisionProbeRunner::run(const ProbeContext& context) {
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed = [&start] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    // The prefix in range order: the search's own names for what was on.
    std::vector<std::string> enabled;
    for (const Commit& commit : range_.commits) {
        if (context.enabled.count(commit.hash) == 1) {
            enabled.push_back(commit.hash);
        }
    }
    const Commit& commit = revision_of(range_, enabled);
    if (const auto failed = setup_failures_.find(commit.hash); failed != setup_failures_.end()) {
        return skipped(enabled, failed->second, elapsed());
    }
    const auto checkout = worktrees_.checkout(commit.hash);
    if (!checkout) {
        return skipped(enabled, "the checkout failed: " + to_string(checkout.error()), elapsed());
    }
    const std::filesystem::path app_cwd = worktrees_.app_cwd(*checkout);
    if (!spec_.setup.empty() && !set_up_[commit.hash]) {
        if (context.say) {
            context.say(fmt::format("setup of {}: {}", short_hash(commit.hash), fmt::join(spec_.setup, " ")));
        }
        const Placeholders values{0, context.recipe->dir, context.run_dir, context.probe_dir};
        const Status setup = run_setup(expand_placeholders(spec_.setup, values), app_cwd,
                                       context.probe_dir / "setup.log", spec_.setup_timeout, *context.cancel);
        if (!setup && setup.error().kind == ErrorKind::interrupted) {
            ProbeOutcome outcome;
            outcome.interrupted = true;
            return outcome;
        }
        if (!setup) {
            const std::string failure =
                fmt::format("the setup of {} failed: {}", short_hash(commit.hash), to_string(setup.error()));
            setup_failures_[commit.hash] = failure;
            return skipped(enabled, failure, elapsed());
        }
        set_up_[commit.hash] = true;
    }

    // The same recipe, booted inside the commit's checkout, with no chunk variables.
    Recipe in_checkout = *context.recipe;
    in_checkout.app.cwd = app_cwd;
    in_checkout.chunks.clear();
    in_checkout.chunk_settings.list_env.clear();
    ProbeContext inner = context;
    inner.recipe = &in_checkout;
    inner.enabled.clear();
    ProbeOutcome outcome = inner_.run(inner);
    outcome.record.enabled = enabled;
    outcome.record.wall_seconds = elapsed();
    return outcome;
}

} // namespace leakbisect
