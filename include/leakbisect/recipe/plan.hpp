// Which chunks are on for a probe, and the environment variables that say so. The search picks
// explicit sets; a sub-chunk ("panel.call") is only ever on when its parent is on.
#pragma once

#include "leakbisect/recipe/recipe.hpp"

#include <set>
#include <string>
#include <vector>

namespace leakbisect {

// Names of the enabled chunks, as written in the recipe.
using ChunkSet = std::set<std::string>;

// The variable of every chunk set explicitly to "1" or "0", plus the list variable
// (comma-separated enabled names in recipe order) when the recipe keeps it on.
EnvList chunk_environment(const Recipe& recipe, const ChunkSet& enabled);

// Sub-chunks follow their parent: the closure adds every descendant of an enabled chunk
// and removes any chunk whose parent is off.
ChunkSet with_sub_chunks(const Recipe& recipe, const ChunkSet& top_level);

// `measure --chunks`: each named chunk with every descendant, and the parents a named sub-chunk
// needs. Names the recipe does not declare are dropped.
ChunkSet with_parents_and_sub_chunks(const Recipe& recipe, const ChunkSet& named);

// True when every enabled sub-chunk's parent is enabled too.
bool respects_hierarchy(const ChunkSet& enabled);

// Every chunk, sub-chunks included, in recipe order.
std::vector<std::string> all_chunks(const Recipe& recipe);

// The top-level (undotted) chunks in recipe order.
std::vector<std::string> top_level_chunks(const Recipe& recipe);

// "warnings_panel.has_warnings" -> "warnings_panel"; "" for a top-level name.
std::string parent_of(const std::string& chunk_name);

} // namespace leakbisect
