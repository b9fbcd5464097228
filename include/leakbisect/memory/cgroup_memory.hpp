// Memory of a whole cgroup as Docker shows it: what the kernel charges to the cgroup less the page
// cache it could drop at once (inactive file pages). cgroup v2: memory.current - memory.stat's
// inactive_file; v1: memory.usage_in_bytes - memory.stat's total_inactive_file. Reads only; the
// cgroup is made, joined and removed by the app module.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace leakbisect {

// The value of `key` in a memory.stat text ("key value" lines), or nothing when it is missing.
std::optional<std::int64_t> memory_stat_value(std::string_view memory_stat, std::string_view key);

// The cgroup's memory less inactive file cache (never below 0), read from whichever of v2's
// memory.current or v1's memory.usage_in_bytes the folder holds; nothing when it cannot be read.
std::optional<std::int64_t> cgroup_memory(const std::filesystem::path& cgroup_dir);

// How many processes the cgroup holds now (its cgroup.procs lines).
unsigned cgroup_process_count(const std::filesystem::path& cgroup_dir);

} // namespace leakbisect
