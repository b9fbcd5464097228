// Cgroups per probe: which hierarchy is picked (scratch trees laid out as v2, hybrid and v1
// machines lay them out, so this runs anywhere), and, where this machine lets leakbisect make
// cgroups, that an app's escaped daemon dies with its cgroup and that a killed leakbisect's cgroup
// is removed later. Those skip, saying why, on a machine without a usable memory cgroup.
#include "leakbisect/app/app_process.hpp"
#include "leakbisect/app/cgroup.hpp"
#include "leakbisect/app/process_guard.hpp"
#include "leakbisect/core/files.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace leakbisect;
using namespace std::chrono_literals;

namespace {

struct ScratchTree {
    ScratchTree() {
        std::string pattern = (std::filesystem::temp_directory_path() / "leakbisect-cgtree-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        root = pattern;
    }
    ~ScratchTree() {
        std::error_code ignored;
        std::filesystem::remove_all(root, ignored);
    }
    void write(const std::filesystem::path& file, const std::string& text) const {
        std::filesystem::create_directories((root / file).parent_path());
        std::ofstream(root / file) << text;
    }
    std::filesystem::path root;
};

constexpr const char* kHybridSelf = "4:memory:/process_api/abc\n1:cpu:/\n0::/\n";

std::string read_whole(const std::filesystem::path& file) {
    const auto text = read_text_file(file, ErrorKind::io);
    return text ? *text : std::string();
}

bool alive(pid_t pid) {
    return live_start_time(pid).has_value();
}

// The machine's site, or a message saying why the test is skipped.
const CgroupSite* machine_site_or_skip() {
    const Expected<CgroupSite>& site = machine_cgroup_site();
    if (!site) {
        WARN("skipped: this machine has no memory cgroup leakbisect may make: " << site.error().message);
        return nullptr;
    }
    return &*site;
}

} // namespace

TEST_CASE("a pure v2 machine offers our own cgroup first, then the hierarchy's root") {
    const ScratchTree tree;
    tree.write("cgroup.controllers", "cpuset cpu io memory pids\n");
    const auto candidates = memory_cgroup_candidates(tree.root, "0::/user.slice/session-2.scope\n");
    REQUIRE(candidates == std::vector<CgroupSite>{
                              {CgroupVersion::v2, tree.root / "user.slice/session-2.scope"},
                              {CgroupVersion::v2, tree.root},
                          });
}

TEST_CASE("a v2 hierarchy without the memory controller is passed over for v1's memory") {
    const ScratchTree tree;
    tree.write("unified/cgroup.controllers", "\n"); // a hybrid machine: memory is bound to v1
    tree.write("memory/process_api/abc/memory.usage_in_bytes", "0\n");
    const auto candidates = memory_cgroup_candidates(tree.root, kHybridSelf);
    REQUIRE(candidates == std::vector<CgroupSite>{
                              {CgroupVersion::v1, tree.root / "memory/process_api/abc"},
                              {CgroupVersion::v1, tree.root / "memory"},
                          });
}

TEST_CASE("a hybrid machine's unified hierarchy is used when it holds the memory controller") {
    const ScratchTree tree;
    tree.write("unified/cgroup.controllers", "memory pids\n");
    const auto candidates = memory_cgroup_candidates(tree.root, "0::/\n");
    REQUIRE(candidates == std::vector<CgroupSite>{{CgroupVersion::v2, tree.root / "unified"}});
}

TEST_CASE("no hierarchy at all: no candidate, and the reason names where it looked") {
    const ScratchTree tree;
    REQUIRE(memory_cgroup_candidates(tree.root, kHybridSelf).empty());
    const auto site = first_usable_site({}, FileSystemCheck::any);
    REQUIRE_FALSE(site.has_value());
    CHECK_THAT(site.error().message, Catch::Contains("no memory cgroup hierarchy is mounted under"));
}

TEST_CASE("the first usable candidate is picked, each failure is named") {
    const ScratchTree tree;
    tree.write("v2/cgroup.subtree_control", "cpu\n");
    tree.write("not-a-folder", "");
    SECTION("v2: the memory controller is enabled for the children when it is not") {
        const auto site = first_usable_site(
            {{CgroupVersion::v2, tree.root / "missing"}, {CgroupVersion::v2, tree.root / "v2"}},
            FileSystemCheck::any);
        REQUIRE(site.has_value());
        CHECK(site->parent == tree.root / "v2");
        CHECK(read_whole(tree.root / "v2/cgroup.subtree_control") == "+memory");
        // The test cgroup it made is gone again.
        CHECK(std::distance(std::filesystem::directory_iterator(tree.root / "v2"),
                            std::filesystem::directory_iterator()) == 1);
    }
    SECTION("none usable: every candidate and its reason") {
        const auto site = first_usable_site(
            {{CgroupVersion::v1, tree.root / "not-a-folder"}, {CgroupVersion::v1, tree.root / "v2"}},
            FileSystemCheck::cgroup_only);
        REQUIRE_FALSE(site.has_value());
        CHECK_THAT(site.error().message,
                   Catch::Contains(fmt::format("cgroup v1 (memory controller) under {}: not a folder",
                                               (tree.root / "not-a-folder").string())));
        CHECK_THAT(site.error().message, Catch::Contains(fmt::format("under {}: not a cgroup file system",
                                                                     (tree.root / "v2").string())));
    }
}

TEST_CASE("a record line of a cgroup that is no leakbisect cgroup of an ended run is left alone") {
    const ScratchTree tree;
    std::filesystem::create_directories(tree.root / "leakbisect-999999.1.1");
    std::filesystem::create_directories(tree.root / "precious");
    const auto record = tree.root / kProcessRecordName;
    std::ofstream(record) << fmt::format("cgroup 999999.1.1 {}\ncgroup 999999.1.2 {}\ncgroup {}.{}.1 {}\n",
                                         (tree.root / "leakbisect-999999.1.1").string(),
                                         (tree.root / "precious").string(), ::getpid(),
                                         *live_start_time(::getpid()), (tree.root / "precious").string());
    // Not on a cgroup file system; named otherwise than its tag; our own, which still runs.
    const RecordedCgroups removed = remove_recorded_cgroups(record);
    CHECK(removed.removed.empty());
    CHECK(removed.killed.empty());
    CHECK(std::filesystem::exists(tree.root / "leakbisect-999999.1.1"));
    CHECK(std::filesystem::exists(tree.root / "precious"));
}

TEST_CASE("a daemon that drops its environment and leaves the group still dies with the app's cgroup") {
    const CgroupSite* site = machine_site_or_skip();
    if (site == nullptr) {
        return;
    }
    become_subreaper();
    const ScratchTree dir;
    // `env -i` drops LEAKBISECT_OWNER and setsid leaves the process group: only the cgroup still holds it.
    LaunchSpec spec{
        {"sh", "-c", "( env -i setsid sh -c 'echo $$ > daemon.pid; exec sleep 300' & ); exec sleep 300"},
        dir.root,
        build_environment(true, {}, {}),
        dir.root / "app.log"};
    spec.process_record = dir.root / kProcessRecordName;
    spec.cgroup = CgroupUse::required;
    auto app = AppProcess::start(spec);
    REQUIRE(app.has_value());
    const ProbeCgroup* cgroup = (*app)->cgroup();
    REQUIRE(cgroup != nullptr);
    CHECK(cgroup->path.parent_path() == site->parent);
    const std::filesystem::path path = cgroup->path;
    pid_t daemon = 0;
    for (int i = 0; i < 500 && daemon == 0; ++i) {
        const std::string text = read_whole(dir.root / "daemon.pid");
        daemon = text.find('\n') != std::string::npos ? std::stoi(text) : 0;
        std::this_thread::sleep_for(10ms);
    }
    REQUIRE(daemon > 0);
    CHECK_THAT(read_whole(path / "cgroup.procs"), Catch::Contains(fmt::format("{}\n", daemon)));
    CHECK_THAT(read_whole(dir.root / kProcessRecordName), Catch::Contains("cgroup "));

    (*app)->stop(SIGTERM, Milliseconds{500});
    for (int i = 0; i < 100 && alive(daemon); ++i) {
        std::this_thread::sleep_for(10ms); // the kill is sent; the reaper may need a moment
    }
    CHECK_FALSE(alive(daemon));
    CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("the cgroup a killed leakbisect left is emptied and removed from its record") {
    const CgroupSite* site = machine_site_or_skip();
    if (site == nullptr) {
        return;
    }
    const ScratchTree dir;
    const std::string tag = "999999.1.7"; // no live leakbisect has this pid
    const auto record = dir.root / kProcessRecordName;
    const auto cgroup = create_probe_cgroup(*site, tag, record);
    REQUIRE(cgroup.has_value());
    const pid_t orphan = ::fork();
    REQUIRE(orphan >= 0);
    if (orphan == 0) {
        std::ofstream(cgroup->procs_file) << "0";
        ::execl("/bin/sleep", "sleep", "300", nullptr);
        ::_exit(127);
    }
    for (int i = 0; i < 200 && read_whole(cgroup->path / "cgroup.procs").empty(); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    const RecordedCgroups removed = remove_recorded_cgroups(record);
    CHECK(removed.removed == std::vector<std::filesystem::path>{cgroup->path});
    CHECK(removed.killed == std::vector<pid_t>{orphan});
    int status = 0;
    REQUIRE(::waitpid(orphan, &status, 0) == orphan);
    CHECK(WIFSIGNALED(status));
    CHECK_FALSE(std::filesystem::exists(cgroup->path));
}
