#include "orchestrator.hpp"

#include "leakbisect/core/text.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/report/probe_label.hpp"
#include "leakbisect/report/report.hpp"
#include "leakbisect/search/search.hpp"
#include "leftovers.hpp"
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

ExitCode interrupted(const RunSession& session, const Console& console) {
    console.line("");
    console.line(fmt::format("interrupted: the app was stopped; continue with: leakbisect resume {}",
                             session.run_dir.string()));
    return kExitInterrupted;
}

ExitCode finish(const RunSession& session, const Finding& searched, const Console& console) {
    const Finding finding = with_wiring(searched, compare_responses(session.records));
    if (finding.wiring == Wiring::no_effect) {
        console.problem("warning: the chunk variables do not seem to reach the app: the baseline and the "
                        "all-on probe answered every request the same and their memory behaved alike");
    }
    const ExitCode code = exit_code_of(finding.kind);
    console.finding(finding, session.records.size(), total_wall_seconds(session.records));
    // A finding whose reports are not on disk is not a finished run: exit 1, never 10.
    if (const Status written =
            write_reports(make_report(session, finding, code), session.recipe.report.formats);
        !written) {
        console.problem(fmt::format("{}\nthe journal holds every probe: free space, then write the reports "
                                    "with: leakbisect report {}",
                                    to_string(written.error()), session.run_dir.string()));
        return kExitInternal;
    }
    console.line(fmt::format("reports: {}", session.run_dir.string()));
    return code;
}

// The search loop: ask the search for the next probe, run it, journal it, until a finding.
ExitCode drive_search(RunSession& session, const Probing& probing) {
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
        probing.console.probe_started(index, std::max(worst_case, index), probe.role,
                                      describe_enabled(request.enabled, all_chunks(session.recipe)));

        const std::optional<Trace> reference = baseline_reference(session);
        PlannedProbe judged = probe;
        judged.reference = reference ? &*reference : nullptr;
        switch (run_and_record(session, probing, judged)) {
        case ProbeEnd::interrupted:
            return interrupted(session, probing.console);
        case ProbeEnd::write_failed:
            return kExitInternal;
        case ProbeEnd::journaled:
            break;
        }
        history.add(observations({session.records.back()}, session.recipe).front());
        if (probing.interrupt.load()) {
            return interrupted(session, probing.console);
        }
    }
}

} // namespace

ExitCode run_search(const RunOptions& options, const Probing& probing) {
    auto session = start_session(options);
    if (!session) {
        probing.console.problem(to_string(session.error()));
        return exit_code_of_failure(session.error());
    }
    stop_leftovers_in_runs(session->run_dir.parent_path(), probing.console);
    probing.console.line(fmt::format(
        "leakbisect: {} — {} chunks, strategy {}, {} requests per probe; run folder {}", session->recipe.name,
        session->recipe.chunks.size(), to_string(session->recipe.search.strategy),
        session->recipe.load.requests, session->run_dir.string()));
    return drive_search(*session, probing);
}

ExitCode resume_search(const std::filesystem::path& given_dir, const Probing& probing) {
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
    if (const Status reference = check_reference(*session); !reference) {
        probing.console.problem(to_string(reference.error()));
        return kExitBadUsage;
    }
    probing.console.line(fmt::format("leakbisect: resuming {} after {} journaled probes", run_dir.string(),
                                     session->records.size()));
    return drive_search(*session, probing);
}

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
    const SearchStep step =
        next_step(search_problem(session->recipe), observations(session->records, session->recipe));
    const auto* searched = std::get_if<Finding>(&step);
    if (searched == nullptr) {
        console.problem(fmt::format("{} is unfinished: continue it with `leakbisect resume {}`",
                                    run_dir.string(), run_dir.string()));
        return kExitBadUsage;
    }
    const Finding wired = with_wiring(*searched, compare_responses(session->records));
    const Finding* finding = &wired;
    const ExitCode code = exit_code_of(finding->kind);
    if (const Status written = write_reports(make_report(*session, *finding, code), chosen); !written) {
        console.problem(to_string(written.error()));
        return exit_code_of_failure(written.error());
    }
    console.line(fmt::format("{}: reports written to {}", finding->summary, run_dir.string()));
    return code;
}

ExitCode measure_chunks(const MeasureOptions& options, const Probing& probing) {
    auto session = start_session({options.recipe_file, options.out_dir, std::nullopt});
    if (!session) {
        probing.console.problem(to_string(session.error()));
        return exit_code_of_failure(session.error());
    }
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
