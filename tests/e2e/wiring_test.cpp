// End-to-end: the wiring check and `check --boot` against the shop (issue 10). A recipe whose chunk
// variables never reach the app is said so, never answered with a bare "the leak is outside the
// chunks"; `check --boot` rehearses the load and fails on a route that 404s.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;

TEST_CASE(
    "chunk variables that do not reach the app give wiring no-effect and a warning, not a bare exit 11") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "totals";
    // The shop reads CHUNK_<NAME>; this pattern sets variables it never reads, so every chunk stays on.
    shop.extra = "\n[chunks]\nenv = \"FEATURE_{NAME}\"\n";
    const auto recipe = write_shop_recipe(scratch.dir, shop);

    const Result checked = run_leakbisect({"check", recipe.string()}, scratch.dir / "check.txt");
    INFO(checked.output);
    REQUIRE(checked.exit_code == 0);
    REQUIRE_THAT(checked.output, Catch::Contains("warning: [chunks] env = \"FEATURE_{NAME}\""));

    const RunFinding finding = run_recipe(recipe, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 12);
    REQUIRE(finding.kind == "inconclusive");
    REQUIRE(read_report(finding.run_folder).at("wiring").as_string() == "no-effect");
    REQUIRE_THAT(finding.output,
                 Catch::Contains("warning: the chunk variables do not seem to reach the app") &&
                     Catch::Contains("changed neither its responses nor its memory"));
}

TEST_CASE("a run whose chunk variables reach the app reports wiring ok") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "none";
    const RunFinding finding = run_shop(shop, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 0);
    REQUIRE(finding.kind == "no-leak");
    REQUIRE(read_report(finding.run_folder).at("wiring").as_string() == "ok");
}

TEST_CASE(
    "check --boot rehearses the night: both configurations, every request, the wiring and an estimate") {
    const Scratch scratch;
    const auto recipe = write_shop_recipe(scratch.dir, ShopRecipe{});
    const Result checked = run_leakbisect({"check", recipe.string(), "--boot"}, scratch.dir / "check.txt");
    INFO(checked.output);
    REQUIRE(checked.exit_code == 0);
    REQUIRE_THAT(checked.output, Catch::Contains("boot: baseline ready") &&
                                     Catch::Contains("boot: all-on ready") &&
                                     Catch::Contains("GET /orders/42") && Catch::Contains("wiring: ok") &&
                                     Catch::Contains("estimate: a probe takes about"));
}

TEST_CASE("check --boot fails on a load request whose route answers 404") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.extra = "\n[[load.request]]\npath = \"/order/42\"\n"; // a typo: the route is /orders/42
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const Result checked = run_leakbisect({"check", recipe.string(), "--boot"}, scratch.dir / "check.txt");
    INFO(checked.output);
    REQUIRE(checked.exit_code == 3);
    REQUIRE_THAT(checked.output, Catch::Contains("GET /order/42 answered 404, which it does not expect"));
}

TEST_CASE("check warns about a chunk name the README's helpers would read under another variable") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.extra = "\n[[chunk]]\nname = \"gift-wrap\"\n";
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const Result checked = run_leakbisect({"check", recipe.string()}, scratch.dir / "check.txt");
    INFO(checked.output);
    REQUIRE_THAT(checked.output,
                 Catch::Contains("chunk 'gift-wrap' is switched by CHUNK_GIFT_WRAP, but the README's chunk "
                                 "helpers would read CHUNK_GIFT-WRAP"));
}
