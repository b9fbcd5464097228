#include "leakbisect/app/cgroup.hpp"

#include "leakbisect/app/process_guard.hpp"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <linux/magic.h>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <thread>
#include <unistd.h>

namespace leakbisect {
namespace {

constexpr int kKillRounds = 200;
constexpr auto kKillRoundPause = std::chrono::milliseconds(10);
constexpr int kRemoveRounds = 100;
constexpr auto kRemoveRoundPause = std::chrono::milliseconds(20);
constexpr std::string_view kRecordMarker = "cgroup";

std::string read_file(const std::filesystem::path& file) {
    std::ifstream input(file, std::ios::binary);
    std::ostringstream content;
    content << input.rdbuf();
    return content.str();
}

// Writes `text` with one write(2), as cgroup files want; the error number, 0 on success.
int write_control(const std::filesystem::path& file, std::string_view text) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    const ssize_t written = ::write(fd, text.data(), text.size());
    const int error = written == static_cast<ssize_t>(text.size()) ? 0 : (written < 0 ? errno : EIO);
    ::close(fd);
    return error;
}

bool has_word(std::string_view text, std::string_view word) {
    std::istringstream words{std::string(text)};
    for (std::string item; words >> item;) {
        if (item == word) {
            return true;
        }
    }
    return false;
}

bool on_cgroup_file_system(const std::filesystem::path& folder) {
    struct statfs info {};
    if (::statfs(folder.c_str(), &info) != 0) {
        return false;
    }
    return info.f_type == CGROUP_SUPER_MAGIC || info.f_type == CGROUP2_SUPER_MAGIC;
}

// Our own cgroup in the v2 hierarchy ("0::/a/b") and in v1's memory one ("4:memory:/a/b"),
// relative; empty when /proc/self/cgroup does not say.
struct SelfCgroups {
    std::string unified;
    std::string memory;
};

SelfCgroups parse_self_cgroup(std::string_view text) {
    SelfCgroups self;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);) {
        const std::size_t first = line.find(':');
        const std::size_t second = first == std::string::npos ? first : line.find(':', first + 1);
        if (second == std::string::npos) {
            continue;
        }
        const std::string controllers = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        while (!path.empty() && path.front() == '/') {
            path.erase(0, 1);
        }
        if (line.substr(0, first) == "0" && controllers.empty()) {
            self.unified = path;
        }
        std::istringstream names(controllers);
        for (std::string name; std::getline(names, name, ',');) {
            if (name == "memory") {
                self.memory = path;
            }
        }
    }
    return self;
}

std::string_view memory_file(CgroupVersion version) {
    return version == CgroupVersion::v2 ? "memory.current" : "memory.usage_in_bytes";
}

// Why `site` cannot hold probe cgroups, or "" when it can (a test cgroup was made and removed).
std::string why_unusable(const CgroupSite& site, FileSystemCheck check) {
    std::error_code failure;
    if (!std::filesystem::is_directory(site.parent, failure)) {
        return "not a folder";
    }
    if (check == FileSystemCheck::cgroup_only && !on_cgroup_file_system(site.parent)) {
        return "not a cgroup file system";
    }
    if (site.version == CgroupVersion::v2 &&
        !has_word(read_file(site.parent / "cgroup.subtree_control"), "memory")) {
        if (const int error = write_control(site.parent / "cgroup.subtree_control", "+memory"); error != 0) {
            return fmt::format("cannot enable the memory controller for its children (writing +memory to "
                               "cgroup.subtree_control: {})",
                               std::strerror(error));
        }
    }
    const std::filesystem::path test = site.parent / fmt::format("{}check-{}", kCgroupPrefix, ::getpid());
    if (::mkdir(test.c_str(), 0755) != 0 && errno != EEXIST) {
        return fmt::format("cannot make a cgroup in it: {}", std::strerror(errno));
    }
    std::string why;
    if (check == FileSystemCheck::cgroup_only && !std::filesystem::exists(test / memory_file(site.version))) {
        why = fmt::format("a cgroup made in it has no {}: the memory controller is not enabled there",
                          memory_file(site.version));
    }
    if (check == FileSystemCheck::cgroup_only) {
        ::rmdir(test.c_str());
    } else {
        std::filesystem::remove_all(test, failure); // a scratch tree's folder may hold plain files
    }
    return why;
}

std::filesystem::path mount_root() {
    const char* root = std::getenv("LEAKBISECT_CGROUP_ROOT");
    return root != nullptr && *root != '\0' ? std::filesystem::path(root)
                                            : std::filesystem::path("/sys/fs/cgroup");
}

std::vector<pid_t> read_pids(const std::filesystem::path& procs) {
    std::vector<pid_t> pids;
    std::istringstream lines(read_file(procs));
    for (std::string line; std::getline(lines, line);) {
        pid_t pid = 0;
        if (std::from_chars(line.data(), line.data() + line.size(), pid).ec == std::errc{} && pid > 0) {
            pids.push_back(pid);
        }
    }
    return pids;
}

} // namespace

std::string describe(const CgroupSite& site) {
    return fmt::format("cgroup {} (memory controller) under {}",
                       site.version == CgroupVersion::v2 ? "v2" : "v1", site.parent.string());
}

std::vector<CgroupSite> memory_cgroup_candidates(const std::filesystem::path& mount_root,
                                                 std::string_view self_cgroup) {
    const SelfCgroups self = parse_self_cgroup(self_cgroup);
    std::vector<CgroupSite> candidates;
    const auto add = [&candidates](CgroupVersion version, const std::filesystem::path& parent) {
        const CgroupSite site{version, parent.lexically_normal()};
        for (const CgroupSite& known : candidates) {
            if (known == site) {
                return;
            }
        }
        candidates.push_back(site);
    };
    std::error_code failure;
    // A pure v2 machine mounts the hierarchy at the root; a hybrid one at unified/.
    for (const std::filesystem::path& root : {mount_root, mount_root / "unified"}) {
        if (!has_word(read_file(root / "cgroup.controllers"), "memory")) {
            continue;
        }
        if (!self.unified.empty()) {
            add(CgroupVersion::v2, root / self.unified);
        }
        add(CgroupVersion::v2, root);
    }
    const std::filesystem::path v1 = mount_root / "memory";
    if (std::filesystem::is_directory(v1, failure)) {
        if (!self.memory.empty()) {
            add(CgroupVersion::v1, v1 / self.memory);
        }
        add(CgroupVersion::v1, v1);
    }
    return candidates;
}

Expected<CgroupSite> first_usable_site(const std::vector<CgroupSite>& candidates, FileSystemCheck check) {
    if (candidates.empty()) {
        return make_error(ErrorKind::app_failed, "",
                          fmt::format("no memory cgroup hierarchy is mounted under {} (neither cgroup v2 "
                                      "with the memory controller nor cgroup v1's memory/)",
                                      mount_root().string()));
    }
    std::vector<std::string> reasons;
    for (const CgroupSite& site : candidates) {
        const std::string why = why_unusable(site, check);
        if (why.empty()) {
            return site;
        }
        reasons.push_back(fmt::format("{}: {}", describe(site), why));
    }
    return make_error(ErrorKind::app_failed, "",
                      fmt::format("no memory cgroup leakbisect may use: {}", fmt::join(reasons, "; ")));
}

const Expected<CgroupSite>& machine_cgroup_site() {
    static const Expected<CgroupSite> site = first_usable_site(
        memory_cgroup_candidates(mount_root(), read_file("/proc/self/cgroup")), FileSystemCheck::cgroup_only);
    return site;
}

Expected<ProbeCgroup> create_probe_cgroup(const CgroupSite& site, std::string_view tag,
                                          const std::filesystem::path& record_file) {
    ProbeCgroup cgroup;
    cgroup.version = site.version;
    cgroup.path = site.parent / fmt::format("{}{}", kCgroupPrefix, tag);
    cgroup.procs_file = (cgroup.path / "cgroup.procs").string();
    if (!record_file.empty()) {
        // First the record, then the folder: a kill in between leaves a record of nothing, never a
        // cgroup no record names.
        std::ofstream(record_file, std::ios::app)
            << kRecordMarker << ' ' << tag << ' ' << cgroup.path.string() << '\n';
    }
    if (::mkdir(cgroup.path.c_str(), 0755) != 0) {
        return make_error(
            ErrorKind::app_failed, "",
            fmt::format("cannot make the probe's cgroup {}: {}", cgroup.path.string(), std::strerror(errno)));
    }
    return cgroup;
}

CgroupCleanup empty_and_remove(const std::filesystem::path& cgroup) {
    CgroupCleanup cleanup;
    std::error_code failure;
    if (std::filesystem::exists(cgroup / "cgroup.kill", failure)) {
        write_control(cgroup / "cgroup.kill", "1");
    }
    std::set<pid_t> killed;
    for (int round = 0; round < kKillRounds; ++round) {
        const std::vector<pid_t> pids = read_pids(cgroup / "cgroup.procs");
        if (pids.empty()) {
            break;
        }
        for (const pid_t pid : pids) {
            if (::kill(pid, SIGKILL) == 0) {
                killed.insert(pid);
            }
        }
        std::this_thread::sleep_for(kKillRoundPause);
    }
    cleanup.killed.assign(killed.begin(), killed.end());
    // A killed process leaves the cgroup a moment after it dies: removal is retried (EBUSY).
    for (int round = 0; round < kRemoveRounds; ++round) {
        if (::rmdir(cgroup.c_str()) == 0 || errno == ENOENT) {
            cleanup.removed = true;
            break;
        }
        if (errno != EBUSY) {
            break;
        }
        std::this_thread::sleep_for(kRemoveRoundPause);
    }
    return cleanup;
}

RecordedCgroups remove_recorded_cgroups(const std::filesystem::path& record_file) {
    RecordedCgroups result;
    std::ifstream input(record_file);
    std::set<std::string> done;
    for (std::string line; std::getline(input, line);) {
        std::istringstream fields(line);
        std::string marker;
        std::string tag;
        if (!(fields >> marker >> tag) || marker != kRecordMarker) {
            continue; // a process line, or a line torn by a kill mid-write
        }
        std::string path;
        std::getline(fields >> std::ws, path);
        const std::filesystem::path cgroup(path);
        // Only a leakbisect cgroup of an ended leakbisect: a damaged record never empties another cgroup.
        if (path.empty() || !done.insert(path).second ||
            cgroup.filename() != fmt::format("{}{}", kCgroupPrefix, tag) || !owner_has_ended(tag) ||
            !std::filesystem::is_directory(cgroup) || !on_cgroup_file_system(cgroup)) {
            continue;
        }
        const CgroupCleanup cleanup = empty_and_remove(cgroup);
        result.killed.insert(result.killed.end(), cleanup.killed.begin(), cleanup.killed.end());
        if (cleanup.removed) {
            result.removed.push_back(cgroup);
        }
    }
    return result;
}

void remove_cgroups_with_tag_prefix(std::string_view tag_prefix) {
    const std::string wanted = fmt::format("{}{}", kCgroupPrefix, tag_prefix);
    for (const CgroupSite& site : memory_cgroup_candidates(mount_root(), read_file("/proc/self/cgroup"))) {
        std::error_code failure;
        if (!on_cgroup_file_system(site.parent)) {
            continue;
        }
        for (const auto& entry : std::filesystem::directory_iterator(site.parent, failure)) {
            if (entry.path().filename().string().starts_with(wanted) && entry.is_directory(failure)) {
                empty_and_remove(entry.path());
            }
        }
    }
}

} // namespace leakbisect
