// End-to-end: the CLI's manners on the real binary. A bare call prints the commands and exits 2,
// a mistyped command is answered with the nearest one, and each --help shows an example and only
// the exit codes that command can return.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;

TEST_CASE("a bare leakbisect prints the commands, one line each, and exits 2") {
    const Scratch scratch;
    const Result result = run_leakbisect({}, scratch.dir / "out.txt");
    INFO(result.output);
    REQUIRE(result.exit_code == 2);
    REQUIRE_THAT(result.output, Catch::Contains("usage: leakbisect COMMAND"));
    for (const char* command : {"run", "resume", "check", "measure", "survey", "analyze", "report", "init"}) {
        REQUIRE_THAT(result.output, Catch::Contains(std::string("\n  ") + command + " "));
    }
}

TEST_CASE("a mistyped command gets the nearest command as a suggestion and exit 2") {
    const Scratch scratch;
    const Result typo = run_leakbisect({"rnu", "recipe.toml"}, scratch.dir / "out.txt");
    INFO(typo.output);
    REQUIRE(typo.exit_code == 2);
    REQUIRE_THAT(typo.output,
                 Catch::Contains("'rnu' is not a command") && Catch::Contains("did you mean 'run'?"));

    const Result unrelated = run_leakbisect({"xyzzy"}, scratch.dir / "out.txt");
    INFO(unrelated.output);
    REQUIRE(unrelated.exit_code == 2);
    REQUIRE_THAT(unrelated.output, Catch::Contains("'xyzzy' is not a command") && Catch::Contains("analyze"));
}

TEST_CASE("analyze --help has an example and lists only analyze's exit codes") {
    const Scratch scratch;
    const Result result = run_leakbisect({"analyze", "--help"}, scratch.dir / "out.txt");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    REQUIRE_THAT(result.output, Catch::Contains("Example:") && Catch::Contains("leakbisect analyze "));
    for (const char* code : {"\n  0 ", "\n  10 ", "\n  12 ", "\n  2 "}) {
        REQUIRE_THAT(result.output, Catch::Contains(code));
    }
    for (const char* code : {"\n  11 ", "\n  3 ", "\n  130 "}) {
        REQUIRE_THAT(result.output, !Catch::Contains(code));
    }
}

TEST_CASE("init --help has an example and lists only init's exit codes") {
    const Scratch scratch;
    const Result result = run_leakbisect({"init", "--help"}, scratch.dir / "out.txt");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    REQUIRE_THAT(result.output, Catch::Contains("Example:") && Catch::Contains("leakbisect init"));
    for (const char* code : {"\n  0 ", "\n  1 ", "\n  2 "}) {
        REQUIRE_THAT(result.output, Catch::Contains(code));
    }
    for (const char* code : {"\n  10 ", "\n  3 ", "\n  130 "}) {
        REQUIRE_THAT(result.output, !Catch::Contains(code));
    }
}

TEST_CASE("leakbisect -V prints the version like --version") {
    const Scratch scratch;
    const Result short_flag = run_leakbisect({"-V"}, scratch.dir / "out.txt");
    const Result long_flag = run_leakbisect({"--version"}, scratch.dir / "out.txt");
    REQUIRE(short_flag.exit_code == 0);
    REQUIRE_THAT(short_flag.output, Catch::StartsWith("leakbisect "));
    REQUIRE(short_flag.output == long_flag.output);
}
