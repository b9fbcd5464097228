// End-to-end: the fault matrix. The real leakbisect measures the real shop while it misbehaves on
// purpose (SHOP_FAULT, examples/shop/faults.hpp); every row asserts the exit code, a valid journal,
// and that /proc holds no process of the run afterwards (every app process carries
// FAULT_MATRIX_RUN=<scratch folder> in its environment). Probes are short: the whole file runs in
// about a minute.
//
// The rows (SHOP_FAULT: what the app does -> exit; the journaled verdict and what else is checked):
// - crash-at-boot: SIGSEGV before listening -> 3; SKIPPED after 2 attempts, "was killed by signal
//   11 (SIGSEGV)", the retry names app.attempt-1.log.
// - crash-under-load: SIGSEGV 300 ms into serving -> 3; SKIPPED "during the load".
// - hang-before-ready: never listens -> 3; SKIPPED "not ready after 1.0s".
// - stop-answering: SIGSTOP 200 ms into serving -> 12; INVALID "the load was stopped after", < 30 s.
// - ignore-term: SIGTERM blocked -> 10; LEAK, killed after the 1 s grace.
// - setsid-daemon: a double-forked setsid daemon (64 MiB) -> 10; LEAK, the daemon is gone.
// - prefork:3: three workers that outlive their master -> 10; LEAK, the workers are gone.
// - log-flood: 100 MiB on stdout -> 10; LEAK, app.log <= 8 MiB + a line, "dropped" said.
// - prefork:2 with leakbisect SIGKILLed at random moments three times (once with its guardian),
//   then resumed -> 10; the same finding, no worker survives any kill, no probe cgroup is left.
// - setsid-daemon with `measure` and its guardian SIGKILLed: the daemon survives them; the next
//   `measure` in the same --out folder stops it and removes its cgroup.
#include "e2e_support.hpp"

#include "leakbisect/journal/journal.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace e2e;
using Clock = std::chrono::steady_clock;

namespace {

std::string read_whole(const std::filesystem::path& file) {
    std::ifstream input(file, std::ios::binary);
    std::ostringstream content;
    content << input.rdbuf();
    return content.str();
}

std::string fault_recipe(const Scratch& scratch, const std::string& fault, int requests,
                         const std::vector<std::string>& chunks, const std::string& leak_chunk,
                         const std::string& grace = "1s") {
    std::string text =
        fmt::format(R"(name = "fault matrix {}"
[app]
command = ["{}", "--port", "{{port}}"]
env = {{ SHOP_ENV = "production", SHOP_LEAK_CHUNK = "{}", SHOP_LEAK_BYTES = "8192", SHOP_FAULT = "{}", SHOP_FAULT_AFTER = "{}", FAULT_MATRIX_RUN = "{}" }}
ready = {{ http = "/up", timeout = "1s" }}
stop = {{ signal = "TERM", grace = "{}" }}

[load]
requests = {}
concurrency = 4
warmup = 300
timeout = "1s"

[[load.request]]
path = "/orders/42"

[search]
retries = 1
)",
                    fault, LEAKBISECT_SHOP_BINARY, leak_chunk, fault, fault == "stop-answering" ? 200 : 300,
                    scratch.dir.string(), grace, requests);
    for (const std::string& chunk : chunks) {
        text += fmt::format("\n[[chunk]]\nname = \"{}\"\n", chunk);
    }
    const auto file = scratch.dir / "recipe.toml";
    std::ofstream(file) << text;
    return file.string();
}

struct Row {
    std::string fault;
    int exit_code;
    leakbisect::Verdict verdict;
    std::string says; // in the output
    int requests = 3000;
};

struct RowResult {
    Result result;
    std::filesystem::path probe_dir;
    double seconds = 0;
};

// `leakbisect measure --none` with the fault on; checks what every row shares.
RowResult run_row(const Row& row, const Scratch& scratch) {
    const auto recipe = fault_recipe(scratch, row.fault, row.requests, {"warnings_panel"}, "outside");
    const auto runs = scratch.dir / "runs";
    const auto start = Clock::now();
    RowResult row_result;
    row_result.result =
        run_leakbisect({"measure", recipe, "--none", "--out", runs.string()}, scratch.dir / "out.txt");
    row_result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    INFO(row_result.result.output);
    CHECK(row_result.result.exit_code == row.exit_code);
    CHECK_THAT(row_result.result.output, Catch::Contains(row.says));

    const auto folder = only_run_folder(runs);
    const auto journal = leakbisect::read_journal(folder / "journal.jsonl");
    REQUIRE(journal.has_value());
    REQUIRE(journal->size() == 1);
    CHECK(journal->front().judgement.verdict == row.verdict);
    row_result.probe_dir = folder / journal->front().directory;

    const auto left = survivors("FAULT_MATRIX_RUN=" + scratch.dir.string(), std::chrono::milliseconds(0));
    CHECK(left.empty());
    return row_result;
}

} // namespace

TEST_CASE("fault matrix: an app that crashes at boot is SKIPPED after its retries, exit 3") {
    const Scratch scratch;
    const auto row = run_row({"crash-at-boot", 3, leakbisect::Verdict::skipped,
                              "the app was killed by signal 11 (SIGSEGV) before it was ready"},
                             scratch);
    // The retry message names the log where the next attempt leaves it.
    CHECK_THAT(row.result.output, Catch::Contains("app.attempt-1.log; retrying"));
    CHECK(std::filesystem::exists(row.probe_dir / "app.attempt-1.log"));
    CHECK(std::filesystem::exists(row.probe_dir / "app.log"));
}

TEST_CASE("fault matrix: an app that crashes under load is SKIPPED, exit 3") {
    const Scratch scratch;
    // Enough requests that the load outlasts the crash 300 ms into serving on a fast machine.
    run_row({"crash-under-load", 3, leakbisect::Verdict::skipped,
             "the app was killed by signal 11 (SIGSEGV) during the load", 20000},
            scratch);
}

TEST_CASE("fault matrix: an app that hangs before it is ready is SKIPPED, exit 3") {
    const Scratch scratch;
    run_row({"hang-before-ready", 3, leakbisect::Verdict::skipped, "not ready after 1.0s"}, scratch);
}

TEST_CASE("fault matrix: an app that stops answering mid-load ends the probe INVALID at once, exit 12") {
    const Scratch scratch;
    const auto row =
        run_row({"stop-answering", 12, leakbisect::Verdict::invalid, "the load was stopped after"}, scratch);
    // 30 failures allowed of 3,000 at a 1 s timeout over 4 connections: about 8 s, not 12 minutes.
    CHECK(row.seconds < 30);
}

TEST_CASE("fault matrix: an app that ignores SIGTERM is killed after the grace, exit 10") {
    const Scratch scratch;
    run_row({"ignore-term", 10, leakbisect::Verdict::leak, "LEAK"}, scratch);
}

TEST_CASE("fault matrix: a setsid daemon the app starts does not outlive the probe, exit 10") {
    const Scratch scratch;
    run_row({"setsid-daemon", 10, leakbisect::Verdict::leak, "LEAK"}, scratch);
}

TEST_CASE("fault matrix: preforked workers do not outlive the probe, exit 10") {
    const Scratch scratch;
    run_row({"prefork:3", 10, leakbisect::Verdict::leak, "LEAK"}, scratch);
}

TEST_CASE("fault matrix: 100 MiB of app output leaves an app.log of at most 8 MiB, exit 10") {
    const Scratch scratch;
    const auto row = run_row({"log-flood", 10, leakbisect::Verdict::leak, "LEAK"}, scratch);
    const auto size = std::filesystem::file_size(row.probe_dir / "app.log");
    CHECK(size <= (8u << 20) + 1024);
    const std::string log = read_whole(row.probe_dir / "app.log");
    CHECK_THAT(log, Catch::Contains("shop: listening on"));
    CHECK_THAT(log, Catch::Contains("bytes of output dropped here"));
}

namespace {

// leakbisect's guardian: the marked process running leakbisect's binary that is not `leakbisect`.
std::vector<pid_t> guardians_of(const std::string& mark, pid_t leakbisect) {
    std::vector<pid_t> found;
    for (const pid_t pid : processes_with(mark)) {
        std::error_code ignored;
        const auto exe = std::filesystem::read_symlink(fmt::format("/proc/{}/exe", pid), ignored);
        if (pid != leakbisect && exe == std::filesystem::canonical(LEAKBISECT_BINARY)) {
            found.push_back(pid);
        }
    }
    return found;
}

} // namespace

TEST_CASE("fault matrix: kill -9 of leakbisect at random moments leaves no worker, and resume finishes") {
    const Scratch scratch;
    const auto recipe = fault_recipe(scratch, "prefork:2", 2500, shop_chunks(), "warnings_panel");
    const auto runs = scratch.dir / "runs";
    const std::string apps = "FAULT_MATRIX_RUN=" + scratch.dir.string();
    const std::string mark = "FAULT_MATRIX_LEAKBISECT=" + scratch.dir.string();
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> moment_ms(300, 2500);

    std::filesystem::path folder;
    bool left_for_resume = false;
    for (int kill_number = 1; kill_number <= 3; ++kill_number) {
        const std::vector<std::string> arguments =
            folder.empty() ? std::vector<std::string>{"run", recipe, "--out", runs.string()}
                           : std::vector<std::string>{"resume", folder.string()};
        const pid_t leakbisect = spawn_leakbisect(arguments, scratch.dir / "out.txt", mark);
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        while (folder.empty() && Clock::now() < deadline &&
               (!std::filesystem::exists(runs) || std::filesystem::is_empty(runs))) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (folder.empty()) {
            folder = only_run_folder(runs);
        }
        const int moment = moment_ms(random);
        std::this_thread::sleep_for(std::chrono::milliseconds(moment));
        INFO("kill " << kill_number << " after " << moment << " ms");
        // The second time the guardian dies too: then resume must stop what processes.txt names.
        const bool with_guardian = kill_number == 2;
        if (with_guardian) {
            for (const pid_t guardian : guardians_of(mark, leakbisect)) {
                ::kill(guardian, SIGKILL);
            }
        }
        REQUIRE(::kill(leakbisect, SIGKILL) == 0);
        int status = 0;
        REQUIRE(::waitpid(leakbisect, &status, 0) == leakbisect);
        if (WIFEXITED(status)) {
            break; // finished before the kill: the run is complete already
        }
        if (with_guardian) {
            left_for_resume = !survivors(apps, std::chrono::milliseconds(500)).empty();
        } else {
            CHECK(survivors(apps, std::chrono::milliseconds(5000)).empty());
        }
        CHECK(leakbisect::read_journal(folder / "journal.jsonl").has_value());
    }

    const Result finished = run_leakbisect({"resume", folder.string()}, scratch.dir / "resumed.txt");
    INFO(read_whole(scratch.dir / "out.txt") << finished.output);
    CHECK(finished.exit_code == 10);
    const auto report = read_report(folder);
    CHECK(report.at("finding").at("culprit").as_string() == "warnings_panel");
    CHECK(leakbisect::read_journal(folder / "journal.jsonl").has_value());
    CHECK(survivors(apps, std::chrono::milliseconds(0)).empty());
    if (left_for_resume) { // the workers a guardian-less kill left were stopped by the next resume
        CHECK_THAT(read_whole(scratch.dir / "out.txt") + finished.output,
                   Catch::Contains("an earlier, killed leakbisect left running"));
    }
    // Where the probes ran in cgroups: the guardian or the next resume removed every one.
    for (const std::filesystem::path& cgroup : recorded_cgroups(folder)) {
        CHECK_FALSE(std::filesystem::exists(cgroup));
    }
}

TEST_CASE("fault matrix: measure stops the daemon a killed measure and its guardian left running") {
    const Scratch scratch;
    const auto runs = scratch.dir / "runs";
    const std::string apps = "FAULT_MATRIX_RUN=" + scratch.dir.string();
    const std::string mark = "FAULT_MATRIX_LEAKBISECT=" + scratch.dir.string();
    const auto endless = fault_recipe(scratch, "setsid-daemon", 2'000'000, {"warnings_panel"}, "none");
    const pid_t leakbisect = spawn_leakbisect({"measure", endless, "--none", "--out", runs.string()},
                                              scratch.dir / "out.txt", mark);
    // The shop and its daemon, seen on 5 polls in a row: while the daemon is double-forked, the
    // short-lived middle process is counted for a moment and then is not.
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    int steady = 0;
    while (steady < 5 && Clock::now() < deadline) {
        steady = processes_with(apps).size() >= 2 ? steady + 1 : 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(processes_with(apps).size() >= 2);
    for (const pid_t guardian : guardians_of(mark, leakbisect)) {
        ::kill(guardian, SIGKILL);
    }
    REQUIRE(::kill(leakbisect, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(leakbisect, &status, 0) == leakbisect);
    // With leakbisect and its guardian gone, nothing stops the setsid daemon but the next command.
    REQUIRE_FALSE(survivors(apps, std::chrono::milliseconds(500)).empty());
    const auto killed_folder = only_run_folder(runs);

    const auto quick = fault_recipe(scratch, "none", 2500, {"warnings_panel"}, "none");
    const Result next =
        run_leakbisect({"measure", quick, "--none", "--out", runs.string()}, scratch.dir / "next.txt");
    INFO(next.output);
    CHECK(next.exit_code == 0);
    CHECK_THAT(next.output, Catch::Contains("an earlier, killed leakbisect left running"));
    CHECK(survivors(apps, std::chrono::milliseconds(0)).empty());
    for (const std::filesystem::path& cgroup : recorded_cgroups(killed_folder)) {
        CHECK_FALSE(std::filesystem::exists(cgroup));
    }
}

TEST_CASE("fault matrix: a second Ctrl-C kills an app that ignores SIGTERM at once, not after its grace") {
    const Scratch scratch;
    const auto recipe = fault_recipe(scratch, "ignore-term", 2'000'000, {"warnings_panel"}, "none", "60s");
    const std::string apps = "FAULT_MATRIX_RUN=" + scratch.dir.string();
    const pid_t leakbisect =
        spawn_leakbisect({"measure", recipe, "--none", "--out", (scratch.dir / "runs").string()},
                         scratch.dir / "out.txt", "FAULT_MATRIX_LEAKBISECT=1");
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (processes_with(apps).empty() && Clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE_FALSE(processes_with(apps).empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(500)); // into the load
    REQUIRE(::kill(leakbisect, SIGINT) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto second = Clock::now();
    REQUIRE(::kill(leakbisect, SIGINT) == 0);
    int status = 0;
    REQUIRE(::waitpid(leakbisect, &status, 0) == leakbisect);
    const double seconds = std::chrono::duration<double>(Clock::now() - second).count();
    INFO(read_whole(scratch.dir / "out.txt"));
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 130);
    CHECK(seconds < 5); // not the 60 s grace
    CHECK(survivors(apps, std::chrono::milliseconds(0)).empty());
}
