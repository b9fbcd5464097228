// End-to-end: a probe's progress on the real binary. Under a pseudo-terminal (util-linux's
// `script`) one line is rewritten in place with the phase, the requests and the memory; into a
// pipe or a file nothing is rewritten, so a log holds no carriage returns.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

using namespace e2e;

namespace {

std::string slurp(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A leaking probe: judged only once the whole fixed load has run, so its length is known. 15,000
// requests (about 3 s on the shop) give the progress line several ticks of the load.
std::filesystem::path leaking_probe_recipe(const Scratch& scratch, int requests) {
    ShopRecipe shop;
    shop.requests = requests;
    return write_shop_recipe(scratch.dir, shop);
}

} // namespace

TEST_CASE("on a terminal the probe's progress is one line rewritten in place") {
    if (!command_succeeds("script --version")) {
        WARN("skipped: util-linux's `script` (package bsdutils) is not installed, so no pseudo-terminal");
        return;
    }
    const Scratch scratch;
    const auto recipe = leaking_probe_recipe(scratch, 15000);
    const auto output = scratch.dir / "terminal.txt";
    // script -e returns the command's exit code; -f flushes; the transcript file is not needed.
    const std::string command =
        fmt::format("script -qefc \"'{}' measure '{}' --all --out '{}'\" /dev/null > '{}' 2>&1 < /dev/null",
                    LEAKBISECT_BINARY, recipe.string(), (scratch.dir / "runs").string(), output.string());
    const int status = std::system(command.c_str());
    const std::string text = slurp(output);
    INFO(text);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 10); // LEAK
    REQUIRE_THAT(text, Catch::Contains("\r\033[K  booting"));
    REQUIRE_THAT(text, Catch::Contains("/15000 requests, ") && Catch::Contains(", memory "));
    REQUIRE_THAT(text,
                 Catch::Contains("\r\033[K  -> ") && Catch::Contains("LEAK")); // coloured unless NO_COLOR
    // The verdict's line replaced the progress line: nothing rewritten is left after it.
    const std::string last_line = text.substr(text.rfind("  -> "));
    REQUIRE(last_line.find("\r\033[K  ") == std::string::npos);
}

TEST_CASE("into a pipe or a file the progress rewrites nothing") {
    const Scratch scratch;
    const auto recipe = leaking_probe_recipe(scratch, 3000); // long enough for a tick: the first is at boot
    SECTION("a pipe") {
        const auto output = scratch.dir / "pipe.txt";
        const std::string command =
            fmt::format("'{}' measure '{}' --all --out '{}' 2>&1 < /dev/null | cat > '{}'", LEAKBISECT_BINARY,
                        recipe.string(), (scratch.dir / "runs").string(), output.string());
        const int status = std::system(command.c_str());
        REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0)); // the pipeline's status is cat's
        const std::string text = slurp(output);
        INFO(text);
        REQUIRE_THAT(text, Catch::Contains("-> LEAK"));
        REQUIRE(text.find('\r') == std::string::npos);
        REQUIRE(text.find('\033') == std::string::npos);
    }
    SECTION("--progress live rewrites the line even into a file") {
        const Result result = run_leakbisect({"measure", recipe.string(), "--all", "--out",
                                              (scratch.dir / "runs").string(), "--progress", "live"},
                                             scratch.dir / "live.txt");
        INFO(result.output);
        REQUIRE(result.exit_code == 10);
        REQUIRE_THAT(result.output, Catch::Contains("\r\033[K  booting"));
    }
    SECTION("--quiet wins over --progress: no progress at all") {
        const Result result = run_leakbisect({"measure", recipe.string(), "--all", "--out",
                                              (scratch.dir / "runs").string(), "-q", "--progress", "live"},
                                             scratch.dir / "quiet.txt");
        INFO(result.output);
        REQUIRE(result.exit_code == 10);
        REQUIRE(result.output.find('\r') == std::string::npos);
    }
}
