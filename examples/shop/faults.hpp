// Faults on demand, for leakbisect's fault-matrix tests: SHOP_FAULT makes the shop misbehave the
// ways real apps do (crash, hang, ignore SIGTERM, leave daemons or workers behind, flood its log).
// Read once at startup like the rest of the configuration; main calls the hooks in order.
#pragma once

#include "config.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <variant>
#include <vector>

namespace shop {

struct FaultPlan {
    enum class Kind {
        none,
        crash_at_boot,     // SIGSEGV before listening
        crash_under_load,  // SIGSEGV `after` the startup line
        hang_before_ready, // never listens, never exits
        stop_answering,    // SIGSTOP to itself `after` the startup line: connections hang
        ignore_term,       // SIGTERM and SIGINT blocked: only SIGKILL stops it
        setsid_daemon,     // double-forks a daemon (setsid, 64 MiB, sleeps) at boot
        prefork,           // forks `workers` processes (64 MiB each) that outlive a killed master
        log_flood,         // writes 100 MiB to stdout after the startup line
    };
    Kind kind = Kind::none;
    std::chrono::milliseconds after{1000}; // SHOP_FAULT_AFTER, for crash-under-load and stop-answering
    unsigned workers = 2;                  // prefork:N
};

// SHOP_FAULT (none, crash-at-boot, crash-under-load, hang-before-ready, stop-answering, ignore-term,
// setsid-daemon, prefork:N, log-flood) and SHOP_FAULT_AFTER (milliseconds).
std::variant<FaultPlan, StartupError> read_fault_plan();

// Before binding: crash-at-boot, hang-before-ready, ignore-term, setsid-daemon, prefork.
void faults_before_listen(const FaultPlan& plan);

// After the startup line: crash-under-load, stop-answering, log-flood (on their own threads).
void faults_after_listen(const FaultPlan& plan);

// At a clean stop: the prefork workers are stopped and reaped, as a preforking server does.
void faults_at_stop();

} // namespace shop
