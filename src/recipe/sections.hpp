// The readers of each part of a recipe (private to the recipe module). Each checks its table's
// keys, fills its part of the Recipe over the defaults already there, and reports what is wrong
// through the Section's Diagnostics.
#pragma once

#include "leakbisect/recipe/keys.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "section.hpp"

#include <filesystem>
#include <string_view>

namespace leakbisect::recipe_detail {

// [app]: recipe_app.cpp
void read_app(const Section& top, Recipe& recipe);

// [load] and [[load.request]]: recipe_load.cpp
void read_load(const Section& top, LoadSpec& load);

// [chunks] and [[chunk]]: recipe_chunks.cpp
void read_chunks(const Section& top, Recipe& recipe);

// [revisions]: recipe_revisions.cpp. Read before [[chunk]], which it makes optional.
void read_revisions(const Section& top, Recipe& recipe);

// [memory], [verdict], [search], [report]: recipe_settings.cpp
void read_memory(const Section& top, MemorySpec& memory);
void read_verdict(const Section& top, const LoadSpec& load, VerdictSpec& verdict);
void read_search(const Section& top, SearchSpec& search);
void read_report(const Section& top, const std::filesystem::path& recipe_dir, ReportSpec& report);

// A path from the recipe made absolute against the recipe's folder, lexically normal, without
// a trailing separator.
std::filesystem::path resolve_against(const std::filesystem::path& recipe_dir, std::string_view text);

} // namespace leakbisect::recipe_detail
