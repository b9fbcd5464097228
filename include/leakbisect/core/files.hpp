// Whole-file reads and durable writes with errors as values naming the path and the system's
// reason. A write lands whole or not at all: a kill or a full disk mid-write never leaves a
// truncated file under the final name, and a write that returned Ok survives a power cut.
#pragma once

#include "leakbisect/core/expected.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace leakbisect {

// Who may read a file leakbisect writes: a recipe copy may carry secrets.
enum class FileAccess { everyone, owner_only };

Expected<std::string> read_text_file(const std::filesystem::path& file, ErrorKind kind_on_failure);

// A whole small file of /proc or /sys read with plain read(2); nothing when it cannot be read. A
// /proc file of a process that exits mid-read fails with ESRCH, which std::ifstream reports by
// throwing from inside the stream buffer.
std::optional<std::string> read_small_file(const std::filesystem::path& path);

// Replaces the file's content atomically and durably: written to a temporary name beside it,
// fsynced, renamed over the file, and the folder fsynced. On failure the old content (or no
// file) stays and the error says which file and why ("No space left on device").
Status write_text_file(const std::filesystem::path& file, std::string_view content,
                       FileAccess access = FileAccess::everyone);

// Appends the bytes and fsyncs the file (and, when it was created, its folder) before returning.
Status append_to_file(const std::filesystem::path& file, std::string_view bytes);

// fsyncs a folder, so that the names created, renamed or removed in it survive a power cut.
Status sync_folder(const std::filesystem::path& folder);

} // namespace leakbisect
