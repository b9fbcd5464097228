// Whole small files of /proc and /sys read with plain read(2): a /proc file of a process that exits
// mid-read fails with ESRCH, which std::ifstream reports by throwing from inside the stream buffer.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace leakbisect::memory_detail {

std::optional<std::string> read_small_file(const std::filesystem::path& path);

} // namespace leakbisect::memory_detail
