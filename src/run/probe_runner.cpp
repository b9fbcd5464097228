#include "probe_runner.hpp"

#include "app_boot.hpp"
#include "leakbisect/app/app_process.hpp"
#include "leakbisect/app/process_guard.hpp"
#include "leakbisect/core/files.hpp"
#include "leakbisect/load/driver.hpp"
#include "leakbisect/load/rehearsal.hpp"
#include "leakbisect/memory/sampler.hpp"
#include "leakbisect/recipe/placeholders.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/run/interrupt.hpp"
#include "leakbisect/verdict/sequential.hpp"
#include "load_stats_json.hpp"
#include "run_folder.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fmt/format.h>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

namespace leakbisect {
namespace {

using Clock = std::chrono::steady_clock;

// Samples per load: one every 0.5% of the requests, so a fast probe still yields a dense curve.
constexpr std::uint64_t kSamplesPerLoad = 200;
constexpr Milliseconds kLoadCommandPoll{50};
constexpr Milliseconds kProgressPeriod{250};

// Collects memory samples from the interval thread and the load's progress hook alike.
class TraceRecorder {
  public:
    TraceRecorder(const MemorySampler& sampler, Clock::time_point start, LiveProbe& live)
        : sampler_(sampler), start_(start), live_(live) {}

    void sample(std::uint64_t requests_finished) {
        const auto memory = sampler_.sample();
        if (!memory) {
            return; // the app has gone; the caller finds out why
        }
        const std::scoped_lock lock(mutex_);
        // Two writers race: the time is read under the lock and the request count kept monotonic,
        // so memory.csv stays in time order (`analyze` refuses a trace whose time goes backwards).
        const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        const std::uint64_t requests =
            trace_.empty() ? requests_finished : std::max(requests_finished, trace_.back().requests);
        trace_.push_back({seconds, requests, memory->bytes, memory->processes});
        live_.add_sample(seconds, requests, memory->bytes);
    }

    Trace take() {
        const std::scoped_lock lock(mutex_);
        return std::move(trace_);
    }

    Trace snapshot() {
        const std::scoped_lock lock(mutex_);
        return trace_;
    }

  private:
    const MemorySampler& sampler_;
    Clock::time_point start_;
    LiveProbe& live_;
    std::mutex mutex_;
    Trace trace_;
};

// Samples every `interval` on its own thread until destroyed.
class IntervalSampling {
  public:
    IntervalSampling(TraceRecorder& recorder, const std::atomic<std::uint64_t>& finished,
                     Milliseconds interval)
        : thread_([&recorder, &finished, interval](std::stop_token stop) {
              std::mutex mutex;
              std::condition_variable_any wake;
              while (!stop.stop_requested()) {
                  recorder.sample(finished.load());
                  std::unique_lock lock(mutex);
                  wake.wait_for(lock, stop, interval, [] { return false; });
              }
          }) {}

  private:
    std::jthread thread_;
};

// Where an attempt failed: a failure at boot that repeats identically will not fix itself.
enum class FailedAt { nowhere, start, boot, load };

struct Attempt {
    bool interrupted = false;
    std::string failure; // empty when the load ran to completion on a live app
    FailedAt failed_at = FailedAt::nowhere;
    std::string cause;                 // the failure without the command line, whose port changes per attempt
    std::vector<std::string> log_tail; // the last lines of app.log, when the attempt failed
    std::vector<std::string> responses; // fingerprints of each request sent once after the load
    Trace trace;
    LoadStats stats;
    std::optional<Judgement> judgement; // the last look's, for an HTTP load
    std::size_t looks = 0;              // how many looks judged the trace
    std::string cgroup;                 // the app's own cgroup, if it had one
    unsigned cgroup_version = 0;
};

// Adds a later segment of the same probe's load to the totals. Percentiles cannot be merged
// exactly: the medians are weighted by requests, the tails take the worse segment.
void add_segment(LoadStats& total, const LoadStats& segment) {
    const auto before = static_cast<double>(total.completed);
    const auto added = static_cast<double>(segment.completed);
    const auto weighted = [&](double so_far, double next) {
        return before + added > 0 ? (so_far * before + next * added) / (before + added) : 0;
    };
    total.latency_p50_ms = weighted(total.latency_p50_ms, segment.latency_p50_ms);
    total.latency_p90_ms = weighted(total.latency_p90_ms, segment.latency_p90_ms);
    total.latency_p99_ms = std::max(total.latency_p99_ms, segment.latency_p99_ms);
    total.latency_max_ms = std::max(total.latency_max_ms, segment.latency_max_ms);
    total.completed += segment.completed;
    total.succeeded += segment.succeeded;
    total.failed += segment.failed;
    for (const auto& [status, count] : segment.status_counts) {
        total.status_counts[status] += count;
    }
    for (const auto& [reason, count] : segment.failure_reasons) {
        total.failure_reasons[reason] += count;
    }
    total.elapsed_seconds += segment.elapsed_seconds;
    total.cancelled = total.cancelled || segment.cancelled;
    total.stopped_on_failures = total.stopped_on_failures || segment.stopped_on_failures;
}

// The HTTP load in looks on the same live app: after each look the pure sequential decision
// says stop (a clear verdict, or the last look) or extend to the next look.
LoadStats run_looks(const ProbeContext& context, const LoadTarget& target, TraceRecorder& recorder,
                    std::atomic<std::uint64_t>& finished, AppProcess& app,
                    std::optional<Judgement>& judgement, std::size_t& looks, LiveProbe& live) {
    const Recipe& recipe = *context.recipe;
    const LoadBudget budget{recipe.load.requests, recipe.load.warmup, recipe.verdict.max_requests,
                            context.is_reference ? kReferenceFixedLoads * recipe.load.requests : 0};
    const std::vector<std::uint64_t> schedule = look_schedule(budget);
    const std::uint64_t every = std::max<std::uint64_t>(1, recipe.load.requests / kSamplesPerLoad);
    LoadStats total;
    std::uint64_t done = 0;
    for (std::size_t look = 0; look < schedule.size(); ++look) {
        LoadPlan plan{
            target,  recipe.load.mix, schedule[look] - done, recipe.load.concurrency, recipe.load.timeout,
            1 + look};
        // More failures than max_error_rate allows of this look's total make the probe INVALID
        // whatever the rest does: the load stops there rather than wait out every timeout.
        const auto allowed =
            static_cast<std::uint64_t>(recipe.load.max_error_rate * static_cast<double>(schedule[look]));
        plan.max_failures = allowed > total.failed ? allowed - total.failed : 0;
        live.set_planned(schedule[look], recipe.load.requests);
        const ProgressHook hook{every, [&, offset = done](std::uint64_t segment_done) {
                                    finished.store(offset + segment_done);
                                    recorder.sample(offset + segment_done);
                                }};
        add_segment(total, run_load(plan, hook, *context.cancel));
        done = total.completed + total.failed;
        recorder.sample(done);
        if (total.cancelled || total.stopped_on_failures || app.exit_description() ||
            total.error_rate() > recipe.load.max_error_rate) {
            break; // the caller reports why; nothing to judge
        }
        const LookDecision decision =
            decide_at_look(recorder.snapshot(), verdict_options(recipe, {}), budget, look, context.reference);
        judgement = decision.judgement;
        looks = look + 1;
        if (!decision.extend_to) {
            break;
        }
        if (context.say) {
            // Inside the fixed load the next look only continues it; past it, the load is extended.
            context.say(fmt::format("{} requests: {}; {} the load to {}", done, decision.judgement.reason,
                                    *decision.extend_to > recipe.load.requests ? "extending" : "continuing",
                                    *decision.extend_to));
        }
    }
    return total;
}

// Runs load.command to completion while sampling; memory is judged against time.
LoadStats run_load_command(const ProbeContext& context, const BootedApp& app, std::string& failure) {
    LoadStats stats;
    const Recipe& recipe = *context.recipe;
    const LaunchSpec spec{expand_placeholders(recipe.load.command, app.values), recipe.dir, app.environment,
                          context.probe_dir / "load.log", context.run_dir / kProcessRecordName};
    const auto start = Clock::now();
    auto load = AppProcess::start(spec);
    if (!load) {
        failure = "the load command could not start: " + to_string(load.error());
        return stats;
    }
    while ((*load)->running() && !context.cancel->load()) {
        std::this_thread::sleep_for(kLoadCommandPoll);
    }
    stats.cancelled = context.cancel->load();
    const auto ended = (*load)->exit_status();
    (*load)->stop(SIGTERM, Milliseconds{2000}, interrupt_escalated());
    stats.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!stats.cancelled && ended && !ended->succeeded()) {
        failure = fmt::format("the load command {}; see load.log", ended->description());
    }
    return stats;
}

// Whether another attempt could fare differently. A command that cannot start (missing, not
// executable, no such folder) is not retried at all. At boot (a taken port included), an app that
// failed exactly as the attempt before it did (the same exit status or timeout, the same last log
// lines) will fail so again: retrying would only cost the ready timeout again. A crash under load
// is retried: it may depend on timing.
bool worth_retrying(const Attempt& failed, const Attempt* before) {
    if (failed.failed_at == FailedAt::load) {
        return true;
    }
    if (failed.failed_at == FailedAt::start && failed.failure.find("port") == std::string::npos) {
        return false; // a missing or non-executable command, a missing folder: nothing a retry changes
    }
    return before == nullptr || before->cause != failed.cause || before->log_tail != failed.log_tail;
}

Attempt run_attempt(const ProbeContext& context, LiveProbe& live) {
    const Recipe& recipe = *context.recipe;
    Attempt attempt;
    live.begin_attempt();

    const std::filesystem::path log_file = context.probe_dir / "app.log";
    auto app = boot_app(recipe, context.enabled, context.run_dir, context.probe_dir, *context.cancel);
    if (!app) {
        attempt.interrupted = app.error().kind == ErrorKind::interrupted;
        attempt.failure = to_string(app.error());
        attempt.cause = app.error().message;
        // No app.log: the process never started (a missing command, a taken port).
        attempt.failed_at = std::filesystem::exists(log_file) ? FailedAt::boot : FailedAt::start;
        attempt.log_tail = log_tail(log_file);
        return attempt;
    }
    AppProcess& process = *app->process;

    if (const ProbeCgroup* cgroup = process.cgroup()) {
        attempt.cgroup = cgroup->path.string();
        attempt.cgroup_version = cgroup->version == CgroupVersion::v2 ? 2 : 1;
    }
    const MemorySampler sampler(process.pid(), recipe.memory.scope, recipe.memory.metric,
                                process.cgroup() != nullptr ? process.cgroup()->path
                                                            : std::filesystem::path());
    TraceRecorder recorder(sampler, Clock::now(), live);
    std::atomic<std::uint64_t> finished{0};
    {
        const IntervalSampling sampling(recorder, finished, recipe.memory.interval);
        if (recipe.load.command.empty()) {
            attempt.stats = run_looks(context, app->target, recorder, finished, process, attempt.judgement,
                                      attempt.looks, live);
        } else {
            live.set_phase(ProbePhase::load);
            attempt.stats = run_load_command(context, *app, attempt.failure);
            recorder.sample(0);
        }
    }
    attempt.trace = recorder.take();
    attempt.interrupted = attempt.stats.cancelled;

    if (const auto ended = process.exit_description()) {
        attempt.failure = fmt::format("the app {} during the load; see {}", *ended, log_file.string());
    } else if (recipe.load.command.empty() && !attempt.interrupted) {
        // After the load, so the measured curve never sees them: what each page answers with
        // this set of chunks on (is the baseline's page the all-on probe's page?).
        for (const SentOnce& sent : send_each_once(app->target, recipe.load.mix, recipe.load.timeout)) {
            attempt.responses.push_back(fingerprint(sent));
        }
    }
    live.set_phase(ProbePhase::stopping);
    process.stop(recipe.app.stop.signal, recipe.app.stop.grace, interrupt_escalated());
    if (!attempt.failure.empty()) {
        attempt.failed_at = FailedAt::load;
        attempt.log_tail = log_tail(log_file);
    }
    return attempt;
}

// Renames a failed attempt's app.log to app.attempt-N.log; returns the path it now has.
std::string keep_attempt_log(const std::filesystem::path& probe_dir, unsigned attempt_number) {
    const std::filesystem::path kept = probe_dir / fmt::format("app.attempt-{}.log", attempt_number);
    std::error_code ignored;
    std::filesystem::rename(probe_dir / "app.log", kept, ignored);
    return kept.string();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

} // namespace

VerdictOptions verdict_options(const Recipe& recipe, const Trace& trace) {
    VerdictOptions options;
    options.min_leak = recipe.verdict.min_leak;
    options.confidence = recipe.verdict.confidence;
    if (recipe.load.command.empty()) {
        options.axis = Axis::requests;
        options.warmup = static_cast<double>(recipe.load.warmup);
    } else {
        // A load command has no request count: the warm-up is the same share of its running time.
        options.axis = Axis::seconds;
        const double share =
            static_cast<double>(recipe.load.warmup) / static_cast<double>(recipe.load.requests);
        options.warmup = trace.empty() ? 0 : share * trace.back().seconds;
    }
    return options;
}

ProbeOutcome AppProbeRunner::run(const ProbeContext& context) {
    const Recipe& recipe = *context.recipe;
    ProbeOutcome outcome;
    ProbeRecord& record = outcome.record;
    record.started_at = local_time_now("%Y-%m-%dT%H:%M:%S");
    // In recipe order, as the action runs them (the set itself is ordered by name).
    for (const std::string& name : all_chunks(recipe)) {
        if (context.enabled.count(name) == 1) {
            record.enabled.push_back(name);
        }
    }
    for (const std::string& name : context.enabled) {
        if (std::find(record.enabled.begin(), record.enabled.end(), name) == record.enabled.end()) {
            record.enabled.push_back(name);
        }
    }
    const auto start = Clock::now();

    LiveProbe live(recipe.load.command.empty() ? Axis::requests : Axis::seconds, recipe.load.warmup);
    std::optional<ProgressTicker> ticker;
    if (context.progress) {
        ticker.emplace(live, context.progress, kProgressPeriod);
    }
    Attempt attempt;
    std::optional<Attempt> previous;
    const unsigned attempts_allowed = 1 + recipe.search.retries;
    for (unsigned number = 1; number <= attempts_allowed; ++number) {
        record.attempts = number;
        attempt = run_attempt(context, live);
        if (attempt.interrupted || attempt.failure.empty()) {
            break;
        }
        const bool retry =
            number < attempts_allowed && worth_retrying(attempt, previous ? &*previous : nullptr);
        std::string failure = attempt.failure;
        if (retry) {
            // The next attempt logs to app.log afresh: this one's log is kept under its number,
            // and the message names where it now is.
            const std::string kept = keep_attempt_log(context.probe_dir, number);
            failure = replace_all(failure, (context.probe_dir / "app.log").string(), kept);
        }
        if (context.say) {
            context.say(fmt::format("attempt {} failed: {}{}", number, failure, retry ? "; retrying" : ""));
            if (!attempt.log_tail.empty()) {
                context.say("app.log ends with:");
                for (const std::string& line : attempt.log_tail) {
                    context.say("  | " + line);
                }
            }
            if (!retry && number < attempts_allowed) {
                context.say(attempt.failed_at == FailedAt::start
                                ? "not retried: the command cannot start as it is"
                                : "not retried: it failed exactly as the attempt before it did");
            }
        }
        if (!retry) {
            break;
        }
        previous = attempt;
    }
    ticker.reset();
    record.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    outcome.interrupted = attempt.interrupted;
    outcome.trace = std::move(attempt.trace);

    for (const Status& written :
         {write_text_file(context.probe_dir / "memory.csv", trace_to_csv(outcome.trace)),
          write_text_file(context.probe_dir / "load.json", load_stats_json(attempt.stats))}) {
        if (!written && !outcome.write_failure) {
            outcome.write_failure = written.error();
        }
    }
    record.requests = attempt.stats.completed + attempt.stats.failed;
    record.responses = attempt.responses;
    record.looks = attempt.looks;
    record.cgroup = attempt.cgroup;
    record.cgroup_version = attempt.cgroup_version;
    record.failed_requests = attempt.stats.failed;
    record.requests_per_second = attempt.stats.elapsed_seconds > 0
                                     ? static_cast<double>(record.requests) / attempt.stats.elapsed_seconds
                                     : 0;
    record.latency_p50_ms = attempt.stats.latency_p50_ms;
    record.latency_p99_ms = attempt.stats.latency_p99_ms;
    if (!outcome.trace.empty()) {
        record.first_bytes = outcome.trace.front().bytes;
        record.last_bytes = outcome.trace.back().bytes;
        record.processes = outcome.trace.back().processes;
    }

    if (!attempt.failure.empty()) {
        record.judgement.verdict = Verdict::skipped;
        record.failure = fmt::format(
            "after {} attempt{}: {}{}", record.attempts, record.attempts == 1 ? "" : "s", attempt.failure,
            attempt.log_tail.empty() ? "" : "; app.log ends: " + attempt.log_tail.back());
    } else if (recipe.load.command.empty() && (attempt.stats.stopped_on_failures ||
                                               attempt.stats.error_rate() > recipe.load.max_error_rate)) {
        record.judgement.verdict = Verdict::invalid;
        std::string reasons;
        for (const auto& [reason, count] : attempt.stats.failure_reasons) {
            reasons += fmt::format("{}{} × {}", reasons.empty() ? "" : ", ", count, reason);
        }
        record.failure =
            attempt.stats.stopped_on_failures
                ? fmt::format("the load was stopped after {} requests: {} failed, more than max_error_rate "
                              "{:.1f}% allows of the planned load: {}",
                              record.requests, attempt.stats.failed, 100 * recipe.load.max_error_rate,
                              reasons)
                : fmt::format("{:.1f}% of requests failed (max_error_rate {:.1f}%): {}",
                              100 * attempt.stats.error_rate(), 100 * recipe.load.max_error_rate, reasons);
    } else if (attempt.judgement) {
        record.judgement = *attempt.judgement;
    } else {
        record.judgement =
            judge_trace(outcome.trace, verdict_options(recipe, outcome.trace), context.reference);
    }
    return outcome;
}

} // namespace leakbisect
