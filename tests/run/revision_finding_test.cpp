// Commit-range mode's findings in commit terms: a good that grows is named as such, never as memory
// "outside the chunks".
#include "revision_session.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

namespace {

RevisionRange three_commits() {
    RevisionRange range;
    range.good = {"0000000000aaaa", "The order page as released", "Ann <ann@example.com>", "2026-11-20"};
    range.commits = {{"1111111111bbbb", "Tidy", "Ann <ann@example.com>", "2026-11-21"},
                     {"2222222222cccc", "Keep every audit entry", "Ann <ann@example.com>", "2026-11-22"},
                     {"3333333333dddd", "Trim", "Ann <ann@example.com>", "2026-11-23"}};
    range.bad = range.commits.back();
    return range;
}

} // namespace

TEST_CASE("a commit found on top of a good that grows says good grows, in commit terms") {
    Finding finding;
    finding.kind = FindingKind::localized;
    finding.culprit = "2222222222cccc";
    finding.first_leak.pooled_rate = 4096;
    finding.grows_outside_chunks = true;
    finding.outside_rate = 300;
    finding.summary =
        std::string("memory stops plateauing when '2222222222cccc' is enabled; re-checked: both "
                    "boundary verdicts held") +
        std::string(kOutsideGrowthNote) +
        " (about 300 B/request): something outside the chunks grows too, and every probe was "
        "judged against it";
    const Finding told = told_in_commits(finding, three_commits());
    INFO(told.summary);
    CHECK_THAT(told.summary, Catch::StartsWith("memory stops plateauing at commit 2222222222"));
    CHECK_THAT(told.summary,
               Catch::Contains("; re-checked: both boundary verdicts held; memory also grows at "
                               "good (about 300 B/request), and every commit was judged against "
                               "good's curve"));
    CHECK_THAT(told.summary, !Catch::Contains("chunk"));
}

TEST_CASE("a good that grows with a bad no faster tells the user to pick an older good") {
    Finding finding;
    finding.kind = FindingKind::leak_outside_chunks;
    finding.summary = "memory grows with every chunk off: the leak is outside the chunks";
    const Finding told = told_in_commits(finding, three_commits());
    CHECK_THAT(told.summary, Catch::Contains("it already leaks at good") &&
                                 Catch::Contains("bad was not seen to grow faster") &&
                                 Catch::Contains("pick an older good") && !Catch::Contains("chunk"));
}
