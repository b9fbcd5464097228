#include "fake_probe_runner.hpp"

using namespace run_test;

namespace {

// The verdict of each page, by its path.
Script pages(Verdict a, Verdict b) {
    return
        [a, b](const ProbeContext& context) { return context.recipe->load.mix.front().path == "/a" ? a : b; };
}

} // namespace

TEST_CASE("survey runs one probe per page, every chunk on, each page alone") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(pages(Verdict::plateau, Verdict::leak));
    REQUIRE(survey_pages({scratch.recipe_file(), scratch.runs()}, fixture.probing(runner)) == kExitLocalized);
    REQUIRE(runner.calls.size() == 2);
    REQUIRE(runner.calls[0].page == "GET /a");
    REQUIRE(runner.calls[1].page == "GET /b");
    REQUIRE(runner.calls[0].enabled.size() == 8);
    const std::vector<ProbeRecord> journal = scratch.journal();
    REQUIRE(journal.at(1).role == RecordRole::survey);
    REQUIRE(journal.at(1).page == "GET /b");
    REQUIRE(journal.at(1).directory == "probes/002-survey");
    REQUIRE_THAT(fixture.output.text(), Catch::Contains("1. GET /b"));
}

TEST_CASE("each outcome of a survey has its exit code") {
    const Scratch scratch;
    Fixture fixture;
    const auto survey = [&](Verdict a, Verdict b) {
        FakeProbeRunner runner(pages(a, b));
        return survey_pages({scratch.recipe_file(), scratch.runs()}, fixture.probing(runner));
    };
    REQUIRE(survey(Verdict::plateau, Verdict::plateau) == kExitNoLeak);
    REQUIRE(survey(Verdict::inconclusive, Verdict::leak) == kExitLocalized);
    REQUIRE(survey(Verdict::plateau, Verdict::inconclusive) == kExitInconclusive);
    REQUIRE(survey(Verdict::skipped, Verdict::skipped) == kExitAppFailed);
}

TEST_CASE("an interrupted survey exits 130, and its folder does not resume") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(pages(Verdict::plateau, Verdict::leak));
    runner.interrupted_probe = 2;
    REQUIRE(survey_pages({scratch.recipe_file(), scratch.runs()}, fixture.probing(runner)) ==
            kExitInterrupted);
    REQUIRE(scratch.journal().size() == 1);

    Fixture again;
    FakeProbeRunner resumed(always(Verdict::plateau));
    REQUIRE(resume_search(scratch.run_folder(), again.probing(resumed)) == kExitBadUsage);
    REQUIRE(resumed.calls.empty());
    REQUIRE_THAT(again.output.text(), Catch::Contains("does not resume"));
}

TEST_CASE("report re-ranks a survey from its journal with the survey's exit code") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(pages(Verdict::leak, Verdict::plateau));
    REQUIRE(survey_pages({scratch.recipe_file(), scratch.runs()}, fixture.probing(runner)) == kExitLocalized);
    Fixture again;
    REQUIRE(rewrite_reports(scratch.run_folder(), {"json"}, again.output.console()) == kExitLocalized);
}
