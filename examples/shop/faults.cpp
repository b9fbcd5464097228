#include "faults.hpp"

#include <fmt/format.h>

#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace shop {
namespace {

constexpr std::size_t kHeldBytes = 64u << 20;
constexpr std::size_t kFloodBytes = 100u << 20;

std::vector<pid_t> workers; // prefork children, stopped at a clean stop

// A real segmentation fault's end: the default action, even under a sanitizer that installed its own
// SIGSEGV handler (which would report and exit or abort instead).
[[noreturn]] void crash() {
    std::fflush(stdout);
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    ::sigaction(SIGSEGV, &default_action, nullptr);
    std::raise(SIGSEGV);
    std::abort();
}

// Where the held block is kept: a store the optimizer must assume is read, or it drops the
// malloc and the memset of a block nothing reads (the daemon then held 1 MiB, not 64).
char* volatile held_block = nullptr;

// Touches kHeldBytes of memory so it counts, says so on `filled` (a pipe's write end), then sleeps
// until killed.
[[noreturn]] void hold_memory_forever(int filled) {
    auto* block = static_cast<char*>(std::malloc(kHeldBytes));
    if (block != nullptr) {
        std::memset(block, 1, kHeldBytes);
    }
    held_block = block;
    const char byte = 1;
    ::signal(SIGPIPE, SIG_IGN); // a master that has gone must not take the holder with it
    if (::write(filled, &byte, 1) != 1) {
        // the master has gone: hold on anyway, as a leftover does
    }
    ::close(filled);
    for (;;) {
        ::pause();
    }
}

// Waits until `count` holders said their memory is filled (or the pipe broke), so the shop is
// ready only with its daemon's or workers' memory in place, as a server whose workers boot first.
void wait_until_filled(int pipe_read_end, unsigned count) {
    char byte = 0;
    for (unsigned i = 0; i < count; ++i) {
        if (::read(pipe_read_end, &byte, 1) != 1) {
            break;
        }
    }
    ::close(pipe_read_end);
}

void start_daemon() {
    int filled[2];
    if (::pipe(filled) != 0) {
        return;
    }
    const pid_t first = ::fork();
    if (first == 0) {
        ::close(filled[0]);
        ::setsid();
        if (::fork() == 0) {
            // The daemon: no parent of ours, its own session, output to /dev/null like any daemon.
            if (std::freopen("/dev/null", "w", stdout) == nullptr ||
                std::freopen("/dev/null", "w", stderr) == nullptr) {
                ::_exit(1);
            }
            hold_memory_forever(filled[1]);
        }
        ::_exit(0);
    }
    ::close(filled[1]);
    if (first > 0) {
        ::waitpid(first, nullptr, 0);
        wait_until_filled(filled[0], 1);
    } else {
        ::close(filled[0]);
    }
}

void start_workers(unsigned count) {
    int filled[2];
    if (::pipe(filled) != 0) {
        return;
    }
    for (unsigned i = 0; i < count; ++i) {
        const pid_t worker = ::fork();
        if (worker == 0) {
            ::close(filled[0]);
            hold_memory_forever(filled[1]); // unlike a careful server's worker, it does not watch its master
        }
        if (worker > 0) {
            workers.push_back(worker);
        }
    }
    ::close(filled[1]);
    wait_until_filled(filled[0], static_cast<unsigned>(workers.size()));
    fmt::print("shop: forked {} workers\n", workers.size());
}

std::optional<FaultPlan::Kind> kind_named(std::string_view name) {
    static constexpr std::pair<std::string_view, FaultPlan::Kind> kNames[] = {
        {"none", FaultPlan::Kind::none},
        {"crash-at-boot", FaultPlan::Kind::crash_at_boot},
        {"crash-under-load", FaultPlan::Kind::crash_under_load},
        {"hang-before-ready", FaultPlan::Kind::hang_before_ready},
        {"stop-answering", FaultPlan::Kind::stop_answering},
        {"ignore-term", FaultPlan::Kind::ignore_term},
        {"setsid-daemon", FaultPlan::Kind::setsid_daemon},
        {"prefork", FaultPlan::Kind::prefork},
        {"log-flood", FaultPlan::Kind::log_flood},
    };
    for (const auto& [known, kind] : kNames) {
        if (known == name) {
            return kind;
        }
    }
    return std::nullopt;
}

std::optional<unsigned> parse_count(std::string_view text) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

std::variant<FaultPlan, StartupError> read_fault_plan() {
    FaultPlan plan;
    const char* fault = std::getenv("SHOP_FAULT");
    if (fault == nullptr) {
        return plan;
    }
    std::string_view text(fault);
    if (text.starts_with("prefork:")) {
        const auto count = parse_count(text.substr(8));
        if (!count || *count == 0 || *count > 64) {
            return StartupError{kExitUsage,
                                fmt::format("SHOP_FAULT=\"{}\": prefork:N needs N from 1 to 64", text)};
        }
        plan.workers = *count;
        text = "prefork";
    }
    const auto kind = kind_named(text);
    if (!kind) {
        return StartupError{kExitUsage,
                            fmt::format("SHOP_FAULT=\"{}\" is not a fault; valid: none, crash-at-boot, "
                                        "crash-under-load, hang-before-ready, stop-answering, ignore-term, "
                                        "setsid-daemon, prefork:N, log-flood",
                                        fault)};
    }
    plan.kind = *kind;
    if (const char* after = std::getenv("SHOP_FAULT_AFTER")) {
        const auto milliseconds = parse_count(after);
        if (!milliseconds) {
            return StartupError{
                kExitUsage,
                fmt::format("SHOP_FAULT_AFTER=\"{}\" must be a whole number of milliseconds", after)};
        }
        plan.after = std::chrono::milliseconds(*milliseconds);
    }
    return plan;
}

void faults_before_listen(const FaultPlan& plan) {
    switch (plan.kind) {
    case FaultPlan::Kind::crash_at_boot:
        crash();
    case FaultPlan::Kind::hang_before_ready:
        fmt::print("shop: hanging before listening (SHOP_FAULT=hang-before-ready)\n");
        std::fflush(stdout);
        for (;;) {
            ::pause();
        }
    case FaultPlan::Kind::ignore_term: {
        // Blocked before the server's signal_set is made: SIGTERM and SIGINT stay pending forever.
        sigset_t blocked;
        sigemptyset(&blocked);
        sigaddset(&blocked, SIGTERM);
        sigaddset(&blocked, SIGINT);
        ::sigprocmask(SIG_BLOCK, &blocked, nullptr);
        break;
    }
    case FaultPlan::Kind::setsid_daemon:
        start_daemon();
        break;
    case FaultPlan::Kind::prefork:
        start_workers(plan.workers);
        break;
    default:
        break;
    }
}

void faults_after_listen(const FaultPlan& plan) {
    switch (plan.kind) {
    case FaultPlan::Kind::crash_under_load:
        std::thread([after = plan.after] {
            std::this_thread::sleep_for(after);
            crash();
        }).detach();
        break;
    case FaultPlan::Kind::stop_answering:
        std::thread([after = plan.after] {
            std::this_thread::sleep_for(after);
            ::kill(::getpid(), SIGSTOP); // the whole process freezes; the kernel still accepts
        }).detach();
        break;
    case FaultPlan::Kind::log_flood:
        std::thread([] {
            const std::string line(1023, 'x');
            const std::string chunk = [&line] {
                std::string lines;
                for (int i = 0; i < 64; ++i) {
                    lines += line + "\n";
                }
                return lines;
            }();
            for (std::size_t written = 0; written < kFloodBytes; written += chunk.size()) {
                if (::write(STDOUT_FILENO, chunk.data(), chunk.size()) < 0) {
                    return;
                }
            }
        }).detach();
        break;
    default:
        break;
    }
}

void faults_at_stop() {
    for (const pid_t worker : workers) {
        ::kill(worker, SIGTERM);
    }
    for (const pid_t worker : workers) {
        ::waitpid(worker, nullptr, 0);
    }
}

} // namespace shop
