#include "stats_recorder.hpp"

#include <algorithm>
#include <cmath>

namespace leakbisect {

double LoadStats::error_rate() const {
    // Every request that ended is either succeeded or failed (an unexpected status is both
    // completed and failed), so this is the share of ended requests that went wrong.
    const std::uint64_t ended = succeeded + failed;
    return ended == 0 ? 0.0 : static_cast<double>(failed) / static_cast<double>(ended);
}

namespace load_detail {
namespace {

// Enough for a normal probe without reallocating; a huge plan grows the vector as it goes.
constexpr std::uint64_t kMaxReservedLatencies = 1'000'000;

std::string status_reason(int status) {
    return "status " + std::to_string(status);
}

} // namespace

StatsRecorder::StatsRecorder(std::uint64_t expected_requests) {
    latencies_ms_.reserve(static_cast<std::size_t>(std::min(expected_requests, kMaxReservedLatencies)));
}

void StatsRecorder::record_response(int status, bool expected, double latency_ms) {
    ++stats_.completed;
    ++stats_.status_counts[status];
    latencies_ms_.push_back(latency_ms);
    if (expected) {
        ++stats_.succeeded;
    } else {
        ++stats_.failed;
        ++stats_.failure_reasons[status_reason(status)];
    }
}

void StatsRecorder::record_failure(const std::string& reason) {
    ++stats_.failed;
    ++stats_.failure_reasons[reason];
}

LoadStats StatsRecorder::finish(double elapsed_seconds, bool cancelled) {
    std::sort(latencies_ms_.begin(), latencies_ms_.end());
    stats_.latency_p50_ms = percentile_of_sorted(latencies_ms_, 0.50);
    stats_.latency_p90_ms = percentile_of_sorted(latencies_ms_, 0.90);
    stats_.latency_p99_ms = percentile_of_sorted(latencies_ms_, 0.99);
    stats_.latency_max_ms = latencies_ms_.empty() ? 0.0 : latencies_ms_.back();
    stats_.elapsed_seconds = elapsed_seconds;
    stats_.cancelled = cancelled;
    return stats_;
}

double percentile_of_sorted(const std::vector<double>& sorted, double fraction) {
    if (sorted.empty()) {
        return 0.0;
    }
    const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

} // namespace load_detail
} // namespace leakbisect
