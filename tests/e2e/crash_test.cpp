// End-to-end: a chunk whose enabling makes the shop crash does not end the night. The search finds
// it, leaves it off, and localizes the leak among the other chunks (issue 10).
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;

TEST_CASE("a chunk that crashes the shop under load is left off and the leak is still found") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "render_page";                                       // the 7th chunk leaks
    shop.env = R"(, SHOP_CRASH_CHUNK = "totals", SHOP_CRASH_AT = "load")"; // the 5th crashes
    const RunFinding finding = run_shop(shop, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 10);
    REQUIRE(finding.kind == "localized");
    REQUIRE(finding.culprit == "render_page");
    REQUIRE(finding.probes_by_role.count("crash") == 1);
    const auto report = read_report(finding.run_folder);
    const auto& left_off = report.at("finding").at("left_off").as_array();
    REQUIRE(left_off.size() == 1);
    REQUIRE(left_off[0].at("chunk").as_string() == "totals");
    REQUIRE(std::string(left_off[0].at("failure").as_string()).find("signal 6") != std::string::npos);
    REQUIRE_THAT(finding.output, Catch::Contains("'render_page' is enabled") &&
                                     Catch::Contains("'totals' was left off") &&
                                     Catch::Contains("crashing under load"));
    REQUIRE_THAT(std::string(left_off[0].at("failure").as_string()),
                 Catch::Contains("app.log ends: shop: crashing"));
    WARN("crash case: " << finding.probes << " probes, " << finding.wall_seconds << " s of probes");
}

TEST_CASE("a chunk that crashes the shop at boot is left off, and an identical boot failure is not retried "
          "blindly") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "render_page";
    shop.env = R"(, SHOP_CRASH_CHUNK = "totals", SHOP_CRASH_AT = "boot")";
    const RunFinding finding = run_shop(shop, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 10);
    REQUIRE(finding.culprit == "render_page");
    const auto report = read_report(finding.run_folder);
    REQUIRE(report.at("finding").at("left_off").as_array().at(0).at("chunk").as_string() == "totals");
    for (const auto& probe : report.at("probes").as_array()) {
        if (probe.at("verdict").as_string() == "SKIPPED") {
            // The second boot failed exactly as the first: no third attempt (search.retries = 2).
            REQUIRE(probe.at("attempts").to_number<int>() == 2);
        }
    }
    // The app's own last words are on the terminal.
    REQUIRE_THAT(finding.output,
                 Catch::Contains("app.log ends with:") &&
                     Catch::Contains("| shop: crashing at boot: SHOP_CRASH_CHUNK=totals is on") &&
                     Catch::Contains("not retried: it failed exactly as the attempt before it did"));
}
