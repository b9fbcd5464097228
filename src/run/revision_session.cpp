#include "revision_session.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/core/units.hpp"
#include "leakbisect/recipe/placeholders.hpp"
#include "run_folder.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect {
namespace {

constexpr std::string_view kRangeFile = "revisions.json";
constexpr std::size_t kCommitsShownByCheck = 20;

void use_commits_as_chunks(RunSession& session, RevisionRange range) {
    session.recipe.chunks.clear();
    for (const Commit& commit : range.commits) {
        ChunkSpec chunk;
        chunk.name = commit.hash;
        chunk.note = commit.subject;
        session.recipe.chunks.push_back(std::move(chunk));
    }
    session.revisions = std::move(range);
}

const Commit* find_commit(const RevisionRange& range, const std::string& hash) {
    if (range.good.hash == hash) {
        return &range.good;
    }
    const auto found = std::find_if(range.commits.begin(), range.commits.end(),
                                    [&hash](const Commit& commit) { return commit.hash == hash; });
    return found == range.commits.end() ? nullptr : &*found;
}

std::string describe(const Commit& commit) {
    return fmt::format("{} \"{}\" ({}, {})", short_hash(commit.hash), commit.subject, commit.author,
                       commit.date);
}

CommitLine line_of(const Commit& commit) {
    return {commit.hash, commit.subject, commit.author, commit.date};
}

// What the search's summary says after its first clause (confirmation, re-checks, ...).
// What a localized finding says after its first clause (the re-checks), in commit terms.
std::string tail_of(const Finding& finding) {
    const std::size_t semicolon = finding.summary.find(';');
    std::string tail = semicolon == std::string::npos ? "" : finding.summary.substr(semicolon);
    if (!finding.grows_outside_chunks) {
        return tail;
    }
    tail = tail.substr(0, tail.find(kOutsideGrowthNote));
    return tail +
           fmt::format("; memory also grows at good{}, and every commit was judged against good's curve",
                       finding.outside_rate > 0
                           ? fmt::format(" (about {}/request)", format_bytes(finding.outside_rate))
                           : "");
}

} // namespace

Status prepare_revisions(RunSession& session) {
    auto range = resolve_range(session.recipe);
    if (!range) {
        return range.error();
    }
    if (Status written = write_text_file(session.run_dir / kRangeFile, range_to_json(*range)); !written) {
        return written.error();
    }
    use_commits_as_chunks(session, std::move(range.value()));
    return Ok{};
}

Status reload_revisions(RunSession& session) {
    const std::filesystem::path file = session.run_dir / kRangeFile;
    auto text = read_text_file(file, ErrorKind::bad_input);
    if (!text) {
        return text.error();
    }
    auto range = range_from_json(*text, file);
    if (!range) {
        return range.error();
    }
    use_commits_as_chunks(session, std::move(range.value()));
    return Ok{};
}

std::string revision_label(const RevisionRange& range, const std::vector<std::string>& enabled) {
    const std::size_t k = std::min(enabled.size(), range.commits.size());
    const Commit& commit = k == 0 ? range.good : range.commits[k - 1];
    return fmt::format("{} {}{}", short_hash(commit.hash), k == 0 ? "(good) " : "", commit.subject);
}

Finding told_in_commits(Finding finding, const RevisionRange& range) {
    switch (finding.kind) {
    case FindingKind::localized:
        if (const Commit* commit = find_commit(range, finding.culprit)) {
            finding.summary =
                fmt::format("memory stops plateauing at commit {}: {}/request before it, {}/request at it{}",
                            describe(*commit), format_bytes(finding.last_plateau.pooled_rate),
                            format_bytes(finding.first_leak.pooled_rate), tail_of(finding));
        }
        break;
    case FindingKind::leak_outside_chunks:
        finding.summary =
            fmt::format("memory already grows at good {}: it already leaks at good, and bad was not seen "
                        "to grow faster than that, so the leak came before the range; pick an older good",
                        describe(range.good));
        break;
    case FindingKind::no_leak:
        finding.summary =
            fmt::format("memory plateaus at bad {}: no leak under this load", describe(range.bad));
        break;
    case FindingKind::inconclusive:
        if (!finding.suspects.empty()) {
            std::vector<std::string> candidates;
            for (const std::string& hash : finding.suspects) {
                const Commit* commit = find_commit(range, hash);
                candidates.push_back(commit != nullptr ? describe(*commit) : hash);
            }
            finding.summary = fmt::format("the commit that made memory stop plateauing is one of {}: {}; "
                                          "skipped or undecided probes hide which",
                                          candidates.size(), fmt::join(candidates, ", "));
        }
        break;
    case FindingKind::app_failed:
        finding.summary = fmt::format("the app could not be run at good {}, so the search cannot go on",
                                      describe(range.good));
        break;
    }
    return finding;
}

RevisionsReport revisions_report(const RevisionRange& range, const Finding& finding) {
    RevisionsReport report;
    report.good = line_of(range.good);
    report.bad = line_of(range.bad);
    report.commits = range.commits.size();
    const std::vector<std::string> named =
        finding.kind == FindingKind::localized ? std::vector<std::string>{finding.culprit} : finding.suspects;
    for (const std::string& hash : named) {
        if (const Commit* commit = find_commit(range, hash)) {
            report.guilty.push_back(line_of(*commit));
        }
    }
    if (finding.kind == FindingKind::localized && !report.guilty.empty()) {
        const auto stat = diffstat(range, finding.culprit);
        report.diffstat = stat ? *stat : "(git show --stat failed: " + to_string(stat.error()) + ")";
        report.rate_before = finding.last_plateau.pooled_rate;
        report.rate_after = finding.first_leak.pooled_rate;
    }
    return report;
}

Expected<RunSession> chunk_session_in(const RunSession& commits) {
    auto written = reopen_session(commits.run_dir); // the recipe as written, with its [[chunk]]s
    if (!written) {
        return written.error();
    }
    RunSession chunks;
    chunks.recipe = std::move(written->recipe);
    chunks.recipe.revisions.reset();
    chunks.run_dir = commits.run_dir / kChunksFolderName;
    chunks.worktrees = commits.worktrees;
    if (std::filesystem::exists(chunks.run_dir / kJournalName)) {
        auto journal = read_journal(chunks.run_dir / kJournalName);
        if (!journal) {
            return journal.error();
        }
        chunks.records = std::move(journal.value());
    }
    return chunks;
}

Expected<RunSession> chunk_session_at(const RunSession& commits, const std::string& hash,
                                      Worktrees& worktrees, const std::atomic<bool>& cancel) {
    auto chunks = chunk_session_in(commits);
    if (!chunks) {
        return chunks;
    }
    std::error_code ignored;
    std::filesystem::create_directories(chunks->run_dir, ignored);
    const auto checkout = worktrees.checkout(hash);
    if (!checkout) {
        return checkout.error();
    }
    chunks->recipe.app.cwd = worktrees.app_cwd(*checkout);
    const RevisionsSpec& spec = *commits.recipe.revisions;
    if (!spec.setup.empty()) {
        const Placeholders values{0, chunks->recipe.dir, chunks->run_dir, chunks->run_dir};
        if (Status setup = run_setup(expand_placeholders(spec.setup, values), chunks->recipe.app.cwd,
                                     chunks->run_dir / "setup.log", spec.setup_timeout, cancel);
            !setup) {
            return setup.error();
        }
    }
    return chunks;
}

SearchProblem over_commits(SearchProblem problem, const RevisionRange& range) {
    problem.chunks.clear();
    for (const Commit& commit : range.commits) {
        problem.chunks.push_back(commit.hash);
    }
    return problem;
}

std::optional<RevisionRange> check_revisions(const Recipe& recipe, const SearchProblem& chunks,
                                             const Console& console) {
    auto range = resolve_range(recipe);
    if (!range) {
        console.problem(to_string(range.error()));
        return std::nullopt;
    }
    const SearchProblem problem = over_commits(chunks, *range);
    const RevisionsSpec& spec = *recipe.revisions;
    console.line(fmt::format("revisions: {} in {}", fmt::join(recipe.app.command, " "),
                             range->app_subdir == "." ? range->repo.string()
                                                      : (range->repo / range->app_subdir).string()));
    console.line(fmt::format("  good {} = {}", spec.good, describe(range->good)));
    console.line(fmt::format("  bad  {} = {}", spec.bad, describe(range->bad)));
    const std::size_t left_out =
        range->first_parent_commits - std::min(range->first_parent_commits, range->commits.size());
    console.line(fmt::format("  {} first-parent commits after good up to bad; {} searched{}",
                             range->first_parent_commits, range->commits.size(),
                             spec.paths.empty() ? std::string()
                                                : fmt::format(", {} left out by revisions.paths ({})",
                                                              left_out, fmt::join(spec.paths, ", "))));
    for (std::size_t i = 0; i < range->commits.size(); ++i) {
        if (i == kCommitsShownByCheck && range->commits.size() > kCommitsShownByCheck + 1) {
            console.line(fmt::format("    ... {} more", range->commits.size() - kCommitsShownByCheck - 1));
            i = range->commits.size() - 1;
        }
        console.line(fmt::format("  {:>4}. {}", i + 1, describe(range->commits[i])));
    }
    console.line(spec.setup.empty()
                     ? std::string("  setup: none")
                     : fmt::format("  setup in each checkout: {} (timeout {})", fmt::join(spec.setup, " "),
                                   format_duration(spec.setup_timeout)));
    console.line(fmt::format(
        "plan ({}, repeats {}): at most {} probes, one fresh app each: good, bad, the {} search over the {} "
        "commits between them, then the boundary re-checked; a skipped commit adds one",
        problem.strategy == SearchStrategy::bisect ? "bisect" : "linear", problem.repeats,
        worst_case_probes(problem), problem.strategy == SearchStrategy::bisect ? "binary" : "linear",
        range->commits.size() > 0 ? range->commits.size() - 1 : 0));
    return std::move(*range);
}

} // namespace leakbisect
