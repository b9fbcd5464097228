// End-to-end: memory.metric = "cgroup" with the real leakbisect and the real shop. Where this
// machine lets leakbisect make memory cgroups, a run whose app starts a setsid daemon every probe
// finds the planted leak, journals each probe's cgroup, and leaves no process and no cgroup behind;
// elsewhere that case is skipped, saying why. A machine without cgroups (pointed at an empty folder
// with LEAKBISECT_CGROUP_ROOT) refuses the metric up front with exit 2, everywhere.
#include "e2e_support.hpp"

#include "leakbisect/journal/journal.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>

using namespace e2e;

namespace {

constexpr const char* kCgroupMetric = "\n[memory]\nmetric = \"cgroup\"\n";

// Sets an environment variable for the leakbisect this test starts, and unsets it at the end.
struct ScopedVariable {
    ScopedVariable(const char* name, const std::string& value) : name_(name) {
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedVariable() { ::unsetenv(name_); }
    ScopedVariable(const ScopedVariable&) = delete;
    ScopedVariable& operator=(const ScopedVariable&) = delete;

  private:
    const char* name_;
};

} // namespace

TEST_CASE("a cgroup-metric run finds the planted leak and leaves no process and no cgroup behind") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_bytes = 4096;
    shop.extra = kCgroupMetric;
    // Every probe's app starts a 64 MiB setsid daemon: in the cgroup, so measured and killed with it.
    shop.env =
        fmt::format(R"(, SHOP_FAULT = "setsid-daemon", SHOP_FAULT_AFTER = "100", CGROUP_E2E_RUN = "{}")",
                    scratch.dir.string());
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const Result checked = run_leakbisect({"check", recipe.string()}, scratch.dir / "check.txt");
    if (checked.exit_code == 2 && checked.output.find("has none leakbisect may make") != std::string::npos) {
        WARN("skipped: " << checked.output);
        return;
    }
    INFO(checked.output);
    REQUIRE(checked.exit_code == 0);
    REQUIRE_THAT(checked.output, Catch::Contains("memory: cgroup: the app's own cgroup"));
    REQUIRE_THAT(checked.output, Catch::Contains("processes: each probe's app in a cgroup of its own"));

    const RunFinding finding = run_recipe(recipe, scratch);
    INFO(finding.output);
    CHECK(finding.exit_code == 10);
    CHECK(finding.culprit == "warnings_panel");
    CHECK_THAT(finding.output, Catch::Contains("processes: each probe's app in a cgroup of its own"));

    const auto journal = leakbisect::read_journal(finding.run_folder / "journal.jsonl");
    REQUIRE(journal.has_value());
    REQUIRE_FALSE(journal->empty());
    for (const leakbisect::ProbeRecord& probe : *journal) {
        CHECK(probe.cgroup.find("/leakbisect-") != std::string::npos);
        CHECK((probe.cgroup_version == 1 || probe.cgroup_version == 2));
        CHECK(probe.processes >= 2); // the shop and its daemon, both in the cgroup
        CHECK_FALSE(std::filesystem::exists(probe.cgroup));
    }
    const auto report = read_report(finding.run_folder);
    CHECK(report.at("metric").as_string() == "cgroup");
    CHECK(report.at("probes").as_array().front().as_object().contains("cgroup"));

    const std::vector<std::filesystem::path> cgroups = recorded_cgroups(finding.run_folder);
    CHECK(cgroups.size() == journal->size());
    for (const std::filesystem::path& cgroup : cgroups) {
        CHECK_FALSE(std::filesystem::exists(cgroup));
    }
    CHECK(survivors("CGROUP_E2E_RUN=" + scratch.dir.string(), std::chrono::milliseconds(0)).empty());
}

TEST_CASE("without a memory cgroup, check and run refuse metric = cgroup up front with exit 2") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.extra = kCgroupMetric;
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const ScopedVariable no_cgroups("LEAKBISECT_CGROUP_ROOT", scratch.dir.string());

    const Result checked = run_leakbisect({"check", recipe.string()}, scratch.dir / "check.txt");
    CHECK(checked.exit_code == 2);
    CHECK_THAT(checked.output, Catch::Contains(recipe.string() + " [memory] metric: metric = \"cgroup\""));
    CHECK_THAT(checked.output,
               Catch::Contains("no memory cgroup hierarchy is mounted under " + scratch.dir.string()));
    CHECK_THAT(checked.output, Catch::Contains("use metric = \"pss\""));

    const RunFinding finding = run_recipe(recipe, scratch);
    CHECK(finding.exit_code == 2);
    CHECK_THAT(finding.output, Catch::Contains("has none leakbisect may make"));
    CHECK_FALSE(std::filesystem::exists(scratch.dir / "runs")); // nothing ran, no run folder

    // Other metrics run as before, tracked by tag alone, and say so.
    shop.extra.clear();
    write_shop_recipe(scratch.dir, shop);
    const Result plain = run_leakbisect({"check", recipe.string()}, scratch.dir / "plain.txt");
    CHECK(plain.exit_code == 0);
    CHECK_THAT(plain.output,
               Catch::Contains("processes: tracked by owner tag, pid and start time (no cgroup:"));
}
