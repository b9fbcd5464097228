#include "leakbisect/core/text.hpp"
#include "leakbisect/core/units.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace leakbisect;

TEST_CASE("sizes are read in binary and decimal units") {
    REQUIRE(parse_bytes("512B").bytes == Bytes{512});
    REQUIRE(parse_bytes("64KiB").bytes == Bytes{64 * 1024});
    REQUIRE(parse_bytes("10MiB").bytes == Bytes{10 * 1024 * 1024});
    REQUIRE(parse_bytes("1GiB").bytes == Bytes{1024LL * 1024 * 1024});
    REQUIRE(parse_bytes("5KB").bytes == Bytes{5000});
    REQUIRE(parse_bytes("100").bytes == Bytes{100});
    REQUIRE(parse_bytes("1.5KiB").bytes == Bytes{1536});
    REQUIRE_FALSE(parse_bytes("12 parsecs").bytes.has_value());
    REQUIRE_THAT(parse_bytes("12XB").problem, Catch::Contains("unknown size unit"));
    REQUIRE_FALSE(parse_bytes("lots").bytes.has_value());
}

TEST_CASE("durations are read in ms, s, m and h") {
    REQUIRE(parse_duration("250ms").duration == Milliseconds{250});
    REQUIRE(parse_duration("10s").duration == Milliseconds{10'000});
    REQUIRE(parse_duration("5m").duration == Milliseconds{300'000});
    REQUIRE(parse_duration("1h").duration == Milliseconds{3'600'000});
    REQUIRE_FALSE(parse_duration("10").duration.has_value());
    REQUIRE_THAT(parse_duration("3 days").problem, Catch::Contains("unknown time unit"));
}

TEST_CASE("sizes and durations print for people") {
    REQUIRE(format_bytes(300) == "300 B");
    REQUIRE(format_bytes(2048) == "2.0 KiB");
    REQUIRE(format_bytes(-3.5 * 1024 * 1024) == "-3.5 MiB");
    REQUIRE(format_bytes(-INFINITY) == "-∞");
    REQUIRE(format_duration(Milliseconds{250}) == "250ms");
    REQUIRE(format_duration(Milliseconds{90'000}) == "1m30s");
}

TEST_CASE("the closest known word is suggested for a typo") {
    const std::vector<std::string> keys{"requests", "concurrency", "warmup", "timeout"};
    REQUIRE(closest_match("concurency", keys) == "concurrency");
    REQUIRE(closest_match("warmpu", keys) == "warmup");
    REQUIRE(closest_match("zzzzzzzzzzzzzzzz", keys).empty());
}

TEST_CASE("chunk names become upper snake case variables") {
    REQUIRE(upper_snake_case("warnings_panel.has_warnings") == "WARNINGS_PANEL_HAS_WARNINGS");
    REQUIRE(upper_snake_case("load-order") == "LOAD_ORDER");
}
