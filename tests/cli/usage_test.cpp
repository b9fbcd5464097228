// The CLI's manners without the binary: the suggestion for a mistyped command and the help footer.
#include "usage.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

namespace {

const std::vector<std::string> kCommands = {"run",    "resume",  "check", "measure",
                                            "survey", "analyze", "report"};

} // namespace

TEST_CASE("edit distance counts inserts, deletes, substitutions and swapped neighbours") {
    REQUIRE(edit_distance("run", "run") == 0);
    REQUIRE(edit_distance("rnu", "run") == 1);
    REQUIRE(edit_distance("rn", "run") == 1);
    REQUIRE(edit_distance("chekc", "check") == 1);
    REQUIRE(edit_distance("", "run") == 3);
    REQUIRE(edit_distance("mesure", "measure") == 1);
}

TEST_CASE("a mistyped command is matched to the nearest command, or to none when it is another word") {
    REQUIRE(closest_command("rnu", kCommands) == "run");
    REQUIRE(closest_command("reume", kCommands) == "resume");
    REQUIRE(closest_command("anal", kCommands) == "analyze");
    REQUIRE(closest_command("surevy", kCommands) == "survey");
    REQUIRE(closest_command("reprot", kCommands) == "report");
    REQUIRE_FALSE(closest_command("xyzzy", kCommands).has_value());
}

TEST_CASE("a help footer has the example and only the exit codes it is given") {
    const std::string footer =
        help_footer({"leakbisect check shop.toml"}, {{kExitNoLeak, "valid"}, {kExitBadUsage, "bad recipe"}});
    REQUIRE(footer ==
            "Example:\n  leakbisect check shop.toml\n\nExit codes:\n  0    valid\n  2    bad recipe");
}
