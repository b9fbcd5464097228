// The traces recorded from examples/shop and examples/node-catalog (bench/verdict/record_*.sh),
// judged as a probe of their recipes would judge them: right verdicts, within the budgets.
#include "leakbisect/verdict/sequential.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

using namespace leakbisect;

namespace {

const std::filesystem::path kTraces = std::filesystem::path(LEAKBISECT_SOURCE_DIR) / "tests/verdict/data";
constexpr LoadBudget kShop{3000, 500, 24000};   // recipes/shop.toml, 24,000 requests recorded
constexpr LoadBudget kNode{12000, 2000, 50000}; // recipes/node-catalog.toml at the default max

ReplayResult judge_file(const std::string& name, const LoadBudget& budget = kShop) {
    const auto trace = read_trace_csv(kTraces / name);
    REQUIRE(trace.has_value());
    VerdictOptions options;
    options.warmup = static_cast<double>(budget.warmup);
    return replay_looks(*trace, options, budget);
}

} // namespace

TEST_CASE("the shop without its leak is a plateau within 20,000 requests") {
    const std::string name = GENERATE(as<std::string>{}, "plateau-1.csv", "plateau-2.csv", "plateau-3.csv",
                                      "plateau-4.csv", "plateau-5.csv");
    const ReplayResult result = judge_file("shop/" + name);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::plateau);
    REQUIRE(result.requests <= 20000);
    // Its RSS grows a page at a time, far below min_leak: a clear case, decided before the fixed load.
    REQUIRE(result.requests < kShop.requests);
}

TEST_CASE("the shop leaking 1 KiB per request is a leak within 5,000 judged requests") {
    const std::string name =
        GENERATE(as<std::string>{}, "leak1024-1.csv", "leak1024-2.csv", "leak1024-3.csv");
    const ReplayResult result = judge_file("shop/" + name);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.requests - 500 <= 5000);
    REQUIRE(result.judgement.rate_low <= 1.5 * 1024);
}

TEST_CASE("the shop leaking 256 B or 4 KiB per request is a leak") {
    const std::string name = GENERATE(as<std::string>{}, "leak256-1.csv", "leak256-2.csv", "leak256-3.csv",
                                      "leak4096-1.csv", "leak4096-2.csv", "leak4096-3.csv");
    const ReplayResult result = judge_file("shop/" + name);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::leak);
}

TEST_CASE("a leak judged against the shop's own plateau as reference is still a leak") {
    const auto reference = read_trace_csv(kTraces / "shop/plateau-1.csv");
    const auto trace = read_trace_csv(kTraces / "shop/leak1024-1.csv");
    REQUIRE((reference && trace));
    VerdictOptions options;
    options.warmup = 500;
    const ReplayResult result = replay_looks(*trace, options, kShop, &*reference);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.judgement.against_reference);
}

TEST_CASE("the Node catalog without its leak is a plateau at min_leak 100 B") {
    const std::string name = GENERATE(as<std::string>{}, "plateau-1.csv", "plateau-2.csv", "plateau-3.csv");
    const ReplayResult result = judge_file("node/" + name, kNode);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::plateau);
    REQUIRE(result.requests <= 24000);
}

// V8 grows its old space in steps of 4-18 MiB, so neighbouring floors move together. With the
// fixed load's 32 blocks these probes ended INCONCLUSIVE at 50,000 requests with an unbounded
// interval; extending must add evidence.
TEST_CASE("the Node listener leak alone, under V8's stepwise heap growth, is a leak before max_requests") {
    const std::string name = GENERATE(as<std::string>{}, "leak890-1.csv", "leak890-2.csv", "leak890-3.csv");
    const ReplayResult result = judge_file("node/" + name, kNode);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.requests < kNode.max_requests);
    REQUIRE(std::isfinite(result.judgement.rate_low));
    REQUIRE(result.judgement.rate_low > 100);
}

TEST_CASE("the Node catalog with every chunk on is a leak of about 2.7 KiB per request") {
    // ~2.8 KiB/request over the whole recording, V8's early heap sizing included; the rate is
    // that of the steady part after the warm-up found in the floor.
    const std::string name = GENERATE(as<std::string>{}, "leak2800-1.csv", "leak2800-2.csv");
    const ReplayResult result = judge_file("node/" + name, kNode);
    INFO(name << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.judgement.rate_low > 2400);
    REQUIRE(result.judgement.rate_high < 3000);
}
