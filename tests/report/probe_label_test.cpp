// Probes named by what differs from the baseline, in the fewest words.
#include "leakbisect/report/probe_label.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

namespace {

const std::vector<std::string> kChunks = {"a", "b", "c", "d", "e", "panel", "panel.x", "panel.y", "panel.z"};

} // namespace

TEST_CASE("a probe is named by what differs from the baseline in the fewest words") {
    CHECK(describe_enabled({}, kChunks) == "none");
    CHECK(describe_enabled(kChunks, kChunks) == "all 6"); // sub-chunks that follow their parent go unsaid
    CHECK(describe_enabled({"a", "b", "c", "d"}, kChunks) == "first 4 of 6");
    CHECK(describe_enabled({"d", "e", "panel", "panel.x", "panel.y", "panel.z"}, kChunks) == "last 3 of 6");
    CHECK(describe_enabled({"c"}, kChunks) == "+c");
    CHECK(describe_enabled({"a", "c"}, kChunks) == "+a +c");
    CHECK(describe_enabled({"a", "b", "d", "e", "panel", "panel.x", "panel.y", "panel.z"}, kChunks) ==
          "all but -c");
    CHECK(describe_enabled({"a", "c", "e"}, kChunks) == "+a +c +e");
}

TEST_CASE("sub-chunks that do not follow their parent are named after it") {
    CHECK(describe_enabled({"a", "b", "c", "d", "e", "panel"}, kChunks) == "all 6 (panel.*: none)");
    CHECK(describe_enabled({"a", "b", "c", "d", "e", "panel", "panel.y"}, kChunks) == "all 6 (panel.*: +y)");
    CHECK(describe_enabled({"panel", "panel.x", "panel.y"}, kChunks) == "+panel (panel.*: +x +y)");
    CHECK(describe_enabled({"panel", "panel.x", "panel.y", "panel.z"}, kChunks) == "+panel");
}
