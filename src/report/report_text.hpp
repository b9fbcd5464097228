// Phrases and escapes shared by the report writers, so every format says the same thing.
#pragma once

#include "leakbisect/journal/journal.hpp"
#include "leakbisect/report/report.hpp"
#include "leakbisect/search/search.hpp"

#include <string>
#include <string_view>

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

} // namespace leakbisect
