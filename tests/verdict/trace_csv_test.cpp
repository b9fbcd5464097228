#include "leakbisect/verdict/trace.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

TEST_CASE("a trace written as CSV reads back the same") {
    const Trace trace{{0.0, 0, 1000, 1}, {0.5, 10, 2000, 2}, {1.25, 20, 1500, 2}};
    const auto parsed = parse_trace_csv(trace_to_csv(trace), "memory.csv");
    REQUIRE(parsed.has_value());
    REQUIRE(parsed->size() == 3);
    REQUIRE(parsed->at(2).seconds == Approx(1.25));
    REQUIRE(parsed->at(2).requests == 20);
    REQUIRE(parsed->at(2).bytes == 1500);
    REQUIRE(parsed->at(1).processes == 2);
}

TEST_CASE("a trace without a header and with three columns is read") {
    const auto parsed = parse_trace_csv("0,0,100\n1,5,200\n", "t.csv");
    REQUIRE(parsed.has_value());
    REQUIRE(parsed->size() == 2);
}

TEST_CASE("bad trace input gets an error naming the file and line") {
    SECTION("an empty file") {
        const auto parsed = parse_trace_csv("", "empty.csv");
        REQUIRE_FALSE(parsed.has_value());
        REQUIRE_THAT(to_string(parsed.error()),
                     Catch::Contains("empty.csv") && Catch::Contains("no samples"));
    }
    SECTION("a non-numeric field") {
        const auto parsed = parse_trace_csv("seconds,requests,bytes\n0,0,100\n1,x,200\n", "t.csv");
        REQUIRE_FALSE(parsed.has_value());
        REQUIRE_THAT(to_string(parsed.error()), Catch::StartsWith("t.csv:3:"));
    }
    SECTION("time going backwards") {
        const auto parsed = parse_trace_csv("0,0,100\n2,5,200\n1,6,200\n", "t.csv");
        REQUIRE_FALSE(parsed.has_value());
        REQUIRE_THAT(to_string(parsed.error()), Catch::Contains("t.csv:3") && Catch::Contains("backwards"));
    }
    SECTION("requests going backwards") {
        const auto parsed = parse_trace_csv("0,10,100\n1,5,200\n", "t.csv");
        REQUIRE_FALSE(parsed.has_value());
        REQUIRE_THAT(to_string(parsed.error()), Catch::Contains("t.csv:2"));
    }
}

// Found by fuzz/fuzz_trace_csv: each of these converted a double out of its integer's range
// (undefined behaviour, reported by UBSan) instead of being read or refused.
TEST_CASE("numbers past what a trace can hold are refused or ignored, never overflowed") {
    SECTION("a process count of 10^11 in the fourth column is not a count") {
        const auto parsed = parse_trace_csv(
            "seconds,requests,bytes\n0.5,100,1048576\n1.0,200,1050000\n1.5,300,200,105001060000\n", "t.csv");
        REQUIRE(parsed.has_value());
        REQUIRE(parsed->back().processes == 0);
    }
    SECTION("requests and bytes beyond any machine") {
        for (const char* line : {"1,1e300,5\n", "1,5,1e300\n", "1,5,-1e300\n", "1,1e19,5\n"}) {
            const auto parsed = parse_trace_csv(line, "t.csv");
            REQUIRE_FALSE(parsed.has_value());
            REQUIRE_THAT(to_string(parsed.error()),
                         Catch::StartsWith("t.csv:1: ") && Catch::Contains("not a memory trace"));
        }
    }
}
