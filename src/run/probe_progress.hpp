// What a probe is doing right now, for the progress line: written by the probe's threads (the
// runner, the sampler, the load's hook) into a `LiveProbe`, read by a ticker a few times a second.
// It shows; it judges nothing (the verdict does that on the whole trace).
#pragma once

#include "leakbisect/verdict/verdict.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string_view>
#include <thread>

namespace leakbisect {

enum class ProbePhase { booting, warmup, load, extending, stopping };
std::string_view to_string(ProbePhase phase);

struct ProbeProgress {
    ProbePhase phase = ProbePhase::booting;
    std::uint64_t requests_done = 0;
    std::uint64_t requests_planned = 0; // the fixed load, or the look's end past it; 0 for a load command
    double requests_per_second = 0;     // since the load started
    double elapsed_seconds = 0;         // since the probe started, boots and retries included
    std::optional<std::uint64_t> memory_bytes;
    std::optional<double> trend; // least-squares growth past the warm-up, bytes per unit of `axis`
    Axis axis = Axis::requests;
};

using ProgressReport = std::function<void(const ProbeProgress&)>;

class LiveProbe {
  public:
    LiveProbe(Axis axis, std::uint64_t warmup);

    void begin_attempt(); // booting again: the last attempt's load and memory are forgotten
    void set_phase(ProbePhase phase);
    void set_planned(std::uint64_t look_end, std::uint64_t fixed_load); // entering a look of the load
    void add_sample(double seconds, std::uint64_t requests, std::uint64_t bytes);
    ProbeProgress snapshot() const;

  private:
    using Clock = std::chrono::steady_clock;
    mutable std::mutex mutex_;
    Axis axis_;
    std::uint64_t warmup_;
    Clock::time_point started_ = Clock::now();
    std::optional<Clock::time_point> load_started_;
    ProbePhase phase_ = ProbePhase::booting;
    std::uint64_t planned_ = 0;
    std::uint64_t requests_ = 0;
    std::optional<std::uint64_t> bytes_;
    // Welford's running means and co-moments of (x, bytes) past the warm-up: a stable slope in O(1).
    std::uint64_t count_ = 0;
    double mean_x_ = 0;
    double mean_y_ = 0;
    double m2_x_ = 0;
    double c_xy_ = 0;
};

// Reports the live probe every `period` on its own thread until destroyed.
class ProgressTicker {
  public:
    ProgressTicker(const LiveProbe& live, ProgressReport report, std::chrono::milliseconds period);
    ~ProgressTicker();
    ProgressTicker(const ProgressTicker&) = delete;
    ProgressTicker& operator=(const ProgressTicker&) = delete;

  private:
    const LiveProbe& live_;
    ProgressReport report_;
    std::jthread thread_;
};

} // namespace leakbisect
