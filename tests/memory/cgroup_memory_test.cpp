// The cgroup metric read from scratch folders laid out as cgroup v1 and v2 lay out their files, so
// it is tested on any machine; the real hierarchy is exercised by tests/app/cgroup_test.cpp and e2e.
#include "leakbisect/memory/cgroup_memory.hpp"
#include "leakbisect/memory/sampler.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace leakbisect;

namespace {

struct ScratchCgroup {
    ScratchCgroup() {
        std::string pattern = (std::filesystem::temp_directory_path() / "leakbisect-cgmem-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~ScratchCgroup() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
    std::filesystem::path path;
};

// Abridged from a real v1 memory.stat: the cgroup's own counters, then the hierarchy's "total_" ones.
constexpr const char* kV1Stat = "cache 20480000\nrss 52428800\ninactive_file 1000\nactive_file 4096\n"
                                "total_cache 20480000\ntotal_rss 52428800\ntotal_inactive_file 16384000\n"
                                "total_active_file 4096000\n";
// Abridged from a real v2 memory.stat.
constexpr const char* kV2Stat = "anon 52428800\nfile 20480000\nkernel_stack 16384\nactive_anon 0\n"
                                "inactive_anon 52428800\nactive_file 4096000\ninactive_file 16384000\n";

} // namespace

TEST_CASE("a memory.stat value is found by its whole key") {
    CHECK(memory_stat_value(kV1Stat, "total_inactive_file") == 16384000);
    CHECK(memory_stat_value(kV1Stat, "inactive_file") == 1000); // not total_inactive_file's line
    CHECK(memory_stat_value(kV2Stat, "inactive_file") == 16384000);
    CHECK(memory_stat_value(kV2Stat, "anon") == 52428800);
    CHECK_FALSE(memory_stat_value(kV2Stat, "total_inactive_file").has_value());
    CHECK_FALSE(memory_stat_value("inactive_file lots\n", "inactive_file").has_value());
    CHECK_FALSE(memory_stat_value("", "anon").has_value());
}

TEST_CASE("a v1 cgroup's memory is usage_in_bytes less total_inactive_file") {
    const ScratchCgroup cgroup;
    cgroup.write("memory.usage_in_bytes", "73728000\n");
    cgroup.write("memory.stat", kV1Stat);
    cgroup.write("cgroup.procs", "812\n813\n9001\n");
    CHECK(cgroup_memory(cgroup.path) == 73728000 - 16384000);
    CHECK(cgroup_process_count(cgroup.path) == 3);
}

TEST_CASE("a v2 cgroup's memory is memory.current less inactive_file") {
    const ScratchCgroup cgroup;
    cgroup.write("memory.current", "73728000\n");
    cgroup.write("memory.stat", kV2Stat);
    cgroup.write("cgroup.procs", "");
    CHECK(cgroup_memory(cgroup.path) == 73728000 - 16384000);
    CHECK(cgroup_process_count(cgroup.path) == 0);
}

TEST_CASE("a cgroup's memory is never below 0 and unreadable files give nothing") {
    const ScratchCgroup cgroup;
    SECTION("more inactive cache than usage (the counters are read at different moments)") {
        cgroup.write("memory.current", "1000\n");
        cgroup.write("memory.stat", "inactive_file 4096\n");
        CHECK(cgroup_memory(cgroup.path) == 0);
    }
    SECTION("no memory.stat") {
        cgroup.write("memory.current", "1000\n");
        CHECK_FALSE(cgroup_memory(cgroup.path).has_value());
    }
    SECTION("no usage file at all") {
        cgroup.write("memory.stat", kV2Stat);
        CHECK_FALSE(cgroup_memory(cgroup.path).has_value());
    }
    SECTION("a usage that is no number") {
        cgroup.write("memory.usage_in_bytes", "max\n");
        cgroup.write("memory.stat", kV1Stat);
        CHECK_FALSE(cgroup_memory(cgroup.path).has_value());
    }
    SECTION("a v1 stat without total_inactive_file") {
        cgroup.write("memory.usage_in_bytes", "1000\n");
        cgroup.write("memory.stat", kV2Stat);
        CHECK_FALSE(cgroup_memory(cgroup.path).has_value());
    }
}

TEST_CASE("the sampler with the cgroup metric reads the cgroup while its root process lives") {
    const ScratchCgroup cgroup;
    cgroup.write("memory.current", "5000000\n");
    cgroup.write("memory.stat", "inactive_file 1000000\n");
    cgroup.write("cgroup.procs", "1\n2\n");
    // The root process is this test (alive); the cgroup's numbers are the scratch folder's.
    const auto memory =
        MemorySampler(::getpid(), MemoryScope::tree, MemoryMetric::cgroup, cgroup.path).sample();
    REQUIRE(memory.has_value());
    CHECK(memory->bytes == 4000000);
    CHECK(memory->processes == 2);
    // A root that has gone: nothing, as with every metric.
    CHECK_FALSE(MemorySampler(999999999, MemoryScope::tree, MemoryMetric::cgroup, cgroup.path).sample());
}
