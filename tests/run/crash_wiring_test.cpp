#include "fake_probe_runner.hpp"

#include "leakbisect/core/files.hpp"

#include <algorithm>

using namespace run_test;

namespace {

// SKIPPED (the app crashed after its retries) whenever `crasher` is on, else `then`.
Script crashes_with(std::string crasher, Script then) {
    return [crasher = std::move(crasher), then = std::move(then)](const ProbeContext& context) {
        return context.enabled.count(crasher) == 1 ? Verdict::skipped : then(context);
    };
}

std::string report_json(const Scratch& scratch) {
    const auto text = read_text_file(scratch.run_folder() / "report.json", ErrorKind::io);
    REQUIRE(text.has_value());
    return *text;
}

// The same page whatever is on: the chunk variables do not reach the app.
std::vector<std::string> same_page(const ProbeContext&) {
    return {"200 1014 9e0cecfd14f1bdc2", "200 2040 0b0510e764394c2e"};
}

// A page that grows with every chunk on.
std::vector<std::string> page_of_chunks(const ProbeContext& context) {
    const std::size_t bytes = 1000 + 700 * context.enabled.size();
    return {"200 " + std::to_string(bytes) + " 9e0cecfd14f1bdc2", "200 2040 0b0510e764394c2e"};
}

} // namespace

TEST_CASE("run leaves a crashing chunk off, localizes the leak elsewhere, exits 10, and resumes the same") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(crashes_with("c2", leaks_with({"c5"})));
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLocalized);

    const std::vector<RecordRole> roles = scratch.roles();
    REQUIRE(std::count(roles.begin(), roles.end(), RecordRole::crash) >= 1);
    // Once the crash search is over, c2 is never on again.
    const std::vector<ProbeRecord> journal = scratch.journal();
    const auto found =
        std::find_if(journal.rbegin(), journal.rend(),
                     [](const ProbeRecord& record) { return record.role == RecordRole::crash; })
            .base() -
        1;
    REQUIRE(found->role == RecordRole::crash);
    REQUIRE(std::none_of(found + 1, journal.end(), [](const ProbeRecord& record) {
        return std::find(record.enabled.begin(), record.enabled.end(), "c2") != record.enabled.end();
    }));
    const std::string report = report_json(scratch);
    REQUIRE_THAT(report, Catch::Contains("\"left_off\"") && Catch::Contains("\"chunk\": \"c2\"") &&
                             Catch::Contains("\"culprit\": \"c5\""));
    REQUIRE_THAT(fixture.output.text(), Catch::Contains("'c2' was left off"));

    // Resume from the journal cut after the crash search: the same finding, no journaled probe again.
    const std::size_t kept = static_cast<std::size_t>(found - journal.begin()) + 1;
    std::string cut;
    for (std::size_t i = 0; i < kept; ++i) {
        cut += to_json_line(journal[i]) + "\n";
    }
    REQUIRE(write_text_file(scratch.run_folder() / "journal.jsonl", cut).has_value());
    Fixture again;
    FakeProbeRunner resumed(crashes_with("c2", leaks_with({"c5"})));
    REQUIRE(resume_search(scratch.run_folder(), again.probing(resumed)) == kExitLocalized);
    REQUIRE(kept + resumed.calls.size() == journal.size());
    REQUIRE_THAT(report_json(scratch), Catch::Contains("\"chunk\": \"c2\""));
}

TEST_CASE("the same responses and the same memory with every chunk on: wiring no-effect, exit 12, not 11") {
    const Scratch scratch;
    Fixture fixture;
    // The baseline grows, and every chunk on adds nothing to it: "outside the chunks", were the
    // chunks seen to switch anything.
    FakeProbeRunner runner([](const ProbeContext& context) {
        return context.enabled.empty() ? Verdict::leak : Verdict::plateau;
    });
    runner.answers = same_page;
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitInconclusive);
    REQUIRE_THAT(report_json(scratch), Catch::Contains("\"wiring\": \"no-effect\""));
    REQUIRE_THAT(fixture.output.text(), Catch::Contains("do not seem to reach the app"));
}

TEST_CASE("responses that change with the chunks make the same run's answer trusted: wiring ok, exit 11") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner([](const ProbeContext& context) {
        return context.enabled.empty() ? Verdict::leak : Verdict::plateau;
    });
    runner.answers = page_of_chunks;
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLeakOutsideChunks);
    REQUIRE_THAT(report_json(scratch), Catch::Contains("\"wiring\": \"ok\""));
}

TEST_CASE("a leak localized to a chunk shows the wiring even when the pages look alike") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c4"}));
    runner.answers = same_page;
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLocalized);
    REQUIRE_THAT(report_json(scratch), Catch::Contains("\"wiring\": \"ok\""));
}

TEST_CASE("without recorded responses the wiring is not checked and the finding stands") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(always(Verdict::plateau));
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitNoLeak);
    REQUIRE_THAT(report_json(scratch), Catch::Contains("\"wiring\": \"not-checked\""));
}
