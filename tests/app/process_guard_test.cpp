// Processes that try to outlive their app: setsid daemons, apps that ignore the stop signal,
// what a killed leakbisect left behind, and an app's output past the log's cap.
#include "leakbisect/app/app_process.hpp"
#include "leakbisect/app/process_guard.hpp"
#include "leakbisect/core/files.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace leakbisect;
using namespace std::chrono_literals;

namespace {

struct TempDir {
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "leakbisect-guard-XXXXXX").string();
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
    LaunchSpec spec{{"sh", "-c", script}, dir.path, build_environment(true, {}, {}), dir.path / "app.log"};
    spec.process_record = dir.path / kProcessRecordName;
    return spec;
}

// The pid a script wrote into `file`, once it has.
pid_t pid_written_to(const std::filesystem::path& file) {
    for (int i = 0; i < 500; ++i) {
        if (const auto text = read_text_file(file, ErrorKind::io);
            text && text->find('\n') != std::string::npos) {
            return static_cast<pid_t>(std::stoi(*text));
        }
        std::this_thread::sleep_for(10ms);
    }
    FAIL("nothing was written to " << file);
    return 0;
}

bool alive(pid_t pid) {
    return live_start_time(pid).has_value();
}

} // namespace

TEST_CASE("a daemon that double-forks and calls setsid is stopped and recorded with its app") {
    become_subreaper();
    const TempDir dir;
    // The subshell exits at once: the daemon is re-parented, in its own session and group.
    auto app = AppProcess::start(
        shell("( setsid sh -c 'echo $$ > daemon.pid; exec sleep 300' & ); exec sleep 300", dir));
    REQUIRE(app.has_value());
    const pid_t daemon = pid_written_to(dir.path / "daemon.pid");
    REQUIRE(::getsid(daemon) == daemon);
    const auto started = live_start_time(daemon);
    REQUIRE(started.has_value());
    std::this_thread::sleep_for(500ms); // the tracker has looked at least twice

    const auto record = read_text_file(dir.path / kProcessRecordName, ErrorKind::io);
    REQUIRE(record.has_value());
    REQUIRE_THAT(*record, Catch::Contains(fmt::format("{} {} ", daemon, *started)));
    REQUIRE_THAT(*record, Catch::Contains(fmt::format("{} ", (*app)->pid())));

    (*app)->stop(SIGTERM, Milliseconds{1000});
    REQUIRE_FALSE(alive(daemon));
    std::istringstream first_line(*record);
    std::string pid;
    std::string start_time;
    std::string tag;
    first_line >> pid >> start_time >> tag;
    REQUIRE_FALSE(tag.empty());
    REQUIRE(processes_owned_by(tag).empty());
}

TEST_CASE("a second interrupt cuts the stop grace short") {
    const TempDir dir;
    auto app = AppProcess::start(shell("trap '' TERM; while true; do sleep 0.05; done", dir));
    REQUIRE(app.has_value());
    std::this_thread::sleep_for(100ms);
    std::atomic<bool> cut_short{false};
    std::jthread impatient([&cut_short] {
        std::this_thread::sleep_for(200ms);
        cut_short.store(true);
    });
    const auto start = std::chrono::steady_clock::now();
    (*app)->stop(SIGTERM, Milliseconds{30000}, cut_short);
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE((*app)->running());
    REQUIRE(took >= 200ms);
    REQUIRE(took < 5s);
    REQUIRE_THAT(*(*app)->exit_description(), Catch::Contains("SIGKILL"));
}

TEST_CASE("what a killed leakbisect recorded is stopped by pid and start time, never a recycled pid") {
    const TempDir dir;
    const std::string tag = "999999.1.1"; // no live leakbisect has this pid
    const pid_t orphan = ::fork();
    REQUIRE(orphan >= 0);
    if (orphan == 0) {
        const std::string variable = fmt::format("{}={}", kOwnerVariable, tag);
        char* const argv[] = {const_cast<char*>("sleep"), const_cast<char*>("300"), nullptr};
        char* const envp[] = {const_cast<char*>(variable.c_str()), nullptr};
        ::execve("/bin/sleep", argv, envp);
        ::_exit(127);
    }
    std::optional<std::uint64_t> started;
    for (int i = 0; i < 200 && processes_owned_by(tag).empty(); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    started = live_start_time(orphan);
    REQUIRE(started.has_value());
    const auto record = dir.path / kProcessRecordName;
    {
        std::ofstream out(record);
        out << orphan << ' ' << *started << ' ' << tag << '\n';
        // Our own pid with another start time: a recycled pid, which must survive.
        out << ::getpid() << ' ' << *live_start_time(::getpid()) + 1 << ' ' << "999999.1.2\n";
        out << "12 torn line";
    }
    const auto stopped = stop_recorded_processes(record);
    REQUIRE(stopped == std::vector<ProcessId>{{orphan, *started}});
    int status = 0;
    REQUIRE(::waitpid(orphan, &status, 0) == orphan);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);
}

TEST_CASE("the app's log keeps its head and its tail and says how much was dropped between") {
    const TempDir dir;
    auto spec = shell("echo FIRST; i=0; while [ $i -lt 2000 ]; do echo middle line $i; i=$((i+1)); done; "
                      "echo LAST",
                      dir);
    spec.log_cap = LogCap{Bytes{1000}, Bytes{500}};
    auto app = AppProcess::start(spec);
    REQUIRE(app.has_value());
    for (int i = 0; i < 500 && (*app)->running(); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    (*app)->stop(SIGTERM, Milliseconds{1000});
    const auto log = read_text_file(dir.path / "app.log", ErrorKind::io);
    REQUIRE(log.has_value());
    REQUIRE(log->starts_with("FIRST\n"));
    REQUIRE(log->ends_with("LAST\n"));
    REQUIRE_THAT(*log, Catch::Contains("bytes of output dropped here"));
    REQUIRE(log->size() < 1000 + 500 + 200);
    // Nothing lost unsaid: what is kept plus what was dropped is the whole output.
    const std::size_t at = log->find("[leakbisect: ");
    const std::uint64_t dropped = std::stoull(log->substr(at + 13));
    const std::string marker_line_end = "]\n";
    const std::size_t kept_tail = log->size() - (log->find(marker_line_end, at) + marker_line_end.size());
    std::uint64_t whole = 6 + 5; // FIRST\n LAST\n
    for (int i = 0; i < 2000; ++i) {
        whole += fmt::format("middle line {}\n", i).size();
    }
    REQUIRE(1000 + dropped + kept_tail == whole);
}

TEST_CASE("what a leakbisect that still runs recorded is left alone") {
    become_subreaper();
    const TempDir dir;
    // This test process is that leakbisect: the app's tag carries our pid and start time.
    auto app = AppProcess::start(shell("exec sleep 300", dir));
    REQUIRE(app.has_value());
    std::this_thread::sleep_for(300ms);
    REQUIRE(stop_recorded_processes(dir.path / kProcessRecordName).empty());
    REQUIRE((*app)->running());
    (*app)->stop(SIGTERM, Milliseconds{1000});
}
