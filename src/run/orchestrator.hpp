// The commands that run probes, over a given runner, console and Ctrl-C flag (commands.cpp passes
// the real ones). `run` and `resume` drive the search: ask it for the next probe, run the probe,
// journal it, repeat until a finding, then write the reports.
#pragma once

#include "leakbisect/run/commands.hpp"
#include "probing.hpp"

#include <filesystem>
#include <vector>

namespace leakbisect {

ExitCode run_search(const RunOptions& options, const Probing& probing);
ExitCode resume_search(const std::filesystem::path& run_dir, const Probing& probing,
                       WorktreesAtEnd worktrees = WorktreesAtEnd::remove);
ExitCode measure_chunks(const MeasureOptions& options, const Probing& probing);
ExitCode survey_pages(const SurveyOptions& options, const Probing& probing);
ExitCode rewrite_reports(const std::filesystem::path& run_dir, const std::vector<std::string>& formats,
                         const Console& console);

// A survey's ranked report from its pages' journaled records (for `survey`, and `report` on a
// survey's run folder); its exit_code is the survey's.
SurveyReport survey_report(const Recipe& recipe, const std::filesystem::path& run_dir,
                           std::vector<ProbeRecord> pages);

} // namespace leakbisect
