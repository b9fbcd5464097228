#include "fake_oracle.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;
using namespace search_test;

TEST_CASE("a culprit that leaks alone is confirmed, and the boundary is re-checked") {
    const SearchProblem problem{chunk_names(16), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, leaks_with({"chunk11"}));
    REQUIRE(outcome.finding.kind == FindingKind::localized);
    REQUIRE(outcome.finding.confirmation == ConfirmationResult::leaks_alone);
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"chunk11"});
    REQUIRE(outcome.probes_in({ProbeRole::confirm}) == 1);
    REQUIRE(outcome.probes_in({ProbeRole::recheck}) == 2);
    REQUIRE(outcome.finding.rechecks.size() == 2);
    REQUIRE(outcome.finding.rechecks[0].observed == Verdict::plateau);
    REQUIRE(outcome.finding.rechecks[1].observed == Verdict::leak);
    REQUIRE(outcome.history.size() <= worst_case_probes(problem));
}

TEST_CASE("the first chunk needs no confirmation probe: alone is the configuration that leaked") {
    const SearchProblem problem{chunk_names(8), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, leaks_with({"chunk1"}));
    REQUIRE(outcome.finding.confirmation == ConfirmationResult::leaks_alone);
    REQUIRE(outcome.probes_in({ProbeRole::confirm}) == 0);
}

TEST_CASE("two interacting chunks are found as the smallest set that leaks together") {
    for (const std::size_t n : {2, 3, 8, 16, 33}) {
        const SearchProblem problem{chunk_names(n), SearchStrategy::bisect};
        for (std::size_t first = 1; first < n; ++first) {
            for (std::size_t second = first + 1; second <= n; ++second) {
                const std::string a = "chunk" + std::to_string(first);
                const std::string b = "chunk" + std::to_string(second);
                INFO("n=" << n << " pair " << a << " + " << b);
                const Outcome outcome = run_search(problem, leaks_with({a, b}));
                REQUIRE(outcome.finding.kind == FindingKind::localized);
                REQUIRE(outcome.finding.culprit == b);
                REQUIRE(outcome.finding.confirmation == ConfirmationResult::leaks_with_others);
                REQUIRE(outcome.finding.culprits == std::vector<std::string>{b, a});
                const std::size_t without_rechecks =
                    outcome.history.size() - outcome.probes_in({ProbeRole::recheck});
                REQUIRE(without_rechecks <= 2 * ceil_log2(n) + 4);
            }
        }
    }
}

TEST_CASE("an interacting pair split across the halves") {
    const SearchProblem problem{chunk_names(16), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, leaks_with({"chunk3", "chunk12"}));
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"chunk12", "chunk3"});
    REQUIRE_THAT(outcome.finding.summary, Catch::Contains("does not leak alone"));
}

TEST_CASE("three chunks that only leak together are all named, and the set is 1-minimal") {
    const SearchProblem problem{chunk_names(12), SearchStrategy::linear};
    const Outcome outcome = run_search(problem, leaks_with({"chunk2", "chunk7", "chunk9"}));
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"chunk9", "chunk2", "chunk7"});
}

TEST_CASE("a partner with sub-chunks is narrowed to the sub-chunk the leak needs, like the culprit") {
    const std::vector<std::string> chunks{"listen", "listen.register", "listen.log", "render",
                                          "fire",   "fire.emit",       "fire.count"};
    const SearchProblem problem{chunks, SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, leaks_with({"listen.register", "fire.emit"}));
    REQUIRE(outcome.finding.culprit == "fire.emit");
    REQUIRE(outcome.finding.path == std::vector<std::string>{"fire", "fire.emit"});
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"fire.emit", "listen.register"});
}

TEST_CASE("an interacting pair of sibling sub-chunks") {
    const std::vector<std::string> chunks{"a", "panel", "panel.subscribe", "panel.count", "panel.fire"};
    const SearchProblem problem{chunks, SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, leaks_with({"panel.subscribe", "panel.fire"}));
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"panel.fire", "panel.subscribe"});
}

TEST_CASE("a re-check that disagrees earns more runs; one that stays flipped ends inconclusive") {
    const SearchProblem problem{chunk_names(8), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, [](const ChunkSet& enabled) {
        return enabled.count("chunk5") == 1 ? Verdict::leak : Verdict::plateau;
    });
    // Replaying with the leaking boundary's re-check read as PLATEAU: pooled with the run that
    // decided it, LEAK 1 : PLATEAU 1 leads by nothing, so it is re-checked again.
    std::vector<Observation> history = outcome.history;
    for (Observation& observation : history) {
        if (observation.role == ProbeRole::recheck && observation.verdict == Verdict::leak) {
            observation.verdict = Verdict::plateau;
        }
    }
    const SearchStep step = next_step(problem, history);
    REQUIRE(std::holds_alternative<ProbeRequest>(step));
    const ProbeRequest again = std::get<ProbeRequest>(step);
    REQUIRE(again.role == ProbeRole::recheck);
    SECTION("PLATEAU again: the boundary flipped, the culprit is only a suspect") {
        history.push_back({again.enabled, Verdict::plateau, 0, ProbeRole::recheck});
        const Finding finding = std::get<Finding>(next_step(problem, history));
        REQUIRE(finding.kind == FindingKind::inconclusive);
        REQUIRE(finding.suspects == std::vector<std::string>{"chunk5"});
        REQUIRE_THAT(finding.summary,
                     Catch::Contains("did not reproduce") && Catch::Contains("PLATEAU with"));
    }
    SECTION("LEAK: the boundary held") {
        history.push_back({again.enabled, Verdict::leak, 0, ProbeRole::recheck});
        const Finding finding = std::get<Finding>(next_step(problem, history));
        REQUIRE(finding.kind == FindingKind::localized);
        REQUIRE_THAT(finding.summary, Catch::Contains("both boundary verdicts held"));
    }
    SECTION("INCONCLUSIVE up to the runs allowed: undecided, and only reported") {
        for (int run = 0; run < 3; ++run) { // 5 runs pooled: the most with repeats = 1
            history.push_back({again.enabled, Verdict::inconclusive, 0, ProbeRole::recheck});
        }
        const Finding finding = std::get<Finding>(next_step(problem, history));
        REQUIRE(finding.kind == FindingKind::localized);
        REQUIRE_THAT(finding.summary, Catch::Contains("1 of the 2 boundary verdicts came out undecided"));
    }
}

TEST_CASE("the search for partners stops past kMostPartners of them, inconclusive") {
    const SearchProblem problem{chunk_names(16), SearchStrategy::bisect};
    const Outcome outcome =
        run_search(problem, leaks_with({"chunk2", "chunk5", "chunk8", "chunk11", "chunk14"}));
    REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
    REQUIRE(outcome.finding.suspects.size() == 1 + kMostPartners + 1);
    REQUIRE_THAT(outcome.finding.summary, Catch::Contains("more than 3 other chunks"));
    SECTION("one fewer is still found") {
        const Outcome four = run_search(problem, leaks_with({"chunk2", "chunk5", "chunk8", "chunk14"}));
        REQUIRE(four.finding.kind == FindingKind::localized);
        REQUIRE(four.finding.culprits.size() == 4);
    }
}
