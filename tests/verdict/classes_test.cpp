// The benchmark's synthetic classes, pinned with fixed seeds at every noise level: what each
// class must never be called, replayed through the looks a probe makes.
#include "../../bench/verdict/synthetic_traces.hpp"

#include "leakbisect/verdict/sequential.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace leakbisect;
using namespace leakbisect::synthetic;

namespace {

constexpr LoadBudget kBudget{3000, 300, 50000};

VerdictOptions options() {
    VerdictOptions options;
    options.warmup = 300;
    return options;
}

ReplayResult replay(const Shape& shape, double noise_sd, std::uint64_t seed) {
    const Trace trace = sample_trace(shape.curve, noise_sd, 50000, seed);
    if (shape.reference) {
        const Trace reference =
            sample_trace(shape.reference, noise_sd, shape.reference_requests, seed + 7777);
        return replay_looks(trace, options(), kBudget, &reference);
    }
    return replay_looks(trace, options(), kBudget);
}

} // namespace

TEST_CASE("every synthetic class gets its right verdict, or at worst INCONCLUSIVE, at fixed seeds") {
    const std::uint64_t seed = GENERATE(1, 2, 4);
    for (const NoiseLevel& noise : noise_levels()) {
        for (const Shape& shape : shapes(seed)) {
            INFO(shape.name << ", seed " << seed << ", noise " << noise.name);
            const ReplayResult result = replay(shape, noise.sd_bytes, seed * 100);
            INFO(to_string(result.judgement.verdict)
                 << " at " << result.requests << ": " << result.judgement.reason);
            if (shape.truth == Truth::plateau) {
                REQUIRE(result.judgement.verdict != Verdict::leak);
            } else if (shape.truth == Truth::leak) {
                REQUIRE(result.judgement.verdict == Verdict::leak);
            }
        }
    }
}

TEST_CASE("a clear plateau stops before the fixed load and a clear leak right at it") {
    const Shape flat{"flat", Truth::plateau, [](double) { return 0.0; }, {}};
    const ReplayResult plateau = replay(flat, 4096, 1);
    REQUIRE(plateau.judgement.verdict == Verdict::plateau);
    REQUIRE(plateau.requests < kBudget.requests);

    const Shape leak{"leak", Truth::leak, [](double r) { return 16384 * r; }, {}};
    const ReplayResult leaking = replay(leak, 4096, 1);
    REQUIRE(leaking.judgement.verdict == Verdict::leak);
    REQUIRE(leaking.requests == kBudget.requests);
}

TEST_CASE("a hard case runs past the fixed load") {
    const Shape small_leak{"leak", Truth::leak, [](double r) { return 250 * r; }, {}};
    const ReplayResult result = replay(small_leak, 512 * 1024, 3);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.requests > kBudget.requests);
}

// Traces the benchmark once called LEAK (bench/verdict, tuning seeds): a step at 2 MiB noise judged
// over 138 narrow blocks, whose lower envelope drifted upward, and a cache filling over the whole
// fixed-load window at 2 MiB noise, which hid its deceleration.
TEST_CASE("the benchmark's former false LEAKs are not LEAK") {
    const auto [name, seed] =
        GENERATE(table<std::string, std::uint64_t>({{"step up", 7},
                                                    {"step up", 27},
                                                    {"slowly saturating cache", 3},
                                                    {"slowly saturating cache", 1003},
                                                    {"slowly saturating cache", 1020}}));
    const std::vector<Shape> drawn = shapes(seed);
    const std::size_t level = seed == 1020 ? 2 : 3; // 512 KiB or 2 MiB
    for (std::size_t index = 0; index < drawn.size(); ++index) {
        if (drawn[index].name == name) {
            INFO(name << ", seed " << seed);
            const ReplayResult result =
                replay(drawn[index], noise_levels()[level].sd_bytes, seed * 1000 + level * 100 + index);
            INFO(to_string(result.judgement.verdict)
                 << " at " << result.requests << ": " << result.judgement.reason);
            REQUIRE(result.judgement.verdict != Verdict::leak);
        }
    }
}

TEST_CASE("a leak under a curve that decelerates is a leak once its later part leaks on its own") {
    // A 20 MB cache filling over ~3,000 requests on top of 300 B per request: every window
    // decelerates; once the window's later half spans a fixed load, that half still grows steadily.
    const Shape filling{"leak behind a slow cache",
                        Truth::leak,
                        [](double r) { return 20e6 * (1 - std::exp(-r / 3000)) + 300 * r; },
                        {}};
    const ReplayResult result = replay(filling, 65536, 11);
    INFO(result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.requests >= 6000);
    REQUIRE_THAT(result.judgement.reason, Catch::Contains("still grows"));
    REQUIRE(result.judgement.rate_low > 300);
}

TEST_CASE(
    "a warm-up that outlasts load.warmup, then dead-flat memory, is a plateau that reports the warm-up") {
    // A Flask worker: +20 MB over its first 2,000 requests, then exactly the same RSS for 12,000.
    const Trace trace = sample_trace([](double r) { return r < 2000 ? 10000 * r : 20e6; }, 0, 14000, 1);
    const Judgement judgement = judge_trace(trace, options());
    INFO(judgement.reason);
    REQUIRE(judgement.verdict == Verdict::plateau);
    REQUIRE(std::isfinite(judgement.rate_high));
    REQUIRE(judgement.settled_at >= 1500);
    REQUIRE(judgement.settled_at <= 3000);
    REQUIRE_THAT(judgement.reason, Catch::Contains("warm-up found"));
}

TEST_CASE("a steady leak under V8-style heap steps is a leak within max_requests at a fixed load of 16,000") {
    // Memory climbs fast while the heap sizes itself in steps, then ~650 B per request: a window of
    // four fixed loads is out of reach of max_requests, so the later part must decide earlier.
    const Trace trace = sample_trace(
        [](double r) {
            const double steps = (r > 3000 ? 8e6 : 0) + (r > 7000 ? 12e6 : 0) + (r > 12000 ? 10e6 : 0);
            return steps + 650 * r;
        },
        524288, 50000, 5);
    const LoadBudget budget{16000, 2000, 50000};
    VerdictOptions at_budget = options();
    at_budget.warmup = 2000;
    const ReplayResult result = replay_looks(trace, at_budget, budget);
    INFO(to_string(result.judgement.verdict) << " at " << result.requests << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(std::isfinite(result.judgement.rate_low));
    REQUIRE(result.judgement.rate_low > 100);
    REQUIRE(result.requests < 50000);
}

TEST_CASE("a GC cycle longer than the fixed load, with a flat stretch between its rises, is not a leak") {
    // Express under no leak: 156 MB for 6,000 requests, then +80 MB over 13,000 before a major GC.
    const Trace trace = sample_trace(
        [](double r) {
            const double cycle = std::fmod(r, 20000);
            return cycle < 7000 ? 0.0 : 6500 * (cycle - 7000);
        },
        65536, 50000, 9);
    const LoadBudget budget{12000, 2000, 50000};
    VerdictOptions at_budget = options();
    at_budget.warmup = 2000;
    const ReplayResult result = replay_looks(trace, at_budget, budget);
    INFO(to_string(result.judgement.verdict) << " at " << result.requests << ": " << result.judgement.reason);
    REQUIRE(result.judgement.verdict != Verdict::leak);
}
