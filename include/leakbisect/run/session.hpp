// A run in progress: its recipe, its folder and the probes journaled so far. Started fresh
// from a recipe, or reopened from a run folder (the recipe copy + run.json + journal) to resume.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/report/report.hpp"
#include "leakbisect/run/orchestrator.hpp"
#include "leakbisect/run/probe_runner.hpp"
#include "leakbisect/run/progress.hpp"
#include "leakbisect/search/search.hpp"

#include <filesystem>
#include <vector>

namespace leakbisect {

struct RunSession {
    Recipe recipe;
    std::filesystem::path run_dir;
    std::vector<ProbeRecord> records;
};

// Loads and checks the recipe, creates the run folder, and records how to reopen it.
Expected<RunSession> start_session(const RunOptions& options);

// Reads the recipe copy (resolving its paths against the original recipe's folder, as the
// run did) and the journal.
Expected<RunSession> reopen_session(const std::filesystem::path& run_dir);

SearchProblem search_problem(const RunSession& session);
RunReport make_report(const RunSession& session, const Finding& finding, int exit_code);
bool has_chunk(const Recipe& recipe, const std::string& name);

// Runs one probe with exactly `enabled` on into the session's folder probes/NNN-role; the caller
// journals it. With a reference trace (the baseline's), growth is judged relative to it.
ProbeOutcome probe_in_session(const RunSession& session, std::size_t index, const std::string& role,
                              const ChunkSet& enabled, const Console& console,
                              const Trace* reference = nullptr);

// Checks what the recipe parser cannot: that load.base_url resolves to an allowed target.
Status check_load_target(const Recipe& recipe);

} // namespace leakbisect
