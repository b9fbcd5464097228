// The CLI's manners without the binary: a command's help footer.
#include "usage.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

TEST_CASE("a help footer has the example and only the exit codes it is given") {
    const std::string footer =
        help_footer({"leakbisect check shop.toml"}, {{kExitNoLeak, "valid"}, {kExitBadUsage, "bad recipe"}});
    REQUIRE(footer ==
            "Example:\n  leakbisect check shop.toml\n\nExit codes:\n  0    valid\n  2    bad recipe");
}
