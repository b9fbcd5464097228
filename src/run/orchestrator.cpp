#include "orchestrator.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/core/text.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/report/probe_label.hpp"
#include "leakbisect/report/report.hpp"
#include "leakbisect/search/search.hpp"
#include "leftovers.hpp"
#include "revision_runner.hpp"
#include "revision_session.hpp"
#include "run_folder.hpp"
#include "session.hpp"
#include "wiring.hpp"

#include <algorithm>
#include <cassert>
#include <fmt/format.h>
#include <optional>

namespace leakbisect {
namespace {

// A run folder `survey` made: its probes are pages, not a search.
bool is_survey(const RunSession& session) {
    return std::any_of(session.records.begin(), session.records.end(),
                       [](const ProbeRecord& record) { return record.role == RecordRole::survey; });
}

// The search's view of the journal: probes of the search stages only (not `measure`). An
// INCONCLUSIVE probe whose load reached verdict.max_requests had every extension it could get.
std::vector<Observation> observations(const std::vector<ProbeRecord>& records, const Recipe& recipe) {
    std::vector<Observation> history;
    for (const ProbeRecord& record : records) {
        if (const auto role = search_role(record.role)) {
            const bool exhausted = record.judgement.verdict == Verdict::inconclusive &&
                                   recipe.load.command.empty() &&
                                   record.requests >= recipe.verdict.max_requests;
            history.push_back({record.enabled, record.judgement.verdict, record.judgement.rate, *role,
                               exhausted ? LoadExtent::reached_cap : LoadExtent::short_of_cap,
                               record.failure});
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

// The baseline's trace, once it has been judged: the reference later probes are judged against
// (read back from its memory.csv, so a resumed run judges the same way). One that grows on its
// own still is: the chunks are then searched for growth of their own on top of it.
std::optional<Trace> baseline_reference(const RunSession& session) {
    for (const ProbeRecord& record : session.records) {
        if (record.role == RecordRole::baseline &&
            (record.judgement.verdict == Verdict::plateau || record.judgement.verdict == Verdict::leak)) {
            if (auto trace = read_trace_csv(session.run_dir / record.directory / "memory.csv")) {
                return std::move(trace.value());
            }
        }
    }
    return std::nullopt;
}

// A file the system would not write is leakbisect's own failure (1); anything else is the user's (2).
ExitCode exit_code_of_failure(const Error& error) {
    return error.kind == ErrorKind::io ? kExitInternal : kExitBadUsage;
}

// Resuming without the baseline's curve would judge every later probe differently from those
// already journaled, and say nothing: a journaled baseline that set the reference must still
// have a readable memory.csv.
Status check_reference(const RunSession& session) {
    for (const ProbeRecord& record : session.records) {
        if (record.role == RecordRole::baseline &&
            (record.judgement.verdict == Verdict::plateau || record.judgement.verdict == Verdict::leak)) {
            const auto curve = session.run_dir / record.directory / "memory.csv";
            if (const auto trace = read_trace_csv(curve); !trace) {
                return make_error(
                    ErrorKind::bad_input, curve.string(),
                    fmt::format("the baseline's curve (probe {}), which every later probe is "
                                "judged against, cannot be read ({}); restore {} or start a new run",
                                record.index, trace.error().message, record.directory));
            }
            return Ok{};
        }
    }
    return Ok{};
}

// `resumable`: the run folder to resume (--then-chunks' chunk search resumes through its commit run).
ExitCode interrupted(const RunSession& session, const Console& console,
                     const std::optional<std::filesystem::path>& resumable = std::nullopt) {
    console.line("");
    console.line(fmt::format("interrupted: the app was stopped; continue with: leakbisect resume {}",
                             resumable.value_or(session.run_dir).string()));
    return kExitInterrupted;
}

// The report of a finished search; in commit-range mode the finding is told in commits. The
// wiring check is the chunks' (the chunk variables reach the app): commits have none to check.
RunReport final_report(const RunSession& session, const Finding& searched, ExitCode code) {
    if (!session.revisions) {
        return make_report(session, searched, code);
    }
    RunReport report = make_report(session, told_in_commits(searched, *session.revisions), code);
    report.revisions = revisions_report(*session.revisions, searched);
    return report;
}

Finding wired(const RunSession& session, const Finding& searched) {
    return session.revisions ? searched : with_wiring(searched, compare_responses(session.records));
}

ExitCode finish(const RunSession& session, const Finding& searched, const Console& console) {
    const Finding finding = wired(session, searched);
    if (finding.wiring == Wiring::no_effect) {
        console.problem("warning: the chunk variables do not seem to reach the app: the baseline and the "
                        "all-on probe answered every request the same and their memory behaved alike");
    }
    const ExitCode code = exit_code_of(finding.kind);
    const RunReport report = final_report(session, finding, code);
    console.finding(report.finding, session.records.size(), total_wall_seconds(session.records));
    if (report.revisions && !report.revisions->diffstat.empty()) {
        console.line(report.revisions->diffstat);
    }
    // A finding whose reports are not on disk is not a finished run: exit 1, never 10.
    if (const Status written = write_reports(report, session.recipe.report.formats); !written) {
        console.problem(fmt::format("{}\nthe journal holds every probe: free space, then write the reports "
                                    "with: leakbisect report {}",
                                    to_string(written.error()), session.run_dir.string()));
        return kExitInternal;
    }
    console.line(fmt::format("reports: {}", session.run_dir.string()));
    return code;
}

// The probes a crash search added to the plan's worst case: its own, and each all-on probe run again
// without a chunk it left off.
std::size_t crash_search_probes(const std::vector<ProbeRecord>& records) {
    const auto crash = std::count_if(records.begin(), records.end(), [](const ProbeRecord& record) {
        return record.role == RecordRole::crash;
    });
    const auto all_on = std::count_if(records.begin(), records.end(), [](const ProbeRecord& record) {
        return record.role == RecordRole::all_on;
    });
    return static_cast<std::size_t>(crash + (crash > 0 ? std::max<std::ptrdiff_t>(all_on - 1, 0) : 0));
}

// The search loop: ask the search for the next probe, run it, journal it, until a finding.
ExitCode drive_search(RunSession& session, const Probing& given,
                      const std::optional<std::filesystem::path>& resumable = std::nullopt) {
    // Commit-range mode: each probe boots its commit's checkout, made once and removed at the end.
    std::optional<RevisionProbeRunner> revision_runner;
    if (session.revisions) {
        revision_runner.emplace(given.runner, *session.revisions, *session.recipe.revisions, session.run_dir,
                                session.worktrees == WorktreesAtEnd::keep ? Worktrees::AtEnd::keep
                                                                          : Worktrees::AtEnd::remove);
    }
    const Probing probing{revision_runner ? *revision_runner : given.runner, given.console, given.interrupt};
    const SearchProblem problem = search_problem(session.recipe);
    const std::size_t worst_case = worst_case_probes(problem);
    SearchHistory history(problem, observations(session.records, session.recipe));
    while (true) {
        const SearchStep step = next_step(problem, history);
        if (const auto* finding = std::get_if<Finding>(&step)) {
            return finish(session, *finding, probing.console);
        }
        const auto& request = std::get<ProbeRequest>(step);
        const PlannedProbe probe{record_role(request.role, problem.strategy),
                                 ChunkSet(request.enabled.begin(), request.enabled.end())};
        assert(respects_hierarchy(probe.enabled));
        const std::size_t index = session.records.size() + 1;
        probing.console.probe_started(
            index, std::max(worst_case + crash_search_probes(session.records), index), probe.role,
            session.revisions ? revision_label(*session.revisions, request.enabled)
                              : describe_enabled(request.enabled, all_chunks(session.recipe)));

        const std::optional<Trace> reference = baseline_reference(session);
        PlannedProbe judged = probe;
        judged.reference = reference ? &*reference : nullptr;
        switch (run_and_record(session, probing, judged)) {
        case ProbeEnd::interrupted:
            return interrupted(session, probing.console, resumable);
        case ProbeEnd::write_failed:
            return kExitInternal;
        case ProbeEnd::journaled:
            break;
        }
        history.add(observations({session.records.back()}, session.recipe).front());
        if (probing.interrupt.load()) {
            return interrupted(session, probing.console, resumable);
        }
    }
}

constexpr std::string_view kThenChunksMarker = "then-chunks";

// --then-chunks (a marker in the run folder, so a resumed run goes on too): once the commit is
// found, the recipe's chunks are searched inside its checkout as a run of their own, in RUN/chunks.
ExitCode then_chunks(const RunSession& commits, ExitCode code, const Probing& probing) {
    if (!commits.revisions || code != kExitLocalized ||
        !std::filesystem::exists(commits.run_dir / kThenChunksMarker)) {
        return code;
    }
    const SearchStep step =
        next_step(search_problem(commits.recipe), observations(commits.records, commits.recipe));
    const std::string culprit = std::get<Finding>(step).culprit;
    Worktrees worktrees(*commits.revisions, commits.run_dir / "worktrees",
                        commits.worktrees == WorktreesAtEnd::keep ? Worktrees::AtEnd::keep
                                                                  : Worktrees::AtEnd::remove);
    auto session = chunk_session_at(commits, culprit, worktrees, probing.interrupt);
    if (!session) {
        if (session.error().kind == ErrorKind::interrupted) {
            return interrupted(commits, probing.console);
        }
        probing.console.problem(fmt::format("the chunks at commit {} cannot be searched: {}",
                                            short_hash(culprit), to_string(session.error())));
        return kExitAppFailed;
    }
    probing.console.line("");
    probing.console.line(fmt::format("then the {} chunks inside commit {}; run folder {}",
                                     session->recipe.chunks.size(), short_hash(culprit),
                                     session->run_dir.string()));
    return drive_search(*session, probing, commits.run_dir);
}

} // namespace

ExitCode run_search(const RunOptions& options, const Probing& probing) {
    auto session = start_session(options);
    if (!session) {
        probing.console.problem(to_string(session.error()));
        return exit_code_of_failure(session.error());
    }
    stop_leftovers_in_runs(session->run_dir.parent_path(), probing.console);
    session->worktrees = options.worktrees;
    if (session->recipe.revisions) {
        const std::size_t declared_chunks = session->recipe.chunks.size();
        if (options.then_chunks == ThenChunks::run && declared_chunks == 0) {
            probing.console.problem(
                fmt::format("{}: --then-chunks searches the recipe's [[chunk]]s at the "
                            "guilty commit, and it declares none; add them or leave it out",
                            session->recipe.file.string()));
            std::error_code ignored;
            std::filesystem::remove_all(session->run_dir, ignored);
            return kExitBadUsage;
        }
        if (options.then_chunks == ThenChunks::run) {
            if (const Status marked = write_text_file(session->run_dir / kThenChunksMarker, "\n"); !marked) {
                probing.console.problem(to_string(marked.error()));
                return kExitInternal;
            }
        } else if (declared_chunks > 0) {
            probing.console.line(fmt::format("note: the recipe's {} chunks are searched at the guilty commit "
                                             "only with --then-chunks",
                                             declared_chunks));
        }
        if (const Status range = prepare_revisions(*session); !range) {
            probing.console.problem(to_string(range.error()));
            std::error_code ignored; // nothing ran: no run folder is left behind
            std::filesystem::remove_all(session->run_dir, ignored);
            return range.error().kind == ErrorKind::io ? kExitInternal : kExitBadUsage;
        }
    }
    probing.console.line(fmt::format(
        "leakbisect: {} — {} {}, strategy {}, {} requests per probe; run folder {}", session->recipe.name,
        session->recipe.chunks.size(), session->revisions ? "commits after good" : "chunks",
        to_string(session->recipe.search.strategy), session->recipe.load.requests,
        session->run_dir.string()));
    probing.console.line(process_tracking());
    return then_chunks(*session, drive_search(*session, probing), probing);
}

ExitCode resume_search(const std::filesystem::path& given_dir, const Probing& probing,
                       WorktreesAtEnd worktrees) {
    // The --out folder a run was started with holds the run folder: take the one inside it.
    const auto found = find_run_folder(given_dir);
    if (!found) {
        probing.console.problem(to_string(found.error()));
        return kExitBadUsage;
    }
    const std::filesystem::path& run_dir = *found;
    stop_leftover_processes(run_dir, probing.console); // first: a killed run's app may hold its port
    // A kill or a full disk mid-write leaves a torn last line: cut it off before appending after it.
    if (const auto journal = run_dir / kJournalName; std::filesystem::exists(journal)) {
        const auto torn = repair_torn_tail(journal);
        if (!torn) {
            probing.console.problem(to_string(torn.error()));
            return kExitInternal;
        }
        if (*torn > 0) {
            probing.console.problem(
                fmt::format("{}: its last line was torn mid-write ({} bytes); it is kept in "
                            "journal.torn and that probe runs again",
                            journal.string(), *torn));
        }
    }
    auto session = reopen_session(run_dir);
    if (!session) {
        probing.console.problem(to_string(session.error()));
        return kExitBadUsage;
    }
    if (is_survey(*session)) {
        probing.console.problem(fmt::format(
            "{} holds a survey, which does not resume: run `leakbisect survey` again", run_dir.string()));
        return kExitBadUsage;
    }
    if (const Status backing = check_memory_backing(session->recipe); !backing) {
        probing.console.problem(to_string(backing.error()));
        return kExitBadUsage;
    }
    if (const Status reference = check_reference(*session); !reference) {
        probing.console.problem(to_string(reference.error()));
        return kExitBadUsage;
    }
    session->worktrees = worktrees;
    if (session->recipe.revisions) {
        if (const Status range = reload_revisions(*session); !range) {
            probing.console.problem(to_string(range.error()));
            return kExitBadUsage;
        }
    }
    probing.console.line(fmt::format("leakbisect: resuming {} after {} journaled probes", run_dir.string(),
                                     session->records.size()));
    probing.console.line(process_tracking());
    return then_chunks(*session, drive_search(*session, probing), probing);
}

namespace {

// `report` for a search: its finding from the journal, its reports written again.
ExitCode rewrite_search_reports(const RunSession& session, const std::vector<std::string>& formats,
                                const std::filesystem::path& run_dir, const Console& console) {
    const SearchStep step =
        next_step(search_problem(session.recipe), observations(session.records, session.recipe));
    const auto* searched = std::get_if<Finding>(&step);
    if (searched == nullptr) {
        console.problem(fmt::format("{} is unfinished: continue it with `leakbisect resume {}`",
                                    session.run_dir.string(), run_dir.string()));
        return kExitBadUsage;
    }
    const Finding finding = wired(session, *searched);
    const ExitCode code = exit_code_of(finding.kind);
    const RunReport report = final_report(session, finding, code);
    if (const Status written = write_reports(report, formats); !written) {
        console.problem(to_string(written.error()));
        return exit_code_of_failure(written.error());
    }
    console.line(fmt::format("{}: reports written to {}", report.finding.summary, session.run_dir.string()));
    return code;
}

} // namespace

ExitCode rewrite_reports(const std::filesystem::path& given_dir, const std::vector<std::string>& formats,
                         const Console& console) {
    const auto found = find_run_folder(given_dir);
    if (!found) {
        console.problem(to_string(found.error()));
        return kExitBadUsage;
    }
    const std::filesystem::path& run_dir = *found;
    auto session = reopen_session(run_dir);
    if (!session) {
        console.problem(to_string(session.error()));
        return kExitBadUsage;
    }
    if (session->recipe.revisions) {
        if (const Status range = reload_revisions(*session); !range) {
            console.problem(to_string(range.error()));
            return kExitBadUsage;
        }
    }
    const auto& chosen = formats.empty() ? session->recipe.report.formats : formats;
    if (is_survey(*session)) {
        const SurveyReport report = survey_report(session->recipe, run_dir, session->records);
        if (const Status written = write_survey_reports(report, chosen); !written) {
            console.problem(to_string(written.error()));
            return exit_code_of_failure(written.error());
        }
        console.line(fmt::format("{}: reports written to {}", survey_headline(report), run_dir.string()));
        return static_cast<ExitCode>(report.exit_code);
    }
    const ExitCode code = rewrite_search_reports(*session, chosen, run_dir, console);
    // --then-chunks' search inside the guilty commit, if it ran: its reports too, and its exit code,
    // as `run --then-chunks` gives it.
    if (code != kExitLocalized || !session->recipe.revisions ||
        !std::filesystem::exists(run_dir / kChunksFolderName / kJournalName)) {
        return code;
    }
    auto chunks = chunk_session_in(*session);
    if (!chunks) {
        console.problem(to_string(chunks.error()));
        return kExitBadUsage;
    }
    return rewrite_search_reports(*chunks, chosen, run_dir, console);
}

ExitCode measure_chunks(const MeasureOptions& options, const Probing& probing) {
    auto session = start_session({options.recipe_file, options.out_dir, std::nullopt});
    if (!session) {
        probing.console.problem(to_string(session.error()));
        return exit_code_of_failure(session.error());
    }
    stop_leftovers_in_runs(session->run_dir.parent_path(), probing.console);
    const std::vector<std::string> chunks =
        options.chunks ? *options.chunks : top_level_chunks(session->recipe);
    for (const std::string& name : chunks) {
        if (!has_chunk(session->recipe, name)) {
            const std::vector<std::string> known = all_chunks(session->recipe);
            const std::string nearest = closest_match(name, known);
            probing.console.problem(nearest.empty()
                                        ? fmt::format("no chunk named '{}' in {}; its chunks: {}", name,
                                                      session->recipe.file.string(), fmt::join(known, ", "))
                                        : fmt::format("no chunk named '{}' in {}; did you mean '{}'?", name,
                                                      session->recipe.file.string(), nearest));
            return kExitBadUsage;
        }
    }
    const PlannedProbe probe{
        RecordRole::measure,
        with_parents_and_sub_chunks(session->recipe, ChunkSet(chunks.begin(), chunks.end()))};
    probing.console.line(process_tracking());
    probing.console.probe_started(
        1, 1, RecordRole::measure,
        describe_enabled({probe.enabled.begin(), probe.enabled.end()}, all_chunks(session->recipe)));
    switch (run_and_record(*session, probing, probe)) {
    case ProbeEnd::interrupted:
        return interrupted(*session, probing.console);
    case ProbeEnd::write_failed:
        return kExitInternal;
    case ProbeEnd::journaled:
        break;
    }
    const ProbeRecord& record = session->records.back();
    probing.console.line(
        fmt::format("curve: {}", (session->run_dir / record.directory / "memory.csv").string()));
    return exit_code_of(record.judgement.verdict);
}

} // namespace leakbisect
