// Small text helpers shared by several modules: edit distance for "did you mean",
// upper snake case for chunk variables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakbisect {

// Levenshtein distance, used to suggest the closest known key or chunk name.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or "" when nothing is reasonably close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "warnings_panel.has-warnings" -> "WARNINGS_PANEL_HAS_WARNINGS".
std::string upper_snake_case(std::string_view name);

} // namespace leakbisect
