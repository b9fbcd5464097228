#include "fake_probe_runner.hpp"

#include <algorithm>

using namespace run_test;

namespace {

std::vector<ChunkSet> enabled_sets(const std::vector<ProbeRecord>& records) {
    std::vector<ChunkSet> sets;
    for (const ProbeRecord& record : records) {
        sets.emplace_back(record.enabled.begin(), record.enabled.end());
    }
    return sets;
}

std::size_t count(const std::vector<RecordRole>& roles, RecordRole role) {
    return static_cast<std::size_t>(std::count(roles.begin(), roles.end(), role));
}

} // namespace

TEST_CASE("run walks the stages in order and exits 10 when the leak is localized") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c3.x"}));
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLocalized);

    const std::vector<RecordRole> roles = scratch.roles();
    REQUIRE(roles.size() == runner.calls.size());
    REQUIRE(roles.at(0) == RecordRole::baseline);
    REQUIRE(roles.at(1) == RecordRole::all_on);
    // Then the top-level search, the narrowing inside c3, the culprit alone and the two re-checks.
    const auto first_narrow = std::find(roles.begin(), roles.end(), RecordRole::narrow);
    REQUIRE(
        std::all_of(roles.begin() + 2, first_narrow, [](RecordRole r) { return r == RecordRole::bisect; }));
    REQUIRE(count(roles, RecordRole::bisect) >= 1);
    REQUIRE(count(roles, RecordRole::narrow) >= 1);
    REQUIRE(count(roles, RecordRole::confirm) == 1);
    REQUIRE(count(roles, RecordRole::recheck) == 2);
    REQUIRE(roles.back() == RecordRole::recheck);
    REQUIRE(std::is_sorted(roles.begin(), roles.end(), [](RecordRole a, RecordRole b) {
        const auto order = [](RecordRole role) {
            return role == RecordRole::recheck ? 2 : role == RecordRole::confirm;
        };
        return order(a) < order(b);
    }));

    const std::vector<ProbeRecord> journal = scratch.journal();
    for (std::size_t i = 0; i < journal.size(); ++i) {
        REQUIRE(journal[i].index == i + 1);
        REQUIRE(std::filesystem::exists(scratch.run_folder() / journal[i].directory / "memory.csv"));
    }
    REQUIRE(journal.front().directory == "probes/001-baseline");
    REQUIRE(std::filesystem::exists(scratch.run_folder() / "report.json"));
    REQUIRE(std::filesystem::exists(scratch.run_folder() / "report.md"));
    const std::string text = fixture.output.text();
    REQUIRE_THAT(text, Catch::Contains("'c3.x'"));
    REQUIRE_THAT(text, Catch::Contains("probe 1 (of at most"));
}

TEST_CASE("the linear strategy journals its steps as linear") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c5"}));
    REQUIRE(run_search(scratch.options(Strategy::linear), fixture.probing(runner)) == kExitLocalized);
    const std::vector<RecordRole> roles = scratch.roles();
    REQUIRE(count(roles, RecordRole::linear) >= 1);
    REQUIRE(count(roles, RecordRole::bisect) == 0);
}

TEST_CASE("every probe is journaled before the next one starts") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c4"}));
    std::vector<std::size_t> journaled_before;
    runner.during_probe = [&](std::size_t, const ProbeContext& context) {
        const auto file = context.run_dir / "journal.jsonl";
        journaled_before.push_back(std::filesystem::exists(file) ? read_journal(file)->size() : 0);
    };
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLocalized);
    for (std::size_t i = 0; i < journaled_before.size(); ++i) {
        REQUIRE(journaled_before[i] == i);
    }
}

TEST_CASE("probes after a plateauing baseline are judged against the baseline's trace") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c2"}));
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLocalized);
    REQUIRE_FALSE(runner.calls.front().judged_against_reference);
    REQUIRE(std::all_of(runner.calls.begin() + 1, runner.calls.end(),
                        [](const Call& call) { return call.judged_against_reference; }));
}

TEST_CASE("each outcome of the search has its exit code") {
    const Scratch scratch;
    Fixture fixture;

    SECTION("0 when memory plateaus with every chunk on, after two probes") {
        FakeProbeRunner runner(always(Verdict::plateau));
        REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitNoLeak);
        REQUIRE(scratch.roles() == std::vector<RecordRole>{RecordRole::baseline, RecordRole::all_on});
    }
    SECTION("11 when memory grows with every chunk off and the chunks add nothing to it") {
        // Probes after a growing baseline are judged against it: PLATEAU here means "no more".
        FakeProbeRunner runner([](const ProbeContext& context) {
            return context.enabled.empty() ? Verdict::leak : Verdict::plateau;
        });
        REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLeakOutsideChunks);
        REQUIRE(scratch.roles() == std::vector<RecordRole>{RecordRole::baseline, RecordRole::all_on});
        REQUIRE(runner.calls.back().judged_against_reference);
    }
    SECTION("10 when a chunk leaks on top of a baseline that grows on its own") {
        const Script c3 = leaks_with({"c3"});
        FakeProbeRunner runner([&c3](const ProbeContext& context) {
            return context.enabled.empty() ? Verdict::leak : c3(context);
        });
        REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLocalized);
        REQUIRE(std::all_of(runner.calls.begin() + 1, runner.calls.end(),
                            [](const Call& call) { return call.judged_against_reference; }));
    }
    SECTION("12 when the verdicts stay inconclusive") {
        FakeProbeRunner runner(always(Verdict::inconclusive));
        REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitInconclusive);
    }
    SECTION("3 when the app never runs") {
        FakeProbeRunner runner(always(Verdict::skipped));
        REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitAppFailed);
        REQUIRE_THAT(scratch.journal().front().failure, Catch::Contains("attempts"));
    }
    SECTION("1 when the journal cannot be written, and no further probe runs") {
        FakeProbeRunner runner(always(Verdict::plateau));
        runner.during_probe = [](std::size_t, const ProbeContext& context) {
            std::filesystem::create_directories(context.run_dir / "journal.jsonl"); // appending now fails
        };
        REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitInternal);
        REQUIRE(runner.calls.size() == 1);
    }
    SECTION("2 for a recipe that does not parse, and nothing runs") {
        REQUIRE(write_text_file(scratch.recipe_file(), "[app\n").has_value());
        FakeProbeRunner runner(always(Verdict::plateau));
        REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitBadUsage);
        REQUIRE(runner.calls.empty());
        REQUIRE_THAT(fixture.output.text(), Catch::Contains("recipe.toml:1"));
    }
}

TEST_CASE("Ctrl-C during a probe exits 130 without journaling it, and says how to resume") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c3"}));
    runner.interrupted_probe = 3;
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitInterrupted);
    REQUIRE(runner.calls.size() == 3);
    REQUIRE(scratch.journal().size() == 2);
    REQUIRE_THAT(fixture.output.text(), Catch::Contains("continue with: leakbisect resume"));
}

TEST_CASE("Ctrl-C as a probe finishes keeps that probe and stops before the next") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c3"}));
    runner.during_probe = [&fixture](std::size_t call, const ProbeContext&) {
        if (call == 3) {
            fixture.interrupt.store(true);
        }
    };
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitInterrupted);
    REQUIRE(runner.calls.size() == 3);
    REQUIRE(scratch.journal().size() == 3);
}

TEST_CASE("resume replays the journal without re-running a probe and reaches the same finding") {
    const Scratch uninterrupted;
    Fixture whole;
    FakeProbeRunner straight(leaks_with({"c3.y"}));
    const ExitCode expected = run_search(uninterrupted.options(), whole.probing(straight));
    REQUIRE(expected == kExitLocalized);

    const Scratch scratch;
    Fixture first;
    FakeProbeRunner before(leaks_with({"c3.y"}));
    before.interrupted_probe = 5;
    REQUIRE(run_search(scratch.options(), first.probing(before)) == kExitInterrupted);
    const std::filesystem::path folder = scratch.run_folder();
    // The interrupted probe's folder is left behind; the resumed probe starts it afresh.
    REQUIRE(std::filesystem::exists(before.calls.back().probe_dir));

    Fixture second;
    FakeProbeRunner after(leaks_with({"c3.y"}));
    REQUIRE(resume_search(folder, second.probing(after)) == expected);
    REQUIRE(after.calls.size() == straight.calls.size() - 4);
    REQUIRE(enabled_sets(scratch.journal()) == enabled_sets(uninterrupted.journal()));
    REQUIRE(scratch.roles() == uninterrupted.roles());
    REQUIRE_THAT(second.output.text(), Catch::Contains("after 4 journaled probes"));

    SECTION("a finished run resumes to its finding without a probe") {
        Fixture third;
        FakeProbeRunner none(always(Verdict::inconclusive));
        REQUIRE(resume_search(folder, third.probing(none)) == expected);
        REQUIRE(none.calls.empty());
    }
    SECTION("report re-renders it from the journal with the same exit code") {
        std::filesystem::remove(folder / "report.md");
        Fixture third;
        REQUIRE(rewrite_reports(folder, {"markdown"}, third.output.console()) == expected);
        REQUIRE(std::filesystem::exists(folder / "report.md"));
    }
}

TEST_CASE("report on an unfinished run exits 2 and points to resume") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c6"}));
    runner.interrupted_probe = 3;
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitInterrupted);
    Fixture again;
    REQUIRE(rewrite_reports(scratch.run_folder(), {}, again.output.console()) == kExitBadUsage);
    REQUIRE_THAT(again.output.text(), Catch::Contains("is unfinished"));
}

TEST_CASE("resume refuses a folder that is not a run folder with exit 2") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(always(Verdict::plateau));
    REQUIRE(resume_search(scratch.recipe_file().parent_path(), fixture.probing(runner)) == kExitBadUsage);
    REQUIRE(runner.calls.empty());
    REQUIRE_THAT(fixture.output.text(), Catch::Contains("not a leakbisect run folder"));
}

TEST_CASE("measure runs one probe with the chunks' parents and sub-chunks, and exits by its verdict") {
    const Scratch scratch;
    Fixture fixture;
    const auto measure = [&](Verdict verdict) {
        FakeProbeRunner runner(always(verdict));
        const ExitCode code = measure_chunks(
            {scratch.recipe_file(), std::vector<std::string>{"c3"}, scratch.runs()}, fixture.probing(runner));
        REQUIRE(runner.calls.size() == 1);
        REQUIRE(runner.calls.front().enabled == ChunkSet{"c3", "c3.x", "c3.y"});
        return code;
    };
    REQUIRE(measure(Verdict::plateau) == kExitNoLeak);
    REQUIRE(measure(Verdict::leak) == kExitLocalized);
    REQUIRE(measure(Verdict::inconclusive) == kExitInconclusive);
    REQUIRE(measure(Verdict::invalid) == kExitInconclusive);
    REQUIRE(measure(Verdict::skipped) == kExitAppFailed);

    SECTION("an unknown chunk is bad usage") {
        FakeProbeRunner runner(always(Verdict::plateau));
        REQUIRE(measure_chunks({scratch.recipe_file(), std::vector<std::string>{"nope"}, scratch.runs()},
                               fixture.probing(runner)) == kExitBadUsage);
        REQUIRE(runner.calls.empty());
        REQUIRE_THAT(fixture.output.text(), Catch::Contains("no chunk named 'nope'") &&
                                                Catch::Contains("its chunks: c1, c2, c3, c3.x, c3.y, c4"));
    }
    SECTION("a mistyped chunk gets the nearest as a suggestion") {
        FakeProbeRunner runner(always(Verdict::plateau));
        REQUIRE(measure_chunks({scratch.recipe_file(), std::vector<std::string>{"c3.xx"}, scratch.runs()},
                               fixture.probing(runner)) == kExitBadUsage);
        REQUIRE_THAT(fixture.output.text(), Catch::Contains("did you mean 'c3.x'?"));
    }
    SECTION("Ctrl-C exits 130") {
        FakeProbeRunner runner(always(Verdict::plateau));
        runner.interrupted_probe = 1;
        REQUIRE(measure_chunks({scratch.recipe_file(), std::nullopt, scratch.runs()},
                               fixture.probing(runner)) == kExitInterrupted);
    }
}

TEST_CASE("a configuration INCONCLUSIVE twice at max_requests is not run a third time") {
    const Scratch scratch("[verdict]\nmax_requests = 3000\n"); // the fake's probes all run 3,000 requests
    Fixture fixture;
    FakeProbeRunner runner([](const ProbeContext& context) {
        return context.enabled.empty() ? Verdict::plateau : Verdict::inconclusive;
    });
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitInconclusive);
    REQUIRE(scratch.roles() ==
            std::vector<RecordRole>{RecordRole::baseline, RecordRole::all_on, RecordRole::all_on});
}
