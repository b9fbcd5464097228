// End-to-end: `leakbisect run` on the example shop app finds the leaking chunk wherever the
// app puts it, in both strategies, and ends with the spec's exit codes.
#include "e2e_support.hpp"

#include "leakbisect/journal/journal.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace e2e;

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
    RunFinding finding = run_shop(shop, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 10);
    REQUIRE(finding.kind == "localized");
    REQUIRE(finding.culprit == culprit);
    REQUIRE(finding.culprits == std::vector<std::string>{culprit});
    const std::size_t search_probes = finding.probes_by_role["baseline"] + finding.probes_by_role["all-on"] +
                                      finding.probes_by_role[strategy];
    if (strategy == "bisect") {
        REQUIRE(search_probes <= ceil_log2(chunks.size()) + 2);
    } else {
        // baseline, all-on, then prefixes 1 .. position+1, of which the last may be all-on itself
        REQUIRE(search_probes == std::min(position + 3, chunks.size() + 1));
    }
    // Confirmation: the culprit alone (no probe for the first chunk: alone is the first prefix),
    // then the last plateau and the first leak once more.
    REQUIRE(finding.probes_by_role["confirm"] == (position == 0 ? 0U : 1U));
    REQUIRE(finding.probes_by_role["recheck"] == 2);
    REQUIRE(finding.probes == search_probes + finding.probes_by_role["confirm"] + 2);
    REQUIRE_THAT(finding.output,
                 Catch::Contains("it leaks alone") && Catch::Contains("both boundary verdicts held"));
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
        REQUIRE(probe.looks >= 1); // judged on the live app at least once
        if (probe.role == leakbisect::RecordRole::all_on) {
            REQUIRE(probe.enabled == shop_chunks()); // in recipe order, as the action runs them
        }
    }
}

TEST_CASE("a leak with every chunk off that the chunks do not add to ends the run with exit 11") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "outside";
    const RunFinding finding = run_shop(shop, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 11);
    REQUIRE(finding.kind == "leak-outside-chunks");
    REQUIRE(finding.probes == 2); // the baseline, and every chunk on judged against it
}

TEST_CASE("no leak at all ends the run with exit 0 after two probes") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_chunk = "none";
    const RunFinding finding = run_shop(shop, scratch);
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
