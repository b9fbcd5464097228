// End-to-end: with warnings_panel's sub-chunks in the recipe, `leakbisect run` on the shop narrows
// from the page to the one leaking call, and names both chunks of a pair that only leak together.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;

TEST_CASE("run narrows inside the guilty chunk down to the leaking call") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "warnings_panel.has_warnings";
    shop.sub_chunks = true;
    RunFinding run = run_shop(shop, scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 10);
    REQUIRE(run.kind == "localized");
    REQUIRE(run.culprit == "warnings_panel.has_warnings");
    REQUIRE(run.path == std::vector<std::string>{"warnings_panel", "warnings_panel.has_warnings"});
    REQUIRE(run.culprits == std::vector<std::string>{"warnings_panel.has_warnings"});
    const std::size_t search = run.probes_by_role["baseline"] + run.probes_by_role["all-on"] +
                               run.probes_by_role["bisect"] + run.probes_by_role["narrow"];
    // The top level as before, then the panel's own code and its 4 sub-chunks.
    REQUIRE(search <= ceil_log2(shop_chunks().size()) + 2 + ceil_log2(shop_sub_chunks().size() + 1));
    REQUIRE(run.probes_by_role["confirm"] == 1);
    REQUIRE(run.probes_by_role["recheck"] == 2);
    REQUIRE_THAT(run.output, Catch::Contains("memory stops plateauing when 'warnings_panel.has_warnings' is "
                                             "enabled (path: warnings_panel > warnings_panel.has_warnings)"));
    WARN(run.probes << " probes, " << run.wall_seconds << " s of probes");
}

TEST_CASE("run names both chunks of a pair that only leaks together") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "pair"; // warnings_panel.live_updates registers a listener that audit_log fires
    shop.sub_chunks = true;
    RunFinding run = run_shop(shop, scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 10);
    REQUIRE(run.kind == "localized");
    REQUIRE(run.culprit == "warnings_panel.live_updates");
    REQUIRE(run.culprits == std::vector<std::string>{"warnings_panel.live_updates", "audit_log"});
    REQUIRE_THAT(run.output, Catch::Contains("does not leak alone") &&
                                 Catch::Contains("'warnings_panel.live_updates' + 'audit_log'"));
    const std::size_t without_rechecks = run.probes - run.probes_by_role["recheck"];
    // The search and the narrowing, then: alone, a search among the 10 other units, the pair.
    REQUIRE(without_rechecks <= ceil_log2(9) + 2 + ceil_log2(5) + 1 + ceil_log2(10) + 1);
    WARN(run.probes << " probes, " << run.wall_seconds << " s of probes");
}
