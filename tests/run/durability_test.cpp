// The run folder survives what a night can do to it: a report the file system refuses ends the
// run with exit 1 (never 10) and leaves the journal whole; a resume without the baseline's curve
// is refused instead of judging later probes differently; the folder is its owner's alone.
#include "fake_probe_runner.hpp"

#include <sys/stat.h>

using namespace run_test;

namespace {

unsigned permission_bits(const std::filesystem::path& path) {
    struct stat status {};
    REQUIRE(::stat(path.c_str(), &status) == 0);
    return status.st_mode & 0777U;
}

} // namespace

TEST_CASE("a report that cannot be written ends the run with exit 1, and report writes it later") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c4"}));
    // A folder where report.md belongs: rename(2) refuses it even to root, as a full disk would.
    runner.during_probe = [](std::size_t call, const ProbeContext& context) {
        if (call == 1) {
            std::filesystem::create_directories(context.run_dir / "report.md" / "taken");
        }
    };
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitInternal);
    const std::string text = fixture.output.text();
    REQUIRE_THAT(text, Catch::Contains("report.md: cannot put the file in place: Is a directory"));
    REQUIRE_THAT(text, Catch::Contains("leakbisect report " + scratch.run_folder().string()));
    REQUIRE(scratch.journal().size() == runner.calls.size());
    // No temporary file is left behind, and the report written before it is whole.
    for (const auto& entry : std::filesystem::directory_iterator(scratch.run_folder())) {
        REQUIRE_THAT(entry.path().filename().string(), !Catch::EndsWith(".tmp"));
    }

    std::filesystem::remove_all(scratch.run_folder() / "report.md");
    Fixture again;
    REQUIRE(rewrite_reports(scratch.run_folder(), {}, again.output.console()) == kExitLocalized);
    REQUIRE(std::filesystem::file_size(scratch.run_folder() / "report.md") > 0);
}

TEST_CASE("report exits 1, not with the finding, when a report cannot be written") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(leaks_with({"c2"}));
    REQUIRE(run_search(scratch.options(), fixture.probing(runner)) == kExitLocalized);
    std::filesystem::remove(scratch.run_folder() / "report.json");
    std::filesystem::create_directories(scratch.run_folder() / "report.json" / "taken");
    Fixture again;
    REQUIRE(rewrite_reports(scratch.run_folder(), {}, again.output.console()) == kExitInternal);
    REQUIRE_THAT(again.output.text(), Catch::Contains("report.json") && Catch::Contains("Is a directory"));
}

TEST_CASE("resume without the baseline's curve is refused, naming it, instead of judging without it") {
    const Scratch scratch;
    Fixture first;
    FakeProbeRunner before(leaks_with({"c3.y"}));
    before.interrupted_probe = 4;
    REQUIRE(run_search(scratch.options(), first.probing(before)) == kExitInterrupted);
    const std::filesystem::path folder = scratch.run_folder();
    std::filesystem::remove_all(folder / "probes/001-baseline");

    Fixture second;
    FakeProbeRunner after(leaks_with({"c3.y"}));
    REQUIRE(resume_search(folder, second.probing(after)) == kExitBadUsage);
    REQUIRE(after.calls.empty());
    const std::string text = second.output.text();
    REQUIRE_THAT(text, Catch::Contains("probes/001-baseline/memory.csv") &&
                           Catch::Contains("the baseline's curve") && Catch::Contains("start a new run"));
    REQUIRE(scratch.journal().size() == 3);
}

TEST_CASE("the run folder is its owner's alone and its recipe copy is not world-readable") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(always(Verdict::plateau));
    const ::mode_t old_mask = ::umask(0022);
    const ExitCode code = run_search(scratch.options(), fixture.probing(runner));
    ::umask(old_mask);
    REQUIRE(code == kExitNoLeak);
    REQUIRE(permission_bits(scratch.run_folder()) == 0700);
    REQUIRE(permission_bits(scratch.run_folder() / "recipe.toml") == 0600);
}

TEST_CASE("measure whose run folder cannot be made exits 1 naming it, not 2") {
    const Scratch scratch;
    Fixture fixture;
    FakeProbeRunner runner(always(Verdict::plateau));
    REQUIRE(write_text_file(scratch.runs(), "a file where the runs folder belongs").has_value());
    const ExitCode code = measure_chunks(
        {scratch.recipe_file(), std::vector<std::string>{"c1"}, scratch.runs()}, fixture.probing(runner));
    REQUIRE(code == kExitInternal);
    REQUIRE(runner.calls.empty());
    REQUIRE_THAT(fixture.output.text(), Catch::Contains(scratch.runs().string()));
}
