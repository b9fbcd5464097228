// A memory cgroup per probe, where the machine lets leakbisect make one: the app joins it before it
// execs, so every process it starts (setsid daemons and double forks too) is charged there and
// killed with it at the stop. Finding a usable hierarchy, making, emptying and removing the cgroups,
// and recording them in the run folder's processes.txt so a later leakbisect removes what a killed
// one left. The cgroup's memory is read by the memory module (cgroup_memory.hpp).
#pragma once

#include "leakbisect/core/expected.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace leakbisect {

enum class CgroupVersion { v1, v2 };

// A folder of a memory cgroup hierarchy that probe cgroups are made in.
struct CgroupSite {
    CgroupVersion version = CgroupVersion::v1;
    std::filesystem::path parent;

    bool operator==(const CgroupSite& other) const = default;
};

// "cgroup v1 (memory controller) under /sys/fs/cgroup/memory/x"
std::string describe(const CgroupSite& site);

// Every probe cgroup's name starts with this, then the app's owner tag (process_guard.hpp).
inline constexpr std::string_view kCgroupPrefix = "leakbisect-";

// Where the hierarchies may be, in the order they are tried: cgroup v2 with the memory controller
// (mounted at `mount_root`, or at `mount_root`/unified on a hybrid machine), first under our own
// cgroup, then at its root; then v1's `mount_root`/memory, under our own cgroup, then its root.
// `self_cgroup` is the text of /proc/self/cgroup. Reads only which files and folders exist.
std::vector<CgroupSite> memory_cgroup_candidates(const std::filesystem::path& mount_root,
                                                 std::string_view self_cgroup);

// Whether a candidate must be the kernel's cgroup file system (the machine) or may be a scratch
// tree of plain files and folders (tests).
enum class FileSystemCheck { cgroup_only, any };

// The first candidate leakbisect can make a cgroup in (v2: the memory controller enabled for its
// children, "+memory" written to cgroup.subtree_control when it is not), proven by making and
// removing one; or why there is none, naming each candidate and what failed.
Expected<CgroupSite> first_usable_site(const std::vector<CgroupSite>& candidates, FileSystemCheck check);

// This machine's site, found once (LEAKBISECT_CGROUP_ROOT names where the hierarchies are mounted,
// default /sys/fs/cgroup; a folder that holds none turns cgroups off).
const Expected<CgroupSite>& machine_cgroup_site();

// One probe's cgroup: made by create(), joined by the app's process before it execs (write "0" to
// procs_file()), emptied and removed by empty_and_remove().
struct ProbeCgroup {
    std::filesystem::path path;
    std::string procs_file; // path / "cgroup.procs", kept as a string for the child, which may not allocate
    CgroupVersion version = CgroupVersion::v1;
};

// Makes `site`/leakbisect-<tag>, recorded first in `record_file` (when not empty) as a line
// "cgroup TAG PATH" beside processes.txt's process lines.
Expected<ProbeCgroup> create_probe_cgroup(const CgroupSite& site, std::string_view tag,
                                          const std::filesystem::path& record_file);

// What emptying a cgroup did.
struct CgroupCleanup {
    std::vector<pid_t> killed; // processes that were still in it
    bool removed = false;      // the folder is gone
};

// Kills everything in the cgroup (v2's cgroup.kill where it exists, then SIGKILL to every pid in
// cgroup.procs until it is empty), then removes it. The caller reaps its own children.
CgroupCleanup empty_and_remove(const std::filesystem::path& cgroup);

// The cgroups `record_file` names whose leakbisect has ended (the owner tag's pid and start time),
// emptied and removed; every path is checked to be a leakbisect cgroup on a cgroup file system.
struct RecordedCgroups {
    std::vector<std::filesystem::path> removed;
    std::vector<pid_t> killed;
};
RecordedCgroups remove_recorded_cgroups(const std::filesystem::path& record_file);

// The guardian's sweep: every cgroup under this machine's candidate sites whose name starts with
// kCgroupPrefix + `tag_prefix`, emptied and removed.
void remove_cgroups_with_tag_prefix(std::string_view tag_prefix);

} // namespace leakbisect
