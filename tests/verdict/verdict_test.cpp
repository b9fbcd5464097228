#include "leakbisect/verdict/verdict.hpp"

#include "../../bench/verdict/synthetic_traces.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <random>

using namespace leakbisect;
using leakbisect::synthetic::sawtooth;

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

namespace {

// Rails 6.1/puma in production, as measured: +20 MB over the first ~1,500 requests, then a creep
// that slows down (90.3 MB at 2,000, 93.6 at 5,000, 94.8 at 10,000).
double rails_like(double r) {
    return 20e6 * (1 - std::exp(-r / 400)) + 8e6 * (1 - std::exp(-r / 3000));
}

} // namespace

TEST_CASE("a Rails-like creeping runtime is not a leak") {
    const Trace baseline = make_trace(10000, 15, rails_like, 65536, 11);
    SECTION("judged alone, its deceleration keeps it from LEAK") {
        const Judgement judgement = judge_trace(baseline, options_with_warmup(300));
        REQUIRE(judgement.verdict != Verdict::leak);
    }
    SECTION("judged against another baseline probe, it is a plateau") {
        const Trace probe = make_trace(10000, 15, rails_like, 65536, 12);
        const Judgement judgement = judge_trace(probe, options_with_warmup(300), &baseline);
        REQUIRE(judgement.against_reference);
        REQUIRE(judgement.verdict == Verdict::plateau);
    }
    SECTION("with a per-request class leak of 44 KB on top, it is a leak against the baseline") {
        const Trace probe = make_trace(
            10000, 15, [](double r) { return rails_like(r) + 44'000 * r; }, 65536, 12);
        const Judgement judgement = judge_trace(probe, options_with_warmup(300), &baseline);
        REQUIRE(judgement.verdict == Verdict::leak);
        REQUIRE(judgement.rate == Approx(44'000).epsilon(0.1));
    }
    SECTION("a chunk that only allocates more is not a leak while the baseline still grows faster") {
        // Ruby sizes its heap by more the more a configuration allocates: a slow extra creep (12 MB
        // over a time constant of 12,000 requests) with nothing kept. Over the fixed load it grows
        // steadily relative to the baseline, by less than the baseline still grows itself.
        const Trace probe = make_trace(
            3000, 15, [](double r) { return rails_like(r) + 12e6 * (1 - std::exp(-r / 12000)); }, 65536, 12);
        const Judgement judgement = judge_trace(probe, options_with_warmup(300), &baseline);
        INFO(judgement.reason);
        REQUIRE(judgement.verdict == Verdict::inconclusive);
        REQUIRE_THAT(judgement.reason, Catch::Contains("the reference itself still grows"));
    }
    SECTION("a reference shorter than the probe is extended by its own late growth") {
        const Trace short_baseline = make_trace(3000, 15, rails_like, 65536, 11);
        const Trace probe = make_trace(10000, 15, rails_like, 65536, 12);
        REQUIRE(judge_trace(probe, options_with_warmup(300), &short_baseline).verdict != Verdict::leak);
    }
}

TEST_CASE("a window-long GC sawtooth whose last sample is its peak is not a leak") {
    // One collection in the middle of the window; the trace ends at the top of the next rise.
    const auto shape = [](double r) { return sawtooth(r + 900, 1800, 0, 6e6); };
    Trace trace = make_trace(3000, 15, shape, 8192, 5);
    trace.back().bytes += 2'000'000;
    const Judgement judgement = judge_trace(trace, options_with_warmup(300));
    INFO(judgement.reason);
    REQUIRE(judgement.verdict != Verdict::leak);
}

TEST_CASE("a cache that fills slowly, decelerating, is inconclusive rather than a leak") {
    const auto filling = [](double r) { return 16e6 * (1 - std::exp(-r / 1200)); };
    const Judgement judgement = judge_trace(make_trace(3000, 15, filling, 8192, 3), options_with_warmup(300));
    REQUIRE(judgement.verdict == Verdict::inconclusive);
    REQUIRE_THAT(judgement.reason, Catch::Contains("decelerating"));
}

TEST_CASE("a step on top of a growth below min_leak is not a leak") {
    const auto step_and_creep = [](double r) { return 30 * r + (r > 1200 ? 8e6 : 0.0); };
    const Judgement judgement = judge_trace(make_trace(3000, 15, step_and_creep), options_with_warmup(300));
    REQUIRE(judgement.verdict != Verdict::leak);
}

TEST_CASE("serially correlated floors widen the interval") {
    const auto wave = [](double r) { return 2e6 * std::sin(r / 400); }; // slower than a block
    const Trace trace = make_trace(3000, 15, wave, 1024, 9);
    const Judgement judgement = judge_trace(trace, options_with_warmup(300));
    REQUIRE(judgement.verdict != Verdict::leak);
    REQUIRE(judgement.rate_high - judgement.rate_low > 200);
}

TEST_CASE("a floor that stays within min_leak times the window is a plateau, however correlated") {
    // Page-granular RSS: a 4 KiB page every 200 requests (20 B/request), no other noise. Its floors
    // move together, so Sen's interval alone is wide; their whole range decides.
    const auto pages = [](double r) { return 4096 * std::floor(r / 200); };
    const Judgement judgement = judge_trace(make_trace(1500, 5, pages, 0), options_with_warmup(300));
    INFO(judgement.reason);
    REQUIRE(judgement.verdict == Verdict::plateau);
    REQUIRE_THAT(judgement.reason, Catch::Contains("stays within"));
    REQUIRE(judgement.rate_high < 100);
    SECTION("a leak of twice min_leak spreads its floors too far for that") {
        const auto leaking = [](double r) { return 4096 * std::floor(r / 20); }; // 205 B/request
        REQUIRE(judge_trace(make_trace(1500, 5, leaking, 0), options_with_warmup(300)).verdict ==
                Verdict::leak);
    }
}
