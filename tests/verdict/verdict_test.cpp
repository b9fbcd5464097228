#include "leakbisect/verdict/verdict.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <random>

using namespace leakbisect;

namespace {

constexpr std::int64_t kBase = 50 * 1024 * 1024;

// A trace of `requests` requests sampled every `every` requests, memory given by `shape`
// plus page-sized noise from a fixed seed.
Trace make_trace(std::uint64_t requests, std::uint64_t every, const std::function<double(double)>& shape,
                 double noise_bytes = 8192, std::uint64_t seed = 7) {
    std::mt19937_64 generator(seed);
    std::normal_distribution<double> noise(0, noise_bytes);
    Trace trace;
    for (std::uint64_t r = 0; r <= requests; r += every) {
        const double bytes =
            static_cast<double>(kBase) + shape(static_cast<double>(r)) + std::fabs(noise(generator));
        trace.push_back({static_cast<double>(r) / 1000.0, r, static_cast<std::int64_t>(bytes), 1});
    }
    return trace;
}

VerdictOptions options_with_warmup(double warmup) {
    VerdictOptions options;
    options.warmup = warmup;
    return options;
}

} // namespace

TEST_CASE("a flat trace is a plateau") {
    const Judgement judgement =
        judge_trace(make_trace(3000, 15, [](double) { return 0.0; }), options_with_warmup(300));
    REQUIRE(judgement.verdict == Verdict::plateau);
    REQUIRE(judgement.rate_high < 100);
    REQUIRE(judgement.blocks >= 10);
}

TEST_CASE("a steady leak is a leak with its rate inside the interval") {
    const double rate = 2048;
    const Judgement judgement =
        judge_trace(make_trace(3000, 15, [rate](double r) { return rate * r; }), options_with_warmup(300));
    REQUIRE(judgement.verdict == Verdict::leak);
    REQUIRE(judgement.rate_low <= rate);
    REQUIRE(judgement.rate_high >= rate);
    REQUIRE(judgement.rate == Approx(rate).epsilon(0.05));
}

TEST_CASE("growth only during warm-up, then flat with a GC sawtooth, is a plateau") {
    const auto shape = [](double r) {
        const double warm = std::min(r, 250.0) * 40'000;    // +10 MB while warming up
        const double sawtooth = std::fmod(r, 97.0) * 3'000; // rises, then a collection drops it to the floor
        return warm + sawtooth;
    };
    SECTION("a trace that ends on a trough") {
        REQUIRE(judge_trace(make_trace(3000, 10, shape), options_with_warmup(300)).verdict ==
                Verdict::plateau);
    }
    SECTION("a trace whose last sample is the sawtooth's peak") {
        Trace trace = make_trace(3000, 10, shape);
        trace.back().bytes += 300'000;
        REQUIRE(judge_trace(trace, options_with_warmup(300)).verdict == Verdict::plateau);
    }
}

TEST_CASE("a single step jump is not called a leak") {
    const auto step = [](double r) { return r > 1700 ? 4.0 * 1024 * 1024 : 0.0; };
    const Judgement judgement = judge_trace(make_trace(3000, 15, step), options_with_warmup(300));
    REQUIRE(judgement.verdict != Verdict::leak);
}

TEST_CASE("a leak smaller than min_leak is a plateau, one just above it is a leak") {
    VerdictOptions options = options_with_warmup(300);
    options.min_leak = Bytes{1024};
    REQUIRE(judge_trace(make_trace(5000, 20, [](double r) { return 100 * r; }), options).verdict ==
            Verdict::plateau);
    REQUIRE(judge_trace(make_trace(5000, 20, [](double r) { return 4096 * r; }), options).verdict ==
            Verdict::leak);
}

TEST_CASE("too few samples after warm-up are inconclusive, with the reason") {
    const Judgement judgement =
        judge_trace(make_trace(400, 50, [](double) { return 0.0; }), options_with_warmup(300));
    REQUIRE(judgement.verdict == Verdict::inconclusive);
    REQUIRE_THAT(judgement.reason, Catch::Contains("samples"));
}

TEST_CASE("the seconds axis judges growth per second for a load command") {
    VerdictOptions options;
    options.axis = Axis::seconds;
    options.warmup = 0.3;
    Trace trace = make_trace(3000, 15, [](double r) { return r * 5000; });
    const Judgement judgement = judge_trace(trace, options);
    REQUIRE(judgement.verdict == Verdict::leak);
    REQUIRE(judgement.rate == Approx(5'000'000).epsilon(0.05)); // 1000 requests per second
}

TEST_CASE("verdict names round-trip") {
    for (const Verdict verdict :
         {Verdict::plateau, Verdict::leak, Verdict::inconclusive, Verdict::invalid, Verdict::skipped}) {
        REQUIRE(verdict_from_string(to_string(verdict)) == verdict);
    }
    REQUIRE_FALSE(verdict_from_string("MAYBE").has_value());
}
