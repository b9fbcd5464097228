// The run folder of the spec: a new folder per run named by its start time, holding the recipe
// as it was run, the journal, one folder per probe, and the reports.
#pragma once

#include "leakbisect/core/expected.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace leakbisect {

inline constexpr std::string_view kRecipeCopyName = "recipe.toml";
inline constexpr std::string_view kJournalName = "journal.jsonl";

// Creates <parent>/<local start time>, e.g. leakbisect-runs/2026-11-25T04-52-29 (with a
// suffix when that exists already), readable by its owner only (0700), and copies the recipe
// into it (0600).
Expected<std::filesystem::path> create_run_folder(const std::filesystem::path& parent,
                                                  const std::filesystem::path& recipe_file);

// The local time now in a strftime format: "%Y-%m-%dT%H:%M:%S" for a record's started_at.
std::string local_time_now(const char* format);

// "probes/003-bisect"
std::string probe_folder_name(std::size_t index, std::string_view role);

} // namespace leakbisect
