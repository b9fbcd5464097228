// The traces recorded from examples/shop (bench/verdict/record_shop_traces.sh), judged as a probe
// of recipes/shop.toml would judge them: right verdicts, within the request budgets.
#include "leakbisect/verdict/sequential.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace leakbisect;

namespace {

const std::filesystem::path kTraces =
    std::filesystem::path(LEAKBISECT_SOURCE_DIR) / "tests/verdict/data/shop";

ReplayResult judge_file(const std::string& name) {
    const auto trace = read_trace_csv(kTraces / name);
    REQUIRE(trace.has_value());
    VerdictOptions options;
    options.warmup = 500;
    return replay_looks(*trace, options, {3000, 500, 24000});
}

} // namespace

TEST_CASE("the shop without its leak is a plateau within 20,000 requests") {
    const std::string name = GENERATE(as<std::string>{}, "plateau-1.csv", "plateau-2.csv", "plateau-3.csv",
                                      "plateau-4.csv", "plateau-5.csv");
    const ReplayResult result = judge_file(name);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::plateau);
    REQUIRE(result.requests <= 20000);
}

TEST_CASE("the shop leaking 1 KiB per request is a leak within 5,000 judged requests") {
    const std::string name =
        GENERATE(as<std::string>{}, "leak1024-1.csv", "leak1024-2.csv", "leak1024-3.csv");
    const ReplayResult result = judge_file(name);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.requests - 500 <= 5000);
    REQUIRE(result.judgement.rate_low <= 1.5 * 1024);
}

TEST_CASE("the shop leaking 256 B or 4 KiB per request is a leak") {
    const std::string name = GENERATE(as<std::string>{}, "leak256-1.csv", "leak256-2.csv", "leak256-3.csv",
                                      "leak4096-1.csv", "leak4096-2.csv", "leak4096-3.csv");
    const ReplayResult result = judge_file(name);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::leak);
}

TEST_CASE("a leak judged against the shop's own plateau as reference is still a leak") {
    const auto reference = read_trace_csv(kTraces / "plateau-1.csv");
    const auto trace = read_trace_csv(kTraces / "leak1024-1.csv");
    REQUIRE((reference && trace));
    VerdictOptions options;
    options.warmup = 500;
    const ReplayResult result = replay_looks(*trace, options, {3000, 500, 24000}, &*reference);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.judgement.against_reference);
}
