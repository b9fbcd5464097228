#include "leakbisect/verdict/sequential.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using namespace leakbisect;

namespace {

Trace line_trace(std::uint64_t requests, double rate) {
    Trace trace;
    for (std::uint64_t r = 0; r <= requests; r += 15) {
        trace.push_back({static_cast<double>(r) / 1000, r, static_cast<std::int64_t>(5e7 + rate * r), 1});
    }
    return trace;
}

VerdictOptions options() {
    VerdictOptions options;
    options.warmup = 300;
    return options;
}

} // namespace

TEST_CASE("looks start at half the fixed load and double up to max_requests") {
    REQUIRE(look_schedule({3000, 300, 50000}) ==
            std::vector<std::uint64_t>{1500, 3000, 6000, 12000, 24000, 48000, 50000});
    SECTION("a look before twice the warm-up is skipped") {
        REQUIRE(look_schedule({3000, 1000, 6000}) == std::vector<std::uint64_t>{3000, 6000});
    }
    SECTION("a cap near 2^64 ends the schedule instead of doubling past it forever") {
        const std::vector<std::uint64_t> looks = look_schedule({3000, 300, UINT64_MAX});
        REQUIRE(looks.back() == UINT64_MAX);
        REQUIRE(looks.size() < 70);
    }
    SECTION("max_requests below the fixed load leaves the fixed load alone") {
        REQUIRE(look_schedule({3000, 300, 1000}) == std::vector<std::uint64_t>{1500, 3000});
    }
}

TEST_CASE("the error budget is split evenly across the looks") {
    const LoadBudget budget{3000, 300, 50000};
    const LookDecision decision = decide_at_look(line_trace(1500, 0), options(), budget, 0);
    REQUIRE(decision.judgement.confidence == Approx(1 - 0.01 / 7));
}

TEST_CASE("a look before the fixed load never stops on LEAK but extends to the next look") {
    const LoadBudget budget{3000, 300, 50000};
    const LookDecision early = decide_at_look(line_trace(1500, 8192), options(), budget, 0);
    REQUIRE(early.judgement.verdict == Verdict::inconclusive);
    REQUIRE_THAT(early.judgement.reason, Catch::Contains("fixed load"));
    REQUIRE(early.extend_to == 3000);

    const LookDecision at_fixed_load = decide_at_look(line_trace(3000, 8192), options(), budget, 1);
    REQUIRE(at_fixed_load.judgement.verdict == Verdict::leak);
    REQUIRE_FALSE(at_fixed_load.extend_to);
}

TEST_CASE("a reference that grows is recorded up to its reference span before it stops on LEAK") {
    // A run's baseline: later probes are judged against its curve, so it covers their windows.
    const LoadBudget budget{3000, 300, 50000, kReferenceFixedLoads * 3000};
    const LookDecision at_fixed_load = decide_at_look(line_trace(3000, 8192), options(), budget, 1);
    REQUIRE(at_fixed_load.judgement.verdict == Verdict::leak);
    REQUIRE_THAT(at_fixed_load.judgement.reason, Catch::Contains("recorded up to 12000 requests"));
    REQUIRE(at_fixed_load.extend_to == 6000);
    REQUIRE_FALSE(decide_at_look(line_trace(12000, 8192), options(), budget, 3).extend_to);
    SECTION("a reference that plateaus stops as any probe does") {
        REQUIRE_FALSE(decide_at_look(line_trace(1500, 0), options(), budget, 0).extend_to);
    }
    SECTION("max_requests still caps it") {
        const LoadBudget capped{3000, 300, 6000, 12000};
        REQUIRE_FALSE(decide_at_look(line_trace(6000, 8192), options(), capped, 2).extend_to);
    }
}

TEST_CASE("a plateau may stop at the first look") {
    const LookDecision decision = decide_at_look(line_trace(1500, 0), options(), {3000, 300, 50000}, 0);
    REQUIRE(decision.judgement.verdict == Verdict::plateau);
    REQUIRE_FALSE(decision.extend_to);
}

TEST_CASE("a floor that rose and then sat still waits for the fixed load before PLATEAU") {
    // A heap that grows in big steps: 2 KiB/request leaked, the RSS stepping up at 600 requests
    // and every 1,000 after that.
    Trace staircase;
    for (std::uint64_t r = 0; r <= 3000; r += 15) {
        const auto leaked = static_cast<std::int64_t>(2048 * 1000 * ((r + 400) / 1000));
        staircase.push_back({static_cast<double>(r) / 1000, r, 50'000'000 + leaked, 1});
    }
    const LoadBudget budget{3000, 300, 50000};
    const Trace first_half(staircase.begin(), staircase.begin() + 101); // up to 1,500 requests
    const LookDecision early = decide_at_look(first_half, options(), budget, 0);
    REQUIRE(early.judgement.warmup_found);
    REQUIRE(early.judgement.verdict == Verdict::inconclusive);
    REQUIRE_THAT(early.judgement.reason, Catch::Contains("PLATEAU waits for the fixed load"));
    REQUIRE(early.extend_to == 3000);

    const LookDecision at_fixed_load = decide_at_look(staircase, options(), budget, 1);
    REQUIRE(at_fixed_load.judgement.verdict != Verdict::plateau);
}

TEST_CASE("INCONCLUSIVE at the last look does not extend") {
    const LoadBudget budget{3000, 300, 6000};
    Trace trace = line_trace(6000, 0);
    std::mt19937_64 generator(5);
    std::normal_distribution<double> noise(0, 400e6); // noise no load can resolve
    for (MemorySample& sample : trace) {
        sample.bytes += static_cast<std::int64_t>(noise(generator));
    }
    const LookDecision decision = decide_at_look(trace, options(), budget, 2);
    REQUIRE(decision.judgement.verdict == Verdict::inconclusive);
    REQUIRE_FALSE(decision.extend_to);
}

TEST_CASE("past the fixed load, the window keeps the fixed load's block width") {
    const LoadBudget budget{3000, 300, 50000};
    const Trace trace = line_trace(12000, 0);
    REQUIRE(decide_at_look(line_trace(3000, 0), options(), budget, 1).judgement.blocks == 32);
    // (12,000 - 300) / (3,000 - 300) = 4.33 times the fixed load's window: 138 blocks of ~85 requests.
    REQUIRE(decide_at_look(trace, options(), budget, 3).judgement.blocks == 138);
    SECTION("up to 256 blocks") {
        REQUIRE(decide_at_look(line_trace(48000, 0), options(), budget, 5).judgement.blocks == 256);
    }
}

TEST_CASE("a replay over a recorded trace stops where a probe would have") {
    const ReplayResult result = replay_looks(line_trace(20000, 4096), options(), {3000, 300, 50000});
    REQUIRE(result.judgement.verdict == Verdict::leak);
    REQUIRE(result.requests == 3000);
    REQUIRE(result.looks == 2);
    SECTION("a trace that ends between looks is judged at its end") {
        const ReplayResult short_trace = replay_looks(line_trace(2000, 4096), options(), {3000, 300, 50000});
        REQUIRE(short_trace.requests == 1995); // the last sample
        REQUIRE(short_trace.judgement.verdict == Verdict::inconclusive);
    }
}
