#include "leakbisect/core/units.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/report/report.hpp"
#include "leftovers.hpp"
#include "orchestrator.hpp"
#include "session.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect {
namespace {

bool judged(const ProbeRecord& record) {
    return record.judgement.verdict == Verdict::leak || record.judgement.verdict == Verdict::plateau ||
           record.judgement.verdict == Verdict::inconclusive;
}

// Leaking pages first, fastest growth first; pages that could not be judged last.
void rank(std::vector<ProbeRecord>& pages) {
    std::stable_sort(pages.begin(), pages.end(), [](const ProbeRecord& a, const ProbeRecord& b) {
        if (judged(a) != judged(b)) {
            return judged(a);
        }
        if ((a.judgement.verdict == Verdict::leak) != (b.judgement.verdict == Verdict::leak)) {
            return a.judgement.verdict == Verdict::leak;
        }
        return a.judgement.rate > b.judgement.rate;
    });
}

ExitCode survey_exit_code(const std::vector<ProbeRecord>& pages) {
    const auto any = [&pages](auto predicate) { return std::any_of(pages.begin(), pages.end(), predicate); };
    if (any([](const ProbeRecord& page) { return page.judgement.verdict == Verdict::leak; })) {
        return kExitLocalized;
    }
    if (std::all_of(pages.begin(), pages.end(),
                    [](const ProbeRecord& page) { return page.judgement.verdict == Verdict::plateau; })) {
        return kExitNoLeak;
    }
    if (std::all_of(pages.begin(), pages.end(),
                    [](const ProbeRecord& page) { return page.judgement.verdict == Verdict::skipped; })) {
        return kExitAppFailed;
    }
    return kExitInconclusive;
}

} // namespace

SurveyReport survey_report(const Recipe& recipe, const std::filesystem::path& run_dir,
                           std::vector<ProbeRecord> pages) {
    rank(pages);
    const int code = survey_exit_code(pages);
    return {recipe.name,
            run_dir,
            to_string(recipe.memory.metric),
            to_string(recipe.memory.scope),
            static_cast<double>(recipe.verdict.min_leak.value),
            recipe.load.requests,
            std::move(pages),
            code};
}

ExitCode survey_pages(const SurveyOptions& options, const Probing& probing) {
    const Console& console = probing.console;
    auto session = start_session({options.recipe_file, options.out_dir, std::nullopt});
    if (!session) {
        console.problem(to_string(session.error()));
        return session.error().kind == ErrorKind::io ? kExitInternal : kExitBadUsage;
    }
    stop_leftovers_in_runs(session->run_dir.parent_path(), console);
    const Recipe& recipe = session->recipe;
    if (!recipe.load.command.empty()) {
        console.problem(fmt::format("{}: survey needs [[load.request]] entries; with load.command there is "
                                    "no page to run alone",
                                    recipe.file.string()));
        return kExitBadUsage;
    }
    const std::vector<std::string> chunks = all_chunks(recipe);
    console.line(fmt::format("leakbisect survey: {} — {} pages, each alone with every chunk on, {} requests "
                             "per probe; run folder {}",
                             recipe.name, recipe.load.mix.size(), recipe.load.requests,
                             session->run_dir.string()));
    console.line(process_tracking());

    for (const LoadRequest& page : recipe.load.mix) {
        console.line(fmt::format("probe {} of {} survey   page: {} (every chunk on)",
                                 session->records.size() + 1, recipe.load.mix.size(), page_label(page)));
        switch (
            run_and_record(*session, probing,
                           {RecordRole::survey, ChunkSet(chunks.begin(), chunks.end()), nullptr, &page})) {
        case ProbeEnd::interrupted:
            console.line("interrupted: the app was stopped");
            return kExitInterrupted;
        case ProbeEnd::write_failed:
            return kExitInternal;
        case ProbeEnd::journaled:
            break;
        }
        if (probing.interrupt.load()) {
            return kExitInterrupted;
        }
    }

    const SurveyReport report = survey_report(recipe, session->run_dir, session->records);
    console.line("");
    console.line("pages by growth per request:");
    for (std::size_t i = 0; i < report.pages.size(); ++i) {
        const ProbeRecord& page = report.pages[i];
        console.line(
            fmt::format("  {}. {:<40} {:<12} {}", i + 1, page.page, to_string(page.judgement.verdict),
                        judged(page) ? format_bytes(page.judgement.rate) + "/request" : page.failure));
    }
    if (const Status written = write_survey_reports(report, recipe.report.formats); !written) {
        console.problem(to_string(written.error()));
        return kExitInternal; // a ranking whose reports are not on disk is not a finished survey
    }
    console.line(fmt::format("reports: {}", session->run_dir.string()));
    return static_cast<ExitCode>(report.exit_code);
}

} // namespace leakbisect
