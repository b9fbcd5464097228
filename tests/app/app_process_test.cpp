#include "leakbisect/app/app_process.hpp"
#include "leakbisect/app/readiness.hpp"
#include "leakbisect/core/files.hpp"
#include "leakbisect/memory/sampler.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <thread>
#include <unistd.h>

using namespace leakbisect;
using namespace std::chrono_literals;

namespace {

struct TempDir {
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "leakbisect-app-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    std::filesystem::path path;
};

LaunchSpec shell(const std::string& script, const TempDir& dir) {
    return LaunchSpec{{"sh", "-c", script}, dir.path, build_environment(true, {}, {}), dir.path / "app.log"};
}

bool alive(pid_t pid) {
    return ::kill(pid, 0) == 0;
}

void wait_for(const std::function<bool()>& condition) {
    for (int i = 0; i < 200 && !condition(); ++i) {
        std::this_thread::sleep_for(10ms);
    }
}

} // namespace

TEST_CASE("the app's output goes to its log and its exit is described") {
    const TempDir dir;
    auto app = AppProcess::start(shell("echo hello from the app; echo oops >&2; exit 3", dir));
    REQUIRE(app.has_value());
    wait_for([&] { return !(*app)->running(); });
    REQUIRE((*app)->exit_description() == "exited with status 3");
    (*app)->stop(SIGTERM, Milliseconds{100}); // the log is complete once the app is stopped
    const auto log = read_text_file(dir.path / "app.log", ErrorKind::io);
    REQUIRE_THAT(*log, Catch::Contains("hello from the app") && Catch::Contains("oops"));
}

TEST_CASE("stopping an app stops and reaps every process it started") {
    become_subreaper(); // as leakbisect does at start-up: orphaned workers become ours to reap
    const TempDir dir;
    auto app = AppProcess::start(shell("sleep 300 & sleep 300 & wait", dir));
    REQUIRE(app.has_value());
    std::vector<pid_t> workers;
    wait_for([&] {
        workers = descendants_of((*app)->pid());
        return workers.size() == 2;
    });
    REQUIRE(workers.size() == 2);
    (*app)->stop(SIGTERM, Milliseconds{2000});
    REQUIRE_FALSE((*app)->running());
    for (const pid_t worker : workers) {
        REQUIRE_FALSE(alive(worker));
    }
}

TEST_CASE("an app that ignores the stop signal is killed after the grace period") {
    const TempDir dir;
    auto app = AppProcess::start(shell("trap '' TERM; while true; do sleep 0.05; done", dir));
    REQUIRE(app.has_value());
    std::this_thread::sleep_for(100ms);
    const auto start = std::chrono::steady_clock::now();
    (*app)->stop(SIGTERM, Milliseconds{300});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE((*app)->running());
    REQUIRE(took >= 300ms);
    REQUIRE_THAT(*(*app)->exit_description(), Catch::Contains("signal 9"));
}

TEST_CASE("a missing command is an error naming it, before anything runs") {
    const TempDir dir;
    SECTION("not on PATH") {
        auto app = AppProcess::start({{"no-such-program-xyz"}, dir.path, {}, dir.path / "app.log"});
        REQUIRE_FALSE(app.has_value());
        REQUIRE_THAT(to_string(app.error()),
                     Catch::Contains("no-such-program-xyz") && Catch::Contains("PATH"));
    }
    SECTION("a relative path that does not exist") {
        auto app = AppProcess::start({{"./bin/server"}, dir.path, {}, dir.path / "app.log"});
        REQUIRE_FALSE(app.has_value());
        REQUIRE_THAT(to_string(app.error()), Catch::Contains("bin/server") && Catch::Contains("app.cwd"));
    }
}

TEST_CASE("the environment is inherited, then the recipe's, then leakbisect's own") {
    ::setenv("LEAKBISECT_TEST_INHERITED", "from-parent", 1);
    const EnvList environment = build_environment(true, {{"A", "recipe"}, {"B", "recipe"}}, {{"B", "chunk"}});
    const auto value_of = [&](const std::string& key) {
        for (const auto& [name, value] : environment) {
            if (name == key) {
                return value;
            }
        }
        return std::string("<unset>");
    };
    REQUIRE(value_of("LEAKBISECT_TEST_INHERITED") == "from-parent");
    REQUIRE(value_of("A") == "recipe");
    REQUIRE(value_of("B") == "chunk");
    const EnvList clean = build_environment(false, {{"A", "recipe"}}, {});
    REQUIRE(clean.size() == 1);
}

TEST_CASE("readiness by log line, and failures that explain themselves") {
    const TempDir dir;
    const std::atomic<bool> cancel{false};
    ReadyCheck check;
    check.kind = ReadyKind::log;
    check.log_pattern = "listening on [0-9]+";
    check.timeout = Milliseconds{3000};
    SECTION("the line appears") {
        auto app = AppProcess::start(shell("sleep 0.2; echo 'listening on 8080'; sleep 300", dir));
        REQUIRE(app.has_value());
        REQUIRE(wait_until_ready(**app, check, {}, dir.path / "app.log", cancel).has_value());
    }
    SECTION("a greedy pattern over a long line and megabytes of output before it") {
        // (.|\n)* over 16 KiB used to overflow std::regex's recursion: a SIGSEGV of leakbisect.
        check.log_pattern = "(.|\n)*listening on [0-9]+";
        auto app = AppProcess::start(shell("head -c 20000 /dev/zero | tr '\\0' x; "
                                           "seq 1 200000; printf 'xxxx listening on 8080'; sleep 300",
                                           dir));
        REQUIRE(app.has_value());
        REQUIRE(wait_until_ready(**app, check, {}, dir.path / "app.log", cancel).has_value());
    }
    SECTION("the app exits first") {
        auto app = AppProcess::start(shell("echo starting; exit 4", dir));
        const auto ready = wait_until_ready(**app, check, {}, dir.path / "app.log", cancel);
        REQUIRE_FALSE(ready.has_value());
        REQUIRE_THAT(to_string(ready.error()), Catch::Contains("exited with status 4"));
    }
    SECTION("the timeout passes") {
        check.timeout = Milliseconds{200};
        auto app = AppProcess::start(shell("sleep 300", dir));
        const auto ready = wait_until_ready(**app, check, {}, dir.path / "app.log", cancel);
        REQUIRE_FALSE(ready.has_value());
        REQUIRE_THAT(to_string(ready.error()), Catch::Contains("not ready after"));
    }
}

TEST_CASE("readiness by TCP waits for a listener on a free port") {
    const TempDir dir;
    const auto port = find_free_port();
    REQUIRE(port.has_value());
    const LoadTarget target{"127.0.0.1", *port, ""};
    REQUIRE_FALSE(accepts_connections(target));
    auto app = AppProcess::start(
        shell("sleep 0.2; exec python3 -c 'import socket,time; s=socket.socket(); s.bind((\"127.0.0.1\", " +
                  std::to_string(*port) + ")); s.listen(); time.sleep(300)'",
              dir));
    REQUIRE(app.has_value());
    ReadyCheck check;
    check.kind = ReadyKind::tcp;
    check.timeout = Milliseconds{10000};
    const std::atomic<bool> cancel{false};
    REQUIRE(wait_until_ready(**app, check, target, dir.path / "app.log", cancel).has_value());
}

TEST_CASE("an exit status is a success only for an exit with status 0") {
    REQUIRE(ExitStatus{0}.succeeded());
    REQUIRE_FALSE(ExitStatus{3 << 8}.succeeded());
    REQUIRE_FALSE(ExitStatus{9}.succeeded()); // killed by SIGKILL
    REQUIRE(ExitStatus{3 << 8}.description() == "exited with status 3");
    REQUIRE(ExitStatus{SIGSEGV}.description() == "was killed by signal 11 (SIGSEGV)");
}
