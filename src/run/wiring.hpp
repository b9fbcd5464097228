// The wiring check's evidence: the responses the baseline and the all-on probe recorded (each
// [[load.request]] sent once after the load), compared page by page.
#pragma once

#include "leakbisect/journal/journal.hpp"
#include "leakbisect/search/search.hpp"

#include <vector>

namespace leakbisect {

// ok: some page answered differently with every chunk on; no_effect: every page answered the same;
// not_checked: the baseline or the all-on probe (the last one: without the chunks left off) has
// no responses to compare.
Wiring compare_responses(const std::vector<ProbeRecord>& records);

} // namespace leakbisect
