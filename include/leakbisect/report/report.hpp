// The reports of a run, rebuilt from its journal: JSON for tools, Markdown and HTML (with the
// memory curves as SVG) for people, JUnit XML for CI dashboards. Writers only: they judge nothing.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/search/search.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace leakbisect {

struct ChunkLine {
    std::string name;
    std::string note;
    std::string env;
};

// Commit-range mode: the commits a finding names, as git describes them.
struct CommitLine {
    std::string hash;
    std::string subject;
    std::string author;
    std::string date;
};

struct RevisionsReport {
    CommitLine good;
    CommitLine bad;
    std::size_t commits = 0;        // searched between them
    std::vector<CommitLine> guilty; // localized: the commit; inconclusive: the candidates
    std::string diffstat;           // localized: `git show --stat` of the commit
    double rate_before = 0;         // growth per request at the commit before it, and at it
    double rate_after = 0;
};

struct RunReport {
    std::string name; // the recipe's name
    std::filesystem::path recipe_file;
    std::filesystem::path run_dir;
    std::string strategy; // "bisect" | "linear"
    std::string metric;   // "rss" | "pss" | "uss"
    std::string scope;    // "tree" | "main"
    double min_leak = 0;  // bytes per request
    std::uint64_t requests_per_probe = 0;
    std::vector<ChunkLine> chunks;   // every chunk in recipe order
    std::vector<ProbeRecord> probes; // in the order they ran
    Finding finding;
    int exit_code = 0;
    std::optional<RevisionsReport> revisions; // commit-range mode
};

std::string render_json(const RunReport& report);
std::string render_markdown(const RunReport& report);
std::string render_junit(const RunReport& report);
std::string render_html(const RunReport& report); // reads each probe's memory.csv for its curve

// Writes report.<ext> for each format ("html", "markdown", "json", "junit") into the run folder.
Status write_reports(const RunReport& report, const std::vector<std::string>& formats);

// `survey`: each page of the load alone, every chunk on, ranked (leaking pages first, fastest
// growth first, pages that could not be judged last).
struct SurveyReport {
    std::string name;
    std::filesystem::path run_dir;
    std::string metric;
    std::string scope;
    double min_leak = 0;
    std::uint64_t requests_per_probe = 0;
    std::vector<ProbeRecord> pages; // ranked; each record's `page` names it
    int exit_code = 0;
};

std::string survey_headline(const SurveyReport& report); // "Leaks: GET /orders/42 (+2.5 KiB/request)", ...
std::string render_survey_markdown(const SurveyReport& report);
std::string render_survey_json(const SurveyReport& report);
std::string render_survey_html(const SurveyReport& report); // reads each probe's memory.csv for its curve

// Writes report.md, report.json and report.html for the formats asked ("junit" has no survey form).
Status write_survey_reports(const SurveyReport& report, const std::vector<std::string>& formats);

} // namespace leakbisect
