// The fixed HTTP load of a probe: `requests` in total over `concurrency` keep-alive connections,
// the request mix by weight. Failed requests are counted, never thrown. The caller owns the
// target (already resolved to a loopback endpoint) and what to do with the statistics.
#pragma once

#include "leakbisect/core/units.hpp"
#include "leakbisect/recipe/recipe.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace leakbisect {

struct LoadTarget {
    std::string host = "127.0.0.1"; // numeric address or "localhost"
    std::uint16_t port = 0;
    std::string path_prefix; // from base_url, e.g. "/app"; "" for the root
};

struct LoadPlan {
    LoadTarget target;
    std::vector<LoadRequest> mix; // at least one entry
    std::uint64_t requests = 3000;
    unsigned concurrency = 4;
    Milliseconds timeout{10'000}; // per request, connect included
    std::uint64_t seed = 1; // the mix is drawn from a seeded generator: every probe sends the same sequence
    // The load stops (stats.stopped_on_failures) once more requests than this have failed: past
    // that point the probe is INVALID whatever the rest does, and a hung app would otherwise make
    // every remaining request wait the full timeout.
    std::uint64_t max_failures = std::numeric_limits<std::uint64_t>::max();
};

struct LoadStats {
    std::uint64_t completed = 0; // requests that got a response (any status)
    std::uint64_t succeeded = 0; // responses whose status the request expects
    std::uint64_t failed = 0;    // unexpected status, timeouts, connection errors
    std::map<int, std::uint64_t> status_counts;
    std::map<std::string, std::uint64_t>
        failure_reasons; // "timeout", "connection refused", "status 500", ...
    double latency_p50_ms = 0;
    double latency_p90_ms = 0;
    double latency_p99_ms = 0;
    double latency_max_ms = 0;
    double elapsed_seconds = 0;
    bool cancelled = false;           // stopped early by the cancel flag
    bool stopped_on_failures = false; // stopped early: more than plan.max_failures failed

    double error_rate() const;
};

// Called from the load's thread after every `every` finished requests (success or failure),
// with the number finished so far. The memory sampler hangs off this.
struct ProgressHook {
    std::uint64_t every = 0; // 0: never
    std::function<void(std::uint64_t finished)> callback;
};

// Drives the load to completion on the calling thread. Returns early (stats.cancelled) soon
// after `cancel` becomes true. Never throws for network trouble.
LoadStats run_load(const LoadPlan& plan, const ProgressHook& progress, const std::atomic<bool>& cancel);

} // namespace leakbisect
