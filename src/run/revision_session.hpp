// Commit-range mode at the run's edges: the range resolved once when a run starts (revisions.json in
// the run folder) and read back on resume, the commits standing in as the search's chunks, the
// finding told in commits, the report's commit section and `check`'s view of the range.
#pragma once

#include "console.hpp"
#include "leakbisect/report/report.hpp"
#include "leakbisect/revisions/revisions.hpp"
#include "session.hpp"

#include <atomic>
#include <string>
#include <vector>

namespace leakbisect {

// run: resolves and checks the range (nothing has run yet), saves it, and makes its commits the
// session's chunks. resume and report: reads the saved range back.
Status prepare_revisions(RunSession& session);
Status reload_revisions(RunSession& session);

// "a1b2c3d4e5 Add the cache" (good for none on): how the console names a probe.
std::string revision_label(const RevisionRange& range, const std::vector<std::string>& enabled);

// The search's finding in the words of commits: which commit, by whom, when, and the growth at the
// commit before and at it.
Finding told_in_commits(Finding finding, const RevisionRange& range);

// The report's commit section (reads the culprit's diffstat from git).
RevisionsReport revisions_report(const RevisionRange& range, const Finding& finding);

// --then-chunks' run folder inside the commit search's.
constexpr std::string_view kChunksFolderName = "chunks";

// --then-chunks: the recipe as written (its [[chunk]]s, no [revisions]) with RUN/chunks as its run
// folder and what its journal holds so far; no checkout (enough to write its reports again).
Expected<RunSession> chunk_session_in(const RunSession& commits);

// The same, booted in `hash`'s checkout after its setup (RUN/chunks/setup.log), journaling into
// RUN/chunks; a resumed one reads its journal.
Expected<RunSession> chunk_session_at(const RunSession& commits, const std::string& hash,
                                      Worktrees& worktrees, const std::atomic<bool>& cancel);

// The search over the range's commits: `problem` with the commits as its chunks.
SearchProblem over_commits(SearchProblem problem, const RevisionRange& range);

// `check`: the range, what revisions.paths leaves out, and the most probes the search needs. The
// range, or nothing when it cannot be resolved (said on the console).
std::optional<RevisionRange> check_revisions(const Recipe& recipe, const SearchProblem& problem,
                                             const Console& console);

} // namespace leakbisect
