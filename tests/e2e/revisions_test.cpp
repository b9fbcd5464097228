// End-to-end, commit-range mode: a throwaway git history made here (scripts/commit-history.py: a
// tiny Python server, 16 first-parent commits after good with a merged side branch, the leak
// arriving at commit 11 and a broken setup at commit 8), searched by the real binary.
#include "e2e_support.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace e2e;

namespace {

constexpr std::size_t kCommits = 16;
constexpr std::size_t kLeakAt = 11;

bool can_run() {
    if (!command_succeeds("python3 --version") || !command_succeeds("git --version")) {
        WARN("python3 or git is missing: commit-range mode's end-to-end tests need both");
        return false;
    }
    return true;
}

// Builds the history into `dir` (repo/ and recipe.toml); `extra` goes to the script.
std::filesystem::path make_history(const std::filesystem::path& dir, const std::string& extra = "") {
    const std::string script = std::string(LEAKBISECT_SOURCE_DIR) + "/scripts/commit-history.py";
    REQUIRE(command_succeeds("python3 '" + script + "' '" + dir.string() + "' --commits " +
                             std::to_string(kCommits) + " --leak-at " + std::to_string(kLeakAt) +
                             " --broken-setup-at 8 --merge-at 6 " + extra));
    return dir / "recipe.toml";
}

std::string shell_output(const std::string& command) {
    std::string output;
    std::FILE* pipe = ::popen(command.c_str(), "r"); // NOLINT(cert-env33-c): test set-up only
    REQUIRE(pipe != nullptr);
    std::array<char, 256> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) {
        output += buffer.data();
    }
    ::pclose(pipe);
    while (!output.empty() && output.back() == '\n') {
        output.pop_back();
    }
    return output;
}

// The k-th first-parent commit after good.
std::string commit_hash(const std::filesystem::path& repo, std::size_t k) {
    return shell_output("git -C '" + repo.string() +
                        "' rev-list --first-parent --reverse good..bad | sed -n " + std::to_string(k) + "p");
}

std::size_t worktrees_registered(const std::filesystem::path& repo) {
    return std::stoul(shell_output("git -C '" + repo.string() + "' worktree list | wc -l"));
}

} // namespace

TEST_CASE(
    "commit-range mode names the commit that made memory stop plateauing, stepping over a broken setup") {
    if (!can_run()) {
        return;
    }
    const Scratch scratch;
    const auto recipe = make_history(scratch.dir);
    const auto repo = scratch.dir / "repo";
    const RunFinding run = run_recipe(recipe, scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 10);
    CHECK(run.kind == "localized");
    CHECK(run.culprit == commit_hash(repo, kLeakAt));

    const auto report = read_report(run.run_folder);
    const auto& revisions = report.at("revisions").as_object();
    const auto& commit = revisions.at("commits").as_array().at(0).as_object();
    CHECK(commit.at("subject").as_string() == "Keep every order's audit entry in memory");
    CHECK(commit.at("author").as_string() == "Ann Example <ann@example.com>");
    CHECK_THAT(std::string(revisions.at("diffstat").as_string()), Catch::Contains("leak.txt"));
    CHECK(revisions.at("bytes_per_request_at").as_double() > 4096);
    CHECK(revisions.at("commits_searched").as_int64() == static_cast<std::int64_t>(kCommits));

    std::size_t skipped = 0;
    for (const auto& probe : report.at("probes").as_array()) {
        skipped += probe.as_object().at("verdict").as_string() == "SKIPPED" ? 1 : 0;
    }
    const std::size_t searched = run.probes_by_role.count("baseline") + run.probes_by_role.count("all-on") +
                                 (run.probes_by_role.count("bisect") ? run.probes_by_role.at("bisect") : 0);
    CHECK(searched <= ceil_log2(kCommits) + 2 + skipped);
    CHECK(skipped <= 1); // the broken setup's commit, at most once
    CHECK(run.probes_by_role.count("confirm") == 0);

    // Every report form names the commit.
    const std::string hash = commit_hash(repo, kLeakAt);
    for (const char* file : {"report.md", "report.html", "junit.xml"}) {
        std::ifstream input(run.run_folder / file);
        const std::string text((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
        INFO(file);
        CHECK_THAT(text, Catch::Contains(hash.substr(0, 10)) && Catch::Contains("audit entry"));
    }
    CHECK_THAT(run.output, Catch::Contains("leak.txt") && Catch::Contains(hash.substr(0, 10)));

    // The checkouts are gone, and the user's work tree is as it was.
    CHECK_FALSE(std::filesystem::exists(run.run_folder / "worktrees"));
    CHECK(worktrees_registered(repo) == 1);
    CHECK(shell_output("git -C '" + repo.string() + "' status --porcelain").empty());
}

TEST_CASE("commit-range mode: check --boot sets up and boots good and bad in throwaway checkouts") {
    if (!can_run()) {
        return;
    }
    const Scratch scratch;
    const auto recipe = make_history(scratch.dir);
    const auto repo = scratch.dir / "repo";
    const Result check = run_leakbisect({"check", "--boot", recipe.string()}, scratch.dir / "check.txt");
    INFO(check.output);
    CHECK(check.exit_code == 0);
    const std::string good = shell_output("git -C '" + repo.string() + "' rev-parse good");
    CHECK_THAT(check.output, Catch::Contains("setup: good " + good.substr(0, 10)) &&
                                 Catch::Contains("boot: good ready") && Catch::Contains("boot: bad ready") &&
                                 Catch::Contains("setup: bad " + commit_hash(repo, kCommits).substr(0, 10)) &&
                                 Catch::Contains("estimate: a probe takes about") &&
                                 Catch::Contains("setup + boot"));
    CHECK(worktrees_registered(repo) == 1); // the throwaway checkouts are gone

    SECTION("a setup that fails fails the check with its log's last lines, exit 3") {
        std::ifstream input(recipe);
        std::string text((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
        const std::string setup = "setup = [\"python3\", \"prepare.py\"]";
        REQUIRE(text.find(setup) != std::string::npos);
        text.replace(
            text.find(setup), setup.size(),
            "setup = [\"python3\", \"-c\", \"import sys; print('no such gem: rack'); sys.exit(1)\"]");
        const auto broken = scratch.dir / "broken.toml";
        std::ofstream(broken) << text;
        const Result failed =
            run_leakbisect({"check", "--boot", broken.string()}, scratch.dir / "broken.txt");
        INFO(failed.output);
        CHECK(failed.exit_code == 3);
        CHECK_THAT(failed.output,
                   Catch::Contains("the setup failed") && Catch::Contains("no such gem: rack"));
        CHECK(worktrees_registered(repo) == 1);
    }
}

TEST_CASE("commit-range mode: a good that already leaks exits 11, and --keep-worktrees keeps the checkouts") {
    if (!can_run()) {
        return;
    }
    const Scratch scratch;
    const auto recipe = make_history(scratch.dir, "--leak-from-good");
    const Result run =
        run_leakbisect({"run", recipe.string(), "--out", (scratch.dir / "runs").string(), "--keep-worktrees"},
                       scratch.dir / "output.txt");
    INFO(run.output);
    REQUIRE(run.exit_code == 11);
    CHECK_THAT(run.output, Catch::Contains("it already leaks at good") &&
                               Catch::Contains("bad was not seen to grow faster"));
    const auto run_dir = only_run_folder(scratch.dir / "runs");
    CHECK(std::filesystem::exists(run_dir / "worktrees"));
    // good's and bad's: bad is judged against good's growing curve before the run ends.
    CHECK(worktrees_registered(scratch.dir / "repo") == 3);
}

TEST_CASE("commit-range mode: a good that grows on its own does not hide the commit that leaks on top") {
    if (!can_run()) {
        return;
    }
    const Scratch scratch;
    // good grows 2 KiB/request (a runtime still settling, as Rails' and Node's do), above min_leak.
    const auto recipe = make_history(scratch.dir, "--good-leak-bytes 2048 --leak-bytes 16384");
    const RunFinding run = run_recipe(recipe, scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 10);
    CHECK(run.culprit == commit_hash(scratch.dir / "repo", kLeakAt));
    CHECK_THAT(run.output, Catch::Contains("memory also grows at good") &&
                               Catch::Contains("every commit was judged against good's curve"));
}

TEST_CASE("commit-range mode: a broken setup right before the leak hides it, and the candidates are named") {
    if (!can_run()) {
        return;
    }
    const Scratch scratch;
    const std::string script = std::string(LEAKBISECT_SOURCE_DIR) + "/scripts/commit-history.py";
    REQUIRE(command_succeeds("python3 '" + script + "' '" + scratch.dir.string() +
                             "' --commits 16 --leak-at 12 --broken-setup-at 11 --merge-at 6"));
    const RunFinding run = run_recipe(scratch.dir / "recipe.toml", scratch);
    INFO(run.output);
    REQUIRE(run.exit_code == 12);
    CHECK(run.kind == "inconclusive");
    const auto report = read_report(run.run_folder);
    const auto& commits = report.at("revisions").as_object().at("commits").as_array();
    REQUIRE(commits.size() == 2);
    CHECK(commits.at(0).as_object().at("hash").as_string() == commit_hash(scratch.dir / "repo", 11));
    CHECK(commits.at(1).as_object().at("hash").as_string() == commit_hash(scratch.dir / "repo", 12));
    CHECK_THAT(run.output, Catch::Contains("is one of 2"));
}

TEST_CASE("commit-range mode with --then-chunks searches the recipe's chunks inside the guilty commit") {
    if (!can_run()) {
        return;
    }
    const Scratch scratch;
    const auto recipe = make_history(scratch.dir, "--chunks");
    const Result run =
        run_leakbisect({"run", recipe.string(), "--out", (scratch.dir / "runs").string(), "--then-chunks"},
                       scratch.dir / "output.txt");
    INFO(run.output);
    REQUIRE(run.exit_code == 10);
    const auto run_dir = only_run_folder(scratch.dir / "runs");
    CHECK(read_report(run_dir).at("finding").as_object().at("culprit").as_string() ==
          commit_hash(scratch.dir / "repo", kLeakAt));
    const auto chunks = read_report(run_dir / "chunks").at("finding").as_object();
    CHECK(chunks.at("kind").as_string() == "localized");
    CHECK(chunks.at("culprit").as_string() == "audit");
    CHECK(std::filesystem::exists(run_dir / "chunks" / "setup.log"));
    CHECK_FALSE(std::filesystem::exists(run_dir / "worktrees"));
    CHECK(worktrees_registered(scratch.dir / "repo") == 1);

    // `report RUN` writes both searches' reports again, with the chunk search's exit code.
    std::filesystem::remove(run_dir / "report.md");
    std::filesystem::remove(run_dir / "chunks" / "report.md");
    const Result again = run_leakbisect({"report", run_dir.string()}, scratch.dir / "report.txt");
    INFO(again.output);
    CHECK(again.exit_code == 10);
    CHECK(std::filesystem::exists(run_dir / "report.md"));
    CHECK(std::filesystem::exists(run_dir / "chunks" / "report.md"));
    CHECK_THAT(again.output, Catch::Contains("'audit'"));

    // Without [[chunk]] tables there is nothing to search at the commit: refused before anything runs.
    const Scratch plain;
    const auto no_chunks = make_history(plain.dir);
    const Result refused =
        run_leakbisect({"run", no_chunks.string(), "--then-chunks"}, plain.dir / "output.txt");
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.output, Catch::Contains("declares none"));
}

TEST_CASE("commit-range mode: an unknown good is an error before anything runs, and measure refuses") {
    if (!can_run()) {
        return;
    }
    const Scratch scratch;
    const auto recipe = make_history(scratch.dir);
    {
        std::ofstream out(recipe, std::ios::app);
        out << "\n";
    }
    std::string text;
    {
        std::ifstream input(recipe);
        text.assign(std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>());
    }
    text.replace(text.find("good = \"good\""), 13, "good = \"v9.9\"");
    {
        std::ofstream out(recipe, std::ios::trunc);
        out << text;
    }
    const Result check = run_leakbisect({"check", recipe.string()}, scratch.dir / "check.txt");
    CHECK(check.exit_code == 2);
    CHECK_THAT(check.output, Catch::Contains("revisions.good = \"v9.9\" is not a commit git knows"));
    const Result run = run_leakbisect({"run", recipe.string(), "--out", (scratch.dir / "runs").string()},
                                      scratch.dir / "run.txt");
    CHECK(run.exit_code == 2);
    CHECK(
        (!std::filesystem::exists(scratch.dir / "runs") || std::filesystem::is_empty(scratch.dir / "runs")));
    const Result measure = run_leakbisect({"measure", recipe.string()}, scratch.dir / "measure.txt");
    CHECK(measure.exit_code == 2);
    CHECK_THAT(measure.output, Catch::Contains("use `leakbisect run` to search its commits"));
}

TEST_CASE("commit-range mode: an interrupted run removes its checkouts and resumes where it stopped") {
    if (!can_run()) {
        return;
    }
    const Scratch scratch;
    const auto recipe = make_history(scratch.dir);
    const auto runs = scratch.dir / "runs";
    const pid_t pid =
        spawn_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "first.txt");
    const std::filesystem::path journal = wait_for_journal_lines(runs, 3);
    REQUIRE(journal_lines(journal).size() >= 3);
    REQUIRE(::kill(pid, SIGINT) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 130);
    const auto run_dir = journal.parent_path();
    CHECK_FALSE(std::filesystem::exists(run_dir / "worktrees"));
    CHECK(worktrees_registered(scratch.dir / "repo") == 1);

    const std::vector<std::string> before = journal_lines(journal);
    const Result resumed = run_leakbisect({"resume", run_dir.string()}, scratch.dir / "second.txt");
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 10);
    const std::vector<std::string> after = journal_lines(journal);
    REQUIRE(after.size() > before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
        REQUIRE(after[i] == before[i]); // journaled probes were not run again
    }
    const auto report = read_report(run_dir);
    CHECK(report.at("finding").as_object().at("culprit").as_string() ==
          commit_hash(scratch.dir / "repo", kLeakAt));
    CHECK_FALSE(std::filesystem::exists(run_dir / "worktrees"));
    CHECK(worktrees_registered(scratch.dir / "repo") == 1);
}
