#include "fake_oracle.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;
using namespace search_test;

namespace {

// The first `prefix` chunks of `names` (a prefix of the enabling order).
Oracle leaks_from(const std::vector<std::string>& names, std::size_t culprit_position) {
    return leaks_with({names[culprit_position - 1]});
}

SearchProblem flat(std::size_t n, SearchStrategy strategy) {
    SearchProblem problem{chunk_names(n), strategy};
    problem.confirm = Confirmation::skip;
    return problem;
}

} // namespace

TEST_CASE("the search starts with the baseline and then every chunk on") {
    const SearchProblem problem = flat(5, SearchStrategy::bisect);
    auto step = next_step(problem, std::vector<Observation>{});
    REQUIRE(std::get<ProbeRequest>(step).role == ProbeRole::baseline);
    REQUIRE(std::get<ProbeRequest>(step).enabled.empty());
    step = next_step(problem, std::vector<Observation>{{{}, Verdict::plateau, 0, ProbeRole::baseline}});
    REQUIRE(std::get<ProbeRequest>(step).role == ProbeRole::all_on);
    REQUIRE(std::get<ProbeRequest>(step).enabled.size() == 5);
}

// With a baseline that grows, every later probe is judged against the baseline's curve: the
// oracle's verdicts below are those relative verdicts.
TEST_CASE(
    "a leaking baseline whose chunks add nothing to it ends the search: the leak is outside the chunks") {
    const Outcome outcome = run_search(flat(4, SearchStrategy::bisect), [](const ChunkSet& enabled) {
        return enabled.empty() ? Verdict::leak : Verdict::plateau;
    });
    REQUIRE(outcome.finding.kind == FindingKind::leak_outside_chunks);
    REQUIRE(outcome.history.size() == 2);
    REQUIRE_THAT(outcome.finding.summary, Catch::Contains("add no growth of their own"));
}

TEST_CASE("a leaking baseline with an undecided all-on probe ends with the leak outside the chunks") {
    const Outcome outcome = run_search(flat(4, SearchStrategy::bisect), [](const ChunkSet& enabled) {
        return enabled.empty() ? Verdict::leak : Verdict::inconclusive;
    });
    REQUIRE(outcome.finding.kind == FindingKind::leak_outside_chunks);
    REQUIRE_THAT(outcome.finding.summary, Catch::Contains("whether the chunks add to it is unknown"));
}

TEST_CASE("a chunk excess smaller than the baseline's own growth is not searched: the leak is outside") {
    const SearchProblem problem = flat(4, SearchStrategy::bisect);
    const std::vector<Observation> history{{{}, Verdict::leak, 2000, ProbeRole::baseline},
                                           {chunk_names(4), Verdict::leak, 400, ProbeRole::all_on}};
    const SearchStep step = next_step(problem, history);
    REQUIRE(std::holds_alternative<Finding>(step));
    REQUIRE(std::get<Finding>(step).kind == FindingKind::leak_outside_chunks);
    REQUIRE_THAT(std::get<Finding>(step).summary, Catch::Contains("less than that"));
}

TEST_CASE("a chunk that leaks on top of a baseline that grows on its own is still found") {
    // A creeping runtime (Rails' first thousands of requests) must not end the night at exit 11
    // when a chunk leaks far more on top of it.
    const Oracle chunk3 = leaks_with({"chunk3"});
    for (const SearchStrategy strategy : {SearchStrategy::bisect, SearchStrategy::linear}) {
        SearchProblem problem = flat(5, strategy);
        problem.confirm = Confirmation::run;
        const Outcome outcome = run_search(problem, [&chunk3](const ChunkSet& enabled) {
            return enabled.empty() ? Verdict::leak : chunk3(enabled);
        });
        INFO(outcome.finding.summary);
        REQUIRE(outcome.finding.kind == FindingKind::localized);
        REQUIRE(outcome.finding.culprit == "chunk3");
        REQUIRE(outcome.finding.grows_outside_chunks);
        REQUIRE_THAT(outcome.finding.summary, Catch::Contains("also grows with every chunk off"));
        REQUIRE_THAT(outcome.finding.summary, Catch::Contains("both boundary verdicts held"));
    }
}

TEST_CASE("the first chunk leaking on top of a baseline that grows re-checks the baseline as growing") {
    const Oracle chunk1 = leaks_with({"chunk1"});
    SearchProblem problem = flat(4, SearchStrategy::bisect);
    problem.confirm = Confirmation::run;
    const Outcome outcome = run_search(problem, [&chunk1](const ChunkSet& enabled) {
        return enabled.empty() ? Verdict::leak : chunk1(enabled);
    });
    INFO(outcome.finding.summary);
    REQUIRE(outcome.finding.kind == FindingKind::localized);
    REQUIRE(outcome.finding.culprit == "chunk1");
    REQUIRE(outcome.finding.rechecks.size() == 2);
    REQUIRE(outcome.finding.rechecks[0].expected == Verdict::leak);
    REQUIRE(outcome.finding.rechecks[0].observed == Verdict::leak);
}

TEST_CASE("a plateau with every chunk on ends the search with no leak") {
    const Outcome outcome =
        run_search(flat(4, SearchStrategy::linear), [](const ChunkSet&) { return Verdict::plateau; });
    REQUIRE(outcome.finding.kind == FindingKind::no_leak);
    REQUIRE(outcome.history.size() == 2);
}

TEST_CASE("a baseline that cannot be run means the app failed") {
    const Outcome outcome =
        run_search(flat(4, SearchStrategy::bisect), [](const ChunkSet&) { return Verdict::skipped; });
    REQUIRE(outcome.finding.kind == FindingKind::app_failed);
    REQUIRE(outcome.history.size() == 1);
}

TEST_CASE("bisect finds every culprit position within ceil(log2 n) + 2 probes") {
    for (const std::size_t n : {1, 2, 3, 5, 8, 9, 16, 33}) {
        const SearchProblem problem = flat(n, SearchStrategy::bisect);
        for (std::size_t culprit = 1; culprit <= n; ++culprit) {
            const Outcome outcome = run_search(problem, leaks_from(problem.chunks, culprit));
            INFO("n=" << n << " culprit=" << culprit);
            REQUIRE(outcome.finding.kind == FindingKind::localized);
            REQUIRE(outcome.finding.culprit == problem.chunks[culprit - 1]);
            REQUIRE(outcome.finding.path == std::vector<std::string>{problem.chunks[culprit - 1]});
            REQUIRE(outcome.history.size() <= ceil_log2(n) + 2);
            REQUIRE(outcome.history.size() <= worst_case_probes(problem));
        }
    }
}

TEST_CASE("linear enables chunks one step at a time and stops at the first leak") {
    const SearchProblem problem = flat(6, SearchStrategy::linear);
    const Outcome outcome = run_search(problem, leaks_with({"chunk4"}));
    REQUIRE(outcome.finding.culprit == "chunk4");
    std::vector<std::size_t> sizes;
    for (const Observation& observation : outcome.history) {
        sizes.push_back(observation.enabled.size());
    }
    REQUIRE(sizes == std::vector<std::size_t>{0, 6, 1, 2, 3, 4});
}

TEST_CASE("a skipped probe next to the culprit is stepped around") {
    const SearchProblem problem = flat(8, SearchStrategy::bisect);
    const auto leaks_from_six_skipping = [](std::size_t skipped) {
        return [skipped](const ChunkSet& enabled) {
            if (enabled.size() == skipped) {
                return Verdict::skipped;
            }
            return enabled.count("chunk6") == 1 ? Verdict::leak : Verdict::plateau;
        };
    };
    SECTION("the skipped configuration is just below the culprit's") {
        const Outcome outcome = run_search(problem, leaks_from_six_skipping(4));
        REQUIRE(outcome.finding.kind == FindingKind::localized);
        REQUIRE(outcome.finding.culprit == "chunk6");
    }
    SECTION("the only configuration that separates two suspects is skipped") {
        const Outcome outcome = run_search(problem, leaks_from_six_skipping(5));
        REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
        REQUIRE(outcome.finding.suspects == std::vector<std::string>{"chunk5", "chunk6"});
    }
    SECTION("the culprit's own configuration is skipped") {
        const Outcome outcome = run_search(problem, leaks_from_six_skipping(6));
        REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
        REQUIRE(outcome.finding.suspects == std::vector<std::string>{"chunk6", "chunk7"});
    }
}

TEST_CASE("an inconclusive all-on probe gets more runs, then ends the search as inconclusive") {
    const SearchProblem problem = flat(3, SearchStrategy::bisect);
    const Outcome outcome = run_search(problem, [](const ChunkSet& enabled) {
        return enabled.empty() ? Verdict::plateau : Verdict::inconclusive;
    });
    REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
    REQUIRE(outcome.probes_in({ProbeRole::all_on}) == probe_budget(problem).max_runs_per_configuration);
}

TEST_CASE("replaying a partial history continues where it stopped") {
    const SearchProblem problem = flat(8, SearchStrategy::bisect);
    const Outcome full = run_search(problem, leaks_with({"chunk3"}));
    const std::vector<Observation> partial(full.history.begin(), full.history.begin() + 3);
    const auto step = next_step(problem, partial);
    REQUIRE(std::get<ProbeRequest>(step).enabled == full.history[3].enabled);
}

TEST_CASE("worst-case probe counts follow the strategy") {
    REQUIRE(worst_case_probes(flat(8, SearchStrategy::bisect)) == 5);
    REQUIRE(worst_case_probes(flat(9, SearchStrategy::bisect)) == 6);
    REQUIRE(worst_case_probes(flat(8, SearchStrategy::linear)) == 9);
    SearchProblem confirmed{chunk_names(8), SearchStrategy::bisect};
    REQUIRE(worst_case_probes(confirmed) == 5 + 3);
    REQUIRE(probe_budget(confirmed).per_partner == 1 + 3);
}

TEST_CASE("an all-on probe INCONCLUSIVE twice at max_requests is not run again, and the finding says why") {
    const SearchProblem problem = flat(4, SearchStrategy::bisect);
    const std::vector<std::string> all = chunk_names(4);
    std::vector<Observation> history{{{}, Verdict::plateau, 0, ProbeRole::baseline}};
    const Observation exhausted{all, Verdict::inconclusive, 150, ProbeRole::all_on, LoadExtent::reached_cap};
    history.push_back(exhausted);
    REQUIRE(std::get<ProbeRequest>(next_step(problem, history)).role == ProbeRole::all_on);
    history.push_back(exhausted);
    const SearchStep step = next_step(problem, history);
    REQUIRE(std::holds_alternative<Finding>(step));
    const Finding& finding = std::get<Finding>(step);
    REQUIRE(finding.kind == FindingKind::inconclusive);
    REQUIRE_THAT(finding.summary,
                 Catch::Contains("2 runs each stayed INCONCLUSIVE up to verdict.max_requests"));
}

TEST_CASE("an INCONCLUSIVE run that could still have been extended earns the usual further runs") {
    const SearchProblem problem = flat(4, SearchStrategy::bisect);
    const std::vector<std::string> all = chunk_names(4);
    std::vector<Observation> history{{{}, Verdict::plateau, 0, ProbeRole::baseline}};
    for (unsigned run = 1; run < probe_budget(problem).max_runs_per_configuration; ++run) {
        history.push_back({all, Verdict::inconclusive, 150, ProbeRole::all_on, LoadExtent::short_of_cap});
        REQUIRE(std::get<ProbeRequest>(next_step(problem, history)).role == ProbeRole::all_on);
    }
}
