// End-to-end: a secret passed in app.command's arguments never reaches the journal, the reports
// or the terminal, even when the app fails and its command line is quoted in the failure.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace e2e;

namespace {

std::string contents_of(const std::filesystem::path& file) {
    std::ifstream input(file, std::ios::binary);
    std::ostringstream text;
    text << input.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("argv values that look secret are masked in the journal, the reports and the output") {
    const Scratch scratch;
    const auto recipe = scratch.dir / "recipe.toml";
    std::ofstream(recipe) << R"([app]
command = ["sh", "-c", "exit 3", "sh", "--password=hunter2", "--api-key", "k-9f8e7d", "postgres://shop:pgsecret@127.0.0.1/shop"]
ready = { tcp = true, timeout = "2s" }
[load]
requests = 1000
warmup = 100
[[load.request]]
path = "/"
[[chunk]]
name = "a"
[search]
retries = 0
)";
    const auto runs = scratch.dir / "runs";
    const Result result =
        run_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "out.txt");
    INFO(result.output);
    REQUIRE(result.exit_code == 3);
    REQUIRE_THAT(result.output, Catch::Contains("--password=***") && Catch::Contains("shop:***@"));
    std::string written = result.output;
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(only_run_folder(runs))) {
        if (entry.is_regular_file() && entry.path().filename() != "recipe.toml") {
            written += contents_of(entry.path());
            ++files;
        }
    }
    REQUIRE(files >= 3); // the journal and the reports at least
    REQUIRE_THAT(contents_of(only_run_folder(runs) / "journal.jsonl"), Catch::Contains("--password=***"));
    for (const char* secret : {"hunter2", "k-9f8e7d", "pgsecret"}) {
        REQUIRE_THAT(written, !Catch::Contains(secret));
    }
}
