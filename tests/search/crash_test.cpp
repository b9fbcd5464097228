#include "fake_oracle.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace leakbisect;
using namespace search_test;

namespace {

// SKIPPED (the app crashed after its retries) whenever any of `crashers` is on, else `then`.
Oracle crashes_with(std::vector<std::string> crashers, Oracle then) {
    return [crashers = std::move(crashers), then = std::move(then)](const ChunkSet& enabled) {
        for (const std::string& name : crashers) {
            if (enabled.count(name) == 1) {
                return Verdict::skipped;
            }
        }
        return then(enabled);
    };
}

bool any_request_with(const Outcome& outcome, const std::string& chunk, std::size_t after_probe) {
    for (std::size_t i = after_probe; i < outcome.history.size(); ++i) {
        const auto& on = outcome.history[i].enabled;
        if (std::find(on.begin(), on.end(), chunk) != on.end()) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_CASE("a chunk that crashes the app is found, left off, and the leak is localized among the rest") {
    const auto strategy = GENERATE(SearchStrategy::bisect, SearchStrategy::linear);
    SearchProblem problem{chunk_names(10), strategy};
    const Outcome outcome = run_search(problem, crashes_with({"chunk5"}, leaks_with({"chunk7"})));

    REQUIRE(outcome.finding.kind == FindingKind::localized);
    REQUIRE(outcome.finding.culprit == "chunk7");
    REQUIRE(outcome.finding.confirmation == ConfirmationResult::leaks_alone);
    REQUIRE(outcome.finding.left_off.size() == 1);
    const LeftOff& left_off = outcome.finding.left_off.front();
    REQUIRE(left_off.chunk == "chunk5");
    REQUIRE(left_off.crashed_with ==
            std::vector<std::string>{"chunk1", "chunk2", "chunk3", "chunk4", "chunk5"});
    REQUIRE(left_off.last_ran_with == std::vector<std::string>{"chunk1", "chunk2", "chunk3", "chunk4"});
    REQUIRE_THAT(outcome.finding.summary, Catch::Contains("'chunk7' is enabled") &&
                                              Catch::Contains("'chunk5' was left off") &&
                                              Catch::Contains("crash"));
    // Once found, the crashing chunk is never switched on again.
    const auto found_at =
        static_cast<std::size_t>(std::find_if(outcome.history.begin(), outcome.history.end(),
                                              [](const Observation& o) {
                                                  return o.role == ProbeRole::crash && o.enabled.size() == 5;
                                              }) -
                                 outcome.history.begin());
    REQUIRE(found_at < outcome.history.size());
    REQUIRE_FALSE(any_request_with(outcome, "chunk5", found_at + 1));
    if (strategy == SearchStrategy::bisect) {
        // 1..4 ran or 1..5 crashed, out of prefixes 1..9: at most ceil(log2 10) crash probes.
        REQUIRE(outcome.probes_in({ProbeRole::crash}) <= ceil_log2(10));
    }
}

TEST_CASE("with every other chunk plateauing, a crashing chunk left off makes the run inconclusive") {
    SearchProblem problem{chunk_names(6), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, crashes_with({"chunk3"}, leaks_with({"nothing"})));
    REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
    REQUIRE(outcome.finding.suspects == std::vector<std::string>{"chunk3"});
    REQUIRE_THAT(outcome.finding.summary,
                 Catch::Contains("every chunk on but 'chunk3'") && Catch::Contains("could not be seen"));
}

TEST_CASE("two crashing chunks are both left off, one after the other") {
    SearchProblem problem{chunk_names(9), SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, crashes_with({"chunk2", "chunk8"}, leaks_with({"chunk6"})));
    REQUIRE(outcome.finding.kind == FindingKind::localized);
    REQUIRE(outcome.finding.culprit == "chunk6");
    REQUIRE(outcome.finding.left_off.size() == 2);
    REQUIRE(outcome.finding.left_off[0].chunk == "chunk2");
    REQUIRE(outcome.finding.left_off[1].chunk == "chunk8");
    REQUIRE_THAT(outcome.finding.summary, Catch::Contains("'chunk2' + 'chunk8' were left off"));
}

TEST_CASE("a crash inside a chunk is narrowed to the sub-chunk, and only that is left off") {
    const auto strategy = GENERATE(SearchStrategy::bisect, SearchStrategy::linear);
    SearchProblem problem{{"a", "b", "b.x", "b.y", "b.y.p", "b.y.q", "b.z", "c", "d"}, strategy};
    const Outcome outcome = run_search(problem, crashes_with({"b.y.q"}, leaks_with({"b.z"})));
    REQUIRE(outcome.finding.kind == FindingKind::localized);
    REQUIRE(outcome.finding.culprit == "b.z"); // a leak beside the crash, in the same chunk
    REQUIRE(outcome.finding.left_off.size() == 1);
    const LeftOff& left_off = outcome.finding.left_off.front();
    REQUIRE(left_off.chunk == "b.y.q");
    REQUIRE(left_off.crashed_with == std::vector<std::string>{"a", "b", "b.x", "b.y", "b.y.p", "b.y.q"});
    REQUIRE(left_off.last_ran_with == std::vector<std::string>{"a", "b", "b.x", "b.y", "b.y.p"});
    const Observation& last_all_on =
        *std::find_if(outcome.history.rbegin(), outcome.history.rend(),
                      [](const Observation& o) { return o.role == ProbeRole::all_on; });
    REQUIRE(last_all_on.enabled ==
            std::vector<std::string>{"a", "b", "b.x", "b.y", "b.y.p", "b.z", "c", "d"});
    // Once its crash probe decided it, the crashing sub-chunk is never switched on again.
    const auto found_at = static_cast<std::size_t>(
        std::find_if(outcome.history.begin(), outcome.history.end(),
                     [&](const Observation& o) {
                         return o.role == ProbeRole::crash && o.enabled == left_off.crashed_with;
                     }) -
        outcome.history.begin());
    REQUIRE(found_at < outcome.history.size());
    REQUIRE_FALSE(any_request_with(outcome, "b.y.q", found_at + 1));
}

TEST_CASE("a chunk whose own code crashes the app is left off with all its sub-chunks") {
    SearchProblem problem{{"a", "b", "b.x", "b.y", "c", "d"}, SearchStrategy::bisect};
    // Every configuration with b on crashes, whichever of its sub-chunks are on.
    const Outcome outcome = run_search(problem, crashes_with({"b"}, leaks_with({"d"})));
    REQUIRE(outcome.finding.kind == FindingKind::localized);
    REQUIRE(outcome.finding.culprit == "d");
    REQUIRE(outcome.finding.left_off.size() == 1);
    REQUIRE(outcome.finding.left_off.front().chunk == "b");
    const Observation& last_all_on =
        *std::find_if(outcome.history.rbegin(), outcome.history.rend(),
                      [](const Observation& o) { return o.role == ProbeRole::all_on; });
    REQUIRE(last_all_on.enabled == std::vector<std::string>{"a", "c", "d"});
}

TEST_CASE("a crash that is only sometimes is not a crash: a probe that ran once keeps its chunk in") {
    SearchProblem problem{chunk_names(4), SearchStrategy::bisect};
    problem.confirm = Confirmation::skip;
    // The all-on probe crashed once, then ran and leaked: the search needs its verdict, not a crash search.
    const std::vector<Observation> history{{{}, Verdict::plateau, 0, ProbeRole::baseline},
                                           {chunk_names(4), Verdict::skipped, 0, ProbeRole::all_on},
                                           {chunk_names(4), Verdict::leak, 900, ProbeRole::all_on}};
    const SearchStep step = next_step(problem, history);
    REQUIRE(std::get<ProbeRequest>(step).role == ProbeRole::step);
}

TEST_CASE("a crashed probe's reason is kept for the finding") {
    SearchProblem problem{chunk_names(2), SearchStrategy::bisect};
    problem.confirm = Confirmation::skip;
    const std::vector<Observation> history{
        {{}, Verdict::plateau, 0, ProbeRole::baseline},
        {chunk_names(2), Verdict::skipped, 0, ProbeRole::all_on, LoadExtent::short_of_cap,
         "after 3 attempts: the app was killed by signal 6 (SIGABRT) during the load"},
        {{"chunk1"}, Verdict::leak, 900, ProbeRole::crash},
    };
    const auto finding = std::get<Finding>(next_step(problem, history));
    REQUIRE(finding.kind == FindingKind::localized);
    REQUIRE(finding.left_off.front().chunk == "chunk2");
    REQUIRE_THAT(finding.summary, Catch::Contains("SIGABRT"));
}

TEST_CASE("a lone chunk that crashes the app leaves only the baseline: inconclusive, naming it") {
    SearchProblem problem{{"only", "only.part"}, SearchStrategy::bisect};
    const Outcome outcome = run_search(problem, crashes_with({"only"}, leaks_with({"only"})));
    REQUIRE(outcome.finding.kind == FindingKind::inconclusive);
    REQUIRE(outcome.finding.suspects == std::vector<std::string>{"only"});
}
