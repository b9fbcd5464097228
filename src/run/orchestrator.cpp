#include "leakbisect/run/orchestrator.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/report/report.hpp"
#include "leakbisect/run/interrupt.hpp"
#include "leakbisect/run/probe_runner.hpp"
#include "leakbisect/run/progress.hpp"
#include "leakbisect/run/run_folder.hpp"
#include "leakbisect/run/session.hpp"
#include "leakbisect/search/search.hpp"

#include <algorithm>
#include <cassert>
#include <fmt/format.h>
#include <optional>

namespace leakbisect {
namespace {

constexpr int kExitInternal = 1;

// A run folder `survey` made: its probes are pages, not a search.
bool is_survey(const RunSession& session) {
    return std::any_of(session.records.begin(), session.records.end(),
                       [](const ProbeRecord& record) { return record.role == "survey"; });
}

int exit_code_of(FindingKind kind) {
    switch (kind) {
    case FindingKind::localized:
        return kExitLocalized;
    case FindingKind::leak_outside_chunks:
        return kExitLeakOutsideChunks;
    case FindingKind::no_leak:
        return kExitNoLeak;
    case FindingKind::inconclusive:
        return kExitInconclusive;
    case FindingKind::app_failed:
        return kExitAppFailed;
    }
    return kExitInconclusive;
}

// The search's view of the journal: probes of the search stages only (not `measure`). Only the
// re-checks need their role: they are kept apart from the evidence the search decides on.
std::vector<Observation> observations(const std::vector<ProbeRecord>& records) {
    std::vector<Observation> history;
    for (const ProbeRecord& record : records) {
        if (record.role != "measure" && record.role != "survey") {
            history.push_back({record.enabled, record.verdict, record.judgement.rate,
                               record.role == "recheck" ? ProbeRole::recheck : ProbeRole::step});
        }
    }
    return history;
}

double total_wall_seconds(const std::vector<ProbeRecord>& records) {
    double total = 0;
    for (const ProbeRecord& record : records) {
        total += record.wall_seconds;
    }
    return total;
}

} // namespace

ProbeOutcome probe_in_session(const RunSession& session, std::size_t index, const std::string& role,
                              const ChunkSet& enabled, const Console& console, const Trace* reference) {
    const std::filesystem::path probe_dir = session.run_dir / probe_folder_name(index, role);
    std::error_code ignored;
    std::filesystem::remove_all(probe_dir, ignored); // an interrupted, unjournaled attempt at this probe
    ProbeContext context;
    context.recipe = &session.recipe;
    context.run_dir = session.run_dir;
    context.probe_dir = probe_dir;
    context.enabled = enabled;
    context.cancel = &interrupt_requested();
    context.say = [&console](const std::string& note) { console.line("  " + note); };
    context.reference = reference;
    return run_probe(context);
}

namespace {

// The baseline's trace, once it has been judged: the reference later probes are judged against
// (read back from its memory.csv, so a resumed run judges the same way). One that grows on its
// own still is: the chunks are then searched for growth of their own on top of it.
std::optional<Trace> baseline_reference(const RunSession& session) {
    for (const ProbeRecord& record : session.records) {
        if (record.role == "baseline" &&
            (record.verdict == Verdict::plateau || record.verdict == Verdict::leak)) {
            if (auto trace = read_trace_csv(session.run_dir / record.directory / "memory.csv")) {
                return std::move(trace.value());
            }
        }
    }
    return std::nullopt;
}

int interrupted(const RunSession& session, const Console& console) {
    console.line("");
    console.line(fmt::format("interrupted: the app was stopped; continue with: leakbisect resume {}",
                             session.run_dir.string()));
    return kExitInterrupted;
}

// The search loop: ask the search for the next probe, run it, journal it, until a finding.
int drive_search(RunSession& session, const Console& console) {
    const SearchProblem problem = search_problem(session);
    // The console's "of at most": one culprit, confirmed, and one chunk it may leak together with.
    const ProbeBudget budget = probe_budget(problem);
    const std::size_t worst_case =
        (budget.search + budget.confirmation + budget.per_partner) * budget.min_runs_per_configuration;
    SearchHistory history(problem, observations(session.records));
    while (true) {
        const SearchStep step = next_step(problem, history);
        if (const auto* finding = std::get_if<Finding>(&step)) {
            const int code = exit_code_of(finding->kind);
            if (const Status written =
                    write_reports(make_report(session, *finding, code), session.recipe.report.formats);
                !written) {
                console.problem(to_string(written.error()));
            }
            console.finding(*finding, session.records.size(), total_wall_seconds(session.records));
            console.line(fmt::format("reports: {}", session.run_dir.string()));
            return code;
        }
        const auto& request = std::get<ProbeRequest>(step);
        const std::size_t index = session.records.size() + 1;
        const std::string role = to_string(request.role, problem.strategy);
        console.probe_started(index, std::max(worst_case, index), role, request.enabled);

        assert(respects_hierarchy(ChunkSet(request.enabled.begin(), request.enabled.end())));
        const std::optional<Trace> reference = baseline_reference(session);
        ProbeOutcome outcome =
            probe_in_session(session, index, role, ChunkSet(request.enabled.begin(), request.enabled.end()),
                             console, reference ? &*reference : nullptr);
        if (outcome.interrupted) {
            return interrupted(session, console);
        }
        ProbeRecord record = std::move(outcome.record);
        record.index = index;
        record.role = role;
        record.directory = probe_folder_name(index, role);
        // Nothing is lost: the result is on disk before the next probe starts.
        if (const Status journaled = append_to_journal(session.run_dir / kJournalName, record); !journaled) {
            console.problem(to_string(journaled.error()));
            return kExitInternal;
        }
        console.probe_finished(record);
        history.add(observations({record}).front());
        session.records.push_back(std::move(record));
        if (interrupt_requested().load()) {
            return interrupted(session, console);
        }
    }
}

} // namespace

int run_command(const RunOptions& options) {
    const Console console;
    auto session = start_session(options);
    if (!session) {
        console.problem(to_string(session.error()));
        return session.error().kind == ErrorKind::io ? kExitInternal : kExitBadUsage;
    }
    console.line(fmt::format("leakbisect: {} — {} chunks, strategy {}, {} requests per probe; run folder {}",
                             session->recipe.name, session->recipe.chunks.size(),
                             to_string(session->recipe.search.strategy), session->recipe.load.requests,
                             session->run_dir.string()));
    return drive_search(*session, console);
}

int resume_command(const std::filesystem::path& run_dir) {
    const Console console;
    auto session = reopen_session(run_dir);
    if (!session) {
        console.problem(to_string(session.error()));
        return kExitBadUsage;
    }
    if (is_survey(*session)) {
        console.problem(fmt::format("{} holds a survey, which does not resume: run `leakbisect survey` again",
                                    run_dir.string()));
        return kExitBadUsage;
    }
    console.line(fmt::format("leakbisect: resuming {} after {} journaled probes", run_dir.string(),
                             session->records.size()));
    return drive_search(*session, console);
}

int report_command(const std::filesystem::path& run_dir, const std::vector<std::string>& formats) {
    const Console console;
    auto session = reopen_session(run_dir);
    if (!session) {
        console.problem(to_string(session.error()));
        return kExitBadUsage;
    }
    const auto& chosen = formats.empty() ? session->recipe.report.formats : formats;
    if (is_survey(*session)) {
        const SurveyReport report = survey_report(session->recipe, run_dir, session->records);
        if (const Status written = write_survey_reports(report, chosen); !written) {
            console.problem(to_string(written.error()));
            return kExitBadUsage;
        }
        console.line(fmt::format("{}: reports written to {}", survey_headline(report), run_dir.string()));
        return report.exit_code;
    }
    const SearchStep step = next_step(search_problem(*session), observations(session->records));
    const auto* finding = std::get_if<Finding>(&step);
    if (finding == nullptr) {
        console.problem(fmt::format("{} is unfinished: continue it with `leakbisect resume {}`",
                                    run_dir.string(), run_dir.string()));
        return kExitBadUsage;
    }
    const int code = exit_code_of(finding->kind);
    if (const Status written = write_reports(make_report(*session, *finding, code), chosen); !written) {
        console.problem(to_string(written.error()));
        return kExitBadUsage;
    }
    console.line(fmt::format("{}: reports written to {}", finding->summary, run_dir.string()));
    return code;
}

int measure_command(const MeasureOptions& options) {
    const Console console;
    auto session = start_session({options.recipe_file, options.out_dir, std::nullopt});
    if (!session) {
        console.problem(to_string(session.error()));
        return kExitBadUsage;
    }
    std::vector<std::string> chunks = options.chunks ? *options.chunks : top_level_chunks(session->recipe);
    for (const std::string& name : chunks) {
        if (!has_chunk(session->recipe, name)) {
            console.problem(fmt::format("no chunk named '{}' in {}", name, session->recipe.file.string()));
            return kExitBadUsage;
        }
    }
    console.probe_started(1, 1, "measure", chunks);
    ProbeOutcome outcome = probe_in_session(
        *session, 1, "measure",
        with_parents_and_sub_chunks(session->recipe, ChunkSet(chunks.begin(), chunks.end())), console);
    if (outcome.interrupted) {
        return interrupted(*session, console);
    }
    ProbeRecord record = std::move(outcome.record);
    record.index = 1;
    record.role = "measure";
    record.directory = probe_folder_name(1, "measure");
    if (const Status journaled = append_to_journal(session->run_dir / kJournalName, record); !journaled) {
        console.problem(to_string(journaled.error()));
        return kExitInternal;
    }
    console.probe_finished(record);
    console.line(fmt::format("curve: {}", (session->run_dir / record.directory / "memory.csv").string()));
    switch (record.verdict) {
    case Verdict::plateau:
        return kExitNoLeak;
    case Verdict::leak:
        return kExitLocalized;
    case Verdict::skipped:
        return kExitAppFailed;
    default:
        return kExitInconclusive;
    }
}

} // namespace leakbisect
