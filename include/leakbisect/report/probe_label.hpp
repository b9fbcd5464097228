// A probe named by what differs from the baseline (every chunk off) in the fewest words, so a row
// reads "first 4 of 9" or "+warnings_panel" instead of thirteen names; the full set stays in the
// record (report.json's "chunks_on", a click away in report.html).
#pragma once

#include <string>
#include <vector>

namespace leakbisect {

// `enabled`: the chunks on (sub-chunks included); `chunks`: every chunk in recipe order. Sub-chunks
// that do not simply follow their parent are named after it: "all 9 (warnings_panel.*: none)".
std::string describe_enabled(const std::vector<std::string>& enabled, const std::vector<std::string>& chunks);

} // namespace leakbisect
