// The search as commit-range mode uses it: commits are chunks in order, "the first k on" is the
// k-th commit, the culprit cannot be run alone (only the boundary is re-checked), and a good that
// grows is the curve every commit is judged against.
#include "fake_oracle.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;
using namespace search_test;

namespace {

SearchProblem commits(std::size_t n) {
    SearchProblem problem{chunk_names(n), SearchStrategy::bisect};
    problem.confirm = Confirmation::boundary_only;
    problem.narrow = Narrowing::skip;
    problem.crashes = Crashes::step_around;
    return problem;
}

// Leaks from commit `k` (1-based) on: every prefix holding it.
Oracle leaks_from_commit(std::size_t k) {
    return leaks_with({chunk_names(k).back()});
}

} // namespace

TEST_CASE("commits: the guilty commit in at most ceil(log2 n) + 2 search probes, then the re-checks") {
    for (const std::size_t n : {16UL, 64UL}) {
        for (std::size_t k = 1; k <= n; ++k) {
            const Outcome outcome = run_search(commits(n), leaks_from_commit(k));
            INFO("n = " << n << ", k = " << k);
            REQUIRE(outcome.finding.kind == FindingKind::localized);
            CHECK(outcome.finding.culprit == chunk_names(k).back());
            CHECK(outcome.probes_in({ProbeRole::baseline, ProbeRole::all_on, ProbeRole::step}) <=
                  ceil_log2(n) + 2);
            CHECK(outcome.probes_in({ProbeRole::confirm, ProbeRole::interact, ProbeRole::narrow}) == 0);
            CHECK(outcome.probes_in({ProbeRole::recheck}) == 2);
            CHECK(outcome.finding.rechecks.size() == 2);
        }
    }
    CHECK(worst_case_probes(commits(16)) == 2 + 4 + 2);
}

// With a good that grows, every later probe is judged against good's curve: the oracle's verdicts
// below are those relative verdicts.
TEST_CASE("commits: a good that already grows, and a bad that grows no faster, end after two probes") {
    const Outcome outcome = run_search(commits(8), [](const ChunkSet& enabled) {
        return enabled.empty() ? Verdict::leak : Verdict::plateau;
    });
    CHECK(outcome.finding.kind == FindingKind::leak_outside_chunks);
    CHECK(outcome.history.size() == 2);
}

TEST_CASE("commits: a good that creeps (a runtime settling) does not hide the commit that leaks on top") {
    const Oracle from_commit_5 = leaks_from_commit(5);
    const Outcome outcome = run_search(commits(8), [&from_commit_5](const ChunkSet& enabled) {
        return enabled.empty() ? Verdict::leak : from_commit_5(enabled);
    });
    REQUIRE(outcome.finding.kind == FindingKind::localized);
    CHECK(outcome.finding.culprit == chunk_names(5).back());
    CHECK(outcome.finding.grows_outside_chunks);
    CHECK(outcome.probes_in({ProbeRole::recheck}) == 2);
}

TEST_CASE("commits: a bad commit that cannot run is not left off as a crashing chunk would be") {
    // Leaving a commit off would run a set that is no commit: the search ends undecided instead.
    const Outcome outcome = run_search(commits(8), [](const ChunkSet& enabled) {
        return enabled.size() == 8 ? Verdict::skipped : Verdict::plateau;
    });
    CHECK(outcome.finding.kind == FindingKind::inconclusive);
    CHECK(outcome.finding.left_off.empty());
    CHECK(outcome.probes_in({ProbeRole::crash}) == 0);
}

TEST_CASE("commits: a skipped commit next to the boundary leaves the candidates") {
    const Outcome outcome = run_search(commits(8), [](const ChunkSet& enabled) {
        if (enabled.size() == 4) {
            return Verdict::skipped;
        }
        return enabled.size() >= 5 ? Verdict::leak : Verdict::plateau;
    });
    REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
    CHECK(outcome.finding.suspects == std::vector<std::string>{chunk_names(4).back(), chunk_names(5).back()});
}
