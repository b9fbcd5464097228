// End-to-end: `leakbisect analyze` on recorded traces (the shop's, and a probe's own memory.csv
// written by `leakbisect measure`) prints the same verdict a probe gives, as text or JSON, and
// refuses bad input with exit 2 and a message that says what is wrong.
#include "e2e_support.hpp"

#include "leakbisect/journal/journal.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

using namespace e2e;

namespace {

const std::filesystem::path kTraces =
    std::filesystem::path(LEAKBISECT_SOURCE_DIR) / "tests/verdict/data/shop";

Result analyze(const Scratch& scratch, std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), "analyze");
    return run_leakbisect(arguments, scratch.dir / "out.txt");
}

std::filesystem::path write_file(const Scratch& scratch, const std::string& name, const std::string& text) {
    const std::filesystem::path file = scratch.dir / name;
    std::ofstream(file) << text;
    return file;
}

} // namespace

TEST_CASE("analyze calls a recorded leak a leak and a recorded plateau a plateau, with the exit codes") {
    const Scratch scratch;
    const Result leak = analyze(scratch, {(kTraces / "leak1024-1.csv").string(), "--warmup", "500"});
    INFO(leak.output);
    REQUIRE(leak.exit_code == 10);
    REQUIRE_THAT(leak.output, Catch::Contains("LEAK") && Catch::Contains("KiB/request"));

    const Result plateau = analyze(scratch, {(kTraces / "plateau-2.csv").string(), "--warmup", "500"});
    INFO(plateau.output);
    REQUIRE(plateau.exit_code == 0);
    REQUIRE_THAT(plateau.output, Catch::Contains("PLATEAU"));
}

TEST_CASE("analyze --json prints the verdict, the rate with its interval, and how far it judged") {
    const Scratch scratch;
    const Result result = analyze(scratch, {(kTraces / "leak4096-1.csv").string(), "--warmup", "500",
                                            "--json", "--reference", (kTraces / "plateau-1.csv").string()});
    INFO(result.output);
    REQUIRE(result.exit_code == 10);
    const auto object = boost::json::parse(result.output).as_object();
    REQUIRE(object.at("verdict").as_string() == "LEAK");
    // Plain decimals, as in report.json: "4213.5" or "100", never "4.2135E3".
    REQUIRE_FALSE(std::regex_search(result.output, std::regex("[0-9][eE][-+]?[0-9]")));
    const double rate = object.at("bytes_per_request").to_number<double>();
    const auto& interval = object.at("interval").as_array();
    REQUIRE(interval.at(0).to_number<double>() <= rate);
    REQUIRE(rate <= interval.at(1).to_number<double>());
    REQUIRE(rate > 4096);
    REQUIRE(object.at("against_reference").as_bool());
    REQUIRE(object.at("requests_judged_to").as_int64() == 3000);
}

TEST_CASE("analyze knobs change the verdict: a huge min_leak makes a leak a plateau") {
    const Scratch scratch;
    const Result result =
        analyze(scratch, {(kTraces / "leak256-1.csv").string(), "--warmup", "500", "--min-leak", "64KiB"});
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    REQUIRE_THAT(result.output, Catch::Contains("PLATEAU"));
}

TEST_CASE("analyze refuses bad trace files with exit 2 and a clear error") {
    const Scratch scratch;
    SECTION("an empty file") {
        const Result result = analyze(scratch, {write_file(scratch, "empty.csv", "").string()});
        REQUIRE(result.exit_code == 2);
        REQUIRE_THAT(result.output, Catch::Contains("empty.csv") && Catch::Contains("no samples"));
    }
    SECTION("a non-numeric field") {
        const auto file = write_file(scratch, "words.csv", "seconds,requests,bytes\n0,0,100\n0.1,ten,200\n");
        const Result result = analyze(scratch, {file.string()});
        REQUIRE(result.exit_code == 2);
        REQUIRE_THAT(result.output, Catch::Contains("words.csv:3") && Catch::Contains("three numbers"));
    }
    SECTION("time going backwards") {
        const auto file = write_file(scratch, "time.csv", "0,0,100\n2,10,100\n1,20,100\n");
        const Result result = analyze(scratch, {file.string()});
        REQUIRE(result.exit_code == 2);
        REQUIRE_THAT(result.output, Catch::Contains("time.csv:3") && Catch::Contains("time goes backwards"));
    }
    SECTION("too few samples") {
        std::string text = "seconds,requests,bytes\n";
        for (int i = 0; i < 6; ++i) { // 5 samples past the 300-request warm-up; 8 are needed
            text += std::to_string(i) + "," + std::to_string(400 * i) + ",1000\n";
        }
        const Result result = analyze(scratch, {write_file(scratch, "few.csv", text).string()});
        REQUIRE(result.exit_code == 2);
        REQUIRE_THAT(result.output, Catch::Contains("few.csv") && Catch::Contains("too few samples"));
    }
    SECTION("a file that does not exist") {
        const Result result = analyze(scratch, {(scratch.dir / "missing.csv").string()});
        REQUIRE(result.exit_code == 2);
    }
}

TEST_CASE("analyze on a probe's own memory.csv gives the probe's verdict") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.leak_bytes = GENERATE(0, 4096);
    shop.leak_chunk = shop.leak_bytes == 0 ? "none" : "warnings_panel";
    shop.requests = 3000;
    shop.extra = "\n[verdict]\nmax_requests = 12000\n";
    INFO("leak " << shop.leak_bytes);
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const auto runs = scratch.dir / "runs";
    const Result measured =
        run_leakbisect({"measure", recipe.string(), "--out", runs.string()}, scratch.dir / "measure.txt");
    INFO(measured.output);
    REQUIRE((measured.exit_code == 0 || measured.exit_code == 10));

    const auto run_folder = only_run_folder(runs);
    const auto records = leakbisect::read_journal(run_folder / "journal.jsonl");
    REQUIRE(records.has_value());
    REQUIRE(records->size() == 1);
    const leakbisect::ProbeRecord& probe = records->front();
    REQUIRE(probe.requests <= 12000);
    if (shop.leak_bytes > 0) {
        REQUIRE(probe.judgement.verdict == leakbisect::Verdict::leak);
        REQUIRE(probe.requests == 3000); // a clear leak stops at the fixed load
    }

    const Result replayed =
        analyze(scratch, {(run_folder / probe.directory / "memory.csv").string(), "--warmup", "500",
                          "--requests", "3000", "--max-requests", "12000", "--json"});
    INFO(replayed.output);
    const auto object = boost::json::parse(replayed.output).as_object();
    REQUIRE(object.at("verdict").as_string() == leakbisect::to_string(probe.judgement.verdict));
    REQUIRE(replayed.exit_code == measured.exit_code);
}

TEST_CASE("analyze refuses counts past a billion requests instead of looping forever") {
    const Scratch scratch;
    for (const std::string option : {"--max-requests", "--requests"}) {
        const Result result =
            analyze(scratch, {(kTraces / "plateau-2.csv").string(), option, "18446744073709551615"});
        INFO(result.output);
        REQUIRE(result.exit_code == 2);
        REQUIRE_THAT(result.output,
                     Catch::Contains(option) && Catch::Contains("not in range 1 to 1000000000"));
    }
}
