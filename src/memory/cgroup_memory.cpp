#include "leakbisect/memory/cgroup_memory.hpp"

#include "leakbisect/core/files.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace leakbisect {
namespace {

std::optional<std::int64_t> parse_integer(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

std::optional<std::int64_t> memory_stat_value(std::string_view memory_stat, std::string_view key) {
    std::string_view rest = memory_stat;
    while (!rest.empty()) {
        const std::size_t newline = rest.find('\n');
        const std::string_view line = rest.substr(0, newline);
        rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
        const std::size_t space = line.find(' ');
        if (space != std::string_view::npos && line.substr(0, space) == key) {
            return parse_integer(line.substr(space + 1));
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> cgroup_memory(const std::filesystem::path& cgroup_dir) {
    // v2 names the file memory.current and the cache inactive_file; v1 usage_in_bytes and, counting
    // the cgroup's children too as usage does, total_inactive_file.
    std::optional<std::string> usage = read_small_file(cgroup_dir / "memory.current");
    std::string_view inactive_key = "inactive_file";
    if (!usage) {
        usage = read_small_file(cgroup_dir / "memory.usage_in_bytes");
        inactive_key = "total_inactive_file";
    }
    const auto stat = read_small_file(cgroup_dir / "memory.stat");
    if (!usage || !stat) {
        return std::nullopt;
    }
    const auto bytes = parse_integer(*usage);
    const auto inactive = memory_stat_value(*stat, inactive_key);
    if (!bytes || !inactive) {
        return std::nullopt;
    }
    return std::max<std::int64_t>(0, *bytes - *inactive);
}

unsigned cgroup_process_count(const std::filesystem::path& cgroup_dir) {
    const auto procs = read_small_file(cgroup_dir / "cgroup.procs");
    if (!procs) {
        return 0;
    }
    return static_cast<unsigned>(std::count(procs->begin(), procs->end(), '\n'));
}

} // namespace leakbisect
