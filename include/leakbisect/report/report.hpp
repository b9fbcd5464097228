// The reports of a run, rebuilt from its journal: JSON for tools, Markdown and HTML (with the
// memory curves as SVG) for people, JUnit XML for CI dashboards. Writers only: they judge nothing.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/search/search.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace leakbisect {

struct ChunkLine {
    std::string name;
    std::string note;
    std::string env;
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
};

std::string render_json(const RunReport& report);
std::string render_markdown(const RunReport& report);
std::string render_junit(const RunReport& report);
std::string render_html(const RunReport& report); // reads each probe's memory.csv for its curve

// Writes report.<ext> for each format ("html", "markdown", "json", "junit") into the run folder.
Status write_reports(const RunReport& report, const std::vector<std::string>& formats);

} // namespace leakbisect
