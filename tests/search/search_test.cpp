#include "leakbisect/search/search.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <string>

using namespace leakbisect;

namespace {

std::vector<std::string> chunk_names(std::size_t count) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < count; ++i) {
        names.push_back("chunk" + std::to_string(i + 1));
    }
    return names;
}

// A fake oracle: the verdict for a prefix of enabled chunks.
using Oracle = std::function<Verdict(std::size_t prefix)>;

Oracle leaks_from(std::size_t culprit_prefix) {
    return [culprit_prefix](std::size_t prefix) {
        return prefix >= culprit_prefix ? Verdict::leak : Verdict::plateau;
    };
}

struct Outcome {
    Finding finding;
    std::vector<Observation> history;
};

Outcome run_search(const SearchProblem& problem, const Oracle& oracle) {
    Outcome outcome;
    for (int guard = 0; guard < 1000; ++guard) {
        const SearchStep step = next_step(problem, outcome.history);
        if (const auto* finding = std::get_if<Finding>(&step)) {
            outcome.finding = *finding;
            return outcome;
        }
        const auto& request = std::get<ProbeRequest>(step);
        REQUIRE(request.enabled.size() == request.prefix);
        outcome.history.push_back({request.prefix, oracle(request.prefix)});
    }
    FAIL("the search never ended");
    return outcome;
}

std::size_t ceil_log2(std::size_t n) {
    return static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(n))));
}

} // namespace

TEST_CASE("the search starts with the baseline and then every chunk on") {
    const SearchProblem problem{chunk_names(5), SearchStrategy::bisect};
    auto step = next_step(problem, {});
    REQUIRE(std::get<ProbeRequest>(step).role == ProbeRole::baseline);
    REQUIRE(std::get<ProbeRequest>(step).enabled.empty());
    step = next_step(problem, {{0, Verdict::plateau}});
    REQUIRE(std::get<ProbeRequest>(step).role == ProbeRole::all_on);
    REQUIRE(std::get<ProbeRequest>(step).enabled.size() == 5);
}

TEST_CASE("a leaking baseline ends the search: the leak is outside the chunks") {
    const SearchProblem problem{chunk_names(4), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, [](std::size_t) { return Verdict::leak; });
    REQUIRE(outcome.finding.kind == FindingKind::leak_outside_chunks);
    REQUIRE(outcome.history.size() == 1);
}

TEST_CASE("a plateau with every chunk on ends the search with no leak") {
    const SearchProblem problem{chunk_names(4), SearchStrategy::linear};
    const Outcome outcome = run_search(problem, [](std::size_t) { return Verdict::plateau; });
    REQUIRE(outcome.finding.kind == FindingKind::no_leak);
    REQUIRE(outcome.history.size() == 2);
}

TEST_CASE("a baseline that cannot be run means the app failed") {
    const SearchProblem problem{chunk_names(4), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, [](std::size_t) { return Verdict::skipped; });
    REQUIRE(outcome.finding.kind == FindingKind::app_failed);
}

TEST_CASE("bisect finds every culprit position within ceil(log2 n) + 2 probes") {
    for (const std::size_t n : {1, 2, 3, 5, 8, 9, 16, 33}) {
        const SearchProblem problem{chunk_names(n), SearchStrategy::bisect};
        for (std::size_t culprit = 1; culprit <= n; ++culprit) {
            const Outcome outcome = run_search(problem, leaks_from(culprit));
            INFO("n=" << n << " culprit=" << culprit);
            REQUIRE(outcome.finding.kind == FindingKind::localized);
            REQUIRE(outcome.finding.culprit == problem.chunks[culprit - 1]);
            REQUIRE(outcome.history.size() <= ceil_log2(n) + 2);
            REQUIRE(outcome.history.size() <= worst_case_probes(problem));
        }
    }
}

TEST_CASE("linear enables chunks one step at a time and stops at the first leak") {
    const SearchProblem problem{chunk_names(6), SearchStrategy::linear};
    const Outcome outcome = run_search(problem, leaks_from(4));
    REQUIRE(outcome.finding.culprit == "chunk4");
    std::vector<std::size_t> prefixes;
    for (const Observation& observation : outcome.history) {
        prefixes.push_back(observation.prefix);
    }
    REQUIRE(prefixes == std::vector<std::size_t>{0, 6, 1, 2, 3, 4});
}

TEST_CASE("a skipped probe next to the culprit is stepped around") {
    const SearchProblem problem{chunk_names(8), SearchStrategy::bisect};
    SECTION("the skipped prefix is below the culprit") {
        const Outcome outcome = run_search(problem, [](std::size_t prefix) {
            if (prefix == 4) {
                return Verdict::skipped;
            }
            return prefix >= 6 ? Verdict::leak : Verdict::plateau;
        });
        REQUIRE(outcome.finding.kind == FindingKind::localized);
        REQUIRE(outcome.finding.culprit == "chunk6");
    }
    SECTION("the only prefix that separates two suspects is skipped") {
        const Outcome outcome = run_search(problem, [](std::size_t prefix) {
            if (prefix == 5) {
                return Verdict::skipped;
            }
            return prefix >= 6 ? Verdict::leak : Verdict::plateau;
        });
        REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
        REQUIRE(outcome.finding.suspects == std::vector<std::string>{"chunk5", "chunk6"});
    }
}

TEST_CASE("an inconclusive all-on probe ends the search as inconclusive") {
    const SearchProblem problem{chunk_names(3), SearchStrategy::bisect};
    const Outcome outcome = run_search(
        problem, [](std::size_t prefix) { return prefix == 0 ? Verdict::plateau : Verdict::inconclusive; });
    REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
}

TEST_CASE("replaying a partial history continues where it stopped") {
    const SearchProblem problem{chunk_names(8), SearchStrategy::bisect};
    const Outcome full = run_search(problem, leaks_from(3));
    std::vector<Observation> partial(full.history.begin(), full.history.begin() + 3);
    const auto step = next_step(problem, partial);
    REQUIRE(std::get<ProbeRequest>(step).prefix == full.history[3].prefix);
}

TEST_CASE("worst-case probe counts follow the strategy") {
    REQUIRE(worst_case_probes({chunk_names(8), SearchStrategy::bisect}) == 5);
    REQUIRE(worst_case_probes({chunk_names(9), SearchStrategy::bisect}) == 6);
    REQUIRE(worst_case_probes({chunk_names(8), SearchStrategy::linear}) == 9);
}
