// Whole-file reads and writes with errors as values naming the path.
#pragma once

#include "leakbisect/core/expected.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace leakbisect {

Expected<std::string> read_text_file(const std::filesystem::path& file, ErrorKind kind_on_failure);

// Replaces the file's content.
Status write_text_file(const std::filesystem::path& file, std::string_view content);

} // namespace leakbisect
