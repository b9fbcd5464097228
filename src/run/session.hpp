// A run in progress: its recipe, its folder and the probes journaled so far. Started fresh
// from a recipe, or reopened from a run folder (the recipe copy + run.json + journal) to resume.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/report/report.hpp"
#include "leakbisect/revisions/revisions.hpp"
#include "leakbisect/run/commands.hpp"
#include "leakbisect/search/search.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace leakbisect {

struct RunSession {
    Recipe recipe;
    std::filesystem::path run_dir;
    std::vector<ProbeRecord> records;
    std::optional<RevisionRange> revisions; // commit-range mode: the commits are the chunks
    WorktreesAtEnd worktrees = WorktreesAtEnd::remove;
};

// Loads and checks the recipe, creates the run folder, and records how to reopen it.
Expected<RunSession> start_session(const RunOptions& options);

// The run folder `dir` names: itself when it is one, or the only run folder inside it (the `--out`
// or report.dir folder a run was started with). Several inside: an error listing them, newest last.
Expected<std::filesystem::path> find_run_folder(const std::filesystem::path& dir);

// Reads the recipe copy (resolving its paths against the original recipe's folder, as the
// run did) and the journal.
Expected<RunSession> reopen_session(const std::filesystem::path& run_dir);

SearchProblem search_problem(const Recipe& recipe);
RunReport make_report(const RunSession& session, const Finding& finding, ExitCode exit_code);
bool has_chunk(const Recipe& recipe, const std::string& name);

// The journal's role of a probe the search asked for, and back: the search's role of a journaled
// probe (none for `measure` and `survey`, which are not the search's).
RecordRole record_role(ProbeRole role, SearchStrategy strategy);
std::optional<ProbeRole> search_role(RecordRole role);

// Checks what the recipe parser cannot: that load.base_url resolves to an allowed target.
Status check_load_target(const Recipe& recipe);

// Checks that this machine can give what memory.metric asks for ("cgroup": a memory cgroup
// leakbisect may make), before anything runs.
Status check_memory_backing(const Recipe& recipe);

// "processes: ..." : how this machine's probes are tracked (a cgroup each, or tags alone), said once.
std::string process_tracking();

} // namespace leakbisect
