#include "probe_progress.hpp"

#include <algorithm>
#include <condition_variable>
#include <utility>

namespace leakbisect {

std::string_view to_string(ProbePhase phase) {
    switch (phase) {
    case ProbePhase::booting:
        return "booting";
    case ProbePhase::warmup:
        return "warm-up";
    case ProbePhase::load:
        return "load";
    case ProbePhase::extending:
        return "extending";
    case ProbePhase::stopping:
        return "stopping";
    }
    return "load";
}

LiveProbe::LiveProbe(Axis axis, std::uint64_t warmup) : axis_(axis), warmup_(warmup) {}

void LiveProbe::begin_attempt() {
    const std::scoped_lock lock(mutex_);
    load_started_.reset();
    phase_ = ProbePhase::booting;
    planned_ = 0;
    requests_ = 0;
    bytes_.reset();
    count_ = 0;
    mean_x_ = mean_y_ = m2_x_ = c_xy_ = 0;
}

void LiveProbe::set_phase(ProbePhase phase) {
    const std::scoped_lock lock(mutex_);
    if (phase == ProbePhase::load && !load_started_) {
        load_started_ = Clock::now(); // a load command's: it has no looks
    }
    phase_ = phase;
}

void LiveProbe::set_planned(std::uint64_t look_end, std::uint64_t fixed_load) {
    const std::scoped_lock lock(mutex_);
    if (!load_started_) {
        load_started_ = Clock::now();
    }
    // Looks inside the fixed load are the load (its first `warmup` requests the warm-up); a look
    // past it extends the load on the same process.
    phase_ = look_end > fixed_load ? ProbePhase::extending : ProbePhase::load;
    planned_ = std::max(look_end, fixed_load);
}

void LiveProbe::add_sample(double seconds, std::uint64_t requests, std::uint64_t bytes) {
    const std::scoped_lock lock(mutex_);
    requests_ = requests;
    bytes_ = bytes;
    if (axis_ == Axis::requests && requests < warmup_) {
        return; // the warm-up's growth is never judged, so it is not shown as a trend either
    }
    const double x = axis_ == Axis::requests ? static_cast<double>(requests) : seconds;
    const double y = static_cast<double>(bytes);
    ++count_;
    const double dx = x - mean_x_;
    mean_x_ += dx / static_cast<double>(count_);
    mean_y_ += (y - mean_y_) / static_cast<double>(count_);
    m2_x_ += dx * (x - mean_x_);
    c_xy_ += dx * (y - mean_y_);
}

ProbeProgress LiveProbe::snapshot() const {
    const std::scoped_lock lock(mutex_);
    ProbeProgress progress;
    const auto now = Clock::now();
    progress.phase = phase_;
    if (phase_ == ProbePhase::load && axis_ == Axis::requests && requests_ < warmup_) {
        progress.phase = ProbePhase::warmup;
    }
    progress.requests_done = requests_;
    progress.requests_planned = planned_;
    progress.elapsed_seconds = std::chrono::duration<double>(now - started_).count();
    if (load_started_) {
        const double load_seconds = std::chrono::duration<double>(now - *load_started_).count();
        progress.requests_per_second = load_seconds > 0 ? static_cast<double>(requests_) / load_seconds : 0;
    }
    progress.memory_bytes = bytes_;
    constexpr std::uint64_t kFewestSamplesForTrend = 8;
    if (count_ >= kFewestSamplesForTrend && m2_x_ > 0) {
        progress.trend = c_xy_ / m2_x_;
    }
    progress.axis = axis_;
    return progress;
}

ProgressTicker::ProgressTicker(const LiveProbe& live, ProgressReport report, std::chrono::milliseconds period)
    : live_(live), report_(std::move(report)), thread_([this, period](std::stop_token stop) {
          std::mutex mutex;
          std::condition_variable_any wake;
          while (!stop.stop_requested()) {
              report_(live_.snapshot());
              std::unique_lock lock(mutex);
              wake.wait_for(lock, stop, period, [] { return false; });
          }
      }) {}

ProgressTicker::~ProgressTicker() {
    thread_.request_stop();
    thread_.join();
}

} // namespace leakbisect
