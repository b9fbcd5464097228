// Memory of a running app read from /proc: its main process alone or the whole tree of its
// descendants (walked afresh on every sample, so workers that fork or die are followed); or, for
// MemoryMetric::cgroup, the app's own cgroup as a whole (cgroup_memory.hpp).
// It owns no process; the caller keeps the app alive and decides when to sample.
#pragma once

#include "leakbisect/recipe/recipe.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <sys/types.h>
#include <vector>

namespace leakbisect {

struct TreeMemory {
    std::int64_t bytes = 0; // the metric summed over the processes read
    unsigned processes = 0; // how many processes were read
};

// Every live descendant of `root` (children, grandchildren, ...), found through /proc/*/stat.
std::vector<pid_t> descendants_of(pid_t root);

// One process's memory in the metric, or nothing when it has gone (or cannot be read).
std::optional<std::int64_t> process_memory(pid_t pid, MemoryMetric metric);

class MemorySampler {
  public:
    // `cgroup`: the folder of the app's own cgroup, needed for (and only read by) MemoryMetric::cgroup.
    MemorySampler(pid_t root, MemoryScope scope, MemoryMetric metric, std::filesystem::path cgroup = {});

    // Nothing when the root process itself has gone (or the cgroup cannot be read).
    std::optional<TreeMemory> sample() const;

  private:
    pid_t root_;
    MemoryScope scope_;
    MemoryMetric metric_;
    std::filesystem::path cgroup_;
};

} // namespace leakbisect
