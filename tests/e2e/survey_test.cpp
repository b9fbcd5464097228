// End-to-end: `leakbisect survey` runs each page of the load alone on the shop and ranks the
// leaking order pages above the health check, which runs no chunk.
#include "e2e_support.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/journal/journal.hpp"

#include <catch2/catch.hpp>

using namespace e2e;

TEST_CASE("survey ranks the pages by growth per request and exits 10 when one leaks") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.requests = 2000;
    shop.extra = "\n[[load.request]]\npath = \"/up\"\n";
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const Result result = run_leakbisect(
        {"survey", recipe.string(), "--out", (scratch.dir / "runs").string()}, scratch.dir / "out.txt");
    INFO(result.output);
    REQUIRE(result.exit_code == 10);
    const auto ranking = result.output.substr(result.output.find("pages by growth per request:"));
    REQUIRE(ranking.find("GET /up") > ranking.find("GET /orders/42"));
    REQUIRE(ranking.find("GET /up") > ranking.find("GET /orders/7"));
    REQUIRE_THAT(ranking, Catch::Contains("GET /up") && Catch::Contains("PLATEAU"));
    // Each page's probe is journaled with its page.
    const auto journal = leakbisect::read_journal(only_run_folder(scratch.dir / "runs") / "journal.jsonl");
    REQUIRE(journal.has_value());
    REQUIRE(journal->size() == 3);
    REQUIRE(journal->back().page == "GET /up");
    REQUIRE(journal->back().role == leakbisect::RecordRole::survey);
    // The ranking is left in the run folder as reports, leaking pages first.
    const auto folder = only_run_folder(scratch.dir / "runs");
    for (const char* file : {"report.md", "report.json", "report.html"}) {
        REQUIRE(std::filesystem::exists(folder / file));
    }
    const auto markdown = leakbisect::read_text_file(folder / "report.md", leakbisect::ErrorKind::io);
    REQUIRE(markdown.has_value());
    REQUIRE_THAT(*markdown, Catch::Contains("**Leak, fastest first: GET /orders/"));
    REQUIRE(markdown->find("`GET /up` | PLATEAU") > markdown->find("`GET /orders/42` | LEAK"));
    const auto html = leakbisect::read_text_file(folder / "report.html", leakbisect::ErrorKind::io);
    REQUIRE(html.has_value());
    REQUIRE_THAT(*html, Catch::Contains("<svg"));
    // `report` re-renders the same ranking from the journal.
    std::filesystem::remove(folder / "report.md");
    const Result again = run_leakbisect({"report", folder.string()}, scratch.dir / "report.txt");
    INFO(again.output);
    REQUIRE(again.exit_code == 10);
    const auto rerendered = leakbisect::read_text_file(folder / "report.md", leakbisect::ErrorKind::io);
    REQUIRE(rerendered.has_value());
    REQUIRE(*rerendered == *markdown);
}
