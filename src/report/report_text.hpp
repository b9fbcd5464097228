// Phrases and escapes shared by the report writers, so every format says the same thing.
#pragma once

#include "leakbisect/journal/journal.hpp"
#include "leakbisect/report/report.hpp"
#include "leakbisect/search/search.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace leakbisect {

// "Culprit: warnings_panel", "No leak", ...
std::string headline(const Finding& finding);

// The chunk is the culprit or one of the set that leaks together.
bool is_culprit(const Finding& finding, const std::string& chunk);

// "+2.0 KiB" or "—" when the probe was not judged.
std::string format_rate(const ProbeRecord& probe);
// "[1.9 KiB, 2.1 KiB]" or "—".
std::string format_interval(const ProbeRecord& probe);

std::string xml_escape(std::string_view text);

// Every chunk of the run in recipe order.
std::vector<std::string> chunk_names(const RunReport& report);

// What the probe ran, in the fewest words against the baseline ("first 4 of 9").
std::string probe_label(const RunReport& report, const ProbeRecord& probe);

// What was on in a probe: its chunks joined with `separator`, "(none)"; in commit-range mode the
// commit it booted ("a1b2c3d4e5 Add the cache", good for none on).
std::string configuration_of(const RunReport& report, const ProbeRecord& probe, std::string_view separator);
std::string configuration_of(const RunReport& report, const std::vector<std::string>& enabled,
                             std::string_view separator);

// The report's headline: headline(finding), or in commit-range mode "Culprit: commit a1b2c3d4e5 Add ...".
std::string headline(const RunReport& report);

// Commit-range mode: "a1b2c3d4e5 Add the cache (Ann <ann@x>, 2026-11-24T10:00:00+00:00)".
std::string describe_commit(const CommitLine& commit);

// Where the probes' processes ran: "each probe's app in a cgroup (v1) of its own", "3 of 7 probes'
// apps in a cgroup (v2) of their own", or "" when none ran in one (tracked by owner tag only).
std::string cgroup_isolation(const RunReport& report);

// Commit-range mode's section as Markdown: the commit(s), the growth before and at it, the diffstat.
std::string revisions_markdown(const RevisionsReport& revisions);

} // namespace leakbisect
