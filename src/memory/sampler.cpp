#include "leakbisect/memory/sampler.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/memory/cgroup_memory.hpp"

#include <cassert>
#include <cerrno>
#include <charconv>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <string>
#include <string_view>
#include <unistd.h>

namespace leakbisect {
namespace {

// The parent pid from /proc/PID/stat; the command name may hold spaces and parentheses,
// so the fields are read after the last ')'.
std::optional<pid_t> parent_of_process(pid_t pid) {
    const auto stat = read_small_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) {
        return std::nullopt;
    }
    const std::size_t close = stat->rfind(')');
    if (close == std::string::npos || close + 4 >= stat->size()) {
        return std::nullopt;
    }
    // ") S PPID ..."
    const std::size_t start = stat->find(' ', close + 2);
    if (start == std::string::npos) {
        return std::nullopt;
    }
    pid_t parent = 0;
    const char* begin = stat->data() + start + 1;
    const auto [end, error] = std::from_chars(begin, stat->data() + stat->size(), parent);
    if (error != std::errc{}) {
        return std::nullopt;
    }
    return parent;
}

// Sums the "Key:   N kB" lines of a /proc status-like file whose key is in `keys`.
std::optional<std::int64_t> sum_kilobyte_fields(const std::string& path,
                                                std::initializer_list<std::string_view> keys) {
    const auto content = read_small_file(path);
    if (!content) {
        return std::nullopt;
    }
    std::int64_t total = 0;
    bool found = false;
    std::string_view rest(*content);
    while (!rest.empty()) {
        const std::size_t newline = rest.find('\n');
        const std::string_view line = rest.substr(0, newline);
        rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        const std::string_view key = line.substr(0, colon);
        for (const std::string_view wanted : keys) {
            if (key != wanted) {
                continue;
            }
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
                value.remove_prefix(1);
            }
            std::int64_t kilobytes = 0;
            if (std::from_chars(value.data(), value.data() + value.size(), kilobytes).ec == std::errc{}) {
                total += kilobytes * 1024;
                found = true;
            }
        }
    }
    if (!found) {
        return std::nullopt;
    }
    return total;
}

// Whether the process still runs (a zombie has gone: its memory is freed).
bool live_process(pid_t pid) {
    const auto stat = read_small_file("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) {
        return false;
    }
    const std::size_t close = stat->rfind(')');
    return close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] != 'Z' &&
           (*stat)[close + 2] != 'X';
}

} // namespace

std::vector<pid_t> descendants_of(pid_t root) {
    std::multimap<pid_t, pid_t> children_by_parent;
    if (DIR* proc = opendir("/proc")) {
        while (const dirent* entry = readdir(proc)) {
            pid_t pid = 0;
            const std::string_view name(entry->d_name);
            if (std::from_chars(name.data(), name.data() + name.size(), pid).ec != std::errc{} || pid <= 0) {
                continue;
            }
            if (const auto parent = parent_of_process(pid)) {
                children_by_parent.emplace(*parent, pid);
            }
        }
        closedir(proc);
    }
    std::vector<pid_t> found;
    std::vector<pid_t> frontier{root};
    while (!frontier.empty()) {
        const pid_t parent = frontier.back();
        frontier.pop_back();
        const auto [first, last] = children_by_parent.equal_range(parent);
        for (auto it = first; it != last; ++it) {
            found.push_back(it->second);
            frontier.push_back(it->second);
        }
    }
    return found;
}

std::optional<std::int64_t> process_memory(pid_t pid, MemoryMetric metric) {
    const std::string base = "/proc/" + std::to_string(pid);
    switch (metric) {
    case MemoryMetric::rss:
        return sum_kilobyte_fields(base + "/status", {"VmRSS"});
    case MemoryMetric::pss:
        return sum_kilobyte_fields(base + "/smaps_rollup", {"Pss"});
    case MemoryMetric::uss:
        return sum_kilobyte_fields(base + "/smaps_rollup",
                                   {"Private_Clean", "Private_Dirty", "Private_Hugetlb"});
    case MemoryMetric::cgroup:
        return std::nullopt; // a cgroup's, not a process's: see MemorySampler
    }
    return std::nullopt;
}

MemorySampler::MemorySampler(pid_t root, MemoryScope scope, MemoryMetric metric, std::filesystem::path cgroup)
    : root_(root), scope_(scope), metric_(metric), cgroup_(std::move(cgroup)) {
    assert(metric_ != MemoryMetric::cgroup || !cgroup_.empty());
}

std::optional<TreeMemory> MemorySampler::sample() const {
    if (metric_ == MemoryMetric::cgroup) {
        if (!live_process(root_)) {
            return std::nullopt;
        }
        const auto bytes = cgroup_memory(cgroup_);
        if (!bytes) {
            return std::nullopt;
        }
        return TreeMemory{*bytes, cgroup_process_count(cgroup_)};
    }
    const auto root_bytes = process_memory(root_, metric_);
    if (!root_bytes) {
        return std::nullopt;
    }
    TreeMemory memory{*root_bytes, 1};
    if (scope_ == MemoryScope::tree) {
        for (const pid_t pid : descendants_of(root_)) {
            if (const auto bytes = process_memory(pid, metric_)) {
                memory.bytes += *bytes;
                ++memory.processes;
            }
        }
    }
    return memory;
}

} // namespace leakbisect
