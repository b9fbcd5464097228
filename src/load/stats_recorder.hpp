// Collects what a load run observed, one finished request at a time, and turns it into LoadStats
// (counts, failure reasons, latency percentiles). Knows nothing of sockets or clocks.
// Internal to the load module.
#pragma once

#include "leakbisect/load/driver.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace leakbisect::load_detail {

class StatsRecorder {
  public:
    explicit StatsRecorder(std::uint64_t expected_requests);

    // A response arrived; `expected` says whether its status is one the request accepts.
    void record_response(int status, bool expected, double latency_ms);
    // The request ended without a response ("timeout", "connection refused", ...).
    void record_failure(const std::string& reason);

    std::uint64_t finished() const { return stats_.succeeded + stats_.failed; }
    std::uint64_t failed() const { return stats_.failed; }

    // The final statistics; latencies are summarized here, once.
    LoadStats finish(double elapsed_seconds, bool cancelled);

  private:
    LoadStats stats_;
    std::vector<double> latencies_ms_; // of every response, in arrival order
};

// Nearest-rank percentile (0 < fraction <= 1) of sorted values; 0 for none.
double percentile_of_sorted(const std::vector<double>& sorted, double fraction);

} // namespace leakbisect::load_detail
