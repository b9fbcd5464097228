// End-to-end: `leakbisect run` on the example shop app finds the leaking chunk wherever the
// app puts it, in both strategies, and ends with the spec's exit codes.
#include "e2e_support.hpp"

#include "leakbisect/journal/journal.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace e2e;

namespace {

std::size_t ceil_log2(std::size_t n) {
    return static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(n))));
}

struct Finding {
    int exit_code = -1;
    std::string kind;
    std::string culprit;
    std::size_t probes = 0;
    std::filesystem::path run_folder;
    std::string output;
};

Finding run_shop(const ShopRecipe& shop, const Scratch& scratch) {
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const auto runs = scratch.dir / "runs";
    const Result result =
        run_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "out.txt");
    INFO(result.output);
    Finding finding;
    finding.exit_code = result.exit_code;
    finding.output = result.output;
    finding.run_folder = only_run_folder(runs);
    const auto report = read_report(finding.run_folder);
    const auto& found = report.at("finding").as_object();
    finding.kind = std::string(found.at("kind").as_string());
    if (found.at("culprit").is_string()) {
        finding.culprit = std::string(found.at("culprit").as_string());
    }
    finding.probes = report.at("probes").as_array().size();
    return finding;
}

} // namespace

TEST_CASE("run names the leaking chunk wherever it is, in both strategies") {
    const auto& chunks = shop_chunks();
    const std::string strategy = GENERATE(as<std::string>{}, "bisect", "linear");
    const std::size_t position = GENERATE(std::size_t{0}, std::size_t{4}, std::size_t{8});
    const std::string culprit = chunks[position];
    INFO(strategy << " strategy, culprit " << culprit);

    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = culprit;
    shop.strategy = strategy;
    const Finding finding = run_shop(shop, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 10);
    REQUIRE(finding.kind == "localized");
    REQUIRE(finding.culprit == culprit);
    if (strategy == "bisect") {
        REQUIRE(finding.probes <= ceil_log2(chunks.size()) + 2);
    } else {
        // baseline, all-on, then prefixes 1 .. position+1, of which the last may be all-on itself
        REQUIRE(finding.probes == std::min(position + 3, chunks.size() + 1));
    }
    for (const char* file : {"recipe.toml", "journal.jsonl", "run.json", "report.json", "report.md",
                             "report.html", "junit.xml"}) {
        REQUIRE(std::filesystem::exists(finding.run_folder / file));
    }
    const auto journal = leakbisect::read_journal(finding.run_folder / "journal.jsonl");
    REQUIRE(journal.has_value());
    REQUIRE(journal->size() == finding.probes);
    for (const auto& probe : *journal) {
        REQUIRE(std::filesystem::exists(finding.run_folder / probe.directory / "app.log"));
        REQUIRE(std::filesystem::exists(finding.run_folder / probe.directory / "memory.csv"));
        REQUIRE(std::filesystem::exists(finding.run_folder / probe.directory / "load.json"));
        REQUIRE(probe.failed_requests == 0);
    }
}

TEST_CASE("a leak with every chunk off ends the run with exit 11") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "outside";
    const Finding finding = run_shop(shop, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 11);
    REQUIRE(finding.kind == "leak-outside-chunks");
    REQUIRE(finding.probes == 1);
}

TEST_CASE("no leak at all ends the run with exit 0 after two probes") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "none";
    const Finding finding = run_shop(shop, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 0);
    REQUIRE(finding.kind == "no-leak");
    REQUIRE(finding.probes == 2);
}

TEST_CASE("a broken recipe exits 2 naming the file and line, and runs nothing") {
    const Scratch scratch;
    const auto recipe = write_shop_recipe(scratch.dir, ShopRecipe{});
    std::stringstream text;
    text << std::ifstream(recipe).rdbuf();
    std::string broken = text.str();
    broken.replace(broken.find("concurrency"), std::string("concurrency").size(), "concurency");
    std::ofstream(recipe) << broken;
    const auto runs = scratch.dir / "runs";
    const Result result =
        run_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "out.txt");
    INFO(result.output);
    REQUIRE(result.exit_code == 2);
    REQUIRE_THAT(result.output, Catch::Contains("recipe.toml:"));
    REQUIRE_FALSE(std::filesystem::exists(runs));
}

TEST_CASE("an app that cannot start exits 3 after its retries") {
    const Scratch scratch;
    const auto recipe = scratch.dir / "recipe.toml";
    std::ofstream(recipe) << R"(
[app]
command = ["./no-such-app", "{port}"]
[[load.request]]
path = "/"
[[chunk]]
name = "only"
[search]
retries = 1
)";
    const Result result = run_leakbisect({"run", recipe.string(), "--out", (scratch.dir / "runs").string()},
                                         scratch.dir / "out.txt");
    INFO(result.output);
    REQUIRE(result.exit_code == 3);
    REQUIRE_THAT(result.output, Catch::Contains("no-such-app"));
}
