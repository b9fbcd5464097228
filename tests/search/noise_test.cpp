#include "fake_oracle.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace leakbisect;
using namespace search_test;

TEST_CASE("with repeats, a configuration is decided when one verdict leads by that many runs") {
    SearchProblem problem{chunk_names(8), SearchStrategy::bisect};
    problem.repeats = 3;
    problem.confirm = Confirmation::skip;
    const Outcome outcome = run_search(problem, leaks_with({"chunk6"}));
    REQUIRE(outcome.finding.culprit == "chunk6");
    REQUIRE(outcome.history.size() == 3 * (2 + 3));
    REQUIRE(outcome.finding.first_leak.leaks == 3);
    REQUIRE(outcome.finding.last_plateau.plateaus == 3);
}

TEST_CASE("a verdict that disagrees earns more runs, not a guess") {
    SearchProblem problem{chunk_names(4), SearchStrategy::bisect};
    problem.confirm = Confirmation::skip;
    int all_on_runs = 0;
    const Outcome outcome = run_search(problem, [&all_on_runs](const ChunkSet& enabled) {
        if (enabled.size() == 4 && ++all_on_runs == 1) {
            return Verdict::inconclusive;
        }
        return enabled.count("chunk2") == 1 ? Verdict::leak : Verdict::plateau;
    });
    REQUIRE(outcome.finding.culprit == "chunk2");
    REQUIRE(outcome.probes_in({ProbeRole::all_on}) == 2);
}

TEST_CASE("evidence is pooled: counts and the mean rate of the runs") {
    SearchProblem problem{chunk_names(2), SearchStrategy::bisect};
    problem.repeats = 2;
    problem.confirm = Confirmation::skip;
    std::vector<Observation> history{
        {{}, Verdict::plateau, 1, ProbeRole::baseline},
        {{}, Verdict::leak, 300, ProbeRole::baseline},
        {{}, Verdict::plateau, 2, ProbeRole::baseline},
        {{}, Verdict::plateau, 3, ProbeRole::baseline},
        {{"chunk1", "chunk2"}, Verdict::leak, 500, ProbeRole::all_on},
        {{"chunk1", "chunk2"}, Verdict::leak, 700, ProbeRole::all_on},
        {{"chunk1"}, Verdict::plateau, 0, ProbeRole::step},
        {{"chunk1"}, Verdict::plateau, 0, ProbeRole::step},
    };
    const Finding finding = std::get<Finding>(next_step(problem, history));
    REQUIRE(finding.culprit == "chunk2");
    REQUIRE(finding.first_leak.leaks == 2);
    REQUIRE(finding.first_leak.pooled_rate == Approx(600));
}

TEST_CASE("with 5% verdict errors and repeats = 3 the answer is right in at least 99% of runs") {
    std::mt19937 random(20261125);
    std::bernoulli_distribution error(0.05);
    SearchProblem problem{chunk_names(64), SearchStrategy::bisect};
    problem.repeats = 3;
    std::uniform_int_distribution<std::size_t> position(1, 64);
    int right = 0;
    constexpr int kRuns = 300;
    for (int run = 0; run < kRuns; ++run) {
        const std::string culprit = "chunk" + std::to_string(position(random));
        const Oracle truth = leaks_with({culprit});
        const Outcome outcome = run_search(problem, [&](const ChunkSet& enabled) {
            const Verdict verdict = truth(enabled);
            if (!error(random)) {
                return verdict;
            }
            return verdict == Verdict::leak ? Verdict::plateau : Verdict::leak;
        });
        right += outcome.finding.culprits == std::vector<std::string>{culprit} ? 1 : 0;
    }
    REQUIRE(right >= kRuns * 99 / 100);
}
