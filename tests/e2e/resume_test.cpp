// End-to-end: Ctrl-C in the middle of a run stops and reaps the app, exits 130, and
// `leakbisect resume` finishes the search without running a journaled probe again.
#include "e2e_support.hpp"

#include "leakbisect/memory/sampler.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace e2e;

namespace {} // namespace

TEST_CASE("an interrupted run stops its app, exits 130, and resumes without repeating a probe") {
    const Scratch scratch;
    ShopRecipe shop;
    shop.requests = 20000; // long enough probes to interrupt one in the middle
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const auto runs = scratch.dir / "runs";

    const pid_t pid =
        spawn_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "first.txt");
    const std::filesystem::path journal = wait_for_journal_lines(runs, 2);
    REQUIRE(journal_lines(journal).size() >= 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // into the third probe's load
    const std::vector<pid_t> apps = leakbisect::descendants_of(pid);
    REQUIRE(apps.size() == 1); // the app was running when interrupted
    REQUIRE(::kill(pid, SIGINT) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 130);
    REQUIRE(::kill(apps.front(), 0) == -1); // stopped and reaped, not orphaned

    const std::vector<std::string> before = journal_lines(journal);
    const Result resumed =
        run_leakbisect({"resume", journal.parent_path().string()}, scratch.dir / "second.txt");
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 10);
    REQUIRE_THAT(resumed.output, Catch::Contains("warnings_panel"));
    const std::vector<std::string> after = journal_lines(journal);
    REQUIRE(after.size() > before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        REQUIRE(after[i] == before[i]); // journaled probes were not run again
    }
    const auto report = read_report(journal.parent_path());
    REQUIRE(report.at("finding").as_object().at("culprit").as_string() == "warnings_panel");
}

TEST_CASE("a journal torn mid-write resumes with that probe again, and stays readable") {
    const Scratch scratch;
    const auto recipe = write_shop_recipe(scratch.dir, ShopRecipe{});
    const auto runs = scratch.dir / "runs";
    const Result first =
        run_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "first.txt");
    REQUIRE(first.exit_code == 10);
    const auto run_dir = only_run_folder(runs);
    const auto journal = run_dir / "journal.jsonl";
    std::vector<std::string> lines = journal_lines(journal);
    REQUIRE(lines.size() >= 4);
    // A kill (or a full disk) in the middle of writing the fourth record: the rest never came.
    lines.resize(4);
    {
        std::ofstream out(journal, std::ios::trunc);
        for (std::size_t i = 0; i < 3; ++i) {
            out << lines[i] << "\n";
        }
        out << lines[3].substr(0, lines[3].size() / 2);
    }
    const Result resumed = run_leakbisect({"resume", run_dir.string()}, scratch.dir / "second.txt");
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 10);
    REQUIRE_THAT(resumed.output, Catch::Contains("torn mid-write"));
    REQUIRE(std::filesystem::exists(run_dir / "journal.torn"));
    const std::vector<std::string> after = journal_lines(journal);
    for (std::size_t i = 0; i < 3; ++i) {
        REQUIRE(after[i] == lines[i]);
    }
    const Result again = run_leakbisect({"report", run_dir.string()}, scratch.dir / "third.txt");
    INFO(again.output);
    REQUIRE(again.exit_code == 10);
}

TEST_CASE(
    "resume and report given the --out folder take the run inside it, or list them when there are several") {
    const Scratch scratch;
    const auto recipe = write_shop_recipe(scratch.dir, ShopRecipe{});
    const auto runs = scratch.dir / "runs";
    const Result first =
        run_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "first.txt");
    REQUIRE(first.exit_code == 10);
    const auto run_dir = only_run_folder(runs);
    // Only the baseline and the all-on probe journaled: the rest of the search is still to run.
    std::vector<std::string> lines = journal_lines(run_dir / "journal.jsonl");
    REQUIRE(lines.size() > 2);
    {
        std::ofstream out(run_dir / "journal.jsonl", std::ios::trunc);
        out << lines[0] << "\n" << lines[1] << "\n";
    }
    const Result resumed = run_leakbisect({"resume", runs.string()}, scratch.dir / "second.txt");
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 10);
    REQUIRE_THAT(resumed.output,
                 Catch::Contains("resuming " + run_dir.string() + " after 2 journaled probes"));
    REQUIRE(journal_lines(run_dir / "journal.jsonl").size() > 2);

    std::filesystem::copy(run_dir, runs / "2000-01-01T00-00-00", std::filesystem::copy_options::recursive);
    for (const char* command : {"resume", "report"}) {
        const Result ambiguous = run_leakbisect({command, runs.string()}, scratch.dir / "third.txt");
        INFO(ambiguous.output);
        REQUIRE(ambiguous.exit_code == 2);
        REQUIRE_THAT(ambiguous.output, Catch::Contains("holds 2 run folders; give one of them") &&
                                           Catch::Contains(run_dir.string()) &&
                                           Catch::Contains((runs / "2000-01-01T00-00-00").string()));
    }
}
