#include "fake_oracle.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;
using namespace search_test;

namespace {

// Eight top-level chunks; the last, "panel", has three sub-chunks, and "panel.warnings" has two.
std::vector<std::string> nested_chunks() {
    std::vector<std::string> names = chunk_names(7);
    for (const char* name : {"panel", "panel.count", "panel.warnings", "panel.warnings.has_warnings",
                             "panel.warnings.render", "panel.badge"}) {
        names.emplace_back(name);
    }
    return names;
}

} // namespace

TEST_CASE("a culprit that is a sub-chunk of the last chunk is found with the path above it") {
    SearchProblem problem{nested_chunks(), SearchStrategy::bisect};
    problem.confirm = Confirmation::skip;
    const Outcome outcome = run_search(problem, leaks_with({"panel.count"}));
    REQUIRE(outcome.finding.kind == FindingKind::localized);
    REQUIRE(outcome.finding.culprit == "panel.count");
    REQUIRE(outcome.finding.path == std::vector<std::string>{"panel", "panel.count"});
    REQUIRE_FALSE(outcome.finding.culprit_own_code);
    // baseline, all-on, 3 over the top level, 2 over the panel's own code and 3 sub-chunks
    REQUIRE(outcome.history.size() <= 2 + 3 + 2);
    REQUIRE(outcome.history.size() <= worst_case_probes(problem));
}

TEST_CASE("narrowing goes down every level to the deepest guilty call") {
    SearchProblem problem{nested_chunks(), SearchStrategy::bisect};
    problem.confirm = Confirmation::skip;
    const Outcome outcome = run_search(problem, leaks_with({"panel.warnings.has_warnings"}));
    REQUIRE(outcome.finding.culprit == "panel.warnings.has_warnings");
    REQUIRE(outcome.finding.path ==
            std::vector<std::string>{"panel", "panel.warnings", "panel.warnings.has_warnings"});
    REQUIRE(outcome.probes_in({ProbeRole::narrow}) <= 2 + 2);
    SECTION("the last plateau has the parent on and the culprit off") {
        const auto& plateau = outcome.finding.last_plateau.enabled;
        REQUIRE(std::count(plateau.begin(), plateau.end(), "panel.warnings") == 1);
        REQUIRE(std::count(plateau.begin(), plateau.end(), "panel.warnings.has_warnings") == 0);
        REQUIRE(outcome.finding.last_plateau.verdict == Verdict::plateau);
        REQUIRE(outcome.finding.first_leak.verdict == Verdict::leak);
    }
}

TEST_CASE("a leak in the parent's own code stops the narrowing there") {
    SearchProblem problem{nested_chunks(), SearchStrategy::linear};
    problem.confirm = Confirmation::skip;
    const Outcome outcome = run_search(problem, leaks_with({"panel.warnings"}));
    REQUIRE(outcome.finding.culprit == "panel.warnings");
    REQUIRE(outcome.finding.culprit_own_code);
    REQUIRE(outcome.finding.path == std::vector<std::string>{"panel", "panel.warnings"});
}

TEST_CASE("without narrowing the finding is the top-level chunk") {
    SearchProblem problem{nested_chunks(), SearchStrategy::bisect};
    problem.confirm = Confirmation::skip;
    problem.narrow = Narrowing::skip;
    const Outcome outcome = run_search(problem, leaks_with({"panel.warnings.render"}));
    REQUIRE(outcome.finding.culprit == "panel");
    REQUIRE(outcome.probes_in({ProbeRole::narrow}) == 0);
}

TEST_CASE("a sub-chunk culprit is confirmed alone with its parents on") {
    SearchProblem problem{nested_chunks(), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, leaks_with({"panel.warnings.render"}));
    REQUIRE(outcome.finding.confirmation == ConfirmationResult::leaks_alone);
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"panel.warnings.render"});
    const auto confirm = std::find_if(outcome.history.begin(), outcome.history.end(),
                                      [](const Observation& o) { return o.role == ProbeRole::confirm; });
    REQUIRE(confirm != outcome.history.end());
    REQUIRE(confirm->enabled == std::vector<std::string>{"panel", "panel.warnings", "panel.warnings.render"});
}

TEST_CASE("a chunk the culprit leaks together with is narrowed into its sub-chunks like the culprit") {
    SearchProblem problem{{"a", "a.x", "a.y", "a.z", "b", "c"}, SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, leaks_with({"a.y", "c"}));
    REQUIRE(outcome.finding.kind == FindingKind::localized);
    REQUIRE(outcome.finding.culprit == "c");
    REQUIRE(outcome.finding.confirmation == ConfirmationResult::leaks_with_others);
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"c", "a.y"});
    REQUIRE_THAT(outcome.finding.summary, Catch::Contains("'c' + 'a.y'"));
}

TEST_CASE("without narrowing, a partner is named at the level it was found") {
    SearchProblem problem{{"a", "a.x", "a.y", "a.z", "b", "c"}, SearchStrategy::bisect};
    problem.narrow = Narrowing::skip;
    const Outcome outcome = run_search(problem, leaks_with({"a.y", "c"}));
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"c", "a"});
}

TEST_CASE("a partner whose own code is needed keeps its name") {
    SearchProblem problem{{"a", "a.x", "a.y", "b", "c"}, SearchStrategy::linear};
    const Outcome outcome = run_search(problem, leaks_with({"a", "c"}));
    // "a" on with neither sub-chunk already leaks with "c": its own code is the partner.
    REQUIRE(outcome.finding.culprits == std::vector<std::string>{"c", "a"});
}
